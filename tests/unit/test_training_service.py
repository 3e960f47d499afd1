"""Training recommendation service (issue 17): who may see whose recommendations, the course
filters, and one seeker's recommendations on the small world with every artifact built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.auth import User
from app.db.engine import make_engine
from app.db.repositories import world as world_repo
from app.db.repositories.seekers import load_seeker_records
from app.errors import AccessDenied, InvalidInput, NotFound
from app.reference.tables import load_reference
from app.services import training
from app.services.training.recommend import apply_filter

AS_OF = dt.date(2026, 5, 26)


def _courses() -> pd.DataFrame:
    return pd.DataFrame({
        "course_id": ["a", "b", "c", "d"],
        "online": [False, True, False, False],
        "region_code": ["11", "", "26", "11"],
        "start_date": pd.to_datetime(["2026-06-01", "2026-06-20", "2026-09-01", "2026-12-01"]),
        "ncs_code": ["20010101", "02030101", "20010202", "06010101"],
    })


@pytest.mark.parametrize(("flt", "kept"), [
    (training.TrainingFilter(), ["a", "b", "c", "d"]),
    (training.TrainingFilter(region_code="11"), ["a", "b", "d"]),  # online courses stay
    (training.TrainingFilter(region_code="11", include_online=False), ["a", "d"]),
    (training.TrainingFilter(online_only=True), ["b"]),
    (training.TrainingFilter(start_within_weeks=4), ["a", "b"]),
    (training.TrainingFilter(max_self_pay=100_000), ["a", "c"]),
    (training.TrainingFilter(ncs_field="20"), ["a", "c"]),
    (training.TrainingFilter(region_code="26", start_within_weeks=26, ncs_field="20"), ["c"]),
])
def test_filters(flt: training.TrainingFilter, kept: list[str]) -> None:
    self_pay = np.array([0, 500_000, 50_000, 2_000_000])
    mask = apply_filter(_courses(), self_pay, flt, AS_OF)
    assert _courses()["course_id"][mask].tolist() == kept


@pytest.mark.parametrize("arguments", [
    {"start_within_weeks": 0}, {"start_within_weeks": 53}, {"max_self_pay": -1},
    {"online_only": True, "include_online": False},
])
def test_bad_filters_are_refused_in_korean(arguments: dict) -> None:
    with pytest.raises(InvalidInput) as err:
        training.TrainingFilter(**arguments)
    assert any("가" <= ch <= "힣" for ch in str(err.value))


@pytest.fixture(scope="module")
def built(hiring_built: tuple[str, Path]):
    url, models = hiring_built
    engine = make_engine(url)
    yield engine, training.load_training_artifact(models)
    engine.dispose()


def _open_seeker(engine) -> int:
    as_of = world_repo.load_reference_date(engine)
    records = load_seeker_records(engine, as_of=as_of, registered_after=as_of - dt.timedelta(days=170))
    return int(records["id"].iat[0])


def _user(role: str, seeker_id: int | None = None) -> User:
    return User(username=f"{role}-t", display_name=role, role=role, seeker_id=seeker_id)


def test_a_counsellor_gets_ranked_open_courses_with_reasons(built) -> None:
    engine, artifact = built
    seeker = _open_seeker(engine)
    rec = training.recommend_for_seeker(engine, artifact, _user("counsellor"), seeker, reference=load_reference())
    courses = rec.courses
    assert 0 < len(courses) <= training.DEFAULT_TOP
    assert courses["rank"].tolist() == list(range(1, len(courses) + 1))
    assert courses["uplift"].is_monotonic_decreasing
    assert (courses["start_date"] >= rec.as_of).all()
    assert ((courses["uplift_low"] <= courses["uplift"]) & (courses["uplift"] <= courses["uplift_high"])).all()
    assert courses["reasons"].str.len().gt(0).all()
    assert 0 < rec.p_without < 1
    gap = training.gap_table(rec)
    assert set(gap["상태"]) <= {"보유", "부족 · 추천 과정이 보완", "부족"} and len(gap) == len(rec.gap.required)
    parts = training.components_table(rec)
    assert set(parts["요인"]) == set(training.COMPONENTS)
    audit = rec.audit_output()
    assert [c["rank"] for c in audit["courses"]] == courses["rank"].tolist()
    # the same question gives the same answer and the same audit hash
    again = training.recommend_for_seeker(engine, artifact, _user("counsellor"), seeker, reference=load_reference())
    assert again.input_hash == rec.input_hash and again.courses["course_id"].tolist() == courses["course_id"].tolist()


def test_a_filter_changes_the_hash_and_keeps_only_matching_courses(built) -> None:
    engine, artifact = built
    seeker = _open_seeker(engine)
    flt = training.TrainingFilter(online_only=True)
    rec = training.recommend_for_seeker(engine, artifact, _user("counsellor"), seeker, flt=flt,
                                        reference=load_reference())
    assert (rec.courses["region"] == "원격").all()
    plain = training.recommend_for_seeker(engine, artifact, _user("counsellor"), seeker, reference=load_reference())
    assert rec.input_hash != plain.input_hash


def test_roles(built) -> None:
    engine, artifact = built
    seeker = _open_seeker(engine)
    ref = load_reference()
    for role in ("employer", "policy"):
        with pytest.raises(AccessDenied):
            training.recommend_for_seeker(engine, artifact, _user(role), seeker, reference=ref)
    own = training.recommend_for_seeker(engine, artifact, _user("seeker", seeker), None, top=3, reference=ref)
    assert own.seeker_id == seeker and len(own.courses) <= 3
    with pytest.raises(AccessDenied):
        training.recommend_for_seeker(engine, artifact, _user("seeker", seeker), seeker + 1, reference=ref)
    with pytest.raises(AccessDenied):
        training.recommend_for_seeker(engine, artifact, _user("seeker", None), None, reference=ref)


def test_unknown_or_closed_seekers_are_not_found(built) -> None:
    engine, artifact = built
    ref = load_reference()
    with pytest.raises(NotFound):
        training.recommend_for_seeker(engine, artifact, _user("counsellor"), 10_000_000, reference=ref)
    as_of = world_repo.load_reference_date(engine)
    old = load_seeker_records(engine, as_of=as_of)
    old = old[pd.to_datetime(old["registered_on"]).dt.date < as_of - dt.timedelta(days=200)]
    with pytest.raises(NotFound):
        training.recommend_for_seeker(engine, artifact, _user("counsellor"), int(old["id"].iat[0]), reference=ref)
    with pytest.raises(InvalidInput):
        training.recommend_for_seeker(engine, artifact, _user("counsellor"), 1, top=0, reference=ref)
