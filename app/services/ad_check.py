"""Job-ad verification use cases (구인광고 AI 검증): the module the pages import.

* rules — :func:`active_rules`, :func:`rule_history`, :func:`save_rules` (validated, versioned,
  every change stored with who, when, why and which rules changed), :func:`try_rules`;
* employer side — :func:`check_draft` (a draft posting checked before it is saved);
* review queue — :func:`stored_verdicts`, :func:`review_queue`, :func:`posting_verdict`,
  :func:`save_review`, :func:`load_reviews`, :func:`queue_metrics`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine

from app.db.repositories import ads as ads_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import unit_of_work
from app.reference.codes import WAGE_TYPES
from app.text.pii import mask_pii
from app.verify.decision import DECISION_LABELS, Verdict
from app.verify.rules import FAMILIES, InvalidRules, RuleSet, load_default_rules, parse_rule_set
from app.verify.verifier import AdVerifier, checks_frame, load_stored_ads

REVIEW_DECISIONS: dict[str, str] = {"approve": "승인(게재)", "reject": "반려(보류)"}
MAX_COMMENT = 500
MAX_NOTE = 300


class InvalidDraft(ValueError):
    """A draft posting that cannot be checked; ``errors`` maps field → Korean message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


class InvalidReview(ValueError):
    """A review decision that cannot be stored (Korean message)."""


# --------------------------------------------------------------------------- rules


def active_rules(engine: Engine) -> RuleSet:
    """The rule set in force: the newest version policy staff saved, else the committed file."""
    newest = ads_repo.newest_rule_version(engine)
    if newest is None:
        return load_default_rules()
    return parse_rule_set(newest[1])


def rule_history(engine: Engine) -> pd.DataFrame:
    """Every saved version, newest first: ``version, at, username, note, changed_rules``."""
    return ads_repo.load_rule_history(engine)


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
    parsed = parse_rule_set(yaml_text)
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
    edited = verifier.with_rules(parse_rule_set(yaml_text))
    return [{"rule_id": h.rule_id, "name": h.name, "citation": h.citation, "field": h.field, "evidence": h.evidence}
            for h in edited.engine.match({"title": title, "body": body})]


# --------------------------------------------------------------------------- drafts (employer side)


class DraftAd(BaseModel):
    """A draft posting as an employer types it (validated at the boundary)."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    title: str = Field(min_length=2, max_length=200)
    body: str = Field(min_length=10, max_length=20_000)
    wage_type: str
    wage: int = Field(ge=1, le=1_000_000_000)
    hours_per_week: float = Field(gt=0, le=80)
    year: int | None = Field(default=None, ge=2023, le=2100)
    employer_name: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=100)

    @field_validator("wage_type")
    @classmethod
    def _wage_type(cls, value: str) -> str:
        if value not in WAGE_TYPES:
            raise ValueError(f"임금 형태는 {', '.join(WAGE_TYPES)} 중 하나여야 합니다")
        return value


_DRAFT_LABELS = {"title": "공고 제목", "body": "공고 본문", "wage_type": "임금 형태", "wage": "임금액",
                 "hours_per_week": "주당 근로시간", "year": "게시 연도", "employer_name": "회사명", "contact": "연락처"}


def validate_draft(values: Mapping[str, object]) -> DraftAd:
    """A :class:`DraftAd` from form values.

    Raises:
        InvalidDraft: Korean message per bad field.
    """
    try:
        return DraftAd.model_validate(dict(values))
    except ValidationError as err:
        errors = {}
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "_"
            label = _DRAFT_LABELS.get(field, field)
            kind = problem["type"]
            if kind == "string_too_short":
                message = f"{label}을(를) {problem['ctx']['min_length']}자 이상 적어 주세요"
            elif kind == "string_too_long":
                message = f"{label}은(는) {problem['ctx']['max_length']:,}자 이하여야 합니다"
            elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
                message = f"{label} 값이 허용 범위를 벗어났습니다 (입력값: {problem.get('input')})"
            elif kind in ("int_parsing", "float_parsing", "int_from_float"):
                message = f"{label}은(는) 숫자여야 합니다 (입력값: {problem.get('input')})"
            else:
                message = f"{label}: {str(problem.get('msg', '')).removeprefix('Value error, ')}"
            errors.setdefault(field, message)
        raise InvalidDraft(errors) from None


def check_draft(verifier: AdVerifier, draft: DraftAd) -> Verdict:
    """Verify a draft before it is saved: rules, checks (minimum wage, hours, the recruiter's
    name and phone), the classifier and duplicates of stored postings."""
    frame = pd.DataFrame([{**draft.model_dump(), "id": "draft"}])
    return verifier.verify(frame, check_identity=True, duplicates=True, explain=True)[0]


def draft_hash(draft: DraftAd) -> str:
    """SHA-256 of a draft (audit log key; the text itself is not logged)."""
    return hashlib.sha256(draft.model_dump_json().encode("utf-8")).hexdigest()


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
    })  # fmt: skip


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
    )  # fmt: skip


def family_label(family: str) -> str:
    """Korean name of a rule family."""
    return FAMILIES.get(family, family)


def count_reviews(engine: Engine) -> int:
    """Number of stored review decisions."""
    return ads_repo.count_reviews(engine)
