"""Ground-truth equations of the synthetic world.

Every observed outcome in the world is sampled from the probabilities defined here. The same
probabilities are stored in the ``truth_*`` tables so that evaluation can compare a trained model
with the best any model could do (the oracle). **Models never import this module** (a unit test
enforces it); only ``app/world`` (to sample) and evaluation code (to grade) do.

The equations are deliberately explicit and documented, with coefficients chosen to reproduce the
headline figures of ``../shared/guide/domain-facts.md`` (§4): about 7 applications per posting,
8–10 % of postings unfilled by their close date, about 30 % of 구직급여 recipients re-employed
within the benefit period, men re-employed more often than women, the 60+ group least often.
Intercepts are calibrated numerically on each generated population (see ``calibrate_*``), so the
headline rates hold for every world size and seed.

Hiring process (per posting)
    Time to fill ``T`` follows a Weibull distribution with shape ``FILL_SHAPE`` whose scale falls
    with the posting's attractiveness ``η``:  ``P(T ≤ t) = 1 − exp(−exp(k·ln t + c + η))``.
    ``η`` is a sum of additive terms of posting and market features (:func:`posting_attractiveness`),
    all observable on the posting, so the oracle is reachable in principle.

Employment process (per seeker)
    ``P(employed within 180 days) = σ(c + f(x) + Σ_s τ_s(x)·received_s)`` with person and market
    terms ``f`` (:func:`seeker_base_logit`) and heterogeneous service effects ``τ_s``
    (:func:`service_effects_logit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

# --------------------------------------------------------------------------- hiring

FILL_SHAPE = 1.3
"""Weibull shape of time to fill (>1: the hazard rises in the first weeks as applications arrive)."""

MEAN_APPLICATIONS = 7.0
"""Applications per posting (JobKorea 2021: 19.59M applications / 3.03M postings; domain-facts §4.4)."""

TARGET_UNFILLED = 0.09
"""Share of postings unfilled by their close date (미충원율 8.3–9.6 %, 2024; domain-facts §4.4)."""

EMPLOYMENT_TYPE_EFFECT: dict[str, float] = {"정규직": 0.35, "계약직": 0.0, "시간제": 0.10, "일용직": -0.15}
EDUCATION_REQUIREMENT_EFFECT: dict[str, float] = {
    "무관": 0.0,
    "고졸": -0.05,
    "전문대졸": -0.15,
    "대졸": -0.25,
    "석사": -0.50,
}
CAREER_EFFECT: dict[str, float] = {"신입": 0.05, "경력무관": 0.10, "경력": 0.0}
FIRM_SIZE_EFFECT: dict[str, float] = {"S1": -0.25, "S2": -0.10, "S3": 0.0, "S4": 0.15, "S5": 0.30}
MONTH_EFFECT: tuple[float, ...] = (0.10, 0.10, 0.15, 0.05, 0.0, -0.05, -0.10, -0.10, 0.0, 0.05, 0.0, -0.15)
"""Season: spring hiring season helps, summer holidays and December hurt (index 0 = January)."""

# Occupations that the 2024 vacancy surveys name as hard to fill (운수·창고 29.1 %, 제조 20.3 %
# 미충원율; domain-facts §4.4) get a negative term; KECO 대분류 → effect.
OCCUPATION_MAJOR_EFFECT: dict[str, float] = {
    "0": 0.15,
    "1": 0.05,
    "2": 0.10,
    "3": -0.05,
    "4": 0.10,
    "5": -0.10,
    "6": -0.25,
    "7": -0.20,
    "8": -0.30,
    "9": -0.15,
}

WAGE_ELASTICITY = 2.2  # η per unit of log(wage / market wage)
HOURS_SLOPE = 0.012  # η per weekly hour (more hours never help)
OVERTIME_SLOPE = 0.05  # extra η loss per hour above 40
WELFARE_ITEM_EFFECT = 0.08  # per non-statutory welfare item, up to WELFARE_CAP
WELFARE_CAP = 6
SOCIAL_INSURANCE_EFFECT = 0.25  # 4대보험 stated
CAREER_YEAR_EFFECT = -0.08  # per required year of experience
TIGHTNESS_EFFECT = -0.40  # per log of the region's vacancies-per-seeker ratio vs national
COMPLETENESS_EFFECT = 0.60  # per unit of posting completeness above 0.7


@dataclass(frozen=True)
class HiringParameters:
    """Calibrated constants of the hiring process of one world."""

    intercept: float
    """``c`` in ``P(T ≤ t) = 1 − exp(−exp(k·ln t + c + η))``."""


def market_wage(occupation_median: np.ndarray, region_wage_index: np.ndarray, cell_noise: np.ndarray) -> np.ndarray:
    """Monthly market wage of an occupation in a region.

    The occupation's median monthly wage scaled by the region's wage index with elasticity 0.6
    (regional gaps within an occupation are smaller than between regions overall) and a fixed
    occupation×region deviation ``cell_noise`` (log scale, drawn once per world).
    """
    return occupation_median * np.power(region_wage_index, 0.6) * np.exp(cell_noise)


def posting_attractiveness(p: pd.DataFrame) -> np.ndarray:
    """Linear index η of a posting's hiring hazard (higher = filled sooner).

    Args:
        p: One row per posting with columns ``wage_monthly_fte`` (monthly wage scaled to 40 h),
            ``market_wage``, ``weekly_hours``, ``employment_type``, ``n_welfare_extra`` (non-statutory
            welfare items), ``has_social_insurance``, ``career``, ``min_career_years``, ``education``,
            ``log_tightness`` (region vacancies-per-seeker ratio vs national, log), ``open_month``
            (1–12), ``completeness`` (0–1), ``size_code``, ``keco_major`` (first KECO digit).

    Returns:
        η per posting.
    """
    wage_term = WAGE_ELASTICITY * np.log(p["wage_monthly_fte"].to_numpy(float) / p["market_wage"].to_numpy(float))
    hours = p["weekly_hours"].to_numpy(float)
    hours_term = -HOURS_SLOPE * (hours - 40.0) - OVERTIME_SLOPE * np.maximum(hours - 40.0, 0.0)
    type_term = p["employment_type"].map(EMPLOYMENT_TYPE_EFFECT).to_numpy(float)
    welfare_term = WELFARE_ITEM_EFFECT * np.minimum(p["n_welfare_extra"].to_numpy(float), WELFARE_CAP)
    insurance_term = SOCIAL_INSURANCE_EFFECT * p["has_social_insurance"].to_numpy(float)
    career_term = p["career"].map(CAREER_EFFECT).to_numpy(float) + CAREER_YEAR_EFFECT * p[
        "min_career_years"
    ].to_numpy(float)
    education_term = p["education"].map(EDUCATION_REQUIREMENT_EFFECT).to_numpy(float)
    tightness_term = TIGHTNESS_EFFECT * p["log_tightness"].to_numpy(float)
    season_term = np.asarray(MONTH_EFFECT)[p["open_month"].to_numpy(int) - 1]
    completeness_term = COMPLETENESS_EFFECT * (p["completeness"].to_numpy(float) - 0.7)
    size_term = p["size_code"].map(FIRM_SIZE_EFFECT).to_numpy(float)
    occupation_term = p["keco_major"].map(OCCUPATION_MAJOR_EFFECT).to_numpy(float)
    return (
        wage_term
        + hours_term
        + type_term
        + welfare_term
        + insurance_term
        + career_term
        + education_term
        + tightness_term
        + season_term
        + completeness_term
        + size_term
        + occupation_term
    )


def fill_probability(eta: np.ndarray, days: np.ndarray | float, params: HiringParameters) -> np.ndarray:
    """``P(T ≤ days)`` for postings with attractiveness ``eta``."""
    days = np.maximum(np.asarray(days, dtype=float), 1e-9)
    return 1.0 - np.exp(-np.exp(FILL_SHAPE * np.log(days) + params.intercept + eta))


def expected_days_to_fill(eta: np.ndarray, params: HiringParameters) -> np.ndarray:
    """Mean of the Weibull time to fill, ``scale · Γ(1 + 1/k)``."""
    from scipy.special import gamma

    scale = np.exp(-(params.intercept + eta) / FILL_SHAPE)
    return scale * gamma(1.0 + 1.0 / FILL_SHAPE)


def sample_days_to_fill(eta: np.ndarray, params: HiringParameters, rng: np.random.Generator) -> np.ndarray:
    """Draw a time to fill (days, float) for each posting by inverting the Weibull CDF."""
    u = rng.random(len(eta))
    return np.exp((np.log(-np.log1p(-u)) - params.intercept - eta) / FILL_SHAPE)


def calibrate_hiring(eta: np.ndarray, window_days: np.ndarray, target_unfilled: float = TARGET_UNFILLED) -> HiringParameters:
    """Find the intercept that makes the expected unfilled share equal ``target_unfilled``."""

    def gap(c: float) -> float:
        p = fill_probability(eta, window_days, HiringParameters(intercept=c))
        return float(np.mean(1.0 - p) - target_unfilled)

    return HiringParameters(intercept=brentq(gap, -30.0, 30.0))


def expected_applications(eta: np.ndarray) -> np.ndarray:
    """Expected number of applications: attractive postings draw more (mean MEAN_APPLICATIONS)."""
    raw = np.exp(0.6 * (eta - np.mean(eta)))
    return MEAN_APPLICATIONS * raw / np.mean(raw)


# --------------------------------------------------------------------------- employment

TARGET_BENEFIT_REEMPLOYMENT = 0.30
"""Re-employment of 구직급여 recipients within the benefit period ≈ 28–30 % (2017–2023; §4.5)."""


AGE_BAND_EFFECT: tuple[tuple[int, float], ...] = ((25, -0.35), (35, 0.05), (50, 0.15), (60, -0.10), (200, -0.65))
"""(upper age bound, effect): 2018 re-employment <30 23.7 %, 30s 32.4 %, 40s 33.4 %, 60+ 19.3 % (§4.5)."""

EDUCATION_EFFECT: dict[str, float] = {"중졸이하": -0.30, "고졸": 0.0, "전문대졸": 0.10, "대졸": 0.20, "석사": 0.25}
SEX_EFFECT_FEMALE = -0.15  # residual gap after occupation/age; most of the 35.7 vs 22.3 % gap runs through them
DISABILITY_EFFECT = -0.30
CAREER_LOG_EFFECT = 0.25
WAGE_GAP_EFFECT = -1.2  # per log(desired wage / market wage)
REGION_DEMAND_EFFECT = 0.50  # per log of the region's vacancies-per-seeker ratio vs national
OCCUPATION_DEMAND_EFFECT = 0.30  # per log of postings-per-seeker of the desired occupation vs overall
CERTIFICATE_EFFECT = 0.15  # per relevant certificate, up to 3
BENEFIT_EFFECT = -0.25  # recipients search longer (reservation wage effect)
FLEXIBLE_REGION_EFFECT = 0.20


@dataclass(frozen=True)
class EmploymentParameters:
    """Calibrated constants of the employment process of one world."""

    intercept: float


def age_effect(age: np.ndarray) -> np.ndarray:
    """Piecewise age term of the employment logit."""
    age = np.asarray(age, dtype=float)
    bounds = np.array([b for b, _ in AGE_BAND_EFFECT], dtype=float)
    effects = np.array([e for _, e in AGE_BAND_EFFECT])
    return effects[np.searchsorted(bounds, age, side="right").clip(max=len(effects) - 1)]


def seeker_base_logit(s: pd.DataFrame) -> np.ndarray:
    """Person and market part ``f(x)`` of the employment logit (no intercept, no services).

    Args:
        s: One row per seeker with columns ``age``, ``sex``, ``disability``, ``education``,
            ``career_years``, ``desired_wage``, ``market_wage`` (of the desired occupation in the
            desired region), ``log_region_demand``, ``log_occupation_demand``,
            ``n_relevant_certificates``, ``benefit_status``, ``region_flexible``.
    """
    return (
        age_effect(s["age"].to_numpy())
        + SEX_EFFECT_FEMALE * (s["sex"].to_numpy() == "F")
        + DISABILITY_EFFECT * s["disability"].to_numpy(float)
        + s["education"].map(EDUCATION_EFFECT).to_numpy(float)
        + CAREER_LOG_EFFECT * np.log1p(s["career_years"].to_numpy(float))
        + WAGE_GAP_EFFECT * np.log(s["desired_wage"].to_numpy(float) / s["market_wage"].to_numpy(float))
        + REGION_DEMAND_EFFECT * s["log_region_demand"].to_numpy(float)
        + OCCUPATION_DEMAND_EFFECT * s["log_occupation_demand"].to_numpy(float)
        + CERTIFICATE_EFFECT * np.minimum(s["n_relevant_certificates"].to_numpy(float), 3)
        + BENEFIT_EFFECT * s["benefit_status"].to_numpy(float)
        + FLEXIBLE_REGION_EFFECT * s["region_flexible"].to_numpy(float)
    )


BARRIER_LABELS: dict[str, str] = {
    "age": "연령대(25세 미만 또는 60세 이상)",
    "low_education": "학력(중졸 이하)",
    "no_career": "경력 없음",
    "wage_gap": "시장임금보다 높은 희망임금",
    "weak_region_demand": "희망 지역의 적은 구인 수요",
    "weak_occupation_demand": "희망 직종의 적은 구인 수요",
    "no_relevant_certificate": "희망 직종 관련 자격증 없음",
    "benefit_search": "구직급여 수급 중 구직활동 지연",
}
"""Barriers to employment a counselling diagnosis should name (issue 18), each a term of
:func:`seeker_base_logit` that lowers the seeker's log-odds by at least :data:`BARRIER_MIN_EFFECT`
against a typical seeker. Sex and disability also lower it in this world but are not listed: a
diagnosis the seeker may read never turns on a protected attribute or sensitive data (개인정보 보호법
제23조), and no counselling step addresses them."""
BARRIER_MIN_EFFECT = 0.15
WAGE_GAP_BARRIER_RATIO = 1.15  # 1.2 × log(1.15) ≈ 0.17
REGION_DEMAND_BARRIER = -0.30  # 0.5 × 0.3 = 0.15
OCCUPATION_DEMAND_BARRIER = -0.50  # 0.3 × 0.5 = 0.15


def employment_barriers(s: pd.DataFrame) -> list[tuple[str, ...]]:
    """The true barriers of each seeker (:data:`BARRIER_LABELS` keys), from the same inputs as
    :func:`seeker_base_logit`: the age bands whose term is -0.35 or lower, 중졸이하 (-0.30), no career
    (-0.17 to -0.45 against 1–5 years), a desired wage 15 % or more above the market wage, a region or an
    occupation with demand that costs 0.15 or more, no certificate the occupation asks for (one is worth
    0.15), and 구직급여 (-0.25)."""
    age_term = age_effect(s["age"].to_numpy())
    flags = {
        "age": age_term <= -0.30,
        "low_education": (s["education"] == "중졸이하").to_numpy(),
        "no_career": s["career_years"].to_numpy(float) < 0.5,
        "wage_gap": s["desired_wage"].to_numpy(float) >= WAGE_GAP_BARRIER_RATIO * s["market_wage"].to_numpy(float),
        "weak_region_demand": s["log_region_demand"].to_numpy(float) <= REGION_DEMAND_BARRIER,
        "weak_occupation_demand": s["log_occupation_demand"].to_numpy(float) <= OCCUPATION_DEMAND_BARRIER,
        "no_relevant_certificate": s["n_relevant_certificates"].to_numpy(float) < 1,
        "benefit_search": s["benefit_status"].to_numpy(bool),
    }
    keys = list(BARRIER_LABELS)
    matrix = np.column_stack([np.asarray(flags[k], dtype=bool) for k in keys])
    return [tuple(k for k, on in zip(keys, row, strict=True) if on) for row in matrix]


def service_effects_logit(s: pd.DataFrame) -> dict[str, np.ndarray]:
    """Heterogeneous effect of each service on the employment logit.

    * training — large for young and high-school-educated seekers, fading after 55 and for those
      with long careers (they already have the skills); plus what the completed course adds
      (relevance, skill gap closed, quality: :func:`course_effect_logit`).
    * matching (집중 취업알선) — helps most those with little job-search capital (low education,
      older seekers).
    * nes (국민취업지원제도) — helps non-recipients of 구직급여 most (it targets them).
    * counselling — small, uniform.

    Args:
        s: Seekers with ``age``, ``education``, ``career_years``, ``benefit_status`` and
            ``course_effect_extra`` (the completed course's effect beyond
            :func:`person_training_effect_logit`, see :func:`course_effect_logit`; 0 without a course).
    """
    age = s["age"].to_numpy(float)
    high_school = s["education"].isin(["중졸이하", "고졸"]).to_numpy(float)
    training = person_training_effect_logit(s) + s["course_effect_extra"].to_numpy(float)
    matching = 0.20 + 0.20 * high_school + 0.15 * (age >= 50)
    nes = 0.15 + 0.25 * (1.0 - s["benefit_status"].to_numpy(float))
    counselling = np.full(len(s), 0.10)
    return {"training": training, "matching": matching, "nes": nes, "counselling": counselling}


def person_training_effect_logit(s: pd.DataFrame) -> np.ndarray:
    """The seeker's own part of the training effect, for a course of their desired occupation
    before the skill gap it closes and its quality (young and high-school-educated seekers gain
    most; it fades after 55 and with a long career)."""
    age = s["age"].to_numpy(float)
    high_school = s["education"].isin(["중졸이하", "고졸"]).to_numpy(float)
    career = s["career_years"].to_numpy(float)
    return (0.30 + 0.25 * high_school + 0.15 * (age < 35) - 0.30 * (age >= 55) - 0.015 * np.minimum(career, 15))


# --------------------------------------------------------------------------- training courses
#
# The effect of one course on one seeker (issue 17). Completing a course raises the employment
# logit by how relevant it is to the seeker's desired occupation, how much of the seeker's skill gap
# it closes and its quality; an unrelated course costs search time (lock-in). Whether the seeker
# completes it depends on the course (quality, length, an in-person course far from home) and the
# seeker. The expected uplift of recommending a course is P(complete) × the probability gain.

RELEVANCE_SAME_OCCUPATION = 1.0  # the course trains for the desired KECO 소분류
RELEVANCE_SAME_MIDDLE = 0.6  # another 소분류 of the same 중분류
RELEVANCE_SAME_MAJOR = 0.25  # same 대분류
GAP_EFFECT = 0.9  # logit, for a relevant course, per share of the seeker's skill gap it closes
AVERAGE_GAP_COVERAGE = 0.3  # what the counterfactual "an average relevant course" closes
LOCK_IN = 0.15  # logit lost by completing a course unrelated to the desired occupation
COMPLETION_BASE = 1.3  # logit: about 79 % of an average course's enrolled complete it
COMPLETION_QUALITY = 1.5  # per unit of course quality (sd 0.3)
COMPLETION_RELEVANCE = 0.5
COMPLETION_FAR = 1.0  # an in-person course outside the seeker's region
COMPLETION_LONG = 0.5  # 600 hours or more
COMPLETION_OLDER = 0.4  # seekers aged 50+


def course_relevance(desired_keco: np.ndarray, course_keco: np.ndarray) -> np.ndarray:
    """How relevant a course's target occupation is to the desired one (1 same 소분류 … 0 other 대분류)."""
    desired = pd.Series(np.asarray(desired_keco, dtype=object)).astype(str)
    course = pd.Series(np.asarray(course_keco, dtype=object)).astype(str)
    same = (desired == course).to_numpy()
    middle = (desired.str[:2] == course.str[:2]).to_numpy()
    major = (desired.str[:1] == course.str[:1]).to_numpy()
    return relevance_of_matches(same, middle, major)


