"""초기 진단: strengths, barriers and risk, the seeker's own goals, and what is missing from the record.

Every statement cites the record field, document sentence or model output it rests on. Barriers
come from two places that are checked against each other on the world (``bench/copilot_quality.py``):
rules over the record and the labour market (age, schooling, career, a desired wage above the market
wage, weak demand in the desired region or occupation, no certificate the occupation asks for,
구직급여 and a long search) and the employment model's reasons that lower the probability. Sex and
disability are never a barrier here: a diagnosis the seeker may read does not turn on a protected
attribute or sensitive data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotTask
from app.copilot.grounding import Source, Statement
from app.text.korean import format_manwon, josa

TASK = "diagnosis"
KINDS: dict[str, str] = {
    "risk": "취업 가능성과 위험도",
    "strength": "강점",
    "barrier": "취업 장애 요인",
    "goal": "구직자 본인의 목표",
    "missing": "기록에서 빠진 정보",
}
INSTRUCTION = (
    "구직자의 초기 진단을 씁니다. risk(취업 가능성과 위험도), strength(강점), barrier(취업 장애 요인), "
    "goal(구직자 본인의 목표), missing(기록에서 빠진 정보) 종류별로 한두 문장씩, 근거 번호를 붙여 씁니다. "
    "예측모델의 확률과 근거는 그대로 옮기고, 새 숫자를 계산하지 않습니다."
)

WAGE_GAP_RATIO = 1.10
"""Desired wage this far above the market wage is a barrier (the world's truth uses 1.15; the diagnosis
flags a little earlier because its market wage is an estimate from postings)."""
WEAK_REGION_DEMAND = -0.20
WEAK_OCCUPATION_DEMAND = -0.35
LONG_SEARCH_DAYS = 90
YOUNG_AGE, OLDER_AGE = 25, 60
MIN_GOAL_CHARS = 12  # shorter pieces with a goal word are headings ("<입사 후 포부>")
GOAL_CUES = re.compile(r"싶습니다|싶어요|목표|포부|계획입니다|되겠습니다|하고자|희망합니다")


def _demand_ratio(log_value: float) -> str:
    return f"{math.exp(log_value):.1f}배"


def _barriers(ctx: SeekerContext, occupation_certificates: Sequence[str],
              sources: list[Source]) -> list[Statement]:
    """Rule-based barriers (detail = barrier key), adding the derived sources they need."""
    out: list[Statement] = []
    if ctx.age < YOUNG_AGE:
        out.append(Statement(f"{ctx.age}세 청년 구직자로, 경력과 구직 경험이 적어 일자리 탐색에 시간이 걸릴 수 있습니다.",
                             ("record.age",), "barrier", detail="age"))
    elif ctx.age >= OLDER_AGE:
        out.append(Statement(f"{ctx.age}세로 고령층의 재취업률이 낮은 편이어서 연령 제한이 없는 일자리와 경력을 살릴 "
                             "일자리를 함께 찾는 것이 좋습니다.", ("record.age",), "barrier", detail="age"))
    if ctx.education == "중졸이하":
        out.append(Statement("학력(중졸 이하)이 지원할 수 있는 공고를 좁힐 수 있습니다.", ("record.education",), "barrier",
                             detail="low_education"))
    if ctx.career_years < 0.5:
        out.append(Statement("경력이 없어 경력을 묻는 공고에서 불리할 수 있습니다. 신입 채용 공고와 훈련으로 보완할 수 있습니다.",
                             ("record.career",), "barrier", detail="no_career"))
    if ctx.market_wage and ctx.desired_wage >= WAGE_GAP_RATIO * ctx.market_wage:
        pct = round((ctx.desired_wage / ctx.market_wage - 1.0) * 100)
        sources.append(Source("derived.wage_gap", "계산 · 희망 임금과 시장임금",
                              f"희망 임금 월 {format_manwon(ctx.desired_wage)}은 시장임금 월 {format_manwon(ctx.market_wage)}보다 "
                              f"{pct}% 높음"))
        out.append(Statement(f"희망 임금(월 {format_manwon(ctx.desired_wage)})이 희망 직종·지역의 시장임금"
                             f"(월 {format_manwon(ctx.market_wage)})보다 {pct}% 높아 맞는 공고가 적을 수 있습니다.",
                             ("record.desired_wage", "record.market_wage", "derived.wage_gap"), "barrier", detail="wage_gap"))
    if ctx.region_demand is not None and ctx.region_demand <= WEAK_REGION_DEMAND:
        ratio = _demand_ratio(ctx.region_demand)
        sources.append(Source("derived.region_demand", "계산 · 희망 지역 구인 수요",
                              f"{ctx.desired_region}의 구직자 1인당 구인 수는 전국 평균의 {ratio}"))
        flexible = "" if ctx.region_flexible else " 다른 지역 근무도 검토해 볼 만합니다."
        out.append(Statement(f"희망 근무지({ctx.desired_region})의 구직자 1인당 구인 수가 전국 평균의 {ratio}로 적습니다.{flexible}",
                             ("record.desired_region", "derived.region_demand"), "barrier", detail="weak_region_demand"))
    if ctx.occupation_demand is not None and ctx.occupation_demand <= WEAK_OCCUPATION_DEMAND:
        ratio = _demand_ratio(ctx.occupation_demand)
        sources.append(Source("derived.occupation_demand", "계산 · 희망 직종 구인 수요",
                              f"{ctx.desired_occupation}의 구직자 1인당 구인 공고 수는 전체 평균의 {ratio}"))
        out.append(Statement(f"희망 직종({ctx.desired_occupation})의 구직자 1인당 구인 공고가 전체 평균의 {ratio}로 적어 "
                             "가까운 직종까지 넓혀 찾는 것이 좋습니다.",
                             ("record.desired_occupation", "derived.occupation_demand"), "barrier",
                             detail="weak_occupation_demand"))
    if ctx.relevant_certificates < 1:
        cited = ["record.certificates"]
        text = "희망 직종과 관련된 자격증이 없습니다."
        if occupation_certificates:
            sources.append(Source("table.occupation.certificates", "직업 정보 · 관련 자격증",
                                  f"{ctx.desired_occupation} 관련 자격증: " + ", ".join(occupation_certificates[:5])))
            cited.append("table.occupation.certificates")
            text = f"희망 직종 관련 자격증({', '.join(occupation_certificates[:2])} 등)이 없습니다."
        out.append(Statement(text, tuple(cited), "barrier", detail="no_relevant_certificate"))
    if ctx.benefit_status:
        out.append(Statement("구직급여를 받는 동안 구직활동이 늦어지기 쉬워, 수급 기간 안에 재취업 계획을 세우는 것이 중요합니다.",
                             ("record.benefit",), "barrier", detail="benefit_search"))
    if ctx.days_since_registration >= LONG_SEARCH_DAYS:
        out.append(Statement(f"구직 등록 후 {ctx.days_since_registration}일이 지나 장기 구직으로 이어지지 않도록 "
                             "집중 지원이 필요합니다.", ("record.registered",), "barrier", detail="long_search"))
    return out


def _model_statements(ctx: SeekerContext, covered: set[str]) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """Risk, model-based barriers and strengths from the employment model."""
    view = ctx.employment
    if view is None:
        return [], [], []
    risk = [Statement(f"취업성공 예측모델은 등록 후 180일 안에 고용보험에 가입할 확률을 {round(view.probability * 100)}%"
                      f"(범위 {round(view.low * 100)}~{round(view.high * 100)}%)로 보며, 위험도는 {view.band}입니다.",
                      ("model.employment",), "risk")]
    # the model's reasons for factors the rules already name are not repeated as barriers
    factor_keys = {"연령": "age", "학력": "low_education", "경력": "no_career", "희망임금(시장 대비)": "wage_gap",
                   "지역 구인 수요": "weak_region_demand", "희망 직종 수요": "weak_occupation_demand",
                   "자격증": "no_relevant_certificate", "구직급여 수급": "benefit_search"}
    barriers, strengths = [], []
    negatives = [(i, f) for i, f in enumerate(view.factors, 1) if f[1] < -0.05]
    positives = [(i, f) for i, f in enumerate(view.factors, 1) if f[1] > 0.05]
    for i, (factor, _, sentence) in negatives[:3]:
        if factor_keys.get(factor) in covered:
            continue
        barriers.append(Statement(f"예측모델 근거: {sentence}", (f"model.factor.{i}",), "barrier",
                                  detail=factor_keys.get(factor, "model")))
    for i, (_, _, sentence) in positives[:2]:
        strengths.append(Statement(f"예측모델 근거: {sentence}", (f"model.factor.{i}",), "strength"))
    if negatives:
        i, (_, _, sentence) = negatives[0]
        risk.append(Statement(f"확률을 가장 많이 낮추는 요인: {sentence}", (f"model.factor.{i}",), "risk"))
    return risk, barriers, strengths


def _strengths(ctx: SeekerContext, held_skills: Sequence[str]) -> list[Statement]:
    out: list[Statement] = []
    if ctx.career_years >= 3 and ctx.last_occupation:
        same = ctx.last_keco == ctx.desired_keco
        career = f"{ctx.last_occupation} 경력 {ctx.career_text()}"
        out.append(Statement(f"{josa(career, '으로', '로')} 희망 직종과 같은 일을 해 왔습니다." if same
                             else f"{josa(career, '을', '를')} 갖추고 있습니다.", ("record.career",), "strength"))
    if ctx.relevant_certificates >= 1 and ctx.certificates:
        out.append(Statement(f"{', '.join(ctx.certificates[:3])} 자격을 갖추고 있습니다.", ("record.certificates",), "strength"))
    if held_skills:
        out.append(Statement(f"희망 직종에 필요한 기술 가운데 {josa(', '.join(held_skills[:3]), '을', '를')} 갖추고 있습니다.",
                             ("record.skills", "table.occupation.skills"), "strength"))
    if ctx.region_flexible:
        out.append(Statement("다른 지역 근무도 가능해 지원할 수 있는 공고가 넓습니다.", ("record.desired_region",), "strength"))
    if ctx.market_wage and ctx.desired_wage <= ctx.market_wage:
        out.append(Statement(f"희망 임금(월 {format_manwon(ctx.desired_wage)})이 시장임금(월 {format_manwon(ctx.market_wage)}) "
                             "이하여서 맞는 공고를 찾기 쉽습니다.", ("record.desired_wage", "record.market_wage"), "strength"))
    if ctx.services_received:
        out.append(Statement(f"이미 {', '.join(ctx.services_received)}에 참여하고 있습니다.", ("record.services",), "strength"))
    return out


def _goals(ctx: SeekerContext, documents: Sequence[Source]) -> list[Statement]:
    wage = format_manwon(ctx.desired_wage)
    out = [Statement(f"{ctx.desired_region}에서 {josa(ctx.desired_occupation, '으로', '로')} 일하기를 바라며 "
                     f"월 {wage} 수준을 희망합니다.",
                     ("record.desired_occupation", "record.desired_region", "record.desired_wage"), "goal")]
    said = [s for s in documents if s.key.startswith(("cover.", "note.")) and GOAL_CUES.search(s.text)
            and len(s.text.strip()) >= MIN_GOAL_CHARS and not s.text.lstrip().startswith(("<", "【", "[", "■"))]
    for source in said[:2]:
        where = "자기소개서" if source.key.startswith("cover.") else "상담일지"
        out.append(Statement(f"{where}에서 밝힌 목표: “{source.text.strip()[:150]}”", (source.key,), "goal"))
    return out


def _missing(ctx: SeekerContext, occupation_certificates: Sequence[str]) -> list[Statement]:
    out: list[Statement] = []
    if not ctx.cover_letter.strip():
        out.append(Statement("자기소개서가 없습니다. 지원 동기와 경험을 담은 자기소개서를 함께 준비하세요.", ("record.documents",),
                             "missing"))
    if not ctx.skills:
        out.append(Statement("보유 기술이 기록되어 있지 않습니다. 상담에서 할 수 있는 일을 구체적으로 확인하세요.",
                             ("record.skills",), "missing"))
    if not ctx.certificates and occupation_certificates:
        out.append(Statement("자격증 기록이 없습니다. 취득했거나 준비 중인 자격이 있는지 확인하세요.", ("record.certificates",),
                             "missing"))
    if ctx.career_years >= 0.5 and not ctx.last_occupation:
        out.append(Statement("경력은 있으나 최근 직종이 기록되어 있지 않습니다.", ("record.career",), "missing"))
    if not ctx.notes:
        out.append(Statement("아직 상담일지가 없습니다. 첫 상담에서 구직 목표와 어려움을 확인하세요.", ("record.documents",),
                             "missing"))
    if not ctx.interest_occupations:
        out.append(Statement("직업흥미검사 결과가 없습니다. 희망 직종이 분명하지 않다면 검사를 권하세요.", ("record.interest",),
                             "missing"))
    return out


def diagnosis_task(ctx: SeekerContext, *, occupation_skills: Sequence[str] = (), held_skills: Sequence[str] = (),
                   occupation_certificates: Sequence[str] = ()) -> CopilotTask:
    """The initial diagnosis of one seeker.

    Args:
        ctx: The seeker.
        occupation_skills: Skills and knowledge the desired occupation asks for (reference table).
        held_skills: Those the seeker shows.
        occupation_certificates: Certificates of the desired occupation (reference table).

    Returns:
        The task; ``data["barriers"]`` lists the barrier keys the rules found (the bench compares them
        with the world's truth).
    """
    sources = [*ctx.record_sources(), *ctx.model_sources()]
    documents = ctx.document_sources()
    sources.append(Source("record.documents", "구직자 기록 · 서류와 상담",
                          f"자기소개서: {'있음' if ctx.cover_letter.strip() else '없음'}, "
                          f"이력서: {'있음' if ctx.resume.strip() else '없음'}, 상담일지: {len(ctx.notes)}건"))
    if not ctx.interest_occupations:
        sources.append(Source("record.interest", "구직자 기록 · 흥미검사", "흥미검사 결과: 없음"))
    if occupation_skills:
        sources.append(Source("table.occupation.skills", "직업 정보 · 필요 기술",
                              f"{ctx.desired_occupation} 필요 기술·지식: " + ", ".join(occupation_skills[:12])))
    barriers = _barriers(ctx, occupation_certificates, sources)
    covered = {s.detail for s in barriers}
    risk, model_barriers, model_strengths = _model_statements(ctx, covered)
    statements = [*risk, *_strengths(ctx, held_skills), *model_strengths, *barriers, *model_barriers,
                  *_goals(ctx, documents), *_missing(ctx, occupation_certificates)]
    used = {key for s in statements for key in s.sources}
    all_sources = tuple(s for s in [*sources, *documents] if s.key in used or s.key.startswith(("cover.", "note.", "resume.")))
    return CopilotTask(name=TASK, title="초기 진단", instruction=INSTRUCTION, kinds=KINDS, sources=all_sources,
                       offline=tuple(statements), data={"barriers": [s.detail for s in [*barriers, *model_barriers]]})
