"""채용 시뮬레이터 through AppTest, on the small world with the hiring model and index built.

What the user sees and may do: only their own postings, a refusal for another employer's posting
(from session state or the URL), live what-if with audit logging, monotone hours, plans, similar
postings, scenarios; refusal for counsellors; a Korean warning when the model is not built.
"""

from __future__ import annotations

import json
import re
import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from components.guards import INVALID_REQUEST
from tests.conftest import copy_world_database
from tests.ui.helpers import (
    TIMEOUT,
    db_rows,
    db_scalar,
    frame_with,
    plotly_figures,
    plotly_values,
    run_page,
    texts,
    user_dict,
)

PAGE = "../../pages/hiring_simulator.py"
REFUSED = "다른 기업의 공고는 열 수 없습니다."
PROBABILITY = "채용확률(30일 내)"
DAYS = "예상 충원 기간"


def _employer(employer_id: int, username: str) -> dict[str, Any]:
    # one username per test: the audit rows of each test are counted apart (the database is shared)
    return {**user_dict("employer", employer_id), "username": username}


_scalar, _rows = db_scalar, db_rows


def _ids(url: str, sql: str, **params: Any) -> list[int]:
    return [int(r[0]) for r in _rows(url, sql, **params)]


def _audit_rows(url: str, username: str, action: str | None = None) -> int:
    if action is None:
        return int(_scalar(url, "select count(*) from audit_log where username=:u", u=username))
    return int(_scalar(url, "select count(*) from audit_log where username=:u and action=:a", u=username, a=action))


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _percent(at: AppTest) -> int:
    """The probability card's point estimate in % (``"57% (48–65%)"`` -> 57)."""
    value = _metric(at, PROBABILITY)
    match = re.fullmatch(r"(\d+)% \((\d+)–(\d+)%\)", value)
    assert match, value
    return int(match.group(1))


def _picker_ids(at: AppTest) -> set[int]:
    labels = at.selectbox(key="hiring.posting_id").options
    return {int(m.group(1)) for m in (re.match(r"#(\d+) · ", label) for label in labels) if m}


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def employer1(employer_ids: dict[str, int]) -> int:
    return employer_ids["employer1"]