def relevance_of_matches(same: np.ndarray, middle: np.ndarray, major: np.ndarray) -> np.ndarray:
    """:func:`course_relevance` from whether the 소분류, 중분류 and 대분류 codes match."""
    return np.where(same, RELEVANCE_SAME_OCCUPATION, np.where(
        middle, RELEVANCE_SAME_MIDDLE, np.where(major, RELEVANCE_SAME_MAJOR, 0.0)))


def split_skills(value: object) -> frozenset[str]:
    """The ';'-joined skill keywords of a seeker, course or occupation as a set."""
    return frozenset(part for part in str(value or "").split(";") if part)


def gap_coverage(seeker_skills: object, occupation_skills: object, course_skills: object) -> float:
    """Share of the skills the desired occupation needs and the seeker lacks that the course teaches
    (0 when nothing is missing: there is no gap to close)."""
    missing = split_skills(occupation_skills) - split_skills(seeker_skills)
    if not missing:
        return 0.0
    return len(missing & split_skills(course_skills)) / len(missing)


def course_effect_logit(person_effect: np.ndarray, relevance: np.ndarray, coverage: np.ndarray,
                        quality: np.ndarray) -> np.ndarray:
    """Employment-logit gain of completing a course (see the section comment)."""
    relevance = np.asarray(relevance, dtype=float)
    return (relevance * (np.asarray(person_effect, float) + GAP_EFFECT * np.asarray(coverage, float))
            - LOCK_IN * (1.0 - relevance) + np.asarray(quality, float))


