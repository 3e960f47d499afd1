"""Widgets of 구인공고 AI 작성지원: the Q&A chat, the answer summary, the compact form, the
section editor with its findings, the checklist and the preview.

Employer text is user text: chat messages and sections are shown with ``st.text`` / escaped
Markdown (:func:`app.verify.highlight.highlighted_markdown`), never as HTML.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from app.services.ads import RuleHit, highlighted_markdown
from app.services.posting import (
    SECTION_LABELS,
    SECTIONS,
    STEP_BY_KEY,
    STEPS,
    ChecklistItem,
    DraftReview,
    InvalidAnswer,
    OccupationGuess,
    PostingDraft,
    acknowledge,
    evidence_text,
    is_confident,
    parse_answer,
    remove_flagged_lines,
    warm_up_draft_review,
)
from app.text.markdown import escape_markdown
from components import display, state

AI_DECIDES = "게시 전에 모든 내용을 확인하고 사실과 다른 부분은 고쳐 주세요."
DRAFT_FIELDS: tuple[str, ...] = ("title", *SECTIONS)
FIELD_LABELS: dict[str, str] = {"title": "공고 제목", **SECTION_LABELS}


# --------------------------------------------------------------------------- warm-up

_WARMED: set[int] = set()
_WARM_LOCK = threading.Lock()


def warm_up_in_background(verifier: Any) -> None:
    """Once per verifier (per rule set) and process: review a fixed draft in a daemon thread, so
    the first '공고 초안 만들기' does not wait 1–2 s for the verifier's cold start while the
    employer is still answering (the thread calls no Streamlit API)."""
    if _claim_warm_up(verifier):
        threading.Thread(target=warm_up_draft_review, args=(verifier,), name="posting-assistant-warm-up",
                         daemon=True).start()


def warm_up_now(verifier: Any) -> None:
    """The same warm-up in the calling thread (the server-start warm-up, components.warmup), so a
    page opened later does not repeat it."""
    if _claim_warm_up(verifier):
        warm_up_draft_review(verifier)


def _claim_warm_up(verifier: Any) -> bool:
    """True the first time ``verifier`` is warmed in this process (then never again)."""
    with _WARM_LOCK:
        if id(verifier) in _WARMED:
            return False
        _WARMED.add(id(verifier))
        return True


# --------------------------------------------------------------------------- chat state


def init_state() -> None:
    """Start an empty conversation (first question asked)."""
    if state.PA_MESSAGES not in st.session_state:
        first = STEPS[0]
        st.session_state[state.PA_MESSAGES] = [
            {"role": "assistant", "content": "안녕하세요. 몇 가지만 여쭤보고 법에 맞는 구인공고 초안을 만들어 드릴게요. "
                                             "답변은 언제든 고칠 수 있습니다."},
            {"role": "assistant", "content": f"{first.question}\n(예: {first.example})"},
        ]
        st.session_state[state.PA_ANSWERS] = {}
        st.session_state[state.PA_RAW] = {}
        st.session_state[state.PA_DONE] = []
        st.session_state[state.PA_EDIT_STEP] = None


def answers() -> dict[str, Any]:
    """Parsed values so far."""
    return dict(st.session_state.get(state.PA_ANSWERS, {}))


def done_steps() -> list[str]:
    """Step keys answered so far."""
    return list(st.session_state.get(state.PA_DONE, []))


def current_step() -> str | None:
    """The step the next chat message answers (a step being corrected first)."""
    editing = st.session_state.get(state.PA_EDIT_STEP)
    if editing:
        return str(editing)
    done = set(done_steps())
    return next((s.key for s in STEPS if s.key not in done), None)


def _say(role: str, content: str) -> None:
    st.session_state[state.PA_MESSAGES] = [*st.session_state[state.PA_MESSAGES], {"role": role, "content": content}]


def _ask(step_key: str | None) -> None:
    if step_key is None:
        _say("assistant", "모든 질문에 답해 주셨습니다. 아래에서 직종을 확인하고 '공고 초안 만들기'를 눌러 주세요.")
        return
    step = STEP_BY_KEY[step_key]
    _say("assistant", f"{step.question}\n(예: {step.example})")


def record_answer(step_key: str, text: str, values: Mapping[str, Any]) -> None:
    """Store a parsed answer (replacing an earlier one), confirm it and ask the next question."""
    st.session_state[state.PA_ANSWERS] = {**answers(), **dict(values)}
    st.session_state[state.PA_RAW] = {**st.session_state.get(state.PA_RAW, {}), step_key: text}
    if step_key not in done_steps():
        st.session_state[state.PA_DONE] = [*done_steps(), step_key]
    st.session_state[state.PA_EDIT_STEP] = None
    _say("assistant", f"알겠습니다. {acknowledge(step_key, values)}")
    _ask(current_step())


def handle_message(text: str) -> None:
    """A chat message: the answer to the current step (or a Korean error with the question again)."""
    step_key = current_step()
    _say("user", text)
    if step_key is None:
        _say("assistant", "답변을 고치려면 오른쪽 '지금까지의 답변'에서 고칠 항목의 '고치기'를 눌러 주세요.")
        return
    try:
        values = parse_answer(step_key, text)
    except InvalidAnswer as err:
        _say("assistant", f"{err}")
        return
    record_answer(step_key, text, values)


def start_correction(step_key: str) -> None:
    """Ask one question again (button callback)."""
    st.session_state[state.PA_EDIT_STEP] = step_key
    step = STEP_BY_KEY[step_key]
    before = st.session_state.get(state.PA_RAW, {}).get(step_key, "")
    _say("assistant", f"{step.label}을(를) 다시 알려 주세요. 지금 답변: {before or '(없음)'}\n(예: {step.example})")


def reset() -> None:
    """Forget the conversation and the draft (button callback)."""
    for key in list(st.session_state.keys()):
        if str(key).startswith("posting_assistant."):
            del st.session_state[key]


def render_ai_note(*, backend: str, occupation_version: str, rules_version: int) -> None:
    """The AI-output notice of a draft (:func:`components.display.render_ai_notice`)."""
    display.render_ai_notice("AI가 작성한 초안", f"작성기: {backend}", f"직종 분류 모델 v{occupation_version}",
                             f"검증 규칙 v{rules_version}", note=AI_DECIDES)


def render_chat(*, height: int = 460) -> None:
    """The conversation so far, in a scrolling box."""
    with st.container(height=height, border=True):
        for message in st.session_state.get(state.PA_MESSAGES, []):
            with st.chat_message(message["role"], avatar=":material/smart_toy:" if message["role"] == "assistant" else None):
                st.text(message["content"])


def render_summary() -> None:
    """Each answered step with a "고치기" button."""
    raw = st.session_state.get(state.PA_RAW, {})
    done = set(done_steps())
    for step in STEPS:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        value = raw.get(step.key, "") if step.key in done else ""
        c1.markdown(f"**{step.label}** · " + (highlighted_markdown(value, []) if value else "_아직 답하지 않음_"))
        if step.key in done:
            c2.button("고치기", key=f"posting_assistant.fix.{step.key}", on_click=start_correction, args=(step.key,))


def render_form() -> dict[str, str] | None:
    """The compact form: every question at once (prefilled with the answers so far).

    Returns the answer texts when submitted.
    """
    raw = st.session_state.get(state.PA_RAW, {})
    with st.form("posting_assistant.form", border=False):
        values = {}
        for step in STEPS:
            key = f"{state.PA_FORM}{step.key}"
            if key not in st.session_state:
                st.session_state[key] = raw.get(step.key, "")
            values[step.key] = st.text_input(step.label, key=key, placeholder=step.example, help=step.question, max_chars=1000)
        submitted = st.form_submit_button("양식 답변 적용", icon=":material/check:")
    return {k: str(v or "") for k, v in values.items()} if submitted else None


def apply_form(texts: Mapping[str, str]) -> list[str]:
    """Parse every form answer; store the ones that read, return Korean errors for the others."""
    errors = []
    for step in STEPS:
        text = texts.get(step.key, "").strip()
        if not text and not step.optional:
            continue
        try:
            values = parse_answer(step.key, text)
        except InvalidAnswer as err:
            errors.append(f"{step.label}: {err}")
            continue
        st.session_state[state.PA_ANSWERS] = {**answers(), **values}
        st.session_state[state.PA_RAW] = {**st.session_state.get(state.PA_RAW, {}), step.key: text}
        if step.key not in done_steps():
            st.session_state[state.PA_DONE] = [*done_steps(), step.key]
    st.session_state[state.PA_EDIT_STEP] = None
    _say("assistant", "양식의 답변을 반영했습니다." + (" 읽지 못한 항목이 있어 표시해 두었습니다." if errors else ""))
    _ask(current_step())
    return errors


# --------------------------------------------------------------------------- occupation


def select_occupation(guesses: Sequence[OccupationGuess], options: Mapping[str, str]) -> str | None:
    """Top-3 with confidence and the words behind each (and any other occupation); returns the
    confirmed code, or ``None`` while nothing is chosen.

    A sure first candidate is preselected; below the confidence floor nothing is, and the
    employer is asked to choose (or to write a clearer job title).
    """
    other = "__other__"
    confident = is_confident(guesses)
    labels = {g.keco_code: f"{g.name} · AI 추정 {g.probability:.0%}" for g in guesses}
    labels[other] = "목록에서 직접 고르기"
    if st.session_state.get(state.PA_KECO) not in labels:
        st.session_state.pop(state.PA_KECO, None)  # the job answer changed: the old choice is gone
    if not confident:
        st.warning("입력하신 직무명만으로는 직종을 확실히 알기 어렵습니다. 아래 후보 중 맞는 직종을 고르시거나, "
                   "직무명을 더 구체적으로 고쳐 주세요(예: '알바' 대신 '편의점 판매', '기사' 대신 '지게차 운전').",
                   icon=":material/help:")
    choice = st.radio("직종(한국고용직업분류 소분류)", options=list(labels), key=state.PA_KECO,
                      format_func=labels.__getitem__, index=0 if confident else None,
                      help="직무명과 업무로 AI가 추정한 직종입니다. 맞지 않으면 목록에서 직접 고르세요.")
    for guess in guesses:
        evidence = evidence_text(guess)
        if evidence:
            st.caption(f"{escape_markdown(guess.name)}: 근거 단어 {escape_markdown(evidence)}")
    if choice is None:
        return None
    if choice == other:
        names = dict(options)
        return str(st.selectbox("직종 선택", options=list(names), format_func=names.__getitem__, key=state.PA_KECO_OTHER))
    return str(choice)


# --------------------------------------------------------------------------- draft editor


def load_draft(draft: PostingDraft, meta: Mapping[str, Any]) -> None:
    """Put a generated draft into the editor (call before the editor is drawn)."""
    for key in DRAFT_FIELDS:
        st.session_state[f"{state.PA_SECTION}{key}"] = getattr(draft, key)
    st.session_state[state.PA_DRAFT_META] = dict(meta)
    st.session_state.pop(state.PA_SAVED, None)


def has_draft() -> bool:
    """Whether a draft is in the editor."""
    return state.PA_DRAFT_META in st.session_state


def edited_values() -> dict[str, str]:
    """The editor's current text of the title and every section."""
    return {key: str(st.session_state.get(f"{state.PA_SECTION}{key}", "")) for key in DRAFT_FIELDS}


