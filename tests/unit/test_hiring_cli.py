"""``python -m app hiring score``: scored output with reasons, or line-numbered errors and no file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.cli.hiring import main_hiring
from app.ml.hiring import HiringModel, load_hiring_model
from app.services import hiring
from tests.unit.test_hiring_service import build_hiring_world

HEADER = (
    "id,keco_code,region_code,size_code,wage_type,wage_amount,weekly_hours,employment_type,career,"
    "min_career_years,education,welfare_codes,open_month,n_sections,body_chars,duties,requirements,benefits"
)
GOOD_ROWS = (
    'A-1,304,11,S2,monthly,"2,500,000",44,계약직,경력,3,대졸,W01;W02;W03;W05,3,6,900,,,',
    "A-2,550,41,S3,hourly,10320,20,시간제,신입,0,무관,,,,,조리 보조,,식사 제공",
    "A-3,304,26,s4,annual,42000000,40,정규직,경력무관,,무관,W01;w11,11,8,1500,,,",
)


@pytest.fixture(scope="module")
def models_dir(world_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Models built on a private copy of the small world (the command itself needs no database)."""
    return build_hiring_world(world_db, tmp_path_factory.mktemp("hiring_cli"))[1]


@pytest.fixture(scope="module")
def model(models_dir: Path) -> HiringModel:
    return load_hiring_model(models_dir)


def _write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _score(src: Path, out: Path, models_dir: Path) -> int:
    return main_hiring(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models_dir)])


