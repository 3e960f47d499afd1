"""Employment-success use cases (취업성공모델): the one module counsellor and policy pages import.

* caseload — :func:`score_caseload` (every open seeker with probability, band and main risk
  factor), :func:`filter_caseload`, :func:`caseload_table`, :func:`caseload_csv` (masked);
  :func:`store_caseload_scores` keeps those scores in the database (the build calls it) and
  :func:`stored_caseload_scores` reads them for the pages;
* one seeker — :func:`seeker_profile` (masked summary and documents, probability with interval,
  reasons, services ranked by estimated effect, similar past seekers), :func:`whatif`;
* counsellor override — :func:`save_override`, :func:`load_overrides`, :func:`override_report`;
* the seeker picker — :func:`find_caseload_seekers` (a search, highest risk first, bounded) and
  :func:`caseload_seeker` (a requested seeker checked against the caseload);
* policy — :func:`load_risk_bands`, :func:`save_risk_bands`, :func:`band_shares`,
  :func:`threshold_tradeoff`, :func:`fairness_reports`, :func:`caseload_aggregates`; from the
  stored caseload without its rows :func:`caseload_probability_counts` and
  :func:`stored_caseload_aggregates`.

Every prediction a user sees is logged with :func:`app.services.audit.log_model_output`
(``model_version`` and ``input_hash`` of the results here).

Submodules: :mod:`.caseload`, :mod:`.profile`, :mod:`.policy`, :mod:`.reasons` (Korean
sentences), :mod:`.store` (bands, overrides and masked documents through the repositories).
"""

from __future__ import annotations

from app.db.repositories.seekers import MaskedDocuments
from app.ml.employment import MODEL_NAME, EmploymentModel, load_employment_model
from app.ml.fairness import ATTRIBUTE_LABELS, METRIC_LABELS, FairnessReport
from app.services.employment.caseload import (
    CASELOAD_KEY_COLUMNS,
    CASELOAD_SORTS,
    PICKER_COUNT_CAP,
    PICKER_LIMIT,
    TRAINING_PLAN_COLUMN,
    CaseloadFilter,
    CaseloadSummary,
    SeekerMatches,
    apply_bands,
    best_services,
    caseload_csv,
    caseload_page,
    caseload_probability_counts,
    caseload_scores,
    caseload_seeker,
    caseload_summary,
    caseload_table,
    filter_caseload,
    find_caseload_seekers,
    reference_date,
    score_caseload,
    score_explained,
    score_records,
    sort_caseload,
    store_caseload_scores,
    stored_caseload_aggregates,
    stored_caseload_scores,
)
from app.services.employment.policy import (
    FAIRNESS_SIGNIFICANCE,
    RECALL_FLOOR,
    CutoffTradeoff,
    ProbabilityCounts,
    band_shares,
    caseload_aggregates,
    cutoff_table,
    cutoff_tradeoff,
    fairness_reports,
    probability_counts,
    table_cutoffs,
    threshold_tradeoff,
)
from app.services.employment.profile import (
    MAX_DESIRED_WAGE,
    MAX_EXTRA_CERTIFICATES,
    MIN_DESIRED_WAGE,
    InvalidWhatIf,
    SeekerProfile,
    WhatIf,
    WhatIfResult,
    seeker_profile,
    whatif,
)
from app.services.employment.reasons import ACTIONABLE_FACTORS, FIXED_FACTORS
from app.services.employment.store import (
    DEFAULT_HIGH_BELOW,
    DEFAULT_LOW_FROM,
    RISK_BANDS,
    RISK_ORDER,
    InvalidBands,
    InvalidOverride,
    OverrideReport,
    RiskBands,
    SeekerNotFound,
    latest_overrides,
    load_band_history,
    load_overrides,
    load_risk_bands,
    override_report,
    save_override,
    save_risk_bands,
)

__all__ = [
    # the model
    "MODEL_NAME", "EmploymentModel", "load_employment_model", "score_records",
    # batch scoring
    "score_explained", "best_services",
    # the caseload
    "reference_date", "caseload_scores", "store_caseload_scores", "stored_caseload_scores",
    "CaseloadSummary", "caseload_summary", "caseload_page", "apply_bands", "sort_caseload", "CASELOAD_SORTS", "CASELOAD_KEY_COLUMNS",
    "TRAINING_PLAN_COLUMN",
    # the seeker picker: a search over the stored caseload, and the check of a requested seeker
    "PICKER_LIMIT", "PICKER_COUNT_CAP", "SeekerMatches", "find_caseload_seekers", "caseload_seeker",
    "CaseloadFilter", "score_caseload", "filter_caseload", "caseload_table", "caseload_csv", "MaskedDocuments",
    # one seeker
    "ACTIONABLE_FACTORS", "FIXED_FACTORS", "SeekerProfile", "SeekerNotFound", "seeker_profile", "WhatIf", "WhatIfResult", "InvalidWhatIf", "whatif",
    "MIN_DESIRED_WAGE", "MAX_DESIRED_WAGE", "MAX_EXTRA_CERTIFICATES",
    # risk bands and counsellors' overrides
    "RISK_BANDS", "RISK_ORDER", "RiskBands", "InvalidBands", "DEFAULT_HIGH_BELOW", "DEFAULT_LOW_FROM",
    "load_risk_bands", "save_risk_bands", "load_band_history", "InvalidOverride", "save_override", "load_overrides",
    "latest_overrides", "OverrideReport", "override_report",
    # policy and fairness
    "band_shares", "caseload_aggregates", "threshold_tradeoff", "RECALL_FLOOR", "CutoffTradeoff", "cutoff_tradeoff",
    "cutoff_table", "fairness_reports", "FAIRNESS_SIGNIFICANCE",
    "ProbabilityCounts", "probability_counts", "table_cutoffs", "caseload_probability_counts", "stored_caseload_aggregates",
    "FairnessReport", "ATTRIBUTE_LABELS", "METRIC_LABELS",
]
