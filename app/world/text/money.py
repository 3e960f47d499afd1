"""Money in world documents: the world's wage-type names and how people round a desired wage.

The formatting itself is :func:`app.text.korean.format_wage` (``style="exact"``) and
:func:`app.text.korean.format_won_exact`.
"""

from __future__ import annotations

from app.reference.codes import wage_type_code


def _wage_type(wage_type: str) -> str:
    """The wage-type code of a code or Korean name (시급, 일급, 월급, 연봉); Korean ValueError otherwise."""
    return wage_type_code(wage_type)


def _round_manwon(amount: int) -> int:
    """People state a desired wage in whole 만원 ("월 300만원"), not to the won."""
    return max(10_000, int(round(int(amount), -4)))
