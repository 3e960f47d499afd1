"""Mask Korean personal data (PII) in free text before it is displayed, summarised, logged or exported.

Whose data: the *seeker's* (and that of other people named in their documents — family,
references). A company's published business data is not masked: its representative numbers
(15XX/16XX/18XX, issued to businesses only), landlines labelled 대표번호/대표전화/회사/본사/사무실/
고객센터 … (a mobile only right after a label naming the company's line, such as 대표번호 or
고객센터), role mailboxes (``recruit@``, ``hr@``, ``info@`` …), homepages and official accounts,
사업자·법인등록번호; nor 자격증 번호 (a licence meant to be shown to employers), dates of events,
amounts, posting/course/order codes or versions. When the words around a candidate do not say
it is a company's, it is masked. (:mod:`app.text.pii_context` holds those words.)

What is found and how it is masked (résumés, cover letters, counsellor notes):

* 주민등록번호 / 외국인등록번호 ``YYMMDD-GNNNNNN`` (any dash, ``_``, ``.``, spaces, or none): fully,
  ``******-*******`` — the front half is the birth date, so it is hidden too.
* 여권번호 (``M12345678``, ``M123A4567``; other countries' after a 여권/passport label) and
  운전면허번호 (``11-15-123456-78``, ``서울 12-345678-90``): every letter and digit — like the RRN
  they are 고유식별정보 (개인정보 보호법 제24조).
* Bank accounts after 계좌/통장/입금/account or a bank name: every digit.
* Phones (mobile 010/011/016-019, ``+82``, 02 and regional landlines, 070/080/050X), also written
  with ``ㅡ``, ``·``, ``/``, ``O`` for 0, full-width digits or Sino-Korean numerals (공일공 …): the
  middle group, keeping the separators: ``010-****-5678``.
* E-mail, also spelled out (``id(at)naver.com``, ``id [at] naver [dot] com``, ``id 골뱅이 daum.net``,
  ``id at gmail dot com``): first two characters of the local part, then ``***``: ``as***@naver.com``.
* Messenger IDs (카카오톡, 텔레그램, 라인, 위챗, 디스코드, 잘로 …, ``t.me/ID``, open chat links), SNS
  handles after their service's name, personal URLs (``blog.naver.com/ID``, ``ID.tistory.com``,
  ``github.com/ID``, a domain after 포트폴리오/개인 홈페이지): the ID's first two characters, then
  ``***`` (:mod:`app.text.pii_ids`).
* Road-name and lot-number addresses: everything after the 시도 and 시군구(+구): ``인천광역시 부평구 ***``.
* Birth dates after 생년월일/출생/생일/DOB/Born labels (``1988-08-06``, ``90.03.05``, ``05/03/1990``,
  ``March 5, 1990``) or followed by 생/에 태어나/출생: year only, ``1988-**-**``.
* Names passed by the caller, 2-4 syllable names after 성명/이름/작성자/예금주/구직자 … labels, a
  surname and one or two syllables before 님/씨 (``박민수 님``), and every other occurrence of
  those; Latin names after ``Name:``: ``이○숙``, ``K** M****``.

Basis: 개인정보 보호법 제24조 and 제24조의2 for 고유식별정보 and RRNs, and the 표시제한 (partial
display) practice of 행정안전부 「개인정보의 안전성 확보조치 기준」 guidance for the other items.

NFKC first: every finder reads the text after NFKC normalisation (:class:`app.text.pii_base.View`),
so ``０１０－１２３４``, ``＠`` and no-break spaces look like their ASCII forms; offsets are mapped
back, and the output keeps the original characters outside masked spans and the kept characters
inside them (full-width digits are masked in place: ``０１０－****－５６７８``).

Why hand-written patterns and not Microsoft Presidio: Presidio's analyzer needs a spaCy (or
Stanza/transformers) language model downloaded at install or run time, and it ships no Korean
recognisers — its RRN-like, phone and address recognisers are for US/UK/other formats — so every
Korean recogniser would be written here as a regex anyway, with Presidio adding a model download
(the app runs offline by default), hundreds of MB of dependencies, and NER that has no Korean
model to run. What Presidio would add on top — context words that raise a candidate's score — is
done here by :mod:`app.text.pii_context` for the company-versus-seeker decision the issue needs.
Korean NER for unlabelled names (e.g. a KoELECTRA model) would need weights the offline app
cannot download; names are therefore found by label, honorific and the caller's known names.

Everything is standard-library ``re`` over ``str`` (no Streamlit, no new dependencies). No pattern
can backtrack catastrophically (quantifiers are bounded or cannot overlap, and label scans start
at a literal and read a bounded window), so scanning is linear in the text length; masking is
idempotent (``bench/pii_quality.py`` measures quality and throughput).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from app.text.pii_base import DASHES, Hit, View, after, apply_hits, masked_hit
from app.text.pii_context import (
    company_after,
    company_before,
    company_mobile_label_before,
    corporate_number_before,
    is_role_mailbox,
    personal_after,
)
from app.text.pii_ids import (
    ascii_lower,
    find_accounts,
    find_handles,
    find_licenses,
    find_passports,
    find_urls,
    literal_alternation,
)

if TYPE_CHECKING:  # pandas is only needed by mask_frame; importing it here would slow every import
    import pandas as pd

__all__ = [
    "PII_KINDS",
    "PiiSpan",
    "find_pii",
    "mask_address",
    "mask_counts",
    "mask_email",
    "mask_frame",
    "mask_name",
    "mask_phone",
    "mask_pii",
    "mask_rrn",
    "mask_with_counts",
]

PII_KINDS: Final[tuple[str, ...]] = (
    "rrn", "passport", "driver_license", "bank_account", "phone", "email", "messenger", "sns", "url", "address",
    "birth_date", "name",
)
"""Kinds of personal data :func:`find_pii` reports."""


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text.

    Attributes:
        kind: One of :data:`PII_KINDS`.
        start: Offset of the first character in the original text.
        end: Offset just past the last character.
        text: The original substring ``text[start:end]``.
    """

    kind: str
    start: int
    end: int
    text: str



# --------------------------------------------------------------------------------------------
# Shared character classes
# --------------------------------------------------------------------------------------------
# Hyphen look-alikes people paste from word processors and PDFs (‐ ‑ ‒ – — ― − ﹘ ﹣ －).
_DASHES: Final = DASHES + "\uff0d"  # the single-value maskers read text that was not normalised
_HANGUL: Final = "가-힣"
_BLANK: Final = "[ \\t\u00a0\u3000]"  # horizontal white space only: PII never spans lines

# Overlaps are resolved by kind, first wins. Addresses go first because an address span only
# starts with a Hangul 시도 name, so an ASCII phone/e-mail/RRN can only overlap it *inside* the part
# that is masked anyway; if those won, a labelled address line holding a phone would stay visible.
# Then the 고유식별정보 (whose shapes are the most specific), accounts (a 농협 account can look like a
# phone number), e-mails before the IDs and URLs that could be read inside them, phones, dates, names.
_PRIORITY: Final = (
    "address", "rrn", "driver_license", "passport", "bank_account", "email", "url", "messenger", "sns", "phone",
    "birth_date", "name",
)

# Masking re-scans its own output until nothing changes. One pass is enough for real text; the
# re-scan catches contrived overlaps (a name glued to an address, "성명 | 서울 강남구 …") where
# masking one span exposes another, so that mask_pii stays idempotent. Every changing pass turns
# letters or digits into mask characters, so it settles quickly; the cap only bounds the work.
_MAX_PASSES: Final = 4

