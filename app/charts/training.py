"""Plotly figures of training recommendation (AI 직업훈련추천): the seeker's skill gap against the
desired occupation, what each recommended course's expected effect is made of, and the policy
view's most-recommended courses (pure: data in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.interest import GROUP_COLOURS
from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style

GAP_STATUS_COLOURS: dict[str, str] = {"보유": PRIMARY, "부족 · 추천 과정이 보완": ACCENT, "부족": "#C9C9C9"}


def make_skill_gap_figure(gap: pd.DataFrame) -> go.Figure:
    """One bar per skill the desired occupation needs, coloured by whether the seeker holds it, lacks
    it but a recommended course teaches it, or lacks it.

    Args:
        gap: ``역량, 상태, 보완 과정 수`` (``상태`` one of :data:`GAP_STATUS_COLOURS`).
    """
    title = "희망 직종에 필요한 역량과 보유 현황"
    if gap.empty:
        return _empty(title)
    fig = go.Figure()
    for status, colour in GAP_STATUS_COLOURS.items():
        rows = gap[gap["상태"] == status]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            x=[1] * len(rows), y=rows["역량"], orientation="h", name=status, marker_color=colour,
            customdata=rows[["보완 과정 수"]].to_numpy(),
            text=[f"추천 과정 {n}개가 다룸" if n else "" for n in rows["보완 과정 수"]], textposition="inside",
            hovertemplate=f"%{{y}}: {status} (추천 과정 %{{customdata[0]}}개가 다룸)<extra></extra>"))
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(gap["역량"]))
    return _style(fig, title=title, height=140 + 26 * len(gap))


def make_components_figure(components: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: how much each component adds to each course's gain if completed
    (probability points), with the expected uplift (after completion) as a marker.

    Args:
        components: ``과정, 요인, 기여(%p)`` (courses in rank order) and ``기대 효과(%p)`` per course.
    """
    title = "추천 과정별 기대 효과의 구성 (수료 시 취업확률 변화, %p)"
    if components.empty:
        return _empty(title)
    courses = list(dict.fromkeys(components["과정"]))
    fig = go.Figure()
    for i, (factor, rows) in enumerate(components.groupby("요인", sort=False)):
        values = rows.set_index("과정")["기여(%p)"].reindex(courses).fillna(0.0)
        fig.add_trace(go.Bar(x=values.to_numpy(), y=courses, orientation="h", name=str(factor),
                             marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                             hovertemplate=f"%{{y}} · {factor}: %{{x:+.1f}}%p<extra></extra>"))
    expected = components.drop_duplicates("과정").set_index("과정")["기대 효과(%p)"].reindex(courses)
    fig.add_trace(go.Scatter(x=expected.to_numpy(), y=courses, mode="markers", name="기대 효과(수료 확률 반영)",
                             marker={"symbol": "diamond", "size": 11, "color": SECOND},
                             hovertemplate="%{y}: 기대 효과 %{x:+.1f}%p<extra></extra>"))
    fig.update_layout(barmode="relative", legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title="취업확률 변화(%p)")
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=160 + 40 * len(courses))


def make_recommended_courses_figure(summary: pd.DataFrame, top: int = 15) -> go.Figure:
    """Horizontal bars of how many seekers each course was recommended to, with how many enrolled.

    Args:
        summary: ``과정, 추천 구직자 수, 수강 구직자 수`` (most recommended first).
        top: Courses shown.
    """
    title = "가장 많이 추천된 과정 (추천 받은 구직자와 실제 수강한 구직자)"
    if summary.empty:
        return _empty(title)
    rows = summary.head(top)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=rows["추천 구직자 수"], y=rows["과정"], orientation="h", name="추천 받은 구직자",
                         marker_color=PRIMARY, hovertemplate="%{y}: 추천 %{x}명<extra></extra>"))
    fig.add_trace(go.Bar(x=rows["수강 구직자 수"], y=rows["과정"], orientation="h", name="수강한 구직자",
                         marker_color=ACCENT, hovertemplate="%{y}: 수강 %{x}명<extra></extra>"))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(title="구직자 수")
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=160 + 34 * len(rows))
