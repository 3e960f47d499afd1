"""Synthetic Korean identities: names, RRNs, business numbers, phones, e-mails, addresses, companies.

Every function draws its randomness from a caller-supplied ``numpy.random.Generator`` so that a
seeded world is reproducible: the same generator state always yields the same strings. Nothing here
touches the global ``random`` module or an unseeded Faker.

Speed matters: the large world makes about a million seekers, so the vocabularies are tuples built
once at import, and each call pulls one small block of uniforms from the generator
(:class:`UniformStream`) instead of paying numpy's per-call overhead for every choice.

All people, numbers and companies are fictitious. RRN check digits follow the pre-October-2020
rule and business numbers the National Tax Service rule (domain-facts §6) so that detectors and
validators can be tested against well-formed values.

Layout: ``random_stream`` (the shared :class:`UniformStream`), ``regions``, ``names``,
``numbers`` (check digits), ``contacts`` (phones, e-mail, addresses), ``companies``, ``bundle``
(:func:`make_identity`), and the word tables in ``*_vocab`` modules.
"""

from __future__ import annotations

from app.reference.names import AREA_CODES, REGION_FULL_NAMES, REGION_NAMES, normalise_region_code
from app.world.identity.bundle import Identity, make_identity
from app.world.identity.companies import make_company_name
from app.world.identity.company_vocab import KSIC_SECTIONS
from app.world.identity.contacts import make_address, make_email, make_landline, make_mobile
from app.world.identity.names import make_person_name, romanise_name
from app.world.identity.numbers import make_business_no, make_rrn
from app.world.identity.place_vocab import _DISTRICTS  # noqa: F401  (tests check its 시도 keys)
from app.world.identity.random_stream import RandomSource, UniformStream, as_stream

__all__ = [
    "AREA_CODES",
    "Identity",
    "KSIC_SECTIONS",
    "REGION_FULL_NAMES",
    "REGION_NAMES",
    "RandomSource",
    "UniformStream",
    "as_stream",
    "make_address",
    "make_business_no",
    "make_company_name",
    "make_email",
    "make_identity",
    "make_landline",
    "make_mobile",
    "make_person_name",
    "make_rrn",
    "normalise_region_code",
    "romanise_name",
]
