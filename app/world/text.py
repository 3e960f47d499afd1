"""Korean documents for the synthetic world: job postings, résumés, cover letters, counsellor notes.

Pure functions over frozen dataclasses. All randomness comes from a caller-supplied
``numpy.random.Generator`` (or a shared :class:`~app.world.identity.UniformStream`), so a seeded
world is reproducible string for string.

Design notes
- Variety is the point: a checker or a model trained on these texts must not be able to key on a
  single template. Each section has several templates, synonyms, bullet styles and orderings,
  and the employer's ``completeness`` decides which optional sections and how many lines appear.
- Clean postings never contain a red-flag phrase (domain-facts §1.6); violations are added only by
  :func:`inject_violation`, which reports the exact phrase it inserted so evaluation has a ground
  truth span. :func:`lawful_lookalike` supplies lawful phrases that share keywords with violations
  ("남녀 무관", "주민등록번호는 묻지 않습니다") so a keyword-only checker fails on clean postings.
- Résumés deliberately contain PII (and a 주민등록번호 in about 60 % of them, as seekers still
  write it) so that masking can be tested against known values.
- Speed: the large world writes 200k postings and 1M résumés, so vocabularies are tuples built at
  import, choices use one buffered block of uniforms, and no regex is compiled or run here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Final, Sequence

from app.world.identity import (
    RandomSource,
    UniformStream,
    as_stream,
    make_company_name,
)

__all__ = [
    "LAWFUL_LOOKALIKES",
    "NUMERIC_RULE_IDS",
    "OccupationText",
    "PostingFacts",
    "PostingText",
    "SECTION_NAMES",
    "SeekerFacts",
    "TEXT_RULE_IDS",
    "VIOLATION_PHRASES",
    "compose_counsellor_note",
    "compose_cover_letter",
    "compose_posting",
    "compose_resume",
    "format_krw_wage",
    "format_manwon",
    "inject_violation",
    "insert_lookalike",
    "insert_phrase",
    "lawful_lookalike",
]


# ============================================================================================
# Money formatting
# ============================================================================================
# app/text/formatting.py already exists with a different contract (amount first, "연 3,600만원",
# no 억), so these helpers with the contract the world generator needs live here.
def format_manwon(amount: int) -> str:
    """Format a KRW amount the way Korean people read it.

    Args:
        amount: Amount in KRW (non-negative integer).

    Returns:
        ``2_500_000 -> "250만원"``, ``32_000_000 -> "3,200만원"``,
        ``120_000_000 -> "1억 2,000만원"``, ``100_000_000 -> "1억원"``,
        ``2_156_880 -> "215만 6,880원"``, ``5_000 -> "5,000원"``.

    Raises:
        ValueError: If the amount is negative.
    """
    amount = int(amount)
    if amount < 0:
        raise ValueError(f"금액은 0 이상이어야 합니다 (입력값: {amount})")
    if amount == 0:
        return "0원"
    eok, rest = divmod(amount, 100_000_000)
    man, won = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if won:
        parts.append(f"{won:,}")
    return " ".join(parts) + "원"


_WAGE_TYPES: Final[dict[str, str]] = {
    "hourly": "hourly", "daily": "daily", "monthly": "monthly", "annual": "annual",
    "시급": "hourly", "일급": "daily", "월급": "monthly", "연봉": "annual",
}


def _wage_type(wage_type: str) -> str:
    wt = _WAGE_TYPES.get(wage_type)
    if wt is None:
        raise ValueError(
            f"알 수 없는 임금 형태입니다: {wage_type!r} (hourly, daily, monthly, annual 중 하나)"
        )
    return wt


def format_krw_wage(wage_type: str, amount: int) -> str:
    """Format a wage as Korean postings show it.

    Args:
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual`` (or 시급/일급/월급/연봉).
        amount: Wage in KRW per unit.

    Returns:
        ``"시급 10,320원"``, ``"일급 12만원"``, ``"월 250만원"``, ``"연봉 3,200만원"``,
        ``"연봉 1억 2,000만원"``.

    Raises:
        ValueError: On an unknown wage type or a negative amount.
    """
    wt = _wage_type(wage_type)
    amount = int(amount)
    if amount < 0:
        raise ValueError(f"임금은 0 이상이어야 합니다 (입력값: {amount})")
    if wt == "hourly":
        return f"시급 {amount:,}원"
    if wt == "daily":
        return f"일급 {format_manwon(amount)}"
    if wt == "monthly":
        return f"월 {format_manwon(amount)}"
    return f"연봉 {format_manwon(amount)}"


# ============================================================================================
# Korean particles
# ============================================================================================
# Final consonant of the Sino-Korean reading of each digit: 영(ㅇ) 일(ㄹ) 이 삼(ㅁ) 사 오 육(ㄱ)
# 칠(ㄹ) 팔(ㄹ) 구. 8 = ㄹ so "…로" is correct after 1, 7, 8.
_DIGIT_FINAL: Final[dict[str, int]] = {
    "0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0,
}


def _final(word: str) -> int:
    """Index of the last syllable's final consonant (0 = none, 8 = ㄹ)."""
    w = word.rstrip()
    if w.endswith(")") and "(" in w:
        # "한빛정밀(주)": the particle follows the reading of the name, not the bracket.
        w = w[: w.rfind("(")].rstrip() or w
    if not w:
        return 0
    ch = w[-1]
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        return code % 28
    if ch in _DIGIT_FINAL:
        return _DIGIT_FINAL[ch]
    # Latin letters: l, m, n, ng-like endings read with a final consonant.
    return 4 if ch.lower() in "lmnr" else 0


def _jo(word: str, with_final: str, without_final: str) -> str:
    """Attach a particle pair such as 은/는, 이/가, 을/를, 과/와."""
    return word + (with_final if _final(word) else without_final)


def _ro(word: str) -> str:
    """Attach 으로/로 (ㄹ-final takes 로)."""
    f = _final(word)
    return word + ("으로" if f and f != 8 else "로")


