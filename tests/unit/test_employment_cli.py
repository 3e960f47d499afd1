"""``python -m app employment score``: scored output with reasons and the best service, or
line-numbered errors and no file; identifying columns are refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cli.employment import OUTPUT_ADDED, main_employment
from app.cli.seeker_input import IDENTIFYING_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, SERVICE_COLUMNS
from app.config import get_settings
from app.ml.employment import EmploymentModel, load_employment_model
from app.reference.codes import SERVICE_LABELS
from app.reference.tables import load_reference
from app.services import employment as emp
from app.services.employment.reasons import factor_table, group_contributions

pytestmark = pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")

HEADER = (
    "id,age,education,career_years,desired_keco,desired_wage,desired_region_code,benefit_status,last_keco,"
    "region_flexible,certificate_ids,skills,days_since_registration,svc_training,svc_matching,svc_nes,svc_counselling"
)
GOOD_ROWS = (
    'S-1,34,대졸,5,304,"2,500,000",11,예,304,아니오, C0032 ; C0035 ,간호;주사,30,1,0,0,1',
    "S-2,58,고졸,20.5,14,3000000,41,0,14,YES,C0391,,120,0,1,1,0",  # KECO 14 is the code 014
    "S-3,23,전문대졸,0,550,2000000,26,아니요,,1,,,,,,,",  # empty optional cells take their defaults
)
# What the rows above mean, written out by hand.
GOOD_RECORDS = (
    {"age": 34, "education": "대졸", "career_years": 5.0, "desired_keco": "304", "desired_wage": 2_500_000,
     "desired_region_code": "11", "benefit_status": 1, "last_keco": "304", "region_flexible": 0,
     "certificate_ids": "C0032;C0035", "skills": "간호;주사", "days_since_registration": 30,
     "svc_training": 1, "svc_matching": 0, "svc_nes": 0, "svc_counselling": 1},
    {"age": 58, "education": "고졸", "career_years": 20.5, "desired_keco": "014", "desired_wage": 3_000_000,
     "desired_region_code": "41", "benefit_status": 0, "last_keco": "014", "region_flexible": 1,
     "certificate_ids": "C0391", "skills": "", "days_since_registration": 120,
     "svc_training": 0, "svc_matching": 1, "svc_nes": 1, "svc_counselling": 0},
    {"age": 23, "education": "전문대졸", "career_years": 0.0, "desired_keco": "550", "desired_wage": 2_000_000,
     "desired_region_code": "26", "benefit_status": 0, "last_keco": None, "region_flexible": 1,
     "certificate_ids": "", "skills": "", "days_since_registration": 0,
     "svc_training": 0, "svc_matching": 0, "svc_nes": 0, "svc_counselling": 0},
)
REQUIRED_HEADER = ",".join(REQUIRED_COLUMNS)
REQUIRED_ROW = "40,고졸,3,304,2500000,11,0"


@pytest.fixture(scope="module")
def models_dir(hiring_built: tuple[str, Path]) -> Path:
    """The session's built models (the command itself needs no database)."""
    return hiring_built[1]


@pytest.fixture(scope="module")
def model(models_dir: Path) -> EmploymentModel:
    return load_employment_model(models_dir)


def _write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _score(src: Path, out: Path, models_dir: Path, *extra: str) -> int:
    return main_employment(["score", "--input", str(src), "--output", str(out), "--models-dir", str(models_dir), *extra])


def _read(out: Path) -> pd.DataFrame:
    return pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False,
                       dtype={"id": str, "desired_keco": str, "last_keco": str, "desired_region_code": str})


def test_the_zero_padded_code_of_the_good_file_exists() -> None:
    codes = set(load_reference().occupations["keco_code"].astype(str))
    assert "014" in codes and "14" not in codes and {"304", "550"} <= codes