def completion_logit(age: np.ndarray, relevance: np.ndarray, quality: np.ndarray, hours: np.ndarray,
                     far: np.ndarray) -> np.ndarray:
    """Logit of completing a course once enrolled."""
    return (COMPLETION_BASE + COMPLETION_QUALITY * np.asarray(quality, float)
            + COMPLETION_RELEVANCE * np.asarray(relevance, float) - COMPLETION_FAR * np.asarray(far, float)
            - COMPLETION_LONG * (np.asarray(hours, float) >= 600) - COMPLETION_OLDER * (np.asarray(age, float) >= 50))


def course_is_far(seeker_region: np.ndarray, course_region: np.ndarray, course_mode: np.ndarray) -> np.ndarray:
    """An in-person (집체·혼합) course outside the seeker's desired region."""
    return (np.asarray(course_mode, dtype=object) != "원격") & (
        np.asarray(seeker_region, dtype=object) != np.asarray(course_region, dtype=object))


def expected_course_uplift(p_no_service: np.ndarray, person_effect: np.ndarray, relevance: np.ndarray,
                           coverage: np.ndarray, quality: np.ndarray, p_complete: np.ndarray) -> np.ndarray:
    """True expected gain in the 6-month employment probability from being sent to a course:
    P(complete) × (P(employed | completed) − P(employed | no service))."""
    p0 = np.clip(np.asarray(p_no_service, float), 1e-6, 1 - 1e-6)
    logit0 = np.log(p0 / (1 - p0))
    gain = expit(logit0 + course_effect_logit(person_effect, relevance, coverage, quality)) - p0
    return np.asarray(p_complete, float) * gain


