"""Model cards: what the AI transparency page says about each model (인공지능 기본법 제34조).

Every module that builds an artifact (``MODEL_NAME``, ``MODEL_VERSION``, ``SPEC``) also defines a
``CARD`` (:class:`ModelCard`) next to them, and so does every AI output that is not a built
artifact but is written to the audit log (the posting generator). The card holds what does not
change with a build — purpose, main criteria, training data, human oversight, how to contest an
output, known limits — and names the manifest metrics that measure quality and fairness; the
figures themselves, the version and the build time come from ``models/manifest.json``
(:mod:`app.services.transparency`). A unit test fails when a registered artifact or a model name
used in an audit-log call has no card.

Plain text only: cards are shown through ``escape_markdown``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelCard:
    """The fixed, human-written part of a model's transparency notice (Korean text).

    Attributes:
        name: ``MODEL_NAME`` of the model (the manifest key and the audit log's model name).
        title: Korean display name.
        purpose: 목적 — what the model is for and for whom.
        output: What it shows the user (the AI output, as the user sees it).
        shown_on: Page ids (``app.access.PAGES``) where the output appears.
        criteria: 주요 판단 기준 — the factors the output depends on (for the probability models:
            the Korean factor names their SHAP reasons use, in feature order).
        not_used: Information deliberately *not* used (protected attributes), or "".
        training_data: 학습 데이터 개요 — what the model learned from (the world-wide sources
            are added by the transparency service).
        human_oversight: 사람의 감독 — who reviews what, and what a person can change.
        contest: 이의 제기 — how the person affected gets the output reviewed (model-specific part;
            the common procedure is added by the transparency service).
        limits: Known limits a user should weigh.
        quality_metrics: Manifest metric names shown as 측정 성능, in display order.
        fairness_metrics: Manifest metric names shown under 공정성, in display order.
        fairness_note: How fairness is checked (or why a fairness measure does not apply).
        quality_note: Where quality is measured when the build records no metric ("" otherwise).
        built: False for an AI output that ``python -m app build`` does not build (no manifest
            entry is expected: e.g. a text generator chosen in the settings).
        supporting: True for a data artifact other models read (shown after the models).
    """

    name: str
    title: str
    purpose: str
    output: str
    shown_on: tuple[str, ...]
    criteria: tuple[str, ...]
    not_used: str
    training_data: str
    human_oversight: str
    contest: str
    limits: str
    quality_metrics: tuple[str, ...] = ()
    fairness_metrics: tuple[str, ...] = ()
    fairness_note: str = ""
    quality_note: str = ""
    built: bool = True
    supporting: bool = False


def factor_names(features: tuple[str, ...], factor_of_feature: dict[str, str]) -> tuple[str, ...]:
    """Korean factor names of ``features``, each once, in feature order.

    The probability models explain a prediction by summing SHAP values into these factors, so the
    card lists exactly the factors a user meets next to a prediction (derived, not retyped).
    """
    return tuple(dict.fromkeys(factor_of_feature.get(f, f) for f in features))
