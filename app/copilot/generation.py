"""Run one copilot task through the configured backend, check it, and fall back visibly.

A :class:`CopilotTask` holds what every backend needs: the sources (already masked), the
offline composer's statements (deterministic composition from the record, the reference tables and
the models' outputs), the categories (``kinds``) a statement may have, and a Korean instruction for a
language model. :func:`run_task`:

1. with no chat backend, checks the offline statements and returns them;
2. otherwise masks every source once more, sends a Korean prompt asking for JSON
   (``{"statements": [{"kind", "text", "sources": ["S1", …]}]}``), validates and repairs the reply
   (code fences and prose around the object dropped, unknown kinds and sources refused), and runs the
   faithfulness check (:func:`app.copilot.grounding.check_statements`): a sentence that fails is
   removed and marked;
3. falls back to the offline statements, with a notice the page shows, when the backend fails or
   nothing it wrote survives the check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.copilot.grounding import CheckResult, Ground, Source, Statement, Vocabulary, check_statements
from app.llm.base import GenerationError
from app.text.pii import find_pii, mask_pii

COPILOT_VERSION = "1.0"
"""Version of the offline composer and of the prompts (logged with every output)."""
OFFLINE_BACKEND = "기본(오프라인) 상담 지원"
"""Name of the offline composer as the AI notice and the audit log show it."""
MAX_STATEMENT_CHARS = 400
"""Longest sentence kept from a model (the offline ones are under 200 characters)."""


class CopilotChat(Protocol):
    """A chat backend (:meth:`app.llm.openai_compat.OpenAICompatibleGenerator.chat`,
    :meth:`app.llm.transformers_local.TransformersGenerator.chat`)."""

    name: str

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The answer (raises :class:`~app.llm.base.GenerationError` when it cannot)."""
        ...


@dataclass(frozen=True)
class CopilotTask:
    """One piece of preparation for one seeker, as every backend receives it.

    Attributes:
        name: Task key (``diagnosis``, ``roadmap``, ``competency``, ``cover_letter``, ``fit``, ``stage_qa``,
            ``summary``).
        title: Korean title ("초기 진단").
        instruction: What the model is asked to write (Korean).
        kinds: Statement category → Korean label (the page groups statements by them).
        sources: The evidence, masked.
        offline: The offline composer's statements.
        max_statements: Most statements kept from a model.
        data: Task-specific structured results computed without a model (roadmap paths, diff hunks …),
            shown beside the statements.
    """

    name: str
    title: str
    instruction: str
    kinds: Mapping[str, str]
    sources: tuple[Source, ...]
    offline: tuple[Statement, ...]
    max_statements: int = 16
    data: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CopilotOutput:
    """A checked output of one task.

    Attributes:
        task: The task's key; ``title`` its Korean title.
        statements: What is shown, in order (removed ones carry their mark instead of text).
        sources: The sources the statements may cite (shown when a statement is opened).
        kinds: Category → Korean label.
        backend: Who wrote the statements (the AI notice and the audit log).
        version: Version of the composer and prompts.
        notices: Korean notes for the page (a fallback, removed sentences).
        fell_back: Whether the offline composer answered because the backend failed.
        claims_checked: Checkable claims in the shown statements.
        removed: Statements the check removed.
        pii_masked: Statements in which personal data had to be masked before showing.
        data: The task's structured results.
    """

    task: str
    title: str
    statements: tuple[Statement, ...]
    sources: tuple[Source, ...]
    kinds: Mapping[str, str]
    backend: str
    version: str = COPILOT_VERSION
    notices: tuple[str, ...] = ()
    fell_back: bool = False
    claims_checked: int = 0
    removed: int = 0
    pii_masked: int = 0
    data: Mapping[str, object] = field(default_factory=dict)

    @property
    def shown(self) -> tuple[Statement, ...]:
        """The statements that passed the check."""
        return tuple(s for s in self.statements if s.shown)

    def of_kind(self, kind: str) -> tuple[Statement, ...]:
        """Shown statements of one category."""
        return tuple(s for s in self.shown if s.kind == kind)

    def source(self, key: str) -> Source | None:
        """The source of ``key`` (``None`` when the task had none)."""
        return next((s for s in self.sources if s.key == key), None)

    def to_record(self) -> dict[str, object]:
        """The output as plain data (stored beside the counsellor's edits; masked text only)."""
        return {"task": self.task, "backend": self.backend, "version": self.version,
                "statements": [{"kind": s.kind, "text": s.text, "sources": list(s.sources), "detail": s.detail,
                                **({"removed": s.removed} if s.removed else {})} for s in self.statements]}


SYSTEM_PROMPT = (
    "당신은 한국 공공고용서비스(고용센터)의 직업상담사를 돕는 상담 지원 도우미입니다. 상담사가 최종 판단하고 고칩니다. "
    "주어진 근거만 사용합니다. 근거에 없는 숫자, 금액, 날짜, 기관, 자격증, 직종, 경력을 지어내지 않습니다. "
    "모든 문장에는 그 문장이 기대는 근거 번호(S1, S2 …)를 하나 이상 붙입니다. "
    "성별, 장애, 가족, 건강, 종교, 외모는 쓰지 않습니다. 이름과 연락처, 주소는 쓰지 않습니다. "
    '결과는 JSON 객체 하나로만 답합니다: {"statements": [{"kind": "종류", "text": "문장", "sources": ["S1"]}]}'
)


