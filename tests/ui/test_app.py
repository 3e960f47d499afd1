"""The router: login gate, login through the form, role-filtered navigation, logout that clears the
session, throttling and lockout of failed logins, idle timeout, revoked accounts."""

from __future__ import annotations

import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import accounts, auth
from app.auth import User
from app.config import get_settings
from app.db.engine import make_engine
from app.services import login
from tests.conftest import DEMO_PASSWORDS, copy_world_database
from tests.ui.helpers import TIMEOUT, db_rows, texts

APP = "../../streamlit_app.py"


@pytest.fixture(autouse=True)
def _navigation_v2_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep AppTest in st.navigation mode on every run, as the real server is.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first
    ``st.navigation`` call flips ``PagesManager.uses_pages_directory`` to False. A server keeps that
    class flag for its lifetime, but AppTest resets it before every run, so from the second run on
    it would execute the page file directly, skipping the router. Pin the flag after each reset.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def login_db(app_env: None, world_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the world database: these tests write login attempts, locks and audit rows
    that must not leak into other tests (a locked policy1 would fail them). Yields its URL."""
    url = f"sqlite:///{copy_world_database(world_url, tmp_path / 'login.db')}"
    monkeypatch.setenv("GOYONG_DB_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _logged_out() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT).run()


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth.login.username").input(username)
    at.text_input(key="auth.login.password").input(password)
    return at.button[0].click().run()


def _state(at: AppTest) -> dict[str, object]:
    """Every session-state key and value of the AppTest's session (widget values included)."""
    return dict(at.session_state.to_dict())


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _private_users_file(monkeypatch: pytest.MonkeyPatch, users_file: Path, tmp_path: Path) -> Path:
    """A copy of the session's accounts file that a test may change (disable, reset)."""
    path = tmp_path / "private" / "users.yaml"
    path.parent.mkdir()
    shutil.copy(users_file, path)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(path))
    get_settings.cache_clear()
    return path


def test_logged_out_shows_login_form(app_env: None) -> None:
    at = _logged_out()
    assert not at.exception
    assert [t.value for t in at.title] == ["고용AI 워크벤치"]
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]
    assert at.text_input(key="auth.login.password").proto.type == at.text_input(key="auth.login.password").proto.PASSWORD
    assert [b.label for b in at.button] == ["로그인"]
    assert "auth.user" not in at.session_state
    assert not at.metric  # nothing of the app leaks before login


@pytest.mark.parametrize(
    ("username", "role", "display"),
    [("employer1", "employer", "구인기업 담당자 1"), ("counsellor1", "counsellor", "직업상담사 1"), ("policy1", "policy", "정책·운영 담당자"),
     ("seeker1", "seeker", "구직자 1")],
)
def test_login_through_form(login_db: str, username: str, role: str, display: str) -> None:
    at = _login(_logged_out(), username, DEMO_PASSWORDS[username])
    assert not at.exception
    user = at.session_state["auth.user"]
    assert isinstance(user, User) and user.username == username and user.role == role
    assert DEMO_PASSWORDS[username] not in [v for v in _state(at).values() if isinstance(v, str)]  # not kept
    assert [t.value for t in at.title] == ["고용AI 워크벤치 — 현황"]  # landed on 홈
    sidebar = [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    assert f"**{display}**" in sidebar
    assert any("역할:" in c for c in sidebar)
    assert [b.label for b in at.sidebar.button] == ["로그아웃"]
    if role == "seeker":  # the seeker's own record travels with the session (and nothing of an employer)
        assert user.scoped_seeker_id and user.scoped_employer_id is None


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("policy1", "wrong"),
        ("nobody", DEMO_PASSWORDS["policy1"]),
        # every account has its own password: an employer cannot log in with policy staff's
        ("employer1", DEMO_PASSWORDS["policy1"]),
    ],
)
def test_wrong_credentials_show_korean_error(login_db: str, username: str, password: str) -> None:
    at = _login(_logged_out(), username, password)
    assert not at.exception
    assert [e.value for e in at.error] == ["아이디 또는 비밀번호가 올바르지 않습니다."]
    assert "auth.user" not in at.session_state
    assert [t.value for t in at.title] == ["고용AI 워크벤치"]


