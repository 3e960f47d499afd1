"""Hiring-success use cases (채용성공 시뮬레이터): the one module pages import.

What an employer (or policy staff) can do, each function Streamlit-free and failing with Korean
domain errors:

* pick a posting — :func:`load_employer_postings`, :func:`conditions_from_posting` (own postings
  only; ``employer_id=None`` is staff access) — or start one with :func:`default_conditions`;
* score it — :func:`predict` (probability with interval, days to fill, one Korean sentence per
  factor), :func:`wage_curve`;
* plan — :func:`market_bounds`, :func:`minimum_change` (cheapest verified plans to reach a
  target), :func:`advice` (ranked single changes);
* keep scenarios — :func:`save_scenario`, :func:`load_scenarios`, :func:`delete_scenario`,
  :func:`compare_scenarios`;
* policy view — :func:`score_all_postings`, :func:`fill_probability_by`, :func:`at_risk_postings`.

Every prediction a user sees should be logged with :func:`app.services.audit.log_model_output`
(``prediction.model_version``, ``prediction.input_hash``, ``prediction.audit_output()``).

The implementation is split by concern: :mod:`.hiring_conditions` (the validated value object and
labour-law checks), :mod:`.hiring_scoring` (fast scoring, explanation), :mod:`.hiring_reasons`
(Korean sentences), :mod:`.hiring_plans` (bounds, cost model, search), :mod:`.hiring_advice`,
:mod:`.hiring_store` (database), :mod:`.hiring_policy`.
"""

from __future__ import annotations

import datetime as dt
import math

from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import scorer_for
from app.reference.codes import FULL_TIME_TYPES, STATUTORY_WELFARE
from app.reference.tables import load_reference
from app.services.hiring_advice import Advice, advice
from app.services.hiring_conditions import (
    FIELD_LABELS,
    InvalidConditions,
    PostingAccessDenied,
    PostingConditions,
    lawful_baseline,
    legal_issues,
    legal_minimum_amount,
    minimum_hourly_wage,
    validate_conditions,
)
from app.services.hiring_market import MarketBounds, market_bounds
from app.services.hiring_plans import Plan, minimum_change
from app.services.hiring_policy import at_risk_postings, fill_probability_by, score_all_postings
from app.services.hiring_scoring import Prediction, predict, probabilities, wage_curve
from app.services.hiring_store import (
    PostingNotFound,
    ScenarioNotFound,
    compare_scenarios,
    conditions_from_posting,
    delete_scenario,
    load_employer_postings,
    load_scenarios,
    save_scenario,
)

__all__ = [
    "FIELD_LABELS", "FULL_TIME_TYPES", "Advice", "InvalidConditions", "MarketBounds", "Plan", "PostingAccessDenied",
    "PostingConditions", "PostingNotFound", "Prediction", "ScenarioNotFound", "advice", "at_risk_postings",
    "compare_scenarios", "conditions_from_posting", "default_conditions", "delete_scenario", "fill_probability_by",
    "lawful_baseline", "legal_issues", "legal_minimum_amount", "load_employer_postings", "load_scenarios",
    "market_bounds", "market_wage", "minimum_change", "minimum_hourly_wage", "predict", "probabilities",
    "save_scenario", "score_all_postings", "validate_conditions", "wage_curve",
]  # fmt: skip

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
    )  # fmt: skip
    wage = market_wage(probe.keco_code, probe.region_code, model=model)
    amount = max(int(math.ceil(wage / 10_000) * 10_000), legal_minimum_amount("monthly", 40.0))
    return probe.replace(
        wage_amount=amount,
        welfare_codes=tuple(sorted(STATUTORY_WELFARE)),
        open_month=dt.date.today().month,
        n_sections=DEFAULT_SECTIONS,
        body_chars=DEFAULT_BODY_CHARS,
    )