def task_messages(task: CopilotTask) -> list[dict[str, str]]:
    """The chat messages of a task: sources numbered S1…, masked once more (masking is idempotent, so no
    caller can hand a model personal data), the allowed kinds and the instruction."""
    payload = {
        "과제": task.title,
        "지시": task.instruction,
        "종류": dict(task.kinds),
        "근거": [{"번호": f"S{i}", "출처": mask_pii(s.label), "내용": mask_pii(s.text)}
               for i, s in enumerate(task.sources, start=1)],
    }
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def _json_object(content: str) -> Mapping[str, object]:
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end <= start:
        raise GenerationError("모델 응답에 JSON 객체가 없습니다")
    try:
        data = json.loads(content[start:end + 1])
    except ValueError:
        raise GenerationError("모델 응답의 JSON 형식이 잘못되었습니다") from None
    if not isinstance(data, Mapping):
        raise GenerationError("모델 응답이 JSON 객체가 아닙니다")
    return data


def parse_statements(content: str, task: CopilotTask) -> tuple[list[Statement], list[str]]:
    """A model's statements, with source numbers mapped back to keys.

    Repairs: prose or code fences around the JSON object are dropped; a single source given as a
    string is accepted; a Korean kind label is mapped to its key. Refused (with a reason): an unknown
    kind, an over-long sentence. A statement citing an unknown source number keeps it (as an unknown key)
    so the check marks it.

    Raises:
        GenerationError: No JSON object or no ``statements`` list.
    """
    data = _json_object(str(content or ""))
    items = data.get("statements")
    if not isinstance(items, list):
        raise GenerationError("모델 응답에 statements 목록이 없습니다")
    number_to_key = {f"S{i}": s.key for i, s in enumerate(task.sources, start=1)}
    label_to_kind = {label: kind for kind, label in task.kinds.items()}
    statements: list[Statement] = []
    refused: list[str] = []
    for item in items[:task.max_statements]:
        if not isinstance(item, Mapping):
            refused.append("형식이 잘못된 항목")
            continue
        kind = str(item.get("kind") or "").strip()
        kind = label_to_kind.get(kind, kind)
        text = str(item.get("text") or "").strip()
        raw_sources = item.get("sources") or []
        if isinstance(raw_sources, str):
            raw_sources = [raw_sources]
        if kind not in task.kinds:
            refused.append("알 수 없는 종류의 문장")
            continue
        if len(text) > MAX_STATEMENT_CHARS:
            refused.append(f"{MAX_STATEMENT_CHARS}자가 넘는 문장")
            continue
        keys = tuple(number_to_key.get(str(s).strip().upper(), f"?{s}") for s in raw_sources if str(s).strip())
        statements.append(Statement(text=text, sources=keys, kind=kind, detail=str(item.get("detail") or "").strip()))
    return statements, refused


def _checked(task: CopilotTask, statements: Sequence[Statement], vocabulary: Vocabulary, ground: Ground) -> CheckResult:
    return check_statements(statements, task.sources, vocabulary, ground=ground)


def _output(task: CopilotTask, result: CheckResult, backend: str, notices: Sequence[str] = (),
            fell_back: bool = False) -> CopilotOutput:
    return CopilotOutput(task=task.name, title=task.title, statements=result.statements, sources=task.sources,
                         kinds=task.kinds, backend=backend, notices=tuple(notices), fell_back=fell_back,
                         claims_checked=result.claims, removed=result.failed, pii_masked=result.pii_masked,
                         data=task.data)


def run_task(task: CopilotTask, chat: CopilotChat | None, vocabulary: Vocabulary) -> CopilotOutput:
    """The checked output of a task: the model's when a backend is configured and part of what it wrote
    holds up, else the offline composer's (with a notice saying why).

    Args:
        task: The task.
        chat: The configured chat backend, or ``None`` for the offline composer.
        vocabulary: Names that count as claims.

    Returns:
        The output; a model's failing sentences are removed and marked.
    """
    ground = Ground.of(task.sources)
    offline = _checked(task, task.offline, vocabulary, ground)
    offline_notices = [f"기본 문장 {offline.failed}개가 근거 확인에 실패해 빠졌습니다."] if offline.failed else []
    if chat is None:
        return _output(task, offline, OFFLINE_BACKEND, offline_notices)
    try:
        answered, refused = parse_statements(chat.chat(task_messages(task), json_object=True), task)
    except GenerationError as err:
        return _output(task, offline, OFFLINE_BACKEND,
                       [f"{chat.name} 생성에 실패해 기본(오프라인) 문안을 보여 드립니다: {err}", *offline_notices], True)
    result = _checked(task, answered, vocabulary, ground)
    notices = []
    if refused:
        notices.append(f"형식에 맞지 않는 문장 {len(refused)}개를 뺐습니다 ({', '.join(dict.fromkeys(refused))}).")
    if result.failed:
        notices.append(f"근거에서 확인되지 않는 내용이 있는 문장 {result.failed}개를 빼고 표시했습니다.")
    if not any(s.shown for s in result.statements):
        notices.append(f"{chat.name}의 문장 중 근거로 확인되는 것이 없어 기본(오프라인) 문안을 보여 드립니다.")
        return _output(task, offline, OFFLINE_BACKEND, [*notices, *offline_notices], True)
    return _output(task, result, chat.name, notices)


def leaked_pii(messages: Sequence[Mapping[str, str]]) -> int:
    """Personal-data spans in chat messages (benches and tests: must be 0)."""
    return sum(len(find_pii(str(m.get("content", "")))) for m in messages)
