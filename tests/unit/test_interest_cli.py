"""``python -m app interest simulate|calibrate``: the command-line contract of the adaptive interest
test (report keys, per-respondent rows, ids, exit codes, bad files with line numbers, no output)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cli.interest import main_interest
from app.ml.irt import GradedItemBank, simulate_responses

ROOT = Path(__file__).resolve().parents[2]
SCALES = ("R", "I", "A", "S", "E", "C")
PER_SCALE = 5


def _bank() -> GradedItemBank:
    rng = np.random.default_rng(4)
    n = len(SCALES) * PER_SCALE
    location = rng.normal(0.2, 0.5, n)
    return GradedItemBank(
        item_codes=tuple(f"{s}{i + 1}" for s in SCALES for i in range(PER_SCALE)), scales=SCALES,
        item_scale=np.repeat(np.arange(6), PER_SCALE), discrimination=rng.uniform(1.4, 2.6, n),
        thresholds=np.sort(location[:, None] + np.array([-1.5, -0.5, 0.5, 1.5]), axis=1), n_categories=5,
        correlation=np.full((6, 6), 0.2) + 0.8 * np.eye(6), respondents=0,
    )


def _answers(n: int, seed: int) -> pd.DataFrame:
    bank = _bank()
    rng = np.random.default_rng(seed)
    theta = rng.multivariate_normal(np.zeros(6), bank.correlation, size=n)
    return pd.DataFrame(simulate_responses(bank, theta, rng), columns=list(bank.item_codes))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    calib = _answers(300, seed=1)
    calib.iloc[5, 2] = -1  # missing answers: -1 or empty
    test = _answers(30, seed=2)
    test.insert(0, "id", [f"0{i:03d}" for i in range(30)])  # text ids, leading zeros kept
    test["extra"] = "무시"  # other columns are ignored
    paths = {"calibration": tmp_path / "calib.csv", "responses": tmp_path / "test.csv",
             "scales": tmp_path / "scales.json", "output": tmp_path / "report.json"}
    calib.to_csv(paths["calibration"], index=False)
    text = test.to_csv(index=False).replace(",-1,", ",,", 1)
    paths["responses"].write_text(text, encoding="utf-8")
    paths["scales"].write_text(json.dumps({s: [f"{s}{i + 1}" for i in range(PER_SCALE)] for s in SCALES}),
                               encoding="utf-8")
    return paths


def _simulate(files: dict[str, Path]) -> int:
    return main_interest(["simulate", "--calibration", str(files["calibration"]), "--responses", str(files["responses"]),
                          "--scales", str(files["scales"]), "--output", str(files["output"])])


def test_simulate_writes_the_contracted_report(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _simulate(files) == 0
    report = json.loads(files["output"].read_text(encoding="utf-8"))
    for key in ("items_used_mean", "items_used_share", "top1_agreement", "top3_set_agreement", "respondents"):
        assert key in report
    rows = report["respondents"]
    assert len(rows) == 30 and rows[0]["id"] == "0000"
    assert 6 <= report["items_used_mean"] <= 16  # max length is 54% of the bank; every scale is asked
    assert 0 < report["items_used_share"] <= 0.55
    assert report["top1_agreement"] >= 0.6 and report["top3_set_agreement"] >= 0.4  # chance: 1/6 and 1/20
    assert all(len(set(r["items"])) == r["items_used"] for r in rows)
    assert report["items_used_mean"] == pytest.approx(np.mean([r["items_used"] for r in rows]), abs=1e-3)
    out = capsys.readouterr().out
    assert "응답자 30명" in out and "AI가 선택한 문항" in out


def test_calibrate_writes_item_parameters(files: dict[str, Path], tmp_path: Path) -> None:
    out_csv = tmp_path / "bank.csv"
    code = main_interest(["calibrate", "--responses", str(files["calibration"]), "--scales", str(files["scales"]),
                          "--output", str(out_csv)])
    assert code == 0
    table = pd.read_csv(out_csv, encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["item_code", "scale", "discrimination"]
    assert len(table) == 30 and (table["discrimination"] > 0.5).all()
    assert (table["threshold_1"] < table["threshold_4"]).all()
    out_json = tmp_path / "bank.json"
    assert main_interest(["calibrate", "--responses", str(files["calibration"]), "--scales", str(files["scales"]),
                          "--output", str(out_json)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["correlation"]) == 6 and data["respondents"] == 300


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda f: f["responses"].write_text("id,R1\n1,3\n", encoding="utf-8"), "필수 열이 없습니다"),
        (lambda f: f["responses"].write_text(f["responses"].read_text(encoding="utf-8").replace("\n0002,", "\n0002,x", 1),
                                              encoding="utf-8"), "responses 4행"),
        (lambda f: f["responses"].write_text(f["responses"].read_text(encoding="utf-8").replace("\n0001,", "\n0001,9", 1),
                                              encoding="utf-8"), "1~5 사이의 정수"),
        (lambda f: f["scales"].write_text("{\"R\": [\"R1\", \"R2\"],", encoding="utf-8"), "JSON 형식이 아닙니다"),
        (lambda f: f["scales"].write_text("[1, 2]", encoding="utf-8"), "JSON 객체"),
        (lambda f: f["scales"].write_text("{\"R\": [\"R1\"], \"I\": [\"R1\", \"I1\"]}", encoding="utf-8"), "모두 있습니다"),
        (lambda f: f["calibration"].write_text("R1,R2\n", encoding="utf-8"), "calibration"),
        (lambda f: f["responses"].write_text(f["responses"].read_text(encoding="utf-8").replace("\n0003,", "\n0001,", 1),
                                              encoding="utf-8"), "같은 id"),
    ],
)
def test_bad_files_exit_2_with_line_numbers_and_no_output(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                                          break_it, message: str) -> None:
    break_it(files)
    assert _simulate(files) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "출력 파일을 만들지 않았습니다" in err or "scales" in err or "calibration" in err
    assert not files["output"].exists()


def test_too_few_calibration_respondents_is_refused(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _answers(20, seed=3).to_csv(files["calibration"], index=False)
    assert _simulate(files) == 2
    assert "50명 이상" in capsys.readouterr().err
    assert not files["output"].exists()


def test_missing_output_folder_is_refused(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    files["output"] = files["output"].parent / "nowhere" / "report.json"
    assert _simulate(files) == 2
    assert "출력 폴더가 없습니다" in capsys.readouterr().err


def test_command_runs_as_python_dash_m(files: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "interest", "simulate", "--calibration", str(files["calibration"]),
         "--responses", str(files["responses"]), "--scales", str(files["scales"]), "--output", str(files["output"])],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(files["output"].read_text(encoding="utf-8"))["n_respondents"] == 30
