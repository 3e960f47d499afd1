"""KECO 2025 occupation tree and the KECO 2018 -> 2025 code mapping.

The tree is the official classification, copied as is. 직업사전 and KNOW use KECO 2018 codes;
:func:`keco2018_to_2025` and :func:`map_knowcode` bring them onto the 2025 소분류 the world uses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

KECO_TREE_FILE = Path("korean_occupation_codes") / "keco2025_tree.csv"

# --------------------------------------------------------------------------------------
# KECO 2018 -> KECO 2025 crosswalk
# --------------------------------------------------------------------------------------
# 직업사전 dJobECd and the KNOW knowcode prefix are KECO **2018** 세분류 codes (e.g. 1350
# 정보보안 전문가, 6130 텔레마케터 and 2331 성직자 do not exist in the 2025 tree, and only
# 40% of the dictionary's 443 four-digit codes keep their name in 2025). The world uses
# KECO 2025 소분류, so every 2018 세분류 keeps its 3-digit prefix except the ones below,
# found by name comparison against the 2025 세분류 list.
KECO2018_TO_2025_OVERRIDES: dict[str, str] = {
    "1341": "135",  # 데이터 전문가 -> 135 데이터 전문가
    "1342": "134",  # 네트워크 시스템 개발자 -> 134
    "1343": "136",  # 정보시스템 운영자 -> 136 정보시스템 및 웹 운영자
    "1344": "136",  # 웹 운영자 -> 136
    "1349": "134",  # 기타 데이터 및 네트워크 전문가 -> 1349 기타 네트워크 및 정보 보안 전문가
    "1350": "134",  # 정보보안 전문가 -> 1342 정보 보안 전문가
    "1360": "137",  # 통신·방송송출 장비 기사 -> 137
    "5115": "513",  # 반려동물 미용 및 관리 종사원 -> 513 반려동물 서비스원 (new in 2025)
    "5324": "624",  # 음식 배달원 -> 6249 기타 배달원
    "5613": "562",  # 배관 세정원 및 방역원 -> 562 세정원 및 방역원
    "5614": "563",  # 구두 미화원 -> 5631
    "5615": "563",  # 세탁원 -> 5632
    "5616": "563",  # 가사 도우미 -> 5633
    "6123": "613",  # 자동차 영업원 -> 613 자동차 및 제품 영업원
    "6124": "613",  # 제품·광고 영업원 -> 6132 제품 영업원
    "6130": "614",  # 텔레마케터 -> 614
    "6140": "615",  # 소규모 상점 경영 및 일선 관리 -> 6151
}
# Whole 2018 소분류 that moved: 562 (검침·주차관리 및 기타 단순) became 564 in 2025.
KECO2018_GROUP_OVERRIDES: dict[str, str] = {"562": "564"}
# 233 성직자·기타 종교 종사자 has no counterpart in the 2025 tree: those entries are dropped.
KECO2018_DROPPED_GROUPS: frozenset[str] = frozenset({"233"})
# KNOW codes whose prefix contradicts their own label (checked against knowcode_names.csv).
KNOWCODE_OVERRIDES: dict[str, str] = {
    "301004": "304",  # labelled 간호사 but prefixed 3010 (의사); 304 is 간호사
    "511502": "307",  # 수의사 보조원 -> 2025 3077 수의사 보조원 (307 보건·의료 종사자)
}


def keco2018_to_2025(code4: str) -> str | None:
    """Map a KECO 2018 세분류 code (4 digits) to a KECO 2025 소분류 code (3 digits).

    Args:
        code4: KECO 2018 세분류 code, e.g. ``"1350"``.

    Returns:
        The KECO 2025 소분류 code, or ``None`` for groups without a 2025 counterpart.
    """
    code4 = str(code4).strip()
    group = code4[:3]
    if group in KECO2018_DROPPED_GROUPS:
        return None
    if code4 in KECO2018_TO_2025_OVERRIDES:
        return KECO2018_TO_2025_OVERRIDES[code4]
    return KECO2018_GROUP_OVERRIDES.get(group, group)


def map_knowcode(knowcode: str) -> str | None:
    """Map a KNOW occupation code (2018–2020 scheme) to a KECO 2025 소분류 code.

    KNOW codes are the KECO 2018 세분류 code followed by a 2-digit KNOW serial, with the
    leading zero dropped for 대분류 0 (``11102`` = ``0111`` + ``02``). The prefix was checked
    against the 직업사전 세분류 names (same 4-digit code, same occupation).

    Args:
        knowcode: KNOW code as text (5 or 6 digits).

    Returns:
        KECO 2025 소분류 code, or ``None`` when the code has another shape or no counterpart.
    """
    text = str(knowcode).strip()
    if not text.isdigit() or len(text) not in (5, 6):
        return None
    padded = text.zfill(6)
    if padded in KNOWCODE_OVERRIDES:
        return KNOWCODE_OVERRIDES[padded]
    return keco2018_to_2025(padded[:4])


def load_keco_tree(shared_dir: Path) -> pd.DataFrame:
    """The KECO 2025 tree (code, name, level as int, parent) from ``shared_dir``."""
    # Names contain commas inside quotes (e.g. "경찰관, 소방관 및 교도관"): pandas handles them.
    tree = pd.read_csv(shared_dir / KECO_TREE_FILE, dtype=str)
    tree["level"] = tree["level"].astype(int)
    return tree


def compute_minor_frame(tree: pd.DataFrame) -> pd.DataFrame:
    """One row per KECO 2025 소분류 with its 중분류/대분류 codes and names."""
    names = dict(zip(tree["code"], tree["name"], strict=True))
    parent = dict(zip(tree["code"], tree["parent"], strict=True))
    minor = tree[tree["level"] == 3][["code", "name"]].rename(columns={"code": "keco_code"})
    minor["middle_code"] = minor["keco_code"].map(parent)
    minor["middle_name"] = minor["middle_code"].map(names)
    minor["major_code"] = minor["middle_code"].map(parent)
    minor["major_name"] = minor["major_code"].map(names)
    return minor.sort_values("keco_code").reset_index(drop=True)


def build_keco_tree(tree: pd.DataFrame) -> pd.DataFrame:
    """KECO 2025 code table (official classification, copied as is, sorted by code)."""
    out = tree[["code", "name", "level", "parent"]].copy()
    return out.sort_values("code").reset_index(drop=True)
