"""Posting writing assistant (구인공고 AI 작성지원) with the built models.

Covers :mod:`app.services.posting_assistant` end to end on the small world: occupation top-3
(:func:`classify_occupation`, the build's accuracy), the request and the offline draft, PII
masking of generated text that keeps the employer's own contact and workplace, the fallback from
a language-model draft the verifier blocks, the live review (mandatory checklist, findings per
section, "문제 문구 삭제"), edits validation, the hiring preview, and :func:`save_posting` (one
transaction, employer-only, refused when blocked) on a private database copy. Also the pieces of
:mod:`app.ml.occupation` the assistant relies on (top-k accuracy, reference documents, held-out
split) with a small hand-fitted classifier. Fake generators stand in for language models: no
network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, func, select, text

from app.db import orm
from app.db.engine import make_engine
from app.labour import monthly_equivalent
from app.llm.base import SECTIONS, FallbackGenerator, GenerationError, GenerationResult, PostingDraft, PostingRequest
from app.llm.offline import BACKEND_NAME as OFFLINE_NAME
from app.llm.offline import OfflineGenerator
from app.ml import manifest
from app.ml.hiring import load_hiring_model
from app.ml.occupation import (
    TEST_SHARE,
    OccupationClassifier,
    fit_occupation_classifier,
    held_out_mask,
    load_occupation_classifier,
    load_posting_texts,
    posting_text,
    reference_documents,
    top_k_accuracy,
)
from app.reference.tables import load_reference
from app.services import hiring
from app.services.posting.answers import STEPS, AssistantAnswers, parse_answer, validate_answers
from app.services.posting.assistant import (
    MAX_SECTION_CHARS,
    POSTING_DAYS,
    PRESENCE_ITEMS,
    DraftReview,
    InvalidPosting,
    PostingAccessDenied,
    classify_occupation,
    compose_draft,
    draft_hash,
    employer_profile,
    hiring_preview,
    make_request,
    mandatory_checklist,
    mask_draft,
    occupation_options,
    preview_conditions,
    remove_flagged_lines,
    review_draft,
    save_posting,
    section_findings,
    validate_edits,
    verify_text,
    welfare_names,
)
from app.text.pii import find_pii
from app.verify.verifier import AdVerifier, load_ad_verifier
from tests.conftest import copy_world_database

YEAR = 2026  # verification year (the minimum-wage table has it)
KECO = "532"  # 식당 서비스원
COMPANY = "마포한식당"
CONTACT = "02-333-4444"
DISCRIMINATION_LINE = "- 25세 이하 여성만 지원 가능"
CHECKLIST_KEYS = (*PRESENCE_ITEMS, "min_wage", "max_hours", "lawful_text")


def _answers(**overrides: str) -> AssistantAnswers:
    """Validated answers: each step's example unless overridden."""
    values: dict[str, object] = {}
    for step in STEPS:
        values.update(parse_answer(step.key, overrides.get(step.key, step.example)))
    return validate_answers(values)


def _request(answers: AssistantAnswers, keco: str = KECO) -> PostingRequest:
    return make_request(answers, keco, company_name=COMPANY)


def _offline(request: PostingRequest) -> PostingDraft:
    return compose_draft(OfflineGenerator(), request).draft


def _items(review: DraftReview) -> dict[str, bool]:
    return {item.key: item.ok for item in review.checklist}


def _hit_ids(review: DraftReview) -> set[str]:
    return {h.rule_id for h in review.verdict.hits}


class FakeGenerator:
    """A language-model stand-in: returns a fixed draft under its own backend name."""

    def __init__(self, draft: PostingDraft, name: str = "가짜 언어모델") -> None:
        self.draft = draft
        self.name = name
        self.calls = 0

    def generate(self, request: PostingRequest) -> GenerationResult:
        self.calls += 1
        return GenerationResult(draft=self.draft, backend=self.name, notices=("모델 메모",))


class FailingGenerator:
    name = "고장난 서버"

    def generate(self, request: PostingRequest) -> GenerationResult:
        raise GenerationError("시간 초과")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def models(hiring_built: tuple[str, Path]) -> Path:
    return hiring_built[1]


@pytest.fixture(scope="module")
def classifier(models: Path) -> OccupationClassifier:
    return load_occupation_classifier(models)


@pytest.fixture(scope="module")
def verifier(models: Path) -> AdVerifier:
    return load_ad_verifier(models)


@pytest.fixture(scope="module")
def answers() -> AssistantAnswers:
    return _answers()


@pytest.fixture(scope="module")
def request_(answers: AssistantAnswers) -> PostingRequest:
    return _request(answers)


@pytest.fixture(scope="module")
def draft(request_: PostingRequest) -> PostingDraft:
    return _offline(request_)


