"""Command line of the matching recommender (the contract other tools rely on).

``python -m app match --candidates candidates.csv --jobs jobs.csv [--history applications.csv]
--for {candidates,jobs} --top K --output recs.csv``

* ``candidates.csv``: ``id, text``; optional ``occupation, region, career_months, desired_wage,
  certificates``. ``jobs.csv``: ``id, text``; optional ``occupation, region, career_months, wage``
  (wages in 원 a month). ``text`` may be Korean prose, keyword lists or opaque code tokens; optional
  cells may be empty; ``occupation`` may be a name or a code.
* ``applications.csv``: ``candidate_id, job_id`` — past applications. Given, they are learned from
  (collaborative signal and a learning-to-rank model trained on this data) and no pair in it is
  recommended again. Pairs naming an id absent from the other files are skipped with a note.
* ``--for candidates``: the top K jobs of every candidate; ``--for jobs``: the top K candidates of
  every job. Output ``recs.csv``: ``query_id, rank, item_id, score`` for every query that has any item.
* Bad files (unreadable, not UTF-8, a missing column, an empty or repeated id, a number that is not
  one): every problem as ``"파일 N행: …"`` on stderr, exit code 2 and no output. A missing model
  never happens (the recommender learns from the files); a database for the run record is needed
  like the other file commands (exit 1 without one).

The run writes one run record to the audit log (input SHA-256 of the candidates file, counts,
exit code, output path; no content). Format details: ``docs/match.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from app.cli.runner import (
    RunRecord,
    check_output_path,
    input_rows,
    number_cell,
    report_input_errors,
    run_command_line,
    run_recorded,
    write_result,
)
from app.match.recommend import MODEL_VERSION, Side, recommend

CANDIDATE_COLUMNS = ("occupation", "region", "career_months", "desired_wage", "certificates")
JOB_COLUMNS = ("occupation", "region", "career_months", "wage")
MAX_ID = 100
MAX_TEXT = 20_000
MAX_TOP = 1_000
MAX_CAREER_MONTHS = 12 * 70
MAX_WAGE = 1_000_000_000  # 원 a month: anything above is a typo or another unit


@dataclass(frozen=True)
class _Read:
    side: Side | None
    errors: list[str]
    notes: list[str]


def read_side(path: Path, optional: Sequence[str], *, label: str, wage_column: str) -> _Read:
    """Read and check a candidates or jobs file (every problem of every row is reported)."""
    errors: list[str] = []
    notes: list[str] = []
    ids: list[str] = []
    texts: list[str] = []
    occupation: list[str] = []
    region: list[str] = []
    career: list[float] = []
    wage: list[float] = []
    first_line: dict[str, int] = {}
    empty_text = 0
    file_errors: list[str] = []  # the reader's own (header, encoding): named after the file below
    for line, cells in input_rows(path, ("id", "text"), optional, file_errors, notes):
        where = f"{label} {line}행"
        identifier = cells.get("id", "")
        if not identifier:
            errors.append(f"{where}: [id] 값이 비어 있습니다")
        elif len(identifier) > MAX_ID:
            errors.append(f"{where}: [id] id는 {MAX_ID}자 이하여야 합니다 ({len(identifier)}자)")
        elif identifier in first_line:
            errors.append(f"{where}: [id] {first_line[identifier]}행과 같은 id입니다")
        else:
            first_line[identifier] = line
        text = cells.get("text", "")
        if len(text) > MAX_TEXT:
            errors.append(f"{where}: [text] {MAX_TEXT:,}자 이하여야 합니다 ({len(text):,}자)")
        empty_text += not text
        extra = cells.get("certificates", "")
        months = wage_value = float("nan")
        if cells.get("career_months"):
            parsed = number_cell(cells["career_months"], low=0, high=MAX_CAREER_MONTHS)
            if parsed is None:
                errors.append(f"{where}: [career_months] 0~{MAX_CAREER_MONTHS} 사이의 개월 수여야 합니다")
            else:
                months = parsed
        if cells.get(wage_column):
            parsed = number_cell(cells[wage_column], low=0, high=MAX_WAGE)
            if parsed is None:
                errors.append(f"{where}: [{wage_column}] 0 이상의 월 임금(원)이어야 합니다")
            else:
                wage_value = parsed
        ids.append(identifier)
        texts.append(f"{text} {extra}".strip())
        occupation.append(cells.get("occupation", ""))
        region.append(cells.get("region", ""))
        career.append(months)
        wage.append(wage_value)
    errors = [*(f"{label}: {e}" for e in file_errors), *errors]
    if empty_text and not errors:
        notes.append(f"{label}: text가 빈 행 {empty_text:,}개는 다른 열과 지원 이력으로만 추천합니다")
    if errors:
        return _Read(None, errors, notes)
    side = Side(ids=ids, text=texts, occupation=occupation, region=region,
                career_months=np.asarray(career, dtype=float), wage=np.asarray(wage, dtype=float))
    return _Read(side, errors, notes)


def read_history(path: Path, candidates: Side, jobs: Side) -> tuple[pd.DataFrame | None, list[str], list[str]]:
    """Read the applications file; pairs with an id absent from the other files are skipped (noted)."""
    errors: list[str] = []
    notes: list[str] = []
    rows: list[tuple[str, str]] = []
    file_errors: list[str] = []
    for line, cells in input_rows(path, ("candidate_id", "job_id"), (), file_errors, notes):
        where = f"applications {line}행"
        candidate, job = cells.get("candidate_id", ""), cells.get("job_id", "")
        if not candidate:
            errors.append(f"{where}: [candidate_id] 값이 비어 있습니다")
        if not job:
            errors.append(f"{where}: [job_id] 값이 비어 있습니다")
        if candidate and job:
            rows.append((candidate, job))
    errors = [*(f"applications: {e}" for e in file_errors), *errors]
    if errors:
        return None, errors, notes
    pairs = pd.DataFrame(rows, columns=["candidate_id", "job_id"])
    known = pairs["candidate_id"].isin(set(candidates.ids)) & pairs["job_id"].isin(set(jobs.ids))
    if not known.all():
        notes.append(f"applications: 후보자 또는 공고 파일에 없는 id의 지원 {int((~known).sum()):,}건은 건너뛰었습니다")
    repeated = int(pairs[known].duplicated().sum())
    if repeated:
        notes.append(f"applications: 같은 지원이 반복된 {repeated:,}건은 한 번으로 셉니다")
    return pairs[known].drop_duplicates().reset_index(drop=True), errors, notes


def _run(args: argparse.Namespace, record: RunRecord) -> int:
    problem = check_output_path(args.output)
    if problem:
        print(problem, file=sys.stderr)
        return record.finish(2)
    candidates = read_side(args.candidates, CANDIDATE_COLUMNS, label="candidates", wage_column="desired_wage")
    jobs = read_side(args.jobs, JOB_COLUMNS, label="jobs", wage_column="wage")
    errors = [*candidates.errors, *jobs.errors]
    notes = [*candidates.notes, *jobs.notes]
    history = None
    if not errors and args.history is not None:
        assert candidates.side is not None and jobs.side is not None
        history, history_errors, history_notes = read_history(args.history, candidates.side, jobs.side)
        errors += history_errors
        notes += history_notes
    record.rows_in = len(candidates.side or []) + len(jobs.side or [])
    record.errors = len(errors)
    if errors:
        return record.finish(report_input_errors(errors, args.candidates))
    assert candidates.side is not None and jobs.side is not None
    record.models = {"matcher": MODEL_VERSION}
    result = recommend(candidates.side, jobs.side, history, direction=args.direction, top=args.top)
    if not write_result(result.table, args.output, notes):
        return record.finish(1)
    record.rows_out = len(result.table)
    if record.finish(0) != 0:
        args.output.unlink(missing_ok=True)  # fail closed: no output without its run record
        return 1
    queries = result.table["query_id"].nunique()
    how = ("지원 이력으로 학습한 순위 모델(LightGBM lambdarank)" if result.learned
           else "텍스트·직종·지역·경력 유사도의 고정 가중 합산(학습할 지원 이력이 없음)")
    if args.direction == "candidates":
        print(f"후보자 {queries:,}명에게 공고를 최대 {args.top}건씩 추천했습니다 ({len(result.table):,}행, {how}).")
    else:
        print(f"공고 {queries:,}건에 후보자를 최대 {args.top}명씩 추천했습니다 ({len(result.table):,}행, {how}).")
    print("AI가 생성한 추천입니다: 추천 사유와 함께 담당자가 확인한 뒤 연락·지원 여부를 결정하세요.")
    return 0


def _top(value: str) -> int:
    try:
        number = int(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"--top은 1~{MAX_TOP} 사이의 정수여야 합니다: {value}") from err
    if not 1 <= number <= MAX_TOP:
        raise argparse.ArgumentTypeError(f"--top은 1~{MAX_TOP} 사이의 정수여야 합니다: {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m app match``."""
    parser = argparse.ArgumentParser(prog="python -m app match", description="AI 인재추천·일자리 추천 (후보자 ↔ 공고)")
    parser.add_argument("--candidates", type=Path, required=True, help="후보자 CSV (id,text,…)")
    parser.add_argument("--jobs", type=Path, required=True, help="공고 CSV (id,text,…)")
    parser.add_argument("--history", type=Path, default=None, help="지원 이력 CSV (candidate_id,job_id)")
    parser.add_argument("--for", dest="direction", choices=["candidates", "jobs"], required=True,
                        help="candidates: 후보자마다 공고 추천, jobs: 공고마다 후보자 추천")
    parser.add_argument("--top", type=_top, required=True, help=f"질의마다 추천할 개수 (1~{MAX_TOP})")
    parser.add_argument("--output", type=Path, required=True, help="결과 CSV (query_id,rank,item_id,score)")
    parser.add_argument("--db-url", default=None, help="실행 기록을 남길 데이터베이스 (기본값: GOYONG_DB_URL)")

    def run(args: argparse.Namespace) -> int:
        args.input = args.candidates  # the run record's input hash
        return run_recorded(args, "match", lambda record: _run(args, record))

    parser.set_defaults(func=run)
    return parser


def main_match(argv: list[str] | None = None) -> int:
    """Run ``python -m app match …``; returns the exit code (0 ok, 2 bad input, 1 output or record failed)."""
    return run_command_line(argv, "match", build_parser())
