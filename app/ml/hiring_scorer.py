"""Fast inference of the hiring-success model on float matrices (the simulator's what-ifs, plans and batch scoring).

:class:`app.ml.hiring.HiringModel` scores pandas frames: about 7 ms to build a one-row frame and
80 ms to predict it (eight boosters, each paying pandas conversion overhead). The simulator
rescored on every slider move needs far less, so this module scores the *same* boosters on a
plain float matrix:

* features are computed column-wise with numpy from posting-condition values, by the
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

import lightgbm as lgb
import numpy as np
from scipy.special import expit

from app.labour import full_time_equivalent, monthly_equivalent
from app.ml.hiring import HiringModel
from app.ml.hiring_features import CATEGORICAL_FEATURES, FACTOR_OF_FEATURE, FEATURES
from app.reference.codes import SOCIAL_INSURANCE, STATUTORY_WELFARE
from app.threads import threads_for_rows

Columns = Mapping[str, np.ndarray]
"""Condition values column-wise: the posting-condition fields except ``welfare_codes``,
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
        return self.slope * self.main.predict(x, raw_score=True, num_threads=threads_for_rows(len(x))) + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability of being filled within 30 days."""
        return expit(self.logit(x))

    def days_median(self, x: np.ndarray) -> np.ndarray:
        """Median days to fill (if filled)."""
        return np.exp(self.days[1].predict(x, num_threads=threads_for_rows(len(x))))

    def full(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Probability, its interval and days to fill — the formulas of :meth:`HiringModel.predict`."""
        p = self.probability(x)
        threads = threads_for_rows(len(x))
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
        raw = np.asarray(self.main.predict(x, pred_contrib=True, num_threads=threads_for_rows(len(x))))
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