def test_navigate_to_explorer_and_logout(login_db: str) -> None:
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORDS["counsellor1"])
    at.switch_page("pages/explorer.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["데이터 탐색기"]
    assert "구직자" in [t.label for t in at.tabs]
    at.sidebar.button(key="auth.logout").click().run()
    assert "auth.user" not in at.session_state
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]


def test_missing_users_file_is_created_once_with_credentials(
    login_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import get_settings

    users = tmp_path / "cfg" / "users.yaml"
    monkeypatch.setenv("GOYONG_USERS_FILE", str(users))
    get_settings.cache_clear()
    at = _logged_out()
    assert not at.exception
    creds = users.parent / "demo_credentials.txt"
    assert users.is_file() and creds.is_file()
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    lines = [line.split("\t") for line in creds.read_text(encoding="utf-8").splitlines()[1:]]
    passwords = {name: password for name, password, _ in lines}
    assert len(passwords) == 9 and len(set(passwords.values())) == 9  # one password per account
    for password in passwords.values():
        assert password not in users.read_text(encoding="utf-8")
        assert password not in texts(at)  # never shown in the UI
    at = _login(at, "policy1", passwords["policy1"])
    assert at.session_state["auth.user"].role == "policy"


def test_a_demo_file_made_before_seekers_gains_the_seeker_accounts_at_the_login_page(
    login_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import get_settings
    from app.demo_accounts import ensure_users_file

    users = tmp_path / "cfg" / "users.yaml"
    old = ensure_users_file(users, employer_ids=(1, 2, 3), rounds=4)  # as an earlier release wrote it
    assert old is not None and not any(name.startswith("seeker") for name in old)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(users))
    get_settings.cache_clear()
    at = _logged_out()
    assert not at.exception
    lines = [line.split("\t") for line in (users.parent / "demo_credentials.txt").read_text(encoding="utf-8").splitlines()[1:]]
    passwords = {name: password for name, password, _ in lines}
    assert {name: passwords[name] for name in old} == old  # the earlier passwords still work and are kept
    assert sorted(set(passwords) - set(old)) == ["seeker1", "seeker2", "seeker3"]
    at = _login(at, "seeker2", passwords["seeker2"])
    assert at.session_state["auth.user"].role == "seeker" and at.session_state["auth.user"].seeker_id


def test_broken_users_file_shows_korean_error(
    app_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import get_settings

    broken = tmp_path / "users.yaml"
    broken.write_text("users: nope\n", encoding="utf-8")
    monkeypatch.setenv("GOYONG_USERS_FILE", str(broken))
    get_settings.cache_clear()
    at = _login(_logged_out(), "policy1", "whatever")
    assert not at.exception
    assert any("계정 파일" in e.value for e in at.error)


def test_login_page_without_world_or_accounts_explains(
    app_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("GOYONG_USERS_FILE", str(tmp_path / "none" / "users.yaml"))
    get_settings.cache_clear()
    at = _logged_out()
    assert not at.exception
    assert not (tmp_path / "none").exists()  # no accounts invented without a world
    at = _login(at, "policy1", "whatever")
    assert not at.exception
    assert any("python -m app build" in e.value for e in at.error)


# --------------------------------------------------------------------------- failures, throttling, lockout


def test_failed_login_is_audited_without_password_material(login_db: str) -> None:
    typed = "policy1"
    wrong = "definitely-not-" + DEMO_PASSWORDS["policy1"][:4]
    _login(_logged_out(), typed, wrong)
    _login(_logged_out(), "no-such-person", wrong)
    rows = db_rows(login_db, "select username, role, action, input_hash, output from audit_log where action like 'auth.%' order by id")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("policy1", "anonymous", "auth.login_failed"),
        (login.UNKNOWN_ACCOUNT, "anonymous", "auth.login_failed"),  # the typed text of an unknown id is not kept
    ]
    assert rows[0][3] == login.account_key("policy1")
    assert all(wrong not in str(r) and "no-such-person" not in str(r) for r in rows)
    attempts = db_rows(login_db, "select account_key, outcome from login_attempts order by id")
    assert attempts == [(login.account_key("policy1"), "failure"), (login.account_key("no-such-person"), "failure")]


@pytest.mark.parametrize("username", ["counsellor2", "nobody-here"])
def test_five_failures_lock_the_id_with_the_same_message_for_unknown_ids(login_db: str, username: str) -> None:
    at = _logged_out()
    for attempt in range(1, 5):
        at = _login(at, username, f"wrong-password-{attempt}")
        assert _errors(at) == [login.LOGIN_FAILED]
    at = _login(at, username, "wrong-password-5")
    locked = login.LOCKED.format(minutes=15)
    assert _errors(at) == [locked]  # same text whether the id exists or not: no account enumeration
    # the right password does not get through while the id is locked
    at = _login(at, username, DEMO_PASSWORDS.get(username, "x" * 12))
    assert "auth.user" not in at.session_state
    assert len(_errors(at)) == 1 and _errors(at)[0].startswith("로그인에 여러 번 실패해")
    # a new browser session (or a restarted server: the state is in the database) is locked too
    at = _login(_logged_out(), username, DEMO_PASSWORDS.get(username, "x" * 12))
    assert "auth.user" not in at.session_state and _errors(at)[0].startswith("로그인에 여러 번 실패해")
    actions = [a for (a,) in db_rows(login_db, "select action from audit_log where action like 'auth.%' order by id")]
    assert actions == ["auth.login_failed"] * 4 + ["auth.lockout", "auth.login_locked", "auth.login_locked"]


def test_other_accounts_are_not_locked_and_a_reset_unlocks(login_db: str) -> None:
    at = _logged_out()
    for attempt in range(5):
        at = _login(at, "employer2", f"wrong-{attempt}")
    at = _login(_logged_out(), "employer3", DEMO_PASSWORDS["employer3"])
    assert at.session_state["auth.user"].username == "employer3"
    login.unlock_account(make_engine(login_db), "employer2", by="test")  # what `users reset-password` does
    at = _login(_logged_out(), "employer2", DEMO_PASSWORDS["employer2"])
    assert at.session_state["auth.user"].username == "employer2"


def test_one_browser_session_is_throttled_across_ids(login_db: str) -> None:
    at = _logged_out()
    limit = login.DEFAULT_POLICY.client_max_failures
    for i in range(limit):  # a different id each time: no id reaches its own limit
        at = _login(at, f"guess{i}", "wrong-password")
        assert _errors(at) == [login.LOGIN_FAILED]
    at = _login(at, "counsellor1", DEMO_PASSWORDS["counsellor1"])
    assert _errors(at) == [login.THROTTLED] and "auth.user" not in at.session_state
    # another session is not throttled (the global limit is far away)
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORDS["counsellor1"])
    assert at.session_state["auth.user"].username == "counsellor1"


# --------------------------------------------------------------------------- idle timeout, revoked accounts, logout


def test_idle_timeout_clears_the_session_and_explains(login_db: str) -> None:
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORDS["counsellor1"])
    at.switch_page("pages/explorer.py").run()
    assert [t.value for t in at.title] == ["데이터 탐색기"]
    limit = get_settings().idle_timeout_minutes * 60
    # one minute short of the limit: still logged in (and the run counts as activity)
    at.session_state["auth.last_activity"] = time.monotonic() - limit + 60
    at.run()
    assert at.session_state["auth.user"].username == "counsellor1"
    at.session_state["auth.last_activity"] = time.monotonic() - limit - 1
    at.run()
    assert not at.exception
    assert "auth.user" not in at.session_state
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]
    assert [i.value for i in at.info] == ["30분 동안 사용하지 않아 자동으로 로그아웃했습니다. 다시 로그인하세요."]
    assert "데이터 탐색기" not in texts(at)
    assert db_rows(login_db, "select username, action from audit_log where action = 'auth.idle_timeout'") == [
        ("counsellor1", "auth.idle_timeout")
    ]


