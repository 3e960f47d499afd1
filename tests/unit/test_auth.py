"""Accounts file, login check, changing accounts, demo accounts and the role/page access table
(:mod:`app.auth`, :mod:`app.accounts`, :mod:`app.demo_accounts`, :mod:`app.access`)."""

from __future__ import annotations

import dataclasses
import secrets
import stat
from pathlib import Path

import pytest
import yaml

from app import access, accounts, auth, demo_accounts

NAMES = ("employer1", "employer2", "employer3", "counsellor1", "counsellor2", "policy1")
PASSWORDS = {name: "Aa" + secrets.token_urlsafe(9) for name in NAMES}  # random per run (letters kept so .upper() differs)
PASSWORD = PASSWORDS["employer1"]
ROUNDS = 4


@pytest.fixture
def users_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "users.yaml"
    demo_accounts.write_demo_users(path, PASSWORDS, [11, 12, 13], rounds=ROUNDS)
    return path


def test_round_trip_returns_user_with_role_and_employer(users_yaml: Path) -> None:
    user = auth.verify_login("employer2", PASSWORDS["employer2"], users_yaml)
    assert user == auth.User("employer2", "구인기업 담당자 2", "employer", 12)
    staff = auth.verify_login(" counsellor1 ", PASSWORDS["counsellor1"], users_yaml)
    assert staff is not None and staff.role == "counsellor" and staff.employer_id is None
    assert auth.verify_login("policy1", PASSWORDS["policy1"], users_yaml).role_label == "정책·운영"


def test_each_account_has_its_own_password(users_yaml: Path) -> None:
    # the bug: one shared password let an employer log in as policy staff
    assert auth.verify_login("policy1", PASSWORDS["employer1"], users_yaml) is None
    assert auth.verify_login("employer1", PASSWORDS["policy1"], users_yaml) is None


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
        ("employer1", PASSWORDS["employer2"]),
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
    assert all(password not in text for password in PASSWORDS.values())
    entries = yaml.safe_load(text)["users"]
    assert all(e["password_hash"].startswith("$2") for e in entries)
    assert len({e["password_hash"] for e in entries}) == len(entries)  # one salt per account
    assert all(set(e) == {"username", "display_name", "role", "employer_id", "disabled", "password_hash"} for e in entries)
    assert not any(e["disabled"] for e in entries)
    assert stat.S_IMODE(users_yaml.stat().st_mode) == 0o600


def test_ensure_users_file_creates_once_with_one_password_per_account(tmp_path: Path) -> None:
    path = tmp_path / "config" / "users.yaml"
    passwords = demo_accounts.ensure_users_file(path, employer_ids=[1, 2, 3], rounds=ROUNDS)
    assert passwords is not None and sorted(passwords) == sorted(NAMES)
    assert len(set(passwords.values())) == 6 and all(len(p) >= 16 for p in passwords.values())
    creds = path.parent / demo_accounts.CREDENTIALS_FILE_NAME
    lines = creds.read_text(encoding="utf-8").splitlines()[1:]
    assert {line.split("\t")[0]: line.split("\t")[1] for line in lines} == passwords
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(p not in path.read_text(encoding="utf-8") for p in passwords.values())
    for name, password in passwords.items():
        assert auth.verify_login(name, password, path).username == name
    assert auth.verify_login("employer1", passwords["policy1"], path) is None
    # second call leaves everything alone
    assert demo_accounts.ensure_users_file(path, employer_ids=[1, 2, 3], rounds=ROUNDS) is None
    assert auth.verify_login("policy1", passwords["policy1"], path) is not None


def test_random_passwords_differ(tmp_path: Path) -> None:
    a = demo_accounts.ensure_users_file(tmp_path / "a" / "u.yaml", rounds=ROUNDS)
    b = demo_accounts.ensure_users_file(tmp_path / "b" / "u.yaml", rounds=ROUNDS)
    assert a is not None and b is not None and not set(a.values()) & set(b.values())


