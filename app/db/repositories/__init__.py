"""Every query and write of the product database (only ``app.db`` imports the ORM classes).

Rules for every module here:

* reads open a new ``Session`` per call (sessions are not thread-safe and Streamlit serves users
  from several threads);
* writes go through :func:`unit_of_work`: one transaction, committed when the block ends and
  rolled back on any error, so a failed write changes nothing;
* results are DataFrames, plain dicts or frozen dataclasses, never ORM objects (nothing outside
  ``app.db`` can lazily load or change a row behind the repository's back);
* no ``truth_*`` table is read here (those hold the answers models are evaluated against:
  ``app.ml.evaluate`` reads them).

Modules: ``postings``, ``seekers``, ``employers``, ``courses`` (the world's records),
``training`` (what the models learn from), ``scenarios``, ``risk`` (risk-band settings and
counsellors' overrides), ``ads`` (rule versions and review decisions), ``audit``, ``world``
(the database as a whole) and ``bulk`` (fast inserts of generated or imported frames).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select
from sqlalchemy.orm import Session

UnitOfWork = Session
"""What :func:`unit_of_work` yields: pass it to the repository functions that write."""


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[UnitOfWork]:
    """One transaction: every write inside the block commits together, or none does.

    Example::

        with unit_of_work(engine) as uow:
            owner = postings.posting_owner(uow, posting_id)
            scenarios.add_scenario(uow, ...)

    Args:
        engine: Database engine.

    Yields:
        The transaction's session, for repository functions only (services never use it directly).
    """
    with Session(engine) as session, session.begin():
        yield session


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
