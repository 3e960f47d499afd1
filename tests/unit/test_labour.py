"""Wage arithmetic: the 209-hour convention and minimum-wage equivalents."""

from __future__ import annotations

import numpy as np
import pytest

from app.labour import (
    MinimumWageTable,
    MinimumWageUnknown,
    amount_from_monthly,
    below_minimum,
    from_full_time_equivalent,
    full_time_equivalent,
    hourly_equivalent,
    lawful_minimum_amount,
    minimum_wage,
    monthly_equivalent,
    monthly_minimum_wage,
    paid_monthly_hours,
)
from app.text.korean import today_kst


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


MINIMUM = {2023: 9_620, 2024: 9_860, 2025: 10_030, 2026: 10_320}


def test_year_beyond_the_table_uses_the_latest() -> None:
    later = MinimumWageTable(MINIMUM).lookup(2031)
    assert (later.year, later.hourly, later.table_year) == (2031, 10_320, 2026)
    inside = MinimumWageTable(MINIMUM).lookup(2024)
    assert (inside.year, inside.hourly, inside.table_year) == (2024, 9_860, 2024)
    gap = MinimumWageTable({2023: 9_620, 2026: 10_320}).lookup(2025)  # a missing year uses the year before
    assert (gap.hourly, gap.table_year) == (9_620, 2023)


def test_year_before_the_table_raises() -> None:
    with pytest.raises(MinimumWageUnknown, match="2022년 최저임금 정보가 없습니다"):
        MinimumWageTable(MINIMUM).lookup(2022)
    with pytest.raises(MinimumWageUnknown, match="최저임금 기준표"):
        MinimumWageTable({}).lookup(2026)
    assert isinstance(MinimumWageUnknown("x"), ValueError)  # callers written against ValueError still catch it


def test_default_year_is_this_year() -> None:
    assert MinimumWageTable(MINIMUM).lookup(None).year == today_kst().year


def test_vectorised_lookup_matches_the_scalar_one() -> None:
    table = MinimumWageTable(MINIMUM)
    years = np.array([2023, 2024, 2025, 2026, 2030, 2024])
    assert table.for_years(years).tolist() == [table.for_year(int(y)) for y in years]
    with pytest.raises(MinimumWageUnknown):
        table.for_years(np.array([2024, 2019]))


def test_minimum_wage_of_the_reference_table() -> None:
    assert minimum_wage(2025) == 10_030 and monthly_minimum_wage(2026) == 2_156_880
    assert minimum_wage(2027) == 10_320  # after the table: its latest year (changed on purpose, was an error)


def test_below_minimum_tolerates_float_error_only() -> None:
    minimum = 10_320
    assert not below_minimum(hourly_equivalent("monthly", 2_156_880, 40.0), minimum)
    assert below_minimum(hourly_equivalent("monthly", 2_156_879, 40.0), minimum)  # one won a month short
    assert below_minimum(hourly_equivalent("annual", 2_156_880 * 12 - 1, 40.0), minimum)  # one won a year short
    assert below_minimum(np.array([10_319.99, 10_320.0]), minimum).tolist() == [True, False]


def test_full_time_equivalent_round_trips() -> None:
    for hours in (15.0, 20.0, 40.0, 52.0):
        fte = full_time_equivalent(1_500_000.0, hours)
        assert from_full_time_equivalent(fte, hours) == pytest.approx(1_500_000.0)
    assert full_time_equivalent(2_000_000.0, 40.0) == pytest.approx(2_000_000.0)


def test_lawful_minimum_amount_is_the_first_lawful_won() -> None:
    for wage_type in ("hourly", "daily", "monthly", "annual"):
        for hours in (14.0, 20.0, 40.0, 46.5):
            amount = lawful_minimum_amount(wage_type, hours, 10_320)
            assert not below_minimum(hourly_equivalent(wage_type, amount, hours), 10_320)
            # within a won of the exact minimum (ceil of the float inverse may land one won above it)
            assert hourly_equivalent(wage_type, amount - 2, hours) < 10_320
