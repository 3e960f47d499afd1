"""The rule set in force and its history: saved versions, validation, the editor's test box."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd
import yaml
from sqlalchemy import Engine

from app.db.repositories import ads as ads_repo
from app.db.repositories import unit_of_work
from app.text.korean import format_kst_datetime
from app.verify.rules import RULES_SCHEMA_VERSION, InvalidRules, RuleSet, load_default_rules, parse_rule_set
from app.verify.verifier import AdVerifier

MAX_NOTE = 300



# --------------------------------------------------------------------------- rules


def active_rules(engine: Engine) -> RuleSet:
    """The rule set in force: the newest version policy staff saved, else the committed file."""
    newest = ads_repo.newest_rule_version(engine)
    if newest is None:
        return load_default_rules()
    return parse_rule_set(newest[1])


def active_rules_yaml(engine: Engine) -> str:
    """The YAML of the rule set in force (what :func:`active_rules` parses).

    Pages read it on every run to find the verifier of the rules in force: one small query, and the
    text keys the cached verifier, where parsing the set and writing it back to YAML took a tenth of
    a second per run.
    """
    newest = ads_repo.newest_rule_version(engine)
    return newest[1] if newest is not None else _default_rules_yaml()


@lru_cache(maxsize=1)
def _default_rules_yaml() -> str:
    return load_default_rules().to_yaml()


def rule_history(engine: Engine) -> pd.DataFrame:
    """Every saved version, newest first: ``version, at, username, note, changed_rules``."""
    return ads_repo.load_rule_history(engine)


def rule_history_table(history: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """:func:`rule_history` for the screen: Korean columns, times in KST, the changed rules by
    their names in ``rules`` (the set in force; a rule it no longer has is "삭제된 규칙")."""
    names = {rule_id: rule.name for rule_id, rule in rules.by_id().items()}

    def changed(ids: str) -> str:
        return ", ".join(dict.fromkeys(names.get(i.strip(), "삭제된 규칙") for i in str(ids or "").split(",") if i.strip()))

    return pd.DataFrame({
        "버전": history["version"].astype(int), "시각": history["at"].map(format_kst_datetime),
        "담당자": history["username"].astype(str), "사유": history["note"].astype(str),
        "바뀐 규칙": history["changed_rules"].map(changed),
    })


def rules_of_version(engine: Engine, version: int) -> RuleSet:
    """A saved version (or the committed file for its own version).

    Raises:
        InvalidRules: No such version.
    """
    saved = ads_repo.load_rule_yaml(engine, version)
    if saved is not None:
        return parse_rule_set(saved)
    default = load_default_rules()
    if default.version == int(version):
        return default
    raise InvalidRules(f"규칙 버전 {version}을(를) 찾을 수 없습니다")


def changed_rule_ids(old: RuleSet, new: RuleSet) -> list[str]:
    """Ids of rules added, removed or changed between two rule sets."""
    before, after = old.by_id(), new.by_id()
    return sorted(i for i in set(before) | set(after) if before.get(i) != after.get(i))


def save_rules(engine: Engine, yaml_text: str, *, username: str, note: str) -> RuleSet:
    """Validate and put a new rule set in force as the next version (one transaction).

    The ``version`` written in the text is ignored: the new version is one more than the newest.

    Raises:
        InvalidRules: Invalid YAML or rules, no change, or a note shorter than 5 / longer than 300
            characters (nothing is written).
    """
    note = str(note or "").strip()
    if not 5 <= len(note) <= MAX_NOTE:
        raise InvalidRules(f"변경 사유를 5~{MAX_NOTE}자로 적어 주세요 (입력: {len(note)}자)")
    parsed = parse_rule_set(yaml_text, refuse_backtracking=True)
    with unit_of_work(engine) as uow:
        newest = ads_repo.newest_rule_version(uow)
        current = parse_rule_set(newest[1]) if newest is not None else load_default_rules()
        changed = changed_rule_ids(current, parsed)
        if not changed:
            raise InvalidRules("바뀐 규칙이 없습니다")
        version = max(current.version, newest[0] if newest is not None else 0) + 1
        saved = parsed.model_copy(update={"version": version})
        ads_repo.add_rule_version(uow, version=version, username=username, note=note, rules_yaml=saved.to_yaml(),
                                  changed_rules=",".join(changed))
    return saved


def try_rules(verifier: AdVerifier, yaml_text: str, title: str, body: str) -> list[dict[str, object]]:
    """Hits of an edited (unsaved) rule set on a sample text, for the rule editor's test box.

    Raises:
        InvalidRules: The edited rules are invalid.
    """
    edited = verifier.with_rules(parse_rule_set(yaml_text, refuse_backtracking=True))
    return [{"rule_id": h.rule_id, "name": h.name, "citation": h.citation, "field": h.field, "evidence": h.evidence}
            for h in edited.engine.match({"title": title, "body": body})]


# --------------------------------------------------------------------------- drafts (employer side)


def migrate_stored_rule_sets(engine: Engine) -> int:
    """Rewrite every stored rule-set version in the current format (:data:`RULES_SCHEMA_VERSION`).

    Reading already migrates on the fly (:func:`app.verify.rules.parse_rule_set`); this makes the
    stored text match, so exports and the history show one format. ``python -m app build`` runs it.

    Returns:
        How many stored versions were rewritten.
    """
    stale = []
    for version, text in ads_repo.load_all_rule_yaml(engine):
        data = yaml.safe_load(text)
        if isinstance(data, Mapping) and data.get("schema_version", 1) != RULES_SCHEMA_VERSION:
            stale.append((version, parse_rule_set(data).model_copy(update={"version": version}).to_yaml()))
    with unit_of_work(engine) as uow:
        for version, text in stale:
            ads_repo.replace_rule_yaml(uow, version, text)
    return len(stale)
