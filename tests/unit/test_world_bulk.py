"""Writing a world fast: the bulk insert stores what SQLAlchemy's insert stores, and a large world's
text (composed per chunk, in worker processes) does not depend on how many workers composed it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select, text

from app.db import fingerprint, orm
from app.db.engine import make_engine
from app.db.fingerprint import compute_fingerprint
from app.db.repositories.bulk import bulk_connection, frame_records, insert_frame
from app.db.repositories.world import reset_schema
from app.world import generate, params


def _frames() -> dict[str, tuple[pd.DataFrame, tuple[str, ...]]]:
    """Rows in the value shapes the generator hands over (numpy numbers, pandas' nullable integers,
    NaN and NaT, numpy scalars inside an object column, datetime64 dates, defaults left out), with
    the columns to write as dates."""
    n = 7
    seekers = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "age": pd.array([31, 45, 28, 60, 39, 52, 23], dtype="Int64"),
        "sex": ["F", "M", "F", "M", "F", "M", "F"],
        "disability": np.array([False, True, False, False, True, False, False]),
        "education": "대졸",
        "region_code": "11",
        "career_years": [1.5, 0.5, 0.0, 20.0, 3.5, -0.0, 2.0],
        "last_keco": ["0211", None, "0211", np.nan, "1320", "1320", None],
        "desired_keco": np.array([np.str_("0211")] * n, dtype=object),
        "desired_wage": np.array([np.int64(2_500_000)] * n, dtype=object),
        "desired_region_code": "11",
        "region_flexible": np.array([True] * n),
        "benefit_status": np.array([True, False] * 3 + [True]),
        "registered_on": np.array(["2025-01-02", "2025-03-04", "2026-05-26", "2024-01-01", "2025-07-08",
                                   "2025-09-10", "2025-11-12"], dtype="datetime64[D]"),
        "birth_date": [dt.date(1990, 1, 1)] * n,
        "name": "홍길동", "phone": "010-0000-0000", "email": "a@example.com", "address": "서울",
        "resume_text": ["이력서 '따옴표'\n줄바꿈", "", "경력 3년", "x" * 500, "한글", "\\역슬래시", "끝"],
        "cover_letter_text": "자기소개",
    })
    for letter in "riasec":
        seekers[f"riasec_{letter}"] = np.linspace(1.0, 5.0, n)
    jobs = pd.DataFrame({
        "seeker_id": [1, 2, 3], "posting_id": pd.array([None, None, None], dtype="Int64"),
        "industry_code": "C", "size_code": "S1", "wage_monthly": [2_100_000, 3_000_000, 2_500_000],
        "started_on": np.array(["2025-01-01", "2025-02-01", "2025-03-01"], dtype="datetime64[s]"),
        "ended_on": np.array(["2025-06-30", "NaT", "NaT"], dtype="datetime64[s]"),
    })
    courses = pd.DataFrame({
        "id": [1, 2], "title": "과정", "institution": "기관", "ncs_code": "01", "keco_code": "0211",
        "region_code": "11", "course_type": "국가", "mode": "집체", "hours": [120, 80], "days": [20, 10],
        "cost": [1_000_000, 500_000], "capacity": [20, 15],
        "start_date": np.array(["2026-07-01", "2026-08-01"], dtype="datetime64[D]"),
        "end_date": np.array(["2026-09-01", "2026-09-15"], dtype="datetime64[D]"),
        "satisfaction": [4.5, 3.9], "completion_rate": [0.8, np.nan], "employment_rate_6m": [np.nan, 0.5],
    })
    return {"seekers": (seekers, ("registered_on",)), "seeker_jobs": (jobs, ("started_on", "ended_on")),
            "courses": (courses, ("start_date", "end_date"))}


def _rows(engine: Engine, table: str) -> list[tuple]:
    spec = orm.Base.metadata.tables[table]
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(spec).order_by(*spec.primary_key.columns))]


def test_bulk_insert_stores_what_core_insert_stores(tmp_path: Path) -> None:
    by_core = make_engine(f"sqlite:///{tmp_path / 'core.db'}")
    by_bulk = make_engine(f"sqlite:///{tmp_path / 'bulk.db'}")
    reset_schema(by_core)
    reset_schema(by_bulk)
    for table, (frame, dates) in _frames().items():
        with by_core.begin() as conn:
            conn.execute(insert(orm.Base.metadata.tables[table]), frame_records(frame, date_cols=dates))
        with bulk_connection(by_bulk) as conn:
            assert insert_frame(conn, table, frame, chunk=3, date_cols=dates) == len(frame)
        assert _rows(by_bulk, table) == _rows(by_core, table)
    seeker = dict(zip(orm.Seeker.__table__.columns.keys(), _rows(by_bulk, "seekers")[0], strict=True))
    assert seeker["source"] == "world" and seeker["skills"] == ""  # the columns' defaults, as Core gives them
    assert seeker["registered_on"] == dt.date(2025, 1, 2) and seeker["disability"] is False and seeker["age"] == 31
    assert [row[1] for row in _rows(by_bulk, "seeker_jobs")] == [None, None, None]
    assert [row[-1] for row in _rows(by_bulk, "seeker_jobs")] == [dt.date(2025, 6, 30), None, None]
    course = dict(zip(orm.Course.__table__.columns.keys(), _rows(by_bulk, "courses")[1], strict=True))
    assert course["completion_rate"] is None and course["round_no"] == 1 and course["programme_code"] == ""


def test_bulk_connection_restores_the_journal_and_sync_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    reset_schema(engine)
    with bulk_connection(engine) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "off"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 0
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _tiny_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, name: str) -> generate.WorldSummary:
    """A world of the large size's kind (text per chunk) but a few hundred seekers in three chunks."""
    tiny = dataclasses.replace(params.SIZES["small"], name="large", chunk=250)
    monkeypatch.setitem(params.SIZES, "large", tiny)
    monkeypatch.setattr(generate, "text_workers", lambda size: workers)
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    try:
        return generate.generate_world(engine, size="large", seed=5)
    finally:
        engine.dispose()


def test_large_world_text_is_the_same_with_any_number_of_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = _tiny_large(tmp_path, monkeypatch, 0, "here.db")
    in_workers = _tiny_large(tmp_path, monkeypatch, 2, "workers.db")
    assert in_workers.rows == here.rows
    assert in_workers.fingerprint == here.fingerprint
    small = generate.generate_world(make_engine(f"sqlite:///{tmp_path / 'small.db'}"), size="small", seed=5)
    assert {k: n for k, n in small.rows.items() if k != "counsellor_notes"} == {
        k: n for k, n in here.rows.items() if k != "counsellor_notes"}  # notes per seeker are drawn with their text
    assert small.fingerprint != here.fingerprint  # one stream per chunk: other text than the small world's


def test_large_world_chunks_draw_from_their_own_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tiny_large(tmp_path, monkeypatch, 0, "w.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM seekers ORDER BY id"))]
    assert len(names) == 600
    assert names[:20] != names[250:270]  # chunks do not repeat each other's draws


def test_fingerprint_read_by_workers_is_the_same_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    summary = generate.generate_world(engine, size="small", seed=7)
    monkeypatch.setattr(fingerprint, "_ROWS_PER_PART", 500)  # many parts per table, some empty key ranges
    monkeypatch.setattr(fingerprint, "_WIDE_ROWS_PER_PART", 37)
    assert compute_fingerprint(engine, workers=2, batch=97) == summary.fingerprint
    assert summary.fingerprint.startswith("737396c7f2a6")
