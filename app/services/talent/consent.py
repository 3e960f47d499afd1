"""상담 요청과 동의: an employer asks a recommended seeker for a hiring conversation, the seeker
accepts or declines, and only an accepted request shows that employer who the seeker is.

Rules, enforced here and not only by the pages:

* **Who sends.** Only an employer account, for one of its own postings that has not closed (the
  world's reference date): counsellors and policy staff may not send on an employer's behalf. A
  seeker who opted out cannot be asked, and one posting asks one seeker at most once at a time (a
  pending or accepted request blocks a second; after a decline or a withdrawal it may ask again).
  The database keeps the last rule too (a partial unique index), so two requests sent at the same
  moment store one and refuse the other with the same message.
* **What employers see.** Their requests carry the seeker's pseudonymous id, the posting and the
  status, never a name, phone, e-mail or address. :func:`revealed_identity` returns the seeker's
  name, mobile phone and e-mail — what an employer needs to call or write — and only while an
  accepted request between that employer and the seeker exists. Nothing else is revealed: no
  resident registration number, birth date or street address (the seeker agreed to be contacted,
  not to be located; the region is already public on the recommendation). Every reveal is written
  to the audit log first (``talent.reveal``); when the log cannot take it, nothing is revealed.
* **The seeker decides.** Only the seeker the request is for accepts or declines it, once. Opting
  out of recommendations withdraws every pending request to them at once (accepted ones stay: that
  employer already has the contact).
* **Free text** (the employer's message) is masked (:mod:`app.text.pii`) and bounded before it is
  stored, so a phone number typed into it never reaches the database.

Times are stored in UTC and shown in KST.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from app.auth import User
from app.bounds import has_control_characters
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import talent as talent_repo
from app.db.repositories import unit_of_work
from app.db.repositories import world as world_repo
from app.errors import AccessDenied, InvalidInput, NotFound
from app.reference.names import occupation_names, region_short
from app.services import audit
from app.text.korean import format_kst_datetime, format_manwon, josa
from app.text.pii import mask_pii

REQUEST_STATUSES: Final[Mapping[str, str]] = {
    "pending": "대기", "accepted": "수락", "declined": "거절", "withdrawn": "철회",
}
"""Status of a contact request -> its Korean label, in display order."""
BLOCKING_STATUSES: Final[tuple[str, ...]] = talent_repo.OPEN_REQUEST_STATUSES
"""A request in one of these keeps the same posting from asking the same seeker again (the database's
unique index holds the same rule, so two requests sent at the same moment cannot both be stored)."""
MESSAGE_MAX: Final[int] = 500
"""Longest message an employer may attach to a request (characters)."""
REVEAL_ACTION: Final[str] = "talent.reveal"
"""Audit action of a seeker's contact shown to an employer after an accepted request."""
REVEALED_FIELDS: Final[tuple[str, ...]] = ("name", "phone", "email")
"""What an accepted request reveals to the employer (never RRN, birth date or address)."""
FEEDBACK_ACTIONS: Final[Mapping[str, str]] = {"save": "저장", "dismiss": "제외"}
"""Saving or dismissing a recommended candidate -> its Korean label."""


class ContactRequestError(InvalidInput):
    """A request, decision or withdrawal that breaks a rule (Korean message; nothing changed)."""


class RequestNotFound(NotFound):
    """No such contact request, posting or seeker."""


class RequestAccessDenied(AccessDenied):
    """The request, posting or action belongs to another account or role."""


