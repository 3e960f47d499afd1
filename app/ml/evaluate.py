"""Grading built artifacts against the world's truth tables.

This is the only ``app/ml`` module allowed to read ``truth_*`` tables: it compares what a model
learned from observed data with the true values that generated the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from app.db import orm


def market_wage_error(engine: Engine, table: pd.DataFrame) -> dict[str, float]:
    """Median absolute percentage error of estimated market wages vs the true ones, by posting.

    Args:
        engine: World database.
        table: ``keco_code``, ``region_code``, ``market_wage`` estimates.

    Returns:
        ``{"median_ape_vs_truth": …}`` (0.05 = 5 %), or an empty dict without truth rows.
    """
    stmt = select(orm.Posting.keco_code, orm.Posting.region_code, orm.TruthPosting.market_wage.label("true_wage")).join(
        orm.TruthPosting, orm.TruthPosting.posting_id == orm.Posting.id
    )
    with engine.connect() as conn:
        truth = pd.DataFrame(conn.execute(stmt).mappings().all())
    if truth.empty:
        return {}
    merged = truth.merge(table, on=["keco_code", "region_code"], how="inner")
    ape = np.abs(merged["market_wage"] / merged["true_wage"] - 1.0)
    return {"median_ape_vs_truth": round(float(np.median(ape)), 4)}


def load_true_fill_probability(engine: Engine, posting_ids: np.ndarray) -> pd.DataFrame:
    """True 30-day fill probability and observed outcome of the given postings."""
    stmt = select(
        orm.TruthPosting.posting_id, orm.TruthPosting.p_fill_30d, orm.PostingOutcome.filled_30d
    ).join(orm.PostingOutcome, orm.PostingOutcome.posting_id == orm.TruthPosting.posting_id)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    return frame.set_index("posting_id").loc[np.asarray(posting_ids)].reset_index()


def oracle_grades(y: np.ndarray, oracle: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """The true probabilities' AUC/Brier/ECE on the rows the model was graded on, the
    model/oracle AUC ratio and the mean absolute error against the true probabilities."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    from app.ml.calibrated import expected_calibration_error

    auc = roc_auc_score(y, probability)
    auc_oracle = roc_auc_score(y, oracle)
    return {
        "auc_oracle": round(float(auc_oracle), 4),
        "auc_ratio": round(float(auc / auc_oracle), 4),
        "brier_oracle": round(float(brier_score_loss(y, oracle)), 4),
        "ece_oracle": round(expected_calibration_error(y, oracle), 4),
        "mae_vs_true_probability": round(float(np.mean(np.abs(np.asarray(probability) - oracle))), 4),
    }


def hiring_oracle_metrics(engine: Engine, posting_ids: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Oracle grading of held-out hiring predictions (:func:`oracle_grades`)."""
    truth = load_true_fill_probability(engine, posting_ids)
    if truth.empty:
        return {}
    return oracle_grades(truth["filled_30d"].astype(int).to_numpy(), truth["p_fill_30d"].to_numpy(float), probability)


def load_true_employment(engine: Engine, seeker_ids: np.ndarray) -> pd.DataFrame:
    """True 180-day employment probability, individual service effects and the observed outcome."""
    stmt = select(
        orm.TruthSeeker.seeker_id, orm.TruthSeeker.p_employed_180d, orm.TruthSeeker.effect_training,
        orm.TruthSeeker.effect_matching, orm.TruthSeeker.effect_nes, orm.TruthSeeker.effect_counselling,
        orm.SeekerOutcome.employed_180d,
    ).join(orm.SeekerOutcome, orm.SeekerOutcome.seeker_id == orm.TruthSeeker.seeker_id)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if frame.empty:
        return frame
    return frame.set_index("seeker_id").loc[np.asarray(seeker_ids)].reset_index()


def employment_oracle_metrics(engine: Engine, seeker_ids: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Oracle grading of held-out employment predictions (:func:`oracle_grades`)."""
    truth = load_true_employment(engine, seeker_ids)
    if truth.empty:
        return {}
    return oracle_grades(truth["employed_180d"].astype(int).to_numpy(), truth["p_employed_180d"].to_numpy(float),
                         probability)


def service_effect_errors(engine: Engine, seeker_ids: np.ndarray, frame: pd.DataFrame, model: object) -> dict[str, float]:
    """Mean absolute error of the estimated individual service effects against the true ones.

    The truth defines a service's effect against receiving no service at all, so the estimate is
    evaluated with the other services switched off too.

    Args:
        engine: World database.
        seeker_ids: Held-out seekers (rows of ``frame``).
        frame: Their model frame.
        model: An :class:`app.ml.employment.EmploymentModel`.

    Returns:
        ``uplift_mae_<service>`` and ``uplift_true_mean_<service>`` per service.
    """
    from app.ml.employment_features import SERVICE_FEATURES
    from app.ml.uplift import s_learner_effect
    from app.reference.codes import SERVICES

    truth = load_true_employment(engine, seeker_ids)
    if truth.empty:
        return {}
    out = {}
    for service in SERVICES:
        column = f"svc_{service}"
        others = {c: 0.0 for c in SERVICE_FEATURES if c != column}
        estimate = s_learner_effect(model.predict_proba, frame, column, others=others)
        true = truth[f"effect_{service}"].to_numpy(float)
        out[f"uplift_mae_{service}"] = round(float(np.mean(np.abs(estimate - true))), 4)
        out[f"uplift_true_mean_{service}"] = round(float(np.mean(true)), 4)
        out[f"uplift_estimated_mean_{service}"] = round(float(np.mean(estimate)), 4)
    return out
