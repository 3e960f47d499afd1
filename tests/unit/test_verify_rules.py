"""Job-ad text rules (``app/verify/rules.py``, ``normalize.py``, ``data/reference/ad_rules.yaml``).

The examples are written here, not taken from the world generator's vocabulary
(``app/world/text/violation_vocab.py``): they check that the committed rules generalise to
wordings the generator never plants — clear violations must hit, lawful look-alikes that share
a keyword must not. Examples an earlier rule set got wrong are kept with the
reason and the fix; they turn into failures (XPASS) once the YAML is corrected.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from app.verify.normalize import SEPARATORS, compact
from app.verify.patterns import PROBE_LENGTH, adversarial_texts, check_backtracking, unrolled_size
from app.verify.rules import (
    CONDITION_IDS,
    FAMILIES,
    MAX_RULE_TIMEOUTS,
    InvalidRules,
    RuleEngine,
    RuleHit,
    RuleMatch,
    RuleSet,
    default_rules_path,
    load_default_rules,
    parse_rule_set,
)

HANGUL = re.compile(r"[가-힣]")

# Law (and article) each text rule must cite (domain-facts §1.1–1.3, §1.6), written down here
# independently of the YAML so that a wrong citation in the data fails.
EXPECTED_CITATION: dict[str, tuple[str, str]] = {
    "SEX_DISCRIM": ("남녀고용평등법", "제7조 제1항"),
    "MARITAL_PREGNANCY": ("남녀고용평등법", "제7조 제2항"),
    "APPEARANCE": ("남녀고용평등법", "제7조 제2항"),
    "AGE_DISCRIM": ("고령자고용법", "제4조의4"),
    "PERSONAL_INFO": ("채용절차법", "제4조의3"),
    "RRN_REQUEST": ("개인정보보호법", "제24조의2"),
    "DISABILITY_DISCRIM": ("장애인차별금지법", "제10조"),
    "APPLICANT_FEE": ("채용절차법", "제9조"),
    "HIDDEN_IDENTITY": ("직업안정법", "제34조"),
    "FALSE_LURE": ("직업안정법", "제34조"),
    "RELIGION_DISCRIM": ("고용정책기본법", "제7조 제1항"),
    "UNFAVOURABLE_CHANGE": ("채용절차법", "제4조 제2항"),
    "IP_RIGHTS": ("채용절차법", "제4조 제4항"),
    "DOCUMENT_RETURN": ("채용절차법", "제11조"),
    "PLACEMENT_FEE": ("직업안정법", "제32조"),
    "FAKE_RECRUITMENT": ("직업안정법 시행령", "제34조 제1호"),
    "ACCOUNT_LENDING": ("전자금융거래법", "제6조 제3항"),
    "MLM": ("직업안정법 시행령", "제34조 제1호"),
    "OFF_PLATFORM_CONTACT": ("직업안정법 시행령", "제34조 제2호"),
}
TEXT_RULES = tuple(EXPECTED_CITATION)


def _miss(text: str, reason: str) -> pytest.param:
    """A clearly unlawful example an earlier rule set missed (``reason``: what was fixed)."""
    return pytest.param(text, id=text)


def _false_alarm(text: str, reason: str) -> pytest.param:
    """A clearly lawful example an earlier rule set flagged (``reason``: what was fixed)."""
    return pytest.param(text, id=text)


POSITIVE: dict[str, list] = {
    "SEX_DISCRIM": [
        "사무보조 여성분만 지원해 주세요",
        "여.성.만 가능합니다",
        "남 자 만 가능",
        "여사원 구합니다",
        "홀 서빙 남성분 채용합니다",
        "여자분만 받습니다",
        _miss("남성 근무자 우대합니다",
              "SEX_DISCRIM: 명사 목록에 '근무자'가 없어 '남성근무자우대'를 놓침 — 첫 패턴의 명사 묶음을 "
              "(직원분?|사원|근로자|근무자|인력|분|지원자|인원|스태프|알바생?)?로"),
        _miss("여성 스태프 구해요", "SEX_DISCRIM: '스태프'가 명사 목록에 없음 (위와 같은 수정)"),
        _miss("남자 알바생 구함", "SEX_DISCRIM: '알바생'이 명사 목록에 없음 (위와 같은 수정)"),
    ],
    "MARITAL_PREGNANCY": [
        "미혼이신 분만",
        "미혼 여성분 환영",
        "결혼 예정 없는 분",
        "임신 계획자 제외",
        "당분간 출산 계획 없으신 분",
        _miss("기혼자는 지원 불가합니다",
              "MARITAL_PREGNANCY: 조사 '는'을 허용하지 않음 — "
              "기혼(자|여성|여자|인분)?(은|는)?(지원)?(불가|제외|사절|안됨)"),
    ],
    "APPEARANCE": [
        "키 165 이상 여성",
        "키 170cm 이상 남성",
        "몸무게 60킬로 이하",
        "용모 단정하신 분",
        "외모 호감형 우대",
        "66사이즈 착용자",
        _miss("용모가 단정하신 분",
              "APPEARANCE: 조사 '가'가 끼면 놓침 — 용모(가|는|이)?(단정|준수|우수|좋은|단아), "
              "외모(가|는|이)?(우수|준수|…)"),
        _miss("외모가 뛰어난 분", "APPEARANCE: 조사 '가'가 끼면 놓침 (위와 같은 수정)"),
    ],
    "AGE_DISCRIM": [
        "만 32세 이하인 분",
        "1990년생 이후 출생자",
        "25~40세 모집",
        "40대까지 지원 가능",
        "연령 제한 있음",
        "젊은 분 우대",
        _miss("2000년 이후 출생자만",
              "AGE_DISCRIM: '년생' 없이 '년 이후 출생'이면 놓침 — 패턴 "
              "(19|20)\\d{2}년(\\d{1,2}월)?(\\d{1,2}일)?(이후|이전)출생 추가"),
        _miss("나이 30살 이하만",
              "AGE_DISCRIM: '세'만 받고 '살'은 받지 않음 — ([2-6]\\d)(세|살)(이하|미만|까지|이내|…)"),
        _miss("젊은 친구 구합니다",
              "AGE_DISCRIM: 형태소 패턴의 명사 목록에 '친구'가 없음 — (분/NNB|인재/NNG|…|친구/NNG) 추가"),
    ],
    "PERSONAL_INFO": [
        "이력서에 부모님 직업 기재 필수",
        "형제자매 학력 작성",
        "출신지역 기재",
        "본적지 기재",
        "결혼 유무 기재",
        "재산 정도 기재",
        "자가 여부",
        _miss("전라도 출신 우대",
              "PERSONAL_INFO: 지역명과 '출신' 사이의 '도'를 허용하지 않음 — (…|지역)(도|시|지역)?출신(자)?(우대|…)"),
    ],
    "RRN_REQUEST": [
        "가족관계증명서 1부",
        "주민번호 13자리 기재",
        "주민등록번호 적어주세요",
        "주민등록 등본 제출",
        "주민 번호 뒷자리 포함 작성",
    ],
    "DISABILITY_DISCRIM": [
        "장애인은 지원 불가",
        "장애 없으신 분",
        "몸 튼튼하신 분만",
        "신체 건강한 분 한정",
    ],
    "APPLICANT_FEE": [
        "교육비 15만원 입금 확인 후 출근",
        "보증금 50만원 송금",
        "가입비 3만원 결제",
        "선입금 필수",
        "유니폼비 2만원 자비 부담",
    ],
    "HIDDEN_IDENTITY": [
        "텔레그램 ID: fastcash9 로만 연락",
        "카톡 아이디 quickjob77",
        "텔레그램 @ bigmoney_ok",
        "카톡 ＩＤ：ＭＯＮＥＹ７７ 로 문의",
        "오픈채팅방 '꿀알바' 검색",
    ],
    "FALSE_LURE": [
        "월 800만원 보장",
        "일급 50만원 확정",
        "시급 5만원",
        "초보도 월 300만원",
        "재택 쉬운 부업",
        _miss("월 천만원 보장",
              "FALSE_LURE: 금액을 숫자로만 받음('천만원') — 아래 쉼표 수정과 같은 패턴"),
        _miss("월 1,000만원 보장",
              "FALSE_LURE: 천 단위 쉼표를 받지 않음 — "
              "월([5-9]\\d{2}|\\d{1,3}(,\\d{3})+|\\d{4,}|[1-9]?천)만원(이상)?(보장|가능|확정)"),
    ],
    "RELIGION_DISCRIM": ["사무 보조 (기독교인만 지원 가능)", "교회 출석하시는 분 우대", "타종교인은 지원 불가"],
    "UNFAVOURABLE_CHANGE": ["입사 후 급여는 회사 사정에 따라 조정될 수 있습니다", "정규직 모집이나 입사 후 계약직으로 전환될 수 있음",
                            "근무조건은 사장님 재량으로 수시 변경됩니다"],
    "IP_RIGHTS": ["제출한 포트폴리오의 저작권은 회사에 귀속됩니다", "과제 결과물은 반환 요청이 불가합니다",
                  "모든 권리는 당사에 귀속됨"],
    "DOCUMENT_RETURN": ["제출된 서류는 일체 반환하지 않습니다", "이력서 반환 불가", "서류 반환 요청에는 응하지 않습니다"],
    "PLACEMENT_FEE": ["소개비는 첫 월급의 10%입니다", "일당에서 10% 수수료 공제", "등록비 내시면 일자리 바로 소개해 드립니다"],
    "FAKE_RECRUITMENT": ["지입차 기사 모집 (차량 구입 조건)", "제품을 먼저 구매하셔야 근무 가능합니다", "채용 계획은 없지만 아이디어 응모를 받습니다"],
    "ACCOUNT_LENDING": ["통장 대여해주실 분", "휴대폰 개통 후 택배로 보내주시면 일당 지급", "인증번호 전달 알바"],
    "MLM": ["하위 회원 3명 유치하시면 승급", "친구를 가입시키면 수당 20% 지급", "네트워크마케팅 사업자 모집"],
    "OFF_PLATFORM_CONTACT": ["지원은 텔레그램으로만 받습니다", "문의는 카톡으로만 주세요", "전화는 안 받아요 카톡 주세요"],
}

NEGATIVE: dict[str, list] = {
    "SEX_DISCRIM": [
        "성별 불문",
        "여성 탈의실 청소(직무상 여성 필요)",
        "남녀 구분 없이 채용합니다",
        "봉사활동 참여자 모집",
        "프로젝트 기여자 우대",
        "여성 휴게실 별도 완비",
        "남성복 매장 판매 사원 모집",
        "여자고등학교 급식 조리원 구함",
    ],
    "MARITAL_PREGNANCY": [
        "결혼 여부 무관",
        "미혼 직원 결혼축하금 지급",
        "기혼·미혼 상관없이 지원 가능",
        "출산 예정자 출산휴가 보장",
        "임신 중 단축 근무 지원",
    ],
    "APPEARANCE": [
        "키오스크 사용 가능자",
        "외모 무관",
        "용모 복장 자유",
        "신장 175 이상 패션모델 (피팅)",
        "체중 관리 프로그램 지원",
        "키친 보조 구함",
    ],
    "AGE_DISCRIM": [
        "연령 제한 없음",
        "야간근무로 만 18세 이상만 가능(근로기준법)",
        "정년 60세",
        "직원 평균 연령 32세",
        "40대 중장년 환영",
        _false_alarm("주 고객층은 20~30대 여성입니다",
                     "AGE_DISCRIM: 고객층 설명을 연령 조건으로 읽음 — 마지막 예외에 "
                     "|고객|수강생|이용자|회원|원생 추가('대상'은 '모집 대상: 만 30세 이하'를 놓치므로 넣지 말 것)"),
        _false_alarm("10~20세 수강생 대상 학원 강사", "AGE_DISCRIM: 수강생 연령 설명을 연령 조건으로 읽음 (위와 같은 수정)"),
    ],
    "PERSONAL_INFO": [
        "가족 사항 기재 금지",
        "출신 학교 기재",
        "통근 거리 확인용 거주지 주소 작성",
        "결혼 여부를 묻지 않습니다",
        "가족수당 지급",
        _false_alarm("가족 같은 직장입니다. 이력서 제출 바랍니다",
                     "PERSONAL_INFO: (가족).{0,8}?(직장).{0,6}?(제출)이 '가족 같은 직장'+'이력서 제출'에 걸림 — "
                     "예외에 가족(같은|적인|처럼) 추가(또는 첫 패턴에서 직장·관계·사항을 빼고 간격을 줄임)"),
    ],
    "RRN_REQUEST": [
        "주민등록번호는 기재하지 마세요",
        "합격 후 주민등록등본 제출",
        "생년월일만 적어주세요",
        "주민센터 민원 안내 업무",
        "입사 확정 후 4대보험 신고용 가족관계증명서 제출",
    ],
    "DISABILITY_DISCRIM": [
        "장애인 고용 우대",
        "장애인 편의시설 완비",
        "장애인 근로자 지원 가능합니다",
        _false_alarm("시스템 장애 발생 시 대응(야간 장애 제외)",
                     "DISABILITY_DISCRIM: IT의 '장애'(고장)를 장애인 배제로 읽음 — "
                     "예외에 (시스템|서버|전산|통신|네트워크|설비|장비|서비스)장애|장애(대응|처리|발생|조치) 추가"),
    ],
    "APPLICANT_FEE": [
        "교육비 전액 회사 지원",
        "유니폼비 없음",
        "교재비 무료",
        "교육비 환급 제도 운영",
        _false_alarm("면접 참석 시 면접비 2만원 계좌 입금",
                     "APPLICANT_FEE: 회사가 주는 면접비를 지원자 부담으로 읽음 — "
                     "첫 패턴의 비용 목록에서 면접비를 빼기(면접비는 보통 회사가 지원자에게 주는 돈)"),
    ],
    "HIDDEN_IDENTITY": [
        "카카오톡 채널 상담 가능(대표번호 02-123-4567 병행)",
        "카카오톡으로 문의",
        "텔레그램 봇 개발자 모집",
        "카톡 ID: jobs_hr (대표전화 1588-1234)",
    ],
    "FALSE_LURE": [
        "고객 만족을 위해 제공하고 수익을 나눕니다",
        "광고 수익화 전략 수립",
        "평균 월 500만원 보장(실적에 따라 차등)",
        "기본급 월 250만원 확정",
        _false_alarm("업계 최고 수익률 펀드 운용 경력자 우대",
                     "FALSE_LURE: '최고 수익률'이 압축되면 '고수익' — 뒤돌아보기를 (?<![하있되이않광최재주보])고수익(?!화|률)로"),
        _false_alarm("재고 수익 분석 업무", "FALSE_LURE: '재고 수익'→'고수익' (위와 같은 수정)"),
        _false_alarm("서비스를 제공해 주고 수익을 얻는 구조", "FALSE_LURE: '주고 수익'→'고수익' (위와 같은 수정)"),
        _false_alarm("고소득층 고객 자산관리(PB)", "FALSE_LURE: 고객층 설명 '고소득층' — 고소득(?!층|자|가구)"),
    ],
    "RELIGION_DISCRIM": ["종교 무관", "교회 전도사 모집 (목회 자격 필요)", "교회 납품 가구 제작 경험자 우대"],
    "UNFAVOURABLE_CHANGE": ["급여는 경력에 따라 협의 후 결정", "수습 3개월 후 정규직 전환", "근무지는 협의하여 정합니다"],
    "IP_RIGHTS": ["과제 결과물의 저작권은 지원자에게 있습니다", "과제는 평가 목적으로만 사용 후 파기합니다", "입사 후 업무상 저작물 규정 안내"],
    "DOCUMENT_RETURN": ["불합격자는 요청하시면 14일 이내 서류를 돌려드립니다", "온라인 접수 서류는 반환 대상이 아닙니다",
                        "채용서류 반환 청구 가능"],
    "PLACEMENT_FEE": ["판매 수수료 10% 지급", "소개 수수료는 구인업체가 부담합니다", "구직자 수수료 없음, 무료 알선"],
    "FAKE_RECRUITMENT": ["회사 차량 지급", "국비지원 무료교육 후 채용 연계", "차량구입지원금 : 구매 시 할인"],
    "ACCOUNT_LENDING": ["급여 이체용 통장 사본은 입사 후 제출", "업무용 휴대폰 지급", "법인카드 지급"],
    "MLM": ["네트워크 엔지니어 모집", "직급수당 지급", "사내 추천 채용 보상금 100만원"],
    "OFF_PLATFORM_CONTACT": ["전화 또는 카톡으로 문의 주세요", "카카오톡 채널로도 문의 가능합니다", "대표전화 02-000-1234, 카톡 상담 병행"],
}


def _cases(table: dict[str, list]) -> list:
    out = []
    for rule_id, examples in table.items():
        for example in examples:
            if isinstance(example, str):
                out.append(pytest.param(rule_id, example, id=f"{rule_id}:{example}"))
            else:
                (text,) = example.values
                out.append(pytest.param(rule_id, text, marks=example.marks, id=f"{rule_id}:{text}"))
    return out


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_default_rules()


@pytest.fixture(scope="module")
def engine(rules: RuleSet) -> RuleEngine:
    return RuleEngine(rules)


def _hits(engine: RuleEngine, text: str, rule_id: str) -> list[RuleHit]:
    return [h for h in engine.match({"body": text}) if h.rule_id == rule_id]


# --------------------------------------------------------------------------- examples per rule


def test_examples_cover_every_text_rule(rules: RuleSet) -> None:
    assert {r.id for r in rules.rules} == set(TEXT_RULES)
    for table in (POSITIVE, NEGATIVE):
        for rule_id in TEXT_RULES:
            plain = [e for e in table[rule_id] if isinstance(e, str)]
            assert len(plain) >= 3, rule_id


@pytest.mark.parametrize(("rule_id", "text"), _cases(POSITIVE))
def test_unlawful_example_hits(engine: RuleEngine, rule_id: str, text: str) -> None:
    hits = _hits(engine, text, rule_id)
    assert len(hits) == 1, f"{rule_id} should hit {text!r}"
    hit = hits[0]
    assert hit.field == "body"
    assert hit.evidence and hit.evidence == text[hit.start:hit.end]
    law, article = EXPECTED_CITATION[rule_id]
    assert law in hit.citation and article in hit.citation
    assert hit.severity in ("block", "review") and hit.family in FAMILIES
    assert hit.fix and hit.explanation


@pytest.mark.parametrize(("rule_id", "text"), _cases(NEGATIVE))
def test_lawful_lookalike_does_not_hit(engine: RuleEngine, rule_id: str, text: str) -> None:
    assert _hits(engine, text, rule_id) == [], f"{rule_id} should not hit {text!r}"


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("여.성.만 채용합니다", "여.성.만"),
        ("남 자 만 가능", "남 자 만"),
        ("여·성·분·만 지원", "여·성·분·만"),
        ("남\u3000자\u3000만 모집", "남\u3000자\u3000만"),
    ],
)
def test_obfuscated_sex_condition_is_highlighted_as_written(engine: RuleEngine, text: str, evidence: str) -> None:
    (hit,) = _hits(engine, text, "SEX_DISCRIM")
    assert hit.evidence == evidence == text[hit.start:hit.end]


def test_full_width_messenger_id_is_caught(engine: RuleEngine) -> None:
    text = "문의는 텔레그램 ＩＤ：ｊｏｂｋｉｎｇ７ 로만 받습니다"
    (hit,) = _hits(engine, text, "HIDDEN_IDENTITY")
    assert hit.evidence == text[hit.start:hit.end]
    assert hit.evidence.startswith("텔레그램") and "ｊｏｂｋｉｎｇ７" in hit.evidence


def test_decomposed_hangul_is_caught(engine: RuleEngine) -> None:
    text = unicodedata.normalize("NFD", "여성분만 지원해 주세요")
    assert _hits(engine, text, "SEX_DISCRIM")


# --------------------------------------------------------------------------- matching behaviour


def test_match_only_restricts_the_rules(engine: RuleEngine) -> None:
    text = "여성분만 지원\n만 30세 이하\n교육비 20만원 선납"
    assert {h.rule_id for h in engine.match({"body": text})} == {"SEX_DISCRIM", "AGE_DISCRIM", "APPLICANT_FEE"}
    assert [h.rule_id for h in engine.match({"body": text}, only=["AGE_DISCRIM"])] == ["AGE_DISCRIM"]
    assert {h.rule_id for h in engine.match({"body": text}, only={"SEX_DISCRIM", "APPLICANT_FEE"})} == {
        "SEX_DISCRIM", "APPLICANT_FEE"}
    assert engine.match({"body": text}, only=[]) == []
    assert engine.match({"body": text}, only=["BELOW_MIN_WAGE"]) == []  # fixed checks are not text rules


def test_match_reports_the_field(engine: RuleEngine) -> None:
    hits = engine.match({"title": "여성분만 모집", "body": "만 29세 이하", "contact": ""})
    assert {(h.field, h.rule_id) for h in hits} == {("title", "SEX_DISCRIM"), ("body", "AGE_DISCRIM")}


def test_one_hit_per_rule_per_line(engine: RuleEngine) -> None:
    one_line = "여성분만, 여자만, 여사원 우대"
    assert len(_hits(engine, one_line, "SEX_DISCRIM")) == 1
    two_lines = "여성분만 지원\n여사원 우대"
    hits = _hits(engine, two_lines, "SEX_DISCRIM")
    assert len(hits) == 2
    assert [two_lines[h.start:h.end] for h in hits] == ["여성분만", "여사원 우대"]


def test_one_hit_per_line_also_with_morphemes(engine: RuleEngine) -> None:
    assert len(_hits(engine, "만 30세 이하, 젊고 열정 넘치는 청년", "AGE_DISCRIM")) == 1


def test_exception_applies_on_the_same_line_only(engine: RuleEngine) -> None:
    assert _hits(engine, "여성분만 지원 가능(직무상 불가피)", "SEX_DISCRIM") == []
    text = "여성분만 지원 가능\n성별 무관 휴게실 별도 운영"
    (hit,) = _hits(engine, text, "SEX_DISCRIM")
    assert text[hit.start:hit.end] == "여성분만"
    # the same for a rule with a morpheme pattern: 정년 on another line does not excuse 젊고…청년
    text = "정년 60세 보장\n젊고 열정 넘치는 청년을 모십니다"
    (hit,) = _hits(engine, text, "AGE_DISCRIM")
    assert hit.evidence == text[hit.start:hit.end] and hit.evidence.startswith("젊고")
    assert _hits(engine, "정년 보장, 젊고 열정 넘치는 청년을 모십니다", "AGE_DISCRIM") == []


def test_pattern_does_not_run_across_lines(engine: RuleEngine) -> None:
    assert _hits(engine, "교육비\n15만원 입금", "APPLICANT_FEE") == []
    assert _hits(engine, "여성\n만 30세", "SEX_DISCRIM") == []


def test_empty_fields_have_no_hits(engine: RuleEngine) -> None:
    assert engine.match({"title": "", "body": None}) == []  # type: ignore[dict-item]


def _regex_only(rules: RuleSet) -> RuleSet:
    return rules.model_copy(update={"rules": tuple(r.model_copy(update={"morphemes": ()}) for r in rules.rules)})


@pytest.mark.parametrize("text", ["젊고 열정 넘치는 청년을 모십니다", "젊고 패기 있는 인재를 찾습니다"])
def test_morpheme_pattern_catches_indirect_age_phrase_the_regexes_miss(rules: RuleSet, text: str) -> None:
    age = next(r for r in rules.rules if r.id == "AGE_DISCRIM")
    assert age.morphemes and age.morphemes[0].trigger == "젊"
    assert RuleEngine(_regex_only(rules)).match({"body": text}, only=["AGE_DISCRIM"]) == []
    (hit,) = RuleEngine(rules).match({"body": "회사 소개\n" + text}, only=["AGE_DISCRIM"])
    full = "회사 소개\n" + text
    assert hit.evidence == full[hit.start:hit.end]
    assert hit.evidence.startswith("젊고") and hit.evidence.endswith(("청년", "인재"))
    assert "고령자고용법" in hit.citation


# --------------------------------------------------------------------------- compact()


def test_compact_hangul_drops_separators_and_maps_back() -> None:
    text = "남 자.만·모집"
    c = compact(text)
    assert c.text == "남자만모집"
    assert c.origin == (0, 2, 4, 6, 7)
    assert not set(c.text) & SEPARATORS
    assert c.source == text
    assert c.span(0, 3) == (0, 5) and text[slice(*c.span(0, 3))] == "남 자.만"


def test_compact_ascii_is_lower_cased() -> None:
    text = "Kakao ID: Ab_1"
    c = compact(text)
    assert c.text == "kakaoid:ab1"  # space and "_" are separators
    assert c.origin == (0, 1, 2, 3, 4, 6, 7, 8, 10, 11, 13)
    assert text[slice(*c.span(5, 7))] == "ID"
    assert text[slice(*c.span(8, 11))] == "Ab_1"


def test_compact_full_width_is_nfkc_folded() -> None:
    text = "ＩＤ：ＡＢＣ"
    c = compact(text)
    assert c.text == "id:abc"
    assert c.origin == (0, 1, 2, 3, 4, 5)
    assert text[slice(*c.span(3, 6))] == "ＡＢＣ"


def test_compact_expanding_character_maps_every_piece_to_its_source() -> None:
    text = "5㎏ 이하"
    c = compact(text)
    assert c.text == "5kg이하"
    assert c.origin == (0, 1, 1, 3, 4)
    assert text[slice(*c.span(1, 3))] == "㎏"
    assert text[slice(*c.span(0, 5))] == text


def test_compact_keeps_newlines_and_finds_lines() -> None:
    text = "여 성\n만 30 세"
    c = compact(text)
    assert c.text == "여성\n만30세"
    assert c.text.count("\n") == 1
    assert c.line_of(0) == (0, 2)
    assert c.line_of(4) == (3, len(c.text))
    assert c.span(3, 7) == (4, 10)


def test_compact_empty_span() -> None:
    c = compact("abc")
    assert c.span(1, 1) == (0, 0)
    assert compact("").text == "" and compact("").span(0, 1) == (0, 0)


def test_compact_map_is_right_when_lengths_coincide() -> None:
    text = "㎏" + unicodedata.normalize("NFD", "가")  # 1 → 2 characters, then 2 → 1
    c = compact(text)
    assert c.text == "kg가"
    assert text[slice(*c.span(0, 2))] == "㎏"


# --------------------------------------------------------------------------- rule-set validation


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))


def test_committed_file_loads(rules: RuleSet) -> None:
    assert rules.version >= 1
    assert {r.id for r in rules.rules} == set(TEXT_RULES)
    assert {c.id for c in rules.conditions} == set(CONDITION_IDS)
    assert set(rules.by_id()) == set(TEXT_RULES) | set(CONDITION_IDS)
    assert default_rules_path().name == "ad_rules.yaml"
    assert load_default_rules() is load_default_rules()  # cached


def test_committed_file_loads_from_an_explicit_path(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(default_rules_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert load_default_rules(path) == rules


def test_to_yaml_round_trips(rules: RuleSet) -> None:
    text = rules.to_yaml()
    assert "SEX_DISCRIM" in text and "남녀고용평등법" in text  # allow_unicode: no \u escapes
    again = parse_rule_set(text)
    assert again == rules
    assert again.to_yaml() == text
    # a rule without morphemes or exceptions drops the empty keys
    assert "morphemes: []" not in text and "exceptions: []" not in text


def _expect_invalid(data: object, *fragments: str) -> str:
    with pytest.raises(InvalidRules) as info:
        parse_rule_set(data)  # type: ignore[arg-type]
    message = str(info.value)
    assert HANGUL.search(message), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_bad_regex_is_rejected(raw: dict) -> None:
    raw["rules"][0]["patterns"][0] = "(남|여"
    _expect_invalid(raw, "[rules.0.patterns]", "정규식 오류", "(남|여")


def test_bad_exception_regex_is_rejected(raw: dict) -> None:
    raw["rules"][3]["exceptions"].append("[abc")
    _expect_invalid(raw, "[rules.3.exceptions]", "정규식 오류")


def test_bad_morpheme_regex_is_rejected(raw: dict) -> None:
    age = next(i for i, r in enumerate(raw["rules"]) if r["id"] == "AGE_DISCRIM")
    raw["rules"][age]["morphemes"][0]["pattern"] = "(젊/VA"
    _expect_invalid(raw, f"[rules.{age}.morphemes]", "형태소 패턴 정규식 오류")


def test_space_in_pattern_is_rejected(raw: dict) -> None:
    raw["rules"][1]["patterns"].append("미혼 여성")
    _expect_invalid(raw, "[rules.1.patterns]", "공백", "'미혼 여성'")


def test_duplicate_ids_are_rejected(raw: dict) -> None:
    raw["rules"].append(copy.deepcopy(raw["rules"][0]))
    _expect_invalid(raw, "중복", "SEX_DISCRIM")


def test_rule_id_clashing_with_a_condition_is_rejected(raw: dict) -> None:
    raw["rules"][0]["id"] = "DUPLICATE"
    _expect_invalid(raw, "중복", "DUPLICATE")


def test_missing_condition_rules_are_rejected(raw: dict) -> None:
    raw["conditions"] = [c for c in raw["conditions"] if c["id"] not in ("BELOW_MIN_WAGE", "DUPLICATE")]
    _expect_invalid(raw, "고정 점검 규칙이 빠졌습니다", "BELOW_MIN_WAGE", "DUPLICATE")


_ENGLISH_ONLY = (
    "(fixed) InvalidRules의 docstring은 'str(err)가 모든 문제를 한국어로' 라고 하지만 pydantic 기본 메시지"
    "(\"Input should be …\", \"Field required\")가 그대로 나옴 — _korean_errors에서 problem['type']별 "
    "(literal_error, missing, string_too_short, extra_forbidden …) 한국어 문구로 바꾸기"
)


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        pytest.param(("rules", 2, "family"), "religion", "[rules.2.family]", id="family"),
        pytest.param(("rules", 2, "severity"), "warn", "[rules.2.severity]", id="severity"),
        pytest.param(("conditions", 0, "severity"), "hold", "[conditions.0.severity]", id="condition-severity"),
    ],
)
def test_unknown_family_or_severity_is_rejected_in_korean(raw: dict, path: tuple, value: str, where: str) -> None:
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    _expect_invalid(raw, where)


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("rules", 2, "family"), "religion", "[rules.2.family]"),
        (("rules", 2, "severity"), "warn", "[rules.2.severity]"),
        (("conditions", 0, "severity"), "hold", "[conditions.0.severity]"),
    ],
)
def test_unknown_family_or_severity_is_rejected_with_its_location(
    raw: dict, path: tuple, value: str, where: str
) -> None:
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidRules, match=re.escape(where)):
        parse_rule_set(raw)


def test_every_problem_is_listed(raw: dict) -> None:
    raw["rules"][0]["patterns"][0] = "(남|여"
    raw["rules"][1]["patterns"].append("미혼 여성")
    with pytest.raises(InvalidRules) as info:
        parse_rule_set(raw)
    lines = str(info.value).splitlines()
    assert any(line.startswith("[rules.0.patterns]") for line in lines)
    assert any(line.startswith("[rules.1.patterns]") for line in lines)


@pytest.mark.parametrize("data", ["- a\n- b\n", "42", "", [1, 2]], ids=["yaml-list", "scalar", "empty", "py-list"])
def test_non_mapping_is_rejected(data: object) -> None:
    _expect_invalid(data, "매핑")


def test_yaml_syntax_error_is_rejected() -> None:
    message = _expect_invalid("version: [1\nrules: x\n", "YAML 형식 오류")
    assert "line" in message  # names where the YAML broke


def test_committed_patterns_have_no_spaces_and_compile(rules: RuleSet) -> None:
    for rule in rules.rules:
        for pattern in (*rule.patterns, *rule.exceptions):
            assert " " not in pattern
            re.compile(pattern)
        assert rule.law and rule.article


# --------------------------------------------------------------------------- catastrophic backtracking

CATASTROPHIC = [
    pytest.param("(a|aa)+$", id="overlapping-alternatives"),
    pytest.param("(가|가가)+$", id="overlapping-hangul"),
    pytest.param(r"(\d|\d\d)+원", id="overlapping-with-literal-after"),
    pytest.param(r"\d+\d+\d+\d+x", id="chained-repetitions"),
    pytest.param("(a+)+$", id="nested-quantifiers"),
    pytest.param(r"^(\w+\s?)*$", id="nested-quantifiers-classic"),
]
SLOW_TEXT = "a" * 60 + "!"
"""A line on which ``(a|aa)+$`` backtracks for ~1.5^60 steps (it never finishes)."""


def _with_slow_rule(raw: dict, pattern: str = "(a|aa)+$") -> dict:
    """The committed rules plus a rule whose only pattern is ``pattern`` (as an old stored version could hold)."""
    slow = {"id": "SLOW_RULE", "family": "platform", "name": "느린 규칙", "law": "직업안정법", "article": "제34조",
            "severity": "review", "patterns": [pattern], "explanation": "역추적이 폭증하는 패턴을 가진 규칙입니다.",
            "fix": "패턴을 고치세요."}
    return {**raw, "rules": [*raw["rules"], slow]}


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_pattern_is_refused_when_written(raw: dict, pattern: str) -> None:
    raw["rules"][0]["patterns"].append(pattern)
    with pytest.raises(InvalidRules) as info:
        parse_rule_set(raw, refuse_backtracking=True)
    message = str(info.value)
    assert message.startswith("[rules.0.patterns] ") and repr(pattern) in message
    assert "오래 걸" in message and HANGUL.search(message)


@pytest.mark.parametrize("where", ["exceptions", "morphemes"])
def test_catastrophic_exception_or_morpheme_pattern_is_refused(raw: dict, where: str) -> None:
    age = next(i for i, r in enumerate(raw["rules"]) if r["id"] == "AGE_DISCRIM")
    if where == "exceptions":
        raw["rules"][age]["exceptions"].append("(무|무무)+관$")
    else:
        raw["rules"][age]["morphemes"][0]["pattern"] = "젊/VA( \\S+)+ 분/NNB"
    with pytest.raises(InvalidRules, match=re.escape(f"[rules.{age}.{where}]")):
        parse_rule_set(raw, refuse_backtracking=True)


def test_nested_quantifier_is_refused_without_timing_with_a_rewrite_hint(raw: dict) -> None:
    raw["rules"][0]["patterns"].append(r"(\d+,)+원")  # fast on most texts, still refused: it is nested
    with pytest.raises(InvalidRules) as info:
        parse_rule_set(raw, refuse_backtracking=True)
    assert "반복(+, *, {n,}) 안에 또 반복" in str(info.value) and r"[\d,]+" in str(info.value)


def test_stored_rule_set_with_a_catastrophic_pattern_still_loads(raw: dict) -> None:
    # versions saved before the probe existed are read as they are: the matcher's budget contains them
    rules = parse_rule_set(_with_slow_rule(raw))
    assert rules.by_id()["SLOW_RULE"].patterns == ("(a|aa)+$",)


def test_committed_rules_pass_the_backtracking_probe(rules: RuleSet) -> None:
    assert parse_rule_set(default_rules_path().read_text(encoding="utf-8"), refuse_backtracking=True) == rules


@pytest.mark.parametrize("pattern", [
    ".*고수익", r"[가-힣]+\d+", "(남|여)(자|성)만", "(?:남자|남)+만$", r"(ab+)?c", "a*b*c*",
    r"젊/VA(?: \S+){0,4} (분/NNB|인재/NNG)", "(?<![참기])(남|여)(자|성)",
])
def test_probe_accepts_linear_and_quadratic_patterns(pattern: str) -> None:
    check_backtracking(pattern)


def test_adversarial_texts_pump_the_repetition_between_its_prefix_and_what_follows() -> None:
    texts = list(adversarial_texts("x(a|aa)+y"))
    assert texts and all(t.startswith("xa") for t in texts)
    assert "x" + "a" * PROBE_LENGTH + "\x00y" in texts  # the literal after it: regex would give up at once without it
    assert "x" + "a" * PROBE_LENGTH + "\n\x00" in texts
    assert "x" + "aa" * (PROBE_LENGTH // 2) + "\x00y" in texts
    assert list(adversarial_texts("(남|여)(자|성)?만")) == []  # nothing to pump


def test_slow_rule_is_skipped_for_that_ad_reported_and_logged(raw: dict, caplog: pytest.LogCaptureFixture) -> None:
    engine = RuleEngine(parse_rule_set(_with_slow_rule(raw)), time_budget_s=0.05)
    with caplog.at_level("WARNING", logger="app.verify.rules"):
        found = engine.scan({"title": "상하차 직원", "body": f"남자만 지원\n{SLOW_TEXT}"})
    assert found.skipped == ("SLOW_RULE",)
    assert [h.rule_id for h in found.hits] == ["SEX_DISCRIM"]  # the other rules still ran
    assert found.skipped_note == ("규칙 SLOW_RULE은(는) 정해진 시간 안에 검사를 마치지 못해 이 공고에는 적용하지 못했습니다"
                                  " (규칙 관리에서 해당 패턴을 고쳐 주세요)")
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 1 and "SLOW_RULE" in logged[0] and "body" in logged[0]
    assert "남자" not in logged[0] and "aaaa" not in logged[0]  # ids and sizes, never the ad's text
    # on an ad where it finishes, the same rule hits as usual
    quick = engine.scan({"body": "남녀 무관\n배송 기사 aa"})
    assert quick.skipped == () and [h.rule_id for h in quick.hits] == ["SLOW_RULE"] and quick.skipped_note is None


def test_rule_over_budget_on_several_ads_is_skipped_from_then_on(raw: dict) -> None:
    engine = RuleEngine(parse_rule_set(_with_slow_rule(raw)), time_budget_s=0.05)
    for _ in range(MAX_RULE_TIMEOUTS):
        assert engine.scan({"body": SLOW_TEXT}).skipped == ("SLOW_RULE",)
    after = engine.scan({"body": "배송 기사 aa"})  # would hit at once, but the rule is off now
    assert after.skipped == ("SLOW_RULE",) and after.hits == []
    assert engine.match({"body": "남자만 지원"})[0].rule_id == "SEX_DISCRIM"


def test_verifier_notes_the_skipped_rule_and_decides_on_the_rest(raw: dict) -> None:
    import pandas as pd

    from app.verify.verifier import AdVerifier

    verifier = AdVerifier(classifier=None, ml_threshold=0.5, index=None, minimum_wages={2026: 10_320},
                          rules=parse_rule_set(_with_slow_rule(raw)))
    ads = pd.DataFrame([
        {"id": "slow", "title": "상하차 직원", "body": f"남자만 지원\n{SLOW_TEXT}", "wage_type": "hourly", "wage": 11_000,
         "hours_per_week": 40, "year": 2026, "employer_name": "(주)한빛상사", "contact": "02-555-0101"},
        {"id": "clean", "title": "사무 보조", "body": "문서 정리\n남녀 무관", "wage_type": "hourly", "wage": 11_000,
         "hours_per_week": 40, "year": 2026, "employer_name": "(주)한빛상사", "contact": "02-555-0101"},
    ])
    slow, clean = verifier.verify(ads, duplicates=False)
    assert slow.decision == "block" and [h.rule_id for h in slow.hits] == ["SEX_DISCRIM"]
    assert slow.notes == (RuleMatch(skipped=("SLOW_RULE",)).skipped_note,)
    assert clean.decision == "pass" and clean.notes == ()


@pytest.mark.parametrize("pattern", ["a{1000000000}b", "(남|여){3000}", "(x{100}){30}"])
def test_huge_repetition_count_is_refused_before_compiling(raw: dict, pattern: str) -> None:
    # ``regex`` spells fixed counts out when it compiles: a{10000000} takes 30 s and 3 GB
    raw["rules"][0]["patterns"].append(pattern)
    _expect_invalid(raw, "[rules.0.patterns]", "반복 횟수가 너무 큽니다", repr(pattern))


def test_unrolled_size_counts_fixed_and_minimum_repetitions() -> None:
    assert unrolled_size("(ab){3}x") == 7
    assert unrolled_size("a*") == 2 and unrolled_size("a{2,5}") == 3 and unrolled_size("(?<!x)(a|bc)") == 4
