"""``python -m app occupations fit``: the best KNOW occupations per person, or line-numbered Korean
errors, exit 2 and no output file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.cli.occupations import OUTPUT_COLUMNS, main_occupations
from app.ml.occupation_fit import load_occupation_fit

HEADER = "id,R,I,A,S,E,C,cq1,cq14,cq40"
GOOD_ROWS = ("P-1,5,2,1,2,3,2,4,2,3", "P-2,1,3,5,4,2,1,,,", "P-3,2,5,2,3,2,4,3,5,2")


@pytest.fixture(scope="module")
def models_dir(hiring_built: tuple[str, Path]) -> Path:
    """The session's built models (every registered artifact, this one included)."""
    return hiring_built[1]


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fit(src: Path, out: Path, models_dir: Path, *extra: str) -> int:
    return main_occupations(["fit", "--input", str(src), "--output", str(out), "--models-dir", str(models_dir), *extra])


def test_good_file_lists_the_best_occupations_like_the_model(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "people.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "fit.csv"
    assert _fit(src, out, models_dir, "--top", "3") == 0
    printed = capsys.readouterr().out
    assert "3명 × 상위 3개" in printed and "AI 예측 결과입니다" in printed
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"id": str, "occupation_code": str})
    assert tuple(table.columns) == OUTPUT_COLUMNS
    assert table["id"].tolist() == ["P-1"] * 3 + ["P-2"] * 3 + ["P-3"] * 3
    assert table["rank"].tolist() == [1, 2, 3] * 3
    model = load_occupation_fit(models_dir)
    frame = pd.DataFrame([[5, 2, 1, 2, 3, 2, 4, 2, 3]], columns=["R", "I", "A", "S", "E", "C", "cq1", "cq14", "cq40"])
    best = model.top_k(frame, 3)
    assert table["occupation_code"].head(3).tolist() == best["occupation_code"].astype(str).tolist()
    assert table["score"].head(3).tolist() == pytest.approx(best["score"].round(6).tolist())
    assert set(table["occupation_code"]) <= set(model.occupations["occupation_code"].astype(str))


def test_default_top_is_five_and_missing_work_items_are_fine(tmp_path: Path, models_dir: Path) -> None:
    src = _write(tmp_path / "people.csv", "id,R,I,A,S,E,C", "only-interests,3,3,3,3,3,3")
    out = tmp_path / "fit.csv"
    assert _fit(src, out, models_dir) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == 5 and table["score"].is_monotonic_decreasing


def test_bad_file_lists_every_bad_row_and_writes_nothing(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "people.csv", HEADER,
                 "P-1,6,2,1,2,3,2,4,2,3",      # line 2: R out of range
                 ",1,3,5,4,2,1,,,",            # line 3: no id
                 "P-3,2,,2,3,2,4,3,5,2",       # line 4: I missing
                 "P-1,2,5,2,3,2,4,abc,5,2",    # line 5: id repeated, cq1 not a number
                 "P-5,2,5,2,3,2,4,0,5,2")      # line 6: cq1 out of range
    out = tmp_path / "fit.csv"
    assert _fit(src, out, models_dir) == 2
    err = capsys.readouterr().err
    for expected in ("2행: [R] 1~5 사이의 숫자여야 합니다 (입력값: 6)", "3행: [id] 값이 없습니다", "4행: [I] 값이 없습니다",
                     "5행: [id] 앞에서 이미 나온 id입니다", "5행: [cq1] 1~5 사이의 숫자여야 합니다 (입력값: abc)",
                     "6행: [cq1] 1~5 사이의 숫자여야 합니다 (입력값: 0)", "출력 파일을 만들지 않았습니다"):
        assert expected in err
    assert not out.exists() and "Traceback" not in err


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (("id,R,I,A,S,E", "P-1,1,2,3,4,5"), "1행: 필수 열이 없습니다: c"),
        (("id,R,I,A,S,E,C",), "데이터 행이 없습니다"),
    ],
)
def test_file_level_problems_exit_2(tmp_path: Path, models_dir: Path, capsys, lines, message) -> None:
    src = _write(tmp_path / "people.csv", *lines)
    out = tmp_path / "fit.csv"
    assert _fit(src, out, models_dir) == 2
    assert message in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize("top", ["0", "51", "x"])
def test_top_outside_1_to_50_is_a_usage_error(tmp_path: Path, models_dir: Path, capsys, top: str) -> None:
    src = _write(tmp_path / "people.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "fit.csv"
    assert _fit(src, out, models_dir, "--top", top) == 2
    assert "--top" in capsys.readouterr().err and not out.exists()


def test_missing_model_exits_1_naming_the_build(tmp_path: Path, capsys) -> None:
    src = _write(tmp_path / "people.csv", HEADER, *GOOD_ROWS)
    (tmp_path / "empty").mkdir()
    out = tmp_path / "fit.csv"
    assert _fit(src, out, tmp_path / "empty") == 1
    err = capsys.readouterr().err
    assert "'occupation_fit' 모델이 아직 만들어지지 않았습니다" in err and not out.exists()
