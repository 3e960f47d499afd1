"""The postings' stored hiring scores (:class:`app.db.orm.PostingScore`) and the stamp they were computed from.

Scoring every posting of a national world (~400k) reads each posting's text length and section counts:
seconds on PostgreSQL, on every cache miss of 채용 위험 공고 현황 and of the hiring model's monitor.
The stored rows are read instead (one narrow table). What they depend on is stamped like the stored
caseload scores (:mod:`app.db.repositories.seeker_scores`): the world's fingerprint and creation time,
the model version, the newest posting, employer and posting-version ids and the postings with a
version waiting for review. Postings only gain rows or change through a new version (written
``pending`` or ``current``; a pending one is later decided), so the postings whose score may have
changed since the stamp are the new ones, those of versions added since and those that were waiting.

채용 위험 공고 현황 reads neither all rows: the summary of the stored scores (figures, group tables,
probability histograms; :mod:`app.services.hiring.policy`) is kept beside the stamp, in the
:data:`SUMMARY_NAME` row of :class:`AggregateSnapshot`, and its at-risk postings are read one page at
a time along the ``(probability, posting_id)`` index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.db.orm import AggregateSnapshot, Base, Employer, Posting, PostingScore, PostingVersion, WorldMeta
from app.db.repositories import create_missing_tables, id_chunks, read_frame, snapshots

logger = logging.getLogger(__name__)

STATE_NAME = "posting_scores"
"""The :class:`AggregateSnapshot` row that holds the stamp the stored scores were computed from."""
SUMMARY_NAME = "posting_scores:summary"
"""The :class:`AggregateSnapshot` row of the stored scores' summary (채용 위험 공고 현황's figures);
its ``stamp`` names the stored scores it summarises (their digest) and its format."""

SCORE_ROW_COLUMNS: tuple[str, ...] = tuple(c.name for c in PostingScore.__table__.columns
                                           if c.name not in ("model_version", "stamp"))
"""What one stored row holds besides its model version and stamp (``posting_id`` first)."""


@dataclasses.dataclass(frozen=True)
class PostingScoreStamp:
    """What the stored posting scores were computed from.

    Attributes:
        world: The world's fingerprint and creation time (a new world moves them).
        model_version: The hiring model's version.
        newest: Newest id of ``postings``, ``employers`` and ``posting_versions`` (``0`` when empty).
        waiting: Postings with a version waiting for review (its decision may change the posting).
    """

    world: tuple[str, str]
    model_version: str
    newest: tuple[tuple[str, int], ...]
    waiting: tuple[int, ...]

    def text(self) -> str:
        """The stamp as stored (JSON, stable key order)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False)

    def digest(self) -> str:
        """Short form of :meth:`text` kept on every stored row (SHA-256 hex)."""
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()

    def same_scores(self, other: PostingScoreStamp) -> bool:
        """True when ``other`` differs at most by postings added or revised since (only those need rescoring)."""
        return (self.world, self.model_version, dict(self.newest).get("employers")) == (
            other.world, other.model_version, dict(other.newest).get("employers"))

    @classmethod
    def parse(cls, text: str) -> PostingScoreStamp | None:
        """The stamp stored by :meth:`text` (``None`` for anything else)."""
        try:
            data = json.loads(text)
            return cls(world=tuple(data["world"]), model_version=str(data["model_version"]),
                       newest=tuple((str(k), int(v)) for k, v in data["newest"]),
                       waiting=tuple(int(i) for i in data["waiting"]))
        except (ValueError, KeyError, TypeError):
            return None


_NEWEST = (("postings", Posting.id), ("employers", Employer.id), ("posting_versions", PostingVersion.id))


def current_stamp(engine: Engine, model_version: str) -> PostingScoreStamp:
    """The stamp of the postings as they are now (index lookups: primary keys and the version status)."""
    world = [select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery() for key in ("fingerprint", "created_at")]
    stmt = select(*world, *(select(func.coalesce(func.max(column), 0)).scalar_subquery() for _, column in _NEWEST))
    with Session(engine) as session:
        values = session.execute(stmt).one()
        waiting = session.execute(select(PostingVersion.posting_id).where(PostingVersion.status == "pending")
                                  .distinct()).scalars()
        waiting_ids = tuple(sorted(int(i) for i in waiting))
    return PostingScoreStamp(world=("" if values[0] is None else str(values[0]), "" if values[1] is None else str(values[1])),
                             model_version=str(model_version),
                             newest=tuple((name, int(v)) for (name, _), v in zip(_NEWEST, values[2:], strict=True)),
                             waiting=waiting_ids)


def _ensure_tables(engine: Engine) -> None:
    create_missing_tables(engine, [Base.metadata.tables[PostingScore.__tablename__],
                                   Base.metadata.tables[AggregateSnapshot.__tablename__]])


def stored_stamp(engine: Engine) -> PostingScoreStamp | None:
    """The stamp the stored scores were computed from (``None`` when none are stored)."""
    text = snapshots.stored_stamp_text(engine, PostingScore, STATE_NAME)
    return None if text is None else PostingScoreStamp.parse(text)


