"""상담 요청함 (seekers): the hiring-conversation requests employers sent this seeker; accept or
decline each pending one, and see the decided ones. What accepting reveals is said before the click.
No model output is shown here."""

from __future__ import annotations

import streamlit as st

from app.services import talent
from app.text.markdown import escape_markdown
from components import auth, display, guards, resources, state

user = auth.require_role("seeker_requests")
st.title("상담 요청함")
st.caption("구인기업이 보낸 채용 상담 요청을 확인하고 수락하거나 거절합니다.")
st.info("**수락하면** 그 요청을 보낸 기업에만 이름, 휴대전화 번호, 이메일이 공개됩니다. 주민등록번호, 생년월일, 주소는 "
        "공개하지 않습니다. **거절하거나 응답하지 않으면** 기업은 이름과 연락처를 볼 수 없습니다. 수락과 거절은 한 번만 "
        "할 수 있고 바꿀 수 없습니다.", icon=":material/privacy_tip:")

engine = resources.engine()
notice = st.session_state.pop(state.SEEKER_REQUESTS_NOTICE, None)
if notice:
    st.success(notice)
if talent.is_opted_out(engine, int(user.scoped_seeker_id or 0)):
    st.warning("지금은 추천을 받지 않도록 설정되어 있어 새 상담 요청이 오지 않습니다. ‘내 정보 공개’에서 바꿀 수 있습니다.")

views = talent.requests_for_seeker(engine, user)
requested = guards.requested_id(key=state.SEEKER_REQUEST_ID, query_key=state.SEEKER_REQUEST_QUERY,
                                back_label="상담 요청함으로", button_key="seeker_requests.back")
if requested is not None and requested not in {v.id for v in views}:
    guards.refuse_requested(f"상담 요청 #{requested}은(는) 본인에게 온 요청이 아닙니다.", key=state.SEEKER_REQUEST_ID,
                            query_key=state.SEEKER_REQUEST_QUERY, back_label="상담 요청함으로",
                            button_key="seeker_requests.back")
# a request opened by link comes first
views = tuple(sorted(views, key=lambda v: v.id != requested))


def _decide(request_id: int, accept: bool) -> None:
    try:
        decided = talent.decide_request(engine, user, request_id, accept=accept)
    except (talent.ContactRequestError, talent.RequestAccessDenied, talent.RequestNotFound) as err:
        st.error(str(err))
        return
    st.session_state[state.SEEKER_REQUESTS_NOTICE] = (
        f"{escape_markdown(decided.employer_name)}의 요청(#{decided.id})을 수락했습니다. 이 기업이 연락할 수 있도록 "
        "이름과 연락처가 공개됩니다." if accept else
        f"{escape_markdown(decided.employer_name)}의 요청(#{decided.id})을 거절했습니다. 이름과 연락처는 공개되지 않습니다.")
    st.rerun()


pending = [v for v in views if v.status == "pending"]
st.subheader(f"응답을 기다리는 요청 {len(pending):,}건")
if not pending:
    st.caption("응답을 기다리는 요청이 없습니다.")
for view in pending:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(view.employer_name)}** · {escape_markdown(view.posting_title)}")
        st.caption(f"요청 #{view.id} · {escape_markdown(view.job_summary)} · 요청 일시 {view.created_kst}")
        st.markdown(f"메시지: {escape_markdown(view.message)}" if view.message else "메시지 없음")
        accept_col, decline_col = st.columns(2)
        with accept_col:
            if st.button("수락 (이름·연락처 공개)", key=f"seeker_requests.accept.{view.id}", type="primary",
                         icon=":material/check:"):
                _decide(view.id, True)
        with decline_col:
            if st.button("거절", key=f"seeker_requests.decline.{view.id}", icon=":material/close:"):
                _decide(view.id, False)

decided = [v for v in views if v.status != "pending"]
st.subheader("지난 요청")
if decided:
    st.caption("철회는 기업이 요청을 거둔 경우와, 추천을 받지 않기로 해 대기 중이던 요청이 자동으로 거둬진 경우입니다.")
    display.render_table(talent.requests_table(decided, seeker_side=True), key="seeker_requests.history")
else:
    st.caption("아직 결정한 요청이 없습니다.")
