"""Command line: ``python -m app employment score --input seekers.csv --output scored.csv``.

Scores a CSV of job seekers with the employment-success model (format: ``docs/employment_score.md``).
Every row is checked; any bad row is reported as ``"N행: [column] …"`` (the header is line 1) on
stderr, in line order, the exit code is 2 and no output file is written. The output goes to a
temporary file renamed into place only when complete.

The input holds no direct identifier (name, RRN, contact, address): the command refuses such
columns, and rows whose cells hold such data (:func:`app.text.pii.find_pii`: an RRN, phone number,
e-mail, address, birth date or labelled name), naming the line, the column and the kind — never
the value — rather than read personal data it does not need. The file is read once, a chunk of
rows at a time: each chunk is checked, then scored and written while no row has failed (the rest
of a failing file is only checked, and the temporary file is deleted), so memory does not grow
with the file.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from app.cli.chunked import ChunkedResult, FormattedChunk, ordered_map
from app.cli.runner import (
    FileCommand,
    InputRejected,
    InputScan,
    ReadResult,
    StreamedInput,
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
    best_services,
    load_employment_model,
    score_explained,
)
from app.services.employment.reasons import group_contributions, top_sentences
from app.text.pii import find_pii
from app.threads import thread_count, use_threads

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
CHUNK_ROWS = 50_000
"""Rows checked, scored and written at a time: memory follows the chunk, not the file (about
0.5 GB at this size), and a chunk is large enough that per-chunk costs (model calls, the CSV
writer) are spread over many rows."""
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


_Check = Callable[[dict[str, str]], object]


def _education(cells: dict[str, str]) -> str:
    education = cells.get("education", "").strip()
    if education not in CATEGORY_LEVELS["education"]:
        raise _RowError("education", f"학력은 {', '.join(CATEGORY_LEVELS['education'])} 중 하나여야 합니다 "
                                     f"(입력값: {education})")
    return education


def _column_checks(keco: set[str], regions: set[str]) -> tuple[tuple[str, _Check], ...]:
    """Each checked column with the function that reads it from a row's cells, in the order the
    problems of a row are reported. Each reads its own column only: a cell's value or problem
    depends on nothing else, which is what lets a chunk check every distinct cell once."""
    return (
        ("age", lambda cells: int(_number(cells, "age", 15, 90, integer=True))),
        ("career_years", lambda cells: _number(cells, "career_years", 0, 60)),
        ("desired_wage", lambda cells: int(_number(cells, "desired_wage", 500_000, 30_000_000, integer=True))),
        ("days_since_registration",
         lambda cells: int(_number(cells, "days_since_registration", 0, HORIZON_DAYS, integer=True, default=0))),
        ("desired_keco", lambda cells: _code(cells, "desired_keco", keco, "직종(KECO)", width=3)),
        ("last_keco", lambda cells: _code(cells, "last_keco", keco, "직종(KECO)", width=3, optional=True) or None),
        ("desired_region_code", lambda cells: _code(cells, "desired_region_code", regions, "지역(시도)", width=2)),
        ("education", _education),
        *((column, partial(_flag, column=column)) for column in ("benefit_status", "region_flexible", *SERVICE_COLUMNS)),
    )


def _certificate_ids(cell: str) -> str:
    return ";".join(p.strip() for p in cell.split(";") if p.strip())


def _row(cells: dict[str, str], checks: Sequence[tuple[str, _Check]]) -> tuple[dict[str, object], list[_RowError]]:
    """One row's record and problems, cell by cell (the reference the chunk check agrees with)."""
    problems: list[_RowError] = []
    record: dict[str, object] = {}
    for column, check in checks:
        try:
            record[column] = check(cells)
        except _RowError as err:
            problems.append(err)
    record["certificate_ids"] = _certificate_ids(cells.get("certificate_ids", ""))
    record["skills"] = cells.get("skills", "")
    return record, problems


