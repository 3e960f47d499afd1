"""Training recommendation (AI 직업훈련추천): the one module its pages import.

* plan — :func:`add_to_plan`, :func:`remove_from_plan`, :func:`load_plan`, :func:`plan_counts`
  (a seeker's counselling plan: counsellors change it, every change audit-logged);
* questions — :func:`ask_about_course` (a seeker asks their counsellor), :func:`answer_question`,
  :func:`load_questions`;
* policy — :func:`record_shown` (recommendations shown, for the policy view),
  :func:`recommendation_summary`, :func:`recommended_never_taken`, :func:`summary_table`.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

from app.services.training.plan import (
    PLAN_ADD_ACTION,
    PLAN_REMOVE_ACTION,
    PLAN_TABLE_COLUMNS,
    TrainingAccessDenied,
    TrainingNotFound,
    TrainingPlanError,
    add_to_plan,
    load_plan,
    plan_counts,
    remove_from_plan,
)
from app.services.training.policy import (
    SUMMARY_COLUMNS,
    SUMMARY_LABELS,
    recommendation_summary,
    recommended_never_taken,
    record_shown,
    summary_table,
)
from app.services.training.questions import (
    ANSWER_ACTION,
    QUESTION_ACTION,
    QUESTION_TABLE_COLUMNS,
    answer_question,
    ask_about_course,
    load_questions,
)

__all__ = [
    # errors
    "TrainingPlanError", "TrainingNotFound", "TrainingAccessDenied",
    # the plan
    "PLAN_ADD_ACTION", "PLAN_REMOVE_ACTION", "PLAN_TABLE_COLUMNS", "add_to_plan", "remove_from_plan", "load_plan",
    "plan_counts",
    # seekers' questions
    "QUESTION_ACTION", "ANSWER_ACTION", "QUESTION_TABLE_COLUMNS", "ask_about_course", "answer_question",
    "load_questions",
    # recommendations shown and the policy view
    "SUMMARY_COLUMNS", "SUMMARY_LABELS", "record_shown", "recommendation_summary", "recommended_never_taken",
    "summary_table",
]