def test_good_file_is_scored_like_the_service(tmp_path: Path, models_dir: Path, model: EmploymentModel, capsys) -> None:
    src = _write(tmp_path / "seekers.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 0
    printed = capsys.readouterr()
    assert "채점 완료: 3건" in printed.out and "AI 예측 결과입니다" in printed.out and printed.err == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scored.csv", "seekers.csv"]  # no temporary file left
    scored = _read(out)
    assert list(scored.columns) == ["id", *REQUIRED_COLUMNS, "last_keco", "region_flexible", "days_since_registration",
                                    *SERVICE_COLUMNS, *OUTPUT_ADDED]
    assert list(scored["id"]) == ["S-1", "S-2", "S-3"]

    # inputs as parsed: Korean booleans, thousands separators, zero-padded codes, defaults
    assert list(scored["desired_keco"]) == ["304", "014", "550"] and list(scored["last_keco"]) == ["304", "014", ""]
    assert list(scored["desired_wage"]) == [2_500_000, 3_000_000, 2_000_000]
    assert list(scored["benefit_status"]) == [1, 0, 0] and list(scored["region_flexible"]) == [0, 1, 1]
    assert list(scored["days_since_registration"]) == [30, 120, 0]
    assert list(scored["svc_training"]) == [1, 0, 0] and list(scored["svc_nes"]) == [0, 1, 0]
    assert list(scored["career_years"]) == [5.0, 20.5, 0.0]

    # the figures are the service's on the same records
    records = pd.DataFrame(list(GOOD_RECORDS))
    expected = emp.score_records(records, model, emp.RiskBands())
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        np.testing.assert_allclose(scored[column], expected[column], rtol=0, atol=5e-5 + 1e-12)
    assert scored["probability"].nunique() == 3  # the rows are told apart, so the order is checked
    assert list(scored["band"]) == list(expected["band"])
    assert (scored["probability_now"] <= scored["probability"]).all()
    assert scored.loc[2, "probability_now"] == scored.loc[2, "probability"]  # day 0: nothing spent yet

    # reasons: the three largest factors of each row, as the profile would word them
    x = model.features(records)
    grouped = group_contributions(model.explain(x)[0])
    market = model.market.market_wage(records["desired_keco"], records["desired_region_code"])
    for i in range(3):
        features = {k: float(v) for k, v in x.iloc[i].items() if k not in ("education", "desired_major")}
        table = factor_table(grouped.iloc[i], GOOD_RECORDS[i], features, float(market[i]))
        assert [scored.loc[i, f"reason_{k}"] for k in (1, 2, 3)] == list(table["sentence"].head(3))
        assert all(scored.loc[i, f"reason_{k}"].endswith("니다") for k in (1, 2, 3))

    # best service: the largest effect among services not yet received
    effects = model.service_effects(x)
    for i in range(3):
        open_ = effects[(effects["row"] == i) & ~effects["received"]]
        best = open_.loc[open_["effect"].idxmax()]
        assert scored.loc[i, "best_service"] == SERVICE_LABELS[best["service"]]
        assert scored.loc[i, "best_service_effect"] == pytest.approx(float(best["effect"]), abs=5e-5 + 1e-12)
    assert scored.loc[0, "best_service"] not in (SERVICE_LABELS["training"], SERVICE_LABELS["counselling"])


def test_bands_follow_the_thresholds_given(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "seekers.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir, "--high-below", "0.25", "--low-from", "0.3") == 0
    assert "고위험 25% 미만 · 중위험 25–30% · 저위험 30% 이상" in capsys.readouterr().out
    scored = _read(out)
    assert list(scored["band"]) == list(emp.RiskBands(high_below=0.25, low_from=0.3).bands(scored["probability"]))


def test_header_is_matched_without_case_and_unknown_columns_are_noted(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "seekers.csv", " AGE ,Education,career_years,DESIRED_KECO,desired_wage,desired_region_code,"
                                           "benefit_status,memo", "40,고졸,3,304,2500000,11,0,아무 말")
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 0
    printed = capsys.readouterr().out
    assert "참고: 1행: 알 수 없는 열을 무시했습니다: memo" in printed
    scored = _read(out)
    assert list(scored["id"]) == ["1"] and "memo" not in scored.columns and scored.loc[0, "age"] == 40


def test_bad_file_lists_every_bad_row_and_writes_nothing(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(
        tmp_path / "bad.csv",
        HEADER,
        'S-1,34,대졸,5,304,2500000,11,1,,0,,"간호',  # a quoted cell over two physical lines (2–3)
        '주사",30,0,0,0,0',
        "B-1,14,대졸,5,304,2500000,11,1,,0,,,0,0,0,0,0",
        "B-2,40,박사,3,999,2500000,99,maybe,,0,,,0,0,0,0,0",
        "",
        "B-3,40,고졸,abc,304,2500000.5,11,0,,0,,,181,0,0,0,가끔",
        "B-4,40,고졸",
        "B-5,,고졸,3,304,2500000,11,0,,0,,,0,0,0,0,0",
        f"{'X' * 41},40,고졸,3,304,2500000,11,0,,0,,,0,0,0,0,0",
        "B-7,40,고졸,3,304,2500000,11,0,12345,0,,,0,0,0,0,0",
    )
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 2
    err = capsys.readouterr().err
    expected = [
        "4행: [age] 15~90 범위여야 합니다 (입력값: 14)",
        "5행: [desired_keco] 알 수 없는 직종(KECO) 코드입니다 (입력값: 999)",
        "5행: [desired_region_code] 알 수 없는 지역(시도) 코드입니다 (입력값: 99)",
        "5행: [education] 학력은 중졸이하, 고졸, 전문대졸, 대졸, 석사 중 하나여야 합니다 (입력값: 박사)",
        "5행: [benefit_status] 1/0, true/false, 예/아니오 중 하나여야 합니다 (입력값: maybe)",
        "7행: [career_years] 숫자가 아닙니다 (입력값: abc)",
        "7행: [desired_wage] 정수여야 합니다 (입력값: 2500000.5)",
        "7행: [days_since_registration] 0~180 범위여야 합니다 (입력값: 181)",
        "7행: [svc_counselling] 1/0, true/false, 예/아니오 중 하나여야 합니다 (입력값: 가끔)",
        "8행: 값이 3개입니다 (머리행의 열은 17개)",
        "9행: [age] 값이 없습니다",
        "10행: [id] id는 40자 이하여야 합니다 (41자)",
        "11행: [last_keco] 알 수 없는 직종(KECO) 코드입니다 (입력값: 12345)",
    ]
    lines = err.strip().splitlines()
    assert sorted(lines[:-1]) == sorted(expected)
    assert lines[-1] == f"오류 {len(expected)}건: 출력 파일을 만들지 않았습니다 ({src})"
    assert "2행" not in err and "3행" not in err and "6행" not in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_existing_output_is_left_alone_on_failure(tmp_path: Path, models_dir: Path, capsys) -> None:
    out = _write(tmp_path / "scored.csv", "previous result")
    src = _write(tmp_path / "bad.csv", REQUIRED_HEADER, "40,고졸,3,304,100,11,0")
    assert _score(src, out, models_dir) == 2
    assert "2행: [desired_wage] 500,000~30,000,000 범위여야 합니다 (입력값: 100)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "scored.csv"]


@pytest.mark.parametrize(
    ("columns", "named"),
    [(("name",), "name"), (("연락처",), "연락처"), (("Email", " 주소 "), "email, 주소"), (("주민등록번호", "성명"), "성명, 주민등록번호"),
     (("birth_date",), "birth_date")],
)
def test_identifying_columns_are_refused(tmp_path: Path, models_dir: Path, capsys, columns: tuple[str, ...],
                                         named: str) -> None:
    assert {c.strip().lower() for c in columns} <= IDENTIFYING_COLUMNS
    header = ",".join((*columns, REQUIRED_HEADER))
    row = ",".join(("홍길동",) * len(columns) + (REQUIRED_ROW,))
    src = _write(tmp_path / "people.csv", header, row)
    out = _write(tmp_path / "scored.csv", "previous result")
    assert _score(src, out, models_dir) == 2
    err = capsys.readouterr().err
    assert f"1행: 개인 식별 정보 열은 받지 않습니다 ({named}): 지우고 다시 시도하세요" in err
    assert "출력 파일을 만들지 않았습니다" in err and "홍길동" not in err
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "scored.csv"]


@pytest.mark.parametrize("lines", [(f'"name",{REQUIRED_HEADER}', f"홍길동,{REQUIRED_ROW}"),
                                   ("", f"{REQUIRED_HEADER},name", f"{REQUIRED_ROW},홍길동")])
def test_identifying_columns_are_refused_however_the_header_is_written(tmp_path: Path, models_dir: Path,
                                                                       lines: tuple[str, ...]) -> None:
    src = _write(tmp_path / "people.csv", *lines)
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 2
    assert not out.exists()


@pytest.mark.parametrize(("row", "column"), [("nan,고졸,3,304,2500000,11,0", "age"),
                                             ("40,고졸,3,304,inf,11,0", "desired_wage")])
def test_non_finite_numbers_are_row_errors(tmp_path: Path, models_dir: Path, capsys, row: str, column: str) -> None:
    src = _write(tmp_path / "in.csv", REQUIRED_HEADER, row)
    out = tmp_path / "out.csv"
    assert _score(src, out, models_dir) == 2
    assert f"2행: [{column}]" in capsys.readouterr().err and not out.exists()


def test_non_finite_career_years_is_a_row_error(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "in.csv", REQUIRED_HEADER, "40,고졸,nan,304,2500000,11,0")
    assert _score(src, tmp_path / "out.csv", models_dir) == 2
    assert "2행: [career_years] 숫자가 아닙니다 (입력값: nan)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lines", "encoding", "message"),
    [
        (("age,education", "40,고졸"), "utf-8",
         "1행: 필수 열이 없습니다: career_years, desired_keco, desired_wage, desired_region_code, benefit_status"),
        ((REQUIRED_HEADER,), "utf-8", "데이터 행이 없습니다"),
        ((REQUIRED_HEADER, "", ",,,,,,"), "utf-8", "데이터 행이 없습니다"),
        ((REQUIRED_HEADER, REQUIRED_ROW), "cp949", "UTF-8"),
        ((f"{REQUIRED_HEADER},age", f"{REQUIRED_ROW},41"), "utf-8", "1행: 열 이름 'age'가 두 번 나옵니다"),
    ],
)
def test_file_level_problems_exit_2(tmp_path: Path, models_dir: Path, capsys, lines, encoding, message) -> None:
    src = _write(tmp_path / "in.csv", *lines, encoding=encoding)
    out = tmp_path / "out.csv"
    assert _score(src, out, models_dir) == 2
    assert message in capsys.readouterr().err and not out.exists()


