"""인재 추천: candidates for one of my postings, or for a sentence ("지게차 경력 3년 이상, 평택 근무
가능한 분") read into editable chips; ranked cards with a masked summary, reasons with their evidence,
gaps and the chance of a hire; save or dismiss, compare 2–3, pool charts, interview questions, and
"채용 상담 요청" (employers, for their own postings).

Employers see no name, contact or exact address: a seeker's identity is shown only after the seeker
accepts a request. Every recommendation shown is written to the audit log first.
"""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError, InvalidInput, NotFound, NotReady
from app.services import talent
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, display, resources, state
from components import hiring as hiring_ui
from components import talent as ui

user = auth.require_role("talent")
st.title("인재 추천")
st.caption("공고나 찾는 인재를 적은 문장으로 지금 구직 중인 사람을 찾습니다. 추천은 AI가 만든 참고 자료이며, "
           "연락과 채용 결정은 사람이 합니다. 구직자가 상담 요청을 수락하기 전에는 이름·연락처가 보이지 않습니다.")

matcher = resources.required(resources.talent_matcher)
engine = resources.engine()
reference = resources.reference()
is_employer = user.role == "employer"

MODES = {"posting": "공고로 찾기", "sentence": "문장으로 찾기"}
mode = st.segmented_control("찾는 방법", options=list(MODES), format_func=MODES.__getitem__, default="posting",
                            key=state.TALENT_MODE) or "posting"

posting_id: int | None = None
filters = talent.SearchFilters()
if mode == "posting":
    postings = resources.hiring_postings(user.scoped_employer_id)
    if postings.empty:
        st.info("찾을 공고가 없습니다. 먼저 공고를 등록하세요." if is_employer else "공고가 없습니다.")
        st.stop()
    picker = postings
    if user.scoped_employer_id is None and len(postings) > hiring_ui.STAFF_PICKER_MAX:
        picker = hiring_ui.select_occupation_filter(postings, key=state.TALENT_OCCUPATION_FILTER, wanted=None)
    labels = hiring_ui.posting_labels(picker)
    if st.session_state.get(state.TALENT_POSTING_ID) not in labels:
        st.session_state.pop(state.TALENT_POSTING_ID, None)
    posting_id = st.selectbox("공고 선택", options=list(labels), format_func=labels.__getitem__,
                              key=state.TALENT_POSTING_ID)
else:
    sentence = st.text_input("찾는 인재", key=state.TALENT_SENTENCE, max_chars=300,
                             placeholder="예: 지게차 경력 3년 이상, 평택 근무 가능한 분")
    if not sentence.strip():
        st.info("직종, 지역, 경력, 자격증, 학력, 희망 임금 같은 조건을 한 문장으로 적어 보세요.")
        st.stop()
    try:
        query = talent.parse_talent_query(sentence, reference)
    except InvalidInput as err:
        st.warning(err.user_message)
        st.stop()
    chips = talent.describe_chips(query, reference)
    kept = ui.select_chips(chips, key=f"{state.TALENT_CHIPS}.{sentence.strip()}")
    for chip in chips:
        if chip not in kept:
            query = talent.with_chip_removed(query, chip.key, chip.value)
    if query.preferred:
        st.caption("‘(우대)’ 조건은 후보를 거르지 않습니다. 순위를 매기고, 후보마다 갖췄는지 설명하는 데 씁니다.")
    if query.free_text:
        st.caption(f"조건 밖의 말은 내용 검색에 씁니다: “{escape_markdown(query.free_text)}”")
    filters = talent.filters_from_query(query)

try:
    results = talent.search_candidates(engine, matcher, user, posting_id=posting_id, filters=filters,
                                       top=talent.DEFAULT_TOP, reference=reference,
                                       summary_chat=resources.summary_chat())
except (NotFound, InvalidInput, NotReady) as err:
    st.warning(err.user_message)
    st.stop()

if not audit_log.log_shown(engine, user, model_name=talent.MODEL_NAME, action="talent.search",
                           model_version=results.model_version, input_hash=results.input_hash,
                           output=results.audit_output()):
    st.stop()

display.render_ai_notice("AI 추천 결과", f"인재추천 모델 {results.model_version}",
                         f"요약: {escape_markdown(results.summary_backend)}",
                         note="추천 이유와 근거 문장을 확인하고 사람이 판단하세요")
