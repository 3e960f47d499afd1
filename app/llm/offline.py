"""The offline backend: a grounded, deterministic posting composer (no network, no weights).

Every sentence is either the employer's own answer or a phrase from the occupation's reference
entry (대표 업무, 기술, 자격증 from ``data/reference/occupations.csv``), set in one of a few
phrasings. The phrasing is chosen by a hash of the request, so the same answers always give the
same draft while different postings do not all read alike. The composer adds only lawful
content: the documents it asks for are 이력서, 자기소개서, 경력증명서 (경력직), 자격증 사본 (when a
certificate is required) — never 사진, 주민등록등본, 가족관계증명서 — and it states the duties of
채용절차법 (result notice §10, document return §11, no cost to applicants §9).

Why not a template engine or a language model here: the texts are short, the rules of Korean
particles (은/는, 을/를) need code anyway, and the default must run in milliseconds anywhere.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from functools import lru_cache

from app.llm.base import GenerationResult, OccupationKnowledge, PostingDraft, PostingRequest
from app.reference.tables import Reference, load_reference
from app.text.korean import format_wage, josa

BACKEND_NAME = "기본(오프라인) 작성기"

STATUTORY_BENEFIT_MIN_HOURS = 15.0
"""Weekly hours from which 4대보험 and 퇴직금 are owed (근로자퇴직급여 보장법 §4: 4주 평균 주 15시간 이상)."""

_TITLE_TEMPLATES: tuple[str, ...] = (
    "[{company}] {job} {emp} 채용",
    "{company} {job} 모집 ({region})",
    "[{region}] {company} {job} {emp} 모집",
    "{job} 채용 - {company} ({wage})",
)
_INTRO_CLOSINGS: tuple[str, ...] = (
    "함께 성장할 분의 지원을 기다립니다.",
    "새로운 동료가 되어 주실 분을 모십니다.",
    "관심 있는 분들의 많은 지원 바랍니다.",
)
_DUTY_EXTRA: tuple[str, ...] = ("기타 {name} 관련 업무", "그 밖에 {name} 업무 전반", "부서 내 관련 업무 지원")
_KNOWLEDGE_LINES: tuple[str, ...] = ("{field} 분야 지식이 있는 분", "{field} 관련 공부나 경험이 있는 분")
_CERT_LINES: tuple[str, ...] = ("{cert} 소지자", "{cert} 자격 보유자")
_EDUCATION_LINES: dict[str, str] = {
    "무관": "학력 무관", "고졸": "고등학교 졸업 이상", "전문대졸": "전문대학 졸업 이상", "대졸": "4년제 대학 졸업 이상",
    "석사": "관련 분야 석사 이상",
}
_CAREER_LINES: dict[str, str] = {"신입": "신입 지원 가능", "경력무관": "신입·경력 모두 지원 가능", "경력": "관련 경력자"}
_PROCESS_STEPS: tuple[str, ...] = ("서류전형 → 면접 → 최종 합격", "서류 검토 → 면접(1회) → 합격 통보 → 입사")
DEFAULT_PROCESS_NOTES: tuple[str, ...] = (
    "채용 여부는 합격·불합격과 관계없이 모든 지원자에게 알려 드립니다 (채용절차법 제10조).",
    "채용 서류 제출 외에 지원자에게 어떠한 비용도 받지 않습니다 (채용절차법 제9조).",
)
DOCUMENT_NOTE = "※ 제출 서류는 채용 목적으로만 사용하며, 채용되지 않은 분이 요청하시면 돌려 드립니다 (채용절차법 제11조)."
_DAYS_BY_COUNT: dict[int, str] = {2: "주 2일(요일 협의)", 3: "주 3일(요일 협의)", 4: "주 4일(월~목)", 5: "주 5일(월~금)",
                                  6: "주 6일(월~토)"}


def _variant(request: PostingRequest) -> random.Random:
    """A random stream seeded by the request, so phrasing is varied but reproducible."""
    key = "|".join((request.company_name, request.job_title, request.occupation.keco_code, request.region,
                    request.employment_type, str(request.wage_amount), str(request.weekly_hours)))
    return random.Random(int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big"))


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line.strip()}" for line in lines if line and line.strip())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def work_schedule(weekly_hours: float) -> tuple[str, str]:
    """Typical (days, time) text for the weekly hours, e.g. 40 → ("주 5일(월~금)", "09:00~18:00 (휴게 1시간)").

    Breaks follow 근로기준법 §54 (30 minutes from 4 hours a day, one hour from 8).
    """
    hours = float(weekly_hours)
    days = 2 if hours <= 12 else 3 if hours <= 20 else 5 if hours <= 45 else 6
    daily = hours / days
    rest = 60 if daily >= 8 else 30 if daily >= 4 else 0
    start = 9 * 60 if daily >= 6 else 10 * 60
    end = start + int(round(daily * 60)) + rest
    rest_text = " (휴게 1시간)" if rest == 60 else " (휴게 30분)" if rest else ""
    return _DAYS_BY_COUNT[days], f"{start // 60:02d}:{start % 60:02d}~{end // 60:02d}:{end % 60:02d}{rest_text}"


def _covered(phrase: str, written: Sequence[str]) -> bool:
    """Whether an occupation duty is already in the employer's own lines (by its content words)."""
    words = [w for w in phrase.replace("·", " ").split() if len(w) >= 2]
    text = " ".join(written)
    return bool(words) and sum(w in text for w in words) >= max(1, len(words) // 2 + len(words) % 2)


class OfflineGenerator:
    """Grounded composition from the employer's answers and the occupation knowledge."""

    name = BACKEND_NAME

    def generate(self, request: PostingRequest) -> GenerationResult:
        """A complete draft (every section filled); never fails for a validated request."""
        rng = _variant(request)
        occupation = request.occupation
        wage = format_wage(request.wage_type, request.wage_amount)
        region_short = request.region.split()[0] if request.region else ""
        title = rng.choice(_TITLE_TEMPLATES).format(company=request.company_name, job=request.job_title,
                                                     emp=request.employment_type, region=region_short or "전국",
                                                     wage=wage)
        draft = PostingDraft(
            title=title,
            company_intro=self._intro(rng, request),
            duties=self._duties(rng, request),
            requirements=self._requirements(request),
            preferred=self._preferred(rng, request),
            conditions=self._conditions(request, wage),
            benefits=self._benefits(request),
            process=self._process(rng, request),
            documents=self._documents(request),
        )
        notes = () if occupation.duties else (f"'{occupation.name}' 직종의 대표 업무 정보가 없어 입력하신 업무만 적었습니다.",)
        return GenerationResult(draft=draft, backend=self.name, notices=notes)

    @staticmethod
    def _intro(rng: random.Random, request: PostingRequest) -> str:
        company = request.company_name
        line = request.company_line.strip()
        if line:
            first = line if line.endswith((".", "!", "?")) else line + "."
        else:
            where = f"{request.region}에 있는 " if request.region else ""
            first = f"{josa(company, '은', '는')} {where}{request.occupation.name} 분야의 인재와 함께 일하는 회사입니다."
        return f"{first} {rng.choice(_INTRO_CLOSINGS)}"

    @staticmethod
    def _duties(rng: random.Random, request: PostingRequest) -> str:
        own = [d.strip() for d in request.duties if d.strip()]
        lines = list(own)
        for phrase in request.occupation.duties:
            if len(lines) >= max(4, len(own)) + (0 if own else 1):
                break
            if not _covered(phrase, lines):
                lines.append(phrase if phrase.endswith("업무") else f"{phrase} 업무")
        lines.append(rng.choice(_DUTY_EXTRA).format(name=request.occupation.name))
        return _bullets(lines)

    @staticmethod
    def _requirements(request: PostingRequest) -> str:
        career = (f"관련 경력 {request.min_career_years}년 이상" if request.career == "경력" and request.min_career_years
                  else _CAREER_LINES.get(request.career, request.career))
        lines = [_EDUCATION_LINES.get(request.education, f"학력: {request.education}"), career]
        # Only what the employer asked for: adding requirements of our own could exclude applicants.
        lines += [r.strip() for r in request.requirements if r.strip()]
        return _bullets(lines)

    @staticmethod
    def _preferred(rng: random.Random, request: PostingRequest) -> str:
        lines = [p.strip() for p in request.preferred if p.strip()]
        written = " ".join(lines + list(request.requirements))
        for cert in request.occupation.certificates[:2]:
            if cert not in written:
                lines.append(rng.choice(_CERT_LINES).format(cert=cert))
        lines.append(f"{request.occupation.name} 관련 업무 경험자")
        if request.occupation.knowledge and len(lines) < 5:
            lines.append(rng.choice(_KNOWLEDGE_LINES).format(field=request.occupation.knowledge[0]))
        return _bullets(dict.fromkeys(lines))

    @staticmethod
    def _conditions(request: PostingRequest, wage: str) -> str:
        days, time = work_schedule(request.weekly_hours)
        wage_line = wage + (" (주휴수당 별도)" if request.wage_type == "hourly" and request.weekly_hours >= 15 else "")
        place = " ".join(x for x in (request.region, request.workplace) if x).strip() or "면접 시 안내"
        return _bullets([
            f"고용형태: {request.employment_type}",
            f"임금: {wage_line}",
            f"근무시간: 주 {_number(request.weekly_hours)}시간, {request.work_time.strip() or time}",
            f"근무요일: {request.work_days.strip() or days}",
            f"근무지: {place}",
            f"모집 인원: {int(request.headcount)}명",
        ])

    @staticmethod
    def _benefits(request: PostingRequest) -> str:
        items = [b.strip() for b in request.benefits if b.strip()]
        if request.weekly_hours >= STATUTORY_BENEFIT_MIN_HOURS:
            if not any("4대보험" in b for b in items):
                items.insert(0, "4대보험 가입")
            if request.employment_type != "일용직" and not any("퇴직금" in b for b in items):
                items.insert(1, "퇴직금 (1년 이상 근무 시)")
        if not any("연차" in b for b in items):
            items.append("연차유급휴가 (근로기준법에 따름)")
        return _bullets(dict.fromkeys(items))

    @staticmethod
    def _process(rng: random.Random, request: PostingRequest) -> str:
        lines = [rng.choice(_PROCESS_STEPS), *DEFAULT_PROCESS_NOTES]
        return lines[0] + "\n" + _bullets(lines[1:])

    @staticmethod
    def _documents(request: PostingRequest) -> str:
        documents = ["이력서 1부", "자기소개서 1부 (자유 양식)"]
        if request.career == "경력":
            documents.append("경력증명서 1부")
        written = " ".join(request.requirements)
        if any(cert in written for cert in request.occupation.certificates) or "자격" in written:
            documents.append("자격증 사본 1부")
        lines = [", ".join(documents), "접수 방법: 고용24 온라인 입사지원 또는 이메일 접수"]
        contact = request.contact.strip()
        lines.append(f"문의: {request.company_name}" + (f" 채용 담당 {contact}" if contact else ""))
        lines.append(DOCUMENT_NOTE)
        return "\n".join(lines)


def _split(value: object) -> tuple[str, ...]:
    text = "" if value is None or value != value else str(value)
    return tuple(part.strip() for part in text.split(";") if part.strip())


def occupation_knowledge(keco_code: str, reference: Reference | None = None) -> OccupationKnowledge:
    """The grounding of a KECO 소분류 from the reference tables.

    Raises:
        KeyError: Unknown code (Korean message).
    """
    if reference is None:
        return _default_knowledge(str(keco_code))
    return _knowledge(str(keco_code), reference)


@lru_cache(maxsize=256)
def _default_knowledge(keco_code: str) -> OccupationKnowledge:
    return _knowledge(keco_code, load_reference())


def _knowledge(keco_code: str, ref: Reference) -> OccupationKnowledge:
    rows = ref.occupations[ref.occupations["keco_code"] == str(keco_code)]
    if rows.empty:
        raise KeyError(f"알 수 없는 직종 코드입니다: {keco_code}")
    row = rows.iloc[0]
    return OccupationKnowledge(
        keco_code=str(row["keco_code"]), name=str(row["name"]), duties=_split(row.get("duty_phrases")),
        skills=_split(row.get("skills")), knowledge=_split(row.get("knowledge")),
        certificates=_split(row.get("certificates")), education=str(row.get("education_typical") or ""),
    )
