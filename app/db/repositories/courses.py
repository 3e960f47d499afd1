"""Training-course queries (public course catalogue data), enrolments, and the canonical course
frame of training recommendation (issue 17): the same columns a ``courses.csv`` of the command line
is read into, so the world and a file are scored by one code path (``docs/training.md``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from app.db.orm import Course, Enrolment, Seeker, SeekerCertificate
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


COURSE_FRAME_COLUMNS: tuple[str, ...] = (
    "course_id", "title", "ncs_code", "region_code", "online", "hours", "fee", "start_date", "text", "skills",
    "course_type", "keco_code", "capacity", "institution", "employment_rate_6m", "completion_rate", "satisfaction",
)
"""The recommender's course frame (see ``docs/training.md``)."""

SEEKER_FRAME_COLUMNS: tuple[str, ...] = (
    "seeker_id", "desired_keco", "region_code", "age", "education", "career_years", "certificates", "skills_text",
    "benefit_status",
)
"""The recommender's seeker frame (see ``docs/training.md``)."""


def load_course_frame(engine: Engine, *, course_ids: list[int] | None = None) -> pd.DataFrame:
    """Every course round as the canonical course frame (:data:`COURSE_FRAME_COLUMNS`) plus
    ``programme_code`` (= ``programme``), ``round_no``, ``days``, ``end_date``, ``mode`` and
    ``home_region_code`` (where an online course's institution is), sorted by id. ``text`` is the
    title and description; ``skills`` the ';'-joined skills taught."""
    stmt = select(*Course.__table__.columns).order_by(Course.id)
    if course_ids is not None:
        stmt = stmt.where(Course.id.in_([int(i) for i in course_ids]))
    raw = read_frame(engine, stmt)
    frame = pd.DataFrame({
        "course_id": raw["id"].astype(int).astype(str),
        "title": raw["title"].astype(str),
        "ncs_code": raw["ncs_code"].astype(str),
        "region_code": np.where(raw["mode"] == "원격", "", raw["region_code"].astype(str)),
        "online": (raw["mode"] == "원격").to_numpy(bool),
        "hours": raw["hours"].astype(float),
        "fee": raw["cost"].astype(float),
        "start_date": pd.to_datetime(raw["start_date"]),
        "text": (raw["title"].astype(str) + " " + raw["description"].fillna("").astype(str)),
        "skills": raw["skills"].fillna("").astype(str),
        "course_type": raw["course_type"].astype(str),
        "keco_code": raw["keco_code"].astype(str),
        "capacity": raw["capacity"].astype(float),
        "institution": raw["institution"].astype(str),
        "employment_rate_6m": pd.to_numeric(raw["employment_rate_6m"], errors="coerce"),
        "completion_rate": pd.to_numeric(raw["completion_rate"], errors="coerce"),
        "satisfaction": pd.to_numeric(raw["satisfaction"], errors="coerce"),
    })
    frame["programme_code"] = raw["programme_code"].astype(str)
    frame["programme"] = frame["programme_code"]  # the course outcome model's name for it (KDT 훈련과정 ID)
    frame["round_no"] = raw["round_no"].astype(int)
    frame["days"] = raw["days"].astype(float)
    frame["end_date"] = pd.to_datetime(raw["end_date"])
    frame["mode"] = raw["mode"].astype(str)
    frame["home_region_code"] = raw["region_code"].astype(str)
    return frame.reset_index(drop=True)


def load_enrolments(engine: Engine, *, seeker_ids: list[int] | None = None) -> pd.DataFrame:
    """``seeker_id, course_id, enrolled_on, completed`` (ids as int), sorted by enrolment id."""
    stmt = select(Enrolment.seeker_id, Enrolment.course_id, Enrolment.enrolled_on, Enrolment.completed).order_by(
        Enrolment.id)
    if seeker_ids is not None:
        stmt = stmt.where(Enrolment.seeker_id.in_([int(i) for i in seeker_ids]))
    frame = read_frame(engine, stmt)
    frame["enrolled_on"] = pd.to_datetime(frame["enrolled_on"])
    frame["completed"] = frame["completed"].astype(bool)
    return frame.astype({"seeker_id": int, "course_id": int})


def load_certificate_names(engine: Engine, seeker_ids: list[int], names: dict[str, str]) -> dict[int, str]:
    """Seeker id → the names of the certificates they hold, joined by ';'.

    Args:
        engine: Product database.
        seeker_ids: Seekers to read.
        names: Certificate id → name (the reference table).
    """
    stmt = select(SeekerCertificate.seeker_id, SeekerCertificate.certificate_id).where(
        SeekerCertificate.seeker_id.in_([int(i) for i in seeker_ids]))
    frame = read_frame(engine, stmt)
    frame["name"] = frame["certificate_id"].astype(str).map(names).fillna("")
    frame = frame[frame["name"] != ""].sort_values(["seeker_id", "name"])
    return frame.groupby("seeker_id")["name"].agg(";".join).to_dict()


def load_seeker_registration(engine: Engine, seeker_ids: list[int]) -> dict[int, dt.date]:
    """Seeker id → registration date."""
    stmt = select(Seeker.id, Seeker.registered_on).where(Seeker.id.in_([int(i) for i in seeker_ids]))
    frame = read_frame(engine, stmt)
    return {int(i): pd.Timestamp(d).date() for i, d in zip(frame["id"], frame["registered_on"], strict=True)}


def count_courses_by_keco(engine: Engine, *, starting_on_or_after: dt.date) -> dict[str, int]:
    """KECO 소분류 → course rounds aimed at it that start on or after a date (open for enrolment)."""
    stmt = (select(Course.keco_code, func.count()).where(Course.start_date >= starting_on_or_after)
            .group_by(Course.keco_code))
    with Session(engine) as session:
        return {str(code): int(n) for code, n in session.execute(stmt).all()}
