"""토픽 분석: tokens, the model on a planted corpus (known topics, one rising), labels, trends, search, the
masked notes corpus, the artifact without the shared data, the service's role check; the real KDT courses when
the shared data is there (skipped otherwise)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.analytics import topics as tp
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.counsellor_notes import load_masked_notes
from app.ml import course_outcome
from app.ml import topics as topic_artifact
from app.services import topics as topic_service
from tests.unit.topics_helpers import AI_SHARE_BY_YEAR, PLANTED, planted_corpus

HANGUL = re.compile(r"[가-힣]")


@pytest.fixture(scope="module")
def planted_model() -> tp.TopicModel:
    return tp.fit_topic_model(planted_corpus(), candidates=(3, 4, 5, 6))


# --------------------------------------------------------------------------- tokens


def test_tokens_keep_korean_nouns_and_drop_particles_and_stop_words() -> None:
    (tokens,) = tp.tokenize(["클라우드 환경에서 개발하는 인공지능 서비스 양성과정"], stop_words=tp.COURSE_STOP_WORDS)
    assert tokens == ["클라우드", "환경", "인공지능", "서비스"]  # 에서/하는 gone; 개발·양성·과정 are stop words


def test_spellings_of_one_term_become_one_token_kept_whole() -> None:
    tokens = tp.tokenize(["AI 부트캠프", "인공지능모델링", "자바(JAVA) 웹&앱", "Spring Boot 백앤드", "빅 데이터 분석"],
                         stop_words=tp.COURSE_STOP_WORDS)
    assert tokens[0] == ["인공지능"]
    assert tokens[1] == ["인공지능", "모델링"]  # Kiwi alone splits 인공/지능
    assert tokens[2] == ["자바", "자바", "웹", "앱"]  # Kiwi alone splits 자/바
    assert tokens[3] == ["스프링", "백엔드"]
    assert tokens[4] == ["빅데이터", "분석"]
    assert tp.canonical_term("Python") == "파이썬" and tp.canonical_term("데이터") == "데이터"


def test_masked_fragments_and_place_names_are_not_tokens() -> None:
    (tokens,) = tp.tokenize(["이○숙 님과 전화 상담. 거주지(경기도 의정부시 ***) 인근 구인처 탐색, 010-****-5678"],
                            stop_words=tp.NOTE_STOP_WORDS, drop_places=True)
    assert "경기도" not in tokens and "의정부시" not in tokens
    assert not any("○" in t or "*" in t for t in tokens)
    assert tokens == ["구인", "탐색"]  # Kiwi reads 구인처 as 구인+처


def _whole_text_tokens(text: str, stop_words: frozenset[str], drop_places: bool) -> list[str]:
    """What Kiwi reads in ``text`` analysed in one piece (how :func:`tp.tokenize` read a text before it went
    sentence by sentence)."""
    cleaned, spans = tp._canonical_text(tp._BRACKETED.sub(" ", text))
    (tokens,) = list(tp.kiwi_analyser().tokenize([cleaned], pretokenized=lambda _text: spans))
    words = (tp._content_word(t.form, t.tag, stop_words, drop_places) for t in tokens)
    return [w for w in words if w is not None]


def test_notes_read_sentence_by_sentence_give_the_tokens_of_the_whole_note() -> None:
    notes = ["2차 상담: 내방하여 상담을 진행함. 이력서 작성 방법을 안내함. 희망 직종을 AI 데이터 분석가로 정함.",
             "3차 상담: 전화로 상담을 진행함. 스트레스 관리 방법을 안내하고 다음 회기에 경과를 확인하기로 함.\n"
             "직업훈련(빅 데이터 과정) 참여를 권유함! 김○수 님이 동의함?",
             "이력서 작성 방법을 안내함. 2차 상담: 내방하여 상담을 진행함."]
    tokens = tp.tokenize(notes, stop_words=tp.NOTE_STOP_WORDS, drop_places=True)
    assert tokens == [_whole_text_tokens(n, tp.NOTE_STOP_WORDS, True) for n in notes]
    assert "인공지능" in tokens[0] and "빅데이터" in tokens[1]  # the canonical terms survive the split
    assert tp.tokenize(["", "   "]) == [[], []]


# --------------------------------------------------------------------------- the model on the planted corpus


def test_coherence_and_stability_choose_the_planted_number_of_topics(planted_model: tp.TopicModel) -> None:
    assert planted_model.k == len(PLANTED)
    table = planted_model.k_table.set_index("k")
    assert table.loc[4, "score"] == table["score"].max()
    assert planted_model.metrics["stability"] > 0.95  # random starts on 80% samples find the same four topics
    assert planted_model.metrics["c_v"] > 0.5


def test_each_planted_topic_is_found(planted_model: tp.TopicModel) -> None:
    found = [set(terms[:6]) for terms in planted_model.topics["terms"]]
    for words in PLANTED.values():
        best = max(len(set(words) & f) for f in found)
        assert best >= 5, words


def test_the_same_seed_gives_identical_topics() -> None:
    first = tp.fit_topic_model(planted_corpus(), k=4, seed=3)
    second = tp.fit_topic_model(planted_corpus(), k=4, seed=3)
    np.testing.assert_array_equal(first.components, second.components)
    assert list(first.topics["label"]) == list(second.topics["label"])
    pd.testing.assert_frame_equal(first.periods, second.periods)


def test_stability_compares_paired_topics_not_their_order() -> None:
    tokens = [list(t) for t in tp.tokenize(list(planted_corpus().texts), stop_words=tp.COURSE_STOP_WORDS)]
    fit = tp.fit_nmf(tokens, 4)
    shuffled = tp.NmfFit(fit.vocabulary, fit.components[::-1].copy(), fit.vectorizer, fit.model)
    assert tp.matched_similarity(fit, shuffled) == pytest.approx((1.0, 1.0))
    unstable = tp.topic_stability(tokens, 8, init="random")["stability"]
    assert unstable < tp.topic_stability(tokens, 4, init="random")["stability"]


def test_labels_are_korean_unique_and_name_the_topic(planted_model: tp.TopicModel) -> None:
    labels = list(planted_model.topics["label"])
    assert len(set(labels)) == len(labels)
    assert all(HANGUL.search(label) for label in labels)
    for label in labels:
        words = set(label.split("·"))
        assert any(words <= set(planted) for planted in PLANTED.values()), label
    assert set(planted_model.topics["ncs_share"]) == {1.0}  # each topic's documents share one NCS name


def test_labels_need_a_hangul_word_even_when_latin_words_lead() -> None:
    components = np.array([[5.0, 4.0, 3.0, 0.5], [0.1, 0.1, 0.1, 3.0]])
    labels = tp.label_topics(components, ["aws", "msa", "k8s", "보안"])
    assert all(HANGUL.search(label) for label in labels)
    assert labels[0].startswith("보안·AWS")


def test_the_planted_rising_topic_is_found_rising(planted_model: tp.TopicModel) -> None:
    ai_topic = next(int(t) for t, terms in zip(planted_model.topics["topic"], planted_model.topics["terms"],
                                               strict=True) if "인공지능" in terms[:8])
    top = planted_model.trends.iloc[0]
    assert int(top["topic"]) == ai_topic and top["direction"] == "상승"
    planted_slope = 100 * (AI_SHARE_BY_YEAR[2025] - AI_SHARE_BY_YEAR[2021]) / 4
    assert top["slope"] == pytest.approx(planted_slope, rel=0.25)
    assert (planted_model.trends.loc[planted_model.trends["topic"] != ai_topic, "direction"] != "상승").all()
    years = tp.yearly_shares(planted_model.periods)
    ai_years = years[years["topic"] == ai_topic].set_index("year")["share"]
    assert ai_years.is_monotonic_increasing
    assert years.groupby("year")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_a_flat_topic_is_not_called_rising() -> None:
    periods = pd.DataFrame({
        "period_start": pd.to_datetime([f"{y}-{m:02d}-01" for y in (2023, 2024) for m in (1, 4, 7, 10)] * 2),
        "topic": [0] * 8 + [1] * 8, "documents": 50, "period_documents": 100, "weight_sum": 50.0,
    })
    periods["share"] = [0.5, 0.52, 0.49, 0.51, 0.5, 0.48, 0.51, 0.5] + [0.5, 0.48, 0.51, 0.49, 0.5, 0.52, 0.49, 0.5]
    periods["year"] = periods["period_start"].dt.year
    periods["quarter"] = periods["period_start"].dt.quarter
    assert set(tp.topic_trends(periods)["direction"]) == {"변화 작음"}


def test_representative_documents_belong_to_their_topic(planted_model: tp.TopicModel) -> None:
    for topic, terms in zip(planted_model.topics["topic"], planted_model.topics["terms"], strict=True):
        examples = planted_model.examples[planted_model.examples["topic"] == topic]
        assert 1 <= len(examples) <= tp.REPRESENTATIVE_DOCS
        assert examples["text"].is_unique
        assert all(sum(word in text for word in terms[:8]) >= 3 for text in examples["text"])


def test_search_finds_a_topic_by_any_spelling(planted_model: tp.TopicModel) -> None:
    ai_topic = planted_model.trends.iloc[0]["topic"]
    assert planted_model.search("AI").iloc[0]["topic"] == ai_topic
    assert planted_model.search("딥러닝")["topic"].iloc[0] == ai_topic
    assert planted_model.search("없는단어").empty and planted_model.search("  ").empty


def test_keyword_share_counts_ai_titles_by_year(planted_model: tp.TopicModel) -> None:
    share = planted_model.keyword_share.set_index("year")
    assert list(share["courses"]) == [120] * 5
    assert share["ai_share"].iloc[-1] > share["ai_share"].iloc[0] + 0.3


# --------------------------------------------------------------------------- notes, artifact, service


@pytest.fixture(scope="module")
def notes_artifact(world_url: str) -> tuple[topic_artifact.TopicArtifact, pd.DataFrame]:
    engine = make_engine(world_url)
    notes = load_masked_notes(engine)
    engine.dispose()
    return topic_artifact.build_topic_artifact(None, notes, seed=7), notes


def test_notes_are_masked_before_anything_is_kept(world_url: str,
                                                  notes_artifact: tuple[topic_artifact.TopicArtifact, pd.DataFrame]
                                                  ) -> None:
    from sqlalchemy import text

    artifact, notes = notes_artifact
    engine = make_engine(world_url)
    with engine.connect() as conn:
        raw = conn.execute(text("select n.text, s.name from counsellor_notes n join seekers s on s.id = n.seeker_id")
                           ).all()
    engine.dispose()
    assert len(notes) == len(raw)
    named = [(t, name) for t, name in raw if name in t]
    phones = [t for t, _ in raw if re.search(r"01\d-\d{3,4}-\d{4}", t)]
    assert named or phones  # the world's notes do hold personal data
    shown = "\n".join(notes["text"]) + "\n".join(artifact.models["notes"].examples["text"])
    assert not re.search(r"01\d-\d{3,4}-\d{4}", shown)
    names = {name for _, name in raw}
    assert not [n for n in names if n in shown]
    vocabulary = set(artifact.models["notes"].vocabulary)
    assert not {n for n in names if n in vocabulary}


def test_without_the_shared_data_only_the_notes_are_built(notes_artifact: tuple[topic_artifact.TopicArtifact,
                                                                                pd.DataFrame],
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    artifact, _ = notes_artifact
    assert set(artifact.models) == {"notes"}
    assert "K-디지털 트레이닝" in artifact.missing["courses"]
    monkeypatch.setenv("GOYONG_SHARED_DATA_DIR", str(tmp_path / "no_shared_data"))
    get_settings.cache_clear()
    try:
        assert topic_artifact.SPEC.config_fingerprint() == "world"  # rebuilt when the file appears
        choices = topic_service.corpus_choices(artifact, "policy")
        assert [c.key for c in choices] == ["courses", "notes"]
        assert choices[0].missing and not choices[1].missing
        with pytest.raises(topic_service.InvalidTopicQuery, match="K-디지털"):
            topic_service.topic_overview(artifact, "courses", "policy")
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("role", ["counsellor", "employer", "seeker", None])
def test_the_service_refuses_everyone_but_policy_staff(notes_artifact: tuple[topic_artifact.TopicArtifact,
                                                                             pd.DataFrame], role: str | None) -> None:
    artifact, _ = notes_artifact
    with pytest.raises(topic_service.TopicsAccessDenied):
        topic_service.topic_overview(artifact, "notes", role)
    with pytest.raises(topic_service.TopicsAccessDenied):
        topic_service.search_topics(artifact, "notes", "면접", role)
    with pytest.raises(topic_service.TopicsAccessDenied):
        topic_service.corpus_choices(artifact, role)


def test_overview_tables_are_korean_and_export_every_topic(
        notes_artifact: tuple[topic_artifact.TopicArtifact, pd.DataFrame]) -> None:
    artifact, _ = notes_artifact
    overview = topic_service.topic_overview(artifact, "notes", "policy")
    assert tuple(overview.topics.columns) == topic_service.TOPIC_COLUMNS
    assert tuple(overview.periods.columns) == topic_service.PERIOD_COLUMNS
    table = topic_service.export_table(overview)
    assert len(table) == len(overview.labels) == artifact.models["notes"].k
    assert all(HANGUL.search(str(c)) for c in table.columns)
    assert set(overview.method) >= {"토픽 모델", "토픽 수", "일관성 CV", "일관성 NPMI", "안정성"}
    with pytest.raises(topic_service.InvalidTopicQuery):
        topic_service.search_topics(artifact, "notes", "가" * (topic_service.MAX_QUERY_CHARS + 1), "policy")


# --------------------------------------------------------------------------- the real KDT courses


KDT_PATH = get_settings().shared_data_dir / course_outcome.KDT_FILE


@pytest.mark.skipif(not KDT_PATH.exists(), reason="the real K-Digital Training file is not in the shared data folder")
def test_real_courses_give_coherent_stable_topics_and_the_rise_of_generative_ai() -> None:
    model = tp.fit_topic_model(topic_artifact.course_corpus(KDT_PATH))
    assert model.metrics["documents"] > 6000
    assert model.metrics["c_v"] > 0.4 and model.metrics["stability"] > 0.75
    assert any(label.startswith("인공지능") for label in model.topics["label"])
    share = model.keyword_share.set_index("year")
    assert share.loc[2025, "generative_share"] > 5 * share.loc[2022, "generative_share"]
    assert share.loc[2025, "ai_share"] > share.loc[2023, "ai_share"]


def test_a_world_without_notes_and_without_the_shared_data_builds_an_empty_artifact() -> None:
    notes = pd.DataFrame({"written_on": pd.to_datetime([]), "text": pd.Series([], dtype=str)})
    artifact = topic_artifact.build_topic_artifact(None, notes, seed=7)
    assert artifact.models == {}
    assert artifact.missing == {"courses": topic_artifact.COURSES_MISSING, "notes": topic_artifact.NOTES_EMPTY}
    assert [c.missing for c in topic_service.corpus_choices(artifact, "policy")] == [
        topic_artifact.COURSES_MISSING, topic_artifact.NOTES_EMPTY]


def test_coherence_of_many_sets_counted_once_equals_each_set_counted_alone() -> None:
    tokens = [list(t) for t in tp.tokenize(list(planted_corpus().texts), stop_words=tp.COURSE_STOP_WORDS)]
    sets = [tp.fit_nmf(tokens, k).top_terms() for k in (3, 4, 6)]
    for measure in ("c_v", "c_npmi"):
        together = tp.coherence_of_many(tokens, sets, measure)
        assert together == [tp.coherence(tokens, topics, measure) for topics in sets]


def test_the_chosen_k_is_the_model_fitted_alone() -> None:
    corpus = planted_corpus()
    chosen = tp.fit_topic_model(corpus, candidates=(3, 4, 5))
    alone = tp.fit_topic_model(corpus, k=chosen.k)
    np.testing.assert_array_equal(chosen.components, alone.components)
    for name in ("c_v", "npmi", "stability", "top_term_overlap", "stability_model_start"):
        assert chosen.metrics[name] == alone.metrics[name]
    row = chosen.k_table.set_index("k").loc[chosen.k]
    assert (row["c_v"], row["npmi"], row["stability"]) == tuple(alone.k_table.iloc[0][["c_v", "npmi", "stability"]])
