"""Plotly figures of the interest test (직업흥미검사): the RIASEC profile with its uncertainty, why each
recommended occupation fits, and the item bank's health (pure: data in, Figure out)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style

GROUP_COLOURS: tuple[str, ...] = (PRIMARY, SECOND, ACCENT, "#8E6C8A", "#7A7A7A")
"""Colours of the occupation-fit attribute groups, in the order they first appear."""


def make_profile_figure(scores: pd.DataFrame) -> go.Figure:
    """Bars of the six RIASEC scores (1–5) with their 95% interval as error bars.

    Args:
        scores: ``유형, 점수, 하한, 상한`` (``InterestResult.scores_frame()``).
    """
    title = "흥미 유형별 점수 (막대 끝 선: 95% 불확실성 구간)"
    if scores.empty:
        return _empty(title)
    fig = go.Figure(go.Bar(
        x=scores["유형"], y=scores["점수"], marker_color=PRIMARY,
        error_y={"type": "data", "symmetric": False, "array": (scores["상한"] - scores["점수"]).round(2),
                 "arrayminus": (scores["점수"] - scores["하한"]).round(2), "color": ACCENT, "thickness": 2},
        text=[f"{v:.1f}" for v in scores["점수"]], textposition="inside",
        customdata=scores[["하한", "상한"]].to_numpy(),
        hovertemplate="%{x}: %{y:.2f}점 (구간 %{customdata[0]:.1f}~%{customdata[1]:.1f})<extra></extra>"))
    fig.update_yaxes(title="점수(1~5)", range=[1, 5])
    fig.update_xaxes(title="흥미 유형")
    return _style(fig, title=title, height=340)


def make_fit_reasons_figure(contributions: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: how much each attribute group pulls each recommended occupation up.

    Args:
        contributions: ``직업, 근거, 기여도`` (one row per occupation and attribute group; log-odds,
            occupations in rank order).
    """
    title = "추천 직업별 근거의 크기 (영역별 기여)"
    if contributions.empty:
        return _empty(title)
    fig = go.Figure()
    occupations = list(dict.fromkeys(contributions["직업"]))
    for i, (group, rows) in enumerate(contributions.groupby("근거", sort=False)):
        values = rows.set_index("직업")["기여도"].reindex(occupations).fillna(0.0)
        fig.add_trace(go.Bar(x=values.to_numpy(), y=occupations, orientation="h", name=str(group),
                             marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                             hovertemplate=f"%{{y}} · {group}: %{{x:+.2f}}<extra></extra>"))
    fig.update_layout(barmode="relative", legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title="적합도를 높인 정도(로그 오즈)")
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=120 + 44 * len(occupations))


def make_information_figure(items: pd.DataFrame) -> go.Figure:
    """Each type's items by their most information (dots) and the type's mean (bar).

    Args:
        items: ``유형, 최대 정보량`` (one row per item; ``BankHealth.items``).
    """
    title = "유형별 문항 정보량 (점: 문항, 막대: 평균)"
    if items.empty:
        return _empty(title)
    order = list(dict.fromkeys(items["유형"]))
    means = items.groupby("유형", sort=False)["최대 정보량"].mean().reindex(order)
    fig = go.Figure(go.Bar(x=order, y=means.round(2).to_numpy(), marker_color=PRIMARY, opacity=0.45, name="평균",
                           hovertemplate="%{x} 평균 %{y:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=items["유형"], y=items["최대 정보량"], mode="markers", name="문항",
                             marker={"color": PRIMARY, "size": 7}, hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title="최대 정보량")
    return _style(fig, title=title, height=340)


def make_exposure_figure(items: pd.DataFrame, cap: float) -> go.Figure:
    """Every item's exposure rate (share of finished tests that asked it), highest first, against the cap.

    Args:
        items: ``문항코드, 유형, 노출률`` (``BankHealth.items``).
        cap: The engine's exposure cap (a share, 0–1).
    """
    title = "문항별 노출률과 상한"
    if items.empty:
        return _empty(title)
    ordered = items.sort_values("노출률", ascending=False)
    over = ordered["노출률"] > cap
    fig = go.Figure(go.Bar(
        x=list(range(1, len(ordered) + 1)), y=(ordered["노출률"] * 100).round(1),
        marker_color=[ACCENT if o else PRIMARY for o in over], customdata=ordered[["유형"]].to_numpy(),
        hovertemplate="%{customdata[0]} 문항: %{y:.1f}%<extra></extra>"))
    fig.add_hline(y=cap * 100, line_color=ACCENT, line_dash="dash", annotation_text=f"노출 상한 {cap * 100:.0f}%")
    fig.update_xaxes(title="문항 (노출률 높은 순)")
    fig.update_yaxes(title="노출률(%)", range=[0, 100])
    return _style(fig, title=title, height=340)


def make_group_importance_figure(importance: Mapping[str, float]) -> go.Figure:
    """Horizontal bars: mean |SHAP| (log-odds) of each occupation-fit attribute group.

    Args:
        importance: Korean group label → mean |SHAP| (``BankHealth.group_importance``).
    """
    title = "직업 적합도에 영향이 큰 영역 (평균 기여 크기)"
    if not importance:
        return _empty(title)
    ordered = sorted(importance.items(), key=lambda kv: kv[1], reverse=True)
    fig = go.Figure(go.Bar(x=[round(v, 3) for _, v in ordered], y=[k for k, _ in ordered], orientation="h",
                           marker_color=SECOND, text=[f"{v:.2f}" for _, v in ordered], textposition="auto",
                           hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_xaxes(title="평균 기여 크기(로그 오즈)")
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=120 + 44 * len(ordered))