def employment_probability(logit: np.ndarray) -> np.ndarray:
    """Logistic link."""
    return expit(logit)


def calibrate_employment(
    logit_without_intercept: np.ndarray,
    benefit_status: np.ndarray,
    target: float = TARGET_BENEFIT_REEMPLOYMENT,
) -> EmploymentParameters:
    """Find the intercept that makes recipients' mean probability equal ``target``."""
    recipients = logit_without_intercept[np.asarray(benefit_status, dtype=bool)]
    if len(recipients) == 0:
        recipients = logit_without_intercept

    def gap(c: float) -> float:
        return float(np.mean(expit(recipients + c)) - target)

    return EmploymentParameters(intercept=brentq(gap, -30.0, 30.0))


def service_propensity_logit(s: pd.DataFrame) -> dict[str, np.ndarray]:
    """How likely each seeker is to receive each service (observational assignment).

    Assignment depends on the same covariates as the outcome (confounding): counsellors send
    young, low-career and benefit-receiving seekers to training; older and low-education seekers
    to intensive matching; non-recipients with low prospects to 국민취업지원제도. A causal method
    must adjust for this to recover :func:`service_effects_logit`.
    """
    age = s["age"].to_numpy(float)
    high_school = s["education"].isin(["중졸이하", "고졸"]).to_numpy(float)
    career = s["career_years"].to_numpy(float)
    benefit = s["benefit_status"].to_numpy(float)
    return {
        "training": -1.6 + 0.6 * (age < 35) + 0.5 * benefit - 0.03 * np.minimum(career, 20) - 0.5 * (age >= 60),
        "matching": -2.0 + 0.5 * high_school + 0.6 * (age >= 50),
        "nes": -2.2 + 1.0 * (1.0 - benefit) + 0.4 * (age < 35),
        "counselling": -1.0 + 0.3 * benefit + 0.2 * high_school,
    }


