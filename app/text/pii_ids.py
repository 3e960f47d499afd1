"""Finders for identifiers beyond RRN, phone and e-mail: 여권번호, 운전면허번호, bank accounts,
messenger IDs, personal URLs and SNS handles.

* 여권번호 and 운전면허번호 are 고유식별정보 (개인정보 보호법 제24조, 시행령 제19조), like the RRN:
  every letter and digit is hidden (a licence's region name, e.g. ``서울``, stays).
* Bank accounts: every digit is hidden. A number counts as an account only after an account word
  (계좌, 통장, 입금, account …) or a bank name; an ambiguous bank name (국민, 우리, 하나, 기업 …)
  must stand right before the number.
* Messenger IDs (카카오톡, 텔레그램, 라인, 위챗, 디스코드, 잘로 …), SNS handles (인스타그램, 트위터/X,
  페이스북, 틱톡, 유튜브, 깃허브 …) and personal URLs (``blog.naver.com/ID``, ``ID.tistory.com``,
  ``github.com/ID``, ``t.me/ID``, a personal domain after 포트폴리오/개인 홈페이지 …): the ID keeps its
  first two characters, like an e-mail's local part (``blog.naver.com/ha***``). Handles need a
  label before them — a bare ``@Transactional`` in a developer's résumé is no handle — and a
  company word before (공식 블로그, 회사 인스타그램) makes them the company's.

Every scan starts at a literal (a label, a host name) and reads a bounded window after it, so the
work stays linear in the text length.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Final

from app.text.pii_base import (
    ASCII_LETTERS,
    BLANK,
    DASHES,
    DIGITS,
    HANGUL_SET,
    ID_CHARS,
    Hit,
    after,
    before,
    masked_hit,
    star_alnum_hit,
    trie_regex,
)
from app.text.pii_context import company_before

_LABEL_REACH: Final = 24  # characters a label may stand before its value (same line)
_ALNUM: Final = ASCII_LETTERS | DIGITS
# Characters that may not stand right before a candidate (built once: a union per match is slow).
_ALNUM_DASH: Final = _ALNUM | frozenset("-")
_DIGITS_DASH_DOT: Final = DIGITS | frozenset("-.")
_DIGITS_DOT_COMMA: Final = DIGITS | frozenset(".,")
_LETTERS: Final = HANGUL_SET | ASCII_LETTERS
_HOST_BEFORE: Final = _ALNUM | frozenset(".-_@")
_DOMAIN_BEFORE: Final = _ALNUM | frozenset(".-@*")
_DOT: Final = frozenset(".")


def _line_window(text: str, start: int, reach: int) -> int:
    """Start of the window of ``reach`` characters before ``start``, bounded by the line start."""
    return max(text.rfind("\n", max(0, start - reach), start) + 1, start - reach)


def _labelled(rx: re.Pattern[str], text: str, start: int, reach: int = _LABEL_REACH) -> bool:
    return rx.search(text, _line_window(text, start, reach), start) is not None


def literal_alternation(*words: str) -> str:
    """A regex matching any of the literal words (longest first), Latin letters in lower case: run
    it on :func:`ascii_lower` of the text. A trie of plain literals lets the engine test one
    character set per position (an ``(?i:…)`` group or an alternation of many words would make it
    try each word at every position)."""
    return trie_regex({word.lower() if word.isascii() else word for word in words})


_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@functools.lru_cache(maxsize=2)
def ascii_lower(text: str) -> str:
    """The text with ASCII letters in lower case (same length, unlike ``str.lower``)."""
    return text.translate(_ASCII_LOWER)


def latin_word_at(text: str, start: int, end: int) -> bool:
    """Whether a Latin label found at ``[start, end)`` is a whole word (not inside "timeline")."""
    if not text[start:end].isascii():
        return True
    return after(text, start, ASCII_LETTERS) and (end >= len(text) or text[end] not in ASCII_LETTERS)


def mask_id_hit(kind: str, start: int, end: int) -> Hit:
    """A hit that keeps the first two characters of an ID (one when it has two or fewer)."""
    keep = 1 if end - start <= 2 else 2
    return masked_hit(kind, start, end, [(start + keep, end, "***")])


# --------------------------------------------------------------------------------------------
# 여권번호
# --------------------------------------------------------------------------------------------
_PASSPORT_LABEL_RE: Final = re.compile(r"여권|(?i:passport|pass[ \t]?no)")
# Korean passports: type letter + 8 digits (M12345678), since 2021 letter, 3 digits, letter, 4 digits
# (M123A4567). With a label, any country's letters-then-digits number (C1234567, P1234567A).
_PASSPORT_RE: Final = re.compile(
    rf"(?P<kr>[MSRODGmsrodg]{BLANK}?[0-9]{{3}}{BLANK}?[0-9A-Za-z]{BLANK}?[0-9]{{4}})(?![0-9A-Za-z])"
    r"|(?P<any>[A-Za-z]{1,2}[0-9]{6,9}[A-Za-z]?)(?![0-9A-Za-z])"
)
# Codes shaped like a passport number that are none: model, part, course or order numbers.
_CODE_LABEL_RE: Final = re.compile(
    r"모델|품번|제품|부품|코드|과정|공고|주문|송장|사번|사원|학번|차량|일련|시리얼|장비|기기|설비|자산|재고|품목|규격|형번|"
    r"형식|호기|기종|관리번호|(?i:model|code|serial|s/n|part|order|item|equip(?:ment)?|asset|device|sku)"
)


# After a passport label, a number typed with blanks between its characters ("여권: 5 1 2 3 4 5 6 7 8",
# "M 1 2 3 4 5 6 7 8"): eight to ten characters, at least six of them digits.
_SPACED_PASSPORT_RE: Final = re.compile(
    rf"{BLANK}*(?:번호)?{BLANK}*[:：|]?{BLANK}*(?P<num>[A-Za-z0-9](?:{BLANK}[A-Za-z0-9]){{7,9}})(?![0-9A-Za-z])"
)


def find_passports(text: str) -> list[Hit]:
    """여권번호: Korean shapes anywhere (unless a code label precedes), other shapes after 여권/passport."""
    hits = []
    for label in _PASSPORT_LABEL_RE.finditer(text):
        m = _SPACED_PASSPORT_RE.match(text, label.end())
        if m is not None and sum(ch in DIGITS for ch in m.group("num")) >= 6:
            hits.append(star_alnum_hit("passport", text, m.start("num"), m.end("num")))
    for m in _PASSPORT_RE.finditer(text):
        if not after(text, m.start(), _ALNUM_DASH):
            continue
        labelled = _labelled(_PASSPORT_LABEL_RE, text, m.start())
        strict = m.group("kr") is not None and m.group().isupper() and " " not in m.group() and "\t" not in m.group()
        if labelled or (strict and not _labelled(_CODE_LABEL_RE, text, m.start(), 12)):
            hits.append(star_alnum_hit("passport", text, m.start(), m.end()))
    return hits


# --------------------------------------------------------------------------------------------
# 운전면허번호
# --------------------------------------------------------------------------------------------
_LICENSE_LABEL_RE: Final = re.compile(
    r"운전[ \t]?면허|면허[ \t]?(?:번호|증)|(?i:driver'?s?[ \t]?licen[cs]e|driving[ \t]licen[cs]e|licen[cs]e[ \t]?no|\bDL\b)"
)
_LSEP: Final = rf"(?:{BLANK}*[{DASHES}]{BLANK}*|{BLANK})"
_REGIONS: Final = "경기북부|서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산|세종"
# 2-2-6-2 digits since 2017 (region code 11-28 first), or the region's name and 2-6-2 before.
_LICENSE_RE: Final = re.compile(
    rf"(?P<code>1[1-9]|2[0-8])(?P<s1>{_LSEP})?[0-9]{{2}}(?P<s2>{_LSEP})?[0-9]{{6}}(?P<s3>{_LSEP})?[0-9]{{2}}(?![0-9])"
    rf"|(?P<region>{_REGIONS}){BLANK}?(?P<num>[0-9]{{2}}(?P<t1>{_LSEP})?[0-9]{{6}}(?P<t2>{_LSEP})?[0-9]{{2}})(?![0-9])"
)


def _dashed(m: re.Match[str], *groups: str) -> bool:
    return all(m.group(g) is not None and m.group(g).strip() != "" for g in groups)


# Labels of other numbers shaped like a licence's 2-2-6-2 ("자격증번호 11-15-123456-78", "주문번호
# 12-34-567890-12"): 자격증 numbers are meant to be shown to employers, the rest identify no person.
_OTHER_NUMBER_LABEL_RE: Final = re.compile(
    r"자격|면허[ \t]?(?:종목|종류)|주문|송장|운송장|접수|예약|거래|승인|관리|등록[ \t]?번호|사업자|법인|일련|시리얼|제품|"
    r"모델|품번|부품|코드|과정|공고|계좌|카드|회원|고객|사번|학번|수험|(?i:order|invoice|serial|model|part|code|ref)"
)
_LICENSE_CONTEXT_RE: Final = re.compile(rf"(?P<licence>{_LICENSE_LABEL_RE.pattern})|(?P<other>{_OTHER_NUMBER_LABEL_RE.pattern})")


def _licence_context(text: str, start: int) -> str | None:
    """``"licence"`` or ``"other"`` by the nearest label in the 30 characters before, ``None`` without one."""
    last = None
    for m in _LICENSE_CONTEXT_RE.finditer(text, _line_window(text, start, 30), start):
        last = m
    return None if last is None else last.lastgroup


def find_licenses(text: str) -> list[Hit]:
    """운전면허번호: dashed shapes unless another number's label is nearer; other shapes after a licence label."""
    hits = []
    for m in _LICENSE_RE.finditer(text):
        if not after(text, m.start(), _DIGITS_DASH_DOT):
            continue
        start = m.start("num") if m.group("num") else m.start()
        context = _licence_context(text, m.start())
        dashed = _dashed(m, "t1", "t2") if m.group("num") else _dashed(m, "s1", "s2", "s3")
        if context == "licence" or (dashed and context is None):
            hide = [(i, i + 1, "*") for i in range(start, m.end()) if text[i] in DIGITS]
            hits.append(masked_hit("driver_license", start, m.end(), hide))
    return hits