def test_employer_sees_only_own_postings(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-own"))
    _no_exception(at)
    assert [t.value for t in at.title] == ["채용 시뮬레이터"]
    own = set(_ids(hiring_env, "select id from postings where employer_id=:e", e=employer1))
    assert own and _picker_ids(at) == own
    assert at.selectbox(key="hiring.posting_id").options[-1].startswith("새 공고 입력")
    # what the employer sees first: two metric cards with intervals, marked as AI output
    assert re.fullmatch(r"\d+% \(\d+–\d+%\)", _metric(at, PROBABILITY))
    assert re.fullmatch(r"약 \d+일 \(\d+–\d+일\)", _metric(at, DAYS))
    assert any(i.value.startswith("AI 예측 결과입니다 · 모델 버전 ") and "주요 근거 아래" in i.value for i in at.info)
    kinds = {f["data"][0]["type"] for f in plotly_figures(at)}
    assert {"waterfall", "scatter"} <= kinds
    # the opened posting was logged once; a rerun showing the same figures writes nothing
    assert _audit_rows(hiring_env, "sim-own", "hiring.predict") == 1
    assert _audit_rows(hiring_env, "sim-own", "hiring.similar") == 1  # the similar postings shown are logged too
    at.run()
    assert _audit_rows(hiring_env, "sim-own") == 2


@pytest.mark.parametrize("via", ["session_state", "query_param"])
def test_other_employers_posting_is_refused(hiring_env: str, employer1: int, via: str) -> None:
    foreign = _ids(hiring_env, "select id from postings where employer_id<>:e order by id limit 1", e=employer1)[0]
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _employer(employer1, f"sim-forged-{via}")
    if via == "session_state":
        at.session_state["hiring.posting_id"] = foreign
    else:
        at.query_params["posting"] = str(foreign)
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [REFUSED]
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    assert f"#{foreign}" not in texts(at)
    assert _audit_rows(hiring_env, f"sim-forged-{via}") == 0
    # the refusal is not sticky: the next run shows the employer's own postings again
    at.button(key="hiring.back").click().run()
    _no_exception(at)
    assert not at.error and _picker_ids(at)


ABSURD_IDS = [
    pytest.param("99999999999999999999", id="beyond-int64"),
    pytest.param("-1", id="negative"),
    pytest.param("1e9", id="exponent"),
    pytest.param("abc", id="letters"),
    pytest.param("7" * 10_000, id="10000-digits"),
]


@pytest.mark.parametrize("value", ABSURD_IDS)
@pytest.mark.parametrize("role", ["employer", "policy"])
def test_absurd_posting_id_in_the_url_is_refused_in_korean(hiring_env: str, employer1: int, role: str, value: str) -> None:
    username = f"sim-absurd-{role}-{len(value)}-{value[:3]}"
    user = _employer(employer1, username) if role == "employer" else {**user_dict("policy"), "username": username}
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    at.query_params["posting"] = value
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [INVALID_REQUEST]
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    assert value not in texts(at) and "posting" not in at.query_params
    assert _audit_rows(hiring_env, username) == 0
    at.button(key="hiring.back").click().run()  # the page's own way back
    _no_exception(at)
    assert not at.error and at.metric


def test_absurd_posting_id_in_session_state_is_refused(hiring_env: str, employer1: int) -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _employer(employer1, "sim-absurd-state")
    at.session_state["hiring.posting_id"] = 99_999_999_999_999_999_999
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [INVALID_REQUEST]
    assert not at.metric and _audit_rows(hiring_env, "sim-absurd-state") == 0


def test_wage_slider_updates_probability_and_audit_log(hiring_env: str, employer1: int) -> None:
    user = "sim-wage"
    at = run_page(PAGE, _employer(employer1, user))
    before = _metric(at, PROBABILITY)
    assert _audit_rows(hiring_env, user, "hiring.whatif") == 0
    wage = at.slider(key="hiring.whatif.wage")
    low, high = wage.min, wage.max
    wage.set_value(low).run()
    _no_exception(at)
    if _metric(at, PROBABILITY) == before:  # a posting at the minimum already: go up instead
        at.slider(key="hiring.whatif.wage").set_value(high).run()
    after = _metric(at, PROBABILITY)
    assert after != before
    delta = next(m.delta for m in at.metric if m.label == PROBABILITY)
    assert re.match(r"[+-]\d+\.\d%p \(게시 조건 \d+%\)", delta)
    whatif = _audit_rows(hiring_env, user, "hiring.whatif")
    assert whatif >= 1
    (name, version, input_hash, raw), = _rows(
        hiring_env, "select model_name, model_version, input_hash, output from audit_log "
        "where username=:u order by id desc limit 1", u=user,
    )
    output = raw if isinstance(raw, dict) else json.loads(raw)
    assert name == "hiring" and version and re.fullmatch(r"[0-9a-f]{64}", input_hash)
    assert f"{output['probability'] * 100:.0f}%" == after.split(" ")[0]
    # the same figures again (another rerun) add no row
    at.run()
    assert _audit_rows(hiring_env, user, "hiring.whatif") == whatif


def test_more_weekly_hours_never_raise_the_probability(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-hours"))
    own = _ids(hiring_env, "select id from postings where employer_id=:e order by open_date desc, id desc", e=employer1)
    wage_types = {int(i): t for i, t in _rows(hiring_env, "select id, wage_type from postings where employer_id=:e", e=employer1)}
    # the newest posting plus one monthly-wage posting (more hours lower its hourly rate as well)
    chosen = [own[0]] + [p for p in own if wage_types[p] == "monthly"][:1]
    for posting in dict.fromkeys(chosen):
        at.selectbox(key="hiring.posting_id").select(posting).run()
        _no_exception(at)
        seen = []
        for hours in (10.0, 20.0, 30.0, 40.0, 46.0, 52.0):
            at.slider(key="hiring.whatif.hours").set_value(hours).run()
            _no_exception(at)
            seen.append(_percent(at))
        assert all(b <= a for a, b in pairwise(seen)), (posting, seen)


def test_plan_button_shows_plans_or_the_reason(hiring_env: str, employer1: int) -> None:
    user = "sim-plan"
    at = run_page(PAGE, _employer(employer1, user))
    for target in (95, 50):
        at.slider(key="hiring.plan.target").set_value(target).run()
        at.button(key="hiring.plan.run").click().run()
        _no_exception(at)
        cards = [m.value for m in at.markdown if m.value.startswith("**방안 ")]
        reasons = [w.value for w in at.warning if "도달하는 방안이 없습니다" in w.value]
        assert cards or reasons, target
        if cards:
            verified = [m for m in at.metric if m.label == "검증된 채용확률"]
            assert len(verified) == len(cards)
            assert all(int(m.value.rstrip("%")) >= target for m in verified)
            assert all(m.value.endswith("만원") or m.value.endswith("원")
                       for m in at.metric if m.label.startswith("월 추가 비용"))
        else:
            assert f"목표 {target}%" in reasons[0]
    assert _audit_rows(hiring_env, user, "hiring.plan") == 2
    # a change of conditions makes the shown plans stale rather than wrong
    at.slider(key="hiring.whatif.hours").set_value(10.0).run()
    assert "‘방안 찾기’를 다시 누르세요" in texts(at)


def test_similar_postings_and_advice(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-similar"))
    similar = frame_with(at, "결과")
    assert similar is not None and 0 < len(similar) <= 10
    assert set(similar["결과"]) <= {"충원", "미충원", "결과 없음"}
    assert similar["월 환산 임금"].str.endswith("만원").all()
    assert similar["주당 근로시간"].str.endswith("시간").all()
    assert {"개선 조언", "유사 공고 10건", "목표 확률 달성 방안", "시나리오 저장·비교"} <= {s.value for s in at.subheader}
    curve = next(f for f in plotly_figures(at) if any(t.get("name") == "현재 조건" for t in f["data"]))
    marker = next(t for t in curve["data"] if t.get("name") == "현재 조건")
    assert len(plotly_values(marker["x"])) == 1


def test_scenarios_are_saved_compared_and_deleted(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-scenario"))
    at.slider(key="hiring.whatif.hours").set_value(30.0).run()
    at.text_input(key="hiring.scenario.name").input("주 30시간 안").run()
    at.button(key="hiring.scenario.save").click().run()
    _no_exception(at)
    assert any("주 30시간 안" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "주 30시간 안" in d.value.columns)
    # the model's figures are the first rows, next to the pinned row names (a narrow screen shows them)
    assert table["항목"].tolist()[:2] == ["채용확률(30일 내)", "예상 채용 소요일"]
    assert table.set_index("항목").loc["주당 근로시간", "주 30시간 안"] == "주 30시간"
    assert _scenarios(hiring_env, employer1) == 1
    at.selectbox(key="hiring.scenario.delete").select(at.selectbox(key="hiring.scenario.delete").options[0])
    at.button(key="hiring.scenario.delete_button").click().run()
    _no_exception(at)
    assert "시나리오를 삭제했습니다." in [s.value for s in at.success]
    assert not any("주 30시간 안" in d.value.columns for d in at.dataframe)
    assert _scenarios(hiring_env, employer1) == 0


def _scenarios(url: str, employer_id: int) -> int:
    return int(_scalar(url, "select count(*) from hiring_scenarios where employer_id=:e", e=employer_id))


def test_policy_role_opens_any_posting_and_a_new_one(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, {**user_dict("policy"), "username": "sim-policy"})
    _no_exception(at)
    assert at.selectbox(key="hiring.occupation_filter")  # every posting: narrowed by occupation first
    foreign = _ids(hiring_env, "select id from postings where employer_id<>:e order by id desc limit 1", e=employer1)[0]
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = {**user_dict("policy"), "username": "sim-policy"}
    at.query_params["posting"] = str(foreign)
    at.run()
    _no_exception(at)
    assert not at.error and at.selectbox(key="hiring.posting_id").value == foreign
    at.selectbox(key="hiring.posting_id").select("new").run()
    _no_exception(at)
    assert "새 공고 기본 조건" in texts(at)
    assert re.fullmatch(r"\d+% \(\d+–\d+%\)", _metric(at, PROBABILITY))
    assert "시나리오 저장은 구인기업 계정에서 사용할 수 있습니다." in texts(at)


def test_counsellor_is_refused(hiring_env: str) -> None:
    at = run_page(PAGE, user_dict("counsellor"))
    _no_exception(at)
    assert [e.value for e in at.error] == ["이 화면은 구인기업, 정책·운영 전용입니다. 현재 역할: 직업상담사"]
    assert not at.title and not at.metric


def test_missing_model_names_the_build_command(app_env: None, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-nomodel"))
    _no_exception(at)
    assert [t.value for t in at.title] == ["채용 시뮬레이터"]
    assert any("python -m app build" in w.value for w in at.warning)
    assert not at.metric


def test_missing_similar_index_is_an_info_box(
    hiring_env: str, hiring_built: tuple[str, Path], employer1: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    shutil.copytree(hiring_built[1], models)
    manifest = json.loads((models / "manifest.json").read_text(encoding="utf-8"))
    manifest["models"].pop("postings_index", None)
    (models / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models))
    get_settings.cache_clear()
    at = run_page(PAGE, _employer(employer1, "sim-noindex"))
    _no_exception(at)
    assert any("유사 공고 색인이 아직 없어" in i.value and "python -m app build" in i.value for i in at.info)
    assert frame_with(at, "결과") is None
    assert at.metric  # the rest of the page works without the index


# --------------------------------------------------------------------------- the hiring loop


@pytest.fixture
def private_db(hiring_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the built world for tests that change postings (the shared one stays as it was)."""
    url = f"sqlite:///{copy_world_database(hiring_env, tmp_path / 'loop.db')}"
    monkeypatch.setenv("GOYONG_DB_URL", url)
    get_settings.cache_clear()
    return url


def test_whatif_applied_to_the_posting_is_a_new_verified_version(private_db: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-apply"))
    _no_exception(at)
    posting = int(at.selectbox(key="hiring.posting_id").value)
    assert not _has_button(at, "hiring.apply.whatif")  # nothing changed yet: nothing to apply
    assert "아직 수정한 적이 없습니다" in texts(at)
    before = int(_scalar(private_db, "select wage_amount from postings where id=:p", p=posting))
    wage = at.slider(key="hiring.whatif.wage")
    raised = min(int(wage.value) + 20 * int(wage.step), int(wage.max))
    wage.set_value(raised).run()
    at.button(key="hiring.apply.whatif").click().run()
    _no_exception(at)
    shown = [s.value for s in at.success] + [w.value for w in at.warning]
    assert any("2번째 버전" in text for text in shown), shown
    status = _scalar(private_db, "select status from posting_versions where posting_id=:p and version=2", p=posting)
    assert status in ("current", "pending")
    stored = int(_scalar(private_db, "select wage_amount from postings where id=:p", p=posting))
    assert stored == (raised if status == "current" else before)
    history = frame_with(at, "바뀐 내용")
    assert history is not None and history["버전"].tolist() == [2, 1]
    assert history["상태"].tolist()[0] == ("게시 중" if status == "current" else "검토 대기")
    assert history["바뀐 내용"].iloc[0].startswith("임금: ")
    assert _audit_rows(private_db, "sim-apply", "hiring.apply") == 1
    if status == "current":  # the page now opens the new version: the what-if starts from it
        assert "게시 조건" in texts(at) and at.slider(key="hiring.whatif.wage").value == raised


def _has_button(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)


def test_staff_cannot_apply_or_request_consulting(hiring_env: str, employer1: int) -> None:
    at = run_page(PAGE, {**user_dict("policy"), "username": "sim-policy-apply"})
    _no_exception(at)
    at.slider(key="hiring.whatif.hours").set_value(30.0).run()
    assert not _has_button(at, "hiring.apply.whatif")
    assert "채용 컨설팅 신청" not in {s.value for s in at.subheader}


def test_consulting_request_from_the_simulator(private_db: str, employer1: int) -> None:
    at = run_page(PAGE, _employer(employer1, "sim-consult"))
    posting = int(at.selectbox(key="hiring.posting_id").value)
    assert "채용 컨설팅 신청" in {s.value for s in at.subheader}
    submit = next(b for b in at.button if b.label == "채용 컨설팅 신청")
    at.text_area(key="hiring.consult.reason").input("지원")  # too short: refused, nothing stored
    submit.click().run()
    _no_exception(at)
    assert any("5자 이상" in e.value for e in at.error)
    assert int(_scalar(private_db, "select count(*) from consulting_cases")) == 0
    at.text_area(key="hiring.consult.reason").input("3주째 지원자가 없습니다. 연락처 010-2345-6789")
    at.text_input(key="hiring.consult.contact").input("평일 오후")
    next(b for b in at.button if b.label == "채용 컨설팅 신청").click().run()
    _no_exception(at)
    assert any("채용 컨설팅을 신청했습니다" in s.value for s in at.success)
    (case_posting, status, reason), = _rows(private_db, "select posting_id, status, reason from consulting_cases")
    assert (int(case_posting), status) == (posting, "received") and "010-2345-6789" not in reason
    assert any("채용 컨설팅 사례 #" in i.value and "접수" in i.value for i in at.info)
    cases = frame_with(at, "채용 여부")
    assert cases is not None and cases["상태"].tolist() == ["접수"] and "기업" not in cases.columns
