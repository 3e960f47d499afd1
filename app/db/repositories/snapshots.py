"""Policy aggregates kept as snapshots, recomputed only when the data they summarise changed.

The national figures (seekers per age, region and 구직급여 status; postings per region and occupation)
group every seeker or posting: about a second on PostgreSQL with a million seekers, on every page view
that misses the process cache. The data behind them changes rarely — a new world, an import, a posting
written or revised in the app — so each aggregate is stored with a *stamp* of that data, read with a few
index lookups (the newest ids and change times, the world's fingerprint). While the stamp is unchanged
the stored result is returned; otherwise the aggregate is recomputed and stored again. A write that the
stamp sees is therefore never missed, and no refresh job has to run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import ColumnElement, Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.orm import AggregateSnapshot, Base, WorldMeta
from app.db.repositories import create_missing_tables, id_chunks

logger = logging.getLogger(__name__)


def data_stamp(engine: Engine, markers: Sequence[ColumnElement[object]]) -> str | None:
    """The stamp of the data behind an aggregate: the world's fingerprint and creation time and the
    values of ``markers`` (``max`` of indexed columns, so each is one index lookup).

    Returns:
        A string that changes when the world is regenerated or a marker moves; ``None`` when it
        cannot be read (e.g. a database from before a marker column), so the caller computes afresh.
    """
    world = [select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery() for key in ("fingerprint", "created_at")]
    # one round trip: a page reads this on every view the process cache misses
    stmt = select(*world, *(select(marker).scalar_subquery() for marker in markers))
    try:
        with Session(engine) as session:
            values = session.execute(stmt).one()
    except SQLAlchemyError:
        return None
    return "|".join("" if v is None else str(v) for v in values)


def snapshot(engine: Engine, name: str, markers: Sequence[ColumnElement[object]],
             compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``'s result, from the stored snapshot while the data's stamp is unchanged.

    Args:
        engine: Product database.
        name: The aggregate and its arguments (the snapshot's key), e.g. ``"posting_counts:2026-05-26"``.
        markers: Columns whose ``max`` moves when the aggregate's data changes
            (e.g. ``func.max(Seeker.id)``); see :func:`data_stamp`.
        compute: The aggregate's query; its result must survive a JSON round trip (numbers, text, booleans).
    """
    stamp = data_stamp(engine, markers)
    if stamp is None:
        return compute()
    table = Base.metadata.tables[AggregateSnapshot.__tablename__]
    create_missing_tables(engine, [table])
    with Session(engine) as session:
        stored = session.execute(select(AggregateSnapshot.stamp, AggregateSnapshot.frame)
                                 .where(AggregateSnapshot.name == name)).first()
    if stored is not None and stored.stamp == stamp:
        data = json.loads(stored.frame)
        return pd.DataFrame(data["data"], columns=data["columns"])
    frame = compute()
    save_snapshot_text(engine, name, stamp, frame.to_json(orient="split", index=False, date_format="iso"))
    return frame


def put_snapshot_row(session: Session, name: str, stamp: str, text: str) -> None:
    """Replace the snapshot row ``name`` (``stamp``, ``text``) inside the caller's transaction."""
    session.execute(delete(AggregateSnapshot).where(AggregateSnapshot.name == name))
    session.add(AggregateSnapshot(name=name, stamp=stamp, computed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                                  frame=text))


def save_snapshot_text(engine: Engine, name: str, stamp: str, text: str) -> bool:
    """Store the snapshot row ``name`` in its own transaction (:func:`put_snapshot_row`).

    Returns:
        False when it could not be stored — another process storing the same snapshot at the same
        moment, or a read-only database: the caller's figures are right either way.
    """
    try:
        with Session(engine) as session, session.begin():
            put_snapshot_row(session, name, stamp, text)
    except SQLAlchemyError:
        logger.info("aggregate snapshot %s not stored", name)
        return False
    return True


def newest(column: ColumnElement[object]) -> ColumnElement[object]:
    """``max(column)``: a stamp marker (index it, so that reading it is one lookup)."""
    return func.max(column)


def stored_stamp_text(engine: Engine, table: type[Base], state_name: str) -> str | None:
    """The stamp text stored with a table of computed rows (``None`` when nothing is stored yet).

    Creates ``table`` and the snapshot table on a database older than them (the first read of an
    older database, before any build stored scores).
    """
    create_missing_tables(engine, [Base.metadata.tables[table.__tablename__],
                                   Base.metadata.tables[AggregateSnapshot.__tablename__]])
    with Session(engine) as session:
        # the stamp itself is kept in the row's text column (its short digest in the bounded one)
        return session.scalar(select(AggregateSnapshot.frame).where(AggregateSnapshot.name == state_name))


def replace_stamped_rows(engine: Engine, table: type[Base], key: ColumnElement[int], rows: pd.DataFrame,
                         columns: Sequence[str], *, state_name: str, stamp_text: str, digest: str, model_version: str,
                         replace_ids: Sequence[int] | None) -> bool:
    """Store computed rows (stored scores) and the stamp of the data they were computed from, in one
    transaction: the rows of ``replace_ids`` (every row when ``None``) go, ``rows`` come, and the
    :class:`AggregateSnapshot` ``state_name`` holds the stamp (``frame``: its text; ``stamp``: ``digest``).

    Args:
        engine: Product database.
        table: The ORM class of the stored rows (its columns ``model_version`` and ``stamp`` are filled here).
        key: Its primary key column (what ``replace_ids`` are).
        rows: The computed rows, at least ``columns``.
        columns: The row columns stored from ``rows``.
        state_name: The snapshot row of the stamp.
        stamp_text: The stamp in full.
        digest: Its short form, kept on every row.
        model_version: The model the rows were computed with.
        replace_ids: Keys whose stored rows go; ``None`` replaces every row.

    Returns:
        False when the rows could not be stored (e.g. a read-only database); the caller's rows stand.
    """
    frame = rows.loc[:, list(columns)]
    frame = frame.astype(object).where(frame.notna(), None)
    records = [dict(zip(columns, values, strict=True)) | {"model_version": model_version, "stamp": digest}
               for values in frame.itertuples(index=False, name=None)]
    try:
        with Session(engine) as session, session.begin():
            if replace_ids is None:
                session.execute(delete(table))
            else:
                for chunk in id_chunks(replace_ids):
                    session.execute(delete(table).where(key.in_(chunk)))
            for start in range(0, len(records), 20_000):
                session.execute(insert(table), records[start:start + 20_000])
            put_snapshot_row(session, state_name, digest, stamp_text)
    except SQLAlchemyError:
        logger.info("%s not stored", state_name)
        return False
    return True
