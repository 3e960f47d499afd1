"""Rule-set regular expressions that cannot hang the verifier: a time-bounded engine and a probe
that refuses catastrophically backtracking patterns before they are saved.

Why the ``regex`` module and not an RE2-style engine: the shipped rules need look-around
(``(?<![참기관급대수부증])(남|여)…``, ``고수익(?!화|률)``, ``(?<!\\d)([1-6]\\d)…세(?!대)``), which
RE2 (``google-re2``) cannot run; rewriting them would change what they match. ``regex`` runs the
same syntax with the same results (measured on every posting of the demo world) and takes a
``timeout=`` per call, so a pattern that backtracks catastrophically costs a bounded time and
is reported instead of freezing a page or a batch.

Why a hand-written probe: no maintained library detects catastrophic backtracking for Python's
regular-expression syntax (``regexploit``, the one known tool, has had no release since 2021).
The probe is small because it does not decide the question in general. An unbounded repetition
inside another (``(a+)+``, ``(\\d+,)+``) is refused outright, as is usual for ReDoS linters; for
the rest it builds, for every repetition in a pattern, adversarial texts (what comes before the repetition,
one of the strings the repeated part matches pumped to :data:`PROBE_LENGTH` characters, then a
character that makes the match fail) and runs the real pattern on them with a timeout. Nested
quantifiers (``(a+)+``), overlapping alternatives under a repetition (``(a|aa)+``) and chains of
unbounded repetitions over the same characters (``\\d+\\d+\\d+x``) all take seconds to years on
such texts, while a linear pattern takes microseconds; quadratic patterns (``.*고수익``) pass, as
they finish in milliseconds on an ad's longest line. Every text the probe builds is at most a few
:data:`PROBE_LENGTH` long, whatever counts the pattern asks for (``a{1000000000}``). The runtime bound stays the safety net for
anything the probe misses.
"""

from __future__ import annotations

import itertools
import re._constants as sre
import re._parser as sre_parse
import time
from collections.abc import Iterator, Sequence
from typing import Any

import regex

# ``re._parser`` is the parser behind ``re`` (private, but unchanged within a Python minor): it gives
# the tree of a pattern, from which the probe finds repetitions and builds the strings they match.

PROBE_LENGTH = 500
"""Characters of pumped text per adversarial string (a long line of a compacted ad). At this length
an exponential or cubic pattern takes seconds or more and a quadratic one ~25 ms."""
PROBE_TIMEOUT_S = 0.25
"""A pattern slower than this on one adversarial string is refused (a linear one needs ~0.1 ms)."""
PROBE_BUDGET_S = 2.0
"""A pattern slower than this on all its adversarial strings together is refused too."""
_FAILING_ENDS = ("\x00", "\n\x00")
"""Characters no rule expects, to make a match fail (``\\n`` also defeats ``.`` and ``$``)."""
_GENERIC_CHARACTERS = "a1 가"
"""Characters tried for character classes besides the pattern's own literals."""
_MAX_VARIANTS = 6
_MAX_PUMPS = 4
_MAX_TEXT = 2 * PROBE_LENGTH
"""Longest string built for a part of a pattern (a count such as ``{1000000000}`` is not spelled out)."""


MAX_UNROLLED_SIZE = 2_000
"""Largest :func:`unrolled_size` of a rule pattern. ``regex`` spells fixed counts out when it
compiles (``a{10000000}`` takes 30 s and 3 GB), so a count must be refused before compiling."""


class BacktrackingPattern(ValueError):
    """A pattern that backtracks catastrophically (``str(err)`` is the Korean reason)."""


def unrolled_size(source: str) -> int:
    """How many items ``source`` has once its counts are spelled out: ``(ab){3}x`` → 7, and a
    repetition that may go on past its minimum counts its body once more (``a*`` → 2).

    Args:
        source: A pattern that compiles with :mod:`re`.
    """
    return _unrolled(sre_parse.parse(source))


def _unrolled(items: Sequence[Any]) -> int:
    total = 0
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            inner = _unrolled(body)
            total += inner * max(int(low), 1) + (inner if high > low else 0)
        elif op == sre.SUBPATTERN:
            total += _unrolled(av[3])
        elif op == sre.ATOMIC_GROUP:
            total += _unrolled(av)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            total += _unrolled(av[1])
        elif op == sre.BRANCH:
            total += sum(_unrolled(branch) for branch in av[1])
        else:
            total += 1
    return total


