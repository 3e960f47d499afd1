"""The two row formats as pydantic models: :class:`PostingRow` and :class:`SeekerRow`.

Each model checks one CSV row on its own (cells through :mod:`app.db.importers.fields`, then the
rules that tie a row's cells together). Rules across rows (one employer name per business number,
unique ``external_id``) belong to the importers. Allowed values come from where the rest of the
product defines them: wage types from :mod:`app.labour`, the other vocabularies from
:mod:`app.reference.codes`, so imported rows and the synthetic world speak the same language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from app import bounds, labour
from app.db.importers import fields
from app.db.importers.fields import (
    BirthDate,
    BusinessNo,
    CareerRequirement,
    Date,
    Email,
    Flag,
    Headcount,
    IndustryCode,
    Items,
    KecoCode,
    LongText,
    OptionalKecoCode,
    Phone,
    RegionCode,
    RiasecScore,
    Rrn,
    Text,
    WelfareCodes,
    WonAmount,
    choice,
)
from app.db.importers.wages import monthly_wage_krw
from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, SEEKER_EDUCATION

POSTING_COLUMNS_REQUIRED: tuple[str, ...] = (
    "business_no", "employer_name", "industry_code", "region_code", "keco_code", "title", "duties",
    "requirements", "wage_type", "wage_amount", "weekly_hours", "employment_type", "career",
    "education", "open_date", "close_date",
)
POSTING_COLUMNS_OPTIONAL: tuple[str, ...] = (
    "min_career_years", "preferred", "benefits", "welfare_codes", "headcount", "contact",
)
SEEKER_COLUMNS_REQUIRED: tuple[str, ...] = (
    "external_id", "name", "birth_date", "sex", "education", "region_code", "career_years",
    "desired_keco", "desired_wage", "registered_on", "benefit_status", "disability",
)
SEEKER_COLUMNS_OPTIONAL: tuple[str, ...] = (
    "rrn", "phone", "email", "address", "last_keco", "certificates", "skills", "resume_text",
    "cover_letter_text", "riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c",
)

MAX_WEEKLY_HOURS = bounds.MAX_WEEKLY_HOURS  # hard limit: anything above is a data error, not a posting
# Above labour.MAX_WEEKLY_HOURS (52 = 40 h + 12 h overtime) the importer only warns.

SEXES: tuple[str, ...] = ("M", "F")
# RRN 7th digit -> (century, sex). 5-8 are foreigner registration numbers (same layout).
_RRN_GENDER_DIGIT: Mapping[str, tuple[int, str]] = MappingProxyType(
    {"9": (1800, "M"), "0": (1800, "F"), "1": (1900, "M"), "2": (1900, "F"), "3": (2000, "M"),
     "4": (2000, "F"), "5": (1900, "M"), "6": (1900, "F"), "7": (2000, "M"), "8": (2000, "F")}
)

# Vocabularies are the product's own (one definition each), not repeated here as Literals.
WageType = choice(labour.WAGE_TYPES)
EmploymentType = choice(EMPLOYMENT_TYPES)
Career = choice(CAREER_LEVELS)
PostingEducation = choice(EDUCATION_LEVELS)
SeekerEducation = choice(SEEKER_EDUCATION)
Sex = choice(SEXES, upper=True)
WeeklyHours = Annotated[
    float, BeforeValidator(partial(fields.parse_float, low=bounds.MIN_WEEKLY_HOURS, high=MAX_WEEKLY_HOURS))
]
CareerYears = Annotated[float, BeforeValidator(partial(fields.parse_float, low=0, high=bounds.MAX_CAREER_YEARS))]


class PostingRow(BaseModel):
    """One row of a postings CSV, parsed and checked (see ``docs/importing.md``).

    Validation context (``model_validate(..., context=...)``): ``keco``, ``regions`` and
    ``welfare`` are frozensets of allowed codes; a missing or ``None`` entry checks the format only.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    business_no: BusinessNo
    employer_name: Text
    industry_code: IndustryCode
    region_code: RegionCode
    keco_code: KecoCode
    title: Text
    duties: LongText
    requirements: LongText
    wage_type: WageType
    wage_amount: WonAmount
    weekly_hours: WeeklyHours
    employment_type: EmploymentType
    career: Career
    min_career_years: CareerRequirement = 0
    education: PostingEducation
    open_date: Date
    close_date: Date
    preferred: LongText = ""
    benefits: LongText = ""
    welfare_codes: WelfareCodes = ()
    headcount: Headcount = 1
    contact: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> PostingRow:
        if self.close_date < self.open_date:
            raise fields.invalid(
                f"close_date({self.close_date})가 open_date({self.open_date})보다 앞섭니다 (마감일 ≥ 게시일)"
            )
        hourly = float(labour.hourly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours))
        monthly = float(labour.monthly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours))
        problem = bounds.wage_problem(hourly, monthly)
        if problem is not None:
            raise fields.invalid(
                f"wage_amount {labour.WAGE_TYPE_LABELS[self.wage_type]} {self.wage_amount:,}원(주 {self.weekly_hours:g}시간)은 "
                f"{problem}. 임금 형태와 금액을 확인하세요"
            )
        return self

    @property
    def wage_monthly(self) -> int:
        """Monthly equivalent of the wage for the posted week (see :func:`monthly_wage_krw`)."""
        return monthly_wage_krw(self.wage_type, self.wage_amount, self.weekly_hours)