# Cells of these shapes cannot hold anything app.text.pii.find_pii reports, so they skip the scan
# (about 70 µs a cell; a national batch has millions). Each shape is checked against every finder:
# * up to 8 ASCII digits: every number find_pii reports needs more digits (phone 9 with the area
#   code, 운전면허 12, 주민등록번호 13) or letters (여권번호, a bank or account word, a label);
# * certificate ids (C0032;C0035): one letter per number, no label, bank name, "@" or dot;
# * Hangul keywords separated by ";" (the skills column): addresses, labelled names and birth
#   dates need a blank, ":", "(" or digits after their word, e-mails, URLs, handles and the ID
#   numbers need ASCII, an honorific name needs 님 (씨 needs a blank) and a phone read out in
#   Sino-Korean digits (공일공…) needs a run of at least nine of them.
_DIGITS_ONLY = re.compile(r"[0-9]{1,8}")
_CERTIFICATE_LIST = re.compile(r"C[0-9]{4}(?:;C[0-9]{4})*")
_HANGUL_KEYWORDS = re.compile(r"[가-힣;]+")
_SPOKEN_DIGIT_RUN = re.compile(r"[공영일이삼사오육륙칠팔구에]{9}")


def cannot_hold_pii(text: str) -> bool:
    """True for a cell whose shape rules out every kind of personal data :func:`find_pii` finds
    (the scan is skipped; any other cell is scanned)."""
    if _DIGITS_ONLY.fullmatch(text) or _CERTIFICATE_LIST.fullmatch(text):
        return True
    return bool(_HANGUL_KEYWORDS.fullmatch(text)) and "님" not in text and not _SPOKEN_DIGIT_RUN.search(text)


@lru_cache(maxsize=2**16)
def _pii_kinds(text: str) -> tuple[str, ...]:
    """Korean names of the kinds of personal data in ``text`` (never the data itself); cached,
    because a batch repeats the same skills and certificates over and over."""
    if cannot_hold_pii(text):
        return ()
    kinds = dict.fromkeys(span.kind for span in find_pii(text))
    return tuple(PII_KIND_LABELS.get(kind, "개인정보") for kind in kinds)


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


class _CellCache:
    """Each column's checked value of each distinct cell, kept across the chunks of one pass
    (a batch's codes, ages and flags take a few hundred values over millions of rows)."""

    LIMIT = 2**16

    def __init__(self, checks: Sequence[tuple[str, _Check]]) -> None:
        self.checks = tuple(checks)
        self.known: dict[str, dict[str, tuple[object, bool]]] = {column: {} for column, _ in self.checks}

    def column(self, column: str, check: _Check, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values, passed) of a column's cells: a cell passes when its check raises nothing."""
        codes, uniques = pd.factorize(texts)
        known = self.known[column]
        if len(known) > self.LIMIT:  # a column of free numbers (wages): keep memory bounded
            known.clear()
        values = np.empty(len(uniques), dtype=object)
        passed = np.empty(len(uniques), dtype=bool)
        for k, text in enumerate(uniques):
            result = known.get(text)
            if result is None:
                try:
                    result = (check({column: text} if text else {}), True)
                except _RowError:
                    result = (None, False)
                known[text] = result
            values[k], passed[k] = result
        return values[codes], passed[codes]


_FRAME_COLUMNS: tuple[str, ...] = (
    "age", "career_years", "desired_wage", "days_since_registration", "desired_keco", "last_keco",
    "desired_region_code", "education", "benefit_status", "region_flexible", *SERVICE_COLUMNS, "certificate_ids", "skills",
)
"""Columns of a chunk's records, in the order :func:`_row` fills a record."""


