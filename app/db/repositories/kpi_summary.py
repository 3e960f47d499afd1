"""The stored KPI summary (:class:`app.db.orm.KpiCell`): the cells the 성과지표 of any region and service
selection are combined from, and the stamp of the data they were counted from.

The KPIs (:mod:`app.analytics.kpi`) used to read every seeker, service start, enrolment and counselling
note into the app: seconds on PostgreSQL with a million seekers, on every cache miss of 성과·모델
모니터링. The cells are counted in the database instead (``GROUP BY``; nothing row-by-row moves through
the driver) per registration quarter, 시도 of residence and group, and a page reads a few hundred of
them. The stamp (kept like the stored scores' in :class:`app.db.orm.AggregateSnapshot`) is the world's
fingerprint and creation time, the last day whose outcomes are known and the newest id of every table
the KPIs read: a seeker, service start, enrolment or counselling note written since moves it, and the
next reader counts the cells again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, and_, case, extract, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session

from app.db.orm import (
    AggregateSnapshot,
    Base,
    CounsellorNote,
    Enrolment,
    KpiCell,
    Seeker,
    SeekerOutcome,
    SeekerService,
    WorldMeta,
)
from app.db.repositories import create_missing_tables, read_frame, snapshots

STATE_NAME = "kpi_cells"
"""The :class:`AggregateSnapshot` row that holds the stamp the stored cells were counted from."""
LAYOUT = "kpi-cells-3"
"""What the cells hold (kept as the rows' ``model_version`` and in the stamp: a new layout recounts)."""
HORIZON_DAYS = 180
"""Days after registration by which a seeker's outcome is known (:data:`app.analytics.kpi.HORIZON_DAYS`)."""

CELL_COLUMNS: tuple[str, ...] = ("kind", "quarter_start", "region_code", "grp", "days", "people", "enrolments",
                                 "completed", "mature", "employed")
"""One stored cell (see :class:`app.db.orm.KpiCell`)."""
COUNT_COLUMNS: tuple[str, ...] = ("people", "enrolments", "completed", "mature", "employed")
"""The additive counts of a cell."""
ALL, ANY = "all", "any"
"""Groups of the ``cohort`` cells besides the services: every seeker, seekers with any service."""

_NEWEST = (
    ("seekers", Seeker.id), ("seeker_services", SeekerService.id), ("enrolments", Enrolment.id),
    ("counsellor_notes", CounsellorNote.id), ("seeker_outcomes", SeekerOutcome.seeker_id),
)


def read_stamps(engine: Engine) -> tuple[dict[str, Any], str | None, str | None]:
    """What the stamp is made of now, the world's ``observation_end`` and the stamp stored with the
    cells (``None`` when none are), in one round trip of index lookups (the page runs it on every
    view that misses its minute cache).

    Returns:
        The markers for :func:`stamp_text`, the observation end as stored, the stored stamp text.
    """
    create_missing_tables(engine, [Base.metadata.tables[KpiCell.__tablename__],
                                   Base.metadata.tables[AggregateSnapshot.__tablename__]])
    meta = [select(WorldMeta.value).where(WorldMeta.key == key).scalar_subquery()
            for key in ("fingerprint", "created_at", "observation_end")]
    stored = select(AggregateSnapshot.frame).where(AggregateSnapshot.name == STATE_NAME).scalar_subquery()
    stmt = select(*meta, stored, *(select(func.coalesce(func.max(column), 0)).scalar_subquery() for _, column in _NEWEST))
    with Session(engine) as session:
        values = session.execute(stmt).one()
    markers = {"world": ["" if v is None else str(v) for v in values[:2]],
               "newest": [[name, int(v)] for (name, _), v in zip(_NEWEST, values[4:], strict=True)]}
    return markers, values[2], values[3]


def stamp_text(markers: dict[str, Any], outcomes_known_until: dt.date | None) -> str:
    """The stamp as stored (JSON): the markers of :func:`read_stamps`, the last day whose outcomes
    are known and the cells' layout."""
    return json.dumps({**markers, "layout": LAYOUT,
                       "outcomes_known_until": outcomes_known_until.isoformat() if outcomes_known_until else None},
                      sort_keys=True, ensure_ascii=False)


def current_stamp_text(engine: Engine, outcomes_known_until: dt.date | None) -> str:
    """The stamp of the data as it is now."""
    return stamp_text(read_stamps(engine)[0], outcomes_known_until)


def stamp_digest(stamp_text: str) -> str:
    """Short form of a stamp (SHA-256 hex), kept on every cell."""
    return hashlib.sha256(stamp_text.encode("utf-8")).hexdigest()


def stored_stamp_text(engine: Engine) -> str | None:
    """The stamp the stored cells were counted from (``None`` when none are stored)."""
    return read_stamps(engine)[2]


# --------------------------------------------------------------------------- counting (the store step)


def _quarter_of(column: ColumnElement[Any]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Year and first month of ``column``'s calendar quarter (``extract`` works on SQLite and PostgreSQL alike)."""
    month = extract("month", column)
    return (extract("year", column).label("year"),
            case((month <= 3, 1), (month <= 6, 4), (month <= 9, 7), else_=10).label("first_month"))


def _seekers(outcomes_known_until: dt.date | None, *, outcomes: bool = True) -> Any:
    """Every seeker's quarter and 시도, with ``outcomes`` their maturity and outcome (a subquery: the
    groupings below reuse its columns)."""
    columns: list[ColumnElement[Any]] = [Seeker.id.label("seeker_id"), *_quarter_of(Seeker.registered_on),
                                         Seeker.region_code]
    if not outcomes:
        return select(*columns).subquery("registered")
    if outcomes_known_until is None:
        mature_now: ColumnElement[bool] = true()
    else:
        mature_now = Seeker.registered_on <= outcomes_known_until - dt.timedelta(days=HORIZON_DAYS)
    employed_now = and_(mature_now, SeekerOutcome.employed_180d.is_(True))
    return (select(*columns, case((mature_now, 1), else_=0).label("mature"),
                   case((employed_now, 1), else_=0).label("employed"),
                   case((employed_now, SeekerOutcome.days_to_employment), else_=None).label("days"))
            .join(SeekerOutcome, SeekerOutcome.seeker_id == Seeker.id, isouter=True).subquery("people"))


def _service_masks(services: Sequence[str]) -> Any:
    """Each seeker with a service start and the set of services they started, as bits (the ``i``-th
    of ``services`` is ``1 << i``; any other service one more bit): one pass over the service starts
    serves every service's cells and the "any service" ones."""
    bit = case(*((SeekerService.service == key, 1 << i) for i, key in enumerate(services)), else_=1 << len(services))
    return (select(SeekerService.seeker_id, func.sum(bit.distinct()).label("mask"))
            .group_by(SeekerService.seeker_id).subquery("masks"))


def _grouped(engine: Engine, stmt: Select[Any], keys: Sequence[ColumnElement[Any]]) -> pd.DataFrame:
    frame = read_frame(engine, stmt.group_by(*keys))
    frame["quarter_start"] = [dt.date(int(y), int(m), 1) for y, m in zip(frame.pop("year"), frame.pop("first_month"),
                                                                        strict=True)]
    if "mask" in frame:
        frame["mask"] = pd.to_numeric(frame["mask"]).fillna(0).astype(int)
    return frame


def count_cells(engine: Engine, outcomes_known_until: dt.date | None, services: Sequence[str]) -> pd.DataFrame:
    """Count every cell in the database (:data:`CELL_COLUMNS`).

    Four grouped queries (seekers by quarter, 시도, services used and days to employment; enrolments
    by the same; sessions twice), whose few thousand groups are summed here into the cells.

    Args:
        engine: Product database.
        outcomes_known_until: The last day whose outcomes are known (``None``: every seeker's are).
        services: The service keys that get cells of their own.
    """
    people, registered, masks = _seekers(outcomes_known_until), _seekers(None, outcomes=False), _service_masks(services)
    by_seeker = [people.c.year, people.c.first_month, people.c.region_code, masks.c.mask, people.c.days]
    seekers = _grouped(engine, select(*by_seeker, func.count().label("people"), func.sum(people.c.mature).label("mature"),
                                      func.sum(people.c.employed).label("employed"))
                       .join(masks, masks.c.seeker_id == people.c.seeker_id, isouter=True), by_seeker)
    by_enrolment = [registered.c.year, registered.c.first_month, registered.c.region_code, masks.c.mask]
    enrolled = _grouped(engine, select(*by_enrolment, func.count().label("enrolments"),
                                       func.sum(case((Enrolment.completed.is_(True), 1), else_=0)).label("completed"))
                        .select_from(Enrolment).join(registered, registered.c.seeker_id == Enrolment.seeker_id)
                        .join(masks, masks.c.seeker_id == Enrolment.seeker_id, isouter=True), by_enrolment)
    key = ["quarter_start", "region_code"]
    groups = {ALL: None, ANY: -1, **{service: 1 << i for i, service in enumerate(services)}}
    cohort, days = [], []
    for grp, bit in groups.items():
        def mine(frame: pd.DataFrame, bit: int | None = bit) -> pd.DataFrame:
            return frame if bit is None else frame[(frame["mask"] & bit) != 0]
        counts = mine(seekers).groupby(key)[["people", "mature", "employed"]].sum()
        if grp == ANY:
            counts = counts[["people"]]
        else:
            counts = counts.join(mine(enrolled).groupby(key)[["enrolments", "completed"]].sum(), how="left")
            employed = mine(seekers).dropna(subset=["days"])
            days.append(employed.groupby([*key, "days"])["people"].sum().reset_index().assign(grp=grp, kind="days"))
        cohort.append(counts.reset_index().assign(grp=grp, kind="cohort", days=-1))
    cells = pd.concat([*cohort, *days, *_caseload_cells(engine)], ignore_index=True)
    for column in ("days", *COUNT_COLUMNS):
        cells[column] = pd.to_numeric(cells[column]).fillna(0).astype(int)
    return cells.loc[:, list(CELL_COLUMNS)]


def _caseload_cells(engine: Engine) -> list[pd.DataFrame]:
    """``seen`` cells (distinct seekers with a session per quarter and 시도) and ``counsellors`` cells
    (counsellors per quarter by the set of 시도 whose seekers they saw: a counsellor may serve several,
    and is one person in any selection of them)."""
    noted = (select(CounsellorNote.seeker_id, CounsellorNote.counsellor, *_quarter_of(CounsellorNote.written_on),
                    Seeker.region_code).join(Seeker, Seeker.id == CounsellorNote.seeker_id).subquery("noted"))
    by_cell = [noted.c.year, noted.c.first_month, noted.c.region_code]
    seen = _grouped(engine, select(*by_cell, func.count(noted.c.seeker_id.distinct()).label("people")), by_cell)
    served = _grouped(engine, select(*by_cell, noted.c.counsellor).where(noted.c.counsellor.is_not(None)).distinct(),
                      [])
    if served.empty:
        return [seen.assign(kind="seen", grp="")]
    sets = (served.groupby(["quarter_start", "counsellor"])["region_code"]
            .agg(lambda codes: ",".join(sorted(set(map(str, codes))))))
    counsellors = (sets.rename("region_code").reset_index().groupby(["quarter_start", "region_code"]).size()
                   .rename("people").reset_index())
    return [seen.assign(kind="seen", grp=""), counsellors.assign(kind="counsellors", grp="")]


def save_cells(engine: Engine, cells: pd.DataFrame, stamp_text: str) -> bool:
    """Replace the stored cells and their stamp in one transaction.

    Returns:
        False when they could not be stored (e.g. a read-only database, or another process storing
        the same cells at the same moment); the cells stored before stay.
    """
    create_missing_tables(engine, [Base.metadata.tables[KpiCell.__tablename__],
                                   Base.metadata.tables[AggregateSnapshot.__tablename__]])
    # every cell is replaced (no key list), so the key column passed is never read
    return snapshots.replace_stamped_rows(engine, KpiCell, KpiCell.days, cells, CELL_COLUMNS, state_name=STATE_NAME,
                                          stamp_text=stamp_text, digest=stamp_digest(stamp_text), model_version=LAYOUT,
                                          replace_ids=None)


# --------------------------------------------------------------------------- reading (the pages)


def load_cells(engine: Engine, region_codes: Sequence[str] = ()) -> pd.DataFrame:
    """The ``cohort`` and ``seen`` cells of ``region_codes`` (every 시도 when empty), per 시도, and every
    ``counsellors`` cell (a counsellor's set of 시도 is matched against the selection by the caller):
    one query of a few hundred rows.

    Returns:
        :data:`CELL_COLUMNS` but ``days`` (``quarter_start`` as a date).
    """
    wanted = KpiCell.kind.in_(("cohort", "seen"))
    if region_codes:
        wanted = and_(wanted, KpiCell.region_code.in_([str(c) for c in region_codes]))
    columns = [getattr(KpiCell, c) for c in CELL_COLUMNS if c != "days"]
    return read_frame(engine, select(*columns).where(or_(wanted, KpiCell.kind == "counsellors")))


def _median_rows(region_codes: Sequence[str], *, per_region: bool) -> Select[Any]:
    """The middle values of the ``days`` cells per quarter and group (the 시도 together) or per quarter
    and 시도 (everyone), as ``quarter_start, by, key, lower, upper``."""
    key = KpiCell.region_code if per_region else KpiCell.grp
    wanted = [KpiCell.kind == "days"]
    if region_codes:
        wanted.append(KpiCell.region_code.in_([str(c) for c in region_codes]))
    if per_region:
        wanted.append(KpiCell.grp == ALL)
    counted = (select(KpiCell.quarter_start, key.label("key"), KpiCell.days, func.sum(KpiCell.people).label("n"))
               .where(*wanted).group_by(KpiCell.quarter_start, key, KpiCell.days).subquery())
    part = [counted.c.quarter_start, counted.c.key]
    running = select(*part, counted.c.days,
                     func.sum(counted.c.n).over(partition_by=part, order_by=counted.c.days).label("below"),
                     func.sum(counted.c.n).over(partition_by=part).label("total")).subquery()
    # the k-th of n values is the first whose running count reaches k: k = ceil(n/2) is 2·count ≥ n,
    # k = floor(n/2) + 1 is 2·count > n (the same value for odd n)
    middle = [running.c.quarter_start, running.c.key]
    return select(running.c.quarter_start, literal("region" if per_region else "grp").label("by"), running.c.key,
                  func.min(case((2 * running.c.below >= running.c.total, running.c.days))).label("lower"),
                  func.min(case((2 * running.c.below > running.c.total, running.c.days))).label("upper")).group_by(*middle)


def load_medians(engine: Engine, region_codes: Sequence[str] = ()) -> pd.DataFrame:
    """Median days to employment of the mature employed seekers of ``region_codes`` (every 시도 when
    empty), from the ``days`` cells, in the database (a count per day makes them exact; one row per
    median leaves it), in one query: per quarter and group, the 시도 together (``by`` = ``"grp"``),
    and per quarter and 시도 over everyone (``by`` = ``"region"``).

    Returns:
        ``quarter_start`` (date), ``by``, ``key`` (the group or the 시도), and ``lower``, ``upper``:
        the middle value twice, or the two middle ones (the median is their mean, as pandas takes it).
    """
    frame = read_frame(engine, union_all(_median_rows(region_codes, per_region=False),
                                         _median_rows(region_codes, per_region=True)))
    for column in ("lower", "upper"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


def load_region_codes(engine: Engine) -> list[str]:
    """The 시도 codes with registered seekers, in code order."""
    stmt = select(KpiCell.region_code).where(KpiCell.kind == "cohort", KpiCell.grp == ALL).distinct()
    with Session(engine) as session:
        return sorted(str(code) for code in session.execute(stmt).scalars())
