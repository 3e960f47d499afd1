"""Hiring-success use cases (채용성공 시뮬레이터): the one module pages and components import.

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
* policy view — :func:`score_all_postings` (read from what :func:`store_posting_scores` keeps), :func:`fill_outlook` (a few postings'), :func:`fill_probability_by`, :func:`at_risk_postings`;
  the page reads their figures without the rows: :func:`posting_risk_summary`, :func:`risk_overview`, :func:`at_risk_page`;
* change the posting — :func:`apply_to_posting`, :func:`apply_scenario` (a new version, verified
  by the ad verifier before it is published), :func:`load_versions`, :func:`version_table`,
  :func:`decide_pending_version`, :func:`verification_status`;
* hiring consulting — :func:`request_consulting`, :func:`assign_case`, :func:`add_case_note`,
  :func:`load_cases`, :func:`load_case_notes`, :func:`case_table`, :func:`note_table`.

Every prediction a user sees is logged with :func:`app.services.audit.log_model_output`
(``prediction.model_version``, ``prediction.input_hash``, ``prediction.audit_output()``).

Submodules, one concern each: :mod:`.conditions` (the validated value object and labour-law
checks), :mod:`.scoring` (prediction and explanation for people; the float-matrix inference is
:mod:`app.ml.hiring_scorer`), :mod:`.reasons` (Korean sentences), :mod:`.market` (market bounds and
defaults), :mod:`.plans` (cost model and search), :mod:`.advice`, :mod:`.store` (postings and
scenarios through the repositories), :mod:`.policy`, :mod:`.versions` (posting versions),
:mod:`.consulting` (채용 컨설팅).
"""

from __future__ import annotations

from app.ml.hiring import MODEL_NAME, HiringModel, load_hiring_model
from app.reference.codes import FULL_TIME_TYPES
from app.search.postings_index import ARTIFACT_NAME as POSTINGS_INDEX_NAME
from app.search.postings_index import PostingNotIndexed, PostingsIndex, load_similar_postings
from app.services.hiring.advice import Advice, advice
from app.services.hiring.conditions import (
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
from app.services.hiring.consulting import (
    CASE_STATUSES,
    OPEN_STATUSES,
    ConsultingNotFound,
    InvalidConsulting,
    add_case_note,
    assign_case,
    case_table,
    load_case_notes,
    load_cases,
    note_table,
    policy_staff,
    request_consulting,
)
from app.services.hiring.market import MarketBounds, default_conditions, market_bounds, market_wage
from app.services.hiring.plans import Plan, minimum_change
from app.services.hiring.policy import (
    AT_RISK_THRESHOLD,
    GROUPINGS,
    PostingRiskSummary,
    RiskOverview,
    at_risk_page,
    at_risk_postings,
    fill_outlook,
    fill_probability_by,
    posting_risk_summary,
    risk_overview,
    score_all_postings,
    store_posting_scores,
)
from app.services.hiring.scoring import Prediction, predict, probabilities, wage_curve
from app.services.hiring.store import (
    PostingNotFound,
    ScenarioNotFound,
    compare_scenarios,
    conditions_from_posting,
    delete_scenario,
    load_employer_postings,
    load_scenarios,
    save_scenario,
)
from app.services.hiring.versions import (
    SOURCE_KINDS,
    VERSION_STATUSES,
    AppliedVersion,
    PostingChanged,
    QueueStatus,
    VersionNotFound,
    apply_scenario,
    apply_to_posting,
    decide_pending_version,
    describe_changes,
    load_versions,
    pending_versions,
    rewrite_posting_text,
    save_checked_posting,
    verification_status,
    version_table,
)
from app.verify.verifier import MODEL_NAME as AD_VERIFIER_NAME
from app.verify.verifier import load_stored_checks

__all__ = [
    # postings and their conditions
    "PostingConditions", "InvalidConditions", "PostingAccessDenied", "PostingNotFound", "FIELD_LABELS",
    "FULL_TIME_TYPES", "validate_conditions", "load_employer_postings", "conditions_from_posting",
    "default_conditions", "lawful_baseline", "legal_issues", "legal_minimum_amount", "minimum_hourly_wage",
    # the model and its predictions
    "MODEL_NAME", "HiringModel", "load_hiring_model", "Prediction", "predict", "probabilities", "wage_curve",
    # market, plans and advice
    "MarketBounds", "market_bounds", "market_wage", "Plan", "minimum_change", "Advice", "advice",
    # similar postings
    "POSTINGS_INDEX_NAME", "PostingsIndex", "PostingNotIndexed", "load_similar_postings",
    # saved scenarios
    "ScenarioNotFound", "save_scenario", "load_scenarios", "delete_scenario", "compare_scenarios",
    # policy view
    "AT_RISK_THRESHOLD", "GROUPINGS", "fill_outlook", "score_all_postings", "store_posting_scores", "fill_probability_by", "at_risk_postings",
    "PostingRiskSummary", "RiskOverview", "posting_risk_summary", "risk_overview", "at_risk_page",
    # posting versions (apply a what-if, scenario or plan; verified before it is published)
    "SOURCE_KINDS", "VERSION_STATUSES", "AppliedVersion", "PostingChanged", "QueueStatus", "VersionNotFound",
    "apply_scenario", "apply_to_posting", "decide_pending_version", "describe_changes", "load_versions",
    "pending_versions", "rewrite_posting_text", "save_checked_posting", "verification_status", "version_table", "AD_VERIFIER_NAME",
    "load_stored_checks",
    # hiring consulting
    "CASE_STATUSES", "OPEN_STATUSES", "policy_staff", "ConsultingNotFound", "InvalidConsulting", "add_case_note", "assign_case",
    "case_table", "load_case_notes", "load_cases", "note_table", "request_consulting",
]
