"""Seeded clustered unit vectors standing in for encoder output, for the dense index's tests and bench.

Why not uniform random vectors: in 128 dimensions they are all nearly orthogonal, every point's
"nearest neighbours" are barely nearer than the rest, and no inverted file can find them without
scanning most lists — harder than any text encoder's output and so a misleading benchmark. Why not
a few tight blobs: then any index looks perfect.

The model, meant to look like LSA vectors of candidate profiles:

* ``n_clusters`` centres (kinds of profile) drawn with a decaying per-dimension scale
  ``(i + 1)^-0.5``, like an SVD spectrum where the first components carry most of the variance;
* cluster sizes from a Dirichlet(0.5): a few large clusters and a long tail of small ones;
* within a cluster, points spread mostly along the cluster's own random ``rank``-dim subspace
  (anisotropy: axes scaled ``(j + 1)^-0.7``), plus a little isotropic noise;
* the spread differs per cluster (log-normal around :data:`MEDIAN_SPREAD`), so some occupations
  are tight and some diffuse;
* every vector is L2-normalised (the index searches by cosine).

At 200k vectors the median cosine to a query's nearest neighbour is about 0.88 and to its tenth
0.79, while two random vectors have cosine ≈ 0 (99th percentile ≈ 0.28).

Queries come from the same mixture (same ``mixture_seed``) with another ``seed``, so they follow
the indexed distribution without being indexed vectors.
"""

from __future__ import annotations

import numpy as np

MEDIAN_SPREAD = 0.35
SPREAD_LOG_SD = 0.4
SUBSPACE_SCALE = 2.5
NOISE_SCALE = 0.35
CHUNK_ROWS = 100_000


def clustered_unit_vectors(
    n: int,
    dim: int,
    *,
    seed: int,
    mixture_seed: int = 0,
    n_clusters: int = 2_000,
    rank: int = 16,
) -> np.ndarray:
    """``(n, dim)`` float32 unit vectors from the seeded Gaussian mixture described in the module notes.

    Args:
        n: Number of vectors.
        dim: Dimension.
        seed: Seed of the draws (cluster of each vector and its offset).
        mixture_seed: Seed of the mixture itself (centres, sizes, spreads, subspaces); keep it the
            same for indexed vectors and queries.
        n_clusters: Mixture components.
        rank: Dimension of each component's main subspace.

    Returns:
        A C-contiguous float32 matrix, written chunk by chunk (no temporary of the full size).
    """
    mixture = np.random.default_rng(mixture_seed)
    spectrum = (np.arange(dim) + 1.0) ** -0.5
    centres = mixture.standard_normal((n_clusters, dim)) * spectrum
    centres = (centres / np.linalg.norm(centres, axis=1, keepdims=True)).astype(np.float32)
    weights = mixture.dirichlet(np.full(n_clusters, 0.5))
    spread = np.exp(mixture.normal(np.log(MEDIAN_SPREAD), SPREAD_LOG_SD, n_clusters)).astype(np.float32)
    axis_scale = ((np.arange(rank) + 1.0) ** -0.7).astype(np.float32)
    bases = (mixture.standard_normal((n_clusters, rank, dim)) / np.sqrt(dim)).astype(np.float32)
    bases *= axis_scale[None, :, None] * SUBSPACE_SCALE

    draws = np.random.default_rng([seed, mixture_seed])
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(n, start + CHUNK_ROWS)
        labels = draws.choice(n_clusters, stop - start, p=weights)
        block = out[start:stop]
        block[:] = draws.standard_normal((stop - start, dim), dtype=np.float32) * (NOISE_SCALE / np.sqrt(dim))
        # One matrix product per cluster present in the chunk (rows of a cluster gathered by label).
        order = np.argsort(labels, kind="stable")
        cuts = np.flatnonzero(np.diff(labels[order])) + 1
        for rows in np.split(order, cuts):
            c = labels[rows[0]]
            z = draws.standard_normal((len(rows), rank), dtype=np.float32)
            block[rows] = centres[c] + spread[c] * (z @ bases[c] + block[rows])
        block /= np.linalg.norm(block, axis=1, keepdims=True)
    return out
