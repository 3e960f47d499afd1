"""Money formatting for world documents: KRW amounts the way Korean people read them."""

from __future__ import annotations

from typing import Final

__all__ = ["format_krw_wage", "format_manwon"]


# app/text/formatting.py already exists with a different contract (amount first, "연 3,600만원",
# no 억), so these helpers with the contract the world generator needs live here.
def format_manwon(amount: int) -> str:
    """Format a KRW amount the way Korean people read it.

    Args:
        amount: Amount in KRW (non-negative integer).

    Returns:
        ``2_500_000 -> "250만원"``, ``32_000_000 -> "3,200만원"``,
        ``120_000_000 -> "1억 2,000만원"``, ``100_000_000 -> "1억원"``,
        ``2_156_880 -> "215만 6,880원"``, ``5_000 -> "5,000원"``.

    Raises:
        ValueError: If the amount is negative.
    """
    amount = int(amount)
    if amount < 0:
        raise ValueError(f"금액은 0 이상이어야 합니다 (입력값: {amount})")
    if amount == 0:
        return "0원"
    eok, rest = divmod(amount, 100_000_000)
    man, won = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if won:
        parts.append(f"{won:,}")
    return " ".join(parts) + "원"


_WAGE_TYPES: Final[dict[str, str]] = {
    "hourly": "hourly", "daily": "daily", "monthly": "monthly", "annual": "annual",
    "시급": "hourly", "일급": "daily", "월급": "monthly", "연봉": "annual",
}


def _wage_type(wage_type: str) -> str:
    wt = _WAGE_TYPES.get(wage_type)
    if wt is None:
        raise ValueError(
            f"알 수 없는 임금 형태입니다: {wage_type!r} (hourly, daily, monthly, annual 중 하나)"
        )
    return wt


def format_krw_wage(wage_type: str, amount: int) -> str:
    """Format a wage as Korean postings show it.

    Args:
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual`` (or 시급/일급/월급/연봉).
        amount: Wage in KRW per unit.

    Returns:
        ``"시급 10,320원"``, ``"일급 12만원"``, ``"월 250만원"``, ``"연봉 3,200만원"``,
        ``"연봉 1억 2,000만원"``.

    Raises:
        ValueError: On an unknown wage type or a negative amount.
    """
    wt = _wage_type(wage_type)
    amount = int(amount)
    if amount < 0:
        raise ValueError(f"임금은 0 이상이어야 합니다 (입력값: {amount})")
    if wt == "hourly":
        return f"시급 {amount:,}원"
    if wt == "daily":
        return f"일급 {format_manwon(amount)}"
    if wt == "monthly":
        return f"월 {format_manwon(amount)}"
    return f"연봉 {format_manwon(amount)}"


def _round_manwon(amount: int) -> int:
    """People state a desired wage in whole 만원 ("월 300만원"), not to the won."""
    return max(10_000, int(round(int(amount), -4)))