# --------------------------------------------------------------------------- matching
#
# Who applies to a posting and whom the employer hires (issue 15, 인재추천). Every application
# and hire of the world is sampled from the two utilities below, so a ranking of seekers for a
# posting (or of postings for a seeker) can be graded against the oracle ranking.
#
# Apply utility  u_a(s, p): how much seeker s wants posting p.
#     u_a = OCCUPATION_APPLY[fit] + SKILL_APPLY · overlap + EXPERIENCE_APPLY[exp]
#           + wage term (log offer / desired; below hurts WAGE_BELOW_APPLY, above helps WAGE_ABOVE_APPLY)
#           − REGION_APPLY · (1 − tolerance) · [not the desired region] · (HOME_REGION_SHARE if home region)
#           + TYPE_FIT_APPLY[preferred type, posting type] − hours term − career terms
# Hire utility   u_h(s, p): how much the employer wants applicant s.
#     u_h = OCCUPATION_HIRE[fit] + SKILL_HIRE · overlap + EXPERIENCE_HIRE[exp]
#           − CAREER_DEFICIT_HIRE · years short + EXPERIENCE_YEAR_HIRE · years (경력/경력무관)
#           − EDUCATION_DEFICIT_HIRE · levels short + CERTIFICATE_HIRE · relevant certificates
#           + APPLY_IN_HIRE · u_a (an applicant who really wants the job accepts the offer)
# Sampling (app/world/activity.py): the applicants of a posting are a Gumbel top-k draw from its
#     candidate pool, i.e. drawn without replacement with probability ∝ exp(u_a); the hire is one
#     eligible applicant drawn with probability ∝ exp(u_h). The Gumbel noise (sd 1.28) is the
#     only noise: everything in u_a and u_h except the hidden working pattern and region tolerance
#     (``truth_match_seekers``) is observable on the posting and the seeker's record or résumé.
#
# Fit levels relate the posting's KECO 소분류 to the seeker's desired occupation ("fit": 3 same
# 소분류, 2 same 중분류, 1 same 대분류, 0 none) and last occupation ("exp": 2 same 소분류, 1 same
# 중분류, 0 none or no career). ``overlap`` is the share of the seeker's skill keywords that are
# skills of the posting's occupation (0–1).

