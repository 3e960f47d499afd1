"""Employment-success model quality; prints one JSON object.

1. **Fresh world.** The built model (``models/``, trained on the configured world) is graded on a
   world generated with another seed — seekers it has never seen, with their own market (market
   wages and demand are estimated from that world's observed data, as in production):
   AUC, Brier, ECE of the model and of the oracle (true probabilities), the AUC ratio, the
   age-blind variant's AUC/ECE, service-effect error per service against the true individual
   effects (S-learner, other services off — how the truth defines an effect — and, for
   comparison, a DR-learner fitted on that world), and the fairness audit (per attribute and
   group) at the default risk bands.
2. **Real data, same training code.** :func:`app.ml.calibrated.fit_calibrated_booster` with the
   employment model's booster settings on data nobody here generated:
   * ``../shared/data/unemployment_duration_reemployment/Ecdat_UnempDur.csv`` (McCall 1996, CPS
     displaced workers): re-employed within 13 two-week periods (≈ 6 months); spells censored
     before that are left out. Held-out AUC, Brier, ECE, next to a logistic regression.
   * NSW job-training data: the experimental effect of training on being employed in 1978
     (``DAAG_nswdemo``: randomised) against the S-learner and AIPW estimates on the
     observational LaLonde sample (``MatchIt_lalonde``: NSW treated + PSID controls) — the
     classic test of whether a method recovers an experimental effect from observational data.

Targets (issue 4): auc_ratio ≥ 0.97, ece ≤ 0.02, uplift MAE ≤ 0.03 per service.
Usage: python bench/employment_quality.py [--eval-seed 424242] [--size demo]
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

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.seekers import load_seeker_records
from app.ml import employment as emp
from app.ml.calibrated import fit_calibrated_booster, probability_metrics
from app.ml.employment_features import PERSON_FEATURES, SERVICE_FEATURES, build_features, make_employment_market
from app.ml.evaluate import load_true_employment, oracle_grades
from app.ml.fairness import age_band, audit_fairness
from app.ml.manifest import BuildContext
from app.ml.market_wages import compute_market_wages, load_posting_wages
from app.ml.uplift import cross_fitted_effect_checks, dr_learner_effect, s_learner_effect
from app.reference.codes import SERVICES
from app.reference.names import region_short
from app.services.employment import FAIRNESS_SIGNIFICANCE
from app.services.employment.store import RiskBands


def _round(value: float) -> float | None:
    return None if value != value else round(float(value), 4)


def fresh_world(model: emp.EmploymentModel, size: str, seed: int) -> dict:
    """Grade ``model`` on a newly generated world."""
    from app.world.generate import generate_world

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        generate_world(engine, size=size, seed=seed)
        market = make_employment_market(engine, compute_market_wages(load_posting_wages(BuildContext(engine, Path(tmp), "", 0))))
        records = load_seeker_records(engine)
        truth = load_true_employment(engine, records["id"].to_numpy())
        engine.dispose()
    x = build_features(records, market)
    y = records["employed_180d"].astype(int).to_numpy()
    p = model.predict_proba(x)
    p_blind = model.age_blind.predict_proba(x)
    result: dict = {"eval_world": {"size": size, "seed": seed, "seekers": int(len(records))}}
    result.update(probability_metrics(y, p))
    result.update(oracle_grades(y, truth["p_employed_180d"].to_numpy(float), p))
    blind = probability_metrics(y, p_blind)
    result["age_blind"] = {"auc": blind["auc"], "ece": blind["ece"]}

    uplift_mae, uplift_dr_mae, means = {}, {}, {}
    checks, parts = cross_fitted_effect_checks(x, y, treatments=SERVICE_FEATURES, covariates=PERSON_FEATURES,
                                                outcome_params=emp._params(seed), seed=seed)
    for service in SERVICES:
        column = f"svc_{service}"
        others = {c: 0.0 for c in SERVICE_FEATURES if c != column}
        estimate = s_learner_effect(model.predict_proba, x, column, others=others)
        true = truth[f"effect_{service}"].to_numpy(float)
        uplift_mae[service] = _round(np.mean(np.abs(estimate - true)))
        off = x.assign(**others)
        dr = dr_learner_effect(x[list(PERSON_FEATURES)], y, x[column].to_numpy(int), parts[column]["e"], parts[column]["mu1"],
                               parts[column]["mu0"], predict_on=off[list(PERSON_FEATURES)], seed=seed)
        uplift_dr_mae[service] = _round(np.mean(np.abs(dr - true)))
        means[service] = {"true": _round(true.mean()), "s_learner": _round(estimate.mean()),
                          "aipw": _round(checks[column].ate_aipw), "aipw_se": _round(checks[column].ate_aipw_se),
                          "max_smd_weighted": _round(checks[column].max_smd_weighted),
                          "overlap_share": _round(checks[column].overlap_share)}
    result["uplift_mae"] = uplift_mae
    result["uplift_mae_dr_learner"] = uplift_dr_mae
    result["uplift_means"] = means

    settings = get_settings()
    bands = RiskBands()
    groups = pd.DataFrame({
        "sex": records["sex"].map({"M": "남성", "F": "여성"}).to_numpy(),
        "age_band": age_band(records["age"].to_numpy()),
        "disability": np.where(records["disability"].to_numpy(bool), "장애 있음", "장애 없음"),
        "region": [region_short(str(r)) for r in records["region_code"]],
    })
    fairness = {}
    for name, probability in (("main", p), ("age_blind", p_blind)):
        report = audit_fairness(y, probability, probability < bands.high_below, groups, tolerance=settings.fairness_tolerance,
                                min_group_size=settings.fairness_min_group, significance=FAIRNESS_SIGNIFICANCE)
        fairness[name] = report.to_dict()
        fairness[name]["n_flagged"] = int(len(report.flagged()))
    result["fairness"] = fairness
    result["fairness_bands"] = {"high_below": bands.high_below, "low_from": bands.low_from}
    return result


def _shared(name: str) -> Path:
    return get_settings().shared_data_dir / "unemployment_duration_reemployment" / name


def real_unempdur(seed: int) -> dict:
    """The employment model's training recipe on McCall's UnempDur (re-employed within ~6 months)."""
    path = _shared("Ecdat_UnempDur.csv")
    if not path.exists():
        return {"skipped": f"{path} 없음"}
    raw = pd.read_csv(path)
    horizon = 13  # two-week periods ≈ 26 weeks ≈ 6 months
    reemployed = raw[["censor1", "censor2", "censor3"]].sum(axis=1) > 0
    known = (raw["spell"] > horizon) | reemployed  # censored before the horizon: outcome unknown
    data = raw[known].reset_index(drop=True)
    y = ((data["spell"] <= horizon) & reemployed[known].to_numpy()).astype(int).to_numpy()
    x = pd.DataFrame({"age": data["age"].astype(float), "ui": (data["ui"] == "yes").astype(float),
                      "reprate": data["reprate"].astype(float), "disrate": data["disrate"].astype(float),
                      "logwage": data["logwage"].astype(float), "tenure": data["tenure"].astype(float)})
    train, test = train_test_split(np.arange(len(y)), test_size=0.3, random_state=seed, stratify=y)
    params = {**emp._params(seed), "monotone_constraints": None, "min_child_samples": 20}
    model = fit_calibrated_booster(x.iloc[train], y[train], params=params, seed=seed, bag_size=0)
    p = model.predict_proba(x.iloc[test])
    logistic = LogisticRegression(max_iter=1000).fit(x.iloc[train], y[train]).predict_proba(x.iloc[test])[:, 1]
    return {"n": int(len(y)), "n_censored_excluded": int((~known).sum()), "positive_rate": _round(y.mean()),
            "model": probability_metrics(y[test], p), "logistic_regression": probability_metrics(y[test], logistic)}


def real_nsw(seed: int) -> dict:
    """Training effect on employment in 1978: experimental NSW vs our estimates on LaLonde's
    observational sample (NSW treated + PSID controls)."""
    experiment_path, observational_path = _shared("DAAG_nswdemo.csv"), _shared("MatchIt_lalonde.csv")
    if not (experiment_path.exists() and observational_path.exists()):
        return {"skipped": "NSW 자료 없음"}
    experiment = pd.read_csv(experiment_path)
    employed = (experiment["re78"] > 0).astype(int)
    treated = experiment["trt"] == 1
    benchmark = float(employed[treated].mean() - employed[~treated].mean())
    se = float(np.sqrt(employed[treated].var() / treated.sum() + employed[~treated].var() / (~treated).sum()))

    obs = pd.read_csv(observational_path)
    y = (obs["re78"] > 0).astype(int).to_numpy()
    x = pd.DataFrame({
        "age": obs["age"].astype(float), "educ": obs["educ"].astype(float),
        "black": (obs["race"] == "black").astype(float), "hispan": (obs["race"] == "hispan").astype(float),
        "married": obs["married"].astype(float), "nodegree": obs["nodegree"].astype(float),
        "re74": obs["re74"].astype(float), "re75": obs["re75"].astype(float),
        "u74": (obs["re74"] == 0).astype(float), "u75": (obs["re75"] == 0).astype(float),
        "treat": obs["treat"].astype(float),
    })
    params = {**emp._params(seed), "monotone_constraints": None, "min_child_samples": 20}
    covariates = [c for c in x.columns if c != "treat"]
    checks, parts = cross_fitted_effect_checks(x, y, treatments=["treat"], covariates=covariates, outcome_params=params,
                                                seed=seed)
    t = x["treat"].to_numpy(bool)
    att_s = float(np.mean(parts["treat"]["mu1"][t] - parts["treat"]["mu0"][t]))
    check = checks["treat"]
    return {
        "experimental_effect": _round(benchmark), "experimental_se": _round(se),
        "naive_difference": _round(check.naive_difference),
        "s_learner_att": _round(att_s), "aipw_ate": _round(check.ate_aipw), "aipw_se": _round(check.ate_aipw_se),
        "overlap_share": _round(check.overlap_share), "max_smd_raw": _round(check.max_smd_raw),
        "max_smd_weighted": _round(check.max_smd_weighted), "n": int(len(y)), "n_treated": int(t.sum()),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-seed", type=int, default=424242)
    parser.add_argument("--size", default="demo", choices=["small", "demo", "large"])
    args = parser.parse_args()
    model = emp.load_employment_model(get_settings().models_dir)
    result = {"model_version": model.version, **fresh_world(model, args.size, args.eval_seed)}
    result["real_data"] = {"unempdur": real_unempdur(args.eval_seed % 1000), "nsw": real_nsw(args.eval_seed % 1000)}
    result["targets"] = {"auc_ratio": 0.97, "ece": 0.02, "uplift_mae": 0.03}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
