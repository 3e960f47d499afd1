"""직업흥미검사 (seekers and counsellors), the profile's 직업흥미검사 section and 흥미검사 문항은행 현황
(policy) through AppTest, on a private copy of the small world with every artifact built.

A seeker answers the work-environment part and adaptive items (progress, the item changing, answers
and answer times stored), pauses and resumes where they stopped, restarts only after confirming; a
finished result shows the Holland code, five occupations, the AI notice and the report, each
logged for both models first; a counsellor administers the test to a seeker of the caseload and
sees the result on the profile; policy staff see the bank's health; other roles are refused and a
seeker never reaches another seeker's test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from app.db.engine import make_engine
from app.errors import AccessDenied
from app.services import interest
from tests.ui.helpers import db_rows, db_scalar, point_settings_at_built_copy, run_page, texts
from tests.ui.test_korean_only import _visible_text, internal_identifiers

TEST = "../../pages/interest_test.py"
POLICY = "../../pages/interest_policy.py"
PROFILE = "../../pages/employment_profile.py"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path,
        tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a private copy of the built world (the pages write sessions and audit rows)."""
    yield point_settings_at_built_copy(monkeypatch, hiring_built, users_file, tmp_path / "interest.db")


@pytest.fixture
def engine(env: str) -> Iterator[Engine]:
    engine = make_engine(env)
    yield engine
    engine.dispose()


@pytest.fixture
def models(hiring_built: tuple[str, Path]) -> tuple[interest.InterestTestModel, interest.OccupationFit]:
    _, folder = hiring_built
    return interest.load_interest_test(folder), interest.load_occupation_fit(folder)


def _seeker(seeker_id: int, username: str = "seeker-interest") -> dict[str, Any]:
    return {"username": username, "display_name": "구직자", "role": "seeker", "employer_id": None,
            "seeker_id": seeker_id}


def _user(role: str, username: str | None = None, employer_id: int | None = None) -> dict[str, Any]:
    return {"username": username or f"{role}-interest", "display_name": role, "role": role,
            "employer_id": employer_id}


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _progress(at: AppTest) -> list[str]:
    return [el.proto.text for el in at.get("progress")]


def _question(at: AppTest) -> str:
    """The item on screen (its bold markdown line ``**n. text**``)."""
    (line,) = [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value and "—" not in m.value]
    return line


def _answer(at: AppTest, response: int) -> AppTest:
    at.radio[0].set_value(response)
    next(b for b in at.button if b.label == "다음").click()
    at.run()
    _no_exception(at)
    return at


def _finish(engine: Engine, models: tuple, seeker_id: int, **start: Any) -> interest.InterestResult:
    """Take a whole test through the service (answers alternate by item), returning its result."""
    model, fit = models
    session = interest.start_or_resume(engine, model, seeker_id, **start)
    state = interest.current_state(engine, model, fit, session, seeker_id)
    while state.result is None:
        question = state.question
        state = interest.submit_answer(engine, model, fit, session, seeker_id, question.item_id,
                                       5 if question.item_id % 3 else 2, seconds_taken=4.0)
    return state.result


def _audit(url: str, username: str, action: str) -> list[tuple]:
    return db_rows(url, "select model_name, model_version, output from audit_log where username=:u and action=:a "
                        "order by model_name", u=username, a=action)


# --------------------------------------------------------------------------- taking the test


