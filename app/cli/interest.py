"""Command line of the adaptive interest test (the contract other tools rely on).

``python -m app interest simulate --calibration calib.csv --responses test.csv --scales scales.json
--output report.json``

* ``calib.csv`` / ``test.csv``: one row per respondent, one column per item (other columns, such as
  ``id``, are ignored; an ``id`` column names the respondents of the report), integer answers on a
  ``1..K`` scale, ``-1`` or empty for missing. ``scales.json``: ``{"R": ["R1", …], "I": […], …}``.
* Item parameters (graded response model, :mod:`app.ml.irt`) are calibrated on ``calib.csv`` only.
  Every respondent of ``test.csv`` then takes the adaptive test (:mod:`app.ml.adaptive_test`),
  answering each item it asks from their own full-form answers (an item they left missing cannot
  be asked). ``report.json``: ``items_used_mean``, ``items_used_share`` (items asked ÷ items the
  respondent answered on the full form, averaged), ``top1_agreement``, ``top3_set_agreement``
  (against the same respondent's full-form scale scores; ties count, see
  :mod:`app.ml.adaptive_simulation`) and ``respondents`` (one row each).

``python -m app interest calibrate --responses responses.csv --scales scales.json --output bank.csv``
calibrates any response matrix: ``bank.csv`` has ``item_code, scale, discrimination, threshold_1..``;
with a ``.json`` output the scales' correlation and the respondent count are written too.

Bad files (unreadable, a missing item column, an answer that is not an integer ``1..K`` or ``-1``,
a broken ``scales.json``): every problem as ``"파일 N행: …"`` on stderr, exit code 2 and no output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from app.cli.runner import (
    RunRecord,
    check_output_path,
    input_rows,
    report_input_errors,
    run_command_line,
    run_recorded,
    write_result,
)

MAX_CATEGORIES = 11
"""Largest answer scale accepted (1..11); anything wider is not a Likert item."""
MAX_ID = 100


def read_scales(path: Path) -> tuple[dict[str, list[str]] | None, list[str]]:
    """Read ``scales.json``: a JSON object of scale name -> list of item column names."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None, [f"scales: 파일을 찾을 수 없습니다: {path}"]
    except IsADirectoryError:
        return None, [f"scales: 파일이 아니라 폴더입니다: {path}"]
    except UnicodeDecodeError:
        return None, [f"scales: UTF-8 텍스트가 아닙니다: {path}"]
    except json.JSONDecodeError as err:
        return None, [f"scales: {err.lineno}행: JSON 형식이 아닙니다 ({err.msg})"]
    except OSError as err:
        return None, [f"scales: 파일을 읽을 수 없습니다: {path} ({err.strerror})"]
    if not isinstance(data, dict) or not data:
        return None, ["scales: 1행: 척도 이름 → 문항 목록의 JSON 객체여야 합니다 (예: {\"R\": [\"R1\", \"R2\"]})"]
    errors: list[str] = []
    seen: dict[str, str] = {}
    scales: dict[str, list[str]] = {}
    for name, items in data.items():
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            errors.append(f"scales: 척도 '{name}'의 값은 문항 열 이름(문자열)의 목록이어야 합니다")
            continue
        if len(items) < 2:
            errors.append(f"scales: 척도 '{name}'에 문항이 2개 이상 있어야 합니다")
        for item in items:
            key = item.strip().lower()  # column names are matched without regard to case
            if key in seen:
                errors.append(f"scales: 문항 '{item}'이(가) 척도 '{seen[key]}'와(과) '{name}'에 모두 있습니다")
            seen[key] = str(name)
        scales[str(name)] = [i.strip() for i in items]
    return (None if errors else scales), errors


