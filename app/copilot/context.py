"""What the copilot knows of one seeker: the masked record, documents and model outputs, and the
standard sources every task may cite.

The services (:mod:`app.services.copilot`) build a :class:`SeekerContext` from the database and the
models; tests and benches build one by hand. Nothing here holds a direct identifier: the name,
contact, address and resident number never reach this module, and documents arrive masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.copilot.grounding import Source
from app.llm.candidates import career_text
from app.text.korean import format_korean_date, format_manwon

_SENTENCE_END = re.compile(r"\n+|(?<=[.!?。])\s+|(?<=[다요함음됨임]\.)(?=\S)")
MIN_SENTENCE_CHARS = 4


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of a Korean text (bullets and list markers kept; very short pieces dropped)."""
    pieces = [p.strip() for p in _SENTENCE_END.split(str(text or ""))]
    return [p for p in pieces if len(p) >= MIN_SENTENCE_CHARS]


@dataclass(frozen=True)
class EmploymentView:
    """The employment-success model's output for the seeker (already shown on the profile).

    Attributes:
        probability: Probability of insured employment within 180 days of registration.
        low: Lower end of its interval; ``high`` the upper end.
        band: Risk band (Korean: 고위험 / 중위험 / 저위험).
        factors: (Korean factor, contribution in log-odds, sentence) largest effect first.
        services: (Korean service label, estimated effect on the probability, reason) best first.
        model_version: Version of the model.
    """

    probability: float
    low: float
    high: float
    band: str
    factors: tuple[tuple[str, float, str], ...]
    services: tuple[tuple[str, float, str], ...]
    model_version: str