OCCUPATION_APPLY: tuple[float, ...] = (0.0, 0.4, 1.2, 2.2)
"""u_a by occupation fit level 0–3 (none, same 대분류, same 중분류, same 소분류 as desired)."""
SKILL_APPLY = 1.5  # per unit of skill overlap share
EXPERIENCE_APPLY: tuple[float, ...] = (0.0, 0.2, 0.6)
"""u_a by experience level 0–2 (last occupation: none/other, same 중분류, same 소분류)."""
WAGE_BELOW_APPLY = 5.0  # per log unit the offer (40-hour equivalent) falls short of the desired wage
WAGE_ABOVE_APPLY = 1.2  # per log unit above it (more money helps, but less than a shortfall hurts)
REGION_APPLY = 4.0  # a posting outside the desired region, for a seeker with no tolerance at all
HOME_REGION_SHARE = 0.5  # share of that penalty when the posting is in the seeker's home region
TYPE_FIT_APPLY: tuple[tuple[float, ...], ...] = (
    # posting:  정규직  계약직  시간제  일용직      preferred ↓
    (0.0, -0.7, -1.5, -2.0),  # 정규직
    (0.2, 0.0, -1.0, -1.2),  # 계약직
    (-0.8, -0.6, 0.0, -0.8),  # 시간제
    (-0.3, -0.3, -0.6, 0.0),  # 일용직
)
"""u_a by (hidden preferred employment type, posting's type), in ``EMPLOYMENT_TYPES`` order."""
HOURS_APPLY = 1.5  # per |log(posting hours / preferred hours)|
OVERTIME_HOURS_APPLY = 1.5  # extra, per log unit the posting's hours exceed the preferred hours
CAREER_SHORTFALL_APPLY = 0.35  # per year of experience below a 경력 posting's minimum
OVERQUALIFIED_APPLY = 0.15  # per career year above OVERQUALIFIED_FROM on a 신입 posting
OVERQUALIFIED_FROM = 3.0
OVERQUALIFIED_CAP = 10.0

OCCUPATION_HIRE: tuple[float, ...] = (0.0, 0.1, 0.4, 1.0)
"""u_h by occupation fit level 0–3."""
SKILL_HIRE = 1.2
EXPERIENCE_HIRE: tuple[float, ...] = (0.0, 0.3, 0.8)
"""u_h by experience level 0–2 (relevant experience is what employers screen for)."""
CAREER_DEFICIT_HIRE = 0.6  # per year below a 경력 posting's minimum, up to CAREER_DEFICIT_CAP years
CAREER_DEFICIT_CAP = 5.0
EXPERIENCE_YEAR_HIRE = 0.06  # per career year up to 10, on 경력 and 경력무관 postings
EDUCATION_DEFICIT_HIRE = 0.9  # per education level below the posting's requirement
CERTIFICATE_HIRE = 0.5  # per certificate of the posting's occupation held, up to CERTIFICATE_CAP
CERTIFICATE_CAP = 2
APPLY_IN_HIRE = 0.3

EDUCATION_RANK: dict[str, int] = {"무관": 0, "중졸이하": 0, "고졸": 1, "전문대졸": 2, "대졸": 3, "석사": 4}
"""Posting requirements and seekers' education on one scale (a requirement of 무관 is met by anyone)."""

PREFERENCE_AGE_TILT: tuple[tuple[int, tuple[float, ...]], ...] = (
    (30, (1.3, 1.0, 0.8, 0.5)),
    (55, (1.2, 1.0, 0.8, 0.8)),
    (200, (0.5, 1.0, 1.8, 1.6)),
)
"""(upper age bound, multipliers on the type shares of the desired occupation's postings): the
young want permanent jobs, seekers of 55 and over accept part-time and daily work far more."""
PREFERRED_HOURS: tuple[tuple[float, float, float, float], ...] = (
    (40.0, 3.0, 35.0, 52.0),  # 정규직: N(40, 3) within 35–52
    (40.0, 3.0, 35.0, 52.0),  # 계약직
    (23.0, 5.0, 12.0, 34.0),  # 시간제: about 23 hours a week
    (42.0, 4.0, 30.0, 52.0),  # 일용직
)
"""(mean, sd, low, high) of the hidden preferred weekly hours by preferred employment type."""
TOLERANCE_BETA: dict[bool, tuple[float, float]] = {True: (5.0, 2.0), False: (1.5, 5.0)}
"""Beta parameters of the hidden region tolerance (0 = only the desired region, 1 = anywhere) by the
observed ``region_flexible`` flag: flexible seekers mostly tolerate moves (mean 0.71), the others rarely (0.23)."""


@dataclass(frozen=True)
class PairFeatures:
    """What the two matching utilities read about (seeker, posting) pairs, one entry per pair.

    Every field is an array of equal length (or a scalar broadcast over the pairs, e.g. the
    posting's fields when one posting meets many seekers). Built by :mod:`app.world.matching`
    from the observed tables and the hidden preferences.

    Attributes:
        occupation_fit: 3 same 소분류 as desired, 2 same 중분류, 1 same 대분류, 0 none.
        experience_fit: Last occupation 2 same 소분류, 1 same 중분류, 0 other or none.
        skill_overlap: Share (0–1) of the seeker's skill keywords that belong to the posting's occupation.
        log_wage_ratio: ``log(posting's 40-hour monthly wage / seeker's desired monthly wage)``.
        outside_desired_region: The posting is not in the seeker's desired region.
        in_home_region: The posting is in the seeker's home (residence) region.
        region_tolerance: Hidden tolerance of a posting outside the desired region (0–1).
        preferred_type: Hidden preferred employment type (index into ``EMPLOYMENT_TYPES``).
        posting_type: The posting's employment type (index into ``EMPLOYMENT_TYPES``).
        log_hours_ratio: ``log(posting weekly hours / hidden preferred weekly hours)``.
        career_years: The seeker's years of career.
        entry_level: The posting hires 신입 (new entrants).
        experience_counts: The posting is 경력 or 경력무관 (experience is valued).
        min_career_years: The posting's minimum years (0 unless 경력).
        education_deficit: Education levels the seeker lacks for the posting's requirement (≥ 0).
        relevant_certificates: Certificates held that belong to the posting's occupation.
    """

    occupation_fit: np.ndarray
    experience_fit: np.ndarray
    skill_overlap: np.ndarray
    log_wage_ratio: np.ndarray
    outside_desired_region: np.ndarray
    in_home_region: np.ndarray
    region_tolerance: np.ndarray
    preferred_type: np.ndarray
    posting_type: np.ndarray | int
    log_hours_ratio: np.ndarray
    career_years: np.ndarray
    entry_level: np.ndarray | bool
    experience_counts: np.ndarray | bool
    min_career_years: np.ndarray | float
    education_deficit: np.ndarray
    relevant_certificates: np.ndarray


