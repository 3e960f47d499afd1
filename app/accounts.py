"""Changing the accounts file: add an account, reset a password, disable or enable one (no Streamlit here).

Operators do this with ``python -m app users`` (:mod:`app.cli.users`), which goes through
:func:`add_account`, :func:`set_password` and :func:`set_disabled`: each reads the file
(:func:`app.auth.load_accounts`), changes it and rewrites it atomically (:func:`write_private_file`,
mode 600) under a lock (:func:`accounts_file_lock`), so two processes never drop each other's change.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

import yaml
from filelock import FileLock

from app.access import ROLE_LABELS
from app.auth import (
    BCRYPT_ROUNDS,
    AccountError,
    StoredAccount,
    UnknownAccountError,
    User,
    bcrypt_cost,
    check_new_password,
    hash_password,
    load_accounts,
)

USERNAME_RULE: Final[re.Pattern[str]] = re.compile(r"[a-z][a-z0-9_.-]{2,31}")
"""New login ids: 3–32 lower-case ASCII letters, digits, ``_ . -``, starting with a letter."""
DISPLAY_NAME_MAX: Final[int] = 40


def _entries(accounts: Mapping[str, StoredAccount]) -> list[dict[str, Any]]:
    entries = []
    for account in accounts.values():
        entry = account.user.to_dict()
        entry["disabled"] = account.disabled
        entry["password_hash"] = account.password_hash.decode("ascii")
        entries.append(entry)
    return entries


def write_accounts(path: Path, accounts: Mapping[str, StoredAccount]) -> None:
    """Write the accounts file atomically with mode 600 (hashes only).

    Args:
        path: Target YAML file (parent directories are created).
        accounts: Accounts by username, written in that order.
    """
    text = (
        "# goyong-ai 로그인 계정 (bcrypt 해시만 저장; 평문 비밀번호 없음). `python -m app users`로 관리합니다.\n"
        + yaml.safe_dump({"users": _entries(accounts)}, allow_unicode=True, sort_keys=False)
    )
    write_private_file(Path(path), text)


def accounts_file_lock(path: Path) -> FileLock:
    """The inter-process lock every read-modify-write of the accounts file holds (``<path>.lock``).

    Args:
        path: Accounts file (its folder is created).

    Returns:
        An unacquired lock (use it as a context manager; gives up after 10 seconds).
    """
    # One writer at a time across processes (the CLI, the server creating the demo file): a
    # read-modify-write without it could drop another process's change.
    # filelock rather than fcntl: it works on every platform the app may be run on.
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path) + ".lock", timeout=10)


def _change(path: Path, change: Callable[[dict[str, StoredAccount]], None], *, create: bool = False) -> None:
    path = Path(path)
    with accounts_file_lock(path):
        accounts = {} if create and not path.exists() else load_accounts(path)
        change(accounts)
        write_accounts(path, accounts)


def check_new_user(user: User) -> None:
    """Refuse a new account whose login id, role, employer id or display name breaks a rule.

    Raises:
        AccountError: The first rule broken (Korean message).
    """
    if not USERNAME_RULE.fullmatch(user.username):
        raise AccountError("아이디는 영문 소문자로 시작하는 3~32자(영문 소문자, 숫자, _ . -)여야 합니다.")
    if user.role not in ROLE_LABELS:
        raise AccountError(f"역할은 {', '.join(ROLE_LABELS)} 중 하나여야 합니다.")
    if user.role == "employer" and (user.employer_id is None or user.employer_id <= 0):
        raise AccountError("구인기업 계정에는 구인기업 ID(--employer-id)가 필요합니다.")
    if user.role != "employer" and user.employer_id is not None:
        raise AccountError("구인기업 ID는 구인기업 계정에만 지정할 수 있습니다.")
    if user.role == "seeker" and (user.seeker_id is None or user.seeker_id <= 0):
        raise AccountError("구직자 계정에는 구직자 ID(--seeker-id)가 필요합니다.")
    if user.role != "seeker" and user.seeker_id is not None:
        raise AccountError("구직자 ID는 구직자 계정에만 지정할 수 있습니다.")
    name = user.display_name
    if not name.strip() or len(name) > DISPLAY_NAME_MAX or not name.isprintable():
        raise AccountError(f"표시 이름은 1~{DISPLAY_NAME_MAX}자이고 제어 문자가 없어야 합니다.")


def add_account(path: Path, user: User, password: str, *, rounds: int = BCRYPT_ROUNDS) -> None:
    """Add an account (the file is created when missing).

    Args:
        path: Accounts file.
        user: The new account (employer accounts name an employer id the caller checked exists).
        password: Its password (checked by :func:`app.auth.check_new_password`).
        rounds: bcrypt cost.

    Raises:
        AccountError: Bad login id, role, employer id, display name or password, or the id is taken.
        UsersFileError: The existing file is malformed.
    """
    check_new_user(user)
    check_new_password(password, user.username)
    password_hash = hash_password(password, rounds)

    def add(accounts: dict[str, StoredAccount]) -> None:
        if user.username in accounts:
            raise AccountError(f"이미 있는 아이디입니다: {user.username}")
        accounts[user.username] = StoredAccount(user, password_hash)

    _change(path, add, create=True)


def _require(accounts: Mapping[str, StoredAccount], username: str) -> StoredAccount:
    account = accounts.get(username)
    if account is None:
        raise UnknownAccountError(f"없는 계정입니다: {username}")
    return account


def set_password(path: Path, username: str, password: str, *, rounds: int | None = None) -> None:
    """Replace an account's password (its other fields stay as they are).

    Args:
        path: Accounts file.
        username: Existing login id.
        password: The new password (checked by :func:`app.auth.check_new_password`).
        rounds: bcrypt cost (default: the cost the account already uses, else :data:`app.auth.BCRYPT_ROUNDS`).

    Raises:
        AccountError: The password breaks a rule.
        UnknownAccountError: No such account.
        UsersFileError: The file is missing or malformed.
    """
    check_new_password(password, username)

    def reset(accounts: dict[str, StoredAccount]) -> None:
        account = _require(accounts, username)
        cost = rounds or bcrypt_cost({username: account})
        accounts[username] = replace(account, password_hash=hash_password(password, cost))

    _change(path, reset)


def set_disabled(path: Path, username: str, disabled: bool) -> bool:
    """Disable or enable an account.

    Args:
        path: Accounts file.
        username: Existing login id.
        disabled: True to refuse its logins (and end its open sessions), False to allow them again.

    Returns:
        Whether anything changed (False when it already was in that state).

    Raises:
        UnknownAccountError: No such account.
        UsersFileError: The file is missing or malformed.
    """
    changed = False

    def toggle(accounts: dict[str, StoredAccount]) -> None:
        nonlocal changed
        account = _require(accounts, username)
        changed = account.disabled != disabled
        accounts[username] = replace(account, disabled=disabled)

    _change(path, toggle)
    return changed



def write_private_file(path: Path, text: str) -> None:
    """Replace ``path`` atomically with a mode-600 file holding ``text``.

    The text goes to a temporary file in the same folder (``mkstemp`` creates it with mode 600, so
    there is no moment where it is world-readable), is flushed to disk, then renamed over the target:
    a crash leaves the old file or the new one, never half of one.

    Args:
        path: Target file (its folder is created).
        text: The whole new content (UTF-8).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
