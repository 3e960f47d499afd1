"""서비스 이용 병목 (policy staff): where users of the online services (실업급여, 구직신청, 취업지원,
내일배움카드, 육아휴직) abandon or struggle — funnels, process maps, ranked bottlenecks with their
evidence, error hot spots, step times by segment and the what-if of fixing a step. Aggregates of the
event logs only (DuckDB over Parquet); no individual is shown."""

from __future__ import annotations

import streamlit as st

from app.errors import GoyongError, NotReady
from app.services import service_logs
from components import auth, display, resources
from components import service_logs as ui

user = auth.require_role("service_bottlenecks")
st.title("서비스 이용 병목")
st.caption("온라인 서비스 이용 로그에서 이용자가 어느 단계에서, 어떤 이용자 집단이 그만두거나 막히는지 찾습니다. "
           "개인이 아닌 세션 단위 집계입니다.")

try:
    status = resources.service_log_status(user.role)
except NotReady as err:
    st.info(err.user_message)
    st.stop()

flt = ui.select_log_filter(status, key="service_logs.filter")
try:
    analysis = resources.service_log_analysis(user.role, flt)
except GoyongError as err:
    st.error(err.user_message)
    st.stop()
if analysis.funnel.empty:
    st.info("선택한 조건에 해당하는 이용 기록이 없습니다. 조건을 넓혀 보세요.")
    st.stop()

figures = service_logs.headline(analysis)
display.render_metrics_row([
    display.MetricItem("분석 기간", f"{figures.months}개월"),
    display.MetricItem("세션", f"{figures.sessions:,}개"),
    display.MetricItem("신청 완료율", f"{100 * figures.completion_rate:.1f}%"),
    display.MetricItem("월평균 신청 완료", f"{figures.completed_per_month:,.0f}건"),
])

services = [s for s in service_logs.SERVICES if s in set(analysis.funnel["service"])]
service = st.selectbox("서비스 (퍼널·프로세스 맵·오류·소요 시간·개선 효과)", services, key="service_logs.service")
tabs = st.tabs(["병목 순위", "단계별 퍼널", "프로세스 맵", "오류·재시도", "단계별 소요 시간", "개선 효과 추정"])
with tabs[0]:
    st.caption("초과 이탈 = 그 단계(또는 집단)가 서비스의 보통 단계보다 더 잃은 세션 수입니다. 집단은 같은 단계의 "
               "나머지 이용자와 비교하되, 그 집단이 다른 단계에서도 보이는 평소 차이는 빼고 계산합니다.")
    ui.render_bottlenecks(analysis, key="service_logs.bottlenecks")

with tabs[1]:
    ui.render_funnel(analysis, service, key="service_logs.funnel")
with tabs[2]:
    ui.render_process_map(analysis, service, key="service_logs.map")
with tabs[3]:
    ui.render_errors(analysis, service, key="service_logs.errors")
with tabs[4]:
    ui.render_step_times(analysis, service, key="service_logs.times")
with tabs[5]:
    ui.render_what_if(analysis, service, key="service_logs.what_if")
