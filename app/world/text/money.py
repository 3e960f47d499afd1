"""How people round a desired wage in world documents (the formatting itself is
:func:`app.text.korean.format_wage` with ``style="exact"``)."""

from __future__ import annotations


def _round_manwon(amount: int) -> int:
    """People state a desired wage in whole 만원 ("월 300만원"), not to the won."""
    return max(10_000, int(round(int(amount), -4)))
