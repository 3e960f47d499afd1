"""Real-browser helpers shared by the e2e tests, ``bench/pages.py`` and the README screenshots.

Starts ``streamlit run`` on a free port against a given world, drives Debian's ``/usr/bin/chromium``
through Playwright (never ``playwright install``), logs in through the form and tells when the app
is idle. Idleness is read from the attribute Streamlit's frontend puts on its root element
(``[data-testid="stApp"][data-test-script-state]``: ``running`` while a script or fragment run is
in progress, ``notRunning`` after it); an init script records every change of it with the page's own
clock, so a run that starts and ends between two polls is not missed and a timing ends when the
run ended, not when the poll noticed it.

No pytest here: the bench and the screenshot script import this module too.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
"""Page id -> the page's ``st.title`` where it differs from the navigation title."""
TIMEOUT_MS = 30_000
DESKTOP_VIEWPORT = {"width": 1440, "height": 900}
"""The screen the issue's reviewers used (and the README screenshots show)."""

DEMO_DB = ROOT / "data" / "goyong.db"
DEMO_MODELS = ROOT / "models"
DEMO_RRN_KEY = ROOT / "config" / "rrn.key"

# Records every change of Streamlit's script state with the page clock (performance.now(), ms).
_STATE_RECORDER = """
(() => {
  window.__goyongStates = [];
  const seen = new WeakSet();
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || seen.has(app)) return;
    seen.add(app);
    window.__goyongStates.push({t: performance.now(), s: app.getAttribute('data-test-script-state')});
    new MutationObserver(() => {
      window.__goyongStates.push({t: performance.now(), s: app.getAttribute('data-test-script-state')});
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  new MutationObserver(watch).observe(document, {childList: true, subtree: true});
  // Also the page clock of every message on Streamlit's websocket (the last 200 each way): when a run
  // was awaited in vain, these tell whether the action reached the server and whether it answered.
  window.__goyongSocket = {sent: [], received: []};
  const keep = (list) => { list.push(performance.now()); if (list.length > 200) list.shift(); };
  const Native = window.WebSocket;
  class RecordedSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => keep(window.__goyongSocket.received));
    }
    send(data) {
      keep(window.__goyongSocket.sent);
      return super.send(data);
    }
  }
  window.WebSocket = RecordedSocket;
})();
"""

_SNAPSHOT = """
(since) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const visible = (sel) => Array.from(document.querySelectorAll(sel)).some(
    (el) => el.offsetParent !== null || el.getClientRects().length > 0);
  const states = window.__goyongStates || [];
  const log = states.filter((e) => e.t >= since);
  const before = states.filter((e) => e.t < since);
  return {
    now: performance.now(),
    state: app ? app.getAttribute('data-test-script-state') : null,
    log: log,
    // a run already going when the action came: Streamlit restarts it with the new widget value without
    // leaving "running", so no "running" entry follows the action (seen as 60 s time-outs under load)
    running_at_since: before.length > 0 && before[before.length - 1].s === 'running',
    busy: visible('[data-testid="stSpinner"]') || visible('[data-testid="stStatusWidget"]'),
    exception: document.querySelectorAll('[data-testid="stException"]').length,
    socket: window.__goyongSocket ? {
      sent: window.__goyongSocket.sent.filter((t) => t >= since).length,
      received: window.__goyongSocket.received.filter((t) => t >= since).length,
      last_received: Math.max(since, ...window.__goyongSocket.received.filter((t) => t >= since)),
    } : null,
  };
}
"""


def chromium_available() -> bool:
    """Whether Debian's chromium is installed (the browser tests skip without it)."""
    return Path(CHROMIUM).exists()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers Streamlit's health check.

    Raises:
        RuntimeError: The server process ended first.
        TimeoutError: No healthy answer within ``timeout`` seconds.
    """
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


@contextmanager
def streamlit_server(env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """Run ``streamlit run streamlit_app.py`` on a free port with ``env`` added to the environment.

    Args:
        env: ``GOYONG_*`` variables (database, models, accounts file) of the world to serve.
        log_path: File that receives the server's output.

    Yields:
        The server's base URL, once it answers the health check.
    """
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(  # fixed argument list
        [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            # a test server never reloads code; watching the repo (with .venv) only costs inotify events
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless Debian chromium (a Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def new_page(browser: Any, *, viewport: Mapping[str, int] = DESKTOP_VIEWPORT) -> Any:
    """A page in a fresh context (own cookies) that records Streamlit's script state."""
    context = browser.new_context(viewport=dict(viewport), locale="ko-KR", timezone_id="Asia/Seoul")
    context.add_init_script(_STATE_RECORDER)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def login(page: Any, base_url: str, username: str, password: str) -> None:
    """Open the app and submit the login form (does not wait for what follows)."""
    page.goto(base_url + "/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def heading(page: Any, page_id: str, title: str) -> Any:
    """Locator of a page's title (``HEADINGS`` or the navigation title)."""
    return page.get_by_role("heading", name=HEADINGS.get(page_id, title))


def nav_link(page: Any, title: str) -> Any:
    """The sidebar navigation link of a page."""
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True)


