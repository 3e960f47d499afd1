"""Verdicts of the stored postings kept per rule set, and carried over to a changed rule set.

The review queue needs the verdict of every stored posting under the rules in force. Verifying
8,000 postings from scratch takes 25–125 s (rules, sentence classifier, classifier, duplicates),
so verdicts are kept, not recomputed:

* **per posting content**: each verdict is filed under the fingerprint of what the verifier
  reads of the posting (:func:`posting_fingerprints`), so a posting whose text changes (a new
  version) is verified again on its own, and an unchanged one never is;
* **per rule set**: a :class:`VerdictStore` holds the verdicts under one rule set (its content,
  not its version number) and one built verifier, on disk, so a restart reads them back;
* **incrementally** when the rules change (:func:`carry_over`): a rule whose wording, law,
  severity or fix changed only relabels its hits; only rules whose *matching* changed (patterns,
  morphemes, exceptions, cues, …) or were added are run again — and only they, with the sentence
  classifier gated by their cues alone. A rule's hits depend on that rule alone
  (:meth:`app.verify.rules.RuleEngine.scan` runs each rule on its own; the sentence classifier
  flags each category on its own), so the result equals a full verification (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from app.ml.manifest import dump_object, load_object
from app.verify.decision import Verdict, decide
from app.verify.rules import CONDITION_IDS, Rule, RuleHit, RuleSet, parse_rule_set, rule_cues

logger = logging.getLogger(__name__)

FINGERPRINT_COLUMNS: tuple[str, ...] = (
    "id", "title", "body", "wage_type", "wage", "hours_per_week", "year", "employer_name", "contact",
)
"""What the verifier reads of a stored posting: a change to any of them changes its verdict. The
id is part of it: of two postings with the same text the earlier is the original and the later
a duplicate of it, so their verdicts differ."""
STORE_FORMAT = 2  # 2: the posting id in the fingerprint
MATCHING_FIELDS: tuple[str, ...] = (
    "patterns", "morphemes", "exceptions", "about_others", "about_applicants", "cues", "ad_exceptions",
)
"""Fields of a text rule that decide *where* it hits; the others only say how a hit is reported."""
SKIPPED_MARK = "정해진 시간 안에 검사를 마치지 못해"
"""In the note of a verdict some rule was skipped in (over its time budget on a busy machine):
such a verdict is used for now but never kept on disk, so it is computed again later."""
Progress = Callable[[float], None]


def posting_fingerprints(ads: pd.DataFrame) -> list[str]:
    """SHA-256 (hex, 32 characters) of each ad's :data:`FINGERPRINT_COLUMNS` (missing ones empty)."""
    columns = [ads[c].tolist() if c in ads else [""] * len(ads) for c in FINGERPRINT_COLUMNS]
    out = []
    for values in zip(*columns, strict=True):
        text = json.dumps([None if v is None or v != v else str(v) for v in values], ensure_ascii=False)
        out.append(hashlib.sha256(text.encode()).hexdigest()[:32])
    return out


_RULES_KEYS: dict[int, tuple[RuleSet, str]] = {}
"""id → (rule set, its key): the few rule sets alive at a time are each written to YAML once, not on
every page run (four dumps of the set took a third of the review queue's run). The set itself is
held, so its id cannot be reused while the entry lives; rule sets are frozen, so a key never goes
stale."""


def rules_key(rules: RuleSet) -> str:
    """Fingerprint of a rule set's content (its version number left out: saving the same rules
    again under a new number keeps the verdicts)."""
    known = _RULES_KEYS.get(id(rules))
    if known is not None and known[0] is rules:
        return known[1]
    key = hashlib.sha256(rules.model_copy(update={"version": 1}).to_yaml().encode()).hexdigest()[:24]
    if len(_RULES_KEYS) >= 64:
        _RULES_KEYS.clear()  # bounded: a long-running server sees a rule set per saved version
    _RULES_KEYS[id(rules)] = (rules, key)
    return key


