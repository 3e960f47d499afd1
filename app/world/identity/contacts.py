"""Contact details: mobile and landline numbers, personal e-mail addresses, road-name addresses."""

from __future__ import annotations

import bisect
from typing import Final

from app.reference.names import AREA_CODES, normalise_region_code
from app.world.identity.company_vocab import _STEMS
from app.world.identity.place_vocab import _APT_SUFFIX, _BUILDING_NO_BANDS, _BUILDING_NO_CUM, _DISTRICT_PREFIX
from app.world.identity.random_stream import RandomSource, UniformStream, as_stream, cumulative_weights

__all__ = ["make_address", "make_email", "make_landline", "make_mobile"]


# --------------------------------------------------------------------------------------------
# Phones and e-mail
# --------------------------------------------------------------------------------------------
def _mobile(d: UniformStream) -> str:
    # Middle blocks of 010 numbers start with 2-9.
    return f"010-{d.between(2000, 9999)}-{d.idx(10000):04d}"


def make_mobile(rng: RandomSource) -> str:
    """Make a mobile number ``"010-XXXX-XXXX"``.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).

    Returns:
        The number with hyphens; the middle block is 2000-9999 as in real allocations.
    """
    return _mobile(as_stream(rng, 4))


def _landline(d: UniformStream, code: str) -> str:
    area = AREA_CODES[code]
    middle = f"{d.between(2000, 9999)}" if d.u() < 0.7 else f"{d.between(200, 999)}"
    return f"{area}-{middle}-{d.idx(10000):04d}"


def make_landline(rng: RandomSource, region_code: str) -> str:
    """Make a landline number with the area code of a 시도.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        region_code: HRD-Net 시도 code (``"11"`` 서울 → 02, ``"41"`` 경기 → 031 …); short or
            full names are accepted too.

    Returns:
        ``"02-XXXX-XXXX"`` / ``"0XX-XXX(X)-XXXX"``.

    Raises:
        ValueError: If the region is unknown.
    """
    return _landline(as_stream(rng, 4), normalise_region_code(region_code))


_EMAIL_DOMAINS: Final = ("naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com",
                         "nate.com", "hotmail.com", "outlook.com")
_EMAIL_DOMAIN_CUM: Final = cumulative_weights((0.42, 0.27, 0.09, 0.08, 0.05, 0.05, 0.02, 0.02))
_EMAIL_WORDS: Final = (
    "sky", "happy", "sunny", "blue", "star", "dream", "mint", "lucky", "hope", "green", "moon",
    "ocean", "cool", "smile", "angel", "tiger", "bear", "rabbit", "cherry", "coffee", "music",
    "dandy", "jjang", "haru", "bom", "byeol", "nabi", "sarang", "hana", "duri", "saebyeok",
)
_EMAIL_ALLOWED: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._")


def _clean_local(hint: str) -> str:
    s = "".join(ch for ch in hint.lower().replace(" ", ".").replace("-", "_") if ch in _EMAIL_ALLOWED)
    s = s.strip("._")
    while ".." in s:
        s = s.replace("..", ".")
    return s


def _email(d: UniformStream, hint: str | None) -> str:
    domain = d.weighted(_EMAIL_DOMAINS, _EMAIL_DOMAIN_CUM)
    base = _clean_local(hint) if hint else ""
    if base:
        parts = base.split(".")
        if len(parts) == 2 and parts[0] and parts[1]:
            family, given = parts
            r = d.idx(6)
            if r == 0:
                base = f"{family}.{given}"
            elif r == 1:
                base = f"{given}.{family}"
            elif r == 2:
                base = f"{family}{given}"
            elif r == 3:
                base = f"{given}_{family}"
            elif r == 4:
                base = f"{given[:1]}{given[-1:]}.{family}" if len(given) > 1 else f"{given}{family}"
            else:
                base = f"{given}{family[:1]}"
    else:
        first = d.pick(_EMAIL_WORDS)
        second = d.pick(_EMAIL_WORDS)
        base = first + second if (first != second and d.u() < 0.5) else first
    suffix_kind = d.u()
    sep = "_" if d.u() < 0.15 else ""
    if suffix_kind < 0.35:
        base += f"{sep}{d.between(70, 105) % 100:02d}"  # birth year, e.g. 88, 01
    elif suffix_kind < 0.6:
        base += f"{sep}{d.between(1, 9999)}"
    elif len(base) < 5:
        base += str(d.between(10, 999))
    return f"{base}@{domain}"


def make_email(rng: RandomSource, romanised_hint: str | None = None) -> str:
    """Make a plausible personal e-mail address.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        romanised_hint: Optional romanised name such as ``"kim.minjun"`` (see
            :func:`romanise_name`); it is reordered/abbreviated the way people do
            (``minjun.kim``, ``kimminjun88``, ``mn.kim``). Characters outside ``[a-z0-9._]``
            are dropped.

    Returns:
        An address at a common Korean or global provider (naver.com, gmail.com, daum.net …).
    """
    return _email(as_stream(rng, 8), romanised_hint)


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
def _address(d: UniformStream, code: str) -> str:
    prefix, roads = d.pick(_DISTRICT_PREFIX[code])
    road = d.pick(roads)
    lo, hi = _BUILDING_NO_BANDS[bisect.bisect_right(_BUILDING_NO_CUM, d.u() * _BUILDING_NO_CUM[-1])]
    number = d.between(lo, hi)
    r = d.u()
    if r < 0.25 and (road.endswith("로") and not road.endswith("도로")):
        # Side street off an arterial road: "논현로28길 12".
        street = f"{road}{d.between(1, 120)}길 {d.between(1, 60)}"
    else:
        street = f"{road} {number}"
        if r > 0.9:
            street += f"-{d.between(1, 30)}"
    kind = d.u()
    if kind < 0.5:
        detail = f", {d.between(101, 125)}동 {d.between(1, 25)}{d.between(1, 8):02d}호"
    elif kind < 0.6:
        detail = f", {d.between(1, 25)}{d.between(1, 8):02d}호 ({d.pick(_STEMS)}{d.pick(_APT_SUFFIX)})"
    elif kind < 0.85:
        detail = f", {d.between(1, 5)}0{d.between(1, 6)}호"
    else:
        detail = ""
    return f"{prefix} {street}{detail}"


def make_address(rng: RandomSource, region_code: str) -> str:
    """Make a road-name (도로명) address inside a 시도.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        region_code: HRD-Net 시도 code (``"41"`` → 경기도 …); names and old codes accepted.

    Returns:
        For example ``"경기도 수원시 영통구 광교로 145, 302동 1101호"`` or
        ``"서울특별시 강남구 논현로28길 12, 301호"``.

    Raises:
        ValueError: If the region is unknown.
    """
    return _address(as_stream(rng, 16), normalise_region_code(region_code))
