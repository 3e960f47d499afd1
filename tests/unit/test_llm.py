"""Posting text generation (:mod:`app.llm`): the interface, three backends and the factory.

Covered here, all offline and deterministic (no network beyond 127.0.0.1, nothing downloaded):

* the types of :mod:`app.llm.base` — :class:`PostingDraft` helpers, the Korean prompt and
  :class:`FallbackGenerator`;
* the offline composer (:mod:`app.llm.offline`) — complete, deterministic, grounded drafts that
  carry the employer's facts (wage, hours, region, headcount, contact) and only lawful content
  (no 사진 / 주민등록 / 등본 / 가족관계 documents, 4대보험 only from 15 hours a week);
* :func:`parse_model_json` — the repairs it makes and the replies it rejects;
* the OpenAI-compatible backend against a local ``ThreadingHTTPServer`` that answers well, with
  broken JSON, too slowly, with HTTP 500, with a non-JSON body, or not at all;
* the transformers backend on a tiny GPT-2 built in the test session from a BPE tokenizer trained
  on a few dozen sentences (random weights: its output is gibberish, so it must fall back);
* :func:`make_generator` for each ``GOYONG_LLM_BACKEND``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings, get_settings
from app.llm.base import (
    DRAFT_KEYS,
    SECTION_LABELS,
    SECTIONS,
    FallbackGenerator,
    GenerationError,
    GenerationResult,
    OccupationKnowledge,
    PostingDraft,
    PostingRequest,
    parse_model_json,
    prompt_messages,
)
from app.llm.factory import make_generator
from app.llm.offline import BACKEND_NAME, OfflineGenerator, occupation_knowledge, work_schedule
from app.llm.openai_compat import MAX_REPLY_BYTES, OpenAICompatibleGenerator
from app.llm.transformers_local import TransformersGenerator
from app.text.korean import format_wage

FORBIDDEN_DOCUMENTS = ("사진", "주민등록", "등본", "가족관계")

# ---------------------------------------------------------------------------------------------
# Requests and shared helpers
# ---------------------------------------------------------------------------------------------


def _restaurant_request(**changes: Any) -> PostingRequest:
    """시간제 주방 보조 at 한빛식당 (식당 서비스원, KECO 532), 25 h a week at 11,000원 an hour."""
    request = PostingRequest(
        company_name="한빛식당", company_line="", job_title="주방 보조", duties=("설거지", "식재료 손질"),
        occupation=occupation_knowledge("532"), region="서울특별시", workplace="마포구", employment_type="시간제",
        weekly_hours=25, wage_type="hourly", wage_amount=11_000, headcount=2, contact="02-333-4444",
    )
    return dataclasses.replace(request, **changes)


def _developer_request(**changes: Any) -> PostingRequest:
    """정규직 백엔드 개발자 (소프트웨어 개발자, KECO 133), 40 h a week at 월 250만원, no duties written."""
    request = PostingRequest(
        company_name="누리소프트", company_line="", job_title="백엔드 개발자", duties=(),
        occupation=occupation_knowledge("133"), region="경기도", workplace="성남시 분당구", employment_type="정규직",
        weekly_hours=40, wage_type="monthly", wage_amount=2_500_000, headcount=3, contact="031-123-4567",
        career="경력", min_career_years=3, education="대졸",
    )
    return dataclasses.replace(request, **changes)


@pytest.fixture(scope="module")
def offline() -> OfflineGenerator:
    return OfflineGenerator()


@pytest.fixture(scope="module")
def restaurant() -> PostingRequest:
    return _restaurant_request()


@pytest.fixture(scope="module")
def developer() -> PostingRequest:
    return _developer_request()


@pytest.fixture(scope="module")
def restaurant_draft(offline: OfflineGenerator, restaurant: PostingRequest) -> PostingDraft:
    return offline.generate(restaurant).draft


@pytest.fixture(scope="module")
def developer_draft(offline: OfflineGenerator, developer: PostingRequest) -> PostingDraft:
    return offline.generate(developer).draft


def _fallback_draft(request: PostingRequest) -> PostingDraft:
    return OfflineGenerator().generate(request).draft


MODEL_DRAFT: dict[str, str] = {
    "title": "[한빛식당] 주방 보조 시간제 직원 모집",
    "company_intro": "한빛식당은 마포구의 한식당입니다.",
    "duties": "- 설거지\n- 식재료 손질",
    "requirements": "- 학력 무관",
    "preferred": "- 주방 근무 경험자",
    "conditions": "- 시급 11,000원\n- 주 25시간",
    "benefits": "- 4대보험 가입",
    "process": "서류 검토 → 면접",
    "documents": "이력서 1부",
}
"""A complete, valid draft as a language model would return it."""


class _Failing:
    """A primary backend that always fails with ``reason``."""

    name = "테스트 백엔드"

    def __init__(self, reason: str = "일부러 실패") -> None:
        self.reason = reason
        self.calls = 0

    def generate(self, request: PostingRequest) -> GenerationResult:
        self.calls += 1
        raise GenerationError(self.reason)


# ---------------------------------------------------------------------------------------------
# app.llm.base: the draft type, the prompt and the fallback wrapper
# ---------------------------------------------------------------------------------------------


def test_section_keys_and_labels() -> None:
    assert len(SECTIONS) == 8
    assert DRAFT_KEYS == ("title", *SECTIONS)
    assert set(SECTION_LABELS) == set(SECTIONS)
    assert SECTION_LABELS["duties"] == "담당 업무"
    assert SECTION_LABELS["documents"] == "제출 서류"


def test_layout_offsets_point_at_each_field_in_the_body(restaurant_draft: PostingDraft) -> None:
    draft = restaurant_draft.replace(preferred="", title="  주방 보조 모집  ")
    body, offsets = draft.layout()
    assert body == draft.body()
    assert "preferred" not in offsets  # an empty section has no place in the body
    assert set(offsets) == {"title", *(k for k in SECTIONS if getattr(draft, k).strip())}
    for key, start in offsets.items():
        text = getattr(draft, key).strip()
        assert body[start:start + len(text)] == text, key


def test_draft_sections_body_and_replace() -> None:
    draft = PostingDraft(**MODEL_DRAFT)
    assert list(draft.sections()) == list(SECTIONS)
    assert draft.sections()["duties"] == "- 설거지\n- 식재료 손질"

    edited = draft.replace(title="새 제목", preferred="", unknown_key="무시")
    assert edited.title == "새 제목"
    assert edited.duties == draft.duties
    assert draft.title == MODEL_DRAFT["title"]  # the original is unchanged (frozen)

    body = edited.body()
    assert body.splitlines()[0] == "새 제목"
    assert "【담당 업무】\n- 설거지\n- 식재료 손질" in body
    assert "【우대 사항】" not in body  # empty sections are left out
    assert body.count("【") == 7
    assert body.index("【회사 소개】") < body.index("【담당 업무】") < body.index("【제출 서류】")


def test_prompt_messages_are_korean_and_carry_the_request(developer: PostingRequest) -> None:
    messages = prompt_messages(developer)
    assert [m["role"] for m in messages] == ["system", "user"]
    system = messages[0]["content"]
    assert "구인공고" in system
    for word in ("주민등록번호", "사진", "가족관계증명서", "JSON"):
        assert word in system
    head, payload = messages[1]["content"].split("\n", 1)
    assert "구인공고" in head
    data = json.loads(payload)
    assert data["회사명"] == "누리소프트"
    assert data["직종(KECO)"] == "소프트웨어 개발자 (133)"
    assert data["임금"] == {"형태": "monthly", "금액(원)": 2_500_000}
    assert data["주당 근로시간"] == 40
    assert data["경력"] == "경력 3년 이상"
    assert data["근무지"] == "경기도 성남시 분당구"
    assert data["담당 업무"] == []
    assert "소프트웨어·시스템 개발" in data["직종의 대표 업무"]


def test_fallback_generator_passes_a_working_primary_through(offline: OfflineGenerator,
                                                             restaurant: PostingRequest) -> None:
    expected = GenerationResult(draft=PostingDraft(**MODEL_DRAFT), backend="좋은 백엔드", notices=("메모",))

    class _Working:
        name = "좋은 백엔드"

        def generate(self, request: PostingRequest) -> GenerationResult:
            return expected

    wrapper = FallbackGenerator(_Working(), offline)
    assert wrapper.name == "좋은 백엔드"
    assert wrapper.generate(restaurant) is expected


def test_fallback_generator_answers_offline_with_a_notice(offline: OfflineGenerator, restaurant: PostingRequest,
                                                          restaurant_draft: PostingDraft) -> None:
    primary = _Failing("서버가 꺼져 있습니다")
    wrapper = FallbackGenerator(primary, offline)
    assert wrapper.name == "테스트 백엔드"
    result = wrapper.generate(restaurant)
    assert primary.calls == 1
    assert result.draft == restaurant_draft
    assert result.backend == BACKEND_NAME
    assert len(result.notices) == 1
    notice = result.notices[0]
    assert notice.startswith("테스트 백엔드")
    assert "실패" in notice and "기본(오프라인) 문안" in notice and "서버가 꺼져 있습니다" in notice


def test_fallback_notice_comes_before_the_offline_notices(offline: OfflineGenerator) -> None:
    bare = OccupationKnowledge(keco_code="000", name="시험 직종")  # no duties in the reference
    request = _restaurant_request(occupation=bare)
    result = FallbackGenerator(_Failing(), offline).generate(request)
    assert len(result.notices) == 2
    assert "기본(오프라인) 문안" in result.notices[0]
    assert "대표 업무 정보가 없어" in result.notices[1]


# ---------------------------------------------------------------------------------------------
# app.llm.offline: reference grounding and the work schedule
# ---------------------------------------------------------------------------------------------


def test_occupation_knowledge_reads_the_reference_tables() -> None:
    restaurant = occupation_knowledge("532")
    assert restaurant.keco_code == "532"
    assert restaurant.name == "식당 서비스원"
    assert restaurant.duties and all(restaurant.duties)
    assert restaurant.education == "무관"
    developer = occupation_knowledge(133)  # type: ignore[arg-type]  # codes are normalised to text
    assert developer.name == "소프트웨어 개발자"
    assert "정보처리기사" in developer.certificates
    assert developer.education == "대졸"


def test_unknown_occupation_code_raises_key_error() -> None:
    with pytest.raises(KeyError, match="알 수 없는 직종 코드"):
        occupation_knowledge("99999")


@pytest.mark.parametrize(
    ("hours", "days", "time"),
    [
        (40, "주 5일(월~금)", "09:00~18:00 (휴게 1시간)"),  # 8 h a day: one hour break (근로기준법 §54)
        (25, "주 5일(월~금)", "10:00~15:30 (휴게 30분)"),  # 5 h a day: 30 minutes
        (15, "주 3일(요일 협의)", "10:00~15:30 (휴게 30분)"),
        (12, "주 2일(요일 협의)", "09:00~15:30 (휴게 30분)"),  # 6 h a day starts at 09:00
        (10, "주 2일(요일 협의)", "10:00~15:30 (휴게 30분)"),
        (6, "주 2일(요일 협의)", "10:00~13:00"),  # 3 h a day: no break owed
        (50, "주 6일(월~토)", "09:00~18:20 (휴게 1시간)"),
    ],
)
def test_work_schedule(hours: float, days: str, time: str) -> None:
    assert work_schedule(hours) == (days, time)


# ---------------------------------------------------------------------------------------------
# app.llm.offline: the composer
# ---------------------------------------------------------------------------------------------


def test_offline_draft_fills_every_section(offline: OfflineGenerator, restaurant: PostingRequest,
                                           developer: PostingRequest) -> None:
    for request in (restaurant, developer):
        result = offline.generate(request)
        assert result.backend == BACKEND_NAME == offline.name == "기본(오프라인) 작성기"
        assert result.notices == ()
        assert result.draft.title.strip()
        for key, text in result.draft.sections().items():
            assert text.strip(), f"{key} is empty"


def test_offline_draft_is_deterministic(restaurant: PostingRequest, restaurant_draft: PostingDraft) -> None:
    again = [OfflineGenerator().generate(_restaurant_request()).draft for _ in range(3)]
    assert all(draft == restaurant_draft for draft in again)
    assert all(draft.body() == restaurant_draft.body() for draft in again)


def test_different_requests_get_different_wording(restaurant_draft: PostingDraft,
                                                  developer_draft: PostingDraft) -> None:
    assert restaurant_draft != developer_draft
    assert restaurant_draft.title != developer_draft.title
    assert restaurant_draft.duties != developer_draft.duties
    assert restaurant_draft.conditions != developer_draft.conditions


def test_phrasing_varies_between_companies(offline: OfflineGenerator) -> None:
    """Same answers from twenty companies: the title is not one template for all of them."""
    shapes = set()
    for i in range(20):
        company = f"회사{i:02d}"
        title = offline.generate(_restaurant_request(company_name=company)).draft.title
        assert company in title and "주방 보조" in title
        shapes.add(title.replace(company, "{company}"))
    assert len(shapes) >= 2


@pytest.mark.parametrize(
    ("make", "wage", "hours", "employment", "headcount", "region"),
    [
        (_restaurant_request, "시급 11,000원", "주 25시간", "시간제", "2명", "서울특별시 마포구"),
        (_developer_request, "월 250만원", "주 40시간", "정규직", "3명", "경기도 성남시 분당구"),
    ],
)
def test_offline_body_carries_the_employer_facts(offline: OfflineGenerator, make, wage: str, hours: str,
                                                 employment: str, headcount: str, region: str) -> None:
    request = make()
    assert format_wage(request.wage_type, request.wage_amount) == wage
    draft = offline.generate(request).draft
    body = draft.body()
    for fact in (wage, hours, employment, headcount, region, request.contact, request.company_name,
                 request.job_title):
        assert fact in body, fact
    assert f"고용형태: {employment}" in draft.conditions
    assert f"모집 인원: {headcount}" in draft.conditions
    assert f"근무지: {region}" in draft.conditions
    assert request.contact in draft.documents


def test_hourly_wage_mentions_weekly_holiday_pay_from_15_hours(offline: OfflineGenerator) -> None:
    assert "(주휴수당 별도)" in offline.generate(_restaurant_request(weekly_hours=25)).draft.conditions
    assert "주휴수당" not in offline.generate(_restaurant_request(weekly_hours=10)).draft.conditions
    assert "주휴수당" not in offline.generate(_developer_request()).draft.conditions  # monthly wage


def test_given_work_days_and_time_are_kept(offline: OfflineGenerator) -> None:
    draft = offline.generate(_restaurant_request(work_days="주 5일(화~토)", work_time="11:00~16:30")).draft
    assert "근무시간: 주 25시간, 11:00~16:30" in draft.conditions
    assert "근무요일: 주 5일(화~토)" in draft.conditions
    default = offline.generate(_restaurant_request()).draft
    assert "근무시간: 주 25시간, 10:00~15:30 (휴게 30분)" in default.conditions
    assert "근무요일: 주 5일(월~금)" in default.conditions


@pytest.mark.parametrize(
    "request_",
    [
        _restaurant_request(),
        _developer_request(),
        _developer_request(requirements=("정보처리기사 자격 필수",), preferred=("클라우드 경험",)),
        _restaurant_request(career="신입", education="고졸", benefits=("식사 제공",)),
    ],
    ids=["restaurant", "developer", "developer-cert", "restaurant-new"],
)
def test_documents_are_lawful(offline: OfflineGenerator, request_: PostingRequest) -> None:
    draft = offline.generate(request_).draft
    for word in FORBIDDEN_DOCUMENTS:
        assert word not in draft.documents, word
        assert word not in draft.body(), word
    assert draft.documents.startswith("이력서 1부, 자기소개서 1부")
    assert "채용절차법 제11조" in draft.documents
    assert "채용절차법 제10조" in draft.process and "채용절차법 제9조" in draft.process


def test_documents_follow_career_and_certificates(offline: OfflineGenerator) -> None:
    plain = offline.generate(_restaurant_request()).draft.documents
    assert "경력증명서" not in plain and "자격증 사본" not in plain
    experienced = offline.generate(_developer_request()).draft.documents
    assert "경력증명서 1부" in experienced and "자격증 사본" not in experienced
    certified = offline.generate(_developer_request(requirements=("정보처리기사 소지자",))).draft.documents
    assert "자격증 사본 1부" in certified


def test_employer_duties_come_first_then_occupation_duties(restaurant: PostingRequest,
                                                           restaurant_draft: PostingDraft) -> None:
    lines = restaurant_draft.duties.splitlines()
    assert all(line.startswith("- ") for line in lines)
    assert lines[:2] == ["- 설거지", "- 식재료 손질"]
    grounded = [line for line in lines[2:] if any(phrase in line for phrase in restaurant.occupation.duties)]
    assert grounded, "no occupation duty was added"
    assert len(lines) <= 6


def test_occupation_duties_fill_in_when_the_employer_gave_none(developer: PostingRequest,
                                                               developer_draft: PostingDraft) -> None:
    assert developer.duties == ()
    lines = developer_draft.duties.splitlines()
    from_reference = [p for p in developer.occupation.duties if any(p in line for line in lines)]
    assert len(from_reference) >= 2
    assert "- 소프트웨어·시스템 개발 업무" in lines
    assert len(lines) >= 3


def test_occupation_without_duties_gets_a_notice(offline: OfflineGenerator) -> None:
    bare = OccupationKnowledge(keco_code="000", name="시험 직종")
    result = offline.generate(_restaurant_request(occupation=bare))
    assert result.notices == ("'시험 직종' 직종의 대표 업무 정보가 없어 입력하신 업무만 적었습니다.",)
    lines = result.draft.duties.splitlines()
    assert lines[:2] == ["- 설거지", "- 식재료 손질"]
    assert len(lines) == 3  # the employer's two lines and one closing line


@pytest.mark.parametrize(("hours", "owed"), [(10, False), (14.5, False), (15, True), (25, True), (40, True)])
def test_statutory_insurance_from_15_hours_a_week(offline: OfflineGenerator, hours: float, owed: bool) -> None:
    benefits = offline.generate(_restaurant_request(weekly_hours=hours)).draft.benefits
    assert ("4대보험" in benefits) is owed
    assert ("퇴직금" in benefits) is owed
    assert "연차유급휴가" in benefits


def test_statutory_benefits_are_not_duplicated(offline: OfflineGenerator) -> None:
    benefits = offline.generate(_restaurant_request(benefits=("4대보험", "식사 제공", "연차"))).draft.benefits
    assert benefits.count("4대보험") == 1
    assert benefits.count("연차") == 1
    assert "- 식사 제공" in benefits.splitlines()
    daily = offline.generate(_restaurant_request(employment_type="일용직")).draft.benefits
    assert "4대보험" in daily and "퇴직금" not in daily


def test_requirements_state_career_and_education(offline: OfflineGenerator, developer_draft: PostingDraft) -> None:
    assert "- 관련 경력 3년 이상" in developer_draft.requirements.splitlines()
    assert "3년 이상" in developer_draft.requirements
    assert "4년제 대학 졸업 이상" in developer_draft.requirements
    newcomer = offline.generate(_restaurant_request(career="신입")).draft.requirements
    assert "신입 지원 가능" in newcomer and "학력 무관" in newcomer
    own = offline.generate(_restaurant_request(requirements=("보건증 소지",))).draft.requirements
    assert "- 보건증 소지" in own.splitlines()


def test_preferred_uses_reference_certificates(developer: PostingRequest, developer_draft: PostingDraft) -> None:
    assert any(cert in developer_draft.preferred for cert in developer.occupation.certificates[:2])
    assert "소프트웨어 개발자 관련 업무 경험자" in developer_draft.preferred


def test_intro_uses_company_line_or_a_grounded_sentence(offline: OfflineGenerator,
                                                        restaurant_draft: PostingDraft) -> None:
    assert restaurant_draft.company_intro.startswith("한빛식당은 서울특별시에 있는 식당 서비스원 분야의")
    own = offline.generate(_restaurant_request(company_line="30년 전통의 한식당")).draft.company_intro
    assert own.startswith("30년 전통의 한식당. ")


def test_intro_sentences_are_separated_by_a_full_stop(offline: OfflineGenerator) -> None:
    intro = offline.generate(_restaurant_request(company_line="마포구에서 20년째 영업 중인 식당입니다")).draft.company_intro
    assert intro.startswith("마포구에서 20년째 영업 중인 식당입니다. ")


# ---------------------------------------------------------------------------------------------
# parse_model_json: repairs and rejections
# ---------------------------------------------------------------------------------------------


def test_valid_json_is_taken_as_is(restaurant_draft: PostingDraft) -> None:
    draft, notes = parse_model_json(json.dumps(MODEL_DRAFT, ensure_ascii=False), fallback=restaurant_draft)
    assert draft == PostingDraft(**MODEL_DRAFT)
    assert notes == []


def test_whitespace_is_stripped_and_unknown_keys_ignored(restaurant_draft: PostingDraft) -> None:
    reply = dict(MODEL_DRAFT, title="  주방 보조 모집  ", salary_note="무시됨", extra=[1, 2])
    draft, notes = parse_model_json(json.dumps(reply, ensure_ascii=False), fallback=restaurant_draft)
    assert draft.title == "주방 보조 모집"
    assert notes == []


@pytest.mark.parametrize("fence", ["```json", "```"])
def test_code_fenced_reply_is_accepted(restaurant_draft: PostingDraft, fence: str) -> None:
    reply = f"{fence}\n{json.dumps(MODEL_DRAFT, ensure_ascii=False, indent=2)}\n```"
    draft, notes = parse_model_json(reply, fallback=restaurant_draft)
    assert draft == PostingDraft(**MODEL_DRAFT)
    assert notes == []


def test_prose_around_the_object_is_dropped_with_a_note(restaurant_draft: PostingDraft) -> None:
    reply = f"다음은 요청하신 공고입니다:\n{json.dumps(MODEL_DRAFT, ensure_ascii=False)}\n도움이 되었길 바랍니다."
    draft, notes = parse_model_json(reply, fallback=restaurant_draft)
    assert draft == PostingDraft(**MODEL_DRAFT)
    assert notes == ["모델 응답의 JSON 앞뒤 문장을 지웠습니다"]


def test_list_values_become_bullet_lines(restaurant_draft: PostingDraft) -> None:
    reply = dict(MODEL_DRAFT, duties=["설거지", "  식재료 손질 ", ""], benefits=["4대보험 가입", "식사 제공"])
    draft, notes = parse_model_json(json.dumps(reply, ensure_ascii=False), fallback=restaurant_draft)
    assert draft.duties == "- 설거지\n- 식재료 손질"
    assert draft.benefits == "- 4대보험 가입\n- 식사 제공"
    assert notes == ["'담당 업무' 목록을 줄 단위 글로 바꿨습니다", "'복리후생' 목록을 줄 단위 글로 바꿨습니다"]


def test_korean_section_names_are_accepted_as_keys(restaurant_draft: PostingDraft) -> None:
    reply = {SECTION_LABELS[key]: value for key, value in MODEL_DRAFT.items() if key != "title"}
    reply["제목"] = MODEL_DRAFT["title"]
    draft, notes = parse_model_json(json.dumps(reply, ensure_ascii=False), fallback=restaurant_draft)
    assert draft == PostingDraft(**MODEL_DRAFT)
    assert notes == []
    draft, _ = parse_model_json('{"공고 제목": "주방 보조 모집", " 담당 업무 ": "설거지"}', fallback=restaurant_draft)
    assert (draft.title, draft.duties) == ("주방 보조 모집", "설거지")


def test_missing_sections_are_filled_from_the_fallback(restaurant_draft: PostingDraft) -> None:
    reply = {"title": "주방 보조 모집", "duties": "- 설거지", "benefits": "", "preferred": None}
    draft, notes = parse_model_json(json.dumps(reply, ensure_ascii=False), fallback=restaurant_draft)
    assert (draft.title, draft.duties) == ("주방 보조 모집", "- 설거지")
    filled = [key for key in SECTIONS if key != "duties"]
    for key in filled:
        assert getattr(draft, key) == getattr(restaurant_draft, key)
    assert notes == [f"'{SECTION_LABELS[key]}' 항목이 없어 기본 문안으로 채웠습니다" for key in filled]
    assert len(notes) == 7


def test_empty_title_is_taken_from_the_fallback(restaurant_draft: PostingDraft) -> None:
    draft, _ = parse_model_json(json.dumps(dict(MODEL_DRAFT, title=""), ensure_ascii=False),
                                fallback=restaurant_draft)
    assert draft.title == restaurant_draft.title
    assert draft.duties == MODEL_DRAFT["duties"]


@pytest.mark.parametrize("reply", ["", None, "죄송합니다, 공고를 쓸 수 없습니다.", '["설거지", "청소"]', "42", '"문자열"'])
def test_reply_without_a_json_object_is_rejected(restaurant_draft: PostingDraft, reply: str | None) -> None:
    with pytest.raises(GenerationError, match="JSON 객체가 없습니다"):
        parse_model_json(reply, fallback=restaurant_draft)  # type: ignore[arg-type]


@pytest.mark.parametrize("reply", ['{"title": "x", ', '{"title": "주방 보조", "duties": '])
def test_truncated_json_is_rejected(restaurant_draft: PostingDraft, reply: str) -> None:
    with pytest.raises(GenerationError):
        parse_model_json(reply, fallback=restaurant_draft)


def test_broken_json_is_rejected_with_the_reason(restaurant_draft: PostingDraft) -> None:
    with pytest.raises(GenerationError, match="JSON 형식이 잘못되었습니다"):
        parse_model_json('{"title": "주방 보조", "duties": {"a": 1}', fallback=restaurant_draft)
    with pytest.raises(GenerationError, match="JSON 형식이 잘못되었습니다"):
        parse_model_json("{'title': '작은따옴표'}", fallback=restaurant_draft)


def test_values_outside_the_schema_are_rejected(restaurant_draft: PostingDraft) -> None:
    with pytest.raises(GenerationError, match=r"공고 형식에 맞지 않습니다 \(1개 항목\)"):
        parse_model_json(json.dumps(dict(MODEL_DRAFT, title="x")), fallback=restaurant_draft)
    with pytest.raises(GenerationError, match="공고 형식에 맞지 않습니다"):
        parse_model_json(json.dumps(dict(MODEL_DRAFT, duties="가" * 5001)), fallback=restaurant_draft)


@pytest.mark.parametrize("reply", ["{}", '{"company_intro": "좋은 회사입니다."}'])
def test_reply_without_title_and_duties_is_rejected(restaurant_draft: PostingDraft, reply: str) -> None:
    with pytest.raises(GenerationError):
        parse_model_json(reply, fallback=restaurant_draft)


def test_missing_duties_are_rejected_or_reported(restaurant_draft: PostingDraft) -> None:
    try:
        _, notes = parse_model_json('{"title": "주방 보조 모집"}', fallback=restaurant_draft)
    except GenerationError:
        return
    assert any("담당 업무" in note for note in notes)


# ---------------------------------------------------------------------------------------------
# OpenAI-compatible backend against a local chat server
# ---------------------------------------------------------------------------------------------


class _ChatServer(ThreadingHTTPServer):
    """A chat-completions stand-in whose answer is set by ``mode``; it records every request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ChatHandler)
        self.mode = "good"
        self.content = json.dumps(MODEL_DRAFT, ensure_ascii=False)
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def handle_error(self, request, client_address) -> None:
        """The client of the slow mode has gone when the handler writes: not an error here."""


