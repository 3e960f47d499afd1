"""The sections of 상담 지원 (counsellors) and of the seeker's own page, each: build the task, run it
once per input (:func:`components.copilot.run_cached`), log it, draw it."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from app.auth import User
from app.errors import GoyongError
from app.reference.tables import Reference
from app.services import copilot
from components import copilot as ui
from components import resources

COUNSELLOR_SECTIONS: dict[str, str] = {
    "diagnosis": "초기 진단",
    "fit": "추천 직무별 적합성",
}
"""Section key → Korean label (the page's selector, in counselling order)."""


def _show(engine: Engine, user: User, context: copilot.SeekerContext, task: copilot.CopilotTask, chat,  # noqa: ANN001
          reference: Reference, *, key: str, confirm: bool = True) -> copilot.CopilotOutput | None:
    result = ui.run_cached(task, lambda t: copilot.run(t, chat, reference))
    if not ui.log_output(engine, user, context.seeker_id, result):
        return None  # no log row, no output
    ui.render_notice(result.output)
    ui.render_output(result.output, key=key)
    if confirm:
        ui.render_confirm_form(engine, user, context.seeker_id, result.output, key=key)
    return result.output


def _diagnosis(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("초기 진단")
    _show(engine, user, context, copilot.diagnosis(context, reference), chat, reference, key="copilot.diagnosis")


def _fit(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("추천 직무별 적합성")
    matcher = resources.required(resources.talent_matcher)
    try:
        jobs, version = copilot.recommended_jobs(engine, matcher, user, context.seeker_id, ref=reference)
    except GoyongError as err:
        st.warning(err.user_message)
        return
    if not jobs:
        st.info("지금 추천할 모집 중인 공고가 없습니다.")
        return
    _show(engine, user, context, copilot.job_fit(jobs, model_version_text=version), chat, reference, key="copilot.fit",
          confirm=False)


_RENDERERS = {"diagnosis": _diagnosis, "fit": _fit}


def render_section(section: str, engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference,
                   chat) -> None:  # noqa: ANN001 - CopilotChat | None
    """Draw one section of 상담 지원 for the seeker."""
    _RENDERERS[section](engine, user, context, reference, chat)
