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


def _past_features_by_slicing(matcher, query, rows) -> np.ndarray:
    """The past-application features as the sparse row slice and products computed them (the reference)."""
    profile = matcher.posting_profile
    out = np.full((len(rows), 5), np.nan)
    n_past = int(np.searchsorted(matcher.posting_days, query.day, side="left"))
    applied = matcher._applied_by_seeker[rows]
    past = np.arange(len(matcher.posting_days)) < n_past
    count = np.asarray(applied @ past.astype(np.float32), dtype=float).ravel()
    out[:, 0] = count
    known = count > 0
    share = np.divide(1.0, count, out=np.zeros_like(count), where=known)

    def past_share(mask):
        return np.where(known, (applied @ (mask & past).astype(np.float32)) * share, np.nan)

    out[:, 1] = past_share(profile.employment_type == talent.EMPLOYMENT_TYPES.index(query.employment_type))
    out[:, 2] = past_share(profile.region == query.region_code)
    out[:, 3] = past_share(profile.middle == int(query.keco_code[:2]))
    hours = np.where(past, np.nan_to_num(profile.log_hours, nan=0.0), 0.0)
    with_hours = applied @ (np.isfinite(profile.log_hours) & past).astype(np.float32)
    mean_hours = np.divide(applied @ hours, with_hours, out=np.full(len(rows), np.nan), where=with_hours > 0)
    out[:, 4] = np.log(query.weekly_hours) - mean_hours
    return out


def test_scores_summed_from_the_stored_entries_equal_the_sparse_slices_bit_for_bit(fitted) -> None:
    matcher, postings, tokens, grades, ref = fitted
    records = list(postings.itertuples(index=False))
    names = ("past_applications", "past_type_share", "past_region_share", "past_field_share", "past_hours_gap")
    checked = 0
    for i in range(0, len(records), max(1, len(records) // 40)):
        query = talent.posting_query(records[i], ref)
        columns = matcher.lexical.terms(tokens[i])
        by_slice = np.asarray(matcher.lexical._by_term[:, columns].sum(axis=1), dtype=np.float32).ravel()
        assert np.array_equal(matcher.lexical.scores(tokens[i]), by_slice)
        vector = matcher.posting_vectors[i]
        top, weights = matcher.similar_past_postings(vector, query.day, query.posting_id)
        collaborative = matcher._collaborative(vector, query.day, query.posting_id)
        if len(top):
            assert np.array_equal(collaborative, np.asarray(matcher.history[top].T @ weights, dtype=np.float32).ravel())
            checked += int(collaborative.any())
        rows = np.flatnonzero(matcher.seekers.activity > 0)[:300]
        scores = {"lexical": by_slice[rows], "dense": np.zeros(len(rows)), "collaborative": collaborative[rows]}
        features = matcher.features(query, rows, scores)
        ours = features[:, [talent.FEATURES.index(n) for n in names]]
        if query.weekly_hours and query.employment_type in talent.EMPLOYMENT_TYPES:
            np.testing.assert_array_equal(ours, _past_features_by_slicing(matcher, query, rows))
    assert checked > 5  # postings whose similar past postings had applicants


def test_postings_analysed_line_by_line_keep_the_lines_words_in_order(fitted) -> None:
    matcher, postings, tokens, grades, ref = fitted
    row = next(postings.itertuples(index=False))
    parts = talent.posting_document_parts(row, ref)
    assert parts[1] == row.title and not any(p.startswith(("▶", "①", "-", " ")) for p in parts if p)
    assert tokens[0] == [t for part in parts if part for t in talent.content_tokens([part])[0]]