def _drop_lines(key: str, hits: Sequence[RuleHit]) -> None:
    widget = f"{state.PA_SECTION}{key}"
    st.session_state[widget] = remove_flagged_lines(str(st.session_state.get(widget, "")), hits)


def render_editor(findings: Mapping[str, Sequence[RuleHit]]) -> None:
    """One text area per field; under a field with a finding, the finding, its law and fix, and a
    button that deletes the flagged lines."""
    for key in DRAFT_FIELDS:
        widget = f"{state.PA_SECTION}{key}"
        if key == "title":
            st.text_input(FIELD_LABELS[key], key=widget, max_chars=200)
        else:
            lines = max(3, min(12, str(st.session_state.get(widget, "")).count("\n") + 2))
            st.text_area(FIELD_LABELS[key], key=widget, height=28 * lines + 20, max_chars=3000)
        hits = list(findings.get(key, ()))
        if hits:
            for hit in {h.rule_id: h for h in hits}.values():
                st.error(f"{escape_markdown(hit.name)} ({escape_markdown(hit.citation)}) — 발견: {highlighted_markdown(hit.evidence, [(0, len(hit.evidence))])}"
                         f"\n\n수정 제안: {highlighted_markdown(hit.fix, [])}",
                         icon=":material/gpp_bad:")
            st.button("문제 문구가 있는 줄 삭제", key=f"posting_assistant.drop.{key}", on_click=_drop_lines, args=(key, hits),
                      icon=":material/delete:")


