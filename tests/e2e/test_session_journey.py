"""Real-browser journey of the login session: a reload keeps the login, a pasted deep link goes
through the login form (no English "Page not found") to the page with its posting, a logout
survives a reload. `streamlit run` + Debian chromium, as in test_browser_smoke.py (its server and
browser fixtures are reused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.sessions import COOKIE_NAME
from tests.conftest import DEMO_PASSWORDS
from tests.e2e.test_browser_smoke import HEADINGS, TIMEOUT_MS, _assert_no_exception, browser, server  # noqa: F401
from tests.ui.helpers import db_rows

pytestmark = pytest.mark.e2e

ENGLISH_NOT_FOUND = "Page not found"


def _context(browser: object) -> tuple[object, object]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def _submit_login(page: object, username: str) -> None:
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="로그인").click()


def _wait_for_cookie(context: object, page: object) -> dict[str, object]:
    """The login cookie, once the page has exchanged its ticket for it."""
    for _ in range(100):
        cookies = {c["name"]: c for c in context.cookies()}
        if COOKIE_NAME in cookies:
            return cookies[COOKIE_NAME]
        page.wait_for_timeout(100)
    raise AssertionError("the login cookie was never set")


def _selected_posting_label(page: object) -> str:
    """What the posting picker shows as chosen (its text, or its input's value where it is a search box)."""
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="공고 선택").first
    picker.wait_for()
    inputs = picker.locator("input")
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    return " ".join([picker.inner_text(), *values])


def _assert_login_form_without_english_dialog(page: object) -> None:
    page.get_by_label("아이디").wait_for()
    page.get_by_label("비밀번호").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_text(ENGLISH_NOT_FOUND).count() == 0
    assert page.locator('[role="dialog"]').count() == 0


def test_reload_keeps_the_login_on_the_same_page(server: str, browser: object, tmp_path: Path) -> None:  # noqa: F811
    context, page = _context(browser)
    try:
        page.goto(server + "/")
        _submit_login(page, "counsellor1")
        page.get_by_role("heading", name=HEADINGS["home"]).wait_for()
        cookie = _wait_for_cookie(context, page)
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
        assert DEMO_PASSWORDS["counsellor1"] not in str(cookie["value"])
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="데이터 탐색기").click()
        page.get_by_role("heading", name=HEADINGS["explorer"]).wait_for()
        page.wait_for_function("location.pathname.endsWith('/explorer')")
        page.reload()  # F5
        page.get_by_role("heading", name=HEADINGS["explorer"]).wait_for()
        sidebar.get_by_text("로그아웃").wait_for()
        assert page.get_by_label("비밀번호").count() == 0
        _assert_no_exception(page)
        page.screenshot(path=str(tmp_path / "reloaded.png"))
    finally:
        context.close()


def test_deep_link_goes_through_the_login_to_the_posting(
    server: str, browser: object, employer_ids: dict[str, int], hiring_built: tuple[str, Path]  # noqa: F811
) -> None:
    world_url, _ = hiring_built
    posting = int(db_rows(world_url, "select min(id) from postings where employer_id=:e",
                          e=employer_ids["employer1"])[0][0])
    context, page = _context(browser)
    try:
        page.goto(f"{server}/hiring?posting={posting}")
        _assert_login_form_without_english_dialog(page)
        _submit_login(page, "employer1")
        page.get_by_role("heading", name=HEADINGS["hiring"]).wait_for()
        page.wait_for_function(f"location.pathname.endsWith('/hiring') && location.search.includes('posting={posting}')")
        page.get_by_text("채용확률(30일 내)").first.wait_for()
        # the posting asked for is the one selected in the picker (its label starts with "#<id> · ")
        assert f"#{posting} · " in _selected_posting_label(page)
        _assert_no_exception(page)
        # and a reload of that deep link keeps both the login and the posting
        _wait_for_cookie(context, page)
        page.reload()
        page.get_by_role("heading", name=HEADINGS["hiring"]).wait_for()
        page.get_by_text("채용확률(30일 내)").first.wait_for()
        assert f"#{posting} · " in _selected_posting_label(page)
        assert page.get_by_label("비밀번호").count() == 0
    finally:
        context.close()


def test_a_page_the_role_may_not_open_is_refused_in_korean(server: str, browser: object) -> None:  # noqa: F811
    context, page = _context(browser)
    try:
        page.goto(f"{server}/caseload")
        _assert_login_form_without_english_dialog(page)
        _submit_login(page, "employer1")
        page.get_by_text("이 화면은 직업상담사 전용입니다.").wait_for()
        assert page.get_by_text(ENGLISH_NOT_FOUND).count() == 0
    finally:
        context.close()


def test_logout_then_reload_shows_the_login_form(server: str, browser: object) -> None:  # noqa: F811
    context, page = _context(browser)
    try:
        page.goto(server + "/")
        _submit_login(page, "policy1")
        page.get_by_role("heading", name=HEADINGS["home"]).wait_for()
        _wait_for_cookie(context, page)
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="로그아웃").click()
        page.get_by_text("로그아웃했습니다.").wait_for()
        for _ in range(50):  # the login page tells the browser to drop the cookie
            if COOKIE_NAME not in {c["name"] for c in context.cookies()}:
                break
            page.wait_for_timeout(100)
        assert COOKIE_NAME not in {c["name"] for c in context.cookies()}
        page.reload()
        _assert_login_form_without_english_dialog(page)
        assert page.get_by_role("heading", name=HEADINGS["home"]).count() == 0
    finally:
        context.close()
