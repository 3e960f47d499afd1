"""Plotly figures of 토픽 분석: each topic's share over time, the AI courses' share by year, and a topic's top
terms (pure: data in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style

TOPIC_COLOURS: tuple[str, ...] = (
    "#2F6690", "#D9822B", "#3A7D44", "#8E6C8A", "#B23A48", "#4A90A4", "#A68A38", "#5C5C8A", "#7A7A7A", "#C76B98",
    "#2E8B57", "#8B5A2B", "#4682B4", "#9ACD32", "#CD5C5C", "#6A5ACD", "#20B2AA", "#DAA520", "#708090", "#BC8F8F",
)
"""One colour per topic (cycled past 20)."""


def make_topic_share_figure(periods: pd.DataFrame, *, highlight: tuple[str, ...] = (), by: str = "분기") -> go.Figure:
    """One line per topic: its share of the documents by quarter (or year), the highlighted topics drawn thick.

    Args:
        periods: ``기간, 토픽, 비중(%), 주 토픽 문서 수, 기간 문서 수`` in time order (quarters), or
            ``연도, 토픽, 비중(%), 주 토픽 문서 수, 연도 문서 수`` (years: ``by="연도"``).
        highlight: Topics to draw thick (the rest thin).
        by: ``"분기"`` or ``"연도"``.
    """
    title = f"토픽별 비중의 변화 ({by}별, %)"
    if periods.empty:
        return _empty(title)
    x_column, total_column = ("기간", "기간 문서 수") if by == "분기" else ("연도", "연도 문서 수")
    fig = go.Figure()
    for i, (topic, rows) in enumerate(periods.groupby("토픽", sort=False)):
        thick = not highlight or topic in highlight
        x = rows[x_column].astype(str) + ("년" if by == "연도" else "")
        fig.add_trace(go.Scatter(
            x=x, y=rows["비중(%)"], mode="lines+markers", name=str(topic),
            line={"width": 3 if thick else 1, "color": TOPIC_COLOURS[i % len(TOPIC_COLOURS)]},
            opacity=1.0 if thick else 0.35, customdata=rows[["주 토픽 문서 수", total_column]].to_numpy(),
            hovertemplate=f"{topic}<br>%{{x}}: %{{y:.1f}}% (주 토픽 문서 %{{customdata[0]:,}}건 / "
                          f"전체 %{{customdata[1]:,}}건)<extra></extra>"))
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    fig.update_yaxes(title_text="비중(%)", rangemode="tozero")
    return _style(fig, title=title, height=460)


def make_top_terms_figure(terms: pd.DataFrame, topic: str) -> go.Figure:
    """Horizontal bars of one topic's top terms by weight.

    Args:
        terms: ``토픽, 단어, 가중치``.
        topic: The topic's label.
    """
    title = f"'{topic}' 토픽의 주요 단어 (가중치)"
    rows = terms[terms["토픽"] == topic]
    if rows.empty:
        return _empty(title)
    fig = go.Figure(go.Bar(x=rows["가중치"], y=rows["단어"], orientation="h", marker_color=PRIMARY,
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="토픽 안 단어 가중치")
    return _style(fig, title=title, height=120 + 28 * len(rows))


def make_keyword_share_figure(keyword: pd.DataFrame) -> go.Figure:
    """Bars of the courses per start year with the shares of AI and generative-AI courses as lines (secondary axis).

    Args:
        keyword: ``연도, 과정 수, AI 과정 수, AI 과정 비율(%)`` (and ``생성형 AI 과정 비율(%)`` when there).
    """
    title = "시작 연도별 과정 수와 AI 과정 비율"
    if keyword.empty:
        return _empty(title)
    years = keyword["연도"].astype(int).astype(str) + "년"
    fig = go.Figure()
    fig.add_trace(go.Bar(x=years, y=keyword["과정 수"], name="과정 수(회차)", marker_color=PRIMARY,
                         hovertemplate="%{x}: %{y:,}회차<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=keyword["AI 과정 비율(%)"], name="AI 과정 비율(%)", yaxis="y2",
                             mode="lines+markers", line={"color": ACCENT, "width": 3},
                             customdata=keyword[["AI 과정 수"]].to_numpy(),
                             hovertemplate="%{x}: %{y:.1f}% (%{customdata[0]:,}회차)<extra></extra>"))
    if "생성형 AI 과정 비율(%)" in keyword:
        fig.add_trace(go.Scatter(x=years, y=keyword["생성형 AI 과정 비율(%)"], name="생성형 AI 과정 비율(%)", yaxis="y2",
                                 mode="lines+markers", line={"color": SECOND, "width": 2, "dash": "dot"},
                                 hovertemplate="%{x}: %{y:.1f}%<extra></extra>"))
    fig.update_layout(yaxis={"title": {"text": "과정 수(회차)"}},
                      yaxis2={"title": {"text": "AI 과정 비율(%)"}, "overlaying": "y", "side": "right",
                              "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.2})
    return _style(fig, title=title)
