"""데이터 탐색기: filter postings, seekers (staff only) and courses; chart and download them."""

from __future__ import annotations

import streamlit as st

from app.charts import overview as charts
from app.reference.codes import EMPLOYMENT_TYPES
from app.services import explorer
from app.services.explorer import WAGE_SLIDER_MAX_MANWON, ExplorerQuery
from app.services.overview import NoWorldError
from components import auth, display, filters, resources, state

user = auth.require_role("explorer")
st.title("데이터 탐색기")

try:
    options = resources.filter_options()
except NoWorldError as err:
    st.warning(str(err))
    st.stop()

employer_id = user.scoped_employer_id
show_seekers = auth.can_view(user, "explorer.seekers")

with st.container(border=True):
    st.markdown("**공통 조건**")
    region_col, occupation_col = st.columns([1, 2])
    with region_col:
        regions = filters.select_region(options.regions, key=state.EXPLORER_REGION)
    with occupation_col:
        major, kecos = filters.select_occupation(
            options.majors, options.occupations, key_major=state.EXPLORER_MAJOR, key_minor=state.EXPLORER_KECO
        )
common = ExplorerQuery(region_codes=regions, major_code=major, keco_codes=kecos)

labels = ["채용공고", "구직자", "훈련과정"] if show_seekers else ["채용공고", "훈련과정"]
# on_change="rerun": only the open tab is drawn (each holds thousands of rows and charts that every
# run would otherwise send to the browser), so a visit or a filter change costs one tab, not three.
tabs = dict(zip(labels, st.tabs(labels, key=state.EXPLORER_TABS, on_change="rerun"), strict=True))

with tabs["채용공고"]:
    if tabs["채용공고"].open:
        c1, c2, c3 = st.columns(3)
        with c1:
            period = filters.select_period(options.date_bounds["postings"], key=state.POSTINGS_PERIOD, label="게시일")
        with c2:
            employment = filters.select_employment_types(EMPLOYMENT_TYPES, key=state.POSTINGS_EMPLOYMENT)
        with c3:
            wage = filters.select_wage_range(
                key=state.POSTINGS_WAGE, label="월 환산 임금", max_manwon=WAGE_SLIDER_MAX_MANWON
            )
        mine_only = employer_id is not None and st.checkbox("우리 기업 공고만 보기", key=state.POSTINGS_MINE)
        query = ExplorerQuery(
            region_codes=common.region_codes, major_code=common.major_code, keco_codes=common.keco_codes,
            employment_types=employment, wage_range_manwon=wage, date_range=period, mine_only=mine_only,
        )
        rows = resources.postings(query, viewer_employer_id=employer_id)
        if employer_id is not None:
            st.caption(f"게시된 공고는 공개 정보라 모든 기업의 공고를 보여 줍니다. 우리 기업 공고 {int(rows['mine'].sum()):,}건은 ‘내 공고’로 표시됩니다.")
        table = explorer.posting_table(rows, show_mine=employer_id is not None)
        display.render_table(table, key="explorer.postings.table")
        display.render_download(explorer.to_csv_bytes(table), file_name="채용공고.csv", key="explorer.postings.csv")
        left, right = st.columns(2)
        with left:
            display.render_chart(charts.make_wage_by_occupation_figure(rows), key="explorer.postings.wage_chart")
        with right:
            display.render_chart(
                charts.make_postings_over_time_figure(explorer.compute_postings_by_month(rows)),
                key="explorer.postings.time_chart",
            )
        display.render_chart(
            charts.make_fill_rate_by_figure(explorer.compute_fill_rate_by(rows, "region"), by="region", by_title="시도"),
            key="explorer.postings.fill_chart",
        )

if show_seekers:
    with tabs["구직자"]:
        if tabs["구직자"].open:
            st.caption("개인 식별정보(이름·주민등록번호·연락처·주소·이력서)는 표시하지 않으며, 나이는 연령대로만 보여 줍니다.")
            c1, c2 = st.columns(2)
            with c1:
                period = filters.select_period(options.date_bounds["seekers"], key=state.SEEKERS_PERIOD, label="구직 등록일")
            with c2:
                wage = filters.select_wage_range(
                    key=state.SEEKERS_WAGE, label="희망 임금(월)", max_manwon=WAGE_SLIDER_MAX_MANWON
                )
            query = ExplorerQuery(
                region_codes=common.region_codes, major_code=common.major_code, keco_codes=common.keco_codes,
                wage_range_manwon=wage, date_range=period,
            )
            rows = resources.seekers(query)
            table = explorer.seeker_table(rows)
            display.render_table(table, key="explorer.seekers.table", unit="명")
            display.render_download(explorer.to_csv_bytes(table), file_name="구직자_가명.csv", key="explorer.seekers.csv")
            left, right = st.columns(2)
            with left:
                display.render_chart(
                    charts.make_wage_by_occupation_figure(
                        rows, wage="desired_wage", occupation="desired_occupation",
                        title="희망 직종별 희망 임금 분포", wage_title="희망 임금(월)",
                    ),
                    key="explorer.seekers.wage_chart",
                )
            with right:
                display.render_chart(
                    charts.make_rate_bar_figure(
                        explorer.compute_reemployment_of(rows, "age_band"), category="age_band", rate="rate",
                        title="연령대별 180일 내 재취업률 (현재 조건)", category_title="연령대", rate_title="재취업률",
                    ),
                    key="explorer.seekers.reemp_chart",
                )

with tabs["훈련과정"]:
    if tabs["훈련과정"].open:
        period = filters.select_period(options.date_bounds["courses"], key=state.COURSES_PERIOD, label="개강일")
        query = ExplorerQuery(
            region_codes=common.region_codes, major_code=common.major_code, keco_codes=common.keco_codes,
            date_range=period,
        )
        rows = resources.courses(query)
        table = explorer.course_table(rows)
        display.render_table(table, key="explorer.courses.table", unit="개")
        display.render_download(explorer.to_csv_bytes(table), file_name="훈련과정.csv", key="explorer.courses.csv")
        display.render_chart(
            charts.make_count_and_rate_figure(
                explorer.compute_courses_by(rows, "region"), category="region", count="n_courses",
                rate="employment_rate", title="시도별 훈련과정 수와 평균 6개월 취업률", category_title="시도",
                count_title="과정 수", rate_title="평균 6개월 취업률",
            ),
            key="explorer.courses.chart",
        )
