"""Versions of a posting (채용 시뮬레이터: a scenario or plan applied to the posting).

Rows are only added; a status change (pending → current, current → superseded) is the one update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from app.db.orm import PostingVersion
from app.db.repositories import read_frame

VERSION_COLUMNS: tuple[str, ...] = (
    "id", "posting_id", "version", "at", "username", "source_kind", "source_id", "source_label", "conditions",
    "title", "changes", "decision", "score", "rule_ids", "status", "probability", "model_version",
)
"""Columns of :func:`load_versions` (the text is left out: :func:`load_version` has it)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def count_versions(uow: Session, posting_id: int) -> int:
    """Versions stored for the posting, inside a unit of work."""
    return int(uow.scalar(select(func.count()).where(PostingVersion.posting_id == int(posting_id))) or 0)


def newest_version_number(uow: Session, posting_id: int) -> int:
    """The highest version number of the posting (0 when none), inside a unit of work."""
    return int(uow.scalar(select(func.max(PostingVersion.version)).where(PostingVersion.posting_id == int(posting_id))) or 0)


def add_version(
    uow: Session,
    *,
    posting_id: int,
    version: int,
    username: str,
    source_kind: str,
    source_id: int | None,
    source_label: str,
    conditions: Mapping[str, object],
    title: str,
    sections: Mapping[str, str],
    body: str,
    changes: str,
    decision: str,
    score: float,
    rule_ids: str,
    status: str,
    probability: float | None,
    model_version: str,
) -> int:
    """Insert one version inside a unit of work (time in UTC); returns its id."""
    row = PostingVersion(
        posting_id=int(posting_id), version=int(version), at=_utc_now(), username=str(username)[:40],
        source_kind=source_kind, source_id=None if source_id is None else int(source_id),
        source_label=source_label[:120], conditions=dict(conditions), title=title[:200], sections=dict(sections),
        body=body, changes=changes[:500], decision=decision, score=float(score), rule_ids=rule_ids[:300],
        status=status, probability=None if probability is None else float(probability),
        model_version=model_version[:40],
    )
    uow.add(row)
    uow.flush()
    return int(row.id)


def set_status(uow: Session, *, posting_id: int, from_statuses: Sequence[str], to_status: str,
               except_id: int | None = None) -> int:
    """Move the posting's versions in ``from_statuses`` to ``to_status`` (all but ``except_id``)
    inside a unit of work; returns how many changed."""
    stmt = update(PostingVersion).where(
        PostingVersion.posting_id == int(posting_id), PostingVersion.status.in_(list(from_statuses))
    )
    if except_id is not None:
        stmt = stmt.where(PostingVersion.id != int(except_id))
    return int(uow.execute(stmt.values(status=to_status)).rowcount or 0)


def set_version_status(uow: Session, version_id: int, status: str) -> None:
    """Set one version's status inside a unit of work."""
    uow.execute(update(PostingVersion).where(PostingVersion.id == int(version_id)).values(status=status))


def load_version(uow: Session, version_id: int) -> dict[str, object] | None:
    """Every column of one version (text included), inside a unit of work; ``None`` when missing."""
    columns = [c for c in PostingVersion.__table__.columns]
    row = uow.execute(select(*columns).where(PostingVersion.id == int(version_id))).mappings().first()
    return dict(row) if row is not None else None


def load_versions(engine: Engine, posting_id: int) -> pd.DataFrame:
    """The posting's versions, newest first (:data:`VERSION_COLUMNS`)."""
    stmt = (
        select(*(getattr(PostingVersion, c) for c in VERSION_COLUMNS))
        .where(PostingVersion.posting_id == int(posting_id))
        .order_by(PostingVersion.version.desc())
    )
    return read_frame(engine, stmt)


def load_versions_with_status(engine: Engine, status: str, posting_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Versions in ``status`` (of ``posting_ids``, or all), oldest first (:data:`VERSION_COLUMNS`)."""
    stmt = select(*(getattr(PostingVersion, c) for c in VERSION_COLUMNS)).where(PostingVersion.status == status)
    if posting_ids is not None:
        stmt = stmt.where(PostingVersion.posting_id.in_([int(i) for i in posting_ids]))
    return read_frame(engine, stmt.order_by(PostingVersion.at, PostingVersion.id))
