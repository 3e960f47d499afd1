"""Near-duplicate ads: MinHash signatures of character shingles, LSH banding, clusters.

Why not ``datasketch``: it hashes every shingle with a Python call (SHA-1 by default); 100,000
postings of ~900 characters are ~90 million shingles, far beyond the 60-second budget. Here the
shingles are hashed and min-hashed with numpy a chunk of ads at a time (a few seconds for 100,000
ads, memory bounded by the chunk), and LSH banding is a sort of band hashes. The method is the
standard one (Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3).

* Shingles: 5-character windows of the compact text (spaces and dots removed, NFKC, lower case),
  so re-spacing or re-punctuating an ad does not hide it.
* 64 multiply-shift hash functions ``(a·x + b) mod 2^64 >> 32`` (Dietzfelbinger et al. 1997: a
  universal family with no modulo, which numpy computes twice as fast) over 32-bit shingle
  hashes; 16 bands × 4 rows — two ads
  become candidates with probability ≥ 0.99 at Jaccard 0.8 and ≤ 0.1 at Jaccard 0.3.
* Candidates are confirmed with the signature agreement (an unbiased Jaccard estimate) ≥ the
  threshold (0.8 by default) and joined into clusters (connected components).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from app.verify.normalize import SEPARATORS

SHINGLE = 5
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
CHUNK = 256
DEFAULT_THRESHOLD = 0.8
_MASK32 = np.uint64(0xFFFFFFFF)
_POWERS = np.array([pow(1_000_003, k, 2**64) for k in range(SHINGLE - 1, -1, -1)], dtype=np.uint64)


def _permutations(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
    b = rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
    return a, b


_DROP = str.maketrans("", "", "".join(SEPARATORS) + "\n")


def packed_text(text: str) -> str:
    """The compact text without newlines, built with C-speed string calls (no position map:
    shingles need none, and :func:`app.verify.normalize.compact`'s per-character loop would
    dominate a 100,000-ad run)."""
    return unicodedata.normalize("NFKC", text).lower().translate(_DROP)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the 5-character shingles of the compact text (unique, uint64)."""
    packed = packed_text(text)
    codes = np.frombuffer(packed.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        codes = np.concatenate([codes, np.zeros(SHINGLE - len(codes), dtype=np.uint64)])
    windows = np.lib.stride_tricks.sliding_window_view(codes, SHINGLE)
    # polynomial hash (wraps modulo 2^64), folded to 32 bits
    hashed = (windows * _POWERS).sum(axis=1, dtype=np.uint64)
    return np.unique((hashed ^ (hashed >> np.uint64(32))) & _MASK32)


def signatures(texts: Iterable[str], *, seed: int = 1) -> np.ndarray:
    """MinHash signatures (ads × 64, uint32) of texts, a chunk at a time (bounded memory)."""
    a, b = _permutations(seed)
    out: list[np.ndarray] = []
    chunk: list[np.ndarray] = []

    def flush() -> None:
        lengths = np.array([len(h) for h in chunk])
        allh = np.concatenate(chunk)
        with np.errstate(over="ignore"):  # the products wrap modulo 2^64 on purpose
            values = (allh[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        out.append(np.minimum.reduceat(values, starts, axis=0).astype(np.uint32))
        chunk.clear()

    for text in texts:
        chunk.append(shingle_hashes(str(text)))
        if len(chunk) == CHUNK:
            flush()
    if chunk:
        flush()
    return np.vstack(out) if out else np.zeros((0, NUM_PERM), dtype=np.uint32)


def candidate_pairs(sig: np.ndarray) -> np.ndarray:
    """Pairs (i < j) that share at least one LSH band (unique rows of an ``(n, 2)`` array)."""
    pairs: list[np.ndarray] = []
    for band in range(BANDS):
        key = _band_keys(sig, band)
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
        for group in np.split(order, boundaries):
            if 1 < len(group) <= 200:  # a bucket of hundreds is boilerplate, not a duplicate
                g = np.sort(group)
                i, j = np.triu_indices(len(g), k=1)
                pairs.append(np.column_stack([g[i], g[j]]))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.vstack(pairs), axis=0)


@dataclass(frozen=True)
class DuplicateClusters:
    """Clusters of near-duplicate ads.

    Attributes:
        labels: Cluster number per ad (``-1`` when it has no duplicate).
        pairs: Confirmed pairs ``i, j, similarity`` (positions in the input).
    """

    labels: np.ndarray
    pairs: pd.DataFrame

    def clusters(self) -> list[np.ndarray]:
        """Positions of the ads of each cluster."""
        return [np.flatnonzero(self.labels == c) for c in np.unique(self.labels[self.labels >= 0])]


def find_duplicates(texts: Sequence[str], *, threshold: float = DEFAULT_THRESHOLD, seed: int = 1) -> DuplicateClusters:
    """Clusters of ads whose estimated Jaccard similarity of shingles is at least ``threshold``."""
    sig = signatures(texts, seed=seed)
    return clusters_from_signatures(sig, threshold=threshold)


def clusters_from_signatures(sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD) -> DuplicateClusters:
    """:func:`find_duplicates` from signatures computed beforehand (e.g. stored with the index)."""
    n = len(sig)
    pairs = candidate_pairs(sig)
    if len(pairs):
        similarity = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
        keep = similarity >= threshold
        pairs, similarity = pairs[keep], similarity[keep]
    else:
        similarity = np.zeros(0)
    labels = np.full(n, -1, dtype=np.int64)
    if len(pairs):
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        _, components = connected_components(graph, directed=False)
        members = np.zeros(n, dtype=bool)
        members[pairs.ravel()] = True
        # renumber the components that have duplicates 0, 1, 2 … in order of their first ad
        first_seen: dict[int, int] = {}
        for i in np.flatnonzero(members):
            labels[i] = first_seen.setdefault(int(components[i]), len(first_seen))
    frame = pd.DataFrame({"i": pairs[:, 0] if len(pairs) else [], "j": pairs[:, 1] if len(pairs) else [],
                          "similarity": similarity})
    return DuplicateClusters(labels=labels, pairs=frame.astype({"i": int, "j": int}))


def similarity_to(sig: np.ndarray, one: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature to each row of ``sig``."""
    return (sig == one[None, :]).mean(axis=1)


class DuplicateIndex:
    """LSH buckets of stored ads' signatures, for checking new ads against them.

    Args:
        sig: Signatures of the stored ads (``signatures``).
        ids: Their ids (same order).
        owners: Their employer (or recruiter) keys, to tell re-posting from copying.
    """

    def __init__(self, sig: np.ndarray, ids: Sequence[str], owners: Sequence[str]) -> None:
        self.sig = np.asarray(sig, dtype=np.uint32)
        self.ids = np.asarray([str(i) for i in ids], dtype=object)
        self.owners = np.asarray([str(o) for o in owners], dtype=object)
        self._buckets: list[dict[int, list[int]]] = []
        for band in range(BANDS):
            buckets: dict[int, list[int]] = {}
            for row, key in enumerate(_band_keys(self.sig, band)):
                buckets.setdefault(int(key), []).append(row)
            self._buckets.append(buckets)

    def __len__(self) -> int:
        return len(self.ids)

    def query(self, sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD, exclude: str | None = None) -> pd.DataFrame:
        """Stored ads similar to each signature in ``sig`` (rows × 64).

        Returns:
            ``row`` (position in ``sig``), ``id``, ``owner``, ``similarity`` ≥ ``threshold``;
            ``exclude`` (an ad's own id) is left out.
        """
        sig = np.atleast_2d(np.asarray(sig, dtype=np.uint32))
        rows = []
        for band in range(BANDS):
            for r, key in enumerate(_band_keys(sig, band)):
                for hit in self._buckets[band].get(int(key), ()):
                    rows.append((r, hit))
        if not rows:
            return pd.DataFrame(columns=["row", "id", "owner", "similarity"])
        pairs = np.unique(np.array(rows), axis=0)
        similarity = (sig[pairs[:, 0]] == self.sig[pairs[:, 1]]).mean(axis=1)
        frame = pd.DataFrame({"row": pairs[:, 0], "id": self.ids[pairs[:, 1]], "owner": self.owners[pairs[:, 1]],
                              "similarity": similarity})
        frame = frame[frame["similarity"] >= threshold]
        if exclude is not None:
            frame = frame[frame["id"] != str(exclude)]
        return frame.sort_values(["row", "similarity"], ascending=[True, False]).reset_index(drop=True)


def _band_keys(sig: np.ndarray, band: int) -> np.ndarray:
    block = sig[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
    key = block[:, 0]
    with np.errstate(over="ignore"):
        for r in range(1, ROWS):
            key = key * np.uint64(4_294_967_291) + block[:, r]
    return key
