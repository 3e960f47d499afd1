"""The interest test's records (지능형 직업심리검사): sessions, their answers, and the item bank's use.

A session is started for a seeker, takes one answer at a time (the database refuses a second answer
to the same item or at the same position), can be left and resumed while ``in_progress``, and ends
``finished`` with the service's result (``result_json``) or ``abandoned``. Times are UTC without a
zone, as in every operational table (:func:`app.db.repositories.talent.utc_now`); pages show KST.

Writes take a unit of work (:func:`app.db.repositories.unit_of_work`); reads return frozen
dataclasses or DataFrames. The item bank's content is read from ``test_items``; its true parameters
(``truth_test_items``) are never read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.orm import (
    INTEREST_SESSION_MODES,
    INTEREST_TABLES,
    Base,
    InterestAnswer,
    InterestSession,
    Posting,
    Seeker,
    TestItem,
    TestResponse,
)
from app.db.repositories import create_missing_tables, read_frame
from app.db.repositories.talent import utc_now
from app.errors import InvalidInput, NotFound

IN_PROGRESS, FINISHED, ABANDONED = "in_progress", "finished", "abandoned"
ITEM_COLUMNS: tuple[str, ...] = ("id", "item_code", "scale", "text", "environment_code")
"""Columns of :func:`load_items` (the bank's content, in bank order)."""
SESSION_COLUMNS: tuple[str, ...] = (
    "id", "seeker_id", "mode", "administered_by", "started_at", "updated_at", "finished_at", "status",
    "stop_reason", "bank_version", "result_json", "elapsed_seconds",
)
"""Columns of a stored session."""
EXPOSURE_COLUMNS: tuple[str, ...] = (
    "item_id", "item_code", "scale", "times_asked", "finished_sessions_asked", "exposure_rate", "never_used",
)
"""Columns of :func:`load_item_exposure`."""

def ensure_tables(engine: Engine) -> None:
    """Create the session and answer tables when a database built before them lacks them (once per
    database; ``python -m app build`` creates them too)."""
    create_missing_tables(engine, [Base.metadata.tables[name] for name in INTEREST_TABLES])


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class InterestAnswerRecord:
    """One stored answer."""

    item_id: int
    position: int
    response: int
    answered_at: dt.datetime
    seconds_taken: float | None


@dataclass(frozen=True)
class InterestSessionRecord:
    """A stored session with its answers in the order asked."""

    id: int
    seeker_id: int
    mode: str
    administered_by: str | None
    started_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    stop_reason: str | None
    bank_version: str
    result_json: str | None
    elapsed_seconds: float
    answers: tuple[InterestAnswerRecord, ...] = ()

    @property
    def answered_item_ids(self) -> tuple[int, ...]:
        """Items already answered, in the order asked (what the adaptive engine must not ask again)."""
        return tuple(a.item_id for a in self.answers)


@dataclass(frozen=True)
class TestLengthStats:
    """How long finished tests were, for the policy page (means over finished sessions; ``None``
    when none is finished)."""

    __test__ = False  # not a pytest class

    finished: int
    in_progress: int
    abandoned: int
    mean_items: float | None
    mean_seconds: float | None


# --------------------------------------------------------------------------- item bank


def load_items(engine: Engine) -> pd.DataFrame:
    """The item bank's content (:data:`ITEM_COLUMNS`), in bank order (by id)."""
    return read_frame(engine, select(*(getattr(TestItem, c) for c in ITEM_COLUMNS)).order_by(TestItem.id))


# --------------------------------------------------------------------------- writes


def start_session(
    uow: Session, *, seeker_id: int, mode: str, bank_version: str, administered_by: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Open a new ``in_progress`` session inside a unit of work; returns its id.

    Args:
        uow: The unit of work.
        seeker_id: Who takes the test.
        mode: ``self`` (the seeker alone) or ``counsellor`` (with a counsellor).
        bank_version: The item bank's stamp (:func:`app.reference.interest.compute_bank_version`).
        administered_by: The counsellor's username (``counsellor`` mode), else ``None``.
        now: The start time in UTC (default: now).

    Raises:
        InvalidInput: Unknown mode, or a counsellor session without the counsellor.
        NotFound: No such seeker.
    """
    if mode not in INTEREST_SESSION_MODES:
        raise InvalidInput(f"검사 방식은 본인 응시 또는 상담사 진행 중 하나여야 합니다: {mode}")
    if mode == "counsellor" and not administered_by:
        raise InvalidInput("상담사가 진행하는 검사에는 진행한 상담사를 기록해야 합니다")
    if uow.scalar(select(Seeker.id).where(Seeker.id == int(seeker_id))) is None:
        raise NotFound("해당 구직자를 찾을 수 없습니다")
    at = now or utc_now()
    row = InterestSession(
        seeker_id=int(seeker_id), mode=mode, administered_by=(str(administered_by)[:40] if administered_by else None),
        started_at=at, updated_at=at, finished_at=None, status=IN_PROGRESS, stop_reason=None,
        bank_version=str(bank_version)[:40], result_json=None, elapsed_seconds=0.0,
    )
    uow.add(row)
    uow.flush()
    return int(row.id)


def record_answer(
    uow: Session, session_id: int, *, item_id: int, position: int, response: int,
    seconds_taken: float | None = None, now: dt.datetime | None = None,
) -> None:
    """Store one answer of an open session inside a unit of work and add its time to the session.

    Args:
        uow: The unit of work.
        session_id: The session.
        item_id: The item answered (``test_items.id``).
        position: Its place in the order asked (1 for the first item).
        response: The answer, 1–5.
        seconds_taken: Seconds the seeker spent on it (``None``: not measured).
        now: The answer's time in UTC (default: now).

    Raises:
        InvalidInput: The session is not in progress, the answer is not 1–5, the position is not
            positive, or the item or the position was answered already in this session (also when
            another request stored it a moment before: the unit of work is then rolled back).
        NotFound: No such session or item.
    """
    if int(response) not in (1, 2, 3, 4, 5):
        raise InvalidInput("응답은 1부터 5 사이에서 골라야 합니다")
    if int(position) < 1:
        raise InvalidInput("문항 순서는 1 이상이어야 합니다")
    if seconds_taken is not None and not seconds_taken >= 0:
        raise InvalidInput("응답 시간은 0초 이상이어야 합니다")
    _require_open(uow, session_id)
    if uow.scalar(select(TestItem.id).where(TestItem.id == int(item_id))) is None:
        raise NotFound("해당 검사 문항을 찾을 수 없습니다")
    clash = uow.execute(
        select(InterestAnswer.item_id, InterestAnswer.position).where(
            InterestAnswer.session_id == int(session_id),
            (InterestAnswer.item_id == int(item_id)) | (InterestAnswer.position == int(position)),
        )
    ).first()
    if clash is not None:
        raise InvalidInput(_duplicate_message(clash[0] == int(item_id)))
    at = now or utc_now()
    uow.add(InterestAnswer(
        session_id=int(session_id), item_id=int(item_id), position=int(position), response=int(response),
        answered_at=at, seconds_taken=None if seconds_taken is None else float(seconds_taken),
    ))
    try:
        uow.flush()
    except IntegrityError:
        # another request stored this item or position after the check above (the unique constraints)
        raise InvalidInput(_duplicate_message(None)) from None
    uow.execute(
        update(InterestSession).where(InterestSession.id == int(session_id))
        .values(updated_at=at, elapsed_seconds=InterestSession.elapsed_seconds + float(seconds_taken or 0.0))
    )


def finish_session(
    uow: Session, session_id: int, *, result_json: str, stop_reason: str, now: dt.datetime | None = None,
) -> None:
    """Mark an open session ``finished`` with the service's result, inside a unit of work.

    Args:
        uow: The unit of work.
        session_id: The session.
        result_json: The final estimates and recommendations as JSON text (written by the service).
        stop_reason: Why the test stopped (e.g. the engine's precision or length rule).
        now: The finish time in UTC (default: now).

    Raises:
        InvalidInput: The session is not in progress (finished or abandoned already).
        NotFound: No such session.
    """
    _close(uow, session_id, status=FINISHED, stop_reason=stop_reason, result_json=result_json, now=now)


def abandon_session(uow: Session, session_id: int, *, stop_reason: str, now: dt.datetime | None = None) -> None:
    """Mark an open session ``abandoned`` (the seeker gave up or started anew), inside a unit of work.

    Raises:
        InvalidInput: The session is not in progress.
        NotFound: No such session.
    """
    _close(uow, session_id, status=ABANDONED, stop_reason=stop_reason, result_json=None, now=now)


def _close(uow: Session, session_id: int, *, status: str, stop_reason: str, result_json: str | None,
           now: dt.datetime | None) -> None:
    _require_open(uow, session_id)
    at = now or utc_now()
    uow.execute(
        update(InterestSession).where(InterestSession.id == int(session_id), InterestSession.status == IN_PROGRESS)
        .values(status=status, stop_reason=str(stop_reason)[:40], result_json=result_json, finished_at=at,
                updated_at=at)
    )


def _require_open(uow: Session, session_id: int) -> None:
    status = uow.scalar(select(InterestSession.status).where(InterestSession.id == int(session_id)))
    if status is None:
        raise NotFound("해당 검사 기록을 찾을 수 없습니다")
    if status != IN_PROGRESS:
        raise InvalidInput("이미 끝났거나 중단된 검사입니다. 새 검사를 시작하세요")


def _duplicate_message(same_item: bool | None) -> str:
    if same_item is None:
        return "이 문항(또는 이 순서)의 응답이 이미 저장되어 있습니다. 화면을 새로 고친 뒤 이어서 응답하세요"
    if same_item:
        return "이 문항에는 이미 응답했습니다. 다음 문항으로 넘어가세요"
    return "이 순서의 응답이 이미 저장되어 있습니다. 화면을 새로 고친 뒤 이어서 응답하세요"


# --------------------------------------------------------------------------- reads


def load_session(engine: Engine, session_id: int) -> InterestSessionRecord | None:
    """A session with its answers in the order asked (``None``: no such session)."""
    with Session(engine) as session:
        row = session.execute(
            select(*(getattr(InterestSession, c) for c in SESSION_COLUMNS)).where(InterestSession.id == int(session_id))
        ).mappings().first()
        if row is None:
            return None
        answers = session.execute(
            select(InterestAnswer.item_id, InterestAnswer.position, InterestAnswer.response,
                   InterestAnswer.answered_at, InterestAnswer.seconds_taken)
            .where(InterestAnswer.session_id == int(session_id)).order_by(InterestAnswer.position)
        ).all()
    return InterestSessionRecord(
        **{c: row[c] for c in SESSION_COLUMNS},
        answers=tuple(InterestAnswerRecord(int(a[0]), int(a[1]), int(a[2]), a[3], a[4]) for a in answers),
    )


def load_open_session(engine: Engine, seeker_id: int) -> InterestSessionRecord | None:
    """The seeker's newest ``in_progress`` session with its answers (``None``: none to resume)."""
    with Session(engine) as session:
        found = session.scalar(
            select(InterestSession.id)
            .where(InterestSession.seeker_id == int(seeker_id), InterestSession.status == IN_PROGRESS)
            .order_by(InterestSession.started_at.desc(), InterestSession.id.desc()).limit(1)
        )
    return None if found is None else load_session(engine, int(found))


def load_finished_sessions(engine: Engine, seeker_id: int) -> pd.DataFrame:
    """The seeker's finished sessions, oldest first (for comparing results over time).

    Returns:
        :data:`SESSION_COLUMNS` plus ``n_items`` (answers given).
    """
    answered = (
        select(InterestAnswer.session_id, func.count().label("n_items"))
        .group_by(InterestAnswer.session_id).subquery()
    )
    stmt = (
        select(*(getattr(InterestSession, c) for c in SESSION_COLUMNS),
               func.coalesce(answered.c.n_items, 0).label("n_items"))
        .outerjoin(answered, answered.c.session_id == InterestSession.id)
        .where(InterestSession.seeker_id == int(seeker_id), InterestSession.status == FINISHED)
        .order_by(InterestSession.finished_at, InterestSession.id)
    )
    return read_frame(engine, stmt)


def load_item_exposure(engine: Engine, *, bank_version: str | None = None) -> pd.DataFrame:
    """How often each item of the bank was asked (item-bank health for policy staff).

    Args:
        engine: Database engine.
        bank_version: Count only sessions on this bank (default: every session).

    Returns:
        One row per item in bank order with :data:`EXPOSURE_COLUMNS`: ``times_asked`` (answers in any
        session), ``finished_sessions_asked`` and ``exposure_rate`` (its share of the finished
        sessions; 0 when none is finished), ``never_used`` (never asked in any session).
    """
    sessions = select(InterestSession.id, InterestSession.status)
    if bank_version is not None:
        sessions = sessions.where(InterestSession.bank_version == bank_version)
    sessions = sessions.subquery()
    per_item = (
        select(
            InterestAnswer.item_id,
            func.count().label("times_asked"),
            func.sum(case((sessions.c.status == FINISHED, 1), else_=0)).label("finished_sessions_asked"),
        )
        .join(sessions, sessions.c.id == InterestAnswer.session_id)
        .group_by(InterestAnswer.item_id).subquery()
    )
    stmt = (
        select(TestItem.id.label("item_id"), TestItem.item_code, TestItem.scale,
               func.coalesce(per_item.c.times_asked, 0).label("times_asked"),
               func.coalesce(per_item.c.finished_sessions_asked, 0).label("finished_sessions_asked"))
        .outerjoin(per_item, per_item.c.item_id == TestItem.id)
        .order_by(TestItem.id)
    )
    out = read_frame(engine, stmt)
    finished = select(func.count()).select_from(sessions).where(sessions.c.status == FINISHED)
    with Session(engine) as session:
        n_finished = int(session.scalar(finished) or 0)
    out["times_asked"] = out["times_asked"].astype(int)
    out["finished_sessions_asked"] = out["finished_sessions_asked"].astype(int)
    out["exposure_rate"] = out["finished_sessions_asked"] / n_finished if n_finished else 0.0
    out["never_used"] = out["times_asked"] == 0
    return out[list(EXPOSURE_COLUMNS)]


def load_length_stats(engine: Engine, *, bank_version: str | None = None) -> TestLengthStats:
    """Sessions by status and the mean length (answers) and active time (seconds) of finished ones.

    Args:
        engine: Database engine.
        bank_version: Count only sessions on this bank (default: every session).
    """
    answered = (
        select(InterestAnswer.session_id, func.count().label("n_items"))
        .group_by(InterestAnswer.session_id).subquery()
    )
    stmt = (
        select(InterestSession.status, InterestSession.elapsed_seconds,
               func.coalesce(answered.c.n_items, 0).label("n_items"))
        .outerjoin(answered, answered.c.session_id == InterestSession.id)
    )
    if bank_version is not None:
        stmt = stmt.where(InterestSession.bank_version == bank_version)
    frame = read_frame(engine, stmt)
    done = frame[frame["status"] == FINISHED]
    return TestLengthStats(
        finished=len(done),
        in_progress=int((frame["status"] == IN_PROGRESS).sum()),
        abandoned=int((frame["status"] == ABANDONED).sum()),
        mean_items=float(done["n_items"].mean()) if len(done) else None,
        mean_seconds=float(done["elapsed_seconds"].astype(float).mean()) if len(done) else None,
    )


def load_full_form_answers(engine: Engine, max_respondents: int | None = None) -> pd.DataFrame:
    """Full-form administrations of the bank (the calibration data): one row per respondent,
    one column per ``item_code`` in bank order, answers 1–5 (``NaN`` where not answered).

    Args:
        engine: Database engine.
        max_respondents: Read only the respondents with the lowest ids up to this many (memory
            and calibration time stay bounded on a large world; ``None``: all).

    Returns:
        DataFrame indexed by ``seeker_id``.
    """
    items = load_items(engine)
    stmt = select(TestResponse.seeker_id, TestResponse.item_id, TestResponse.response)
    if max_respondents is not None:
        chosen = (select(TestResponse.seeker_id).distinct().order_by(TestResponse.seeker_id)
                  .limit(int(max_respondents)).subquery())
        stmt = stmt.where(TestResponse.seeker_id.in_(select(chosen.c.seeker_id)))
    answers = read_frame(engine, stmt)
    if answers.empty:
        return pd.DataFrame(columns=items["item_code"].tolist(), dtype=float)
    code_of = dict(zip(items["id"].astype(int), items["item_code"], strict=True))
    answers["item_code"] = answers["item_id"].astype(int).map(code_of)
    wide = answers.pivot_table(index="seeker_id", columns="item_code", values="response", aggfunc="first")
    return wide.reindex(columns=items["item_code"].tolist()).astype(float)


def load_posting_demand(engine: Engine, keco_codes: list[str], as_of: dt.date) -> dict[str, tuple[int, int, int]]:
    """Per KECO 소분류: postings open on ``as_of``, opened in the 12 months up to it, and in the 12 before.

    Returns:
        ``keco_code -> (open_now, last_year, year_before)`` for the codes that have any posting.
    """
    if not keco_codes:
        return {}
    year, two_years = as_of - dt.timedelta(days=365), as_of - dt.timedelta(days=730)
    stmt = (
        select(
            Posting.keco_code,
            func.sum(case(((Posting.open_date <= as_of) & (Posting.close_date >= as_of), 1), else_=0)),
            func.sum(case(((Posting.open_date > year) & (Posting.open_date <= as_of), 1), else_=0)),
            func.sum(case(((Posting.open_date > two_years) & (Posting.open_date <= year), 1), else_=0)),
        )
        .where(Posting.keco_code.in_([str(c) for c in keco_codes]))
        .group_by(Posting.keco_code)
    )
    with Session(engine) as session:
        rows = session.execute(stmt).all()
    return {str(r[0]): (int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in rows}


def load_open_posting_titles(engine: Engine, keco_codes: list[str], as_of: dt.date, *, per_code: int = 3
                             ) -> dict[str, list[str]]:
    """Titles of up to ``per_code`` postings open on ``as_of`` per KECO 소분류, newest first
    (free text: pages show it escaped)."""
    if not keco_codes:
        return {}
    stmt = (
        select(Posting.keco_code, Posting.title)
        .where(Posting.keco_code.in_([str(c) for c in keco_codes]), Posting.open_date <= as_of,
               Posting.close_date >= as_of)
        .order_by(Posting.open_date.desc(), Posting.id.desc())
    )
    out: dict[str, list[str]] = {}
    with Session(engine) as session:
        for code, title in session.execute(stmt):
            titles = out.setdefault(str(code), [])
            if len(titles) < per_code:
                titles.append(str(title))
    return out
