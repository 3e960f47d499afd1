"""Components of the hiring simulator (채용 시뮬레이터) and its policy view.

``select_*`` draw an input and return its value in service terms (posting ids,
:class:`~app.services.hiring.PostingConditions`); ``render_*`` draw service results. The one
side effect besides drawing is :func:`log_shown`: every model output a user sees goes to the audit
log once per distinct input (:mod:`components.audit`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app.access import ROLE_LABELS
from app.auth import User
from app.charts import hiring as charts
from app.labour import MAX_WEEKLY_HOURS, WAGE_ROUNDING, monthly_equivalent
from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, WAGE_TYPE_LABELS
from app.services import audit, transparency
from app.services.hiring import (
    AT_RISK_THRESHOLD,
    MODEL_NAME,
    Advice,
    Plan,
    PostingConditions,
    Prediction,
    legal_minimum_amount,
    validate_conditions,
)
from app.text.korean import format_krw, format_kst_datetime, format_manwon, format_wage
from components import audit as audit_log
from components import display, guards, state

NEW_LABEL = "새 공고 입력 (직종·지역으로 시작)"
HOURS_MIN, HOURS_MAX = 10.0, MAX_WEEKLY_HOURS
MAX_CAREER_YEARS = 15
STAFF_PICKER_MAX = 300
"""Staff see every posting; above this many the picker is narrowed by occupation first."""
MAX_COMPARED = 5
"""Newest saved scenarios shown side by side."""
CAREER_NOTE = "경력 구분이 '경력'일 때만 적용됩니다."


# --------------------------------------------------------------------------- formatting


def format_probability(p: float, low: float | None = None, high: float | None = None) -> str:
    """``"57% (48–65%)"`` (interval left out when not given)."""
    text = f"{p * 100:.0f}%"
    if low is not None and high is not None:
        text += f" ({low * 100:.0f}–{high * 100:.0f}%)"
    return text


def format_days(days: float, low: float | None = None, high: float | None = None) -> str:
    """``"약 21일 (14–33일)"`` (interval left out when not given)."""
    text = f"약 {days:.0f}일"
    if low is not None and high is not None:
        text += f" ({low:.0f}–{high:.0f}일)"
    return text


def _pp(delta: float) -> str:
    return f"{delta * 100:+.1f}%p"


def describe_conditions(c: PostingConditions, welfare: Mapping[str, str]) -> str:
    """One Korean line of the conditions, e.g. ``"월급 250만원 · 주 40시간 · 정규직 · 경력무관 · …"``."""
    career = f"경력 {c.min_career_years}년 이상" if c.career == "경력" else c.career
    education = "학력 무관" if c.education == "무관" else f"{c.education} 이상"
    names = [welfare.get(code, code) for code in c.welfare_codes]
    parts = [format_wage(c.wage_type, c.wage_amount, style='label'), f"주 {c.weekly_hours:g}시간", c.employment_type, career, education,
             "복리후생: " + (", ".join(names) if names else "없음")]
    return " · ".join(parts)


# --------------------------------------------------------------------------- posting picker


def posting_labels(postings: pd.DataFrame) -> dict[int, str]:
    """Picker label of each posting: ``"#245 · 청소원 채용 · 경기 · 시급 12,830원 · 2026-03-25 게시"``."""
    labels = {}
    for row in postings.itertuples(index=False):
        title = str(row.title)
        title = title if len(title) <= 40 else title[:39] + "…"
        labels[int(row.id)] = f"#{int(row.id)} · {title} · {row.region} · {row.wage_text} · {row.open_date} 게시"
    return labels


def select_occupation_filter(postings: pd.DataFrame, *, key: str, wanted: int | None) -> pd.DataFrame:
    """Staff only: narrow the (long) list of every posting to one occupation before picking.

    Args:
        postings: Every posting (picker columns).
        key: Session key of the occupation select box.
        wanted: A posting asked for by id; its occupation is preselected.

    Returns:
        The postings of the chosen occupation.
    """
    counts = postings.groupby(["keco_code", "keco_name"]).size().reset_index(name="n")
    labels = {str(r.keco_code): f"{r.keco_name} ({r.n:,}건)" for r in counts.sort_values("keco_name").itertuples()}
    if wanted is not None:
        match = postings.loc[postings["id"] == wanted, "keco_code"]
        if not match.empty:
            st.session_state[key] = str(match.iloc[0])
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    code = st.selectbox("직종으로 좁히기", options=list(labels), format_func=labels.__getitem__, key=key)
    return postings[postings["keco_code"] == code]


def select_posting(postings: pd.DataFrame, *, key: str, query_key: str) -> int | str:
    """Posting picker: one of ``postings`` or "새 공고 입력".

    Call only after the requested value (if any) was checked against the user's postings.

    Returns:
        The chosen posting id, or :data:`components.state.NEW_POSTING`.
    """
    labels: dict[int | str, str] = {**posting_labels(postings), state.NEW_POSTING: NEW_LABEL}
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)  # e.g. a posting of another occupation filter: start from the first
    choice = st.selectbox(
        "공고 선택", options=list(labels), format_func=labels.__getitem__, key=key,
        on_change=guards.sync_query, args=(key, query_key),
        help="내 공고 가운데 하나를 고르거나, 새 공고를 직종·지역만으로 시작합니다.",
    )
    st.query_params[query_key] = str(choice)
    return choice


def select_new_posting(
    occupations: Mapping[str, str],
    regions: Mapping[str, str],
    sizes: Mapping[str, str],
    *,
    keys: tuple[str, str, str],
    default_keco: str | None = None,
) -> tuple[str, str, str]:
    """직종 · 지역 · 기업 규모 of a new posting.

    Returns:
        (KECO 소분류 code, 시도 code, size code).
    """
    key_keco, key_region, key_size = keys
    keco_labels = {code: f"{name} ({code})" for code, name in sorted(occupations.items(), key=lambda kv: kv[1])}
    region_labels = dict(regions)
    size_labels = {code: f"{label}" for code, label in sizes.items()}
    if key_keco not in st.session_state and default_keco in keco_labels:
        st.session_state[key_keco] = default_keco
    if key_size not in st.session_state and "S2" in size_labels:
        st.session_state[key_size] = "S2"
    c1, c2, c3 = st.columns([2, 1, 1])
    keco = c1.selectbox("직종 (KECO 소분류)", options=list(keco_labels), format_func=keco_labels.__getitem__, key=key_keco)
    region = c2.selectbox("지역 (시도)", options=list(region_labels), format_func=region_labels.__getitem__, key=key_region)
    size = c3.selectbox("기업 규모", options=list(size_labels), format_func=size_labels.__getitem__, key=key_size)
    return str(keco), str(region), str(size)


# --------------------------------------------------------------------------- what-if controls


def _wage_step(wage_type: str) -> int:
    return int(WAGE_ROUNDING.get(wage_type, 10))


def _wage_range(published: PostingConditions, market_max: float) -> tuple[int, int, int]:
    """(slider min, slider max, legal minimum at the posted hours) in the posting's wage unit.

    The range is fixed per posting (a widget whose bounds change would lose its value); the legal
    minimum at the *current* hours is enforced when the value is read (:func:`select_whatif`).
    """
    step = _wage_step(published.wage_type)
    hours = min(published.weekly_hours, MAX_WEEKLY_HOURS)
    legal = legal_minimum_amount(published.wage_type, hours)
    low = (legal // step) * step  # a round figure; values below the legal minimum are lifted to it
    top = max(published.wage_amount * 2, market_max * 1.3, legal * 2)
    high = int(-(-top // step) * step)
    return int(low), high, int(legal)


def _whatif_values(c: PostingConditions, wage_low: int, wage_legal: int) -> dict[str, Any]:
    """Widget values that show ``c`` (clamped to what the widgets can show)."""
    return {
        state.HIRING_WHATIF_WAGE: int(max(c.wage_amount, wage_legal, wage_low)),
        state.HIRING_WHATIF_HOURS: float(min(max(c.weekly_hours, HOURS_MIN), HOURS_MAX)),
        state.HIRING_WHATIF_EMPLOYMENT: c.employment_type,
        state.HIRING_WHATIF_WELFARE: list(c.welfare_codes),
        state.HIRING_WHATIF_CAREER: c.career,
        state.HIRING_WHATIF_YEARS: int(min(max(c.min_career_years, 1), MAX_CAREER_YEARS)),
        state.HIRING_WHATIF_EDUCATION: c.education,
    }


def _fill_whatif(values: dict[str, Any], owner: str) -> None:
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[state.HIRING_WHATIF_FOR] = owner
    st.session_state.pop(state.HIRING_PLANS, None)


def prepare_whatif(published: PostingConditions, *, owner: str, market_max: float) -> None:
    """Fill the what-if widgets from ``published`` when another posting was opened (or they were
    dropped because the user visited another page). Call before :func:`select_whatif`."""
    present = all(k in st.session_state for k in state.HIRING_WHATIF_KEYS)
    if st.session_state.get(state.HIRING_WHATIF_FOR) == owner and present:
        return
    low, _, legal = _wage_range(published, market_max)
    _fill_whatif(_whatif_values(published, low, legal), owner)


def select_whatif(
    published: PostingConditions, *, owner: str, welfare: Mapping[str, str], market_max: float
) -> tuple[PostingConditions, list[str]]:
    """The what-if controls: wage, weekly hours, employment type, welfare, career, education.

    Args:
        published: The posting as published (the starting point and the reset target).
        owner: Identifies the posting (reset button target).
        welfare: Welfare code → Korean name (every item a posting may offer).
        market_max: Highest wage similar postings offer, in the posting's wage unit (slider range).

    Returns:
        (the conditions the controls describe, Korean notes about adjustments made — e.g. a wage
        lifted to the legal minimum).
    """
    low, high, legal = _wage_range(published, market_max)
    wage_type = published.wage_type
    notes: list[str] = []
    wage = st.slider(
        f"{WAGE_TYPE_LABELS.get(wage_type, '임금')} (원)",
        min_value=low, max_value=high, step=_wage_step(wage_type), format="localized",
        key=state.HIRING_WHATIF_WAGE,
        help=f"게시 조건: {format_wage(wage_type, published.wage_amount, style='label')}. 최저임금 미만으로는 내릴 수 없습니다.",
    )
    hours = st.slider(
        "주당 근로시간", min_value=HOURS_MIN, max_value=HOURS_MAX, step=1.0, format="%.0f시간",
        key=state.HIRING_WHATIF_HOURS, help=f"게시 조건: 주 {published.weekly_hours:g}시간 (법정 한도 주 52시간)",
    )
    legal_now = legal_minimum_amount(wage_type, float(hours))
    amount = int(wage)
    if amount < legal_now:
        amount = legal_now
        notes.append(f"주 {hours:g}시간의 최저임금({format_krw(legal_now)})보다 낮아 최저임금으로 계산했습니다.")
    st.caption(f"적용 임금: {format_wage(wage_type, amount, style='label')} (월 환산 {format_manwon(_monthly(published, amount, hours))})")
    employment = st.radio(
        "고용형태", options=list(EMPLOYMENT_TYPES), key=state.HIRING_WHATIF_EMPLOYMENT, horizontal=True
    )
    labels = dict(welfare)
    codes = st.multiselect(
        "복리후생", options=list(labels), format_func=labels.__getitem__, key=state.HIRING_WHATIF_WELFARE,
        placeholder="복리후생 항목 선택",
        select_all=False,
    )
    c1, c2 = st.columns(2)
    career = c1.selectbox("경력 구분", options=list(CAREER_LEVELS), key=state.HIRING_WHATIF_CAREER)
    years = c2.number_input(
        "최소 경력(년)", min_value=1, max_value=MAX_CAREER_YEARS, step=1, key=state.HIRING_WHATIF_YEARS,
        disabled=career != "경력", help=CAREER_NOTE,
    )
    education = st.selectbox("학력 요건", options=list(EDUCATION_LEVELS), key=state.HIRING_WHATIF_EDUCATION)
    st.button(
        "게시 조건으로 되돌리기", key=state.HIRING_WHATIF_RESET, icon=":material/undo:",
        on_click=_reset_whatif, args=(published.to_dict(), owner, low, legal),
    )
    conditions = published.replace(
        wage_amount=amount,
        weekly_hours=float(hours),
        employment_type=employment,
        welfare_codes=tuple(codes),
        career=career,
        min_career_years=int(years) if career == "경력" else 0,
        education=education,
    )
    return conditions, notes


def _monthly(c: PostingConditions, amount: int, hours: float) -> float:
    return float(monthly_equivalent(c.wage_type, float(amount), float(hours)))


def _reset_whatif(published: dict[str, Any], owner: str, low: int, legal: int) -> None:
    # on_click callback: its arguments are plain data, so the conditions travel as a dict
    _fill_whatif(_whatif_values(validate_conditions(published), low, legal), owner)


# --------------------------------------------------------------------------- prediction


def render_prediction(current: Prediction, published: Prediction | None) -> None:
    """Metric cards (probability with interval, days with interval), deltas against the posting as
    published, and the AI-output note."""
    p_delta = d_delta = None
    p_color, d_color = "normal", "inverse"  # fewer days is the good direction
    if published is not None and current.input_hash != published.input_hash:
        p_change, d_change = current.probability - published.probability, current.days - published.days
        p_delta = f"{_pp(p_change)} (게시 조건 {format_probability(published.probability)})"
        d_delta = f"{d_change:+.0f}일 (게시 조건 {format_days(published.days)})"
        if abs(p_change) < 0.0005:  # "+0.0%p" with a green arrow would claim a gain
            p_delta, p_color = f"변화 없음 (게시 조건 {format_probability(published.probability)})", "off"
        if abs(d_change) < 0.5:
            d_delta, d_color = f"변화 없음 (게시 조건 {format_days(published.days)})", "off"
    left, right = st.columns(2)
    left.metric(
        "채용확률(30일 내)",
        format_probability(current.probability, current.probability_low, current.probability_high),
        delta=p_delta, delta_color=p_color, delta_arrow="off" if p_color == "off" else "auto", border=True,
        help="30일 안에 채용될 확률의 모델 예측값과 불확실성 구간(부트스트랩 모델들의 ±1.96 표준편차)입니다.",
    )
    right.metric(
        "예상 충원 기간",
        format_days(current.days, current.days_low, current.days_high),
        delta=d_delta, delta_color=d_color, delta_arrow="off" if d_color == "off" else "auto", border=True,
        help="채용된다면 걸릴 기간의 예측 중앙값과 25–75% 구간입니다.",
    )
    display.render_ai_notice("AI 예측 결과", f"모델 버전 {current.model_version}", note="주요 근거 아래")


def render_factors(prediction: Prediction, *, key: str) -> None:
    """SHAP waterfall and one plain sentence per factor (largest effect first)."""
    display.render_chart(charts.make_shap_waterfall_figure(prediction.factors, prediction.base_logit), key=key)
    lines = []
    for row in prediction.factors.itertuples(index=False):
        mark = ":green[▲]" if row.contribution > 0 else ":red[▼]" if row.contribution < 0 else "·"
        lines.append(f"- {mark} **{row.factor}** — {row.sentence}")
    st.markdown("\n".join(lines))


def render_wage_curve(
    curve: pd.DataFrame,
    *,
    current: PostingConditions,
    prediction: Prediction,
    published: PostingConditions,
    published_prediction: Prediction,
    target: float | None,
    key: str,
) -> None:
    """Wage → probability with the current what-if marked (and the posted wage when it differs)."""
    fig = charts.make_wage_curve_figure(
        curve,
        wage_type=current.wage_type,
        current_wage=current.wage_amount,
        current_probability=prediction.probability,
        published_wage=published.wage_amount if published.weekly_hours == current.weekly_hours else None,
        published_probability=published_prediction.probability,
        minimum_wage=legal_minimum_amount(current.wage_type, current.weekly_hours),
        target=target,
        title="임금에 따른 채용확률 (다른 조건은 현재 설정 그대로)",
    )
    display.render_chart(fig, key=key)


# --------------------------------------------------------------------------- plans and advice


def select_target(*, key: str) -> float:
    """Target probability slider (default 70 %). Returns 0–1."""
    if key not in st.session_state:
        st.session_state[key] = 70
    value = st.slider("목표 채용확률", min_value=10, max_value=95, step=5, format="%d%%", key=key)
    return int(value) / 100


def plans_to_state(plans: Sequence[Plan], *, input_hash: str, target: float) -> dict[str, Any]:
    """Plain, picklable record of computed plans (session state holds plain data only)."""
    return {
        "for": input_hash,
        "target": target,
        "plans": [
            {
                "steps": list(p.steps), "monthly_cost": int(p.monthly_cost), "probability": float(p.probability),
                "reaches_target": bool(p.reaches_target), "note": p.note,
                "cost_items": [[label, int(v)] for label, v in p.cost_items],
                "conditions": p.conditions.to_dict(),
            }
            for p in plans
        ],
    }


def render_plans(record: Mapping[str, Any], *, apply_key: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """Plan cards: steps, monthly cost in 만원 and the verified probability; or the Korean reason
    why no plan reaches the target.

    Args:
        record: :func:`plans_to_state` output.
        apply_key: Prefix of an "이 방안을 공고에 적용" button under each plan (``None``: no buttons,
            e.g. a new posting or a staff user).

    Returns:
        (plan title, the plan's conditions dict) of the plan whose apply button was pressed, else ``None``.
    """
    target = float(record["target"])
    plans = list(record["plans"])
    reaching = [p for p in plans if p["reaches_target"]]
    if not reaching:
        best = plans[0] if plans else None
        reason = (best or {}).get("note") or f"비슷한 공고들이 제시하는 범위 안에서는 목표 {target:.0%}에 도달하는 방안을 찾지 못했습니다."
        st.warning(f"목표 {target:.0%}에 도달하는 방안이 없습니다. {reason}", icon=":material/block:")
        if best and best["steps"]:
            st.markdown("**가장 가까운 방안**")
            title = f"최대 채용확률 {best['probability']:.0%}"
            if _plan_card(best, title=title, target=target, show_note=False,
                          apply_key=None if apply_key is None else f"{apply_key}0"):
                return "가장 가까운 방안", dict(best.get("conditions") or {})
        return None
    chosen = None
    for i, plan in enumerate(reaching, start=1):
        if _plan_card(plan, title=f"방안 {i}", target=target, apply_key=None if apply_key is None else f"{apply_key}{i}"):
            chosen = (f"방안 {i}", dict(plan.get("conditions") or {}))
    return chosen


def _plan_card(plan: Mapping[str, Any], *, title: str, target: float, show_note: bool = True,
               apply_key: str | None = None) -> bool:
    pressed = False
    with st.container(border=True):
        head, cost, prob = st.columns([2, 1, 1])
        head.markdown(f"**{title}**")
        cost.metric("월 추가 비용(1인당, 추정)", format_manwon(plan["monthly_cost"]))
        prob.metric("검증된 채용확률", format_probability(plan["probability"]),
                    delta=f"목표 {target:.0%} {'달성' if plan['reaches_target'] else '미달'}",
                    delta_color="normal" if plan["reaches_target"] else "inverse",
                    delta_arrow="auto" if plan["reaches_target"] else "off")
        if plan["steps"]:
            head.markdown("\n".join(f"- {step}" for step in plan["steps"]))
        if show_note and plan.get("note"):  # the warning above already gives a not-reaching plan's reason
            head.caption(plan["note"])
        if plan.get("cost_items"):
            head.caption("비용 내역: " + ", ".join(f"{label} {format_manwon(v)}" for label, v in plan["cost_items"]))
        if apply_key is not None and plan["steps"] and plan.get("conditions"):
            pressed = head.button("이 방안을 공고에 적용", key=apply_key, icon=":material/published_with_changes:",
                                  help="방안대로 공고 조건과 본문을 고친 새 버전을 만들고, 구인광고 검증을 거쳐 게시합니다.")
    return pressed


def render_advice(items: Sequence[Advice]) -> None:
    """Ranked suggestions, best effect per won first."""
    if not items:
        st.caption("현재 조건에서 채용확률을 더 올릴 단일 변경을 찾지 못했습니다.")
        return
    st.markdown("\n".join(f"{i}. {item.text}" for i, item in enumerate(items, start=1)))


# --------------------------------------------------------------------------- similar postings


def similar_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Display table of similar postings: 만원 wages, hours, 충원/미충원 and days to fill."""

    def outcome(filled: object) -> str:
        if filled is None or pd.isna(filled):
            return "결과 없음"
        return "충원" if bool(filled) else "미충원"

    def days(value: object, filled: object) -> str:
        if value is None or pd.isna(value) or not (filled is not None and not pd.isna(filled) and bool(filled)):
            return "-"
        return f"{int(value)}일"

    return pd.DataFrame(
        {
            "순위": frame["rank"].astype(int),
            "공고명": frame["title"].astype(str),
            "기업": frame["employer_name"].astype(str),
            "임금": [format_wage(t, a, style="label") for t, a in zip(frame["wage_type"], frame["wage_amount"], strict=True)],
            "월 환산 임금": [format_manwon(v) for v in frame["wage_monthly"]],
            "주당 근로시간": [f"{h:g}시간" for h in frame["weekly_hours"]],
            "고용형태": frame["employment_type"].astype(str),
            "결과": [outcome(v) for v in frame["filled"]],
            "충원 소요일": [days(d, f) for d, f in zip(frame["days_to_fill"], frame["filled"], strict=True)],
        }
    )


def render_similar(frame: pd.DataFrame, *, key: str) -> None:
    """The similar postings table (or a note when there are none)."""
    if frame.empty:
        st.caption("같은 직종군의 비교할 공고가 없습니다.")
        return
    st.dataframe(similar_table(frame), key=key, hide_index=True, width="stretch")
    filled = frame["filled"].dropna()
    if len(filled):
        rate = float(filled.astype(bool).mean())
        st.caption(f"유사 공고 {len(frame)}건 중 충원 {int(filled.astype(bool).sum())}건 ({rate:.0%}). "
                   "공고 결과는 실제 관측치이며 AI 예측이 아닙니다.")


def similar_query(c: PostingConditions, *, title: str) -> dict[str, Any]:
    """Keyword arguments of ``PostingsIndex.similar_to_text`` for conditions without stored text
    (a new posting, or one written after the last index build)."""
    return {
        "title": title, "duties": "", "requirements": "", "keco_code": c.keco_code,
        "wage_monthly_fte": float(c.wage_fte), "weekly_hours": float(c.weekly_hours),
        "employment_type": c.employment_type, "career": c.career, "education": c.education,
    }


# --------------------------------------------------------------------------- scenarios


def render_scenarios(table: pd.DataFrame, *, key: str) -> None:
    """Side-by-side comparison of saved scenarios (``compare_scenarios`` output).

    The row names stay pinned on the left while the scenarios scroll sideways, and every row is
    shown (no inner scrolling), so the probability rows at the top are never cut off.
    """
    if table.empty:
        st.caption("저장된 시나리오가 없습니다. 조건을 바꿔 본 뒤 이름을 붙여 저장하세요.")
        return
    shown = table.reset_index()
    config = {"항목": st.column_config.TextColumn("항목", pinned=True, width="medium")}
    config |= {name: st.column_config.TextColumn(name, width="medium") for name in shown.columns[1:]}
    st.dataframe(shown, key=key, hide_index=True, width="stretch", height="content", column_config=config)


def scenario_apply_labels(scenarios: pd.DataFrame, posting_id: int) -> dict[int, str]:
    """Scenarios saved for ``posting_id`` (id → label), the ones that can be applied to it."""
    own = scenarios[scenarios["posting_id"].fillna(-1).astype(int) == int(posting_id)]
    return scenario_labels(own)


def render_versions(table: pd.DataFrame, *, key: str) -> None:
    """The posting's version history (``version_table`` output, newest first)."""
    if table.empty:
        st.caption("아직 수정한 적이 없습니다. 조건을 바꿔 보거나 방안을 찾은 뒤 ‘공고에 적용’을 누르면 새 버전이 기록됩니다.")
        return
    config = {
        "버전": st.column_config.NumberColumn("버전", pinned=True, width="small", format="%d"),
        "상태": st.column_config.TextColumn("상태", pinned=True, width="small"),
        "바뀐 내용": st.column_config.TextColumn("바뀐 내용", width="large"),
    }
    st.dataframe(table, key=key, hide_index=True, width="stretch", column_config=config,
                 column_order=["버전", "상태", "바뀐 내용", "검증 결과", "채용확률(적용 시)", "출처", "시각(KST)",
                               "수정한 사람"])


def render_cases(table: pd.DataFrame, *, key: str) -> None:
    """Consulting cases (``case_table`` output): key columns first and pinned, the reason wrapped."""
    if table.empty:
        st.caption("채용 컨설팅 사례가 없습니다.")
        return
    config = {
        "사례 번호": st.column_config.NumberColumn("사례 번호", pinned=True, width="small", format="%d"),
        "상태": st.column_config.TextColumn("상태", pinned=True, width="small"),
        "채용 여부": st.column_config.TextColumn("채용 여부", width="small"),
        "신청 사유": st.column_config.TextColumn("신청 사유", width="large"),
        "공고 번호": st.column_config.NumberColumn("공고 번호", format="%d"),
    }
    order = [c for c in ("사례 번호", "상태", "공고명", "채용 여부", "담당자", "신청 사유", "결과", "기업", "공고 번호",
                         "접수 시각(KST)", "신청") if c in table.columns]
    st.dataframe(table, key=key, hide_index=True, width="stretch", column_config=config, column_order=order)


def scenario_labels(scenarios: pd.DataFrame) -> dict[int, str]:
    """Scenario id → ``"이름 · 채용확률 57% · 2026-11-24 04:05"``."""
    return {
        int(r.id): f"{r.name} · 채용확률 {r.probability * 100:.0f}% · {format_kst_datetime(r.created_at)}"
        for r in scenarios.itertuples(index=False)
    }


def select_scenario_to_delete(scenarios: pd.DataFrame, *, key: str, button_key: str) -> int | None:
    """Scenario picker and a delete button. Returns the scenario id when the button was pressed."""
    if scenarios.empty:
        return None
    labels = scenario_labels(scenarios)
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)  # the scenario was just deleted
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("삭제할 시나리오", options=list(labels), format_func=labels.__getitem__, key=key)
    pressed = right.button("시나리오 삭제", key=button_key, icon=":material/delete:")
    return int(chosen) if pressed and chosen is not None else None


