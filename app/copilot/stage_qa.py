"""단계별 예상 질의응답: what a seeker is likely to ask at each stage of counselling, with grounded
answers, and what the counsellor should ask them.

Stages (:data:`STAGES`): 초기상담 → 진단 → 계획 수립 → 구직활동 → 사후관리. The answers come from a
knowledge base, ``data/reference/counselling_qa.yaml`` (benefits, programmes and rules, each with
the law or public page it comes from; facts only from the project's domain-facts guide), filtered by
the seeker's record (a 구직급여 recipient is asked about the 실업인정 schedule and told the benefit's
period; a non-recipient hears about 국민취업지원제도; a 신입 about how many applications are usual).
Counsellor questions tailored to what the record lacks are composed from the record itself (no cover
letter, no skills or certificates, a desired wage well above the market's or below the minimum wage,
one region only where vacancies are scarce, a change of occupation, a long search).

Each answer is a statement citing its fact (key ``fact.<id>``, label = the law or page, text = the
answer) and the record fields its conditions rest on, so the faithfulness check holds: every number
(120일, 270일, 300만원 …) is in the fact the statement cites.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.config import get_settings
from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotTask
from app.copilot.grounding import Ground, Source, Statement, Vocabulary, unsupported_claims
from app.errors import InvalidInput
from app.labour import MONTHLY_HOURS_FULL_TIME, MinimumWageUnknown, minimum_wage_table
from app.text.korean import format_manwon, josa_ro

__all__ = [
    "QA_FILE_NAME",
    "STAGES",
    "InvalidQaBank",
    "QaBank",
    "QaConditions",
    "QaEntry",
    "infer_stage",
    "load_counselling_qa",
    "parse_counselling_qa",
    "stage_qa_task",
]

QA_FILE_NAME = "counselling_qa.yaml"
STAGES: dict[str, str] = {
    "intake": "초기상담",
    "diagnosis": "진단",
    "planning": "계획 수립",
    "job_search": "구직활동",
    "aftercare": "사후관리",
}
"""Stages of counselling, in order, with their Korean names."""
KINDS: dict[str, str] = {"seeker_question": "구직자 예상 질문과 답변", "counsellor_question": "상담사가 물어볼 질문"}
WAGE_ABOVE_MARKET = 1.15
"""Desired wage over the market wage from which the counsellor is prompted to discuss it (15% above)."""
SCARCE_REGION_DEMAND = -0.2
"""Log ratio of the desired region's vacancies per seeker to the nation's below which the region counts
as scarce (about 18% fewer vacancies per seeker)."""
LONG_SEARCH_DAYS = 180
"""Days since registration from which a search counts as long (the 6-month line of the statistics)."""

INSTRUCTION = (
    "상담 단계에 맞추어, 구직자가 물어볼 만한 질문과 그 답(seeker_question: text는 답, detail은 질문)과 "
    "상담사가 구직자에게 물어볼 질문(counsellor_question: text는 질문과 묻는 이유, detail은 질문)을 씁니다. "
    "답은 근거로 주어진 제도·법령 내용과 구직자 기록만 사용하고, 근거에 없는 금액, 기간, 비율, 기관은 쓰지 않습니다."
)


class InvalidQaBank(InvalidInput):
    """A question bank that cannot be used; ``str(err)`` lists every problem in Korean."""


class QaConditions(BaseModel):
    """Conditions an entry's seeker must meet (all of them; an unset one always holds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benefit_status: bool | None = None
    age_min: int | None = Field(default=None, ge=15, le=100)
    age_max: int | None = Field(default=None, ge=15, le=100)
    career_min: float | None = Field(default=None, ge=0, le=60)
    career_max: float | None = Field(default=None, ge=0, le=60)
    no_interest_test: bool = False
    has_training_plan: bool | None = None
    no_certificates: bool = False

    def holds(self, context: SeekerContext) -> bool:
        """Whether the seeker meets every condition."""
        checks = (
            self.benefit_status is None or bool(context.benefit_status) == self.benefit_status,
            self.age_min is None or context.age >= self.age_min,
            self.age_max is None or context.age <= self.age_max,
            self.career_min is None or float(context.career_years) >= self.career_min,
            self.career_max is None or float(context.career_years) <= self.career_max,
            not self.no_interest_test or not context.interest_occupations,
            self.has_training_plan is None or bool(context.training_plan) == self.has_training_plan,
            not self.no_certificates or not context.certificates,
        )
        return all(checks)

    def record_keys(self) -> tuple[str, ...]:
        """Keys of the record sources the conditions rest on (cited with the answer)."""
        keys = []
        if self.benefit_status is not None:
            keys.append("record.benefit")
        if self.age_min is not None or self.age_max is not None:
            keys.append("record.age")
        if self.career_min is not None or self.career_max is not None:
            keys.append("record.career")
        if self.no_interest_test:
            keys.append("record.interest")
        if self.has_training_plan is not None:
            keys.append("record.training_plan")
        if self.no_certificates:
            keys.append("record.certificates")
        return tuple(keys)


