"""Dense-vector index for candidate retrieval: cosine top-k over unit vectors, optionally restricted.

One :class:`DenseIndex` holds L2-normalised float32 vectors (the talent encoder's 128-dim LSA
vectors, or 384-dim sentence-transformers vectors) with an integer id each, and answers "the ``k``
vectors of highest inner product (= cosine) with this query", optionally only among a given set of
ids (structured filters, opt-outs).

Which FAISS index (``kind="auto"``):

* below :data:`EXACT_MAX_ROWS` (100,000) rows: exact ``IndexFlatIP``. A single query scans 100k ×
  128 floats in a few milliseconds, so approximation buys nothing at the demo world's size.
* from there on: ``IVF<nlist>,SQfp16`` — an inverted file of ``nlist`` ≈ 2·√n k-means lists
  (rounded to a power of two; 2,048 at 1M), vectors stored as float16. Measured at 1M × 128 on
  clustered vectors (``bench/talent_speed.py``, one thread, a shared 2-core machine at load 4–7):
  recall@10 0.990 against exact search with ``nprobe=64``, p95 5.6–5.8 ms per query, 272 MiB
  (244 MiB of float16 codes; list ids, direct map and id maps the rest) — half of float32
  storage, whose recall is the same. 8-bit storage (``SQ8``, 128 MB) levelled off at recall 0.978
  however many lists were probed: too close to the 0.95 target to rely on for other data.
  HNSW was not chosen: its graph adds ~256 MB at 1M (M=32), building it on a shared 2-core machine
  takes many minutes, and a restricted search (a filter letting through a few percent of the
  candidates) loses recall on a graph, while an inverted file only needs to probe more lists.

``nprobe`` (lists probed per query) is calibrated when the index is built: :data:`CALIBRATION_QUERIES`
indexed vectors chosen with the seed are searched exactly and approximately, and the smallest
power-of-two ``nprobe`` whose recall@10 reaches :data:`CALIBRATION_RECALL` (0.99) is kept. The
margin above the 0.95 target is wide on purpose: fresh queries come out lower than indexed ones
(calibrated to 0.97, 1M × 128 picked ``nprobe=4`` and fresh queries reached 0.9497; calibrated to
0.99: 0.990 at 1M × 128 with ``nprobe=64``, 0.980 at 300k × 384 with ``nprobe=8``), while probing
more lists costs little (one list of ~500 float16 vectors takes microseconds). It can be changed
afterwards (:attr:`DenseIndex.nprobe`).

Restricted search (``allowed_ids``): FAISS's ``SearchParameters`` carry an ``IDSelectorBitmap``
(one bit per row, built in about a millisecond even for a million rows; an ``IDSelectorBatch``
would hash every allowed id on each query). An inverted file with a selector still only probes
``nprobe`` lists, so a small allowed set would mostly fall outside them and come back short or
wrong. Hence:

* at most :data:`READ_BACK_MAX` allowed rows: their stored vectors are read back and scored with
  one matrix product (exact; reading back costs a few microseconds a row, so beyond that a scan
  is cheaper);
* more: the selector search with ``nprobe`` scaled by ``rows / allowed`` (capped at ``nlist``), so
  about as many *allowed* vectors are scored as an unrestricted search scores vectors. Up to
  ``rows · nprobe / nlist`` allowed rows (≈ 31,000 of 1M at ``nprobe=64``) that means every list: exact search
  over the allowed set. An exact flat index always scans everything with the selector.

Internally FAISS numbers rows 0..n-1 (that is what the direct map of the inverted file and the
bitmap selector need); :attr:`DenseIndex.ids` maps rows to the caller's ids.

Threads: building uses :func:`app.threads.thread_count`; a search uses
:func:`app.threads.threads_for_rows` of its query count (one thread for one query: OpenMP start-up
on two busy cores costs more than a single query's scan).
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import faiss
import numpy as np

from app.errors import InvalidInput, NotReady
from app.ml.manifest import dump_object, load_object
from app.threads import thread_count, threads_for_rows

FORMAT_VERSION = "1"
KINDS: tuple[str, ...] = ("auto", "flat", "ivf")
STORAGES: dict[str, str] = {"fp16": "SQfp16", "sq8": "SQ8", "flat": "Flat"}
"""``storage`` of an inverted file → its FAISS factory code (float16, 8-bit scalar, float32)."""

EXACT_MAX_ROWS = 100_000
"""``kind="auto"`` builds an exact flat index below this many rows and an inverted file from it on."""
READ_BACK_MAX = 1_000
"""A restricted search over at most this many allowed rows reads their vectors back and scores them exactly."""
LISTS_PER_SQRT_N = 2
"""``nlist`` ≈ this × √n, rounded to a power of two."""
MIN_LISTS = 16
TRAIN_ROWS_PER_LIST = 64
MIN_TRAIN_ROWS_PER_LIST = 39
"""FAISS's k-means warns (and centroids come out poor) below this many training rows a list."""
"""k-means training sample per list (FAISS warns below 39; more than 256 it subsamples anyway)."""
CALIBRATION_QUERIES = 200
CALIBRATION_K = 10
CALIBRATION_RECALL = 0.99
"""Recall@10 the calibrated ``nprobe`` must reach on indexed vectors (target 0.95 on fresh queries)."""
ROW_TABLE_IDS_PER_ROW = 2
ROW_TABLE_SLACK = 1_000_000
"""Ids below ``2 · rows + 1M`` map to rows through a direct int32 table (≤ 12 MB at 1M rows);
sparser ids through a sorted copy and bisection (16 bytes a row)."""
NORM_TOLERANCE = 1e-3
CHECK_ROWS = 100_000
"""Rows checked at a time for finiteness and unit norm (bounded temporaries)."""
INDEX_SUFFIX = ".faiss"
META_SUFFIX = ".meta"
DEFAULT_SEED = 0


