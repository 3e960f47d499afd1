"""Named session-state keys and typed getters (one place, so pages never invent their own keys).

``.streamlit/config.toml`` sets ``enforceSerializableSessionState = true``: only plain picklable
values (dicts, strings, numbers, tuples) go in here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

AUTH_USER = "auth.user"
"""The logged-in user as a plain dict (``app.auth.User.to_dict()``)."""

LOGIN_USERNAME = "auth.login.username"
LOGIN_PASSWORD = "auth.login.password"
LOGIN_ERROR = "auth.login.error"
LOGOUT_BUTTON = "auth.logout"

# data explorer filters
EXPLORER_REGION = "explorer.region"
EXPLORER_MAJOR = "explorer.major"
EXPLORER_KECO = "explorer.keco"
EXPLORER_TABS = "explorer.tabs"
POSTINGS_PERIOD = "explorer.postings.period"
POSTINGS_EMPLOYMENT = "explorer.postings.employment"
POSTINGS_WAGE = "explorer.postings.wage"
POSTINGS_MINE = "explorer.postings.mine"
SEEKERS_PERIOD = "explorer.seekers.period"
SEEKERS_WAGE = "explorer.seekers.wage"
COURSES_PERIOD = "explorer.courses.period"


def current_user() -> dict[str, Any] | None:
    """The logged-in user dict, or ``None``."""
    user = st.session_state.get(AUTH_USER)
    return user if isinstance(user, dict) else None


def set_user(user: dict[str, Any]) -> None:
    """Remember the logged-in user (a plain dict)."""
    st.session_state[AUTH_USER] = dict(user)


def clear_user() -> None:
    """Forget the logged-in user and the typed password."""
    for key in (AUTH_USER, LOGIN_PASSWORD):
        st.session_state.pop(key, None)
