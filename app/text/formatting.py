"""Korean number and money formatting for display (pure functions, no Streamlit).

Money is stored as integer KRW; people read monthly wages in 만원 ("월 250만원"), hourly wages in
원 ("시급 10,320원"). Rounding happens only here, at display time.
"""

from __future__ import annotations

import math

_WAGE_PREFIX = {"hourly": "시급", "daily": "일급", "monthly": "월", "annual": "연"}


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_manwon(amount_krw: float | int | None, *, decimals: int = 0) -> str:
    """Format a KRW amount in 만원 (10,000 KRW), e.g. ``2_500_000 -> "250만원"``.

    Args:
        amount_krw: Amount in KRW (``None``/NaN gives ``"-"``).
        decimals: Digits after the decimal point of the 만원 figure.

    Returns:
        Text such as ``"1,250만원"``, ``"1억 2,000만원"``, ``"5,000원"`` (under 1만원) or ``"-"``.
    """
    if _is_missing(amount_krw):
        return "-"
    sign = "-" if amount_krw < 0 else ""
    amount = abs(float(amount_krw))
    if amount < 10_000:
        return f"{sign}{round(amount):,}원"  # "0만원" for 5,000원 would hide the amount
    manwon = round(amount / 10_000, decimals)
    eok, rest = divmod(manwon, 10_000)
    if eok >= 1:
        # Korean reads 억 (10^8) as its own unit: 1억 2,000만원, not 12,000만원.
        rest_text = f" {rest:,.{decimals}f}만원" if rest else "원"
        return f"{sign}{int(eok):,}억{rest_text}"
    return f"{sign}{manwon:,.{decimals}f}만원"


def format_krw(amount_krw: float | int | None) -> str:
    """Format a KRW amount in 원 with thousands separators, e.g. ``"10,320원"``."""
    if _is_missing(amount_krw):
        return "-"
    return f"{round(amount_krw):,}원"


def format_krw_wage(amount_krw: float | int | None, wage_type: str = "monthly") -> str:
    """Format a wage the way Korean postings do.

    Monthly and annual wages are shown in 만원, hourly and daily wages in 원.

    Args:
        amount_krw: Wage in KRW per ``wage_type`` unit.
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual``.

    Returns:
        E.g. ``"월 250만원"``, ``"연 3,600만원"``, ``"시급 10,320원"``; ``"-"`` when missing.
    """
    if _is_missing(amount_krw):
        return "-"
    prefix = _WAGE_PREFIX.get(wage_type, "")
    body = format_manwon(amount_krw) if wage_type in ("monthly", "annual") else format_krw(amount_krw)
    return f"{prefix} {body}".strip()


def format_rate(rate: float | None, *, decimals: int = 1) -> str:
    """Format a 0–1 rate as a percentage, e.g. ``0.632 -> "63.2%"`` (``"-"`` when missing)."""
    if _is_missing(rate):
        return "-"
    return f"{rate * 100:.{decimals}f}%"


def format_count(n: float | int | None, unit: str = "") -> str:
    """Format a count with thousands separators and an optional unit, e.g. ``"1,234건"``."""
    if _is_missing(n):
        return "-"
    return f"{int(n):,}{unit}"


def format_number(value: float | int | None, unit: str = "", *, decimals: int = 1) -> str:
    """Format a real number with a unit, e.g. ``7.1 -> "7.1명"`` (``"-"`` when missing)."""
    if _is_missing(value):
        return "-"
    return f"{value:,.{decimals}f}{unit}"
