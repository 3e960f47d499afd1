"""The open caseload's stored scores (:class:`app.db.orm.SeekerScore`) and the stamp they were computed from.

Scoring the national open caseload (~170k seekers) takes minutes and reading its records tens of
seconds; the caseload pages read the stored rows instead (one indexed query). What the scores depend on
is stamped like a policy aggregate (:mod:`app.db.repositories.snapshots`): the world's fingerprint and
creation time, the reference date, the model version and the newest ids of every table a seeker's
score reads. Those tables only ever gain rows (the world generator replaces everything, and its
fingerprint moves then; imports append), so the seekers whose score may have changed since the stamp
are exactly the owners of the rows added after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, case, func, or_, select, text, true, union
from sqlalchemy.orm import Session

from app.db.orm import (
    AggregateSnapshot,
    Base,
    Enrolment,
    SeekerCertificate,
    SeekerOutcome,
    SeekerScore,
    SeekerService,
    WorldMeta,
)
from app.db.orm import Seeker as SeekerRow
from app.db.repositories import create_missing_tables, id_chunks, read_frame, snapshots

STATE_NAME = "seeker_scores"
"""The :class:`AggregateSnapshot` row that holds the stamp the stored scores were computed from."""

SCORE_ROW_COLUMNS: tuple[str, ...] = tuple(c.name for c in SeekerScore.__table__.columns
                                           if c.name not in ("model_version", "stamp"))
"""What one stored row holds besides its model version and stamp (``seeker_id`` first)."""


@dataclasses.dataclass(frozen=True)
class ScoreStamp:
    """What the stored scores were computed from.

    Attributes:
        world: The world's fingerprint and creation time (a new world moves them).
        reference_date: The caseload's 기준일 (every "등록 후 N일" and who is open).
        model_version: The employment model's version.
        newest: Newest id per table a seeker's score reads (``seekers``, ``seeker_services``,
            ``enrolments``, ``seeker_certificates``, ``seeker_outcomes``), ``0`` when empty.
    """

    world: tuple[str, str]
    reference_date: str
    model_version: str
    newest: tuple[tuple[str, int], ...]

    def text(self) -> str:
        """The stamp as stored (JSON, stable key order)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False)

    def digest(self) -> str:
        """Short form of :meth:`text` kept on every stored row (SHA-256 hex)."""
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()

    def same_scores(self, other: ScoreStamp) -> bool:
        """True when ``other`` differs at most by rows added since (only their seekers need rescoring)."""
        return (self.world, self.reference_date, self.model_version) == (
            other.world, other.reference_date, other.model_version)

    @classmethod
    def parse(cls, text: str) -> ScoreStamp | None:
        """The stamp stored by :meth:`text` (``None`` for anything else)."""
        try:
            data = json.loads(text)
            return cls(world=tuple(data["world"]), reference_date=str(data["reference_date"]),
                       model_version=str(data["model_version"]),
                       newest=tuple((str(k), int(v)) for k, v in data["newest"]))
        except (ValueError, KeyError, TypeError):
            return None


_NEWEST = (
    ("seekers", SeekerRow.id), ("seeker_services", SeekerService.id), ("enrolments", Enrolment.id),
    ("seeker_certificates", SeekerCertificate.id), ("seeker_outcomes", SeekerOutcome.seeker_id),
)


def current_stamp(engine: Engine, reference_date: dt.date, model_version: str) -> ScoreStamp:
    """The stamp of the data as it is now (one round trip of index lookups)."""
    world = [select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery() for key in ("fingerprint", "created_at")]
    stmt = select(*world, *(select(func.coalesce(func.max(column), 0)).scalar_subquery() for _, column in _NEWEST))
    with Session(engine) as session:
        values = session.execute(stmt).one()
    return ScoreStamp(world=("" if values[0] is None else str(values[0]), "" if values[1] is None else str(values[1])),
                      reference_date=reference_date.isoformat(), model_version=str(model_version),
                      newest=tuple((name, int(v)) for (name, _), v in zip(_NEWEST, values[2:], strict=True)))


def _ensure_tables(engine: Engine) -> None:
    create_missing_tables(engine, [Base.metadata.tables[SeekerScore.__tablename__],
                                   Base.metadata.tables[AggregateSnapshot.__tablename__]])


