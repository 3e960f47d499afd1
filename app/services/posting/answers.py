"""The posting assistant's questions and how a Korean answer becomes structured values.

Each :class:`AssistantStep` asks one thing the way a job-centre officer would; :func:`parse_answer`
reads the employer's reply ("월 250만원", "주 5일 09:00~18:00", "서울 마포구 월드컵로 10",
"정규직 2명", "고졸 이상, 경력 2년 이상") into fields of :class:`AssistantAnswers`, or raises
:class:`InvalidAnswer` with a Korean message that says what to write instead. Parsing is explicit
regular expressions over a closed vocabulary (wage words, 시도 names, weekday ranges): there is no
maintained library for Korean posting phrases, and every rule here is visible and tested.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from app.errors import InvalidInput
from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, WAGE_TYPES
from app.reference.tables import load_reference
from app.text.korean import format_wage

MAX_LINES = 12
MAX_LINE_CHARS = 200


class InvalidAnswer(InvalidInput):
    """An answer that cannot be read (the message says, in Korean, how to write it)."""


@dataclass(frozen=True)
class AssistantStep:
    """One question of the Q&A.

    Attributes:
        key: Step id (also the session key of its answer).
        label: Short Korean name ("임금").
        question: What the assistant asks.
        example: An example answer.
        optional: Whether "없음" (or an empty answer) is accepted.
    """

    key: str
    label: str
    question: str
    example: str
    optional: bool = False


STEPS: tuple[AssistantStep, ...] = (
    AssistantStep("job", "직무·업무", "어떤 일을 할 분을 찾으시나요? 직무명과 주요 업무를 적어 주세요.",
                  "주방 보조 / 설거지, 식재료 손질, 주방 정리"),
    AssistantStep("place", "근무지", "근무지는 어디인가요? 시·도부터 적어 주세요.", "서울 마포구 월드컵로 10"),
    AssistantStep("type", "고용형태·인원", "고용형태와 모집 인원을 알려 주세요.", "정규직 2명"),
    AssistantStep("schedule", "근무 요일·시간", "근무 요일과 시간은 어떻게 되나요?", "주 5일(월~금) 09:00~18:00"),
    AssistantStep("pay", "임금", "임금은 얼마인가요? 시급·일급·월급·연봉 중 하나로 적어 주세요.", "월 250만원"),
    AssistantStep("requirements", "자격 요건", "지원 자격을 알려 주세요 (학력, 경력, 꼭 필요한 자격증). 없으면 '없음'.",
                  "고졸 이상, 경력 1년 이상, 1종 보통 운전면허", optional=True),
    AssistantStep("preferred", "우대 사항", "우대하는 조건이 있나요? 없으면 '없음'.", "한식조리기능사 소지자, 인근 거주자",
                  optional=True),
    AssistantStep("benefits", "복리후생", "복리후생을 알려 주세요. 없으면 '없음'.", "4대보험, 퇴직금, 식사 제공, 명절 상여금",
                  optional=True),
    AssistantStep("company", "회사 소개·연락처", "회사를 한 줄로 소개하고 채용 문의 연락처를 적어 주세요.",
                  "30년 된 동네 한식당입니다. 02-333-4444", optional=True),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
STEP_BY_KEY: dict[str, AssistantStep] = {s.key: s for s in STEPS}

_NONE_WORDS = re.compile(r"^\s*(없음|없습니다|없어요|없다|해당\s*없음|무|x|-|no|none)\s*[.!]?\s*$", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"\s*(?:[,\n;·•]|/)\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·▶▷○●■□※]|\d+[.)])\s*")


def _items(text: str) -> tuple[str, ...]:
    """Comma/line separated items, bullets removed, duplicates dropped, at most 12 of 200 chars."""
    items = [_BULLET.sub("", part).strip() for part in _ITEM_SPLIT.split(str(text or ""))]
    unique = list(dict.fromkeys(i[:MAX_LINE_CHARS] for i in items if len(i) >= 2))
    return tuple(unique[:MAX_LINES])


def _is_none(text: str) -> bool:
    return not str(text or "").strip() or bool(_NONE_WORDS.match(str(text)))


# --------------------------------------------------------------------------- numbers and money

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_AMOUNT = re.compile(rf"(?:{_NUMBER}\s*(?:억|[천백십]?만|[천백십])\s*)+(?:{_NUMBER})?\s*원?|{_NUMBER}\s*원?")
_BIG_UNITS = (("억", 100_000_000), ("만", 10_000))
_SMALL_UNITS = {"천": 1_000, "백": 100, "십": 10}
_SMALL_GROUP = re.compile(rf"({_NUMBER})([천백십])")
_UNREADABLE = "금액을 읽지 못했습니다. '월 250만원', '시급 11,000원'처럼 적어 주세요."


def _small_group(expr: str) -> float:
    """A group below 만: "3천5백" → 3,500; "250" → 250; "2.5" → 2.5."""
    total, position = 0.0, 0
    for found in _SMALL_GROUP.finditer(expr):
        if found.start() != position:
            raise InvalidAnswer(_UNREADABLE)
        total += float(found.group(1).replace(",", "")) * _SMALL_UNITS[found.group(2)]
        position = found.end()
    rest = expr[position:]
    if rest:
        if not re.fullmatch(_NUMBER, rest):
            raise InvalidAnswer(_UNREADABLE)
        total += float(rest.replace(",", ""))
    return total


def parse_krw(text: str) -> int:
    """A Korean money expression in won: "250만원" → 2,500,000; "1억 2천만원" → 120,000,000;
    "3천5백만원" → 35,000,000; "3,200만 원" → 32,000,000; "11,000원" → 11,000; "2.5만" → 25,000.

    Raises:
        InvalidAnswer: No amount in the text, or one that cannot be read.
    """
    match = _AMOUNT.search(str(text or "").replace(" ", ""))
    if not match:
        raise InvalidAnswer("금액을 찾지 못했습니다. '월 250만원', '시급 11,000원'처럼 적어 주세요.")
    expr = match.group(0).rstrip("원")
    total = 0.0
    for unit, value in _BIG_UNITS:  # 억 and 만 split the number into groups of four digits
        if unit in expr:
            head, expr = expr.split(unit, 1)
            total += _small_group(head) * value if head else 0.0
    return int(round(total + (_small_group(expr) if expr else 0.0)))


_WAGE_WORDS: tuple[tuple[str, str], ...] = (
    (r"시급|시간\s*당|시간급", "hourly"), (r"일급|일당|하루", "daily"), (r"연봉|연\s*\d|년봉|연간", "annual"),
    (r"월급|월\s*\d|월\s*급여|월\s*보수|월\s*임금|매월|한\s*달", "monthly"),
)


def parse_pay(text: str) -> dict[str, Any]:
    """``wage_type`` and ``wage_amount`` of a pay answer (type guessed from the size when unnamed)."""
    raw = str(text or "")
    amount = parse_krw(raw)
    wage_type = next((kind for pattern, kind in _WAGE_WORDS if re.search(pattern, raw)), None)
    guessed = wage_type is None
    if guessed:
        wage_type = "hourly" if amount < 50_000 else "daily" if amount < 600_000 else "monthly" if amount < 15_000_000 else "annual"
    if amount < 1_000:
        raise InvalidAnswer(f"임금 {amount:,}원은 너무 적습니다. 단위를 확인해 주세요 (예: 시급 11,000원).")
    if amount > 1_000_000_000:
        raise InvalidAnswer("임금이 너무 큽니다. 단위를 확인해 주세요 (예: 연봉 3,200만원).")
    return {"wage_type": wage_type, "wage_amount": amount, "wage_guessed": guessed}


# --------------------------------------------------------------------------- schedule

_WEEKDAYS = "월화수목금토일"
_DAY_RANGE = re.compile(r"([월화수목금토일])\s*(?:요일)?\s*[~\-–]\s*([월화수목금토일])")
_TIME = r"(오전|오후|새벽|밤)?\s*(\d{1,2})\s*(?:[:시]\s*(\d{1,2})?\s*분?)?"
_TIME_RANGE = re.compile(_TIME + r"\s*(?:~|-|–|부터|에서)\s*" + _TIME)
_BREAK = re.compile(r"휴게\s*(?:시간)?\s*(\d+(?:\.\d+)?)\s*(시간|분)")


def _clock(meridiem: str | None, hour: str, minute: str | None) -> float:
    value = int(hour) % 24 + (int(minute) if minute else 0) / 60
    if meridiem in ("오후", "밤") and value < 12:
        value += 12
    return value


def _time_text(value: float) -> str:
    minutes = int(round(value * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_schedule(text: str) -> dict[str, Any]:
    """Days, time and weekly hours of a schedule answer.

    Understands "주 5일", "월~금", "평일", "주말", "주 40시간", "09:00~18:00", "9시~18시",
    "오전 9시부터 오후 6시", "휴게 1시간". Without a stated break, the statutory minimum
    (근로기준법 §54: 30 minutes from 4 hours, one hour from 8) is taken out of the span.

    Raises:
        InvalidAnswer: Neither weekly hours nor days with a time range; or hours out of 1–68.
    """
    raw = str(text or "")
    days: int | None = None
    if found := re.search(r"주\s*(\d)\s*일", raw):
        days = int(found.group(1))
    elif found := _DAY_RANGE.search(raw):
        days = (_WEEKDAYS.index(found.group(2)) - _WEEKDAYS.index(found.group(1))) % 7 + 1
    elif "평일" in raw:
        days = 5
    elif "주말" in raw:
        days = 2
    weekly: float | None = None
    if found := re.search(r"주\s*(\d+(?:\.\d+)?)\s*시간", raw):
        weekly = float(found.group(1))
    work_time = ""
    daily: float | None = None
    if found := _TIME_RANGE.search(raw):
        m1, h1, n1, m2, h2, n2 = found.groups()
        start, end = _clock(m1, h1, n1), _clock(m2, h2, n2)
        if end <= start and not m2 and end + 12 > start:
            end += 12  # "9~6" means 09:00~18:00
        span = (end - start) % 24 or 24.0
        if brk := _BREAK.search(raw):
            rest = float(brk.group(1)) / (60 if brk.group(2) == "분" else 1)
        else:
            rest = 1.0 if span >= 9 else 0.5 if span >= 4.5 else 0.0
        daily = max(span - rest, 0.5)
        rest_text = "" if rest == 0 else f" (휴게 {int(rest * 60)}분)" if rest < 1 else f" (휴게 {rest:g}시간)"
        work_time = f"{_time_text(start)}~{_time_text(end)}{rest_text}"
    if weekly is None and daily is not None:
        weekly = round(daily * (days or 5), 1)
    if weekly is None:
        raise InvalidAnswer("근무 시간을 읽지 못했습니다. '주 5일 09:00~18:00' 또는 '주 40시간'처럼 적어 주세요.")
    if not 1 <= weekly <= 68:
        raise InvalidAnswer(f"주당 근로시간 {weekly:g}시간은 받을 수 없습니다 (1~68시간).")
    day_range = _DAY_RANGE.search(raw)
    if days is not None:
        suffix = f"({day_range.group(1)}~{day_range.group(2)})" if day_range else "(월~금)" if days == 5 and "평일" in raw else ""
        work_days = f"주 {days}일{suffix}"
    else:
        work_days = ""
    return {"work_days": work_days, "work_time": work_time, "weekly_hours": float(weekly)}


# --------------------------------------------------------------------------- other answers


def _regions() -> list[tuple[str, str, str]]:
    ref = load_reference()
    return [(str(r.code), str(r.name), str(r.short)) for r in ref.regions.itertuples(index=False)]


_REGION_ALIASES = {"서울시": "서울", "부산시": "부산", "대구시": "대구", "인천시": "인천", "광주시": "광주", "대전시": "대전",
                   "울산시": "울산", "세종시": "세종", "제주도": "제주", "경기도": "경기", "강원도": "강원", "충청북도": "충북",
                   "충청남도": "충남", "전라북도": "전북", "전라남도": "전남", "경상북도": "경북", "경상남도": "경남"}


def parse_place(text: str) -> dict[str, Any]:
    """시도 (code and full name) and the rest of the address as written.

    Raises:
        InvalidAnswer: No 시도 name in the answer.
    """
    raw = " ".join(str(text or "").split())
    candidates = []
    for code, name, short in _regions():
        aliases = [name, short] + [k for k, v in _REGION_ALIASES.items() if v == short]
        for alias in sorted(aliases, key=len, reverse=True):
            position = raw.find(alias)
            if position >= 0:
                candidates.append((position, -len(alias), code, name, alias))
                break
    if not candidates:
        raise InvalidAnswer("근무지의 시·도를 알 수 없습니다. '서울 마포구 월드컵로 10'처럼 시·도부터 적어 주세요.")
    _, _, code, name, alias = min(candidates)
    rest = raw.replace(alias, "", 1).strip(" ,")
    return {"region_code": code, "region_name": name, "workplace": rest[:100]}


_EMPLOYMENT_WORDS: tuple[tuple[str, str], ...] = (
    (r"일용|일당|단기\s*일", "일용직"), (r"시간제|파트\s*타임|아르바이트|알바|단시간", "시간제"),
    (r"계약|기간제|촉탁|인턴", "계약직"), (r"정규|상용|무기", "정규직"),
)


def parse_type(text: str) -> dict[str, Any]:
    """Employment type and headcount ("정규직 2명", "알바 1명", "계약직(1년)").

    Raises:
        InvalidAnswer: No employment type, or a headcount outside 1–100.
    """
    raw = str(text or "")
    employment_type = next((kind for pattern, kind in _EMPLOYMENT_WORDS if re.search(pattern, raw)), None)
    if employment_type is None:
        raise InvalidAnswer("고용형태를 알 수 없습니다. 정규직, 계약직, 시간제(아르바이트), 일용직 중에서 적어 주세요.")
    headcount = 1
    if re.search(r"(?<!\d)0+\s*명|[ㅇO○]{1,2}\s*명|약간\s*명", raw):
        headcount = 1  # "00명", "O명", "약간명": a placeholder, read as one
    elif found := re.search(r"(\d+)\s*(?:명|인)", raw):
        headcount = int(found.group(1))
    if not 1 <= headcount <= 100:
        raise InvalidAnswer(f"모집 인원 {headcount}명은 받을 수 없습니다 (1~100명).")
    return {"employment_type": employment_type, "headcount": headcount}


def parse_job(text: str) -> dict[str, Any]:
    """Job title (the first part) and duty lines (the rest) of a job answer.

    Raises:
        InvalidAnswer: No job title.
    """
    raw = str(text or "").strip()
    parts = re.split(r"\s*(?:\n|/|:|\s-\s|—)\s*", raw, maxsplit=1)
    title = _BULLET.sub("", parts[0]).strip(" ,.")
    duties = _items(parts[1]) if len(parts) > 1 else ()
    if "," in title and not duties:  # "주방 보조, 설거지, 식재료 손질": the first item is the title
        first, rest = title.split(",", 1)
        title, duties = first.strip(), _items(rest)
    if len(title) < 2:
        raise InvalidAnswer("직무명을 2자 이상 적어 주세요 (예: 주방 보조 / 설거지, 식재료 손질).")
    if len(title) > 40:
        raise InvalidAnswer("직무명은 40자 이하로 적고, 업무는 '/' 뒤에 적어 주세요 (예: 주방 보조 / 설거지, 식재료 손질).")
    return {"job_title": title, "duties": duties}


_EDUCATION_WORDS: tuple[tuple[str, str], ...] = (
    # 전문대졸 before 대졸: "전문대졸", "초대졸" and "전문학사" contain the 대졸 words
    (r"학력\s*(?:무관|제한\s*없)", "무관"), (r"석사|대학원", "석사"), (r"전문대|초대졸|[23](?:,\s*3)?년제|전문학사", "전문대졸"),
    (r"대졸|4년제|학사|대학교\s*졸업", "대졸"), (r"고졸|고등학교|고교", "고졸"),
)


def parse_requirements(text: str) -> dict[str, Any]:
    """Education, career and the other requirement lines (education/career items are not repeated)."""
    if _is_none(text):
        return {"education": "무관", "career": "경력무관", "min_career_years": 0, "requirements": ()}
    raw = str(text)
    education = next((level for pattern, level in _EDUCATION_WORDS if re.search(pattern, raw)), "무관")
    if found := re.search(r"경력\s*(\d+)\s*년", raw):
        career, years = "경력", int(found.group(1))
    elif re.search(r"경력\s*(?:무관|상관\s*없|제한\s*없)|신입\s*[·/및,]?\s*경력", raw):
        career, years = "경력무관", 0
    elif "신입" in raw:
        career, years = "신입", 0
    elif re.search(r"경력(?:자|직)?\b|경력\s*있", raw):
        career, years = "경력", 1
    else:
        career, years = "경력무관", 0
    covered = re.compile("|".join(p for p, _ in _EDUCATION_WORDS) + r"|경력|신입|학력")
    lines = tuple(i for i in _items(raw) if not covered.search(i) or len(covered.sub("", i).strip(" 이상·및")) > 6)
    return {"education": education, "career": career, "min_career_years": min(years, 30), "requirements": lines}


def parse_preferred(text: str) -> dict[str, Any]:
    """Preferred-qualification lines ("없음" → none)."""
    return {"preferred": () if _is_none(text) else _items(text)}


_WELFARE_ALIASES: dict[str, tuple[str, ...]] = {
    "W01": ("4대보험", "4대 보험", "사대보험", "4대보험 가입"), "W02": ("퇴직금", "퇴직연금"), "W03": ("연차", "연차휴가"),
    "W04": ("식사 제공", "식사제공", "중식 제공", "중식", "석식", "점심 제공", "식사"), "W05": ("식대", "식비"),
    "W06": ("교통비", "차량유지비", "유류비"), "W07": ("통근버스", "셔틀"), "W08": ("기숙사", "숙소"),
    "W09": ("주차",), "W10": ("명절 상여금", "상여금", "명절 선물", "보너스"), "W11": ("성과급", "인센티브"),
    "W12": ("경조사",), "W13": ("건강검진",), "W14": ("자기계발비", "도서 구입"), "W15": ("교육", "연수"),
    "W16": ("유연근무", "시차출퇴근"), "W17": ("재택",), "W18": ("학자금",), "W19": ("휴양", "콘도"),
    "W20": ("장기근속",),
}


def parse_benefits(text: str) -> dict[str, Any]:
    """Welfare codes of the items named (``welfare_items``) and the other items as written."""
    if _is_none(text):
        return {"welfare_codes": (), "benefits_extra": ()}
    codes: list[str] = []
    extra: list[str] = []
    for item in _items(text):
        compact = item.replace(" ", "")
        code = next((c for c, aliases in _WELFARE_ALIASES.items() if any(a.replace(" ", "") in compact for a in aliases)), None)
        if code is None:
            extra.append(item)
        elif code not in codes:
            codes.append(code)
    return {"welfare_codes": tuple(sorted(codes)), "benefits_extra": tuple(extra)}


_PHONE = re.compile(r"(?<!\d)(?:0\d{1,2}[-.\s]?\d{3,4}[-.\s]?\d{4}|1[5-8]\d{2}[-.\s]?\d{4})(?!\d)")


def parse_company(text: str) -> dict[str, Any]:
    """One line about the company and the contact phone found in it (both optional)."""
    if _is_none(text):
        return {"company_line": "", "contact": ""}
    raw = " ".join(str(text).split())
    phone = _PHONE.search(raw)
    contact = re.sub(r"[.\s]", "-", phone.group(0)) if phone else ""
    line = _PHONE.sub("", raw) if phone else raw
    line = re.sub(r"(?:연락처|문의|전화|담당)\s*[:：]?\s*$", "", line.strip(" ,/")).strip(" ,/")
    return {"company_line": line[:200], "contact": contact}


_PARSERS = {
    "job": parse_job, "place": parse_place, "type": parse_type, "schedule": parse_schedule, "pay": parse_pay,
    "requirements": parse_requirements, "preferred": parse_preferred, "benefits": parse_benefits,
    "company": parse_company,
}


def parse_answer(step_key: str, text: str) -> dict[str, Any]:
    """Fields of :class:`AssistantAnswers` read from the answer to one step.

    Raises:
        InvalidAnswer: The answer cannot be read (Korean message with an example); an unknown step;
            an empty answer to a required question; an answer over 1,000 characters.
    """
    if step_key not in _PARSERS:
        raise InvalidAnswer(f"알 수 없는 질문입니다: {step_key}")
    step = STEP_BY_KEY[step_key]
    text = str(text or "").strip()
    if len(text) > 1_000:
        raise InvalidAnswer("답변은 1,000자 이하로 적어 주세요.")
    if not text and not step.optional:
        raise InvalidAnswer(f"{step.label}을(를) 적어 주세요 (예: {step.example}).")
    return _PARSERS[step_key](text)


def acknowledge(step_key: str, values: Mapping[str, Any]) -> str:
    """The assistant's Korean confirmation of what it read."""
    if step_key == "job":
        duties = ", ".join(values["duties"]) or "직종의 대표 업무로 채웁니다"
        return f"직무명 '{values['job_title']}', 업무: {duties}"
    if step_key == "place":
        return f"근무지: {values['region_name']} {values['workplace']}".strip()
    if step_key == "type":
        return f"{values['employment_type']} {values['headcount']}명"
    if step_key == "schedule":
        parts = [values["work_days"], values["work_time"], f"주 {values['weekly_hours']:g}시간"]
        return "근무: " + ", ".join(p for p in parts if p)
    if step_key == "pay":
        note = " (임금 형태를 금액으로 추정했습니다 — 다르면 고쳐 주세요)" if values.get("wage_guessed") else ""
        return f"임금: {format_wage(values['wage_type'], values['wage_amount'])}{note}"
    if step_key == "requirements":
        career = f"경력 {values['min_career_years']}년 이상" if values["career"] == "경력" else values["career"]
        extra = f", {', '.join(values['requirements'])}" if values["requirements"] else ""
        return f"학력 {values['education']}, {career}{extra}"
    if step_key == "preferred":
        return "우대 사항: " + (", ".join(values["preferred"]) or "없음")
    if step_key == "benefits":
        welfare = load_reference().welfare_items
        names = dict(zip(welfare["code"], welfare["name"], strict=True))
        items = [names.get(c, c) for c in values["welfare_codes"]] + list(values["benefits_extra"])
        return "복리후생: " + (", ".join(items) or "없음 (법정 4대보험·퇴직금은 조건에 맞으면 자동으로 적습니다)")
    if step_key == "company":
        contact = values["contact"] or "등록된 회사 전화번호"
        return f"회사 소개: {values['company_line'] or '(기본 문안)'} · 문의: {contact}"
    return ""


