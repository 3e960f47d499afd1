"""Who a sentence is about, lawful exceptions, and every category of the law (issue 13).

The sentences about customers, members and staff are from real published ads that the
previous rule set flagged (paraphrased); the requirements are real violations found among them.
"""

from __future__ import annotations

import pytest

from app.verify.rules import RuleEngine, load_default_rules, sentence_around


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(load_default_rules())


def _rules(engine: RuleEngine, text: str) -> set[str]:
    return {h.rule_id for h in engine.match({"title": "", "body": text})}


@pytest.mark.parametrize("text", [
    "앱 회원이 50만 명이며, 특히 35-54세의 여성이 주를 이루고 있습니다.",
    "- 20 ~ 30대 초반 직원이 70% 이상인 젊은 조직",
    "- 인도 20-30대 여성 소비 시장 분석을 통해 페르소나 도출",
    "20대부터 50대까지의 다양한 사용자 연령층이 모여 있어 모두를 아우르는 디자인이 필요합니다.",
    "전 팀원이 20~30대 여성이라 여성향 작품을 편하게 논의하는 분위기예요.",
    "• 35세까지 병역 기간을 완료할 수 있는 분 (산업기능요원 편입)",
    "나이와 경력, 직무에 상관없이 누구나 성장할 수 있습니다.",
    "• 성장을 위한 교육비 연 200만원을 지원해 드려요.",
    "• 사내 어린이집: 육아 걱정 없는 업무 몰입을 위해 운영합니다.",
    "• 직급수당/직무수당/자격수당 지급",
    "수백만 명의 사용자가 즐기는 게임을 만들어요.",
    "정규직 (수습 3개월, 수습 기간에도 급여 100% 지급)",
    "• 기본적인 문서 작성 능력이 있으신 분",
    "불합격자가 요청하면 제출 서류를 14일 이내에 돌려드립니다.",
])
def test_descriptions_benefits_and_lawful_exceptions_are_no_violation(engine: RuleEngine, text: str) -> None:
    assert _rules(engine, text) == set()


@pytest.mark.parametrize(("text", "rule"), [
    ("• 연령 : 제한없음(30~40대 우대)", "AGE_DISCRIM"),
    ("회사를 함께 키워갈 젊은 인재들의 지원을 기다리고 있습니다.", "AGE_DISCRIM"),
    ("- 30~40세 운전 가능자 (자차 보유)", "AGE_DISCRIM"),
    ("• 여성만", "SEX_DISCRIM"),
    ("주방 이모님 구해요 (오전 근무)", "SEX_DISCRIM"),
    ("남자분은 지원 불가합니다", "SEX_DISCRIM"),
    ("아이 없는 분, 결혼 계획 없으신 분", "MARITAL_PREGNANCY"),
    ("키 165 이상, 날씬한 분", "APPEARANCE"),
    ("사지 멀쩡한 분만 오세요", "DISABILITY_DISCRIM"),
    ("기독교인만 지원 가능 (사무 보조)", "RELIGION_DISCRIM"),
    ("이력서에 부모님 직업과 학력을 기재해 주세요", "PERSONAL_INFO"),
    ("지원 시 주민등록등본 1부 제출", "RRN_REQUEST"),
    ("입사 후 급여와 근무지는 회사 사정에 따라 변경될 수 있습니다", "UNFAVOURABLE_CHANGE"),
    ("제출하신 과제의 저작권은 회사에 귀속됩니다", "IP_RIGHTS"),
    ("제출 서류는 일체 반환하지 않습니다", "DOCUMENT_RETURN"),
    ("교육비 30만원 선입금 후 근무 시작", "APPLICANT_FEE"),
    ("취업 후 첫 월급의 10%를 소개비로 공제합니다", "PLACEMENT_FEE"),
    ("초보도 하루 2시간 월 500 보장", "FALSE_LURE"),
    ("지입차 기사 모집 (차량 구입 후 배차)", "FAKE_RECRUITMENT"),
    ("체크카드 대여해 주실 분 일당 지급", "ACCOUNT_LENDING"),
    ("하위 회원 유치하시면 직급 수당 지급", "MLM"),
    ("회사명은 면접 때 공개합니다", "HIDDEN_IDENTITY"),
    ("지원은 텔레그램으로만 받습니다", "OFF_PLATFORM_CONTACT"),
])
def test_every_category_of_the_law_has_a_rule(engine: RuleEngine, text: str, rule: str) -> None:
    assert rule in _rules(engine, text)