def stored_stamp(engine: Engine) -> ScoreStamp | None:
    """The stamp the stored scores were computed from (``None`` when none are stored)."""
    text = snapshots.stored_stamp_text(engine, SeekerScore, STATE_NAME)
    return None if text is None else ScoreStamp.parse(text)


def seekers_touched_since(engine: Engine, stamp: ScoreStamp) -> list[int]:
    """Seekers who own a row added after ``stamp`` (new seekers, services, courses, certificates, outcomes)."""
    newest = dict(stamp.newest)
    parts = [
        select(SeekerRow.id.label("seeker_id")).where(SeekerRow.id > newest.get("seekers", 0)),
        select(SeekerService.seeker_id).where(SeekerService.id > newest.get("seeker_services", 0)),
        select(Enrolment.seeker_id).where(Enrolment.id > newest.get("enrolments", 0)),
        select(SeekerCertificate.seeker_id).where(SeekerCertificate.id > newest.get("seeker_certificates", 0)),
        select(SeekerOutcome.seeker_id).where(SeekerOutcome.seeker_id > newest.get("seeker_outcomes", 0)),
    ]
    with Session(engine) as session:
        return sorted(int(i) for i in session.execute(union(*parts)).scalars())


def save_scores(engine: Engine, rows: pd.DataFrame, stamp: ScoreStamp, *, replace_ids: Sequence[int] | None = None) -> bool:
    """Store scored rows and the stamp they were computed from, in one transaction.

    Args:
        engine: Product database.
        rows: :data:`SCORE_ROW_COLUMNS` (``seeker_id`` and what the caseload pages show).
        stamp: The data the rows were computed from.
        replace_ids: Seekers whose stored rows go (the rescored ones, also those who left the
            caseload); ``None`` replaces every stored row.
    """
    _ensure_tables(engine)
    return snapshots.replace_stamped_rows(engine, SeekerScore, SeekerScore.seeker_id, rows, SCORE_ROW_COLUMNS,
                                          state_name=STATE_NAME, stamp_text=stamp.text(), digest=stamp.digest(),
                                          model_version=stamp.model_version, replace_ids=replace_ids)


def load_scores(engine: Engine) -> pd.DataFrame:
    """Every stored row (``id`` for ``seeker_id``), lowest probability first (the index's order)."""
    columns = [getattr(SeekerScore, c) for c in SCORE_ROW_COLUMNS]
    stmt = select(columns[0].label("id"), *columns[1:]).order_by(SeekerScore.probability, SeekerScore.seeker_id)
    return read_frame(engine, stmt)


@dataclasses.dataclass(frozen=True)
class ScoreConditions:
    """Conditions on stored rows, in SQL (empty values mean "no condition").

    Attributes:
        probability_ranges: ``(low, high)`` half-open probability ranges, ``None`` for an open end;
            a row meets them when its probability lies in one (``()``: every row).
        excluded_ids: Rows left out of ``probability_ranges`` (seekers whose band a counsellor set).
        included_ids: Rows kept whatever their probability (a counsellor set one of the bands asked for).
        region_codes: Desired 시도 codes.
        keco_prefix: Desired KECO code prefix.
        seeker_id: Exactly this seeker.
        occupation_term: A word of the desired occupation's name.
        min_days: Fewest days since registration.
        name_or_occupation_term: A piece of the masked name or of the desired occupation's name
            (the seeker picker's search).
        masked_name: Exactly this masked name (a full name typed into the picker, masked as the
            stored names are).
    """

    probability_ranges: tuple[tuple[float | None, float | None], ...] = ()
    excluded_ids: tuple[int, ...] = ()
    included_ids: tuple[int, ...] = ()
    region_codes: tuple[str, ...] = ()
    keco_prefix: str = ""
    seeker_id: int | None = None
    occupation_term: str = ""
    min_days: int = 0
    name_or_occupation_term: str = ""
    masked_name: str = ""

    def where(self) -> list[ColumnElement[bool]]:
        """The SQL conditions."""
        conditions: list[ColumnElement[bool]] = []
        if self.probability_ranges:
            ranges = []
            for low, high in self.probability_ranges:
                parts = [SeekerScore.probability >= low] if low is not None else []
                parts += [SeekerScore.probability < high] if high is not None else []
                ranges.append(and_(true(), *parts))
            banded = or_(*ranges)
            if self.excluded_ids:
                banded = and_(banded, SeekerScore.seeker_id.not_in(self.excluded_ids))
            conditions.append(or_(banded, SeekerScore.seeker_id.in_(self.included_ids)) if self.included_ids else banded)
        if self.region_codes:
            conditions.append(SeekerScore.desired_region_code.in_(self.region_codes))
        if self.keco_prefix:
            conditions.append(SeekerScore.desired_keco.startswith(self.keco_prefix, autoescape=True))
        if self.seeker_id is not None:
            conditions.append(SeekerScore.seeker_id == int(self.seeker_id))
        if self.occupation_term:
            conditions.append(SeekerScore.desired_occupation.contains(self.occupation_term, autoescape=True))
        if self.min_days:
            conditions.append(SeekerScore.days_since_registration >= int(self.min_days))
        if self.name_or_occupation_term:
            term = self.name_or_occupation_term
            either = [SeekerScore.masked_name.contains(term, autoescape=True),
                      SeekerScore.desired_occupation.contains(term, autoescape=True)]
            if self.masked_name:
                either.append(SeekerScore.masked_name == self.masked_name)
            conditions.append(or_(*either))
        elif self.masked_name:
            conditions.append(SeekerScore.masked_name == self.masked_name)
        return conditions