def test_a_seeker_answers_the_environment_part_then_adaptive_items_pauses_and_resumes(
        env: str, engine: Engine, seeker_ids: dict[str, int], models: tuple) -> None:
    seeker = seeker_ids["seeker1"]
    environment_total = len(models[0].environment_items)
    at = run_page(TEST, _seeker(seeker))
    _no_exception(at)
    assert [t.value for t in at.title] == ["직업흥미검사"]
    assert [b.label for b in at.button] == ["검사 시작"]
    assert db_scalar(env, "select count(*) from interest_sessions where seeker_id=:s", s=seeker) == 0

    at.button(key="interest.start").click().run()
    _no_exception(at)
    assert _progress(at) == [f"업무 환경 선호 1/{environment_total}"]
    assert [r.options for r in at.radio] == [["전혀 원하지 않는다", "원하지 않는다", "보통이다", "원한다", "매우 원한다"]]
    seen = [_question(at)]
    for position in range(2, environment_total + 4):
        _answer(at, 4 if position % 2 else 2)
        seen.append(_question(at))
        assert seen[-1].startswith(f"**{position}. ") and seen[-1] != seen[-2]
        if position <= environment_total:
            assert _progress(at) == [f"업무 환경 선호 {position}/{environment_total}"]
    # past the environment part the bar shows how stable the result is
    (bar,) = _progress(at)
    assert bar.startswith("결과 안정도 ") and bar.endswith("· 흥미 문항 2개 응답")
    answered = environment_total + 2
    session = db_scalar(env, "select id from interest_sessions where seeker_id=:s and status='in_progress'", s=seeker)
    rows = db_rows(env, "select position, response, seconds_taken from interest_answers where session_id=:i "
                        "order by position", i=session)
    assert [r[0] for r in rows] == list(range(1, answered + 1))
    assert [r[1] for r in rows] == [4 if (p + 1) % 2 else 2 for p in range(1, answered + 1)]
    assert all(r[2] is not None and 0 <= r[2] < 600 for r in rows)  # the time each item was on screen

    at.button(key="interest.pause").click().run()
    _no_exception(at)
    assert "언제든 이 화면에서 '이어서 하기'를 눌러" in texts(at)
    assert not at.radio and [b.label for b in at.button] == ["이어서 하기", "처음부터 다시"]

    # another visit (a new browser session) continues at the same item
    again = run_page(TEST, _seeker(seeker))
    _no_exception(again)
    assert f"지금까지 {answered}문항에 응답했습니다" in texts(again)
    again.button(key="interest.resume").click().run()
    _no_exception(again)
    assert _question(again) == seen[-1]
    _answer(again, 3)
    assert _question(again).startswith(f"**{answered + 2}. ")
    assert db_scalar(env, "select count(*) from interest_answers where session_id=:i", i=session) == answered + 1
    assert db_scalar(env, "select count(*) from interest_sessions where seeker_id=:s", s=seeker) == 1


def test_starting_again_asks_first_and_sets_the_answers_aside(env: str, seeker_ids: dict[str, int]) -> None:
    seeker = seeker_ids["seeker2"]
    at = run_page(TEST, _seeker(seeker))
    at.button(key="interest.start").click().run()
    _answer(_answer(at, 5), 1)
    first = db_scalar(env, "select id from interest_sessions where seeker_id=:s", s=seeker)

    at.button(key="interest.restart").click().run()
    _no_exception(at)
    assert "첫 문항부터 새로 시작합니다. 계속할까요?" in texts(at)
    at.button(key="interest.restart.no").click().run()
    assert db_scalar(env, "select count(*) from interest_sessions where seeker_id=:s", s=seeker) == 1

    at.button(key="interest.restart").click().run()
    at.button(key="interest.restart.yes").click().run()
    _no_exception(at)
    assert "새 검사를 시작했습니다" in texts(at) and _question(at).startswith("**1. ")
    assert db_rows(env, "select id, status from interest_sessions where seeker_id=:s order by id", s=seeker) == [
        (first, "abandoned"), (first + 1, "in_progress")]


# --------------------------------------------------------------------------- the result