def test_missing_input_output_folder_or_model(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "in.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "out.csv"
    assert _score(tmp_path / "none.csv", out, models_dir) == 2
    assert f"파일을 찾을 수 없습니다: {tmp_path / 'none.csv'}" in capsys.readouterr().err
    assert _score(tmp_path, out, models_dir) == 2
    assert "파일이 아니라 폴더입니다" in capsys.readouterr().err
    assert _score(src, tmp_path / "no_dir" / "out.csv", models_dir) == 2
    assert f"출력 폴더가 없습니다: {tmp_path / 'no_dir'}" in capsys.readouterr().err
    assert _score(src, tmp_path, models_dir) == 2
    assert "출력 경로가 폴더입니다" in capsys.readouterr().err
    (tmp_path / "empty_models").mkdir()
    assert _score(src, out, tmp_path / "empty_models") == 1
    err = capsys.readouterr().err
    assert "'employment' 모델이 아직 만들어지지 않았습니다" in err and "python -m app build" in err
    assert not out.exists() and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty_models", "in.csv"]


def test_models_dir_defaults_to_the_settings(tmp_path: Path, models_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models_dir))
    get_settings.cache_clear()
    try:
        src = _write(tmp_path / "in.csv", REQUIRED_HEADER, REQUIRED_ROW)
        out = tmp_path / "out.csv"
        assert main_employment(["employment", "score", "--input", str(src), "--output", str(out)]) == 0
        assert "채점 완료: 1건" in capsys.readouterr().out and len(_read(out)) == 1
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--high-below", "0.5", "--low-from", "0.3"), "고위험 기준은 저위험 기준보다 작아야 합니다"),
        (("--high-below", "0.3", "--low-from", "0.3"), "고위험 기준은 저위험 기준보다 작아야 합니다"),
        (("--high-below", "0"), "0과 1 사이의 값이어야 합니다 (입력값: 0)"),
        (("--low-from", "1.5"), "0과 1 사이의 값이어야 합니다 (입력값: 1.5)"),
        (("--high-below", "abc"), "--high-below"),
    ],
)
def test_bad_thresholds_exit_2(tmp_path: Path, models_dir: Path, capsys, options: tuple[str, ...], message: str) -> None:
    src = _write(tmp_path / "in.csv", REQUIRED_HEADER, REQUIRED_ROW)
    out = tmp_path / "out.csv"
    assert _score(src, out, models_dir, *options) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(
    "argv",
    [[], ["score"], ["score", "--input", "x.csv"], ["score", "--output", "y.csv"], ["rank"], ["employment"],
     ["score", "--input", "x.csv", "--output", "y.csv", "--unknown"]],
)
def test_usage_errors_exit_2_without_traceback(argv: list[str], capsys) -> None:
    assert main_employment(argv) == 2
    err = capsys.readouterr().err
    assert "usage: python -m app employment" in err and "Traceback" not in err


