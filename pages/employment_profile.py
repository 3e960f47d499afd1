"""구직자 프로파일 (counsellors): one seeker's masked summary, probability of insured employment
within 180 days with its uncertainty and reasons, how similar seekers fared, services ranked by
estimated effect, a what-if on actionable factors, the counsellor's band override and the masked
résumé, cover letter and notes. Every model output shown is written to the audit log."""

from __future__ import annotations

import streamlit as st

from app.errors import NotReady
from app.services import employment, talent
from app.services.employment import InvalidWhatIf, SeekerNotFound
from app.text.korean import format_korean_date
from components import audit as audit_log
from components import auth, display, resources, state
from components import copilot as copilot_ui
from components import employment as ui
from components import interest as interest_ui
from components import talent as talent_ui
from components import training as training_ui
from components import training_plan as training_plan_ui

user = auth.require_role("employment_profile")
st.title("구직자 프로파일")
st.caption("한 구직자의 취업 가능성, 그 근거, 효과가 클 것으로 보이는 서비스를 봅니다. 개인정보는 마스킹되어 있습니다.")

model = resources.required(resources.employment_model)

engine = resources.engine()
bands = employment.load_risk_bands(engine)
seeker_id = ui.select_caseload_seeker(engine, user, model_version=str(model.version), bands=bands)

try:
    profile = employment.seeker_profile(engine, model, int(seeker_id), bands)
except SeekerNotFound as err:
    st.error(str(err))
    st.stop()
if not audit_log.log_shown(engine, user, model_name=employment.MODEL_NAME, action="employment.profile",
                           model_version=profile.model_version, input_hash=profile.input_hash,
                           output=profile.audit_output()):
    st.stop()  # no log row, no output

notice = st.session_state.pop(state.EMPLOYMENT_OVERRIDE_NOTICE, None)
if notice:
    st.success(notice)

st.subheader("취업 가능성")
st.caption(f"기준일 {format_korean_date(employment.reference_date(engine))} · 등록 후 {profile.days_since_registration}일째 "
           "(확률과 위험도는 등록일 기준 180일 안의 취업을 예측합니다)")
ui.render_prediction(profile)
left, right = st.columns(2, gap="large")
with left:
    st.markdown("**기본 정보**")
    ui.render_summary(profile)
with right:
    st.markdown("**비슷한 과거 구직자의 결과**")
    ui.render_similar(profile)

st.subheader("예측 근거")
ui.render_factors(profile.factors, profile.base_logit, key="employment.profile.shap")

st.subheader("추천 서비스 (예상 효과 순)")
ui.render_services(profile, key="employment.profile.services")


@st.fragment
def whatif_section() -> None:
    """Only this part reruns when a what-if control moves."""
    auth.check_fragment_session()  # a fragment run skips the router: idle timeout and revoked accounts
    st.subheader("조건을 바꾸면?")
    ui.prepare_whatif(profile)
    controls, result = st.columns([2, 3], gap="large")
    with controls, st.container(border=True):
        try:
            change = ui.select_whatif(profile)
            outcome = employment.whatif(model, profile, change)
        except InvalidWhatIf as err:
            st.error(str(err))
            return
    with result:
        if outcome.input_hash != profile.input_hash and not audit_log.log_shown(
            engine, user, model_name=employment.MODEL_NAME, action="employment.whatif",
            model_version=profile.model_version, input_hash=outcome.input_hash,
            output={"probability": round(outcome.probability, 6), "change": round(outcome.change, 6)},
        ):
            return  # no log row, no output
        ui.render_whatif(profile, outcome, key="employment.profile.whatif")
        top = outcome.factors.head(3)
        st.markdown("\n".join(f"- **{r.factor}** — {r.sentence}" for r in top.itertuples(index=False)))


whatif_section()

st.subheader("추천 일자리")
if st.toggle("이 구직자에게 맞는 모집 중 공고 보기", key="employment.jobs",
             help="인재추천 모델이 이력과 희망 조건으로 고른 공고입니다. 켤 때 계산합니다."):
    matcher = resources.required(resources.talent_matcher)
    try:
        jobs = talent.jobs_for_seeker(engine, matcher, user, seeker_id=int(seeker_id), top=5,
                                      reference=resources.reference())
    except NotReady as err:
        st.warning(err.user_message)
    else:
        if audit_log.log_shown(engine, user, model_name=talent.MODEL_NAME, action="talent.jobs",
                               model_version=jobs.model_version, input_hash=jobs.input_hash,
                               output=jobs.audit_output()):
            display.render_ai_notice("AI 추천 결과", f"인재추천 모델 {jobs.model_version}",
                                     note="구직자와 함께 확인하고 지원 여부는 구직자가 정합니다", compact=True)
            for job in jobs.cards:
                with st.container(border=True):
                    talent_ui.render_job(job)

st.subheader("추천 훈련")
training_ui.render_profile_section(engine, user, int(seeker_id))

st.subheader("훈련 계획")
training_plan_ui.render_plan_section(engine, user, int(seeker_id))

st.subheader("직업흥미검사")
interest_ui.render_seeker_section(engine, user, int(seeker_id))

st.subheader("위험도 조정")
st.caption(f"모델 판정: {profile.band} ({bands.describe()}). 상담에서 확인한 사정으로 위험도를 바꾸면 사유와 함께 기록되고 "
           "정책 담당자에게 보고됩니다.")
ui.render_override_form(profile, key="employment.override.form")
ui.render_overrides(employment.load_overrides(engine, profile.seeker_id))

st.subheader("이력서·자기소개서·상담일지")
ui.render_documents(profile)
copilot_ui.render_saved_summaries(engine, profile.seeker_id)
copilot_ui.render_open_copilot_button(profile.seeker_id, key="copilot.profile.open")