# Patterns start with a literal or a character set rather than a look-behind: the regex engine can
# then skip ahead to candidate characters, several times faster on long texts. The "not preceded
# by" rule is checked in code on each hit instead; a hit rejected that way never hides a valid
# one, because any later start inside it is preceded by the same kind of character.
_DIGITS: Final = frozenset("0123456789")


_after = after  # the name the finders below were written with


# --------------------------------------------------------------------------------------------
# 주민등록번호 (and 외국인등록번호, G = 5-8)
# --------------------------------------------------------------------------------------------
_RRN_RE: Final = re.compile(
    r"[0-9]{2}(?:"
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"  # YYMMDD must be a plausible date
    # Any dash, "_" or "." (people type what the form lets them), blanks, or nothing between.
    # G is any digit (0-9: 1800s-2000s, 5-8 foreigners); the tail may already be starred by the
    # writer ("880806-1******"), which still reveals the birth date, so it is caught as well.
    # After a dash, a blank may follow G too ("990909-2 345678").
    rf"(?:{_BLANK}{{0,2}}[{_DASHES}_.]{_BLANK}{{0,2}}[0-9]{_BLANK}?|(?: )?[0-9])"
    # or YY-MM-DD-G with one dash or dot throughout ("90-01-01-1234567")
    r"|(?P<ds>[\-.])(?:0[1-9]|1[0-2])(?P=ds)(?:0[1-9]|[12][0-9]|3[01])(?P=ds)[0-9]"
    r")"
    r"[0-9*]{6}"
    r"(?![0-9*])"
)
_RRN_MASK: Final = "******-*******"


def _find_rrns(text: str) -> list[Hit]:
    return [
        Hit("rrn", m.start(), m.end(), (_RRN_MASK,))
        for m in _RRN_RE.finditer(text)
        # not the tail of a longer digit run, nor a company's 법인등록번호 (same shape)
        if _after(text, m.start(), _DIGITS) and not corporate_number_before(text, m.start())
    ]


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------
# Separators: dashes (ㅡ included), dots, middle dots, slashes, or blanks.
# "_" and "~" too (010_1234_5678, 010~1234~5678), and the particle 에 between groups read out
# ("공일공에 일이삼사에 오육칠팔").
_SEP: Final = rf"(?:{_BLANK}?[{_DASHES}.·\u119e\u318d/\u2022\u2219_~\u301c\uff5e]{_BLANK}?|{_BLANK}?에{_BLANK}?|{_BLANK})"
_AREA: Final = r"01[016789]|02|03[1-3]|04[1-4]|05[1-5]|06[1-4]|070|080|050[2-8]"
_PHONE_RE: Final = re.compile(
    r"(?:"
    # +82 drops the trunk 0: +82 10-1234-5678, +82-2-123-4567, +82 (0)10 ...
    rf"\+{_BLANK}?82{_BLANK}?(?:[{_DASHES}.]{_BLANK}?)?(?:\(0\){_BLANK}?)?"
    r"(?P<iarea>1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80)"
    rf"|\({_BLANK}?(?P<parea>{_AREA}){_BLANK}?\)"
    rf"|(?P<area>{_AREA})(?P<close>{_BLANK}?\))?"  # "02) 765-4321" as well
    r")"
    rf"(?P<s1>{_SEP})?"
    r"(?P<mid>[0-9]{3,4})"
    rf"(?P<s2>{_SEP})?"
    r"(?P<last>[0-9]{4})"
    rf"(?![0-9]|[{_DASHES}.][0-9])"  # "010-1234-5678-9" is some other identifier
)
# 대표번호 1588-1234 (15XX/16XX/18XX): issued to businesses only, so never the seeker's; kept by
# find_pii, masked only when a caller asks mask_phone for it.
_REP_RE: Final = re.compile(
    r"(?P<head>1[568][0-9]{2})"
    rf"(?P<sep>{_BLANK}?[{_DASHES}]{_BLANK}?)"
    r"(?P<last>[0-9]{4})"
    # Not a range of amounts or years ("1500-2000만원", "1850-1900년").
    rf"(?![0-9]|[{_DASHES}.][0-9]|{_BLANK}?(?:[만천억원년명개건%]|시간))"
)


_PHONE_BEFORE: Final = frozenset("0123456789+")
# How far back a company word may stand before a landline ("회사 대표전화 | 02-…", "본사 전화
# 02-…, 팩스 02-…"). A mobile number needs a label naming the company's line right before it.
_LANDLINE_CONTEXT_REACH: Final = 30


def _phone_ok(m: re.Match[str]) -> bool:
    if not _after(m.string, m.start(), _PHONE_BEFORE):
        return False
    if m.group("area") is None or m.group("close") is not None:  # +82 or (02): clearly written as a phone
        return True
    # Ten or eleven bare digits are a phone only with a mobile prefix; for landline prefixes they
    # are as likely an account or order number.
    return m.group("area").startswith("01") or m.group("s1") is not None or m.group("s2") is not None


def _is_mobile(m: re.Match[str]) -> bool:
    area = m.group("area") or m.group("parea")
    return area.startswith("01") if area else m.group("iarea").startswith("1")


def _company_phone(text: str, m: re.Match[str]) -> bool:
    """A company's number by the words around it (대표번호, 회사, 고객센터 … / "(회사)" after)."""
    return _company_phone_at(text, m.start(), m.end(), mobile=_is_mobile(m))


def _company_phone_at(text: str, start: int, end: int, *, mobile: bool) -> bool:
    if personal_after(text, end):
        return False  # "회사 010-1234-5678 (개인)"
    if company_after(text, end):
        return True
    if mobile:
        # A mobile is the seeker's (or a recruiter's own) unless a label names it the company's line.
        return company_mobile_label_before(text, start)
    return company_before(text, start, _LANDLINE_CONTEXT_REACH)


_REP_BEFORE: Final = frozenset("0123456789+." + _DASHES.replace("\\", ""))


def _mask_phone_match(m: re.Match[str]) -> str:
    s = m.string
    return s[m.start():m.start("mid")] + "*" * len(m.group("mid")) + s[m.end("mid"):m.end()]


def _mask_rep_match(m: re.Match[str]) -> str:
    return m.group("head") + m.group("sep") + "****"


# Other countries' numbers (foreign seekers write "+84 912 345 678"): the country code and the
# last four digits stay, the digits between are hidden.
_INTL_PHONE_RE: Final = re.compile(r"\+(?!82)[1-9][0-9]{0,2}(?:[ \t]?[\-.]?[ \t]?\(?[0-9]{1,5}\)?){2,5}(?![0-9])")


# A mobile number typed digit by digit with blanks between ("0 1 0 1 2 3 4 5 6 7 8"): no group
# shape to go by, so the middle digits (all but the first three and the last four) are hidden.
_SPACED_MOBILE_RE: Final = re.compile(r"0[ \t]1[ \t][016789](?:[ \t][0-9]){7,8}(?![0-9])")
_SPACED_BEFORE_RE: Final = re.compile(r"[0-9+][ \t]\Z")


def _spaced_mobile_hit(m: re.Match[str]) -> Hit | None:
    text = m.string
    if not _after(text, m.start(), _PHONE_BEFORE) or _SPACED_BEFORE_RE.search(text, max(0, m.start() - 2), m.start()):
        return None  # the tail of a longer run of spaced digits
    digits = [i for i in range(m.start(), m.end()) if text[i] in _DIGITS]
    return masked_hit("phone", m.start(), m.end(), [(i, i + 1, "*") for i in digits[3:-4]])


