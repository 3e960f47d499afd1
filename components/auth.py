"""Login form, the login cookie that survives a reload, deep links kept across the login, session
checks (idle timeout, changed accounts), logout, per-page role guard and the sidebar user box."""

from __future__ import annotations

import datetime as dt
import logging
import time

import streamlit as st

from app.access import PAGES, ROLE_LABELS, allowed_roles_label, can_access
from app.auth import User, UsersFileError, account_stamp
from app.config import get_settings
from app.services import login, sessions
from components import resources, session_cookie, state

logger = logging.getLogger(__name__)

LOGIN_FAILED = login.LOGIN_FAILED
ROUTER_SCRIPT = "streamlit_app.py"
LOGGED_OUT = "로그아웃했습니다. 이 화면에는 이전 사용자의 정보가 남아 있지 않습니다."
IDLE_LOGGED_OUT = "{minutes}분 동안 사용하지 않아 자동으로 로그아웃했습니다. 다시 로그인하세요."
ACCOUNT_CHANGED = "계정의 비밀번호나 사용 상태가 바뀌어 로그아웃했습니다. 다시 로그인하세요."
DEEP_LINK_MAX_PARAMS = 8
DEEP_LINK_MAX_CHARS = 200
"""Limits of the query parameters a deep link may carry through the login (a real one has one short id)."""
IDLE_CHECK_SECONDS = 60
"""How often an open page checks for the idle timeout on its own (so an unattended screen is wiped
even if nobody touches it)."""


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


