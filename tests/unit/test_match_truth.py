"""The matching ground truth: applications and hires follow the true utilities, the truth tables
hold them, and the oracle recomputes them from the database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.world import truth
from app.world.generate import generate_world
from app.world.match_oracle import MatchOracle, oracle_hire_scores, oracle_scores_matrix


@pytest.fixture(scope="module")
def engine(world_db: Path) -> Engine:
    return make_engine(f"sqlite:///{world_db}")


def _frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(text(sql)).mappings().all())


@pytest.fixture(scope="module")
def pairs(engine: Engine) -> pd.DataFrame:
    frame = _frame(engine, """
        SELECT t.*, p.keco_code AS posting_keco, s.desired_keco
        FROM truth_pairs t JOIN postings p ON p.id = t.posting_id JOIN seekers s ON s.id = t.seeker_id""")
    return frame.astype({"applied": bool, "hired": bool})


# --------------------------------------------------------------------------- the truth tables


def test_every_application_and_board_hire_is_a_truth_pair(engine, pairs) -> None:
    applications = _frame(engine, "SELECT posting_id, seeker_id FROM applications")
    applied = pairs[pairs["applied"]]
    assert len(applied) == len(applications)
    assert set(zip(applied["posting_id"], applied["seeker_id"], strict=True)) == set(
        zip(applications["posting_id"], applications["seeker_id"], strict=True))
    hires = _frame(engine, "SELECT posting_id, seeker_id FROM hires WHERE seeker_id IS NOT NULL")
    hired = pairs[pairs["hired"]]
    assert set(zip(hired["posting_id"], hired["seeker_id"], strict=True)) == set(
        zip(hires["posting_id"], hires["seeker_id"], strict=True))
    assert hired["applied"].all()


def test_each_posting_stores_up_to_twenty_non_applicants(pairs) -> None:
    per_posting = pairs[~pairs["applied"]].groupby("posting_id").size()
    assert per_posting.max() == 20
    assert per_posting.median() == 20


def test_every_seeker_has_hidden_preferences(engine) -> None:
    prefs = _frame(engine, "SELECT * FROM truth_match_seekers")
    n_seekers = _frame(engine, "SELECT count(*) AS n FROM seekers")["n"].iat[0]
    assert len(prefs) == n_seekers
    assert set(prefs["preferred_employment_type"]) <= {"정규직", "계약직", "시간제", "일용직"}
    assert prefs["region_tolerance"].between(0, 1).all()
    assert prefs["preferred_weekly_hours"].between(12, 52).all()


def test_the_same_seed_gives_the_same_matching_truth(world_db, tmp_path) -> None:
    again = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    generate_world(again, size="small", seed=7)
    for table in ("truth_pairs", "truth_match_seekers", "applications", "hires"):
        first = _frame(make_engine(f"sqlite:///{world_db}"), f"SELECT * FROM {table}")
        pd.testing.assert_frame_equal(_frame(again, f"SELECT * FROM {table}"), first)


# --------------------------------------------------------------------------- applications follow the utility


def test_applicants_want_the_posting_more_than_the_other_candidates(pairs) -> None:
    applied, others = pairs[pairs["applied"]], pairs[~pairs["applied"]]
    # measured on the small world: −1.3 against −4.4
    assert applied["apply_utility"].mean() > others["apply_utility"].mean() + 2.0


def test_applicants_share_the_postings_occupation_more_often_than_a_uniform_draw(pairs) -> None:
    """The non-applicants are a uniform sample of the same candidate pools (what uniform draws
    gave before the truth drove them)."""
    same = pairs["posting_keco"] == pairs["desired_keco"]
    assert same[pairs["applied"]].mean() > 3 * same[~pairs["applied"]].mean()


def test_the_hired_applicant_is_wanted_more_than_the_others(pairs) -> None:
    filled = pairs[pairs["applied"] & pairs["posting_id"].isin(pairs.loc[pairs["hired"], "posting_id"])]
    assert filled.loc[filled["hired"], "hire_utility"].mean() > filled.loc[~filled["hired"], "hire_utility"].mean() + 0.1


def test_calibration_figures_still_hold(engine) -> None:
    meta = _frame(engine, "SELECT key, value FROM world_meta").set_index("key")["value"].astype(str)
    assert 6.5 <= float(meta["calibration.applications_per_posting"]) <= 7.5
    assert 0.06 <= float(meta["calibration.unfilled_rate"]) <= 0.13  # 400 postings: ±1.5 %p sampling error


# --------------------------------------------------------------------------- the utilities themselves


def _features(**changes) -> truth.PairFeatures:
    base = dict(
        occupation_fit=np.array([3]), experience_fit=np.array([0]), skill_overlap=np.array([0.5]),
        log_wage_ratio=np.array([0.0]), outside_desired_region=np.array([False]), in_home_region=np.array([True]),
        region_tolerance=np.array([0.2]), preferred_type=np.array([0]), posting_type=0,
        log_hours_ratio=np.array([0.0]), career_years=np.array([4.0]), entry_level=False, experience_counts=True,
        min_career_years=2.0, education_deficit=np.array([0]), relevant_certificates=np.array([0]),
    )
    base.update({k: np.atleast_1d(v) if k not in ("posting_type", "entry_level", "experience_counts", "min_career_years")
                 else v for k, v in changes.items()})
    return truth.PairFeatures(**base)


def test_a_wage_below_the_desired_one_hurts_more_than_one_above_helps() -> None:
    neutral = truth.apply_utility(_features())[0]
    below = truth.apply_utility(_features(log_wage_ratio=np.log(0.9)))[0]
    above = truth.apply_utility(_features(log_wage_ratio=np.log(1.1)))[0]
    assert neutral - below > 3 * (above - neutral) > 0


def test_region_tolerance_softens_the_penalty_of_another_region() -> None:
    def away(tolerance: float) -> float:
        return truth.apply_utility(_features(outside_desired_region=True, in_home_region=False,
                                             region_tolerance=tolerance))[0]

    home = truth.apply_utility(_features())[0]
    assert home - away(0.0) == pytest.approx(truth.REGION_APPLY)
    assert home - away(0.9) == pytest.approx(0.1 * truth.REGION_APPLY)


def test_employers_prefer_applicants_who_meet_the_requirements() -> None:
    meets = truth.hire_utility(_features())[0]
    short = truth.hire_utility(_features(career_years=0.0))[0]
    unschooled = truth.hire_utility(_features(education_deficit=2))[0]
    certified = truth.hire_utility(_features(relevant_certificates=1))[0]
    assert short < meets and unschooled < meets < certified


def test_older_seekers_prefer_part_time_and_daily_work_more_often() -> None:
    rng = np.random.default_rng(3)
    n = 4_000
    shares = np.tile([0.55, 0.25, 0.15, 0.05], (n, 1))
    young = truth.draw_match_preferences(np.full(n, 25), shares, np.zeros(n, bool), rng)
    old = truth.draw_match_preferences(np.full(n, 62), shares, np.ones(n, bool), rng)
    assert (old["preferred_type"] >= 2).mean() > 2 * (young["preferred_type"] >= 2).mean()
    assert old["region_tolerance"].mean() > young["region_tolerance"].mean() + 0.3


# --------------------------------------------------------------------------- the oracle


def test_the_oracle_recomputes_the_stored_utilities(engine, pairs) -> None:
    postings = pairs["posting_id"].drop_duplicates().iloc[:60]
    oracle = MatchOracle(engine)
    for posting_id in postings:
        stored = pairs[pairs["posting_id"] == posting_id]
        apply_u, hire_u = oracle.utilities([int(posting_id)], stored["seeker_id"].tolist())
        np.testing.assert_allclose(apply_u[0], stored["apply_utility"], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(hire_u[0], stored["hire_utility"], rtol=1e-9, atol=1e-9)


def test_the_oracle_scores_any_seeker_and_ranks_applicants_first(engine, pairs) -> None:
    posting_id = int(pairs.groupby("posting_id")["applied"].sum().idxmax())
    seekers = _frame(engine, "SELECT id FROM seekers")["id"].tolist()
    scores = oracle_hire_scores(engine, posting_id, seekers + [10**9])
    assert np.isnan(scores[-1]) and np.isfinite(scores[:-1]).all()
    applicants = set(pairs.loc[(pairs["posting_id"] == posting_id) & pairs["applied"], "seeker_id"])
    is_applicant = np.array([s in applicants for s in seekers])
    assert scores[:-1][is_applicant].mean() > scores[:-1][~is_applicant].mean()
    matrix = oracle_scores_matrix(engine, [posting_id, posting_id + 1], seekers[:50])
    np.testing.assert_allclose(matrix[0], scores[:50])
    assert matrix.shape == (2, 50)


def test_the_oracle_refuses_an_unknown_posting(engine) -> None:
    with pytest.raises(KeyError):
        oracle_hire_scores(engine, 10**9, [1])
