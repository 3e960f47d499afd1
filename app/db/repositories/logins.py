"""Login attempts (the state of throttling and lockout) and their audit-log rows.

An attempt row and its audit row are written in one transaction, so the record of a failure and
the count that locks the account never disagree. Times are naive UTC, like the audit log's.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, select

from app.db.orm import AuditLog, LoginAttempt
from app.db.repositories import unit_of_work

OUTCOMES: tuple[str, ...] = ("success", "failure", "lockout", "unlock")
"""What :func:`add_login_event` stores as an attempt row (refusals of a locked or throttled
attempt only reach the audit log: they change no count)."""

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
    """Every failed attempt (of any account) since ``since``, oldest first.

    Bounded by the global throttle: once too many failures pile up, attempts are refused before a
    password is checked and write no failure row.
    """
    _ensure_table(engine)
    stmt = (
        select(LoginAttempt.at, LoginAttempt.account_key, LoginAttempt.client_key, LoginAttempt.outcome)
        .where(LoginAttempt.outcome == "failure", LoginAttempt.at >= since)
        .order_by(LoginAttempt.at, LoginAttempt.id)
    )
    with engine.connect() as conn:
        return [AttemptRow(*row) for row in conn.execute(stmt)]
