"""The review queue of flagged postings: verdicts of every stored posting, filters, reviewers'
decisions and how often they agree with the verifier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import ads as ads_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import unit_of_work
from app.errors import InvalidInput
from app.text.pii import mask_pii
from app.verify.decision import DECISION_LABELS, Verdict
from app.verify.rules import FAMILIES, RuleSet, load_default_rules
from app.verify.verdict_store import (
    Progress,
    VerdictStore,
    carry_over,
    fresh_hits,
    load_store,
    posting_fingerprints,
    rule_change,
    rules_key,
    verifier_key,
)
from app.verify.verifier import VERDICTS_FILE, AdVerifier, checks_frame, load_stored_ads

REVIEW_DECISIONS: dict[str, str] = {"approve": "승인(게재)", "reject": "반려(보류)"}
MAX_COMMENT = 500
MIN_REASON = 5
"""Characters a reason must have (a reject, or an approval that overrules the verifier)."""


class InvalidReview(InvalidInput):
    """A review decision that cannot be stored (Korean message)."""



# --------------------------------------------------------------------------- review queue


VERDICT_CACHE_DIR = "cache/ad_verdicts"
"""Under the models directory: the verdicts of the stored postings per rule set (a restart reads
them back instead of verifying every posting again)."""
CANDIDATE_BASES = 4
"""Newest kept rule sets tried as the base of a carry-over (with the build's)."""


def _store_path(models_dir: Path, rules: RuleSet) -> Path:
    return Path(models_dir) / VERDICT_CACHE_DIR / f"{rules_key(rules)}.joblib"


def _base_stores(models_dir: Path, verifier_id: str, exclude: str) -> list[VerdictStore]:
    """Stores another rule set's verdicts can be carried over from: the build's, then the newest kept."""
    paths = [Path(models_dir) / VERDICTS_FILE]
    kept = sorted((Path(models_dir) / VERDICT_CACHE_DIR).glob("*.joblib"), key=lambda f: f.stat().st_mtime, reverse=True)
    paths += [f for f in kept if f.stem != exclude][:CANDIDATE_BASES]
    return [store for store in (load_store(path, verifier_id) for path in paths) if store is not None]


def stored_verdicts(
    engine: Engine,
    verifier: AdVerifier,
    *,
    models_dir: Path,
    ads: pd.DataFrame | None = None,
    memory: dict | None = None,
    progress: Progress | None = None,
    build_checks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Verdicts of every stored posting under the rules in force (:func:`checks_frame` rows).

    Verdicts are kept per rule set and posting content (:mod:`app.verify.verdict_store`): only a
    posting never verified under these rules is verified now — carried over from the build's or
    another kept rule set when its content is known there (only the rules whose matching changed
    run again), else verified in full (a new or edited posting). The kept verdicts are written
    under ``models_dir`` so a restart reuses them.

    Args:
        engine: Product database.
        verifier: Verifier with the rules in force.
        models_dir: Built artifacts (the build's verdicts; the kept ones under :data:`VERDICT_CACHE_DIR`).
        ads: :func:`load_stored_ads` when the caller already has it.
        memory: A dict the caller keeps between calls (stores and tables in memory).
        progress: Called with the share done (0–1) while verdicts are computed.
        build_checks: The build's checks table of a build without kept verdicts (older builds):
            used as is under the default rules, as before.
    """
    memory = {} if memory is None else memory
    ads = load_stored_ads(engine) if ads is None else ads
    known = memory.get(("fingerprints",))
    if known is not None and known[0] is ads:  # the caller's same (cached, unchanged) frame: hashed once
        fingerprints = known[1]
    else:
        fingerprints = posting_fingerprints(ads)
        memory[("fingerprints",)] = (ads, fingerprints)  # the frame is held, so its identity is not reused
    verifier_id = verifier_key(verifier.version, verifier.metrics)
    key = rules_key(verifier.rules)
    table_key = ("table", verifier_id, key, hash(tuple(fingerprints)))
    if table_key in memory:
        return memory[table_key]
    store = memory.get(("store", verifier_id, key)) or load_store(_store_path(models_dir, verifier.rules), verifier_id)
    if store is None:  # the build's own verdicts when they are of these rules, else an empty store
        build = load_store(Path(models_dir) / VERDICTS_FILE, verifier_id)
        store = build if build is not None and build.key == key else VerdictStore(verifier.rules, verifier_id)
    missing = [i for i, fp in enumerate(fingerprints) if fp not in store.verdicts]
    if missing:
        bases = _base_stores(models_dir, verifier_id, key)
        if not bases and not store.verdicts and build_checks is not None and not build_checks.empty \
                and verifier.rules == load_default_rules():
            return build_checks  # a build without kept verdicts: its table, as before
        _fill(store, ads, fingerprints, missing, bases, verifier, progress)
        current = set(fingerprints)  # old versions of edited postings are not kept
        store.verdicts = {fp: v for fp, v in store.verdicts.items() if fp in current}
        store.save(_store_path(models_dir, verifier.rules))
    memory[("store", verifier_id, key)] = store
    table = checks_frame(ads, [store.verdicts[fp] for fp in fingerprints])
    for old in [k for k in memory if k[0] == "table" and k[1:3] == (verifier_id, key)]:
        del memory[old]
    memory[table_key] = table
    return table


def _fill(
    store: VerdictStore, ads: pd.DataFrame, fingerprints: list[str], missing: list[int], bases: list[VerdictStore],
    verifier: AdVerifier, progress: Progress | None,
) -> None:
    """Put the verdicts of the ``missing`` postings into ``store``: carried over from the base that
    knows most of them, the rest verified in full."""
    base = max(bases, key=lambda b: sum(fingerprints[i] in b.verdicts for i in missing), default=None)
    carried = [i for i in missing if base is not None and fingerprints[i] in base.verdicts]
    rest = [i for i in missing if base is None or fingerprints[i] not in base.verdicts]
    total = max(1, len(carried) + 4 * len(rest))  # a full verification costs about four rescans of one rule

    def report(done: float) -> None:
        if progress is not None:
            progress(min(1.0, done / total))

    if carried:
        assert base is not None
        change = rule_change(base.rules, verifier.rules)
        fresh = fresh_hits(verifier, ads.iloc[carried], change.rescan,
                           progress=lambda share: report(share * len(carried)))
        for i, hits in zip(carried, fresh, strict=True):
            store.verdicts[fingerprints[i]] = carry_over(base.verdicts[fingerprints[i]], verifier.rules, change, hits,
                                                         verifier.ml_threshold)
    chunk = 250
    for start in range(0, len(rest), chunk):
        rows = rest[start:start + chunk]
        for i, verdict in zip(rows, verifier.verify(ads.iloc[rows], explain=False, exclude_self=True), strict=True):
            store.verdicts[fingerprints[i]] = verdict
        report(len(carried) + 4 * (start + len(rows)))


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


REASONS_SHOWN = 2
"""Reasons named in the queue table's 사유 column; the rest are counted (all of them are in the
detail panel below the table)."""
ML_FEATURE_LABELS: dict[str, str] = {
    "log_pay_ratio": "최저임금 대비 임금", "weekly_hours": "주당 근로시간", "has_messenger": "메신저 연락처",
    "n_exclaim": "느낌표 수",
}
"""Korean names of the classifier's non-text features (``메타:…``)."""


def reason_names(rule_ids: str, rules: RuleSet, ml_probability: float | None = None) -> list[str]:
    """Korean names of a verdict's reasons: its rules' names from the rule set in force, or the
    classifier's probability when it alone sent the ad to a person (never a rule id)."""
    by_id = rules.by_id()
    names = list(dict.fromkeys(by_id[r].name if r in by_id else "이전 규칙" for r in str(rule_ids or "").split(";") if r))
    if not names and ml_probability is not None and ml_probability == ml_probability:
        names.append(f"AI 분류 모델 {float(ml_probability):.0%}")
    return names


def short_reasons(names: list[str], shown: int = REASONS_SHOWN) -> str:
    """``"성별 차별, 연령 차별 외 2건"``: the first reasons and how many more."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} 외 {len(names) - shown}건"


def queue_table(queue: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Display table of the queue, key columns first: 공고 번호, 공고명, 판정, 사유 (short Korean
    form: rule names from ``rules``), then 위험 점수, 기업, 검토 결과."""
    probabilities = queue["ml_probability"] if "ml_probability" in queue else pd.Series(np.nan, index=queue.index)
    reasons = [short_reasons(reason_names(ids, rules, p))
               for ids, p in zip(queue["rule_ids"].fillna(""), probabilities, strict=True)]
    return pd.DataFrame({
        "공고 번호": queue["posting_id"].astype(int),
        "공고명": queue["title"].astype(str),
        "판정": queue["decision"].map(DECISION_LABELS),
        "사유": pd.Series(reasons, index=queue.index, dtype=object),
        "위험 점수": queue["score"].round(3),
        "기업": queue["employer_name"].astype(str),
        "검토 결과": queue["review"].map(REVIEW_DECISIONS).fillna(""),
    })


def ml_term_words(terms: Sequence[tuple[str, float]]) -> list[str]:
    """The classifier's top terms as a reader would say them, strongest first, each once.

    ``형태소:20/SN`` → ``20`` (the form without Kiwi's tag), ``문자: 남자`` → ``남자`` (character
    n-grams of one syllable say nothing and are left out), ``메타:weekly_hours`` → ``주당 근로시간``.
    """
    words: list[str] = []
    for name, _value in terms:
        kind, _, value = str(name).partition(":")
        if kind == "메타":
            word = ML_FEATURE_LABELS.get(value, "")
        elif kind in ("형태소", "단어"):
            word = value.rsplit("/", 1)[0].strip()
        else:
            word = value.strip()
        if len(word) >= 2 and word not in words:
            words.append(word)
    return words


def posting_verdict(engine: Engine, verifier: AdVerifier, posting_id: int,
                    stored_ads: pd.DataFrame | None = None) -> tuple[pd.Series, Verdict]:
    """One stored posting and its full verdict (with spans and the classifier's top terms).

    Args:
        engine: Product database.
        verifier: The verifier with the rules in force.
        posting_id: The posting.
        stored_ads: Every stored posting as an ad (:func:`load_stored_ads`) when the caller already
            holds it; read from the database otherwise.

    Raises:
        LookupError: No such posting (Korean message).
    """
    ads = load_stored_ads(engine) if stored_ads is None else stored_ads
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
    decision: str | None,
    comment: str,
    verdict: Verdict,
    rule_set_version: int,
) -> None:
    """Store a reviewer's decision on a flagged posting (one transaction; the comment is masked).

    A reviewer who overrules the verifier says why: approving an ad it decided 차단 or 재검증, or
    rejecting one (a reject is sent back to the employer, so it always carries a reason; that
    covers rejecting an ad the verifier passed). The rule lives here, not only in the form, so no
    caller can store an unexplained overrule.

    Raises:
        InvalidReview: No or an unknown decision, an overrule or a reject without a reason of
            :data:`MIN_REASON` characters, a comment over 500 characters, or no such posting.
    """
    if not decision:
        raise InvalidReview("검토 결과(승인 또는 반려)를 골라 주세요")
    if decision not in REVIEW_DECISIONS:
        raise InvalidReview(f"검토 결과는 {', '.join(REVIEW_DECISIONS.values())} 중 하나여야 합니다")
    comment = str(comment or "").strip()
    if decision == "approve" and verdict.decision != "pass" and len(comment) < MIN_REASON:
        raise InvalidReview(f"모델 판정({DECISION_LABELS[verdict.decision]})과 다르게 승인하려면 "
                            f"사유를 {MIN_REASON}자 이상 적어 주세요")
    if decision == "reject" and len(comment) < MIN_REASON:
        raise InvalidReview(f"반려할 때는 사유를 {MIN_REASON}자 이상 적어 주세요")
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
