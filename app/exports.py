"""The one CSV writer behind every export: CLI outputs, page downloads, the audit export.

Spreadsheet formula injection (OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is run as a formula by Excel and LibreOffice
(``=HYPERLINK("http://evil", "클릭")`` from an imported posting title). Every text cell written
here that starts with one of those characters — or their full-width forms, which Excel also
accepts — gets a leading apostrophe, OWASP's recommended neutralisation: the spreadsheet shows
the text, never evaluates it. Numbers are written as numbers (``-3`` stays a number: only text
cells are prefixed).

The standard :mod:`csv` module does the quoting; pandas writes whole frames. Output is UTF-8 with
a BOM so that Excel opens Hangul correctly, and a file is written to a temporary name beside the
target and renamed, so a failure never leaves a partial file or replaces an existing one.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
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
        buffer = io.StringIO()
        # pandas formats floats and dates exactly as frame.to_csv always did for these outputs
        neutralise_frame(frame).to_csv(buffer, index=False, header=False)
        self._handle.write(buffer.getvalue())
        self.rows_written += len(frame)

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
