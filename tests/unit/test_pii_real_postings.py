"""Look-alikes found by running the masker over real text: 4,061 Korean job postings (Wanted, 2023;
../shared/data/korean_job_postings) and 962 English résumés (../shared/data/resume_kaggle). Company
text and the names of things must stay as written. The snippets are paraphrased, not copied. Real
identifiers next to the same words are still masked."""

from __future__ import annotations

import pytest

from app.text.pii import mask_pii

KEEP = [
    "재무회계 담당자(시니어)\n- 결산 업무",
    "솔루션 영업 담당자 (국내)\n- 고객사 관리",
    "데이터 검수 담당자 (간호사)",
    "회계 담당자(과장급)\n• 세무 신고",
    "맨즈 뷰티 유튜브 채널 PD\n• 남성 타깃 콘텐츠",
    "- [YouTube Premium 지원]",
    "YouTube Producer 및 Production Assistant",
    "차별화된 상품 line-up 보유",
    "산업용 X-ray 검사장비 개발",
    "자율주행차량 X-by-Wire 제어",
    "SNS Marketing (English)",
    "관련 경력을 가진 지원자 우대",
    "Project Name: Clinical Healthcare System",
    "Company Name: Blue Ocean Logistics",
    "Sentiments from Twitter data were analysed",
    "Tools: Git, Github (GitBash), Jupyter",
]


@pytest.mark.parametrize("text", KEEP)
def test_company_text_from_real_postings_stays(text: str) -> None:
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("인스타그램: minsu_kim88", "minsu_kim88"),
        ("X: @minsu_dev", "minsu_dev"),
        ("LINE ID: minsu88", "minsu88"),
        ("유튜브 @minsucooks 운영", "minsucooks"),
        ("성명(김민수) / 연락처 010-1234-5678", "민수"),
        ("블로그: blog.naver.com/minsu88", "minsu88"),
        ("Name: Kim Minji", "Minji"),
        ("Full Name: Kim Minji", "Minji"),
        ("github: minsu88", "minsu88"),
        ("깃허브 minsu88", "minsu88"),
    ],
)
def test_real_identifiers_next_to_those_words_are_still_masked(text: str, hidden: str) -> None:
    assert hidden not in mask_pii(text)
