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
resources.ensure_caseload_scores()
# overrides are read on every run (one small query), so a saved override shows at once; the figures
# and the table's page of rows come from the stored scores with indexed queries, never the whole caseload
overrides = employment.latest_overrides(engine)
summary = employment.caseload_summary(engine, bands, overrides)
reference = employment.reference_date(engine)
st.caption(f"기준일 {format_korean_date(reference)} · 등록 후 일수와 상담 대상은 이 날짜 기준입니다.")
if summary.n_seekers == 0:
    st.info("현재 상담 대상 구직자가 없습니다.")
    st.stop()

# no log row, no output: the whole caseload is recorded before any of its figures is drawn
# (the table below shows a filtered part of exactly these scores)
if not ui.log_caseload_summary(engine, user, summary, model_version=str(model.version), bands=bands):
    st.stop()
# the tiles count the band shown in the table: a counsellor's override, else the model's
display.render_metrics_row([
    MetricItem("상담 대상", format_count(summary.n_seekers, "명"),
               f"기준일 {format_korean_date(reference)} 현재 등록 후 180일 이내 미취업자"),
    MetricItem("고위험", format_count(summary.band_counts["고위험"], "명"), bands.describe()),
    MetricItem("중위험", format_count(summary.band_counts["중위험"], "명")),
    MetricItem("저위험", format_count(summary.band_counts["저위험"], "명")),
])
ui.render_ai_note(str(model.version))
st.caption(f"위험도 기준: {bands.describe()} (정책 담당자 {bands.set_by} 설정) · 상담사가 조정한 위험도가 있으면 그 값을 표시합니다.")

regions = ui.region_names(summary.region_codes)
majors = dict(resources.names().majors)
flt = ui.select_caseload_filter(summary.region_codes, regions, majors)
order = ui.select_caseload_sort()
shown, total = employment.caseload_page(engine, flt, order, bands, overrides, limit=display.MAX_TABLE_ROWS)
plans = training.plan_counts(engine, shown["id"])  # not cached: a course added on a profile shows at once
table = employment.caseload_table(shown, plans)
selected = ui.render_caseload_table(table, key=state.EMPLOYMENT_CASELOAD_TABLE, total=total)


def _every_row_csv() -> bytes:
    """The CSV of every row meeting the filters (made when asked for: a national list is long)."""
    rows, _ = employment.caseload_page(engine, flt, order, bands, overrides, limit=None)
    return employment.caseload_csv(rows, training.plan_counts(engine, rows["id"]))


display.render_download(employment.caseload_csv(shown, plans) if total <= len(shown) else _every_row_csv,
                        file_name="구직자_위험현황.csv", key="employment.caseload.csv")
st.caption("내려받은 파일에는 마스킹된 성명만 있으며 연락처·주소·주민등록번호는 없습니다.")

if selected is not None:
    st.session_state[state.EMPLOYMENT_SEEKER_ID] = selected
    st.page_link("pages/employment_profile.py", label=f"구직자 #{selected} 프로파일 열기",
                 icon=":material/person_search:", query_params={state.EMPLOYMENT_SEEKER_QUERY: str(selected)})
    st.page_link("pages/copilot.py", label=f"구직자 #{selected} 상담 지원 열기",
                 icon=":material/assistant:", query_params={state.EMPLOYMENT_SEEKER_QUERY: str(selected)})
