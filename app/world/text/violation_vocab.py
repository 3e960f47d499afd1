"""Rule IDs, unlawful phrases per text rule, lawful look-alikes and where each is written."""

from __future__ import annotations

from typing import Final

__all__ = ["LAWFUL_LOOKALIKES", "NUMERIC_RULE_IDS", "TEXT_RULE_IDS", "VIOLATION_PHRASES"]


TEXT_RULE_IDS: Final[tuple[str, ...]] = (
    "SEX_DISCRIM", "MARITAL_PREGNANCY", "APPEARANCE", "AGE_DISCRIM", "PERSONAL_INFO",
    "RRN_REQUEST", "DISABILITY_DISCRIM", "APPLICANT_FEE", "HIDDEN_IDENTITY", "FALSE_LURE",
)
"""Rules that :func:`inject_violation` can write into a posting's text."""

NUMERIC_RULE_IDS: Final[tuple[str, ...]] = ("BELOW_MIN_WAGE", "EXCESS_HOURS", "DUPLICATE")
"""Rules the generator makes through the numbers (wage, hours, copies), not through text."""

_FEES: Final = (10, 20, 30, 50, 100)
VIOLATION_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "SEX_DISCRIM": (
        "남자만 지원 가능", "여직원 모집", "남성 우대", "여성 우대", "여자만 지원 가능", "남성 지원자에 한함",
        "여성만 모집", "남자 직원 구합니다", "여직원 우대", "남성 직원 모집", "여성 전용 채용",
    ),
    "MARITAL_PREGNANCY": (
        "미혼 여성", "기혼자 불가", "임신 예정자 제외", "미혼자 우대", "미혼 여성 우대", "결혼 계획 없는 분",
        "출산 계획이 없는 분", "기혼 여성 지원 불가", "입사 후 2년 내 임신 계획 없는 분",
    ),
    "APPEARANCE": (
        ("용모단정", "용모 단정한 분", "외모 우수자", "외모 준수하신 분", "55사이즈", "55사이즈 착용 가능자",
         "44~55 사이즈", "훈남훈녀 우대", "예쁜 외모", "호감형 외모 우대")
        + tuple(f"키 {h}cm 이상" for h in (155, 158, 160, 163, 165, 168, 170, 172, 175, 178, 180))
        + tuple(f"몸무게 {w}kg 이하" for w in (50, 55, 60, 65))
    ),
    "AGE_DISCRIM": (
        tuple(f"{n}세 이하" for n in (28, 30, 32, 35, 38, 40, 45))
        + tuple(f"{a}~{b}세" for a, b in ((20, 35), (20, 39), (25, 35), (30, 45), (22, 30)))
        + ("20~30대 우대", "20대 우대", "30대 초반까지", "젊고 활동적인 분", "젊은 인재 우대", "20대 환영")
        + tuple(f"{y:02d}년생 이후" for y in (85, 88, 90, 93, 95, 98))
        + tuple(f"만 {n}세 미만" for n in (30, 35, 40))
        + tuple(f"{n}세 이상 지원 불가" for n in (40, 45, 50, 55))
    ),
    "PERSONAL_INFO": (
        "부모님 직업·학력 기재", "출신지 기재", "결혼 여부 기재", "재산 사항 기재", "가족 사항(부모 직업) 기재",
        "본적 기재", "부모님 학력 및 직업 기재", "자가·전세 여부 기재", "형제 관계 및 직업 기재",
        "출신 지역 기재 필수", "서울 출신 우대",
    ),
    "RRN_REQUEST": (
        "주민등록번호 기재 필수", "주민등록등본 제출", "주민번호 뒷자리까지 기재", "주민등록등본 1부",
        "가족관계증명서 제출", "주민등록번호 전체 기재", "주민등록초본 1부 제출", "신분증 사본(주민번호 포함) 제출",
    ),
    "DISABILITY_DISCRIM": (
        "장애인 지원 불가", "신체 건강한 분만", "신체 건강한 분만 지원 가능", "장애가 없는 분", "장애인 불가",
        "신체 건강하고 장애 없는 분", "장애인 채용 불가",
    ),
    "APPLICANT_FEE": (
        ("교육비 30만원 선납", "유니폼비·보증금 본인 부담", "장비비 본인 부담", "교재비 선납 후 교육 진행",
         "유니폼비 본인 부담")
        + tuple(f"교육비 {n}만원 선납" for n in _FEES if n != 30)
        + tuple(f"보증금 {n}만원 선입금" for n in _FEES)
        + tuple(f"등록비 {n}만원 입금 후 교육" for n in _FEES[:3])
    ),
    "HIDDEN_IDENTITY": (
        "누구나 가능한 간단 업무", "초보 가능 간단 업무", "핸드폰만 있으면 누구나 가능한 업무",
        "자세한 업무는 연락 시 안내", "단순 업무(경험 무관), 내용은 문의",
    ),
    "FALSE_LURE": (
        ("고수익 보장", "월 500만원 보장", "하루 2시간 재택 간단업무", "고소득 보장", "평생직업 고수익 보장",
         "시급 3만원 간단 알바")
        + tuple(f"월 {n}00만원 이상 보장" for n in (5, 6, 7, 8, 9))
        + tuple(f"초보자도 월 {n}00만원 가능" for n in (4, 5, 6))
        + tuple(f"일당 {n}만원 이상 보장" for n in (30, 40, 50))
        + tuple(f"하루 {h}시간 재택 간단업무" for h in (1, 3))
    ),
}
"""Un-obfuscated phrases per text rule. ``HIDDEN_IDENTITY`` lists its vague-duty phrases; its
returned phrase is the messenger contact (``"카톡 ID: …"`` / ``"텔레그램 @…"``)."""