def _intl_phone_hit(m: re.Match[str]) -> Hit | None:
    text = m.string
    code = re.match(r"\+[0-9]{1,3}", m.group()).end() + m.start()
    digits = [i for i in range(code, m.end()) if text[i] in _DIGITS]
    if not 7 <= len(digits) <= 13:
        return None
    return masked_hit("phone", m.start(), m.end(), [(i, i + 1, "*") for i in digits[:-4]])


def _find_phones(view: View) -> list[Hit]:
    # The folded text reads "공일공", "O1O" and full-width digits as digits; offsets are the same.
    text = view.folded
    hits = [
        masked_hit("phone", m.start(), m.end(), [(m.start("mid"), m.end("mid"), "*" * len(m.group("mid")))])
        for m in _PHONE_RE.finditer(text)
        if _phone_ok(m) and not _company_phone(view.text, m)
    ]
    for m in _SPACED_MOBILE_RE.finditer(text):
        hit = _spaced_mobile_hit(m)
        if hit is not None and not _company_phone_at(view.text, m.start(), m.end(), mobile=True):
            hits.append(hit)
    for m in _INTL_PHONE_RE.finditer(text):
        hit = _intl_phone_hit(m) if _after(text, m.start(), _DIGITS) else None
        if hit is not None and not _company_phone_at(view.text, m.start(), m.end(), mobile=True):
            hits.append(hit)
    return hits


# --------------------------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------------------------
# ASCII only, so a Korean particle glued to the address ("...@naver.com으로") is not swallowed.
# The scan starts at each "@" (or a spelled-out at) and walks back over the local part: a regex
# trying every start of a long run of letters would be quadratic.
_LOCAL_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_LOCAL_MAX: Final = 64  # RFC 5321 limit; a longer run before "@" is not an address
_DOMAIN_RE: Final = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}")
# Addresses written to dodge harvesters: "id(at)naver.com", "id [at] naver [dot] com",
# "id 골뱅이 daum.net", "id at gmail dot com", "id@naver .com", "id 골뱅이 네이버닷컴".
_AT_RE: Final = re.compile(
    r"[(\[{<][ \t]{0,3}(?i:at|골뱅이|앳)[ \t]{0,3}[)\]}>]|골뱅이|앳"
    r"|(?<=[ \t])(?P<word>(?i:at))(?=[ \t])"
)
_DOT: Final = (
    r"(?:[ \t]?\.[ \t]?|[ \t]{0,3}[(\[{<][ \t]{0,3}(?i:dot|점|닷)[ \t]{0,3}[)\]}>][ \t]{0,3}"
    r"|[ \t]{1,3}(?i:dot)[ \t]{1,3}|[ \t]?닷[ \t]?)"
)
_PORTALS: Final = r"네이버|다음|한메일|지메일|구글|네이트|카카오|핫메일|아웃룩"
_LOOSE_DOMAIN_RE: Final = re.compile(
    rf"[A-Za-z0-9\-]{{1,63}}(?:{_DOT}[A-Za-z0-9\-]{{1,63}}){{0,3}}{_DOT}[A-Za-z]{{2,24}}(?![A-Za-z0-9])"
    rf"|(?:{_PORTALS})(?:[ \t]?(?:닷컴|닷넷|메일|(?i:\.com|\.net)))?"
)
_SPACED_DOT_DOMAIN_RE: Final = re.compile(
    r"[A-Za-z0-9\-]{1,63}(?:[ \t]?\.[ \t]?[A-Za-z0-9\-]{1,63}){0,3}[ \t]?\.[ \t]?[A-Za-z]{2,24}(?![A-Za-z0-9])"
)
_EMAIL_LABEL_RE: Final = re.compile(r"메일|(?i:e-?mail)")
# A comma typed for the dot before a common top-level domain: "minsu.kim@gmail,com".
_COMMA_DOMAIN_RE: Final = re.compile(
    r"[A-Za-z0-9\-]{1,63}(?:[.,][A-Za-z0-9\-]{1,63}){0,3},[ \t]?(?i:com|net|org|kr|io|me|co)(?![A-Za-z0-9])"
)
_AT_GAP: Final = 2  # blanks allowed around "@" ("minsu.kim @ gmail.com")


def _mask_local(local: str) -> str:
    keep = 1 if len(local) <= 2 else 2
    return local[:keep] + "***"


def _local_start(text: str, at: int) -> int:
    start = at
    floor = max(0, at - _LOCAL_MAX - 1)
    while start > floor and text[start - 1] in _LOCAL_CHARS:
        start -= 1
    return start


def _email_hit(text: str, start: int, at: int, end: int) -> Hit | None:
    local = text[start:at]
    if not local or at - start > _LOCAL_MAX or is_role_mailbox(local):
        return None  # recruit@, hr@ … are a company's mailboxes, not a person's
    keep = 1 if len(local) <= 2 else 2
    return masked_hit("email", start, end, [(start + keep, at, "***")])


