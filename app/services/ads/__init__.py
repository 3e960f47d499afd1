"""Job-ad verification use cases (구인광고 AI 검증): the one module the ad pages import.

* rules — :func:`active_rules` (the set in force), :func:`rule_history`, :func:`rules_of_version`,
  :func:`save_rules` (a new version, validated), :func:`try_rules` (the editor's test box);
* an employer's draft — :func:`validate_draft`, :func:`check_draft`, :func:`draft_hash`;
* the review queue — :func:`stored_verdicts`, :func:`review_queue`, :func:`queue_table`,
  :func:`posting_verdict`, :func:`save_review`, :func:`load_reviews`, :func:`queue_metrics`.

The verifier itself (rules, checks, classifier, duplicates) is :mod:`app.verify`. Submodules:
:mod:`.rules`, :mod:`.drafts`, :mod:`.queue`.
"""

from __future__ import annotations

from app.services.ads.drafts import DraftAd, InvalidDraft, check_draft, draft_hash, validate_draft
from app.services.ads.queue import (
    REVIEW_DECISIONS,
    InvalidReview,
    QueueFilter,
    QueueMetrics,
    count_reviews,
    family_label,
    load_reviews,
    ml_term_words,
    posting_verdict,
    queue_metrics,
    queue_table,
    reason_names,
    review_queue,
    save_review,
    stored_verdicts,
)
from app.services.ads.rules import (
    active_rules,
    active_rules_yaml,
    changed_rule_ids,
    migrate_stored_rule_sets,
    rule_history,
    rule_history_table,
    rules_of_version,
    save_rules,
    try_rules,
)
from app.verify.decision import DECISION_LABELS, Verdict
from app.verify.highlight import highlighted_markdown
from app.verify.rules import FAMILIES, SEVERITY_LABELS, InvalidRules, RuleHit, RuleSet, parse_rule_set
from app.verify.verdict_store import rules_key
from app.verify.verifier import MODEL_NAME, AdVerifier, load_ad_verifier, load_stored_ads, load_stored_checks

__all__ = [
    # rules in force and their history
    "active_rules", "active_rules_yaml", "changed_rule_ids", "migrate_stored_rule_sets", "rule_history",
    "rule_history_table", "rules_of_version", "rules_key", "save_rules", "try_rules", "parse_rule_set", "InvalidRules", "RuleSet", "RuleHit", "FAMILIES",
    "SEVERITY_LABELS",
    # an employer's draft
    "DraftAd", "InvalidDraft", "check_draft", "draft_hash", "validate_draft",
    # the review queue
    "REVIEW_DECISIONS", "InvalidReview", "QueueFilter", "QueueMetrics", "count_reviews", "family_label",
    "load_reviews", "ml_term_words", "reason_names", "posting_verdict", "queue_metrics", "queue_table", "review_queue", "save_review",
    "stored_verdicts", "highlighted_markdown",
    # the verifier and its verdicts
    "MODEL_NAME", "AdVerifier", "Verdict", "DECISION_LABELS", "load_ad_verifier", "load_stored_ads",
    "load_stored_checks",
]
