"""Widgets of 서비스 이용 병목: the segment and period filters, the ranked bottlenecks with their evidence,
and the what-if. Everything from data goes through ``escape_markdown``; nothing here queries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.exports import csv_bytes
from app.services import service_logs
from app.text.markdown import escape_markdown
from components.display import render_chart, render_download

ALL_SERVICES = "전체 서비스"


def select_log_filter(status: service_logs.LogStatus, *, key: str) -> service_logs.LogFilter:
    """Segment and period conditions as a :class:`LogFilter` (every service; the page picks one to draw)."""
    months = list(status.months)
    segments = (("devices", "기기", service_logs.DEVICES), ("ages", "연령대", service_logs.AGE_BANDS),
                ("visits", "방문 유형", service_logs.VISITS), ("users", "이용자 유형", service_logs.USER_TYPES))
    chosen = {name: tuple(column.multiselect(label, options, key=f"{key}.{name}", placeholder="전체", select_all=False))
              for column, (name, label, options) in zip(st.columns(len(segments)), segments, strict=True)}
    month_from, month_to = (None, None)
    if len(months) > 1:
        month_from, month_to = st.select_slider("분석 기간", options=months, value=(months[0], months[-1]),
                                                key=f"{key}.months")
    return service_logs.LogFilter(devices=chosen["devices"], age_bands=chosen["ages"], visits=chosen["visits"],
                                  user_types=chosen["users"], month_from=month_from, month_to=month_to)


def render_bottlenecks(analysis: service_logs.LogAnalysis, *, key: str) -> pd.DataFrame:
    """The ranked bottlenecks: chart, the top five with their evidence, the table and its CSV; returns the table."""
    table = service_logs.bottleneck_table(analysis.bottlenecks)
    if table.empty:
        st.info("이 조건에서는 통계적으로 두드러진 병목이 없습니다.")
        return table
    render_chart(service_logs.make_bottleneck_figure(table), key=f"{key}.chart")
    for _, row in table.head(5).iterrows():
        head = (f"{row['순위']}. {row['서비스']} · {row['단계']} · {row['이용자 집단']} — {row['주요 증상']}, "
                f"월 {row['월 초과 이탈(세션)']:,.0f}세션 초과 이탈")
        st.markdown("**" + escape_markdown(head) + "**")
        st.caption(escape_markdown(row["근거"]))
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table",
                 column_config={c: st.column_config.NumberColumn(c, format="percent")
                                for c in ("이탈률", "기준 이탈률", "오류 경험률")})
    render_download(csv_bytes(table), file_name="서비스이용_병목.csv", key=f"{key}.download",
                    label="병목 목록 CSV 내려받기")
    return table


def render_funnel(analysis: service_logs.LogAnalysis, service: str, *, key: str) -> None:
    """A service's funnel chart and table (with its CSV)."""
    render_chart(service_logs.make_funnel_figure(analysis.funnel, service), key=f"{key}.chart")
    table = service_logs.funnel_table(analysis.funnel, service)
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table",
                 column_config={c: st.column_config.NumberColumn(c, format="percent")
                                for c in ("이탈률", "시작 대비 도달률", "오류 경험률")})
    render_download(csv_bytes(service_logs.funnel_table(analysis.funnel)), file_name="서비스이용_퍼널.csv",
                    key=f"{key}.download", label="전체 서비스 퍼널 CSV 내려받기")


def render_process_map(analysis: service_logs.LogAnalysis, service: str, *, key: str) -> None:
    """A service's directly-follows process map."""
    render_chart(service_logs.make_process_map_figure(analysis.dfg, analysis.funnel, service), key=f"{key}.chart")
    st.caption("화살표 굵기는 바로 이어진 세션 수입니다. 단계 위의 고리는 실패 후 다시 시도한 횟수, "
               "붉은 선은 그 단계에서 신청을 그만둔 세션입니다.")


def render_step_times(analysis: service_logs.LogAnalysis, service: str, *, key: str) -> None:
    """Median and 90th-percentile step times of a service, overall or by one segment dimension."""
    dimensions = {"전체": "all", **{label: dim for dim, label in service_logs.SEGMENT_DIMENSIONS.items()}}
    chosen = st.radio("나누어 보기", list(dimensions), horizontal=True, key=f"{key}.dimension")
    table = service_logs.step_time_table(analysis.step_times, service, dimensions[chosen])
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table")
    st.caption("성공한 시도의 소요 시간입니다(실패한 시도는 오류·재시도 탭).")


def render_errors(analysis: service_logs.LogAnalysis, service: str, *, key: str) -> None:
    """Error hot spots of a service."""
    table = service_logs.error_table(analysis.errors, service)
    if table.empty:
        st.info("이 조건에서는 오류가 기록되지 않았습니다.")
        return
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table")


def render_what_if(analysis: service_logs.LogAnalysis, service: str, *, key: str) -> None:
    """Pick a step; show the completions a month gained if its drop-off were the service's median."""
    steps = analysis.funnel[(analysis.funnel["service"] == service) & ~analysis.funnel["is_final"]]
    if steps.empty:
        st.info("이 조건에서는 계산할 단계가 없습니다.")
        return
    worst = int(steps["drop_rate"].fillna(0.0).to_numpy().argmax())
    labels = {f"{o}. {s}": int(o) for o, s in zip(steps["step_order"], steps["step"], strict=True)}
    chosen = st.selectbox("개선할 단계", list(labels), index=worst, key=f"{key}.step")
    result = service_logs.improvement(analysis, service, labels[chosen])
    cols = st.columns(3)
    cols[0].metric("현재 이탈률", f"{100 * result.current_rate:.1f}%", border=True)
    cols[1].metric("목표 이탈률(서비스 단계 중앙값)", f"{100 * result.target_rate:.1f}%", border=True)
    cols[2].metric("월 추가 완료", f"{result.extra_per_month:,.0f}건", border=True)
    st.success(escape_markdown(service_logs.what_if_sentence(result)))
    st.caption("이 단계에서 더 통과한 세션도 뒤 단계마다 현재 통과율만큼 이탈한다고 보고 계산했습니다.")
