"""구직자 위험 현황 (counsellors): every open seeker's probability of insured employment within
180 days, risk band, days since registration and main risk factor; filters, search, a masked CSV
export and a link to each seeker's profile. Policy staff see only aggregates (their own page)."""

from __future__ import annotations

import streamlit as st

from app.services import employment, training
from app.text.korean import format_count, format_korean_date
from components import auth, display, resources, state
from components import employment as ui
from components.display import MetricItem

user = auth.require_role("employment_caseload")
st.title("구직자 위험 현황")
st.caption(
    "등록 후 180일이 지나지 않은 미취업 구직자의 장기실업 위험을 AI 모델로 예측합니다. 고위험 구직자에게 "
    "집중 상담·서비스를 먼저 연결하는 데 참고하세요. 성명은 마스킹되어 있습니다."
)

model = resources.required(resources.employment_model)

engine = resources.engine()
bands = employment.load_risk_bands(engine)
scored = resources.scored_caseload(bands)
reference = employment.reference_date(engine)
st.caption(f"기준일 {format_korean_date(reference)} · 등록 후 일수와 상담 대상은 이 날짜 기준입니다.")
if scored.empty:
    st.info("현재 상담 대상 구직자가 없습니다.")
    st.stop()

# the tiles count the band shown in the table: a counsellor's override, else the model's
shares = scored["final_band"].value_counts().reindex(list(employment.RISK_BANDS), fill_value=0).rename("n").to_frame()
# no log row, no output: the whole caseload is recorded before any of its figures is drawn
# (the table below shows a filtered part of exactly these scores)
if not ui.log_caseload_shown(engine, user, scored, model_version=str(model.version), bands=bands):
    st.stop()
display.render_metrics_row([
    MetricItem("상담 대상", format_count(len(scored), "명"),
               f"기준일 {format_korean_date(reference)} 현재 등록 후 180일 이내 미취업자"),
    MetricItem("고위험", format_count(int(shares.loc["고위험", "n"]), "명"), bands.describe()),
    MetricItem("중위험", format_count(int(shares.loc["중위험", "n"]), "명")),
    MetricItem("저위험", format_count(int(shares.loc["저위험", "n"]), "명")),
])
ui.render_ai_note(str(model.version))
st.caption(f"위험도 기준: {bands.describe()} (정책 담당자 {bands.set_by} 설정) · 상담사가 조정한 위험도가 있으면 그 값을 표시합니다.")

regions = ui.region_names(scored["desired_region_code"].astype(str).unique())
majors = dict(resources.names().majors)
flt = ui.select_caseload_filter(scored, regions, majors)
order = ui.select_caseload_sort()
shown = employment.sort_caseload(employment.filter_caseload(scored, flt), order)
plans = training.plan_counts(engine, shown["id"])  # not cached: a course added on a profile shows at once
table = employment.caseload_table(shown, plans)
selected = ui.render_caseload_table(table, key=state.EMPLOYMENT_CASELOAD_TABLE)
display.render_download(employment.caseload_csv(shown, plans), file_name="구직자_위험현황.csv",
                        key="employment.caseload.csv")
st.caption("내려받은 파일에는 마스킹된 성명만 있으며 연락처·주소·주민등록번호는 없습니다.")

if selected is not None:
    st.session_state[state.EMPLOYMENT_SEEKER_ID] = selected
    st.page_link("pages/employment_profile.py", label=f"구직자 #{selected} 프로파일 열기",
                 icon=":material/person_search:", query_params={state.EMPLOYMENT_SEEKER_QUERY: str(selected)})
    st.page_link("pages/copilot.py", label=f"구직자 #{selected} 상담 지원 열기",
                 icon=":material/assistant:", query_params={state.EMPLOYMENT_SEEKER_QUERY: str(selected)})
