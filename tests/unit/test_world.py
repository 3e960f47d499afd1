"""The synthetic world: determinism, calibration of headline rates, validity of what it writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.rrn import load_rrn_cipher
from app.labour import hourly_equivalent
from app.reference.identifiers import business_no_is_valid, rrn_check_digit_ok
from app.reference.tables import load_reference
from app.world.generate import WorldSummary, generate_world


def _small(tmp_path_factory: pytest.TempPathFactory, name: str, seed: int) -> tuple[Engine, WorldSummary]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp(name) / 'world.db'}")
    return engine, generate_world(engine, size="small", seed=seed)


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, WorldSummary]:
    return _small(tmp_path_factory, "small_a", seed=7)


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, WorldSummary]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'world.db'}")
    return engine, generate_world(engine, size="demo", seed=20261123)


def _frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(text(sql)).mappings().all())


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_database(small_world, tmp_path_factory) -> None:
    _, first = small_world
    _, again = _small(tmp_path_factory, "small_b", seed=7)
    assert again.fingerprint == first.fingerprint
    assert again.rows == first.rows


def test_another_seed_gives_another_database(small_world, tmp_path_factory) -> None:
    _, first = small_world
    _, other = _small(tmp_path_factory, "small_c", seed=8)
    assert other.fingerprint != first.fingerprint


def test_small_world_has_every_table_filled(small_world) -> None:
    _, summary = small_world
    assert summary.rows["postings"] == 400
    assert summary.rows["seekers"] == 600
    empty = [table for table, count in summary.rows.items() if count == 0]
    assert empty == []


def test_unknown_size_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="알 수 없는 세계 크기"):
        generate_world(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), size="huge")


# --------------------------------------------------------------------------- validity


def test_business_numbers_have_valid_check_digits_and_are_unique(small_world) -> None:
    engine, _ = small_world
    employers = _frame(engine, "SELECT business_no FROM employers")
    assert employers["business_no"].map(business_no_is_valid).all()
    assert employers["business_no"].is_unique


def test_resident_numbers_are_well_formed_and_match_birth_date(small_world) -> None:
    engine, _ = small_world
    seekers = _frame(engine, "SELECT rrn_encrypted, birth_date, sex FROM seekers")
    cipher = load_rrn_cipher()
    seekers["rrn"] = seekers["rrn_encrypted"].map(cipher.decrypt)
    assert seekers["rrn"].str.fullmatch(r"\d{6}-[1-4]\d{6}").all()
    assert seekers["rrn"].map(rrn_check_digit_ok).all()
    birth = pd.to_datetime(seekers["birth_date"])
    assert (seekers["rrn"].str[:6] == birth.dt.strftime("%y%m%d")).all()
    male_digit = seekers["rrn"].str[7].isin(["1", "3"])
    assert (male_digit == (seekers["sex"] == "M")).all()


def test_resumes_carry_the_seekers_pii_for_masking_work(small_world) -> None:
    engine, _ = small_world
    seekers = _frame(engine, "SELECT phone, email, resume_text FROM seekers")
    has_phone = [p in r for p, r in zip(seekers["phone"], seekers["resume_text"], strict=True)]
    has_email = [e in r for e, r in zip(seekers["email"], seekers["resume_text"], strict=True)]
    assert np.mean(has_phone) > 0.9
    assert np.mean(has_email) > 0.9


def test_only_labelled_postings_pay_below_the_minimum_wage_of_their_year(demo_world) -> None:
    engine, _ = demo_world
    ref = load_reference()
    minimum = ref.minimum_wage.set_index("year")["hourly"]
    postings = _frame(
        engine,
        "SELECT p.id, p.year, p.wage_type, p.wage_amount, p.weekly_hours, l.rule_id FROM postings p "
        "LEFT JOIN posting_labels l ON l.posting_id = p.id AND l.rule_id = 'BELOW_MIN_WAGE'",
    )
    hourly = hourly_equivalent(postings["wage_type"].to_numpy(), postings["wage_amount"].to_numpy(float),
                               postings["weekly_hours"].to_numpy(float))
    below = hourly < postings["year"].map(minimum).to_numpy(float) - 1e-6
    labelled = postings["rule_id"].notna().to_numpy()
    assert (below == labelled).all()
    share_by_year = pd.Series(below).groupby(postings["year"].to_numpy()).mean()
    assert set(share_by_year.index) == {2024, 2025, 2026}
    assert ((share_by_year > 0.002) & (share_by_year < 0.03)).all(), share_by_year.to_dict()


def test_no_lawful_posting_exceeds_52_weekly_hours(demo_world) -> None:
    engine, _ = demo_world
    postings = _frame(
        engine,
        "SELECT p.weekly_hours, l.rule_id FROM postings p "
        "LEFT JOIN posting_labels l ON l.posting_id = p.id AND l.rule_id = 'EXCESS_HOURS'",
    )
    assert ((postings["weekly_hours"] > 52) == postings["rule_id"].notna()).all()


# --------------------------------------------------------------------------- calibration (demo size)


def test_headline_rates_match_the_domain_facts(demo_world) -> None:
    _, summary = demo_world
    cal = summary.calibration
    assert 0.08 <= cal["unfilled_rate"] <= 0.10, cal  # 미충원율 8.3–9.6 % (2024)
    assert 6.5 <= cal["applications_per_posting"] <= 7.5, cal  # ≈ 7 applications per posting
    assert 0.27 <= cal["benefit_reemployment_rate"] <= 0.33, cal  # ≈ 30 % of 구직급여 recipients
    assert 0.08 <= cal["violation_share"] <= 0.10, cal  # 8–10 % postings with a legal problem


def test_demo_world_has_the_promised_size(demo_world) -> None:
    _, summary = demo_world
    assert summary.rows["seekers"] == 20_000
    assert summary.rows["postings"] == 8_000


def test_reemployment_gaps_follow_the_published_direction(demo_world) -> None:
    """Men above women, 60+ lowest (2018: men 35.7 %, women 22.3 %, 60+ 19.3 %)."""
    engine, _ = demo_world
    s = _frame(engine, "SELECT s.sex, s.age, o.employed_180d FROM seekers s JOIN seeker_outcomes o ON o.seeker_id = s.id")
    by_sex = s.groupby("sex")["employed_180d"].mean()
    assert by_sex["M"] > by_sex["F"] + 0.03
    old = s[s["age"] >= 60]["employed_180d"].mean()
    prime = s[(s["age"] >= 30) & (s["age"] < 50)]["employed_180d"].mean()
    assert old < prime - 0.05


def test_observed_outcomes_follow_the_true_probabilities(demo_world) -> None:
    """Realised fill rate within 3 standard errors of the mean true probability (sampling is honest)."""
    engine, _ = demo_world
    joined = _frame(engine, "SELECT o.filled_30d, t.p_fill_30d FROM posting_outcomes o JOIN truth_postings t USING (posting_id)")
    p = joined["p_fill_30d"].to_numpy(float)
    se = np.sqrt(np.sum(p * (1 - p))) / len(p)
    assert abs(joined["filled_30d"].mean() - p.mean()) < 3 * se
    # Higher true probability → filled more often (the truth is informative, AUC well above 0.5).
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(joined["filled_30d"].astype(int), p) > 0.65


def test_wages_are_higher_in_seoul_than_in_jeju_for_the_same_occupations(demo_world) -> None:
    engine, _ = demo_world
    p = _frame(engine, "SELECT region_code, wage_monthly, weekly_hours FROM postings WHERE employment_type = '정규직'")
    per_hour = p["wage_monthly"] / p["weekly_hours"]
    medians = per_hour.groupby(p["region_code"]).median()
    assert medians["11"] > medians["50"]


def test_posted_wages_follow_the_occupation_wage_bands(demo_world) -> None:
    """Median posted full-time wage per occupation tracks the reference band (KNOW-derived)."""
    from scipy.stats import spearmanr

    from app.labour import paid_monthly_hours

    engine, _ = demo_world
    p = _frame(engine, "SELECT keco_code, wage_monthly, weekly_hours FROM postings")
    p["fte"] = p["wage_monthly"] * 209 / paid_monthly_hours(p["weekly_hours"].to_numpy(float))
    counts = p["keco_code"].value_counts()
    medians = p[p["keco_code"].isin(counts[counts >= 20].index)].groupby("keco_code")["fte"].median()
    band = load_reference().occupations.set_index("keco_code")["wage_median"].loc[medians.index]
    rho, _ = spearmanr(medians.to_numpy(), band.to_numpy())
    assert rho > 0.85
    assert np.median(np.abs(medians.to_numpy() / band.to_numpy() - 1)) < 0.10


def test_service_logs_show_mobile_authentication_as_a_bottleneck(demo_world) -> None:
    """본인인증 fails more on mobile; every error is followed by a retry or a drop-out."""
    engine, _ = demo_world
    events = _frame(engine, "SELECT session_id, step_order, step, status, device FROM service_events ORDER BY id")
    auth = events[events["step"] == "본인인증"]
    error_rate = auth.assign(err=auth["status"] == "error").groupby("device")["err"].mean()
    assert error_rate["mobile"] > error_rate["pc"] + 0.03
    after_error = events.shift(-1)[events["status"] == "error"]
    assert after_error["status"].isin(["ok", "dropout"]).all()
    assert (after_error["step"] == events.loc[after_error.index, "step"]).all()
