"""The market-wage table: posted full-time-equivalent wages per KECO 소분류 × 시도, shrunk
towards the occupation where cells are thin (an artifact the hiring and employment models read)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.db.repositories import training
from app.labour import full_time_equivalent
from app.ml import evaluate
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext

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
