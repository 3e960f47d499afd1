"""Build the ``st.navigation`` structure from ``app.access.PAGES``: the role's pages, and while logged
out the login form under every page's URL (so a pasted link shows the login, never "page not found")."""

from __future__ import annotations

import streamlit as st

from app.access import PAGES, can_access, pages_for_role

LOGIN_PAGE = "pages/login.py"


def build_pages(role: str | None) -> dict[str, list[st.Page]]:
    """``st.Page`` objects the role may open, by section (empty sections are left out).

    The pages the role may not open are registered too, hidden from the menu, so their URL (a
    pasted link, a deep link remembered through the login) runs the page's own guard, which refuses
    in Korean, instead of Streamlit's English "page not found" dialog. The guard
    (``components.auth.require_role``) is the first thing every page runs, so nothing else of such a
    page is ever executed for that role.
    """
    sections = {
        section: [
            st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon or None, default=spec.default)
            for spec in specs
        ]
        for section, specs in pages_for_role(role).items()
    }
    if sections:
        refused = [
            st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon or None, visibility="hidden")
            for spec in PAGES
            if not can_access(role, spec.page_id)
        ]
        next(iter(sections.values())).extend(refused)
    return sections


def login_page() -> st.Page:
    """The login form at the app's root URL (the default page while logged out)."""
    return st.Page(LOGIN_PAGE, title="로그인", url_path="login", icon=":material/login:", default=True)


def login_pages() -> list[st.Page]:
    """The login form under the root URL and under every page's URL path (logged-out visitors).

    Each page's URL path resolves to the login form, so a pasted ``/hiring?posting=12`` shows the
    form instead of a "page not found" dialog; the router remembers the path and the login opens
    that page (same URL path, same page hash) with its query parameters.
    """
    return [login_page()] + [
        st.Page(LOGIN_PAGE, title="로그인", url_path=spec.url_path, icon=":material/login:") for spec in PAGES
    ]
