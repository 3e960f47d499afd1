"""핵심역량 피드백: the seeker's competencies against what the desired occupation asks for.

What the seeker shows — skill keywords of the record, certificates, the duty lines of the résumé's
career section, the cover letter, career and education/major — is matched against the desired
occupation's skills, knowledge areas, certificates and typical education (``occupations.csv`` through
:func:`app.ml.course_match.compute_skill_gap` and its item matching). The offline composer writes four
kinds of statements:

* ``strength`` (갖춘 역량): required items the seeker shows, with the sentences that show them;
  relevant certificates; career in the same occupation or field; education at or above the typical one;
* ``gap`` (보완할 역량): required skills and knowledge areas not shown, certificates not held, education;
* ``evidence`` (증빙 보완): skills the seeker lists but no résumé duty or cover-letter sentence shows,
  certificates the record and the résumé disagree on;
* ``suggestion`` (보완 방법): the occupation's certificates to take, training for the missing items,
  the courses of the counselling plan that cover some of them — only names the sources hold.

The same helpers (:func:`occupation_source`, :func:`resume_duty_sources`, :func:`seeker_evidence_text`)
serve the career roadmap (:mod:`app.copilot.roadmap`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotTask
from app.copilot.grounding import Source, Statement, Vocabulary, build_vocabulary
from app.ml.course_match import certificate_held, compute_skill_gap, item_in_text
from app.reference.codes import EDUCATION_LEVELS, SEEKER_EDUCATION
from app.reference.tables import Reference, load_reference
from app.text.korean import format_manwon, josa

COMPETENCY_KINDS: dict[str, str] = {
    "strength": "갖춘 역량",
    "gap": "보완할 역량",
    "evidence": "증빙 보완",
    "suggestion": "보완 방법",
}
"""Statement kinds of the competency feedback → Korean headings."""

COMPETENCY_INSTRUCTION = (
    "구직자의 보유 기술, 자격증, 이력서의 경력 사항, 자기소개서, 경력과 학력을 희망 직종이 요구하는 기술·지식, "
    "자격증, 일반적인 학력과 비교해 핵심역량 피드백을 씁니다. strength에는 이미 갖춘 역량을, gap에는 보완할 역량을, "
    "evidence에는 보유 기술로 적었지만 이력서나 자기소개서에서 경험이 드러나지 않는 것을, suggestion에는 근거에 "
    "나온 자격증과 훈련으로 보완하는 방법을 씁니다. 근거에 없는 자격증, 훈련 과정, 기관 이름은 쓰지 않습니다."
)
LISTED_ITEMS = 6
"""Most items named in one sentence (the rest are counted: "… 등 12개")."""
EVIDENCE_ITEMS = 4
"""Most unevidenced skills named in one evidence sentence."""

# résumé section headers as the world and common forms write them: "[경력 사항]", "■ 경력", "3. 경력사항",
# "< 경력 >"; a numbered line is a header only when it names a section (a duty list is numbered too)
_BRACKETED_HEADER = re.compile(r"^\s*(?:\[(?P<a>[^\]]{1,20})\]|■\s*(?P<b>.{1,20})|<\s*(?P<c>[^>]{1,20})\s*>)\s*$")
_NUMBERED_HEADER = re.compile(r"^\s*\d{1,2}\.\s*(?P<d>.{1,20})$")
_SECTION_WORDS = ("인적", "기본 정보", "학력", "경력", "자격", "기술", "역량", "희망", "자기소개", "교육", "수상", "활동")
_DATE_RANGE = re.compile(r"^\s*\d{4}\s*[-./년]\s*\d{1,2}.*[~–-]\s*\d{4}")


# --------------------------------------------------------------------------- shared helpers


def education_rank(level: str | None) -> int:
    """Rank of an education level on one scale: 중졸이하/무관 0, 고졸 1, 전문대졸 2, 대졸 3, 석사 4
    (-1 when unknown)."""
    text = str(level or "")
    if text in SEEKER_EDUCATION:
        return SEEKER_EDUCATION.index(text)
    return EDUCATION_LEVELS.index(text) if text in EDUCATION_LEVELS else -1


def split_items(value: object) -> list[str]:
    """Items of a ``;``-joined reference cell."""
    return [part.strip() for part in str(value or "").split(";") if part.strip()] if isinstance(value, str) else []


def occupation_source(ref: Reference, keco_code: str) -> Source:
    """The reference row of an occupation as a source (key ``table.occupation.<code>``).

    Its text names the occupation, its field, skills, knowledge areas, certificates, typical education
    and monthly wage band (Korean formats, as statements state them).
    """
    row = ref.occupations.set_index("keco_code").loc[str(keco_code)]
    certificates = split_items(row["certificates"])
    text = (f"{row['name']} (중분류 {row['middle_name']}, 대분류 {row['major_name']}). "
            f"주요 기술: {', '.join(split_items(row['skills']))}. "
            f"지식: {', '.join(split_items(row['knowledge']))}. "
            f"관련 자격증: {', '.join(certificates) if certificates else '없음'}. "
            f"일반적인 학력: {row['education_typical']}. "
            f"월 임금: 하위 25% 월 {format_manwon(row['wage_p25'])}, 중위 월 {format_manwon(row['wage_median'])}, "
            f"상위 25% 월 {format_manwon(row['wage_p75'])}.")
    return Source(f"table.occupation.{keco_code}", f"직업 정보 · {row['name']}", text)


def _header_name(sentence: str) -> str | None:
    match = _BRACKETED_HEADER.match(sentence)
    if match:
        return next(g for g in match.groups() if g).strip()
    match = _NUMBERED_HEADER.match(sentence)
    if match and any(word in match.group("d") for word in _SECTION_WORDS):
        return match.group("d").strip()
    return None


def resume_sections(context: SeekerContext) -> list[tuple[Source, str]]:
    """Each résumé sentence (keys ``resume.N`` as :meth:`SeekerContext.document_sources` numbers them)
    with the name of the section it is in ("" before the first header); header lines are left out.

    Returns an empty list for a résumé without recognisable section headers (free text).
    """
    resume = [s for s in context.document_sources() if s.key.startswith("resume.")]
    headers = {s.key: _header_name(s.text) for s in resume}
    if not any(headers.values()):
        return []
    out: list[tuple[Source, str]] = []
    section = ""
    for source in resume:
        name = headers[source.key]
        if name is not None:
            section = name
            continue
        out.append((source, section))
    return out


def resume_duty_sources(context: SeekerContext) -> list[Source]:
    """The résumé sentences that describe work done: the lines of its career section other than the
    period-and-company lines. A résumé without recognisable section headers is free text: every
    sentence of it counts.
    """
    sections = resume_sections(context)
    if not sections:
        return [s for s in context.document_sources() if s.key.startswith("resume.")]
    return [s for s, section in sections if "경력" in section and not _DATE_RANGE.match(s.text)]


def _cover_sources(context: SeekerContext) -> list[Source]:
    return [s for s in context.document_sources() if s.key.startswith("cover.")]


def seeker_evidence_text(context: SeekerContext) -> str:
    """Everything that can show a seeker holds a skill: skill keywords, major, the résumé's duty lines
    and the cover letter (the text :func:`compute_skill_gap` matches items in)."""
    parts = [*context.skills, context.major, *(s.text for s in resume_duty_sources(context)),
             *(s.text for s in _cover_sources(context))]
    return " ".join(p for p in parts if p)


def listed(items: Sequence[str], limit: int = LISTED_ITEMS) -> str:
    """Items joined with commas, the first ``limit`` of them ("a, b, c 등 9개" when there are more)."""
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} 등 {len(items)}개"


@lru_cache(maxsize=4)
def _certificate_vocabulary(ref: Reference) -> Vocabulary:
    return build_vocabulary(ref.certificates["name"].astype(str), ())


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class CompetencyAssessment:
    """The seeker against the desired occupation (what the statements and ``data`` are made of).

    Attributes:
        keco_code: The desired occupation; ``name`` its name.
        required: Its skills then knowledge areas; ``skills`` and ``knowledge`` separately.
        held: Required items the seeker shows; ``shown_by`` the source keys showing each.
        missing: Required items not shown.
        certificates_required: The occupation's certificates; ``certificates_held`` those held.
        unevidenced: The seeker's skill keywords that no résumé duty or cover-letter sentence shows.
        declared_only: Required items shown only by the skill keywords (no duty, cover letter or major).
        unlisted_certificates: Certificates of the record the résumé does not name (none without a résumé).
        plan_items: (course title of the counselling plan, missing items its title names), for the first
            three courses that name any.
        education_meets: Whether the seeker's education reaches the occupation's typical one
            (``None`` when either is unknown).
    """

    keco_code: str
    name: str
    required: tuple[str, ...]
    skills: tuple[str, ...]
    knowledge: tuple[str, ...]
    held: tuple[str, ...]
    shown_by: dict[str, tuple[str, ...]]
    missing: tuple[str, ...]
    certificates_required: tuple[str, ...]
    certificates_held: tuple[str, ...]
    unevidenced: tuple[str, ...]
    declared_only: tuple[str, ...]
    unlisted_certificates: tuple[str, ...]
    plan_items: tuple[tuple[str, tuple[str, ...]], ...]
    typical_education: str
    education_meets: bool | None

    @property
    def coverage(self) -> float:
        """Share of the required items held (1.0 when nothing is required)."""
        return len(self.held) / len(self.required) if self.required else 1.0

    @property
    def coverage_pct(self) -> int:
        """:attr:`coverage` in whole percent."""
        return round(self.coverage * 100)

    @property
    def certificates_missing(self) -> tuple[str, ...]:
        """The occupation's certificates the seeker does not hold."""
        return tuple(c for c in self.certificates_required if c not in self.certificates_held)

    @property
    def other_unevidenced(self) -> tuple[str, ...]:
        """Unevidenced skill keywords that are not among the occupation's items."""
        return tuple(s for s in self.unevidenced if s not in self.declared_only)

    @property
    def missing_outside_plan(self) -> tuple[str, ...]:
        """Missing items no course of the counselling plan names."""
        covered = {item for _, items in self.plan_items for item in items}
        return tuple(item for item in self.missing if item not in covered)


