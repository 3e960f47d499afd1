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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine

from app.auth import User
from app.bounds import has_control_characters
from app.copilot.competency import competency_task
from app.copilot.context import SeekerContext
from app.copilot.cover_letter import Hunk, PostingFacts, cover_letter_task, hunks_from_output
from app.copilot.diagnosis import diagnosis_task
from app.copilot.fit import JobFit, fit_task
from app.copilot.generation import COPILOT_VERSION, CopilotChat, CopilotOutput, CopilotTask, run_task
from app.copilot.grounding import Vocabulary, build_vocabulary
from app.copilot.roadmap import OccupationGraph, roadmap_task
from app.copilot.stage_qa import stage_qa_task
from app.copilot.summary import InvalidSummary, summary_task
from app.db.repositories import courses as course_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import unit_of_work
from app.db.repositories.occupation_transitions import load_occupation_transitions
from app.ml.course_match import compute_skill_gap
from app.ml.employment import EmploymentModel
from app.reference.tables import Reference
from app.services import talent
from app.services.employment import reference_date
from app.services.talent import TalentMatcher
from app.text.korean import format_korean_date, format_manwon
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


@dataclass(frozen=True)
class RoadmapMarket:
    """What the roadmap states of each occupation's labour market (KECO 소분류 → value).

    Attributes:
        market_wages: National market wage of the world's postings (monthly 원).
        demand: Postings per seeker wanting the occupation.
        open_courses: Training course rounds aimed at it that start on or after the reference date.
    """

    market_wages: Mapping[str, float]
    demand: Mapping[str, float]
    open_courses: Mapping[str, int]


def occupation_graph(engine: Engine, ref: Reference) -> OccupationGraph:
    """The occupation graph of the reference tables and the moves observed in the database."""
    return OccupationGraph.build(ref, load_occupation_transitions(engine))


def market_context(engine: Engine, model: EmploymentModel) -> RoadmapMarket:
    """Market wages (the employment model's market), demand and open courses per occupation."""
    postings = posting_repo.count_postings_by(engine, "keco_code")
    wanting = seeker_repo.count_seekers_by(engine, "desired_keco")
    demand = {code: n / wanting[code] for code, n in postings.items() if wanting.get(code)}
    open_courses = course_repo.count_courses_by_keco(engine, starting_on_or_after=reference_date(engine))
    return RoadmapMarket(market_wages=dict(model.market.occupation_wages), demand=demand, open_courses=open_courses)


def roadmap(ctx: SeekerContext, ref: Reference, graph: OccupationGraph, market: RoadmapMarket) -> CopilotTask:
    """경력 로드맵 from the last (or closest) occupation to the desired one."""
    return roadmap_task(ctx, graph, market_wages=market.market_wages, demand=market.demand,
                        open_courses=market.open_courses)


def competency(ctx: SeekerContext, ref: Reference) -> CopilotTask:
    """핵심역량 피드백 against the desired occupation."""
    return competency_task(ctx, copilot_vocabulary(ref), ref=ref)


def preparation_tasks(ctx: SeekerContext, ref: Reference, graph: OccupationGraph,
                      market: RoadmapMarket) -> list[CopilotTask]:
    """The whole preparation of a counselling session: diagnosis, roadmap and competency feedback."""
    return [diagnosis(ctx, ref), roadmap(ctx, ref, graph, market), competency(ctx, ref)]


ROADMAP_TABLE_COLUMNS: tuple[str, ...] = ("경로", "단계", "직종", "중위 임금", "시장임금", "구직자 1명당 구인공고", "얻을 기술",
                                          "관련 자격증", "개강 예정 훈련")
"""Columns of :func:`roadmap_table`."""


def roadmap_table(output: CopilotOutput) -> pd.DataFrame:
    """The roadmap's paths step by step, as the page's table (Korean columns and formats)."""
    rows = []
    for path in output.data.get("paths", []):  # type: ignore[union-attr]
        for step in path["steps"]:
            rows.append({
                "경로": f"경로 {path['number']} · {path['label']}", "단계": int(step["order"]), "직종": step["name"],
                "중위 임금": f"월 {format_manwon(step['wage_median'])}",
                "시장임금": f"월 {format_manwon(step['market_wage'])}" if step.get("market_wage") else "-",
                "구직자 1명당 구인공고": f"{step['demand']:.1f}건" if step.get("demand") is not None else "-",
                "얻을 기술": ", ".join(step["skills_to_gain"][:5]) or "-",
                "관련 자격증": ", ".join(step["certificates"][:3]) or "-",
                "개강 예정 훈련": f"{step['open_courses']:,}개" if step.get("open_courses") else "-",
            })
    return pd.DataFrame(rows, columns=list(ROADMAP_TABLE_COLUMNS))


def roadmap_has_training(output: CopilotOutput) -> bool:
    """Whether some step of the roadmap has training courses opening (the page links to 훈련 추천)."""
    return any(step.get("open_courses") for path in output.data.get("paths", [])  # type: ignore[union-attr]
               for step in path["steps"])


def cover_letter(ctx: SeekerContext, ref: Reference, posting: PostingFacts | None = None) -> CopilotTask:
    """자기소개서 첨삭 fitted to ``posting`` (``None``: the desired occupation)."""
    return cover_letter_task(ctx, posting, copilot_vocabulary(ref), reference=ref)


def cover_letter_hunks(output: CopilotOutput, ctx: SeekerContext, ref: Reference) -> list[Hunk]:
    """The rewrite's changes the counsellor (or seeker) can accept one by one — only from statements that
    passed the check, each re-checked against the seeker's own sources."""
    return hunks_from_output(output, ctx, vocabulary=copilot_vocabulary(ref))


def fit_postings(engine: Engine, matcher: TalentMatcher, user: User, seeker_id: int, ref: Reference,
                 *, top: int = 5) -> list[PostingFacts]:
    """The postings recommended to the seeker as cover-letter targets (title, occupation and sections).

    Raises:
        SearchRefused: The user may not see this seeker's jobs.
        SeekerNotMatched: The seeker registered after the matcher was built.
    """
    results = talent.jobs_for_seeker(engine, matcher, user, seeker_id=int(seeker_id), top=top, reference=ref)
    with unit_of_work(engine) as uow:
        contents = [(card, posting_repo.load_posting_content(uow, card.posting_id)) for card in results.cards]
    return [PostingFacts.from_body(mask_pii(card.title), str(content.get("body") or ""), occupation=card.occupation)
            for card, content in contents if content is not None]


FIT_TABLE_COLUMNS: tuple[str, ...] = ("순위", "공고", "직종", "지역", "임금", "마감", "채용 가능성")
"""Columns of :func:`fit_table`."""


def fit_table(jobs: list[JobFit]) -> pd.DataFrame:
    """The recommended postings of the fit section as the page's table (Korean columns and formats)."""
    return pd.DataFrame([{"순위": j.rank, "공고": j.title, "직종": j.occupation, "지역": j.region,
                          "임금": f"월 {format_manwon(j.wage_monthly)}", "마감": format_korean_date(j.close_date),
                          "채용 가능성": f"{j.hire_probability * 100:.0f}%"} for j in jobs],
                        columns=list(FIT_TABLE_COLUMNS))
