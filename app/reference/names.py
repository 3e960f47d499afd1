"""Korean names of codes: 시도 (HRD-Net 2-digit codes) with their telephone area codes, and the
name lookups of the reference tables (occupations, regions, firm sizes, welfare items).

* :data:`REGION_NAMES`, :data:`REGION_FULL_NAMES`, :data:`AREA_CODES`, :func:`normalise_region_code`:
  official public lists that need no table (the world generator and the importers use them);
* :class:`ReferenceNames` / :func:`reference_names`: lookups built from a loaded :class:`Reference`,
  tolerant of a missing table (codes are then shown as they are);
* :func:`occupation_names`, :func:`region_short`, :func:`size_label`, :func:`welfare_names`:
  the same lookups on the committed tables, cached, for wording that runs per prediction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

import pandas as pd

from app.reference.tables import Reference, load_reference

REGION_NAMES: Final[dict[str, str]] = {
    "11": "서울", "26": "부산", "27": "대구", "28": "인천", "29": "광주", "30": "대전",
    "31": "울산", "36": "세종", "41": "경기", "43": "충북", "44": "충남", "45": "전북",
    "46": "전남", "47": "경북", "48": "경남", "50": "제주", "51": "강원",
}
"""HRD-Net 2-digit 시도 code -> short name."""

REGION_FULL_NAMES: Final[dict[str, str]] = {
    "11": "서울특별시", "26": "부산광역시", "27": "대구광역시", "28": "인천광역시",
    "29": "광주광역시", "30": "대전광역시", "31": "울산광역시", "36": "세종특별자치시",
    "41": "경기도", "43": "충청북도", "44": "충청남도", "45": "전북특별자치도", "46": "전라남도",
    "47": "경상북도", "48": "경상남도", "50": "제주특별자치도", "51": "강원특별자치도",
}
"""HRD-Net 시도 code -> official name used in road-name addresses (강원 2023-, 전북 2024-)."""

AREA_CODES: Final[dict[str, str]] = {
    "11": "02", "26": "051", "27": "053", "28": "032", "29": "062", "30": "042", "31": "052",
    "36": "044", "41": "031", "43": "043", "44": "041", "45": "063", "46": "061", "47": "054",
    "48": "055", "50": "064", "51": "033",
}
"""HRD-Net 시도 code -> telephone area code."""

# The administrative standard codes moved when 강원 (42 -> 51) and 전북 (45 -> 52) became
# special self-governing provinces; accept both so callers holding either table work.
_REGION_ALIASES: Final[dict[str, str]] = {"42": "51", "52": "45"}
_SHORT_TO_CODE: Final[dict[str, str]] = {v: k for k, v in REGION_NAMES.items()}
_FULL_TO_CODE: Final[dict[str, str]] = {v: k for k, v in REGION_FULL_NAMES.items()}


def normalise_region_code(region: str) -> str:
    """Return the HRD-Net 2-digit code for a code, alias, short or full 시도 name.

    Args:
        region: ``"41"``, ``"경기"``, ``"경기도"``; old codes ``"42"`` (강원) and ``"52"``
            (전북 administrative code) are accepted too.

    Returns:
        The 2-digit HRD-Net code.

    Raises:
        ValueError: If the region is unknown.
    """
    code = _REGION_ALIASES.get(region, region)
    if code in REGION_NAMES:
        return code
    code = _SHORT_TO_CODE.get(region) or _FULL_TO_CODE.get(region)
    if code is None:
        raise ValueError(
            f"알 수 없는 시도 코드입니다: {region!r} (사용 가능: {', '.join(sorted(REGION_NAMES))})"
        )
    return code


# --------------------------------------------------------------------------- lookups of loaded tables


@dataclass(frozen=True)
class ReferenceNames:
    """Code -> Korean name lookups taken from the reference tables.

    Attributes:
        regions: 시도 code -> short name (e.g. ``"11" -> "서울"``).
        occupations: KECO 소분류 code -> name.
        occupation_major: KECO 소분류 code -> 대분류 code.
        majors: KECO 대분류 code -> name.
        welfare: Welfare item code -> name.
        sizes: Firm-size band code -> label (e.g. ``"S2" -> "5–29명"``).
    """

    regions: Mapping[str, str] = field(default_factory=dict)
    occupations: Mapping[str, str] = field(default_factory=dict)
    occupation_major: Mapping[str, str] = field(default_factory=dict)
    majors: Mapping[str, str] = field(default_factory=dict)
    welfare: Mapping[str, str] = field(default_factory=dict)
    sizes: Mapping[str, str] = field(default_factory=dict)

    def region(self, code: Any) -> str:
        """Name of a 시도 code (the code itself when unknown)."""
        return self.regions.get(str(code), str(code))

    def occupation(self, code: Any) -> str:
        """Name of a KECO 소분류 code (the code itself when unknown)."""
        return self.occupations.get(str(code), str(code))

    def major_of(self, code: Any) -> str:
        """KECO 대분류 code of a 소분류 code (its first digit when the reference lacks it)."""
        code = str(code)
        return self.occupation_major.get(code, code[:1])

    def major(self, code: Any) -> str:
        """Name of a KECO 대분류 code (``"대분류 N"`` when unknown)."""
        return self.majors.get(str(code), f"대분류 {code}")


def _column(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    for name in names:
        if name in frame.columns:
            return frame[name]
    return None


def _pairs(frame: pd.DataFrame | None, keys: tuple[str, ...], values: tuple[str, ...]) -> dict[str, str]:
    if frame is None or not isinstance(frame, pd.DataFrame) or frame.empty:
        return {}
    key_col, val_col = _column(frame, *keys), _column(frame, *values)
    if key_col is None or val_col is None:
        return {}
    return {str(k): str(v) for k, v in zip(key_col, val_col, strict=True) if pd.notna(k) and pd.notna(v)}


def reference_names(reference: Reference | None) -> ReferenceNames:
    """Build name lookups from the loaded reference tables (:func:`app.reference.tables.load_reference`).

    The reference is read duck-typed (``regions`` and ``occupations`` DataFrames) so that the
    overview still works, showing codes, when the reference tables are not available.

    Args:
        reference: The loaded reference tables, or ``None``.

    Returns:
        Lookups (empty when ``reference`` is ``None``).
    """
    if reference is None:
        return ReferenceNames()
    regions = getattr(reference, "regions", None)
    occupations = getattr(reference, "occupations", None)
    return ReferenceNames(
        regions=_pairs(regions, ("code", "region_code"), ("short", "name")),
        occupations=_pairs(occupations, ("keco_code", "code"), ("name",)),
        occupation_major=_pairs(occupations, ("keco_code", "code"), ("major_code",)),
        majors=_pairs(occupations, ("major_code",), ("major_name",)),
        welfare=_pairs(getattr(reference, "welfare_items", None), ("code",), ("name",)),
        sizes=_pairs(getattr(reference, "firm_sizes", None), ("code",), ("label",)),
    )


@lru_cache(maxsize=4)
def _lookups(reference: Reference) -> dict[str, dict[str, object]]:
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


def _committed() -> dict[str, dict[str, object]]:
    return _lookups(load_reference())


def welfare_names(codes: tuple[str, ...] | list[str]) -> list[str]:
    """Korean names of welfare codes (unknown codes are shown as they are)."""
    names = _committed()["welfare"]
    return [str(names.get(code, code)) for code in codes]


def size_label(size_code: str) -> str:
    """Firm-size band label, e.g. ``"S2" -> "5–29명"``."""
    return str(_committed()["size"].get(size_code, size_code))


def region_short(region_code: str) -> str:
    """Short 시도 name, e.g. ``"11" -> "서울"``."""
    return str(_committed()["region"].get(region_code, region_code))


def occupation_names(keco_code: str) -> tuple[str, str, str]:
    """(소분류, 중분류, 대분류) names of a KECO 소분류 code (the code itself when unknown)."""
    found = _committed()["occupation"].get(keco_code)
    return found if found is not None else (keco_code, keco_code, keco_code)  # type: ignore[return-value]
