"""성과·모델 모니터링 (policy staff): the employment services' process indicators against their targets
(per service, region and quarter, linked to the national employment-rate goal) and every model's
monitoring — score drift, calibration, fairness gaps over time, people overriding its outputs, audit-log
volume — with the alerts first. Aggregates only: no individual seeker. Downloads: CSV and Excel."""

from __future__ import annotations

import streamlit as st

from app.charts import monitoring as charts
from app.config import get_settings
from app.errors import NotReady
from app.services import monitoring
from app.text.korean import format_korean_date
from app.text.markdown import escape_markdown
from components import auth, display, resources
from components import monitoring as ui

user = auth.require_role("monitoring")
monitoring.require_policy(user.role)  # the service refuses other roles too
st.title("성과·모델 모니터링")
st.caption("고용서비스의 성과지표를 목표와 비교하고, 운영 중인 AI 모델의 점수 분포·보정·공정성·사람의 변경률을 "
           "점검합니다. 개인이 아닌 집계만 보입니다.")

try:
    report = resources.monitoring_report()
except NotReady as err:
    st.info(err.user_message)
    st.stop()
engine = resources.engine()
if not ui.log_view(engine, user, report):
    st.stop()
settings = get_settings()
summary = report.summary()
display.render_metrics_row([
    display.MetricItem("경보", f"{summary['alerts']}건"),
    display.MetricItem("주의", f"{summary['warnings']}건"),
    display.MetricItem("점검한 모델", f"{len(report.monitors)}개"),
    display.MetricItem("보고서 날짜", f"{report.as_of.month}월 {report.as_of.day}일", format_korean_date(report.as_of)),
])
st.caption("매일 예약 실행(`python -m app monitor`)이 같은 보고서를 날짜별 파일로 남깁니다. 화면은 10분마다 다시 계산합니다.")

kpi_tab, model_tab, people_tab, download_tab = st.tabs(["성과지표", "모델 모니터링", "사람의 변경·감사 로그", "내려받기"])

with kpi_tab:
    st.subheader("성과지표와 목표")
    targets = report.kpis.targets
    st.caption(escape_markdown(f"국가 목표: {targets.national_goal}"))
    st.caption(escape_markdown(f"출처: {targets.national_source} · 연계 방식: {targets.step_source}"))
    region_codes, services = ui.select_kpi_scope(resources.kpi_regions(), key="monitoring.kpi")
    kpis = resources.kpi_report(region_codes, services)
    scope = " · ".join([", ".join(kpis.regions) or "전국", ", ".join(kpis.services) or "모든 서비스"])
    st.caption(escape_markdown(f"대상: {scope} · 분기는 구직 등록 분기(상담사 담당 인원은 상담 분기)"))
    ui.render_kpi_tiles(kpis.latest, targets.labels)
    indicator = st.selectbox("추이를 볼 지표", options=list(monitoring.INDICATORS),
                             format_func=dict(targets.labels).__getitem__, key="monitoring.kpi.indicator")
    by_group = st.radio("구분", options=list(monitoring.KPI_GROUPINGS), horizontal=True, key="monitoring.kpi.by")
    status = monitoring.trend_rows(kpis.status, by_group)
    display.render_chart(charts.make_kpi_trend_figure(status, indicator, targets.labels.get(indicator, "지표")),
                         key="monitoring.kpi.trend")
    shown = monitoring.shown_status_table(status[status["indicator"] == indicator])
    st.dataframe(shown, hide_index=True, width="stretch", key="monitoring.kpi.table")
    st.caption("‘우리 가정’이 ‘예’인 목표는 공식 수치가 아닌 이 시스템의 가정입니다(출처 열 참고). "
               "‘집계 중’은 등록 후 180일이 지나지 않아 결과가 아직 없는 분기입니다.")

with model_tab:
    st.subheader("경보")
    ui.render_alerts(report.alerts)
    if report.missing:
        st.caption(escape_markdown("만들어지지 않아 점검하지 못한 모델: " + ", ".join(report.missing)))
    st.subheader("모델별 점검 항목")
    st.dataframe(report.models, hide_index=True, width="stretch", key="monitoring.models")
    for number, monitor in enumerate(m for m in report.monitors if m.name != "copilot"):
        with st.expander(monitor.title, expanded=number == 0):
            ui.render_model(monitor, report.thresholds, tolerance=settings.fairness_tolerance,
                            key=f"monitoring.model.{number}")
    st.subheader("경보 기준")
    st.dataframe(monitoring.thresholds_table(report.thresholds), hide_index=True, width="stretch",
                 key="monitoring.thresholds")

with people_tab:
    st.subheader("사람이 AI 결과를 바꾼 비율")
    overrides = monitoring.override_table(report)
    if overrides.empty:
        st.info("아직 기록된 위험도 변경이나 검토 번복이 없습니다.")
    else:
        st.dataframe(overrides, hide_index=True, width="stretch", key="monitoring.overrides")
    st.subheader("상담 지원 AI 초안의 수정")
    if report.copilot_edits.empty:
        st.info("아직 보여 준 상담 지원 초안이 없습니다.")
    else:
        st.dataframe(report.copilot_edits, hide_index=True, width="stretch", key="monitoring.copilot")
    st.subheader(f"감사 로그 건수 (최근 {monitoring.AUDIT_DAYS}일)")
    display.render_chart(charts.make_audit_volume_figure(report.audit), key="monitoring.audit")

with download_tab:
    st.subheader("내려받기")
    st.caption("모든 표를 한 Excel 파일로, 또는 표 하나를 CSV로 내려받습니다. 수식처럼 보이는 글자는 수식으로 실행되지 않게 처리합니다.")
    ui.render_downloads(monitoring.report_sheets(report), file_stem=f"모니터링-{report.as_of.isoformat()}",
                        key="monitoring.download")
