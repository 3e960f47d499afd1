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

from sqlalchemy import Engine, select

from app.db import orm
from app.db.rrn import RrnCipher, load_rrn_cipher

EXCLUDED_TABLES = frozenset({
    orm.WorldMeta.__tablename__, orm.AuditLog.__tablename__, orm.HiringScenario.__tablename__,
    orm.RiskOverride.__tablename__, orm.RiskBandSetting.__tablename__, orm.AdReview.__tablename__,
    orm.AdRuleVersion.__tablename__, orm.LoginAttempt.__tablename__, *orm.HIRING_LOOP_TABLES,
    *orm.TALENT_TABLES, *orm.INTEREST_TABLES, *orm.TRAINING_PLAN_TABLES, *orm.COPILOT_TABLES,
    orm.AggregateSnapshot.__tablename__, orm.SeekerScore.__tablename__, orm.PostingScore.__tablename__,
})
"""Tables whose content is not part of the world (timestamps, later user activity such as saved
scenarios, counsellors' overrides and policy settings, aggregates and the caseload's scores stored as snapshots of the world)."""

SKIPPED_COLUMNS: dict[str, frozenset[str]] = {orm.Posting.__tablename__: frozenset({"updated_at"})}
"""Columns of world tables that record later user activity (a posting's newest edit), not content."""


def compute_fingerprint(engine: Engine, *, batch: int = 20_000) -> str:
    """SHA-256 hex digest over all world tables (sorted by table name, rows by primary key).

    Floats are written with ``repr`` (shortest round-trip form) so the digest is stable across
    runs on one platform.

    Raises:
        RrnKeyError: The seekers hold encrypted numbers and the configured key is missing or
            another one (:mod:`app.db.rrn`).
    """
    digest = hashlib.sha256()
    seekers = _SeekerContent(orm.Seeker.__table__.columns.keys())
    for name in sorted(orm.Base.metadata.tables):
        if name in EXCLUDED_TABLES:
            continue
        table = orm.Base.metadata.tables[name]
        content = seekers.row if name == orm.Seeker.__tablename__ else tuple
        digest.update(f"#{name}\n".encode())
        skipped = SKIPPED_COLUMNS.get(name, frozenset())
        columns = [column for column in table.columns if column.name not in skipped]
        stmt = select(*columns).order_by(*table.primary_key.columns)
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(stmt)
            for row in result:
                digest.update(repr(content(row)).encode())
                digest.update(b"\n")
    return digest.hexdigest()


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