class _ChatHandler(BaseHTTPRequestHandler):
    server: _ChatServer

    def log_message(self, format: str, *args: Any) -> None:  # the base class's name
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chat(self, content: Any) -> None:
        reply = {"id": "x", "object": "chat.completion",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        self._reply(200, json.dumps(reply, ensure_ascii=False).encode("utf-8"))

    def do_POST(self) -> None:  # http.server's name
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                "content_type": self.headers.get("Content-Type"), "json": json.loads(body)})
        if self.path != "/v1/chat/completions":
            self._reply(404, b'{"error": "not found"}')
        elif server.mode == "good":
            self._chat(server.content)
        elif server.mode == "malformed":
            self._chat('{"title": "x", "duties": ')
        elif server.mode == "slow":
            server.release.wait(2.0)  # "sleeps 2 s" — cut short when the test is over
            self._chat(server.content)
        elif server.mode == "http500":
            self._reply(500, b'{"error": "internal"}')
        elif server.mode == "not_json":
            self._reply(200, b"<html><body>Bad Gateway</body></html>", "text/html")
        elif server.mode == "no_choices":
            self._reply(200, b'{"object": "chat.completion", "choices": []}')
        elif server.mode == "null_content":
            self._chat(None)
        elif server.mode == "huge":
            self._reply(200, b" " * (MAX_REPLY_BYTES + 10))
        else:  # pragma: no cover - a typo in a test
            self._reply(400, b"{}")