def _find_emails(text: str) -> list[Hit]:
    hits = []
    at = text.find("@")
    while at != -1:
        local_end, domain_start = at, at + 1
        if at > 0 and text[at - 1] in " \t" and text[at + 1:at + 2] in (" ", "\t"):
            # Blanks on both sides only ("minsu.kim @ gmail.com"): "Insta @chef.minho" is a handle.
            while local_end > 0 and at - local_end < _AT_GAP and text[local_end - 1] in " \t":
                local_end -= 1
            while domain_start < len(text) and domain_start - at <= _AT_GAP and text[domain_start] in " \t":
                domain_start += 1
        start = _local_start(text, local_end)
        domain = (_DOMAIN_RE.match(text, domain_start) or _SPACED_DOT_DOMAIN_RE.match(text, domain_start)
                  or _LOOSE_DOMAIN_RE.match(text, domain_start)  # "id@naver dot com", "id@네이버"
                  or _COMMA_DOMAIN_RE.match(text, domain_start))
        if start < local_end and domain is not None:
            hit = _email_hit(text, start, local_end, domain.end())
            if hit is not None:
                hits.append(hit)
            at = text.find("@", domain.end())
        else:
            at = text.find("@", at + 1)
    for m in _AT_RE.finditer(text):
        at, after_at = m.start(), m.end()
        for _ in range(3):  # blanks around a spelled-out at ("id (at) naver.com")
            at -= at > 0 and text[at - 1] in " \t"
            after_at += after_at < len(text) and text[after_at] in " \t"
        start = _local_start(text, at)
        domain = _LOOSE_DOMAIN_RE.match(text, after_at)
        if start == at or domain is None:
            continue
        if m.group("word") is not None:
            # A plain " at " is an e-mail only when the name looks like an ID or a label says so.
            local = text[start:at]
            if not (set(local) & set("._0123456789") or _EMAIL_LABEL_RE.search(text, max(0, start - 20), start)):
                continue
        hit = _email_hit(text, start, at, domain.end())
        if hit is not None:
            hits.append(hit)
    return hits


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
_SIDO_NAMES: Final = (
    "서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시", "울산광역시",
    "세종특별자치시", "경기도", "강원특별자치도", "강원도", "충청북도", "충청남도", "전북특별자치도",
    "전라북도", "전라남도", "경상북도", "경상남도", "제주특별자치도", "제주도",
    "서울시", "부산시", "대구시", "인천시", "광주시", "대전시", "울산시", "세종시",
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
    "전북", "전남", "경북", "경남", "제주",
)
_SIDO_ALT: Final = "|".join(sorted(_SIDO_NAMES, key=len, reverse=True))  # longest first
# A 시도 starts a word and is followed by a blank ("인천광역시에서" is prose, not an address).
_SIDO_RE: Final = re.compile(rf"(?:{_SIDO_ALT})(?={_BLANK})")
_HANGUL_SET: Final = frozenset(chr(c) for c in range(0xAC00, 0xD7A4))
_SIGUNGU: Final = rf"[{_HANGUL}]{{1,6}}(?:군|구)|[{_HANGUL}]{{1,6}}시(?:{_BLANK}+[{_HANGUL}]{{1,6}}구)?"
# A building/lot number ends an address part unless a unit word follows ("경기 침체로 5년").
_NUM_END: Final = rf"(?![0-9]|{_BLANK}?(?:년|개월|월|일|명|개|시간|시|분|세|살|회|차|대|건|원|만|%))"
# After a unit word only a particle may follow: "506호에" yes, "2호선" (a subway line) no.
_UNIT_END: Final = rf"(?=[^0-9{_HANGUL}]|[에의은는이가을를로와과도만서]|\Z)"
_ROAD: Final = (
    rf"[{_HANGUL}0-9·]{{0,20}}[{_HANGUL}0-9](?:로|길)(?:{_BLANK}?[0-9]{{1,4}}번?가?길)?"
    rf"{_BLANK}*(?:지하{_BLANK}?)?[0-9]{{1,5}}(?:-[0-9]{{1,5}})?{_NUM_END}"
)
_LOT: Final = (
    rf"[{_HANGUL}0-9]{{1,10}}(?:동|리|가)(?:[0-9]{{1,2}}가)?{_BLANK}*(?:산{_BLANK}?)?"
    rf"[0-9]{{1,5}}(?:-[0-9]{{1,5}})?(?:{_BLANK}?번지)?{_NUM_END}"
)
_BUILDING: Final = (
    rf"(?:[{_HANGUL}A-Za-z0-9·]{{1,20}}{_BLANK}+){{0,3}}"
    rf"[0-9]{{1,5}}(?:-[0-9]{{1,5}})?{_BLANK}?(?:번지|호|동){_UNIT_END}"
)
# Matched right after the 시도. The kept prefix ends where group "rest" (읍/면 onwards) starts.
_ADDR_HEAD_RE: Final = re.compile(
    rf"{_BLANK}+"
    rf"(?:(?P<sgg>{_SIGUNGU}){_BLANK}+)?"
    rf"(?P<rest>(?:[{_HANGUL}]{{1,6}}(?:읍|면){_BLANK}+)?"
    rf"(?:{_ROAD}|{_LOT}|{_BUILDING}))"
)
_BUILDING_WORDS: Final = (
    "아파트", "빌라", "빌딩", "타워", "오피스텔", "맨션", "하이츠", "파크", "스퀘어", "캐슬", "자이",
    "푸르지오", "래미안", "힐스테이트", "아이파크", "주공", "시티", "상가", "프라자", "플라자",
    "센터", "하우스", "주택", "원룸", "기숙사", "빌",
)
# Unit details that may follow the core in running text: ", 122동 1502호", " 3층", " (해오름스퀘어)".
# Bare numbers are not taken: "테헤란로 12 010 1234 5678" is an address followed by a phone.
_ADDR_TAIL_RE: Final = re.compile(
    rf"(?:{_BLANK}*,{_BLANK}*|{_BLANK}+)?"
    r"(?:"
    rf"(?:지하{_BLANK}?)?[0-9]{{1,5}}(?:-[0-9]{{1,5}})?{_BLANK}?(?:호실|번지|동|호|층){_UNIT_END}"
    rf"|[A-Za-z]{_BLANK}?동(?![{_HANGUL}])"
    rf"|[{_HANGUL}A-Za-z0-9]{{1,20}}(?:{'|'.join(_BUILDING_WORDS)})(?:{_BLANK}?[0-9]{{1,3}}차)?{_UNIT_END}"
    r"|\([^()\n|]{1,40}\)"
    r")"
)
# "주소 | ..." / "현주소: ..." — a labelled field holds nothing but the address up to its end.
_ADDR_LABEL_RE: Final = re.compile(
    rf"(?:주{_BLANK}?소지?|거주지|자택|소재지|[Aa]ddress){_BLANK}*(?:\([^()\n]{{0,10}}\){_BLANK}*)?"
    rf"[:：|]{_BLANK}*\Z"
)
_ADDR_LABEL_WINDOW: Final = 24  # chars looked back for a label; bounded so the scan stays linear
# Where a labelled address field ends: newline, column bar, tab, a wide gap, or the next "label:".
_ADDR_STOP_RE: Final = re.compile(
    rf"[\n\r\t|]|{_BLANK}{{2,}}|[,;]{_BLANK}*[{_HANGUL}A-Za-z.\- ]{{1,12}}{_BLANK}*[:：]"
)
_ADDR_MAX_TAIL: Final = 200  # an address field is never longer; caps the work per 시도 hit


def _find_addresses(text: str) -> list[Hit]:
    hits: list[Hit] = []
    n = len(text)
    last_end = 0
    for sido in _SIDO_RE.finditer(text):
        start = sido.start()
        if start < last_end or not _after(text, start, _HANGUL_SET):
            continue  # inside an address already taken, or the end of a longer word
        head = _ADDR_HEAD_RE.match(text, sido.end())
        if head is None:
            continue  # a bare region ("희망 근무지 | 인천광역시", "인천광역시 지역에서") is no address
        keep = head.start("rest")
        end = head.end()
        limit = min(n, end + _ADDR_MAX_TAIL)
        if _ADDR_LABEL_RE.search(text, max(0, start - _ADDR_LABEL_WINDOW), start):
            stop = _ADDR_STOP_RE.search(text, end, limit)
            end = stop.start() if stop else limit
            while end > head.end() and text[end - 1] in " \t\u00a0\u3000":
                end -= 1
        else:
            # In running text the sentence goes on after the address, so only unit details are taken.
            while end < limit:
                tail = _ADDR_TAIL_RE.match(text, end, limit)
                if tail is None or tail.end() == end:
                    break
                end = tail.end()
        hits.append(masked_hit("address", start, end, [(keep, end, "***")]))
        last_end = end
    return hits