def test_disabled_account_cannot_log_in_and_its_open_session_ends(
    login_db: str, monkeypatch: pytest.MonkeyPatch, users_file: Path, tmp_path: Path
) -> None:
    path = _private_users_file(monkeypatch, users_file, tmp_path)
    at = _login(_logged_out(), "employer1", DEMO_PASSWORDS["employer1"])
    assert at.session_state["auth.user"].username == "employer1"
    assert accounts.set_disabled(path, "employer1", True)
    at.run()
    assert "auth.user" not in at.session_state
    assert [i.value for i in at.info] == ["계정의 비밀번호나 사용 상태가 바뀌어 로그아웃했습니다. 다시 로그인하세요."]
    at = _login(at, "employer1", DEMO_PASSWORDS["employer1"])
    assert "auth.user" not in at.session_state
    assert _errors(at) == [login.LOGIN_FAILED]  # a disabled account looks like a wrong password


def test_password_reset_ends_sessions_opened_with_the_old_password(
    login_db: str, monkeypatch: pytest.MonkeyPatch, users_file: Path, tmp_path: Path
) -> None:
    path = _private_users_file(monkeypatch, users_file, tmp_path)
    at = _login(_logged_out(), "policy1", DEMO_PASSWORDS["policy1"])
    accounts.set_password(path, "policy1", "Brand-new-pass-42", rounds=4)
    at.run()
    assert "auth.user" not in at.session_state
    at = _login(at, "policy1", "Brand-new-pass-42")
    assert at.session_state["auth.user"].username == "policy1"