class SeekerRow(BaseModel):
    """One row of a seekers CSV, parsed and checked (see ``docs/importing.md``).

    Validation context: ``keco`` and ``regions`` as for :class:`PostingRow`.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    external_id: Text
    name: Text
    birth_date: BirthDate
    sex: Sex
    education: SeekerEducation
    region_code: RegionCode
    career_years: CareerYears
    desired_keco: KecoCode
    desired_wage: WonAmount
    registered_on: Date
    benefit_status: Flag
    disability: Flag
    rrn: Rrn = ""
    phone: Phone = ""
    email: Email = ""
    address: Text = ""
    last_keco: OptionalKecoCode = None
    certificates: Items = ()
    skills: Items = ()
    resume_text: LongText = ""
    cover_letter_text: LongText = ""
    riasec_r: RiasecScore = 3.0
    riasec_i: RiasecScore = 3.0
    riasec_a: RiasecScore = 3.0
    riasec_s: RiasecScore = 3.0
    riasec_e: RiasecScore = 3.0
    riasec_c: RiasecScore = 3.0

    @model_validator(mode="after")
    def _consistent(self) -> SeekerRow:
        if self.birth_date >= self.registered_on:
            # the birth date is personal data: the reason names the columns, not the values
            raise fields.invalid("birth_date가 registered_on보다 앞서야 합니다")
        age = self.age
        if not 15 <= age <= 99:
            raise fields.invalid(f"등록일 기준 나이가 {age}세입니다 (15~99세만 구직 등록 가능)")
        problem = bounds.monthly_wage_problem(self.desired_wage)
        if problem is not None:
            raise fields.invalid(f"desired_wage 월 {self.desired_wage:,}원은 {problem}. 금액 단위(원)를 확인하세요")
        if self.career_years > age - 15:
            raise fields.invalid(
                f"career_years({self.career_years:g})가 나이({age}세)−15 = {age - 15}년보다 큽니다"
            )
        if self.rrn:
            self._check_rrn_matches()
        return self

    def _check_rrn_matches(self) -> None:
        match = fields.RRN_RE.match(self.rrn)
        if match is None:  # cannot happen: the field validator checked the format
            return
        yy, mm, dd, gender = match.groups()
        century, sex = _RRN_GENDER_DIGIT[gender]
        try:
            rrn_birth = dt.date(century + int(yy), int(mm), int(dd))
        except ValueError:
            rrn_birth = None
        if rrn_birth != self.birth_date:
            raise fields.invalid("rrn의 생년월일 부분(앞 6자리와 성별 자리)이 birth_date와 맞지 않습니다")
        if sex != self.sex:
            raise fields.invalid("rrn의 성별 자리(뒤 첫 자리)가 sex와 맞지 않습니다")

    @property
    def age(self) -> int:
        """Completed years of age on the registration date."""
        return fields.age_on(self.birth_date, self.registered_on)
