"""Occupation-fit quality on KNOW 2018 (needs ``../shared/data/know_dacon``); prints JSON.

* ``hit_at_5``: 5-fold cross-validation on the **even** rows, repeated with :data:`REPEATS` fold seeds
  (folds dealt per occupation; every figure is the mean over the repeats):
  share of incumbents whose own occupation is among the model's five best; also with a random half
  of the work-environment items (``hit_at_5_half_items``) and interests alone
  (``hit_at_5_interests_only``); ``ece`` (top-1, 10 bins) and ``log_loss`` of the out-of-fold scores,
  and the temperature that out-of-fold log loss would choose (``oof_temperature``: compare it with
  the module's ``ENSEMBLE_TEMPERATURE``);
* ``holdout_*``: the model fitted on every even row, scored on the **odd** rows (evaluation only:
  nothing is chosen on them);
* baselines (same folds): nearest centroid on standardised answers, nearest centroid on interests
  alone, the Gaussian part alone (the model a clean clone builds) and the previous ensemble without
  the neighbour vote (``without_neighbours_hit_at_5``: Gaussian scale 0.32, regression 1.55).

Run: ``python bench/occupation_fit.py [--cv-only]`` (about five minutes on two cores; ``--cv-only``
skips the hold-out, for choosing settings without looking at the odd rows).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ml import occupation_fit as of  # noqa: E402

FOLDS = 5
SEED = 7
REPEATS = (7, 11, 13)
"""Fold seeds of the repeated cross-validation (differences of 0.005 are then above the noise)."""


def fold_of(codes: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Fold of every row: each occupation's rows dealt round-robin from a random start."""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(codes), dtype=int)
    for code in sorted(set(codes)):
        rows = np.flatnonzero(codes == code)
        rng.shuffle(rows)
        folds[rows] = (rng.integers(FOLDS) + np.arange(len(rows))) % FOLDS
    return folds


def nearest_centroid(train: np.ndarray, train_codes: np.ndarray, test: np.ndarray, classes: list[str]) -> np.ndarray:
    """Negative squared distance to each class centroid of standardised answers."""
    center, scale = train.mean(axis=0), train.std(axis=0)
    a, b = (train - center) / scale, (test - center) / scale
    position = {c: i for i, c in enumerate(classes)}
    centroids = np.full((len(classes), train.shape[1]), 1e3)
    for code in set(train_codes):
        centroids[position[code]] = a[train_codes == code].mean(axis=0)
    return -((b[:, None, :] - centroids[None]) ** 2).sum(axis=2)


def oof_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """Temperature minimising out-of-fold log loss."""
    def loss(log_t: float) -> float:
        return float(-log_softmax(np.exp(log_t) * logits, axis=1)[np.arange(len(truth)), truth].mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-4.0, 3.0), method="bounded").x))


