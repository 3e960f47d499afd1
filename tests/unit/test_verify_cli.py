"""``python -m app verify`` and ``python -m app verify train``: the contract other tools rely on.

Verification: one ``id, decision, score, reasons`` row per input row, in order, UTF-8 with BOM;
a malformed file gets physical-line-numbered errors, exit code 2 and no output file. Training: any
labelled CSV in, a joblib model and its held-out recall, precision and PR-AUC out.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
import yaml

from app.cli.verify import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, main_verify, read_ads
from app.verify.rules import default_rules_path
from app.verify.verifier import load_ad_verifier, verdict_frame

HEADER = "id,title,body,wage_type,wage,hours_per_week,year,employer_name,contact"
BASIC_HEADER = "id,title,body,wage_type,wage,hours_per_week"
# Every row is worded differently: near-identical rows would be reported as duplicates of each other.
CLEAN = (
    'A-1,사무 보조 직원 모집,"【담당 업무】\n문서 정리와 전화 응대\n【자격 요건】\n경력 무관, 남녀 무관\n'
    '【근무 조건】\n주 5일 근무, 4대보험",monthly,"2,500,000",40,2026,한빛상사,02-123-4567'
)
UNLAWFUL = "A-2,물류센터 상하차 구합니다,물류센터에서 상하차 업무를 담당할 남자만 지원 가능합니다. 주간 근무입니다.,monthly,2800000,40,2026,대한물류,031-555-1234"
# the same hourly wage, 10,100원: above the 2025 minimum (10,030원), below the 2026 one (10,320원)
WAGE_2025 = "A-3,카페 바리스타 채용,카페 음료 제조와 매장 관리 업무입니다. 초보 가능하며 교육을 해 드립니다.,hourly,10100,30,2025,커피하우스,02-777-8888"
WAGE_2026 = "A-4,편의점 야간 근무자,편의점 야간 계산과 진열 업무를 맡아 주실 분을 찾습니다. 성실한 분 환영합니다.,hourly,10100,30,2026,행복편의점,02-333-4444"
LONG_HOURS = "A-5,공장 생산직 사원,생산 라인에서 부품 조립과 검사 업무를 합니다. 교대 근무가 있습니다.,monthly,4500000,60,2026,성진공업,055-222-3333"
NO_CONTACT = "A-6,식당 주방 보조,식당 주방에서 재료 손질과 설거지를 담당합니다. 식사 제공합니다.,monthly,2500000,40,2026,맛나식당,"
GOOD_ROWS = (CLEAN, UNLAWFUL, WAGE_2025, WAGE_2026, LONG_HOURS, NO_CONTACT)
ROW_OK = "X-1,사무 보조 직원 모집,문서 정리와 전화 응대 업무입니다.,monthly,2500000,40"
REASON_RE = re.compile(r"^[A-Z][A-Z0-9_]+\(.+\)$")


@pytest.fixture(scope="module")
def models_dir(hiring_built: tuple[str, Path]) -> Path:
    """The session's built models (the command itself needs no database)."""
    return hiring_built[1]


def _write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _verify(src: Path, out: Path, models_dir: Path, *extra: str) -> int:
    return main_verify(["--input", str(src), "--output", str(out), "--models-dir", str(models_dir), *extra])


def _read(out: Path) -> pd.DataFrame:
    return pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _reasons(cell: str) -> list[str]:
    return [part for part in cell.split(";") if part]


def _rule_ids(cell: str) -> set[str]:
    return {part.split("(", 1)[0] for part in _reasons(cell)}


# --------------------------------------------------------------------------- verification


