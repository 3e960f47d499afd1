"""Posting conditions of the hiring simulator: one validated, immutable value object.

:class:`PostingConditions` is what the hiring-success model scores and what an employer changes in
the what-if simulator. Every instance is valid: the constructor, :func:`validate_conditions` and
:meth:`PostingConditions.replace` all run the same pydantic checks and fail with
:class:`InvalidConditions`, whose message names each bad field in Korean, e.g.
"주당 근로시간은 1~68시간이어야 합니다 (입력값: 70)".

Validation accepts what real postings contain, including unlawful ones (a wage below the minimum
wage, more than 52 weekly hours — the world and imports hold such postings, and an employer must
be able to open them). :func:`legal_issues` names those problems and :func:`lawful_baseline`
gives the nearest lawful conditions, which plans and advice start from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from app import bounds, labour
from app.errors import AccessDenied, InvalidInput
from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, FULL_TIME_TYPES
from app.reference.tables import load_reference
from app.text.korean import format_wage, josa

MAX_WEEKLY_HOURS_INPUT = bounds.MAX_WEEKLY_HOURS
"""Upper limit of the input (the pre-2018 statutory maximum); above 52 h is accepted but unlawful."""
MAX_BODY_CHARS = bounds.MAX_TEXT_CHARS
N_SECTIONS = 8  # company_intro, duties, requirements, preferred, conditions, benefits, process, documents
"""Employment types that are full-time jobs (시간제 is the part-time type)."""

FIELD_LABELS: Mapping[str, str] = {
    "keco_code": "직종(KECO) 코드",
    "region_code": "지역(시도) 코드",
    "size_code": "기업 규모",
    "wage_type": "임금 형태",
    "wage_amount": "임금액",
    "weekly_hours": "주당 근로시간",
    "employment_type": "고용형태",
    "career": "경력 구분",
    "min_career_years": "최소 경력연수",
    "education": "학력 요건",
    "welfare_codes": "복리후생 코드",
    "open_month": "게시 월",
    "n_sections": "작성된 공고 항목 수",
    "body_chars": "공고 본문 글자 수",
}
"""Korean name of every field, used in error messages and tables."""


class InvalidConditions(InvalidInput):
    """Posting conditions that cannot be scored; ``str(err)`` is Korean, one line per bad field.

    Attributes:
        errors: Field name → Korean message (``"_"`` for problems of the whole input).
    """

    def __init__(self, errors: Mapping[str, str] | str) -> None:
        self.errors: dict[str, str] = {"_": errors} if isinstance(errors, str) else dict(errors)
        super().__init__("\n".join(self.errors.values()))


class PostingAccessDenied(AccessDenied):
    """A posting (or scenario) this account may not open or change: another employer's, or a save
    without an employer account."""

    def __init__(self, message: str = "다른 기업의 공고는 열 수 없습니다.") -> None:
        super().__init__(message)


# --------------------------------------------------------------------------- field parsers


def _bad(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("goyong_conditions", "{message}", {"message": message, "field": field})


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or value is None:
        raise _bad(field, f"{josa(FIELD_LABELS[field], '은', '는')} 숫자여야 합니다 (입력값: {_shown(value)})")
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _bad(field, f"{josa(FIELD_LABELS[field], '은', '는')} 숫자여야 합니다 (입력값: {_shown(value)})") from None
    if not math.isfinite(number):
        raise _bad(field, f"{josa(FIELD_LABELS[field], '은', '는')} 숫자여야 합니다 (입력값: {_shown(value)})")
    return number


def _int_in(field: str, low: int, high: int, unit: str):
    def parse(value: object) -> int:
        number = _number(field, value)
        label = josa(FIELD_LABELS[field], "은", "는")
        if not number.is_integer() or not low <= number <= high:
            raise _bad(field, f"{label} {low:,}~{high:,}{unit} 사이의 정수여야 합니다 (입력값: {_shown(value)})")
        return int(number)

    return BeforeValidator(parse)


def _hours(value: object) -> float:
    number = _number("weekly_hours", value)
    if not bounds.MIN_WEEKLY_HOURS <= number <= MAX_WEEKLY_HOURS_INPUT:
        raise _bad(
            "weekly_hours",
            f"주당 근로시간은 {bounds.MIN_WEEKLY_HOURS:g}~{MAX_WEEKLY_HOURS_INPUT:g}시간이어야 합니다 (입력값: {_shown(value)})",
        )
    return number


def _choice(field: str, allowed: tuple[str, ...]):
    def parse(value: object) -> str:
        text = str(value).strip() if value is not None else ""
        if text not in allowed:
            label = josa(FIELD_LABELS[field], "은", "는")
            raise _bad(field, f"{label} {', '.join(allowed)} 중 하나여야 합니다 (입력값: {_shown(value)})")
        return text

    return BeforeValidator(parse)


@lru_cache(maxsize=1)
def _codes() -> dict[str, tuple[str, ...]]:
    ref = load_reference()
    return {
        "keco_code": tuple(sorted(ref.occupations["keco_code"].astype(str))),
        "region_code": tuple(sorted(ref.regions["code"].astype(str))),
        "size_code": tuple(sorted(ref.firm_sizes["code"].astype(str))),
        "welfare_codes": tuple(sorted(ref.welfare_items["code"].astype(str))),
    }


def _code(field: str, width: int):
    def parse(value: object) -> str:
        text = str(value).strip() if value is not None else ""
        if text.isdigit() and len(text) < width:  # a spreadsheet turned "011" into 11
            text = text.zfill(width)
        if text not in _codes()[field]:
            raise _bad(field, f"{josa(FIELD_LABELS[field], '이', '가')} 코드표에 없습니다 (입력값: {_shown(value)})")
        return text

    return BeforeValidator(parse)


def _size(value: object) -> str:
    text = str(value).strip().upper() if value is not None else ""
    if text not in _codes()["size_code"]:
        raise _bad("size_code", f"기업 규모는 {', '.join(_codes()['size_code'])} 중 하나여야 합니다 (입력값: {_shown(value)})")
    return text


def _welfare(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    parts = str(value).split(";") if isinstance(value, str) else [str(v) for v in value]  # type: ignore[union-attr]
    codes = {part.strip().upper() for part in parts if part.strip()}
    unknown = sorted(codes - set(_codes()["welfare_codes"]))
    if unknown:
        raise _bad("welfare_codes", f"복리후생 코드에 없는 값이 있습니다: {', '.join(unknown)} (W01~W20)")
    return tuple(sorted(codes))


class _ConditionsInput(BaseModel):
    """The boundary model: raw values in (text from a form or a CSV, numbers, lists), clean values out."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    keco_code: Annotated[str, _code("keco_code", 3)]
    region_code: Annotated[str, _code("region_code", 2)]
    size_code: Annotated[str, BeforeValidator(_size)]
    wage_type: Annotated[str, _choice("wage_type", labour.WAGE_TYPES)]
    wage_amount: Annotated[int, _int_in("wage_amount", 1, bounds.MAX_WAGE_AMOUNT_KRW, "원")]
    weekly_hours: Annotated[float, BeforeValidator(_hours)]
    employment_type: Annotated[str, _choice("employment_type", EMPLOYMENT_TYPES)]
    career: Annotated[str, _choice("career", CAREER_LEVELS)]
    min_career_years: Annotated[int, _int_in("min_career_years", 0, bounds.MAX_MIN_CAREER_YEARS, "년")] = 0
    education: Annotated[str, _choice("education", EDUCATION_LEVELS)]
    welfare_codes: Annotated[tuple[str, ...], BeforeValidator(_welfare)] = ()
    open_month: Annotated[int, _int_in("open_month", 1, 12, "월")] = Field(default_factory=lambda: dt.date.today().month)
    n_sections: Annotated[int, _int_in("n_sections", 0, N_SECTIONS, "개")] = 6
    body_chars: Annotated[int, _int_in("body_chars", 0, MAX_BODY_CHARS, "자")] = 900


