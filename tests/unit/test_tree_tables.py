"""The lookup tables of a LightGBM ensemble give LightGBM's raw scores, TreeSHAP values and
switched-feature predictions (to rounding), for the features and splits the models here use:
numeric splits (thresholds near zero included), categorical splits, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier

from app.ml import tree_tables as tt
from app.ml.calibrated import fit_calibrated_booster

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _data(n: int = 1_500, seed: int = 5) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "age": rng.integers(18, 70, n).astype(float),
        "gap": rng.normal(0, 0.3, n),
        "near_zero": np.where(rng.random(n) < 0.5, 0.0, rng.normal(0, 1, n)),
        "with_missing": np.where(rng.random(n) < 0.2, np.nan, rng.normal(0, 1, n)),
        "education": pd.Categorical(rng.choice(list("abcde"), n), categories=list("abcde")),
        "flag": rng.integers(0, 2, n).astype(float),
    })
    logit = (-0.04 * (frame["age"] - 40) - 1.5 * frame["gap"] + 0.8 * (frame["near_zero"] > 0)
             + 0.5 * frame["with_missing"].fillna(-1) + 0.6 * (frame["education"].cat.codes > 2) + 0.7 * frame["flag"]
             - 0.5 * frame["flag"] * (frame["age"] > 50))
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame, y


def _matrix(frame: pd.DataFrame) -> np.ndarray:
    columns = [frame[c].cat.codes.replace(-1, np.nan).to_numpy(float) if isinstance(frame[c].dtype, pd.CategoricalDtype)
               else frame[c].to_numpy(float) for c in frame.columns]
    return np.column_stack(columns)


@pytest.fixture(scope="module")
def fitted() -> tuple[LGBMClassifier, np.ndarray]:
    frame, y = _data()
    model = LGBMClassifier(n_estimators=150, learning_rate=0.05, num_leaves=4, min_child_samples=20, subsample=0.8,
                           subsample_freq=1, random_state=3, n_jobs=1, verbose=-1).fit(frame, y)
    test, _ = _data(n=3_000, seed=9)
    matrix = _matrix(test)
    matrix[:7, 2] = [0.0, 1e-36, -1e-36, float(np.float32(1e-35)), -float(np.float32(1e-35)), 1e-30, -1e-30]
    matrix[7:10, 4] = [np.nan, -1.0, 7.0]  # a category no split names, a missing one, a negative code
    matrix[10:12, 0] = np.nan  # missing where training had none: read as 0.0
    return model, matrix


def test_raw_scores_and_shap_equal_lightgbm(fitted) -> None:
    model, matrix = fitted
    tables = tt.tree_tables(model, matrix.shape[1])
    assert tables is not None and len(tables.tables) > 1
    booster = model.booster_
    raw, contributions = tables.raw_and_contributions(matrix)
    np.testing.assert_allclose(raw, booster.predict(matrix, raw_score=True), rtol=0, atol=1e-12)
    np.testing.assert_allclose(tables.raw(matrix), raw, rtol=0, atol=1e-12)
    np.testing.assert_allclose(contributions, booster.predict(matrix, pred_contrib=True), rtol=0, atol=1e-12)
    assert np.abs(contributions[:, :-1]).sum(axis=0).min() > 0  # every feature is used and explained


def test_switched_feature_equals_lightgbm_on_the_changed_rows(fitted) -> None:
    model, matrix = fitted
    tables = tt.tree_tables(model, matrix.shape[1])
    raw = tables.raw(matrix)
    for column, value in ((5, 1.0), (5, 0.0), (4, 3.0), (1, 0.25)):
        changed = matrix.copy()
        changed[:, column] = value
        np.testing.assert_allclose(tables.switched(matrix, raw, column, value),
                                   model.booster_.predict(changed, raw_score=True), rtol=0, atol=1e-12)


def test_tables_split_at_the_cell_limit_give_the_same_numbers(fitted, monkeypatch) -> None:
    model, matrix = fitted
    whole = tt.TreeTables(model.booster_.dump_model(), matrix.shape[1])
    monkeypatch.setattr(tt, "CELL_LIMIT", 8)
    split = tt.TreeTables(model.booster_.dump_model(), matrix.shape[1])
    assert len(split.tables) > len(whole.tables)
    np.testing.assert_allclose(split.raw_and_contributions(matrix)[1], whole.raw_and_contributions(matrix)[1],
                               rtol=0, atol=1e-12)


def test_a_booster_the_tables_cannot_reproduce_is_left_to_lightgbm() -> None:
    frame, y = _data(n=600)
    model = LGBMClassifier(n_estimators=20, num_leaves=4, zero_as_missing=True, random_state=1, n_jobs=1,
                           verbose=-1).fit(frame, y)
    assert tt.tree_tables(model, frame.shape[1]) is None


def test_calibrated_booster_batch_path_equals_its_lightgbm_path() -> None:
    frame, y = _data(n=1_000)
    params = {"n_estimators": 60, "learning_rate": 0.1, "num_leaves": 4, "min_child_samples": 20, "n_jobs": 1, "verbose": -1}
    booster = fit_calibrated_booster(frame, y, params=params, seed=2, bag_size=2)
    test, _ = _data(n=500, seed=11)
    for fast, slow in zip(booster.predict_interval(test, tables=True), booster.predict_interval(test), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
    (fast_values, fast_base), (values, base) = booster.contributions(test, tables=True), booster.contributions(test)
    np.testing.assert_allclose(fast_values.to_numpy(), values.to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast_base, base, rtol=0, atol=1e-12)
