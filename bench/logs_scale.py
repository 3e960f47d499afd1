"""Service-log bottlenecks at 고용24 scale: generate and analyse the event logs; prints one JSON object.

Usage: python bench/logs_scale.py [--size large] [--sessions N] [--seed 20261123] [--keep DIR]

Reads the seekers of the configured world (``GOYONG_DB_URL``; build it first). The logs are generated
in a child process (its own peak memory is ``generate_peak_mb``) into a temporary folder (or ``--keep``),
then analysed here with DuckDB (threads from ``GOYONG_THREADS``, memory limit ``GOYONG_DUCKDB_MEMORY_MB``).

Keys: events, sessions, files, parquet_mb, generate_s, generate_peak_mb, analysis_s (every query of the
page: cube, step times, error codes, directly-follows process map, plus the ranking), query_s (each),
peak_mb (peak RSS of the analysing process, DuckDB included), bottleneck_recall (share of the planted
bottlenecks among the top 3 ranked of their service), threads, duckdb_memory_mb.
Targets (issue 19): events ≥ 50 million for ``large``, analysis_s ≤ 60, peak_mb ≤ 4096, recall 1.0.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.analytics.service_logs import analyse_service_logs
from app.config import get_settings
from app.db.engine import make_engine
from app.threads import thread_count
from app.world.service_logs import generate_service_logs, load_planted, planted_recall


def _generate(out: str, size: str, seed: int, sessions: int | None, queue: multiprocessing.Queue) -> None:
    engine = make_engine(get_settings().db_url)
    summary = generate_service_logs(engine, Path(out), size=size, seed=seed, sessions=sessions)
    engine.dispose()
    queue.put({"events": summary.events, "sessions": summary.sessions, "files": summary.files,
               "generate_s": summary.seconds,
               "generate_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})


def run(out: Path, size: str, seed: int, sessions: int | None) -> dict:
    """Generate (child process) and analyse the logs in ``out``; the bench's JSON."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_generate, args=(str(out), size, seed, sessions, queue))
    child.start()
    generated = queue.get()
    child.join()
    started = time.perf_counter()
    analysis = analyse_service_logs(out)
    analysis_s = time.perf_counter() - started
    ranked = analysis.bottlenecks.to_dict("records")
    parquet_mb = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 2**20
    return {
        "size": size,
        **generated,
        "parquet_mb": round(parquet_mb, 1),
        "analysis_s": round(analysis_s, 2),
        "query_s": {k: round(v, 2) for k, v in analysis.seconds.items()},
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bottleneck_recall": planted_recall(ranked, load_planted(out)),
        "top_bottlenecks": [f"{r['service']} · {r['step']} · {r['value']}" for r in ranked[:6]],
        "threads": thread_count(),
        "duckdb_memory_mb": get_settings().duckdb_memory_mb,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "demo", "large"])
    parser.add_argument("--sessions", type=int, default=None, help="sessions instead of the size's number")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", type=Path, default=None, help="write the logs here and keep them")
    args = parser.parse_args()
    if args.keep is not None:
        result = run(args.keep, args.size, args.seed, args.sessions)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(Path(tmp) / "logs", args.size, args.seed, args.sessions)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
