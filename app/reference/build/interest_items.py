"""The interest test's item bank (지능형 직업심리검사), written by us: ``interest_items.csv``.

Two kinds of Likert statements, in Korean:

* **RIASEC** (``R I A S E C``): activities, never job titles, as the O*NET Interest Profiler and the
  KEIS 직업선호도검사 write them (domain-facts §3); from everyday ones ("가계부를 쓰며 지출을
  관리한다") to demanding ones ("회사의 재무제표를 작성하고 검토한다"), so that the graded
  response model has items across the trait; no wording that assumes a sex or an age.
  Items 01–12 of each scale are the first bank's, in its order (their ids stay 1–72 per scale block).
* **Work environment** (``W``): preferences for one KNOW 2018 work-context item each
  (``environment_code`` = its ``cq`` number). Agreeing always means wanting *more* of what the
  KNOW item measures (no reverse wording), so a response and the occupation's KNOW level point the
  same way.

The texts are product content: changing one changes the bank's version
(:func:`app.reference.interest.compute_bank_version`) and the world's truth of it.
"""

from __future__ import annotations

import pandas as pd

from app.reference.interest import ENVIRONMENT_SCALE, RIASEC_SCALES

INTEREST_ITEM_COLUMNS: tuple[str, ...] = ("item_code", "scale", "text", "environment_code")