# --------------------------------------------------------------------------- validated answers

_CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    "employment_type": (EMPLOYMENT_TYPES, ", ".join(EMPLOYMENT_TYPES)), "wage_type": (WAGE_TYPES, "시급, 일급, 월급, 연봉"),
    "education": (EDUCATION_LEVELS, ", ".join(EDUCATION_LEVELS)), "career": (CAREER_LEVELS, ", ".join(CAREER_LEVELS)),
}
"""Allowed values of the choice fields and how the error message names them."""


class AssistantAnswers(BaseModel):
    """Everything the assistant needs, validated (the boundary of the service)."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True, extra="ignore")

    job_title: str = Field(min_length=2, max_length=40)
    duties: tuple[str, ...] = Field(default=(), max_length=MAX_LINES)
    region_code: str
    region_name: str = ""
    workplace: str = Field(default="", max_length=100)
    employment_type: str
    headcount: int = Field(default=1, ge=1, le=100)
    work_days: str = Field(default="", max_length=40)
    work_time: str = Field(default="", max_length=40)
    weekly_hours: float = Field(ge=1, le=68)
    wage_type: str
    wage_amount: int = Field(ge=1_000, le=1_000_000_000)
    education: str = "무관"
    career: str = "경력무관"
    min_career_years: int = Field(default=0, ge=0, le=30)
    requirements: tuple[str, ...] = Field(default=(), max_length=MAX_LINES)
    preferred: tuple[str, ...] = Field(default=(), max_length=MAX_LINES)
    welfare_codes: tuple[str, ...] = ()
    benefits_extra: tuple[str, ...] = Field(default=(), max_length=MAX_LINES)
    company_line: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=40)

    @field_validator("employment_type", "wage_type", "education", "career")
    @classmethod
    def _one_of(cls, value: str, info: ValidationInfo) -> str:
        allowed, names = _CHOICES[info.field_name]
        if value not in allowed:
            raise ValueError(f"{names} 중 하나여야 합니다 (입력값: {value})")
        return value

    @field_validator("region_code")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in {code for code, _, _ in _regions()}:
            raise ValueError(f"알 수 없는 지역 코드입니다: {value}")
        return value

    @field_validator("welfare_codes")
    @classmethod
    def _welfare(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in value if c not in _WELFARE_ALIASES]
        if unknown:
            raise ValueError(f"알 수 없는 복리후생 코드입니다: {', '.join(unknown)}")
        return tuple(sorted(set(value)))

    @field_validator("duties", "requirements", "preferred", "benefits_extra")
    @classmethod
    def _lines(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        lines = tuple(str(v).strip() for v in value if str(v).strip())
        if any(len(line) > MAX_LINE_CHARS for line in lines):
            raise ValueError(f"한 줄은 {MAX_LINE_CHARS}자 이하여야 합니다")
        return lines


_ANSWER_LABELS = {
    "job_title": "직무명", "duties": "담당 업무", "region_code": "근무지(시·도)", "workplace": "근무지 주소",
    "employment_type": "고용형태", "headcount": "모집 인원", "work_days": "근무 요일", "work_time": "근무 시간",
    "weekly_hours": "주당 근로시간", "wage_type": "임금 형태", "wage_amount": "임금액", "education": "학력",
    "career": "경력", "min_career_years": "최소 경력연수", "requirements": "자격 요건", "preferred": "우대 사항",
    "welfare_codes": "복리후생", "benefits_extra": "기타 복리후생", "company_line": "회사 소개", "contact": "연락처",
}


class InvalidAnswers(InvalidInput):
    """Answers that cannot be used; ``errors`` maps field → Korean message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


def validate_answers(values: Mapping[str, Any]) -> AssistantAnswers:
    """:class:`AssistantAnswers` from collected values.

    Raises:
        InvalidAnswers: Korean message per missing or bad field.
    """
    try:
        return AssistantAnswers.model_validate(dict(values))
    except ValidationError as err:
        errors: dict[str, str] = {}
        for problem in err.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "_"
            label = _ANSWER_LABELS.get(field, field)
            if problem["type"] == "missing":
                message = f"{label}이(가) 아직 없습니다"
            elif problem["type"] in ("greater_than_equal", "less_than_equal", "too_long", "string_too_long",
                                     "string_too_short"):
                message = f"{label} 값이 허용 범위를 벗어났습니다 (입력값: {problem.get('input')})"
            else:
                message = f"{label}: {str(problem.get('msg', '')).removeprefix('Value error, ')}"
            errors.setdefault(field, message)
        raise InvalidAnswers(errors) from None
