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


def hiring_oracle_metrics(engine: Engine, posting_ids: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Oracle grading of held-out hiring predictions: the true probabilities' AUC/Brier/ECE
    on the same rows, and the model/oracle AUC ratio."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    from app.ml.hiring import expected_calibration_error

    truth = load_true_fill_probability(engine, posting_ids)
    if truth.empty:
        return {}
    y = truth["filled_30d"].astype(int).to_numpy()
    oracle = truth["p_fill_30d"].to_numpy(float)
    auc = roc_auc_score(y, probability)
    auc_oracle = roc_auc_score(y, oracle)
    return {
        "auc_oracle": round(float(auc_oracle), 4),
        "auc_ratio": round(float(auc / auc_oracle), 4),
        "brier_oracle": round(float(brier_score_loss(y, oracle)), 4),
        "ece_oracle": round(expected_calibration_error(y, oracle), 4),
        "mae_vs_true_probability": round(float(np.mean(np.abs(np.asarray(probability) - oracle))), 4),
    }
