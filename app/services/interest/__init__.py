"""The adaptive interest test (지능형 직업심리검사) and the occupation fit: the one module its pages import.

Taking the test (:mod:`.test`), its result (:mod:`.result`) and the item bank's health (:mod:`.policy`).
"""

from __future__ import annotations

from app.ml.interest_bank import MODEL_NAME, InterestTestModel, load_interest_test
from app.ml.occupation_fit import MODEL_NAME as FIT_MODEL_NAME
from app.ml.occupation_fit import OccupationFit, load_occupation_fit
from app.services.interest.policy import BankHealth, bank_health
from app.services.interest.result import (
    SCALE_NAMES,
    InterestResult,
    OccupationFitView,
    ScaleScore,
    compare_results,
    report_csv,
)
from app.services.interest.test import (
    COUNSELLOR,
    SELF,
    InterestTestError,
    Question,
    TestState,
    abandon,
    current_state,
    open_session_id,
    restart,
    results_over_time,
    session_answers,
    start_or_resume,
    submit_answer,
)

__all__ = [
    "COUNSELLOR",
    "FIT_MODEL_NAME",
    "MODEL_NAME",
    "SCALE_NAMES",
    "SELF",
    "BankHealth",
    "InterestResult",
    "InterestTestError",
    "InterestTestModel",
    "OccupationFit",
    "OccupationFitView",
    "Question",
    "ScaleScore",
    "TestState",
    "abandon",
    "bank_health",
    "compare_results",
    "current_state",
    "load_interest_test",
    "load_occupation_fit",
    "open_session_id",
    "report_csv",
    "restart",
    "results_over_time",
    "session_answers",
    "start_or_resume",
    "submit_answer",
]
