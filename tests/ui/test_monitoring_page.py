"""성과·모델 모니터링 through AppTest, on a private copy of the small world with every artifact built.

Policy staff see the KPIs against their targets (filters by region and service), every model's
monitor with its alerts — 경보 as red boxes, 주의 as yellow — before the charts, the people-override and
audit-volume section and the downloads (the Excel workbook opens in openpyxl, the CSV in pandas); the
view is recorded in the audit log first. Employers, counsellors and seekers are refused. Nothing
internal is on screen, and a hostile counsellor name in an override reason never reaches the page.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.ui import test_employment_pages
from tests.ui.helpers import TIMEOUT, chart_titles, db_scalar, point_settings_at_built_copy, texts, user_dict
from tests.ui.test_korean_only import _visible_text, internal_identifiers

PAGE = "../../pages/monitoring.py"
PAGE_TIMEOUT = max(TIMEOUT, 120)
media = test_employment_pages.media  # the fixture recording AppTest's media stores (download bytes)
_download_bytes = test_employment_pages._download_bytes


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the built world with 30 counsellor overrides in one quarter and no profile
    views: the employment model's override rate is 1.0, a deterministic 경보."""
    url = point_settings_at_built_copy(monkeypatch, hiring_built, users_file, tmp_path / "monitoring.db")
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        # the shared built world may hold overrides other test modules wrote: start this copy from none
        conn.execute("DELETE FROM risk_overrides")
        conn.executemany(
            "INSERT INTO risk_overrides (seeker_id, username, at, model_band, override_band, probability, model_version,"
            " reason) VALUES (?, 'counsellor1', '2026-03-02 01:00:00', '고위험', '저위험', 0.1, '1.2', ?)",
            [(i + 1, "=HYPERLINK(\"http://evil\", \"클릭\")") for i in range(30)])
    yield url


def _open(role: str, username: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=PAGE_TIMEOUT)
    user = user_dict(role, 1 if role == "employer" else None, 1 if role == "seeker" else None)
    if username:
        user["username"] = username
    at.session_state["auth.user"] = user
    return at.run()


def test_policy_staff_see_kpis_models_and_alerts_first(env: str) -> None:
    at = _open("policy", "monitor-viewer")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "성과·모델 모니터링"
    assert [t.label for t in at.tabs] == ["성과지표", "모델 모니터링", "사람의 변경·감사 로그", "내려받기"]
    shown = texts(at)
    # the alert is an error box, and it comes before the model charts
    alerts = [e.value for e in at.error]
    assert any("경보" in a and "사람의 변경·번복률" in a and "2026년 1분기" in a for a in alerts)
    model_tab = at.tabs[1]
    assert [h.value for h in model_tab.subheader][0] == "경보"  # the model section opens on the alerts
    assert any("사람의 변경·번복률" in e.value for e in model_tab.error)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["경보"].removesuffix("건")) >= 1
    # KPI tiles: each says 달성 or 미달 against its target
    kpi_tiles = [m for m in at.metric if m.label in ("서비스 이용률", "훈련 수료율", "180일 내 취업률", "취업 소요일",
                                                     "상담사 1인당 구직자")]
    assert len(kpi_tiles) >= 4 and all(("달성" in m.value) or ("미달" in m.value) for m in kpi_tiles)
    assert all("목표" in m.help and "분기" in m.help for m in kpi_tiles)
    titles = chart_titles(at)
    assert "서비스 이용률 추이와 목표" in titles or any("추이와 목표" in t for t in titles)
    assert any("점수 분포 변화(PSI)" in t for t in titles)
    assert any("예측과 실제" in t for t in titles)
    assert any("집단 간 격차" in t for t in titles)
    assert "국가 목표" in shown and "제5차 고용정책 기본계획" in shown
    # the override reason (user text) is never on the page
    assert "HYPERLINK" not in shown
    assert db_scalar(env, "SELECT count(*) FROM audit_log WHERE username='monitor-viewer' AND action='monitoring.view'") == 1


def test_the_kpi_filters_narrow_the_scope(env: str) -> None:
    at = _open("policy")
    at.multiselect(key="monitoring.kpi.regions").set_value(["11"]).run()
    at.multiselect(key="monitoring.kpi.services").set_value(["training"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "대상: 서울 · 직업훈련" in texts(at).replace("\\", "")
    at.selectbox(key="monitoring.kpi.indicator").set_value("completion").run()
    table = next(d.value for d in at.dataframe if "판정" in d.value.columns)
    assert set(table["대상"]) <= {"전체", "직업훈련"}
    assert set(table["판정"]) <= {"달성", "미달", "집계 중", "목표 없음"}
    assert set(table.loc[table["대상"] == "직업훈련", "목표"]) == {"75.0"}
    assert set(table.loc[table["대상"] == "전체", "목표"]) == {"-"}  # no completion target over all services


def test_exports_open_in_openpyxl_and_pandas(env: str, media: list[MemoryMediaFileStorage]) -> None:
    at = _open("policy")
    book = openpyxl.load_workbook(io.BytesIO(_download_bytes(at, media, "monitoring.download.xlsx")))
    assert book.sheetnames[0] == "경보" and "성과지표(서비스별)" in book.sheetnames
    alerts = [[c.value for c in row] for row in book["경보"].iter_rows(min_row=2)]
    assert any(row[0] == "경보" for row in alerts)
    at.selectbox(key="monitoring.download.table").set_value("변경·번복").run()
    overrides = pd.read_csv(io.BytesIO(_download_bytes(at, media, "monitoring.download.csv")), encoding="utf-8-sig")
    assert list(overrides.columns[:3]) == ["모델", "구간", "보여 준 건수"]
    assert overrides["사람이 바꾼 건수"].sum() == 30


@pytest.mark.parametrize("role", ["employer", "counsellor", "seeker"])
def test_other_roles_are_refused(env: str, role: str) -> None:
    at = _open(role, f"refused-{role}")
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("이 화면은 정책·운영 전용입니다")
    assert not at.title and not at.metric and not at.dataframe and not at.download_button
    # by this user: the shared built world may already hold other users' views
    assert db_scalar(env, "SELECT count(*) FROM audit_log WHERE action='monitoring.view' AND username=:user",
                     user=f"refused-{role}") == 0


def test_no_internal_identifiers_on_screen(env: str) -> None:
    at = _open("policy")
    leaks = internal_identifiers(_visible_text(at))
    assert not leaks, leaks[:5]
