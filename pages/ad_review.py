"""구인광고 검증 대기열 (verification staff, policy role): only the ads the verifier flagged,
by risk; filters by reason and law; the highlighted text with each finding's article and fix,
the classifier's terms and the duplicate cluster; approve or reject with a comment."""

from __future__ import annotations

import streamlit as st

from app.services import ads
from app.text.korean import format_wage
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, resources, state
from components import verify as ui

user = auth.require_role("ad_review")
st.title("구인광고 검증 대기열")
st.caption("법령 규칙·조건 점검·AI 분류 모델·중복 탐지로 검증해 재검증 또는 차단으로 판정된 공고만 모았습니다. "
           "통과 판정 공고는 사람이 보지 않고 게재됩니다.")

verifier = resources.required(resources.ad_verifier)

engine = resources.engine()
working = st.empty()  # only drawn while verdicts under new rules or of edited postings are computed
checks = resources.stored_verdicts(
    verifier, progress=lambda share: working.progress(share, text=f"현재 규칙으로 공고를 검증하는 중… {share:.0%}"))
working.empty()
reviews = ads.load_reviews(engine)
notice = st.session_state.pop(state.AD_REVIEW_NOTICE, None)
if notice:
    st.success(notice)
audit_failed = st.session_state.pop(state.AD_REVIEW_AUDIT_FAILED, None)
if audit_failed:
    st.error(audit_failed, icon=":material/report:")
summary = st.container()  # the queue's figures go on top, drawn once the list below is recorded
metrics = ads.queue_metrics(checks, reviews)

flt = ui.select_queue_filter(checks, verifier.rules)
titles = resources.stored_ad_titles()
queue = ads.review_queue(checks, reviews, titles, flt)
table = ads.queue_table(queue, verifier.rules)
listed = table.head(ui.QUEUE_ROWS_SHOWN)
# no log row, no output: what the reviewer sees (ids and scores of the listed ads) is recorded first
if not audit_log.log_shown(
    engine, user, model_name=ads.MODEL_NAME, action="verify.review_queue",
    model_version=f"{verifier.version}/rules{verifier.rules.version}",
    input_hash=audit_log.input_hash_of("queue", verifier.version, verifier.rules.version, flt,
                                       *listed["공고 번호"].tolist(), *listed["위험 점수"].tolist()),
    output={"n_queue": len(table), "n_waiting": metrics.n_waiting, "n_flagged": metrics.n_flagged,
            "posting_ids": [int(i) for i in listed["공고 번호"]], "scores": [float(v) for v in listed["위험 점수"]]},
):
    st.stop()
with summary:
    ui.render_queue_metrics(metrics)
    ui.render_ai_note(rules_version=verifier.rules.version, model_version=verifier.version)
selected = ui.render_queue(table, key=state.AD_QUEUE_TABLE)
if selected is not None:
    st.session_state[state.AD_QUEUE_POSTING] = selected
posting_id = st.session_state.get(state.AD_QUEUE_POSTING)
if posting_id is None and not queue.empty:
    posting_id = int(queue["posting_id"].iloc[0])

if posting_id is not None:
    st.subheader(f"공고 #{int(posting_id)} 상세")
    try:
        ad, verdict = resources.posting_verdict(verifier, int(posting_id))
    except LookupError as err:
        st.error(str(err))
        st.stop()
    if not audit_log.log_shown(engine, user, model_name=ads.MODEL_NAME, action="verify.review_detail",
                               model_version=f"{verifier.version}/rules{verifier.rules.version}",
                               input_hash=audit_log.input_hash_of("posting", int(posting_id), verifier.rules.version),
                               output={"decision": verdict.decision, "score": verdict.score,
                                       "rules": list(dict.fromkeys(h.rule_id for h in verdict.hits))}):
        st.stop()  # no log row, no output
    st.caption(f"기업: {escape_markdown(ad['employer_name'])} · 임금: {format_wage(str(ad['wage_type']), float(ad['wage']), style='label')} · "
               f"주 {ad['hours_per_week']:g}시간 · 게시 연도 {int(ad['year'])}")
    ui.render_verdict(verdict, rules_version=verifier.rules.version, model_version=verifier.version)
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.render_highlighted(str(ad["title"]), str(ad["body"]), verdict)
    with right:
        ui.render_hits(verdict)
        ui.render_ml_terms(verdict)
        ui.render_duplicates(verdict, titles)
    history = ads.load_reviews(engine, int(posting_id))
    if not history.empty:
        st.markdown("**검토 이력**")
        st.dataframe(ui.reviews_table(history), hide_index=True, width="stretch", key="ad_review.history")
    ui.render_review_form(key="ad_review.form", posting_id=int(posting_id), n_reviews=len(history), verdict=verdict,
                          rules_version=verifier.rules.version,
                          model_version=f"{verifier.version}/rules{verifier.rules.version}")
else:
    st.info("검토할 공고가 없습니다.", icon=":material/inbox:")
