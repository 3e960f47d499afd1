"""Accounts file, login check and the role/page access table."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest
import yaml

from app import auth

PASSWORD = "Aa" + secrets.token_urlsafe(9)  # random per run (letters kept so .upper() differs)
ROUNDS = 4


@pytest.fixture
def users_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "users.yaml"
    auth.write_demo_users(path, PASSWORD, [11, 12, 13], rounds=ROUNDS)
    return path


def test_round_trip_returns_user_with_role_and_employer(users_yaml: Path) -> None:
    user = auth.verify_login("employer2", PASSWORD, users_yaml)
    assert user == auth.User("employer2", "구인기업 담당자 2", "employer", 12)
    staff = auth.verify_login(" counsellor1 ", PASSWORD, users_yaml)
    assert staff is not None and staff.role == "counsellor" and staff.employer_id is None
    assert auth.verify_login("policy1", PASSWORD, users_yaml).role_label == "정책·운영"


def test_six_demo_accounts(users_yaml: Path) -> None:
    accounts = auth.load_accounts(users_yaml)
    assert sorted(accounts) == sorted(
        ["employer1", "employer2", "employer3", "counsellor1", "counsellor2", "policy1"]
    )
    assert [accounts[f"employer{i}"].user.employer_id for i in (1, 2, 3)] == [11, 12, 13]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("employer1", "wrong-password"),
        ("employer1", PASSWORD.upper()),
        ("employer1", ""),
        ("nobody", PASSWORD),
        ("", PASSWORD),
        ("employer1", "x" * 200),  # longer than bcrypt's 72 bytes: refused, not an exception
    ],
)
def test_wrong_password_and_unknown_user_refused(users_yaml: Path, username: str, password: str) -> None:
    assert auth.verify_login(username, password, users_yaml) is None


def test_unknown_user_still_runs_bcrypt(users_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real = auth.bcrypt.checkpw

    def spy(secret: bytes, hashed: bytes) -> bool:
        calls.append(hashed)
        return real(secret, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", spy)
    assert auth.verify_login("nobody", PASSWORD, users_yaml) is None
    assert len(calls) == 1  # the dummy hash was checked: no early return for unknown users


def test_users_file_holds_hashes_only(users_yaml: Path) -> None:
    text = users_yaml.read_text(encoding="utf-8")
    assert PASSWORD not in text
    entries = yaml.safe_load(text)["users"]
    assert all(e["password_hash"].startswith("$2") for e in entries)
    assert len({e["password_hash"] for e in entries}) == len(entries)  # one salt per account
    assert all(set(e) == {"username", "display_name", "role", "employer_id", "password_hash"} for e in entries)
    assert stat.S_IMODE(users_yaml.stat().st_mode) == 0o600


def test_ensure_users_file_creates_once_with_credentials(tmp_path: Path) -> None:
    path = tmp_path / "config" / "users.yaml"
    password = auth.ensure_users_file(path, None, employer_ids=[1, 2, 3], rounds=ROUNDS)
    assert password and len(password) >= 12
    creds = path.parent / auth.CREDENTIALS_FILE_NAME
    assert password in creds.read_text(encoding="utf-8")
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert password not in path.read_text(encoding="utf-8")
    assert auth.verify_login("policy1", password, path) is not None
    # second call leaves everything alone
    assert auth.ensure_users_file(path, PASSWORD, employer_ids=[1, 2, 3], rounds=ROUNDS) is None
    assert auth.verify_login("policy1", password, path) is not None


def test_ensure_users_file_uses_given_password(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    assert auth.ensure_users_file(path, PASSWORD, rounds=ROUNDS) == PASSWORD
    assert auth.verify_login("counsellor2", PASSWORD, path) is not None


def test_random_passwords_differ(tmp_path: Path) -> None:
    a = auth.ensure_users_file(tmp_path / "a" / "u.yaml", None, rounds=ROUNDS)
    b = auth.ensure_users_file(tmp_path / "b" / "u.yaml", None, rounds=ROUNDS)
    assert a != b


def test_missing_or_malformed_file_raises_korean_error(tmp_path: Path) -> None:
    with pytest.raises(auth.UsersFileError, match="python -m app build"):
        auth.verify_login("policy1", PASSWORD, tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("users:\n  - username: x\n    role: admin\n    password_hash: nope\n", encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="올바르지 않습니다"):
        auth.load_accounts(bad)


def test_write_demo_users_rejects_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        auth.write_demo_users(tmp_path / "u.yaml", "", [1, 2, 3], rounds=ROUNDS)
    with pytest.raises(ValueError):
        auth.write_demo_users(tmp_path / "u.yaml", PASSWORD, [1, 2], rounds=ROUNDS)


@pytest.mark.parametrize(
    ("role", "page_id", "allowed"),
    [
        ("employer", "home", True),
        ("counsellor", "home", True),
        ("policy", "home", True),
        ("employer", "explorer", True),
        ("counsellor", "explorer", True),
        ("policy", "explorer", True),
        ("employer", "explorer.seekers", False),
        ("counsellor", "explorer.seekers", True),
        ("policy", "explorer.seekers", True),
        (None, "home", False),
        ("admin", "home", False),
        ("policy", "no-such-page", False),
    ],
)
def test_page_access_matrix(role: str | None, page_id: str, allowed: bool) -> None:
    assert auth.can_access(role, page_id) is allowed


def test_every_page_is_registered_and_navigation_follows_access() -> None:
    root = Path(__file__).resolve().parents[2]
    for spec in auth.PAGES:
        assert spec.page_id in auth.PAGE_ACCESS, spec
        assert (root / spec.path).is_file(), spec.path
        assert spec.section in auth.NAV_SECTIONS
        assert spec.url_path.isascii()
        assert spec.icon == "" or spec.icon.startswith(":material/")
    assert sum(p.default for p in auth.PAGES) == 1
    for role in auth.ROLE_LABELS:
        shown = {p.page_id for pages in auth.pages_for_role(role).values() for p in pages}
        assert shown == {p.page_id for p in auth.PAGES if auth.can_access(role, p.page_id)}
        assert all(pages for pages in auth.pages_for_role(role).values())  # empty sections hidden
    assert auth.pages_for_role(None) == {}
    assert auth.allowed_roles_label("explorer.seekers") == "직업상담사, 정책·운영"


def test_unknown_user_check_uses_the_file_bcrypt_cost(users_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Same bcrypt cost for unknown users as for real accounts, so timing does not reveal which
    # usernames exist (asserted on the hash used, not on wall-clock time, which is noisy in CI).
    seen: list[bytes] = []
    real = auth.bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda s, h: seen.append(h) or real(s, h))
    auth.verify_login("nobody", "wrong", users_yaml)
    auth.verify_login("employer1", "wrong", users_yaml)
    assert [h[:7] for h in seen] == [f"$2b${ROUNDS:02d}$".encode()] * 2
