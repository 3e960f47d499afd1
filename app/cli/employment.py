"""Command line: ``python -m app employment score --input seekers.csv --output scored.csv``.

Scores a CSV of job seekers with the employment-success model (format: ``docs/employment_score.md``).
The whole file is checked first; any bad row is reported as ``"N행: [column] …"`` (the header is
line 1) on stderr, the exit code is 2 and no output file is written. The output goes to a
temporary file renamed into place only when complete.

The input holds no direct identifier (name, RRN, contact, address): the command refuses such
columns, and rows whose cells hold such data (:func:`app.text.pii.find_pii`: an RRN, phone number,
e-mail, address, birth date or labelled name), naming the line, the column and the kind — never
the value — rather than read personal data it does not need. The file is checked, then read again
and scored a chunk of rows at a time, so memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from app.cli.runner import (
    CHUNK_ROWS,
    ChunkedResult,
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
from app.ml.employment_features import CATEGORY_LEVELS, HORIZON_DAYS
from app.reference.codes import SERVICE_LABELS, SERVICES
from app.services.employment import (
    DEFAULT_HIGH_BELOW,
    DEFAULT_LOW_FROM,
    EmploymentModel,
    RiskBands,
    load_employment_model,
    score_records,
)
from app.services.employment.reasons import factor_table, group_contributions
from app.text.pii import find_pii

REQUIRED_COLUMNS: tuple[str, ...] = (
    "age", "education", "career_years", "desired_keco", "desired_wage", "desired_region_code", "benefit_status",
)
SERVICE_COLUMNS: tuple[str, ...] = tuple(f"svc_{s}" for s in SERVICES)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "id", "last_keco", "region_flexible", "certificate_ids", "skills", "days_since_registration", *SERVICE_COLUMNS,
)
IDENTIFYING_COLUMNS: frozenset[str] = frozenset({
    "name", "성명", "이름", "rrn", "주민등록번호", "주민번호", "phone", "mobile", "연락처", "전화번호", "휴대폰", "휴대전화",
    "email", "e-mail", "이메일", "메일", "address", "주소", "birth_date", "생년월일",
})
FREE_TEXT_COLUMNS: tuple[str, ...] = ("id", "certificate_ids", "skills")
"""Columns whose cells are free text, searched for personal data in every row."""
PII_KIND_LABELS: dict[str, str] = {
    "rrn": "주민등록번호", "phone": "전화번호", "email": "이메일", "address": "주소", "birth_date": "생년월일", "name": "이름",
}
"""Korean names of :data:`app.text.pii.PII_KINDS` for the refusal messages."""
MAX_ID_CHARS = 40
_TRUE = frozenset({"1", "true", "y", "yes", "예"})
_FALSE = frozenset({"0", "false", "n", "no", "아니오", "아니요"})
OUTPUT_ADDED: tuple[str, ...] = (
    "probability", "probability_low", "probability_high", "probability_now", "band", "reason_1", "reason_2", "reason_3",
    "best_service", "best_service_effect",
)


class _RowError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _number(cells: dict[str, str], column: str, low: float, high: float, *, integer: bool = False,
            default: float | None = None) -> float:
    text = cells.get(column, "").replace(",", "")
    if not text:
        if default is not None:
            return default
        raise _RowError(column, "값이 없습니다")
    try:
        value = float(text)
    except ValueError:
        raise _RowError(column, f"숫자가 아닙니다 (입력값: {cells[column]})") from None
    if not math.isfinite(value):  # float() reads "nan" and "inf"
        raise _RowError(column, f"숫자가 아닙니다 (입력값: {cells[column]})")
    if integer and value != int(value):
        raise _RowError(column, f"정수여야 합니다 (입력값: {cells[column]})")
    if not low <= value <= high:
        raise _RowError(column, f"{low:,.0f}~{high:,.0f} 범위여야 합니다 (입력값: {cells[column]})")
    return value


def _flag(cells: dict[str, str], column: str) -> int:
    text = cells.get(column, "").strip().lower()
    if not text or text in _FALSE:
        return 0
    if text in _TRUE:
        return 1
    raise _RowError(column, f"1/0, true/false, 예/아니오 중 하나여야 합니다 (입력값: {cells[column]})")


def _code(cells: dict[str, str], column: str, allowed: set[str], label: str, *, width: int, optional: bool = False) -> str:
    text = cells.get(column, "").strip()
    if not text and optional:
        return ""
    if text.isdigit() and len(text) < width:
        text = text.zfill(width)  # a spreadsheet's 11 is the code 011
    if text not in allowed:
        raise _RowError(column, f"알 수 없는 {label} 코드입니다 (입력값: {cells.get(column, '')})")
    return text


def _row(cells: dict[str, str], keco: set[str], regions: set[str]) -> tuple[dict[str, object], list[_RowError]]:
    problems: list[_RowError] = []
    record: dict[str, object] = {}

    def take(column: str, parse: Callable[[], object]) -> None:
        try:
            record[column] = parse()
        except _RowError as err:
            problems.append(err)

    take("age", lambda: int(_number(cells, "age", 15, 90, integer=True)))
    take("career_years", lambda: _number(cells, "career_years", 0, 60))
    take("desired_wage", lambda: int(_number(cells, "desired_wage", 500_000, 30_000_000, integer=True)))
    take("days_since_registration",
         lambda: int(_number(cells, "days_since_registration", 0, HORIZON_DAYS, integer=True, default=0)))
    take("desired_keco", lambda: _code(cells, "desired_keco", keco, "직종(KECO)", width=3))
    take("last_keco", lambda: _code(cells, "last_keco", keco, "직종(KECO)", width=3, optional=True) or None)
    take("desired_region_code", lambda: _code(cells, "desired_region_code", regions, "지역(시도)", width=2))
    education = cells.get("education", "").strip()
    if education not in CATEGORY_LEVELS["education"]:
        problems.append(_RowError("education", f"학력은 {', '.join(CATEGORY_LEVELS['education'])} 중 하나여야 합니다 "
                                               f"(입력값: {education})"))
    record["education"] = education
    for column in ("benefit_status", "region_flexible", *SERVICE_COLUMNS):
        take(column, lambda c=column: _flag(cells, c))
    record["certificate_ids"] = ";".join(p.strip() for p in cells.get("certificate_ids", "").split(";") if p.strip())
    record["skills"] = cells.get("skills", "")
    return record, problems


def _pii_kinds(text: str) -> list[str]:
    """Korean names of the kinds of personal data in ``text`` (never the data itself)."""
    kinds = dict.fromkeys(span.kind for span in find_pii(text))
    return [PII_KIND_LABELS.get(kind, "개인정보") for kind in kinds]


def _pii_problems(cells: dict[str, str], problems: list[_RowError]) -> tuple[list[_RowError], list[_RowError]]:
    """(personal-data problems, the other problems) of one row.

    Free-text cells are always searched (:func:`app.text.pii.find_pii`); any other cell only when
    it failed its check — a cell that passed is a small number, code or flag, and a failed cell's
    message would quote it. A cell holding personal data is reported by kind alone, and its own
    check's message (which would quote the value) is dropped.
    """
    found: list[_RowError] = []
    flagged: set[str] = set()
    for column in (*FREE_TEXT_COLUMNS, *dict.fromkeys(p.column for p in problems)):
        if column in flagged or not cells.get(column):
            continue
        kinds = _pii_kinds(cells[column])
        if kinds:
            flagged.add(column)
            found.append(_RowError(column, f"개인정보({', '.join(kinds)})로 보이는 값은 받지 않습니다: 지우고 다시 시도하세요"))
    return found, [p for p in problems if p.column not in flagged]


def _seeker_chunks(cells: Iterable[tuple[int, dict[str, str]]], keco: set[str], regions: set[str],
                   errors: list[str]) -> Iterator[list[tuple[str, dict[str, object]]]]:
    """``(id, record)`` of every row, :data:`CHUNK_ROWS` at a time; problems go to ``errors``."""
    count = 0
    for chunk in batched(cells, CHUNK_ROWS):
        parsed: list[tuple[str, dict[str, object]]] = []
        for line, row in chunk:
            record, problems = _row(row, keco, regions)
            leaked, problems = _pii_problems(row, problems)
            if not any(p.column == "id" for p in leaked):  # a long id holding personal data is reported once
                identifier = row_id(row, line, str(count + 1), errors, max_chars=MAX_ID_CHARS)
            else:
                identifier = ""
            errors.extend(f"{line}행: [{p.column}] {p}" for p in [*leaked, *problems])
            parsed.append((identifier, record))
            count += 1
        yield parsed


def _reference_codes() -> tuple[set[str], set[str]]:
    from app.reference.tables import load_reference

    reference = load_reference()
    return set(reference.occupations["keco_code"].astype(str)), set(reference.regions["code"].astype(str))


def _identifying_header(path: Path) -> str | None:
    leaked = sorted(IDENTIFYING_COLUMNS & header_names(path))
    if leaked:
        return f"1행: 개인 식별 정보 열은 받지 않습니다 ({', '.join(leaked)}): 지우고 다시 시도하세요"
    return None


def read_seekers(path: Path) -> tuple[list[tuple[str, dict[str, object]]], list[str], list[str]]:
    """Parse and validate every row.

    Returns:
        ([(id, record)] in file order, errors, notes) — errors are ``"N행: …"`` lines and
        file-level problems; when there is any error the rows must not be used.
    """
    keco, regions = _reference_codes()
    errors: list[str] = []
    notes: list[str] = []
    problem = _identifying_header(path)
    if problem:
        return [], [problem], notes
    cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes)
    rows = [row for chunk in _seeker_chunks(cells, keco, regions, errors) for row in chunk]
    return rows, errors, notes


def check_seekers(path: Path) -> ReadResult[InputScan]:
    """The checking pass of ``employment score``: every row validated as :func:`read_seekers`
    does, keeping only the errors and notes (memory does not grow with the file)."""
    keco, regions = _reference_codes()
    errors: list[str] = []
    notes: list[str] = []
    stamp = input_stamp(path)
    problem = _identifying_header(path)
    if problem:
        return ReadResult(InputScan(path, stamp, 0), [problem], notes)
    rows = 0
    for chunk in _seeker_chunks(input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes), keco, regions, errors):
        rows += len(chunk)
    return ReadResult(InputScan(path, stamp, rows), errors, notes)


def score_seekers(scan: InputScan, model: object, bands: object) -> ChunkedResult:
    """The output of a checked file, scored and written a chunk at a time (:func:`scored_frame`)."""

    def chunks() -> Iterator[pd.DataFrame]:
        keco, regions = _reference_codes()
        errors: list[str] = []
        for parsed in _seeker_chunks(scan.rows_again(REQUIRED_COLUMNS, OPTIONAL_COLUMNS), keco, regions, errors):
            if errors:
                raise scan.changed()
            yield scored_frame(parsed, model, bands)

    return ChunkedResult(chunks(), kept=("probability", "band"))


def scored_frame(rows: Sequence[tuple[str, dict[str, object]]], model: object, bands: object) -> pd.DataFrame:
    """The output: id, the inputs, probabilities, band, top-3 reasons and the best service."""

    records = pd.DataFrame([r for _, r in rows])
    scored = score_records(records, model, bands)  # type: ignore[arg-type]
    x = model.features(records)  # type: ignore[attr-defined]
    values, _ = model.explain(x)  # type: ignore[attr-defined]
    grouped = group_contributions(values)
    market = model.market.market_wage(records["desired_keco"], records["desired_region_code"])  # type: ignore[attr-defined]
    effects = model.service_effects(x)  # type: ignore[attr-defined]
    out = pd.DataFrame({"id": [i for i, _ in rows]})
    for column in REQUIRED_COLUMNS + ("last_keco", "region_flexible", "days_since_registration", *SERVICE_COLUMNS):
        out[column] = records[column].to_numpy()
    out["last_keco"] = records["last_keco"].fillna("").astype(str).to_numpy()
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        out[column] = scored[column].round(4).to_numpy()
    out["band"] = scored["band"].to_numpy()
    reasons: list[list[str]] = []
    for i in range(len(records)):
        record = records.iloc[i].to_dict()
        features = {k: float(v) for k, v in x.iloc[i].items() if k not in ("education", "desired_major")}
        table = factor_table(grouped.iloc[i], record, features, float(market[i]))
        reasons.append(table["sentence"].head(3).tolist() + [""] * 3)
    for k in range(3):
        out[f"reason_{k + 1}"] = [r[k] for r in reasons]
    best = effects.dropna(subset=["effect"]).sort_values(["row", "effect"], ascending=[True, False]).drop_duplicates("row")
    best = best.set_index("row").reindex(range(len(records)))
    out["best_service"] = [SERVICE_LABELS.get(s, "") if isinstance(s, str) else "" for s in best["service"]]
    out["best_service_effect"] = np.round(best["effect"].to_numpy(float), 4)
    return out


def _load(args: argparse.Namespace) -> EmploymentModel:
    return load_employment_model(args.models_dir or get_settings().models_dir)


def _bands(args: argparse.Namespace) -> RiskBands:
    return RiskBands(high_below=args.high_below, low_from=args.low_from)


def _summary(frame: pd.DataFrame | ChunkedResult, model: EmploymentModel, args: argparse.Namespace, _rows: object) -> list[str]:
    high = float((frame["band"] == "고위험").mean())
    return [
        f"채점 완료: {len(frame):,}건 → {args.output} (모델 {model.version}, 평균 취업확률 {frame['probability'].mean():.1%}, "
        f"고위험 {high:.1%}; {_bands(args).describe()})",
        "AI 예측 결과입니다: 확률은 비슷한 구직자들의 과거 결과에서 추정한 값이며, 판단은 상담사가 합니다.",
    ]


SCORE = FileCommand(
    read=check_seekers,
    load=_load,
    score=lambda scan, model, args: score_seekers(scan, model, _bands(args)),
    summary=_summary,
)
"""``employment score``: seekers in, probability, band, top-3 reasons and the best service out."""


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"0과 1 사이의 값이어야 합니다 (입력값: {text})")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``python -m app employment``."""
    parser = argparse.ArgumentParser(prog="python -m app employment", description="취업성공 예측모델 명령")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="구직자 CSV의 180일 내 취업확률·위험도·주요 이유·효과 큰 서비스를 계산합니다")
    score.add_argument("--input", required=True, type=Path, help="UTF-8 CSV (docs/employment_score.md 형식)")
    score.add_argument("--output", required=True, type=Path, help="결과 CSV 경로 (성공했을 때만 만들어집니다)")
    score.add_argument("--models-dir", type=Path, default=None, help="모델 폴더 (기본값: 설정의 GOYONG_MODELS_DIR)")
    score.add_argument("--high-below", type=_fraction, default=DEFAULT_HIGH_BELOW, help="고위험 기준 (이 확률 미만)")
    score.add_argument("--low-from", type=_fraction, default=DEFAULT_LOW_FROM, help="저위험 기준 (이 확률 이상)")
    score.set_defaults(func=lambda args: run_file_command(args, SCORE))
    return parser


def _check(args: argparse.Namespace) -> str | None:
    return None if args.high_below < args.low_from else "고위험 기준은 저위험 기준보다 작아야 합니다"


def main_employment(argv: list[str] | None = None) -> int:
    """Run ``python -m app employment …``; returns the exit code (0 ok, 2 bad input, 1 no model)."""
    return run_command_line(argv, "employment", build_parser(), check=_check)
