"""The occupation-fit model on a small synthetic survey (no ../shared/data needed): ranking,
marginalised missing answers, exact SHAP reasons by attribute group, calibration measures and the
committed KNOW aggregates."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from app.ml import occupation_fit as of

CODES = tuple(f"{major}{middle}{minor:02d}{serial:02d}" for major in (1, 2) for middle in (1, 2)
              for minor in (1, 2) for serial in (1, 2, 3))
"""24 synthetic 6-digit occupation codes in a KNOW-like hierarchy."""


def _survey(seed: int, per_class: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answers 1–5, codes, true class means) of a synthetic survey: each class mean is its
    group's mean plus its own offset; answers are rounded and clipped like real ones."""
    rng = np.random.default_rng(0)
    group = {c[:2]: rng.uniform(1.5, 4.5, len(of.FEATURES)) for c in CODES}
    means = np.array([np.clip(group[c[:2]] + rng.normal(0, 0.9, len(of.FEATURES)), 1, 5) for c in CODES])
    draw = np.random.default_rng(seed)
    codes = np.repeat(np.array(CODES), per_class)
    values = np.clip(np.rint(np.repeat(means, per_class, axis=0) + draw.normal(0, 0.8, (len(codes), len(of.FEATURES)))), 1, 5)
    return values, codes, means


def _occupations() -> pd.DataFrame:
    return pd.DataFrame({"occupation_code": list(CODES), "occupation_name": [f"직업{i}" for i in range(len(CODES))],
                         "keco_code": ["011"] * len(CODES)})


@pytest.fixture(scope="module")
def survey() -> tuple[np.ndarray, np.ndarray]:
    values, codes, _ = _survey(1)
    return values, codes


@pytest.fixture(scope="module")
def gaussian(survey) -> of.OccupationFit:
    return of.fit_occupation_fit(of.aggregate(*survey), _occupations())


@pytest.fixture(scope="module")
def ensemble(survey) -> of.OccupationFit:
    values, codes = survey
    return of.fit_occupation_fit(of.aggregate(values, codes), _occupations(), values=values, codes=codes)


def _frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(values, columns=list(of.FEATURES))


def test_new_people_find_their_occupation_in_the_top_five(gaussian, ensemble) -> None:
    values, codes, _ = _survey(2, per_class=5)
    truth = np.array([CODES.index(c) for c in codes])
    for model in (gaussian, ensemble):
        probs = model.score(_frame(values))
        assert probs.shape == (len(values), len(CODES))
        assert np.allclose(probs.sum(axis=1), 1.0)
        assert of.hit_rate(probs, truth) >= 0.95
    interests_only = ensemble.score(_frame(values)[list(of.INTERESTS)])
    assert 0.3 <= of.hit_rate(interests_only, truth) < of.hit_rate(ensemble.score(_frame(values)), truth)


def test_top_k_lists_the_best_occupations_in_order(ensemble) -> None:
    values, _, _ = _survey(3, per_class=1)
    best = ensemble.top_k(_frame(values[:2]), 3)
    assert list(best.columns) == ["row", "rank", "occupation_code", "occupation_name", "keco_code", "score"]
    assert best["row"].tolist() == [0, 0, 0, 1, 1, 1] and best["rank"].tolist() == [1, 2, 3, 1, 2, 3]
    first = best[best["row"] == 0]["score"].to_numpy()
    assert (np.diff(first) <= 0).all()
    assert best["occupation_code"].iloc[0] == CODES[0]


