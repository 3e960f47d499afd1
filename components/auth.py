"""Login form, per-page role guard and the sidebar user box."""

from __future__ import annotations

import streamlit as st

from app.auth import ROLE_LABELS, User, UsersFileError, allowed_roles_label, can_access, verify_login
from app.config import get_settings
from components import state

LOGIN_FAILED = "아이디 또는 비밀번호가 올바르지 않습니다."
ROUTER_SCRIPT = "streamlit_app.py"


def ensure_routed() -> None:
    """Send a page that was started without the router back through it.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first
    ``st.navigation`` call of the server's life. A deep link (e.g. ``/explorer``) arriving in that
    window runs the page file directly: no login gate, and a sidebar listing every page file.
    Detect that mode and switch to the router, which calls ``st.navigation`` and ends it for good.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager  # internal API
    except ImportError:  # pragma: no cover - streamlit is pinned; guard against a moved module
        return
    if PagesManager.uses_pages_directory:
        st.switch_page(ROUTER_SCRIPT)


def _submit_login() -> None:
    """Form callback: check the typed credentials before the next script run.

    Doing this in the callback (not after the form) means the router already sees the logged-in
    user in the same run, so no ``st.rerun()`` is needed and the first page shown is 홈.
    """
    username = str(st.session_state.get(state.LOGIN_USERNAME, "") or "")
    password = str(st.session_state.get(state.LOGIN_PASSWORD, "") or "")
    # The typed password must not linger in session state, whatever the outcome.
    st.session_state[state.LOGIN_PASSWORD] = ""
    if not username or not password:
        st.session_state[state.LOGIN_ERROR] = "아이디와 비밀번호를 모두 입력하세요."
        return
    try:
        user = verify_login(username, password, get_settings().users_file)
    except UsersFileError as err:
        st.session_state[state.LOGIN_ERROR] = str(err)
        return
    if user is None:
        st.session_state[state.LOGIN_ERROR] = LOGIN_FAILED
        return
    st.session_state.pop(state.LOGIN_ERROR, None)
    state.set_user(user)


def render_login_form() -> None:
    """Draw the login form and the error of the last failed attempt, if any."""
    with st.form("auth.login_form"):
        st.text_input("아이디", key=state.LOGIN_USERNAME, autocomplete="username")
        st.text_input("비밀번호", type="password", key=state.LOGIN_PASSWORD, autocomplete="current-password")
        st.form_submit_button("로그인", type="primary", on_click=_submit_login)
    error = st.session_state.pop(state.LOGIN_ERROR, None)
    if error:
        st.error(error)


def role_label(role: str | None) -> str:
    """Korean label of a role key (the key itself when unknown)."""
    return ROLE_LABELS.get(role or "", role or "없음")


def require_role(page_id: str) -> User:
    """Stop the page unless the logged-in user's role may open ``page_id``. Call it first.

    Args:
        page_id: Key of ``app.auth.PAGE_ACCESS``.

    Returns:
        The logged-in user (``user.scoped_employer_id`` is the employer whose records they may see).
    """
    ensure_routed()
    user = state.current_user()
    if user is None:
        st.warning("로그인이 필요합니다.")
        st.stop()
    role = user.role
    if not can_access(role, page_id):
        st.error(f"이 화면은 {allowed_roles_label(page_id)} 전용입니다. 현재 역할: {role_label(role)}")
        st.stop()
    return user


def can_view(user: User, part_id: str) -> bool:
    """Whether ``user`` may see a guarded part of a page (e.g. ``"explorer.seekers"``)."""
    return can_access(user.role, part_id)


def render_user_box(user: User) -> None:
    """Sidebar box with the user's name, role and a logout button."""
    with st.sidebar:
        st.divider()
        st.markdown(f"**{user.display_name}**")
        st.caption(f"역할: {role_label(user.role)}")
        st.button("로그아웃", key=state.LOGOUT_BUTTON, on_click=state.clear_user, icon=":material/logout:")