@dataclass(frozen=True)
class SeekerContext:
    """One seeker as the copilot sees them (masked; no direct identifier).

    Attributes:
        seeker_id: Internal number (pseudonymous; never shown).
        age: Age at registration.
        education: Highest education (고졸, 대졸 …); ``major`` the field of study ("" when none).
        career_years: Total career in years.
        last_keco: KECO 소분류 of the last job (``None`` when none); ``last_occupation`` its name.
        desired_keco: KECO 소분류 of the desired job; ``desired_occupation`` its name.
        desired_wage: Desired monthly wage (원).
        desired_region: Desired workplace (short 시도 name); ``region_flexible`` whether elsewhere is fine.
        benefit_status: Whether the seeker receives 구직급여.
        registered_on: Registration date; ``as_of`` the data's reference date.
        skills: Skill keywords; ``certificates`` certificate names held.
        resume: Résumé text (masked); ``cover_letter`` cover letter (masked).
        notes: (written_on ISO date, masked text) of counsellor notes, oldest first.
        services_received: Korean labels of the employment services received.
        market_wage: Market wage of the desired occupation × region (monthly 원), when known.
        region_demand: Log of the desired region's vacancies per seeker against the national ratio.
        occupation_demand: Log of the desired occupation's postings per seeker against all occupations.
        relevant_certificates: Certificates held that the desired occupation asks for (count).
        employment: The employment model's output, when the model is built.
        training_plan: Titles of the courses in the seeker's counselling plan.
        interest_occupations: Top occupations of the seeker's interest test, when taken.
    """

    seeker_id: int
    age: int
    education: str
    career_years: float
    desired_keco: str
    desired_occupation: str
    desired_wage: int
    desired_region: str
    registered_on: dt.date
    as_of: dt.date
    major: str = ""
    last_keco: str | None = None
    last_occupation: str = ""
    region_flexible: bool = False
    benefit_status: bool = False
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    resume: str = ""
    cover_letter: str = ""
    notes: tuple[tuple[str, str], ...] = ()
    services_received: tuple[str, ...] = ()
    market_wage: float | None = None
    region_demand: float | None = None
    occupation_demand: float | None = None
    relevant_certificates: int = 0
    employment: EmploymentView | None = None
    training_plan: tuple[str, ...] = ()
    interest_occupations: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def days_since_registration(self) -> int:
        """Days from registration to the reference date."""
        return max(0, (self.as_of - self.registered_on).days)

    def career_text(self) -> str:
        """Career as Korean text ("신입", "3년", "1년 6개월"), as candidate summaries word it."""
        return career_text(self.career_years)

    # ----------------------------------------------------------------------- sources

    def record_sources(self) -> list[Source]:
        """The record's fields, one source each (keys ``record.*``)."""
        label = "구직자 기록 · "
        rows: list[tuple[str, str, str]] = [
            ("age", "연령", f"연령: {int(self.age)}세"),
            ("education", "학력", f"학력: {self.education}" + (f" ({self.major})" if self.major else "")),
            ("career", "경력", f"경력: {self.career_text()}"
             + (f" (최근 직종: {self.last_occupation})" if self.last_occupation else "")),
            ("desired_occupation", "희망 직종", f"희망 직종: {self.desired_occupation}"),
            ("desired_wage", "희망 임금", f"희망 임금: 월 {format_manwon(self.desired_wage)}"),
            ("desired_region", "희망 근무지", f"희망 근무지: {self.desired_region}"
             + (" (다른 지역도 가능)" if self.region_flexible else " (이 지역만 희망)")),
            ("benefit", "구직급여", "구직급여: " + ("수급 중" if self.benefit_status else "수급하지 않음")),
            ("registered", "구직 등록일", f"구직 등록일: {self.registered_on.isoformat()} "
             f"({format_korean_date(self.registered_on)}, 기준일까지 {self.days_since_registration}일)"),
            ("skills", "보유 기술", "보유 기술: " + (", ".join(self.skills) if self.skills else "기록 없음")),
            ("certificates", "자격증", "자격증: " + (", ".join(self.certificates) if self.certificates else "없음")),
            ("services", "받은 고용서비스", "받은 고용서비스: "
             + (", ".join(self.services_received) if self.services_received else "없음")),
        ]
        if self.market_wage:
            rows.append(("market_wage", "시장임금", f"희망 직종·지역 시장임금(구인공고 기준): 월 {format_manwon(self.market_wage)}"))
        if self.training_plan:
            rows.append(("training_plan", "훈련 계획", "상담 계획의 훈련: " + ", ".join(self.training_plan)))
        if self.interest_occupations:
            rows.append(("interest", "흥미검사", "흥미검사 추천 직업: " + ", ".join(self.interest_occupations)))
        return [Source(f"record.{key}", label + name, text) for key, name, text in rows]

    def document_sources(self) -> list[Source]:
        """Sentences of the résumé (``resume.N``), cover letter (``cover.N``) and notes (``note.I.N``)."""
        sources = [Source(f"resume.{i}", f"이력서 {i}번째 문장", s) for i, s in enumerate(split_sentences(self.resume), 1)]
        sources += [Source(f"cover.{i}", f"자기소개서 {i}번째 문장", s)
                    for i, s in enumerate(split_sentences(self.cover_letter), 1)]
        for n, (written_on, text) in enumerate(self.notes, 1):
            sources += [Source(f"note.{n}.{i}", f"상담일지 {written_on} · {i}번째 문장", s)
                        for i, s in enumerate(split_sentences(text), 1)]
        return sources

    def model_sources(self) -> list[Source]:
        """The employment model's probability (``model.employment``), its reasons (``model.factor.N``)
        and service effects (``model.service.N``)."""
        view = self.employment
        if view is None:
            return []
        label = f"취업성공 예측모델 {view.model_version} · "
        sources = [Source("model.employment", label + "예측",
                          f"180일 안 취업 확률 {round(view.probability * 100)}% "
                          f"(범위 {round(view.low * 100)}~{round(view.high * 100)}%), 위험도 {view.band}")]
        sources += [Source(f"model.factor.{i}", label + "예측 근거", sentence)
                    for i, (_, _, sentence) in enumerate(view.factors, 1)]
        sources += [Source(f"model.service.{i}", label + "서비스 효과",
                           f"{name}: 취업 확률 {effect * 100:+.0f}%p 예상. {reason}".strip())
                    for i, (name, effect, reason) in enumerate(view.services, 1)]
        return sources