# --------------------------------------------------------------------------------------------
# Birth dates
# --------------------------------------------------------------------------------------------
_DSEP: Final = r"[ \t]*[\-./][ \t]*"
_MONTHS: Final = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_DATE: Final = (
    rf"(?:(?P<y>(?:19|20)[0-9]{{2}}){_DSEP}(?P<m>[0-9]{{1,2}}){_DSEP}(?P<d>[0-9]{{1,2}})(?![0-9])"
    r"|(?P<ky>(?:19|20)?[0-9]{2})[ \t]*년[ \t]*(?P<km>[0-9]{1,2})[ \t]*월[ \t]*(?P<kd>[0-9]{1,2})[ \t]*일"
    r"|(?P<cy>(?:19|20)?[0-9]{2})(?P<cmd>(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])"
    # 05/03/1990 (day or month first) and 90.03.05 (two-digit year first)
    rf"|(?P<a>[0-9]{{1,2}}){_DSEP}(?P<b>[0-9]{{1,2}}){_DSEP}(?P<ey>(?:19|20)[0-9]{{2}})(?![0-9])"
    rf"|(?P<sy>[0-9]{{2}}){_DSEP}(?P<sm>[0-9]{{1,2}}){_DSEP}(?P<sd>[0-9]{{1,2}})(?![0-9])"
    # March 5, 1990 / 5 March 1990
    rf"|(?P<en>(?i:{_MONTHS}))\.?[ \t]+(?P<ed>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?:19|20)[0-9]{{2}}(?![0-9])"
    rf"|(?P<ed2>[0-9]{{1,2}})(?:st|nd|rd|th)?[ \t]+(?P<en2>(?i:{_MONTHS}))\.?,?[ \t]+(?:19|20)[0-9]{{2}}(?![0-9])"
    # a birthday without the year: "생일 3월 14일"
    r"|(?P<nm>[0-9]{1,2})[ \t]*월[ \t]*(?P<nd>[0-9]{1,2})[ \t]*일"
    r")"
)
# After a birthday label only, a month and a day alone: "생일 3/5", "생일 3.5" (elsewhere a fraction
# or a decimal).
_LABELLED_DATE: Final = (
    rf"(?:{_DATE}|(?P<lm>[0-9]{{1,2}})[ \t]*[/.][ \t]*(?P<ld>[0-9]{{1,2}})(?![0-9]|[ \t]*[/.][ \t]*[0-9]))"
)
_BIRTH_LABELS: Final = (
    "생년월일", "생년 월일", "출생일", "출생", "생일", "생년", "date of birth", "birth date", "birthdate", "birthday",
    "born on", "born", "d.o.b.", "d.o.b", "dob",
)
_BIRTH_LABEL_RE: Final = re.compile(literal_alternation(*_BIRTH_LABELS))
_AFTER_BIRTH_LABEL_RE: Final = re.compile(
    # a particle may follow the label: "생일은 3월 5일입니다", "생년월일이 …"
    rf"(?:은|는|이|이요|:)?{_BLANK}*(?:\([^()\n]{{0,12}}\){_BLANK}*)?(?:[:：|]{_BLANK}*)?(?P<date>{_LABELLED_DATE})"
)
# "나이 34세 (1990.03.05)", "만 34세, 1990-03-05": a full date right after an age is the birth date.
_AGE_DATE_RE: Final = re.compile(
    rf"[0-9]{{1,3}}{_BLANK}?(?:세|살){_BLANK}*[(,/]{_BLANK}*(?:생년월일|생일|출생)?[:：]?{_BLANK}*(?P<date>{_DATE})"
)
_AGE_WORD_RE: Final = re.compile(rf"[세살]{_BLANK}*[(,/]")
# "1988년 8월 6일생", "1988.08.06 생", "1994년 5월 3일에 태어나", "1990.3.5 출생" — the date is
# followed by a word for born, not preceded by a label. Found from that word backwards: trying a
# date at every digit of a long text costs far more.
_BORN_RE: Final = re.compile(rf"생(?=[^{_HANGUL}]|이|으로|입|임|\Z)|에[ \t]?태어|출생(?![{_HANGUL}])")
_BIRTH_SUFFIX_RE: Final = re.compile(rf"(?P<date>{_DATE}){_BLANK}?\Z")
_BORN_WINDOW: Final = 24  # longest date form, "September 30th, 1988", plus a blank
_STAR_GROUPS: Final = (
    "m", "d", "km", "kd", "cmd", "a", "b", "sm", "sd", "en", "ed", "ed2", "en2", "nm", "nd", "lm", "ld",
)
_MONTH_DAY: Final = (("m", "d"), ("km", "kd"), ("sm", "sd"), ("nm", "nd"), ("lm", "ld"))


def _group(m: re.Match[str], name: str) -> str | None:
    """A named group's text, ``None`` when it did not take part or the pattern has no such group."""
    return m.group(name) if name in m.re.groupindex else None


def _plausible(m: re.Match[str]) -> bool:
    for mg, dg in _MONTH_DAY:
        if _group(m, mg) is not None:
            return 1 <= int(m.group(mg)) <= 12 and 1 <= int(m.group(dg)) <= 31
    if m.group("a") is not None:
        a, b = int(m.group("a")), int(m.group("b"))
        return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12
    return True


def _birth_hit(m: re.Match[str]) -> Hit | None:
    if not _plausible(m):
        return None
    # A fixed width, so "8월" and "08월" give the same mask and the digit count leaks nothing.
    hide = [
        (m.start(g), m.end(g), "****" if g == "cmd" else "***" if g in ("en", "en2") else "**")
        for g in _STAR_GROUPS
        if _group(m, g) is not None
    ]
    return masked_hit("birth_date", m.start("date"), m.end("date"), hide)


def _find_birth_dates(text: str) -> list[Hit]:
    matches = []
    for label in _BIRTH_LABEL_RE.finditer(ascii_lower(text)):
        m = _AFTER_BIRTH_LABEL_RE.match(text, label.end())
        if m is not None:
            matches.append(m)
    for age in _AGE_WORD_RE.finditer(text):
        # From the age word back to its digits, then the date after it (a scan for the word is
        # much faster than trying the date pattern at every digit).
        start = age.start()
        start -= start > 0 and text[start - 1] in " \t"
        digits = start
        while digits > 0 and start - digits < 3 and text[digits - 1] in _DIGITS:
            digits -= 1
        if digits == start or not _after(text, digits, _DIGITS):
            continue
        m = _AGE_DATE_RE.match(text, digits)
        if m is not None:
            matches.append(m)
    for born in _BORN_RE.finditer(text):
        m = _BIRTH_SUFFIX_RE.search(text, max(0, born.start() - _BORN_WINDOW), born.start())
        if m is not None and _after(text, m.start(), _DIGITS):
            matches.append(m)
    hits = [_birth_hit(m) for m in matches]
    return [h for h in hits if h is not None]


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
_SURNAME_CHARS: Final = (
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추"
    "도석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
)
_DOUBLE_SURNAME_ALT: Final = "남궁|황보|제갈|선우|독고|사공|서문"
_NAME_LABEL_RE: Final = re.compile(
    r"(?P<label>성[ \t]?명|이[ \t]?름|성함|작성자|지원자(?:[ \t]?성명|명)?|신청인|구직자(?:[ \t]?성명|명)?|"
    r"담당자|보호자|대표자|예금주|내담자|참여자|훈련생)"
    rf"(?:{_BLANK}*\([^()\n]{{1,10}}\)(?=[ \t:：|]))?"
    rf"(?:{_BLANK}*[:：|]{_BLANK}*|(?P<paren>{_BLANK}*\({_BLANK}*)|(?P<weak>{_BLANK}+))"
    # A surname written apart from the given name ("남궁 민수", "김 민수") is tried first: otherwise
    # only the surname would be taken and the given name would stay readable.
    rf"(?P<name>(?:{_DOUBLE_SURNAME_ALT}|[{_SURNAME_CHARS}]){_BLANK}[{_HANGUL}]{{2}}(?![{_HANGUL}○])"
    rf"|(?:{_DOUBLE_SURNAME_ALT}){_BLANK}[{_HANGUL}](?![{_HANGUL}○])"
    rf"|[{_HANGUL}]{{2,4}}|[{_HANGUL}](?: [{_HANGUL}]){{1,3}})(?![{_HANGUL}○])"
    # Without ":" or "|" the label must be a signature line ("작성자 이아숙 (인)"), end the line or
    # its bracket, or come before 님/씨, otherwise "이름 모를 꽃" would lose a word.
    rf"(?(weak)(?={_BLANK}*(?:\((?:인|서명|印)\)|인(?![{_HANGUL}])|$|[),/·]|님|씨)))"
    rf"(?(paren)(?={_BLANK}*\)))",
    re.MULTILINE,
)
# Only these may be followed by a name with a mere blank; "보호자 가능자" is a posting requirement.
_WEAK_LABELS: Final = frozenset(("성명", "이름", "작성자", "신청인", "예금주", "구직자", "내담자", "참여자", "지원자"))
# After these a name needs a common surname too: "지원자 이동욱," yes, "지원자 모집," no.
_SURNAME_LABELS: Final = frozenset(("예금주", "구직자", "내담자", "참여자", "지원자"))
# Column headers that follow a 성명 header in a table are not names.
_NOT_NAMES: Final = frozenset((
    "생년월일", "연락처", "주소", "현주소", "이메일", "성별", "나이", "비고", "서명", "직위", "직급",
    "휴대폰", "휴대전화", "전화번호", "주민번호", "학력", "경력", "본인", "미상", "없음", "기재",
    "한글", "한자", "영문", "국적", "관계", "소속", "부서", "연령", "날짜", "일자",
    "성명", "이름", "성함", "작성자", "지원자", "신청인", "담당자", "보호자", "대표자", "예금주", "내담자",
    "참여자", "구직자", "훈련생", "요청", "상담", "연락", "변경", "동의", "확인", "희망", "면담", "본인명의",
    # words real postings put after 담당자/지원자 ("재무회계 담당자(시니어)", "경력 지원자 우대")
    "시니어", "주니어", "신입", "신입가능", "경력무관", "인턴", "수습", "우대", "모집", "환영", "가능", "필수",
    "우선", "채용", "정규직", "계약직", "파견직", "위촉직", "프리랜서", "리드", "매니저", "책임", "선임",
)) | frozenset(_SIDO_NAMES)  # "성명 | 서울 …" is a misfilled form, and 서울 is kept by the address mask
# Job levels in brackets ("담당자(과장급)", "담당자(리드급)") are no names either.
_NOT_NAME_ENDINGS: Final = ("급", "직", "년차")
# Labels that name a person when a bracket follows them ("성명(이아숙)", "구직자(유재석)"); after
# 담당자/대표자 ("영업 담당자 (시니어)") real postings put the level, region or field in brackets.
_PAREN_NAME_LABELS: Final = frozenset((
    "성명", "이름", "성함", "작성자", "예금주", "보호자", "구직자", "내담자", "참여자", "훈련생", "신청인", "지원자",
))


