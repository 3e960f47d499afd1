"""The one interface of posting text generation, and the types it speaks.

A :class:`PostingRequest` holds what the employer answered plus the occupation knowledge it is
grounded on; every backend turns it into a :class:`PostingDraft` (a title and the eight sections
of a Korean job posting). Backends that can fail (a server, a local model) raise
:class:`GenerationError`; :class:`FallbackGenerator` then answers with the offline composer and a
visible notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SECTIONS: tuple[str, ...] = (
    "company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process", "documents",
)
SECTION_LABELS: dict[str, str] = {
    "company_intro": "회사 소개",
    "duties": "담당 업무",
    "requirements": "자격 요건",
    "preferred": "우대 사항",
    "conditions": "근무 조건",
    "benefits": "복리후생",
    "process": "전형 절차",
    "documents": "제출 서류",
}
DRAFT_KEYS: tuple[str, ...] = ("title", *SECTIONS)


class GenerationError(RuntimeError):
    """A backend could not produce a valid draft (the message says why, in Korean)."""


@dataclass(frozen=True)
class OccupationKnowledge:
    """What the reference tables know about a KECO 소분류 (the grounding of the text)."""

    keco_code: str
    name: str
    duties: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    knowledge: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    education: str = ""


@dataclass(frozen=True)
class PostingRequest:
    """The employer's answers (already validated) and the occupation they are about.

    Attributes:
        company_name: 회사명.
        company_line: One line about the company, in the employer's words.
        job_title: What the employer calls the job (e.g. "주방 보조").
        duties: Duty lines the employer wrote.
        occupation: The KECO occupation (classified and confirmed).
        region: 시도 name; ``workplace`` the address or area as written.
        employment_type: 정규직 / 계약직 / 시간제 / 일용직.
        weekly_hours: Scheduled hours a week.
        work_days: e.g. "주 5일(월~금)".
        work_time: e.g. "09:00~18:00".
        wage_type: hourly / daily / monthly / annual; ``wage_amount`` in KRW.
        requirements: Requirement lines the employer wrote.
        preferred: Preferred-qualification lines.
        benefits: Welfare item names.
        headcount: 모집 인원.
        contact: Contact line (phone).
        career: 신입 / 경력무관 / 경력; ``education`` 무관 / 고졸 / …; ``min_career_years`` for 경력.
    """

    company_name: str
    company_line: str
    job_title: str
    duties: tuple[str, ...]
    occupation: OccupationKnowledge
    region: str
    employment_type: str
    weekly_hours: float
    wage_type: str
    wage_amount: int
    requirements: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    work_days: str = ""
    work_time: str = ""
    workplace: str = ""
    headcount: int = 1
    contact: str = ""
    career: str = "경력무관"
    education: str = "무관"
    min_career_years: int = 0

    def to_prompt_dict(self) -> dict[str, Any]:
        """The request as plain data for a language model's prompt."""
        return {
            "회사명": self.company_name, "회사 한 줄 소개": self.company_line, "직무명": self.job_title,
            "직종(KECO)": f"{self.occupation.name} ({self.occupation.keco_code})", "담당 업무": list(self.duties),
            "직종의 대표 업무": list(self.occupation.duties), "직종의 주요 기술": list(self.occupation.skills),
            "관련 자격증": list(self.occupation.certificates), "근무지": f"{self.region} {self.workplace}".strip(),
            "고용형태": self.employment_type, "주당 근로시간": self.weekly_hours, "근무 요일": self.work_days,
            "근무 시간": self.work_time, "임금": {"형태": self.wage_type, "금액(원)": self.wage_amount},
            "자격 요건": list(self.requirements), "우대 사항": list(self.preferred), "복리후생": list(self.benefits),
            "모집 인원": self.headcount, "연락처": self.contact, "경력": self.career + (f" {self.min_career_years}년 이상" if self.career == "경력" else ""), "학력": self.education,
        }


@dataclass(frozen=True)
class PostingDraft:
    """A generated posting: title and the eight sections (plain text, lines separated by "\\n")."""

    title: str
    company_intro: str
    duties: str
    requirements: str
    preferred: str
    conditions: str
    benefits: str
    process: str
    documents: str

    def sections(self) -> dict[str, str]:
        """Section key → text."""
        return {key: getattr(self, key) for key in SECTIONS}

    def body(self) -> str:
        """The posting as seekers read it: title, then each non-empty section under its heading."""
        return self.layout()[0]

    def layout(self) -> tuple[str, dict[str, int]]:
        """:meth:`body` and where each non-empty field's (stripped) text starts in it, so a span
        found in the body maps back to the section it is in."""
        lines: list[str] = []
        offsets: dict[str, int] = {}
        position = 0

        def add(line: str) -> None:
            nonlocal position
            lines.append(line)
            position += len(line) + 1

        title = self.title.strip()
        if title:
            offsets["title"] = 0
            add(title)
            add("")
        for key in SECTIONS:
            text = getattr(self, key).strip()
            if text:
                add(f"【{SECTION_LABELS[key]}】")
                offsets[key] = position
                add(text)
                add("")
        return "\n".join(lines).rstrip("\n"), offsets

    def replace(self, **changes: str) -> PostingDraft:
        """A copy with some fields changed (the employer's edits)."""
        values = {key: getattr(self, key) for key in DRAFT_KEYS}
        values.update({k: str(v) for k, v in changes.items() if k in values})
        return PostingDraft(**values)


