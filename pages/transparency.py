"""AI 투명성 안내 (every role): for every model — purpose, main criteria, training data, measured
quality and fairness, human oversight, how to contest — generated from the model cards and
``models/manifest.json`` (인공지능 기본법 제31·34조). Works before the first build: the cards are
shown with "아직 만들어지지 않음" and the build command."""

from __future__ import annotations

import streamlit as st

from app.config import get_settings
from app.services import transparency
from components import auth, resources
from components import transparency as ui

user = auth.require_role("transparency")
st.title("AI 투명성 안내")
st.caption("이 시스템이 쓰는 AI 모델마다 목적, 주요 판단 기준, 학습 데이터, 측정 성능과 공정성, 사람의 감독, 이의 제기 "
           "방법을 알립니다. 모델 목록과 수치는 모델을 만들 때 남긴 기록에서 자동으로 만들어집니다.")

report = transparency.compute_transparency(resources.manifest(), llm_backend=get_settings().llm_backend)
ui.render_role_note(user.role_label, report.titles_for_role(user.role))
if not report.built_any:
    st.info(f"아직 만들어진 모델이 없습니다. 터미널에서 `{transparency.BUILD_COMMAND}`를 실행하세요. "
            "모델의 목적과 판단 기준 같은 설명은 아래에서 볼 수 있습니다.", icon=":material/hourglass_empty:")

ui.render_legal_basis(transparency.LEGAL_BASIS)
st.subheader("모델 한눈에 보기")
st.dataframe(transparency.summary_frame(report), hide_index=True, width="stretch", key="transparency.summary")
ui.render_cards(report)
ui.render_training_sources(report.world, transparency.WORLD_NOTE, transparency.CALIBRATION_SOURCES)
ui.render_contest_steps(transparency.contest_steps())