def read_matrix(path: Path, items: Sequence[str], *, label: str, max_answer: int | None = None
                ) -> tuple[np.ndarray | None, list[str], list[str], list[str]]:
    """Read a response matrix: ``(answers (n, items) int8 with -1 missing, ids, errors, notes)``.

    Args:
        path: The CSV.
        items: The item columns, in bank order (all required).
        label: The file's name in messages (``calibration`` / ``responses``).
        max_answer: The calibration's ``K``; a larger answer is an error (``None``: up to
            :data:`MAX_CATEGORIES`).
    """
    errors: list[str] = []
    notes: list[str] = []
    file_errors: list[str] = []
    rows: list[np.ndarray] = []
    ids: list[str] = []
    first_line: dict[str, int] = {}
    high = max_answer or MAX_CATEGORIES
    keys = [item.strip().lower() for item in items]  # the CSV reader matches column names case-insensitively
    for line, cells in input_rows(path, tuple(keys), ("id",), file_errors, notes):
        where = f"{label} {line}행"
        row = np.full(len(items), -1, dtype=np.int8)
        for j, (item, key) in enumerate(zip(items, keys, strict=True)):
            cell = cells.get(key, "").strip()
            if cell in ("", "-1"):
                continue
            try:
                value = int(cell)
            except ValueError:
                value = None
            if value is None or not 1 <= value <= high:
                if len(errors) < 200:
                    errors.append(f"{where}: [{item}] 응답은 1~{high} 사이의 정수, -1 또는 빈 칸이어야 합니다 ({cell[:20]})")
                continue
            row[j] = value
        identifier = cells.get("id", "").strip() or str(line - 1)
        if len(identifier) > MAX_ID:
            errors.append(f"{where}: [id] id는 {MAX_ID}자 이하여야 합니다")
        elif identifier in first_line:
            errors.append(f"{where}: [id] {first_line[identifier]}행과 같은 id입니다")
        else:
            first_line[identifier] = line
        ids.append(identifier)
        rows.append(row)
    errors = [*(f"{label}: {e}" for e in file_errors), *errors]
    if errors:
        return None, ids, errors, notes
    return np.vstack(rows), ids, errors, notes


def _write_json_atomically(data: dict, output: Path) -> None:
    """Write JSON through a temporary file and a rename (no partial file on failure)."""
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _calibrate(answers: np.ndarray, scales: dict[str, list[str]]):
    from app.errors import InvalidInput
    from app.ml.irt import calibrate_graded_bank

    items = [i for v in scales.values() for i in v]
    frame = pd.DataFrame(answers.astype(float), columns=items)
    try:
        return calibrate_graded_bank(frame, scales), None
    except InvalidInput as err:
        return None, f"calibration: {err.user_message}"


def _output_and_scales(args: argparse.Namespace, record: RunRecord) -> tuple[dict[str, list[str]], list[str]] | int:
    """The checked output path and scales (scales, items in bank order), or the finished exit code."""
    problem = check_output_path(args.output)
    if problem:
        print(problem, file=sys.stderr)
        return record.finish(2)
    scales, errors = read_scales(args.scales)
    if scales is None:
        return record.finish(report_input_errors(errors, args.scales))
    return scales, [i for v in scales.values() for i in v]


def _write_json(data: dict, output: Path) -> bool:
    """:func:`_write_json_atomically`, printing a Korean error and returning False when it fails."""
    try:
        _write_json_atomically(data, output)
    except OSError as err:
        print(f"결과 파일을 쓸 수 없습니다: {output} ({err.strerror})", file=sys.stderr)
        return False
    return True


def _run_simulate(args: argparse.Namespace, record: RunRecord) -> int:
    from app.ml.adaptive_simulation import simulate_adaptive
    from app.ml.adaptive_test import MODEL_VERSION, contract_settings

    checked = _output_and_scales(args, record)
    if isinstance(checked, int):
        return checked
    scales, items = checked
    calibration, _, errors, notes = read_matrix(args.calibration, items, label="calibration")
    if calibration is not None:
        k = int(calibration.max())
        test, ids, errors, more = read_matrix(args.responses, items, label="responses", max_answer=k)
        notes += more
    else:
        test, ids = None, []
    record.rows_in = 0 if test is None else len(test)
    record.errors = len(errors)
    if errors:
        return record.finish(report_input_errors(errors, args.responses if calibration is not None else args.calibration))
    assert calibration is not None and test is not None
    bank, problem = _calibrate(calibration, scales)
    if bank is None:
        print(problem, file=sys.stderr)
        return record.finish(2)
    settings = contract_settings(bank.n_items, len(bank.scales))
    record.models = {"adaptive_test": MODEL_VERSION}
    result = simulate_adaptive(bank, test.astype(int), settings, ids=ids)
    report = {
        **result.summary,
        "settings": {"max_items": settings.max_items, "top1_confidence": settings.top1_confidence,
                     "top_set_confidence": settings.top_set_confidence, "se_floor": settings.se_floor,
                     "exposure_cap": settings.exposure_cap, "min_per_scale": settings.min_per_scale},
        "calibration": {"respondents": bank.respondents, "categories": bank.n_categories,
                        "scale_correlation": np.round(bank.correlation, 3).tolist(), "scales": list(bank.scales)},
        "exposure": {code: round(float(r), 4) for code, r in zip(bank.item_codes, result.exposure, strict=True)},
        "respondents": result.respondents,
    }
    if not _write_json(report, args.output):
        return record.finish(1)
    for note in notes:
        print(f"참고: {note}")
    record.rows_out = len(result.respondents)
    if record.finish(0) != 0:
        args.output.unlink(missing_ok=True)
        return 1
    s = result.summary
    print(f"응답자 {s['n_respondents']:,}명의 적응형 검사를 모의 실행했습니다: 평균 {s['items_used_mean']:.1f}문항 "
          f"(전체의 {s['items_used_share'] * 100:.0f}%), 최고 흥미 일치 {s['top1_agreement'] * 100:.1f}%, "
          f"상위 3개 일치 {s['top3_set_agreement'] * 100:.1f}%.")
    print("AI가 선택한 문항으로 추정한 결과입니다: 전체 검사와 다를 수 있으니 상담에서 함께 확인하세요.")
    return 0