def assess_competency(context: SeekerContext, ref: Reference) -> CompetencyAssessment:
    """Match the seeker's evidence against the desired occupation's requirements.

    Args:
        context: The seeker.
        ref: Reference tables.

    Returns:
        The assessment.

    Raises:
        KeyError: The desired occupation is not in ``occupations.csv``.
    """
    code = str(context.desired_keco)
    row = ref.occupations.set_index("keco_code").loc[code]
    gap = compute_skill_gap(ref, code, seeker_evidence_text(context), ";".join(context.certificates))
    skills_text, certificates_text = " ".join(context.skills), " ".join(context.certificates)
    evidence = [*resume_duty_sources(context), *_cover_sources(context)]
    shown_by: dict[str, tuple[str, ...]] = {}
    for item in gap.held:
        # compute_skill_gap matched the item in one of these: say which (a certificate's name shows 회계)
        keys = [key for key, text in (("record.skills", skills_text), ("record.certificates", certificates_text),
                                      ("record.education", context.major)) if text and item_in_text(item, text)]
        keys += [s.key for s in evidence if item_in_text(item, s.text)]
        shown_by[item] = tuple(keys) or ("record.skills",)
    declared_only = tuple(item for item in gap.held if shown_by[item] == ("record.skills",))
    unevidenced = tuple(skill for skill in context.skills
                        if not any(item_in_text(skill, s.text) for s in evidence))
    resume = [s for s in context.document_sources() if s.key.startswith("resume.")]
    resume_text = re.sub(r"\s+", "", " ".join(s.text for s in resume))
    unlisted = tuple(c for c in context.certificates if resume and re.sub(r"\s+", "", c) not in resume_text)
    plan = [(title, tuple(item for item in gap.missing if item_in_text(item, title))) for title in context.training_plan]
    typical = str(row["education_typical"])
    seeker_rank, typical_rank = education_rank(context.education), education_rank(typical)
    return CompetencyAssessment(
        keco_code=code, name=str(row["name"]), required=gap.required,
        skills=tuple(split_items(row["skills"])), knowledge=tuple(split_items(row["knowledge"])),
        held=gap.held, shown_by=shown_by, missing=gap.missing,
        certificates_required=gap.certificates_required, certificates_held=gap.certificates_held,
        unevidenced=unevidenced, declared_only=declared_only, unlisted_certificates=unlisted,
        plan_items=tuple((title, items) for title, items in plan if items)[:3], typical_education=typical,
        education_meets=None if seeker_rank < 0 or typical_rank < 0 else seeker_rank >= typical_rank,
    )