class QaEntry(BaseModel):
    """One question of the bank (see ``data/reference/counselling_qa.yaml`` for the fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,47}$")
    stage: Literal["intake", "diagnosis", "planning", "job_search", "aftercare"]
    audience: Literal["seeker", "counsellor"]
    question: str = Field(min_length=5, max_length=120)
    answer: str = Field(min_length=10, max_length=300)
    source: str = Field(min_length=2, max_length=120)
    url: str = Field(default="", max_length=200)
    tag: str = Field(pattern=r"^S\d{1,2}[a-z]?$")
    secondary: bool = False
    conditions: QaConditions = Field(default_factory=QaConditions)

    @model_validator(mode="after")
    def _korean_text(self) -> QaEntry:
        for name in ("question", "answer", "source"):
            if not re.search(r"[가-힣]", getattr(self, name)):
                raise ValueError(f"{name}은(는) 한국어여야 합니다")
        return self

    @property
    def source_key(self) -> str:
        """Key of the entry's fact source."""
        return f"fact.{self.id}"

    @property
    def label(self) -> str:
        """The fact source's Korean label: the law or page, marked when it is a third party's summary."""
        return self.source + (" · 2차 자료" if self.secondary else "")

    def fact_source(self) -> Source:
        """The entry's fact as a source (text = the answer)."""
        return Source(self.source_key, self.label, self.answer)


