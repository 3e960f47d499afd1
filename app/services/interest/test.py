"""Taking the adaptive interest test: start or resume, the next question, answers, finishing.

A session first asks the work-environment preferences (``W`` items, all of them, in bank order:
the occupation-fit model needs them and they are few), then the RIASEC activity items one at a
time, chosen by the adaptive engine (:mod:`app.ml.adaptive_test`) from the answers stored so far.
Nothing of the engine lives between requests: every step rebuilds it from the stored answers, so a
paused test resumes on any server process exactly where it stopped.

The test stops when the engine's ranking is stable, the top-5 occupation list would not change
across plausible score profiles (:data:`OCCUPATION_STABILITY`), or the maximum length is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import interest as repo
from app.db.repositories import unit_of_work
from app.errors import AccessDenied, InvalidInput, NotFound
from app.ml.adaptive_test import AdaptiveTest
from app.ml.interest_bank import InterestTestModel
from app.ml.occupation_fit import OccupationFit
from app.reference.interest import RIASEC_SCALES, answer_labels
from app.services.interest.result import (
    ENVIRONMENT_NAME,
    SCALE_NAMES,
    InterestResult,
    compute_result,
    environment_features,
)

OCCUPATION_STABILITY = 0.8
"""The top-5 occupations count as stable when, over plausible score profiles, on average this
share of them stays in the top 5 (four of five)."""
OCCUPATION_DRAWS = 24
"""Plausible score profiles drawn to check the top-5 list's stability."""
SELF, COUNSELLOR = "self", "counsellor"


class InterestTestError(InvalidInput):
    """A request the test cannot take (wrong item, finished session); the message is Korean."""


@dataclass(frozen=True)
class Question:
    """The item to show now.

    Attributes:
        item_id: ``test_items.id`` (the page sends it back with the answer).
        text: The item's wording.
        labels: The five answer labels (answer ``k`` is ``labels[k-1]``).
        position: 1 for the first item of the session.
        phase: ``"environment"`` (work-environment preferences) or ``"interest"`` (adaptive).
        stability: 0–1, how close the result is to stable (0 during the environment part).
        answered: Items answered so far.
        environment_total: Number of work-environment items.
    """

    item_id: int
    text: str
    labels: tuple[str, ...]
    position: int
    phase: str
    stability: float
    answered: int
    environment_total: int


@dataclass(frozen=True)
class TestState:
    """Where a session is: its next question, or its result once finished."""

    __test__ = False

    session_id: int
    seeker_id: int
    question: Question | None
    result: InterestResult | None


def _owned_session(engine: Engine, session_id: int, seeker_id: int) -> repo.InterestSessionRecord:
    """The stored session, refused when it is not ``seeker_id``'s.

    Raises:
        NotFound: No such session.
        AccessDenied: The session is another seeker's.
    """
    record = repo.load_session(engine, int(session_id))
    if record is None:
        raise NotFound("해당 검사 기록을 찾을 수 없습니다.")
    if int(record.seeker_id) != int(seeker_id):
        raise AccessDenied("이 검사 기록을 볼 권한이 없습니다.")
    return record


def start_or_resume(engine: Engine, model: InterestTestModel, seeker_id: int, *, mode: str = SELF,
                    administered_by: str | None = None) -> int:
    """The seeker's open session (resumed as it was) or a new one; returns its id.

    Raises:
        NotFound: No such seeker.
        InvalidInput: A bad mode, or a counsellor session without the counsellor.
    """
    repo.ensure_tables(engine)
    open_session = repo.load_open_session(engine, int(seeker_id))
    if open_session is not None and open_session.bank_version == model.bank_version:
        return int(open_session.id)
    with unit_of_work(engine) as uow:
        if open_session is not None:  # answered on another bank: its answers cannot continue here
            repo.abandon_session(uow, open_session.id, stop_reason="bank_changed")
        return repo.start_session(uow, seeker_id=int(seeker_id), mode=mode, bank_version=model.bank_version,
                                  administered_by=administered_by)


def restart(engine: Engine, model: InterestTestModel, seeker_id: int, *, mode: str = SELF,
            administered_by: str | None = None) -> int:
    """Abandon the seeker's open session (if any) and start a new one; returns its id."""
    repo.ensure_tables(engine)
    open_session = repo.load_open_session(engine, int(seeker_id))
    with unit_of_work(engine) as uow:
        if open_session is not None:
            repo.abandon_session(uow, open_session.id, stop_reason="restarted")
        return repo.start_session(uow, seeker_id=int(seeker_id), mode=mode, bank_version=model.bank_version,
                                  administered_by=administered_by)