# --------------------------------------------------------------------------- audit log


input_hash_of = audit_log.input_hash_of


def log_shown(
    engine: Engine,
    user: User,
    *,
    action: str,
    model_version: str,
    input_hash: str,
    output: Mapping[str, Any],
) -> bool:
    """Record a hiring-model output before it is shown; ``False``: show nothing of it
    (see :func:`components.audit.log_shown`)."""
    return audit_log.log_shown(engine, user, model_name=MODEL_NAME, action=action, model_version=model_version,
                        input_hash=input_hash, output=output)


def prediction_output(prediction: Prediction, advice_items: Sequence[Advice] = ()) -> dict[str, Any]:
    """What the audit log keeps of a shown prediction (figures only; the input is only hashed)."""
    output: dict[str, Any] = dict(prediction.audit_output())
    if advice_items:
        output["advice"] = [
            {"lever": a.lever, "before": round(a.probability_before, 6), "after": round(a.probability_after, 6)}
            for a in advice_items
        ]
    return output


def plans_output(record: Mapping[str, Any]) -> dict[str, Any]:
    """Audit output of computed plans."""
    return {
        "target": record["target"],
        "plans": [
            {"probability": round(p["probability"], 6), "monthly_cost": p["monthly_cost"], "reaches_target": p["reaches_target"]}
            for p in record["plans"]
        ],
    }


