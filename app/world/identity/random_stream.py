"""Buffered uniform draws over a numpy ``Generator``: the one source of randomness for world text.

Every maker in :mod:`app.world.identity` and :mod:`app.world.text` takes a ``RandomSource`` and
turns it into a :class:`UniformStream`, so a seeded world is reproducible string for string. The
*order* in which a maker calls ``u``/``idx``/``pick``/… is part of the world's output: reordering
draws changes every string after it and therefore the world fingerprint.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

import numpy as np

__all__ = ["RandomSource", "UniformStream", "as_stream", "cumulative_weights"]

T = TypeVar("T")


class UniformStream:
    """Buffered uniforms in [0, 1) drawn from a numpy ``Generator``.

    A scalar ``rng.integers`` costs about 1 µs on the project machine while ``rng.random(n)``
    costs about 1 µs for a whole block, so composing a document from ~100 choices through a block
    is several times faster. The stream is deterministic: it consumes the generator in fixed-size
    blocks, so the same generator state gives the same sequence of choices.

    Args:
        rng: The generator to draw from (advanced by this stream).
        block: Number of uniforms fetched per refill.
    """

    __slots__ = ("_rng", "_buf", "_i", "_block")

    def __init__(self, rng: np.random.Generator, block: int = 32) -> None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng은 numpy.random.Generator여야 합니다 (입력: {type(rng).__name__})")
        self._rng = rng
        self._block = block
        self._buf: list[float] = rng.random(block).tolist()
        self._i = 0

    def u(self) -> float:
        """Return the next uniform in [0, 1)."""
        i = self._i
        if i >= self._block:
            # Double the block each refill: long documents need few refills.
            self._block *= 2
            self._buf = self._rng.random(self._block).tolist()
            i = 0
        self._i = i + 1
        return self._buf[i]

    def idx(self, n: int) -> int:
        """Return a uniform integer in ``[0, n)``."""
        return int(self.u() * n)

    def between(self, lo: int, hi: int) -> int:
        """Return a uniform integer in ``[lo, hi]`` (both inclusive)."""
        return lo + int(self.u() * (hi - lo + 1))

    def pick(self, seq: Sequence[T]) -> T:
        """Return one element of a non-empty sequence, uniformly."""
        return seq[int(self.u() * len(seq))]

    def chance(self, p: float) -> bool:
        """Return True with probability ``p``."""
        return self.u() < p

    def weighted(self, items: Sequence[T], cum: Sequence[float]) -> T:
        """Pick from ``items`` using precomputed cumulative weights ``cum`` (last = total)."""
        return items[bisect.bisect_right(cum, self.u() * cum[-1])]

    def shuffled(self, seq: Sequence[T]) -> list[T]:
        """Return a shuffled copy (Fisher-Yates on the stream)."""
        out = list(seq)
        for i in range(len(out) - 1, 0, -1):
            j = int(self.u() * (i + 1))
            out[i], out[j] = out[j], out[i]
        return out

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """Return ``k`` distinct elements in random order (``k`` is clipped to ``len(seq)``)."""
        out = list(seq)
        n = len(out)
        k = min(k, n)
        for i in range(k):
            j = i + int(self.u() * (n - i))
            out[i], out[j] = out[j], out[i]
        return out[:k]


RandomSource = np.random.Generator | UniformStream
"""Either a numpy Generator or a stream already drawing from one (lets callers share a stream)."""


def as_stream(rng: RandomSource, block: int = 32) -> UniformStream:
    """Return ``rng`` itself if it is a :class:`UniformStream`, else a new stream over it."""
    return rng if isinstance(rng, UniformStream) else UniformStream(rng, block)


def cumulative_weights(weights: Sequence[float]) -> tuple[float, ...]:
    """Running totals of ``weights``, the ``cum`` argument of :meth:`UniformStream.weighted`."""
    return tuple(accumulate(weights))
