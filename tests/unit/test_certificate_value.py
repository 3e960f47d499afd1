"""The certificate analysis (app/analytics/certificate_value.py): the entropy weights against a published
worked example, the adjustment, the seeded bootstrap, suppression of small groups, the by-industry
finding on a frame with a planted effect, bad input; and the world's jobs it reads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pymcdm.weights import entropy_weights as raw_pymcdm_entropy

from app.analytics.certificate_value import (
    BENEFIT,
    INDICATOR_KEYS,
    WORKED_EXAMPLE,
    AnalysisSettings,
    analyse_certificates,
    composite_scores,
    entropy_weights,
    minmax_normalise,
    worked_example_check,
)
from app.errors import InvalidInput
from app.reference.certificate_fields import SERVICE, TECHNICAL, certificate_field

# Xu, X. (2004), European Journal of Operational Research 156(2), 530-532, doi:10.1016/S0377-2217(03)00146-2:
# four alternatives, four benefit criteria, entropy weights published to four decimals.
XU_MATRIX = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]], dtype=float)
XU_WEIGHTS = np.array([0.4630, 0.3992, 0.1378, 0.0000])
NAMES = pd.DataFrame({"certificate_id": ["T1", "T2", "T3", "S1", "S2", "S3", "RARE"],
                      "name": ["전기기사", "용접기능사", "기계기사", "직업상담사", "사회복지사", "요양보호사", "드문자격"],
                      "field": [TECHNICAL] * 3 + [SERVICE] * 3 + [SERVICE]})


def test_entropy_weights_reproduce_the_published_worked_example() -> None:
    ours = entropy_weights(XU_MATRIX, normalise="sum")
    assert np.max(np.abs(ours - XU_WEIGHTS)) < 1e-4  # the paper rounds to four decimals
    assert np.allclose(ours, raw_pymcdm_entropy(XU_MATRIX))
    check = worked_example_check()
    assert check["worked_example_max_error"] < 1e-4
    assert np.allclose(WORKED_EXAMPLE["weights"], XU_WEIGHTS)


def test_the_pages_normalisation_differs_from_the_examples_and_says_how() -> None:
    """Min–max moved into [0.01, 1] (needed for indicators that can be negative) gives other weights
    than the paper's sum normalisation; without the move pymcdm refuses the matrix (its sum
    normalisation takes strictly positive values only, and every min–max column holds a 0)."""
    ours = entropy_weights(XU_MATRIX, normalise="minmax")
    assert ours.sum() == pytest.approx(1.0)
    assert np.max(np.abs(ours - XU_WEIGHTS)) > 0.1
    assert ours[3] > 0.1  # column 4 (29, 29, 28.9, 29) is spread to 0..1 by min–max: no longer "no information"
    with pytest.raises(ValueError, match="positive"):
        raw_pymcdm_entropy(minmax_normalise(XU_MATRIX, np.ones(4, bool)))


def test_cost_criteria_are_reversed_and_scores_run_from_0_to_100() -> None:
    matrix = np.array([[1.0, 10.0], [2.0, 5.0], [3.0, 1.0]])
    normalised = minmax_normalise(matrix, np.array([True, False]))
    assert normalised.tolist() == [[0.0, 0.0], [0.5, 5 / 9], [1.0, 1.0]]
    scores = composite_scores(matrix, np.array([0.5, 0.5]), np.array([True, False]))
    assert scores[0] == pytest.approx(0.0) and scores[2] == pytest.approx(100.0)


@pytest.mark.parametrize("matrix", [np.ones((1, 3)), np.array([[1.0, np.nan], [2.0, 3.0]])])
def test_entropy_weights_refuse_unusable_matrices(matrix: np.ndarray) -> None:
    with pytest.raises(InvalidInput):
        entropy_weights(matrix)


def test_sum_normalisation_needs_positive_values() -> None:
    with pytest.raises(InvalidInput):
        entropy_weights(np.array([[1.0, -2.0], [2.0, 3.0]]), normalise="sum")


def test_constant_indicators_get_equal_weights() -> None:
    assert entropy_weights(np.ones((4, 3))) == pytest.approx(np.full(3, 1 / 3))


@pytest.mark.parametrize(("name", "kind", "field"), [
    ("전기기사", "국가기술자격", TECHNICAL), ("건설기계(산업)기사", "국가기술자격", TECHNICAL),
    ("3D프린터운용기능사", "국가기술자격", TECHNICAL), ("직업상담사 2급", "국가기술자격", SERVICE),
    ("컴퓨터활용능력 2급", "국가기술자격", SERVICE), ("간호사", "국가전문자격", SERVICE), ("운전면허", "기타", SERVICE),
])
def test_certificate_fields(name: str, kind: str, field: str) -> None:
    assert certificate_field(name, kind) == field


# --------------------------------------------------------------------------- the analysis on planted data


def _planted(n: int = 6000, seed: int = 0, *, confounded: bool = False, effect: float = 0.35) -> tuple[pd.DataFrame,
                                                                                                        pd.DataFrame]:
    """Young seekers in manufacturing (C) or health (Q); technical certificates raise every outcome in C,
    service certificates outside it (``effect``); RARE has 8 holders. ``confounded``: holders are older
    and older seekers do better, with no certificate effect at all."""
    rng = np.random.default_rng(seed)
    age = rng.integers(15, 35, n)
    frame = pd.DataFrame({
        "seeker_id": np.arange(1, n + 1), "age": age,
        "education": rng.choice(["고졸", "전문대졸", "대졸"], n), "career_years": rng.choice([0.0, 1.0, 3.0], n),
        "industry_code": np.where(rng.random(n) < 0.5, "C", "Q"),
    })
    holdings = []
    value = np.zeros(n)
    for cid in NAMES["certificate_id"]:
        if cid == "RARE":
            held = np.zeros(n, bool)
            held[:8] = True
        else:
            p = np.where(age >= 30, 0.45, 0.05) if confounded else np.full(n, 0.15)
            held = rng.random(n) < p
        holdings += [(int(s), cid) for s in frame["seeker_id"][held]]
        technical = cid.startswith("T")
        fits = (frame["industry_code"] == "C").to_numpy() == technical
        value += 0 if confounded else effect * (held & fits)
    older = (age >= 30) * (0.8 if confounded else 0.0)
    employed = rng.random(n) < 1 / (1 + np.exp(-(-0.4 + value + older)))
    frame["employed_180d"] = employed.astype(float)
    frame["days_to_employment"] = np.where(employed, rng.integers(10, 180, n) - 30 * value, np.nan)
    frame["log_wage"] = np.where(employed, 14.8 + 0.3 * value + older / 4 + rng.normal(0, 0.15, n), np.nan)
    frame["large_firm"] = np.where(employed, (rng.random(n) < 0.2 + 0.3 * value).astype(float), np.nan)
    observed = employed & (rng.random(n) < 0.7)
    frame["retained_6m"] = np.where(observed, (rng.random(n) < 0.6 + 0.3 * value).astype(float), np.nan)
    return frame, pd.DataFrame(holdings, columns=["seeker_id", "certificate_id"])


SETTINGS = AnalysisSettings(bootstrap=30, seed=5, min_holders=30, min_employed=10)


@pytest.fixture(scope="module")
def planted() -> object:
    frame, holdings = _planted()
    return analyse_certificates(frame, holdings, NAMES, SETTINGS, populations=("young",))


def test_the_by_industry_pattern_is_found(planted: object) -> None:
    (gap,) = planted.field_gaps.to_dict("records")
    assert gap["technical_certificates"] == 3 and gap["service_certificates"] == 3
    assert gap["technical_gap"] > 10 and gap["service_gap"] < -10
    assert gap["difference_low"] > 0  # the interval excludes "no difference"
    industry = planted.scores[planted.scores["scope"] == "industry"].set_index(["certificate_id", "group"])["score"]
    assert industry[("T1", "C")] > industry[("T1", "Q")] and industry[("S1", "Q")] > industry[("S1", "C")]


def test_small_groups_are_suppressed_with_their_reason(planted: object) -> None:
    assert "RARE" not in set(planted.scores["certificate_id"])
    rare = planted.suppressed[planted.suppressed["certificate_id"] == "RARE"]
    assert rare["reason"].iloc[0] == "보유자 8명(기준 30명 미만)"
    assert planted.metrics["certificates_suppressed"] == 1


def test_weights_sum_to_one_and_intervals_hold_the_estimates(planted: object) -> None:
    for _, group in planted.weights.groupby("scope"):
        assert group["weight"].sum() == pytest.approx(1.0)
        assert (group["weight_low"] <= group["weight_high"]).all()
    scores = planted.scores
    assert scores["score"].between(0, 100).all()
    assert ((scores["score_low"] <= scores["score_high"]) & (scores["rank_low"] <= scores["rank_high"])).all()
    assert planted.metrics["worked_example_max_error"] < 1e-4


def test_the_bootstrap_is_seeded() -> None:
    frame, holdings = _planted(n=2500, seed=1)
    first = analyse_certificates(frame, holdings, NAMES, AnalysisSettings(bootstrap=8, seed=11), populations=("young",))
    again = analyse_certificates(frame, holdings, NAMES, AnalysisSettings(bootstrap=8, seed=11), populations=("young",))
    other = analyse_certificates(frame, holdings, NAMES, AnalysisSettings(bootstrap=8, seed=12), populations=("young",))
    pd.testing.assert_frame_equal(first.scores, again.scores)
    assert first.scores["score"].tolist() == other.scores["score"].tolist()  # the estimate needs no seed
    assert first.scores["score_low"].tolist() != other.scores["score_low"].tolist()


def test_the_adjustment_removes_an_age_difference() -> None:
    """Holders are older and older seekers do better, but no certificate changes anything: the raw
    employment gap is large, the adjusted one near 0."""
    frame, holdings = _planted(n=8000, seed=2, confounded=True)
    result = analyse_certificates(frame, holdings, NAMES, AnalysisSettings(bootstrap=0), populations=("young",))
    pooled = result.scores[result.scores["scope"] == "pooled"].set_index("certificate_id")
    holders = set(holdings.loc[holdings["certificate_id"] == "T1", "seeker_id"])
    is_holder = frame["seeker_id"].isin(holders)
    raw_gap = 100 * (frame.loc[is_holder, "employed_180d"].mean() - frame.loc[~is_holder, "employed_180d"].mean())
    assert raw_gap > 4
    assert abs(pooled.loc["T1", "employed_180d"]) < raw_gap / 2


def test_a_population_without_enough_holders_scores_nothing_and_says_why() -> None:
    frame, holdings = _planted(n=300, seed=4)
    result = analyse_certificates(frame, holdings, NAMES, AnalysisSettings(bootstrap=3, min_holders=500))
    assert result.scores.empty and result.weights.empty
    assert set(result.suppressed["reason"].str.endswith("(기준 500명 미만)")) == {True}
    assert result.metrics["certificates_scored"] == 0


def test_bad_input_is_refused() -> None:
    frame, holdings = _planted(n=500)
    with pytest.raises(InvalidInput):
        analyse_certificates(frame.drop(columns=["retained_6m"]), holdings, NAMES)
    with pytest.raises(InvalidInput):
        analyse_certificates(frame, holdings, NAMES, AnalysisSettings(min_holders=0))
    with pytest.raises(InvalidInput):
        analyse_certificates(frame, holdings, NAMES, populations=("children",))


def test_indicator_directions() -> None:
    assert dict(zip(INDICATOR_KEYS, BENEFIT, strict=True)) == {
        "employed_180d": True, "days_to_employment": False, "log_wage": True, "large_firm": True, "retained_6m": True}


# --------------------------------------------------------------------------- the world's jobs


def test_the_world_records_a_job_for_every_employed_seeker(world_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(world_url)
    with engine.connect() as conn:
        employed = conn.execute(text("select count(*) from seeker_outcomes where employed_180d")).scalar()
        jobs = pd.read_sql(text("select * from seeker_jobs"), conn)
        board = conn.execute(text(
            "select count(*) from seeker_jobs j join hires h on h.seeker_id = j.seeker_id and h.posting_id = j.posting_id"
        )).scalar()
        values = conn.execute(text("select count(*), count(distinct industry_code) from truth_certificate_values")).one()
    engine.dispose()
    assert len(jobs) == employed
    assert board == jobs["posting_id"].notna().sum()  # a board job is the hire's posting
    started, ended = pd.to_datetime(jobs["started_on"]), pd.to_datetime(jobs["ended_on"])
    assert (ended.dropna() > started[ended.notna()]).all()
    assert 0.2 < ended.isna().mean() < 0.9  # some jobs last past the observation end (censored)
    assert jobs["size_code"].isin(["S1", "S2", "S3", "S4", "S5"]).all() and (jobs["wage_monthly"] > 0).all()
    assert values[1] == 21