def _files(path: Path) -> tuple[Path, Path]:
    path = Path(path)
    return path.with_name(path.name + INDEX_SUFFIX), path.with_name(path.name + META_SUFFIX)


def _as_matrix(vectors: np.ndarray, what: str, dim: int | None = None) -> np.ndarray:
    """``vectors`` as a C-contiguous float32 matrix (no copy when it already is one), checked."""
    matrix = np.asarray(vectors)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        raise InvalidInput(f"{what}는 2차원 배열(행 = 벡터)이어야 합니다 (받은 모양: {np.shape(vectors)})")
    if dim is not None and matrix.shape[1] != dim:
        raise InvalidInput(f"{what}의 차원이 색인과 다릅니다 (색인 {dim}차원, 입력 {matrix.shape[1]}차원)")
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    # By chunks: a mask of a million 128-dim rows at once would be another 128 MB.
    if not all(np.isfinite(matrix[s : s + CHECK_ROWS]).all() for s in range(0, len(matrix), CHECK_ROWS)):
        raise InvalidInput(f"{what}에 NaN 또는 무한대 값이 있습니다")
    return matrix


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to norm 1 (in a copy, and only if some row is not unit already).

    A million 128-dim vectors are 512 MB, so already-normalised input is checked chunk by chunk and
    used as it is. All-zero rows (a candidate without any text) stay zero: they score 0 with every
    query and are found only when nothing else is allowed.
    """
    for start in range(0, len(matrix), CHECK_ROWS):
        norms = np.linalg.norm(matrix[start : start + CHECK_ROWS], axis=1)
        if np.any((np.abs(norms - 1.0) > NORM_TOLERANCE) & (norms > 0)):
            break
    else:
        return matrix
    matrix = matrix.copy()  # never scale the caller's array in place
    faiss.normalize_L2(matrix)
    return matrix


def _check_ids(ids: np.ndarray, n: int) -> np.ndarray:
    array = np.asarray(ids)
    if array.ndim != 1 or len(array) != n:
        raise InvalidInput(f"id 배열의 길이({array.size})가 벡터 수({n})와 다릅니다")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidInput("id는 정수여야 합니다")
    array = array.astype(np.int64, copy=True)
    if array.size and np.any(array < 0):
        raise InvalidInput("id는 0 이상의 정수여야 합니다 (-1은 '결과 없음' 표시에 쓰입니다)")
    if len(np.unique(array)) != len(array):
        raise InvalidInput("id가 중복되었습니다: 벡터마다 서로 다른 id가 필요합니다")
    return array


def _power_of_two_lists(n: int) -> int:
    """Default ``nlist``: ≈ 2·√n as a power of two, but never fewer than 39 training rows a list."""
    wanted = max(MIN_LISTS, 2 ** round(math.log2(LISTS_PER_SQRT_N * math.sqrt(n))))
    return max(1, min(wanted, n // MIN_TRAIN_ROWS_PER_LIST))


def _recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each truth row's ids (``-1`` excluded) found in the matching ``found`` row."""
    hits = [len(set(t[t >= 0]) & set(f[f >= 0])) / max(1, int((t >= 0).sum())) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits)) if hits else 1.0


