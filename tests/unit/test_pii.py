"""PII masking (app/text/pii.py): every rule with look-alikes that must stay, properties, the world."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db.rrn import load_rrn_cipher
from app.text.pii import (
    PII_KINDS,
    PiiSpan,
    find_pii,
    mask_address,
    mask_counts,
    mask_email,
    mask_frame,
    mask_name,
    mask_phone,
    mask_pii,
    mask_rrn,
    mask_with_counts,
)

SAMPLE = """이 력 서

< 인적사항 >
성명 | 이아숙
생년월일 | 1988-08-06 (만 37세)
H.P | 010-3649-8245
E-mail | asuk_lee@naver.com
거주지 주소 | 인천광역시 부평구 경인로 91, 506호

< 학력 사항 >
2007.03 ~ 2009.02  새솔전문대학 금속공학과 졸업

< 경력 >
2020.09 ~ 2024.10  하늘택배(주)  팀장

< 희망 조건 >
희망 직종 | 방송·통신장비 설치·수리원
희망 급여 | 연봉 4,920만원
희망 근무지 | 인천광역시

위 기재 사항은 사실과 다름이 없습니다.
2026년 1월 1일
작성자 이아숙 (인)
"""

SAMPLE_MASKED = """이 력 서

< 인적사항 >
성명 | 이○숙
생년월일 | 1988-**-** (만 37세)
H.P | 010-****-8245
E-mail | as***@naver.com
거주지 주소 | 인천광역시 부평구 ***

< 학력 사항 >
2007.03 ~ 2009.02  새솔전문대학 금속공학과 졸업

< 경력 >
2020.09 ~ 2024.10  하늘택배(주)  팀장

< 희망 조건 >
희망 직종 | 방송·통신장비 설치·수리원
희망 급여 | 연봉 4,920만원
희망 근무지 | 인천광역시