# --------------------------------------------------------------------------- policy view


def render_audit_log(frame: pd.DataFrame, *, key: str) -> None:
    """Recent model outputs: time (KST), user, role, action, model and version, input hash, figure.

    The input itself is never stored (only its hash), so the table holds no personal data.
    """
    if frame.empty:
        st.caption("아직 기록된 모델 출력이 없습니다.")
        return
    titles = transparency.model_titles()

    def figure(output: object) -> str:
        if isinstance(output, Mapping) and "probability" in output:
            return f"채용확률 {float(output['probability']) * 100:.0f}%"
        if isinstance(output, Mapping) and "plans" in output:
            return f"방안 {len(output['plans'])}건 (목표 {float(output.get('target', 0)) * 100:.0f}%)"
        if isinstance(output, Mapping) and "n_postings" in output:
            return f"공고 {int(output['n_postings']):,}건 · 위험 {int(output.get('n_at_risk', 0)):,}건"
        return "-"

    table = pd.DataFrame(
        {
            "시각(KST)": [format_kst_datetime(v) for v in frame["at"]],
            "사용자": frame["username"].astype(str),
            "역할": [ROLE_LABELS.get(str(r), str(r)) for r in frame["role"]],
            "동작": [audit.action_label(a) for a in frame["action"]],
            "모델": [audit.model_label(m, titles) for m in frame["model_name"]],
            "모델 버전": frame["model_version"].astype(str),
            "입력 해시": [str(h)[:12] + "…" for h in frame["input_hash"]],
            "출력": [figure(o) for o in frame["output"]],
        }
    )
    st.dataframe(table, key=key, hide_index=True, width="stretch")


