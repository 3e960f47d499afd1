"""Posting assistant Q&A: how each Korean answer becomes structured values.

Covers :mod:`app.services.posting_answers` — the money parser (만/억/천만 units), pay type
(named or guessed from the size), schedule (days, time ranges, breaks, weekly hours), 시도 and
workplace, employment type and headcount, job title and duties, requirements (education,
career), preferred items, welfare codes, company line and contact phone, the per-step
:func:`parse_answer` gate (required/optional, length, unknown step), the assistant's
confirmations (:func:`acknowledge`) and :func:`validate_answers` with Korean field errors.
Pure functions over the reference tables: no database, no models, no network.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.reference.codes import EMPLOYMENT_TYPES
from app.services.posting.answers import (
    MAX_LINE_CHARS,
    MAX_LINES,
    STEP_BY_KEY,
    STEP_KEYS,
    STEPS,
    AssistantAnswers,
    InvalidAnswer,
    InvalidAnswers,
    acknowledge,
    parse_answer,
    parse_benefits,
    parse_company,
    parse_job,
    parse_krw,
    parse_pay,
    parse_place,
    parse_preferred,
    parse_requirements,
    parse_schedule,
    parse_type,
    validate_answers,
)

HANGUL = re.compile(r"[가-힣]")


def _full_values(**overrides: str) -> dict[str, Any]:
    """Merged parse_answer outputs of all nine steps (each step's example unless overridden)."""
    values: dict[str, Any] = {}
    for step in STEPS:
        values.update(parse_answer(step.key, overrides.get(step.key, step.example)))
    return values


# --------------------------------------------------------------------------- steps


def test_steps_are_the_nine_questions_in_order() -> None:
    assert STEP_KEYS == ("job", "place", "type", "schedule", "pay", "requirements", "preferred", "benefits", "company")
    assert set(STEP_BY_KEY) == set(STEP_KEYS)
    optional = {s.key for s in STEPS if s.optional}
    assert optional == {"requirements", "preferred", "benefits", "company"}
    for step in STEPS:
        assert HANGUL.search(step.question) and HANGUL.search(step.label)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.key)
def test_every_example_answer_parses(step) -> None:
    values = parse_answer(step.key, step.example)
    assert isinstance(values, dict) and values


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("250만원", 2_500_000),
        ("1억 2천만원", 120_000_000),
        ("3,200만 원", 32_000_000),
        ("11,000원", 11_000),
        ("2.5만", 25_000),
        ("1억", 100_000_000),
        ("2천만원", 20_000_000),
        ("5백만원", 5_000_000),
        ("5천원", 5_000),
        ("12만 5천원", 125_000),
        ("12000", 12_000),
        ("월 2,500,000원", 2_500_000),
    ],
)
def test_parse_krw(text: str, won: int) -> None:
    assert parse_krw(text) == won


@pytest.mark.parametrize("text", ["", "협의", "없음", "면접 후 결정"])
def test_parse_krw_without_amount(text: str) -> None:
    with pytest.raises(InvalidAnswer, match="금액"):
        parse_krw(text)


@pytest.mark.parametrize(("text", "won"), [("3천5백만원", 35_000_000), ("연봉 2천5백만원", 25_000_000)])
def test_parse_krw_compound_thousands_of_manwon(text: str, won: int) -> None:
    assert parse_krw(text) == won


# --------------------------------------------------------------------------- pay


@pytest.mark.parametrize(
    ("text", "wage_type", "amount", "guessed"),
    [
        ("월 250만원", "monthly", 2_500_000, False),
        ("월급 230만원", "monthly", 2_300_000, False),
        ("시급 11,000원", "hourly", 11_000, False),
        ("시급 1만원", "hourly", 10_000, False),
        ("연봉 3,200만원", "annual", 32_000_000, False),
        ("연봉 3천만원", "annual", 30_000_000, False),
        ("일당 15만원", "daily", 150_000, False),
        ("일당 12만 5천원", "daily", 125_000, False),
        ("250만원", "monthly", 2_500_000, True),
        ("12000", "hourly", 12_000, True),
        ("15만원", "daily", 150_000, True),
        ("4,000만원", "annual", 40_000_000, True),
    ],
)
def test_parse_pay(text: str, wage_type: str, amount: int, guessed: bool) -> None:
    assert parse_pay(text) == {"wage_type": wage_type, "wage_amount": amount, "wage_guessed": guessed}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("협의", "금액"), ("시급 500원", "너무 적습니다"), ("연봉 20억", "너무 큽니다")],
)
def test_parse_pay_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InvalidAnswer, match=fragment):
        parse_pay(text)


