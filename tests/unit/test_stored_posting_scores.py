"""The postings' stored hiring scores (issue 20 §3): equal to the live scores, kept current by the stamp
of the postings (rescoring only postings added or revised), on SQLite and on PostgreSQL."""

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
from sqlalchemy.orm import Session

from app.db.engine import make_engine
from app.db.orm import Posting, PostingVersion
from app.db.repositories import postings as posting_repo
from app.ml.hiring import HiringModel, load_hiring_model
from app.services import hiring
from app.services.hiring.policy import SCORED_COLUMNS, score_postings_frame
from tests.conftest import copy_world_database

PG_URL = os.environ.get("GOYONG_TEST_PG_URL")


@pytest.fixture
def store(hiring_built: tuple[str, Path], tmp_path: Path) -> Iterator[Engine]:
    """A copy of the session's built world without stored posting scores (the build stored some)."""
    engine = make_engine(f"sqlite:///{copy_world_database(hiring_built[0], tmp_path / 'store.db')}")
    with engine.begin() as conn:
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        if "posting_scores" in tables:
            conn.execute(text("DELETE FROM posting_scores"))
        if "aggregate_snapshots" in tables:
            conn.execute(text("DELETE FROM aggregate_snapshots WHERE name IN ('posting_scores', 'posting_scores:summary')"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def model(hiring_built: tuple[str, Path]) -> HiringModel:
    return load_hiring_model(hiring_built[1])


def live_scores(engine: Engine, model: HiringModel) -> pd.DataFrame:
    """Every posting scored from its rows now (what the page showed before the scores were stored)."""
    return score_postings_frame(posting_repo.load_scoring_rows(engine), model)


def assert_same_rows(stored: pd.DataFrame, live: pd.DataFrame) -> None:
    """The stored rows are the live scores, posting for posting and in the same order."""
    assert list(stored.columns) == list(SCORED_COLUMNS)
    assert stored["id"].astype(int).tolist() == live["id"].astype(int).tolist()
    for column in ("probability", "days", "weekly_hours"):
        np.testing.assert_allclose(stored[column].to_numpy(float), live[column].to_numpy(float), rtol=0, atol=1e-12,
                                   err_msg=column)
    for column in ("employer_id", "employer", "title", "keco_code", "region_code", "wage_monthly", "employment_type",
                   "open_date"):
        assert stored[column].astype(str).tolist() == live[column].astype(str).tolist(), column


def test_stored_scores_equal_the_live_scores(store: Engine, model: HiringModel) -> None:
    n = hiring.store_posting_scores(store, model)
    scored = hiring.score_all_postings(store, model)
    assert n == len(scored) > 50
    assert_same_rows(scored, live_scores(store, model))
    assert scored["keco"].ne("").all() and scored["region"].ne("").all()
    table = hiring.fill_probability_by(scored, "region", 0.4)
    assert int(table["n_postings"].sum()) == len(scored)
    assert len(hiring.at_risk_postings(scored, 0.4)) == int((scored["probability"] < 0.4).sum())


def test_current_scores_are_not_recomputed(store: Engine, model: HiringModel) -> None:
    hiring.store_posting_scores(store, model)
    assert hiring.store_posting_scores(store, model) == 0
    with store.connect() as conn:
        stamps = conn.execute(text("SELECT DISTINCT model_version, stamp FROM posting_scores")).all()
    assert len(stamps) == 1 and stamps[0][0] == str(model.version) and len(stamps[0][1]) == 64


def _copy_posting(engine: Engine, posting_id: int) -> int:
    """A new posting (next id) with the content of ``posting_id``: what an import appends."""
    columns = ", ".join(c.name for c in Posting.__table__.columns if c.name != "id")
    with engine.begin() as conn:
        new_id = int(conn.execute(text("SELECT max(id) + 1 FROM postings")).scalar_one())
        conn.execute(text(f"INSERT INTO postings (id, {columns}) SELECT :new, {columns} FROM postings WHERE id = :old"),
                     {"new": new_id, "old": posting_id})
    return new_id


def _add_pending_version(engine: Engine, posting_id: int) -> int:
    """A version of ``posting_id`` waiting for review (the posting's row is unchanged until decided)."""
    with Session(engine) as session, session.begin():
        version = PostingVersion(posting_id=posting_id, version=99, at=dt.datetime(2026, 5, 1), username="tester",
                                 source_kind="scenario", conditions={}, title="t", sections={}, body="",
                                 decision="review", score=0.5, status="pending")
        session.add(version)
        session.flush()
        return int(version.id)


def test_added_and_revised_postings_are_rescored_alone(store: Engine, model: HiringModel) -> None:
    first = hiring.score_all_postings(store, model)
    new_id = _copy_posting(store, int(first["id"].iloc[-1]))
    assert hiring.store_posting_scores(store, model) == 1  # only the new posting
    assert new_id in set(hiring.score_all_postings(store, model)["id"])
    # a version waiting for review rescores its posting; its approval (the posting's row changes in
    # place, no id moves) rescores it again
    target = int(first["id"].iloc[3])
    version_id = _add_pending_version(store, target)
    assert hiring.store_posting_scores(store, model) == 1
    with Session(store) as session, session.begin():
        session.get(PostingVersion, version_id).status = "current"
        posting = session.get(Posting, target)
        posting.wage_monthly, posting.wage_amount = int(posting.wage_monthly * 0.4), int(posting.wage_amount * 0.4)
        posting.weekly_hours, posting.min_career_years = 60.0, 10
    assert hiring.store_posting_scores(store, model) == 1
    after = hiring.score_all_postings(store, model)
    assert float(after.set_index("id").loc[target, "probability"]) != float(first.set_index("id").loc[target, "probability"])
    assert_same_rows(after, live_scores(store, model))
    assert hiring.store_posting_scores(store, model) == 0


def test_another_model_rescores_every_posting(store: Engine, model: HiringModel) -> None:
    n = hiring.store_posting_scores(store, model)
    other = copy.copy(model)
    other.version = f"{model.version}-other"
    assert hiring.store_posting_scores(store, other) == n
    with store.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT model_version FROM posting_scores")).scalars().all() == [other.version]


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_stores_the_same_scores(model: HiringModel) -> None:
    from app.world.generate import generate_world

    engine = make_engine(PG_URL)
    generate_world(engine, size="small", seed=7)
    try:
        scored = hiring.score_all_postings(engine, model)
        assert len(scored) > 50
        assert_same_rows(scored, live_scores(engine, model))
        assert hiring.store_posting_scores(engine, model) == 0
        new_id = _copy_posting(engine, int(scored["id"].iloc[-1]))
        assert hiring.store_posting_scores(engine, model) == 1
        again = hiring.score_all_postings(engine, model)
        assert new_id in set(again["id"])
        assert_same_rows(again, live_scores(engine, model))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- 채용 위험 공고 현황 from the summary

THRESHOLDS = (0.1, 0.25, 0.4, 0.55, 0.7, 0.9)
"""Slider values (whole percents: bin edges of the summary's histograms)."""


def assert_summary_equals_the_pandas_path(engine: Engine, model: HiringModel) -> None:
    """What the page shows from the summary, the SQL page and the histograms equals what it showed
    from every row in pandas (:func:`hiring.score_all_postings` and the pandas functions)."""
    summary = hiring.posting_risk_summary(engine, model)
    scored = hiring.score_all_postings(engine, model)
    assert summary.n_postings == len(scored) > 50
    # the audit row's input hash and the tiles: the same floats as before
    assert summary.probability_sum == float(scored["probability"].sum())
    assert summary.mean_probability == float(scored["probability"].mean())
    assert summary.median_days == float(scored["days"].median())
    # a threshold between bin edges, and one equal to a stored probability (strictly below counts)
    off_edge = (0.4123, float(scored["probability"].median()), 0.0004)
    for threshold in (*THRESHOLDS, *off_edge):
        overview = hiring.risk_overview(engine, summary, threshold)
        expected = hiring.at_risk_postings(scored, threshold)
        assert overview.n_at_risk == len(expected), threshold
        for by in ("occupation", "region"):
            pd.testing.assert_frame_equal(overview.tables[by], hiring.fill_probability_by(scored, by, threshold),
                                          check_exact=True)
            assert overview.tables[by].attrs == hiring.fill_probability_by(scored, by, threshold).attrs
        page = hiring.at_risk_page(engine, threshold, limit=25)
        # (no posting at risk: an empty frame of the same columns, untyped)
        pd.testing.assert_frame_equal(page, expected.head(25), check_exact=True, check_dtype=len(expected) > 0)
    every = hiring.at_risk_page(engine, 0.9, limit=None)
    pd.testing.assert_frame_equal(every, hiring.at_risk_postings(scored, 0.9), check_exact=True)


def test_summary_equals_the_pandas_path(store: Engine, model: HiringModel) -> None:
    hiring.store_posting_scores(store, model)
    assert_summary_equals_the_pandas_path(store, model)


def test_summary_is_stored_with_the_scores_and_follows_them(store: Engine, model: HiringModel,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db.repositories import posting_scores as score_store
    from app.services.hiring import policy

    hiring.store_posting_scores(store, model)  # the build's call stores the summary too
    digest = score_store.stored_digest(store)
    assert digest is not None and score_store.has_summary(store, policy._summary_stamp(digest))
    first = hiring.posting_risk_summary(store, model)
    # current: read from its stored row, never from the rows
    monkeypatch.setattr(score_store, "load_score_values", lambda engine: pytest.fail("rows read"))
    again = hiring.posting_risk_summary(store, model)
    monkeypatch.undo()
    assert policy._summary_text(again) == policy._summary_text(first)
    for by in ("occupation", "region"):
        pd.testing.assert_frame_equal(again.groups[by], first.groups[by], check_exact=True)
        np.testing.assert_array_equal(again.group_bins[by].sum(axis=1), again.groups[by]["n_postings"])
    assert int(first.bins.sum()) == first.n_postings
    # a new posting moves the stamp: the summary is computed again and counts it
    scored = hiring.score_all_postings(store, model)
    _copy_posting(store, int(scored["id"].iloc[0]))
    assert hiring.posting_risk_summary(store, model).n_postings == first.n_postings + 1
    assert score_store.stored_digest(store) != digest
    assert score_store.has_summary(store, policy._summary_stamp(score_store.stored_digest(store)))
    assert_summary_equals_the_pandas_path(store, model)


def test_box_statistics_are_the_whiskers_of_each_group(store: Engine, model: HiringModel) -> None:
    summary = hiring.posting_risk_summary(store, model)
    scored = hiring.score_all_postings(store, model)
    for by, (column, _) in hiring.GROUPINGS.items():
        for row in summary.groups[by].itertuples(index=False):
            p = scored.loc[scored[column] == row.group, "probability"]
            reach = 1.5 * (row.p75 - row.p25)
            inside = p[(p >= row.p25 - reach) & (p <= row.p75 + reach)]
            assert (row.lower_fence, row.upper_fence) == (min(inside.min(), row.p25), max(inside.max(), row.p75))
            assert row.n_outliers == len(p) - len(inside)
            assert row.p25 <= row.median_probability <= row.p75


def test_summary_of_no_postings(store: Engine, model: HiringModel) -> None:
    from app.services.hiring import policy

    empty = policy.summarise_scores(pd.DataFrame(columns=["id", "keco_middle", "region", "probability", "days"]))
    assert empty.n_postings == 0 and empty.bins.sum() == 0
    assert all(len(t) == 0 for t in empty.groups.values())
    assert hiring.risk_overview(store, empty, 0.4).n_at_risk == 0
    with pytest.raises(ValueError, match="기준 확률"):
        hiring.risk_overview(store, empty, 1.0)
    with pytest.raises(ValueError, match="기준 확률"):
        hiring.at_risk_page(store, 0.0, limit=10)


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_postgres_summary_equals_the_pandas_path(model: HiringModel) -> None:
    from app.world.generate import generate_world

    engine = make_engine(PG_URL)
    generate_world(engine, size="small", seed=7)
    try:
        hiring.store_posting_scores(engine, model)
        assert_summary_equals_the_pandas_path(engine, model)
    finally:
        engine.dispose()
