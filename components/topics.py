"""Widgets of 토픽 분석: the corpus choice, the topic table, trends, a topic's words and documents, the
keyword search and how the topics were made. Documents are shown with ``st.text`` (never as markdown or HTML);
everything else from data goes through ``escape_markdown``; nothing here fits or queries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.errors import GoyongError
from app.exports import csv_bytes
from app.services import topics
from app.text.markdown import escape_markdown
from components.display import render_chart, render_download

BY_CHOICES: tuple[str, ...] = ("분기", "연도")


def select_corpus(choices: list[topics.CorpusChoice], *, key: str) -> topics.CorpusChoice:
    """The corpus to analyse (a corpus that was not built stays selectable: the page says why)."""
    titles = {c.title: c for c in choices}
    built = [c.title for c in choices if not c.missing]
    default = list(titles).index(built[0]) if built else 0
    title = st.radio("분석 대상", list(titles), index=default, horizontal=True, key=key)
    return titles[title]


def render_topic_table(overview: topics.TopicOverview, *, key: str) -> None:
    """Every topic with its words, documents, share and trend, and the CSV export."""
    st.dataframe(overview.topics, hide_index=True, width="stretch", key=f"{key}.table",
                 column_config={"주요 단어": st.column_config.TextColumn(width="large")})
    render_download(csv_bytes(topics.export_table(overview)), file_name=f"토픽분석_{overview.title}.csv",
                    key=f"{key}.download")


def render_trends(overview: topics.TopicOverview, *, key: str) -> None:
    """Topic shares over time (quarters or years), the rising and falling topics highlighted."""
    by = st.radio("기간 단위", BY_CHOICES, horizontal=True, key=f"{key}.by")
    highlight = tuple(overview.rising["토픽"]) + tuple(overview.falling["토픽"])
    data = overview.periods if by == "분기" else overview.years
    render_chart(topics.make_topic_share_figure(data, highlight=highlight, by=by), key=f"{key}.chart.{by}")
    left, right = st.columns(2)
    with left:
        st.markdown("**떠오르는 토픽**")
        _render_trend_list(overview.rising, empty="비중이 뚜렷하게 오르는 토픽이 없습니다.", key=f"{key}.rising")
    with right:
        st.markdown("**줄어드는 토픽**")
        _render_trend_list(overview.falling, empty="비중이 뚜렷하게 줄어드는 토픽이 없습니다.", key=f"{key}.falling")


def _render_trend_list(rows: pd.DataFrame, *, empty: str, key: str) -> None:
    if rows.empty:
        st.caption(empty)
        return
    st.dataframe(rows[["토픽", "추세(%p/년)", "첫해 비중(%)", "마지막 해 비중(%)"]], hide_index=True, width="stretch",
                 key=key)


def render_keyword_share(overview: topics.TopicOverview, *, key: str) -> None:
    """The AI courses' share by start year (courses only)."""
    if overview.keyword_share is None or overview.keyword_share.empty:
        return
    st.subheader("AI 과정의 비율")
    st.caption("과정명에 인공지능·AI·생성형·LLM·머신러닝·딥러닝·자연어처리·컴퓨터비전이 들어간 과정(회차)의 비율입니다.")
    render_chart(topics.make_keyword_share_figure(overview.keyword_share), key=f"{key}.chart")
    st.dataframe(overview.keyword_share, hide_index=True, width="stretch", key=f"{key}.table")


def select_topic(overview: topics.TopicOverview, *, key: str) -> str:
    """One topic's label (for its words and documents)."""
    return st.selectbox("토픽 선택", list(overview.labels.values()), key=key)


def render_topic_detail(overview: topics.TopicOverview, topic: str, *, key: str) -> None:
    """A topic's top-term chart and its representative documents, each as plain text."""
    render_chart(topics.make_top_terms_figure(overview.terms, topic), key=f"{key}.terms")
    st.markdown(f"**{escape_markdown(topic)}: 대표 문서**")
    if overview.corpus == "notes":
        st.caption("상담일지는 이름·연락처·주소 등 개인정보를 가린 뒤 분석했고, 가린 글만 보여 줍니다.")
    examples = overview.examples[overview.examples["토픽"] == topic]
    if examples.empty:
        st.caption("이 토픽을 주 토픽으로 하는 문서가 없습니다.")
        return
    for _, row in examples.iterrows():
        st.caption(f"{int(row['순위'])}. {escape_markdown(str(row['날짜']))}")
        st.text(str(row["문서"]))


def render_search(artifact: topics.TopicArtifact, corpus: str, role: str, *, key: str) -> None:
    """Keyword search over the topics' words (``AI`` finds 인공지능 too)."""
    query = st.text_input("단어로 토픽 찾기", max_chars=topics.MAX_QUERY_CHARS, key=key,
                          placeholder="예: 인공지능, 클라우드, 면접")
    if not query.strip():
        return
    try:
        found = topics.search_topics(artifact, corpus, query, role)
    except GoyongError as err:
        st.error(str(err))
        return
    if found.empty:
        st.info("그 단어가 주요 단어인 토픽이 없습니다. 다른 단어로 찾아 보세요.")
        return
    st.dataframe(found, hide_index=True, width="stretch", key=f"{key}.result")


def render_method(overview: topics.TopicOverview, *, key: str) -> None:
    """How the topics were made: method, number of topics, coherence and stability."""
    facts = pd.DataFrame({"항목": list(overview.method), "내용": list(overview.method.values())})
    st.dataframe(facts, hide_index=True, width="stretch", key=f"{key}.facts",
                 column_config={"내용": st.column_config.TextColumn(width="large")})
    st.caption("토픽 수 후보별 일관성")
    st.dataframe(overview.k_table, hide_index=True, width="stretch", key=f"{key}.k")