def test_missing_answers_are_marginalised_out(gaussian, ensemble) -> None:
    values, _, _ = _survey(4, per_class=1)
    row = values[:1].copy()
    absent = _frame(row)[list(of.FEATURES[:20])]
    blank = _frame(row)
    blank.loc[:, list(of.FEATURES[20:])] = np.nan
    for model in (gaussian, ensemble):
        assert np.allclose(model.score(absent), model.score(blank))
    # by hand: the Gaussian with only the first 20 features (sub-covariance, sub-means)
    sub = slice(0, 20)
    precision = np.linalg.inv(gaussian.covariance[sub, sub])
    mu = gaussian.means[:, sub]
    loglik = row[0, sub] @ precision @ mu.T - 0.5 * np.einsum("kd,de,ke->k", mu, precision, mu)
    expected = np.exp(gaussian.temperature * gaussian.gauss_scale * (loglik - loglik.max()))
    assert np.allclose(gaussian.score(absent)[0], expected / expected.sum())
    nothing = gaussian.score(pd.DataFrame({"R": [np.nan]}))
    assert np.allclose(nothing, 1 / len(CODES))


def test_reasons_are_exact_shap_values_grouped_by_attribute(gaussian, ensemble) -> None:
    values, _, _ = _survey(5, per_class=1)
    row = dict(zip(of.FEATURES, values[7], strict=True))
    code = CODES[7]
    features = gaussian.explain_features(row, code)
    assert len(features) == len(of.FEATURES)
    assert all(label == of.ITEM_LABELS[f] for f, label, _ in features)

    def log_odds(model: of.OccupationFit, x: np.ndarray) -> float:
        z = model._logits(x[None, :])[0]
        return float(z[7] - z.mean())

    # efficiency: the contributions add up to the log-odds against the average occupation, from the mean person's
    total = sum(v for _, _, v in features)
    assert total == pytest.approx(log_odds(gaussian, values[7]) - log_odds(gaussian, gaussian.center), abs=1e-8)
    groups = dict(ensemble.explain(row, code))
    assert set(groups) == set(of.ATTRIBUTE_GROUPS)
    vectorised = of.group_contributions(ensemble, values[7:8], np.array([7]))[0]
    assert [groups[g] for g in of.ATTRIBUTE_GROUPS] == pytest.approx(vectorised.tolist(), abs=1e-8)
    # an unanswered item has no reason; an unanswered group is left out
    partial = {f: v for f, v in row.items() if f in of.INTERESTS or f in of.ATTRIBUTE_GROUPS["대인 관계"]}
    assert [g for g, _ in ensemble.explain(partial, code)] != []
    assert {g for g, _ in ensemble.explain(partial, code)} == {"흥미", "대인 관계"}
    assert len(ensemble.explain_features(partial, code)) == 6 + 13
    with pytest.raises(KeyError):
        ensemble.explain(row, "999999")


def test_group_importance_covers_every_group(ensemble, survey) -> None:
    importance = of.compute_group_importance(ensemble, *survey)
    assert list(importance) == list(of.ATTRIBUTE_GROUPS)
    assert all(v > 0 for v in importance.values())


def test_means_shrink_towards_their_code_group() -> None:
    values = np.array([[1.0] * 55, [3.0] * 55, [3.0] * 55, [5.0] * 55])
    agg = of.aggregate(values, np.array(["110101", "110102", "110102", "210101"]))
    assert agg.codes.tolist() == ["110101", "110102", "210101"] and agg.counts.tolist() == [1, 2, 1]
    raw = of.shrunk_means(agg, strength=0.0)
    assert raw[:, 0].tolist() == [1.0, 3.0, 5.0]
    shrunk = of.shrunk_means(agg, strength=1.0)[:, 0]
    assert 1.0 < shrunk[0] < 3.0 and 3.0 < shrunk[2] < 5.0  # towards the others, never past them
    assert shrunk[1] - 3.0 < 3.0 - shrunk[0]  # two incumbents move less than one


