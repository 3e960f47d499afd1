"""채용 위험 공고 현황 (policy staff): every posting's predicted fill probability by occupation and
region, the postings at risk of not being filled (open one in the simulator, or open a hiring
consulting case for it), the consulting cases (assign, notes, outcome, whether the posting was
filled), new posting versions waiting for review, and the audit log of model outputs shown to users.
"""

from __future__ import annotations

import streamlit as st

from app.charts import hiring as charts
from app.config import get_settings
from app.errors import GoyongError
from app.services import audit, hiring
from app.services.explorer import to_csv_bytes
from app.services.hiring import GROUPINGS
from app.text.korean import format_count, format_rate
from components import auth, display, resources, state
from components import hiring as ui
from components.display import MetricItem

user = auth.require_role("hiring_policy")
st.title("채용 위험 공고 현황")
st.caption(
    "모든 공고의 30일 내 채용확률을 AI 모델로 예측해, 채용이 어려울 것으로 보이는 공고와 직종·지역을 찾습니다. "
    "채용 컨설팅 대상을 고르는 참고 자료이며, 예측은 확정된 결과가 아닙니다."
)

model = resources.required(resources.hiring_model)
# the stored scores' figures (tiles, group tables, histograms): one stored row, never the national rows
summary = resources.required(resources.posting_risk_summary)
if summary.n_postings == 0:
    st.warning("예측할 공고가 없습니다. `python -m app build`로 가상 세계와 모델을 만드세요.")
    st.stop()

engine = resources.engine()
threshold = ui.select_risk_threshold(key=state.HIRING_RISK_THRESHOLD)
overview = hiring.risk_overview(engine, summary, threshold)
version = str(model.version)
if not ui.log_shown(
    engine, user, action="hiring.policy", model_version=version,
    input_hash=ui.input_hash_of("policy", version, summary.n_postings, round(summary.probability_sum, 6), threshold),
    output={"n_postings": summary.n_postings, "mean_probability": summary.mean_probability,
            "threshold": threshold, "n_at_risk": overview.n_at_risk},
):
    st.stop()  # no log row, no output

display.render_metrics_row([
    MetricItem("예측한 공고", format_count(summary.n_postings, "건")),
    MetricItem("평균 채용확률(30일 내)", format_rate(summary.mean_probability, decimals=0)),
    MetricItem(f"위험 공고 (채용확률 {threshold:.0%} 미만)", format_count(overview.n_at_risk, "건"),
               f"전체의 {overview.n_at_risk / summary.n_postings:.1%}"),
    MetricItem("예상 충원 기간(중앙값)", f"약 {summary.median_days:.0f}일"),
])
display.render_ai_notice("AI 예측 결과", f"모델 버전 {version}",
                         note="공고 조건과 시장 정보만 사용하며 구직자 개인 특성은 쓰지 않습니다.")

st.subheader("채용확률 분포")
tabs = st.tabs(["직종(중분류)별", "지역별"], key="hiring_policy.tabs")
for tab, by in zip(tabs, ("occupation", "region"), strict=True):
    _, label = GROUPINGS[by]
    with tab:
        display.render_chart(
            charts.make_probability_distribution_figure(
                summary.groups[by], by_title=label, threshold=threshold, title=f"{label}별 예측 채용확률 분포",
            ),
            key=f"hiring_policy.{by}.chart",
        )
        st.dataframe(ui.group_table(overview.tables[by], label=label),
                     key=f"hiring_policy.{by}.table", hide_index=True, width="stretch")

st.subheader("채용 위험 공고")
st.caption(f"예측 채용확률이 {threshold:.0%} 미만인 공고입니다(낮은 순). 채용 컨설팅 대상 선정에 참고하세요.")
# one page of the at-risk postings along the probability index; the CSV of all of them only when asked
risky = hiring.at_risk_page(engine, threshold, limit=display.MAX_TABLE_ROWS)
table = ui.risk_table(risky)
ui.render_risk_table(table, key="hiring_policy.risk.table", total=overview.n_at_risk)


def _every_risky_csv() -> bytes:
    """The CSV of every at-risk posting (made when asked for: a national list is long)."""
    return to_csv_bytes(ui.risk_table(hiring.at_risk_page(engine, threshold, limit=None)))


display.render_download(to_csv_bytes(table) if overview.n_at_risk <= len(risky) else _every_risky_csv,
                        file_name="채용위험공고.csv", key="hiring_policy.risk.csv")

notice = st.session_state.pop(state.HIRING_POLICY_NOTICE, None)
if notice:
    st.success(notice, icon=":material/support_agent:")
chosen = ui.select_risky_posting(risky, key=state.HIRING_POLICY_OPEN_POSTING)
if chosen is not None:
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    if left.button("채용 시뮬레이터에서 열기", key="hiring_policy.open.simulator", icon=":material/tune:"):
        st.session_state[state.HIRING_POSTING_ID] = chosen
        ui.open_page("pages/hiring_simulator.py", query_params={state.HIRING_POSTING_QUERY: str(chosen)},
                     fallback=f"채용 시뮬레이터에서 공고 #{chosen}을(를) 여세요.")
    with right.form("hiring_policy.open.form", border=False):
        reason = st.text_input("컨설팅 사유", key=state.HIRING_POLICY_OPEN_REASON, max_chars=500,
                               placeholder="예: 예측 채용확률이 낮아 임금·근무 조건 상담 권유")
        opened = st.form_submit_button("채용 컨설팅 사례 열기", icon=":material/support_agent:")
    if opened:
        try:
            case_id = hiring.request_consulting(engine, posting_id=chosen, employer_id=None, username=user.username,
                                                role=user.role, reason=reason)
        except GoyongError as err:
            st.error(str(err))
        else:
            st.session_state[state.HIRING_POLICY_NOTICE] = f"공고 #{chosen}의 채용 컨설팅 사례 #{case_id}을(를) 열었습니다."
            st.session_state[state.HIRING_POLICY_CASE] = case_id
            st.rerun()

