"""The login cookie that keeps a session across a page reload (F5) or a pasted link (no Streamlit here).

A Streamlit session lives as long as the browser tab's websocket: a reload opens a new one and,
without this, a new anonymous session. After a login the browser therefore gets a cookie holding a
**signed token** (never the password, never personal data):

``{"u": login id, "sid": random session id, "iat": issue time (Unix seconds), "st": account stamp}``

signed with a server secret by ``itsdangerous`` (the signer Streamlit itself depends on; HMAC-SHA1
over the salted secret-derived key, constant-time comparison). A token is refused when

* its signature or shape is wrong (tampered, another server's secret);
* it is older than the idle timeout (``GOYONG_IDLE_TIMEOUT_MINUTES``): an active session gets a
  fresh token as it goes, so only an idle one runs out;
* its session id was ended (logout, idle timeout, revoked account) in this server process;
* the account's stamp (:func:`app.auth.account_stamp`: password hash, role, employer) changed or
  the account was disabled or removed since the token was issued.

The cookie itself is set by an HTTP route of the server (``components.session_cookie``), so it is
``HttpOnly`` (page scripts cannot read it) and ``SameSite=Strict``. The page never sees the token:
it gets a one-time :class:`TicketBook` ticket, valid for :data:`TICKET_SECONDS`, that the browser
exchanges for the cookie.

The secret comes from ``GOYONG_SESSION_SECRET``, else from ``session.key`` next to the accounts
file, which :func:`load_secret` creates once with a random value (mode 600, git-ignored).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from itsdangerous import BadSignature, URLSafeSerializer

from app import auth
from app.config import Settings
from app.errors import NotReady

__all__ = [
    "COOKIE_NAME", "SECRET_FILE_NAME", "TICKET_SECONDS", "SessionClaims", "SessionSecretError", "TicketBook",
    "is_revoked", "load_secret", "new_session_id", "read_session", "restore_user", "revoke", "session_ref",
    "sign_session", "tickets",
]

COOKIE_NAME: Final[str] = "goyong_session"
SECRET_FILE_NAME: Final[str] = "session.key"
TICKET_SECONDS: Final[float] = 120.0
"""How long the page has to exchange a ticket for the cookie (it does so at once; minutes allow a slow PC)."""
CLOCK_SKEW_SECONDS: Final[float] = 60.0
"""A token "issued" further in the future than this is refused (a clock set back, or a forgery)."""
_SALT: Final[str] = "goyong.session-cookie.v1"
_MIN_SECRET_CHARS: Final[int] = 32
_MAX_TOKEN_CHARS: Final[int] = 1024  # a real token has ~200; a longer cookie is not ours and is not parsed


class SessionSecretError(NotReady):
    """The signing secret cannot be read or created (Korean message names the file or the setting)."""


@dataclass(frozen=True)
class SessionClaims:
    """What a session token says (all of it is visible to whoever holds the cookie: nothing secret).

    Attributes:
        username: Login id.
        session_id: Random id of this browser login (ends with logout; the same across reloads).
        issued_at: Unix time the token was signed (a fresh token is signed as the session goes on).
        account_stamp: :func:`app.auth.account_stamp` at login (a fingerprint, not the hash itself).
    """

    username: str
    session_id: str
    issued_at: float
    account_stamp: str


def new_session_id() -> str:
    """A fresh random session id (128 bits)."""
    return secrets.token_urlsafe(16)


def session_ref(session_id: str) -> str:
    """A short one-way reference to a session id for the audit log (the id itself is never stored)."""
    return hashlib.sha256(f"goyong.session|{session_id}".encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- secret


def _secret_file(settings: Settings) -> Path:
    return Path(settings.session_secret_file or Path(settings.users_file).parent / SECRET_FILE_NAME)


def load_secret(settings: Settings) -> bytes:
    """The secret that signs session tokens: ``GOYONG_SESSION_SECRET``, else the secret file.

    The file (``session_secret_file``, default ``session.key`` next to the accounts file) is
    created with a random 256-bit secret and mode 600 the first time; two processes starting at
    once agree on one file (``O_EXCL``: the loser reads the winner's).

    Raises:
        SessionSecretError: The configured secret is too short, or the file cannot be read or written.
    """
    if settings.session_secret is not None:
        value = settings.session_secret.get_secret_value()
        if len(value) < _MIN_SECRET_CHARS:
            raise SessionSecretError(f"GOYONG_SESSION_SECRET는 {_MIN_SECRET_CHARS}자 이상이어야 합니다.")
        return value.encode("utf-8")
    return _file_secret(str(_secret_file(settings)))


@lru_cache(maxsize=4)
def _file_secret(path_text: str) -> bytes:
    path = Path(path_text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise SessionSecretError(f"로그인 유지용 비밀 키 파일을 읽거나 만들 수 없습니다: {path}") from err
    if len(value) < _MIN_SECRET_CHARS:
        raise SessionSecretError(f"로그인 유지용 비밀 키 파일이 올바르지 않습니다 ({_MIN_SECRET_CHARS}자 미만): {path}")
    return value.encode("ascii")


# --------------------------------------------------------------------------- tokens


def _serializer(secret: bytes) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def sign_session(claims: SessionClaims, secret: bytes) -> str:
    """The signed cookie value of ``claims`` (URL-safe ASCII)."""
    payload = {"u": claims.username, "sid": claims.session_id, "iat": int(claims.issued_at),
               "st": claims.account_stamp}
    return str(_serializer(secret).dumps(payload))


def read_session(token: str, secret: bytes, *, max_age: float, now: float | None = None) -> SessionClaims | None:
    """The claims of a token signed with ``secret`` and at most ``max_age`` seconds old, else ``None``.

    Args:
        token: Cookie value as the browser sent it.
        secret: The signing secret (:func:`load_secret`).
        max_age: Longest accepted age in seconds (the idle timeout).
        now: Current Unix time (tests pass one).

    Returns:
        The claims, or ``None`` for a bad signature, a malformed payload, or a token too old or
        from the future.
    """
    if not token or len(token) > _MAX_TOKEN_CHARS:
        return None
    try:
        payload = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, Mapping):
        return None
    username, session_id, issued, stamp = (payload.get(k) for k in ("u", "sid", "iat", "st"))
    if not (isinstance(username, str) and username and isinstance(session_id, str) and session_id
            and isinstance(stamp, str) and stamp and isinstance(issued, int) and not isinstance(issued, bool)):
        return None
    now = time.time() if now is None else now
    if issued > now + CLOCK_SKEW_SECONDS or now - issued > max_age:
        return None
    return SessionClaims(username, session_id, float(issued), stamp)


def restore_user(
    token: str, secret: bytes, users_file: Path, *, max_age: float, now: float | None = None
) -> tuple[auth.User, SessionClaims] | None:
    """The user a session cookie may log back in, with its claims, or ``None``.

    Refused (``None``): everything :func:`read_session` refuses, a session id ended by
    :func:`revoke`, and an account that is missing, disabled, or has another stamp than at
    login (a reset password, a changed role or employer).

    Args:
        token: Cookie value.
        secret: The signing secret.
        users_file: Accounts file.
        max_age: The idle timeout in seconds.
        now: Current Unix time (tests pass one).
    """
    claims = read_session(token, secret, max_age=max_age, now=now)
    if claims is None or is_revoked(claims.session_id):
        return None
    stamp = auth.account_stamp(claims.username, users_file)
    if stamp is None or not secrets.compare_digest(stamp, claims.account_stamp):
        return None
    user = auth.find_user(claims.username, users_file)
    return (user, claims) if user is not None else None


# --------------------------------------------------------------------------- server-side bookkeeping
# Both live in this server process: the websocket sessions and the cookie route are served by the
# same process (Streamlit runs one per server). A restart forgets them: tickets are then simply
# re-issued, and an ended session is also found in the audit log (app.services.login.session_ended,
# checked by components.auth), so its cookie stays void.

_REVOKED: dict[str, float] = {}
_REVOKED_KEEP_SECONDS: Final[float] = 24 * 3600.0  # the longest idle timeout the settings allow
_REVOKED_LOCK = threading.Lock()


def revoke(session_id: str, *, now: float | None = None) -> None:
    """End ``session_id`` for good in this process: its cookie no longer logs anybody in."""
    now = time.time() if now is None else now
    with _REVOKED_LOCK:
        for stale in [sid for sid, at in _REVOKED.items() if now - at > _REVOKED_KEEP_SECONDS]:
            del _REVOKED[stale]
        _REVOKED[session_id] = now


def is_revoked(session_id: str) -> bool:
    """Whether ``session_id`` was ended by :func:`revoke` (logout, idle timeout, revoked account)."""
    with _REVOKED_LOCK:
        return session_id in _REVOKED


class TicketBook:
    """One-time tickets the page exchanges for the cookie, so the page itself never holds the token.

    Thread-safe: tickets are issued by script threads and redeemed by the server's event loop.
    """

    def __init__(self, ttl: float = TICKET_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._open: dict[str, tuple[str, float, float]] = {}
        self._redeemed: dict[str, float] = {}

    def _purge(self, now: float) -> None:
        for ticket in [t for t, (_, at, _) in self._open.items() if now - at > self._ttl]:
            del self._open[ticket]
        for ticket in [t for t, at in self._redeemed.items() if now - at > self._ttl]:
            del self._redeemed[ticket]

    def issue(self, token: str, max_age: float, *, now: float | None = None) -> str:
        """A new ticket for ``token`` (the cookie's lifetime ``max_age`` in seconds goes with it)."""
        now = time.monotonic() if now is None else now
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            self._purge(now)
            self._open[ticket] = (token, now, max_age)
        return ticket

    def redeem(self, ticket: str, *, now: float | None = None) -> tuple[str, float] | None:
        """The token and cookie lifetime of an unused, unexpired ticket (used up now), else ``None``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._purge(now)
            entry = self._open.pop(ticket, None)
            if entry is None:
                return None
            self._redeemed[ticket] = now
        return entry[0], entry[2]

    def is_open(self, ticket: str) -> bool:
        """Whether ``ticket`` still waits for the browser (neither redeemed nor expired)."""
        with self._lock:
            self._purge(time.monotonic())
            return ticket in self._open


tickets = TicketBook()
"""The process's ticket book (the cookie route redeems what the router issues)."""
