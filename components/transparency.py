"""Widgets of the AI transparency page: the legal basis, one expander per model card, the training
data sources and the contest procedure. Every text that comes from data (the manifest, the cards)
goes through ``escape_markdown``; only this module's own markup is markdown."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.services.transparency import BUILD_COMMAND, CardView, MetricLine, TransparencyReport
from app.text.markdown import escape_markdown

_STATUS_ICONS = {
    "built": ":material/check_circle:",
    "missing": ":material/hourglass_empty:",
    "stale": ":material/update:",
    "setting": ":material/settings:",
    "undocumented": ":material/help:",
}


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {escape_markdown(line)}" for line in lines)


def _section(heading: str, body: str) -> None:
    st.markdown(f"**{heading}**  \n{escape_markdown(body)}")


def _metrics(heading: str, lines: Sequence[MetricLine]) -> None:
    st.markdown(f"**{heading}**\n\n" + "\n".join(
        f"- {escape_markdown(line.label)}: {escape_markdown(line.value)}" for line in lines))


def render_legal_basis(lines: Sequence[str]) -> None:
    """The law behind this page, one bullet per duty."""
    st.subheader("법적 근거")
    st.markdown(_bullets(lines))


def render_role_note(role_label: str, titles: Sequence[str]) -> None:
    """Which AI outputs the current role meets (every card stays visible below)."""
    if titles:
        st.info(f"{escape_markdown(role_label)} 화면에서 만나는 AI: {escape_markdown(', '.join(titles))}. "
                "아래에서 모든 모델의 안내를 볼 수 있습니다.", icon=":material/smart_toy:")
    else:
        st.info("아래에서 모든 모델의 안내를 볼 수 있습니다.", icon=":material/smart_toy:")


def render_card(view: CardView) -> None:
    """One model's notice in an expander: status, purpose, criteria, data, quality, fairness,
    oversight, contest and limits (a model not built yet shows the build command instead of figures)."""
    label = f"{view.title} · {view.status_label}"
    with st.expander(label, icon=_STATUS_ICONS.get(view.status), expanded=False):
        if view.build_hint:
            st.warning(f"{escape_markdown(view.build_hint)} 터미널에서 `{BUILD_COMMAND}`를 실행하세요.",
                       icon=":material/build:")
        st.caption(f"버전 {escape_markdown(view.version)} · 빌드 일시 {escape_markdown(view.built_at)} KST")
        card = view.card
        if card is None:
            st.error("이 모델의 설명 자료(모델 카드)가 아직 없습니다. 관리자에게 알려 주세요.")
            return
        _section("목적", card.purpose)
        _section("AI가 내놓는 결과", card.output)
        if view.shown_on:
            st.markdown("**결과가 나오는 화면(볼 수 있는 역할)**\n\n" + _bullets(view.shown_on))
        st.markdown("**주요 판단 기준**\n\n" + _bullets(card.criteria))
        if card.not_used:
            _section("쓰지 않는 정보", card.not_used)
        st.markdown("**학습 데이터 개요**\n\n" + _bullets(view.training_data))
        if view.quality:
            _metrics("측정 성능(빌드 때 평가 표본으로 측정)", view.quality)
        elif card.quality_note:
            _section("측정 성능", card.quality_note)
        else:
            _section("측정 성능", f"{view.status_label}: 모델을 만들면 성능 수치가 여기에 나옵니다.")
        if view.fairness:
            _metrics("공정성", view.fairness)
            st.caption(escape_markdown(card.fairness_note))
        else:
            _section("공정성", card.fairness_note or "-")
        _section("사람의 감독", card.human_oversight)
        _section("이의 제기 방법", card.contest)
        _section("알려진 한계", card.limits)


def render_cards(report: TransparencyReport) -> None:
    """Every model's notice, models first and supporting data last."""
    st.subheader("모델별 안내")
    for view in report.cards:
        render_card(view)


def render_training_sources(world: str, note: str, sources: Sequence[str]) -> None:
    """The world the models learned from and the public data it was calibrated to (names only)."""
    st.subheader("학습 데이터: 가상 세계와 참고한 공개 자료")
    st.markdown(escape_markdown(note))
    if world:
        st.caption(escape_markdown(world))
    st.markdown(_bullets(sources))


def render_contest_steps(steps: Sequence[str]) -> None:
    """The common procedure to contest an AI output, numbered."""
    st.subheader("이의 제기 절차")
    st.markdown("\n".join(f"{i}. {escape_markdown(step)}" for i, step in enumerate(steps, start=1)))
