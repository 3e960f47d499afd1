"""One person's consistent PII block (name, RRN, phone, e-mail from the name, address) in one draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.reference.names import normalise_region_code
from app.world.identity.contacts import _address, _email, _mobile
from app.world.identity.names import _check_sex, _person_name, romanise_name
from app.world.identity.numbers import _rrn
from app.world.identity.random_stream import RandomSource, as_stream

__all__ = ["Identity", "make_identity"]


@dataclass(frozen=True)
class Identity:
    """The PII block of one synthetic person.

    Attributes:
        name: Full name in Hangul.
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        rrn: 주민등록번호 with a valid check digit.
        mobile: ``"010-XXXX-XXXX"``.
        email: Personal e-mail derived from the romanised name.
        address: Road-name address in the given 시도.
    """

    name: str
    sex: str
    birth_date: dt.date
    rrn: str
    mobile: str
    email: str
    address: str


def make_identity(
    rng: RandomSource, sex: str, birth_date: dt.date, region_code: str
) -> Identity:
    """Make a consistent identity (name, RRN, phone, e-mail from the name, address) in one draw.

    Cheaper than calling the single-field makers one by one because it fetches one block of
    uniforms for all fields.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        region_code: HRD-Net 시도 code of the home address.

    Returns:
        The identity.

    Raises:
        ValueError: On a bad sex, birth year or region.
    """
    _check_sex(sex)
    code = normalise_region_code(region_code)
    d = as_stream(rng, 48)
    name = _person_name(d, sex)
    hint = romanise_name(name) if d.u() < 0.75 else None
    return Identity(
        name=name,
        sex=sex,
        birth_date=birth_date,
        rrn=_rrn(d, birth_date, sex),
        mobile=_mobile(d),
        email=_email(d, hint),
        address=_address(d, code),
    )
