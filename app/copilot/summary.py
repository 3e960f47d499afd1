"""상담 요약: one counselling session's notes as 요청사항, 합의사항 and 다음 단계 with their 기한.

The counsellor types free notes after a session — 개조식 ("~함."), full sentences, bullet lines, or
lines under headings such as "■ 합의사항". :func:`summary_task` turns them into a copilot task whose
offline statements are the note's own sentences, shortened into summary items (the 회차 prefix,
bullets, reporting verbs and masked contact details dropped; nothing added), each citing the
sentence it came from:

* 요청사항 (``request``) — what the seeker asked for or wants (희망, 원함, 요청, 문의, ~싶다고 …);
* 합의사항 (``agreement``) — what was agreed or decided (~하기로 함, 합의, 동의, 결정 …);
* 다음 단계 (``next_step``) — actions for the counsellor or the seeker (예정, ~할 것, 제출, 신청,
  다음 상담 …). A next step whose clause states a time ("3월 20일까지", "2주 후", "다음 주 금요일",
  "3일 이내", "다음 상담 때") gets a 기한: the date is resolved against the session date and written
  into the statement's ``detail`` ("기한: 2026-03-19 (2주 후)"), and the computation is a source of its
  own (key ``derived.deadline.N``, label "기한 계산", text "‘2주 후’ → 2026-03-19 (상담일 2026-03-05
  기준)") that the statement cites beside the note sentence, so the faithfulness check holds for the
  date and the counsellor can open how it was computed.

:func:`summary_fields` turns a *checked* output (offline or a model's) into the structured summary the
page edits, and :func:`validate_edited_summary` checks the counsellor's edited version before it is saved.

Why cue words and regular expressions rather than the Kiwi morphological analyser: the cues that
decide an item's kind are a small closed set of endings and nouns ("하기로", "예정", "희망", "합의",
"까지") that a regular expression finds exactly in both 개조식 and full sentences, and the time
expressions are digit-and-unit patterns; Kiwi would add a model load of several seconds to a page
that must answer at once, and its part-of-speech tags do not tell a request from an agreement.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.copilot.context import SeekerContext, split_sentences
from app.copilot.generation import CopilotOutput, CopilotTask
from app.copilot.grounding import Source, Statement
from app.errors import InvalidInput
from app.text.pii import mask_pii

__all__ = [
    "MAX_DUE_TEXT_CHARS",
    "MAX_ITEMS_PER_KIND",
    "MAX_ITEM_CHARS",
    "MAX_NOTES_CHARS",
    "SUMMARY_KINDS",
    "Deadline",
    "InvalidSummary",
    "find_deadline",
    "summary_fields",
    "summary_task",
    "validate_edited_summary",
]

SUMMARY_KINDS: dict[str, str] = {"request": "요청사항", "agreement": "합의사항", "next_step": "다음 단계"}
"""Kinds of a summary's statements and their Korean headings, in the order the page shows them."""
MAX_NOTES_CHARS = 20_000
"""Longest note accepted (a session note is a few hundred characters; this bounds the work)."""
MAX_ITEM_CHARS = 300
"""Longest edited item the counsellor may save."""
MAX_ITEMS_PER_KIND = 30
"""Most items of one kind in an edited summary."""
MAX_DUE_TEXT_CHARS = 40
"""Longest 기한 wording ("다음 상담 때", "2주 후") kept with an item."""
_MAX_SOURCE_KEYS = 20
_MAX_SOURCE_KEY_CHARS = 40

INSTRUCTION = (
    "이번 상담 메모를 요약합니다. 메모의 문장을 요청사항(request: 구직자가 원하거나 요청한 것), "
    "합의사항(agreement: 상담에서 합의하거나 결정한 것), 다음 단계(next_step: 상담사나 구직자가 할 일)로 "
    "나누어 짧게 고쳐 씁니다. 메모에 없는 내용은 더하지 않습니다. 다음 단계에 기한이 있으면 detail에 "
    "'기한: YYYY-MM-DD (메모의 표현)'으로 적고, 그 문장과 함께 '기한 계산' 근거를 인용합니다. "
    "연락처, 주소, 이름은 쓰지 않습니다."
)