# --------------------------------------------------------------------------- statements


def _coverage_source(a: CompetencyAssessment) -> Source:
    held_skills = [i for i in a.held if i in a.skills]
    held_knowledge = [i for i in a.held if i not in a.skills]
    missing_skills = [i for i in a.missing if i in a.skills]
    missing_knowledge = [i for i in a.missing if i not in a.skills]
    text = (f"희망 직종 {a.name}의 요구 기술·지식 {len(a.required)}개 중 보유 {len(a.held)}개 → {a.coverage_pct}%. "
            f"보유 기술: {', '.join(held_skills) or '없음'}. 보유 지식: {', '.join(held_knowledge) or '없음'}. "
            f"보완할 기술·지식 {len(a.missing)}개: {', '.join(a.missing) or '없음'} "
            f"(기술 {len(missing_skills)}개: {', '.join(missing_skills) or '없음'}; "
            f"지식 {len(missing_knowledge)}개: {', '.join(missing_knowledge) or '없음'}). "
            f"관련 자격증 {len(a.certificates_required)}개 중 보유 {len(a.certificates_held)}개"
            f"({', '.join(a.certificates_held) or '없음'}).")
    for title, items in a.plan_items:
        text += f" 상담 계획의 훈련 ‘{title}’에서 다루는 보완 항목: {', '.join(items)}."
    if a.plan_items:
        rest = a.missing_outside_plan
        text += f" 상담 계획의 훈련이 다루지 않는 보완 항목 {len(rest)}개: {', '.join(rest) or '없음'}."
    return Source("derived.coverage", "역량 충족도 계산", text)


