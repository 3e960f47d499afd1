"""CSV importers: load real job postings and job seekers in place of the synthetic world.

Two row formats are supported (full reference with examples: ``docs/importing.md``):

* **postings** — one job posting per row, with the hiring firm's business registration number;
  firms are matched on that number (created when new) and written to ``employers``.
* **seekers** — one registered job seeker per row; certificates go to ``seeker_certificates``.

Both importers work the same way:

1. **Validate everything first.** The file is streamed with the :mod:`csv` module in chunks of
   :data:`CHUNK_ROWS` rows and every row is parsed by a pydantic model (:class:`PostingRow`,
   :class:`SeekerRow`). Every problem is collected with its 1-based line number in the file (the
   header is line 1) and a Korean reason, together with file-level problems (empty file, not
   UTF-8, missing columns, duplicate ids).
2. **All or nothing.** If there is a single error, :class:`ImportValidationError` is raised with
   the whole list and nothing is written. Otherwise the file is read a second time and written in
   chunks inside **one** transaction, so a failure half-way rolls everything back.

Imported rows carry ``source="import"``. Below-minimum-wage postings are *not* rejected (judging a
posting is the verification service's job); they are reported in :attr:`ImportReport.warnings`.

Modules, one job each:

* :mod:`.csv_reader` — encoding, byte-order mark, header and line-numbered streaming of cells
* :mod:`.fields` — cell parsers with Korean reasons; text limits from ``app/db/orm.py``
* :mod:`.rows` — the row models :class:`PostingRow` and :class:`SeekerRow`
* :mod:`.wages` — :func:`monthly_wage_krw` and the minimum-wage screen (reference table)
* :mod:`.codes` — which KECO, 시도, welfare and certificate codes are allowed
* :mod:`.passes` — the validation pass and the write pass (reads ``passes.CHUNK_ROWS`` at call time)
* :mod:`.postings`, :mod:`.seekers` — the two importers (the command is :mod:`app.cli.imports`)
"""

from __future__ import annotations

from app.db.importers.codes import REGION_CODES
from app.db.importers.passes import CHUNK_ROWS
from app.db.importers.postings import import_postings
from app.db.importers.results import ImportReport, ImportValidationError
from app.db.importers.rows import (
    POSTING_COLUMNS_OPTIONAL,
    POSTING_COLUMNS_REQUIRED,
    SEEKER_COLUMNS_OPTIONAL,
    SEEKER_COLUMNS_REQUIRED,
    PostingRow,
    SeekerRow,
)
from app.db.importers.seekers import import_seekers
from app.db.importers.wages import monthly_wage_krw
from app.reference.identifiers import business_no_is_valid as is_valid_business_no

__all__ = [
    "CHUNK_ROWS",
    "POSTING_COLUMNS_OPTIONAL",
    "POSTING_COLUMNS_REQUIRED",
    "REGION_CODES",
    "SEEKER_COLUMNS_OPTIONAL",
    "SEEKER_COLUMNS_REQUIRED",
    "ImportReport",
    "ImportValidationError",
    "PostingRow",
    "SeekerRow",
    "import_postings",
    "import_seekers",
    "is_valid_business_no",
    "monthly_wage_krw",
]
