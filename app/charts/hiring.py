"""Plotly figures of the hiring simulator and its policy view (pure: data in, Figure out).

The model explains itself in calibrated log-odds (SHAP values add up exactly there), but people
read probabilities. So the waterfall is *drawn* in log-odds — the bars then add up exactly — while
every label speaks probability: the axis ticks sit at the log-odds of 10 %, 20 %, … and are
labelled as percentages, and each bar's text is its change in percentage points ("+6.1%p").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.special import expit, logit

from app.charts.overview import ACCENT, PRIMARY, SECOND, _empty, _style
from app.text.korean import format_wage

UP = "#3A7D44"  # green: raises the probability
DOWN = "#C0392B"  # red: lowers it
TOTAL = PRIMARY
BASE_LABEL = "평균적인 공고"
FINAL_LABEL = "이 공고 (예측)"
OTHER_LABEL = "기타 요인"
MAX_FACTORS = 8
"""Factors drawn as their own bar; smaller ones are summed into :data:`OTHER_LABEL`."""

_PROBABILITY_TICKS: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)


def _logit(p: float) -> float:
    return float(logit(np.clip(p, 1e-6, 1 - 1e-6)))


def _pp(delta: float) -> str:
    """A probability change in percentage points, e.g. ``0.061 -> "+6.1%p"``."""
    return f"{delta * 100:+.1f}%p"


def waterfall_steps(factors: pd.DataFrame, base_logit: float, *, max_factors: int = MAX_FACTORS) -> pd.DataFrame:
    """The bars of :func:`make_shap_waterfall_figure`, as data.

    Args:
        factors: Columns ``factor`` (Korean label) and ``contribution`` (calibrated log-odds).
        base_logit: Calibrated log-odds of the average posting (the explainer's expected value).
        max_factors: Factors shown on their own, largest |contribution| first; the rest are summed.

    Returns:
        One row per factor bar with ``label``, ``contribution`` (log-odds), ``logit_before``,
        ``logit_after``, ``probability_before``, ``probability_after``, ``delta`` (probability
        change). ``logit_after`` of the last row is ``base_logit + Σ contributions``.
    """
    frame = factors[["factor", "contribution"]].copy()
    frame["contribution"] = frame["contribution"].astype(float)
    frame = frame.reindex(frame["contribution"].abs().sort_values(ascending=False).index)
    if len(frame) > max_factors:
        head, rest = frame.iloc[: max_factors - 1], frame.iloc[max_factors - 1 :]
        frame = pd.concat(
            [head, pd.DataFrame({"factor": [OTHER_LABEL], "contribution": [rest["contribution"].sum()]})],
            ignore_index=True,
        )
    contributions = frame["contribution"].to_numpy(float)
    after = base_logit + np.cumsum(contributions)
    before = np.concatenate([[base_logit], after[:-1]]) if len(after) else np.array([])
    return pd.DataFrame(
        {
            "label": frame["factor"].astype(str).to_numpy(),
            "contribution": contributions,
            "logit_before": before,
            "logit_after": after,
            "probability_before": expit(before),
            "probability_after": expit(after),
            "delta": expit(after) - expit(before),
        }
    )


def make_shap_waterfall_figure(
    factors: pd.DataFrame,
    base_logit: float,
    *,
    title: str = "예측 근거: 요인별 기여",
    max_factors: int = MAX_FACTORS,
    outcome: str = "채용확률(30일 내)",
    base_label: str = BASE_LABEL,
    final_label: str = FINAL_LABEL,
) -> go.Figure:
    """Horizontal waterfall: average case → each factor's contribution → this case.

    Args:
        factors: Columns ``factor`` and ``contribution`` (calibrated log-odds, SHAP summed per factor).
        base_logit: Calibrated log-odds of the average case.
        title: Figure title.
        max_factors: See :func:`waterfall_steps`.
        outcome: What the probability is of (axis title, hover text), e.g. "취업확률(180일 내)".
        base_label: Label of the first bar (the average case).
        final_label: Label of the last bar (this case).

    Returns:
        A figure with one ``waterfall`` trace: measures ``absolute`` (base), ``relative`` (factors)
        and ``total`` (this posting). ``customdata`` holds each bar's probability after the step.
    """
    if factors.empty:
        return _empty(title)
    steps = waterfall_steps(factors, base_logit, max_factors=max_factors)
    final_logit = float(steps["logit_after"].iloc[-1])
    base_p, final_p = float(expit(base_logit)), float(expit(final_logit))
    labels = [base_label, *steps["label"], final_label]
    values = [float(base_logit), *steps["contribution"], final_logit]
    texts = [f"{base_p:.0%}", *[_pp(d) for d in steps["delta"]], f"{final_p:.0%}"]
    after = [base_p, *steps["probability_after"], final_p]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=["absolute"] + ["relative"] * len(steps) + ["total"],
            y=labels,
            x=values,
            text=texts,
            textposition="outside",
            customdata=after,
            hovertemplate=f"%{{y}}<br>이 단계 후 {outcome.split('(')[0]} %{{customdata:.1%}}<extra></extra>",
            increasing={"marker": {"color": UP}},
            decreasing={"marker": {"color": DOWN}},
            totals={"marker": {"color": TOTAL}},
            connector={"line": {"color": "#9AA5B1", "width": 1}},
            base=0,
        )
    )
    lo = min(min(steps["logit_before"].min(), steps["logit_after"].min()), base_logit, 0.0)
    hi = max(max(steps["logit_before"].max(), steps["logit_after"].max()), base_logit, 0.0)
    ticks = [p for p in _PROBABILITY_TICKS if lo - 0.6 <= _logit(p) <= hi + 0.6]
    fig.update_xaxes(
        title_text=f"{outcome} — 로그오즈 척도, 눈금은 확률",
        tickvals=[_logit(p) for p in ticks],
        ticktext=[f"{p:.0%}" for p in ticks],
        range=[lo - 0.8, hi + 0.8],
        zeroline=False,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False)
    return _style(fig, title=title, height=max(320, 60 + 38 * len(labels)))


def _wage_axis(wage_type: str) -> tuple[float, str, str]:
    """(divisor, tick suffix, axis title) for a wage type: 만원 for monthly/annual, 원 otherwise."""
    if wage_type in ("monthly", "annual"):
        return 10_000.0, "만원", "월급" if wage_type == "monthly" else "연봉"
    return 1.0, "원", "시급" if wage_type == "hourly" else "일급"


def make_wage_curve_figure(
    curve: pd.DataFrame,
    *,
    wage_type: str,
    current_wage: float,
    current_probability: float,
    published_wage: float | None = None,
    published_probability: float | None = None,
    minimum_wage: float | None = None,
    target: float | None = None,
    title: str = "임금에 따른 채용확률",
) -> go.Figure:
    """The model's probability as the wage moves, everything else as currently set.

    Args:
        curve: Columns ``wage_amount`` (posting's wage unit, KRW) and ``probability``.
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual`` (axis unit).
        current_wage: Wage of the current what-if (marked).
        current_probability: Its probability (the marker's height).
        published_wage: Wage as published (a second, hollow marker), if different.
        published_probability: Its probability.
        minimum_wage: Legal minimum in the same unit (dashed vertical line).
        target: Target probability (dotted horizontal line).
        title: Figure title.

    Returns:
        Traces: ``"채용확률"`` (the curve), ``"현재 조건"`` (one marker), optionally ``"게시 조건"``.
    """
    if curve.empty:
        return _empty(title)
    divisor, suffix, axis = _wage_axis(wage_type)
    ordered = curve.sort_values("wage_amount")
    labels = [format_wage(wage_type, w) for w in ordered["wage_amount"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=ordered["wage_amount"].to_numpy(float) / divisor,
            y=ordered["probability"].to_numpy(float),
            name="채용확률",
            mode="lines",
            line={"color": PRIMARY, "width": 3},
            customdata=labels,
            hovertemplate="%{customdata}<br>채용확률 %{y:.1%}<extra></extra>",
        )
    )
    if published_wage is not None and published_probability is not None and published_wage != current_wage:
        fig.add_trace(
            go.Scatter(
                x=[published_wage / divisor],
                y=[published_probability],
                name="게시 조건",
                mode="markers",
                marker={"size": 12, "color": "white", "line": {"color": SECOND, "width": 2}},
                customdata=[format_wage(wage_type, published_wage)],
                hovertemplate="게시 조건 %{customdata}<br>채용확률 %{y:.1%}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[current_wage / divisor],
            y=[current_probability],
            name="현재 조건",
            mode="markers+text",
            marker={"size": 14, "color": ACCENT, "line": {"color": "white", "width": 2}},
            text=[f"{current_probability:.0%}"],
            textposition="top center",
            customdata=[format_wage(wage_type, current_wage)],
            hovertemplate="현재 조건 %{customdata}<br>채용확률 %{y:.1%}<extra></extra>",
        )
    )
    if minimum_wage is not None:
        fig.add_vline(
            x=minimum_wage / divisor, line={"color": DOWN, "dash": "dash", "width": 1},
            annotation_text="최저임금", annotation_position="top left",
        )
    if target is not None:
        fig.add_hline(
            y=target, line={"color": "#616E7C", "dash": "dot", "width": 1},
            annotation_text=f"목표 {target:.0%}", annotation_position="bottom right",
        )
    fig.update_xaxes(title_text=f"{axis} ({suffix})", ticksuffix=suffix, tickformat=",")
    fig.update_yaxes(title_text="채용확률(30일 내)", tickformat=".0%", range=[0, 1.02])
    return _style(fig, title=title)


def make_probability_distribution_figure(
    stats: pd.DataFrame,
    *,
    by_title: str,
    threshold: float | None = None,
    title: str,
) -> go.Figure:
    """Box plot of the predicted fill probability per group (occupation family, region, …), drawn
    from each group's statistics (a national world has too many postings to send each one).

    Args:
        stats: One row per group: ``group``, ``n_postings``, ``p25``, ``median_probability``, ``p75``,
            ``mean_probability``, ``lower_fence`` and ``upper_fence`` (the whiskers: the most extreme
            probabilities within 1.5 IQR of the quartiles, never inside the box) and ``n_outliers``
            (postings beyond that reach: counted in the hover text, not drawn one by one).
        by_title: Axis title of the groups.
        threshold: At-risk threshold (dotted vertical line).
        title: Figure title.

    Returns:
        A horizontal ``box`` trace of the statistics (mean dashed), then an invisible marker per group
        at its median that carries the Korean hover text; groups lowest median first, from the top.
    """
    if stats.empty:
        return _empty(title)
    ordered = stats.sort_values(["median_probability", "group"])
    groups = ordered["group"].astype(str).tolist()
    median = ordered["median_probability"].to_numpy(float)
    fig = go.Figure(
        go.Box(
            y=groups, q1=ordered["p25"].to_numpy(float), median=median, q3=ordered["p75"].to_numpy(float),
            lowerfence=ordered["lower_fence"].to_numpy(float), upperfence=ordered["upper_fence"].to_numpy(float),
            mean=ordered["mean_probability"].to_numpy(float), boxmean=True, boxpoints=False, orientation="h",
            marker_color=PRIMARY, name="채용확률", hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=median, y=groups, mode="markers", marker={"opacity": 0, "size": 14}, name="요약",
            customdata=ordered[["n_postings", "p25", "p75", "mean_probability", "lower_fence", "upper_fence",
                                "n_outliers"]].to_numpy(float),
            hovertemplate=("%{y} · 공고 %{customdata[0]:,.0f}건<br>중앙값 %{x:.1%} "
                           "(하위 25% %{customdata[1]:.1%} – 상위 25% %{customdata[2]:.1%})<br>"
                           "평균 %{customdata[3]:.1%} · 수염 %{customdata[4]:.1%} – %{customdata[5]:.1%}"
                           " (밖의 공고 %{customdata[6]:,.0f}건)<extra></extra>"),
        )
    )
    fig.update_yaxes(
        title_text=by_title, categoryorder="array", categoryarray=groups, autorange="reversed",
        ticktext=[f"{g} ({int(n):,}건)" for g, n in zip(groups, ordered["n_postings"], strict=True)], tickvals=groups,
    )
    fig.update_xaxes(title_text="채용확률(30일 내, 예측)", tickformat=".0%", range=[0, 1])
    if threshold is not None:
        fig.add_vline(
            x=threshold, line={"color": DOWN, "dash": "dot", "width": 1},
            annotation_text=f"위험 기준 {threshold:.0%}", annotation_position="top right",
        )
    fig.update_layout(showlegend=False)
    return _style(fig, title=title, height=max(320, 80 + 26 * len(groups)))
