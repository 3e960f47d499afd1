"""Hiring-model speed on this machine; prints one JSON object.

* ``predict_shap_ms_median`` — one posting: features, calibrated probability with interval, days,
  SHAP factors and Korean sentences (``app.services.hiring.predict``); target ≤ 30 ms.
* ``whatif_rerender_ms_median`` — one what-if change (the wage slider) to the re-rendered result,
  server time, measured with Streamlit's AppTest on the real page; target ≤ 300 ms.
* ``batch_postings_per_s`` — vectorised scoring of many postings (features + calibrated
  probability); target ≥ 20,000 postings/s.
* ``minimum_change_ms_median`` — the "70 %가 되려면?" plan search for one posting.

Uses the built demo model and database (``python -m app build`` first).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import get_settings
from app.db.engine import make_engine
from app.ml.hiring import load_hiring_model
from app.ml.hiring_features import load_training_postings
from app.services import hiring


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def whatif_rerender_ms(employer_id: int, posting_id: int, wage_values: list[int]) -> float | None:
    """Median server time of one wage-slider change on the simulator page (AppTest)."""
    page = ROOT / "pages" / "hiring_simulator.py"
    if not page.exists():
        return None
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(page), default_timeout=60)
    at.session_state["auth.user"] = {"username": "bench", "display_name": "bench", "role": "employer",
                                     "employer_id": employer_id}
    at.run()
    slider = next((s for s in at.slider if s.key == "hiring.whatif.wage"), None)
    if slider is None:
        return None
    times = []
    for value in wage_values:
        started = time.perf_counter()
        at.slider(key="hiring.whatif.wage").set_value(value).run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> int:
    settings = get_settings()
    engine = make_engine(settings.db_url)
    model = load_hiring_model(settings.models_dir)
    mine = hiring.load_employer_postings(engine, 1)
    posting_id = int(mine["id"].iloc[0])
    conditions = hiring.conditions_from_posting(engine, posting_id, employer_id=1)
    hiring.predict(conditions, model)  # warm-up: SHAP explainer, feature caches
    predict_ms = _median_ms(lambda: hiring.predict(conditions, model), 200)

    bounds = hiring.market_bounds(engine, model, conditions)
    plan_ms = _median_ms(lambda: hiring.minimum_change(conditions, model, 0.7, bounds), 10)

    postings = load_training_postings(engine)
    batch = pd.concat([postings] * max(1, 50_000 // len(postings)), ignore_index=True)
    started = time.perf_counter()
    model.predict_proba(model.features(batch))
    batch_rate = len(batch) / (time.perf_counter() - started)

    step = max(conditions.wage_amount // 20, 10)
    wages = [int(conditions.wage_amount + step * k) for k in (1, 2, 3, 4, 5, 4, 3, 2, 1, 0)]
    rerender = whatif_rerender_ms(1, posting_id, wages)
    print(json.dumps({
        "predict_shap_ms_median": predict_ms,
        "whatif_rerender_ms_median": rerender,
        "batch_postings_per_s": round(batch_rate),
        "minimum_change_ms_median": plan_ms,
        "targets": {"predict_shap_ms_median": 30, "whatif_rerender_ms_median": 300, "batch_postings_per_s": 20000},
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
