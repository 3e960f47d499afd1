"""인재 추천 (employers, counsellors, policy staff) and 추천 일자리 (seekers) through AppTest, on a
private copy of the small world with every model built.

What each role sees: ranked candidate cards with summaries, reasons and their evidence, gaps and
the hire probability, marked as AI output and logged first; never a seeker's name, phone, e-mail or
address before the seeker accepts a request; a sentence read into chips (nonsense refused in
Korean); dismissing a candidate and a seeker opting out take them off the list; an employer's
request reaches the seeker, and only acceptance shows the employer who they are; with a language-model
server configured, the AI notices name it as the writer of the summaries and the interview questions,
and the questions' audit row says so. Roles the pages do not serve are refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from app.auth import User
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories import world as world_repo
from app.services import talent
from app.text.markdown import escape_markdown
from tests.conftest import copy_world_database
from tests.fake_chat_server import answer_summaries_and_questions, is_question_request, running
from tests.ui.helpers import TIMEOUT, db_rows, db_scalar, point_settings_at, texts, user_dict

TALENT = "../../pages/talent.py"
JOBS = "../../pages/seeker_jobs.py"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a private copy of the built small world (the pages write); yields its URL."""
    url, models = hiring_built
    db = copy_world_database(url, tmp_path / "talent.db")
    yield point_settings_at(monkeypatch, db, models, users_file)


@pytest.fixture
def engine(env: str) -> Iterator[Engine]:
    engine = make_engine(env)
    yield engine
    engine.dispose()


def _open_posting(engine: Engine) -> tuple[int, int]:
    """(employer id, posting id) of an open posting with applicants (its pool has people in it)."""
    as_of = world_repo.load_reference_date(engine)
    with engine.connect() as conn:
        row = conn.execute(text(
            "select p.employer_id, p.id from postings p join applications a on a.posting_id = p.id "
            "where p.close_date >= :d group by p.id order by count(*) desc, p.id limit 1"), {"d": as_of}).one()
    return int(row[0]), int(row[1])


def _logged(url: str, action: str) -> int:
    return int(db_scalar(url, "select count(*) from audit_log where action = :a", a=action))


def _run(path: str, user: dict[str, Any], **state: Any) -> AppTest:
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _identities(url: str) -> list[tuple[str, str, str, str]]:
    return db_rows(url, "select name, phone, email, address from seekers")


def _shown_ids(engine: Engine, user: User, posting_id: int) -> list[int]:
    matcher = talent.load_talent_matcher(Path(get_settings().models_dir))
    hidden = talent.hidden_candidates(engine, user, posting_id)
    results = talent.search_candidates(engine, matcher, user, posting_id=posting_id, exclude=hidden)
    return [c.seeker_id for c in results.cards]


def test_an_employer_sees_ranked_cards_without_identity_and_the_search_is_logged(env: str, engine: Engine) -> None:
    employer_id, posting_id = _open_posting(engine)
    before = _logged(env, "talent.search")
    at = _run(TALENT, user_dict("employer", employer_id), **{"talent.posting_id": posting_id})
    assert not at.exception
    shown = texts(at)
    assert "인재 추천" in shown and "AI 추천 결과입니다" in shown
    assert "후보 1" in shown and "추천 이유" in shown and "채용 성사 가능성" in shown
    for identity in _identities(env):
        for secret in identity:
            assert secret not in shown and escape_markdown(secret) not in shown
    assert _logged(env, "talent.search") == before + 1
    tabs = [t.label for t in at.tabs]
    assert tabs == ["추천 후보", "비교", "인재풀 분석"]
    assert at.dataframe, "two candidates are compared side by side by default"


def test_dismissing_a_candidate_takes_them_off_the_list(env: str, engine: Engine) -> None:
    employer_id, posting_id = _open_posting(engine)
    user = User("employer-test", "employer 테스트", "employer", employer_id)
    first = _shown_ids(engine, user, posting_id)[0]
    at = _run(TALENT, user_dict("employer", employer_id), **{"talent.posting_id": posting_id})
    at.button(key=f"talent.{posting_id}.1.dismiss").click().run()
    assert not at.exception
    assert db_scalar(env, "select action from talent_feedback where seeker_id = :s and posting_id = :p",
                     s=first, p=posting_id) == "dismiss"
    assert first not in _shown_ids(engine, user, posting_id)


def test_a_request_reveals_the_seeker_only_after_acceptance(env: str, engine: Engine) -> None:
    employer_id, posting_id = _open_posting(engine)
    employer = User("employer-test", "employer 테스트", "employer", employer_id)
    seeker_id = _shown_ids(engine, employer, posting_id)[0]
    (name, phone, email, _), = db_rows(env, "select name, phone, email, address from seekers where id = :s", s=seeker_id)
    at = _run(TALENT, user_dict("employer", employer_id), **{"talent.posting_id": posting_id})
    at.text_area(key=f"talent.{posting_id}.1.message").input("물류 업무 상담을 요청드립니다.")
    at.button(key=f"talent.{posting_id}.1.request").click().run()
    assert not at.exception
    assert db_scalar(env, "select status from contact_requests where seeker_id = :s and posting_id = :p",
                     s=seeker_id, p=posting_id) == "pending"
    assert not any(escape_markdown(v) in texts(at) for v in (name, phone, email))
    request_id = int(db_scalar(env, "select id from contact_requests where seeker_id = :s and posting_id = :p",
                               s=seeker_id, p=posting_id))
    seeker = User("seeker-test", "구직자", "seeker", seeker_id=seeker_id)
    talent.decide_request(engine, seeker, request_id, accept=True)
    again = _run(TALENT, user_dict("employer", employer_id), **{"talent.posting_id": posting_id})
    shown = texts(again)
    assert all(escape_markdown(v) in shown for v in (name, phone, email))
    assert _logged(env, "talent.reveal") >= 1


