"""상담 계획 (a seeker's training plan): counsellors add recommended courses to a seeker's plan and
remove them; the plan shows on the seeker's profile and as a count on the caseload.

Rules, enforced here and not only by the pages:

* **Who changes it.** Counsellors, for any seeker (the pages open only seekers of the caseload). A
  seeker does not change their own plan (they ask their counsellor about a course:
  :mod:`app.services.training.questions`); employers and policy staff are refused.
* **One row per course in the plan.** Adding a course already in the plan is refused (the
  database's partial unique index keeps the rule also when two counsellors add it at the same
  moment); removing keeps the row as history, and adding the course again later is a new row.
* **Accountable.** Every add and remove writes an audit-log row in the same transaction: the change
  and its record commit together or not at all.
* **Free text** (the counsellor's note) is bounded and masked (:mod:`app.text.pii`, with the
  seeker's own name) before it is stored.

Times are stored in UTC and shown in KST.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Final

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth import User
from app.bounds import MAX_NOTE_CHARS, has_control_characters
from app.db.repositories import audit as audit_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import training_plans as repo
from app.db.repositories import unit_of_work
from app.errors import AccessDenied, InvalidInput, NotFound
from app.reference.names import region_short
from app.services import audit
from app.text.korean import format_count, format_korean_date, format_kst_datetime
from app.text.pii import mask_pii

PLAN_ADD_ACTION: Final[str] = "training.plan_add"
"""Audit action of a course added to a seeker's plan."""
PLAN_REMOVE_ACTION: Final[str] = "training.plan_remove"
"""Audit action of a course removed from a seeker's plan."""
ONLINE_MODE: Final[str] = "원격"
"""Course mode of an online course (taken from anywhere: no region is shown)."""
PLAN_TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "과정 번호", "훈련과정", "훈련기관", "지역", "개강일", "훈련시간", "추가한 사람", "추가 일시", "메모",
)
"""Columns of :func:`load_plan` (Korean, ready to show)."""


class TrainingPlanError(InvalidInput):
    """A change of a plan, question or answer that breaks a rule (Korean message; nothing changed)."""


class TrainingNotFound(NotFound):
    """No such seeker, course or question."""


class TrainingAccessDenied(AccessDenied):
    """The account's role may not do this, or the record belongs to another seeker."""


# --------------------------------------------------------------------------- shared by the training services


def checked_text(value: object, *, label: str, limit: int, required: bool) -> str:
    """``value`` stripped, refused when empty (if ``required``), too long or holding control characters.

    Raises:
        TrainingPlanError: The Korean reason.
    """
    text = str(value or "").strip()
    if required and not text:
        raise TrainingPlanError(f"{label}을(를) 적어 주세요.")
    if has_control_characters(text):
        raise TrainingPlanError(f"{label}에 쓸 수 없는 제어 문자가 있습니다.")
    if len(text) > limit:
        raise TrainingPlanError(f"{label}은(는) {limit:,}자 이하로 적어 주세요 (입력: {len(text):,}자)")
    return text


def masked_for(uow: Session, seeker_id: int, text: str, *, limit: int) -> str:
    """``text`` with personal data masked, the seeker's own name included (with or without a label).

    Raises:
        TrainingNotFound: No such seeker.
    """
    name = seeker_repo.seeker_name(uow, seeker_id)
    if name is None:
        raise TrainingNotFound(f"구직자를 찾을 수 없습니다 (구직자 번호 {seeker_id})")
    return mask_pii(text, names=[name] if name else ())[:limit] if text else ""


def require_course(uow: Session, course_id: int) -> None:
    """Raises :class:`TrainingNotFound` when the course does not exist."""
    if not repo.course_exists(uow, course_id):
        raise TrainingNotFound("훈련과정을 찾을 수 없습니다. 화면을 새로 고쳐 다시 고르세요.")


def record_change(uow: Session, user: User, action: str, *, seeker_id: int, course_id: int, row_id: int) -> None:
    """Write the audit row of a change inside its unit of work (ids only: no text, no personal data)."""
    digest = hashlib.sha256(f"{action}|{seeker_id}|{course_id}|{row_id}".encode()).hexdigest()
    audit_repo.add_audit_row_in(uow, audit.access_row(
        username=user.username, role=user.role, action=action, input_hash=digest,
        output={"seeker_id": int(seeker_id), "course_id": int(course_id), "record_id": int(row_id)},
    ))


def _require_counsellor(user: User) -> None:
    if user.role == "seeker":
        raise TrainingAccessDenied("상담 계획은 담당 직업상담사가 관리합니다. 궁금한 과정은 상담사에게 문의해 주세요.")
    if user.role != "counsellor":
        raise TrainingAccessDenied("훈련 상담 계획은 직업상담사만 바꿀 수 있습니다.")


