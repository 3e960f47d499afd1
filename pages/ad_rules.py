"""검증 규칙 관리 (policy staff): the rule set in force, an editor that validates before saving,
a test box, and the version history (every change with who, when, why and which rules)."""

from __future__ import annotations

import streamlit as st

from app.services import ads
from app.services.ads import InvalidRules
from app.text.korean import format_kst_datetime
from components import audit as audit_log
from components import auth, resources, state
from components import verify as ui

user = auth.require_role("ad_rules")
st.title("검증 규칙 관리")
st.caption("구인광고 검증 규칙(법령·조항·처리 수준·패턴·예외·설명·수정 제안)을 고칩니다. 저장하면 검증 후 새 버전으로 "
           "바로 적용되고, 모든 변경은 사유와 함께 기록됩니다.")

verifier = resources.required(resources.ad_verifier)

engine = resources.engine()
rules = verifier.rules
notice = st.session_state.pop(state.AD_RULES_NOTICE, None)
if notice:
    st.success(notice)
history = ads.rule_history(engine)
st.markdown(f"**현재 규칙 버전 {rules.version}** · 규칙 {len(rules.rules)}개 · 고정 점검 {len(rules.conditions)}개"
            + (f" · 마지막 변경: {history['username'].iloc[0]} ({format_kst_datetime(history['at'].iloc[0])})" if not history.empty else
               " · 배포된 기본 규칙 적용 중"))
st.dataframe(ui.rules_table(rules), hide_index=True, width="stretch", key="ad_rules.table")

st.subheader("규칙 편집")
if state.AD_RULES_TEXT not in st.session_state:
    st.session_state[state.AD_RULES_TEXT] = rules.to_yaml()
text = st.text_area("규칙 (YAML)", key=state.AD_RULES_TEXT, height=420,
                    help="패턴은 띄어쓰기를 없앤 문장에 맞춥니다. 예외는 같은 줄에 있으면 합법으로 봅니다.")
c1, c2 = st.columns(2)
with c1:
    st.markdown("**예시 문장으로 시험**")
    title = st.text_input("제목", key=state.AD_RULES_TEST_TITLE, max_chars=200, placeholder="예: 사무 보조 구합니다")
    body = st.text_area("본문", key=state.AD_RULES_TEST_BODY, max_chars=5000, height=120, placeholder="예: 남자만 지원 가능")
    if st.button("시험하기", key="ad_rules.test.run", icon=":material/science:"):
        try:
            hits = ads.try_rules(verifier, text, title, body)
        except InvalidRules as err:
            st.error(f"규칙에 오류가 있습니다:\n\n{ui.rule_errors_markdown(err)}")
        else:
            # no log row, no output; the sample text and the edited rules are only hashed
            if audit_log.log_shown(engine, user, model_name=ads.MODEL_NAME, action="verify.rule_test",
                                   model_version=f"{verifier.version}/rules{rules.version}+edit",
                                   input_hash=audit_log.input_hash_of("rule_test", text, title, body),
                                   output={"rules": [str(h["rule_id"]) for h in hits], "n_hits": len(hits)}):
                ui.render_rule_tests(hits)
with c2:
    st.markdown("**저장**")
    note = st.text_input("변경 사유 (5~300자)", key=state.AD_RULES_NOTE, max_chars=300,
                         placeholder="예: '나이 무관' 예외에 '연령 불문' 추가")
    if st.button("검증 후 새 버전으로 저장", key="ad_rules.save", type="primary", icon=":material/save:"):
        try:
            saved = ads.save_rules(engine, text, username=user.username, note=note)
        except InvalidRules as err:
            st.error(f"저장하지 않았습니다:\n\n{ui.rule_errors_markdown(err)}")
        else:
            st.session_state.pop(state.AD_RULES_TEXT, None)
            st.session_state.pop(state.AD_RULES_NOTE, None)
            st.session_state[state.AD_RULES_NOTICE] = f"규칙 버전 {saved.version}을(를) 저장해 적용했습니다."
            st.rerun()
    if st.button("편집 내용 되돌리기", key="ad_rules.reset", icon=":material/undo:"):
        st.session_state.pop(state.AD_RULES_TEXT, None)
        st.rerun()

st.subheader("변경 이력")
if history.empty:
    st.caption("아직 저장된 변경이 없습니다. 기본 규칙 파일이 적용 중입니다.")
else:
    st.dataframe(ads.rule_history_table(history, rules), hide_index=True, width="stretch", key="ad_rules.history",
                 column_config={"사유": st.column_config.TextColumn("사유", width="large")})
    versions = history["version"].astype(int).tolist()
    chosen = st.selectbox("버전 내용 보기", options=versions, key=state.AD_RULES_VIEW)
    if chosen is not None:
        st.code(ads.rules_of_version(engine, int(chosen)).to_yaml(), language="yaml")