_HIDDEN_TITLES: Final = (
    "누구나 가능! 간단 업무 직원 모집", "단기 알바 모집 (초보 가능)", "간단 사무 보조 구함",
    "재택 가능 간단 업무 모집", "급구! 일하실 분 구합니다", "당일 연락 가능하신 분 모집",
)
_HIDDEN_INTROS: Final = (
    "", "", "신규 사업 확장으로 인원을 모집합니다.", "자세한 내용은 연락 주시면 안내드립니다.",
)
_ID_WORDS_A: Final = ("easy", "job", "money", "work", "happy", "dream", "plus", "good", "best", "vip", "smart")
_ID_WORDS_B: Final = ("job", "work", "pay", "money", "biz", "team", "help", "zone", "")

_RULE_SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "SEX_DISCRIM": ("requirements", "requirements", "title", "conditions"),
    "MARITAL_PREGNANCY": ("requirements", "requirements", "title", "conditions"),
    "APPEARANCE": ("requirements", "requirements", "title", "preferred"),
    "AGE_DISCRIM": ("requirements", "requirements", "title", "conditions"),
    "PERSONAL_INFO": ("documents", "documents", "process", "requirements"),
    "RRN_REQUEST": ("documents", "documents", "process"),
    "DISABILITY_DISCRIM": ("requirements", "requirements", "title", "conditions"),
    "APPLICANT_FEE": ("conditions", "process", "documents", "benefits"),
    "FALSE_LURE": ("title", "title", "conditions", "company_intro", "benefits"),
}

