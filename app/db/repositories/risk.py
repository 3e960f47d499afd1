"""Risk-band thresholds policy staff set and the band overrides counsellors record (history kept)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.orm import RiskBandSetting, RiskOverride
from app.db.repositories import read_frame

BAND_HISTORY_COLUMNS: tuple[str, ...] = ("at", "username", "high_below", "low_from", "note")
OVERRIDE_COLUMNS: tuple[str, ...] = (
    "id", "seeker_id", "username", "at", "model_band", "override_band", "probability", "model_version", "reason",
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_band_history(engine: Engine) -> pd.DataFrame:
    """Every threshold change, newest first (:data:`BAND_HISTORY_COLUMNS`; ``at`` in UTC)."""
    stmt = select(*(getattr(RiskBandSetting, c) for c in BAND_HISTORY_COLUMNS)).order_by(
        RiskBandSetting.at.desc(), RiskBandSetting.id.desc()
    )
    return read_frame(engine, stmt)


def load_latest_band_setting(engine: Engine) -> dict[str, object] | None:
    """The newest thresholds (:data:`BAND_HISTORY_COLUMNS` as a dict), or ``None`` when none was set."""
    stmt = select(*(getattr(RiskBandSetting, c) for c in BAND_HISTORY_COLUMNS)).order_by(
        RiskBandSetting.at.desc(), RiskBandSetting.id.desc()
    ).limit(1)
    with Session(engine) as session:
        row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def add_band_setting(uow: Session, *, username: str, high_below: float, low_from: float, note: str) -> dt.datetime:
    """Record new thresholds inside a unit of work; returns the time written (UTC)."""
    at = _utc_now()
    uow.add(RiskBandSetting(at=at, username=username[:40], high_below=high_below, low_from=low_from, note=note))
    return at


def add_override(
    uow: Session,
    *,
    seeker_id: int,
    username: str,
    model_band: str,
    override_band: str,
    probability: float,
    model_version: str,
    reason: str,
) -> None:
    """Record a counsellor's band override inside a unit of work (the caller masks the reason)."""
    uow.add(RiskOverride(
        seeker_id=int(seeker_id), username=str(username)[:40], at=_utc_now(), model_band=model_band,
        override_band=override_band, probability=float(probability), model_version=str(model_version)[:40],
        reason=reason,
    ))


def load_overrides(engine: Engine, seeker_id: int | None = None) -> pd.DataFrame:
    """Overrides, newest first (:data:`OVERRIDE_COLUMNS`), of one seeker or of everyone."""
    stmt = select(*(getattr(RiskOverride, c) for c in OVERRIDE_COLUMNS))
    if seeker_id is not None:
        stmt = stmt.where(RiskOverride.seeker_id == int(seeker_id))
    return read_frame(engine, stmt.order_by(RiskOverride.at.desc(), RiskOverride.id.desc()))
