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
from app.text.pii import mask_name
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


# --------------------------------------------------------------------------- the seeker picker and 취업 위험도 기준 in SQL


def _picker_expected(frame: pd.DataFrame, search: str) -> pd.DataFrame:
    """The picker's search on the whole frame (the path it replaces): a seeker number, else a piece of
    the masked name or of the desired occupation, or the mask of a full name typed."""
    term = search.strip().lstrip("#").strip()
    if not term:
        return frame
    if term.isdigit():
        return frame[frame["id"].astype(str) == term]
    names, occupations = frame["masked_name"].astype(str), frame["desired_occupation"].astype(str)
    mask = names.str.contains(term, regex=False) | occupations.str.contains(term, regex=False)
    if 2 <= len(term) <= 5 and all("가" <= ch <= "힣" for ch in term):
        mask |= names == mask_name(term)
    return frame[mask]


def _overrides(live: pd.DataFrame, bands: emp.RiskBands) -> dict[int, str]:
    """Overrides that move seekers into and out of 고위험 (and one that keeps a band's count)."""
    above = live[live["probability"] >= bands.high_below]
    return {int(live["id"].iloc[0]): "저위험", int(above["id"].iloc[-1]): "고위험", int(live["id"].iloc[5]): "중위험",
            int(above["id"].iloc[0]): "고위험"}


def _stored_with_overrides(engine: Engine, model: EmploymentModel
                           ) -> tuple[emp.RiskBands, pd.DataFrame, dict[int, str], pd.DataFrame]:
    """(bands, the live caseload, overrides, the live caseload banded with them); the scores stored."""
    bands = emp.RiskBands(high_below=0.3, low_from=0.5)
    live = emp.caseload_scores(engine, model)
    overrides = _overrides(live, bands)
    emp.store_caseload_scores(engine, model)
    return bands, live, overrides, emp.apply_bands(live, bands, overrides)


