"""The talent search's sentence parser: over a hundred phrasings read into exact conditions (certificate
abbreviations, landmarks, preferred conditions, licences named like jobs), refusals, chips, chip removal
and validation (app.services.talent.query)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app import bounds
from app.errors import InvalidInput
from app.reference.tables import Reference, load_reference
from app.services.talent import (
    District,
    Preferred,
    TalentQuery,
    UnreadableQuery,
    describe_chips,
    filters_from_query,
    parse_talent_query,
    validate_query,
    with_chip_removed,
)

PYEONGTAEK = District("41", "평택시")


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


# (sentence, the fields that differ from an empty TalentQuery)
PHRASINGS: list[tuple[str, dict[str, Any]]] = [
    # 워크넷's own condition wording (bench/talent_real.py runs the parser on 400 real ads)
    ("경력", {"min_career_months": 1}),
    ("경력 2년 6개월 이상", {"min_career_months": 30}),
    ("경력 (최소 12개월 이상) 대졸(4년)", {"min_career_months": 12, "education": "대졸"}),
    ("경력 (최소 3년 이상) 우대", {"min_career_months": 36, "preferred": (("career", ""),)}),
    ("대졸(2~3년)", {"education": "전문대졸"}),
    ("신입, 경력 (연수무관) 석사", {"education": "석사"}),
    ("지게차 경력 3년 이상, 평택 근무 가능한 분",
     {"occupations": ("623",), "districts": (PYEONGTAEK,), "min_career_months": 36}),
    ("용접 경력 5년 이상", {"occupations": ("824",), "min_career_months": 60}),
    ("간호사 면허 소지자, 서울 강남구", {"certificates": ("C0034",), "districts": (District("11", "강남구"),)}),
    ("요양보호사 자격증 있는 분 경기 수원시", {"certificates": ("C0598",), "districts": (District("41", "수원시"),)}),
    ("바리스타 경력 6개월 이상", {"occupations": ("531",), "min_career_months": 6}),
    ("웹 개발자 3년차, 재택 가능", {"occupations": ("133",), "min_career_months": 24, "work_patterns": ("재택",)}),
    ("회계 사무원 신입 대졸 이상", {"occupations": ("027",), "max_career_months": 0, "education": "대졸"}),
    ("물류센터 상하차 야간 가능한 분 일당 15만원",
     # 일급 × 26.125 paid days (5 days + weekly rest, 209 h / 8 h): 150,000 × 26.125
     {"occupations": ("624",), "wage_max": 3_918_750, "work_patterns": ("야간",)}),
    ("월 250만원 이상 생산직 교대 근무", {"occupations": ("890",), "wage_min": 2_500_000, "work_patterns": ("교대",)}),
    ("연봉 3천만원 정보처리기사", {"certificates": ("C0786",), "wage_max": 2_500_000}),
    ("시급 1만2천원 주말 근무 가능 알바",  # 12,000 × 209 h
     {"wage_max": 2_508_000, "employment_types": ("시간제",), "work_patterns": ("주말",)}),
    ("월급 300 이하 경력 2~5년", {"wage_max": 3_000_000, "min_career_months": 24, "max_career_months": 60}),
    ("250~300만원 부산 중구", {"wage_min": 2_500_000, "wage_max": 3_000_000, "districts": (District("26", "중구"),)}),
    ("3,000만 원 고졸 이상 정규직", {"wage_max": 2_500_000, "education": "고졸", "employment_types": ("정규직",)}),
    ("성실하고 꼼꼼한 분", {"free_text": "성실하고 꼼꼼한"}),
    ("경력 10년 넘게 일한 용접공", {"occupations": ("824",), "min_career_months": 120}),
    ("주 5일 근무 가능한 경리", {"occupations": ("027",), "free_text": "주 5일 근무"}),
    ("지게차 자격증 있는 분", {"occupations": ("623",), "certificates": ("C0867",)}),
    ("서울이나 경기 지역 거주하는 사회복지사", {"occupations": ("231",), "regions": ("11", "41")}),
    ("수도권 간호조무사 경력자", {"occupations": ("307",), "regions": ("11", "28", "41"), "min_career_months": 1}),
    ("경력 1년 반 이상 요양보호사", {"occupations": ("550",), "min_career_months": 18}),
    ("신입 및 경력 모두 가능한 판매원", {"occupations": ("615",)}),
    ("경력 무관, 학력 무관, 인천 부평구 캐셔", {"occupations": ("616",), "districts": (District("28", "부평구"),)}),
    ("3년 미만 경력의 보육교사", {"occupations": ("232",), "max_career_months": 35}),
    ("경력 3년 이하 전문대졸 디자이너", {"occupations": ("415",), "max_career_months": 36, "education": "전문대졸"}),
    ("대구 달서구 용접기능사 소지자 주간 근무",
     {"districts": (District("27", "달서구"),), "certificates": ("C0599",), "work_patterns": ("주간",)}),
    ("전라북도 전주 야간 경비원", {"occupations": ("542",), "districts": (District("45", "전주시"),),
                            "work_patterns": ("야간",)}),
    ("제주도 서귀포 호텔 객실 청소",
     {"occupations": ("561",), "districts": (District("50", "서귀포시"),), "free_text": "호텔 객실"}),
    ("음성 상담 가능한 콜센터 상담원", {"occupations": ("029",), "free_text": "음성 상담"}),
    ("충북 음성 거주 생산직", {"occupations": ("890",), "districts": (District("43", "음성군"),)}),
    ("경남 고성 조선소 용접", {"occupations": ("824",), "districts": (District("48", "고성군"),), "free_text": "조선소"}),
    ("강서구 택배 기사", {"occupations": ("624",), "districts": (District("11", "강서구"), District("26", "강서구"))}),
    ("월 230만원에서 280만원 사이 포장 알바",
     {"occupations": ("890",), "wage_min": 2_300_000, "wage_max": 2_800_000, "employment_types": ("시간제",)}),
    ("희망연봉 4500 이하 데이터 분석가", {"occupations": ("135",), "wage_max": 3_750_000}),
    ("계약기간 2년 계약직 사무보조", {"employment_types": ("계약직",), "free_text": "계약기간 사무보조"}),
    ("4조 2교대 가능하신 분", {"work_patterns": ("교대",)}),
    ("일용직 건설 현장 목수", {"occupations": ("701",), "employment_types": ("일용직",), "free_text": "건설 현장"}),
    ("석사 이상 연구원", {"education": "석사", "free_text": "연구원"}),
    ("자동차정비 기능사 경력 7년", {"certificates": ("C0695",), "min_career_months": 84}),
    ("주말 근무 불가 경리 사무원", {"occupations": ("027",), "free_text": "주말 불가"}),
    ("Python 개발자 재택", {"occupations": ("133",), "work_patterns": ("재택",), "free_text": "Python"}),
    ("용접 경력 5년 이상 남자", {"occupations": ("824",), "min_career_months": 60, "excluded_terms": ("남자",)}),
    ("20대 여성 바리스타", {"occupations": ("531",), "excluded_terms": ("20대", "여성")}),
    ("경기도 광주시 물류 경력 2년", {"occupations": ("624",), "districts": (District("41", "광주시"),),
                              "min_career_months": 24}),
    ("광주 요리사 경력 3년차", {"occupations": ("531",), "regions": ("29",), "min_career_months": 24}),
    ("세종시 공무원 행정 사무원", {"regions": ("36",), "free_text": "공무원 행정 사무원"}),
    ("전국 어디든 가능한 화물차 운전기사 1종 대형", {"occupations": ("622",), "certificates": ("C0689",)}),
    ("초보 가능 주방보조 시간제", {"occupations": ("532",), "employment_types": ("시간제",)}),
    ("경력 6개월~1년 미용사", {"occupations": ("511",), "min_career_months": 6, "max_career_months": 12}),
    ("월 280 정도 전기기능사 있는 분", {"certificates": ("C0727",), "wage_max": 2_800_000}),
    ("청소년 상담 경험", {"free_text": "청소년 상담"}),
    ("35세 이하 경리", {"occupations": ("027",), "excluded_terms": ("35세 이하",)}),
    ("2020년 이후 졸업한 대졸 신입 개발자",
     {"occupations": ("133",), "max_career_months": 0, "education": "대졸", "free_text": "이후 졸업한"}),
    ("신입 가능한 경리", {"occupations": ("027",)}),
    ("월 200만원 이상, 주 40시간", {"wage_min": 2_000_000, "free_text": "주 40시간"}),
    ("반년 이상 경력 바리스타", {"occupations": ("531",), "min_career_months": 6}),
    ("트럭 운전 경력 20년", {"occupations": ("622",), "min_career_months": 240}),
    ("전문대 나온 간호조무사", {"occupations": ("307",), "education": "전문대졸"}),
    ("CAD 가능한 건축 설계 3년 이상", {"occupations": ("140",), "min_career_months": 36, "free_text": "CAD"}),
    ("경력 5년 이상 10년 이하 용접", {"occupations": ("824",), "min_career_months": 60, "max_career_months": 120}),
    ("연봉 1억 이상 개발자", {"occupations": ("133",), "wage_min": 8_333_333}),
    ("고객 응대 경험 있는 분", {"min_career_months": 1, "free_text": "고객 응대"}),
    ("요양보호사 1급 자격 소지", {"certificates": ("C0598",)}),
    ("시급 만원 이상", {"wage_min": 2_090_000}),
    ("주야 2교대 가능자", {"work_patterns": ("교대",)}),
    ("평택, 안성, 오산 지역 생산직",
     {"occupations": ("890",), "districts": (PYEONGTAEK, District("41", "안성시"), District("41", "오산시"))}),
    ("10년차 이상 용접", {"occupations": ("824",), "min_career_months": 108}),
    ("연봉 3천~4천 개발자", {"occupations": ("133",), "wage_min": 2_500_000, "wage_max": 3_333_333}),
    ("서울 강남 서초 송파 간호사", {"occupations": ("304",), "districts": (
        District("11", "강남구"), District("11", "서초구"), District("11", "송파구"))}),
    # what employers write for certificates (컴활, 정처기, 한식조리, 지게차 자격증 …)
    ("컴활 2급 소지자 경리", {"occupations": ("027",), "certificates": ("C0945",)}),
    ("정처기, 컴활 있는 웹 개발자", {"occupations": ("133",), "certificates": ("C0786", "C0945")}),
    ("컴활 1급 있는 사무원", {"free_text": "컴활 1급 사무원"}),  # the table holds 2급 only
    ("한식조리 자격증 있는 요리사", {"occupations": ("531",), "certificates": ("C1020",)}),
    ("워드 자격증 있는 사무보조", {"certificates": ("C0608",), "free_text": "사무보조"}),
    ("굴삭기 면허 있는 분", {"certificates": ("C0179",)}),
    ("대졸 이상, 자동차운전면허1종대형 우대", {"education": "대졸", "certificates": ("C0689",),
                                   "preferred": (("certificate", "C0689"),)}),
    ("지게차 자격증 있는 물류 상하차", {"occupations": ("624",), "certificates": ("C0867",)}),
    # ports, airports, industrial complexes and stations
    ("평택항 물류센터 지게차 자격증", {"occupations": ("624",), "districts": (PYEONGTAEK,), "certificates": ("C0867",)}),
    ("인천공항 보안요원 야간", {"occupations": ("541",), "districts": (District("28", "중구"),),
                          "work_patterns": ("야간",)}),
    ("반월공단 생산직 교대", {"occupations": ("890",), "districts": (District("41", "안산시"),),
                        "work_patterns": ("교대",)}),
    ("시화공단 용접", {"occupations": ("824",), "districts": (District("41", "시흥시"), District("41", "안산시"))}),
    ("여수산단 전기기사 필수", {"districts": (District("46", "여수시"),), "certificates": ("C0730",)}),
    ("천안아산역 인근 경리", {"occupations": ("027",), "districts": (District("44", "아산시"),)}),
    ("강남역 근처 바리스타", {"occupations": ("531",), "free_text": "강남역"}),  # 강남구 and 서초구
    # preferred (우대) conditions
    ("지게차 경력 3년 이상이면 좋고 평택 근무", {"occupations": ("623",), "districts": (PYEONGTAEK,),
                                     "min_career_months": 36, "preferred": (("career", ""),)}),
    ("대졸 우대 회계 사무원", {"occupations": ("027",), "education": "대졸", "preferred": (("education", ""),)}),
    ("야간 가능하면 좋음 경비원", {"occupations": ("542",), "work_patterns": ("야간",),
                         "preferred": (("work_pattern", "야간"),)}),
    ("신입 우대 바리스타", {"occupations": ("531",), "max_career_months": 0, "preferred": (("career", ""),)}),
    ("평택 거주자 우대 생산직", {"occupations": ("890",), "districts": (PYEONGTAEK,),
                        "preferred": (("district", "41:평택시"),)}),
    ("컴활, 워드 자격증 우대", {"certificates": ("C0945", "C0608"),
                        "preferred": (("certificate", "C0945"), ("certificate", "C0608"))}),
    ("용접기능사 필수, 특수용접기능사 우대", {"certificates": ("C0599", "C0973"), "preferred": (("certificate", "C0973"),)}),
    ("경리 사무원, 우대사항: 전산회계운용사, 컴활", {"occupations": ("027",), "certificates": ("C0746", "C0945"),
                                      "preferred": (("certificate", "C0746"), ("certificate", "C0945"))}),
    ("가급적 대졸, 용접 경력 5년", {"occupations": ("824",), "min_career_months": 60, "education": "대졸",
                          "preferred": (("education", ""),)}),
    ("경력자 선호 물류", {"occupations": ("624",), "min_career_months": 1, "preferred": (("career", ""),)}),
    ("운전면허 있으면 좋음 배송기사", {"occupations": ("624",), "certificates": ("C0607",),
                           "preferred": (("certificate", "C0607"),)}),
    # a preference beside a requirement of the same kind: the requirement stays
    ("경력 2년 이상, 5년 이상이면 우대 용접", {"occupations": ("824",), "min_career_months": 24}),
    ("평택 근무, 평택 거주자 우대 생산직", {"occupations": ("890",), "districts": (PYEONGTAEK,)}),
    # a licence named like a job: required before 필수/면허, preferred in a search for another job
    ("간호사 필수, 서울 강남구", {"districts": (District("11", "강남구"),), "certificates": ("C0034",)}),
    ("요양원 간호조무사, 간호사 면허 우대", {"occupations": ("307",), "certificates": ("C0034",), "free_text": "요양원",
                                  "preferred": (("certificate", "C0034"),)}),
    ("간호조무사 모집, 간호사 우대", {"occupations": ("307",), "certificates": ("C0034",),
                            "preferred": (("certificate", "C0034"),)}),
    ("간호사 우대", {"occupations": ("304",)}),  # no other job: the nurse is who is searched for
]


def test_there_are_more_than_forty_distinct_phrasings() -> None:
    assert len({sentence for sentence, _ in PHRASINGS}) == len(PHRASINGS) >= 40


@pytest.mark.parametrize(("sentence", "fields"), PHRASINGS, ids=[s for s, _ in PHRASINGS])
def test_a_sentence_becomes_exactly_these_conditions(ref: Reference, sentence: str, fields: dict[str, Any]) -> None:
    assert parse_talent_query(sentence, ref) == TalentQuery(**fields)


def test_the_issue_example_reads_as_forklift_pyeongtaek_three_years(ref: Reference) -> None:
    query = parse_talent_query("지게차 경력 3년 이상, 평택 근무 가능한 분", ref)
    assert [c.label for c in describe_chips(query, ref)] == [
        "직종: 물품이동장비 조작원(크레인·호이스트·지게차)", "지역: 경기 평택시", "경력: 3년 이상",
    ]


@pytest.mark.parametrize("sentence", ["주 5일 근무", "주 6일 가능한 분"])
def test_days_a_week_are_never_career(ref: Reference, sentence: str) -> None:
    query = parse_talent_query(sentence, ref)
    assert (query.min_career_months, query.max_career_months) == (None, None)
    assert query.free_text.startswith("주 ")


def test_short_place_names_that_are_common_words_need_a_place_context(ref: Reference) -> None:
    assert parse_talent_query("예산 관리 경험 있는 경리", ref).districts == ()
    assert parse_talent_query("상주 근무 가능한 경비원", ref).districts == ()
    assert parse_talent_query("예산 지역 경리", ref).districts == (District("44", "예산군"),)
    assert parse_talent_query("경북 상주 경비원", ref).districts == (District("47", "상주시"),)


def test_parts_of_a_city_name_the_city(ref: Reference) -> None:
    assert parse_talent_query("분당 거주 디자이너", ref).districts == (District("41", "성남시"),)
    assert parse_talent_query("용인시 수지구 경리", ref).districts == (District("41", "용인시"),)
    assert parse_talent_query("수지 가공 생산직", ref).districts == ()  # 수지 is resin here


def test_an_unqualified_repeated_district_name_keeps_every_candidate(ref: Reference) -> None:
    query = parse_talent_query("중구 바리스타", ref)
    assert {d.region_code for d in query.districts} == {"11", "26", "27", "28", "30", "31"}
    assert parse_talent_query("울산 중구 바리스타", ref).districts == (District("31", "중구"),)


def test_every_alias_and_landmark_names_a_row_of_the_reference(ref: Reference) -> None:
    from app.services.talent.query import _CERTIFICATE_ALIASES, _LANDMARKS

    names = set(ref.certificates["name"])
    assert {alias: name for alias, name in _CERTIFICATE_ALIASES.items() if name not in names} == {}
    districts = set(zip(ref.districts["region_code"], ref.districts["name"], strict=True))
    assert {k: v for k, v in _LANDMARKS.items() if not set(v) <= districts} == {}
    for landmark, places in _LANDMARKS.items():
        assert parse_talent_query(f"{landmark} 근처 생산직", ref).districts == tuple(District(*p) for p in places)


@pytest.mark.parametrize(("sentence", "kept"), [
    ("강남역 근처 경리", "강남역"),  # on the border of 강남구 and 서초구
    ("서울역 근처 경리", "서울역"),
    ("김포공항 보안요원", "김포공항"),
    ("인천공항공사 경력", "인천공항공사"),  # a company, not the airport's 중구
    ("중구청 근처 경리", "중구청"),
])
def test_a_landmark_on_a_border_or_a_longer_word_is_no_place(ref: Reference, sentence: str, kept: str) -> None:
    query = parse_talent_query(sentence, ref)
    assert (query.regions, query.districts) == ((), ())
    assert kept in query.free_text


def test_a_grade_the_table_does_not_hold_is_not_that_certificate(ref: Reference) -> None:
    assert parse_talent_query("컴활 2급", ref).certificates == ("C0945",)
    for sentence in ("컴활 1급 소지자", "컴퓨터활용능력 1급"):
        query = parse_talent_query(sentence, ref)
        assert query.certificates == () and "1급" in query.free_text


def test_everyday_words_of_a_certificate_need_a_certificate_word(ref: Reference) -> None:
    assert parse_talent_query("워드 가능한 사무보조", ref).certificates == ()
    assert parse_talent_query("한식 뷔페 주방보조", ref).certificates == ()
    assert parse_talent_query("지게차 경력 2년", ref).certificates == ()


def test_preferred_chips_say_so_and_removing_one_drops_its_mark(ref: Reference) -> None:
    query = parse_talent_query("간호조무사 모집, 간호사 면허 우대, 경력 3년 이상이면 좋고 평택 거주", ref)
    assert [c.label for c in describe_chips(query, ref)] == [
        "직종: 보건·의료 종사자", "지역: 경기 평택시", "경력: 3년 이상 (우대)", "자격증: 간호사 (우대)",
    ]
    assert query.is_preferred("certificate", "C0034") and not query.is_preferred("district", PYEONGTAEK)
    edited = with_chip_removed(query, "certificate", "C0034")
    assert edited.certificates == () and edited.preferred == (("career", ""),)
    assert with_chip_removed(edited, "career").preferred == ()


def test_a_preferred_mark_without_its_condition_is_refused(ref: Reference) -> None:
    with pytest.raises(InvalidInput, match="우대 조건이 검색 조건에 없습니다"):
        validate_query(TalentQuery(occupations=("027",), preferred=(("certificate", "C0945"),)), ref)
    with pytest.raises(InvalidInput, match="우대 조건"):
        validate_query(TalentQuery(occupations=("027",), preferred=(("occupation", "027"),)), ref)


def test_preferred_conditions_order_the_search_but_never_filter_it(ref: Reference) -> None:
    query = parse_talent_query("용접기능사 필수, 특수용접기능사 우대, 대졸 우대, 경력 3년 이상이면 좋고 평택 거주", ref)
    filters = filters_from_query(query)
    assert (filters.certificates, filters.regions, filters.education) == (("C0599",), ("41",), None)
    assert (filters.min_career_months, filters.max_career_months) == (None, None)
    assert filters.preferred == Preferred(certificates=("C0973",), min_career_months=36, education="대졸")
    hard = filters_from_query(parse_talent_query("평택 거주 용접기능사 경력 3년 이상 대졸", ref))
    assert (hard.min_career_months, hard.education, hard.certificates) == (36, "대졸", ("C0599",))
    assert hard.preferred.is_empty()


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("sentence", ["ㅁㄴㅇㄹ", "asdf qwer", "!!!!", "1234", "ㅋㅋㅋㅋ", "???", "... ,,,"])
def test_nonsense_is_refused_with_a_korean_hint(ref: Reference, sentence: str) -> None:
    with pytest.raises(UnreadableQuery) as err:
        parse_talent_query(sentence, ref)
    assert "직종, 지역, 경력처럼 찾는 인재를 적어 주세요" in err.value.user_message
    assert isinstance(err.value, InvalidInput)


@pytest.mark.parametrize("sentence", ["", "   ", "\n\t"])
def test_an_empty_sentence_is_refused(ref: Reference, sentence: str) -> None:
    with pytest.raises(UnreadableQuery, match="검색할 문장을 입력해 주세요"):
        parse_talent_query(sentence, ref)


def test_a_pasted_document_is_refused_by_length(ref: Reference) -> None:
    sentence = "지게차 경력 3년 이상 " * 30
    assert len(sentence.strip()) > bounds.MAX_SEARCH_SENTENCE_CHARS
    with pytest.raises(UnreadableQuery, match=f"{bounds.MAX_SEARCH_SENTENCE_CHARS}자 이내"):
        parse_talent_query(sentence, ref)


def test_control_characters_are_refused(ref: Reference) -> None:
    with pytest.raises(UnreadableQuery, match="제어 문자"):
        parse_talent_query("지게차\x00 경력", ref)


def test_understood_words_without_conditions_are_not_refused(ref: Reference) -> None:
    assert parse_talent_query("경력 무관 학력 무관", ref).is_empty()
    only_excluded = parse_talent_query("남자", ref)
    assert only_excluded.is_empty() and only_excluded.excluded_terms == ("남자",)


# ---------------------------------------------------------------- validation

@pytest.mark.parametrize(("sentence", "message"), [
    ("경력 5~2년 용접", "경력의 최소(5년)가 최대(2년)보다 깁니다"),
    ("월 300만원에서 200만원 경리", "희망임금의 하한(월 300만원)이 상한(월 200만원)보다 높습니다"),
    ("경력 95년 이상 목수", "경력은 0년에서 90년 사이로"),
    ("월 5억 이상 개발자", "월 1억원을 넘습니다"),
    ("시급 500원 알바", "시간당 1,000원도 되지 않습니다"),
])
def test_contradictions_and_implausible_values_are_refused(ref: Reference, sentence: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_talent_query(sentence, ref)


@pytest.mark.parametrize("query", [
    TalentQuery(occupations=("999",)),
    TalentQuery(regions=("99",)),
    TalentQuery(districts=(District("11", "평택시"),)),
    TalentQuery(certificates=("C9999",)),
    TalentQuery(education="무관"),
    TalentQuery(employment_types=("프리랜서",)),
    TalentQuery(work_patterns=("night",)),
    TalentQuery(min_career_months=-1),
    TalentQuery(free_text="가" * (bounds.MAX_SEARCH_SENTENCE_CHARS + 1)),
])
def test_an_edited_query_with_unknown_or_bad_values_is_refused(ref: Reference, query: TalentQuery) -> None:
    with pytest.raises(InvalidInput):
        validate_query(query, ref)


def test_a_parsed_query_passes_validation(ref: Reference) -> None:
    for sentence, _ in PHRASINGS:
        validate_query(parse_talent_query(sentence, ref), ref)


# ---------------------------------------------------------------- chips

def test_chips_say_each_condition_in_korean(ref: Reference) -> None:
    query = parse_talent_query(
        "서울 용접 경력 2~5년 용접기능사 고졸 이상 월 250~300만원 정규직 야간 가능 성실한 분 20대", ref
    )
    assert [(c.key, c.label) for c in describe_chips(query, ref)] == [
        ("occupation", "직종: 용접원 및 용접기 조작원"),
        ("region", "지역: 서울"),
        ("career", "경력: 2년 이상 5년 이하"),
        ("certificate", "자격증: 용접기능사"),
        ("education", "학력: 고졸 이상"),
        ("wage", "희망임금: 월 250만원~300만원"),
        ("employment_type", "고용형태: 정규직"),
        ("work_pattern", "근무형태: 야간"),
        ("free_text", "그 밖의 조건: 성실한"),
        ("excluded", "검색에서 뺀 말: 20대 (성별·나이·혼인·외모는 채용 조건으로 쓸 수 없습니다)"),
    ]


@pytest.mark.parametrize(("fields", "label"), [
    ({"max_career_months": 0}, "경력: 신입"),
    ({"min_career_months": 1}, "경력: 경력 있음"),
    ({"min_career_months": 18}, "경력: 1년 6개월 이상"),
    ({"max_career_months": 35}, "경력: 3년 미만"),
    ({"max_career_months": 36}, "경력: 3년 이하"),
    ({"wage_max": 2_500_000}, "희망임금: 월 250만원 이하"),
    ({"wage_min": 2_916_667}, "희망임금: 월 292만원 이상"),
])
def test_career_and_wage_chip_wording(ref: Reference, fields: dict[str, int], label: str) -> None:
    assert [c.label for c in describe_chips(TalentQuery(**fields), ref)] == [label]


def test_chip_labels_show_no_codes_or_english(ref: Reference) -> None:
    for sentence, _ in PHRASINGS:
        for chip in describe_chips(parse_talent_query(sentence, ref), ref):
            if chip.key == "free_text":
                continue  # the user's own words, shown as typed ("Python")
            assert not re.search(r"[A-Za-z]|\b\d{3}\b|C\d{4}", chip.label), chip.label


def test_removing_chips_edits_the_query(ref: Reference) -> None:
    query = parse_talent_query("지게차 경력 3년 이상, 평택 근무 가능한 분 꼼꼼한 남자", ref)
    chips = {c.key: c for c in describe_chips(query, ref)}
    assert chips["district"].value == "41:평택시"
    edited = with_chip_removed(query, "district", chips["district"].value)
    edited = with_chip_removed(edited, "career")
    edited = with_chip_removed(edited, "free_text")
    edited = with_chip_removed(edited, "excluded")
    assert edited == TalentQuery(occupations=("623",))
    assert with_chip_removed(edited, "occupation", "623").is_empty()
    with pytest.raises(InvalidInput, match="알 수 없는 검색 조건"):
        with_chip_removed(query, "nonsense")


def test_parsing_reuses_the_dictionaries_of_a_reference(ref: Reference) -> None:
    from app.services.talent.query import _vocabulary

    assert _vocabulary(ref) is _vocabulary(ref)
