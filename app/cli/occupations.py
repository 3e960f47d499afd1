"""Command line: ``python -m app occupations fit --input people.csv --top 5 --output fit.csv``.

Scores every KNOW occupation for each person with the occupation-fit model
(:mod:`app.ml.occupation_fit`; format: ``docs/occupation_fit.md``) and writes the ``--top`` best:

* input ``people.csv``: ``id,R,I,A,S,E,C`` (1–5, required) and any of ``cq1``..``cq49`` (KNOW 2018
  work-environment items, 1–5; a column may be absent and a cell empty: that item is then not used);
* output ``fit.csv``: ``id,rank,occupation_code,occupation_name,score`` (``occupation_code``: the
  KNOW code; ``score``: the calibrated probability), ``--top`` rows per person in input order.

The whole file is checked first; any bad row is reported as ``"N행: [column] …"`` (the header is
line 1) on stderr, the exit code is 2 and no output file is written. The file is then read again and
scored a chunk of rows at a time, so memory follows the chunk (and the set of ids, kept to find
repeated ones), not the file; the output goes to a temporary file renamed into place when complete.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from app.cli.chunked import ChunkedResult
from app.cli.runner import (
    CHUNK_ROWS,
    FileCommand,
    InputScan,
    ReadResult,
    input_rows,
    input_stamp,
    number_cell,
    row_id,
    run_command_line,
    run_file_command,
)
from app.config import get_settings
from app.db.importers.csv_reader import batched
from app.ml.occupation_fit import INTERESTS, WORK_ITEMS, OccupationFit, load_occupation_fit

REQUIRED_COLUMNS: tuple[str, ...] = ("id", *(letter.lower() for letter in INTERESTS))
"""Header names as the CSV reader matches them (without regard to case: ``R`` or ``r``)."""
OPTIONAL_COLUMNS: tuple[str, ...] = WORK_ITEMS
OUTPUT_COLUMNS: tuple[str, ...] = ("id", "rank", "occupation_code", "occupation_name", "score")
MAX_ID_CHARS = 40
DEFAULT_TOP = 5
MAX_TOP = 50


def _answer(cells: dict[str, str], column: str, line: int, errors: list[str], *, required: bool) -> float:
    """One answer (1–5); a problem goes to ``errors`` and gives NaN."""
    text = cells.get(column.lower(), "")
    if not text:
        if required:
            errors.append(f"{line}행: [{column}] 값이 없습니다 (1~5)")
        return float("nan")
    value = number_cell(text, low=1, high=5)
    if value is None:
        errors.append(f"{line}행: [{column}] 1~5 사이의 숫자여야 합니다 (입력값: {text})")
        return float("nan")
    return value


def _people_chunks(cells: Iterable[tuple[int, dict[str, str]]], errors: list[str],
                   seen: set[str]) -> Iterator[tuple[list[str], np.ndarray]]:
    """``(ids, answers)`` of every row, :data:`CHUNK_ROWS` at a time (answers: rows × R..C, cq1..cq49,
    NaN where unanswered); problems go to ``errors``, ids already in ``seen`` are reported."""
    columns = (*INTERESTS, *WORK_ITEMS)
    for chunk in batched(cells, CHUNK_ROWS):
        ids: list[str] = []
        answers = np.full((len(chunk), len(columns)), np.nan)
        for i, (line, row) in enumerate(chunk):
            identifier = row_id(row, line, "", errors, max_chars=MAX_ID_CHARS)
            if not identifier:
                errors.append(f"{line}행: [id] 값이 없습니다")
            elif identifier in seen:
                errors.append(f"{line}행: [id] 앞에서 이미 나온 id입니다 ({identifier[:MAX_ID_CHARS]})")
            else:
                seen.add(identifier)
            ids.append(identifier)
            for j, column in enumerate(columns):
                answers[i, j] = _answer(row, column, line, errors, required=column in INTERESTS)
        yield ids, answers


def check_people(path: Path) -> ReadResult[InputScan]:
    """The checking pass: every row validated, keeping only the errors and notes."""
    errors: list[str] = []
    notes: list[str] = []
    stamp = input_stamp(path)
    rows = 0
    for ids, _ in _people_chunks(input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes), errors, set()):
        rows += len(ids)
    return ReadResult(InputScan(path, stamp, rows), errors, notes)


def fit_frame(ids: list[str], answers: np.ndarray, model: OccupationFit, top: int) -> pd.DataFrame:
    """The output rows of one chunk: the ``top`` best occupations of every person."""
    frame = pd.DataFrame(answers, columns=[*INTERESTS, *WORK_ITEMS])
    best = model.top_k(frame, top)
    return pd.DataFrame({
        "id": np.asarray(ids, dtype=object)[best["row"].to_numpy()], "rank": best["rank"].to_numpy(),
        "occupation_code": best["occupation_code"].astype(str).to_numpy(),
        "occupation_name": best["occupation_name"].to_numpy(), "score": best["score"].round(6).to_numpy(),
    })


def fit_people(scan: InputScan, model: OccupationFit, top: int) -> ChunkedResult:
    """The output of a checked file, scored and written a chunk at a time."""

    def chunks() -> Iterator[pd.DataFrame]:
        errors: list[str] = []
        for ids, answers in _people_chunks(scan.rows_again(REQUIRED_COLUMNS, OPTIONAL_COLUMNS), errors, set()):
            if errors:
                raise scan.changed()
            yield fit_frame(ids, answers, model, top)

    return ChunkedResult(chunks(), kept=("rank", "score"))


def _load(args: argparse.Namespace) -> OccupationFit:
    return load_occupation_fit(args.models_dir or get_settings().models_dir)


def _summary(frame: ChunkedResult, model: OccupationFit, args: argparse.Namespace, scan: InputScan) -> list[str]:
    first = frame["score"][frame["rank"] == 1]
    return [
        f"직업 적합도 계산 완료: {len(scan):,}명 × 상위 {args.top}개 → {args.output} (모델 {model.version}, "
        f"1순위 평균 적합도 {first.mean():.1%})",
        "AI 예측 결과입니다: 적합도는 비슷한 응답을 한 재직자들의 직업에서 추정한 값이며, 직업 선택은 본인과 상담사가 판단합니다.",
    ]


FIT = FileCommand(
    read=check_people,
    load=_load,
    score=lambda scan, model, args: fit_people(scan, model, args.top),
    summary=_summary,
)
"""``occupations fit``: people's interests and work environment in, their best KNOW occupations out."""


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"정수여야 합니다 (입력값: {text})") from None
    if not 1 <= value <= MAX_TOP:
        raise argparse.ArgumentTypeError(f"1~{MAX_TOP} 사이여야 합니다 (입력값: {text})")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app occupations``."""
    parser = argparse.ArgumentParser(prog="python -m app occupations", description="직업 적합도 모델 명령")
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit", help="사람별 흥미·업무환경 응답으로 잘 맞는 KNOW 직업과 적합도를 계산합니다")
    fit.add_argument("--input", required=True, type=Path, help="UTF-8 CSV: id,R,I,A,S,E,C(1~5)와 선택 열 cq1~cq49")
    fit.add_argument("--output", required=True, type=Path, help="결과 CSV 경로 (성공했을 때만 만들어집니다)")
    fit.add_argument("--top", type=_top, default=DEFAULT_TOP, help=f"사람마다 쓸 직업 수 (1~{MAX_TOP}, 기본 {DEFAULT_TOP})")
    fit.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: 설정의 GOYONG_MODELS_DIR)")
    fit.set_defaults(func=lambda args: run_file_command(args, FIT))
    return parser


def main_occupations(argv: list[str] | None = None) -> int:
    """Run ``python -m app occupations …``; returns the exit code (0 ok, 2 bad input, 1 no model)."""
    return run_command_line(argv, "occupations", build_parser())
