"""Login screen (the only page before logging in)."""

from __future__ import annotations

import streamlit as st

from components import auth

auth.ensure_routed()
st.title("고용AI 워크벤치")
st.caption("AI 기반 공공고용서비스 의사결정 지원 — 구인기업 · 직업상담사 · 정책·운영 담당자용")
left, _ = st.columns([1, 1])
with left:
    st.subheader("로그인")
    auth.render_login_form()
    st.caption("계정마다 비밀번호가 다릅니다. 데모 계정의 비밀번호는 서버의 config/demo_credentials.txt 파일에 있고, "
               "계정 추가·비밀번호 재설정은 관리자가 `python -m app users`로 합니다.")
