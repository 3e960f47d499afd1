"""과정 문의: a seeker asks their counsellor about a course recommended to them or in their plan,
and a counsellor answers.

Rules: only a seeker account asks, for itself, and only about a course that is in its plan or was
shown to it as a recommendation; only counsellors answer, once. The question and the answer are
bounded (:data:`app.bounds.MAX_MESSAGE_CHARS`) and masked (with the seeker's own name) before they
are stored, and each writes an audit-log row in the same transaction.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
from sqlalchemy import Engine

from app.auth import User
from app.bounds import MAX_MESSAGE_CHARS
from app.db.repositories import training_plans as repo
from app.db.repositories import unit_of_work
from app.services.training.plan import (
    TrainingAccessDenied,
    TrainingNotFound,
    TrainingPlanError,
    checked_text,
    masked_for,
    record_change,
    require_course,
)
from app.text.korean import format_kst_datetime

QUESTION_ACTION: Final[str] = "training.question"
"""Audit action of a seeker's question about a course."""
ANSWER_ACTION: Final[str] = "training.answer"
"""Audit action of a counsellor's answer."""
QUESTION_TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "문의 번호", "구직자 번호", "과정 번호", "훈련과정", "문의 내용", "문의 일시", "상태", "답변", "답변한 사람", "답변 일시",
)
"""Columns of :func:`load_questions` (Korean, ready to show)."""
OPEN_LABEL: Final[str] = "답변 대기"
ANSWERED_LABEL: Final[str] = "답변 완료"


def ask_about_course(engine: Engine, user: User, course_id: int, message: str) -> int:
    """Ask the counsellor about a course (the logged-in seeker's own plan or recommendations).

    Args:
        engine: Product database.
        user: The seeker account asking.
        course_id: A course in the seeker's plan or shown to the seeker as a recommendation.
        message: The question (masked, at most :data:`app.bounds.MAX_MESSAGE_CHARS` characters).

    Returns:
        The question's id.

    Raises:
        TrainingAccessDenied: Not a seeker account, or a course neither in the plan nor recommended.
        TrainingNotFound: No such course, or no seeker behind the account.
        TrainingPlanError: An empty or too long message.
    """
    if user.role != "seeker":
        raise TrainingAccessDenied("훈련과정 문의는 구직자 본인만 보낼 수 있습니다.")
    seeker_id = int(user.scoped_seeker_id or 0)
    text = checked_text(message, label="문의 내용", limit=MAX_MESSAGE_CHARS, required=True)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        try:
            masked = masked_for(uow, seeker_id, text, limit=MAX_MESSAGE_CHARS)
        except TrainingNotFound:
            raise TrainingNotFound("이 계정에 연결된 구직자 정보가 없습니다. 관리자에게 문의하세요.") from None
        require_course(uow, course_id)
        own = (repo.active_plan_id(uow, seeker_id=seeker_id, course_id=course_id) is not None
               or repo.was_recommended(uow, seeker_id=seeker_id, course_id=course_id))
        if not own:
            raise TrainingAccessDenied("추천받았거나 상담 계획에 있는 훈련과정만 문의할 수 있습니다.")
        question_id = repo.add_question(uow, seeker_id=seeker_id, course_id=course_id, message=masked)
        record_change(uow, user, QUESTION_ACTION, seeker_id=seeker_id, course_id=course_id, row_id=question_id)
    return question_id


def answer_question(engine: Engine, user: User, question_id: int, answer: str) -> None:
    """Answer a seeker's question (once), with its audit row, in one transaction.

    Raises:
        TrainingAccessDenied: Not a counsellor.
        TrainingNotFound: No such question.
        TrainingPlanError: An empty or too long answer, or the question was answered already.
    """
    if user.role != "counsellor":
        raise TrainingAccessDenied("훈련과정 문의에는 직업상담사만 답변할 수 있습니다.")
    text = checked_text(answer, label="답변", limit=MAX_MESSAGE_CHARS, required=True)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        owner = repo.question_owner(uow, question_id)
        if owner is None:
            raise TrainingNotFound(f"문의를 찾을 수 없습니다 (문의 번호 {question_id})")
        seeker_id, course_id, answered = owner
        masked = masked_for(uow, seeker_id, text, limit=MAX_MESSAGE_CHARS)
        if answered or not repo.answer_question(uow, question_id, answered_by=user.username, answer=masked):
            raise TrainingPlanError(f"이미 답변한 문의입니다 (문의 번호 {question_id}). 화면을 새로 고쳐 확인하세요.")
        record_change(uow, user, ANSWER_ACTION, seeker_id=seeker_id, course_id=course_id, row_id=question_id)


def load_questions(engine: Engine, seeker_id: int | None = None, open_only: bool = False) -> pd.DataFrame:
    """Questions, newest first, as a Korean table (:data:`QUESTION_TABLE_COLUMNS`; texts masked, times KST).

    The page decides whose: a seeker's page passes the account's own seeker id, a counsellor's page
    none (every seeker) or the seeker on screen.

    Args:
        engine: Product database.
        seeker_id: Only this seeker's questions.
        open_only: Only questions not answered yet.
    """
    repo.ensure_tables(engine)
    rows = repo.load_questions(engine, seeker_id=seeker_id, open_only=open_only)
    answered = rows["answered_at"].notna()
    return pd.DataFrame({
        "문의 번호": rows["id"].astype(int),
        "구직자 번호": rows["seeker_id"].astype(int),
        "과정 번호": rows["course_id"].astype(int),
        "훈련과정": rows["title"].astype(str),
        "문의 내용": rows["message"].astype(str),
        "문의 일시": [format_kst_datetime(t) for t in rows["asked_at"]],
        "상태": [ANSWERED_LABEL if a else OPEN_LABEL for a in answered],
        "답변": rows["answer"].fillna("").astype(str),
        "답변한 사람": rows["answered_by"].fillna("").astype(str),
        "답변 일시": [format_kst_datetime(t) if a else "-" for t, a in zip(rows["answered_at"], answered, strict=True)],
    }, columns=list(QUESTION_TABLE_COLUMNS))