# --------------------------------------------------------------------------------------------
# Bank accounts
# --------------------------------------------------------------------------------------------
_BANKS: Final = (
    "KB국민은행", "KB국민", "국민은행", "신한은행", "우리은행", "KEB하나은행", "하나은행", "NH농협은행", "NH농협",
    "농협은행", "농협", "IBK기업은행", "기업은행", "SC제일은행", "SC은행", "제일은행", "한국씨티은행", "씨티은행",
    "카카오뱅크", "카뱅", "토스뱅크", "케이뱅크", "K뱅크", "수협은행", "수협", "신협", "MG새마을금고", "새마을금고",
    "우체국", "KDB산업은행", "산업은행", "부산은행", "대구은행", "iM뱅크", "경남은행", "광주은행", "전북은행",
    "제주은행", "저축은행", "신한", "계좌", "통장", "입금", "송금", "예금", "account", "acct", "bank",
)
# Words that are bank names only when they stand right before the number ("우리 회사", "하나 더").
_AMBIGUOUS_BANKS: Final = frozenset(("국민", "우리", "하나", "기업", "토스", "씨티", "NH", "KB", "IBK", "SC"))
_ACCOUNT_CONTEXT_RE: Final = re.compile(literal_alternation(*_BANKS, *_AMBIGUOUS_BANKS))
_ACCOUNT_REACH: Final = 30
_ACCOUNT_NUMBER_RE: Final = re.compile(
    rf"[0-9]{{2,7}}(?:{BLANK}?[{DASHES}]{BLANK}?[0-9]{{1,8}}){{1,4}}"
    rf"|[0-9]{{3,6}}(?:{BLANK}[0-9]{{2,8}}){{1,3}}"
    r"|[0-9]{10,16}"
)
# Labels of other numbers that may stand between an account word and a number ("입금 확인번호 …").
_NOT_ACCOUNT_LABEL_RE: Final = re.compile(
    r"(?:확인|승인|거래|주문|접수|예약|영수증|일련|참조|관리|고객|회원|카드|송장|사업자|등록|전표|결제)[ \t]?번호|코드|"
    r"(?i:ref(?:erence)?|order|invoice|tx|transaction)(?![A-Za-z])"
)
# After the number: not an amount, a count or part of a longer number.
_NOT_ACCOUNT_END_RE: Final = re.compile(rf"[0-9]|[.,{DASHES}][0-9]|{BLANK}?(?:원|만|천|억|년|%|명|개|건|시|분)")


