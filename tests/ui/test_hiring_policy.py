"""채용 위험 공고 현황 (policy only) through AppTest: distributions by occupation and region, the
at-risk list with its CSV, and the audit log of model outputs (no personal data)."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from tests.ui.helpers import chart_titles, frame_with, plotly_figures, plotly_values, run_page, texts, user_dict

PAGE = "../../pages/hiring_policy.py"
SIMULATOR = "../../pages/hiring_simulator.py"
PII_WORDS = ("이름", "성명", "주민", "전화", "연락처", "이메일", "주소", "생년월일")


def _policy(username: str = "policy-view") -> dict:
    return {**user_dict("policy"), "username": username}


def _n_postings(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("select count(*) from postings")).scalar_one())
    engine.dispose()
    return n


def test_policy_page_renders_distributions_and_lists(hiring_env: str) -> None:
    at = run_page(PAGE, _policy())
    assert not at.exception
    assert [t.value for t in at.title] == ["채용 위험 공고 현황"]
    values = {m.label: m.value for m in at.metric}
    assert values["예측한 공고"] == f"{_n_postings(hiring_env):,}건"
    assert re.fullmatch(r"\d+%", values["평균 채용확률(30일 내)"])
    assert any(i.value.startswith("AI 예측 결과입니다 · 모델 버전 ") for i in at.info)
    assert chart_titles(at) == ["직종(중분류)별 예측 채용확률 분포", "지역별 예측 채용확률 분포"]
    boxes = plotly_figures(at)
    assert all(f["data"][0]["type"] == "box" for f in boxes)
    # drawn from each group's statistics (a national world has too many postings to send each one)
    box = boxes[0]["data"][0]
    low, q1, median, q3, high = (plotly_values(box[k]) for k in ("lowerfence", "q1", "median", "q3", "upperfence"))
    assert all(0.0 <= a <= b <= c <= d <= e <= 1.0 for a, b, c, d, e in zip(low, q1, median, q3, high, strict=True))
    counts = [int(t.rsplit("(", 1)[1].removesuffix("건)").replace(",", "")) for t in boxes[0]["layout"]["yaxis"]["ticktext"]]
    assert len(counts) == len(median) and sum(counts) == _n_postings(hiring_env)
    occupation = frame_with(at, "직종(중분류)")
    region = frame_with(at, "지역")
    assert occupation is not None and region is not None and len(region) > 1
    assert occupation["공고 수"].str.replace(",", "").str.removesuffix("건").astype(int).sum() == _n_postings(hiring_env)
    assert [s.value for s in at.subheader] == ["채용확률 분포", "채용 위험 공고", "채용 컨설팅 사례", "AI 출력 감사 로그"]


def test_threshold_slider_changes_the_at_risk_list_and_csv(hiring_env: str) -> None:
    at = run_page(PAGE, _policy("policy-threshold"))
    at.slider(key="hiring_policy.threshold").set_value(90).run()
    assert not at.exception
    risky = frame_with(at, "채용확률(30일 내)")
    assert risky is not None and len(risky) > 0
    shown = risky["채용확률(30일 내)"].str.removesuffix("%").astype(int)
    assert (shown <= 90).all() and shown.is_monotonic_increasing  # least likely first
    assert at.metric[2].label == "위험 공고 (채용확률 90% 미만)"
    assert at.metric[2].value == f"{len(risky):,}건"
    occupation = frame_with(at, "직종(중분류)")
    assert occupation is not None and "위험 공고 비율(90% 미만)" in occupation.columns
    (download,) = at.download_button
    assert download.label == "CSV 내려받기" and download.key == "hiring_policy.risk.csv"
    at.slider(key="hiring_policy.threshold").set_value(10).run()
    fewer = frame_with(at, "채용확률(30일 내)")
    assert fewer is not None and len(fewer) < len(risky)


def test_audit_log_lists_shown_outputs_without_personal_data(hiring_env: str, employer_ids: dict[str, int]) -> None:
    employer = {**user_dict("employer", employer_ids["employer2"]), "username": "audit-employer"}
    simulator = run_page(SIMULATOR, employer)
    assert not simulator.exception and simulator.metric
    at = run_page(PAGE, _policy("policy-audit"))
    assert not at.exception
    audit = frame_with(at, "입력 해시")
    assert audit is not None
    assert list(audit.columns) == ["시각(KST)", "사용자", "역할", "동작", "모델", "모델 버전", "입력 해시", "출력"]
    mine = audit[audit["사용자"] == "audit-employer"]
    # Korean action names; the similar postings shown are logged too
    assert sorted(mine["동작"]) == ["채용 시뮬레이터 — 유사 공고", "채용 시뮬레이터 — 채용확률 예측"]
    mine = mine[mine["동작"] == "채용 시뮬레이터 — 채용확률 예측"]
    assert mine["역할"].iloc[0] == "구인기업" and mine["모델"].iloc[0] == "채용성공 예측모델"
    assert re.fullmatch(r"채용확률 \d+%", mine["출력"].iloc[0])
    assert audit["입력 해시"].str.fullmatch(r"[0-9a-f]{12}…").all()
    assert not any(word in column for column in audit.columns for word in PII_WORDS)
    cells = " ".join(str(v) for v in audit.to_numpy().ravel())
    assert "@" not in cells and "010-" not in cells
    # the policy view's own output is logged too
    assert "채용 위험 공고 현황 조회" in set(audit["동작"])
    assert "감사 로그" in texts(at)


@pytest.mark.parametrize(("role", "label"), [("employer", "구인기업"), ("counsellor", "직업상담사")])
def test_other_roles_are_refused(hiring_env: str, employer_ids: dict[str, int], role: str, label: str) -> None:
    user = user_dict(role, employer_ids["employer1"] if role == "employer" else None)
    at = run_page(PAGE, user)
    assert not at.exception
    assert [e.value for e in at.error] == [f"이 화면은 정책·운영 전용입니다. 현재 역할: {label}"]
    assert not at.title and not at.dataframe and not at.download_button


def test_missing_model_names_the_build_command(app_env: None) -> None:
    at = run_page(PAGE, _policy("policy-nomodel"))
    assert not at.exception
    assert [t.value for t in at.title] == ["채용 위험 공고 현황"]
    assert any("python -m app build" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe


def test_risk_table_matches_the_service(hiring_env: str, hiring_built: tuple) -> None:
    """The page lists exactly the service's at-risk postings, in its order."""
    from pathlib import Path

    from app.db.engine import make_engine
    from app.ml.hiring import load_hiring_model
    from app.services import hiring

    url, models = hiring_built
    engine = make_engine(url)
    scored = hiring.score_all_postings(engine, load_hiring_model(Path(models)))
    engine.dispose()
    expected = hiring.at_risk_postings(scored, 0.7)
    at = run_page(PAGE, _policy("policy-match"))
    at.slider(key="hiring_policy.threshold").set_value(70).run()
    risky = frame_with(at, "공고 번호")
    assert risky["공고 번호"].tolist() == expected["id"].head(len(risky)).tolist()
    assert len(risky) == min(len(expected), 2_000)
    # the CSV behind the download button: every at-risk row, Korean headers, UTF-8 with BOM for Excel
    from app.services.explorer import to_csv_bytes
    from components.hiring import risk_table

    data = to_csv_bytes(risk_table(expected))
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["공고 번호"].tolist() == expected["id"].tolist()
    assert back["월 환산 임금"].str.endswith("만원").all()


