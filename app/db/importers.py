"""CSV importers: load real job postings and job seekers in place of the synthetic world.

Two row formats are supported (full reference with examples: ``docs/importing.md``):

* **postings** — one job posting per row, with the hiring firm's business registration number;
  firms are matched on that number (created when new) and written to ``employers``.
* **seekers** — one registered job seeker per row; certificates go to ``seeker_certificates``.

Both importers work the same way:

1. **Validate everything first.** The file is streamed with the :mod:`csv` module in chunks of
   :data:`CHUNK_ROWS` rows and every row is parsed by a pydantic model (:class:`PostingRow`,
   :class:`SeekerRow`). Every problem is collected with its 1-based line number in the file (the
   header is line 1) and a Korean reason, together with file-level problems (empty file, not
   UTF-8, missing columns, duplicate ids).
2. **All or nothing.** If there is a single error, :class:`ImportValidationError` is raised with
   the whole list and nothing is written. Otherwise the file is read a second time and written in
   chunks inside **one** transaction, so a failure half-way rolls everything back.

Reading twice instead of keeping the parsed rows keeps memory flat for files with millions of rows;
a size/mtime check between the passes catches a file that changed in between.

Imported rows carry ``source="import"``. Below-minimum-wage postings are *not* rejected (judging a
posting is the verification service's job); they are reported in :attr:`ImportReport.warnings`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TextIO, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import labour
from app.db.orm import Employer, Posting, Seeker, SeekerCertificate

# --------------------------------------------------------------------------- constants

CHUNK_ROWS = 5_000
"""Rows validated and written per chunk (bounds memory; the transaction still spans the file)."""

REGION_CODES: frozenset[str] = frozenset(
    {"11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "45", "46", "47", "48", "50", "51"}
)
"""HRD-Net 2-digit 시도 codes (domain-facts §4.2); used when no reference table is available."""

WAGE_TYPES: tuple[str, ...] = labour.WAGE_TYPES
EMPLOYMENT_TYPES: tuple[str, ...] = ("정규직", "계약직", "시간제", "일용직")
CAREERS: tuple[str, ...] = ("신입", "경력무관", "경력")
POSTING_EDUCATION: tuple[str, ...] = ("무관", "고졸", "전문대졸", "대졸", "석사")
SEEKER_EDUCATION: tuple[str, ...] = ("중졸이하", "고졸", "전문대졸", "대졸", "석사")
SEXES: tuple[str, ...] = ("M", "F")

MIN_HOURLY_WAGE: Mapping[int, int] = MappingProxyType({2023: 9_620, 2024: 9_860, 2025: 10_030, 2026: 10_320})
"""Statutory minimum hourly wage by year (domain-facts §1.4). Later years use the latest value:
the minimum wage has never been lowered, so this can only under-warn, never over-warn."""

MAX_WEEKLY_HOURS = 68  # hard limit of the format: anything above is a data error, not a posting
# Above labour.MAX_WEEKLY_HOURS (52 = 40 h + 12 h overtime) we only warn: the file may still be right.

POSTING_COLUMNS_REQUIRED: tuple[str, ...] = (
    "business_no", "employer_name", "industry_code", "region_code", "keco_code", "title", "duties",
    "requirements", "wage_type", "wage_amount", "weekly_hours", "employment_type", "career",
    "education", "open_date", "close_date",
)  # fmt: skip
POSTING_COLUMNS_OPTIONAL: tuple[str, ...] = (
    "min_career_years", "preferred", "benefits", "welfare_codes", "headcount", "contact",
)  # fmt: skip
SEEKER_COLUMNS_REQUIRED: tuple[str, ...] = (
    "external_id", "name", "birth_date", "sex", "education", "region_code", "career_years",
    "desired_keco", "desired_wage", "registered_on", "benefit_status", "disability",
)  # fmt: skip
SEEKER_COLUMNS_OPTIONAL: tuple[str, ...] = (
    "rrn", "phone", "email", "address", "last_keco", "certificates", "skills", "resume_text",
    "cover_letter_text", "riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c",
)  # fmt: skip

_BUSINESS_NO_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_BUSINESS_NO_RE = re.compile(r"^(\d{3})-?(\d{2})-?(\d{5})$")
_KECO_RE = re.compile(r"^\d{3}$")
_REGION_RE = re.compile(r"^\d{2}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WELFARE_RE = re.compile(r"^W\d{2,3}$")
_RRN_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})-(\d)\d{6}$")
_PHONE_RE = re.compile(
    r"^(01[016789]-\d{3,4}-\d{4}|02-\d{3,4}-\d{4}|0[3-6]\d-\d{3,4}-\d{4}|070-\d{4}-\d{4}|1[568]\d{2}-\d{4})$"
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = frozenset({"true", "y", "1"})
_FALSE = frozenset({"false", "n", "0"})
# RRN 7th digit -> (century, sex). 5-8 are foreigner registration numbers (same layout).
_RRN_GENDER_DIGIT: Mapping[str, tuple[int, str]] = MappingProxyType(
    {"9": (1800, "M"), "0": (1800, "F"), "1": (1900, "M"), "2": (1900, "F"), "3": (2000, "M"),
     "4": (2000, "F"), "5": (1900, "M"), "6": (1900, "F"), "7": (2000, "M"), "8": (2000, "F")}
)  # fmt: skip

# Widths of the String columns in app/db/orm.py. PostgreSQL enforces them, so an over-long value
# must fail validation here rather than abort the write transaction half-way.
_MAX_LEN: Mapping[str, int] = MappingProxyType(
    {"employer_name": 100, "title": 200, "contact": 100, "welfare_codes": 200, "external_id": 40,
     "name": 40, "phone": 20, "email": 80, "address": 200}
)  # fmt: skip
_CERTIFICATE_ID_LEN = 8  # seeker_certificates.certificate_id is String(8)
_IN_CLAUSE_BATCH = 500  # keeps IN (...) lists below SQLite's bound-parameter limit


# --------------------------------------------------------------------------- public helpers


def monthly_equivalent(wage_type: str, amount: int, weekly_hours: float = labour.FULL_TIME_HOURS) -> int:
    """Convert a wage to its monthly equivalent in KRW (the ``wage_monthly`` column).

    Korean labour administration counts a month of full-time work as **209 paid hours**: 40 hours a
    week plus 8 hours of paid weekly rest (주휴수당, 근로기준법 55조) = 48 h, times 365/7/12 weeks
    a month ≈ 208.6, rounded to 209. The same convention gives the monthly minimum wage
    (10,030 원 × 209 = 2,096,270 원 in 2025). A day's pay covers 8 of those hours, so a daily
    wage is worth 209/8 = 26.125 days a month. At the default 40-hour week:

    * ``hourly``: amount × 209
    * ``daily``: amount × 209 / 8
    * ``monthly``: amount
    * ``annual``: amount / 12

    Other weeks scale the hourly and daily cases by the paid hours of that schedule
    (:func:`app.labour.paid_monthly_hours`: pro rata below 40 h, weekly rest only from 15 h,
    overtime × 1.5). This is the arithmetic the synthetic world uses for ``wage_monthly``, so
    imported and generated postings stay comparable (``app/ml`` derives the full-time wage from
    it). The arithmetic itself lives in :mod:`app.labour`; this wrapper validates the input and
    rounds to the nearest won, ties to even (the world generator rounds the same way).

    Args:
        wage_type: One of ``hourly``, ``daily``, ``monthly``, ``annual``.
        amount: Wage in KRW per ``wage_type`` unit; must be a positive integer.
        weekly_hours: Scheduled hours a week (> 0); only hourly and daily wages depend on it.

    Returns:
        Monthly equivalent in KRW.

    Raises:
        ValueError: Unknown ``wage_type``, a non-positive ``amount`` or ``weekly_hours``
            (message in Korean).
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"임금액은 0보다 큰 정수여야 합니다 (입력값: {amount!r})")
    if wage_type not in WAGE_TYPES:
        raise ValueError(f"임금 형태 '{wage_type}'는 허용되지 않습니다 ({', '.join(WAGE_TYPES)})")
    if not weekly_hours > 0:
        raise ValueError(f"주당 근로시간은 0보다 커야 합니다 (입력값: {weekly_hours!r})")
    return round(float(labour.monthly_equivalent(wage_type, amount, weekly_hours)))