def leave_legacy_pages_mode() -> None:
    """End the legacy ``pages/`` mode before the first visitor arrives (server start).

    Until the first ``st.navigation`` call of the server's life Streamlit runs the router as a
    legacy multipage app, so the very first visit to a deep link whose URL path is not a file name
    of ``pages/`` (``/hiring`` is ``pages/hiring_simulator.py``) got an English "Page not found"
    dialog over the login form. The router always calls ``st.navigation``, so the mode is never
    wanted: the same flag ``st.navigation`` clears is cleared here (internal API, like
    :func:`ensure_routed`; a moved module leaves the old behaviour, caught by the browser test).
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager  # internal API
    except ImportError:  # pragma: no cover - streamlit is pinned; guard against a moved module
        return
    PagesManager.uses_pages_directory = False


def _submit_login() -> None:
    """Form callback: check the typed credentials before the next script run.

    Doing this in the callback (not after the form) means the router already sees the logged-in
    user in the same run, so no ``st.rerun()`` is needed and the first page shown is 홈.
    """
    username = str(st.session_state.get(state.LOGIN_USERNAME, "") or "")
    password = str(st.session_state.get(state.LOGIN_PASSWORD, "") or "")
    # The typed password must not linger in session state, whatever the outcome.
    st.session_state[state.LOGIN_PASSWORD] = ""
    if not username.strip() or not password:
        st.session_state[state.LOGIN_ERROR] = "아이디와 비밀번호를 모두 입력하세요."
        return
    users_file = get_settings().users_file
    session_id = sessions.new_session_id()
    try:
        result = login.attempt_login(
            resources.engine(), users_file, username, password, client_key=state.client_key(),
            session_ref=sessions.session_ref(session_id),
        )
    except (UsersFileError, login.LoginUnavailable) as err:
        st.session_state[state.LOGIN_ERROR] = err.user_message
        return
    if result.user is None:
        st.session_state[state.LOGIN_ERROR] = result.message
        return
    deep_link = st.session_state.get(state.LOGIN_NEXT)
    # Nothing from before the login survives it (a previous visitor's leftovers, the typed id) ...
    state.reset_session()
    stamp = account_stamp(result.user.username, users_file)
    state.set_user(result.user, stamp)
    _start_cookie(result.user, stamp or "", session_id)
    # ... except the page the visitor asked for: the router opens it in this same run (its URL path is
    # the page being run), and its query parameters are put back for it (the page's guard checks them).
    if isinstance(deep_link, dict) and isinstance(deep_link.get("query"), dict):
        st.query_params.from_dict(deep_link["query"])


def remember_deep_link(url_path: str) -> None:
    """Router, logged out: remember the page a visitor asked for by URL, with its query parameters.

    Every page's URL shows the login form while logged out (no "page not found"); the login then
    opens the page asked for, with ``?posting=`` / ``?seeker=`` intact. The plain login page (and
    an unknown path) forgets any earlier request.

    Args:
        url_path: URL path of the page ``st.navigation`` resolved ("" for the login page itself).
    """
    if url_path not in {spec.url_path for spec in PAGES}:
        st.session_state.pop(state.LOGIN_NEXT, None)
        return
    query = {
        str(name)[:DEEP_LINK_MAX_CHARS]: str(value)[:DEEP_LINK_MAX_CHARS]
        for name, value in list(st.query_params.to_dict().items())[:DEEP_LINK_MAX_PARAMS]
    }
    st.session_state[state.LOGIN_NEXT] = {"url_path": url_path, "query": query}


# --------------------------------------------------------------------------- the login cookie


def _cookie_refresh_seconds() -> float:
    # An active session gets a freshly signed cookie this often, so the cookie runs out only after
    # the idle timeout (give or take this interval) without activity.
    return max(30.0, _idle_limit_seconds() / 6)


def _start_cookie(user: User, stamp: str, session_id: str) -> None:
    """Sign a token for this login and leave a ticket the page exchanges for the cookie."""
    st.session_state[state.AUTH_SESSION_ID] = session_id
    try:
        secret = sessions.load_secret(get_settings())
    except sessions.SessionSecretError:
        # The login still works; only a reload will ask for the password again.
        logger.exception("no session secret: the login cookie is not set")
        return
    now = time.time()
    claims = sessions.SessionClaims(user.username, session_id, now, stamp)
    ticket = sessions.tickets.issue(sessions.sign_session(claims, secret), _idle_limit_seconds())
    st.session_state[state.COOKIE_TICKET] = ticket
    st.session_state[state.COOKIE_SIGNED_AT] = now


def _refresh_cookie(user: User) -> None:
    session_id = st.session_state.get(state.AUTH_SESSION_ID)
    if not isinstance(session_id, str) or not session_id:
        return  # a session that did not come through the login form (page tests): no cookie
    signed_at = st.session_state.get(state.COOKIE_SIGNED_AT)
    if isinstance(signed_at, (int, float)) and time.time() - signed_at < _cookie_refresh_seconds():
        return
    _start_cookie(user, state.login_stamp(), session_id)


def _restore_from_cookie() -> User | None:
    """Log the user back in from the login cookie of this browser, if it is valid (a reload, a link)."""
    if st.session_state.get(state.COOKIE_CLEAR):
        return None  # this tab logged out (or its cookie was refused): its websocket's old cookie is void
    token = session_cookie.cookie_token()
    if not token:
        return None
    settings = get_settings()
    try:
        secret = sessions.load_secret(settings)
    except sessions.SessionSecretError:
        logger.exception("no session secret: the login cookie cannot be checked")
        return None
    restored = sessions.restore_user(token, secret, settings.users_file, max_age=_idle_limit_seconds())
    if restored is not None and _ended_before(restored[0].username, restored[1].session_id):
        restored = None  # logged out before a server restart: this process never saw the revocation
    if restored is None:
        st.session_state[state.COOKIE_CLEAR] = True  # expired, tampered or revoked: drop it from the browser
        return None
    user, claims = restored
    state.set_user(user, claims.account_stamp)
    try:
        login.record_session_restored(resources.engine(), user, client_key=state.client_key(),
                                      session_ref=sessions.session_ref(claims.session_id))
    except Exception:  # the audit row is best effort, as for a logout
        logger.exception("could not record auth.session_restored")
    _start_cookie(user, claims.account_stamp, claims.session_id)
    return user


def render_cookie_scripts() -> None:
    """Draw the browser side of the login cookie: exchange a pending ticket, or drop a void cookie."""
    ticket = st.session_state.get(state.COOKIE_TICKET)
    if isinstance(ticket, str) and ticket and state.current_user() is not None:
        if sessions.tickets.is_open(ticket):
            session_cookie.render_cookie_exchange(ticket)
        else:
            st.session_state.pop(state.COOKIE_TICKET, None)
    elif st.session_state.get(state.COOKIE_CLEAR):
        # Not only when this websocket brought a cookie: a tab that logged in after it opened holds a
        # cookie its websocket never saw.
        session_cookie.render_cookie_clear()


def render_login_form() -> None:
    """Draw the login form, the note why the user was logged out and the last attempt's error, if any."""
    notice = st.session_state.pop(state.LOGIN_NOTICE, None)
    if notice:
        st.info(notice, icon=":material/logout:")
    with st.form("auth.login_form"):
        st.text_input("아이디", key=state.LOGIN_USERNAME, autocomplete="username")
        st.text_input("비밀번호", type="password", key=state.LOGIN_PASSWORD, autocomplete="current-password")
        st.form_submit_button("로그인", type="primary", on_click=_submit_login)
    error = st.session_state.pop(state.LOGIN_ERROR, None)
    if error:
        st.error(error)
    render_cookie_scripts()


def _idle_limit_seconds() -> float:
    return get_settings().idle_timeout_minutes * 60


def _session_problem(user: User) -> str:
    """Why ``user``'s session must end now ("" when it may go on): idle too long, or the account
    was disabled, removed or given a new password since the login."""
    idle = state.idle_seconds()
    if idle is None or idle > _idle_limit_seconds():
        minutes = get_settings().idle_timeout_minutes
        return IDLE_LOGGED_OUT.format(minutes=f"{minutes:g}")
    stamp = account_stamp(user.username, get_settings().users_file)
    if stamp is None or stamp != state.login_stamp():
        return ACCOUNT_CHANGED
    return ""


