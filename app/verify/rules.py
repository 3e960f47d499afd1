"""Law-cited rules for job ads: a validated, versioned rule set and the matcher.

A rule set is data (``data/reference/ad_rules.yaml``, or a version policy staff saved in the app);
:func:`parse_rule_set` validates it with pydantic — every pattern must compile, every rule cites
a law and an article, ids are unique — and :class:`RuleEngine` matches it against an ad. A hit
records the rule, the article it enforces, the highlighted span in the text as written and the
compliant rewording to propose.

Matching (see the YAML's header): regular expressions over the compact text of each line
(:mod:`app.verify.normalize`), optional Kiwi morpheme patterns on trigger lines only, and
exceptions that make a hit lawful when they occur on the same line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.config import get_settings
from app.errors import InvalidInput
from app.verify.normalize import CompactText, compact

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
    "fraud": "허위·사기",
    "labour_standards": "근로조건",
    "platform": "운영 기준",
}
"""Rule families (the bench reports recall per family) with their Korean names."""
SEVERITY_LABELS: dict[str, str] = {"block": "차단", "review": "재검증"}


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
    family: Literal["discrimination", "privacy", "fraud", "labour_standards", "platform"]
    name: str = Field(min_length=2, max_length=40)
    law: str = Field(min_length=2, max_length=80)
    article: str = Field(min_length=2, max_length=80)
    severity: Literal["block", "review"]
    patterns: tuple[str, ...] = Field(min_length=1, max_length=40)
    morphemes: tuple[MorphemePattern, ...] = ()
    exceptions: tuple[str, ...] = ()
    explanation: str = Field(min_length=10, max_length=400)
    fix: str = Field(min_length=5, max_length=300)

    @field_validator("patterns", "exceptions")
    @classmethod
    def _compiles(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not value or len(value) > 400:
                raise ValueError(f"패턴은 1~400자여야 합니다 (입력: {len(value)}자)")
            if " " in value:
                raise ValueError(f"패턴에 공백을 쓰지 마세요: 띄어쓰기를 없앤 문장에 맞춥니다 ({value!r})")
            try:
                re.compile(value)
            except re.error as err:
                raise ValueError(f"정규식 오류: {value!r} ({err})") from None
        return values

    @field_validator("morphemes")
    @classmethod
    def _morphemes_compile(cls, values: tuple[MorphemePattern, ...]) -> tuple[MorphemePattern, ...]:
        for value in values:
            for text in (value.trigger, value.pattern):
                try:
                    re.compile(text)
                except re.error as err:
                    raise ValueError(f"형태소 패턴 정규식 오류: {text!r} ({err})") from None
        return values


CONDITION_IDS: tuple[str, ...] = ("BELOW_MIN_WAGE", "EXCESS_HOURS", "MISSING_IDENTITY", "DUPLICATE")
"""Checks with fixed logic (structured fields, duplicates) whose reporting the rule set configures."""


class ConditionRule(BaseModel):
    """How a fixed check is reported: its law, severity, explanation and fix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Literal["BELOW_MIN_WAGE", "EXCESS_HOURS", "MISSING_IDENTITY", "DUPLICATE"]
    family: Literal["discrimination", "privacy", "fraud", "labour_standards", "platform"]
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
            if not rule["morphemes"]:
                rule.pop("morphemes")
            if not rule["exceptions"]:
                rule.pop("exceptions")
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


def parse_rule_set(data: Mapping[str, Any] | str) -> RuleSet:
    """Validate a rule set given as a mapping or as YAML text (older formats are migrated first).

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
        return RuleSet.model_validate(data)
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

    @property
    def citation(self) -> str:
        """``"남녀고용평등법 제7조 제1항"``."""
        laws = [p.strip() for p in self.law.split(";")]
        articles = [p.strip() for p in self.article.split(";")]
        if len(laws) == len(articles):
            return ", ".join(f"{law} {article}" for law, article in zip(laws, articles, strict=True))
        return f"{self.law} {self.article}"


def hit_for(rule: Rule | ConditionRule, field: str, start: int, end: int, evidence: str) -> RuleHit:
    """A :class:`RuleHit` of ``rule`` at a span."""
    return RuleHit(rule_id=rule.id, family=rule.family, name=rule.name, law=rule.law, article=rule.article,
                   severity=rule.severity, field=field, start=start, end=end, evidence=evidence,
                   explanation=rule.explanation, fix=rule.fix)


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    pattern: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    morphemes: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]


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
    """A compiled rule set; :meth:`match` finds the hits in an ad's fields."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._compiled = [
            _Compiled(
                rule=rule,
                pattern=re.compile("|".join(f"(?:{p})" for p in rule.patterns)),
                exceptions=re.compile("|".join(f"(?:{p})" for p in rule.exceptions)) if rule.exceptions else None,
                morphemes=tuple((re.compile(m.trigger), re.compile(m.pattern)) for m in rule.morphemes),
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
        rule's exceptions is lawful and left out.
        """
        wanted = set(only) if only is not None else None
        hits: list[RuleHit] = []
        for field, text in fields.items():
            if not text:
                continue
            packed = compact(str(text))
            for entry in self._compiled:
                if wanted is not None and entry.rule.id not in wanted:
                    continue
                hits.extend(self._regex_hits(entry, field, packed))
                if entry.morphemes:
                    hits.extend(self._morpheme_hits(entry, field, str(text), packed, hits))
        return hits

    @staticmethod
    def _lawful(entry: _Compiled, packed: CompactText, start: int) -> bool:
        if entry.exceptions is None:
            return False
        begin, end = packed.line_of(start)
        return entry.exceptions.search(packed.text, begin, end) is not None

    def _regex_hits(self, entry: _Compiled, field: str, packed: CompactText) -> list[RuleHit]:
        hits, lines_done = [], set()
        for found in entry.pattern.finditer(packed.text):
            line = packed.line_of(found.start())
            if line in lines_done or self._lawful(entry, packed, found.start()):
                continue
            lines_done.add(line)
            start, end = packed.span(found.start(), found.end())
            hits.append(hit_for(entry.rule, field, start, end, packed.source[start:end]))
        return hits

    def _morpheme_hits(
        self, entry: _Compiled, field: str, text: str, packed: CompactText, found: Sequence[RuleHit]
    ) -> list[RuleHit]:
        covered = {(h.start, h.end) for h in found if h.rule_id == entry.rule.id and h.field == field}
        hits, offset = [], 0
        for line in text.split("\n"):
            line_start, offset = offset, offset + len(line) + 1
            if any(line_start <= a < line_start + len(line) + 1 for a, _ in covered):
                continue  # one hit per rule per line: the regex already reported this line
            for trigger, pattern in entry.morphemes:
                if not trigger.search(line):
                    continue
                analysed, spans = morpheme_string(line)
                found_m = pattern.search(analysed)
                if found_m is None:
                    continue
                tokens = [s for s in spans if found_m.start() <= s[0] < found_m.end()]
                start, end = line_start + tokens[0][1], line_start + tokens[-1][2]
                if any(a < end and start < b for a, b in covered):
                    continue  # the regex already reported this line
                line_compact = compact(line)
                if entry.exceptions is not None and entry.exceptions.search(line_compact.text):
                    continue
                hits.append(hit_for(entry.rule, field, start, end, text[start:end]))
                covered.add((start, end))
        return hits
