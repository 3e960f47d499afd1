"""Scoring of posting conditions for people: one prediction with its reasons, the wage curve,
batch scores with reasons. The float-matrix inference itself is :mod:`app.ml.hiring_scorer`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.labour import monthly_equivalent
from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import FACTORS, scorer_for, welfare_counts
from app.services.hiring.conditions import PostingConditions, legal_minimum_amount
from app.services.hiring.reasons import factor_sentences


def columns_of(conditions: Sequence[PostingConditions]) -> dict[str, np.ndarray]:
    """Column-wise values of several conditions (see :data:`Columns`)."""
    cols: dict[str, list] = {name: [] for name in _COLUMN_NAMES}
    for c in conditions:
        extra, insured = welfare_counts(c.welfare_codes)
        for name in _PLAIN_FIELDS:
            cols[name].append(getattr(c, name))
        cols["n_welfare_extra"].append(extra)
        cols["has_social_insurance"].append(insured)
    return {name: np.asarray(values) for name, values in cols.items()}


_PLAIN_FIELDS: tuple[str, ...] = (
    "keco_code", "region_code", "size_code", "wage_type", "wage_amount", "weekly_hours", "employment_type",
    "career", "min_career_years", "education", "open_month", "n_sections", "body_chars",
)
_COLUMN_NAMES: tuple[str, ...] = _PLAIN_FIELDS + ("n_welfare_extra", "has_social_insurance")


def repeat_columns(conditions: PostingConditions, n: int, **overrides: np.ndarray) -> dict[str, np.ndarray]:
    """``n`` copies of one conditions' columns with some columns replaced (candidate batches)."""
    base = columns_of([conditions])
    cols = {name: np.repeat(values, n) for name, values in base.items()}
    for name, values in overrides.items():
        cols[name] = np.broadcast_to(np.asarray(values), (n,)).copy()
    return cols


# --------------------------------------------------------------------------- public results


@dataclass(frozen=True, eq=False)
class Prediction:
    """The model's answer for one set of posting conditions (AI output: show it marked as such).

    Attributes:
        probability: Calibrated probability of being filled within 30 days.
        probability_low: Lower end of the bootstrap interval (±1.96 sd).
        probability_high: Upper end.
        days: Median days to fill, if filled.
        days_low: 25 % quantile.
        days_high: 75 % quantile.
        factors: Columns ``factor`` (Korean factor), ``contribution`` (calibrated log-odds),
            ``sentence`` (one plain Korean sentence), by decreasing size of the contribution.
        base_logit: Calibrated log-odds of an average posting; base + Σ contribution = logit(p).
        model_version: Version of the model that answered.
        input_hash: SHA-256 of the canonical conditions JSON.
    """

    probability: float
    probability_low: float
    probability_high: float
    days: float
    days_low: float
    days_high: float
    factors: pd.DataFrame
    base_logit: float
    model_version: str
    input_hash: str

    def audit_output(self) -> dict[str, float | str]:
        """The figures shown to the user, JSON-safe, for :func:`app.services.audit.log_model_output`."""
        return {
            "probability": round(self.probability, 6),
            "probability_low": round(self.probability_low, 6),
            "probability_high": round(self.probability_high, 6),
            "days": round(self.days, 3),
            "days_low": round(self.days_low, 3),
            "days_high": round(self.days_high, 3),
        }


def predict(conditions: PostingConditions, model: HiringModel) -> Prediction:
    """Score one posting: probability with its interval, days to fill and the reasons.

    About 6 ms on the demo model (one 1-row float matrix, nine booster calls, one of them TreeSHAP).
    """
    scorer = scorer_for(model)
    x = scorer.matrix(columns_of([conditions]))
    out = scorer.full(x)
    contributions, base = scorer.contributions(x)
    order = np.argsort(-np.abs(contributions[0]), kind="stable")
    sentences = factor_sentences(conditions, x[0], contributions[0], scorer)
    factors = pd.DataFrame(
        {
            "factor": [FACTORS[i] for i in order],
            "contribution": contributions[0][order],
            "sentence": [sentences[i] for i in order],
        }
    )
    return Prediction(
        probability=float(out["probability"][0]),
        probability_low=float(out["probability_low"][0]),
        probability_high=float(out["probability_high"][0]),
        days=float(out["days"][0]),
        days_low=float(out["days_low"][0]),
        days_high=float(out["days_high"][0]),
        factors=factors,
        base_logit=float(base[0]),
        model_version=scorer.version,
        input_hash=conditions.input_hash(),
    )


def wage_curve(conditions: PostingConditions, model: HiringModel, *, points: int = 25) -> pd.DataFrame:
    """Probability over wages from 70 % to 150 % of the posted wage (one batch).

    Grid points never go below the legal minimum of the wage type at the posted hours; the posted
    wage itself is always a point (marked ``current``), even when it is below the minimum.

    Returns:
        Columns ``wage_amount``, ``wage_monthly``, ``probability``, ``current`` (bool), by wage.
    """
    if points < 2:
        raise ValueError("곡선의 점은 2개 이상이어야 합니다")
    amount = conditions.wage_amount
    floor = legal_minimum_amount(conditions.wage_type, conditions.weekly_hours)
    low = max(0.7 * amount, floor)
    high = max(1.5 * amount, low * 1.3)
    grid = np.unique(np.append(np.round(np.linspace(low, high, points)).astype(np.int64), amount))
    scorer = scorer_for(model)
    x = scorer.matrix(repeat_columns(conditions, len(grid), wage_amount=grid))
    monthly = np.asarray(monthly_equivalent(conditions.wage_type, grid.astype(float), conditions.weekly_hours))
    return pd.DataFrame(
        {
            "wage_amount": grid,
            "wage_monthly": np.round(monthly).astype(np.int64),
            "probability": scorer.probability(x),
            "current": grid == amount,
        }
    )


def probabilities(conditions: Sequence[PostingConditions], model: HiringModel) -> np.ndarray:
    """Calibrated probabilities of several conditions (one booster call)."""
    if not conditions:
        return np.zeros(0)
    scorer = scorer_for(model)
    return scorer.probability(scorer.matrix(columns_of(conditions)))


def score_conditions(conditions: Sequence[PostingConditions], model: HiringModel, *, reasons: int = 3) -> pd.DataFrame:
    """Batch scoring with the top reasons: what :func:`predict` gives, one row per posting.

    Returns:
        Columns ``probability, probability_low, probability_high, days, days_low, days_high`` and
        ``reason_1`` … ``reason_{reasons}`` (the sentences of the largest contributions by size).
    """
    columns = ["probability", "probability_low", "probability_high", "days", "days_low", "days_high"]
    reason_columns = [f"reason_{i + 1}" for i in range(reasons)]
    if not conditions:
        return pd.DataFrame(columns=columns + reason_columns)
    scorer = scorer_for(model)
    x = scorer.matrix(columns_of(conditions))
    frame = pd.DataFrame(scorer.full(x))[columns]
    contributions, _ = scorer.contributions(x)
    texts = []
    for row, c in enumerate(conditions):
        top = np.argsort(-np.abs(contributions[row]), kind="stable")[:reasons]
        sentences = factor_sentences(c, x[row], contributions[row], scorer, only=top)
        texts.append([sentences[i] for i in top])
    for i, name in enumerate(reason_columns):
        frame[name] = [t[i] if i < len(t) else "" for t in texts]
    return frame