@dataclass(frozen=True)
class ContactRequestView:
    """One contact request as a page shows it (no seeker identity: see :func:`revealed_identity`).

    Attributes:
        id: Request number.
        employer_id: The employer that sent it.
        employer_name: Its company name.
        posting_id: The posting it is about.
        posting_title: That posting's title.
        job_summary: Occupation, region, monthly wage and employment type of the posting.
        seeker_id: The seeker's pseudonymous id.
        status: One of :data:`REQUEST_STATUSES`' keys.
        message: The employer's message (masked when stored).
        created_at: When it was sent (UTC).
        decided_at: When it was accepted, declined or withdrawn (UTC), ``None`` while pending.
    """

    id: int
    employer_id: int
    employer_name: str
    posting_id: int
    posting_title: str
    job_summary: str
    seeker_id: int
    status: str
    message: str
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @property
    def status_label(self) -> str:
        """Korean status (대기, 수락, 거절, 철회)."""
        return REQUEST_STATUSES.get(self.status, self.status)

    @property
    def created_kst(self) -> str:
        """When it was sent, in KST to the minute."""
        return format_kst_datetime(self.created_at)

    @property
    def decided_kst(self) -> str:
        """When it was decided, in KST to the minute (``"-"`` while pending)."""
        return format_kst_datetime(self.decided_at)


@dataclass(frozen=True)
class SeekerContact:
    """How an employer reaches a seeker who accepted its request (see the module note for why these).

    Attributes:
        seeker_id: The seeker.
        name: Name.
        phone: Mobile phone.
        email: E-mail.
        request_id: The accepted request that allows it.
        posting_id: That request's posting.
    """

    seeker_id: int
    name: str
    phone: str
    email: str
    request_id: int
    posting_id: int


@dataclass(frozen=True)
class RequestsOverview:
    """Every request for counsellors, with the seekers' masked names and counts by status.

    Attributes:
        requests: Newest first.
        masked_names: Seeker id -> masked name ("김○수").
        counts: Korean status label -> number of requests, in :data:`REQUEST_STATUSES` order.
    """

    requests: tuple[ContactRequestView, ...]
    masked_names: Mapping[int, str]
    counts: Mapping[str, int]


# --------------------------------------------------------------------------- helpers


def _require_role(user: User, role: str, message: str) -> None:
    if user.role != role:
        raise RequestAccessDenied(message)


def _employer_id(user: User) -> int:
    _require_role(user, "employer", "채용 상담 요청은 구인기업 계정만 보내고 관리할 수 있습니다.")
    return int(user.scoped_employer_id or 0)


def _seeker_id(user: User) -> int:
    _require_role(user, "seeker", "이 기능은 구직자 계정만 쓸 수 있습니다.")
    return int(user.scoped_seeker_id or 0)


def _message(value: object) -> str:
    text = str(value or "").strip()
    if has_control_characters(text):
        raise ContactRequestError("메시지에 쓸 수 없는 제어 문자가 있습니다.")
    if len(text) > MESSAGE_MAX:
        raise ContactRequestError(f"메시지는 {MESSAGE_MAX:,}자 이하로 적어 주세요 (입력: {len(text):,}자)")
    return mask_pii(text)


def _job_summary(row: Mapping[str, object]) -> str:
    occupation = occupation_names(str(row["keco_code"]))[0]
    return " · ".join((occupation, region_short(str(row["region_code"])),
                       f"월 {format_manwon(row['wage_monthly'])}", str(row["employment_type"])))


def _time(value: object) -> dt.datetime | None:
    if value is None or pd.isna(value):  # pd.NaT is a datetime too
        return None
    return pd.Timestamp(value).to_pydatetime()


def _views(frame: pd.DataFrame) -> tuple[ContactRequestView, ...]:
    return tuple(
        ContactRequestView(
            id=int(row["id"]), employer_id=int(row["employer_id"]), employer_name=str(row["employer_name"]),
            posting_id=int(row["posting_id"]), posting_title=str(row["posting_title"]),
            job_summary=_job_summary(row), seeker_id=int(row["seeker_id"]), status=str(row["status"]),
            message=str(row["message"] or ""), created_at=_time(row["created_at"]) or dt.datetime.min,
            decided_at=_time(row["decided_at"]),
        )
        for row in frame.to_dict("records")
    )


def _one(engine: Engine, request_id: int) -> ContactRequestView:
    found = _views(talent_repo.load_requests(engine, request_id=request_id))
    if not found:
        raise RequestNotFound(f"상담 요청을 찾을 수 없습니다 (#{request_id})")
    return found[0]