def test_page_figures_equal_every_row_in_pandas(hiring_env: str, hiring_built: tuple) -> None:
    """Tiles, group tables, the at-risk count and the audit row's input are those of the pandas path
    over every scored posting (what the page computed before it read the stored summary)."""
    from pathlib import Path

    from app.db.engine import make_engine
    from app.ml.hiring import load_hiring_model
    from app.services import hiring
    from app.text.korean import format_count, format_rate
    from components.audit import input_hash_of
    from components.hiring import group_table

    url, models = hiring_built
    model = load_hiring_model(Path(models))
    engine = make_engine(url)
    scored = hiring.score_all_postings(engine, model)
    engine.dispose()
    at = run_page(PAGE, _policy("policy-figures"))
    at.slider(key="hiring_policy.threshold").set_value(55).run()
    assert not at.exception
    risky = hiring.at_risk_postings(scored, 0.55)
    values = {m.label: m.value for m in at.metric}
    assert values == {
        "예측한 공고": format_count(len(scored), "건"),
        "평균 채용확률(30일 내)": format_rate(float(scored["probability"].mean()), decimals=0),
        "위험 공고 (채용확률 55% 미만)": format_count(len(risky), "건"),
        "예상 충원 기간(중앙값)": f"약 {float(scored['days'].median()):.0f}일",
    }
    for by, column in (("occupation", "직종(중분류)"), ("region", "지역")):
        expected = group_table(hiring.fill_probability_by(scored, by, 0.55), label=column)
        pd.testing.assert_frame_equal(frame_with(at, column).reset_index(drop=True), expected, check_dtype=False)
    # the same audit row as before: its input hash is made of the same figures
    expected_hash = input_hash_of("policy", str(model.version), len(scored), round(float(scored["probability"].sum()), 6),
                                  0.55)
    engine = create_engine(url)
    with engine.connect() as conn:
        outputs = conn.execute(text("select output from audit_log where action = 'hiring.policy' and input_hash = :h"),
                               {"h": expected_hash}).scalars().all()
    engine.dispose()
    outputs = [json.loads(o) if isinstance(o, str) else o for o in outputs]
    assert outputs and {o["n_at_risk"] for o in outputs} == {len(risky)}


