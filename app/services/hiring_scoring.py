"""Fast scoring of posting conditions with the hiring-success model (predict, explain, what-if).

:class:`app.ml.hiring.HiringModel` scores pandas frames: about 7 ms to build a one-row frame and
80 ms to predict it (eight boosters, each paying pandas conversion overhead). The simulator
rescored on every slider move needs far less, so this module scores the *same* boosters on a
plain float matrix:

* features are computed column-wise with numpy from :class:`PostingConditions` values, by the
  formulas of :func:`app.ml.hiring_features.build_features` (market wage of the occupation×region
  cell, else the occupation, else the overall median; regional tightness; categorical codes in
  the levels the boosters were trained with) — a unit test checks equality with the model's own
  frame path;
* probabilities, the bootstrap interval and the day quantiles are computed exactly as
  :meth:`HiringModel.predict` does;
* explanations use LightGBM's built-in TreeSHAP (``pred_contrib``), the same path-dependent
  algorithm as :meth:`HiringModel.explain`, in calibrated log-odds: base + Σ contributions equals
  the logit of the probability.

One :class:`Scorer` per loaded model is cached (keyed by the model object, released with it).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit

from app.labour import full_time_equivalent, monthly_equivalent
from app.ml.calibrated import predict_threads
from app.ml.hiring import HiringModel
from app.ml.hiring_features import CATEGORICAL_FEATURES, FACTOR_OF_FEATURE, FEATURES
from app.reference.codes import SOCIAL_INSURANCE, STATUTORY_WELFARE
from app.services.hiring_conditions import PostingConditions, legal_minimum_amount

Columns = Mapping[str, np.ndarray]
"""Condition values column-wise: the :class:`PostingConditions` fields except ``welfare_codes``,
which is replaced by ``n_welfare_extra`` and ``has_social_insurance`` (what the model sees)."""

FACTORS: tuple[str, ...] = tuple(dict.fromkeys(FACTOR_OF_FEATURE[f] for f in FEATURES))
"""Korean factor names, in feature order."""


class Scorer:
    """The boosters of one :class:`HiringModel` and its market context, ready for float matrices."""

    def __init__(self, model: HiringModel) -> None:
        self.version = str(model.version)
        self.main: lgb.Booster = model.booster.booster_
        self.bag: tuple[lgb.Booster, ...] = tuple(m.booster_ for m in model.bag)
        self.days: tuple[lgb.Booster, ...] = tuple(model.days_models[q].booster_ for q in (0.25, 0.5, 0.75))
        self.slope, self.intercept = (float(v) for v in model.platt)
        # Category codes exactly as LightGBM's pandas path assigns them (the trained level lists).
        trained = self.main.pandas_categorical or []
        self.levels: dict[str, dict[str, int]] = {
            name: {str(level): i for i, level in enumerate(levels)}
            for name, levels in zip(CATEGORICAL_FEATURES, trained, strict=True)
        }
        wages = model.market.market_wages
        self.cells: dict[tuple[str, str], float] = {
            (str(k), str(r)): float(w)
            for k, r, w in zip(wages["keco_code"], wages["region_code"], wages["market_wage"], strict=True)
        }
        self.occupation: dict[str, float] = {str(k): float(v) for k, v in model.market.occupation_wages.items()}
        self.overall = float(np.median(list(self.occupation.values()))) if self.occupation else 2_500_000.0
        self.tightness: dict[str, float] = {str(k): float(v) for k, v in model.market.tightness.items()}
        factor_index = {name: i for i, name in enumerate(FACTORS)}
        self.factor_matrix = np.zeros((len(FEATURES), len(FACTORS)))
        for j, feature in enumerate(FEATURES):
            self.factor_matrix[j, factor_index[FACTOR_OF_FEATURE[feature]]] = 1.0

    # ------------------------------------------------------------------ features

    def market_wage(self, keco_code: str, region_code: str) -> float:
        """Market wage (40-hour monthly) of the occupation × region; the occupation's when unknown."""
        cell = self.cells.get((keco_code, region_code))
        if cell is not None and np.isfinite(cell):
            return cell
        return self.occupation.get(keco_code, self.overall)

    def _codes(self, name: str, values: np.ndarray) -> np.ndarray:
        levels = self.levels[name]
        return np.array([levels.get(str(v), np.nan) for v in values], dtype=float)

    def matrix(self, cols: Columns) -> np.ndarray:
        """Feature matrix (rows × :data:`FEATURES`) of condition columns."""
        hours = np.asarray(cols["weekly_hours"], dtype=float)
        monthly = np.asarray(monthly_equivalent(np.asarray(cols["wage_type"]), np.asarray(cols["wage_amount"], float),
                                                hours), dtype=float)
        fte = full_time_equivalent(monthly, hours)
        keco = np.asarray(cols["keco_code"]).astype(str)
        region = np.asarray(cols["region_code"]).astype(str)
        pairs = {(k, r): self.market_wage(k, r) for k, r in set(zip(keco, region, strict=True))}
        market = np.array([pairs[(k, r)] for k, r in zip(keco, region, strict=True)], dtype=float)
        values = {
            "log_wage_ratio": np.log(np.maximum(fte, 1.0) / market),
            "weekly_hours": hours,
            "n_welfare_extra": np.asarray(cols["n_welfare_extra"], dtype=float),
            "has_social_insurance": np.asarray(cols["has_social_insurance"], dtype=float),
            "min_career_years": np.asarray(cols["min_career_years"], dtype=float),
            "n_sections": np.asarray(cols["n_sections"], dtype=float),
            "body_chars": np.asarray(cols["body_chars"], dtype=float),
            "log_tightness": np.array([self.tightness.get(r, 0.0) for r in region], dtype=float),
            "open_month": np.asarray(cols["open_month"], dtype=float),
            "employment_type": self._codes("employment_type", np.asarray(cols["employment_type"])),
            "career": self._codes("career", np.asarray(cols["career"])),
            "education": self._codes("education", np.asarray(cols["education"])),
            "size_code": self._codes("size_code", np.asarray(cols["size_code"])),
            "keco_major": self._codes("keco_major", np.array([k[:1] for k in keco])),
        }
        return np.column_stack([values[f] for f in FEATURES])

    # ------------------------------------------------------------------ outputs

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Calibrated log-odds of being filled within 30 days."""
        return self.slope * self.main.predict(x, raw_score=True, num_threads=predict_threads(len(x))) + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability of being filled within 30 days."""
        return expit(self.logit(x))

    def days_median(self, x: np.ndarray) -> np.ndarray:
        """Median days to fill (if filled)."""
        return np.exp(self.days[1].predict(x, num_threads=predict_threads(len(x))))

    def full(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Probability, its interval and days to fill — the formulas of :meth:`HiringModel.predict`."""
        p = self.probability(x)
        threads = predict_threads(len(x))
        spread = np.vstack([p] + [expit(self.slope * b.predict(x, raw_score=True, num_threads=threads) + self.intercept)
                                  for b in self.bag])
        sd = spread.std(axis=0)
        q25, q50, q75 = (np.exp(m.predict(x, num_threads=threads)) for m in self.days)
        return {
            "probability": p,
            "probability_low": np.clip(p - 1.96 * sd, 0.0, 1.0),
            "probability_high": np.clip(p + 1.96 * sd, 0.0, 1.0),
            "days": q50,
            "days_low": np.minimum(q25, q50),
            "days_high": np.maximum(q75, q50),
        }

    def contributions(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """TreeSHAP per factor (rows × :data:`FACTORS`) and the base, in calibrated log-odds."""
        raw = np.asarray(self.main.predict(x, pred_contrib=True, num_threads=predict_threads(len(x))))
        per_feature = raw[:, : len(FEATURES)] * self.slope
        base = raw[:, len(FEATURES)] * self.slope + self.intercept
        return per_feature @ self.factor_matrix, base


_SCORERS: dict[int, tuple[weakref.ref[HiringModel], Scorer]] = {}
_LOCK = threading.Lock()


def scorer_for(model: HiringModel) -> Scorer:
    """The cached :class:`Scorer` of ``model`` (built on first use, ~1 ms; dropped with the model)."""
    key = id(model)
    entry = _SCORERS.get(key)
    if entry is not None and entry[0]() is model:
        return entry[1]
    scorer = Scorer(model)
    with _LOCK:
        _SCORERS[key] = (weakref.ref(model, lambda _ref, key=key: _SCORERS.pop(key, None)), scorer)
    return scorer


def welfare_counts(codes: Sequence[str]) -> tuple[int, int]:
    """(non-statutory welfare items, 4대보험 0/1) — how the model counts welfare."""
    return sum(1 for c in codes if c and c not in STATUTORY_WELFARE), int(SOCIAL_INSURANCE in codes)


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
)  # fmt: skip
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
    from app.services.hiring_reasons import factor_sentences  # reasons import this module

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
    from app.services.hiring_reasons import factor_sentences  # reasons import this module

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