class InvalidSummary(InvalidInput):
    """Notes or an edited summary that cannot be used; ``str(err)`` names each problem in Korean."""


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """A time expression of a note and the date it means.

    Attributes:
        surface: The expression as written ("2주 후", "3월 20일", "다음 상담").
        due: The date (``None`` for "다음 상담" before the next session's date is known, or a date
            already past on the session date).
        rule: The convention used when the expression names no single day ("다음 주 금요일로 계산").
        next_session: Whether it points at the next counselling session.
        marked: Whether a deadline particle follows it ("까지", "이내", "전", "안에").
        start: Its offset in the text (the earliest expression wins a tie).
    """

    surface: str
    due: dt.date | None
    rule: str = ""
    next_session: bool = False
    marked: bool = False
    start: int = 0


_WEEKDAYS = "월화수목금토일"
_FRIDAY = 4
_NATIVE_NUMBERS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
_NAMED_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "열흘": 10, "보름": 15, "일주일": 7, "이주일": 14}
_RELATIVE_PARTICLE = r"(?:후|뒤|이내|내로|내|안으로|안에|안|만에|이후)"
_DEADLINE_PARTICLE = re.compile(r"^\s*(?:\([^)]{0,6}\)\s*)?(?:까지|이내|내로|내|전까지|전|안에|안으로|안|마감|중)")

_YMD = re.compile(r"(?P<y>20\d{2})\s*(?:[-./]|년)\s*(?P<m>\d{1,2})\s*(?:[-./]|월)\s*(?P<d>\d{1,2})\s*일?\.?")
_MD_KOREAN = re.compile(r"(?<![\d년])(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일")
_MD_SLASH = re.compile(r"(?<![\d/.])(?P<m>1[0-2]|0?[1-9])\s*/\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d/])")
_MD_DOT = re.compile(r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])\.(?P<d>3[01]|[12]\d|0?[1-9])\.?(?=\s*(?:\([월화수목금토일]\)|까지))")
_MONTH_PART = re.compile(r"(?<![\d년])(?P<m>1[0-2]|0?[1-9])\s*월\s*(?P<part>말|초|중순|중|안|내|까지)")
_RELATIVE = re.compile(
    r"(?<![\d가-힣])(?P<n>\d{1,3}|한|두|세|네|다섯)\s*(?P<unit>주일|주|개월|달|일)\s*" + _RELATIVE_PARTICLE)
_NAMED = re.compile(r"(?<![가-힣])(?P<w>일주일|이주일|하루|이틀|사흘|나흘|닷새|열흘|보름)\s*" + _RELATIVE_PARTICLE)
_DAY_ONLY = re.compile(r"(?<![\d월/.])(?P<d>3[01]|[12]\d|0?[1-9])\s*일\s*(?=까지)")
_TODAY = re.compile(r"(?<![가-힣])(?P<w>오늘|당일|금일|내일|모레)(?![배센])")
_WEEK = re.compile(r"(?P<which>다다음\s*주|이번\s*주|금주|다음\s*주|차주)(?:\s*(?P<wd>[월화수목금토일])요일)?")
_WEEKDAY = re.compile(r"(?<![가-힣])(?P<wd>[월화수목금토일])요일")
_MONTH = re.compile(r"(?P<which>이번\s*달|이달|금월|다음\s*달|익월|내달|월말)(?:\s*(?:(?P<d>\d{1,2})\s*일|(?P<part>말|초|중순|중|안|내)))?")
_NEXT_SESSION = re.compile(r"다음\s*(?:상담|회기|회차|면담|만남)|차기\s*상담|(?<!\d)\d{1,2}\s*(?:회차|회기)\s*(?:상담)?(?=\s*(?:에|때|시|까지))")


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _in_session_year(session: dt.date, month: int, day: int) -> tuple[dt.date | None, str]:
    """A month and day without a year: the session's year, or the next year when that date lies more
    than half a year before the session (a January deadline written in December)."""
    due = _safe_date(session.year, month, day)
    if due is not None and (session - due).days > 183:
        return _safe_date(session.year + 1, month, day), "다음 해로 계산"
    return due, ""


def _count(token: str) -> int:
    return int(token) if token.isdigit() else _NATIVE_NUMBERS[token]


def _part_day(year: int, month: int, part: str | None) -> tuple[dt.date, str]:
    """A day for "초/중순/말" of a month (conventions stated in the derived source)."""
    if part == "초":
        return dt.date(year, month, 10), "초는 10일로 계산"
    if part == "중순":
        return dt.date(year, month, 20), "중순은 20일로 계산"
    return _month_end(year, month), "말일로 계산"


