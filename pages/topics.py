"""토픽 분석 (policy staff): what the real K-Digital Training course titles and the world's counselling notes are
about, and how that changes over time — topics with Korean labels and top words, their share by quarter or year,
rising and falling topics, representative documents (masked notes, plain text), a keyword search, the CSV export
and how the topics were made. The page reads the built artifact; it never fits."""

from __future__ import annotations

import streamlit as st

from app.services import topics
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, display, resources
from components import topics as ui

user = auth.require_role("topics")
topics.require_policy(user.role)
st.title("토픽 분석")
st.caption("많은 글이 어떤 주제(토픽)로 이루어져 있고 그 비중이 시간에 따라 어떻게 바뀌는지 봅니다. 토픽은 빌드 때 "
           "자동으로 묶은 것이며, 이름은 주요 단어로 붙인 자동 이름입니다.")

artifact = resources.required(resources.topic_artifact)
choice = ui.select_corpus(topics.corpus_choices(artifact, user.role), key="topics.corpus")
if choice.missing:
    st.info(choice.missing)
    st.stop()
overview = topics.topic_overview(artifact, choice.key, user.role)

version = audit_log.artifact_version(topics.MODEL_NAME)
output = overview.audit_output()
if not audit_log.log_shown(resources.engine(), user, model_name=topics.MODEL_NAME, action=topics.TOPICS_ACTION,
                           model_version=version,
                           input_hash=audit_log.input_hash_of(topics.TOPICS_ACTION, version, choice.key),
                           output=output):
    st.stop()  # no log row, no output
display.render_ai_notice("AI 토픽 분석 결과", f"토픽 분석 모델 {version}",
                         note="토픽과 그 이름은 단어가 함께 쓰이는 정도로 자동으로 묶은 것입니다. 주요 단어와 대표 문서를 "
                              "함께 보고 해석하세요")
st.caption(f"자료: {escape_markdown(overview.source)}")
display.render_metrics_row([
    display.MetricItem("토픽 수", f"{len(overview.labels)}개"),
    display.MetricItem("떠오르는 토픽", f"{len(overview.rising)}개"),
    display.MetricItem("줄어드는 토픽", f"{len(overview.falling)}개"),
    display.MetricItem("일관성 CV", f"{overview.coherence:.3f}", help="0~1, 높을수록 토픽의 주요 단어가 실제로 함께 쓰입니다"),
    display.MetricItem("안정성", f"{overview.stability:.3f}", help="표본을 바꿔 다시 만든 토픽과의 유사도(0~1)"),
])

st.subheader("토픽 목록")
ui.render_search(artifact, choice.key, user.role, key=f"topics.search.{choice.key}")
ui.render_topic_table(overview, key=f"topics.list.{choice.key}")

st.subheader("시간에 따른 변화")
ui.render_trends(overview, key=f"topics.trends.{choice.key}")
ui.render_keyword_share(overview, key=f"topics.ai.{choice.key}")

st.subheader("토픽의 주요 단어와 대표 문서")
topic = ui.select_topic(overview, key=f"topics.topic.{choice.key}")
ui.render_topic_detail(overview, topic, key=f"topics.detail.{choice.key}")

with st.expander("만든 방법: 형태소 분석, 토픽 수, 일관성, 안정성"):
    ui.render_method(overview, key=f"topics.method.{choice.key}")
