"""The stored KPI summary (issue 20 §3): 성과지표 combined from its cells equal the KPIs computed from the
whole frames (the page's path before the summary) for any region and service selection, on SQLite and on
PostgreSQL; the summary is counted again only when its stamp moves (a counselling note or a service start
written later is seen), and the build leaves it current."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.analytics import kpi as kpi_math
from app.db import orm
from app.db.engine import make_engine
from app.db.repositories import kpi_summary as summary_repo
from app.db.repositories import monitoring as frames_repo
from app.reference.codes import SERVICES
from app.reference.names import region_short
from app.services import monitoring
from app.services.monitoring.kpi import kpi_cells, outcomes_known_until
from tests.conftest import copy_world_database

PG_URL = os.environ.get("GOYONG_TEST_PG_URL")
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
TARGETS = monitoring.load_targets(REFERENCE_DIR)


@pytest.fixture
def engine(world_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the small world (the summary and the writes below go into it)."""
    eng = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'kpi.db')}")
    yield eng
    eng.dispose()


def frames_kpis(engine: Engine, region_codes: Sequence[str] = (),
                services: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """By service and by region as the page computed them before the summary: every seeker, service,
    enrolment and note read into frames, filtered by region in pandas, :func:`compute_kpis`."""
    cohort = frames_repo.load_kpi_cohort(engine)
    services_frame, enrolments = frames_repo.load_service_starts(engine), frames_repo.load_enrolment_outcomes(engine)
    notes = frames_repo.load_counselling_sessions(engine)
    if region_codes:
        cohort = cohort[cohort["region_code"].astype(str).isin([str(c) for c in region_codes])]
    ids = pd.Index(cohort["id"])
    services_frame = services_frame[services_frame["seeker_id"].isin(ids)]
    enrolments, notes = enrolments[enrolments["seeker_id"].isin(ids)], notes[notes["seeker_id"].isin(ids)]
    labels = {key: monitoring.SERVICE_NAMES[key] for key in (services or list(SERVICES))}
    until = outcomes_known_until(engine)
    by_service = kpi_math.compute_kpis(cohort, services_frame, enrolments, notes, by="service", labels=labels,
                                       outcomes_known_until=until)
    region_labels = {str(c): region_short(str(c)) for c in cohort["region_code"].astype(str).unique()}
    by_region = kpi_math.compute_kpis(cohort, services_frame, enrolments, notes, by="region", labels=region_labels,
                                      outcomes_known_until=until)
    return by_service, by_region


def assert_same_kpis(engine: Engine, region_codes: Sequence[str] = (), services: Sequence[str] = ()) -> None:
    """The summary's report equals the frames' KPIs exactly: the same rows, labels and numbers."""
    report = monitoring.kpi_report(engine, TARGETS, region_codes=region_codes, services=services)
    by_service, by_region = frames_kpis(engine, region_codes, services)
    assert len(by_service) > 0 and len(by_region) > 0
    pd.testing.assert_frame_equal(report.by_service, by_service, check_exact=True)
    pd.testing.assert_frame_equal(report.by_region, by_region, check_exact=True)
    status = pd.concat([kpi_math.kpi_status(t, TARGETS, {n: k for k, n in monitoring.SERVICE_NAMES.items()})
                        for t in (by_service, by_region)], ignore_index=True)
    pd.testing.assert_frame_equal(monitoring.status_table(report.status), monitoring.status_table(status))
    pd.testing.assert_frame_equal(monitoring.kpi_table(report.by_region), monitoring.kpi_table(by_region))


SCOPES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    ((), ()), (("11",), ()), (("26", "41", "11"), ("training",)), ((), ("nes", "matching")),
    (("47", "50"), ("counselling", "training", "nes")),
]


def test_every_selection_equals_the_kpis_of_the_whole_frames(engine: Engine) -> None:
    monitoring.store_kpi_summary(engine)
    for region_codes, services in SCOPES:
        assert_same_kpis(engine, region_codes, services)
    choices = monitoring.region_choices(engine)
    assert list(choices) == sorted(frames_repo.load_kpi_cohort(engine)["region_code"].astype(str).unique())
    assert choices["11"] == "서울"