def _already_in_plan(seeker_id: int, course_id: int) -> TrainingPlanError:
    return TrainingPlanError("이 훈련과정은 이미 이 구직자의 상담 계획에 있습니다.")


# --------------------------------------------------------------------------- changes


def add_to_plan(engine: Engine, user: User, seeker_id: int, course_id: int, note: str = "") -> int:
    """Add a course to a seeker's plan (상담 계획에 추가), with its audit row, in one transaction.

    Args:
        engine: Product database.
        user: The counsellor.
        seeker_id: The seeker.
        course_id: The course.
        note: Why (optional; masked, at most :data:`app.bounds.MAX_NOTE_CHARS` characters).

    Returns:
        The plan row's id.

    Raises:
        TrainingAccessDenied: Not a counsellor.
        TrainingNotFound: No such seeker or course.
        TrainingPlanError: The course is in the plan already (also when another session added it a
            moment before: nothing is then written), or the note is too long.
    """
    _require_counsellor(user)
    text = checked_text(note, label="메모", limit=MAX_NOTE_CHARS, required=False)
    repo.ensure_tables(engine)
    try:
        with unit_of_work(engine) as uow:
            masked = masked_for(uow, seeker_id, text, limit=MAX_NOTE_CHARS)
            require_course(uow, course_id)
            if repo.active_plan_id(uow, seeker_id=seeker_id, course_id=course_id) is not None:
                raise _already_in_plan(seeker_id, course_id)
            plan_id = repo.add_plan_row(uow, seeker_id=seeker_id, course_id=course_id, added_by=user.username,
                                        note=masked)
            record_change(uow, user, PLAN_ADD_ACTION, seeker_id=seeker_id, course_id=course_id, row_id=plan_id)
    except IntegrityError:
        # another session added the course between the check and the insert: the unique index
        # refused this row and the transaction rolled back
        with unit_of_work(engine) as uow:
            if repo.active_plan_id(uow, seeker_id=seeker_id, course_id=course_id) is None:
                raise  # another constraint (the seeker or course deleted meanwhile): not a duplicate
        raise _already_in_plan(seeker_id, course_id) from None
    return plan_id


def remove_from_plan(engine: Engine, user: User, seeker_id: int, course_id: int) -> None:
    """Remove a course from a seeker's plan (the row stays as history), with its audit row, in one transaction.

    Raises:
        TrainingAccessDenied: Not a counsellor.
        TrainingPlanError: The course is not in the seeker's plan (never added, or removed already).
    """
    _require_counsellor(user)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        plan_id = repo.active_plan_id(uow, seeker_id=seeker_id, course_id=course_id)
        if plan_id is None or not repo.remove_plan_row(uow, plan_id, removed_by=user.username):
            raise TrainingPlanError("이 훈련과정은 이 구직자의 상담 계획에 없어 뺄 수 "
                                    "없습니다. 화면을 새로 고쳐 확인하세요.")
        record_change(uow, user, PLAN_REMOVE_ACTION, seeker_id=seeker_id, course_id=course_id, row_id=plan_id)


# --------------------------------------------------------------------------- reading


def course_place(region_code: object, mode: object) -> str:
    """Where a course is held: the 시도's short name, or "원격(온라인)" for an online course."""
    if str(mode) == ONLINE_MODE:
        return "원격(온라인)"
    return region_short(str(region_code)) if region_code else "-"


def load_plan(engine: Engine, seeker_id: int) -> pd.DataFrame:
    """The courses in a seeker's plan now, first added first, as a Korean table (:data:`PLAN_TABLE_COLUMNS`).

    ``과정 번호`` is the course id (what :func:`remove_from_plan` takes); times are KST.
    """
    repo.ensure_tables(engine)
    rows = repo.load_plan(engine, seeker_id)
    return pd.DataFrame({
        "과정 번호": rows["course_id"].astype(int),
        "훈련과정": rows["title"].astype(str),
        "훈련기관": rows["institution"].astype(str),
        "지역": [course_place(r, m) for r, m in zip(rows["region_code"], rows["mode"], strict=True)],
        "개강일": [format_korean_date(d) for d in rows["start_date"]],
        "훈련시간": [format_count(h, "시간") for h in rows["hours"]],
        "추가한 사람": rows["added_by"].astype(str),
        "추가 일시": [format_kst_datetime(t) for t in rows["added_at"]],
        "메모": rows["note"].fillna("").astype(str),
    }, columns=list(PLAN_TABLE_COLUMNS))


def plan_counts(engine: Engine, seeker_ids: Iterable[int]) -> dict[int, int]:
    """Seeker id -> courses in their plan now, for every seeker asked about (0 when none)."""
    ids = [int(i) for i in seeker_ids]
    repo.ensure_tables(engine)
    counts = repo.count_plans(engine, ids)
    return {i: counts.get(i, 0) for i in ids}