def assert_picker_equals_the_frame_path(engine: Engine, model: EmploymentModel) -> None:
    """Every search lists the whole frame's matches, highest risk first, with their bands and count."""
    bands, live, overrides, frame = _stored_with_overrides(engine, model)
    with engine.connect() as conn:
        real_name = str(conn.execute(text("SELECT name FROM seekers WHERE id = :i"),
                                     {"i": int(live["id"].iloc[4])}).scalar_one())
    masked = str(live["masked_name"].iloc[4])
    searches = ["", "  ", f"#{int(live['id'].iloc[9])}", str(int(live["id"].iloc[-1])), masked[:1], masked, real_name,
                str(live["desired_occupation"].iloc[len(live) // 2])[:2], "없는직종", "100%_", "99999999"]
    assert len(_picker_expected(frame, masked[:1])) > 7  # a surname matches more than one short list
    for search in searches:
        expected = _picker_expected(frame, search)
        for limit, cap in ((emp.PICKER_LIMIT, emp.PICKER_COUNT_CAP), (7, 10), (7, 7)):
            found = emp.find_caseload_seekers(engine, search, bands, overrides, limit=limit, count_cap=cap)
            if search.strip():  # a search's matches are counted up to the cap; the whole caseload exactly
                assert (found.total, found.more) == (min(len(expected), cap), len(expected) > cap), search
            else:
                assert (found.total, found.more) == (len(expected), False)
            assert found.rows["id"].tolist() == expected["id"].astype(int).head(limit).tolist(), search
            assert found.rows["final_band"].tolist() == expected["final_band"].head(limit).tolist(), search
            assert_same_rows(found.rows.loc[:, list(STORED_COLUMNS)], expected.head(limit))
    assert live["id"].iloc[4] in set(emp.find_caseload_seekers(engine, real_name, bands, overrides, limit=500).rows["id"])
    # a requested seeker: one row when on the caseload (with the override's band), none otherwise
    one = emp.caseload_seeker(engine, int(live["id"].iloc[0]), bands, overrides)
    assert one["id"].tolist() == [int(live["id"].iloc[0])] and one["final_band"].tolist() == ["저위험"]
    assert emp.caseload_seeker(engine, 99_999_999, bands, overrides).empty


def assert_policy_figures_equal_the_frame_path(engine: Engine, model: EmploymentModel) -> None:
    """취업 위험도 기준's band shares, trade-offs and group tables from SQL equal those of the whole frame."""
    bands, live, overrides, frame = _stored_with_overrides(engine, model)
    thresholds = np.round(np.arange(0.10, 0.51, 0.05), 2).tolist()
    for preview in (bands, emp.RiskBands(high_below=0.17, low_from=0.44), emp.RiskBands(high_below=0.05, low_from=0.9)):
        counts = emp.caseload_probability_counts(
            engine, [preview.high_below, preview.low_from, *emp.table_cutoffs(thresholds, preview.high_below)])
        assert counts.total == len(frame)
        pd.testing.assert_frame_equal(emp.band_shares(counts, preview), emp.band_shares(frame, preview))
        # repr: every field to the last digit, NaN (no one flagged at 5%) equal to NaN
        assert repr(emp.cutoff_tradeoff(model, counts, preview.high_below)) == repr(
            emp.cutoff_tradeoff(model, frame, preview.high_below))
        pd.testing.assert_frame_equal(
            emp.cutoff_table(model, counts, thresholds, chosen=preview.high_below, min_group_size=10),
            emp.cutoff_table(model, frame, thresholds, chosen=preview.high_below, min_group_size=10))
    stored = emp.stored_caseload_aggregates(engine, bands, overrides)
    for by in ("region", "occupation"):
        expected = emp.caseload_aggregates(frame, by)
        assert stored[by]["group"].tolist() == expected["group"].tolist(), by
        assert stored[by]["n"].tolist() == expected["n"].astype(int).tolist(), by
        for column in ("mean_probability", "high_risk_share", "mean_days"):
            np.testing.assert_allclose(stored[by][column].to_numpy(float), expected[column].to_numpy(float),
                                       rtol=0, atol=1e-12, err_msg=f"{by} {column}")
    # the overrides moved seekers in and out of 고위험: the groups' shares count the final band
    assert (stored["region"]["high_risk_share"] * stored["region"]["n"]).round().sum() == int(
        (frame["final_band"] == "고위험").sum())
    with pytest.raises(KeyError):
        emp.cutoff_tradeoff(model, emp.caseload_probability_counts(engine, [0.2]), 0.25)  # counts made without it


def test_the_picker_and_the_policy_figures_equal_the_whole_frame_path(store: Engine, model: EmploymentModel) -> None:
    assert_picker_equals_the_frame_path(store, model)
    assert_policy_figures_equal_the_frame_path(store, model)


def test_an_empty_caseload_gives_empty_figures(store: Engine, model: EmploymentModel) -> None:
    emp.store_caseload_scores(store, model)
    with store.begin() as conn:
        conn.execute(text("DELETE FROM seeker_scores"))
    bands = emp.RiskBands()
    found = emp.find_caseload_seekers(store, "", bands, {})
    assert found.total == 0 and found.rows.empty
    counts = emp.caseload_probability_counts(store, [bands.high_below, bands.low_from])
    assert counts.total == 0 and emp.band_shares(counts, bands)["n"].tolist() == [0, 0, 0]
    assert all(table.empty for table in emp.stored_caseload_aggregates(store, bands, {1: "고위험"}).values())


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_picker_and_policy_figures_equal_the_whole_frame_path(model: EmploymentModel) -> None:
    from app.world.generate import generate_world

    engine = make_engine(PG_URL)
    generate_world(engine, size="small", seed=7)
    try:
        assert_picker_equals_the_frame_path(engine, model)
        assert_policy_figures_equal_the_frame_path(engine, model)
    finally:
        engine.dispose()
