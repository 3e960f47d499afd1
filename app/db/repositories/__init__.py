"""Every query and write of the product database (only ``app.db`` imports the ORM classes).

Rules for every module here:

* reads open a new ``Session`` per call (sessions are not thread-safe and Streamlit serves users
  from several threads);
* writes go through :func:`unit_of_work`: one transaction, committed when the block ends and
  rolled back on any error, so a failed write changes nothing;
* results are DataFrames, plain dicts or frozen dataclasses, never ORM objects (nothing outside
  ``app.db`` can lazily load or change a row behind the repository's back);
* no ``truth_*`` table is read here (those hold the answers models are evaluated against:
  ``app.ml.evaluate`` reads them).

One module per kind of record (postings, seekers, employers, courses, scenarios, risk settings and
overrides, ad rule versions and reviews, the audit log, interest-test sessions, the world as a
whole), plus ``training``
(what the models learn from) and ``bulk`` (fast inserts of generated or imported frames); a new
capability adds its own module here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, Table, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

UnitOfWork = Session
"""What :func:`unit_of_work` yields: pass it to the repository functions that write."""


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[UnitOfWork]:
    """One transaction: every write inside the block commits together, or none does.

    Example::

        with unit_of_work(engine) as uow:
            owner = postings.posting_owner(uow, posting_id)
            scenarios.add_scenario(uow, ...)

    Args:
        engine: Database engine.

    Yields:
        The transaction's session, for repository functions only (services never use it directly).
    """
    with Session(engine) as session, session.begin():
        yield session


_TABLES_READY: set[tuple[str, tuple[str, ...]]] = set()
_TABLES_READY_LOCK = threading.Lock()


def create_missing_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Create ``tables`` when a database built before them lacks them (checked once per database
    and process; ``python -m app build`` creates them too, this lets an updated server use them at once).

    Args:
        engine: Database engine.
        tables: The tables of one capability (``Base.metadata.tables[name]``).
    """
    key = (engine.url.render_as_string(hide_password=True), tuple(sorted(t.name for t in tables)))
    if key in _TABLES_READY:
        return
    with _TABLES_READY_LOCK:
        if key in _TABLES_READY:
            return
        try:
            tables[0].metadata.create_all(engine, tables=list(tables), checkfirst=True)
        except SQLAlchemyError:
            # another process created them between the check and the CREATE: fine if they exist now
            if not all(inspect(engine).has_table(t.name) for t in tables):
                raise
        _TABLES_READY.add(key)


MAX_BOUND_IDS = 10_000
"""Most values one ``IN (…)`` list binds: PostgreSQL takes at most 65,535 parameters per statement and
SQLite 32,766, and a national caseload holds hundreds of thousands of seekers (:func:`id_chunks`)."""


def id_chunks(ids: Sequence[int], size: int = MAX_BOUND_IDS) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``size``, each small enough for one ``IN (…)`` list."""
    values = [int(i) for i in ids]
    for start in range(0, len(values), size):
        yield values[start:start + size]


def read_frame(engine: Engine, stmt: Select[Any]) -> pd.DataFrame:
    """Run ``stmt`` in a fresh session and return the rows as a DataFrame.

    The columns come from the statement even when there are no rows, so callers can rely on them.

    Args:
        engine: Database engine.
        stmt: A SELECT statement.

    Returns:
        One row per result row, columns named by the statement's labels.
    """
    if engine.dialect.name == "postgresql":
        # psycopg already returns Python dates, booleans and numbers: the driver's rows as they are
        # (SQLAlchemy's per-row processing is most of the time of a frame of a million rows)
        with engine.connect() as conn:
            result = conn.execute(stmt)
            return pd.DataFrame(result.cursor.fetchall(), columns=list(result.keys()))
    with Session(engine) as session:
        result = session.execute(stmt)
        columns = list(result.keys())
        rows = result.all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


@dataclass(frozen=True)
class AreaFilter:
    """Conditions every explorer filter shares; empty tuples and ``None`` mean "no condition".

    Attributes:
        region_codes: 시도 codes.
        keco_codes: KECO 소분류 codes (exact match).
        keco_prefix: KECO code prefix (a 대분류 digit) when no 소분류 list is given.
        date_from: First date (inclusive) of the record's date: opening, registration or course start.
        date_to: Last date (inclusive).
    """

    region_codes: tuple[str, ...] = ()
    keco_codes: tuple[str, ...] = ()
    keco_prefix: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def filtered(
    stmt: Select[Any],
    flt: AreaFilter,
    *,
    region: ColumnElement[Any],
    occupation: ColumnElement[Any],
    date: ColumnElement[Any],
    ranges: Sequence[tuple[ColumnElement[Any], object, object]] = (),
) -> Select[Any]:
    """``stmt`` narrowed by the shared conditions of ``flt`` and by extra ``ranges``.

    Args:
        stmt: The SELECT to narrow.
        flt: The shared conditions.
        region: The 시도 column; ``occupation``: the KECO column; ``date``: the record's date column.
        ranges: (column, lowest, highest) triples, both ends inclusive, ``None`` for an open end.
    """
    if flt.region_codes:
        stmt = stmt.where(region.in_(flt.region_codes))
    if flt.keco_codes:
        stmt = stmt.where(occupation.in_(flt.keco_codes))
    elif flt.keco_prefix:
        stmt = stmt.where(occupation.startswith(flt.keco_prefix, autoescape=True))
    for column, low, high in (*ranges, (date, flt.date_from, flt.date_to)):
        if low is not None:
            stmt = stmt.where(column >= low)
        if high is not None:
            stmt = stmt.where(column <= high)
    return stmt
