"""List rendering shared by postings and violation insertion: bullet styles and numbering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

_BULLETS: Final = ("- ", "- ", "· ", "• ", "▶ ", "○ ", "1) ", "① ", "1. ")
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
_PLAIN_BULLETS: Final = ("- ", "· ", "• ", "▶ ", "○ ", "■ ", "* ", "※ ")


def _render(bullet: str, lines: Sequence[str]) -> str:
    if bullet == "1) ":
        return "\n".join(f"{i}) {ln}" for i, ln in enumerate(lines, 1))
    if bullet == "1. ":
        return "\n".join(f"{i}. {ln}" for i, ln in enumerate(lines, 1))
    if bullet == "① ":
        return "\n".join(f"{_CIRCLED[i % 15]} {ln}" for i, ln in enumerate(lines))
    return "\n".join(bullet + ln for ln in lines)


def _bullet_of(lines: Sequence[str]) -> str:
    """Bullet to use for a line added to an existing list (numbered lists get a ※ note)."""
    for ln in lines:
        for b in _PLAIN_BULLETS[:-1]:
            if ln.startswith(b):
                return b
        if ln[:1] in _CIRCLED or (ln[:1].isdigit() and ln[1:3] in (") ", ". ")):
            return "※ "
    return "- " if lines else ""
