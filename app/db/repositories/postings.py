"""Job-posting queries and writes: filtered rows for the explorer, grouped counts for the overview,
one posting's conditions and owner, wage and scoring rows for the hiring pages, and new postings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Integer, Select, case, cast, false, func, literal, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.orm import Employer, Hire, Posting, PostingLabel, PostingOutcome, PostingVersion
from app.db.repositories import AreaFilter, filtered, id_chunks, read_frame, snapshots


@dataclass(frozen=True)
class PostingFilter(AreaFilter):
    """Conditions on postings (:class:`AreaFilter`: region, occupation, opening date), employment type, wage, employer.

    Attributes:
        employment_types: 정규직 | 계약직 | 시간제 | 일용직.
        wage_min: Lowest monthly-equivalent wage in KRW (inclusive).
        wage_max: Highest monthly-equivalent wage in KRW (inclusive).
        employer_id: Only this employer's postings.
    """

    employment_types: tuple[str, ...] = ()
    wage_min: int | None = None
    wage_max: int | None = None
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
    stmt = filtered(stmt, flt, region=Posting.region_code, occupation=Posting.keco_code, date=Posting.open_date,
                    ranges=((Posting.wage_monthly, flt.wage_min, flt.wage_max),))
    if flt.employment_types:
        stmt = stmt.where(Posting.employment_type.in_(flt.employment_types))
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
        as_of: Reference date: postings opened on or before it and closing on or after it
            count as open (a posting opened later is not yet there on that day).
            ``None`` counts none as open.
        employer_id: Only this employer's postings.

    Returns:
        Columns ``region_code, keco_code, n_postings, n_open, n_outcome, n_filled, n_filled_30d,
        n_applications``.
    """
    if employer_id is None:
        # every posting: a snapshot, read again when a posting or an outcome is added (newest ids) or the
        # world regenerated; a revision never changes what is counted here (occupation, region and dates
        # are not editable, EDITABLE_COLUMNS)
        return snapshots.snapshot(engine, f"posting_counts:{as_of}",
                                  [snapshots.newest(Posting.id), snapshots.newest(PostingOutcome.posting_id)],
                                  lambda: _count_postings(engine, as_of, None))
    return _count_postings(engine, as_of, employer_id)


