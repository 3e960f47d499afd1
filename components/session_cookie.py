"""The HTTP side of the login cookie: two server routes and the page snippets that call them.

Why Streamlit's own support and not a cookie component: Streamlit 1.67 reads cookies
(``st.context.cookies``, the cookies of the websocket's opening request) but a script cannot set
one. Its ``st.App`` (the ASGI form of an app, which ``streamlit run streamlit_app.py`` serves when
the file defines one) takes extra HTTP routes, and a route's response can set a cookie the way a
server should: ``HttpOnly`` (no page script, so no injected one, can read the token),
``SameSite=Strict``, ``Secure`` over HTTPS, ``Max-Age`` = the idle timeout. A component such as
``extra-streamlit-components``' CookieManager writes ``document.cookie`` from JavaScript, which can
never be ``HttpOnly``, and adds a dependency; it is not needed.

Flow: after a login (or while an active session goes on) the router issues a one-time ticket
(:data:`app.services.sessions.tickets`) and draws :func:`render_cookie_exchange`, whose script posts
the ticket to :data:`SET_PATH`; the route answers with the ``Set-Cookie``. Logout draws
:func:`render_cookie_clear`, which posts to :data:`CLEAR_PATH`. A reload opens a new websocket that
carries the cookie, and ``components.auth.check_session`` logs the user back in from it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import streamlit as st

from app.services import sessions

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

SET_PATH = "/goyong-session"
"""Route that exchanges a ticket for the cookie (user routes of ``st.App`` are served at the root)."""
CLEAR_PATH = "/goyong-session/end"
"""Route that drops the cookie (logout)."""
_MAX_BODY = 256  # a ticket has 32 characters; anything longer is not one


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


async def _set_cookie(request: Request) -> Response:
    from starlette.responses import Response

    body = await request.body()
    ticket = body[:_MAX_BODY].decode("ascii", errors="replace").strip()
    redeemed = sessions.tickets.redeem(ticket) if len(body) <= _MAX_BODY else None
    if redeemed is None:  # unknown, used or expired: nothing is set
        return _no_store(Response(status_code=404))
    token, max_age = redeemed
    response = Response(status_code=204)
    response.set_cookie(
        sessions.COOKIE_NAME, token, max_age=int(max_age), path="/", httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )
    return _no_store(response)


async def _clear_cookie(request: Request) -> Response:
    from starlette.responses import Response

    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return _no_store(response)


def routes() -> list[Route]:
    """The two cookie routes for ``st.App(..., routes=routes())``."""
    from starlette.routing import Route

    return [Route(SET_PATH, _set_cookie, methods=["POST"]), Route(CLEAR_PATH, _clear_cookie, methods=["POST"])]


def _post_script(path: str, body: str = "") -> str:
    # json.dumps quotes the values for JavaScript; neither a path nor a ticket (URL-safe base64) has "<".
    return (f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
            f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(body)}}});</script>")


def render_cookie_exchange(ticket: str) -> None:
    """Have the browser exchange ``ticket`` for the login cookie (an invisible script element).

    The script runs once when the element appears; a ticket is good once, so a second run changes
    nothing.
    """
    st.html(_post_script(SET_PATH, ticket), width="content", unsafe_allow_javascript=True)


def render_cookie_clear() -> None:
    """Have the browser drop the login cookie (after a logout or an ended session)."""
    st.html(_post_script(CLEAR_PATH), width="content", unsafe_allow_javascript=True)


def cookie_token() -> str:
    """The login cookie's value sent with this session's websocket ("" when none)."""
    try:
        value = st.context.cookies.get(sessions.COOKIE_NAME)
    except Exception:  # no client context (a bare script run): no cookie  # noqa: BLE001
        return ""
    # Only a real string is a cookie (AppTest's stand-in client answers with mock objects).
    return value if isinstance(value, str) else ""
