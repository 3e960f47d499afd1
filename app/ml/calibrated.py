"""A calibrated LightGBM classifier with an uncertainty interval and exact additive explanations.

The training recipe every probability model of goyong-ai shares (the employment-success model,
and the real-data checks that prove the recipe on data nobody here generated):

* **Booster** — LightGBM binary classifier with the caller's parameters (monotone constraints
  included).
* **Calibration** — Platt scaling fitted on *cross-fitted* (out-of-fold) log-odds of the training
  rows, so calibration uses every training row without being fitted on rows the booster saw.
  Platt scaling is a monotone *linear* map of the booster's log-odds, so monotone constraints
  survive calibration and TreeSHAP contributions multiplied by the slope add up exactly to the
  calibrated log-odds a user is shown.
* **Uncertainty** — a few more boosters on bootstrap resamples; the spread of their calibrated
  probabilities gives the interval next to the estimate.
* **Explanation** — LightGBM's built-in TreeSHAP (``pred_contrib=True``): exact, path-dependent
  SHAP values, the same numbers ``shap.TreeExplainer`` gives for a LightGBM model, without its
  per-call overhead (a 500-row caseload is explained in milliseconds).
* **Batches** — with ``tables=True`` the predictions and TreeSHAP come from the boosters' lookup
  tables (:mod:`app.ml.tree_tables`: the same numbers to rounding, checked against LightGBM when
  built), about ten times cheaper for the bag's predictions and fifty times for TreeSHAP; a batch
  of millions of rows needs it, a page's few rows do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from app.ml.tree_tables import TreeTables, tree_tables
from app.threads import thread_count, threads_for_rows


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """ECE with equal-width bins: Σ (bin share) × |mean outcome − mean probability|."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            ece += mask.mean() * abs(y[mask].mean() - p[mask].mean())
    return float(ece)


def probability_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """AUC, Brier score, ECE and log loss of probabilities ``p`` for outcomes ``y`` (rounded)."""
    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    return {
        "auc": round(float(roc_auc_score(y, p)), 4),
        "brier": round(float(brier_score_loss(y, p)), 4),
        "ece": round(expected_calibration_error(y, p), 4),
        "log_loss": round(float(log_loss(y, p)), 4),
    }


def feature_matrix(frame: pd.DataFrame | np.ndarray, columns: Sequence[str]) -> np.ndarray:
    """The float matrix LightGBM predicts on: ``columns`` in order, categoricals as their codes
    (missing → NaN), exactly what LightGBM's pandas path builds for a model trained on frames
    with the same fixed category levels.

    Building it once and predicting several times skips LightGBM's per-call pandas conversion
    (~3 ms a call), which dominated one seeker's profile.
    """
    if isinstance(frame, np.ndarray):
        return frame
    values = []
    for name in columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy(dtype=float)
            values.append(np.where(codes < 0, np.nan, codes))
        else:
            values.append(column.to_numpy(dtype=float))
    return np.column_stack(values) if values else np.empty((len(frame), 0))


def additive_booster_params(
    *, n_estimators: int, learning_rate: float, colsample_bytree: float, monotone: list[int], seed: int | None
) -> dict[str, object]:
    """LightGBM parameters of a near-additive outcome: many 4-leaf trees, monotone where the domain says so.

    The hiring and the employment models both use them (each with its own size and learning
    rate): both outcomes are close to additive in their factors, and 4-leaf trees still capture
    the few interactions that matter (see each model's ``_params`` for the figures).

    Args:
        n_estimators: Trees.
        learning_rate: Shrinkage.
        colsample_bytree: Share of features per tree.
        monotone: LightGBM ``monotone_constraints`` (+1, 0, −1 per feature, in feature order).
        seed: ``random_state``; ``None`` leaves it to the caller's fit.
    """
    params: dict[str, object] = {
        "n_estimators": n_estimators,
        "learning_rate": learning_rate,
        "num_leaves": 4,
        "min_child_samples": 50,
        "subsample": 0.8,
        "subsample_freq": 1,
        "colsample_bytree": colsample_bytree,
        "reg_lambda": 1.0,
        "monotone_constraints": monotone,
        "monotone_constraints_method": "advanced",
        "n_jobs": thread_count(),
        "verbose": -1,
    }
    if seed is not None:
        params["random_state"] = seed
    return params