def _load_row(uow: object, request_id: int) -> dict[str, object]:
    row = talent_repo.load_request_row(uow, request_id)  # type: ignore[arg-type]
    if row is None:
        raise RequestNotFound(f"상담 요청을 찾을 수 없습니다 (#{request_id})")
    return row


def _still_pending(row: Mapping[str, object], verb: str) -> None:
    if row["status"] != "pending":
        label = REQUEST_STATUSES.get(str(row["status"]), str(row["status"]))
        raise ContactRequestError(f"이미 {label}된 요청은 {verb} 수 없습니다. 대기 중인 요청만 {verb} 수 있습니다.")


def _close_pending(engine: Engine, user: User, request_id: int, *, owner: tuple[str, int], status: str,
                   refusal: str, verb: str) -> ContactRequestView:
    """Move a pending request the user owns (``owner``: its column and the user's id) to ``status``."""
    column, owner_id = owner
    talent_repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        row = _load_row(uow, request_id)
        if int(row[column]) != owner_id:  # type: ignore[call-overload]
            raise RequestAccessDenied(refusal)
        _still_pending(row, verb)
        if not talent_repo.decide_request(uow, request_id, status=status, decided_by=user.username, expected="pending"):
            raise ContactRequestError("요청의 상태가 방금 바뀌었습니다. 화면을 새로 고쳐 확인하세요.")
    return _one(engine, request_id)


# --------------------------------------------------------------------------- employers


def request_contact(engine: Engine, user: User, *, posting_id: int, seeker_id: int,
                    message: str = "") -> ContactRequestView:
    """Send a hiring-conversation request (채용 상담 요청) to a seeker for one of the employer's postings.

    Args:
        engine: Product database.
        user: The employer account sending it.
        posting_id: The employer's own open posting.
        seeker_id: The recommended seeker.
        message: A note to the seeker (optional; masked, at most :data:`MESSAGE_MAX` characters).

    Returns:
        The new pending request.

    Raises:
        RequestAccessDenied: Not an employer account, or another employer's posting.
        RequestNotFound: No such posting or seeker.
        ContactRequestError: The posting has closed, the seeker opted out, a pending or accepted
            request for this posting and seeker exists (also one another session stored a moment
            before: nothing is then written), or the message is too long.
    """
    employer_id = _employer_id(user)
    text = _message(message)
    talent_repo.ensure_tables(engine)
    as_of = world_repo.load_reference_date(engine)
    try:
        with unit_of_work(engine) as uow:
            facts = talent_repo.posting_facts(uow, posting_id)
            if facts is None:
                raise RequestNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
            if facts.employer_id != employer_id:
                raise RequestAccessDenied("다른 기업의 공고로는 상담을 요청할 수 없습니다.")
            if as_of is not None and facts.close_date < as_of:
                raise ContactRequestError("마감된 공고로는 상담을 요청할 수 없습니다.")
            if not talent_repo.seeker_exists(uow, seeker_id):
                raise RequestNotFound(f"구직자를 찾을 수 없습니다 (구직자 번호 {seeker_id})")
            if talent_repo.opted_out(uow, seeker_id):
                raise ContactRequestError("이 구직자는 추천을 받지 않기로 해 상담을 요청할 수 없습니다.")
            refusal = _already_open(uow, posting_id, seeker_id)
            if refusal is not None:
                raise refusal
            request_id = talent_repo.add_request(uow, employer_id=employer_id, posting_id=posting_id,
                                                 seeker_id=seeker_id, requested_by=user.username, message=text,
                                                 status="pending")
    except IntegrityError:
        # Another session stored an open request for this posting and seeker after the check above (two
        # clicks or two tabs at the same moment): the unique index refused this one and the transaction
        # rolled back, so nothing of it was written. The refusal names the request that won.
        with unit_of_work(engine) as uow:
            refusal = _already_open(uow, posting_id, seeker_id)
        if refusal is None:
            raise  # another constraint (e.g. the posting or seeker deleted meanwhile): not a duplicate
        raise refusal from None
    return _one(engine, request_id)