def test_a_finished_test_shows_code_occupations_notice_report_and_is_logged_first(
        env: str, engine: Engine, seeker_ids: dict[str, int], models: tuple) -> None:
    seeker = seeker_ids["seeker3"]
    earlier = _finish(engine, models, seeker)
    result = _finish(engine, models, seeker)
    at = run_page(TEST, _seeker(seeker, "seeker-result"))
    _no_exception(at)
    shown = texts(at)
    assert "검사 결과" in shown and result.holland_label in [m.value for m in at.metric]
    assert len(result.occupations) == 5
    for occupation in result.occupations:
        assert f"**{occupation.rank}. " in shown and occupation.wage_label.split(" ")[0] in shown
        assert f"지금 모집 중인 공고 {occupation.postings_open:,}건" in shown
    (notice,) = [i.value for i in at.info if "AI 검사 결과입니다" in i.value]
    assert f"적응형 직업흥미검사 모델 {result.model_versions[interest.MODEL_NAME]}" in notice
    assert f"직업 적합도 모델 {result.model_versions[interest.FIT_MODEL_NAME]}" in notice
    assert f"흥미 문항 {len(models[0].item_ids):,}개 중 {result.items_used}개 + 업무 환경 " in shown
    (download,) = at.get("download_button")
    assert download.proto.label == "결과 보고서 내려받기 (CSV)"
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    profile = figures[0]["data"][0]
    assert list(profile["x"]) == [s.name for s in result.scales]
    assert "error_y" in profile
    # both earlier and latest results side by side
    history = next(d.value for d in at.dataframe if "흥미 코드" in d.value.columns)
    assert history["흥미 코드"].tolist() == [earlier.holland_label, result.holland_label]

    rows = _audit(env, "seeker-result", "interest.result")
    assert [(r[0], r[1]) for r in rows] == sorted(
        [(interest.FIT_MODEL_NAME, result.model_versions[interest.FIT_MODEL_NAME]),
         (interest.MODEL_NAME, result.model_versions[interest.MODEL_NAME])])
    assert json.loads(rows[0][2])["holland_code"] == result.holland_code
    at.run()  # the same result again writes nothing
    assert len(_audit(env, "seeker-result", "interest.result")) == 2
    assert internal_identifiers(_visible_text(at)) == []


