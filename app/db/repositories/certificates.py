"""Queries of the certificate analysis (issue 19): seekers with their outcomes and insured job, the
certificates they hold. Personal data stays out: no name, contact or text column is read."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from app.db.orm import Seeker, SeekerCertificate, SeekerJob, SeekerOutcome
from app.db.repositories import read_frame

POPULATION_COLUMNS: tuple[str, ...] = (
    "seeker_id", "age", "education", "career_years", "desired_keco", "employed_180d", "days_to_employment",
    "industry_of_job", "size_code", "wage_monthly", "started_on", "ended_on",
)


def load_certificate_population(engine: Engine) -> pd.DataFrame:
    """Every seeker with an observed outcome: :data:`POPULATION_COLUMNS` (job columns empty without a job)."""
    stmt = (
        select(Seeker.id.label("seeker_id"), Seeker.age, Seeker.education, Seeker.career_years, Seeker.desired_keco,
               SeekerOutcome.employed_180d, SeekerOutcome.days_to_employment,
               SeekerJob.industry_code.label("industry_of_job"), SeekerJob.size_code, SeekerJob.wage_monthly,
               SeekerJob.started_on, SeekerJob.ended_on)
        .join(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id)
        .outerjoin(SeekerJob, SeekerJob.seeker_id == Seeker.id)
        .order_by(Seeker.id)
    )
    return read_frame(engine, stmt)


def load_certificate_holdings(engine: Engine) -> pd.DataFrame:
    """``seeker_id``, ``certificate_id`` of every certificate held."""
    stmt = select(SeekerCertificate.seeker_id, SeekerCertificate.certificate_id).order_by(
        SeekerCertificate.seeker_id, SeekerCertificate.certificate_id)
    return read_frame(engine, stmt)