class DenseIndex:
    """Top-k inner-product search over unit vectors with integer ids; see the module notes.

    Build with :meth:`build`, persist with :meth:`save` / :meth:`load`. Searching is read-only and
    may run from several threads at once; changing :attr:`nprobe` is not synchronised.

    Args:
        index: FAISS index numbering its rows 0..n-1 (an ``IndexFlatIP`` or an inner-product
            ``IndexIVF`` with an array direct map).
        ids: Caller's id of each row.
        nprobe: Lists probed per query (inverted file only).
    """

    def __init__(self, index: faiss.Index, ids: np.ndarray, *, nprobe: int = 1) -> None:
        if index.ntotal != len(ids):
            raise NotReady("밀집 벡터 색인과 id 목록의 개수가 다릅니다. 색인을 다시 만드세요.")
        if index.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise NotReady("밀집 벡터 색인은 내적(METRIC_INNER_PRODUCT) 색인이어야 합니다. 색인을 다시 만드세요.")
        self.index = index
        self.ids = np.asarray(ids, dtype=np.int64)
        self._ivf = faiss.try_extract_index_ivf(index)
        self.nprobe = int(nprobe)
        # id → row for restricted searches, built once: a direct table when the ids are compact
        # (one gather per allowed id), else a sorted copy of the ids searched by bisection.
        if len(self.ids) >= np.iinfo(np.int32).max:
            raise NotReady("밀집 벡터 색인의 행이 너무 많습니다 (최대 21억 행).")
        self._row_table: np.ndarray | None = None
        self._order = self._sorted_ids = np.empty(0, dtype=np.int64)
        top = int(self.ids.max()) + 1 if len(self.ids) else 0
        if top <= ROW_TABLE_IDS_PER_ROW * len(self.ids) + ROW_TABLE_SLACK:
            self._row_table = np.full(top, -1, dtype=np.int32)
            self._row_table[self.ids] = np.arange(len(self.ids))
        else:
            self._order = np.argsort(self.ids, kind="stable")
            self._sorted_ids = self.ids[self._order]

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        ids: np.ndarray,
        *,
        kind: str = "auto",
        storage: str = "fp16",
        nlist: int | None = None,
        nprobe: int | None = None,
        seed: int = DEFAULT_SEED,
    ) -> DenseIndex:
        """Index ``vectors`` (one row per id) for cosine search.

        Args:
            vectors: ``(n, dim)`` matrix; float32 C-contiguous unit rows are used without a copy,
                other rows are normalised in a copy. Must be finite.
            ids: ``n`` distinct non-negative integer ids, one per row.
            kind: ``"auto"`` (exact below :data:`EXACT_MAX_ROWS` rows, else inverted file),
                ``"flat"`` (always exact) or ``"ivf"`` (always an inverted file).
            storage: Vector storage of an inverted file: ``"fp16"`` (default), ``"sq8"`` or ``"flat"``.
            nlist: Number of inverted lists (default ≈ 2·√n, a power of two).
            nprobe: Lists probed per query; default calibrated to :data:`CALIBRATION_RECALL`.
            seed: Seed of the training sample and the calibration queries.

        Raises:
            InvalidInput: For an empty or non-finite matrix, mismatched ids, or an unknown kind.
        """
        if kind not in KINDS:
            raise InvalidInput(f"색인 종류는 {', '.join(KINDS)} 중 하나여야 합니다 (입력값: '{kind}')")
        if storage not in STORAGES:
            raise InvalidInput(f"저장 방식은 {', '.join(STORAGES)} 중 하나여야 합니다 (입력값: '{storage}')")
        matrix = _unit_rows(_as_matrix(vectors, "색인할 벡터"))
        n, dim = matrix.shape
        if n == 0:
            raise InvalidInput("색인할 벡터가 없습니다")
        row_ids = _check_ids(ids, n)
        faiss.omp_set_num_threads(thread_count())
        if kind == "flat" or (kind == "auto" and n < EXACT_MAX_ROWS):
            index = faiss.IndexFlatIP(dim)
            index.add(matrix)
            return cls(index, row_ids)
        lists = int(nlist) if nlist else _power_of_two_lists(n)
        lists = max(1, min(lists, n))
        rng = np.random.default_rng(seed)
        index = faiss.index_factory(dim, f"IVF{lists},{STORAGES[storage]}", faiss.METRIC_INNER_PRODUCT)
        sample_size = min(n, TRAIN_ROWS_PER_LIST * lists)
        sample = matrix[np.sort(rng.choice(n, sample_size, replace=False))] if sample_size < n else matrix
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.seed = int(seed)
        index.train(sample)
        del sample
        index.add(matrix)
        # Rows are numbered 0..n-1, so an array direct map (8 bytes a row) reads any row back:
        # exact scoring of a small allowed subset.
        ivf.make_direct_map(True)
        built = cls(index, row_ids, nprobe=nprobe or 1)
        if nprobe is None:
            built.nprobe = built._calibrated_nprobe(matrix, rng)
        return built

    def _calibrated_nprobe(self, matrix: np.ndarray, rng: np.random.Generator) -> int:
        """Smallest power-of-two ``nprobe`` reaching :data:`CALIBRATION_RECALL` on indexed rows."""
        n = len(matrix)
        rows = np.sort(rng.choice(n, min(n, CALIBRATION_QUERIES), replace=False))
        queries = matrix[rows]
        k = min(n - 1, CALIBRATION_K)
        if k < 1:
            return 1
        faiss.omp_set_num_threads(thread_count())
        _, exact = faiss.knn(queries, matrix, k + 1, metric=faiss.METRIC_INNER_PRODUCT)
        truth = np.array([[r for r in found if r != row][:k] for found, row in zip(exact, rows, strict=True)])
        nlist = self._ivf.nlist
        probe = 1
        while True:
            _, approx = self.index.search(queries, k + 1, params=faiss.SearchParametersIVF(nprobe=probe))
            found = np.array([[r for r in hits if r != row][:k] for hits, row in zip(approx, rows, strict=True)])
            if probe >= nlist or _recall_at(found, truth) >= CALIBRATION_RECALL:
                return min(probe, nlist)
            probe *= 2

    # ------------------------------------------------------------------ properties

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

    @property
    def kind(self) -> str:
        """``"flat"`` (exact) or ``"ivf"`` (inverted file)."""
        return "flat" if self._ivf is None else "ivf"

    @property
    def nlist(self) -> int:
        """Inverted lists (0 for an exact index)."""
        return 0 if self._ivf is None else int(self._ivf.nlist)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def describe(self) -> dict[str, object]:
        """Kind, size and search parameters, for manifests and benches."""
        return {"kind": self.kind, "rows": len(self), "dim": self.dim, "nlist": self.nlist,
                "nprobe": self.nprobe if self._ivf is not None else None,
                "factory": self._factory_name(), "memory_mb": round(self.memory_bytes() / 2**20, 1)}

    def _factory_name(self) -> str:
        """FAISS factory string of the index (``Flat``, ``IVF2048,SQfp16`` …)."""
        if self._ivf is None:
            return "Flat"
        ivf = faiss.downcast_index(self._ivf)
        if isinstance(ivf, faiss.IndexIVFScalarQuantizer):
            codes = {faiss.ScalarQuantizer.QT_fp16: "SQfp16", faiss.ScalarQuantizer.QT_8bit: "SQ8"}
            return f"IVF{self.nlist},{codes.get(ivf.sq.qtype, 'SQ')}"
        return f"IVF{self.nlist},Flat"

    def memory_bytes(self) -> int:
        """Bytes the index holds in memory: stored vectors, list ids, centroids, direct map and id maps."""
        table = 0 if self._row_table is None else self._row_table.nbytes
        own = self.ids.nbytes + self._order.nbytes + self._sorted_ids.nbytes + table
        if self._ivf is None:
            return own + len(self) * self.index.code_size
        invlists = self._ivf.invlists
        entries = sum(invlists.list_size(i) for i in range(self._ivf.nlist))
        per_entry = self._ivf.code_size + np.dtype(np.int64).itemsize
        centroids = self._ivf.nlist * self.dim * np.dtype(np.float32).itemsize
        direct_map = self._ivf.direct_map.array.size() * np.dtype(np.int64).itemsize
        return own + entries * per_entry + centroids + direct_map

    # ------------------------------------------------------------------ searching

    def search(
        self, queries: np.ndarray, k: int, *, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` indexed vectors of highest cosine with each query, best first.

        Args:
            queries: ``(nq, dim)`` matrix or one ``(dim,)`` vector; rows are normalised here, so
                any non-zero scale works.
            k: Results per query (≥ 1).
            allowed_ids: When given, only these ids may be returned (ids not in the index are
                ignored). An empty set gives no results.

        Returns:
            ``(scores, ids)``, both ``(nq, k)``: cosine scores (float32) and ids (int64). When fewer
            than ``k`` rows are allowed, the rest of a row is padded with score ``-inf`` and id ``-1``.

        Raises:
            InvalidInput: Wrong dimension, NaN/infinite or all-zero query, or ``k`` < 1.
        """
        matrix = _as_matrix(queries, "검색 벡터", self.dim).copy()
        norms = np.linalg.norm(matrix, axis=1)
        if np.any(norms == 0):
            raise InvalidInput("검색 벡터가 0벡터입니다: 비교할 내용이 없습니다")
        matrix /= norms[:, None]
        if int(k) < 1:
            raise InvalidInput(f"k는 1 이상이어야 합니다 (입력값: {k})")
        k = int(k)
        faiss.omp_set_num_threads(threads_for_rows(len(matrix)))
        if allowed_ids is None:
            params = faiss.SearchParametersIVF(nprobe=self.nprobe) if self._ivf is not None else None
            return self._finish(*self.index.search(matrix, k, params=params))
        allowed = self._allowed_rows_mask(allowed_ids)
        n_allowed = int(np.count_nonzero(allowed))
        if n_allowed <= READ_BACK_MAX:
            return self._search_rows_exactly(matrix, k, np.flatnonzero(allowed))
        selector = faiss.IDSelectorBitmap(np.packbits(allowed, bitorder="little"))
        if self._ivf is None:
            params = faiss.SearchParameters(sel=selector)
        else:
            # Probe more lists the fewer rows are allowed, so about as many allowed vectors are scored.
            scaled = math.ceil(self.nprobe * len(self) / n_allowed)
            params = faiss.SearchParametersIVF(sel=selector, nprobe=min(self.nlist, scaled))
        return self._finish(*self.index.search(matrix, k, params=params))

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Sorted distinct index rows of the given ids (ids not in the index are dropped)."""
        return np.flatnonzero(self._allowed_rows_mask(ids))

    def _allowed_rows_mask(self, ids: np.ndarray) -> np.ndarray:
        """One bool per index row: is its id among ``ids``? (No sort of ``ids``: 100k allowed
        ids of a million rows map in a few milliseconds.)"""
        wanted = np.asarray(ids).ravel().astype(np.int64, copy=False)
        mask = np.zeros(len(self), dtype=bool)
        if wanted.size == 0 or len(self) == 0:
            return mask
        if self._row_table is not None:
            wanted = wanted[(wanted >= 0) & (wanted < len(self._row_table))]
            rows = self._row_table[wanted]
            mask[rows[rows >= 0]] = True
            return mask
        at = np.minimum(np.searchsorted(self._sorted_ids, wanted), len(self._sorted_ids) - 1)
        mask[self._order[at[self._sorted_ids[at] == wanted]]] = True
        return mask

    def _search_rows_exactly(self, queries: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k among ``rows``: their stored vectors read back and scored with one product."""
        nq = len(queries)
        scores = np.full((nq, k), -np.inf, dtype=np.float32)
        found = np.full((nq, k), -1, dtype=np.int64)
        if len(rows) == 0:
            return scores, found
        stored = self.index.reconstruct_batch(rows)
        all_scores = queries @ stored.T
        take = min(k, len(rows))
        top = np.argpartition(-all_scores, take - 1, axis=1)[:, :take] if take < len(rows) else np.tile(
            np.arange(len(rows)), (nq, 1))
        top_scores = np.take_along_axis(all_scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        scores[:, :take] = np.take_along_axis(top_scores, order, axis=1)
        found[:, :take] = self.ids[rows[np.take_along_axis(top, order, axis=1)]]
        return scores, found

    def _finish(self, scores: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """FAISS rows → caller ids; FAISS's padding (row -1, score -3.4e38) → id -1, score -inf."""
        missing = rows < 0
        ids = np.where(missing, -1, self.ids[np.where(missing, 0, rows)])
        scores = np.where(missing, -np.inf, scores).astype(np.float32)
        return scores, ids.astype(np.int64)

    # ------------------------------------------------------------------ files

    def save(self, path: Path) -> tuple[Path, Path]:
        """Write ``<path>.faiss`` (the FAISS index) and ``<path>.meta`` (ids, nprobe), each atomically.

        Returns:
            The two files written.
        """
        index_file, meta_file = _files(path)
        index_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=index_file.parent, prefix=f".{index_file.name}-", suffix=".tmp")
        os.close(fd)
        try:
            faiss.write_index(self.index, tmp)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; the app server may run as another user
            os.replace(tmp, index_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dump_object({"format": FORMAT_VERSION, "ids": self.ids, "nprobe": self.nprobe}, meta_file)
        return index_file, meta_file

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index written by :meth:`save` (only our own files: the metadata is unpickled).

        Raises:
            NotReady: When a file is missing or of another format version.
        """
        index_file, meta_file = _files(path)
        if not index_file.exists() or not meta_file.exists():
            raise NotReady(f"밀집 벡터 색인 파일이 없습니다 ({index_file.name}). `python -m app build`를 실행하세요.")
        meta = load_object(meta_file)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
            raise NotReady("밀집 벡터 색인이 이전 형식입니다. `python -m app build --force`로 다시 만드세요.")
        return cls(faiss.read_index(str(index_file)), meta["ids"], nprobe=int(meta["nprobe"]))
