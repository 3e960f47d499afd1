"""Answer scales and identity of the interest test's item bank (``interest_items.csv``).

The bank's rows come from :attr:`app.reference.tables.Reference.interest_items`; this module holds
what the app needs around them: which scales there are, the two five-point answer scales (interest
in an activity, preference for a work environment) and the bank's version stamp, stored with every
test session so that results stay comparable only within one bank.
"""

from __future__ import annotations

import hashlib

import pandas as pd

RIASEC_SCALES: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")
"""Holland's six interest types in their customary order."""
ENVIRONMENT_SCALE = "W"
"""Scale letter of the work-environment preference items."""
SCALES: tuple[str, ...] = (*RIASEC_SCALES, ENVIRONMENT_SCALE)

LIKERT_LABELS: tuple[str, ...] = ("전혀 관심 없다", "관심 없다", "보통이다", "관심 있다", "매우 관심 있다")
"""Answers 1–5 of a RIASEC activity item."""
PREFERENCE_LABELS: tuple[str, ...] = ("전혀 원하지 않는다", "원하지 않는다", "보통이다", "원한다", "매우 원한다")
"""Answers 1–5 of a work-environment (``W``) item."""
RESPONSE_VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)


def answer_labels(scale: str) -> tuple[str, ...]:
    """The five answer labels of an item of ``scale`` (answer ``k`` is ``labels[k - 1]``).

    Raises:
        ValueError: For a scale that is not in :data:`SCALES`.
    """
    if scale == ENVIRONMENT_SCALE:
        return PREFERENCE_LABELS
    if scale in RIASEC_SCALES:
        return LIKERT_LABELS
    raise ValueError(f"알 수 없는 검사 척도입니다: {scale}")


def compute_bank_version(items: pd.DataFrame) -> str:
    """A short stamp of the bank's content (codes, scales, texts, environment items).

    Any change to an item's wording or order gives another stamp, so a session records which bank
    it was answered on and item parameters calibrated on one bank are not applied to another.

    Args:
        items: The bank (``item_code``, ``scale``, ``text``, ``environment_code``), in bank order.

    Returns:
        ``"bank-"`` and 12 hex digits of a SHA-256 over the rows.
    """
    digest = hashlib.sha256()
    for row in items[["item_code", "scale", "text", "environment_code"]].itertuples(index=False):
        digest.update("\t".join("" if pd.isna(v) else str(v) for v in row).encode())
        digest.update(b"\n")
    return f"bank-{digest.hexdigest()[:12]}"
