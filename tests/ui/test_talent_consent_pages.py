"""상담 요청함, 내 정보 공개 (seekers) and 채용 상담 요청 현황 (counsellors) through AppTest, on a
private copy of the small world.

What each role sees and may do: a seeker accepts or declines the requests sent to them (what
accepting reveals is said before the click) and only theirs (another seeker's request by link is
refused); accepting lets that employer reach the seeker's name and contact, declining does not; a
seeker opts out (pending requests withdrawn) and back in; counsellors see every request with
masked names; every other role is refused, and every page that existed before seekers refuses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from app.access import PAGES, can_access
from app.auth import User
from app.db.engine import make_engine
from app.db.repositories import world as world_repo
from app.services import talent
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar, point_settings_at, run_page, texts

REQUESTS = "../../pages/seeker_requests.py"
PRIVACY = "../../pages/seeker_privacy.py"
OVERVIEW = "../../pages/talent_requests.py"
REVEALS_NOTE = "수락하면** 그 요청을 보낸 기업에만 이름, 휴대전화 번호, 이메일이 공개됩니다"


def _seeker(seeker_id: int, username: str = "seeker-page") -> dict[str, Any]:
    return {"username": username, "display_name": "구직자", "role": "seeker", "employer_id": None,
            "seeker_id": seeker_id}


def _user(role: str, employer_id: int | None = None) -> dict[str, Any]:
    return {"username": f"{role}-page", "display_name": role, "role": role, "employer_id": employer_id}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, world_url: str, users_file: Path, tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a private copy of the world (the pages write); yields its URL."""
    db = copy_world_database(world_url, tmp_path / "talent.db")
    yield point_settings_at(monkeypatch, db, tmp_path / "models", users_file)


@pytest.fixture
def engine(env: str) -> Iterator[Engine]:
    engine = make_engine(env)
    yield engine
    engine.dispose()


def _open_postings(engine: Engine) -> list[tuple[int, int]]:
    """(employer id, posting id) of open postings, one per employer."""
    as_of = world_repo.load_reference_date(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("select employer_id, min(id) from postings where close_date >= :d "
                                 "group by employer_id order by employer_id limit 3"), {"d": as_of}).all()
    return [(int(e), int(p)) for e, p in rows]


def _employer(employer_id: int) -> User:
    return User(f"emp-{employer_id}", "기업", "employer", employer_id)


def _send(engine: Engine, seeker_id: int, message: str = "면접을 제안드립니다") -> list[talent.ContactRequestView]:
    """One pending request from each of two employers to the seeker."""
    return [talent.request_contact(engine, _employer(e), posting_id=p, seeker_id=seeker_id, message=message)
            for e, p in _open_postings(engine)[:2]]