def select_risk_threshold(*, key: str) -> float:
    """At-risk threshold slider (default 40 %). Returns 0–1."""
    if key not in st.session_state:
        st.session_state[key] = 40
    value = st.slider(
        "위험 기준 채용확률", min_value=10, max_value=90, step=5, format="%d%%", key=key,
        help="예측 채용확률(30일 내)이 이 값보다 낮은 공고를 위험 공고로 봅니다.",
    )
    return int(value) / 100


def group_table(frame: pd.DataFrame, *, label: str) -> pd.DataFrame:
    """Display table of :func:`app.services.hiring.fill_probability_by` (or a table of
    :attr:`app.services.hiring.RiskOverview.tables`, equal to it; lowest mean first)."""
    return pd.DataFrame(
        {
            label: frame["group"].astype(str),
            "공고 수": [f"{int(n):,}건" for n in frame["n_postings"]],
            "평균 채용확률": [format_probability(p) for p in frame["mean_probability"]],
            "중앙값": [format_probability(p) for p in frame["median_probability"]],
            "하위 25%–상위 25%": [f"{lo * 100:.0f}–{hi * 100:.0f}%" for lo, hi in zip(frame["p25"], frame["p75"], strict=True)],
            f"위험 공고 비율({float(frame.attrs.get('threshold', AT_RISK_THRESHOLD)):.0%} 미만)": [f"{s:.0%}" for s in frame["at_risk_share"]],
            "평균 예상 충원 기간": [f"약 {d:.0f}일" for d in frame["mean_days"]],
        }
    )


