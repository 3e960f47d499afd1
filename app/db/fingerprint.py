"""Content fingerprint of a world: one SHA-256 over every product table, rows in key order.

Used to prove determinism (same seed → same database) and recorded in the build manifest so
artifacts can say which data they were trained on.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, select

from app.db import orm

EXCLUDED_TABLES = frozenset({
    orm.WorldMeta.__tablename__, orm.AuditLog.__tablename__, orm.HiringScenario.__tablename__,
    orm.RiskOverride.__tablename__, orm.RiskBandSetting.__tablename__, orm.AdReview.__tablename__,
    orm.AdRuleVersion.__tablename__, orm.LoginAttempt.__tablename__,
})
"""Tables whose content is not part of the world (timestamps, later user activity such as saved
scenarios, counsellors' overrides and policy settings)."""


def compute_fingerprint(engine: Engine, *, batch: int = 20_000) -> str:
    """SHA-256 hex digest over all world tables (sorted by table name, rows by primary key).

    Floats are written with ``repr`` (shortest round-trip form) so the digest is stable across
    runs on one platform.
    """
    digest = hashlib.sha256()
    for name in sorted(orm.Base.metadata.tables):
        if name in EXCLUDED_TABLES:
            continue
        table = orm.Base.metadata.tables[name]
        digest.update(f"#{name}\n".encode())
        stmt = select(table).order_by(*table.primary_key.columns)
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(stmt)
            for row in result:
                digest.update(repr(tuple(row)).encode())
                digest.update(b"\n")
    return digest.hexdigest()
