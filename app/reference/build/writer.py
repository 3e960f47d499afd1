"""Deterministic output: table file names, CSV writing and shares that sum to exactly 1.

Two builds from the same inputs must give byte-identical files (the unit tests rebuild and
compare), so every table goes through :func:`write_csv` and every weight column through
:func:`compute_normalised_weights`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from app.reference.tables import TABLE_FILES

__all__ = ["TABLE_FILES", "compute_normalised_weights", "write_csv", "write_tables"]

def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write one table as UTF-8 CSV with '\\n' line ends (byte-identical across runs)."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def compute_normalised_weights(values: Mapping[str, float] | pd.Series, decimals: int = 6) -> pd.Series:
    """Normalise non-negative values to shares that sum to exactly 1 after rounding.

    The rounding residual goes to the largest share, so the CSV sums to 1 without drift.

    Args:
        values: Raw non-negative weights keyed by label.
        decimals: Decimals kept.

    Returns:
        Series of rounded shares in the input order.
    """
    s = pd.Series(values, dtype=float)
    if (s < 0).any() or s.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    shares = (s / s.sum()).round(decimals)
    residual = round(1.0 - float(shares.sum()), decimals)
    if residual:
        top = shares.idxmax()
        shares[top] = round(float(shares[top]) + residual, decimals)
    return shares


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> None:
    """Write each named table to ``out_dir / TABLE_FILES[name]`` with :func:`write_csv`."""
    for name, df in tables.items():
        write_csv(df, out_dir / TABLE_FILES[name])
