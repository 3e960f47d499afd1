"""토픽 분석 (issue 19): the one module the topic page imports.

* analysis — :func:`corpus_choices` (the corpora, built or not), :func:`topic_overview` (a corpus's topics,
  trends, rising and falling topics, examples and how it was made), :func:`search_topics` (topics by keyword),
  :func:`export_table` (the CSV); every function refuses anyone but policy staff;
* the artifact — :func:`load_topic_artifact` (built by ``python -m app build``; the page never fits) and the
  charts of :mod:`app.charts.topics`.
"""

from __future__ import annotations

from app.charts.topics import make_keyword_share_figure, make_top_terms_figure, make_topic_share_figure
from app.ml.topics import CORPUS_TITLES, MODEL_NAME, TopicArtifact, load_topic_artifact
from app.services.topics.analysis import (
    EXAMPLE_COLUMNS,
    MAX_QUERY_CHARS,
    PERIOD_COLUMNS,
    TOPIC_COLUMNS,
    TOPICS_ACTION,
    CorpusChoice,
    InvalidTopicQuery,
    TopicOverview,
    TopicsAccessDenied,
    corpus_choices,
    export_table,
    method_facts,
    require_policy,
    search_topics,
    topic_overview,
)

__all__ = [
    "MODEL_NAME", "CORPUS_TITLES", "TopicArtifact", "load_topic_artifact",
    "TOPICS_ACTION", "MAX_QUERY_CHARS", "TOPIC_COLUMNS", "PERIOD_COLUMNS", "EXAMPLE_COLUMNS",
    "TopicsAccessDenied", "InvalidTopicQuery", "CorpusChoice", "TopicOverview",
    "require_policy", "corpus_choices", "topic_overview", "method_facts", "search_topics", "export_table",
    "make_topic_share_figure", "make_top_terms_figure", "make_keyword_share_figure",
]
