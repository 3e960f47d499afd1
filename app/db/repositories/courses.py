"""Training-course queries (public course catalogue data)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Select, select

from app.db.orm import Course
from app.db.repositories import AreaFilter, filtered, read_frame


@dataclass(frozen=True)
class CourseFilter(AreaFilter):
    """Conditions on courses (:class:`AreaFilter`: region where held, target occupation, start date) and tuition.

    Attributes:
        cost_min: Lowest tuition (KRW, inclusive).
        cost_max: Highest tuition (KRW, inclusive).
    """

    cost_min: int | None = None
    cost_max: int | None = None


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
    return filtered(stmt, flt, region=Course.region_code, occupation=Course.keco_code, date=Course.start_date,
                    ranges=((Course.cost, flt.cost_min, flt.cost_max),))


def load_courses(engine: Engine, flt: CourseFilter | None = None) -> pd.DataFrame:
    """Courses matching ``flt``, latest start first.

    Returns:
        Columns :data:`COURSE_COLUMNS`.
    """
    stmt = select(*(getattr(Course, c) for c in COURSE_COLUMNS)).order_by(
        Course.start_date.desc(), Course.id.desc()
    )
    return read_frame(engine, _apply_filter(stmt, flt or CourseFilter()))