def _questions_logged(url: str) -> list[dict[str, Any]]:
    return [json.loads(o) for (o,) in db_rows(url, "select output from audit_log where action = 'talent.questions' "
                                                   "order by id")]


def test_interview_questions_name_their_writer_and_are_logged_with_it(
        env: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    employer_id, posting_id = _open_posting(engine)
    user = user_dict("employer", employer_id)
    state = {"talent.posting_id": posting_id, f"talent.{posting_id}.1.questions": True}
    offline = _run(TALENT, user, **state)
    assert not offline.exception
    assert f"질문: {escape_markdown(talent.OFFLINE_QUESTIONS)}" in texts(offline)
    assert _questions_logged(env)[-1]["writer"] == talent.OFFLINE_QUESTIONS
    with running(answer_summaries_and_questions) as server:
        monkeypatch.setenv("GOYONG_LLM_BACKEND", "openai")
        monkeypatch.setenv("GOYONG_LLM_BASE_URL", server.url)
        monkeypatch.setenv("GOYONG_LLM_MODEL", "시험모델")
        get_settings.cache_clear()
        try:
            at = _run(TALENT, user, **state)
        finally:
            get_settings.cache_clear()
    assert not at.exception
    shown = texts(at)
    writer = escape_markdown("LLM 서버(시험모델)")
    assert f"요약: {writer}" in shown and f"질문: {writer}" in shown
    assert "이 근거에 적힌 일에서 본인이 맡은 역할과 결과를 구체적으로 말씀해 주세요" in shown
    assert [is_question_request(body) for body in server.requests] == [False, True]  # summaries, then one candidate
    logged = _questions_logged(env)[-1]
    assert logged["writer"] == "LLM 서버(시험모델)" and logged["by_model"] == logged["questions"] > 0
    for identity in _identities(env):
        assert not any(secret in server.sent_text() for secret in identity)


def test_an_opted_out_seeker_never_appears(env: str, engine: Engine) -> None:
    employer_id, posting_id = _open_posting(engine)
    employer = User("employer-test", "employer 테스트", "employer", employer_id)
    first = _shown_ids(engine, employer, posting_id)[0]
    talent.set_opt_out(engine, User("seeker-test", "구직자", "seeker", seeker_id=first), True)
    assert first not in _shown_ids(engine, employer, posting_id)
    counsellor = User("counsellor-test", "상담사", "counsellor")
    matcher = talent.load_talent_matcher(Path(get_settings().models_dir))
    results = talent.search_candidates(engine, matcher, counsellor, posting_id=posting_id, top=30)
    assert first not in {c.seeker_id for c in results.cards}


def test_a_counsellor_searches_by_sentence_with_chips(env: str) -> None:
    before = _logged(env, "talent.search")
    at = _run(TALENT, user_dict("counsellor"), **{"talent.mode": "sentence", "talent.sentence": "서울 경력 2년 이상"})
    assert not at.exception
    chips = at.multiselect[0]
    assert "지역: 서울" in chips.value and "경력: 2년 이상" in chips.value
    assert "후보 1" in texts(at)
    assert _logged(env, "talent.search") == before + 1


def test_a_preferred_condition_is_a_marked_chip_and_filters_no_one(env: str) -> None:
    sentence = "서울 경력 2년 이상, 대졸 우대"
    at = _run(TALENT, user_dict("counsellor"), **{"talent.mode": "sentence", "talent.sentence": sentence})
    assert not at.exception
    assert at.multiselect[0].value == ["지역: 서울", "경력: 2년 이상", "학력: 대졸 이상 (우대)"]
    assert any("‘(우대)’ 조건은 후보를 거르지 않습니다" in c.value for c in at.caption)
    assert "후보 1" in texts(at)
    required = _run(TALENT, user_dict("counsellor"), **{"talent.mode": "sentence", "talent.sentence": "서울 경력 2년 이상"})
    assert at.metric[0].value == required.metric[0].value  # the pool 같은 시기 구직 중 is the same


def test_nonsense_is_refused_in_korean(env: str) -> None:
    at = _run(TALENT, user_dict("counsellor"), **{"talent.mode": "sentence", "talent.sentence": "ㅁㄴㅇㄹ asdf"})
    assert not at.exception
    assert any("찾는 인재를" in w.value for w in at.warning)
    assert "후보 1" not in texts(at)


def test_a_seeker_sees_jobs_for_them_and_it_is_logged(env: str, seeker_ids: dict[str, int]) -> None:
    seeker_id = next(iter(seeker_ids.values()))
    before = _logged(env, "talent.jobs")
    at = _run(JOBS, user_dict("seeker", seeker_id=seeker_id))
    assert not at.exception
    shown = texts(at)
    assert "추천 일자리" in shown and "AI 추천 결과입니다" in shown
    assert "채용 가능성" in shown
    assert _logged(env, "talent.jobs") == before + 1


@pytest.mark.parametrize(("path", "role"), [(TALENT, "seeker"), (JOBS, "employer"), (JOBS, "counsellor"),
                                            (JOBS, "policy")])
def test_other_roles_are_refused(env: str, path: str, role: str) -> None:
    at = _run(path, user_dict(role, 1 if role == "employer" else None, 1 if role == "seeker" else None))
    assert not at.exception
    assert "후보 1" not in texts(at) and "채용 가능성" not in texts(at)
    assert at.error or at.warning
