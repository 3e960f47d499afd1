"""Plotly figures of the overview and the data explorer (pure: DataFrame in, Figure out).

All styling lives here. Money axes are drawn in 만원 (values divided by 10,000 and ticks suffixed
"만원") because Korean readers think of wages that way; rates are drawn as percentages.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

PRIMARY = "#2F6690"  # calm blue: counts
ACCENT = "#D9822B"  # warm orange: rates on a secondary axis
SECOND = "#3A7D44"  # green: second series (e.g. 구직급여 수급자)
_FONT = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"


def _lean_white_template() -> go.layout.Template:
    """Plotly's ``plotly_white`` look, cut to the layout and the trace types our charts draw.

    Why not ``template="plotly_white"``: plotly validates and deep-copies a template each time one is
    assigned, and the full one (defaults for two dozen trace types) cost ~45 ms per figure — a fifth
    of a page run with four charts. This one, built once, costs ~5 ms and draws the same.
    """
    white = pio.templates["plotly_white"]
    used = ("bar", "box", "scatter", "waterfall")
    return go.layout.Template(layout=white.layout,
                              data={kind: white.data[kind] for kind in used if white.data[kind]})


_TEMPLATE = _lean_white_template()


def _style(fig: go.Figure, *, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        template=_TEMPLATE,
        font={"family": _FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        hoverlabel={"font": {"family": _FONT}},
    )
    return fig


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="조건에 맞는 데이터가 없습니다", showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title=title, height=260)


def make_count_and_rate_figure(
    df: pd.DataFrame,
    *,
    category: str,
    count: str = "n_postings",
    rate: str = "fill_rate",
    title: str,
    category_title: str,
    count_title: str = "공고 수",
    rate_title: str = "충원율",
) -> go.Figure:
    """Bars of a count per category with a rate line on a second axis.

    Args:
        df: One row per category.
        category: Column with the category labels (x axis).
        count: Column with counts (bars, left axis).
        rate: Column with 0–1 rates (line, right axis, shown in %).
        title: Figure title.
        category_title: x-axis title.
        count_title: Left-axis title.
        rate_title: Right-axis title.

    Returns:
        The figure (an annotated empty figure when ``df`` is empty).
    """
    if df.empty:
        return _empty(title)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=df[category],
            y=df[count],
            name=count_title,
            marker_color=PRIMARY,
            hovertemplate="%{x}<br>" + count_title + " %{y:,}<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=df[category],
            y=df[rate],
            name=rate_title,
            mode="lines+markers",
            marker_color=ACCENT,
            hovertemplate="%{x}<br>" + rate_title + " %{y:.1%}<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.update_xaxes(title_text=category_title)
    fig.update_yaxes(title_text=count_title, tickformat=",", secondary_y=False)
    fig.update_yaxes(
        title_text=rate_title, tickformat=".0%", range=[0, 1.05], dtick=0.2, showgrid=False, secondary_y=True
    )
    return _style(fig, title=title)


def make_region_postings_figure(df: pd.DataFrame) -> go.Figure:
    """Postings and fill rate per 시도 (``region, n_postings, fill_rate``)."""
    return make_count_and_rate_figure(
        df, category="region", title="시도별 공고 수와 충원율", category_title="시도"
    )


def make_top_occupations_figure(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the occupations with most postings, fill rate in the label.

    Args:
        df: Columns ``occupation, n_postings, fill_rate`` (most postings first).
    """
    title = "공고가 많은 직종과 충원율"
    if df.empty:
        return _empty(title)
    ordered = df.iloc[::-1]  # plotly draws the first bar at the bottom
    labels = [
        f"{n:,}건 · 충원율 {r:.0%}" if pd.notna(r) else f"{n:,}건"
        for n, r in zip(ordered["n_postings"], ordered["fill_rate"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered["n_postings"],
            y=ordered["occupation"],
            orientation="h",
            marker_color=PRIMARY,
            text=labels,
            textposition="auto",
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="공고 수", tickformat=",")
    fig.update_yaxes(title_text="직종 (KECO 소분류)")
    return _style(fig, title=title, height=max(320, 28 * len(df) + 120))


def make_reemployment_by_age_figure(df: pd.DataFrame) -> go.Figure:
    """Grouped bars of 180-day re-employment per age band (전체 vs 구직급여 수급자).

    Args:
        df: Columns ``age_band, group, rate`` (see ``compute_reemployment_by_age``).
    """
    title = "연령대별 180일 내 재취업률"
    if df.empty:
        return _empty(title)
    fig = go.Figure()
    for group, color in (("전체", PRIMARY), ("구직급여 수급자", SECOND)):
        part = df[df["group"] == group]
        fig.add_trace(
            go.Bar(
                x=part["age_band"],
                y=part["rate"],
                name=group,
                marker_color=color,
                hovertemplate="%{x}<br>" + group + " %{y:.1%}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="연령대")
    fig.update_yaxes(title_text="재취업률", tickformat=".0%", rangemode="tozero")
    return _style(fig, title=title)


def make_reemployment_by_region_figure(df: pd.DataFrame) -> go.Figure:
    """Bars of 180-day re-employment per 시도 (``region, rate``)."""
    title = "시도별 180일 내 재취업률"
    if df.empty:
        return _empty(title)
    fig = go.Figure(
        go.Bar(
            x=df["region"],
            y=df["rate"],
            marker_color=SECOND,
            hovertemplate="%{x}<br>재취업률 %{y:.1%}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="시도")
    fig.update_yaxes(title_text="재취업률", tickformat=".0%", rangemode="tozero")
    return _style(fig, title=title)


def make_wage_by_occupation_figure(
    rows: pd.DataFrame,
    *,
    wage: str = "wage_monthly",
    occupation: str = "occupation",
    top: int = 10,
    title: str = "직종별 월 환산 임금 분포",
    wage_title: str = "월 환산 임금",
) -> go.Figure:
    """Box plots of a monthly KRW amount for the ``top`` most frequent occupations, in 만원.

    Args:
        rows: One row per posting (or seeker) with ``wage`` in KRW and ``occupation`` labels.
        wage: Column with monthly KRW amounts.
        occupation: Column with occupation labels.
        top: How many occupations (the most frequent ones).
        title: Figure title.
        wage_title: y-axis title (the unit "만원" is added).
    """
    data = rows[[occupation, wage]].dropna() if not rows.empty else rows
    if data.empty:
        return _empty(title)
    keep = data[occupation].value_counts().head(top).index
    fig = go.Figure()
    # Horizontal boxes: occupation names are long and stay readable on the y axis. Traces are added
    # in reverse so that the most frequent occupation is drawn at the top.
    for label in reversed(keep):
        values = data.loc[data[occupation] == label, wage] / 10_000
        fig.add_trace(
            go.Box(
                x=values,
                name=str(label),
                orientation="h",
                marker_color=PRIMARY,
                boxpoints=False,
                hovertemplate="%{x:,.0f}만원<extra>" + str(label) + "</extra>",
            )
        )
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title_text="직종")
    fig.update_xaxes(title_text=f"{wage_title} (만원)", tickformat=",.0f", ticksuffix="만원")
    return _style(fig, title=title, height=max(320, 34 * len(keep) + 120))


def make_postings_over_time_figure(monthly: pd.DataFrame, *, title: str = "월별 공고 게시 추이") -> go.Figure:
    """Postings opened per month with the fill rate of those postings.

    Args:
        monthly: Columns ``month, n_postings, fill_rate`` (see ``compute_postings_by_month``).
        title: Figure title.
    """
    return make_count_and_rate_figure(monthly, category="month", title=title, category_title="게시 월")


def make_fill_rate_by_figure(df: pd.DataFrame, *, by: str, by_title: str) -> go.Figure:
    """Fill rate per group of the filtered postings (``<by>, n_postings, fill_rate``)."""
    return make_count_and_rate_figure(
        df, category=by, title=f"{by_title}별 충원율 (현재 조건)", category_title=by_title
    )


def make_rate_bar_figure(
    df: pd.DataFrame, *, category: str, rate: str, title: str, category_title: str, rate_title: str
) -> go.Figure:
    """Simple bars of a 0–1 rate per category (e.g. re-employment of filtered seekers)."""
    if df.empty:
        return _empty(title)
    fig = go.Figure(
        go.Bar(
            x=df[category],
            y=df[rate],
            marker_color=SECOND,
            hovertemplate="%{x}<br>" + rate_title + " %{y:.1%}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=category_title)
    fig.update_yaxes(title_text=rate_title, tickformat=".0%", rangemode="tozero")
    return _style(fig, title=title)
