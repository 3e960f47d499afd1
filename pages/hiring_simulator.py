"""채용 시뮬레이터: fill probability and days to fill of a posting, its reasons, a live what-if,
the cheapest plan to reach a target, similar postings, advice and saved scenarios; applying a
what-if, a plan or a scenario to the posting (a new version, verified before it is published),
the posting's version history, whether it waits in the verification queue, and 채용 컨설팅 신청.

Employers open only their own postings (a foreign id from the URL or session state is refused);
policy staff open any posting. Every model output shown is written to the audit log.
"""

from __future__ import annotations

import streamlit as st

from app.errors import InvalidInput, NotReady
from app.services import ads, hiring
from app.services.hiring import (
    InvalidConditions,
    PostingAccessDenied,
    PostingChanged,
    PostingConditions,
    PostingNotFound,
    Prediction,
    ScenarioNotFound,
)
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, guards, resources, state
from components import hiring as ui

user = auth.require_role("hiring")
st.title("채용 시뮬레이터")
st.caption(
    "공고 조건을 바꿔 보며 30일 안에 채용될 확률과 예상 충원 기간을 미리 봅니다. "
    "수치는 합성 데이터로 학습한 AI 모델의 추정치이며, 결정은 담당자가 내립니다."
)

employer_id = user.scoped_employer_id
model = resources.required(resources.hiring_model)

engine = resources.engine()
postings = resources.hiring_postings(employer_id)
names = resources.names()
welfare = names.welfare

# ------------------------------------------------------------------ which posting (own postings only)
requested = guards.requested_id(key=state.HIRING_POSTING_ID, query_key=state.HIRING_POSTING_QUERY,
                                 keywords=(state.NEW_POSTING,), back_label="내 공고 목록으로", button_key="hiring.back")
if isinstance(requested, int) and requested not in set(postings["id"].astype(int)):
    try:
        hiring.conditions_from_posting(engine, requested, employer_id=employer_id)
    except (PostingAccessDenied, PostingNotFound) as err:
        guards.refuse_requested(err.user_message, key=state.HIRING_POSTING_ID, query_key=state.HIRING_POSTING_QUERY,
                                back_label="내 공고 목록으로", button_key="hiring.back")

picker = postings
if employer_id is None and len(postings) > ui.STAFF_PICKER_MAX:
    picker = ui.select_occupation_filter(
        postings, key=state.HIRING_OCCUPATION_FILTER, wanted=requested if isinstance(requested, int) else None
    )
choice = ui.select_posting(picker, key=state.HIRING_POSTING_ID, query_key=state.HIRING_POSTING_QUERY)

try:
    if choice == state.NEW_POSTING:
        sizes = names.sizes
        keco, region, size = ui.select_new_posting(
            names.occupations, names.regions, sizes,
            keys=(state.HIRING_NEW_KECO, state.HIRING_NEW_REGION, state.HIRING_NEW_SIZE),
            default_keco=str(postings["keco_code"].iloc[0]) if not postings.empty else None,
        )
        published = hiring.default_conditions(keco, region, size, model=model)
        posting_id, owner, title = None, f"new:{keco}:{region}:{size}", f"{names.occupation(keco)} 채용"
    else:
        published = hiring.conditions_from_posting(engine, int(choice), employer_id=employer_id)
        posting_id, owner = int(choice), f"posting:{int(choice)}"
        title = str(postings.loc[postings["id"] == posting_id, "title"].iloc[0])
except (PostingAccessDenied, PostingNotFound, InvalidConditions) as err:
    st.error(str(err))
    st.stop()

# Only the posting's own employer changes it (staff look, the verifier and reviewers decide).
can_apply = employer_id is not None and posting_id is not None
notice = st.session_state.pop(state.HIRING_APPLY_NOTICE, None)
if notice:
    kind, message = notice
    (st.success if kind == "current" else st.warning)(message, icon=":material/published_with_changes:")
if can_apply:
    queue = hiring.verification_status(engine, int(posting_id), build_checks=resources.hiring_build_checks(),
                                       reviews=ads.load_reviews(engine, int(posting_id)))
    if queue.waiting:
        st.warning(queue.message, icon=":material/hourglass_top:")

