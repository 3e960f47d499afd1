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

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from app.verify.normalize import SEPARATORS, content_length

SHINGLE = 5
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
CHUNK = 1024
PAIR_BLOCK = 65_536
"""Candidate pairs confirmed at a time: two 64-bin signatures each, ~32 MB however many pairs."""
MAX_BUCKET = 200
"""A band bucket with more ads than this is boilerplate, not a duplicate (its pairs are skipped)."""
QUERY_PAIRS = 1 << 20
"""Candidate (new ad, stored ad) pairs a stored-index lookup gathers at a time (~16 MB)."""
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
            if 1 < len(group) <= MAX_BUCKET:  # a bucket of hundreds is boilerplate, not a duplicate
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
        table = ClusterTable.from_labels(self.labels)
        return [table.positions(c).copy() for c in range(len(table))]


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


def cluster_labels(sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """The ``labels`` of :func:`clusters_from_signatures`, in memory linear in the number of ads.

    A staffing agency that posts one template thousands of times makes every ad a candidate of
    up to 16 × 199 others; listing and confirming all those pairs at once took gigabytes. Here the
    pairs are made a bucket at a time and confirmed :data:`PAIR_BLOCK` at a time, and only the
    components are kept (each ad points to the first ad of its component), so a pair whose ads are
    already connected is not even compared. The components — and so the labels — are those of
    the graph of confirmed pairs, numbered 0, 1, 2 … in order of their first ad.
    """
    n = len(sig)
    root = np.arange(n)
    pending: list[np.ndarray] = []
    pending_pairs = 0
    for band in range(BANDS):
        key = _band_keys(sig, band)
        order = np.argsort(key, kind="stable")
        boundaries = np.flatnonzero(np.diff(key[order])) + 1
        starts = np.concatenate([[0], boundaries])
        ends = np.concatenate([boundaries, [n]])
        sizes = ends - starts
        for start, end in zip(starts[(sizes > 1) & (sizes <= MAX_BUCKET)], ends[(sizes > 1) & (sizes <= MAX_BUCKET)],
                              strict=True):
            group = np.sort(order[start:end])
            i, j = np.triu_indices(len(group), k=1)
            unjoined = root[group[i]] != root[group[j]]
            if unjoined.any():
                pending.append(np.column_stack([group[i][unjoined], group[j][unjoined]]))
                pending_pairs += int(unjoined.sum())
            if pending_pairs >= PAIR_BLOCK:
                root = _join_confirmed(sig, root, np.vstack(pending), threshold)
                pending, pending_pairs = [], 0
    if pending:
        root = _join_confirmed(sig, root, np.vstack(pending), threshold)
    members = np.bincount(root, minlength=n)[root] > 1
    labels = np.full(n, -1, dtype=np.int64)
    # roots are each component's first ad: numbering the sorted roots numbers them by first ad
    roots = np.unique(root[members])
    labels[members] = np.searchsorted(roots, root[members])
    return labels


def _join_confirmed(sig: np.ndarray, root: np.ndarray, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """``root`` after joining the components of the pairs whose signatures agree ≥ ``threshold``."""
    pairs = pairs[root[pairs[:, 0]] != root[pairs[:, 1]]]
    confirmed = [block[(sig[block[:, 0]] == sig[block[:, 1]]).mean(axis=1) >= threshold]
                 for block in (pairs[k:k + PAIR_BLOCK] for k in range(0, len(pairs), PAIR_BLOCK))]
    edges = np.vstack(confirmed) if confirmed else np.zeros((0, 2), dtype=np.int64)
    if not len(edges):
        return root
    n = len(root)
    # the forest so far (ad → its root) plus the new edges: O(n) edges, whatever the cluster sizes
    rows = np.concatenate([np.arange(n), edges[:, 0]])
    cols = np.concatenate([root, edges[:, 1]])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    first = np.full(component.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, component, np.arange(n))
    return first[component]


@dataclass(frozen=True, eq=False)
class ClusterTable:
    """Duplicate clusters of a batch, each stored once: memory O(ads) however large a cluster is.

    Rows refer to their cluster by number; a cluster is its size and its members' positions
    (the first is its representative), never a list of the others per member.

    Attributes:
        labels: Cluster number per ad (``-1``: no duplicate), as :func:`cluster_labels` gives.
        members: Positions of the clustered ads grouped by cluster, ascending within a cluster.
        starts: Cluster ``c``'s members are ``members[starts[c]:starts[c + 1]]``.
    """

    labels: np.ndarray
    members: np.ndarray
    starts: np.ndarray

    @classmethod
    def from_labels(cls, labels: np.ndarray) -> ClusterTable:
        """The table of cluster numbers per ad (``-1`` for none)."""
        labels = np.asarray(labels, dtype=np.int64)
        clustered = np.flatnonzero(labels >= 0)
        members = clustered[np.argsort(labels[clustered], kind="stable")]
        count = int(labels.max()) + 1 if len(clustered) else 0
        starts = np.concatenate([[0], np.cumsum(np.bincount(labels[clustered], minlength=count))])
        return cls(labels=labels, members=members, starts=starts.astype(np.int64))

    @classmethod
    def of(cls, sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD) -> ClusterTable:
        """The clusters of signatures (:func:`cluster_labels`)."""
        return cls.from_labels(cluster_labels(sig, threshold=threshold))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def cluster_of(self, position: int) -> int | None:
        """The cluster of the ad at ``position`` (``None``: it has no duplicate)."""
        label = int(self.labels[position])
        return None if label < 0 else label

    def size(self, cluster: int) -> int:
        """Number of ads in ``cluster``."""
        return int(self.starts[cluster + 1] - self.starts[cluster])

    def representative(self, cluster: int) -> int:
        """Position of the first ad of ``cluster``."""
        return int(self.members[self.starts[cluster]])

    def positions(self, cluster: int) -> np.ndarray:
        """Positions of the ads of ``cluster``, ascending (a view: no copy)."""
        return self.members[self.starts[cluster]:self.starts[cluster + 1]]

    def others(self, position: int, limit: int) -> np.ndarray:
        """Up to ``limit`` positions of the other ads of ``position``'s cluster, ascending."""
        cluster = self.cluster_of(position)
        if cluster is None:
            return self.members[:0]
        ahead = self.positions(cluster)[:limit + 1]
        return ahead[ahead != position][:limit]


def similarity_to(sig: np.ndarray, one: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature to each row of ``sig``."""
    return (sig == one[None, :]).mean(axis=1)


class DuplicateIndex:
    """LSH buckets of stored ads' signatures, for checking new ads against them.

    Each band is a sorted array of the stored ads' band keys (a lookup is a binary search), built
    from the signatures when first needed and never pickled: 16 × 16 bytes per stored ad, where a
    dict of lists per band took several times that. An index pickled with those dicts loads
    without them.

    Args:
        sig: Signatures of the stored ads (``signatures``).
        ids: Their ids (same order).
        owners: Their employer (or recruiter) keys, to tell re-posting from copying.
    """

    def __init__(self, sig: np.ndarray, ids: Sequence[str], owners: Sequence[str]) -> None:
        self.sig = np.asarray(sig, dtype=np.uint32)
        self.ids = np.asarray([str(i) for i in ids], dtype=object)
        self.owners = np.asarray([str(o) for o in owners], dtype=object)
        self._bands: list[tuple[np.ndarray, np.ndarray]] | None = None

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_bands"] = None  # rebuilt from the signatures in a second after loading
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        state = dict(state)
        state.pop("_buckets", None)  # the bucket dicts of indexes pickled before the sorted bands
        state.setdefault("_bands", None)
        self.__dict__.update(state)

    def __len__(self) -> int:
        return len(self.ids)

    def _sorted_bands(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per band: the stored ads' keys sorted, and the stored positions in that order."""
        if self._bands is None:
            bands = []
            for band in range(BANDS):
                key = _band_keys(self.sig, band)
                order = np.argsort(key, kind="stable")
                bands.append((key[order], order))
            self._bands = bands
        return self._bands

    def query(self, sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD, exclude: str | None = None) -> pd.DataFrame:
        """Stored ads similar to each signature in ``sig`` (rows × 64).

        Returns:
            ``row`` (position in ``sig``), ``id``, ``owner``, ``similarity`` ≥ ``threshold``, by row
            and decreasing similarity; ``exclude`` (an ad's own id) is left out.
        """
        parts = list(self.matches(sig, threshold=threshold, exclude=exclude))
        if not parts:
            return pd.DataFrame({"row": np.zeros(0, dtype=np.int64), "id": self.ids[:0], "owner": self.owners[:0],
                                 "similarity": np.zeros(0)})
        return pd.concat(parts, ignore_index=True)

    def matches(self, sig: np.ndarray, *, threshold: float = DEFAULT_THRESHOLD,
                exclude: str | None = None) -> Iterator[pd.DataFrame]:
        """:meth:`query` in pieces of consecutive rows, each holding at most ~:data:`QUERY_PAIRS`
        candidate pairs (one row's candidates at least): memory stays bounded when many new ads
        fall into the bucket of a template posted thousands of times. Empty pieces are skipped."""
        sig = np.atleast_2d(np.asarray(sig, dtype=np.uint32))
        if not len(self.ids):
            return
        bands = self._sorted_bands()
        for offset in range(0, len(sig), CHUNK):
            block = sig[offset:offset + CHUNK]
            spans = []
            for band, (keys, _) in enumerate(bands):
                wanted = _band_keys(block, band)
                spans.append((np.searchsorted(keys, wanted, "left"), np.searchsorted(keys, wanted, "right")))
            per_row = np.sum([high - low for low, high in spans], axis=0)
            first = 0
            while first < len(block):
                # the longest run of rows from `first` within the budget (at least one row)
                within = np.searchsorted(np.cumsum(per_row[first:]), QUERY_PAIRS, "right")
                last = first + max(int(within), 1)
                piece = self._confirmed(block, bands, spans, first, last, threshold, exclude)
                if len(piece):
                    piece["row"] += offset
                    yield piece
                first = last

    def _confirmed(self, block: np.ndarray, bands: list[tuple[np.ndarray, np.ndarray]],
                   spans: list[tuple[np.ndarray, np.ndarray]], first: int, last: int, threshold: float,
                   exclude: str | None) -> pd.DataFrame:
        """Candidates of ``block[first:last]`` that pass ``threshold`` (rows relative to ``block``)."""
        rows_parts, hit_parts = [], []
        for (_, order), (low, high) in zip(bands, spans, strict=True):
            counts = (high - low)[first:last]
            total = int(counts.sum())
            if not total:
                continue
            within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            rows_parts.append(np.repeat(np.arange(first, last), counts))
            hit_parts.append(order[np.repeat(low[first:last], counts) + within])
        if not rows_parts:
            return pd.DataFrame(columns=["row", "id", "owner", "similarity"])
        stored = np.int64(len(self.ids))
        # unique (row, stored ad) pairs in (row, stored position) order
        code = np.unique(np.concatenate(rows_parts).astype(np.int64) * stored + np.concatenate(hit_parts))
        rows, hits = code // stored, code % stored
        similarity = np.concatenate([
            (block[rows[k:k + PAIR_BLOCK]] == self.sig[hits[k:k + PAIR_BLOCK]]).mean(axis=1)
            for k in range(0, len(code), PAIR_BLOCK)
        ])
        keep = similarity >= threshold
        rows, hits, similarity = rows[keep], hits[keep], similarity[keep]
        if exclude is not None:
            other = self.ids[hits] != str(exclude)
            rows, hits, similarity = rows[other], hits[other], similarity[other]
        order = np.lexsort((-similarity, rows))  # by row, then decreasing similarity; ties keep stored order
        return pd.DataFrame({"row": rows[order], "id": self.ids[hits[order]], "owner": self.owners[hits[order]],
                             "similarity": similarity[order]})


def _band_keys(sig: np.ndarray, band: int) -> np.ndarray:
    block = sig[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
    key = block[:, 0]
    with np.errstate(over="ignore"):
        for r in range(1, ROWS):
            key = key * np.uint64(4_294_967_291) + block[:, r]
    return key


MIN_POSITION_CHARS = 30
"""Letters and digits an ad's position sections need besides the title for a duplicate check:
fewer tell nothing about the position ("직무내용: - / 경력조건: 경력 5년 / 학력무관"), and two such
field-only ads of different employers look identical (hand labels: not the same position)."""


def position_signatures(ads: Iterable[tuple[str, str]], *, seed: int = 1) -> np.ndarray:
    """MinHash signatures of what identifies each ad's *position* — the duplicate signal — from
    ``(title, body)`` pairs read one at a time (a file's ads are never all in memory).

    The text is :func:`app.verify.sections.position_text` — title, duties, requirements,
    conditions, contact; not the company's shared introduction, benefits or hiring process — and
    every value is XOR-ed with a hash of the title's :func:`~app.verify.sections.title_key`, so two
    ads agree only where their titles name the same position: a repost of a position matches it, a
    sibling position of the same company does not (another title key → the signatures agree in
    almost no bin, whatever the body). An ad with less than :data:`MIN_POSITION_CHARS` of position
    text gets a signature no other row shares.
    """
    from app.verify.sections import position_text, title_key

    keys: list[int] = []
    too_short: list[int] = []

    def texts() -> Iterator[str]:
        for i, (title, body) in enumerate(ads):
            keys.append(int.from_bytes(hashlib.blake2b(title_key(title).encode("utf-8"), digest_size=4).digest(), "little"))
            text = position_text(title, body)
            if content_length(text) - content_length(str(title)) < MIN_POSITION_CHARS:
                too_short.append(i)
            yield text

    sig = signatures(texts(), seed=seed)
    if len(sig):
        sig ^= np.asarray(keys, dtype=np.uint32)[:, None]
    for i in too_short:  # values no other row shares: never a duplicate
        sig[i] = np.random.default_rng([seed, i, 0x5EED]).integers(0, 2**32, NUM_PERM, dtype=np.uint32)
    return sig
