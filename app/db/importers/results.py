"""What an import returns (:class:`ImportReport`) and raises (:class:`ImportValidationError`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from app.errors import InvalidInput

_ERRORS_SHOWN = 20  # str(error) stays readable; the full list is in .errors


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote.

    Attributes:
        table: Main table written (``postings`` or ``seekers``).
        rows_written: Rows added to ``table`` (one per data row of the file).
        warnings: Korean, line-numbered notes about rows that were imported but deserve a look
            (e.g. a wage below the minimum wage, a certificate not in the reference table).
        related_rows: Rows added to other tables, e.g. ``{"employers": 3}``.
    """

    table: str
    rows_written: int
    warnings: tuple[str, ...] = ()
    related_rows: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


class ImportValidationError(InvalidInput):
    """The file has errors; nothing was written.

    Attributes:
        table: ``postings`` or ``seekers``.
        path: The file that was read.
        errors: Every problem found, one Korean message each, prefixed by its line number
            (``"3행: ..."``) when it belongs to a row.
    """

    def __init__(self, table: str, path: Path, errors: Sequence[str]) -> None:
        self.table = table
        self.path = path
        self.errors: tuple[str, ...] = tuple(errors)
        shown = "\n".join(self.errors[:_ERRORS_SHOWN])
        hidden = len(self.errors) - _ERRORS_SHOWN
        more = f"\n… 외 {hidden}건" if hidden > 0 else ""
        super().__init__(
            f"{path.name}: 오류 {len(self.errors)}건이 있어 아무것도 저장하지 않았습니다.\n{shown}{more}"
        )