def test_every_rule_of_the_default_set_cites_a_law_and_names_a_family() -> None:
    rules = load_default_rules()
    assert len(rules.rules) == 19
    assert {r.family for r in rules.rules} == {"discrimination", "privacy", "procedure", "fraud"}
    assert all(r.about_others and r.about_applicants for r in rules.rules if r.family == "discrimination")


def test_sentence_around_stops_at_sentence_ends_and_lines() -> None:
    text = "우리 앱 회원은 여성이 많습니다. 여성만 지원하세요!\n다음 줄"
    start = text.index("여성만")
    assert sentence_around(text, start, start + 3) == "여성만 지원하세요!"
    assert sentence_around(text, 0, 2) == "우리 앱 회원은 여성이 많습니다."


def test_a_requirement_next_to_a_description_is_still_found(engine: RuleEngine) -> None:
    text = "고객은 주로 20대 여성입니다. 20대 여성만 지원 가능합니다."
    hits = [h for h in engine.match({"body": text}) if h.rule_id in ("SEX_DISCRIM", "AGE_DISCRIM")]
    assert hits and all(h.start >= text.index("20대 여성만") for h in hits)


@pytest.mark.parametrize(("text", "rule"), [
    ("홀서빙(여) 1명 구합니다", "SEX_DISCRIM"),
    ("[미혼] 경리 사원 모집 - 가구 도매", "MARITAL_PREGNANCY"),
    ("• 팀 구성상 남성 지원자 (숙소형 워크숍 운영 편의)", "SEX_DISCRIM"),
    ("· 제출: 이력서, 담임목사 추천서", "RELIGION_DISCRIM"),
    ("4. 샘플 번역 관련: 제출하신 샘플 번역문의 저작권과 출판권은 당사에 있으며, 도서에 게재될 수 있습니다.", "IP_RIGHTS"),
    ("테스트 원고의 저작권과 2차적 사용권은 스튜디오에 귀속되며, 지원자는 쓸 수 없습니다.", "IP_RIGHTS"),
    ("입사 후 회사가 주야 2교대로 근무형태를 변경할 수 있으며 이에 대한 이의 제기는 받지 않습니다.", "UNFAVOURABLE_CHANGE"),
])
def test_tags_reasons_and_owners_in_other_words_are_found(engine: RuleEngine, text: str, rule: str) -> None:
    assert rule in _rules(engine, text)


@pytest.mark.parametrize("text", [
    "남(여) 무관, 초보 가능",
    "• 경조사 휴가, 보건(여성) 휴가를 제공합니다.",
    "교회 부목사 청빙: 담임목사 추천서 제출",
    "[교육] 입사 후 유급 교육: '고수익 보장'·'원금 보장' 같은 부당 권유 금지 사항",
    "업무: 고객에게 '통장 대여'·'체크카드 전달' 요구를 받은 적 있는지 안내",
    "💬 카카오톡 ID: shop_example (전화가 어려우시면 카톡도 괜찮아요)",
    "입사 후 급여 삭감은 없습니다",
    "자격: 직무교육 이수 (미이수 시 입사 후 교육비 사무소 부담)",
    "알선 방법: 구 일자리센터에 구직 등록하시면 상담사가 면접 동행까지 도와드립니다.",
    "• 20대부터 40대까지 다양한 연령대와 배경을 가진 프리랜서 팀원들을 관리하고 지원해요.",
])
def test_quoted_warnings_other_channels_and_lawful_reasons_are_no_violation(engine: RuleEngine, text: str) -> None:
    assert _rules(engine, text) == set()


