"""Saved what-if scenarios of the hiring simulator (each employer sees only its own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from app.db.orm import HiringScenario
from app.db.repositories import read_frame

SCENARIO_COLUMNS: tuple[str, ...] = (
    "id", "name", "posting_id", "created_at", "probability", "days", "model_version", "conditions",
)


def add_scenario(
    uow: Session,
    *,
    employer_id: int,
    posting_id: int | None,
    name: str,
    conditions: Mapping[str, object],
    probability: float,
    days: float,
    model_version: str,
) -> int:
    """Insert one scenario inside a unit of work (time in UTC); returns its id."""
    row = HiringScenario(
        employer_id=int(employer_id),
        posting_id=None if posting_id is None else int(posting_id),
        name=name,
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        conditions=dict(conditions),
        probability=float(probability),
        days=float(days),
        model_version=model_version,
    )
    uow.add(row)
    uow.flush()
    return int(row.id)


def load_scenarios(engine: Engine, employer_id: int) -> pd.DataFrame:
    """The employer's saved scenarios, newest first (:data:`SCENARIO_COLUMNS`; ``conditions`` holds dicts)."""
    stmt = (
        select(*(getattr(HiringScenario, name) for name in SCENARIO_COLUMNS))
        .where(HiringScenario.employer_id == int(employer_id))
        .order_by(HiringScenario.created_at.desc(), HiringScenario.id.desc())
    )
    return read_frame(engine, stmt)


def delete_scenario(uow: Session, *, employer_id: int, scenario_id: int) -> bool:
    """Delete one of the employer's own scenarios inside a unit of work; False when there is none."""
    result = uow.execute(
        delete(HiringScenario).where(HiringScenario.id == int(scenario_id), HiringScenario.employer_id == int(employer_id))
    )
    return result.rowcount == 1
