"""The audit log of AI outputs shown to users (append-only: rows are never changed or deleted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine, select

from app.db.orm import AuditLog
from app.db.repositories import read_frame, unit_of_work

AUDIT_COLUMNS: tuple[str, ...] = (
    "id", "at", "username", "role", "action", "model_name", "model_version", "input_hash", "output",
)


def add_audit_row(engine: Engine, values: Mapping[str, object]) -> None:
    """Append one row (its own transaction; ``at`` is set here, in UTC).

    Args:
        engine: Product database.
        values: :data:`AUDIT_COLUMNS` except ``id`` and ``at``, already checked by the caller.
    """
    with unit_of_work(engine) as uow:
        uow.add(AuditLog(at=dt.datetime.now(dt.UTC).replace(tzinfo=None), **dict(values)))


def load_audit_log(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest ``limit`` rows, newest first (:data:`AUDIT_COLUMNS`; ``at`` is UTC)."""
    stmt = (
        select(*(getattr(AuditLog, name) for name in AUDIT_COLUMNS))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(max(1, int(limit)))
    )
    return read_frame(engine, stmt)