def find_accounts(text: str) -> list[Hit]:
    """Bank account numbers (10-16 digits) after an account word or a bank name."""
    hits = []
    last_end = 0
    for ctx in _ACCOUNT_CONTEXT_RE.finditer(ascii_lower(text)):
        weak = text[ctx.start():ctx.end()] in _AMBIGUOUS_BANKS
        if ctx.start() < last_end or not latin_word_at(text, ctx.start(), ctx.end()):
            continue
        if weak and not (after(text, ctx.start(), _LETTERS) and before(text, ctx.end(), _LETTERS)):
            continue
        newline = text.find("\n", ctx.end(), ctx.end() + _ACCOUNT_REACH)
        limit = newline if newline != -1 else min(len(text), ctx.end() + _ACCOUNT_REACH)
        for m in _ACCOUNT_NUMBER_RE.finditer(text, ctx.end(), limit):
            if weak and text[ctx.end():m.start()].strip(" \t:()[]") != "":
                break  # an ambiguous bank name must be right before the number
            if _NOT_ACCOUNT_LABEL_RE.search(text, ctx.end(), m.start()):
                break  # "입금 확인번호 2023…": another number's label stands between
            digits = sum(ch in DIGITS for ch in m.group())
            if not after(text, m.start(), _DIGITS_DOT_COMMA) or _NOT_ACCOUNT_END_RE.match(text, m.end()):
                continue
            if 10 <= digits <= 16:
                hide = [(i, i + 1, "*") for i in range(m.start(), m.end()) if text[i] in DIGITS]
                hits.append(masked_hit("bank_account", m.start(), m.end(), hide))
                last_end = m.end()
                break
    return hits