def _label_names(text: str) -> set[str]:
    found = set()
    for m in _NAME_LABEL_RE.finditer(text):
        if not _after(text, m.start(), _HANGUL_SET):  # "작성자" inside "공동작성자란" …
            continue
        label = m.group("label").replace(" ", "").replace("\t", "")
        name = m.group("name").replace(" ", "")
        if m.group("weak") is not None and (
            label not in _WEAK_LABELS or (label in _SURNAME_LABELS and not _has_surname(name))
        ):
            continue
        if m.group("paren") is not None and (
            label not in _PAREN_NAME_LABELS or (label in _SURNAME_LABELS and not _has_surname(name))
        ):
            continue  # "영업 담당자 (국내)", "검수 담당자 (간호사)": a role's note, not a person
        if name not in _NOT_NAMES and not name.endswith(_NOT_NAME_ENDINGS):
            found.add(name)
    return found


_NAME_MAX: Final = 40  # longer "names" are not names, and would nest the trie pattern too deeply


# The gap a name may have between syllables ("이 아 숙"). Names are searched in the NFKC view, where
# U+00A0 and U+3000 are already plain spaces, so the gap needs only " " and tab; a class holding those
# two (as _BLANK does) costs Python's regex compiler a 64K-character bitmap at every gap: 0.7 ms of
# CPU to compile one note's names instead of 0.17 (one compile per text with names: 18,000 notes).
_NAME_GAP: Final = "[ \t]?"


def _trie_pattern(node: dict[str, dict], first: bool) -> str:
    """Regex for every word below a trie node (``""`` marks a word end)."""
    alts = []
    for ch in sorted(k for k in node if k):
        sep = "" if first else _NAME_GAP  # also written with blanks between syllables ("이 아 숙")
        alts.append(sep + re.escape(ch) + _trie_pattern(node[ch], False))
    if "" in node:
        # A Latin name must end a word; a Hangul name may not, because particles attach directly
        # ("이아숙은"). Listed after the longer continuations so that "남궁민수" beats "남궁민".
        alts.append(node[""].get("end", ""))
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def _names_regex(names: Iterable[str]) -> re.Pattern[str] | None:
    trie: dict[str, dict] = {}
    for raw in names:
        name = "".join(ch for ch in raw if not ch.isspace())
        if not 2 <= len(name) <= _NAME_MAX:
            continue
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {"end": "(?![A-Za-z0-9])"} if (name[-1].isascii() and name[-1].isalnum()) else {}
    if not trie:
        return None
    # One trie-shaped pattern instead of an alternation of names: the engine then tests a single
    # character set per position however many names there are. (That a Korean name starts a
    # word — "공정우선" must not yield the name 정우 — is checked in _find_names.)
    return re.compile(_trie_pattern(trie, True))


# Letters before a name make it part of a longer word. Digits do not ("2번이아숙"), and must not:
# a digit before a name may be masked to "*", and the result has to mask the same way (idempotence);
# "○" stands for a masked syllable, so it counts as one.
_NAME_BEFORE: Final = _HANGUL_SET | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ○")


# "김민수 님", "이아숙 씨": a surname, one or two syllables, then an honorific. Common nouns before
# 님 that start with a surname syllable (고객님, 이사님, 선생님 …) are no names.
_SURNAMES: Final = _SURNAME_CHARS
_DOUBLE_SURNAMES: Final = frozenset(_DOUBLE_SURNAME_ALT.split("|"))
_HONORIFIC_RE: Final = re.compile(
    rf"(?P<name>(?:{'|'.join(_DOUBLE_SURNAMES)}|[{_SURNAMES}])[{_HANGUL}]{{1,2}})(?:{_BLANK}?님|{_BLANK}씨(?![앗름족알]))"
)
_NOT_HONOURED_NAMES: Final = frozenset((
    "고객", "선생", "부장", "과장", "차장", "대리", "사원", "주임", "이사", "상무", "전무", "사장", "회장", "원장",
    "교수", "박사", "기사", "강사", "소장", "반장", "조장", "점장", "실장", "국장", "계장", "주무관", "구직자",
    "지원자", "담당자", "신청인", "상담사", "상담원", "면접관", "선배", "후배", "고모", "이모", "사모", "도련",
    "부모", "하나", "아버", "어머", "할머", "할아버", "작가", "감독", "코치", "목사", "신부", "수녀", "회원", "학생",
    "교장", "교감", "간호사", "의사", "약사", "위원", "의원", "시장", "군수", "구청장", "도지사", "장관", "총장",
    "학장", "팀원", "기장", "선장", "장모", "장인", "원생", "훈련생", "수강생", "교육생", "참여자", "내담자",
    "고객사", "관계자", "책임자", "관리자", "사업주", "사업자", "대표자", "보호자", "임원", "직원", "동료", "친구",
    "조카", "자녀", "아드", "따님", "아드님", "손님", "형님", "누님", "언니", "오빠", "여러분", "주인", "사부",
    "스승", "은사", "노무사", "변호사", "세무사", "회계사", "법무사", "공인", "중개사", "요양사", "복지사", "치료사",
    "조리사", "미용사", "영양사", "기술사", "정비사", "운전사", "남편", "부인", "아내", "가족", "민원인", "주민",
    "이용자", "이용객", "구인자", "구인처", "채용", "인사", "성도", "신도", "교우", "도반", "연구원", "선임", "수석",
    "책임", "전임", "부원장", "원감", "사감", "반원", "조원", "동기", "기관장", "대표", "이사장", "부사장", "부회장",
    # job titles and roles people are addressed by (조교님, 공장장님 …): a title is no name
    "조교", "공장장", "변리사", "안내원", "편집장", "모델", "고문", "기자", "교사", "교관", "조교수", "부교수",
    "주방장", "조리장", "공장", "조합장", "지점장", "본부장", "부서장", "센터장", "사무장", "현장소장",
    "기관사", "감정평가사", "관세사", "손해사정사", "변리", "도선사", "항해사", "기관장", "통역사", "번역가", "번역사",
    "안내", "경비원", "미화원", "배달원", "판매원", "상담가", "설계사", "감리", "감리원", "감독관", "조사관", "심사관",
    "검사", "판사", "보좌관", "비서", "비서관", "총무", "간사", "서기", "멘토", "멘티", "강연자", "연사",
    "진행자", "사회자", "고문관", "조무사", "간병인", "요양보호사", "보육교사", "방문객", "문의자", "지도사",
    "지도자", "지도교수", "편집자", "작업자", "생산자", "구매자", "판매자", "배송기사", "택배기사", "정비공", "용접공",
    "도장공", "목수", "공인중개사", "사무관", "서기관", "주사", "장학사", "연구관", "연구사", "조사원",
    "면접자", "응시자", "수험생", "합격자", "신입", "경력자", "인턴", "공무원", "기술자", "전문가", "전문위원",
))
# "Name: Kim Minji" — a Latin name after an English label; each word keeps its first letter.
_LATIN_NAME_RE: Final = re.compile(
    r"(?i:name)[ \t]*[:|][ \t]*(?P<name>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){1,2})(?![A-Za-z])"
)


