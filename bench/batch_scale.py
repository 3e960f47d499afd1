"""National-scale batch scoring: 3.6 million seekers through ``employment score``; prints one JSON object.

고용24 registers about 3.6 million new seekers a year. This bench writes that many seeker rows
(seeded; drawn by the world generator's own :func:`app.world.population.make_seekers`, so ages,
education, careers, desired occupations, wages, regions, certificates and skills are distributed as
the world's seekers are; services received at the small world's rates; a numeric row key as ``id``
and no personal data) and scores them with ``python -m app employment score`` in its own process,
reading its peak memory from the kernel (``VmHWM`` polled, as ``bench/cli_memory.py`` does, whose
helpers it uses; the command's scoring workers included: the sum of each process's own peak).
The models come from a small built world (``size=small``, seed 7) in a temporary
folder, or from ``--world DIR`` (built there when missing and kept, with the generated input).

Targets (issue 20 §3): ≤ 300 s and ≤ 4096 MB for 3.6M rows.

Keys: ``rows``, ``seconds``, ``seekers_per_s``, ``peak_mb``, ``cpu_s`` and ``seekers_per_cpu_s`` (user +
system CPU of the command: what the rate would be on idle cores), ``exit_code``, ``output_rows``,
``input_mb``, ``load_average`` (1/5/15-minute, before and after the run: the machine is shared),
``target_seconds``, ``target_mb``, ``within_target``, ``stderr_tail``.

Usage::

    python bench/batch_scale.py                    # 3.6M rows
    python bench/batch_scale.py --rows 200000      # smaller
    python bench/batch_scale.py --world /tmp/scale_world   # keep the world and the input between runs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cli_memory import ensure_world, run_measured  # noqa: E402  (after the path is set)

TARGET_SECONDS = 300.0
TARGET_MB = 4096.0
NATIONAL_ROWS = 3_600_000
DRAW_CHUNK = 200_000
HEADER = ["id", "age", "education", "career_years", "desired_keco", "desired_wage", "desired_region_code",
          "benefit_status", "last_keco", "region_flexible", "certificate_ids", "skills", "days_since_registration",
          "svc_training", "svc_matching", "svc_nes", "svc_counselling"]
FIRST_ID = 10_000_001  # eight-digit row keys


def service_rates(db: Path) -> dict[str, float]:
    """Share of the world's seekers who received each service (training: a completed course)."""
    with sqlite3.connect(db) as conn:
        seekers = conn.execute("SELECT COUNT(*) FROM seekers").fetchone()[0]
        received = dict(conn.execute("SELECT service, COUNT(DISTINCT seeker_id) FROM seeker_services GROUP BY service"))
        completed = conn.execute("SELECT COUNT(DISTINCT seeker_id) FROM enrolments WHERE completed").fetchone()[0]
    rates = {service: received.get(service, 0) / max(seekers, 1) for service in ("matching", "nes", "counselling")}
    return {"training": completed / max(seekers, 1), **rates}


def write_input(path: Path, rows: int, seed: int, rates: dict[str, float]) -> None:
    """``rows`` seekers drawn like the world's, DRAW_CHUNK at a time (bounded memory)."""
    from app.reference.tables import load_reference
    from app.world import population

    ref = load_reference()
    rng = np.random.default_rng(seed)
    market = population.occupation_market_table(ref, rng)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        while written < rows:
            n = min(DRAW_CHUNK, rows - written)
            seekers = population.make_seekers(ref, market, n, rng)
            frame = pd.DataFrame({
                "id": np.arange(FIRST_ID + written, FIRST_ID + written + n),
                "age": seekers["age"].to_numpy(),
                "education": seekers["education"].to_numpy(),
                "career_years": seekers["career_years"].to_numpy(),
                "desired_keco": seekers["desired_keco"].to_numpy(),
                "desired_wage": seekers["desired_wage"].to_numpy(),
                "desired_region_code": seekers["desired_region_code"].to_numpy(),
                "benefit_status": seekers["benefit_status"].to_numpy(int),
                "last_keco": seekers["last_keco"].fillna("").to_numpy(),
                "region_flexible": seekers["region_flexible"].to_numpy(int),
                "certificate_ids": seekers["certificate_ids"].fillna("").to_numpy(),
                "skills": seekers["skills"].fillna("").to_numpy(),
                "days_since_registration": rng.integers(0, 181, n),
                **{f"svc_{s}": (rng.random(n) < rate).astype(int) for s, rate in rates.items()},
            })[HEADER]
            frame.to_csv(handle, index=False, header=False)
            written += n
            print(f"input: {written:,}/{rows:,} rows", file=sys.stderr, flush=True)


def count_lines(path: Path) -> int:
    """Data rows of a CSV written without line breaks inside cells (the command's output)."""
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(2**24), b"")) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=NATIONAL_ROWS, help="seekers to score")
    parser.add_argument("--world", type=Path, default=None, help="folder with w.db and models/ (built when missing, kept)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--kill-mb", type=float, default=8192.0, help="stop the command when its memory passes this")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose `python -m app` is measured")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="batch_scale_") as tmp:
        work = Path(tmp)
        world = args.world or work / "world"
        world.mkdir(parents=True, exist_ok=True)
        db, models = ensure_world(world)
        source = world / f"seekers_{args.rows}_{args.seed}.csv"
        if not source.exists():
            partial = source.with_suffix(".partial")
            write_input(partial, args.rows, args.seed, service_rates(db))
            partial.replace(source)
        db_copy = work / "run.db"
        shutil.copyfile(db, db_copy)  # the command records its run there
        output = work / "scored.csv"
        env = {**os.environ, "GOYONG_MODELS_DIR": str(models), "GOYONG_DB_URL": f"sqlite:///{db_copy}",
               "PYTHONPATH": str(args.root)}
        argv = [sys.executable, "-m", "app", "employment", "score", "--input", str(source), "--output", str(output),
                "--models-dir", str(models)]
        load_before = os.getloadavg()
        started = time.perf_counter()
        measured = run_measured(argv, cwd=args.root, env=env, kill_mb=args.kill_mb, descendants=True)
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        output_rows = count_lines(output) if output.exists() else 0
        input_mb = source.stat().st_size / 2**20
        if args.world is None:
            source.unlink()
    ok = measured["exit_code"] == 0 and output_rows == args.rows
    print(json.dumps({
        "rows": args.rows,
        "seconds": round(seconds, 1),
        "seekers_per_s": round(args.rows / seconds) if ok else None,
        "peak_mb": measured["peak_mb"],
        "cpu_s": measured["cpu_s"],
        "seekers_per_cpu_s": round(args.rows / max(float(measured["cpu_s"]), 1e-9)) if ok else None,
        "exit_code": measured["exit_code"],
        "output_rows": output_rows,
        "input_mb": round(input_mb, 1),
        "load_average": {"before": [round(v, 2) for v in load_before], "after": [round(v, 2) for v in load_after]},
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "within_target": ok and seconds <= TARGET_SECONDS and float(measured["peak_mb"]) <= TARGET_MB,
        "killed_above_mb": measured["killed_above_mb"],
        "stderr_tail": measured["stderr_tail"],
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
