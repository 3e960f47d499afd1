"""직업흥미검사 (seekers; counsellors administer it to a seeker of their caseload): the adaptive test one
item at a time — first the work-environment preferences, then the interest items the engine picks
until the result is stable — and, once finished, the interest profile with its uncertainty, the
Holland code and the five occupations that fit best with why, their wage and demand and the postings
open now, a report to download and the earlier results side by side.

Answers are stored as they are given: leaving the page is a pause, and the test resumes where it
stopped. A seeker sees only their own test (``?seeker=`` is read for counsellors only). Every result
shown is written to the audit log first.
"""

from __future__ import annotations

import streamlit as st

from app.errors import AccessDenied, InvalidInput, NotFound
from app.services import employment, interest
from components import auth, resources, state
from components import employment as employment_ui
from components import interest as ui

user = auth.require_role("interest_test")
st.title("직업흥미검사")
st.caption("좋아하는 활동과 원하는 업무 환경을 묻고, 나에게 맞는 흥미 유형과 직업을 찾아 줍니다. 응답에 따라 AI가 필요한 문항만 "
           "골라 묻기 때문에 전체 문항보다 훨씬 짧습니다. 정답은 없으니 느끼는 대로 답하세요.")

model = resources.required(resources.interest_test_model)
fit = resources.required(resources.occupation_fit)
engine = resources.engine()

if user.role == "counsellor":
    employment_model = resources.required(resources.employment_model)
    seeker_id = employment_ui.select_caseload_seeker(
        engine, user, model_version=str(employment_model.version), bands=employment.load_risk_bands(engine))
    mode, administered_by = interest.COUNSELLOR, user.username
    st.caption("상담 중에 구직자와 함께 검사를 진행합니다. 응답은 구직자가 고르고, 검사 기록에 상담사 실시로 남습니다.")
else:
    seeker_id = int(user.scoped_seeker_id or 0)  # a seeker's own test only: ?seeker= is never read here
    mode, administered_by = interest.SELF, None

notice = st.session_state.pop(state.INTEREST_NOTICE, None)
if notice:
    st.success(notice)

open_id = interest.open_session_id(engine, seeker_id)


def start_again() -> None:
    """처음부터 다시, after a confirmation: the open session's answers are set aside and a new one starts."""
    if st.session_state.get(state.INTEREST_CONFIRM_RESTART) != open_id:
        if st.button("처음부터 다시", key="interest.restart", icon=":material/restart_alt:"):
            st.session_state[state.INTEREST_CONFIRM_RESTART] = open_id
            st.rerun()
        return
    st.warning("지금까지의 응답은 결과에 쓰지 않고 첫 문항부터 새로 시작합니다. 계속할까요?")
    yes, no = st.columns(2)
    if yes.button("네, 처음부터 다시", key="interest.restart.yes", type="primary"):
        new_id = interest.restart(engine, model, seeker_id, mode=mode, administered_by=administered_by)
        st.session_state.pop(state.INTEREST_CONFIRM_RESTART, None)
        st.session_state[state.INTEREST_TAKING] = new_id
        st.session_state[state.INTEREST_NOTICE] = "새 검사를 시작했습니다. 첫 문항부터 답하세요."
        st.rerun()
    if no.button("취소", key="interest.restart.no"):
        st.session_state.pop(state.INTEREST_CONFIRM_RESTART, None)
        st.rerun()