def _count_postings(engine: Engine, as_of: dt.date | None, employer_id: int | None) -> pd.DataFrame:
    n_open = (
        func.coalesce(func.sum(case(((Posting.open_date <= as_of) & (Posting.close_date >= as_of), 1), else_=0)), 0)
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


# --------------------------------------------------------------------------- one posting and its owner

DUPLICATE_RULE = "DUPLICATE"
"""Label rule id of a re-posted posting (``duplicate_of`` names the original)."""

SECTION_COLUMNS: tuple[str, ...] = (
    "company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process", "documents",
)
"""The text sections of a posting, in the order postings show them."""


def load_picker_rows(engine: Engine, employer_id: int | None) -> pd.DataFrame:
    """Postings for a picker, newest first: one employer's, or every posting (``None``).

    Returns:
        Columns ``id, employer_id, title, keco_code, region_code, wage_type, wage_amount, open_date,
        filled_30d`` (``filled_30d`` missing while the outcome is unknown).
    """
    stmt = (
        select(
            Posting.id, Posting.employer_id, Posting.title, Posting.keco_code, Posting.region_code,
            Posting.wage_type, Posting.wage_amount, Posting.open_date, PostingOutcome.filled_30d,
        )
        .outerjoin(PostingOutcome, PostingOutcome.posting_id == Posting.id)
        .order_by(Posting.open_date.desc(), Posting.id.desc())
    )
    if employer_id is not None:
        stmt = stmt.where(Posting.employer_id == int(employer_id))
    return read_frame(engine, stmt)


def load_posting_conditions(engine: Engine, posting_id: int) -> dict[str, object] | None:
    """What a posting offers and asks for, with its employer's size band and its text sections.

    Returns:
        ``employer_id, keco_code, region_code, wage_type, wage_amount, weekly_hours, employment_type,
        career, min_career_years, education, welfare_codes, open_date, body, size_code`` and the
        :data:`SECTION_COLUMNS`; ``None`` when there is no such posting.
    """
    columns = [Posting.employer_id, Posting.keco_code, Posting.region_code, Posting.wage_type, Posting.wage_amount,
               Posting.weekly_hours, Posting.employment_type, Posting.career, Posting.min_career_years,
               Posting.education, Posting.welfare_codes, Posting.open_date, Posting.body, Employer.size_code]
    columns += [getattr(Posting, name) for name in SECTION_COLUMNS]
    stmt = select(*columns).join(Employer, Employer.id == Posting.employer_id).where(Posting.id == int(posting_id))
    with Session(engine) as session:
        row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def posting_owner(uow: Session, posting_id: int) -> int | None:
    """The employer id of a posting inside a unit of work (``None`` when there is no such posting)."""
    owner = uow.scalar(select(Posting.employer_id).where(Posting.id == int(posting_id)))
    return None if owner is None else int(owner)


def posting_exists(uow: Session, posting_id: int) -> bool:
    """Whether the posting exists, inside a unit of work."""
    return uow.get(Posting, int(posting_id)) is not None


def add_posting(uow: Session, values: Mapping[str, object]) -> int:
    """Insert one posting inside a unit of work; returns its id.

    Args:
        uow: The unit of work (:func:`app.db.repositories.unit_of_work`).
        values: Column values of :class:`app.db.orm.Posting` (``id`` is assigned).
    """
    posting = Posting(**dict(values))
    uow.add(posting)
    uow.flush()
    return int(posting.id)


# --------------------------------------------------------------------------- groups of postings


def load_wage_rows(engine: Engine, *, keco_codes: Sequence[str] | None = None, keco_prefix: str | None = None) -> pd.DataFrame:
    """Wage facts of postings: ``keco_code, region_code, wage_monthly, weekly_hours, welfare_codes``.

    Args:
        engine: Product database.
        keco_codes: Only these KECO 소분류 codes.
        keco_prefix: Only codes starting with this (a 대분류 digit), when ``keco_codes`` is None.
    """
    stmt = select(Posting.keco_code, Posting.region_code, Posting.wage_monthly, Posting.weekly_hours, Posting.welfare_codes)
    if keco_codes is not None:
        stmt = stmt.where(Posting.keco_code.in_(list(keco_codes)))
    elif keco_prefix is not None:
        stmt = stmt.where(Posting.keco_code.startswith(keco_prefix, autoescape=True))
    return read_frame(engine, stmt)


def load_scoring_rows(engine: Engine, ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Every posting (or the postings ``ids``) with what the hiring model scores, by id.

    Returns:
        ``id, employer_id, employer, title, keco_code, region_code, size_code, wage_type, wage_amount,
        wage_monthly, weekly_hours, employment_type, career, min_career_years, education,
        welfare_codes, open_date, n_sections, body_chars`` (a section counts when it holds more than
        blanks, the model's rule).
    """

    def filled(column: object) -> object:
        return case((func.length(func.trim(func.coalesce(column, ""))) > 0, 1), else_=0)

    n_sections = sum((filled(getattr(Posting, name)) for name in SECTION_COLUMNS[1:]), filled(Posting.company_intro))
    stmt = (
        select(
            Posting.id, Posting.employer_id, Employer.name.label("employer"), Posting.title, Posting.keco_code,
            Posting.region_code, Employer.size_code, Posting.wage_type, Posting.wage_amount, Posting.wage_monthly,
            Posting.weekly_hours, Posting.employment_type, Posting.career, Posting.min_career_years,
            Posting.education, Posting.welfare_codes, Posting.open_date,
            func.cast(n_sections, Integer).label("n_sections"),
            func.coalesce(func.length(Posting.body), 0).label("body_chars"),
        )
        .join(Employer, Employer.id == Posting.employer_id)
        .order_by(Posting.id)
    )
    if ids is None:
        return read_frame(engine, stmt)
    parts = [read_frame(engine, stmt.where(Posting.id.in_(chunk))) for chunk in id_chunks(ids)]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts[0] if parts else read_frame(engine, stmt.where(false())))


def load_listing_rows(engine: Engine, ids: Sequence[int]) -> pd.DataFrame:
    """Display facts and outcomes of the postings ``ids`` (in no particular order; unknown ids dropped).

    Returns:
        ``id, title, employer_name, keco_code, wage_type, wage_amount, wage_monthly, weekly_hours,
        employment_type, filled, filled_30d, days_to_fill, n_applications`` (outcome columns missing
        while a posting has none).
    """
    stmt = (
        select(
            Posting.id, Posting.title, Employer.name.label("employer_name"), Posting.keco_code,
            Posting.wage_type, Posting.wage_amount, Posting.wage_monthly, Posting.weekly_hours,
            Posting.employment_type, PostingOutcome.filled, PostingOutcome.filled_30d,
            PostingOutcome.days_to_fill, PostingOutcome.n_applications,
        )
        .join(Employer, Employer.id == Posting.employer_id)
        .outerjoin(PostingOutcome, PostingOutcome.posting_id == Posting.id)
        .where(Posting.id.in_([int(i) for i in ids]))
    )
    return read_frame(engine, stmt)


def load_duplicate_labels(engine: Engine, posting_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Observed duplicate labels: ``posting_id`` re-posts ``duplicate_of`` (all, or of ``posting_ids``)."""
    stmt = select(PostingLabel.posting_id, PostingLabel.duplicate_of).where(
        PostingLabel.rule_id == DUPLICATE_RULE, PostingLabel.duplicate_of.is_not(None)
    )
    if posting_ids is not None:
        stmt = stmt.where(PostingLabel.posting_id.in_([int(i) for i in posting_ids]))
    return read_frame(engine, stmt)


def count_postings_by(engine: Engine, column: str) -> dict[str, int]:
    """Postings per value of ``column`` (``"region_code"`` or ``"keco_code"``)."""
    col = getattr(Posting, column)
    with engine.connect() as conn:
        return dict(conn.execute(select(col, func.count()).group_by(col)).all())


# --------------------------------------------------------------------------- a posting's content (versions)

CONTENT_COLUMNS: tuple[str, ...] = (
    "employer_id", "keco_code", "region_code", "title", *SECTION_COLUMNS, "body", "wage_type", "wage_amount",
    "wage_monthly", "weekly_hours", "employment_type", "career", "min_career_years", "education", "welfare_codes",
    "contact", "year", "open_date",
)
"""What a new version of a posting may change, and what verifying it needs."""

EDITABLE_COLUMNS: frozenset[str] = frozenset({
    "title", *SECTION_COLUMNS, "body", "wage_type", "wage_amount", "wage_monthly", "weekly_hours",
    "employment_type", "career", "min_career_years", "education", "welfare_codes",
})
"""Columns :func:`update_posting_content` writes (occupation, region, owner and dates stay)."""


def load_posting_content(uow: Session, posting_id: int) -> dict[str, object] | None:
    """A posting's :data:`CONTENT_COLUMNS` with its employer's ``employer_name`` and ``size_code``,
    inside a unit of work (``None`` when there is no such posting)."""
    stmt = (
        select(*(getattr(Posting, name) for name in CONTENT_COLUMNS), Employer.name.label("employer_name"),
               Employer.size_code)
        .join(Employer, Employer.id == Posting.employer_id)
        .where(Posting.id == int(posting_id))
    )
    row = uow.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def update_posting_content(uow: Session, posting_id: int, values: Mapping[str, object]) -> None:
    """Write a new current version into the posting row and stamp ``updated_at`` (UTC), inside a
    unit of work; the review queue sees the new text and time.

    Raises:
        ValueError: A column outside :data:`EDITABLE_COLUMNS` (a programming error).
    """
    unknown = sorted(set(values) - EDITABLE_COLUMNS)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    uow.execute(update(Posting).where(Posting.id == int(posting_id)).values(**dict(values), updated_at=stamp))


def load_outcomes(engine: Engine, posting_ids: Sequence[int]) -> pd.DataFrame:
    """Observed outcomes of postings: ``posting_id, filled, filled_30d, days_to_fill, n_hires``
    (postings without an outcome row are missing; ``n_hires`` counts ``hires`` rows)."""
    ids = [int(i) for i in posting_ids]
    if not ids:
        return pd.DataFrame(columns=["posting_id", "filled", "filled_30d", "days_to_fill", "n_hires"])
    hires = (
        select(Hire.posting_id, func.count(Hire.id).label("n_hires")).where(Hire.posting_id.in_(ids))
        .group_by(Hire.posting_id).subquery()
    )
    stmt = (
        select(PostingOutcome.posting_id, PostingOutcome.filled, PostingOutcome.filled_30d,
               PostingOutcome.days_to_fill, func.coalesce(hires.c.n_hires, 0).label("n_hires"))
        .outerjoin(hires, hires.c.posting_id == PostingOutcome.posting_id)
        .where(PostingOutcome.posting_id.in_(ids))
    )
    return read_frame(engine, stmt)


def load_postings_stamp(engine: Engine) -> str:
    """``"<max posting id>:<max version id>:<pending versions>"``: what users change in the postings.

    Three index lookups (two primary keys and ``posting_versions.status``), so every page run of
    every app process may read it as a cache key.

    Returns:
        The stamp; ``""`` when the tables are missing (no world yet).
    """
    query = select(
        select(func.max(Posting.id)).scalar_subquery(),
        select(func.max(PostingVersion.id)).scalar_subquery(),
        select(func.count()).select_from(PostingVersion).where(PostingVersion.status == "pending").scalar_subquery(),
    )
    try:
        with engine.connect() as conn:
            newest_posting, newest_version, pending = conn.execute(query).one()
    except SQLAlchemyError:
        return ""
    return f"{newest_posting or 0}:{newest_version or 0}:{pending or 0}"
