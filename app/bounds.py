"""Plausibility limits of input: one definition for the CSV importers and the hiring simulator.

A value outside these limits is a data error — a wage typed in the wrong unit, a shifted column, a
spreadsheet's ``1E+15`` — not an unusual job, so it is refused with a Korean reason instead of being
stored or scored. Values inside them may still be unlawful (a wage below the minimum wage, more than
52 hours a week): real postings contain those, so the importers warn about them and the
simulator names them (:func:`app.services.hiring.conditions.legal_issues`), but both accept them.

The importers (:mod:`app.db.importers`) and :mod:`app.services.hiring.conditions` read every limit
here, so a posting the importer accepts can always be opened in the simulator.
"""

from __future__ import annotations

import math
import re
from typing import Final

from app import labour

MIN_HOURLY_WAGE_KRW: Final = 1_000
"""Lowest hourly equivalent of a wage (a tenth of the minimum wage: anything lower is a unit error)."""
MAX_MONTHLY_WAGE_KRW: Final = 100_000_000
"""Highest monthly equivalent of a wage (월 1억원)."""
MAX_WAGE_AMOUNT_KRW: Final = 2_000_000_000
"""Highest amount of any one wage figure (an annual salary at the monthly limit is 12억원)."""

MIN_WEEKLY_HOURS: Final = 1.0
MAX_WEEKLY_HOURS: Final = 68.0
"""Input range of weekly hours: the pre-2018 statutory maximum; above 52 h is accepted but unlawful."""

MAX_MIN_CAREER_YEARS: Final = 30
"""Most years of experience a posting may require."""
MAX_CAREER_YEARS: Final = 90.0
"""Most years of experience a seeker may report (also at most the age minus 15)."""
MAX_HEADCOUNT: Final = 1_000
"""Most people one posting may seek."""

MAX_TEXT_CHARS: Final = 20_000
"""Longest free text: a posting's full body, each of its sections, a résumé, a cover letter."""

MAX_SEARCH_SENTENCE_CHARS: Final = 300
"""Longest sentence a search box takes ("지게차 경력 3년 이상, 평택 근무 가능한 분" is 24): a search
states conditions, not a posting; anything longer is a pasted document."""

MAX_MESSAGE_CHARS: Final = 1_000
"""Longest message between a seeker and a counsellor (a question about a training course, its answer):
a few paragraphs; anything longer is a pasted document."""
MAX_NOTE_CHARS: Final = 300
"""Longest short note a counsellor attaches to a record (a course added to a seeker's plan)."""

_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters except tab, line feed and carriage return (line breaks in a
cell are legitimate). NUL in particular truncates text in C-based tools and is refused by PostgreSQL."""


def wage_problem(hourly: float, monthly: float) -> str | None:
    """Why a wage with these equivalents is implausible (Korean, ends without a period), or ``None``.

    Args:
        hourly: Hourly equivalent in KRW (:func:`app.labour.hourly_equivalent`).
        monthly: Monthly equivalent in KRW (:func:`app.labour.monthly_equivalent`).
    """
    if not (math.isfinite(hourly) and math.isfinite(monthly)):
        return "숫자가 아닙니다"
    if hourly < MIN_HOURLY_WAGE_KRW:
        return f"시간당 {MIN_HOURLY_WAGE_KRW:,}원도 되지 않습니다"
    if monthly > MAX_MONTHLY_WAGE_KRW:
        return f"월 {MAX_MONTHLY_WAGE_KRW // 100_000_000}억원을 넘습니다"
    return None


def monthly_wage_problem(monthly: float) -> str | None:
    """:func:`wage_problem` for a monthly amount at full time (e.g. a seeker's desired wage)."""
    hourly = float(labour.hourly_equivalent("monthly", monthly, labour.FULL_TIME_HOURS))
    return wage_problem(hourly, float(monthly))


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab and line breaks (NUL included)."""
    return _CONTROL_CHARACTERS.search(text) is not None
