"""Dense-vector index (app.search.dense_index): exact and approximate search agree, restricted search
never leaks an id outside the allowed set, ids and parameters survive a save/load round trip, and
bad input is refused with a Korean message. Speed is measured in bench/talent_speed.py, not here."""

from __future__ import annotations

import numpy as np
import pytest

from app.errors import InvalidInput, NotReady
from app.search import dense_index
from app.search.dense_index import DenseIndex
from app.search.vector_sample import clustered_unit_vectors

N = 20_000
DIM = 64
K = 10


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clustered vectors, their (sparse, shuffled) ids and fresh queries from the same mixture."""
    vectors = clustered_unit_vectors(N, DIM, seed=1, n_clusters=300)
    ids = np.random.default_rng(3).choice(10 * N, N, replace=False).astype(np.int64) + 1_000
    queries = clustered_unit_vectors(200, DIM, seed=2, n_clusters=300)
    return vectors, ids, queries


@pytest.fixture(scope="module")
def exact(data) -> DenseIndex:
    vectors, ids, _ = data
    return DenseIndex.build(vectors, ids)


@pytest.fixture(scope="module")
def approximate(data) -> DenseIndex:
    vectors, ids, _ = data
    return DenseIndex.build(vectors, ids, kind="ivf", seed=5)


def _brute_force(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries @ vectors.T
    return ids[np.argsort(-scores, axis=1, kind="stable")[:, :k]]


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


def test_auto_kind_is_exact_below_the_threshold_and_matches_brute_force(data, exact):
    vectors, ids, queries = data
    assert N < dense_index.EXACT_MAX_ROWS and exact.kind == "flat" and len(exact) == N
    scores, found = exact.search(queries, K)
    assert found.shape == scores.shape == (len(queries), K)
    assert _recall(found, _brute_force(vectors, ids, queries, K)) == pytest.approx(1.0, abs=1e-3)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first


def test_approximate_index_reaches_recall_095_against_exact_search(data, exact, approximate):
    _, _, queries = data
    assert approximate.kind == "ivf"
    assert 1 <= approximate.nprobe < approximate.nlist  # calibrated, and really approximate
    _, truth = exact.search(queries, K)
    _, found = approximate.search(queries, K)
    assert _recall(found, truth) >= 0.95


def test_an_indexed_vector_finds_its_own_id_first(data, approximate):
    vectors, ids, _ = data
    rows = np.arange(0, N, 997)
    scores, found = approximate.search(vectors[rows], 3)
    assert np.mean(found[:, 0] == ids[rows]) >= 0.98
    assert scores[:, 0] == pytest.approx(1.0, abs=5e-3)


@pytest.mark.parametrize("size", [1, 3, 40, 900])
def test_restricted_search_returns_only_allowed_ids_and_the_exact_best_of_them(data, approximate, size):
    vectors, ids, queries = data
    allowed = np.random.default_rng(size).choice(ids, size, replace=False)
    scores, found = approximate.search(queries[:50], K, allowed_ids=allowed)
    real = found[found >= 0]
    assert np.isin(real, allowed).all()
    assert (found >= 0).sum(axis=1).tolist() == [min(K, size)] * 50
    assert np.all(np.isneginf(scores[found < 0]))
    mask = np.isin(ids, allowed)
    truth = _brute_force(vectors[mask], ids[mask], queries[:50], min(K, size))
    # Read back and scored exactly (float16 storage may swap near-ties only).
    assert _recall(found[:, : min(K, size)], truth) >= 0.99


def test_sets_a_probe_would_miss_are_searched_in_every_list(data, approximate, monkeypatch):
    vectors, ids, queries = data
    monkeypatch.setattr(dense_index, "READ_BACK_MAX", 10)  # the selector path
    size = N * approximate.nprobe // approximate.nlist  # scaled nprobe reaches nlist: exhaustive
    allowed = np.random.default_rng(4).choice(ids, size, replace=False)
    _, found = approximate.search(queries, K, allowed_ids=allowed)
    assert np.isin(found, allowed).all()
    mask = np.isin(ids, allowed)
    assert _recall(found, _brute_force(vectors[mask], ids[mask], queries, K)) >= 0.99


def test_large_restricted_sets_go_through_the_selector_and_stay_correct(data, approximate, monkeypatch):
    vectors, ids, queries = data
    monkeypatch.setattr(dense_index, "READ_BACK_MAX", 100)  # the selector path, with nprobe scaled
    allowed = np.random.default_rng(8).choice(ids, 1_500, replace=False)
    _, found = approximate.search(queries, K, allowed_ids=allowed)
    assert np.isin(found[found >= 0], allowed).all()
    mask = np.isin(ids, allowed)
    assert _recall(found, _brute_force(vectors[mask], ids[mask], queries, K)) >= 0.95


def test_restricted_flat_search_and_unknown_or_empty_allowed_sets(data, exact):
    _, ids, queries = data
    scores, found = exact.search(queries[:3], K, allowed_ids=np.array([], dtype=np.int64))
    assert (found == -1).all() and np.isneginf(scores).all()
    _, found = exact.search(queries[:3], K, allowed_ids=np.array([-5, 7, ids[4]]))  # not indexed: ignored
    assert found[:, 0].tolist() == [ids[4]] * 3 and (found[:, 1:] == -1).all()


def test_save_and_load_keep_results_ids_and_parameters(tmp_path, data, approximate):
    _, _, queries = data
    calibrated = approximate.nprobe
    approximate.nprobe = 3
    try:
        files = approximate.save(tmp_path / "talent_dense")
        loaded = DenseIndex.load(tmp_path / "talent_dense")
        assert [f.name for f in files] == ["talent_dense.faiss", "talent_dense.meta"]
        assert (loaded.kind, loaded.nprobe, loaded.nlist, len(loaded)) == ("ivf", 3, approximate.nlist, N)
        np.testing.assert_array_equal(loaded.ids, approximate.ids)
        for allowed in (None, approximate.ids[:30]):
            before = approximate.search(queries, K, allowed_ids=allowed)
            after = loaded.search(queries, K, allowed_ids=allowed)
            np.testing.assert_array_equal(before[1], after[1])
            np.testing.assert_allclose(before[0], after[0])
    finally:
        approximate.nprobe = calibrated


def test_missing_files_are_not_ready(tmp_path):
    with pytest.raises(NotReady, match="python -m app build"):
        DenseIndex.load(tmp_path / "absent")


def test_build_normalises_a_copy_and_keeps_the_callers_array():
    raw = np.random.default_rng(0).standard_normal((50, 8)).astype(np.float32) * 3
    before = raw.copy()
    index = DenseIndex.build(raw, np.arange(50))
    np.testing.assert_array_equal(raw, before)
    scores, found = index.search(raw[7] * 10, 1)
    assert found[0, 0] == 7 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_memory_is_what_the_storage_costs(data, exact, approximate):
    _, ids, _ = data
    id_maps = N * 8 + (int(ids.max()) + 1) * 4  # ids + the direct id → row table (compact ids)
    assert exact.memory_bytes() == N * DIM * 4 + id_maps
    # float16 codes + one int64 id per list entry + direct map + centroids.
    expected = N * (DIM * 2 + 8 + 8) + approximate.nlist * DIM * 4 + id_maps
    assert approximate.memory_bytes() == expected


def test_sparse_ids_map_through_bisection(data):
    vectors, _, queries = data
    sparse_ids = np.arange(2_000, dtype=np.int64)[::-1] * 10**12 + 7  # far beyond the table's reach
    index = DenseIndex.build(vectors[:2_000], sparse_ids)
    assert index.memory_bytes() == 2_000 * (DIM * 4 + 8 + 16)  # vectors, ids, sorted ids + order
    allowed = sparse_ids[[5, 600, 1_999]]
    _, found = index.search(queries[:4], 5, allowed_ids=np.concatenate([allowed, [3, -1]]))
    assert set(found[:, :3].ravel()) <= set(allowed) and (found[:, 3:] == -1).all()
    assert index.rows_of(allowed).tolist() == [5, 600, 1_999]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda v, i: DenseIndex.build(v[:, :5][:0], i[:0]), "벡터가 없습니다"),
        (lambda v, i: DenseIndex.build(np.where(np.arange(8) == 3, np.nan, v[:10]), i[:10]), "NaN"),
        (lambda v, i: DenseIndex.build(v[:10], i[:9]), "길이"),
        (lambda v, i: DenseIndex.build(v[:3], np.array([1, 1, 2])), "중복"),
        (lambda v, i: DenseIndex.build(v[:3], np.array([1.5, 2.0, 3.0])), "정수"),
        (lambda v, i: DenseIndex.build(v[:3], i[:3], kind="hnsw"), "색인 종류"),
        (lambda v, i: DenseIndex.build(v[:3], i[:3]).search(v[0, :5], 1), "차원"),
        (lambda v, i: DenseIndex.build(v[:3], i[:3]).search(np.full(8, np.nan), 1), "NaN"),
        (lambda v, i: DenseIndex.build(v[:3], i[:3]).search(np.zeros(8), 1), "0벡터"),
        (lambda v, i: DenseIndex.build(v[:3], i[:3]).search(v[0], 0), "k는"),
    ],
)
def test_bad_input_is_refused_with_a_korean_message(call, message):
    vectors = clustered_unit_vectors(10, 8, seed=0, n_clusters=3)
    with pytest.raises(InvalidInput, match=message):
        call(vectors, np.arange(100, 110))
