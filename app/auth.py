"""Login accounts and role-based access (no Streamlit here).

Accounts live in a YAML file (``get_settings().users_file``) that holds **bcrypt hashes only**::

    users:
      - username: counsellor1
        display_name: 직업상담사 1
        role: counsellor
        employer_id: null
        password_hash: $2b$12$...

The demo file is written by :func:`ensure_users_file`; its plaintext password goes once to
``demo_credentials.txt`` next to it (mode 600, git-ignored) so that nothing in the repository
ever holds a password.

Who may open what is decided by one table, :data:`PAGE_ACCESS`. The router builds the navigation
from it and every page checks it again (``components.auth.require_role``), so a hidden page cannot
be opened by typing its URL either.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

import bcrypt
import yaml

from app.errors import NotReady

Role = Literal["employer", "counsellor", "policy"]

ROLE_LABELS: Final[dict[str, str]] = {
    "employer": "구인기업",
    "counsellor": "직업상담사",
    "policy": "정책·운영",
}
"""Korean label of every role (also the list of valid roles)."""

_ALL_ROLES: Final[frozenset[str]] = frozenset(ROLE_LABELS)
_STAFF: Final[frozenset[str]] = frozenset({"counsellor", "policy"})
_EMPLOYER_AND_POLICY: Final[frozenset[str]] = frozenset({"employer", "policy"})
_POLICY: Final[frozenset[str]] = frozenset({"policy"})
_COUNSELLOR: Final[frozenset[str]] = frozenset({"counsellor"})

PAGE_ACCESS: Final[Mapping[str, frozenset[str]]] = {
    # pages (each has a PageSpec below)
    "home": _ALL_ROLES,
    "explorer": _ALL_ROLES,
    # AI 기본법 transparency notice: every role sees every model's card (logged-out visitors see only the
    # login page: the app has no public pages, and the people affected reach it through staff)
    "transparency": _ALL_ROLES,
    # employers see only their own postings there; policy staff see every posting
    "hiring": _EMPLOYER_AND_POLICY,
    "hiring_policy": _POLICY,
    # individual seekers' risk profiles are for counsellors only; policy staff see aggregates
    "employment_caseload": _COUNSELLOR,
    "employment_profile": _COUNSELLOR,
    "employment_policy": _POLICY,
    # job-ad verification: reviewers (policy/admin staff) work the queue and edit the rules;
    # employers check their drafts before saving (policy staff may try the checker too)
    "ad_review": _POLICY,
    "ad_rules": _POLICY,
    "ad_check": _EMPLOYER_AND_POLICY,
    # the audit log of AI outputs and command runs: policy staff only (who saw what, when)
    "audit_log": _POLICY,
    # posting assistant: employers write and save their own postings; policy staff may try it
    # (a demonstration, nothing is saved without an employer account)
    "posting_assistant": _EMPLOYER_AND_POLICY,
    # parts of pages: seekers are personal data, so only staff see even the pseudonymous table
    "explorer.seekers": _STAFF,
}
"""Page (or page part) id -> roles allowed. The single source of truth for navigation and guards."""

NAV_SECTIONS: Final[tuple[str, ...]] = ("공통", "구인기업", "구직·상담", "정책·운영")
"""Navigation sections by audience, in display order."""


@dataclass(frozen=True)
class PageSpec:
    """One navigable page. Who may open it is looked up in :data:`PAGE_ACCESS` by ``page_id``.

    Attributes:
        page_id: Key of :data:`PAGE_ACCESS` (the page calls ``require_role(page_id)`` first).
        path: Page script relative to the project root (file pages only: AppTest can reach them).
        title: Korean title in the navigation.
        url_path: URL path (ASCII, stable: e2e tests and bookmarks use it).
        section: One of :data:`NAV_SECTIONS`.
        icon: Material icon (emoji render as tofu in headless browsers).
        default: The page shown after login.
    """

    page_id: str
    path: str
    title: str
    url_path: str
    section: str
    icon: str = ""
    default: bool = False


PAGES: Final[tuple[PageSpec, ...]] = (
    PageSpec("home", "pages/home.py", "홈", "home", "공통", ":material/home:", default=True),
    PageSpec("explorer", "pages/explorer.py", "데이터 탐색기", "explorer", "공통", ":material/table_view:"),
    PageSpec("transparency", "pages/transparency.py", "AI 투명성 안내", "ai-transparency", "공통",
             ":material/verified_user:"),
    PageSpec("hiring", "pages/hiring_simulator.py", "채용 시뮬레이터", "hiring", "구인기업", ":material/tune:"),
    PageSpec(
        "hiring_policy", "pages/hiring_policy.py", "채용 위험 공고 현황", "hiring-policy", "정책·운영",
        ":material/warning:",
    ),
    PageSpec("posting_assistant", "pages/posting_assistant.py", "구인공고 AI 작성지원", "posting-assistant", "구인기업",
             ":material/edit_note:"),
    PageSpec("ad_check", "pages/ad_check.py", "공고 사전 점검", "ad-check", "구인기업", ":material/fact_check:"),
    PageSpec(
        "employment_caseload", "pages/employment_caseload.py", "구직자 위험 현황", "caseload", "구직·상담",
        ":material/groups:",
    ),
    PageSpec(
        "employment_profile", "pages/employment_profile.py", "구직자 프로파일", "seeker-profile", "구직·상담",
        ":material/person_search:",
    ),
    PageSpec(
        "employment_policy", "pages/employment_policy.py", "취업 위험도 기준·공정성", "employment-policy", "정책·운영",
        ":material/balance:",
    ),
    PageSpec("ad_review", "pages/ad_review.py", "구인광고 검증 대기열", "ad-review", "정책·운영", ":material/policy:"),
    PageSpec("ad_rules", "pages/ad_rules.py", "검증 규칙 관리", "ad-rules", "정책·운영", ":material/rule:"),
    PageSpec("audit_log", "pages/audit_log.py", "AI 감사 로그", "audit-log", "정책·운영", ":material/receipt_long:"),
)
"""Every page of the app; add new pages here and their roles to :data:`PAGE_ACCESS`."""

BCRYPT_ROUNDS: Final[int] = 12
_BCRYPT_MAX_BYTES: Final[int] = 72  # bcrypt 5 refuses longer secrets instead of truncating them
CREDENTIALS_FILE_NAME: Final[str] = "demo_credentials.txt"


class UsersFileError(NotReady):
    """The accounts file is missing or malformed (message is Korean and names the fix)."""


@dataclass(frozen=True)
class User:
    """A logged-in user (no password material).

    Attributes:
        username: Login id.
        display_name: Name shown in the UI.
        role: One of :data:`ROLE_LABELS`' keys.
        employer_id: The employer this account acts for (employers only, else ``None``).
    """

    username: str
    display_name: str
    role: str
    employer_id: int | None = None

    @property
    def role_label(self) -> str:
        """Korean name of the role."""
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def scoped_employer_id(self) -> int | None:
        """The employer whose records this user sees and changes: their own for an employer account
        (0, which matches nothing, when the account names none: fail closed), ``None`` for staff,
        who see every employer."""
        if self.role == "employer":
            return int(self.employer_id or 0)
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> User:
        """The user of a plain dict (:meth:`to_dict`; older sessions and tests hold dicts)."""
        employer = data.get("employer_id")
        return cls(
            username=str(data.get("username") or ""),
            display_name=str(data.get("display_name") or ""),
            role=str(data.get("role") or ""),
            employer_id=int(employer) if employer not in (None, "") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for session state (``enforceSerializableSessionState`` needs picklable data)."""
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "employer_id": self.employer_id,
        }


