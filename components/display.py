"""Components that draw data: metrics, charts, tables, downloads, model status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

MAX_TABLE_ROWS = 2_000
"""Rows sent to the browser; more makes reruns slow. The CSV download always has every row."""


@dataclass(frozen=True)
class MetricItem:
    """One metric tile."""

    label: str
    value: str
    help: str | None = None


def ai_notice_text(kind: str, *facts: str, note: str = "") -> str:
    """The notice text every AI output carries: ``"<kind>입니다 · <fact> · … · <note>"``.

    Args:
        kind: What it is, e.g. ``"AI 예측 결과"``, ``"AI 검증 결과"``, ``"AI가 작성한 초안"``.
        facts: Which models answered, e.g. ``"모델 버전 1.0"``, ``"검증 규칙 v3"``.
        note: Who decides, or how to read it.
    """
    return " · ".join([f"{kind}입니다", *facts, *([note] if note else [])])


def render_ai_notice(kind: str, *facts: str, note: str = "", compact: bool = False) -> None:
    """Say that what is shown is AI output, from which model versions, and who decides
    (AI 기본법: hiring and employment AI is high-impact; every output is marked and logged).

    Args:
        kind: What it is (see :func:`ai_notice_text`).
        facts: Model versions and other provenance.
        note: Who decides, or how to read it.
        compact: A caption under a figure instead of an info box above a section.
    """
    text = ai_notice_text(kind, *facts, note=note)
    if compact:
        st.caption(text)
    else:
        st.info(text, icon=":material/smart_toy:")


def render_metrics_row(items: Sequence[MetricItem]) -> None:
    """Metric tiles side by side (one column each)."""
    if not items:
        return
    for column, item in zip(st.columns(len(items)), items, strict=True):
        column.metric(item.label, item.value, help=item.help, border=True)


def render_chart(fig: go.Figure, *, key: str) -> None:
    """A plotly figure at full width."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})


def render_table(table: pd.DataFrame, *, key: str, unit: str = "건") -> None:
    """A result table with its row count; only the first :data:`MAX_TABLE_ROWS` rows are drawn."""
    total = len(table)
    if total > MAX_TABLE_ROWS:
        st.caption(f"검색 결과 {total:,}{unit} 중 앞 {MAX_TABLE_ROWS:,}{unit}만 표시합니다 (CSV에는 전체 포함).")
    else:
        st.caption(f"검색 결과 {total:,}{unit}")
    st.dataframe(table.head(MAX_TABLE_ROWS), key=key, hide_index=True, width="stretch")


def render_download(csv: bytes | Callable[[], bytes], *, file_name: str, key: str, label: str = "CSV 내려받기") -> None:
    """A download button for a CSV prepared by the service (a function: made only when clicked)."""
    st.download_button(
        label, data=csv, file_name=file_name, mime="text/csv", key=key, icon=":material/download:"
    )


def render_model_status(status: pd.DataFrame, *, build_command: str) -> None:
    """Table of built models, or a note naming the build command when there are none.

    Args:
        status: Output of ``app.services.overview.compute_model_status``.
        build_command: Command that builds the models.
    """
    if status.empty:
        st.info(f"아직 만들어진 모델이 없습니다. 터미널에서 `{build_command}`를 실행하세요.")
        return
    st.dataframe(status, hide_index=True, width="stretch", key="home.models")