def _field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        field = str(error["loc"][0]) if error["loc"] else "_"
        label = FIELD_LABELS.get(field, field)
        if error["type"] == "goyong_conditions":
            message = str(error["ctx"]["message"]) if "ctx" in error else error["msg"]
        elif error["type"] == "missing":
            message = f"{josa(label, '을', '를')} 입력하세요"
        else:
            message = f"{josa(label, '이', '가')} 올바르지 않습니다 (입력값: {_shown(error.get('input'))})"
        errors.setdefault(field, message)
    return errors


def _cross_field_errors(clean: _ConditionsInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if clean.career == "경력" and clean.min_career_years < 1:
        errors["min_career_years"] = "경력 구분이 '경력'이면 최소 경력연수는 1년 이상이어야 합니다"
    if clean.career != "경력" and clean.min_career_years != 0:
        errors["min_career_years"] = (
            f"경력 구분이 '{clean.career}'이면 최소 경력연수는 0년이어야 합니다 (입력값: {clean.min_career_years})"
        )
    hourly = float(labour.hourly_equivalent(clean.wage_type, clean.wage_amount, clean.weekly_hours))
    monthly = float(labour.monthly_equivalent(clean.wage_type, clean.wage_amount, clean.weekly_hours))
    # the importers apply the same limits (app.bounds), so an imported posting always opens here
    problem = bounds.wage_problem(hourly, monthly)
    if problem is not None:
        errors["wage_amount"] = (
            f"{format_wage(clean.wage_type, clean.wage_amount, style='label')}은 {problem}. 임금 형태와 금액을 확인하세요"
        )
    return errors


def _clean(raw: Mapping[str, object]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidConditions("공고 조건은 항목 이름과 값의 묶음이어야 합니다")
    try:
        clean = _ConditionsInput.model_validate(dict(raw))
    except ValidationError as exc:
        raise InvalidConditions(_field_errors(exc)) from None
    errors = _cross_field_errors(clean)
    if errors:
        raise InvalidConditions(errors)
    return clean.model_dump()


# --------------------------------------------------------------------------- the value object


@dataclass(frozen=True)
class PostingConditions:
    """What a posting offers and asks for: the inputs of the hiring-success model.

    Construct through :func:`validate_conditions` (or directly; the constructor validates too).

    Attributes:
        keco_code: KECO 소분류 (3 digits).
        region_code: 시도 code.
        size_code: Firm-size band S1–S5.
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual``.
        wage_amount: KRW per wage_type unit.
        weekly_hours: Scheduled hours a week (1–68).
        employment_type: 정규직 | 계약직 | 시간제 | 일용직.
        career: 신입 | 경력무관 | 경력.
        min_career_years: Required years (≥ 1 for 경력, else 0).
        education: 무관 | 고졸 | 전문대졸 | 대졸 | 석사.
        welfare_codes: Welfare item codes (sorted, unique).
        open_month: Month the posting opens (1–12).
        n_sections: Posting sections written (0–8).
        body_chars: Characters of the posting text.
    """

    keco_code: str
    region_code: str
    size_code: str
    wage_type: str
    wage_amount: int
    weekly_hours: float
    employment_type: str
    career: str
    min_career_years: int
    education: str
    welfare_codes: tuple[str, ...]
    open_month: int
    n_sections: int
    body_chars: int

    def __post_init__(self) -> None:
        # Every instance is valid and normalised (codes, sorted welfare, int/float types).
        for name, value in _clean({f.name: getattr(self, f.name) for f in dataclasses.fields(self)}).items():
            object.__setattr__(self, name, value)

    @property
    def wage_monthly(self) -> int:
        """Monthly equivalent of the posted wage in KRW (209-hour convention, :mod:`app.labour`)."""
        return round(float(labour.monthly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours)))

    @property
    def wage_fte(self) -> int:
        """Monthly wage of the same pay rate for a 40-hour week (what the market wage compares with)."""
        monthly = float(labour.monthly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours))
        return round(labour.full_time_equivalent(monthly, self.weekly_hours))

    @property
    def hourly_wage(self) -> float:
        """Hourly equivalent used for the minimum-wage check (:func:`app.labour.hourly_equivalent`)."""
        return float(labour.hourly_equivalent(self.wage_type, self.wage_amount, self.weekly_hours))

    def replace(self, **changes: object) -> PostingConditions:
        """A copy with ``changes`` applied, validated again.

        Raises:
            InvalidConditions: A changed value is invalid or the field does not exist.
        """
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise InvalidConditions({"_": f"알 수 없는 항목입니다: {', '.join(unknown)}"})
        return validate_conditions({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict of the fields (welfare codes as a list)."""
        data = dataclasses.asdict(self)
        data["welfare_codes"] = list(self.welfare_codes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PostingConditions:
        """Inverse of :meth:`to_dict` (validated). Raises :class:`InvalidConditions`."""
        return validate_conditions(data)

    def canonical_json(self) -> str:
        """The fields as compact JSON with sorted keys: equal conditions give equal text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def input_hash(self) -> str:
        """SHA-256 of :meth:`canonical_json` (the audit log's input hash)."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def validate_conditions(raw: Mapping[str, object]) -> PostingConditions:
    """Parse and check raw posting conditions (form values, a CSV row, a stored dict).

    Numbers may be text ("2,500,000"); welfare codes a ';'-joined text or a list; codes are checked
    against the reference tables. ``min_career_years`` (0), ``welfare_codes`` (none), ``open_month``
    (this month), ``n_sections`` (6) and ``body_chars`` (900) may be left out.

    Raises:
        InvalidConditions: Every bad field, each named in Korean (``err.errors`` maps field →
            message).
    """
    return PostingConditions(**_clean(raw))


# --------------------------------------------------------------------------- labour law


def minimum_hourly_wage(year: int | None = None) -> int:
    """Statutory hourly minimum wage of ``year`` (default: this year); see :class:`app.labour.MinimumWageTable`."""
    return labour.minimum_wage(year)


def legal_minimum_amount(wage_type: str, weekly_hours: float, year: int | None = None) -> int:
    """Smallest whole-won amount of ``wage_type`` that pays the minimum wage at ``weekly_hours``."""
    return labour.lawful_minimum_amount(wage_type, weekly_hours, minimum_hourly_wage(year))


def pays_minimum_wage(conditions: PostingConditions, year: int | None = None) -> bool:
    """Whether the hourly equivalent reaches the minimum wage (:func:`app.labour.below_minimum`)."""
    return not labour.below_minimum(conditions.hourly_wage, minimum_hourly_wage(year))


def legal_issues(conditions: PostingConditions, year: int | None = None) -> tuple[str, ...]:
    """Korean descriptions of the ways the conditions break labour law (empty when lawful)."""
    issues = []
    if not pays_minimum_wage(conditions, year):
        minimum = minimum_hourly_wage(year)
        issues.append(
            f"시간당 임금이 약 {conditions.hourly_wage:,.0f}원으로 최저임금 {minimum:,}원보다 낮습니다 (최저임금법 제6조)"
        )
    if conditions.weekly_hours > labour.MAX_WEEKLY_HOURS:
        issues.append(
            f"주 {conditions.weekly_hours:g}시간은 법정 한도 주 {labour.MAX_WEEKLY_HOURS:g}시간"
            "(소정 40시간 + 연장 12시간)을 넘습니다 (근로기준법 제53조)"
        )
    return tuple(issues)


def lawful_baseline(conditions: PostingConditions, year: int | None = None) -> PostingConditions:
    """The nearest lawful conditions: hours capped at 52, then the wage raised to the minimum wage."""
    hours = min(conditions.weekly_hours, labour.MAX_WEEKLY_HOURS)
    lawful = conditions if hours == conditions.weekly_hours else conditions.replace(weekly_hours=hours)
    if not pays_minimum_wage(lawful, year):
        lawful = lawful.replace(wage_amount=legal_minimum_amount(lawful.wage_type, lawful.weekly_hours, year))
    return lawful


def is_full_time(employment_type: str) -> bool:
    """Whether the employment type is a full-time job (see :data:`FULL_TIME_TYPES`)."""
    return employment_type in FULL_TIME_TYPES
