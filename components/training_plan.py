"""상담 계획 on the counsellor's seeker profile: the courses in the seeker's training plan and a way
to remove one (adding happens where courses are recommended)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from app.auth import User
from app.errors import GoyongError
from app.services import training
from app.text.markdown import escape_markdown
from components import state


def render_plan_section(engine: Engine, user: User, seeker_id: int) -> None:
    """The seeker's plan: a table of its courses (title, institution, place, start, hours, who added
    it and when, the masked note) and a remove button; every removal is audit-logged by the service."""
    notice = st.session_state.pop(state.TRAINING_PLAN_NOTICE, None)
    if notice:
        st.success(escape_markdown(notice))  # holds a course title: data, not markup
    plan = training.load_plan(engine, seeker_id)
    if plan.empty:
        st.caption("상담 계획에 담긴 직업훈련 과정이 없습니다. 훈련 추천에서 과정을 추가할 수 있습니다.")
        return
    st.dataframe(plan, hide_index=True, width="stretch", key="training.plan.table",
                 column_order=[c for c in plan.columns if c != "과정 번호"])
    labels = {int(r["과정 번호"]): f"{r['훈련과정']} ({r['개강일']} 개강)" for r in plan.to_dict("records")}
    choice, button = st.columns([3, 1], vertical_alignment="bottom")
    with choice:
        course_id = st.selectbox("계획에서 뺄 과정", options=list(labels), format_func=labels.__getitem__,
                                 key=state.TRAINING_PLAN_REMOVE_CHOICE)
    with button:
        clicked = st.button("계획에서 빼기", key=state.TRAINING_PLAN_REMOVE, icon=":material/remove_circle:")
    if clicked and course_id is not None:
        try:
            training.remove_from_plan(engine, user, seeker_id, int(course_id))
        except GoyongError as err:
            st.error(err.user_message)
            return
        st.session_state[state.TRAINING_PLAN_NOTICE] = f"'{labels[int(course_id)]}' 과정을 상담 계획에서 뺐습니다."
        st.rerun()