st.subheader("채용 컨설팅 사례")
st.caption("구인기업이 신청했거나 담당자가 연 사례입니다. 담당자를 배정하고 상담 기록과 결과를 남기면, "
           "공고의 실제 채용 여부(관측 결과)와 함께 볼 수 있습니다. 시각은 한국 시간입니다.")
staff = hiring.policy_staff(get_settings().users_file, current=user)
cases = hiring.load_cases(engine, employer_id=None, role=user.role)
ui.render_cases(hiring.case_table(cases, staff=staff), key="hiring_policy.cases.table")
if not cases.empty:
    labels = {int(r.id): f"#{int(r.id)} · {hiring.CASE_STATUSES.get(str(r.status), '-')} · {str(r.title)[:40]}"
              for r in cases.itertuples(index=False)}
    if st.session_state.get(state.HIRING_POLICY_CASE) not in labels:
        st.session_state.pop(state.HIRING_POLICY_CASE, None)
    case_id = int(st.selectbox("사례 선택", options=list(labels), format_func=labels.__getitem__,
                               key=state.HIRING_POLICY_CASE))
    case = cases[cases["id"] == case_id].iloc[0]
    with st.container(border=True):
        st.markdown(f"**사례 #{case_id}** · 공고 #{int(case['posting_id'])} · "
                    f"상태 {hiring.CASE_STATUSES.get(str(case['status']), '-')}")
        if case["status"] != "closed":
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            assignee = left.selectbox("담당자", options=list(staff), format_func=staff.__getitem__,
                                      key=state.HIRING_POLICY_ASSIGNEE)
            if right.button("담당자 배정", key="hiring_policy.case.assign", icon=":material/person_add:"):
                try:
                    hiring.assign_case(engine, case_id=case_id, assignee=assignee, username=user.username,
                                       role=user.role, staff=staff)
                except GoyongError as err:
                    st.error(str(err))
                else:
                    st.session_state[state.HIRING_POLICY_NOTICE] = f"사례 #{case_id}에 담당자를 배정했습니다."
                    st.rerun()
            with st.form("hiring_policy.case.form", border=False):
                note = st.text_area("상담 기록", key=state.HIRING_POLICY_NOTE, max_chars=1000,
                                    placeholder="예: 임금을 지역 평균 수준으로 올리고 근무시간 조정을 권함")
                c1, c2 = st.columns([1, 2])
                status = c1.selectbox("상태", options=[k for k in hiring.CASE_STATUSES if k != "received"],
                                      format_func=hiring.CASE_STATUSES.__getitem__, key=state.HIRING_POLICY_STATUS)
                outcome = c2.text_input("결과 (종료할 때)", key=state.HIRING_POLICY_OUTCOME, max_chars=300,
                                        placeholder="예: 월급 20만원 인상 후 재게시")
                recorded = st.form_submit_button("기록 저장", icon=":material/save:")
            if recorded:
                try:
                    hiring.add_case_note(engine, case_id=case_id, username=user.username, role=user.role,
                                         text=note, status=status, outcome=outcome)
                except GoyongError as err:
                    st.error(str(err))
                else:
                    st.session_state[state.HIRING_POLICY_NOTICE] = f"사례 #{case_id}의 기록을 저장했습니다."
                    st.rerun()
        notes = hiring.load_case_notes(engine, case_id, role=user.role)
        if notes.empty:
            st.caption("아직 상담 기록이 없습니다.")
        else:
            st.dataframe(hiring.note_table(notes, staff=staff), key="hiring_policy.case.notes", hide_index=True,
                         width="stretch", column_config={"기록": st.column_config.TextColumn("기록", width="large")})

pending = hiring.pending_versions(engine)
if not pending.empty:
    st.subheader("검토 대기 공고 수정본")
    st.caption("구인기업이 채용 시뮬레이터에서 공고에 적용한 수정본 가운데 구인광고 검증에서 걸린 것입니다. "
               "게시를 승인하면 새 버전이 게시되고, 반려하면 이전 버전이 계속 게시됩니다.")
    pending_labels = {int(r.id): f"공고 #{int(r.posting_id)} · {int(r.version)}번째 버전 · {r.changes}"
                      for r in pending.itertuples(index=False)}
    picked = st.selectbox("수정본", options=list(pending_labels), format_func=pending_labels.__getitem__,
                          key=state.HIRING_POLICY_PENDING)
    left, right = st.columns(2)
    for column, approve, label in ((left, True, "게시 승인"), (right, False, "반려")):
        if column.button(label, key=f"hiring_policy.pending.{'approve' if approve else 'reject'}"):
            try:
                result = hiring.decide_pending_version(engine, version_id=int(picked), reviewer_role=user.role,
                                                       approve=approve)
            except GoyongError as err:
                st.error(str(err))
            else:
                resources.refresh_hiring_postings()
                st.session_state[state.HIRING_POLICY_NOTICE] = (
                    "수정본을 게시했습니다." if result == "current" else "수정본을 반려했습니다. 이전 버전이 계속 게시됩니다.")
                st.rerun()

st.subheader("AI 출력 감사 로그")
st.caption("사용자에게 보여 준 모델 출력의 기록입니다(최근 순). 입력은 해시로만 남기므로 개인정보가 없습니다.")
ui.render_audit_log(audit.load_audit_log(resources.engine(), limit=200), key="hiring_policy.audit")
