"""Imported text never becomes markdown: every free-text field a file import can fill (employer
names, posting sections, seekers' documents and notes, course texts, employers' messages to seekers) carries a link, an external
image, bold text and a Streamlit colour directive, and every page, opened by every role allowed to
open it, shows them only as literal text."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.access import PAGE_ACCESS, PAGES
from app.config import get_settings
from tests.conftest import copy_world_database
from tests.ui.helpers import point_settings_at, user_dict

PAYLOAD = " [클릭](http://evil.example/x) ![추적](http://evil.example/p.png) **굵게** :red[빨강] <img src=x>"
# What each piece looks like when markdown would act on it (escaped text never holds these).
LIVE_MARKUP = (
    re.compile(r"(?<!\\)\]\(http"),  # a link target
    re.compile(r"(?<!\\)!(?<!\\)\["),  # an image
    re.compile(r"(?<!\\)\*\*굵게"),  # bold
    re.compile(r"(?<!\\):red(?<!\\)\[빨강"),  # a colour directive
    re.compile(r"(?<!\\)<img"),  # raw HTML
)
TEXT_COLUMNS = {
    "employers": ("name", "address"),
    "postings": ("title", "company_intro", "duties", "requirements", "preferred", "conditions", "benefits",
                 "process", "documents", "body", "contact"),
    "seekers": ("name", "major", "skills", "resume_text", "cover_letter_text", "address"),
    "counsellor_notes": ("counsellor", "text"),
    "courses": ("title", "institution", "description", "skills"),
    "posting_labels": ("evidence",),
}
TIMEOUT = 180
EMPLOYER_ID = 1


@pytest.fixture(scope="module")
def injected_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built world whose free-text fields all end with :data:`PAYLOAD`."""
    url, _ = hiring_built
    path = copy_world_database(url, tmp_path_factory.mktemp("markup") / "markup.db")
    with sqlite3.connect(path) as conn:
        for table, columns in TEXT_COLUMNS.items():
            # table and column names are this module's constants; the payload is a bound parameter
            assignments = ", ".join(f"{c} = {c} || :p" for c in columns)
            conn.execute(f"UPDATE {table} SET {assignments}", {"p": PAYLOAD})
        # contact requests to seeker 1 (the seeker pages' user): the employers' names, titles and a message
        for status in ("pending", "declined"):
            conn.execute("INSERT INTO contact_requests (employer_id, posting_id, seeker_id, requested_by, message, status, "
                         "created_at, decided_at, decided_by) SELECT employer_id, id, 1, 'markup', :p, :s, "
                         "'2026-01-01 00:00:00', NULL, '' FROM postings ORDER BY id LIMIT 1 OFFSET :o",
                         {"p": PAYLOAD, "s": status, "o": 0 if status == "pending" else 1})
    return path


@pytest.fixture
def markup_env(
    monkeypatch: pytest.MonkeyPatch, injected_db: Path, hiring_built: tuple[str, Path], users_file: Path
) -> Iterator[str]:
    yield point_settings_at(monkeypatch, injected_db, hiring_built[1], users_file)
    get_settings.cache_clear()


def _shown_markdown(at: AppTest) -> list[str]:
    """Every string the page hands to a markdown renderer (bodies, labels, options, help)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "toast", "latex"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("expander", "tabs", "metric", "button", "checkbox", "toggle", "radio", "selectbox",
                 "multiselect", "text_input", "text_area", "number_input", "slider", "select_slider"):
        for widget in getattr(at, kind):
            for attr in ("label", "help"):
                value = getattr(widget, attr, None)
                if isinstance(value, str):
                    out.append(value)
            if kind == "radio":  # radio options are rendered as markdown
                out += [str(o) for o in getattr(widget, "options", [])]
    return out


def _pages_and_roles() -> list[tuple[str, str]]:
    return [(spec.path, role) for spec in PAGES for role in sorted(PAGE_ACCESS[spec.page_id])]


@pytest.mark.parametrize(("page", "role"), _pages_and_roles())
def test_imported_markup_is_shown_literally(markup_env: str, page: str, role: str) -> None:
    at = AppTest.from_file(f"../../{page}", default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict(role, EMPLOYER_ID if role == "employer" else None,
                                              1 if role == "seeker" else None)
    if page.endswith("employment_profile.py"):
        at.query_params["seeker"] = "1"
    if page.endswith("hiring_simulator.py"):
        at.query_params["posting"] = _first_posting(markup_env)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = _shown_markdown(at)
    live = [s for s in shown for pattern in LIVE_MARKUP if pattern.search(s)]
    assert not live, f"{page} as {role} renders imported markup: {live[:3]}"


def _first_posting(url: str) -> str:
    from tests.ui.helpers import db_scalar

    return str(db_scalar(url, "SELECT min(id) FROM postings WHERE employer_id = :e", e=EMPLOYER_ID))


def test_the_payload_reaches_the_pages(markup_env: str) -> None:
    """The check above is not vacuous: the queue page shows an injected employer name (escaped)."""
    at = AppTest.from_file("../../pages/ad_review.py", default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict("policy")
    at.run()
    joined = "\n".join(_shown_markdown(at))
    assert r"\[클릭\]\(http" in joined


@pytest.mark.parametrize(("page", "role", "radio", "sections"), [
    ("pages/copilot.py", "counsellor", "copilot.section",
     ("roadmap", "competency", "cover_letter", "fit", "stage_qa")),
    ("pages/seeker_copilot.py", "seeker", "seeker_copilot.section", ("roadmap",)),
])
def test_every_copilot_section_shows_imported_markup_literally(markup_env: str, page: str, role: str, radio: str,
                                                               sections: tuple[str, ...]) -> None:
    """The copilot quotes the seeker's documents and postings in sections the page-wide check above
    does not open (it sees the first one): each is walked here."""
    at = AppTest.from_file(f"../../{page}", default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user_dict(role, None, 1 if role == "seeker" else None)
    at.run()
    seen: list[str] = []
    for section in sections:
        at.radio(key=radio).set_value(section).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = _shown_markdown(at)
        live = [s for s in shown for pattern in LIVE_MARKUP if pattern.search(s)]
        assert not live, f"{page} section {section} renders imported markup: {live[:3]}"
        seen += shown
    if role == "counsellor":  # not vacuous: the fit section quotes the injected posting titles (escaped)
        assert any(r"\*\*굵게" in s for s in seen)
