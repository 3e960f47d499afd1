"""Law-cited rules for job ads: a validated, versioned rule set and the matcher.

A rule set is data (``data/reference/ad_rules.yaml``, or a version policy staff saved in the app);
:func:`parse_rule_set` validates it with pydantic — every pattern must compile, every rule cites
a law and an article, ids are unique — and :class:`RuleEngine` matches it against an ad. A hit
records the rule, the article it enforces, the highlighted span in the text as written and the
compliant rewording to propose.

Matching (see the YAML's header): regular expressions over the compact text of each line
(:mod:`app.verify.normalize`), optional Kiwi morpheme patterns on trigger lines only,
exceptions that make a hit lawful when they occur on the same line, and *who the sentence is
about*: a hit in a sentence that describes customers, readers, members, a market or the current
staff (``about_others``) and asks nothing of applicants (``about_applicants``) is no requirement.

Catastrophic backtracking (:mod:`app.verify.patterns`): a rule set a person writes is parsed with
``refuse_backtracking=True``, which refuses patterns such as ``(a|aa)+$`` before they are saved or
tried; every match runs with a time budget per rule and field (:data:`RULE_TIME_BUDGET_S`), so a
pattern that slipped through (a version stored before the probe existed) is skipped for that ad,
reported and logged, never a hung verifier.

The budget is CPU time of the calling thread, not wall-clock time: the ``regex`` module's timeout is
wall-clock, so each try gets the budget as its wall-clock limit, and a try cut off while the thread
had used less CPU than the budget (the machine was serving other processes) is run again. A busy
machine therefore makes a scan slower but never changes its result: in a build at load 14, rules cut
off by the wall clock were counted as over budget and, after :data:`MAX_RULE_TIMEOUTS` ads, dropped
(SEX_DISCRIM went, and held-out recall fell from 0.994 to 0.939).
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from app.config import get_settings
from app.errors import InvalidInput
from app.verify.normalize import CompactText, compact, content_length, quoted_mentions
from app.verify.patterns import (
    MAX_UNROLLED_SIZE,
    BacktrackingPattern,
    check_backtracking,
    compile_bounded,
    finditer_within,
    search_within,
    unrolled_size,
)
from app.verify.sections import header_kind, section_word

logger = logging.getLogger(__name__)

RULES_FILE_NAME = "ad_rules.yaml"
RULES_SCHEMA_VERSION = 2
"""Format version of a rule set (``schema_version`` in the YAML). Saved versions live in the
database for years, so a change of the format comes with a migration in :data:`SCHEMA_MIGRATIONS`
that brings older rule sets up to date when they are read (and :func:`migrate_rule_data` is what
``python -m app build`` runs over the stored versions). Schema 1 is every rule set written before
the field existed."""
FAMILIES: dict[str, str] = {
    "discrimination": "차별",
    "privacy": "개인정보",
    "procedure": "채용절차",
    "fraud": "허위·사기",
    "labour_standards": "근로조건",
    "platform": "운영 기준",
}
"""Rule families (the bench reports recall per family) with their Korean names."""
SEVERITY_LABELS: dict[str, str] = {"block": "차단", "review": "재검증"}
RULE_TIME_BUDGET_S = 0.25
"""CPU seconds (of the calling thread) one rule may take on one field of one ad (patterns,
exceptions and morpheme patterns together; Kiwi's analysis is not charged). The shipped rules need
~0.1 ms on a long ad; a rule over budget is skipped for that ad."""
MAX_RULE_TIMEOUTS = 3
"""After this many ads over budget, a rule is skipped for the rest of the engine's life: a batch of
10,000 ads then costs a few budgets, not 10,000 of them."""
MAX_WALL_CLOCK_TRIES = 100
"""Tries of one rule on one field whose wall-clock limit ran out before the thread had used its CPU
budget; after these the rule counts as over budget anyway (a machine that lets a thread run less
than 1 % of the time serves no one, and a scan must end)."""
_REFUSE_BACKTRACKING = "refuse_backtracking"
"""Validation-context flag of :func:`parse_rule_set` (pydantic passes it to the validators)."""


class InvalidRules(InvalidInput):
    """A rule set that cannot be used; ``str(err)`` lists every problem in Korean."""


class MorphemePattern(BaseModel):
    """A Kiwi morpheme pattern and the cheap trigger that decides whether a line is analysed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: str = Field(min_length=1, max_length=40)
    pattern: str = Field(min_length=1, max_length=300)


class Rule(BaseModel):
    """One rule (see ``data/reference/ad_rules.yaml`` for the meaning of each field)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,31}$")
    family: Literal["discrimination", "privacy", "procedure", "fraud", "labour_standards", "platform"]
    name: str = Field(min_length=2, max_length=40)
    law: str = Field(min_length=2, max_length=80)
    article: str = Field(min_length=2, max_length=80)
    severity: Literal["block", "review"]
    patterns: tuple[str, ...] = Field(min_length=1, max_length=40)
    morphemes: tuple[MorphemePattern, ...] = ()
    exceptions: tuple[str, ...] = ()
    about_others: tuple[str, ...] = Field(default=(), max_length=40)
    about_applicants: tuple[str, ...] = Field(default=(), max_length=40)
    cues: tuple[str, ...] = Field(default=(), max_length=40)
    ad_exceptions: tuple[str, ...] = Field(default=(), max_length=20)
    explanation: str = Field(min_length=10, max_length=400)
    fix: str = Field(min_length=5, max_length=300)

    @field_validator("patterns", "exceptions", "about_others", "about_applicants", "cues", "ad_exceptions")
    @classmethod
    def _compiles(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for value in values:
            if not value or len(value) > 400:
                raise ValueError(f"패턴은 1~400자여야 합니다 (입력: {len(value)}자)")
            if " " in value:
                raise ValueError(f"패턴에 공백을 쓰지 마세요: 띄어쓰기를 없앤 문장에 맞춥니다 ({value!r})")
            _check_pattern(value, info, label="정규식 오류")
        return values

    @field_validator("morphemes")
    @classmethod
    def _morphemes_compile(cls, values: tuple[MorphemePattern, ...], info: ValidationInfo) -> tuple[MorphemePattern, ...]:
        for value in values:
            for text in (value.trigger, value.pattern):
                _check_pattern(text, info, label="형태소 패턴 정규식 오류")
        return values


def _check_pattern(value: str, info: ValidationInfo, *, label: str) -> None:
    """A pattern compiles in the documented dialect (``re``) and in the engine that runs it
    (``regex``); with :func:`parse_rule_set`'s ``refuse_backtracking``, it also passes the probe."""
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"{label}: {value!r} ({err})") from None
    if unrolled_size(value) > MAX_UNROLLED_SIZE:
        raise ValueError(f"반복 횟수가 너무 큽니다: {value!r} (횟수를 펼친 길이가 {MAX_UNROLLED_SIZE:,}을 넘습니다)")
    try:
        compile_bounded(value)
    except regex.error as err:
        raise ValueError(f"{label}: {value!r} ({err})") from None
    if info.context and info.context.get(_REFUSE_BACKTRACKING):
        try:
            check_backtracking(value)
        except BacktrackingPattern as err:
            raise ValueError(str(err)) from None


