"""Position-level duplicates: sections of an ad, title keys, siblings versus reposts (issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.labour import minimum_wage_table
from app.verify.duplicates import DEFAULT_THRESHOLD, position_signatures, signatures
from app.verify.sections import header_kind, position_text, split_sections, title_key
from app.verify.verifier import AdVerifier

INTRO = (
    "[회사 소개]\n우리 식품연구소는 2009년부터 건강한 간편식을 만들어 온 회사입니다. 전국 300개 매장에 납품하며 "
    "연구원 40명이 새 제품을 개발합니다. 수평적인 문화와 빠른 의사결정을 자랑합니다.\n"
)
BENEFITS = (
    "[혜택 및 복지]\n- 점심 식대 지원\n- 연 1회 건강검진\n- 자기계발비 연 100만원\n- 명절 선물과 경조사 지원\n"
    "- 사내 카페와 휴게실\n- 주 1회 재택근무\n"
)


def _ad(duties: str, requirements: str) -> str:
    return f"{INTRO}\n[주요업무]\n{duties}\n\n[자격요건]\n{requirements}\n\n{BENEFITS}"


MANAGER = _ad("- 신제품 콘셉트 기획과 시장 조사\n- 원료 업체 발굴과 단가 협상", "- 식품 MD 경력 3년 이상\n- 엑셀 활용 능력")
LEAD = _ad("- 상품기획팀 5명 관리와 연간 출시 계획 수립\n- 경영진 보고와 예산 관리", "- 식품 MD 경력 8년 이상\n- 팀 관리 경험")


@pytest.mark.parametrize(("line", "expected"), [
    ("[회사 소개]", ("intro", "")),
    ("【담당 업무】", ("duties", "")),
    ("■ 우대사항", ("preferred", "")),
    ("자격요건: 경력 3년 이상", ("requirements", "경력 3년 이상")),
    ("- 근무지 : 서울 마포구", ("conditions", "서울 마포구")),
    ("혜택 및 복지", ("benefits", "")),
    ("우대합니다", None),
    ("문의 많이 주세요", None),
    ("회사 소개를 드리자면 우리는 식품 회사입니다", None),
])
def test_header_lines_are_recognised_in_the_forms_ads_use(line: str, expected: tuple[str, str] | None) -> None:
    assert header_kind(line) == expected


def test_position_text_leaves_out_the_company_introduction_and_benefits() -> None:
    kinds = [s.kind for s in split_sections(MANAGER)]
    assert kinds == ["intro", "duties", "requirements", "benefits"]
    text = position_text("식품 개발 프로덕트(MD) 매니저", MANAGER)
    assert "신제품 콘셉트" in text and "경력 3년" in text
    assert "식품연구소" not in text and "건강검진" not in text


def test_an_inline_header_is_one_line_and_the_benefits_list_continues() -> None:
    body = "[혜택 및 복지]\n- 근무지 : 서울 마포구\n- 점심 식대 지원\n- 건강검진"
    sections = split_sections(body)
    assert [(s.kind, s.text) for s in sections] == [("conditions", "서울 마포구"), ("benefits", "- 점심 식대 지원\n- 건강검진")]


def test_a_body_without_headers_is_compared_whole() -> None:
    body = "홀 서빙 직원 구합니다\n시급 12,000원, 주 5일"
    assert position_text("홀서빙", body) == "홀서빙\n" + body


@pytest.mark.parametrize(("a", "b", "same"), [
    ("식품 개발 프로덕트(MD) 매니저", "식품 개발 프로덕트(MD) 리드", False),
    ("CX / 고객경험 (신입)", "CX / 고객경험 (2년 이상)", False),
    ("[신입] 코치", "코치", True),  # a graduates'-season repost adds the tag
    ("[급구] 홀서빙 직원 모집 (2명)", "홀서빙 구합니다", True),
    ("영업 담당자(수도권)", "영업 담당자(광주지사)", False),
])
def test_title_keys_tell_positions_apart_but_not_reposts(a: str, b: str, same: bool) -> None:
    assert (title_key(a) == title_key(b)) is same


def _agreement(sig: np.ndarray) -> float:
    return float((sig[0] == sig[1]).mean())


def test_sibling_positions_sharing_the_company_text_are_not_duplicates() -> None:
    titles = ["식품 개발 프로덕트(MD) 매니저", "식품 개발 프로덕트(MD) 리드"]
    whole = signatures([f"{t}\n{b}" for t, b in zip(titles, [MANAGER, LEAD], strict=True)])
    assert _agreement(whole) >= 0.5  # the whole text looks alike: the old signal called them near-duplicates
    assert _agreement(position_signatures(zip(titles, [MANAGER, LEAD], strict=True))) < 0.1


def test_a_repost_of_the_same_position_is_a_duplicate() -> None:
    # reposted for the graduates' season with a rewritten introduction and one more benefit
    repost = MANAGER.replace("수평적인 문화와 빠른 의사결정을 자랑합니다.", "올해 매출이 두 배로 늘었습니다.") + "- 생일 반차\n"
    sig = position_signatures([("식품 개발 프로덕트(MD) 매니저", MANAGER), ("[신입] 식품 개발 프로덕트(MD) 매니저", repost)])
    assert _agreement(sig) >= DEFAULT_THRESHOLD


def test_verifier_flags_the_repost_and_not_the_sibling() -> None:
    ads = pd.DataFrame({
        "id": ["1", "2", "3"],
        "title": ["식품 개발 프로덕트(MD) 매니저", "식품 개발 프로덕트(MD) 리드", "식품 개발 프로덕트(MD) 매니저"],
        "body": [MANAGER, LEAD, MANAGER], "wage_type": "monthly", "wage": 3_500_000.0, "hours_per_week": 40.0, "year": 2026,
    })
    verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=None, minimum_wages=dict(minimum_wage_table().hourly))
    verdicts = verifier.verify(ads, check_identity=False)
    assert verdicts[0].duplicates == () and verdicts[0].decision == "pass"  # the original
    assert verdicts[2].duplicates == ("1",) and verdicts[2].decision == "review"  # its repost
    assert verdicts[1].duplicates == () and verdicts[1].decision == "pass"


def test_field_only_ads_with_too_little_position_text_are_never_duplicates() -> None:
    field_only = "직무내용: -\n경력조건: 경력 (최소 5년 이상)\n학력: 학력무관\n전공: -\n자격면허: -\n우대조건: -"
    sig = position_signatures([("-", field_only), ("-", field_only)])
    assert _agreement(sig) == 0.0  # two employers' bare field lists say nothing about the position
    full = position_signatures([("홀서빙", "주말 홀서빙 직원을 구합니다. 주문 응대와 테이블 정리, 마감 청소를 맡습니다.")] * 2)
    assert _agreement(full) == 1.0
