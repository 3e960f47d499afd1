"""자격증 가치 (policy staff and counsellors): each certificate's labour-market value from holders'
outcomes against comparable non-holders — five indicators, their entropy weights, a composite score
with bootstrap intervals — overall, manufacturing vs other industries, and by industry. Aggregates
only (no individual seeker); the analysis is built by ``python -m app build``, the page only reads it."""

from __future__ import annotations

import streamlit as st

from app.exports import csv_bytes
from app.services import certificates
from app.text.korean import format_count, format_korean_date
from components import auth, display, resources
from components import certificates as ui
from components.display import MetricItem

user = auth.require_role("certificate_value")
st.title("자격증 가치")
st.caption("자격증을 가진 구직자와 연령·학력·경력·희망 직종이 비슷한 미보유자의 취업 성과를 비교해, 자격증별 "
           "노동시장 가치를 지표·가중치·종합 점수로 보여 줍니다. 개인이 아닌 집계입니다.")

try:
    certificates.check_access(user)
except certificates.CertificateAccessDenied as err:
    st.error(err.user_message)
    st.stop()
result = resources.required(resources.certificate_value)

groups_of = {scope: certificates.certificate_view(result, user, population="young", scope=scope).groups
             for scope in certificates.scope_options()}
chosen = ui.select_certificate_filter(groups_of, key="certificate_value")
view = certificates.certificate_view(result, user, population=chosen.population, scope=chosen.scope,
                                     group=chosen.group, query=chosen.query, field=chosen.field)

display.render_metrics_row([
    MetricItem("점수가 나온 자격증", format_count(len(view.scores), "개")),
    MetricItem("표본이 적어 제외", format_count(view.suppressed, "개"),
               "보유자나 취업한 보유자가 기준보다 적은 자격증(업종별 구분에서는 자격증 × 업종)은 점수를 내지 않습니다."),
    MetricItem("부트스트랩", format_count(result.settings.bootstrap, "회")),
])
if result.observation_end:
    st.caption(f"근속 관찰 기준일: {format_korean_date(result.observation_end)}")
ui.render_method(certificates.method_notes(result), certificates.make_weights_figure(view.weights),
                 key="certificate_value.method")

if view.scores.empty and view.weights.empty:
    # nothing passed the sample-size minimum in this population and scope: no filter would help
    st.info("이 연령대·업종 구분에서는 보유자 수가 기준에 미치는 자격증이 없어 점수를 내지 않았습니다. "
            "제외 사유는 아래 ‘제외된 자격증’에서 볼 수 있습니다.")
elif view.scores.empty:
    st.info("조건에 맞는 자격증이 없습니다. 검색어나 분야, 업종을 바꿔 보세요.")
else:
    display.render_chart(certificates.make_score_figure(view.chart_scores), key="certificate_value.scores")
    if chosen.scope == "industry":
        display.render_chart(certificates.make_industry_heatmap_figure(view.heatmap), key="certificate_value.heatmap")
    if chosen.scope == "manufacturing":
        st.subheader("제조업과 비제조업 비교")
        ui.render_field_gap(view.field_gap)
        st.dataframe(view.comparison, hide_index=True, width="stretch", key="certificate_value.comparison")
    st.subheader("자격증별 지표")
    st.dataframe(view.scores, hide_index=True, width="stretch", key="certificate_value.table")
    display.render_download(csv_bytes(view.scores), file_name="자격증_가치.csv", key="certificate_value.download")

st.subheader("지표 가중치")
# an empty st.dataframe draws the grid's English "empty" placeholder: say it in Korean instead
if view.weights.empty:
    st.info("점수가 나온 자격증이 없어 지표 가중치를 계산하지 않았습니다.")
else:
    st.dataframe(view.weights, hide_index=True, width="stretch", key="certificate_value.weights")
if not view.suppressed_table.empty:
    with st.expander(f"제외된 자격증 {view.suppressed:,}개", expanded=False):
        st.dataframe(view.suppressed_table, hide_index=True, width="stretch", key="certificate_value.suppressed")
with st.expander("엔트로피 가중치 계산 검증(공개된 계산 예)", expanded=False):
    st.caption("Xu(2004)의 4개 대안 × 4개 지표 예제입니다. 논문처럼 합으로 정규화하면 같은 가중치가 나오고, 이 화면의 "
               "방식(최소–최대 정규화 후 이동)은 음수가 있을 수 있는 지표를 위해 정규화가 달라 가중치도 다릅니다.")
    st.dataframe(certificates.worked_example_table(result), hide_index=True, width="stretch",
                 key="certificate_value.example")
