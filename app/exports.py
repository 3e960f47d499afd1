"""The one CSV writer behind every export: CLI outputs, page downloads, the audit export.

Spreadsheet formula injection (OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is run as a formula by Excel and LibreOffice
(``=HYPERLINK("http://evil", "클릭")`` from an imported posting title). Every text cell written
here that starts with one of those characters — or their full-width forms, which Excel also
accepts — gets a leading apostrophe, OWASP's recommended neutralisation: the spreadsheet shows
the text, never evaluates it. Numbers are written as numbers (``-3`` stays a number: only text
cells are prefixed).

Excel workbooks (:func:`xlsx_bytes`, openpyxl) get the same neutralisation: a text cell is written
as text, never as a formula, even when it starts with ``=``.

The standard :mod:`csv` module does the quoting; pandas writes whole frames. Output is UTF-8 with
a BOM so that Excel opens Hangul correctly, and a file is written to a temporary name beside the
target and renamed, so a failure never leaves a partial file or replaces an existing one.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "AtomicCsvWriter",
    "csv_bytes",
    "neutralise_cell",
    "neutralise_frame",
    "write_csv_atomically",
    "xlsx_bytes",
]

FORMULA_PREFIXES: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP CSV Injection)."""

CSV_ENCODING: Final[str] = "utf-8-sig"


def neutralise_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Args:
        value: A cell value of any type.

    Returns:
        ``"'=1+1"`` for ``"=1+1"``; any other value unchanged (numbers, ``None``, plain text).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are neutralised.

    Only object, string and category columns are touched: numeric columns cannot hold a formula.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV of a table for a download button: neutralised, UTF-8 with BOM, no index."""
    return neutralise_frame(frame).to_csv(index=False).encode(CSV_ENCODING)


def write_csv_atomically(frame: pd.DataFrame, output: Path) -> None:
    """Write ``frame`` as a neutralised CSV to ``output`` through a temporary file and a rename.

    Raises:
        OSError: The file cannot be written (the target is left as it was).
    """
    with AtomicCsvWriter(output, [str(c) for c in frame.columns]) as writer:
        writer.write_frame(frame)


def csv_rows_text(frame: pd.DataFrame) -> str:
    """A frame's rows as :meth:`AtomicCsvWriter.write_frame` writes them: neutralised, no header."""
    buffer = io.StringIO()
    # pandas formats floats and dates exactly as frame.to_csv always did for these outputs
    neutralise_frame(frame).to_csv(buffer, index=False, header=False)
    return buffer.getvalue()


class AtomicCsvWriter:
    """Stream rows to a CSV file that appears under its name only when everything was written.

    Use as a context manager: rows go to a temporary file beside ``output``; on a clean exit the
    file is renamed to ``output`` (mode 0666 minus umask), on an exception it is deleted. Memory
    stays bounded by the chunk the caller writes.

    Args:
        output: Target path (its folder must exist).
        header: Column names, written first.
    """

    def __init__(self, output: Path, header: Sequence[str]) -> None:
        self.output = Path(output)
        self.header = [str(h) for h in header]
        self.rows_written = 0
        self._handle: Any = None
        self._writer: Any = None

    def __enter__(self) -> AtomicCsvWriter:
        self._handle = tempfile.NamedTemporaryFile(  # closed in __exit__, before the rename
            "w", encoding=CSV_ENCODING, newline="", dir=self.output.parent,
            prefix=f".{self.output.name}.", suffix=".tmp", delete=False,
        )
        self._writer = csv.writer(self._handle, lineterminator="\n")  # as pandas writes frames
        self._writer.writerow([neutralise_cell(h) for h in self.header])
        return self

    def write_row(self, row: Sequence[Any]) -> None:
        """Write one row (values in header order; ``None`` and NaN become empty cells)."""
        self._writer.writerow([_cell_text(v) for v in row])
        self.rows_written += 1

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Write several rows."""
        for row in rows:
            self.write_row(row)

    def write_frame(self, frame: pd.DataFrame) -> None:
        """Write a frame's rows (its columns must be in header order)."""
        if frame.empty:
            return
        self.write_text(csv_rows_text(frame), len(frame))

    def write_text(self, text: str, rows: int) -> None:
        """Write rows already formatted by :func:`csv_rows_text` (e.g. in a worker process)."""
        self._handle.write(text)
        self.rows_written += rows

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        name = self._handle.name
        try:
            self._handle.close()
            if exc_type is None:
                umask = os.umask(0)  # temporary files are created 0600; give the result the usual mode
                os.umask(umask)
                os.chmod(name, 0o666 & ~umask)
                os.replace(name, self.output)
        finally:
            Path(name).unlink(missing_ok=True)  # no-op after a successful rename


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return neutralise_cell(value)


SHEET_NAME_LIMIT: Final[int] = 31
"""Longest sheet name Excel accepts."""
_SHEET_FORBIDDEN: Final[str] = '[]:*?/\\'


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (forbidden characters replaced, 31 characters at most)."""
    clean = "".join("_" if ch in _SHEET_FORBIDDEN else ch for ch in str(name)).strip("'") or "표"
    clean = clean[:SHEET_NAME_LIMIT]
    candidate, number = clean, 2
    while candidate in used:
        suffix = f"_{number}"
        candidate = clean[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(candidate)
    return candidate


def _xlsx_cell(value: Any) -> Any:
    """A value openpyxl writes as data: NaN/NaT/None empty, dates as dates, text neutralised."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, (int, float, bool)) or hasattr(value, "isoformat"):
        return value
    return neutralise_cell(str(value))


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook (``.xlsx``) with one sheet per table, for downloads and reports.

    Text cells are neutralised like the CSV writer's (a leading apostrophe before ``=``, ``+``, ``-``,
    ``@``…) and written with openpyxl's string type, so a spreadsheet never evaluates them; numbers
    stay numbers. Sheet names may be Korean; names Excel refuses (``[]:*?/\\``, over 31 characters,
    repeated) are adjusted. The header row is bold and frozen.

    Args:
        sheets: Sheet name → table, in sheet order (at least one; an empty table gets its header only).

    Returns:
        The workbook's bytes.

    Raises:
        ValueError: No sheet given.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    if not sheets:
        raise ValueError("내보낼 표가 없습니다")
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(_sheet_name(name, used))
        header = [neutralise_cell(str(c)) for c in frame.columns]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
            cell.data_type = TYPE_STRING
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_xlsx_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # openpyxl would otherwise read "=…" as a formula
        sheet.freeze_panes = "A2"
        for index, column in enumerate(header, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:200, index - 1].tolist()]) if len(frame) else len(str(column))
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(max(width * 1.6, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
