"""One decision per ad — 통과 (pass) / 재검증 (review) / 차단 (block) — with a score and reasons.

* **block** when a rule or check of severity ``block`` hits (clearly unlawful: the ad is held
  until fixed);
* **review** when a ``review`` rule hits, the ad duplicates another, or the classifier's
  probability reaches its review threshold (chosen at training so that few lawful ads reach the
  queue);
* **pass** otherwise — only review and block reach a person.

The score combines the evidence as independent signals, ``1 − Π(1 − sᵢ)``: 0.95 per blocking
hit, 0.7 per review hit, 0.5 for a duplicate, the classifier's probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.verify.rules import RuleHit

DECISIONS: tuple[str, ...] = ("pass", "review", "block")
DECISION_LABELS: dict[str, str] = {"pass": "통과", "review": "재검증", "block": "차단"}
HIT_SCORE: dict[str, float] = {"block": 0.95, "review": 0.7}
DUPLICATE_SCORE = 0.5


@dataclass(frozen=True)
class Verdict:
    """The verification of one ad.

    Attributes:
        decision: ``pass``, ``review`` or ``block``.
        score: Combined risk, 0–1.
        hits: Rule and check hits (with law, article, span and fix).
        ml_probability: The classifier's probability (``None`` without a classifier).
        ml_terms: The classifier's top terms for this ad (feature, contribution).
        duplicates: Ids of the other ads in its duplicate cluster (at most the verifier's listing cap).
        cluster: Duplicate cluster number (``None`` when it has no duplicate).
        n_duplicates: How many other ads are duplicates, listed or not (a template posted 10,000
            times lists 100 and counts them all).
    """

    decision: str
    score: float
    hits: tuple[RuleHit, ...] = ()
    ml_probability: float | None = None
    ml_terms: tuple[tuple[str, float], ...] = ()
    duplicates: tuple[str, ...] = ()
    cluster: int | None = None
    notes: tuple[str, ...] = field(default=())
    n_duplicates: int = 0

    @property
    def label(self) -> str:
        """Korean decision: 통과, 재검증 or 차단."""
        return DECISION_LABELS[self.decision]

    def reasons(self) -> str:
        """``;``-separated rule ids with their article, e.g. ``"SEX_DISCRIM(남녀고용평등법 제7조 제1항);ML(0.83)"``."""
        parts = list(dict.fromkeys(f"{h.rule_id}({h.citation})" for h in self.hits))
        if self.ml_probability is not None and self.decision != "pass" and not self.hits:
            parts.append(f"ML({self.ml_probability:.2f})")
        return ";".join(parts)


def decide(
    hits: Sequence[RuleHit],
    *,
    ml_probability: float | None,
    ml_threshold: float,
    ml_terms: Sequence[tuple[str, float]] = (),
    duplicates: Sequence[str] = (),
    cluster: int | None = None,
    notes: Sequence[str] = (),
    n_duplicates: int | None = None,
) -> Verdict:
    """Combine an ad's evidence into a :class:`Verdict` (see the module docstring)."""
    keep = 1.0
    for hit in hits:
        keep *= 1.0 - HIT_SCORE.get(hit.severity, 0.7)
    if duplicates:
        keep *= 1.0 - DUPLICATE_SCORE
    if ml_probability is not None:
        keep *= 1.0 - float(ml_probability)
    score = 1.0 - keep
    if any(h.severity == "block" for h in hits):
        decision = "block"
    elif hits or duplicates or (ml_probability is not None and ml_probability >= ml_threshold):
        decision = "review"
    else:
        decision = "pass"
    return Verdict(decision=decision, score=round(float(score), 4), hits=tuple(hits), ml_probability=ml_probability,
                   ml_terms=tuple(ml_terms), duplicates=tuple(str(d) for d in duplicates), cluster=cluster,
                   notes=tuple(notes), n_duplicates=len(duplicates) if n_duplicates is None else int(n_duplicates))