@dataclass(frozen=True)
class _Account:
    user: User
    password_hash: bytes


# --------------------------------------------------------------------------- access control


def can_access(role: str | None, page_id: str) -> bool:
    """Tell whether ``role`` may open ``page_id``.

    Unknown pages and unknown roles are refused (fail closed), so a page that forgot to register
    in :data:`PAGE_ACCESS` is never shown to anybody.

    Args:
        role: Role key such as ``"employer"`` (``None`` = not logged in).
        page_id: Key of :data:`PAGE_ACCESS`.

    Returns:
        True when the role is listed for that page.
    """
    if role is None:
        return False
    return role in PAGE_ACCESS.get(page_id, frozenset())


def pages_for_role(role: str | None) -> dict[str, list[PageSpec]]:
    """Pages ``role`` may open, grouped by navigation section (empty sections left out).

    Args:
        role: Role key (``None`` = not logged in: no pages).

    Returns:
        Section -> pages, sections in :data:`NAV_SECTIONS` order, pages in :data:`PAGES` order.
    """
    out: dict[str, list[PageSpec]] = {}
    for section in NAV_SECTIONS:
        pages = [p for p in PAGES if p.section == section and can_access(role, p.page_id)]
        if pages:
            out[section] = pages
    return out


def allowed_roles_label(page_id: str) -> str:
    """Korean list of the roles that may open ``page_id`` (e.g. ``"직업상담사·정책·운영"``)."""
    roles = PAGE_ACCESS.get(page_id, frozenset())
    # keep the ROLE_LABELS order so messages are stable
    labels = [label for key, label in ROLE_LABELS.items() if key in roles]
    return ", ".join(labels) if labels else "(없음)"


