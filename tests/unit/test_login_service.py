"""Login throttling and lockout (app.services.login): the pure decision and the stored attempts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import auth
from app.db.engine import make_engine
from app.db.repositories import logins as logins_repo
from app.db.repositories.logins import AttemptRow
from app.services import login
from tests.conftest import DEMO_PASSWORDS, copy_world_database

NOW = dt.datetime(2026, 3, 2, 9, 0, 0)
POLICY = login.DEFAULT_POLICY
KEY = login.account_key("policy1")


def _rows(*events: tuple[int, str], key: str = KEY, client: str = "c1") -> list[AttemptRow]:
    """Rows ``minutes`` before NOW (negative = in the past) with an outcome."""
    return [AttemptRow(NOW + dt.timedelta(minutes=m), key, client, outcome) for m, outcome in events]


def _decide(account: list[AttemptRow], failures: list[AttemptRow] | None = None, client: str = "c1") -> login.Decision:
    fails = [r for r in account if r.outcome == "failure"] if failures is None else failures
    return login.decide(account, fails, client_key=client, now=NOW, policy=POLICY)


def test_failures_inside_the_window_count_and_older_ones_do_not() -> None:
    assert _decide(_rows((-16, "failure"), (-14, "failure"), (-1, "failure"))).account_failures == 2
    assert _decide([]) == login.Decision("", account_failures=0)


def test_lock_lasts_fifteen_minutes_from_the_lockout() -> None:
    rows = _rows(*[(-10, "failure")] * 5, (-10, "lockout"))
    decision = _decide(rows)
    assert decision.refusal == "locked" and decision.locked_until == NOW + dt.timedelta(minutes=5)
    expired = _rows(*[(-16, "failure")] * 5, (-16, "lockout"))
    assert _decide(expired) == login.Decision("", account_failures=0)  # failures before the lock are spent


def test_success_or_unlock_clears_count_and_lock() -> None:
    assert _decide(_rows(*[(-3, "failure")] * 4, (-2, "success"), (-1, "failure"))).account_failures == 1
    assert _decide(_rows(*[(-3, "failure")] * 5, (-3, "lockout"), (-1, "unlock"))).refusal == ""


def test_client_and_global_throttles() -> None:
    mine = [AttemptRow(NOW - dt.timedelta(minutes=5), f"k{i}", "c1", "failure") for i in range(POLICY.client_max_failures)]
    assert _decide([], mine).refusal == "throttled"
    assert _decide([], mine, client="c2").refusal == ""  # another session
    everyone = [AttemptRow(NOW - dt.timedelta(seconds=30), f"k{i}", f"c{i}", "failure")
                for i in range(POLICY.global_max_failures)]
    assert _decide([], everyone, client="fresh").refusal == "throttled"
    older = [AttemptRow(NOW - dt.timedelta(minutes=2), r.account_key, r.client_key, "failure") for r in everyone]
    assert _decide([], older, client="fresh").refusal == ""  # the global window is one minute


def test_account_key_hides_the_typed_id() -> None:
    assert login.account_key(" policy1 ") == KEY and len(KEY) == 64 and "policy1" not in KEY


@pytest.fixture
def login_engine(world_url: str, tmp_path: Path):
    engine = make_engine(f"sqlite:///{copy_world_database(world_url, tmp_path / 'w.db')}")
    yield engine
    engine.dispose()


def test_attempts_are_stored_and_lock_across_calls(login_engine, users_file: Path) -> None:
    minute = dt.timedelta(minutes=1)
    results = [
        login.attempt_login(login_engine, users_file, "policy1", f"wrong-{i}", client_key="a", now=NOW + i * minute)
        for i in range(5)
    ]
    assert [r.message for r in results] == [login.LOGIN_FAILED] * 4 + [login.LOCKED.format(minutes=15)]
    right = DEMO_PASSWORDS["policy1"]
    later = login.attempt_login(login_engine, users_file, "policy1", right, client_key="b", now=NOW + 10 * minute)
    assert later.user is None and later.message == login.LOCKED.format(minutes=9)
    assert login.locked_minutes(login_engine, "policy1", now=NOW + 10 * minute) == 9
    after = login.attempt_login(login_engine, users_file, "policy1", right, client_key="b", now=NOW + 20 * minute)
    assert after.user is not None and after.user.username == "policy1"


def test_a_failure_that_cannot_be_recorded_refuses_the_login(users_file: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no audit_log table: the write fails
    with pytest.raises(login.LoginUnavailable):
        login.attempt_login(engine, users_file, "policy1", "wrong-password", client_key="a", now=NOW)
    ok = login.attempt_login(engine, users_file, "policy1", DEMO_PASSWORDS["policy1"], client_key="a", now=NOW)
    assert ok.user is not None  # a success is let in even when its record cannot be written
    engine.dispose()


def test_missing_users_file_is_reported_before_anything_is_counted(login_engine, tmp_path: Path) -> None:
    with pytest.raises(auth.UsersFileError):
        login.attempt_login(login_engine, tmp_path / "none.yaml", "policy1", "x", client_key="a", now=NOW)


def test_pending_attempts_count_and_fill_the_allowance() -> None:
    in_flight = _rows(*[(0, "pending")] * 2, (-1, "failure"))
    assert _decide(in_flight).account_failures == 3
    full = _rows(*[(0, "pending")] * POLICY.max_failures)
    assert _decide(full).refusal == "throttled"  # their outcome decides the lock; nobody else tries meanwhile


def test_parallel_attempts_cannot_check_more_passwords_than_the_lock_allows(
    login_engine, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions guessing at once on one id: each thread reaches the password check only if the
    counts allowed it. The check blocks until every thread has either reached it or been refused,
    so on code that reads the counts unserialised all threads would be inside it together."""
    import threading

    threads_n = 12
    entered: list[str] = []
    finished: list[login.LoginResult] = []
    changed = threading.Condition()
    release = threading.Event()
    real_check = auth.check_login

    def blocking_check(username: str, password: str, path: Path) -> auth.LoginCheck:
        with changed:
            entered.append(password)
            changed.notify_all()
        release.wait(timeout=120)
        return real_check(username, password, path)

    monkeypatch.setattr(auth, "check_login", blocking_check)

    def guess(i: int) -> None:
        result = login.attempt_login(login_engine, users_file, "policy1", f"wrong-guess-{i}", client_key=f"s{i}", now=NOW)
        with changed:
            finished.append(result)
            changed.notify_all()

    workers = [threading.Thread(target=guess, args=(i,)) for i in range(threads_n)]
    for worker in workers:
        worker.start()
    with changed:
        changed.wait_for(lambda: len(entered) + len(finished) >= threads_n, timeout=120)
    release.set()
    for worker in workers:
        worker.join(timeout=120)

    assert len(entered) == POLICY.max_failures and len(finished) == threads_n
    messages = [r.message for r in finished]
    assert messages.count(login.THROTTLED) == threads_n - POLICY.max_failures
    assert messages.count(login.LOCKED.format(minutes=15)) == 1
    assert messages.count(login.LOGIN_FAILED) == POLICY.max_failures - 1
    rows = logins_repo.load_account_attempts(login_engine, KEY, NOW - dt.timedelta(hours=1))
    assert sorted(r.outcome for r in rows) == ["failure"] * POLICY.max_failures + ["lockout"]
    # the lock holds afterwards, for the right password too
    right = login.attempt_login(login_engine, users_file, "policy1", DEMO_PASSWORDS["policy1"], client_key="z",
                                now=NOW + dt.timedelta(minutes=1))
    assert right.user is None and right.message == login.LOCKED.format(minutes=14)
