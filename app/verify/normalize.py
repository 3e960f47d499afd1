"""Text normalisation for the ad checks, with a map back to the original characters.

Evaders write "남.자.만" or "남 자 만" for "남자만", use full-width letters ("ＩＤ") or mix cases.
The rules therefore match a *compact* form of each line — NFKC-normalised, lower-cased, without
white space or the dots and middle dots used to break words apart — while every compact
character remembers where it came from, so a hit can be highlighted in the text as written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

SEPARATORS = frozenset(" \t\r\u00a0\u3000.·ㆍ•‧∙*_")
"""Characters dropped from the compact form (white space and word-breaking dots)."""


@dataclass(frozen=True)
class CompactText:
    """The compact form of a text and, per compact character, its position in the original.

    Newlines are kept, so a pattern never runs from one line into the next and a hit's line can
    be found for the exceptions.
    """

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of compact ``[start, end)``."""
        if start >= end or not self.origin:
            return (0, 0)
        return self.origin[start], self.origin[end - 1] + 1

    def line_of(self, start: int) -> tuple[int, int]:
        """Compact ``[start, end)`` of the line holding compact position ``start``."""
        begin = self.text.rfind("\n", 0, start) + 1
        finish = self.text.find("\n", start)
        return begin, len(self.text) if finish < 0 else finish


_DROP = str.maketrans("", "", "".join(SEPARATORS))
_SEPARATOR_CODES = np.array(sorted(ord(c) for c in SEPARATORS), dtype=np.uint32)


def compact(text: str) -> CompactText:
    """Compact form of ``text`` (see the module docstring).

    When normalising keeps every character one character long (nearly always: Hangul syllables
    and ASCII are unchanged by NFKC), the map is computed with numpy; otherwise character by
    character.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    # 1:1 only when the text is already NFKC (an expanding and a shrinking character could
    # otherwise cancel out in the lengths) and lower-casing kept every length
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
        kept = np.flatnonzero(~np.isin(codes, _SEPARATOR_CODES))
        return CompactText(text=folded.translate(_DROP), origin=tuple(kept.tolist()), source=text)
    return _compact_slow(text)


def _clusters(text: str) -> list[tuple[int, str]]:
    """(start, characters) of each base character with the combining marks and Hangul medial or
    final jamo that follow it — what NFKC composes into one character (e.g. decomposed "가")."""
    groups: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        joins = unicodedata.combining(ch) or 0x1160 <= ord(ch) <= 0x11FF or 0xD7B0 <= ord(ch) <= 0xD7FF
        if groups and joins:
            start, chars = groups[-1]
            groups[-1] = (start, chars + ch)
        else:
            groups.append((i, ch))
    return groups


def _compact_slow(text: str) -> CompactText:
    out: list[str] = []
    origin: list[int] = []
    for start, chars in _clusters(text):
        if chars in SEPARATORS:
            continue
        for piece in unicodedata.normalize("NFKC", chars).lower():
            if piece in SEPARATORS:
                continue
            out.append(piece)
            origin.append(start)
    return CompactText(text="".join(out), origin=tuple(origin), source=text)
