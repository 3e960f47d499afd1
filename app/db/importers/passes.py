"""The two passes of every import: validate the whole file, then read it again to write it.

Reading twice instead of keeping the parsed rows keeps memory flat for files with millions of rows;
a size/mtime stamp taken in the first pass catches a file that changed before the second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.bounds import has_control_characters
from app.db.importers.csv_reader import FileProblem, batched, file_stamp, read_cells
from app.db.importers.fields import INVALID, PERSONAL_COLUMNS, show
from app.db.importers.results import ImportValidationError

CHUNK_ROWS = 5_000
"""Rows validated and written per chunk (bounds memory; the transaction still spans the file)."""

RowT = TypeVar("RowT", bound=BaseModel)

Observer = Callable[[int, RowT, list[str], list[str]], None]
"""Cross-row checks: called with (line, row, errors, warnings) for every valid row, in file order."""


@dataclass(frozen=True)
class RowFormat(Generic[RowT]):
    """One CSV format: the table it fills, its row model and its columns."""

    table: str
    model: type[RowT]
    required: tuple[str, ...]
    optional: tuple[str, ...]


@dataclass(frozen=True)
class Scan:
    """What the validation pass found in a file that has no errors.

    Attributes:
        rows: Data rows in the file.
        warnings: Line-numbered notes, in file order.
        stamp: :func:`~app.db.importers.csv_reader.file_stamp` when the pass started.
    """

    rows: int
    warnings: tuple[str, ...]
    stamp: tuple[int, int]


def validate_file(
    path: Path, fmt: RowFormat[RowT], context: Mapping[str, Any], observe: Observer[RowT]
) -> Scan:
    """Validation pass: parse every row, run the cross-row checks, collect every problem.

    Raises:
        ImportValidationError: The file has at least one error (all of them are listed).
    """
    errors: list[str] = []
    warnings: list[str] = []
    rows = 0
    try:
        stamp = file_stamp(path)
        for chunk in _parsed_chunks(path, fmt, context, errors, warnings):
            for line, row in chunk:
                observe(line, row, errors, warnings)
                rows += 1
    except FileProblem as problem:
        errors.append(str(problem))
        stamp = (0, 0)
    except IsADirectoryError:
        errors = [f"파일이 아니라 폴더입니다: {path}"]
    except FileNotFoundError:
        errors = [f"파일을 찾을 수 없습니다: {path}"]
    except OSError as exc:
        errors = [f"파일을 읽을 수 없습니다: {path} ({exc.strerror})"]
    if rows == 0 and not errors:
        errors.append("데이터 행이 없습니다: 머리행 아래에 한 행 이상 있어야 합니다")
    if errors:
        # Cross-row checks run after a chunk is parsed, so put messages back in file order.
        raise ImportValidationError(fmt.table, path, sorted(errors, key=_line_of))
    return Scan(rows, tuple(sorted(warnings, key=_line_of)), stamp)


def valid_chunks(
    path: Path, fmt: RowFormat[RowT], context: Mapping[str, Any], scan: Scan
) -> Iterator[list[tuple[int, RowT]]]:
    """Write pass: the same rows again, in chunks, failing if the file is not what was validated.

    Raises:
        ImportValidationError: The file changed since :func:`validate_file` read it.
    """
    changed = ImportValidationError(fmt.table, path, ["파일이 검사 도중에 바뀌었습니다. 다시 가져오세요."])
    try:
        if file_stamp(path) != scan.stamp:
            raise changed
        errors: list[str] = []
        rows = 0
        for chunk in _parsed_chunks(path, fmt, context, errors, []):
            if errors:
                raise changed
            rows += len(chunk)
            yield chunk
        if errors or rows != scan.rows:
            raise changed
    except (FileProblem, OSError):
        raise changed from None


def _parsed_chunks(
    path: Path, fmt: RowFormat[RowT], context: Mapping[str, Any], errors: list[str], warnings: list[str]
) -> Iterator[list[tuple[int, RowT]]]:
    """Stream the file in chunks of parsed rows; rows that fail validation go to ``errors`` instead."""
    cells = read_cells(path, fmt.required, fmt.optional, errors, warnings)
    for chunk in batched(cells, CHUNK_ROWS):
        parsed: list[tuple[int, RowT]] = []
        for line, data in chunk:
            controlled = [column for column, cell in data.items() if has_control_characters(cell)]
            if controlled:
                errors.extend(_control_character_error(line, column) for column in controlled)
                continue
            try:
                parsed.append((line, fmt.model.model_validate(data, context=dict(context))))
            except ValidationError as exc:
                errors.extend(_korean_errors(line, exc))
        yield parsed


def _control_character_error(line: int, column: str) -> str:
    # The cell is not echoed: it may be personal data, and its control characters would garble the console.
    return (
        f"{line}행: {column} 값에 제어 문자(NUL 등)가 있습니다. 탭과 줄바꿈 말고는 넣을 수 없습니다 "
        "(다른 프로그램에서 내보낸 파일이면 텍스트로 다시 저장하세요)"
    )


def _korean_errors(line: int, exc: ValidationError) -> list[str]:
    """Turn a pydantic ValidationError into ``"N행: field message"`` lines."""
    return [f"{line}행: {_korean_message(error)}" for error in exc.errors(include_url=False)]


def _korean_message(error: ErrorDetails) -> str:
    field_name = ".".join(str(part) for part in error["loc"])
    prefix = f"{field_name} " if field_name else ""
    if error["type"] == INVALID:
        return f"{prefix}{error['msg']}"
    if error["type"] == "missing":
        return f"{field_name} 값이 비어 있습니다 (필수 항목)"
    # Only reachable if a field lacks one of our before-validators; keep pydantic's reason visible,
    # and the value too unless it is personal data.
    if field_name in PERSONAL_COLUMNS:
        return f"{prefix}값이 올바르지 않습니다 ({error['type']})"
    return f"{prefix}값 '{show(error.get('input'))}'가 올바르지 않습니다 ({error['msg']})"


_LINE_PREFIX_RE = re.compile(r"^(\d+)행: ")


def _line_of(message: str) -> int:
    """Line number a message starts with (0 for file-level messages, which then sort first)."""
    match = _LINE_PREFIX_RE.match(message)
    return int(match.group(1)) if match else 0