def test_good_file_gets_one_verdict_per_row_in_order(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "ads.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "verdicts.csv"
    assert _verify(src, out, models_dir) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert "검증 완료: 6건" in printed.out and "(통과 2, 재검증 2, 차단 2; 규칙 버전 1)" in printed.out
    assert "AI 검증 결과입니다" in printed.out and "신원 확인은 건너뛰었습니다" not in printed.out
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ads.csv", "verdicts.csv"]  # no temporary file left
    verdicts = _read(out)
    assert list(verdicts.columns) == ["id", "decision", "score", "reasons"]
    assert list(verdicts["id"]) == ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"]
    assert set(verdicts["decision"]) <= {"pass", "review", "block"}
    scores = verdicts["score"].astype(float)
    assert scores.between(0, 1).all()
    for cell in verdicts["reasons"]:
        assert all(REASON_RE.match(part) for part in _reasons(cell)), cell
    by_id = verdicts.set_index("id")

    assert by_id.loc["A-1", "decision"] == "pass" and by_id.loc["A-1", "reasons"] == ""
    assert by_id.loc["A-2", "decision"] == "block"
    assert "SEX_DISCRIM(남녀고용평등법 제7조 제1항)" in _reasons(by_id.loc["A-2", "reasons"])
    # the minimum wage of each ad's own year: only the 2026 ad is below it
    assert by_id.loc["A-3", "decision"] == "pass" and "BELOW_MIN_WAGE" not in by_id.loc["A-3", "reasons"]
    assert by_id.loc["A-4", "decision"] == "block" and _rule_ids(by_id.loc["A-4", "reasons"]) == {"BELOW_MIN_WAGE"}
    assert by_id.loc["A-4", "reasons"] == "BELOW_MIN_WAGE(최저임금법 제6조)"
    assert by_id.loc["A-5", "decision"] == "review" and _rule_ids(by_id.loc["A-5", "reasons"]) == {"EXCESS_HOURS"}
    assert "근로기준법 제53조" in by_id.loc["A-5", "reasons"]
    # the contact column exists, so an empty contact (and no phone in the text) is reported
    assert by_id.loc["A-6", "decision"] == "review" and _rule_ids(by_id.loc["A-6", "reasons"]) == {"MISSING_IDENTITY"}
    # risk follows the evidence: blocking hits score above review hits, which score above clean ads
    assert scores[1] > scores[4] > scores[0] and scores[3] > scores[4]


def test_figures_are_the_verifiers(tmp_path: Path, models_dir: Path) -> None:
    """The file is the service's verdicts on the same ads (the CLI adds no logic of its own)."""
    src = _write(tmp_path / "ads.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "verdicts.csv"
    assert _verify(src, out, models_dir) == 0
    ads, errors, _, identity = read_ads(src)
    assert errors == [] and identity is True
    assert list(ads["wage"]) == [2_500_000, 2_800_000, 10_100, 10_100, 4_500_000, 2_500_000]
    assert list(ads["year"]) == [2026, 2026, 2025, 2026, 2026, 2026]
    expected = verdict_frame(ads["id"].tolist(), load_ad_verifier(models_dir).verify(ads, explain=False))
    written = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False, dtype={"id": str})
    assert list(written["decision"]) == list(expected["decision"])
    assert list(written["reasons"]) == list(expected["reasons"])
    np.testing.assert_allclose(written["score"], expected["score"], atol=1e-9)


def test_identity_is_checked_only_when_its_columns_exist(tmp_path: Path, models_dir: Path, capsys) -> None:
    # without employer_name/contact columns nobody can be identified: the check is skipped and said so
    src = _write(tmp_path / "ads.csv", BASIC_HEADER, "B-1,식당 주방 보조,식당 주방에서 재료 손질과 설거지를 담당합니다.,monthly,2500000,40")
    out = tmp_path / "out.csv"
    assert _verify(src, out, models_dir) == 0
    assert "참고: employer_name·contact 열이 없어 모집자 신원 확인은 건너뛰었습니다" in capsys.readouterr().out
    verdict = _read(out).iloc[0]
    assert verdict["decision"] == "pass" and "MISSING_IDENTITY" not in verdict["reasons"]

    # a contact column alone turns the check on; a phone in the text counts as the contact
    src = _write(tmp_path / "ads.csv", "id,title,body,wage_type,wage,hours_per_week,employer_name,contact",
                 "C-1,식당 주방 보조,식당 주방에서 재료 손질과 설거지를 담당합니다.,monthly,2500000,40,맛나식당,",
                 "C-2,미용실 보조 모집,미용실에서 샴푸와 정리 업무를 돕습니다. 문의 02-765-4321,monthly,2600000,40,헤어하우스,",
                 "C-3,편의점 주간 근무,편의점 주간 계산 업무입니다.,monthly,2700000,40,,02-111-2222")
    assert _verify(src, out, models_dir) == 0
    assert "건너뛰었습니다" not in capsys.readouterr().out
    verdicts = _read(out).set_index("id")
    assert verdicts.loc["C-1", "reasons"] == "MISSING_IDENTITY(직업안정법 시행령 제34조 제2호)"
    assert "MISSING_IDENTITY" not in verdicts.loc["C-2", "reasons"]
    assert "MISSING_IDENTITY" in verdicts.loc["C-3", "reasons"]  # no company name


def test_bad_file_lists_every_bad_row_by_physical_line(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(
        tmp_path / "bad.csv",
        HEADER,
        'D-1,제목,"여러 줄 본문의 첫 줄\n둘째 줄\n셋째 줄",monthly,2500000,40,2025,회사,02-123-4567',  # lines 2–4
        "D-2,제목,본문,weekly,abc,0,1999,회사,02-123-4567",
        "",
        "D-1,제목,본문,monthly,2500000,100,2025,회사,02-123-4567",
        "D-5,,본문,monthly,-5,40,2025.5,회사,02-123-4567",
        "D-6,제목,본문,monthly,2500000",
        "D-7,제목,본문,monthly,2500000,40,2025,회사,02-123-4567",
    )
    out = tmp_path / "out.csv"
    assert _verify(src, out, models_dir) == 2
    err = capsys.readouterr().err
    expected = [
        "5행: [wage_type] 임금 형태는 hourly, daily, monthly, annual 중 하나여야 합니다 (입력값: weekly)",
        "5행: [wage] 임금은 1원 이상의 숫자여야 합니다 (입력값: abc)",
        "5행: [hours_per_week] 주당 근로시간은 1~80이어야 합니다 (입력값: 0)",
        "5행: [year] 연도는 2023~2100의 정수여야 합니다 (입력값: 1999)",
        "7행: [id] id 'D-1'가 2행과 겹칩니다",
        "7행: [hours_per_week] 주당 근로시간은 1~80이어야 합니다 (입력값: 100)",
        "8행: [title] 제목은 1~300자여야 합니다",
        "8행: [wage] 임금은 1원 이상의 숫자여야 합니다 (입력값: -5)",
        "8행: [year] 연도는 2023~2100의 정수여야 합니다 (입력값: 2025.5)",
        "9행: 값이 5개입니다 (머리행의 열은 9개)",
    ]
    lines = err.strip().splitlines()
    assert sorted(lines[:-1]) == sorted(expected)
    assert lines[-1] == f"오류 {len(expected)}건: 출력 파일을 만들지 않았습니다 ({src})"
    assert not any(line.startswith(("2행", "3행", "4행", "6행", "10행")) for line in lines)
    assert "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_existing_output_is_left_alone_on_failure(tmp_path: Path, models_dir: Path, capsys) -> None:
    out = _write(tmp_path / "out.csv", "previous result")
    src = _write(tmp_path / "bad.csv", BASIC_HEADER, "X-1,제목,본문,monthly,2500000,0")
    assert _verify(src, out, models_dir) == 2
    assert "2행: [hours_per_week] 주당 근로시간은 1~80이어야 합니다 (입력값: 0)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out.csv"]


@pytest.mark.parametrize(
    ("lines", "encoding", "message"),
    [
        (("id,title,body,wage", "1,제목,본문,2500000"), "utf-8", "1행: 필수 열이 없습니다: wage_type, hours_per_week"),
        ((), "utf-8", "파일이 비어 있습니다"),
        ((BASIC_HEADER,), "utf-8", "데이터 행이 없습니다"),
        ((BASIC_HEADER, ",,,,,"), "utf-8", "데이터 행이 없습니다"),
        ((BASIC_HEADER, ROW_OK), "cp949", "UTF-8 인코딩이 아닙니다"),
        ((f"{BASIC_HEADER},wage", f"{ROW_OK},1"), "utf-8", "1행: 열 이름 'wage'가 두 번 나옵니다"),
    ],
)
def test_file_level_problems_exit_2(tmp_path: Path, models_dir: Path, capsys, lines, encoding, message) -> None:
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + ("\n" if lines else ""), encoding=encoding)
    out = tmp_path / "out.csv"
    assert _verify(src, out, models_dir) == 2
    err = capsys.readouterr().err
    assert message in err and "출력 파일을 만들지 않았습니다" in err and "Traceback" not in err
    assert not out.exists()


