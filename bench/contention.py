"""The app's work alone and next to a CPU-bound competitor process; prints one JSON object.

Issue 20 §1: with one other CPU-bound process on a 2-core machine, spinning OpenMP workers made
LightGBM 12× slower. Each measurement runs twice, alone and while a competitor process keeps every
core busy (numpy matrix products on as many BLAS threads as there are cores, or a pure-Python busy
loop per core), and the ratio is contended ÷ alone; the fair share of the cores is a ratio of 2.

Usage::

    python bench/contention.py                   # demo build in a temp folder + what-if + caseload
    python bench/contention.py --skip-build      # what-if and caseload on the configured world only
    python bench/contention.py --competitor busy --size small

Keys:
    build_s_alone, build_s_contended, build_ratio — ``python -m app build`` of a new world
        (``--size``, default demo, with its service logs) in a temporary folder;
    whatif_ms_alone, whatif_ms_contended, whatif_ratio — one hiring what-if (``hiring.predict``:
        probability, interval, days, SHAP reasons), median of ``--repeats``;
    caseload_s_alone, caseload_s_contended, caseload_ratio — a 500-seeker caseload scored with
        reasons (``employment.score_records``), median of 5;
    artifacts — per artifact, its wall and CPU seconds in each build (``s_alone``, ``s_contended``,
        ``cpu_s_alone``, ``cpu_s_contended``, ``ratio``: which one loses more than its fair share);
    competitor, cores, threads (``app.threads.thread_count``), load_average (before the run),
    targets (each ratio ≤ 2.0).
The what-if and caseload use the world just built (or, with ``--skip-build``, the configured
``GOYONG_DB_URL`` / ``GOYONG_MODELS_DIR``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.threads import available_cores, thread_count  # noqa: E402

_MATMUL = """
import numpy as np
a = np.random.default_rng(0).random((1500, 1500))
while True:
    a = (a @ a) / 1500.0
"""
_BUSY = """
import multiprocessing as mp
def spin():
    while True:
        pass
if __name__ == "__main__":
    for _ in range({cores} - 1):
        mp.Process(target=spin, daemon=True).start()
    spin()
"""


@contextmanager
def competitor(kind: str, cores: int) -> Iterator[None]:
    """A CPU-bound process keeping every core busy for the duration of the block."""
    env = {**os.environ}
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(cores)  # the competitor is not ours: it uses every core it can
    env.pop("OMP_WAIT_POLICY", None)
    code = _MATMUL if kind == "matmul" else _BUSY.format(cores=cores)
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    time.sleep(2.0)  # let it reach full speed
    try:
        yield
    finally:
        os.killpg(proc.pid, 9)
        proc.wait()


def timed_build(folder: Path, size: str) -> float:
    """Seconds of ``python -m app build`` of a new world in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GOYONG_DB_URL": f"sqlite:///{folder / 'goyong.db'}", "GOYONG_MODELS_DIR": str(folder / "models"),
           "GOYONG_SERVICE_LOGS_DIR": str(folder / "logs"), "GOYONG_SERVICE_LOGS_SIZE": size if size != "large" else "demo",
           "GOYONG_USERS_FILE": str(folder / "users.yaml")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "build", "--size", size], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def artifact_seconds(alone_models: Path, contended_models: Path) -> dict[str, dict[str, float]]:
    """Each artifact's wall and CPU seconds in the two builds (their manifests), to see which one loses
    more than its fair share next to the competitor."""
    from app.ml.manifest import load_manifest

    runs = {run: (load_manifest(folder) or {}).get("models", {})
            for run, folder in (("alone", alone_models), ("contended", contended_models))}
    out: dict[str, dict[str, float]] = {}
    for name in sorted(runs["alone"]):
        row: dict[str, float] = {}
        for run, manifest in runs.items():
            entry = manifest.get(name) or {}
            for key, label in (("build_seconds", "s"), ("build_cpu_seconds", "cpu_s")):
                if entry.get(key) is not None:
                    row[f"{label}_{run}"] = round(float(entry[key]), 1)
        if "s_alone" in row and "s_contended" in row and row["s_alone"] > 0:
            row["ratio"] = round(row["s_contended"] / row["s_alone"], 2)
        out[name] = row
    return out


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def work_items(db_url: str, models_dir: Path) -> dict[str, Callable[[], object]]:
    """The what-if and caseload calls on that world."""
    from app.db.engine import make_engine
    from app.db.repositories.seekers import load_seeker_records
    from app.ml.employment import load_employment_model
    from app.ml.employment_features import split_cohorts
    from app.ml.hiring import load_hiring_model
    from app.services import employment, hiring

    engine = make_engine(db_url)
    hiring_model = load_hiring_model(models_dir)
    posting_id = int(hiring.load_employer_postings(engine, 1)["id"].iloc[0])
    conditions = hiring.conditions_from_posting(engine, posting_id, employer_id=1)
    model = load_employment_model(models_dir)
    bands = employment.load_risk_bands(engine)
    records = load_seeker_records(engine, as_of=model.as_of)
    _, caseload = split_cohorts(records, model.as_of)
    ids = caseload["id"].astype(int).tolist()[:500]
    days = caseload.set_index("id").loc[ids, "days_since_registration"]

    def caseload_500() -> None:
        batch = load_seeker_records(engine, as_of=model.as_of, ids=ids)
        batch["days_since_registration"] = days.loc[batch["id"]].to_numpy()
        employment.score_records(batch, model, bands)

    return {"whatif": lambda: hiring.predict(conditions, hiring_model), "caseload": caseload_500}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "demo", "large"], default="demo")
    parser.add_argument("--skip-build", action="store_true", help="no build; what-if and caseload on the configured world")
    parser.add_argument("--competitor", choices=["matmul", "busy"], default="matmul")
    parser.add_argument("--repeats", type=int, default=50, help="what-if repeats (median)")
    args = parser.parse_args(argv)
    cores = available_cores()
    out: dict[str, object] = {"competitor": args.competitor, "cores": cores, "threads": thread_count(),
                              "load_average": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="goyong-contention-") as tmp:
        if args.skip_build:
            from app.config import get_settings

            db_url, models_dir = get_settings().db_url, get_settings().models_dir
        else:
            alone = timed_build(Path(tmp) / "alone", args.size)
            with competitor(args.competitor, cores):
                contended = timed_build(Path(tmp) / "contended", args.size)
            out.update(build_s_alone=round(alone, 1), build_s_contended=round(contended, 1),
                       build_ratio=round(contended / alone, 2),
                       artifacts=artifact_seconds(Path(tmp) / "alone" / "models", Path(tmp) / "contended" / "models"))
            db_url, models_dir = f"sqlite:///{Path(tmp) / 'alone' / 'goyong.db'}", Path(tmp) / "alone" / "models"
        items = work_items(db_url, models_dir)
        repeats = {"whatif": args.repeats, "caseload": 5}
        scale = {"whatif": ("ms", 1000.0), "caseload": ("s", 1.0)}
        for name, fn in items.items():
            unit, factor = scale[name]
            alone_s = median_seconds(fn, repeats[name])
            with competitor(args.competitor, cores):
                contended_s = median_seconds(fn, repeats[name])
            out[f"{name}_{unit}_alone"] = round(alone_s * factor, 3)
            out[f"{name}_{unit}_contended"] = round(contended_s * factor, 3)
            out[f"{name}_ratio"] = round(contended_s / alone_s, 2)
    out["targets"] = {"build_ratio": 2.0, "whatif_ratio": 2.0, "caseload_ratio": 2.0}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
