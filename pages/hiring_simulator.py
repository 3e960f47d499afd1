"""채용 시뮬레이터: fill probability and days to fill of a posting, its reasons, a live what-if,
the cheapest plan to reach a target, similar postings, advice and saved scenarios.

Employers open only their own postings (a foreign id from the URL or session state is refused);
policy staff open any posting. Every model output shown is written to the audit log.
"""

from __future__ import annotations

import streamlit as st

from app.errors import NotReady
from app.services import hiring
from app.services.hiring import InvalidConditions, PostingAccessDenied, PostingNotFound, ScenarioNotFound
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

st.markdown(f"**{'새 공고 기본 조건' if posting_id is None else '게시 조건'}** · {ui.describe_conditions(published, welfare)}")
for issue in hiring.legal_issues(published):
    st.warning(f"{issue}. 시뮬레이션과 방안은 법정 기준을 충족하는 조건에서 시작합니다.", icon=":material/gavel:")

published_prediction = hiring.predict(published, model)
published_bounds = resources.hiring_bounds(published)
market_max = published_bounds.max_amount(published.wage_type, min(published.weekly_hours, 52.0))
ui.prepare_whatif(published, owner=owner, market_max=market_max)


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
        ui.render_plans(record)
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
