"""Every file command and import writes one run record (command, KST start and finish, input
SHA-256, row counts, model versions, exit code, output path; no personal data), failed runs
too; a run whose record cannot be written fails closed (exit 1, Korean message, no output file),
and a command with no database to record in does nothing. Stdout and stderr are otherwise those of
the command. ``verify --rules-only`` stands for the file commands: they share one runner."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.imports import main_import
from app.cli.verify import main_verify
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.world import ensure_schema
from app.services import audit
from app.verify.rules import load_default_rules
from app.verify.verifier import MODEL_VERSION as VERIFIER_VERSION

ADS = ("id,title,body,wage_type,wage,hours_per_week,employer_name,contact\n"
       "A-1,사무 보조 모집,문서 정리 업무입니다. 주 5일 근무,monthly,2500000,40,한빛상사,02-123-4567\n"
       "A-2,상하차 직원 모집,남자만 지원 가능합니다. 주 5일 근무,monthly,2500000,40,한빛상사,02-123-4567\n")


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    monkeypatch.setenv("GOYONG_DB_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _runs(url: str) -> list[dict]:
    engine = make_engine(url)
    try:
        return audit.load_audit_log(engine, 100, command_runs=True).to_dict("records")
    finally:
        engine.dispose()


def _verify(src: Path, out: Path, tmp_path: Path) -> int:
    return main_verify(["--input", str(src), "--output", str(out), "--models-dir", str(tmp_path / "no-models"),
                        "--rules-only"])


def test_a_successful_run_is_recorded_with_hash_counts_and_versions(db_url: str, tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "ads.csv", tmp_path / "out.csv"
    src.write_text(ADS, encoding="utf-8")
    assert _verify(src, out, tmp_path) == 0
    printed = capsys.readouterr()
    assert out.exists() and "검증 완료: 2건" in printed.out and printed.err == ""
    (run,) = _runs(db_url)
    assert run["action"] == "cli.verify" and run["role"] == "cli"
    assert run["input_hash"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert run["model_name"] == "ad_verifier,rules" and run["model_version"] == f"{VERIFIER_VERSION}/{load_default_rules().version}"
    output = run["output"]
    assert (output["rows_in"], output["rows_out"], output["errors"], output["exit_code"]) == (2, 2, 0, 0)
    assert output["output_path"] == str(out) and output["started_at"].endswith("+09:00")
    assert output["started_at"] <= output["finished_at"]
    # no personal data: neither the employer's contact nor any ad text is in the record
    assert "02-123-4567" not in str(run) and "한빛상사" not in str(run) and "남자만" not in str(run)


def test_a_failed_run_is_recorded_with_its_exit_code(db_url: str, tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "bad.csv", tmp_path / "out.csv"
    src.write_text("id,title\nA-1,x\n", encoding="utf-8")  # required columns missing
    assert _verify(src, out, tmp_path) == 2
    assert not out.exists() and "출력 파일을 만들지 않았습니다" in capsys.readouterr().err
    (run,) = _runs(db_url)
    assert run["output"]["exit_code"] == 2 and run["output"]["errors"] >= 1 and run["output"]["rows_out"] == 0
    # a missing input file: recorded as unreadable, no hash of anything
    assert _verify(tmp_path / "missing.csv", out, tmp_path) == 2
    latest = _runs(db_url)[0]
    assert latest["output"]["input_readable"] is False and latest["output"]["exit_code"] == 2


def test_a_run_whose_record_cannot_be_written_fails_closed(db_url: str, tmp_path: Path, capsys,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise audit.AuditUnavailable()

    monkeypatch.setattr(audit, "record_command_run", unavailable)
    src, out = tmp_path / "ads.csv", tmp_path / "out.csv"
    src.write_text(ADS, encoding="utf-8")
    assert _verify(src, out, tmp_path) == 1
    printed = capsys.readouterr()
    assert not out.exists()
    assert "실행 기록(감사 로그)을 남기지 못해" in printed.err and "Traceback" not in printed.err
    assert "검증 완료" not in printed.out  # no summary of an output that does not exist


def test_a_write_locked_database_spools_the_run_record(db_url: str, tmp_path: Path, capsys) -> None:
    import sqlite3

    src, out = tmp_path / "ads.csv", tmp_path / "out.csv"
    src.write_text(ADS, encoding="utf-8")
    lock = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    try:
        assert _verify(src, out, tmp_path) == 0
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert out.exists() and _runs(db_url) == []
    engine = make_engine(db_url)
    assert audit.pending_spool_rows(engine) == 1 and audit.flush_spool(engine) == 1
    engine.dispose()
    assert _runs(db_url)[0]["output"]["exit_code"] == 0


def test_no_database_to_record_in_means_nothing_is_done(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    get_settings.cache_clear()
    src, out = tmp_path / "ads.csv", tmp_path / "out.csv"
    src.write_text(ADS, encoding="utf-8")
    try:
        assert _verify(src, out, tmp_path) == 1
    finally:
        get_settings.cache_clear()
    printed = capsys.readouterr()
    assert "데이터베이스가 없어 실행하지 않았습니다" in printed.err and printed.out == ""
    assert not out.exists() and not (tmp_path / "absent.db").exists()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_imports_are_recorded_good_and_bad(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    good, bad = FIXTURES / "import_postings_valid.csv", FIXTURES / "import_postings_bad.csv"
    assert main_import(["postings", "--input", str(good), "--db-url", url]) == 0
    assert main_import(["postings", "--input", str(bad), "--db-url", url]) == 2
    capsys.readouterr()
    bad_run, good_run = _runs(url)
    assert good_run["action"] == "cli.import_postings" and good_run["output"]["exit_code"] == 0
    assert good_run["input_hash"] == hashlib.sha256(good.read_bytes()).hexdigest() and good_run["output"]["rows_in"] > 0
    assert bad_run["output"]["exit_code"] == 2 and bad_run["output"]["errors"] > 0 and bad_run["output"]["rows_in"] == 0
