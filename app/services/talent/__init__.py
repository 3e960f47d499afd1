"""Talent recommendation (AI 인재추천) and the seeker's side: the one module its pages import.

Submodules add their public names to ``__all__`` below.
"""

from __future__ import annotations

from app.services.talent.query import (
    CHIP_KEYS,
    District,
    QueryChip,
    TalentQuery,
    UnreadableQuery,
    describe_chips,
    parse_talent_query,
    validate_query,
    with_chip_removed,
)

__all__: list[str] = [
    "CHIP_KEYS", "District", "QueryChip", "TalentQuery", "UnreadableQuery", "describe_chips", "parse_talent_query",
    "validate_query", "with_chip_removed",
]
