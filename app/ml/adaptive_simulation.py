"""Simulated adaptive administrations: each respondent answers the items the test asks from their
own full-form answers, and the adaptive result is compared with their full-form scale scores.

Agreement (ties count as they would for a counsellor reading the full form):

* ``top1``: the adaptive test's highest scale has the highest full-form score (any tied highest);
* ``top3 set``: the adaptive top three are a top three of the full form — none of them scores
  below a scale outside them.

Full-form scale score: the mean answer over the scale's answered items (missing answers left out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.ml.adaptive_test import AdaptiveTest, CatSettings
from app.ml.irt import GradedItemBank


@dataclass(frozen=True)
class SimulationResult:
    """Summary and per-respondent rows of a simulation.

    Attributes:
        summary: ``items_used_mean``, ``items_used_share``, ``top1_agreement``,
            ``top3_set_agreement``, ``theta_rmse`` (when true traits are given), counts, stop reasons.
        respondents: One dict per respondent (items used, adaptive and full-form top scales, ...).
        exposure: Per bank item, the share of tests that asked it.
    """

    summary: dict
    respondents: list[dict]
    exposure: np.ndarray


def full_form_scores(bank: GradedItemBank, answers: np.ndarray) -> np.ndarray:
    """Mean answer per scale over answered items (``NaN`` where a scale has none): ``(n, scales)``."""
    valid = answers >= 1
    sums = np.zeros((len(answers), len(bank.scales)))
    counts = np.zeros_like(sums)
    for d in range(len(bank.scales)):
        cols = bank.item_scale == d
        sums[:, d] = np.where(valid[:, cols], answers[:, cols], 0).sum(axis=1)
        counts[:, d] = valid[:, cols].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def top1_agrees(full: np.ndarray, top1: int) -> bool:
    """The adaptive top scale has the highest full-form score (ties count; a respondent without
    full-form answers agrees with anything)."""
    if np.isnan(full).all():
        return True
    return bool(np.nan_to_num(full[top1], nan=-np.inf) >= np.nanmax(full) - 1e-9)


def top_set_agrees(full: np.ndarray, top_set: np.ndarray) -> bool:
    """No scale outside ``top_set`` scores above the lowest of ``top_set`` on the full form."""
    if np.isnan(full).all():
        return True
    full = np.nan_to_num(full, nan=-np.inf)
    outside = np.setdiff1d(np.arange(len(full)), top_set)
    inside_min = np.min(full[top_set])
    return bool(len(outside) == 0 or inside_min >= np.max(full[outside]) - 1e-9)


def simulate_adaptive(
    bank: GradedItemBank,
    answers: np.ndarray,
    settings: CatSettings | None = None,
    true_theta: np.ndarray | None = None,
    ids: list[str] | None = None,
    exposure_control: bool = True,
) -> SimulationResult:
    """Run the adaptive test for every respondent on their own full-form answers.

    Args:
        bank: Calibrated bank (columns of ``answers`` in bank order).
        answers: ``(n, items)`` answers ``1..K``; values below 1 are missing (the item cannot be asked).
        settings: The test's settings.
        true_theta: ``(n, scales)`` true traits of simulated takers, for ``theta_rmse``.
        ids: Respondent identifiers for the rows (default ``1..n``).
        exposure_control: Apply the exposure cap with running rates over the respondents.

    Returns:
        The summary, per-respondent rows and item exposure rates.
    """
    settings = settings or CatSettings()
    curves = AdaptiveTest.curves_for(bank)
    full = full_form_scores(bank, answers)
    asked_counts = np.zeros(bank.n_items)
    rows: list[dict] = []
    reasons: dict[str, int] = {}
    theta_errors = []
    k = settings.top_set_size
    for i, person in enumerate(answers):
        test = AdaptiveTest(bank, settings, curves)
        for j in np.flatnonzero(person < 1):
            test.mark_unavailable(int(j))
        rate = asked_counts / max(i, 1) if exposure_control and i > 0 else None
        while True:
            item = test.next_item(rate)
            if item is None:
                break
            test.answer(item, int(person[item]))
        reason = test.stop_reason() or "bank_exhausted"
        reasons[reason] = reasons.get(reason, 0) + 1
        asked_counts[test.order] += 1
        est = test.estimate()
        top_set = est.ranking[:k]
        row_full = full[i]
        full_order = np.argsort(-np.nan_to_num(row_full, nan=-np.inf), kind="stable")
        rows.append({
            "id": ids[i] if ids is not None else str(i + 1),
            "items_used": len(test.order),
            "stop_reason": reason,
            "adaptive_top3": "".join(bank.scales[d] for d in top_set),
            "full_form_top3": "".join(bank.scales[d] for d in full_order[:k]),
            "top1_agrees": top1_agrees(row_full, int(est.ranking[0])),
            "top3_set_agrees": top_set_agrees(row_full, top_set),
            "top1_probability": round(est.top1_probability, 4),
            "theta": {bank.scales[d]: round(float(est.theta[d]), 4) for d in range(len(bank.scales))},
            "theta_se": {bank.scales[d]: round(float(est.theta_se[d]), 4) for d in range(len(bank.scales))},
            "items": [bank.item_codes[j] for j in test.order],
        })
        if true_theta is not None:
            theta_errors.append(est.theta - true_theta[i])
    n = len(rows)
    used = np.array([r["items_used"] for r in rows], dtype=float)
    available = (answers >= 1).sum(axis=1)
    summary = {
        "n_respondents": n,
        "items_in_bank": bank.n_items,
        "items_used_mean": round(float(used.mean()), 3) if n else 0.0,
        "items_used_share": round(float((used / np.maximum(available, 1)).mean()), 4) if n else 0.0,
        "top1_agreement": round(float(np.mean([r["top1_agrees"] for r in rows])), 4) if n else 0.0,
        "top3_set_agreement": round(float(np.mean([r["top3_set_agrees"] for r in rows])), 4) if n else 0.0,
        "stop_reasons": reasons,
        "max_exposure_rate": round(float((asked_counts / max(n, 1)).max()), 4),
    }
    if theta_errors:
        summary["theta_rmse"] = round(float(np.sqrt(np.mean(np.square(theta_errors)))), 4)
    return SimulationResult(summary, rows, asked_counts / max(n, 1))