@pytest.fixture(scope="module")
def _chat_server_running() -> Iterator[_ChatServer]:
    server = _ChatServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        assert not thread.is_alive()


@pytest.fixture
def chat_server(_chat_server_running: _ChatServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[_ChatServer]:
    """The module's chat server, reset to the good answer, with proxies bypassed for 127.0.0.1."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = _chat_server_running
    server.mode = "good"
    server.content = json.dumps(MODEL_DRAFT, ensure_ascii=False)
    server.requests.clear()
    server.release = threading.Event()
    yield server
    server.release.set()  # wake a slow handler still waiting


def _client(server: _ChatServer, **kwargs: Any) -> OpenAICompatibleGenerator:
    kwargs.setdefault("timeout", 5.0)
    return OpenAICompatibleGenerator(server.url, "m", _fallback_draft, **kwargs)


def test_server_draft_and_request(chat_server: _ChatServer, restaurant: PostingRequest) -> None:
    generator = _client(chat_server)
    result = generator.generate(restaurant)
    assert result.draft == PostingDraft(**MODEL_DRAFT)
    assert result.notices == ()
    assert "m" in result.backend and result.backend == generator.name == "LLM 서버(m)"

    assert len(chat_server.requests) == 1
    sent = chat_server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["content_type"] == "application/json"
    assert sent["authorization"] is None
    payload = sent["json"]
    assert payload["model"] == "m"
    assert payload["response_format"] == {"type": "json_object"}
    assert payload["temperature"] == pytest.approx(0.3)
    assert payload["max_tokens"] == 1500
    system, user = payload["messages"]
    assert system["role"] == "system" and "구인공고" in system["content"]
    assert user["role"] == "user" and "한빛식당" in user["content"]
    assert payload["messages"] == prompt_messages(restaurant)


def test_api_key_is_sent_as_bearer_token(chat_server: _ChatServer, restaurant: PostingRequest) -> None:
    _client(chat_server, api_key="KEY").generate(restaurant)
    assert chat_server.requests[-1]["authorization"] == "Bearer KEY"


def test_trailing_slash_of_base_url(chat_server: _ChatServer, restaurant: PostingRequest) -> None:
    generator = OpenAICompatibleGenerator(chat_server.url + "/", "m", _fallback_draft, timeout=5)
    assert generator.url == chat_server.url + "/chat/completions"
    assert generator.generate(restaurant).draft.title == MODEL_DRAFT["title"]


def test_fenced_partial_server_reply_is_repaired(chat_server: _ChatServer, restaurant: PostingRequest,
                                                 restaurant_draft: PostingDraft) -> None:
    partial = {"title": MODEL_DRAFT["title"], "duties": ["설거지", "식재료 손질"]}
    chat_server.content = "```json\n" + json.dumps(partial, ensure_ascii=False) + "\n```"
    result = _client(chat_server).generate(restaurant)
    assert result.backend == "LLM 서버(m)"
    assert result.draft.title == MODEL_DRAFT["title"]
    assert result.draft.duties == "- 설거지\n- 식재료 손질"
    assert result.draft.documents == restaurant_draft.documents
    assert len(result.notices) == 1 + 7  # the list, then the seven sections taken from the offline draft


def test_malformed_content_raises_and_falls_back(chat_server: _ChatServer, restaurant: PostingRequest,
                                                 restaurant_draft: PostingDraft) -> None:
    chat_server.mode = "malformed"
    with pytest.raises(GenerationError, match="JSON"):
        _client(chat_server).generate(restaurant)
    result = FallbackGenerator(_client(chat_server), OfflineGenerator()).generate(restaurant)
    assert result.draft == restaurant_draft
    assert result.backend == BACKEND_NAME
    assert "실패" in result.notices[0] and "LLM 서버(m)" in result.notices[0]


def test_timeout_raises_and_falls_back(chat_server: _ChatServer, restaurant: PostingRequest,
                                       restaurant_draft: PostingDraft) -> None:
    chat_server.mode = "slow"
    with pytest.raises(GenerationError, match="응답하지") as caught:
        _client(chat_server, timeout=0.3).generate(restaurant)
    assert "0.3초" in str(caught.value)
    result = FallbackGenerator(_client(chat_server, timeout=0.3), OfflineGenerator()).generate(restaurant)
    assert result.draft == restaurant_draft
    assert "응답하지" in result.notices[0] and "기본(오프라인) 문안" in result.notices[0]


def test_http_error_status(chat_server: _ChatServer, restaurant: PostingRequest) -> None:
    chat_server.mode = "http500"
    with pytest.raises(GenerationError, match="HTTP 500"):
        _client(chat_server).generate(restaurant)


def test_wrong_path_gives_http_404(chat_server: _ChatServer, restaurant: PostingRequest) -> None:
    generator = OpenAICompatibleGenerator(chat_server.url.removesuffix("/v1"), "m", _fallback_draft, timeout=5)
    with pytest.raises(GenerationError, match="HTTP 404"):
        generator.generate(restaurant)


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("not_json", "OpenAI 형식이 아닙니다"),
        ("no_choices", "생성된 글이 없습니다"),
        ("null_content", "JSON 객체가 없습니다"),
        ("huge", "너무 깁니다"),
    ],
)
def test_unusable_replies(chat_server: _ChatServer, restaurant: PostingRequest, mode: str, message: str) -> None:
    chat_server.mode = mode
    with pytest.raises(GenerationError, match=message):
        _client(chat_server).generate(restaurant)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused(restaurant: PostingRequest, restaurant_draft: PostingDraft,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    generator = OpenAICompatibleGenerator(f"http://127.0.0.1:{_closed_port()}/v1", "m", _fallback_draft, timeout=2)
    with pytest.raises(GenerationError, match="연결할 수 없습니다"):
        generator.generate(restaurant)
    result = FallbackGenerator(generator, OfflineGenerator()).generate(restaurant)
    assert result.draft == restaurant_draft
    assert "연결할 수 없습니다" in result.notices[0]


@pytest.mark.parametrize(("url", "model"), [("", "m"), ("http://127.0.0.1:1/v1", " ")])
def test_missing_url_or_model_is_refused(url: str, model: str) -> None:
    with pytest.raises(GenerationError, match="GOYONG_LLM_BASE_URL"):
        OpenAICompatibleGenerator(url, model, _fallback_draft)


# ---------------------------------------------------------------------------------------------
# make_generator: the factory
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def clean_llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No GOYONG_LLM_* variable of the developer's shell leaks into the settings."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("GOYONG_LLM_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_factory_default_is_the_offline_composer(clean_llm_env: None) -> None:
    generator = make_generator(Settings())
    assert isinstance(generator, OfflineGenerator)
    assert generator.name == "기본(오프라인) 작성기"
    assert isinstance(make_generator(Settings(llm_backend="offline")), OfflineGenerator)


def test_factory_reads_the_environment(clean_llm_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOYONG_LLM_BACKEND", "openai")
    get_settings.cache_clear()
    generator = make_generator()
    assert isinstance(generator, FallbackGenerator)
    assert generator.name == "LLM 서버"


def test_factory_openai_without_url_falls_back(clean_llm_env: None, restaurant: PostingRequest,
                                               restaurant_draft: PostingDraft) -> None:
    generator = make_generator(Settings(llm_backend="openai"))
    assert isinstance(generator, FallbackGenerator)
    result = generator.generate(restaurant)
    assert result.draft == restaurant_draft
    assert result.backend == BACKEND_NAME
    assert "GOYONG_LLM_BASE_URL" in result.notices[0] and "기본(오프라인) 문안" in result.notices[0]


def test_factory_transformers_without_dir_falls_back(clean_llm_env: None, restaurant: PostingRequest,
                                                     restaurant_draft: PostingDraft) -> None:
    generator = make_generator(Settings(llm_backend="transformers"))
    assert isinstance(generator, FallbackGenerator)
    result = generator.generate(restaurant)
    assert result.draft == restaurant_draft
    assert "GOYONG_LLM_MODEL_DIR" in result.notices[0] and "로컬 언어모델" in result.notices[0]


def test_factory_openai_end_to_end(clean_llm_env: None, chat_server: _ChatServer, restaurant: PostingRequest,
                                   restaurant_draft: PostingDraft) -> None:
    settings = Settings(llm_backend="openai", llm_base_url=chat_server.url, llm_model="m", llm_api_key="KEY",
                        llm_timeout=5)
    generator = make_generator(settings)
    assert isinstance(generator, FallbackGenerator)
    good = generator.generate(restaurant)
    assert good.draft == PostingDraft(**MODEL_DRAFT)
    assert good.backend == "LLM 서버(m)" and good.notices == ()
    assert chat_server.requests[-1]["authorization"] == "Bearer KEY"

    chat_server.mode = "malformed"
    bad = generator.generate(restaurant)
    assert bad.draft == restaurant_draft
    assert bad.backend == BACKEND_NAME
    assert len(bad.notices) == 1 and "실패" in bad.notices[0]


def test_factory_timeout_setting_reaches_the_client(clean_llm_env: None, chat_server: _ChatServer,
                                                    restaurant: PostingRequest,
                                                    restaurant_draft: PostingDraft) -> None:
    chat_server.mode = "slow"
    settings = Settings(llm_backend="openai", llm_base_url=chat_server.url, llm_model="m", llm_timeout=0.3)
    result = make_generator(settings).generate(restaurant)
    assert result.draft == restaurant_draft
    assert "0.3초 안에 응답하지" in result.notices[0]


# ---------------------------------------------------------------------------------------------
# Transformers backend on a tiny, randomly initialised GPT-2 (built here, nothing downloaded)
# ---------------------------------------------------------------------------------------------

HAS_TRANSFORMERS = all(importlib.util.find_spec(name) is not None for name in ("transformers", "torch", "tokenizers"))
needs_transformers = pytest.mark.skipif(not HAS_TRANSFORMERS, reason="transformers/torch/tokenizers not installed")

TINY_POSITIONS = 256


def _corpus() -> list[str]:
    """A few dozen Korean and English lines: posting sentences, JSON fragments, plain English."""
    lines: list[str] = []
    for request in (_restaurant_request(), _developer_request()):
        lines += OfflineGenerator().generate(request).draft.body().splitlines()
    lines += [json.dumps(MODEL_DRAFT, ensure_ascii=False), *MODEL_DRAFT.values()]
    lines += [
        "다음 정보로 구인공고를 작성해 주세요.",
        "The kitchen assistant washes dishes and prepares ingredients.",
        "Applicants send a resume and a cover letter.",
        "A software developer designs, builds and tests systems.",
        "Working hours are forty hours a week, Monday to Friday.",
        "The hourly wage is eleven thousand won.",
    ]
    return [line for line in lines if line.strip()]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer GPT-2 with a 600-token byte-level BPE tokenizer, saved with ``save_pretrained``."""
    pytest.importorskip("transformers")
    torch = pytest.importorskip("torch")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=["<|endoftext|>", "<pad>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_corpus(), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                                        pad_token="<pad>")
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer), n_layer=2, n_head=2, n_embd=64, n_positions=TINY_POSITIONS,
                        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                        pad_token_id=tokenizer.pad_token_id)
    model = GPT2LMHeadModel(config)
    path = tmp_path_factory.mktemp("llm") / "tiny-gpt2"
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_generator(tiny_model_dir: Path) -> TransformersGenerator:
    """One generator for the module (the model loads once)."""
    return TransformersGenerator(tiny_model_dir, _fallback_draft)


