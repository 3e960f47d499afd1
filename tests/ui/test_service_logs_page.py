"""서비스 이용 병목 (policy staff) through AppTest on a small event log of the seed-7 world.

Policy staff see the metrics, the ranked bottlenecks with their evidence, the funnel, the process map,
errors, step times and the what-if; a segment filter changes the numbers; the export opens with pandas
and has the page's Korean columns; other roles are refused; nothing internal or English is on screen;
without logs the page names the build command.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from app.db.engine import make_engine
from app.services import service_logs
from app.world.service_logs import generate_service_logs
from tests.ui.helpers import TIMEOUT, chart_titles, run_page, texts, user_dict
from tests.ui.test_employment_pages import _download_bytes, media  # noqa: F401 (the fixture)
from tests.ui.test_korean_only import _visible_text, internal_identifiers

PAGE = "../../pages/service_bottlenecks.py"


@pytest.fixture(scope="module")
def logs_dir(tmp_path_factory: pytest.TempPathFactory, world_url: str) -> Path:
    out = tmp_path_factory.mktemp("service_logs") / "logs"
    engine = make_engine(world_url)
    generate_service_logs(engine, out, size="small", seed=5, sessions=5_000)
    engine.dispose()
    return out


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, app_env: None, logs_dir: Path) -> Iterator[Path]:
    monkeypatch.setenv("GOYONG_SERVICE_LOGS_DIR", str(logs_dir))
    get_settings.cache_clear()
    yield logs_dir
    get_settings.cache_clear()


def _policy() -> AppTest:
    at = run_page(PAGE, user_dict("policy"))
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_policy_staff_see_the_bottlenecks_with_their_evidence(env: Path) -> None:
    at = _policy()
    shown = texts(at)
    assert at.title[0].value == "서비스 이용 병목"
    assert _metric(at, "세션") == "5,000개" and _metric(at, "분석 기간") == "12개월"
    table = at.dataframe[0].value
    assert list(table.columns) == list(service_logs.BOTTLENECK_LABELS.values())
    assert (table["월 초과 이탈(세션)"].diff().dropna() <= 0).all()  # ranked, largest first
    assert "실업급여 신청 · 증빙 첨부 · 전체" in shown and "이탈률" in shown
    titles = chart_titles(at)
    assert "병목 순위: 월 초과 이탈 세션" in titles
    assert any(t.endswith("단계별 도달 세션") for t in titles) and any("프로세스 맵" in t for t in titles)
    assert "월 약" in shown and "더 신청을 완료합니다" in shown  # the what-if sentence


def test_a_filter_changes_the_numbers(env: Path) -> None:
    at = _policy()
    everyone = _metric(at, "세션")
    at.multiselect(key="service_logs.filter.devices").set_value(["모바일"]).run()
    assert not at.exception
    mobile = _metric(at, "세션")
    assert int(mobile.rstrip("개").replace(",", "")) < int(everyone.rstrip("개").replace(",", ""))
    at.selectbox(key="service_logs.service").set_value("내일배움카드 신청").run()
    funnel = next(d.value for d in at.dataframe if "시작 대비 도달률" in d.value.columns)
    assert set(funnel["서비스"]) == {"내일배움카드 신청"}
    assert at.selectbox(key="service_logs.what_if.step").value == "4. 사전 동영상 시청"  # the worst step for mobile


def test_the_export_opens_with_pandas(env: Path, media: list[MemoryMediaFileStorage]) -> None:  # noqa: F811
    at = _policy()
    frame = pd.read_csv(io.BytesIO(_download_bytes(at, media, "service_logs.bottlenecks.download")))
    assert list(frame.columns) == list(service_logs.BOTTLENECK_LABELS.values()) and len(frame) > 0


@pytest.mark.parametrize("role", ["counsellor", "employer", "seeker"])
def test_other_roles_are_refused(env: Path, role: str) -> None:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict(role, employer_id=1 if role == "employer" else None,
                                              seeker_id=1 if role == "seeker" else None)
    at.run()
    assert not at.dataframe and "서비스 이용 병목" not in [t.value for t in at.title]


def test_nothing_internal_or_english_on_screen(env: Path) -> None:
    at = _policy()
    assert internal_identifiers(_visible_text(at)) == []
    assert [m.label for m in at.multiselect if m.proto.select_all != 0] == []  # no English "Select all"


def test_without_logs_the_page_names_the_build(monkeypatch: pytest.MonkeyPatch, app_env: None, tmp_path: Path) -> None:
    monkeypatch.setenv("GOYONG_SERVICE_LOGS_DIR", str(tmp_path / "none"))
    get_settings.cache_clear()
    at = _policy()
    assert any("python -m app build" in i.value for i in at.info)
    assert not at.dataframe