def _has_surname(name: str) -> bool:
    return name[0] in _SURNAMES or name[:2] in _DOUBLE_SURNAMES


# "김과장님", "이대리님": a surname and a job title — the surname alone identifies nobody.
_TITLES: Final = frozenset((
    "과장", "대리", "부장", "차장", "팀장", "사장", "실장", "주임", "이사", "대표", "선생", "교수", "기사", "반장", "소장",
    "원장", "국장", "계장", "상무", "전무", "회장", "사원", "조장", "점장", "강사", "작가", "감독", "코치", "박사", "변호사",
    "세무사", "노무사", "매니저", "선배", "후배", "군", "양", "씨",
))


def _honoured_names(text: str) -> set[str]:
    found = set()
    for m in _HONORIFIC_RE.finditer(text):
        name = m.group("name")
        if not _after(text, m.start(), _HANGUL_SET) or name in _NOT_HONOURED_NAMES or name in _NOT_NAMES:
            continue
        if name[1:] in _TITLES or name[2:] in _TITLES:
            continue
        found.add(name)
    return found


def _name_hit(text: str, start: int, end: int) -> Hit:
    idx = [i for i in range(start, end) if not text[i].isspace()]
    keep = {idx[0]} if len(idx) == 2 else {idx[0], idx[-1]} if len(idx) > 2 else set()
    return masked_hit("name", start, end, [(i, i + 1, "○") for i in idx if i not in keep])


# "Project Name: Clinical Healthcare System", "Company Name: …": a thing's name, not a person's
# (seen over and over in real English résumés). Only a person's label may stand before "Name".
_LATIN_PERSON_NAME_WORDS: Final = frozenset(("full", "first", "last", "given", "family", "candidate", "applicant", "my"))
_LATIN_WORD_BEFORE_RE: Final = re.compile(r"([A-Za-z]+)[ \t]*\Z")


def _latin_name_hits(text: str) -> list[Hit]:
    hits = []
    for m in _LATIN_NAME_RE.finditer(text):
        before = _LATIN_WORD_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
        if before is not None and before.group(1).lower() not in _LATIN_PERSON_NAME_WORDS:
            continue
        hide = []
        for word in re.finditer(r"[A-Za-z]+", m.group("name")):
            a = m.start("name") + word.start()
            hide.append((a + 1, a + len(word.group()), "*" * (len(word.group()) - 1)))
        hits.append(masked_hit("name", m.start("name"), m.end("name"), hide))
    return hits


def _find_names(text: str, names: Iterable[str]) -> list[Hit]:
    hits = _latin_name_hits(text)
    rx = _names_regex([*names, *_label_names(text), *_honoured_names(text)])
    if rx is None:
        return hits
    return hits + [_name_hit(text, m.start(), m.end()) for m in rx.finditer(text) if _after(text, m.start(), _NAME_BEFORE)]


# --------------------------------------------------------------------------------------------
# Finding and masking
# --------------------------------------------------------------------------------------------
def _as_names(names: Sequence[str] | str | None) -> tuple[str, ...]:
    if not names:
        return ()
    if isinstance(names, str):  # names="이아숙" would otherwise iterate single syllables
        return (names,)
    return tuple(n for n in names if isinstance(n, str))


def _normalised_names(names: Sequence[str] | str | None) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFKC", n) for n in _as_names(names))


def _find_hits(view: View, names: Sequence[str]) -> list[Hit]:
    text = view.text
    finders: dict[str, Callable[[str], list[Hit]]] = {
        "address": _find_addresses,
        "rrn": _find_rrns,
        "driver_license": find_licenses,
        "passport": find_passports,
        "bank_account": find_accounts,
        "email": _find_emails,
        "url": find_urls,
        "birth_date": _find_birth_dates,
    }
    # Messengers and SNS handles come from one scan (their labels share the grammar); URLs report
    # t.me and open.kakao.com links as messengers.
    found: dict[str, list[Hit]] = {kind: [] for kind in _PRIORITY}
    for finder in finders.values():
        for hit in finder(text):
            found[hit.kind].append(hit)
    for hit in find_handles(text):
        found[hit.kind].append(hit)
    found["phone"] = _find_phones(view)
    found["name"] = _find_names(text, names)
    accepted: list[Hit] = []
    for kind in _PRIORITY:
        group = found[kind]
        if not group:
            continue
        group.sort(key=lambda h: (h.start, h.start - h.end))
        kept: list[Hit] = []
        j = 0
        group_end = -1
        for hit in group:
            # accepted is sorted and non-overlapping, and hits come by start: a two-pointer sweep
            # keeps the whole resolution linear.
            while j < len(accepted) and accepted[j].end <= hit.start:
                j += 1
            if j < len(accepted) and accepted[j].start < hit.end:
                continue
            if hit.start < group_end:
                continue
            kept.append(hit)
            group_end = hit.end
        if kept:
            accepted = sorted(accepted + kept, key=lambda h: h.start)
    return accepted


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")


def find_pii(text: str, *, names: Sequence[str] = ()) -> list[PiiSpan]:
    """Find personal data in a text.

    Args:
        text: Any string (résumé, cover letter, counsellor note …).
        names: Known names of the person (e.g. the seeker's name); every occurrence is reported,
            also with blanks between syllables. Names after 성명/이름/작성자 labels are found
            without being passed, and then every other occurrence of them too.

    Returns:
        Non-overlapping spans sorted by ``start``; offsets index into ``text`` (the original, not
        its NFKC form). When candidates overlap, the kind earlier in :data:`_PRIORITY` wins
        (address, rrn, driver_license, passport, bank_account, email, url, messenger, sns, phone,
        birth_date, name).
    """
    _check_text(text)
    view = View(text)
    spans = []
    for hit in _find_hits(view, _normalised_names(names)):
        start, end = view.orig(hit.start), view.orig(hit.end)
        if start < end:
            spans.append(PiiSpan(hit.kind, start, end, text[start:end]))
    return spans