SCORE_ORDERS = {
    "risk": (SeekerScore.probability, SeekerScore.seeker_id),
    "actionable": (SeekerScore.actionable_effect.asc().nulls_last(), SeekerScore.probability, SeekerScore.seeker_id),
    "days": (SeekerScore.days_since_registration.desc(), SeekerScore.probability, SeekerScore.seeker_id),
}
"""Orders of stored rows (the caseload's sort keys; ties always by seeker number)."""


def load_score_rows(engine: Engine, conditions: ScoreConditions, order: str, *, limit: int | None = None) -> pd.DataFrame:
    """Stored rows meeting ``conditions`` in ``order`` (:data:`SCORE_ORDERS`), at most ``limit`` (``id`` for ``seeker_id``)."""
    columns = [getattr(SeekerScore, c) for c in SCORE_ROW_COLUMNS]
    stmt = select(columns[0].label("id"), *columns[1:]).where(*conditions.where()).order_by(*SCORE_ORDERS[order])
    return read_frame(engine, stmt if limit is None else stmt.limit(int(limit)))


def search_score_rows(engine: Engine, conditions: ScoreConditions, *, limit: int, count_cap: int) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` stored rows meeting ``conditions`` by risk (:data:`SCORE_ORDERS` ``"risk"``) and
    how many meet them, counted up to ``count_cap`` (``count_cap + 1``: more than that).

    One pass that stops at the ``count_cap + 1``-th match, sorting only those: a rare search reads the
    table once instead of walking the whole probability index and then counting in a second pass; a
    common one stops early and takes its first rows from the index.
    """
    columns = [getattr(SeekerScore, c) for c in SCORE_ROW_COLUMNS]
    matches = (select(columns[0].label("id"), *columns[1:]).where(*conditions.where())
               .limit(int(count_cap) + 1).subquery())
    stmt = (select(*(matches.c[c] for c in ("id", *SCORE_ROW_COLUMNS[1:])), func.count().over().label("n_matching"))
            .order_by(matches.c.probability, matches.c.id).limit(int(limit)))
    rows = read_frame(engine, stmt)
    n = int(rows["n_matching"].iloc[0]) if len(rows) else 0
    if n > count_cap:  # the first matches found are not the riskiest: read those with the index
        return load_score_rows(engine, conditions, "risk", limit=limit), n
    return rows.drop(columns="n_matching"), n


def count_score_rows(engine: Engine, conditions: ScoreConditions) -> int:
    """How many stored rows meet ``conditions``."""
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(SeekerScore).where(*conditions.where())) or 0)


_TOTALS: dict[tuple[str, str, float, float], tuple[int, float, int, int]] = {}
"""score_totals' results by database, stored stamp and thresholds (they change only with either)."""
_TOTALS_LOCK = threading.Lock()


def score_totals(engine: Engine, high_below: float, low_from: float) -> tuple[int, float, int, int]:
    """(rows, sum of probabilities, rows below ``high_below``, rows at or above ``low_from``).

    One pass over the stored rows (tens of milliseconds for a national caseload), kept per process
    while the stored scores' stamp (one lookup) and the thresholds are the same.
    """
    with Session(engine) as session:
        digest = session.scalar(select(AggregateSnapshot.stamp).where(AggregateSnapshot.name == STATE_NAME))
    key = (engine.url.render_as_string(hide_password=True), str(digest), float(high_below), float(low_from))
    if digest is not None and key in _TOTALS:
        return _TOTALS[key]
    p = SeekerScore.probability
    stmt = select(func.count(), func.coalesce(func.sum(p), 0.0),
                  func.coalesce(func.sum(case((p < high_below, 1), else_=0)), 0),
                  func.coalesce(func.sum(case((p >= low_from, 1), else_=0)), 0))
    with Session(engine) as session:
        n, total, high, low = session.execute(stmt).one()
    totals = (int(n), float(total), int(high), int(low))
    if digest is not None:
        with _TOTALS_LOCK:
            if len(_TOTALS) >= 32:
                _TOTALS.clear()
            _TOTALS[key] = totals
    return totals


def score_region_codes(engine: Engine) -> list[str]:
    """The desired 시도 codes present among the stored rows, by code.

    A loose index scan (the next code after each, on the region index): a few lookups per code, where
    ``SELECT DISTINCT`` reads every row (0.1 s for a national caseload).
    """
    stmt = text(
        "WITH RECURSIVE codes(code) AS ("
        " SELECT min(desired_region_code) FROM seeker_scores"
        " UNION ALL SELECT (SELECT min(s.desired_region_code) FROM seeker_scores s WHERE s.desired_region_code > codes.code)"
        " FROM codes WHERE codes.code IS NOT NULL)"
        " SELECT code FROM codes WHERE code IS NOT NULL")
    with Session(engine) as session:
        return sorted(str(c) for c in session.scalars(stmt))


def stored_probabilities(engine: Engine, seeker_ids: Sequence[int]) -> dict[int, float]:
    """Seeker id → stored probability, for the stored ones among ``seeker_ids``."""
    with Session(engine) as session:
        return {int(i): float(p) for chunk in id_chunks(seeker_ids)
                for i, p in session.execute(select(SeekerScore.seeker_id, SeekerScore.probability)
                                            .where(SeekerScore.seeker_id.in_(chunk))).all()}


def probability_counts(engine: Engine, thresholds: Sequence[float]) -> tuple[int, list[int]]:
    """(stored rows, rows whose probability lies below each of ``thresholds``), in one pass.

    The comparison is SQL's ``probability < :t`` on the stored double: the same test as numpy's on
    the same values, so the counts are exact.
    """
    p = SeekerScore.probability
    stmt = select(func.count(), *(func.coalesce(func.sum(case((p < float(t), 1), else_=0)), 0) for t in thresholds))
    with Session(engine) as session:
        n, *below = session.execute(stmt).one()
    return int(n), [int(b) for b in below]


def group_sums(engine: Engine, high_below: float) -> pd.DataFrame:
    """Per desired region and desired occupation (KECO 소분류) of the stored rows, in one pass:
    ``desired_region, desired_keco, n, probability_sum, high, days_sum`` (``high``: rows below
    ``high_below``, the model's 고위험 before counsellors' overrides)."""
    p = SeekerScore.probability
    stmt = (select(SeekerScore.desired_region, SeekerScore.desired_keco, func.count().label("n"),
                   func.sum(p).label("probability_sum"),
                   func.sum(case((p < float(high_below), 1), else_=0)).label("high"),
                   func.sum(SeekerScore.days_since_registration).label("days_sum"))
            .group_by(SeekerScore.desired_region, SeekerScore.desired_keco)
            .order_by(SeekerScore.desired_region, SeekerScore.desired_keco))
    return read_frame(engine, stmt)


def stored_group_keys(engine: Engine, seeker_ids: Sequence[int]) -> pd.DataFrame:
    """``seeker_id, desired_region, desired_keco, probability`` of the stored ones among ``seeker_ids``
    (the seekers a counsellor overrode, moved between bands in the group figures)."""
    columns = (SeekerScore.seeker_id, SeekerScore.desired_region, SeekerScore.desired_keco, SeekerScore.probability)
    frames = [read_frame(engine, select(*columns).where(SeekerScore.seeker_id.in_(chunk)))
              for chunk in id_chunks(seeker_ids)]
    return (pd.concat(frames, ignore_index=True) if frames else
            pd.DataFrame(columns=["seeker_id", "desired_region", "desired_keco", "probability"]))
