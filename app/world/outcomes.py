"""Sample observed outcomes from the truth equations: posting fills and seeker employment.

Returns observed columns and, separately, the truth columns that go to the ``truth_*`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.reference.codes import SERVICES
from app.world import params, truth


@dataclass(frozen=True)
class MarketDemand:
    """Observable market tightness: log of vacancies per seeker relative to the national ratio."""

    by_region: dict[str, float]
    by_occupation: dict[str, float]


def compute_market_demand(postings: pd.DataFrame, seekers: pd.DataFrame) -> MarketDemand:
    """Vacancies-per-seeker ratios by region and by desired occupation (log, vs national)."""
    national = len(postings) / max(len(seekers), 1)
    p_region = postings["region_code"].value_counts()
    s_region = seekers["desired_region_code"].value_counts()
    by_region = {
        code: float(np.log(((p_region.get(code, 0) + 1) / (s_region.get(code, 0) + 1)) / national))
        for code in sorted(set(p_region.index) | set(s_region.index))
    }
    p_occ = postings["keco_code"].value_counts()
    s_occ = seekers["desired_keco"].value_counts()
    by_occ = {
        code: float(np.clip(np.log(((p_occ.get(code, 0) + 1) / (s_occ.get(code, 0) + 1)) / national), -1.5, 1.5))
        for code in sorted(set(p_occ.index) | set(s_occ.index))
    }
    return MarketDemand(by_region=by_region, by_occupation=by_occ)


def simulate_postings(
    postings: pd.DataFrame, demand: MarketDemand, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, truth.HiringParameters]:
    """Sample fill time, fill flags and application counts for every posting.

    Returns:
        (observed outcomes, truth rows, calibrated hiring parameters).
    """
    frame = postings.assign(log_tightness=postings["region_code"].map(demand.by_region).fillna(0.0))
    eta = truth.posting_attractiveness(frame)
    window = postings["window_days"].to_numpy(float)
    hiring = truth.calibrate_hiring(eta, window)
    days = truth.sample_days_to_fill(eta, hiring, rng)
    filled = days <= window
    lam = truth.expected_applications(eta)
    n_app = rng.poisson(lam)
    n_app = np.where(filled, np.maximum(n_app, 1), n_app)
    days_int = np.maximum(np.ceil(days), 1).astype(int)
    observed = pd.DataFrame(
        {
            "posting_id": postings["id"].to_numpy(),
            "n_applications": n_app.astype(int),
            "filled": filled,
            "filled_30d": days <= 30.0,
            "days_to_fill": np.where(filled, days_int, -1),
        }
    )
    truth_rows = pd.DataFrame(
        {
            "posting_id": postings["id"].to_numpy(),
            "attractiveness": eta,
            "p_fill_30d": truth.fill_probability(eta, 30.0, hiring),
            "p_fill_by_close": truth.fill_probability(eta, window, hiring),
            "expected_days": truth.expected_days_to_fill(eta, hiring),
            "expected_applications": lam,
            "market_wage": np.round(postings["market_wage"].to_numpy(float)).astype(np.int64),
        }
    )
    return observed, truth_rows, hiring


def assign_services(seekers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Which services each seeker received (confounded assignment, see truth.service_propensity_logit).

    Returns a boolean column per service (``received_training`` means *enrolled*; completion is
    decided with the course in ``activity.enrol_in_courses``).
    """
    logits = truth.service_propensity_logit(seekers)
    out = pd.DataFrame(index=seekers.index)
    for service in SERVICES:
        p = 1.0 / (1.0 + np.exp(-logits[service]))
        out[f"received_{service}"] = rng.random(len(seekers)) < p
    return out


def simulate_employment(
    seekers: pd.DataFrame, demand: MarketDemand, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, truth.EmploymentParameters]:
    """Sample insured employment within 180 days for every seeker.

    ``seekers`` must carry ``received_*`` service flags, ``training_completed`` and
    ``course_effect_extra`` (the completed course's effect beyond the seeker's own part, 0 when no course).

    Returns:
        (observed outcomes, truth rows, calibrated employment parameters).
    """
    frame = seekers.assign(
        log_region_demand=seekers["desired_region_code"].map(demand.by_region).fillna(0.0),
        log_occupation_demand=seekers["desired_keco"].map(demand.by_occupation).fillna(0.0),
    )
    base = truth.seeker_base_logit(frame)
    effects = truth.service_effects_logit(frame)
    # Counterfactual effects are for an average relevant course when the seeker took none.
    effects_avg_course = truth.service_effects_logit(
        frame.assign(course_effect_extra=truth.GAP_EFFECT * truth.AVERAGE_GAP_COVERAGE))
    received = {
        "training": frame["training_completed"].to_numpy(bool),
        "matching": frame["received_matching"].to_numpy(bool),
        "nes": frame["received_nes"].to_numpy(bool),
        "counselling": frame["received_counselling"].to_numpy(bool),
    }
    service_sum = sum(effects[s] * received[s] for s in SERVICES)
    employment = truth.calibrate_employment(base + service_sum, frame["benefit_status"].to_numpy(bool))
    logit = employment.intercept + base + service_sum
    p = truth.employment_probability(logit)
    p_none = truth.employment_probability(employment.intercept + base)
    employed = rng.random(len(frame)) < p
    # Days to employment: front-loaded within the horizon (mean search ≈ 2.6–2.8 months, §4.5).
    days = np.ceil(params.EMPLOYMENT_HORIZON_DAYS * rng.beta(1.3, 1.7, len(frame))).astype(int)
    observed = pd.DataFrame(
        {
            "seeker_id": frame["id"].to_numpy(),
            "employed_180d": employed,
            "days_to_employment": np.where(employed, np.maximum(days, 1), -1),
        }
    )
    truth_rows = pd.DataFrame({"seeker_id": frame["id"].to_numpy(), "logit": logit, "p_employed_180d": p,
                               "p_employed_no_service": p_none})
    for service in SERVICES:
        eff = effects[service] if service != "training" else np.where(
            received["training"], effects["training"], effects_avg_course["training"]
        )
        truth_rows[f"effect_{service}"] = truth.employment_probability(employment.intercept + base + eff) - p_none
    for letter in "riasec":
        truth_rows[f"theta_{letter}"] = frame[f"theta_{letter}"].to_numpy(float)
    truth_rows["barriers"] = [";".join(b) for b in truth.employment_barriers(frame)]
    return observed, truth_rows, employment
