"""The interest test's psychometrics: GRM calibration recovers known parameters, and the adaptive
engine asks every scale, stops when the ranking is stable or at its maximum, keeps item exposure
under the cap, resumes exactly from stored answers, and agrees with the full form on simulated
takers far better than chance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.ml.adaptive_simulation import full_form_scores, simulate_adaptive, top1_agrees, top_set_agrees
from app.ml.adaptive_test import AdaptiveTest, CatSettings, contract_settings
from app.ml.irt import (
    GradedItemBank,
    bank_from_dict,
    calibrate_graded_bank,
    category_probabilities,
    item_information,
    simulate_responses,
)

SCALES = ("R", "I", "A", "S", "E", "C")
PER_SCALE = 6


def _true_bank(seed: int = 0) -> GradedItemBank:
    rng = np.random.default_rng(seed)
    n = len(SCALES) * PER_SCALE
    location = rng.normal(0.3, 0.5, n)
    thresholds = np.sort(location[:, None] + np.array([-1.6, -0.5, 0.5, 1.6]) + rng.normal(0, 0.1, (n, 4)), axis=1)
    correlation = np.full((6, 6), 0.25) + 0.75 * np.eye(6)
    return GradedItemBank(
        item_codes=tuple(f"{s}{i + 1}" for s in SCALES for i in range(PER_SCALE)), scales=SCALES,
        item_scale=np.repeat(np.arange(6), PER_SCALE), discrimination=rng.uniform(1.2, 2.6, n),
        thresholds=thresholds, n_categories=5, correlation=correlation, respondents=0,
    )


def _takers(bank: GradedItemBank, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    theta = rng.multivariate_normal(np.zeros(6), bank.correlation, size=n)
    return theta, simulate_responses(bank, theta, rng)


@pytest.fixture(scope="module")
def calibrated() -> tuple[GradedItemBank, GradedItemBank]:
    truth = _true_bank()
    _, answers = _takers(truth, 2500, seed=1)
    frame = pd.DataFrame(answers, columns=list(truth.item_codes)).astype(float)
    frame.iloc[::37, 3] = np.nan  # a few missing answers must not break the calibration
    scales = {s: [f"{s}{i + 1}" for i in range(PER_SCALE)] for s in SCALES}
    return truth, calibrate_graded_bank(frame, scales)


def test_category_probabilities_sum_to_one_and_information_is_positive() -> None:
    bank = _true_bank()
    grid = np.linspace(-3, 3, 13)
    probs = category_probabilities(bank.discrimination, bank.thresholds, grid)
    assert probs.shape == (bank.n_items, 13, 5)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0, atol=1e-9)
    info = item_information(bank.discrimination, bank.thresholds, grid)
    assert (info > 0).all()
    # more discriminating items carry more information at their location
    best, worst = np.argmax(bank.discrimination), np.argmin(bank.discrimination)
    assert info[best].max() > info[worst].max()


def test_calibration_recovers_known_parameters(calibrated) -> None:
    truth, fitted = calibrated
    assert fitted.item_codes == truth.item_codes
    assert np.corrcoef(truth.discrimination, fitted.discrimination)[0, 1] > 0.85
    assert np.sqrt(np.mean((truth.discrimination - fitted.discrimination) ** 2)) < 0.3
    assert np.sqrt(np.mean((truth.thresholds - fitted.thresholds) ** 2)) < 0.2
    off_diagonal = ~np.eye(6, dtype=bool)
    assert np.abs(fitted.correlation[off_diagonal] - 0.25).max() < 0.12
    assert np.all(np.linalg.eigvalsh(fitted.correlation) > 0)
    assert fitted.answer_covariance is not None and fitted.answer_covariance.shape == (36, 36)
    assert np.all(np.linalg.eigvalsh(fitted.residual_covariance) > 0)


def test_bank_round_trips_through_its_dict(calibrated) -> None:
    _, fitted = calibrated
    again = bank_from_dict(fitted.to_dict())
    np.testing.assert_allclose(again.thresholds, fitted.thresholds)
    np.testing.assert_allclose(again.answer_covariance, fitted.answer_covariance)
    assert again.item_codes == fitted.item_codes and again.scales == fitted.scales


def test_calibration_refuses_too_few_respondents_and_empty_items() -> None:
    from app.errors import InvalidInput

    scales = {"R": ["a", "b"], "I": ["c", "d"]}
    small = pd.DataFrame(np.ones((10, 4)), columns=list("abcd"))
    with pytest.raises(InvalidInput, match="50명"):
        calibrate_graded_bank(small, scales)
    empty = pd.DataFrame(np.random.default_rng(0).integers(1, 6, (80, 4)), columns=list("abcd")).astype(float)
    empty["d"] = np.nan
    with pytest.raises(InvalidInput, match="응답이 하나도 없는 문항"):
        calibrate_graded_bank(empty, scales)


def test_every_scale_is_asked_before_any_gets_a_second_item(calibrated) -> None:
    _, bank = calibrated
    test = AdaptiveTest(bank, CatSettings(min_per_scale=1))
    _, answers = _takers(bank, 1, seed=5)
    for _ in range(6):
        item = test.select_item()
        test.answer(item, int(answers[0, item]))
    assert sorted(bank.item_scale[test.order]) == list(range(6))


def test_test_stops_at_its_maximum(calibrated) -> None:
    _, bank = calibrated
    test = AdaptiveTest(bank, CatSettings(max_items=9, top1_confidence=1.01))
    while (item := test.next_item()) is not None:
        test.answer(item, 3)  # flat answers: the ranking never settles
    assert len(test.order) == 9
    assert test.stop_reason() == "max_items"


def test_clear_profile_stops_early_as_stable(calibrated) -> None:
    _, bank = calibrated
    test = AdaptiveTest(bank, CatSettings(max_items=30))
    while (item := test.next_item()) is not None:
        # loves R, then I, then A; dislikes the rest
        test.answer(item, {0: 5, 1: 4, 2: 4}.get(int(bank.item_scale[item]), 1))
    assert test.stop_reason() == "stable"
    assert len(test.order) < 20
    est = test.estimate()
    assert est.ranking[0] == 0 and set(est.ranking[:3]) == {0, 1, 2}
    assert est.top1_probability >= 0.9
    assert np.all(est.theta_se < 1.0)


def test_answers_are_validated(calibrated) -> None:
    _, bank = calibrated
    test = AdaptiveTest(bank)
    test.answer(0, 3)
    with pytest.raises(ValueError, match="answered before"):
        test.answer(0, 4)
    with pytest.raises(ValueError, match="outside"):
        test.answer(1, 6)
    with pytest.raises(ValueError, match="not in the bank"):
        test.answer(bank.n_items, 3)


def test_resumed_test_continues_exactly_where_it_stopped(calibrated) -> None:
    _, bank = calibrated
    _, answers = _takers(bank, 1, seed=8)
    first = AdaptiveTest(bank)
    for _ in range(8):
        item = first.select_item()
        first.answer(item, int(answers[0, item]))
    resumed = AdaptiveTest(bank)
    for item in first.order:  # what the database stored, replayed
        resumed.answer(item, int(answers[0, item]))
    assert resumed.select_item() == first.select_item()
    np.testing.assert_allclose(resumed.estimate().theta, first.estimate().theta, atol=1e-5)


def test_standard_errors_shrink_as_items_are_answered(calibrated) -> None:
    _, bank = calibrated
    _, answers = _takers(bank, 1, seed=9)
    test = AdaptiveTest(bank)
    se_before = test.estimate().theta_se.mean()
    for _ in range(18):
        item = test.select_item()
        test.answer(item, int(answers[0, item]))
    assert test.estimate().theta_se.mean() < se_before - 0.2


def test_exposure_control_keeps_every_item_under_its_cap(calibrated) -> None:
    _, bank = calibrated
    _, answers = _takers(bank, 150, seed=11)
    cap = 0.45
    result = simulate_adaptive(bank, answers, CatSettings(max_items=14, exposure_cap=cap))
    assert result.exposure.max() <= cap + 0.02
    free = simulate_adaptive(bank, answers[:60], CatSettings(max_items=14, exposure_cap=1.01))
    assert free.exposure.max() > cap  # without the cap the best items are asked of nearly everyone


def test_adaptive_test_agrees_with_the_full_form(calibrated) -> None:
    truth, bank = calibrated
    theta, answers = _takers(truth, 120, seed=12)
    result = simulate_adaptive(bank, answers, contract_settings(bank.n_items), true_theta=theta)
    s = result.summary
    assert s["items_used_share"] <= 0.55
    assert s["top1_agreement"] >= 0.75  # chance is about 1/6
    assert s["top3_set_agreement"] >= 0.6
    assert s["theta_rmse"] < 0.7
    assert len(result.respondents) == 120 and {"items_used", "top1_agrees", "items"} <= set(result.respondents[0])


def test_missing_answers_cannot_be_asked(calibrated) -> None:
    _, bank = calibrated
    _, answers = _takers(bank, 5, seed=13)
    answers[:, :3] = -1  # three R items left blank on the full form
    result = simulate_adaptive(bank, answers, CatSettings(max_items=12))
    for row in result.respondents:
        assert not {"R1", "R2", "R3"} & set(row["items"])


def test_agreement_counts_full_form_ties() -> None:
    full = np.array([4.0, 4.0, 3.5, 2.0, 3.5, 1.0])
    assert top1_agrees(full, 0) and top1_agrees(full, 1) and not top1_agrees(full, 2)
    assert top_set_agrees(full, np.array([0, 1, 2])) and top_set_agrees(full, np.array([0, 1, 4]))
    assert not top_set_agrees(full, np.array([0, 1, 3]))
    assert top1_agrees(np.full(6, np.nan), 2)  # nobody answered anything: nothing to disagree with


def test_full_form_scores_leave_missing_answers_out() -> None:
    bank = _true_bank()
    answers = np.full((1, bank.n_items), 3)
    answers[0, 0] = -1
    answers[0, 1] = 5
    scores = full_form_scores(bank, answers)
    assert scores[0, 0] == pytest.approx((5 + 3 * 4) / 5)
    assert scores[0, 1] == 3.0
