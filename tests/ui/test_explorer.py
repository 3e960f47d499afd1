"""데이터 탐색기 through AppTest: role-dependent tabs, filters, tables, downloads, no PII."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.helpers import TIMEOUT, chart_titles, frame_with, run_page, texts, user_dict

EXPLORER = "../../pages/explorer.py"
PII_COLUMNS = {"이름", "성명", "주민등록번호", "전화번호", "연락처", "이메일", "주소", "이력서", "자기소개서", "생년월일", "나이"}


@pytest.fixture
def roles(employer_ids: dict[str, int]) -> dict[str, dict]:
    return {
        "employer": user_dict("employer", employer_ids["employer1"]),
        "counsellor": user_dict("counsellor"),
        "policy": user_dict("policy"),
    }


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        ("employer", ["채용공고", "훈련과정"]),
        ("counsellor", ["채용공고", "구직자", "훈련과정"]),
        ("policy", ["채용공고", "구직자", "훈련과정"]),
    ],
)
def test_explorer_renders_for_each_role(app_env: None, roles: dict[str, dict], role: str, tabs: list[str]) -> None:
    at = run_page(EXPLORER, roles[role])
    assert not at.exception
    assert [t.value for t in at.title] == ["데이터 탐색기"]
    assert [t.label for t in at.tabs] == tabs
    # only the open tab is drawn: one table and one download each, the first tab on arrival
    assert [b.key for b in at.download_button] == ["explorer.postings.csv"]
    for label, download in zip(tabs[1:], ("explorer.seekers.csv", "explorer.courses.csv")[-len(tabs[1:]):], strict=True):
        open_tab(at, label)
        assert not at.exception
        assert [b.key for b in at.download_button] == [download]
        assert all(b.label == "CSV 내려받기" for b in at.download_button)
    at = run_page(EXPLORER, roles[role])
    postings = frame_with(at, "공고명")
    assert postings is not None and len(postings) > 0
    assert postings["임금"].str.match(r"^(월|연|시급|일급) [\d,]+(만원|원)$").all()
    assert "직종별 월 환산 임금 분포" in chart_titles(at)
    assert "월별 공고 게시 추이" in chart_titles(at)
    assert frame_with(at, "과정명") is None  # a closed tab is not drawn
    open_tab(at, "훈련과정")
    assert frame_with(at, "과정명") is not None and frame_with(at, "공고명") is None


def open_tab(at: AppTest, label: str) -> None:
    """Open the explorer tab ``label`` (the tabs rerun on a change; AppTest sets their state)."""
    at.session_state["explorer.tabs"] = label
    at.run()


def test_employer_refused_seekers_content(app_env: None, roles: dict[str, dict]) -> None:
    at = run_page(EXPLORER, roles["employer"])
    assert "구직자" not in [t.label for t in at.tabs]
    assert frame_with(at, "구직자 ID") is None
    assert "희망 직종별 희망 임금 분포" not in chart_titles(at)
    assert all("구직자" not in b.label for b in at.download_button)


def test_employer_sees_all_postings_with_own_marked(app_env: None, roles: dict[str, dict], world_url: str) -> None:
    from sqlalchemy import create_engine, text

    employer_id = roles["employer"]["employer_id"]
    with create_engine(world_url).connect() as conn:
        total = conn.execute(text("select count(*) from postings")).scalar_one()
        own = conn.execute(text("select count(*) from postings where employer_id=:e"), {"e": employer_id}).scalar_one()
    at = run_page(EXPLORER, roles["employer"])
    postings = frame_with(at, "공고명")
    shown = min(total, 2_000)
    assert len(postings) == shown
    assert "내 공고" in postings.columns
    if total <= 2_000:
        assert (postings["내 공고"] == "내 공고").sum() == own
    at.checkbox(key="explorer.postings.mine").check().run()
    mine = frame_with(at, "공고명")
    assert len(mine) == own and (mine["내 공고"] == "내 공고").all()


@pytest.mark.parametrize("role", ["counsellor", "policy"])
def test_seekers_tab_has_no_direct_identifiers(app_env: None, roles: dict[str, dict], role: str) -> None:
    at = run_page(EXPLORER, roles[role])
    open_tab(at, "구직자")
    seekers = frame_with(at, "구직자 ID")
    assert seekers is not None and len(seekers) > 0
    assert not PII_COLUMNS & set(seekers.columns)
    assert set(seekers.columns) == {
        "구직자 ID", "연령대", "성별", "학력", "거주 지역", "희망 직종", "희망 임금", "구직급여 수급",
        "등록일", "180일 내 취업", "취업 소요일",
    }
    cells = [str(c) for c in seekers.to_numpy().ravel()]
    assert not any("@" in c or "010-" in c for c in cells)  # no e-mail or phone leaked into any cell
    assert "개인 식별정보" in texts(at)


def test_region_filter_changes_row_count(app_env: None, roles: dict[str, dict]) -> None:
    at = run_page(EXPLORER, roles["policy"])
    columns = {"공고명": "채용공고", "구직자 ID": "구직자", "과정명": "훈련과정"}
    before = {}
    for column, label in columns.items():
        open_tab(at, label)
        before[column] = len(frame_with(at, column))
    open_tab(at, "채용공고")
    region_widget = at.multiselect(key="explorer.region")
    first_region = region_widget.options[0]
    region_widget.select(first_region).run()
    assert not at.exception
    after = {}
    for column, label in columns.items():
        open_tab(at, label)
        after[column] = frame_with(at, column)
    assert len(after["공고명"]) < before["공고명"]
    assert len(after["구직자 ID"]) < before["구직자 ID"]
    assert after["공고명"]["지역"].nunique() == 1
    assert after["구직자 ID"]["거주 지역"].nunique() <= 1


def test_employment_type_and_wage_filters(app_env: None, roles: dict[str, dict]) -> None:
    at = run_page(EXPLORER, roles["counsellor"])
    before = len(frame_with(at, "공고명"))
    at.multiselect(key="explorer.postings.employment").select("정규직").run()
    regular = frame_with(at, "공고명")
    assert 0 < len(regular) < before
    assert set(regular["고용형태"]) == {"정규직"}
    at.slider(key="explorer.postings.wage").set_value((300, 1000)).run()
    high = frame_with(at, "공고명")
    assert len(high) < len(regular)
    monthly = high["월 환산 임금"].str.replace(",", "").str.removesuffix("만원").astype(float)
    assert (monthly >= 300).all()


def test_occupation_major_filter(app_env: None, roles: dict[str, dict]) -> None:
    at = run_page(EXPLORER, roles["policy"])
    before = len(frame_with(at, "공고명"))
    major = at.selectbox(key="explorer.major")
    choice = next(o for o in major.options if o != "전체")
    major.select(choice).run()
    assert not at.exception
    after = len(frame_with(at, "공고명"))
    assert after < before
    minor = at.multiselect(key="explorer.keco")
    assert 0 < len(minor.options)


def test_period_filter(app_env: None, roles: dict[str, dict]) -> None:
    at = run_page(EXPLORER, roles["policy"])
    period = at.date_input(key="explorer.postings.period")
    first, last = period.value
    middle = first + (last - first) / 2
    period.set_value((first, middle)).run()
    rows = frame_with(at, "공고명")
    assert not at.exception
    assert (pd.to_datetime(rows["게시일"]).dt.date <= middle).all()


def test_policy_only_part_refused_for_employer(app_env: None) -> None:
    """A role outside PAGE_ACCESS gets the Korean refusal and nothing after the guard runs."""

    def guarded_page() -> None:
        import streamlit as st

        from components.auth import require_role

        require_role("explorer.seekers")
        st.title("구직자 상세")

    at = AppTest.from_function(guarded_page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict("employer", 1)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["이 화면은 직업상담사, 정책·운영 전용입니다. 현재 역할: 구인기업"]
    assert not at.title

    at = AppTest.from_function(guarded_page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict("policy")
    at.run()
    assert [t.value for t in at.title] == ["구직자 상세"] and not at.error


def test_unknown_role_refused_whole_page(app_env: None) -> None:
    at = run_page(EXPLORER, user_dict("guest"))
    assert not at.exception
    assert any("현재 역할: guest" in e.value for e in at.error)
    assert not at.title and not at.dataframe
