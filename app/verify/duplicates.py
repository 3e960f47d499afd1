"""Near-duplicate ads: MinHash signatures of character shingles, LSH banding, clusters.

Why not ``datasketch``: it hashes every shingle with a Python call (SHA-1 by default); 100,000
postings of ~900 characters are ~90 million shingles, far beyond the 60-second budget. Here the
shingles are hashed and min-hashed with numpy a chunk of ads at a time (a few seconds for 100,000
ads, memory bounded by the chunk), and LSH banding is a sort of band hashes. The method is the
standard one (Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3).

* Shingles: 5-character windows of the compact text (spaces and dots removed, NFKC, lower case),
  so re-spacing or re-punctuating an ad does not hide it.
* One-permutation MinHash with 64 bins and densification (:func:`signatures`): every shingle is
  hashed once instead of 64 times — 100,000 long ads in well under a minute; 16 bands × 4 rows —
  two ads
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
CHUNK = 1024
DEFAULT_THRESHOLD = 0.8
_MASK32 = np.uint64(0xFFFFFFFF)
_POWERS = np.array([pow(1_000_003, k, 2**64) for k in range(SHINGLE - 1, -1, -1)], dtype=np.uint64)


_DROP = str.maketrans("", "", "".join(SEPARATORS) + "\n")


def packed_text(text: str) -> str:
    """The compact text without newlines, built with C-speed string calls (no position map:
    shingles need none, and :func:`app.verify.normalize.compact`'s map would cost more)."""
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


_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier (odd 64-bit constant)
_BIN_BITS = 6  # 2^6 = 64 bins = NUM_PERM
_VALUE_MASK = np.uint64((1 << (32 - _BIN_BITS)) - 1)


def _seed_offset(seed: int) -> np.uint64:
    return np.uint64((seed * 0x632BE59BD9B4E019) % 2**64)


def signatures(texts: Iterable[str], *, seed: int = 1) -> np.ndarray:
    """One-permutation MinHash signatures (ads × 64, uint32) of texts, a chunk at a time.

    Each shingle is hashed once; its top 6 bits choose one of 64 bins and the rest is its value;
    a signature holds each bin's minimum (Li, Owen & Zhang 2012), and an empty bin borrows the
    next non-empty bin's value (rotation densification, Shrivastava & Li 2014), so two
    signatures agree in a position with probability equal to the Jaccard similarity — like 64
    independent hash functions, at a 64th of the cost.
    """
    offset = _seed_offset(seed)
    out: list[np.ndarray] = []
    chunk: list[np.ndarray] = []
    empty = np.uint32(np.iinfo(np.uint32).max)

    def flush() -> None:
        lengths = np.array([len(h) for h in chunk])
        owner = np.repeat(np.arange(len(chunk)), lengths)
        with np.errstate(over="ignore"):
            mixed = ((np.concatenate(chunk) ^ offset) * _MIX) >> np.uint64(32)
        bins = (mixed >> np.uint64(32 - _BIN_BITS)).astype(np.int64)
        values = (mixed & _VALUE_MASK).astype(np.uint32)
        sig = np.full(len(chunk) * NUM_PERM, empty, dtype=np.uint32)
        np.minimum.at(sig, owner * NUM_PERM + bins, values)
        out.append(_densify(sig.reshape(len(chunk), NUM_PERM), empty))
        chunk.clear()

    for text in texts:
        chunk.append(shingle_hashes(str(text)))
        if len(chunk) == CHUNK:
            flush()
    if chunk:
        flush()
    return np.vstack(out) if out else np.zeros((0, NUM_PERM), dtype=np.uint32)


def _densify(sig: np.ndarray, empty: np.uint32) -> np.ndarray:
    """Fill each empty bin from the next non-empty bin to its right (circularly), marking the
    distance so a borrowed value never equals a real one by accident."""
    missing = sig == empty
    if not missing.any():
        return sig
    out = sig.copy()
    for row in np.flatnonzero(missing.any(axis=1)):
        filled = np.flatnonzero(~missing[row])
        if len(filled) == 0:
            continue  # no shingle at all (an empty text)
        for b in np.flatnonzero(missing[row]):
            nxt = filled[np.searchsorted(filled, b) % len(filled)]
            distance = (nxt - b) % NUM_PERM
            out[row, b] = (int(sig[row, nxt]) + int(distance) * 2_654_435_761) & 0x03FFFFFF
    return out


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