class QaBank(BaseModel):
    """The whole question bank."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    entries: tuple[QaEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> QaBank:
        seen: set[str] = set()
        doubled = [e.id for e in self.entries if e.id in seen or seen.add(e.id)]
        if doubled:
            raise ValueError(f"같은 항목 키가 두 번 이상 있습니다: {', '.join(doubled)}")
        return self

    def for_stage(self, stage: str) -> tuple[QaEntry, ...]:
        """Entries of one stage, in file order."""
        return tuple(e for e in self.entries if e.stage == stage)


def parse_counselling_qa(data: object) -> QaBank:
    """A question bank from its parsed YAML.

    Raises:
        InvalidQaBank: The data break the schema (every problem listed in Korean, with its place).
    """
    try:
        return QaBank.model_validate(data)
    except ValidationError as err:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()[:10]]
        raise InvalidQaBank("예상 질의응답 파일이 형식에 맞지 않습니다 — " + "; ".join(problems)) from None


@lru_cache(maxsize=4)
def _load(path: Path) -> QaBank:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidQaBank(f"예상 질의응답 파일({path.name})이 없습니다.") from None
    except yaml.YAMLError:
        raise InvalidQaBank(f"예상 질의응답 파일({path.name})의 YAML 형식이 잘못되었습니다.") from None
    return parse_counselling_qa(data)


def load_counselling_qa(path: Path | None = None) -> QaBank:
    """The question bank (``data/reference/counselling_qa.yaml`` by default), read once per path.

    Raises:
        InvalidQaBank: The file is missing or breaks the schema.
    """
    return _load(Path(path) if path is not None else get_settings().reference_dir / QA_FILE_NAME)


# --------------------------------------------------------------------------- stage of a seeker

_AFTERCARE = re.compile(r"취업\s?(?:에\s?)?성공|취업\s?확정|채용\s?(?:이\s?)?확정|최종\s?합격|입사(?!\s?지원)|첫\s?출근|출근\s?(?:시작|중)")
_JOB_SEARCH = re.compile(r"알선|입사\s?지원|지원서|면접|구인\s?공고|구인처|구직\s?활동|재취업\s?활동|동행\s?면접")
_PLANNING = re.compile(r"취업활동계획|계획\s?수립|훈련\s?과정|내일배움카드|수강|국민취업지원제도\s?참여|참여\s?신청|목표\s?설정")


def infer_stage(context: SeekerContext) -> str:
    """The seeker's stage of counselling, from the record and the counsellor notes.

    No notes → 초기상담; employment recorded (``extra["employed"]``) or in the notes → 사후관리; a
    training plan or job-search activity in the notes (알선, 입사지원, 면접 …) → 구직활동; plan topics
    in the notes (취업활동계획, 훈련 과정, 내일배움카드 …) → 계획 수립; other notes → 진단.

    Returns:
        A key of :data:`STAGES`.
    """
    notes = " ".join(text for _, text in context.notes)
    if bool(context.extra.get("employed")) or (notes and _AFTERCARE.search(notes)):
        return "aftercare"
    if not notes.strip():
        return "intake"
    if context.training_plan or _JOB_SEARCH.search(notes):
        return "job_search"
    if _PLANNING.search(notes):
        return "planning"
    return "diagnosis"


# --------------------------------------------------------------------------- tailored questions


@dataclass(frozen=True)
class _Tailored:
    """A counsellor question composed from the record: asked at ``stages``, resting on ``sources``."""

    stages: tuple[str, ...]
    question: str
    why: str
    sources: tuple[str, ...]


def _extra_sources(context: SeekerContext) -> list[Source]:
    """Record facts the context's standard sources leave out because they are absences."""
    label = "구직자 기록 · "
    rows = [Source("record.documents", label + "제출 서류",
                   f"이력서: {'있음' if context.resume.strip() else '없음'}, "
                   f"자기소개서: {'있음' if context.cover_letter.strip() else '없음'}")]
    if not context.interest_occupations:
        rows.append(Source("record.interest", label + "흥미검사", "흥미검사 추천 직업: 기록 없음"))
    if not context.training_plan:
        rows.append(Source("record.training_plan", label + "훈련 계획", "상담 계획의 훈련: 없음"))
    return rows


def _minimum_wage_source(context: SeekerContext) -> tuple[Source, int] | None:
    """The monthly minimum wage of the reference year as a derived source, and the amount (None when unknown)."""
    try:
        minimum = minimum_wage_table().lookup(context.as_of.year)
    except MinimumWageUnknown:
        return None
    monthly = minimum.hourly * MONTHLY_HOURS_FULL_TIME
    return Source("derived.minimum_wage", "최저임금 기준표",
                  f"{minimum.table_year}년 최저임금: 시간당 {minimum.hourly:,}원, "
                  f"월 환산 {monthly:,}원({MONTHLY_HOURS_FULL_TIME}시간 기준)"), monthly


