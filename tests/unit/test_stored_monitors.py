"""The model monitors' stored results (성과·모델 모니터링 at national scale): on the small built world the
report read from the stored monitors equals the one computed live (every table, alert and sheet, exact),
a current stamp computes nothing, a write the monitors read (a band setting, a seeker's outcome, a
posting) moves its monitor's stamp and only that monitor is computed again — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select, text

from app.config import get_settings
from app.db import orm
from app.db.engine import make_engine
from app.db.repositories import monitor_results
from app.services import employment, monitoring
from app.services.monitoring import stored
from tests.conftest import copy_world_database

PG_URL = os.environ.get("GOYONG_TEST_PG_URL")
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def built(hiring_built: tuple[str, Path], tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    """A private copy of the built small world (the stored monitors go into it) and its models."""
    url, models = hiring_built
    engine = make_engine(f"sqlite:///{copy_world_database(url, tmp_path / 'monitors.db')}")
    yield engine, models
    engine.dispose()


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the monitors computed (not read back) from here on."""
    names: list[str] = []
    real = stored.compute_monitor

    def counting(engine: Engine, name: str, inputs: stored.MonitorInputs) -> monitoring.ModelMonitor:
        names.append(name)
        return real(engine, name, inputs)

    monkeypatch.setattr(stored, "compute_monitor", counting)
    return names


def report_of(engine: Engine, models: Path, *, live: bool = False) -> monitoring.MonitoringReport:
    settings = get_settings()
    return monitoring.build_report(engine, models_dir=models, reference_dir=settings.reference_dir, tolerance=0.05,
                                   min_group_size=100, today=TODAY, live=live)


def store(engine: Engine, models: Path) -> str:
    return monitoring.store_model_monitors(engine, models_dir=models, reference_dir=get_settings().reference_dir,
                                           tolerance=0.05, min_group_size=100)


def assert_same_report(ours: monitoring.MonitoringReport, theirs: monitoring.MonitoringReport) -> None:
    """Every monitor's tables and alerts, the alerts, the missing models and every sheet: equal, exactly."""
    assert [m.name for m in ours.monitors] == [m.name for m in theirs.monitors]
    for mine, other in zip(ours.monitors, theirs.monitors, strict=True):
        assert (mine.title, mine.version, mine.reference, mine.note, mine.profile) == (
            other.title, other.version, other.reference, other.note, other.profile)
        for table in stored.FRAMES:
            pd.testing.assert_frame_equal(getattr(mine, table), getattr(other, table), check_exact=True)
        assert mine.alerts == other.alerts
    pd.testing.assert_frame_equal(ours.alerts, theirs.alerts, check_exact=True)
    assert ours.missing == theirs.missing
    assert {k: v for k, v in ours.summary().items() if k != "seconds"} == {
        k: v for k, v in theirs.summary().items() if k != "seconds"}
    sheets, other_sheets = monitoring.report_sheets(ours), monitoring.report_sheets(theirs)
    assert list(sheets) == list(other_sheets)
    for name, sheet in sheets.items():
        pd.testing.assert_frame_equal(sheet, other_sheets[name], check_exact=True, obj=name)


def test_the_stored_report_equals_the_live_one_and_a_current_stamp_computes_nothing(
        built: tuple[Engine, Path], computed: list[str]) -> None:
    engine, models = built
    live = report_of(engine, models, live=True)
    assert {"employment", "hiring", "course_outcome", "ad_verifier"} <= {m.name for m in live.monitors}
    assert not live.monitors[0].fairness.empty and not live.monitors[0].calibration.empty
    first = store(engine, models)  # the build's step: computes and stores
    assert store(engine, models) == first
    computed.clear()
    assert_same_report(report_of(engine, models), live)
    assert computed == []  # read back, not computed
    assert_same_report(report_of(engine, models), live)  # read back twice: the reads do not change them


def test_a_write_the_monitor_reads_moves_only_its_stamp(built: tuple[Engine, Path], computed: list[str]) -> None:
    engine, models = built
    first = store(engine, models)
    computed.clear()
    # policy staff move the risk cutoff: the fairness table's high-risk cutoff changes
    employment.save_risk_bands(engine, high_below=0.3, low_from=0.6, username="policy1", note="검토")
    second = store(engine, models)
    assert second != first and computed == ["employment"]
    assert_same_report(report_of(engine, models), report_of(engine, models, live=True))
    # a posting's outcome changing (here: the newest withdrawn) moves the hiring monitor only
    computed.clear()
    with sqlite3.connect(engine.url.database) as conn:
        conn.execute("DELETE FROM posting_outcomes WHERE posting_id = (SELECT max(posting_id) FROM posting_outcomes)")
    expected = ["hiring"]
    store(engine, models)
    assert computed == expected
    assert_same_report(report_of(engine, models), report_of(engine, models, live=True))


