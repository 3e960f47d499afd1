"""Hiring consulting (채용 컨설팅): the employer asks for it on the simulator, policy staff open a
case from the at-risk list, assign it, record notes and an outcome, and later see whether the
posting was filled (the observed outcome: ``posting_outcomes`` and ``hires``).

Roles are enforced here, not only by the pages: an employer requests and sees only the cases of
its own postings (and not the staff's notes); policy staff open, assign, note and close any case.
Free text (reason, contact time, notes, outcome) is masked before it is stored, so a phone number
or a name typed into it does not reach the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from app import auth
from app.db.repositories import consulting as consulting_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import unit_of_work
from app.errors import AccessDenied, InvalidInput, NotFound
from app.services.hiring.conditions import PostingAccessDenied
from app.services.hiring.store import PostingNotFound
from app.text.korean import format_kst_datetime, josa
from app.text.pii import mask_pii

CASE_STATUSES: Mapping[str, str] = {"received": "접수", "assigned": "배정", "in_progress": "진행 중", "closed": "종료"}
"""Status of a case, in order (Korean labels)."""
OPEN_STATUSES: tuple[str, ...] = ("received", "assigned", "in_progress")
REASON_MIN, REASON_MAX = 5, 500
CONTACT_MAX = 60
NOTE_MIN, NOTE_MAX = 2, 1000
OUTCOME_MAX = 300


class InvalidConsulting(InvalidInput):
    """A consulting request or note that cannot be stored (Korean message)."""


class ConsultingNotFound(NotFound):
    """No such case (or not one the user may see)."""


def _staff_only(role: str) -> None:
    if role != "policy":
        raise AccessDenied("채용 컨설팅 사례는 정책·운영 담당자만 처리할 수 있습니다.")


def _text(value: object, *, label: str, low: int, high: int) -> str:
    text = " ".join(str(value or "").split())
    if len(text) < low:
        raise InvalidConsulting(f"{josa(label, '을', '를')} {low}자 이상 적어 주세요")
    if len(text) > high:
        raise InvalidConsulting(f"{josa(label, '은', '는')} {high:,}자 이하로 적어 주세요 (입력: {len(text):,}자)")
    return mask_pii(text)


def request_consulting(
    engine: Engine,
    *,
    posting_id: int,
    employer_id: int | None,
    username: str,
    role: str,
    reason: str,
    contact_time: str = "",
) -> int:
    """Open a consulting case for a posting (one transaction); returns the case id.

    An employer (``employer_id`` given) asks for its own posting; policy staff (``employer_id``
    ``None``, role ``policy``) open one for any posting, e.g. from the at-risk list.

    Raises:
        InvalidConsulting: Reason shorter than 5 or longer than 500 characters, a contact time over
            60, or the posting already has an open case.
        PostingNotFound: No such posting.
        PostingAccessDenied: Another employer's posting, or a role that may not open cases.
    """
    if employer_id is None and role != "policy":
        raise PostingAccessDenied("채용 컨설팅은 구인기업 또는 정책·운영 담당자만 신청할 수 있습니다.")
    clean_reason = _text(reason, label="신청 사유", low=REASON_MIN, high=REASON_MAX)
    clean_contact = _text(contact_time, label="희망 연락 시간", low=0, high=CONTACT_MAX)
    with unit_of_work(engine) as uow:
        owner = posting_repo.posting_owner(uow, posting_id)
        if owner is None:
            raise PostingNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
        if employer_id is not None and owner != int(employer_id):
            raise PostingAccessDenied("다른 기업의 공고에는 채용 컨설팅을 신청할 수 없습니다.")
        existing = consulting_repo.open_case_of_posting(uow, posting_id, OPEN_STATUSES)
        if existing is not None:
            raise InvalidConsulting(f"이 공고에는 이미 진행 중인 채용 컨설팅(사례 #{existing})이 있습니다.")
        return consulting_repo.add_case(
            uow, posting_id=posting_id, employer_id=owner, opened_by=username,
            opened_role="employer" if employer_id is not None else "policy", reason=clean_reason,
            contact_time=clean_contact, status="received",
        )


def policy_staff(users_file: Path, *, current: auth.User) -> dict[str, str]:
    """Username → display name of the enabled policy accounts, who may take consulting cases.

    Args:
        users_file: Accounts file.
        current: The staff member at work, the only choice when the file cannot be read.
    """
    try:
        accounts = auth.list_accounts(users_file)
    except auth.UsersFileError:
        return {current.username: current.display_name or current.username}
    return {a.user.username: a.user.display_name or a.user.username
            for a in accounts if a.user.role == "policy" and not a.disabled}


def assign_case(engine: Engine, *, case_id: int, assignee: str, username: str, role: str,
                staff: Mapping[str, str]) -> None:
    """Assign a case to a policy staff account (status 접수 → 배정), with a note saying so.

    Args:
        staff: Username → display name of the accounts that may take cases (policy staff).

    Raises:
        AccessDenied: Not policy staff.
        InvalidConsulting: ``assignee`` is not a staff account, or the case is closed.
        ConsultingNotFound: No such case.
    """
    _staff_only(role)
    if assignee not in staff:
        raise InvalidConsulting("담당자는 정책·운영 계정 가운데에서 골라 주세요.")
    with unit_of_work(engine) as uow:
        case = consulting_repo.load_case_row(uow, case_id)
        if case is None:
            raise ConsultingNotFound(f"채용 컨설팅 사례를 찾을 수 없습니다 (#{case_id})")
        if case["status"] == "closed":
            raise InvalidConsulting("종료된 사례는 다시 배정할 수 없습니다.")
        status = "assigned" if case["status"] == "received" else str(case["status"])
        consulting_repo.update_case(uow, case_id, assignee=assignee, status=status)
        consulting_repo.add_note(uow, case_id=case_id, username=username,
                                 text=f"담당자 배정: {staff[assignee]}", status=status)


def add_case_note(engine: Engine, *, case_id: int, username: str, role: str, text: str, status: str,
                  outcome: str = "") -> None:
    """Record a note on a case and move it to ``status``; closing it needs an outcome.

    Raises:
        AccessDenied: Not policy staff.
        InvalidConsulting: Empty or too long note, unknown status, a closed case, or closing
            without an outcome.
        ConsultingNotFound: No such case.
    """
    _staff_only(role)
    if status not in CASE_STATUSES:
        raise InvalidConsulting(f"상태는 {', '.join(CASE_STATUSES.values())} 중 하나여야 합니다.")
    clean = _text(text, label="상담 기록", low=NOTE_MIN, high=NOTE_MAX)
    clean_outcome = _text(outcome, label="결과", low=NOTE_MIN if status == "closed" else 0, high=OUTCOME_MAX)
    with unit_of_work(engine) as uow:
        case = consulting_repo.load_case_row(uow, case_id)
        if case is None:
            raise ConsultingNotFound(f"채용 컨설팅 사례를 찾을 수 없습니다 (#{case_id})")
        if case["status"] == "closed":
            raise InvalidConsulting("종료된 사례에는 기록을 더할 수 없습니다.")
        changes: dict[str, object] = {"status": status}
        if clean_outcome:
            changes["outcome"] = clean_outcome
        consulting_repo.update_case(uow, case_id, **changes)
        consulting_repo.add_note(uow, case_id=case_id, username=username, text=clean, status=status)


def load_cases(engine: Engine, *, employer_id: int | None, role: str, posting_id: int | None = None) -> pd.DataFrame:
    """Cases, newest first, with whether the posting was filled.

    Args:
        employer_id: The employer (its own cases only); ``None`` with role ``policy``: every case.
        role: The user's role.
        posting_id: Only this posting's cases.

    Returns:
        ``consulting_repo.CASE_COLUMNS`` + ``title, employer_name, filled, filled_30d, days_to_fill,
        n_hires`` (``filled`` missing while the posting has no observed outcome).

    Raises:
        AccessDenied: Staff other than policy.
    """
    if employer_id is None and role != "policy":
        raise AccessDenied("채용 컨설팅 사례는 정책·운영 담당자만 볼 수 있습니다.")
    cases = consulting_repo.load_cases(engine, employer_id=employer_id, posting_id=posting_id)
    outcomes = posting_repo.load_outcomes(engine, cases["posting_id"].astype(int).unique().tolist())
    return cases.merge(outcomes, on="posting_id", how="left")


def load_case_notes(engine: Engine, case_id: int, *, role: str) -> pd.DataFrame:
    """A case's notes, oldest first (policy staff only: the notes are the staff's working record).

    Raises:
        AccessDenied: Not policy staff.
    """
    _staff_only(role)
    return consulting_repo.load_notes(engine, case_id)


def filled_label(filled: object, days: object) -> str:
    """채용 여부 in Korean from the observed outcome."""
    if filled is None or pd.isna(filled):  # type: ignore[arg-type]
        return "결과 미확정"
    if bool(filled):
        return f"채용됨 ({int(days)}일 만에)" if days is not None and not pd.isna(days) else "채용됨"  # type: ignore[arg-type]
    return "미채용"


def case_table(cases: pd.DataFrame, *, staff: Mapping[str, str] | None = None, with_employer: bool = True) -> pd.DataFrame:
    """Display table of :func:`load_cases` (Korean columns; times in KST).

    Args:
        staff: Username → display name, so an assignee shows by name.
        with_employer: Show the employer column (staff view).
    """
    names = dict(staff or {})
    table = pd.DataFrame({
        "사례 번호": cases["id"].astype(int),
        "상태": cases["status"].map(CASE_STATUSES).fillna("-"),
        "공고 번호": cases["posting_id"].astype(int),
        "공고명": cases["title"].astype(str),
        "기업": cases["employer_name"].astype(str),
        "신청 사유": cases["reason"].astype(str),
        "담당자": [names.get(str(a), str(a)) if a else "미배정" for a in cases["assignee"]],
        "채용 여부": [filled_label(f, d) for f, d in zip(cases.get("filled", pd.Series([None] * len(cases))),
                                                     cases.get("days_to_fill", pd.Series([None] * len(cases))),
                                                     strict=True)],
        "결과": [str(o) if o else "-" for o in cases["outcome"]],
        "접수 시각(KST)": [format_kst_datetime(v) for v in cases["opened_at"]],
        "신청": ["구인기업" if r == "employer" else "정책·운영" for r in cases["opened_role"]],
    })
    if not with_employer:
        table = table.drop(columns=["기업"])
    return table


def note_table(notes: pd.DataFrame, *, staff: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Display table of :func:`load_case_notes` (KST times)."""
    names = dict(staff or {})
    return pd.DataFrame({
        "시각(KST)": [format_kst_datetime(v) for v in notes["at"]],
        "작성자": [names.get(str(u), str(u)) for u in notes["username"]],
        "상태": notes["status"].map(CASE_STATUSES).fillna("-"),
        "기록": notes["text"].astype(str),
    })