def test_missing_or_malformed_file_raises_korean_error(tmp_path: Path) -> None:
    with pytest.raises(auth.UsersFileError, match="python -m app build"):
        auth.verify_login("policy1", PASSWORD, tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("users:\n  - username: x\n    role: admin\n    password_hash: nope\n", encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="올바르지 않습니다"):
        auth.load_accounts(bad)


def test_write_demo_users_rejects_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        demo_accounts.write_demo_users(tmp_path / "u.yaml", {**PASSWORDS, "policy1": ""}, [1, 2, 3], rounds=ROUNDS)
    with pytest.raises(ValueError, match="다른 비밀번호"):
        demo_accounts.write_demo_users(tmp_path / "u.yaml", dict.fromkeys(NAMES, PASSWORD), [1, 2, 3], rounds=ROUNDS)
    with pytest.raises(ValueError):
        demo_accounts.write_demo_users(tmp_path / "u.yaml", PASSWORDS, [1, 2], rounds=ROUNDS)
    assert not (tmp_path / "u.yaml").exists()


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
        ("seeker", "home", True),
        ("seeker", "explorer", True),
        ("seeker", "transparency", True),
        ("seeker", "explorer.seekers", False),
        ("seeker", "seeker_requests", True),
        ("seeker", "seeker_privacy", True),
        ("employer", "seeker_requests", False),
        ("counsellor", "seeker_privacy", False),
        ("policy", "seeker_requests", False),
        ("counsellor", "talent_requests", True),
        ("employer", "talent_requests", False),
        ("policy", "talent_requests", False),
        ("seeker", "talent_requests", False),
        # 상담 지원: counsellors prepare a seeker; a seeker sees only their own simplified page
        ("counsellor", "copilot", True),
        ("seeker", "copilot", False),
        ("employer", "copilot", False),
        ("policy", "copilot", False),
        ("seeker", "seeker_copilot", True),
        ("counsellor", "seeker_copilot", False),
        ("employer", "seeker_copilot", False),
        ("policy", "seeker_copilot", False),
        # 서비스 이용 병목: policy staff only
        ("policy", "service_bottlenecks", True),
        ("counsellor", "service_bottlenecks", False),
        ("employer", "service_bottlenecks", False),
        ("seeker", "service_bottlenecks", False),
        # 성과·모델 모니터링: policy staff only
        ("policy", "monitoring", True),
        ("counsellor", "monitoring", False),
        ("employer", "monitoring", False),
        ("seeker", "monitoring", False),
        # 자격증 가치: policy staff and counsellors
        ("policy", "certificate_value", True),
        ("counsellor", "certificate_value", True),
        ("employer", "certificate_value", False),
        ("seeker", "certificate_value", False),
        # 토픽 분석 (issue 19): policy staff only
        ("policy", "topics", True),
        ("counsellor", "topics", False),
        ("employer", "topics", False),
        ("seeker", "topics", False),
        (None, "home", False),
        ("admin", "home", False),
        ("policy", "no-such-page", False),
    ],
)
def test_page_access_matrix(role: str | None, page_id: str, allowed: bool) -> None:
    assert access.can_access(role, page_id) is allowed


def test_every_page_is_registered_and_navigation_follows_access() -> None:
    root = Path(__file__).resolve().parents[2]
    for spec in access.PAGES:
        assert spec.page_id in access.PAGE_ACCESS, spec
        assert (root / spec.path).is_file(), spec.path
        assert spec.section in access.NAV_SECTIONS
        assert spec.url_path.isascii()
        assert spec.icon == "" or spec.icon.startswith(":material/")
    assert sum(p.default for p in access.PAGES) == 1
    for role in access.ROLE_LABELS:
        shown = {p.page_id for pages in access.pages_for_role(role).values() for p in pages}
        assert shown == {p.page_id for p in access.PAGES if access.can_access(role, p.page_id)}
        assert all(pages for pages in access.pages_for_role(role).values())  # empty sections hidden
    assert access.pages_for_role(None) == {}
    assert access.allowed_roles_label("explorer.seekers") == "직업상담사, 정책·운영"
    assert access.allowed_roles_label("seeker_requests") == "구직자"


# every page that existed before the seeker role: none of them serves seekers but the common three
_COMMON = {"home", "explorer", "transparency"}


def test_seekers_open_only_the_common_pages_and_their_own() -> None:
    for spec in access.PAGES:
        allowed = access.can_access("seeker", spec.page_id)
        assert allowed is (spec.page_id in _COMMON or spec.section == "구직자"), spec.page_id
    sections = access.pages_for_role("seeker")
    assert list(sections) == ["공통", "구직자"]
    assert [p.title for p in sections["구직자"]] == ["추천 일자리", "상담 요청함", "내 정보 공개", "직업흥미검사",
                                                "나에게 맞는 훈련", "자기소개서·경력 설계"]
    # counsellors administer the interest test to a seeker; every other seeker page is the seeker's alone
    assert all(not access.can_access(role, p.page_id) for role in ("employer", "counsellor", "policy")
               for p in sections["구직자"] if p.page_id != "interest_test")
    assert access.allowed_roles_label("interest_test") == "직업상담사, 구직자"


