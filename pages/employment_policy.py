"""취업 위험도 기준·공정성 (policy staff): risk-band thresholds with the caseload shares and the
accuracy/equity trade-off they produce, the fairness audit of the employment-success model by
sex, age band, disability and region (and of its age-blind variant), counsellors' overrides and
caseload aggregates. No individual seeker is shown here."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.charts import employment as charts
from app.config import get_settings
from app.services import employment
from app.services.employment import InvalidBands, RiskBands
from app.text.korean import format_count, format_korean_date, format_kst_datetime
from components import audit as audit_log
from components import auth, display, resources, state
from components import employment as ui
from components.display import MetricItem

user = auth.require_role("employment_policy")
st.title("취업 위험도 기준·공정성")
st.caption("취업성공 예측모델의 위험도 기준을 정하고, 기준에 따른 상담 대상 비율과 집단 간 형평성을 점검합니다. "
           "개별 구직자 정보는 보이지 않습니다.")

model = resources.required(resources.employment_model)

settings = get_settings()
engine = resources.engine()
bands = employment.load_risk_bands(engine)
resources.ensure_caseload_scores()
overrides = employment.latest_overrides(engine)
# the caseload in figures only (counts and per-group sums in SQL): never its rows
n_caseload = employment.caseload_summary(engine, bands, overrides).n_seekers
reference = employment.reference_date(engine)
st.caption(f"기준일 {format_korean_date(reference)} · 상담 대상과 위험도 비율은 이 날짜 기준입니다.")
notice = st.session_state.pop(state.EMPLOYMENT_POLICY_NOTICE, None)
if notice:
    st.success(notice)

metrics = model.metrics
display.render_metrics_row([
    MetricItem("상담 대상", format_count(n_caseload, "명"), f"기준일 {format_korean_date(reference)} 현재"),
    MetricItem("검증 AUC", f"{metrics.get('auc', float('nan')):.3f}",
               f"최선(오라클) 대비 {metrics.get('auc_ratio', float('nan')):.1%}" if "auc_ratio" in metrics else None),
    MetricItem("보정 오차(ECE)", f"{metrics.get('ece', float('nan')) * 100:.1f}%p"),
    MetricItem("연령 제외 시 AUC", f"{metrics.get('auc_age_blind', float('nan')):.3f}",
               f"ECE {metrics.get('ece_age_blind', float('nan')) * 100:.1f}%p"),
])
ui.render_ai_note(str(model.version))

st.subheader("위험도 기준")
st.caption(f"현재 기준: {bands.describe()} · 설정: {bands.set_by}" + (f" ({format_kst_datetime(bands.at)})" if bands.at else ""))
high, low = ui.select_bands(bands)
try:
    preview = RiskBands(high_below=high, low_from=low)
except InvalidBands as err:
    st.error(str(err))
    preview = None
audit_bands = preview or bands
reports = resources.fairness_reports(audit_bands.high_below)
# no log row, no output: the shares, trade-off and fairness figures below are drawn only once recorded
if not audit_log.log_shown(
    engine, user, model_name=employment.MODEL_NAME, action="employment.policy", model_version=str(model.version),
    input_hash=audit_log.input_hash_of("employment.policy", model.version, audit_bands.high_below, audit_bands.low_from,
                                       n_caseload),
    output={"n_seekers": n_caseload, "high_below": audit_bands.high_below, "low_from": audit_bands.low_from,
            "flagged": len(reports["main"].flagged())},
):
    st.stop()
if preview is not None:
    thresholds = np.round(np.arange(0.10, 0.51, 0.05), 2).tolist()
    counts = employment.caseload_probability_counts(
        engine, [preview.high_below, preview.low_from, *employment.table_cutoffs(thresholds, preview.high_below)])
    st.markdown(f"**고위험 기준 {preview.high_below:.0%} 미만의 효과**")
    ui.render_cutoff_tradeoff(employment.cutoff_tradeoff(model, counts, preview.high_below))
    left, right = st.columns(2)
    with left:
        st.markdown("**이 기준에서의 상담 대상 비율**")
        ui.render_band_shares(employment.band_shares(counts, preview), key="employment.policy.shares")
    with right:
        note = st.text_input("변경 사유(메모)", key=state.EMPLOYMENT_POLICY_NOTE, max_chars=300,
                             placeholder="예: 집중 상담 인력에 맞춰 고위험 비율을 25% 안팎으로 조정")
        if st.button("이 기준 적용", key="employment.policy.save", type="primary", icon=":material/save:",
                     disabled=(preview.high_below, preview.low_from) == (bands.high_below, bands.low_from)):
            try:
                saved = employment.save_risk_bands(engine, high_below=high, low_from=low,
                                                   username=user.username, note=note)
            except InvalidBands as err:
                st.error(str(err))
            else:
                resources.refresh_caseload()
                st.session_state[state.EMPLOYMENT_POLICY_NOTICE] = f"새 위험도 기준을 적용했습니다: {saved.describe()}"
                st.rerun()
    tradeoff = employment.cutoff_table(model, counts, thresholds, chosen=preview.high_below,
                                       min_group_size=settings.fairness_min_group)
    st.markdown("**고위험 기준별 정확도·형평성 (검증용 구직자)**")
    display.render_chart(charts.make_tradeoff_figure(tradeoff, current=preview.high_below), key="employment.policy.tradeoff")
    st.dataframe(ui.tradeoff_table(tradeoff), hide_index=True, width="stretch", key="employment.policy.tradeoff.table",
                 column_config={"고위험 기준": st.column_config.TextColumn("고위험 기준", pinned=True)})
    st.caption("▶ 표시가 고른 기준입니다. 재현율·정밀도는 검증용 구직자의 실제 결과로, 상담 대상 중 고위험 인원은 현재 "
               "상담 대상으로 계산했습니다.")
    history = employment.load_band_history(engine)
    if not history.empty:
        with st.expander(f"기준 변경 이력 {len(history)}건"):
            shown_history = history.assign(at=[format_kst_datetime(at) for at in history["at"]],
                                           high_below=[f"{v:.0%} 미만" for v in history["high_below"]],
                                           low_from=[f"{v:.0%} 이상" for v in history["low_from"]])
            st.dataframe(shown_history.rename(columns={"at": "시각(KST)", "username": "담당자", "high_below": "고위험 기준",
                                                       "low_from": "저위험 기준", "note": "메모"}),
                         hide_index=True, width="stretch", key="employment.policy.history")

st.subheader("공정성 점검")
st.caption(f"검증용 구직자 {len(model.audit_frame):,}명 · 고위험 = 예측 취업확률 {audit_bands.high_below:.0%} 미만 · "
           f"허용 격차 {settings.fairness_tolerance:.0%}p · {settings.fairness_min_group}명 미만 집단은 비교에서 제외. "
           "성별·장애·거주 지역은 모델 입력이 아니며, 연령은 입력입니다(연령 제외 비교 모델과 함께 표시).")
ui.render_fairness(reports, key="employment.policy.fairness")

st.subheader("상담사 위험도 조정 현황")
report = employment.override_report(engine)
if report.n_overrides == 0:
    st.caption("아직 상담사가 조정한 위험도가 없습니다.")
else:
    display.render_metrics_row([
        MetricItem("조정 건수", format_count(report.n_overrides, "건"), f"구직자 {report.n_seekers:,}명"),
        MetricItem("조정 비율", f"{report.n_seekers / max(n_caseload, 1):.1%}", "상담 대상 중 조정된 구직자"),
        MetricItem("위험 상향", format_count(report.raised, "건")),
        MetricItem("위험 하향", format_count(report.lowered, "건")),
    ])
    transitions, by_counsellor = ui.override_tables(report)
    left, right = st.columns(2)
    left.dataframe(transitions, hide_index=True, width="stretch", key="employment.policy.transitions")
    right.dataframe(by_counsellor, hide_index=True, width="stretch", key="employment.policy.by_counsellor")

st.subheader("상담 대상 집계")
aggregates = resources.caseload_group_tables(bands, overrides)
tabs = st.tabs(["희망 지역별", "희망 직종 대분류별"], key="employment.policy.tabs")
for tab, by, label in zip(tabs, ("region", "occupation"), ("희망 지역", "희망 직종 대분류"), strict=True):
    with tab:
        st.dataframe(ui.group_table(aggregates[by], label=label), hide_index=True,
                     width="stretch", key=f"employment.policy.{by}")