def _already_open(uow: object, posting_id: int, seeker_id: int) -> ContactRequestError | None:
    """The refusal of a second request while one of this posting to this seeker is open (``None``: none)."""
    existing = talent_repo.open_request(uow, posting_id=posting_id, seeker_id=seeker_id,  # type: ignore[arg-type]
                                        statuses=BLOCKING_STATUSES)
    if existing is None:
        return None
    label = REQUEST_STATUSES[str(_load_row(uow, existing)["status"])]
    return ContactRequestError(f"이 공고로 이 구직자에게 보낸 요청(#{existing})이 이미 {label} 상태입니다.")


def withdraw_request(engine: Engine, user: User, request_id: int) -> ContactRequestView:
    """Withdraw one of the employer's own pending requests (the seeker no longer sees it as pending).

    Raises:
        RequestAccessDenied: Not an employer account, or another employer's request.
        RequestNotFound: No such request.
        ContactRequestError: The request is no longer pending.
    """
    return _close_pending(engine, user, request_id, owner=("employer_id", _employer_id(user)), status="withdrawn",
                          refusal="우리 기업이 보낸 요청만 철회할 수 있습니다.", verb="철회할")


def requests_for_employer(engine: Engine, user: User, posting_id: int | None = None) -> tuple[ContactRequestView, ...]:
    """The employer's own requests, newest first (no seeker identity: see :func:`revealed_identity`).

    Args:
        engine: Product database.
        user: The employer account.
        posting_id: Only this posting's requests.

    Raises:
        RequestAccessDenied: Not an employer account.
    """
    employer_id = _employer_id(user)
    talent_repo.ensure_tables(engine)
    return _views(talent_repo.load_requests(engine, employer_id=employer_id, posting_id=posting_id))


def revealed_identity(engine: Engine, user: User, seeker_id: int) -> SeekerContact | None:
    """The seeker's name, phone and e-mail for an employer the seeker accepted, logged before it is returned.

    Args:
        engine: Product database.
        user: The employer account.
        seeker_id: The seeker.

    Returns:
        The contact when an accepted request between this employer and the seeker exists (the
        newest one is named), else ``None`` — and then nothing is logged or read.

    Raises:
        RequestAccessDenied: Not an employer account (staff see masked names only).
        app.services.audit.AuditUnavailable: The reveal could not be logged: nothing is revealed.
    """
    employer_id = _employer_id(user)
    talent_repo.ensure_tables(engine)
    accepted = talent_repo.accepted_request(engine, employer_id=employer_id, seeker_id=seeker_id, accepted="accepted")
    if accepted is None:
        return None
    contact = talent_repo.load_seeker_contact(engine, seeker_id)
    if contact is None:
        return None
    request_id, posting_id = int(accepted["id"]), int(accepted["posting_id"])  # type: ignore[call-overload]
    digest = hashlib.sha256(f"{REVEAL_ACTION}|{employer_id}|{seeker_id}|{request_id}".encode()).hexdigest()
    audit.log_access(engine, username=user.username, role=user.role, action=REVEAL_ACTION, input_hash=digest,
                     output={"request_id": request_id, "posting_id": posting_id, "employer_id": employer_id,
                             "seeker_id": int(seeker_id), "revealed": list(REVEALED_FIELDS)})
    return SeekerContact(seeker_id=int(seeker_id), name=contact.name, phone=contact.phone, email=contact.email,
                         request_id=request_id, posting_id=posting_id)


# --------------------------------------------------------------------------- seekers


def requests_for_seeker(engine: Engine, user: User) -> tuple[ContactRequestView, ...]:
    """The requests sent to the logged-in seeker, newest first.

    Raises:
        RequestAccessDenied: Not a seeker account.
    """
    seeker_id = _seeker_id(user)
    talent_repo.ensure_tables(engine)
    return _views(talent_repo.load_requests(engine, seeker_id=seeker_id))