def test_no_audit_row_means_no_result(env: str, engine: Engine, seeker_ids: dict[str, int], models: tuple,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import audit

    seeker = seeker_ids["seeker3"]
    result = _finish(engine, models, seeker)

    def unavailable(*args: Any, **kwargs: Any) -> None:
        raise audit.AuditUnavailable("감사 로그를 기록할 수 없습니다.")

    monkeypatch.setattr(audit, "log_model_output", unavailable)
    at = run_page(TEST, _seeker(seeker, "seeker-nolog"))
    _no_exception(at)
    assert at.error and not at.metric and not at.get("download_button") and not at.get("plotly_chart")
    assert result.holland_label not in texts(at)


# --------------------------------------------------------------------------- counsellor


def test_a_counsellor_administers_the_test_and_sees_it_on_the_profile(
        env: str, engine: Engine, models: tuple) -> None:
    counsellor = _user("counsellor", "counsellor-interest")
    at = run_page(TEST, counsellor)
    _no_exception(at)
    seeker = int(at.selectbox[0].value)  # the caseload picker the profile page uses
    at.button(key="interest.start").click().run()
    _answer(_answer(at, 3), 4)
    assert db_rows(env, "select mode, administered_by from interest_sessions where seeker_id=:s", s=seeker) == [
        (interest.COUNSELLOR, "counsellor-interest")]
    assert db_scalar(env, "select count(*) from interest_answers a join interest_sessions s on s.id=a.session_id "
                          "where s.seeker_id=:s", s=seeker) == 2

    result = _finish(engine, models, seeker)  # the open session goes on to the end
    assert result.mode == interest.COUNSELLOR
    profile = AppTest.from_file(PROFILE, default_timeout=60)
    profile.session_state["auth.user"] = counsellor
    profile.query_params["seeker"] = str(seeker)
    profile.run()
    _no_exception(profile)
    assert "직업흥미검사" in [s.value for s in profile.subheader]
    assert result.holland_label in [m.value for m in profile.metric]
    shown = texts(profile)
    assert all(f"**{o.rank}. " in shown for o in result.occupations)
    (answers_label,) = [e.label for e in profile.expander if "이 검사의 응답" in e.label]
    assert answers_label == f"이 검사의 응답 {result.items_used + result.environment_items}개 (물은 순서대로)"
    answers = next(d.value for d in profile.dataframe if "응답" in d.value.columns and "문항" in d.value.columns)
    assert len(answers) == result.items_used + result.environment_items
    assert answers["순서"].tolist() == list(range(1, len(answers) + 1))
    assert any(b.label == "이 구직자와 직업흥미검사 다시 하기" for b in profile.button)
    assert len(_audit(env, "counsellor-interest", "interest.profile")) == 2


# --------------------------------------------------------------------------- policy


def test_policy_staff_see_the_item_banks_health(env: str, engine: Engine, seeker_ids: dict[str, int],
                                                models: tuple) -> None:
    _finish(engine, models, seeker_ids["seeker1"])
    model, fit = models
    health = interest.bank_health(engine, model, fit)
    at = run_page(POLICY, _user("policy", "policy-interest"))
    _no_exception(at)
    assert [t.value for t in at.title] == ["흥미검사 문항은행 현황"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["흥미 문항"] == f"{len(health.items):,}개"
    assert metrics["한 번도 쓰이지 않은 문항"] == f"{health.never_used:,}개"
    assert metrics["노출 상한 초과"] == f"{health.over_cap:,}개"
    assert metrics["끝난 검사"] == "1건"
    assert metrics["최고 유형 일치율"] == f"{health.simulated['simulated_top1_agreement'] * 100:.1f}%"
    assert f"평균 **{health.length.mean_items:.1f}문항**" in texts(at)
    items = next(d.value for d in at.dataframe if "노출률" in d.value.columns)
    assert len(items) == len(health.items) and "문항코드" not in items.columns
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles == ["유형별 문항 정보량 (점: 문항, 막대: 평균)", "문항별 노출률과 상한",
                      "직업 적합도에 영향이 큰 영역 (평균 기여 크기)"]
    assert len(_audit(env, "policy-interest", "interest.policy")) == 2
    assert internal_identifiers(_visible_text(at)) == []


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("page", "role", "message"), [
    (TEST, "employer", "이 화면은 직업상담사, 구직자 전용입니다. 현재 역할: 구인기업"),
    (TEST, "policy", "이 화면은 직업상담사, 구직자 전용입니다. 현재 역할: 정책·운영"),
    (POLICY, "employer", "이 화면은 정책·운영 전용입니다. 현재 역할: 구인기업"),
    (POLICY, "counsellor", "이 화면은 정책·운영 전용입니다. 현재 역할: 직업상담사"),
    (POLICY, "seeker", "이 화면은 정책·운영 전용입니다. 현재 역할: 구직자"),
])
def test_other_roles_are_refused(env: str, seeker_ids: dict[str, int], page: str, role: str, message: str) -> None:
    user = _seeker(seeker_ids["seeker1"]) if role == "seeker" else _user(role, employer_id=1 if role == "employer" else None)
    at = run_page(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.button and not at.metric


def test_a_seeker_never_reaches_another_seekers_test(env: str, engine: Engine, seeker_ids: dict[str, int],
                                                     models: tuple) -> None:
    other = _finish(engine, models, seeker_ids["seeker2"])
    mine = seeker_ids["seeker1"]
    at = AppTest.from_file(TEST, default_timeout=60)
    at.session_state["auth.user"] = _seeker(mine, "seeker-forged")
    at.query_params["seeker"] = str(other.seeker_id)  # ignored: a seeker's page reads only their own test
    at.run()
    _no_exception(at)
    assert [b.label for b in at.button] == ["검사 시작"] and not at.metric
    assert other.holland_label not in texts(at)
    assert _audit(env, "seeker-forged", "interest.result") == []
    at.button(key="interest.start").click().run()
    assert db_scalar(env, "select count(*) from interest_sessions where seeker_id=:s", s=mine) == 1
    # the service refuses another seeker's session outright
    model, fit = models
    with pytest.raises(AccessDenied):
        interest.current_state(engine, model, fit, other.session_id, mine)
