"""Cell types of the row models: one CSV cell in, a clean value or a Korean reason out.

Each parser below is also offered as an annotated type (``RegionCode``, ``Text``, ``WonAmount``
…, at the end of this module) so that a row model declares a column with one line. Every parser
raises the one pydantic error type :data:`INVALID` with a Korean message, so the passes
(:mod:`app.db.importers.passes`) can tell our reasons from pydantic's own and prefix them with
the line number and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import InstrumentedAttribute

from app import bounds
from app.db.orm import Employer, Posting, Seeker, SeekerCertificate
from app.reference.identifiers import business_no_is_valid

INVALID = "goyong_invalid"
"""Error type of every reason raised here."""

# re.ASCII: "\d" would also match full-width and other Unicode digits, which the check-digit
# test (app.reference.identifiers) rightly rejects; they are a format error, not a wrong check digit.
_BUSINESS_NO_RE = re.compile(r"^(\d{3})-?(\d{2})-?(\d{5})$", re.ASCII)
_KECO_RE = re.compile(r"^\d{3}$")
_REGION_RE = re.compile(r"^\d{2}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WELFARE_RE = re.compile(r"^W\d{2,3}$")
RRN_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})-(\d)\d{6}$")
PHONE_RE = re.compile(
    r"^(01[016789]-\d{3,4}-\d{4}|02-\d{3,4}-\d{4}|0[3-6]\d-\d{3,4}-\d{4}|070-\d{4}-\d{4}|1[568]\d{2}-\d{4})$"
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = frozenset({"true", "y", "1"})
_FALSE = frozenset({"false", "n", "0"})


def _width(column: InstrumentedAttribute[str]) -> int:
    return int(column.type.length)


# Text limits are the String widths in app/db/orm.py: PostgreSQL enforces them, so an over-long
# value must fail validation here rather than abort the write transaction half-way.
MAX_LEN: Mapping[str, int] = MappingProxyType(
    {
        "employer_name": _width(Employer.name),
        "title": _width(Posting.title),
        "contact": _width(Posting.contact),
        "welfare_codes": _width(Posting.welfare_codes),
        "external_id": 40,  # not stored (seekers has no column for it); a sane bound for an id
        "name": _width(Seeker.name),
        "phone": _width(Seeker.phone),
        "email": _width(Seeker.email),
        "address": _width(Seeker.address),
    }
)
CERTIFICATE_ID_LEN = _width(SeekerCertificate.certificate_id)


def invalid(message: str) -> PydanticCustomError:
    """The error to raise from a validator: type :data:`INVALID`, the Korean ``message`` as is."""
    return PydanticCustomError(INVALID, "{message}", {"message": message})


def show(value: object, limit: int = 30) -> str:
    """``value`` as text for a message, cut to ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_int(
    value: object, *, minimum: int | None = None, exclusive: bool = False, maximum: int | None = None
) -> int:
    """An integer cell: ``2500000``, ``2,500,000`` or spreadsheet style ``3.0``, within bounds.

    ``1e15`` reads as a whole number and then fails ``maximum``; ``inf`` and ``nan`` are not
    integers. Every case is a Korean reason, never an overflow further down.
    """
    text = str(value).replace(",", "").strip()
    try:
        number = int(text)
    except ValueError:
        # Spreadsheets write whole numbers as "3.0"; accept those, reject real fractions.
        try:
            as_float = float(text)
        except ValueError:
            raise invalid(f"값 '{show(value)}'는 정수가 아닙니다") from None
        if not as_float.is_integer():
            raise invalid(f"값 '{show(value)}'는 정수가 아닙니다") from None
        number = int(as_float)
    if minimum is not None and (number <= minimum if exclusive else number < minimum):
        bound = f"{minimum:,}보다 커야" if exclusive else f"{minimum:,} 이상이어야"
        raise invalid(f"값 '{show(value)}'는 {bound} 합니다")
    if maximum is not None and number > maximum:
        raise invalid(f"값 '{show(value)}'는 {maximum:,} 이하여야 합니다")
    return number


