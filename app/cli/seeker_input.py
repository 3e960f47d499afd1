"""The input of ``python -m app employment score``: its columns and every check of a row
(format: ``docs/employment_score.md``), a chunk at a time.

Every distinct cell of a column is checked once per pass (:class:`_CellCache`); free-text cells are
searched for personal data (:func:`app.text.pii.find_pii`) unless their shape rules it out
(:func:`cannot_hold_pii`); problems are worded ``"N행: [column] …"`` and listed in line order. Split from
:mod:`app.cli.employment`, which scores what passes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from app.cli.runner import InputScan, ReadResult, header_names, input_rows, input_stamp, row_id
from app.db.importers.csv_reader import batched
from app.ml.employment_features import CATEGORY_LEVELS, HORIZON_DAYS
from app.reference.codes import SERVICES
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
CHUNK_ROWS = 50_000
"""Rows checked, scored and written at a time: memory follows the chunk, not the file (about
0.5 GB at this size), and a chunk is large enough that per-chunk costs (model calls, the CSV
writer) are spread over many rows."""
_TRUE = frozenset({"1", "true", "y", "yes", "예"})
_FALSE = frozenset({"0", "false", "n", "no", "아니오", "아니요"})


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


def seeker_chunks(cells: Iterable[tuple[int, dict[str, str]]], keco: set[str], regions: set[str],
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


def reference_codes() -> tuple[set[str], set[str]]:
    from app.reference.tables import load_reference

    reference = load_reference()
    return set(reference.occupations["keco_code"].astype(str)), set(reference.regions["code"].astype(str))


def identifying_header_problem(path: Path) -> str | None:
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
    keco, regions = reference_codes()
    errors: list[str] = []
    notes: list[str] = []
    problem = identifying_header_problem(path)
    if problem:
        return [], [problem], notes
    cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes)
    rows = [(identifier, record) for ids, records in seeker_chunks(cells, keco, regions, errors) if records is not None
            for identifier, record in zip(ids, records.to_dict("records"), strict=True)]
    return rows, errors, notes


def check_seekers(path: Path) -> ReadResult[InputScan]:
    """The checking pass of ``employment score``: every row validated as :func:`read_seekers`
    does, keeping only the errors and notes (memory does not grow with the file)."""
    keco, regions = reference_codes()
    errors: list[str] = []
    notes: list[str] = []
    stamp = input_stamp(path)
    problem = identifying_header_problem(path)
    if problem:
        return ReadResult(InputScan(path, stamp, 0), [problem], notes)
    rows = 0
    cells = input_rows(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, errors, notes)
    for ids, _ in seeker_chunks(cells, keco, regions, errors, records=False):
        rows += len(ids)
    return ReadResult(InputScan(path, stamp, rows), errors, notes)