def _run_calibrate(args: argparse.Namespace, record: RunRecord) -> int:
    checked = _output_and_scales(args, record)
    if isinstance(checked, int):
        return checked
    scales, items = checked
    answers, _, errors, notes = read_matrix(args.responses, items, label="responses")
    record.rows_in = 0 if answers is None else len(answers)
    record.errors = len(errors)
    if errors:
        return record.finish(report_input_errors(errors, args.responses))
    assert answers is not None
    bank, problem = _calibrate(answers, scales)
    if bank is None:
        print(problem, file=sys.stderr)
        return record.finish(2)
    if args.output.suffix.lower() == ".json":
        if not _write_json(bank.to_dict(), args.output):
            return record.finish(1)
        for note in notes:
            print(f"참고: {note}")
    elif not write_result(bank.to_frame(), args.output, notes):
        return record.finish(1)
    record.rows_out = bank.n_items
    if record.finish(0) != 0:
        args.output.unlink(missing_ok=True)
        return 1
    print(f"응답자 {bank.respondents:,}명의 응답으로 {bank.n_items}개 문항({len(bank.scales)}개 척도, "
          f"{bank.n_categories}점 척도)의 등급반응모형 모수를 추정했습니다.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m app interest``."""
    parser = argparse.ArgumentParser(prog="python -m app interest", description="지능형 직업흥미검사 (적응형 검사)")
    sub = parser.add_subparsers(dest="action", required=True)
    simulate = sub.add_parser("simulate", help="보정 자료로 문항 모수를 추정하고 응답 자료로 적응형 검사를 모의 실행")
    simulate.add_argument("--calibration", type=Path, required=True, help="문항 보정용 응답 CSV")
    simulate.add_argument("--responses", type=Path, required=True, help="모의 검사 대상 응답 CSV (전체 문항 응답)")
    simulate.add_argument("--scales", type=Path, required=True, help="척도 정의 JSON ({\"R\": [\"R1\", …], …})")
    simulate.add_argument("--output", type=Path, required=True, help="결과 JSON")
    simulate.add_argument("--db-url", default=None, help="실행 기록을 남길 데이터베이스 (기본값: GOYONG_DB_URL)")
    calibrate = sub.add_parser("calibrate", help="응답 행렬로 등급반응모형 문항 모수를 추정")
    calibrate.add_argument("--responses", type=Path, required=True, help="응답 CSV")
    calibrate.add_argument("--scales", type=Path, required=True, help="척도 정의 JSON")
    calibrate.add_argument("--output", type=Path, required=True, help="문항 모수 CSV (또는 .json)")
    calibrate.add_argument("--db-url", default=None, help="실행 기록을 남길 데이터베이스 (기본값: GOYONG_DB_URL)")

    def run_simulate(args: argparse.Namespace) -> int:
        args.input = args.responses
        return run_recorded(args, "interest simulate", lambda r: _run_simulate(args, r), database_required=False)

    def run_calibrate(args: argparse.Namespace) -> int:
        args.input = args.responses
        return run_recorded(args, "interest calibrate", lambda r: _run_calibrate(args, r), database_required=False)

    simulate.set_defaults(func=run_simulate)
    calibrate.set_defaults(func=run_calibrate)
    return parser


def main_interest(argv: list[str] | None = None) -> int:
    """Run ``python -m app interest …``; returns the exit code (0 ok, 2 bad input, 1 output failed)."""
    return run_command_line(argv, "interest", build_parser())
