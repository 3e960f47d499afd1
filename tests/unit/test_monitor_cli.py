"""``python -m app monitor``: on the small built world it writes a dated workbook (every sheet opens in
openpyxl, Korean sheet names) and a JSON summary, records its run in the audit log, exits 3 with
``--fail-on-alert`` when a 경보 is raised, 2 on a malformed date and 1 when nothing is built — Korean
messages, no traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.cli.monitor import ALERT_EXIT
from app.config import get_settings
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar


@pytest.fixture
def built_copy(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], tmp_path: Path) -> str:
    """Settings pointed at a private copy of the built small world (the run writes its audit row)."""
    url, models = hiring_built
    db = copy_world_database(url, tmp_path / "monitor.db")
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{db}")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models))
    get_settings.cache_clear()
    yield f"sqlite:///{db}"
    get_settings.cache_clear()


def _add_overrides(url: str, n: int) -> None:
    """``n`` counsellor overrides in one quarter and no profile views: an override rate of 1 (경보)."""
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.executemany(
            "INSERT INTO risk_overrides (seeker_id, username, at, model_band, override_band, probability, model_version,"
            " reason) VALUES (?, 'counsellor1', '2026-03-02 01:00:00', '고위험', '저위험', 0.1, '1.2', '면담 결과')",
            [(i + 1,) for i in range(n)])


def test_monitor_writes_a_dated_report_that_opens_in_openpyxl(built_copy: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert main(["monitor", "--out", str(out), "--date", "2026-12-07"]) == 0
    workbook = out / "monitoring-2026-12-07.xlsx"
    summary = json.loads((out / "monitoring-2026-12-07.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[:4] == ["경보", "성과지표(서비스별)", "성과지표(지역별)", "목표 달성"]
    assert {"점수 분포(PSI)", "보정", "공정성", "감사 로그 건수", "기준값"} <= set(book.sheetnames)
    models = [row[0].value for row in book["모델 목록"].iter_rows(min_row=2)]
    assert {"취업성공 예측모델", "채용성공 예측모델", "훈련과정 취업성과 예측모델", "구인광고 AI 검증"} <= set(models)
    psi_models = {row[0].value for row in book["점수 분포(PSI)"].iter_rows(min_row=2)}
    assert {"취업성공 예측모델", "채용성공 예측모델"} <= psi_models
    assert summary["date"] == "2026-12-07" and summary["alerts"] + summary["warnings"] == len(summary["messages"])
    printed = capsys.readouterr().out
    assert "모니터링 보고서를 썼습니다" in printed and "Traceback" not in printed
    (row,) = db_rows(built_copy, "SELECT model_name, output FROM audit_log WHERE action = 'cli.monitor'")
    assert "employment" in row[0] and "monitoring-2026-12-07.xlsx" in row[1]


def test_monitor_can_fail_on_an_alert_for_schedulers(built_copy: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _add_overrides(built_copy, 30)
    assert main(["monitor", "--out", str(tmp_path), "--date", "2026-12-08", "--fail-on-alert"]) == ALERT_EXIT
    printed = capsys.readouterr().out
    assert "[경보] 취업성공 예측모델: 2026년 1분기 사람의 변경·번복률 1.000" in printed
    assert (tmp_path / "monitoring-2026-12-08.xlsx").exists()


def test_a_malformed_date_exits_2_in_korean(built_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert main(["monitor", "--out", str(out), "--date", "2026-13-40"]) == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD 형식" in err and "Traceback" not in err
    assert not out.exists()


def test_an_output_path_that_is_a_file_exits_2(built_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["monitor", "--out", str(blocker)]) == 2
    assert "보고서 폴더 자리에 파일" in capsys.readouterr().err


def test_nothing_built_exits_1_naming_the_build(monkeypatch: pytest.MonkeyPatch, world_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = copy_world_database(world_url, tmp_path / "w.db")
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{db}")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "no-models"))
    get_settings.cache_clear()
    assert main(["monitor", "--out", str(tmp_path / "out")]) == 1
    assert "python -m app build" in capsys.readouterr().err
    assert db_scalar(f"sqlite:///{db}", "SELECT count(*) FROM audit_log WHERE action = 'cli.monitor'") == 0
    get_settings.cache_clear()


def test_override_rate_counts_the_seeker_profiles_shown(built_copy: str, hiring_built: tuple[str, Path]) -> None:
    """30 overrides among 100 profiles opened in the quarter: a rate of 0.30 (주의, not 경보)."""
    from app.db.engine import make_engine
    from app.services import monitoring

    _add_overrides(built_copy, 30)
    with sqlite3.connect(built_copy.removeprefix("sqlite:///")) as conn:
        conn.executemany(
            "INSERT INTO audit_log (at, username, role, action, model_name, model_version, input_hash, output)"
            " VALUES ('2026-02-10 03:00:00', 'counsellor1', 'counsellor', 'employment.profile', 'employment', '1.2', ?, '{}')",
            [(f"{i:064x}",) for i in range(100)])
    engine = make_engine(built_copy)
    settings = get_settings()
    report = monitoring.build_report(engine, models_dir=hiring_built[1], reference_dir=settings.reference_dir,
                                     tolerance=0.05, min_group_size=100)
    engine.dispose()
    table = monitoring.override_table(report)
    row = table[(table["모델"] == "취업성공 예측모델") & (table["구간"] == "2026년 1분기")].iloc[0]
    assert (row["보여 준 건수"], row["사람이 바꾼 건수"], row["변경률"]) == (100, 30, 0.3)
    levels = report.alerts.loc[report.alerts["check"] == "사람의 변경·번복률", "level"].tolist()
    assert levels == ["주의"]
    assert "employment" in {m.name for m in report.monitors}
