"""구인공고 AI 작성지원 (employers): a short Q&A (or a compact form) → the occupation classified
(KECO top-3) → a complete, lawful draft of every section → the employer edits each section while
the mandatory-item checklist, the verification (rules, minimum wage, hours, identity) with fixes
and the fill-probability preview follow the text → saved as the employer's posting."""

from __future__ import annotations

import streamlit as st

from app.errors import NotReady
from app.services import ads, hiring
from app.services import posting as service
from app.services.posting import InvalidAnswers, PostingDraft, validate_answers
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, display, resources, state
from components import hiring as hiring_ui
from components import posting_assistant as ui
from components import verify as verify_ui

user = auth.require_role("posting_assistant")
st.title("구인공고 AI 작성지원")
st.caption("몇 가지 질문에 답하시면 AI가 법에 맞는 구인공고 초안을 만들어 드립니다. 직종은 자동으로 분류하고, "
           "필수 항목과 법령 위반 문구를 점검한 뒤 저장할 수 있습니다.")

classifier = resources.required(resources.occupation_classifier)
verifier = resources.required(resources.ad_verifier)

engine = resources.engine()
employer_id = user.scoped_employer_id
if employer_id is not None:
    card = resources.employer_card(employer_id)
else:
    card = {"name": "(예시 기업)", "phone": "", "size_code": "S2", "region_code": ""}
    st.info("정책·운영 담당자는 작성 과정을 시연할 수 있지만 공고를 저장할 수는 없습니다.", icon=":material/info:")

ui.init_state()
if not ui.has_draft():
    ui.warm_up_in_background(verifier)  # while the employer answers: the first draft's review is then warm
chat_col, side_col = st.columns([3, 2], gap="large")
with chat_col:
    st.subheader("질문과 답변")
    ui.render_chat()
    message = st.chat_input("답변을 입력하세요", key=state.PA_CHAT, max_chars=1000)
    if message:
        st.session_state.pop(state.PA_FORM_ERRORS, None)
        ui.handle_message(message)
        st.rerun()
with side_col:
    st.subheader("지금까지의 답변")
    ui.render_summary()
    with st.expander("양식으로 한 번에 입력·수정", icon=":material/list_alt:"):
        submitted = ui.render_form()
    if submitted is not None:
        st.session_state[state.PA_FORM_ERRORS] = ui.apply_form(submitted)
        st.rerun()  # the chat above must show the form's answers
    for problem in st.session_state.get(state.PA_FORM_ERRORS, []):
        st.error(problem)
    st.button("처음부터 다시", key="posting_assistant.reset", on_click=ui.reset, icon=":material/restart_alt:")

if ui.current_step() is not None and not ui.has_draft():
    st.stop()

try:
    answers = validate_answers(ui.answers())
except InvalidAnswers as err:
    # the reasons quote what the employer typed: escaped, one list item each
    st.warning("답변을 마저 채워 주세요.\n\n" + "\n".join(f"- {escape_markdown(m)}" for m in err.errors.values()))
    st.stop()

st.divider()
st.subheader("1. 직종 확인")
guesses = service.classify_occupation(classifier, answers)
if not audit_log.log_shown(engine, user, model_name="occupation_classifier", action="posting_assistant.classify",
                           model_version=classifier.version,
                           input_hash=audit_log.input_hash_of(answers.job_title, *answers.duties),
                           output={"top3": [[g.keco_code, round(g.probability, 4)] for g in guesses]}):
    st.stop()  # no log row, no output
st.info(f"AI 직종 분류 결과입니다 (모델 v{classifier.version}). 확인한 뒤 초안을 만드세요.", icon=":material/smart_toy:")
keco_code = ui.select_occupation(guesses, service.occupation_options())
if keco_code is None:
    st.info("직종을 고르면 초안을 만들 수 있습니다.", icon=":material/touch_app:")
    st.stop()
request = service.make_request(answers, keco_code, company_name=card["name"], default_contact=card["phone"])

if st.button("공고 초안 만들기", type="primary", key="posting_assistant.generate", icon=":material/auto_awesome:"):
    with st.spinner("초안을 작성하고 검증하는 중…"):
        composed = service.compose_draft(resources.text_generator(), request, verifier=verifier)
    # the draft goes into the editor only once its record is durable (no log row, no output)
    if audit_log.log_shown(engine, user, model_name=service.MODEL_NAME, action="posting_assistant.generate",
                           model_version=composed.backend, input_hash=service.draft_hash(composed.draft, keco_code),
                           output={"backend": composed.backend, "fell_back": composed.fell_back,
                                   "notices": len(composed.notices)}):
        ui.load_draft(composed.draft, {"backend": composed.backend, "notices": list(composed.notices),
                                       "keco_code": keco_code, "fell_back": composed.fell_back})
        st.rerun()

