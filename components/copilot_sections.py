"""The sections of 상담 지원 (counsellors) and of the seeker's own page, each: build the task, run it
once per input (:func:`components.copilot.run_cached`), log it, draw it."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st
from sqlalchemy import Engine

from app.auth import User
from app.errors import GoyongError
from app.reference.tables import Reference
from app.services import copilot
from components import copilot as ui
from components import resources
from components import training as training_ui

COUNSELLOR_SECTIONS: dict[str, str] = {
    "diagnosis": "초기 진단",
    "roadmap": "경력 로드맵",
    "competency": "핵심역량 피드백",
    "cover_letter": "자기소개서 첨삭",
    "fit": "추천 직무별 적합성",
    "stage_qa": "단계별 예상 질의응답",
    "summary": "상담 요약",
}
"""Section key → Korean label (the page's selector, in counselling order)."""
SEEKER_SECTIONS: dict[str, str] = {"cover_letter": "자기소개서 피드백", "roadmap": "경력 로드맵"}
"""The seeker's own page: their cover-letter feedback and roadmap, simplified."""


def _show(engine: Engine, user: User, context: copilot.SeekerContext, task: copilot.CopilotTask, chat,  # noqa: ANN001
          reference: Reference, *, key: str, confirm: bool = True, kinds: tuple[str, ...] | None = None,
          ) -> copilot.CopilotOutput | None:
    """Run (once per input), log, then draw an output; ``None`` when it may not be drawn."""
    result = ui.run_cached(task, lambda t: copilot.run(t, chat, reference))
    if not ui.log_output(engine, user, context.seeker_id, result):
        return None  # no log row, no output
    ui.render_notice(result.output, note="" if user.role == "counsellor" else
                     "모든 문장은 근거를 열어 확인할 수 있습니다. 궁금한 점은 담당 상담사와 함께 확인하세요")
    ui.render_output(result.output, key=key, kinds=kinds)
    if confirm and user.role == "counsellor":
        ui.render_confirm_form(engine, user, context.seeker_id, result.output, key=key)
    return result.output


def _diagnosis(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("초기 진단")
    _show(engine, user, context, copilot.diagnosis(context, reference), chat, reference, key="copilot.diagnosis")


def _roadmap(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("경력 로드맵")
    graph = resources.occupation_graph()
    market = resources.copilot_market()
    task = copilot.roadmap(context, reference, graph, market)
    output = _show(engine, user, context, task, chat, reference, key="copilot.roadmap",
                   confirm=user.role == "counsellor")
    if output is None:
        return
    table = copilot.roadmap_table(output)
    if not table.empty:
        st.markdown("##### 경로별 단계")
        st.dataframe(table, key="copilot.roadmap.table", hide_index=True, width="stretch")
    if user.role == "counsellor" and copilot.roadmap_has_training(output):
        training_ui.render_open_training_button(context.seeker_id)


def _competency(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("핵심역량 피드백")
    output = _show(engine, user, context, copilot.competency(context, reference), chat, reference,
                   key="copilot.competency")
    if output is not None and output.data.get("coverage_pct") is not None:
        st.caption(f"희망 직종의 필요 기술·지식 가운데 기록에서 확인되는 비율: {output.data['coverage_pct']}%")


def _cover_letter(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("자기소개서 첨삭" if user.role == "counsellor" else "자기소개서 피드백")
    if not context.cover_letter.strip():
        st.info("등록된 자기소개서가 없습니다.")
        return
    posting = None
    if user.role == "counsellor":
        posting = _choose_posting(engine, user, context, reference)
    task = copilot.cover_letter(context, reference, posting)
    output = _show(engine, user, context, task, chat, reference, key="copilot.cover", confirm=False,
                   kinds=tuple(k for k in copilot.COVER_LETTER_KINDS if k != "rewrite"))
    if output is None:
        return
    hunks = copilot.cover_letter_hunks(output, context, reference)
    st.markdown("##### 수정안 (고칠 곳을 골라 받아들이세요)")
    if not hunks:
        st.info("근거로 확인되는 수정안이 없습니다.")
        return
    accepted = ui.select_hunks(hunks, key=f"copilot.cover.{context.seeker_id}")
    draft = copilot.apply_hunks(context.cover_letter, hunks, accepted)
    # keyed by the draft itself: a keyed box keeps the text it first showed (another seeker's letter, a
    # draft of other changes), and this one only ever shows the draft of this run
    st.text_area("받아들인 수정을 반영한 자기소개서", value=draft, height=260, disabled=True,
                 key=f"copilot.cover.draft.{hashlib.sha256(draft.encode()).hexdigest()[:12]}")
    if user.role == "counsellor":
        if st.button("받아들인 수정안 저장", key="copilot.cover.save", icon=":material/task_alt:",
                     disabled=not accepted):
            _confirm(engine, user, context.seeker_id, output.task,
                     {"accepted": sorted(accepted), "letter": draft})


def _choose_posting(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference):  # noqa: ANN202
    """A recommended posting to fit the letter to (or the desired occupation)."""
    try:
        options = copilot.fit_postings(engine, resources.talent_matcher(), user, context.seeker_id, reference)
    except GoyongError:
        options = []
    labels = {"": f"희망 직종({context.desired_occupation}) 기준"} | {
        str(i): f"{p.title} ({p.occupation})" for i, p in enumerate(options)}
    choice = st.selectbox("맞춰 볼 공고", list(labels), format_func=labels.__getitem__, key="copilot.cover.posting")
    return options[int(choice)] if choice else None


def _confirm(engine: Engine, user: User, seeker_id: int, task: str, edited: dict) -> None:
    record_id = ui.kept_record_id(task)
    if record_id is None:
        return
    try:
        copilot.confirm_output(engine, user, seeker_id, int(record_id), edited)
    except GoyongError as err:
        st.error(err.user_message)
    else:
        st.success("받아들인 수정안을 원문과 함께 저장했습니다.")


def _fit(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("추천 직무별 적합성")
    matcher = resources.required(resources.talent_matcher)
    try:
        jobs, version = copilot.recommended_jobs(engine, matcher, user, context.seeker_id, ref=reference)
    except GoyongError as err:
        st.warning(err.user_message)
        return
    if not jobs:
        st.info("지금 추천할 모집 중인 공고가 없습니다.")
        return
    output = _show(engine, user, context, copilot.job_fit(jobs, model_version_text=version), chat, reference,
                   key="copilot.fit", confirm=False)
    if output is not None:
        table = copilot.fit_table(jobs)
        st.dataframe(table, key="copilot.fit.table", hide_index=True, width="stretch")


def _stage_qa(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("단계별 예상 질의응답")
    inferred = copilot.infer_stage(context)
    stages = list(copilot.STAGES)
    stage = st.selectbox("상담 단계", stages, index=stages.index(inferred), format_func=copilot.STAGES.__getitem__,
                         key="copilot.stage", help="기록으로 추정한 단계가 먼저 골라져 있습니다.")
    _show(engine, user, context, copilot.stage_qa(context, reference, stage), chat, reference, key="copilot.stage_qa",
          confirm=False)


_SUMMARY_NOTES = "copilot.summary.notes"
_SUMMARY_INPUT = "copilot.summary.input"
_SUMMARY_SEEKER = "copilot.summary.seeker"


def _summary(engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference, chat) -> None:  # noqa: ANN001
    st.subheader("상담 요약")
    if st.session_state.get(_SUMMARY_SEEKER) != context.seeker_id:
        # a session's notes belong to its seeker: another seeker starts with an empty memo and no summary
        # (the memo is set, not dropped, so the browser's box is emptied too)
        st.session_state[_SUMMARY_NOTES] = ""
        st.session_state.pop(_SUMMARY_INPUT, None)
        st.session_state[_SUMMARY_SEEKER] = context.seeker_id
    st.caption("이번 상담의 메모를 적으면 요청사항·합의사항·다음 단계·기한으로 정리합니다. 고친 뒤 확정하면 기록에 저장됩니다.")
    with st.form("copilot.summary.form"):
        session_date = st.date_input("상담일", value=context.as_of, max_value=context.as_of, key="copilot.summary.date")
        notes = st.text_area("상담 메모", height=180, key=_SUMMARY_NOTES, max_chars=copilot.MAX_NOTES_CHARS,
                             placeholder="예) 구직자는 사무직을 희망함. 이력서를 다음 주 금요일까지 보완하기로 함. 2주 후 다음 상담 예정.")
        submitted = st.form_submit_button("요약 만들기", icon=":material/summarize:")
    if submitted:
        st.session_state[_SUMMARY_INPUT] = (str(notes), session_date.isoformat())
    entered = st.session_state.get(_SUMMARY_INPUT)
    if entered:
        text, day = entered
        try:
            task = copilot.session_summary(text, dt.date.fromisoformat(day), context)
        except GoyongError as err:
            st.error(err.user_message)
        else:
            result = ui.run_cached(task, lambda t: copilot.run(t, chat, reference))
            if ui.log_output(engine, user, context.seeker_id, result):
                ui.render_notice(result.output)
                ui.render_output(result.output, key="copilot.summary")
                _summary_form(engine, user, context, result, dt.date.fromisoformat(day))
    ui.render_saved_summaries(engine, context.seeker_id)


def _summary_form(engine: Engine, user: User, context: copilot.SeekerContext, result: copilot.RunResult,
                  session_date: dt.date) -> None:
    """The summary's items, one per line (a next step with ``(기한: YYYY-MM-DD)``), to edit and confirm."""
    fields = copilot.summary_fields(result.output)
    with st.form("copilot.summary.confirm"):
        edited: dict[str, list[str]] = {}
        for kind, label in copilot.SUMMARY_KINDS.items():
            lines = [ui.summary_line(item) for item in fields.get(kind, [])]
            # keyed by the summary: new notes give new items to edit, not the previous summary's
            edited[kind] = st.text_area(f"{label} (한 줄에 하나)", value="\n".join(lines), height=110,
                                        key=f"copilot.summary.edit.{kind}.{result.input_hash[:16]}").splitlines()
        confirmed = st.form_submit_button("확인하고 기록에 저장", icon=":material/task_alt:")
    if confirmed:
        try:
            checked = copilot.validate_edited_summary({k: [ui.parse_summary_line(v) for v in lines if v.strip()]
                                                       for k, lines in edited.items()})
            copilot.save_summary(engine, user, context.seeker_id, result.output, checked, session_date=session_date,
                                 input_hash=result.input_hash)
        except GoyongError as err:
            st.error(err.user_message)
        else:
            st.success("상담 요약을 기록에 저장했습니다.")


_RENDERERS = {"diagnosis": _diagnosis, "roadmap": _roadmap, "competency": _competency, "cover_letter": _cover_letter,
              "fit": _fit, "stage_qa": _stage_qa, "summary": _summary}


def render_section(section: str, engine: Engine, user: User, context: copilot.SeekerContext, reference: Reference,
                   chat) -> None:  # noqa: ANN001 - CopilotChat | None
    """Draw one section for the seeker (counsellors: every section; seekers: :data:`SEEKER_SECTIONS`)."""
    _RENDERERS[section](engine, user, context, reference, chat)
