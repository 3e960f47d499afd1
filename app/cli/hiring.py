"""Command line: ``python -m app hiring score --input postings.csv --output scored.csv``.

Scores a CSV of postings with the hiring-success model (format: ``docs/hiring_score.md``). The
whole file is checked first; any bad row is reported as ``"N행: …"`` (the header is line 1) on
stderr, the exit code is 2 and no output file is written. Then the file is read again and scored
a chunk of rows at a time, so memory does not grow with the file. The output is written to a
temporary file next to the target and renamed into place only when complete, so a failure never
leaves a partial file.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from app.cli.chunked import ChunkedResult
from app.cli.runner import (
    CHUNK_ROWS,
    FileCommand,
    InputScan,
    ReadResult,
    header_names,
    input_rows,
    input_stamp,
    row_id,
    run_command_line,
    run_file_command,
)
from app.config import get_settings
from app.db.importers.csv_reader import batched
from app.db.repositories.postings import SECTION_COLUMNS
from app.ml.hiring_features import count_sections
from app.services.hiring import (
    HiringModel,
    InvalidConditions,
    PostingConditions,
    load_hiring_model,
    validate_conditions,
)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "keco_code", "region_code", "size_code", "wage_type", "wage_amount", "weekly_hours", "employment_type",
    "career", "education",
)
TEXT_COLUMNS: tuple[str, ...] = ("title", *SECTION_COLUMNS, "body")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "id", "min_career_years", "welfare_codes", "open_month", "n_sections", "body_chars", *TEXT_COLUMNS,
)
CONDITION_COLUMNS: tuple[str, ...] = (
    "keco_code", "region_code", "size_code", "wage_type", "wage_amount", "weekly_hours", "employment_type",
    "career", "min_career_years", "education", "welfare_codes", "open_month", "n_sections", "body_chars",
)
OUTPUT_ADDED: tuple[str, ...] = ("probability", "probability_low", "probability_high", "days",
                                 "reason_1", "reason_2", "reason_3")
MAX_ID_CHARS = 40


def _raw_conditions(cells: dict[str, str], header: set[str], n_sections: int | None) -> dict[str, object]:
    raw: dict[str, object] = {name: cells[name] for name in CONDITION_COLUMNS if name in cells}
    if n_sections is not None:
        raw["n_sections"] = n_sections
    if "body_chars" not in cells:
        if "body" in header:
            raw["body_chars"] = len(cells.get("body", ""))
        elif any(name in header for name in TEXT_COLUMNS):
            raw["body_chars"] = len("\n".join(cells[name] for name in TEXT_COLUMNS if cells.get(name)))
    return raw


def _section_counts(chunk: Sequence[tuple[int, dict[str, str]]], header: set[str]) -> list[int | None]:
    """Written sections of each row without an ``n_sections`` cell (``None`` when it has one, or
    the file has no section column): one :func:`count_sections` call per chunk, not per row."""
    texts = [name for name in SECTION_COLUMNS if name in header]
    counts: list[int | None] = [None] * len(chunk)
    wanted = [k for k, (_, cells) in enumerate(chunk) if "n_sections" not in cells] if texts else []
    if wanted:
        frame = pd.DataFrame([{name: chunk[k][1].get(name, "") for name in texts} for k in wanted], columns=texts)
        for k, count in zip(wanted, count_sections(frame), strict=True):
            counts[k] = int(count)
    return counts


def _posting_chunks(cells: Iterable[tuple[int, dict[str, str]]], header: set[str],
                    errors: list[str]) -> Iterator[list[tuple[str, PostingConditions]]]:
    """The valid rows as ``(id, conditions)``, :data:`CHUNK_ROWS` cells rows at a time; every bad
    row's problems go to ``errors`` instead."""
    valid = 0
    for chunk in batched(cells, CHUNK_ROWS):
        parsed: list[tuple[str, PostingConditions]] = []
        for (line, row), n_sections in zip(chunk, _section_counts(chunk, header), strict=True):
            identifier = row_id(row, line, str(valid + 1), errors, max_chars=MAX_ID_CHARS)
            try:
                parsed.append((identifier, validate_conditions(_raw_conditions(row, header, n_sections))))
                valid += 1
            except InvalidConditions as err:
                errors.extend(f"{line}행: [{field}] {message}" for field, message in err.errors.items())
        yield parsed


def _default_notes(header: set[str]) -> list[str]:
    notes = []
    if "n_sections" not in header and not any(name in header for name in SECTION_COLUMNS):
        notes.append("n_sections 열도 공고 항목 열도 없어 작성 항목 수는 기본값 6개로 계산했습니다")
    if "body_chars" not in header and not any(name in header for name in TEXT_COLUMNS):
        notes.append("body_chars 열도 본문 열도 없어 본문 글자 수는 기본값 900자로 계산했습니다")
    return notes


