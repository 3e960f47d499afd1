"""Features of the hiring-success model, from the posting and its market only.

No applicant attribute (let alone a protected one: sex, age, disability, region of origin, marital
status) is a feature: the model describes the *posting's* chance of being filled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import training
from app.db.repositories.postings import SECTION_COLUMNS
from app.labour import full_time_equivalent, monthly_equivalent
from app.reference.codes import STATUTORY_WELFARE

NUMERIC_FEATURES: tuple[str, ...] = (
    "log_wage_ratio", "weekly_hours", "n_welfare_extra", "has_social_insurance", "min_career_years",
    "n_sections", "body_chars", "log_tightness", "open_month",
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("employment_type", "career", "education", "size_code", "keco_major")
FEATURES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES

MONOTONE: dict[str, int] = {
    "log_wage_ratio": 1,  # a higher wage never lowers the probability
    "weekly_hours": -1,  # more weekly hours never raise it
    "n_welfare_extra": 1,
    "has_social_insurance": 1,
    "min_career_years": -1,
    "n_sections": 1,
}
"""Monotone constraints the world's hiring process supports (see app/world/truth.py docs)."""

FACTOR_OF_FEATURE: dict[str, str] = {
    "log_wage_ratio": "임금 수준(시장 대비)",
    "weekly_hours": "근로시간",
    "n_welfare_extra": "복리후생",
    "has_social_insurance": "복리후생",
    "employment_type": "고용형태",
    "min_career_years": "경력 요건",
    "career": "경력 요건",
    "education": "학력 요건",
    "log_tightness": "지역 구인 경쟁",
    "open_month": "게시 시기",
    "n_sections": "공고 충실도",
    "body_chars": "공고 충실도",
    "size_code": "기업 규모",
    "keco_major": "직종",
}
"""SHAP values are summed into these Korean factors for display."""



@dataclass(frozen=True)
class MarketContext:
    """Observed market data the features need: market wages and regional tightness."""

    market_wages: pd.DataFrame  # keco_code, region_code, market_wage
    occupation_wages: dict[str, float]  # keco_code → occupation-wide market wage (fallback)
    tightness: dict[str, float]  # region_code → log(postings per seeker / national)

    def market_wage(self, keco_code: pd.Series, region_code: pd.Series) -> np.ndarray:
        """Market wage of each (occupation, region); the occupation's wage when the cell is unknown."""
        cells = pd.DataFrame({"keco_code": keco_code.to_numpy(), "region_code": region_code.to_numpy()})
        merged = cells.merge(self.market_wages, on=["keco_code", "region_code"], how="left")
        fallback = cells["keco_code"].map(self.occupation_wages)
        overall = float(np.median(list(self.occupation_wages.values()))) if self.occupation_wages else 2_500_000.0
        return merged["market_wage"].fillna(fallback).fillna(overall).to_numpy(float)


def load_tightness(engine: Engine) -> dict[str, float]:
    """log(postings per seeker desiring the region / national ratio) from observed counts."""
    postings = posting_repo.count_postings_by(engine, "region_code")
    seekers = seeker_repo.count_seekers_by(engine, "desired_region_code")
    total_p, total_s = sum(postings.values()), max(sum(seekers.values()), 1)
    national = total_p / total_s if total_p else 1.0
    return {
        code: float(np.log(((postings.get(code, 0) + 1) / (seekers.get(code, 0) + 1)) / national))
        for code in sorted(set(postings) | set(seekers))
    }


def make_market_context(engine: Engine, market_wages: pd.DataFrame) -> MarketContext:
    """Market context from the market-wage artifact and observed counts."""
    occupation = market_wages.groupby("keco_code")["market_wage"].median().to_dict()
    return MarketContext(
        market_wages=market_wages[["keco_code", "region_code", "market_wage"]],
        occupation_wages={k: float(v) for k, v in occupation.items()},
        tightness=load_tightness(engine),
    )