def _resolve(match: re.Match[str], pattern: re.Pattern[str], session: dt.date) -> tuple[dt.date | None, str, bool]:
    """(date, rule, next_session) of one matched expression."""
    g = match.groupdict()
    if pattern is _YMD:
        return _safe_date(int(g["y"]), int(g["m"]), int(g["d"])), "", False
    if pattern in (_MD_KOREAN, _MD_SLASH, _MD_DOT):
        due, rule = _in_session_year(session, int(g["m"]), int(g["d"]))
        return due, rule, False
    if pattern is _MONTH_PART:
        month = int(g["m"])
        year = session.year + (1 if month < session.month and session.month - month > 6 else 0)
        due, rule = _part_day(year, month, g["part"] if g["part"] in ("초", "중순") else "말")
        return due, rule, False
    if pattern is _RELATIVE:
        n, unit = _count(g["n"]), g["unit"]
        if unit == "일":
            return session + dt.timedelta(days=n), "", False
        if unit in ("주", "주일"):
            return session + dt.timedelta(weeks=n), "", False
        return _add_months(session, n), "", False
    if pattern is _NAMED:
        return session + dt.timedelta(days=_NAMED_DAYS[g["w"]]), "", False
    if pattern is _DAY_ONLY:
        day = int(g["d"])
        if day >= session.day:
            return _safe_date(session.year, session.month, day), "상담일이 속한 달로 계산", False
        following = _add_months(session.replace(day=1), 1)
        return _safe_date(following.year, following.month, day), "다음 달로 계산", False
    if pattern is _TODAY:
        offset = {"오늘": 0, "당일": 0, "금일": 0, "내일": 1, "모레": 2}[g["w"]]
        return session + dt.timedelta(days=offset), "", False
    if pattern is _WEEK:
        which = re.sub(r"\s+", "", g["which"])
        weeks = {"이번주": 0, "금주": 0, "다음주": 1, "차주": 1, "다다음주": 2}[which]
        monday = session - dt.timedelta(days=session.weekday()) + dt.timedelta(weeks=weeks)
        if g["wd"]:
            return monday + dt.timedelta(days=_WEEKDAYS.index(g["wd"])), "", False
        due = monday + dt.timedelta(days=_FRIDAY)
        rule = "그 주 금요일로 계산"
        return (max(due, session), rule, False) if weeks == 0 else (due, rule, False)
    if pattern is _WEEKDAY:
        ahead = (_WEEKDAYS.index(g["wd"]) - session.weekday()) % 7 or 7
        return session + dt.timedelta(days=ahead), "상담일 뒤 처음 오는 그 요일로 계산", False
    if pattern is _MONTH:
        which = re.sub(r"\s+", "", g["which"])
        base = _add_months(session.replace(day=1), 1) if which in ("다음달", "익월", "내달") else session
        if g["d"]:
            return _safe_date(base.year, base.month, int(g["d"])), "", False
        due, rule = _part_day(base.year, base.month, g["part"])
        return due, rule, False
    return None, "", True  # _NEXT_SESSION


# Order matters: a longer, more specific expression claims its span first ("2026-03-20" before "3/20").
_PATTERNS: tuple[re.Pattern[str], ...] = (
    _YMD, _MD_KOREAN, _MONTH_PART, _MD_DOT, _MD_SLASH, _RELATIVE, _NAMED, _MONTH, _WEEK, _WEEKDAY, _DAY_ONLY,
    _TODAY, _NEXT_SESSION,
)


def _deadlines(text: str, session: dt.date) -> list[Deadline]:
    """Every time expression of a text, in order of position."""
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            due, rule, next_session = _resolve(m, pattern, session)
            if due is None and not next_session:
                continue
            taken.append((m.start(), m.end()))
            marked = bool(_DEADLINE_PARTICLE.match(text[m.end():]))
            found.append(Deadline(surface=re.sub(r"\s+", " ", m.group(0).strip()).rstrip("."), due=due, rule=rule,
                                  next_session=next_session, marked=marked, start=m.start()))
    return sorted(found, key=lambda d: d.start)


