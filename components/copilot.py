"""Widgets of the counselling copilot (상담 지원): a checked output with its sources, the AI notice,
the counsellor's edit-and-confirm form, and the session memo of outputs (a language model is asked
once per input, not on every rerun).

Every statement is shown as plain text (escaped markdown); its sources open under it. A sentence the
faithfulness check removed is not shown: its mark says why.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from app.access import PAGES
from app.auth import User
from app.errors import GoyongError
from app.services import copilot
from app.text.korean import format_korean_date
from app.text.markdown import escape_markdown
from components import audit as audit_log
from components import display, state

_MEMO_KEY = "copilot.memo"
_MEMO_SIZE = 24  # outputs kept per browser session (seven sections for a few seekers)


def run_cached(task: copilot.CopilotTask, run: Callable[[copilot.CopilotTask], copilot.RunResult]) -> copilot.RunResult:
    """``run(task)``, remembered in the session by the task's input: a rerun (another widget moved)
    does not ask the language model again, and a changed record gives a new output."""
    key = copilot.task_key(task)
    memo: dict = st.session_state.setdefault(_MEMO_KEY, {})
    if key not in memo:
        if len(memo) >= _MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = run(task)
    return memo[key]


def log_output(engine: Engine, user: User, seeker_id: int, result: copilot.RunResult) -> bool:
    """Audit-log an output before it is drawn (no log row, no output), and keep its text for the
    counsellor's edits. Returns ``False`` when nothing of it may be drawn."""
    output = result.output
    if not audit_log.log_shown(engine, user, model_name=copilot.MODEL_NAME, action=f"copilot.{output.task}",
                               model_version=copilot.model_version(output), input_hash=result.input_hash,
                               output=copilot.audit_output(output, seeker_id)):
        return False
    kept = st.session_state.get(_record_key(output.task))
    if kept is None or kept[0] != result.input_hash:  # a rerun of the same output needs no query
        try:
            record_id = copilot.record_shown(engine, user, seeker_id, output, result.input_hash)
        except GoyongError as err:
            st.error(err.user_message)
            return False
        st.session_state[_record_key(output.task)] = (result.input_hash, record_id)
    return True


def _record_key(task: str) -> str:
    return f"copilot.record.{task}"


def kept_record_id(task: str) -> int | None:
    """Id of the stored record of the task's output shown last in this session (``None``: none yet)."""
    kept = st.session_state.get(_record_key(task))
    return None if kept is None else int(kept[1])


def render_notice(output: copilot.CopilotOutput, *, note: str = "") -> None:
    """The AI notice (who wrote it, the composer version) and the output's own notices."""
    display.render_ai_notice("AI가 준비한 상담 자료", f"작성: {output.backend}", f"상담 지원 {output.version}",
                             note=note or "모든 문장은 근거를 열어 확인할 수 있으며, 상담사가 판단하고 고칩니다")
    for notice in output.notices:
        st.warning(escape_markdown(notice), icon=":material/report:")


def render_statement(output: copilot.CopilotOutput, statement: copilot.Statement, *, key: str) -> None:
    """One sentence and, under it, the sources it cites (plain text)."""
    if statement.removed:
        st.caption(escape_markdown(f"근거 확인에 실패해 뺀 문장이 있습니다: {statement.removed}"))
        return
    if statement.detail and output.task == "stage_qa" and statement.kind == "seeker_question":
        st.markdown("**" + escape_markdown(f"Q. {statement.detail}") + "**")
    st.markdown(escape_markdown(statement.text, one_line=False))
    sources = [s for s in (output.source(k) for k in statement.sources) if s is not None]
    if sources:
        with st.expander(f"근거 {len(sources)}개 보기", expanded=False):
            for source in sources:
                st.caption(escape_markdown(source.label))
                st.text(source.text)


def render_output(output: copilot.CopilotOutput, *, key: str, kinds: tuple[str, ...] | None = None) -> None:
    """Statements grouped under their kind's Korean heading (in the task's order)."""
    for kind in kinds or tuple(output.kinds):
        statements = [s for s in output.statements if s.kind == kind]
        if not statements:
            continue
        st.markdown("##### " + escape_markdown(output.kinds.get(kind, "")))
        for i, statement in enumerate(statements):
            render_statement(output, statement, key=f"{key}.{kind}.{i}")
    unkinded = [s for s in output.statements if s.removed and s.kind not in output.kinds]
    for statement in unkinded:
        render_statement(output, statement, key=f"{key}.removed")