_RIASEC_ITEMS: dict[str, tuple[str, ...]] = {
    "R": (
        "기계나 공구를 직접 다루어 무엇인가를 고친다",
        "가구나 선반을 설계도에 맞추어 조립한다",
        "자동차 엔진을 점검하고 부품을 교체한다",
        "전기 배선을 설치하고 작동을 확인한다",
        "건설 현장에서 장비를 운전한다",
        "농작물을 재배하고 수확한다",
        "용접이나 절단 같은 금속 가공 작업을 한다",
        "야외에서 몸을 움직이며 일한다",
        "고장 난 가전제품을 분해해 원인을 찾는다",
        "지게차나 크레인 같은 장비를 조작한다",
        "목재로 작품이나 생활용품을 만든다",
        "생산 설비를 점검하고 유지 보수한다",
        "집 안의 전등이나 수도꼭지를 직접 교체한다",
        "자전거를 분해하고 정비한다",
        "화분이나 정원의 나무를 가꾸고 손질한다",
        "도면을 보고 기계 부품을 정밀하게 가공한다",
        "선박이나 항공기의 엔진을 정비한다",
        "타일이나 벽지를 직접 시공한다",
        "대형 화물차를 운전해 물건을 운반한다",
        "산업용 로봇이나 자동화 설비를 설치하고 조정한다",
        "동물을 기르고 사육 환경을 관리한다",
    ),
    "I": (
        "실험을 설계하고 결과를 분석한다",
        "자료를 모아 통계적으로 원인을 밝힌다",
        "새로운 기술의 작동 원리를 깊이 공부한다",
        "복잡한 수학 문제를 끈기 있게 푼다",
        "질병의 원인을 연구한다",
        "프로그램의 오류 원인을 추적해 해결한다",
        "과학 논문이나 기술 문서를 읽고 정리한다",
        "데이터에서 패턴을 찾아 예측 모형을 만든다",
        "물질의 성분을 시험하고 측정한다",
        "자연 현상을 관찰하고 기록한다",
        "문제를 논리적으로 나누어 단계별로 해결한다",
        "새로운 이론이나 가설을 검증한다",
        "건강 정보 기사의 근거를 찾아 사실인지 확인한다",
        "퍼즐이나 논리 게임의 해법을 궁리한다",
        "별이나 우주에 관한 과학 자료를 찾아본다",
        "기계가 왜 그렇게 작동하는지 원리를 따져 본다",
        "컴퓨터 프로그램을 짜서 계산을 자동으로 처리한다",
        "환경 오염의 원인을 조사하고 분석한다",
        "설문 결과를 분석해 보고서로 정리한다",
        "신약이나 신소재의 효과를 실험으로 확인한다",
        "수학 모형으로 복잡한 현상을 설명한다",
    ),
    "A": (
        "그림이나 일러스트를 그린다",
        "글이나 시나리오를 창작한다",
        "악기를 연주하거나 작곡한다",
        "공간이나 제품의 디자인을 구상한다",
        "사진이나 영상을 촬영하고 편집한다",
        "무대에서 연기하거나 공연한다",
        "광고 문구나 콘텐츠 아이디어를 낸다",
        "옷이나 소품을 새로운 스타일로 꾸민다",
        "전시나 행사를 독창적으로 기획한다",
        "요리를 보기 좋게 새로 개발한다",
        "정해진 틀 없이 자유롭게 표현하는 일을 한다",
        "웹페이지나 앱 화면을 보기 좋게 디자인한다",
        "손글씨나 캘리그래피로 글씨를 꾸민다",
        "집 안 인테리어를 새롭게 꾸민다",
        "노래를 부르거나 녹음한다",
        "도자기나 공예품을 만든다",
        "만화나 웹툰의 이야기와 그림을 만든다",
        "춤이나 안무를 창작한다",
        "브랜드의 로고와 포장을 디자인한다",
        "영화나 공연의 연출을 맡는다",
        "장편 소설을 구상하고 완성한다",
    ),
    "S": (
        "다른 사람의 고민을 듣고 상담한다",
        "아이들이나 학생을 가르친다",
        "아픈 사람이나 어르신을 돌본다",
        "봉사 활동을 계획하고 참여한다",
        "사람들이 필요한 서비스를 찾도록 돕는다",
        "새로 온 동료에게 일을 친절히 알려준다",
        "갈등이 생긴 사람들 사이를 중재한다",
        "재활 운동이나 건강 관리를 돕는다",
        "고객의 불편을 듣고 해결해 준다",
        "지역 주민을 위한 프로그램을 운영한다",
        "여러 사람과 협력해 공동의 목표를 이룬다",
        "장애가 있는 사람의 일상생활을 지원한다",
        "길을 묻는 사람에게 친절히 안내한다",
        "모임에서 사람들이 서로 어울리도록 분위기를 만든다",
        "스마트폰 사용이 서툰 사람에게 사용법을 알려준다",
        "환자에게 치료 과정을 알기 쉽게 설명한다",
        "청소년의 진로 선택을 상담하고 돕는다",
        "응급 상황에서 다친 사람에게 응급처치를 한다",
        "어려운 처지의 가정을 방문해 필요한 지원을 연결한다",
        "위기에 처한 사람의 이야기를 듣고 안정을 돕는다",
        "교육 과정을 설계하고 수업 자료를 만든다",
    ),
    "E": (
        "사람들 앞에서 제품이나 아이디어를 발표한다",
        "팀을 이끌고 목표를 정해 일을 나눈다",
        "새로운 사업을 시작하고 운영한다",
        "고객을 설득해 계약을 성사시킨다",
        "가게나 매장의 매출을 관리하고 늘린다",
        "협상을 통해 더 좋은 조건을 얻어낸다",
        "행사나 프로젝트의 책임자를 맡는다",
        "영업 목표를 세우고 달성한다",
        "투자나 마케팅 전략을 결정한다",
        "조직의 규칙이나 방침을 정한다",
        "경쟁 상황에서 빠르게 결정을 내린다",
        "사람들을 모아 모임이나 단체를 만든다",
        "동아리나 모임의 대표를 맡는다",
        "쓰지 않는 물건을 팔아 이익을 남긴다",
        "회의를 진행하며 결론을 이끌어낸다",
        "매장의 판매 전략과 가격을 정한다",
        "캠페인에서 사람들의 지지를 모은다",
        "다른 회사와의 제휴를 추진한다",
        "직원을 채용하고 성과를 평가한다",
        "새로운 상품을 시장에 내놓는 일을 총괄한다",
        "사업 계획을 세우고 투자자를 설득한다",
    ),
    "C": (
        "서류와 자료를 정해진 기준에 따라 정리한다",
        "장부나 회계 자료를 꼼꼼히 기록한다",
        "재고 수량을 확인하고 관리한다",
        "일정과 회의 자료를 체계적으로 준비한다",
        "엑셀로 표를 만들고 숫자를 검토한다",
        "규정과 절차에 맞는지 점검한다",
        "고객 정보를 정확하게 입력하고 관리한다",
        "급여나 세금 계산을 처리한다",
        "우편물이나 문서를 분류하고 발송한다",
        "정해진 순서대로 반복 작업을 정확히 한다",
        "예산 사용 내역을 확인하고 보고서를 쓴다",
        "자료의 오류를 찾아 바로잡는다",
        "가계부를 쓰며 지출을 관리한다",
        "책이나 물건을 기준에 따라 분류해 정리한다",
        "회의 내용을 기록하고 문서로 보관한다",
        "출입 기록이나 근무 기록을 관리한다",
        "데이터베이스에 자료를 입력하고 중복을 정리한다",
        "물품 구매 요청을 확인하고 발주서를 작성한다",
        "계약서의 조항과 숫자를 하나하나 대조한다",
        "회사의 재무제표를 작성하고 검토한다",
        "바뀐 세법이나 규정을 확인해 업무 절차에 반영한다",
    ),
}