def test_calibration_and_hit_measures() -> None:
    probs = np.array([[0.8, 0.2], [0.8, 0.2], [0.8, 0.2], [0.8, 0.2], [0.8, 0.2],
                      [0.6, 0.4], [0.6, 0.4], [0.6, 0.4], [0.6, 0.4], [0.6, 0.4]])
    truth = np.array([0, 0, 0, 0, 1, 0, 0, 0, 1, 1])
    assert of.expected_calibration_error(probs, truth) == pytest.approx(0.0)
    assert of.expected_calibration_error(probs, np.zeros(10, dtype=int)) == pytest.approx(0.5 * 0.2 + 0.5 * 0.4)
    assert of.hit_rate(probs, truth, k=1) == pytest.approx(0.7) and of.hit_rate(probs, truth, k=2) == 1.0


def test_committed_aggregates_describe_every_know_occupation() -> None:
    agg, occupations = of.load_committed_aggregates()
    assert len(agg.codes) == len(occupations) == 576 and agg.counts.sum() == 4535
    assert np.allclose(agg.within, agg.within.T) and (np.linalg.eigvalsh(agg.within) > 0).all()
    assert ((agg.means >= 1) & (agg.means <= 5)).all()
    assert occupations["keco_code"].str.fullmatch(r"\d{3}").all()
    model = of.fit_occupation_fit(agg, occupations)
    assert model.linear is None and model.temperature == of.GAUSS_ONLY_TEMPERATURE
    assert len(of.ITEM_LABELS) == len(of.FEATURES) and set(of.GROUP_OF_FEATURE) == set(of.FEATURES)


def test_neighbour_vote_compares_answered_items_only(ensemble, survey) -> None:
    values, codes = survey
    part = ensemble.neighbours
    assert part is not None and part.neighbours == of.NEIGHBOURS
    assert ensemble.linear is not None
    # an incumbent's own answers: the most similar training row is itself (similarity 1)
    votes = part.votes(values[:3], len(CODES))
    assert votes.shape == (3, len(CODES))
    assert [CODES[i] for i in votes.argmax(axis=1)] == codes[:3].tolist()
    assert (votes.max(axis=1) >= 1.0 - 1e-5).all()  # itself, plus the next most similar row
    assert ((votes >= 0) & (votes <= of.NEIGHBOURS)).all()
    # an unanswered item is left out of the similarity: same votes as comparing the answered columns alone
    half = values[:4].copy()
    half[:, 30:] = np.nan
    sub = of.fit_neighbours(values[:, :30], codes, np.array(CODES))
    sub.center, sub.scale = part.center[:30], part.scale[:30]
    sub.rows = part.rows[:, :30]
    assert np.allclose(part.votes(half, len(CODES)), sub.votes(values[:4, :30], len(CODES)), atol=1e-5)
    assert not part.votes(np.full((1, len(of.FEATURES)), np.nan), len(CODES)).any()
    # the vote is part of the score; without the rows (a clean clone) there is none
    without = of.fit_occupation_fit(of.aggregate(values, codes), _occupations(), values=values, codes=codes,
                                    neighbour_scale=0.0)
    assert without.neighbours is None
    assert not np.allclose(ensemble._logits(values[:3]), without._logits(values[:3]))


def test_reasons_sum_to_the_linear_parts_of_the_ensemble(ensemble, survey) -> None:
    values, _ = survey
    linear_only = dataclasses.replace(ensemble, neighbours=None)

    def log_odds(model: of.OccupationFit, x: np.ndarray) -> float:
        z = model._logits(x[None, :])[0]
        return float(z[7] - z.mean())

    def reasons(x: np.ndarray) -> float:
        return sum(v for _, _, v in ensemble.explain_features(dict(zip(of.FEATURES, x, strict=True)), CODES[7]))

    # between two people the reasons change exactly as the linear parts' log-odds do (the background
    # cancels); the neighbour vote, which is not attributed, moves the whole score by more
    linear_change = log_odds(linear_only, values[7]) - log_odds(linear_only, values[100])
    assert reasons(values[7]) - reasons(values[100]) == pytest.approx(linear_change, abs=1e-6)
    whole_change = log_odds(ensemble, values[7]) - log_odds(ensemble, values[100])
    assert abs(whole_change - linear_change) > 1e-3
