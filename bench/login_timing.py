"""Login response time: known id with a wrong password vs unknown id vs locked id; prints one JSON object.

The whole path of the login form (:func:`app.services.login.attempt_login`: accounts file, stored
attempts, bcrypt at the production cost 12, the attempt and audit rows) on a temporary SQLite
database and accounts file. Target (issue 12): unknown ids answer as slowly as known ones (no
account enumeration by timing) — the medians should differ by far less than their spread.
A locked id answers without bcrypt, and with the same message for known and unknown ids.

Usage: python bench/login_timing.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import auth, demo_accounts  # noqa: E402 - after the path fix
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories.world import ensure_schema  # noqa: E402
from app.services import login  # noqa: E402


def _timed_ms(run) -> float:  # noqa: ANN001 - a callable
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _summary(times: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(times), 1), "stdev_ms": round(statistics.pstdev(times), 1)}


def main() -> None:
    """Time the three kinds of attempt and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        users = Path(tmp) / "users.yaml"
        demo_accounts.ensure_users_file(users, employer_ids=(1, 2, 3))  # production bcrypt cost
        engine = make_engine(f"sqlite:///{tmp}/w.db")
        ensure_schema(engine)
        # a fresh client key and a time an hour apart per attempt: no throttle or lock interferes
        clock = iter(dt.datetime(2026, 1, 1) + dt.timedelta(hours=i) for i in range(10_000))

        def attempt(username: str) -> None:
            login.attempt_login(engine, users, username, "wrong-password", client_key=str(time.perf_counter_ns()),
                                now=next(clock))

        attempt("no-such-user")  # warm-up: the dummy hash is made once per process
        known_times: list[float] = []
        unknown_times: list[float] = []
        for _ in range(args.repeats):  # interleaved, so load from other processes hits both alike
            known_times.append(_timed_ms(lambda: attempt("policy1")))
            unknown_times.append(_timed_ms(lambda: attempt("no-such-user")))
        known, unknown = _summary(known_times), _summary(unknown_times)
        lock_time = dt.datetime(2030, 1, 1)
        for i in range(5):
            login.attempt_login(engine, users, "counsellor1", "wrong", client_key=f"l{i}", now=lock_time)
        locked = _summary([
            _timed_ms(lambda: login.attempt_login(engine, users, "counsellor1", "wrong", client_key="l", now=lock_time))
            for _ in range(args.repeats)
        ])
        engine.dispose()
    print(json.dumps({
        "bcrypt_rounds": auth.BCRYPT_ROUNDS,
        "repeats": args.repeats,
        "known_id_wrong_password": known,
        "unknown_id": unknown,
        "locked_id": locked,
        "known_minus_unknown_ms": round(known["median_ms"] - unknown["median_ms"], 1),
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