def _check_chunk(chunk: Sequence[tuple[int, dict[str, str]]], first: int, cache: _CellCache, errors: list[str],
                 *, records: bool) -> tuple[list[str], pd.DataFrame | None]:
    """Ids and records of a chunk of rows whose first is data row ``first`` (1-based); problems go
    to ``errors`` exactly as :func:`_row` and :func:`_pii_problems` word them, row by row.

    Every distinct cell of a column is checked once (:class:`_CellCache`) and the free-text cells
    are searched for personal data (:func:`_pii_kinds`); only a row where something failed is
    checked again cell by cell, to report its problems in the order a row is read. Without
    ``records`` (the checking pass) no frame is built.
    """
    n = len(chunk)
    rows = [cells for _, cells in chunk]
    failed = np.zeros(n, dtype=bool)
    columns: dict[str, np.ndarray] = {}
    for column, check in cache.checks:
        texts = np.array([cells.get(column, "") for cells in rows], dtype=object)
        values, passed = cache.column(column, check, texts)
        failed |= ~passed
        columns[column] = values
    for column in FREE_TEXT_COLUMNS:
        texts = [cells.get(column, "") for cells in rows]
        failed |= np.fromiter((bool(t) and bool(_pii_kinds(t)) for t in texts), dtype=bool, count=n)
        if column == "id":
            failed |= np.fromiter((len(t) > MAX_ID_CHARS for t in texts), dtype=bool, count=n)
        else:
            columns[column] = np.array(texts if column == "skills" else [_certificate_ids(t) for t in texts],
                                       dtype=object)
    ids = [cells.get("id", str(first + i)) for i, cells in enumerate(rows)]
    for i in np.flatnonzero(failed):
        line, cells = chunk[i]
        record, problems = _row(cells, cache.checks)
        leaked, problems = _pii_problems(cells, problems)
        if not any(p.column == "id" for p in leaked):  # a long id holding personal data is reported once
            ids[i] = row_id(cells, line, str(first + i), errors, max_chars=MAX_ID_CHARS)
        else:
            ids[i] = ""
        errors.extend(f"{line}행: [{p.column}] {p}" for p in [*leaked, *problems])
        for column in _FRAME_COLUMNS:
            columns[column][i] = record.get(column)
    if not records:
        return ids, None
    # the dtypes a frame of the records would infer (ints, floats, text and None)
    return ids, pd.DataFrame({column: columns[column] for column in _FRAME_COLUMNS}).infer_objects()


def _seeker_chunks(cells: Iterable[tuple[int, dict[str, str]]], keco: set[str], regions: set[str],
                   errors: list[str], *, records: bool = True) -> Iterator[tuple[list[str], pd.DataFrame | None]]:
    """``(ids, records)`` of every row, :data:`CHUNK_ROWS` at a time; problems go to ``errors``
    in line order, as a row-by-row check lists them (:func:`_in_line_order`).

    ``errors`` is also the list ``cells`` reports the reader's problems to (a row with the wrong
    number of cells, which never reaches a chunk). Records are built while ``records`` is set and
    no error has been found: a file with an error is not scored.
    """
    cache = _CellCache(_column_checks(keco, regions))
    count = 0
    reported = len(errors)
    for chunk in batched(cells, CHUNK_ROWS):
        # the reader's problems met while this chunk was read lie between the previous chunk's
        # last line and this chunk's last one: merged with the chunk's own, they keep line order
        found = errors[reported:]
        del errors[reported:]
        ids, frame = _check_chunk(chunk, count + 1, cache, found, records=records and not found and not errors)
        checked_ok = not found
        errors.extend(_in_line_order(found))
        reported = len(errors)
        yield ids, frame if checked_ok else None
        count += len(chunk)


_LINE = re.compile(r"(\d+)행:")


def _in_line_order(messages: Sequence[str]) -> list[str]:
    """``messages`` sorted by the line they name (``"N행: …"``); a row's own messages keep their
    order, and a message about the file (no line: it stopped the reading) comes last."""

    def line(message: str) -> float:
        match = _LINE.match(message)
        return int(match.group(1)) if match else math.inf

    return sorted(messages, key=line)


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
    rows = [(identifier, record) for ids, records in _seeker_chunks(cells, keco, regions, errors) if records is not None
            for identifier, record in zip(ids, records.to_dict("records"), strict=True)]
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
    cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes)
    for ids, _ in _seeker_chunks(cells, keco, regions, errors, records=False):
        rows += len(ids)
    return ReadResult(InputScan(path, stamp, rows), errors, notes)


KEPT_COLUMNS: tuple[str, ...] = ("probability", "band")
"""Output columns the summary reads."""


