"""NCS (national competency standards) 대분류: the official list and our KECO -> NCS mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NCS_FILE = Path("korean_occupation_codes") / "ncs_classification_major_middle_minor.csv"

# KECO 2025 중분류 -> NCS 대분류 (our mapping by field), with 소분류 exceptions below.
_NCS_BY_MIDDLE: dict[str, str] = {
    "01": "02", "02": "02", "03": "03", "11": "04", "12": "04", "13": "20", "14": "14",
    "15": "15", "21": "04", "22": "05", "23": "07", "24": "05", "25": "05", "30": "06",
    "41": "08", "42": "12", "51": "12", "52": "12", "53": "13", "54": "11", "55": "07",
    "56": "11", "61": "10", "62": "09", "70": "14", "81": "15", "82": "16", "83": "19",
    "84": "20", "85": "17", "86": "18", "87": "21", "88": "22", "89": "15", "90": "24",
}
_NCS_BY_MINOR: dict[str, str] = {
    "016": "01", "122": "17", "152": "16", "153": "19", "154": "17", "155": "23", "156": "18",
    "157": "21", "158": "23", "214": "04", "416": "08", "417": "08", "513": "12", "853": "23",
    "814": "23", "833": "19", "137": "20", "884": "22",
}


def ncs_code_for(keco_code: str, middle_code: str) -> str:
    """NCS 대분류 code of a KECO 2025 소분류 (소분류 exception first, else its 중분류's field)."""
    return _NCS_BY_MINOR.get(keco_code, _NCS_BY_MIDDLE[middle_code])


def load_ncs_major_names(shared_dir: Path) -> dict[str, str]:
    """NCS 대분류 code -> name from the official classification file in ``shared_dir``."""
    ncs = pd.read_csv(shared_dir / NCS_FILE, dtype=str)
    return dict(zip(ncs["대분류코드"], ncs["대분류코드명"], strict=True))


def build_ncs_fields(shared_dir: Path) -> pd.DataFrame:
    """The 24 NCS 대분류 (official classification) [S31]."""
    names = load_ncs_major_names(shared_dir)
    return pd.DataFrame(sorted(names.items()), columns=["ncs_code", "name"])
