"""Queries of talent matching (인재추천): the structured side of seekers and postings, the
application history, and the résumé documents of a few candidates.

The matcher reads no personal identifiers: seekers come with their professional record only
(occupations, region, career, wage, skills, certificates, education, registration date). Names are
read only to mask them out of the documents a card quotes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, func, select

from app.db.orm import Application, Hire, Posting, Seeker, SeekerCertificate
from app.db.repositories import read_frame

MATCH_SEEKER_COLUMNS: tuple[str, ...] = (
    "id", "desired_keco", "last_keco", "region_code", "desired_region_code", "region_flexible", "career_years",
    "desired_wage", "education", "major", "skills", "registered_on",
)
"""Seeker columns the matcher uses: no name, contact, address, age, sex or disability."""


def load_match_seekers(engine: Engine, seeker_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The professional record of every seeker (or of ``seeker_ids``), with ``certificate_ids``.

    Returns:
        One row per seeker: :data:`MATCH_SEEKER_COLUMNS` plus ``certificate_ids`` (``;``-joined).
    """
    stmt = select(*(getattr(Seeker, c) for c in MATCH_SEEKER_COLUMNS)).order_by(Seeker.id)
    certs = select(SeekerCertificate.seeker_id, SeekerCertificate.certificate_id)
    if seeker_ids is not None:
        ids = [int(i) for i in seeker_ids]
        stmt = stmt.where(Seeker.id.in_(ids))
        certs = certs.where(SeekerCertificate.seeker_id.in_(ids))
    frame = read_frame(engine, stmt)
    held = read_frame(engine, certs)
    joined = held.groupby("seeker_id")["certificate_id"].agg(lambda s: ";".join(sorted(s))) if len(held) else pd.Series(
        dtype=str)
    frame["certificate_ids"] = frame["id"].map(joined).fillna("")
    frame["registered_on"] = pd.to_datetime(frame["registered_on"])
    return frame


MATCH_POSTING_COLUMNS: tuple[str, ...] = (
    "id", "employer_id", "keco_code", "region_code", "wage_monthly", "weekly_hours", "employment_type", "career",
    "min_career_years", "education", "open_date", "close_date", "title", "duties", "requirements", "preferred",
)


def load_match_postings(engine: Engine, posting_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The conditions and the job text (title, duties, requirements, preferred) of postings."""
    stmt = select(*(getattr(Posting, c) for c in MATCH_POSTING_COLUMNS)).order_by(Posting.id)
    if posting_ids is not None:
        stmt = stmt.where(Posting.id.in_([int(i) for i in posting_ids]))
    frame = read_frame(engine, stmt)
    frame["open_date"] = pd.to_datetime(frame["open_date"])
    frame["close_date"] = pd.to_datetime(frame["close_date"])
    return frame


def load_open_postings(engine: Engine, as_of: dt.date) -> pd.DataFrame:
    """Postings open on ``as_of`` (opened on or before it, closing on or after it), as :func:`load_match_postings`."""
    stmt = (select(*(getattr(Posting, c) for c in MATCH_POSTING_COLUMNS))
            .where(Posting.open_date <= as_of, Posting.close_date >= as_of).order_by(Posting.id))
    frame = read_frame(engine, stmt)
    frame["open_date"] = pd.to_datetime(frame["open_date"])
    frame["close_date"] = pd.to_datetime(frame["close_date"])
    return frame


def load_application_pairs(engine: Engine) -> pd.DataFrame:
    """``posting_id, seeker_id, hired`` of every application (``hired``: this seeker was hired there)."""
    apps = read_frame(engine, select(Application.posting_id, Application.seeker_id))
    hires = read_frame(engine, select(Hire.posting_id, Hire.seeker_id).where(Hire.seeker_id.is_not(None)))
    hired = set(zip(hires["posting_id"].astype(int), hires["seeker_id"].astype(int), strict=True))
    apps["hired"] = [(int(p), int(s)) in hired for p, s in zip(apps["posting_id"], apps["seeker_id"], strict=True)]
    return apps


def load_candidate_documents(engine: Engine, seeker_ids: Sequence[int]) -> pd.DataFrame:
    """``id, name, resume_text, cover_letter_text`` of a few seekers (the name only to mask it).

    Callers mask every text before it is shown, logged or sent to a model.
    """
    ids = [int(i) for i in seeker_ids]
    if not ids:
        return pd.DataFrame(columns=["id", "name", "resume_text", "cover_letter_text"])
    return read_frame(engine, select(Seeker.id, Seeker.name, Seeker.resume_text, Seeker.cover_letter_text)
                      .where(Seeker.id.in_(ids)))


def count_seeker_applications(engine: Engine) -> pd.Series:
    """Applications per seeker (seekers without any are absent)."""
    frame = read_frame(engine, select(Application.seeker_id, func.count().label("n")).group_by(Application.seeker_id))
    return frame.set_index("seeker_id")["n"]
