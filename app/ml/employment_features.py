"""Features of the employment-success model (취업성공모델), from the seeker's record and the local
labour market only.

**Not features** (protected attributes, Korea's anti-discrimination laws and our standards): sex,
disability, region of residence (the closest proxy of region of origin we hold) and marital status
(not recorded). They are loaded only for the fairness audit.

**Age is a feature — a documented decision.** The model does not decide anyone's hiring: it tells
a counsellor who is at risk of long-term unemployment so that *more* help goes to them. Age is the
strongest single predictor of re-employment in Korea (2018: 23.7 % under 30, 33.4 % in the 40s,
19.3 % at 60+, domain facts §4.5), and leaving it out does not remove its effect but makes the
model *miscalibrated within age groups*: older seekers' risk is underestimated and they get fewer
services — the opposite of 고령자고용법 §4-5's preference measures for older workers. The build
also trains an age-blind variant, and the fairness audit on the policy page shows both, so the
accuracy and equity cost of either choice is visible.

The local labour market enters through observed counts (postings per seeker in the desired region
and occupation, the market wage of the desired occupation × region from posted wages), never
through the world's truth tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import world as world_repo
from app.reference.codes import SERVICES
from app.reference.tables import load_reference

HORIZON_DAYS = 180
"""Outcome window: insured employment within 180 days of registration (6-month LTU risk)."""

SERVICE_FEATURES: tuple[str, ...] = tuple(f"svc_{s}" for s in SERVICES)

NUMERIC_FEATURES: tuple[str, ...] = (
    "age", "career_years", "has_last_job", "same_occupation", "log_wage_gap", "log_region_demand",
    "log_occupation_demand", "n_relevant_certificates", "n_certificates", "n_skills", "benefit_status",
    "region_flexible",
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("education", "desired_major")
PERSON_FEATURES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES
"""Features of the person and their market (everything but the services received)."""
FEATURES: tuple[str, ...] = PERSON_FEATURES + SERVICE_FEATURES
AGE_BLIND_FEATURES: tuple[str, ...] = tuple(f for f in FEATURES if f != "age")
PROTECTED_COLUMNS: tuple[str, ...] = ("sex", "disability", "region_code")
"""Loaded for the fairness audit only; a unit test checks none of them is a feature."""

MONOTONE: dict[str, int] = {
    "log_wage_gap": -1,  # asking more than the market pays never raises the chance (reservation wage)
    "n_relevant_certificates": 1,  # a certificate for the desired job never lowers it
    "n_certificates": 1,  # nor does any other certificate (a what-if "obtains a certificate" adds to both)
    "region_flexible": 1,  # searching a wider area never lowers it
}
"""Monotone constraints grounded in job-search theory; services are left free (training can have
a lock-in effect that delays employment)."""

CATEGORY_LEVELS: dict[str, tuple[str, ...]] = {
    "education": ("중졸이하", "고졸", "전문대졸", "대졸", "석사"),
    "desired_major": tuple("0123456789"),
}
"""Fixed category levels so training and single-seeker scoring encode categories identically."""

FACTOR_OF_FEATURE: dict[str, str] = {
    "age": "연령",
    "career_years": "경력",
    "has_last_job": "경력",
    "same_occupation": "경력",
    "log_wage_gap": "희망임금(시장 대비)",
    "log_region_demand": "지역 구인 수요",
    "log_occupation_demand": "희망 직종 수요",
    "n_relevant_certificates": "자격증",
    "n_certificates": "자격증",
    "n_skills": "보유 기술",
    "benefit_status": "구직급여 수급",
    "region_flexible": "근무지역 유연성",
    "education": "학력",
    "desired_major": "희망 직종군",
    "svc_training": "직업훈련",
    "svc_matching": "취업알선",
    "svc_nes": "국민취업지원제도",
    "svc_counselling": "직업상담",
}
"""SHAP values are summed into these Korean factors for display."""

MAX_RELEVANT_CERTIFICATES = 5


@dataclass(frozen=True)
class EmploymentMarket:
    """Observed market data the features need (saved inside the model artifact).

    Attributes:
        market_wages: ``keco_code, region_code, market_wage`` (monthly, 40-hour week).
        occupation_wages: KECO 소분류 → occupation-wide market wage (fallback for empty cells).
        region_demand: 시도 → log(postings per seeker wanting the region / national ratio).
        occupation_demand: KECO 소분류 → the same ratio for the desired occupation (clipped ±1.5).
        certificate_occupations: certificate id → KECO 소분류 codes it qualifies for.
    """

    market_wages: pd.DataFrame
    occupation_wages: dict[str, float]
    region_demand: dict[str, float]
    occupation_demand: dict[str, float]
    certificate_occupations: dict[str, frozenset[str]]

    @cached_property
    def _cells(self) -> dict[tuple[str, str], float]:
        # a dict lookup instead of a DataFrame merge: one seeker's features in microseconds, not
        # milliseconds (the profile page builds them several times per rerun)
        wages = self.market_wages
        return {
            (str(k), str(r)): float(w)
            for k, r, w in zip(wages["keco_code"], wages["region_code"], wages["market_wage"], strict=True)
            if np.isfinite(w)
        }

    def market_wage(self, keco_code: pd.Series, region_code: pd.Series) -> np.ndarray:
        """Market wage of each (occupation, region); the occupation's wage when the cell is unknown."""
        overall = float(np.median(list(self.occupation_wages.values()))) if self.occupation_wages else 3_000_000.0
        cells, occupation = self._cells, self.occupation_wages
        return np.array(
            [cells.get((k, r), occupation.get(k, overall)) for k, r in zip(keco_code.astype(str), region_code.astype(str),
                                                                             strict=True)],
            dtype=float,
        )

    def relevant_certificates(self, certificate_ids: pd.Series, desired_keco: pd.Series) -> np.ndarray:
        """How many of each seeker's certificates (``;``-separated ids) qualify for the desired occupation."""
        counts = []
        for ids, keco in zip(certificate_ids.fillna(""), desired_keco.astype(str), strict=True):
            counts.append(sum(1 for c in str(ids).split(";") if c and keco in self.certificate_occupations.get(c, ())))
        return np.asarray(counts, dtype=float)


