"""Shared ground of the PII finders: the normalised view of a text and the hits found in it.

Every finder scans :attr:`View.text`, the text after NFKC normalisation (full-width digits and
letters, ``＠``, ``－``, ideographic and no-break spaces become their plain forms), and reports
:class:`Hit` objects whose offsets index that normalised text. A hit says how to mask itself as a
sequence of pieces — kept ranges of the normalised text and literal mask strings — so that
:func:`apply_hits` can rebuild the output from the *original* characters: outside the masked
spans nothing changes, and inside them the kept characters stay as they were written
(``０１０－****－５６７８``), not in their normalised form.

Format characters (Unicode category Cf: zero-width spaces, soft hyphens, word joiners, BOMs) are
dropped from the view, so ``0\u200b1\u200b0-1234-5678`` reads as a phone number; they stay in the
output (inside a masked group they go with the digits they were between).

NFKC is applied per character (a base character together with the combining marks and Hangul
medial/final jamo that follow it), not to the whole string at once, so that each normalised
character maps back to one original group; this differs from whole-string NFKC only by not
composing old-style conjoining jamo across groups, which no identifier is written in.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final

Piece = str | tuple[int, int]
"""A literal mask string, or a ``(start, end)`` range of the normalised text that is kept."""

# Hyphen look-alikes people paste from word processors and PDFs (‐ ‑ ‒ – — ― − ﹘ ﹣), and the
# Hangul vowel ㅡ typed as a dash on a Korean keyboard (NFKC turns U+3161 into U+1173), 一 and ─.
DASHES: Final = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u1173\u3161\u4e00\u2500\u2501\u30fc"
HANGUL: Final = "가-힣"
BLANK: Final = "[ \\t]"  # horizontal white space after NFKC (no-break and ideographic spaces are " ")
HANGUL_SET: Final = frozenset(chr(c) for c in range(0xAC00, 0xD7A4))
DIGITS: Final = frozenset("0123456789")
ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
ID_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

_MAY_CHANGE_RE: Final = re.compile("[^\x00-\x9f\uac00-\ud7a3]+")  # NFKC leaves ASCII and Hangul syllables alone

# Sino-Korean digits read out one by one ("공일공 일이삼사 …"); 영 and 공 are both zero.
_HANGUL_DIGIT_RUN_RE: Final = re.compile("[공영일이삼사오육륙칠팔구]{3,}")
_HANGUL_DIGITS: Final = str.maketrans("공영일이삼사오육륙칠팔구", "001234566789")
# Chinese numerals ("〇一〇-1234-5678"); a run of three or more, since a lone 一 is a dash look-alike.
_CJK_DIGIT_RUN_RE: Final = re.compile("[〇零一二三四五六七八九]{3,}")
_CJK_DIGITS: Final = str.maketrans("〇零一二三四五六七八九", "00123456789")
_O_NEAR_DIGIT_RE: Final = re.compile("[0-9][Oo]|[Oo][0-9]")
_DIGITS_AND_O: Final = frozenset("0123456789Oo")


def _has_format_characters(text: str) -> bool:
    """Whether the text holds a character of Unicode category Cf (only outside ASCII and Hangul)."""
    return any(
        unicodedata.category(ch) == "Cf" for run in _MAY_CHANGE_RE.finditer(text) for ch in run.group()
    )


def trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words`` (longest first), shaped as a trie.

    The regex engine then tests one character set per position instead of every word in turn,
    which keeps label scans fast however many labels there are.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + pattern(node[ch]) for ch in sorted(k for k in node if k)]
        if "" in node:
            alts.append("")  # after the longer continuations: the longest word wins
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return pattern(trie)


def after(text: str, start: int, forbidden: frozenset[str]) -> bool:
    """True if ``text[start]`` is not preceded by a character of ``forbidden``."""
    return start == 0 or text[start - 1] not in forbidden


def before(text: str, end: int, forbidden: frozenset[str]) -> bool:
    """True if ``text[end]`` (the character after a match) is not one of ``forbidden``."""
    return end >= len(text) or text[end] not in forbidden


def _continues(ch: str) -> bool:
    """Whether a character belongs to the group of the character before it."""
    return (
        unicodedata.combining(ch) != 0
        or "\u1160" <= ch <= "\u11ff"  # Hangul medial and final jamo
        or "\ud7b0" <= ch <= "\ud7ff"
        or "\ufe00" <= ch <= "\ufe0f"  # variation selectors
    )


@dataclass(frozen=True)
class Hit:
    """One piece of personal data and how it is masked.

    Attributes:
        kind: A kind of :data:`app.text.pii.PII_KINDS`.
        start: Offset in the normalised text.
        end: Offset just past it.
        pieces: The masked form: kept ``(start, end)`` ranges and literal strings, in order.
    """

    kind: str
    start: int
    end: int
    pieces: tuple[Piece, ...]


def masked_hit(kind: str, start: int, end: int, hide: Sequence[tuple[int, int, str]]) -> Hit:
    """A hit that keeps ``[start, end)`` except the ranges of ``hide``, each replaced by its literal.

    Args:
        kind: The kind of personal data.
        start: Start of the span (normalised offsets).
        end: End of the span.
        hide: ``(start, end, literal)`` ranges inside the span, in any order, not overlapping.
    """
    pieces: list[Piece] = []
    pos = start
    for a, b, literal in sorted(hide):
        if a > pos:
            pieces.append((pos, a))
        pieces.append(literal)
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    return Hit(kind, start, end, tuple(pieces))


def star_alnum_hit(kind: str, text: str, start: int, end: int) -> Hit:
    """A hit that turns every letter and digit of ``text[start:end]`` into ``*`` (blanks, dashes kept)."""
    hide = [(i, i + 1, "*") for i in range(start, end) if text[i].isalnum()]
    return masked_hit(kind, start, end, hide)


class View:
    """A text, its per-character NFKC normalisation, and the map back to the original offsets.

    Args:
        original: The text as given.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        # Characters NFKC changed, as (normalised start, normalised length, original start,
        # original length); between them the two texts run in step.
        self._norm_starts: list[int] = []
        self._groups: list[tuple[int, int, int, int]] = []
        if unicodedata.is_normalized("NFKC", original) and not _has_format_characters(original):
            self.text = original
            return
        parts: list[str] = []
        pos = 0
        shift = 0  # len(normalised so far) - len(original so far)
        # Only characters outside ASCII and the Hangul syllables can change; each run of them is
        # normalised group by group, everything between is copied.
        for run in _MAY_CHANGE_RE.finditer(original):
            a, b = run.start(), run.end()
            if _continues(original[a]) and a > pos:
                a -= 1  # the base character of a combining mark belongs to its group
            parts.append(original[pos:a])
            k = a
            while k < b:
                m = k + 1
                while m < b and _continues(original[m]):
                    m += 1
                group = original[k:m]
                # Format characters (zero-width space, soft hyphen, word joiner, BOM …) are invisible
                # and split "0\u200b1\u200b0-1234-5678" into pieces no pattern reads as a number:
                # the view drops them, the offset map keeps them in the original.
                piece = "" if m - k == 1 and unicodedata.category(group) == "Cf" else unicodedata.normalize("NFKC", group)
                parts.append(piece)
                if piece != group:
                    self._norm_starts.append(k + shift)
                    self._groups.append((k + shift, len(piece), k, m - k))
                    shift += len(piece) - (m - k)
                k = m
            pos = b
        parts.append(original[pos:])
        self.text = "".join(parts)

    def orig(self, pos: int) -> int:
        """The original offset of a boundary of the normalised text.

        A boundary inside a group that NFKC expanded ("㈜" → "(주)") maps to the group's end; a
        boundary where format characters were dropped maps to after them, so that a masked range
        starting there leaves them visible, as outside it.
        """
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        if i < 0:
            return pos
        norm_start, norm_len, orig_start, orig_len = self._groups[i]
        if pos == norm_start and norm_len:
            return orig_start
        if pos < norm_start + norm_len:
            return orig_start + orig_len
        return orig_start + orig_len + (pos - norm_start - norm_len)

    @cached_property
    def folded(self) -> str:
        """The normalised text with digits written in other ways turned into ASCII digits.

        Same length as :attr:`text`. Runs of three or more Sino-Korean digit syllables that start
        a word ("공일공", "이삼사오") become digits, so do runs of three or more Chinese numerals
        ("〇一〇"), and ``O``/``o`` inside a run of digits
        ("O1O", "567O") becomes ``0``. Only the phone finder reads it: elsewhere "이사" is a word.
        """
        text = self.text
        chars: list[str] | None = None
        for m in _HANGUL_DIGIT_RUN_RE.finditer(text):
            if after(text, m.start(), HANGUL_SET):
                run = m.group()
                if len(run) == 5 and run[-1] == "이":
                    run = run[:-1]  # "…팔칠육오이고": the particle 이 after a four-digit group
                chars = chars if chars is not None else list(text)
                chars[m.start():m.start() + len(run)] = run.translate(_HANGUL_DIGITS)
        for m in _CJK_DIGIT_RUN_RE.finditer(text):
            chars = chars if chars is not None else list(text)
            chars[m.start():m.end()] = m.group().translate(_CJK_DIGITS)
        done = 0
        for m in _O_NEAR_DIGIT_RE.finditer(text):
            if m.start() < done:
                continue
            a, b = m.start(), m.end()  # widen to the whole run of digits and O's
            while a > 0 and text[a - 1] in _DIGITS_AND_O:
                a -= 1
            while b < len(text) and text[b] in _DIGITS_AND_O:
                b += 1
            done = b
            if after(text, a, ASCII_LETTERS) and before(text, b, ASCII_LETTERS):
                chars = chars if chars is not None else list(text)
                chars[a:b] = text[a:b].replace("O", "0").replace("o", "0")
        return text if chars is None else "".join(chars)


def apply_hits(view: View, hits: Sequence[Hit]) -> str:
    """The original text with every hit replaced by its masked form.

    Args:
        view: The view the hits were found in.
        hits: Non-overlapping hits sorted by ``start``.

    Returns:
        The original text; inside each hit, kept pieces are the original characters.
    """
    original = view.original
    if not hits:
        return original
    out: list[str] = []
    pos = 0
    for hit in hits:
        start, end = view.orig(hit.start), view.orig(hit.end)
        if end <= start:
            continue
        out.append(original[pos:start])
        for piece in hit.pieces:
            out.append(piece if isinstance(piece, str) else original[view.orig(piece[0]):view.orig(piece[1])])
        pos = end
    out.append(original[pos:])
    return "".join(out)
