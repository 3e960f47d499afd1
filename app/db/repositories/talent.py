"""Talent recommendation's own records: employers' contact requests to seekers, seekers' opt-outs
and candidates saved or dismissed. The caller masks free text and decides who may see what.

:func:`load_seeker_contact` is the one query of a seeker's name, phone and e-mail outside the
masking queries; only :func:`app.services.talent.consent.revealed_identity` calls it, after the
seeker accepted and the reveal was written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from app.db.orm import (
    OPEN_REQUEST_STATUSES,
    TALENT_TABLES,
    Base,
    ContactRequest,
    Employer,
    Posting,
    Seeker,
    SeekerVisibility,
    TalentFeedback,
)
from app.db.repositories import create_missing_tables, read_frame

REQUEST_COLUMNS: tuple[str, ...] = (
    "id", "employer_id", "posting_id", "seeker_id", "requested_by", "message", "status", "created_at",
    "decided_at", "decided_by",
)
"""Columns of a contact request as stored."""
REQUEST_LISTING_COLUMNS: tuple[str, ...] = (
    *REQUEST_COLUMNS, "employer_name", "posting_title", "keco_code", "region_code", "wage_monthly",
    "employment_type", "close_date",
)
"""Columns of :func:`load_requests`: the request, its employer's name and the posting's public facts."""
FEEDBACK_COLUMNS: tuple[str, ...] = ("posting_id", "seeker_id", "action", "employer_id", "username", "created_at")


def utc_now() -> dt.datetime:
    """The current time in UTC without a zone (how every time of these tables is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def ensure_tables(engine: Engine) -> None:
    """Create the talent tables when a database built before them lacks them (once per database).

    ``python -m app build`` creates them too; this lets a server updated without a new build take
    the seekers' opt-outs and the employers' requests at once.
    """
    create_missing_tables(engine, [Base.metadata.tables[name] for name in TALENT_TABLES])


# --------------------------------------------------------------------------- postings and seekers


@dataclass(frozen=True)
class PostingFacts:
    """What a request needs to know of its posting: the owner and the last day it is open."""

    employer_id: int
    close_date: dt.date


def posting_facts(uow: Session, posting_id: int) -> PostingFacts | None:
    """The posting's owner and close date inside a unit of work (``None``: no such posting)."""
    row = uow.execute(select(Posting.employer_id, Posting.close_date).where(Posting.id == int(posting_id))).first()
    return None if row is None else PostingFacts(int(row[0]), row[1])


def seeker_exists(uow: Session, seeker_id: int) -> bool:
    """Whether the seeker exists, inside a unit of work (no column of theirs is read)."""
    return uow.scalar(select(Seeker.id).where(Seeker.id == int(seeker_id))) is not None


@dataclass(frozen=True)
class SeekerContact:
    """How to reach a seeker: name, mobile phone, e-mail (no RRN, birth date or address)."""

    name: str
    phone: str
    email: str


def load_seeker_contact(engine: Engine, seeker_id: int) -> SeekerContact | None:
    """The seeker's name, phone and e-mail (``None``: no such seeker). Personal data: see the module note."""
    with Session(engine) as session:
        row = session.execute(
            select(Seeker.name, Seeker.phone, Seeker.email).where(Seeker.id == int(seeker_id))
        ).first()
    return None if row is None else SeekerContact(str(row[0]), str(row[1]), str(row[2]))


# --------------------------------------------------------------------------- contact requests


def add_request(uow: Session, *, employer_id: int, posting_id: int, seeker_id: int, requested_by: str,
                message: str, status: str) -> int:
    """Insert one request inside a unit of work (time in UTC); returns its id.

    Raises:
        sqlalchemy.exc.IntegrityError: An open request (:data:`OPEN_REQUEST_STATUSES`) of this posting
            to this seeker exists already — also one another session committed after the caller
            checked (the unique index :data:`app.db.orm.OPEN_REQUEST_INDEX`); the unit of work must
            then be rolled back.
    """
    row = ContactRequest(
        employer_id=int(employer_id), posting_id=int(posting_id), seeker_id=int(seeker_id),
        requested_by=str(requested_by)[:40], message=message[:500], status=status, created_at=utc_now(),
        decided_at=None, decided_by="",
    )
    uow.add(row)
    uow.flush()
    return int(row.id)


def open_request(uow: Session, *, posting_id: int, seeker_id: int,
                 statuses: Sequence[str] = OPEN_REQUEST_STATUSES) -> int | None:
    """Id of the newest request for this posting and seeker in one of ``statuses`` (default: the open
    ones, of which the database holds one at most); ``None``: none."""
    found = uow.scalar(
        select(ContactRequest.id)
        .where(ContactRequest.posting_id == int(posting_id), ContactRequest.seeker_id == int(seeker_id),
               ContactRequest.status.in_(list(statuses)))
        .order_by(ContactRequest.id.desc()).limit(1)
    )
    return None if found is None else int(found)


def load_request_row(uow: Session, request_id: int) -> dict[str, object] | None:
    """One request (:data:`REQUEST_COLUMNS`) inside a unit of work; ``None`` when missing."""
    row = uow.execute(
        select(*(getattr(ContactRequest, c) for c in REQUEST_COLUMNS)).where(ContactRequest.id == int(request_id))
    ).mappings().first()
    return dict(row) if row is not None else None


def decide_request(uow: Session, request_id: int, *, status: str, decided_by: str, expected: str) -> bool:
    """Move a request from ``expected`` to ``status`` inside a unit of work; False when it was no
    longer ``expected`` (decided in another session meanwhile: nothing changed)."""
    result = uow.execute(
        update(ContactRequest)
        .where(ContactRequest.id == int(request_id), ContactRequest.status == expected)
        .values(status=status, decided_at=utc_now(), decided_by=str(decided_by)[:40])
    )
    return bool(result.rowcount)


def withdraw_pending_of_seeker(uow: Session, seeker_id: int, *, pending: str, withdrawn: str, by: str) -> int:
    """Withdraw every pending request to a seeker inside a unit of work; returns how many."""
    result = uow.execute(
        update(ContactRequest)
        .where(ContactRequest.seeker_id == int(seeker_id), ContactRequest.status == pending)
        .values(status=withdrawn, decided_at=utc_now(), decided_by=str(by)[:40])
    )
    return int(result.rowcount or 0)


def load_requests(
    engine: Engine,
    *,
    employer_id: int | None = None,
    seeker_id: int | None = None,
    posting_id: int | None = None,
    request_id: int | None = None,
    statuses: Sequence[str] = (),
) -> pd.DataFrame:
    """Requests, newest first, with :data:`REQUEST_LISTING_COLUMNS` (no seeker column but the id).

    Args:
        engine: Database engine.
        employer_id: Only this employer's requests.
        seeker_id: Only the requests to this seeker.
        posting_id: Only this posting's requests.
        request_id: Only this request.
        statuses: Only these statuses (empty: all).
    """
    stmt = (
        select(*(getattr(ContactRequest, c) for c in REQUEST_COLUMNS), Employer.name.label("employer_name"),
               Posting.title.label("posting_title"), Posting.keco_code, Posting.region_code, Posting.wage_monthly,
               Posting.employment_type, Posting.close_date)
        .join(Posting, Posting.id == ContactRequest.posting_id)
        .join(Employer, Employer.id == ContactRequest.employer_id)
        .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
    )
    if employer_id is not None:
        stmt = stmt.where(ContactRequest.employer_id == int(employer_id))
    if seeker_id is not None:
        stmt = stmt.where(ContactRequest.seeker_id == int(seeker_id))
    if posting_id is not None:
        stmt = stmt.where(ContactRequest.posting_id == int(posting_id))
    if request_id is not None:
        stmt = stmt.where(ContactRequest.id == int(request_id))
    if statuses:
        stmt = stmt.where(ContactRequest.status.in_(list(statuses)))
    return read_frame(engine, stmt)


def accepted_request(engine: Engine, *, employer_id: int, seeker_id: int, accepted: str) -> dict[str, object] | None:
    """The newest accepted request between an employer and a seeker (:data:`REQUEST_COLUMNS`), or ``None``."""
    with Session(engine) as session:
        row = session.execute(
            select(*(getattr(ContactRequest, c) for c in REQUEST_COLUMNS))
            .where(ContactRequest.employer_id == int(employer_id), ContactRequest.seeker_id == int(seeker_id),
                   ContactRequest.status == accepted)
            .order_by(ContactRequest.decided_at.desc(), ContactRequest.id.desc()).limit(1)
        ).mappings().first()
    return dict(row) if row is not None else None


# --------------------------------------------------------------------------- opt-outs


def set_visibility(uow: Session, seeker_id: int, *, opted_out: bool) -> None:
    """Record a seeker's choice inside a unit of work (one row per seeker, replaced)."""
    uow.merge(SeekerVisibility(seeker_id=int(seeker_id), opted_out=bool(opted_out), updated_at=utc_now()))


def load_visibility(engine: Engine, seeker_id: int) -> tuple[bool, dt.datetime | None]:
    """(opted out, when the choice was made in UTC); ``(False, None)`` for a seeker who never chose."""
    with Session(engine) as session:
        row = session.execute(
            select(SeekerVisibility.opted_out, SeekerVisibility.updated_at)
            .where(SeekerVisibility.seeker_id == int(seeker_id))
        ).first()
    return (False, None) if row is None else (bool(row[0]), row[1])


def opted_out(uow: Session, seeker_id: int) -> bool:
    """Whether the seeker opted out, inside a unit of work."""
    found = uow.scalar(select(SeekerVisibility.opted_out).where(SeekerVisibility.seeker_id == int(seeker_id)))
    return bool(found)


def load_opted_out_ids(engine: Engine) -> frozenset[int]:
    """Ids of the seekers who opted out of recommendations."""
    with Session(engine) as session:
        ids = session.scalars(select(SeekerVisibility.seeker_id).where(SeekerVisibility.opted_out.is_(True)))
        return frozenset(int(i) for i in ids)


# --------------------------------------------------------------------------- saved and dismissed candidates


def put_feedback(uow: Session, *, username: str, employer_id: int | None, posting_id: int, seeker_id: int,
                 action: str) -> None:
    """Save or dismiss a candidate inside a unit of work (a user's earlier choice for the pair is replaced)."""
    delete_feedback(uow, username=username, posting_id=posting_id, seeker_id=seeker_id)
    uow.add(TalentFeedback(username=str(username)[:40], employer_id=employer_id, posting_id=int(posting_id),
                           seeker_id=int(seeker_id), action=action, created_at=utc_now()))


def delete_feedback(uow: Session, *, username: str, posting_id: int, seeker_id: int) -> None:
    """Forget a user's choice for a posting and candidate inside a unit of work."""
    uow.execute(delete(TalentFeedback).where(TalentFeedback.username == str(username)[:40],
                                             TalentFeedback.posting_id == int(posting_id),
                                             TalentFeedback.seeker_id == int(seeker_id)))
    uow.flush()


def load_feedback(engine: Engine, *, username: str, posting_id: int) -> dict[int, str]:
    """Seeker id -> ``save`` or ``dismiss`` of one user's choices for a posting."""
    with Session(engine) as session:
        rows = session.execute(
            select(TalentFeedback.seeker_id, TalentFeedback.action)
            .where(TalentFeedback.username == str(username)[:40], TalentFeedback.posting_id == int(posting_id))
        ).all()
    return {int(s): str(a) for s, a in rows}


def load_all_feedback(engine: Engine) -> pd.DataFrame:
    """Every saved or dismissed candidate (:data:`FEEDBACK_COLUMNS`), oldest first."""
    return read_frame(engine, select(*(getattr(TalentFeedback, c) for c in FEEDBACK_COLUMNS))
                      .order_by(TalentFeedback.created_at, TalentFeedback.id))