def page_clock(page: Any) -> float:
    """The page's clock in milliseconds (``performance.now()``)."""
    return float(page.evaluate("performance.now()"))


class NotIdle(TimeoutError):
    """The app did not become idle (or the awaited content did not show) in time."""


def _ran_since(snap: dict) -> bool:
    """Whether a script run happened after the action: one started, one was going when it came, or the
    action went to the server and the server answered.

    The last is for a busy browser: the frontend may take a whole quick run's messages before it
    renders again, and then the script-state attribute goes from ``notRunning`` to ``notRunning``
    with no "running" between (seen under load: the action sent, 53 messages back, no state change).
    """
    messages = snap.get("socket") or {}
    answered = messages.get("sent", 0) > 0 and messages.get("received", 0) > 0
    return bool(snap.get("running_at_since")) or answered or any(e["s"] == "running" for e in snap["log"])


def _last_event(snap: dict, since_ms: float) -> float:
    """Page clock of the last script-state change or server message since the action (``since_ms``
    when none): when the run it started ended."""
    messages = snap.get("socket") or {}
    return max([since_ms, float(messages.get("last_received") or since_ms)] + [e["t"] for e in snap["log"]])


def _describe(snap: dict | None) -> str:
    """What the page showed at a time-out: script state, spinner, the states seen since the action and
    the websocket messages each way since it (none sent: the action never reached Streamlit)."""
    if snap is None:
        return "never looked"
    states = ",".join(str(e["s"]) for e in snap["log"][-6:]) or "none"
    messages = snap.get("socket") or {}
    return (f"state={snap['state']} busy={snap['busy']} running_at_since={snap.get('running_at_since')} "
            f"states={states} sent={messages.get('sent', '?')} received={messages.get('received', '?')}")


def wait_idle(
    page: Any,
    *,
    since_ms: float,
    ready: Callable[[], bool] = lambda: True,
    timeout_s: float = 120.0,
    settle_s: float = 1.0,
    must_run: bool = True,
    poll_s: float = 0.03,
) -> float:
    """Wait until the app is idle and ``ready()`` holds; return the seconds from ``since_ms``.

    Idle means: Streamlit's script state is ``notRunning`` (after at least one run that started at
    or after ``since_ms`` when ``must_run``), no spinner or running indicator is visible, and it stays
    so for ``settle_s`` (a ``st.rerun`` or a fragment may start another run right after). The time
    returned is when the final run ended, or when ``ready()`` was first seen true if that came later
    (e.g. a chart drawn after the run) — never the end of the settle window.

    Args:
        page: Playwright page made by :func:`new_page`.
        since_ms: Page clock when the user acted (:func:`page_clock` just before the action).
        ready: Whether the awaited content is visible (heading, metric, success message...).
        timeout_s: Give up after this long.
        settle_s: How long idleness must last to count.
        must_run: Require a script run after ``since_ms`` (every click on a widget makes one).
        poll_s: Polling interval.

    Raises:
        NotIdle: Not idle and ready within ``timeout_s``.
    """
    deadline = time.monotonic() + timeout_s
    ready_at: float | None = None
    polled_idle_after: float | None = None  # end of the run whose idle period has been polled already
    snap: dict | None = None
    while time.monotonic() < deadline:
        snap = page.evaluate(_SNAPSHOT, since_ms)
        ran = _ran_since(snap)
        idle = snap["state"] == "notRunning" and not snap["busy"] and (ran or not must_run)
        ended = _last_event(snap, since_ms)
        if not idle:
            ready_at = None  # content seen while still running may be replaced by the next run
        elif ready_at is None and ready():
            # ready at the first look after the run ended: it came with the run; later: when first seen
            ready_at = ended if polled_idle_after != ended else snap["now"]
        if idle:
            polled_idle_after = ended
        if idle and ready_at is not None and snap["now"] - ended >= settle_s * 1000:
            return (max(ended, ready_at) - since_ms) / 1000
        time.sleep(poll_s)
    raise NotIdle(f"not idle within {timeout_s:.0f} s ({_describe(snap)})")


def has_exception(page: Any) -> bool:
    """Whether an exception block is shown."""
    return page.locator('[data-testid="stException"]').count() > 0