def test_a_counsellor_of_several_regions_counts_once(engine: Engine) -> None:
    """The small world's counsellors each see seekers of several 시도: summing per-시도 caseloads would
    count them several times over."""
    monitoring.store_kpi_summary(engine)
    sets = kpi_cells(engine).counsellors
    assert (sets["regions"].map(len) > 1).any()
    report = monitoring.kpi_report(engine, TARGETS, region_codes=("11", "26"))
    by_service, _ = frames_kpis(engine, ("11", "26"))
    overall = report.by_service[report.by_service["group"] == "전체"]
    np.testing.assert_array_equal(overall["caseload"].to_numpy(), by_service.loc[by_service["group"] == "전체",
                                                                                  "caseload"].to_numpy())
    assert overall["caseload"].notna().any()


def test_a_current_summary_is_not_counted_again(engine: Engine) -> None:
    first = monitoring.store_kpi_summary(engine)
    with Session(engine) as session:
        computed = session.scalar(select(orm.AggregateSnapshot.computed_at)
                                  .where(orm.AggregateSnapshot.name == summary_repo.STATE_NAME))
        cells = session.scalar(select(func.count()).select_from(orm.KpiCell))
    assert monitoring.store_kpi_summary(engine) == first
    with Session(engine) as session:
        assert session.scalar(select(orm.AggregateSnapshot.computed_at)
                              .where(orm.AggregateSnapshot.name == summary_repo.STATE_NAME)) == computed
        stamps = session.execute(select(orm.KpiCell.stamp, orm.KpiCell.model_version).distinct()).all()
    assert cells > 0 and stamps == [(first, summary_repo.LAYOUT)]


def _last_quarter_seeker(engine: Engine, region_code: str) -> tuple[int, dt.date]:
    with Session(engine) as session:
        row = session.execute(select(orm.Seeker.id, orm.Seeker.registered_on).where(orm.Seeker.region_code == region_code)
                              .order_by(orm.Seeker.registered_on.desc(), orm.Seeker.id)).first()
    assert row is not None
    return int(row.id), row.registered_on


def test_a_note_and_a_service_written_later_are_counted(engine: Engine) -> None:
    first = monitoring.store_kpi_summary(engine)
    seeker_id, registered = _last_quarter_seeker(engine, "11")
    quarter = pd.Timestamp(registered).to_period("Q").start_time
    before = monitoring.kpi_report(engine, TARGETS, region_codes=("11",)).by_service
    with Session(engine) as session, session.begin():
        # a counsellor nobody has seen before, in the seeker's registration quarter: the caseload moves
        session.add(orm.CounsellorNote(seeker_id=seeker_id, counsellor="상담사 새사람", session_no=99,
                                       written_on=registered, text="후속 상담"))
        session.execute(insert(orm.SeekerService).values(seeker_id=seeker_id, service="nes", started_on=registered))
    second = monitoring.store_kpi_summary(engine)
    assert second != first
    assert_same_kpis(engine, ("11",))
    after = monitoring.kpi_report(engine, TARGETS, region_codes=("11",)).by_service
    old = before.set_index(["quarter_start", "group"]).loc[(quarter, "전체")]
    new = after.set_index(["quarter_start", "group"]).loc[(quarter, "전체")]
    assert new["caseload"] != old["caseload"]
    assert after.set_index(["quarter_start", "group"]).loc[(quarter, "국민취업지원제도"), "participants"] >= 1


