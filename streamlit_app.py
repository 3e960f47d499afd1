"""Router of the goyong-ai workbench: page config, login gate (with the login cookie that survives a
reload, the idle timeout and revoked accounts), deep links kept across the login, role-filtered
navigation.

Nothing else happens here: every screen is a file in ``pages/`` and checks the role again itself.
Run with ``streamlit run streamlit_app.py``.

The file is read twice, in two roles. ``streamlit run`` first imports it as a module (``__name__``
is ``"streamlit_app"``) and finds ``app``, an ``st.App``: the ASGI server that adds the login
cookie's two HTTP routes (``components.session_cookie``: Streamlit scripts can read cookies but
not set them, and only an HTTP response can set an ``HttpOnly`` one). Every script run then
executes it as ``__main__``, which is the router below.
"""

from __future__ import annotations

import streamlit as st

if __name__ != "__main__":  # imported by `streamlit run` (or uvicorn) for the ASGI app
    import contextlib
    from collections.abc import AsyncIterator

    from components import session_cookie

    @contextlib.asynccontextmanager
    async def _warm_up_on_start(_app: st.App) -> AsyncIterator[None]:
        """Before the first visitor: leave Streamlit's legacy ``pages/`` mode (components.auth.
        ensure_routed) and load the models in the background while the first user logs in
        (components.warmup)."""
        from components import auth, warmup

        auth.leave_legacy_pages_mode()
        warmup.start_warm_up()
        yield None

    app = st.App(__file__, routes=session_cookie.routes(), lifespan=_warm_up_on_start)
else:
    from components import auth, navigation, resources

    st.set_page_config(page_title="고용AI 워크벤치", layout="wide", initial_sidebar_state="expanded")

    # Ends an idle or revoked session before anything of it is drawn; logs a reload back in from its cookie.
    user = auth.check_session()
    if user is None:
        resources.ensure_demo_users()
        page = st.navigation(navigation.login_pages(), position="hidden")
        auth.remember_deep_link(page.url_path)
    else:
        sections = navigation.build_pages(user.role)
        if not sections:
            # A role with no pages (e.g. an edited accounts file): say so instead of an empty app.
            st.error("이 계정의 역할로 열 수 있는 화면이 없습니다. 관리자에게 문의하세요.")
            auth.render_user_box(user)
            st.stop()
        # every page stays listed: policy staff have 13, and a collapsed menu would hide some behind "더 보기"
        page = st.navigation(sections, position="sidebar", expanded=True)
        auth.render_user_box(user)
        auth.watch_session()
    page.run()
