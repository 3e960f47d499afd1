"""Korean particle choice (은/는, 이/가, 을/를, 으로/로) from the final consonant of the word before."""

from __future__ import annotations

from typing import Final


# Final consonant of the Sino-Korean reading of each digit: 영(ㅇ) 일(ㄹ) 이 삼(ㅁ) 사 오 육(ㄱ)
# 칠(ㄹ) 팔(ㄹ) 구. 8 = ㄹ so "…로" is correct after 1, 7, 8.
_DIGIT_FINAL: Final[dict[str, int]] = {
    "0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0,
}


def _final(word: str) -> int:
    """Index of the last syllable's final consonant (0 = none, 8 = ㄹ)."""
    w = word.rstrip()
    if w.endswith(")") and "(" in w:
        # "한빛정밀(주)": the particle follows the reading of the name, not the bracket.
        w = w[: w.rfind("(")].rstrip() or w
    if not w:
        return 0
    ch = w[-1]
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        return code % 28
    if ch in _DIGIT_FINAL:
        return _DIGIT_FINAL[ch]
    # Latin letters: l, m, n, ng-like endings read with a final consonant.
    return 4 if ch.lower() in "lmnr" else 0


def _jo(word: str, with_final: str, without_final: str) -> str:
    """Attach a particle pair such as 은/는, 이/가, 을/를, 과/와."""
    return word + (with_final if _final(word) else without_final)


def _ro(word: str) -> str:
    """Attach 으로/로 (ㄹ-final takes 로)."""
    f = _final(word)
    return word + ("으로" if f and f != 8 else "로")
