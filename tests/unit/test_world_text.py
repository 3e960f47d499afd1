"""Korean document generation: postings, violations, look-alikes, résumés, letters, notes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import pytest

from app.text.korean import format_wage, format_won_exact
from app.world.identity import make_identity
from app.world.text import (
    LAWFUL_LOOKALIKES,
    NUMERIC_RULE_IDS,
    SECTION_NAMES,
    TEXT_RULE_IDS,
    VIOLATION_PHRASES,
    OccupationText,
    PostingFacts,
    PostingText,
    SeekerFacts,
    compose_counsellor_note,
    compose_cover_letter,
    compose_posting,
    compose_resume,
    inject_violation,
    insert_lookalike,
    insert_phrase,
    lawful_lookalike,
)

# PII formats from domain-facts §6.
RRN_RE = re.compile(r"\b\d{6}-[1-4]\d{6}\b")
MOBILE_RE = re.compile(r"\b01[016-9]-\d{3,4}-\d{4}\b")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}")

# Red-flag patterns (domain-facts §1.6) that must never appear in a posting nobody tampered with.
RED_FLAG_RE = re.compile(
    r"남자|여자|남성|여성|여직원|남직원|남녀|미혼|기혼|임신|출산|결혼|용모|외모|키\s?1\d\dcm|몸무게|사이즈|훈남|예쁜"
    r"|\d+\s?세\s?(이하|미만|이상|까지)|\d+\s?~\s?\d+\s?(세|대)|\d0대|\d\d년생|젊"
    r"|출신|부모|형제|재산|(?<!기)본적|자가[·\s]?(여부|전세)|전세 여부|주민등록|주민번호|등본|초본|가족관계|장애|신체 건강"
    r"|선납|선입금|본인 부담|보증금|교육비|등록비|장비비|보장|고수익|고소득|평생직업|재택|간단 ?업무|카톡|텔레그램"
)

OCC = OccupationText(
    keco_code="550",
    name="요양보호사",
    skills=("노인 돌봄", "신체 활동 지원", "기록 작성"),
    duty_phrases=("어르신 식사 및 신체 활동 지원", "위생 관리 및 환경 정리", "프로그램 진행 보조",
                  "건강 상태 관찰 및 기록", "보호자 상담 지원"),
    certificates=("요양보호사 1급", "사회복지사 2급"),
)
OFFICE = OccupationText(
    keco_code="026",
    name="경영지원 사무원",
    skills=("엑셀", "회계 프로그램", "문서 작성"),
    duty_phrases=("급여 및 4대보험 관리", "회계 전표 처리", "재고 관리", "고객 상담 및 민원 응대"),
    certificates=("전산회계 1급", "컴퓨터활용능력 2급"),
)
FACTS = PostingFacts(
    company_name="(주)한빛정밀",
    industry_name="제조업",
    region_name="경기 수원시",
    occupation=OFFICE,
    employment_type="정규직",
    wage_type="monthly",
    wage_amount=2_500_000,
    weekly_hours=40.0,
    career="경력무관",
    min_career_years=0,
    education="고졸",
    welfare=("4대보험", "퇴직금", "중식 제공", "명절 상여금", "경조사비"),
    headcount=2,
    contact_phone="031-234-5678",
    completeness=0.8,
)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _seeker(seed: int, *, sex: str = "F", career: float = 6.5, education: str = "대졸") -> SeekerFacts:
    rng = _rng(seed)
    birth = dt.date(1975 + seed % 25, 1 + seed % 12, 1 + seed % 28)
    ident = make_identity(rng, sex, birth, "41")
    return SeekerFacts(
        name=ident.name, sex=sex, birth_date=birth, rrn=ident.rrn, phone=ident.mobile, email=ident.email,
        address=ident.address, region_name="경기", education=education, major="경영학", career_years=career,
        last_occupation=OFFICE, desired_occupation=OCC, desired_wage_monthly=2_800_000,
        certificates=("전산회계 1급", "요양보호사 1급"), skills=("엑셀", "노인 돌봄"), benefit_status=bool(seed % 2),
    )


def _squash(s: str) -> str:
    return s.replace(" ", "").replace(".", "")


# --- money formatting ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "text"),
    [(2_500_000, "250만원"), (32_000_000, "3,200만원"), (120_000_000, "1억 2,000만원"), (100_000_000, "1억원"),
     (2_156_880, "215만 6,880원"), (5_000, "5,000원"), (0, "0원"), (1_250_000_000, "12억 5,000만원")],
)
def test_format_manwon(amount: int, text: str) -> None:
    assert format_won_exact(amount) == text


@pytest.mark.parametrize(
    ("wage_type", "amount", "text"),
    [("hourly", 10_320, "시급 10,320원"), ("daily", 120_000, "일급 12만원"), ("monthly", 2_500_000, "월 250만원"),
     ("annual", 32_000_000, "연봉 3,200만원"), ("annual", 120_000_000, "연봉 1억 2,000만원"),
     ("daily", 125_000, "일급 12만 5,000원"), ("시급", 9_860, "시급 9,860원")],
)
def test_format_krw_wage(wage_type: str, amount: int, text: str) -> None:
    assert format_wage(wage_type, amount, style="exact") == text


def test_format_errors_are_korean() -> None:
    with pytest.raises(ValueError, match="임금 형태"):
        format_wage("weekly", 1, style="exact")
    with pytest.raises(ValueError, match="0 이상"):
        format_won_exact(-1)


# --- posting ---------------------------------------------------------------------------------------
def test_posting_is_deterministic_and_seed_sensitive() -> None:
    assert compose_posting(_rng(1), FACTS) == compose_posting(_rng(1), FACTS)
    bodies = {compose_posting(_rng(s), FACTS).body() for s in range(10)}
    assert len(bodies) == 10


@pytest.mark.parametrize(
    ("wage_type", "amount", "hours", "emp", "wage_text", "hours_text"),
    [("monthly", 2_500_000, 40.0, "정규직", "월 250만원", "주 40시간"),
     ("hourly", 10_320, 20.0, "시간제", "시급 10,320원", "주 20시간"),
     ("annual", 32_000_000, 40.0, "계약직", "연봉 3,200만원", "주 40시간"),
     ("daily", 120_000, 48.0, "일용직", "일급 12만원", "주 48시간"),
     ("monthly", 2_156_880, 37.5, "정규직", "월 215만 6,880원", "주 37.5시간")],
)
def test_posting_shows_wage_and_hours(
    wage_type: str, amount: int, hours: float, emp: str, wage_text: str, hours_text: str
) -> None:
    facts = dataclasses.replace(FACTS, wage_type=wage_type, wage_amount=amount, weekly_hours=hours, employment_type=emp)
    for seed in range(40):
        for c in (0.0, 0.5, 1.0):
            body = compose_posting(_rng(seed), dataclasses.replace(facts, completeness=c)).body()
            assert wage_text in body
            assert hours_text in body
            assert FACTS.contact_phone in body
            assert re.search(r"\d\d:\d\d~\d\d:\d\d", body)


def test_standard_hours_example() -> None:
    bodies = [compose_posting(_rng(s), FACTS).body() for s in range(200)]
    assert any("주 40시간, 09:00~18:00" in b for b in bodies)


def _varied_facts(rng: np.random.Generator, i: int) -> PostingFacts:
    return dataclasses.replace(
        FACTS,
        occupation=(OCC, OFFICE)[i % 2],
        company_name=("(주)한빛정밀", "푸른요양센터", "주식회사 다온소프트")[i % 3],
        employment_type=("정규직", "계약직", "시간제", "일용직")[i % 4],
        wage_type=("monthly", "hourly", "annual", "daily")[(i // 4) % 4],
        wage_amount=int(rng.integers(10_320, 60_000_000)),
        weekly_hours=float(rng.choice([15, 20, 30, 35, 40, 44, 48, 52])),
        career=("신입", "경력무관", "경력")[i % 3],
        min_career_years=int(rng.integers(0, 8)),
        education=("무관", "고졸", "전문대졸", "대졸", "석사")[i % 5],
        completeness=float(rng.random()),
    )


def test_clean_postings_have_no_red_flags() -> None:
    rng = _rng(2)
    phrases = [p for ps in VIOLATION_PHRASES.values() for p in ps]
    for i in range(400):
        body = compose_posting(rng, _varied_facts(rng, i)).body()
        hit = RED_FLAG_RE.search(body)
        assert hit is None, (hit.group(0) if hit else "", body)
        squashed = _squash(body)
        assert not [p for p in phrases if _squash(p) in squashed]
        # documents asked for are lawful only
        docs = body.split("【제출 서류】")[1]
        assert "사진" not in docs and "주민" not in docs


def test_sections_present_matches_body() -> None:
    for seed in range(50):
        t = compose_posting(_rng(seed), dataclasses.replace(FACTS, completeness=seed / 50))
        body = t.body()
        assert body.startswith(t.title)
        for name in SECTION_NAMES:
            assert (name in t.sections_present) == bool(getattr(t, name))
        assert body.count("【") == len(t.sections_present)
        assert {"duties", "requirements", "conditions", "documents"} <= set(t.sections_present)
        assert "【담당 업무】" in body


def test_completeness_drives_optional_sections() -> None:
    def n_optional(c: float) -> float:
        counts = []
        for seed in range(150):
            t = compose_posting(_rng(seed), dataclasses.replace(FACTS, completeness=c))
            counts.append(sum(bool(getattr(t, s)) for s in ("company_intro", "preferred", "process")))
        return float(np.mean(counts))

    low, high = n_optional(0.05), n_optional(0.95)
    assert low < 0.8 and high > 2.3
    lengths = [len(compose_posting(_rng(s), dataclasses.replace(FACTS, completeness=c)).body())
               for c in (0.05, 0.95) for s in range(100)]
    assert np.mean(lengths[100:]) > 1.4 * np.mean(lengths[:100])


def test_posting_variety() -> None:
    texts = [compose_posting(_rng(seed), FACTS) for seed in range(200)]
    bodies = {t.body() for t in texts}
    assert len(bodies) >= 150
    first_duty_lines = {t.duties.split("\n")[0] for t in texts}
    assert len(first_duty_lines) >= 20
    assert len({t.title for t in texts}) >= 40
    joined = "\n".join(t.duties + "\n" + t.requirements for t in texts)
    for bullet in ("- ", "· ", "1) "):
        assert bullet in joined


def test_posting_rejects_bad_numbers() -> None:
    with pytest.raises(ValueError, match="근로시간"):
        compose_posting(_rng(), dataclasses.replace(FACTS, weekly_hours=0))
    with pytest.raises(ValueError, match="임금 형태"):
        compose_posting(_rng(), dataclasses.replace(FACTS, wage_type="weekly"))


# --- violations --------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule", TEXT_RULE_IDS)
def test_inject_violation_inserts_its_phrase(rule: str) -> None:
    listed = {_squash(p) for p in VIOLATION_PHRASES[rule]}
    sections: set[str] = set()
    for seed in range(60):
        clean = compose_posting(_rng(seed), FACTS)
        changed, phrase = inject_violation(_rng(1000 + seed), clean, rule)
        body = changed.body()
        assert phrase and phrase in body
        assert phrase not in clean.body()
        if rule == "HIDDEN_IDENTITY":
            assert "카톡" in phrase or "텔레그램" in phrase
            assert any(_squash(v) in _squash(changed.duties) for v in VIOLATION_PHRASES[rule])
        else:
            assert _squash(phrase) in listed  # same phrase, maybe spaced/dotted out
        sections.update(name for name in ("title", *SECTION_NAMES) if phrase in getattr(changed, name))
    if rule != "HIDDEN_IDENTITY":
        assert len(sections) >= 2, sections


def test_injection_varies_phrasing_and_obfuscates_sometimes() -> None:
    clean = compose_posting(_rng(0), FACTS)
    phrases = [inject_violation(_rng(s), clean, "SEX_DISCRIM")[1] for s in range(300)]
    assert len(set(phrases)) >= 8
    obfuscated = [p for p in phrases if p not in VIOLATION_PHRASES["SEX_DISCRIM"]]
    assert 10 <= len(obfuscated) <= 100
    assert any(" " in p.split(" ")[0] or "." in p for p in obfuscated) or any("남 자" in p or "남.자" in p
                                                                                  for p in obfuscated)


def test_injection_is_deterministic() -> None:
    clean = compose_posting(_rng(0), FACTS)
    assert inject_violation(_rng(5), clean, "AGE_DISCRIM") == inject_violation(_rng(5), clean, "AGE_DISCRIM")


def test_hidden_identity_removes_company_and_phone() -> None:
    for name in ("(주)한빛정밀", "푸른요양센터", "주식회사 다온소프트", "한빛정밀(주)"):
        facts = dataclasses.replace(FACTS, company_name=name)
        for seed in range(40):
            clean = compose_posting(_rng(seed), facts)
            changed, phrase = inject_violation(_rng(seed + 7), clean, "HIDDEN_IDENTITY")
            body = changed.body()
            assert name not in body
            core = name.replace("(주)", "").replace("주식회사 ", "")
            assert core not in body
            assert facts.contact_phone not in body
            assert phrase in body


def test_hidden_identity_scrubs_name_from_every_section() -> None:
    clean = compose_posting(_rng(3), FACTS)
    planted = dataclasses.replace(
        clean,
        requirements=clean.requirements + "\n- 한빛정밀 사내 교육 이수 가능자",
        process="서류전형 → 면접\n- (주)한빛정밀 본사에서 면접",
        benefits=clean.benefits + "\n(주)한빛정밀 사내 식당",
    )
    for seed in range(30):
        changed, _ = inject_violation(_rng(seed), planted, "HIDDEN_IDENTITY")
        assert "한빛정밀" not in changed.body()


@pytest.mark.parametrize("rule", ["NOPE", "", "sex_discrim", *NUMERIC_RULE_IDS])
def test_unknown_or_numeric_rule_raises_korean_error(rule: str) -> None:
    clean = compose_posting(_rng(0), FACTS)
    with pytest.raises(ValueError) as err:
        inject_violation(_rng(0), clean, rule)
    assert re.search(r"[가-힣]", str(err.value))
    assert "규칙" in str(err.value)


# --- look-alikes ---------------------------------------------------------------------------------------
def test_lookalikes_never_collide_with_violation_phrases() -> None:
    violations = [p for ps in VIOLATION_PHRASES.values() for p in ps]
    lookalikes = [p for ps in LAWFUL_LOOKALIKES.values() for p in ps]
    for la in lookalikes:
        for v in violations:
            assert _squash(v) not in _squash(la), (la, v)
            assert _squash(la) not in _squash(v), (la, v)
    rng = _rng(3)
    for rule in TEXT_RULE_IDS:
        drawn = {lawful_lookalike(rng, rule) for _ in range(100)}
        assert drawn <= set(LAWFUL_LOOKALIKES[rule]) and len(drawn) >= 3
    assert "남녀 무관" in LAWFUL_LOOKALIKES["SEX_DISCRIM"]
    assert "주민등록번호는 묻지 않습니다" in LAWFUL_LOOKALIKES["RRN_REQUEST"]


def test_lookalikes_share_keywords_with_violations() -> None:
    # They are only useful if a keyword checker would be tempted by them.
    assert any("여성" in p for p in LAWFUL_LOOKALIKES["SEX_DISCRIM"])
    assert any("세" in p for p in LAWFUL_LOOKALIKES["AGE_DISCRIM"])
    assert any("주민등록번호" in p for p in LAWFUL_LOOKALIKES["RRN_REQUEST"])
    assert any("장애인" in p for p in LAWFUL_LOOKALIKES["DISABILITY_DISCRIM"])


def test_insert_lookalike_and_phrase() -> None:
    clean = compose_posting(_rng(0), FACTS)
    for seed, rule in enumerate(TEXT_RULE_IDS):
        changed, phrase = insert_lookalike(_rng(seed), clean, rule)
        assert phrase in changed.body()
    assert "정년 60세" in insert_phrase(_rng(1), clean, "정년 60세", ("conditions",)).conditions
    assert insert_phrase(_rng(1), clean, "X", ("title",)).title != clean.title
    with pytest.raises(ValueError):
        insert_phrase(_rng(1), clean, "X", ("nowhere",))
    with pytest.raises(ValueError):
        lawful_lookalike(_rng(1), "DUPLICATE")


def test_posting_text_is_frozen() -> None:
    t = compose_posting(_rng(0), FACTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.title = "x"  # type: ignore[misc]
    assert isinstance(t, PostingText)


# --- résumé ----------------------------------------------------------------------------------------------
def test_resume_contains_pii_where_flagged() -> None:
    for seed in range(60):
        s = _seeker(seed)
        for flag in (True, False):
            r = compose_resume(_rng(seed), s, include_rrn=flag)
            assert s.name in r and s.phone in r and s.email in r and s.address in r
            assert (s.rrn in r) is flag
            found = RRN_RE.findall(r)
            assert found == ([s.rrn] if flag else [])
            assert MOBILE_RE.findall(r) == [s.phone]
            assert EMAIL_RE.findall(r) == [s.email]


def test_resume_rrn_share_and_sections() -> None:
    n_rrn = 0
    for seed in range(400):
        s = _seeker(seed)
        r = compose_resume(_rng(seed), s)
        n_rrn += s.rrn in r
        assert "학력" in r and "경력" in r and "희망" in r
        assert any(w in r for w in ("월 280만원", "연봉 3,360만원"))
        assert "요양보호사 1급" in r and "엑셀" in r
    assert 0.5 < n_rrn / 400 < 0.7


def test_resume_career_section() -> None:
    s = _seeker(3, career=8.0)
    texts = [compose_resume(_rng(seed), s) for seed in range(50)]
    assert all(re.search(r"(19|20)\d\d[.\-년]", t) for t in texts)
    assert sum(any(d in t for d in OFFICE.duty_phrases) for t in texts) == 50
    newbie = dataclasses.replace(s, career_years=0.0, last_occupation=None)
    t = compose_resume(_rng(1), newbie)
    assert not any(d in t for d in OFFICE.duty_phrases)


@pytest.mark.parametrize("education", ["중졸", "고졸", "전문대졸", "대졸", "석사", "박사", "기타"])
def test_resume_handles_every_education(education: str) -> None:
    s = _seeker(4, sex="M", education=education, career=12.0)
    r = compose_resume(_rng(0), s)
    assert s.phone in r
    if education in ("대졸", "석사"):
        assert "경영학과" in r


def test_resume_is_deterministic_and_varied() -> None:
    s = _seeker(5)
    assert compose_resume(_rng(9), s) == compose_resume(_rng(9), s)
    assert len({compose_resume(_rng(seed), s) for seed in range(50)}) == 50


# --- cover letter -------------------------------------------------------------------------------------
def test_cover_letter_has_four_paragraphs_and_optional_contact() -> None:
    s = _seeker(6)
    for seed in range(40):
        with_contact = compose_cover_letter(_rng(seed), s, include_contact=True)
        without = compose_cover_letter(_rng(seed), s, include_contact=False)
        assert len(with_contact.split("\n\n")) == 4
        assert s.phone in with_contact or s.email in with_contact
        assert s.phone not in without and s.email not in without
    letters = {compose_cover_letter(_rng(seed), s) for seed in range(100)}
    assert len(letters) == 100
    assert any("[성장 과정]" in t for t in letters) and any("입사 후 포부" in t for t in letters)


# --- counsellor note ----------------------------------------------------------------------------------------
def test_counsellor_note_length_topics_and_pii() -> None:
    s = _seeker(7)
    topics = ("진로 상담", "이력서 첨삭", "훈련 안내", "구직급여 수급 안내", "심리 지원")
    with_pii = 0
    for seed in range(300):
        chosen = topics[seed % 5: seed % 5 + 1 + seed % 3]
        note = compose_counsellor_note(_rng(seed), s, session_no=1 + seed % 4, topics=chosen)
        n_sentences = len(re.findall(r"[함음임다]\.(?:\s|$)", note))
        assert 2 <= n_sentences <= 5, note
        with_pii += s.phone in note or s.address in note
    assert 20 < with_pii < 110
    forced = compose_counsellor_note(_rng(1), s, session_no=2, topics=("진로 상담",), include_pii=True)
    assert s.phone in forced or s.address in forced
    none = compose_counsellor_note(_rng(1), s, session_no=2, topics=("진로 상담",), include_pii=False)
    assert s.phone not in none and s.address not in none
    assert "훈련" in compose_counsellor_note(_rng(2), s, session_no=1, topics=("훈련 안내",))
    assert "구직급여" in compose_counsellor_note(_rng(2), s, session_no=1, topics=("구직급여 수급 안내",))


def test_seeker_documents_tolerate_missing_fields() -> None:
    s = dataclasses.replace(_seeker(8), name="", region_name="", major=float("nan"))  # type: ignore[arg-type]
    note = compose_counsellor_note(_rng(0), s, session_no=1, topics=())
    assert " 님" not in note
    letter = compose_cover_letter(_rng(0), s)
    assert "저는 에서" not in letter and "nan" not in letter
    assert "nan" not in compose_resume(_rng(0), s)
