"""Facts about the whole database: is there a world, how big, which dates it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.orm import Base, Course, Employer, Posting, Seeker, WorldMeta, create_schema, drop_schema
from app.db.repositories import snapshots

# Tables the overview needs; a world missing any of them is treated as "not built".
REQUIRED_TABLES: tuple[str, ...] = (
    Employer.__tablename__,
    Posting.__tablename__,
    Seeker.__tablename__,
    Course.__tablename__,
)


@dataclass(frozen=True)
class DateBounds:
    """First and last date of a date column (``None`` when the table is empty)."""

    first: dt.date | None
    last: dt.date | None


def has_world(engine: Engine) -> bool:
    """Tell whether the database holds a generated (or imported) world.

    Args:
        engine: Database engine.

    Returns:
        True when the required tables exist and there is at least one posting.
    """
    try:
        names = set(inspect(engine).get_table_names())
        if not set(REQUIRED_TABLES) <= names:
            return False
        with Session(engine) as session:
            return session.execute(select(Posting.id).limit(1)).first() is not None
    except SQLAlchemyError:
        # An unreachable or corrupt database counts as "no world": the UI then names the build
        # command instead of showing a driver traceback.
        return False


def load_world_meta(engine: Engine) -> dict[str, str]:
    """Return the ``world_meta`` key/value pairs (empty when the table is missing)."""
    try:
        with Session(engine) as session:
            return {k: v for k, v in session.execute(select(WorldMeta.key, WorldMeta.value)).all()}
    except SQLAlchemyError:
        return {}


REFERENCE_DATE_KEY = "reference_date"
"""``world_meta`` key of the data's one reference date (기준일)."""
WORLD_VERSION_KEY = "world_version"
"""``world_meta`` key of the generator's content version (missing in worlds built before it)."""


def _meta_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def load_reference_date(engine: Engine) -> dt.date | None:
    """The data's one reference date (기준일): "today" for every page, count and elapsed day.

    Every "등록 후 N일", the caseload, the employment model's training cut and the home page's
    "게시 중인 공고" are computed against this date and no other. The generator stores it in
    ``world_meta`` (:data:`REFERENCE_DATE_KEY`); a world written before the key existed, or
    imported data, falls back to the latest seeker registration (the caseload date those worlds
    were scored on), then to the last posting opening.

    Args:
        engine: Database engine.

    Returns:
        The reference date, or ``None`` when there is neither metadata nor any seeker or posting.
    """
    stored = _meta_date(load_world_meta(engine).get(REFERENCE_DATE_KEY))
    if stored is not None:
        return stored
    try:
        with Session(engine) as session:
            latest = session.scalar(select(func.max(Seeker.registered_on)))
            if latest is None:
                latest = session.scalar(select(func.max(Posting.open_date)))
    except SQLAlchemyError:
        return None
    if latest is None or isinstance(latest, dt.date):
        return latest
    return _meta_date(str(latest))


def load_table_counts(engine: Engine) -> dict[str, int]:
    """Row counts of employers, postings, seekers and courses.

    A snapshot (:mod:`app.db.repositories.snapshots`): counting a million rows is read again only when
    one of the tables got a new row (its newest id moves) or the world was regenerated; the app adds
    rows to these tables but never deletes any.
    """
    tables = (Employer, Posting, Seeker, Course)

    def count() -> pd.DataFrame:
        with Session(engine) as session:
            return pd.DataFrame({"table": [t.__tablename__ for t in tables],
                                 "n": [int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables]})

    frame = snapshots.snapshot(engine, "table_counts", [snapshots.newest(t.id) for t in tables], count)
    return {str(t): int(n) for t, n in zip(frame["table"], frame["n"], strict=True)}


def load_date_bounds(engine: Engine) -> dict[str, DateBounds]:
    """Date ranges of posting openings, seeker registrations and course starts.

    Returns:
        ``{"postings": …, "seekers": …, "courses": …}``.
    """
    columns = {
        "postings": Posting.open_date,
        "seekers": Seeker.registered_on,
        "courses": Course.start_date,
    }
    out: dict[str, DateBounds] = {}
    with Session(engine) as session:
        for name, col in columns.items():
            first, last = session.execute(select(func.min(col), func.max(col))).one()
            out[name] = DateBounds(first=first, last=last)
    return out


def load_last_posting_close(engine: Engine) -> dt.date | None:
    """Latest close date of any posting (fallback for the world's reference date)."""
    with Session(engine) as session:
        return session.scalar(select(func.max(Posting.close_date)))


# --------------------------------------------------------------------------- schema and the build


def ensure_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet (tables added by a later release appear in an
    existing database without regenerating the world)."""
    create_schema(engine)


def reset_schema(engine: Engine) -> None:
    """Drop every product table and create them empty (before a new world is written)."""
    drop_schema(engine)
    create_schema(engine)


def read_world_meta(engine: Engine) -> dict[str, str]:
    """The world's metadata (empty when the database holds no world table yet)."""
    if not inspect(engine).has_table(WorldMeta.__tablename__):
        return {}
    with engine.connect() as conn:
        return {k: v for k, v in conn.execute(select(WorldMeta.key, WorldMeta.value)).all()}


def count_rows_not_generated(engine: Engine) -> int:
    """Postings and seekers that the world generator did not write (imported, or written in the app
    by the posting assistant): what regenerating the world would lose."""
    with Session(engine) as session:
        return sum(
            int(session.scalar(select(func.count()).select_from(table).where(table.source != "world")) or 0)
            for table in (Posting, Seeker)
        )


def load_row_counts(engine: Engine, *, exclude: frozenset[str] = frozenset()) -> dict[str, int]:
    """Rows per product table, by table name, except ``exclude``."""
    counts = {}
    with engine.connect() as conn:
        for name, table in sorted(Base.metadata.tables.items()):
            if name in exclude:
                continue
            counts[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return counts