def _log_ratio_table(supply: dict[str, int], demand: dict[str, int], national: float, clip: float | None) -> dict[str, float]:
    table = {}
    for code in sorted(set(supply) | set(demand)):
        value = float(np.log(((supply.get(code, 0) + 1) / (demand.get(code, 0) + 1)) / national))
        table[str(code)] = float(np.clip(value, -clip, clip)) if clip else value
    return table


def market_demand(engine: Engine) -> tuple[dict[str, float], dict[str, float]]:
    """(region demand, occupation demand): log postings per seeker wanting each 시도 / KECO 소분류
    relative to the national ratio (occupations clipped to ±1.5), from observed counts."""
    by_region = posting_repo.count_postings_by(engine, "region_code")
    by_keco = posting_repo.count_postings_by(engine, "keco_code")
    want_region = seeker_repo.count_seekers_by(engine, "desired_region_code")
    want_keco = seeker_repo.count_seekers_by(engine, "desired_keco")
    national = sum(by_region.values()) / max(sum(want_region.values()), 1) or 1.0
    return (_log_ratio_table(by_region, want_region, national, None),
            _log_ratio_table(by_keco, want_keco, national, 1.5))


def make_employment_market(engine: Engine, market_wages: pd.DataFrame) -> EmploymentMarket:
    """Market context from the market-wage artifact, observed posting and seeker counts and the
    certificate reference table."""
    region_demand, occupation_demand = market_demand(engine)
    certificates = load_reference().certificates
    mapping = {
        str(cid): frozenset(c for c in str(codes).split(";") if c)
        for cid, codes in zip(certificates["certificate_id"], certificates["keco_codes"].fillna(""), strict=True)
    }
    occupation = market_wages.groupby("keco_code")["market_wage"].median()
    return EmploymentMarket(
        market_wages=market_wages[["keco_code", "region_code", "market_wage"]].copy(),
        occupation_wages={str(k): float(v) for k, v in occupation.items()},
        region_demand=region_demand,
        occupation_demand=occupation_demand,
        certificate_occupations=mapping,
    )