def verifier_key(version: str, metrics: dict[str, float]) -> str:
    """Identity of one built verifier (its version and the held-out figures of its build)."""
    text = json.dumps([version, sorted((k, float(v)) for k, v in metrics.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass
class VerdictStore:
    """Verdicts of postings (by content fingerprint) under one rule set and one built verifier."""

    rules: RuleSet
    verifier: str
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """File key: the rule set's content."""
        return rules_key(self.rules)

    def save(self, path: Path) -> None:
        """Write atomically (a reader never sees half a file); a read-only directory is logged, not raised."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            complete = {fp: v for fp, v in self.verdicts.items() if not any(SKIPPED_MARK in n for n in v.notes)}
            # uncompressed: read back faster (a few MB for 8,000 verdicts); written atomically
            dump_object({"format": STORE_FORMAT, "rules_yaml": self.rules.to_yaml(), "verifier": self.verifier,
                         "verdicts": complete}, path, compress=False)
        except OSError as err:
            logger.warning("ad verdicts not kept on disk (%s): %s", path.parent, type(err).__name__)


def load_store(path: Path, verifier: str) -> VerdictStore | None:
    """A store written by :meth:`VerdictStore.save` for this verifier, or ``None`` (missing,
    unreadable, of another build)."""
    if not path.exists():
        return None
    try:
        data = load_object(path)
        if data.get("format") != STORE_FORMAT or data.get("verifier") != verifier:
            return None
        return VerdictStore(parse_rule_set(data["rules_yaml"]), verifier, dict(data["verdicts"]))
    except Exception as err:  # noqa: BLE001 — a damaged cache is rebuilt, never fatal
        logger.warning("ad verdict store %s not read: %s", path.name, type(err).__name__)
        return None


@dataclass(frozen=True)
class RuleChange:
    """How a rule set differs from another, for carrying verdicts over.

    Attributes:
        rescan: Rules added or whose matching changed (run again).
        relabel: Rules and checks whose reporting only changed (name, law, severity, fix …).
        removed: Rules no longer in the set (their hits are dropped).
    """

    rescan: frozenset[str]
    relabel: frozenset[str]
    removed: frozenset[str]


def rule_change(old: RuleSet, new: RuleSet) -> RuleChange:
    """:class:`RuleChange` from ``old`` to ``new``."""
    before, after = old.by_id(), new.by_id()
    rescan, relabel, removed = set(), set(), set()
    for rule_id in set(before) | set(after):
        was, now = before.get(rule_id), after.get(rule_id)
        if was == now:
            continue
        if now is None:
            removed.add(rule_id)
        elif was is None or (isinstance(now, Rule) and (not isinstance(was, Rule) or any(
                getattr(was, f) != getattr(now, f) for f in MATCHING_FIELDS))):
            rescan.add(rule_id)
        else:
            relabel.add(rule_id)
    return RuleChange(frozenset(rescan), frozenset(relabel), frozenset(removed))


def _relabelled(hit: RuleHit, rules: RuleSet) -> RuleHit:
    rule = rules.by_id()[hit.rule_id]
    # the sentence classifier's hits go to a person whatever the rule's severity (AdVerifier.sentence_hits)
    severity = hit.severity if hit.source == "ai" else rule.severity
    return replace(hit, family=rule.family, name=rule.name, law=rule.law, article=rule.article, severity=severity,
                   explanation=rule.explanation, fix=rule.fix)


def fresh_hits(
    verifier: Any, ads: pd.DataFrame, rule_ids: frozenset[str], *, progress: Progress | None = None, chunk: int = 250,
) -> list[list[RuleHit]]:
    """Hits of only the rules ``rule_ids`` of ``verifier.rules`` on each ad: their patterns and the
    sentence classifier's flags of their categories (what :meth:`AdVerifier.verify` would add).

    ``verifier`` is an :class:`app.verify.verifier.AdVerifier` (typed ``Any``: that module imports
    this one to write the build's verdicts, and an import back would be a cycle).
    """
    if not rule_ids or ads.empty:
        return [[] for _ in range(len(ads))]
    subset = verifier.rules.model_copy(update={"rules": tuple(r for r in verifier.rules.rules if r.id in rule_ids)})
    part = verifier.with_rules(subset)
    if part.sentence_model is not None and not all(r.cues for r in subset.rules):
        # a category without cues may be read in any sentence that carries some rule's cue: gate
        # with every cue of the full set, as the full verification does
        part._gated = (subset, part.sentence_model.with_cues(rule_cues(verifier.rules)))
    titles = ads["title"].fillna("").astype(str).tolist()
    bodies = ads["body"].fillna("").astype(str).tolist()
    out: list[list[RuleHit]] = []
    for start in range(0, len(ads), chunk):
        stop = min(start + chunk, len(ads))
        found = [part.engine.scan({"title": titles[i], "body": bodies[i]}).hits for i in range(start, stop)]
        extra = part.sentence_hits(titles[start:stop], bodies[start:stop], found)
        out.extend([*hits, *more] for hits, more in zip(found, extra, strict=True))
        if progress is not None:
            progress(stop / len(ads))
    return out


def carry_over(
    verdict: Verdict, new_rules: RuleSet, change: RuleChange, fresh: Sequence[RuleHit], ml_threshold: float,
) -> Verdict:
    """``verdict`` (under the old rules) as the new rules decide it, given the ``fresh`` hits of
    the rules in ``change.rescan`` (:func:`fresh_hits`). Hits keep the order a full verification
    gives: rule hits by field and rule, then fixed checks, then the sentence classifier's by
    probability, then the duplicate finding."""
    gone = change.rescan | change.removed
    order = {rule.id: i for i, rule in enumerate(new_rules.rules)}
    fields = {"title": 0, "body": 1}

    def kept(hits: Sequence[RuleHit]) -> list[RuleHit]:
        return [_relabelled(h, new_rules) if h.rule_id in change.relabel else h for h in hits if h.rule_id not in gone]

    old = list(verdict.hits)
    text_rule = [h for h in old if h.source != "ai" and h.rule_id not in CONDITION_IDS]
    rule_hits = kept(text_rule) + [h for h in fresh if h.source != "ai"]
    rule_hits.sort(key=lambda h: (fields.get(h.field, 2), order.get(h.rule_id, len(order))))
    checks = kept([h for h in old if h.source != "ai" and h.rule_id in CONDITION_IDS and h.rule_id != "DUPLICATE"])
    ai = kept([h for h in old if h.source == "ai"]) + [h for h in fresh if h.source == "ai"]
    ai.sort(key=lambda h: -(h.probability or 0.0))
    duplicate = kept([h for h in old if h.rule_id == "DUPLICATE"])
    return decide([*rule_hits, *checks, *ai, *duplicate], ml_probability=verdict.ml_probability, ml_threshold=ml_threshold,
                  ml_terms=verdict.ml_terms, duplicates=verdict.duplicates, cluster=verdict.cluster, notes=verdict.notes,
                  n_duplicates=verdict.n_duplicates)