def test_medians_from_counts_per_day_are_pandas_medians(tmp_path: Path) -> None:
    """Odd and even counts, ties, one value: the database's median of counted days is pandas' median
    of the days themselves, per group over several 시도 and per 시도."""
    engine = make_engine(f"sqlite:///{tmp_path / 'medians.db'}")
    orm.Base.metadata.create_all(engine, tables=[orm.KpiCell.__table__])
    rng = np.random.default_rng(20)
    seekers = []
    for n, (quarter, region, grp) in zip([1, 2, 7, 10, 31, 2, 3, 12], [
            (q, r, g) for q in (dt.date(2025, 1, 1), dt.date(2025, 4, 1)) for r in ("11", "26") for g in ("all", "nes")],
            strict=True):
        seekers += [(quarter, region, grp, int(d)) for d in rng.integers(1, 40, size=n)]
    people = pd.DataFrame(seekers, columns=["quarter_start", "region_code", "grp", "days"])
    cells = people.groupby(["quarter_start", "region_code", "grp", "days"]).size().rename("people").reset_index()
    with engine.begin() as conn:
        conn.execute(insert(orm.KpiCell), [dict(row, kind="days", enrolments=0, completed=0, mature=0, employed=0,
                                                model_version="t", stamp="t") for row in cells.to_dict("records")])
    for regions in ((), ("26",)):
        mine = people[people["region_code"].isin(regions)] if regions else people
        expected = mine.groupby(["quarter_start", "grp"])["days"].median()
        medians = summary_repo.load_medians(engine, regions)
        got = medians[medians["by"] == "grp"].set_index(["quarter_start", "key"])
        assert len(got) == len(expected)
        for key, median in expected.items():
            assert (got.loc[key, "lower"] + got.loc[key, "upper"]) / 2 == median, key
    expected = people[people["grp"] == "all"].groupby(["quarter_start", "region_code"])["days"].median()
    medians = summary_repo.load_medians(engine)
    got = medians[medians["by"] == "region"].set_index(["quarter_start", "key"])
    assert {k: (r.lower + r.upper) / 2 for k, r in got.iterrows()} == expected.to_dict()
    engine.dispose()


def test_the_build_leaves_the_summary_current(hiring_built: tuple[str, Path], tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{copy_world_database(hiring_built[0], tmp_path / 'built.db')}")
    try:
        stored = summary_repo.stored_stamp_text(eng)
        assert stored is not None and stored == summary_repo.current_stamp_text(eng, outcomes_known_until(eng))
        assert_same_kpis(eng)
    finally:
        eng.dispose()


# --------------------------------------------------------------------------- PostgreSQL

_COPIED = (orm.WorldMeta, orm.Seeker, orm.SeekerOutcome, orm.SeekerService, orm.Course, orm.Enrolment, orm.CounsellorNote)


@pytest.fixture
def pg_engine(world_url: str) -> Iterator[Engine]:
    """The small world's KPI tables copied into a throw-away PostgreSQL schema (other sessions may
    use the test database at the same time)."""
    assert PG_URL is not None
    schema = f"goyong_kpi_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    source = make_engine(world_url)
    engine = make_engine(PG_URL).execution_options(schema_translate_map={None: schema})
    try:
        tables = [model.__table__ for model in _COPIED]
        # the summary's own tables too: the process may have created them already in another schema
        orm.Base.metadata.create_all(engine, tables=[*tables, orm.KpiCell.__table__, orm.AggregateSnapshot.__table__])
        with source.connect() as src, engine.begin() as dst:
            for table in tables:
                rows = [dict(r._mapping) for r in src.execute(select(table))]
                for start in range(0, len(rows), 5_000):
                    dst.execute(insert(table), rows[start:start + 5_000])
        yield engine
    finally:
        engine.dispose()
        source.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_selections_equal_the_kpis_of_the_whole_frames(pg_engine: Engine, engine: Engine) -> None:
    stamp = monitoring.store_kpi_summary(pg_engine)
    assert monitoring.store_kpi_summary(pg_engine) == stamp
    for region_codes, services in SCOPES[:3]:
        assert_same_kpis(pg_engine, region_codes, services)
        # and the same numbers as SQLite's summary of the same world
        monitoring.store_kpi_summary(engine)
        ours = monitoring.kpi_report(pg_engine, TARGETS, region_codes=region_codes, services=services)
        theirs = monitoring.kpi_report(engine, TARGETS, region_codes=region_codes, services=services)
        pd.testing.assert_frame_equal(ours.by_service, theirs.by_service, check_exact=True)
        pd.testing.assert_frame_equal(ours.by_region, theirs.by_region, check_exact=True)
