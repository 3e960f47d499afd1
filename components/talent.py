"""Widgets of talent recommendation (인재 추천, 추천 일자리): chips, candidate and job cards, the
comparison table, pool charts and interview questions. Everything from data goes through
``escape_markdown``; nothing here queries or scores."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app.services import talent
from app.text.korean import format_korean_date, format_manwon
from app.text.markdown import escape_markdown
from components.display import render_chart

HIRE_HELP = ("이 후보에게 연락했을 때 지원하고 채용까지 이어질 가능성입니다. 과거 비슷한 공고의 지원·채용 기록으로 "
             "학습해 보정한 AI 추정치이며, 옆의 요인이 가능성을 높이거나(+) 낮춘(−) 정도입니다.")


def select_chips(chips: Sequence[talent.QueryChip], *, key: str) -> list[talent.QueryChip]:
    """The understood conditions as removable chips (a multiselect); returns the chips kept."""
    labels = {chip.label: chip for chip in chips}
    kept = st.multiselect("이해한 조건 (빼려면 ×를 누르세요)", options=list(labels), default=list(labels), key=key,
                          select_all=False,
                          help="문장에서 읽어 낸 조건입니다. 빼고 싶은 조건은 지우고, 다른 조건은 문장을 고쳐 다시 찾으세요.")
    return [labels[label] for label in kept]


def _percent(p: float) -> str:
    return f"{p * 100:.1f}%" if p >= 0.001 else "0.1% 미만"


def _factors(factors: Sequence[tuple[str, float]]) -> str:
    return " · ".join(f"{escape_markdown(name)} {'+' if value >= 0 else '−'}" for name, value in factors)


def _reasons(reasons: Sequence[talent.MatchReason]) -> None:
    if not reasons:
        st.caption("근거 문장을 찾은 추천 이유가 없습니다.")
        return
    for reason in reasons:
        st.markdown(f"- **{escape_markdown(reason.label)}**  \n"
                    f"  :gray[{escape_markdown(reason.source)}: “{escape_markdown(reason.evidence)}”]")


def _reasons_and_gaps(reasons: Sequence[talent.MatchReason], gaps: Sequence[str], *, gaps_title: str) -> None:
    st.markdown("**추천 이유**")
    _reasons(reasons)
    if gaps:
        st.markdown(f"**{gaps_title}**")
        for line in gaps:
            st.markdown(f"- {escape_markdown(line)}")


def render_candidate(card: talent.CandidateCard) -> None:
    """One candidate card's content: headline, masked summary, reasons with evidence, gaps, probability."""
    st.markdown(f"#### {escape_markdown(card.label)} · {escape_markdown(card.headline)}")
    st.markdown(escape_markdown(" ".join(s.text for s in card.summary)))
    left, right = st.columns([3, 1])
    with left:
        _reasons_and_gaps(card.reasons, card.missing, gaps_title="공고 대비 부족한 점")
    with right:
        st.metric("채용 성사 가능성", _percent(card.hire_probability), help=HIRE_HELP)
        st.caption("주요 요인: " + _factors(card.hire_factors))


def compare_table(cards: Sequence[talent.CandidateCard]) -> pd.DataFrame:
    """Side-by-side comparison of 2–3 candidates (rows: aspects; columns: candidates)."""
    columns = {}
    for card in cards:
        f = card.facts
        columns[card.label] = {
            "희망 직종": f.desired_occupation,
            "최근 직종": f.last_occupation or "-",
            "경력": talent.career_text(f.career_years),
            "자격증": ", ".join(f.certificates) or "-",
            "보유 기술": ", ".join(f.skills[:5]) or "-",
            "학력": f.education,
            "희망 근무지": f.region,
            "희망 급여": f"월 {format_manwon(f.desired_wage)}",
            "채용 성사 가능성": _percent(card.hire_probability),
            "추천 이유": " / ".join(r.label for r in card.reasons) or "-",
            "부족한 점": " / ".join(card.missing) or "-",
        }
    return pd.DataFrame(columns)


def render_pool(results: talent.CandidateResults, *, key: str) -> None:
    """The pool analysis: requirement coverage, career and wage distributions against the offer, regions."""
    pool = results.pool
    st.caption(f"검토한 후보 {len(pool):,}명 기준입니다 (같은 시기에 구직 중인 {results.n_pool:,}명 가운데 검색으로 찾은 인원).")
    left, right = st.columns(2)
    with left:
        render_chart(talent.make_requirement_coverage_figure(pool), key=f"{key}.coverage")
        render_chart(talent.make_wage_figure(pool, results.offer.get("wage_monthly")), key=f"{key}.wage")  # type: ignore[arg-type]
    with right:
        render_chart(talent.make_career_figure(pool, results.offer.get("min_career_years")), key=f"{key}.career")  # type: ignore[arg-type]
        render_chart(talent.make_region_figure(pool), key=f"{key}.region")


def render_questions(questions: Sequence[talent.InterviewQuestion], writer: str = talent.OFFLINE_QUESTIONS) -> None:
    """Interview questions, each under the sentence it probes; one the set's ``writer`` did not write
    (the offline question standing in for a model's rejected one) says so."""
    if not questions:
        st.caption("질문을 만들 근거 문장이 없습니다.")
        return
    for i, q in enumerate(questions, start=1):
        by = f" · {escape_markdown(q.writer)}" if q.writer != writer else ""
        st.markdown(f"{i}. {escape_markdown(q.question)}  \n"
                    f"   :gray[근거 — {escape_markdown(q.source)}: “{escape_markdown(q.probes)}”{by}]")


def render_job(card: talent.JobCard) -> None:
    """One recommended posting for a seeker."""
    st.markdown(f"#### {card.rank}. {escape_markdown(card.title)}")
    st.caption(f"{escape_markdown(card.occupation)} · {escape_markdown(card.region)} · 월 {format_manwon(card.wage_monthly)}"
               f" · 마감 {format_korean_date(card.close_date)}")
    left, right = st.columns([3, 1])
    with left:
        _reasons_and_gaps(card.reasons, card.missing, gaps_title="더 갖추면 좋은 점")
    with right:
        st.metric("채용 가능성", _percent(card.hire_probability),
                  help="이 공고에 지원하면 채용까지 이어질 가능성(AI 추정치)입니다.")
        if card.fill_probability is not None:
            st.metric("공고 충원 전망", _percent(card.fill_probability),
                      help="이 공고가 30일 안에 충원될 가능성(채용성공 예측모델)입니다. 낮을수록 사람을 구하기 어려운 공고입니다.")
        st.caption("주요 요인: " + _factors(card.hire_factors))
