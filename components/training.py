"""Widgets of training recommendation (훈련 추천, 나에게 맞는 훈련): the course filters, the skill-gap
chart, course cards for counsellors and for seekers, and the components chart. Everything from
data goes through ``escape_markdown``; nothing here queries or scores."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app.access import PAGES
from app.auth import User
from app.errors import GoyongError
from app.reference.tables import Reference, load_reference
from app.services import training
from app.text.korean import format_korean_date, format_manwon
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import resources, state
from components.display import render_ai_notice, render_chart

ONLINE_CHOICES: dict[str, tuple[bool, bool]] = {"집체·원격 모두": (True, False), "원격 과정만": (True, True),
                                                "집체 과정만": (False, False)}
WEEK_CHOICES: dict[str, int | None] = {"언제든": None, "4주 안": 4, "8주 안": 8, "12주 안": 12, "26주 안": 26}
SELF_PAY_CHOICES: dict[str, int | None] = {"제한 없음": None, "자부담 없음": 0, "50만원 이하": 500_000,
                                           "100만원 이하": 1_000_000, "200만원 이하": 2_000_000}
UPLIFT_HELP = ("이 과정을 권했을 때 6개월 안에 고용보험에 가입된 일자리를 얻을 확률이 얼마나 오를지에 대한 AI 추정치입니다. "
               "수료할 확률을 곱한 값이며, 괄호는 95% 범위입니다.")


def select_training_filter(reference: Reference | None, *, key: str,
                           default_region: str | None = None) -> training.TrainingFilter:
    """The course conditions (region, online, start, self-pay, NCS field) as a :class:`TrainingFilter`
    (``reference`` ``None``: the committed reference tables)."""
    reference = reference or load_reference()
    # label dicts with the "any" entry under "": a bound ``__getitem__`` pickles with the session
    # state, a local lambda does not
    regions = {"": "전체 지역", **dict(zip(reference.regions["code"].astype(str), reference.regions["name"].astype(str),
                                          strict=True))}
    fields = {"": "전체 분야", **dict(zip(reference.ncs_fields["ncs_code"].astype(str),
                                         reference.ncs_fields["name"].astype(str), strict=True))}
    region_options = list(regions)
    first, second, third = st.columns(3)
    with first:
        index = region_options.index(default_region) if default_region in region_options else 0
        region = st.selectbox("지역(집체 과정)", options=region_options, index=index, key=f"{key}.region",
                              format_func=regions.__getitem__,
                              help="집체 과정은 이 지역에서 열리는 것만 봅니다. 원격 과정은 지역과 관계없이 남습니다.")
        online = st.selectbox("수업 방식", options=list(ONLINE_CHOICES), key=f"{key}.online")
    with second:
        weeks = st.selectbox("개강 시기", options=list(WEEK_CHOICES), key=f"{key}.weeks")
        pay = st.selectbox("내일배움카드 지원 후 자부담", options=list(SELF_PAY_CHOICES), key=f"{key}.pay")
    with third:
        field = st.selectbox("NCS 분야", options=list(fields), key=f"{key}.field", format_func=fields.__getitem__)
    include_online, online_only = ONLINE_CHOICES[online]
    return training.TrainingFilter(region_code=region or None, include_online=include_online, online_only=online_only,
                                   start_within_weeks=WEEK_CHOICES[weeks], max_self_pay=SELF_PAY_CHOICES[pay],
                                   ncs_field=field or None)


def render_gap(rec: training.TrainingRecommendations, *, key: str) -> None:
    """The desired occupation's skills: held, lacking but taught by a recommended course, lacking."""
    gap = rec.gap
    st.markdown(f"희망 직종 **{escape_markdown(rec.desired_name)}**에 필요한 역량 {len(gap.required)}개 중 "
                f"{len(gap.held)}개를 갖추고 있습니다 (부족 {len(gap.missing)}개).")
    render_chart(training.make_skill_gap_figure(training.gap_table(rec)), key=key)


def _percent(value: float) -> str:
    return "정보 없음" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value * 100:.0f}%"


def _uplift(row: dict) -> str:
    return (f"{row['uplift'] * 100:+.1f}%p ({row['uplift_low'] * 100:+.1f} ~ {row['uplift_high'] * 100:+.1f})")


def _schedule(row: dict) -> str:
    return (f"{format_korean_date(row['start_date'])} ~ {format_korean_date(row['end_date'])} · {int(row['hours']):,}시간 · "
            f"{escape_markdown(str(row['region']))}")


def _fee(row: dict) -> str:
    if not row["fee"]:
        return "수강료 없음"
    if not row["self_pay"]:
        return f"수강료 {format_manwon(row['fee'])} → 자부담 없음(국민내일배움카드 지원)"
    return f"수강료 {format_manwon(row['fee'])} → 자부담 약 {format_manwon(row['self_pay'])}"


