"""추천 직무별 적합성: for the postings recommended to the seeker, the fit and the key matching facts.

The ranking, the reasons and the chance of being hired come from talent recommendation (the same
cards the seeker sees on 추천 일자리); this task states them per posting with their evidence, and what
the posting asks that the record does not show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.copilot.generation import CopilotTask
from app.copilot.grounding import Source, Statement
from app.text.korean import format_manwon

TASK = "fit"
KINDS: dict[str, str] = {"fit": "공고별 적합성", "match": "맞는 점", "gap": "확인하거나 보완할 점"}
INSTRUCTION = ("추천 공고마다 적합성(fit) 한 문장, 맞는 점(match)과 보완할 점(gap)을 근거 번호와 함께 씁니다. "
               "채용 가능성 확률은 근거의 값을 그대로 씁니다.")


@dataclass(frozen=True)
class JobFit:
    """One recommended posting as the fit task needs it (masked, no posting id on screen).

    Attributes:
        rank: 1-based rank.
        title: Posting title; ``occupation`` its occupation; ``region`` short 시도 name.
        wage_monthly: Monthly wage offered (원).
        close_date: Last day to apply.
        hire_probability: Calibrated probability of being hired if the seeker applies.
        reasons: (reason, evidence sentence, where the evidence is from).
        missing: What the posting asks that the record lacks.
    """

    rank: int
    title: str
    occupation: str
    region: str
    wage_monthly: float
    close_date: dt.date
    hire_probability: float
    reasons: tuple[tuple[str, str, str], ...] = ()
    missing: tuple[str, ...] = ()


def fit_task(jobs: Sequence[JobFit], *, model_version: str = "") -> CopilotTask:
    """Fit statements for the recommended postings (top first)."""
    sources: list[Source] = []
    statements: list[Statement] = []
    for job in jobs:
        key = f"posting.{job.rank}"
        sources.append(Source(key, f"추천 공고 {job.rank}순위" + (f" · 인재추천 모델 {model_version}" if model_version else ""),
                              f"{job.title} · {job.occupation} · {job.region} · 월 {format_manwon(job.wage_monthly)} · "
                              f"마감 {job.close_date.isoformat()} · 지원 시 채용 가능성 {round(job.hire_probability * 100)}%"))
        statements.append(Statement(
            f"{job.rank}순위 ‘{job.title}’({job.occupation}, {job.region}, 월 {format_manwon(job.wage_monthly)}): "
            f"지원하면 채용될 가능성이 {round(job.hire_probability * 100)}%로 추정됩니다.", (key,), "fit"))
        for n, (reason, evidence, where) in enumerate(job.reasons[:3], 1):
            ev_key = f"{key}.reason.{n}"
            sources.append(Source(ev_key, f"추천 공고 {job.rank}순위 · 근거({where})", f"{reason}: {evidence}"))
            statements.append(Statement(f"{job.rank}순위 공고와 맞는 점: {reason}", (ev_key,), "match"))
        if job.missing:
            gap_key = f"{key}.missing"
            # each missing item is a sentence of its own ("…다릅니다."): one statement each, not a joined list
            sources.append(Source(gap_key, f"추천 공고 {job.rank}순위 · 기록에 없는 요건", "\n".join(job.missing)))
            statements += [Statement(f"{job.rank}순위 공고에서 확인할 점: {item}", (gap_key,), "gap")
                           for item in job.missing[:3]]
    return CopilotTask(name=TASK, title="추천 직무별 적합성", instruction=INSTRUCTION, kinds=KINDS, sources=tuple(sources),
                       offline=tuple(statements), max_statements=30,
                       data={"jobs": [{"rank": j.rank, "title": j.title, "occupation": j.occupation, "region": j.region,
                                       "wage_monthly": j.wage_monthly, "close_date": j.close_date.isoformat(),
                                       "hire_probability": j.hire_probability} for j in jobs]})