def test_seeker_accounts_are_scoped_to_their_seeker_and_fail_closed() -> None:
    seeker = auth.User("s", "구직자", "seeker", seeker_id=42)
    assert (seeker.scoped_seeker_id, seeker.scoped_employer_id) == (42, None)
    assert auth.User("s", "구직자", "seeker").scoped_seeker_id == 0  # names no seeker: matches nothing
    assert auth.User("e", "기업", "employer", 7).scoped_seeker_id is None
    assert auth.User.from_dict(seeker.to_dict()) == seeker
    # accounts without a seeker keep the dict (and so the stamp) they had before the role existed
    assert "seeker_id" not in auth.User("c", "상담사", "counsellor").to_dict()
    with pytest.raises(auth.AccountError, match="--seeker-id"):
        accounts.check_new_user(auth.User("seeker9", "구직자", "seeker"))
    with pytest.raises(auth.AccountError, match="구직자 계정에만"):
        accounts.check_new_user(auth.User("policy9", "정책", "policy", seeker_id=3))


def test_demo_seekers_are_written_and_log_in(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    passwords = {**PASSWORDS, **{f"seeker{i}": f"Seeker-pass-{i}{i}{i}" for i in (1, 2, 3)}}
    demo_accounts.write_demo_users(path, passwords, [11, 12, 13], seeker_ids=[101, 102, 103], rounds=ROUNDS)
    user = auth.verify_login("seeker2", passwords["seeker2"], path)
    assert user == auth.User("seeker2", "구직자 2", "seeker", seeker_id=102)
    entry = next(e for e in yaml.safe_load(path.read_text(encoding="utf-8"))["users"] if e["username"] == "seeker2")
    assert entry["seeker_id"] == 102 and entry["employer_id"] is None
    with pytest.raises(ValueError, match="구직자 ID"):
        demo_accounts.write_demo_users(path, passwords, [11, 12, 13], seeker_ids=[101, 101, 103], rounds=ROUNDS)
    broken = path.read_text(encoding="utf-8").replace("seeker_id: 102", "seeker_id: null")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="seeker_id"):
        auth.load_accounts(path)


