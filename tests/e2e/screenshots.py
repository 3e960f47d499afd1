"""README pictures: what each role sees, taken by a real browser from the demo world (`make screenshots`).

Starts ``streamlit run`` on a private copy of the demo world (``data/goyong.db``, ``models/``; nothing
is written to the originals), logs in as each role with fresh accounts, opens the pages a newcomer
should see first and saves a 1440×900 picture of each to ``docs/images/<role>-<page>.png``. The
pictures are reduced to a 256-colour palette (Pillow; no PNG optimiser is installed on the build
machines), which keeps text sharp at about a third of the size.

Usage: python -m tests.e2e.screenshots [--out docs/images] [--only employer-hiring,...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.access import PAGES, PageSpec
from tests.e2e import browser as web

OUT = web.ROOT / "docs" / "images"
PAGE_TIMEOUT_S = 180.0

# A sample ad with two unlawful conditions (age and sex), so that 공고 사전 점검 shows its findings.
SAMPLE_AD_TITLE = "홀 서빙 직원 모집 (35세 이하 여성)"
SAMPLE_AD_BODY = (
    "[담당 업무] 홀 서빙, 주문 응대, 매장 정리\n"
    "[자격 요건] 35세 이하 여성, 용모 단정한 분\n"
    "[근무 조건] 주 5일 10:00~19:00, 월 250만원, 4대보험\n"
    "[전형] 서류 접수 후 면접"
)


@dataclass(frozen=True)
class Shot:
    """One picture.

    Attributes:
        role: Role whose account takes it (file name prefix).
        page_id: Page to open (:data:`app.access.PAGES`).
        prepare: What to do on the page before the picture (fill a form...), or ``None``.
    """

    role: str
    page_id: str
    prepare: Callable[[Any], None] | None = None

    @property
    def name(self) -> str:
        """File name without the folder: ``<role>-<url path>.png``."""
        return f"{self.role}-{_spec(self.page_id).url_path}.png"


def _spec(page_id: str) -> PageSpec:
    return next(p for p in PAGES if p.page_id == page_id)


def _main(page: Any) -> Any:
    return page.locator('[data-testid="stMain"]')


def _scroll_to_top(locator: Any) -> None:
    """Scroll so that the element is near the top of the screen, below Streamlit's header."""
    locator.evaluate("""(el) => {
      el.scrollIntoView({block: 'start'});
      let box = el.parentElement;
      while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
      if (box) box.scrollTop -= 80;
    }""")


def _check_sample_ad(page: Any) -> None:
    """공고 사전 점검: check the sample ad and show its verdict."""
    page.get_by_label("공고 제목").fill(SAMPLE_AD_TITLE)
    page.locator("textarea").first.fill(SAMPLE_AD_BODY)
    started = web.page_clock(page)
    page.get_by_role("button", name="점검하기").click()
    web.wait_idle(page, since_ms=started, timeout_s=PAGE_TIMEOUT_S)
    verdict = _main(page).locator('[data-testid="stAlert"]')
    if verdict.count():
        _scroll_to_top(verdict.first)


def _draft_posting(page: Any) -> None:
    """구인공고 AI 작성지원: answer every question with its example through the form, make the draft."""
    expander = _main(page).locator('[data-testid="stExpander"]').filter(has_text="양식")
    if not expander.count():
        return
    expander.first.locator("summary").first.click()
    for field in expander.first.locator("input[type=text]").all():
        example = field.get_attribute("placeholder") or ""
        if example and not field.input_value():
            field.fill(example)
    generate = page.get_by_role("button", name="공고 초안 만들기")
    started = web.page_clock(page)
    expander.first.locator('[data-testid="stFormSubmitButton"] button').first.click()
    web.wait_idle(page, since_ms=started, ready=lambda: generate.count() > 0, timeout_s=PAGE_TIMEOUT_S)
    started = web.page_clock(page)
    generate.first.click()
    web.wait_idle(page, since_ms=started, timeout_s=PAGE_TIMEOUT_S)
    step = _main(page).get_by_role("heading", name="2. 초안 편집과 점검")
    if step.count():
        _scroll_to_top(step.first)