def test_a_company_named_in_the_ad_is_not_hiding_its_identity(engine: RuleEngine) -> None:
    hidden = "회사명은 면접 때 공개합니다. 문의 010-0000-0000"
    assert _rules(engine, hidden) == {"HIDDEN_IDENTITY"}
    assert _rules(engine, "(주)가나푸드 신규 브랜드 마케터\n" + hidden) == set()
    assert engine.lawful_in_ad("HIDDEN_IDENTITY", ["", "사업자등록번호: 123-45-67890"])
    assert not engine.lawful_in_ad("HIDDEN_IDENTITY", ["", "개인 사업자라 상호 없음"])
    assert not engine.lawful_in_ad("AGE_DISCRIM", ["(주)가나푸드"])


def test_ad_exceptions_survive_a_yaml_round_trip() -> None:
    from app.verify.rules import parse_rule_set

    rules = load_default_rules()
    again = parse_rule_set(rules.to_yaml())
    assert again.by_id()["HIDDEN_IDENTITY"].ad_exceptions == rules.by_id()["HIDDEN_IDENTITY"].ad_exceptions
    assert rules.by_id()["HIDDEN_IDENTITY"].ad_exceptions


def test_a_near_certain_model_reading_beats_keyword_contexts(engine: RuleEngine) -> None:
    from app.verify.rules import MODEL_OVER_ABOUT_OTHERS, MODEL_OVER_EXCEPTIONS

    about_staff = "또래 직원들과 잘 어울릴 수 있는 20대"
    assert engine.lawful_context("AGE_DISCRIM", "우리 직원들은 20대가 많아요", 0.5)
    assert not engine.lawful_context("AGE_DISCRIM", about_staff, MODEL_OVER_ABOUT_OTHERS)
    incidental = "5. 제출서류: 이력서(자유양식), 전신사진 1매(필수 첨부)"
    assert engine.lawful_context("APPEARANCE", incidental, MODEL_OVER_EXCEPTIONS - 0.01)
    assert not engine.lawful_context("APPEARANCE", incidental, MODEL_OVER_EXCEPTIONS)
    assert MODEL_OVER_ABOUT_OTHERS < MODEL_OVER_EXCEPTIONS < 1.0


def test_a_bare_bullet_reads_with_its_section(engine: RuleEngine) -> None:
    from app.verify.rules import bare_bullets

    body = ("■ 지원자격\n - 4년제 대학 졸업(예정)자\n - 군필자\n■ 우대사항\n - 장애인\n - 여성\n"
            "■ 결격사유\n - 해외여행에 결격사유가 있는 자\n - 장애인\n\n\n - 남성")
    found = [(h.rule_id, h.evidence) for h in engine.match({"title": "", "body": body})]
    assert found == [("SEX_DISCRIM", "군필자"), ("SEX_DISCRIM", "여성"), ("DISABILITY_DISCRIM", "장애인")]
    predicates = [(body[a:b], p) for a, b, p in bare_bullets(body)]
    assert ("장애인", "우대") in predicates and ("장애인", "불가") in predicates  # a preference is lawful, an exclusion not
    assert all(text != "남성" for text, _ in predicates)  # two blank lines end the section
    assert bare_bullets("- 여성\n- 20대") == []  # no section, no predicate


def test_section_word_names_headers_outside_the_section_lists() -> None:
    from app.verify.sections import section_word

    assert section_word("■ 결격 사유 :") == "결격사유"
    assert section_word("[지원자격] 신입 가능") == "지원자격"


def test_a_slow_first_kiwi_analysis_does_not_skip_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import app.verify.rules as rules_module

    analyse = rules_module.morpheme_string

    def slow(text: str) -> tuple[str, list[tuple[int, int, int]]]:
        time.sleep(0.3)  # Kiwi's first use loads its model: longer than a rule's budget
        return analyse(text)

    monkeypatch.setattr(rules_module, "morpheme_string", slow)
    engine = RuleEngine(load_default_rules(), time_budget_s=0.25)
    scanned = engine.scan({"title": "", "body": "여성 분들 환영해요\n■ 지원자격\n - 남성\n"})
    assert scanned.skipped == ()
    assert {h.evidence for h in scanned.hits if h.rule_id == "SEX_DISCRIM"} >= {"남성"}
