"""Training recommendation's own records: the courses in a seeker's counselling plan, the courses
shown as recommendations and the seekers' questions about a course. The caller masks free text and
decides who may do what (:mod:`app.services.training`).

Times are stored in UTC without a zone. Outcomes come from observed tables only (``enrolments``,
``seeker_outcomes``), never from a ``truth_*`` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from app.db.orm import (
    TRAINING_PLAN_TABLES,
    Base,
    Course,
    Enrolment,
    Seeker,
    SeekerOutcome,
    TrainingPlan,
    TrainingQuestion,
    TrainingRecommendation,
)
from app.db.repositories import create_missing_tables, read_frame
from app.db.repositories.talent import utc_now

PLAN_COLUMNS: tuple[str, ...] = (
    "plan_id", "course_id", "title", "institution", "region_code", "mode", "start_date", "hours", "cost",
    "added_by", "added_at", "note",
)
"""Columns of :func:`load_plan`: the plan row and the course's public facts."""
QUESTION_COLUMNS: tuple[str, ...] = (
    "id", "seeker_id", "course_id", "title", "message", "asked_at", "answered_by", "answer", "answered_at",
)
"""Columns of :func:`load_questions`."""


def ensure_tables(engine: Engine) -> None:
    """Create the training-plan tables when a database built before them lacks them (once per database).

    ``python -m app build`` creates them too; this lets a server updated without a new build store
    plans at once.
    """
    create_missing_tables(engine, [Base.metadata.tables[name] for name in TRAINING_PLAN_TABLES])


def course_exists(uow: Session, course_id: int) -> bool:
    """Whether the course exists, inside a unit of work."""
    return uow.scalar(select(Course.id).where(Course.id == int(course_id))) is not None


# --------------------------------------------------------------------------- the plan


def active_plan_id(uow: Session, *, seeker_id: int, course_id: int) -> int | None:
    """Id of the plan row holding this course for this seeker now (``None``: not in the plan)."""
    found = uow.scalar(
        select(TrainingPlan.id).where(TrainingPlan.seeker_id == int(seeker_id), TrainingPlan.course_id == int(course_id),
                                      TrainingPlan.removed_at.is_(None))
    )
    return None if found is None else int(found)


def add_plan_row(uow: Session, *, seeker_id: int, course_id: int, added_by: str, note: str) -> int:
    """Insert a course into a seeker's plan inside a unit of work; returns the row's id.

    Raises:
        sqlalchemy.exc.IntegrityError: The course is in the plan already (also when another session
            added it after the caller checked: the unique index :data:`app.db.orm.ACTIVE_PLAN_INDEX`).
    """
    row = TrainingPlan(seeker_id=int(seeker_id), course_id=int(course_id), added_by=str(added_by)[:40],
                       added_at=utc_now(), note=note, removed_by=None, removed_at=None)
    uow.add(row)
    uow.flush()
    return int(row.id)


def remove_plan_row(uow: Session, plan_id: int, *, removed_by: str) -> bool:
    """Mark a plan row removed inside a unit of work; False when it was removed already (nothing changed)."""
    result = uow.execute(
        update(TrainingPlan).where(TrainingPlan.id == int(plan_id), TrainingPlan.removed_at.is_(None))
        .values(removed_by=str(removed_by)[:40], removed_at=utc_now())
    )
    return bool(result.rowcount)


def load_plan(engine: Engine, seeker_id: int) -> pd.DataFrame:
    """The courses in a seeker's plan now, first added first (:data:`PLAN_COLUMNS`)."""
    stmt = (
        select(TrainingPlan.id.label("plan_id"), TrainingPlan.course_id, Course.title, Course.institution,
               Course.region_code, Course.mode, Course.start_date, Course.hours, Course.cost, TrainingPlan.added_by,
               TrainingPlan.added_at, TrainingPlan.note)
        .join(Course, Course.id == TrainingPlan.course_id)
        .where(TrainingPlan.seeker_id == int(seeker_id), TrainingPlan.removed_at.is_(None))
        .order_by(TrainingPlan.added_at, TrainingPlan.id)
    )
    return read_frame(engine, stmt)


