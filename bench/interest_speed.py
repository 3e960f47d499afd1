"""Speed of the adaptive test's next-item step; prints one JSON object.

What a page waits for after each answer: rebuild the engine from the stored answers, decide
whether to stop (:meth:`~app.ml.adaptive_test.AdaptiveTest.stop_reason`) and pick the next item
(:meth:`~app.ml.adaptive_test.AdaptiveTest.select_item`), at every point of a test, on the app's
bank (``models/interest_test.pkl``: 126 items, the app's settings). Simulated takers answer from the
calibrated bank. Key ``next_item_ms_p95`` (target ≤ 50 ms), also p50 and the maximum, and the
time of the whole service step (stored answers read, occupation stability, next item) when the
demo database is built: ``service_step_ms_p95``.

Usage: ``python bench/interest_speed.py [--tests N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings  # noqa: E402
from app.ml.adaptive_test import AdaptiveTest  # noqa: E402
from app.ml.interest_bank import load_interest_test  # noqa: E402
from app.ml.irt import simulate_responses  # noqa: E402


def engine_steps(tests: int, seed: int) -> list[float]:
    """Milliseconds of rebuild + stop decision + selection at every step of ``tests`` simulated tests."""
    model = load_interest_test(get_settings().models_dir)
    bank = model.bank
    rng = np.random.default_rng(seed)
    theta = rng.multivariate_normal(np.zeros(len(bank.scales)), bank.correlation, size=tests)
    answers = simulate_responses(bank, theta, rng)
    curves = AdaptiveTest.curves_for(bank)
    exposure = np.full(bank.n_items, 0.1)
    times: list[float] = []
    for person in answers:
        order: list[int] = []
        while True:
            started = time.perf_counter()
            test = AdaptiveTest(bank, model.settings, curves)  # as a page does: from the stored answers
            for item in order:
                test.answer(item, int(person[item]))
            item = None if test.stop_reason() is not None else test.select_item(exposure)
            times.append((time.perf_counter() - started) * 1000)
            if item is None:
                break
            order.append(item)
    return times


def service_steps(answers_per_test: int = 30) -> list[float]:
    """Milliseconds of the whole service step on the demo database (one test of a demo seeker)."""
    from app.db.engine import make_engine
    from app.services import interest as svc

    settings = get_settings()
    engine = make_engine(settings.db_url)
    model = svc.load_interest_test(settings.models_dir)
    fit = svc.load_occupation_fit(settings.models_dir)
    with engine.connect() as conn:
        seeker = int(conn.exec_driver_sql("select max(id) from seekers").scalar())
    session = svc.restart(engine, model, seeker)
    times: list[float] = []
    state = svc.current_state(engine, model, fit, session, seeker)
    rng = np.random.default_rng(3)
    while state.question is not None and len(times) < answers_per_test:
        started = time.perf_counter()
        state = svc.submit_answer(engine, model, fit, session, seeker, state.question.item_id, int(rng.integers(1, 6)))
        times.append((time.perf_counter() - started) * 1000)
    if state.question is not None:
        svc.abandon(engine, session, seeker)  # leave no half test behind in the demo database
    engine.dispose()
    return times


def main() -> None:
    """Time both and print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    steps = np.array(engine_steps(args.tests, args.seed))
    service = np.array(service_steps())
    print(json.dumps({
        "next_item_ms_p95": round(float(np.percentile(steps, 95)), 2),
        "next_item_ms_p50": round(float(np.percentile(steps, 50)), 2),
        "next_item_ms_max": round(float(steps.max()), 2),
        "steps": int(len(steps)), "tests": args.tests,
        "service_step_ms_p95": round(float(np.percentile(service, 95)), 1),
        "service_step_ms_p50": round(float(np.percentile(service, 50)), 1),
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