# --------------------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("text", "weekly", "work_days", "work_time"),
    [
        ("주 5일(월~금) 09:00~18:00", 40.0, "주 5일(월~금)", "09:00~18:00 (휴게 1시간)"),
        ("평일 오전 9시부터 오후 6시", 40.0, "주 5일(월~금)", "09:00~18:00 (휴게 1시간)"),
        ("주 40시간", 40.0, "", ""),
        ("월~토 10시~4시 휴게 30분", 33.0, "주 6일(월~토)", "10:00~16:00 (휴게 30분)"),
        ("주말 10:00~19:00", 16.0, "주 2일", "10:00~19:00 (휴게 1시간)"),
        ("9~6", 40.0, "", "09:00~18:00 (휴게 1시간)"),  # end before start: the afternoon
        ("주 5일 9시~6시", 40.0, "주 5일", "09:00~18:00 (휴게 1시간)"),
        ("주 5일 9~13", 20.0, "주 5일", "09:00~13:00"),  # 4-hour span: no break taken out
        ("오후 2시~10시", 37.5, "", "14:00~22:00 (휴게 30분)"),
        ("주 6일, 주 60시간", 60.0, "주 6일", ""),
    ],
)
def test_parse_schedule(text: str, weekly: float, work_days: str, work_time: str) -> None:
    result = parse_schedule(text)
    assert result == {"work_days": work_days, "work_time": work_time, "weekly_hours": weekly}
    assert isinstance(result["weekly_hours"], float)


def test_parse_schedule_work_time_holds_the_range() -> None:
    assert "09:00~18:00" in parse_schedule("주 5일(월~금) 09:00~18:00")["work_time"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("아무때나", "근무 시간을 읽지 못했습니다"), ("주 80시간", "80시간"), ("주 0.5시간", "1~68")],
)
def test_parse_schedule_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InvalidAnswer, match=re.escape(fragment)):
        parse_schedule(text)


# --------------------------------------------------------------------------- place


@pytest.mark.parametrize(
    ("text", "code", "name", "workplace"),
    [
        ("서울 마포구 월드컵로 10", "11", "서울특별시", "마포구 월드컵로 10"),
        ("경기도 수원시 영통구", "41", "경기도", "수원시 영통구"),
        ("제주", "50", "제주특별자치도", ""),
        ("서울특별시 강남구", "11", "서울특별시", "강남구"),
        ("부산시 해운대구", "26", "부산광역시", "해운대구"),
        ("광주광역시 북구", "29", "광주광역시", "북구"),
        ("경기 광주시", "41", "경기도", "광주시"),  # the first 시도 named wins over 광주 later
    ],
)
def test_parse_place(text: str, code: str, name: str, workplace: str) -> None:
    assert parse_place(text) == {"region_code": code, "region_name": name, "workplace": workplace}


def test_parse_place_without_sido() -> None:
    with pytest.raises(InvalidAnswer, match="시·도"):
        parse_place("우리 동네")


# --------------------------------------------------------------------------- type


@pytest.mark.parametrize(
    ("text", "employment_type", "headcount"),
    [
        ("정규직 2명", "정규직", 2),
        ("알바 1명 구해요", "시간제", 1),
        ("계약직", "계약직", 1),
        ("인턴 3명", "계약직", 3),
        ("파트타임 4인", "시간제", 4),
        ("일용직 100명", "일용직", 100),
        ("정규직 ○명", "정규직", 1),
    ],
)
def test_parse_type(text: str, employment_type: str, headcount: int) -> None:
    assert parse_type(text) == {"employment_type": employment_type, "headcount": headcount}
    assert employment_type in EMPLOYMENT_TYPES


