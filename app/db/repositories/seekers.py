"""Job-seeker queries that never select a direct identifier.

``seekers`` holds personal data (name, RRN (encrypted), phone, e-mail, address, birth date, résumé and cover
letter). Nothing here selects those columns: the explorer shows pseudonymous rows (internal id,
age, sex, education, region, wishes, outcome) and the overview only counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Integer, Select, cast, func, select
from sqlalchemy.orm import Session

from app.db.orm import CounsellorNote, Enrolment, Seeker, SeekerCertificate, SeekerOutcome, SeekerService
from app.db.repositories import AreaFilter, filtered, id_chunks, read_frame, snapshots
from app.reference.codes import SERVICES
from app.text.pii import mask_name, mask_pii


@dataclass(frozen=True)
class SeekerFilter(AreaFilter):
    """Conditions on seekers (:class:`AreaFilter`: region of residence, desired occupation, registration date) and desired wage.

    Attributes:
        wage_min: Lowest desired monthly wage (KRW, inclusive).
        wage_max: Highest desired monthly wage (KRW, inclusive).
    """

    wage_min: int | None = None
    wage_max: int | None = None


SEEKER_COLUMNS: tuple[str, ...] = (
    "id",
    "age",
    "sex",
    "education",
    "region_code",
    "desired_keco",
    "desired_wage",
    "benefit_status",
    "registered_on",
    "employed_180d",
    "days_to_employment",
)
"""The only seeker columns that ever leave the database through this module."""

IDENTIFYING_COLUMNS: frozenset[str] = frozenset(
    {"name", "rrn", "rrn_encrypted", "rrn_hmac", "phone", "email", "address", "birth_date", "resume_text",
     "cover_letter_text"}
)
"""Direct identifiers and free text that must never be selected (a unit test checks this)."""


def _apply_filter(stmt: Select, flt: SeekerFilter) -> Select:
    return filtered(stmt, flt, region=Seeker.region_code, occupation=Seeker.desired_keco, date=Seeker.registered_on,
                    ranges=((Seeker.desired_wage, flt.wage_min, flt.wage_max),))


def load_seekers(engine: Engine, flt: SeekerFilter | None = None) -> pd.DataFrame:
    """Pseudonymous seeker rows matching ``flt`` with their 180-day outcome.

    Args:
        engine: Database engine.
        flt: Conditions (``None`` = all seekers).

    Returns:
        Columns :data:`SEEKER_COLUMNS`, newest registration first.
    """
    stmt = (
        select(
            Seeker.id,
            Seeker.age,
            Seeker.sex,
            Seeker.education,
            Seeker.region_code,
            Seeker.desired_keco,
            Seeker.desired_wage,
            Seeker.benefit_status,
            Seeker.registered_on,
            SeekerOutcome.employed_180d,
            SeekerOutcome.days_to_employment,
        )
        .outerjoin(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id)
        .order_by(Seeker.registered_on.desc(), Seeker.id.desc())
    )
    return read_frame(engine, _apply_filter(stmt, flt or SeekerFilter()))


def load_seeker_counts(engine: Engine) -> pd.DataFrame:
    """Seeker counts and 180-day re-employment per (age, 시도, 구직급여 수급) cell.

    A snapshot (:mod:`app.db.repositories.snapshots`): grouping every seeker is read again only when
    seekers or outcomes were added (their newest id moves) or the world was regenerated; seekers are
    written by the world and the seeker import only, never changed in place.

    Returns:
        Columns ``age, region_code, benefit_status, n_seekers, n_outcome, n_employed``.
    """
    return snapshots.snapshot(engine, "seeker_counts",
                              [snapshots.newest(Seeker.id), snapshots.newest(SeekerOutcome.seeker_id)],
                              lambda: _count_seekers(engine))


def _count_seekers(engine: Engine) -> pd.DataFrame:
    stmt = (
        select(
            Seeker.age,
            Seeker.region_code,
            Seeker.benefit_status,
            func.count(Seeker.id).label("n_seekers"),
            func.count(SeekerOutcome.seeker_id).label("n_outcome"),
            func.coalesce(func.sum(cast(SeekerOutcome.employed_180d, Integer)), 0).label(
                "n_employed"
            ),
        )
        .outerjoin(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id)
        .group_by(Seeker.age, Seeker.region_code, Seeker.benefit_status)
    )
    frame = read_frame(engine, stmt)
    for col in ("n_seekers", "n_outcome", "n_employed"):
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    return frame


# --------------------------------------------------------------------------- counts and records the models read


def count_seekers_by(engine: Engine, column: str) -> dict[str, int]:
    """Seekers per value of ``column`` (``"desired_region_code"`` or ``"desired_keco"``)."""
    col = getattr(Seeker, column)
    with engine.connect() as conn:
        return dict(conn.execute(select(col, func.count()).group_by(col)).all())


def latest_registration(engine: Engine) -> dt.date | None:
    """The latest registration date (``None`` when there are no seekers)."""
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(Seeker.registered_on))).scalar_one()
    if latest is None:
        return None
    return latest if isinstance(latest, dt.date) else dt.date.fromisoformat(str(latest))


SEEKER_RECORD_COLUMNS: tuple[str, ...] = (
    "id", "age", "sex", "disability", "education", "region_code", "career_years", "last_keco", "desired_keco",
    "desired_wage", "desired_region_code", "region_flexible", "skills", "benefit_status", "registered_on",
)
"""Seeker columns the model and its audit read (no name, RRN, contact, address or free text)."""


def load_seeker_records(
    engine: Engine, *, as_of: dt.date | None = None, ids: list[int] | None = None, registered_after: dt.date | None = None
) -> pd.DataFrame:
    """Observed seeker records with certificates, services and outcomes.

    Args:
        engine: Product database.
        as_of: Count only services started on or before this date (``None``: every service).
        ids: Only these seekers (``None``: everyone).
        registered_after: Only seekers registered after this date (the open caseload).

    Returns:
        :data:`SEEKER_RECORD_COLUMNS` plus ``certificate_ids``, the service flags
        ``svc_*`` (training = a completed course), ``employed_180d`` and ``days_to_employment``
        (``NaN`` when not employed). Sorted by id.
    """
    stmt = select(*(getattr(Seeker, c) for c in SEEKER_RECORD_COLUMNS), SeekerOutcome.employed_180d,
                  SeekerOutcome.days_to_employment).join(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id)
    certs = select(SeekerCertificate.seeker_id, SeekerCertificate.certificate_id)
    services = select(SeekerService.seeker_id, SeekerService.service, SeekerService.started_on)
    training = select(Enrolment.seeker_id, Enrolment.enrolled_on).where(Enrolment.completed.is_(True))
    if ids is not None:
        stmt = stmt.where(Seeker.id.in_(ids))
        certs = certs.where(SeekerCertificate.seeker_id.in_(ids))
        services = services.where(SeekerService.seeker_id.in_(ids))
        training = training.where(Enrolment.seeker_id.in_(ids))
    if registered_after is not None:
        recent = select(Seeker.id).where(Seeker.registered_on > registered_after)
        stmt = stmt.where(Seeker.registered_on > registered_after)
        certs = certs.where(SeekerCertificate.seeker_id.in_(recent))
        services = services.where(SeekerService.seeker_id.in_(recent))
        training = training.where(Enrolment.seeker_id.in_(recent))
    if as_of is not None:
        services = services.where(SeekerService.started_on <= as_of)
        training = training.where(Enrolment.enrolled_on <= as_of)
    frame = read_frame(engine, stmt.order_by(Seeker.id))
    cert_frame = read_frame(engine, certs)
    service_frame = read_frame(engine, services)
    training_ids = set(read_frame(engine, training)["seeker_id"].astype(int))
    cert_frame = cert_frame.astype({"certificate_id": str}).sort_values(["seeker_id", "certificate_id"])
    # a plain loop over the sorted pairs: groupby(...).agg(";".join) calls Python once per group through
    # pandas' slow path (17 s for the 136k certificate holders of a national caseload)
    joined: dict[int, list[str]] = {}
    for seeker_id, certificate_id in zip(cert_frame["seeker_id"].astype(int).tolist(),
                                         cert_frame["certificate_id"].tolist(), strict=True):
        joined.setdefault(seeker_id, []).append(certificate_id)
    frame["certificate_ids"] = [";".join(joined.get(int(i), ())) for i in frame["id"].tolist()]
    for service in SERVICES:
        if service == "training":
            # 직업훈련 counts when a course was completed (enrolment alone has no effect on the outcome)
            frame["svc_training"] = frame["id"].isin(training_ids).astype(int)
        else:
            received = set(service_frame.loc[service_frame["service"] == service, "seeker_id"].astype(int))
            frame[f"svc_{service}"] = frame["id"].isin(received).astype(int)
    frame["registered_on"] = pd.to_datetime(frame["registered_on"]).dt.date
    frame["employed_180d"] = frame["employed_180d"].astype(bool)
    days = pd.to_numeric(frame["days_to_employment"], errors="coerce")
    frame["days_to_employment"] = days.where(frame["employed_180d"] & (days > 0))
    frame["disability"] = frame["disability"].astype(bool)
    frame["region_flexible"] = frame["region_flexible"].astype(bool)
    frame["benefit_status"] = frame["benefit_status"].astype(bool)
    return frame


def load_demo_seeker_ids(engine: Engine, *, count: int = 3, pool: int = 500) -> list[int]:
    """Seekers to tie the demo seeker accounts to: the most recently registered ones with a résumé,
    one per occupation group (the first digit of the desired KECO code) while groups last.

    Args:
        engine: Database engine.
        count: How many.
        pool: How many of the newest seekers with a résumé are looked at.

    Returns:
        Up to ``count`` ids, newest registration first (fewer when the database has fewer seekers).
    """
    stmt = (
        select(Seeker.id, Seeker.desired_keco)
        .where(func.length(func.trim(Seeker.resume_text)) > 0)
        .order_by(Seeker.registered_on.desc(), Seeker.id.desc())
        .limit(pool)
    )
    with Session(engine) as session:
        rows = [(int(i), str(k or "")) for i, k in session.execute(stmt).all()]
    chosen: list[int] = []
    groups: set[str] = set()
    for seeker_id, keco in rows:
        if keco[:1] not in groups:
            groups.add(keco[:1])
            chosen.append(seeker_id)
    chosen += [i for i, _ in rows if i not in chosen]  # fewer groups than accounts: the next newest
    return chosen[:count]


# --------------------------------------------------------------------------- identity, masked at once


def seeker_name(uow: Session, seeker_id: int) -> str | None:
    """The seeker's name, inside a unit of work (``None``: no such seeker). Only for masking text
    about the seeker before it is stored; it never leaves the service that asks."""
    return uow.execute(select(Seeker.name).where(Seeker.id == int(seeker_id))).scalar_one_or_none()


def load_masked_names(engine: Engine, seeker_ids: list[int]) -> dict[int, str]:
    """Seeker id → masked name ("이○숙"); the name itself never leaves this function."""
    if not seeker_ids:
        return {}
    with Session(engine) as session:
        return {int(i): mask_name(str(n))
                for chunk in id_chunks(seeker_ids)  # a national caseload is more ids than one statement binds
                for i, n in session.execute(select(Seeker.id, Seeker.name).where(Seeker.id.in_(chunk))).all()}


@dataclass(frozen=True)
class MaskedDocuments:
    """A seeker's texts with personal data masked."""

    masked_name: str
    resume: str
    cover_letter: str
    notes: tuple[tuple[str, str], ...]  # (written_on, masked text), oldest first