def find_deadline(text: str, session_date: dt.date) -> Deadline | None:
    """The deadline a note's clause states, resolved against the session date.

    An expression followed by a deadline particle ("까지", "이내", "안에") wins; otherwise the first
    one on or after the session date; otherwise a mention of the next session ("다음 상담 때").
    A date already past on the session date is not a deadline ("3월 2일 면접 결과를 …").

    Args:
        text: One clause of the notes.
        session_date: The session's date.

    Returns:
        The deadline, or ``None`` when the clause states none.
    """
    candidates = [d for d in _deadlines(str(text or ""), session_date) if d.next_session or d.due >= session_date]
    dated = [d for d in candidates if d.due is not None]
    for group in ([d for d in dated if d.marked], dated, candidates):
        if group:
            return group[0]
    return None


# --------------------------------------------------------------------------- kinds of items

_TASK_STEMS = (r"제출|준비|신청|작성|보완|수정|완성|마무리|정리|방문|참석|등록|발급|응시|수강|지참|연락|안내|확인|전달|"
               r"발송|송부|예약|보내|공유|알려|알리|가져오|가져 오|해\s?오|접수|지원|회신|출석|점검|상담")
_SEEKER_TASKS = r"제출|준비|신청|작성|등록|방문|참석|발급|응시|수강|지참|예약|접수|수정|보완|지원|회신"
_NEXT_CUE = re.compile(
    r"예정|계획(?:이다|임|입니다)|할\s?것|할\s?계획|해야\s?(?:함|한다)|하겠|겠다고|지참|차기\s?상담"
    r"|다음\s?(?:상담|회기|회차|면담)|(?<!\d)\d{1,2}\s?(?:회차|회기)(?:\s?상담)?\s?(?:에|때|시|까지)")
_TASK_AGREED = re.compile(rf"(?:{_TASK_STEMS})(?:\s?\d+\s?[건회곳개번])?\s?(?:하|해)?\s?기로")
_HOMEWORK = re.compile(rf"(?:{_SEEKER_TASKS})(?:하도록|해\s?오도록|해\s?올\s?것을)\s?(?:요청|당부|안내|지도)"
                       rf"|(?:{_SEEKER_TASKS})(?:을|를)\s?(?:요청|당부)")
_TASK_AT_END = re.compile(rf"(?:{_SEEKER_TASKS})(?:\s?\([^)]*\))?\s?[.!]?$")
_TASK_ANYWHERE = re.compile(_TASK_STEMS)
_AGREE = re.compile(r"합의|동의(?!서)|결정|약속|확정|기로|(?:으로|로)\s?정(?:함|했|하였|하고|하기|하며)")
_AGREE_EXPLICIT = re.compile(r"합의|동의(?!서)|결정|약속|확정")
_NEGATED = re.compile(r"지\s?(?:못|않)(?!도록)|못\s?(?:함|했|하였)|보류|미정|미루")
_REQUEST = re.compile(
    r"(?:^|[\s을를])원(?:함|하[고며여였는기]|한다|했|합니다)|희망(?:함|하[고며여였는기]|한다|했|합니다|\s?사항|[.)]|$)"
    r"|요청|문의|싶[다어고음은]|바람|바라[고며는]|바란다|요구|부탁")

_HEADINGS: dict[str, str] = {
    "요청사항": "request", "요청": "request", "희망사항": "request", "구직자요청": "request", "요구사항": "request",
    "합의사항": "agreement", "합의내용": "agreement", "합의": "agreement", "결정사항": "agreement",
    "협의사항": "agreement", "협의결과": "agreement",
    "다음단계": "next_step", "향후계획": "next_step", "향후조치": "next_step", "조치계획": "next_step",
    "후속조치": "next_step", "할일": "next_step", "과제": "next_step", "다음상담계획": "next_step",
}
_HEADING = re.compile(
    r"^[\s\[(【<■□▣◆◇●○▶▷►#*\-·•※]*(?P<label>" + "|".join(
        r"\s?".join(map(re.escape, label)) for label in sorted(_HEADINGS, key=len, reverse=True))
    + r")\s*(?:[\])】>:：]\s*(?P<rest>.*)|$)")

_BULLET = re.compile(r"^\s*(?:[-–—•·*●○◦▪▶▷►→■□◆◇※]+|\(?\d{1,2}[).](?=\s)|[①-⑳])\s*")
# "[2회차] ", "2차 상담: ", "2회기. ", "3회차 " — not "2차 면접", "3회 지원" (a count inside the item)
_SESSION_PREFIX = re.compile(
    r"^\s*(?:[\[(]\s*\d{1,2}\s*(?:회차|회기|차|회)(?:\s*상담)?\s*[\])]|\d{1,2}\s*(?:회차|회기|차|회)(?:\s*상담)?\s*[:.]"
    r"|\d{1,2}\s*(?:회차|회기)(?:\s*상담)?(?=\s))\s*")
