"""The code lists an import validates against: KECO, 시도, welfare items and certificates.

They come from the caller when given, else from the reference tables
(:func:`app.reference.tables.load_reference`), the product's one source for them. Without those
tables, 시도 codes fall back to the HRD-Net list the synthetic world uses
(:data:`app.reference.names.REGION_NAMES`) and KECO and welfare codes are checked for format only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.reference.names import REGION_NAMES

if TYPE_CHECKING:
    from app.reference.tables import Reference

REGION_CODES: frozenset[str] = frozenset(REGION_NAMES)
"""HRD-Net 2-digit 시도 codes (domain-facts §4.2); used when no reference table is available."""


@dataclass(frozen=True)
class Codes:
    """Allowed codes for one import; ``None`` means "format check only".

    Attributes:
        keco: KECO 소분류 codes.
        regions: 시도 codes (never None: :data:`REGION_CODES` is the fallback).
        welfare: Welfare item codes.
        certificates: Certificate name → ``certificate_id``.
        notes: Warnings about checks that could not be made (no KECO table).
    """

    keco: frozenset[str] | None
    regions: frozenset[str]
    welfare: frozenset[str] | None
    certificates: Mapping[str, str] | None
    notes: tuple[str, ...]

    def context(self, *, welfare: bool) -> dict[str, frozenset[str] | None]:
        """The validation context of the row models (see :class:`app.db.importers.rows.PostingRow`)."""
        context: dict[str, frozenset[str] | None] = {"keco": self.keco, "regions": self.regions}
        if welfare:
            context["welfare"] = self.welfare
        return context


def _load_reference() -> Reference | None:
    """The reference tables, or None when their CSV files are missing (then the fallbacks apply)."""
    from app.reference.tables import load_reference  # here, not at the top: it imports pandas (~1 s)

    try:
        return load_reference()
    except FileNotFoundError:
        return None


def resolve_codes(
    known_keco: set[str] | None,
    known_regions: set[str] | None,
    known_certificates: Mapping[str, str] | None = None,
    *,
    need_certificates: bool = False,
) -> Codes:
    """Pick the code lists to validate against: the caller's, else the reference tables, else built-ins.

    The reference tables are not read at all when the caller gives every list the import needs.
    """
    reference = None
    if known_keco is None or known_regions is None or (need_certificates and known_certificates is None):
        reference = _load_reference()
    notes: list[str] = []

    keco = frozenset(known_keco) if known_keco is not None else None
    if keco is None and reference is not None:
        # zfill: a loader that read the CSV without dtype=str turns "011" into 11.
        keco = frozenset(str(code).strip().zfill(3) for code in reference.occupations["keco_code"])
    if keco is None:
        notes.append("KECO 참조표(data/reference/occupations.csv)를 찾지 못해 KECO 코드는 형식(숫자 3자리)만 검사했습니다")

    regions = frozenset(known_regions) if known_regions is not None else None
    if regions is None and reference is not None:
        regions = frozenset(str(code).strip().zfill(2) for code in reference.regions["code"])
    if regions is None:
        regions = REGION_CODES

    welfare = None
    if reference is not None:
        welfare = frozenset(str(code).strip().upper() for code in reference.welfare_items["code"])

    certificates = MappingProxyType(dict(known_certificates)) if known_certificates is not None else None
    if certificates is None and need_certificates and reference is not None:
        table = reference.certificates
        if {"certificate_id", "name"} <= set(table.columns):
            certificates = MappingProxyType(
                {str(name).strip(): str(cid).strip() for name, cid in zip(table["name"], table["certificate_id"], strict=True)}
            )
    return Codes(keco, regions, welfare, certificates, tuple(notes))