def _engine_for(model: InterestTestModel, record: repo.InterestSessionRecord) -> AdaptiveTest:
    test = AdaptiveTest(model.bank, model.settings, model.curves())
    for answer in record.answers:
        index = model.bank_index(answer.item_id)
        if index is not None:
            test.answer(index, answer.response)
    return test


def _exposure_rates(engine: Engine, model: InterestTestModel) -> np.ndarray:
    exposure = repo.load_item_exposure(engine, bank_version=model.bank_version)
    rate = dict(zip(exposure["item_id"].astype(int), exposure["exposure_rate"].astype(float), strict=True))
    return np.array([rate.get(int(i), 0.0) for i in model.item_ids])


def occupation_stability(test: AdaptiveTest, fit: OccupationFit, environment: dict[str, float]) -> float:
    """Mean share of the point top-5 occupations that stay in the top 5 over plausible profiles."""
    draws = test.score_draws(OCCUPATION_DRAWS)
    point = test.estimate().predicted_score
    frame = pd.DataFrame(np.vstack([point, draws]), columns=list(RIASEC_SCALES))
    for code, value in environment.items():
        frame[code] = value
    probabilities = fit.score(frame)
    top = np.argsort(-probabilities, axis=1)[:, :5]
    reference = set(top[0])
    return float(np.mean([len(reference & set(row)) / 5 for row in top[1:]]))


def _environment_answers(model: InterestTestModel, record: repo.InterestSessionRecord) -> dict[int, int]:
    env_ids = set(model.environment_items["id"].astype(int))
    return {a.item_id: a.response for a in record.answers if a.item_id in env_ids}


def current_state(engine: Engine, model: InterestTestModel, fit: OccupationFit, session_id: int,
                  seeker_id: int, *, reference=None) -> TestState:
    """The next question of an open session, or the stored result of a finished one.

    Args:
        engine: Database engine.
        model: The calibrated bank.
        fit: The occupation-fit model.
        session_id: The session.
        seeker_id: Whose session the caller may see (refused otherwise).
        reference: Reference tables (for the result's wages; default: loaded).

    Raises:
        NotFound: No such session.
        AccessDenied: The session is another seeker's.
    """
    record = _owned_session(engine, session_id, seeker_id)
    if record.status == repo.FINISHED and record.result_json:
        return TestState(record.id, record.seeker_id, None, InterestResult.from_json(record.result_json))
    if record.status != repo.IN_PROGRESS:
        raise InterestTestError("중단된 검사입니다. 새 검사를 시작하세요.")
    question = _next_question(engine, model, fit, record)
    if question is None:
        result = _finish(engine, model, fit, record, reference=reference)
        return TestState(record.id, record.seeker_id, None, result)
    return TestState(record.id, record.seeker_id, question, None)


def _next_question(engine: Engine, model: InterestTestModel, fit: OccupationFit,
                   record: repo.InterestSessionRecord) -> Question | None:
    answered = set(record.answered_item_ids)
    position = len(record.answers) + 1
    env = model.environment_items
    for row in env.itertuples(index=False):
        if int(row.id) not in answered:
            return Question(int(row.id), str(row.text), answer_labels("W"), position, "environment", 0.0,
                            len(record.answers), len(env))
    test = _engine_for(model, record)
    # the occupation list is checked only once the scales' ranking itself is settled (it is the
    # costlier check, and the test cannot stop before both are)
    reason = test.stop_reason(decision_stable=True)
    if reason == "stable":
        environment = environment_features(model, _environment_answers(model, record))
        if occupation_stability(test, fit, environment) >= OCCUPATION_STABILITY:
            return None
    elif reason is not None:  # the maximum length or the bank used up
        return None
    index = test.select_item(_exposure_rates(engine, model))
    if index is None:
        return None
    item_id = int(model.item_ids[index])
    text = _item_text(engine, item_id)
    return Question(item_id, text, answer_labels(model.bank.scales[model.bank.item_scale[index]]), position,
                    "interest", round(test.stability(), 3), len(record.answers), len(env))


def _item_text(engine: Engine, item_id: int) -> str:
    items = repo.load_items(engine)
    match = items.loc[items["id"].astype(int) == int(item_id), "text"]
    return str(match.iloc[0]) if len(match) else ""