def decide_request(engine: Engine, user: User, request_id: int, *, accept: bool) -> ContactRequestView:
    """Accept or decline a pending request sent to the logged-in seeker (once: a decision is final).

    Accepting lets that employer see the seeker's name, phone and e-mail (:func:`revealed_identity`).

    Raises:
        RequestAccessDenied: Not a seeker account, or a request sent to another seeker.
        RequestNotFound: No such request.
        ContactRequestError: The request was already decided or withdrawn.
    """
    return _close_pending(engine, user, request_id, owner=("seeker_id", _seeker_id(user)),
                          status="accepted" if accept else "declined",
                          refusal="본인에게 온 요청만 수락하거나 거절할 수 있습니다.", verb="수락하거나 거절할")


def set_opt_out(engine: Engine, user: User, opted_out: bool) -> int:
    """Opt the logged-in seeker out of recommendations (or back in), in one transaction.

    Opting out withdraws every pending request to the seeker (consent withdrawn before it was
    given); accepted requests stay accepted.

    Returns:
        How many pending requests were withdrawn (0 when opting back in).

    Raises:
        RequestAccessDenied: Not a seeker account.
    """
    seeker_id = _seeker_id(user)
    talent_repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        if not talent_repo.seeker_exists(uow, seeker_id):
            raise RequestNotFound("이 계정에 연결된 구직자 정보가 없습니다. 관리자에게 문의하세요.")
        talent_repo.set_visibility(uow, seeker_id, opted_out=opted_out)
        if not opted_out:
            return 0
        return talent_repo.withdraw_pending_of_seeker(uow, seeker_id, pending="pending", withdrawn="withdrawn",
                                                      by=user.username)


def is_opted_out(engine: Engine, seeker_id: int) -> bool:
    """Whether the seeker opted out of recommendations."""
    talent_repo.ensure_tables(engine)
    return talent_repo.load_visibility(engine, seeker_id)[0]


def opted_out_since(engine: Engine, seeker_id: int) -> dt.datetime | None:
    """When the seeker last changed the choice (UTC), ``None`` when never."""
    talent_repo.ensure_tables(engine)
    return talent_repo.load_visibility(engine, seeker_id)[1]


def opted_out_seeker_ids(engine: Engine) -> frozenset[int]:
    """Seekers who opted out: the recommender leaves them out of every list."""
    talent_repo.ensure_tables(engine)
    return talent_repo.load_opted_out_ids(engine)


# --------------------------------------------------------------------------- counsellors


def requests_overview(engine: Engine, user: User) -> RequestsOverview:
    """Every request between employers and seekers, for counsellors (masked names only).

    Raises:
        RequestAccessDenied: Not a counsellor account.
    """
    _require_role(user, "counsellor", "채용 상담 요청 현황은 직업상담사만 볼 수 있습니다.")
    talent_repo.ensure_tables(engine)
    views = _views(talent_repo.load_requests(engine))
    names = seeker_repo.load_masked_names(engine, sorted({v.seeker_id for v in views}))
    counts = {label: sum(v.status == status for v in views) for status, label in REQUEST_STATUSES.items()}
    return RequestsOverview(requests=views, masked_names=names, counts=counts)