def is_valid_business_no(value: str) -> bool:
    """Check a business registration number (사업자등록번호) including its check digit.

    The number has 10 digits, written ``XXX-XX-XXXXX`` (hyphens optional here). With digits
    d1…d10: ``s = Σ d_i·w_i`` for weights 1,3,7,1,3,7,1,3,5 over d1…d9, plus ``⌊d9·5/10⌋``; the
    number is valid when ``d10 == (10 − s mod 10) mod 10`` (domain-facts §6).

    Args:
        value: The number as text.

    Returns:
        True when the format and the check digit are right.
    """
    match = _BUSINESS_NO_RE.match(value.strip())
    if match is None:
        return False
    digits = [int(c) for c in "".join(match.groups())]
    total = sum(d * w for d, w in zip(digits[:9], _BUSINESS_NO_WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return digits[9] == (10 - total % 10) % 10


# --------------------------------------------------------------------------- results and errors


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote.

    Attributes:
        table: Main table written (``postings`` or ``seekers``).
        rows_written: Rows added to ``table`` (one per data row of the file).
        warnings: Korean, line-numbered notes about rows that were imported but deserve a look
            (e.g. a wage below the minimum wage, a certificate not in the reference table).
        related_rows: Rows added to other tables, e.g. ``{"employers": 3}``.
    """

    table: str
    rows_written: int
    warnings: tuple[str, ...] = ()
    related_rows: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


class ImportValidationError(ValueError):
    """The file has errors; nothing was written.

    Attributes:
        table: ``postings`` or ``seekers``.
        path: The file that was read.
        errors: Every problem found, one Korean message each, prefixed by its line number
            (``"3행: ..."``) when it belongs to a row.
    """

    def __init__(self, table: str, path: Path, errors: Sequence[str]) -> None:
        self.table = table
        self.path = path
        self.errors: tuple[str, ...] = tuple(errors)
        shown = "\n".join(self.errors[:20])
        more = f"\n… 외 {len(self.errors) - 20}건" if len(self.errors) > 20 else ""
        super().__init__(
            f"{path.name}: 오류 {len(self.errors)}건이 있어 아무것도 저장하지 않았습니다.\n{shown}{more}"
        )


# --------------------------------------------------------------------------- field parsers


def _invalid(message: str) -> PydanticCustomError:
    # One custom error type for everything we raise, so _korean_errors can tell ours apart.
    return PydanticCustomError("goyong_invalid", "{message}", {"message": message})


def _show(value: object, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_int(value: object, *, minimum: int | None = None, exclusive: bool = False) -> int:
    text = str(value).replace(",", "").strip()
    try:
        number = int(text)
    except ValueError:
        # Spreadsheets write whole numbers as "3.0"; accept those, reject real fractions.
        try:
            as_float = float(text)
        except ValueError:
            raise _invalid(f"값 '{_show(value)}'는 정수가 아닙니다") from None
        if not as_float.is_integer():
            raise _invalid(f"값 '{_show(value)}'는 정수가 아닙니다") from None
        number = int(as_float)
    if minimum is not None and (number <= minimum if exclusive else number < minimum):
        bound = f"{minimum:,}보다 커야" if exclusive else f"{minimum:,} 이상이어야"
        raise _invalid(f"값 '{_show(value)}'는 {bound} 합니다")
    return number


def _parse_float(value: object, *, low: float, high: float, low_exclusive: bool = False) -> float:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise _invalid(f"값 '{_show(value)}'는 숫자가 아닙니다") from None
    too_low = number <= low if low_exclusive else number < low
    if number != number or too_low or number > high:  # number != number catches NaN
        low_text = f"{low:g} 초과" if low_exclusive else f"{low:g} 이상"
        raise _invalid(f"값 '{_show(value)}'는 {low_text} {high:g} 이하여야 합니다")
    return number


def _parse_date(value: object) -> dt.date:
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise _invalid(f"값 '{_show(value)}'는 YYYY-MM-DD 형식의 날짜가 아닙니다")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _invalid(f"값 '{_show(value)}'는 없는 날짜입니다") from None


def _parse_choice(value: object, allowed: Sequence[str], *, upper: bool = False) -> str:
    text = str(value).strip()
    if upper:
        text = text.upper()
    if text not in allowed:
        raise _invalid(f"값 '{_show(value)}'는 허용되지 않습니다 ({', '.join(allowed)})")
    return text


def _parse_bool(value: object) -> bool:
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _invalid(f"값 '{_show(value)}'는 허용되지 않습니다 (true/false, Y/N, 1/0)")


def _split_list(value: object) -> tuple[str, ...]:
    """Split a ';'-separated cell, dropping blanks and repeats but keeping the order."""
    items = (part.strip() for part in str(value).split(";"))
    return tuple(dict.fromkeys(item for item in items if item))


def _context_codes(info: ValidationInfo, key: str) -> frozenset[str] | None:
    return (info.context or {}).get(key)


def _check_keco(value: object, info: ValidationInfo) -> str:
    text = str(value).strip()
    if not _KECO_RE.match(text):
        raise _invalid(f"값 '{_show(value)}'는 KECO 소분류 코드(숫자 3자리)가 아닙니다")
    known = _context_codes(info, "keco")
    if known is not None and text not in known:
        raise _invalid(f"값 '{_show(value)}'는 KECO 소분류 코드표에 없습니다")
    return text


def _check_region(value: object, info: ValidationInfo) -> str:
    text = str(value).strip()
    known = _context_codes(info, "regions")
    if not _REGION_RE.match(text) or (known is not None and text not in known):
        raise _invalid(f"값 '{_show(value)}'는 시도 코드표에 없습니다 (예: 11 서울, 26 부산, 41 경기)")
    return text


def _check_length(value: object, info: ValidationInfo) -> str:
    text = str(value).strip()
    limit = _MAX_LEN.get(info.field_name or "")
    if limit is not None and len(text) > limit:
        raise _invalid(f"값이 너무 깁니다 ({len(text)}자, 최대 {limit}자)")
    return text


def _age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age (만 나이) on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --------------------------------------------------------------------------- row models

WageType = Literal["hourly", "daily", "monthly", "annual"]
EmploymentType = Literal["정규직", "계약직", "시간제", "일용직"]
Career = Literal["신입", "경력무관", "경력"]
PostingEducation = Literal["무관", "고졸", "전문대졸", "대졸", "석사"]
SeekerEducation = Literal["중졸이하", "고졸", "전문대졸", "대졸", "석사"]
Sex = Literal["M", "F"]

_POSTING_CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"wage_type": WAGE_TYPES, "employment_type": EMPLOYMENT_TYPES, "career": CAREERS, "education": POSTING_EDUCATION}
)


class PostingRow(BaseModel):
    """One row of a postings CSV, parsed and checked (see ``docs/importing.md``).

    Validation context (``model_validate(..., context=...)``): ``keco``, ``regions`` and
    ``welfare`` are frozensets of allowed codes; a missing or ``None`` entry checks the format only.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    business_no: str
    employer_name: str
    industry_code: str
    region_code: str
    keco_code: str
    title: str
    duties: str
    requirements: str
    wage_type: WageType
    wage_amount: int
    weekly_hours: float
    employment_type: EmploymentType
    career: Career
    min_career_years: int = 0
    education: PostingEducation
    open_date: dt.date
    close_date: dt.date
    preferred: str = ""
    benefits: str = ""
    welfare_codes: tuple[str, ...] = ()
    headcount: int = 1
    contact: str = ""

    @field_validator("business_no", mode="before")
    @classmethod
    def _business_no(cls, value: object) -> str:
        text = str(value).strip()
        match = _BUSINESS_NO_RE.match(text)
        if match is None:
            raise _invalid(f"값 '{_show(value)}'는 사업자등록번호 형식(XXX-XX-XXXXX)이 아닙니다")
        if not is_valid_business_no(text):
            raise _invalid(f"값 '{_show(value)}'의 검증번호(마지막 자리)가 맞지 않습니다")
        return "-".join(match.groups())  # stored hyphenated whatever the input style

    @field_validator("employer_name", "title", "contact", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> str:
        return _check_length(value, info)

    @field_validator("industry_code", mode="before")
    @classmethod
    def _industry(cls, value: object) -> str:
        text = str(value).strip().upper()
        if len(text) != 1 or not "A" <= text <= "U":
            raise _invalid(f"값 '{_show(value)}'는 KSIC 대분류 코드(A~U 영문 한 글자)가 아닙니다")
        return text

    @field_validator("region_code", mode="before")
    @classmethod
    def _region(cls, value: object, info: ValidationInfo) -> str:
        return _check_region(value, info)

    @field_validator("keco_code", mode="before")
    @classmethod
    def _keco(cls, value: object, info: ValidationInfo) -> str:
        return _check_keco(value, info)

    @field_validator("wage_type", "employment_type", "career", "education", mode="before")
    @classmethod
    def _choice(cls, value: object, info: ValidationInfo) -> str:
        return _parse_choice(value, _POSTING_CHOICES[info.field_name or ""])

    @field_validator("wage_amount", mode="before")
    @classmethod
    def _wage(cls, value: object) -> int:
        return _parse_int(value, minimum=0, exclusive=True)

    @field_validator("weekly_hours", mode="before")
    @classmethod
    def _hours(cls, value: object) -> float:
        return _parse_float(value, low=0, high=MAX_WEEKLY_HOURS, low_exclusive=True)

    @field_validator("min_career_years", mode="before")
    @classmethod
    def _career_years(cls, value: object) -> int:
        return _parse_int(value, minimum=0)

    @field_validator("headcount", mode="before")
    @classmethod
    def _headcount(cls, value: object) -> int:
        return _parse_int(value, minimum=1)

    @field_validator("open_date", "close_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        return _parse_date(value)

    @field_validator("welfare_codes", mode="before")
    @classmethod
    def _welfare(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        codes = tuple(code.upper() for code in _split_list(value))
        bad = [code for code in codes if not _WELFARE_RE.match(code)]
        if bad:
            raise _invalid(f"값 '{_show(';'.join(bad))}'는 복리후생 코드(W01 형식)가 아닙니다")
        known = _context_codes(info, "welfare")
        unknown = [code for code in codes if known is not None and code not in known]
        if unknown:
            raise _invalid(f"값 '{_show(';'.join(unknown))}'는 복리후생 코드표에 없습니다")
        if len(";".join(codes)) > _MAX_LEN["welfare_codes"]:
            raise _invalid(f"값이 너무 깁니다 (최대 {_MAX_LEN['welfare_codes']}자)")
        return codes

    @model_validator(mode="after")
    def _dates_in_order(self) -> PostingRow:
        if self.close_date < self.open_date:
            raise _invalid(
                f"close_date({self.close_date})가 open_date({self.open_date})보다 앞섭니다 (마감일 ≥ 게시일)"
            )
        return self

    @property
    def wage_monthly(self) -> int:
        """Monthly equivalent of the wage for the posted week (see :func:`monthly_equivalent`)."""
        return monthly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours)


_SEEKER_CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType({"education": SEEKER_EDUCATION, "sex": SEXES})


class SeekerRow(BaseModel):
    """One row of a seekers CSV, parsed and checked (see ``docs/importing.md``).

    Validation context: ``keco`` and ``regions`` as for :class:`PostingRow`.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    external_id: str
    name: str
    birth_date: dt.date
    sex: Sex
    education: SeekerEducation
    region_code: str
    career_years: float
    desired_keco: str
    desired_wage: int
    registered_on: dt.date
    benefit_status: bool
    disability: bool
    rrn: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    last_keco: str | None = None
    certificates: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    resume_text: str = ""
    cover_letter_text: str = ""
    riasec_r: float = 3.0
    riasec_i: float = 3.0
    riasec_a: float = 3.0
    riasec_s: float = 3.0
    riasec_e: float = 3.0
    riasec_c: float = 3.0

    @field_validator("external_id", "name", "address", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> str:
        return _check_length(value, info)

    @field_validator("birth_date", "registered_on", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        return _parse_date(value)

    @field_validator("sex", "education", mode="before")
    @classmethod
    def _choice(cls, value: object, info: ValidationInfo) -> str:
        name = info.field_name or ""
        return _parse_choice(value, _SEEKER_CHOICES[name], upper=name == "sex")

    @field_validator("region_code", mode="before")
    @classmethod
    def _region(cls, value: object, info: ValidationInfo) -> str:
        return _check_region(value, info)

    @field_validator("desired_keco", "last_keco", mode="before")
    @classmethod
    def _keco(cls, value: object, info: ValidationInfo) -> str:
        return _check_keco(value, info)

    @field_validator("career_years", mode="before")
    @classmethod
    def _career(cls, value: object) -> float:
        return _parse_float(value, low=0, high=90)

    @field_validator("desired_wage", mode="before")
    @classmethod
    def _wage(cls, value: object) -> int:
        return _parse_int(value, minimum=0, exclusive=True)

    @field_validator("benefit_status", "disability", mode="before")
    @classmethod
    def _bool(cls, value: object) -> bool:
        return _parse_bool(value)

    @field_validator("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c", mode="before")
    @classmethod
    def _riasec(cls, value: object) -> float:
        return _parse_float(value, low=1, high=5)

    @field_validator("rrn", mode="before")
    @classmethod
    def _rrn(cls, value: object) -> str:
        text = str(value).strip()
        if not _RRN_RE.match(text):
            raise _invalid("형식이 YYMMDD-GNNNNNN(숫자 13자리, 가운데 하이픈)이 아닙니다")
        return text

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str:
        text = str(value).strip()
        if not _PHONE_RE.match(text):
            # The value is personal data: the line number locates it without echoing it.
            raise _invalid("값이 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)")
        return text

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object, info: ValidationInfo) -> str:
        text = _check_length(value, info)
        if not _EMAIL_RE.match(text):
            raise _invalid("값이 이메일 주소 형식이 아닙니다 (예: name@example.com)")
        return text

    @field_validator("certificates", "skills", mode="before")
    @classmethod
    def _list(cls, value: object) -> tuple[str, ...]:
        return _split_list(value)

    @model_validator(mode="after")
    def _consistent(self) -> SeekerRow:
        if self.birth_date >= self.registered_on:
            raise _invalid(f"birth_date({self.birth_date})가 registered_on({self.registered_on})보다 앞서야 합니다")
        age = self.age
        if not 15 <= age <= 99:
            raise _invalid(f"등록일 기준 나이가 {age}세입니다 (15~99세만 구직 등록 가능)")
        if self.career_years > age - 15:
            raise _invalid(
                f"career_years({self.career_years:g})가 나이({age}세)−15 = {age - 15}년보다 큽니다"
            )
        if self.rrn:
            self._check_rrn_matches()
        return self

    def _check_rrn_matches(self) -> None:
        match = _RRN_RE.match(self.rrn)
        if match is None:  # cannot happen: the field validator checked the format
            return
        yy, mm, dd, gender = match.groups()
        century, sex = _RRN_GENDER_DIGIT[gender]
        try:
            rrn_birth = dt.date(century + int(yy), int(mm), int(dd))
        except ValueError:
            rrn_birth = None
        if rrn_birth != self.birth_date:
            raise _invalid(
                f"rrn의 생년월일 부분({yy}{mm}{dd}, 성별 자리 {gender})이 birth_date({self.birth_date})와 맞지 않습니다"
            )
        if sex != self.sex:
            raise _invalid(f"rrn의 성별 자리({gender})가 sex '{self.sex}'와 맞지 않습니다")

    @property
    def age(self) -> int:
        """Completed years of age on the registration date."""
        return _age_on(self.birth_date, self.registered_on)


RowT = TypeVar("RowT", bound=BaseModel)
T = TypeVar("T")


# --------------------------------------------------------------------------- CSV reading


class _FileProblem(Exception):
    """A problem that stops reading the file (encoding, CSV syntax); the message is Korean."""


_NOT_UTF8 = (
    "파일이 UTF-8 인코딩이 아닙니다 (EUC-KR/CP949로 저장된 것 같습니다). "
    "엑셀에서는 'CSV UTF-8(쉼표로 분리)' 형식으로 다시 저장하세요."
)


def _records(handle: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line number, fields)`` for each non-blank CSV record.

    A quoted field may span several physical lines; the number reported is the line where the
    record starts, which is what a user sees in a text editor.
    """
    reader = csv.reader(handle)
    last_line = 0
    try:
        for values in reader:
            start, last_line = last_line + 1, reader.line_num
            if not values or all(not value.strip() for value in values):
                continue  # blank lines and spreadsheet padding rows like ",,,,"
            yield start, values
    except UnicodeDecodeError:
        raise _FileProblem(_NOT_UTF8) from None
    except csv.Error as exc:
        raise _FileProblem(f"{last_line + 1}행: CSV 형식이 잘못되었습니다 ({exc})") from None


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check_header(
    line: int,
    header: list[str],
    required: Sequence[str],
    optional: Sequence[str],
    errors: list[str],
    warnings: list[str],
) -> list[str]:
    """Normalise header names and report missing, repeated and unknown columns."""
    names = [name.strip().lower() for name in header]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            errors.append(f"{line}행: 열 이름 '{name}'가 두 번 나옵니다")
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        hint = ""
        if len(names) == 1 and (";" in header[0] or "\t" in header[0]):
            hint = " (쉼표가 아니라 세미콜론이나 탭으로 구분된 파일 같습니다)"
        errors.append(f"{line}행: 필수 열이 없습니다: {', '.join(missing)}{hint}")
    unknown = [name for name in names if name and name not in required and name not in optional]
    if unknown:
        warnings.append(f"{line}행: 알 수 없는 열을 무시했습니다: {', '.join(unknown)}")
    return names


def _korean_errors(line: int, exc: ValidationError) -> list[str]:
    """Turn a pydantic ValidationError into ``"N행: field message"`` lines."""
    messages = []
    for error in exc.errors(include_url=False):
        messages.append(f"{line}행: {_korean_message(error)}")
    return messages


def _korean_message(error: ErrorDetails) -> str:
    field_name = ".".join(str(part) for part in error["loc"])
    prefix = f"{field_name} " if field_name else ""
    if error["type"] == "goyong_invalid":
        return f"{prefix}{error['msg']}"
    if error["type"] == "missing":
        return f"{field_name} 값이 비어 있습니다 (필수 항목)"
    # Only reachable if a field lacks one of our before-validators; keep pydantic's reason visible.
    return f"{prefix}값 '{_show(error.get('input'))}'가 올바르지 않습니다 ({error['msg']})"


@dataclass(frozen=True)
class _Scan:
    rows: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    stamp: tuple[int, int]


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _iter_rows(
    path: Path,
    model: type[RowT],
    required: Sequence[str],
    optional: Sequence[str],
    context: Mapping[str, Any],
    errors: list[str],
    warnings: list[str],
) -> Iterator[list[tuple[int, RowT]]]:
    """Stream the file in chunks of parsed rows; append row and file problems to ``errors``.

    Rows that fail validation are reported and left out of the chunk. Raises _FileProblem for
    problems that stop reading (the caller reports them).
    """
    columns = set(required) | set(optional)
    # utf-8-sig strips a byte-order mark if there is one (Excel writes it) and reads plain UTF-8 too.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = _records(handle)
        first = next(records, None)
        if first is None:
            errors.append("파일이 비어 있습니다: 첫 행에 열 이름(머리행)이 있어야 합니다")
            return
        header_errors: list[str] = []
        names = _check_header(first[0], first[1], required, optional, header_errors, warnings)
        if header_errors:
            errors.extend(header_errors)
            return  # every row would fail the same way; one message is more useful
        width = len(names)
        for chunk in _batched(records, CHUNK_ROWS):
            parsed: list[tuple[int, RowT]] = []
            for line, values in chunk:
                if len(values) != width:
                    errors.append(f"{line}행: 값이 {len(values)}개입니다 (머리행의 열은 {width}개)")
                    continue
                # Empty cells are left out so optional fields take their defaults and required
                # fields report "비어 있습니다" instead of a type error on "".
                data = {
                    name: value.strip()
                    for name, value in zip(names, values, strict=True)
                    if name in columns and value.strip()
                }
                try:
                    parsed.append((line, model.model_validate(data, context=dict(context))))
                except ValidationError as exc:
                    errors.extend(_korean_errors(line, exc))
            yield parsed


def _scan(
    path: Path,
    model: type[RowT],
    required: Sequence[str],
    optional: Sequence[str],
    context: Mapping[str, Any],
    observe: Callable[[int, RowT, list[str], list[str]], None],
) -> _Scan:
    """Validation pass: parse every row, run cross-row checks, collect all problems."""
    errors: list[str] = []
    warnings: list[str] = []
    rows = 0
    try:
        stamp = _stamp(path)
        for chunk in _iter_rows(path, model, required, optional, context, errors, warnings):
            for line, row in chunk:
                observe(line, row, errors, warnings)
                rows += 1
    except _FileProblem as problem:
        errors.append(str(problem))
        stamp = (0, 0)
    except IsADirectoryError:
        return _Scan(0, (f"파일이 아니라 폴더입니다: {path}",), (), (0, 0))
    except FileNotFoundError:
        return _Scan(0, (f"파일을 찾을 수 없습니다: {path}",), (), (0, 0))
    except OSError as exc:
        return _Scan(0, (f"파일을 읽을 수 없습니다: {path} ({exc.strerror})",), (), (0, 0))
    if rows == 0 and not errors:
        errors.append("데이터 행이 없습니다: 머리행 아래에 한 행 이상 있어야 합니다")
    # Cross-row checks run after a chunk is parsed, so put messages back in file order.
    return _Scan(rows, tuple(sorted(errors, key=_line_of)), tuple(sorted(warnings, key=_line_of)), stamp)


_LINE_PREFIX_RE = re.compile(r"^(\d+)행: ")


def _line_of(message: str) -> int:
    """Line number a message starts with (0 for file-level messages, which then sort first)."""
    match = _LINE_PREFIX_RE.match(message)
    return int(match.group(1)) if match else 0


def _valid_chunks(
    path: Path,
    model: type[RowT],
    required: Sequence[str],
    optional: Sequence[str],
    context: Mapping[str, Any],
    scan: _Scan,
    table: str,
) -> Iterator[list[tuple[int, RowT]]]:
    """Write pass: the same rows again, failing if the file is no longer what was validated."""
    changed = ImportValidationError(table, path, ["파일이 검사 도중에 바뀌었습니다. 다시 가져오세요."])
    try:
        if _stamp(path) != scan.stamp:
            raise changed
        errors: list[str] = []
        rows = 0
        for chunk in _iter_rows(path, model, required, optional, context, errors, []):
            if errors:
                raise changed
            rows += len(chunk)
            yield chunk
        if errors or rows != scan.rows:
            raise changed
    except (_FileProblem, OSError):
        raise changed from None


# --------------------------------------------------------------------------- reference codes


@dataclass(frozen=True)
class _Codes:
    keco: frozenset[str] | None
    regions: frozenset[str]
    welfare: frozenset[str] | None
    certificates: Mapping[str, str] | None
    notes: tuple[str, ...]


def _load_reference() -> Any | None:
    """The reference tables of ``app.world.reference``, or None while that module does not exist."""
    try:
        module = importlib.import_module("app.world.reference")
    except ModuleNotFoundError as exc:
        if exc.name != "app.world.reference":
            raise  # the module exists but one of its own imports is broken: say so
        return None
    return module.load_reference()


def _table(reference: Any, name: str) -> Any | None:
    if isinstance(reference, Mapping):
        return reference.get(name)
    return getattr(reference, name, None)


def _resolve_codes(
    known_keco: set[str] | None,
    known_regions: set[str] | None,
    known_certificates: Mapping[str, str] | None = None,
    *,
    need_certificates: bool = False,
) -> _Codes:
    """Pick the code lists to validate against: the caller's, else the reference tables, else built-ins."""
    reference = None
    if known_keco is None or known_regions is None or (need_certificates and known_certificates is None):
        reference = _load_reference()
    notes: list[str] = []

    keco = frozenset(known_keco) if known_keco is not None else None
    if keco is None and reference is not None:
        occupations = _table(reference, "occupations")
        if occupations is not None:
            # zfill: a loader that read the CSV without dtype=str turns "011" into 11.
            keco = frozenset(str(code).strip().zfill(3) for code in occupations["keco_code"])
    if keco is None:
        notes.append("KECO 참조표(app/world/reference.py)를 찾지 못해 KECO 코드는 형식(숫자 3자리)만 검사했습니다")

    regions = frozenset(known_regions) if known_regions is not None else None
    if regions is None and reference is not None:
        table = _table(reference, "regions")
        if table is not None:
            regions = frozenset(str(code).strip().zfill(2) for code in table["code"])
    if regions is None:
        regions = REGION_CODES

    welfare = None
    if reference is not None and (items := _table(reference, "welfare_items")) is not None:
        welfare = frozenset(str(code).strip().upper() for code in items["code"])

    certificates = MappingProxyType(dict(known_certificates)) if known_certificates is not None else None
    if certificates is None and need_certificates and reference is not None:
        table = _table(reference, "certificates")
        if table is not None and {"certificate_id", "name"} <= set(table.columns):
            certificates = MappingProxyType(
                {str(name).strip(): str(cid).strip() for name, cid in zip(table["name"], table["certificate_id"])}
            )
    return _Codes(keco, regions, welfare, certificates, tuple(notes))


# --------------------------------------------------------------------------- postings


@dataclass
class _EmployerSeen:
    name: str
    industry_code: str
    region_code: str
    first_line: int
    first_open: dt.date


def _minimum_wage_warning(line: int, row: PostingRow) -> str | None:
    """Screen for a wage below the minimum wage of the posting's year (the import still proceeds).

    Uses :func:`app.labour.hourly_equivalent` (monthly equivalent over the paid hours of the posted
    week), the shared figure for minimum-wage checks, so this warning and a later verification agree.
    """
    year = row.open_date.year
    if year < min(MIN_HOURLY_WAGE):
        return None
    minimum = MIN_HOURLY_WAGE.get(year, MIN_HOURLY_WAGE[max(MIN_HOURLY_WAGE)])
    hourly = float(labour.hourly_equivalent(row.wage_type, row.wage_amount, row.weekly_hours))
    if hourly >= minimum:
        return None
    return (
        f"{line}행: 임금이 {year}년 최저임금보다 낮습니다 (시간당 약 {int(hourly):,}원 < {minimum:,}원). "
        "가져오기는 했지만 공고 검증에서 걸러집니다"
    )


def _posting_body(row: PostingRow, conditions: str) -> str:
    """The full text shown to seekers: the posting's sections under Korean headings."""
    sections = (
        ("담당 업무", row.duties),
        ("자격 요건", row.requirements),
        ("우대 사항", row.preferred),
        ("근무 조건", conditions),
        ("복리후생", row.benefits),
    )
    return "\n\n".join(f"[{heading}]\n{text}" for heading, text in sections if text)


def _posting_values(row: PostingRow, employer_id: int) -> dict[str, Any]:
    conditions = (
        f"{labour.WAGE_TYPE_LABELS[row.wage_type]} {row.wage_amount:,}원, 주 {row.weekly_hours:g}시간, {row.employment_type}"
    )
    return {
        "employer_id": employer_id,
        "keco_code": row.keco_code,
        "region_code": row.region_code,
        "title": row.title,
        "company_intro": "",
        "duties": row.duties,
        "requirements": row.requirements,
        "preferred": row.preferred,
        "conditions": conditions,
        "benefits": row.benefits,
        "process": "",
        "documents": "",
        "body": _posting_body(row, conditions),
        "wage_type": row.wage_type,
        "wage_amount": row.wage_amount,
        "wage_monthly": row.wage_monthly,
        "weekly_hours": row.weekly_hours,
        "employment_type": row.employment_type,
        "career": row.career,
        "min_career_years": row.min_career_years,
        "education": row.education,
        "welfare_codes": ";".join(row.welfare_codes),
        "headcount": row.headcount,
        "contact": row.contact,
        "open_date": row.open_date,
        "close_date": row.close_date,
        "year": row.open_date.year,
        "source": "import",
    }


def _ensure_employers(
    session: Session, seen: Mapping[str, _EmployerSeen], warnings: list[str]
) -> tuple[dict[str, int], int]:
    """Map every business number to an employer id, creating the employers that are new."""
    ids: dict[str, int] = {}
    numbers = list(seen)  # first-seen order, so new employers get ids in file order
    for start in range(0, len(numbers), _IN_CLAUSE_BATCH):
        batch = numbers[start : start + _IN_CLAUSE_BATCH]
        stmt = (
            select(Employer.business_no, Employer.id, Employer.name)
            .where(Employer.business_no.in_(batch))
            .order_by(Employer.id)
        )
        for business_no, employer_id, name in session.execute(stmt):
            if business_no in ids:
                continue  # the schema does not make business_no unique; the oldest row wins
            ids[business_no] = employer_id
            wanted = seen[business_no]
            if name != wanted.name:
                warnings.append(
                    f"{wanted.first_line}행: 사업자등록번호 {business_no}는 이미 '{name}'(으)로 등록되어 있어 "
                    f"그 기업에 연결했습니다 (파일의 이름 '{wanted.name}'는 쓰지 않음)"
                )
    new = [number for number in numbers if number not in ids]
    if new:
        values = [
            {
                "name": seen[number].name,
                "business_no": number,
                "industry_code": seen[number].industry_code,
                # Not in the posting format: size and headcount are unknown ("" and 0), contact
                # data stays empty rather than guessed from the posting's contact line.
                "size_code": "",
                "workers": 0,
                "region_code": seen[number].region_code,
                "address": "",
                "phone": "",
                "created_on": seen[number].first_open,
            }
            for number in new
        ]
        stmt = insert(Employer).returning(Employer.id, sort_by_parameter_order=True)
        for number, employer_id in zip(new, session.scalars(stmt, values).all(), strict=True):
            ids[number] = employer_id
    return ids, len(new)


def import_postings(
    engine: Engine,
    path: str | Path,
    *,
    known_keco: set[str] | None = None,
    known_regions: set[str] | None = None,
) -> ImportReport:
    """Import job postings from a CSV file into ``postings`` (and new firms into ``employers``).

    The whole file is validated before anything is written; then all rows are written in one
    transaction. Format: ``docs/importing.md``.

    Args:
        engine: Database with the product schema (``create_schema``).
        path: UTF-8 CSV file (a byte-order mark is fine), header row first.
        known_keco: Allowed KECO 소분류 codes; ``None`` reads them from ``app.world.reference``
            when it exists, else only the 3-digit format is checked (and a warning says so).
        known_regions: Allowed 시도 codes; ``None`` reads the reference table, else uses
            :data:`REGION_CODES`.

    Returns:
        What was written, with warnings (below-minimum-wage postings, > 52 h weeks, repeats).

    Raises:
        ImportValidationError: Any row or file problem; the database is unchanged.
    """
    path = Path(path)
    codes = _resolve_codes(known_keco, known_regions)
    context = {"keco": codes.keco, "regions": codes.regions, "welfare": codes.welfare}
    employers: dict[str, _EmployerSeen] = {}
    postings_seen: dict[tuple[str, str, dt.date], int] = {}
    old_postings = 0

    def observe(line: int, row: PostingRow, errors: list[str], warnings: list[str]) -> None:
        nonlocal old_postings
        known = employers.get(row.business_no)
        if known is None:
            employers[row.business_no] = _EmployerSeen(
                row.employer_name, row.industry_code, row.region_code, line, row.open_date
            )
        else:
            if row.employer_name != known.name:
                errors.append(
                    f"{line}행: business_no '{row.business_no}'의 employer_name '{_show(row.employer_name)}'가 "
                    f"{known.first_line}행의 '{_show(known.name)}'와 다릅니다 (한 사업자등록번호에는 한 기업명)"
                )
            if row.industry_code != known.industry_code:
                warnings.append(
                    f"{line}행: 같은 기업의 industry_code가 {known.first_line}행('{known.industry_code}')과 달라 "
                    f"처음 값 '{known.industry_code}'를 씁니다"
                )
            known.first_open = min(known.first_open, row.open_date)
        key = (row.business_no, row.title, row.open_date)
        if key in postings_seen:
            warnings.append(f"{line}행: {postings_seen[key]}행과 기업·제목·게시일이 같은 공고입니다 (중복 여부 확인)")
        else:
            postings_seen[key] = line
        if row.open_date.year < min(MIN_HOURLY_WAGE):
            old_postings += 1
        elif (message := _minimum_wage_warning(line, row)) is not None:
            warnings.append(message)
        if row.weekly_hours > labour.MAX_WEEKLY_HOURS:
            warnings.append(
                f"{line}행: 주 {row.weekly_hours:g}시간은 법정 상한 주 {labour.MAX_WEEKLY_HOURS:g}시간을 넘습니다"
            )

    scan = _scan(path, PostingRow, POSTING_COLUMNS_REQUIRED, POSTING_COLUMNS_OPTIONAL, context, observe)
    if scan.errors:
        raise ImportValidationError("postings", path, scan.errors)
    postings_seen.clear()  # only needed for the repeat warnings; free it before the write pass
    warnings = [*codes.notes, *scan.warnings]
    if old_postings:
        warnings.append(
            f"{min(MIN_HOURLY_WAGE)}년 이전 공고 {old_postings}건은 최저임금 비교를 하지 않았습니다 "
            f"(기준표: {min(MIN_HOURLY_WAGE)}~{max(MIN_HOURLY_WAGE)}년)"
        )

    written = 0
    with Session(engine) as session, session.begin():
        employer_ids, created = _ensure_employers(session, employers, warnings)
        chunks = _valid_chunks(
            path, PostingRow, POSTING_COLUMNS_REQUIRED, POSTING_COLUMNS_OPTIONAL, context, scan, "postings"
        )
        for chunk in chunks:
            values = [_posting_values(row, employer_ids[row.business_no]) for _, row in chunk]
            session.execute(insert(Posting), values)
            written += len(values)
    return ImportReport(
        table="postings",
        rows_written=written,
        warnings=tuple(warnings),
        related_rows=MappingProxyType({"employers": created}),
    )


# --------------------------------------------------------------------------- seekers


def _seeker_values(row: SeekerRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "rrn": row.rrn,
        "phone": row.phone,
        "email": row.email,
        "address": row.address,
        "birth_date": row.birth_date,
        "age": row.age,
        "sex": row.sex,
        "disability": row.disability,
        "education": row.education,
        "major": "",
        "region_code": row.region_code,
        "career_years": row.career_years,
        "last_keco": row.last_keco,
        "desired_keco": row.desired_keco,
        "desired_wage": row.desired_wage,
        # The format has no desired-region column: seekers are assumed to look where they live.
        "desired_region_code": row.region_code,
        "region_flexible": False,
        "skills": ";".join(row.skills),
        "riasec_r": row.riasec_r,
        "riasec_i": row.riasec_i,
        "riasec_a": row.riasec_a,
        "riasec_s": row.riasec_s,
        "riasec_e": row.riasec_e,
        "riasec_c": row.riasec_c,
        "benefit_status": row.benefit_status,
        "registered_on": row.registered_on,
        "resume_text": row.resume_text,
        "cover_letter_text": row.cover_letter_text,
        "source": "import",
    }


def _certificate_ids(names: Sequence[str], mapping: Mapping[str, str] | None) -> tuple[list[str], list[str]]:
    """Resolve certificate names to ids; returns (ids, names that could not be stored)."""
    ids: list[str] = []
    dropped: list[str] = []
    known_ids = frozenset(mapping.values()) if mapping is not None else frozenset()
    for name in names:
        if mapping is not None:
            cid = mapping.get(name) or (name if name in known_ids else None)
        else:
            # No reference table: the cell must already hold ids that fit the column.
            cid = name if len(name) <= _CERTIFICATE_ID_LEN else None
        if cid is None:
            dropped.append(name)
        elif cid not in ids:
            ids.append(cid)
    return ids, dropped


def import_seekers(
    engine: Engine,
    path: str | Path,
    *,
    known_keco: set[str] | None = None,
    known_regions: set[str] | None = None,
    known_certificates: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import registered job seekers from a CSV file into ``seekers`` and ``seeker_certificates``.

    The whole file is validated before anything is written; then all rows are written in one
    transaction. Format: ``docs/importing.md``. The file's ``external_id`` must be unique within
    the file; the ``seekers`` table has no column for it, so it is not stored.

    Args:
        engine: Database with the product schema (``create_schema``).
        path: UTF-8 CSV file (a byte-order mark is fine), header row first.
        known_keco: Allowed KECO 소분류 codes (``desired_keco``, ``last_keco``); ``None`` reads
            ``app.world.reference`` when it exists, else only the 3-digit format is checked.
        known_regions: Allowed 시도 codes; ``None`` reads the reference table, else
            :data:`REGION_CODES`.
        known_certificates: Certificate name → ``certificate_id``; ``None`` reads the reference
            ``certificates`` table when it has ``name`` and ``certificate_id`` columns, else the
            cell's entries are stored as ids when they fit (≤ 8 characters). Entries that cannot
            be resolved are skipped with a warning, not rejected.

    Returns:
        What was written, with warnings (skipped certificates, RRNs present).

    Raises:
        ImportValidationError: Any row or file problem; the database is unchanged.
    """
    path = Path(path)
    codes = _resolve_codes(known_keco, known_regions, known_certificates, need_certificates=True)
    context = {"keco": codes.keco, "regions": codes.regions}
    first_line_of: dict[str, int] = {}
    rrn_rows = 0

    def observe(line: int, row: SeekerRow, errors: list[str], warnings: list[str]) -> None:
        nonlocal rrn_rows
        if row.external_id in first_line_of:
            errors.append(
                f"{line}행: external_id '{_show(row.external_id)}'가 {first_line_of[row.external_id]}행과 중복됩니다"
            )
        else:
            first_line_of[row.external_id] = line
        _, dropped = _certificate_ids(row.certificates, codes.certificates)
        if dropped:
            reason = "자격증 참조표에 없어" if codes.certificates is not None else f"{_CERTIFICATE_ID_LEN}자를 넘는 코드라"
            warnings.append(f"{line}행: 자격증 {', '.join(repr(n) for n in dropped)}은(는) {reason} 저장하지 않았습니다")
        rrn_rows += bool(row.rrn)

    scan = _scan(path, SeekerRow, SEEKER_COLUMNS_REQUIRED, SEEKER_COLUMNS_OPTIONAL, context, observe)
    if scan.errors:
        raise ImportValidationError("seekers", path, scan.errors)
    first_line_of.clear()
    warnings = [*codes.notes, *scan.warnings]
    if rrn_rows:
        warnings.append(
            f"주민등록번호(rrn)가 {rrn_rows}개 행에 있습니다. 법령 근거 없이 처리할 수 없는 정보입니다 "
            "(개인정보보호법 제24조의2): 꼭 필요한 경우가 아니면 rrn 열을 빼고 가져오세요"
        )

    written = certificates = 0
    with Session(engine) as session, session.begin():
        chunks = _valid_chunks(
            path, SeekerRow, SEEKER_COLUMNS_REQUIRED, SEEKER_COLUMNS_OPTIONAL, context, scan, "seekers"
        )
        for chunk in chunks:
            stmt = insert(Seeker).returning(Seeker.id, sort_by_parameter_order=True)
            seeker_ids = session.scalars(stmt, [_seeker_values(row) for _, row in chunk]).all()
            links = [
                {"seeker_id": seeker_id, "certificate_id": cid}
                for seeker_id, (_, row) in zip(seeker_ids, chunk, strict=True)
                for cid in _certificate_ids(row.certificates, codes.certificates)[0]
            ]
            if links:
                session.execute(insert(SeekerCertificate), links)
            written += len(seeker_ids)
            certificates += len(links)
    return ImportReport(
        table="seekers",
        rows_written=written,
        warnings=tuple(warnings),
        related_rows=MappingProxyType({"seeker_certificates": certificates}),
    )


# --------------------------------------------------------------------------- command line

_IMPORTERS: Mapping[str, Callable[..., ImportReport]] = MappingProxyType(
    {"postings": import_postings, "seekers": import_seekers}
)
_MAX_WARNINGS_PRINTED = 50  # a large file can warn on thousands of rows; the count is always shown


def main_import(argv: list[str] | None = None) -> int:
    """Command line: ``python -m app import {postings,seekers} --input FILE [--db-url URL]``.

    Creates missing tables first (idempotent), then imports. Errors go to stderr one per line,
    the summary and warnings to stdout.

    Args:
        argv: Arguments after ``import`` (a leading ``"import"`` is tolerated); ``None`` means
            ``sys.argv[1:]``.

    Returns:
        0 on success, 2 on invalid input or usage (nothing written), 1 on a database failure.
    """
    # Imported here so that importing this module never touches settings or the database.
    from app.db.engine import make_engine
    from app.db.orm import create_schema

    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["import"]:
        args_in = args_in[1:]
    parser = argparse.ArgumentParser(
        prog="python -m app import", description="CSV 파일의 구인공고 또는 구직자를 데이터베이스로 가져옵니다."
    )
    parser.add_argument("kind", choices=sorted(_IMPORTERS), help="가져올 자료 종류")
    parser.add_argument("--input", required=True, type=Path, help="UTF-8 CSV 파일 (docs/importing.md 형식)")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL (기본값: 설정의 GOYONG_DB_URL)")
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exit_:  # argparse exits on bad usage; a function should return instead
        return int(exit_.code or 0)

    engine = make_engine(args.db_url)
    try:
        create_schema(engine)
        report = _IMPORTERS[args.kind](engine, args.input)
    except ImportValidationError as exc:
        for message in exc.errors:
            print(message, file=sys.stderr)
        print(f"오류 {len(exc.errors)}건: 아무것도 저장하지 않았습니다 ({args.input})", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"데이터베이스 오류로 아무것도 저장하지 않았습니다: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()

    related = ", ".join(f"{table} {count}건" for table, count in report.related_rows.items())
    print(f"{report.table}: {report.rows_written}건을 가져왔습니다" + (f" (함께 추가: {related})" if related else ""))
    if report.warnings:
        print(f"경고 {len(report.warnings)}건:")
        for message in report.warnings[:_MAX_WARNINGS_PRINTED]:
            print(f"  - {message}")
        if len(report.warnings) > _MAX_WARNINGS_PRINTED:
            print(f"  … 외 {len(report.warnings) - _MAX_WARNINGS_PRINTED}건")
    return 0