# --------------------------------------------------------------------------------------------
# Messenger IDs and SNS handles
# --------------------------------------------------------------------------------------------
_ID_WORD: Final = r"(?:아이디|계정|닉네임|핸들|채널|주소|ID|Id|id|account|Account|handle|Handle)"
_MESSENGER_STRONG: Final = frozenset((
    "카카오톡", "카카오 톡", "카톡", "텔레그램", "위챗", "디스코드", "스카이프", "잘로", "바이버", "왓츠앱", "오픈채팅",
    "오픈 채팅", "오픈프로필", "오픈 프로필", "kakaotalk", "kakao talk", "telegram", "wechat", "weixin", "discord",
    "skype", "zalo", "viber", "whatsapp",
))
# Words that are messengers only with an ID word or a colon after them ("생산 라인 A", "카카오뱅크").
_MESSENGER_WEAK: Final = frozenset(("라인", "카카오", "시그널", "텔레", "line", "kakao", "signal", "qq", "tg"))
_SNS_LABELS: Final = frozenset((
    "인스타그램", "인스타", "트위터", "페이스북", "페북", "틱톡", "유튜브", "스레드", "깃허브", "깃헙", "벨로그", "브런치",
    "링크드인", "비핸스", "핀터레스트", "네이버블로그", "네이버 블로그", "블로그", "instagram", "insta", "twitter",
    "facebook", "tiktok", "youtube", "threads", "github", "gitlab", "velog", "brunch", "linkedin", "behance",
    "pinterest",
))
# SNS names that are short or common words: a handle after them needs "ID", ":" or "@" too.
_SNS_WEAK: Final = frozenset(("ig", "x", "엑스", "fb", "sns", "blog"))
_HANDLE_LABEL_RE: Final = re.compile(
    literal_alternation(*_MESSENGER_STRONG, *_MESSENGER_WEAK, *_SNS_LABELS, *_SNS_WEAK)
)
_HANDLE_TAIL_RE: Final = re.compile(
    rf"(?:{BLANK}*\((?:X|x|엑스|구[ \t]?트위터|ID|id|아이디)\))?"
    rf"(?:{BLANK}*(?P<idword>{_ID_WORD}))?(?:은|는|(?P<colon>:))?"
    rf"{BLANK}*(?P<sep>[:|=]|-(?!-))?{BLANK}*[(\[]?{BLANK}*(?P<at>@)?"
    r"(?P<id>[A-Za-z0-9][A-Za-z0-9._\-]{1,31}(?:#[0-9]{4})?)"
)
_NOT_HANDLES: Final = frozenset((
    "ok", "no", "yes", "none", "na", "n", "id", "private", "off", "on", "x", "tbd", "sns", "url", "link", "http",
    "https", "www", "the", "and", "or", "is", "my", "me", "to", "dm", "pm", "am",
))
_HOST_TOKEN_RE: Final = re.compile(r".*\.(?:com|net|org|io|kr|me|site|dev|app|page|blog|co|ee|us|at)$", re.IGNORECASE)