def build_features(seekers: pd.DataFrame, market: EmploymentMarket) -> pd.DataFrame:
    """Model features of seekers.

    Args:
        seekers: Columns ``age, education, career_years, last_keco, desired_keco, desired_wage,
            desired_region_code, region_flexible, benefit_status, certificate_ids`` (``;``-separated),
            ``skills`` (``;``-separated) and the service flags ``svc_training, svc_matching,
            svc_nes, svc_counselling`` (missing flags count as 0). ``n_relevant_certificates``,
            when present, is used as given (a what-if "obtaining a certificate").
        market: Market context.

    Returns:
        A model frame with :data:`FEATURES` columns (categoricals with fixed levels).
    """
    desired = seekers["desired_keco"].astype(str)
    last = seekers["last_keco"].astype(object).where(seekers["last_keco"].notna(), None)
    market_wage = market.market_wage(desired, seekers["desired_region_code"])
    certificates = seekers["certificate_ids"] if "certificate_ids" in seekers else pd.Series([""] * len(seekers), index=seekers.index)
    relevant = (
        seekers["n_relevant_certificates"].to_numpy(float) if "n_relevant_certificates" in seekers
        else market.relevant_certificates(certificates, desired)
    )
    skills = seekers["skills"].fillna("").astype(str) if "skills" in seekers else pd.Series([""] * len(seekers), index=seekers.index)
    frame = pd.DataFrame(
        {
            "age": seekers["age"].to_numpy(float),
            "career_years": seekers["career_years"].to_numpy(float),
            "has_last_job": last.notna().to_numpy(float),
            "same_occupation": (last.astype(str) == desired).to_numpy(float),
            "log_wage_gap": np.log(np.maximum(seekers["desired_wage"].to_numpy(float), 1.0) / market_wage),
            "log_region_demand": np.array([market.region_demand.get(r, 0.0) for r in seekers["desired_region_code"].astype(str)],
                                          dtype=float),
            "log_occupation_demand": np.array([market.occupation_demand.get(k, 0.0) for k in desired], dtype=float),
            "n_relevant_certificates": np.minimum(relevant, MAX_RELEVANT_CERTIFICATES),
            "n_certificates": certificates.fillna("").astype(str).map(lambda s: sum(1 for c in s.split(";") if c)).to_numpy(float),
            "n_skills": skills.map(lambda s: sum(1 for c in s.split(";") if c.strip())).to_numpy(float),
            "benefit_status": seekers["benefit_status"].astype(float).to_numpy(),
            "region_flexible": seekers["region_flexible"].astype(float).to_numpy(),
            "education": pd.Categorical(seekers["education"].astype(str), categories=list(CATEGORY_LEVELS["education"])),
            "desired_major": pd.Categorical(desired.str[0], categories=list(CATEGORY_LEVELS["desired_major"])),
        },
        index=seekers.index,
    )
    for column in SERVICE_FEATURES:
        frame[column] = seekers[column].astype(float).to_numpy() if column in seekers else 0.0
    return frame[list(FEATURES)]


# --------------------------------------------------------------------------- loading observed data


def load_as_of(engine: Engine) -> dt.date:
    """The caseload date: the data's one reference date (:func:`app.db.repositories.world.load_reference_date`).

    Seekers registered within :data:`HORIZON_DAYS` before it are the open caseload; earlier ones
    have complete outcomes and are what the model learns from.
    """
    latest = world_repo.load_reference_date(engine)
    if latest is None:
        raise ValueError("구직자 자료가 없습니다. `python -m app build`로 가상 세계를 만드세요.")
    return latest


def split_cohorts(records: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training cohort, open caseload) as of ``as_of``.

    The training cohort registered at least :data:`HORIZON_DAYS` before ``as_of`` (their outcome is
    complete). The caseload registered within the horizon and had not found a job by ``as_of``;
    it gets ``days_since_registration``.
    """
    registered = pd.to_datetime(records["registered_on"])
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=HORIZON_DAYS)
    training = records[registered <= cutoff].copy()
    recent = records[registered > cutoff].copy()
    elapsed = (pd.Timestamp(as_of) - pd.to_datetime(recent["registered_on"])).dt.days
    employed_by_now = recent["employed_180d"] & (recent["days_to_employment"] <= elapsed)
    caseload = recent[~employed_by_now].copy()
    caseload["days_since_registration"] = elapsed[~employed_by_now].astype(int)
    return training, caseload
