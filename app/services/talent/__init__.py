"""Talent recommendation (AI 인재추천) and the seeker's side: the one module its pages import.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

from app.charts.talent import (
    make_career_figure,
    make_region_figure,
    make_requirement_coverage_figure,
    make_wage_figure,
    requirement_coverage,
)
from app.llm.candidates import (
    OFFLINE_QUESTIONS,
    OFFLINE_SUMMARY,
    GroundedSentence,
    InterviewQuestion,
    SummaryChat,
    career_text,
)
from app.llm.factory import make_summary_chat
from app.ml.talent import FEATURE_LABELS, MODEL_NAME, TalentMatcher, load_talent_matcher
from app.services.talent.consent import (
    FEEDBACK_ACTIONS,
    MESSAGE_MAX,
    REQUEST_STATUSES,
    REVEAL_ACTION,
    REVEALED_FIELDS,
    ContactRequestError,
    ContactRequestView,
    RequestAccessDenied,
    RequestNotFound,
    RequestsOverview,
    SeekerContact,
    clear_feedback,
    decide_request,
    feedback_for,
    feedback_for_training,
    is_opted_out,
    opted_out_seeker_ids,
    opted_out_since,
    record_feedback,
    request_contact,
    requests_for_employer,
    requests_for_seeker,
    requests_overview,
    requests_table,
    revealed_identity,
    set_opt_out,
    withdraw_request,
)
from app.services.talent.evidence import MatchReason, Preferred
from app.services.talent.matching import (
    DEFAULT_TOP,
    CandidateCard,
    CandidateResults,
    EmptySearch,
    JobCard,
    JobResults,
    PostingNotFound,
    QuestionSet,
    SearchFilters,
    SearchRefused,
    SeekerNotMatched,
    filters_from_query,
    hidden_candidates,
    interview_questions,
    jobs_for_seeker,
    search_candidates,
)
from app.services.talent.query import (
    CHIP_KEYS,
    PREFERABLE_KEYS,
    PREFERRED_MARK,
    District,
    QueryChip,
    TalentQuery,
    UnreadableQuery,
    describe_chips,
    parse_talent_query,
    validate_query,
    with_chip_removed,
)

__all__: list[str] = [
    "FEATURE_LABELS", "MODEL_NAME", "CandidateCard", "CandidateResults", "EmptySearch", "GroundedSentence",
    "InterviewQuestion", "MatchReason", "PostingNotFound", "SearchFilters", "SearchRefused", "TalentMatcher",
    "OFFLINE_QUESTIONS", "OFFLINE_SUMMARY", "SummaryChat", "make_summary_chat", "DEFAULT_TOP", "QuestionSet", "career_text", "JobCard", "JobResults", "SeekerNotMatched", "jobs_for_seeker",
    "filters_from_query", "hidden_candidates", "interview_questions", "load_talent_matcher", "make_career_figure", "make_region_figure",
    "make_requirement_coverage_figure", "make_wage_figure", "requirement_coverage", "search_candidates",
    "CHIP_KEYS", "District", "QueryChip", "TalentQuery", "UnreadableQuery", "describe_chips", "parse_talent_query",
    "validate_query", "with_chip_removed", "PREFERABLE_KEYS", "PREFERRED_MARK", "Preferred",
]

# 상담 요청과 동의 (consent-gated contact), opt-out, saved and dismissed candidates
__all__ += [
    "FEEDBACK_ACTIONS", "MESSAGE_MAX", "REQUEST_STATUSES", "REVEAL_ACTION", "REVEALED_FIELDS", "ContactRequestError",
    "ContactRequestView", "RequestAccessDenied", "RequestNotFound", "RequestsOverview", "SeekerContact",
    "clear_feedback", "decide_request", "feedback_for", "feedback_for_training", "is_opted_out",
    "opted_out_seeker_ids", "opted_out_since", "record_feedback", "request_contact", "requests_for_employer",
    "requests_for_seeker", "requests_overview", "requests_table", "revealed_identity", "set_opt_out",
    "withdraw_request",
]
