"""Hiring-consulting cases (채용 컨설팅) and their notes. The caller masks free text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.db.orm import ConsultingCase, ConsultingNote, Employer, Posting
from app.db.repositories import read_frame

CASE_COLUMNS: tuple[str, ...] = (
    "id", "posting_id", "employer_id", "opened_by", "opened_role", "opened_at", "reason", "contact_time", "status",
    "assignee", "outcome", "updated_at",
)
NOTE_COLUMNS: tuple[str, ...] = ("id", "case_id", "at", "username", "text", "status")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def add_case(
    uow: Session,
    *,
    posting_id: int,
    employer_id: int,
    opened_by: str,
    opened_role: str,
    reason: str,
    contact_time: str,
    status: str,
) -> int:
    """Insert one case inside a unit of work (times in UTC); returns its id."""
    now = _utc_now()
    row = ConsultingCase(
        posting_id=int(posting_id), employer_id=int(employer_id), opened_by=str(opened_by)[:40],
        opened_role=opened_role[:16], opened_at=now, reason=reason[:500], contact_time=contact_time[:60],
        status=status, assignee=None, outcome="", updated_at=now,
    )
    uow.add(row)
    uow.flush()
    return int(row.id)


def open_case_of_posting(uow: Session, posting_id: int, open_statuses: Sequence[str]) -> int | None:
    """Id of the posting's case that is still open, inside a unit of work (``None`` when none)."""
    found = uow.scalar(
        select(ConsultingCase.id).where(ConsultingCase.posting_id == int(posting_id),
                                        ConsultingCase.status.in_(list(open_statuses)))
        .order_by(ConsultingCase.id.desc()).limit(1)
    )
    return None if found is None else int(found)


def load_case_row(uow: Session, case_id: int) -> dict[str, object] | None:
    """One case (:data:`CASE_COLUMNS`) inside a unit of work; ``None`` when missing."""
    row = uow.execute(
        select(*(getattr(ConsultingCase, c) for c in CASE_COLUMNS)).where(ConsultingCase.id == int(case_id))
    ).mappings().first()
    return dict(row) if row is not None else None


def update_case(uow: Session, case_id: int, **values: object) -> None:
    """Change a case's ``status``, ``assignee`` or ``outcome`` inside a unit of work (stamps ``updated_at``)."""
    allowed = {"status", "assignee", "outcome"}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    uow.execute(update(ConsultingCase).where(ConsultingCase.id == int(case_id)).values(**values, updated_at=_utc_now()))


def add_note(uow: Session, *, case_id: int, username: str, text: str, status: str) -> int:
    """Insert one note inside a unit of work (time in UTC); returns its id."""
    row = ConsultingNote(case_id=int(case_id), at=_utc_now(), username=str(username)[:40], text=text[:1000],
                         status=status)
    uow.add(row)
    uow.flush()
    return int(row.id)


def load_cases(engine: Engine, *, employer_id: int | None = None, posting_id: int | None = None) -> pd.DataFrame:
    """Cases, newest first, with ``title`` and ``employer_name`` (:data:`CASE_COLUMNS` + those two);
    one employer's (``employer_id``) or one posting's, or all."""
    stmt = (
        select(*(getattr(ConsultingCase, c) for c in CASE_COLUMNS), Posting.title, Employer.name.label("employer_name"))
        .join(Posting, Posting.id == ConsultingCase.posting_id)
        .join(Employer, Employer.id == ConsultingCase.employer_id)
        .order_by(ConsultingCase.opened_at.desc(), ConsultingCase.id.desc())
    )
    if employer_id is not None:
        stmt = stmt.where(ConsultingCase.employer_id == int(employer_id))
    if posting_id is not None:
        stmt = stmt.where(ConsultingCase.posting_id == int(posting_id))
    return read_frame(engine, stmt)


def load_notes(engine: Engine, case_id: int) -> pd.DataFrame:
    """A case's notes, oldest first (:data:`NOTE_COLUMNS`)."""
    stmt = select(*(getattr(ConsultingNote, c) for c in NOTE_COLUMNS)).where(ConsultingNote.case_id == int(case_id))
    return read_frame(engine, stmt.order_by(ConsultingNote.at, ConsultingNote.id))
