"""Talent recommendation (AI 인재추천) and the seeker's side: the one module its pages import.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

from app.services.talent.query import (
    CHIP_KEYS,
    District,
    QueryChip,
    TalentQuery,
    UnreadableQuery,
    describe_chips,
    parse_talent_query,
    validate_query,
    with_chip_removed,
)
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

__all__: list[str] = [
    "CHIP_KEYS", "District", "QueryChip", "TalentQuery", "UnreadableQuery", "describe_chips", "parse_talent_query",
    "validate_query", "with_chip_removed",
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
