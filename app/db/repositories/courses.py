"""Training-course queries (public course catalogue data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Select, select

from app.db.orm import Course
from app.db.repositories import read_frame


@dataclass(frozen=True)
class CourseFilter:
    """Conditions on courses; empty tuples and ``None`` mean "no condition".

    Attributes:
        region_codes: 시도 codes where the course is held.
        keco_codes: Target KECO 소분류 codes.
        keco_prefix: Target-occupation code prefix when no 소분류 list is given.
        cost_min: Lowest tuition (KRW, inclusive).
        cost_max: Highest tuition (KRW, inclusive).
        date_from: First start date (inclusive).
        date_to: Last start date (inclusive).
    """

    region_codes: tuple[str, ...] = ()
    keco_codes: tuple[str, ...] = ()
    keco_prefix: str | None = None
    cost_min: int | None = None
    cost_max: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


COURSE_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "institution",
    "ncs_code",
    "keco_code",
    "region_code",
    "course_type",
    "mode",
    "hours",
    "days",
    "cost",
    "capacity",
    "start_date",
    "end_date",
    "satisfaction",
    "employment_rate_6m",
)


def _apply_filter(stmt: Select, flt: CourseFilter) -> Select:
    if flt.region_codes:
        stmt = stmt.where(Course.region_code.in_(flt.region_codes))
    if flt.keco_codes:
        stmt = stmt.where(Course.keco_code.in_(flt.keco_codes))
    elif flt.keco_prefix:
        stmt = stmt.where(Course.keco_code.startswith(flt.keco_prefix, autoescape=True))
    if flt.cost_min is not None:
        stmt = stmt.where(Course.cost >= flt.cost_min)
    if flt.cost_max is not None:
        stmt = stmt.where(Course.cost <= flt.cost_max)
    if flt.date_from is not None:
        stmt = stmt.where(Course.start_date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Course.start_date <= flt.date_to)
    return stmt


def load_courses(engine: Engine, flt: CourseFilter | None = None) -> pd.DataFrame:
    """Courses matching ``flt``, latest start first.

    Returns:
        Columns :data:`COURSE_COLUMNS`.
    """
    stmt = select(*(getattr(Course, c) for c in COURSE_COLUMNS)).order_by(
        Course.start_date.desc(), Course.id.desc()
    )
    return read_frame(engine, _apply_filter(stmt, flt or CourseFilter()))