ENVIRONMENT_ITEMS: tuple[tuple[str, str], ...] = (
    ("cq1", "사람들을 직접 만나며 일하는 시간이 많은 일이 좋다"),
    ("cq2", "발표하거나 회의를 진행할 일이 자주 있는 일이 좋다"),
    ("cq8", "외부 고객을 응대하는 것이 중요한 일이 좋다"),
    ("cq12", "의견이 부딪치는 상황을 조정해야 하는 일이 좋다"),
    ("cq15", "실외에서 일하는 시간이 많은 일이 좋다"),
    ("cq16", "작동 중인 기계나 설비 가까이에서 하는 일이 좋다"),
    ("cq27", "위험이 따르는 장비를 다루는 일이 좋다"),
    ("cq29", "대부분의 시간을 앉아서 하는 일이 좋다"),
    ("cq30", "대부분의 시간을 서서 하는 일이 좋다"),
    ("cq41", "작은 오차도 허용되지 않는 정밀한 일이 좋다"),
    ("cq42", "같은 방식의 작업을 반복하는 일이 좋다"),
    ("cq43", "일하는 방식을 스스로 결정할 권한이 많은 일이 좋다"),
    ("cq44", "다른 사람과 치열하게 경쟁하는 일이 좋다"),
    ("cq46", "마감 시간을 맞춰야 하는 일이 자주 있는 일이 좋다"),
    ("cq47", "정해진 근무 시간표에 따라 규칙적으로 일하는 것이 좋다"),
    ("cq48", "집에서 일할 수 있는 일이 좋다"),
)
"""(KNOW 2018 work-context item, preference statement) of the ``W`` items, in bank order."""


def environment_codes() -> tuple[str, ...]:
    """The KNOW 2018 ``cq`` items the work-environment items ask about, in bank order."""
    return tuple(code for code, _ in ENVIRONMENT_ITEMS)


def build_interest_items() -> pd.DataFrame:
    """The item bank in bank order: R01…R21, I01…, …, C21, then W01…W16.

    Returns:
        DataFrame with :data:`INTEREST_ITEM_COLUMNS` (``environment_code`` empty for RIASEC items).
    """
    rows = [
        (f"{scale}{n:02d}", scale, text, "")
        for scale in RIASEC_SCALES
        for n, text in enumerate(_RIASEC_ITEMS[scale], 1)
    ]
    rows += [(f"{ENVIRONMENT_SCALE}{n:02d}", ENVIRONMENT_SCALE, text, code)
             for n, (code, text) in enumerate(ENVIRONMENT_ITEMS, 1)]
    return pd.DataFrame(rows, columns=list(INTEREST_ITEM_COLUMNS))