def test_missing_input_or_output_folder(tmp_path: Path, models_dir: Path, capsys) -> None:
    out = tmp_path / "out.csv"
    assert _verify(tmp_path / "none.csv", out, models_dir) == 2
    assert f"파일을 찾을 수 없습니다: {tmp_path / 'none.csv'}" in capsys.readouterr().err
    assert _verify(tmp_path, out, models_dir) == 2
    assert "파일이 아니라 폴더입니다" in capsys.readouterr().err
    src = _write(tmp_path / "in.csv", BASIC_HEADER, ROW_OK)
    assert _verify(src, tmp_path / "no_dir" / "out.csv", models_dir) == 2
    assert f"출력 폴더가 없습니다: {tmp_path / 'no_dir'}" in capsys.readouterr().err
    assert _verify(src, tmp_path, models_dir) == 2
    assert "출력 경로가 폴더입니다" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def _rules_with(tmp_path: Path, rule_id: str, *, version: int = 1, **changes: object) -> Path:
    """The committed rules file with one rule changed, written to ``tmp_path``."""
    data = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    data["version"] = version
    rule = next(r for r in (*data["rules"], *data["conditions"]) if r["id"] == rule_id)
    rule.update(changes)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_custom_rules_file_changes_the_verdict(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "ads.csv", HEADER, CLEAN, UNLAWFUL)
    out = tmp_path / "out.csv"
    rules = _rules_with(tmp_path, "SEX_DISCRIM", severity="review")
    assert _verify(src, out, models_dir, "--rules", str(rules)) == 0
    assert "(통과 1, 재검증 1, 차단 0; 규칙 버전 1)" in capsys.readouterr().out
    verdicts = _read(out).set_index("id")
    assert verdicts.loc["A-2", "decision"] == "review" and "SEX_DISCRIM" in verdicts.loc["A-2", "reasons"]
    assert verdicts.loc["A-1", "decision"] == "pass"
    # the article written in the rules file is the one reported
    rules = _rules_with(tmp_path, "SEX_DISCRIM", article="제7조 제9항", version=5)
    assert _verify(src, out, models_dir, "--rules", str(rules)) == 0
    assert "규칙 버전 5" in capsys.readouterr().out
    assert "SEX_DISCRIM(남녀고용평등법 제7조 제9항)" in _read(out).set_index("id").loc["A-2", "reasons"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: [1\nrules: ", "YAML 형식 오류"),
        ("- just\n- a list\n", "매핑이어야 합니다"),
        (None, "정규식 오류"),  # the committed file with one pattern that does not compile
        ("version: 1\nrules: []\n", "[rules]"),
    ],
)
def test_invalid_rules_file_exits_2(tmp_path: Path, models_dir: Path, capsys, text: str | None, message: str) -> None:
    src = _write(tmp_path / "ads.csv", HEADER, CLEAN)
    out = _write(tmp_path / "out.csv", "previous result")
    rules = tmp_path / "rules.yaml"
    if text is None:
        rules = _rules_with(tmp_path, "SEX_DISCRIM", patterns=["남자(만"])
    else:
        rules.write_text(text, encoding="utf-8")
    assert _verify(src, out, models_dir, "--rules", str(rules)) == 2
    err = capsys.readouterr().err
    assert f"규칙 파일을 쓸 수 없습니다: {rules}" in err and message in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert _verify(src, out, models_dir, "--rules", str(tmp_path / "missing.yaml")) == 2
    assert "규칙 파일을 쓸 수 없습니다" in capsys.readouterr().err


