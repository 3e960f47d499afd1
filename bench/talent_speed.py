"""Talent-recommendation speed on this machine; prints one JSON object.

* ``query_ms_median`` — one query end to end (parse + retrieve + rerank + reasons) on the demo
  world; target ≤ 300 ms. Measured by :func:`measure_query_ms` (``null`` with a note when the
  demo world's matcher is not built).
* ``search_1m_p95_ms`` — dense search (:class:`app.search.dense_index.DenseIndex`, the index
  ``kind="auto"`` picks at this size) over ``--n`` (1,000,000) candidate vectors: p95 of
  single-query latency, one query at a time as the app searches, top 10; target ≤ 50 ms.
* ``search_1m_recall10`` — recall@10 of those searches against exact search (``faiss.knn`` over
  the same float32 vectors); target ≥ 0.95.
* ``index_1m_mb`` — memory the index holds (:meth:`DenseIndex.memory_bytes`, MiB); the saved files'
  size and the process's peak resident memory are reported beside it.

Also: build time, FAISS parameters, p50/p99, and restricted searches (a random 10 % and a random
5,000 of the candidates allowed, as structured filters do) with their p95 and recall against exact
search over the allowed set.

Vectors: ``app.search.vector_sample.clustered_unit_vectors`` — a seeded mixture of 2,000 Gaussians
of Dirichlet-distributed sizes, per-cluster spread and a per-cluster 16-dim main subspace, on an
SVD-like decaying spectrum, L2-normalised. Uniform random vectors would be unrealistically hard
for an inverted file (in 128 dimensions every point is nearly orthogonal to every other), a few
tight blobs unrealistically easy; the module documents the model. Queries are fresh draws of the
same mixture (never indexed vectors).

Memory: 1M × 128 float32 is 512 MB; the vectors are generated once in place and indexed without a
copy (the index itself stores float16). Exact search for the ground truth reads the same array.

Usage: ``python bench/talent_speed.py [--n 1000000] [--dim 128] [--queries 1000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.search.dense_index import DenseIndex  # noqa: E402
from app.search.vector_sample import clustered_unit_vectors  # noqa: E402
from app.threads import thread_count  # noqa: E402

K = 10
WARM_UP_QUERIES = 20
FILTER_SHARE = 0.10
FILTER_SMALL = 5_000
TARGETS = {"query_ms_median": 300, "search_1m_p95_ms": 50, "search_1m_recall10": 0.95}


# ----------------------------------------------------------------------------- end-to-end query


SENTENCES: tuple[str, ...] = (
    "지게차 경력 3년 이상, 평택 근무 가능한 분", "용접 자격증 있는 신입", "서울 간호사 경력 2년 이상",
    "요양보호사 자격 있는 분 부산", "회계 사무 경력자 월 300만원 이하", "경기 물류 창고 관리 경력 1년 이상",
    "바리스타 주말 근무 가능", "웹 개발자 경력 5년 이상 대졸", "인천 전기기사 자격증", "조리사 경력 3년 대구",
)
"""Sentence searches timed beside posting searches (a mix of occupations, regions and conditions)."""


def measure_query_ms(repeats: int = 50) -> float | None:
    """Median milliseconds of one talent query end to end on the demo world, or None without it.

    Each query is what the 인재 추천 page runs: a posting search (load the posting, retrieve from the
    four sources, rank, build the cards: masked summaries, reasons with evidence, gaps, the hire
    probability and its factors), or a sentence search (parse it into chips and filters first). Half
    of the ``repeats`` are postings drawn with a fixed seed, half the sentences above, after a warm-up
    of each kind. Needs ``python -m app build`` on the configured database.

    Args:
        repeats: Queries timed after the warm-up.
    """
    from app.auth import User
    from app.config import get_settings
    from app.db.engine import make_engine
    from app.errors import NotReady
    from app.reference.tables import load_reference
    from app.services import talent

    settings = get_settings()
    try:
        matcher = talent.load_talent_matcher(Path(settings.models_dir))
    except NotReady:
        return None
    engine = make_engine(settings.db_url)
    reference = load_reference()
    staff = User("bench", "bench", "counsellor")
    rng = np.random.default_rng(0)
    postings = rng.choice(matcher.posting_ids, size=max(1, repeats // 2), replace=False)

    def by_posting(posting_id: int) -> None:
        talent.search_candidates(engine, matcher, staff, posting_id=int(posting_id), reference=reference)

    def by_sentence(sentence: str) -> None:
        query = talent.parse_talent_query(sentence, reference)
        talent.search_candidates(engine, matcher, staff, filters=talent.filters_from_query(query), reference=reference)

    by_posting(int(postings[0]))
    by_sentence(SENTENCES[0])
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        if i % 2:
            by_sentence(SENTENCES[(i // 2) % len(SENTENCES)])
        else:
            by_posting(int(postings[(i // 2) % len(postings)]))
        times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return float(np.median(times))


# ----------------------------------------------------------------------------- dense search


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[f >= 0]) & set(t[t >= 0])) / max(1, int((t >= 0).sum()))
                          for f, t in zip(found, truth, strict=True)]))


def _percentiles(times_ms: list[float]) -> dict[str, float]:
    p50, p95, p99 = np.percentile(times_ms, [50, 95, 99])
    return {"p50": round(float(p50), 3), "p95": round(float(p95), 3), "p99": round(float(p99), 3)}


def _time_single_queries(
    index: DenseIndex, queries: np.ndarray, allowed_ids: np.ndarray | None = None
) -> tuple[list[float], np.ndarray]:
    """Milliseconds of each query searched alone (as the app does), and the ids found."""
    for query in queries[:WARM_UP_QUERIES]:
        index.search(query, K, allowed_ids=allowed_ids)
    times, found = [], np.empty((len(queries), K), dtype=np.int64)
    for i, query in enumerate(queries):
        started = time.perf_counter()
        _, ids = index.search(query, K, allowed_ids=allowed_ids)
        times.append((time.perf_counter() - started) * 1000)
        found[i] = ids[0]
    return times, found


def _exact_ids(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray) -> np.ndarray:
    faiss.omp_set_num_threads(thread_count())
    _, rows = faiss.knn(queries, vectors, K, metric=faiss.METRIC_INNER_PRODUCT)
    return np.where(rows >= 0, ids[np.maximum(rows, 0)], -1)


def _restricted(index: DenseIndex, vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray,
                allowed: np.ndarray) -> dict[str, float]:
    times, found = _time_single_queries(index, queries, allowed)
    mask = np.isin(ids, allowed)
    truth = _exact_ids(vectors[mask], ids[mask], queries)
    leaked = int(np.count_nonzero(~np.isin(found[found >= 0], allowed)))
    return {"allowed": len(allowed), **_percentiles(times), "recall10": round(_recall(found, truth), 4),
            "ids_outside_allowed": leaked}


def measure_dense_search(n: int, dim: int, n_queries: int, seed: int) -> dict[str, object]:
    """Build the dense index over ``n`` seeded vectors and time single-query searches of it."""
    started = time.perf_counter()
    vectors = clustered_unit_vectors(n, dim, seed=seed + 1, mixture_seed=seed)
    queries = clustered_unit_vectors(n_queries, dim, seed=seed + 2, mixture_seed=seed)
    ids = np.arange(n, dtype=np.int64)
    generate_s = time.perf_counter() - started

    started = time.perf_counter()
    index = DenseIndex.build(vectors, ids, seed=seed)
    build_s = time.perf_counter() - started

    times, found = _time_single_queries(index, queries)
    started = time.perf_counter()
    truth = _exact_ids(vectors, ids, queries)
    exact_s = time.perf_counter() - started

    rng = np.random.default_rng(seed + 3)
    restricted = {
        "share_10pct": _restricted(index, vectors, ids, queries, rng.choice(ids, int(n * FILTER_SHARE), replace=False)),
        "small_5000": _restricted(index, vectors, ids, queries, rng.choice(ids, min(n, FILTER_SMALL), replace=False)),
    }
    with tempfile.TemporaryDirectory() as folder:
        files = index.save(Path(folder) / "bench_dense")
        file_mb = sum(f.stat().st_size for f in files) / 2**20
    return {
        "search_1m_p95_ms": _percentiles(times)["p95"],
        "search_1m_recall10": round(_recall(found, truth), 4),
        "index_1m_mb": round(index.memory_bytes() / 2**20, 1),
        "search": {**_percentiles(times), "queries": n_queries, "k": K, "threads": 1},
        "restricted": restricted,
        "index": {**index.describe(), "files_mb": round(file_mb, 1), "build_s": round(build_s, 1)},
        "data": {"n": n, "dim": dim, "seed": seed, "generator": "clustered_unit_vectors (2,000 anisotropic Gaussians)",
                 "vectors_mb": round(vectors.nbytes / 2**20, 1), "generate_s": round(generate_s, 1),
                 "exact_search_s": round(exact_s, 1)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="candidate vectors indexed")
    parser.add_argument("--dim", type=int, default=128, help="vector dimension (128 LSA; 384 sentence-transformers)")
    parser.add_argument("--queries", type=int, default=1_000, help="single queries timed (≥ 500 for a stable p95)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    query_ms = measure_query_ms()
    dense = measure_dense_search(args.n, args.dim, args.queries, args.seed)
    result = {
        "query_ms_median": None if query_ms is None else round(query_ms, 1),
        **dense,
        "note": None if query_ms is not None else
        "query_ms_median: not measured (run `python -m app build` first)",
        "machine": {"cores": os.cpu_count(), "threads": thread_count(),
                    "load_avg_before": [round(x, 2) for x in load_before],
                    "load_avg_after": [round(x, 2) for x in os.getloadavg()],
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
        "targets": TARGETS,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
