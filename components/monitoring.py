"""Widgets of 성과·모델 모니터링: the alerts (경보 as errors, 주의 as warnings), the KPI filters and
tiles, one model's drift/calibration/fairness charts and tables, and the CSV/Excel downloads."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app.auth import User
from app.charts import monitoring as charts
from app.exports import csv_bytes, xlsx_bytes
from app.services import monitoring
from app.services.monitoring import ModelMonitor, MonitoringReport
from app.text.markdown import escape_markdown
from components import display
from components.audit import input_hash_of, log_view_once

VIEW_ACTION = "monitoring.view"
VIEW_NOT_RECORDED = "열람 기록을 남기지 못해 모니터링 결과를 표시하지 않습니다. 잠시 후 다시 시도하고, 계속되면 관리자에게 알려 주세요."
OUTCOME_NAMES: dict[str, str] = {"employment": "180일 내 취업", "hiring": "30일 내 채용", "course_outcome": "6개월 취업률"}


def log_view(engine: Engine, user: User, report: MonitoringReport) -> bool:
    """Record that ``user`` is about to see the report (``monitoring.view``, once per report date and
    alert count). Nothing is drawn without the record.

    Returns:
        ``True`` when the record is durable; ``False`` after a Korean error.
    """
    summary = report.summary()
    output = {"date": summary["date"], "alerts": summary["alerts"], "warnings": summary["warnings"],
              "models": {m.name: m.version for m in report.monitors}}
    digest = input_hash_of(VIEW_ACTION, *sorted((k, str(v)) for k, v in output.items()))
    return log_view_once(engine, user, action=VIEW_ACTION, area="monitoring", digest=digest, output=output,
                         failure=VIEW_NOT_RECORDED)


def render_alerts(alerts: pd.DataFrame, *, empty_note: str = "경보나 주의가 없습니다.") -> None:
    """Every alert as a box: 경보 red (``st.error``), 주의 yellow (``st.warning``), most severe first."""
    if alerts.empty:
        st.success(empty_note, icon=":material/check_circle:")
        return
    for row in alerts.itertuples(index=False):
        text = escape_markdown(row.message)
        if row.level == monitoring.ALERT:
            st.error(f"**경보** · {text}", icon=":material/error:")
        else:
            st.warning(f"**주의** · {text}", icon=":material/warning:")


def select_kpi_scope(regions: Mapping[str, str], *, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Region (시도 of residence) and service pickers; empty = all. Returns (region codes, service keys)."""
    region_labels = dict(regions)
    service_labels = dict(monitoring.SERVICE_NAMES)
    left, right = st.columns(2)
    chosen_regions = left.multiselect("거주 시도", options=list(region_labels), format_func=region_labels.__getitem__,
                                      key=f"{key}.regions", placeholder="전국", select_all=False)
    chosen_services = right.multiselect("서비스", options=list(service_labels), format_func=service_labels.__getitem__,
                                        key=f"{key}.services", placeholder="모든 서비스", select_all=False)
    return tuple(chosen_regions), tuple(chosen_services)


TILE_LABELS: dict[str, str] = {"take_up": "서비스 이용률", "completion": "훈련 수료율", "placement": "180일 내 취업률",
                               "days_to_placement": "취업 소요일", "caseload": "상담사 1인당 구직자"}
"""Short tile labels (the full names are in the table and the chart)."""


def render_kpi_tiles(latest: pd.DataFrame, labels: Mapping[str, str]) -> None:
    """The latest quarter of each indicator of the "전체" row: value and 달성/미달, with the quarter,
    the full name and the target under the tile's help."""
    overall = latest[latest["group_kind"] == "전체"]
    items = []
    for indicator in monitoring.INDICATORS:
        row = overall[overall["indicator"] == indicator]
        if row.empty:
            continue
        r = row.iloc[0]
        value, target = _format(indicator, r["value"]), _format(indicator, r["target"])
        mark = "달성" if r["status"] == monitoring.ACHIEVED else "미달"
        items.append(display.MetricItem(TILE_LABELS.get(indicator, "지표"), f"{value} · {mark}",
                                        f"{labels.get(indicator, '지표')} · {r['quarter']} · 목표 {target}"))
    display.render_metrics_row(items)


def _format(indicator: str, value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    if number != number:
        return "-"
    if indicator == "days_to_placement":
        return f"{number:.0f}일"
    if indicator == "caseload":
        return f"{number:.0f}명"
    return f"{number * 100:.1f}%"


def render_model(monitor: ModelMonitor, thresholds: monitoring.Thresholds, *, tolerance: float, key: str) -> None:
    """One model: what it scores, its reference window, how many alerts it raised (listed above the
    models), then its PSI, calibration and fairness charts (checks that do not apply say why)."""
    profile = monitor.profile
    st.caption(escape_markdown(f"점수화 대상: {profile.scores} · 구간: {profile.window} · 버전 {monitor.version}"))
    if monitor.reference:
        st.caption(escape_markdown(monitor.reference))
    if profile.no_outcome:
        st.caption(escape_markdown(f"적용하지 않는 점검: 보정·공정성 — {profile.no_outcome}"))
    alerts = monitoring.alert_table_of(monitor)
    if alerts.empty:
        st.caption("이 모델에는 경보나 주의가 없습니다.")
    else:
        counts = alerts["level"].value_counts()
        st.caption(f"이 모델의 경보 {int(counts.get(monitoring.ALERT, 0))}건, 주의 {int(counts.get(monitoring.WARNING, 0))}건"
                   " (내용은 위 경보 목록)")
    if not monitor.drift.empty:
        display.render_chart(charts.make_psi_figure(monitor.drift, model=monitor.title, warning=thresholds.psi.warning,
                                                    alert=thresholds.psi.alert), key=f"{key}.psi")
    if not monitor.calibration.empty:
        if monitor.note:
            st.caption(escape_markdown(monitor.note))
        display.render_chart(charts.make_calibration_figure(monitor.calibration, model=monitor.title,
                                                            outcome=OUTCOME_NAMES.get(monitor.name, "결과")),
                             key=f"{key}.calibration")
    if not monitor.fairness.empty:
        fairness = monitoring.fairness_chart_rows(monitor.fairness)
        for metric, label in monitoring.fairness_metric_labels(monitor.fairness).items():
            display.render_chart(charts.make_fairness_figure(fairness[fairness["metric"] == metric], model=monitor.title,
                                                             metric_label=label, tolerance=tolerance),
                                 key=f"{key}.fairness.{metric}")
        st.caption("× 표시는 허용오차를 넘고 통계적으로 유의한 격차입니다. 학습 구간보다 허용오차 이상 커지면 경보, "
                   "그대로 이어지면 주의입니다.")


def render_downloads(sheets: Mapping[str, pd.DataFrame], *, file_stem: str, key: str) -> None:
    """The Excel workbook of every table, and a CSV of the table picked."""
    left, right = st.columns(2)
    left.download_button("Excel 내려받기(전체 표)", data=xlsx_bytes(sheets), file_name=f"{file_stem}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"{key}.xlsx", icon=":material/download:")
    names = list(sheets)
    chosen = right.selectbox("CSV로 내려받을 표", options=names, key=f"{key}.table")
    with right:
        display.render_download(csv_bytes(sheets[chosen]), file_name=f"{file_stem}-{chosen}.csv", key=f"{key}.csv")