@pytest.mark.parametrize(("text", "fragment"), [("일용직 200명", "200명"), ("사람 구함", "고용형태")])
def test_parse_type_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InvalidAnswer, match=fragment):
        parse_type(text)


def test_parse_type_placeholder_headcount_means_one() -> None:
    assert parse_type("정규직 00명") == {"employment_type": "정규직", "headcount": 1}


# --------------------------------------------------------------------------- job


@pytest.mark.parametrize(
    ("text", "title", "duties"),
    [
        ("주방 보조 / 설거지, 식재료 손질, 주방 정리", "주방 보조", ("설거지", "식재료 손질", "주방 정리")),
        ("요양보호사", "요양보호사", ()),
        ("웹 개발자: 백엔드 API 개발\n데이터베이스 설계", "웹 개발자", ("백엔드 API 개발", "데이터베이스 설계")),
        ("주방 보조, 설거지, 식재료 손질", "주방 보조", ("설거지", "식재료 손질")),
        ("- 배송 기사 - 택배 상하차, 배송", "배송 기사", ("택배 상하차", "배송")),
    ],
)
def test_parse_job(text: str, title: str, duties: tuple[str, ...]) -> None:
    assert parse_job(text) == {"job_title": title, "duties": duties}


@pytest.mark.parametrize(("text", "fragment"), [("가", "2자 이상"), ("가" * 50, "40자 이하")])
def test_parse_job_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InvalidAnswer, match=fragment):
        parse_job(text)


def test_parse_job_duties_are_capped() -> None:
    duties = parse_job("사무원 / " + ", ".join(f"업무{i:02d}" for i in range(20)))["duties"]
    assert len(duties) == MAX_LINES
    assert duties[0] == "업무00" and duties[-1] == "업무11"


# --------------------------------------------------------------------------- requirements


@pytest.mark.parametrize(
    ("text", "education", "career", "years", "lines"),
    [
        ("고졸 이상, 경력 1년 이상, 1종 보통 운전면허", "고졸", "경력", 1, ("1종 보통 운전면허",)),
        ("없음", "무관", "경력무관", 0, ()),
        ("", "무관", "경력무관", 0, ()),
        ("신입 가능, 엑셀 가능자", "무관", "신입", 0, ("엑셀 가능자",)),
        ("대졸 이상 경력 3년", "대졸", "경력", 3, ()),
        ("학력 무관, 경력 무관", "무관", "경력무관", 0, ()),
        ("신입·경력", "무관", "경력무관", 0, ()),
        ("경력자", "무관", "경력", 1, ()),
        ("석사 이상", "석사", "경력무관", 0, ()),
        ("전문대 졸업 이상", "전문대졸", "경력무관", 0, ()),
        ("고등학교 졸업, 신입 가능", "고졸", "신입", 0, ()),
        ("경력 40년", "무관", "경력", 30, ()),  # capped at 30
    ],
)
def test_parse_requirements(text: str, education: str, career: str, years: int, lines: tuple[str, ...]) -> None:
    assert parse_requirements(text) == {"education": education, "career": career, "min_career_years": years,
                                        "requirements": lines}


@pytest.mark.parametrize("text", ["전문대졸 이상", "초대졸 이상", "전문학사 이상"])
def test_parse_requirements_junior_college(text: str) -> None:
    assert parse_requirements(text)["education"] == "전문대졸"


# --------------------------------------------------------------------------- preferred, benefits, company


@pytest.mark.parametrize(
    ("text", "preferred"),
    [
        ("한식조리기능사 소지자, 인근 거주자", ("한식조리기능사 소지자", "인근 거주자")),
        ("없음", ()),
        ("없습니다.", ()),
        ("", ()),
        ("- 엑셀 가능자\n- 운전 가능자\n- 엑셀 가능자", ("엑셀 가능자", "운전 가능자")),  # bullets, duplicates
        ("a, 영어 회화", ("영어 회화",)),  # one-character items dropped
    ],
)
def test_parse_preferred(text: str, preferred: tuple[str, ...]) -> None:
    assert parse_preferred(text) == {"preferred": preferred}