def render_course(row: dict) -> None:
    """One recommended course for a counsellor: schedule, expected effect, completion and employment
    rates, self-pay, and the reasons by component."""
    st.markdown(f"#### {int(row['rank'])}. {escape_markdown(str(row['title']))}")
    st.caption(f"{escape_markdown(str(row['institution']))} · {_schedule(row)}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**추천 이유**")
        for item in str(row["reasons"]).split(" · "):
            st.markdown(f"- {escape_markdown(item)}")
        parts = " · ".join(f"{name} {float(row[name]) * 100:+.1f}%p" for name in training.COMPONENTS
                           if abs(float(row[name])) >= 0.0005)
        if parts:
            st.caption(f"수료 시 효과의 구성: {escape_markdown(parts)}")
    with right:
        st.metric("기대 효과(취업확률)", f"{row['uplift'] * 100:+.1f}%p", help=UPLIFT_HELP)
        st.caption(f"95% 범위 {row['uplift_low'] * 100:+.1f} ~ {row['uplift_high'] * 100:+.1f}%p · "
                   f"수료 시 {row['effect'] * 100:+.1f}%p")
        st.caption(f"예상 수료 확률 {_percent(row['p_complete'])} · 이전 회차 수료율 {_percent(row['completion_rate'])} · "
                   f"예상 취업률 {_percent(row['expected_rate'])}")
        st.caption(_fee(row))


def render_course_for_seeker(row: dict, desired_name: str) -> None:
    """One recommended course in plain Korean for the seeker themself."""
    st.markdown(f"#### {int(row['rank'])}. {escape_markdown(str(row['title']))}")
    st.caption(f"{escape_markdown(str(row['institution']))} · {_schedule(row)}")
    for line in training.plain_reasons(row, desired_name):
        st.markdown(f"- {escape_markdown(line)}")
    pay = "내 부담 없음" if not row["self_pay"] else f"내 부담 약 {format_manwon(row['self_pay'])}"
    # a (near) zero or negative effect is not presented as a gain
    effect = (f"끝까지 들으면 6개월 안에 취업할 가능성이 약 {row['effect'] * 100:.0f}%p 오를 것으로 보여요"
              if row["effect"] >= 0.005 else "취업 가능성을 크게 높이지는 않을 것으로 보여요")
    st.caption(f"{effect} · {pay}(국민내일배움카드 지원 후)")


def render_components(rec: training.TrainingRecommendations, *, key: str) -> None:
    """Stacked bars of each course's effect by component."""
    render_chart(training.make_components_figure(training.components_table(rec)), key=key)


def render_ask_form(engine: Engine, user: User, row: dict) -> None:
    """"상담사에게 물어보기": a short question about one course, sent to the seeker's counsellor (the
    service masks personal data in it before storing)."""
    course_id = int(row["course_id"])
    with st.popover("상담사에게 물어보기", icon=":material/contact_support:"):
        with st.form(key=f"seeker_training.ask.{course_id}", clear_on_submit=True, border=False):
            message = st.text_area("궁금한 점", max_chars=training.QUESTION_MAX_CHARS,
                                   placeholder="예: 일하면서 들을 수 있나요? 자부담을 줄이는 방법이 있나요?")
            sent = st.form_submit_button("보내기")
        if sent:
            try:
                training.ask_about_course(engine, user, course_id, message)
            except GoyongError as err:
                st.error(err.user_message)
                return
            st.session_state[state.TRAINING_QUESTION_NOTICE] = (
                f"'{row['title']}' 과정에 대한 문의를 상담사에게 보냈습니다. 답변은 아래 '내 문의와 답변'에서 볼 수 있습니다.")
            st.rerun()


def render_own_questions(questions: pd.DataFrame) -> None:
    """The seeker's questions and the answers (masked texts, KST times)."""
    if questions.empty:
        st.caption("보낸 문의가 없습니다.")
        return
    st.dataframe(questions, hide_index=True, width="stretch", key="seeker_training.questions",
                 column_order=[c for c in questions.columns if c not in ("문의 번호", "구직자 번호", "과정 번호")])


def render_questions_section(engine: Engine, user: User, seeker_id: int) -> None:
    """A counsellor's view of one seeker's questions about courses, with an answer form for the open ones."""
    questions = training.load_questions(engine, seeker_id)
    if questions.empty:
        st.caption("이 구직자가 보낸 과정 문의가 없습니다.")
        return
    st.dataframe(questions, hide_index=True, width="stretch", key="training.questions",
                 column_order=[c for c in questions.columns if c not in ("문의 번호", "구직자 번호", "과정 번호")])
    waiting = questions[questions["상태"] == training.OPEN_LABEL]
    if waiting.empty:
        return
    labels = {int(r["문의 번호"]): f"{r['훈련과정']} · {r['문의 일시']}" for r in waiting.to_dict("records")}
    with st.form(key="training.answer", clear_on_submit=True):
        question_id = st.selectbox("답변할 문의", options=list(labels), format_func=labels.__getitem__)
        answer = st.text_area("답변", max_chars=training.QUESTION_MAX_CHARS)
        sent = st.form_submit_button("답변 보내기")
    if sent and question_id is not None:
        try:
            training.answer_question(engine, user, int(question_id), answer)
        except GoyongError as err:
            st.error(err.user_message)
            return
        st.session_state[state.TRAINING_RECOMMEND_NOTICE] = "문의에 답변했습니다."
        st.rerun()


