"""How the browser tests and benches tell that a script run followed a user's action
(``tests/e2e/browser.py``), on recorded page snapshots: no browser needed."""

from __future__ import annotations

from tests.e2e import browser as web


def _snap(*, states: tuple[tuple[float, str], ...] = (), running_at_since: bool = False,
          sent: int = 0, received: int = 0, last_received: float = 0.0) -> dict:
    return {"state": "notRunning", "busy": False, "log": [{"t": t, "s": s} for t, s in states],
            "running_at_since": running_at_since,
            "socket": {"sent": sent, "received": received, "last_received": last_received}}


def test_a_running_state_after_the_action_is_a_run() -> None:
    snap = _snap(states=((1_010.0, "running"), (1_400.0, "notRunning")), sent=1, received=20, last_received=1_390.0)
    assert web._ran_since(snap)
    assert web._last_event(snap, 1_000.0) == 1_400.0


def test_a_run_the_browser_never_drew_as_running_counts_when_the_server_answered() -> None:
    # under load: the action went out, the run's messages came back, the attribute never left notRunning
    snap = _snap(sent=1, received=53, last_received=2_750.0)
    assert web._ran_since(snap)
    assert web._last_event(snap, 1_000.0) == 2_750.0


def test_no_message_sent_or_none_answered_is_no_run() -> None:
    assert not web._ran_since(_snap())
    assert not web._ran_since(_snap(sent=1, received=0))
    assert not web._ran_since(_snap(sent=0, received=3, last_received=1_200.0))  # not ours: nothing was sent
    assert web._last_event(_snap(), 1_000.0) == 1_000.0


def test_a_run_already_going_when_the_action_came_counts() -> None:
    assert web._ran_since(_snap(running_at_since=True))


def test_a_time_out_message_says_what_went_over_the_socket() -> None:
    text = web._describe(_snap(sent=1, received=0))
    assert "states=none" in text and "sent=1" in text and "received=0" in text
    assert web._describe(None) == "never looked"