@dataclass
class CalibratedBooster:
    """A fitted booster, its Platt calibration and its bootstrap bag.

    Attributes:
        booster: Main LightGBM classifier (uncalibrated log-odds).
        platt: (slope, intercept) mapping booster log-odds to calibrated log-odds.
        bag: Bootstrap boosters for the uncertainty interval.
        features: Column order the boosters were fitted on.
    """

    booster: LGBMClassifier
    platt: tuple[float, float]
    bag: list[LGBMClassifier] = field(default_factory=list)
    features: tuple[str, ...] = ()

    def matrix(self, frame: pd.DataFrame | np.ndarray) -> np.ndarray:
        """:func:`feature_matrix` of this booster's features."""
        return feature_matrix(frame, self.features)

    def tables(self, model: LGBMClassifier | None = None) -> TreeTables | None:
        """The lookup tables of the main booster (or of ``model``, a bag member); ``None`` when it
        cannot be tabulated (LightGBM then predicts)."""
        return tree_tables(model or self.booster, len(self.features))

    def raw_logit(self, frame: pd.DataFrame | np.ndarray, model: LGBMClassifier | None = None, *,
                  tables: bool = False) -> np.ndarray:
        """Booster log-odds (uncalibrated) of a frame or of a :meth:`matrix` (``tables``: from its lookup tables)."""
        matrix = self.matrix(frame)
        compiled = self.tables(model) if tables else None
        if compiled is not None:
            return compiled.raw(matrix)
        booster = (model or self.booster).booster_
        return np.asarray(booster.predict(matrix, raw_score=True, num_threads=threads_for_rows(len(matrix))), dtype=float)

    def probability(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated probability from booster log-odds."""
        return expit(self.calibrated_logit(raw))

    def calibrated_logit(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated log-odds from booster log-odds."""
        slope, intercept = self.platt
        return slope * np.asarray(raw, dtype=float) + intercept

    def predict_proba(self, frame: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Calibrated probability of the positive class, one per row."""
        return expit(self.calibrated_logit(self.raw_logit(frame)))

    def bag_proba(self, frame: pd.DataFrame | np.ndarray, *, tables: bool = False) -> np.ndarray:
        """Calibrated probabilities of the main booster (row 0) and each bag member (rows 1…)."""
        matrix = self.matrix(frame)
        return np.vstack([self.probability(self.raw_logit(matrix, m, tables=tables)) for m in (self.booster, *self.bag)])

    def predict_interval(self, frame: pd.DataFrame | np.ndarray, *,
                         tables: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(probability, low, high): the estimate and ±1.96 standard deviations of the bag."""
        spread = self.bag_proba(frame, tables=tables)
        p = spread[0]
        if not self.bag:
            return p, p.copy(), p.copy()
        sd = spread.std(axis=0)
        return p, np.clip(p - 1.96 * sd, 0.0, 1.0), np.clip(p + 1.96 * sd, 0.0, 1.0)

    def contributions(self, frame: pd.DataFrame, *, tables: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
        """TreeSHAP contributions in calibrated log-odds (``tables``: from the lookup tables).

        Returns:
            (one column per feature, one row per input row; the calibrated base log-odds of each
            row). For each row, base + Σ contributions equals the calibrated log-odds of
            :meth:`predict_proba`.
        """
        slope, intercept = self.platt
        matrix = self.matrix(frame)
        compiled = self.tables() if tables else None
        if compiled is not None:
            raw = compiled.raw_and_contributions(matrix)[1]
        else:
            raw = np.asarray(self.booster.booster_.predict(matrix, pred_contrib=True, num_threads=threads_for_rows(len(matrix))),
                             dtype=float)
        values = pd.DataFrame(raw[:, :-1] * slope, columns=list(self.features), index=frame.index)
        return values, slope * raw[:, -1] + intercept


def fit_calibrated_booster(
    x: pd.DataFrame,
    y: np.ndarray,
    *,
    params: Mapping[str, Any],
    seed: int,
    bag_size: int = 4,
    n_folds: int = 5,
    features: Sequence[str] | None = None,
) -> CalibratedBooster:
    """Fit the booster, its cross-fitted Platt calibration and a bootstrap bag.

    Args:
        x: Training features (categorical columns as pandas ``category``).
        y: 0/1 outcomes.
        params: ``LGBMClassifier`` parameters (``random_state`` is set from ``seed``).
        seed: Random seed of the folds, boosters and bootstrap resamples.
        bag_size: Number of bootstrap boosters (0 gives no interval).
        n_folds: Folds of the cross-fitting that produces the calibration data.
        features: Columns to use (default: every column of ``x``).

    Returns:
        The fitted :class:`CalibratedBooster`.

    Raises:
        ValueError: Fewer than ``n_folds`` rows of either class.
    """
    columns = tuple(features or x.columns)
    x = x[list(columns)]
    y = np.asarray(y, dtype=int)
    if min(int(y.sum()), int(len(y) - y.sum())) < n_folds:
        raise ValueError(f"두 결과(0과 1)가 각각 {n_folds}건 이상 있어야 학습할 수 있습니다.")

    def make(offset: int) -> LGBMClassifier:
        return LGBMClassifier(**{**params, "random_state": seed + offset})

    out_of_fold = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for fit_part, held_part in folds.split(x, y):
        fold_model = make(0).fit(x.iloc[fit_part], y[fit_part])
        out_of_fold[held_part] = fold_model.predict(x.iloc[held_part], raw_score=True)
    platt_fit = LogisticRegression(C=1e6).fit(out_of_fold.reshape(-1, 1), y)
    platt = (float(platt_fit.coef_[0, 0]), float(platt_fit.intercept_[0]))
    booster = make(0).fit(x, y)
    rng = np.random.default_rng(seed)
    bag = []
    for b in range(bag_size):
        sample = rng.choice(len(y), size=len(y), replace=True)
        bag.append(make(1 + b).fit(x.iloc[sample], y[sample]))
    return CalibratedBooster(booster=booster, platt=platt, bag=bag, features=columns)
