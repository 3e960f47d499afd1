"""추천 일자리: open postings that suit the logged-in seeker, with reasons from their own record, what
they could add, the chance of being hired if they apply, and each posting's fill outlook.

Only the seeker's own record is read (the account is tied to one seeker). Every recommendation shown
is written to the audit log first.
"""

from __future__ import annotations

import streamlit as st

from app.errors import NotReady
from app.services import talent
from app.text.korean import format_korean_date
from components import audit as audit_log
from components import auth, display, resources
from components import talent as ui

user = auth.require_role("seeker_jobs")
st.title("추천 일자리")
st.caption("지금 모집 중인 공고 가운데 내 이력과 희망 조건에 맞는 곳을 AI가 골랐습니다. 지원 여부는 직접 정하세요.")

matcher = resources.required(resources.talent_matcher)
engine = resources.engine()
try:
    resources.hiring_model()
    outlook = resources.posting_fill_outlook
except NotReady:
    outlook = None  # without the hiring model the cards simply show no fill outlook
try:
    results = talent.jobs_for_seeker(engine, matcher, user, fill_outlook=outlook, reference=resources.reference())
except NotReady as err:
    st.warning(err.user_message)
    st.stop()

if not audit_log.log_shown(engine, user, model_name=talent.MODEL_NAME, action="talent.jobs",
                           model_version=results.model_version, input_hash=results.input_hash,
                           output=results.audit_output()):
    st.stop()
display.render_ai_notice("AI 추천 결과", f"인재추천 모델 {results.model_version}",
                         note=f"{format_korean_date(results.as_of)} 기준 모집 중인 공고 {results.n_open:,}건에서 골랐습니다")
if not results.cards:
    st.info("지금 추천할 공고가 없습니다. 희망 조건을 상담사와 함께 넓혀 보세요.")
for card in results.cards:
    with st.container(border=True):
        ui.render_job(card)
