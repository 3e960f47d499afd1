"""훈련 추천 (counsellors): for a seeker of the caseload, the desired occupation and skill gap, and the
open training courses ranked by their expected effect on the seeker's 6-month employment
probability, with the reasons by component; a course can be added to the seeker's counselling plan.
Every recommendation shown is written to the audit log first."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError
from app.services import employment, training
from app.text.korean import format_korean_date
from app.text.markdown import escape_markdown
from components import auth, display, resources, state
from components import employment as employment_ui
from components import training as ui
from components import training_plan as plan_ui

user = auth.require_role("training")
st.title("훈련 추천")
st.caption("구직자의 희망 직종과 부족한 역량을 보고, 취업 가능성을 가장 많이 높일 것으로 보이는 직업훈련 과정을 찾습니다.")

artifact = resources.required(resources.training_artifact)
model = resources.required(resources.employment_model)
engine = resources.engine()
reference = resources.reference()
bands = employment.load_risk_bands(engine)
seeker_id = employment_ui.select_caseload_seeker(engine, user, model_version=str(model.version), bands=bands)

flt = ui.select_filter_in_expander(reference, key="training.filter")
try:
    rec = training.recommend_for_seeker(engine, artifact, user, int(seeker_id), flt=flt, reference=reference)
except GoyongError as err:
    st.error(err.user_message)
    st.stop()
if not ui.log_recommendations(engine, user, rec):
    st.stop()  # no log row, no output

notice = st.session_state.pop(state.TRAINING_RECOMMEND_NOTICE, None)
if notice:
    st.success(escape_markdown(notice))

st.subheader("희망 직종과 부족 역량")
ui.render_gap(rec, key="training.gap")

st.subheader("추천 과정 (기대 효과 순)")
display.render_ai_notice(
    "AI 추천 결과", f"직업훈련추천 모델 {rec.model_version}",
    note=(f"{format_korean_date(rec.as_of)} 이후 개강하는 과정 {rec.n_open:,}개 중 조건에 맞는 과정을 골랐습니다. "
          f"훈련 없이 6개월 안에 취업할 확률은 약 {rec.p_without * 100:.0f}%로 추정됩니다. "
          "과정 선택은 상담사가 구직자와 함께 정합니다"),
)
if rec.courses.empty:
    st.info("조건에 맞는 과정이 없습니다. 과정 조건을 넓혀 보세요.")
for row in rec.courses.to_dict("records"):
    with st.container(border=True):
        ui.render_course(row)
        if st.button("상담 계획에 추가", key=f"training.add.{int(row['course_id'])}", icon=":material/playlist_add:"):
            try:
                training.add_to_plan(engine, user, rec.seeker_id, int(row["course_id"]))
            except GoyongError as err:
                st.error(err.user_message)
            else:
                st.session_state[state.TRAINING_RECOMMEND_NOTICE] = f"'{row['title']}' 과정을 상담 계획에 추가했습니다."
                st.rerun()

if not rec.courses.empty:
    st.subheader("기대 효과의 구성")
    st.caption("수료했을 때 취업확률이 오르는 정도를 요인별로 나눈 것입니다. 마름모는 수료 확률까지 반영한 기대 효과입니다.")
    ui.render_components(rec, key="training.components")

st.subheader("상담 계획")
plan_ui.render_plan_section(engine, user, rec.seeker_id)

st.subheader("구직자의 과정 문의")
ui.render_questions_section(engine, user, rec.seeker_id)