_SUBJECT = re.compile(r"^(?:(?:구직자|내담자|참여자|본인)\s?(?:께서는|께서|는|은|가|이)|(?:상담|논의|협의)\s?결과,?)\s+")
_MASKED_PAREN = re.compile(r"\s*\([^()]*[*○][^()]*\)")
_MASKED_TOKEN = re.compile(r"\s*\S*(?:\*{2,}|○)\S*(?:\s?(?:님|씨))?")
_MASKED_PHONE = re.compile(r"(?<![\w*])\+?[0-9]{2,4}[-. ]?\*{3,4}[-. ]?[0-9]{4}(?P<particle>[가-힣]*)")
_PARTICLE_AFTER_VOWEL = {"으로": "로", "로": "로", "을": "를", "를": "를", "이": "가", "가": "가", "은": "는", "는": "는",
                         "과": "와", "와": "와"}
# after a connective ending ("희망하며, ", "하였고 "), not a quotation ("원한다고 말함", "하라고")
_CLAUSE_BOUNDARY = re.compile(r"(?<=[가-힣])(?<![다라자])(?:고|며|면서),?\s+")
_ENDINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(하기로|기로)\s?(?:하였|했|하)(?:다|음|습니다|고|며|으며)?$"), r"\1 함"),
    (re.compile(r"(다고)\s?(?:하였|했|말하였|말했|말함|밝혔|밝힘|함)(?:다|음|습니다|고|으며)?$"), r"\1 함"),
    (re.compile(r"예정(?:이다|입니다|임|이며|이고)$"), "예정"),
    (re.compile(r"(?:하였|했)(?:다|음|습니다|고|으며)$"), "함"),
    (re.compile(r"(?:되었|됐)(?:다|음|습니다|고|으며)$"), "됨"),
    (re.compile(r"하(?:고|며)$"), "함"),
    (re.compile(r"(?:한다|합니다)$"), "함"),
    (re.compile(r"(?:이다|입니다)$"), "임"),
)
_MIN_ITEM_CHARS = 4
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__)([가-힣A-Za-z](?:[가-힣A-Za-z ]{0,30}[가-힣A-Za-z])?)\1(?!\*)")
"""Markdown emphasis around words typed into notes; not a masked name ("이**님") or phone ("010-****-5678")."""


def _kind(clause: str, heading: str | None, deadline: Deadline | None) -> str | None:
    """The summary kind of one clause (``None``: an account of what was done, not an item)."""
    if heading:
        return heading
    negated = bool(_NEGATED.search(clause))
    if (_NEXT_CUE.search(clause) or _HOMEWORK.search(clause) or _TASK_AT_END.search(clause)
            or (deadline is not None and (_TASK_ANYWHERE.search(clause) or _AGREE.search(clause)))):
        return "next_step"
    # "수강하기로 함" is a task to do; "수강하기로 합의함", with no time to it, is what was agreed
    if _TASK_AGREED.search(clause) and (negated or not _AGREE_EXPLICIT.search(clause)):
        return "next_step"
    if _AGREE.search(clause) and not negated:
        return "agreement"
    if _REQUEST.search(clause):
        return "request"
    return None


