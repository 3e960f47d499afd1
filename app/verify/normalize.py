"""Text normalisation for the ad checks, with a map back to the original characters.

Evaders write "남.자.만" or "남 자 만" for "남자만", use full-width letters ("ＩＤ") or mix cases.
The rules therefore match a *compact* form of each line — NFKC-normalised, lower-cased, without
white space or the dots and middle dots used to break words apart — while every compact
character remembers where it came from, so a hit can be highlighted in the text as written.
"""

from __future__ import annotations

import re
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


CONTENT_CHAR = re.compile(r"[0-9A-Za-z가-힣]")
"""A letter or digit that carries content (Hangul syllables, Latin letters, digits): what the
minimum lengths of a duplicate's position text and of a flagged sentence count."""


def content_length(text: str) -> int:
    """Number of :data:`CONTENT_CHAR` characters in ``text``."""
    return len(CONTENT_CHAR.findall(text))


_QUOTED = re.compile(r"'[^'\n]{1,40}'|\"[^\"\n]{1,40}\"|‘[^’\n]{1,40}’|“[^”\n]{1,40}”|「[^」\n]{1,40}」|『[^』\n]{1,40}』")
_QUOTES_JOINED = re.compile(r"\s*(?:[·,/]|와|과|이나|나|및|또는)\s*$")
_MENTION_AFTER = re.compile(
    r"^[^\n]{0,16}?(?:금지|예방|주의|조심|사기|수법|피해|경고|신고|유의|속지|의심|요구를?\s*받|권유|문구|표현|광고를?\s*(?:거르|걸러|차단|검수|모니터링)"
    r"|라는\s*말|같은\s*말|이라는|라는|이란|란\s)")
_MENTION_BEFORE = re.compile(r"(?:이른바|소위|예\s*:|예를\s*들어|가령)\s*$")


def quoted_mentions(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that quote words in order to talk about them, not to say them: "'고수익
    보장' 같은 부당 권유 금지 교육", "'통장 대여' 요구를 받은 적 있는지 안내" (a training course,
    a fraud-prevention call centre). A quoted phrase is a mention when a word of warning, teaching
    or naming follows it (after any further quoted phrases joined to it) or "이른바" precedes it."""
    if not any(q in text for q in "'\"‘“「『"):
        return []
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    spans: list[tuple[int, int]] = []
    for k, (start, end) in enumerate(quoted):
        follow = end
        while k + 1 < len(quoted) and _QUOTES_JOINED.match(text[follow:quoted[k + 1][0]]) is not None \
                and quoted[k + 1][0] - follow <= 4:
            k += 1
            follow = quoted[k][1]
        if _MENTION_AFTER.search(text[follow:follow + 40]) or _MENTION_BEFORE.search(text[max(0, start - 12):start]):
            spans.append((start, end))
    return spans


def without_quoted_mentions(text: str) -> str:
    """``text`` with its :func:`quoted_mentions` left out."""
    kept, last = [], 0
    for start, end in quoted_mentions(text):
        kept.append(text[last:start])
        last = end
    return "".join(kept) + text[last:]
