"""Many users at once: N real browser sessions against one or more app processes; prints one JSON object.

Debian's /usr/bin/chromium driven by Playwright (one browser process, one context — own cookies, own
Streamlit session — per simulated user, run as asyncio tasks) against ``streamlit run`` on a private
copy of the demo world (``data/goyong.db`` and ``models/`` of the main checkout by default: the copy
takes the audit rows and saves of the run). Each session logs in through the form with a demo account
(fresh passwords at the production bcrypt cost), opens its page from the sidebar and then, until
``--seconds`` have passed, repeats its action, pausing about ``--think-s`` seconds between two (a person
reading the result):

* ``whatif`` — 채용 시뮬레이터 as an employer: the wage slider one step up or down (keyboard);
* ``caseload`` — 구직자 위험 현황 as a counsellor: a search term typed into the filter, Enter;
* ``ad_check`` — 공고 사전 점검 as an employer: a lawful draft (numbered, so no two are alike) checked.

Sessions take the three in turn (session 1 what-if, 2 caseload, 3 ad check, 4 what-if, …; ``--actions``
narrows them, e.g. to profile one). A timing
runs from the key press or click to the end of the script run it started (Streamlit's own script-state
attribute, ``tests/e2e/browser.py``), so it is the rerender time a user waits. Login and opening the
page are reported apart (``setup``); the measured loop starts when every session is on its page.

With ``--processes 2`` (or more) the sessions are spread over that many app processes on one
database, which must then be PostgreSQL (``--db-url``; the demo world is generated there by
``python -m app build``'s code when missing — the models of ``--models`` fit it, nothing is retrained).

Keys:
    sessions, processes, seconds, think_s (the average pause between actions), database ("sqlite" | "postgresql")
    actions.<whatif|caseload|ad_check>: n, p50_s, p95_s, max_s, errors
    setup: server_warm_up_s (start → the servers' CPU is quiet; sessions start after it), login_p50_s,
        login_max_s, open_page_p50_s, open_page_max_s
    errors: total errors; error_samples: up to 10 messages
    rss_mb: per process {start, end, max, slope_mb_per_min, samples}
    server_cpu_s: CPU seconds the app processes used during the measured loop; server_cpu_s_per_action: that
        over the actions done — what a rerender costs the server whatever else runs on the machine
    load_average: {start, end} (1-minute load of the machine: the bench shares it)
    targets: {p95_s: 1.5, errors: 0}; passed: p95 of every action ≤ 1.5 s and no error

Usage: python bench/load.py [--sessions 8] [--seconds 120] [--processes 1] [--think-s 3] [--db-url postgresql+psycopg://…]
                            [--db data/goyong.db] [--models models] [--actions whatif,caseload,ad_check]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e import browser as web  # noqa: E402 - after the path fix

DEFAULT_DB = web.ROOT / "data" / "goyong.db"
DEFAULT_MODELS = web.ROOT / "models"
DEMO_SEED, DEMO_SIZE = 20261123, "demo"
TARGET_P95_S = 1.5
ACTIONS = ("whatif", "caseload", "ad_check")
ACCOUNTS = {"whatif": ("employer1", "employer2", "employer3"), "caseload": ("counsellor1", "counsellor2"),
            "ad_check": ("employer3", "employer2", "employer1")}
PAGE_OF = {"whatif": ("hiring", "채용 시뮬레이터"), "caseload": ("employment_caseload", "구직자 위험 현황"),
           "ad_check": ("ad_check", "공고 사전 점검")}
SEARCH_TERMS = ("사무", "영업", "", "조리", "운전", "")
AD_TITLE = "물류센터 입출고 관리 사원 모집 {n}"
AD_BODY = """담당 업무: 물류센터 입고·출고 물품 검수, 재고 전산 입력, 출고 일정 관리 ({n}번째 점검)
자격 요건: 학력 무관, 관련 경력 우대, 컴퓨터 기본 활용 가능자
근무 조건: 정규직, 주 5일(월~금) 09:00~18:00, 주 40시간, 월급 250만원
복리후생: 4대 보험, 퇴직금, 중식 제공, 연차휴가"""
ACTION_TIMEOUT_S = 60.0
SETUP_TIMEOUT_S = 180.0
SETTLE_S = 0.5
THINK_S = 3.0
"""A user's pause between two actions, on average (each pause is drawn uniformly from half to one and a half
times it, seeded per session): a counsellor reads the refreshed caseload and an employer the new probability
before the next change. ``--think-s 0`` drives every session back to back, a stress test rather than a
model of people at work."""
RSS_EVERY_S = 2.0


@dataclass
class Tally:
    """What the sessions measured."""

    times: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: dict[str, int] = field(default_factory=lambda: {a: 0 for a in ACTIONS})
    error_samples: list[str] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0

    def error(self, action: str, err: BaseException) -> None:
        self.errors[action] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{action}: {type(err).__name__}: {str(err).splitlines()[0][:160]}")


async def _idle_after(page: Any, act: Callable[[], Awaitable[Any]]) -> float:
    """Do ``act`` and return the seconds until the run it started ended."""
    since = await web.page_clock_async(page)
    await act()
    seconds = await web.wait_idle_async(page, since_ms=since, settle_s=SETTLE_S, timeout_s=ACTION_TIMEOUT_S)
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("the page shows an exception")
    return seconds


async def _open(page: Any, base: str, action: str, username: str, password: str, tally: Tally) -> None:
    """Log in through the form, then open the action's page from the sidebar (not timed against the target:
    the first page of eight sessions at once waits for bcrypt and the models, so it may take longer)."""
    page.set_default_timeout(SETUP_TIMEOUT_S * 1000)
    await page.goto(base + "/")
    await page.get_by_label("아이디").fill(username)
    await page.get_by_label("비밀번호").fill(password)
    tally.logins.append(await _idle_after(page, page.get_by_role("button", name="로그인").click))
    page_id, title = PAGE_OF[action]
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True)
    tally.opens.append(await _idle_after(page, link.click))
    await page.get_by_role("heading", name=web.HEADINGS.get(page_id, title)).wait_for()
    page.set_default_timeout(web.TIMEOUT_MS)


async def _step(page: Any, action: str, n: int) -> float:
    """One repetition of ``action`` (the ``n``-th of its session)."""
    if action == "whatif":
        wage = page.get_by_role("slider").first
        await wage.focus()
        return await _idle_after(page, lambda: wage.press("PageUp" if n % 2 == 0 else "PageDown"))
    if action == "caseload":
        search = page.get_by_role("textbox", name="검색 (구직자 번호 또는 희망 직종)")
        await search.fill(SEARCH_TERMS[n % len(SEARCH_TERMS)])
        return await _idle_after(page, lambda: search.press("Enter"))
    await page.get_by_role("textbox", name="공고 제목").fill(AD_TITLE.format(n=n))
    await page.get_by_role("textbox", name="공고 본문", exact=False).fill(AD_BODY.format(n=n))
    await page.get_by_role("textbox", name="연락처 (전화)").fill("02-123-4567")
    return await _idle_after(page, page.get_by_role("button", name="점검하기").click)


async def _session(browser: Any, base: str, index: int, action: str, passwords: dict[str, str], tally: Tally,
                   ready: asyncio.Barrier, stop_at: list[float], think_s: float) -> None:
    """One simulated user: log in and open the page, wait for the others, then repeat the action (a
    pause of about ``think_s`` seconds after each)."""
    pauses = random.Random(index)  # seeded: the same run twice pauses the same way
    accounts = ACCOUNTS[action]
    username = accounts[(index // len(ACTIONS)) % len(accounts)]
    page = await web.new_page_async(browser)
    try:
        try:
            await _open(page, base, action, username, passwords[username], tally)
        except Exception as err:  # noqa: BLE001 - counted, the run goes on
            tally.error(action, err)
        await ready.wait()
        n = 0
        while time.monotonic() < stop_at[0]:
            try:
                tally.times[action].append(await _step(page, action, n))
            except Exception as err:  # noqa: BLE001 - counted; the session reopens its page
                tally.error(action, err)
                with contextlib.suppress(Exception):
                    await _open(page, base, action, username, passwords[username], Tally())
            n += 1
            if think_s > 0:
                await asyncio.sleep(min(pauses.uniform(0.5 * think_s, 1.5 * think_s),
                                        max(0.0, stop_at[0] - time.monotonic())))
    finally:
        await page.context.close()


async def _sample_rss(pids: list[int], samples: dict[int, list[tuple[float, float]]], stop: asyncio.Event) -> None:
    start = time.monotonic()
    while not stop.is_set():
        for pid in pids:
            rss = web.rss_mb(pid)
            if rss is not None:
                samples[pid].append((time.monotonic() - start, rss))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), RSS_EVERY_S)


async def _drive(bases: list[str], pids: list[int], sessions: int, seconds: float, passwords: dict[str, str],
                 actions: tuple[str, ...], think_s: float) -> tuple[Tally, dict[int, list[tuple[float, float]]], float]:
    from playwright.async_api import async_playwright

    tally = Tally()
    samples: dict[int, list[tuple[float, float]]] = {pid: [] for pid in pids}
    stop_at = [float("inf")]
    load_start = [0.0]

    async def start_clock() -> None:
        stop_at[0] = time.monotonic() + seconds
        load_start[0] = os.getloadavg()[0]
        for pid in pids:
            cpu_at_start[pid] = web.cpu_seconds(pid) or 0.0
        stop_sampling.clear()
        sampler_task.append(asyncio.create_task(_sample_rss(pids, samples, stop_sampling)))

    stop_sampling = asyncio.Event()
    cpu_at_start: dict[int, float] = {}
    sampler_task: list[asyncio.Task] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=web.CHROMIUM, headless=True, args=web.CHROMIUM_ARGS)
        try:
            ready = asyncio.Barrier(sessions + 1)
            tasks = [asyncio.create_task(_session(browser, bases[i % len(bases)], i, actions[i % len(actions)], passwords,
                                                  tally, ready, stop_at, think_s))
                     for i in range(sessions)]
            await ready.wait()  # every session is on its page: the measured loop starts now
            await start_clock()
            await asyncio.gather(*tasks)
            tally.server_cpu_s = sum((web.cpu_seconds(pid) or 0.0) - cpu_at_start.get(pid, 0.0) for pid in pids)
        finally:
            stop_sampling.set()
            for task in sampler_task:
                await task
            await browser.close()
    return tally, samples, load_start[0]


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 3)


def _slope_per_min(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of RSS over time (MB per minute)."""
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return round(60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den, 2) if den else None