# --------------------------------------------------------------------------- accounts file


def _hash_password(password: str, rounds: int) -> bytes:
    secret = password.encode("utf-8")
    if len(secret) > _BCRYPT_MAX_BYTES:
        raise ValueError(f"비밀번호는 {_BCRYPT_MAX_BYTES}바이트 이하여야 합니다.")
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=rounds))


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    # Hash of a random secret, made once per cost: unknown usernames are checked against it so that
    # a login for a missing account costs the same bcrypt time as a wrong password (no user
    # enumeration through timing).
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=rounds))


def _cost_of(accounts: Mapping[str, _Account]) -> int:
    """bcrypt cost used in the file (``$2b$12$...`` -> 12), so the dummy check costs the same."""
    for account in accounts.values():
        parts = account.password_hash.split(b"$")
        if len(parts) > 2 and parts[2].isdigit():
            return int(parts[2])
    return BCRYPT_ROUNDS


def load_accounts(users_file: Path) -> dict[str, _Account]:
    """Read and validate the accounts file.

    Args:
        users_file: YAML file written by :func:`write_demo_users` (or by hand, same format).

    Returns:
        Accounts by username.

    Raises:
        UsersFileError: The file is missing, unreadable or has an invalid entry.
    """
    if not users_file.is_file():
        raise UsersFileError(
            f"계정 파일이 없습니다: {users_file}. `python -m app build`를 실행하면 데모 계정이 만들어집니다."
        )
    try:
        raw = yaml.safe_load(users_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise UsersFileError(f"계정 파일을 읽을 수 없습니다: {users_file} ({err.__class__.__name__})") from err
    entries = raw.get("users") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise UsersFileError(f"계정 파일 형식이 올바르지 않습니다 ('users' 목록 없음): {users_file}")
    accounts: dict[str, _Account] = {}
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise UsersFileError(f"계정 파일 {i}번째 항목이 올바르지 않습니다.")
        username = str(entry.get("username", "")).strip()
        role = str(entry.get("role", ""))
        pw_hash = str(entry.get("password_hash", ""))
        employer_id = entry.get("employer_id")
        if not username or role not in ROLE_LABELS or not pw_hash.startswith("$2"):
            raise UsersFileError(f"계정 파일 {i}번째 항목({username or '이름 없음'})이 올바르지 않습니다.")
        if role == "employer" and not isinstance(employer_id, int):
            raise UsersFileError(f"구인기업 계정 {username}에 employer_id가 없습니다.")
        user = User(
            username=username,
            display_name=str(entry.get("display_name") or username),
            role=role,
            employer_id=int(employer_id) if role == "employer" else None,
        )
        accounts[username] = _Account(user=user, password_hash=pw_hash.encode("ascii"))
    return accounts


def verify_login(username: str, password: str, users_file: Path) -> User | None:
    """Check a username/password pair against the accounts file.

    bcrypt runs for every attempt, including unknown usernames, so response time does not reveal
    which accounts exist.

    Args:
        username: Login id as typed (surrounding blanks ignored).
        password: Password as typed.
        users_file: Accounts file.

    Returns:
        The user on success, ``None`` on any mismatch.

    Raises:
        UsersFileError: The accounts file is missing or malformed.
    """
    accounts = load_accounts(users_file)
    account = accounts.get(username.strip())
    secret = password.encode("utf-8")
    stored = account.password_hash if account is not None else _dummy_hash(_cost_of(accounts))
    if len(secret) > _BCRYPT_MAX_BYTES:
        # bcrypt 5 raises on long secrets; still spend the bcrypt time, then refuse.
        bcrypt.checkpw(b"x", stored)
        return None
    try:
        ok = bcrypt.checkpw(secret, stored)
    except ValueError:  # corrupt hash in the file: refuse rather than crash the login form
        return None
    return account.user if ok and account is not None else None


def demo_users(employer_ids: Sequence[int]) -> list[User]:
    """The six demo accounts (employer1..3 tied to ``employer_ids``, counsellor1..2, policy1).

    Args:
        employer_ids: At least three employer ids of the current world.

    Returns:
        Users in a fixed order.

    Raises:
        ValueError: Fewer than three employer ids.
    """
    if len(employer_ids) < 3:
        raise ValueError("데모 구인기업 계정에는 구인기업 ID가 3개 필요합니다.")
    users = [
        User(f"employer{i}", f"구인기업 담당자 {i}", "employer", int(employer_ids[i - 1]))
        for i in (1, 2, 3)
    ]
    users += [User(f"counsellor{i}", f"직업상담사 {i}", "counsellor") for i in (1, 2)]
    users.append(User("policy1", "정책·운영 담당자", "policy"))
    return users


def write_demo_users(
    path: Path, password: str, employer_ids: Sequence[int], *, rounds: int = BCRYPT_ROUNDS
) -> None:
    """Write the demo accounts file with bcrypt hashes of ``password`` (one salt per account).

    Args:
        path: Target YAML file (parent directories are created).
        password: The shared demo password (never written to ``path``).
        employer_ids: Employer ids for employer1..employer3.
        rounds: bcrypt cost; tests lower it, production keeps the default.

    Raises:
        ValueError: Empty or over-long password, or fewer than three employer ids.
    """
    if not password:
        raise ValueError("데모 비밀번호가 비어 있습니다.")
    entries = []
    for user in demo_users(employer_ids):
        entry = user.to_dict()
        entry["password_hash"] = _hash_password(password, rounds).decode("ascii")
        entries.append(entry)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# goyong-ai 로그인 계정 (bcrypt 해시만 저장; 평문 비밀번호 없음)\n"
        + yaml.safe_dump({"users": entries}, allow_unicode=True, sort_keys=False)
    )
    _write_private(path, text)


