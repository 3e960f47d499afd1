"""Read an import CSV as a stream of line-numbered cells: encoding, BOM, header, blank rows.

Nothing here knows about postings or seekers: :func:`read_cells` takes the column names and
returns ``(line, {column: cell})`` pairs, appending file and header problems to the caller's
lists. Line numbers are the file's physical lines (the header is line 1), the number a text
editor shows, also when a quoted cell spans several lines.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TextIO, TypeVar

from app.errors import InvalidInput

T = TypeVar("T")

NOT_UTF8 = (
    "파일이 UTF-8 인코딩이 아닙니다 (EUC-KR/CP949로 저장된 것 같습니다). "
    "엑셀에서는 'CSV UTF-8(쉼표로 분리)' 형식으로 다시 저장하세요."
)


class FileProblem(InvalidInput):
    """A problem that stops reading the file (encoding, CSV syntax); the message is Korean."""


def file_stamp(path: Path) -> tuple[int, int]:
    """Size and modification time: a file that changes between two reads changes its stamp."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def read_cells(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str],
    errors: list[str],
    warnings: list[str],
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream the data rows of a CSV file as ``(line, {column: trimmed cell})``.

    Column names are matched without regard to case and surrounding spaces. Empty cells and
    unknown columns are left out of the dict, so optional fields take their defaults and required
    ones read as missing. A row with the wrong number of cells is reported and skipped. When the
    file is empty or the header is wrong, the problem is reported and no row is yielded (every row
    would fail the same way; one message is more useful).

    Args:
        path: The CSV file: UTF-8 with or without a byte-order mark, comma-separated.
        required: Columns the header must have.
        optional: Other columns that are read; any further column is ignored with a warning.
        errors: Receives row and file problems, Korean, line-numbered where they belong to a line.
        warnings: Receives notes that do not stop the import (unknown columns).

    Yields:
        One pair per non-blank data row, in file order.

    Raises:
        FileProblem: The file is not UTF-8 or not valid CSV; reading stops there.
        OSError: The file cannot be opened.
    """
    columns = set(required) | set(optional)
    # utf-8-sig strips a byte-order mark if there is one (Excel writes it) and reads plain UTF-8 too.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = _records(handle)
        first = next(records, None)
        if first is None:
            errors.append("파일이 비어 있습니다: 첫 행에 열 이름(머리행)이 있어야 합니다")
            return
        header_errors: list[str] = []
        names = _check_header(first[0], first[1], required, optional, header_errors, warnings)
        if header_errors:
            errors.extend(header_errors)
            return
        width = len(names)
        for line, values in records:
            if len(values) != width:
                errors.append(f"{line}행: 값이 {len(values)}개입니다 (머리행의 열은 {width}개)")
                continue
            yield line, {
                name: value.strip()
                for name, value in zip(names, values, strict=True)
                if name in columns and value.strip()
            }


def _records(handle: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line number, fields)`` for each non-blank CSV record.

    A quoted field may span several physical lines; the number reported is the line where the
    record starts, which is what a user sees in a text editor.
    """
    reader = csv.reader(handle)
    last_line = 0
    try:
        for values in reader:
            start, last_line = last_line + 1, reader.line_num
            if not values or all(not value.strip() for value in values):
                continue  # blank lines and spreadsheet padding rows like ",,,,"
            yield start, values
    except UnicodeDecodeError:
        raise FileProblem(NOT_UTF8) from None
    except csv.Error as exc:
        raise FileProblem(f"{last_line + 1}행: CSV 형식이 잘못되었습니다 ({exc})") from None


def _check_header(
    line: int,
    header: list[str],
    required: Sequence[str],
    optional: Sequence[str],
    errors: list[str],
    warnings: list[str],
) -> list[str]:
    """Normalise header names and report missing, repeated and unknown columns."""
    names = [name.strip().lower() for name in header]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            errors.append(f"{line}행: 열 이름 '{name}'가 두 번 나옵니다")
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        hint = ""
        if len(names) == 1 and (";" in header[0] or "\t" in header[0]):
            hint = " (쉼표가 아니라 세미콜론이나 탭으로 구분된 파일 같습니다)"
        errors.append(f"{line}행: 필수 열이 없습니다: {', '.join(missing)}{hint}")
    unknown = [name for name in names if name and name not in required and name not in optional]
    if unknown:
        warnings.append(f"{line}행: 알 수 없는 열을 무시했습니다: {', '.join(unknown)}")
    return names
