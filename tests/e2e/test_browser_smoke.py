"""Real-browser smoke test: `streamlit run` + Debian chromium driven by Playwright.

For every role: log in through the form, open every page the role may see through the sidebar
navigation, check the Korean heading and that no exception block is shown, take a screenshot.
Uses Debian's /usr/bin/chromium (never `playwright install`); skipped only where it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.access import pages_for_role
from tests.conftest import DEMO_PASSWORDS

# The server and chromium start-up live in tests/e2e/browser.py (shared with bench/pages.py and the
# README screenshots); the names below stay importable from this module for the other browser tests.
from tests.e2e.browser import (  # noqa: F401 - re-exported
    CHROMIUM,
    CHROMIUM_ARGS,
    HEADINGS,
    ROOT,
    TIMEOUT_MS,
    chromium,
    chromium_available,
    streamlit_server,
)
from tests.e2e.browser import free_port as _free_port  # noqa: F401 - re-exported
from tests.e2e.browser import login as _login
from tests.e2e.browser import wait_healthy as _wait_healthy  # noqa: F401 - re-exported

pytestmark = pytest.mark.e2e

if not chromium_available():
    pytest.skip("Debian chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, hiring_built: tuple[str, Path], users_file: Path
) -> Iterator[str]:
    """A `streamlit run` server on a free port, pointed at a copy of the test world with every
    model built (so model pages render their results, not the "run the build" warning); yields
    its base URL."""
    world_url, models = hiring_built
    env = {"GOYONG_DB_URL": world_url, "GOYONG_USERS_FILE": str(users_file), "GOYONG_MODELS_DIR": str(models)}
    with streamlit_server(env, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module."""
    with chromium() as instance:
        yield instance


def _assert_no_exception(page: object) -> None:
    # give the script run a moment to finish after the heading appears
    page.wait_for_timeout(500)
    status = page.locator('[data-testid="stStatusWidget"]')
    if status.count():
        status.first.wait_for(state="hidden", timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_deep_link_on_fresh_server_goes_through_login(server: str, browser: object, tmp_path: Path) -> None:
    """Runs first on a fresh server: a deep link must reach the router's login form, not the page file
    (Streamlit runs apps with a pages/ folder in legacy mode until the first st.navigation call)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(server + "/explorer")
        page.get_by_label("아이디").wait_for()
        assert page.get_by_role("heading", name="데이터 탐색기").count() == 0
        # no legacy page list ("streamlit app", "login", ...) in the sidebar
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        _assert_no_exception(page)
        page.screenshot(path=str(tmp_path / "deep-link.png"))
        _login(page, server, "policy1", "not-the-password")
        page.get_by_text("아이디 또는 비밀번호가 올바르지 않습니다.").wait_for()
        assert page.get_by_role("heading", name=HEADINGS["home"]).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize(("username", "role"), [("employer1", "employer"), ("counsellor1", "counsellor"), ("policy1", "policy"),
                                               ("seeker1", "seeker")])
def test_each_role_visits_every_allowed_page(
    server: str, browser: object, tmp_path: Path, username: str, role: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _login(page, server, username, DEMO_PASSWORDS[username])
        page.get_by_role("heading", name=HEADINGS["home"]).wait_for()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("로그아웃").wait_for()
        allowed = [spec for specs in pages_for_role(role).values() for spec in specs]
        assert allowed, role
        for spec in allowed:
            sidebar.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=spec.title).click()
            page.get_by_role("heading", name=HEADINGS.get(spec.page_id, spec.title)).wait_for()
            if not spec.default:  # the default page lives at "/"; the others at their url_path
                page.wait_for_function(f"location.pathname.endsWith('/{spec.url_path}')")
            if spec.page_id == "home":
                page.locator(".js-plotly-plot").first.wait_for()
            if spec.page_id == "hiring":
                page.get_by_text("채용확률(30일 내)").first.wait_for()
                page.get_by_text("AI 예측 결과입니다").first.wait_for()
                page.get_by_role("slider").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            if spec.page_id == "hiring_policy":
                page.get_by_text("CSV 내려받기").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            if spec.page_id == "employment_caseload":
                page.get_by_text("CSV 내려받기").first.wait_for()
                page.get_by_text("AI 예측 결과입니다").first.wait_for()
            if spec.page_id == "employment_profile":
                page.get_by_text("180일 내 취업확률").first.wait_for()
                page.get_by_text("AI 예측 결과입니다").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            if spec.page_id == "employment_policy":
                page.get_by_text("공정성 점검").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            if spec.page_id == "ad_review":
                page.get_by_text("검토 대기").first.wait_for()
                page.get_by_text("AI 검증 결과입니다").first.wait_for()
            if spec.page_id == "ad_rules":
                page.get_by_text("변경 이력").first.wait_for()
            if spec.page_id == "seeker_requests":
                page.get_by_text("응답을 기다리는 요청").first.wait_for()
                page.get_by_text("공개하지 않습니다").first.wait_for()
            if spec.page_id == "seeker_privacy":
                page.get_by_text("현재 상태").first.wait_for()
                page.get_by_role("button", name="추천 받지 않기").wait_for()
            if spec.page_id == "talent_requests":
                page.get_by_text("검색 결과").first.wait_for()
                page.locator('[data-testid="stDataFrame"]').first.wait_for()
            if spec.page_id == "ad_check":
                page.get_by_role("button", name="점검하기").wait_for()
            if spec.page_id == "explorer":
                tabs = page.get_by_role("tab")
                tabs.first.wait_for()
                labels = [t.strip() for t in tabs.all_inner_texts()]
                assert ("구직자" in labels) is (role in {"counsellor", "policy"})
                page.get_by_text("CSV 내려받기").first.wait_for()
                page.get_by_role("slider").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            _assert_no_exception(page)
            page.screenshot(path=str(tmp_path / f"{role}-{spec.url_path}.png"))
    finally:
        context.close()