def _wait_quiet(pids: list[int], *, window_s: float = 5.0, share: float = 0.05, windows: int = 2,
                limit_s: float = 600.0) -> float:
    """Wait until the servers' warm-up (models, verdicts, the Korean analyser loaded in background threads at
    start) is over — each uses under ``share`` of a core for ``windows`` windows of ``window_s`` in a row (a
    warm-up step waiting on the database looks quiet for a few seconds) — so that its CPU is not counted as the
    sessions'. Returns the seconds waited."""
    start, quiet = time.monotonic(), 0
    while time.monotonic() - start < limit_s and quiet < windows:
        before = [web.cpu_seconds(pid) or 0.0 for pid in pids]
        time.sleep(window_s)
        after = [web.cpu_seconds(pid) or 0.0 for pid in pids]
        quiet = quiet + 1 if all(b - a < share * window_s for a, b in zip(before, after, strict=True)) else 0
    return time.monotonic() - start


def _prepare_world(folder: Path, db: Path, models: Path, db_url: str | None) -> web.DemoCopy:
    """A private copy of the demo world (and, for PostgreSQL, the world generated there when missing)."""
    demo = web.copy_demo_world(folder, db=db, models=models)
    if not (web.DEMO_RRN_KEY.exists() or "GOYONG_RRN_KEY_FILE" in os.environ):
        key = db.parent.parent / "config" / "rrn.key"  # the demo world's key next to its database
        if key.exists():
            demo.env["GOYONG_RRN_KEY_FILE"] = str(key)
    if db_url:
        from app.build import run_build
        from app.config import get_settings
        from app.db.engine import make_engine

        os.environ.update({k: v for k, v in demo.env.items() if k == "GOYONG_RRN_KEY_FILE"})
        get_settings.cache_clear()  # the build below reads the key's setting
        engine = make_engine(db_url)
        try:  # the same generator and seed: the copied models fit and are not retrained
            run_build(engine, Path(demo.env["GOYONG_MODELS_DIR"]), size=DEMO_SIZE, seed=DEMO_SEED)
        finally:
            engine.dispose()
        demo.env["GOYONG_DB_URL"] = db_url
    return demo


