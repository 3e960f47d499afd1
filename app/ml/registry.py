"""Every built artifact, in build order: the one list ``python -m app build`` works through.

Adding a model: give its module a ``MODEL_NAME``, a ``MODEL_VERSION`` and a ``SPEC``
(:class:`~app.ml.manifest.ArtifactSpec`, with ``needs`` naming the artifacts whose files it reads),
then add the ``SPEC`` below, after everything it needs. Nothing registers itself on import.
"""

from __future__ import annotations

from app.ml import (
    certificate_value,
    course_outcome,
    employment,
    hiring,
    interest_bank,
    market_wages,
    occupation,
    occupation_fit,
    talent,
    topics,
    training_recommender,
)
from app.ml.manifest import ArtifactSpec
from app.search import postings_index
from app.verify import verifier

ARTIFACTS: tuple[ArtifactSpec, ...] = (
    market_wages.SPEC,
    hiring.SPEC,
    employment.SPEC,
    verifier.SPEC,
    postings_index.SPEC,
    occupation.SPEC,
    occupation_fit.SPEC,
    interest_bank.SPEC,
    talent.SPEC,
    course_outcome.SPEC,
    training_recommender.SPEC,
    certificate_value.SPEC,
    topics.SPEC,
)
"""Every artifact in build order (each after the artifacts it ``needs``)."""


def check_order(specs: tuple[ArtifactSpec, ...]) -> None:
    """Refuse a list with a repeated name or an artifact before one it needs.

    Raises:
        ValueError: Naming the repeated or misplaced artifact.
    """
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ValueError(f"artifact '{spec.name}' is listed twice")
        missing = [need for need in spec.needs if need not in seen]
        if missing:
            raise ValueError(f"artifact '{spec.name}' needs {missing} built before it")
        seen.add(spec.name)


check_order(ARTIFACTS)