def submit_answer(engine: Engine, model: InterestTestModel, fit: OccupationFit, session_id: int, seeker_id: int,
                  item_id: int, response: int, *, seconds_taken: float | None = None, reference=None) -> TestState:
    """Store the answer to the question shown now and return the next state.

    An answered item, a RIASEC item while work-environment items are left, or an item outside the
    bank is refused (:func:`_may_answer`); answers are stored in the order given.

    Raises:
        InterestTestError: Not the current question, a finished session, or an answer outside 1–5.
        NotFound: No such session.
        AccessDenied: The session is another seeker's.
    """
    record = _owned_session(engine, session_id, seeker_id)
    if record.status != repo.IN_PROGRESS:
        raise InterestTestError("이미 끝났거나 중단된 검사입니다.")
    if int(response) not in (1, 2, 3, 4, 5):
        raise InterestTestError("응답은 1부터 5 사이에서 골라야 합니다.")
    if not _may_answer(model, record, int(item_id)):
        raise InterestTestError("지금 보여 드린 문항이 아닙니다. 화면을 새로 고친 뒤 이어서 응답하세요.")
    seconds = None if seconds_taken is None else float(min(max(seconds_taken, 0.0), 600.0))
    with unit_of_work(engine) as uow:
        repo.record_answer(uow, record.id, item_id=int(item_id), position=len(record.answers) + 1, response=int(response),
                           seconds_taken=seconds)
    return current_state(engine, model, fit, record.id, seeker_id, reference=reference)


def _may_answer(model: InterestTestModel, record: repo.InterestSessionRecord, item_id: int) -> bool:
    """Whether ``item_id`` can be the question shown now: the first unanswered work-environment item
    while any is left, then any unanswered RIASEC item of the bank.

    Why not recompute the adaptive choice: that would double every answer's cost; an item the test
    did not pick can only come from a forged request, and it changes only that person's own result
    (it is still a valid answer to a calibrated item, stored in the order given).
    """
    answered = set(record.answered_item_ids)
    if item_id in answered:
        return False
    pending = [int(i) for i in model.environment_items["id"] if int(i) not in answered]
    if pending:
        return item_id == pending[0]
    return model.bank_index(item_id) is not None


def _finish(engine: Engine, model: InterestTestModel, fit: OccupationFit, record: repo.InterestSessionRecord, *,
            reference=None) -> InterestResult:
    test = _engine_for(model, record)
    environment = environment_features(model, _environment_answers(model, record))
    reason = test.stop_reason(decision_stable=True) or "stable"
    result = compute_result(engine, model, fit, test, environment, record, stop_reason=reason, reference=reference)
    with unit_of_work(engine) as uow:
        repo.finish_session(uow, record.id, result_json=result.to_json(), stop_reason=reason)
    return result


def abandon(engine: Engine, session_id: int, seeker_id: int) -> None:
    """Give up an open session (the seeker starts anew later)."""
    record = _owned_session(engine, session_id, seeker_id)
    with unit_of_work(engine) as uow:
        repo.abandon_session(uow, record.id, stop_reason="abandoned")


def open_session_id(engine: Engine, seeker_id: int) -> int | None:
    """The seeker's open session to resume (``None``: none)."""
    repo.ensure_tables(engine)
    record = repo.load_open_session(engine, int(seeker_id))
    return None if record is None else int(record.id)


def results_over_time(engine: Engine, seeker_id: int) -> list[InterestResult]:
    """The seeker's finished results, oldest first (for comparing over time)."""
    repo.ensure_tables(engine)
    frame = repo.load_finished_sessions(engine, int(seeker_id))
    return [InterestResult.from_json(text) for text in frame["result_json"] if isinstance(text, str) and text]


def session_answers(engine: Engine, model: InterestTestModel, session_id: int, seeker_id: int) -> pd.DataFrame:
    """A session's answers in the order asked, for the counsellor: ``순서, 영역, 문항, 응답``."""
    record = _owned_session(engine, session_id, seeker_id)
    items = repo.load_items(engine).set_index("id")
    rows = []
    for answer in record.answers:
        item = items.loc[int(answer.item_id)]
        labels = answer_labels(str(item["scale"]))
        rows.append({"순서": answer.position, "영역": SCALE_NAMES.get(str(item["scale"]), ENVIRONMENT_NAME), "문항": str(item["text"]),
                     "응답": labels[int(answer.response) - 1]})
    return pd.DataFrame(rows, columns=["순서", "영역", "문항", "응답"])