st.markdown(f"**{'새 공고 기본 조건' if posting_id is None else '게시 조건'}** · {ui.describe_conditions(published, welfare)}")
for issue in hiring.legal_issues(published):
    st.warning(f"{issue}. 시뮬레이션과 방안은 법정 기준을 충족하는 조건에서 시작합니다.", icon=":material/gavel:")

published_prediction = hiring.predict(published, model)
published_bounds = resources.hiring_bounds(published)
market_max = published_bounds.max_amount(published.wage_type, min(published.weekly_hours, 52.0))
ui.prepare_whatif(published, owner=owner, market_max=market_max)


def apply_to_posting(conditions: PostingConditions, *, kind: str, label: str, prediction: Prediction | None = None,
                     scenario_id: int | None = None) -> None:
    """Make the conditions a new version of the posting (verified first), record the verdict shown
    in the audit log, and rerun the whole page on the new version."""
    try:
        verifier = resources.ad_verifier()
    except NotReady as err:
        st.error(f"구인광고 검증 모델이 없어 공고에 적용할 수 없습니다. {err}")
        return
    try:
        with st.spinner("새 버전을 구인광고 검증 규칙으로 확인하는 중…"):
            if kind == "scenario" and scenario_id is not None:
                result = hiring.apply_scenario(engine, verifier, scenario_id=scenario_id, posting_id=int(posting_id),
                                               employer_id=employer_id, username=user.username)
            else:
                result = hiring.apply_to_posting(
                    engine, verifier, posting_id=int(posting_id), employer_id=employer_id, username=user.username,
                    conditions=conditions, source_kind=kind, source_label=label, prediction=prediction,
                )
    except (InvalidConditions, PostingAccessDenied, PostingNotFound, ScenarioNotFound, PostingChanged) as err:
        st.error(str(err))
        return
    if not audit_log.log_shown(engine, user, model_name=hiring.AD_VERIFIER_NAME, action="hiring.apply",
                               model_version=f"{verifier.version}/rules{verifier.rules.version}",
                               input_hash=audit_log.input_hash_of("hiring.apply", posting_id, result.version_id),
                               output={"posting_id": int(posting_id), "version": result.version,
                                       "decision": result.decision, "status": result.status}):
        return  # the version is stored; its verdict is not shown without the record
    message = result.message + " 바뀐 내용: " + " · ".join(result.changes)
    if result.reasons:
        message += f" (검증 사유: {result.reasons})"
    st.session_state[state.HIRING_APPLY_NOTICE] = (result.status, escape_markdown(message))
    resources.refresh_hiring_postings()
    st.session_state.pop(state.HIRING_WHATIF_FOR, None)  # the what-if starts again from the new version
    st.rerun()


