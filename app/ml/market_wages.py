"""The market-wage table: posted full-time-equivalent wages per KECO 소분류 × 시도, shrunk
towards the occupation where cells are thin (an artifact the hiring and employment models read)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.db.repositories import training
from app.labour import full_time_equivalent
from app.ml import evaluate
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext
from app.ml.model_card import ModelCard

MODEL_NAME = "market_wages"
MODEL_VERSION = "1.0"
MARKET_WAGES_FILE = "market_wages.parquet"
SHRINKAGE_POSTINGS = 10.0
"""Pseudo-count of the occupation-wide median when estimating a thin occupation × region cell."""


def load_posting_wages(ctx: BuildContext) -> pd.DataFrame:
    """Observed postings' occupation, region and full-time-equivalent monthly wage."""
    frame = training.load_posting_wages(ctx.engine)
    frame["wage_fte"] = full_time_equivalent(frame["wage_monthly"], frame["weekly_hours"].to_numpy(float))
    return frame


def compute_market_wages(postings: pd.DataFrame) -> pd.DataFrame:
    """Market wage per KECO 소분류 × 시도 from posted wages (empirical-Bayes shrinkage in logs).

    A cell's estimate is the mean log FTE wage of its postings pulled towards the occupation-wide
    mean with weight ``SHRINKAGE_POSTINGS``, so cells with a handful of postings borrow strength
    from the occupation. Cells without postings get the occupation mean.
    """
    frame = postings.assign(log_wage=np.log(postings["wage_fte"].astype(float)))
    occupation = frame.groupby("keco_code")["log_wage"].agg(occ_mean="mean", occ_n="size")
    cell = frame.groupby(["keco_code", "region_code"])["log_wage"].agg(cell_mean="mean", n_postings="size").reset_index()
    cell = cell.merge(occupation, on="keco_code")
    weight = cell["n_postings"] / (cell["n_postings"] + SHRINKAGE_POSTINGS)
    cell["market_wage"] = np.round(np.exp(weight * cell["cell_mean"] + (1 - weight) * cell["occ_mean"]), -3)
    return cell[["keco_code", "region_code", "market_wage", "n_postings"]].sort_values(["keco_code", "region_code"])


def build_market_wages(ctx: BuildContext) -> ArtifactResult:
    """Build the market-wage table and grade it against the world's true market wages."""
    table = compute_market_wages(load_posting_wages(ctx))
    table.to_parquet(ctx.out_dir / MARKET_WAGES_FILE, index=False)
    metrics = {"cells": float(len(table))}
    metrics.update(evaluate.market_wage_error(ctx.engine, table))
    return ArtifactResult(files=(MARKET_WAGES_FILE,), metrics=metrics)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="직종×지역 시장임금표", build=build_market_wages)
"""The occupation × region market-wage table (the hiring and employment models read it)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="직종×지역 시장임금표",
    purpose="채용성공·취업성공 예측모델이 임금 수준을 '같은 직종·지역의 시장임금 대비'로 비교할 수 있도록 기준 임금을 "
            "만듭니다.",
    output="직종(KECO 소분류)×시도별 시장임금(주 40시간 환산 월급). 예측 근거 문장에 '시장임금 대비' 비교로 나타납니다.",
    shown_on=("hiring", "employment_profile"),
    criteria=("게시 임금(주 40시간 근무로 환산한 월급)", "직종(KECO 소분류)", "시도",
              "공고가 적은 칸은 같은 직종 전체 평균 쪽으로 당겨 추정"),
    not_used="개인에 관한 정보는 쓰지 않습니다. 공고에 게시된 임금만 씁니다.",
    training_data="가상 세계의 구인공고에 게시된 임금. 임금 형태(시급·일급·월급·연봉)와 주당 근로시간을 월급으로 환산해 "
                  "집계합니다.",
    human_oversight="정책·운영 담당자가 빌드 때 기록된 오차를 확인합니다. 이 표만으로 결정되는 일은 없고, 두 예측모델의 "
                    "입력으로만 쓰입니다.",
    contest="시장임금이 실제와 다르다고 보이면 관할 고용센터에 알려 주세요. 담당자가 해당 직종·지역의 공고 수와 함께 "
            "검토합니다.",
    limits="게시 임금의 평균이므로 실제 지급 임금과 다를 수 있고, 공고가 적은 직종·지역은 오차가 큽니다.",
    quality_metrics=("median_ape_vs_truth", "cells"),
    fairness_note="개인 특성을 쓰지 않는 집계표라 집단별 공정성 지표는 해당하지 않습니다.",
    supporting=True,
)
"""Transparency notice of the market-wage table (:mod:`app.ml.model_card`)."""
