"""Real-browser smoke test: `streamlit run` + Debian chromium driven by Playwright.

For every role: log in through the form, open every page the role may see through the sidebar
navigation, check the Korean heading and that no exception block is shown, take a screenshot.
Uses Debian's /usr/bin/chromium (never `playwright install`); skipped only where it is absent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.auth import pages_for_role
from tests.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
HEADINGS = {
    "home": "고용AI 워크벤치 — 현황",
    "explorer": "데이터 탐색기",
    "hiring": "채용 시뮬레이터",
    "hiring_policy": "채용 위험 공고 현황",
    "employment_caseload": "구직자 위험 현황",
    "employment_profile": "구직자 프로파일",
    "employment_policy": "취업 위험도 기준·공정성",
    "posting_assistant": "구인공고 AI 작성지원",
    "ad_check": "공고 사전 점검",
    "ad_review": "구인광고 검증 대기열",
    "ad_rules": "검증 규칙 관리",
}
TIMEOUT_MS = 30_000

if not Path(CHROMIUM).exists():
    pytest.skip("Debian chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:  # local
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, hiring_built: tuple[str, Path], users_file: Path
) -> Iterator[str]:
    """A `streamlit run` server on a free port, pointed at a copy of the test world with every
    model built (so model pages render their results, not the "run the build" warning); yields
    its base URL."""
    world_url, models = hiring_built
    port = _free_port()
    env = {
        **os.environ,
        "GOYONG_DB_URL": world_url,
        "GOYONG_USERS_FILE": str(users_file),
        "GOYONG_MODELS_DIR": str(models),
    }
    log = (tmp_path_factory.mktemp("server") / "streamlit.log").open("w")
    proc = subprocess.Popen(  # fixed argument list
        [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            # a test server never reloads code; watching the repo (with .venv) only costs inotify events
            "--server.fileWatcherType", "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _assert_no_exception(page: object) -> None:
    # give the script run a moment to finish after the heading appears
    page.wait_for_timeout(500)
    status = page.locator('[data-testid="stStatusWidget"]')
    if status.count():
        status.first.wait_for(state="hidden", timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


def _login(page: object, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


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


@pytest.mark.parametrize(("username", "role"), [("employer1", "employer"), ("counsellor1", "counsellor"), ("policy1", "policy")])
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
            if spec.page_id == "ad_check":
                page.get_by_role("button", name="점검하기").wait_for()
            if spec.page_id == "explorer":
                tabs = page.get_by_role("tab")
                tabs.first.wait_for()
                labels = [t.strip() for t in tabs.all_inner_texts()]
                assert ("구직자" in labels) is (role != "employer")
                page.get_by_text("CSV 내려받기").first.wait_for()
                page.get_by_role("slider").first.wait_for()
                page.locator(".js-plotly-plot").first.wait_for()
            _assert_no_exception(page)
            page.screenshot(path=str(tmp_path / f"{role}-{spec.url_path}.png"))
    finally:
        context.close()