def test_other_fairness_settings_or_a_new_build_compute_again(built: tuple[Engine, Path]) -> None:
    engine, models = built
    settings = get_settings()
    first = store(engine, models)
    other = monitoring.store_model_monitors(engine, models_dir=models, reference_dir=settings.reference_dir,
                                            tolerance=0.08, min_group_size=100)
    assert other != first
    report = monitoring.build_report(engine, models_dir=models, reference_dir=settings.reference_dir, tolerance=0.08,
                                     min_group_size=100, today=TODAY)
    assert_same_report(report, monitoring.build_report(engine, models_dir=models, reference_dir=settings.reference_dir,
                                                       tolerance=0.08, min_group_size=100, today=TODAY, live=True))


def test_the_stamp_is_the_same_in_every_process() -> None:
    """The build, the page and the command line are separate processes: string hashes (set order)
    differ between them, and a stamp that moved with them would compute every monitor on every view."""
    code = ("from app.config import get_settings; from app.services import monitoring; "
            "from app.services.monitoring import stored; "
            "print(stored.thresholds_digest(monitoring.load_monitoring_thresholds(get_settings().reference_dir)))")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parents[2],
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2", "3")}
    assert len(digests) == 1 and len(next(iter(digests))) == 64


def test_tables_round_trip_exactly_through_json() -> None:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({
        "window_start": pd.to_datetime(["2025-01-01", "2025-04-01", None]),
        "n": np.array([3, 4, 5], dtype=np.int64), "psi": rng.random(3), "flag": [True, False, True],
        "when": pd.Series([pd.Timestamp("2025-01-01"), pd.NaT, dt.date(2025, 1, 2)], dtype=object),
        "label": ["가", None, "다"], "mixed": pd.Series([np.float64(0.1 + 0.2), 1.5, float("nan")], dtype=object),
    })
    back = monitor_results.decode_frame(monitor_results.encode_frame(frame))
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert type(back["when"][1]) is type(pd.NaT) and back["psi"].tolist() == frame["psi"].tolist()
    for empty in (pd.DataFrame(), frame.iloc[:0], frame.set_index("n")):
        pd.testing.assert_frame_equal(monitor_results.decode_frame(monitor_results.encode_frame(empty)), empty,
                                      check_exact=True)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_built(hiring_built: tuple[str, Path], request: pytest.FixtureRequest) -> tuple[Engine, Path]:
    """The built small world copied into a throw-away PostgreSQL schema (other sessions may use the
    test database at the same time), with its models."""
    url, models = hiring_built
    engine, _ = _throw_away_schema(request)
    # every table of the world (the SQLite copy's snapshots belong to its own stamps: left out)
    tables = [t for t in orm.Base.metadata.sorted_tables if t.name != orm.AggregateSnapshot.__tablename__]
    orm.Base.metadata.create_all(engine, tables=[*tables, orm.AggregateSnapshot.__table__])
    source = make_engine(url)
    with source.connect() as src, engine.begin() as dst:
        for table in tables:
            found = [dict(row) for row in src.execute(select(table)).mappings()]
            if found:
                dst.execute(insert(table), found)
    source.dispose()
    return engine, models


def _throw_away_schema(request: pytest.FixtureRequest) -> tuple[Engine, str]:
    """An engine on a new PostgreSQL schema dropped after the test (other sessions may use the test
    database at the same time), and the schema's name."""
    assert PG_URL is not None
    schema = f"goyong_mon_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL).execution_options(schema_translate_map={None: schema})
    request.addfinalizer(lambda: _drop_schema(engine, admin, schema))
    return engine, schema


def _drop_schema(engine: Engine, admin: Engine, schema: str) -> None:
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_stored_report_equals_the_live_one(pg_built: tuple[Engine, Path], built: tuple[Engine, Path]) -> None:
    engine, models = pg_built
    live = report_of(engine, models, live=True)
    first = store(engine, models)
    assert store(engine, models) == first
    assert_same_report(report_of(engine, models), live)
    # the same monitors as SQLite's copy of the world
    sqlite_engine, _ = built
    theirs = report_of(sqlite_engine, models)
    for mine, other in zip(live.monitors, theirs.monitors, strict=True):
        for table in stored.FRAMES:
            pd.testing.assert_frame_equal(getattr(mine, table), getattr(other, table), check_exact=False, rtol=1e-12)


# --------------------------------------------------------------------------- live sections counted in SQL


def _old_audit_volume(engine: Engine, since: dt.datetime, titles: dict[str, str]) -> pd.DataFrame:
    """The audit volume as it was computed before (every distinct timestamp read, grouped in pandas)."""
    from app.analytics import monitoring as mon
    from app.db.repositories import monitoring as repo
    from app.text.korean import KST

    counts = repo.load_audit_counts(engine, since)
    counts = counts[~counts["model_name"].isin(["", "-"])]
    at = pd.to_datetime(counts["at"]).dt.tz_localize("UTC").dt.tz_convert(KST)
    counts = counts.assign(day=at.dt.date.to_numpy(), model=[titles.get(n, "기타 모델") for n in counts["model_name"]],
                           window_start=mon.quarter_start(at.dt.tz_localize(None)).to_numpy())
    return counts.groupby(["day", "model_name", "model", "action", "window_start"], as_index=False)["rows"].sum()[
        ["day", "model_name", "model", "action", "rows", "window_start"]]


