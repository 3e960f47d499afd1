"""Market bounds of a posting: what similar postings offer, the limits a plan or advice may use.

Similar postings are those of the same KECO 소분류 in the same region; when fewer than
:data:`SIMILAR_MIN` exist the scope widens step by step (소분류 nationwide, 중분류 in the region,
중분류 nationwide, 대분류 nationwide). The wage limit is their 90th percentile (40-hour monthly
equivalent, never below the minimum wage), the hours limit their shortest week (never below 35 h
for a full-time type), the welfare limit the most non-statutory items any of them offers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import postings as posting_repo
from app.labour import (
    MAX_WEEKLY_HOURS,
    MONTHLY_HOURS_FULL_TIME,
    from_full_time_equivalent,
    full_time_equivalent,
    monthly_equivalent,
)
from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import scorer_for
from app.reference.codes import STATUTORY_WELFARE
from app.reference.tables import load_reference
from app.services.hiring.conditions import (
    PostingConditions,
    is_full_time,
    legal_minimum_amount,
    minimum_hourly_wage,
    validate_conditions,
)
from app.text.korean import format_manwon

MIN_FULL_TIME_HOURS = 35.0
SIMILAR_MIN = 20


@dataclass(frozen=True)
class MarketBounds:
    """What similar postings offer: the limits a plan may use.

    Attributes:
        max_wage_fte: 90th percentile of the 40-hour monthly wage (KRW), never below the minimum.
        median_wage_fte: Median of the same.
        min_weekly_hours: Shortest week offered (≥ 35 h when the posting is a full-time type).
        max_welfare_items: Most non-statutory welfare items offered.
        n_similar: Postings compared.
        scope: Which postings, in Korean (e.g. "같은 직종(소분류)·같은 지역 공고 134건").
        minimum_hourly_wage: Statutory minimum wage used (KRW per hour).
        max_weekly_hours: Statutory limit (52).
    """

    max_wage_fte: int
    median_wage_fte: int
    min_weekly_hours: float
    max_welfare_items: int
    n_similar: int
    scope: str
    minimum_hourly_wage: int
    max_weekly_hours: float = MAX_WEEKLY_HOURS

    def max_amount(self, wage_type: str, weekly_hours: float) -> float:
        """Largest posted amount of ``wage_type`` within :attr:`max_wage_fte` at ``weekly_hours``."""
        monthly = from_full_time_equivalent(self.max_wage_fte, weekly_hours)
        return monthly / float(monthly_equivalent(wage_type, 1.0, weekly_hours))

    def describe(self) -> str:
        """One Korean line for the page."""
        return (
            f"{self.scope} 기준 상한: 월 {format_manwon(self.max_wage_fte)}(주 40시간 환산, 상위 10%), "
            f"근로시간 주 {self.min_weekly_hours:g}시간 이상, 법정 외 복리후생 {self.max_welfare_items}개까지"
        )


def _middle_codes(keco_code: str) -> tuple[str, tuple[str, ...]]:
    """(중분류 code, its 소분류 codes) of a KECO 소분류."""
    occupations = load_reference().occupations
    row = occupations.loc[occupations["keco_code"] == keco_code]
    middle = str(row["middle_code"].iloc[0]) if not row.empty else keco_code[:2]
    codes = occupations.loc[occupations["middle_code"] == middle, "keco_code"].astype(str)
    return middle, tuple(sorted(set(codes) | {keco_code}))


def _similar_postings(engine: Engine, conditions: PostingConditions) -> tuple[pd.DataFrame, str]:
    """The narrowest scope with at least :data:`SIMILAR_MIN` postings (else the largest one)."""
    _, middle_codes = _middle_codes(conditions.keco_code)
    middle = posting_repo.load_wage_rows(engine, keco_codes=middle_codes)  # 소분류 and 중분류 steps
    region = conditions.region_code
    steps = [
        ("같은 직종(소분류)·같은 지역", lambda f: f[(f["keco_code"] == conditions.keco_code) & (f["region_code"] == region)]),
        ("같은 직종(소분류)·전국", lambda f: f[f["keco_code"] == conditions.keco_code]),
        ("같은 직종(중분류)·같은 지역", lambda f: f[f["region_code"] == region]),
        ("같은 직종(중분류)·전국", lambda f: f),
    ]
    chosen, scope = middle.iloc[0:0], "비교할 공고 없음"
    for label, pick in steps:
        subset = pick(middle)
        if len(subset) > len(chosen):
            chosen, scope = subset, f"{label} 공고 {len(subset):,}건"
        if len(subset) >= SIMILAR_MIN:
            return chosen, scope
    major = posting_repo.load_wage_rows(engine, keco_prefix=conditions.keco_code[:1])
    if len(major) > len(chosen):
        chosen, scope = major, f"같은 직종(대분류)·전국 공고 {len(major):,}건"
    return chosen, scope


def market_bounds(engine: Engine, model: HiringModel, conditions: PostingConditions) -> MarketBounds:
    """Limits from similar postings: same KECO 소분류, else 중분류, else 대분류; same region when
    that still leaves at least 20 postings.

    Args:
        engine: Product database (postings are read, never written).
        model: The hiring model (its market wage is the fallback when no posting is similar).
        conditions: The posting being planned.
    """
    chosen, scope = _similar_postings(engine, conditions)
    minimum = minimum_hourly_wage()
    floor_fte = math.ceil(minimum * MONTHLY_HOURS_FULL_TIME / 10_000) * 10_000
    if chosen.empty:
        market = scorer_for(model).market_wage(conditions.keco_code, conditions.region_code)
        fte = np.array([market])
        hours = np.array([conditions.weekly_hours])
        extras = np.array([0])
    else:
        hours = chosen["weekly_hours"].to_numpy(float)
        fte = full_time_equivalent(chosen["wage_monthly"].to_numpy(float), hours)
        extras = np.array([
            sum(1 for c in str(codes or "").split(";") if c and c not in STATUTORY_WELFARE)
            for codes in chosen["welfare_codes"]
        ])
    min_hours = float(hours.min())
    if is_full_time(conditions.employment_type):
        min_hours = max(min_hours, MIN_FULL_TIME_HOURS)
    return MarketBounds(
        max_wage_fte=max(int(round(float(np.quantile(fte, 0.9)), -3)), floor_fte),
        median_wage_fte=int(round(float(np.median(fte)), -3)),
        min_weekly_hours=min_hours,
        max_welfare_items=int(extras.max()),
        n_similar=len(chosen),
        scope=scope,
        minimum_hourly_wage=minimum,
    )


DEFAULT_SECTIONS = 6
DEFAULT_BODY_CHARS = 900


def market_wage(keco_code: str, region_code: str, *, model: HiringModel | None = None) -> float:
    """Monthly market wage (40-hour week) of an occupation × region.

    From the model's market context when a model is given (what the model compares wages with);
    otherwise from the reference tables: the occupation's median wage × the region's wage index.
    """
    if model is not None:
        return scorer_for(model).market_wage(keco_code, region_code)
    ref = load_reference()
    occupation = ref.occupations.loc[ref.occupations["keco_code"] == keco_code, "wage_median"]
    region = ref.regions.loc[ref.regions["code"] == region_code, "wage_index"]
    median = float(occupation.iloc[0]) if not occupation.empty else float(ref.occupations["wage_median"].median())
    return median * (float(region.iloc[0]) if not region.empty else 1.0)


def default_conditions(
    keco_code: str, region_code: str, size_code: str = "S2", *, model: HiringModel | None = None
) -> PostingConditions:
    """Typical conditions for a new posting: the market wage of the occupation × region (pass
    ``model`` to use the model's market wages), 40 h, 정규직, 경력무관, 학력 무관, statutory welfare
    only, this month, 6 sections and 900 characters.

    Raises:
        InvalidConditions: Unknown occupation, region or size code.
    """
    probe = validate_conditions(
        {"keco_code": keco_code, "region_code": region_code, "size_code": size_code, "wage_type": "monthly",
         "wage_amount": 3_000_000, "weekly_hours": 40, "employment_type": "정규직", "career": "경력무관",
         "education": "무관"}
    )
    wage = market_wage(probe.keco_code, probe.region_code, model=model)
    amount = max(int(math.ceil(wage / 10_000) * 10_000), legal_minimum_amount("monthly", 40.0))
    return probe.replace(
        wage_amount=amount,
        welfare_codes=tuple(sorted(STATUTORY_WELFARE)),
        open_month=dt.date.today().month,
        n_sections=DEFAULT_SECTIONS,
        body_chars=DEFAULT_BODY_CHARS,
    )
