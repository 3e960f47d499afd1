"""Wage figures of an imported posting: its monthly equivalent and the minimum-wage screen.

The arithmetic is :mod:`app.labour`'s (float, vectorised, shared with the world and the models)
and the statutory minimum wage is :func:`app.labour.minimum_wage_table` (the reference table
``data/reference/minimum_wage.csv``). This module only adds what an import needs on
top: input checks with Korean messages, whole-won rounding and line-numbered warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app import labour

if TYPE_CHECKING:  # rows imports this module for monthly_wage_krw
    from app.db.importers.rows import PostingRow


def monthly_wage_krw(wage_type: str, amount: int, weekly_hours: float = labour.FULL_TIME_HOURS) -> int:
    """Validate a posted wage and convert it to whole won a month (the ``wage_monthly`` column).

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
    overtime × 1.5). The arithmetic is :func:`app.labour.monthly_equivalent`, the one the
    synthetic world uses for ``wage_monthly``, so imported and generated postings stay comparable;
    this wrapper checks the input and rounds to the nearest won, ties to even (as the world does).

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
    if wage_type not in labour.WAGE_TYPES:
        raise ValueError(f"임금 형태 '{wage_type}'는 허용되지 않습니다 ({', '.join(labour.WAGE_TYPES)})")
    if not weekly_hours > 0:
        raise ValueError(f"주당 근로시간은 0보다 커야 합니다 (입력값: {weekly_hours!r})")
    return round(float(labour.monthly_equivalent(wage_type, amount, weekly_hours)))


@dataclass(frozen=True)
class MinimumWageScreen:
    """The import's minimum-wage screen: line-numbered warnings for postings paid below the minimum
    wage of their year (:class:`app.labour.MinimumWageTable`; rejecting them is the verifier's job).

    Attributes:
        table: The statutory minimum wage by year (empty when the reference table is missing).
    """

    table: labour.MinimumWageTable

    def compares(self, year: int) -> bool:
        """Whether postings of ``year`` can be compared (the table knows the year)."""
        return self.table.knows(year)

    def warning(self, line: int, row: PostingRow) -> str | None:
        """A line-numbered warning when the row pays below its year's minimum wage, else None.

        Uses :func:`app.labour.hourly_equivalent` and :func:`app.labour.below_minimum`, the shared
        figure and check, so this warning and a later verification agree.
        """
        year = row.open_date.year
        if not self.compares(year):
            return None
        minimum = self.table.for_year(year)
        hourly = float(labour.hourly_equivalent(row.wage_type, row.wage_amount, row.weekly_hours))
        if not labour.below_minimum(hourly, minimum):
            return None
        return (
            f"{line}행: 임금이 {year}년 최저임금보다 낮습니다 (시간당 약 {int(hourly):,}원 < {minimum:,}원). "
            "가져오기는 했지만 공고 검증에서 걸러집니다"
        )

    def not_compared_note(self, count: int) -> str:
        """The summary warning for ``count`` postings whose year the table does not know."""
        first, last = self.table.first_year, self.table.last_year
        if first is None:
            return (
                "최저임금 기준표(data/reference/minimum_wage.csv)를 읽지 못해 "
                f"공고 {count}건은 최저임금 비교를 하지 않았습니다"
            )
        return f"{first}년 이전 공고 {count}건은 최저임금 비교를 하지 않았습니다 (기준표: {first}~{last}년)"


def load_minimum_wage_screen() -> MinimumWageScreen:
    """The screen over the reference table; a missing table means no comparison, not a failure."""
    return MinimumWageScreen(labour.minimum_wage_table())
