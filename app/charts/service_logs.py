"""Plotly figures of 서비스 이용 병목: a service's funnel, its process map (directly-follows graph) and the
ranked bottlenecks (pure: frames in, Figure out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.overview import ACCENT, PRIMARY, _empty, _style

DROP_COLOUR = "#B23A48"
START, END, DROPPED, COMPLETED = "시작", "종료", "이탈", "완료"


def make_funnel_figure(funnel: pd.DataFrame, service: str) -> go.Figure:
    """Sessions reaching each step of one service, with each step's drop-off rate.

    Args:
        funnel: ``service, step_order, step, reached, drop_rate`` (:func:`app.analytics.service_logs.compute_funnel`).
        service: The service drawn.
    """
    title = f"{service} 단계별 도달 세션"
    rows = funnel[funnel["service"] == service].sort_values("step_order")
    if rows.empty:
        return _empty(title)
    labels = [f"{o}. {s}" for o, s in zip(rows["step_order"], rows["step"], strict=True)]
    drop_text = [f"이탈 {100 * r:.1f}%" if r > 0 else "" for r in rows["drop_rate"].fillna(0.0)]
    fig = go.Figure(go.Funnel(
        y=labels, x=rows["reached"].to_numpy(), marker={"color": PRIMARY},
        texttemplate="%{value:,}세션 · 시작의 %{percentInitial:.1%}",
        customdata=drop_text, hovertemplate="%{y}: %{x:,}세션 (%{customdata})<extra></extra>"))
    return _style(fig, title=title, height=120 + 48 * len(rows))


def make_process_map_figure(dfg: pd.DataFrame, steps: pd.DataFrame, service: str) -> go.Figure:
    """The directly-follows process map of one service: steps left to right, arrows as thick as their
    sessions, retries as loops over a step, and abandonments flowing to an 이탈 node.

    Args:
        dfg: ``service, source, target, count`` (``시작``/``종료`` edges included).
        steps: ``service, step_order, step`` (the order of the steps).
        service: The service drawn.
    """
    title = f"{service} 프로세스 맵 (직접 이어짐 빈도)"
    edges = dfg[dfg["service"] == service]
    order = steps[steps["service"] == service].sort_values("step_order")["step"].drop_duplicates().tolist()
    if edges.empty or not order:
        return _empty(title)
    final = order[-1]
    x = {START: 0.0, **{step: float(i + 1) for i, step in enumerate(order)}, COMPLETED: float(len(order) + 1),
         DROPPED: (len(order) + 1) / 2}
    y = {name: 0.0 for name in x} | {DROPPED: -1.6}
    biggest = float(edges["count"].max())
    fig = go.Figure()
    for edge in edges.itertuples(index=False):
        source, target, count = edge.source, edge.target, int(edge.count)
        if target == END:
            target = COMPLETED if source == final else DROPPED
        if source not in x or target not in x:
            continue
        width = 1.0 + 11.0 * count / biggest
        if source == target:  # a retry after a failed attempt
            fig.add_annotation(x=x[source], y=0.45, text=f"재시도 {count:,}", showarrow=False,
                               font={"color": ACCENT, "size": 12})
            fig.add_trace(go.Scatter(x=[x[source] - 0.15, x[source], x[source] + 0.15], y=[0.1, 0.35, 0.1],
                                     mode="lines", line={"color": ACCENT, "width": width, "shape": "spline"},
                                     hovertemplate=f"{source} 재시도 {count:,}건<extra></extra>", showlegend=False))
            continue
        colour = DROP_COLOUR if target == DROPPED else PRIMARY
        fig.add_trace(go.Scatter(x=[x[source], x[target]], y=[y[source], y[target]], mode="lines",
                                 line={"color": colour, "width": width}, opacity=0.55, showlegend=False,
                                 hovertemplate=f"{source} → {target}: {count:,}세션<extra></extra>"))
        # forward counts above the middle of the arrow; abandonments near their step, where lines are apart
        share = 0.5 if target != DROPPED else 0.3
        label_x = x[source] + share * (x[target] - x[source])
        label_y = y[source] + share * (y[target] - y[source]) + (0.12 if target != DROPPED else 0.0)
        fig.add_annotation(x=label_x, y=label_y, text=f"{count:,}", showarrow=False,
                           font={"size": 11, "color": colour}, bgcolor="rgba(255,255,255,0.8)")
    names = list(x)
    fig.add_trace(go.Scatter(
        x=[x[n] for n in names], y=[y[n] for n in names], mode="markers+text", text=names, textposition="bottom center",
        marker={"size": 22, "color": [DROP_COLOUR if n == DROPPED else PRIMARY for n in names], "line": {"width": 1}},
        hovertemplate="%{text}<extra></extra>", showlegend=False))
    fig.update_xaxes(visible=False, range=[-0.6, len(order) + 1.6])
    fig.update_yaxes(visible=False, range=[-2.1, 0.8])
    return _style(fig, title=title, height=420)


def make_bottleneck_figure(table: pd.DataFrame, top: int = 10) -> go.Figure:
    """Horizontal bars of the top bottlenecks' excess lost sessions a month.

    Args:
        table: The Korean bottleneck table (``서비스, 단계, 이용자 집단, 월 초과 이탈(세션), 주요 증상``).
        top: How many bars.
    """
    title = "병목 순위: 월 초과 이탈 세션"
    rows = table.head(top)
    if rows.empty:
        return _empty(title)
    labels = [f"{r['서비스']} · {r['단계']} · {r['이용자 집단']}" for _, r in rows.iterrows()]
    fig = go.Figure(go.Bar(
        x=rows["월 초과 이탈(세션)"].to_numpy(), y=labels, orientation="h", marker_color=DROP_COLOUR,
        customdata=rows[["주요 증상"]].to_numpy(), text=rows["주요 증상"], textposition="auto",
        hovertemplate="%{y}: 월 %{x:,.0f}세션 (%{customdata[0]})<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return _style(fig, title=title, height=140 + 30 * len(rows))
