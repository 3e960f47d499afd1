"""상담 지원 (counsellors): the copilot prepares one seeker's counselling — initial diagnosis, career
roadmap, competency feedback, cover-letter feedback with a rewrite to accept piece by piece, fit to the
recommended jobs, the stage's expected questions and answers, and the summary of a session's notes.
The counsellor decides and edits; every output is written to the audit log before it is drawn and
every sentence opens the sources it rests on."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError, NotReady
from app.services import copilot, employment
from components import auth, resources
from components import copilot_sections as sections
from components import employment as employment_ui

user = auth.require_role("copilot")
st.title("상담 지원")
st.caption("한 구직자의 상담을 AI가 준비합니다. 모든 문장에는 근거가 있고, 판단과 수정은 상담사가 합니다. "
           "개인정보는 가려진 채로만 쓰입니다.")

model = resources.required(resources.employment_model)
engine = resources.engine()
reference = resources.reference()
bands = employment.load_risk_bands(engine)
seeker_id = employment_ui.select_caseload_seeker(engine, user, model_version=str(model.version), bands=bands)

try:
    context = copilot.counsellor_context(engine, user, model, int(seeker_id), bands, reference)
except GoyongError as err:
    st.error(err.user_message)
    st.stop()
chat = resources.copilot_chat()

section = st.radio("상담 준비 항목", list(sections.COUNSELLOR_SECTIONS), horizontal=True,
                   format_func=sections.COUNSELLOR_SECTIONS.__getitem__, key="copilot.section")
try:
    sections.render_section(section, engine, user, context, reference, chat)
except NotReady as err:
    st.warning(err.user_message)
