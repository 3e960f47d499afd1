"""Interest-test sessions and answers (app/db/repositories/interest.py) on a copy of the small world."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect

from app.db.engine import make_engine
from app.db.repositories import interest, unit_of_work
from app.errors import InvalidInput, NotFound
from app.reference.interest import compute_bank_version
from app.reference.tables import load_reference
from tests.conftest import copy_world_database

T0 = dt.datetime(2026, 5, 20, 1, 0, 0)  # UTC
BANK = compute_bank_version(load_reference().interest_items)


@pytest.fixture
def engine(world_url: str, tmp_path: Path) -> Engine:
    path = copy_world_database(world_url, tmp_path / "interest.db")
    engine = make_engine(f"sqlite:///{path}")
    interest.ensure_tables(engine)
    return engine


@pytest.fixture
def seekers(engine: Engine) -> list[int]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(text("SELECT id FROM seekers ORDER BY id LIMIT 3"))]


def _start(engine: Engine, seeker_id: int, *, at: dt.datetime = T0, mode: str = "self",
           by: str | None = None) -> int:
    with unit_of_work(engine) as uow:
        return interest.start_session(uow, seeker_id=seeker_id, mode=mode, bank_version=BANK,
                                      administered_by=by, now=at)


def _answer(engine: Engine, session_id: int, item_id: int, position: int, response: int = 3,
            seconds: float | None = 10.0, at: dt.datetime = T0) -> None:
    with unit_of_work(engine) as uow:
        interest.record_answer(uow, session_id, item_id=item_id, position=position, response=response,
                               seconds_taken=seconds, now=at)


def test_world_bank_is_the_reference_bank_without_parameters(engine: Engine) -> None:
    items = interest.load_items(engine)
    bank = load_reference().interest_items
    assert list(items.columns) == list(interest.ITEM_COLUMNS)
    assert items["item_code"].tolist() == bank["item_code"].tolist()
    assert items["text"].tolist() == bank["text"].tolist()
    assert items["id"].tolist() == list(range(1, len(bank) + 1))
    columns = {c["name"] for c in inspect(engine).get_columns("test_items")}
    assert not columns & {"discrimination", "threshold_1"}
    truth = {c["name"] for c in inspect(engine).get_columns("truth_test_items")}
    assert {"discrimination", "threshold_1", "threshold_4"} <= truth


def test_round_trip_of_a_finished_session(engine: Engine, seekers: list[int]) -> None:
    sid = _start(engine, seekers[0], mode="counsellor", by="counsellor1")
    _answer(engine, sid, item_id=5, position=1, response=4, seconds=12.5, at=T0 + dt.timedelta(seconds=13))
    _answer(engine, sid, item_id=130, position=2, response=2, seconds=None, at=T0 + dt.timedelta(seconds=40))
    with unit_of_work(engine) as uow:
        interest.finish_session(uow, sid, result_json='{"holland": "RI"}', stop_reason="precision",
                                now=T0 + dt.timedelta(minutes=1))
    stored = interest.load_session(engine, sid)
    assert stored is not None
    assert (stored.seeker_id, stored.mode, stored.administered_by) == (seekers[0], "counsellor", "counsellor1")
    assert (stored.status, stored.stop_reason, stored.result_json) == ("finished", "precision", '{"holland": "RI"}')
    assert stored.bank_version == BANK and stored.started_at == T0
    assert stored.finished_at == T0 + dt.timedelta(minutes=1)
    assert stored.elapsed_seconds == pytest.approx(12.5)
    assert [(a.item_id, a.position, a.response, a.seconds_taken) for a in stored.answers] == [
        (5, 1, 4, 12.5), (130, 2, 2, None)]
    assert stored.answers[1].answered_at == T0 + dt.timedelta(seconds=40)
    assert interest.load_open_session(engine, seekers[0]) is None
    with pytest.raises(InvalidInput, match="이미 끝났거나"):
        _answer(engine, sid, item_id=6, position=3)


def test_a_second_answer_to_the_same_item_or_position_is_refused(engine: Engine, seekers: list[int]) -> None:
    sid = _start(engine, seekers[0])
    _answer(engine, sid, item_id=1, position=1, response=5)
    with pytest.raises(InvalidInput, match="이미 응답"):
        _answer(engine, sid, item_id=1, position=2)
    with pytest.raises(InvalidInput, match="이 순서의 응답"):
        _answer(engine, sid, item_id=2, position=1)
    stored = interest.load_session(engine, sid)
    assert stored is not None and [(a.item_id, a.response) for a in stored.answers] == [(1, 5)]
    assert stored.elapsed_seconds == pytest.approx(10.0)  # the refused answers added no time


@pytest.mark.parametrize(("kwargs", "kind", "words"), [
    ({"response": 6}, InvalidInput, "1부터 5"),
    ({"position": 0}, InvalidInput, "1 이상"),
    ({"item_id": 99_999}, NotFound, "문항"),
])
def test_bad_answers_are_refused_in_korean(engine: Engine, seekers: list[int], kwargs: dict, kind: type,
                                           words: str) -> None:
    sid = _start(engine, seekers[0])
    args = {"item_id": 1, "position": 1, "response": 3} | kwargs
    with pytest.raises(kind, match=words):
        _answer(engine, sid, **args)
    with pytest.raises(NotFound, match="검사 기록"):
        _answer(engine, 99_999, item_id=1, position=1)


def test_sessions_need_a_known_seeker_and_mode(engine: Engine, seekers: list[int]) -> None:
    with pytest.raises(InvalidInput, match="검사 방식"):
        _start(engine, seekers[0], mode="group")
    with pytest.raises(InvalidInput, match="상담사"):
        _start(engine, seekers[0], mode="counsellor")
    with pytest.raises(NotFound, match="구직자"):
        _start(engine, 10_000_000)


def test_resume_returns_the_open_session_and_its_answers_in_order(engine: Engine, seekers: list[int]) -> None:
    old = _start(engine, seekers[1], at=T0)
    with unit_of_work(engine) as uow:
        interest.abandon_session(uow, old, stop_reason="restarted", now=T0 + dt.timedelta(hours=1))
    sid = _start(engine, seekers[1], at=T0 + dt.timedelta(hours=2))
    for position, item_id in enumerate((40, 3, 131, 77), start=1):
        _answer(engine, sid, item_id=item_id, position=position, response=1 + position % 5)
    resumed = interest.load_open_session(engine, seekers[1])
    assert resumed is not None and resumed.id == sid and resumed.status == "in_progress"
    assert resumed.answered_item_ids == (40, 3, 131, 77)
    assert [a.position for a in resumed.answers] == [1, 2, 3, 4]
    assert resumed.elapsed_seconds == pytest.approx(40.0)
    assert interest.load_open_session(engine, seekers[2]) is None
    abandoned = interest.load_session(engine, old)
    assert abandoned is not None and (abandoned.status, abandoned.stop_reason) == ("abandoned", "restarted")
    assert interest.load_session(engine, 99_999) is None


def test_finished_sessions_over_time_exposure_and_length(engine: Engine, seekers: list[int]) -> None:
    a, b = seekers[0], seekers[1]
    plans = [  # (seeker, start, items asked, seconds per answer, finish?)
        (a, T0, (1, 2, 3), 10.0, True),
        (a, T0 + dt.timedelta(days=30), (1, 2, 4, 5), 5.0, True),
        (b, T0, (1, 6), 20.0, False),  # still in progress
    ]
    ids = []
    for seeker, start, item_ids, seconds, finish in plans:
        sid = _start(engine, seeker, at=start)
        ids.append(sid)
        for position, item_id in enumerate(item_ids, start=1):
            _answer(engine, sid, item_id=item_id, position=position, seconds=seconds, at=start)
        if finish:
            with unit_of_work(engine) as uow:
                interest.finish_session(uow, sid, result_json="{}", stop_reason="max_items",
                                        now=start + dt.timedelta(minutes=5))

    history = interest.load_finished_sessions(engine, a)
    assert history["id"].tolist() == ids[:2]
    assert history["n_items"].tolist() == [3, 4]
    assert history["elapsed_seconds"].tolist() == pytest.approx([30.0, 20.0])
    assert interest.load_finished_sessions(engine, b).empty

    exposure = interest.load_item_exposure(engine).set_index("item_code")
    n_items = len(interest.load_items(engine))
    assert len(exposure) == n_items
    assert exposure.loc["R01", ["times_asked", "finished_sessions_asked"]].tolist() == [3, 2]
    assert exposure.loc["R01", "exposure_rate"] == pytest.approx(1.0)
    assert exposure.loc["R03", "exposure_rate"] == pytest.approx(0.5)
    assert exposure.loc["R06", ["times_asked", "finished_sessions_asked"]].tolist() == [1, 0]
    assert exposure.loc["R06", "exposure_rate"] == 0.0 and not exposure.loc["R06", "never_used"]
    assert int(exposure["never_used"].sum()) == n_items - 6
    assert bool(exposure.loc["W01", "never_used"])
    assert interest.load_item_exposure(engine, bank_version="bank-other")["times_asked"].sum() == 0

    stats = interest.load_length_stats(engine)
    assert (stats.finished, stats.in_progress, stats.abandoned) == (2, 1, 0)
    assert stats.mean_items == pytest.approx(3.5)
    assert stats.mean_seconds == pytest.approx(25.0)
    empty = interest.load_length_stats(engine, bank_version="bank-other")
    assert (empty.finished, empty.mean_items, empty.mean_seconds) == (0, None, None)


def test_world_responses_cover_every_item_and_truth_stays_in_truth_tables(engine: Engine) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        responses = pd.read_sql(text("SELECT seeker_id, item_id, response FROM test_responses"), conn)
        preferences = pd.read_sql(text("SELECT seeker_id, item_id, preference FROM truth_environment_preferences"),
                                  conn)
        scales = pd.read_sql(text("SELECT id AS item_id, scale FROM test_items"), conn)
    n_items = len(scales)
    per_seeker = responses.groupby("seeker_id")["item_id"].nunique()
    assert (per_seeker == n_items).all() and len(per_seeker) == 120  # small world: 120 respondents
    assert responses["response"].between(1, 5).all()
    env_items = set(scales.loc[scales["scale"] == "W", "item_id"])
    assert set(preferences["item_id"]) == env_items
    assert set(preferences["seeker_id"]) == set(per_seeker.index)
    env = responses[responses["item_id"].isin(env_items)].merge(preferences, on=["seeker_id", "item_id"])
    assert env["response"].corr(env["preference"]) > 0.4  # answers follow the true preference