@pytest.mark.parametrize(
    ("text", "codes", "extra"),
    [
        ("4대보험, 퇴직금, 식사 제공, 명절 상여금, 생일 케이크", ("W01", "W02", "W04", "W10"), ("생일 케이크",)),
        ("없음", (), ()),
        ("", (), ()),
        ("식대 지원, 교통비, 기숙사 제공, 4대 보험", ("W01", "W05", "W06", "W08"), ()),
        ("상여금, 명절 선물", ("W10",), ()),  # two aliases of one code: listed once
    ],
)
def test_parse_benefits(text: str, codes: tuple[str, ...], extra: tuple[str, ...]) -> None:
    assert parse_benefits(text) == {"welfare_codes": codes, "benefits_extra": extra}


@pytest.mark.parametrize(
    ("text", "line", "contact"),
    [
        ("30년 된 동네 한식당입니다. 02-333-4444", "30년 된 동네 한식당입니다.", "02-333-4444"),
        ("문의 010 1234 5678", "", "010-1234-5678"),
        ("작은 카페입니다 / 문의: 02.555.6666", "작은 카페입니다", "02-555-6666"),
        ("1588-1234 고객센터", "고객센터", "1588-1234"),
        ("가족 같은 회사", "가족 같은 회사", ""),
        ("없음", "", ""),
    ],
)
def test_parse_company(text: str, line: str, contact: str) -> None:
    assert parse_company(text) == {"company_line": line, "contact": contact}


# --------------------------------------------------------------------------- parse_answer gate


@pytest.mark.parametrize("step", [s for s in STEPS if not s.optional], ids=lambda s: s.key)
@pytest.mark.parametrize("text", ["", "   "])
def test_required_step_rejects_empty_with_the_example(step, text: str) -> None:
    with pytest.raises(InvalidAnswer) as err:
        parse_answer(step.key, text)
    assert step.example in str(err.value)
    assert step.label in str(err.value)


@pytest.mark.parametrize("step", [s for s in STEPS if s.optional], ids=lambda s: s.key)
def test_optional_step_accepts_empty(step) -> None:
    assert parse_answer(step.key, "") == parse_answer(step.key, "없음")


def test_answer_over_1000_characters() -> None:
    with pytest.raises(InvalidAnswer, match="1,000자"):
        parse_answer("preferred", "가" * 1_001)
    # exactly 1,000 is accepted; one item is cut to the line limit
    assert parse_answer("preferred", "가" * 1_000) == {"preferred": ("가" * MAX_LINE_CHARS,)}


def test_unknown_step() -> None:
    with pytest.raises(InvalidAnswer, match="알 수 없는 질문"):
        parse_answer("salary", "월 250만원")


def test_invalid_answer_is_a_value_error() -> None:
    assert issubclass(InvalidAnswer, ValueError)


# --------------------------------------------------------------------------- acknowledge


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        ("job", "주방 보조 / 설거지, 식재료 손질", ("주방 보조", "설거지, 식재료 손질")),
        ("job", "요양보호사", ("요양보호사", "대표 업무")),
        ("place", "서울 마포구 월드컵로 10", ("서울특별시 마포구 월드컵로 10",)),
        ("type", "정규직 2명", ("정규직 2명",)),
        ("schedule", "주 5일(월~금) 09:00~18:00", ("주 5일(월~금)", "09:00~18:00", "주 40시간")),
        ("pay", "월 250만원", ("월 250만원",)),
        ("pay", "시급 11,000원", ("시급 11,000원",)),
        ("pay", "250만원", ("월 250만원", "추정")),
        ("requirements", "고졸 이상, 경력 1년 이상, 1종 보통 운전면허", ("학력 고졸", "경력 1년 이상", "1종 보통 운전면허")),
        ("requirements", "없음", ("학력 무관", "경력무관")),
        ("preferred", "한식조리기능사 소지자", ("한식조리기능사 소지자",)),
        ("preferred", "없음", ("없음",)),
        ("benefits", "4대보험, 명절 상여금, 생일 케이크", ("4대보험", "명절 상여금", "생일 케이크")),
        ("benefits", "없음", ("없음",)),
        ("company", "30년 된 동네 한식당입니다. 02-333-4444", ("30년 된 동네 한식당입니다.", "02-333-4444")),
        ("company", "없음", ("등록된 회사 전화번호",)),
    ],
)
def test_acknowledge(step: str, text: str, expected: tuple[str, ...]) -> None:
    message = acknowledge(step, parse_answer(step, text))
    assert message and HANGUL.search(message)
    for fragment in expected:
        assert fragment in message