def _fake_generate(model: Any, continuation: str, tokenizer: Any, calls: list[dict[str, Any]]):
    """A ``model.generate`` that returns the prompt followed by ``continuation``'s token ids."""
    import torch

    tail = torch.tensor([tokenizer(continuation)["input_ids"]], dtype=torch.long)

    def generate(*, input_ids, **kwargs: Any):
        calls.append({"input_ids": input_ids, **kwargs})
        return torch.cat([input_ids, tail], dim=1)

    return generate


def test_model_dir_without_config_raises(tmp_path: Path, restaurant: PostingRequest,
                                         restaurant_draft: PostingDraft) -> None:
    (tmp_path / "empty-model").mkdir()
    generator = TransformersGenerator(tmp_path / "empty-model", _fallback_draft)
    assert generator.name == "로컬 언어모델(empty-model)"
    with pytest.raises(GenerationError, match="config.json"):
        generator.generate(restaurant)
    result = FallbackGenerator(generator, OfflineGenerator()).generate(restaurant)
    assert result.draft == restaurant_draft
    assert "로컬 언어모델(empty-model)" in result.notices[0] and "config.json" in result.notices[0]


@needs_transformers
def test_tiny_model_files(tiny_model_dir: Path) -> None:
    assert (tiny_model_dir / "config.json").is_file()
    assert (tiny_model_dir / "tokenizer.json").is_file()
    config = json.loads((tiny_model_dir / "config.json").read_text(encoding="utf-8"))
    assert config["n_layer"] == 2 and config["n_embd"] == 64 and config["n_positions"] == TINY_POSITIONS
    assert 258 <= config["vocab_size"] <= 600  # 256 byte symbols + 2 special tokens at least