def _void_cookie() -> None:
    """End this tab's login cookie: its session id is revoked here, and the browser is told to drop it."""
    session_id = st.session_state.get(state.AUTH_SESSION_ID)
    if isinstance(session_id, str) and session_id:
        sessions.revoke(session_id)


def _ended_before(username: str, session_id: str) -> bool:
    """Whether the audit log records the end of this login (durable across server restarts); an
    unreadable log refuses the cookie (the user logs in again) rather than trusting it."""
    try:
        return login.session_ended(resources.engine(), username, sessions.session_ref(session_id),
                                   max_age=dt.timedelta(seconds=_idle_limit_seconds()))
    except Exception:
        logger.exception("could not check whether the login cookie's session was ended")
        return True


def _end_session(user: User, action: str, notice: str) -> None:
    session_id = st.session_state.get(state.AUTH_SESSION_ID)
    session_ref = sessions.session_ref(session_id) if isinstance(session_id, str) and session_id else ""
    try:
        login.record_session_end(resources.engine(), user, action, client_key=state.client_key(),
                                 session_ref=session_ref)
    except Exception:  # the audit row is best effort; the session ends regardless
        logger.exception("could not record %s", action)
    _void_cookie()
    state.reset_session(notice)
    st.session_state[state.COOKIE_CLEAR] = True


def check_session() -> User | None:
    """The logged-in user if their session may go on, else ``None`` after clearing the session.

    Call first in every full run of the router. A new browser session (a reload, a pasted link)
    with a valid login cookie is logged back in from it (audited as ``auth.session_restored``). It
    ends a session idle for longer than
    ``GOYONG_IDLE_TIMEOUT_MINUTES`` or opened with credentials that are no longer valid (a reset
    password, a disabled account), and otherwise records this run as the user's latest activity.
    """
    user = state.current_user()
    if user is None:
        return _restore_from_cookie()
    problem = _session_problem(user)
    if problem:
        action = "auth.idle_timeout" if problem != ACCOUNT_CHANGED else "auth.session_revoked"
        _end_session(user, action, problem)
        return None
    state.touch_activity()
    _refresh_cookie(user)
    return user


def check_fragment_session() -> None:
    """The router's session check for a fragment: call it first in every ``@st.fragment`` of a page.

    A widget inside a fragment reruns only the fragment, not the router, so without this a user who
    only moves what-if sliders would be logged out as idle while working, and an expired or revoked
    session would keep answering fragment interactions until :func:`watch_session` fires. A valid
    session's fragment run counts as activity; an expired or revoked one is cleared (and audited)
    and the whole app reruns, which shows the login page with the reason.

    A session whose activity was never recorded did not come through the router's login (a page run
    on its own, as the page tests do): the router's check that precedes every full run is all there is.
    """
    user = state.current_user()
    if user is None:
        st.stop()  # the session is gone: draw nothing of the fragment
    if state.idle_seconds() is None:
        return
    problem = _session_problem(user)
    if problem:
        action = "auth.idle_timeout" if problem != ACCOUNT_CHANGED else "auth.session_revoked"
        _end_session(user, action, problem)
        st.rerun(scope="app")
    state.touch_activity()


@st.fragment(run_every=IDLE_CHECK_SECONDS)
def watch_session() -> None:
    """Re-run the whole app as soon as the session must end, even with nobody at the screen.

    A fragment run is not an interaction (it records no activity); when the idle limit has passed or
    the account changed, it starts a full run, in which :func:`check_session` clears the session and
    the login page replaces whatever was on the screen.
    """
    user = state.current_user()
    if user is not None and _session_problem(user):
        st.rerun(scope="app")


def logout() -> None:
    """Button callback: audit the logout and clear the whole browser session."""
    user = state.current_user()
    if user is None:
        _void_cookie()
        state.reset_session()
        st.session_state[state.COOKIE_CLEAR] = True
        return
    _end_session(user, "auth.logout", LOGGED_OUT)


def role_label(role: str | None) -> str:
    """Korean label of a role key (the key itself when unknown)."""
    return ROLE_LABELS.get(role or "", role or "없음")


def require_role(page_id: str) -> User:
    """Stop the page unless the logged-in user's role may open ``page_id``. Call it first.

    Args:
        page_id: Key of ``app.access.PAGE_ACCESS``.

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


def callback_user(page_id: str) -> User | None:
    """The user a widget callback (e.g. a form's ``on_click`` save) may act for, or ``None``.

    A callback runs before the router's session check of the run it starts, so it checks the same
    things itself without drawing anything: someone logged in, whose role may open ``page_id`` and
    whose session has not expired or been revoked. On ``None`` the callback saves nothing; the run
    that follows ends the session and says why, as after any other click.
    """
    user = state.current_user()
    if user is None or not can_access(user.role, page_id):
        return None
    if state.idle_seconds() is not None and _session_problem(user):
        return None
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
        st.button("로그아웃", key=state.LOGOUT_BUTTON, on_click=logout, icon=":material/logout:")
        render_cookie_scripts()