def test_acknowledge_only_guessed_pay_has_the_note() -> None:
    assert "추정" not in acknowledge("pay", parse_pay("월 250만원"))
    assert "추정" in acknowledge("pay", parse_pay("250만원"))


def test_acknowledge_unknown_step_is_empty() -> None:
    assert acknowledge("nope", {}) == ""


# --------------------------------------------------------------------------- validate_answers


def test_validate_answers_of_all_nine_steps() -> None:
    answers = validate_answers(_full_values())
    assert isinstance(answers, AssistantAnswers)
    assert answers.model_dump() == {
        "job_title": "주방 보조", "duties": ("설거지", "식재료 손질", "주방 정리"), "region_code": "11",
        "region_name": "서울특별시", "workplace": "마포구 월드컵로 10", "employment_type": "정규직", "headcount": 2,
        "work_days": "주 5일(월~금)", "work_time": "09:00~18:00 (휴게 1시간)", "weekly_hours": 40.0,
        "wage_type": "monthly", "wage_amount": 2_500_000, "education": "고졸", "career": "경력",
        "min_career_years": 1, "requirements": ("1종 보통 운전면허",),
        "preferred": ("한식조리기능사 소지자", "인근 거주자"), "welfare_codes": ("W01", "W02", "W04", "W10"),
        "benefits_extra": (), "company_line": "30년 된 동네 한식당입니다.", "contact": "02-333-4444",
    }


def test_validated_answers_are_frozen() -> None:
    answers = validate_answers(_full_values())
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        answers.job_title = "다른 직무"  # type: ignore[misc]


def test_validate_answers_sorts_and_dedupes_welfare_codes() -> None:
    values = {**_full_values(), "welfare_codes": ("W10", "W01", "W10")}
    assert validate_answers(values).welfare_codes == ("W01", "W10")


def test_missing_job_title() -> None:
    values = _full_values()
    del values["job_title"]
    with pytest.raises(InvalidAnswers) as err:
        validate_answers(values)
    assert set(err.value.errors) == {"job_title"}
    assert err.value.errors["job_title"] == "직무명이(가) 아직 없습니다"
    assert "직무명" in str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "label", "fragment"),
    [
        ("employment_type", "프리랜서", "고용형태", "정규직, 계약직, 시간제, 일용직 중 하나"),
        ("wage_type", "weekly", "임금 형태", "시급, 일급, 월급, 연봉 중 하나"),
        ("education", "박사", "학력", "무관, 고졸, 전문대졸, 대졸, 석사 중 하나"),
        ("career", "베테랑", "경력", "신입, 경력무관, 경력 중 하나"),
        ("region_code", "99", "근무지(시·도)", "알 수 없는 지역 코드"),
        ("welfare_codes", ("W99",), "복리후생", "알 수 없는 복리후생 코드"),
        ("headcount", 0, "모집 인원", "허용 범위"),
        ("weekly_hours", 70, "주당 근로시간", "허용 범위"),
        ("wage_amount", 500, "임금액", "허용 범위"),
        ("job_title", "가", "직무명", "허용 범위"),
        ("requirements", ("가" * (MAX_LINE_CHARS + 1),), "자격 요건", "200자 이하"),
    ],
)
def test_bad_field(field: str, value: object, label: str, fragment: str) -> None:
    values = {**_full_values(), field: value}
    with pytest.raises(InvalidAnswers) as err:
        validate_answers(values)
    assert set(err.value.errors) == {field}
    message = err.value.errors[field]
    assert message.startswith(label)
    assert fragment in message
    assert message in str(err.value)


def test_several_errors_at_once() -> None:
    values = {**_full_values(), "employment_type": "프리랜서", "wage_type": "weekly"}
    del values["region_code"]
    with pytest.raises(InvalidAnswers) as err:
        validate_answers(values)
    assert set(err.value.errors) == {"employment_type", "wage_type", "region_code"}
    assert err.value.errors["region_code"] == "근무지(시·도)이(가) 아직 없습니다"
