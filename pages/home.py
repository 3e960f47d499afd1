"""홈: the world at a glance (headline figures, breakdown charts, model status)."""

from __future__ import annotations

import streamlit as st

from app.charts import overview as charts
from app.services.overview import (
    BUILD_COMMAND,
    EMPLOYER_MODELS,
    RATE_NOTES,
    NoWorldError,
    UnknownEmployerError,
    compute_model_status,
)
from app.text.korean import format_count, format_korean_date, format_number, format_rate
from app.text.markdown import escape_markdown
from components import auth, display, resources
from components.display import MetricItem

user = auth.require_role("home")
st.title("고용AI 워크벤치 — 현황")

try:
    world = resources.world_overview()
except NoWorldError as err:
    st.warning(str(err))
    st.stop()

as_of = format_korean_date(world.as_of) if world.as_of else "미상"
st.caption(f"기준일 {as_of} · 게시 중인 공고와 상담 대상은 이 날짜 기준입니다 · 가상 세계(합성 데이터) 기준 · "
           "실제 개인정보는 포함되어 있지 않습니다.")

if user.scoped_employer_id is not None:
    st.subheader("우리 기업 현황")
    try:
        mine = resources.employer_overview(user.scoped_employer_id)
    except UnknownEmployerError as err:
        st.error(str(err))
    else:
        st.markdown(f"**{escape_markdown(mine.employer_name)}**의 공고 {mine.n_postings:,}건 가운데 "
                    f"{mine.n_open_postings:,}건이 기준일 현재 게시 중입니다.")
        display.render_metrics_row([
            MetricItem("우리 공고 수", format_count(mine.n_postings, "건")),
            MetricItem("게시 중인 공고", format_count(mine.n_open_postings, "건")),
            MetricItem("충원율(마감 기준)", format_rate(mine.fill_rate), RATE_NOTES["fill_rate"]),
            MetricItem("30일 내 충원율", format_rate(mine.fill_rate_30d), RATE_NOTES["fill_rate_30d"]),
            MetricItem("공고당 지원자 수", format_number(mine.applications_per_posting, "명"),
                       RATE_NOTES["applications_per_posting"]),
        ])
        st.caption("전체 시장 수치는 아래 ‘전체 현황’과 비교해 보세요. 다른 기업의 개별 실적은 표시하지 않습니다.")
else:
    st.info(f"{user.role_label} 화면: 전체 구인·구직·훈련 현황을 봅니다. "
            "세부 조건별 데이터는 ‘데이터 탐색기’에서 확인하세요.")

st.subheader("전체 현황")
display.render_metrics_row([
    MetricItem("구인기업", format_count(world.n_employers, "곳")),
    MetricItem("게시 중인 공고", format_count(world.n_open_postings, "건"), f"전체 공고 {world.n_postings:,}건 중"),
    MetricItem("구직자", format_count(world.n_seekers, "명")),
    MetricItem("훈련과정", format_count(world.n_courses, "개")),
])
display.render_metrics_row([
    MetricItem("충원율(마감 기준)", format_rate(world.fill_rate), RATE_NOTES["fill_rate"]),
    MetricItem("30일 내 충원율", format_rate(world.fill_rate_30d), RATE_NOTES["fill_rate_30d"]),
    MetricItem("공고당 지원자 수", format_number(world.applications_per_posting, "명"), RATE_NOTES["applications_per_posting"]),
    MetricItem("미충원율", format_rate(world.unfilled_rate), RATE_NOTES["unfilled_rate"]),
])
display.render_metrics_row([
    MetricItem("180일 내 재취업률", format_rate(world.reemployment_180d), RATE_NOTES["reemployment"]),
    MetricItem("재취업률(구직급여 수급자)", format_rate(world.reemployment_180d_benefit),
               f"구직급여 수급자 {world.n_benefit:,}명 기준"),
])

tables = resources.breakdowns()
st.subheader("채용공고")
left, right = st.columns(2)
with left:
    display.render_chart(charts.make_region_postings_figure(tables["postings_by_region"]), key="home.region")
with right:
    display.render_chart(charts.make_top_occupations_figure(tables["top_occupations"]), key="home.occupations")

st.subheader("구직자 재취업")
left, right = st.columns(2)
with left:
    display.render_chart(charts.make_reemployment_by_age_figure(tables["reemployment_by_age"]), key="home.age")
with right:
    display.render_chart(
        charts.make_reemployment_by_region_figure(tables["reemployment_by_region"]), key="home.reemp_region"
    )

st.subheader("모델 현황")
try:
    manifest = resources.manifest()
except (OSError, ValueError) as err:  # unreadable or corrupt manifest.json
    st.error(f"모델 매니페스트를 읽을 수 없습니다 ({err.__class__.__name__}). `{BUILD_COMMAND}`로 다시 만드세요.")
else:
    # an employer sees the models behind their own pages, not the seekers' employment model
    only = EMPLOYER_MODELS if user.scoped_employer_id is not None else None
    display.render_model_status(compute_model_status(manifest, only=only), build_command=BUILD_COMMAND)
