"""Widgets of the 자격증 가치 page: the filters, the method box, the by-industry comparison and the
study's finding. Everything from data goes through ``escape_markdown``; nothing here computes."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.services import certificates
from app.text.markdown import escape_markdown
from components.display import render_chart


@dataclass(frozen=True)
class CertificateFilter:
    """What the user picked."""

    population: str
    scope: str
    group: str | None
    query: str
    field: str


def select_certificate_filter(groups_of: dict[str, tuple[str, ...]], *, key: str) -> CertificateFilter:
    """Population, industry scope (and group), certificate field and name search.

    Args:
        groups_of: Scope key → the industry groups it has (Korean labels).
        key: Widget key prefix.
    """
    populations = certificates.population_options()
    scopes = certificates.scope_options()
    first, second, third = st.columns(3)
    with first:
        population = st.selectbox("분석 대상", options=list(populations), format_func=populations.__getitem__,
                                  key=f"{key}.population", help="연구의 기본 대상은 청년(15~34세)입니다.")
        scope = st.selectbox("업종 구분", options=list(scopes), format_func=scopes.__getitem__, key=f"{key}.scope")
    with second:
        groups = groups_of.get(scope, ())
        group = None
        if scope != "pooled" and groups:
            choice = st.selectbox("업종", options=["전체 업종 보기", *groups], key=f"{key}.group.{scope}")
            group = None if choice == "전체 업종 보기" else choice
        field = st.selectbox("자격 분야", options=list(certificates.field_options()), key=f"{key}.field")
    with third:
        query = st.text_input("자격증 이름 검색", key=f"{key}.query", max_chars=40, placeholder="예: 전기")
    return CertificateFilter(population=population, scope=scope, group=group, query=query, field=field)


def render_method(notes: list[str], weights_figure: object, *, key: str) -> None:
    """How the indicators, weights and scores are computed, with the weights chart."""
    with st.expander("계산 방법과 지표 가중치", expanded=False):
        for line in notes:
            st.markdown(f"- {escape_markdown(line)}")
        render_chart(weights_figure, key=f"{key}.weights")


def render_field_gap(gap: dict[str, float] | None) -> None:
    """The study's by-industry finding on this population: technical certificates' manufacturing −
    other gap against service certificates'."""
    if not gap:
        st.caption("제조업과 비제조업 모두에서 점수가 나온 자격증이 없어 분야별 차이를 계산하지 못했습니다.")
        return

    def fmt(name: str) -> str:
        value, low, high = gap.get(name), gap.get(f"{name}_low"), gap.get(f"{name}_high")
        if value is None or value != value:  # NaN: no certificate of that field in both groups
            return "해당 자격증 없음"
        return f"{value:+.1f}점 (95% 구간 {low:+.1f} ~ {high:+.1f})"

    st.markdown(
        f"- 기술·기능 분야 자격증 {int(gap.get('technical_certificates', 0))}개: 제조업 점수 − 비제조업 점수 "
        f"{escape_markdown(fmt('technical_gap'))}\n"
        f"- 서비스·전문 분야 자격증 {int(gap.get('service_certificates', 0))}개: 제조업 점수 − 비제조업 점수 "
        f"{escape_markdown(fmt('service_gap'))}\n"
        f"- 두 분야의 차이: {escape_markdown(fmt('difference'))}")
    if _above_zero(gap, "difference"):
        st.success("기술·기능 분야 자격증은 제조업에서, 서비스·전문 분야 자격증은 비제조업에서 더 높게 평가됩니다"
                   "(연구 결과와 같은 방향, 구간이 0을 넘음).")
    elif _above_zero(gap, "technical_gap"):
        st.success("기술·기능 분야 자격증은 제조업에서 더 높게 평가됩니다(구간이 0을 넘음). 서비스·전문 분야와의 비교는 "
                   "두 업종 모두에서 점수가 난 서비스·전문 자격증이 없거나 차이가 뚜렷하지 않아 결론을 내지 않습니다.")
    else:
        st.info("이 자료에서는 분야별 업종 차이가 뚜렷하지 않거나 구간이 0을 포함합니다.")


def _above_zero(gap: dict[str, float], name: str) -> bool:
    """The figure and its whole 95 % interval are above 0 (NaN: not computed)."""
    low = gap.get(f"{name}_low")
    return low is not None and low == low and low > 0
