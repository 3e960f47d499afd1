"""Fictitious identification numbers: 주민등록번호 and 사업자등록번호 with valid check digits
(the check-digit rules are :mod:`app.reference.identifiers`)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from app.reference.identifiers import business_no_check_digit, rrn_check_digit
from app.world.identity.names import _check_sex
from app.world.identity.random_stream import RandomSource, UniformStream, as_stream, cumulative_weights

__all__ = ["make_business_no", "make_rrn"]


# --------------------------------------------------------------------------------------------
# Resident registration number (주민등록번호)
# --------------------------------------------------------------------------------------------
_RRN_GENDER_DIGIT: Final[dict[tuple[int, str], int]] = {
    (18, "M"): 9, (18, "F"): 0, (19, "M"): 1, (19, "F"): 2, (20, "M"): 3, (20, "F"): 4,
}


def _rrn(d: UniformStream, birth_date: dt.date, sex: str) -> str:
    g = _RRN_GENDER_DIGIT.get((birth_date.year // 100, sex))
    if g is None:
        raise ValueError(f"주민등록번호는 1800~2099년생만 만들 수 있습니다 (입력: {birth_date.isoformat()})")
    # Digits 2-5: registration-office region code (first two 00-95 before 2020), 6: daily serial.
    tail = f"{d.idx(96):02d}{d.idx(100):02d}{d.between(1, 9)}"
    front = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"
    body = f"{front}{g}{tail}"
    return f"{front}-{g}{tail}{rrn_check_digit(body)}"


def make_rrn(rng: RandomSource, birth_date: dt.date, sex: str) -> str:
    """Make a fictitious 주민등록번호 ``"YYMMDD-GNNNNNC"`` with a valid pre-2020 check digit.

    G encodes century and sex (1/2 for 1900s M/F, 3/4 for 2000s, 9/0 for 1800s); digits 2-5 are
    a random region code, digit 6 a serial and C the check digit with weights
    2,3,4,5,6,7,8,9,2,3,4,5 and ``C = (11 - Σ mod 11) mod 10``. Numbers issued from Oct 2020 have
    a random tail, but seekers in our world were born long before, so every number carries C.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        birth_date: Date of birth (encoded in the first six digits).
        sex: ``"M"`` or ``"F"``.

    Returns:
        The number with a hyphen after the sixth digit.

    Raises:
        ValueError: On a bad ``sex`` or a birth year outside 1800-2099.
    """
    _check_sex(sex)
    return _rrn(as_stream(rng, 8), birth_date, sex)


# --------------------------------------------------------------------------------------------
# Business registration number (사업자등록번호)
# --------------------------------------------------------------------------------------------
# Real tax-office prefixes (서울 1xx, 경기·인천·강원 1xx-2xx, 충청 3xx, 호남 4xx, 영남 5xx-6xx …).
_TAX_OFFICES: Final = (
    101, 104, 105, 106, 107, 108, 109, 110, 113, 114, 116, 117, 119, 120, 121, 123, 124, 125, 126,
    128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 140, 141, 142, 143, 144, 145, 201, 202,
    203, 204, 206, 207, 208, 209, 210, 211, 212, 214, 215, 217, 220, 221, 229, 301, 302, 303, 304,
    305, 306, 307, 308, 310, 312, 314, 316, 317, 318, 401, 402, 403, 404, 405, 406, 407, 408, 409,
    410, 411, 412, 415, 416, 417, 418, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 513,
    514, 515, 516, 601, 602, 603, 605, 606, 607, 608, 609, 610, 611, 612, 613, 614, 615, 616, 617,
    620, 621,
)
# Middle two digits: 81/86/87/88 corporate head office, 85 branch, 01-79 individual taxable,
# 90-99 individual tax-exempt, 82 non-profit corporation.
_BIZ_KIND: Final = ("81", "86", "87", "88", "85", "82")
_BIZ_KIND_CUM: Final = cumulative_weights((0.45, 0.25, 0.12, 0.1, 0.06, 0.02))


def _business_no(d: UniformStream) -> str:
    office = d.pick(_TAX_OFFICES)
    r = d.u()
    if r < 0.55:
        kind = d.weighted(_BIZ_KIND, _BIZ_KIND_CUM)
    elif r < 0.93:
        kind = f"{d.between(1, 79):02d}"
    else:
        kind = f"{d.between(90, 99):02d}"
    serial = f"{d.between(1, 9999):04d}"
    d9 = f"{office}{kind}{serial}"
    return f"{office}-{kind}-{serial}{business_no_check_digit(d9)}"


def make_business_no(rng: RandomSource) -> str:
    """Make a fictitious 사업자등록번호 ``"XXX-XX-XXXXX"`` with a valid check digit.

    Check digit: weights 1,3,7,1,3,7,1,3,5 on the first nine digits, plus ⌊d9 × 5 / 10⌋, then
    ``(10 - Σ mod 10) mod 10``. The prefix is a real tax-office code and the middle pair follows
    the corporate/individual convention, so the numbers look right, but they are random.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).

    Returns:
        For example ``"124-81-00998"``-shaped strings.
    """
    return _business_no(as_stream(rng, 8))
