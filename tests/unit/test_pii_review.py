"""Findings of the issue-12 security review of the masker (H2, M2, M3): each case failed before.

H2: a company word anywhere near a mobile number or an RRN no longer unmasks it; only a label
naming the company's line (or number) right before it does. M2: numbers, e-mails, names and
birth dates written in ways the finders missed. M3: look-alikes that were masked by mistake.
"""

from __future__ import annotations

import pytest

from app.text.pii import find_pii, mask_pii


def _masks_idempotently(text: str, masked: str) -> None:
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked


# --------------------------------------------------------------------------- H2: company context


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("희망기업 연락처 010-1234-5678", "희망기업 연락처 010-****-5678"),
        ("전 회사 동료 김철수 010-9876-5432", "전 회사 동료 김철수 010-****-5432"),
        ("학생회 대표 010-1234-5678", "학생회 대표 010-****-5678"),
        ("법인영업 3년. 010-1234-5678", "법인영업 3년. 010-****-5678"),
        ("회사 010-1234-5678 (개인)", "회사 010-****-5678 (개인)"),
        ("본인 휴대폰(회사 지급) 010-1234-5678", "본인 휴대폰(회사 지급) 010-****-5678"),
        ("사업자번호 없음 주민 900101-1234567", "사업자번호 없음 주민 ******-*******"),
        # variants: a company word before, then anything but a label naming the company's line
        ("기업 인턴 수료, 비상연락 011-234-5678", "기업 인턴 수료, 비상연락 011-***-5678"),
        ("회사 010-2222-3333", "회사 010-****-3333"),
        ("대표번호 02-123-4567 (개인)", "대표번호 02-***-4567 (개인)"),
        ("법인 설립 예정, 주민등록번호 850505-1234567", "법인 설립 예정, 주민등록번호 ******-*******"),
    ],
)
def test_a_company_word_nearby_does_not_unmask_personal_numbers(text: str, masked: str) -> None:
    _masks_idempotently(text, masked)


@pytest.mark.parametrize(
    "text",
    [
        "대표번호 1588-1234",
        "대표번호 02-123-4567",
        "회사 대표전화 02-2100-7000",
        "고객센터: 010-2345-6789",  # a label naming the company's line, separators only
        "회사 전화 | 010-2345-6789",
        "대표번호(주간) 010-2345-6789",
        "연락처 010-2345-6789 (회사)",
        "법인등록번호 110111-1234567",
        "사업자 등록번호: 110111-1234567",
        "물류센터 02-123-4567",  # a workplace landline (docs/pii.md: a company's line)
    ],
)
def test_company_lines_and_numbers_stay(text: str) -> None:
    assert mask_pii(text) == text


# --------------------------------------------------------------------------- M2: misses


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("010_1234_5678", "010_****_5678"),
        ("010~1234~5678", "010~****~5678"),
        ("0\u200b1\u200b0-1234-5678", "0\u200b1\u200b0-****-5678"),
        ("010\xad1234\xad5678", "010\xad****5678"),
        ("010\u20601234\u20605678", "010\u2060****5678"),
        ("\ufeff010-1234-5678", "\ufeff010-****-5678"),
        ("minsu.kim @ gmail.com", "mi*** @ gmail.com"),
        ("minsu.kim@gmail,com", "mi***@gmail,com"),
        ("공일공에 일이삼사에 오육칠팔", "공일공에 ****에 오육칠팔"),
        ("0 1 0 1 2 3 4 5 6 7 8", "0 1 0 * * * * 5 6 7 8"),
        ("〇一〇-1234-5678", "〇一〇-****-5678"),
        ("이름 : 남궁 민수", "이름 : 남○ ○수"),
        ("이름: 김 민수", "이름: 김 ○수"),
        ("나이 34세 (1990.03.05)", "나이 34세 (1990.**.**)"),
        ("생일은 3월 5일입니다", "생일은 **월 **일입니다"),
        ("생년: 1990, 생일 3/5", "생년: 1990, 생일 **/**"),
        ("주민번호 90-01-01-1234567", "주민번호 ******-*******"),
        ("주민 88.12.24.2345678", "주민 ******-*******"),
        ("여권: 5 1 2 3 4 5 6 7 8", "여권: * * * * * * * * *"),
    ],
)
def test_numbers_and_labels_written_other_ways_are_masked(text: str, masked: str) -> None:
    _masks_idempotently(text, masked)


def test_format_characters_keep_offsets_of_the_original() -> None:
    text = "연락처 0\u200b10-12\u200b34-5678 끝"
    (span,) = find_pii(text)
    assert span.kind == "phone" and span.text == "0\u200b10-12\u200b34-5678"
    assert text[span.start:span.end] == span.text


def test_spaced_digits_inside_a_longer_run_are_not_a_phone() -> None:
    text = "5 0 1 0 1 2 3 4 5 6 7 8 9"
    assert mask_pii(text) == text


def test_a_handle_after_a_blank_is_not_an_email() -> None:
    assert mask_pii("Insta @chef.minho") == "Insta @ch***"


# --------------------------------------------------------------------------- M3: over-masking


@pytest.mark.parametrize(
    "text",
    [
        "조교님께 제출", "공장장님 말씀", "변리사님과 검토", "안내원님이 친절", "편집장님 면담 후 편집장님이 추천",
        "모델님 촬영", "고문님 자문",
        "입금 확인번호 2023051234567",
        "자격증번호 11-15-123456-78",
        "주문번호 12-34-567890-12",
        "운전면허 1종 보통, 자격증번호 11-15-123456-78",
        "장비 S123A4567",
        "설비 M456B7890 정비",
        "물류센터 02-123-4567",
    ],
)
def test_titles_codes_and_workplace_lines_stay(text: str) -> None:
    assert mask_pii(text) == text
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("운전면허번호 11-15-123456-78", "운전면허번호 **-**-******-**"),
        ("11-15-123456-78", "**-**-******-**"),
        ("입금 계좌번호 110-123-456789", "입금 계좌번호 ***-***-******"),
        ("박민수 님", "박○수 님"),
    ],
)
def test_real_identifiers_next_to_those_rules_are_still_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    ["0 1 " * 100_000, "1세(" * 100_000, "a @ " * 100_000, "여권 1 " * 60_000, "90-01-" * 60_000, "〇" * 300_000,
     "\u200b" * 300_000, "생일은 1/" * 50_000, "x@a," * 100_000, "이름 : 남궁 " * 40_000, "운전면허 자격 " * 40_000],
)
def test_adversarial_inputs_of_the_review_fixes_finish(text: str) -> None:
    spans = find_pii(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
