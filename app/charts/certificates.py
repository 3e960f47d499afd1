"""Plotly figures of the certificate analysis (자격증 가치): composite scores with their bootstrap
intervals, the entropy weights of the indicators, and scores by industry (pure: data in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.overview import ACCENT, PRIMARY, _empty, _style

FIELD_COLOURS: dict[str, str] = {"기술·기능 분야": PRIMARY, "서비스·전문 분야": ACCENT}


def make_score_figure(table: pd.DataFrame, *, title: str = "자격증별 종합 점수와 95% 구간") -> go.Figure:
    """One horizontal bar per certificate (best on top) with its bootstrap interval, coloured by field.

    Args:
        table: ``자격증, 분야, 종합 점수, 점수 하한, 점수 상한``.
        title: Figure title.
    """
    if table.empty:
        return _empty(title)
    ordered = table.sort_values("종합 점수")
    fig = go.Figure()
    for field, colour in FIELD_COLOURS.items():
        rows = ordered[ordered["분야"] == field]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            x=rows["종합 점수"], y=rows["자격증"], orientation="h", name=field, marker_color=colour,
            error_x={"type": "data", "symmetric": False, "array": rows["점수 상한"] - rows["종합 점수"],
                     "arrayminus": rows["종합 점수"] - rows["점수 하한"], "color": "#555"},
            hovertemplate="%{y}: %{x:.1f}점<extra></extra>"))
    fig.update_layout(barmode="overlay", yaxis={"categoryorder": "array", "categoryarray": list(ordered["자격증"])})
    fig.update_xaxes(title="종합 점수(0~100)", range=[0, 105])
    return _style(fig, title=title, height=max(320, 24 * len(ordered) + 120))


def make_weights_figure(weights: pd.DataFrame, *, title: str = "지표별 엔트로피 가중치와 95% 구간") -> go.Figure:
    """One bar per indicator: its entropy weight with the bootstrap interval.

    Args:
        weights: ``지표, 가중치, 가중치 하한, 가중치 상한`` (shares 0–1).
        title: Figure title.
    """
    if weights.empty:
        return _empty(title)
    fig = go.Figure(go.Bar(
        x=weights["지표"], y=weights["가중치"], marker_color=PRIMARY,
        error_y={"type": "data", "symmetric": False, "array": weights["가중치 상한"] - weights["가중치"],
                 "arrayminus": weights["가중치"] - weights["가중치 하한"], "color": "#555"},
        hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.update_yaxes(title="가중치", tickformat=".0%")
    return _style(fig, title=title, height=340)


def make_industry_heatmap_figure(scores: pd.DataFrame, *, title: str = "업종별 종합 점수") -> go.Figure:
    """Certificates × industries, cell = composite score (blank where suppressed).

    Args:
        scores: ``자격증, 업종, 종합 점수`` (one row per scored pair).
        title: Figure title.
    """
    if scores.empty:
        return _empty(title)
    grid = scores.pivot_table(index="자격증", columns="업종", values="종합 점수", aggfunc="first")
    grid = grid.loc[grid.mean(axis=1).sort_values().index]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), colorscale="Blues", zmin=0, zmax=100,
        colorbar={"title": "점수"}, hovertemplate="%{y} · %{x}: %{z:.1f}점<extra></extra>"))
    return _style(fig, title=title, height=max(320, 22 * len(grid) + 140))