def test_rules_file_not_in_utf8_exits_2(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "ads.csv", HEADER, CLEAN)
    rules = tmp_path / "rules.yaml"
    rules.write_text(default_rules_path().read_text(encoding="utf-8"), encoding="cp949")
    assert _verify(src, tmp_path / "out.csv", models_dir, "--rules", str(rules)) == 2
    assert "규칙 파일을 쓸 수 없습니다" in capsys.readouterr().err


def test_missing_model_exits_1_unless_rules_only(tmp_path: Path, models_dir: Path, capsys) -> None:
    src = _write(tmp_path / "ads.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "out.csv"
    empty = tmp_path / "empty_models"
    empty.mkdir()
    assert _verify(src, out, empty) == 1
    err = capsys.readouterr().err
    assert "'ad_verifier' 모델이 아직 만들어지지 않았습니다" in err and "python -m app build" in err
    assert "--rules-only" in err and "Traceback" not in err and not out.exists()

    # rules, fixed checks and within-file duplicates only: the classifier adds nothing to the score
    assert _verify(src, out, empty, "--rules-only") == 0
    assert "검증 완료: 6건" in capsys.readouterr().out
    rules_only = _read(out).set_index("id")
    assert rules_only.loc["A-1", "decision"] == "pass" and float(rules_only.loc["A-1", "score"]) == 0.0
    assert rules_only.loc["A-2", "decision"] == "block" and float(rules_only.loc["A-2", "score"]) == 0.95
    assert not rules_only["reasons"].str.contains(r"ML\(").any()

    # with the model built, --rules-only still leaves the classifier out
    assert _verify(src, out, models_dir, "--rules-only") == 0
    capsys.readouterr()
    with_index = _read(out).set_index("id")
    assert list(with_index["decision"]) == list(rules_only["decision"])
    assert list(with_index["score"]) == list(rules_only["score"])


def test_models_dir_defaults_to_the_settings(tmp_path: Path, models_dir: Path, monkeypatch, capsys) -> None:
    from app.config import get_settings

    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models_dir))
    get_settings.cache_clear()
    try:
        src = _write(tmp_path / "ads.csv", BASIC_HEADER, ROW_OK)
        out = tmp_path / "out.csv"
        assert main_verify(["verify", "--input", str(src), "--output", str(out)]) == 0
        assert "검증 완료: 1건" in capsys.readouterr().out and list(_read(out)["id"]) == ["X-1"]
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        ([], "usage: python -m app verify"),
        (["--input", "x.csv"], "usage: python -m app verify"),
        (["--output", "y.csv"], "usage: python -m app verify"),
        (["--input", "x.csv", "--output", "y.csv", "--unknown"], "usage: python -m app verify"),
        (["train"], "usage: python -m app verify train"),
        (["verify", "train", "--input", "x.csv"], "usage: python -m app verify train"),
        (["train", "--input", "x.csv", "--output", "m.joblib", "--language", "fr"],
         "usage: python -m app verify train"),
        (["train", "--input", "x.csv", "--output", "m.joblib", "--seed", "abc"], "usage: python -m app verify train"),
    ],
)
def test_usage_errors_exit_2_without_traceback(argv: list[str], usage: str, capsys) -> None:
    assert main_verify(argv) == 2
    err = capsys.readouterr().err
    assert usage in err and "Traceback" not in err