def load_masked_documents(engine: Engine, seeker_id: int, *, as_of: dt.date | None = None) -> MaskedDocuments | None:
    """Résumé, cover letter and counsellor notes of one seeker, masked as they are read (the
    unmasked texts never leave this function); ``None`` when there is no such seeker.

    Args:
        engine: Database engine.
        seeker_id: The seeker.
        as_of: Only notes written on or before this date (the reference date: a note dated later
            has not been written yet on the day the page describes). ``None``: every note.
    """
    with Session(engine) as session:
        row = session.execute(
            select(Seeker.name, Seeker.resume_text, Seeker.cover_letter_text).where(Seeker.id == int(seeker_id))
        ).first()
        if row is None:
            return None
        name, resume_text, cover_text = row
        names = [name]
        resume = mask_pii(resume_text or "", names=names)
        cover = mask_pii(cover_text or "", names=names)
        masked_name = mask_name(name)
        note_query = select(CounsellorNote.written_on, CounsellorNote.text).where(
            CounsellorNote.seeker_id == int(seeker_id))
        if as_of is not None:
            note_query = note_query.where(CounsellorNote.written_on <= as_of)
        notes = session.execute(note_query.order_by(CounsellorNote.written_on, CounsellorNote.id)).all()
    return MaskedDocuments(
        masked_name=masked_name, resume=resume, cover_letter=cover,
        notes=tuple((str(d), mask_pii(str(t), names=names)) for d, t in notes),
    )
