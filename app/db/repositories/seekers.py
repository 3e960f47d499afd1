"""Job-seeker queries that never select a direct identifier.

``seekers`` holds personal data (name, RRN, phone, e-mail, address, birth date, résumé and cover
letter). Nothing here selects those columns: the explorer shows pseudonymous rows (internal id,
age, sex, education, region, wishes, outcome) and the overview only counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Integer, Select, cast, func, select

from app.db.orm import Seeker, SeekerOutcome
from app.db.repositories import read_frame


@dataclass(frozen=True)
class SeekerFilter:
    """Conditions on seekers; empty tuples and ``None`` mean "no condition".

    Attributes:
        region_codes: 시도 codes of residence.
        keco_codes: Desired KECO 소분류 codes.
        keco_prefix: Desired-occupation code prefix when no 소분류 list is given.
        wage_min: Lowest desired monthly wage (KRW, inclusive).
        wage_max: Highest desired monthly wage (KRW, inclusive).
        date_from: First registration date (inclusive).
        date_to: Last registration date (inclusive).
    """

    region_codes: tuple[str, ...] = ()
    keco_codes: tuple[str, ...] = ()
    keco_prefix: str | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


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
    {"name", "rrn", "phone", "email", "address", "birth_date", "resume_text", "cover_letter_text"}
)
"""Direct identifiers and free text that must never be selected (a unit test checks this)."""


def _apply_filter(stmt: Select, flt: SeekerFilter) -> Select:
    if flt.region_codes:
        stmt = stmt.where(Seeker.region_code.in_(flt.region_codes))
    if flt.keco_codes:
        stmt = stmt.where(Seeker.desired_keco.in_(flt.keco_codes))
    elif flt.keco_prefix:
        stmt = stmt.where(Seeker.desired_keco.startswith(flt.keco_prefix, autoescape=True))
    if flt.wage_min is not None:
        stmt = stmt.where(Seeker.desired_wage >= flt.wage_min)
    if flt.wage_max is not None:
        stmt = stmt.where(Seeker.desired_wage <= flt.wage_max)
    if flt.date_from is not None:
        stmt = stmt.where(Seeker.registered_on >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Seeker.registered_on <= flt.date_to)
    return stmt


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

    Returns:
        Columns ``age, region_code, benefit_status, n_seekers, n_outcome, n_employed``.
    """
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
