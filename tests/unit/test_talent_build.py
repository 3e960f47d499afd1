"""The talent matcher's build shortcuts give what the plain per-posting path gives: the examples of many
postings scored in chunks, the seekers' records analysed part by part, the exact index answered from the
dense scores, the evaluation's models run once over every posting."""

from __future__ import annotations

import numpy as np
import pytest

from app.db.engine import make_engine
from app.ml import talent
from app.reference.tables import load_reference


@pytest.fixture(scope="module")
def fitted(world_url: str):
    engine = make_engine(world_url)
    ref = load_reference()
    matcher, postings, tokens, pairs = talent.fit_matcher_indexes(engine, ref, 7)
    engine.dispose()
    return matcher, postings, tokens, talent.grades_by_posting(pairs), ref


def _one_by_one(matcher, postings, tokens, rows, grades, ref) -> talent.RankingExamples:
    """The examples the way a search scores one posting: its own dense products, the FAISS index."""
    out = talent.RankingExamples(grades=grades)
    records = list(postings.itertuples(index=False))
    for i in rows:
        query = talent.posting_query(records[i], ref)
        scores = matcher.source_scores(query, tokens[i], matcher.posting_vectors[i])
        pool = matcher.pool(query.day)
        _, ids = matcher.seeker_index.search(scores.vector, min(talent.PER_SOURCE, len(pool)),
                                             allowed_ids=matcher.seekers.ids[pool])
        cand = matcher.candidates(query, pool, scores)
        assert set(matcher.rows_of(ids[0][ids[0] >= 0])) <= set(cand)  # the index's nearest are proposed
        out.features.append(matcher.features(query, cand, scores.at(cand)))
        out.candidates.append(cand)
    return out


def test_examples_scored_in_chunks_equal_those_scored_one_posting_at_a_time(fitted, monkeypatch) -> None:
    matcher, postings, tokens, grades, ref = fitted
    assert matcher.seeker_index.kind == "flat"
    rows = [i for i, p in enumerate(matcher.posting_ids) if int(p) in grades][:60]
    monkeypatch.setattr(talent, "EXAMPLE_CHUNK", 16)  # several chunks, the last one short
    batched = talent.ranking_examples(matcher, postings, tokens, rows, grades, ref, None)
    single = _one_by_one(matcher, postings, tokens, rows, grades, ref)
    assert len(batched.candidates) == len(rows)
    same = [np.array_equal(a, b) for a, b in zip(batched.candidates, single.candidates, strict=True)]
    assert sum(same) >= len(rows) - 1  # a float tie at the 100th dense score may swap one seeker
    for ok, a, b in zip(same, batched.features, single.features, strict=True):
        if ok:
            a = a.copy()
            a[:, talent.FEATURES.index("activity")] = b[:, talent.FEATURES.index("activity")]  # the examples' own rule
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)


def test_seekers_analysed_part_by_part_keep_each_parts_words_in_order() -> None:
    documents = [["전기기능사", "용접 보조", ""], ["용접 보조", "지게차 운전"], []]
    parts = talent.content_tokens_of_parts(documents)
    assert parts[0] == talent.content_tokens(["전기기능사"])[0] + talent.content_tokens(["용접 보조"])[0]
    assert parts[1] == talent.content_tokens(["용접 보조"])[0] + talent.content_tokens(["지게차 운전"])[0]
    assert parts[2] == []


def test_the_evaluation_scores_every_posting_as_one_call_would(fitted) -> None:
    matcher, postings, tokens, grades, ref = fitted
    with_history = [i for i, p in enumerate(matcher.posting_ids) if int(p) in grades]
    train = talent.ranking_examples(matcher, postings, tokens, with_history[:80], grades, ref, np.random.default_rng(7))
    test = talent.ranking_examples(matcher, postings, tokens, with_history[80:120], grades, ref, None)
    talent.fit_ranker_and_hire_model(matcher, train, 7)
    metrics = talent.evaluate_matcher(matcher, test)
    recall = [float((labels[np.argsort(-matcher.rank(f), kind="stable")[:10]] > 0).sum() / len(grades[p]))
              if len(f) else 0.0 for f, labels, p in zip(test.features, test.labels, test.posting_ids, strict=True)]
    assert metrics["recall10_applied"] == pytest.approx(round(float(np.mean(recall)), 4), abs=1e-4)
