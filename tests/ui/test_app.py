"""The router: login gate, login through the form, role-filtered navigation, logout."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.auth import User
from tests.conftest import DEMO_PASSWORD
from tests.ui.helpers import TIMEOUT, texts

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


def _logged_out() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT).run()


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth.login.username").input(username)
    at.text_input(key="auth.login.password").input(password)
    return at.button[0].click().run()


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
    [("employer1", "employer", "구인기업 담당자 1"), ("counsellor1", "counsellor", "직업상담사 1"), ("policy1", "policy", "정책·운영 담당자")],
)
def test_login_through_form(app_env: None, username: str, role: str, display: str) -> None:
    at = _login(_logged_out(), username, DEMO_PASSWORD)
    assert not at.exception
    user = at.session_state["auth.user"]
    assert isinstance(user, User) and user.username == username and user.role == role
    assert at.session_state["auth.login.password"] != DEMO_PASSWORD  # password not kept after login
    assert [t.value for t in at.title] == ["고용AI 워크벤치 — 현황"]  # landed on 홈
    sidebar = [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    assert f"**{display}**" in sidebar
    assert any("역할:" in c for c in sidebar)
    assert [b.label for b in at.sidebar.button] == ["로그아웃"]


@pytest.mark.parametrize(("username", "password"), [("policy1", "wrong"), ("nobody", DEMO_PASSWORD)])
def test_wrong_credentials_show_korean_error(app_env: None, username: str, password: str) -> None:
    at = _login(_logged_out(), username, password)
    assert not at.exception
    assert [e.value for e in at.error] == ["아이디 또는 비밀번호가 올바르지 않습니다."]
    assert "auth.user" not in at.session_state
    assert [t.value for t in at.title] == ["고용AI 워크벤치"]


def test_navigate_to_explorer_and_logout(app_env: None) -> None:
    at = _login(_logged_out(), "counsellor1", DEMO_PASSWORD)
    at.switch_page("pages/explorer.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["데이터 탐색기"]
    assert "구직자" in [t.label for t in at.tabs]
    at.sidebar.button(key="auth.logout").click().run()
    assert "auth.user" not in at.session_state
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]


def test_missing_users_file_is_created_once_with_credentials(
    app_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
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
    password = creds.read_text(encoding="utf-8").splitlines()[1].split("\t")[1]
    assert password not in users.read_text(encoding="utf-8")
    assert password not in texts(at)  # never shown in the UI
    at = _login(at, "policy1", password)
    assert at.session_state["auth.user"].role == "policy"


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
