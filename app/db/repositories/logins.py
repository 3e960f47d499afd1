"""Login attempts (the state of throttling and lockout) and their audit-log rows.

An attempt row and its audit row are written in one transaction, so the record of a failure and
the count that locks the account never disagree. Times are naive UTC, like the audit log's.

An attempt is *reserved* before its password is checked (:func:`reserve_attempt`): the counts are
read and a ``pending`` row is stored in one serialised transaction, and a pending row counts as a
failure until :func:`resolve_attempt` turns it into ``success`` or ``failure``. So parallel
attempts (many browser sessions, several server processes) cannot all read "4 failures" and all
check a password: each one sees the attempts in flight before it.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, update

from app.db.orm import AuditLog, LoginAttempt
from app.db.repositories import unit_of_work

OUTCOMES: tuple[str, ...] = ("success", "failure", "lockout", "unlock", "pending")
"""What an attempt row holds (refusals of a locked or throttled attempt only reach the audit log:
they change no count). ``pending`` is an attempt whose password is being checked; it counts as a
failure until it is resolved, and one left behind by a crash stays a failure (fail closed)."""
PENDING = "pending"
COUNTED_AS_FAILURE: tuple[str, ...] = ("failure", PENDING)

_READY: weakref.WeakSet[Engine] = weakref.WeakSet()
_READY_LOCK = threading.Lock()


@dataclass(frozen=True)
class AttemptRow:
    """One stored attempt (naive UTC time)."""

    at: dt.datetime
    account_key: str
    client_key: str
    outcome: str


def utc_now() -> dt.datetime:
    """Now as the naive UTC datetime the tables store."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _ensure_table(engine: Engine) -> None:
    # A database built before the table existed gets it on first use (``python -m app build``
    # creates it too); checked once per engine, not per login.
    if engine in _READY:
        return
    with _READY_LOCK:
        LoginAttempt.__table__.create(engine, checkfirst=True)
        _READY.add(engine)


def add_login_event(
    engine: Engine,
    *,
    at: dt.datetime,
    attempts: tuple[tuple[str, str, str], ...] = (),
    audit: Mapping[str, object] | None = None,
) -> None:
    """Store attempt rows and one audit-log row in one transaction.

    Args:
        engine: Product database.
        at: Time of the event (naive UTC).
        attempts: ``(account_key, client_key, outcome)`` triples, outcome one of :data:`OUTCOMES`.
        audit: Audit-log columns (username, role, action, input_hash, output) or ``None``.

    Raises:
        ValueError: An unknown outcome.
        sqlalchemy.exc.SQLAlchemyError: The write failed (nothing was stored).
    """
    if any(outcome not in OUTCOMES for _, _, outcome in attempts):
        raise ValueError("알 수 없는 로그인 시도 결과입니다.")
    _ensure_table(engine)
    with unit_of_work(engine) as uow:
        for account_key, client_key, outcome in attempts:
            uow.add(LoginAttempt(at=at, account_key=account_key, client_key=client_key, outcome=outcome))
        if audit is not None:
            uow.add(AuditLog(at=at, model_name="", model_version="", **dict(audit)))


def ended_session_refs(engine: Engine, account_key: str, actions: tuple[str, ...], since: dt.datetime) -> set[str]:
    """Session references (``output["session"]``) of the account's audit rows of ``actions`` since
    ``since``: the logins that were ended (logout, idle timeout, revoked account).

    Args:
        engine: Product database.
        account_key: The account's key (``input_hash`` of its audit rows).
        actions: Audit actions that end a session.
        since: Oldest row that matters (naive UTC; an older session's cookie has expired anyway).
    """
    stmt = (select(AuditLog.output).where(AuditLog.input_hash == account_key, AuditLog.action.in_(actions),
                                          AuditLog.at >= since))
    with engine.connect() as conn:
        outputs = conn.execute(stmt).scalars().all()
    return {str(o["session"]) for o in outputs if isinstance(o, Mapping) and o.get("session")}


def load_account_attempts(engine: Engine, account_key: str, since: dt.datetime) -> list[AttemptRow]:
    """Every attempt row of one account key since ``since``, oldest first."""
    _ensure_table(engine)
    stmt = (
        select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key, LoginAttempt.outcome)
        .where(LoginAttempt.account_key == account_key, LoginAttempt.at >= since)
        .order_by(LoginAttempt.at, LoginAttempt.id)
    )
    with engine.connect() as conn:
        return [AttemptRow(*row) for row in conn.execute(stmt)]


