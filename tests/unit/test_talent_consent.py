"""상담 요청과 동의 (app.services.talent.consent) on a private copy of the small world: who may send,
decide and withdraw a contact request; that no employer receives a seeker's name, phone, e-mail or
address before the seeker accepts (and then only name, phone and e-mail, audit-logged first);
opt-outs; saved and dismissed candidates; and that none of it changes the world's fingerprint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.auth import User
from app.db.engine import make_engine
from app.db.fingerprint import compute_fingerprint
from app.db.migrations import DUPLICATE_WITHDRAWN_BY, migrate_schema, pending_migrations
from app.db.repositories import talent as talent_repo
from app.db.repositories import unit_of_work
from app.db.repositories import world as world_repo
from app.services import talent
from app.services.audit import AuditUnavailable
from tests.conftest import copy_world_database


@dataclasses.dataclass(frozen=True)
class World:
    """Ids of the copy: employer A with two open postings and a closed one, employer B with one, seekers."""

    engine: Engine
    a: User
    b: User
    posting_a: int
    posting_a2: int
    closed_a: int
    posting_b: int
    seekers: tuple[int, ...]


def _seeker_user(seeker_id: int, name: str = "seeker-t") -> User:
    return User(name, "구직자", "seeker", seeker_id=seeker_id)


COUNSELLOR = User("counsellor-t", "상담사", "counsellor")
POLICY = User("policy-t", "정책", "policy")


@pytest.fixture
def world(world_url: str, tmp_path: Path) -> Iterator[World]:
    engine = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'w.db')}")
    as_of = world_repo.load_reference_date(engine)
    with engine.connect() as conn:
        open_rows = conn.execute(text("select employer_id, id from postings where close_date >= :d order by employer_id, id"),
                                 {"d": as_of}).all()
        by_employer: dict[int, list[int]] = {}
        for employer, posting in open_rows:
            by_employer.setdefault(int(employer), []).append(int(posting))
        a = next(e for e, ps in by_employer.items() if len(ps) >= 2)
        b = next(e for e in by_employer if e != a)
        closed = conn.execute(text("select id from postings where employer_id=:e and close_date < :d limit 1"),
                              {"e": a, "d": as_of}).scalar()
        seekers = tuple(int(i) for i in conn.execute(text("select id from seekers order by id limit 4")).scalars())
    assert closed is not None, "employer A needs a closed posting"
    yield World(engine, User("emp-a", "A", "employer", a), User("emp-b", "B", "employer", b), by_employer[a][0],
                by_employer[a][1], int(closed), by_employer[b][0], seekers)
    engine.dispose()


def _pii(engine: Engine, seeker_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        name, phone, email, address = conn.execute(
            text("select name, phone, email, address from seekers where id=:i"), {"i": seeker_id}).one()
    return {"name": name, "phone": phone, "phone_digits": re.sub(r"\D", "", phone), "email": email,
            "address": address}


def _strings(value: Any) -> str:
    """Every field of a return value, flattened to one text (dataclasses, tuples, dicts, frames)."""
    if value is None:
        return ""
    if dataclasses.is_dataclass(value):
        return " | ".join(_strings(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return " | ".join(_strings(v) for v in value)
    if isinstance(value, dict):
        return " | ".join(f"{_strings(k)}={_strings(v)}" for k, v in value.items())
    if isinstance(value, pd.DataFrame):
        return value.to_csv(index=False)
    return str(value)


def _assert_no_identity(value: Any, pii: dict[str, str]) -> None:
    blob = _strings(value)
    for field, secret in pii.items():
        assert secret not in blob, f"{field} leaked"
    assert pii["phone_digits"] not in re.sub(r"[\s-]", "", blob), "phone leaked"


def _audit(engine: Engine, action: str = talent.REVEAL_ACTION) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(text("select username, role, output from audit_log where action=:a order by id"),
                            {"a": action}).all()
    return [(u, r, o if isinstance(o, dict) else json.loads(o)) for u, r, o in rows]


# --------------------------------------------------------------------------- sending


def test_an_employer_sends_a_masked_request_for_its_own_open_posting(world: World) -> None:
    seeker = world.seekers[0]
    view = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=seeker,
                                  message="  면접 제안드립니다. 010-1234-5678 로 연락 주세요  ")
    assert (view.status, view.status_label, view.posting_id, view.seeker_id) == ("pending", "대기", world.posting_a, seeker)
    assert view.employer_id == world.a.employer_id and view.decided_at is None and view.decided_kst == "-"
    assert "010-1234-5678" not in view.message and view.message.startswith("면접 제안드립니다.")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", view.created_kst)
    assert " · 월 " in view.job_summary and view.posting_title
    with world.engine.connect() as conn:
        stored = conn.execute(text("select message, requested_by, created_at from contact_requests")).one()
    assert "1234" not in stored[0] and stored[1] == "emp-a"
    created = dt.datetime.fromisoformat(str(stored[2]))
    assert abs(created - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)  # stored in UTC


@pytest.mark.parametrize("user", [COUNSELLOR, POLICY, _seeker_user(1)], ids=["counsellor", "policy", "seeker"])
def test_only_employers_send_requests(world: World, user: User) -> None:
    with pytest.raises(talent.RequestAccessDenied, match="구인기업 계정만"):
        talent.request_contact(world.engine, user, posting_id=world.posting_a, seeker_id=world.seekers[0])


def test_requests_are_refused_for_other_postings_closed_ones_missing_records_and_bad_messages(world: World) -> None:
    s = world.seekers[0]
    with pytest.raises(talent.RequestAccessDenied, match="다른 기업의 공고"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_b, seeker_id=s)
    with pytest.raises(talent.ContactRequestError, match="마감된 공고"):
        talent.request_contact(world.engine, world.a, posting_id=world.closed_a, seeker_id=s)
    with pytest.raises(talent.RequestNotFound, match="공고를 찾을 수 없습니다"):
        talent.request_contact(world.engine, world.a, posting_id=10**9, seeker_id=s)
    with pytest.raises(talent.RequestNotFound, match="구직자를 찾을 수 없습니다"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=10**9)
    with pytest.raises(talent.ContactRequestError, match="500자 이하"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s, message="가" * 501)
    with pytest.raises(talent.ContactRequestError, match="제어 문자"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s, message="a\x00b")
    # an employer account that names no employer matches no posting (fail closed)
    with pytest.raises(talent.RequestAccessDenied):
        talent.request_contact(world.engine, User("x", "x", "employer"), posting_id=world.posting_a, seeker_id=s)
    with world.engine.connect() as conn:
        assert conn.execute(text("select count(*) from contact_requests")).scalar() == 0


def test_one_posting_asks_one_seeker_once_until_declined(world: World) -> None:
    s = world.seekers[0]
    first = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    with pytest.raises(talent.ContactRequestError, match=f"#{first.id}.*대기 상태"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    other_posting = talent.request_contact(world.engine, world.a, posting_id=world.posting_a2, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), other_posting.id, accept=True)
    with pytest.raises(talent.ContactRequestError, match="수락 상태"):
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a2, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), first.id, accept=False)
    again = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    assert again.id > first.id and again.status == "pending"


# --------------------------------------------------------------------------- deciding and withdrawing


def test_only_the_seeker_decides_once(world: World) -> None:
    s, other = world.seekers[0], world.seekers[1]
    req = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    with pytest.raises(talent.RequestAccessDenied, match="본인에게 온 요청만"):
        talent.decide_request(world.engine, _seeker_user(other), req.id, accept=True)
    for user in (world.a, COUNSELLOR, POLICY):
        with pytest.raises(talent.RequestAccessDenied):
            talent.decide_request(world.engine, user, req.id, accept=True)
    with pytest.raises(talent.RequestNotFound):
        talent.decide_request(world.engine, _seeker_user(s), 10**9, accept=True)
    decided = talent.decide_request(world.engine, _seeker_user(s), req.id, accept=False)
    assert decided.status_label == "거절" and decided.decided_at is not None
    with pytest.raises(talent.ContactRequestError, match="이미 거절된 요청"):
        talent.decide_request(world.engine, _seeker_user(s), req.id, accept=True)
    assert [v.id for v in talent.requests_for_seeker(world.engine, _seeker_user(s))] == [req.id]
    assert talent.requests_for_seeker(world.engine, _seeker_user(other)) == ()
    with pytest.raises(talent.RequestAccessDenied):
        talent.requests_for_seeker(world.engine, world.a)


def test_the_employer_withdraws_only_its_own_pending_requests(world: World) -> None:
    s = world.seekers[0]
    req = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    with pytest.raises(talent.RequestAccessDenied, match="우리 기업이 보낸"):
        talent.withdraw_request(world.engine, world.b, req.id)
    with pytest.raises(talent.RequestAccessDenied):
        talent.withdraw_request(world.engine, COUNSELLOR, req.id)
    withdrawn = talent.withdraw_request(world.engine, world.a, req.id)
    assert withdrawn.status_label == "철회"
    with pytest.raises(talent.ContactRequestError, match="이미 철회된 요청은 수락하거나 거절할 수 없습니다"):
        talent.decide_request(world.engine, _seeker_user(s), req.id, accept=True)
    accepted = talent.request_contact(world.engine, world.a, posting_id=world.posting_a2, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), accepted.id, accept=True)
    with pytest.raises(talent.ContactRequestError, match="이미 수락된 요청은 철회할 수 없습니다"):
        talent.withdraw_request(world.engine, world.a, accepted.id)
    mine = talent.requests_for_employer(world.engine, world.a)
    assert [v.status for v in mine] == ["accepted", "withdrawn"]
    assert [v.id for v in talent.requests_for_employer(world.engine, world.a, posting_id=world.posting_a)] == [req.id]
    assert talent.requests_for_employer(world.engine, world.b) == ()


# --------------------------------------------------------------------------- identity


def test_no_employer_receives_a_name_phone_email_or_address_before_acceptance(world: World) -> None:
    s = world.seekers[0]
    pii = _pii(world.engine, s)
    seeker = _seeker_user(s)
    returned: list[Any] = []
    sent = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s, message="안녕하세요")
    returned += [sent, talent.requests_for_employer(world.engine, world.a),
                 talent.revealed_identity(world.engine, world.a, s)]
    declined = talent.request_contact(world.engine, world.a, posting_id=world.posting_a2, seeker_id=s)
    talent.decide_request(world.engine, seeker, declined.id, accept=False)
    returned += [talent.requests_for_employer(world.engine, world.a), talent.revealed_identity(world.engine, world.a, s)]
    returned.append(talent.withdraw_request(world.engine, world.a, sent.id))
    returned += [talent.requests_for_employer(world.engine, world.a), talent.revealed_identity(world.engine, world.a, s)]
    assert returned[2] is None and returned[4] is None and returned[-1] is None  # nothing revealed
    for value in returned:
        _assert_no_identity(value, pii)
    assert _audit(world.engine) == []  # nothing revealed, nothing logged

    # accepted: the request lists still hold no identity; only revealed_identity does, and only to A
    accepted = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    talent.decide_request(world.engine, seeker, accepted.id, accept=True)
    _assert_no_identity(talent.requests_for_employer(world.engine, world.a), pii)
    assert talent.revealed_identity(world.engine, world.b, s) is None
    contact = talent.revealed_identity(world.engine, world.a, s)
    assert contact is not None
    assert (contact.name, contact.phone, contact.email) == (pii["name"], pii["phone"], pii["email"])
    assert (contact.request_id, contact.posting_id, contact.seeker_id) == (accepted.id, world.posting_a, s)
    assert pii["address"] not in _strings(contact)  # the address is never revealed
    for user in (COUNSELLOR, POLICY, seeker):
        with pytest.raises(talent.RequestAccessDenied):
            talent.revealed_identity(world.engine, user, s)


def test_every_reveal_is_logged_without_the_identity(world: World) -> None:
    s = world.seekers[1]
    pii = _pii(world.engine, s)
    req = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), req.id, accept=True)
    assert talent.revealed_identity(world.engine, world.a, s) is not None
    assert talent.revealed_identity(world.engine, world.a, s) is not None
    rows = _audit(world.engine)
    assert len(rows) == 2
    username, role, output = rows[0]
    assert (username, role) == ("emp-a", "employer")
    assert output == {"request_id": req.id, "posting_id": world.posting_a, "employer_id": world.a.employer_id,
                      "seeker_id": s, "revealed": ["name", "phone", "email"]}
    _assert_no_identity(rows, pii)


def test_nothing_is_revealed_when_the_audit_log_cannot_take_the_row(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = world.seekers[0]
    req = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), req.id, accept=True)

    def locked(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("app.db.repositories.audit.add_audit_row", locked)
    monkeypatch.setattr("app.services.audit.spool_path", lambda _engine: None)  # no spool either
    with pytest.raises(AuditUnavailable):
        talent.revealed_identity(world.engine, world.a, s)
    assert _audit(world.engine) == []


# --------------------------------------------------------------------------- opting out


def test_opting_out_withdraws_pending_requests_and_blocks_new_ones(world: World) -> None:
    s = world.seekers[2]
    seeker = _seeker_user(s)
    pending = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    pending_b = talent.request_contact(world.engine, world.b, posting_id=world.posting_b, seeker_id=s)
    accepted = talent.request_contact(world.engine, world.a, posting_id=world.posting_a2, seeker_id=s)
    talent.decide_request(world.engine, seeker, accepted.id, accept=True)
    assert not talent.is_opted_out(world.engine, s) and talent.opted_out_since(world.engine, s) is None

    assert talent.set_opt_out(world.engine, seeker, True) == 2
    assert talent.is_opted_out(world.engine, s) and s in talent.opted_out_seeker_ids(world.engine)
    statuses = {v.id: v.status for v in talent.requests_for_seeker(world.engine, seeker)}
    assert statuses == {pending.id: "withdrawn", pending_b.id: "withdrawn", accepted.id: "accepted"}
    with pytest.raises(talent.ContactRequestError, match="추천을 받지 않기로"):
        talent.request_contact(world.engine, world.b, posting_id=world.posting_b, seeker_id=s)
    assert talent.opted_out_since(world.engine, s) is not None

    assert talent.set_opt_out(world.engine, seeker, False) == 0
    assert not talent.is_opted_out(world.engine, s) and s not in talent.opted_out_seeker_ids(world.engine)
    assert talent.request_contact(world.engine, world.b, posting_id=world.posting_b, seeker_id=s).status == "pending"
    for user in (world.a, COUNSELLOR):
        with pytest.raises(talent.RequestAccessDenied):
            talent.set_opt_out(world.engine, user, True)
    with pytest.raises(talent.RequestNotFound):
        talent.set_opt_out(world.engine, _seeker_user(10**9), True)


# --------------------------------------------------------------------------- counsellors


def test_counsellors_see_every_request_with_masked_names_and_counts(world: World) -> None:
    s0, s1 = world.seekers[0], world.seekers[1]
    first = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s0)
    talent.request_contact(world.engine, world.b, posting_id=world.posting_b, seeker_id=s1)
    talent.decide_request(world.engine, _seeker_user(s0), first.id, accept=True)
    overview = talent.requests_overview(world.engine, COUNSELLOR)
    assert dict(overview.counts) == {"대기": 1, "수락": 1, "거절": 0, "철회": 0}
    assert {v.seeker_id for v in overview.requests} == {s0, s1}
    table = talent.requests_table(overview.requests, masked_names=overview.masked_names)
    assert list(table.columns) == ["요청 번호", "기업", "공고", "직무 요약", "구직자 번호", "구직자(마스킹)", "상태", "요청 일시",
                                   "결정 일시"]
    for seeker in (s0, s1):
        pii = _pii(world.engine, seeker)
        _assert_no_identity(table, pii)
        assert "○" in overview.masked_names[seeker]
    for user in (POLICY, world.a, _seeker_user(s0)):
        with pytest.raises(talent.RequestAccessDenied, match="직업상담사만"):
            talent.requests_overview(world.engine, user)


# --------------------------------------------------------------------------- saved and dismissed candidates


def test_candidates_are_saved_or_dismissed_per_user_and_feed_the_next_build(world: World) -> None:
    s0, s1, s2 = world.seekers[:3]
    talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s0, action="save")
    talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s1, action="dismiss")
    talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s0, action="dismiss")  # replaces
    talent.record_feedback(world.engine, COUNSELLOR, posting_id=world.posting_a, seeker_id=s2, action="save")
    assert talent.feedback_for(world.engine, world.a, world.posting_a) == {s0: "dismiss", s1: "dismiss"}
    assert talent.feedback_for(world.engine, COUNSELLOR, world.posting_a) == {s2: "save"}
    talent.clear_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s1)
    assert talent.feedback_for(world.engine, world.a, world.posting_a) == {s0: "dismiss"}

    with pytest.raises(talent.RequestAccessDenied, match="우리 기업 공고"):
        talent.record_feedback(world.engine, world.b, posting_id=world.posting_a, seeker_id=s0, action="save")
    with pytest.raises(talent.RequestAccessDenied):
        talent.feedback_for(world.engine, world.b, world.posting_a)
    with pytest.raises(talent.RequestAccessDenied):
        talent.record_feedback(world.engine, _seeker_user(s0), posting_id=world.posting_a, seeker_id=s0, action="save")
    with pytest.raises(talent.ContactRequestError):
        talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s0, action="like")
    with pytest.raises(talent.RequestNotFound):
        talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=10**9, action="save")

    training = talent.feedback_for_training(world.engine)
    assert list(training.columns) == ["posting_id", "seeker_id", "action", "by_employer", "created_at"]
    assert sorted(zip(training["seeker_id"], training["action"], training["by_employer"], strict=True)) == [
        (s0, "dismiss", True), (s2, "save", False)]
    talent.set_opt_out(world.engine, _seeker_user(s2), True)
    assert s2 not in set(talent.feedback_for_training(world.engine)["seeker_id"])  # opted out: nothing learnt


# --------------------------------------------------------------------------- storage


def test_requests_opt_outs_and_feedback_leave_the_world_fingerprint_alone(world: World) -> None:
    before = compute_fingerprint(world.engine)
    s = world.seekers[0]
    req = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    talent.decide_request(world.engine, _seeker_user(s), req.id, accept=True)
    talent.set_opt_out(world.engine, _seeker_user(world.seekers[1]), True)
    talent.record_feedback(world.engine, world.a, posting_id=world.posting_a, seeker_id=s, action="save")
    assert compute_fingerprint(world.engine) == before


def test_a_database_built_before_the_talent_tables_gets_them_on_first_use(world_url: str, tmp_path: Path) -> None:
    path = copy_world_database(world_url, tmp_path / "old.db")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            for table in ("contact_requests", "seeker_visibility", "talent_feedback"):
                conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        assert talent.opted_out_seeker_ids(engine) == frozenset()
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from contact_requests")).scalar() == 0
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- one open request, kept by the database


def _open_rows(engine: Engine, posting_id: int, seeker_id: int) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [(int(i), s) for i, s in conn.execute(
            text("select id, status from contact_requests where posting_id=:p and seeker_id=:s "
                 "and status in ('pending', 'accepted') order by id"), {"p": posting_id, "s": seeker_id})]


def test_a_request_stored_by_another_session_after_the_check_is_refused_and_nothing_is_written(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = world.seekers[0]
    checked = talent_repo.open_request
    competing: list[int] = []

    def check_then_lose_the_race(uow: Any, **kwargs: Any) -> int | None:
        found = checked(uow, **kwargs)
        if not competing:
            # the same request arrives from another session (a second tab) right after this check
            with unit_of_work(world.engine) as other:
                competing.append(talent_repo.add_request(
                    other, employer_id=int(world.a.employer_id or 0), posting_id=world.posting_a, seeker_id=s,
                    requested_by=world.a.username, message="", status="pending"))
        return found

    monkeypatch.setattr(talent_repo, "open_request", check_then_lose_the_race)
    with pytest.raises(talent.ContactRequestError) as refused:
        talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s, message="두 번째 탭")
    # the same refusal as the check's own, naming the request that was stored first
    assert refused.value.user_message == f"이 공고로 이 구직자에게 보낸 요청(#{competing[0]})이 이미 대기 상태입니다."
    assert _open_rows(world.engine, world.posting_a, s) == [(competing[0], "pending")]
    with world.engine.connect() as conn:
        assert conn.execute(text("select count(*) from contact_requests")).scalar() == 1
        assert conn.execute(text("select count(*) from contact_requests where message='두 번째 탭'")).scalar() == 0


def test_two_requests_sent_at_the_same_moment_store_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = world.seekers[1]
    checked = talent_repo.open_request
    both_checked = threading.Barrier(2)
    calls = itertools.count()

    def check_together(uow: Any, **kwargs: Any) -> int | None:
        found = checked(uow, **kwargs)
        if next(calls) < 2:
            both_checked.wait()  # each thread's check has seen no request before either inserts
        return found

    monkeypatch.setattr(talent_repo, "open_request", check_together)
    outcomes: list[object] = []

    def send() -> None:
        try:
            outcomes.append(talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s))
        except talent.ContactRequestError as err:
            outcomes.append(err)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [o for o in outcomes if isinstance(o, talent.ContactRequestView)]
    refused = [o for o in outcomes if isinstance(o, talent.ContactRequestError)]
    assert len(sent) == 1 and len(refused) == 1
    assert f"(#{sent[0].id})이 이미 대기 상태입니다" in refused[0].user_message
    assert _open_rows(world.engine, world.posting_a, s) == [(sent[0].id, "pending")]


def test_the_database_refuses_a_second_open_request_but_keeps_declined_and_withdrawn_ones(world: World) -> None:
    s = world.seekers[0]

    def insert(status: str) -> int:
        with unit_of_work(world.engine) as uow:
            return talent_repo.add_request(uow, employer_id=int(world.a.employer_id or 0), posting_id=world.posting_a,
                                           seeker_id=s, requested_by="emp-a", message="", status=status)

    first = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    for status in ("pending", "accepted"):
        with pytest.raises(IntegrityError):
            insert(status)
    insert("declined")
    insert("withdrawn")
    talent.decide_request(world.engine, _seeker_user(s), first.id, accept=False)
    again = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    talent.withdraw_request(world.engine, world.a, again.id)
    third = talent.request_contact(world.engine, world.a, posting_id=world.posting_a, seeker_id=s)
    assert _open_rows(world.engine, world.posting_a, s) == [(third.id, "pending")]
    with world.engine.connect() as conn:
        statuses = conn.execute(text("select status from contact_requests where posting_id=:p and seeker_id=:s "
                                     "order by id"), {"p": world.posting_a, "s": s}).scalars().all()
    assert statuses == ["declined", "declined", "withdrawn", "withdrawn", "pending"]


def test_an_existing_database_gets_the_index_and_its_open_duplicates_withdrawn(world_url: str, tmp_path: Path) -> None:
    path = copy_world_database(world_url, tmp_path / "before.db")
    engine = make_engine(f"sqlite:///{path}")
    try:
        fingerprint = compute_fingerprint(engine)
        with engine.connect() as conn:
            posting, employer = conn.execute(text("select id, employer_id from postings limit 1")).one()
            seekers = conn.execute(text("select id from seekers order by id limit 3")).scalars().all()
        with sqlite3.connect(path) as conn:  # the release before the index, with what its race could store
            conn.execute("DROP INDEX ux_contact_requests_open")
            rows = [(seekers[0], "pending"), (seekers[0], "pending"),  # two clicks at once
                    (seekers[1], "pending"), (seekers[1], "accepted"), (seekers[1], "pending"),
                    (seekers[2], "declined"), (seekers[2], "pending")]  # a re-sent request: no duplicate
            conn.executemany(
                "insert into contact_requests (employer_id, posting_id, seeker_id, requested_by, message, status, "
                "created_at, decided_by) values (?, ?, ?, 'emp', '', ?, '2026-01-05 09:00:00', '')",
                [(employer, posting, seeker, status) for seeker, status in rows])
        assert "상담 요청 중복 방지 색인" in pending_migrations(engine)
        done = migrate_schema(engine)
        assert "상담 요청 중복 방지 색인을 만들었습니다 (같은 공고·구직자의 중복 요청 3건은 철회로 정리)" in done
        with engine.connect() as conn:
            kept = conn.execute(text("select seeker_id, id, status, decided_by from contact_requests order by id")).all()
        assert [(r[2], r[3]) for r in kept] == [
            ("pending", ""), ("withdrawn", DUPLICATE_WITHDRAWN_BY),
            ("withdrawn", DUPLICATE_WITHDRAWN_BY), ("accepted", ""), ("withdrawn", DUPLICATE_WITHDRAWN_BY),
            ("declined", ""), ("pending", ""),
        ]
        assert "ux_contact_requests_open" in {ix["name"] for ix in inspect(engine).get_indexes("contact_requests")}
        assert "상담 요청 중복 방지 색인" not in pending_migrations(engine)
        assert migrate_schema(engine) == ()  # idempotent
        assert compute_fingerprint(engine) == fingerprint  # operational rows only
    finally:
        engine.dispose()