def _tailored(context: SeekerContext) -> tuple[list[_Tailored], list[Source]]:
    """Counsellor questions about what the record lacks or where it stands out, and the derived sources."""
    occupation = context.desired_occupation
    items: list[_Tailored] = []
    derived: list[Source] = []
    if context.benefit_status:
        items.append(_Tailored(("intake", "planning", "job_search"),
                               "다음 실업인정일은 언제이고, 그 전까지 어떤 구직활동을 할 계획인가요?",
                               "구직급여를 받고 있어, 실업인정 일정과 구직활동 계획을 상담 계획에 함께 적어 두기 위한 질문입니다.",
                               ("record.benefit",)))
    if not context.resume.strip():
        items.append(_Tailored(("intake", "diagnosis", "planning"),
                               "최근에 한 일과 맡았던 업무를 순서대로 말해 줄 수 있나요?",
                               "이력서가 아직 없어, 경력 사항을 정리해 이력서를 함께 만들기 위한 질문입니다.",
                               ("record.documents",)))
    if not context.cover_letter.strip():
        items.append(_Tailored(("planning", "job_search"), "지원할 때 가장 강조하고 싶은 경험은 무엇인가요?",
                               f"자기소개서가 아직 없어, 희망 직종({occupation})에 맞춘 자기소개서를 함께 준비하기 위한 질문입니다.",
                               ("record.documents", "record.desired_occupation")))
    if not context.skills:
        items.append(_Tailored(("diagnosis", "planning"), "최근 일에서 주로 다룬 도구나 프로그램, 업무는 무엇인가요?",
                               "보유 기술이 기록되어 있지 않아, 강점을 찾고 기록을 채우기 위한 질문입니다.",
                               ("record.skills",)))
    if not context.certificates:
        items.append(_Tailored(("diagnosis", "planning"), "희망 직종에 도움이 되는 자격증을 준비할 생각이 있나요?",
                               f"보유 자격증이 없어, 희망 직종({occupation})을 위한 자격 취득을 훈련 계획에 넣을지 정하기 위한 질문입니다.",
                               ("record.certificates", "record.desired_occupation")))
    if context.market_wage and context.desired_wage >= WAGE_ABOVE_MARKET * float(context.market_wage):
        items.append(_Tailored(("diagnosis", "planning", "job_search"),
                               "희망 임금에서 조정할 수 있는 범위와 꼭 받아야 하는 최소 금액은 얼마인가요?",
                               f"희망 임금(월 {format_manwon(context.desired_wage)})이 희망 직종·지역 시장임금"
                               f"(월 {format_manwon(context.market_wage)})보다 높아, 지원할 공고의 범위를 정하기 위한 질문입니다.",
                               ("record.desired_wage", "record.market_wage")))
    minimum_wage = _minimum_wage_source(context)
    if minimum_wage is not None and 0 < context.desired_wage < minimum_wage[1]:
        minimum = minimum_wage[0]
        derived.append(minimum)
        items.append(_Tailored(("intake", "diagnosis", "planning"), "일주일에 몇 시간 일하는 일자리를 찾고 있나요?",
                               f"희망 임금(월 {format_manwon(context.desired_wage)})이 최저임금의 월 환산액보다 낮아, "
                               "시간제 일자리를 원하는지 확인하기 위한 질문입니다.",
                               ("record.desired_wage", minimum.key)))
    if (not context.region_flexible and context.region_demand is not None
            and math.isfinite(context.region_demand) and context.region_demand < SCARCE_REGION_DEMAND):
        scarce = Source("derived.region_demand", "지역 구인 수요(구인공고 기준)",
                        f"희망 근무지 {context.desired_region}: 구직자 1명당 구인이 전국 평균보다 적음")
        derived.append(scarce)
        items.append(_Tailored(("diagnosis", "job_search"), "출퇴근할 수 있는 다른 지역이 있나요?",
                               f"희망 근무지를 {josa_ro(context.desired_region)}만 정했는데 이 지역은 구직자 1명당 구인이 "
                               "전국 평균보다 적어, 지원 범위를 넓힐 수 있는지 보기 위한 질문입니다.",
                               ("record.desired_region", scarce.key)))
    if float(context.career_years) <= 0:
        items.append(_Tailored(("intake", "diagnosis"), "아르바이트, 실습, 프로젝트처럼 일과 관련된 경험이 있나요?",
                               "경력이 없는 신입이어서, 이력서에 쓸 수 있는 경험을 찾기 위한 질문입니다.",
                               ("record.career",)))
    if context.last_occupation and context.last_occupation != occupation:
        items.append(_Tailored(("diagnosis", "planning"), "직종을 바꾸려는 이유와 지금까지 준비한 것은 무엇인가요?",
                               f"최근 직종({context.last_occupation})과 희망 직종({occupation})이 달라, "
                               "전직 준비가 어디까지 되었는지 확인하기 위한 질문입니다.",
                               ("record.career", "record.desired_occupation")))
    if context.days_since_registration >= LONG_SEARCH_DAYS:
        items.append(_Tailored(("planning", "job_search"), "그동안 지원해 본 곳과 어려웠던 점은 무엇인가요?",
                               f"구직 등록 후 {context.days_since_registration}일이 지나, 구직 방법을 다시 점검하기 위한 질문입니다.",
                               ("record.registered",)))
    return items, derived


