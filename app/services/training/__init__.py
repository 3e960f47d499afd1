"""Training recommendation (AI 직업훈련추천): the one module its pages import.

* plan — :func:`add_to_plan`, :func:`remove_from_plan`, :func:`load_plan`, :func:`plan_counts`
  (a seeker's counselling plan: counsellors change it, every change audit-logged);
* questions — :func:`ask_about_course` (a seeker asks their counsellor), :func:`answer_question`,
  :func:`load_questions`;
* policy — :func:`record_shown` (recommendations shown, for the policy view),
  :func:`recommendation_summary`, :func:`recommended_never_taken`, :func:`summary_table`;
* recommend — :func:`recommend_for_seeker` (a seeker's skill gap and courses ranked by expected uplift,
  :class:`TrainingFilter`), the tables of its charts and the seeker's plain-Korean reasons.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

from app.bounds import MAX_MESSAGE_CHARS
from app.charts.training import make_components_figure, make_recommended_courses_figure, make_skill_gap_figure
from app.ml.training_recommender import COMPONENTS, MODEL_NAME, TrainingArtifact, load_training_artifact
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
    PolicyOverview,
    policy_overview,
    recommendation_summary,
    recommended_never_taken,
    record_shown,
    summary_table,
)
from app.services.training.questions import (
    ANSWER_ACTION,
    OPEN_LABEL,
    QUESTION_ACTION,
    QUESTION_TABLE_COLUMNS,
    answer_question,
    ask_about_course,
    load_questions,
)
from app.services.training.recommend import (
    DEFAULT_TOP,
    MAX_TOP,
    InvalidTrainingFilter,
    TrainingFilter,
    TrainingRecommendations,
    components_table,
    gap_table,
    plain_reasons,
    recommend_for_seeker,
    reference_date_of,
    top_courses_frame,
)

QUESTION_MAX_CHARS = MAX_MESSAGE_CHARS
"""Longest question or answer about a course (the service refuses longer)."""

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
    "summary_table", "PolicyOverview", "policy_overview", "top_courses_frame", "reference_date_of",
    # recommendations
    "MODEL_NAME", "COMPONENTS", "DEFAULT_TOP", "MAX_TOP", "TrainingArtifact", "load_training_artifact", "TrainingFilter",
    "InvalidTrainingFilter", "TrainingRecommendations", "recommend_for_seeker", "gap_table", "components_table",
    "plain_reasons", "make_skill_gap_figure", "make_components_figure", "make_recommended_courses_figure",
    "OPEN_LABEL", "QUESTION_MAX_CHARS",
]