def compile_bounded(source: str) -> regex.Pattern[str]:
    """Compile a rule pattern for time-bounded matching (``regex`` in ``re``-compatible V0 mode).

    Raises:
        regex.error: The pattern is not a valid regular expression.
    """
    return regex.compile(source, flags=regex.V0)


def check_backtracking(source: str) -> None:
    """Refuse ``source`` if it backtracks catastrophically on adversarial texts (see the module).

    Args:
        source: A pattern that compiles with :mod:`re`.

    Raises:
        BacktrackingPattern: One adversarial text takes longer than :data:`PROBE_TIMEOUT_S`, or
            all of them together longer than :data:`PROBE_BUDGET_S`.
    """
    if _nested_unbounded(sre_parse.parse(source), inside=False):
        raise BacktrackingPattern(
            f"반복(+, *, {{n,}}) 안에 또 반복이 있어 특정 문장에서 끝나지 않을 만큼 오래 걸릴 수 있습니다: {source!r}. "
            "안쪽 반복을 문자 집합으로 합치세요 (예: (\\d+,)+ 대신 [\\d,]+)"
        )
    pattern = compile_bounded(source)
    deadline = time.monotonic() + PROBE_BUDGET_S
    try:
        for text in adversarial_texts(source):
            pattern.search(text, timeout=min(PROBE_TIMEOUT_S, _remaining(deadline)))
    except TimeoutError:
        raise BacktrackingPattern(
            f"정규식이 특정 문장에서 끝나지 않을 만큼 오래 걸립니다(역추적 폭증): {source!r}. "
            "같은 글자에 겹쳐 맞는 선택지나 반복을 하나로 합치세요 (예: (a|aa)+ 대신 a+, \\d+\\d+ 대신 \\d{2,})"
        ) from None


def _nested_unbounded(items: Sequence[Any], *, inside: bool) -> bool:
    """Whether an unbounded repetition sits inside another (``(a+)+``, ``(\\w+\\s?)*``): refused
    without timing, as such patterns are slow on some text however the probe's texts look.
    Possessive repetitions and atomic groups do not backtrack, so they do not count."""
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            unbounded = av[1] == sre.MAXREPEAT
            if unbounded and inside:
                return True
            if _nested_unbounded(av[2], inside=inside or unbounded):
                return True
        elif op == sre.SUBPATTERN and _nested_unbounded(av[3], inside=inside):
            return True
        elif op == sre.BRANCH and any(_nested_unbounded(b, inside=inside) for b in av[1]):
            return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT) and _nested_unbounded(av[1], inside=inside):
            return True
    return False


