"""Fast inserts of whole frames (the synthetic world's tables; generated rows in bulk).

A frame goes in column by column: each column becomes one list of plain Python values, the
column type's own bind processor (the one SQLAlchemy would apply per row) is applied to the whole
list, and the rows go to the driver as tuples in one ``executemany`` per chunk — or, on
PostgreSQL, one ``COPY … FROM STDIN``. The stored values are the ones SQLAlchemy Core ``insert``
would store; what is skipped is its per-row parameter processing, which cost more than SQLite's own
work on a million-seeker world.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Integer, Table, insert

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
    columns = {
        name: column_values(frame[name], kind="date" if name in date_cols else "datetime" if name in datetime_cols else "")
        for name in frame.columns
    }
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def column_values(series: pd.Series, *, kind: str = "") -> list[Any]:
    """One column as plain Python values, missing values as ``None``.

    Args:
        series: The column.
        kind: ``"date"`` (values become ``datetime.date``), ``"datetime"`` (``datetime.datetime``)
            or ``""`` (as they are: numbers become ``int``/``float``/``bool``, text stays text).
    """
    if kind == "date":
        values: list[Any] = _as_dates(series.to_numpy())
    elif kind == "datetime":
        values = list(pd.to_datetime(series.to_numpy()).to_pydatetime())
    elif isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf":  # not pandas' nullable Int64 etc.
        # numpy's tolist gives Python int/float/bool, the values astype(object) would give, at C speed
        values = series.to_numpy().tolist()
        if series.dtype.kind != "f" or not np.isnan(series.to_numpy()).any():
            return values
        return [None if v != v else v for v in values]  # NaN is the one value unequal to itself
    else:
        # numpy scalars inside an object column (an id put there by hand) as Python values: the
        # drivers bind int/float/bool/str, not numpy's types
        values = [v.item() if isinstance(v, np.generic) and not isinstance(v, np.datetime64) else v
                  for v in series.astype(object).tolist()]
    missing = pd.isna(np.asarray(values, dtype=object)) if values else np.zeros(0, dtype=bool)
    if missing.any():
        values = [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
    return values


@contextmanager
def bulk_connection(engine: Engine) -> Iterator[Connection]:
    """One connection for a long series of bulk writes; on SQLite tuned for them while it lasts.

    SQLite: no rollback journal and no fsync (``journal_mode=OFF``, ``synchronous=OFF``), a 256 MB
    page cache and in-memory temporary storage. A bulk write replaces a whole world: a crash half
    way leaves an unusable world either way, and a journal would only write every page twice (in
    WAL mode a million-seeker table's transaction grows the WAL to gigabytes before it is copied
    into the database). The usual settings (WAL, full sync) are restored when the block ends, also
    on an error. The journal mode changes only when no other connection uses the database; when
    one does, SQLite keeps WAL and the writes are just slower (this engine's idle pooled connections
    are closed first for that reason). Other backends: the connection as it is.
    """
    if engine.dialect.name == "sqlite":
        engine.dispose()  # closes only idle pooled connections; one checked out elsewhere stays usable
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.commit()  # pragmas below cannot run inside a transaction
            raw = conn.connection.dbapi_connection
            journal, synchronous, cache_size, temp_store = (
                _pragma(raw, name) for name in ("journal_mode", "synchronous", "cache_size", "temp_store"))
            if journal.lower() != "memory":  # an in-memory database keeps its own
                _try_journal_off(raw)
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-262144")
            raw.execute("PRAGMA temp_store=MEMORY")
        try:
            yield conn
        finally:
            if sqlite:
                conn.rollback()
                raw.execute(f"PRAGMA journal_mode={journal}")
                raw.execute(f"PRAGMA synchronous={int(synchronous)}")
                raw.execute(f"PRAGMA cache_size={int(cache_size)}")
                raw.execute(f"PRAGMA temp_store={int(temp_store)}")


def _pragma(raw: sqlite3.Connection, name: str) -> Any:
    # fetchall, not fetchone: a statement not stepped to its end holds a read lock, and SQLite then
    # refuses to change the journal mode
    return raw.execute(f"PRAGMA {name}").fetchall()[0][0]


def _try_journal_off(raw: sqlite3.Connection) -> None:
    """``journal_mode=OFF`` unless another connection has the database open (SQLite then refuses
    at once, not after the usual five-second wait for a lock)."""
    busy = _pragma(raw, "busy_timeout")
    raw.execute("PRAGMA busy_timeout=0")
    try:
        raw.execute("PRAGMA journal_mode=OFF")
    except sqlite3.OperationalError:
        pass  # keeps WAL: correct, only slower
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy)}")


def insert_frame(
    target: Engine | Connection,
    table: str,
    frame: pd.DataFrame,
    *,
    chunk: int,
    date_cols: tuple[str, ...] = (),
    datetime_cols: tuple[str, ...] = (),
) -> int:
    """Insert ``frame`` into the table named ``table`` in chunks, one transaction per call.

    Args:
        target: An engine, or a connection outside a transaction (:func:`bulk_connection`).
        table: Table name.
        frame: Rows; columns named as the table's. Table columns the frame lacks get their
            column default (as Core ``insert`` would give them).
        chunk: Rows per ``executemany`` (bounds the memory of the converted rows).
        date_cols: Columns to write as dates.
        datetime_cols: Columns to write as datetimes.

    Returns:
        Rows written.
    """
    if frame.empty:
        return 0
    spec = orm.Base.metadata.tables[table]
    if isinstance(target, Engine):
        with target.connect() as conn:
            return insert_frame(conn, table, frame, chunk=chunk, date_cols=date_cols, datetime_cols=datetime_cols)
    conn = target
    columns, constants = _insert_columns(spec, list(frame.columns))
    if columns is None:  # a default only SQLAlchemy can compute: its own (slower) path
        with conn.begin():
            for start in range(0, len(frame), chunk):
                conn.execute(insert(spec), frame_records(frame.iloc[start : start + chunk], date_cols=date_cols,
                                                         datetime_cols=datetime_cols))
        return len(frame)
    write = _copy_writer(conn, spec, columns) if conn.dialect.name == "postgresql" else _executemany_writer(conn, spec, columns)
    processors = [spec.c[name].type._cached_bind_processor(conn.dialect) for name in columns]
    with conn.begin():
        for start in range(0, len(frame), chunk):
            part = frame.iloc[start : start + chunk]
            lists = [
                column_values(part[name], kind="date" if name in date_cols else "datetime" if name in datetime_cols else "")
                if name in part.columns else [constants[name]] * len(part)
                for name in columns
            ]
            lists = [lst if proc is None else [proc(v) for v in lst] for lst, proc in zip(lists, processors, strict=True)]
            write(zip(*lists, strict=True))
    return len(frame)


def _insert_columns(spec: Table, present: list[str]) -> tuple[list[str] | None, dict[str, Any]]:
    """Columns to write (the frame's plus those with a constant default) and those constants;
    ``(None, {})`` when a missing column's default is not a constant."""
    constants: dict[str, Any] = {}
    for column in spec.columns:
        if column.name in present or column.default is None:
            continue
        if not column.default.is_scalar:
            return None, {}
        constants[column.name] = column.default.arg
    unknown = [name for name in present if name not in spec.c]
    if unknown:
        raise KeyError(f"{spec.name} has no column {unknown[0]}")
    return present + list(constants), constants


def _executemany_writer(conn: Connection, spec: Table, columns: list[str]) -> Callable[[Iterator[tuple]], None]:
    preparer = conn.dialect.identifier_preparer
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {preparer.format_table(spec)} ({', '.join(preparer.quote(c) for c in columns)}) "
           f"VALUES ({', '.join([marker] * len(columns))})")
    cursor = conn.connection.dbapi_connection.cursor()
    return lambda rows: cursor.executemany(sql, rows)


def _copy_writer(conn: Connection, spec: Table, columns: list[str]) -> Callable[[Iterator[tuple]], None]:
    """PostgreSQL's COPY in text form: the server parses each value as its column's type, so a
    whole number held as a float (an integer column with gaps, NaN → NULL, is a float column in
    pandas) is written as an integer."""
    preparer = conn.dialect.identifier_preparer
    sql = f"COPY {preparer.format_table(spec)} ({', '.join(preparer.quote(c) for c in columns)}) FROM STDIN"
    integer = [isinstance(spec.c[name].type, Integer) for name in columns]
    cursor = conn.connection.dbapi_connection.cursor()

    def write(rows: Iterator[tuple]) -> None:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(int(v) if is_int and isinstance(v, float) else v
                                     for v, is_int in zip(row, integer, strict=True)))

    return write


def insert_rows(engine: Engine, table: str, rows: list[Mapping[str, object]]) -> None:
    """Insert plain dict rows into the table named ``table`` (one transaction)."""
    with engine.begin() as conn:
        conn.execute(insert(orm.Base.metadata.tables[table]), list(rows))