def _evidence_source(context: SeekerContext, a: CompetencyAssessment) -> Source:
    text = (f"보유 기술 {len(context.skills)}개 중 이력서 경력 사항·자기소개서에서 경험이 드러나지 않는 것 "
            f"{len(a.unevidenced)}개: {', '.join(a.unevidenced) or '없음'}. "
            f"그중 희망 직종의 기술·지식 {len(a.declared_only)}개: {', '.join(a.declared_only) or '없음'}; "
            f"그 밖의 보유 기술 {len(a.other_unevidenced)}개: {', '.join(a.other_unevidenced) or '없음'}. "
            f"이력서에 적히지 않은 보유 자격증 {len(a.unlisted_certificates)}개: "
            f"{', '.join(a.unlisted_certificates) or '없음'}.")
    return Source("derived.evidence", "증빙 확인", text)


def _strengths(context: SeekerContext, a: CompetencyAssessment, ref: Reference, table_key: str) -> list[Statement]:
    out: list[Statement] = []
    if a.held:
        keys = tuple(dict.fromkeys(["derived.coverage", table_key, *(k for i in a.held for k in a.shown_by[i])]))
        out.append(Statement(
            f"희망 직종 {josa(a.name, '이', '가')} 요구하는 기술·지식 {len(a.required)}개 중 {len(a.held)}개"
            f"({a.coverage_pct}%)를 갖추고 있습니다: {listed(a.held)}.", keys, "strength"))
    if a.certificates_held:
        out.append(Statement(
            f"희망 직종 관련 자격증 {josa(listed(a.certificates_held), '을', '를')} 보유하고 있습니다.",
            ("record.certificates", table_key), "strength"))
    if context.last_keco and context.career_years > 0:
        career = context.career_text()
        if str(context.last_keco) == a.keco_code:
            out.append(Statement(
                f"최근 직종이 희망 직종과 같은 {josa(a.name, '이어서', '여서')} 경력 {josa(career, '을', '를')} "
                "그대로 살릴 수 있습니다.", ("record.career", "record.desired_occupation"), "strength"))
        else:
            occupations = ref.occupations.set_index("keco_code")
            last = occupations.loc[str(context.last_keco)] if str(context.last_keco) in occupations.index else None
            desired = occupations.loc[a.keco_code]
            if last is not None and last["middle_code"] == desired["middle_code"]:
                out.append(Statement(
                    f"최근 직종 {josa(str(last['name']), '은', '는')} 희망 직종과 같은 {desired['middle_name']} "
                    f"분야여서 경력 {josa(career, '을', '를')} 관련 경력으로 설명할 수 있습니다.",
                    ("record.career", table_key, f"table.occupation.{context.last_keco}"), "strength"))
    if a.education_meets:
        out.append(Statement(
            f"학력({context.education})이 희망 직종의 일반적인 학력({a.typical_education}) 이상입니다.",
            ("record.education", table_key), "strength"))
    return out


