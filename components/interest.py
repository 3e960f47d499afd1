"""Components of the interest test (직업흥미검사): the question with its answer buttons and progress,
the result (profile, Holland code, top-5 occupations and why), results over time, and the audit
record every result needs before it is drawn.

Item texts are our own content and occupation names come from KNOW, but both are shown escaped
like any data; nothing is rendered as HTML.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app.access import PAGES
from app.auth import User
from app.charts import interest as charts
from app.errors import NotReady
from app.services import interest
from app.services.interest import (
    FIT_MODEL_NAME,
    MODEL_NAME,
    InterestResult,
    OccupationFitView,
    Question,
    compare_results,
    report_csv,
)
from app.text.korean import format_kst_datetime
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import display, resources, state

MODEL_TITLES = {MODEL_NAME: "적응형 직업흥미검사 모델", FIT_MODEL_NAME: "직업 적합도 모델"}
"""Korean names of the two models in the AI notice (keys: their audit model names)."""


def format_duration(seconds: float | None) -> str:
    """``"7분 10초"`` (``"-"`` when unknown)."""
    if seconds is None or pd.isna(seconds):
        return "-"
    total = int(round(float(seconds)))
    minutes, rest = divmod(total, 60)
    return f"{minutes}분 {rest}초" if minutes else f"{rest}초"


def render_progress(question: Question) -> None:
    """Where the test is: the work-environment part by count, the adaptive part by result stability."""
    if question.phase == "environment":
        st.progress(min(question.position / max(question.environment_total, 1), 1.0),
                    text=f"업무 환경 선호 {question.position}/{question.environment_total}")
        st.caption("먼저 원하는 업무 환경을 묻습니다. 그다음 흥미 문항은 앞선 응답에 맞춰 AI가 골라 묻고, "
                   "결과가 안정되면 끝납니다.")
        return
    interest_answered = question.answered - question.environment_total
    st.progress(min(max(question.stability, 0.0), 1.0),
                text=f"결과 안정도 {question.stability * 100:.0f}% · 흥미 문항 {interest_answered}개 응답")
    st.caption("결과 안정도가 충분히 높아지면 검사가 끝납니다. 응답에 따라 안정도가 잠시 내려갈 수도 있습니다.")


def mark_shown(session_id: int, question: Question) -> None:
    """Remember when this question first appeared (a rerun of the same question keeps the first time)."""
    shown = st.session_state.get(state.INTEREST_SHOWN)
    if not (isinstance(shown, dict) and shown.get("session") == session_id and shown.get("item") == question.item_id):
        st.session_state[state.INTEREST_SHOWN] = {"session": session_id, "item": question.item_id, "at": time.time()}


def seconds_on(session_id: int, question: Question) -> float | None:
    """Seconds since the question appeared (``None`` when its showing was not recorded)."""
    shown = st.session_state.get(state.INTEREST_SHOWN)
    if isinstance(shown, dict) and shown.get("session") == session_id and shown.get("item") == question.item_id:
        return max(time.time() - float(shown["at"]), 0.0)
    return None


def select_answer(session_id: int, question: Question) -> int | None:
    """The item, its five answers and 다음 (a form: choosing an answer does not rerun the page).

    Returns:
        The answer 1–5 when 다음 was pressed with one chosen, else ``None``.
    """
    with st.form(f"interest.form.{session_id}.{question.item_id}", border=True):
        st.markdown(f"**{question.position}. {escape_markdown(question.text)}**")
        choice = st.radio("응답", options=list(range(1, len(question.labels) + 1)), index=None, horizontal=True,
                          format_func=dict(enumerate(question.labels, start=1)).__getitem__,
                          key=f"{state.INTEREST_ANSWER}{session_id}.{question.item_id}", label_visibility="collapsed")
        submitted = st.form_submit_button("다음", type="primary", icon=":material/arrow_forward:")
    if submitted and choice is None:
        st.warning("응답을 하나 고른 뒤 다음을 누르세요.")
        return None
    return int(choice) if submitted else None


def log_result_shown(engine: Engine, user: User, result: InterestResult, history: list[InterestResult], *,
                     action: str) -> bool:
    """Write the result (and the earlier results shown with it) to the audit log, one row per model,
    before anything of it is drawn. ``False`` after a Korean error: draw nothing."""
    digest = audit_log.input_hash_of(action, *(f"{r.session_id}:{r.finished_at}" for r in [*history, result]))
    output = result.audit_output | {"earlier_holland_codes": [r.holland_code for r in history
                                                              if r.session_id != result.session_id]}
    versions = result.model_versions
    # one row per model, each named literally (the transparency test reads the names from the calls)
    return (audit_log.log_shown(engine, user, model_name=MODEL_NAME, action=action,
                                model_version=str(versions.get(MODEL_NAME, "-")), input_hash=digest, output=output)
            and audit_log.log_shown(engine, user, model_name=FIT_MODEL_NAME, action=action,
                                    model_version=str(versions.get(FIT_MODEL_NAME, "-")), input_hash=digest,
                                    output=output))


def render_result_notice(result: InterestResult, *, note: str) -> None:
    """The AI notice of a result, naming both models and their versions."""
    display.render_ai_notice(
        "AI 검사 결과",
        *(f"{MODEL_TITLES.get(name, '모델')} {result.model_versions.get(name, '-')}" for name in result.model_names),
        note=note)


def items_used_label(result: InterestResult, bank_size: int | None = None) -> str:
    """``"흥미 문항 126개 중 24개 + 업무 환경 16문항"``."""
    interest = f"흥미 문항 {bank_size:,}개 중 {result.items_used}개" if bank_size else f"흥미 문항 {result.items_used}개"
    return f"{interest} + 업무 환경 {result.environment_items}문항"


def render_profile(result: InterestResult, *, key: str, bank_size: int | None = None) -> None:
    """Holland code, length, and the RIASEC profile with its uncertainty."""
    c1, c2, c3 = st.columns(3)
    c1.metric("흥미 코드 (상위 세 유형)", result.holland_label, border=True,
              help=f"홀랜드 코드 {result.holland_code}: 점수가 가장 높은 세 유형입니다.")
    c2.metric("응답한 문항", f"{result.items_used + result.environment_items}문항", border=True,
              help=items_used_label(result, bank_size))
    c3.metric("최고 유형이 맞을 확률", f"{result.top1_probability * 100:.0f}%", border=True,
              help="응답의 불확실성을 고려할 때 가장 높은 유형이 실제로도 가장 높을 확률입니다.")
    st.caption(f"{format_kst_datetime(result.finished_at)} (KST) 검사 · {items_used_label(result, bank_size)} · "
               f"걸린 시간 {format_duration(result.elapsed_seconds)}")
    display.render_chart(charts.make_profile_figure(result.scores_frame()), key=f"{key}.profile")


def reasons_frame(result: InterestResult) -> pd.DataFrame:
    """``직업, 근거, 기여도`` of every recommended occupation (for the reasons chart)."""
    rows = [{"직업": f"{o.rank}. {o.occupation_name}", "근거": group, "기여도": float(value)}
            for o in result.occupations for group, value in o.group_contributions.items()]
    return pd.DataFrame(rows, columns=["직업", "근거", "기여도"])


def render_occupation(occupation: OccupationFitView, *, with_postings: bool = True) -> None:
    """One recommended occupation: fit, why, wage, demand and the postings open now."""
    name = escape_markdown(occupation.occupation_name)
    keco = f" · 고용직업분류 {escape_markdown(occupation.keco_name)}" if occupation.keco_name else ""
    st.markdown(f"**{occupation.rank}. {name}** — 적합도 {occupation.score * 100:.1f}%{keco}")
    why = [*occupation.interest_reasons, *occupation.environment_reasons]
    if why:
        st.markdown("맞는 이유: " + ", ".join(escape_markdown(reason) for reason in why))
    groups = sorted(occupation.group_contributions.items(), key=lambda kv: kv[1], reverse=True)
    if groups:
        st.caption("영역별 기여: " + " · ".join(f"{escape_markdown(g)} {v:+.2f}" for g, v in groups))
    st.caption(f"{escape_markdown(occupation.wage_label)} · {escape_markdown(occupation.demand_label)}")
    if with_postings:
        titles = [escape_markdown(t) for t in occupation.open_posting_titles]
        line = f"지금 모집 중인 공고 {occupation.postings_open:,}건"
        st.caption(line + (": " + " / ".join(titles) if titles else ""))


def render_occupations(result: InterestResult, *, key: str, n_occupations: int, with_postings: bool = True) -> None:
    """The top-5 occupations and a chart of why each fits (``n_occupations``: how many the model ranks)."""
    st.caption(f"적합도는 {n_occupations:,}개 직업 가운데 이 직업이 가장 잘 맞을 확률(AI 추정치)입니다. "
               "다섯 직업을 서로 비교하는 데 쓰세요.")
    for occupation in result.occupations:
        with st.container(border=True):
            render_occupation(occupation, with_postings=with_postings)
    display.render_chart(charts.make_fit_reasons_figure(reasons_frame(result)), key=f"{key}.reasons")


def render_download(result: InterestResult, *, key: str) -> None:
    """The report as CSV."""
    day = format_kst_datetime(result.finished_at)[:10]
    display.render_download(report_csv(result), file_name=f"직업흥미검사_결과_{day}.csv", key=key,
                            label="결과 보고서 내려받기 (CSV)")


def render_history(results: list[InterestResult], *, key: str) -> None:
    """Every finished result side by side, oldest first (nothing when there is only one)."""
    if len(results) < 2:
        return
    st.markdown(f"**지난 검사 결과 비교 ({len(results)}회)**")
    st.dataframe(compare_results(results), hide_index=True, width="stretch", key=key)


SIMULATED_LABELS: dict[str, tuple[str, str]] = {
    "simulated_items_used_mean": ("평균 문항 수", "count"),
    "simulated_items_used_share": ("전체 문항 대비 비율", "percent"),
    "simulated_top1_agreement": ("최고 유형 일치율", "percent"),
    "simulated_top3_set_agreement": ("상위 3유형 일치율", "percent"),
}
"""Agreement of the adaptive test with the full form on simulated takers: Korean label and kind."""
FIT_METRIC_LABELS: dict[str, tuple[str, str]] = {
    "holdout_hit_at_1": ("자기 직업이 1순위인 비율", "percent"),
    "holdout_hit_at_5": ("자기 직업이 5순위 안에 든 비율", "percent"),
    "holdout_hit_at_5_half_items": ("업무 환경을 절반만 답했을 때 5순위 안 비율", "percent"),
    "holdout_hit_at_5_interests_only": ("흥미만 답했을 때 5순위 안 비율", "percent"),
    "holdout_ece": ("보정오차 ECE", "point"),
}
"""Hold-out figures of the occupation-fit model (incumbents not used in training): Korean label and kind."""


def _metric_value(value: float, kind: str) -> str:
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "point":
        return f"{value * 100:.1f}%p"
    return f"{value:.1f}문항"


def metric_items(values: dict[str, float], labels: dict[str, tuple[str, str]]) -> list[display.MetricItem]:
    """Metric tiles of the labelled figures present in ``values`` (in the labels' order)."""
    return [display.MetricItem(label, _metric_value(float(values[name]), kind))
            for name, (label, kind) in labels.items() if name in values]


def items_table(items: pd.DataFrame, *, key: str) -> None:
    """The item bank's RIASEC items with information and exposure (no item codes: the text names the item)."""
    shown = items.drop(columns=["문항코드"], errors="ignore")
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config={
        "문항": st.column_config.TextColumn("문항", width="large"),
        "노출률": st.column_config.NumberColumn("노출률", format="percent", help="끝난 검사 가운데 이 문항을 물은 비율"),
        "미사용": st.column_config.CheckboxColumn("미사용", help="아직 한 번도 묻지 않은 문항"),
    })