if not ui.has_draft():
    st.stop()

meta = st.session_state[state.PA_DRAFT_META]
if meta.get("keco_code") != keco_code:
    st.caption("직종을 바꿨습니다. 새 직종에 맞는 문안이 필요하면 '공고 초안 만들기'를 다시 누르세요.")
try:
    draft = service.validate_edits(PostingDraft(**ui.edited_values()), {})
except service.InvalidPosting as err:
    draft = None
    edit_error = str(err)
else:
    edit_error = ""

st.divider()
st.subheader("2. 초안 편집과 점검")
ui.render_ai_note(backend=meta["backend"], occupation_version=classifier.version, rules_version=verifier.rules.version)
ui.render_notices(meta.get("notices", []), fell_back=bool(meta.get("fell_back")))
review = service.review_draft(verifier, draft, request) if draft is not None else None
# no log row, no output: the editor highlights the verification's findings, so it waits for the record too
if review is not None and not audit_log.log_shown(
    engine, user, model_name=ads.MODEL_NAME, action="posting_assistant.verify",
    model_version=f"{verifier.version}/rules{verifier.rules.version}", input_hash=service.draft_hash(draft, keco_code),
    output={"decision": review.verdict.decision, "score": review.verdict.score,
            "rules": list(dict.fromkeys(h.rule_id for h in review.verdict.hits)), "missing": [i.key for i in review.missing]},
):
    st.stop()
edit_col, check_col = st.columns([3, 2], gap="large")
with edit_col:
    ui.render_editor(review.findings if review is not None else {})
with check_col:
    if review is None:
        st.error(edit_error)
    else:
        ui.render_review_summary(review)
        ui.render_checklist(review.checklist)
        with st.expander("검증 상세 (근거 법령·수정 제안)", expanded=bool(review.verdict.hits)):
            verify_ui.render_hits(review.verdict)
            verify_ui.render_duplicates(review.verdict, resources.stored_ad_titles())
        st.markdown("**채용 가능성 미리보기**")
        try:
            prediction = service.hiring_preview(resources.hiring_model(), answers, keco_code, draft,
                                                size_code=card["size_code"])
        except NotReady:
            st.caption("채용성공 예측모델이 아직 빌드되지 않아 미리보기를 건너뜁니다.")
        except hiring.InvalidConditions as err:
            st.caption(f"미리보기를 계산할 수 없습니다: {err}")
        else:
            # no log row, no output (the rest of the page stays usable)
            if hiring_ui.log_shown(engine, user, action="posting_assistant.hiring_preview",
                                   model_version=prediction.model_version, input_hash=prediction.input_hash,
                                   output=prediction.audit_output()):
                st.metric("마감 전 채용 확률 (AI 예측)", hiring_ui.format_probability(
                    prediction.probability, prediction.probability_low, prediction.probability_high))
                for sentence in prediction.factors["sentence"].head(3):
                    st.caption(f"· {sentence}")
                display.render_ai_notice("AI 예측", f"채용성공 예측모델 v{prediction.model_version}",
                                         note="조건을 바꿔 보려면 채용 시뮬레이터를 쓰세요.", compact=True)

st.divider()
st.subheader("3. 저장")
SAVED_NOTICE = "공고 #{}로 저장했습니다. 채용 시뮬레이터에서 조건을 바꿔 보며 채용 가능성을 확인할 수 있습니다."
saved = st.session_state.get(state.PA_SAVED)
if saved:
    st.success(SAVED_NOTICE.format(saved), icon=":material/task_alt:")
elif review is not None:
    missing = review.missing
    if missing:
        st.caption("아직 채우지 않은 필수 항목: " + ", ".join(i.label for i in missing))
    blocked = not review.can_save or employer_id is None
    # the button's slot takes the success notice: nothing above it changes with the save, so the page
    # is not run a second time just to show it
    save_slot = st.empty()
    if save_slot.button("공고 저장", type="primary", key="posting_assistant.save", disabled=blocked,
                        icon=":material/save:"):
        try:
            posting_id = service.save_posting(engine, employer_id=employer_id, answers=answers, keco_code=keco_code,
                                              draft=draft, review=review)
        except (service.InvalidPosting, service.PostingAccessDenied) as err:
            st.error(str(err))
        else:
            st.session_state[state.PA_SAVED] = posting_id
            resources.invalidate_postings()
            save_slot.success(SAVED_NOTICE.format(posting_id), icon=":material/task_alt:")
    if employer_id is None:
        st.caption("저장은 구인기업 계정으로 로그인해야 할 수 있습니다.")
    elif not review.can_save:
        st.caption("검증에서 차단된 문구를 고치면 저장할 수 있습니다.")
