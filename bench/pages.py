"""Page speed as users meet it: real Chromium against `streamlit run` on the demo world; prints one JSON object.

Measured with Debian's /usr/bin/chromium driven by Playwright (``tests/e2e/browser.py``) at 1440×900,
on a private copy of the demo world (``data/goyong.db``, ``models/``; saves land in the copy) with
fresh accounts at the production bcrypt cost. Every timing runs from the user's action (click,
key press) to the moment the app is idle again — Streamlit's script state back to ``notRunning``
after a run that the action started, no spinner or running indicator, the page's title and main
content visible and every chart drawn — and not a settle window longer.

* **cold** — first load of a page after a server restart: a fresh server per page; log in (the
  home page's cold figure is the median of all these logins: login click → home idle), then click
  the page in the sidebar. Pages open as policy staff where allowed, else as a counsellor, else as
  an employer, else as a job seeker (``cold_role``): they see the most data.
* **warm** — the same page opened again later in the session: per role, every page once to start,
  then ``--repeat`` rounds through all of them; the median per role, the slowest role per page.
* **saves** — click on the save button → its success message: a review decision (구인광고 검증
  대기열, a rejection with a comment), a band override (구직자 프로파일), a scenario (채용
  시뮬레이터, employer) and a posting (구인공고 AI 작성지원, employer: the form filled with the
  questions' examples, a draft made — its time is under ``other`` — then saved). Medians of
  ``--repeat`` (the posting once).
* **whatif_browser_s** — the wage slider of 채용 시뮬레이터 moved one step with the keyboard → the
  probability card's text changed and the app idle (median of ``--repeat``).

Anything that cannot be found (a renamed button, a page without rows) is ``null`` with its reason
under ``unavailable``; the run goes on. Targets (issue 14): every page ≤ 2 s warm and ≤ 5 s cold,
every save ≤ 1 s, a what-if ≤ 0.8 s.

Usage: python bench/pages.py [--pages home,ad_review,...] [--repeat 3] [--no-cold]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.access import PAGES, PageSpec, pages_for_role  # noqa: E402 - after the path fix
from tests.e2e import browser as web  # noqa: E402

TARGETS = {"max_warm_s": 2.0, "max_cold_s": 5.0, "max_save_s": 1.0, "whatif_browser_s": 0.8}
ROLES = {"employer": "employer1", "counsellor": "counsellor1", "policy": "policy1", "seeker": "seeker1"}
COLD_ROLE_PREFERENCE = ("policy", "counsellor", "employer", "seeker")
PAGE_TIMEOUT_S = 180.0
ACTION_TIMEOUT_S = 180.0

# Main content: every page shows at least one of these below its title; charts must be drawn.
_CONTENT_READY = """
() => {
  const main = document.querySelector('[data-testid="stMain"]') || document;
  const any = ['stMetric', 'stDataFrame', 'stPlotlyChart', 'stForm', 'stButton', 'stAlert', 'stTable',
               'stTabs', 'stExpander', 'stChatInput', 'stMarkdown'].some(
    (id) => main.querySelector(`[data-testid="${id}"]`) !== null);
  const charts = main.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  const drawn = main.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').length;
  return any && drawn >= charts;
}
"""
_ALERT_TEXTS = """
() => Array.from(document.querySelectorAll('[data-testid="stAlert"], [data-testid="stToast"]'))
  .map((el) => el.innerText.trim())