def count_plans(engine: Engine, seeker_ids: Sequence[int]) -> dict[int, int]:
    """Seeker id -> courses in their plan now (seekers without any are left out)."""
    ids = sorted({int(i) for i in seeker_ids})
    if not ids:
        return {}
    stmt = (select(TrainingPlan.seeker_id, func.count()).where(TrainingPlan.removed_at.is_(None))
            .group_by(TrainingPlan.seeker_id))
    with Session(engine) as session:
        if len(ids) <= _FEW_SEEKERS:
            return {int(s): int(n) for s, n in session.execute(stmt.where(TrainingPlan.seeker_id.in_(ids))).all()}
        # a whole caseload (tens of thousands of seekers): binding every id costs more than reading
        # every plan, which counsellors write one by one (far fewer rows than seekers)
        wanted = set(ids)
        return {int(s): int(n) for s, n in session.execute(stmt).all() if int(s) in wanted}


_FEW_SEEKERS = 500
"""Up to this many seekers :func:`count_plans` asks for them by id; beyond, it reads every current plan."""


# --------------------------------------------------------------------------- recommendations shown


def add_recommendations(uow: Session, *, seeker_id: int, ranked: Sequence[tuple[int, int, float]], model_version: str,
                        role: str, seen_since: dt.datetime) -> int:
    """Store courses shown as recommendations for a seeker, inside a unit of work, skipping any
    course shown to the same role for this seeker by the same model since ``seen_since`` (a page
    drawn again is not a new recommendation).

    Args:
        uow: The unit of work.
        seeker_id: The seeker.
        ranked: ``(course_id, rank, score)`` of each course shown.
        model_version: The recommender's version.
        role: Role of the user it was shown to.
        seen_since: Start of the period within which a repeat is not stored (UTC).

    Returns:
        Rows stored.
    """
    stored = set(uow.execute(
        select(TrainingRecommendation.course_id)
        .where(TrainingRecommendation.seeker_id == int(seeker_id), TrainingRecommendation.shown_at >= seen_since,
               TrainingRecommendation.model_version == model_version, TrainingRecommendation.shown_to_role == role)
    ).scalars())
    now = utc_now()
    fresh = []
    for course_id, rank, score in ranked:
        if int(course_id) in stored:
            continue
        stored.add(int(course_id))
        fresh.append(TrainingRecommendation(seeker_id=int(seeker_id), course_id=int(course_id), rank=int(rank),
                                            score=float(score), model_version=model_version, shown_to_role=role,
                                            shown_at=now))
    uow.add_all(fresh)
    return len(fresh)


def was_recommended(uow: Session, *, seeker_id: int, course_id: int) -> bool:
    """Whether the course was ever shown as a recommendation for the seeker, inside a unit of work."""
    return uow.scalar(
        select(TrainingRecommendation.id).where(TrainingRecommendation.seeker_id == int(seeker_id),
                                                TrainingRecommendation.course_id == int(course_id)).limit(1)
    ) is not None


def load_recommendations(engine: Engine) -> pd.DataFrame:
    """Every recommendation shown, with the seeker's age and education (the policy view's rows).

    Returns:
        ``seeker_id, course_id, rank, score, model_version, shown_to_role, shown_at, age, education``.
    """
    stmt = (
        select(TrainingRecommendation.seeker_id, TrainingRecommendation.course_id, TrainingRecommendation.rank,
               TrainingRecommendation.score, TrainingRecommendation.model_version,
               TrainingRecommendation.shown_to_role, TrainingRecommendation.shown_at, Seeker.age, Seeker.education)
        .join(Seeker, Seeker.id == TrainingRecommendation.seeker_id)
        .order_by(TrainingRecommendation.id)
    )
    return read_frame(engine, stmt)