def test_help_exits_0(capsys) -> None:
    assert main_verify(["--help"]) == 0
    assert "--rules-only" in capsys.readouterr().out
    assert main_verify(["train", "--help"]) == 0
    assert "--label-column" in capsys.readouterr().out


def test_every_documented_column_is_read() -> None:
    assert REQUIRED_COLUMNS == ("id", "title", "body", "wage_type", "wage", "hours_per_week")
    assert set(OPTIONAL_COLUMNS) == {"year", "employer_name", "contact", "region"}
    assert set(HEADER.split(",")) <= set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)


def test_python_m_app_verify_runs_the_same_command(tmp_path: Path, models_dir: Path) -> None:
    """The documented entry point, in a child process: ``python -m app verify …``."""
    import subprocess
    import sys

    src = _write(tmp_path / "ads.csv", HEADER, *GOOD_ROWS)
    out = tmp_path / "verdicts.csv"
    root = Path(__file__).resolve().parents[2]
    args = [sys.executable, "-m", "app", "verify", "--input", str(src), "--output", str(out),
            "--models-dir", str(models_dir)]
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert "검증 완료: 6건" in done.stdout
    verdicts = _read(out)
    assert list(verdicts["id"]) == ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"]
    assert list(verdicts["decision"]) == ["pass", "block", "pass", "block", "review", "review"]
    bad = _write(tmp_path / "bad.csv", BASIC_HEADER, "X-1,제목,본문,monthly,abc,40")
    args[args.index(str(src))] = str(bad)
    args[args.index(str(out))] = str(tmp_path / "bad_out.csv")
    failed = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=180, check=False)
    assert failed.returncode == 2 and "2행: [wage] 임금은 1원 이상의 숫자여야 합니다 (입력값: abc)" in failed.stderr
    assert "Traceback" not in failed.stderr and not (tmp_path / "bad_out.csv").exists()