# --------------------------------------------------------------------------- the task


def _entry_statement(entry: QaEntry) -> Statement:
    sources = (entry.source_key, *entry.conditions.record_keys())
    if entry.audience == "seeker":
        return Statement(text=entry.answer, sources=sources, kind="seeker_question", detail=entry.question)
    return Statement(text=f"{entry.question} {entry.answer}", sources=sources, kind="counsellor_question",
                     detail=entry.question)


def stage_qa_task(context: SeekerContext, stage: str | None = None, vocabulary: Vocabulary | None = None,
                  *, bank: QaBank | None = None) -> CopilotTask:
    """The 단계별 예상 질의응답 task of one seeker at one stage.

    Args:
        context: The seeker (masked).
        stage: A key of :data:`STAGES`; ``None`` or "" infers it (:func:`infer_stage`).
        vocabulary: Names that count as claims. When given, an entry whose question states a claim
            its answer does not hold (a bank edited by hand) is left out rather than shown and removed.
        bank: The question bank (default: :func:`load_counselling_qa`).

    Returns:
        The task: sources are the record (``record.*``), the facts of the entries that fit the seeker
        (``fact.<id>``) and derived figures (``derived.*``); statements of kinds ``seeker_question``
        and ``counsellor_question``; ``data`` holds the stage, its Korean name and the questions shown
        with their sources' pages.

    Raises:
        InvalidInput: An unknown stage.
        InvalidQaBank: The bank cannot be read.
    """
    inferred = not stage
    stage = infer_stage(context) if inferred else str(stage)
    if stage not in STAGES:
        raise InvalidInput(f"알 수 없는 상담 단계입니다 ({', '.join(STAGES.values())} 중에서 고르세요).")
    bank = bank or load_counselling_qa()
    entries = [e for e in bank.for_stage(stage) if e.conditions.holds(context)]
    if vocabulary is not None:
        entries = [e for e in entries if not unsupported_claims(e.question, Ground.of([e.fact_source()]), vocabulary)]
    tailored, derived = _tailored(context)
    tailored = [t for t in tailored if stage in t.stages]

    sources = [*context.record_sources(), *_extra_sources(context), *derived, *(e.fact_source() for e in entries)]
    statements = [_entry_statement(e) for e in entries if e.audience == "seeker"]
    statements += [_entry_statement(e) for e in entries if e.audience == "counsellor"]
    statements += [Statement(text=f"{t.question} {t.why}", sources=t.sources, kind="counsellor_question",
                             detail=t.question) for t in tailored]
    used = {k for s in statements for k in s.sources}
    sources = [s for s in sources if not s.key.startswith("derived.") or s.key in used]
    return CopilotTask(
        name="stage_qa", title="단계별 예상 질의응답", instruction=INSTRUCTION, kinds=dict(KINDS),
        sources=tuple(sources), offline=tuple(statements), max_statements=24,
        data={"stage": stage, "stage_label": STAGES[stage], "inferred": inferred,
              "stages": [{"key": k, "label": v} for k, v in STAGES.items()],
              "faq": [{"id": e.id, "audience": e.audience, "question": e.question, "source": e.label,
                       "url": e.url, "secondary": e.secondary} for e in entries]})

