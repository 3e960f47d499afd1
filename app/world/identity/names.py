"""Korean personal names (census-weighted surnames, cohort-mixed given names) and their romanisation."""

from __future__ import annotations

from app.world.identity.name_vocab import (
    _GIVEN_F,
    _GIVEN_M,
    _RR_FINAL,
    _RR_INITIAL,
    _RR_MEDIAL,
    _SURNAME_CUM,
    _SURNAME_ROMAN,
    _SURNAMES,
    _SYL_F1,
    _SYL_F2,
    _SYL_M1,
    _SYL_M2,
    _TWO_SYLLABLE_SURNAMES,
)
from app.world.identity.random_stream import RandomSource, UniformStream, as_stream

__all__ = ["make_person_name", "romanise_name"]


def _check_sex(sex: str) -> None:
    if sex not in ("M", "F"):
        raise ValueError(f"성별은 'M' 또는 'F'여야 합니다 (입력값: {sex!r})")


def _person_name(d: UniformStream, sex: str) -> str:
    surname = d.weighted(_SURNAMES, _SURNAME_CUM)
    if d.u() < 0.7:
        given = d.pick(_GIVEN_M if sex == "M" else _GIVEN_F)
    else:
        first, second = (_SYL_M1, _SYL_M2) if sex == "M" else (_SYL_F1, _SYL_F2)
        a = d.pick(first)
        b = d.pick(second)
        if a == b:  # "은은", "진진": redraw once, keep whatever comes
            b = d.pick(second)
        given = a + b
    return surname + given


def make_person_name(rng: RandomSource, sex: str) -> str:
    """Make a Korean full name (surname + given name).

    Surnames follow the census distribution (김 ≈ 22 %, 이 ≈ 15 %, 박 ≈ 9 % …, rare two-syllable
    ones such as 남궁); given names mix frequent real names across cohorts with composed ones.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        sex: ``"M"`` or ``"F"``.

    Returns:
        A name such as ``"김민준"``.

    Raises:
        ValueError: If ``sex`` is not ``"M"`` or ``"F"``.
    """
    _check_sex(sex)
    return _person_name(as_stream(rng, 8), sex)


def _romanise_syllables(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIAL[code // 588] + _RR_MEDIAL[(code % 588) // 28] + _RR_FINAL[code % 28])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def romanise_name(name: str) -> str:
    """Romanise a Korean name into an e-mail hint ``"surname.given"``.

    Args:
        name: A Hangul name such as ``"김민준"`` or ``"남궁서연"``.

    Returns:
        For example ``"kim.minjun"`` or ``"namgung.seoyeon"``; a one-part name gives one part.
    """
    name = name.strip()
    if len(name) >= 3 and name[:2] in _TWO_SYLLABLE_SURNAMES:
        surname, given = name[:2], name[2:]
    elif len(name) >= 2:
        surname, given = name[:1], name[1:]
    else:
        return _romanise_syllables(name)
    family = _SURNAME_ROMAN.get(surname) or _romanise_syllables(surname)
    return f"{family}.{_romanise_syllables(given)}"
