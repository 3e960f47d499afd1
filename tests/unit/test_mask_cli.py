"""``python -m app mask``: the JSONL contract other tools rely on.

Lines ``{"id": …, "text": …}`` in, the same objects with ``text`` masked out (other keys kept in
order, UTF-8 without ASCII escapes); bad input gets ``N행: …`` errors on stderr, exit code 2 and no
output file; no message ever shows the input's text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.cli.mask import main_mask
from app.text.pii import mask_pii

ROOT = Path(__file__).resolve().parents[2]
SECRET_TEXT = "연락처 010-4821-7730, 카톡 ID: haneul88, 여권 M12345678"


def _write_lines(path: Path, lines: list[str], *, bom: bool = False, encoding: str = "utf-8") -> Path:
    data = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
    return path


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_masks_text_and_keeps_every_other_key_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"id": "r1", "source": "resume", "text": SECRET_TEXT, "meta": {"page": 1, "tags": ["a", "한글"]}},
        {"text": "회사 대표번호 1588-1234", "id": 7},
        {"id": "r3", "text": "", "score": 0.5, "flag": None},
    ]
    src = _write_lines(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows], bom=True)
    out = tmp_path / "out.jsonl"
    assert main(["mask", "--input", str(src), "--output", str(out)]) == 0
    got = _records(out)
    assert [list(r) for r in got] == [list(r) for r in rows]  # same keys, same order
    assert got[0]["text"] == "연락처 010-****-7730, 카톡 ID: ha***, 여권 *********"
    assert got[0]["text"] == mask_pii(SECRET_TEXT)
    assert got[1] == rows[1] and got[2] == rows[2]
    assert got[0]["meta"] == rows[0]["meta"]
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "한글".encode() in raw and b"\\u" not in raw  # ensure_ascii=False
    stdout = capsys.readouterr().out
    assert "3행" in stdout and "전화번호: 1건" in stdout and "메신저 ID: 1건" in stdout and "여권번호: 1건" in stdout
    assert "010-4821" not in stdout and "haneul88" not in stdout


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    src = _write_lines(tmp_path / "in.jsonl", ["", '{"id": 1, "text": "010-1234-5678"}', "   ", '{"id": 2, "text": "x"}'])
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 0
    assert [r["id"] for r in _records(out)] == [1, 2]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json " + SECRET_TEXT, "JSON 형식이 아닙니다"),
        ('["id", "text"]', "JSON 객체"),
        ('"just a string"', "JSON 객체"),
        (json.dumps({"text": SECRET_TEXT}, ensure_ascii=False), "[id] id가 없습니다"),
        ('{"id": 3}', "[text] text가 없습니다"),
        ('{"id": null, "text": "x"}', "[id] id는 문자열 또는 정수여야 합니다"),
        ('{"id": true, "text": "x"}', "[id] id는 문자열 또는 정수여야 합니다"),
        ('{"id": 3, "text": ["010-1234-5678"]}', "[text] text는 문자열이어야 합니다"),
        ('{"id": 3, "text": null}', "[text] text는 문자열이어야 합니다"),
    ],
)
def test_a_bad_line_is_reported_by_number_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    good = json.dumps({"id": 1, "text": SECRET_TEXT}, ensure_ascii=False)
    src = _write_lines(tmp_path / "in.jsonl", [good, good, line, good])
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("3행: ") and message in err
    assert "오류 1건: 출력 파일을 만들지 않았습니다" in err
    assert not out.exists() and os.listdir(tmp_path) == ["in.jsonl"]  # no temporary file left either
    assert "010-4821" not in err and "haneul88" not in err


def test_every_bad_line_is_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write_lines(tmp_path / "in.jsonl", ["{"] * 150 + ['{"id": 1, "text": "x"}'])
    assert main_mask(["--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("1행: ") and err[99].startswith("100행: ")
    assert "50행에도 오류" in err[100] and "오류 150건" in err[-1]


def test_cp949_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "연락처 010-1234-5678"}'], encoding="cp949")
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 2
    assert "1행: UTF-8 인코딩이 아닙니다" in capsys.readouterr().err
    assert not out.exists()


def test_existing_output_is_left_alone_on_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    src = _write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "x"}', "oops"])
    assert main_mask(["--input", str(src), "--output", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize("case", ["missing input", "input is a folder", "empty input", "no output folder", "output is a folder"])
def test_file_problems_exit_2_without_output(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    src = _write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "x"}'])
    out = tmp_path / "out.jsonl"
    if case == "missing input":
        src = tmp_path / "none.jsonl"
    elif case == "input is a folder":
        src = tmp_path
    elif case == "empty input":
        src.write_text("\n\n", encoding="utf-8")
    elif case == "no output folder":
        out = tmp_path / "missing" / "out.jsonl"
    else:
        out = tmp_path
    assert main_mask(["--input", str(src), "--output", str(out)]) == 2
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "out.jsonl").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_mask(["--input", "x.jsonl"]) == 2
    assert main_mask(["--help"]) == 0
    assert "JSONL" in capsys.readouterr().out


def test_python_dash_m_app_mask(tmp_path: Path) -> None:
    src = _write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": SECRET_TEXT, "z": 1}, ensure_ascii=False)])
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "app", "mask", "--input", str(src), "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _records(out) == [{"id": "a", "text": mask_pii(SECRET_TEXT), "z": 1}]
    assert "개인정보 마스킹 완료: 1행" in done.stdout and "haneul88" not in done.stdout + done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "app", "mask", "--input", str(tmp_path / "none.jsonl"), "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# --------------------------------------------------------------------------- values JSON or UTF-8 cannot hold


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": ' + "9" * 5000 + ', "text": "x"}', "정수가 너무 깁니다"),
        ('{"id": 1, "text": "\\ud800 010-1234-5678"}', "서로게이트"),
        ('{"id": 1, "text": "x", "\\udfff": 1}', "서로게이트"),
        ('{"id": 1, "text": "x", "score": NaN}', "NaN/Infinity"),
        ('{"id": 1, "text": "x", "score": -Infinity}', "NaN/Infinity"),
        ('{"id": 1, "text": "x", "score": 1e999}', "숫자가 너무 큽니다"),
    ],
)
def test_values_the_output_cannot_hold_are_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    good = json.dumps({"id": 1, "text": SECRET_TEXT}, ensure_ascii=False)
    src = _write_lines(tmp_path / "in.jsonl", [good, good, line])
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("3행: ") and message in err and "오류 1건" in err
    assert not out.exists() and os.listdir(tmp_path) == ["in.jsonl"]
    assert "010-1234" not in err and "99999" not in err


def test_python_dash_m_app_mask_reports_a_huge_integer_without_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": ' + "7" * 5000 + ', "text": "x"}\n{"id": 1, "text": "\\ud800 010-1234-5678"}\n',
                   encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app", "mask", "--input", str(src), "--output", str(tmp_path / "out.jsonl")],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[:2] == ["1행: 정수가 너무 깁니다 (4,300자리 초과)",
                                             "2행: 짝이 없는 서로게이트 문자(\\ud800 등)가 있어 UTF-8로 쓸 수 없습니다"]


# --------------------------------------------------------------------------- run records (audit log)


@pytest.fixture
def runs_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from app.config import get_settings
    from app.db.engine import make_engine
    from app.db.repositories.world import ensure_schema

    url = f"sqlite:///{tmp_path / 'runs.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    monkeypatch.setenv("GOYONG_DB_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _runs(url: str) -> list[dict]:
    from app.db.engine import make_engine
    from app.services import audit

    engine = make_engine(url)
    try:
        return audit.load_audit_log(engine, 100, command_runs=True).to_dict("records")
    finally:
        engine.dispose()


def test_a_run_is_recorded_without_content(runs_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    rows = [{"id": "seeker-17", "text": SECRET_TEXT}, {"id": 2, "text": "x"}]
    src = _write_lines(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    assert "개인정보 마스킹 완료: 2행" in printed.out and printed.err == ""
    (run,) = _runs(runs_url)
    assert run["action"] == "cli.mask" and run["role"] == "cli"
    assert run["input_hash"] == hashlib.sha256(src.read_bytes()).hexdigest()
    output = run["output"]
    assert (output["rows_in"], output["rows_out"], output["errors"], output["exit_code"]) == (2, 2, 0, 0)
    assert output["output_path"] == str(out) and output["started_at"].endswith("+09:00")
    assert "010-4821" not in str(run) and "haneul88" not in str(run) and "seeker-17" not in str(run)


def test_a_failed_run_is_recorded_with_its_exit_code(runs_url: str, tmp_path: Path) -> None:
    src = _write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "x"}', "oops", "{"])
    assert main_mask(["--input", str(src), "--output", str(tmp_path / "out.jsonl")]) == 2
    (run,) = _runs(runs_url)
    assert (run["output"]["exit_code"], run["output"]["errors"], run["output"]["rows_out"]) == (2, 2, 0)


def test_a_run_whose_record_cannot_be_written_fails_closed(
    runs_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import audit

    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise audit.AuditUnavailable()

    monkeypatch.setattr(audit, "record_command_run", unavailable)
    src = _write_lines(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": SECRET_TEXT}, ensure_ascii=False)])
    out = tmp_path / "out.jsonl"
    assert main_mask(["--input", str(src), "--output", str(out)]) == 1
    printed = capsys.readouterr()
    assert not out.exists() and "실행 기록(감사 로그)을 남기지 못해" in printed.err
    assert "마스킹 완료" not in printed.out and "Traceback" not in printed.err


def test_without_a_database_it_masks_unrecorded_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Masking shows no AI output and needs no model: a fresh checkout can run the contract."""
    from app.config import get_settings

    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'none.db'}")
    get_settings.cache_clear()
    src = _write_lines(tmp_path / "in.jsonl", ['{"id": 1, "text": "010-1234-5678"}'])
    out = tmp_path / "out.jsonl"
    try:
        assert main_mask(["--input", str(src), "--output", str(out)]) == 0
    finally:
        get_settings.cache_clear()
    assert json.loads(out.read_text(encoding="utf-8")) == {"id": 1, "text": "010-****-5678"}
    assert not (tmp_path / "none.db").exists()  # no database is made just to hold a record
    printed = capsys.readouterr()
    assert "기록 없이 실행합니다" in printed.err and "마스킹 완료" in printed.out