def _strip_prefixes(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _SESSION_PREFIX.sub("", _BULLET.sub("", text), count=1)
    return text.strip()


def _concise(clause: str) -> str:
    """A clause as a summary item: prefixes, subject, masked personal data and reporting verbs dropped."""
    text = _MASKED_PAREN.sub("", _strip_prefixes(clause))
    # "추후 010-****-4110으로 안내" → "추후 연락처로 안내": the number is gone, what it was for stays
    text = _MASKED_PHONE.sub(lambda m: "연락처" + _PARTICLE_AFTER_VOWEL.get(m.group("particle"), m.group("particle")),
                             text)
    text = _MASKED_TOKEN.sub("", text)
    text = _SUBJECT.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip().rstrip(".,;· ").strip()
    for pattern, replacement in _ENDINGS:
        shortened = pattern.sub(replacement, text)
        if shortened != text:
            text = shortened
            break
    return text.strip()


def _clauses(sentence: str, heading: str | None, session: dt.date) -> list[tuple[str, str, Deadline | None]]:
    """(kind, clause, deadline) of a sentence's items.

    A sentence splits after a connective ending ("…희망하며, …하기로 함") only where the part before it is an
    item on its own; a part that is not is kept with what follows, so "이력서를 보완하고 다음 주까지
    제출하기로 함" stays one item with its object.
    """
    pieces: list[str] = []
    start = 0
    for m in _CLAUSE_BOUNDARY.finditer(sentence):
        pieces.append(sentence[start:m.end()].strip())
        start = m.end()
    pieces.append(sentence[start:].strip())
    items: list[tuple[str, str, Deadline | None]] = []
    pending = ""
    for index, piece in enumerate(pieces):
        clause = (pending + " " + piece).strip() if pending else piece
        last = index == len(pieces) - 1
        deadline = find_deadline(clause, session)
        kind = _kind(clause.rstrip(", "), heading, deadline) if (last or heading is None) else None
        if kind is None and not last:
            pending = clause
            continue
        pending = ""
        if kind is not None:
            items.append((kind, clause.rstrip(", "), deadline))
    return items


def _note_lines(text: str) -> list[tuple[str, str | None, str]]:
    """(sentence, heading kind, text to summarise) of each sentence of the notes, in source order.

    A heading line ("■ 합의사항") gives its kind to the lines under it; a labelled line ("요청: …") to itself.
    """
    rows: list[tuple[str, str | None, str]] = []
    section: str | None = None
    for line in re.split(r"\n+", text):
        heading = _HEADING.match(_BULLET.sub("", line.strip()))
        line_kind = section
        body_of_first: str | None = None
        if heading:
            kind = _HEADINGS[re.sub(r"\s+", "", heading.group("label"))]
            rest = (heading.group("rest") or "").strip()
            if not rest:
                section = kind
                rows.extend((s, None, "") for s in split_sentences(line))
                continue
            line_kind, body_of_first = kind, next(iter(split_sentences(rest)), "")
        for i, sentence in enumerate(split_sentences(line)):
            body = body_of_first if (i == 0 and body_of_first is not None) else sentence
            rows.append((sentence, line_kind, body))
    return rows


# --------------------------------------------------------------------------- the task


def _derived_text(deadline: Deadline, due: dt.date, session: dt.date, via: Deadline | None = None) -> str:
    if via is not None:
        return (f"‘{deadline.surface}’ → {due.isoformat()} (이번 메모의 다음 상담 일정 ‘{via.surface}’, "
                f"상담일 {session.isoformat()} 기준)")
    rule = f", {deadline.rule}" if deadline.rule else ""
    return f"‘{deadline.surface}’ → {due.isoformat()} (상담일 {session.isoformat()} 기준{rule})"


def summary_task(notes_text: str, session_date: dt.date, context: SeekerContext | None = None) -> CopilotTask:
    """The 상담 요약 task of one session's notes.

    Args:
        notes_text: The counsellor's notes of the session (masked again here: masking is idempotent,
            so no caller can pass personal data on).
        session_date: The session's date (relative deadlines are resolved against it).
        context: The seeker, when known: the record's fields are added as sources a model may relate
            the notes to (the offline summary cites only the notes).

    Returns:
        The task: sources ``session.date`` (상담일), ``session.N`` (the note's sentences) and
        ``derived.deadline.N`` (기한 계산), offline statements of kinds :data:`SUMMARY_KINDS`, and
        ``data`` with the session date and the next session's date when the notes give it.

    Raises:
        InvalidSummary: The notes are longer than :data:`MAX_NOTES_CHARS`.
    """
    raw = str(notes_text or "")
    if len(raw) > MAX_NOTES_CHARS:  # checked before masking, which reads the whole text
        raise InvalidSummary(f"상담 메모가 너무 깁니다 ({len(raw):,}자, 최대 {MAX_NOTES_CHARS:,}자).")
    # markdown emphasis typed into the notes ("**야간** 근무") is dropped before masking: masked spans are
    # asterisks too, and the item clean-up would take an emphasised word for one
    text = mask_pii(_EMPHASIS.sub(r"\2", raw))
    session = session_date
    rows = _note_lines(text)
    sentences = [sentence for sentence, _, _ in rows]
    if sentences != split_sentences(text):  # the line walk must number sentences as the seam does
        rows = [(s, None, s) for s in split_sentences(text)]
        sentences = [s for s, _, _ in rows]
    sources = [Source("session.date", "상담일", f"상담일: {session.isoformat()}")]
    sources += [Source(f"session.{i}", f"이번 상담 메모 {i}번째 문장", s) for i, s in enumerate(sentences, 1)]

    found: list[tuple[int, str, str, Deadline | None]] = []
    for number, (_, heading, body) in enumerate(rows, 1):
        if not body:
            continue
        for kind, clause, deadline in _clauses(body, heading, session):
            found.append((number, kind, clause, deadline))
    # "다음 상담은 2주 후로 예정함": the next session's date, for the items due "다음 상담 때"
    next_session = next((d for _, _, clause, d in found
                         if d is not None and d.due is not None and _NEXT_SESSION.search(clause)), None)

    derived: dict[str, Source] = {}
    statements: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    for number, kind, clause, deadline in found:
        item = _concise(clause)
        if len(item) < _MIN_ITEM_CHARS or (kind, item) in seen:
            continue
        seen.add((kind, item))
        keys = [f"session.{number}"]
        detail = ""
        if kind == "next_step" and deadline is not None:
            via = next_session if (deadline.due is None and next_session is not None) else None
            due = deadline.due if deadline.due is not None else (via.due if via is not None else None)
            if due is None:
                detail = f"기한: {deadline.surface} 때"
            else:
                detail = f"기한: {due.isoformat()}"
                if deadline.surface != due.isoformat():  # "2026-03-20" as written needs no computation
                    derived_line = _derived_text(deadline, due, session, via)
                    if derived_line not in derived:
                        derived[derived_line] = Source(f"derived.deadline.{len(derived) + 1}", "기한 계산", derived_line)
                    keys.append(derived[derived_line].key)
                    detail += f" ({deadline.surface})"
        statements.append(Statement(text=item, sources=tuple(keys), kind=kind, detail=detail))

    sources += list(derived.values())
    if context is not None:
        sources += context.record_sources()
    order = list(SUMMARY_KINDS)
    statements.sort(key=lambda s: order.index(s.kind))  # stable: note order within a kind
    return CopilotTask(
        name="summary", title="상담 요약", instruction=INSTRUCTION, kinds=dict(SUMMARY_KINDS),
        sources=tuple(sources), offline=tuple(statements), max_statements=24,
        data={"session_date": session.isoformat(),
              "next_session": next_session.due.isoformat() if next_session and next_session.due else ""})


# --------------------------------------------------------------------------- structured summary

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DUE_PREFIX = re.compile(r"^\s*기한\s*[:：]?\s*")


def _due_of(detail: str, text: str, session: dt.date | None, next_session: dt.date | None) -> tuple[str, str]:
    """(ISO date or "", wording) of a next step's 기한, from its detail, else from its text ("다음 상담" is
    the next session's date when the notes give it)."""
    wording = _DUE_PREFIX.sub("", detail or "").strip()
    iso = _ISO_DATE.search(wording)
    if iso and _safe_date(*map(int, iso.groups())):
        inner = re.search(r"\(([^)]*)\)", wording[iso.end():])
        return iso.group(0), (inner.group(1).strip() if inner else "")
    if session is not None:
        for candidate in (wording, text):
            deadline = find_deadline(candidate, session) if candidate else None
            if deadline is not None:
                due = deadline.due or (next_session if deadline.next_session else None)
                return (due.isoformat() if due else ""), deadline.surface
    return "", re.sub(r"\s*때$", "", wording)[:MAX_DUE_TEXT_CHARS]


def summary_fields(output: CopilotOutput) -> dict[str, list[dict[str, object]]]:
    """The structured summary of a checked 상담 요약 output (offline or a model's).

    Only statements that passed the faithfulness check are used, so a model's summary goes through
    the same check as the offline one.

    Args:
        output: The output of :func:`app.copilot.generation.run_task` on a :func:`summary_task`.

    Returns:
        ``{"request": [...], "agreement": [...], "next_step": [...]}`` (keys of :data:`SUMMARY_KINDS`,
        whose values are the Korean headings): each item ``{"text", "due", "due_text", "sources"}`` —
        ``due`` an ISO date or "", ``due_text`` the note's wording of it ("2주 후", "다음 상담").
    """
    data = output.data or {}
    session, next_session = (dt.date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else None
                             for value in (str(data.get("session_date") or ""), str(data.get("next_session") or "")))
    fields: dict[str, list[dict[str, object]]] = {kind: [] for kind in SUMMARY_KINDS}
    for statement in output.statements:
        if not statement.shown or statement.kind not in fields:
            continue
        due, due_text = ("", "")
        if statement.kind == "next_step":
            due, due_text = _due_of(statement.detail, statement.text, session, next_session)
        fields[statement.kind].append({"text": statement.text, "due": due, "due_text": due_text,
                                       "sources": list(statement.sources)})
    return fields


def _item_problems(label: str, position: int, item: object) -> tuple[dict[str, object] | None, list[str]]:
    where = f"{label} {position}번째 항목"
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, Mapping):
        return None, [f"{where}의 형식이 잘못되었습니다."]
    problems: list[str] = []
    text = re.sub(r"\s+", " ", str(item.get("text") or "")).strip()
    due_value = item.get("due") or ""
    due = due_value.isoformat() if isinstance(due_value, dt.date) else str(due_value).strip()
    due_text = re.sub(r"\s+", " ", str(item.get("due_text") or "")).strip()
    if not text and not due:
        return None, []  # an emptied row: the counsellor deleted the item
    if not text:
        problems.append(f"{where}: 내용 없이 기한만 있습니다.")
    if len(text) > MAX_ITEM_CHARS:
        problems.append(f"{where}: {MAX_ITEM_CHARS}자를 넘습니다 ({len(text)}자).")
    if due and not (_ISO_DATE.fullmatch(due) and _safe_date(*map(int, due.split("-")))):
        problems.append(f"{where}: 기한은 2026-03-20처럼 연-월-일로 적거나 비워 두세요.")
    if len(due_text) > MAX_DUE_TEXT_CHARS:
        problems.append(f"{where}: 기한 설명이 {MAX_DUE_TEXT_CHARS}자를 넘습니다.")
    raw_sources = item.get("sources") or []
    if isinstance(raw_sources, str) or not isinstance(raw_sources, Sequence):
        problems.append(f"{where}: 근거 목록의 형식이 잘못되었습니다.")
        raw_sources = []
    sources = [str(s) for s in raw_sources][:_MAX_SOURCE_KEYS]
    if any(len(s) > _MAX_SOURCE_KEY_CHARS for s in sources):
        problems.append(f"{where}: 근거 표시가 너무 깁니다.")
    return {"text": mask_pii(text), "due": due, "due_text": mask_pii(due_text), "sources": sources}, problems


