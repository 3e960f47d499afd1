"""Plotly figures of the candidate pool (인재풀 분석): requirement coverage, career and desired-wage
distributions against the posting's offer, and regions (pure: data in, Figure out)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style
from app.text.korean import format_manwon

REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("meets_occupation", "직종"),
    ("meets_career", "경력"),
    ("meets_certificate", "관련 자격증"),
    ("meets_region", "근무지"),
    ("meets_education", "학력"),
    ("meets_wage", "희망 임금 ≤ 제시 임금"),
)
"""Pool columns of :func:`make_requirement_coverage_figure` and their Korean labels."""


def requirement_coverage(pool: pd.DataFrame) -> pd.DataFrame:
    """Share of the pool meeting each requirement the search has (``requirement``, ``share``, ``count``)."""
    rows = []
    for column, label in REQUIREMENTS:
        if column not in pool or pool[column].isna().all():
            continue
        met = pool[column].astype(bool)
        rows.append({"requirement": label, "share": float(met.mean()) if len(pool) else 0.0, "count": int(met.sum())})
    return pd.DataFrame(rows, columns=["requirement", "share", "count"])


def make_requirement_coverage_figure(pool: pd.DataFrame) -> go.Figure:
    """Horizontal bars: the share of retrieved candidates meeting each requirement."""
    title = "요건별 충족 비율"
    coverage = requirement_coverage(pool)
    if coverage.empty or not len(pool):
        return _empty(title)
    fig = go.Figure(go.Bar(
        x=coverage["share"] * 100, y=coverage["requirement"], orientation="h", marker_color=PRIMARY,
        text=[f"{s * 100:.0f}% ({c:,}명)" for s, c in zip(coverage["share"], coverage["count"], strict=True)],
        textposition="auto", hovertemplate="%{y}: %{x:.0f}%<extra></extra>"))
    fig.update_xaxes(title="충족 비율(%)", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=320)


def make_career_figure(pool: pd.DataFrame, min_career_years: float | None) -> go.Figure:
    """Histogram of candidates' career (years) with the posting's required career as a line."""
    title = "경력 분포"
    if not len(pool):
        return _empty(title)
    fig = go.Figure(go.Histogram(x=pool["career_years"], xbins={"size": 1}, marker_color=SECOND,
                                 hovertemplate="경력 %{x}년: %{y}명<extra></extra>"))
    if min_career_years:
        fig.add_vline(x=float(min_career_years), line_color=ACCENT, line_dash="dash",
                      annotation_text=f"요구 경력 {float(min_career_years):g}년")
    fig.update_xaxes(title="경력(년)")
    fig.update_yaxes(title="인원(명)")
    return _style(fig, title=title, height=320)


def make_wage_figure(pool: pd.DataFrame, offer_monthly: float | None) -> go.Figure:
    """Histogram of desired monthly wages (만원) with the offer as a line."""
    title = "희망 임금 분포"
    if not len(pool):
        return _empty(title)
    manwon = pool["desired_wage"].to_numpy(float) / 10_000
    fig = go.Figure(go.Histogram(x=manwon, nbinsx=20, marker_color=PRIMARY,
                                 hovertemplate="월 %{x}만원: %{y}명<extra></extra>"))
    if offer_monthly:
        share = float(np.mean(pool["desired_wage"].to_numpy(float) <= offer_monthly))
        fig.add_vline(x=float(offer_monthly) / 10_000, line_color=ACCENT, line_dash="dash",
                      annotation_text=f"제시 월 {format_manwon(offer_monthly)} (이하 희망 {share * 100:.0f}%)")
    fig.update_xaxes(title="희망 월급(만원)")
    fig.update_yaxes(title="인원(명)")
    return _style(fig, title=title, height=320)


def make_region_figure(pool: pd.DataFrame) -> go.Figure:
    """Bars: candidates by desired region (top 10)."""
    title = "희망 근무지"
    if not len(pool):
        return _empty(title)
    counts = pool["region"].value_counts().head(10)
    fig = go.Figure(go.Bar(x=counts.index.tolist(), y=counts.to_numpy(), marker_color=SECOND,
                           hovertemplate="%{x}: %{y}명<extra></extra>"))
    fig.update_yaxes(title="인원(명)")
    return _style(fig, title=title, height=320)