def read_postings(path: Path) -> tuple[list[tuple[str, PostingConditions]], list[str], list[str]]:
    """Parse and validate every row.

    Returns:
        ([(id, conditions)] in file order, errors, warnings) — errors are ``"N행: …"`` lines and
        file-level problems; when there is any error the rows must not be used.
    """
    errors: list[str] = []
    notes: list[str] = []
    header = header_names(path)
    cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes)
    rows = [row for chunk in _posting_chunks(cells, header, errors) for row in chunk]
    if not errors:
        notes.extend(_default_notes(header))
    return rows, errors, notes


@dataclass(frozen=True)
class PostingsInput:
    """A checked postings file: what the scoring pass needs to read it again (not its rows)."""

    scan: InputScan
    header: set[str]

    def __len__(self) -> int:
        return len(self.scan)


def check_postings(path: Path) -> ReadResult[PostingsInput]:
    """The checking pass of ``hiring score``: every row validated as :func:`read_postings` does,
    keeping only the errors and notes (memory does not grow with the file)."""
    errors: list[str] = []
    notes: list[str] = []
    stamp = input_stamp(path)
    header = header_names(path)
    rows = 0
    for chunk in _posting_chunks(input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes), header, errors):
        rows += len(chunk)
    if not errors:
        notes.extend(_default_notes(header))
    return ReadResult(PostingsInput(InputScan(path, stamp, rows), header), errors, notes)


def score_postings(checked: PostingsInput, model: object) -> ChunkedResult:
    """The output of a checked file, scored and written a chunk at a time (:func:`scored_frame`)."""

    def chunks() -> Iterator[pd.DataFrame]:
        errors: list[str] = []
        cells = checked.scan.rows_again(REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
        for parsed in _posting_chunks(cells, checked.header, errors):
            if errors:
                raise checked.scan.changed()
            yield scored_frame(parsed, model)

    return ChunkedResult(chunks(), kept=("probability",))


def scored_frame(rows: Sequence[tuple[str, PostingConditions]], model: object) -> pd.DataFrame:
    """The output table: id, the conditions, probability, interval, days and the top-3 reasons."""
    from app.services.hiring.scoring import score_conditions

    conditions = [c for _, c in rows]
    frame = pd.DataFrame([c.to_dict() for c in conditions], columns=list(CONDITION_COLUMNS))
    frame["welfare_codes"] = [";".join(c.welfare_codes) for c in conditions]
    frame.insert(0, "id", [identifier for identifier, _ in rows])
    scores = score_conditions(conditions, model, reasons=3)  # type: ignore[arg-type]
    for name in ("probability", "probability_low", "probability_high"):
        frame[name] = scores[name].round(4).to_numpy()
    frame["days"] = scores["days"].round(1).to_numpy()
    for name in ("reason_1", "reason_2", "reason_3"):
        frame[name] = scores[name].to_numpy()
    return frame


def _load(args: argparse.Namespace) -> HiringModel:
    return load_hiring_model(args.models_dir or get_settings().models_dir)


def _summary(frame: pd.DataFrame | ChunkedResult, model: HiringModel, args: argparse.Namespace, _rows: object) -> list[str]:
    return [
        f"채점 완료: {len(frame):,}건 → {args.output} (모델 {model.version}, 평균 채용확률 {frame['probability'].mean():.1%})",
        "AI 예측 결과입니다: 확률은 비슷한 공고들의 과거 결과에서 추정한 값이며 보장이 아닙니다.",
    ]


SCORE = FileCommand(
    read=check_postings,
    load=_load,
    score=lambda checked, model, _args: score_postings(checked, model),
    summary=_summary,
)
"""``hiring score``: postings in, fill probability, interval, days and the top-3 reasons out."""


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app hiring``."""
    parser = argparse.ArgumentParser(prog="python -m app hiring", description="채용성공 예측모델 명령")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="공고 CSV의 30일 내 채용확률·예상 소요일·주요 이유를 계산합니다")
    score.add_argument("--input", required=True, type=Path, help="UTF-8 CSV (docs/hiring_score.md 형식)")
    score.add_argument("--output", required=True, type=Path, help="결과 CSV 경로 (성공했을 때만 만들어집니다)")
    score.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: 설정의 GOYONG_MODELS_DIR)")
    score.set_defaults(func=lambda args: run_file_command(args, SCORE))
    return parser


def main_hiring(argv: list[str] | None = None) -> int:
    """Run ``python -m app hiring …``; returns the exit code.

    Args:
        argv: Arguments after ``hiring`` (``None`` means ``sys.argv[1:]``; a leading ``"hiring"``
            is tolerated).

    Returns:
        0 on success; 2 on invalid input or usage (no output file); 1 when the model is missing or
        the output cannot be written.
    """
    return run_command_line(argv, "hiring", build_parser())
