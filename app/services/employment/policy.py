"""Policy views of the employment-success model: band shares, caseload aggregates, the threshold
trade-off and the fairness audit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from app.ml.employment import EmploymentModel
from app.reference.names import occupation_names, region_short
from app.services.employment.store import RISK_BANDS, RiskBands

# --------------------------------------------------------------------------- policy


def band_shares(scored: pd.DataFrame, bands: RiskBands, *, column: str = "probability") -> pd.DataFrame:
    """Caseload share of each band under ``bands`` (``band, n, share``), highest risk first."""
    labels = bands.bands(scored[column].to_numpy(float)) if len(scored) else np.array([], dtype=str)
    counts = pd.Series(labels).value_counts().reindex(list(RISK_BANDS), fill_value=0)
    total = max(int(counts.sum()), 1)
    return pd.DataFrame({"band": list(RISK_BANDS), "n": counts.to_numpy(int), "share": counts.to_numpy(float) / total})


def caseload_aggregates(scored: pd.DataFrame, by: str) -> pd.DataFrame:
    """Policy view of the caseload (no individual rows): per desired region or occupation group.

    Args:
        scored: :func:`score_caseload` output.
        by: ``"region"`` (희망 시도) or ``"occupation"`` (희망 직종 대분류).

    Returns:
        ``group, n, mean_probability, high_risk_share, mean_days`` (fewest-chance first).
    """
    if by == "region":
        key = scored["desired_region"]
    elif by == "occupation":
        key = pd.Series([occupation_names(str(k))[2] for k in scored["desired_keco"]], index=scored.index)
    else:
        raise ValueError(f"집계 기준은 region, occupation 중 하나여야 합니다 (입력값: {by})")
    frame = scored.assign(group=key.to_numpy(), high=(scored["final_band"] == "고위험").astype(float))
    table = frame.groupby("group").agg(
        n=("id", "size"), mean_probability=("probability", "mean"), high_risk_share=("high", "mean"),
        mean_days=("days_since_registration", "mean"),
    )
    return table.reset_index().sort_values(["mean_probability", "group"]).reset_index(drop=True)


def _audit_groups(model: EmploymentModel) -> pd.DataFrame:
    frame = model.audit_frame
    return pd.DataFrame({
        "sex": frame["sex"].astype(str), "age_band": frame["age_band"].astype(str),
        "disability": frame["disability"].astype(str), "region": [region_short(str(r)) for r in frame["region"]],
    })


FAIRNESS_SIGNIFICANCE = 0.05
"""A gap is flagged when it exceeds the tolerance *and* is significant at this level."""


def fairness_reports(model: EmploymentModel, bands: RiskBands, *, tolerance: float, min_group_size: int) -> dict[str, object]:
    """Fairness audits of the held-out cohort: ``{"main": …, "age_blind": …}``
    (:class:`app.ml.fairness.FairnessReport`), high risk meaning p < ``bands.high_below``; gaps
    are flagged when over ``tolerance`` and significant at :data:`FAIRNESS_SIGNIFICANCE`."""
    from app.ml.fairness import audit_fairness  # fairlearn only where it is used

    frame = model.audit_frame
    groups = _audit_groups(model)
    reports = {}
    for name, column in (("main", "probability"), ("age_blind", "probability_age_blind")):
        p = frame[column].to_numpy(float)
        reports[name] = audit_fairness(frame["employed"].to_numpy(int), p, p < bands.high_below, groups,
                                       tolerance=tolerance, min_group_size=min_group_size,
                                       significance=FAIRNESS_SIGNIFICANCE)
    return reports


def threshold_tradeoff(model: EmploymentModel, thresholds: Sequence[float], *, min_group_size: int) -> pd.DataFrame:
    """Accuracy and equity of each candidate high-risk threshold on the held-out cohort
    (:func:`app.ml.fairness.threshold_tradeoff`)."""
    from app.ml.fairness import threshold_tradeoff as tradeoff

    frame = model.audit_frame
    return tradeoff(frame["employed"].to_numpy(int), frame["probability"].to_numpy(float), _audit_groups(model),
                    list(thresholds), min_group_size=min_group_size)