@pytest.fixture
def engine(hiring_built: tuple[str, Path], tmp_path: Path):
    """A writable private copy of the built world (the shared database is not changed)."""
    path = copy_world_database(hiring_built[0], tmp_path / "save.db")
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def two_employers(employer_ids: dict[str, int]) -> tuple[int, int]:
    ids = sorted(set(employer_ids.values()))
    assert len(ids) >= 2
    return ids[0], ids[1]


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(orm.Posting)).scalar_one())


# --------------------------------------------------------------------------- occupation


def test_classify_kitchen_helper(classifier: OccupationClassifier) -> None:
    guesses = classify_occupation(classifier, _answers(job="주방 보조 / 설거지, 식재료 손질"))
    assert len(guesses) == 3
    probabilities = [g.probability for g in guesses]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0 < p <= 1 for p in probabilities)
    assert sum(probabilities) <= 1 + 1e-9
    codes = [g.keco_code for g in guesses]
    assert len(set(codes)) == 3
    assert {"532", "531"} & set(codes)
    names = occupation_options()
    for guess in guesses:
        assert names[guess.keco_code].startswith(guess.name)


def test_classify_care_worker(classifier: OccupationClassifier) -> None:
    guesses = classify_occupation(classifier, _answers(job="요양보호사 / 어르신 식사 및 목욕 보조"))
    assert "550" in [g.keco_code for g in guesses]


def test_classify_software_developer_top1(classifier: OccupationClassifier) -> None:
    guesses = classify_occupation(classifier, _answers(job="소프트웨어 개발자 / 자바 백엔드 개발"))
    assert guesses[0].keco_code == "133"
    assert guesses[0].name == "소프트웨어 개발자"


def test_classify_k_and_terms(classifier: OccupationClassifier) -> None:
    answers = _answers(job="소프트웨어 개발자 / 자바 백엔드 개발")
    assert len(classify_occupation(classifier, answers, k=5)) == 5
    source = posting_text(answers.job_title, "\n".join(answers.duties))
    top = classify_occupation(classifier, answers, k=1)[0]
    assert top.terms
    assert all(term.strip() and term.strip() in source for term in top.terms)


def test_build_metrics_of_the_classifier(models: Path, classifier: OccupationClassifier) -> None:
    recorded = manifest.load_manifest(models)
    assert recorded is not None
    metrics = recorded["models"]["occupation_classifier"]["metrics"]
    assert metrics["top3_test"] >= 0.95
    assert metrics["top1_test"] >= 0.80
    assert metrics["top3_test"] >= metrics["top1_test"]
    assert metrics["n_classes"] == len(load_reference().occupations)
    assert classifier.metrics["top1_test"] == metrics["top1_test"]


def test_occupation_options_cover_the_reference() -> None:
    options = occupation_options()
    occupations = load_reference().occupations
    assert set(options) == set(occupations["keco_code"].astype(str))
    assert options[KECO].startswith("식당 서비스원 · ")
    assert not any(code in label for code, label in options.items())  # no code on screen
    assert len(set(options.values())) == len(options)


# --------------------------------------------------------------------------- request and offline draft


def test_make_request_from_answers(answers: AssistantAnswers, request_: PostingRequest) -> None:
    assert request_.company_name == COMPANY
    assert request_.occupation.keco_code == KECO
    assert request_.region == "서울특별시" and request_.workplace == "마포구 월드컵로 10"
    assert request_.benefits == ("4대보험", "퇴직금", "식사 제공", "명절 상여금")
    assert request_.contact == CONTACT
    assert request_.min_career_years == 1 and request_.career == "경력"
    assert (request_.wage_type, request_.wage_amount, request_.weekly_hours) == ("monthly", 2_500_000, 40.0)


def test_make_request_defaults() -> None:
    answers = _answers(company="없음", requirements="신입 가능")
    request = make_request(answers, KECO, company_name="   ", default_contact="02-111-2222")
    assert request.company_name == "(회사명)"
    assert request.contact == "02-111-2222"
    assert request.min_career_years == 0
    # the employer's own contact wins over the default
    assert make_request(_answers(), KECO, company_name=COMPANY, default_contact="02-111-2222").contact == CONTACT


def test_make_request_unknown_occupation(answers: AssistantAnswers) -> None:
    with pytest.raises(KeyError, match="알 수 없는 직종 코드"):
        make_request(answers, "999", company_name=COMPANY)


def test_welfare_names_in_code_order() -> None:
    assert welfare_names(["W10", "W01", "W99"]) == ["4대보험", "명절 상여금"]