def render_confirm_form(engine: Engine, user: User, seeker_id: int, output: copilot.CopilotOutput, *, key: str) -> None:
    """The counsellor edits the text and confirms it; the edit is stored beside the original."""
    record_id = kept_record_id(output.task)
    if record_id is None:
        return
    with st.expander("내용 고쳐서 확정하기", expanded=False):
        text = "\n".join(s.text for s in output.shown)
        # keyed by the stored output: a keyed text area keeps what it holds while drawn, so under a fixed
        # key another seeker (or a new output) would inherit the previous text and confirm it as its own
        edited = st.text_area("상담사 수정본", value=text, height=200, key=f"{key}.edit.{record_id}",
                              max_chars=copilot.MAX_EDIT_CHARS)
        if st.button("확정하여 기록에 저장", key=f"{key}.confirm.{record_id}", icon=":material/task_alt:"):
            try:
                copilot.confirm_output(engine, user, seeker_id, int(record_id), {"text": edited})
            except GoyongError as err:
                st.error(err.user_message)
            else:
                st.success("수정본을 원문과 함께 저장했습니다.")


def render_open_copilot_button(seeker_id: int, *, key: str) -> None:
    """Open 상담 지원 for this seeker (a button and ``st.switch_page``: see
    :func:`components.training.render_open_training_button`)."""
    if st.button("상담 지원 열기", key=key, icon=":material/assistant:"):
        path = next(spec.path for spec in PAGES if spec.page_id == "copilot")
        st.switch_page(path, query_params={state.EMPLOYMENT_SEEKER_QUERY: str(seeker_id)})


def select_hunks(hunks, *, key: str) -> set[str]:  # noqa: ANN001 - Sequence[copilot.Hunk]
    """One checkbox per change of the rewrite (원문 → 수정안, with the reason); returns the accepted ids."""
    accepted: set[str] = set()
    for i, hunk in enumerate(hunks):
        with st.container(border=True):
            label = copilot.HUNK_KIND_LABELS.get(hunk.kind, "고침")
            # keyed by the change itself: another target posting can rewrite the same place differently,
            # and a tick must not carry over to a change nobody has read
            change = hashlib.sha256(f"{hunk.id}|{hunk.original}|{hunk.new}".encode()).hexdigest()[:12]
            if st.checkbox(f"{label} {i + 1} 받아들이기", key=f"{key}.{i}.{change}"):
                accepted.add(hunk.id)
            st.caption(escape_markdown(hunk.reason))
            if hunk.original:
                st.text("원문: " + hunk.original)
            st.text("수정안: " + (hunk.new or "(문장을 뺍니다)"))
    return accepted


def summary_line(item: dict) -> str:
    """One summary item as an editable line: the text, then ``(기한: YYYY-MM-DD)`` when it has one."""
    text = str(item.get("text") or "")
    due = str(item.get("due") or "")
    return f"{text} (기한: {due})" if due else text


_DUE_SUFFIX = re.compile(r"\s*\(기한:\s*([^)]*)\)\s*$")


def parse_summary_line(line: str) -> dict[str, str]:
    """An edited line back into ``{"text", "due"}`` (the service checks the date)."""
    found = _DUE_SUFFIX.search(line)
    if not found:
        return {"text": line.strip(), "due": ""}
    return {"text": line[:found.start()].strip(), "due": found.group(1).strip()}


def render_saved_summaries(engine: Engine, seeker_id: int) -> None:
    """The seeker's confirmed counselling summaries, newest first (the five newest)."""
    saved = copilot.saved_summaries(engine, seeker_id)
    if not saved:
        return
    st.markdown("##### 저장된 상담 요약")
    for entry in saved[:5]:
        day = entry["session_date"]
        title = f"{format_korean_date(day) if day else '상담일 미상'} 상담 · {entry['confirmed_at']} 확정"
        with st.expander(title, expanded=False):
            for kind, label in copilot.SUMMARY_KINDS.items():
                items = entry["fields"].get(kind) or []
                if items:
                    st.markdown("**" + escape_markdown(label) + "**")
                    for item in items:
                        st.text(summary_line(item))
