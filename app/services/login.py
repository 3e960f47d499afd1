"""Logging in: password check with throttling, lockout and an audit record of every failure.

Three limits, all counted from the ``login_attempts`` table (so they hold across server processes
and survive a restart), all evaluated *before* bcrypt runs:

* **account lockout** — :attr:`LoginPolicy.max_failures` failures for one login id within
  :attr:`LoginPolicy.failure_window` lock that id for :attr:`LoginPolicy.lockout`. Ids are counted
  by a SHA-256 of the typed text, whether or not such an account exists, and the lockout message
  is the same for both, so neither the message nor the timing tells which accounts exist. A
  successful login or ``python -m app users reset-password``/``enable`` (:func:`unlock_account`)
  clears the count.
* **per-client throttle** — failures of one browser session across any ids. Streamlit gives no
  reliable client address (behind a reverse proxy every visitor has the proxy's address, and
  forwarded headers are set by the client), so the session is the finest key there is; a new
  session is one page reload away, hence:
* **global throttle** — failures of the whole server in :attr:`LoginPolicy.global_window`. It
  bounds how fast anybody can guess, whatever they key on; the price is that during an attack
  legitimate users wait too.

Counting is atomic: the counts are read and the attempt reserved (a ``pending`` row, counted as a
failure until its password check ends) in one serialised transaction
(:func:`app.db.repositories.logins.reserve_attempt`), so parallel attempts on one id cannot all
read the same count and each check a password.

Every failure, refusal and lockout goes to the audit log with role ``anonymous`` (no password and
not the typed id: an unknown id is shown as :data:`UNKNOWN_ACCOUNT` with the id's hash), and every
successful login, logout and idle timeout with the user's role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app import auth
from app.db.repositories import logins as logins_repo
from app.db.repositories.logins import AttemptRow
from app.errors import NotReady

__all__ = [
    "ANONYMOUS_ROLE", "LOCKED", "LOGIN_FAILED", "THROTTLED", "UNKNOWN_ACCOUNT",
    "Decision", "LoginPolicy", "LoginResult", "LoginUnavailable",
    "account_key", "attempt_login", "decide", "locked_minutes", "record_session_end", "record_session_restored",
    "unlock_account",
]

logger = logging.getLogger(__name__)

ANONYMOUS_ROLE = "anonymous"
UNKNOWN_ACCOUNT = "(없는 아이디)"
LOGIN_FAILED = "아이디 또는 비밀번호가 올바르지 않습니다."
LOCKED = "로그인에 여러 번 실패해 이 아이디의 로그인을 {minutes}분 동안 막았습니다. 나중에 다시 시도하거나 관리자에게 문의하세요."
THROTTLED = "로그인 시도가 너무 많습니다. 잠시 후 다시 시도하세요."


class LoginUnavailable(NotReady):
    """Attempts cannot be counted or recorded (database unreachable): logins are refused."""

    def __init__(self) -> None:
        super().__init__(
            "지금은 로그인 기록을 남길 수 없어 로그인할 수 없습니다. 잠시 후 다시 시도하거나 관리자에게 문의하세요."
        )


@dataclass(frozen=True)
class LoginPolicy:
    """Limits of login attempts (defaults follow common guidance: a handful of tries, minutes of lock).

    Attributes:
        max_failures: Failures of one login id that lock it.
        failure_window: Period those failures must fall in.
        lockout: How long a locked id stays locked.
        client_max_failures: Failures of one browser session (any ids) in ``failure_window``
            after which that session is refused until older failures leave the window.
        global_max_failures: Failures of the whole server in ``global_window`` after which every
            attempt is refused until older failures leave the window.
        global_window: Period of the global count.
    """

    max_failures: int = 5
    failure_window: dt.timedelta = dt.timedelta(minutes=15)
    lockout: dt.timedelta = dt.timedelta(minutes=15)
    client_max_failures: int = 10
    global_max_failures: int = 60
    global_window: dt.timedelta = dt.timedelta(minutes=1)


DEFAULT_POLICY = LoginPolicy()


@dataclass(frozen=True)
class LoginResult:
    """Outcome of one attempt.

    Attributes:
        user: The logged-in user, or ``None``.
        message: Korean message for the form when ``user`` is ``None`` (empty on success).
    """

    user: auth.User | None
    message: str = ""


@dataclass(frozen=True)
class Decision:
    """What the counts allow for the next attempt (see :func:`decide`).

    Attributes:
        refusal: ``"locked"``, ``"throttled"`` or ``""`` (the password may be checked).
        locked_until: End of the lock (naive UTC) when locked.
        account_failures: Failures of the id that count towards its lock.
    """

    refusal: str
    locked_until: dt.datetime | None = None
    account_failures: int = 0


def account_key(username: str) -> str:
    """SHA-256 hex of a typed login id (blanks around it ignored, as the password check does)."""
    return hashlib.sha256(f"goyong.login|{username.strip()}".encode()).hexdigest()


def decide(
    account_rows: Sequence[AttemptRow],
    failures: Sequence[AttemptRow],
    *,
    client_key: str,
    now: dt.datetime,
    policy: LoginPolicy = DEFAULT_POLICY,
) -> Decision:
    """Whether an attempt may check its password, from the stored attempts (pure).

    Args:
        account_rows: Rows of the typed id since ``now - max(failure_window, lockout)``, oldest first.
            A ``pending`` row (an attempt whose password is being checked) counts as a failure.
        failures: Failures (and pending attempts) of every id since ``now - max(failure_window, global_window)``.
        client_key: Key of the browser session making the attempt.
        now: Current time (naive UTC).
        policy: Limits.

    Returns:
        The decision.
    """
    reset_at = max((r.at for r in account_rows if r.outcome in ("success", "unlock")), default=None)
    current = [r for r in account_rows if reset_at is None or r.at > reset_at]
    last_lock = max((r.at for r in current if r.outcome == "lockout"), default=None)
    if last_lock is not None and now < last_lock + policy.lockout:
        return Decision("locked", locked_until=last_lock + policy.lockout)
    since = max(t for t in (now - policy.failure_window, last_lock) if t is not None)
    counted = sum(1 for r in current if r.outcome in logins_repo.COUNTED_AS_FAILURE and r.at > since)
    client = sum(1 for r in failures if r.client_key == client_key and r.at > now - policy.failure_window)
    everyone = sum(1 for r in failures if r.at > now - policy.global_window)
    # ``counted`` reaches the limit without a lockout row only while attempts are in flight (pending):
    # their outcome decides the lock, and until then nobody else may try this id
    if counted >= policy.max_failures or client >= policy.client_max_failures \
            or everyone >= policy.global_max_failures:
        return Decision("throttled", account_failures=counted)
    return Decision("", account_failures=counted)


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def attempt_login(
    engine: Engine,
    users_file: Path,
    username: str,
    password: str,
    *,
    client_key: str,
    now: dt.datetime | None = None,
    policy: LoginPolicy = DEFAULT_POLICY,
    session_ref: str = "",
) -> LoginResult:
    """Check a login, unless the id is locked or attempts are throttled, and record the outcome.

    Args:
        engine: Product database (``login_attempts`` and the audit log).
        users_file: Accounts file.
        username: Login id as typed.
        password: Password as typed (never stored or logged).
        client_key: Key of the browser session (a random token, not Streamlit's session id, which
            could be used to take over the session).
        now: Current time (naive UTC); tests pass one.
        policy: Limits.
        session_ref: One-way reference of the session id a successful login starts
            (``app.services.sessions.session_ref``), written with ``auth.login`` so the reloads
            it survives (``auth.session_restored``) can be told apart by login.

    Returns:
        The user, or ``None`` with the Korean message to show.

    Raises:
        auth.UsersFileError: The accounts file is missing or malformed.
        LoginUnavailable: The attempts cannot be read, or a failure cannot be recorded.
    """
    auth.load_accounts(users_file)  # a missing or broken file is reported before anything is counted
    now = now or logins_repo.utc_now()
    key = account_key(username)
    seen: list[Decision] = []

    def judge(account_rows: list[AttemptRow], failures: list[AttemptRow]) -> dict[str, object] | None:
        decision = decide(account_rows, failures, client_key=client_key, now=now, policy=policy)
        seen.append(decision)
        return _refusal_audit(key, client_key, decision) if decision.refusal else None

    try:
        # counts read and the attempt reserved in one serialised transaction: parallel attempts on
        # one id each see the ones in flight before them, so no more than max_failures passwords
        # are checked per lock, however many sessions or server processes guess at once
        attempt_id = logins_repo.reserve_attempt(
            engine, at=now, account_key=key, client_key=client_key,
            account_since=now - max(policy.failure_window, policy.lockout),
            failures_since=now - max(policy.failure_window, policy.global_window), judge=judge,
        )
    except SQLAlchemyError as err:
        logger.error("login attempt could not be counted (%s)", err.__class__.__name__)
        raise LoginUnavailable() from err
    decision = seen[-1]
    if attempt_id is None:
        if decision.refusal == "locked" and decision.locked_until is not None:
            return LoginResult(None, LOCKED.format(minutes=_minutes_left(decision.locked_until, now)))
        return LoginResult(None, THROTTLED)

    check = auth.check_login(username, password, users_file)
    if check.user is not None:
        output: dict[str, object] = {"client": client_key}
        if session_ref:
            output["session"] = session_ref
        _resolve(engine, attempt_id, "success", required=False,
                 audit=_audit_row(check.user.username, check.user.role, "auth.login", key, output))
        return LoginResult(check.user)

    shown_name = username.strip() if check.account_exists else UNKNOWN_ACCOUNT
    failures = decision.account_failures + 1
    locks = failures >= policy.max_failures
    output = {"client": client_key, "failures": failures}
    if locks:
        output["locked_until_utc"] = (now + policy.lockout).isoformat(timespec="seconds")
    _resolve(engine, attempt_id, "failure", lockout=locks, required=True,
             audit=_audit_row(shown_name, ANONYMOUS_ROLE, "auth.lockout" if locks else "auth.login_failed", key, output))
    if locks:
        return LoginResult(None, LOCKED.format(minutes=_minutes_left(now + policy.lockout, now)))
    return LoginResult(None, LOGIN_FAILED)


def _audit_row(username: str, role: str, action: str, key: str, output: dict[str, object]) -> dict[str, object]:
    return {"username": username[:40], "role": role, "action": action, "input_hash": key, "output": output}


def _refusal_audit(key: str, client_key: str, decision: Decision) -> dict[str, object]:
    output: dict[str, object] = {"client": client_key}
    if decision.locked_until is not None:
        output["locked_until_utc"] = decision.locked_until.isoformat(timespec="seconds")
    # The typed id is not looked up for a refusal (no bcrypt, no accounts read): only its hash is logged.
    return _audit_row(UNKNOWN_ACCOUNT if decision.refusal == "throttled" else "(잠긴 아이디)", ANONYMOUS_ROLE,
                      f"auth.login_{decision.refusal}", key, output)


def _resolve(engine: Engine, attempt_id: int, outcome: str, *, audit: dict[str, object], required: bool,
             lockout: bool = False) -> None:
    try:
        logins_repo.resolve_attempt(engine, attempt_id, outcome=outcome, lockout=lockout, audit=audit)
    except SQLAlchemyError as err:
        logger.error("login event %s could not be recorded (%s)", audit["action"], err.__class__.__name__)
        if required:  # the attempt stays pending, which counts as a failure; the login is refused anyway
            raise LoginUnavailable() from err


def _record(
    engine: Engine,
    now: dt.datetime,
    rows: list[tuple[str, str, str]],
    *,
    username: str,
    role: str,
    action: str,
    key: str,
    output: dict[str, object],
    required: bool,
) -> None:
    audit = _audit_row(username, role, action, key, output)
    try:
        logins_repo.add_login_event(engine, at=now, attempts=tuple(rows), audit=audit)
    except SQLAlchemyError as err:
        logger.error("login event %s could not be recorded (%s)", action, err.__class__.__name__)
        if required:  # an unrecorded failure would not count towards the lock: refuse instead
            raise LoginUnavailable() from err


SESSION_END_ACTIONS: Final[tuple[str, ...]] = ("auth.logout", "auth.idle_timeout", "auth.session_revoked")
"""Audit actions that end a login for good: its cookie must not log anybody back in."""


def record_session_end(engine: Engine, user: auth.User, action: str, *, client_key: str = "",
                       session_ref: str = "") -> None:
    """Audit a logout (``auth.logout``), an idle timeout (``auth.idle_timeout``) or a revoked
    account's session end; best effort.

    With ``session_ref`` (``app.services.sessions.session_ref`` of the login being ended) the row
    also keeps that login's cookie from working again after a server restart
    (:func:`session_ended`). A failed write is logged on the server and does not keep anybody
    logged in.
    """
    output = {"client": client_key}
    if session_ref:
        output["session"] = session_ref
    _record(engine, logins_repo.utc_now(), [], username=user.username, role=user.role or ANONYMOUS_ROLE,
            action=action, key=account_key(user.username), output=output, required=False)


def session_ended(engine: Engine, username: str, session_ref: str, *, max_age: dt.timedelta,
                  now: dt.datetime | None = None) -> bool:
    """Whether the login ``session_ref`` of ``username`` was ended (logout, idle timeout, revoked
    account) within ``max_age``: read from the audit log, so it holds across server restarts.

    Args:
        engine: Product database.
        username: Login id of the cookie.
        session_ref: One-way reference of the cookie's session id.
        max_age: The idle timeout (an older login's cookie has expired anyway).
        now: Current time (naive UTC); tests pass one.
    """
    now = now or logins_repo.utc_now()
    refs = logins_repo.ended_session_refs(engine, account_key(username), SESSION_END_ACTIONS, now - max_age)
    return session_ref in refs


def record_session_restored(engine: Engine, user: auth.User, *, client_key: str, session_ref: str) -> None:
    """Audit a session brought back by its login cookie after a reload (``auth.session_restored``).

    Logged like a login (the user's role, the id's hash, the new browser session's token) plus a
    one-way reference to the login it continues (``app.services.sessions.session_ref``), so the
    audit log shows which reloads belong to which login. Best effort, like :func:`record_session_end`.
    """
    _record(engine, logins_repo.utc_now(), [], username=user.username, role=user.role or ANONYMOUS_ROLE,
            action="auth.session_restored", key=account_key(user.username),
            output={"client": client_key, "session": session_ref}, required=False)


def locked_minutes(engine: Engine, username: str, *, now: dt.datetime | None = None,
                   policy: LoginPolicy = DEFAULT_POLICY) -> int:
    """Minutes left of the lock on ``username`` (0 when it is not locked), for ``users list``.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The attempts cannot be read.
    """
    now = now or logins_repo.utc_now()
    key = account_key(username)
    rows = logins_repo.load_account_attempts(engine, key, now - max(policy.failure_window, policy.lockout))
    decision = decide(rows, [], client_key="", now=now, policy=policy)
    if decision.refusal == "locked" and decision.locked_until is not None:
        return _minutes_left(decision.locked_until, now)
    return 0


def unlock_account(engine: Engine, username: str, *, by: str) -> None:
    """Clear the failure count and any lock of ``username`` (after a password reset or re-enable).

    Args:
        engine: Product database.
        username: Login id.
        by: Who did it, for the audit log (e.g. ``"cli"``).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The database could not be written.
    """
    key = account_key(username)
    logins_repo.add_login_event(
        engine, at=logins_repo.utc_now(), attempts=((key, by, "unlock"),),
        audit={"username": username[:40], "role": "admin", "action": "auth.unlock", "input_hash": key,
               "output": {"by": by}},
    )