def test_help_exits_0(capsys) -> None:
    assert main_employment(["score", "--help"]) == 0
    assert "--high-below" in capsys.readouterr().out


def test_every_documented_column_is_read() -> None:
    assert set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) == set(HEADER.split(","))
    assert not (set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)) & IDENTIFYING_COLUMNS


def test_python_m_app_employment_score_runs_the_same_command(tmp_path: Path, models_dir: Path) -> None:
    """The documented entry point, in a child process: ``python -m app employment score …``."""
    import subprocess
    import sys

    src = _write(tmp_path / "seekers.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "scored.csv"
    root = Path(__file__).resolve().parents[2]
    args = [sys.executable, "-m", "app", "employment", "score", "--input", str(src), "--output", str(out),
            "--models-dir", str(models_dir)]
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "채점 완료: 3건" in done.stdout and list(_read(out)["id"]) == ["S-1", "S-2", "S-3"]
    bad = _write(tmp_path / "bad.csv", HEADER, "B-1,14,대졸,5,304,2500000,11,1,,0,,,0,0,0,0,0")
    args[args.index(str(src))] = str(bad)
    args[args.index(str(out))] = str(tmp_path / "bad_out.csv")
    failed = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert failed.returncode == 2 and "2행: [age] 15~90 범위여야 합니다 (입력값: 14)" in failed.stderr
    assert "Traceback" not in failed.stderr and not (tmp_path / "bad_out.csv").exists()


@pytest.mark.parametrize(
    ("header", "row", "expected", "value"),
    [
        (f"{REQUIRED_HEADER},skills", f"{REQUIRED_ROW},엑셀 900305-2345678", "[skills] 개인정보(주민등록번호)", "900305-2345678"),
        (f"id,{REQUIRED_HEADER}", f"010-1234-5678,{REQUIRED_ROW}", "[id] 개인정보(전화번호)", "010-1234-5678"),
        (f"{REQUIRED_HEADER},certificate_ids", f"{REQUIRED_ROW},haneul@example.com", "[certificate_ids] 개인정보(이메일)",
         "haneul@example.com"),
        (f"{REQUIRED_HEADER},skills", f"{REQUIRED_ROW},지게차; 성명: 홍길동", "[skills] 개인정보(이름)", "홍길동"),
        # a checked column: its own message would quote the value, so only the kind is reported
        (REQUIRED_HEADER, "9003052345678,고졸,3,304,2500000,11,0", "[age] 개인정보(주민등록번호)", "9003052345678"),
    ],
)
def test_personal_data_in_cells_is_refused_by_kind_never_by_value(tmp_path: Path, models_dir: Path, capsys,
                                                                   header: str, row: str, expected: str,
                                                                   value: str) -> None:
    src = _write(tmp_path / "seekers.csv", header, row)
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines[0] == f"2행: {expected}로 보이는 값은 받지 않습니다: 지우고 다시 시도하세요"
    assert lines[-1] == f"오류 1건: 출력 파일을 만들지 않았습니다 ({src})"
    assert value not in err and "Traceback" not in err
    assert not out.exists()


def test_ordinary_free_text_is_not_mistaken_for_personal_data(tmp_path: Path, models_dir: Path) -> None:
    src = _write(tmp_path / "seekers.csv", f"id,{REQUIRED_HEADER},skills,certificate_ids",
                 f"S-0001,{REQUIRED_ROW},Python; SQL ;엑셀 2급,C0032;C0035",
                 f"2024-0001,{REQUIRED_ROW},공예품;귀금속;보석;장식,")
    out = tmp_path / "scored.csv"
    assert _score(src, out, models_dir) == 0
    assert list(_read(out)["id"]) == ["S-0001", "2024-0001"]


def test_file_is_scored_a_chunk_at_a_time_with_the_same_output(tmp_path: Path, models_dir: Path, monkeypatch,
                                                                capsys) -> None:
    import app.cli.seeker_input as seeker_input

    src = _write(tmp_path / "seekers.csv", HEADER, *GOOD_ROWS, *(row.replace("S-", "T-") for row in GOOD_ROWS))
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert _score(src, whole, models_dir) == 0
    summary = capsys.readouterr().out.replace(str(whole), "OUT")
    monkeypatch.setattr(seeker_input, "CHUNK_ROWS", 2)
    assert _score(src, chunked, models_dir) == 0
    assert capsys.readouterr().out.replace(str(chunked), "OUT") == summary
    assert chunked.read_bytes() == whole.read_bytes()
