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