def test_a_seeker_account_tied_to_another_seeker_gets_a_new_stamp(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    accounts.add_account(path, auth.User("seekera", "구직자", "seeker", seeker_id=5), "Seeker-pass-55", rounds=ROUNDS)
    before = auth.account_stamp("seekera", path)
    stored = auth.load_accounts(path)
    stored["seekera"] = dataclasses.replace(stored["seekera"], user=auth.User("seekera", "구직자", "seeker", seeker_id=6))
    accounts.write_accounts(path, stored)
    assert before is not None and auth.account_stamp("seekera", path) not in (None, before)  # old sessions end
    assert auth.find_user("seekera", path).scoped_seeker_id == 6


def test_a_demo_file_made_before_seekers_gains_them_once(tmp_path: Path) -> None:
    path = tmp_path / "config" / "users.yaml"
    first = demo_accounts.ensure_users_file(path, employer_ids=[1, 2, 3], rounds=ROUNDS)  # the old demo file
    assert first is not None and sorted(first) == sorted(NAMES)
    stamps = {name: auth.account_stamp(name, path) for name in NAMES}
    assert demo_accounts.lacks_demo_seekers(path)
    added = demo_accounts.ensure_users_file(path, employer_ids=[1, 2, 3], seeker_ids=[7, 8, 9], rounds=ROUNDS)
    assert added is not None and sorted(added) == ["seeker1", "seeker2", "seeker3"]
    assert auth.verify_login("seeker3", added["seeker3"], path).scoped_seeker_id == 9
    assert all(auth.account_stamp(name, path) == stamps[name] for name in NAMES)  # nobody logged out
    creds = (path.parent / demo_accounts.CREDENTIALS_FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert {line.split("\t")[0]: line.split("\t")[1] for line in creds[1:]} == {**first, **added}
    assert stat.S_IMODE((path.parent / demo_accounts.CREDENTIALS_FILE_NAME).stat().st_mode) == 0o600
    assert not demo_accounts.lacks_demo_seekers(path)
    assert demo_accounts.ensure_users_file(path, employer_ids=[1, 2, 3], seeker_ids=[7, 8, 9], rounds=ROUNDS) is None


def test_seekers_are_not_added_to_a_file_the_demo_writer_did_not_make(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    demo_accounts.write_demo_users(path, PASSWORDS, [1, 2, 3], rounds=ROUNDS)  # no demo_credentials.txt beside it
    before = path.read_bytes()
    assert not demo_accounts.lacks_demo_seekers(path)
    assert demo_accounts.ensure_users_file(path, seeker_ids=[7, 8, 9], rounds=ROUNDS) is None
    assert path.read_bytes() == before
    # a demo file whose operator removed seeker1 keeps it removed
    demo = tmp_path / "demo" / "users.yaml"
    demo_accounts.ensure_users_file(demo, seeker_ids=[7, 8, 9], rounds=ROUNDS)
    stored = auth.load_accounts(demo)
    del stored["seeker1"]
    accounts.write_accounts(demo, stored)
    assert not demo_accounts.lacks_demo_seekers(demo)


def test_unknown_user_check_uses_the_file_bcrypt_cost(users_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Same bcrypt cost for unknown users as for real accounts, so timing does not reveal which
    # usernames exist (asserted on the hash used, not on wall-clock time, which is noisy in CI).
    seen: list[bytes] = []
    real = auth.bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda s, h: seen.append(h) or real(s, h))
    auth.verify_login("nobody", "wrong", users_yaml)
    auth.verify_login("employer1", "wrong", users_yaml)
    assert [h[:7] for h in seen] == [f"$2b${ROUNDS:02d}$".encode()] * 2


# --------------------------------------------------------------------------- changing accounts


def test_disabled_account_is_refused_after_the_same_bcrypt_work(users_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert accounts.set_disabled(users_yaml, "counsellor2", True) is True
    assert accounts.set_disabled(users_yaml, "counsellor2", True) is False  # already disabled
    seen: list[bytes] = []
    real = auth.bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda s, h: seen.append(h) or real(s, h))
    check = auth.check_login("counsellor2", PASSWORDS["counsellor2"], users_yaml)
    assert check == auth.LoginCheck(None, True) and len(seen) == 1
    assert auth.account_stamp("counsellor2", users_yaml) is None
    assert accounts.set_disabled(users_yaml, "counsellor2", False) is True
    assert auth.verify_login("counsellor2", PASSWORDS["counsellor2"], users_yaml) is not None


def test_add_and_reset_rewrite_the_file_atomically_with_mode_600(users_yaml: Path) -> None:
    before = auth.account_stamp("policy1", users_yaml)
    accounts.add_account(users_yaml, auth.User("policy2", "정책 담당 2", "policy"), "Policy-two-pass", rounds=ROUNDS)
    assert auth.verify_login("policy2", "Policy-two-pass", users_yaml).role == "policy"
    accounts.set_password(users_yaml, "policy1", "Another-pass-99")
    assert auth.verify_login("policy1", PASSWORDS["policy1"], users_yaml) is None
    assert auth.verify_login("policy1", "Another-pass-99", users_yaml) is not None
    assert auth.account_stamp("policy1", users_yaml) not in (None, before)  # open sessions end
    assert auth.account_stamp("employer1", users_yaml) is not None
    assert stat.S_IMODE(users_yaml.stat().st_mode) == 0o600
    assert [p.name for p in users_yaml.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert len(auth.list_accounts(users_yaml)) == 7


@pytest.mark.parametrize(
    ("user", "password", "message"),
    [
        (auth.User("Bad Name", "x", "policy"), "Long-enough-1", "아이디는"),
        (auth.User("ok_name", "x", "admin"), "Long-enough-1", "역할은"),
        (auth.User("emp9", "x", "employer"), "Long-enough-1", "구인기업 ID"),
        (auth.User("staff9", "x", "counsellor", 5), "Long-enough-1", "구인기업 계정에만"),
        (auth.User("staff9", "x" * 41, "counsellor"), "Long-enough-1", "표시 이름"),
        (auth.User("staff9", "x", "counsellor"), "short", "10자 이상"),
        (auth.User("staff9", "x", "counsellor"), "staff9-password", "아이디를"),
        (auth.User("staff9", "x", "counsellor"), "aaaaaaaaaaaa", "4개 이상"),
        (auth.User("staff9", "x", "counsellor"), "가" * 25, "72바이트"),
        (auth.User("policy1", "x", "policy"), "Long-enough-1", "이미 있는"),
    ],
)
def test_bad_new_accounts_change_nothing(users_yaml: Path, user: auth.User, password: str, message: str) -> None:
    before = users_yaml.read_bytes()
    with pytest.raises(auth.AccountError, match=message) as info:
        accounts.add_account(users_yaml, user, password, rounds=ROUNDS)
    assert password not in str(info.value)
    assert users_yaml.read_bytes() == before


def test_unknown_account_cannot_be_reset_or_disabled(users_yaml: Path) -> None:
    with pytest.raises(auth.UnknownAccountError):
        accounts.set_password(users_yaml, "ghost", "Long-enough-1")
    with pytest.raises(auth.UnknownAccountError):
        accounts.set_disabled(users_yaml, "ghost", True)


def test_repeated_username_or_bad_disabled_value_is_a_file_error(tmp_path: Path, users_yaml: Path) -> None:
    entries = yaml.safe_load(users_yaml.read_text(encoding="utf-8"))["users"]
    twice = tmp_path / "twice.yaml"
    twice.write_text(yaml.safe_dump({"users": [entries[0], entries[0]]}), encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="두 번"):
        auth.load_accounts(twice)
    odd = tmp_path / "odd.yaml"
    odd.write_text(yaml.safe_dump({"users": [{**entries[3], "disabled": "yes"}]}), encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="disabled"):
        auth.load_accounts(odd)
