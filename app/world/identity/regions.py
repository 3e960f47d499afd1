"""시도 codes and names (HRD-Net 2-digit codes), telephone area codes, and code normalisation."""

from __future__ import annotations

from typing import Final

__all__ = ["AREA_CODES", "REGION_FULL_NAMES", "REGION_NAMES", "normalise_region_code"]


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
