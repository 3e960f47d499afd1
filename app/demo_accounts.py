"""The demo accounts: employer1..3, counsellor1..2, policy1 and seeker1..3 (no Streamlit here).

The demo file is written by :func:`ensure_users_file` with a fresh random password per account; the
plaintexts go once to ``demo_credentials.txt`` next to it (mode 600, git-ignored) so that nothing in
the repository ever holds a password. ``python -m app users reset-password`` (:mod:`app.accounts`)
replaces any of them later. Tests write their accounts with :func:`write_demo_users`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from app.accounts import accounts_file_lock, write_accounts, write_private_file
from app.auth import BCRYPT_ROUNDS, StoredAccount, User, UsersFileError, generate_password, hash_password, load_accounts

CREDENTIALS_FILE_NAME: Final[str] = "demo_credentials.txt"
DEMO_SEEKER_COUNT: Final[int] = 3
"""Demo seeker accounts seeker1..seeker3, each tied to a seeker of the world."""
_CREDENTIALS_HEADER: Final[str] = "# goyong-ai 데모 계정: 아이디, 비밀번호, 역할 (이 파일은 git에 올리지 마세요)"
_FIRST_DEMO_USERNAMES: Final[tuple[str, ...]] = (
    "employer1", "employer2", "employer3", "counsellor1", "counsellor2", "policy1",
)
"""The demo accounts of every demo file, also those written before seekers had accounts."""


def demo_users(employer_ids: Sequence[int], seeker_ids: Sequence[int] = ()) -> list[User]:
    """The demo accounts: employer1..3 tied to ``employer_ids``, counsellor1..2, policy1 and, when
    ``seeker_ids`` are given, seeker1..3 tied to them.

    Args:
        employer_ids: At least three employer ids of the current world.
        seeker_ids: Three seeker ids of the current world, or none (no seeker accounts).

    Returns:
        Users in a fixed order.

    Raises:
        ValueError: Fewer than three employer ids, or seeker ids but not three.
    """
    if len(employer_ids) < 3:
        raise ValueError("데모 구인기업 계정에는 구인기업 ID가 3개 필요합니다.")
    users = [
        User(f"employer{i}", f"구인기업 담당자 {i}", "employer", int(employer_ids[i - 1]))
        for i in (1, 2, 3)
    ]
    users += [User(f"counsellor{i}", f"직업상담사 {i}", "counsellor") for i in (1, 2)]
    users.append(User("policy1", "정책·운영 담당자", "policy"))
    return users + demo_seekers(seeker_ids)


def demo_seekers(seeker_ids: Sequence[int]) -> list[User]:
    """seeker1..3 tied to ``seeker_ids`` (none for an empty sequence).

    Raises:
        ValueError: Seeker ids given, but not :data:`DEMO_SEEKER_COUNT` distinct ones.
    """
    if not seeker_ids:
        return []
    if len(set(seeker_ids)) != DEMO_SEEKER_COUNT:
        raise ValueError(f"데모 구직자 계정에는 서로 다른 구직자 ID가 {DEMO_SEEKER_COUNT}개 필요합니다.")
    return [User(f"seeker{i}", f"구직자 {i}", "seeker", seeker_id=int(seeker_ids[i - 1]))
            for i in range(1, DEMO_SEEKER_COUNT + 1)]


def write_demo_users(
    path: Path,
    passwords: Mapping[str, str],
    employer_ids: Sequence[int],
    *,
    seeker_ids: Sequence[int] = (),
    rounds: int = BCRYPT_ROUNDS,
) -> None:
    """Write the demo accounts file, each account with its own password (one salt per account).

    Args:
        path: Target YAML file (parent directories are created).
        passwords: Password of every demo username (never written to ``path``).
        employer_ids: Employer ids for employer1..employer3.
        seeker_ids: Seeker ids for seeker1..seeker3 (none: no seeker accounts).
        rounds: bcrypt cost; tests lower it, production keeps the default.

    Raises:
        ValueError: A demo account has no or an empty password, two accounts share one, a password
            is over-long, fewer than three employer ids, or seeker ids but not three.
    """
    users = demo_users(employer_ids, seeker_ids)
    chosen = [passwords.get(u.username, "") for u in users]
    if not all(chosen):
        raise ValueError("모든 데모 계정에 비밀번호가 있어야 합니다.")
    if len(set(chosen)) != len(chosen):
        raise ValueError("데모 계정마다 다른 비밀번호를 써야 합니다.")
    accounts = {u.username: StoredAccount(u, hash_password(pw, rounds)) for u, pw in zip(users, chosen, strict=True)}
    write_accounts(path, accounts)


def _credential_lines(users: Sequence[User], passwords: Mapping[str, str]) -> list[str]:
    return [f"{u.username}\t{passwords[u.username]}\t{u.role_label}" for u in users]


def ensure_users_file(
    path: Path,
    *,
    employer_ids: Sequence[int] = (1, 2, 3),
    seeker_ids: Sequence[int] = (),
    rounds: int = BCRYPT_ROUNDS,
) -> dict[str, str] | None:
    """Create the demo accounts file if it does not exist yet, each account with its own random password;
    give an existing *demo* file the seeker accounts it lacks (:func:`lacks_demo_seekers`).

    The plaintexts are written once to ``demo_credentials.txt`` next to ``path`` (mode 600) so the
    operator can read them; the repository never holds them. ``python -m app users reset-password``
    replaces any of them later.

    Args:
        path: Accounts file (``get_settings().users_file``).
        employer_ids: Employer ids for employer1..employer3 (first three of the world).
        seeker_ids: Seeker ids for seeker1..seeker3 (none: no seeker accounts).
        rounds: bcrypt cost.

    Returns:
        Username -> new password of every account created (the whole file, or the seeker accounts
        added to a demo file), ``None`` when nothing was created.
    """
    path = Path(path)
    if path.exists() and not (seeker_ids and lacks_demo_seekers(path)):
        return None
    with accounts_file_lock(path):
        if path.exists():  # another process created it (or added the seekers) while this one waited
            return _add_demo_seekers(path, seeker_ids, rounds) if seeker_ids and lacks_demo_seekers(path) else None
        users = demo_users(employer_ids, seeker_ids)
        passwords = {u.username: generate_password() for u in users}
        write_demo_users(path, passwords, employer_ids, seeker_ids=seeker_ids, rounds=rounds)
        lines = [_CREDENTIALS_HEADER, *_credential_lines(users, passwords)]
        write_private_file(path.parent / CREDENTIALS_FILE_NAME, "\n".join(lines) + "\n")
    return passwords


def lacks_demo_seekers(path: Path) -> bool:
    """Whether ``path`` is a demo accounts file written before seekers had accounts.

    A demo file is recognised by what only the demo writer leaves: ``demo_credentials.txt`` beside
    it, starting with the writer's header and naming the six first demo accounts, which the
    accounts file still holds. It lacks the seekers when neither file names any seeker1..3 (so a
    seeker account an operator removed is not brought back). Any other accounts file — one made
    with ``python -m app users`` for real people, or a demo file whose credentials were deleted —
    is never touched: add seekers there with ``python -m app users add ID --role seeker --seeker-id N``.
    """
    credentials = Path(path).parent / CREDENTIALS_FILE_NAME
    try:
        text = credentials.read_text(encoding="utf-8")
        accounts = load_accounts(Path(path))
    except (OSError, UnicodeDecodeError, UsersFileError):
        return False
    lines = text.splitlines()
    if not lines or lines[0] != _CREDENTIALS_HEADER:
        return False
    listed = {line.split("\t", 1)[0] for line in lines[1:]}
    seekers = {u.username for u in demo_seekers(range(1, DEMO_SEEKER_COUNT + 1))}
    return (set(_FIRST_DEMO_USERNAMES) <= listed and set(_FIRST_DEMO_USERNAMES) <= set(accounts)
            and not seekers & (listed | set(accounts)))


def _add_demo_seekers(path: Path, seeker_ids: Sequence[int], rounds: int) -> dict[str, str]:
    """Add seeker1..3 to a demo file (called under its lock) and append their passwords to the credentials."""
    users = demo_seekers(seeker_ids)
    passwords = {u.username: generate_password() for u in users}
    accounts = load_accounts(path)
    for user in users:
        accounts[user.username] = StoredAccount(user, hash_password(passwords[user.username], rounds))
    write_accounts(path, accounts)
    credentials = path.parent / CREDENTIALS_FILE_NAME
    old = credentials.read_text(encoding="utf-8").rstrip("\n").split("\n")
    write_private_file(credentials, "\n".join([*old, *_credential_lines(users, passwords)]) + "\n")
    return passwords


