"""Training recommendation speed on the configured (demo) world; prints one JSON object.

``recommend_ms_median`` (target ≤ 200 ms): :func:`app.services.training.recommend_for_seeker` for
one seeker of the open caseload — the page's whole call: the seeker's record, the course table,
every open course's expected rate and self-pay, candidates, scoring and the reasons — over
``--seekers`` different seekers after one warm-up call (the page's loader keeps the model in
memory). Also its p95, the ranking alone (``rank_ms_median``: :meth:`TrainingRecommender.recommend`
on frames already loaded) and the command line's batch rate on 200 seekers × the open courses.

Usage: python bench/training_speed.py [--seekers 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.auth import User  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories import courses as course_repo  # noqa: E402
from app.db.repositories import world as world_repo  # noqa: E402
from app.db.repositories.seekers import load_seeker_records  # noqa: E402
from app.ml import training_recommender as tr  # noqa: E402
from app.ml.employment_features import split_cohorts  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.services import training  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=30)
    args = parser.parse_args()
    settings = get_settings()
    engine = make_engine(settings.db_url)
    started = time.perf_counter()
    artifact = training.load_training_artifact(settings.models_dir)
    load_s = time.perf_counter() - started
    reference = load_reference()
    as_of = world_repo.load_reference_date(engine)
    _, records = split_cohorts(load_seeker_records(engine, as_of=as_of,
                                                   registered_after=as_of - pd.Timedelta(days=179)), as_of)
    ids = records["id"].astype(int).to_numpy()[: args.seekers + 1]
    counsellor = User(username="bench", display_name="bench", role="counsellor")
    timings = []
    for k, seeker_id in enumerate(ids):
        started = time.perf_counter()
        training.recommend_for_seeker(engine, artifact, counsellor, int(seeker_id), reference=reference)
        if k:  # the first call warms caches (occupation similarities, the course index's FAISS)
            timings.append((time.perf_counter() - started) * 1000)
    history = course_repo.load_course_frame(engine)
    upcoming = history[history["start_date"] >= pd.Timestamp(as_of)].reset_index(drop=True)
    names = dict(zip(reference.certificates["certificate_id"].astype(str), reference.certificates["name"], strict=True))
    frame = tr.seeker_frame(records.head(200), course_repo.load_certificate_names(
        engine, records["id"].head(200).astype(int).tolist(), names))
    rank_timings = []
    for i in range(min(len(frame), args.seekers)):
        started = time.perf_counter()
        artifact.model.recommend(frame.iloc[[i]], upcoming, top=10, ref=reference, index=artifact.index, history=history)
        rank_timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    artifact.model.recommend(frame, upcoming, top=10, ref=reference, index=artifact.index, history=history)
    batch_s = time.perf_counter() - started
    engine.dispose()
    print(json.dumps({
        "recommend_ms_median": round(float(np.median(timings)), 1),
        "recommend_ms_p95": round(float(np.percentile(timings, 95)), 1),
        "rank_ms_median": round(float(np.median(rank_timings)), 1),
        "batch_seekers_per_s": round(len(frame) / batch_s, 1),
        "open_courses": int(len(upcoming)),
        "all_courses": int(len(history)),
        "seekers_timed": len(timings),
        "artifact_load_s": round(load_s, 2),
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
