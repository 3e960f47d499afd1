"""나에게 맞는 훈련 (job seekers): training courses that should most raise the seeker's own chance of a
job, in plain Korean, with a way to ask their counsellor about a course; their counselling plan and
the answers to their questions. Only the seeker's own record is read; every recommendation shown is
written to the audit log first."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError
from app.services import training
from app.text.korean import format_korean_date
from app.text.markdown import escape_markdown
from components import auth, display, resources, state
from components import training as ui

user = auth.require_role("seeker_training")
st.title("나에게 맞는 훈련")
st.caption("원하는 일에 취업할 가능성을 가장 많이 높여 줄 것으로 보이는 직업훈련 과정을 AI가 골랐습니다. "
           "듣고 싶은 과정은 상담사와 상의해 정하세요.")

artifact = resources.required(resources.training_artifact)
engine = resources.engine()
reference = resources.reference()
flt = ui.select_filter_in_expander(reference, key="seeker_training.filter")
try:
    rec = training.recommend_for_seeker(engine, artifact, user, None, flt=flt, top=5, reference=reference)
except GoyongError as err:
    st.warning(err.user_message)
    st.stop()
if not ui.log_recommendations(engine, user, rec):
    st.stop()  # no log row, no output

notice = st.session_state.pop(state.TRAINING_QUESTION_NOTICE, None)
if notice:
    st.success(escape_markdown(notice))

st.subheader("내 희망 직종에 필요한 역량")
ui.render_gap(rec, key="seeker_training.gap")

st.subheader("추천 과정")
display.render_ai_notice("AI 추천 결과", f"직업훈련추천 모델 {rec.model_version}",
                         note=f"{format_korean_date(rec.as_of)} 이후 개강하는 과정에서 골랐습니다. 수강 여부는 직접 정하세요")
if rec.courses.empty:
    st.info("조건에 맞는 과정이 없습니다. 과정 조건을 넓혀 보거나 상담사에게 문의하세요.")
for row in rec.courses.to_dict("records"):
    with st.container(border=True):
        ui.render_course_for_seeker(row, rec.desired_name)
        ui.render_ask_form(engine, user, row)

st.subheader("내 상담 계획")
plan = training.load_plan(engine, rec.seeker_id)
if plan.empty:
    st.caption("상담 계획에 담긴 과정이 아직 없습니다.")
else:
    st.dataframe(plan, hide_index=True, width="stretch", key="seeker_training.plan",
                 column_order=[c for c in plan.columns if c not in ("과정 번호", "메모")])

st.subheader("내 문의와 답변")
ui.render_own_questions(training.load_questions(engine, rec.seeker_id))