def _gaps(context: SeekerContext, a: CompetencyAssessment, table_key: str) -> list[Statement]:
    out: list[Statement] = []
    missing_skills = [i for i in a.missing if i in a.skills]
    missing_knowledge = [i for i in a.missing if i not in a.skills]
    if missing_skills:
        out.append(Statement(f"희망 직종의 주요 기술 중 {josa(listed(missing_skills), '은', '는')} 아직 "
                             "보유 기술이나 경력에서 확인되지 않습니다.", ("derived.coverage", table_key), "gap"))
    if missing_knowledge:
        out.append(Statement(f"보완할 지식 분야는 {listed(missing_knowledge)}입니다.",
                             ("derived.coverage", table_key), "gap"))
    if a.certificates_missing and a.certificates_held:
        out.append(Statement(f"희망 직종 관련 자격증 중 {josa(listed(a.certificates_missing), '은', '는')} "
                             "아직 보유하지 않았습니다.", ("record.certificates", table_key), "gap"))
    elif a.certificates_missing:
        out.append(Statement(f"희망 직종 관련 자격증({listed(a.certificates_missing)})은 아직 하나도 "
                             "보유하지 않았습니다.", ("record.certificates", table_key), "gap"))
    if a.education_meets is False:
        out.append(Statement(
            f"희망 직종의 일반적인 학력은 {a.typical_education}이고 현재 학력은 {context.education}이므로, "
            "자격증과 직무 경험으로 보완하는 전략이 필요합니다.", ("record.education", table_key), "gap"))
    if context.career_years <= 0:
        out.append(Statement("경력이 없어(신입) 직무 경험을 보여 줄 실습이나 훈련 경험을 정리하는 것이 중요합니다.",
                             ("record.career",), "gap"))
    return out


def _evidence(context: SeekerContext, a: CompetencyAssessment, vocabulary: Vocabulary) -> list[Statement]:
    out: list[Statement] = []
    resume = [s for s in context.document_sources() if s.key.startswith("resume.")]
    if not resume:
        out.append(Statement("이력서가 없어 보유 기술과 경력을 뒷받침하는 증빙을 확인할 수 없습니다. "
                             "경력 사항과 담당 업무를 적은 이력서를 먼저 준비하도록 안내하세요.",
                             ("record.skills",), "evidence"))
    if a.declared_only:
        items = listed(a.declared_only, EVIDENCE_ITEMS)
        out.append(Statement(
            f"희망 직종의 핵심 기술 {josa(items, '은', '는')} 보유 기술 목록에만 있고 이력서의 경력 사항이나 "
            "자기소개서에는 드러나지 않습니다. 어떤 업무에서 사용했는지 구체적으로 적도록 권합니다.",
            ("derived.evidence", "record.skills", f"table.occupation.{a.keco_code}"), "evidence"))
    if a.other_unevidenced and resume:
        out.append(Statement(
            f"보유 기술로 적은 {josa(listed(a.other_unevidenced, EVIDENCE_ITEMS), '은', '는')} 이력서 경력 사항이나 "
            "자기소개서에서 경험이 드러나지 않습니다.", ("derived.evidence", "record.skills"), "evidence"))
    if a.unlisted_certificates:
        out.append(Statement(
            f"보유 자격증 {josa(listed(a.unlisted_certificates, EVIDENCE_ITEMS), '이', '가')} 이력서에 적혀 "
            "있지 않습니다. 자격증 항목에 취득 시기와 함께 적도록 권합니다.",
            ("derived.evidence", "record.certificates"), "evidence"))
    pattern = vocabulary.pattern("certificate")
    # only the certificate section: the wish lines name occupations that are certificates too (간호사)
    certificate_lines = [s for s, section in resume_sections(context) if "자격" in section]
    for source in certificate_lines if pattern is not None else []:
        named = [m.group(0) for m in pattern.finditer(source.text)]
        extra = [c for c in dict.fromkeys(named) if not certificate_held(c, list(context.certificates))]
        if extra:
            out.append(Statement(
                f"이력서에 적힌 {josa(', '.join(extra), '은', '는')} 구직자 기록의 자격증에 없어 "
                "취득 여부를 확인해야 합니다.", (source.key, "record.certificates"), "evidence"))
            break
    return out


