"""Talent recommendation (AI 인재추천) and the seeker's side: the one module its pages import.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

__all__: list[str] = []