SHOTS: tuple[Shot, ...] = (
    Shot("employer", "home"),
    Shot("employer", "hiring"),
    Shot("employer", "posting_assistant", _draft_posting),
    Shot("employer", "ad_check", _check_sample_ad),
    Shot("counsellor", "employment_caseload"),
    Shot("counsellor", "employment_profile"),
    Shot("policy", "hiring_policy"),
    Shot("policy", "employment_policy"),
    Shot("policy", "ad_review"),
)
"""The pictures of the README's 화면 둘러보기, in its order."""

USERNAMES = {"employer": "employer1", "counsellor": "counsellor1", "policy": "policy1"}

_CHARTS_DRAWN = """
() => {
  const main = document.querySelector('[data-testid="stMain"]') || document;
  return main.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').length
      >= main.querySelectorAll('[data-testid="stPlotlyChart"]').length;
}
"""


def _ready(page: Any, spec: PageSpec) -> Callable[[], bool]:
    title = web.heading(page, spec.page_id, spec.title)
    return lambda: title.first.is_visible() and bool(page.evaluate(_CHARTS_DRAWN))


def _open(page: Any, spec: PageSpec) -> None:
    if spec.default:
        return  # open since the login
    started = web.page_clock(page)
    web.nav_link(page, spec.title).click()
    web.wait_idle(page, since_ms=started, ready=_ready(page, spec), timeout_s=PAGE_TIMEOUT_S)


def save_compact_png(raw: bytes, path: Path) -> None:
    """Write a screenshot as a 256-colour PNG (text stays sharp; a third of the size)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        path.parent.mkdir(parents=True, exist_ok=True)
        palette.save(path, optimize=True)


def take(shots: tuple[Shot, ...], out: Path) -> list[Path]:
    """Take ``shots`` on a private copy of the demo world; returns the files written."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="goyong-screenshots-") as tmp:
        demo = web.copy_demo_world(Path(tmp) / "world")
        with web.streamlit_server(demo.env, Path(tmp) / "streamlit.log") as url, web.chromium() as browser:
            for role in dict.fromkeys(s.role for s in shots):
                page = web.new_page(browser)
                try:
                    username = USERNAMES[role]
                    web.login(page, url, username, demo.passwords[username])
                    home = next(p for p in PAGES if p.default)
                    # the login opened a new document: its clock starts at 0
                    web.wait_idle(page, since_ms=0.0, must_run=False, ready=_ready(page, home),
                                  timeout_s=PAGE_TIMEOUT_S)
                    for shot in (s for s in shots if s.role == role):
                        _open(page, _spec(shot.page_id))
                        if shot.prepare is not None:
                            shot.prepare(page)
                        else:
                            _main(page).evaluate("(el) => el.scrollTo(0, 0)")
                        if web.has_exception(page):
                            raise RuntimeError(f"{shot.name}: 화면에 오류가 표시되었습니다")
                        page.mouse.move(0, 0)  # no hover tooltip in the picture
                        page.wait_for_timeout(300)
                        path = out / shot.name
                        save_compact_png(page.screenshot(), path)
                        written.append(path)
                        print(f"{path.relative_to(web.ROOT) if path.is_relative_to(web.ROOT) else path}")
                finally:
                    page.context.close()
    return written


def main() -> None:
    """Take the README pictures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the pictures (default docs/images)")
    parser.add_argument("--only", help="file names without .png, comma-separated (e.g. employer-hiring)")
    args = parser.parse_args()
    if not web.chromium_available():
        print(f"{web.CHROMIUM}이(가) 없습니다. Debian chromium 패키지를 설치하세요.", file=sys.stderr)
        sys.exit(1)
    shots = SHOTS
    if args.only:
        wanted = {n.strip().removesuffix(".png") for n in args.only.split(",")}
        shots = tuple(s for s in SHOTS if s.name.removesuffix(".png") in wanted)
        if not shots:
            parser.error(f"알 수 없는 그림: {args.only} (가능: {', '.join(s.name for s in SHOTS)})")
    try:
        take(shots, args.out)
    except FileNotFoundError as err:
        print(str(err), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
