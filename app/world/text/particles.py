"""The world's particle policy: generated text needs one form, so a Latin ending is guessed.

The particle rules themselves are :func:`app.text.korean.josa` and :func:`app.text.korean.josa_ro`.
"""

from __future__ import annotations

from functools import partial

from app.text.korean import josa, josa_ro

_jo = partial(josa, latin="guess")
"""Attach a particle pair such as 은/는, 이/가, 을/를, 과/와."""

_ro = partial(josa_ro, latin="guess")
"""Attach 으로/로 (ㄹ-final takes 로)."""
