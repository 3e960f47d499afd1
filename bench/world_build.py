"""Time and memory of world generation; prints one JSON object.

Usage: python bench/world_build.py [--size demo] [--seed 20261123]
Keys: size, seconds, peak_rss_mb, db_mb, rows, calibration, fingerprint; cpu_s (user + system of
this process and its worker processes: the machine may be shared, the wall time then says little).
peak_rss_mb is this process's; a large world's worker processes (text, fingerprint) add about
300 MB each while they run (Linux reports a spawned child's peak as at least its parent's size at
the fork, so theirs is not printed: sample the process tree to see it).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db.engine import make_engine
from app.world.generate import generate_world


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="demo", choices=["small", "demo", "large"])
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "world.db"
        engine = make_engine(f"sqlite:///{db}")
        summary = generate_world(engine, size=args.size, seed=args.seed)
        engine.dispose()  # closing the last connection checkpoints the WAL into the database file
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("world.db*")) / 2**20
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = own.ru_maxrss / 1024
    print(json.dumps({
        "size": summary.size,
        "seconds": round(summary.seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "db_mb": round(db_mb, 1),
        "rows": summary.rows,
        "calibration": {k: round(v, 4) for k, v in summary.calibration.items()},
        "fingerprint": summary.fingerprint,
        "cpu_s": round(own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime, 1),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