def _suggestions(context: SeekerContext, a: CompetencyAssessment, table_key: str) -> list[Statement]:
    out: list[Statement] = []
    if a.certificates_missing:
        out.append(Statement(
            f"희망 직종 관련 자격증({listed(a.certificates_missing)}) 가운데 목표 자격증을 정하고 취득 조건과 "
            "시험 일정을 확인하세요.", (table_key,), "suggestion"))
    for title, items in a.plan_items:
        out.append(Statement(
            f"상담 계획의 훈련 {josa(f'‘{title}’', '은', '는')} 보완할 기술·지식 중 {josa(listed(items), '을', '를')} "
            "다룹니다.",
            ("record.training_plan", "derived.coverage"), "suggestion"))
    if a.missing:
        rest = a.missing_outside_plan
        if rest:
            out.append(Statement(
                f"{josa(listed(rest), '은', '는')} 직업훈련으로 보완할 수 있으므로 훈련 추천에서 관련 과정을 "
                "확인하세요.", ("derived.coverage",), "suggestion"))
    if a.declared_only or a.unevidenced:
        out.append(Statement("이력서의 경력 사항에 보유 기술을 사용한 업무와 그 결과를 한 줄씩 적으면 "
                             "역량을 더 분명히 보여 줄 수 있습니다.", ("record.skills",), "suggestion"))
    return out


def competency_task(context: SeekerContext, vocabulary: Vocabulary | None = None, *,
                    ref: Reference | None = None) -> CopilotTask:
    """The 핵심역량 피드백 task of one seeker.

    Args:
        context: The seeker (masked).
        vocabulary: Names that count as claims; its certificates are looked for in the résumé (a
            certificate the résumé names but the record lacks is an evidence statement). ``None``:
            the reference's certificate names.
        ref: Reference tables (``None``: :func:`load_reference`).

    Returns:
        The task: record, document and reference sources, the coverage computation as a derived
        source, the offline statements, and ``data`` with the held and missing lists and the coverage.
    """
    ref = ref or load_reference()
    a = assess_competency(context, ref)
    table_key = f"table.occupation.{a.keco_code}"
    sources = [*context.record_sources(), *context.document_sources(), occupation_source(ref, a.keco_code),
               _coverage_source(a), _evidence_source(context, a)]
    last = str(context.last_keco) if context.last_keco else ""
    if last and last != a.keco_code and last in set(ref.occupations["keco_code"]):
        sources.append(occupation_source(ref, last))
    vocabulary = vocabulary or _certificate_vocabulary(ref)
    statements = [*_strengths(context, a, ref, table_key), *_gaps(context, a, table_key),
                  *_evidence(context, a, vocabulary), *_suggestions(context, a, table_key)]
    data = {
        "keco_code": a.keco_code, "occupation": a.name,
        "required": list(a.required), "held": list(a.held), "missing": list(a.missing),
        "shown_by": {item: list(keys) for item, keys in a.shown_by.items()},
        "coverage_pct": a.coverage_pct,
        "certificates_required": list(a.certificates_required), "certificates_held": list(a.certificates_held),
        "certificates_missing": list(a.certificates_missing),
        "unevidenced_skills": list(a.unevidenced), "declared_only": list(a.declared_only),
        "unlisted_certificates": list(a.unlisted_certificates),
        "training_plan_items": {title: list(items) for title, items in a.plan_items},
        "education": {"seeker": context.education, "typical": a.typical_education, "meets": a.education_meets},
    }
    return CopilotTask(name="competency", title="핵심역량 피드백", instruction=COMPETENCY_INSTRUCTION,
                       kinds=COMPETENCY_KINDS, sources=tuple(sources), offline=tuple(statements), data=data)