def stream_seekers(path: Path, model: EmploymentModel, bands: RiskBands) -> StreamedInput:
    """``employment score`` in one pass: each chunk is checked, then scored and written
    (:func:`scored_frame`) while no row has failed; after a failure the rest of the file is only
    checked, and at its end the chunks raise :class:`~app.cli.runner.InputRejected` (the errors are
    :func:`check_seekers`'s, in line order). A file whose size or modification time changed while
    it was read raises :meth:`InputScan.changed` (exit 1) instead of being written.

    A file of more than one chunk is scored by :func:`app.threads.thread_count` worker processes
    while this one reads, checks and writes (:func:`~app.cli.chunked.ordered_map`; the output is the
    same, in the same order): scoring and formatting hold the GIL, and a national batch needs
    every core.
    """
    streamed = StreamedInput()

    def checked() -> Iterator[tuple[list[str], pd.DataFrame]]:
        keco, regions = _reference_codes()
        stamp = input_stamp(path)
        problem = _identifying_header(path)
        if problem:
            streamed.errors.append(problem)
        else:
            cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, streamed.errors, streamed.notes)
            for ids, records in _seeker_chunks(cells, keco, regions, streamed.errors):
                streamed.rows += len(ids)
                if records is not None and not streamed.errors:
                    yield ids, records
        if streamed.errors:
            raise InputRejected(len(streamed.errors))
        if input_stamp(path) != stamp:
            raise InputScan(path, stamp, streamed.rows).changed()

    def chunks() -> Iterator[pd.DataFrame | FormattedChunk]:
        jobs = checked()
        head = list(itertools.islice(jobs, 2))  # one chunk is scored here, without starting workers
        workers = thread_count()
        if len(head) < 2 or workers < 2:
            for ids, records in itertools.chain(head, jobs):
                yield scored_frame(ids, records, model, bands)
            return
        # the model goes to the workers as a file, not in their start-up message: a worker that dies while
        # starting leaves a message larger than the pipe half-written, and the writer (this process) waits forever
        with tempfile.TemporaryDirectory(prefix="goyong-score-") as folder:
            shared = Path(folder) / "model.joblib"
            joblib.dump((model, bands), shared)
            yield from ordered_map(_formatted_chunk, itertools.chain(head, jobs), workers=workers,
                                   initializer=_start_scoring_worker, initargs=(str(shared),))

    streamed.result = ChunkedResult(chunks(), kept=KEPT_COLUMNS)
    return streamed


_WORKER: dict[str, object] = {}
"""A scoring worker's model and bands (:func:`_start_scoring_worker`)."""


def _start_scoring_worker(shared: str) -> None:
    use_threads(1)  # workers × threads ≤ thread_count(): each worker one thread
    model, bands = joblib.load(shared)
    _WORKER.update(model=model, bands=bands)


def _formatted_chunk(job: tuple[list[str], pd.DataFrame]) -> FormattedChunk:
    ids, records = job
    frame = scored_frame(ids, records, _WORKER["model"], _WORKER["bands"])  # type: ignore[arg-type]
    return FormattedChunk.of(frame, KEPT_COLUMNS)


def scored_frame(ids: Sequence[str], records: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """The output: id, the inputs, probabilities, band, top-3 reasons and the best service.

    One model run gives the probabilities and the contributions the reasons come from
    (:func:`~app.services.employment.caseload.score_explained`); the best service compares the
    main booster's predictions with each service switched on and off
    (:func:`~app.services.employment.caseload.best_services`).
    """
    x = model.features(records)
    scored, values = score_explained(records, x, model, bands)
    market = model.market.market_wage(records["desired_keco"], records["desired_region_code"])
    out = pd.DataFrame({"id": list(ids)})
    for column in REQUIRED_COLUMNS + ("last_keco", "region_flexible", "days_since_registration", *SERVICE_COLUMNS):
        out[column] = records[column].to_numpy()
    out["last_keco"] = records["last_keco"].fillna("").astype(str).to_numpy()
    for column in ("probability", "probability_low", "probability_high", "probability_now"):
        out[column] = scored[column].round(4).to_numpy()
    out["band"] = scored["band"].to_numpy()
    for k, sentences in enumerate(top_sentences(group_contributions(values), records, x, market, k=3)):
        out[f"reason_{k + 1}"] = sentences
    services, effects = best_services(model, x)
    out["best_service"] = [SERVICE_LABELS.get(s, "") for s in services]
    out["best_service_effect"] = np.round(effects.astype(float), 4)
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
    score=lambda scan, model, args: stream_seekers(scan.path, model, _bands(args)).result,
    summary=_summary,
    stream=lambda path, model, args: stream_seekers(path, model, _bands(args)),
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