def requests_table(views: Iterable[ContactRequestView], *, masked_names: Mapping[int, str] | None = None,
                   seeker_side: bool = False) -> pd.DataFrame:
    """Requests as a Korean table.

    Args:
        views: The requests.
        masked_names: Seeker id -> masked name: adds 구직자 columns (counsellors).
        seeker_side: The seeker's own table (no seeker columns, the employer's message shown).
    """
    rows = []
    for v in views:
        row: dict[str, object] = {"요청 번호": v.id, "기업": v.employer_name, "공고": v.posting_title,
                                  "직무 요약": v.job_summary}
        if masked_names is not None:
            row |= {"구직자 번호": v.seeker_id, "구직자(마스킹)": masked_names.get(v.seeker_id, "-")}
        elif not seeker_side:
            row["구직자 번호"] = v.seeker_id
        if seeker_side:
            row["메시지"] = v.message or "-"
        row |= {"상태": v.status_label, "요청 일시": v.created_kst, "결정 일시": v.decided_kst}
        rows.append(row)
    columns = ["요청 번호", "기업", "공고", "직무 요약"]
    columns += ["구직자 번호", "구직자(마스킹)"] if masked_names is not None else ([] if seeker_side else ["구직자 번호"])
    columns += (["메시지"] if seeker_side else []) + ["상태", "요청 일시", "결정 일시"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- saved and dismissed candidates


def _feedback_scope(engine: Engine, user: User, posting_id: int, seeker_id: int | None) -> int | None:
    """The employer id to record (``None`` for staff), after checking the posting (and seeker)."""
    if user.role not in {"employer", "counsellor", "policy"}:
        raise RequestAccessDenied("후보 저장과 제외는 구인기업과 담당 직원만 할 수 있습니다.")
    with unit_of_work(engine) as uow:
        facts = talent_repo.posting_facts(uow, posting_id)
        if facts is None:
            raise RequestNotFound(f"공고를 찾을 수 없습니다 (공고 번호 {posting_id})")
        if user.role == "employer" and facts.employer_id != int(user.scoped_employer_id or 0):
            raise RequestAccessDenied("우리 기업 공고의 후보만 저장하거나 제외할 수 있습니다.")
        if seeker_id is not None and not talent_repo.seeker_exists(uow, seeker_id):
            raise RequestNotFound(f"구직자를 찾을 수 없습니다 (구직자 번호 {seeker_id})")
    return facts.employer_id if user.role == "employer" else None


def record_feedback(engine: Engine, user: User, *, posting_id: int, seeker_id: int, action: str) -> None:
    """Save or dismiss a recommended candidate for a posting (replaces the user's earlier choice).

    Args:
        engine: Product database.
        user: An employer (its own postings) or staff.
        posting_id: The posting.
        seeker_id: The candidate.
        action: ``"save"`` or ``"dismiss"``.

    Raises:
        ContactRequestError: Another action.
        RequestAccessDenied: A seeker account, or another employer's posting.
        RequestNotFound: No such posting or seeker.
    """
    if action not in FEEDBACK_ACTIONS:
        raise ContactRequestError(f"후보는 {josa('저장', '이나', '나')} 제외만 할 수 있습니다.")
    talent_repo.ensure_tables(engine)
    employer_id = _feedback_scope(engine, user, posting_id, seeker_id)
    with unit_of_work(engine) as uow:
        talent_repo.put_feedback(uow, username=user.username, employer_id=employer_id, posting_id=posting_id,
                                 seeker_id=seeker_id, action=action)


def clear_feedback(engine: Engine, user: User, *, posting_id: int, seeker_id: int) -> None:
    """Undo a save or dismissal (the candidate is shown as before).

    Raises:
        RequestAccessDenied: A seeker account, or another employer's posting.
        RequestNotFound: No such posting.
    """
    talent_repo.ensure_tables(engine)
    _feedback_scope(engine, user, posting_id, None)
    with unit_of_work(engine) as uow:
        talent_repo.delete_feedback(uow, username=user.username, posting_id=posting_id, seeker_id=seeker_id)


def feedback_for(engine: Engine, user: User, posting_id: int) -> dict[int, str]:
    """Seeker id -> ``"save"`` or ``"dismiss"``: the user's own choices for a posting.

    Raises:
        RequestAccessDenied: A seeker account, or another employer's posting.
        RequestNotFound: No such posting.
    """
    talent_repo.ensure_tables(engine)
    _feedback_scope(engine, user, posting_id, None)
    return talent_repo.load_feedback(engine, username=user.username, posting_id=posting_id)


def feedback_for_training(engine: Engine) -> pd.DataFrame:
    """Every save and dismissal, oldest first, for the recommender's next build.

    Returns:
        ``posting_id, seeker_id, action, by_employer, created_at`` (no user names); seekers who
        opted out are left out (they are never recommended, so nothing is learnt from them either).
    """
    talent_repo.ensure_tables(engine)
    frame = talent_repo.load_all_feedback(engine)
    frame = frame[~frame["seeker_id"].astype(int).isin(talent_repo.load_opted_out_ids(engine))]
    out = frame.assign(by_employer=frame["employer_id"].notna())
    return out[["posting_id", "seeker_id", "action", "by_employer", "created_at"]].reset_index(drop=True)
