"""KNOW 2018 aggregates of the occupation-fit model (``app.ml.occupation_fit``).

Two committed tables, derived from the **even-``idx``** incumbents of KNOW 2018 (한국직업정보
재직자조사, ``<shared_data_dir>/know_dacon/KNOW_2018.csv.gz``; odd rows are the evaluation hold-out
and are never aggregated):

* ``know_occupations.csv``: one row per KNOW occupation: ``knowcode``, ``occupation_name``
  (``knowcode_names.csv``), ``keco_code`` (KECO 2025 소분류, :func:`map_knowcode`; empty without a
  counterpart), ``n_even`` (incumbents) and the mean answer of every model feature (``R``..``C`` =
  ``iq1``..``iq6``, ``cq1``..``cq49``);
* ``know_covariance.csv``: the pooled within-occupation covariance of the features.

These are exactly what the Gaussian part of the model needs, so a clean clone without
``../shared/data`` still builds it (no respondent's row is committed). The other KNOW years (2017,
2019, 2020) ask none of these items (they have aq/sq/kq/vq items), so they are not read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from app.reference.build.keco import map_knowcode
from app.reference.build.know import KNOW_DIR, KNOW_INTEREST_ITEMS

KNOW_FIT_FILES = {"occupations": "know_occupations.csv", "covariance": "know_covariance.csv"}
"""Table -> file name in the reference directory."""
INTEREST_FEATURES = ("R", "I", "A", "S", "E", "C")
WORK_ITEMS = tuple(f"cq{i}" for i in range(1, 50))
FIT_FEATURES = (*INTEREST_FEATURES, *WORK_ITEMS)
"""Model features: the six interests (KNOW ``iq1``..``iq6``) and the 49 work-environment items."""


def load_know_fit_rows(shared_dir: Path) -> pd.DataFrame | None:
    """Every KNOW 2018 row with ``idx``, ``knowcode`` and the features (float), or ``None`` when the
    file is missing. Rows with an answer outside 1–5 or a missing answer are dropped (none in 2018)."""
    path = Path(shared_dir) / KNOW_DIR / "KNOW_2018.csv.gz"
    if not path.exists():
        return None
    raw = pd.read_csv(path, dtype=str, usecols=["idx", "knowcode", *KNOW_INTEREST_ITEMS, *WORK_ITEMS])
    raw = raw.rename(columns=dict(zip(KNOW_INTEREST_ITEMS, INTEREST_FEATURES, strict=True)))
    values = raw[list(FIT_FEATURES)].apply(pd.to_numeric, errors="coerce")
    keep = values.apply(lambda s: s.between(1, 5)).all(axis=1)
    out = pd.concat([raw[["idx", "knowcode"]], values], axis=1)[keep].copy()
    out["idx"] = out["idx"].astype(int)
    out["knowcode"] = out["knowcode"].str.strip()
    return out.reset_index(drop=True)


def within_covariance(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Pooled within-group covariance (divided by the number of rows)."""
    frame = pd.DataFrame(values)
    residual = values - frame.groupby(codes).transform("mean").to_numpy()
    return residual.T @ residual / len(values)


def build_know_fit_tables(shared_dir: Path) -> dict[str, pd.DataFrame]:
    """The two tables of the module docstring from the even rows.

    Raises:
        FileNotFoundError: When KNOW 2018 or ``knowcode_names.csv`` is missing.
    """
    rows = load_know_fit_rows(shared_dir)
    if rows is None:
        raise FileNotFoundError(f"공유 데이터 파일이 없습니다: {Path(shared_dir) / KNOW_DIR / 'KNOW_2018.csv.gz'}")
    even = rows[rows["idx"] % 2 == 0]
    names = pd.read_csv(Path(shared_dir) / KNOW_DIR / "knowcode_names.csv", dtype=str)
    name_of = names.drop_duplicates("knowcode").set_index("knowcode")["occupation_name_ko"]
    grouped = even.groupby("knowcode")
    means = grouped[list(FIT_FEATURES)].mean().round(6)
    table = pd.DataFrame({"knowcode": means.index.astype(str)})
    table["occupation_name"] = [str(name_of.get(code, code)) for code in table["knowcode"]]
    table["keco_code"] = [map_knowcode(code) or "" for code in table["knowcode"]]
    table["n_even"] = grouped.size().reindex(means.index).to_numpy()
    table = pd.concat([table, means.reset_index(drop=True)], axis=1)
    table = table.sort_values("knowcode", key=lambda s: s.str.zfill(6)).reset_index(drop=True)
    covariance = within_covariance(even[list(FIT_FEATURES)].to_numpy(float), even["knowcode"].to_numpy())
    cov = pd.DataFrame(np.round(covariance, 8), columns=list(FIT_FEATURES))
    cov.insert(0, "feature", list(FIT_FEATURES))
    return {"occupations": table, "covariance": cov}
