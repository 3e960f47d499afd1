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

# hiring simulator (pages/hiring_simulator.py) and its policy view (pages/hiring_policy.py)
NEW_POSTING = "new"
"""Value of the posting picker meaning "enter a new posting" (ids are ints, so no clash)."""
HIRING_POSTING_ID = "hiring.posting_id"
"""Posting picker: a posting id (int) or :data:`NEW_POSTING`."""
HIRING_POSTING_QUERY = "posting"
"""Query parameter that opens a posting directly (``/hiring?posting=123``); checked like the picker."""
HIRING_OCCUPATION_FILTER = "hiring.occupation_filter"
HIRING_NEW_KECO = "hiring.new.keco"
HIRING_NEW_REGION = "hiring.new.region"
HIRING_NEW_SIZE = "hiring.new.size"
HIRING_WHATIF_WAGE = "hiring.whatif.wage"
HIRING_WHATIF_HOURS = "hiring.whatif.hours"
HIRING_WHATIF_EMPLOYMENT = "hiring.whatif.employment"
HIRING_WHATIF_WELFARE = "hiring.whatif.welfare"
HIRING_WHATIF_CAREER = "hiring.whatif.career"
HIRING_WHATIF_YEARS = "hiring.whatif.years"
HIRING_WHATIF_EDUCATION = "hiring.whatif.education"
HIRING_WHATIF_RESET = "hiring.whatif.reset"
HIRING_WHATIF_FOR = "hiring.whatif.for"
"""Which posting the what-if widgets were filled from (a change refills them)."""
HIRING_WHATIF_KEYS: tuple[str, ...] = (
    HIRING_WHATIF_WAGE, HIRING_WHATIF_HOURS, HIRING_WHATIF_EMPLOYMENT, HIRING_WHATIF_WELFARE,
    HIRING_WHATIF_CAREER, HIRING_WHATIF_YEARS, HIRING_WHATIF_EDUCATION,
)
HIRING_TARGET = "hiring.plan.target"
HIRING_PLAN_BUTTON = "hiring.plan.run"
HIRING_PLANS = "hiring.plan.result"
"""Last computed plans as plain dicts, with the input they were computed for."""
HIRING_SCENARIO_NAME = "hiring.scenario.name"
HIRING_SCENARIO_SAVE = "hiring.scenario.save"
HIRING_SCENARIO_DELETE = "hiring.scenario.delete"
HIRING_SCENARIO_DELETE_BUTTON = "hiring.scenario.delete_button"
HIRING_SCENARIO_NOTICE = "hiring.scenario.notice"
HIRING_LAST_LOGGED = "hiring.audit.last"
"""Maps "username|action" to the input hash last written to the audit log (no duplicate row per rerun)."""
HIRING_RISK_THRESHOLD = "hiring_policy.threshold"


def hiring_posting_choice() -> int | str | None:
    """The posting picker's value: a posting id, :data:`NEW_POSTING`, or ``None`` (nothing yet)."""
    value = st.session_state.get(HIRING_POSTING_ID)
    if value == NEW_POSTING:
        return NEW_POSTING
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def hiring_last_logged() -> dict[str, str]:
    """Maps "username|action" to the input hash last written to the audit log in this session."""
    value = st.session_state.get(HIRING_LAST_LOGGED)
    return dict(value) if isinstance(value, dict) else {}


def set_hiring_last_logged(slot: str, input_hash: str) -> None:
    """Remember that ``slot`` ("username|action") was logged for ``input_hash``."""
    logged = hiring_last_logged()
    logged[slot] = input_hash
    st.session_state[HIRING_LAST_LOGGED] = logged
