"""Components of the job-ad verification pages (검증 대기열, 규칙 관리, 공고 사전 점검).

Ad text is user text: it is shown through :func:`app.verify.highlight.highlighted_markdown`
(every Markdown character escaped, spans marked with Streamlit's own ``:red-background[]``) or
``st.text`` — never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app.services import ads
from app.services.ads import (
    DECISION_LABELS,
    FAMILIES,
    REVIEW_DECISIONS,
    SEVERITY_LABELS,
    InvalidReview,
    QueueFilter,
    QueueMetrics,
    RuleSet,
    Verdict,
    highlighted_markdown,
    ml_term_words,
)
from app.text.korean import format_kst_datetime
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, resources, state
from components.display import MetricItem, render_ai_notice, render_metrics_row

FIELD_LABELS: dict[str, str] = {"title": "제목", "body": "본문"}
"""Where in an ad a rule hit (the rule editor's test box)."""
DECISION_ICONS: dict[str, str] = {"pass": ":material/check_circle:", "review": ":material/help:", "block": ":material/block:"}
AI_DECIDES = "재검증·차단 공고는 담당자가 확인해 최종 결정합니다."


def render_ai_note(*, rules_version: int, model_version: str) -> None:
    """The AI-output notice of the job-ad verifier (:func:`components.display.render_ai_notice`)."""
    render_ai_notice("AI 검증 결과", f"규칙 버전 {rules_version}", f"모델 버전 {model_version}", note=AI_DECIDES)


def render_verdict(verdict: Verdict, *, rules_version: int, model_version: str) -> None:
    """Decision, score and the AI notice."""
    text = f"판정: **{verdict.label}** · 위험 점수 {verdict.score:.2f}"
    if verdict.ml_probability is not None:
        text += f" · AI 문제 확률 {verdict.ml_probability:.0%}"
    if verdict.decision == "block":
        st.error(text, icon=DECISION_ICONS["block"])
    elif verdict.decision == "review":
        st.warning(text, icon=DECISION_ICONS["review"])
    else:
        st.success(text, icon=DECISION_ICONS["pass"])
    render_ai_note(rules_version=rules_version, model_version=model_version)
    for note in verdict.notes:
        st.caption(note)


def render_hits(verdict: Verdict) -> None:
    """One card per finding: rule, law and article, what was found, why, and the fix."""
    if not verdict.hits:
        st.caption("법령 규칙에 걸린 문구나 조건이 없습니다.")
        return
    by_rule: dict[str, list] = {}
    for hit in verdict.hits:  # one card per rule, however often it hits (the body repeats the title)
        by_rule.setdefault(hit.rule_id, []).append(hit)
    for hits in by_rule.values():
        hit = hits[0]
        evidence = list(dict.fromkeys(h.evidence for h in hits))
        with st.container(border=True):
            # rule texts come from the editable rule set: shown literally like any other data
            st.markdown(f"**{escape_markdown(hit.name)}** · {SEVERITY_LABELS.get(hit.severity, hit.severity)}")
            st.caption(f"근거: {escape_markdown(hit.citation)} · 분야: {escape_markdown(FAMILIES.get(hit.family, hit.family))}")
            if hit.source == "ai":
                st.caption(f"AI 문장 분류: 규칙에는 없는 표현이지만 AI가 이 문장을 '{escape_markdown(hit.name)}'(으)로 읽었습니다 "
                           f"(확률 {hit.probability or 0:.0%}). 담당자가 확인하세요.")
            st.markdown("발견: " + " · ".join(highlighted_markdown(e, [(0, len(e))]) for e in evidence))
            st.markdown(highlighted_markdown(hit.explanation, []))
            st.markdown("수정 제안: " + highlighted_markdown(hit.fix, []))


def render_highlighted(title: str, body: str, verdict: Verdict) -> None:
    """Title and body with every text hit marked."""
    title_spans = [(h.start, h.end) for h in verdict.hits if h.field == "title"]
    body_spans = [(h.start, h.end) for h in verdict.hits if h.field == "body" and h.end > h.start]
    with st.container(border=True):
        st.markdown("제목: " + highlighted_markdown(title, title_spans))
        st.markdown(highlighted_markdown(body, body_spans))


def render_ml_terms(verdict: Verdict) -> None:
    """The classifier's top terms for this ad."""
    if verdict.ml_probability is None:
        return
    if not verdict.ml_terms:
        st.caption(f"AI 분류 모델: 문제 확률 {verdict.ml_probability:.0%} (두드러진 단서 없음)")
        return
    words = ml_term_words(verdict.ml_terms)  # surface words: no morpheme tags, no one-syllable fragments
    if not words:
        st.caption(f"AI 분류 모델: 문제 확률 {verdict.ml_probability:.0%} (두드러진 단서 없음)")
        return
    terms = ", ".join(f"'{word}'" for word in words)
    st.caption(f"AI 분류 모델: 문제 확률 {verdict.ml_probability:.0%} · 점수를 올린 단서: {escape_markdown(terms)}")


def render_duplicates(verdict: Verdict, titles: pd.DataFrame | None = None) -> None:
    """Ads of the duplicate cluster."""
    if not verdict.duplicates:
        return
    ids = [d.removeprefix("stored:") for d in verdict.duplicates]
    total = max(verdict.n_duplicates, len(ids))
    listed = f" (앞 {len(ids):,}건 표시)" if total > len(ids) else ""
    st.markdown(f"**중복 의심 공고 {total:,}건**{listed}")
    if titles is not None:
        known = titles[titles["posting_id"].astype(str).isin(ids)]
        if not known.empty:
            st.dataframe(known.rename(columns={"posting_id": "공고 번호", "title": "공고명", "employer_name": "기업"})
                         [["공고 번호", "공고명", "기업"]], hide_index=True, width="stretch", key="verify.duplicates")
            return
    st.caption(", ".join(ids))


# --------------------------------------------------------------------------- queue


def render_queue_metrics(metrics: QueueMetrics) -> None:
    """Queue size, share auto-passed and reviewer agreement."""
    agreement = "-" if metrics.agreement != metrics.agreement else f"{metrics.agreement:.0%}"
    render_metrics_row([
        MetricItem("검토 대기", f"{metrics.n_waiting:,}건", f"검증 대상 {metrics.n_postings:,}건 중 판정 재검증·차단 {metrics.n_flagged:,}건"),
        MetricItem("자동 통과 비율", f"{metrics.share_passed:.1%}", "사람이 보지 않고 통과한 공고"),
        MetricItem("검토 완료", f"{metrics.n_reviewed:,}건"),
        MetricItem("검토자-모델 일치율", agreement, "검토한 공고 중 검토자가 반려한(모델의 문제 판정이 맞은) 비율"),
    ])


def select_queue_filter(checks: pd.DataFrame, rules: RuleSet) -> QueueFilter:
    """Filters by decision, reason (rule) and law; whether reviewed ads are shown."""
    names = {r.id: r.name for r in (*rules.rules, *rules.conditions)}
    present = sorted({r for items in checks["rule_ids"].fillna("").str.split(";") for r in items if r})
    laws = sorted({law for items in checks["laws"].fillna("").str.split(";") for law in items if law})
    labels = {r: names.get(r, "이전 규칙") for r in present}  # Korean names only: rule ids are internal
    decision_labels = {"block": DECISION_LABELS["block"], "review": DECISION_LABELS["review"]}
    c1, c2, c3 = st.columns([1, 2, 2])
    decisions = c1.multiselect("판정", options=list(decision_labels), format_func=decision_labels.__getitem__,
                               key="ad_review.filter.decisions", placeholder="전체", select_all=False)
    rule_ids = c2.multiselect("사유(규칙)", options=present, format_func=labels.__getitem__, key="ad_review.filter.rules",
                              placeholder="전체", select_all=False)
    chosen_laws = c3.multiselect("법령", options=laws, key="ad_review.filter.laws", placeholder="전체", select_all=False)
    reviewed = st.toggle("검토 완료 공고도 보기", key="ad_review.filter.reviewed")
    return QueueFilter(decisions=tuple(decisions), rule_ids=tuple(rule_ids), laws=tuple(chosen_laws),
                       include_reviewed=bool(reviewed))


QUEUE_COLUMNS: tuple[str, ...] = ("공고 번호", "공고명", "판정", "사유", "위험 점수", "기업", "검토 결과")
"""Columns of the queue table, key ones first (:func:`app.services.ads.queue_table`)."""
QUEUE_ROWS_SHOWN = 2000
"""Rows of the review queue listed (the page records exactly these in the audit log)."""


def render_queue(table: pd.DataFrame, *, key: str) -> int | None:
    """The queue table with single-row selection; returns the selected posting id."""
    shown = table.head(QUEUE_ROWS_SHOWN)
    st.caption(f"{len(table):,}건 (위험 점수가 높은 순) · 행을 선택하면 아래에 모든 사유와 근거 법령이 나옵니다.")
    # the key columns stay in view at 1280 px: number, title, decision and the short reason pinned
    event = st.dataframe(shown, key=key, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         column_order=QUEUE_COLUMNS,
                         column_config={
                             "공고 번호": st.column_config.NumberColumn("공고 번호", format="%d", pinned=True, width="small"),
                             "공고명": st.column_config.TextColumn("공고명", pinned=True, width="medium"),
                             "판정": st.column_config.TextColumn("판정", pinned=True, width="small"),
                             "사유": st.column_config.TextColumn("사유", width="large",
                                                               help="앞의 두 가지와 나머지 개수; 전부는 아래 상세에"),
                             "위험 점수": st.column_config.ProgressColumn("위험 점수", min_value=0, max_value=1, format="%.2f",
                                                                      width="small"),
                         })
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows and 0 <= rows[0] < len(shown):
        return int(shown.iloc[rows[0]]["공고 번호"])
    return None


def review_form_key(key: str, posting_id: int, n_reviews: int) -> str:
    """Key of the review form of one posting with ``n_reviews`` decisions stored so far.

    The form's state belongs to the ad under review: another posting, or the same one after a
    saved decision, gets other widget keys and so an empty form. Clearing the state after a save
    would not do: choosing another row without saving would still carry a half-filled decision
    and comment over to the next ad (Streamlit drops the state of widgets no longer drawn).
    """
    return f"{key}.{int(posting_id)}.{int(n_reviews)}"


def render_review_form(*, key: str, posting_id: int, n_reviews: int, verdict: Verdict, rules_version: int,
                       model_version: str) -> None:
    """Approve/reject with a comment, nothing chosen at first.

    The save runs as the button's callback, before the run the click starts: that one run already
    shows the notice and the next ad of the queue, where saving in the page and then calling
    ``st.rerun`` drew the whole queue twice. A refusal (no decision, no reason to overrule the AI)
    is shown under the form, which keeps what the reviewer entered.

    Args:
        key: Prefix of the form's key (:func:`review_form_key`).
        posting_id: The ad on screen.
        n_reviews: Decisions stored so far for it.
        verdict: The verifier's verdict the reviewer saw (stored with the decision).
        rules_version: Version of the rule set that made ``verdict``.
        model_version: ``"<verifier version>/rules<rules version>"`` for the audit log.
    """
    form_key = review_form_key(key, posting_id, n_reviews)
    with st.form(form_key, border=True):
        st.radio("검토 결과", options=list(REVIEW_DECISIONS), format_func=REVIEW_DECISIONS.__getitem__,
                 key=f"{form_key}.decision", horizontal=True, index=None)
        if verdict.decision != "pass":
            st.caption(f"AI 판정이 {DECISION_LABELS[verdict.decision]}인 공고입니다. 승인하려면 판정과 다르게 결정한 사유를, "
                       "반려하려면 고칠 내용을 적어 주세요.")
        st.text_area("사유 (5자 이상, 이름·연락처 등 개인정보는 적지 마세요)", key=f"{form_key}.comment",
                     max_chars=500, placeholder="예: 성별 제한 문구 삭제 후 재게시 요청")
        st.form_submit_button("검토 결과 저장", icon=":material/task_alt:", type="primary", on_click=_save_review,
                              args=(form_key, int(posting_id), int(n_reviews), verdict, int(rules_version),
                                    model_version))
    error = st.session_state.pop(state.AD_REVIEW_ERROR, None)
    if error:
        st.error(error)


def _save_review(form_key: str, posting_id: int, n_reviews: int, verdict: Verdict, rules_version: int,
                 model_version: str) -> None:
    """The review form's save (a callback: it draws nothing; the run after it shows the notice, or
    the Korean refusal under the form)."""
    user = auth.callback_user("ad_review")
    if user is None:
        return  # the run that follows ends the session and says why
    decision = st.session_state.get(f"{form_key}.decision")
    decision = None if decision is None else str(decision)
    engine = resources.engine()
    try:
        ads.save_review(engine, posting_id=posting_id, reviewer=user.username, decision=decision,
                        comment=str(st.session_state.get(f"{form_key}.comment") or ""), verdict=verdict,
                        rule_set_version=rules_version)
    except InvalidReview as err:
        st.session_state[state.AD_REVIEW_ERROR] = str(err)
        return
    problem = audit_log.record_output(
        engine, user, model_name=ads.MODEL_NAME, action="verify.review", model_version=model_version,
        input_hash=audit_log.input_hash_of("review", posting_id, decision, n_reviews),
        output={"decision": verdict.decision, "review": decision})
    if problem:
        st.session_state[state.AD_REVIEW_AUDIT_FAILED] = (
            f"공고 #{posting_id}의 검토 결과는 저장했지만 감사 로그에 기록하지 못했습니다. 관리자에게 알려 주세요.")
    st.session_state.pop(state.AD_QUEUE_POSTING, None)  # the next ad of the queue, with its own empty form
    st.session_state[state.AD_REVIEW_NOTICE] = f"공고 #{posting_id}을(를) {REVIEW_DECISIONS[str(decision)]} 처리했습니다."


def reviews_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """Display table of review decisions."""
    return pd.DataFrame({
        "시각": reviews["at"].map(format_kst_datetime), "검토자": reviews["reviewer"].astype(str),
        "결과": reviews["decision"].map(REVIEW_DECISIONS), "모델 판정": reviews["model_decision"].map(DECISION_LABELS),
        "의견": reviews["comment"].astype(str),
    })


# --------------------------------------------------------------------------- rules


def citation(law: str, article: str) -> str:
    """Each law with its article: ``"남녀고용평등법 제7조 제2항, 채용절차법 제4조의3"``."""
    laws, articles = [p.strip() for p in law.split(";")], [p.strip() for p in article.split(";")]
    if len(laws) == len(articles):
        return ", ".join(f"{a} {b}" for a, b in zip(laws, articles, strict=True))
    return f"{law} {article}"


def rules_table(rules: RuleSet) -> pd.DataFrame:
    """One row per rule and fixed check: name, law and article, severity, family, counts (the id
    is internal: the YAML editor below shows it to whoever edits the rules)."""
    rows = []
    for rule in rules.rules:
        rows.append({"이름": rule.name, "근거": citation(rule.law, rule.article),
                     "처리": SEVERITY_LABELS[rule.severity], "분야": FAMILIES[rule.family],
                     "패턴": len(rule.patterns) + len(rule.morphemes), "예외": len(rule.exceptions)})
    for check in rules.conditions:
        rows.append({"이름": check.name, "근거": citation(check.law, check.article),
                     "처리": SEVERITY_LABELS[check.severity], "분야": FAMILIES[check.family], "패턴": 0, "예외": 0})
    return pd.DataFrame(rows)


def rule_errors_markdown(err: Exception) -> str:
    """A rule set's Korean problem list as markdown that shows every line as written: the lines
    quote the editor's patterns, whose ``*``, ``$``, ``[`` and backslashes markdown would eat."""
    return "  \n".join(escape_markdown(line) for line in str(err).splitlines())


def render_rule_tests(hits: Sequence[dict[str, object]]) -> None:
    """Hits of an edited rule set on the sample text."""
    if not hits:
        st.info("예시 문장에서 걸린 규칙이 없습니다.", icon=":material/info:")
        return
    frame = pd.DataFrame(hits)
    frame["field"] = frame["field"].map(lambda f: FIELD_LABELS.get(str(f), "기타"))
    st.dataframe(frame.drop(columns=["rule_id"]).rename(columns={"name": "규칙", "citation": "근거", "field": "위치",
                                                                 "evidence": "발견 문구"}),
                 hide_index=True, width="stretch", key="ad_rules.test.table")