def render_administer_button(seeker_id: int, *, label: str) -> None:
    """Open the interest test for this seeker (the counsellor administers it there).

    A button and ``st.switch_page``, not ``st.page_link``: a link is resolved while the page is drawn,
    which needs the app's navigation, and the profile page is also run on its own (tests).
    """
    if st.button(label, key="interest.profile.administer", icon=":material/psychology:"):
        path = next(spec.path for spec in PAGES if spec.page_id == "interest_test")
        st.switch_page(path, query_params={state.EMPLOYMENT_SEEKER_QUERY: str(seeker_id)})


def render_seeker_section(engine: Engine, user: User, seeker_id: int) -> None:
    """직업흥미검사 on the counsellor's seeker profile: the latest result, its answers, the results over
    time and the way to administer the test (nothing of a result is drawn before its audit rows)."""
    try:
        model = resources.interest_test_model()
        fit = resources.occupation_fit()
    except NotReady as err:
        st.caption(err.user_message)
        return
    results = interest.results_over_time(engine, seeker_id)
    if not results:
        st.caption("아직 끝난 직업흥미검사가 없습니다.")
        render_administer_button(seeker_id, label="이 구직자와 직업흥미검사 하기")
        return
    latest = results[-1]
    if not log_result_shown(engine, user, latest, results, action="interest.profile"):
        return  # no log row, no output
    render_result_notice(latest, note="상담의 출발점입니다. 구직자와 함께 해석하세요")
    render_profile(latest, key="interest.profile", bank_size=len(model.item_ids))
    render_occupations(latest, key="interest.profile", n_occupations=len(fit.occupations), with_postings=False)
    with st.expander(f"이 검사의 응답 {latest.items_used + latest.environment_items}개 (물은 순서대로)"):
        st.dataframe(interest.session_answers(engine, model, latest.session_id, seeker_id), hide_index=True,
                     width="stretch", key="interest.profile.answers")
    render_history(results, key="interest.profile.history")
    render_administer_button(seeker_id, label="이 구직자와 직업흥미검사 다시 하기")