def risk_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Display table of at-risk postings (id, title, employer, occupation, region, wage, …)."""
    return pd.DataFrame(
        {
            "공고 번호": frame["id"].astype(int),
            "공고명": frame["title"].astype(str),
            "기업": frame["employer"].astype(str),
            "직종": frame["keco"].astype(str),
            "지역": frame["region"].astype(str),
            "월 환산 임금": [format_manwon(v) for v in frame["wage_monthly"]],
            "주당 근로시간": [f"{h:g}시간" for h in frame["weekly_hours"]],
            "고용형태": frame["employment_type"].astype(str),
            "게시일": frame["open_date"].astype(str),
            "채용확률(30일 내)": [format_probability(p) for p in frame["probability"]],
            "예상 충원 기간": [f"약 {d:.0f}일" for d in frame["days"]],
        }
    )


# --------------------------------------------------------------------------- the hiring loop (policy view)


def open_page(path: str, *, query_params: Mapping[str, str], fallback: str) -> None:
    """Go to another page of the app with ``query_params`` (``st.switch_page``).

    When the page is not part of the running app (a page script run on its own, as in tests),
    ``fallback`` is shown instead of an error.
    """
    from streamlit.errors import StreamlitAPIException

    try:
        st.switch_page(path, query_params=dict(query_params))
    except StreamlitAPIException:
        st.info(fallback, icon=":material/open_in_new:")


def select_risky_posting(frame: pd.DataFrame, *, key: str) -> int | None:
    """Pick one of the first 500 at-risk postings (``at_risk_page`` rows, least likely first). Returns its id."""
    if frame.empty:
        return None
    labels = {
        int(r.id): f"#{int(r.id)} · {str(r.title)[:40]} · 채용확률 {format_probability(float(r.probability))}"
        for r in frame.head(500).itertuples(index=False)
    }
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    return int(st.selectbox("공고 선택", options=list(labels), format_func=labels.__getitem__, key=key))


def render_risk_table(table: pd.DataFrame, *, key: str, total: int | None = None) -> None:
    """At-risk postings (``risk_table``) with the posting and its probability pinned on the left.

    Args:
        table: The rows read (at most :data:`components.display.MAX_TABLE_ROWS` are drawn).
        key: Widget key.
        total: How many postings are at risk in all (default: the rows given).
    """
    config = {
        "공고 번호": st.column_config.NumberColumn("공고 번호", pinned=True, width="small", format="%d"),
        "채용확률(30일 내)": st.column_config.TextColumn("채용확률(30일 내)", pinned=True, width="small"),
        "공고명": st.column_config.TextColumn("공고명", pinned=True, width="medium"),
    }
    order = ["공고 번호", "채용확률(30일 내)", "공고명", "예상 충원 기간", "직종", "지역", "월 환산 임금",
             "주당 근로시간", "고용형태", "기업", "게시일"]
    total = len(table) if total is None else int(total)
    shown = min(total, len(table), display.MAX_TABLE_ROWS)
    st.caption(f"검색 결과 {total:,}건" + (f" 중 앞 {shown:,}건만 표시합니다 (CSV에는 전체 포함)." if total > shown else ""))
    st.dataframe(table.head(shown), key=key, hide_index=True, width="stretch", column_config=config,
                 column_order=order)