@dataclass(frozen=True)
class DemoCopy:
    """A private copy of the demo world for one browser run.

    Attributes:
        env: ``GOYONG_*`` variables pointing the server at the copy.
        passwords: username -> password of the accounts written for this run.
    """

    env: dict[str, str]
    passwords: dict[str, str]


def copy_demo_world(folder: Path, *, db: Path = DEMO_DB, models: Path = DEMO_MODELS) -> DemoCopy:
    """Copy the demo database and models into ``folder`` and write fresh accounts for them.

    Saves made by a bench or a screenshot run land in the copy, so the demo world stays as built
    and two runs measure the same data. The accounts get new random passwords at the production
    bcrypt cost (logging in costs what it costs users); the demo credentials file is never read.

    Args:
        folder: Empty working folder (a temporary directory).
        db: Demo database (``make build`` creates it).
        models: Built models of that database.

    Raises:
        FileNotFoundError: The demo world or its models are missing (run ``make build``).
    """
    from app.db.engine import make_engine
    from app.demo_accounts import demo_users, write_demo_users
    from app.services.overview import demo_employer_ids, demo_seeker_ids

    if not db.exists() or not (models / "manifest.json").exists():
        raise FileNotFoundError(f"데모 데이터가 없습니다: {db}, {models} — 먼저 `make build`를 실행하세요.")
    folder.mkdir(parents=True, exist_ok=True)
    db_copy = folder / "goyong.db"
    shutil.copy2(db, db_copy)
    models_copy = folder / "models"
    shutil.copytree(models, models_copy)
    url = f"sqlite:///{db_copy}"
    engine = make_engine(url)
    try:
        ids = demo_employer_ids(engine)
        seeker_ids = demo_seeker_ids(engine)
    finally:
        engine.dispose()
    passwords = {u.username: secrets.token_urlsafe(12) for u in demo_users(ids, seeker_ids)}
    users = folder / "users.yaml"
    write_demo_users(users, passwords, ids, seeker_ids=seeker_ids)
    env = {
        "GOYONG_DB_URL": url,
        "GOYONG_MODELS_DIR": str(models_copy),
        "GOYONG_USERS_FILE": str(users),
        "GOYONG_LOG_FILE": str(folder / "goyong.log"),
    }
    if DEMO_RRN_KEY.exists():
        env["GOYONG_RRN_KEY_FILE"] = str(DEMO_RRN_KEY)
    return DemoCopy(env=env, passwords=passwords)


# --------------------------------------------------------------------------- asyncio twins (many sessions)
# One Playwright browser can serve many contexts only from one thread; the load bench (bench/load.py)
# drives its sessions as asyncio tasks on one chromium. These are the async forms of the helpers above.


async def new_page_async(browser: Any, *, viewport: Mapping[str, int] = DESKTOP_VIEWPORT) -> Any:
    """:func:`new_page` for Playwright's async API."""
    context = await browser.new_context(viewport=dict(viewport), locale="ko-KR", timezone_id="Asia/Seoul")
    await context.add_init_script(_STATE_RECORDER)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


async def page_clock_async(page: Any) -> float:
    """:func:`page_clock` for Playwright's async API."""
    return float(await page.evaluate("performance.now()"))


async def wait_idle_async(
    page: Any, *, since_ms: float, timeout_s: float = 120.0, settle_s: float = 1.0, must_run: bool = True,
    poll_s: float = 0.05,
) -> float:
    """:func:`wait_idle` for Playwright's async API, without ``ready`` (idle is what the bench waits for).

    Returns:
        Seconds from ``since_ms`` to the end of the last run (page clock).

    Raises:
        NotIdle: Not idle within ``timeout_s``.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    snap: dict | None = None
    while loop.time() < deadline:
        snap = await page.evaluate(_SNAPSHOT, since_ms)
        ran = _ran_since(snap)
        ended = _last_event(snap, since_ms)
        if snap["state"] == "notRunning" and not snap["busy"] and (ran or not must_run) \
                and snap["now"] - ended >= settle_s * 1000:
            return (ended - since_ms) / 1000
        await asyncio.sleep(poll_s)
    raise NotIdle(f"not idle within {timeout_s:.0f} s ({_describe(snap)})")


def server_pid(base_url: str) -> int | None:
    """Process id of the ``streamlit run`` serving ``base_url`` (found by its ``--server.port``), or ``None``."""
    port = base_url.rsplit(":", 1)[-1].strip("/")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and b"--server.port" in args \
                and args[args.index(b"--server.port") + 1:][:1] == [port.encode()]:
            return int(entry.name)
    return None


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (``/proc/<pid>/status`` VmRSS), ``None`` when it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from ``/proc/<pid>/stat``; ``None`` when it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