def run(sessions: int, seconds: float, processes: int, db_url: str | None, db: Path, models: Path,
        actions: tuple[str, ...] = ACTIONS, think_s: float = THINK_S) -> dict[str, Any]:
    """Run the load and return the report (see the module docstring for its keys)."""
    if processes > 1 and not db_url:
        raise SystemExit("--processes 2 이상은 PostgreSQL(--db-url)이 필요합니다: SQLite 파일은 한 프로세스용입니다.")
    with tempfile.TemporaryDirectory(prefix="goyong_load_") as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        demo = _prepare_world(folder / "world", db, models, db_url)
        env = {**demo.env, "GOYONG_SESSION_SECRET": "load-bench-" + "s" * 32}  # one secret for every replica
        bases = [stack.enter_context(web.streamlit_server(env, folder / f"server{i}.log")) for i in range(processes)]
        pids = [pid for pid in (web.server_pid(base) for base in bases) if pid is not None]
        warm_up_s = _wait_quiet(pids)
        tally, samples, load_start = asyncio.run(_drive(bases, pids, sessions, seconds, demo.passwords, actions, think_s))
        load_end = os.getloadavg()[0]
    actions = {
        action: {"n": len(times), "p50_s": _quantile(times, 0.5), "p95_s": _quantile(times, 0.95),
                 "max_s": round(max(times), 3) if times else None, "errors": tally.errors[action]}
        for action, times in tally.times.items() if action in actions
    }
    rss = {
        f"process{i + 1}": {
            "start": round(points[0][1], 1) if points else None, "end": round(points[-1][1], 1) if points else None,
            "max": round(max(p[1] for p in points), 1) if points else None,
            "slope_mb_per_min": _slope_per_min(points), "samples": len(points),
        }
        for i, points in enumerate(samples.values())
    }
    errors = sum(tally.errors.values())
    p95s = [a["p95_s"] for a in actions.values() if a["p95_s"] is not None]
    return {
        "sessions": sessions, "processes": processes, "seconds": seconds, "think_s": think_s,
        "database": "postgresql" if db_url else "sqlite",
        "actions": actions,
        "setup": {"server_warm_up_s": round(warm_up_s, 1), "login_p50_s": _quantile(tally.logins, 0.5), "login_max_s": max(tally.logins, default=None),
                  "open_page_p50_s": _quantile(tally.opens, 0.5), "open_page_max_s": max(tally.opens, default=None)},
        "errors": errors, "error_samples": tally.error_samples,
        "server_cpu_s": round(tally.server_cpu_s, 1),
        "server_cpu_s_per_action": round(tally.server_cpu_s / max(1, sum(len(t) for t in tally.times.values())), 3),
        "rss_mb": rss,
        "load_average": {"start": round(load_start, 2), "end": round(load_end, 2)},
        "targets": {"p95_s": TARGET_P95_S, "errors": 0},
        "passed": bool(p95s) and max(p95s) <= TARGET_P95_S and errors == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL shared by the processes (the world is put there)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="demo SQLite world to copy")
    parser.add_argument("--models", type=Path, default=DEFAULT_MODELS, help="its built models")
    parser.add_argument("--actions", default=",".join(ACTIONS), help="what the sessions do, in turn (profiling one)")
    parser.add_argument("--think-s", type=float, default=THINK_S,
                        help="average pause between a session's actions (0: back to back, a stress test)")
    args = parser.parse_args()
    actions = tuple(a.strip() for a in args.actions.split(",") if a.strip())
    if not actions or set(actions) - set(ACTIONS):
        parser.error(f"--actions: {', '.join(ACTIONS)} 중에서 고르세요")
    print(json.dumps(run(args.sessions, args.seconds, args.processes, args.db_url, args.db, args.models, actions,
                         args.think_s),
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
