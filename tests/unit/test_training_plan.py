"""상담 계획, 과정 문의 and the policy view of recommendations (app.services.training) on a private
copy of the small world: add/remove persisted and audit-logged in the same transaction, refusals
(double add, removing what is not in the plan, roles), masking of free text before storage, the
policy summary's numbers on a hand-made set of rows, and the tables on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, text

from app.auth import User
from app.db.engine import make_engine
from app.db.fingerprint import compute_fingerprint
from app.db.orm import ACTIVE_PLAN_INDEX, TRAINING_PLAN_TABLES, create_schema
from app.db.repositories import training_plans as repo
from app.db.repositories import unit_of_work
from app.errors import AccessDenied, InvalidInput, NotFound
from app.services import training
from app.services.audit import action_label
from app.text.korean import today_kst
from app.world.generate import generate_world
from tests.conftest import copy_world_database

COUNSELLOR = User("counsellor-t", "상담사", "counsellor")
OTHER_COUNSELLOR = User("counsellor-u", "상담사2", "counsellor")
POLICY = User("policy-t", "정책", "policy")
EMPLOYER = User("employer-t", "기업", "employer", employer_id=1)
PG_URL = os.environ.get("GOYONG_TEST_PG_URL")


def _seeker_user(seeker_id: int) -> User:
    return User(f"seeker-{seeker_id}", "구직자", "seeker", seeker_id=seeker_id)


@dataclasses.dataclass(frozen=True)
class World:
    engine: Engine
    seekers: tuple[int, ...]
    courses: tuple[int, ...]


@pytest.fixture
def world(world_url: str, tmp_path: Path) -> Iterator[World]:
    engine = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'w.db')}")
    with engine.connect() as conn:
        seekers = tuple(int(i) for i in conn.execute(text("select id from seekers order by id limit 6")).scalars())
        courses = tuple(int(i) for i in conn.execute(text("select id from courses order by id limit 4")).scalars())
    yield World(engine, seekers, courses)
    engine.dispose()


def _rows(engine: Engine, sql: str, **params: Any) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _audit(engine: Engine, action: str) -> list[tuple[str, str, dict[str, Any]]]:
    rows = _rows(engine, "select username, role, output from audit_log where action = :a order by id", a=action)
    return [(u, r, o if isinstance(o, dict) else json.loads(o)) for u, r, o in rows]


# --------------------------------------------------------------------------- the plan


def test_add_and_remove_are_persisted_and_audit_logged(world: World) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    plan_id = training.add_to_plan(engine, COUNSELLOR, seeker, course, note="국민내일배움카드 확인 후 신청")

    plan = training.load_plan(engine, seeker)
    assert list(plan.columns) == list(training.PLAN_TABLE_COLUMNS)
    assert plan["과정 번호"].tolist() == [course]
    title, hours = _rows(engine, "select title, hours from courses where id = :c", c=course)[0]
    assert plan["훈련과정"].iloc[0] == title
    assert plan["훈련시간"].iloc[0] == f"{hours:,}시간"
    assert plan["추가한 사람"].iloc[0] == COUNSELLOR.username
    assert plan["메모"].iloc[0] == "국민내일배움카드 확인 후 신청"
    assert training.plan_counts(engine, [seeker, world.seekers[1]]) == {seeker: 1, world.seekers[1]: 0}
    assert _audit(engine, training.PLAN_ADD_ACTION) == [
        ("counsellor-t", "counsellor", {"seeker_id": seeker, "course_id": course, "record_id": plan_id}),
    ]
    assert action_label(training.PLAN_ADD_ACTION) == "직업훈련 — 상담 계획에 과정 추가"

    training.remove_from_plan(engine, OTHER_COUNSELLOR, seeker, course)
    assert training.load_plan(engine, seeker).empty
    assert training.plan_counts(engine, [seeker]) == {seeker: 0}
    (row,) = _rows(engine, "select removed_by, removed_at is not null from training_plans where id = :i", i=plan_id)
    assert row == ("counsellor-u", 1)  # the row stays as history
    assert _audit(engine, training.PLAN_REMOVE_ACTION) == [
        ("counsellor-u", "counsellor", {"seeker_id": seeker, "course_id": course, "record_id": plan_id}),
    ]

    # added again after its removal: a new row, the old one kept
    again = training.add_to_plan(engine, COUNSELLOR, seeker, course)
    assert again != plan_id
    assert _rows(engine, "select count(*), sum(removed_at is null) from training_plans where seeker_id = :s",
                 s=seeker) == [(2, 1)]
    assert len(_audit(engine, training.PLAN_ADD_ACTION)) == 2


def test_a_course_already_in_the_plan_is_refused_in_korean(world: World) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    training.add_to_plan(engine, COUNSELLOR, seeker, course)
    with pytest.raises(training.TrainingPlanError, match="이미 이 구직자의 상담 계획에 있습니다") as caught:
        training.add_to_plan(engine, OTHER_COUNSELLOR, seeker, course)
    assert isinstance(caught.value, InvalidInput)
    assert _rows(engine, "select count(*) from training_plans") == [(1,)]
    assert len(_audit(engine, training.PLAN_ADD_ACTION)) == 1
    # another seeker may have the same course
    training.add_to_plan(engine, COUNSELLOR, world.seekers[1], course)
    assert training.plan_counts(engine, world.seekers[:2]) == {world.seekers[0]: 1, world.seekers[1]: 1}
    # a whole caseload asked at once (more ids than are bound one by one): the same counts
    many = [world.seekers[0], *range(10_000_000, 10_000_000 + repo._FEW_SEEKERS), world.seekers[1]]
    counts = training.plan_counts(engine, many)
    assert len(counts) == len(many) and sum(counts.values()) == 2
    assert counts[world.seekers[0]] == counts[world.seekers[1]] == 1


def test_a_second_add_stored_by_another_session_after_the_check_is_refused(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    checked = repo.active_plan_id
    raced: list[int] = []

    def check_then_lose_the_race(uow: Any, **kwargs: Any) -> int | None:
        found = checked(uow, **kwargs)
        if not raced:  # another counsellor adds the same course right after this check
            with unit_of_work(engine) as other:
                raced.append(repo.add_plan_row(other, seeker_id=seeker, course_id=course, added_by="other", note=""))
        return found

    monkeypatch.setattr(repo, "active_plan_id", check_then_lose_the_race)
    with pytest.raises(training.TrainingPlanError, match="이미"):
        training.add_to_plan(engine, COUNSELLOR, seeker, course)
    assert _rows(engine, "select id from training_plans") == [(raced[0],)]
    assert _audit(engine, training.PLAN_ADD_ACTION) == []  # the refused add left no record either


def test_removing_a_course_not_in_the_plan_is_refused(world: World) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    with pytest.raises(training.TrainingPlanError, match="상담 계획에 없어 뺄 수 없습니다"):
        training.remove_from_plan(engine, COUNSELLOR, seeker, course)
    training.add_to_plan(engine, COUNSELLOR, seeker, course)
    training.remove_from_plan(engine, COUNSELLOR, seeker, course)
    with pytest.raises(training.TrainingPlanError):  # removed already
        training.remove_from_plan(engine, COUNSELLOR, seeker, course)
    assert len(_audit(engine, training.PLAN_REMOVE_ACTION)) == 1


def test_unknown_seeker_or_course_is_not_found(world: World) -> None:
    with pytest.raises(NotFound, match="구직자를 찾을 수 없습니다"):
        training.add_to_plan(world.engine, COUNSELLOR, 99_999_999, world.courses[0])
    with pytest.raises(NotFound, match="훈련과정을 찾을 수 없습니다"):
        training.add_to_plan(world.engine, COUNSELLOR, world.seekers[0], 99_999_999)
    assert _rows(world.engine, "select count(*) from training_plans") == [(0,)]


@pytest.mark.parametrize("user", [EMPLOYER, POLICY, _seeker_user(1)], ids=["employer", "policy", "seeker"])
def test_only_counsellors_change_a_plan(world: World, user: User) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    with pytest.raises(AccessDenied, match="상담") as caught:
        training.add_to_plan(engine, dataclasses.replace(user), seeker, course)
    assert isinstance(caught.value, training.TrainingAccessDenied)
    training.add_to_plan(engine, COUNSELLOR, seeker, course)
    with pytest.raises(AccessDenied):
        training.remove_from_plan(engine, user, seeker, course)
    assert training.plan_counts(engine, [seeker]) == {seeker: 1}


def test_the_note_is_masked_and_bounded(world: World) -> None:
    engine, seeker, course = world.engine, world.seekers[0], world.courses[0]
    (name,) = _rows(engine, "select name from seekers where id = :s", s=seeker)[0]
    training.add_to_plan(engine, COUNSELLOR, seeker, course, note=f"{name}님 010-2345-6789로 연락")
    (stored,) = _rows(engine, "select note from training_plans")[0]
    assert "010-2345-6789" not in stored and name not in stored
    assert "연락" in stored
    with pytest.raises(training.TrainingPlanError, match="300자 이하"):
        training.add_to_plan(engine, COUNSELLOR, seeker, world.courses[1], note="가" * 301)


# --------------------------------------------------------------------------- questions


def test_a_seeker_asks_only_about_their_own_courses_and_the_text_is_masked(world: World) -> None:
    engine = world.engine
    me, other = world.seekers[0], world.seekers[1]
    planned, recommended, foreign = world.courses[:3]
    asker = _seeker_user(me)
    with pytest.raises(AccessDenied, match="추천받았거나 상담 계획에 있는"):
        training.ask_about_course(engine, asker, planned, "이 과정은 언제 시작하나요?")
    training.add_to_plan(engine, COUNSELLOR, me, planned)
    training.record_shown(engine, me, pd.DataFrame({"course_id": [str(recommended)], "rank": [1], "score": [0.04]}),
                          "tr-test", "seeker")
    training.record_shown(engine, other, pd.DataFrame({"course_id": [foreign], "rank": [1], "score": [0.02]}),
                          "tr-test", "counsellor")
    with pytest.raises(AccessDenied):  # recommended to another seeker, not to me
        training.ask_about_course(engine, asker, foreign, "저도 들을 수 있나요?")

    (name,) = _rows(engine, "select name from seekers where id = :s", s=me)[0]
    first = training.ask_about_course(engine, asker, planned, f"저는 {name}입니다. 010-1234-5678로 연락 주세요. 주말반 있나요?")
    second = training.ask_about_course(engine, asker, recommended, "수강료 자부담은 얼마인가요?")
    stored = dict(_rows(engine, "select id, message from training_questions"))
    assert "010-1234-5678" not in stored[first] and name not in stored[first]
    assert "주말반 있나요?" in stored[first]
    assert _rows(engine, "select distinct seeker_id from training_questions") == [(me,)]
    assert [o["record_id"] for _, _, o in _audit(engine, training.QUESTION_ACTION)] == [first, second]

    mine = training.load_questions(engine, seeker_id=me)
    assert list(mine.columns) == list(training.QUESTION_TABLE_COLUMNS)
    assert mine["문의 번호"].tolist() == [second, first]  # newest first
    assert set(mine["상태"]) == {"답변 대기"}
    assert training.load_questions(engine, seeker_id=other).empty


@pytest.mark.parametrize("user", [COUNSELLOR, POLICY, EMPLOYER], ids=["counsellor", "policy", "employer"])
def test_only_seekers_ask(world: World, user: User) -> None:
    training.add_to_plan(world.engine, COUNSELLOR, world.seekers[0], world.courses[0])
    with pytest.raises(AccessDenied, match="구직자 본인만"):
        training.ask_about_course(world.engine, user, world.courses[0], "문의")


def test_a_seeker_account_without_a_seeker_and_bad_messages_are_refused(world: World) -> None:
    with pytest.raises(NotFound, match="연결된 구직자 정보가 없습니다"):
        training.ask_about_course(world.engine, User("s0", "구직자", "seeker"), world.courses[0], "문의")
    asker = _seeker_user(world.seekers[0])
    with pytest.raises(training.TrainingPlanError, match="적어 주세요"):
        training.ask_about_course(world.engine, asker, world.courses[0], "   ")
    with pytest.raises(training.TrainingPlanError, match="1,000자 이하"):
        training.ask_about_course(world.engine, asker, world.courses[0], "가" * 1001)
    with pytest.raises(training.TrainingPlanError, match="제어 문자"):
        training.ask_about_course(world.engine, asker, world.courses[0], "문의\x00")


def test_a_counsellor_answers_once_masked_and_logged(world: World) -> None:
    engine, me, course = world.engine, world.seekers[0], world.courses[0]
    training.add_to_plan(engine, COUNSELLOR, me, course)
    question = training.ask_about_course(engine, _seeker_user(me), course, "주말반 있나요?")
    assert training.load_questions(engine, open_only=True)["문의 번호"].tolist() == [question]
    for user in (POLICY, EMPLOYER, _seeker_user(me)):
        with pytest.raises(AccessDenied):
            training.answer_question(engine, user, question, "네")
    training.answer_question(engine, COUNSELLOR, question, "있습니다. 제 휴대폰 010-2222-3333으로 연락 주세요")
    (answer, by) = _rows(engine, "select answer, answered_by from training_questions")[0]
    assert "010-2222-3333" not in answer and by == "counsellor-t"
    with pytest.raises(training.TrainingPlanError, match="이미 답변한 문의"):
        training.answer_question(engine, OTHER_COUNSELLOR, question, "다시")
    with pytest.raises(NotFound):
        training.answer_question(engine, COUNSELLOR, 99_999, "네")
    assert training.load_questions(engine, open_only=True).empty
    shown = training.load_questions(engine, seeker_id=me).iloc[0]
    assert (shown["상태"], shown["답변한 사람"]) == ("답변 완료", "counsellor-t")
    assert len(_audit(engine, training.ANSWER_ACTION)) == 1


# --------------------------------------------------------------------------- recommendations shown and the policy view


def test_record_shown_stores_a_page_drawn_again_once(world: World) -> None:
    rows = pd.DataFrame({"course_id": ["1", "2"], "rank": [1, 2], "score": [0.05, 0.01]})
    seeker = world.seekers[0]
    assert training.record_shown(world.engine, seeker, rows, "tr-1", "counsellor") == 2
    assert training.record_shown(world.engine, seeker, rows, "tr-1", "counsellor") == 0
    assert training.record_shown(world.engine, seeker, rows, "tr-1", "seeker") == 2  # another audience
    assert training.record_shown(world.engine, seeker, rows, "tr-2", "counsellor") == 2  # another model
    assert training.record_shown(world.engine, seeker, rows.iloc[:0], "tr-1", "counsellor") == 0
    assert _rows(world.engine, "select count(*) from training_recommendations") == [(6,)]
    with pytest.raises(training.TrainingPlanError, match="score"):
        training.record_shown(world.engine, seeker, rows.drop(columns=["score"]), "tr-1", "counsellor")
    with pytest.raises(training.TrainingPlanError, match="숫자"):
        training.record_shown(world.engine, seeker, rows.assign(course_id=["X1", "2"]), "tr-1", "counsellor")


@pytest.fixture
def policy_world(world_url: str, tmp_path: Path) -> Iterator[World]:
    """A copy without enrolments, with five seekers of known age, education and outcome."""
    path = copy_world_database(world_url, tmp_path / "p.db", empty=("enrolments",))
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        seekers = [int(i) for i in conn.execute(text("select id from seekers order by id limit 5")).scalars()]
        courses = [int(i) for i in conn.execute(text("select id from courses order by id limit 2")).scalars()]
        for seeker, age, education, employed in zip(
                seekers, (25, 35, 38, 52, 44), ("고졸", "대졸", "대졸", "석사", "고졸"), (1, 0, 1, 0, None), strict=True):
            conn.execute(text("update seekers set age = :a, education = :e where id = :s"),
                         {"a": age, "e": education, "s": seeker})
            if employed is None:
                conn.execute(text("delete from seeker_outcomes where seeker_id = :s"), {"s": seeker})
            else:
                conn.execute(text("update seeker_outcomes set employed_180d = :y where seeker_id = :s"),
                             {"y": employed, "s": seeker})
    yield World(engine, tuple(seekers), tuple(courses))
    engine.dispose()


def _enrol(engine: Engine, seeker: int, course: int, on: dt.date, completed: bool) -> None:
    with engine.begin() as conn:
        conn.execute(text("insert into enrolments (seeker_id, course_id, enrolled_on, completed) values (:s, :c, :d, :k)"),
                     {"s": seeker, "c": course, "d": on, "k": completed})


def test_policy_summary_counts_recommendations_audiences_uptake_and_outcomes(policy_world: World) -> None:
    engine = policy_world.engine
    s1, s2, s3, s4, s5 = policy_world.seekers
    c1, c2 = policy_world.courses

    def show(seeker: int, course: int, score: float, role: str = "counsellor") -> None:
        training.record_shown(engine, seeker, pd.DataFrame({"course_id": [course], "rank": [1], "score": [score]}),
                              "tr-test", role)

    show(s1, c1, 0.05)
    show(s2, c1, 0.03)
    show(s3, c1, 0.04)
    show(s1, c1, 0.06, role="seeker")  # the same seeker, shown on their own page too
    show(s4, c2, 0.02)
    tomorrow, long_ago = today_kst() + dt.timedelta(days=1), dt.date(2020, 1, 6)
    _enrol(engine, s1, c1, tomorrow, completed=True)  # after the recommendation
    _enrol(engine, s2, c1, tomorrow, completed=False)  # after
    _enrol(engine, s3, c1, long_ago, completed=True)  # before: not a result of it
    _enrol(engine, s5, c1, long_ago, completed=False)  # never recommended, outcome unknown

    summary = training.recommendation_summary(engine)
    assert list(summary.columns) == list(training.SUMMARY_COLUMNS)
    assert summary["course_id"].tolist() == [c1, c2]  # most recommended first
    first, second = summary.iloc[0], summary.iloc[1]
    assert (first["times_recommended"], first["seekers_recommended"]) == (4, 3)
    assert first["mean_score"] == pytest.approx(0.045)
    assert first["age_share:29세 이하"] == pytest.approx(1 / 3)
    assert first["age_share:30대"] == pytest.approx(2 / 3)
    assert first["age_share:50대"] == 0
    assert first["education_share:고졸"] == pytest.approx(1 / 3)
    assert first["education_share:대졸"] == pytest.approx(2 / 3)
    assert first["enrolled_after"] == 2
    assert first["uptake_rate"] == pytest.approx(2 / 3)
    assert first["completion_rate_after"] == pytest.approx(0.5)
    assert first["employment_rate_after"] == pytest.approx(0.5)
    assert first["enrolled_total"] == 4
    assert first["completion_rate_total"] == pytest.approx(0.5)
    assert first["employment_rate_total"] == pytest.approx(2 / 3)  # s5's outcome is not observed
    assert not first["never_taken"]

    assert (second["times_recommended"], second["seekers_recommended"], second["enrolled_after"]) == (1, 1, 0)
    assert second["age_share:50대"] == 1 and second["education_share:석사"] == 1
    assert second["uptake_rate"] == 0 and second["enrolled_total"] == 0
    assert math.isnan(second["completion_rate_after"]) and math.isnan(second["employment_rate_total"])
    assert second["never_taken"]

    assert training.recommended_never_taken(engine)["course_id"].tolist() == [c2]
    table = training.summary_table(summary)
    assert "course_id" not in table.columns
    assert table["추천만 되고 수강 없음"].tolist() == ["아니오", "예"]
    assert table["평균 기대 효과(%p)"].iloc[0] == pytest.approx(4.5)
    assert table["30대 비율"].iloc[0] == pytest.approx(2 / 3)


def test_policy_summary_without_recommendations_is_empty(world: World) -> None:
    summary = training.recommendation_summary(world.engine)
    assert summary.empty and list(summary.columns) == list(training.SUMMARY_COLUMNS)
    assert training.recommended_never_taken(world.engine).empty


# --------------------------------------------------------------------------- the tables


def _check_tables(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in TRAINING_PLAN_TABLES:
        assert inspector.has_table(table), table
    indexes = {ix["name"]: ix for ix in inspector.get_indexes("training_plans")}
    assert indexes[ACTIVE_PLAN_INDEX.name]["unique"]


def test_the_tables_exist_and_a_database_built_before_them_gets_them_on_first_use(
        world: World, world_url: str, tmp_path: Path) -> None:
    _check_tables(world.engine)
    before = compute_fingerprint(world.engine)
    training.add_to_plan(world.engine, COUNSELLOR, world.seekers[0], world.courses[0])
    assert compute_fingerprint(world.engine) == before  # user activity, not the world's content

    engine = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'old.db')}")
    try:
        with engine.begin() as conn:
            for table in TRAINING_PLAN_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
        assert training.plan_counts(engine, [1]) == {1: 0}
        _check_tables(engine)
    finally:
        engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)")
def test_the_tables_and_the_plan_rules_work_on_postgres() -> None:
    engine = make_engine(PG_URL)
    try:
        create_schema(engine)
        with engine.connect() as conn:
            seeker = conn.execute(text("select min(id) from seekers")).scalar()
        if seeker is None:  # an empty scratch database: the world of tests/unit/test_world_postgres.py
            generate_world(engine, size="small", seed=11)
        _check_tables(engine)
        with engine.connect() as conn:
            seeker = conn.execute(text("select min(id) from seekers")).scalar()
            course = conn.execute(text("select min(id) from courses")).scalar()
        with engine.begin() as conn:  # a run before this one may have left its rows
            conn.execute(text("delete from training_plans where seeker_id = :s and course_id = :c"),
                         {"s": seeker, "c": course})
        training.add_to_plan(engine, COUNSELLOR, seeker, course, note="010-9876-5432")
        with pytest.raises(training.TrainingPlanError, match="이미"):
            training.add_to_plan(engine, COUNSELLOR, seeker, course)
        assert training.plan_counts(engine, [seeker]) == {seeker: 1}
        assert "010-9876-5432" not in training.load_plan(engine, seeker)["메모"].iloc[0]
        training.remove_from_plan(engine, COUNSELLOR, seeker, course)
        assert training.plan_counts(engine, [seeker]) == {seeker: 0}
    finally:
        engine.dispose()
