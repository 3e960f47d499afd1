"""The open caseload's stored scores (issue 20 §3): equal to the live scores, kept current by the stamp
of the data (rescoring only the seekers whose rows were added), on SQLite and on PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.orm import Seeker, SeekerOutcome
from app.ml.employment import EmploymentModel, load_employment_model
from app.services import employment as emp
from app.services.employment.caseload import STORED_COLUMNS
from tests.conftest import copy_world_database

pytestmark = pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")
PG_URL = os.environ.get("GOYONG_TEST_PG_URL")
FLOATS = ("probability", "probability_low", "probability_high", "probability_now", "actionable_effect")


@pytest.fixture
def store(hiring_built: tuple[str, Path], tmp_path: Path) -> Iterator[Engine]:
    """A copy of the session's built world without stored scores (the page tests may have stored them)."""
    engine = make_engine(f"sqlite:///{copy_world_database(hiring_built[0], tmp_path / 'store.db')}")
    with engine.begin() as conn:
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        if "seeker_scores" in tables:
            conn.execute(text("DELETE FROM seeker_scores"))
        if "aggregate_snapshots" in tables:
            conn.execute(text("DELETE FROM aggregate_snapshots WHERE name = 'seeker_scores'"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def model(hiring_built: tuple[str, Path]) -> EmploymentModel:
    return load_employment_model(hiring_built[1])


def assert_same_rows(stored: pd.DataFrame, live: pd.DataFrame) -> None:
    """The stored rows are the live caseload's, column for column and in the same order."""
    assert list(stored.columns) == list(STORED_COLUMNS)
    live = live.loc[:, list(STORED_COLUMNS)].reset_index(drop=True)
    assert stored["id"].astype(int).tolist() == live["id"].astype(int).tolist()
    for column in STORED_COLUMNS:
        if column in FLOATS:
            np.testing.assert_allclose(stored[column].to_numpy(float), live[column].to_numpy(float), rtol=0, atol=1e-12,
                                       err_msg=column)
        else:
            assert stored[column].astype(str).tolist() == live[column].astype(str).tolist(), column


def test_stored_scores_equal_the_live_scores(store: Engine, model: EmploymentModel) -> None:
    assert emp.store_caseload_scores(store, model) > 50  # the small world has a real caseload
    stored = emp.stored_caseload_scores(store, model)
    assert_same_rows(stored, emp.caseload_scores(store, model))
    # the bands, overrides and filters work on them as on the live frame
    banded = emp.apply_bands(stored, emp.RiskBands(), {int(stored["id"].iloc[0]): "저위험"})
    assert banded["final_band"].iloc[0] == "저위험"
    assert len(emp.filter_caseload(banded, emp.CaseloadFilter(bands=("고위험",)))) == int(
        ((banded["band"] == "고위험") & (banded["override_band"] == "")).sum())
    assert emp.caseload_csv(banded)[:3] == b"\xef\xbb\xbf"


def test_current_scores_are_not_recomputed(store: Engine, model: EmploymentModel) -> None:
    emp.store_caseload_scores(store, model)
    assert emp.store_caseload_scores(store, model) == 0
    with store.connect() as conn:
        stamps = conn.execute(text("SELECT DISTINCT model_version, stamp FROM seeker_scores")).all()
    assert len(stamps) == 1 and stamps[0][0] == str(model.version) and len(stamps[0][1]) == 64


def _copy_seeker(engine: Engine, seeker_id: int) -> int:
    """A new seeker (next id) with the record of ``seeker_id``: what an import appends."""
    columns = ", ".join(c.name for c in Seeker.__table__.columns if c.name != "id")
    outcome = ", ".join(c.name for c in SeekerOutcome.__table__.columns if c.name != "seeker_id")
    with engine.begin() as conn:
        new_id = int(conn.execute(text("SELECT max(id) + 1 FROM seekers")).scalar_one())
        conn.execute(text(f"INSERT INTO seekers (id, {columns}) SELECT :new, {columns} FROM seekers WHERE id = :old"),
                     {"new": new_id, "old": seeker_id})
        conn.execute(text(f"INSERT INTO seeker_outcomes (seeker_id, {outcome}) SELECT :new, {outcome} "
                          "FROM seeker_outcomes WHERE seeker_id = :old"), {"new": new_id, "old": seeker_id})
    return new_id


def test_an_added_seeker_is_scored_alone(store: Engine, model: EmploymentModel) -> None:
    emp.store_caseload_scores(store, model)
    first = emp.stored_caseload_scores(store, model)
    new_id = _copy_seeker(store, int(first["id"].iloc[-1]))
    assert emp.store_caseload_scores(store, model) == 1  # only the new seeker
    stored = emp.stored_caseload_scores(store, model)
    assert new_id in set(stored["id"]) and len(stored) == len(first) + 1
    assert_same_rows(stored, emp.caseload_scores(store, model))


def test_a_service_added_rescores_its_seeker(store: Engine, model: EmploymentModel) -> None:
    emp.store_caseload_scores(store, model)
    stored = emp.stored_caseload_scores(store, model)
    as_of = emp.reference_date(store)
    live = emp.caseload_scores(store, model)
    seeker = int(live.loc[live["svc_matching"] == 0, "id"].iloc[0])
    before = float(stored.set_index("id").loc[seeker, "probability"])
    with store.begin() as conn:
        conn.execute(text("INSERT INTO seeker_services (id, seeker_id, service, started_on) "
                          "SELECT max(id) + 1, :s, 'matching', :d FROM seeker_services"),
                     {"s": seeker, "d": (as_of - dt.timedelta(days=1)).isoformat()})
    assert emp.store_caseload_scores(store, model) == 1
    again = emp.stored_caseload_scores(store, model)
    assert float(again.set_index("id").loc[seeker, "probability"]) != before  # 취업알선 changes the estimate
    assert_same_rows(again, emp.caseload_scores(store, model))


def test_another_model_or_reference_date_rescores_everyone(store: Engine, model: EmploymentModel,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    n = emp.store_caseload_scores(store, model)
    other = copy.copy(model)
    other.version = f"{model.version}-other"
    assert emp.store_caseload_scores(store, other) == n
    with store.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT model_version FROM seeker_scores")).scalars().all() == [other.version]

    from app.db.repositories import world as world_repo

    earlier = world_repo.load_reference_date(store) - dt.timedelta(days=10)
    monkeypatch.setattr(world_repo, "load_reference_date", lambda _engine: earlier)
    assert emp.store_caseload_scores(store, model) > 0
    assert_same_rows(emp.stored_caseload_scores(store, model), emp.caseload_scores(store, model))


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_stores_the_same_scores(model: EmploymentModel) -> None:
    from app.world.generate import generate_world

    engine = make_engine(PG_URL)
    generate_world(engine, size="small", seed=7)
    try:
        assert emp.store_caseload_scores(engine, model) > 50
        stored = emp.stored_caseload_scores(engine, model)
        assert_same_rows(stored, emp.caseload_scores(engine, model))
        assert emp.store_caseload_scores(engine, model) == 0
        new_id = _copy_seeker(engine, int(stored["id"].iloc[-1]))
        assert emp.store_caseload_scores(engine, model) == 1
        again = emp.stored_caseload_scores(engine, model)
        assert new_id in set(again["id"])
        assert_same_rows(again, emp.caseload_scores(engine, model))
        assert_pages_equal_the_frame_path(engine, model)
    finally:
        engine.dispose()


def _filters(live: pd.DataFrame) -> list[emp.CaseloadFilter]:
    region = str(live["desired_region_code"].iloc[0])
    word = str(live["desired_occupation"].iloc[len(live) // 2])[:2]
    return [
        emp.CaseloadFilter(),
        emp.CaseloadFilter(bands=("고위험",)),
        emp.CaseloadFilter(bands=("중위험", "저위험"), region_codes=(region,)),
        emp.CaseloadFilter(keco_prefix=str(live["desired_keco"].iloc[0])[:1], min_days=60),
        emp.CaseloadFilter(search=f"#{int(live['id'].iloc[3])}"),
        emp.CaseloadFilter(search=word),
    ]


def assert_pages_equal_the_frame_path(engine: Engine, model: EmploymentModel) -> None:
    """Every filter and order read with SQL gives the rows the whole-frame path gives, and the
    summary its figures — with a counsellor's overrides in force."""
    bands = emp.RiskBands(high_below=0.3, low_from=0.5)
    live = emp.caseload_scores(engine, model)
    overrides = {int(live["id"].iloc[0]): "저위험", int(live["id"].iloc[-1]): "고위험", int(live["id"].iloc[5]): "중위험"}
    frame = emp.apply_bands(live, bands, overrides)
    emp.store_caseload_scores(engine, model)
    summary = emp.caseload_summary(engine, bands, overrides)
    assert summary.n_seekers == len(frame)
    assert summary.band_counts == {b: int((frame["final_band"] == b).sum()) for b in emp.RISK_BANDS}
    assert summary.probability_sum == pytest.approx(float(frame["probability"].sum()), abs=1e-9)
    assert summary.region_codes == tuple(sorted(set(frame["desired_region_code"].astype(str))))
    for flt in _filters(live):
        for order in emp.CASELOAD_SORTS:
            expected = emp.sort_caseload(emp.filter_caseload(frame, flt), order)
            rows, total = emp.caseload_page(engine, flt, order, bands, overrides, limit=None)
            assert total == len(expected) and rows["id"].tolist() == expected["id"].astype(int).tolist(), (flt, order)
            assert rows["final_band"].tolist() == expected["final_band"].tolist()
            assert_same_rows(rows.loc[:, list(STORED_COLUMNS)], expected)
            first, total = emp.caseload_page(engine, flt, order, bands, overrides, limit=7)
            assert total == len(expected) and first["id"].tolist() == expected["id"].astype(int).head(7).tolist()
    with pytest.raises(ValueError, match="정렬 기준"):
        emp.caseload_page(engine, emp.CaseloadFilter(), "name", bands, overrides, limit=10)


def test_a_page_of_rows_equals_the_whole_frame_path(store: Engine, model: EmploymentModel) -> None:
    assert_pages_equal_the_frame_path(store, model)