"""


class Unavailable(Exception):
    """A measurement whose button, field or data could not be found (the reason is the message)."""


def _page_ready(page: Any, spec: PageSpec) -> Callable[[], bool]:
    title = web.heading(page, spec.page_id, spec.title)
    return lambda: title.first.is_visible() and bool(page.evaluate(_CONTENT_READY))


def _open(page: Any, spec: PageSpec) -> float:
    """Click a page in the sidebar; seconds until it is shown and idle."""
    started = web.page_clock(page)
    web.nav_link(page, spec.title).click()
    return web.wait_idle(page, since_ms=started, ready=_page_ready(page, spec), timeout_s=PAGE_TIMEOUT_S)


def _login(page: Any, url: str, username: str, password: str) -> float:
    """Log in through the form; seconds from the click to the home page shown and idle."""
    page.goto(url + "/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    home = next(p for p in PAGES if p.default)
    started = web.page_clock(page)
    page.get_by_role("button", name="로그인").click()
    return web.wait_idle(page, since_ms=started, ready=_page_ready(page, home), timeout_s=PAGE_TIMEOUT_S)


def _allowed(role: str, wanted: set[str] | None) -> list[PageSpec]:
    specs = [s for group in pages_for_role(role).values() for s in group]
    return [s for s in specs if wanted is None or s.page_id in wanted or s.default]


def _cold_role(spec: PageSpec) -> str:
    return next(r for r in COLD_ROLE_PREFERENCE if any(s.page_id == spec.page_id for s in _allowed(r, None)))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


# --------------------------------------------------------------------------- saves


def _new_success(page: Any, before: list[str], words: tuple[str, ...]) -> Callable[[], bool]:
    """True once an alert or toast not shown before the click says one of ``words``."""
    def ready() -> bool:
        return any(t not in before and any(w in t for w in words) for t in page.evaluate(_ALERT_TEXTS))
    return ready


def _click_and_wait(page: Any, button: Any, words: tuple[str, ...]) -> float:
    if button.count() == 0:
        raise Unavailable("저장 버튼을 찾지 못했습니다")
    if button.first.is_disabled():
        raise Unavailable("저장 버튼이 비활성입니다")
    before = page.evaluate(_ALERT_TEXTS)
    started = web.page_clock(page)
    button.first.click()
    seconds = web.wait_idle(page, since_ms=started, ready=_new_success(page, before, words), timeout_s=ACTION_TIMEOUT_S)
    return seconds


def _pick_radio(form: Any, preferred: tuple[str, ...], turn: int = 0) -> None:
    """Choose the first radio option whose label contains one of ``preferred``; without a match, option
    ``turn`` (cyclically), so that repeated saves differ and each shows a message of its own."""
    labels = form.locator('[data-testid="stRadio"] label:has(input[type="radio"])')
    if labels.count() == 0:
        return
    texts = [t.strip() for t in labels.all_inner_texts()]
    for word in preferred:
        for i, label in enumerate(texts):
            if word in label:
                labels.nth(i).click()
                return
    labels.nth(turn % len(texts)).click()


def _fill_text_areas(form: Any, text: str) -> None:
    for area in form.locator("textarea").all():
        area.fill(text)


def save_review(page: Any, spec: PageSpec, repeat: int) -> list[float]:
    """Review decisions on 구인광고 검증 대기열: reject the ad shown in detail, with a comment."""
    _open(page, spec)
    times = []
    for i in range(repeat):
        button = page.get_by_role("button", name="검토 결과 저장")
        if button.count() == 0:
            button = page.locator('[data-testid="stForm"]').get_by_role("button", name="저장")
        if button.count() == 0:
            raise Unavailable("검토 양식(‘검토 결과 저장’)을 찾지 못했습니다")
        form = page.locator('[data-testid="stForm"]').filter(has=button.first)
        _pick_radio(form, ("반려", "보류"))
        _fill_text_areas(form, f"성능 측정용 검토 의견 {i + 1}번입니다")
        page.wait_for_timeout(300)  # the text area commits on blur: let it reach the server first
        times.append(_click_and_wait(page, button, ("처리했습니다", "저장했습니다", "저장")))
    return times


def save_override(page: Any, spec: PageSpec, repeat: int) -> list[float]:
    """Band overrides on 구직자 프로파일 for the seeker shown first."""
    _open(page, spec)
    times = []
    for i in range(repeat):
        button = page.get_by_role("button", name="조정 저장")
        if button.count() == 0:
            raise Unavailable("위험도 조정 양식(‘조정 저장’)을 찾지 못했습니다")
        form = page.locator('[data-testid="stForm"]').filter(has=button.first)
        _pick_radio(form, (), turn=i)
        _fill_text_areas(form, f"상담에서 확인한 사정으로 조정합니다 ({i + 1})")
        page.wait_for_timeout(300)
        times.append(_click_and_wait(page, button, ("조정했습니다", "저장했습니다", "저장")))
    return times


def save_scenario(page: Any, spec: PageSpec, repeat: int) -> list[float]:
    """Scenario saves on 채용 시뮬레이터 (employer), one name each."""
    _open(page, spec)
    times = []
    for i in range(repeat):
        name = page.get_by_label("시나리오 이름")
        button = page.get_by_role("button", name="현재 조건 저장")
        if name.count() == 0 or button.count() == 0:
            raise Unavailable("시나리오 저장(‘시나리오 이름’, ‘현재 조건 저장’)을 찾지 못했습니다")
        name.first.fill(f"측정 시나리오 {i + 1} {time.strftime('%H%M%S')}")
        name.first.press("Tab")
        page.wait_for_timeout(300)
        times.append(_click_and_wait(page, button, ("저장했습니다",)))
    return times


def save_posting(page: Any, spec: PageSpec) -> tuple[float, float]:
    """구인공고 AI 작성지원 (employer): the form filled with the questions' own examples, a draft made,
    the posting saved. Returns (draft seconds, save seconds)."""
    _open(page, spec)
    expander = page.locator('[data-testid="stExpander"]').filter(has_text="양식")
    if expander.count() == 0:
        raise Unavailable("‘양식으로 한 번에 입력’ 펼침 영역을 찾지 못했습니다")
    expander.first.locator("summary").first.click()
    inputs = expander.first.locator("input[type=text], input:not([type])")
    if inputs.count() == 0:
        raise Unavailable("양식 입력란을 찾지 못했습니다")
    for field in inputs.all():
        example = field.get_attribute("placeholder") or ""
        if example and not field.input_value():
            field.fill(example)
    apply = expander.first.locator('[data-testid="stFormSubmitButton"] button')
    if apply.count() == 0:
        raise Unavailable("양식의 적용 버튼을 찾지 못했습니다")
    generate = page.get_by_role("button", name="공고 초안 만들기")
    started = web.page_clock(page)
    apply.first.click()
    try:
        web.wait_idle(page, since_ms=started, ready=lambda: generate.count() > 0, timeout_s=ACTION_TIMEOUT_S)
    except web.NotIdle as err:
        raise Unavailable("‘공고 초안 만들기’ 버튼이 나오지 않았습니다 (양식의 예시 답변을 읽지 못함)") from err
    editor = page.get_by_role("button", name="공고 저장")
    started = web.page_clock(page)
    generate.first.click()
    draft_s = web.wait_idle(page, since_ms=started, ready=lambda: editor.count() > 0, timeout_s=ACTION_TIMEOUT_S)
    save_s = _click_and_wait(page, editor, ("저장했습니다",))
    return draft_s, save_s


def whatif(page: Any, spec: PageSpec, repeat: int) -> list[float]:
    """채용 시뮬레이터: the wage slider (the first) to its end, then its start, alternately, with the keyboard
    → the probability card changed. (One wage step often leaves the rounded percentage as it was; the
    model and the page do the same work for any step.)"""
    _open(page, spec)
    slider = page.locator('[data-testid="stMain"]').get_by_role("slider")
    cards = page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
    if slider.count() == 0 or cards.count() == 0:
        raise Unavailable("조건 슬라이더나 채용확률 카드를 찾지 못했습니다")
    times = []
    for i in range(repeat):
        before = cards.first.inner_text()
        slider.first.focus()
        started = web.page_clock(page)
        page.keyboard.press("End" if i % 2 == 0 else "Home")
        times.append(web.wait_idle(page, since_ms=started, ready=lambda b=before: cards.first.inner_text() != b,
                                   timeout_s=ACTION_TIMEOUT_S))
    return times


# --------------------------------------------------------------------------- phases


def measure_cold(browser: Any, demo: web.DemoCopy, specs: list[PageSpec], log_dir: Path) -> tuple[dict, list, dict]:
    """One fresh server per page. Returns ({page_id: seconds}, home samples, {page_id: reason})."""
    cold: dict[str, float] = {}
    home_samples: list[float] = []
    failed: dict[str, str] = {}
    for n, spec in enumerate(specs):
        role = _cold_role(spec)
        with web.streamlit_server(demo.env, log_dir / f"cold-{n}.log") as url:
            page = web.new_page(browser)
            try:
                home_samples.append(_login(page, url, ROLES[role], demo.passwords[ROLES[role]]))
                if not spec.default:
                    cold[spec.page_id] = _open(page, spec)
            except Exception as err:  # noqa: BLE001 - a bench reports a page it could not time and goes on
                failed[spec.page_id] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
            finally:
                page.context.close()
    return cold, home_samples, failed


def measure_warm(page: Any, specs: list[PageSpec], repeat: int) -> tuple[dict[str, float], dict[str, str]]:
    """Each page once, then ``repeat`` rounds; median per page."""
    samples: dict[str, list[float]] = {s.page_id: [] for s in specs}
    failed: dict[str, str] = {}
    order = [s for s in specs if not s.default] + [s for s in specs if s.default]  # home last: it is open now
    for round_no in range(repeat + 1):
        for spec in order:
            if spec.page_id in failed:
                continue
            try:
                seconds = _open(page, spec)
            except Exception as err:  # noqa: BLE001
                failed[spec.page_id] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
                continue
            if round_no:
                samples[spec.page_id].append(seconds)
    return {k: v for k, v in ((k, _median(v)) for k, v in samples.items()) if v is not None}, failed


def _try(label: str, unavailable: dict[str, str], run: Callable[..., Any], *args: Any) -> Any:
    """``run(*args)``, or ``None`` with the reason under ``unavailable[label]``."""
    try:
        return run(*args)
    except Exception as err:  # noqa: BLE001 - reported as null with its reason
        unavailable[label] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}" if str(err) else type(err).__name__
        return None


def measure_actions(page: Any, role: str, specs: list[PageSpec], repeat: int, results: dict[str, Any]) -> None:
    """The saves and the what-if this role can do (their pages among ``specs``), into ``results``."""
    by_id = {s.page_id: s for s in specs}
    unavailable = results["unavailable"]
    saves, other = results["saves"], results["other"]
    if role == "policy" and "ad_review" in by_id:
        saves["ad_review.decision"] = _median(
            _try("ad_review.decision", unavailable, save_review, page, by_id["ad_review"], repeat) or [])
    if role == "counsellor" and "employment_profile" in by_id:
        saves["employment_profile.override"] = _median(
            _try("employment_profile.override", unavailable, save_override, page, by_id["employment_profile"], repeat)
            or [])
    if role == "employer" and "hiring" in by_id:
        results["whatif"] = _median(_try("whatif", unavailable, whatif, page, by_id["hiring"], repeat) or [])
        saves["hiring.scenario"] = _median(
            _try("hiring.scenario", unavailable, save_scenario, page, by_id["hiring"], repeat) or [])
    if role == "employer" and "posting_assistant" in by_id:
        done = _try("posting_assistant.save", unavailable, save_posting, page, by_id["posting_assistant"])
        other["posting_assistant.draft"] = _rounded(done[0]) if done else None
        saves["posting_assistant.save"] = _rounded(done[1]) if done else None


def main() -> None:
    """Measure and print the JSON object."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", help="page ids to measure, comma-separated (default: every page)")
    parser.add_argument("--repeat", type=int, default=3, help="warm rounds and repetitions of each save (default 3)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold loads (one server restart per page)")
    args = parser.parse_args()
    if not web.chromium_available():
        print(json.dumps({"error": f"{web.CHROMIUM}이(가) 없습니다 (Debian chromium 패키지)."}, ensure_ascii=False))
        sys.exit(1)
    wanted = {p.strip() for p in args.pages.split(",")} if args.pages else None
    unknown = (wanted or set()) - {p.page_id for p in PAGES}
    if unknown:
        parser.error(f"알 수 없는 화면: {', '.join(sorted(unknown))} (가능: {', '.join(p.page_id for p in PAGES)})")
    repeat = max(1, args.repeat)
    specs = [p for p in PAGES if (wanted is None or p.page_id in wanted or p.default) and _allowed_anyone(p)]
    load_before = os.getloadavg()[0]  # other work on the machine slows every figure: printed with them
    results: dict[str, Any] = {"unavailable": {}, "saves": {}, "other": {}, "whatif": None}
    unavailable: dict[str, str] = results["unavailable"]
    warm_by_role: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="goyong-bench-pages-") as tmp:
        folder = Path(tmp)
        demo = web.copy_demo_world(folder / "world")
        with web.chromium() as browser:
            cold, home_samples, cold_failed = ({}, [], {})
            if not args.no_cold:
                cold, home_samples, cold_failed = measure_cold(browser, demo, specs, folder)
            unavailable.update({f"cold.{k}": v for k, v in cold_failed.items()})
            with web.streamlit_server(demo.env, folder / "warm.log") as url:
                for role, username in ROLES.items():
                    page = web.new_page(browser)
                    try:
                        _login(page, url, username, demo.passwords[username])
                        role_specs = _allowed(role, wanted)
                        warm_by_role[role], failed = measure_warm(page, role_specs, repeat)
                        unavailable.update({f"warm.{role}.{k}": v for k, v in failed.items()})
                        measure_actions(page, role, role_specs, repeat, results)
                    except Exception as err:  # noqa: BLE001 - e.g. the login itself failed
                        unavailable[f"warm.{role}"] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
                    finally:
                        page.context.close()
    saves, other, whatif_s = results["saves"], results["other"], results["whatif"]
    pages: dict[str, dict[str, Any]] = {}
    for spec in specs:
        warm_roles = {r: w[spec.page_id] for r, w in warm_by_role.items() if spec.page_id in w}
        pages[spec.page_id] = {
            "title": spec.title,
            "cold_s": _median(home_samples) if spec.default else _rounded(cold.get(spec.page_id)),
            "cold_role": None if spec.default else _cold_role(spec),
            "warm_s": max(warm_roles.values()) if warm_roles else None,
            "warm_by_role": warm_roles,
        }
    colds = [p["cold_s"] for p in pages.values() if p["cold_s"] is not None]
    warms = [p["warm_s"] for p in pages.values() if p["warm_s"] is not None]
    save_values = [v for v in saves.values() if v is not None]
    figures = {
        "max_warm_s": max(warms) if warms else None,
        "max_cold_s": max(colds) if colds else None,
        "max_save_s": max(save_values) if save_values else None,
        "whatif_browser_s": whatif_s,
    }
    print(json.dumps({
        **figures,
        "targets": TARGETS,
        "met": {k: (None if v is None else v <= TARGETS[k]) for k, v in figures.items()},
        "pages": pages,
        "saves": saves,
        "other": other,
        "home_cold_samples": [round(v, 2) for v in home_samples],
        "unavailable": unavailable,
        "repeat": repeat,
        "load_average_1m": {"start": round(load_before, 1), "end": round(os.getloadavg()[0], 1),
                            "cpus": os.cpu_count()},
        "browser": "Debian chromium (headless), 1440×900",
        "world": "demo (copy of data/goyong.db and models/)",
    }, ensure_ascii=False, indent=2))


def _allowed_anyone(spec: PageSpec) -> bool:
    return any(any(s.page_id == spec.page_id for s in _allowed(r, None)) for r in ROLES)


if __name__ == "__main__":
    main()
