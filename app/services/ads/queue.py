"""The review queue of flagged postings: verdicts of every stored posting, filters, reviewers'
decisions and how often they agree with the verifier."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import ads as ads_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import unit_of_work
from app.errors import InvalidInput
from app.text.pii import mask_pii
from app.verify.decision import DECISION_LABELS, Verdict
from app.verify.rules import FAMILIES, load_default_rules
from app.verify.verifier import AdVerifier, checks_frame, load_stored_ads

REVIEW_DECISIONS: dict[str, str] = {"approve": "승인(게재)", "reject": "반려(보류)"}
MAX_COMMENT = 500


class InvalidReview(InvalidInput):
    """A review decision that cannot be stored (Korean message)."""



# --------------------------------------------------------------------------- review queue


def stored_verdicts(engine: Engine, verifier: AdVerifier, build_checks: pd.DataFrame | None) -> pd.DataFrame:
    """Verdicts of every stored posting under the rules in force.

    The build's table is used when it was made with the same rule set; otherwise every posting is
    verified again (about 10 s for 8,000 postings — the page caches the result).
    """
    if build_checks is not None and not build_checks.empty and verifier.rules == load_default_rules():
        return build_checks
    ads = load_stored_ads(engine)
    return checks_frame(ads, verifier.verify(ads, explain=False, exclude_self=True))


def load_reviews(engine: Engine, posting_id: int | None = None) -> pd.DataFrame:
    """Review decisions, newest first (:data:`REVIEW_COLUMNS`)."""
    return ads_repo.load_reviews(engine, posting_id)


@dataclass(frozen=True)
class QueueFilter:
    """Filters of the queue; empty means all."""

    decisions: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()
    include_reviewed: bool = False


def review_queue(checks: pd.DataFrame, reviews: pd.DataFrame, postings: pd.DataFrame, flt: QueueFilter) -> pd.DataFrame:
    """Flagged postings (review or block) by risk, highest first, with their latest review.

    Args:
        checks: :func:`stored_verdicts` output.
        reviews: :func:`load_reviews` output.
        postings: ``posting_id, title, employer_name`` of the stored postings.
        flt: Filters.
    """
    flagged = checks[checks["decision"] != "pass"].copy()
    latest = reviews.drop_duplicates("posting_id", keep="first").set_index("posting_id") if not reviews.empty else None
    flagged["review"] = flagged["posting_id"].map(latest["decision"]) if latest is not None else np.nan
    flagged["review"] = flagged["review"].fillna("")
    if not flt.include_reviewed:
        flagged = flagged[flagged["review"] == ""]
    if flt.decisions:
        flagged = flagged[flagged["decision"].isin(flt.decisions)]
    for column, wanted in (("rule_ids", flt.rule_ids), ("families", flt.families), ("laws", flt.laws)):
        if wanted:
            parts = flagged[column].fillna("").str.split(";")
            flagged = flagged[parts.map(lambda items, w=set(wanted): bool(w & set(items)))]
    info = postings.set_index("posting_id")[["title", "employer_name"]]
    flagged = flagged.join(info, on="posting_id")
    return flagged.sort_values(["score", "posting_id"], ascending=[False, True]).reset_index(drop=True)


def queue_table(queue: pd.DataFrame) -> pd.DataFrame:
    """Display table of the queue (Korean columns)."""
    return pd.DataFrame({
        "공고 번호": queue["posting_id"].astype(int),
        "판정": queue["decision"].map(DECISION_LABELS),
        "위험 점수": queue["score"].round(3),
        "공고명": queue["title"].astype(str),
        "기업": queue["employer_name"].astype(str),
        "사유": queue["reasons"].astype(str),
        "검토 결과": queue["review"].map(REVIEW_DECISIONS).fillna(""),
    })


def posting_verdict(engine: Engine, verifier: AdVerifier, posting_id: int) -> tuple[pd.Series, Verdict]:
    """One stored posting and its full verdict (with spans and the classifier's top terms).

    Raises:
        LookupError: No such posting (Korean message).
    """
    ads = load_stored_ads(engine)
    row = ads[ads["posting_id"] == int(posting_id)]
    if row.empty:
        raise LookupError(f"공고 #{posting_id}을(를) 찾을 수 없습니다")
    verdict = verifier.verify(row, explain=True, exclude_self=True)[0]
    return row.iloc[0], verdict


def save_review(
    engine: Engine,
    *,
    posting_id: int,
    reviewer: str,
    decision: str,
    comment: str,
    verdict: Verdict,
    rule_set_version: int,
) -> None:
    """Store a reviewer's decision on a flagged posting (one transaction; the comment is masked).

    Raises:
        InvalidReview: Unknown decision, a reject without a comment, a comment over 500
            characters, or no such posting.
    """
    if decision not in REVIEW_DECISIONS:
        raise InvalidReview(f"검토 결과는 {', '.join(REVIEW_DECISIONS.values())} 중 하나여야 합니다")
    comment = str(comment or "").strip()
    if decision == "reject" and len(comment) < 5:
        raise InvalidReview("반려할 때는 사유를 5자 이상 적어 주세요")
    if len(comment) > MAX_COMMENT:
        raise InvalidReview(f"의견은 {MAX_COMMENT}자 이하여야 합니다 (입력: {len(comment)}자)")
    with unit_of_work(engine) as uow:
        if not posting_repo.posting_exists(uow, posting_id):
            raise InvalidReview(f"공고 #{posting_id}을(를) 찾을 수 없습니다")
        ads_repo.add_review(
            uow, posting_id=posting_id, reviewer=reviewer, decision=decision, comment=mask_pii(comment),
            model_decision=verdict.decision, model_score=float(verdict.score),
            rule_ids=";".join(dict.fromkeys(h.rule_id for h in verdict.hits)), rule_set_version=rule_set_version,
        )


@dataclass(frozen=True)
class QueueMetrics:
    """Queue size, share auto-passed and how often reviewers agree with the verifier.

    Attributes:
        n_postings: Postings verified.
        n_flagged: Sent to a person (review or block).
        n_waiting: Flagged and not yet reviewed.
        share_passed: Share of postings that passed without a person.
        n_reviewed: Flagged postings with a decision.
        agreement: Share of reviewed postings the reviewer rejected (the flag was right);
            ``nan`` before any review.
        agreement_block: The same among postings the verifier blocked.
        agreement_review: The same among postings it sent to review.
    """

    n_postings: int
    n_flagged: int
    n_waiting: int
    share_passed: float
    n_reviewed: int
    agreement: float
    agreement_block: float
    agreement_review: float


def queue_metrics(checks: pd.DataFrame, reviews: pd.DataFrame) -> QueueMetrics:
    """:class:`QueueMetrics` of the stored verdicts and the reviews so far (latest per posting)."""
    flagged = checks[checks["decision"] != "pass"]
    latest = reviews.drop_duplicates("posting_id", keep="first") if not reviews.empty else reviews
    reviewed = latest[latest["posting_id"].isin(flagged["posting_id"])] if not latest.empty else latest

    def rate(frame: pd.DataFrame) -> float:
        return float((frame["decision"] == "reject").mean()) if len(frame) else float("nan")

    return QueueMetrics(
        n_postings=len(checks), n_flagged=len(flagged),
        n_waiting=int((~flagged["posting_id"].isin(reviewed["posting_id"] if len(reviewed) else [])).sum()),
        share_passed=float((checks["decision"] == "pass").mean()) if len(checks) else float("nan"),
        n_reviewed=len(reviewed), agreement=rate(reviewed),
        agreement_block=rate(reviewed[reviewed["model_decision"] == "block"]) if len(reviewed) else float("nan"),
        agreement_review=rate(reviewed[reviewed["model_decision"] == "review"]) if len(reviewed) else float("nan"),
    )


def family_label(family: str) -> str:
    """Korean name of a rule family."""
    return FAMILIES.get(family, family)


def count_reviews(engine: Engine) -> int:
    """Number of stored review decisions."""
    return ads_repo.count_reviews(engine)
