"""공고 사전 점검 (employers): check a draft posting before saving it — each finding with the law
it breaks, the highlighted wording and a compliant rewording; minimum wage and weekly hours;
whether a similar posting is already published. A checked draft that is not blocked can be saved
as the employer's posting (with its verdict), or carried on to 구인공고 AI 작성지원."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError
from app.reference.codes import EMPLOYMENT_TYPES, WAGE_TYPE_LABELS, WAGE_TYPES
from app.services import ads, hiring
from app.services.ads import InvalidDraft
from app.services.posting import STEP_BY_KEY
from app.text.korean import format_wage
from components import audit as audit_log
from components import auth, resources, state
from components import hiring as hiring_ui
from components import verify as ui

user = auth.require_role("ad_check")
st.title("공고 사전 점검")
st.caption("저장하기 전에 공고 초안을 법령 규칙, 최저임금·근로시간, AI 분류 모델, 중복 공고로 점검합니다. "
           "문제가 있으면 근거 법령과 고칠 문구를 알려 드립니다.")

verifier = resources.required(resources.ad_verifier)

engine = resources.engine()
employer_name = ""
if user.scoped_employer_id is not None:
    titles = resources.stored_ad_titles()
    mine = titles[titles["employer_id"] == user.scoped_employer_id]
    employer_name = str(mine["employer_name"].iloc[0]) if not mine.empty else ""

if state.AD_CHECK_COMPANY not in st.session_state:
    st.session_state[state.AD_CHECK_COMPANY] = employer_name
with st.form("ad_check.form", border=True):
    company = st.text_input("회사명", key=state.AD_CHECK_COMPANY, max_chars=100,
                            help="모집자 신원 확인에 씁니다(직업안정법 시행령 제34조).")
    title = st.text_input("공고 제목", key=state.AD_CHECK_TITLE, max_chars=200)
    body = st.text_area("공고 본문 (담당 업무, 자격 요건, 근무 조건, 복리후생, 전형, 제출 서류 등)", key=state.AD_CHECK_BODY,
                        height=260, max_chars=20000)
    c1, c2, c3, c4 = st.columns(4)
    wage_type = c1.selectbox("임금 형태", options=list(WAGE_TYPES), format_func=WAGE_TYPE_LABELS.__getitem__,
                             key=state.AD_CHECK_WAGE_TYPE, index=2)
    wage = c2.number_input("임금액 (원)", min_value=0, max_value=1_000_000_000, step=10_000, key=state.AD_CHECK_WAGE,
                           value=2_500_000)
    hours = c3.number_input("주당 근로시간", min_value=1.0, max_value=80.0, step=1.0, key=state.AD_CHECK_HOURS, value=40.0)
    contact = c4.text_input("연락처 (전화)", key=state.AD_CHECK_CONTACT, max_chars=100, placeholder="02-123-4567")
    submitted = st.form_submit_button("점검하기", type="primary", icon=":material/fact_check:")

if submitted:
    try:
        draft = ads.validate_draft({"title": title, "body": body, "wage_type": wage_type, "wage": int(wage),
                                         "hours_per_week": float(hours), "employer_name": company, "contact": contact})
    except InvalidDraft as err:
        st.error(str(err))
        st.stop()
    verdict = ads.check_draft(verifier, draft)
    if not audit_log.log_shown(engine, user, model_name=ads.MODEL_NAME, action="verify.draft",
                               model_version=f"{verifier.version}/rules{verifier.rules.version}",
                               input_hash=ads.draft_hash(draft),
                               output={"decision": verdict.decision, "score": verdict.score,
                                       "rules": list(dict.fromkeys(h.rule_id for h in verdict.hits))}):
        st.stop()  # no log row, no output
    # kept for the save and continue buttons below (they rerun the page without the form)
    st.session_state[state.AD_CHECK_CHECKED] = {
        "draft": draft.model_dump(), "decision": verdict.decision, "score": float(verdict.score),
        "rule_ids": ";".join(dict.fromkeys(h.rule_id for h in verdict.hits)),
    }
    ui.render_verdict(verdict, rules_version=verifier.rules.version, model_version=verifier.version)
    if verdict.decision == "pass":
        st.caption("점검을 통과했습니다. 아래 ‘내 공고로 저장’을 누르면 바로 게재됩니다.")
    elif verdict.decision == "block":
        st.caption("이대로는 게재할 수 없습니다. 아래 제안대로 고친 뒤 다시 점검하세요.")
    else:
        st.caption("저장하면 담당자가 확인한 뒤 게재됩니다. 아래 내용을 먼저 고치면 바로 게재될 수 있습니다.")
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.render_highlighted(draft.title, draft.body, verdict)
    with right:
        ui.render_hits(verdict)
        ui.render_ml_terms(verdict)
        ui.render_duplicates(verdict, resources.stored_ad_titles())


# ------------------------------------------------------------------ after the check: save, or go on writing
notice = st.session_state.pop(state.AD_CHECK_NOTICE, None)
if notice:
    st.success(notice, icon=":material/task_alt:")
checked = st.session_state.get(state.AD_CHECK_CHECKED)
form_now = {"title": str(title or "").strip(), "body": str(body or "").strip()}
if checked and {k: checked["draft"][k] for k in ("title", "body")} == form_now:
    draft_values = checked["draft"]
    st.subheader("다음 단계")
    save_col, assist_col = st.columns(2, gap="large")
    with save_col, st.container(border=True):
        st.markdown("**내 공고로 저장**")
        if checked["decision"] == "block":
            st.caption("차단 판정을 받은 공고는 저장할 수 없습니다. 고친 뒤 다시 점검하세요.")
        elif user.scoped_employer_id is None:
            st.caption("공고 저장은 구인기업 계정에서 할 수 있습니다.")
        else:
            names = resources.names()
            occupations = dict(sorted(names.occupations.items(), key=lambda kv: kv[1]))
            keco = st.selectbox("직종", options=list(occupations), format_func=occupations.__getitem__,
                                key=state.AD_CHECK_KECO)
            region = st.selectbox("근무 지역", options=list(names.regions), format_func=names.regions.__getitem__,
                                  key=state.AD_CHECK_REGION)
            employment = st.radio("고용형태", options=list(EMPLOYMENT_TYPES), key=state.AD_CHECK_EMPLOYMENT,
                                  horizontal=True)
            if st.button("내 공고로 저장", key="ad_check.save", type="primary", icon=":material/save:"):
                try:
                    posting_id = hiring.save_checked_posting(
                        engine, employer_id=user.scoped_employer_id, username=user.username,
                        title=draft_values["title"], body=draft_values["body"], wage_type=draft_values["wage_type"],
                        wage_amount=int(draft_values["wage"]), weekly_hours=float(draft_values["hours_per_week"]),
                        contact=draft_values.get("contact", ""), keco_code=keco, region_code=region,
                        employment_type=employment, decision=checked["decision"], score=checked["score"],
                        rule_ids=checked["rule_ids"],
                    )
                except GoyongError as err:
                    st.error(str(err))
                else:
                    resources.refresh_hiring_postings()
                    st.session_state.pop(state.AD_CHECK_CHECKED, None)
                    waits = "바로 게재됩니다" if checked["decision"] == "pass" else "담당자 검토 뒤 게재됩니다(검토 대기)"
                    st.session_state[state.AD_CHECK_NOTICE] = (
                        f"공고 #{posting_id}(으)로 저장했습니다. {waits}. 채용 시뮬레이터에서 채용확률을 확인해 보세요.")
                    st.session_state[state.HIRING_POSTING_ID] = posting_id
                    st.rerun()
    with assist_col, st.container(border=True):
        st.markdown("**구인공고 AI 작성지원에서 이어 쓰기**")
        st.caption("제목·임금·근로시간·연락처를 작성지원의 ‘양식으로 한 번에 입력·수정’에 옮겨 두고, "
                   "나머지 항목을 질문에 답하며 채웁니다.")
        if st.button("작성지원으로 이동", key="ad_check.continue", icon=":material/edit_note:"):
            # the assistant's form fields, filled with what the employer already wrote
            carried = {
                "job": draft_values["title"],
                "pay": format_wage(draft_values["wage_type"], int(draft_values["wage"]), style="exact"),
                "schedule": f"주 {float(draft_values['hours_per_week']):g}시간",
                "company": " ".join(v for v in (draft_values.get("employer_name", ""), draft_values.get("contact", ""))
                                    if v),
            }
            for step_key, value in carried.items():
                if step_key in STEP_BY_KEY and value:
                    st.session_state[f"{state.PA_FORM}{step_key}"] = value
            hiring_ui.open_page("pages/posting_assistant.py", query_params={},
                                fallback="‘구인공고 AI 작성지원’ 화면을 여세요. 입력한 내용을 옮겨 두었습니다.")
