"""Login accounts: the accounts file, its users, passwords and the login check (no Streamlit here).

Accounts live in a YAML file (``get_settings().users_file``, mode 600) that holds **bcrypt hashes
only**, one per account::

    users:
      - username: counsellor1
        display_name: 직업상담사 1
        role: counsellor
        employer_id: null
        disabled: false
        password_hash: $2b$12$...

Every account has its own password. This module reads the file (:func:`load_accounts`), checks a
login against it (:func:`check_login`, :func:`verify_login`), recognises an open session's account
(:func:`account_stamp`, :func:`find_user`) and holds the password rules and bcrypt hashing. Throttling
and lockout of logins live in :mod:`app.services.login`.

The rest of the former ``app.auth`` lives in modules of one purpose each:

* :mod:`app.access` — roles, :data:`~app.access.PAGES` and :data:`~app.access.PAGE_ACCESS` (who may
  open which page);
* :mod:`app.accounts` — changing the file: :func:`~app.accounts.add_account`,
  :func:`~app.accounts.set_password`, :func:`~app.accounts.set_disabled` (``python -m app users``), each
  rewriting it atomically under a lock;
* :mod:`app.demo_accounts` — the demo accounts and ``demo_credentials.txt``.

No names are re-exported from those modules: callers import from each name's home (``app.access``
is imported here only for :data:`~app.access.ROLE_LABELS`, which validates roles).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import bcrypt
import yaml

from app.access import ROLE_LABELS
from app.errors import InvalidInput, NotFound, NotReady

BCRYPT_ROUNDS: Final[int] = 12
_BCRYPT_MAX_BYTES: Final[int] = 72  # bcrypt 5 refuses longer secrets instead of truncating them
MIN_PASSWORD_LENGTH: Final[int] = 10
"""Shortest password ``python -m app users`` accepts (generated ones have 16 characters)."""
GENERATED_PASSWORD_BYTES: Final[int] = 12  # token_urlsafe(12): 16 characters, 96 bits of entropy


class UsersFileError(NotReady):
    """The accounts file is missing or malformed (message is Korean and names the fix)."""


class AccountError(InvalidInput):
    """A change to the accounts breaks a rule (login id, password, role, employer); nothing was written."""


class UnknownAccountError(NotFound):
    """The account to change does not exist in the accounts file."""


@dataclass(frozen=True)
class User:
    """A logged-in user (no password material).

    Attributes:
        username: Login id.
        display_name: Name shown in the UI.
        role: One of :data:`app.access.ROLE_LABELS`' keys.
        employer_id: The employer this account acts for (employers only, else ``None``).
        seeker_id: The job seeker this account is (seekers only, else ``None``).
    """

    username: str
    display_name: str
    role: str
    employer_id: int | None = None
    seeker_id: int | None = None

    @property
    def role_label(self) -> str:
        """Korean name of the role."""
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def scoped_employer_id(self) -> int | None:
        """The employer whose records this user sees and changes: their own for an employer account
        (0, which matches nothing, when the account names none: fail closed), ``None`` for staff,
        who see every employer, and for seekers, whose pages show no employer's records."""
        if self.role == "employer":
            return int(self.employer_id or 0)
        return None

    @property
    def scoped_seeker_id(self) -> int | None:
        """The seeker whose requests and choices this user sees and changes: their own for a seeker
        account (0, which matches nothing, when the account names none: fail closed), ``None`` for
        every other role."""
        if self.role == "seeker":
            return int(self.seeker_id or 0)
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> User:
        """The user of a plain dict (:meth:`to_dict`; older sessions and tests hold dicts)."""
        employer = data.get("employer_id")
        seeker = data.get("seeker_id")
        return cls(
            username=str(data.get("username") or ""),
            display_name=str(data.get("display_name") or ""),
            role=str(data.get("role") or ""),
            employer_id=int(employer) if employer not in (None, "") else None,
            seeker_id=int(seeker) if seeker not in (None, "") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for session state (``enforceSerializableSessionState`` needs picklable data).

        ``seeker_id`` is there only for seeker accounts: every other account's dict — its entry in
        the accounts file and its :func:`account_stamp` — stays as it was before seekers existed,
        so adding the role ended nobody's session.
        """
        out: dict[str, Any] = {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "employer_id": self.employer_id,
        }
        if self.seeker_id is not None:
            out["seeker_id"] = self.seeker_id
        return out


@dataclass(frozen=True)
class StoredAccount:
    """One entry of the accounts file, password hash included (never leaves the account modules).

    Attributes:
        user: The account's user.
        password_hash: Its bcrypt hash (ASCII bytes, ``$2b$<cost>$...``).
        disabled: True when the account may not log in.
    """

    user: User
    password_hash: bytes
    disabled: bool = False


@dataclass(frozen=True)
class AccountInfo:
    """One account as ``python -m app users list`` shows it (no password material).

    Attributes:
        user: The account's user.
        disabled: True when the account may not log in.
    """

    user: User
    disabled: bool


@dataclass(frozen=True)
class LoginCheck:
    """Outcome of one password check.

    Attributes:
        user: The user when the password matched an enabled account, else ``None``.
        account_exists: Whether the typed login id names an account (for the audit log only: the
            person logging in is never told).
    """

    user: User | None
    account_exists: bool



# --------------------------------------------------------------------------- passwords


def hash_password(password: str, rounds: int) -> bytes:
    """The bcrypt hash of ``password`` with a fresh salt.

    Args:
        password: The password (at most 72 bytes in UTF-8).
        rounds: bcrypt cost (:data:`BCRYPT_ROUNDS`; tests lower it).

    Returns:
        The hash as ASCII bytes.

    Raises:
        AccountError: The password is longer than bcrypt accepts.
    """
    secret = password.encode("utf-8")
    if len(secret) > _BCRYPT_MAX_BYTES:
        raise AccountError(f"비밀번호는 {_BCRYPT_MAX_BYTES}바이트 이하여야 합니다.")
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=rounds))


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    # Hash of a random secret, made once per cost: unknown usernames are checked against it so that
    # a login for a missing account costs the same bcrypt time as a wrong password (no user
    # enumeration through timing).
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=rounds))


def bcrypt_cost(accounts: Mapping[str, StoredAccount]) -> int:
    """bcrypt cost used in the file (``$2b$12$...`` -> 12), so the dummy check costs the same.

    Args:
        accounts: Accounts by username (the first hash that names its cost decides).

    Returns:
        The cost, or :data:`BCRYPT_ROUNDS` when no hash names one.
    """
    for account in accounts.values():
        parts = account.password_hash.split(b"$")
        if len(parts) > 2 and parts[2].isdigit():
            return int(parts[2])
    return BCRYPT_ROUNDS


def generate_password() -> str:
    """A fresh random password (16 URL-safe characters, 96 bits) for a new or reset account."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def check_new_password(password: str, username: str) -> None:
    """Refuse a password that is too short, too long for bcrypt, or contains the login id.

    Args:
        password: The new password.
        username: The account it is for.

    Raises:
        AccountError: The password breaks a rule (Korean message; the password is never quoted).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다.")
    if len(password.encode("utf-8")) > _BCRYPT_MAX_BYTES:
        raise AccountError(f"비밀번호는 {_BCRYPT_MAX_BYTES}바이트 이하여야 합니다 (한글은 1자에 3바이트).")
    if password != password.strip():
        raise AccountError("비밀번호 앞뒤에 공백을 넣을 수 없습니다.")
    if username and username.lower() in password.lower():
        raise AccountError("비밀번호에 아이디를 넣을 수 없습니다.")
    if len(set(password)) < 4:
        raise AccountError("비밀번호에 서로 다른 문자를 4개 이상 쓰세요.")



# --------------------------------------------------------------------------- reading the accounts file and logging in


def load_accounts(users_file: Path) -> dict[str, StoredAccount]:
    """Read and validate the accounts file.

    Args:
        users_file: YAML file written by this module (or by hand, same format).

    Returns:
        Accounts by username (disabled ones included).

    Raises:
        UsersFileError: The file is missing, unreadable or has an invalid or repeated entry.
    """
    users_file = Path(users_file)
    if not users_file.is_file():
        raise UsersFileError(
            f"계정 파일이 없습니다: {users_file}. `python -m app build`를 실행하면 데모 계정이 만들어집니다."
        )
    try:
        raw = yaml.safe_load(users_file.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise UsersFileError(f"계정 파일을 읽을 수 없습니다: {users_file} ({err.__class__.__name__})") from err
    entries = raw.get("users") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise UsersFileError(f"계정 파일 형식이 올바르지 않습니다 ('users' 목록 없음): {users_file}")
    accounts: dict[str, StoredAccount] = {}
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise UsersFileError(f"계정 파일 {i}번째 항목이 올바르지 않습니다.")
        username = str(entry.get("username", "")).strip()
        role = str(entry.get("role", ""))
        pw_hash = str(entry.get("password_hash", ""))
        employer_id = entry.get("employer_id")
        seeker_id = entry.get("seeker_id")
        disabled = entry.get("disabled", False)
        if not username or role not in ROLE_LABELS or not pw_hash.startswith("$2") or not pw_hash.isascii():
            raise UsersFileError(f"계정 파일 {i}번째 항목({username or '이름 없음'})이 올바르지 않습니다.")
        if role == "employer" and (not isinstance(employer_id, int) or isinstance(employer_id, bool)):
            raise UsersFileError(f"구인기업 계정 {username}에 employer_id가 없습니다.")
        if role == "seeker" and (not isinstance(seeker_id, int) or isinstance(seeker_id, bool)):
            raise UsersFileError(f"구직자 계정 {username}에 seeker_id가 없습니다.")
        if not isinstance(disabled, bool):
            raise UsersFileError(f"계정 {username}의 disabled 값은 true 또는 false여야 합니다.")
        if username in accounts:
            raise UsersFileError(f"계정 파일에 아이디 {username}가 두 번 있습니다.")
        user = User(
            username=username,
            display_name=str(entry.get("display_name") or username),
            role=role,
            employer_id=int(employer_id) if role == "employer" else None,
            seeker_id=int(seeker_id) if role == "seeker" else None,
        )
        accounts[username] = StoredAccount(user=user, password_hash=pw_hash.encode("ascii"), disabled=disabled)
    return accounts


def list_accounts(users_file: Path) -> list[AccountInfo]:
    """Every account in file order, without password material.

    Raises:
        UsersFileError: The file is missing or malformed.
    """
    return [AccountInfo(a.user, a.disabled) for a in load_accounts(users_file).values()]


def check_login(username: str, password: str, users_file: Path) -> LoginCheck:
    """Check a username/password pair against the accounts file.

    bcrypt runs once for every attempt — unknown usernames against a dummy hash of the file's cost,
    disabled accounts against their own hash — so response time does not reveal which accounts
    exist or are disabled.

    Args:
        username: Login id as typed (surrounding blanks ignored).
        password: Password as typed.
        users_file: Accounts file.

    Returns:
        The user (``None`` on any mismatch or for a disabled account) and whether the id exists.

    Raises:
        UsersFileError: The accounts file is missing or malformed.
    """
    accounts = load_accounts(users_file)
    account = accounts.get(username.strip())
    secret = password.encode("utf-8")
    stored = account.password_hash if account is not None else _dummy_hash(bcrypt_cost(accounts))
    exists = account is not None
    if len(secret) > _BCRYPT_MAX_BYTES:
        # bcrypt 5 raises on long secrets; still spend the bcrypt time, then refuse.
        bcrypt.checkpw(b"x", stored)
        return LoginCheck(None, exists)
    try:
        ok = bcrypt.checkpw(secret, stored)
    except ValueError:  # corrupt hash in the file: refuse rather than crash the login form
        return LoginCheck(None, exists)
    if not ok or account is None or account.disabled:
        return LoginCheck(None, exists)
    return LoginCheck(account.user, True)


def verify_login(username: str, password: str, users_file: Path) -> User | None:
    """The user of a matching username/password pair, ``None`` otherwise (see :func:`check_login`).

    Raises:
        UsersFileError: The accounts file is missing or malformed.
    """
    return check_login(username, password, users_file).user


@lru_cache(maxsize=8)
def _stamps(path: str, _mtime_ns: int, _size: int, _inode: int) -> dict[str, str]:
    # Keyed by the file's mtime, size and inode (an atomic rewrite makes a new inode), so every
    # rerun of every session does not parse the YAML again, yet an edit is seen at once.
    out = {}
    for name, account in load_accounts(Path(path)).items():
        if not account.disabled:
            material = repr(sorted(account.user.to_dict().items())).encode("utf-8") + account.password_hash
            out[name] = hashlib.sha256(material).hexdigest()[:32]
    return out


def account_stamp(username: str, users_file: Path) -> str | None:
    """A fingerprint of an enabled account's current password hash, role, employer and seeker.

    The router keeps the stamp of the login in the session and compares it on every run: a reset
    password, a disabled or removed account, or a changed role ends the session that was opened
    with the old credentials.

    Args:
        username: Login id.
        users_file: Accounts file.

    Returns:
        The stamp, or ``None`` when the account is missing or disabled, or the file is unreadable
        (fail closed).
    """
    try:
        info = Path(users_file).stat()
        return _stamps(str(users_file), info.st_mtime_ns, info.st_size, info.st_ino).get(username)
    except (OSError, UsersFileError):
        return None


def find_user(username: str, users_file: Path) -> User | None:
    """The user of an enabled account (no password check: for a session cookie already verified).

    Args:
        username: Login id.
        users_file: Accounts file.

    Returns:
        The user, or ``None`` when the account is missing or disabled, or the file is unreadable
        (fail closed).
    """
    try:
        account = load_accounts(users_file).get(username)
    except UsersFileError:
        return None
    return account.user if account is not None and not account.disabled else None

