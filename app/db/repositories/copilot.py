"""The counselling copilot's records: outputs shown for a seeker and the counsellor's confirmed edits.

The caller masks every text and decides who may do what (:mod:`app.services.copilot`). Times are
stored in UTC without a zone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.db.orm import COPILOT_TABLES, Base, CopilotRecord, Seeker
from app.db.repositories import create_missing_tables, read_frame
from app.db.repositories.talent import utc_now

RECORD_COLUMNS: tuple[str, ...] = (
    "id", "seeker_id", "task", "backend", "version", "original", "edited", "status", "session_date",
    "created_by", "created_at", "confirmed_by", "confirmed_at",
)
"""Columns of :func:`load_records`."""


def ensure_tables(engine: Engine) -> None:
    """Create the copilot's table when a database built before it lacks it (once per database)."""
    create_missing_tables(engine, [Base.metadata.tables[name] for name in COPILOT_TABLES])


def seeker_exists(uow: Session, seeker_id: int) -> bool:
    """Whether the seeker exists, inside a unit of work."""
    return uow.scalar(select(Seeker.id).where(Seeker.id == int(seeker_id))) is not None


def add_record(uow: Session, *, seeker_id: int, task: str, backend: str, version: str, input_hash: str,
               original: str, created_by: str, edited: str | None = None, status: str = "shown",
               session_date: dt.date | None = None) -> int:
    """Insert one output (and, for one confirmed at once, its edited version) inside a unit of work.

    Returns:
        The row's id.
    """
    now = utc_now()
    row = CopilotRecord(seeker_id=int(seeker_id), task=str(task)[:16], backend=str(backend)[:80],
                        version=str(version)[:16], input_hash=str(input_hash)[:64], original=original,
                        edited=edited, status=status, session_date=session_date, created_by=str(created_by)[:40],
                        created_at=now, confirmed_by=str(created_by)[:40] if status == "confirmed" else None,
                        confirmed_at=now if status == "confirmed" else None)
    uow.add(row)
    uow.flush()
    return int(row.id)


def confirm_record(uow: Session, record_id: int, *, seeker_id: int, edited: str, confirmed_by: str) -> bool:
    """Store the counsellor's edited version of a shown output and mark it confirmed (inside a unit of
    work); False when there is no such output of this seeker (nothing changed)."""
    result = uow.execute(
        update(CopilotRecord).where(CopilotRecord.id == int(record_id), CopilotRecord.seeker_id == int(seeker_id))
        .values(edited=edited, status="confirmed", confirmed_by=str(confirmed_by)[:40], confirmed_at=utc_now())
    )
    return bool(result.rowcount)


def recent_record_id(uow: Session, *, seeker_id: int, task: str, input_hash: str, since: dt.datetime) -> int | None:
    """The newest output of the same task and input shown since ``since`` (a page drawn again is not a
    new output), ``None`` when there is none."""
    found = uow.scalar(
        select(CopilotRecord.id).where(CopilotRecord.seeker_id == int(seeker_id), CopilotRecord.task == str(task),
                                       CopilotRecord.input_hash == str(input_hash), CopilotRecord.created_at >= since)
        .order_by(CopilotRecord.id.desc()).limit(1)
    )
    return None if found is None else int(found)


def load_records(engine: Engine, seeker_id: int, *, task: str | None = None, confirmed_only: bool = False,
                 limit: int = 50) -> pd.DataFrame:
    """A seeker's copilot records, newest first (:data:`RECORD_COLUMNS`)."""
    stmt = select(*(getattr(CopilotRecord, c) for c in RECORD_COLUMNS)).where(CopilotRecord.seeker_id == int(seeker_id))
    if task is not None:
        stmt = stmt.where(CopilotRecord.task == str(task))
    if confirmed_only:
        stmt = stmt.where(CopilotRecord.status == "confirmed")
    return read_frame(engine, stmt.order_by(CopilotRecord.created_at.desc(), CopilotRecord.id.desc()).limit(int(limit)))


def edit_counts(engine: Engine) -> pd.DataFrame:
    """Per task: outputs shown, confirmed, and confirmed with an edit (quality review)."""
    frame = read_frame(engine, select(CopilotRecord.task, CopilotRecord.status, CopilotRecord.original,
                                      CopilotRecord.edited))
    if frame.empty:
        return pd.DataFrame(columns=["task", "shown", "confirmed", "edited"])
    frame["changed"] = frame["edited"].notna() & (frame["edited"] != frame["original"])
    return (frame.groupby("task").agg(shown=("status", "size"), confirmed=("status", lambda s: int((s == "confirmed").sum())),
                                      edited=("changed", "sum")).reset_index())