for notice in results.notices:
    st.caption(escape_markdown(notice))
display.render_metrics_row([
    display.MetricItem("같은 시기 구직 중", f"{results.n_pool:,}명", help="조건과 추천 제외 요청을 반영한 인원입니다."),
    display.MetricItem("검토한 후보", f"{len(results.pool):,}명", help="검색으로 찾아 순위를 매긴 인원입니다."),
    display.MetricItem("추천", f"{len(results.cards):,}명"),
])
if not results.cards:
    st.info("조건에 맞는 구직자가 없습니다. 조건을 줄여 다시 찾아보세요.")
    st.stop()

saved = talent.feedback_for(engine, user, posting_id) if posting_id is not None else {}
tab_cards, tab_compare, tab_pool = st.tabs(["추천 후보", "비교", "인재풀 분석"])
with tab_cards:
    for card in results.cards:
        with st.container(border=True):
            ui.render_candidate(card)
            key = f"talent.{posting_id}.{card.rank}"
            if posting_id is not None and user.role in {"employer", "counsellor"}:
                cols = st.columns(3)
                if saved.get(card.seeker_id) == "save":
                    cols[0].caption("저장한 후보입니다.")
                elif cols[0].button("저장", key=f"{key}.save", icon=":material/bookmark:"):
                    talent.record_feedback(engine, user, posting_id=posting_id, seeker_id=card.seeker_id, action="save")
                    st.toast("저장했습니다.")
                if cols[1].button("제외", key=f"{key}.dismiss", icon=":material/block:",
                                  help="이 공고의 추천에서 이 후보를 뺍니다."):
                    talent.record_feedback(engine, user, posting_id=posting_id, seeker_id=card.seeker_id,
                                           action="dismiss")
                    st.rerun()
                if is_employer:
                    with cols[2].popover("채용 상담 요청", icon=":material/forum:"):
                        message = st.text_area("구직자에게 보낼 말", key=f"{key}.message", max_chars=500,
                                               placeholder="예: 공고의 직무에 관심이 있으시면 상담을 요청드립니다.")
                        if st.button("요청 보내기", key=f"{key}.request"):
                            try:
                                talent.request_contact(engine, user, posting_id=posting_id,
                                                       seeker_id=card.seeker_id, message=message)
                                st.success("요청을 보냈습니다. 구직자가 수락하면 이름과 연락처를 볼 수 있습니다.")
                            except GoyongError as err:
                                st.warning(err.user_message)
                    try:
                        contact = talent.revealed_identity(engine, user, card.seeker_id)
                    except GoyongError as err:
                        contact = None
                        st.warning(err.user_message)
                    if contact is not None:
                        st.success(f"상담 요청을 수락한 구직자입니다: {escape_markdown(contact.name)} · "
                                   f"{escape_markdown(contact.phone)} · {escape_markdown(contact.email)}")
            with st.expander("면접 질문"):
                if st.toggle("이 후보의 면접 질문 만들기", key=f"{key}.questions"):
                    asked = talent.interview_questions(engine, matcher, user, posting_id=posting_id,
                                                       seeker_id=card.seeker_id, offer=results.offer,
                                                       reference=reference, question_chat=resources.summary_chat())
                    if audit_log.log_shown(engine, user, model_name=talent.MODEL_NAME, action="talent.questions",
                                           model_version=asked.model_version, input_hash=asked.input_hash,
                                           output=asked.audit_output()):
                        display.render_ai_notice("AI가 만든 면접 질문", f"질문: {escape_markdown(asked.writer)}",
                                                 note="질문마다 근거 문장을 확인하세요", compact=True)
                        for notice in asked.notices:
                            st.caption(escape_markdown(notice))
                        ui.render_questions(asked.questions, writer=asked.writer)
with tab_compare:
    labels = [card.label for card in results.cards]
    chosen = st.multiselect("비교할 후보 (2~3명)", options=labels, default=labels[:2], max_selections=3, select_all=False,
                            key=f"{state.TALENT_COMPARE}.{posting_id}")
    if len(chosen) >= 2:
        st.dataframe(ui.compare_table([c for c in results.cards if c.label in chosen]), width="stretch")
    else:
        st.caption("두 명 이상 고르면 나란히 비교합니다.")
with tab_pool:
    ui.render_pool(results, key=f"talent.pool.{posting_id}")