def count_sections(frame: pd.DataFrame) -> np.ndarray:
    """How many of the eight posting sections are filled in."""
    present = np.zeros(len(frame), dtype=int)
    for column in SECTION_COLUMNS:
        if column in frame:
            present += frame[column].fillna("").astype(str).str.strip().ne("").to_numpy()
    return present


def build_features(postings: pd.DataFrame, market: MarketContext) -> pd.DataFrame:
    """Model features for postings.

    Args:
        postings: Columns keco_code, region_code, wage_type, wage_amount, weekly_hours,
            employment_type, career, min_career_years, education, welfare_codes, size_code,
            open_date (or open_month), and either the section texts + body or precomputed
            ``n_sections`` and ``body_chars``.
        market: Market wages and tightness.

    Returns:
        A frame with :data:`FEATURES` columns (categoricals as pandas ``category``).
    """
    hours = postings["weekly_hours"].to_numpy(float)
    monthly = np.asarray(monthly_equivalent(postings["wage_type"].to_numpy(), postings["wage_amount"].to_numpy(float), hours))
    fte = full_time_equivalent(monthly, hours)
    market_wage = market.market_wage(postings["keco_code"], postings["region_code"])
    welfare = postings["welfare_codes"].fillna("").astype(str).str.split(";")
    if "open_month" in postings:
        month = postings["open_month"].to_numpy(int)
    else:
        month = pd.to_datetime(postings["open_date"]).dt.month.to_numpy(int)
    features = pd.DataFrame(
        {
            "log_wage_ratio": np.log(np.maximum(fte, 1.0) / market_wage),
            "weekly_hours": hours,
            "n_welfare_extra": [sum(1 for c in codes if c and c not in STATUTORY_WELFARE) for codes in welfare],
            "has_social_insurance": [int("W01" in codes) for codes in welfare],
            "min_career_years": postings["min_career_years"].fillna(0).to_numpy(float),
            "n_sections": postings["n_sections"].to_numpy(float) if "n_sections" in postings else count_sections(postings),
            "body_chars": postings["body_chars"].to_numpy(float) if "body_chars" in postings
            else postings["body"].fillna("").str.len().to_numpy(float),
            "log_tightness": postings["region_code"].map(market.tightness).fillna(0.0).to_numpy(float),
            "open_month": month,
            "employment_type": postings["employment_type"].to_numpy(),
            "career": postings["career"].to_numpy(),
            "education": postings["education"].to_numpy(),
            "size_code": postings["size_code"].fillna("").to_numpy(),
            "keco_major": postings["keco_code"].astype(str).str[0].to_numpy(),
        },
        index=postings.index,
    )
    return features


CATEGORY_LEVELS: dict[str, tuple[str, ...]] = {
    "employment_type": ("정규직", "계약직", "시간제", "일용직"),
    "career": ("신입", "경력무관", "경력"),
    "education": ("무관", "고졸", "전문대졸", "대졸", "석사"),
    "size_code": ("S1", "S2", "S3", "S4", "S5"),
    "keco_major": tuple("0123456789"),
}
"""Fixed category levels so training and single-posting scoring encode categories identically."""


def to_model_frame(features: pd.DataFrame) -> pd.DataFrame:
    """Cast categoricals to fixed ``category`` levels (LightGBM rejects pandas ``str`` columns)."""
    frame = features[list(FEATURES)].copy()
    for column, levels in CATEGORY_LEVELS.items():
        frame[column] = pd.Categorical(frame[column], categories=list(levels))
    for column in NUMERIC_FEATURES:
        frame[column] = frame[column].astype(float)
    return frame


def load_training_postings(engine: Engine) -> pd.DataFrame:
    """Observed postings with their employer size band and outcomes (no truth columns)."""
    frame = training.load_postings_with_outcomes(engine)
    frame["n_sections"] = count_sections(frame)
    frame["body_chars"] = frame["body"].fillna("").str.len()
    return frame.drop(columns=list(SECTION_COLUMNS) + ["body"])
