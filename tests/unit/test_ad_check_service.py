"""Job-ad verification use cases (``app.services.ads``) on a private copy of the session's
built small world (:func:`tests.conftest.hiring_built`): versioned rules, draft checks, the review
queue, review decisions and the queue's metrics."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.repositories.ads import REVIEW_COLUMNS
from app.services import ads
from app.services.ads import InvalidDraft, InvalidReview, QueueFilter
from app.services.ads import queue as ads_queue
from app.text.pii import mask_pii
from app.verify import verdict_store
from app.verify.rules import (
    CONDITION_IDS,
    RULES_SCHEMA_VERSION,
    InvalidRules,
    RuleSet,
    load_default_rules,
    parse_rule_set,
)
from app.verify.verifier import (
    VERDICTS_FILE,
    AdVerifier,
    checks_frame,
    load_ad_verifier,
    load_stored_ads,
    load_stored_checks,
)
from tests.conftest import copy_world_database

DRAFT = {
    "title": "사무 보조 직원 모집",
    "body": "문서 정리와 전화 응대 업무입니다.\n남녀 무관, 경력 무관\n주 5일 근무, 4대보험",
    "wage_type": "monthly",
    "wage": 2_500_000,
    "hours_per_week": 40,
    "year": 2026,
    "employer_name": "한빛상사",
    "contact": "02-123-4567",
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def template_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built world with no saved rule version and no review.

    The session's database is shared with the page tests; this module writes only its own copies.
    """
    url, _ = hiring_built
    path = tmp_path_factory.mktemp("ad_check_service") / "template.db"
    return copy_world_database(url, path, empty=("ad_reviews", "ad_rule_versions"))


