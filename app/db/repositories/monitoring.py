"""Queries of performance management and model monitoring (성과·모델 모니터링): the frames the KPI and
monitoring arithmetic of :mod:`app.analytics` needs. Identifiers stay here and in the service (never
on screen); nothing personal is read but region, dates, outcomes and the counsellor's name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from app.db.orm import (
    AdReview,
    AuditLog,
    CounsellorNote,
    Enrolment,
    Posting,
    PostingOutcome,
    RiskOverride,
    Seeker,
    SeekerOutcome,
    SeekerService,
)
from app.db.repositories import read_frame


def load_kpi_cohort(engine: Engine) -> pd.DataFrame:
    """Every seeker's region, registration date and outcome (``id, region_code, registered_on,
    employed_180d, days_to_employment``).

    This and the next three read whole tables: the frames of :func:`app.analytics.kpi.compute_kpis`,
    which the stored KPI summary (:mod:`app.db.repositories.kpi_summary`) is tested against; pages
    read the summary.
    """
    stmt = (select(Seeker.id, Seeker.region_code, Seeker.registered_on, SeekerOutcome.employed_180d,
                   SeekerOutcome.days_to_employment)
            .join(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id, isouter=True).order_by(Seeker.id))
    frame = read_frame(engine, stmt)
    frame["employed_180d"] = frame["employed_180d"].fillna(False).astype(bool)
    frame["days_to_employment"] = pd.to_numeric(frame["days_to_employment"], errors="coerce")
    return frame


def load_service_starts(engine: Engine) -> pd.DataFrame:
    """Every service a seeker started (``seeker_id, service, started_on``)."""
    return read_frame(engine, select(SeekerService.seeker_id, SeekerService.service, SeekerService.started_on))


def load_enrolment_outcomes(engine: Engine) -> pd.DataFrame:
    """Every training enrolment and whether it was completed (``seeker_id, enrolled_on, completed``)."""
    frame = read_frame(engine, select(Enrolment.seeker_id, Enrolment.enrolled_on, Enrolment.completed))
    frame["completed"] = frame["completed"].astype(bool)
    return frame


def load_counselling_sessions(engine: Engine) -> pd.DataFrame:
    """Every counselling session: ``seeker_id, counsellor, written_on`` (the note's text is not read)."""
    return read_frame(engine, select(CounsellorNote.seeker_id, CounsellorNote.counsellor, CounsellorNote.written_on))


def load_posting_fill_outcomes(engine: Engine) -> pd.DataFrame:
    """Whether each posting was filled within 30 days (``posting_id, filled_30d``)."""
    frame = read_frame(engine, select(PostingOutcome.posting_id, PostingOutcome.filled_30d))
    frame["filled_30d"] = frame["filled_30d"].astype(bool)
    return frame


def load_posting_open_dates(engine: Engine) -> pd.DataFrame:
    """Every posting's opening date (``id, open_date``)."""
    return read_frame(engine, select(Posting.id, Posting.open_date))


def load_risk_override_events(engine: Engine) -> pd.DataFrame:
    """Counsellors' overrides of the risk band: ``seeker_id, at, model_band, override_band``."""
    return read_frame(engine, select(RiskOverride.seeker_id, RiskOverride.at, RiskOverride.model_band,
                                     RiskOverride.override_band))


def load_ad_review_events(engine: Engine) -> pd.DataFrame:
    """Reviewers' decisions on flagged postings: ``at, decision, model_decision``."""
    return read_frame(engine, select(AdReview.at, AdReview.decision, AdReview.model_decision))


def load_audit_counts(engine: Engine, since: dt.datetime | None = None) -> pd.DataFrame:
    """Audit rows per model, action and minute-free time (``at, model_name, action, rows``) since ``since`` (UTC).

    Grouped by the row's timestamp in the database, so a busy day of identical seconds is one row;
    the service turns UTC into KST days.
    """
    stmt = select(AuditLog.at, AuditLog.model_name, AuditLog.action, func.count().label("rows")).group_by(
        AuditLog.at, AuditLog.model_name, AuditLog.action)
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    return read_frame(engine, stmt)


def load_action_times(engine: Engine, action: str) -> pd.DataFrame:
    """When each audit row of ``action`` was written (``at``, UTC), e.g. every seeker profile opened."""
    return read_frame(engine, select(AuditLog.at).where(AuditLog.action == action))
