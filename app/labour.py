"""Labour-law arithmetic shared by the world, importers, verification and the hiring model.

The 209-hour convention: a full-time month is 40 hours a week plus the paid weekly rest day
(주휴, 8 hours) over 365/7/12 weeks: (40 + 8) × 4.345 ≈ 209 hours (domain-facts §1.4).
A part-time job of ``h`` weekly hours gets weekly rest pay proportional to its hours when it works
at least 15 hours a week (근로기준법 제55조, 제18조), so its paid monthly hours are ``h × 209 / 40``.
"""

from __future__ import annotations

import numpy as np

WAGE_TYPES: tuple[str, ...] = ("hourly", "daily", "monthly", "annual")
WAGE_TYPE_LABELS: dict[str, str] = {"hourly": "시급", "daily": "일급", "monthly": "월급", "annual": "연봉"}
FULL_TIME_HOURS = 40.0
MONTHLY_HOURS_FULL_TIME = 209.0
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