def test_offline_draft_passes_review(verifier: AdVerifier, request_: PostingRequest) -> None:
    composed = compose_draft(OfflineGenerator(), request_, verifier=verifier, year=YEAR)
    assert composed.backend == OFFLINE_NAME
    assert composed.fell_back is False
    assert composed.notices == ()
    review = review_draft(verifier, composed.draft, request_, year=YEAR)
    assert review.verdict.decision == "pass"
    assert review.verdict.hits == ()
    assert tuple(i.key for i in review.checklist) == CHECKLIST_KEYS
    assert all(item.ok for item in review.checklist), review.missing
    assert set(PRESENCE_ITEMS) <= {i.key for i in review.checklist if i.ok}
    assert review.missing == []
    assert review.findings == {}
    assert review.can_save is True


def test_offline_draft_states_the_answers(draft: PostingDraft) -> None:
    assert "월 250만원" in draft.conditions
    assert "주 40시간" in draft.conditions
    assert "모집 인원: 2명" in draft.conditions
    assert "서울특별시 마포구 월드컵로 10" in draft.conditions
    assert CONTACT in draft.documents
    for duty in ("설거지", "식재료 손질", "주방 정리"):
        assert f"- {duty}" in draft.duties
    assert all(getattr(draft, key).strip() for key in SECTIONS)


def test_offline_draft_is_deterministic(request_: PostingRequest, draft: PostingDraft) -> None:
    again = _offline(request_)
    assert again == draft
    assert draft_hash(again, KECO) == draft_hash(draft, KECO)
    assert draft_hash(draft, KECO) != draft_hash(draft, "531")
    assert len(draft_hash(draft, KECO)) == 64


def test_checklist_items_have_basis_and_hint(draft: PostingDraft, request_: PostingRequest) -> None:
    items = mandatory_checklist(draft, request_, None)
    assert len(items) == 15
    assert len({i.key for i in items}) == 15
    assert all(i.label and i.basis and i.hint for i in items)
    assert all(i.ok for i in items)  # without a verdict the law checks are not failed


# --------------------------------------------------------------------------- findings and edits