def ensure_users_file(
    path: Path,
    password_env: str | None,
    *,
    employer_ids: Sequence[int] = (1, 2, 3),
    rounds: int = BCRYPT_ROUNDS,
) -> str | None:
    """Create the demo accounts file if it does not exist yet.

    The password is ``password_env`` (the value of ``GOYONG_DEMO_PASSWORD`` read through
    ``app.config``) or, when that is empty, a fresh random ``secrets.token_urlsafe(9)``. The
    plaintext is written once to ``demo_credentials.txt`` next to ``path`` (mode 600) so the
    operator can read it; the repository never holds it.

    Args:
        path: Accounts file (``get_settings().users_file``).
        password_env: Demo password from the settings, or ``None`` for a random one.
        employer_ids: Employer ids for employer1..employer3 (first three of the world).
        rounds: bcrypt cost.

    Returns:
        The new password when the file was created, ``None`` when it already existed.
    """
    path = Path(path)
    if path.exists():
        return None
    password = password_env or secrets.token_urlsafe(9)
    write_demo_users(path, password, employer_ids, rounds=rounds)
    lines = ["# goyong-ai 데모 계정 (이 파일은 git에 올리지 마세요)"]
    lines += [f"{u.username}\t{password}\t{u.role_label}" for u in demo_users(employer_ids)]
    _write_private(path.parent / CREDENTIALS_FILE_NAME, "\n".join(lines) + "\n")
    return password


def _write_private(path: Path, text: str) -> None:
    # Create with mode 600 from the start (no window where the file is world-readable).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)  # O_CREAT's mode is ignored when the file already existed
