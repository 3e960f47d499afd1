"""What people did with the models, counted in the database for 성과·모델 모니터링's live sections.

The report's audit volume grouped the audit log by its exact timestamps, and the employment override
rate read the time of every seeker profile ever opened: with a year of use (a million audit rows) that
moved hundreds of thousands of rows through the driver on every report (0.9 s and 0.3 s on
PostgreSQL). These queries group in the database instead — by UTC hour (a KST day is whole UTC hours:
KST has no daylight saving) and by calendar quarter — and return at most a few thousand rows with the
same counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, case, extract, func, select

from app.db.orm import AuditLog, RiskOverride
from app.db.repositories import read_frame


def _quarter_of(column: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    month = extract("month", column)
    return [extract("year", column).label("year"),
            case((month <= 3, 1), (month <= 6, 4), (month <= 9, 7), else_=10).label("first_month")]


def _per_quarter(engine: Engine, column: ColumnElement[Any], *where: ColumnElement[bool]) -> pd.Series:
    keys = _quarter_of(column)
    frame = read_frame(engine, select(*keys, func.count().label("rows")).where(*where).group_by(*keys))
    if frame.empty:
        return pd.Series(dtype=int)
    starts = pd.to_datetime(pd.DataFrame({"year": frame["year"].astype(int), "month": frame["first_month"].astype(int),
                                          "day": 1}))
    return pd.Series(frame["rows"].astype(int).to_numpy(), index=pd.DatetimeIndex(starts)).sort_index()


def audit_counts_by_hour(engine: Engine, since: dt.datetime | None = None) -> pd.DataFrame:
    """Audit rows per model, action and UTC hour (``at`` the hour's start, UTC; ``model_name, action,
    rows``) since ``since`` (UTC): what :func:`app.db.repositories.monitoring.load_audit_counts`
    returns, summed to the hour."""
    # PostgreSQL truncates a timestamp 6× faster than it extracts four fields (75 vs 500 ms over 250k rows)
    hour = (func.date_trunc("hour", AuditLog.at) if engine.dialect.name == "postgresql"
            else func.strftime("%Y-%m-%d %H:00:00", AuditLog.at)).label("hour")
    stmt = select(hour, AuditLog.model_name, AuditLog.action, func.count().label("rows")).group_by(
        hour, AuditLog.model_name, AuditLog.action)
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    frame = read_frame(engine, stmt)
    if frame.empty:
        return pd.DataFrame(columns=["at", "model_name", "action", "rows"])
    return pd.DataFrame({"at": pd.to_datetime(frame["hour"]), "model_name": frame["model_name"].fillna("").astype(str),
                         "action": frame["action"].astype(str), "rows": frame["rows"].astype(int)})


def action_counts_by_quarter(engine: Engine, action: str) -> pd.Series:
    """Audit rows of ``action`` per calendar quarter of their UTC time (index: the quarter's first day)."""
    return _per_quarter(engine, AuditLog.at, AuditLog.action == action)


def risk_overrides_by_quarter(engine: Engine) -> pd.Series:
    """Counsellors' band overrides per calendar quarter of their time (index: the quarter's first day)."""
    return _per_quarter(engine, RiskOverride.at)
