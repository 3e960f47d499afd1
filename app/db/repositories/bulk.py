"""Fast inserts of whole frames (the synthetic world's tables; generated rows in bulk).

Rows go in with SQLAlchemy Core ``insert`` in chunks inside one transaction per frame, which is
what makes a million-seeker world writable in minutes; ORM objects would cost ten times more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert

from app.db import orm


def _as_dates(values: np.ndarray) -> list[dt.date]:
    return list(pd.to_datetime(np.asarray(values)).date)


def frame_records(frame: pd.DataFrame, *, date_cols: tuple[str, ...] = (), datetime_cols: tuple[str, ...] = ()) -> list[dict]:
    """Rows of ``frame`` as dicts of plain Python values the database drivers accept.

    Args:
        frame: The rows.
        date_cols: Columns to write as dates.
        datetime_cols: Columns to write as datetimes.
    """
    out = frame.copy()
    for col in date_cols:
        out[col] = _as_dates(out[col].to_numpy())
    for col in datetime_cols:
        out[col] = list(pd.to_datetime(out[col].to_numpy()).to_pydatetime())
    out = out.astype(object).where(pd.notna(out), None)
    return out.to_dict("records")


def insert_frame(
    engine: Engine,
    table: str,
    frame: pd.DataFrame,
    *,
    chunk: int,
    date_cols: tuple[str, ...] = (),
    datetime_cols: tuple[str, ...] = (),
) -> int:
    """Insert ``frame`` into the table named ``table`` in chunks, one transaction per call.

    Returns:
        Rows written.
    """
    if frame.empty:
        return 0
    target = orm.Base.metadata.tables[table]
    with engine.begin() as conn:
        for start in range(0, len(frame), chunk):
            rows = frame_records(frame.iloc[start : start + chunk], date_cols=date_cols, datetime_cols=datetime_cols)
            conn.execute(insert(target), rows)
    return len(frame)


def insert_rows(engine: Engine, table: str, rows: list[Mapping[str, object]]) -> None:
    """Insert plain dict rows into the table named ``table`` (one transaction)."""
    with engine.begin() as conn:
        conn.execute(insert(orm.Base.metadata.tables[table]), list(rows))
