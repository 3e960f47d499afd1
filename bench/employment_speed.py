"""Employment-success model speed on this machine; prints one JSON object.

* ``caseload_500_s`` — a 500-seeker caseload from the database to scored rows: records,
  features, calibrated probability with its bootstrap interval, still-searching probability,
  band, TreeSHAP of every row and its main risk factor (``score_records``); target ≤ 1 s.
* ``profile_ms_median`` — one seeker's whole profile (``seeker_profile``: record, masked
  documents, probability, reasons, four service effects with intervals and reasons, similar
  past seekers); target ≤ 50 ms. ``profile_model_ms_median`` is the model part alone.
* ``whatif_ms_median`` — one what-if change rescored with reasons.

Uses the built demo model and database (``python -m app build`` first).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.seekers import load_seeker_records
from app.ml.employment import load_employment_model
from app.ml.employment_features import split_cohorts
from app.services import employment


def _timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    settings = get_settings()
    engine = make_engine(settings.db_url)
    model = load_employment_model(settings.models_dir)
    bands = employment.load_risk_bands(engine)
    records = load_seeker_records(engine, as_of=model.as_of)
    _, caseload = split_cohorts(records, model.as_of)
    ids = caseload["id"].astype(int).tolist()[:500]
    days = caseload.set_index("id").loc[ids, "days_since_registration"]

    def score_500() -> None:
        batch = load_seeker_records(engine, as_of=model.as_of, ids=ids)
        batch["days_since_registration"] = days.loc[batch["id"]].to_numpy()
        employment.score_records(batch, model, bands)

    score_500()  # warm-up
    caseload_s = statistics.median(_timed(score_500, 5))

    sample = ids[:25]
    employment.seeker_profile(engine, model, sample[0], bands)  # warm-up
    profile_ms = [1000 * t for sid in sample for t in _timed(lambda s=sid: employment.seeker_profile(engine, model, s, bands), 1)]

    one = caseload[caseload["id"] == sample[0]].reset_index(drop=True)
    x = model.features(one)

    def model_part() -> None:
        model.predict(x)
        model.explain(x)
        for service in ("training", "matching", "nes", "counselling"):
            model.effect_reasons(x, service)
        model.service_effects(x)
        model.similar_seekers(x, str(one["desired_keco"].iloc[0]))

    model_ms = [1000 * t for t in _timed(model_part, 50)]
    profile = employment.seeker_profile(engine, model, sample[0], bands)
    wage = int(profile.record["desired_wage"])
    changes = [employment.WhatIf(desired_wage=int(wage * f), region_flexible=bool(k % 2), complete_training=False)
               for k, f in enumerate(np.linspace(0.7, 1.1, 20))]
    whatif_ms = [1000 * t for c in changes for t in _timed(lambda c=c: employment.whatif(model, profile, c), 1)]
    print(json.dumps({
        "caseload_500_s": round(caseload_s, 3),
        "profile_ms_median": round(statistics.median(profile_ms), 1),
        "profile_model_ms_median": round(statistics.median(model_ms), 1),
        "whatif_ms_median": round(statistics.median(whatif_ms), 1),
        "targets": {"caseload_500_s": 1.0, "profile_ms_median": 50},
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