@pytest.fixture(scope="module")
def engine(template_db: Path) -> Iterator[Engine]:
    """Read-only engine on the template (nothing in this module writes through it)."""
    engine = make_engine(f"sqlite:///{template_db}")
    yield engine
    engine.dispose()


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh copy of the template for one test that saves rules or reviews."""
    path = tmp_path / "store.db"
    shutil.copyfile(template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def verifier(hiring_built: tuple[str, Path]) -> AdVerifier:
    return load_ad_verifier(hiring_built[1])


@pytest.fixture(scope="module")
def checks(hiring_built: tuple[str, Path]) -> pd.DataFrame:
    """Verdicts of every stored posting recorded at the build (the queue starts from them)."""
    return load_stored_checks(hiring_built[1])


@pytest.fixture(scope="module")
def stored(engine: Engine) -> pd.DataFrame:
    return load_stored_ads(engine)


@pytest.fixture(scope="module")
def titles(stored: pd.DataFrame) -> pd.DataFrame:
    return stored[["posting_id", "title", "employer_name", "employer_id"]]


@pytest.fixture(scope="module")
def no_reviews(engine: Engine) -> pd.DataFrame:
    return ads.load_reviews(engine)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"select count(*) from {table}")).scalar_one())  # fixed names


def _default_data() -> dict:
    return yaml.safe_load(load_default_rules().to_yaml())


def _yaml_with(data: dict, rule_id: str, **changes: object) -> str:
    """``data`` (a rule set as a dict) with one rule or fixed check changed, as YAML."""
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))  # a deep copy
    rule = next(r for r in (*data["rules"], *data["conditions"]) if r["id"] == rule_id)
    rule.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _ids(cell: str) -> set[str]:
    return {part for part in str(cell).split(";") if part}


# --------------------------------------------------------------------------- rules


def test_committed_rules_apply_before_any_save(engine: Engine) -> None:
    default = load_default_rules()
    assert ads.active_rules(engine) == default and default.version == 1
    assert {r.id for r in default.rules} >= {"SEX_DISCRIM", "AGE_DISCRIM", "RRN_REQUEST", "APPLICANT_FEE"}
    history = ads.rule_history(engine)
    assert history.empty and list(history.columns) == ["version", "at", "username", "note", "changed_rules"]
    assert ads.rules_of_version(engine, 1) == default
    with pytest.raises(InvalidRules, match="규칙 버전 2을\\(를\\) 찾을 수 없습니다"):
        ads.rules_of_version(engine, 2)


@pytest.mark.parametrize(
    ("text_of", "note", "message"),
    [
        (lambda: "version: [1\nrules:", "정상적인 변경 사유입니다", "YAML 형식 오류"),
        (lambda: "- a\n- list\n", "정상적인 변경 사유입니다", "매핑이어야 합니다"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", patterns=["남자(만"]), "정상적인 변경 사유입니다", "정규식 오류"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", patterns=["남자 만"]), "정상적인 변경 사유입니다", "공백"),
        (lambda: _yaml_with(_default_data(), "AGE_DISCRIM", id="SEX_DISCRIM"), "정상적인 변경 사유입니다", "규칙 ID가 중복됩니다"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", severity="warn"), "정상적인 변경 사유입니다", "rules.0.severity"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", severity="review"), "짧음", "변경 사유를 5~300자로 적어 주세요 (입력: 2자)"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", severity="review"), "   사유    ", "(입력: 2자)"),
        (lambda: _yaml_with(_default_data(), "SEX_DISCRIM", severity="review"), "가" * 301, "(입력: 301자)"),
        (lambda: load_default_rules().to_yaml(), "아무것도 바꾸지 않음", "바뀐 규칙이 없습니다"),
        # the version written in the text is not a change
        (lambda: load_default_rules().to_yaml().replace("version: 1", "version: 9"), "버전 숫자만 바꿈", "바뀐 규칙이 없습니다"),
    ],
)
def test_save_rules_refuses_invalid_sets_and_writes_nothing(store: Engine, text_of, note: str, message: str) -> None:
    with pytest.raises(InvalidRules) as err:
        ads.save_rules(store, text_of(), username="policy-rules", note=note)
    assert message in str(err.value)
    assert _count(store, "ad_rule_versions") == 0
    assert ads.active_rules(store) == load_default_rules()


def test_the_rules_yaml_before_any_save_is_the_committed_set(engine: Engine) -> None:
    assert ads.parse_rule_set(ads.active_rules_yaml(engine)) == load_default_rules()


def test_the_rules_key_is_computed_once_per_rule_set_and_follows_its_content() -> None:
    rules = load_default_rules()
    key = ads.rules_key(rules)
    assert ads.rules_key(rules) == key
    # another object with the same content (e.g. read again from the database) has the same key,
    # whatever its version number; a changed rule gives another key
    again = ads.parse_rule_set(rules.to_yaml())
    assert again is not rules and ads.rules_key(again) == key
    assert ads.rules_key(rules.model_copy(update={"version": 7})) == key
    data = yaml.safe_load(rules.to_yaml())
    changed = ads.parse_rule_set(_yaml_with(data, "SEX_DISCRIM", severity="review"))
    assert ads.rules_key(changed) != key


def test_save_rules_writes_the_next_version_with_who_why_and_what(store: Engine) -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=5)
    # the version written in the text (99) is ignored: the new one is the newest + 1
    first = _yaml_with(_default_data(), "SEX_DISCRIM", severity="review").replace("version: 1", "version: 99")
    saved = ads.save_rules(store, first, username="policy-rules", note="  성별 규칙을 재검증으로 낮춤  ")
    assert isinstance(saved, RuleSet) and saved.version == 2
    active = ads.active_rules(store)
    assert active == saved and active.by_id()["SEX_DISCRIM"].severity == "review"

    # the next change is compared with version 2, not with the committed file
    data = yaml.safe_load(active.to_yaml())
    second = _yaml_with(_yaml_with_dict(data, "APPEARANCE", name="외모·신체 조건"), "DUPLICATE", severity="block")
    second = second.replace("version: 2", "version: 1")
    assert ads.save_rules(store, second, username="policy-other", note="외모 규칙 이름, 중복은 차단").version == 3

    history = ads.rule_history(store)
    assert list(history["version"]) == [3, 2]  # newest first
    assert list(history["username"]) == ["policy-other", "policy-rules"]
    assert list(history["note"]) == ["외모 규칙 이름, 중복은 차단", "성별 규칙을 재검증으로 낮춤"]
    assert list(history["changed_rules"]) == ["APPEARANCE,DUPLICATE", "SEX_DISCRIM"]
    assert all(before <= pd.Timestamp(at).to_pydatetime() <= before + dt.timedelta(minutes=5) for at in history["at"])

    v3 = ads.active_rules(store)
    assert v3.version == 3 and v3.by_id()["APPEARANCE"].name == "외모·신체 조건"
    # what the pages key the verifier by: the stored text of the set in force, read without parsing
    assert ads.parse_rule_set(ads.active_rules_yaml(store)) == ads.active_rules(store)
    assert v3.by_id()["DUPLICATE"].severity == "block" and v3.by_id()["SEX_DISCRIM"].severity == "review"
    assert ads.rules_of_version(store, 2).by_id()["APPEARANCE"].name == "용모·신체조건 요구"
    assert ads.rules_of_version(store, 2).version == 2
    assert ads.rules_of_version(store, 1) == load_default_rules()
    with sqlite3.connect(str(store.url.database)) as conn:
        stored_yaml = conn.execute("select rules_yaml from ad_rule_versions where version = 3").fetchone()[0]
    assert parse_rule_set(stored_yaml) == v3  # the text kept is the version in force, with its number
    assert ads.changed_rule_ids(load_default_rules(), v3) == ["APPEARANCE", "DUPLICATE", "SEX_DISCRIM"]


def _yaml_with_dict(data: dict, rule_id: str, **changes: object) -> dict:
    return yaml.safe_load(_yaml_with(data, rule_id, **changes))


def test_try_rules_checks_unsaved_text(engine: Engine, verifier: AdVerifier) -> None:
    hits = ads.try_rules(verifier, load_default_rules().to_yaml(), "", "남자만 지원")
    assert [(h["rule_id"], h["citation"], h["field"], h["evidence"]) for h in hits] == [
        ("SEX_DISCRIM", "남녀고용평등법 제7조 제1항", "body", "남자만")]
    assert ads.try_rules(verifier, load_default_rules().to_yaml(), "남녀 무관", "남자만 지원 (남녀 무관)") == []

    data = _default_data()
    data["rules"].append({
        "id": "NIGHT_ONLY", "family": "labour_standards", "name": "야간 전담", "law": "근로기준법", "article": "제70조",
        "severity": "review", "patterns": ["야간전담"], "explanation": "시험용 규칙입니다: 야간 전담 표현을 찾습니다.",
        "fix": "근무 시간을 구체적으로 적으세요.",
    })
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    hits = ads.try_rules(verifier, edited, "야간 전담 경비원", "")
    assert [(h["rule_id"], h["field"], h["evidence"], h["citation"]) for h in hits] == [
        ("NIGHT_ONLY", "title", "야간 전담", "근로기준법 제70조")]
    with pytest.raises(InvalidRules, match="정규식 오류"):
        ads.try_rules(verifier, _yaml_with(data, "NIGHT_ONLY", patterns=["야간("]), "야간 전담", "")
    # trying writes nothing and leaves the verifier's own rules alone
    assert ads.rule_history(engine).empty and verifier.rules == load_default_rules()


# --------------------------------------------------------------------------- drafts


def test_validate_draft_gives_a_korean_message_per_field() -> None:
    with pytest.raises(InvalidDraft) as err:
        ads.validate_draft({**DRAFT, "title": " 가 ", "body": "짧은 본문", "wage_type": "weekly", "wage": "2,500,000",
                                 "hours_per_week": 0, "year": 1999})
    assert err.value.errors == {
        "title": "공고 제목을(를) 2자 이상 적어 주세요",
        "body": "공고 본문을(를) 10자 이상 적어 주세요",
        "wage_type": "임금 형태: 임금 형태는 hourly, daily, monthly, annual 중 하나여야 합니다",
        "wage": "임금액은(는) 숫자여야 합니다 (입력값: 2,500,000)",
        "hours_per_week": "주당 근로시간 값이 허용 범위를 벗어났습니다 (입력값: 0)",
        "year": "게시 연도 값이 허용 범위를 벗어났습니다 (입력값: 1999)",
    }
    assert str(err.value).splitlines()[0] == "공고 제목을(를) 2자 이상 적어 주세요"
    with pytest.raises(InvalidDraft) as err:
        ads.validate_draft({**DRAFT, "wage": "abc", "hours_per_week": 81})
    assert err.value.errors == {"wage": "임금액은(는) 숫자여야 합니다 (입력값: abc)",
                                "hours_per_week": "주당 근로시간 값이 허용 범위를 벗어났습니다 (입력값: 81)"}
    with pytest.raises(InvalidDraft) as err:
        ads.validate_draft({**DRAFT, "title": "가" * 201})
    assert err.value.errors == {"title": "공고 제목은(는) 200자 이하여야 합니다"}
    draft = ads.validate_draft({**DRAFT, "title": "  사무 보조 직원 모집  ", "wage": "2500000"})
    assert draft.title == "사무 보조 직원 모집" and draft.wage == 2_500_000 and draft.hours_per_week == 40.0


def test_check_draft_verdicts(verifier: AdVerifier, stored: pd.DataFrame, checks: pd.DataFrame) -> None:
    clean = ads.check_draft(verifier, ads.validate_draft(DRAFT))
    assert clean.decision == "pass" and clean.hits == () and clean.duplicates == ()
    # a draft written unlike the (small) world's postings is outside the classifier's domain: it
    # abstains and says so; inside the domain it must score the lawful draft below the threshold
    if clean.ml_probability is None:
        assert any("AI 분류 모델" in note for note in clean.notes)
    else:
        assert clean.ml_probability < verifier.ml_threshold
    assert clean.ml_terms  # explained either way: the page shows the classifier's terms

    # no phone in the contact or the text: the recruiter cannot be identified
    no_phone = ads.check_draft(verifier, ads.validate_draft({**DRAFT, "contact": ""}))
    assert no_phone.decision == "review"
    assert [(h.rule_id, h.evidence) for h in no_phone.hits] == [("MISSING_IDENTITY", "전화번호 없음")]
    phone_in_body = ads.validate_draft({**DRAFT, "contact": "", "body": DRAFT["body"] + "\n문의 02-765-4321"})
    assert ads.check_draft(verifier, phone_in_body).decision == "pass"

    body = "물류센터 상하차 업무입니다.\n남자만 지원 가능합니다.\n주민등록등본을 제출해 주세요."
    unlawful = ads.check_draft(verifier, ads.validate_draft({**DRAFT, "title": "상하차 직원 모집", "body": body}))
    assert unlawful.decision == "block" and unlawful.score > 0.99
    assert [h.rule_id for h in unlawful.hits] == ["SEX_DISCRIM", "RRN_REQUEST"]
    for hit in unlawful.hits:
        assert hit.field == "body" and body[hit.start:hit.end] == hit.evidence
        assert hit.fix and hit.citation in unlawful.reasons()
    assert [h.evidence for h in unlawful.hits] == ["남자만", "주민등록등본"]
    assert unlawful.hits[0].citation == "남녀고용평등법 제7조 제1항"
    assert unlawful.hits[1].citation == "개인정보보호법 제24조의2"

    # 2,000,000원 a month for 40 hours is 9,569원 an hour: below the 2025 minimum of 10,030원
    low = ads.check_draft(verifier, ads.validate_draft({**DRAFT, "wage": 2_000_000, "year": 2025}))
    assert low.decision == "block" and [h.rule_id for h in low.hits] == ["BELOW_MIN_WAGE"]
    assert low.hits[0].evidence == "시간급 환산 9,569원 < 2025년 최저임금 10,030원"
    long_draft = ads.validate_draft({**DRAFT, "wage": 4_500_000, "hours_per_week": 60})
    long_hours = ads.check_draft(verifier, long_draft)
    assert long_hours.decision == "review" and [h.rule_id for h in long_hours.hits] == ["EXCESS_HOURS"]

    # a copy of a stored posting (another company's name and phone) is a duplicate of it
    passed = set(checks.loc[checks["decision"] == "pass", "posting_id"])
    source = stored[stored["posting_id"].isin(passed)].iloc[0]
    copy = ads.validate_draft({**DRAFT, "title": source["title"], "body": source["body"],
                                    "wage_type": source["wage_type"], "wage": int(source["wage"]),
                                    "hours_per_week": float(source["hours_per_week"]), "year": int(source["year"])})
    duplicate = ads.check_draft(verifier, copy)
    assert duplicate.decision == "review" and "DUPLICATE" in {h.rule_id for h in duplicate.hits}
    assert f"stored:{source['posting_id']}" in duplicate.duplicates


def test_draft_hash_depends_on_every_field() -> None:
    draft = ads.validate_draft(DRAFT)
    same = ads.validate_draft(dict(DRAFT))
    other = ads.validate_draft({**DRAFT, "contact": "02-123-4568"})
    assert ads.draft_hash(draft) == ads.draft_hash(same)
    assert ads.draft_hash(draft) != ads.draft_hash(other)
    assert len(ads.draft_hash(draft)) == 64 and "한빛상사" not in ads.draft_hash(draft)


# --------------------------------------------------------------------------- reviews


def _top_flagged(checks: pd.DataFrame) -> int:
    flagged = checks[checks["decision"] != "pass"].sort_values(["score", "posting_id"], ascending=[False, True])
    return int(flagged["posting_id"].iloc[0])


@pytest.mark.parametrize(
    ("decision", "comment", "posting", "message"),
    [
        ("maybe", "의견입니다", None, "검토 결과는 승인(게재), 반려(보류) 중 하나여야 합니다"),
        (None, "의견입니다", None, "검토 결과(승인 또는 반려)를 골라 주세요"),
        ("", "의견입니다", None, "검토 결과(승인 또는 반려)를 골라 주세요"),
        ("reject", "", None, "반려할 때는 사유를 5자 이상 적어 주세요"),
        ("reject", "  짧음  ", None, "반려할 때는 사유를 5자 이상 적어 주세요"),
        ("approve", "가" * 501, None, "의견은 500자 이하여야 합니다 (입력: 501자)"),
        ("reject", "없는 공고를 반려합니다", 999_999, "공고 #999999을(를) 찾을 수 없습니다"),
    ],
)
def test_save_review_refuses_bad_decisions_and_writes_nothing(
    store: Engine, verifier: AdVerifier, checks: pd.DataFrame, decision: str | None, comment: str, posting: int | None,
    message: str,
) -> None:
    posting_id = posting or _top_flagged(checks)
    _, verdict = ads.posting_verdict(store, verifier, _top_flagged(checks))
    with pytest.raises(InvalidReview) as err:
        ads.save_review(store, posting_id=posting_id, reviewer="policy-review", decision=decision, comment=comment,
                             verdict=verdict, rule_set_version=1)
    assert str(err.value) == message
    assert _count(store, "ad_reviews") == 0 and ads.count_reviews(store) == 0


def test_save_review_stores_the_reviewer_masked_comment_and_the_models_view(
    store: Engine, verifier: AdVerifier, checks: pd.DataFrame
) -> None:
    posting_id = _top_flagged(checks)
    ad, verdict = ads.posting_verdict(store, verifier, posting_id)
    assert int(ad["posting_id"]) == posting_id and verdict.decision != "pass"
    comment = "성별 제한 문구 삭제 요청. 담당 010-1234-5678로 연락"
    ads.save_review(store, posting_id=posting_id, reviewer="policy-review", decision="reject", comment=comment,
                         verdict=verdict, rule_set_version=1)
    (review,) = ads.load_reviews(store).to_dict("records")
    assert list(ads.load_reviews(store).columns) == list(REVIEW_COLUMNS)
    assert review["posting_id"] == posting_id and review["reviewer"] == "policy-review"
    assert review["decision"] == "reject"
    assert review["comment"] == mask_pii(comment) and "1234-5678" not in review["comment"]
    assert review["comment"].startswith("성별 제한 문구 삭제 요청.")
    assert review["model_decision"] == verdict.decision and review["model_score"] == pytest.approx(verdict.score)
    assert review["rule_ids"] == ";".join(dict.fromkeys(h.rule_id for h in verdict.hits))
    assert review["rule_ids"] and review["rule_set_version"] == 1

    # an approval that overrules the verifier carries its reason; the newest decision comes first
    other = int(checks.loc[(checks["decision"] != "pass") & (checks["posting_id"] != posting_id), "posting_id"].iloc[0])
    _, other_verdict = ads.posting_verdict(store, verifier, other)
    ads.save_review(store, posting_id=other, reviewer="policy-review2", decision="approve", comment="문구 확인, 문제 없음",
                         verdict=other_verdict, rule_set_version=3)
    reviews = ads.load_reviews(store)
    assert list(reviews["posting_id"]) == [other, posting_id] and ads.count_reviews(store) == 2
    assert reviews["comment"].iloc[0] == "문구 확인, 문제 없음" and reviews["rule_set_version"].iloc[0] == 3
    assert list(ads.load_reviews(store, posting_id)["reviewer"]) == ["policy-review"]


@pytest.mark.parametrize("model_decision", ["block", "review"])
def test_approving_a_flagged_ad_overrules_the_verifier_and_needs_a_reason(
    store: Engine, verifier: AdVerifier, checks: pd.DataFrame, model_decision: str
) -> None:
    posting_id = int(checks.loc[checks["decision"] == model_decision, "posting_id"].iloc[0])
    _, verdict = ads.posting_verdict(store, verifier, posting_id)
    assert verdict.decision == model_decision
    label = {"block": "차단", "review": "재검증"}[model_decision]
    for comment in ("", "   ", "괜찮음"):  # none, blank, under five characters
        with pytest.raises(InvalidReview) as err:
            ads.save_review(store, posting_id=posting_id, reviewer="policy-overrule", decision="approve", comment=comment,
                            verdict=verdict, rule_set_version=1)
        assert str(err.value) == f"모델 판정({label})과 다르게 승인하려면 사유를 5자 이상 적어 주세요"
    assert _count(store, "ad_reviews") == 0
    ads.save_review(store, posting_id=posting_id, reviewer="policy-overrule", decision="approve",
                    comment="지역 특산품 명칭일 뿐입니다", verdict=verdict, rule_set_version=1)
    assert ads.load_reviews(store)[["decision", "comment"]].values.tolist() == [["approve", "지역 특산품 명칭일 뿐입니다"]]


def test_rejecting_an_ad_the_verifier_passed_needs_a_reason_approving_it_does_not(
    store: Engine, verifier: AdVerifier, checks: pd.DataFrame
) -> None:
    posting_id = int(checks.loc[checks["decision"] == "pass", "posting_id"].iloc[0])
    _, verdict = ads.posting_verdict(store, verifier, posting_id)
    assert verdict.decision == "pass"
    with pytest.raises(InvalidReview, match="반려할 때는 사유를 5자 이상 적어 주세요"):
        ads.save_review(store, posting_id=posting_id, reviewer="policy-pass", decision="reject", comment="",
                        verdict=verdict, rule_set_version=1)
    ads.save_review(store, posting_id=posting_id, reviewer="policy-pass", decision="approve", comment="",
                    verdict=verdict, rule_set_version=1)
    assert ads.load_reviews(store)["decision"].tolist() == ["approve"]


def test_posting_verdict_matches_the_build_and_refuses_unknown_postings(
    engine: Engine, verifier: AdVerifier, checks: pd.DataFrame
) -> None:
    for posting_id in checks.loc[checks["decision"] != "pass", "posting_id"].head(5):
        ad, verdict = ads.posting_verdict(engine, verifier, int(posting_id))
        built = checks.set_index("posting_id").loc[int(posting_id)]
        assert verdict.decision == built["decision"] and verdict.reasons() == built["reasons"]
        assert verdict.score == pytest.approx(built["score"], abs=0.02)
        assert ad["title"] and ad["body"]
    with pytest.raises(LookupError, match="공고 #999999을\\(를\\) 찾을 수 없습니다"):
        ads.posting_verdict(engine, verifier, 999_999)


# --------------------------------------------------------------------------- queue


@pytest.fixture
def models_copy(hiring_built: tuple[str, Path], tmp_path: Path) -> Path:
    """A private copy of the built models (the queue keeps verdicts under the models directory)."""
    return Path(shutil.copytree(hiring_built[1], tmp_path / "models"))


def _frame_of(verifier: AdVerifier, stored: pd.DataFrame) -> pd.DataFrame:
    """A full verification of every stored posting (what the kept verdicts must equal)."""
    return checks_frame(stored, verifier.verify(stored, explain=False, exclude_self=True))


_COMPARED = ["posting_id", "decision", "score", "reasons", "rule_ids", "families", "laws", "cluster", "duplicates"]


def test_stored_verdicts_start_from_the_builds_and_a_restart_reuses_them(
    engine: Engine, verifier: AdVerifier, checks: pd.DataFrame, models_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (models_copy / VERDICTS_FILE).exists()
    table = ads.stored_verdicts(engine, verifier, models_dir=models_copy)
    pd.testing.assert_frame_equal(table[_COMPARED], checks[_COMPARED])
    assert len(table) == _count(engine, "postings")

    # under other rules, then "after a restart" (nothing in memory): read back, nothing verified
    relaxed = verifier.with_rules(parse_rule_set(_yaml_with(_default_data(), "SEX_DISCRIM", severity="review")))
    first = ads.stored_verdicts(engine, relaxed, models_dir=models_copy)
    assert list((models_copy / ads_queue.VERDICT_CACHE_DIR).glob("*.joblib"))

    def no_verification(*_: object, **__: object) -> None:
        raise AssertionError("verified again")

    monkeypatch.setattr(AdVerifier, "verify", no_verification)
    monkeypatch.setattr(verdict_store, "fresh_hits", no_verification)
    monkeypatch.setattr(ads_queue, "fresh_hits", no_verification)
    pd.testing.assert_frame_equal(ads.stored_verdicts(engine, relaxed, models_dir=models_copy), first)


@pytest.mark.parametrize(
    ("rule_id", "changes", "rescanned"),
    [
        ("SEX_DISCRIM", {"name": "성별 차별 금지", "fix": "성별을 적지 말고 업무에 필요한 조건만 적어 주세요."}, False),
        ("SEX_DISCRIM", {"severity": "review"}, False),
        ("BELOW_MIN_WAGE", {"severity": "review", "name": "최저임금 미달 의심"}, False),
        ("AGE_DISCRIM", {"patterns": ["만\\d{2}세이하", "\\d{2}세미만만"]}, True),
        ("SEX_DISCRIM", {"exceptions": []}, True),
    ],
)
def test_a_rule_change_carries_the_verdicts_over_as_a_full_verification_would(
    engine: Engine, verifier: AdVerifier, stored: pd.DataFrame, models_copy: Path, rule_id: str,
    changes: dict, rescanned: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = verifier.with_rules(parse_rule_set(_yaml_with(_default_data(), rule_id, **changes)))
    change = verdict_store.rule_change(verifier.rules, changed.rules)
    assert bool(change.rescan) == rescanned and (change.rescan | change.relabel) == {rule_id}
    calls: list[int] = []
    real = AdVerifier.verify
    monkeypatch.setattr(AdVerifier, "verify", lambda self, frame, **kw: calls.append(len(frame)) or real(self, frame, **kw))
    kept = ads.stored_verdicts(engine, changed, models_dir=models_copy)
    assert calls == []  # carried over from the build's verdicts: no posting verified in full
    monkeypatch.setattr(AdVerifier, "verify", real)
    full = _frame_of(changed, stored)
    pd.testing.assert_frame_equal(kept[_COMPARED], full[_COMPARED])


def test_a_rule_added_or_removed_is_carried_over_too(
    engine: Engine, verifier: AdVerifier, stored: pd.DataFrame, models_copy: Path
) -> None:
    data = _default_data()
    data["rules"] = [r for r in data["rules"] if r["id"] != "APPEARANCE"]
    without = verifier.with_rules(parse_rule_set(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
    pd.testing.assert_frame_equal(ads.stored_verdicts(engine, without, models_dir=models_copy)[_COMPARED],
                                  _frame_of(without, stored)[_COMPARED])
    # back to the default set, carried over from the set without the rule (the rule is run again)
    (models_copy / VERDICTS_FILE).unlink()
    memory: dict = {}
    back = ads.stored_verdicts(engine, verifier, models_dir=models_copy, memory=memory)
    pd.testing.assert_frame_equal(back[_COMPARED], _frame_of(verifier, stored)[_COMPARED])


def test_an_edited_posting_is_verified_again_on_its_own(
    store: Engine, verifier: AdVerifier, models_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory: dict = {}
    before = ads.stored_verdicts(store, verifier, models_dir=models_copy, memory=memory)
    posting_id = int(before.loc[before["decision"] == "pass", "posting_id"].iloc[0])
    with store.begin() as conn:  # a new version of the posting's text (what a posting edit stores)
        conn.execute(text("update postings set body = body || :extra where id = :id"),
                     {"extra": "\n남자만 지원 가능합니다.", "id": posting_id})
    calls: list[list[int]] = []
    real = AdVerifier.verify
    monkeypatch.setattr(AdVerifier, "verify",
                        lambda self, frame, **kw: calls.append(frame["posting_id"].tolist()) or real(self, frame, **kw))
    after = ads.stored_verdicts(store, verifier, models_dir=models_copy, memory=memory)
    assert calls == [[posting_id]]
    row = after.set_index("posting_id").loc[posting_id]
    assert row["decision"] == "block" and "SEX_DISCRIM" in _ids(row["rule_ids"])
    unchanged = after["posting_id"] != posting_id
    pd.testing.assert_frame_equal(after.loc[unchanged, _COMPARED], before.loc[unchanged, _COMPARED])


def test_queue_reasons_are_korean_rule_names_never_ids() -> None:
    rules = load_default_rules()
    assert ads.reason_names("SEX_DISCRIM;BELOW_MIN_WAGE", rules) == ["성별 차별", rules.by_id()["BELOW_MIN_WAGE"].name]
    assert ads.reason_names("", rules, 0.83) == ["AI 분류 모델 83%"]
    assert ads.reason_names("GONE_RULE", rules) == ["이전 규칙"]
    assert ads_queue.short_reasons(["가나", "다라", "마바", "사아"]) == "가나, 다라 외 2건"
    assert ads.ml_term_words([("형태소:20/SN", 0.4), ("형태소:세/NNB", 0.3), ("문자: 남자", 0.2), ("문자:남", 0.2),
                              ("메타:weekly_hours", 0.1), ("형태소:남자/NNG", 0.05)]) == ["20", "남자", "주당 근로시간"]


def test_review_queue_lists_flagged_postings_by_risk(
    checks: pd.DataFrame, titles: pd.DataFrame, no_reviews: pd.DataFrame
) -> None:
    queue = ads.review_queue(checks, no_reviews, titles, QueueFilter())
    flagged = checks[checks["decision"] != "pass"]
    assert 0 < len(queue) == len(flagged) < len(checks)
    assert set(queue["posting_id"]) == set(flagged["posting_id"]) and set(queue["decision"]) == {"review", "block"}
    assert queue["score"].is_monotonic_decreasing and (queue["review"] == "").all()
    names = titles.set_index("posting_id")
    assert list(queue["title"]) == list(names.loc[queue["posting_id"], "title"])
    assert list(queue["employer_name"]) == list(names.loc[queue["posting_id"], "employer_name"])

    table = ads.queue_table(queue, load_default_rules())
    assert list(table.columns) == ["공고 번호", "공고명", "판정", "사유", "위험 점수", "기업", "검토 결과"]
    assert not table["사유"].str.contains(r"[A-Z_]{4,}").any() and (table["사유"] != "").all()
    assert set(table["판정"]) == {"재검증", "차단"} and list(table["공고 번호"]) == list(queue["posting_id"])

    blocked = ads.review_queue(checks, no_reviews, titles, QueueFilter(decisions=("block",)))
    assert set(blocked["posting_id"]) == set(flagged.loc[flagged["decision"] == "block", "posting_id"])
    age = ads.review_queue(checks, no_reviews, titles, QueueFilter(rule_ids=("AGE_DISCRIM",)))
    assert 0 < len(age) < len(queue)
    has_age = flagged["rule_ids"].map(lambda c: "AGE_DISCRIM" in _ids(c))
    assert set(age["posting_id"]) == set(flagged.loc[has_age, "posting_id"])
    wage = ads.review_queue(checks, no_reviews, titles, QueueFilter(laws=("최저임금법",)))
    assert len(wage) > 0 and wage["reasons"].str.contains("BELOW_MIN_WAGE").all()
    privacy = ads.review_queue(checks, no_reviews, titles, QueueFilter(families=("privacy",)))
    assert len(privacy) > 0
    assert privacy["rule_ids"].map(lambda c: bool(_ids(c) & {"PERSONAL_INFO", "RRN_REQUEST"})).all()
    both = ads.review_queue(checks, no_reviews, titles,
                                 QueueFilter(decisions=("review",), rule_ids=("AGE_DISCRIM",)))
    assert set(both["posting_id"]) == set(age.loc[age["decision"] == "review", "posting_id"])
    assert ads.review_queue(checks, no_reviews, titles, QueueFilter(rule_ids=("NO_SUCH_RULE",))).empty


def test_review_queue_hides_reviewed_postings_unless_asked(
    store: Engine, verifier: AdVerifier, checks: pd.DataFrame, titles: pd.DataFrame
) -> None:
    queue = ads.review_queue(checks, ads.load_reviews(store), titles, QueueFilter())
    first, second = (int(p) for p in queue["posting_id"].head(2))
    for posting_id, decision in ((first, "approve"), (first, "reject"), (second, "approve")):
        _, verdict = ads.posting_verdict(store, verifier, posting_id)
        ads.save_review(store, posting_id=posting_id, reviewer="policy-queue", decision=decision,
                             comment="문구 확인 후 결정", verdict=verdict, rule_set_version=1)
    reviews = ads.load_reviews(store)
    waiting = ads.review_queue(checks, reviews, titles, QueueFilter())
    assert len(waiting) == len(queue) - 2 and not {first, second} & set(waiting["posting_id"])
    everything = ads.review_queue(checks, reviews, titles, QueueFilter(include_reviewed=True))
    assert list(everything["posting_id"]) == list(queue["posting_id"])
    latest = everything.set_index("posting_id")["review"]
    assert latest[first] == "reject" and latest[second] == "approve"  # the newest decision counts
    assert ads.queue_table(everything, load_default_rules()).set_index("공고 번호").loc[first, "검토 결과"] == "반려(보류)"


def test_law_filter_finds_every_law_a_rule_cites(
    checks: pd.DataFrame, titles: pd.DataFrame, no_reviews: pd.DataFrame
) -> None:
    appearance = set(checks.loc[checks["rule_ids"].map(lambda c: "APPEARANCE" in _ids(c)), "posting_id"])
    assert appearance
    hiring_law = ads.review_queue(checks, no_reviews, titles, QueueFilter(laws=("채용절차법",)))
    assert appearance <= set(hiring_law["posting_id"])


def test_queue_metrics_by_hand() -> None:
    checks = pd.DataFrame({"posting_id": range(1, 11),
                           "decision": ["pass"] * 5 + ["block", "block", "review", "review", "review"]})
    reviews = pd.DataFrame([  # newest first, as load_reviews returns them
        {"posting_id": 6, "decision": "reject", "model_decision": "block"},
        {"posting_id": 8, "decision": "approve", "model_decision": "review"},
        {"posting_id": 3, "decision": "approve", "model_decision": "pass"},  # not flagged: not counted
        {"posting_id": 9, "decision": "reject", "model_decision": "review"},
        {"posting_id": 8, "decision": "reject", "model_decision": "review"},  # older decision on 8
    ])
    metrics = ads.queue_metrics(checks, reviews)
    assert (metrics.n_postings, metrics.n_flagged, metrics.n_waiting, metrics.n_reviewed) == (10, 5, 2, 3)
    assert metrics.share_passed == pytest.approx(0.5)
    assert metrics.agreement == pytest.approx(2 / 3)  # 6 and 9 rejected, 8 approved at last
    assert metrics.agreement_block == pytest.approx(1.0) and metrics.agreement_review == pytest.approx(0.5)


def test_queue_metrics_before_any_review(checks: pd.DataFrame, no_reviews: pd.DataFrame) -> None:
    metrics = ads.queue_metrics(checks, no_reviews)
    flagged = int((checks["decision"] != "pass").sum())
    counts = (metrics.n_postings, metrics.n_flagged, metrics.n_waiting, metrics.n_reviewed)
    assert counts == (len(checks), flagged, flagged, 0)
    assert metrics.share_passed == pytest.approx(1 - flagged / len(checks))
    assert all(math.isnan(v) for v in (metrics.agreement, metrics.agreement_block, metrics.agreement_review))
    assert math.isnan(ads.queue_metrics(checks, pd.DataFrame()).agreement)


def test_family_labels_are_korean() -> None:
    assert ads.family_label("discrimination") == "차별" and ads.family_label("platform") == "운영 기준"
    assert ads.family_label("unknown") == "unknown"


# --------------------------------------------------------------------------- rule-set format versions


def _schema_one_yaml(version: int) -> str:
    """A rule set as saved before ``schema_version`` existed, configuring only two fixed checks."""
    data = yaml.safe_load(load_default_rules().to_yaml())
    data.pop("schema_version")
    data["version"] = version
    data["conditions"] = [c for c in data["conditions"] if c["id"] in ("BELOW_MIN_WAGE", "EXCESS_HOURS")]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_stored_versions_of_an_older_format_are_read_and_migrated(store: Engine) -> None:
    old = _schema_one_yaml(2)
    with store.begin() as conn:
        conn.execute(text("INSERT INTO ad_rule_versions (version, at, username, note, rules_yaml, changed_rules) "
                             "VALUES (2, '2026-01-05 10:00:00', 'policy1', '예전 형식', :y, 'AGE_DISCRIM')"), {"y": old})
    rules = ads.active_rules(store)  # read on the fly: the new fixed checks come from the committed file
    assert rules.version == 2 and rules.schema_version == RULES_SCHEMA_VERSION
    assert {c.id for c in rules.conditions} == set(CONDITION_IDS)
    assert ads.migrate_stored_rule_sets(store) == 1
    with store.connect() as conn:
        stored_text = conn.execute(text("SELECT rules_yaml FROM ad_rule_versions WHERE version = 2")).scalar_one()
    assert yaml.safe_load(stored_text)["schema_version"] == RULES_SCHEMA_VERSION
    assert ads.rules_of_version(store, 2) == rules
    assert ads.migrate_stored_rule_sets(store) == 0  # idempotent


def test_a_rule_set_of_a_newer_format_is_refused_in_korean() -> None:
    data = yaml.safe_load(load_default_rules().to_yaml())
    data["schema_version"] = RULES_SCHEMA_VERSION + 1
    with pytest.raises(InvalidRules, match="더 새로운 형식"):
        parse_rule_set(data)


def test_two_postings_with_the_same_text_keep_their_own_verdicts(stored: pd.DataFrame) -> None:
    """The earlier of two identical postings is the original, the later its duplicate: the kept
    verdicts are filed by id and content, never by content alone."""
    pair = pd.concat([stored.head(1), stored.head(1).assign(id="999999", posting_id=999_999)])
    first, second = verdict_store.posting_fingerprints(pair)
    assert first != second
    edited = stored.head(1).assign(body=stored["body"].iloc[0] + " ")
    assert verdict_store.posting_fingerprints(edited) != verdict_store.posting_fingerprints(stored.head(1))