위 기재 사항은 사실과 다름이 없습니다.
2026년 1월 1일
작성자 이○숙 (인)
"""


def _kinds(text: str, names: tuple[str, ...] = ()) -> list[str]:
    return [s.kind for s in find_pii(text, names=names)]


# --------------------------------------------------------------------------------------------
# The sample résumé
# --------------------------------------------------------------------------------------------
def test_sample_resume_is_masked_exactly() -> None:
    assert mask_pii(SAMPLE) == SAMPLE_MASKED


def test_sample_resume_spans_and_counts() -> None:
    spans = find_pii(SAMPLE)
    assert [(s.kind, s.text) for s in spans] == [
        ("name", "이아숙"),
        ("birth_date", "1988-08-06"),
        ("phone", "010-3649-8245"),
        ("email", "asuk_lee@naver.com"),
        ("address", "인천광역시 부평구 경인로 91, 506호"),
        ("name", "이아숙"),
    ]
    assert all(SAMPLE[s.start:s.end] == s.text for s in spans)
    assert mask_counts(SAMPLE) == {**dict.fromkeys(PII_KINDS, 0), "phone": 1, "email": 1, "address": 1, "birth_date": 1, "name": 2}


def test_pii_span_is_frozen() -> None:
    span = PiiSpan("rrn", 0, 14, "880806-2441294")
    with pytest.raises(AttributeError):
        span.kind = "phone"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# 주민등록번호
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rrn",
    [
        "880806-2441294",
        "8808062441294",
        "880806 - 2441294",
        "880806 -2441294",
        "880806\u20132441294",  # en dash
        "880806\u20142441294",  # em dash
        "880806\uff0d2441294",  # full-width hyphen
        "880806\u22122441294",  # minus sign
        "880806 2441294",
        "020731-4282261",  # born 2000s
        "920115-5123456",  # foreigner (G = 5-8)
        "920115-8123456",
        "990101-0123456",  # born 1800s (G = 0/9)
        "880806-2******",  # tail starred by the writer: the birth date still shows
    ],
)
def test_rrn_is_masked_completely(rrn: str) -> None:
    assert mask_pii(f"주민등록번호 : {rrn} 입니다") == "주민등록번호 : ******-******* 입니다"
    assert _kinds(rrn) == ["rrn"]
    assert mask_rrn(rrn) == "******-*******"


@pytest.mark.parametrize(
    "text",
    [
        "주문번호 2024123456789",  # 13 digits, month 24
        "9913325678901",  # month 13
        "880832-1234567",  # day 32
        "880006-1234567",  # month 00
        "88080612345678",  # 14 digits: part of a longer run
        "18808061234567",
        "880806-123456",  # tail too short
        "사업자등록번호 124-81-00998",
        "2007.03 ~ 2009.02",
    ],
)
def test_rrn_look_alikes_stay(text: str) -> None:
    assert "rrn" not in _kinds(text)
    assert mask_pii(text) == text


@pytest.mark.parametrize("text", ["주민번호 ８８０８０６－２４４１２９４ 입니다", "주민번호 900305_1234567", "주민번호 851120.1023456"])
def test_mask_rrn_masks_every_span_find_pii_reports(text: str) -> None:
    # Importers mask RRNs in free text span by span: each reported span must mask completely.
    (span,) = [s for s in find_pii(text) if s.kind == "rrn"]
    assert mask_rrn(span.text) == "******-*******"
    assert mask_rrn("１２－３４") == "**－**"


def test_mask_rrn_on_other_strings_hides_digits() -> None:
    assert mask_rrn("12-34") == "**-**"
    assert mask_rrn("") == ""


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("010-3649-8245", "010-****-8245"),
        ("010 1234 5678", "010 **** 5678"),
        ("01012345678", "010****5678"),
        ("010.1234.5678", "010.****.5678"),
        ("010 - 1234 - 5678", "010 - **** - 5678"),
        ("011-123-4567", "011-***-4567"),
        ("016-1234-5678", "016-****-5678"),
        ("0191234567", "019***4567"),
        ("+82 10-1234-5678", "+82 10-****-5678"),
        ("+82-10-1234-5678", "+82-10-****-5678"),
        ("+821012345678", "+8210****5678"),
        ("+82 2-123-4567", "+82 2-***-4567"),
        ("02-123-4567", "02-***-4567"),
        ("02-1234-5678", "02-****-5678"),
        ("(02) 1234-5678", "(02) ****-5678"),
        ("031-123-4567", "031-***-4567"),
        ("064-1234-5678", "064-****-5678"),
        ("051 123 4567", "051 *** 4567"),
        ("070-1234-5678", "070-****-5678"),
        ("080-123-4567", "080-***-4567"),
    ],
)
def test_phone_middle_group_is_masked(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
    assert mask_pii(f"연락처 {phone}로 연락 바랍니다.") == f"연락처 {masked}로 연락 바랍니다."
    assert _kinds(f"({phone})") == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "2020.09 ~ 2024.10  하늘택배(주)  팀장",
        "희망 급여 | 연봉 4,920만원",
        "연봉 1500-2000만원",
        "1850-1900년 사이",
        "0212345678",  # a landline prefix without separators is as likely an account number
        "주문번호 201012345678",  # 010… inside a longer digit run
        "사업자등록번호 124-81-00998",
        "2010.12.25 입사",
        "010-1234-5678-9",  # some other identifier
        "버전 3.1588-1234",
        "020-1234-5678",  # no such area code
    ],
)
def test_phone_look_alikes_stay(text: str) -> None:
    assert "phone" not in _kinds(text)
    assert mask_pii(text) == text


@pytest.mark.parametrize("number", ["1588-1234", "1644-0000", "1899-5678", "1577 8282"])
def test_representative_numbers_are_a_companys(number: str) -> None:
    # 15XX/16XX/18XX numbers are issued to businesses only: never the seeker's, never masked in
    # text; mask_phone still masks one when a caller asks for it explicitly.
    assert mask_pii(f"고객센터 {number}로 문의") == f"고객센터 {number}로 문의"
    assert mask_pii(f"연락처 {number}") == f"연락처 {number}"
    assert mask_phone("1588-1234") == "1588-****"


def test_mask_phone_fallback_keeps_ends_only() -> None:
    assert mask_phone("12345678901") == "123****8901"
    assert mask_phone("1234") == "****"
    assert mask_phone("") == ""


# --------------------------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("asuk_lee@naver.com", "as***@naver.com"),
        ("yewon.lee13@hanmail.net", "ye***@hanmail.net"),
        ("hn.koo@naver.com", "hn***@naver.com"),
        ("abc@daum.net", "ab***@daum.net"),
        ("ab@gmail.com", "a***@gmail.com"),
        ("a@kakao.com", "a***@kakao.com"),
        ("First.Last+tag@mail.example.co.kr", "Fi***@mail.example.co.kr"),
    ],
)
def test_email_local_part_is_masked(email: str, masked: str) -> None:
    assert mask_email(email) == masked
    assert mask_pii(f"E-mail | {email}") == f"E-mail | {masked}"


def test_email_glued_to_korean_particle() -> None:
    text = "궁금하신 점은 kimdongbin@naver.com으로 문의해 주시기 바랍니다."
    assert mask_pii(text) == "궁금하신 점은 ki***@naver.com으로 문의해 주시기 바랍니다."


@pytest.mark.parametrize(
    "text",
    [
        "@naver.com", "user@localhost", "이메일 없음", "as***@naver.com",
        "a" * 80 + "@x.com",  # longer than any real local part
    ],
)
def test_email_look_alikes_stay(text: str) -> None:
    assert "email" not in _kinds(text)
    assert mask_pii(text) == text


def test_mask_email_edge_cases() -> None:
    assert mask_email("as***@naver.com") == "as***@naver.com"
    assert mask_email("noatsign") == "no***"
    assert mask_email("") == ""


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("거주지 주소 | 인천광역시 부평구 경인로 91, 506호", "거주지 주소 | 인천광역시 부평구 ***"),
        ("현주소 : 서울특별시 마포구 양화로 18, 122동 1502호", "현주소 : 서울특별시 마포구 ***"),
        ("주소: 충청북도 진천군 덕산로 16, 206호 (해오름스퀘어)", "주소: 충청북도 진천군 ***"),
        ("주소 | 경기도 수원시 팔달구 효원로 1", "주소 | 경기도 수원시 팔달구 ***"),
        ("주소 | 경기도 수원시 영통구 광교로 145, 302동 1101호", "주소 | 경기도 수원시 영통구 ***"),
        ("주소 | 서울특별시 강남구 논현로28길 12, 301호", "주소 | 서울특별시 강남구 ***"),
        ("주소 | 부산광역시 남구 수영로 51-6, 403호", "주소 | 부산광역시 남구 ***"),
        ("주소 | 세종특별자치시 한누리대로 2130", "주소 | 세종특별자치시 ***"),
        ("주소 | 강원특별자치도 춘천시 중앙로 5", "주소 | 강원특별자치도 춘천시 ***"),
        ("주소 | 강원도 원주시 원일로 12", "주소 | 강원도 원주시 ***"),
        ("주소 | 전북특별자치도 전주시 완산구 효자로 3", "주소 | 전북특별자치도 전주시 완산구 ***"),
        ("주소 | 전라북도 익산시 무왕로 7", "주소 | 전라북도 익산시 ***"),
        ("주소 | 제주특별자치도 제주시 노형로 1", "주소 | 제주특별자치도 제주시 ***"),
        ("주소 | 경남 창원시 마산회원구 3·15대로 20", "주소 | 경남 창원시 마산회원구 ***"),
        ("주소 | 경기 안산시 단원구 원포공원1로 9", "주소 | 경기 안산시 단원구 ***"),
        ("주소 | 서울 강남구 역삼동 123-4", "주소 | 서울 강남구 ***"),
        ("주소 | 서울 종로구 종로1가 12", "주소 | 서울 종로구 ***"),
        ("주소 | 경기도 화성시 봉담읍 동화리 산 12번지", "주소 | 경기도 화성시 ***"),
        ("주소 | 서울 강남구 역삼동 우성아파트 101동 202호", "주소 | 서울 강남구 ***"),
        ("주소 | 대전 유성구 대학로 99 | 연락처 010-1234-5678", "주소 | 대전 유성구 *** | 연락처 010-****-5678"),
        ("인천광역시 부평구 경인로 91, 506호", "인천광역시 부평구 ***"),
    ],
)
def test_address_keeps_sido_and_sigungu(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # Running text (counsellor notes): the sentence after the address stays.
        (
            "주소지 서울특별시 송파구 오금로 32, 119동 2306호 기준으로 통근 가능 지역을 확인함.",
            "주소지 서울특별시 송파구 *** 기준으로 통근 가능 지역을 확인함.",
        ),
        (
            "거주지(충청북도 진천군 덕산로 16, 206호 (해오름스퀘어)) 인근 구인처 위주로 탐색하기로 함.",
            "거주지(충청북도 진천군 ***) 인근 구인처 위주로 탐색하기로 함.",
        ),
        ("주소지 경기도 용인시 수지구 풍덕천로 113 기준으로", "주소지 경기도 용인시 수지구 *** 기준으로"),
        ("서울 마포구 양화로 18 3층에서 면접", "서울 마포구 ***에서 면접"),
        ("서울 강남구 테헤란로 12 010 1234 5678", "서울 강남구 *** 010 **** 5678"),
    ],
)
def test_address_in_running_text(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "희망 근무지 | 인천광역시",
        "희망 근무지 : 경기 수원시",
        "인천광역시 지역에서 오래 일하며 지역 사회에 보탬이 되고 싶습니다.",
        "저는 인천광역시에서 나고 자랐습니다.",
        "경상남도 지역에서 오래 일하며",
        "근무지: 서울 강남구",
        "경기 침체로 5년간 어려움을 겪었습니다.",
        "서울 지하철 2호선 이용",
        "서울 강남구에서 3년 근무",
        "광주 남구 일대",
        "인천광역시",
    ],
)
def test_region_without_road_or_lot_is_no_address(text: str) -> None:
    assert "address" not in _kinds(text)
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("인천광역시 부평구 경인로 91, 506호", "인천광역시 부평구 ***"),
        ("서울특별시 마포구 양화로 18, 122동 1502호", "서울특별시 마포구 ***"),
        ("충청북도 진천군 덕산로 16, 206호 (해오름스퀘어)", "충청북도 진천군 ***"),
        ("경기도 수원시 팔달구 효원로 1", "경기도 수원시 팔달구 ***"),
        ("세종특별자치시 한누리대로 2130", "세종특별자치시 ***"),
        ("인천광역시 부평구 ***", "인천광역시 부평구 ***"),
        ("인천광역시 부평구", "인천광역시 부평구"),
        ("경인로 91", "***"),
        ("", ""),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked


# --------------------------------------------------------------------------------------------
# Birth dates
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("생년월일 | 1988-08-06 (만 37세)", "생년월일 | 1988-**-** (만 37세)"),
        ("생년월일 : 1994.05.10", "생년월일 : 1994.**.**"),
        ("생년월일: 1988년 8월 6일", "생년월일: 1988년 **월 **일"),
        ("생년월일 880806", "생년월일 88****"),
        ("생년월일 19880806", "생년월일 1988****"),
        ("생년월일(양력) : 1988.8.6", "생년월일(양력) : 1988.**.**"),
        ("출생 1988/08/06", "출생 1988/**/**"),
        ("생일: 1988-08-06", "생일: 1988-**-**"),
        ("Date of birth: 1988-08-06", "Date of birth: 1988-**-**"),
        ("1988년 8월 6일생입니다", "1988년 **월 **일생입니다"),
        ("1988.08.06 생", "1988.**.** 생"),
    ],
)
def test_birth_date_keeps_year_only(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2020.09 ~ 2024.10  하늘택배(주)  팀장",
        "2007-03 ~ 2009-02  새솔전문대학 금속공학과 졸업",
        "2026년 1월 1일",
        "입사 가능일 | 2026-02-01",
        "2024.01.05 생산라인 배치",
        "생년월일 | 1988-13-06",  # no 13th month
        "생년월일 | 1988-**-**",
    ],
)
def test_other_dates_stay(text: str) -> None:
    assert "birth_date" not in _kinds(text)
    assert mask_pii(text) == text


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [("이아숙", "이○숙"), ("남궁민수", "남○○수"), ("김민", "김○"), ("이 아 숙", "이 ○ 숙"), ("김", "○"), ("", "")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_known_names_every_occurrence() -> None:
    text = "이아숙 님 내방하여 상담을 진행함. 이 아 숙 구직자는 이아숙의 이력서를 보완함."
    assert mask_pii(text, names=["이아숙"]) == "이○숙 님 내방하여 상담을 진행함. 이 ○ 숙 구직자는 이○숙의 이력서를 보완함."
    assert mask_counts(text, names=["이아숙"])["name"] == 3


def test_known_names_longest_first_and_as_plain_string() -> None:
    assert mask_pii("남궁민수 님과 남궁민 님", names=["남궁민", "남궁민수"]) == "남○○수 님과 남○민 님"
    assert mask_pii("김민 구직자", names="김민") == "김○ 구직자"  # a bare str is one name


def test_known_name_must_start_a_word() -> None:
    assert mask_pii("공정우선 원칙", names=["정우"]) == "공정우선 원칙"
    assert mask_pii("정우 님", names=["정우"]) == "정○ 님"


def test_empty_short_and_absurd_names_are_ignored() -> None:
    assert mask_pii("김 씨", names=["", " ", "김"]) == "김 씨"
    long_name = "가" * 5000
    assert mask_pii(long_name, names=[long_name]) == long_name


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("성명 | 이아숙", "성명 | 이○숙"),
        ("성 명 : 남궁민수", "성 명 : 남○○수"),
        ("이름: 김민", "이름: 김○"),
        ("성명(한글): 이아숙", "성명(한글): 이○숙"),
        ("작성자 이아숙 (인)", "작성자 이○숙 (인)"),
        ("성명 이아숙", "성명 이○숙"),
        ("성명 | 이 아 숙", "성명 | 이 ○ 숙"),
        ("성명 | 이아숙\n이아숙 님 내방", "성명 | 이○숙\n이○숙 님 내방"),  # a labelled name is masked everywhere
    ],
)
def test_labelled_names(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "이름 모를 꽃이 피었습니다.",
        "성명 | 생년월일 | 연락처",
        "수선, 성명에 자신이 있습니다.",
        "· 보호자 가능자",
        "제 이름은 이아숙입니다.",
        "작성자는 본인입니다.",
        "성명 | 이○숙",
    ],
)
def test_name_look_alikes_stay(text: str) -> None:
    assert "name" not in _kinds(text)
    assert mask_pii(text) == text


# --------------------------------------------------------------------------------------------
# General behaviour
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "가" * 10_000, "\x00\ud800\U0001f600", "①②③ ０１０－１２３４－５６７８", "@" * 1000, "010-" * 5000],
)
def test_odd_input_never_raises(text: str) -> None:
    masked = mask_pii(text)
    assert isinstance(masked, str)
    assert mask_pii(masked) == masked
    assert set(mask_counts(text)) == set(PII_KINDS)


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        mask_pii(None)  # type: ignore[arg-type]


def test_counts_have_every_kind() -> None:
    assert mask_counts("") == dict.fromkeys(PII_KINDS, 0)
    text = "880806-2441294 / 010-1234-5678 / 02-123-4567 / a@b.co / 이아숙"
    assert mask_counts(text, names=["이아숙"]) == {**dict.fromkeys(PII_KINDS, 0), "rrn": 1, "phone": 2, "email": 1, "name": 1}


def test_rrn_beats_birth_date_on_the_same_digits() -> None:
    assert mask_pii("생년월일: 880806-2441294") == "생년월일: ******-*******"
    assert _kinds("생년월일: 880806-2441294") == ["rrn"]


def test_address_line_holding_a_phone_is_masked_whole() -> None:
    # The address wins the overlap, so the phone inside its masked part does not stay visible.
    text = "주소: 서울 강남구 테헤란로 1 (Tel 02-123-4567)"
    assert mask_pii(text) == "주소: 서울 강남구 ***"


@pytest.mark.parametrize(
    "text",
    [
        "1" * 300_000,
        "a" * 300_000,
        "a.b" * 100_000 + "@",
        "a@b." * 75_000,
        "서울 " * 100_000,
        "서울 강남구 테헤란로 " * 25_000,
        "성명 | " * 50_000,
        "생년월일 1988-" * 25_000,
        "010 " * 75_000,
        "(" * 300_000,
        "1988년 8월 6일" * 25_000,
    ],
)
def test_adversarial_long_inputs_finish(text: str) -> None:
    # Not timed (timings are flaky on shared machines); a catastrophic-backtracking regex would
    # simply never finish here.
    spans = find_pii(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
# No "하": "하나" right before a number is a bank (하나은행) and masks it whole as an account,
# a correct result this exact-form check would not expect.
_FILLER = st.text(alphabet="가나다라마바사허고는를을에의 abcxyz,.!?~", max_size=12)
_DOMAINS = ("naver.com", "gmail.com", "daum.net", "hanmail.net", "mail.example.co.kr")
_SEPS = ("-", " ", ".", "")
_ADDRESSES = (
    ("인천광역시", "부평구"), ("서울특별시", "마포구"), ("경기도", "수원시 팔달구"), ("충청북도", "진천군"),
    ("부산광역시", "해운대구"), ("경남", "창원시 성산구"), ("제주특별자치도", "서귀포시"),
)
_ROADS = ("경인로", "양화로", "효원로", "덕산로", "해운대로", "중앙대로", "논현로28길")
_DETAILS = ("", ", 506호", ", 122동 1502호", ", 206호 (해오름스퀘어)", " 3층")
_NAMES = ("이아숙", "남궁민수", "김민")


@st.composite
def _pii_item(draw: st.DrawFn) -> tuple[str, str]:
    """(original, masked) for one random piece of PII, written the ways the world writes it."""
    kind = draw(st.sampled_from(("rrn", "mobile", "landline", "rep", "email", "address", "birth", "name")))
    digits = lambda n: draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    if kind == "rrn":
        d = draw(st.dates(dt.date(1930, 1, 1), dt.date(2019, 12, 31)))
        sep = draw(st.sampled_from(("-", "", " - ", "\u2013")))
        return f"{d:%y%m%d}{sep}{draw(st.integers(0, 9))}{digits(6)}", "******-*******"
    if kind == "mobile":
        prefix = draw(st.sampled_from(("010", "011", "016", "017", "018", "019")))
        mid = digits(4 if prefix == "010" else draw(st.sampled_from((3, 4))))
        sep = draw(st.sampled_from(_SEPS))
        last = digits(4)
        return f"{prefix}{sep}{mid}{sep}{last}", f"{prefix}{sep}{'*' * len(mid)}{sep}{last}"
    if kind == "landline":
        area = draw(st.sampled_from(("02", "031", "051", "064", "070")))
        mid = digits(draw(st.sampled_from((3, 4))))
        last = digits(4)
        return f"{area}-{mid}-{last}", f"{area}-{'*' * len(mid)}-{last}"
    if kind == "rep":  # a company's representative number: stays
        head = draw(st.sampled_from(("1588", "1644", "1899", "1577")))
        number = f"{head}-{digits(4)}"
        return number, number
    if kind == "email":
        local = draw(st.from_regex(r"[a-z][a-z0-9._]{0,12}", fullmatch=True))
        domain = draw(st.sampled_from(_DOMAINS))
        keep = 1 if len(local) <= 2 else 2
        return f"{local}@{domain}", f"{local[:keep]}***@{domain}"
    if kind == "address":
        sido, sgg = draw(st.sampled_from(_ADDRESSES))
        road = draw(st.sampled_from(_ROADS))
        number = draw(st.integers(1, 1200))
        detail = draw(st.sampled_from(_DETAILS))
        return f"{sido} {sgg} {road} {number}{detail}", f"{sido} {sgg} ***"
    if kind == "birth":
        d = draw(st.dates(dt.date(1940, 1, 1), dt.date(2010, 12, 31)))
        form = draw(st.integers(0, 3))
        if form == 0:
            return f"생년월일: {d.isoformat()}", f"생년월일: {d.year}-**-**"
        if form == 1:
            return f"생년월일 | {d:%Y.%m.%d}", f"생년월일 | {d.year}.**.**"
        if form == 2:
            return f"생년월일 {d.year}년 {d.month}월 {d.day}일", f"생년월일 {d.year}년 **월 **일"
        return f"생년월일 {d:%y%m%d}", f"생년월일 {d:%y}****"
    name = draw(st.sampled_from(_NAMES))
    return name, mask_name(name)


@given(st.lists(st.tuples(_FILLER, _pii_item()), max_size=6), _FILLER)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_injected_pii_is_masked_and_nothing_else_changes(
    pieces: list[tuple[str, tuple[str, str]]], tail: str
) -> None:
    text = "".join(f"{filler} {orig} " for filler, (orig, _) in pieces) + tail
    expected = "".join(f"{filler} {masked} " for filler, (_, masked) in pieces) + tail
    masked = mask_pii(text, names=_NAMES)
    assert masked == expected
    assert mask_pii(masked, names=_NAMES) == masked
    assert find_pii(masked, names=_NAMES) == []
    assert sum(mask_counts(text, names=_NAMES).values()) == sum(orig != masked for _, (orig, masked) in pieces)


_SAMPLES = (
    "880806-2441294", "010-3649-8245", "+82 10-1234-5678", "1588-1234", "asuk_lee@naver.com",
    "인천광역시 부평구 경인로 91, 506호", "생년월일 | 1988-08-06", "성명 | 이아숙", "작성자 이아숙 (인)",
    "주소: ", "서울 ", "강남구 ", "테헤란로 ", "12", "-", "@", "|", "\n", " ", "(인)", "생", "이 아 숙",
)


@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(_SAMPLES)), max_size=12))
@settings(max_examples=400, deadline=None)
def test_masking_is_idempotent_on_any_text(parts: list[str]) -> None:
    text = "".join(parts)
    spans = find_pii(text, names=["이아숙"])
    assert all(s.kind in PII_KINDS and text[s.start:s.end] == s.text and s.start < s.end for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    once = mask_pii(text, names=["이아숙"])
    assert mask_pii(once, names=["이아숙"]) == once


# --------------------------------------------------------------------------------------------
# mask_frame
# --------------------------------------------------------------------------------------------
def test_mask_frame_masks_columns_with_row_names() -> None:
    frame = pd.DataFrame(
        {
            "name": ["이아숙", "남궁민수", None],
            "note": ["이아숙 님 010-1234-5678", "남궁민수 님 내방", None],
            "other": ["이아숙", "x", "y"],
            "n": [1, 2, 3],
        },
        index=[10, 20, 30],
    )
    before = frame.copy()
    out = mask_frame(frame, ["note", "name"], names_column="name")
    assert list(out["note"])[:2] == ["이○숙 님 010-****-5678", "남○○수 님 내방"]
    assert pd.isna(out["note"].iloc[2])
    assert list(out["name"])[:2] == ["이○숙", "남○○수"]
    assert list(out["other"]) == ["이아숙", "x", "y"]  # not asked for
    assert list(out.index) == [10, 20, 30]
    pd.testing.assert_frame_equal(frame, before)  # the input is untouched


def test_mask_frame_without_names_column_and_errors() -> None:
    frame = pd.DataFrame({"text": ["성명 | 이아숙", "a@b.co"]})
    assert list(mask_frame(frame, ["text"])["text"]) == ["성명 | 이○숙", "a***@b.co"]
    with pytest.raises(KeyError):
        mask_frame(frame, ["missing"])
    with pytest.raises(KeyError):
        mask_frame(frame, ["text"], names_column="missing")


# --------------------------------------------------------------------------------------------
# The synthetic world: every format the generators write is caught
# --------------------------------------------------------------------------------------------
_KEEP_LINE = re.compile(r"^(?:희망 직종|\d{4}(?:[.-]\d{2}| ?년 \d{1,2}월) ~ )")


def test_world_texts_leak_no_seeker_pii(world_db: Path) -> None:
    with sqlite3.connect(f"file:{world_db}?mode=ro", uri=True) as con:
        seekers = con.execute(
            "select id, name, rrn_encrypted, phone, email, address, birth_date, resume_text, cover_letter_text"
            " from seekers"
        ).fetchall()
        notes = con.execute(
            "select s.name, s.phone, s.address, n.text"
            " from counsellor_notes n join seekers s on s.id = n.seeker_id"
        ).fetchall()
    cipher = load_rrn_cipher()  # the column is encrypted at rest: the plain number is what must not leak
    seekers = [(sid, name, cipher.decrypt(token), *rest) for sid, name, token, *rest in seekers]
    assert seekers and notes
    for sid, name, rrn, phone, email, address, birth, resume, letter in seekers:
        d = dt.date.fromisoformat(birth)
        secrets = {
            "name": name, "rrn": rrn, "rrn digits": rrn.replace("-", ""), "rrn front": rrn[:7],
            "phone": phone, "email": email, "address": address, "birth": birth,
            "birth dots": f"{d:%Y.%m.%d}", "birth korean": f"{d.year}년 {d.month}월 {d.day}일",
        }
        for text in (resume, letter):
            masked = mask_pii(text, names=[name])
            leaks = [k for k, v in secrets.items() if v in masked]
            assert not leaks, f"seeker {sid} leaks {leaks}:\n{masked}"
            kept = masked.splitlines()
            for line in text.splitlines():
                if _KEEP_LINE.match(line):
                    assert line in kept, f"seeker {sid}: line changed: {line!r}"
        assert f"{d.year}" in mask_pii(resume, names=[name])  # the birth year stays
    for name, phone, address, text in notes:
        masked = mask_pii(text, names=[name])
        assert name not in masked and phone not in masked and address not in masked, masked


# --------------------------------------------------------------------------------------------
# Issue 12: every kind the old masker missed, and the company data it masked by mistake
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("여권번호 M12345678", "여권번호 *********"),
        ("여권번호: M123A4567 (만료 2031.05)", "여권번호: ********* (만료 2031.05)"),
        ("Passport No. m70689098", "Passport No. *********"),
        ("베트남 여권 C1234567 소지", "베트남 여권 ******** 소지"),
        ("여권(M45678123) 사본 제출", "여권(*********) 사본 제출"),
    ],
)
def test_passport_numbers_are_masked_completely(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert "passport" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("운전면허번호 11-15-123456-78", "운전면허번호 **-**-******-**"),
        ("운전면허 : 서울 12-345678-90 (1종 보통)", "운전면허 : 서울 **-******-** (1종 보통)"),
        ("운전면허번호: 111512345678", "운전면허번호: ************"),
        ("Driver's license: 24-20-112233-44", "Driver's license: **-**-******-**"),
        ("면허 확인 13-09-765432-11 완료", "면허 확인 **-**-******-** 완료"),  # the dashed shape needs no label
    ],
)
def test_driver_licence_numbers_are_masked_completely(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert "driver_license" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("급여계좌: 국민은행 123456-01-234567", "급여계좌: 국민은행 ******-**-******"),
        ("신한 110-432-987654 (예금주 본인)", "신한 ***-***-****** (예금주 본인)"),
        ("입금 계좌 카카오뱅크 3333-12-3456789", "입금 계좌 카카오뱅크 ****-**-*******"),
        ("계좌번호는 농협 302-1234-5678-91입니다.", "계좌번호는 농협 ***-****-****-**입니다."),
        ("기업은행 010-1234-5678-01 으로 입금", "기업은행 ***-****-****-** 으로 입금"),
        ("급여 계좌(국민 94320201234567) 변경", "급여 계좌(국민 **************) 변경"),
        ("account no. 356-0987-6543-21 (NH)", "account no. ***-****-****-** (NH)"),
    ],
)
def test_bank_accounts_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert "bank_account" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("카톡 ID: haneul88", "카톡 ID: ha***"),
        ("카카오톡 아이디 minsu_park 로 연락 주세요.", "카카오톡 아이디 mi*** 로 연락 주세요."),
        ("카톡 아이디는 jjang_mom입니다.", "카톡 아이디는 jj***입니다."),
        ("텔레그램 @jylee_dev", "텔레그램 @jy***"),
        ("Telegram: hyunwoo_k", "Telegram: hy***"),
        ("라인 ID: nguyenvan92", "라인 ID: ng***"),
        ("t.me/dkimworks 로 메시지 주세요.", "t.me/dk*** 로 메시지 주세요."),
        ("오픈채팅 open.kakao.com/o/gAbC123d", "오픈채팅 open.kakao.com/o/gA***"),
    ],
)
def test_messenger_ids_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert "messenger" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "masked", "kind"),
    [
        ("블로그: blog.naver.com/haneul_daily", "블로그: blog.naver.com/ha***", "url"),
        ("포트폴리오 https://github.com/minsupark", "포트폴리오 https://github.com/mi***", "url"),
        ("개인 블로그 https://jyleelog.tistory.com", "개인 블로그 https://jy***.tistory.com", "url"),
        ("velog.io/@hyunwoo-dev 에 정리", "velog.io/@hy*** 에 정리", "url"),
        ("LinkedIn: linkedin.com/in/soyeon-choi-3a1b2", "LinkedIn: linkedin.com/in/so***", "url"),
        ("포트폴리오 사이트 https://www.kimhaneul.com", "포트폴리오 사이트 https://www.ki***.com", "url"),
        ("인스타그램 @haneul.daily", "인스타그램 @ha***", "sns"),
        ("트위터(X) @jylee_tweets", "트위터(X) @jy***", "sns"),
        ("페이스북 hyunwoo.kim.79", "페이스북 hy***", "sns"),
        ("Insta | @yuna.bakes", "Insta | @yu***", "sns"),
    ],
)
def test_personal_urls_and_sns_handles_are_masked(text: str, masked: str, kind: str) -> None:
    assert mask_pii(text) == masked
    assert kind in _kinds(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("H.P: 010ㅡ3392ㅡ1184", "H.P: 010ㅡ****ㅡ1184"),
        ("휴대폰 O1O-5521-9083", "휴대폰 O1O-****-9083"),
        ("연락처 : ０１０－７７２１－４４０８", "연락처 : ０１０－****－４４０８"),  # masked in place
        ("전화번호는 공일공 이삼사오 육칠팔구입니다.", "전화번호는 공일공 **** 육칠팔구입니다."),
        ("휴대전화 : 영일영-사사오오-육육칠칠", "휴대전화 : 영일영-****-육육칠칠"),
        ("연락처 010·2345·6789", "연락처 010·****·6789"),
        ("집 032)555-6666", "집 032)***-6666"),
    ],
)
def test_phones_written_other_ways_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("이메일: minsu.park88(at)gmail.com", "이메일: mi***(at)gmail.com"),
        ("E-mail | jiyeon_lee [at] naver [dot] com", "E-mail | ji*** [at] naver [dot] com"),
        ("메일 주소는 hyunwoo2020 골뱅이 daum.net 입니다", "메일 주소는 hy*** 골뱅이 daum.net 입니다"),
        ("e-mail: jane.cho at gmail dot com", "e-mail: ja*** at gmail dot com"),
        ("이메일 soyeon.choi＠hanmail.net", "이메일 so***＠hanmail.net"),
        ("이메일 parkjy 골뱅이 네이버닷컴", "이메일 pa*** 골뱅이 네이버닷컴"),
    ],
)
def test_obfuscated_emails_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "rrn", ["８８０８０６－２４４１２９４", "900305_1234567", "851120.1023456", "８９０１１５ ２１２３４５６"]
)
def test_full_width_and_underscore_or_dot_rrns_are_masked(rrn: str) -> None:
    assert mask_pii(f"주민등록번호 {rrn}") == "주민등록번호 ******-*******"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("생년월일 90.03.05", "생년월일 90.**.**"),
        ("DOB 05/03/1990", "DOB **/**/1990"),
        ("Date of Birth: 1992-11-23", "Date of Birth: 1992-**-**"),
        ("Born on March 5, 1990", "Born on *** **, 1990"),
        ("생일 3월 14일이라 면접이 어렵습니다", "생일 **월 **일이라 면접이 어렵습니다"),
        ("저는 1994년 5월 3일에 태어나", "저는 1994년 **월 **일에 태어나"),
        ("생년월일 | ２００１．０２．１４", "생년월일 | ２００１．**．**"),
    ],
)
def test_birth_dates_written_other_ways_keep_the_year_only(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "회사 대표번호 1588-1234로 문의하시면 됩니다.",
        "전 직장 하늘물류 대표전화 02-3456-7890",
        "고객센터(1644-9000) 상담원으로 2년 근무했습니다.",
        "(주)새솔전자 | 대표번호 031-789-1200 | 담당 업무: 생산관리",
        "본사 전화 02-555-0100, 팩스 02-555-0101로 서류 제출함.",
        "구인처 한빛식품(대표 055-123-4567)에 알선함.",
        "팩스 02-3456-1201 (회사)",
        "채용 문의는 recruit@saesol.co.kr 로 보내 주세요.",
        "공식 블로그 blog.naver.com/hanbitfood_official 운영 담당",
        "회사 인스타그램 계정(@saesol_official) 운영",
        "법인등록번호 110111-1234567",
        "Spring @Transactional 활용 경험",
        "생산 라인 SMT 3년",
        "계좌로 1,500,000원 입금",
        "품번 AB12345678 관리",
        "송장번호 123456789012 입력",
        "정보처리기사 자격번호 20231234567A",
        "회사 홈페이지 www.saesol.co.kr 참고",
        "고객님께 친절히 응대했습니다. 이사님과 면접",
        "김과장님, 이대리님, 박부장님께 보고드렸습니다.",
    ],
)
def test_company_data_and_look_alikes_stay(text: str) -> None:
    assert mask_pii(text) == text
    assert find_pii(text) == []


def test_a_personal_number_next_to_a_company_one_is_still_masked() -> None:
    text = "전 직장 대표전화 02-3456-7890, 제 휴대폰은 010-5512-3340, 자택 02-765-4321입니다."
    assert mask_pii(text) == "전 직장 대표전화 02-3456-7890, 제 휴대폰은 010-****-3340, 자택 02-***-4321입니다."


def test_offsets_index_the_original_text_after_normalisation() -> None:
    text = "㈜하늘 직원 연락처 ０１０－７７２１－４４０８ / 이메일 ａｂｃｄ＠naver.com"
    spans = find_pii(text)
    assert [(s.kind, s.text) for s in spans] == [("phone", "０１０－７７２１－４４０８"), ("email", "ａｂｃｄ＠naver.com")]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert mask_pii(text) == "㈜하늘 직원 연락처 ０１０－****－４４０８ / 이메일 ａｂ***＠naver.com"


@pytest.mark.parametrize(
    "text",
    [
        "카톡 ID: haneul88 / 텔레그램 @jylee / blog.naver.com/haneul_daily / jylee.tistory.com",
        "포트폴리오 https://www.kimhaneul.com, 인스타 @a.b",
        "여권 M123A4567, 운전면허 11-15-123456-78, 국민 123456-01-234567",
        "O1O ㅡ 1234 ㅡ 5678, 공일공 일이삼사 오육칠팔, id(at)naver.com, 생년월일 90.03.05",
        "Name: Kim Minji, 구직자(유재석), 박민수 님",
    ],
)
def test_new_kinds_mask_idempotently(text: str) -> None:
    once = mask_pii(text)
    assert once != text
    assert mask_pii(once) == once
    assert find_pii(once) == []


def test_mask_with_counts_matches_mask_pii() -> None:
    text = "카톡 haneul88, 010-1234-5678, 여권 M12345678, 대표번호 1588-1234"
    masked, counts = mask_with_counts(text)
    assert masked == mask_pii(text)
    assert counts == {**dict.fromkeys(PII_KINDS, 0), "messenger": 1, "phone": 1, "passport": 1}


@pytest.mark.parametrize(
    "text",
    ["공일공 " * 100_000, "O1O-" * 100_000, "ㅡ" * 300_000, "(at)" * 75_000, "카톡 " * 100_000, "계좌 1" * 60_000,
     "blog.naver.com/" * 20_000, "포트폴리오 " * 50_000, "０" * 300_000, "a\u0301" * 150_000],
)
def test_adversarial_inputs_of_the_new_finders_finish(text: str) -> None:
    spans = find_pii(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("제 번호는 영일영 사삼이일 팔칠육오이고 밤에도 괜찮습니다.", "제 번호는 영일영 **** 팔칠육오이고 밤에도 괜찮습니다."),
        ("WhatsApp: +84 912 345 678", "WhatsApp: +84 *** **5 678"),
        ("연락처 +1 (415) 555-2671", "연락처 +1 (***) ***-2671"),
        ("LINE: tanaka_k", "LINE: ta***"),
        ("텔레 @hana_song", "텔레 @ha***"),
        ("IG: @abc_def", "IG: @ab***"),
        ("메일 abc123@naver dot com", "메일 ab***@naver dot com"),
        ("주민등록 번호 990909-2 345678", "주민등록 번호 ******-*******"),
    ],
)
def test_spacing_particles_and_foreign_numbers(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked
