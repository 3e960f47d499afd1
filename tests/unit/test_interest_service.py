"""The interest test as a service on the small world: the work-environment part first, then adaptive
items; only the current question is accepted; a paused test resumes at the same question; the
finished result (profile, Holland code, top-5 occupations with reasons, wages, postings) is stored
and shown again as stored; item-bank health counts what was asked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.db.engine import make_engine
from app.errors import AccessDenied
from app.ml.manifest import load_manifest
from app.services import interest as svc
from tests.conftest import copy_world_database


@pytest.fixture(scope="module")
def built(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory):
    url, models = hiring_built
    db = copy_world_database(url, tmp_path_factory.mktemp("interest") / "w.db")
    engine = make_engine(f"sqlite:///{db}")
    yield engine, svc.load_interest_test(models), svc.load_occupation_fit(models), models
    engine.dispose()


def _seekers(engine, n: int = 3) -> list[int]:
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql(f"select id from seekers order by id limit {n}")]


def _answer_for(engine, question: svc.Question, liked: str) -> int:
    """A consistent taker: likes the ``liked`` type's activities, is lukewarm about the rest."""
    with engine.connect() as conn:
        scale = conn.exec_driver_sql(f"select scale from test_items where id = {int(question.item_id)}").scalar()
    if scale == "W":
        return 4 if question.position % 2 else 2
    return 5 if scale == liked else 2


def test_manifest_records_agreement_on_simulated_takers(built) -> None:
    _, model, _, models = built
    metrics = load_manifest(models)["models"]["interest_test"]["metrics"]
    assert metrics["items_riasec"] == 126 and metrics["items_environment"] == 16
    assert 0 < metrics["simulated_items_used_share"] <= 36 / 126 + 1e-9
    assert metrics["simulated_top1_agreement"] > 0.3  # chance is 1/6 (small world: 120 respondents)
    assert model.information["max_information"].gt(0).all()


def test_a_whole_test_from_start_to_stored_result(built) -> None:
    engine, model, fit, _ = built
    seeker = _seekers(engine)[0]
    session = svc.start_or_resume(engine, model, seeker)
    state = svc.current_state(engine, model, fit, session, seeker)
    assert state.question is not None and state.question.phase == "environment" and state.question.position == 1
    phases, positions = [], []
    while state.question is not None:
        q = state.question
        phases.append(q.phase)
        positions.append(q.position)
        state = svc.submit_answer(engine, model, fit, session, seeker, q.item_id, _answer_for(engine, q, "S"),
                                  seconds_taken=4.0)
    assert phases[:16] == ["environment"] * 16 and set(phases[16:]) == {"interest"}
    assert positions == list(range(1, len(positions) + 1))
    n_interest = len(phases) - 16
    assert 12 <= n_interest <= model.settings.max_items  # two items per type at least
    result = state.result
    assert result is not None and result.items_used == n_interest and result.environment_items == 16
    assert result.holland_code[0] == "S"
    assert result.scales[3].score > max(s.score for s in result.scales if s.scale != "S")
    assert len(result.occupations) == 5
    assert result.occupations[0].score >= result.occupations[-1].score > 0
    assert all(o.interest_reasons or o.environment_reasons for o in result.occupations)
    assert result.elapsed_seconds == pytest.approx(4.0 * len(phases))
    assert set(result.model_versions) == {"interest_test", "occupation_fit"}
    # shown again exactly as stored
    again = svc.current_state(engine, model, fit, session, seeker)
    assert again.question is None and again.result == result
    assert svc.results_over_time(engine, seeker) == [result]
    table = svc.compare_results([result, result])
    assert list(table["흥미 코드"]) == [result.holland_label] * 2
    answers = svc.session_answers(engine, model, session, seeker)
    assert len(answers) == len(phases) and answers["응답"].iloc[0] in ("원한다", "원하지 않는다")
    csv_text = svc.report_csv(result).decode("utf-8-sig")
    assert result.occupations[0].occupation_name in csv_text and "AI" in csv_text


def test_paused_test_resumes_at_the_same_question_and_refuses_stale_answers(built) -> None:
    engine, model, fit, _ = built
    seeker = _seekers(engine)[1]
    session = svc.start_or_resume(engine, model, seeker)
    state = svc.current_state(engine, model, fit, session, seeker)
    first_item = state.question.item_id
    riasec_item = int(model.item_ids[0])
    with pytest.raises(svc.InterestTestError, match="지금 보여 드린 문항이 아닙니다"):
        svc.submit_answer(engine, model, fit, session, seeker, riasec_item, 3)  # work environment comes first
    for _ in range(19):  # through the environment part and into the adaptive items
        state = svc.submit_answer(engine, model, fit, session, seeker, state.question.item_id, 3)
    shown = state.question
    assert shown.phase == "interest" and shown.position == 20
    # the seeker leaves; later (another process) the open session is found and continues there
    assert svc.open_session_id(engine, seeker) == session
    assert svc.start_or_resume(engine, model, seeker) == session
    resumed = svc.current_state(engine, model, fit, session, seeker)
    assert resumed.question == shown
    with pytest.raises(svc.InterestTestError, match="지금 보여 드린 문항이 아닙니다"):
        svc.submit_answer(engine, model, fit, session, seeker, first_item, 3)  # answered already
    with pytest.raises(svc.InterestTestError, match="1부터 5"):
        svc.submit_answer(engine, model, fit, session, seeker, shown.item_id, 7)
    other = _seekers(engine)[2]
    with pytest.raises(AccessDenied):
        svc.current_state(engine, model, fit, session, other)
    with pytest.raises(AccessDenied):
        svc.submit_answer(engine, model, fit, session, other, shown.item_id, 3)
    # starting over abandons the open session
    fresh = svc.restart(engine, model, seeker)
    assert fresh != session and svc.open_session_id(engine, seeker) == fresh


def test_counsellor_sessions_record_who_administered(built) -> None:
    engine, model, _, _ = built
    seeker = _seekers(engine)[2]
    session = svc.start_or_resume(engine, model, seeker, mode=svc.COUNSELLOR, administered_by="counsellor1")
    with engine.connect() as conn:
        row = conn.exec_driver_sql(f"select mode, administered_by from interest_sessions where id = {session}").one()
    assert tuple(row) == ("counsellor", "counsellor1")


def test_bank_health_counts_what_was_asked(built) -> None:
    engine, model, fit, _ = built
    health = svc.bank_health(engine, model, fit)
    assert len(health.items) == 126
    assert health.never_used < 126 and health.never_used == int(health.items["미사용"].sum())
    assert health.length.finished >= 1 and health.length.mean_items is not None
    assert health.items["노출률"].between(0, 1).all()
    assert set(health.group_importance) == {"흥미", "대인 관계", "물리적 환경", "업무 특성"}
    assert {"simulated_top1_agreement", "simulated_items_used_mean"} <= set(health.simulated)
    assert isinstance(health.items, pd.DataFrame) and "문항" in health.items.columns
