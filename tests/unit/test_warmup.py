"""Server-start warm-up (components.warmup): every step runs once, a failing one is skipped and
logged, and the setting turns it off."""

from __future__ import annotations

import threading

import pytest

from app.config import get_settings
from components import warmup


def test_every_step_runs_and_a_failing_one_does_not_stop_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise FileNotFoundError("models/hiring.joblib")

    took = warmup.run_warm_up((("first", lambda: ran.append("first")), ("broken", broken),
                               ("last", lambda: ran.append("last"))))
    assert ran == ["first", "last"]
    assert took["broken"] is None and took["first"] is not None and took["last"] is not None
    assert "broken" in caplog.text


def test_the_setting_turns_it_off_and_it_starts_once(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(warmup, "run_warm_up", lambda lane: started.append(lane[0][0]))
    monkeypatch.setattr(warmup, "_STARTED", threading.Event())
    monkeypatch.setenv("GOYONG_WARM_UP", "false")
    get_settings.cache_clear()
    try:
        assert warmup.start_warm_up() is False
        monkeypatch.setenv("GOYONG_WARM_UP", "true")
        get_settings.cache_clear()
        assert warmup.start_warm_up() is True
        assert warmup.start_warm_up() is False  # once per process
    finally:
        get_settings.cache_clear()
    for thread in threading.enumerate():
        if thread.name.startswith("goyong-warm-up"):
            thread.join(timeout=5)
    # one thread per lane, each with its own steps
    assert sorted(started) == sorted(lane[0][0] for lane in warmup.WARM_UP_LANES) and len(started) == 2


def test_the_steps_cover_the_models_the_slow_first_pages_wait_for() -> None:
    names = " ".join(name for name, _ in warmup.WARM_UP_STEPS)
    for needed in ("verifier", "hiring", "employment", "posting assistant"):
        assert needed in names