def postings_touched_since(engine: Engine, stamp: PostingScoreStamp) -> list[int]:
    """Postings added after ``stamp``, revised by a version added after it, or waiting for review then."""
    newest = dict(stamp.newest)
    with Session(engine) as session:
        added = session.execute(select(Posting.id).where(Posting.id > newest.get("postings", 0))).scalars()
        revised = session.execute(select(PostingVersion.posting_id)
                                  .where(PostingVersion.id > newest.get("posting_versions", 0))).scalars()
        return sorted({int(i) for i in added} | {int(i) for i in revised} | set(stamp.waiting))


def save_scores(engine: Engine, rows: pd.DataFrame, stamp: PostingScoreStamp, *,
                replace_ids: Sequence[int] | None = None) -> bool:
    """Store scored rows and the stamp they were computed from, in one transaction.

    Args:
        engine: Product database.
        rows: :data:`SCORE_ROW_COLUMNS`.
        stamp: The data the rows were computed from.
        replace_ids: Postings whose stored rows go (the rescored ones); ``None`` replaces every row.

    Returns:
        False when the rows could not be stored (e.g. a read-only database); the caller's scores stand.
    """
    _ensure_tables(engine)
    return snapshots.replace_stamped_rows(engine, PostingScore, PostingScore.posting_id, rows, SCORE_ROW_COLUMNS,
                                          state_name=STATE_NAME, stamp_text=stamp.text(), digest=stamp.digest(),
                                          model_version=stamp.model_version, replace_ids=replace_ids)


def load_scores(engine: Engine) -> pd.DataFrame:
    """Every stored row (``id`` for ``posting_id``), by posting id."""
    columns = [getattr(PostingScore, c) for c in SCORE_ROW_COLUMNS]
    return read_frame(engine, select(columns[0].label("id"), *columns[1:]).order_by(PostingScore.posting_id))


def load_probabilities(engine: Engine, posting_ids: Sequence[int]) -> dict[int, float]:
    """Stored fill probability of each of ``posting_ids`` that has one (primary-key lookups)."""
    _ensure_tables(engine)
    out: dict[int, float] = {}
    with Session(engine) as session:
        for chunk in id_chunks(sorted({int(i) for i in posting_ids})):
            stmt = select(PostingScore.posting_id, PostingScore.probability).where(PostingScore.posting_id.in_(chunk))
            out.update((int(pid), float(p)) for pid, p in session.execute(stmt))
    return out


def stored_digest(engine: Engine) -> str | None:
    """The digest of the stamp the stored scores were computed from (``None`` when none are stored)."""
    _ensure_tables(engine)
    with Session(engine) as session:
        return session.scalar(select(AggregateSnapshot.stamp).where(AggregateSnapshot.name == STATE_NAME))


def load_summary_text(engine: Engine, stamp: str) -> str | None:
    """The summary stored with ``stamp`` (``None`` when none is, or one of other scores or format)."""
    with Session(engine) as session:
        return session.scalar(select(AggregateSnapshot.frame).where(AggregateSnapshot.name == SUMMARY_NAME,
                                                                    AggregateSnapshot.stamp == stamp))


def has_summary(engine: Engine, stamp: str) -> bool:
    """Whether a summary with ``stamp`` is stored (one primary-key lookup)."""
    with Session(engine) as session:
        return session.scalar(select(AggregateSnapshot.name).where(AggregateSnapshot.name == SUMMARY_NAME,
                                                                   AggregateSnapshot.stamp == stamp)) is not None


def save_summary_text(engine: Engine, stamp: str, summary: str) -> bool:
    """Store a summary of the stored scores with its ``stamp`` (replacing the one stored before).

    Returns:
        False when it could not be stored (a read-only database, or another process storing it at
        the same moment): the caller's summary stands.
    """
    return snapshots.save_snapshot_text(engine, SUMMARY_NAME, stamp, summary)


def load_score_values(engine: Engine) -> pd.DataFrame:
    """``id`` (posting), ``keco_code``, ``region_code``, ``probability``, ``days`` of every stored row,
    by posting id: what the summary is computed from (five narrow columns, not the titles)."""
    stmt = select(PostingScore.posting_id.label("id"), PostingScore.keco_code, PostingScore.region_code,
                  PostingScore.probability, PostingScore.days).order_by(PostingScore.posting_id)
    return read_frame(engine, stmt)


def load_scores_below(engine: Engine, below: float, *, at_least: float | None = None, limit: int | None = None,
                      columns: Sequence[str] = SCORE_ROW_COLUMNS) -> pd.DataFrame:
    """Stored rows with ``at_least`` ≤ probability < ``below``, least likely first (ties by posting id),
    at most ``limit`` (``id`` for ``posting_id``): a range of the ``(probability, posting_id)`` index."""
    selected = [PostingScore.posting_id.label("id") if c == "posting_id" else getattr(PostingScore, c) for c in columns]
    stmt = select(*selected).where(PostingScore.probability < float(below))
    if at_least is not None:
        stmt = stmt.where(PostingScore.probability >= float(at_least))
    stmt = stmt.order_by(PostingScore.probability, PostingScore.posting_id)
    return read_frame(engine, stmt if limit is None else stmt.limit(int(limit)))