def test_a_long_at_risk_list_shows_one_page_and_counts_every_posting(hiring_env: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """More at-risk postings than one page: the first page is read and shown, the count is every one
    (the CSV of all of them is made only when the button is clicked)."""
    from components import display

    monkeypatch.setattr(display, "MAX_TABLE_ROWS", 5)
    at = run_page(PAGE, _policy("policy-page"))
    at.slider(key="hiring_policy.threshold").set_value(90).run()
    assert not at.exception
    risky = frame_with(at, "채용확률(30일 내)")
    n_at_risk = int(at.metric[2].value.removesuffix("건").replace(",", ""))
    assert len(risky) == 5 < n_at_risk
    assert f"검색 결과 {n_at_risk:,}건 중 앞 5건만 표시합니다 (CSV에는 전체 포함)." in texts(at)
    assert [b.key for b in at.download_button] == ["hiring_policy.risk.csv"]
    assert len(at.selectbox(key="hiring_policy.open.posting").options) == 5


# --------------------------------------------------------------------------- consulting cases


@pytest.fixture
def private_policy_db(hiring_env: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    from app.config import get_settings
    from tests.conftest import copy_world_database

    url = f"sqlite:///{copy_world_database(hiring_env, tmp_path / 'cases.db')}"
    monkeypatch.setenv("GOYONG_DB_URL", url)
    get_settings.cache_clear()
    return url


def _scalar(url: str, sql: str, **params: object) -> object:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar()
    engine.dispose()
    return value


def test_staff_open_assign_note_and_close_a_case_from_the_at_risk_list(private_policy_db: str) -> None:
    at = run_page(PAGE, _policy("policy-cases"))
    assert not at.exception
    assert "채용 컨설팅 사례" in {s.value for s in at.subheader}
    assert "채용 컨설팅 사례가 없습니다." in texts(at)
    at.slider(key="hiring_policy.threshold").set_value(90).run()  # the small world: enough postings at risk
    posting = int(at.selectbox(key="hiring_policy.open.posting").value)
    # open it in the simulator: the posting is handed over (the simulator is not part of this run)
    at.button(key="hiring_policy.open.simulator").click().run()
    assert not at.exception and at.session_state["hiring.posting_id"] == posting
    at.text_input(key="hiring_policy.open.reason").input("예측 채용확률이 낮아 조건 상담 권유")
    next(b for b in at.button if b.label == "채용 컨설팅 사례 열기").click().run()
    assert not at.exception
    assert any(f"공고 #{posting}의 채용 컨설팅 사례" in s.value for s in at.success)
    cases = frame_with(at, "채용 여부")
    assert cases is not None and cases["상태"].tolist() == ["접수"] and cases["담당자"].tolist() == ["미배정"]
    assert cases["신청"].tolist() == ["정책·운영"]
    at.button(key="hiring_policy.case.assign").click().run()
    assert not at.exception
    assert frame_with(at, "채용 여부")["상태"].tolist() == ["배정"]
    at.text_area(key="hiring_policy.case.note").input("임금 인상안을 안내함")
    at.selectbox(key="hiring_policy.case.status").set_value("closed")
    at.text_input(key="hiring_policy.case.outcome").input("월급 20만원 인상 후 재게시")
    next(b for b in at.button if b.label == "기록 저장").click().run()
    assert not at.exception
    row = frame_with(at, "채용 여부").iloc[0]
    assert (row["상태"], row["결과"]) == ("종료", "월급 20만원 인상 후 재게시")
    filled = _scalar(private_policy_db, "select filled from posting_outcomes where posting_id=:p", p=posting)
    assert row["채용 여부"].startswith("결과 미확정" if filled is None else ("채용됨" if filled else "미채용"))
    notes = frame_with(at, "기록")
    assert notes is not None and notes["상태"].tolist() == ["배정", "종료"]
    assert not any("T" in v and ":" in v and v.endswith("Z") for v in notes["시각(KST)"])
    assert _scalar(private_policy_db, "select status from consulting_cases") == "closed"
