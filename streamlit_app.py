"""Router of the goyong-ai workbench: page config, login gate (with the idle timeout and revoked
accounts), role-filtered navigation.

Nothing else happens here: every screen is a file in ``pages/`` and checks the role again itself.
Run with ``streamlit run streamlit_app.py``.
"""

from __future__ import annotations

import streamlit as st

from components import auth, navigation, resources

st.set_page_config(page_title="고용AI 워크벤치", layout="wide", initial_sidebar_state="expanded")

user = auth.check_session()  # ends an idle or revoked session before anything of it is drawn
if user is None:
    resources.ensure_demo_users()
    page = st.navigation([navigation.login_page()], position="hidden")
else:
    sections = navigation.build_pages(user.role)
    if not sections:
        # A role with no pages (e.g. an edited accounts file): say so instead of an empty app.
        st.error("이 계정의 역할로 열 수 있는 화면이 없습니다. 관리자에게 문의하세요.")
        auth.render_user_box(user)
        st.stop()
    page = st.navigation(sections, position="sidebar")
    auth.render_user_box(user)
    auth.watch_session()
page.run()