def test_logout_leaves_nothing_of_the_previous_user(login_db: str) -> None:
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORDS["counsellor1"])
    at.switch_page("pages/explorer.py").run()
    region = at.multiselect(key="explorer.region")
    chosen = region.options[1]
    region.select(chosen).run()
    at.query_params["seeker"] = "123"
    at.run()
    assert len(at.multiselect(key="explorer.region").value) == 1  # a region chosen by counsellor1
    assert at.session_state["explorer.region"]
    before = set(_state(at))

    at.sidebar.button(key="auth.logout").click().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]
    assert [i.value for i in at.info] == ["로그아웃했습니다. 이 화면에는 이전 사용자의 정보가 남아 있지 않습니다."]
    leftovers = set(_state(at)) & before
    assert leftovers <= {"auth.login.username", "auth.login.password"}  # the empty login form's own widgets
    assert all(not _state(at).get(k) for k in leftovers)
    assert dict(at.query_params) == {}

    at = _login(at, "policy1", DEMO_PASSWORDS["policy1"])
    at.switch_page("pages/explorer.py").run()
    assert at.session_state["auth.user"].username == "policy1"
    assert at.multiselect(key="explorer.region").value == []
    assert "counsellor1" not in str(_state(at))
    assert db_rows(login_db, "select username, action from audit_log where action in ('auth.login', 'auth.logout') order by id") == [
        ("counsellor1", "auth.login"), ("counsellor1", "auth.logout"), ("policy1", "auth.login"),
    ]


