"""채용 위험 공고 현황 (policy staff): every posting's predicted fill probability by occupation and
region, the postings at risk of not being filled (candidates for hiring consulting) and the audit
log of model outputs shown to users.
"""

from __future__ import annotations

import streamlit as st

from app.charts import hiring as charts
from app.services import audit, hiring
from app.services.explorer import to_csv_bytes
from app.services.hiring import GROUPINGS
from app.text.korean import format_count, format_rate
from components import auth, display, resources, state
from components import hiring as ui
from components.display import MetricItem

user = auth.require_role("hiring_policy")
st.title("채용 위험 공고 현황")
st.caption(
    "모든 공고의 30일 내 채용확률을 AI 모델로 예측해, 채용이 어려울 것으로 보이는 공고와 직종·지역을 찾습니다. "
    "채용 컨설팅 대상을 고르는 참고 자료이며, 예측은 확정된 결과가 아닙니다."
)

model = resources.required(resources.hiring_model)
scored = resources.required(resources.scored_postings)
if scored.empty:
    st.warning("예측할 공고가 없습니다. `python -m app build`로 가상 세계와 모델을 만드세요.")
    st.stop()

threshold = ui.select_risk_threshold(key=state.HIRING_RISK_THRESHOLD)
risky = hiring.at_risk_postings(scored, threshold)
version = str(model.version)
if not ui.log_shown(
    resources.engine(), user, action="hiring.policy", model_version=version,
    input_hash=ui.input_hash_of("policy", version, len(scored), round(float(scored["probability"].sum()), 6), threshold),
    output={"n_postings": len(scored), "mean_probability": float(scored["probability"].mean()),
            "threshold": threshold, "n_at_risk": len(risky)},
):
    st.stop()  # no log row, no output

display.render_metrics_row([
    MetricItem("예측한 공고", format_count(len(scored), "건")),
    MetricItem("평균 채용확률(30일 내)", format_rate(float(scored["probability"].mean()), decimals=0)),
    MetricItem(f"위험 공고 (채용확률 {threshold:.0%} 미만)", format_count(len(risky), "건"),
               f"전체의 {len(risky) / len(scored):.1%}"),
    MetricItem("예상 충원 기간(중앙값)", f"약 {float(scored['days'].median()):.0f}일"),
])
display.render_ai_notice("AI 예측 결과", f"모델 버전 {version}",
                         note="공고 조건과 시장 정보만 사용하며 구직자 개인 특성은 쓰지 않습니다.")

st.subheader("채용확률 분포")
tabs = st.tabs(["직종(중분류)별", "지역별"], key="hiring_policy.tabs")
for tab, by in zip(tabs, ("occupation", "region"), strict=True):
    column, label = GROUPINGS[by]
    with tab:
        display.render_chart(
            charts.make_probability_distribution_figure(
                scored, by=column, by_title=label, threshold=threshold, title=f"{label}별 예측 채용확률 분포",
            ),
            key=f"hiring_policy.{by}.chart",
        )
        st.dataframe(ui.group_table(hiring.fill_probability_by(scored, by, threshold), label=label),
                     key=f"hiring_policy.{by}.table", hide_index=True, width="stretch")

st.subheader("채용 위험 공고")
st.caption(f"예측 채용확률이 {threshold:.0%} 미만인 공고입니다(낮은 순). 채용 컨설팅 대상 선정에 참고하세요.")
table = ui.risk_table(risky)
display.render_table(table, key="hiring_policy.risk.table")
display.render_download(to_csv_bytes(table), file_name="채용위험공고.csv", key="hiring_policy.risk.csv")

st.subheader("AI 출력 감사 로그")
st.caption("사용자에게 보여 준 모델 출력의 기록입니다(최근 순). 입력은 해시로만 남기므로 개인정보가 없습니다.")
ui.render_audit_log(audit.load_audit_log(resources.engine(), limit=200), key="hiring_policy.audit")