@st.fragment
def simulator() -> None:
    """Everything that follows the what-if controls; only this part reruns when a control moves."""
    auth.check_fragment_session()  # a fragment run skips the router: idle timeout and revoked accounts
    cards = st.container()  # the figures go on top, full width, though they are computed after the controls
    controls, results = st.columns([2, 3], gap="large")
    with controls, st.container(border=True):
        st.markdown("**조건 바꿔 보기**")
        current, notes = ui.select_whatif(published, owner=owner, welfare=welfare, market_max=market_max)
        for note in notes:
            st.caption(note)
    same = current.input_hash() == published_prediction.input_hash
    if can_apply and not same and controls.button(
        "바꾼 조건을 공고에 적용", key=state.HIRING_APPLY_WHATIF, type="primary", icon=":material/published_with_changes:",
        help="바꾼 조건대로 공고 조건과 본문을 고친 새 버전을 만들고, 구인광고 검증을 통과하면 바로 게시합니다.",
    ):
        apply_to_posting(current, kind="whatif", label="조건 바꿔 보기", prediction=hiring.predict(current, model))
    prediction = published_prediction if same else hiring.predict(current, model)
    bounds = resources.hiring_bounds(current)
    advice = hiring.advice(current, model, bounds)
    # no log row, no output: the figures below are drawn only once their records are durable
    if not ui.log_shown(engine, user, action="hiring.predict", model_version=published_prediction.model_version,
                        input_hash=published_prediction.input_hash,
                        output=ui.prediction_output(published_prediction, advice if same else ())):
        return
    if not same and not ui.log_shown(engine, user, action="hiring.whatif", model_version=prediction.model_version,
                                     input_hash=prediction.input_hash, output=ui.prediction_output(prediction, advice)):
        return
    with cards:
        ui.render_prediction(prediction, published_prediction)
    with results:
        ui.render_factors(prediction, key="hiring.shap")

    target = int(st.session_state.get(state.HIRING_TARGET, 70)) / 100
    ui.render_wage_curve(
        hiring.wage_curve(current, model), current=current, prediction=prediction, published=published,
        published_prediction=published_prediction, target=target, key="hiring.curve",
    )

    st.subheader("목표 확률 달성 방안")
    st.caption(f"임금·근로시간·복리후생·고용형태·자격 요건 가운데 가장 적은 비용으로 목표에 닿는 조합을 찾고, "
               f"모델로 다시 확인합니다. {bounds.describe()}")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        target = ui.select_target(key=state.HIRING_TARGET)
    if right.button("방안 찾기", key=state.HIRING_PLAN_BUTTON, type="primary", icon=":material/search:"):
        try:
            plans = hiring.minimum_change(current, model, target, bounds, max_plans=3)
        except InvalidConditions as err:
            st.error(str(err))
        else:
            record = ui.plans_to_state(plans, input_hash=prediction.input_hash, target=target)
            if ui.log_shown(engine, user, action="hiring.plan", model_version=prediction.model_version,
                            input_hash=ui.input_hash_of(prediction.input_hash, target), output=ui.plans_output(record)):
                st.session_state[state.HIRING_PLANS] = record
    record = st.session_state.get(state.HIRING_PLANS)
    if record and record["for"] == prediction.input_hash and record["target"] == target:
        chosen = ui.render_plans(record, apply_key=state.HIRING_APPLY_PLAN if can_apply else None)
        if chosen is not None:
            try:
                planned = hiring.validate_conditions(chosen[1])
            except InvalidConditions as err:
                st.error(str(err))
            else:
                apply_to_posting(planned, kind="plan", label=chosen[0], prediction=hiring.predict(planned, model))
    elif record:
        st.caption("조건이나 목표가 바뀌었습니다. ‘방안 찾기’를 다시 누르세요.")

    st.subheader("개선 조언")
    ui.render_advice(advice)

    st.subheader("시나리오 저장·비교")
    if employer_id is None:
        st.caption("시나리오 저장은 구인기업 계정에서 사용할 수 있습니다.")
        return
    notice = st.session_state.pop(state.HIRING_SCENARIO_NOTICE, None)
    if notice:
        st.success(notice)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input("시나리오 이름", key=state.HIRING_SCENARIO_NAME, max_chars=60,
                           placeholder="예: 월급 10% 인상안")
    if right.button("현재 조건 저장", key=state.HIRING_SCENARIO_SAVE, icon=":material/save:"):
        try:
            hiring.save_scenario(engine, employer_id, name, current, prediction, posting_id)
        except (InvalidConditions, PostingAccessDenied, PostingNotFound) as err:
            st.error(str(err))
        else:
            st.success(f"시나리오 ‘{escape_markdown(name.strip())}’을(를) 저장했습니다.")
    scenarios = hiring.load_scenarios(engine, employer_id)
    ui.render_scenarios(hiring.compare_scenarios(scenarios.head(ui.MAX_COMPARED)), key="hiring.scenarios.table")
    applicable = ui.scenario_apply_labels(scenarios, int(posting_id)) if can_apply else {}
    if applicable:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        if st.session_state.get(state.HIRING_APPLY_SCENARIO) not in applicable:
            st.session_state.pop(state.HIRING_APPLY_SCENARIO, None)
        picked = left.selectbox("공고에 적용할 시나리오", options=list(applicable), format_func=applicable.__getitem__,
                                key=state.HIRING_APPLY_SCENARIO)
        if right.button("시나리오를 공고에 적용", key=state.HIRING_APPLY_SCENARIO_BUTTON,
                        icon=":material/published_with_changes:"):
            apply_to_posting(current, kind="scenario", label="", scenario_id=int(picked))
    deleted = ui.select_scenario_to_delete(
        scenarios, key=state.HIRING_SCENARIO_DELETE, button_key=state.HIRING_SCENARIO_DELETE_BUTTON
    )
    if deleted is not None:
        try:
            hiring.delete_scenario(engine, employer_id, deleted)
        except ScenarioNotFound as err:
            st.error(str(err))
        else:
            st.session_state[state.HIRING_SCENARIO_NOTICE] = "시나리오를 삭제했습니다."
            st.rerun()