@pytest.fixture(scope="module")
def discriminating(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> tuple[PostingDraft, DraftReview]:
    edited = validate_edits(draft, {"requirements": draft.requirements + "\n" + DISCRIMINATION_LINE})
    return edited, review_draft(verifier, edited, request_, year=YEAR)


def test_discriminating_line_blocks(discriminating: tuple[PostingDraft, DraftReview]) -> None:
    _, review = discriminating
    assert review.verdict.decision == "block"
    assert {"SEX_DISCRIM", "AGE_DISCRIM"} <= _hit_ids(review)
    for hit in review.verdict.hits:
        if hit.rule_id in ("SEX_DISCRIM", "AGE_DISCRIM"):
            assert hit.fix.strip()
            assert hit.field == "body"
    assert set(review.findings) == {"requirements"}
    assert {h.rule_id for h in review.findings["requirements"]} == {"SEX_DISCRIM", "AGE_DISCRIM"}
    items = _items(review)
    assert items["lawful_text"] is False
    assert [i.key for i in review.missing] == ["lawful_text"]
    assert review.can_save is False


def test_finding_spans_point_into_the_section(discriminating: tuple[PostingDraft, DraftReview]) -> None:
    edited, review = discriminating
    evidence = {h.rule_id: edited.requirements[h.start:h.end] for h in review.findings["requirements"]}
    assert evidence == {"SEX_DISCRIM": "여성만", "AGE_DISCRIM": "25세 이하"}


def test_remove_flagged_lines_then_passes(
    verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest, discriminating: tuple[PostingDraft, DraftReview]
) -> None:
    edited, review = discriminating
    cleaned = remove_flagged_lines(edited.requirements, review.findings["requirements"])
    assert cleaned == draft.requirements
    assert cleaned.split("\n") == [line for line in edited.requirements.split("\n") if line != DISCRIMINATION_LINE]
    again = review_draft(verifier, validate_edits(edited, {"requirements": cleaned}), request_, year=YEAR)
    assert again.verdict.decision == "pass"
    assert again.findings == {}
    assert again.can_save is True


def test_remove_flagged_lines_without_hits_keeps_text() -> None:
    assert remove_flagged_lines("- 가\n- 나", []) == "- 가\n- 나"


def test_flagged_title_is_found(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> None:
    flagged = draft.replace(title="여성만 지원 가능 주방 보조 채용")
    findings = section_findings(flagged, verify_text(verifier, flagged, request_))
    assert "title" in findings
    assert "SEX_DISCRIM" in {h.rule_id for h in findings["title"]}


def test_resident_registration_document(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> None:
    edited = validate_edits(draft, {"documents": draft.documents + "\n- 주민등록등본 제출"})
    review = review_draft(verifier, edited, request_, year=YEAR)
    assert "RRN_REQUEST" in _hit_ids(review)
    assert "documents" in review.findings
    assert "RRN_REQUEST" in {h.rule_id for h in review.findings["documents"]}
    assert _items(review)["lawful_text"] is False


def test_wage_below_minimum(verifier: AdVerifier) -> None:
    request = _request(_answers(pay="시급 5,000원"))
    review = review_draft(verifier, _offline(request), request, year=YEAR)
    assert "BELOW_MIN_WAGE" in _hit_ids(review)
    hit = next(h for h in review.verdict.hits if h.rule_id == "BELOW_MIN_WAGE")
    assert hit.field == "wage"
    assert "10,320원" in hit.evidence  # the 2026 minimum
    items = _items(review)
    assert items["min_wage"] is False
    assert items["lawful_text"] is True  # a condition, not wording
    assert review.can_save is False


def test_excess_hours(verifier: AdVerifier) -> None:
    request = _request(_answers(schedule="주 6일, 주 60시간", pay="월 400만원"))
    review = review_draft(verifier, _offline(request), request, year=YEAR)
    assert "EXCESS_HOURS" in _hit_ids(review)
    assert "BELOW_MIN_WAGE" not in _hit_ids(review)
    items = _items(review)
    assert items["max_hours"] is False
    assert items["min_wage"] is True
    assert review.verdict.decision == "review"
    assert review.can_save is True


def test_deleting_the_contact_line(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> None:
    documents = "\n".join(line for line in draft.documents.split("\n") if CONTACT not in line)
    review = review_draft(verifier, validate_edits(draft, {"documents": documents}), request_, year=YEAR)
    assert [i.key for i in review.missing] == ["contact"]


def test_clearing_process(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> None:
    review = review_draft(verifier, validate_edits(draft, {"process": ""}), request_, year=YEAR)
    assert [i.key for i in review.missing] == ["process"]
    assert review.can_save is True


@pytest.mark.parametrize(
    ("field", "keep", "item"),
    [
        ("conditions", lambda line: "고용형태" not in line, "employment_type"),
        ("conditions", lambda line: "모집 인원" not in line, "headcount"),
        ("conditions", lambda line: "주 40시간" not in line, "hours"),
    ],
)
def test_deleting_a_condition_line(draft: PostingDraft, request_: PostingRequest, field: str, keep, item: str) -> None:
    edited = validate_edits(draft, {field: "\n".join(filter(keep, getattr(draft, field).split("\n")))})
    missing = [i.key for i in mandatory_checklist(edited, request_, None) if not i.ok]
    assert item in missing


def _without_wage_line(draft: PostingDraft) -> PostingDraft:
    return draft.replace(conditions="\n".join(line for line in draft.conditions.split("\n") if "임금" not in line))


def test_deleting_the_wage_line_hourly_precondition() -> None:
    """The wage is then nowhere in the text (precondition of the test below)."""
    request = _request(_answers(pay="시급 11,400원"))
    draft = _offline(request)
    body = _without_wage_line(draft).body()
    assert "11,400" not in body and "11400" not in body and "시급" not in body


def test_deleting_the_wage_line_hourly() -> None:
    request = _request(_answers(pay="시급 11,400원"))
    draft = _offline(request)
    edited = _without_wage_line(draft)
    assert {i.key: i.ok for i in mandatory_checklist(edited, request, None)}["wage"] is False


def test_deleting_the_wage_line_monthly(draft: PostingDraft, request_: PostingRequest) -> None:
    edited = _without_wage_line(draft)
    assert {i.key: i.ok for i in mandatory_checklist(edited, request_, None)}["wage"] is False


def _stored_duplicate(engine: Engine, verifier: AdVerifier, base: PostingRequest) -> tuple[PostingDraft, PostingRequest, DraftReview]:
    """A stored world posting re-used verbatim whose only hit is DUPLICATE."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.*, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id "
            "ORDER BY p.id LIMIT 60")).mappings().all()
    for row in rows:
        draft = PostingDraft(title=row["title"], **{key: row[key] or "" for key in SECTIONS})
        request = dataclasses.replace(base, company_name=row["employer_name"], contact=row["contact"],
                                      wage_type=row["wage_type"], wage_amount=int(row["wage_amount"]),
                                      weekly_hours=float(row["weekly_hours"]))
        review = review_draft(verifier, draft, request, year=int(row["year"]))
        if _hit_ids(review) == {"DUPLICATE"}:
            return draft, request, review
    pytest.fail("no stored posting with only a DUPLICATE hit")


def test_copy_of_a_stored_posting_is_a_duplicate(
    hiring_built: tuple[str, Path], verifier: AdVerifier, request_: PostingRequest
) -> None:
    shared = make_engine(hiring_built[0])
    try:
        _, _, review = _stored_duplicate(shared, verifier, request_)
    finally:
        shared.dispose()
    assert review.verdict.decision == "review"
    assert review.verdict.duplicates
    assert review.findings == {}  # no wording is flagged in any section
    assert review.can_save is True


def test_duplicate_is_not_unlawful_wording(
    hiring_built: tuple[str, Path], verifier: AdVerifier, request_: PostingRequest
) -> None:
    shared = make_engine(hiring_built[0])
    try:
        _, _, review = _stored_duplicate(shared, verifier, request_)
    finally:
        shared.dispose()
    assert _items(review)["lawful_text"] is True


# --------------------------------------------------------------------------- validate_edits


@pytest.mark.parametrize(
    ("edits", "fragment"),
    [
        ({"title": ""}, "제목을 2자 이상"),
        ({"title": "   가  "}, "제목을 2자 이상"),
        ({"title": "가" * 201}, "200자 이하"),
        ({"salary": "월 300만원"}, "알 수 없는 항목"),
        ({"duties": ""}, "담당 업무"),
        ({"benefits": "가" * (MAX_SECTION_CHARS + 1)}, "복리후생"),
        ({"documents": "가" * 3_001}, "3,000자 이하"),
    ],
)
def test_validate_edits_rejects(draft: PostingDraft, edits: dict[str, str], fragment: str) -> None:
    with pytest.raises(InvalidPosting, match=fragment):
        validate_edits(draft, edits)


def test_validate_edits_applies_and_strips(draft: PostingDraft) -> None:
    updated = validate_edits(draft, {"title": "  새 제목  ", "benefits": "가" * MAX_SECTION_CHARS, "preferred": None})
    assert updated.title == "새 제목"
    assert updated.benefits == "가" * MAX_SECTION_CHARS
    assert updated.preferred == ""
    assert updated.duties == draft.duties
    assert validate_edits(draft, {}) == draft


# --------------------------------------------------------------------------- masking and fallback


def test_generated_personal_data_is_masked_but_employer_contact_kept(request_: PostingRequest, draft: PostingDraft) -> None:
    leaked = draft.replace(company_intro=draft.company_intro + " 담당자 개인 휴대폰 010-9876-5432, 이메일 hong@example.com")
    generator = FakeGenerator(leaked)
    composed = compose_draft(generator, request_)
    assert generator.calls == 1
    assert composed.backend == "가짜 언어모델"
    assert composed.fell_back is False
    out = composed.draft
    assert "9876" not in out.company_intro and "hong@" not in out.company_intro
    assert not [s for s in find_pii(out.company_intro) if s.kind in ("phone", "email")]
    assert CONTACT in out.documents  # the employer's own contact stays
    assert "서울특별시 마포구 월드컵로 10" in out.conditions  # and so does the workplace
    assert composed.notices[0] == "모델 메모"
    assert any("개인정보" in n for n in composed.notices)
    assert "(1개 항목)" in composed.notices[-1]
    assert out.documents == draft.documents and out.conditions == draft.conditions


def test_mask_draft_counts_changed_fields(request_: PostingRequest, draft: PostingDraft) -> None:
    assert mask_draft(draft, request_) == (draft, 0)
    leaked = draft.replace(title=draft.title + " 010-9876-5432", process=draft.process + "\n담당 010-1111-2222")
    masked, n = mask_draft(leaked, request_)
    assert n == 2
    assert "9876" not in masked.title and "1111" not in masked.process
    assert masked.duties == draft.duties


def test_employer_mobile_as_contact_is_kept() -> None:
    request = _request(_answers(company="동네 한식당. 010-2222-3333"))
    base = _offline(request)
    leaked = base.replace(conditions=base.conditions + "\n연락처 010-2222-3333\n담당 010-9999-8888")
    masked, _ = mask_draft(leaked, request)
    assert "010-2222-3333" in masked.conditions and "010-2222-3333" in masked.documents
    assert "9999" not in masked.conditions


def test_blocked_model_draft_is_replaced_by_offline(verifier: AdVerifier, request_: PostingRequest, draft: PostingDraft) -> None:
    unlawful = draft.replace(requirements=draft.requirements + "\n- 남자만 지원 가능")
    composed = compose_draft(FakeGenerator(unlawful), request_, verifier=verifier, year=YEAR)
    assert composed.backend == OFFLINE_NAME
    assert composed.fell_back is True
    assert composed.draft == draft
    assert any("차단" in n and "가짜 언어모델" in n for n in composed.notices)
    assert review_draft(verifier, composed.draft, request_, year=YEAR).verdict.decision == "pass"


def test_blocked_model_draft_without_verifier_is_kept(request_: PostingRequest, draft: PostingDraft) -> None:
    unlawful = draft.replace(requirements=draft.requirements + "\n- 남자만 지원 가능")
    composed = compose_draft(FakeGenerator(unlawful), request_)
    assert composed.backend == "가짜 언어모델"
    assert composed.fell_back is False
    assert "남자만" in composed.draft.requirements


def test_model_draft_kept_when_offline_is_blocked_too(verifier: AdVerifier) -> None:
    """Below the minimum wage both drafts block: the offline one is no better, so no swap."""
    request = _request(_answers(pay="시급 5,000원"))
    model_draft = _offline(request).replace(title="주방 보조 급구")
    composed = compose_draft(FakeGenerator(model_draft), request, verifier=verifier, year=YEAR)
    assert composed.backend == "가짜 언어모델"
    assert composed.fell_back is False
    assert composed.draft.title == "주방 보조 급구"


def test_lawful_model_draft_is_kept(verifier: AdVerifier, request_: PostingRequest, draft: PostingDraft) -> None:
    model_draft = draft.replace(title="[마포한식당] 주방 보조 정규직 모집")
    composed = compose_draft(FakeGenerator(model_draft), request_, verifier=verifier, year=YEAR)
    assert (composed.backend, composed.fell_back) == ("가짜 언어모델", False)
    assert composed.draft == model_draft
    assert composed.notices == ("모델 메모",)


def test_failed_backend_falls_back_with_notice(verifier: AdVerifier, request_: PostingRequest, draft: PostingDraft) -> None:
    composed = compose_draft(FallbackGenerator(FailingGenerator(), OfflineGenerator()), request_, verifier=verifier,
                             year=YEAR)
    assert composed.backend == OFFLINE_NAME
    assert composed.fell_back is True
    assert composed.draft == draft
    assert any("고장난 서버" in n and "시간 초과" in n for n in composed.notices)


# --------------------------------------------------------------------------- hiring preview


def test_preview_conditions_score(models: Path, answers: AssistantAnswers, draft: PostingDraft) -> None:
    raw = preview_conditions(answers, KECO, draft, size_code="S2")
    assert raw["keco_code"] == KECO and raw["region_code"] == "11"
    assert raw["wage_amount"] == 2_500_000 and raw["weekly_hours"] == 40.0
    assert raw["min_career_years"] == 1
    assert raw["welfare_codes"] == ["W01", "W02", "W04", "W10"]
    assert raw["n_sections"] == 8
    assert raw["body_chars"] == len(draft.body())
    assert 1 <= raw["open_month"] <= 12
    conditions = hiring.validate_conditions(raw)
    prediction = hiring.predict(conditions, load_hiring_model(models))
    assert 0 < prediction.probability < 1
    assert prediction.probability_low <= prediction.probability <= prediction.probability_high


def test_preview_counts_only_filled_sections(answers: AssistantAnswers, draft: PostingDraft) -> None:
    raw = preview_conditions(_answers(requirements="신입 가능"), KECO, draft.replace(preferred="", benefits=""),
                             size_code="S1")
    assert raw["n_sections"] == 6
    assert raw["min_career_years"] == 0 and raw["career"] == "신입"


# --------------------------------------------------------------------------- save


def _save(engine: Engine, employer_id: int | None, answers: AssistantAnswers, draft: PostingDraft, review: DraftReview,
          keco: str = KECO, today: dt.date | None = dt.date(2026, 3, 2)) -> int:
    return save_posting(engine, employer_id=employer_id, answers=answers, keco_code=keco, draft=draft, review=review,
                        today=today)


@pytest.fixture(scope="module")
def passing_review(verifier: AdVerifier, draft: PostingDraft, request_: PostingRequest) -> DraftReview:
    review = review_draft(verifier, draft, request_, year=YEAR)
    assert review.can_save
    return review


def test_save_posting_stores_the_row(
    engine: Engine, two_employers: tuple[int, int], answers: AssistantAnswers, draft: PostingDraft,
    passing_review: DraftReview,
) -> None:
    owner, other = two_employers
    before = _count(engine)
    posting_id = _save(engine, owner, answers, draft, passing_review)
    assert isinstance(posting_id, int)
    assert _count(engine) == before + 1
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM postings WHERE id = :id"), {"id": posting_id}).mappings().one()
    assert row["employer_id"] == owner
    assert row["source"] == "assistant"
    assert row["keco_code"] == KECO
    assert row["region_code"] == "11"
    assert row["title"] == draft.title
    assert row["body"] == draft.body()
    for key in SECTIONS:
        assert row[key] == getattr(draft, key)
    open_date, close_date = dt.date.fromisoformat(str(row["open_date"])), dt.date.fromisoformat(str(row["close_date"]))
    assert open_date == dt.date(2026, 3, 2)
    assert (close_date - open_date).days == POSTING_DAYS == 30
    assert row["year"] == 2026
    assert row["wage_monthly"] == int(round(float(monthly_equivalent("monthly", 2_500_000, 40.0)))) == 2_500_000
    assert (row["wage_type"], row["wage_amount"], row["weekly_hours"]) == ("monthly", 2_500_000, 40.0)
    assert (row["employment_type"], row["career"], row["min_career_years"], row["education"]) == ("정규직", "경력", 1, "고졸")
    assert row["welfare_codes"] == "W01;W02;W04;W10"
    assert row["headcount"] == 2
    assert row["contact"] == CONTACT

    own = hiring.load_employer_postings(engine, owner)
    assert posting_id in set(own["id"])
    assert own.loc[own["id"] == posting_id, "filled_30d"].iloc[0] is None
    assert posting_id not in set(hiring.load_employer_postings(engine, other)["id"])
    assert posting_id in set(hiring.load_employer_postings(engine, None)["id"])  # staff see every posting
    # the classifier's training text never includes the assistant's own (classifier-labelled) drafts
    assert posting_id not in set(load_posting_texts(engine)["id"])


def test_save_hourly_wage_monthly_equivalent(engine: Engine, two_employers: tuple[int, int], verifier: AdVerifier) -> None:
    answers = _answers(pay="시급 11,000원", schedule="주 5일 10시~4시", type="알바 1명")
    request = _request(answers)
    draft = _offline(request)
    review = review_draft(verifier, draft, request, year=YEAR)
    posting_id = _save(engine, two_employers[0], answers, draft, review)
    expected = int(round(float(monthly_equivalent("hourly", 11_000, answers.weekly_hours))))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT wage_monthly, weekly_hours, employment_type FROM postings WHERE id = :id"),
                           {"id": posting_id}).one()
    assert row.wage_monthly == expected
    assert (row.weekly_hours, row.employment_type) == (27.5, "시간제")


def test_save_without_contact_uses_employer_phone(
    engine: Engine, two_employers: tuple[int, int], verifier: AdVerifier, passing_review: DraftReview, draft: PostingDraft,
) -> None:
    answers = _answers(company="없음")
    owner = two_employers[0]
    posting_id = _save(engine, owner, answers, draft, passing_review, today=None)
    phone = employer_profile(engine, owner).phone
    with engine.connect() as conn:
        row = conn.execute(text("SELECT contact, open_date, close_date FROM postings WHERE id = :id"),
                           {"id": posting_id}).one()
    assert row.contact == phone
    assert dt.date.fromisoformat(str(row.open_date)) == dt.date.today()
    assert (dt.date.fromisoformat(str(row.close_date)) - dt.date.today()).days == 30


def test_save_requires_an_employer(engine: Engine, answers: AssistantAnswers, draft: PostingDraft,
                                   passing_review: DraftReview) -> None:
    before = _count(engine)
    with pytest.raises(PostingAccessDenied, match="구인기업 계정"):
        _save(engine, None, answers, draft, passing_review)
    assert _count(engine) == before


def test_save_unknown_employer(engine: Engine, answers: AssistantAnswers, draft: PostingDraft,
                               passing_review: DraftReview) -> None:
    before = _count(engine)
    with pytest.raises(PostingAccessDenied, match="기업 계정 정보"):
        _save(engine, 999_999, answers, draft, passing_review)
    assert _count(engine) == before
    with pytest.raises(PostingAccessDenied):
        employer_profile(engine, 999_999)


def test_save_blocked_review_is_refused(
    engine: Engine, two_employers: tuple[int, int], answers: AssistantAnswers,
    discriminating: tuple[PostingDraft, DraftReview],
) -> None:
    edited, review = discriminating
    before = _count(engine)
    with pytest.raises(InvalidPosting, match="차단"):
        _save(engine, two_employers[0], answers, edited, review)
    assert _count(engine) == before


def test_save_unknown_occupation(engine: Engine, two_employers: tuple[int, int], answers: AssistantAnswers,
                                 draft: PostingDraft, passing_review: DraftReview) -> None:
    before = _count(engine)
    with pytest.raises(InvalidPosting, match="직종 코드"):
        _save(engine, two_employers[0], answers, draft, passing_review, keco="999")
    assert _count(engine) == before


def test_save_empty_title_is_refused(engine: Engine, two_employers: tuple[int, int], answers: AssistantAnswers,
                                     draft: PostingDraft, passing_review: DraftReview) -> None:
    before = _count(engine)
    with pytest.raises(InvalidPosting, match="제목"):
        _save(engine, two_employers[0], answers, draft.replace(title=""), passing_review)
    assert _count(engine) == before


def test_employer_profile(engine: Engine, two_employers: tuple[int, int]) -> None:
    owner = two_employers[0]
    profile = employer_profile(engine, owner)
    with engine.connect() as conn:
        name, phone, size = conn.execute(text("SELECT name, phone, size_code FROM employers WHERE id = :id"),
                                         {"id": owner}).one()
    assert (profile.id, profile.name, profile.phone, profile.size_code) == (owner, name, phone, size)


# --------------------------------------------------------------------------- occupation module


TINY_TEXTS = [
    posting_text("주방 보조", "설거지\n식재료 손질"),
    posting_text("홀 서빙", "주문 받기\n음식 나르기"),
    posting_text("요양보호사", "어르신 목욕 보조"),
    posting_text("자바 개발자", "백엔드 API 개발"),
]
TINY_CODES = ["532", "532", "550", "133"]


@pytest.fixture(scope="module")
def tiny_classifier() -> OccupationClassifier:
    return fit_occupation_classifier(TINY_TEXTS, TINY_CODES, load_reference(), seed=0)


def test_reference_documents_cover_every_occupation() -> None:
    reference = load_reference()
    texts, codes = reference_documents(reference)
    assert len(texts) == len(codes)
    occupations = reference.occupations
    assert set(codes) == set(occupations["keco_code"].astype(str))
    pairs = set(zip(texts, codes, strict=True))
    for code, name in zip(occupations["keco_code"].astype(str), occupations["name"].astype(str), strict=True):
        assert (name, code) in pairs


def test_tiny_classifier_covers_every_occupation(tiny_classifier: OccupationClassifier) -> None:
    assert set(tiny_classifier.model.classes_.astype(str)) == set(load_reference().occupations["keco_code"].astype(str))
    probs = tiny_classifier.probabilities(TINY_TEXTS)
    assert probs.shape == (4, len(tiny_classifier.model.classes_))
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_top_k_accuracy_bounds(tiny_classifier: OccupationClassifier) -> None:
    accuracy = top_k_accuracy(tiny_classifier, TINY_TEXTS, np.array(TINY_CODES))
    assert set(accuracy) == {"top1", "top3"}
    assert all(0.0 <= v <= 1.0 for v in accuracy.values())
    assert accuracy["top1"] <= accuracy["top3"]
    expected_top1 = np.mean([tiny_classifier.top_k(t, 1)[0].keco_code == c for t, c in zip(TINY_TEXTS, TINY_CODES, strict=True)])
    assert accuracy["top1"] == pytest.approx(expected_top1)


def test_top_k_accuracy_exact_shares(tiny_classifier: OccupationClassifier) -> None:
    """Labels chosen from each text's own ranking: 2 of 4 right at top-1, 3 of 4 within top-3."""
    ranked = [[g.keco_code for g in tiny_classifier.top_k(t, 4)] for t in TINY_TEXTS]
    labels = np.array([ranked[0][0], ranked[1][0], ranked[2][1], ranked[3][3]])
    accuracy = top_k_accuracy(tiny_classifier, TINY_TEXTS, labels, ks=(1, 2, 3))
    assert accuracy == {"top1": 0.5, "top2": 0.75, "top3": 0.75}


def test_top_k_accuracy_of_nothing(tiny_classifier: OccupationClassifier) -> None:
    accuracy = top_k_accuracy(tiny_classifier, [], np.array([]))
    assert set(accuracy) == {"top1", "top3"} and all(math.isnan(v) for v in accuracy.values())


def test_held_out_mask_is_a_reproducible_fifth() -> None:
    ids = np.arange(1, 101)
    mask = held_out_mask(ids, 7)
    assert mask.dtype == bool and mask.sum() == round(len(ids) * TEST_SHARE) == 20
    assert np.array_equal(mask, held_out_mask(ids, 7))
    assert not np.array_equal(mask, held_out_mask(ids, 8))


def test_posting_text() -> None:
    assert posting_text("주방 보조", "설거지") == "주방 보조\n설거지"


def test_hiring_preview_scores_the_draft_as_the_model_does(models: Path, answers: AssistantAnswers,
                                                           draft: PostingDraft) -> None:
    model = load_hiring_model(models)
    direct = hiring.predict(hiring.validate_conditions(preview_conditions(answers, KECO, draft, size_code="S2")), model)
    preview = hiring_preview(model, answers, KECO, draft, size_code="S2")
    assert preview.probability == direct.probability
    assert preview.input_hash == direct.input_hash


# --------------------------------------------------------------------------- warm-up


def test_the_warm_up_loads_what_the_first_review_needs(verifier: AdVerifier) -> None:
    """The page runs it in a thread while the employer answers: afterwards the verifier's Kiwi
    analyser is loaded, so the first real draft's review does not pay for it."""
    from app.services.posting import warm_up_draft_review
    from app.verify import kiwi

    warm_up_draft_review(verifier)
    assert kiwi._KIWI is not None
