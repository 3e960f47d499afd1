"""Build the ``st.navigation`` structure for a role from ``app.auth.PAGES``."""

from __future__ import annotations

import streamlit as st

from app.auth import pages_for_role

LOGIN_PAGE = "pages/login.py"


def build_pages(role: str | None) -> dict[str, list[st.Page]]:
    """``st.Page`` objects the role may open, by section (empty sections are left out)."""
    return {
        section: [
            st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon or None, default=spec.default)
            for spec in specs
        ]
        for section, specs in pages_for_role(role).items()
    }


def login_page() -> st.Page:
    """The only page a logged-out visitor can reach."""
    return st.Page(LOGIN_PAGE, title="로그인", url_path="login", icon=":material/login:", default=True)
