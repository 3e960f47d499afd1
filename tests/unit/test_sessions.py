"""The login cookie's token: signing, expiry, tampering, revoked sessions and accounts, the secret
file and the one-time tickets (app/services/sessions.py)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer

from app import accounts, auth
from app.config import Settings
from app.services import sessions
from app.services.sessions import SessionClaims, TicketBook
from tests.conftest import DEMO_PASSWORDS

SECRET = b"x" * 40
NOW = 1_800_000_000.0
THIRTY_MINUTES = 30 * 60.0


def _claims(username: str = "counsellor1", stamp: str = "stamp", issued: float = NOW, sid: str = "sid-1") -> SessionClaims:
    return SessionClaims(username, sid, issued, stamp)


def _payload(token: str) -> dict[str, object]:
    # what anybody holding the cookie can read without the secret (the payload is signed, not encrypted)
    _, payload = URLSafeSerializer(b"not-the-secret").loads_unsafe(token)
    return dict(payload)


def test_token_round_trip_holds_only_id_session_time_and_stamp() -> None:
    token = sessions.sign_session(_claims(), SECRET)
    assert token.isascii() and ";" not in token and " " not in token  # a valid cookie value as it is
    assert sessions.read_session(token, SECRET, max_age=THIRTY_MINUTES, now=NOW + 60) == _claims()
    # nothing but the four claims is in the (readable, signed) payload: no password, no name, no role
    assert set(_payload(token)) == {"u", "sid", "iat", "st"}


@pytest.mark.parametrize(("age", "accepted"), [(0, True), (THIRTY_MINUTES - 1, True), (THIRTY_MINUTES + 1, False),
                                               (-30, True), (-3600, False)])
def test_token_expires_with_the_idle_timeout(age: float, accepted: bool) -> None:
    token = sessions.sign_session(_claims(), SECRET)
    claims = sessions.read_session(token, SECRET, max_age=THIRTY_MINUTES, now=NOW + age)
    assert (claims is not None) is accepted  # negative age: issued in the future (beyond the skew: refused)


def test_tampered_or_foreign_tokens_are_refused() -> None:
    token = sessions.sign_session(_claims(), SECRET)
    body, signature = token.rsplit(".", 1)
    forged = URLSafeSerializer(SECRET).dump_payload({**_payload(token), "u": "policy1"}).decode()
    for bad in (
        f"{forged}.{signature}",  # another user with the old signature
        f"{body}.{signature[:-2]}xx",  # a changed signature
        sessions.sign_session(_claims(), b"y" * 40),  # another server's secret
        "", "garbage", "a" * 5000,
    ):
        assert sessions.read_session(bad, SECRET, max_age=THIRTY_MINUTES, now=NOW) is None, bad


def test_a_revoked_session_id_no_longer_restores(users_file: Path) -> None:
    stamp = auth.account_stamp("counsellor1", users_file)
    assert stamp
    sid = sessions.new_session_id()
    token = sessions.sign_session(_claims(stamp=stamp, sid=sid, issued=NOW), SECRET)
    restored = sessions.restore_user(token, SECRET, users_file, max_age=THIRTY_MINUTES, now=NOW + 5)
    assert restored is not None
    user, claims = restored
    assert user.username == "counsellor1" and user.role == "counsellor" and claims.session_id == sid
    sessions.revoke(sid)
    assert sessions.is_revoked(sid)
    assert sessions.restore_user(token, SECRET, users_file, max_age=THIRTY_MINUTES, now=NOW + 5) is None


def test_reset_password_or_disabled_account_refuses_the_cookie(users_file: Path, tmp_path: Path) -> None:
    private = tmp_path / "users.yaml"
    shutil.copy(users_file, private)
    tokens = {}
    for name in ("employer1", "counsellor2"):
        stamp = auth.account_stamp(name, private)
        assert stamp
        tokens[name] = sessions.sign_session(_claims(name, stamp, sid=sessions.new_session_id()), SECRET)
        assert sessions.restore_user(tokens[name], SECRET, private, max_age=THIRTY_MINUTES, now=NOW) is not None
    accounts.set_password(private, "employer1", DEMO_PASSWORDS["employer1"] + "-new", rounds=4)
    accounts.set_disabled(private, "counsellor2", True)
    for token in tokens.values():
        assert sessions.restore_user(token, SECRET, private, max_age=THIRTY_MINUTES, now=NOW) is None
    # a stamp that does not match (a forged or stale one) is refused even with a valid signature
    forged = sessions.sign_session(_claims("policy1", "0" * 32), SECRET)
    assert sessions.restore_user(forged, SECRET, private, max_age=THIRTY_MINUTES, now=NOW) is None


def test_secret_file_is_made_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(users_file=tmp_path / "cfg" / "users.yaml")
    first = sessions.load_secret(settings)
    path = tmp_path / "cfg" / sessions.SECRET_FILE_NAME
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    sessions._file_secret.cache_clear()
    assert sessions.load_secret(settings) == first  # read back, not replaced


def test_configured_secret_wins_and_must_be_long(tmp_path: Path) -> None:
    good = Settings(users_file=tmp_path / "u.yaml", session_secret="s" * 40)
    assert sessions.load_secret(good) == b"s" * 40
    assert not (tmp_path / sessions.SECRET_FILE_NAME).exists()
    with pytest.raises(sessions.SessionSecretError) as err:
        sessions.load_secret(Settings(users_file=tmp_path / "u.yaml", session_secret="short"))
    assert "32자" in err.value.user_message


def test_tickets_are_good_once_and_expire() -> None:
    book = TicketBook(ttl=120)
    ticket = book.issue("token-a", 1800, now=0.0)
    assert book.redeem(ticket, now=10.0) == ("token-a", 1800)
    assert book.redeem(ticket, now=11.0) is None  # used up
    late = book.issue("token-b", 1800, now=0.0)
    assert book.redeem(late, now=121.0) is None  # expired
    assert book.redeem("unknown", now=1.0) is None


def test_session_ref_is_one_way_and_stable() -> None:
    sid = sessions.new_session_id()
    assert sessions.session_ref(sid) == sessions.session_ref(sid)
    assert sid not in sessions.session_ref(sid) and len(sessions.session_ref(sid)) == 16
    assert sessions.new_session_id() != sid
