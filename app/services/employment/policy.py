"""Policy views of the employment-success model: band shares, caseload aggregates, the threshold
trade-off and the fairness audit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.ml import employment as ml_employment
from app.ml.employment import EmploymentModel
from app.reference.names import occupation_names
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


FAIRNESS_SIGNIFICANCE = ml_employment.FAIRNESS_SIGNIFICANCE
"""A gap is flagged when it exceeds the tolerance *and* is significant at this level."""


def fairness_reports(model: EmploymentModel, bands: RiskBands, *, tolerance: float, min_group_size: int) -> dict[str, object]:
    """Fairness audits of the held-out cohort: ``{"main": …, "age_blind": …}``
    (:class:`app.ml.fairness.FairnessReport`), high risk meaning p < ``bands.high_below``; gaps
    are flagged when over ``tolerance`` and significant at :data:`FAIRNESS_SIGNIFICANCE`.

    The build precomputes the audits of common cutoffs (``model.fairness_grid``); any other
    cutoff is audited here.
    """
    grid = getattr(model, "fairness_grid", None) or {}
    stored = grid.get(ml_employment.fairness_key(bands.high_below, tolerance, min_group_size))
    if stored is not None:
        return dict(stored)
    from app.ml.fairness import audit_fairness  # fairlearn only where it is used

    frame = model.audit_frame
    groups = ml_employment.audit_groups(frame)
    reports = {}
    for name, column in (("main", "probability"), ("age_blind", "probability_age_blind")):
        p = frame[column].to_numpy(float)
        reports[name] = audit_fairness(frame["employed"].to_numpy(int), p, p < bands.high_below, groups,
                                       tolerance=tolerance, min_group_size=min_group_size,
                                       significance=FAIRNESS_SIGNIFICANCE)
    return reports


def threshold_tradeoff(model: EmploymentModel, thresholds: Sequence[float], *, min_group_size: int) -> pd.DataFrame:
    """Accuracy and equity of each candidate high-risk threshold on the held-out cohort
    (:func:`app.ml.fairness.threshold_tradeoff`), read from the build's precomputed curve when it
    holds every threshold asked for."""
    curve = getattr(model, "cutoff_curve", None)
    wanted = [round(float(t), 2) for t in thresholds]
    if curve is not None and int(curve["min_group_size"].iloc[0]) == int(min_group_size):
        rows = curve.set_index(curve["threshold"].round(2))
        if all(t in rows.index for t in wanted) and all(abs(t - float(u)) < 1e-9 for t, u in zip(wanted, thresholds, strict=True)):
            return rows.loc[wanted].drop(columns="min_group_size").reset_index(drop=True)
    from app.ml.fairness import threshold_tradeoff as tradeoff

    frame = model.audit_frame
    return tradeoff(frame["employed"].to_numpy(int), frame["probability"].to_numpy(float),
                    ml_employment.audit_groups(frame), list(thresholds), min_group_size=min_group_size)


# --------------------------------------------------------------------------- the chosen cutoff's trade-off

RECALL_FLOOR = 0.5
"""Below this recall the policy page warns: the high-risk band would miss more than half of the
seekers who will not find work within 180 days (at the default 20 % cutoff it catches about a
fifth of them)."""


@dataclass(frozen=True)
class CutoffTradeoff:
    """What a high-risk cutoff means, estimated on the model's held-out seekers (observed outcomes,
    not the world's truth) and counted on today's caseload.

    Attributes:
        cutoff: 고위험 when the probability is below this.
        recall: Of the held-out seekers not employed within 180 days, the share the band flags.
        precision: Of the held-out seekers it flags, the share not employed (NaN if none flagged).
        flagged_share: Share of the held-out seekers flagged.
        n_held_out: Held-out seekers.
        n_not_employed: Held-out seekers not employed within 180 days.
        caseload_high: Seekers of the open caseload the band holds now (the counsellors' workload;
            the model's band, before overrides).
        caseload_total: Seekers of the open caseload.
    """

    cutoff: float
    recall: float
    precision: float
    flagged_share: float
    n_held_out: int
    n_not_employed: int
    caseload_high: int
    caseload_total: int

    @property
    def low_recall(self) -> bool:
        """Whether the band misses more of those who will not find work than :data:`RECALL_FLOOR` allows."""
        return not self.recall >= RECALL_FLOOR  # NaN (nobody unemployed) counts as low


def cutoff_tradeoff(model: EmploymentModel, scored: pd.DataFrame, cutoff: float) -> CutoffTradeoff:
    """Recall, precision and workload of the high-risk band at ``cutoff`` (see :class:`CutoffTradeoff`)."""
    frame = model.audit_frame
    p = frame["probability"].to_numpy(float)
    adverse = frame["employed"].to_numpy(int) == 0
    flag = p < float(cutoff)
    caught = int((flag & adverse).sum())
    caseload = scored["probability"].to_numpy(float) if len(scored) else np.array([], dtype=float)
    return CutoffTradeoff(
        cutoff=float(cutoff),
        recall=caught / int(adverse.sum()) if adverse.any() else float("nan"),
        precision=caught / int(flag.sum()) if flag.any() else float("nan"),
        flagged_share=float(flag.mean()) if len(flag) else float("nan"),
        n_held_out=len(frame), n_not_employed=int(adverse.sum()),
        caseload_high=int((caseload < float(cutoff)).sum()), caseload_total=len(caseload),
    )


def cutoff_table(model: EmploymentModel, scored: pd.DataFrame, thresholds: Sequence[float], *, chosen: float,
                 min_group_size: int) -> pd.DataFrame:
    """:func:`threshold_tradeoff` over ``thresholds`` and the ``chosen`` cutoff, with the workload
    each would give today (``caseload_high``: open-caseload seekers below it) and ``chosen``
    marking the row of the cutoff in question. Rows by cutoff."""
    cuts = sorted({round(float(t), 2) for t in thresholds} | {round(float(chosen), 2)})
    table = threshold_tradeoff(model, cuts, min_group_size=min_group_size)
    probability = scored["probability"].to_numpy(float) if len(scored) else np.array([], dtype=float)
    table["caseload_high"] = [int((probability < t).sum()) for t in table["threshold"]]
    table["chosen"] = np.isclose(table["threshold"].to_numpy(float), round(float(chosen), 2))
    return table