def test_good_file_is_scored_with_reasons(tmp_path: Path, models_dir: Path, model: HiringModel, capsys) -> None:
    src = _write(tmp_path / "postings.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 0
    assert "채점 완료: 3건" in capsys.readouterr().out
    scored = pd.read_csv(out, encoding="utf-8-sig", dtype={"keco_code": str, "region_code": str})
    assert list(scored["id"]) == ["A-1", "A-2", "A-3"]
    for column in ("probability", "probability_low", "probability_high", "days", "reason_1", "reason_2", "reason_3"):
        assert column in scored.columns
    assert scored["probability"].between(0, 1).all() and (scored["probability_low"] <= scored["probability"]).all()
    assert scored["reason_1"].str.contains("채용확률").all() and scored["reason_3"].str.len().gt(5).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["postings.csv", "scored.csv"]  # no temporary file left

    # The figures are the service's: row A-1 scored through predict() gives the same probability.
    first = hiring.validate_conditions({
        "keco_code": "304", "region_code": "11", "size_code": "S2", "wage_type": "monthly", "wage_amount": 2_500_000,
        "weekly_hours": 44, "employment_type": "계약직", "career": "경력", "min_career_years": 3, "education": "대졸",
        "welfare_codes": "W01;W02;W03;W05", "open_month": 3, "n_sections": 6, "body_chars": 900,
    })
    result = hiring.predict(first, model)
    assert scored.loc[0, "probability"] == pytest.approx(result.probability, abs=5e-5)
    assert scored.loc[0, "reason_1"] == result.factors["sentence"].iloc[0]
    # Texts give the section count and length when n_sections/body_chars are empty.
    assert scored.loc[1, "n_sections"] == 2 and scored.loc[1, "body_chars"] == len("조리 보조\n식사 제공")
    assert scored.loc[2, "size_code"] == "S4" and scored.loc[2, "welfare_codes"] == "W01;W11"


def test_bad_file_lists_every_bad_row_and_writes_nothing(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(
        tmp_path / "bad.csv",
        HEADER,
        GOOD_ROWS[0],
        "B-1,304,11,S2,monthly,2500000,70,정규직,경력무관,0,무관,,,,,,,",
        "B-2,999,11,S9,weekly,abc,40,정규직,경력무관,0,박사,W99,,,,,,",
        "",
        "B-3,304,11,S2,monthly,2500000,40,정규직,경력,0,무관,,,,,,,",
        "B-4,304,11,S2,monthly,2500000,40",
    )
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 2
    err = capsys.readouterr().err
    assert "3행: [weekly_hours] 주당 근로시간은 1~68시간이어야 합니다 (입력값: 70)" in err
    for field in ("keco_code", "size_code", "wage_type", "wage_amount", "education", "welfare_codes"):
        assert f"4행: [{field}]" in err
    assert "6행: [min_career_years]" in err and "7행: 값이 7개입니다" in err
    assert "2행" not in err and "출력 파일을 만들지 않았습니다" in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_existing_output_is_left_alone_on_failure(tmp_path: Path, models_dir: Path, capsys) -> None:
    out = _write(tmp_path / "scored.csv", "previous result")
    src = _write(tmp_path / "bad.csv", HEADER, "X,304,11,S2,monthly,2500000,0,정규직,경력무관,0,무관,,,,,,,")
    assert _score(src, out, models_dir) == 2
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert "2행: [weekly_hours]" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lines", "encoding", "message"),
    [
        (("id,keco_code,region_code", "1,304,11"), "utf-8", "1행: 필수 열이 없습니다"),
        ((HEADER,), "utf-8", "데이터 행이 없습니다"),
        ((HEADER, GOOD_ROWS[0]), "cp949", "UTF-8"),
    ],
)
def test_file_level_problems_exit_2(tmp_path: Path, models_dir: Path, capsys, lines, encoding, message) -> None:
    src = _write(tmp_path / "in.csv", *lines, encoding=encoding)
    out = tmp_path / "out.csv"
    assert _score(src, out, models_dir) == 2
    assert message in capsys.readouterr().err and not out.exists()


def test_missing_input_model_or_folder(tmp_path: Path, models_dir: Path, capsys) -> None:
    assert _score(tmp_path / "none.csv", tmp_path / "out.csv", models_dir) == 2
    assert "파일을 찾을 수 없습니다" in capsys.readouterr().err
    src = _write(tmp_path / "in.csv", HEADER, *GOOD_ROWS)
    assert _score(src, tmp_path / "no_dir" / "out.csv", models_dir) == 2
    assert "출력 폴더가 없습니다" in capsys.readouterr().err
    assert _score(src, tmp_path / "out.csv", tmp_path / "empty_models") == 1
    assert "python -m app build" in capsys.readouterr().err and not (tmp_path / "out.csv").exists()
    assert main_hiring(["score", "--input", str(src)]) == 2  # usage error: argparse's message, no traceback


def test_python_m_app_hiring_score_runs_the_same_command(tmp_path: Path, models_dir: Path) -> None:
    """The documented entry point, in a child process: ``python -m app hiring score …``."""
    import subprocess
    import sys

    src = _write(tmp_path / "postings.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "scored.csv"
    root = Path(__file__).resolve().parents[2]
    args = [sys.executable, "-m", "app", "hiring", "score", "--input", str(src), "--output", str(out),
            "--models-dir", str(models_dir)]
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "채점 완료: 3건" in done.stdout and len(pd.read_csv(out, encoding="utf-8-sig")) == 3
    bad = _write(tmp_path / "bad.csv", HEADER, "X,304,11,S2,monthly,2500000,0,정규직,경력무관,0,무관,,,,,,,")
    args[args.index(str(src))] = str(bad)
    args[args.index(str(out))] = str(tmp_path / "bad_out.csv")
    failed = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert failed.returncode == 2 and "2행: [weekly_hours]" in failed.stderr and "Traceback" not in failed.stderr
    assert not (tmp_path / "bad_out.csv").exists()


def test_file_is_scored_a_chunk_at_a_time_with_the_same_output(tmp_path: Path, models_dir: Path, monkeypatch,
                                                                capsys) -> None:
    """Chunks of one row give the bytes of one chunk: the file is read again, not held."""
    import app.cli.hiring as command

    src = _write(tmp_path / "postings.csv", HEADER, *GOOD_ROWS, *(row.replace("A-", "B-") for row in GOOD_ROWS))
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert _score(src, whole, models_dir) == 0
    summary = capsys.readouterr().out.replace(str(whole), "OUT")
    monkeypatch.setattr(command, "CHUNK_ROWS", 1)
    assert _score(src, chunked, models_dir) == 0
    assert capsys.readouterr().out.replace(str(chunked), "OUT") == summary
    assert chunked.read_bytes() == whole.read_bytes()
    checked = command.check_postings(src)
    assert checked.errors == [] and len(checked.rows) == 6 and not hasattr(checked.rows, "conditions")


def test_input_changed_between_check_and_scoring_writes_nothing(tmp_path: Path, models_dir: Path, monkeypatch,
                                                                capsys) -> None:
    import app.cli.hiring as command

    src = _write(tmp_path / "postings.csv", HEADER, *GOOD_ROWS)
    checked = command.check_postings

    def check_then_edit(path: Path):  # another program rewrites the file after the check
        result = checked(path)
        _write(path, HEADER, GOOD_ROWS[0], "B-1,304,11,S2,monthly,2500000,70,정규직,경력무관,0,무관,,,,,,,")
        return result

    monkeypatch.setattr(command, "SCORE", command.SCORE.__class__(
        read=check_then_edit, load=command.SCORE.load, score=command.SCORE.score, summary=command.SCORE.summary))
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 1
    err = capsys.readouterr().err
    assert "입력 파일이 검사 도중에 바뀌었습니다" in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["postings.csv"]
