"""Korean wording shared by the hiring services: particles (조사), wage and welfare phrases.

Pure functions, no I/O beyond the cached reference tables (welfare, firm-size and place names).
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.labour import WAGE_TYPE_LABELS
from app.text.formatting import format_krw, format_manwon
from app.world.reference import Reference, load_reference

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# Whether the Korean reading of a final digit ends in a consonant (영 일 이 삼 사 오 육 칠 팔 구).
_DIGIT_BATCHIM = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True,
                  "7": True, "8": True, "9": False}  # fmt: skip
_TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def _has_batchim(word: str) -> bool | None:
    """Whether ``word`` is read with a final consonant; None when it cannot be told."""
    text = word.strip()
    while _TRAILING_NOTE.search(text):  # "기업 규모(5–29명)" reads its particle after "규모"
        text = _TRAILING_NOTE.sub("", text)
    text = text.rstrip("'\"’”%·. ")
    if not text:
        return None
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % 28 != 0
    return _DIGIT_BATCHIM.get(last)


def josa(word: str, with_batchim: str, without_batchim: str) -> str:
    """``word`` followed by the right particle, e.g. ``josa("근로시간", "은", "는") -> "근로시간은"``.

    When the reading cannot be told (a Latin letter at the end) both forms are shown: "X은(는)".
    """
    final = _has_batchim(word)
    if final is None:
        return f"{word}{with_batchim}({without_batchim})"
    return f"{word}{with_batchim if final else without_batchim}"


NEGLIGIBLE_LOGIT = 0.005
"""|log-odds| below this moves a probability by well under 0.1 %p."""


def effect_phrase(contribution: float, outcome: str) -> str:
    """``"<outcome>을 (크게|조금) 높입니다/낮춥니다"`` for a contribution in log-odds, e.g.
    ``effect_phrase(-0.4, "취업확률") -> "취업확률을 크게 낮춥니다"``."""
    size = abs(contribution)
    if size < NEGLIGIBLE_LOGIT:
        return f"{outcome}에 거의 영향을 주지 않습니다"
    adverb = "크게 " if size >= 0.3 else "조금 " if size < 0.05 else ""
    return f"{josa(outcome, '을', '를')} {adverb}{'높입니다' if contribution > 0 else '낮춥니다'}"


def wage_text(wage_type: str, amount: float) -> str:
    """A posted wage the way postings write it, e.g. ``"월급 250만원"``, ``"시급 10,320원"``."""
    label = WAGE_TYPE_LABELS.get(wage_type, "")
    return f"{label} {wage_amount_text(wage_type, amount)}".strip()


def wage_amount_text(wage_type: str, amount: float) -> str:
    """Only the amount: 만원 for monthly and annual wages, 원 for hourly and daily ones."""
    return format_manwon(amount) if wage_type in ("monthly", "annual") else format_krw(amount)


@lru_cache(maxsize=4)
def _names(reference: Reference) -> dict[str, dict[str, object]]:
    """Code → name lookups of one (immutable, shared) reference object, built once: the sentences
    of every prediction use them, and a DataFrame filter per lookup would cost milliseconds."""
    occupations = reference.occupations
    return {
        "welfare": dict(zip(reference.welfare_items["code"], reference.welfare_items["name"], strict=True)),
        "size": dict(zip(reference.firm_sizes["code"], reference.firm_sizes["label"], strict=True)),
        "region": dict(zip(reference.regions["code"], reference.regions["short"], strict=True)),
        "occupation": {
            str(code): (str(name), str(middle), str(major))
            for code, name, middle, major in zip(occupations["keco_code"], occupations["name"],
                                                 occupations["middle_name"], occupations["major_name"], strict=True)
        },
    }


def welfare_names(codes: tuple[str, ...] | list[str]) -> list[str]:
    """Korean names of welfare codes (unknown codes are shown as they are)."""
    names = _names(load_reference())["welfare"]
    return [str(names.get(code, code)) for code in codes]


def size_label(size_code: str) -> str:
    """Firm-size band label, e.g. ``"S2" -> "5–29명"``."""
    return str(_names(load_reference())["size"].get(size_code, size_code))


def region_short(region_code: str) -> str:
    """Short 시도 name, e.g. ``"11" -> "서울"``."""
    return str(_names(load_reference())["region"].get(region_code, region_code))


def occupation_names(keco_code: str) -> tuple[str, str, str]:
    """(소분류, 중분류, 대분류) names of a KECO 소분류 code (the code itself when unknown)."""
    found = _names(load_reference())["occupation"].get(keco_code)
    return found if found is not None else (keco_code, keco_code, keco_code)  # type: ignore[return-value]