def render_recommended_courses(summary: pd.DataFrame, *, key: str) -> None:
    """Bars of the most recommended courses and how many of those seekers enrolled."""
    render_chart(training.make_recommended_courses_figure(training.top_courses_frame(summary)), key=key)


PROFILE_TOP = 3
"""Courses shown on the seeker profile (the 훈련 추천 page shows the full list)."""
PROFILE_ACTION = "training.profile"
"""Audit action of the courses shown on the seeker profile."""


def render_course_brief(row: dict) -> None:
    """One recommended course in a few lines (the seeker profile): title, schedule, expected effect,
    completion, self-pay and the main reasons."""
    st.markdown(f"**{int(row['rank'])}. {escape_markdown(str(row['title']))}**")
    st.caption(f"{escape_markdown(str(row['institution']))} · {_schedule(row)}")
    st.caption(f"기대 효과(취업확률) {_uplift(row)} · 예상 수료 확률 {_percent(row['p_complete'])} · {_fee(row)}")
    reasons = [item for item in str(row["reasons"]).split(" · ") if item][:3]
    if reasons:
        st.caption(escape_markdown("추천 이유: " + " · ".join(reasons)))


def render_open_training_button(seeker_id: int) -> None:
    """Open 훈련 추천 for this seeker (the full list, filters and 상담 계획에 추가).

    A button and ``st.switch_page``, not ``st.page_link``: a link is resolved while the page is drawn,
    which needs the app's navigation, and the profile page is also run on its own (tests).
    """
    if st.button("훈련 추천에서 전체 과정 보기", key="training.profile.open", icon=":material/school:"):
        path = next(spec.path for spec in PAGES if spec.page_id == "training")
        st.switch_page(path, query_params={state.EMPLOYMENT_SEEKER_QUERY: str(seeker_id)})


def log_recommendations(engine: Engine, user: User, rec: training.TrainingRecommendations, *,
                        action: str = "training.recommend") -> bool:
    """Write the recommendations to the audit log (and, for the policy view, the courses shown)
    before anything of them is drawn. Returns ``False`` when the audit row could not be written:
    draw nothing of them."""
    if not audit_log.log_shown(engine, user, model_name=training.MODEL_NAME, action=action,
                               model_version=rec.model_version, input_hash=rec.input_hash, output=rec.audit_output()):
        return False
    training.record_shown(engine, rec.seeker_id, rec.courses.rename(columns={"uplift": "score"}), rec.model_version,
                          user.role)
    return True


def select_filter_in_expander(reference: Reference | None, *, key: str) -> training.TrainingFilter:
    """The course conditions in a collapsed "과정 조건" expander; stops the page on a bad value."""
    with st.expander("과정 조건", expanded=False, icon=":material/filter_alt:"):
        try:
            return select_training_filter(reference, key=key)
        except GoyongError as err:
            st.error(err.user_message)
            st.stop()
            raise  # st.stop() raises; this line only tells type checkers so


def render_profile_section(engine: Engine, user: User, seeker_id: int) -> None:
    """추천 훈련 on the counsellor's seeker profile: when switched on, the courses expected to raise this
    seeker's chance of a job most (written to the audit log before they are drawn) and the way to
    the 훈련 추천 page for this seeker."""
    if not st.toggle("이 구직자에게 맞는 직업훈련 과정 보기", key="employment.training",
                     help="직업훈련추천 모델이 희망 직종, 부족한 역량, 비슷한 구직자의 수강 결과로 고른 과정입니다. "
                          "켤 때 계산합니다."):
        return
    try:
        artifact = resources.training_artifact()
        rec = training.recommend_for_seeker(engine, artifact, user, int(seeker_id), top=PROFILE_TOP,
                                            reference=resources.reference())
    except GoyongError as err:
        st.warning(err.user_message)
        return
    if not log_recommendations(engine, user, rec, action=PROFILE_ACTION):
        return  # no log row, no output
    render_ai_notice("AI 추천 결과", f"직업훈련추천 모델 {rec.model_version}",
                     note=f"희망 직종 {escape_markdown(rec.desired_name)} 기준 · 과정 선택은 구직자와 함께 정합니다", compact=True)
    if rec.courses.empty:
        st.caption("지금 개강 예정인 과정 가운데 추천할 과정이 없습니다.")
    for row in rec.courses.to_dict("records"):
        with st.container(border=True):
            render_course_brief(row)
    render_open_training_button(int(seeker_id))
