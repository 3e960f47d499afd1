"""Plotly figures of the employment-success pages (pure: data in, Figure out)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.charts.hiring import DOWN, UP, make_shap_waterfall_figure
from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style

BAND_COLORS: dict[str, str] = {"고위험": DOWN, "중위험": "#E0A030", "저위험": UP}
OUTCOME = "취업확률(180일 내)"


def make_employment_waterfall_figure(factors: pd.DataFrame, base_logit: float) -> go.Figure:
    """SHAP waterfall of one seeker: average seeker → factors → this seeker."""
    return make_shap_waterfall_figure(
        factors, base_logit, outcome=OUTCOME, base_label="평균적인 구직자", final_label="이 구직자 (예측)",
    )


def make_service_effect_figure(services: pd.DataFrame, *, title: str = "서비스별 예상 효과 (취업확률 변화)") -> go.Figure:
    """Horizontal bars of each service's estimated effect with its interval (received ones left out).

    Args:
        services: ``label``, ``effect``, ``effect_low``, ``effect_high``, ``received``.
        title: Figure title.
    """
    frame = services[~services["received"].astype(bool)].dropna(subset=["effect"])
    if frame.empty:
        return _empty(title)
    frame = frame.sort_values("effect")
    effect = frame["effect"].to_numpy(float)
    # the figure sits in the axis label: text at the bar's end would collide with the error bar
    labels = [f"{label} ({v * 100:+.1f}%p)" for label, v in zip(frame["label"].astype(str), effect, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=effect,
            y=labels,
            orientation="h",
            marker={"color": [UP if v > 0 else DOWN for v in effect]},
            error_x={"type": "data", "symmetric": False,
                     "array": frame["effect_high"].to_numpy(float) - effect,
                     "arrayminus": effect - frame["effect_low"].to_numpy(float), "color": "#5B6770"},
            hovertemplate="%{y}<br>예상 효과 %{x:+.1%}<extra></extra>",
            name="예상 효과",
        )
    )
    fig.update_xaxes(title_text="취업확률 변화 (%p, 막대: 불확실성 구간)", tickformat="+.0%", zeroline=True)
    fig.update_layout(showlegend=False)
    return _style(fig, title=title, height=max(260, 80 + 48 * len(frame)))


def make_whatif_figure(current: float, changed: float, *, title: str = "조건 변경 전후 취업확률") -> go.Figure:
    """Two bars: the current probability and the what-if probability."""
    fig = go.Figure(
        go.Bar(
            x=["현재", "변경 후"],
            y=[current, changed],
            marker={"color": [SECOND, ACCENT]},
            text=[f"{current:.0%}", f"{changed:.0%}"],
            textposition="outside",
            hovertemplate="%{x} %{y:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(title_text=OUTCOME, tickformat=".0%", range=[0, max(0.1, current, changed) * 1.25])
    fig.update_layout(showlegend=False)
    return _style(fig, title=title, height=300)


def make_band_share_figure(shares: pd.DataFrame, *, title: str = "위험도별 상담 대상 비율") -> go.Figure:
    """One stacked horizontal bar of band shares (``band``, ``n``, ``share``)."""
    if shares.empty or int(shares["n"].sum()) == 0:
        return _empty(title)
    fig = go.Figure()
    for row in shares.itertuples(index=False):
        fig.add_trace(go.Bar(
            x=[row.share], y=["상담 대상"], orientation="h", name=str(row.band),
            marker={"color": BAND_COLORS.get(str(row.band), PRIMARY)},
            text=[f"{row.band} {row.share:.0%} ({int(row.n):,}명)"], textposition="inside",
            hovertemplate=f"{row.band}: %{{x:.1%}} ({int(row.n):,}명)<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.3})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _style(fig, title=title, height=220)


def make_tradeoff_figure(tradeoff: pd.DataFrame, *, current: float | None = None,
                         title: str = "고위험 기준별 정확도와 형평성") -> go.Figure:
    """Recall, precision and high-risk share (lines) and the largest FNR / share gaps between
    groups (dashed) against the high-risk threshold; the threshold in force is marked.

    Args:
        tradeoff: :func:`app.ml.fairness.threshold_tradeoff` output.
        current: The high-risk threshold in force.
        title: Figure title.
    """
    if tradeoff.empty:
        return _empty(title)
    x = tradeoff["threshold"].to_numpy(float)
    series = (
        ("recall", "미취업자 중 고위험 판정 비율(재현율)", PRIMARY, "solid"),
        ("precision", "고위험 판정 중 실제 미취업 비율(정밀도)", SECOND, "solid"),
        ("high_risk_share", "고위험 판정 비율", ACCENT, "solid"),
        ("max_fnr_gap", "집단 간 최대 미탐지율(FNR) 격차", DOWN, "dash"),
        ("max_share_gap", "집단 간 최대 고위험 비율 격차", "#8E44AD", "dash"),
    )
    fig = go.Figure()
    for column, name, color, dash in series:
        fig.add_trace(go.Scatter(
            x=x, y=tradeoff[column].to_numpy(float), name=name, mode="lines+markers",
            line={"color": color, "dash": dash}, hovertemplate=f"{name}<br>기준 %{{x:.0%}}: %{{y:.1%}}<extra></extra>",
        ))
    if current is not None:
        fig.add_vline(x=float(current), line={"color": "#5B6770", "dash": "dot"},
                      annotation_text=f"현재 기준 {current:.0%}", annotation_position="top")
    fig.update_xaxes(title_text="고위험 기준 (예측 취업확률 미만)", tickformat=".0%")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return _style(fig, title=title, height=460)


def make_group_calibration_figure(by_group: pd.DataFrame, *, attribute_label: str,
                                  title: str | None = None) -> go.Figure:
    """Per group: mean predicted probability next to the observed employment rate.

    Args:
        by_group: Rows of one attribute from :class:`app.ml.fairness.FairnessReport.by_group`.
        attribute_label: Korean name of the attribute.
        title: Figure title (default: "<attribute>별 예측 확률과 실제 취업률").
    """
    title = title or f"{attribute_label}별 예측 확률과 실제 취업률"
    if by_group.empty:
        return _empty(title)
    groups = by_group["group"].astype(str)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=groups, y=by_group["mean_probability"], name="평균 예측 확률", marker={"color": PRIMARY},
                         hovertemplate="%{x}<br>예측 %{y:.1%}<extra></extra>"))
    fig.add_trace(go.Bar(x=groups, y=by_group["observed_rate"], name="실제 취업률", marker={"color": SECOND},
                         hovertemplate="%{x}<br>실제 %{y:.1%}<extra></extra>"))
    small = ~by_group["reported"].astype(bool).to_numpy()
    if small.any():
        fig.add_trace(go.Scatter(x=groups[small], y=np.maximum(by_group["mean_probability"], by_group["observed_rate"])[small]
                                 + 0.03, mode="text", text=["표본 적음"] * int(small.sum()), showlegend=False,
                                 hoverinfo="skip"))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.25})
    fig.update_yaxes(title_text=OUTCOME, tickformat=".0%")
    return _style(fig, title=title, height=380)
