"""Wage arithmetic: the 209-hour convention and minimum-wage equivalents."""

from __future__ import annotations

import numpy as np
import pytest

from app.labour import amount_from_monthly, hourly_equivalent, monthly_equivalent, paid_monthly_hours


def test_full_time_month_is_209_hours() -> None:
    assert paid_monthly_hours(40) == pytest.approx(209.0)


@pytest.mark.parametrize(
    ("wage_type", "amount", "hours", "hourly"),
    [
        ("hourly", 10_320, 40, 10_320),
        ("monthly", 2_156_880, 40, 10_320),  # the 2026 monthly minimum
        ("annual", 2_156_880 * 12, 40, 10_320),
        ("daily", 82_560, 40, 10_320),  # 8 h × 10,320
        ("hourly", 9_860, 20, 9_860),
    ],
)
def test_hourly_equivalent_of_each_wage_type(wage_type: str, amount: int, hours: float, hourly: float) -> None:
    assert hourly_equivalent(wage_type, amount, hours) == pytest.approx(hourly, rel=2e-3)


def test_monthly_round_trip_vectorised() -> None:
    types = np.array(["hourly", "daily", "monthly", "annual"])
    hours = np.array([20.0, 40.0, 44.0, 52.0])
    monthly = np.array([1_200_000.0, 2_500_000.0, 3_000_000.0, 4_000_000.0])
    amounts = amount_from_monthly(types, monthly, hours)
    assert np.allclose(monthly_equivalent(types, amounts, hours), monthly)


def test_unknown_wage_type_is_a_korean_error() -> None:
    with pytest.raises(ValueError, match="허용되지 않습니다"):
        monthly_equivalent("weekly", 1000, 40)


def test_overtime_hours_cost_more_than_regular_ones() -> None:
    assert paid_monthly_hours(52) - paid_monthly_hours(40) > 12 * 365 / 7 / 12


@pytest.mark.parametrize("hours", [3.5, 7.0, 14.0, 43.0, 46.5])
def test_hourly_wage_exactly_at_the_minimum_is_not_below_it(hours: float) -> None:
    # 10,030 × h / h floated back as 10,029.999… at these hours, so the verifier flagged a lawful ad
    assert hourly_equivalent("hourly", 10_030, hours) >= 10_030