def test_next_employer_on_a_shared_pc_sees_nothing_of_the_last_ones_draft(
    hiring_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The issue's case: a job-centre PC shows the next person the last one's company name."""
    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{copy_world_database(hiring_env, tmp_path / 'ads.db')}")
    get_settings.cache_clear()
    at = _login(_logged_out(), "employer1", DEMO_PASSWORDS["employer1"])
    at.switch_page("pages/ad_check.py").run()
    assert [t.value for t in at.title] == ["공고 사전 점검"]
    at.text_input(key="ad_check.company").input("비밀상사 주식회사")
    at.text_input(key="ad_check.title").input("사무보조 모집 (비밀상사)")
    at.text_input(key="ad_check.contact").input("02-987-6543")
    at.button(key="FormSubmitter:ad_check.form-점검하기").click().run()
    assert not at.exception
    assert "비밀상사" in str(_state(at))

    at.sidebar.button(key="auth.logout").click().run()
    assert "비밀상사" not in str(_state(at)) and "02-987-6543" not in str(_state(at))
    at = _login(at, "employer2", DEMO_PASSWORDS["employer2"])
    at.switch_page("pages/ad_check.py").run()
    assert not at.exception
    assert at.session_state["auth.user"].username == "employer2"
    shown = [w.value for w in at.text_input] + [w.value for w in at.text_area] + [texts(at)]
    assert not any("비밀상사" in str(v) or "02-987-6543" in str(v) for v in shown)
    assert "비밀상사" not in str(_state(at)) and "02-987-6543" not in str(_state(at))


# --------------------------------------------------------------------------- fragments (what-if widgets)


def _fragment_script() -> None:
    """A page fragment as the simulator's: its reruns skip the router."""
    import streamlit as st

    from components import auth as auth_ui

    @st.fragment
    def whatif() -> None:
        auth_ui.check_fragment_session()
        st.write("what-if figures")

    whatif()


def _fragment_session(username: str, idle_seconds: float) -> AppTest:
    at = AppTest.from_function(_fragment_script, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = User(username, username, "counsellor")
    at.session_state["auth.stamp"] = auth.account_stamp(username, get_settings().users_file)
    at.session_state["auth.last_activity"] = time.monotonic() - idle_seconds
    return at


def test_a_fragment_run_counts_as_activity(login_db: str) -> None:
    limit = get_settings().idle_timeout_minutes * 60
    at = _fragment_session("counsellor1", limit - 5)
    before = time.monotonic()
    at.run()
    assert not at.exception
    assert at.session_state["auth.last_activity"] >= before  # moving a what-if slider is not idling
    assert at.session_state["auth.user"].username == "counsellor1"
    assert "what-if figures" in texts(at)


def test_an_expired_session_ends_at_its_next_fragment_run(login_db: str) -> None:
    limit = get_settings().idle_timeout_minutes * 60
    at = _fragment_session("counsellor1", limit + 1).run()
    assert not at.exception
    assert "auth.user" not in at.session_state
    assert "what-if figures" not in texts(at)
    assert at.session_state["auth.login.notice"] == "30분 동안 사용하지 않아 자동으로 로그아웃했습니다. 다시 로그인하세요."
    assert db_rows(login_db, "select username, action from audit_log where action = 'auth.idle_timeout'") == [
        ("counsellor1", "auth.idle_timeout")
    ]


def test_a_revoked_account_ends_at_its_next_fragment_run(
    login_db: str, monkeypatch: pytest.MonkeyPatch, users_file: Path, tmp_path: Path
) -> None:
    path = _private_users_file(monkeypatch, users_file, tmp_path)
    at = _fragment_session("counsellor1", 1)
    assert accounts.set_disabled(path, "counsellor1", True)
    at.run()
    assert "auth.user" not in at.session_state and "what-if figures" not in texts(at)
    assert db_rows(login_db, "select action from audit_log where action = 'auth.session_revoked'") == [
        ("auth.session_revoked",)
    ]


def test_every_fragment_of_a_page_checks_the_session_first() -> None:
    """Every ``@st.fragment`` in pages/ and components/ starts with the session check, except the
    watcher, which must not count as activity (it re-runs the router when the session must end)."""
    import ast

    root = Path(__file__).resolve().parents[2]
    found = []
    for source in sorted([*root.glob("pages/*.py"), *root.glob("components/*.py")]):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if not any(d.startswith(("st.fragment", "st.dialog")) for d in decorators):
                continue
            found.append(node.name)
            if node.name == "watch_session":
                continue
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            assert ast.unparse(body[0]) == "auth.check_fragment_session()", f"{source.name}: {node.name}"
    assert {"simulator", "whatif_section", "watch_session"} <= set(found)


# --------------------------------------------------------------------------- deep links and the login cookie


def _opened_at(url_path: str, **query: str) -> AppTest:
    """A fresh browser session opening ``/<url_path>?<query>`` (as a pasted link or a reload does).

    The browser's first request names the page by its URL path; ``st.navigation`` resolves both that
    and a page hash to the page whose ``url_path`` it is, so the hash stands in for the path here
    (AppTest has no public way to open a URL path).
    """
    from streamlit.navigation.page import calc_hash

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at._page_hash = calc_hash(url_path)
    return at.run()


def _own_posting(url: str, employer_id: int) -> int:
    return int(db_rows(url, "select min(id) from postings where employer_id=:e", e=employer_id)[0][0])


@pytest.fixture
def hiring_login_db(hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the built world (models too), for logins that open model pages."""
    from tests.ui.helpers import point_settings_at

    url, models = hiring_built
    db = copy_world_database(url, tmp_path / "hiring-login.db")
    yield point_settings_at(monkeypatch, db, models, users_file)
    get_settings.cache_clear()


def test_logged_out_deep_link_shows_the_login_form_then_that_posting(
    hiring_login_db: str, employer_ids: dict[str, int]
) -> None:
    posting = _own_posting(hiring_login_db, employer_ids["employer1"])
    at = _opened_at("hiring", posting=str(posting))
    assert not at.exception
    # the login form under the page's URL (before: an unknown path, Streamlit's English "Page not found")
    assert [t.value for t in at.title] == ["고용AI 워크벤치"]
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]
    assert "채용 시뮬레이터" not in texts(at)
    assert at.session_state["auth.login.next"] == {"url_path": "hiring", "query": {"posting": str(posting)}}
    at = _login(at, "employer1", DEMO_PASSWORDS["employer1"])
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["채용 시뮬레이터"]  # the page asked for, not 홈
    assert at.session_state["hiring.posting_id"] == posting  # with that posting selected
    assert at.query_params["posting"] in (str(posting), [str(posting)])
    assert "auth.login.next" not in at.session_state  # used once


def test_deep_link_to_a_page_the_role_may_not_open_is_refused_in_korean(login_db: str) -> None:
    at = _opened_at("hiring", posting="12")
    at = _login(at, "counsellor1", DEMO_PASSWORDS["counsellor1"])
    assert not at.exception
    assert _errors(at) == ["이 화면은 구인기업, 정책·운영 전용입니다. 현재 역할: 직업상담사"]
    assert at.session_state["auth.user"].username == "counsellor1"  # logged in; the page refused, in Korean
    assert "채용확률" not in texts(at)


def test_login_at_the_root_still_lands_on_home(login_db: str) -> None:
    at = _opened_at("hiring", posting="12")
    at = _login(_logged_out(), "policy1", DEMO_PASSWORDS["policy1"])  # a new visit of "/" forgets the link
    assert [t.value for t in at.title] == ["고용AI 워크벤치 — 현황"]
    assert "posting" not in at.query_params


def _cookie_of(at: AppTest) -> str:
    """The token the page's one-time ticket exchanges for the cookie (what the browser then holds)."""
    from app.services import sessions

    ticket = at.session_state["auth.cookie.ticket"]
    redeemed = sessions.tickets.redeem(ticket)
    assert redeemed is not None
    token, max_age = redeemed
    assert max_age == get_settings().idle_timeout_minutes * 60  # the cookie lives as long as the idle timeout
    return token


def _scripts(at: AppTest) -> list[tuple[str, str]]:
    """(route, body) of every cookie script the page draws (``st.html`` with JavaScript)."""
    import re

    out = []
    for element in at.get("html"):
        match = re.search(r'fetch\("([^"]+)".*body: "([^"]*)"', element.proto.body)
        if match and element.proto.unsafe_allow_javascript:
            out.append((match.group(1), match.group(2)))
    return out


def _reloaded(monkeypatch: pytest.MonkeyPatch, token: str, url_path: str = "login", **query: str) -> AppTest:
    """A reload: a new browser session whose websocket carries the login cookie ``token``."""
    from components import session_cookie

    monkeypatch.setattr(session_cookie, "cookie_token", lambda: token)
    return _opened_at(url_path, **query)


def test_a_reload_keeps_the_login_through_the_cookie(login_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORDS["counsellor1"])
    assert not at.exception
    token = _cookie_of(at)
    assert DEMO_PASSWORDS["counsellor1"] not in token
    again = _reloaded(monkeypatch, token, "explorer")
    assert not again.exception
    assert again.session_state["auth.user"].username == "counsellor1"
    assert [t.value for t in again.title] == ["데이터 탐색기"]  # still on the page that was reloaded
    rows = db_rows(login_db, "select action, output from audit_log where username='counsellor1' "
                             "and action in ('auth.login', 'auth.session_restored') order by id")
    assert [r[0] for r in rows] == ["auth.login", "auth.session_restored"]
    import json

    login_out, restore_out = (json.loads(r[1]) for r in rows)
    assert login_out["session"] == restore_out["session"]  # the reload is tied to its login
    assert again.session_state.get("auth.cookie.ticket")  # a fresh cookie is signed for the restored session
    assert _scripts(again) == [("/goyong-session", again.session_state["auth.cookie.ticket"])]


def test_logout_voids_the_cookie(login_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _login(_logged_out(), "policy1", DEMO_PASSWORDS["policy1"])
    token = _cookie_of(at)
    assert _scripts(at) == [("/goyong-session", at.session_state["auth.cookie.ticket"])]  # the page sets it
    at.sidebar.button(key="auth.logout").click().run()
    assert at.session_state["auth.cookie.clear"] is True
    assert _scripts(at) == [("/goyong-session/end", "")]  # the login page tells the browser to drop it
    after = _reloaded(monkeypatch, token)
    assert "auth.user" not in after.session_state  # a copy of the cookie kept elsewhere no longer works
    assert [t.label for t in after.text_input] == ["아이디", "비밀번호"]


def test_a_logged_out_cookie_stays_void_after_a_server_restart(login_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The revocation is read from the audit log, not only this process's memory."""
    from app.services import sessions

    at = _login(_logged_out(), "policy1", DEMO_PASSWORDS["policy1"])
    token = _cookie_of(at)
    at.sidebar.button(key="auth.logout").click().run()
    monkeypatch.setattr(sessions, "_REVOKED", {})  # a restarted server has forgotten the logout
    after = _reloaded(monkeypatch, token)
    assert "auth.user" not in after.session_state
    assert [t.label for t in after.text_input] == ["아이디", "비밀번호"]


def test_an_expired_or_revoked_cookie_shows_the_login_form(
    login_db: str, monkeypatch: pytest.MonkeyPatch, users_file: Path, tmp_path: Path
) -> None:
    from app.services import sessions

    secret = sessions.load_secret(get_settings())
    stamp = auth.account_stamp("counsellor1", users_file) or ""
    old = sessions.SessionClaims("counsellor1", sessions.new_session_id(), time.time() - 31 * 60, stamp)
    at = _reloaded(monkeypatch, sessions.sign_session(old, secret))
    assert "auth.user" not in at.session_state and at.session_state["auth.cookie.clear"] is True
    private = _private_users_file(monkeypatch, users_file, tmp_path)
    secret = sessions.load_secret(get_settings())  # the private accounts file has its own secret beside it
    fresh = sessions.SessionClaims("counsellor1", sessions.new_session_id(), time.time(), stamp)
    token = sessions.sign_session(fresh, secret)
    assert _reloaded(monkeypatch, token).session_state["auth.user"].username == "counsellor1"
    accounts.set_disabled(private, "counsellor1", True)
    assert "auth.user" not in _reloaded(monkeypatch, token).session_state