def validate_edited_summary(fields: Mapping[str, object]) -> dict[str, list[dict[str, object]]]:
    """The counsellor's edited summary, checked and masked, ready to save.

    Emptied rows are dropped; personal data typed into an item is masked (:func:`app.text.pii.mask_pii`).

    Args:
        fields: ``{kind: [item, ...]}`` with kinds of :data:`SUMMARY_KINDS` and items as
            :func:`summary_fields` gives them (an item may also be plain text).

    Returns:
        Every kind of :data:`SUMMARY_KINDS` (missing ones empty), items ``{"text", "due", "due_text",
        "sources"}``.

    Raises:
        InvalidSummary: An unknown kind, too many or too long items, a 기한 that is not a date; the
            message lists every problem in Korean.
    """
    if not isinstance(fields, Mapping):
        raise InvalidSummary("요약의 형식이 잘못되었습니다.")
    problems: list[str] = []
    unknown = [k for k in fields if k not in SUMMARY_KINDS]
    if unknown:
        problems.append(f"알 수 없는 요약 항목 종류가 {len(unknown)}개 있습니다 "
                        f"({', '.join(SUMMARY_KINDS.values())}만 저장할 수 있습니다).")
    cleaned: dict[str, list[dict[str, object]]] = {kind: [] for kind in SUMMARY_KINDS}
    for kind, label in SUMMARY_KINDS.items():
        items = fields.get(kind) or []
        if isinstance(items, (str, Mapping)) or not isinstance(items, Sequence):
            problems.append(f"{label}의 형식이 잘못되었습니다.")
            continue
        if len(items) > MAX_ITEMS_PER_KIND:
            problems.append(f"{label}은(는) {MAX_ITEMS_PER_KIND}개까지 저장할 수 있습니다 ({len(items)}개).")
        for position, item in enumerate(items, 1):
            clean, item_problems = _item_problems(label, position, item)
            problems += item_problems
            if clean is not None and not item_problems:
                cleaned[kind].append(clean)
    if problems:
        raise InvalidSummary(" ".join(problems))
    return cleaned
