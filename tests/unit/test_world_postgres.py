"""PostgreSQL runs the same code: a world generated there equals the SQLite one, row for row.

Runs when ``GOYONG_TEST_PG_URL`` points at an empty scratch database (``.ci/run`` starts a local
PostgreSQL server and sets it); skipped otherwise.
"""

from __future__ import annotations

import os

import pytest

from app.db.engine import make_engine
from app.world.generate import generate_world

PG_URL = os.environ.get("GOYONG_TEST_PG_URL")


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_world_equals_sqlite_world(tmp_path) -> None:
    postgres = generate_world(make_engine(PG_URL), size="small", seed=11)
    sqlite = generate_world(make_engine(f"sqlite:///{tmp_path / 'w.db'}"), size="small", seed=11)
    assert postgres.rows == sqlite.rows
    assert postgres.fingerprint == sqlite.fingerprint
