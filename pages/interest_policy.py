"""흥미검사 문항은행 현황 (policy staff): the adaptive interest test's item bank — how many items, which
are never asked or asked more often than the exposure cap, how long tests are and take, how well the
short test agrees with the full form on simulated takers, each type's item information — and which
attribute groups drive the occupation fit, with its hold-out figures. No individual's answers are shown.
"""

from __future__ import annotations

import streamlit as st

from app.charts import interest as charts
from app.services import interest
from app.text.korean import format_count
from components import audit as audit_log
from components import auth, display, resources
from components import interest as ui
from components.display import MetricItem

user = auth.require_role("interest_policy")
st.title("흥미검사 문항은행 현황")
st.caption("적응형 직업흥미검사의 문항이 고르게 쓰이는지, 검사가 얼마나 짧고 전체 문항 검사와 얼마나 같은 결과를 내는지 "
           "점검합니다. 개별 구직자의 응답은 보이지 않습니다.")

model = resources.required(resources.interest_test_model)
fit = resources.required(resources.occupation_fit)
engine = resources.engine()
health = interest.bank_health(engine, model, fit)
length = health.length

policy_hash = audit_log.input_hash_of("interest.policy", model.bank_version, length.finished, length.in_progress,
                                     length.abandoned)
policy_output = {"items": len(health.items), "never_used": health.never_used, "over_cap": health.over_cap,
                 "finished": length.finished}
if not (audit_log.log_shown(engine, user, model_name=interest.MODEL_NAME, action="interest.policy",
                            model_version=audit_log.artifact_version(interest.MODEL_NAME), input_hash=policy_hash,
                            output=policy_output)
        and audit_log.log_shown(engine, user, model_name=interest.FIT_MODEL_NAME, action="interest.policy",
                                model_version=audit_log.artifact_version(interest.FIT_MODEL_NAME),
                                input_hash=policy_hash, output=policy_output)):
    st.stop()  # no log row, no output
display.render_ai_notice("AI 모델 점검 결과", f"적응형 직업흥미검사 모델 {audit_log.artifact_version(interest.MODEL_NAME)}",
                         f"직업 적합도 모델 {audit_log.artifact_version(interest.FIT_MODEL_NAME)}",
                         note="문항 수정과 교체는 담당자가 결정합니다")

st.subheader("문항 사용 현황")
display.render_metrics_row([
    MetricItem("흥미 문항", format_count(len(health.items), "개"),
               f"업무 환경 문항 {len(model.environment_items)}개는 모든 검사에서 묻습니다"),
    MetricItem("한 번도 쓰이지 않은 문항", format_count(health.never_used, "개")),
    MetricItem("노출 상한 초과", format_count(health.over_cap, "개"), f"노출 상한 {health.exposure_cap * 100:.0f}%"),
    MetricItem("끝난 검사", format_count(length.finished, "건"),
               f"진행 중 {length.in_progress:,}건 · 중단 {length.abandoned:,}건"),
])
if length.mean_items is not None:
    st.markdown(f"끝난 검사는 평균 **{length.mean_items:.1f}문항**(업무 환경 문항 포함), "
                f"**{ui.format_duration(length.mean_seconds)}** 걸렸습니다.")
else:
    st.caption("아직 끝난 검사가 없습니다.")

st.subheader("전체 문항 검사와의 일치 (모의 응답자)")
respondents = health.simulated.get("simulated_respondents")
st.caption("전체 문항에 답한 모의 응답자에게 적응형 검사를 다시 실시해, 같은 결과가 나오는지 비교했습니다"
           + (f" (응답자 {respondents:,.0f}명)." if respondents else "."))
display.render_metrics_row(ui.metric_items(health.simulated, ui.SIMULATED_LABELS))

left, right = st.columns(2)
with left:
    display.render_chart(charts.make_information_figure(health.items), key="interest.policy.information")
with right:
    display.render_chart(charts.make_exposure_figure(health.items, health.exposure_cap), key="interest.policy.exposure")
st.markdown("**문항별 현황**")
ui.items_table(health.items, key="interest.policy.items")

st.subheader("직업 적합도 모델")
display.render_chart(charts.make_group_importance_figure(health.group_importance), key="interest.policy.groups")
fit_items = ui.metric_items(health.fit_metrics, ui.FIT_METRIC_LABELS)
if fit_items:
    st.caption("학습에 쓰지 않은 재직자의 흥미·업무 환경 응답으로 자기 직업을 얼마나 잘 찾는지 평가했습니다.")
    display.render_metrics_row(fit_items)
else:
    st.caption("이 모델은 직업별 집계표로 학습해, 학습에 쓰지 않은 재직자로 평가한 수치가 없습니다.")