@needs_transformers
def test_prompt_ids_are_a_2d_tensor_of_the_plain_prompt(tiny_generator: TransformersGenerator,
                                                        restaurant: PostingRequest) -> None:
    tokenizer, _ = tiny_generator._load()
    assert not getattr(tokenizer, "chat_template", None)  # so the plain Korean prompt is used
    ids = tiny_generator.prompt_ids(restaurant)
    assert ids.ndim == 2 and ids.shape[0] == 1 and ids.shape[1] > 0
    text = tokenizer.decode(ids[0])
    assert "한빛식당" in text and "구인공고" in text
    assert text.endswith("\n\n{")


@needs_transformers
def test_model_is_loaded_once(tiny_generator: TransformersGenerator) -> None:
    first = tiny_generator._load()
    assert tiny_generator._load() is first
    assert first[1].training is False  # eval mode


@needs_transformers
def test_random_model_output_is_rejected(tiny_generator: TransformersGenerator, restaurant: PostingRequest) -> None:
    with pytest.raises(GenerationError):
        tiny_generator.generate(restaurant)


@needs_transformers
def test_random_model_falls_back_to_offline(tiny_generator: TransformersGenerator, restaurant: PostingRequest,
                                            restaurant_draft: PostingDraft) -> None:
    result = FallbackGenerator(tiny_generator, OfflineGenerator()).generate(restaurant)
    assert result.draft == restaurant_draft
    assert result.backend == BACKEND_NAME
    assert "로컬 언어모델(tiny-gpt2)" in result.notices[0]
    assert "기본(오프라인) 문안" in result.notices[0]


