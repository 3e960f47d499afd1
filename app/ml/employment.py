"""Employment-success model (취업성공모델): probability of insured employment within 180 days of
registration, the services that would raise it, and the data its audit needs.

Method (documented for the AI Basic Act's explanation duty):

* **Probability** — LightGBM on the seeker's record, their local labour market and the services
  received so far (:mod:`app.ml.employment_features`), monotone in the desired-wage gap,
  relevant certificates and region flexibility; Platt-calibrated on cross-fitted log-odds, with a
  bootstrap interval (:mod:`app.ml.calibrated`). Trained on the cohort whose 180 days are over
  at the caseload date, evaluated on a held-out fifth of it.
* **Still searching** — for a seeker registered ``d`` days ago and not yet employed the page shows
  P(employed by day 180 | not by day d) = p·(1 − G(d)) / (1 − p·G(d)), where G is the observed
  distribution of the day of employment among those employed (assumed independent of the
  features — the build measures how far G differs between risk groups).
* **Service effects** — S-learner on the same model (a service switched on minus off), with
  propensity overlap, covariate balance and an AIPW average checked per service
  (:mod:`app.ml.uplift`), and a small surrogate model per service that explains *why* the effect
  is large or small for this seeker.
* **Age-blind variant** — the same recipe without age, kept only for the fairness audit.
* **Similar seekers** — nearest past seekers in the same occupation group, with their outcomes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.model_selection import train_test_split

from app.config import get_settings
from app.db.repositories.seekers import load_seeker_records
from app.ml import evaluate
from app.ml.calibrated import (
    CalibratedBooster,
    additive_booster_params,
    feature_matrix,
    fit_calibrated_booster,
    probability_metrics,
)
from app.ml.employment_features import (
    AGE_BLIND_FEATURES,
    FACTOR_OF_FEATURE,
    FEATURES,
    HORIZON_DAYS,
    MONOTONE,
    PERSON_FEATURES,
    SERVICE_FEATURES,
    EmploymentMarket,
    build_features,
    load_as_of,
    make_employment_market,
    split_cohorts,
)
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.market_wages import MARKET_WAGES_FILE
from app.ml.market_wages import MODEL_NAME as MARKET_WAGES_NAME
from app.ml.model_card import ModelCard, factor_names
from app.ml.uplift import EffectCheck, cross_fitted_effect_checks, fit_propensity, s_learner_effect
from app.reference.codes import SERVICES
from app.reference.names import region_short
from app.threads import thread_count, threads_for_rows

MODEL_NAME = "employment"
MODEL_VERSION = "1.2"  # 1.2: precomputed caseload scores, cutoff curve and fairness audits
MODEL_FILE = "employment_model.joblib"
BAG_SIZE = 4
SIMILAR_K = 30
NEIGHBOUR_COLUMNS: tuple[str, ...] = (
    "age", "career_years", "log_wage_gap", "education_level", "n_relevant_certificates", "benefit_status",
    "log_region_demand", "log_occupation_demand",
)
NEIGHBOUR_SCALE: dict[str, float] = {
    "age": 10.0, "career_years": 5.0, "log_wage_gap": 0.2, "education_level": 1.0, "n_relevant_certificates": 1.0,
    "benefit_status": 1.0, "log_region_demand": 0.5, "log_occupation_demand": 0.5,
}
"""Distance scale of each column: one unit of difference in these counts as "one step apart"."""
EDUCATION_LEVEL: dict[str, float] = {"중졸이하": 0.0, "고졸": 1.0, "전문대졸": 2.0, "대졸": 3.0, "석사": 4.0}
DEFAULT_HIGH_BELOW = 0.20
DEFAULT_LOW_FROM = 0.40
"""Default risk bands (policy staff change them): 고위험 p < 0.20, 저위험 p ≥ 0.40."""


def _params(seed: int) -> dict:
    # Shallow trees, many of them: employment odds are close to additive in their factors, and
    # 4-leaf trees still capture service × age/education interactions the effects depend on
    # (held-out AUC 0.98 of the oracle; individual service effects within 0.03 of the truth).
    return additive_booster_params(n_estimators=800, learning_rate=0.03, colsample_bytree=1.0,
                                   monotone=[MONOTONE.get(f, 0) for f in FEATURES], seed=None)


def _age_blind_params(seed: int) -> dict:
    params = _params(seed)
    params["monotone_constraints"] = [MONOTONE.get(f, 0) for f in AGE_BLIND_FEATURES]
    return params


@dataclass
class EmploymentModel:
    """A trained employment-success model (``models/employment_model.joblib``).

    Attributes:
        main: Calibrated booster on :data:`FEATURES`.
        age_blind: The same without age (fairness comparison only; never shown as a prediction).
        market: Market context of the features.
        timing_cdf: G(d) for d = 0…180: share of the employed who were employed by day d.
        propensity: Service → propensity model on :data:`PERSON_FEATURES`.
        effect_surrogates: Service → regressor of the S-learner effect on :data:`PERSON_FEATURES`
            (explains an effect in terms of the seeker's factors).
        effect_checks: Service → :class:`EffectCheck` on the held-out cohort.
        neighbours: Past seekers for "similar seekers": neighbour columns, ``desired_mid``,
            ``employed_180d``, ``days_to_employment``, ``svc_*``.
        audit_frame: Held-out rows for the fairness audit: ``employed``, ``probability``,
            ``probability_age_blind``, ``sex``, ``age_band``, ``disability``, ``region`` (no ids).
        as_of: The caseload date the model was trained for.
        version: Model version (manifest key ``employment``).
        metrics: Held-out metrics recorded at training.
    """

    main: CalibratedBooster
    age_blind: CalibratedBooster
    market: EmploymentMarket
    timing_cdf: np.ndarray
    propensity: dict[str, LGBMClassifier]
    effect_surrogates: dict[str, LGBMRegressor]
    effect_checks: dict[str, EffectCheck]
    neighbours: pd.DataFrame
    audit_frame: pd.DataFrame
    as_of: object
    version: str = MODEL_VERSION
    metrics: dict[str, float] = field(default_factory=dict)
    # Precomputed at build (None in artifacts built before 1.2; everything then runs live):
    precomputed: pd.DataFrame | None = None
    """Open caseload's predictions and TreeSHAP by model input (:func:`precompute_scores`)."""
    cutoff_curve: pd.DataFrame | None = None
    """Held-out accuracy/equity at every high-risk cutoff (:data:`CUTOFF_GRID`; see :func:`precompute_policy`)."""
    fairness_grid: dict[tuple[float, float, int], dict[str, object]] | None = None
    """(cutoff, tolerance, min group size) → ``{"main": FairnessReport, "age_blind": …}``."""

    # ------------------------------------------------------------------ scoring

    def features(self, records: pd.DataFrame) -> pd.DataFrame:
        """Model frame of seeker records (see :func:`app.ml.employment_features.build_features`)."""
        return build_features(records, self.market)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of insured employment within 180 days of registration."""
        return self.main.predict_proba(frame)

    def predict(self, frame: pd.DataFrame, *, tables: bool = False) -> pd.DataFrame:
        """``probability``, ``probability_low``, ``probability_high`` (bootstrap ±1.96 sd; ``tables``:
        from the boosters' lookup tables, for batches, see :mod:`app.ml.tree_tables`)."""
        p, low, high = self.main.predict_interval(frame, tables=tables)
        return pd.DataFrame({"probability": p, "probability_low": low, "probability_high": high}, index=frame.index)

    def current_probability(self, probability: np.ndarray, days_since_registration: np.ndarray) -> np.ndarray:
        """P(employed by day 180 | not employed by day d) for seekers still searching on day d."""
        p = np.asarray(probability, dtype=float)
        d = np.clip(np.asarray(days_since_registration, dtype=int), 0, HORIZON_DAYS)
        g = self.timing_cdf[d]
        return np.clip(p * (1.0 - g) / np.maximum(1.0 - p * g, 1e-9), 0.0, 1.0)

    def explain(self, frame: pd.DataFrame, *, tables: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
        """TreeSHAP contributions (calibrated log-odds) per feature and the base log-odds per row."""
        return self.main.contributions(frame, tables=tables)

    def predict_explained(self, frame: pd.DataFrame, *,
                          tables: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
        """:meth:`predict` and :meth:`explain` together (``tables``: rows not precomputed come from
        the lookup tables, for a batch).

        Rows whose model input equals a row the build scored (the open caseload, see
        :func:`precompute_scores`) are read from :attr:`precomputed`, the others are computed:
        the answer is the same either way (a unit test checks it), only faster — the whole
        caseload's bagged intervals and TreeSHAP take seconds, a look-up milliseconds.
        """
        store = self.precomputed
        if store is None or frame.empty:
            predicted = self.predict(frame, tables=tables)
            values, base = self.explain(frame, tables=tables)
            return predicted, values, base
        keys = input_keys(frame)
        found = pd.Index(store.index).get_indexer(keys)
        hit = found >= 0
        columns = list(self.main.features)
        predicted = pd.DataFrame(index=frame.index, columns=list(PREDICTION_COLUMNS), dtype=float)
        values = pd.DataFrame(0.0, index=frame.index, columns=columns)
        base = np.zeros(len(frame))
        if hit.any():
            rows = store.iloc[found[hit]]
            predicted.iloc[np.flatnonzero(hit)] = rows[list(PREDICTION_COLUMNS)].to_numpy(float)
            values.iloc[np.flatnonzero(hit)] = rows[columns].to_numpy(float)
            base[hit] = rows["base_logit"].to_numpy(float)
        if (~hit).any():
            missing = frame.iloc[np.flatnonzero(~hit)]
            live = self.predict(missing, tables=tables)
            live_values, live_base = self.explain(missing, tables=tables)
            predicted.iloc[np.flatnonzero(~hit)] = live[list(PREDICTION_COLUMNS)].to_numpy(float)
            values.iloc[np.flatnonzero(~hit)] = live_values[columns].to_numpy(float)
            base[~hit] = live_base
        return predicted, values, base

    # ------------------------------------------------------------------ services

    def service_effects(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Estimated effect of adding each service to what the seeker already receives.

        Returns:
            One row per (input row, service): ``row`` (position), ``service``, ``effect``,
            ``effect_low``, ``effect_high`` (probability points; bag ±1.96 sd), ``propensity``
            (share of similar seekers who received it), ``received`` (already received: no effect
            is estimated).
        """
        n = len(frame)
        base = self.main.matrix(frame)
        column_of = {name: j for j, name in enumerate(self.main.features)}
        # one matrix with every service switched on and off, so each booster predicts once
        variants = []
        for service in SERVICES:
            for value in (1.0, 0.0):
                variant = base.copy()
                variant[:, column_of[f"svc_{service}"]] = value
                variants.append(variant)
        stacked = self.main.bag_proba(np.vstack(variants))
        person = feature_matrix(frame, PERSON_FEATURES)
        rows = []
        for k, service in enumerate(SERVICES):
            effect = stacked[:, (2 * k) * n:(2 * k + 1) * n] - stacked[:, (2 * k + 1) * n:(2 * k + 2) * n]
            sd = effect[1:].std(axis=0) if len(effect) > 1 else np.zeros(n)
            received = frame[f"svc_{service}"].to_numpy(float) > 0.5
            propensity = _propensity(self.propensity[service], person)
            for i in range(n):
                point = np.nan if received[i] else float(effect[0, i])
                rows.append({
                    "row": i, "service": service, "effect": point, "effect_low": point - 1.96 * sd[i],
                    "effect_high": point + 1.96 * sd[i], "propensity": float(propensity[i]), "received": bool(received[i]),
                })
        return pd.DataFrame(rows)

    def effect_reasons(self, frame: pd.DataFrame, service: str) -> tuple[pd.DataFrame, np.ndarray]:
        """Surrogate TreeSHAP of one service's effect: per feature (probability points) and base."""
        surrogate = self.effect_surrogates[service]
        person = feature_matrix(frame, PERSON_FEATURES)
        raw = np.asarray(surrogate.booster_.predict(person, pred_contrib=True, num_threads=threads_for_rows(len(person))),
                         dtype=float)
        return pd.DataFrame(raw[:, :-1], columns=list(PERSON_FEATURES), index=frame.index), raw[:, -1]

    # ------------------------------------------------------------------ similar seekers

    def similar_seekers(self, frame: pd.DataFrame, desired_keco: str, *, k: int = SIMILAR_K) -> pd.DataFrame:
        """The ``k`` past seekers nearest to the first row of ``frame`` (same KECO 중분류 when it
        has at least ``k`` past seekers), with their outcome and services."""
        pool = self.neighbours
        same = pool[pool["desired_mid"] == str(desired_keco)[:2]]
        if len(same) >= k:
            pool = same
        query = neighbour_vector(frame.iloc[:1])
        distance = np.sqrt((((pool[list(NEIGHBOUR_COLUMNS)].to_numpy(float) - query) /
                             np.array([NEIGHBOUR_SCALE[c] for c in NEIGHBOUR_COLUMNS])) ** 2).sum(axis=1))
        order = np.argsort(distance, kind="stable")[:k]
        return pool.iloc[order].assign(distance=distance[order]).reset_index(drop=True)


PREDICTION_COLUMNS: tuple[str, ...] = ("probability", "probability_low", "probability_high")
CUTOFF_GRID: tuple[float, ...] = tuple(round(k / 100, 2) for k in range(1, 91))
"""High-risk cutoffs of the precomputed curve: every whole percent the policy page's sliders allow."""
FAIRNESS_GRID: tuple[float, ...] = (0.1, 0.15, 0.2, 0.25, 0.3)
"""Cutoffs whose full fairness audit the build precomputes (others are audited when first asked)."""


def input_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of a model frame: equal inputs, equal keys (the look-up key of
    :attr:`EmploymentModel.precomputed`)."""
    return pd.util.hash_pandas_object(frame[list(FEATURES)], index=False).to_numpy()


def precompute_scores(model: EmploymentModel, x: pd.DataFrame) -> pd.DataFrame:
    """Predictions and TreeSHAP of model frame ``x``, indexed by :func:`input_keys` (one row per
    distinct input), for :meth:`EmploymentModel.predict_explained`."""
    predicted = model.predict(x)
    values, base = model.explain(x)
    table = pd.concat([predicted.reset_index(drop=True), values.reset_index(drop=True)], axis=1)
    table["base_logit"] = base
    table.index = pd.Index(input_keys(x), name="input_key")
    return table[~table.index.duplicated()]


def precompute_policy(model: EmploymentModel, *, tolerance: float, min_group_size: int) -> None:
    """Fill the model's cutoff curve and fairness audits (what the policy page shows for every
    user alike), so the page reads them instead of recomputing them on each visit."""
    from app.ml.fairness import audit_fairness, threshold_tradeoff  # fairlearn only where it is used

    frame = model.audit_frame
    groups = audit_groups(frame)
    employed = frame["employed"].to_numpy(int)
    curve = threshold_tradeoff(employed, frame["probability"].to_numpy(float), groups, list(CUTOFF_GRID),
                               min_group_size=min_group_size)
    curve["min_group_size"] = int(min_group_size)
    model.cutoff_curve = curve
    grid: dict[tuple[float, float, int], dict[str, object]] = {}
    for cutoff in FAIRNESS_GRID:
        reports = {}
        for name, column in (("main", "probability"), ("age_blind", "probability_age_blind")):
            p = frame[column].to_numpy(float)
            reports[name] = audit_fairness(employed, p, p < cutoff, groups, tolerance=tolerance,
                                           min_group_size=min_group_size, significance=FAIRNESS_SIGNIFICANCE)
        grid[fairness_key(cutoff, tolerance, min_group_size)] = reports
    model.fairness_grid = grid


FAIRNESS_SIGNIFICANCE = 0.05
"""A gap is flagged when it exceeds the tolerance *and* is significant at this level."""


def fairness_key(cutoff: float, tolerance: float, min_group_size: int) -> tuple[float, float, int]:
    """Key of :attr:`EmploymentModel.fairness_grid` (rounded so a slider's 0.2 equals the grid's)."""
    return round(float(cutoff), 4), round(float(tolerance), 4), int(min_group_size)


def audit_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Protected attributes of the held-out audit frame, with Korean region names."""
    return pd.DataFrame({
        "sex": frame["sex"].astype(str), "age_band": frame["age_band"].astype(str),
        "disability": frame["disability"].astype(str), "region": [region_short(str(r)) for r in frame["region"]],
    })


def _propensity(model: object, person: np.ndarray) -> np.ndarray:
    """P(service | person) from a fitted propensity model on a :func:`feature_matrix`."""
    booster = getattr(model, "booster_", None)
    if booster is None:  # ConstantPropensity: a service no one (or everyone) received
        return model.predict_proba(person)[:, 1]  # type: ignore[attr-defined]
    # binary objective: predict gives probabilities
    return np.asarray(booster.predict(person, num_threads=threads_for_rows(len(person))), dtype=float)


def neighbour_vector(frame: pd.DataFrame) -> np.ndarray:
    """Rows of :data:`NEIGHBOUR_COLUMNS` for model-frame rows (education as an ordinal level)."""
    values = frame.assign(education_level=frame["education"].astype(str).map(EDUCATION_LEVEL).fillna(1.0).astype(float))
    return values[list(NEIGHBOUR_COLUMNS)].to_numpy(float)


def timing_distribution(days: np.ndarray) -> np.ndarray:
    """G(d), d = 0…180: share of employment spells that had ended by day d (empirical CDF)."""
    days = np.asarray(days, dtype=float)
    days = days[np.isfinite(days)]
    grid = np.arange(HORIZON_DAYS + 1)
    if len(days) == 0:
        return grid / HORIZON_DAYS
    return np.searchsorted(np.sort(days), grid, side="right") / len(days)


def timing_gap(days: np.ndarray, probability: np.ndarray) -> float:
    """Largest gap between the day-of-employment CDFs of the lower and upper half of predicted
    probability (Kolmogorov–Smirnov distance): how far the "still searching" formula's
    assumption (timing independent of the features) is off."""
    days = np.asarray(days, dtype=float)
    probability = np.asarray(probability, dtype=float)
    keep = np.isfinite(days)
    days, probability = days[keep], probability[keep]
    if len(days) < 20:
        return float("nan")
    high = probability >= np.median(probability)
    return float(np.max(np.abs(timing_distribution(days[high]) - timing_distribution(days[~high]))))


def train_employment_model(
    records: pd.DataFrame, market: EmploymentMarket, *, as_of: object, seed: int = 0
) -> tuple[EmploymentModel, dict[str, np.ndarray]]:
    """Train, calibrate, check and evaluate the model on the cohort with complete outcomes.

    Args:
        records: :func:`app.ml.employment_features.load_seeker_records` rows of the training
            cohort (registered at least 180 days before ``as_of``).
        market: Market context of the features.
        as_of: The caseload date.
        seed: Random seed (split, boosters).

    Returns:
        (the model with held-out metrics, ``{"test_ids", "test_probability", "test_frame"}`` for
        grading against the truth).
    """
    from app.ml.fairness import age_band  # fairlearn only where it is used

    x = build_features(records, market)
    y = records["employed_180d"].astype(int).to_numpy()
    idx = np.arange(len(records))
    train_idx, test_idx = train_test_split(idx, test_size=0.2, random_state=seed, stratify=y)
    x_train, y_train, x_test, y_test = x.iloc[train_idx], y[train_idx], x.iloc[test_idx], y[test_idx]
    main = fit_calibrated_booster(x_train, y_train, params=_params(seed), seed=seed, bag_size=BAG_SIZE, features=FEATURES)
    blind = fit_calibrated_booster(x_train, y_train, params=_age_blind_params(seed), seed=seed, bag_size=0,
                                   features=AGE_BLIND_FEATURES)
    p_test = main.predict_proba(x_test)
    p_blind = blind.predict_proba(x_test)

    propensity, surrogates = {}, {}
    person_train = x_train[list(PERSON_FEATURES)]
    for service in SERVICES:
        column = f"svc_{service}"
        propensity[service] = fit_propensity(person_train, x_train[column].to_numpy(int), seed=seed)
        effect_train = s_learner_effect(main.predict_proba, x_train, column)
        surrogates[service] = LGBMRegressor(
            n_estimators=200, learning_rate=0.05, num_leaves=8, min_child_samples=50, random_state=seed, n_jobs=thread_count(), verbose=-1
        ).fit(person_train, effect_train)
    # overlap, balance and the AIPW average on the whole cohort, every row scored out of fold
    cross_checks, _ = cross_fitted_effect_checks(
        x, y, treatments=SERVICE_FEATURES, covariates=PERSON_FEATURES, outcome_params=_params(seed), seed=seed
    )
    checks = {service: cross_checks[f"svc_{service}"] for service in SERVICES}

    days = records["days_to_employment"].to_numpy(float)
    neighbours = pd.DataFrame(neighbour_vector(x_train), columns=list(NEIGHBOUR_COLUMNS))
    neighbours["desired_mid"] = records["desired_keco"].astype(str).str[:2].to_numpy()[train_idx]
    neighbours["employed_180d"] = y_train.astype(bool)
    neighbours["days_to_employment"] = days[train_idx]
    for column in SERVICE_FEATURES:
        neighbours[column] = x_train[column].to_numpy(int)

    test_records = records.iloc[test_idx]
    audit = pd.DataFrame({
        "employed": y_test,
        "probability": p_test,
        "probability_age_blind": p_blind,
        "sex": test_records["sex"].map({"M": "남성", "F": "여성"}).fillna("기타").to_numpy(),
        "age_band": age_band(test_records["age"].to_numpy()),
        "disability": np.where(test_records["disability"].to_numpy(bool), "장애 있음", "장애 없음"),
        "region": test_records["region_code"].astype(str).to_numpy(),
    })

    model = EmploymentModel(
        main=main, age_blind=blind, market=market, timing_cdf=timing_distribution(days[train_idx]),
        propensity=propensity, effect_surrogates=surrogates, effect_checks=checks, neighbours=neighbours,
        audit_frame=audit, as_of=as_of,
    )
    metrics = probability_metrics(y_test, p_test)
    metrics.update({f"{k}_age_blind": v for k, v in probability_metrics(y_test, p_blind).items() if k in ("auc", "ece")})
    metrics["timing_ks_gap"] = round(timing_gap(days[test_idx], p_test), 4)
    metrics["n_train"] = float(len(train_idx))
    metrics["n_test"] = float(len(test_idx))
    for service, check in checks.items():
        metrics[f"ate_aipw_{service}"] = round(check.ate_aipw, 4)
        metrics[f"ate_s_learner_{service}"] = round(check.ate_s_learner, 4)
        metrics[f"max_smd_weighted_{service}"] = round(check.max_smd_weighted, 4)
        metrics[f"overlap_share_{service}"] = round(check.overlap_share, 4)
    model.metrics = metrics
    return model, {"test_ids": records["id"].to_numpy()[test_idx], "test_probability": p_test, "test_frame": x_test}


def load_training_cohort(engine: object) -> tuple[pd.DataFrame, object]:
    """(training-cohort records, caseload date) of the world in ``engine``."""
    as_of = load_as_of(engine)
    records = load_seeker_records(engine, as_of=as_of)
    training, _ = split_cohorts(records, as_of)
    return training.reset_index(drop=True), as_of


def load_open_caseload(engine: object, as_of: object) -> pd.DataFrame:
    """Records of the open caseload on ``as_of`` (registered within the horizon, not yet employed),
    without the outcomes after that day."""
    cutoff = pd.Timestamp(as_of).date() - pd.Timedelta(days=HORIZON_DAYS)
    records = load_seeker_records(engine, as_of=as_of, registered_after=cutoff)
    _, caseload = split_cohorts(records, as_of)
    return caseload.drop(columns=["employed_180d", "days_to_employment"]).reset_index(drop=True)


def build_employment(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: train on the cohort with complete outcomes, grade against the truth, save."""
    started = time.perf_counter()
    # market_wages is registered (and so built) before this model in the same build run.
    market = make_employment_market(ctx.engine, pd.read_parquet(ctx.out_dir / MARKET_WAGES_FILE))
    training, as_of = load_training_cohort(ctx.engine)
    model, held_out = train_employment_model(training, market, as_of=as_of, seed=ctx.seed % (2**31))
    model.metrics.update(
        evaluate.employment_oracle_metrics(ctx.engine, held_out["test_ids"], held_out["test_probability"])
    )
    model.metrics.update(evaluate.service_effect_errors(ctx.engine, held_out["test_ids"], held_out["test_frame"], model))
    model.metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    # what the pages show every user alike, computed once here instead of on each visit
    precompute_started = time.perf_counter()
    caseload = load_open_caseload(ctx.engine, as_of)
    if not caseload.empty:
        model.precomputed = precompute_scores(model, model.features(caseload))
    settings = get_settings()
    precompute_policy(model, tolerance=settings.fairness_tolerance, min_group_size=settings.fairness_min_group)
    model.metrics["precompute_seconds"] = round(time.perf_counter() - precompute_started, 1)
    return save_fitted(ctx, model, MODEL_FILE, model.metrics)


def load_employment_model(models_dir: Path) -> EmploymentModel:
    """The built model (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="취업성공 예측모델", build=build_employment,
                    needs=(MARKET_WAGES_NAME,))
"""The employment-success model (reads the market wages built before it)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="취업성공 예측모델",
    purpose="직업상담사가 장기 실업 위험이 큰 구직자를 일찍 찾아 더 많은 도움(상담·알선·훈련)을 먼저 제공하도록 돕고, "
            "정책·운영 담당자가 위험도 기준과 그 공정성을 점검하도록 돕습니다.",
    output="구직자가 등록 후 180일 안에 고용보험 취업할 확률(불확실성 구간 포함)과 위험도 구간(고위험·중위험·저위험), "
           "확률을 높이거나 낮춘 주요 요인, 서비스별 예상 효과, 비슷한 과거 구직자의 결과.",
    shown_on=("employment_caseload", "employment_profile", "employment_policy"),
    criteria=factor_names(FEATURES, FACTOR_OF_FEATURE),
    not_used="성별, 장애 여부, 거주 지역(출신 지역에 가장 가까운 정보), 혼인 여부는 입력으로 쓰지 않고 공정성 점검에만 "
             "씁니다. 연령은 재취업에 가장 큰 영향을 주는 요인이어서 입력에 넣었습니다. 빼면 고령 구직자의 위험이 낮게 "
             "추정되어 도움을 덜 받게 되기 때문이며, 연령을 뺀 모델과의 비교를 함께 공개합니다.",
    training_data="가상 세계의 구직자 가운데 기준일에 등록 후 180일이 지난 사람들의 기록(경력·학력·희망 조건·자격증, 받은 "
                  "고용서비스)과 지역·직종의 구인 수요, 그리고 180일 안 고용보험 취업 여부. 5분의 4로 학습하고 나머지 "
                  "5분의 1로 평가와 공정성 점검을 했습니다.",
    human_oversight="판단은 직업상담사가 내립니다. 상담에서 확인한 사정으로 위험도 구간을 바꿀 수 있고 바꾼 이유가 기록됩니다. "
                    "위험도 구간의 기준은 정책·운영 담당자가 공정성 점검 결과를 보고 정합니다. 구직급여 등 수급 자격 판단에는 "
                    "쓰지 않습니다.",
    contest="구직자는 담당 직업상담사나 관할 고용센터에 위험도 판정과 추천 서비스의 설명, 재검토를 요청할 수 있습니다. "
            "상담사는 구직자 프로파일 화면에서 판정의 주요 요인을 설명하고, 반영되지 않은 사정이 있으면 위험도를 조정하고 "
            "이유를 기록합니다.",
    limits="가상 세계(합성 데이터)로 학습했으므로 실제 수치와 다를 수 있습니다. 180일 안 취업 여부만 예측하며 일자리의 질"
           "(임금, 고용 유지)은 다루지 않습니다. 서비스별 효과는 관찰 자료로 추정한 값이라 실제 효과와 다를 수 있습니다.",
    quality_metrics=("auc", "ece", "brier", "auc_ratio", "mae_vs_true_probability", "n_train", "n_test"),
    fairness_metrics=("auc_age_blind", "ece_age_blind"),
    fairness_note="정책·운영 담당자가 '취업 위험도 기준·공정성' 화면에서 평가용 구직자의 성별·연령대·장애 여부·거주 지역별로 "
                  "보정오차와 고위험 판정 비율의 차이를 점검합니다. 허용 범위를 넘고 통계적으로 유의한 차이는 따로 표시됩니다. "
                  "위 수치는 연령을 뺀 비교 모델의 성능입니다.",
)
"""Transparency notice of the employment-success model (:mod:`app.ml.model_card`)."""