def _old_override_table(engine: Engine) -> pd.DataFrame:
    from app.analytics import monitoring as mon
    from app.db.repositories import monitoring as repo

    overrides = repo.load_risk_override_events(engine)
    profiles = repo.load_action_times(engine, "employment.profile")
    views = profiles.groupby(mon.quarter_start(profiles["at"]).to_numpy()).size()
    per_window = overrides.groupby(mon.quarter_start(overrides["at"]).to_numpy()).size()
    table = pd.DataFrame({"window_start": per_window.index, "changed": per_window.to_numpy(int)})
    table["n"] = [max(int(views.get(w, 0)), c) for w, c in zip(table["window_start"], table["changed"], strict=True)]
    table["rate"] = table["changed"] / table["n"].clip(lower=1)
    return table[["window_start", "n", "changed", "rate"]]


def _add_events(engine: Engine) -> None:
    """Audit rows on both sides of KST midnight (15:00 UTC) and of a quarter, rows without a model,
    several in one second, and overrides in three quarters."""
    rng = np.random.default_rng(23)
    base = dt.datetime(2026, 3, 31, 14, 0, 0)
    times = [base + dt.timedelta(seconds=int(s)) for s in rng.integers(0, 3 * 86400, 400)]
    times += [dt.datetime(2026, 3, 31, 14, 59, 59), dt.datetime(2026, 3, 31, 15, 0, 0)] * 3
    actions = [("employment.profile", "employment"), ("hiring.predict", "hiring"), ("login", ""), ("ads.check", "-")]
    rows = [{"at": t, "username": "c1", "role": "counsellor", "action": actions[i % 4][0], "model_name": actions[i % 4][1],
             "model_version": "1", "input_hash": f"{i:064x}", "output": {}} for i, t in enumerate(times)]
    overrides = [{"seeker_id": 1, "username": "c1", "at": dt.datetime(2025, 12, 31, 23, 0) + dt.timedelta(days=int(d)),
                  "model_band": "고위험", "override_band": "저위험", "probability": 0.1, "model_version": "1", "reason": "면담"}
                 for d in rng.integers(0, 200, 60)]
    with engine.begin() as conn:
        conn.execute(insert(orm.AuditLog.__table__), rows)
        conn.execute(insert(orm.RiskOverride.__table__), overrides)


def _assert_live_sections_as_before(engine: Engine) -> None:
    from app.analytics.monitoring import Thresholds
    from app.services.monitoring import models as monitors

    titles = {"employment": "취업성공 예측모델", "hiring": "채용성공 예측모델"}
    new = monitors.audit_volume(engine, days=60, today=dt.date(2026, 4, 20), titles=titles)
    old = _old_audit_volume(engine, dt.datetime.combine(dt.date(2026, 2, 20), dt.time()) - dt.timedelta(hours=9), titles)
    # KST days on both sides of the quarter (2026-03-31 is 1분기, 04-01 2분기), rows without a model left out
    assert {dt.date(2026, 3, 31), dt.date(2026, 4, 1)} <= set(new["day"]) and len(new) >= 6
    assert new["rows"].sum() == old["rows"].sum()
    pd.testing.assert_frame_equal(new.reset_index(drop=True), old.reset_index(drop=True), check_exact=True)
    monitor = monitors.ModelMonitor("employment", "취업성공 예측모델", "1", monitors.PROFILES["employment"])
    monitors.employment_overrides(engine, monitor, Thresholds())
    expected = _old_override_table(engine)
    assert len(expected) == 4  # 2025-12-31 23:00 (UTC) is still 4분기
    pd.testing.assert_frame_equal(monitor.overrides.drop(columns="window"), expected, check_exact=True)


def test_audit_volume_and_override_rates_counted_in_sql_equal_the_frames(world_url: str, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'events.db')}")
    _add_events(engine)
    _assert_live_sections_as_before(engine)
    engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_audit_volume_and_override_rates_equal_the_frames(request: pytest.FixtureRequest) -> None:
    engine, schema = _throw_away_schema(request)
    admin = make_engine(PG_URL)
    request.addfinalizer(admin.dispose)
    orm.Base.metadata.create_all(engine, tables=[orm.AuditLog.__table__, orm.Seeker.__table__, orm.RiskOverride.__table__])
    with admin.begin() as conn:  # no seekers here: the overrides' foreign key goes
        table = f'"{schema}".risk_overrides'
        for name in conn.execute(text("SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = "
                                      "to_regclass(:t)"), {"t": table}).scalars().all():
            conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    _add_events(engine)
    _assert_live_sections_as_before(engine)
