"""Display formatting of Korean money, rates and counts."""

from __future__ import annotations

import pytest

from app.text.korean import format_count, format_manwon, format_rate, format_wage


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (2_500_000, "250만원"),
        (32_000_000, "3,200만원"),
        (100_000_000, "1억원"),
        (120_000_000, "1억 2,000만원"),
        (5_000, "5,000원"),
        (None, "-"),
        (float("nan"), "-"),
    ],
)
def test_format_manwon(amount, text: str) -> None:
    assert format_manwon(amount) == text


def test_wage_prefixes_follow_the_wage_type() -> None:
    assert format_wage("monthly", 2_500_000) == "월 250만원"
    assert format_wage("hourly", 10_320) == "시급 10,320원"
    assert format_wage("annual", 36_000_000) == "연 3,600만원"


def test_rates_and_counts() -> None:
    assert format_rate(0.632) == "63.2%"
    assert format_count(1234, "건") == "1,234건"
