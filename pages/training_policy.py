"""훈련 추천 현황 (policy staff): which courses the recommender puts forward most, to whom (age bands
and education of the seekers), what happened afterwards (enrolment, completion, employment within
six months) and which recommended courses nobody took. Aggregates only: no individual seeker. The
aggregates of the recommender's output are written to the audit log before they are drawn."""

from __future__ import annotations

import streamlit as st

from app.exports import csv_bytes
from app.services import training
from app.text.korean import format_korean_date
from components import audit as audit_log
from components import auth, display, resources
from components import training as ui

POLICY_ACTION = "training.policy"

user = auth.require_role("training_policy")
st.title("훈련 추천 현황")
st.caption("AI 직업훈련추천이 어떤 과정을 누구에게 권했고, 그 뒤 수강·수료·취업으로 이어졌는지 봅니다. "
           "개인이 아닌 과정 단위 집계입니다.")

engine = resources.engine()
overview = training.policy_overview(engine)
if overview.summary.empty:
    st.info("아직 기록된 추천이 없습니다. 상담사나 구직자가 훈련 추천을 보면 여기에 쌓입니다.")
    st.stop()
version = audit_log.artifact_version(training.MODEL_NAME)
output = overview.audit_output()
if not audit_log.log_shown(engine, user, model_name=training.MODEL_NAME, action=POLICY_ACTION, model_version=version,
                           input_hash=audit_log.input_hash_of(POLICY_ACTION, version, *output.values()),
                           output=output):
    st.stop()  # no log row, no output
display.render_ai_notice("AI 추천 집계", f"직업훈련추천 모델 {version}",
                         note="기대 효과는 추천 당시 AI의 추정치이고, 수강·수료·취업은 실제 기록입니다")
counts = overview.headline
display.render_metrics_row([
    display.MetricItem("추천된 과정", f"{counts['courses']:,}개"),
    display.MetricItem("추천 받은 구직자(연인원)", f"{counts['seekers']:,}명"),
    display.MetricItem("추천 후 수강", f"{counts['enrolled_after']:,}명"),
    display.MetricItem("추천만 되고 수강 없는 과정", f"{counts['never_taken']:,}개"),
])
st.caption(f"기준: {format_korean_date(overview.as_of)}")

st.subheader("가장 많이 추천된 과정")
ui.render_recommended_courses(overview.summary, key="training_policy.top")
table = training.summary_table(overview.summary)
st.dataframe(table, hide_index=True, width="stretch", key="training_policy.table")
display.render_download(csv_bytes(table), file_name="훈련추천_현황.csv", key="training_policy.download")

st.subheader("추천만 되고 수강하지 않은 과정")
if overview.never.empty:
    st.caption("추천된 과정은 모두 수강한 구직자가 있습니다.")
else:
    st.dataframe(training.summary_table(overview.never), hide_index=True, width="stretch", key="training_policy.never")
