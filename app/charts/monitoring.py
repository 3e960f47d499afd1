"""Plotly figures of 성과·모델 모니터링: KPI trends against their targets, score drift (PSI), calibration
and fairness gaps over time (pure: data in, Figure out; labels in Korean)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.interest import GROUP_COLOURS
from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style

WARNING_COLOUR = "#D9A400"
ALERT_COLOUR = "#C0392B"
REFERENCE_SHADE = "rgba(120, 120, 120, 0.10)"
RATE_INDICATORS: frozenset[str] = frozenset({"take_up", "completion", "placement"})


def _reference_band(fig: go.Figure, windows: list[str], in_reference: list[bool]) -> None:
    """Shade the reference (training) windows of a category axis."""
    inside = [w for w, r in zip(windows, in_reference, strict=True) if r]
    if inside:
        fig.add_vrect(x0=-0.5, x1=windows.index(inside[-1]) + 0.5, fillcolor=REFERENCE_SHADE, line_width=0,
                      annotation_text="기준(학습) 구간", annotation_position="top left")


def make_kpi_trend_figure(status: pd.DataFrame, indicator: str, label: str) -> go.Figure:
    """One line per group of an indicator by quarter, with each group's target as a dashed line.

    Args:
        status: :func:`app.analytics.kpi.kpi_status` rows (``quarter_start, quarter, group, indicator,
            value, target``).
        indicator: Indicator key. label: Its Korean name (the title).
    """
    rows = status[(status["indicator"] == indicator) & status["value"].notna()].sort_values("quarter_start")
    scale = 100.0 if indicator in RATE_INDICATORS else 1.0
    unit = "%" if scale == 100.0 else ("일" if indicator == "days_to_placement" else "명")
    title = f"{label} 추이와 목표"
    if rows.empty:
        return _empty(title)
    quarters = list(dict.fromkeys(rows["quarter"]))
    fig = go.Figure()
    for i, (group, part) in enumerate(rows.groupby("group", sort=False)):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        fig.add_trace(go.Scatter(x=part["quarter"], y=part["value"].astype(float) * scale, mode="lines+markers",
                                 name=str(group), line={"color": colour},
                                 hovertemplate=f"{group} · %{{x}}: %{{y:.1f}}{unit}<extra></extra>"))
        target = part["target"].astype(float)
        if target.notna().any():
            fig.add_trace(go.Scatter(x=part["quarter"], y=target * scale, mode="lines", name=f"{group} 목표",
                                     line={"color": colour, "dash": "dash", "width": 1},
                                     hovertemplate=f"{group} 목표 · %{{x}}: %{{y:.1f}}{unit}<extra></extra>"))
    fig.update_xaxes(categoryorder="array", categoryarray=quarters)
    fig.update_yaxes(title_text=unit)
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return _style(fig, title=title, height=380)


def make_psi_figure(drift: pd.DataFrame, *, model: str, warning: float, alert: float) -> go.Figure:
    """PSI of each window of one model against its reference, with the 주의 and 경보 lines.

    Args:
        drift: ``window, psi, n, in_reference`` rows in window order.
        model: Korean model title. warning, alert: The thresholds.
    """
    title = f"{model}: 점수 분포 변화(PSI)"
    if drift.empty:
        return _empty(title)
    windows = [str(w) for w in drift["window"]]
    colours = [ALERT_COLOUR if p >= alert else WARNING_COLOUR if p >= warning else PRIMARY for p in drift["psi"]]
    fig = go.Figure(go.Bar(x=windows, y=drift["psi"].astype(float), marker_color=colours, name="PSI",
                           customdata=drift[["n"]].to_numpy(),
                           hovertemplate="%{x}: PSI %{y:.3f} (%{customdata[0]:,}건)<extra></extra>"))
    _reference_band(fig, windows, [bool(r) for r in drift["in_reference"]])
    fig.add_hline(y=warning, line={"color": WARNING_COLOUR, "dash": "dash"}, annotation_text=f"주의 {warning:g}")
    fig.add_hline(y=alert, line={"color": ALERT_COLOUR, "dash": "dash"}, annotation_text=f"경보 {alert:g}")
    fig.update_xaxes(categoryorder="array", categoryarray=windows)
    fig.update_yaxes(title_text="PSI", rangemode="tozero")
    return _style(fig, title=title, height=320)


def make_calibration_figure(calibration: pd.DataFrame, *, model: str, outcome: str) -> go.Figure:
    """Mean predicted against the observed rate per window (lines) and the ECE (bars, right axis).

    Args:
        calibration: ``window, mean_predicted, observed_rate, ece, n, in_reference`` rows in window order.
        model: Korean model title. outcome: Korean name of the outcome (e.g. "180일 내 취업").
    """
    title = f"{model}: 예측과 실제({outcome})"
    if calibration.empty:
        return _empty(title)
    windows = [str(w) for w in calibration["window"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=windows, y=calibration["ece"].astype(float), name="보정 오차(ECE)", marker_color="#C9C9C9",
                         yaxis="y2", hovertemplate="%{x}: ECE %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=windows, y=calibration["mean_predicted"].astype(float) * 100, mode="lines+markers",
                             name="평균 예측", line={"color": PRIMARY},
                             hovertemplate="%{x} 평균 예측: %{y:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(x=windows, y=calibration["observed_rate"].astype(float) * 100, mode="lines+markers",
                             name="실제", line={"color": ACCENT},
                             hovertemplate="%{x} 실제: %{y:.1f}%<extra></extra>"))
    _reference_band(fig, windows, [bool(r) for r in calibration["in_reference"]])
    fig.update_layout(yaxis={"title": {"text": "%"}, "rangemode": "tozero"},
                      yaxis2={"title": {"text": "ECE"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                              "showgrid": False},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(categoryorder="array", categoryarray=windows)
    return _style(fig, title=title, height=340)


def make_fairness_figure(fairness: pd.DataFrame, *, model: str, metric_label: str, tolerance: float) -> go.Figure:
    """One line per protected attribute: the gap of one metric between its groups, per window,
    with the tolerance line; flagged windows are marked.

    Args:
        fairness: ``window, attribute_label, gap, flagged, worst_group, best_group, in_reference``
            rows of one metric, in window order.
        model: Korean model title. metric_label: Korean metric name. tolerance: The fairness tolerance.
    """
    title = f"{model}: {metric_label} 집단 간 격차"
    rows = fairness[fairness["gap"].notna()]
    if rows.empty:
        return _empty(title)
    windows = list(dict.fromkeys(str(w) for w in fairness["window"]))
    fig = go.Figure()
    for i, (attribute, part) in enumerate(rows.groupby("attribute_label", sort=False)):
        colour = (PRIMARY, SECOND, ACCENT)[i % 3]
        fig.add_trace(go.Scatter(
            x=part["window"].astype(str), y=part["gap"].astype(float), mode="lines+markers", name=str(attribute),
            line={"color": colour},
            marker={"symbol": ["x" if f else "circle" for f in part["flagged"]], "size": [11 if f else 7 for f in part["flagged"]]},
            customdata=part[["worst_group", "best_group"]].astype(str).to_numpy(),
            hovertemplate=f"{attribute} · %{{x}}: 격차 %{{y:.3f}} (%{{customdata[0]}} vs %{{customdata[1]}})<extra></extra>"))
    reference = fairness.drop_duplicates("window")
    _reference_band(fig, windows, [bool(r) for r in reference["in_reference"]])
    fig.add_hline(y=tolerance, line={"color": ALERT_COLOUR, "dash": "dash"}, annotation_text=f"허용오차 {tolerance:g}")
    fig.update_xaxes(categoryorder="array", categoryarray=windows)
    fig.update_yaxes(title_text="격차", rangemode="tozero")
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return _style(fig, title=title, height=340)


def make_audit_volume_figure(audit: pd.DataFrame) -> go.Figure:
    """Audit-log rows per KST day, stacked by model.

    Args:
        audit: ``day, model, rows`` rows.
    """
    title = "모델별 감사 로그 건수(일별)"
    if audit.empty:
        return _empty(title)
    daily = audit.groupby(["day", "model"], as_index=False)["rows"].sum()
    fig = go.Figure()
    for i, (model, part) in enumerate(daily.groupby("model", sort=True)):
        fig.add_trace(go.Bar(x=pd.to_datetime(part["day"]), y=part["rows"], name=str(model),
                             marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                             hovertemplate=f"{model} · %{{x|%Y-%m-%d}}: %{{y:,}}건<extra></extra>"))
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(title_text="건")
    return _style(fig, title=title, height=320)