# --------------------------------------------------------------------------- training

KO_JOBS = (
    ("사무 보조 직원 모집", "문서 정리와 전화 응대, 우편물 관리 업무를 맡습니다."),
    ("물류센터 상하차 인원 채용", "입고 물품 하역과 분류, 출고 검수 업무입니다."),
    ("카페 바리스타 구합니다", "음료 제조와 매장 청결 관리, 재고 정리를 합니다."),
    ("편의점 주간 근무자 모집", "계산과 상품 진열, 유통기한 점검 업무입니다."),
    ("공장 생산직 사원 채용", "부품 조립과 품질 검사, 설비 점검을 보조합니다."),
    ("식당 주방 보조 모집", "재료 손질과 설거지, 주방 위생 관리를 담당합니다."),
    ("경리 담당자 채용", "전표 입력과 세금계산서 발행, 급여 정산을 합니다."),
    ("학원 행정 직원 모집", "수강생 상담과 출결 관리, 교재 주문을 맡습니다."),
    ("호텔 객실 관리원 채용", "객실 정비와 비품 보충, 린넨 관리를 합니다."),
    ("마트 계산원 모집", "계산대 운영과 고객 응대, 매장 정리를 합니다."),
)
KO_PROBLEMS = (
    "남자만 지원 가능합니다.", "30세 이하만 지원할 수 있습니다.", "주민등록등본을 함께 제출해 주세요.",
    "교육비 30만원 선입금 후 근무를 시작합니다.", "미혼 여성 우대합니다.", "용모 단정하고 키 165cm 이상인 분을 찾습니다.",
    "카톡 아이디 jobs123 으로만 연락 주세요.", "장애인은 지원 불가합니다.", "부모님 직업을 이력서에 기재해 주세요.",
    "초보도 월 500만원 보장합니다!",
)
EN_JOBS = (
    ("Office assistant wanted", "Filing, answering phones and handling the mail."),
    ("Warehouse loader", "Unloading deliveries, sorting parcels and checking orders."),
    ("Barista", "Making drinks, keeping the counter clean and restocking."),
    ("Store clerk", "Running the till, stocking shelves and checking dates."),
    ("Production worker", "Assembling parts, inspecting quality and helping with maintenance."),
    ("Kitchen helper", "Preparing ingredients, washing dishes and keeping the kitchen tidy."),
    ("Bookkeeper", "Entering invoices, issuing receipts and running payroll."),
    ("School administrator", "Talking to students, tracking attendance and ordering books."),
    ("Hotel housekeeper", "Cleaning rooms, restocking supplies and handling linen."),
    ("Cashier", "Operating the register, helping customers and tidying the store."),
)
EN_PROBLEMS = (
    "Men only, please.", "Applicants must be under 30.", "Send a copy of your passport and bank details.",
    "Pay a 200 dollar training fee before you start.", "Single women preferred.", "Attractive appearance required.",
    "Contact us only on Telegram @jobs123.", "No disabled applicants.", "Tell us your parents' jobs.",
    "Earn 5000 dollars a week from home, guaranteed!",
)
TRUE_WORDS, FALSE_WORDS = ("1", "yes", "True", "t"), ("0", "no", "False", "f")


def _labelled_rows(jobs: tuple[tuple[str, str], ...], problems: tuple[str, ...], phone: str) -> list[dict[str, str]]:
    """60 rows: each job lawful three times (different conditions) and with three unlawful sentences."""
    rows = []
    for i, (title, duty) in enumerate(jobs):
        for k in range(3):
            conditions = f"주 {40 - 2 * k}시간 근무, 4대보험" if phone.startswith("02") else f"{40 - 2 * k} hours a week"
            lawful = f"{duty}\n{conditions}\n{phone}-{1000 + 10 * i + k}"
            rows.append({"title": title, "body": lawful, "label": FALSE_WORDS[(i + k) % 4]})
            unlawful = f"{duty}\n{problems[(i + k) % len(problems)]}\n{conditions}\n{phone}-{2000 + 10 * i + k}"
            rows.append({"title": title, "body": unlawful, "label": TRUE_WORDS[(i + k) % 4]})
    return rows