def parse_float(value: object, *, low: float, high: float, low_exclusive: bool = False) -> float:
    """A number cell within ``low``..``high`` (``low`` itself excluded when ``low_exclusive``)."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise invalid(f"값 '{show(value)}'는 숫자가 아닙니다") from None
    too_low = number <= low if low_exclusive else number < low
    if number != number or too_low or number > high:  # number != number catches NaN
        low_text = f"{low:g} 초과" if low_exclusive else f"{low:g} 이상"
        raise invalid(f"값 '{show(value)}'는 {low_text} {high:g} 이하여야 합니다")
    return number


def parse_date(value: object, *, echo: bool = True) -> dt.date:
    """A ``YYYY-MM-DD`` cell holding a date that exists (``echo=False``: the reason does not
    repeat the value, for dates that are personal data)."""
    text = str(value).strip()
    shown = f"값 '{show(value)}'는" if echo else "값이"
    if not _DATE_RE.match(text):
        raise invalid(f"{shown} YYYY-MM-DD 형식의 날짜가 아닙니다")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise invalid(f"{shown} 없는 날짜입니다") from None


PERSONAL_COLUMNS: Final[frozenset[str]] = frozenset(
    {"name", "birth_date", "rrn", "phone", "email", "address", "resume_text", "cover_letter_text"}
)
"""Seeker columns whose values are personal data: no message ever repeats them."""


def parse_choice(value: object, allowed: Sequence[str], *, upper: bool = False) -> str:
    """A cell that must be one of ``allowed`` (upper-cased first when ``upper``)."""
    text = str(value).strip()
    if upper:
        text = text.upper()
    if text not in allowed:
        raise invalid(f"값 '{show(value)}'는 허용되지 않습니다 ({', '.join(allowed)})")
    return text


def parse_bool(value: object) -> bool:
    """``true``/``false``, ``Y``/``N``, ``1``/``0`` in any case."""
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise invalid(f"값 '{show(value)}'는 허용되지 않습니다 (true/false, Y/N, 1/0)")


def split_list(value: object) -> tuple[str, ...]:
    """Split a ';'-separated cell, dropping blanks and repeats but keeping the order."""
    items = (part.strip() for part in str(value).split(";"))
    return tuple(dict.fromkeys(item for item in items if item))


def parse_business_no(value: object) -> str:
    """A 사업자등록번호 with a valid check digit, returned as ``XXX-XX-XXXXX``."""
    match = _BUSINESS_NO_RE.match(str(value).strip())
    if match is None:
        raise invalid(f"값 '{show(value)}'는 사업자등록번호 형식(XXX-XX-XXXXX)이 아닙니다")
    hyphenated = "-".join(match.groups())  # stored hyphenated whatever the input style
    if not business_no_is_valid(hyphenated):
        raise invalid(f"값 '{show(value)}'의 검증번호(마지막 자리)가 맞지 않습니다")
    return hyphenated


def parse_welfare_codes(value: object, info: ValidationInfo) -> tuple[str, ...]:
    """``;``-separated welfare codes (``W01``), checked against the ``welfare`` context list."""
    codes = tuple(code.upper() for code in split_list(value))
    bad = [code for code in codes if not _WELFARE_RE.match(code)]
    if bad:
        raise invalid(f"값 '{show(';'.join(bad))}'는 복리후생 코드(W01 형식)가 아닙니다")
    known = _context_codes(info, "welfare")
    unknown = [code for code in codes if known is not None and code not in known]
    if unknown:
        raise invalid(f"값 '{show(';'.join(unknown))}'는 복리후생 코드표에 없습니다")
    if len(";".join(codes)) > MAX_LEN["welfare_codes"]:
        raise invalid(f"값이 너무 깁니다 (최대 {MAX_LEN['welfare_codes']}자)")
    return codes


def _context_codes(info: ValidationInfo, key: str) -> frozenset[str] | None:
    return (info.context or {}).get(key)


def check_keco(value: object, info: ValidationInfo) -> str:
    """A 3-digit KECO 소분류 code, in the ``keco`` context list when there is one."""
    text = str(value).strip()
    if not _KECO_RE.match(text):
        raise invalid(f"값 '{show(value)}'는 KECO 소분류 코드(숫자 3자리)가 아닙니다")
    known = _context_codes(info, "keco")
    if known is not None and text not in known:
        raise invalid(f"값 '{show(value)}'는 KECO 소분류 코드표에 없습니다")
    return text


def check_region(value: object, info: ValidationInfo) -> str:
    """A 2-digit 시도 code in the ``regions`` context list."""
    text = str(value).strip()
    known = _context_codes(info, "regions")
    if not _REGION_RE.match(text) or (known is not None and text not in known):
        raise invalid(f"값 '{show(value)}'는 시도 코드표에 없습니다 (예: 11 서울, 26 부산, 41 경기)")
    return text


def check_length(value: object, info: ValidationInfo) -> str:
    """Trimmed text within the column width of the field (:data:`MAX_LEN`)."""
    text = str(value).strip()
    limit = MAX_LEN.get(info.field_name or "")
    if limit is not None and len(text) > limit:
        raise invalid(f"값이 너무 깁니다 ({len(text)}자, 최대 {limit}자)")
    return text


def check_long_text(value: object) -> str:
    """Free text (duties, résumé …) of at most :data:`app.bounds.MAX_TEXT_CHARS` characters."""
    text = str(value)
    if len(text) > bounds.MAX_TEXT_CHARS:
        raise invalid(f"값이 너무 깁니다 ({len(text):,}자, 최대 {bounds.MAX_TEXT_CHARS:,}자)")
    return text


def parse_industry(value: object) -> str:
    """A KSIC 대분류 letter ``A``–``U`` (lower case accepted)."""
    text = str(value).strip().upper()
    if len(text) != 1 or not "A" <= text <= "U":
        raise invalid(f"값 '{show(value)}'는 KSIC 대분류 코드(A~U 영문 한 글자)가 아닙니다")
    return text


# The rrn, phone and e-mail reasons never echo the value: it is personal data, and the line number
# is enough to find the cell.
def _matching(text: str, pattern: re.Pattern[str], message: str) -> str:
    if not pattern.match(text):
        raise invalid(message)
    return text


def parse_rrn(value: object) -> str:
    """A 주민등록번호 shaped ``YYMMDD-GNNNNNN`` (no check digit: numbers since Oct 2020 have none)."""
    return _matching(str(value).strip(), RRN_RE, "형식이 YYMMDD-GNNNNNN(숫자 13자리, 가운데 하이픈)이 아닙니다")


def parse_phone(value: object) -> str:
    """A Korean phone number with hyphens (mobile, landline, 070, 1588-style)."""
    return _matching(str(value).strip(), PHONE_RE, "값이 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)")


def parse_email(value: object, info: ValidationInfo) -> str:
    """An e-mail address within its column width."""
    return _matching(check_length(value, info), EMAIL_RE, "값이 이메일 주소 형식이 아닙니다 (예: name@example.com)")


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age (만 나이) on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --------------------------------------------------------------------------- annotated cell types


def choice(allowed: tuple[str, ...], *, upper: bool = False) -> Any:
    """A text type limited to ``allowed``, the one definition of that vocabulary."""
    return Annotated[str, BeforeValidator(partial(parse_choice, allowed=allowed, upper=upper))]


Text = Annotated[str, BeforeValidator(check_length)]
LongText = Annotated[str, BeforeValidator(check_long_text)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
BirthDate = Annotated[dt.date, BeforeValidator(partial(parse_date, echo=False))]
"""A birth date: personal data, so a bad one is reported without its value."""
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Items = Annotated[tuple[str, ...], BeforeValidator(split_list)]
BusinessNo = Annotated[str, BeforeValidator(parse_business_no)]
IndustryCode = Annotated[str, BeforeValidator(parse_industry)]
RegionCode = Annotated[str, BeforeValidator(check_region)]
KecoCode = Annotated[str, BeforeValidator(check_keco)]
OptionalKecoCode = Annotated[str | None, BeforeValidator(check_keco)]  # checked before the union
WelfareCodes = Annotated[tuple[str, ...], BeforeValidator(parse_welfare_codes)]
# Numbers are bounded by app.bounds, the limits the hiring simulator applies too.
WonAmount = Annotated[
    int, BeforeValidator(partial(parse_int, minimum=0, exclusive=True, maximum=bounds.MAX_WAGE_AMOUNT_KRW))
]
CareerRequirement = Annotated[int, BeforeValidator(partial(parse_int, minimum=0, maximum=bounds.MAX_MIN_CAREER_YEARS))]
Headcount = Annotated[int, BeforeValidator(partial(parse_int, minimum=1, maximum=bounds.MAX_HEADCOUNT))]
RiasecScore = Annotated[float, BeforeValidator(partial(parse_float, low=1, high=5))]
Rrn = Annotated[str, BeforeValidator(parse_rrn)]
Phone = Annotated[str, BeforeValidator(parse_phone)]
Email = Annotated[str, BeforeValidator(parse_email)]