def apply_utility(f: PairFeatures) -> np.ndarray:
    """How much each seeker wants the posting: ``u_a`` of the matching section above.

    Args:
        f: Features of the pairs.

    Returns:
        One utility per pair (log-weight of the applicant draw; 0 ≈ a neutral posting).
    """
    wage = np.where(f.log_wage_ratio < 0, WAGE_BELOW_APPLY, WAGE_ABOVE_APPLY) * f.log_wage_ratio
    region = -REGION_APPLY * (1.0 - f.region_tolerance) * f.outside_desired_region * np.where(
        f.in_home_region, HOME_REGION_SHARE, 1.0
    )
    pattern = np.asarray(TYPE_FIT_APPLY)[f.preferred_type, f.posting_type]
    hours = -HOURS_APPLY * np.abs(f.log_hours_ratio) - OVERTIME_HOURS_APPLY * np.maximum(f.log_hours_ratio, 0.0)
    shortfall = np.maximum(f.min_career_years - f.career_years, 0.0)
    overqualified = np.clip(f.career_years - OVERQUALIFIED_FROM, 0.0, OVERQUALIFIED_CAP) * f.entry_level
    return (
        np.asarray(OCCUPATION_APPLY)[f.occupation_fit]
        + SKILL_APPLY * f.skill_overlap
        + np.asarray(EXPERIENCE_APPLY)[f.experience_fit]
        + wage
        + region
        + pattern
        + hours
        - CAREER_SHORTFALL_APPLY * shortfall
        - OVERQUALIFIED_APPLY * overqualified
    )


def hire_utility(f: PairFeatures, apply_u: np.ndarray | None = None) -> np.ndarray:
    """How much the employer wants each applicant: ``u_h`` of the matching section above.

    Args:
        f: Features of the pairs.
        apply_u: The pairs' :func:`apply_utility` (computed from ``f`` when omitted).

    Returns:
        One utility per pair (log-weight of the hire draw among eligible applicants).
    """
    if apply_u is None:
        apply_u = apply_utility(f)
    deficit = np.minimum(np.maximum(f.min_career_years - f.career_years, 0.0), CAREER_DEFICIT_CAP)
    years = EXPERIENCE_YEAR_HIRE * np.minimum(f.career_years, 10.0) * f.experience_counts
    return (
        np.asarray(OCCUPATION_HIRE)[f.occupation_fit]
        + SKILL_HIRE * f.skill_overlap
        + np.asarray(EXPERIENCE_HIRE)[f.experience_fit]
        - CAREER_DEFICIT_HIRE * deficit
        + years
        - EDUCATION_DEFICIT_HIRE * f.education_deficit
        + CERTIFICATE_HIRE * np.minimum(f.relevant_certificates, CERTIFICATE_CAP)
        + APPLY_IN_HIRE * apply_u
    )


