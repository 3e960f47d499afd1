"""상담 지원 AI (counselling copilot): the one module its pages import.

* context — :func:`counsellor_context` (a seeker of the open caseload, with the employment model's
  output), :func:`own_context` (a seeker's own record, for their simplified page), the role checks;
* prepare — task builders (:func:`diagnosis`, :func:`job_fit`, …), :func:`run` (the configured
  backend with the faithfulness check and the visible fallback), the audit helpers;
* records — :func:`record_shown`, :func:`confirm_output`, :func:`save_summary` (the counsellor's
  edits stored beside the original), :func:`saved_summaries`.
"""

from __future__ import annotations

from app.copilot.context import SeekerContext
from app.copilot.cover_letter import HUNK_KIND_LABELS, Hunk, PostingFacts, apply_hunks
from app.copilot.cover_letter import KINDS as COVER_LETTER_KINDS
from app.copilot.generation import COPILOT_VERSION, OFFLINE_BACKEND, CopilotOutput, CopilotTask
from app.copilot.grounding import Source, Statement
from app.copilot.stage_qa import STAGES, infer_stage
from app.copilot.summary import MAX_NOTES_CHARS, SUMMARY_KINDS, InvalidSummary, summary_fields, validate_edited_summary
from app.llm.factory import make_copilot_chat
from app.services.copilot.context import (
    CopilotAccessDenied,
    counsellor_context,
    own_context,
    own_seeker_id,
    require_counsellor,
)
from app.services.copilot.prepare import (
    FIT_TABLE_COLUMNS,
    MODEL_NAME,
    ROADMAP_TABLE_COLUMNS,
    RoadmapMarket,
    RunResult,
    audit_output,
    competency,
    copilot_vocabulary,
    cover_letter,
    cover_letter_hunks,
    diagnosis,
    fit_postings,
    fit_table,
    job_fit,
    market_context,
    model_version,
    occupation_graph,
    preparation_tasks,
    recommended_jobs,
    roadmap,
    roadmap_has_training,
    roadmap_table,
    run,
    session_summary,
    stage_qa,
    task_key,
)
from app.services.copilot.records import (
    CONFIRM_ACTION,
    MAX_EDIT_CHARS,
    SUMMARY_ACTION,
    CopilotEditError,
    CopilotRecordNotFound,
    confirm_output,
    edit_review,
    record_shown,
    save_summary,
    saved_summaries,
)

__all__ = [
    "COPILOT_VERSION", "OFFLINE_BACKEND", "CopilotOutput", "CopilotTask", "Source", "Statement", "make_copilot_chat",
    "CopilotAccessDenied", "counsellor_context", "own_context", "own_seeker_id", "require_counsellor",
    "MODEL_NAME", "RunResult", "audit_output", "copilot_vocabulary", "diagnosis", "job_fit", "model_version", "run",
    "recommended_jobs", "SeekerContext", "session_summary", "stage_qa", "STAGES", "infer_stage", "SUMMARY_KINDS",
    "InvalidSummary", "MAX_NOTES_CHARS", "summary_fields", "validate_edited_summary", "ROADMAP_TABLE_COLUMNS", "RoadmapMarket", "competency",
    "market_context", "occupation_graph", "preparation_tasks", "roadmap", "roadmap_has_training", "roadmap_table",
    "cover_letter", "cover_letter_hunks", "fit_postings", "FIT_TABLE_COLUMNS", "fit_table", "HUNK_KIND_LABELS", "Hunk", "PostingFacts", "apply_hunks",
    "COVER_LETTER_KINDS",
    "task_key", "CONFIRM_ACTION", "MAX_EDIT_CHARS", "SUMMARY_ACTION", "CopilotEditError", "CopilotRecordNotFound",
    "confirm_output", "edit_review", "record_shown", "save_summary", "saved_summaries",
]
