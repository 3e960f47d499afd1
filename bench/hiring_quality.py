"""Hiring-success model quality against the oracle; prints one JSON object.

The built model (``models/``, trained on the configured world) is graded on a *fresh* world
generated with another seed — postings it has never seen, with their own market (market wages and
tightness are estimated from that world's observed postings, as they would be in production):

* AUC, Brier, expected calibration error (ECE) of the model and of the oracle (the true
  probabilities from the truth tables), and the AUC ratio model/oracle;
* what-if fidelity on 1,000 of those postings: predicted vs true change in the 30-day fill
  probability for wage +10 % and for weekly hours −4 (true changes from the truth equations),
  mean absolute error.

Targets (issue 3): auc_ratio ≥ 0.97, ece ≤ 0.02, whatif_mae ≤ 0.03.
Usage: python bench/hiring_quality.py [--eval-seed 424242] [--size demo]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.metrics import brier_score_loss, roc_auc_score
from sqlalchemy import select

from app.config import get_settings
from app.db import orm
from app.db.engine import make_engine
from app.db.repositories.world import read_world_meta
from app.labour import monthly_equivalent, paid_monthly_hours
from app.ml.calibrated import expected_calibration_error
from app.ml.hiring import load_hiring_model
from app.ml.hiring_features import build_features, load_training_postings, make_market_context, to_model_frame
from app.ml.manifest import BuildContext
from app.ml.market_wages import compute_market_wages, load_posting_wages
from app.world import truth  # evaluation may read the truth equations
from app.world.generate import generate_world


def true_probability_after(
    postings: pd.DataFrame, eta: np.ndarray, intercept: float, *, wage_factor: float = 1.0, hours_delta: float = 0.0
) -> np.ndarray:
    """True 30-day fill probability after changing the wage amount and/or weekly hours.

    Only the wage and hours terms of the attractiveness η change (truth.posting_attractiveness);
    the full-time-equivalent wage is recomputed with the posting's own wage type, so fewer hours at
    the same monthly pay raise the FTE wage, as they do in the world.
    """
    hours = postings["weekly_hours"].to_numpy(float)
    new_hours = np.clip(hours + hours_delta, 1.0, None)
    wage_type = postings["wage_type"].to_numpy()
    amount = postings["wage_amount"].to_numpy(float)
    fte_old = np.asarray(monthly_equivalent(wage_type, amount, hours)) * 209.0 / paid_monthly_hours(hours)
    fte_new = np.asarray(monthly_equivalent(wage_type, amount * wage_factor, new_hours)) * 209.0 / paid_monthly_hours(new_hours)

    def hours_term(h: np.ndarray) -> np.ndarray:
        return -truth.HOURS_SLOPE * (h - 40.0) - truth.OVERTIME_SLOPE * np.maximum(h - 40.0, 0.0)

    delta = truth.WAGE_ELASTICITY * np.log(fte_new / fte_old) + hours_term(new_hours) - hours_term(hours)
    return truth.fill_probability(eta + delta, 30.0, truth.HiringParameters(intercept=intercept))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-seed", type=int, default=424242)
    parser.add_argument("--size", default="demo", choices=["small", "demo", "large"])
    parser.add_argument("--whatif-n", type=int, default=1000)
    args = parser.parse_args()
    settings = get_settings()
    model = load_hiring_model(settings.models_dir)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        generate_world(engine, size=args.size, seed=args.eval_seed)
        postings = load_training_postings(engine)
        market = make_market_context(
            engine, compute_market_wages(load_posting_wages(BuildContext(engine, Path(tmp), "", 0)))
        )
        with engine.connect() as conn:
            truth_rows = pd.DataFrame(conn.execute(select(orm.TruthPosting.posting_id, orm.TruthPosting.p_fill_30d,
                                                          orm.TruthPosting.attractiveness)).mappings().all())
        intercept = float(read_world_meta(engine)["calibration.hiring_intercept"])
        engine.dispose()
    truth_rows = truth_rows.set_index("posting_id").loc[postings["id"]]
    y = postings["filled_30d"].astype(int).to_numpy()
    frame = to_model_frame(build_features(postings, market))
    p_model = model.predict_proba(frame)
    p_oracle = truth_rows["p_fill_30d"].to_numpy(float)
    auc, auc_oracle = roc_auc_score(y, p_model), roc_auc_score(y, p_oracle)

    rng = np.random.default_rng(args.eval_seed)
    sample = rng.choice(len(postings), size=min(args.whatif_n, len(postings)), replace=False)
    base = postings.iloc[sample].reset_index(drop=True)
    eta = truth_rows["attractiveness"].to_numpy(float)[sample]
    p0_model = p_model[sample]
    p0_true = p_oracle[sample]

    wage_up = base.assign(wage_amount=base["wage_amount"] * 1.10)
    p_wage_model = model.predict_proba(to_model_frame(build_features(wage_up, market)))
    p_wage_true = true_probability_after(base, eta, intercept, wage_factor=1.10)
    fewer_hours = base.assign(weekly_hours=np.clip(base["weekly_hours"] - 4, 1, None))
    p_hours_model = model.predict_proba(to_model_frame(build_features(fewer_hours, market)))
    p_hours_true = true_probability_after(base, eta, intercept, hours_delta=-4.0)

    result = {
        "eval_world": {"size": args.size, "seed": args.eval_seed, "postings": int(len(postings))},
        "model_version": model.version,
        "auc": round(float(auc), 4),
        "auc_oracle": round(float(auc_oracle), 4),
        "auc_ratio": round(float(auc / auc_oracle), 4),
        "brier": round(float(brier_score_loss(y, p_model)), 4),
        "brier_oracle": round(float(brier_score_loss(y, p_oracle)), 4),
        "ece": round(expected_calibration_error(y, p_model), 4),
        "ece_oracle": round(expected_calibration_error(y, p_oracle), 4),
        "whatif_n": int(len(sample)),
        "whatif_mae_wage": round(float(np.mean(np.abs((p_wage_model - p0_model) - (p_wage_true - p0_true)))), 4),
        "whatif_mae_hours": round(float(np.mean(np.abs((p_hours_model - p0_model) - (p_hours_true - p0_true)))), 4),
        "whatif_mean_true_change_wage": round(float(np.mean(p_wage_true - p0_true)), 4),
        "whatif_mean_model_change_wage": round(float(np.mean(p_wage_model - p0_model)), 4),
        "whatif_mean_true_change_hours": round(float(np.mean(p_hours_true - p0_true)), 4),
        "whatif_mean_model_change_hours": round(float(np.mean(p_hours_model - p0_model)), 4),
        "targets": {"auc_ratio": 0.97, "ece": 0.02, "whatif_mae": 0.03},
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