LAWFUL_LOOKALIKES: Final[dict[str, tuple[str, ...]]] = {
    "SEX_DISCRIM": (
        "남녀 무관", "성별 무관", "성별·연령 무관", "남녀 누구나 지원 가능", "남녀 모두 환영",
        "여성 탈의실 관리(여성 근로자 필요, 남녀고용평등법 시행령상 직무 특성)",
        "남녀 휴게실 별도 운영", "육아휴직 사용 남녀 모두 권장",
    ),
    "MARITAL_PREGNANCY": (
        "결혼·출산 여부와 관계없이 지원 가능", "출산휴가·육아휴직 적극 지원", "임신 중 근로시간 단축 제도 운영",
        "기혼·미혼 무관", "난임 치료 휴가 지원",
    ),
    "APPEARANCE": (
        "복장 자유", "근무복·위생복 지급", "단정한 복장 규정(유니폼 지급)", "외모·신체 조건과 무관하게 선발",
        "사진 부착 선택", "키·체중 등 신체 조건 기재 불요",
    ),
    "AGE_DISCRIM": (
        "나이 무관", "연령 무관", "성별·연령 무관", "야간 근무로 만 18세 이상",
        "만 18세 이상(근로기준법상 연소자 야간근로 제한)", "중장년 지원 환영", "정년 60세",
        "고령자 우대(고령자고용법상 우대 조치)", "경력 단절 구직자 환영",
    ),
    "PERSONAL_INFO": (
        "블라인드 채용(출신지·가족 사항 기재 금지)", "가족 사항은 기재하지 마세요",
        "현 거주지 주소 기재(통근 거리 확인용)", "증명사진 부착 선택", "출신 학교명 대신 전공만 기재",
    ),
    "RRN_REQUEST": (
        "주민등록번호는 묻지 않습니다", "주민등록번호 뒷자리는 기재하지 마세요", "생년월일만 기재",
        "입사 확정 후 4대보험 취득 신고를 위해 신분증 사본 제출", "이력서에 주민등록번호를 적지 마세요",
    ),
    "DISABILITY_DISCRIM": (
        "장애인 우대", "장애인 고용 우대(장애인고용촉진법)", "중증장애인 지원 환영",
        "20kg 이상 물품 운반 업무 포함(보조 장비 지원)", "휠체어 접근 가능한 사무실",
    ),
    "APPLICANT_FEE": (
        "교육비 전액 회사 부담", "유니폼 무상 지급", "입사 지원 비용 없음", "교육 기간 중 급여 100% 지급",
        "보건증 발급 비용 회사 지원",
    ),
    "HIDDEN_IDENTITY": (
        "카카오톡 채널 문의 가능(대표번호 병행)", "회사 위치는 면접 안내 문자에 지도로 첨부",
        "문의: 인사담당자(대표전화)", "간단한 업무부터 단계적으로 교육", "사업자등록번호 공개 기업",
    ),
    "FALSE_LURE": (
        "인센티브 별도(실적에 따라 차등)", "재택근무 주 1~2일 병행", "성과급 연 1회(전년도 실적 기준)",
        "고정급 + 실적 수당(평균 월 30만원)", "급여는 매월 10일 지급",
    ),
    "BELOW_MIN_WAGE": (
        "수습 3개월 급여 90%(1년 이상 계약, 단순노무 직무 제외)", "2026년 최저임금 시급 10,320원 이상 지급",
    ),
    "EXCESS_HOURS": (
        "주 52시간 준수", "연장근로 시 가산수당 50% 지급", "탄력적 근로시간제(2주 단위) 운영",
    ),
}
"""Lawful phrases that share keywords with a rule's violations."""

_LOOKALIKE_SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "SEX_DISCRIM": ("requirements", "conditions", "benefits"),
    "MARITAL_PREGNANCY": ("benefits", "requirements"),
    "APPEARANCE": ("benefits", "documents", "requirements"),
    "AGE_DISCRIM": ("requirements", "conditions"),
    "PERSONAL_INFO": ("documents",),
    "RRN_REQUEST": ("documents", "process"),
    "DISABILITY_DISCRIM": ("preferred", "duties", "benefits"),
    "APPLICANT_FEE": ("benefits", "conditions", "process"),
    "HIDDEN_IDENTITY": ("documents", "process", "duties"),
    "FALSE_LURE": ("conditions", "benefits"),
    "BELOW_MIN_WAGE": ("conditions",),
    "EXCESS_HOURS": ("conditions", "benefits"),
}


_LEGAL_FORMS: Final = ("(주)", "주식회사 ", "(유)", "유한회사 ", "농업회사법인 ", "사회적협동조합 ")
