"""Counselling copilot speed on the configured (demo) world; prints one JSON object.

``prepare_ms_median`` (target ≤ 1,000 ms): a whole preparation with the offline composer for one
seeker of the open caseload — the seeker's context (record, masked documents, the employment model's
probability, reasons and service effects, the plan and the interest test), then the diagnosis, the
career roadmap and the competency feedback, each through the faithfulness check — over ``--seekers``
seekers after one warm-up (the page keeps the model, the reference tables and the occupation graph
in memory; building the graph is ``graph_ms``). Also the p95, the context alone (``context_ms_median``)
and each task alone.

Usage: python bench/copilot_speed.py [--seekers 40]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.auth import User  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.services import copilot, employment  # noqa: E402

COUNSELLOR = User("bench-copilot", "상담사", "counsellor")


def _ms(values: list[float], q: float = 50) -> float:
    return round(float(np.percentile(values, q)), 1) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=40)
    args = parser.parse_args()
    settings = get_settings()
    engine = make_engine(settings.db_url)
    model = employment.load_employment_model(settings.models_dir)
    bands = employment.load_risk_bands(engine)
    reference = load_reference()
    copilot.copilot_vocabulary(reference)
    started = time.perf_counter()
    graph = copilot.occupation_graph(engine, reference)
    market = copilot.market_context(engine, model)
    graph_ms = (time.perf_counter() - started) * 1000
    ids = employment.caseload_scores(engine, model)["id"].astype(int).head(args.seekers + 1).tolist()
    whole, contexts = [], []
    per_task: dict[str, list[float]] = {}
    for k, seeker_id in enumerate(ids):
        t0 = time.perf_counter()
        context = copilot.counsellor_context(engine, COUNSELLOR, model, seeker_id, bands, reference)
        t1 = time.perf_counter()
        for task in copilot.preparation_tasks(context, reference, graph, market):
            t = time.perf_counter()
            copilot.run(task, None, reference)
            if k:
                per_task.setdefault(f"{task.name}_ms_median", []).append((time.perf_counter() - t) * 1000)
        if k:  # the first seeker warms the caches (regular expressions, the skill-gap table)
            whole.append((time.perf_counter() - t0) * 1000)
            contexts.append((t1 - t0) * 1000)
    print(json.dumps({
        "seekers": len(whole),
        "prepare_ms_median": _ms(whole),
        "prepare_ms_p95": _ms(whole, 95),
        "context_ms_median": _ms(contexts),
        **{name: _ms(values) for name, values in per_task.items()},
        "graph_ms": round(graph_ms, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
