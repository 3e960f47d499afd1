"""The stored results of the model monitors (성과·모델 모니터링): each monitor's tables and alerts, kept
in :class:`app.db.orm.AggregateSnapshot` under ``monitor:<model>`` with the stamp of what they were
computed from.

The monitors of the employment, hiring and ad-verifier models read every seeker or posting (the
employment monitor predicts every seeker again): tens of seconds with a million seekers, on every
view the page's cache missed. They are computed by the build (and again by the first reader after
their stamp moves) and stored here; a view reads the stamps (one round trip of index lookups) and
the few stored rows.

The stamp markers are the world's fingerprint and creation time, its 기준일 and observation end, the
newest id of every table a monitor reads and the postings with a version waiting for review (the
decision moves no id); the service adds the model's manifest entry and the thresholds. Each stored
result is a JSON document: its tables column by column with their dtypes (floats as JSON numbers,
which round-trip exactly; times as ISO text), so the report read back equals the one computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.orm import (
    AggregateSnapshot,
    Base,
    Employer,
    Enrolment,
    Posting,
    PostingOutcome,
    PostingVersion,
    RiskBandSetting,
    Seeker,
    SeekerCertificate,
    SeekerOutcome,
    SeekerService,
    WorldMeta,
)
from app.db.repositories import create_missing_tables

NAME_PREFIX = "monitor:"
"""Prefix of the :class:`AggregateSnapshot` rows holding a monitor (``monitor:employment``)."""

NEWEST = (
    ("seekers", Seeker.id), ("seeker_services", SeekerService.id), ("enrolments", Enrolment.id),
    ("seeker_certificates", SeekerCertificate.id), ("seeker_outcomes", SeekerOutcome.seeker_id),
    ("risk_band_settings", RiskBandSetting.id), ("postings", Posting.id), ("employers", Employer.id),
    ("posting_versions", PostingVersion.id), ("posting_outcomes", PostingOutcome.posting_id),
)
"""Tables whose newest id is a stamp marker (each ``max`` is one primary-key lookup)."""
WORLD_KEYS = ("fingerprint", "created_at", "reference_date", "observation_end")
"""``world_meta`` values that are stamp markers."""


def read_markers(engine: Engine) -> dict[str, Any]:
    """The stamp markers of the data as it is now, in one round trip (plus the pending versions).

    Returns:
        ``world`` (the :data:`WORLD_KEYS` values, ``""`` when missing), ``newest`` (table → newest id,
        ``0`` when empty) and ``waiting`` (postings with a version waiting for review, sorted).
    """
    create_missing_tables(engine, [Base.metadata.tables[AggregateSnapshot.__tablename__]])
    world = [select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery() for key in WORLD_KEYS]
    stmt = select(*world, *(select(func.coalesce(func.max(column), 0)).scalar_subquery() for _, column in NEWEST))
    with Session(engine) as session:
        values = session.execute(stmt).one()
        waiting = session.execute(select(PostingVersion.posting_id).where(PostingVersion.status == "pending")
                                  .distinct()).scalars()
        waiting_ids = sorted(int(i) for i in waiting)
    return {"world": {key: "" if v is None else str(v) for key, v in zip(WORLD_KEYS, values, strict=False)},
            "newest": {name: int(v) for (name, _), v in zip(NEWEST, values[len(WORLD_KEYS):], strict=True)},
            "waiting": waiting_ids}


def stamp_digest(stamp_text: str) -> str:
    """Short form of a stamp (SHA-256 hex), kept in the bounded ``stamp`` column."""
    return hashlib.sha256(stamp_text.encode("utf-8")).hexdigest()


def load_stored(engine: Engine, names: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The stored monitors of ``names`` (model names): name → (stamp digest, document)."""
    if not names:
        return {}
    create_missing_tables(engine, [Base.metadata.tables[AggregateSnapshot.__tablename__]])
    stmt = select(AggregateSnapshot.name, AggregateSnapshot.stamp, AggregateSnapshot.frame).where(
        AggregateSnapshot.name.in_([NAME_PREFIX + n for n in names]))
    with Session(engine) as session:
        rows = session.execute(stmt).all()
    out = {}
    for name, digest, text in rows:
        try:
            out[name.removeprefix(NAME_PREFIX)] = (str(digest), json.loads(text))
        except (TypeError, ValueError):
            continue  # unreadable: computed again by the caller
    return out


