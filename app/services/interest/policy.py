"""Item-bank health of the adaptive interest test, for policy staff.

Which items inform the test (information), how often each is asked (exposure, against the cap),
which are never used, how long tests are and how long they take, how well the short adaptive test
agrees with the full form on simulated takers, and which attribute groups drive the occupation fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import interest as repo
from app.ml.interest_bank import InterestTestModel
from app.ml.occupation_fit import OccupationFit
from app.services.interest.result import SCALE_NAMES


@dataclass(frozen=True)
class BankHealth:
    """What the policy page shows.

    Attributes:
        items: One row per RIASEC item: ``문항코드, 유형, 문항, 변별도, 최대 정보량, 노출률, 사용 횟수, 미사용``.
        exposure_cap: The engine's exposure cap.
        never_used: Items never asked in any session.
        over_cap: Items whose exposure rate is above the cap.
        length: Sessions by status, mean items and seconds of finished ones.
        simulated: Agreement with the full form on simulated takers (build metrics).
        group_importance: Occupation-fit attribute group -> mean |SHAP| (log-odds).
        fit_metrics: The occupation-fit model's hold-out figures (when built with the KNOW rows).
    """

    items: pd.DataFrame
    exposure_cap: float
    never_used: int
    over_cap: int
    length: repo.TestLengthStats
    simulated: dict[str, float]
    group_importance: dict[str, float]
    fit_metrics: dict[str, float]


def bank_health(engine: Engine, model: InterestTestModel, fit: OccupationFit) -> BankHealth:
    """Item-bank health of the current bank (sessions on other banks are not counted)."""
    repo.ensure_tables(engine)
    exposure = repo.load_item_exposure(engine, bank_version=model.bank_version)
    items = repo.load_items(engine)[["id", "item_code", "text"]]
    info = model.information.merge(items, on="item_code", how="left").merge(
        exposure[["item_id", "times_asked", "exposure_rate", "never_used"]], left_on="id", right_on="item_id", how="left")
    table = pd.DataFrame({
        "문항코드": info["item_code"], "유형": info["scale"].map(SCALE_NAMES), "문항": info["text"],
        "변별도": info["discrimination"].round(2), "최대 정보량": info["max_information"].round(2),
        "노출률": info["exposure_rate"].fillna(0.0).round(3), "사용 횟수": info["times_asked"].fillna(0).astype(int),
        "미사용": info["never_used"].fillna(True).astype(bool),
    })
    cap = float(model.settings.exposure_cap)
    simulated = {k: float(v) for k, v in model.metrics.items() if k.startswith("simulated_")}
    fit_metrics = {k: float(v) for k, v in fit.metrics.items() if isinstance(v, int | float) and k.startswith("holdout_")}
    return BankHealth(
        items=table, exposure_cap=cap, never_used=int(table["미사용"].sum()), over_cap=int((table["노출률"] > cap).sum()),
        length=repo.load_length_stats(engine, bank_version=model.bank_version), simulated=simulated,
        group_importance=dict(fit.group_importance), fit_metrics=fit_metrics,
    )
