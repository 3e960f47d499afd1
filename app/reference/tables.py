"""Load the committed reference tables (``data/reference/*.csv``) into one frozen object.

The CSVs are written by :mod:`app.reference.build` (``python -m app reference``, an offline step
that reads ``../shared/data``; nothing here imports it) and documented in
``data/reference/README.md``. Code columns are read as text so that leading
zeros survive (KECO ``011``, NCS ``01``, region ``11``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import pandas as pd

from app.config import get_settings

TABLE_FILES: dict[str, str] = {
    "keco_tree": "keco_tree.csv",
    "occupations": "occupations.csv",
    "regions": "regions.csv",
    "industries": "industries.csv",
    "industry_occupation": "industry_occupation.csv",
    "firm_sizes": "firm_sizes.csv",
    "minimum_wage": "minimum_wage.csv",
    "certificates": "certificates.csv",
    "welfare_items": "welfare_items.csv",
    "ncs_fields": "ncs_fields.csv",
    "violation_rules": "violation_rules.csv",
    "districts": "districts.csv",
    "interest_items": "interest_items.csv",
    "occupation_environment": "occupation_environment.csv",
}
"""Table name -> CSV file name in the reference directory."""

# Columns read as str (codes and ';'-joined lists); everything else is left to pandas.
_STR_COLUMNS: dict[str, tuple[str, ...]] = {
    "keco_tree": ("code", "parent"),
    "occupations": ("keco_code", "middle_code", "major_code", "ncs_code", "skills", "knowledge",
                    "duty_phrases", "certificates"),
    "regions": ("code",),
    "industries": ("code",),
    "industry_occupation": ("industry_code", "keco_code"),
    "firm_sizes": ("code",),
    "minimum_wage": (),
    "certificates": ("certificate_id", "keco_codes"),
    "welfare_items": ("code",),
    "ncs_fields": ("ncs_code",),
    "violation_rules": ("rule_id", "law", "article"),
    "districts": ("region_code",),
    "interest_items": ("item_code", "scale", "environment_code"),
    "occupation_environment": ("keco_code",),
}
# ';'-joined text columns where an empty cell means "none", not "unknown".
_EMPTY_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "occupations": ("skills", "knowledge", "duty_phrases", "certificates"),
    "districts": ("short",),
    "interest_items": ("environment_code",),
}


@dataclass(frozen=True, eq=False)
class Reference:
    """All reference tables, one DataFrame per CSV (see ``data/reference/README.md``).

    The object is shared through a cache: treat the DataFrames as read-only (copy before
    changing them).

    Attributes:
        occupations: One row per KECO 2025 소분류 with RIASEC profile, wage band, skills,
            duty phrases, certificates, NCS field, typical education and posting weight.
        keco_tree: KECO 2025 classification (code, name, level 1–4, parent).
        regions: 17 시도 with employment weight and wage index.
        industries: KSIC sections A–U with posting weight and wage index.
        industry_occupation: P(occupation | industry) weights.
        firm_sizes: Firm-size bands with employer share and wage index.
        minimum_wage: Statutory hourly minimum wage by year and its 209-hour monthly amount.
        certificates: Certificates named in the 직업사전 with their occupations.
        welfare_items: Welfare items a posting can offer.
        ncs_fields: The 24 NCS 대분류.
        violation_rules: Legal problems the world plants in postings, with base rates.
        districts: The 시군구 of every 시도 (name and its short form without 시/군/구).
        interest_items: The interest test's item bank (RIASEC activities and work-environment
            preferences; answer scales in :mod:`app.reference.interest`).
        occupation_environment: Standardised KNOW 2018 work-context levels per KECO 소분류, one
            column per ``cq`` item a work-environment item asks about.
    """

    occupations: pd.DataFrame
    keco_tree: pd.DataFrame
    regions: pd.DataFrame
    industries: pd.DataFrame
    industry_occupation: pd.DataFrame
    firm_sizes: pd.DataFrame
    minimum_wage: pd.DataFrame
    certificates: pd.DataFrame
    welfare_items: pd.DataFrame
    ncs_fields: pd.DataFrame
    violation_rules: pd.DataFrame
    districts: pd.DataFrame
    interest_items: pd.DataFrame
    occupation_environment: pd.DataFrame


def _read_table(directory: Path, name: str) -> pd.DataFrame:
    path = directory / TABLE_FILES[name]
    if not path.exists():
        raise FileNotFoundError(
            f"참조 테이블 파일이 없습니다: {path}. 'python -m app reference'로 다시 만드세요."
        )
    df = pd.read_csv(path, dtype={c: str for c in _STR_COLUMNS[name]}, encoding="utf-8")
    for col in _EMPTY_TEXT_COLUMNS.get(name, ()):
        df[col] = df[col].fillna("")
    if name == "firm_sizes":
        # The top band has no upper bound: nullable ints keep the others integral.
        df["max_workers"] = df["max_workers"].astype("Int64")
    return df


@lru_cache(maxsize=4)
def _load_cached(directory: Path) -> Reference:
    tables = {f.name: _read_table(directory, f.name) for f in fields(Reference)}
    return Reference(**tables)


def load_reference(reference_dir: Path | None = None) -> Reference:
    """Read every reference CSV once per directory (cached, so later calls are free).

    Args:
        reference_dir: Directory of the CSVs; defaults to ``get_settings().reference_dir``.

    Returns:
        The frozen :class:`Reference` (shared between callers; do not mutate its frames).

    Raises:
        FileNotFoundError: If a table is missing (the message names the rebuild command).
    """
    directory = Path(reference_dir) if reference_dir is not None else get_settings().reference_dir
    return _load_cached(_resolved(directory))


@lru_cache(maxsize=16)
def _resolved(directory: Path) -> Path:
    # resolving asks the file system each time (0.02 ms); per-row name lookups call this thousands
    # of times a page run
    return directory.resolve()
