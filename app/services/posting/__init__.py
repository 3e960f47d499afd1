"""Posting writing assistant (구인공고 AI 작성지원): the one module its page and components import.

* the Q&A — :data:`STEPS`, :func:`parse_answer` (Korean answers into fields), :func:`acknowledge`,
  :func:`validate_answers`;
* the occupation — :func:`classify_occupation` (KECO top-k with word evidence), :func:`is_confident`
  (preselect or ask), :func:`evidence_text`, :func:`occupation_options`;
* the draft — :func:`make_request`, :func:`compose_draft` (generator with fallback, masked,
  verified), :func:`validate_edits`, :func:`review_draft` (checklist and verification per
  section), :func:`remove_flagged_lines`, :func:`hiring_preview`;
* saving — :func:`employer_profile`, :func:`save_posting` (one transaction, the employer's own).

Submodules: :mod:`.answers` (questions and parsers), :mod:`.assistant` (the rest).
"""

from __future__ import annotations

from app.llm.base import SECTION_LABELS, SECTIONS, PostingDraft, TextGenerator
from app.llm.factory import make_generator
from app.ml.occupation import CONFIDENCE_FLOOR, OccupationClassifier, OccupationGuess, load_occupation_classifier
from app.ml.occupation import MODEL_NAME as OCCUPATION_MODEL_NAME
from app.services.posting.answers import (
    STEP_BY_KEY,
    STEPS,
    AssistantAnswers,
    InvalidAnswer,
    InvalidAnswers,
    acknowledge,
    parse_answer,
    validate_answers,
)
from app.services.posting.assistant import (
    MODEL_NAME,
    ChecklistItem,
    DraftReview,
    InvalidPosting,
    PostingAccessDenied,
    classify_occupation,
    compose_draft,
    draft_hash,
    employer_profile,
    evidence_text,
    hiring_preview,
    is_confident,
    make_request,
    mandatory_checklist,
    mask_draft,
    occupation_options,
    preview_conditions,
    remove_flagged_lines,
    review_draft,
    save_posting,
    section_findings,
    validate_edits,
    verify_text,
    warm_up_draft_review,
    welfare_names,
)

__all__ = [
    # the Q&A
    "STEPS", "STEP_BY_KEY", "AssistantAnswers", "InvalidAnswer", "InvalidAnswers", "acknowledge", "parse_answer",
    "validate_answers",
    # the occupation
    "OCCUPATION_MODEL_NAME", "OccupationClassifier", "OccupationGuess", "classify_occupation",
    "load_occupation_classifier", "occupation_options", "is_confident", "evidence_text", "CONFIDENCE_FLOOR",
    # the draft
    "MODEL_NAME", "SECTIONS", "SECTION_LABELS", "PostingDraft", "TextGenerator", "make_generator", "make_request",
    "compose_draft", "mask_draft", "validate_edits", "verify_text", "review_draft", "mandatory_checklist",
    "section_findings", "remove_flagged_lines", "ChecklistItem", "DraftReview", "draft_hash", "hiring_preview",
    "preview_conditions", "welfare_names", "warm_up_draft_review",
    # saving
    "InvalidPosting", "PostingAccessDenied", "employer_profile", "save_posting",
]
