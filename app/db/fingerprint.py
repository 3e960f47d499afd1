"""Content fingerprint of a world: one SHA-256 over every product table, rows in key order.

Used to prove determinism (same seed → same database) and recorded in the build manifest so
artifacts can say which data they were trained on.

The fingerprint is of the world's *content*, not of its storage: the 주민등록번호 enters as the
number (decrypted here, the one reader of it), in the place its column had before it was encrypted,
and its keyed hash does not enter at all. Ciphertext differs on every write (random nonces) and the
keyed hash differs per installation (random keys), so hashing either would give the same seed a
different fingerprint each time; hashing the content keeps every fingerprint recorded before
encryption (small seed 7: ``cca7f1b2…``) valid.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Select, Text, func, select

from app.db import orm
from app.db.engine import make_engine
from app.db.rrn import RrnCipher, load_rrn_cipher
from app.threads import main_module_hidden

EXCLUDED_TABLES = frozenset({
    orm.WorldMeta.__tablename__, orm.AuditLog.__tablename__, orm.HiringScenario.__tablename__,
    orm.RiskOverride.__tablename__, orm.RiskBandSetting.__tablename__, orm.AdReview.__tablename__,
    orm.AdRuleVersion.__tablename__, orm.LoginAttempt.__tablename__, *orm.HIRING_LOOP_TABLES,
    *orm.TALENT_TABLES, *orm.INTEREST_TABLES, *orm.TRAINING_PLAN_TABLES, *orm.COPILOT_TABLES,
    orm.AggregateSnapshot.__tablename__, orm.SeekerScore.__tablename__, orm.PostingScore.__tablename__,
    orm.KpiCell.__tablename__,
})
"""Tables whose content is not part of the world (timestamps, later user activity such as saved
scenarios, counsellors' overrides and policy settings, aggregates and the caseload's scores stored as snapshots of the world)."""

SKIPPED_COLUMNS: dict[str, frozenset[str]] = {orm.Posting.__tablename__: frozenset({"updated_at"})}
"""Columns of world tables that record later user activity (a posting's newest edit), not content."""


def compute_fingerprint(engine: Engine, *, batch: int = 20_000, workers: int = 0) -> str:
    """SHA-256 hex digest over all world tables (sorted by table name, rows by primary key).

    Floats are written with ``repr`` (shortest round-trip form) so the digest is stable across
    runs on one platform.

    Args:
        engine: The world's database.
        batch: Rows fetched at a time.
        workers: Spawned processes that read and write out the rows (a large world's tables hold
            tens of millions). They read ranges of the first key column, each in key order, and
            this process hashes their text in table and key order: the bytes hashed, and so the
            digest, are the same as with none. ``0`` (and an in-memory database, which another
            process cannot open) reads everything here.

    Raises:
        RrnKeyError: The seekers hold encrypted numbers and the configured key is missing or
            another one (:mod:`app.db.rrn`).
    """
    digest = hashlib.sha256()
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    if workers > 0 and not in_memory:
        url = engine.url.render_as_string(hide_password=False)
        context = mp.get_context("spawn")
        with main_module_hidden(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            pending: deque[Future] = deque()
            for part in _parts(engine):
                if isinstance(part, bytes):
                    pending.append(_done(part))
                else:
                    pending.append(pool.submit(_part_text, url, *part, batch))
                while len(pending) > 2 * workers:
                    digest.update(pending.popleft().result())
            while pending:
                digest.update(pending.popleft().result())
        return digest.hexdigest()
    seekers = _SeekerContent(orm.Seeker.__table__.columns.keys())
    with engine.connect() as conn:
        for name, stmt in _statements():
            digest.update(f"#{name}\n".encode())
            content = seekers.row if name == orm.Seeker.__tablename__ else tuple
            for text in _lines(conn, stmt, content, batch):
                digest.update(text)
    return digest.hexdigest()


def _statements() -> Iterator[tuple[str, Select]]:
    """Each world table's name and the query of its hashed columns in key order."""
    for name in sorted(orm.Base.metadata.tables):
        if name in EXCLUDED_TABLES:
            continue
        table = orm.Base.metadata.tables[name]
        skipped = SKIPPED_COLUMNS.get(name, frozenset())
        columns = [column for column in table.columns if column.name not in skipped]
        yield name, select(*columns).order_by(*table.primary_key.columns)


def _lines(conn: Connection, stmt: Select, content: Callable[[Any], tuple], batch: int) -> Iterator[bytes]:
    """The rows of ``stmt`` as the hashed text, a batch of lines at a time (the same bytes as one
    line at a time)."""
    result = conn.execution_options(yield_per=batch).execute(stmt)
    for rows in result.partitions():
        yield "".join([repr(content(row)) + "\n" for row in rows]).encode()


_ROWS_PER_PART = 100_000
_WIDE_ROWS_PER_PART = 10_000  # rows with documents (résumés, postings, notes): a part's text stays ~100 MB


def _parts(engine: Engine) -> Iterator[bytes | tuple[str, int | None, int | None]]:
    """The hashed stream in order: a table's header line (bytes), then its parts as
    ``(table, first key from, first key below)`` ranges (``None, None``: the whole table)."""
    with engine.connect() as conn:
        for name, _stmt in _statements():
            yield f"#{name}\n".encode()
            table = orm.Base.metadata.tables[name]
            first = table.primary_key.columns.values()[0]
            if not isinstance(first.type, Integer):
                yield name, None, None
                continue
            low, high, count = conn.execute(select(func.min(first), func.max(first), func.count())).one()
            if not count:
                continue
            wide = any(isinstance(c.type, Text) for c in table.columns)
            rows = _WIDE_ROWS_PER_PART if wide else _ROWS_PER_PART
            step = max(1, (high - low + 1) * rows // count)
            for start in range(low, high + 1, step):
                yield name, start, start + step


def _done(value: bytes) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


_worker_engines: dict[str, Engine] = {}


def _part_text(url: str, name: str, start: int | None, stop: int | None, batch: int) -> bytes:
    """The hashed text of one part of a table (in a worker process)."""
    engine = _worker_engines.get(url) or _worker_engines.setdefault(url, make_engine(url))
    stmt = dict(_statements())[name]
    if start is not None:
        first = orm.Base.metadata.tables[name].primary_key.columns.values()[0]
        stmt = stmt.where(first >= start, first < stop)
    content = _SeekerContent(orm.Seeker.__table__.columns.keys()).row if name == orm.Seeker.__tablename__ else tuple
    with engine.connect() as conn:
        return b"".join(_lines(conn, stmt, content, batch))


class _SeekerContent:
    """A ``seekers`` row as it was before the 주민등록번호 was encrypted: the number ("" when
    unknown) where ``rrn_encrypted`` is, no ``rrn_hmac``. The key is loaded at the first number."""

    def __init__(self, columns: list[str]) -> None:
        self._token = columns.index("rrn_encrypted")
        self._hmac = columns.index("rrn_hmac")
        self._cipher: RrnCipher | None = None

    def row(self, row: tuple) -> tuple:
        values = list(row)
        token = values[self._token]
        if token:
            self._cipher = self._cipher or load_rrn_cipher()
            values[self._token] = self._cipher.decrypt(token)
        else:
            values[self._token] = ""
        del values[self._hmac]
        return tuple(values)
