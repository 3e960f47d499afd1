"""What the composers read and write: occupation words, posting/seeker facts, composed postings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

__all__ = ["OccupationText", "PostingFacts", "PostingText", "SECTION_NAMES", "SeekerFacts"]


@dataclass(frozen=True)
class OccupationText:
    """Words that describe an occupation (filled by the generator from the reference table).

    Attributes:
        keco_code: KECO code, e.g. ``"550"``.
        name: Display name, e.g. ``"요양보호사"``.
        skills: Skill keywords, e.g. ``("엑셀", "재고 관리")``.
        duty_phrases: Duty phrases, e.g. ``("고객 상담 및 민원 응대",)``.
        certificates: Related certificates, e.g. ``("요양보호사 1급",)``.
    """

    keco_code: str
    name: str
    skills: tuple[str, ...]
    duty_phrases: tuple[str, ...]
    certificates: tuple[str, ...]


@dataclass(frozen=True)
class PostingFacts:
    """Structured facts of one job posting; :func:`compose_posting` turns them into text.

    Attributes:
        company_name: Employer name as registered.
        industry_name: Industry in Korean, e.g. ``"제조업"``.
        region_name: Work location, e.g. ``"경기 수원시"``.
        occupation: The occupation's words.
        employment_type: 정규직 | 계약직 | 시간제 | 일용직 (other strings are shown as given).
        wage_type: hourly | daily | monthly | annual.
        wage_amount: Wage in KRW per ``wage_type`` unit.
        weekly_hours: Contractual weekly hours (> 0).
        career: 신입 | 경력무관 | 경력.
        min_career_years: Minimum years when ``career == "경력"``.
        education: 무관 | 고졸 | 전문대졸 | 대졸 | 석사.
        welfare: Welfare items in Korean, e.g. ``("4대보험", "퇴직금", "중식 제공")``.
        headcount: Number of hires.
        contact_phone: Contact number printed in the posting.
        completeness: 0-1, how thorough the employer is; low values drop optional sections
            (회사 소개, 우대 사항, 전형 절차) and shorten lists.
    """

    company_name: str
    industry_name: str
    region_name: str
    occupation: OccupationText
    employment_type: str
    wage_type: str
    wage_amount: int
    weekly_hours: float
    career: str
    min_career_years: int
    education: str
    welfare: tuple[str, ...]
    headcount: int
    contact_phone: str
    completeness: float


_HEADERS: Final[tuple[tuple[str, str], ...]] = (
    ("company_intro", "회사 소개"),
    ("duties", "담당 업무"),
    ("requirements", "자격 요건"),
    ("preferred", "우대 사항"),
    ("conditions", "근무 조건"),
    ("benefits", "복리후생"),
    ("process", "전형 절차"),
    ("documents", "제출 서류"),
)
SECTION_NAMES: Final[tuple[str, ...]] = tuple(k for k, _ in _HEADERS)
"""Body sections of a posting in display order (field names of :class:`PostingText`)."""


@dataclass(frozen=True)
class PostingText:
    """A composed job posting, section by section.

    Attributes:
        title: One-line title.
        company_intro, duties, requirements, preferred, conditions, benefits, process,
            documents: Section texts ("" when the employer left the section out).
        company_name: Metadata, not rendered: the employer name the text was composed for, kept
            so that :func:`inject_violation` can scrub it for ``HIDDEN_IDENTITY``.
    """

    title: str
    company_intro: str
    duties: str
    requirements: str
    preferred: str
    conditions: str
    benefits: str
    process: str
    documents: str
    company_name: str = field(default="", repr=False)

    @property
    def sections_present(self) -> tuple[str, ...]:
        """Names of the non-empty body sections, in display order (see ``SECTION_NAMES``)."""
        return tuple(k for k, _ in _HEADERS if getattr(self, k))

    def body(self) -> str:
        """Return the full posting: the title, then each non-empty section under 【header】."""
        parts = [self.title] if self.title else []
        for key, header in _HEADERS:
            text = getattr(self, key)
            if text:
                parts.append(f"【{header}】\n{text}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class SeekerFacts:
    """Facts about one job seeker used to write their documents.

    Attributes:
        name: Full name.
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        rrn: 주민등록번호.
        phone: Mobile number.
        email: E-mail address.
        address: Home address.
        region_name: Desired/home region for work, e.g. ``"경기"``.
        education: 중졸 | 고졸 | 전문대졸 | 대졸 | 석사 | 박사 (others shown as given).
        major: Major field, e.g. ``"경영학"`` ("" if none).
        career_years: Total years of work experience.
        last_occupation: Occupation of the last job (None if never employed).
        desired_occupation: Occupation sought.
        desired_wage_monthly: Desired monthly wage in KRW.
        certificates: Certificates held.
        skills: Skill keywords.
        benefit_status: True if currently receiving 구직급여.
        desired_region_name: Region where they want to work (the record's ``desired_region_code``;
            "" falls back to ``region_name``).
        age: Age in the record (at registration); the résumé's "만 N세" states it when given.
    """

    name: str
    sex: str
    birth_date: dt.date
    rrn: str
    phone: str
    email: str
    address: str
    region_name: str
    education: str
    major: str
    career_years: float
    last_occupation: OccupationText | None
    desired_occupation: OccupationText
    desired_wage_monthly: int
    certificates: tuple[str, ...]
    skills: tuple[str, ...]
    benefit_status: bool
    desired_region_name: str = ""
    age: int | None = None


def _s(value: object) -> str:
    """Text field or "" (the generator may hand over None or NaN from a DataFrame)."""
    return value if isinstance(value, str) else ""
