"""Audit writes while another connection holds the database's write lock (a long import); prints
one JSON object.

Each of ``--attempts`` page outputs is recorded with :func:`app.services.audit.log_model_output`
on an empty SQLite database (WAL, as the app opens it): first free, then while a second connection
holds ``BEGIN IMMEDIATE`` (the row goes to the local spool after the short lock wait), then the
flush of the spool once the lock is gone. Before issue 12 each locked attempt waited SQLite's 5 s
busy timeout and the row was lost.

Target (issue 12): a locked attempt costs about the lock wait (250 ms), never 5 s; no row lost.
Usage: python bench/audit_lock.py [--attempts 20]
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db.engine import make_engine
from app.db.repositories.world import ensure_schema
from app.services import audit


def _timed(engine, attempts: int, tag: str) -> tuple[list[float], list[str]]:
    seconds, where = [], []
    for i in range(attempts):
        start = time.perf_counter()
        where.append(audit.log_model_output(
            engine, username=f"{tag}-{i}", role="employer", action="hiring.predict", model_name="hiring",
            model_version="1.0", input_hash=f"{i:064x}", output={"probability": 0.5}))
        seconds.append(time.perf_counter() - start)
    return seconds, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # one "spooled" warning per locked attempt is the expected path
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        ensure_schema(engine)
        free, _ = _timed(engine, args.attempts, "free")
        lock = sqlite3.connect(path, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        locked, where = _timed(engine, args.attempts, "locked")
        lock.execute("ROLLBACK")
        lock.close()
        start = time.perf_counter()
        flushed = audit.flush_spool(engine)
        flush_seconds = time.perf_counter() - start
        stored = len(audit.load_audit_log(engine, 10 * args.attempts))
        engine.dispose()
    print(json.dumps({
        "attempts": args.attempts,
        "lock_wait_ms": audit.AUDIT_LOCK_WAIT_MS,
        "free_ms_median": round(statistics.median(free) * 1000, 1),
        "locked_ms_median": round(statistics.median(locked) * 1000, 1),
        "locked_ms_max": round(max(locked) * 1000, 1),
        "locked_spooled": where.count("spool"),
        "flushed": flushed, "flush_ms": round(flush_seconds * 1000, 1),
        "rows_stored": stored, "rows_lost": 2 * args.attempts - stored,
    }))


if __name__ == "__main__":
    main()
