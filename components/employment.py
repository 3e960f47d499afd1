"""Components of the employment-success pages (구직자 위험 현황, 구직자 프로파일, 기준·공정성).

``select_*`` draw an input and return its value in service terms; ``render_*`` draw service
results. Every text shown is plain text or our own constant markup (no user text as HTML).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app.auth import User
from app.charts import employment as charts
from app.reference.names import region_short
from app.services import employment
from app.services.employment import (
    ATTRIBUTE_LABELS,
    CASELOAD_KEY_COLUMNS,
    CASELOAD_SORTS,
    METRIC_LABELS,
    MODEL_NAME,
    RECALL_FLOOR,
    RISK_BANDS,
    TRAINING_PLAN_COLUMN,
    CaseloadFilter,
    CaseloadSummary,
    CutoffTradeoff,
    FairnessReport,
    InvalidOverride,
    RiskBands,
    SeekerNotFound,
    SeekerProfile,
    WhatIf,
    WhatIfResult,
)
from app.text.korean import format_kst_datetime, format_manwon
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import auth, display, guards, resources, state

AI_DECIDES = "상담사의 판단을 돕는 참고 자료이며, 결정은 상담사가 내립니다."
BAND_ICONS: dict[str, str] = {"고위험": ":red[●]", "중위험": ":orange[●]", "저위험": ":green[●]"}


def format_probability(p: float, low: float | None = None, high: float | None = None) -> str:
    """``"31% (26–36%)"`` (interval left out when not given)."""
    text = f"{p * 100:.0f}%"
    if low is not None and high is not None:
        text += f" ({low * 100:.0f}–{high * 100:.0f}%)"
    return text


def render_ai_note(version: str) -> None:
    """The AI-output notice of the employment-success model (:func:`components.display.render_ai_notice`)."""
    display.render_ai_notice("AI 예측 결과", f"모델 버전 {version}", note=AI_DECIDES)


# --------------------------------------------------------------------------- caseload


def select_caseload_filter(present: Sequence[str], regions: Mapping[str, str], majors: Mapping[str, str]) -> CaseloadFilter:
    """Filters of the caseload table: band, desired region (of the codes ``present``), occupation
    group, search, days."""
    c1, c2, c3 = st.columns([2, 2, 2])
    bands = c1.multiselect("위험도", options=list(RISK_BANDS), key=state.EMPLOYMENT_FILTER_BANDS, placeholder="전체", select_all=False)
    present = sorted(str(code) for code in present)
    # bound dict methods, not lambdas: widget state must pickle (enforceSerializableSessionState)
    region_labels = {code: regions.get(code, code) for code in present}
    region_codes = c2.multiselect("희망 지역", options=present, format_func=region_labels.__getitem__,
                                  key=state.EMPLOYMENT_FILTER_REGIONS, placeholder="전체", select_all=False)
    major_labels = {"": "전체", **{code: f"{code} {majors[code]}" for code in sorted(majors)}}
    major = c3.selectbox("희망 직종 대분류", options=list(major_labels), key=state.EMPLOYMENT_FILTER_MAJOR,
                         format_func=major_labels.__getitem__)
    c4, c5 = st.columns([3, 2])
    search = c4.text_input("검색 (구직자 번호 또는 희망 직종)", key=state.EMPLOYMENT_FILTER_SEARCH, max_chars=40,
                           placeholder="예: 1234, 간호")
    min_days = c5.slider("등록 후 최소 일수", min_value=0, max_value=180, step=10, key=state.EMPLOYMENT_FILTER_DAYS)
    return CaseloadFilter(bands=tuple(bands), region_codes=tuple(region_codes), keco_prefix=str(major or ""),
                          search=str(search or ""), min_days=int(min_days))


def select_caseload_sort() -> str:
    """Order of the caseload table (a key of :data:`CASELOAD_SORTS`); highest risk first by default."""
    return str(st.selectbox("정렬", options=list(CASELOAD_SORTS), format_func=CASELOAD_SORTS.__getitem__,
                            key=state.EMPLOYMENT_CASELOAD_SORT,
                            help="‘조치 가능 요인의 영향 큰 순’은 희망임금·근무지역·자격증·고용서비스처럼 상담으로 바꿀 수 있는 "
                                 "요인이 취업확률을 가장 많이 낮추는 구직자부터 보여 줍니다."))


CASELOAD_COLUMN_CONFIG: dict[str, Any] = {
    "구직자 번호": st.column_config.NumberColumn("구직자 번호", format="%d", pinned=True),
    "위험도": st.column_config.TextColumn("위험도", width="small", pinned=True),
    "180일 내 취업확률": st.column_config.ProgressColumn("180일 내 취업확률", format="percent", min_value=0, max_value=1,
                                                   width="medium", pinned=True),
    "주요 조치 가능 요인": st.column_config.TextColumn(
        "주요 조치 가능 요인", width="medium", pinned=True,
        help="상담·서비스로 바꿀 수 있는 요인 가운데 취업확률을 가장 많이 낮추는 요인입니다."),
    "조치 불가 요인(참고)": st.column_config.TextColumn(
        "조치 불가 요인(참고)", width="medium",
        help="연령·학력·경력·지역 노동시장처럼 상담으로 바꿀 수 없는 요인 가운데 취업확률을 가장 많이 낮추는 요인입니다."),
    "성명(마스킹)": st.column_config.TextColumn("성명(마스킹)"),
    "연령": st.column_config.NumberColumn("연령", format="%d세", width="small"),
    "등록 후 일수": st.column_config.NumberColumn("등록 후 일수", format="%d일", width="small"),
    "남은 기간 취업확률": st.column_config.NumberColumn("남은 기간 취업확률", format="percent", width="small"),
    TRAINING_PLAN_COLUMN: st.column_config.NumberColumn(TRAINING_PLAN_COLUMN, format="%d개", width="small",
                                                        help="상담 계획에 담긴 직업훈련 과정 수입니다."),
}
"""Caseload table columns: the key ones (:data:`CASELOAD_KEY_COLUMNS`) pinned on the left, so
위험도 and its factor stay in view however far the table scrolls sideways."""


def render_caseload_table(table: pd.DataFrame, *, key: str, total: int | None = None) -> int | None:
    """The caseload table with single-row selection (``total``: rows meeting the filters when
    ``table`` holds only the first of them). Returns the selected seeker id, if any."""
    total = len(table) if total is None else int(total)
    shown = table.head(display.MAX_TABLE_ROWS)
    if total > display.MAX_TABLE_ROWS:
        st.caption(f"{total:,}명 중 앞 {display.MAX_TABLE_ROWS:,}명만 표시합니다 (CSV에는 전체 포함).")
    else:
        st.caption(f"{total:,}명 · 행을 선택하면 프로파일을 열 수 있습니다.")
    event = st.dataframe(
        shown, key=key, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
        column_order=[*CASELOAD_KEY_COLUMNS, *(c for c in shown.columns if c not in CASELOAD_KEY_COLUMNS)],
        column_config=CASELOAD_COLUMN_CONFIG,
    )
    st.caption("주요 조치 가능 요인은 상담·서비스로 바꿀 수 있는 요인(희망임금, 근무지역, 자격증·기술, 직업훈련·취업알선·"
               "국민취업지원제도·직업상담)만 봅니다. 연령·학력·경력·지역 노동시장 같은 조치 불가 요인은 참고로 따로 "
               "표시합니다.")
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows and 0 <= rows[0] < len(shown):
        return int(shown.iloc[rows[0]]["구직자 번호"])
    return None


# --------------------------------------------------------------------------- profile


def log_caseload_summary(engine: Engine, user: User, summary: CaseloadSummary, *, model_version: str,
                         bands: RiskBands) -> bool:
    """Write the caseload's figures to the audit log before any of them is drawn (구직자 위험 현황's
    tiles and table: the page reads only a page of rows).

    Returns:
        True when the row is stored (or was already, for the same caseload); False after showing
        the Korean error in its place.
    """
    return audit_log.log_shown(
        engine, user, model_name=MODEL_NAME, action="employment.caseload", model_version=model_version,
        input_hash=audit_log.input_hash_of("caseload", model_version, summary.n_seekers,
                                           round(summary.probability_sum, 6), bands.high_below, bands.low_from),
        output={"n_seekers": summary.n_seekers, "mean_probability": summary.mean_probability,
                "n_high": int(summary.band_counts.get("고위험", 0))},
    )


def seeker_labels(scored: pd.DataFrame) -> dict[int, str]:
    """Picker label per seeker: ``"#1234 · 이○숙 · 간호사 · 고위험 18%"``."""
    ids = scored["id"].astype(int)
    percent = (scored["probability"].astype(float) * 100).round().astype(int).astype(str)
    labels = ("#" + ids.astype(str) + " · " + scored["masked_name"].astype(str) + " · "
              + scored["desired_occupation"].astype(str) + " · " + scored["final_band"].astype(str) + " " + percent + "%")
    return dict(zip(ids.tolist(), labels.tolist(), strict=True))


def log_picker_shown(engine: Engine, user: User, listed: pd.DataFrame, total: int, *, more: bool = False,
                     model_version: str, bands: RiskBands) -> bool:
    """Write what the seeker picker lists (each seeker's band and probability) to the audit log
    before it is drawn: the listed seekers, not the whole caseload. The search typed is not logged
    (it may hold a name).

    Returns:
        True when the row is stored (or was already, for the same list); False after showing the
        Korean error in its place.
    """
    ids = [int(i) for i in listed["id"]]
    probabilities = [round(float(p), 6) for p in listed["probability"]]
    final = [str(b) for b in listed["final_band"]]
    return audit_log.log_shown(
        engine, user, model_name=MODEL_NAME, action="employment.caseload", model_version=model_version,
        input_hash=audit_log.input_hash_of("caseload.picker", model_version, ids, probabilities, final,
                                           bands.high_below, bands.low_from),
        output={"seeker_ids": ids, "n_shown": len(ids), "n_matching": int(total), "more_matching": bool(more),
                "n_high": sum(b == "고위험" for b in final)},
    )


def select_caseload_seeker(engine: Engine, user: User, *, model_version: str, bands: RiskBands) -> int:
    """The counsellor's seeker: a checked ``?seeker=`` or the picker (the profile page, the interest
    test, 훈련 추천 and 상담 지원 share it, and with it the chosen seeker).

    The picker is a search over the open caseload (seeker number, masked name or desired occupation)
    listing at most :data:`~app.services.employment.PICKER_LIMIT` matches, highest risk first, read
    from the stored scores; the caseload itself is never read whole. A requested seeker is checked
    against the caseload (one indexed lookup) and refused when outside it. The list is written to
    the audit log before it is drawn. Stops the page when there is no seeker to show.
    """
    resources.ensure_caseload_scores()
    overrides = employment.latest_overrides(engine)
    requested = guards.requested_id(key=state.EMPLOYMENT_SEEKER_ID, query_key=state.EMPLOYMENT_SEEKER_QUERY,
                                    back_label="상담 대상 목록으로", button_key="employment.back")
    current = None
    if requested is not None:
        current = employment.caseload_seeker(engine, int(requested), bands, overrides)
        if current.empty:
            guards.refuse_requested(f"구직자 #{requested}은(는) 현재 상담 대상(등록 후 180일 이내 미취업자)이 아닙니다.",
                                    key=state.EMPLOYMENT_SEEKER_ID, query_key=state.EMPLOYMENT_SEEKER_QUERY,
                                    back_label="상담 대상 목록으로", button_key="employment.back")
    search = str(st.text_input(
        "구직자 검색", key=state.EMPLOYMENT_SEEKER_SEARCH, max_chars=40, placeholder="구직자 번호, 성명 또는 희망 직종 (예: 1234, 김○수, 간호)",
        help="구직자 번호는 그대로, 성명은 마스킹된 성명(김○수)이나 그 일부로, 희망 직종은 낱말로 찾습니다. "
             "맞는 구직자를 위험도가 높은 순으로 보여 줍니다.") or "").strip()
    matches = employment.find_caseload_seekers(engine, search, bands, overrides)
    if not search and matches.total == 0:
        st.info("현재 상담 대상 구직자가 없습니다.")
        st.stop()
    listed = matches.rows
    if current is not None and not search and int(requested) not in set(listed["id"].astype(int)):
        # the open seeker (a deep link, a row of 구직자 위험 현황) stays listed beside the highest-risk ones
        listed = pd.concat([current, listed], ignore_index=True).sort_values(["probability", "id"], kind="stable")
    if listed.empty:
        st.warning("검색과 맞는 상담 대상 구직자가 없습니다. 구직자 번호, 성명 또는 희망 직종을 확인하세요.")
        if current is None:
            st.stop()
        listed = current  # the open seeker stays open
    if not log_picker_shown(engine, user, listed, matches.total, more=matches.more, model_version=model_version,
                            bands=bands):
        st.stop()
    seeker_id = select_seeker(listed, key=state.EMPLOYMENT_SEEKER_ID, query_key=state.EMPLOYMENT_SEEKER_QUERY)
    if matches.total > len(matches.rows):
        scope = "검색과 맞는" if search else "상담 대상"
        count = f"{matches.total:,}명 이상" if matches.more else f"{matches.total:,}명"
        st.caption(f"{scope} {count} 중 위험도가 높은 {len(matches.rows):,}명을 보여 줍니다. "
                   "구직자 번호, 성명 또는 희망 직종으로 검색해 좁히세요.")
    if seeker_id is None:
        st.stop()
    return int(seeker_id)


def select_seeker(scored: pd.DataFrame, *, key: str, query_key: str) -> int | None:
    """Picker over listed seekers (in the order given: highest risk first). Returns the chosen seeker id."""
    labels = seeker_labels(scored)
    if not labels:
        return None
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    choice = st.selectbox("구직자 선택", options=list(labels), format_func=labels.__getitem__, key=key,
                          on_change=guards.sync_query, args=(key, query_key),
                          help="위험도가 높은 구직자부터 나열합니다. 구직자 위험 현황 표에서 행을 골라 열 수도 있습니다.")
    st.query_params[query_key] = str(choice)
    return int(choice)


def render_summary(profile: SeekerProfile) -> None:
    """Masked summary of the seeker (no direct identifier) as a two-column key–value table."""
    items = list(profile.summary.items())
    table = pd.DataFrame({"항목": [k for k, _ in items], "내용": [v for _, v in items]})
    st.dataframe(table, hide_index=True, width="stretch", key="employment.profile.summary",
                 height=36 * (len(table) + 1) + 4,  # every row visible, no inner scrollbar
                 column_config={"항목": st.column_config.TextColumn(width="small"),
                                "내용": st.column_config.TextColumn(width="large")})


def render_prediction(profile: SeekerProfile) -> None:
    """Metric cards: probability (interval), band (and override), still-searching probability."""
    c1, c2, c3 = st.columns(3)
    c1.metric("180일 내 취업확률", format_probability(profile.probability, profile.probability_low, profile.probability_high),
              border=True, help="등록일로부터 180일 안에 고용보험 가입 일자리에 취업할 확률(모델 예측값과 불확실성 구간)입니다.")
    override = profile.override
    band = str(override["override_band"]) if override else profile.band
    c2.metric("위험도", band, delta=f"모델 판정 {profile.band} · 상담사 조정" if override else "모델 판정",
              delta_color="off", delta_arrow="off", border=True)
    c3.metric("남은 기간 취업확률", format_probability(profile.probability_now), border=True,
              help=f"등록 후 {profile.days_since_registration}일째 아직 미취업인 점을 반영한 180일 내 취업확률입니다.")
    render_ai_note(profile.model_version)
    if profile.calibration_note:
        st.caption(profile.calibration_note)


def render_factors(factors: pd.DataFrame, base_logit: float, *, key: str) -> None:
    """SHAP waterfall and one sentence per factor (largest first, small ones summed in the chart)."""
    display.render_chart(charts.make_employment_waterfall_figure(factors, base_logit), key=key)
    lines = []
    for row in factors.head(8).itertuples(index=False):
        mark = ":green[▲]" if row.contribution > 0 else ":red[▼]" if row.contribution < 0 else "·"
        lines.append(f"- {mark} **{row.factor}** — {row.sentence}")
    st.markdown("\n".join(lines))


def render_services(profile: SeekerProfile, *, key: str) -> None:
    """Services ranked by estimated effect: chart, a compact table and each service's reason and
    caution written out below it (long sentences would be cut off in a table cell)."""
    services = profile.services
    display.render_chart(charts.make_service_effect_figure(services), key=key)
    table = pd.DataFrame({
        "순위": range(1, len(services) + 1),
        "서비스": services["label"],
        "예상 효과": ["이미 참여" if r else f"{e * 100:+.1f}%p ({lo * 100:+.1f}~{hi * 100:+.1f})"
                  for r, e, lo, hi in zip(services["received"], services["effect"], services["effect_low"],
                                          services["effect_high"], strict=True)],
        "비슷한 구직자의 이용률": [f"{p:.0%}" for p in services["propensity"]],
        "주의": ["있음" if c else "" for c in services["caution"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table",
                 column_config={"순위": st.column_config.NumberColumn("순위", width="small", pinned=True),
                                "서비스": st.column_config.TextColumn("서비스", width="medium", pinned=True),
                                "예상 효과": st.column_config.TextColumn("예상 효과", width="medium", pinned=True)})
    st.markdown("**서비스별 근거**")
    lines = []
    for rank, row in enumerate(services.itertuples(index=False), start=1):
        line = f"{rank}. **{escape_markdown(str(row.label))}** — {escape_markdown(str(row.reason))}"
        if row.caution:
            line += f"  \n   :orange[주의: {escape_markdown(str(row.caution))}]"
        lines.append(line)
    st.markdown("\n".join(lines))
    st.caption("예상 효과는 비슷한 조건에서 서비스를 받은 구직자와 받지 않은 구직자의 결과를 비교해 추정한 AI 값입니다 "
               "(관찰 자료의 인과 추정: 성향점수 중첩·공변량 균형·이중강건 평균 효과로 점검).")


def render_similar(profile: SeekerProfile) -> None:
    """How similar past seekers fared (observed outcomes)."""
    similar = profile.similar
    if similar.n == 0:
        st.caption("비교할 과거 구직자가 없습니다.")
        return
    days = f", 취업자의 취업까지 중앙값 {similar.median_days:.0f}일" if similar.median_days == similar.median_days else ""
    group = "같은 희망 직종 중분류" if similar.same_group else "전체"
    # no bold around figures: "**20%**가" does not render as emphasis in CommonMark
    st.markdown(f"{group}의 비슷한 과거 구직자 {similar.n}명 중 {similar.employed_rate:.0%}가 180일 안에 취업했습니다{days}.")
    table = pd.DataFrame({
        "서비스": similar.by_service["label"],
        "받은 사람": [f"{n}명 · 취업 {r:.0%}" if n else "없음" for n, r in
                  zip(similar.by_service["n_received"], similar.by_service["rate_received"], strict=True)],
        "받지 않은 사람": [f"{n}명 · 취업 {r:.0%}" if n else "없음" for n, r in
                     zip(similar.by_service["n_not"], similar.by_service["rate_not"], strict=True)],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="employment.profile.similar")
    st.caption("과거 구직자의 실제 결과이며 AI 예측이 아닙니다. 서비스별 차이에는 대상자 선정의 차이가 섞여 있어 효과로 읽으면 안 됩니다.")


def prepare_whatif(profile: SeekerProfile) -> None:
    """Fill the what-if widgets from the seeker when another seeker was opened."""
    owner = str(profile.seeker_id)
    keys = (state.EMPLOYMENT_WHATIF_WAGE, state.EMPLOYMENT_WHATIF_FLEXIBLE, state.EMPLOYMENT_WHATIF_TRAINING,
            state.EMPLOYMENT_WHATIF_CERTIFICATES)
    if st.session_state.get(state.EMPLOYMENT_WHATIF_FOR) == owner and all(k in st.session_state for k in keys):
        return
    # the seeker's own wage, unrounded: an untouched what-if must equal the profile exactly
    st.session_state[state.EMPLOYMENT_WHATIF_WAGE] = int(profile.record["desired_wage"])
    st.session_state[state.EMPLOYMENT_WHATIF_FLEXIBLE] = bool(profile.record.get("region_flexible"))
    st.session_state[state.EMPLOYMENT_WHATIF_TRAINING] = bool(int(profile.record.get("svc_training") or 0))
    st.session_state[state.EMPLOYMENT_WHATIF_CERTIFICATES] = 0
    st.session_state[state.EMPLOYMENT_WHATIF_FOR] = owner


def select_whatif(profile: SeekerProfile) -> WhatIf:
    """Actionable what-if controls: desired wage, region flexibility, training, certificates."""
    market = profile.summary.get("희망 임금", "")
    own = int(profile.record["desired_wage"])
    wage = st.slider("희망임금 (월)", min_value=min(1_000_000, own), max_value=max(10_000_000, own), step=10_000,
                     format="localized", key=state.EMPLOYMENT_WHATIF_WAGE, help=f"현재 희망임금: {market}")
    st.caption(f"적용 희망임금: 월 {format_manwon(wage)}")
    flexible = st.toggle("다른 지역 근무도 가능", key=state.EMPLOYMENT_WHATIF_FLEXIBLE)
    already = bool(int(profile.record.get("svc_training") or 0))
    training = st.checkbox("직업훈련 수료", key=state.EMPLOYMENT_WHATIF_TRAINING, disabled=already,
                           help="이미 수료한 경우 바꿀 수 없습니다." if already else "희망 직종 관련 훈련 과정을 수료한다고 가정합니다.")
    certificates = st.number_input("희망 직종 관련 자격증 추가 취득(개)", min_value=0, max_value=3, step=1,
                                   key=state.EMPLOYMENT_WHATIF_CERTIFICATES)
    return WhatIf(desired_wage=int(wage), region_flexible=bool(flexible), complete_training=bool(training) or already,
                  extra_certificates=int(certificates))


def render_whatif(profile: SeekerProfile, result: WhatIfResult, *, key: str) -> None:
    """The what-if probability against the current one, and its main reasons."""
    delta = result.change
    changed = abs(delta) >= 0.0005  # "+0.0%p" with a green arrow would claim a gain
    st.metric("변경 후 180일 내 취업확률", format_probability(result.probability, result.probability_low, result.probability_high),
              delta=f"{delta * 100:+.1f}%p" if changed else "변화 없음", delta_color="normal" if changed else "off",
              delta_arrow="auto" if changed else "off", border=True)
    display.render_chart(charts.make_whatif_figure(profile.probability, result.probability), key=key)
    display.render_ai_notice("AI 예측 결과", note="조건만 바꾸어 같은 모델로 다시 계산한 값입니다.", compact=True)


def render_documents(profile: SeekerProfile) -> None:
    """Masked résumé, cover letter and counsellor notes (plain text only)."""
    docs = profile.documents
    with st.expander("이력서 (개인정보 마스킹)"):
        st.text(docs.resume)
    with st.expander("자기소개서 (개인정보 마스킹)"):
        st.text(docs.cover_letter)
    with st.expander(f"상담일지 {len(docs.notes)}건 (개인정보 마스킹)"):
        if not docs.notes:
            st.caption("상담일지가 없습니다.")
        for written_on, text in docs.notes:
            st.markdown(f"**{written_on}**")
            st.text(text)


def render_override_form(profile: SeekerProfile, *, key: str) -> None:
    """Band override form. Its save runs as the button's callback, before the run the click starts:
    that one run draws the page once, already showing the new band and the notice, where saving in
    the page and then calling ``st.rerun`` drew the whole profile twice."""
    with st.form(key, clear_on_submit=False, border=True):
        st.markdown("**위험도 조정 (상담사 판단)**")
        choices = [b for b in RISK_BANDS if b != profile.band]
        st.radio("조정할 위험도", options=choices, key=state.EMPLOYMENT_OVERRIDE_BAND, horizontal=True)
        st.text_area("조정 사유 (5~300자, 개인정보는 적지 마세요)", key=state.EMPLOYMENT_OVERRIDE_REASON,
                     help="건강·가족·경제 사정 같은 민감한 내용은 적지 말고, 상담에서 확인한 판단의 근거만 "
                          "간단히 적어 주세요.",
                     max_chars=300, placeholder="예: 상담에서 확인한 구직 활동과 준비 상태로 보아 위험도가 더 높다고 판단함")
        st.form_submit_button("조정 저장", icon=":material/edit_note:", on_click=_save_override,
                              args=(profile.seeker_id, profile.band, profile.probability, profile.model_version))
    error = st.session_state.pop(state.EMPLOYMENT_OVERRIDE_ERROR, None)
    if error:
        st.error(error)


def _save_override(seeker_id: int, model_band: str, probability: float, model_version: str) -> None:
    """The override form's save (a callback: it draws nothing; the run after it shows the notice or
    the Korean error). Saves for the seeker, model band and probability the counsellor saw."""
    user = auth.callback_user("employment_profile")
    if user is None:
        return  # the run that follows ends the session and says why
    band = str(st.session_state.get(state.EMPLOYMENT_OVERRIDE_BAND) or "")
    try:
        employment.save_override(resources.engine(), seeker_id=seeker_id, username=user.username,
                                 model_band=model_band, override_band=band, probability=probability,
                                 model_version=model_version,
                                 reason=str(st.session_state.get(state.EMPLOYMENT_OVERRIDE_REASON) or ""))
    except (InvalidOverride, SeekerNotFound) as err:
        st.session_state[state.EMPLOYMENT_OVERRIDE_ERROR] = str(err)
        return
    st.session_state.pop(state.EMPLOYMENT_OVERRIDE_REASON, None)  # the next override starts with an empty reason
    st.session_state[state.EMPLOYMENT_OVERRIDE_NOTICE] = f"위험도를 {model_band} → {band}(으)로 조정했습니다."


def render_overrides(history: pd.DataFrame) -> None:
    """Past overrides of the seeker (newest first)."""
    if history.empty:
        return
    table = pd.DataFrame({
        "시각(KST)": [format_kst_datetime(at) for at in history["at"]], "상담사": history["username"],
        "모델 판정": history["model_band"], "조정": history["override_band"], "사유": history["reason"],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="employment.profile.overrides")


# --------------------------------------------------------------------------- policy


def select_bands(current: RiskBands) -> tuple[float, float]:
    """Threshold sliders (percent) prefilled with the bands in force. Returns (high_below, low_from)."""
    if state.EMPLOYMENT_POLICY_HIGH not in st.session_state:
        st.session_state[state.EMPLOYMENT_POLICY_HIGH] = round(current.high_below * 100)
    if state.EMPLOYMENT_POLICY_LOW not in st.session_state:
        st.session_state[state.EMPLOYMENT_POLICY_LOW] = round(current.low_from * 100)
    c1, c2 = st.columns(2)
    high = c1.slider("고위험 기준 (예측 취업확률 미만)", min_value=5, max_value=60, step=1, format="%d%%",
                     key=state.EMPLOYMENT_POLICY_HIGH)
    low = c2.slider("저위험 기준 (예측 취업확률 이상)", min_value=10, max_value=90, step=1, format="%d%%",
                    key=state.EMPLOYMENT_POLICY_LOW)
    return high / 100, low / 100


def render_band_shares(shares: pd.DataFrame, *, key: str) -> None:
    """Stacked bar and table of caseload shares per band."""
    display.render_chart(charts.make_band_share_figure(shares), key=key)


def _percent(value: object) -> str:
    """``"12.3%"``, or "-" for a value that is not defined (no group large enough, nobody flagged)."""
    return "-" if value is None or pd.isna(value) else f"{float(value):.1%}"


def tradeoff_table(tradeoff: pd.DataFrame) -> pd.DataFrame:
    """Display table of :func:`app.services.employment.cutoff_table` (or
    :func:`~app.services.employment.threshold_tradeoff`) output; the chosen cutoff is marked ▶."""
    chosen = tradeoff["chosen"] if "chosen" in tradeoff else pd.Series(False, index=tradeoff.index)
    table = pd.DataFrame({
        "고위험 기준": [("▶ " if c else "") + f"{t:.0%} 미만" for t, c in zip(tradeoff["threshold"], chosen, strict=True)],
        "재현율(미취업자 중 고위험)": [_percent(v) for v in tradeoff["recall"]],
        "정밀도(고위험 중 미취업)": [_percent(v) for v in tradeoff["precision"]],
        "고위험 판정 비율": [_percent(v) for v in tradeoff["high_risk_share"]],
    })
    if "caseload_high" in tradeoff:
        table["현재 상담 대상 중 고위험"] = [f"{int(n):,}명" for n in tradeoff["caseload_high"]]
    table["최대 고위험 비율 격차"] = [_percent(v) for v in tradeoff["max_share_gap"]]
    table["최대 미탐지율 격차"] = [_percent(v) for v in tradeoff["max_fnr_gap"]]
    table["격차가 큰 속성"] = ["-" if a is None or pd.isna(a) else ATTRIBUTE_LABELS.get(str(a), str(a))
                         for a in tradeoff["fnr_gap_attribute"]]
    return table


def render_cutoff_tradeoff(tradeoff: CutoffTradeoff) -> None:
    """What the chosen high-risk cutoff catches and costs, with a warning when recall is low."""
    display.render_metrics_row([
        display.MetricItem("재현율", _percent(tradeoff.recall),
                           f"검증용 구직자 중 180일 안에 취업하지 못한 {tradeoff.n_not_employed:,}명 가운데 고위험으로 "
                           "분류되는 비율"),
        display.MetricItem("정밀도", _percent(tradeoff.precision), "고위험으로 분류된 검증용 구직자 가운데 실제로 180일 안에 "
                                                               "취업하지 못한 비율"),
        display.MetricItem("상담 부담", f"{tradeoff.caseload_high:,}명",
                           f"현재 상담 대상 {tradeoff.caseload_total:,}명 가운데 이 기준의 고위험(상담사 조정 전)"),
    ])
    if tradeoff.low_recall:
        missed = 1 - tradeoff.recall if tradeoff.recall == tradeoff.recall else 1.0
        st.warning(f"고위험 기준 {tradeoff.cutoff:.0%} 미만에서는 180일 안에 취업하지 못할 구직자의 {missed:.0%}를 고위험으로 "
                   f"찾지 못합니다(재현율 {_percent(tradeoff.recall)}, 경고 기준 {RECALL_FLOOR:.0%}). 기준을 높이면 더 많이 "
                   "찾지만 상담 부담이 늘어납니다. 아래 표에서 기준별로 비교하세요.", icon=":material/warning:")
    st.caption(f"검증용 구직자 {tradeoff.n_held_out:,}명(학습에 쓰지 않은 구직자)의 실제 결과로 추정했습니다.")


def _metric_text(value: float, metric: str) -> str:
    if value != value:  # NaN
        return "-"
    if metric == "n":
        return f"{int(value):,}명"
    return f"{value:+.1%}" if metric == "calibration_gap" else f"{value:.1%}"


def render_fairness(reports: Mapping[str, FairnessReport], *, key: str) -> None:
    """Per attribute: flagged gaps, group metrics and a calibration chart; main vs age-blind model."""
    main = reports["main"]
    flagged = main.flagged()
    if flagged.empty:
        st.success(f"모든 속성에서 집단 간 격차가 허용 기준({main.tolerance:.0%}p) 이내입니다.", icon=":material/check_circle:")
    else:
        items = [f"{ATTRIBUTE_LABELS.get(r.attribute, r.attribute)} · {METRIC_LABELS.get(r.metric, r.metric)} "
                 f"{r.gap:.1%}p (가장 높은 집단: {r.worst_group})" for r in flagged.itertuples(index=False)]
        st.warning(f"허용 기준({main.tolerance:.0%}p)을 넘는 격차 {len(items)}건: " + " / ".join(items), icon=":material/flag:")
    st.caption("읽는 법: 보정 차이(예측−실제)가 작으면 모델이 그 집단의 취업 가능성을 치우침 없이 맞히고 있다는 뜻입니다. "
               "고위험 비율의 격차는 더 많은 지원이 가는 쪽의 차이로, 지역 노동시장처럼 실제 위험의 차이일 수 있습니다. "
               "미탐지율(FNR) 격차는 도움이 필요한 구직자를 놓치는 비율의 차이입니다. 격차는 허용 기준을 넘고 통계적으로 "
               "유의할 때만(유의수준 5%) 표시합니다.")
    attributes = [a for a in ATTRIBUTE_LABELS if a in set(main.by_group["attribute"])]
    tabs = st.tabs([ATTRIBUTE_LABELS[a] for a in attributes], key=f"{key}.tabs")
    metrics = ("n", "observed_rate", "mean_probability", "calibration_gap", "ece", "high_risk_share", "fnr", "fpr")
    for tab, attribute in zip(tabs, attributes, strict=True):
        with tab:
            rows = main.by_group[main.by_group["attribute"] == attribute]
            table = pd.DataFrame({"집단": rows["group"].astype(str)})
            for metric in metrics:
                table[METRIC_LABELS.get(metric, metric)] = [_metric_text(float(v), metric) for v in rows[metric]]
            table["비교 대상"] = ["예" if r else "표본 적음" for r in rows["reported"]]
            st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.{attribute}.table")
            display.render_chart(charts.make_group_calibration_figure(rows, attribute_label=ATTRIBUTE_LABELS[attribute]),
                                 key=f"{key}.{attribute}.chart")
            gaps = [(report_name, report.gaps[report.gaps["attribute"] == attribute])
                    for report_name, report in reports.items()]
            compare = pd.DataFrame({"지표": [METRIC_LABELS.get(m, m) for m in gaps[0][1]["metric"]]})
            for report_name, frame in gaps:
                label = "운영 모델(연령 포함)" if report_name == "main" else "비교 모델(연령 제외)"
                compare[label] = [("-" if g != g else f"{g:.1%}p") + (" ⚑" if f else "")
                                  for g, f in zip(frame["gap"], frame["flagged"], strict=True)]
            st.caption("집단 간 격차 (⚑: 허용 기준 초과)")
            st.dataframe(compare, hide_index=True, width="stretch", key=f"{key}.{attribute}.gaps")


def group_table(frame: pd.DataFrame, *, label: str) -> pd.DataFrame:
    """Display table of :func:`app.services.employment.caseload_aggregates`."""
    return pd.DataFrame({
        label: frame["group"].astype(str), "상담 대상": [f"{int(n):,}명" for n in frame["n"]],
        "평균 취업확률": [f"{p:.0%}" for p in frame["mean_probability"]],
        "고위험 비율": [f"{s:.0%}" for s in frame["high_risk_share"]],
        "평균 등록 후 일수": [f"{d:.0f}일" for d in frame["mean_days"]],
    })


def override_tables(report: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(transition table, per-counsellor table) of an :class:`OverrideReport` for display."""
    transitions = report.transitions.copy()
    transitions.index = [f"모델 {b}" for b in transitions.index]
    transitions.columns = [f"→ {b}" for b in transitions.columns]
    by = report.by_counsellor.rename(columns={"username": "상담사", "n": "조정 건수", "raised": "위험 상향", "lowered": "위험 하향"})
    return transitions.reset_index(names="모델 판정"), by


def region_names(codes: Sequence[str]) -> dict[str, str]:
    """시도 code → short name."""
    return {str(c): region_short(str(c)) for c in codes}