CONDITION_IDS: tuple[str, ...] = ("BELOW_MIN_WAGE", "EXCESS_HOURS", "MISSING_IDENTITY", "DUPLICATE")
"""Checks with fixed logic (structured fields, duplicates) whose reporting the rule set configures."""


class ConditionRule(BaseModel):
    """How a fixed check is reported: its law, severity, explanation and fix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Literal["BELOW_MIN_WAGE", "EXCESS_HOURS", "MISSING_IDENTITY", "DUPLICATE"]
    family: Literal["discrimination", "privacy", "procedure", "fraud", "labour_standards", "platform"]
    name: str = Field(min_length=2, max_length=40)
    law: str = Field(min_length=2, max_length=80)
    article: str = Field(min_length=2, max_length=80)
    severity: Literal["block", "review"]
    explanation: str = Field(min_length=10, max_length=400)
    fix: str = Field(min_length=5, max_length=300)


class RuleSet(BaseModel):
    """A whole rule set: text rules and the reporting of the fixed checks; ids are unique."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = Field(default=RULES_SCHEMA_VERSION, ge=RULES_SCHEMA_VERSION, le=RULES_SCHEMA_VERSION)
    version: int = Field(ge=1)
    rules: tuple[Rule, ...] = Field(min_length=1, max_length=200)
    conditions: tuple[ConditionRule, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        seen: set[str] = set()
        for rule in (*self.rules, *self.conditions):
            if rule.id in seen:
                raise ValueError(f"규칙 ID가 중복됩니다: {rule.id}")
            seen.add(rule.id)
        missing = [c for c in CONDITION_IDS if c not in {r.id for r in self.conditions}]
        if missing:
            raise ValueError(f"고정 점검 규칙이 빠졌습니다: {', '.join(missing)}")
        return self

    def by_id(self) -> dict[str, Rule | ConditionRule]:
        """Rule id → rule (text rules and fixed checks)."""
        return {rule.id: rule for rule in (*self.rules, *self.conditions)}

    def to_yaml(self) -> str:
        """The rule set as YAML (the format of ``data/reference/ad_rules.yaml``)."""
        data = self.model_dump(mode="json", exclude_defaults=False)
        for rule in data["rules"]:
            for optional in ("morphemes", "exceptions", "about_others", "about_applicants", "cues", "ad_exceptions"):
                if not rule[optional]:
                    rule.pop(optional)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def _korean_message(problem: Mapping[str, Any]) -> str:
    kind = problem.get("type", "")
    ctx = problem.get("ctx") or {}
    if kind == "value_error":
        return str(problem.get("msg", "")).removeprefix("Value error, ")
    if kind == "literal_error":
        return f"허용되지 않는 값입니다 (허용: {ctx.get('expected', '')}; 입력: {problem.get('input')!r})"
    if kind == "missing":
        return "필수 항목이 없습니다"
    if kind == "extra_forbidden":
        return "알 수 없는 항목입니다"
    if kind == "string_pattern_mismatch":
        return f"형식이 맞지 않습니다 (입력: {problem.get('input')!r}; 규칙 ID는 대문자·숫자·밑줄 3~32자)"
    if kind in ("string_too_short", "too_short"):
        return f"너무 짧습니다 (최소 {ctx.get('min_length', '')})"
    if kind in ("string_too_long", "too_long"):
        return f"너무 깁니다 (최대 {ctx.get('max_length', '')})"
    if kind in ("int_parsing", "int_type", "greater_than_equal"):
        return f"1 이상의 정수여야 합니다 (입력: {problem.get('input')!r})"
    if kind in ("string_type", "tuple_type", "list_type", "dict_type", "model_type"):
        return f"형식이 맞지 않습니다 (입력: {problem.get('input')!r})"
    return f"값이 올바르지 않습니다 ({kind})"


def _korean_errors(err: ValidationError) -> str:
    lines = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "전체"
        lines.append(f"[{where}] {_korean_message(problem)}")
    return "\n".join(lines)


def _add_missing_fixed_checks(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: fixed checks a stored rule set does not configure get the committed reporting
    (the checks themselves are code; a release that adds one must not invalidate old versions)."""
    present = {c.get("id") for c in data.get("conditions") or () if isinstance(c, Mapping)}
    defaults = [c.model_dump(mode="json") for c in load_default_rules().conditions if c.id not in present]
    return {**data, "conditions": [*(data.get("conditions") or ()), *defaults], "schema_version": 2}


SCHEMA_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _add_missing_fixed_checks}
"""``from_schema -> migration`` that returns the data in ``from_schema + 1``. Adding a fixed check:
add its id to :data:`CONDITION_IDS` and its reporting to ``ad_rules.yaml``, bump
:data:`RULES_SCHEMA_VERSION` (and the YAML's ``schema_version``) and register
:func:`_add_missing_fixed_checks` again for the old number."""


def migrate_rule_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Bring a rule set's data to :data:`RULES_SCHEMA_VERSION` (unchanged when it is already there).

    Raises:
        InvalidRules: A rule set of a newer format than this program knows.
    """
    out = dict(data)
    try:
        schema = int(out.get("schema_version", 1))
    except (TypeError, ValueError):
        raise InvalidRules(f"[schema_version] 1 이상의 정수여야 합니다 (입력: {out.get('schema_version')!r})") from None
    if schema > RULES_SCHEMA_VERSION:
        raise InvalidRules(f"이 규칙은 더 새로운 형식(스키마 {schema})입니다. 프로그램을 업데이트한 뒤 여세요")
    while schema < RULES_SCHEMA_VERSION:
        out = SCHEMA_MIGRATIONS[schema](out)
        schema += 1
    return out


def parse_rule_set(data: Mapping[str, Any] | str, *, refuse_backtracking: bool = False) -> RuleSet:
    """Validate a rule set given as a mapping or as YAML text (older formats are migrated first).

    Args:
        data: The rule set.
        refuse_backtracking: Also refuse patterns that backtrack catastrophically
            (:func:`app.verify.patterns.check_backtracking`, ~0.1 s for the shipped set). For rules a
            person is writing (the editor's save and test box); stored versions are read without
            it, so an old version with such a pattern still loads and the matcher's time budget
            contains it.

    Raises:
        InvalidRules: Not YAML, or any field invalid (every problem listed, with its location).
    """
    if isinstance(data, str):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as err:
            raise InvalidRules(f"YAML 형식 오류: {err}") from None
    if not isinstance(data, Mapping):
        raise InvalidRules("규칙 파일은 version과 rules를 가진 매핑이어야 합니다")
    data = migrate_rule_data(data)
    try:
        return RuleSet.model_validate(data, context={_REFUSE_BACKTRACKING: refuse_backtracking})
    except ValidationError as err:
        raise InvalidRules(_korean_errors(err)) from None


def default_rules_path(reference_dir: Path | None = None) -> Path:
    """``data/reference/ad_rules.yaml`` (or the configured reference directory's)."""
    return Path(reference_dir or get_settings().reference_dir) / RULES_FILE_NAME


@lru_cache(maxsize=4)
def load_default_rules(path: Path | None = None) -> RuleSet:
    """The committed rule set (cached; it never changes while the app runs)."""
    return parse_rule_set(Path(path or default_rules_path()).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class RuleHit:
    """A rule that matched an ad.

    Attributes:
        rule_id: Rule id.
        family: Rule family.
        name: Korean rule name.
        law: Law the rule enforces.
        article: Article of that law.
        severity: ``block`` or ``review``.
        field: Which field the hit is in (``title``, ``body``, or a condition such as ``wage``).
        start: Start of the highlighted span in that field (characters, as written).
        end: End of the span.
        evidence: The matched text as written.
        explanation: Why it is unlawful.
        fix: The compliant rewording to propose.
        source: ``rule`` (a pattern of the rule set), ``check`` (a fixed check) or ``ai`` (the
            sentence classifier read the sentence as stating this category).
        probability: The sentence classifier's probability (``ai`` hits only).
    """

    rule_id: str
    family: str
    name: str
    law: str
    article: str
    severity: str
    field: str
    start: int
    end: int
    evidence: str
    explanation: str
    fix: str
    source: str = "rule"
    probability: float | None = None

    @property
    def citation(self) -> str:
        """``"남녀고용평등법 제7조 제1항"``."""
        laws = [p.strip() for p in self.law.split(";")]
        articles = [p.strip() for p in self.article.split(";")]
        if len(laws) == len(articles):
            return ", ".join(f"{law} {article}" for law, article in zip(laws, articles, strict=True))
        return f"{self.law} {self.article}"


def rule_cues(rules: RuleSet) -> dict[str, str]:
    """Rule id → one regular expression of its ``cues`` (rules without cues are left out)."""
    return {rule.id: "|".join(f"(?:{c})" for c in rule.cues) for rule in rules.rules if rule.cues}


def hit_for(rule: Rule | ConditionRule, field: str, start: int, end: int, evidence: str) -> RuleHit:
    """A :class:`RuleHit` of ``rule`` at a span."""
    return RuleHit(rule_id=rule.id, family=rule.family, name=rule.name, law=rule.law, article=rule.article,
                   severity=rule.severity, field=field, start=start, end=end, evidence=evidence,
                   explanation=rule.explanation, fix=rule.fix)


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    pattern: regex.Pattern[str]
    exceptions: regex.Pattern[str] | None
    morphemes: tuple[tuple[regex.Pattern[str], regex.Pattern[str]], ...]
    about_others: regex.Pattern[str] | None = None
    about_applicants: regex.Pattern[str] | None = None
    ad_exceptions: regex.Pattern[str] | None = None
    subject_before: regex.Pattern[str] | None = None
    """``about_others`` as the subject right before a hit: the noun, a subject or topic particle
    ("독자층이", "고객은 주로") and nothing else before the matched phrase."""


SECTION_PREDICATES = {"requirements": "만", "preferred": "우대", "exclusions": "불가"}
"""What a bare bullet of a section states: under 자격요건 "- 여성" reads "여성만", under 우대사항
"여성 우대", under 결격사유 "- 장애인" reads "장애인 불가" (the rules and their exceptions then judge
it: "- 장애인" under 우대사항 is a lawful preference)."""
EXCLUSION_HEADERS = frozenset({"결격사유", "지원불가", "지원제외", "지원불가대상", "지원제외대상", "채용제외", "채용제외대상",
                               "제외대상", "지원불가자", "지원이어려운분", "이런분은지원이어려워요"})
MAX_BARE_BULLET_CHARS = 12
"""Letters and digits of a bullet that is read with its section's predicate (a bare noun phrase)."""


def bare_bullets(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, predicate)`` of the short lines of ``text`` under a requirements, preferred or
    exclusion header (:data:`SECTION_PREDICATES`), up to the next header or a run of blank lines."""
    found: list[tuple[int, int, str]] = []
    kind: str | None = None
    blank = 0
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            blank += 1
            kind = None if blank >= 2 else kind
            continue
        blank = 0
        header = header_kind(line)
        if header is not None or section_word(line) in EXCLUSION_HEADERS:
            kind = "exclusions" if header is None else header[0]
            rest = "" if header is None else header[1]
            if rest and kind in SECTION_PREDICATES and content_length(rest) <= MAX_BARE_BULLET_CHARS:
                at = line.rfind(rest)
                found.append((start + at, start + at + len(rest), SECTION_PREDICATES[kind]))
            continue
        if kind in SECTION_PREDICATES and 0 < content_length(line) <= MAX_BARE_BULLET_CHARS:
            lead = len(line) - len(line.lstrip(" \t-*•·▶■◆●○□※▷►ㆍ"))
            found.append((start + lead, start + len(line.rstrip()), SECTION_PREDICATES[kind]))
    return found


MODEL_OVER_ABOUT_OTHERS = 0.9
"""From this probability the sentence classifier's reading beats the "who the sentence is about"
context (a word for customers, readers or the current staff in the sentence): the model learned
from look-alikes with those very words, and "또래 직원들과 잘 어울릴 수 있는 20대" is a requirement
although it names the staff."""
MODEL_OVER_EXCEPTIONS = 0.95
"""From this probability the model's reading beats a rule's ``exceptions`` too. The exceptions are
words written for a pattern's line ("자유", "휴가", "계좌로 입금"); in a sentence the model reads as
a near-certain violation they are mostly incidental ("이력서(자유양식), 전신사진 1매 필수",
"신혼이신 분은 곧 출산휴가가 생길 수 있어 정중히 사양", "보증금 50만원을 학원 계좌로 입금").
Set higher than :data:`MODEL_OVER_ABOUT_OTHERS` because an exception is a lawful statement someone
wrote into the rule set, a stronger signal than a word for other people."""

_SENTENCE_END = re.compile(r"[.!?。](?=\s|$)|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``[start, end)``: from the last sentence end (``.``,
    ``!``, ``?``, ``。`` before a space, or a newline) before ``start`` to the first after ``end``."""
    begin = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        begin = found.end()
    after = _SENTENCE_END.search(text, max(end - 1, begin))
    stop = len(text) if after is None else after.end() if after.group() != "\n" else after.start()
    return text[begin:stop].strip()


def _alternation(patterns: Sequence[str]) -> regex.Pattern[str] | None:
    return compile_bounded("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@dataclass(frozen=True)
class RuleMatch:
    """What :meth:`RuleEngine.scan` found in an ad.

    Attributes:
        hits: Hits of the rules that finished.
        skipped: Ids of rules that did not finish within :data:`RULE_TIME_BUDGET_S` on some field
            (their hits on that field are left out), in rule order.
    """

    hits: list[RuleHit] = field(default_factory=list)
    skipped: tuple[str, ...] = ()

    @property
    def skipped_note(self) -> str | None:
        """The Korean note a verdict carries when rules were skipped (``None`` when none was)."""
        if not self.skipped:
            return None
        return (f"규칙 {', '.join(self.skipped)}은(는) 정해진 시간 안에 검사를 마치지 못해 이 공고에는 적용하지 못했습니다"
                " (규칙 관리에서 해당 패턴을 고쳐 주세요)")


_T = TypeVar("_T")


class _RuleBudget:
    """One rule's budget on one field (:data:`RULE_TIME_BUDGET_S`): CPU seconds of this thread.

    Each try gets the budget as its wall-clock deadline (what the ``regex`` module's timeout
    measures); :meth:`spent` tells a try cut off by real work from one cut off by a busy machine.
    The CPU clock is read only once a try has been cut off: reading it is a system call (~1 µs
    quiet, 100 µs in a loaded build), and a scan starts ~40 rule budgets an ad that almost never
    run out. The first cut-off therefore starts the count, and the rule gets one more try measured
    from there (a pattern that really is slow costs two budgets instead of one).
    """

    def __init__(self, seconds: float, cpu_clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._cpu_clock = cpu_clock
        self._started: float | None = None
        self.uncharged = 0.0
        """CPU seconds this thread spent on work the budget does not cover (Kiwi's analysis)."""

    @property
    def counting(self) -> bool:
        """Whether this thread's CPU time is being counted (after the first cut-off)."""
        return self._started is not None

    def deadline(self) -> float:
        """Wall-clock deadline of a new try (:func:`time.monotonic` plus the budget)."""
        return time.monotonic() + self.seconds

    def spent(self) -> bool:
        """Whether the thread has used the budget's CPU seconds on this rule and field since the
        count started (the first call starts it and answers ``False``)."""
        if self._started is None:
            self._started, self.uncharged = self._cpu_clock(), 0.0
            return False
        return self._cpu_clock() - self._started - self.uncharged >= self.seconds


def _kiwi() -> Any:
    """The shared Kiwi analyser (:func:`app.verify.kiwi.kiwi_analyser`; loaded when a trigger line appears)."""
    from app.verify.kiwi import kiwi_analyser

    return kiwi_analyser()


def morpheme_string(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Kiwi analysis of ``text`` as ``"form/TAG form/TAG …"`` and, per token, (offset in that
    string, start in ``text``, end in ``text``)."""
    parts, spans, offset = [], [], 0
    for token in _kiwi().tokenize(text):
        piece = f"{token.form}/{token.tag}"
        spans.append((offset, token.start, token.start + token.len))
        parts.append(piece)
        offset += len(piece) + 1
    return " ".join(parts), spans


class RuleEngine:
    """A compiled rule set; :meth:`scan` (or :meth:`match`) finds the hits in an ad's fields.

    Every rule gets :data:`RULE_TIME_BUDGET_S` of CPU time per field; a rule over budget is skipped
    for that ad and, after :data:`MAX_RULE_TIMEOUTS` such ads, for every later ad of this engine.
    How busy the machine is changes how long a scan takes, not what it finds (see the module).

    Args:
        rules: The rule set.
        time_budget_s: CPU seconds per rule and field.
        cpu_clock: The CPU clock of the calling thread (:func:`time.thread_time`; a test may pass
            another). Per thread because the app scans in one thread per session.
    """

    _cpu_clock: Callable[[], float] = staticmethod(time.thread_time)
    """Class default: an engine stored inside a verifier built before the CPU budget (its pickle has
    no such attribute) reads the thread's CPU clock too, without a rebuild."""

    def __init__(self, rules: RuleSet, *, time_budget_s: float = RULE_TIME_BUDGET_S,
                 cpu_clock: Callable[[], float] = time.thread_time) -> None:
        self.rules = rules
        self.time_budget_s = time_budget_s
        self._cpu_clock = cpu_clock
        self._timeouts: Counter[str] = Counter()
        self._compiled = [
            _Compiled(
                rule=rule,
                pattern=compile_bounded("|".join(f"(?:{p})" for p in rule.patterns)),
                exceptions=_alternation(rule.exceptions),
                morphemes=tuple((compile_bounded(m.trigger), compile_bounded(m.pattern)) for m in rule.morphemes),
                about_others=_alternation(rule.about_others),
                about_applicants=_alternation(rule.about_applicants),
                ad_exceptions=_alternation(rule.ad_exceptions),
                subject_before=compile_bounded(
                    "(?:" + "|".join(f"(?:{p})" for p in rule.about_others) + ")(?:층|들)?(?:이|가|은|는|의|도)"
                    "(?:주로|대부분|대개|약|평균|모두|특히|많이)?$") if rule.about_others else None,
            )
            for rule in rules.rules
        ]

    @property
    def version(self) -> int:
        """Version of the rule set."""
        return self.rules.version

    def match(self, fields: Mapping[str, str], *, only: Iterable[str] | None = None) -> list[RuleHit]:
        """Hits of every rule in the given text fields (e.g. ``{"title": …, "body": …}``).

        A rule hits a field at most once per line; a hit whose line also matches one of the
        rule's exceptions is lawful and left out. Rules over their time budget are left out too
        (:meth:`scan` says which).
        """
        return self.scan(fields, only=only).hits

    def scan(self, fields: Mapping[str, str], *, only: Iterable[str] | None = None) -> RuleMatch:
        """:meth:`match` with the ids of the rules skipped for being over their time budget."""
        wanted = set(only) if only is not None else None
        hits: list[RuleHit] = []
        skipped: dict[str, None] = {}
        for field_name, text in fields.items():
            if not text:
                continue
            packed = compact(str(text))
            mentions = quoted_mentions(str(text))
            # each bullet read with its predicate is compacted once, not once per rule
            bullets = [(start, end, compact(f"{str(text)[start:end]} {predicate}"))
                       for start, end, predicate in (bare_bullets(str(text)) if field_name == "body" else [])]
            for entry in self._compiled:
                rule_id = entry.rule.id
                if wanted is not None and rule_id not in wanted:
                    continue
                if self._timeouts[rule_id] >= MAX_RULE_TIMEOUTS:
                    skipped[rule_id] = None
                    continue

                def rule_hits(budget: _RuleBudget, deadline: float, entry: _Compiled = entry, field_name: str = field_name,
                              text: str = str(text), packed: CompactText = packed, bullets: list = bullets) -> list[RuleHit]:
                    found = self._regex_hits(entry, field_name, packed, deadline)
                    if bullets:
                        found += self._bullet_hits(entry, field_name, text, bullets, found, deadline)
                    # last: the morpheme step extends its own deadline by the time Kiwi takes (its first
                    # use loads the model, ~2 s); a step after it would run against the stale one
                    if entry.morphemes:
                        found += self._morpheme_hits(entry, field_name, text, packed, [*hits, *found], deadline, budget)
                    return found

                try:
                    found = self._within_budget(rule_hits)
                except TimeoutError:
                    self._timeouts[rule_id] += 1
                    skipped[rule_id] = None
                    # ids and sizes only: the ad's text may hold personal data
                    logger.warning("rule %s over its %.2f s budget on %s (%d characters); skipped for this ad%s",
                                   rule_id, self.time_budget_s, field_name, len(packed.text),
                                   " and from now on" if self._timeouts[rule_id] >= MAX_RULE_TIMEOUTS else "")
                    continue
                if mentions:  # quoted in order to warn or teach about it, not said
                    found = [h for h in found if not any(a <= h.start and h.end <= b for a, b in mentions)]
                hits.extend(found)
        lawful = {h.rule_id for h in hits if self.lawful_in_ad(h.rule_id, fields.values())}
        return RuleMatch(hits=[h for h in hits if h.rule_id not in lawful], skipped=tuple(skipped))

    def lawful_in_ad(self, rule_id: str, texts: Iterable[str]) -> bool:
        """Whether the ad (its text fields ``texts``) states something anywhere that makes rule
        ``rule_id`` lawful for the whole ad — its ``ad_exceptions``: an ad that names its
        company ("(주)오름F&B", a business registration number) does not hide who recruits,
        whatever one sentence keeps for later ("신규 브랜드명은 입사 후 공개")."""
        entry = next((e for e in self._compiled if e.rule.id == rule_id), None)
        if entry is None or entry.ad_exceptions is None:
            return False
        pattern, packed = entry.ad_exceptions, [compact(str(text)).text for text in texts if text]
        try:
            return self._within_budget(lambda _budget, deadline: any(
                search_within(pattern, text, deadline) is not None for text in packed))
        except TimeoutError:
            return False

    def lawful_context(self, rule_id: str, sentence: str, probability: float = 0.0) -> bool:
        """Whether ``sentence`` is lawful for rule ``rule_id`` whatever it states: one of the rule's
        exceptions occurs in it (a negation, a lawful exception), or it describes people other than
        the applicants and asks nothing of them. Applied to what the sentence classifier reads
        (with its ``probability`` that the sentence is unlawful), so the model obeys the same
        exceptions as the patterns — up to :data:`MODEL_OVER_ABOUT_OTHERS` and
        :data:`MODEL_OVER_EXCEPTIONS`."""
        entry = next((e for e in self._compiled if e.rule.id == rule_id), None)
        if entry is None:
            return False
        packed = compact(sentence).text

        def lawful(_budget: _RuleBudget, deadline: float) -> bool:
            if probability < MODEL_OVER_EXCEPTIONS and entry.exceptions is not None \
                    and search_within(entry.exceptions, packed, deadline) is not None:
                return True
            return probability < MODEL_OVER_ABOUT_OTHERS and self._about_others(entry, sentence, 0, len(sentence), deadline)

        try:
            return self._within_budget(lawful)
        except TimeoutError:
            return False

    def _within_budget(self, work: Callable[[_RuleBudget, float], _T]) -> _T:
        """``work(budget, deadline)`` within one rule's CPU budget (:class:`_RuleBudget`): a try cut
        off by the wall clock before the thread used its budget is run again (``work`` has no
        side effects), up to :data:`MAX_WALL_CLOCK_TRIES` tries.

        Raises:
            TimeoutError: The rule used its CPU budget (or ran out of tries).
        """
        budget = _RuleBudget(self.time_budget_s, self._cpu_clock)
        for _ in range(MAX_WALL_CLOCK_TRIES - 1):
            try:
                return work(budget, budget.deadline())
            except TimeoutError:
                if budget.spent():
                    raise
                # the wall clock ran out while the machine served other processes: try again
        return work(budget, budget.deadline())

    @staticmethod
    def _lawful(entry: _Compiled, packed: CompactText, start: int, deadline: float) -> bool:
        if entry.exceptions is None:
            return False
        begin, end = packed.line_of(start)
        return search_within(entry.exceptions, packed.text, deadline, begin, end) is not None

    @staticmethod
    def _about_others(entry: _Compiled, source: str, start: int, end: int, deadline: float) -> bool:
        """Whether the sentence of the original ``[start, end)`` describes people other than the
        applicants (customers, readers, members, the current staff, a market) and states nothing
        asked of applicants — "35-54세의 여성이 주를 이루고 있으며" about an app's members."""
        if entry.about_others is None:
            return False
        around = sentence_around(source, start, end)
        sentence = compact(around).text
        if search_within(entry.about_others, sentence, deadline) is None:
            return False
        if entry.about_applicants is None or search_within(entry.about_applicants, sentence, deadline) is None:
            return True
        # the phrase's own subject: "주요 독자층이 30대 여성인 … 에디터를 모집합니다" is about readers,
        # although the sentence also recruits
        offset = around.find(source[start:end]) if source[start:end] else -1
        before = compact(around[:offset]).text if offset >= 0 else ""
        return entry.subject_before is not None and search_within(entry.subject_before, before, deadline) is not None

    def _regex_hits(self, entry: _Compiled, field_name: str, packed: CompactText, deadline: float) -> list[RuleHit]:
        hits, lines_done = [], set()
        for found in finditer_within(entry.pattern, packed.text, deadline):
            line = packed.line_of(found.start())
            if line in lines_done or self._lawful(entry, packed, found.start(), deadline):
                continue
            start, end = packed.span(found.start(), found.end())
            if self._about_others(entry, packed.source, start, end, deadline):
                continue
            lines_done.add(line)
            hits.append(hit_for(entry.rule, field_name, start, end, packed.source[start:end]))
        return hits

    def _bullet_hits(
        self, entry: _Compiled, field_name: str, text: str, bullets: Sequence[tuple[int, int, CompactText]],
        found: Sequence[RuleHit], deadline: float,
    ) -> list[RuleHit]:
        """Hits of a bare bullet read with its section's predicate ("결격사유" … "- 장애인")."""
        hits = []
        for start, end, read in bullets:
            if any(start <= h.start < end for h in found):
                continue
            if self._regex_hits(entry, field_name, read, deadline):
                hits.append(hit_for(entry.rule, field_name, start, end, text[start:end]))
        return hits

    def _morpheme_hits(
        self, entry: _Compiled, field_name: str, text: str, packed: CompactText, found: Sequence[RuleHit],
        deadline: float, budget: _RuleBudget,
    ) -> list[RuleHit]:
        covered = {(h.start, h.end) for h in found if h.rule_id == entry.rule.id and h.field == field_name}
        hits, offset = [], 0
        for line in text.split("\n"):
            line_start, offset = offset, offset + len(line) + 1
            if any(line_start <= a < line_start + len(line) + 1 for a, _ in covered):
                continue  # one hit per rule per line: the regex already reported this line
            for trigger, pattern in entry.morphemes:
                if not search_within(trigger, line, deadline):
                    continue
                analysing, analysing_cpu = time.monotonic(), self._cpu_clock() if budget.counting else 0.0
                analysed, spans = morpheme_string(line)
                # the budget is for patterns, not for Kiwi: neither its wall time nor its CPU time is charged
                deadline += time.monotonic() - analysing
                if budget.counting:
                    budget.uncharged += self._cpu_clock() - analysing_cpu
                found_m = search_within(pattern, analysed, deadline)
                if found_m is None:
                    continue
                tokens = [s for s in spans if found_m.start() <= s[0] < found_m.end()]
                start, end = line_start + tokens[0][1], line_start + tokens[-1][2]
                if any(a < end and start < b for a, b in covered):
                    continue  # the regex already reported this line
                line_compact = compact(line)
                if entry.exceptions is not None and search_within(entry.exceptions, line_compact.text, deadline):
                    continue
                if self._about_others(entry, text, start, end, deadline):
                    continue
                hits.append(hit_for(entry.rule, field_name, start, end, text[start:end]))
                covered.add((start, end))
        return hits