def find_handles(text: str) -> list[Hit]:
    """Messenger IDs and SNS handles written after their service's name."""
    hits = []
    for label in _HANDLE_LABEL_RE.finditer(ascii_lower(text)):
        word = label.group().lower()
        if not latin_word_at(text, label.start(), label.end()):
            continue
        sns = word in _SNS_LABELS or word in _SNS_WEAK
        if word[0] in HANGUL_SET and not sns and not after(text, label.start(), HANGUL_SET):
            continue  # "생산라인" is no messenger
        m = _HANDLE_TAIL_RE.match(text, label.end())
        if m is None:
            continue
        # "생산 라인 SMT", "line-up", "X-ray", "SNS Marketing": an ambiguous name needs "ID", ":", "|",
        # "=" or "@" before the handle (a hyphen makes a compound word in real postings, not a handle)
        marked = m.group("idword") or m.group("colon") or m.group("at") or m.group("sep") in (":", "|", "=")
        if (word in _MESSENGER_WEAK or word in _SNS_WEAK) and not marked:
            continue
        s, e = m.start("id"), m.end("id")
        while e > s and text[e - 1] in ".-_":  # sentence punctuation after the handle
            e -= 1
        handle = text[s:e]
        if e - s < 2 or handle.lower() in _NOT_HANDLES or not any(ch.isalpha() for ch in handle):
            continue  # digits only: a phone number, left to the phone finder
        pointed = m.group("colon") or m.group("at") or m.group("sep") in (":", "|", "=")
        if word.isascii() and not (pointed or m.group("idword")):
            continue  # "Twitter data were …", "Github (GitBash)": English prose names services all the time
        if not pointed and (handle.isupper() or (handle[:1].isupper() and handle[1:].islower())):
            continue  # "유튜브 채널 PD", "YouTube Premium": an English word, not a handle (those need ":" or "@")
        if text[e:e + 1] in ("@", "/", ":", "*") or _HOST_TOKEN_RE.match(handle):
            continue  # an e-mail or a URL (left to their finders), or masked already
        if company_before(text, label.start(), 30):
            continue
        hits.append(mask_id_hit("sns" if sns else "messenger", s, e))
    return hits