def render_checklist(items: Sequence[ChecklistItem]) -> None:
    """Mandatory items: met, or what to add."""
    met = sum(i.ok for i in items)
    st.markdown(f"**필수 항목 점검** · {met}/{len(items)} 충족")
    for item in items:
        icon = ":material/check_circle:" if item.ok else ":material/cancel:"
        color = "green" if item.ok else "red"
        line = f":{color}[{icon}] {item.label} · {item.basis}"
        st.markdown(line if item.ok else f"{line}  \n  {item.hint}")


def render_review_summary(review: DraftReview) -> None:
    """Decision of the verification in one line, with what it means for saving."""
    verdict = review.verdict
    if verdict.decision == "block":
        st.error(f"검증 결과: **{verdict.label}** — 저장하려면 표시된 문구를 고쳐 주세요.", icon=":material/block:")
    elif verdict.decision == "review":
        st.warning(f"검증 결과: **{verdict.label}** — 저장하면 담당자 확인 후 게재됩니다.", icon=":material/help:")
    else:
        st.success(f"검증 결과: **{verdict.label}** — 저장하면 바로 게재할 수 있습니다.", icon=":material/check_circle:")
    for note in verdict.notes:
        st.caption(note)


def render_notices(notices: Sequence[str], *, fell_back: bool) -> None:
    """How the draft was made: the first notice is a warning when the offline composer replaced
    the configured backend (why it did); repairs and masking are captions."""
    for index, notice in enumerate(notices):
        if fell_back and index == 0:
            st.warning(notice, icon=":material/sync_problem:")
        else:
            st.caption(notice)
