"""Login accounts and role-based access (no Streamlit here).

Accounts live in a YAML file (``get_settings().users_file``, mode 600) that holds **bcrypt hashes
only**, one per account::

    users:
      - username: counsellor1
        display_name: 직업상담사 1
        role: counsellor
        employer_id: null
        disabled: false
        password_hash: $2b$12$...

Every account has its own password. The demo file is written by :func:`ensure_users_file` with a
fresh random password per account; the plaintexts go once to ``demo_credentials.txt`` next to it
(mode 600, git-ignored) so that nothing in the repository ever holds a password. Operators add,
reset, disable and enable accounts with ``python -m app users`` (:mod:`app.cli.users`), which goes
through :func:`add_account`, :func:`set_password` and :func:`set_disabled`: each rewrites the file
atomically under a lock. Throttling and lockout of logins live in :mod:`app.services.login`.

Who may open what is decided by one table, :data:`PAGE_ACCESS`. The router builds the navigation
from it and every page checks it again (``components.auth.require_role``), so a hidden page cannot
be opened by typing its URL either.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

import bcrypt
import yaml
from filelock import FileLock

from app.errors import InvalidInput, NotFound, NotReady

Role = Literal["employer", "counsellor", "policy", "seeker"]

ROLE_LABELS: Final[dict[str, str]] = {
    "employer": "구인기업",
    "counsellor": "직업상담사",
    "policy": "정책·운영",
    "seeker": "구직자",
}
"""Korean label of every role (also the list of valid roles)."""

_ALL_ROLES: Final[frozenset[str]] = frozenset(ROLE_LABELS)
_STAFF: Final[frozenset[str]] = frozenset({"counsellor", "policy"})
_EMPLOYER_AND_POLICY: Final[frozenset[str]] = frozenset({"employer", "policy"})
_POLICY: Final[frozenset[str]] = frozenset({"policy"})
_COUNSELLOR: Final[frozenset[str]] = frozenset({"counsellor"})
_TALENT: Final[frozenset[str]] = frozenset({"employer", "counsellor", "policy"})
_SEEKER: Final[frozenset[str]] = frozenset({"seeker"})

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
    # 인재 추천: employers search for their own postings, counsellors for any (and by sentence);
    # policy staff may demonstrate it (contact requests are sent by employers only)
    "talent": _TALENT,
    # 구직자 (job seekers): postings recommended to them, the requests sent to them, and whether they
    # are recommended at all
    "seeker_jobs": _SEEKER,
    "seeker_requests": _SEEKER,
    "seeker_privacy": _SEEKER,
    # the requests between employers and seekers (masked names): counsellors follow them up
    "talent_requests": _COUNSELLOR,
    # parts of pages: seekers are personal data, so only staff see even the pseudonymous table
    "explorer.seekers": _STAFF,
}
"""Page (or page part) id -> roles allowed. The single source of truth for navigation and guards."""

NAV_SECTIONS: Final[tuple[str, ...]] = ("공통", "구인기업", "구직·상담", "구직자", "정책·운영")
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
    PageSpec("talent", "pages/talent.py", "인재 추천", "talent", "구인기업", ":material/person_search:"),
    PageSpec(
        "employment_caseload", "pages/employment_caseload.py", "구직자 위험 현황", "caseload", "구직·상담",
        ":material/groups:",
    ),
    PageSpec(
        "employment_profile", "pages/employment_profile.py", "구직자 프로파일", "seeker-profile", "구직·상담",
        ":material/person_search:",
    ),
    PageSpec(
        "talent_requests", "pages/talent_requests.py", "채용 상담 요청 현황", "talent-requests", "구직·상담",
        ":material/forum:",
    ),
    PageSpec("seeker_jobs", "pages/seeker_jobs.py", "추천 일자리", "my-jobs", "구직자", ":material/work:"),
    PageSpec("seeker_requests", "pages/seeker_requests.py", "상담 요청함", "my-requests", "구직자", ":material/inbox:"),
    PageSpec("seeker_privacy", "pages/seeker_privacy.py", "내 정보 공개", "my-privacy", "구직자",
             ":material/visibility_off:"),
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
MIN_PASSWORD_LENGTH: Final[int] = 10
"""Shortest password ``python -m app users`` accepts (generated ones have 16 characters)."""
GENERATED_PASSWORD_BYTES: Final[int] = 12  # token_urlsafe(12): 16 characters, 96 bits of entropy
CREDENTIALS_FILE_NAME: Final[str] = "demo_credentials.txt"
USERNAME_RULE: Final[re.Pattern[str]] = re.compile(r"[a-z][a-z0-9_.-]{2,31}")
"""New login ids: 3–32 lower-case ASCII letters, digits, ``_ . -``, starting with a letter."""
DISPLAY_NAME_MAX: Final[int] = 40


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
        role: One of :data:`ROLE_LABELS`' keys.
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
class _Account:
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



# --------------------------------------------------------------------------- passwords


def _hash_password(password: str, rounds: int) -> bytes:
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


def _cost_of(accounts: Mapping[str, _Account]) -> int:
    """bcrypt cost used in the file (``$2b$12$...`` -> 12), so the dummy check costs the same."""
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


# --------------------------------------------------------------------------- accounts file


def load_accounts(users_file: Path) -> dict[str, _Account]:
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
    accounts: dict[str, _Account] = {}
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
        accounts[username] = _Account(user=user, password_hash=pw_hash.encode("ascii"), disabled=disabled)
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
    stored = account.password_hash if account is not None else _dummy_hash(_cost_of(accounts))
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


# --------------------------------------------------------------------------- changing accounts


def _entries(accounts: Mapping[str, _Account]) -> list[dict[str, Any]]:
    entries = []
    for account in accounts.values():
        entry = account.user.to_dict()
        entry["disabled"] = account.disabled
        entry["password_hash"] = account.password_hash.decode("ascii")
        entries.append(entry)
    return entries


def write_accounts(path: Path, accounts: Mapping[str, _Account]) -> None:
    """Write the accounts file atomically with mode 600 (hashes only).

    Args:
        path: Target YAML file (parent directories are created).
        accounts: Accounts by username, written in that order.
    """
    text = (
        "# goyong-ai 로그인 계정 (bcrypt 해시만 저장; 평문 비밀번호 없음). `python -m app users`로 관리합니다.\n"
        + yaml.safe_dump({"users": _entries(accounts)}, allow_unicode=True, sort_keys=False)
    )
    _write_private(Path(path), text)


def _lock(path: Path) -> FileLock:
    # One writer at a time across processes (the CLI, the server creating the demo file): a
    # read-modify-write without it could drop another process's change.
    # filelock rather than fcntl: it works on every platform the app may be run on.
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path) + ".lock", timeout=10)


def _change(path: Path, change: Callable[[dict[str, _Account]], None], *, create: bool = False) -> None:
    path = Path(path)
    with _lock(path):
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
        password: Its password (checked by :func:`check_new_password`).
        rounds: bcrypt cost.

    Raises:
        AccountError: Bad login id, role, employer id, display name or password, or the id is taken.
        UsersFileError: The existing file is malformed.
    """
    check_new_user(user)
    check_new_password(password, user.username)
    password_hash = _hash_password(password, rounds)

    def add(accounts: dict[str, _Account]) -> None:
        if user.username in accounts:
            raise AccountError(f"이미 있는 아이디입니다: {user.username}")
        accounts[user.username] = _Account(user, password_hash)

    _change(path, add, create=True)