# --------------------------------------------------------------------------------------------
# Personal URLs
# --------------------------------------------------------------------------------------------
_PATH_HOSTS: Final = (
    "blog.naver.com", "github.com", "gitlab.com", "instagram.com", "facebook.com", "fb.com", "twitter.com", "x.com",
    "tiktok.com", "youtube.com", "linkedin.com", "velog.io", "brunch.co.kr", "medium.com", "behance.net",
    "dribbble.com", "threads.net", "blog.daum.net", "story.kakao.com", "linktr.ee", "pinterest.com", "t.me",
    "open.kakao.com", "band.us", "soundcloud.com", "twitch.tv",
)
_MESSENGER_HOSTS: Final = frozenset(("t.me", "open.kakao.com"))
_PATH_HOST_RE: Final = re.compile("|".join(re.escape(h) for h in sorted(_PATH_HOSTS, key=len, reverse=True)))
_PATH_ID_RE: Final = re.compile(r"/(?:@|in/|c/|channel/|user/|o/)?(?P<id>[A-Za-z0-9][A-Za-z0-9._\-]{1,63})")
# What may stand before a host: a scheme ("https://"), "www." or "m.", or nothing that is part of a word.
_HOST_PREFIX_RE: Final = re.compile(r"(?:[A-Za-z]{3,5}://)?(?:www\.|m\.)?\Z")
# Paths on those hosts that are pages, not people.
_NOT_IDS: Final = frozenset((
    "watch", "results", "explore", "about", "login", "search", "hashtag", "p", "reel", "reels", "tags", "share",
    "intent", "home", "settings", "features", "pricing", "topics", "trending", "shorts", "playlist", "jobs",
    "company", "school", "groups", "events", "pages", "posts", "feed", "help", "policies", "legal", "marketplace",
    "stories", "tv", "live", "music", "gaming", "premium", "orgs", "organizations", "enterprise", "sponsors",
))
_SUB_HOSTS: Final = (
    ".tistory.com", ".github.io", ".notion.site", ".blogspot.com", ".wordpress.com", ".oopy.io", ".tumblr.com",
    ".wixsite.com", ".imweb.me", ".creatorlink.net", ".modoo.at", ".postype.com", ".gitbook.io", ".vercel.app",
    ".netlify.app", ".substack.com",
)
_SUB_HOST_RE: Final = re.compile("|".join(re.escape(h) for h in _SUB_HOSTS))
_PERSONAL_SITE_LABEL_RE: Final = re.compile(
    literal_alternation(
        "포트폴리오", "개인 홈페이지", "개인홈페이지", "개인 웹사이트", "개인 사이트", "개인사이트", "개인 블로그", "개인 도메인",
        "나의 홈페이지", "제 홈페이지", "나의 블로그", "제 블로그", "나의 사이트", "제 사이트", "portfolio",
        "personal site", "personal website", "personal homepage", "personal page", "personal blog",
    )
)
_DOMAIN_RE: Final = re.compile(
    r"(?:(?i:https?)://)?(?:www\.)?(?P<id>[A-Za-z0-9][A-Za-z0-9\-]{1,62})(?P<rest>(?:\.[A-Za-z0-9\-]{1,63}){0,3}\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9\-*])"
)
_SITE_REACH: Final = 30


def _path_url_ids(text: str) -> list[tuple[str, int, int, int]]:
    """``(host, url start, id start, id end)`` of every ID on a path-style host."""
    found = []
    for m in _PATH_HOST_RE.finditer(text):
        prefix = _HOST_PREFIX_RE.search(text, max(0, m.start() - 12), m.start())
        start = prefix.start() if prefix else m.start()
        if not after(text, start, _HOST_BEFORE):
            continue  # "mybandus.com", an e-mail domain …
        path = _PATH_ID_RE.match(text, m.end())
        if path is None:
            continue
        s, e = path.start("id"), path.end("id")
        while e > s and text[e - 1] in ".-_":
            e -= 1
        found.append((m.group(), start, s, e))
    return found


def find_urls(text: str) -> list[Hit]:
    """Personal URLs: IDs on blog/SNS/code hosts, ``ID.tistory.com``-style sites, labelled domains."""
    hits = []
    covered = []
    for host, start, s, e in _path_url_ids(text):
        covered.append((start, e))
        if e - s < 2 or text[s:e].lower() in _NOT_IDS or text[e:e + 1] == "*" or company_before(text, start, 30):
            continue
        hits.append(mask_id_hit("messenger" if host in _MESSENGER_HOSTS else "url", s, e))
    for m in _SUB_HOST_RE.finditer(text):
        s = m.start()
        floor = max(0, s - 63)
        while s > floor and text[s - 1] in ID_CHARS and text[s - 1] != ".":
            s -= 1
        covered.append((s, m.end()))
        if m.start() - s < 2 or not after(text, s, _DOT) or company_before(text, s, 30):
            continue
        hits.append(mask_id_hit("url", s, m.start()))
    covered.sort()
    starts = [a for a, _ in covered]
    for label in _PERSONAL_SITE_LABEL_RE.finditer(ascii_lower(text)):
        newline = text.find("\n", label.end(), label.end() + _SITE_REACH)
        limit = newline if newline != -1 else min(len(text), label.end() + _SITE_REACH)
        m = _DOMAIN_RE.search(text, label.end(), limit)
        if m is None or not after(text, m.start(), _DOMAIN_BEFORE) or text[m.end():m.end() + 1] == "@":
            continue
        i = bisect.bisect_left(starts, m.end())  # hosts starting before the domain ends
        if i and max(b for _, b in covered[max(0, i - 4):i]) > m.start():
            continue  # a host found above, with its ID
        hits.append(mask_id_hit("url", m.start("id"), m.end("id")))
    return hits
