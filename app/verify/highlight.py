"""Highlighted ad text as safe Markdown (never HTML): the flagged spans in red, everything else
escaped so that an ad's own characters cannot format, link or inject anything."""

from __future__ import annotations

from collections.abc import Iterable

from app.text.markdown import escape_markdown


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (overlapping or touching spans are joined; empty ones dropped)."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def highlighted_markdown(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` as Markdown with ``spans`` in a red background (``:red-background[…]``), line
    breaks kept. Spans are character offsets into ``text``."""
    out, cursor = [], 0
    for start, end in merge_spans(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape_markdown(text[cursor:start], one_line=False))
        marked = escape_markdown(text[start:end], one_line=False).replace("\n", " ")
        out.append(f":red-background[**{marked}**]")
        cursor = end
    out.append(escape_markdown(text[cursor:], one_line=False))
    return "  \n".join("".join(out).split("\n"))