def _num(x: float) -> str:
    """40.0 -> "40", 37.5 -> "37.5"."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# ============================================================================================
# Dataclasses
# ============================================================================================
@dataclass(frozen=True)
class OccupationText:
    """Words that describe an occupation (filled by the generator from the reference table).

    Attributes:
        keco_code: KECO code, e.g. ``"550"``.
        name: Display name, e.g. ``"요양보호사"``.
        skills: Skill keywords, e.g. ``("엑셀", "재고 관리")``.
        duty_phrases: Duty phrases, e.g. ``("고객 상담 및 민원 응대",)``.
        certificates: Related certificates, e.g. ``("요양보호사 1급",)``.
    """

    keco_code: str
    name: str
    skills: tuple[str, ...]
    duty_phrases: tuple[str, ...]
    certificates: tuple[str, ...]


@dataclass(frozen=True)
class PostingFacts:
    """Structured facts of one job posting; :func:`compose_posting` turns them into text.

    Attributes:
        company_name: Employer name as registered.
        industry_name: Industry in Korean, e.g. ``"제조업"``.
        region_name: Work location, e.g. ``"경기 수원시"``.
        occupation: The occupation's words.
        employment_type: 정규직 | 계약직 | 시간제 | 일용직 (other strings are shown as given).
        wage_type: hourly | daily | monthly | annual.
        wage_amount: Wage in KRW per ``wage_type`` unit.
        weekly_hours: Contractual weekly hours (> 0).
        career: 신입 | 경력무관 | 경력.
        min_career_years: Minimum years when ``career == "경력"``.
        education: 무관 | 고졸 | 전문대졸 | 대졸 | 석사.
        welfare: Welfare items in Korean, e.g. ``("4대보험", "퇴직금", "중식 제공")``.
        headcount: Number of hires.
        contact_phone: Contact number printed in the posting.
        completeness: 0-1, how thorough the employer is; low values drop optional sections
            (회사 소개, 우대 사항, 전형 절차) and shorten lists.
    """

    company_name: str
    industry_name: str
    region_name: str
    occupation: OccupationText
    employment_type: str
    wage_type: str
    wage_amount: int
    weekly_hours: float
    career: str
    min_career_years: int
    education: str
    welfare: tuple[str, ...]
    headcount: int
    contact_phone: str
    completeness: float


_HEADERS: Final[tuple[tuple[str, str], ...]] = (
    ("company_intro", "회사 소개"),
    ("duties", "담당 업무"),
    ("requirements", "자격 요건"),
    ("preferred", "우대 사항"),
    ("conditions", "근무 조건"),
    ("benefits", "복리후생"),
    ("process", "전형 절차"),
    ("documents", "제출 서류"),
)
SECTION_NAMES: Final[tuple[str, ...]] = tuple(k for k, _ in _HEADERS)
"""Body sections of a posting in display order (field names of :class:`PostingText`)."""


@dataclass(frozen=True)
class PostingText:
    """A composed job posting, section by section.

    Attributes:
        title: One-line title.
        company_intro, duties, requirements, preferred, conditions, benefits, process,
            documents: Section texts ("" when the employer left the section out).
        company_name: Metadata, not rendered: the employer name the text was composed for, kept
            so that :func:`inject_violation` can scrub it for ``HIDDEN_IDENTITY``.
    """

    title: str
    company_intro: str
    duties: str
    requirements: str
    preferred: str
    conditions: str
    benefits: str
    process: str
    documents: str
    company_name: str = field(default="", repr=False)

    @property
    def sections_present(self) -> tuple[str, ...]:
        """Names of the non-empty body sections, in display order (see ``SECTION_NAMES``)."""
        return tuple(k for k, _ in _HEADERS if getattr(self, k))

    def body(self) -> str:
        """Return the full posting: the title, then each non-empty section under 【header】."""
        parts = [self.title] if self.title else []
        for key, header in _HEADERS:
            text = getattr(self, key)
            if text:
                parts.append(f"【{header}】\n{text}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class SeekerFacts:
    """Facts about one job seeker used to write their documents.

    Attributes:
        name: Full name.
        sex: ``"M"`` or ``"F"``.
        birth_date: Date of birth.
        rrn: 주민등록번호.
        phone: Mobile number.
        email: E-mail address.
        address: Home address.
        region_name: Desired/home region for work, e.g. ``"경기"``.
        education: 중졸 | 고졸 | 전문대졸 | 대졸 | 석사 | 박사 (others shown as given).
        major: Major field, e.g. ``"경영학"`` ("" if none).
        career_years: Total years of work experience.
        last_occupation: Occupation of the last job (None if never employed).
        desired_occupation: Occupation sought.
        desired_wage_monthly: Desired monthly wage in KRW.
        certificates: Certificates held.
        skills: Skill keywords.
        benefit_status: True if currently receiving 구직급여.
    """

    name: str
    sex: str
    birth_date: dt.date
    rrn: str
    phone: str
    email: str
    address: str
    region_name: str
    education: str
    major: str
    career_years: float
    last_occupation: OccupationText | None
    desired_occupation: OccupationText
    desired_wage_monthly: int
    certificates: tuple[str, ...]
    skills: tuple[str, ...]
    benefit_status: bool


# ============================================================================================
# List rendering
# ============================================================================================
_BULLETS: Final = ("- ", "- ", "· ", "• ", "▶ ", "○ ", "1) ", "① ", "1. ")
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
_PLAIN_BULLETS: Final = ("- ", "· ", "• ", "▶ ", "○ ", "■ ", "* ", "※ ")


def _render(bullet: str, lines: Sequence[str]) -> str:
    if bullet == "1) ":
        return "\n".join(f"{i}) {ln}" for i, ln in enumerate(lines, 1))
    if bullet == "1. ":
        return "\n".join(f"{i}. {ln}" for i, ln in enumerate(lines, 1))
    if bullet == "① ":
        return "\n".join(f"{_CIRCLED[i % 15]} {ln}" for i, ln in enumerate(lines))
    return "\n".join(bullet + ln for ln in lines)


def _bullet_of(lines: Sequence[str]) -> str:
    """Bullet to use for a line added to an existing list (numbered lists get a ※ note)."""
    for ln in lines:
        for b in _PLAIN_BULLETS[:-1]:
            if ln.startswith(b):
                return b
        if ln[:1] in _CIRCLED or (ln[:1].isdigit() and ln[1:3] in (") ", ". ")):
            return "※ "
    return "- " if lines else ""


# ============================================================================================
# Posting vocabulary
# ============================================================================================
_EDU_REQ: Final[dict[str, tuple[str, ...]]] = {
    "무관": ("학력 무관", "학력: 무관", "학력 제한 없음"),
    "고졸": ("고졸 이상", "학력: 고등학교 졸업 이상", "최종학력 고졸 이상"),
    "전문대졸": ("초대졸(전문대졸) 이상", "학력: 전문대 졸업 이상", "전문학사 이상"),
    "대졸": ("대졸(4년제) 이상", "학력: 4년제 대학 졸업 이상", "학사 학위 소지자"),
    "석사": ("석사 이상", "학력: 석사 학위 이상", "관련 분야 석사 학위 소지자"),
}
_CAREER_NEW: Final = ("신입 지원 가능", "신입 환영", "경력 없어도 지원 가능", "신입")
_CAREER_ANY: Final = ("경력 무관", "신입·경력 모두 지원 가능", "경력 제한 없음")
_SOFT_REQ: Final = (
    "성실하고 책임감 있는 분", "원활한 의사소통이 가능한 분", "팀워크를 중시하시는 분",
    "꼼꼼하고 정확하게 업무를 처리하시는 분", "장기 근무가 가능하신 분", "고객 응대가 친절하신 분",
    "새로운 업무를 배우는 데 적극적인 분", "기본적인 컴퓨터 활용이 가능한 분", "시간 약속을 잘 지키시는 분",
)
_SKILL_REQ: Final = ("{} 가능자", "{}에 능숙하신 분", "{} 경험이 있는 분", "{} 가능하신 분", "{} 역량 보유자")
_PREF_GENERIC: Final = (
    "관련 전공자", "유관 업무 경험자", "인근 거주자", "운전면허 소지자", "컴퓨터 활용 능력(엑셀 등) 우수자",
    "국가보훈대상자 및 취업보호대상자(관계 법령에 따름)", "장기 근무 가능자", "즉시 출근 가능자",
)
_DUTY_INTRO: Final = (
    "주요 업무는 다음과 같습니다.", "입사 후 아래 업무를 담당하게 됩니다.", "담당하실 업무",
    "주요 업무 내용", "아래 업무를 함께하실 분을 찾습니다.",
)
_DUTY_TAIL: Final = (
    "기타 {} 관련 업무", "부서 내 업무 지원", "상급자 지시에 따른 관련 업무", "업무 관련 서류 작성 및 보고",
    "그 밖에 {} 업무 전반",
)
_INTRO_MIDDLE: Final = (
    "직원 한 사람 한 사람이 존중받는 수평적인 문화를 지향합니다.",
    "안정적인 거래처를 바탕으로 꾸준히 성장하고 있습니다.",
    "고객 만족과 안전을 최우선 가치로 삼고 있습니다.",
    "지역 사회와 함께 성장하는 기업이 되기 위해 노력하고 있습니다.",
    "체계적인 교육 제도로 신입 직원도 빠르게 적응할 수 있습니다.",
    "일과 생활의 균형을 중요하게 생각합니다.",
    "직원들의 평균 근속 기간이 길어 안정적으로 일할 수 있는 회사입니다.",
    "정직하고 투명한 경영을 원칙으로 합니다.",
)
_INTRO_CLOSE: Final = (
    "역량 있는 분들의 많은 지원 바랍니다.", "새로운 동료가 되어 주실 분을 모십니다.",
    "관심 있는 분들의 많은 지원 부탁드립니다.", "함께 성장할 분을 기다립니다.",
    "많은 관심과 지원 바랍니다.",
)
_DAY_TEXT: Final[dict[int, str]] = {
    1: "주 1일(요일 협의)", 2: "주 2일(토·일)", 3: "주 3일(요일 협의)", 4: "주 4일(월~목)",
    5: "주 5일(월~금)", 6: "주 6일(월~토)", 7: "주 7일(교대 휴무)",
}
_DAY_START: Final = (480, 510, 540, 540, 570, 600)  # minutes after midnight: 08:00 … 10:00
_PART_START: Final = (540, 600, 660, 780, 840, 1080)  # 09:00 … 18:00
_CONTACT_LABELS: Final = ("문의", "연락처", "담당자 연락처", "전화 문의", "채용 담당")
_APPLY_HOW: Final = (
    "고용24 온라인 입사지원", "고용24 입사지원 또는 이메일 접수", "이메일 또는 방문 접수",
    "방문 접수(사전 연락 후 방문)", "고용24 온라인 접수 및 우편 접수",
)
_PROCESS_STEPS: Final = (
    ("서류전형", "면접", "최종 합격"),
    ("서류 심사", "1차 면접", "2차 면접", "최종 합격"),
    ("서류 접수", "면접(1회)", "처우 협의", "입사"),
    ("서류전형", "실무 면접", "임원 면접", "최종 합격"),
    ("서류 검토", "면접", "합격 통보", "출근"),
)
_PROCESS_SEP: Final = (" → ", " > ", " ▶ ", " - ")
_PROCESS_NOTES: Final = (
    "서류 합격자에게 면접 일정을 개별 안내해 드립니다.",
    "채용 결과는 합격 여부와 관계없이 모든 지원자에게 문자로 알려 드립니다.",
    "면접은 접수 후 1주일 이내에 진행합니다.",
    "채용 시 마감되므로 서둘러 지원해 주세요.",
    "접수 기간: 채용 시까지",
    "면접 시 간단한 직무 관련 질문이 있습니다.",
)
_DOC_NOTES: Final = (
    "※ 제출 서류는 채용 목적 외에는 사용하지 않습니다.",
    "※ 제출하신 서류는 반환을 요청하시면 돌려 드립니다.",
    "※ 이력서 양식은 자유입니다.",
)


def _schedule(d: UniformStream, weekly: float, employment_type: str) -> tuple[str, str, str]:
    """Return (hours line value, days text, break text) for the weekly hours."""
    if weekly <= 12:
        days = 2 if weekly <= 6 else 3
    elif weekly <= 45:
        days = 5
    elif weekly <= 60:
        days = 6
    else:
        days = 7
    daily = weekly / days
    # Statutory breaks (근로기준법 54조): 30 min from 4 h, 60 min from 8 h.
    brk = 60 if daily >= 8 else 30 if daily >= 4 else 0
    start = d.pick(_DAY_START if daily >= 7 and employment_type != "시간제" else _PART_START)
    end = start + int(round(daily * 60 / 10.0)) * 10 + brk
    start_s = f"{(start // 60) % 24:02d}:{start % 60:02d}"
    end_s = f"{(end // 60) % 24:02d}:{end % 60:02d}"
    hours = f"주 {_num(weekly)}시간"
    brk_s = f"휴게 {brk // 60}시간" if brk == 60 else (f"휴게 {brk}분" if brk else "")
    r = d.idx(4)
    if r == 0:
        value = f"{hours}, {start_s}~{end_s}"
    elif r == 1:
        value = f"{start_s}~{end_s} ({_DAY_TEXT[days][:4]}, {hours})"
    elif r == 2:
        value = f"{hours} / {start_s}~{end_s}" + (f" ({brk_s} 포함)" if brk_s else "")
    else:
        value = f"{hours}, {start_s}~{end_s}" + (f" ({brk_s})" if brk_s else "")
    if employment_type == "일용직":
        value = f"1일 {_num(round(daily, 1))}시간, {start_s}~{end_s} ({hours} 기준)"
    return value, _DAY_TEXT[days], brk_s


def _wage_extra(d: UniformStream, wt: str) -> str:
    r = d.u()
    if wt == "hourly":
        return d.pick(("", " (주휴수당 별도 지급)", " (주휴수당 별도)", "")) if r < 0.8 else ""
    if wt == "monthly":
        return d.pick(("", " (세전)", " (경력에 따라 협의)", " + 성과급 별도", " (면접 후 협의 가능)")) if r < 0.7 else ""
    if wt == "annual":
        return d.pick(("", " (세전, 퇴직금 별도)", " (퇴직금 별도)", " 이상(협의 가능)")) if r < 0.7 else ""
    return d.pick(("", " (월 단위 정산)", " (주 단위 정산)")) if r < 0.6 else ""


def _career_tag(career: str) -> str:
    return "신입" if career == "신입" else "경력" if career == "경력" else "신입·경력"


_TITLE_VERB: Final = ("모집", "채용", "구인", "모집합니다", "채용합니다", "구합니다", "모십니다")
# Person-noun endings (요양보호사, 사무원, 운전자, 디자이너 …) take no extra "직원".
_PERSON_ENDINGS: Final = tuple("사원자가장공관생인너터")


def _title(d: UniformStream, f: PostingFacts, wage: str) -> str:
    """Core template + verb + optional tag/suffix: hundreds of shapes for one occupation."""
    company = f.company_name
    occ = f.occupation.name
    if not occ.endswith(_PERSON_ENDINGS) and d.u() < 0.4:
        occ += " 직원"
    region = f.region_name
    emp = f.employment_type
    verb = d.pick(_TITLE_VERB)
    r = d.idx(10)
    if not region and r in (1, 3, 8):
        r = (0, 2, 4)[r % 3]  # templates that need a region fall back to company ones
    if r == 0:
        t = f"[{company}] {occ} {verb}"
    elif r == 1:
        t = f"{region} {occ} {emp} {verb}"
    elif r == 2:
        t = f"{company} {occ} {_career_tag(f.career)} {verb}"
    elif r == 3:
        t = f"({region}) {occ} {verb}"
    elif r == 4:
        t = f"{occ} {verb} - {company}"
    elif r == 5:
        t = f"{company}에서 {_jo(occ, '을', '를')} {d.pick(('모집합니다', '채용합니다', '찾습니다', '모십니다'))}"
    elif r == 6:
        t = f"{occ} {verb} ({wage})"
    elif r == 7:
        t = f"함께 일할 {occ} 찾습니다 | {company}"
    elif r == 8:
        t = f"{region} {company} {occ} {d.pick(('채용 공고', '모집 공고', '채용', '구인'))}"
    else:
        t = f"{_jo(company, '이', '가')} {_jo(occ, '을', '를')} 찾습니다"
    tag = d.u()
    if tag < 0.08:
        t = d.pick(("[급구] ", "(급구) ", "[상시채용] ")) + t
    elif tag < 0.2:
        t = f"[{d.pick((emp, _career_tag(f.career), f.welfare[0] if f.welfare else emp))}] {t}"
    elif tag < 0.3 and region and region not in t:
        t = f"[{region}] {t}"
    elif tag < 0.38 and wage not in t:
        t = f"{t} ({wage})"
    return t


def _company_intro(d: UniformStream, f: PostingFacts) -> str:
    company = f.company_name
    industry = f.industry_name or f"{f.occupation.name} 관련"
    r = d.idx(5)
    if not f.region_name and r in (0, 2, 4):
        r = 1 if r < 4 else 3
    if r == 0:
        first = f"{_jo(company, '은', '는')} {f.region_name}에 위치한 {industry} 전문 기업입니다."
    elif r == 1:
        first = (f"{_jo(company, '은', '는')} {d.between(1988, 2021)}년 설립 이후 {industry} 분야에서 "
                 "꾸준히 성장해 온 회사입니다.")
    elif r == 2:
        first = f"저희 {_jo(company, '은', '는')} {f.region_name} 지역을 기반으로 {industry} 사업을 하고 있습니다."
    elif r == 3:
        first = f"{industry} 분야에서 {d.pick((5, 10, 15, 20, 30))}년 넘게 고객의 신뢰를 쌓아 온 {company}입니다."
    else:
        first = (f"{f.region_name}에 자리한 {_jo(company, '은', '는')} {industry} 업체로, "
                 f"직원 {d.between(5, 300)}명이 함께 일하고 있습니다.")
    parts = [first]
    c = f.completeness
    for s in d.sample(_INTRO_MIDDLE, 1 + (d.u() < c)):
        parts.append(s)
    if d.u() < 0.6:
        parts.append(d.pick(_INTRO_CLOSE))
    sep = " " if d.u() < 0.7 else "\n"
    return sep.join(parts)


def _duty_line(p: str, style: int) -> str:
    has_work = p.endswith("업무")
    if style == 0:
        return p
    if style == 1:
        return p if has_work else f"{p} 업무"
    if style == 2:
        return f"{p} 담당"
    if style == 3:
        return f"{p}{'를' if has_work else ' 업무를'} 담당합니다"
    if style == 4:
        return f"{p}{'' if has_work else ' 업무'} 수행"
    return p


def _duties(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    occ = f.occupation
    phrases = occ.duty_phrases or (f"{occ.name} 관련 업무 전반", f"{occ.name} 업무 보조")
    c = f.completeness
    n = len(phrases)
    k = max(1, min(n, round(n * (0.45 + 0.55 * c)) + d.between(-1, 1)))
    chosen = list(phrases[:k]) if d.u() < 0.25 else d.sample(phrases, k)
    style = d.idx(6)
    lines = [_duty_line(p, style if d.u() < 0.85 else d.idx(5)) for p in chosen]
    if style == 5:
        lines[-1] += " 등"  # "…, 프로그램 진행 보조 등": only the last item trails off
    if d.u() < 0.2 + 0.3 * c:
        lines.append(d.pick(_DUTY_TAIL).format(occ.name))
    body = _render(bullet, lines)
    if d.u() < 0.25:
        return d.pick(_DUTY_INTRO) + "\n" + body
    return body


def _requirements(
    d: UniformStream, f: PostingFacts, bullet: str, required_cert: str | None
) -> str:
    c = f.completeness
    edu = d.pick(_EDU_REQ.get(f.education, (f"학력: {f.education}",)))
    if f.career == "신입":
        career = d.pick(_CAREER_NEW)
    elif f.career == "경력":
        yrs = max(1, int(f.min_career_years))
        career = d.pick((f"경력 {yrs}년 이상", f"관련 경력 {yrs}년 이상",
                         f"{f.occupation.name} 경력 {yrs}년 이상인 분", f"해당 직무 {yrs}년 이상 경력자"))
    else:
        career = d.pick(_CAREER_ANY)
    lines = [edu, career] if d.u() < 0.6 else [career, edu]
    if required_cert:
        lines.append(d.pick((f"{required_cert} 소지자", f"{required_cert} 자격증 필수",
                             f"{required_cert} 취득자", f"{required_cert} 보유 필수")))
    skills = f.occupation.skills
    if skills:
        for s in d.sample(skills, int(d.u() * (1 + 2 * c)) + (d.u() < 0.5)):
            lines.append(d.pick(_SKILL_REQ).format(s))
    for s in d.sample(_SOFT_REQ, int(d.u() * (1 + 2.2 * c))):
        lines.append(s)
    if d.u() < 0.25:
        lines = d.shuffled(lines)
    if d.u() < 0.15 and len(lines) >= 2:
        # Terse employers write everything on one line.
        return " / ".join(lines)
    return _render(bullet, lines)


def _preferred(d: UniformStream, f: PostingFacts, bullet: str, certs: Sequence[str]) -> str:
    c = f.completeness
    lines: list[str] = []
    for cert in certs:
        lines.append(d.pick((f"{cert} 소지자", f"{cert} 보유자", f"{cert} 자격 소지자")))
    extra = d.sample(_PREF_GENERIC, 1 + int(d.u() * (1 + 2 * c)))
    lines.extend(extra)
    if f.occupation.skills and d.u() < 0.4:
        lines.append(f"{d.pick(f.occupation.skills)} 실무 경험자")
    lines = d.sample(lines, max(1, round(len(lines) * (0.5 + 0.5 * c))))
    if d.u() < 0.35:
        lines = [ln + " 우대" for ln in lines]
    return _render(bullet, lines)


def _conditions(d: UniformStream, f: PostingFacts, bullet: str, wage: str) -> str:
    sep = d.pick((": ", " : ", ": ", " | "))
    emp = f.employment_type
    if emp == "정규직" and d.u() < 0.35:
        emp += d.pick((" (수습 3개월, 급여 100% 지급)", " (수습 3개월)", " (수습 기간 없음)"))
    elif emp == "계약직" and d.u() < 0.5:
        emp += d.pick((" (계약 기간 1년, 연장 가능)", " (6개월 계약 후 정규직 전환 검토)", " (1년 계약)"))
    hours, days, _ = _schedule(d, float(f.weekly_hours), f.employment_type)
    wage_line = wage + _wage_extra(d, _wage_type(f.wage_type))
    label_wage = d.pick(("급여", "임금", "급여 조건", "보수"))
    label_hours = d.pick(("근무시간", "근무 시간", "근로시간"))
    items = [
        (d.pick(("고용형태", "고용 형태", "근무 형태")), emp),
        (label_wage, wage_line),
        (label_hours, hours),
        (d.pick(("근무요일", "근무 요일", "근무일")), days),
        (d.pick(("근무지", "근무 지역", "근무 장소")), f.region_name or "면접 시 안내"),
        (d.pick(("모집 인원", "채용 인원", "모집인원")), f"{int(f.headcount)}명"),
    ]
    if d.u() < 0.35 and days[:4] not in hours:
        # The schedule sometimes shares one line with the hours.
        items[2] = (label_hours, f"{days}, {hours}")
        del items[3]
    if d.u() < 0.3:
        head, rest = items[:1], items[1:]
        items = head + d.shuffled(rest)
    if f.completeness < 0.35 and d.u() < 0.5:
        # Sloppy employers give one summary line.
        return " / ".join(x for x in (f.employment_type, wage_line, hours, f.region_name) if x)
    return _render(bullet, [f"{k}{sep}{v}" for k, v in items])


def _benefits(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    items = list(f.welfare)
    if not items:
        return ""
    k = max(1, round(len(items) * (0.5 + 0.5 * f.completeness)) + d.between(-1, 0))
    items = items[:k] if d.u() < 0.5 else d.sample(items, k)
    r = d.idx(4)
    if r == 0:
        return _render(bullet, items)
    if r == 1:
        return ", ".join(items)
    if r == 2:
        return " / ".join(items)
    return " · ".join(items)


def _process(d: UniformStream, f: PostingFacts, bullet: str) -> str:
    steps = d.pick(_PROCESS_STEPS)
    lines = [d.pick(_PROCESS_SEP).join(steps)]
    for note in d.sample(_PROCESS_NOTES, int(d.u() * (1 + 2 * f.completeness))):
        lines.append(note)
    if len(lines) == 1:
        return lines[0]
    # Notes under the step line read as a plain list; numbering them would look like more steps.
    note_bullet = bullet if bullet in _PLAIN_BULLETS else "- "
    return lines[0] + "\n" + _render(note_bullet, lines[1:])


def _documents(
    d: UniformStream, f: PostingFacts, bullet: str, has_certs: bool
) -> str:
    c = f.completeness
    docs = ["이력서"]
    if d.u() < 0.3 + 0.5 * c:
        docs.append("자기소개서")
    if f.career == "경력" and d.u() < 0.75:
        docs.append("경력증명서")
    elif f.career == "경력무관" and d.u() < 0.3:
        docs.append("경력증명서(경력자에 한함)")
    if has_certs and d.u() < 0.7:
        docs.append("자격증 사본")
    if f.education not in ("무관", "") and d.u() < 0.2:
        docs.append("최종학력 졸업증명서")
    r = d.idx(4)
    if r == 0:
        head = ", ".join(f"{x} 1부" if "(" not in x else x for x in docs)
    elif r == 1:
        head = _render(bullet, docs)
    elif r == 2:
        head = " 및 ".join(docs) + (" (자유 양식)" if d.u() < 0.5 else "")
    else:
        head = ", ".join(docs)
    lines = [head]
    sep = d.pick((": ", " : "))
    if d.u() < 0.3 + 0.5 * c:
        lines.append(f"{d.pick(('접수 방법', '지원 방법'))}{sep}{d.pick(_APPLY_HOW)}")
    lines.append(f"{d.pick(_CONTACT_LABELS)}{sep}{f.contact_phone}" + d.pick(("", "", " (평일 09:00~18:00)")))
    if d.u() < 0.25 * c:
        lines.append(d.pick(_DOC_NOTES))
    return "\n".join(lines)


def compose_posting(rng: RandomSource, facts: PostingFacts) -> PostingText:
    """Write a lawful, natural Korean job posting from structured facts.

    Args:
        rng: Source of randomness (a numpy Generator or a shared stream).
        facts: What the employer offers; ``completeness`` controls how much they write.

    Returns:
        The posting, with the wage shown Korean-style exactly as :func:`format_krw_wage` prints
        it (``"월 250만원"``) and the hours as ``"주 40시간, 09:00~18:00"``. Documents asked
        for are only lawful ones (이력서, 자기소개서, 경력증명서, 자격증 사본, 졸업증명서).

    Raises:
        ValueError: On an unknown wage type or non-positive weekly hours.
    """
    if not facts.weekly_hours or facts.weekly_hours <= 0:
        raise ValueError(f"주당 근로시간은 0보다 커야 합니다 (입력값: {facts.weekly_hours})")
    d = as_stream(rng, 160)
    c = min(1.0, max(0.0, float(facts.completeness)))
    if c != facts.completeness:
        facts = replace(facts, completeness=c)
    wage = format_krw_wage(facts.wage_type, facts.wage_amount)
    main_bullet = d.pick(_BULLETS)

    def bullet() -> str:
        # Most employers keep one bullet style; some mix styles between sections.
        return main_bullet if d.u() < 0.8 else d.pick(_BULLETS)

    # Optional sections appear with a probability that rises with completeness.
    p_opt = 0.1 + 0.85 * c
    certs = list(facts.occupation.certificates)
    required_cert = certs.pop(0) if certs and d.u() < 0.35 else None
    title = _title(d, facts, wage)
    intro = _company_intro(d, facts) if d.u() < p_opt else ""
    duties = _duties(d, facts, bullet())
    requirements = _requirements(d, facts, bullet(), required_cert)
    preferred = _preferred(d, facts, bullet(), certs) if d.u() < p_opt else ""
    conditions = _conditions(d, facts, bullet(), wage)
    benefits = _benefits(d, facts, bullet())
    process = _process(d, facts, bullet()) if d.u() < p_opt else ""
    documents = _documents(d, facts, bullet(), bool(facts.occupation.certificates))
    return PostingText(
        title=title,
        company_intro=intro,
        duties=duties,
        requirements=requirements,
        preferred=preferred,
        conditions=conditions,
        benefits=benefits,
        process=process,
        documents=documents,
        company_name=facts.company_name,
    )


# ============================================================================================
# Violations and look-alikes
# ============================================================================================
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


def _check_rule(rule_id: str) -> None:
    if rule_id in NUMERIC_RULE_IDS:
        raise ValueError(
            f"{rule_id} 규칙은 텍스트가 아니라 수치(임금·근로시간·중복 공고)로 만드는 규칙입니다. "
            "생성기에서 값을 바꿔 만드세요."
        )
    if rule_id not in VIOLATION_PHRASES:
        raise ValueError(
            f"알 수 없는 규칙 ID입니다: {rule_id!r} (텍스트 규칙: {', '.join(TEXT_RULE_IDS)})"
        )


def _obfuscate(d: UniformStream, phrase: str) -> str:
    """Space or dot out the first all-Hangul word ("남 자 만", "남.자.만"), as evaders do."""
    words = phrase.split(" ")
    for i, w in enumerate(words):
        if len(w) >= 2 and all(0xAC00 <= ord(ch) <= 0xD7A3 for ch in w):
            words[i] = (" " if d.u() < 0.5 else ".").join(w)
            return " ".join(words)
    return phrase


def _insert_line(d: UniformStream, section: str, line: str, *, inline_ok: bool = False) -> str:
    if not section:
        return line
    lines = section.split("\n")
    if inline_ok and d.u() < 0.4:
        # Append to an existing line: "이력서 1부 (주민등록번호 기재 필수)".
        i = d.idx(len(lines))
        lines[i] = f"{lines[i]} ({line})"
        return "\n".join(lines)
    prefix = "※ " if d.u() < 0.3 else _bullet_of(lines)
    pos = d.between(0, len(lines))
    lines.insert(pos, prefix + line)
    return "\n".join(lines)


def _insert_title(d: UniformStream, title: str, phrase: str) -> str:
    r = d.idx(4)
    if r == 0:
        return f"[{phrase}] {title}"
    if r == 1:
        return f"{title} ({phrase})"
    if r == 2:
        return f"{title} - {phrase}"
    return f"{title} / {phrase}"


def _put(d: UniformStream, text: PostingText, section: str, phrase: str) -> PostingText:
    if section == "title":
        return replace(text, title=_insert_title(d, text.title, phrase))
    inline_ok = section in ("documents", "conditions")
    return replace(text, **{section: _insert_line(d, getattr(text, section), phrase, inline_ok=inline_ok)})


_LEGAL_FORMS: Final = ("(주)", "주식회사 ", "(유)", "유한회사 ", "농업회사법인 ", "사회적협동조합 ")


def _company_variants(name: str) -> tuple[str, ...]:
    core = name
    for form in _LEGAL_FORMS:
        core = core.replace(form, "")
    core = core.strip()
    return tuple(v for v in (name, core) if len(v) >= 2)


def _messenger_contact(d: UniformStream) -> str:
    ident = d.pick(_ID_WORDS_A) + d.pick(_ID_WORDS_B) + str(d.between(1, 999))
    r = d.idx(5)
    if r == 0:
        return f"카톡 ID: {ident}"
    if r == 1:
        return f"카톡 아이디 {ident}"
    if r == 2:
        return f"텔레그램 @{ident}"
    if r == 3:
        return f"텔레그램 ID: @{ident}"
    return f"오픈카톡 '{ident}' 검색"


def _hide_identity(d: UniformStream, text: PostingText) -> tuple[PostingText, str]:
    names = _company_variants(text.company_name)
    contact = _messenger_contact(d)
    vague = d.pick(VIOLATION_PHRASES["HIDDEN_IDENTITY"])

    def scrub(section: str) -> str:
        # Drop lines that name the employer or give a traceable phone number.
        kept = []
        for ln in section.split("\n"):
            if any(n in ln for n in names):
                continue
            if any(lbl in ln for lbl in _CONTACT_LABELS):
                continue
            kept.append(ln)
        return "\n".join(kept).strip("\n")

    contact_line = d.pick((contact, f"문의: {contact}", f"{contact} (전화 상담 불가)",
                           f"지원은 {_ro(contact)}만 받습니다"))
    duties = "- " + vague if d.u() < 0.6 else vague
    if d.u() < 0.4:
        duties += "\n- " + d.pick(("하루 2~3시간 근무 가능", "출퇴근 시간 자유", "자세한 내용은 연락 주세요"))
    documents = scrub(text.documents)
    documents = (documents + "\n" if documents else "") + contact_line
    out = replace(
        text,
        title=d.pick(_HIDDEN_TITLES),
        company_intro=d.pick(_HIDDEN_INTROS),
        duties=duties,
        requirements=scrub(text.requirements),
        preferred="" if d.u() < 0.6 else scrub(text.preferred),
        conditions=scrub(text.conditions),
        benefits=scrub(text.benefits),
        process="" if d.u() < 0.7 else scrub(text.process),
        documents=documents,
    )
    return out, contact


def inject_violation(rng: RandomSource, text: PostingText, rule_id: str) -> tuple[PostingText, str]:
    """Insert one unlawful phrase for a text rule into a posting.

    The phrasing varies (several variants per rule, sometimes lightly obfuscated as
    ``"남 자 만"`` / ``"남.자.만"``), and so does the section (title, 자격 요건, 근무 조건, 제출 서류 …).

    Args:
        rng: Source of randomness.
        text: A posting from :func:`compose_posting`.
        rule_id: One of ``TEXT_RULE_IDS``.

    Returns:
        ``(changed_text, phrase)`` where ``phrase`` is exactly what was inserted and occurs in
        ``changed_text.body()``. For ``HIDDEN_IDENTITY`` the company name is removed from every
        section, duties become vague, the phone line is dropped and ``phrase`` is the messenger
        contact, which always contains "카톡" or "텔레그램" (``"카톡 ID: …"``, ``"텔레그램 @…"``,
        ``"오픈카톡 '…' 검색"``).

    Raises:
        ValueError: (Korean message) for an unknown rule or a numeric rule
            (``BELOW_MIN_WAGE``, ``EXCESS_HOURS``, ``DUPLICATE``).
    """
    _check_rule(rule_id)
    d = as_stream(rng, 16)
    if rule_id == "HIDDEN_IDENTITY":
        return _hide_identity(d, text)
    phrase = d.pick(VIOLATION_PHRASES[rule_id])
    if d.u() < 0.15:
        phrase = _obfuscate(d, phrase)
    sections = _RULE_SECTIONS[rule_id]
    if "우대" in phrase and rule_id in ("SEX_DISCRIM", "MARITAL_PREGNANCY", "AGE_DISCRIM"):
        sections = sections + ("preferred", "preferred")
    section = d.pick(sections)
    return _put(d, text, section, phrase), phrase


def lawful_lookalike(rng: RandomSource, rule_id: str) -> str:
    """Return a lawful phrase that shares keywords with a rule's violations.

    Args:
        rng: Source of randomness.
        rule_id: A text rule, or ``BELOW_MIN_WAGE`` / ``EXCESS_HOURS``.

    Returns:
        For example ``"남녀 무관"``, ``"주민등록번호는 묻지 않습니다"``, ``"야간 근무로 만 18세 이상"``.

    Raises:
        ValueError: (Korean message) for an unknown rule or ``DUPLICATE``.
    """
    options = LAWFUL_LOOKALIKES.get(rule_id)
    if options is None:
        raise ValueError(
            f"유사 합법 문구가 없는 규칙 ID입니다: {rule_id!r} (사용 가능: {', '.join(LAWFUL_LOOKALIKES)})"
        )
    return as_stream(rng, 4).pick(options)


def insert_phrase(
    rng: RandomSource, text: PostingText, phrase: str, sections: Sequence[str] | None = None
) -> PostingText:
    """Insert a phrase as a new line (or title tag) into one of the given sections.

    Used by the generator to sprinkle :func:`lawful_lookalike` phrases into clean postings.

    Args:
        rng: Source of randomness.
        text: The posting.
        phrase: Text to insert verbatim.
        sections: Candidate section names (``"title"`` or ``SECTION_NAMES``); default
            자격 요건 / 근무 조건 / 복리후생.

    Returns:
        The changed posting; ``phrase`` occurs in its ``body()``.

    Raises:
        ValueError: On an unknown section name.
    """
    d = as_stream(rng, 8)
    cands = tuple(sections) if sections else ("requirements", "conditions", "benefits")
    for s in cands:
        if s != "title" and s not in SECTION_NAMES:
            raise ValueError(f"알 수 없는 공고 항목입니다: {s!r} (사용 가능: title, {', '.join(SECTION_NAMES)})")
    return _put(d, text, d.pick(cands), phrase)


def insert_lookalike(rng: RandomSource, text: PostingText, rule_id: str) -> tuple[PostingText, str]:
    """Insert a lawful look-alike phrase for ``rule_id`` into a fitting section.

    Args:
        rng: Source of randomness.
        text: A clean posting.
        rule_id: Rule whose look-alikes to use (see ``LAWFUL_LOOKALIKES``).

    Returns:
        ``(changed_text, phrase)``.

    Raises:
        ValueError: For a rule without look-alikes.
    """
    d = as_stream(rng, 8)
    phrase = lawful_lookalike(d, rule_id)
    return insert_phrase(d, text, phrase, _LOOKALIKE_SECTIONS[rule_id]), phrase


# ============================================================================================
# Seeker documents
# ============================================================================================
_DEFAULT_AS_OF: Final = dt.date(2026, 1, 1)
_SCHOOL_STEMS: Final = (
    "한빛", "새솔", "대성", "중앙", "동산", "신흥", "제일", "명덕", "세화", "경신", "한울", "청운", "정의",
    "수원", "안산", "부천", "청주", "천안", "전주", "창원", "김해", "포항", "구미", "춘천", "원주", "제주",
    "목포", "진주", "대전", "울산", "인천", "광주", "대구", "부산", "서울",
)
_COLLEGE_KIND: Final = ("대학교", "과학대학교", "보건대학교", "전문대학", "대학")
_CAREER_INDUSTRIES: Final = ("C", "G", "I", "Q", "N", "F", "H", "J", "M", "P")
_CAREER_IND_CUM: Final = (0.25, 0.40, 0.50, 0.62, 0.72, 0.79, 0.86, 0.92, 0.96, 1.0)
_RANKS: Final = ("사원", "주임", "대리", "과장", "팀장")
_RANK_YEARS: Final = (2, 4, 7, 11)
_NAT_TECH: Final = ("기능사", "기사", "산업기사", "기능장", "기술사")


def _ym(m: int, fmt: int) -> str:
    y, mo = divmod(m, 12)
    mo += 1
    if fmt == 0:
        return f"{y}.{mo:02d}"
    if fmt == 1:
        return f"{y}-{mo:02d}"
    return f"{y}년 {mo}월"


def _s(value: object) -> str:
    """Text field or "" (the generator may hand over None or NaN from a DataFrame)."""
    return value if isinstance(value, str) else ""


def _round_manwon(amount: int) -> int:
    """People state a desired wage in whole 만원 ("월 300만원"), not to the won."""
    return max(10_000, int(round(int(amount), -4)))


def _months(n: int) -> str:
    y, m = divmod(n, 12)
    if y and m:
        return f"{y}년 {m}개월"
    return f"{y}년" if y else f"{m}개월"


def _dept(major: str) -> str:
    if not major:
        return ""
    if major.endswith("과"):
        return major
    return major + ("과" if major.endswith("학") else "학과")


def _education_rows(d: UniformStream, s: SeekerFacts, fmt: int) -> tuple[list[str], int]:
    """Education lines (chronological) and the month index when schooling ended."""
    by = s.birth_date.year
    hs_end = (by + 19) * 12 + 1  # February of the year they turn 19
    rows: list[str] = []
    edu = s.education
    if edu in ("중졸", "중졸 이하", "초졸"):
        end = (by + 16) * 12 + 1
        rows.append(f"{_ym(end - 35, fmt)} ~ {_ym(end, fmt)}  {d.pick(_SCHOOL_STEMS)}중학교 졸업")
        return rows, end
    rows.append(f"{_ym(hs_end - 35, fmt)} ~ {_ym(hs_end, fmt)}  {d.pick(_SCHOOL_STEMS)}고등학교 졸업")
    end = hs_end
    military = 24 if (s.sex == "M" and d.u() < 0.7) else 0
    dept = _dept(_s(s.major))
    if edu in ("전문대졸", "대졸", "석사", "박사"):
        start = hs_end + 1 + (12 if d.u() < 0.15 else 0)
        years = (2 + (d.u() < 0.3)) if edu == "전문대졸" else 4
        end = start + years * 12 + military - 1
        school = d.pick(_SCHOOL_STEMS) + (d.pick(_COLLEGE_KIND) if edu == "전문대졸" else "대학교")
        rows.append(f"{_ym(start, fmt)} ~ {_ym(end, fmt)}  {school} {dept} 졸업".replace("  졸업", " 졸업"))
        if edu in ("석사", "박사"):
            g_start = end + 1
            end = g_start + 23
            rows.append(f"{_ym(g_start, fmt)} ~ {_ym(end, fmt)}  {d.pick(_SCHOOL_STEMS)}대학교 대학원 {dept} 석사"
                        .replace("  석사", " 석사"))
            if edu == "박사":
                p_start = end + 1
                end = p_start + 47
                rows.append(f"{_ym(p_start, fmt)} ~ {_ym(end, fmt)}  같은 대학원 박사 졸업")
    elif edu not in ("고졸", ""):
        rows.append(f"최종 학력: {edu}")
    return rows, end


def _career_rows(
    d: UniformStream, s: SeekerFacts, edu_end: int, now: int, fmt: int
) -> list[str]:
    total = int(round(s.career_years * 12))
    if total <= 0:
        return []
    k = 1 if total < 24 else 1 + min(3, int(d.u() * (1 + total / 36)))
    k = max(1, min(k, total // 3))
    weights = [0.5 + d.u() for _ in range(k)]
    wsum = sum(weights)
    durs = [max(3, int(total * w / wsum)) for w in weights]
    gaps = [d.between(0, 6) for _ in range(k - 1)]
    # Seekers mostly left their last job recently; anchor the end there and fit backwards.
    last_end = now - d.between(1, 18)
    span = sum(durs) + sum(gaps)
    if last_end - span < edu_end:
        gaps = [0] * (k - 1)
        span = sum(durs)
        last_end = max(last_end, min(now - 1, edu_end + span))
    start = max(edu_end + 1, last_end - span + 1)
    occ_last = s.last_occupation or s.desired_occupation
    rows_chrono: list[tuple[int, int, str, OccupationText]] = []
    m = start
    cum_years = 0.0
    for i in range(k):
        occ = occ_last if (i == k - 1 or d.u() < 0.6) else s.desired_occupation
        end = min(m + durs[i] - 1, now - 1)
        company = make_company_name(d, d.weighted(_CAREER_INDUSTRIES, _CAREER_IND_CUM))
        cum_years += (end - m + 1) / 12
        rank = _RANKS[sum(cum_years >= y for y in _RANK_YEARS)]
        position = occ.name if d.u() < 0.4 else rank
        rows_chrono.append((m, end, f"{company}  {position}", occ))
        m = end + 1 + (gaps[i] if i < len(gaps) else 0)
        if m >= now:
            break
    lines: list[str] = []
    show_len = d.u() < 0.6
    duty_label = d.pick(("담당 업무: ", "주요 업무: ", ""))
    for a, b, head, occ in reversed(rows_chrono):
        span_txt = f" ({_months(b - a + 1)})" if show_len else ""
        lines.append(f"{_ym(a, fmt)} ~ {_ym(b, fmt)}  {head}{span_txt}")
        duties = occ.duty_phrases or (f"{occ.name} 업무",)
        picked = d.sample(duties, 1 + int(d.u() * min(3, len(duties))))
        if duty_label:
            lines.append(f"   {duty_label}{', '.join(picked)}")
        else:
            lines.extend(f"   - {p}" for p in picked)
    return lines


def _cert_rows(d: UniformStream, s: SeekerFacts, edu_end: int, now: int, fmt: int) -> list[str]:
    rows = []
    lo = edu_end - 18
    for cert in s.certificates:
        when = lo + d.idx(max(1, now - lo))
        issuer = " (한국산업인력공단)" if cert.endswith(_NAT_TECH) and d.u() < 0.5 else ""
        rows.append((when, f"{_ym(when, fmt)}  {cert}{issuer}"))
    rows.sort()
    return [r for _, r in rows]


def _header(style: int, i: int, name: str) -> str:
    if style == 0:
        return f"[{name}]"
    if style == 1:
        return f"■ {name}"
    if style == 2:
        return f"{i}. {name}"
    return f"< {name} >"


def compose_resume(
    rng: RandomSource,
    s: SeekerFacts,
    *,
    include_rrn: bool | None = None,
    as_of: dt.date = _DEFAULT_AS_OF,
) -> str:
    """Write a Korean 이력서 that contains the seeker's PII where real ones do.

    Sections: 인적 사항 (성명, 생년월일, 주민등록번호 in ~60 % of résumés, 휴대전화, 이메일, 주소),
    학력, 경력 (companies, periods and duties from the occupation), 자격증, 보유 기술, 희망 근무 조건.

    Args:
        rng: Source of randomness.
        s: The seeker.
        include_rrn: Force the 주민등록번호 line on/off; ``None`` draws it with p = 0.6.
        as_of: Date the résumé is written (careers end before it).

    Returns:
        The résumé text. ``s.phone``, ``s.email`` and ``s.address`` always occur verbatim;
        ``s.rrn`` occurs verbatim exactly when the RRN line was included.
    """
    d = as_stream(rng, 192)
    if include_rrn is None:
        include_rrn = d.u() < 0.6
    fmt = d.idx(3)
    hstyle = d.idx(4)
    sep = d.pick((": ", " : ", " | "))
    now = as_of.year * 12 + as_of.month - 1
    out: list[str] = [d.pick(("이 력 서", "이력서", "[이력서]", "입사지원서 (이력서)"))]
    out.append("")

    bd = s.birth_date
    bfmt = d.idx(3)
    birth = (f"{bd.year}년 {bd.month}월 {bd.day}일" if bfmt == 0
             else f"{bd.year}.{bd.month:02d}.{bd.day:02d}" if bfmt == 1 else bd.isoformat())
    if d.u() < 0.4:
        age = as_of.year - bd.year - ((as_of.month, as_of.day) < (bd.month, bd.day))
        birth += f" (만 {age}세)"
    person = [
        (d.pick(("성명", "성 명", "이름")), s.name),
        ("생년월일", birth),
    ]
    if d.u() < 0.3:
        person.append(("성별", "남" if s.sex == "M" else "여"))
    if include_rrn:
        person.append((d.pick(("주민등록번호", "주민번호")), s.rrn))
    person.append((d.pick(("휴대전화", "휴대폰", "연락처", "H.P")), s.phone))
    person.append((d.pick(("이메일", "E-mail", "전자우편")), s.email))
    person.append((d.pick(("주소", "현주소", "거주지 주소")), s.address))
    out.append(_header(hstyle, 1, d.pick(("인적 사항", "인적사항", "기본 정보"))))
    out.extend(f"{k}{sep}{v}" for k, v in person)

    edu_rows, edu_end = _education_rows(d, s, fmt)
    if d.u() < 0.5:
        edu_rows.reverse()
    out += ["", _header(hstyle, 2, d.pick(("학력 사항", "학력사항", "학력"))), *edu_rows]

    career = _career_rows(d, s, edu_end, now, fmt)
    out += ["", _header(hstyle, 3, d.pick(("경력 사항", "경력사항", "경력")))]
    out += career or [d.pick(("없음 (신입)", "해당 없음", "경력 없음"))]

    n = 4
    if s.certificates:
        out += ["", _header(hstyle, n, d.pick(("자격증", "자격 사항", "자격·면허"))),
                *_cert_rows(d, s, edu_end, now, fmt)]
        n += 1
    if s.skills:
        out += ["", _header(hstyle, n, d.pick(("보유 기술", "활용 가능 기술", "보유 역량")))]
        out.append(", ".join(s.skills) if d.u() < 0.6 else "\n".join(f"- {x}" for x in s.skills))
        n += 1

    w = _round_manwon(s.desired_wage_monthly)
    r = d.u()
    if r < 0.6:
        wage = format_krw_wage("monthly", w) + d.pick(("", " 이상", " (협의 가능)"))
    elif r < 0.85:
        wage = format_krw_wage("annual", w * 12) + d.pick(("", " 이상", " (협의 가능)"))
    else:
        wage = f"{format_krw_wage('monthly', w)} 수준 (회사 내규에 따름)"
    wish = [
        ("희망 직종", s.desired_occupation.name),
        ("희망 급여", wage),
        ("희망 근무지", _s(s.region_name) or "협의 가능"),
    ]
    if d.u() < 0.4:
        wish.append(("입사 가능일", d.pick(("즉시 가능", "협의 후 결정", "2주 이내"))))
    out += ["", _header(hstyle, n, d.pick(("희망 근무 조건", "희망 조건", "희망 사항")))]
    out.extend(f"{k}{sep}{v}" for k, v in wish)

    if d.u() < 0.5:
        out += ["", "위 기재 사항은 사실과 다름이 없습니다.",
                f"{as_of.year}년 {as_of.month}월 {as_of.day}일", f"작성자 {s.name} (인)"]
    return "\n".join(out)


# --- cover letter -----------------------------------------------------------------------------
_TRAITS: Final = ("꼼꼼한", "밝고 긍정적인", "차분한", "호기심이 많은", "책임감이 강한", "배려심 있는")
_ACTIVITIES: Final = ("봉사", "학생회", "동아리", "아르바이트", "체육대회 준비", "멘토링")
_ACHIEVE: Final = (
    "업무 처리 시간을 줄였습니다", "고객 불만을 크게 줄였습니다", "팀의 목표 달성에 기여했습니다",
    "실수 없이 업무를 마무리해 신뢰를 얻었습니다", "새 직원 교육을 맡기도 했습니다",
)
_CL_HEADERS: Final = ("성장 과정", "지원 동기", "직무 역량", "입사 후 포부")


def _cl_growth(d: UniformStream, s: SeekerFacts) -> str:
    opts = [
        f"저는 {s.region_name}에서 나고 자랐습니다." if _s(s.region_name) else "저는 평범한 가정에서 자랐습니다.",
        f"어려서부터 {d.pick(_TRAITS)} 성격이라는 말을 자주 들었습니다.",
        f"학창 시절 {d.pick(_ACTIVITIES)} 활동을 하며 책임감과 협동심을 배웠습니다.",
        "작은 일도 끝까지 해내는 것을 중요하게 생각하며 자랐습니다.",
        "여러 사람과 함께 일하며 서로 돕는 즐거움을 일찍 알게 되었습니다.",
        "부모님께서는 늘 성실함의 가치를 강조하셨습니다.",
    ]
    if _s(s.major):
        opts.append(f"{_jo(s.major, '을', '를')} 전공하며 관련 분야에 대한 관심을 키웠습니다.")
    return " ".join(d.sample(opts, 2 + (d.u() < 0.4)))


def _cl_motive(d: UniformStream, s: SeekerFacts) -> str:
    desired = s.desired_occupation.name
    opts = [
        f"{_ro(desired)}서 전문성을 키우고 싶어 지원하게 되었습니다.",
        f"귀사의 {desired} 채용 공고를 보고, 그동안 쌓아 온 경험을 살릴 수 있다고 생각해 지원했습니다.",
        "안정적으로 오래 일할 수 있는 직장에서 제 역량을 발휘하고 싶습니다.",
    ]
    if _s(s.region_name):
        opts.append(f"{s.region_name} 지역에서 오래 일하며 지역 사회에 보탬이 되고 싶습니다.")
    if s.last_occupation is not None and s.career_years >= 1:
        opts.append(f"{s.last_occupation.name} 분야에서 {int(s.career_years)}년 넘게 일하며 얻은 경험을 "
                    "바탕으로 새로운 도전을 하고자 합니다.")
    return " ".join(d.sample(opts, 2))


def _cl_skill(d: UniformStream, s: SeekerFacts) -> str:
    opts = ["꼼꼼함과 성실함을 가장 큰 강점으로 생각합니다."]
    if s.skills:
        sk = d.sample(s.skills, 2)
        opts.append(f"{', '.join(sk)}에 자신이 있습니다.")
    if s.certificates:
        opts.append(f"{d.pick(s.certificates)} 자격을 취득하며 관련 지식을 체계적으로 익혔습니다.")
    occ = s.last_occupation
    if occ is not None and occ.duty_phrases and s.career_years > 0:
        opts.append(f"이전 직장에서 {d.pick(occ.duty_phrases)} 업무를 맡아 {d.pick(_ACHIEVE)}.")
    elif s.skills:
        opts.append(f"경력은 없지만 {_jo(d.pick(s.skills), '을', '를')} 꾸준히 공부하며 준비해 왔습니다.")
    return " ".join(d.sample(opts, 2))


def _cl_plan(d: UniformStream, s: SeekerFacts, contact: bool) -> str:
    desired = s.desired_occupation
    opts = [
        f"입사 후에는 {desired.name} 업무를 빠르게 익혀 팀에 보탬이 되겠습니다.",
        "항상 배우는 자세로 동료들과 협력하겠습니다.",
        "회사와 함께 성장하는 직원이 되겠습니다.",
    ]
    if desired.certificates:
        opts.append(f"3년 안에 {desired.certificates[-1]} 자격을 갖추어 전문성을 높이겠습니다.")
    parts = d.sample(opts, 2)
    if contact:
        if d.u() < 0.6:
            parts.append(f"연락처 {_ro(s.phone)} 연락 주시면 면접에 성실히 임하겠습니다.")
        else:
            parts.append(f"궁금하신 점은 {_ro(s.email)} 문의해 주시기 바랍니다.")
    return " ".join(parts)


def compose_cover_letter(
    rng: RandomSource, s: SeekerFacts, *, include_contact: bool | None = None
) -> str:
    """Write a 자기소개서 of four short paragraphs: 성장 과정, 지원 동기, 직무 역량, 입사 후 포부.

    Args:
        rng: Source of randomness.
        s: The seeker.
        include_contact: Force the inline phone/e-mail sentence on/off; ``None`` draws it with
            p = 0.25.

    Returns:
        The letter; headers vary ("[성장 과정]", "1. 성장 과정", none …).
    """
    d = as_stream(rng, 96)
    if include_contact is None:
        include_contact = d.u() < 0.25
    paras = (_cl_growth(d, s), _cl_motive(d, s), _cl_skill(d, s), _cl_plan(d, s, include_contact))
    style = d.idx(5)
    out = []
    for i, (h, p) in enumerate(zip(_CL_HEADERS, paras), 1):
        if style == 0:
            out.append(f"[{h}]\n{p}")
        elif style == 1:
            out.append(f"{i}. {h}\n{p}")
        elif style == 2:
            out.append(f"■ {h.replace(' ', '')}\n{p}")
        elif style == 3:
            out.append(f"<{h}>\n{p}")
        else:
            out.append(p)
    return "\n\n".join(out)


# --- counsellor note ----------------------------------------------------------------------------
def _topic_sentence(d: UniformStream, s: SeekerFacts, topic: str) -> str:
    desired = s.desired_occupation.name
    t = topic.replace(" ", "")
    if "진로" in t:
        opts = [f"희망 직종을 {_ro(desired)} 정하고 관련 구인 정보를 함께 검토함.",
                "직업선호도검사 결과를 바탕으로 진로 방향을 논의함."]
        if s.last_occupation is not None and s.last_occupation.name != desired:
            opts.append(f"{s.last_occupation.name}에서 {_ro(desired)}의 전직 가능성을 상담함.")
        return d.pick(opts)
    if "이력서" in t or "첨삭" in t:
        return d.pick(("이력서의 경력 사항을 직무 중심으로 정리하도록 첨삭함.",
                       "자기소개서의 지원 동기 부분을 구체적으로 보완하도록 권유함.",
                       "이력서에 주민등록번호 등 불필요한 개인정보는 적지 않도록 안내함."))
    if "훈련" in t or "내일배움" in t:
        opts = [f"국민내일배움카드 발급 절차와 {desired} 관련 훈련 과정을 안내함.",
                "고용24에서 훈련 과정을 검색하는 방법을 설명함."]
        if s.desired_occupation.certificates:
            opts.append(f"{s.desired_occupation.certificates[0]} 취득을 위한 훈련 과정 수강을 권유함.")
        return d.pick(opts)
    if "구직급여" in t or "실업" in t or "수급" in t:
        if s.benefit_status:
            return d.pick(("구직급여 수급 중으로 재취업 활동 인정 기준을 안내함.",
                           "구직급여 실업인정일 일정과 구직 활동 인정 방법을 다시 설명함."))
        return d.pick(("구직급여 수급 자격 요건(이직 사유, 피보험 단위기간)을 안내함.",
                       "구직급여 신청 절차와 필요 서류를 설명함."))
    if "심리" in t or "정서" in t:
        return d.pick(("장기 구직으로 인한 무기력감을 호소하여 심리 상담 프로그램을 연계함.",
                       "스트레스 관리 방법을 안내하고 다음 회기에 경과를 확인하기로 함.",
                       "구직 과정의 불안감에 대해 이야기를 나누고 지지함."))
    if "알선" in t or "구인" in t:
        return d.pick((f"{desired} 구인 공고 {d.between(2, 6)}건을 알선함.",
                       f"희망 임금 {format_krw_wage('monthly', _round_manwon(s.desired_wage_monthly))} 수준의 구인처를 함께 검토함."))
    if "면접" in t:
        return d.pick(("모의 면접을 진행하고 답변 구성에 대해 피드백함.",
                       "면접 예상 질문을 함께 정리하고 복장·태도를 점검함."))
    if "국민취업" in t:
        return d.pick(("국민취업지원제도 참여 신청 절차를 안내함.",
                       "취업활동계획 수립을 위한 면담을 진행함."))
    return f"{topic} 관련 상담을 진행함."


def compose_counsellor_note(
    rng: RandomSource,
    s: SeekerFacts,
    *,
    session_no: int,
    topics: tuple[str, ...],
    include_pii: bool | None = None,
) -> str:
    """Write a short 상담일지 entry (2-5 sentences, 개조식 "~함." style).

    Args:
        rng: Source of randomness.
        s: The seeker.
        session_no: Session number (1-based).
        topics: Topics such as ``("진로 상담", "이력서 첨삭")``; known ones (진로 상담, 이력서
            첨삭, 훈련 안내, 구직급여 수급 안내, 심리 지원, 취업 알선, 면접 준비, 국민취업지원제도)
            get specific sentences, others a generic one.
        include_pii: Force a sentence with the seeker's phone or address on/off; ``None`` draws
            it with p = 0.2.

    Returns:
        The note; when PII is included, ``s.phone`` or ``s.address`` occurs verbatim.
    """
    d = as_stream(rng, 48)
    if include_pii is None:
        include_pii = d.u() < 0.2
    topics = topics or ("진로 상담",)
    r = d.idx(4)
    prefix = (f"[{session_no}회차] ", f"{session_no}차 상담: ", f"{session_no}회기. ", "")[r]
    openings = ("전화로 상담을 진행함.", "대면 상담을 진행함.", "화상으로 상담을 진행함.", "내방하여 상담을 진행함.")
    if _s(s.name):
        openings += (f"{s.name} 님 내방하여 상담을 진행함.", f"{s.name} 구직자와 면담함.")
    opening = d.pick(openings)
    sentences: list[str] = []
    if d.u() < 0.6:
        sentences.append(opening)
    for topic in topics[:3]:
        sentences.append(_topic_sentence(d, s, topic))
    pii = ""
    if include_pii:
        if d.u() < 0.5:
            pii = d.pick((f"연락처 변경({s.phone}) 확인함.", f"추후 {_ro(s.phone)} 결과를 안내하기로 함."))
        else:
            pii = d.pick((f"거주지({s.address}) 인근 구인처 위주로 탐색하기로 함.",
                          f"주소지 {s.address} 기준으로 통근 가능 지역을 확인함."))
    closing = d.pick((
        "다음 상담은 2주 후로 예정함.", f"{session_no + 1}회차에 진행 상황을 확인할 예정임.",
        "추후 유선으로 진행 상황을 확인할 예정임.", "구직 의욕이 높아 보임.",
    ))
    # Keep 2-5 sentences: the PII sentence, if any, is never the one dropped.
    room = 5 - (1 if pii else 0)
    sentences = sentences[:room]
    if len(sentences) + (1 if pii else 0) < 2 or d.u() < 0.5:
        if len(sentences) < room:
            sentences.append(closing)
    if pii:
        sentences.insert(d.between(0, len(sentences)), pii)
    return prefix + " ".join(sentences)