def load_enrolment_outcomes(engine: Engine, course_ids: Sequence[int]) -> pd.DataFrame:
    """Enrolments in these courses with each seeker's observed outcome.

    Returns:
        ``seeker_id, course_id, enrolled_on, completed, employed_180d`` (``employed_180d`` is NULL
        when the seeker's outcome is not observed yet).
    """
    ids = sorted({int(i) for i in course_ids})
    stmt = (
        select(Enrolment.seeker_id, Enrolment.course_id, Enrolment.enrolled_on, Enrolment.completed,
               SeekerOutcome.employed_180d)
        .outerjoin(SeekerOutcome, SeekerOutcome.seeker_id == Enrolment.seeker_id)
        .where(Enrolment.course_id.in_(ids))
        .order_by(Enrolment.id)
    )
    return read_frame(engine, stmt)


def load_course_facts(engine: Engine, course_ids: Sequence[int]) -> pd.DataFrame:
    """``course_id, title, institution, region_code, mode, employment_rate_6m`` of these courses."""
    ids = sorted({int(i) for i in course_ids})
    stmt = (select(Course.id.label("course_id"), Course.title, Course.institution, Course.region_code, Course.mode,
                   Course.employment_rate_6m)
            .where(Course.id.in_(ids)).order_by(Course.id))
    return read_frame(engine, stmt)


# --------------------------------------------------------------------------- questions


def add_question(uow: Session, *, seeker_id: int, course_id: int, message: str) -> int:
    """Insert a seeker's question inside a unit of work; returns its id."""
    row = TrainingQuestion(seeker_id=int(seeker_id), course_id=int(course_id), message=message, asked_at=utc_now(),
                           answered_by=None, answer=None, answered_at=None)
    uow.add(row)
    uow.flush()
    return int(row.id)


def question_owner(uow: Session, question_id: int) -> tuple[int, int, bool] | None:
    """(seeker id, course id, answered) of a question inside a unit of work; ``None`` when missing."""
    row = uow.execute(
        select(TrainingQuestion.seeker_id, TrainingQuestion.course_id, TrainingQuestion.answered_at)
        .where(TrainingQuestion.id == int(question_id))
    ).first()
    return None if row is None else (int(row[0]), int(row[1]), row[2] is not None)


def answer_question(uow: Session, question_id: int, *, answered_by: str, answer: str) -> bool:
    """Store the answer of an open question inside a unit of work; False when it was answered already."""
    result = uow.execute(
        update(TrainingQuestion).where(TrainingQuestion.id == int(question_id), TrainingQuestion.answered_at.is_(None))
        .values(answered_by=str(answered_by)[:40], answer=answer, answered_at=utc_now())
    )
    return bool(result.rowcount)


def load_questions(engine: Engine, *, seeker_id: int | None = None, open_only: bool = False) -> pd.DataFrame:
    """Questions with their course title, newest first (:data:`QUESTION_COLUMNS`).

    Args:
        engine: Product database.
        seeker_id: Only this seeker's questions.
        open_only: Only those not answered yet.
    """
    stmt = (
        select(TrainingQuestion.id, TrainingQuestion.seeker_id, TrainingQuestion.course_id, Course.title,
               TrainingQuestion.message, TrainingQuestion.asked_at, TrainingQuestion.answered_by,
               TrainingQuestion.answer, TrainingQuestion.answered_at)
        .join(Course, Course.id == TrainingQuestion.course_id)
        .order_by(TrainingQuestion.asked_at.desc(), TrainingQuestion.id.desc())
    )
    if seeker_id is not None:
        stmt = stmt.where(TrainingQuestion.seeker_id == int(seeker_id))
    if open_only:
        stmt = stmt.where(TrainingQuestion.answered_at.is_(None))
    return read_frame(engine, stmt)
