"""Job-ad verification records: the rule-set versions policy staff saved and reviewers' decisions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.db.orm import AdReview, AdRuleVersion
from app.db.repositories import read_frame

RULE_HISTORY_COLUMNS: tuple[str, ...] = ("version", "at", "username", "note", "changed_rules")
REVIEW_COLUMNS: tuple[str, ...] = (
    "id", "posting_id", "reviewer", "at", "decision", "comment", "model_decision", "model_score", "rule_ids",
    "rule_set_version",
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- rule versions


def newest_rule_version(engine_or_uow: Engine | Session) -> tuple[int, str] | None:
    """(version, rules YAML) of the newest saved rule set, or ``None`` (also inside a unit of work)."""
    stmt = select(AdRuleVersion.version, AdRuleVersion.rules_yaml).order_by(AdRuleVersion.version.desc()).limit(1)
    if isinstance(engine_or_uow, Session):
        row = engine_or_uow.execute(stmt).first()
    else:
        with Session(engine_or_uow) as session:
            row = session.execute(stmt).first()
    return (int(row[0]), str(row[1])) if row is not None else None


def load_rule_yaml(engine: Engine, version: int) -> str | None:
    """The rules YAML of a saved version, or ``None`` when there is no such version."""
    with Session(engine) as session:
        found = session.scalar(select(AdRuleVersion.rules_yaml).where(AdRuleVersion.version == int(version)))
    return None if found is None else str(found)


def load_rule_history(engine: Engine) -> pd.DataFrame:
    """Every saved version, newest first (:data:`RULE_HISTORY_COLUMNS`)."""
    stmt = select(*(getattr(AdRuleVersion, c) for c in RULE_HISTORY_COLUMNS)).order_by(AdRuleVersion.version.desc())
    return read_frame(engine, stmt)


def add_rule_version(uow: Session, *, version: int, username: str, note: str, rules_yaml: str, changed_rules: str) -> None:
    """Record a new rule-set version inside a unit of work (time in UTC)."""
    uow.add(AdRuleVersion(version=int(version), at=_utc_now(), username=str(username)[:40], note=note,
                          rules_yaml=rules_yaml, changed_rules=changed_rules[:500]))


def load_all_rule_yaml(engine: Engine) -> list[tuple[int, str]]:
    """(version, rules YAML) of every saved version, oldest first (for migrations)."""
    with Session(engine) as session:
        return [(int(v), str(y)) for v, y in session.execute(
            select(AdRuleVersion.version, AdRuleVersion.rules_yaml).order_by(AdRuleVersion.version)
        ).all()]


def replace_rule_yaml(uow: Session, version: int, rules_yaml: str) -> None:
    """Rewrite the YAML of a stored version inside a unit of work (schema migrations only)."""
    row = uow.scalar(select(AdRuleVersion).where(AdRuleVersion.version == int(version)))
    if row is not None:
        row.rules_yaml = rules_yaml


# --------------------------------------------------------------------------- reviews


def load_reviews(engine: Engine, posting_id: int | None = None) -> pd.DataFrame:
    """Review decisions, newest first (:data:`REVIEW_COLUMNS`)."""
    stmt = select(*(getattr(AdReview, c) for c in REVIEW_COLUMNS))
    if posting_id is not None:
        stmt = stmt.where(AdReview.posting_id == int(posting_id))
    return read_frame(engine, stmt.order_by(AdReview.at.desc(), AdReview.id.desc()))


def add_review(
    uow: Session,
    *,
    posting_id: int,
    reviewer: str,
    decision: str,
    comment: str,
    model_decision: str,
    model_score: float,
    rule_ids: str,
    rule_set_version: int,
) -> None:
    """Record a reviewer's decision inside a unit of work (the caller masks the comment)."""
    uow.add(AdReview(
        posting_id=int(posting_id), reviewer=str(reviewer)[:40], at=_utc_now(), decision=decision, comment=comment,
        model_decision=model_decision, model_score=float(model_score), rule_ids=rule_ids[:300],
        rule_set_version=int(rule_set_version),
    ))


def count_reviews(engine: Engine) -> int:
    """Number of stored review decisions."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AdReview)).scalar_one())