simulator()

st.subheader("유사 공고 10건")
try:
    similar = resources.similar_postings(posting_id, ui.similar_query(published, title=title))
except NotReady as err:
    st.info(f"유사 공고 색인이 아직 없어 비교 공고를 보여 줄 수 없습니다. {err}", icon=":material/info:")
except ValueError as err:
    st.info(str(err), icon=":material/info:")
else:
    if audit_log.log_shown(engine, user, model_name=hiring.POSTINGS_INDEX_NAME, action="hiring.similar",
                           model_version=audit_log.artifact_version(hiring.POSTINGS_INDEX_NAME),
                           input_hash=audit_log.input_hash_of("similar", posting_id, published.input_hash(), title),
                           output={"posting_ids": [int(i) for i in similar["id"]]}):
        ui.render_similar(similar, key="hiring.similar")

if posting_id is not None:
    st.subheader("공고 수정 이력")
    st.caption("공고에 적용한 조건은 새 버전으로 기록됩니다. 구인광고 검증을 통과한 버전만 게시되고, "
               "검토가 필요한 버전은 담당자 확인 뒤 게시됩니다(시각은 한국 시간).")
    try:
        versions = hiring.load_versions(engine, int(posting_id), employer_id=employer_id)
    except PostingAccessDenied as err:
        st.error(str(err))
    else:
        ui.render_versions(hiring.version_table(versions), key="hiring.versions.table")

if can_apply:
    st.subheader("채용 컨설팅 신청")
    st.caption("채용이 어려우면 고용센터 기업 지원 담당자에게 채용 컨설팅(구인 조건·홍보·채용 절차 상담)을 신청하세요. "
               "이름·전화번호 같은 개인정보는 적지 마세요(적더라도 가려서 저장합니다).")
    consult_notice = st.session_state.pop(state.HIRING_CONSULT_NOTICE, None)
    if consult_notice:
        st.success(consult_notice, icon=":material/support_agent:")
    cases = hiring.load_cases(engine, employer_id=employer_id, role=user.role, posting_id=int(posting_id))
    open_cases = cases[cases["status"].isin(hiring.OPEN_STATUSES)]
    if not open_cases.empty:
        case = open_cases.iloc[0]
        st.info(f"채용 컨설팅 사례 #{int(case['id'])}: {hiring.CASE_STATUSES[str(case['status'])]}. "
                "담당자가 배정되면 연락드립니다.", icon=":material/support_agent:")
    else:
        with st.form("hiring.consult.form", border=True):
            reason = st.text_area("신청 사유", key=state.HIRING_CONSULT_REASON, max_chars=500,
                                  placeholder="예: 3주째 지원자가 없습니다. 임금과 근무 조건을 어떻게 바꾸면 좋을지 상담받고 싶습니다.")
            contact = st.text_input("희망 연락 시간 (선택)", key=state.HIRING_CONSULT_CONTACT, max_chars=60,
                                    placeholder="예: 평일 오후 2~5시")
            requested = st.form_submit_button("채용 컨설팅 신청", type="primary", icon=":material/support_agent:")
        if requested:
            try:
                case_id = hiring.request_consulting(engine, posting_id=int(posting_id), employer_id=employer_id,
                                                    username=user.username, role=user.role, reason=reason,
                                                    contact_time=contact)
            except (InvalidInput, PostingAccessDenied, PostingNotFound) as err:
                st.error(str(err))
            else:
                st.session_state[state.HIRING_CONSULT_NOTICE] = (
                    f"채용 컨설팅을 신청했습니다 (사례 #{case_id}). 담당자가 배정되면 연락드립니다.")
                st.rerun()
    if not cases.empty:
        ui.render_cases(hiring.case_table(cases, with_employer=False), key="hiring.consult.table")