def draw_match_preferences(
    age: np.ndarray, type_shares: np.ndarray, region_flexible: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Hidden working-pattern preferences, drawn once per seeker.

    The preferred employment type is drawn from the type mix of the desired occupation's postings
    tilted by age (:data:`PREFERENCE_AGE_TILT`); preferred weekly hours follow the type
    (:data:`PREFERRED_HOURS`); the region tolerance follows the observed ``region_flexible`` flag
    (:data:`TOLERANCE_BETA`). Models see none of these, only their traces in who applied where.

    Args:
        age: Age of each seeker.
        type_shares: Seekers × 4 shares of 정규직, 계약직, 시간제, 일용직 among postings of the
            seeker's desired occupation group.
        region_flexible: The seeker's observed flag.
        rng: Random stream.

    Returns:
        ``preferred_type`` (index into ``EMPLOYMENT_TYPES``), ``preferred_weekly_hours`` and
        ``region_tolerance``, one row per seeker.
    """
    age = np.asarray(age, dtype=float)
    bounds = np.array([b for b, _ in PREFERENCE_AGE_TILT], dtype=float)
    tilts = np.array([t for _, t in PREFERENCE_AGE_TILT])
    weights = np.asarray(type_shares, dtype=float) * tilts[np.searchsorted(bounds, age, side="right").clip(max=len(tilts) - 1)]
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    preferred = (rng.random(len(age))[:, None] > cumulative).sum(axis=1).clip(max=weights.shape[1] - 1)
    shape = np.asarray(PREFERRED_HOURS)[preferred]
    hours = np.clip(shape[:, 0] + shape[:, 1] * rng.standard_normal(len(age)), shape[:, 2], shape[:, 3]).round(1)
    flexible = np.asarray(region_flexible, dtype=bool)
    a = np.where(flexible, TOLERANCE_BETA[True][0], TOLERANCE_BETA[False][0])
    b = np.where(flexible, TOLERANCE_BETA[True][1], TOLERANCE_BETA[False][1])
    tolerance = rng.beta(a, b).round(4)
    return pd.DataFrame({"preferred_type": preferred.astype(int), "preferred_weekly_hours": hours,
                         "region_tolerance": tolerance})


# --------------------------------------------------------------------------- certificates and jobs (issue 19)
#
# Every employed seeker's insured job (``seeker_jobs``) has an industry, a firm size, a wage and a
# duration. A certificate adds a true value ``v(c, i)`` to a holder's job in industry ``i``:
#     v(c, i) = grade term + certificate term ~ N(0, CERTIFICATE_VALUE_SD)
#               + TECHNICAL_IN_MANUFACTURING   if c is of the 기술·기능 분야 and i is 제조업 (C)
#               + SERVICE_OUTSIDE_MANUFACTURING if c is of the 서비스·전문 분야 and i is not 제조업
# (KEIS 2026: young workers' technical certificates pay off in manufacturing, service certificates
# elsewhere). A holder's value in a job is the sum of the :data:`JOB_VALUE_CERTIFICATES` largest
# values of the certificates held; it raises the log wage, the odds of a large firm (100+ workers) and
# the job's expected duration. Employment within 180 days keeps its own certificate term
# (:data:`CERTIFICATE_EFFECT`, per certificate relevant to the desired occupation).

CERTIFICATE_GRADE_VALUE: dict[str, float] = {"기술사": 0.30, "기능장": 0.25, "기사": 0.20, "산업기사": 0.12,
                                             "기능사": 0.05}
"""Grade term of a 기술·기능 certificate by the grade its name ends in (0 for other certificates)."""
CERTIFICATE_VALUE_SD = 0.12
TECHNICAL_IN_MANUFACTURING = 0.35
SERVICE_OUTSIDE_MANUFACTURING = 0.30
JOB_VALUE_CERTIFICATES = 3
WAGE_VALUE = 0.4  # log wage per unit of the holder's value in the job
LARGE_FIRM_VALUE = 1.2  # logit of a 100+ firm per unit of value
LARGE_FIRM_INTERCEPT = -1.9
LARGE_FIRM_EDUCATION = 0.15  # per EDUCATION_RANK level
TENURE_VALUE = 1.0  # log of the expected duration per unit of value
TENURE_LARGE_FIRM = 0.3
MEAN_JOB_MONTHS = 20.0
"""Expected months of a job without certificate value at a small firm (about 74 % last 6 months)."""
JOB_WAGE_EDUCATION = 0.04  # log wage per EDUCATION_RANK level
JOB_WAGE_CAREER = 0.01  # log wage per career year, up to 20
JOB_WAGE_NOISE = 0.15


def certificate_grade_value(names: pd.Series) -> np.ndarray:
    """:data:`CERTIFICATE_GRADE_VALUE` of each certificate name (the longest grade it ends in)."""
    grades = sorted(CERTIFICATE_GRADE_VALUE, key=len, reverse=True)
    out = np.zeros(len(names))
    for i, name in enumerate(names.astype(str).str.strip().str.rstrip(")")):
        for grade in grades:
            if name.endswith(grade):
                out[i] = CERTIFICATE_GRADE_VALUE[grade]
                break
    return out


def certificate_values(certificates: pd.DataFrame, industry_codes: list[str], manufacturing: str,
                       rng: np.random.Generator) -> pd.DataFrame:
    """True value ``v(c, i)`` of every certificate in every industry (the section above).

    Args:
        certificates: ``certificate_id``, ``name`` and ``technical`` (bool: 기술·기능 분야).
        industry_codes: KSIC 대분류 letters.
        manufacturing: The letter of 제조업.
        rng: Random stream (one certificate term per certificate).

    Returns:
        ``certificate_id``, ``industry_code``, ``value``: one row per pair.
    """
    technical = certificates["technical"].to_numpy(bool)
    own = certificate_grade_value(certificates["name"]) * technical + rng.normal(0.0, CERTIFICATE_VALUE_SD,
                                                                                   len(certificates))
    codes = np.asarray(industry_codes, dtype=object)
    in_manufacturing = codes == manufacturing
    value = (own[:, None] + TECHNICAL_IN_MANUFACTURING * (technical[:, None] & in_manufacturing[None, :])
             + SERVICE_OUTSIDE_MANUFACTURING * (~technical[:, None] & ~in_manufacturing[None, :]))
    return pd.DataFrame({
        "certificate_id": np.repeat(certificates["certificate_id"].to_numpy(), len(codes)),
        "industry_code": np.tile(codes, len(certificates)),
        "value": value.ravel().round(6),
    })


def job_value(held_values: list[list[float]]) -> np.ndarray:
    """A holder's value in a job: the sum of the :data:`JOB_VALUE_CERTIFICATES` largest positive
    values of the certificates held there (a certificate never lowers a job)."""
    return np.array([sum(sorted((v for v in values if v > 0), reverse=True)[:JOB_VALUE_CERTIFICATES])
                     for values in held_values], dtype=float)


def large_firm_probability(value: np.ndarray, education_rank: np.ndarray) -> np.ndarray:
    """P(the job is at a firm of 100 or more workers)."""
    return expit(LARGE_FIRM_INTERCEPT + LARGE_FIRM_EDUCATION * np.asarray(education_rank, float)
                 + LARGE_FIRM_VALUE * np.asarray(value, float))


def job_log_wage(market_wage: np.ndarray, education_rank: np.ndarray, career_years: np.ndarray,
                 value: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Log monthly wage of a job found outside the board: the market wage of the desired occupation
    and region, education, career, the certificates' value and a personal deviation."""
    return (np.log(np.asarray(market_wage, float)) + JOB_WAGE_EDUCATION * np.asarray(education_rank, float)
            + JOB_WAGE_CAREER * np.minimum(np.asarray(career_years, float), 20.0)
            + WAGE_VALUE * np.asarray(value, float) + noise)


def expected_job_months(value: np.ndarray, large_firm: np.ndarray) -> np.ndarray:
    """Expected duration (months) of a job: exponential, longer with value and at large firms."""
    return MEAN_JOB_MONTHS * np.exp(TENURE_VALUE * np.asarray(value, float)
                                    + TENURE_LARGE_FIRM * np.asarray(large_firm, float))