def adversarial_texts(source: str) -> Iterator[str]:
    """The texts :func:`check_backtracking` runs ``source`` on: per repetition, what precedes it, a
    string the repeated part matches pumped to :data:`PROBE_LENGTH` characters, a character that
    makes the match fail, and what the pattern expects after the repetition (without it, ``regex``
    gives up at once on a text that lacks a required literal, and the probe would prove nothing)."""
    tree = sre_parse.parse(source)
    alphabet = _alphabet(tree)
    seen: set[str] = set()
    for prefix, high, body, after in _repetitions(list(tree), "", "", alphabet):
        if high < 2:
            continue  # an optional part (``?``) cannot be pumped
        pumps = [v for v in _variants(body, alphabet) if v][:_MAX_PUMPS]
        if len(pumps) > 1:
            pumps.append(pumps[0] + pumps[1])
        for pump in pumps:
            count = min(high, -(-PROBE_LENGTH // len(pump)))  # fewer than ``low`` only fails sooner
            for fail in _FAILING_ENDS:
                for text in (prefix + pump * count + fail + after, prefix + pump * count + fail):
                    if text not in seen:
                        seen.add(text)
                        yield text


def _repetitions(
    items: Sequence[Any], prefix: str, after: str, alphabet: str
) -> Iterator[tuple[str, int, list[Any], str]]:
    """(text that reaches it, its maximum count, its body, text the pattern expects after it) of
    every repetition that can backtrack, outermost first."""
    for i, (op, av) in enumerate(items):
        before = prefix + _first(items[:i], alphabet)
        following = _first(items[i + 1:], alphabet) + after
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            _, high, body = av
            yield before, int(high), list(body), following
            yield from _repetitions(list(body), before, following, alphabet)
        elif op == sre.POSSESSIVE_REPEAT:
            yield from _repetitions(list(av[2]), before, following, alphabet)  # never backtracks itself
        elif op == sre.SUBPATTERN:
            yield from _repetitions(list(av[3]), before, following, alphabet)
        elif op == sre.ATOMIC_GROUP:
            yield from _repetitions(list(av), before, following, alphabet)
        elif op == sre.BRANCH:
            for branch in av[1]:
                yield from _repetitions(list(branch), before, following, alphabet)


def _alphabet(tree: Any) -> str:
    """The pattern's own literal characters (range ends included), then a few generic ones."""
    found: list[str] = []

    def walk(items: Any) -> None:
        for op, av in items:
            if op in (sre.LITERAL, sre.NOT_LITERAL):
                found.append(chr(av))
            elif op == sre.RANGE:
                found.extend((chr(av[0]), chr(av[1])))
            elif op == sre.IN:
                walk(av)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op == sre.SUBPATTERN:
                walk(av[3])
            elif op == sre.ATOMIC_GROUP:
                walk(av)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(av[1])
            elif op == sre.BRANCH:
                for branch in av[1]:
                    walk(branch)

    walk(tree)
    return "".join(dict.fromkeys([*found, *_GENERIC_CHARACTERS]))


def _first(items: Sequence[Any], alphabet: str) -> str:
    """A short string that ``items`` match (empty when they match nothing we can build)."""
    variants = _variants(items, alphabet)
    return variants[0] if variants else ""


def _variants(items: Sequence[Any], alphabet: str) -> list[str]:
    """Up to :data:`_MAX_VARIANTS` distinct strings that the sequence ``items`` matches, shortest choices first."""
    results = [""]
    for op, av in items:
        element = _element_variants(op, av, alphabet)
        if not element:
            return []
        results = list(dict.fromkeys((a + b)[:_MAX_TEXT] for a, b in itertools.product(results, element)))
        results = results[:_MAX_VARIANTS]
    return results


def _element_variants(op: Any, av: Any, alphabet: str) -> list[str]:
    if op == sre.LITERAL:
        return [chr(av)]
    if op == sre.NOT_LITERAL:
        return [c for c in alphabet if ord(c) != av][:2]
    if op == sre.ANY:
        return [c for c in alphabet if c != "\n"][:2]
    if op == sre.IN:
        return [c for c in alphabet if _in_class(av, c)][:2]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _variants(body, alphabet)
        if low == 0:
            return ["", *inner]
        times = min(int(low), PROBE_LENGTH)
        return [v * times for v in inner] + ([v * (times + 1) for v in inner] if high > low else [])
    if op == sre.SUBPATTERN:
        return _variants(av[3], alphabet)
    if op == sre.ATOMIC_GROUP:
        return _variants(av, alphabet)
    if op == sre.BRANCH:
        return list(dict.fromkeys(v for branch in av[1] for v in _variants(branch, alphabet)))[:_MAX_VARIANTS]
    return [""]  # anchors, look-around, back-references: no text of their own


_CATEGORIES = {
    sre.CATEGORY_DIGIT: str.isdecimal,
    sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    sre.CATEGORY_SPACE: str.isspace,
    sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def _in_class(items: Sequence[Any], char: str) -> bool:
    """Whether ``char`` is in the character class ``[items]`` (the parser's form of it)."""
    negate, found = False, False
    for op, av in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            found = found or ord(char) == av
        elif op == sre.RANGE:
            found = found or av[0] <= ord(char) <= av[1]
        elif op == sre.CATEGORY:
            found = found or bool(_CATEGORIES.get(av, lambda _c: False)(char))
    return found != negate


def search_within(pattern: regex.Pattern[str], text: str, deadline: float, pos: int = 0,
                  endpos: int | None = None) -> regex.Match[str] | None:
    """``pattern.search`` that raises ``TimeoutError`` once :func:`time.monotonic` passes ``deadline``."""
    return pattern.search(text, pos, len(text) if endpos is None else endpos, timeout=_remaining(deadline))


def finditer_within(pattern: regex.Pattern[str], text: str, deadline: float) -> Iterator[regex.Match[str]]:
    """``pattern.finditer`` bounded by ``deadline`` (raises ``TimeoutError`` while iterating)."""
    return pattern.finditer(text, timeout=_remaining(deadline))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("rule time budget spent")
    return left

