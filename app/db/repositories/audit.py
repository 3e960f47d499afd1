"""The audit log of AI outputs shown to users and of command-line runs (append-only: rows are never
changed or deleted).

Writes wait for a database lock only :data:`AUDIT_LOCK_WAIT_MS` (SQLite's default is 5 s): while a
long import holds the write lock, an audit write fails fast and the caller decides what to do
(the web pages spool the row, a command fails closed) instead of stalling every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Connection, Engine, select, tuple_
from sqlalchemy.orm import Session

from app.db.orm import AuditLog
from app.db.repositories import read_frame

AUDIT_COLUMNS: tuple[str, ...] = (
    "id", "at", "username", "role", "action", "model_name", "model_version", "input_hash", "output",
)
AUDIT_LOCK_WAIT_MS = 250
"""How long an audit write waits for another writer's lock before it gives up (milliseconds)."""
_IDENTITY = ("at", "username", "action", "input_hash")
"""Columns that tell a spooled row already stored apart (``at`` has microseconds)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def _short_lock_wait(engine: Engine, wait_ms: int) -> Iterator[Connection]:
    """A connection whose writes wait at most ``wait_ms`` for a lock, restored afterwards (the
    connection goes back to the shared pool, whose other users keep the normal wait)."""
    with engine.connect() as conn:
        dialect = engine.dialect.name
        previous = None
        if dialect == "sqlite":
            previous = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait_ms)}")
            conn.commit()  # the PRAGMA must not open the transaction the write runs in
        try:
            yield conn
        finally:
            if previous is not None:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
                conn.commit()


def _write(engine: Engine, rows: Sequence[Mapping[str, object]], wait_ms: int, *, skip_stored: bool) -> int:
    with _short_lock_wait(engine, wait_ms) as conn, Session(bind=conn) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.connection().exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'")
        fresh = list(rows)
        if skip_stored and fresh:
            stored = set(session.execute(
                select(*(getattr(AuditLog, c) for c in _IDENTITY)).where(
                    tuple_(*(getattr(AuditLog, c) for c in _IDENTITY)).in_([tuple(r[c] for c in _IDENTITY) for r in fresh])
                )
            ).all())
            fresh = [r for r in fresh if tuple(r[c] for c in _IDENTITY) not in stored]
        session.add_all([AuditLog(**dict(r)) for r in fresh])
    return len(fresh)


def ensure_audit_table(engine: Engine) -> None:
    """Create the audit table when the database predates it (nothing else is touched)."""
    AuditLog.__table__.create(engine, checkfirst=True)


def add_audit_row(engine: Engine, values: Mapping[str, object], *, wait_ms: int = AUDIT_LOCK_WAIT_MS) -> None:
    """Append one row (its own transaction; ``at`` defaults to now, in UTC).

    Args:
        engine: Product database.
        values: :data:`AUDIT_COLUMNS` except ``id`` (``at`` optional), already checked by the caller.
        wait_ms: Longest wait for another writer's lock.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The row could not be written (e.g. the database is locked).
    """
    row = dict(values)
    row.setdefault("at", _utc_now())
    _write(engine, [row], wait_ms, skip_stored=False)


def add_audit_row_in(uow: Session, values: Mapping[str, object]) -> None:
    """Append one row inside the caller's unit of work: it commits with the change it records, or
    neither does (``at`` defaults to now, in UTC).

    Args:
        uow: The unit of work of the change (:func:`app.db.repositories.unit_of_work`).
        values: :data:`AUDIT_COLUMNS` except ``id`` (``at`` optional), already checked by the caller.
    """
    row = dict(values)
    row.setdefault("at", _utc_now())
    uow.add(AuditLog(**row))


def add_spooled_rows(engine: Engine, rows: Sequence[Mapping[str, object]], *, wait_ms: int = AUDIT_LOCK_WAIT_MS) -> int:
    """Append rows written to a local spool earlier, skipping any already stored (one transaction),
    so flushing the same spool twice — a crash between commit and removing the file — adds nothing.

    Returns:
        How many rows were added.
    """
    return _write(engine, rows, wait_ms, skip_stored=True)


def load_audit_log(
    engine: Engine,
    limit: int = 200,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    usernames: Sequence[str] = (),
    roles: Sequence[str] = (),
    actions: Sequence[str] = (),
    model_names: Sequence[str] = (),
    command_runs: bool | None = None,
) -> pd.DataFrame:
    """The latest ``limit`` rows matching every given filter, newest first (:data:`AUDIT_COLUMNS`).

    Args:
        engine: Product database.
        limit: Most rows returned.
        since: First moment included (UTC, naive).
        until: First moment excluded (UTC, naive).
        usernames: Only these users (empty: all); likewise ``roles``, ``actions``, ``model_names``.
        command_runs: ``True`` only command-line run records (action ``cli.*``), ``False`` only
            page outputs, ``None`` both.
    """
    conditions = []
    if since is not None:
        conditions.append(AuditLog.at >= since)
    if until is not None:
        conditions.append(AuditLog.at < until)
    for column, wanted in ((AuditLog.username, usernames), (AuditLog.role, roles), (AuditLog.action, actions),
                           (AuditLog.model_name, model_names)):
        if wanted:
            conditions.append(column.in_([str(w) for w in wanted]))
    if command_runs is not None:
        is_run = AuditLog.action.startswith("cli.", autoescape=True)
        conditions.append(is_run if command_runs else ~is_run)
    stmt = select(*(getattr(AuditLog, name) for name in AUDIT_COLUMNS))
    if conditions:
        stmt = stmt.where(*conditions)
    return read_frame(engine, stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(max(1, int(limit))))


def load_audit_values(engine: Engine) -> dict[str, list[str]]:
    """Distinct ``username``, ``role``, ``action`` and ``model_name`` values (filter choices), sorted."""
    with Session(engine) as session:
        return {
            name: sorted(str(v) for v in session.execute(select(getattr(AuditLog, name)).distinct()).scalars())
            for name in ("username", "role", "action", "model_name")
        }