def main() -> None:
    """Cross-validate, evaluate on the hold-out and print the figures as JSON."""
    started = time.perf_counter()
    rows = of.load_know_rows()
    if rows is None:
        print(json.dumps({"error": "../shared/data/know_dacon/KNOW_2018.csv.gz is missing"}))
        return
    committed, occupations = of.load_committed_aggregates()
    classes = committed.codes.tolist()
    position = {c: i for i, c in enumerate(classes)}
    even = rows[rows["idx"] % 2 == 0].reset_index(drop=True)
    odd = rows[rows["idx"] % 2 == 1].reset_index(drop=True)
    features = list(of.FEATURES)
    values, codes = even[features].to_numpy(float), even["knowcode"].to_numpy(str)
    truth = np.array([position[c] for c in codes])
    interests = np.zeros(len(features), dtype=bool)
    interests[: len(of.INTERESTS)] = True
    masks = {"": np.ones(len(features), dtype=bool), "_half_items": of.half_mask(), "_interests_only": interests}
    names = ("ensemble", "gaussian", "without_neighbours")
    sums: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        sums.setdefault(key, []).append(value)

    all_logits, all_truth = [], []
    for seed in REPEATS:
        folds = fold_of(codes, seed)
        scores = {name: {m: np.zeros((len(codes), len(classes))) for m in masks} for name in names}
        logits = np.zeros((len(codes), len(classes)))
        centroid = {"all": np.zeros((len(codes), len(classes))), "interests": np.zeros((len(codes), len(classes)))}
        for fold in range(FOLDS):
            train, test = folds != fold, folds == fold
            agg = of.aggregate(values[train], codes[train])
            table = occupations.set_index("occupation_code").reindex(agg.codes).reset_index()
            ensemble = of.fit_occupation_fit(agg, table, values=values[train], codes=codes[train])
            models = {"ensemble": ensemble, "gaussian": of.fit_occupation_fit(agg, table),
                      "without_neighbours": dataclasses.replace(ensemble, neighbours=None, gauss_scale=0.32)}
            columns = [position[c] for c in agg.codes]
            for name, model in models.items():
                for mask_name, keep in masks.items():
                    out = np.zeros((test.sum(), len(classes)))
                    out[:, columns] = model.score(of.masked_frame(values[test], keep))
                    scores[name][mask_name][test] = out
            raw = np.full((test.sum(), len(classes)), -1e9)
            raw[:, columns] = ensemble._logits(values[test]) / ensemble.temperature
            logits[test] = raw
            centroid["all"][test] = nearest_centroid(values[train], codes[train], values[test], classes)
            centroid["interests"][test] = nearest_centroid(values[train][:, interests], codes[train],
                                                           values[test][:, interests], classes)
        for mask_name in masks:
            add(f"hit_at_5{mask_name}", of.hit_rate(scores["ensemble"][mask_name], truth))
            add(f"gaussian_only_hit_at_5{mask_name}", of.hit_rate(scores["gaussian"][mask_name], truth))
            add(f"without_neighbours_hit_at_5{mask_name}", of.hit_rate(scores["without_neighbours"][mask_name], truth))
            add(f"ece{mask_name}", of.expected_calibration_error(scores["ensemble"][mask_name], truth))
        full = scores["ensemble"][""]
        add("hit_at_1", of.hit_rate(full, truth, 1))
        add("log_loss", float(-np.log(np.clip(full[np.arange(len(truth)), truth], 1e-12, 1)).mean()))
        add("gaussian_only_ece", of.expected_calibration_error(scores["gaussian"][""], truth))
        add("nearest_centroid_hit_at_5", of.hit_rate(centroid["all"], truth))
        add("interests_only_centroid_hit_at_5", of.hit_rate(centroid["interests"], truth))
        all_logits.append(logits)
        all_truth.append(truth)
    result: dict[str, float | str] = {key: round(float(np.mean(v)), 4) for key, v in sums.items()}
    result["hit_at_5_per_repeat"] = ", ".join(f"{v:.4f}" for v in sums["hit_at_5"])
    result["oof_temperature"] = round(oof_temperature(np.concatenate(all_logits), np.concatenate(all_truth)), 3)
    result["module_temperature"] = of.ENSEMBLE_TEMPERATURE
    if "--cv-only" not in sys.argv:  # choosing anything: look at the even rows only
        agg = of.aggregate(values, codes)
        model = of.fit_occupation_fit(agg, occupations.set_index("occupation_code").reindex(agg.codes).reset_index(),
                                      values=values, codes=codes)
        result.update(of.evaluate(model, odd[features].to_numpy(float), odd["knowcode"].to_numpy(str), "holdout_"))
        gaussian = of.fit_occupation_fit(committed, occupations)
        result["holdout_gaussian_only_hit_at_5"] = of.evaluate(gaussian, odd[features].to_numpy(float),
                                                               odd["knowcode"].to_numpy(str), "")["hit_at_5"]
    result["n_even"] = float(len(even))
    result["n_odd"] = float(len(odd))
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