def _require(accounts: Mapping[str, _Account], username: str) -> _Account:
    account = accounts.get(username)
    if account is None:
        raise UnknownAccountError(f"없는 계정입니다: {username}")
    return account


def set_password(path: Path, username: str, password: str, *, rounds: int | None = None) -> None:
    """Replace an account's password (its other fields stay as they are).

    Args:
        path: Accounts file.
        username: Existing login id.
        password: The new password (checked by :func:`check_new_password`).
        rounds: bcrypt cost (default: the cost the account already uses, else :data:`BCRYPT_ROUNDS`).

    Raises:
        AccountError: The password breaks a rule.
        UnknownAccountError: No such account.
        UsersFileError: The file is missing or malformed.
    """
    check_new_password(password, username)

    def reset(accounts: dict[str, _Account]) -> None:
        account = _require(accounts, username)
        cost = rounds or _cost_of({username: account})
        accounts[username] = replace(account, password_hash=_hash_password(password, cost))

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

    def toggle(accounts: dict[str, _Account]) -> None:
        nonlocal changed
        account = _require(accounts, username)
        changed = account.disabled != disabled
        accounts[username] = replace(account, disabled=disabled)

    _change(path, toggle)
    return changed


# --------------------------------------------------------------------------- demo accounts


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
    accounts = {u.username: _Account(u, _hash_password(pw, rounds)) for u, pw in zip(users, chosen, strict=True)}
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
    with _lock(path):
        if path.exists():  # another process created it (or added the seekers) while this one waited
            return _add_demo_seekers(path, seeker_ids, rounds) if seeker_ids and lacks_demo_seekers(path) else None
        users = demo_users(employer_ids, seeker_ids)
        passwords = {u.username: generate_password() for u in users}
        write_demo_users(path, passwords, employer_ids, seeker_ids=seeker_ids, rounds=rounds)
        lines = [_CREDENTIALS_HEADER, *_credential_lines(users, passwords)]
        _write_private(path.parent / CREDENTIALS_FILE_NAME, "\n".join(lines) + "\n")
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
        accounts[user.username] = _Account(user, _hash_password(passwords[user.username], rounds))
    write_accounts(path, accounts)
    credentials = path.parent / CREDENTIALS_FILE_NAME
    old = credentials.read_text(encoding="utf-8").rstrip("\n").split("\n")
    _write_private(credentials, "\n".join([*old, *_credential_lines(users, passwords)]) + "\n")
    return passwords


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with a mode-600 file holding ``text``.

    The text goes to a temporary file in the same folder (``mkstemp`` creates it with mode 600, so
    there is no moment where it is world-readable), is flushed to disk, then renamed over the target:
    a crash leaves the old file or the new one, never half of one.
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
