"""All wage and hours arithmetic of the product: the minimum wage by year, monthly, hourly and
full-time-equivalent wages, the lawful minimum amount and the below-minimum check. The world,
the importers, the verifier, the hiring conditions and the posting assistant all use these.

The 209-hour convention: a full-time month is 40 hours a week plus the paid weekly rest day
(주휴, 8 hours) over 365/7/12 weeks: (40 + 8) × 4.345 ≈ 209 hours (domain-facts §1.4).
A part-time job of ``h`` weekly hours gets weekly rest pay proportional to its hours when it works
at least 15 hours a week (근로기준법 제55조, 제18조), so its paid monthly hours are ``h × 209 / 40``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final, TypeVar

import numpy as np

from app.errors import InvalidInput
from app.reference.codes import WAGE_TYPE_LABELS, WAGE_TYPES
from app.reference.tables import Reference, load_reference
from app.text.korean import today_kst

__all__ = [
    "FULL_TIME_HOURS", "MAX_WEEKLY_HOURS", "MINIMUM_WAGE_TOLERANCE", "MONTHLY_HOURS_FULL_TIME", "WAGE_ROUNDING",
    "WAGE_TYPES", "WAGE_TYPE_LABELS", "WORKDAYS_PER_WEEK", "MinimumWage", "MinimumWageTable", "MinimumWageUnknown",
    "amount_from_monthly", "below_minimum", "from_full_time_equivalent", "full_time_equivalent", "hourly_equivalent",
    "lawful_minimum_amount", "minimum_wage", "minimum_wage_table", "monthly_equivalent", "monthly_minimum_wage",
    "paid_monthly_hours",
]

FULL_TIME_HOURS = 40.0
MONTHLY_HOURS_FULL_TIME: Final = 209
"""Paid hours of a full-time month (the 209-hour convention)."""
WORKDAYS_PER_WEEK = 5.0
MAX_WEEKLY_HOURS = 52.0  # 근로기준법 제53조: 40 h + 12 h overtime by agreement


def paid_monthly_hours(weekly_hours: float | np.ndarray) -> float | np.ndarray:
    """Paid hours per month for a weekly schedule (209 for 40 h; proportional below 40 h).

    Hours above 40 are overtime and paid at 150 % (근로기준법 제56조), so they count 1.5×
    against the weekly rest of a 40-hour week.
    """
    hours = np.asarray(weekly_hours, dtype=float)
    regular = np.minimum(hours, FULL_TIME_HOURS)
    overtime = np.maximum(hours - FULL_TIME_HOURS, 0.0)
    # Weekly rest pay only from 15 h a week (근로기준법 제18조 제3항).
    rest_factor = np.where(regular >= 15.0, MONTHLY_HOURS_FULL_TIME / FULL_TIME_HOURS, 365.0 / 7.0 / 12.0)
    result = regular * rest_factor + overtime * 1.5 * (365.0 / 7.0 / 12.0)
    return float(result) if np.ndim(result) == 0 else result


def monthly_equivalent(
    wage_type: str | np.ndarray, amount: float | np.ndarray, weekly_hours: float | np.ndarray = 40.0
) -> float | np.ndarray:
    """Convert a posted wage to its monthly equivalent in KRW.

    hourly × paid monthly hours; daily × paid days per month (weekly hours ÷ 8-hour days, plus the
    paid weekly rest day); monthly as is; annual ÷ 12.

    Args:
        wage_type: ``hourly``, ``daily``, ``monthly`` or ``annual`` (scalar or array).
        amount: Posted amount in KRW per wage_type unit.
        weekly_hours: Scheduled weekly hours.

    Returns:
        Monthly KRW (float, or an array for array inputs).

    Raises:
        ValueError: For an unknown wage type.
    """
    wage_type_arr = np.asarray(wage_type)
    amount_arr = np.asarray(amount, dtype=float)
    hours = np.asarray(weekly_hours, dtype=float)
    unknown = ~np.isin(wage_type_arr, WAGE_TYPES)
    if np.any(unknown):
        bad = np.atleast_1d(wage_type_arr)[np.atleast_1d(unknown)][0]
        raise ValueError(f"임금 형태 '{bad}'는 허용되지 않습니다 (hourly, daily, monthly, annual)")
    # Paid days per month: working days (8-hour days) plus the paid weekly rest day, 209/8 = 26.1
    # days for a full-time week, so a daily wage of 8 × the hourly minimum is exactly the minimum.
    days_per_month = np.minimum(hours / 8.0, WORKDAYS_PER_WEEK) * (MONTHLY_HOURS_FULL_TIME / FULL_TIME_HOURS)
    result = np.select(
        [wage_type_arr == "hourly", wage_type_arr == "daily", wage_type_arr == "monthly"],
        [amount_arr * paid_monthly_hours(hours), amount_arr * days_per_month, amount_arr],
        default=amount_arr / 12.0,
    )
    return float(result) if np.ndim(result) == 0 else result


def hourly_equivalent(
    wage_type: str | np.ndarray, amount: float | np.ndarray, weekly_hours: float | np.ndarray = 40.0
) -> float | np.ndarray:
    """Hourly wage implied by a posted wage, for the minimum-wage check.

    The monthly equivalent divided by the paid monthly hours of the schedule (209 at 40 h), so a
    monthly wage of 2,156,880 for 40 h/week gives exactly the 2026 minimum of 10,320.
    """
    monthly = monthly_equivalent(wage_type, amount, weekly_hours)
    hours = paid_monthly_hours(np.maximum(np.asarray(weekly_hours, dtype=float), 1.0))
    # Rounded to 1e-6 원: an hourly 10,030 at 14 h is 10,030 × h / h, which floats back as
    # 10,029.999…; unrounded, a wage exactly at the minimum would read as below it.
    result = np.round(np.asarray(monthly) / np.asarray(hours), 6)
    return float(result) if np.ndim(result) == 0 else result


def amount_from_monthly(
    wage_type: str | np.ndarray, monthly: float | np.ndarray, weekly_hours: float | np.ndarray = 40.0
) -> float | np.ndarray:
    """Inverse of :func:`monthly_equivalent`: the posted amount that gives ``monthly``."""
    unit = monthly_equivalent(wage_type, np.ones_like(np.asarray(monthly, dtype=float)), weekly_hours)
    result = np.asarray(monthly, dtype=float) / np.asarray(unit)
    return float(result) if np.ndim(result) == 0 else result


ArrayOrFloat = TypeVar("ArrayOrFloat", float, np.ndarray)


def full_time_equivalent(monthly: ArrayOrFloat, weekly_hours: float | np.ndarray) -> ArrayOrFloat:
    """The monthly wage of the same job at 40 hours a week: ``monthly × 209 / paid monthly hours``.

    Wages of part-time and long-hours postings become comparable with full-time ones (the market
    wage tables, the hiring model's wage ratio and the similar-postings index use it).
    """
    return monthly * MONTHLY_HOURS_FULL_TIME / paid_monthly_hours(weekly_hours)


def from_full_time_equivalent(fte: ArrayOrFloat, weekly_hours: float | np.ndarray) -> ArrayOrFloat:
    """Inverse of :func:`full_time_equivalent`: the monthly wage at ``weekly_hours``."""
    return fte * paid_monthly_hours(weekly_hours) / MONTHLY_HOURS_FULL_TIME


# --------------------------------------------------------------------------- minimum wage

MINIMUM_WAGE_TOLERANCE = 1e-5
"""원 an hour: above the float error of :func:`hourly_equivalent` (rounded to 1e-6 원), below any
real shortfall (one won a year short at a 52-hour week is 0.0003 원 an hour)."""

WAGE_ROUNDING: Mapping[str, int] = MappingProxyType({"hourly": 10, "daily": 1_000, "monthly": 10_000, "annual": 100_000})
"""Units wages are posted in (postings write round figures: 시급 11,000원, 월급 250만원)."""


class MinimumWageUnknown(InvalidInput):
    """No minimum wage is known for a year (before the table starts, or the table is missing)."""


@dataclass(frozen=True)
class MinimumWage:
    """The minimum hourly wage that applied to a year.

    Attributes:
        year: The year asked for.
        hourly: KRW per hour.
        table_year: The table's year used (the latest known when ``year`` is beyond the table).
    """

    year: int
    hourly: int
    table_year: int


@dataclass(frozen=True)
class MinimumWageTable:
    """Statutory hourly minimum wage by year (``data/reference/minimum_wage.csv``).

    **One behaviour for a year outside the table.** A year after the table uses its latest year:
    the minimum wage is announced each August for the next year and has never been lowered, so a
    stale table can only under-warn, never over-warn. A year before the table, or any year when the
    table is missing, raises :class:`MinimumWageUnknown` (callers that screen in bulk, such as the
    importers, catch it and report the rows they could not compare).

    Attributes:
        hourly: Year -> KRW per hour.
    """

    hourly: Mapping[int, int]

    @property
    def first_year(self) -> int | None:
        """The table's first year (None when empty)."""
        return min(self.hourly) if self.hourly else None

    @property
    def last_year(self) -> int | None:
        """The table's last year (None when empty)."""
        return max(self.hourly) if self.hourly else None

    def knows(self, year: int) -> bool:
        """Whether :meth:`lookup` has a value for ``year``."""
        return bool(self.hourly) and int(year) >= min(self.hourly)

    def lookup(self, year: int | None = None) -> MinimumWage:
        """The minimum wage that applies in ``year`` (default: this year in Korea).

        Raises:
            MinimumWageUnknown: A year before the table, or an empty table (Korean message).
        """
        wanted = today_kst().year if year is None else int(year)
        if not self.hourly:
            raise MinimumWageUnknown("최저임금 기준표(data/reference/minimum_wage.csv)를 읽을 수 없습니다")
        first, last = min(self.hourly), max(self.hourly)
        if wanted < first:
            raise MinimumWageUnknown(f"{wanted}년 최저임금 정보가 없습니다 (기준표: {first}~{last}년)")
        used = wanted if wanted in self.hourly else max(y for y in self.hourly if y <= wanted)
        return MinimumWage(year=wanted, hourly=int(self.hourly[used]), table_year=used)

    def for_year(self, year: int | None = None) -> int:
        """KRW per hour in ``year`` (see :meth:`lookup`)."""
        return self.lookup(year).hourly

    def for_years(self, years: np.ndarray) -> np.ndarray:
        """KRW per hour for each year of an array (vectorised :meth:`for_year`)."""
        wanted = np.asarray(years, dtype=int)
        if wanted.size == 0:
            return np.zeros(0, dtype=float)
        self.lookup(int(wanted.min()))  # raises for a year before the table
        known = np.array(sorted(self.hourly), dtype=int)
        values = np.array([self.hourly[y] for y in known], dtype=float)
        return values[np.searchsorted(known, wanted, side="right") - 1]


@lru_cache(maxsize=4)
def _table_of(reference: Reference) -> MinimumWageTable:
    """The table of one (immutable, shared) reference object, built once: the hiring pages ask for
    the minimum wage on every rerender."""
    table = reference.minimum_wage
    return MinimumWageTable(MappingProxyType(
        {int(y): int(h) for y, h in zip(table["year"], table["hourly"], strict=True)}
    ))


def minimum_wage_table(reference: Reference | None = None) -> MinimumWageTable:
    """The minimum-wage table of the reference tables (an empty table when they are missing).

    Args:
        reference: Tables to read; defaults to :func:`app.reference.tables.load_reference`.
    """
    if reference is None:
        try:
            reference = load_reference()
        except FileNotFoundError:
            return MinimumWageTable(MappingProxyType({}))
    return _table_of(reference)


def minimum_wage(year: int | None = None, reference: Reference | None = None) -> int:
    """Statutory hourly minimum wage (KRW) in ``year`` (default: this year); see :class:`MinimumWageTable`.

    Raises:
        MinimumWageUnknown: A year before the table (Korean message).
    """
    return minimum_wage_table(reference).for_year(year)


def monthly_minimum_wage(year: int | None = None, reference: Reference | None = None) -> int:
    """Monthly minimum wage (KRW) on the 209-hour convention: ``minimum_wage(year) × 209``."""
    return minimum_wage(year, reference) * MONTHLY_HOURS_FULL_TIME


def below_minimum(hourly_wage: ArrayOrFloat, minimum_hourly: float | np.ndarray) -> bool | np.ndarray:
    """Whether an hourly equivalent (:func:`hourly_equivalent`) falls below the minimum wage.

    The one below-minimum check of the product (verifier, importers, hiring conditions, posting
    assistant): below by more than :data:`MINIMUM_WAGE_TOLERANCE`, so float error never flags a
    lawful wage.
    """
    result = np.asarray(hourly_wage, dtype=float) < np.asarray(minimum_hourly, dtype=float) - MINIMUM_WAGE_TOLERANCE
    return bool(result) if np.ndim(result) == 0 else result


def lawful_minimum_amount(wage_type: str, weekly_hours: float, minimum_hourly: int) -> int:
    """Smallest whole-won amount of ``wage_type`` that pays ``minimum_hourly`` at ``weekly_hours``."""
    exact = float(amount_from_monthly(wage_type, minimum_hourly * paid_monthly_hours(weekly_hours), weekly_hours))
    amount = math.ceil(exact - 1e-9)
    while float(hourly_equivalent(wage_type, amount, weekly_hours)) < minimum_hourly:
        amount += 1  # float rounding of the inverse: step up to the first lawful won
    return amount
