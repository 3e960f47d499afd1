"""Run the copilot's tasks for one seeker: the preparation (diagnosis, roadmap, competency feedback),
cover-letter feedback, fit to the recommended jobs, stage Q&A and the session summary.

Each function takes the context (:mod:`app.services.copilot.context`) and the chat backend
(``None`` for the offline composer; :func:`app.llm.factory.make_copilot_chat`), and returns checked
:class:`~app.copilot.generation.CopilotOutput` s. The page logs each output before drawing it
(:func:`audit_output`, :func:`input_hash`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine

from app.auth import User
from app.bounds import has_control_characters
from app.copilot.context import SeekerContext
from app.copilot.diagnosis import diagnosis_task
from app.copilot.fit import JobFit, fit_task
from app.copilot.generation import COPILOT_VERSION, CopilotChat, CopilotOutput, CopilotTask, run_task
from app.copilot.grounding import Vocabulary, build_vocabulary
from app.copilot.stage_qa import stage_qa_task
from app.copilot.summary import InvalidSummary, summary_task
from app.ml.course_match import compute_skill_gap
from app.reference.tables import Reference
from app.services import talent
from app.services.talent import TalentMatcher
from app.text.pii import mask_pii

MODEL_NAME = "copilot"
"""Name of the copilot in the audit log and the transparency notice."""


@lru_cache(maxsize=4)
def copilot_vocabulary(ref: Reference) -> Vocabulary:
    """Certificate, occupation and organisation names that count as claims (one per reference)."""
    occupations = [*ref.occupations["name"].astype(str), *ref.keco_tree["name"].astype(str)]
    return build_vocabulary(ref.certificates["name"].astype(str), occupations)


def input_hash(task: CopilotTask, backend: str) -> str:
    """SHA-256 of what a task was given (its sources and instruction), the backend and the version."""
    payload = json.dumps({"task": task.name, "sources": [(s.key, s.text) for s in task.sources],
                          "instruction": task.instruction, "backend": backend, "version": COPILOT_VERSION},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_output(output: CopilotOutput, seeker_id: int) -> dict[str, object]:
    """What the audit log keeps of an output: counts and the backend (no text)."""
    return {"seeker_id": int(seeker_id), "task": output.task, "backend": output.backend, "version": output.version,
            "statements": len(output.shown), "removed": output.removed, "claims_checked": output.claims_checked,
            "fell_back": output.fell_back}


def model_version(output: CopilotOutput) -> str:
    """The audit log's model version: the backend that wrote the output and the copilot version."""
    return f"{output.backend} {output.version}"[:40]


def occupation_requirements(ref: Reference, ctx: SeekerContext) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(required skills and knowledge, those the seeker shows, the occupation's certificates)."""
    try:
        gap = compute_skill_gap(ref, ctx.desired_keco, ";".join(ctx.skills) + " " + ctx.resume, ";".join(ctx.certificates))
    except KeyError:
        return (), (), ()
    return gap.required, gap.held, gap.certificates_required


@dataclass(frozen=True)
class RunResult:
    """One output and the hash of its input (for the audit log and the stored record)."""

    output: CopilotOutput
    input_hash: str


def task_key(task: CopilotTask) -> str:
    """Hash of what a task is given, whatever the backend (the page remembers outputs by it)."""
    return input_hash(task, "")


def run(task: CopilotTask, chat: CopilotChat | None, ref: Reference) -> RunResult:
    """Run a task through the backend (``None``: the offline composer) with the faithfulness check."""
    output = run_task(task, chat, copilot_vocabulary(ref))
    return RunResult(output, input_hash(task, output.backend if chat is None else chat.name))


def diagnosis(ctx: SeekerContext, ref: Reference) -> CopilotTask:
    """초기 진단 of a seeker."""
    required, held, certificates = occupation_requirements(ref, ctx)
    return diagnosis_task(ctx, occupation_skills=required, held_skills=held, occupation_certificates=certificates)


def job_fit(jobs: list[JobFit], *, model_version_text: str = "") -> CopilotTask:
    """추천 직무별 적합성 of the postings recommended to a seeker."""
    return fit_task(jobs, model_version=model_version_text)


def recommended_jobs(engine: Engine, matcher: TalentMatcher, user: User, seeker_id: int, *, top: int = 5,
                     ref: Reference | None = None) -> tuple[list[JobFit], str]:
    """The postings talent recommendation ranks first for the seeker, as the fit task needs them, and
    the matcher's version.

    Raises:
        SearchRefused: The user may not see this seeker's jobs.
        SeekerNotMatched: The seeker registered after the matcher was built.
    """
    results = talent.jobs_for_seeker(engine, matcher, user, seeker_id=int(seeker_id), top=top, reference=ref)
    jobs = [JobFit(rank=c.rank, title=mask_pii(c.title), occupation=c.occupation, region=c.region,
                   wage_monthly=float(c.wage_monthly), close_date=c.close_date, hire_probability=float(c.hire_probability),
                   reasons=tuple((r.label, mask_pii(r.evidence), r.source) for r in c.reasons),
                   missing=tuple(c.missing)) for c in results.cards]
    return jobs, str(results.model_version)


def stage_qa(ctx: SeekerContext, ref: Reference, stage: str | None = None) -> CopilotTask:
    """단계별 예상 질의응답 for the counselling stage (``None``: inferred from the record)."""
    return stage_qa_task(ctx, stage or None, copilot_vocabulary(ref))


def session_summary(notes_text: str, session_date: dt.date, ctx: SeekerContext | None = None) -> CopilotTask:
    """상담 요약 of one session's notes.

    Raises:
        InvalidSummary: Empty notes, notes too long or holding control characters, or a session date
            after the data's reference date.
    """
    text = str(notes_text or "")
    if not text.strip():
        raise InvalidSummary("요약할 상담 메모를 적어 주세요.")
    if has_control_characters(text.replace("\n", "").replace("\t", "")):
        raise InvalidSummary("상담 메모에 쓸 수 없는 제어 문자가 있습니다.")
    if ctx is not None and session_date > ctx.as_of:
        raise InvalidSummary(f"상담일은 기준일({ctx.as_of.isoformat()}) 이후일 수 없습니다.")
    return summary_task(text, session_date, ctx)