def load_stored_digests(engine: Engine, names: Sequence[str]) -> dict[str, str]:
    """The stamp digests of the stored monitors of ``names`` (without their documents)."""
    if not names:
        return {}
    create_missing_tables(engine, [Base.metadata.tables[AggregateSnapshot.__tablename__]])
    stmt = select(AggregateSnapshot.name, AggregateSnapshot.stamp).where(
        AggregateSnapshot.name.in_([NAME_PREFIX + n for n in names]))
    with Session(engine) as session:
        return {name.removeprefix(NAME_PREFIX): str(digest) for name, digest in session.execute(stmt).all()}


def save(engine: Engine, documents: Mapping[str, tuple[str, dict[str, Any]]]) -> bool:
    """Replace the stored monitors of ``documents`` (name → (stamp digest, document)) in one transaction.

    Returns:
        False when they could not be stored (a read-only database, or another process storing the
        same rows at the same moment); the computed results are right either way.
    """
    if not documents:
        return True
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with Session(engine) as session, session.begin():
            session.execute(delete(AggregateSnapshot).where(
                AggregateSnapshot.name.in_([NAME_PREFIX + n for n in documents])))
            for name, (digest, document) in documents.items():
                session.add(AggregateSnapshot(name=NAME_PREFIX + name, stamp=digest, computed_at=now,
                                              frame=json.dumps(document, ensure_ascii=False, allow_nan=True)))
    except SQLAlchemyError:
        return False
    return True


# --------------------------------------------------------------------------- tables as JSON (exact)


def _value(value: Any) -> Any:
    """One object-column value as JSON (times, dates and numpy scalars tagged so they come back as they were)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if value is pd.NaT:
        return {"nat": True}
    if isinstance(value, pd.Timestamp):
        return {"ts": value.isoformat()}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, np.bool_):
        return {"npbool": bool(value)}
    if isinstance(value, np.integer):
        return {"npint": int(value)}
    if isinstance(value, np.floating):
        return {"npfloat": float(value)}
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a monitor table")


def _python(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    (tag, raw), = value.items()
    return {"nat": lambda _: pd.NaT, "ts": pd.Timestamp, "dt": dt.datetime.fromisoformat,
            "date": dt.date.fromisoformat, "npbool": np.bool_, "npint": np.int64, "npfloat": np.float64}[tag](raw)


def _encode_series(series: pd.Series) -> dict[str, Any]:
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        values = [None if pd.isna(v) else str(v) for v in series]
    elif dtype.kind in "biuf":
        values = series.tolist()
    elif dtype.kind == "M":
        values = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in series]
    elif dtype == object:
        values = [_value(v) for v in series]
    else:
        raise TypeError(f"cannot store a {dtype} column in a monitor table")
    return {"dtype": str(dtype), "name": series.name, "values": values}


def _decode_series(data: Mapping[str, Any]) -> pd.Series:
    dtype = pd.api.types.pandas_dtype(data["dtype"])
    if isinstance(dtype, pd.StringDtype):
        return pd.Series(data["values"], name=data["name"], dtype=dtype)
    if dtype.kind == "M":
        return pd.Series(pd.to_datetime(data["values"]), name=data["name"]).astype(dtype)
    if dtype == object:
        return pd.Series([_python(v) for v in data["values"]], name=data["name"], dtype=object)
    return pd.Series(data["values"], name=data["name"], dtype=dtype)


def encode_frame(frame: pd.DataFrame) -> dict[str, Any]:
    """A monitor table as JSON-safe data: every column with its dtype, and the index when it is not 0…n-1.

    Raises:
        TypeError: A column of a kind the monitors do not produce (e.g. categorical).
    """
    if not frame.columns.is_unique:
        raise TypeError("a monitor table has two columns of one name")
    index = frame.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return {"columns": [_encode_series(frame[c]) for c in frame.columns],
            "index": None if default else _encode_series(index.to_series()),
            "length": len(frame)}


def decode_frame(data: Mapping[str, Any]) -> pd.DataFrame:
    """The table :func:`encode_frame` stored."""
    columns = [_decode_series(c) for c in data["columns"]]
    index = pd.RangeIndex(int(data["length"])) if data["index"] is None else pd.Index(_decode_series(data["index"]))
    if not columns:
        return pd.DataFrame() if len(index) == 0 and data["index"] is None else pd.DataFrame(index=index)
    frame = pd.DataFrame({c.name: c for c in columns}, copy=False)  # every column on 0…n-1: no alignment
    frame.index = index
    return frame
