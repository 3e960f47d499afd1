"""자기소개서·경력 설계 (seekers): the copilot's feedback on the seeker's own cover letter — with a
rewrite whose changes they accept one by one into a draft of their own — and their career roadmap
from the last job to the desired one. Only their own record is read; every output is written to the
audit log before it is drawn."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError, NotReady
from app.services import copilot
from components import auth, resources
from components import copilot_sections as sections

user = auth.require_role("seeker_copilot")
st.title("자기소개서·경력 설계")
st.caption("내 자기소개서를 AI가 읽고 고칠 점과 수정안을 보여 드립니다. 수정안은 내 기록에 있는 내용만 씁니다. "
           "희망 직종까지 가는 경력 경로도 함께 볼 수 있습니다. 궁금한 점은 담당 상담사와 이야기해 보세요.")

engine = resources.engine()
reference = resources.reference()
try:
    context = copilot.own_context(engine, user, reference)
except GoyongError as err:
    st.error(err.user_message)
    st.stop()
chat = resources.copilot_chat()

section = st.radio("보기", list(sections.SEEKER_SECTIONS), horizontal=True,
                   format_func=sections.SEEKER_SECTIONS.__getitem__, key="seeker_copilot.section")
try:
    sections.render_section(section, engine, user, context, reference, chat)
except NotReady as err:
    st.warning(err.user_message)