@needs_transformers
def test_generated_json_is_parsed(tiny_model_dir: Path, restaurant: PostingRequest,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    generator = TransformersGenerator(tiny_model_dir, _fallback_draft)
    tokenizer, model = generator._load()
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(model, "generate",
                        _fake_generate(model, json.dumps(MODEL_DRAFT, ensure_ascii=False), tokenizer, calls))
    result = generator.generate(restaurant)
    assert result.draft == PostingDraft(**MODEL_DRAFT)
    assert result.draft.title == MODEL_DRAFT["title"]
    assert result.backend == "로컬 언어모델(tiny-gpt2)"
    assert result.notices == ()

    assert len(calls) == 1
    call = calls[0]
    prompt_length = call["input_ids"].shape[1]
    assert generator.prompt_ids(restaurant).shape[1] > TINY_POSITIONS  # the prompt had to be cut …
    assert prompt_length == TINY_POSITIONS // 2  # … to its last half-context
    assert prompt_length + call["max_new_tokens"] <= TINY_POSITIONS
    assert call["do_sample"] is False
    assert call["attention_mask"].shape == call["input_ids"].shape


@needs_transformers
def test_generated_partial_json_is_repaired(tiny_model_dir: Path, restaurant: PostingRequest,
                                            restaurant_draft: PostingDraft, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = TransformersGenerator(tiny_model_dir, _fallback_draft)
    tokenizer, model = generator._load()
    text = '설명: {"제목": "한빛식당 주방 보조 모집", "담당 업무": ["설거지", "식재료 손질"]} 끝'
    monkeypatch.setattr(model, "generate", _fake_generate(model, text, tokenizer, []))
    result = generator.generate(restaurant)
    assert result.draft.title == "한빛식당 주방 보조 모집"
    assert result.draft.duties == "- 설거지\n- 식재료 손질"
    assert result.draft.conditions == restaurant_draft.conditions
    assert result.notices[0] == "모델 응답의 JSON 앞뒤 문장을 지웠습니다"
    assert len(result.notices) == 1 + 1 + 7


@needs_transformers
def test_continuation_of_the_opened_object_is_parsed(tiny_model_dir: Path, restaurant: PostingRequest,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    generator = TransformersGenerator(tiny_model_dir, _fallback_draft)
    tokenizer, model = generator._load()
    continuation = json.dumps(MODEL_DRAFT, ensure_ascii=False)[1:]  # the prompt already opened the object
    monkeypatch.setattr(model, "generate", _fake_generate(model, continuation, tokenizer, []))
    assert generator.generate(restaurant).draft == PostingDraft(**MODEL_DRAFT)


@needs_transformers
def test_factory_transformers_with_the_tiny_model(clean_llm_env: None, tiny_model_dir: Path,
                                                  restaurant: PostingRequest,
                                                  restaurant_draft: PostingDraft) -> None:
    generator = make_generator(Settings(llm_backend="transformers", llm_model_dir=tiny_model_dir))
    assert isinstance(generator, FallbackGenerator)
    assert isinstance(generator.primary, TransformersGenerator)
    assert generator.name == "로컬 언어모델(tiny-gpt2)"
    result = generator.generate(restaurant)
    assert result.draft == restaurant_draft
    assert "로컬 언어모델" in result.notices[0]


# --------------------------------------------------------------------------- the counselling copilot's chat backends


def _copilot_task():  # noqa: ANN202 - CopilotTask
    from app.copilot.generation import CopilotTask
    from app.copilot.grounding import Source, Statement

    return CopilotTask(name="diagnosis", title="초기 진단", instruction="근거만 씁니다.", kinds={"goal": "목표"},
                       sources=(Source("record.desired_wage", "구직자 기록 · 희망 임금", "희망 임금: 월 250만원"),),
                       offline=(Statement("월 250만원 수준을 희망합니다.", ("record.desired_wage",), "goal"),))


def test_copilot_chat_is_none_offline_and_unavailable_backends_fail_visibly() -> None:
    from app.copilot.generation import run_task
    from app.copilot.grounding import build_vocabulary
    from app.llm.factory import make_copilot_chat

    assert make_copilot_chat(Settings(llm_backend="offline")) is None
    for settings in (Settings(llm_backend="openai"), Settings(llm_backend="transformers")):
        chat = make_copilot_chat(settings)
        output = run_task(_copilot_task(), chat, build_vocabulary([], []))
        assert output.fell_back and output.shown[0].text == "월 250만원 수준을 희망합니다."
        assert "설정해 주세요" in output.notices[0]


@needs_transformers
def test_copilot_runs_on_the_local_transformers_model_with_the_visible_fallback(tiny_model_dir: Path) -> None:
    from app.copilot.generation import run_task, task_messages
    from app.copilot.grounding import build_vocabulary
    from app.llm.factory import make_copilot_chat

    chat = make_copilot_chat(Settings(llm_backend="transformers", llm_model_dir=tiny_model_dir))
    assert isinstance(chat, TransformersGenerator)
    reply = chat.chat(task_messages(_copilot_task()), max_tokens=8)
    assert reply.startswith("{")  # the plain prompt opens the JSON object (no chat template)
    output = run_task(_copilot_task(), chat, build_vocabulary([], []))
    # a random 2-layer model writes no usable JSON: the offline text is shown, and the page says why
    assert output.fell_back and output.shown[0].text == "월 250만원 수준을 희망합니다."
    assert output.notices[0].startswith("로컬 언어모델(tiny-gpt2) 생성에 실패해 기본(오프라인) 문안을 보여 드립니다")


def test_copilot_chat_on_the_openai_server_sends_masked_sources(chat_server) -> None:  # noqa: ANN001
    from app.copilot.generation import CopilotTask, run_task
    from app.copilot.grounding import Source, build_vocabulary
    from app.llm.factory import make_copilot_chat

    chat_server.content = json.dumps({"statements": [{"kind": "goal", "text": "월 250만원 수준을 희망합니다.",
                                                      "sources": ["S1"]}]}, ensure_ascii=False)
    task = _copilot_task()
    task = CopilotTask(**{**task.__dict__, "sources": (*task.sources, Source("cover.1", "자기소개서 1번째 문장",
                                                                              "연락처 010-5555-1234로 주세요"))})
    chat = make_copilot_chat(Settings(llm_backend="openai", llm_base_url=chat_server.url, llm_model="m"))
    output = run_task(task, chat, build_vocabulary([], []))
    assert output.backend == "LLM 서버(m)" and not output.fell_back
    sent = json.dumps(chat_server.requests[-1]["json"], ensure_ascii=False)
    assert "010-5555-1234" not in sent and "희망 임금: 월 250만원" in sent
