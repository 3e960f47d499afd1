"""A newcomer's first run (issue 20 §2): fresh clone → install → build → first page; prints one JSON object.

Clones this repository's ``HEAD`` (committed work only) into a temporary folder and follows the
README's "Two commands" (``make run``): install into a new ``.venv`` from pip's cache, ``python -m
app build`` (demo world, every artifact, service logs), then ``streamlit run`` until the health
endpoint answers and the home page (the login form) has rendered in Debian's chromium (without
chromium: until the page's HTML is served).

Usage::

    python bench/first_run.py                    # install included (a new venv, pip's cache)
    python bench/first_run.py --reuse-venv       # install excluded: this interpreter's venv
    python bench/first_run.py --size small       # a quicker check of the steps

Keys:
    install_s (0 with ``--reuse-venv``), build_s, first_page_s (server start to the rendered
    login page), total_s, install_included, size, browser (``chromium`` or ``http``), cores,
    load_average (before the run), targets (build_s ≤ 90, total_s ≤ 180 with install).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy  # noqa: E402


def _run(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("a") as out:
        subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=out, stderr=subprocess.STDOUT)
    return time.perf_counter() - started


def _first_page(python: str, clone: Path, env: dict[str, str], log: Path) -> tuple[float, str]:
    """Seconds from ``streamlit run`` to the rendered login page, and how it was observed."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("a") as out:
        proc = subprocess.Popen([python, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false"], cwd=clone, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc, timeout=180)
        if not Path(CHROMIUM).exists():
            with urllib.request.urlopen(url, timeout=30) as resp:  # local server
                resp.read()
            return time.perf_counter() - started, "http"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.get_by_role("button", name="로그인").wait_for(timeout=120_000)  # the home page's login form
            seconds = time.perf_counter() - started
            browser.close()
        return seconds, "chromium"
    finally:
        proc.kill()  # the measurement is over: nothing of the server's state is kept
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse-venv", action="store_true", help="install excluded: use this interpreter")
    parser.add_argument("--size", choices=["small", "demo"], default="demo")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args(argv)
    out: dict[str, object] = {"install_included": not args.reuse_venv, "size": args.size, "cores": os.cpu_count(),
                              "load_average": [round(x, 2) for x in os.getloadavg()]}
    tmp = Path(tempfile.mkdtemp(prefix="goyong-first-run-"))
    clone = tmp / "goyong-ai"
    log = tmp / "first_run.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOYONG_")}  # the clone's own defaults
    env["GOYONG_WORLD_SIZE"] = args.size
    if args.size == "small":
        env["GOYONG_SERVICE_LOGS_SIZE"] = "small"
    total_started = time.perf_counter()
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        if args.reuse_venv:
            python = sys.executable
            out["install_s"] = 0.0
        else:
            # `make install`: a new .venv, packages from pip's cache
            out["install_s"] = round(_run(["make", "install"], clone, env, log), 1)
            python = str(clone / ".venv" / "bin" / "python")
        out["build_s"] = round(_run([python, "-m", "app", "build"], clone, env, log), 1)
        first_page, how = _first_page(python, clone, env, log)
        out["first_page_s"] = round(first_page, 1)
        out["browser"] = how
        out["total_s"] = round(time.perf_counter() - total_started, 1)
    finally:
        if args.keep:
            out["clone"] = str(clone)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    out["targets"] = {"build_s": 90, "total_s": 180}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
