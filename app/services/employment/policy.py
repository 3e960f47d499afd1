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


@dataclass(frozen=True)
class ProbabilityCounts:
    """The open caseload's model probabilities as the policy figures need them: how many seekers,
    and how many lie below each threshold asked for (exact counts; no seeker's row).

    Attributes:
        total: Seekers on the open caseload.
        below: Threshold → seekers whose probability is below it.
    """

    total: int
    below: dict[float, int]

    def count_below(self, threshold: float) -> int:
        """Seekers below ``threshold`` (one of the thresholds the counts were made for).

        Raises:
            KeyError: The counts were made without this threshold.
        """
        return self.below[float(threshold)]


def probability_counts(scored: pd.DataFrame, thresholds: Sequence[float], *, column: str = "probability") -> ProbabilityCounts:
    """:class:`ProbabilityCounts` of a scored frame (the in-memory twin of the stored caseload's,
    :func:`app.services.employment.caseload_probability_counts`)."""
    p = scored[column].to_numpy(float) if len(scored) else np.array([], dtype=float)
    return ProbabilityCounts(len(p), {float(t): int((p < float(t)).sum()) for t in thresholds})


Caseload = pd.DataFrame | ProbabilityCounts
"""The open caseload for a policy figure: its scored rows, or counts of its probabilities."""


def _counts(caseload: Caseload, thresholds: Sequence[float]) -> ProbabilityCounts:
    return caseload if isinstance(caseload, ProbabilityCounts) else probability_counts(caseload, thresholds)


def band_shares(scored: Caseload, bands: RiskBands, *, column: str = "probability") -> pd.DataFrame:
    """Caseload share of each band under ``bands`` (``band, n, share``), highest risk first.

    Args:
        scored: Scored rows, or :class:`ProbabilityCounts` made for ``bands``' two thresholds.
        bands: The thresholds.
        column: The probability column of scored rows.
    """
    counts = scored if isinstance(scored, ProbabilityCounts) else probability_counts(
        scored, (bands.high_below, bands.low_from), column=column)
    high, below_low = counts.count_below(bands.high_below), counts.count_below(bands.low_from)
    n = np.array([high, below_low - high, counts.total - below_low])
    return pd.DataFrame({"band": list(RISK_BANDS), "n": n.astype(int), "share": n.astype(float) / max(counts.total, 1)})


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


def aggregates_from_sums(sums: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`caseload_aggregates` from per-group sums instead of rows.

    Args:
        sums: Per desired region and KECO 소분류: ``desired_region, desired_keco, n,
            probability_sum, high`` (final band 고위험, overrides applied), ``days_sum``.
        by: ``"region"`` or ``"occupation"`` (the KECO 대분류 of each 소분류).

    Returns:
        ``group, n, mean_probability, high_risk_share, mean_days`` (fewest-chance first).
    """
    if by == "region":
        key = sums["desired_region"].astype(str)
    elif by == "occupation":
        key = pd.Series([occupation_names(str(k))[2] for k in sums["desired_keco"]], index=sums.index, dtype=object)
    else:
        raise ValueError(f"집계 기준은 region, occupation 중 하나여야 합니다 (입력값: {by})")
    columns = ["n", "probability_sum", "high", "days_sum"]
    totals = sums[columns].astype(float).groupby(key.to_numpy()).sum()
    totals = totals[totals["n"] > 0]
    table = pd.DataFrame({
        "group": totals.index.astype(str), "n": totals["n"].astype(int).to_numpy(),
        "mean_probability": (totals["probability_sum"] / totals["n"]).to_numpy(),
        "high_risk_share": (totals["high"] / totals["n"]).to_numpy(),
        "mean_days": (totals["days_sum"] / totals["n"]).to_numpy(),
    })
    return table.sort_values(["mean_probability", "group"]).reset_index(drop=True)


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


def cutoff_tradeoff(model: EmploymentModel, scored: Caseload, cutoff: float) -> CutoffTradeoff:
    """Recall, precision and workload of the high-risk band at ``cutoff`` (see :class:`CutoffTradeoff`).

    ``scored``: the open caseload's scored rows, or :class:`ProbabilityCounts` made with ``cutoff``.
    """
    frame = model.audit_frame
    p = frame["probability"].to_numpy(float)
    adverse = frame["employed"].to_numpy(int) == 0
    flag = p < float(cutoff)
    caught = int((flag & adverse).sum())
    caseload = _counts(scored, [cutoff])
    return CutoffTradeoff(
        cutoff=float(cutoff),
        recall=caught / int(adverse.sum()) if adverse.any() else float("nan"),
        precision=caught / int(flag.sum()) if flag.any() else float("nan"),
        flagged_share=float(flag.mean()) if len(flag) else float("nan"),
        n_held_out=len(frame), n_not_employed=int(adverse.sum()),
        caseload_high=caseload.count_below(cutoff), caseload_total=caseload.total,
    )


def table_cutoffs(thresholds: Sequence[float], chosen: float) -> list[float]:
    """The cutoffs :func:`cutoff_table` shows: ``thresholds`` and ``chosen``, to whole hundredths, sorted."""
    return sorted({round(float(t), 2) for t in thresholds} | {round(float(chosen), 2)})


def cutoff_table(model: EmploymentModel, scored: Caseload, thresholds: Sequence[float], *, chosen: float,
                 min_group_size: int) -> pd.DataFrame:
    """:func:`threshold_tradeoff` over ``thresholds`` and the ``chosen`` cutoff, with the workload
    each would give today (``caseload_high``: open-caseload seekers below it) and ``chosen``
    marking the row of the cutoff in question. Rows by cutoff.

    ``scored``: the open caseload's scored rows, or :class:`ProbabilityCounts` made with
    :func:`table_cutoffs` of the same arguments.
    """
    cuts = table_cutoffs(thresholds, chosen)
    table = threshold_tradeoff(model, cuts, min_group_size=min_group_size)
    caseload = _counts(scored, cuts)
    # the cutoff as labelled ("15% 미만"), not the held-out curve's float (0.15000000000000002)
    table["caseload_high"] = [caseload.count_below(round(float(t), 2)) for t in table["threshold"]]
    table["chosen"] = np.isclose(table["threshold"].to_numpy(float), round(float(chosen), 2))
    return table