class _DraftSchema(BaseModel):
    """What a language model must return (a JSON object with these string fields)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str = Field(min_length=2, max_length=200)
    company_intro: str = Field(default="", max_length=3000)
    duties: str = Field(min_length=2, max_length=5000)
    requirements: str = Field(default="", max_length=3000)
    preferred: str = Field(default="", max_length=3000)
    conditions: str = Field(default="", max_length=3000)
    benefits: str = Field(default="", max_length=3000)
    process: str = Field(default="", max_length=2000)
    documents: str = Field(default="", max_length=2000)


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_model_json(text: str, *, fallback: PostingDraft) -> tuple[PostingDraft, list[str]]:
    """Validate a model's JSON reply, repairing what can be repaired.

    Repairs: code fences and prose around the object are dropped (the first ``{`` to the last
    ``}``), list values are joined into lines, Korean section names are accepted as keys, and
    a missing or empty title or section is taken from ``fallback`` (the offline draft) — each
    repair is reported. A reply with no JSON object, or without duties, is rejected.

    Returns:
        (the draft, Korean notes of the repairs made).

    Raises:
        GenerationError: The reply cannot be used.
    """
    notes: list[str] = []
    cleaned = _FENCE.sub("", str(text or "")).strip()
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start < 0 or end <= start:
        raise GenerationError("모델 응답에 JSON 객체가 없습니다")
    if start > 0 or end < len(cleaned) - 1:
        notes.append("모델 응답의 JSON 앞뒤 문장을 지웠습니다")
    try:
        data = json.loads(cleaned[start:end + 1])
    except json.JSONDecodeError as err:
        raise GenerationError(f"모델 응답의 JSON 형식이 잘못되었습니다 ({err.msg})") from None
    if not isinstance(data, Mapping):
        raise GenerationError("모델 응답이 JSON 객체가 아닙니다")
    by_label = {label: key for key, label in SECTION_LABELS.items()} | {"제목": "title", "공고 제목": "title"}
    values: dict[str, str] = {}
    for raw_key, value in data.items():
        key = by_label.get(str(raw_key).strip(), str(raw_key).strip())
        if key not in DRAFT_KEYS:
            continue
        if isinstance(value, Sequence) and not isinstance(value, str):
            value = "\n".join(f"- {str(v).strip()}" for v in value if str(v).strip())
            notes.append(f"'{SECTION_LABELS.get(key, key)}' 목록을 줄 단위 글로 바꿨습니다")
        values[key] = str(value or "").strip()
    if not values.get("duties"):
        # the duties are what the model was asked to write; without them the reply is not a draft
        raise GenerationError("모델 응답에 담당 업무가 없습니다")
    for key in DRAFT_KEYS:
        if not values.get(key):
            values[key] = getattr(fallback, key)
            notes.append(f"'{SECTION_LABELS.get(key, '제목')}' 항목이 없어 기본 문안으로 채웠습니다")
    try:
        checked = _DraftSchema.model_validate(values)
    except ValidationError as err:
        raise GenerationError(f"모델 응답이 공고 형식에 맞지 않습니다 ({err.error_count()}개 항목)") from None
    return PostingDraft(**checked.model_dump()), notes


@dataclass(frozen=True)
class GenerationResult:
    """A draft and how it was made."""

    draft: PostingDraft
    backend: str
    notices: tuple[str, ...] = field(default=())
    fell_back: bool = False
    """Whether the offline composer answered because the configured backend failed."""


class TextGenerator(Protocol):
    """Anything that writes a posting draft for a request."""

    name: str

    def generate(self, request: PostingRequest) -> GenerationResult:
        """A draft for ``request`` (raises :class:`GenerationError` when it cannot)."""
        ...


PROMPT_SYSTEM = (
    "당신은 한국 공공고용서비스의 구인공고 작성 도우미입니다. 구인기업이 준 정보와 직종 정보만 사용해 "
    "사실에 맞는 공고를 씁니다. 법을 지킵니다: 성별·연령·혼인·임신·용모·신체조건·출신지역·가족 사항을 묻거나 "
    "조건으로 두지 않고, 주민등록번호·등본·가족관계증명서·사진을 요구하지 않으며, 지원자에게 비용을 받지 않고, "
    "과장된 수익을 약속하지 않습니다. 임금·근로시간은 받은 값 그대로 씁니다. "
    "결과는 JSON 객체 하나로만 답합니다. 키: title, company_intro, duties, requirements, preferred, conditions, "
    "benefits, process, documents (모두 문자열, 여러 줄은 줄바꿈으로 구분)."
)


def prompt_messages(request: PostingRequest) -> list[dict[str, str]]:
    """Chat messages (Korean system prompt + the request as JSON) for a language model."""
    return [
        {"role": "system", "content": PROMPT_SYSTEM},
        {"role": "user", "content": "다음 정보로 구인공고를 작성해 주세요.\n" + json.dumps(request.to_prompt_dict(),
                                                                                ensure_ascii=False, indent=1)},
    ]


class FallbackGenerator:
    """A primary backend with the offline composer behind it.

    When the primary fails (timeout, server error, malformed or unlawful output) the offline draft
    is returned with a notice the page shows, so the employer always gets a draft and knows how it
    was made.
    """

    def __init__(self, primary: TextGenerator, offline: TextGenerator) -> None:
        self.primary = primary
        self.offline = offline
        self.name = primary.name

    def generate(self, request: PostingRequest) -> GenerationResult:
        """The primary's draft, or the offline draft with a notice saying why."""
        try:
            return self.primary.generate(request)
        except GenerationError as err:
            result = self.offline.generate(request)
            notice = f"{self.primary.name} 생성에 실패해 기본(오프라인) 문안으로 작성했습니다: {err}"
            return GenerationResult(draft=result.draft, backend=result.backend, notices=(notice, *result.notices),
                                    fell_back=True)