def load_failures(engine: Engine, since: dt.datetime) -> list[AttemptRow]:
    """Every failed or pending attempt (of any account) since ``since``, oldest first.

    Bounded by the global throttle: once too many failures pile up, attempts are refused before a
    password is checked and write no failure row.
    """
    _ensure_table(engine)
    stmt = (
        select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key, LoginAttempt.outcome)
        .where(LoginAttempt.outcome.in_(COUNTED_AS_FAILURE), LoginAttempt.at >= since)
        .order_by(LoginAttempt.at, LoginAttempt.id)
    )
    with engine.connect() as conn:
        return [AttemptRow(*row) for row in conn.execute(stmt)]


def _account_rows(conn: Connection, account_key: str, since: dt.datetime) -> list[AttemptRow]:
    stmt = (
        select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key, LoginAttempt.outcome)
        .where(LoginAttempt.account_key == account_key, LoginAttempt.at >= since)
        .order_by(LoginAttempt.at, LoginAttempt.id)
    )
    return [AttemptRow(*row) for row in conn.execute(stmt)]


def _failure_rows(conn: Connection, since: dt.datetime) -> list[AttemptRow]:
    stmt = (
        select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key, LoginAttempt.outcome)
        .where(LoginAttempt.outcome.in_(COUNTED_AS_FAILURE), LoginAttempt.at >= since)
        .order_by(LoginAttempt.at, LoginAttempt.id)
    )
    return [AttemptRow(*row) for row in conn.execute(stmt)]


@contextmanager
def _serialised(engine: Engine, account_key: str) -> Iterator[Connection]:
    """A transaction that no other login attempt runs beside (reads and writes of the counts).

    SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before the first read, so a second
    attempt (another thread or server process) waits for it instead of reading stale counts; the
    lock is held for a few milliseconds (two reads and an insert, never bcrypt). PostgreSQL: a
    transaction-scoped advisory lock on the account key (other accounts are not held up, the global
    count may be off by the attempts in flight). A plain thread lock would not do: server processes
    share only the database.
    """
    _ensure_table(engine)
    with engine.connect() as conn:
        dialect = engine.dialect.name
        if dialect == "sqlite":
            # pysqlite begins a deferred transaction only before the first write; an explicit
            # BEGIN IMMEDIATE makes the reads that follow see the latest counts under the lock
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(int(account_key[:15], 16))))
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def reserve_attempt(
    engine: Engine,
    *,
    at: dt.datetime,
    account_key: str,
    client_key: str,
    account_since: dt.datetime,
    failures_since: dt.datetime,
    judge: Callable[[list[AttemptRow], list[AttemptRow]], Mapping[str, object] | None],
) -> int | None:
    """Read the counts and either reserve the attempt or record its refusal, in one serialised transaction.

    Args:
        engine: Product database.
        at: Time of the attempt (naive UTC).
        account_key: Key of the typed id.
        client_key: Key of the browser session.
        account_since: Oldest attempt row of the id that matters.
        failures_since: Oldest failure (of any id) that matters.
        judge: Gets the id's rows and every failure (pending attempts included) and returns
            ``None`` to admit the attempt, or the audit-log columns of its refusal.

    Returns:
        The id of the stored ``pending`` row, or ``None`` when the attempt was refused (its audit
        row stored, no attempt row).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The database could not be read or written (nothing stored).
    """
    with _serialised(engine, account_key) as conn:
        refusal = judge(_account_rows(conn, account_key, account_since), _failure_rows(conn, failures_since))
        if refusal is not None:
            conn.execute(insert(AuditLog).values(at=at, model_name="", model_version="", **dict(refusal)))
            return None
        result = conn.execute(insert(LoginAttempt).values(at=at, account_key=account_key, client_key=client_key,
                                                          outcome=PENDING))
        return int(result.inserted_primary_key[0])


def resolve_attempt(
    engine: Engine,
    attempt_id: int,
    *,
    outcome: str,
    lockout: bool = False,
    audit: Mapping[str, object] | None = None,
) -> None:
    """Turn a reserved attempt into ``success`` or ``failure`` (plus a ``lockout`` row) with its audit row.

    Raises:
        ValueError: An outcome other than ``success`` or ``failure``.
        sqlalchemy.exc.SQLAlchemyError: The write failed (the attempt stays pending: a failure).
    """
    if outcome not in ("success", "failure"):
        raise ValueError("알 수 없는 로그인 시도 결과입니다.")
    with engine.begin() as conn:
        row = conn.execute(select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key)
                           .where(LoginAttempt.id == attempt_id)).one()
        conn.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(outcome=outcome))
        if lockout:
            conn.execute(insert(LoginAttempt).values(at=row.at, account_key=row.account_key,
                                                     client_key=row.client_key, outcome="lockout"))
        if audit is not None:
            conn.execute(insert(AuditLog).values(at=row.at, model_name="", model_version="", **dict(audit)))