def _write_labelled(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ("title", "body", "label")
) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def _train(src: Path, out: Path, *extra: str) -> int:
    return main_verify(["train", "--input", str(src), "--output", str(out), *extra])


def test_train_on_a_korean_labelled_csv(tmp_path: Path, capsys) -> None:
    src = _write_labelled(tmp_path / "labelled.csv", _labelled_rows(KO_JOBS, KO_PROBLEMS, "02-555"))
    out = tmp_path / "model.joblib"
    assert _train(src, out) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert f"학습 완료: 60건 (문제 30건) → {out}" in printed.out
    held_out = re.search(r"검증용 (\d+)건: 재현율 ([\d.]+), 정밀도 ([\d.]+), PR-AUC ([\d.]+), ROC-AUC ([\d.]+)", printed.out)
    assert held_out, printed.out
    assert int(held_out.group(1)) == 15  # a quarter held out
    assert all(0.0 <= float(held_out.group(k)) <= 1.0 for k in (2, 3, 4, 5))
    assert float(held_out.group(4)) > 0.5  # better than the 50 % base rate

    model = joblib.load(out)
    assert model.language == "ko" and model.metrics["n"] == 15
    ads = pd.DataFrame({"title": ["사무 보조 직원 모집", "사무 보조 직원 모집"],
                        "body": ["문서 정리와 전화 응대 업무입니다.\n주 40시간 근무, 4대보험",
                                 "문서 정리와 전화 응대 업무입니다.\n남자만 지원 가능합니다.\n주 40시간 근무, 4대보험"]})
    p = model.predict_proba(ads)
    assert p.shape == (2,) and ((p >= 0) & (p <= 1)).all()
    assert p[1] > p[0]


def test_train_in_english_with_other_columns(tmp_path: Path, capsys) -> None:
    rows = [{"headline": r["title"], "text": r["body"], "fraudulent": r["label"]}
            for r in _labelled_rows(EN_JOBS, EN_PROBLEMS, "+1-555")]
    src = _write_labelled(tmp_path / "en.csv", rows, ("headline", "text", "fraudulent"))
    out = tmp_path / "en.joblib"
    assert _train(src, out, "--language", "en", "--text-columns", "headline,text", "--label-column", "fraudulent") == 0
    printed = capsys.readouterr().out
    assert "학습 완료: 60건 (문제 30건)" in printed and "재현율" in printed and "정밀도" in printed and "PR-AUC" in printed
    model = joblib.load(out)
    assert model.language == "en"
    assert any(name.startswith("단어:") for name in model.feature_names)
    p = model.predict_proba(pd.DataFrame({"title": ["Cashier"], "body": ["Operating the register. Men only, please."]}))
    assert 0.0 <= float(p[0]) <= 1.0


def test_train_refuses_bad_labels_with_line_numbers(tmp_path: Path, capsys) -> None:
    rows = _labelled_rows(KO_JOBS, KO_PROBLEMS, "02-555")
    one_line = [{**r, "body": r["body"].replace("\n", " ")} for r in rows]
    one_line[1]["label"], one_line[3]["label"] = "maybe", ""
    src = _write_labelled(tmp_path / "bad.csv", one_line)
    out = tmp_path / "model.joblib"
    assert _train(src, out) == 2
    err = capsys.readouterr().err
    assert "학습할 수 없습니다: 3, 5행: [label] 레이블은 1/0, true/false, t/f, yes/no 중 하나여야 합니다" in err
    assert "Traceback" not in err and not out.exists()

    src = _write_labelled(tmp_path / "nolabel.csv", one_line, ("title", "body"))
    assert _train(src, out) == 2
    assert "1행: 필수 열이 없습니다: label" in capsys.readouterr().err
    assert _train(src, out, "--text-columns", "title,duties", "--label-column", "위반") == 2
    assert "1행: 필수 열이 없습니다: duties, 위반" in capsys.readouterr().err

    few = [r for r in rows if r["label"] in FALSE_WORDS] + [r for r in rows if r["label"] in TRUE_WORDS][:8]
    assert _train(_write_labelled(tmp_path / "few.csv", few), out) == 2
    assert "10건 이상" in capsys.readouterr().err
    assert _train(tmp_path / "none.csv", out) == 2
    assert "학습할 수 없습니다" in capsys.readouterr().err
    assert _train(src, tmp_path / "no_dir" / "model.joblib") == 2
    assert "출력 폴더가 없습니다" in capsys.readouterr().err
    assert not out.exists()