def mask_pii(text: str, *, names: Sequence[str] = ()) -> str:
    """Replace every piece of personal data in a text by its masked form.

    Args:
        text: Any string.
        names: Known names of the person, as for :func:`find_pii`.

    Returns:
        The text with every kind of :data:`PII_KINDS` masked (see the module docstring); all
        other characters are unchanged, and kept characters inside a masked span keep their
        original form (full-width digits stay full-width). ``mask_pii(mask_pii(t)) == mask_pii(t)``.
    """
    return mask_with_counts(text, names=names)[0]


def mask_with_counts(text: str, *, names: Sequence[str] = ()) -> tuple[str, dict[str, int]]:
    """:func:`mask_pii` and how many spans of each kind it masked, in one scan.

    Args:
        text: Any string.
        names: Known names of the person, as for :func:`find_pii`.

    Returns:
        ``(masked text, {kind: count})`` with every kind of :data:`PII_KINDS` in the counts.
    """
    _check_text(text)
    names = _normalised_names(names)
    counts = dict.fromkeys(PII_KINDS, 0)
    out = text
    for _ in range(_MAX_PASSES):
        view = View(out)
        hits = _find_hits(view, names)
        masked = apply_hits(view, hits)
        if masked == out:
            break
        for hit in hits:
            counts[hit.kind] += 1
        out = masked
    return out, counts


def mask_counts(text: str, *, names: Sequence[str] = ()) -> dict[str, int]:
    """Count the personal data found in a text, by kind.

    Args:
        text: Any string.
        names: Known names of the person, as for :func:`find_pii`.

    Returns:
        ``{kind: count}`` with every kind of :data:`PII_KINDS` present (0 when none was found).
    """
    counts = dict.fromkeys(PII_KINDS, 0)
    for span in find_pii(text, names=names):
        counts[span.kind] += 1
    return counts


# --------------------------------------------------------------------------------------------
# Single-value maskers
# --------------------------------------------------------------------------------------------
def mask_name(name: str) -> str:
    """Mask a person's name, keeping the first and the last syllable.

    Args:
        name: ``"이아숙"``, ``"남궁민수"``, ``"이 아 숙"`` …

    Returns:
        ``"이○숙"``, ``"남○○수"``, ``"이 ○ 숙"``; a two-syllable name keeps the first (``"김민"`` →
        ``"김○"``) and a single character becomes ``"○"``. Blanks stay where they were.
    """
    idx = [i for i, ch in enumerate(name) if not ch.isspace()]
    if not idx:
        return name
    keep = {idx[0]} if len(idx) == 2 else {idx[0], idx[-1]} if len(idx) > 2 else set()
    chars = list(name)
    for i in idx:
        if i not in keep:
            chars[i] = "○"
    return "".join(chars)


def mask_rrn(rrn: str) -> str:
    """Mask a 주민등록번호 or 외국인등록번호 completely.

    Args:
        rrn: ``"880806-2441294"``, ``"8808062441294"``, ``"880806 – 2441294"`` …

    Returns:
        ``"******-*******"`` for anything shaped like an RRN (the front half is the birth date,
        so it is hidden too); for other strings every digit becomes ``*``.
    """
    if _RRN_RE.fullmatch(unicodedata.normalize("NFKC", rrn).strip()):  # a find_pii span may be full-width
        return _RRN_MASK
    return re.sub(r"\d", "*", rrn)


def mask_phone(phone: str) -> str:
    """Mask the middle group of a phone number, keeping its separators.

    Args:
        phone: ``"010-1234-5678"``, ``"01012345678"``, ``"+82 10-1234-5678"``, ``"02-123-4567"``,
            ``"1588-1234"`` …

    Returns:
        ``"010-****-5678"``, ``"010****5678"``, ``"+82 10-****-5678"``, ``"02-***-4567"``,
        ``"1588-****"``. A string in no known format keeps only its first three and last four
        digits (all digits are masked when it has eight or fewer).
    """
    m = _PHONE_RE.fullmatch(phone)
    if m is not None and _phone_ok(m):
        return _mask_phone_match(m)
    m = _REP_RE.fullmatch(phone)
    if m is not None and _after(phone, 0, _REP_BEFORE):
        return _mask_rep_match(m)
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    hide = set(digits[3:-4]) if len(digits) > 8 else set(digits)
    return "".join("*" if i in hide else ch for i, ch in enumerate(phone))


def mask_email(email: str) -> str:
    """Mask the local part of an e-mail address.

    Args:
        email: ``"asuk_lee@naver.com"``.

    Returns:
        ``"as***@naver.com"``: the first two characters of the local part (one when it has only
        one or two), then ``***``; the domain is kept. Without an ``@`` the whole string is
        treated as the local part.
    """
    local, at, domain = email.rpartition("@")
    if not at:
        return _mask_local(email) if email else email
    if local.endswith("***"):  # already masked
        return email
    return f"{_mask_local(local)}@{domain}"


_SIDO_START_RE: Final = re.compile(rf"{_BLANK}*(?:{_SIDO_ALT})")
_SGG_AFTER_RE: Final = re.compile(rf"{_BLANK}+(?:{_SIGUNGU})(?={_BLANK}|\Z)")


def mask_address(address: str) -> str:
    """Mask an address below the 시군구.

    Args:
        address: ``"인천광역시 부평구 경인로 91, 506호"``, ``"경기도 수원시 팔달구 효원로 1"``,
            ``"세종특별자치시 한누리대로 2130"`` …

    Returns:
        ``"인천광역시 부평구 ***"``, ``"경기도 수원시 팔달구 ***"``, ``"세종특별자치시 ***"``. A
        string that does not start with a 시도 becomes ``"***"``; one with nothing after the
        시도/시군구 is returned unchanged.
    """
    sido = _SIDO_START_RE.match(address)
    if sido is None:
        return "***" if address.strip() else address
    keep = sido.end()
    sgg = _SGG_AFTER_RE.match(address, keep)
    if sgg is not None:
        keep = sgg.end()
    rest = address[keep:]
    if not rest.strip():
        return address
    return address[:keep] + " ***"


def mask_frame(
    frame: pd.DataFrame, columns: Sequence[str], *, names_column: str | None = None
) -> pd.DataFrame:
    """Mask personal data in text columns of a table (e.g. before a CSV export).

    Args:
        frame: The table; it is not modified.
        columns: Text columns to pass through :func:`mask_pii`. Cells that are not strings
            (``None``, NaN, numbers) are left as they are.
        names_column: Column holding each row's known name (a string, or a list of strings),
            passed as ``names`` for that row. It may be one of ``columns`` too.

    Returns:
        A copy of ``frame`` with the given columns masked.

    Raises:
        KeyError: If a column is missing.
    """
    import pandas as pd  # lazy: see the TYPE_CHECKING import at the top

    missing = [c for c in [*columns, *([names_column] if names_column else [])] if c not in frame.columns]
    if missing:
        raise KeyError(f"mask_frame: no such column(s): {', '.join(map(str, missing))}")
    out = frame.copy()
    row_names = [_cell_names(v) for v in frame[names_column]] if names_column else [()] * len(frame)
    for col in columns:
        values = [mask_pii(v, names=n) if isinstance(v, str) else v for v, n in zip(frame[col], row_names, strict=True)]
        dtype = frame[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):  # masked strings are new values, not categories
            dtype = object
        out[col] = pd.Series(values, index=frame.index, dtype=dtype)
    return out


def _cell_names(value: object) -> tuple[str, ...]:
    """Names held in one cell of the ``names_column``: a string, a list/tuple of them, or none."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(v for v in value if isinstance(v, str))
    return ()
