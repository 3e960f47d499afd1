"""Read-only queries of the product database.

Rules for every module here: a new ``Session`` per call (sessions are not thread-safe and Streamlit
serves users from several threads), results are DataFrames or frozen dataclasses, no writes, and
never a ``truth_*`` table (those hold the answers models are evaluated against).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select
from sqlalchemy.orm import Session


def read_frame(engine: Engine, stmt: Select[Any]) -> pd.DataFrame:
    """Run ``stmt`` in a fresh session and return the rows as a DataFrame.

    The columns come from the statement even when there are no rows, so callers can rely on them.

    Args:
        engine: Database engine.
        stmt: A SELECT statement.

    Returns:
        One row per result row, columns named by the statement's labels.
    """
    with Session(engine) as session:
        result = session.execute(stmt)
        columns = list(result.keys())
        rows = result.all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)