def _identity(url: str, seeker_id: int) -> tuple[str, str, str]:
    (row,) = db_rows(url, "select name, phone, email from seekers where id=:i", i=seeker_id)
    return row


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("page", "role", "message"),
    [
        (REQUESTS, "employer", "이 화면은 구직자 전용입니다. 현재 역할: 구인기업"),
        (REQUESTS, "counsellor", "이 화면은 구직자 전용입니다. 현재 역할: 직업상담사"),
        (REQUESTS, "policy", "이 화면은 구직자 전용입니다. 현재 역할: 정책·운영"),
        (PRIVACY, "employer", "이 화면은 구직자 전용입니다. 현재 역할: 구인기업"),
        (PRIVACY, "counsellor", "이 화면은 구직자 전용입니다. 현재 역할: 직업상담사"),
        (PRIVACY, "policy", "이 화면은 구직자 전용입니다. 현재 역할: 정책·운영"),
        (OVERVIEW, "employer", "이 화면은 직업상담사 전용입니다. 현재 역할: 구인기업"),
        (OVERVIEW, "policy", "이 화면은 직업상담사 전용입니다. 현재 역할: 정책·운영"),
        (OVERVIEW, "seeker", "이 화면은 직업상담사 전용입니다. 현재 역할: 구직자"),
    ],
)
def test_the_new_pages_refuse_other_roles(env: str, engine: Engine, seeker_ids: dict[str, int], page: str,
                                          role: str, message: str) -> None:
    seeker = seeker_ids["seeker1"]
    _send(engine, seeker)
    user = _seeker(seeker) if role == "seeker" else _user(role, _open_postings(engine)[0][0] if role == "employer" else None)
    at = run_page(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.dataframe and not at.button and not at.metric
    name, phone, email = _identity(env, seeker)
    assert not any(secret in texts(at) for secret in (name, phone, email))


@pytest.mark.parametrize("spec", [s for s in PAGES if not can_access("seeker", s.page_id)], ids=lambda s: s.page_id)
def test_every_page_not_for_seekers_refuses_them(env: str, seeker_ids: dict[str, int], spec: Any) -> None:
    at = run_page(f"../../{spec.path}", _seeker(seeker_ids["seeker1"]))
    _no_exception(at)
    assert [e.value for e in at.error] == [f"이 화면은 {_roles(spec.page_id)} 전용입니다. 현재 역할: 구직자"]
    assert not at.title and not at.dataframe


def _roles(page_id: str) -> str:
    from app.access import allowed_roles_label

    return allowed_roles_label(page_id)


@pytest.mark.parametrize(("page", "title"), [("home.py", "고용AI 워크벤치 — 현황"), ("explorer.py", "데이터 탐색기"),
                                             ("transparency.py", "AI 투명성 안내")])
def test_the_common_pages_work_for_a_seeker(env: str, seeker_ids: dict[str, int], page: str, title: str) -> None:
    at = run_page(f"../../pages/{page}", _seeker(seeker_ids["seeker1"]))
    _no_exception(at)
    assert [t.value for t in at.title] == [title] and not at.error
    if page == "explorer.py":
        assert [t.label for t in at.tabs] == ["채용공고", "훈련과정"]  # no seekers' tab
    if page == "home.py":
        assert "구직자 화면" in texts(at) and "우리 기업 현황" not in texts(at)


# --------------------------------------------------------------------------- 상담 요청함


def test_a_seeker_accepts_and_only_then_the_employer_reaches_them(env: str, engine: Engine,
                                                                   seeker_ids: dict[str, int]) -> None:
    seeker = seeker_ids["seeker1"]
    first, second = _send(engine, seeker, message="연락처 010-9876-5432 로 주세요")
    employer = _employer(first.employer_id)
    at = run_page(REQUESTS, _seeker(seeker))
    _no_exception(at)
    assert [t.value for t in at.title] == ["상담 요청함"]
    assert REVEALS_NOTE in at.info[0].value and "주민등록번호, 생년월일, 주소는 공개하지 않습니다" in at.info[0].value
    shown = texts(at)
    assert "응답을 기다리는 요청 2건" in shown
    assert first.employer_name in shown and first.posting_title in shown and "010-9876-5432" not in shown
    assert talent.revealed_identity(engine, employer, seeker) is None

    at.button(key=f"seeker_requests.accept.{first.id}").click().run()
    _no_exception(at)
    assert f"요청(#{first.id})을 수락했습니다" in at.success[0].value
    assert "응답을 기다리는 요청 1건" in texts(at)
    history = next(d.value for d in at.dataframe if "요청 번호" in d.value.columns)
    assert history[["요청 번호", "상태"]].values.tolist() == [[first.id, "수락"]]
    contact = talent.revealed_identity(engine, employer, seeker)
    assert contact is not None and (contact.name, contact.phone, contact.email) == _identity(env, seeker)
    assert int(db_scalar(env, "select count(*) from audit_log where action='talent.reveal'")) == 1

    at.button(key=f"seeker_requests.decline.{second.id}").click().run()
    _no_exception(at)
    assert f"요청(#{second.id})을 거절했습니다" in at.success[0].value
    assert talent.revealed_identity(engine, _employer(second.employer_id), seeker) is None
    assert "응답을 기다리는 요청 0건" in texts(at) and not at.button
    statuses = dict(db_rows(env, "select id, status from contact_requests"))
    assert statuses == {first.id: "accepted", second.id: "declined"}


def test_a_seeker_sees_only_their_own_requests(env: str, engine: Engine, seeker_ids: dict[str, int]) -> None:
    mine, other = seeker_ids["seeker1"], seeker_ids["seeker2"]
    theirs = _send(engine, other)
    at = run_page(REQUESTS, _seeker(mine))
    _no_exception(at)
    assert "응답을 기다리는 요청 0건" in texts(at)
    assert not any(v.posting_title in texts(at) for v in theirs)
    # another seeker's request by link is refused, not opened or replaced
    at = AppTest.from_file(REQUESTS, default_timeout=30)
    at.session_state["auth.user"] = _seeker(mine)
    at.query_params["request"] = str(theirs[0].id)
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [f"상담 요청 #{theirs[0].id}은(는) 본인에게 온 요청이 아닙니다."]
    assert [b.label for b in at.button] == ["상담 요청함으로"]
    # and the one sent to this seeker opens
    own = _send(engine, mine)
    at = AppTest.from_file(REQUESTS, default_timeout=30)
    at.session_state["auth.user"] = _seeker(mine)
    at.query_params["request"] = str(own[1].id)
    at.run()
    _no_exception(at)
    assert not at.error and at.button[0].key == f"seeker_requests.accept.{own[1].id}"  # the linked one first


# --------------------------------------------------------------------------- 내 정보 공개


def test_a_seeker_opts_out_withdrawing_pending_requests_and_back_in(env: str, engine: Engine,
                                                                     seeker_ids: dict[str, int]) -> None:
    seeker = seeker_ids["seeker3"]
    sent = _send(engine, seeker)
    at = run_page(PRIVACY, _seeker(seeker))
    _no_exception(at)
    assert [t.value for t in at.title] == ["내 정보 공개"]
    assert "현재 상태: **추천 받음**" in at.info[0].value
    assert "이름, 휴대전화, 이메일, 주소, 주민등록번호는 보이지 않습니다" in texts(at)
    assert "자동으로 철회됩니다" in texts(at)

    at.button(key="seeker_privacy.toggle").click().run()
    _no_exception(at)
    assert at.success[0].value == "추천을 받지 않도록 바꿨습니다. 응답을 기다리던 상담 요청 2건을 자동으로 철회했습니다."
    assert "현재 상태: **추천 안 받음** (마지막 변경 " in at.warning[0].value
    assert talent.is_opted_out(engine, seeker) and seeker in talent.opted_out_seeker_ids(engine)
    assert {s for _, s in db_rows(env, "select id, status from contact_requests")} == {"withdrawn"}
    with pytest.raises(talent.ContactRequestError):
        talent.request_contact(engine, _employer(sent[0].employer_id), posting_id=sent[0].posting_id, seeker_id=seeker)
    inbox = run_page(REQUESTS, _seeker(seeker))
    assert "추천을 받지 않도록 설정되어 있어" in inbox.warning[0].value
    assert talent.revealed_identity(engine, _employer(sent[0].employer_id), seeker) is None

    at.button(key="seeker_privacy.toggle").click().run()
    _no_exception(at)
    assert at.success[0].value == "다시 추천을 받습니다."
    assert not talent.is_opted_out(engine, seeker)


# --------------------------------------------------------------------------- 채용 상담 요청 현황


def test_counsellors_see_every_request_with_masked_names_and_filter_by_status(
    env: str, engine: Engine, seeker_ids: dict[str, int]
) -> None:
    one, two = seeker_ids["seeker1"], seeker_ids["seeker2"]
    first, _ = _send(engine, one)
    _send(engine, two)
    talent.decide_request(engine, User("s", "s", "seeker", seeker_id=one), first.id, accept=True)
    at = run_page(OVERVIEW, _user("counsellor"))
    _no_exception(at)
    assert [t.value for t in at.title] == ["채용 상담 요청 현황"]
    assert {m.label: m.value for m in at.metric} == {"대기": "3건", "수락": "1건", "거절": "0건", "철회": "0건"}
    table = next(d.value for d in at.dataframe if "구직자(마스킹)" in d.value.columns)
    assert len(table) == 4 and table["구직자(마스킹)"].str.contains("○").all()
    for seeker in (one, two):
        assert not any(secret in table.to_csv() for secret in _identity(env, seeker))
    at.multiselect(key="talent_requests.status").set_value(["수락"]).run()
    _no_exception(at)
    table = next(d.value for d in at.dataframe if "구직자(마스킹)" in d.value.columns)
    assert table[["요청 번호", "상태"]].values.tolist() == [[first.id, "수락"]]