def test_train_line_numbers_are_physical_lines(tmp_path: Path, capsys) -> None:
    rows = _labelled_rows(KO_JOBS, KO_PROBLEMS, "02-555")  # bodies of three and four lines
    rows[1]["label"] = "maybe"  # the second record starts on line 2 + 3 = 5
    src = _write_labelled(tmp_path / "bad.csv", rows)
    assert src.read_text(encoding="utf-8-sig").splitlines()[4].startswith("사무 보조 직원 모집,")
    assert _train(src, tmp_path / "model.joblib") == 2
    assert "학습할 수 없습니다: 5행: [label]" in capsys.readouterr().err


TEMPLATE_BODY = ("{site} 물류센터 입출고·포장 단순업무입니다. 주 5일 08:30~17:30 근무, 통근버스 운행, 중식 무료 제공, "
                 "4대보험 가입. 초보 가능, 장기 근무 가능자 우대. 문자 또는 전화 접수 후 면접 일정을 안내합니다.")


def _template_rows(n: int) -> list[str]:
    sites = ("평택", "안성", "이천")
    return [f'T-{i},물류센터 입출고 사원 모집,"{TEMPLATE_BODY.format(site=sites[i % 3])}",hourly,12000,40'
            for i in range(n)]


def test_file_is_verified_a_chunk_at_a_time_with_duplicates_across_chunks(tmp_path: Path, models_dir: Path,
                                                                          monkeypatch, capsys) -> None:
    """One template posted many times: every later copy is a duplicate of the first (the
    original), also across chunks, and chunks of two give the bytes of one chunk."""
    import app.cli.verify as command

    src = _write(tmp_path / "ads.csv", BASIC_HEADER, ROW_OK, *_template_rows(9))
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert _verify(src, whole, models_dir, "--rules-only") == 0
    summary = capsys.readouterr().out.replace(str(whole), "OUT")
    monkeypatch.setattr(command, "VERIFY_CHUNK_ROWS", 2)
    assert _verify(src, chunked, models_dir, "--rules-only") == 0
    assert capsys.readouterr().out.replace(str(chunked), "OUT") == summary
    assert chunked.read_bytes() == whole.read_bytes()
    verdicts = _read(whole).set_index("id")
    assert verdicts.loc["X-1", "decision"] == "pass"
    assert verdicts.loc["T-0", "decision"] == "pass"  # the original
    for i in range(1, 9):
        assert _rule_ids(verdicts.loc[f"T-{i}", "reasons"]) == {"DUPLICATE"}
    checked = command.check_ads(src)
    assert checked.errors == [] and checked.rows.ids == ["X-1", *(f"T-{i}" for i in range(9))]
    assert checked.rows.signatures.shape == (10, 64)  # what the check keeps: ids and signatures, no text


def test_input_changed_between_check_and_verification_writes_nothing(tmp_path: Path, models_dir: Path, monkeypatch,
                                                                     capsys) -> None:
    import app.cli.verify as command

    src = _write(tmp_path / "ads.csv", BASIC_HEADER, ROW_OK, *_template_rows(2))
    checked = command.check_ads

    def check_then_edit(path: Path):  # another program rewrites the file after the check
        result = checked(path)
        _write(path, BASIC_HEADER, ROW_OK, *_template_rows(3))
        return result

    monkeypatch.setattr(command, "VERIFY", command.VERIFY.__class__(
        read=check_then_edit, load=command.VERIFY.load, score=command.VERIFY.score, summary=command.VERIFY.summary))
    out = tmp_path / "verdicts.csv"
    assert _verify(src, out, models_dir, "--rules-only") == 1
    err = capsys.readouterr().err
    assert "입력 파일이 검사 도중에 바뀌었습니다" in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["ads.csv"]