def take_test(session_id: int) -> None:
    """The question on screen, its answer, and the way to pause or start again."""
    now = st.session_state.pop(state.INTEREST_NEXT, None)
    if now is None or now.session_id != session_id or now.question is None:
        try:
            now = interest.current_state(engine, model, fit, session_id, seeker_id, reference=resources.reference())
        except (AccessDenied, NotFound, InvalidInput) as err:
            st.session_state.pop(state.INTEREST_TAKING, None)
            st.error(str(err))
            return
    if now.question is None:  # finished (the last answer made the result stable)
        st.session_state.pop(state.INTEREST_TAKING, None)
        st.rerun()
    question = now.question
    ui.render_progress(question)
    ui.mark_shown(session_id, question)
    response = ui.select_answer(session_id, question)
    if response is not None:
        try:
            after = interest.submit_answer(engine, model, fit, session_id, seeker_id, question.item_id, response,
                                           seconds_taken=ui.seconds_on(session_id, question),
                                           reference=resources.reference())
        except (AccessDenied, NotFound, InvalidInput) as err:
            st.error(str(err))
        else:
            if after.result is not None:
                st.session_state.pop(state.INTEREST_TAKING, None)
                st.session_state[state.INTEREST_NOTICE] = "검사를 마쳤습니다. 아래에서 결과를 확인하세요."
            else:
                st.session_state[state.INTEREST_NEXT] = after  # the rerun shows it without recomputing
            st.rerun()
    pause, _ = st.columns([1, 3])
    if pause.button("잠시 멈추기", key="interest.pause", icon=":material/pause:"):
        st.session_state.pop(state.INTEREST_TAKING, None)
        st.session_state[state.INTEREST_NOTICE] = ("응답은 답할 때마다 저장되어 있습니다. 언제든 이 화면에서 "
                                                   "'이어서 하기'를 눌러 멈춘 곳부터 계속하세요.")
        st.rerun()
    start_again()


def landing(results: list[interest.InterestResult]) -> None:
    """Start, or resume the open test with how far it got."""
    if open_id is not None:
        try:
            now = interest.current_state(engine, model, fit, open_id, seeker_id, reference=resources.reference())
        except (AccessDenied, NotFound, InvalidInput) as err:
            st.error(str(err))
            return
        if now.question is not None:
            st.info(f"진행 중인 검사가 있습니다. 지금까지 {now.question.answered}문항에 응답했습니다. "
                    "응답은 저장되어 있으니 멈춘 곳부터 이어서 할 수 있습니다.", icon=":material/history:")
            if st.button("이어서 하기", key="interest.resume", type="primary", icon=":material/play_arrow:"):
                # the same session, unless the item bank changed since: then a new one starts
                st.session_state[state.INTEREST_TAKING] = interest.start_or_resume(
                    engine, model, seeker_id, mode=mode, administered_by=administered_by)
                st.rerun()
            start_again()
            return
        st.rerun()  # the open test has just finished: its result is among the results now
    label = "새 검사 시작" if results else "검사 시작"
    st.caption(f"먼저 원하는 업무 환경 {len(model.environment_items)}문항에 답하고, 이어서 흥미 문항에 답합니다. "
               "보통 10분 안팎이 걸립니다.")
    if st.button(label, key="interest.start", type="primary", icon=":material/play_arrow:"):
        try:
            session_id = interest.start_or_resume(engine, model, seeker_id, mode=mode, administered_by=administered_by)
        except (NotFound, InvalidInput) as err:
            st.error(str(err))
            return
        st.session_state[state.INTEREST_TAKING] = session_id
        st.rerun()


if open_id is not None and st.session_state.get(state.INTEREST_TAKING) == open_id:
    take_test(open_id)
    st.stop()

results = interest.results_over_time(engine, seeker_id)
if open_id is not None or not results:
    landing(results)  # a test to resume (above any earlier result), or the first test to start
if not results:
    st.stop()

latest = results[-1]
st.subheader("검사 결과")
if not ui.log_result_shown(engine, user, latest, results, action="interest.result"):
    st.stop()  # no log row, no output
ui.render_result_notice(latest, note="흥미와 직업 탐색의 출발점입니다. 상담사와 함께 해석하고, 진로는 본인이 정합니다")
ui.render_profile(latest, key="interest.result", bank_size=len(model.item_ids))
st.subheader("잘 맞을 것으로 보이는 직업 5가지")
ui.render_occupations(latest, key="interest.result", n_occupations=len(fit.occupations))
ui.render_download(latest, key="interest.download")
ui.render_history(results, key="interest.history")
if open_id is None:
    st.divider()
    landing(results)
