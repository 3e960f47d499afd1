"""Job-posting queries: filtered rows for the explorer and grouped counts for the overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Integer, Select, case, cast, func, literal, select

from app.db.orm import Employer, Posting, PostingOutcome
from app.db.repositories import read_frame


@dataclass(frozen=True)
class PostingFilter:
    """Conditions on postings; empty tuples and ``None`` mean "no condition".

    Attributes:
        region_codes: 시도 codes.
        keco_codes: KECO 소분류 codes (exact match).
        keco_prefix: KECO code prefix (a 대분류 digit) when no 소분류 list is given.
        employment_types: 정규직 | 계약직 | 시간제 | 일용직.
        wage_min: Lowest monthly-equivalent wage in KRW (inclusive).
        wage_max: Highest monthly-equivalent wage in KRW (inclusive).
        date_from: First opening date (inclusive).
        date_to: Last opening date (inclusive).
        employer_id: Only this employer's postings.
    """

    region_codes: tuple[str, ...] = ()
    keco_codes: tuple[str, ...] = ()
    keco_prefix: str | None = None
    employment_types: tuple[str, ...] = ()
    wage_min: int | None = None
    wage_max: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    employer_id: int | None = None


POSTING_COLUMNS: tuple[str, ...] = (
    "id",
    "employer_id",
    "employer_name",
    "title",
    "keco_code",
    "region_code",
    "employment_type",
    "career",
    "education",
    "wage_type",
    "wage_amount",
    "wage_monthly",
    "weekly_hours",
    "headcount",
    "open_date",
    "close_date",
    "n_applications",
    "filled",
    "filled_30d",
    "days_to_fill",
)
"""Columns of :func:`load_postings` (no free text: bodies are long and may hold contact data)."""


def _apply_filter(stmt: Select, flt: PostingFilter) -> Select:
    if flt.region_codes:
        stmt = stmt.where(Posting.region_code.in_(flt.region_codes))
    if flt.keco_codes:
        stmt = stmt.where(Posting.keco_code.in_(flt.keco_codes))
    elif flt.keco_prefix:
        stmt = stmt.where(Posting.keco_code.startswith(flt.keco_prefix, autoescape=True))
    if flt.employment_types:
        stmt = stmt.where(Posting.employment_type.in_(flt.employment_types))
    if flt.wage_min is not None:
        stmt = stmt.where(Posting.wage_monthly >= flt.wage_min)
    if flt.wage_max is not None:
        stmt = stmt.where(Posting.wage_monthly <= flt.wage_max)
    if flt.date_from is not None:
        stmt = stmt.where(Posting.open_date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Posting.open_date <= flt.date_to)
    if flt.employer_id is not None:
        stmt = stmt.where(Posting.employer_id == flt.employer_id)
    return stmt


def load_postings(engine: Engine, flt: PostingFilter | None = None) -> pd.DataFrame:
    """Postings matching ``flt`` with their observed outcome (outer join: open postings may have none).

    Args:
        engine: Database engine.
        flt: Conditions (``None`` = all postings).

    Returns:
        One row per posting with :data:`POSTING_COLUMNS`, newest opening first.
    """
    stmt = (
        select(
            Posting.id,
            Posting.employer_id,
            Employer.name.label("employer_name"),
            Posting.title,
            Posting.keco_code,
            Posting.region_code,
            Posting.employment_type,
            Posting.career,
            Posting.education,
            Posting.wage_type,
            Posting.wage_amount,
            Posting.wage_monthly,
            Posting.weekly_hours,
            Posting.headcount,
            Posting.open_date,
            Posting.close_date,
            PostingOutcome.n_applications,
            PostingOutcome.filled,
            PostingOutcome.filled_30d,
            PostingOutcome.days_to_fill,
        )
        .join(Employer, Employer.id == Posting.employer_id)
        .outerjoin(PostingOutcome, PostingOutcome.posting_id == Posting.id)
        .order_by(Posting.open_date.desc(), Posting.id.desc())
    )
    return read_frame(engine, _apply_filter(stmt, flt or PostingFilter()))


def _as_int(expr: ColumnElement[bool]) -> ColumnElement[int]:
    # SUM over booleans: cast so PostgreSQL accepts it and SQLite returns integers.
    return func.coalesce(func.sum(cast(expr, Integer)), 0)


def load_posting_counts(
    engine: Engine,
    *,
    as_of: dt.date | None = None,
    employer_id: int | None = None,
) -> pd.DataFrame:
    """Posting counts and outcome sums per (시도, KECO 소분류) cell.

    Grouping at this grain keeps the result small (regions × occupations) whatever the number of
    postings, and every overview figure can be rolled up from it.

    Args:
        engine: Database engine.
        as_of: Reference date: postings with ``close_date >= as_of`` count as open.
            ``None`` counts none as open.
        employer_id: Only this employer's postings.

    Returns:
        Columns ``region_code, keco_code, n_postings, n_open, n_outcome, n_filled, n_filled_30d,
        n_applications``.
    """
    n_open = (
        func.coalesce(func.sum(case((Posting.close_date >= as_of, 1), else_=0)), 0)
        if as_of is not None
        else literal(0)
    )
    stmt = (
        select(
            Posting.region_code,
            Posting.keco_code,
            func.count(Posting.id).label("n_postings"),
            n_open.label("n_open"),
            func.count(PostingOutcome.posting_id).label("n_outcome"),
            _as_int(PostingOutcome.filled).label("n_filled"),
            _as_int(PostingOutcome.filled_30d).label("n_filled_30d"),
            func.coalesce(func.sum(PostingOutcome.n_applications), 0).label("n_applications"),
        )
        .outerjoin(PostingOutcome, PostingOutcome.posting_id == Posting.id)
        .group_by(Posting.region_code, Posting.keco_code)
    )
    if employer_id is not None:
        stmt = stmt.where(Posting.employer_id == employer_id)
    frame = read_frame(engine, stmt)
    for col in ("n_postings", "n_open", "n_outcome", "n_filled", "n_filled_30d", "n_applications"):
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    return frame
