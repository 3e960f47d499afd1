"""Context words that decide whether a number, address or link is the seeker's or a company's.

Masking protects the *seeker's* personal data (and that of people named in their documents). A
company's representative number, office line, role mailbox (``recruit@``), homepage or official
account is published business information: masking it hides what a counsellor needs and is
counted as over-masking. The words before a candidate (on the same line, a few characters back)
decide: the nearest company word (회사, 대표번호, 고객센터, 본사, 사무실, 공식 …) makes it the
company's, unless a personal word (휴대폰, 자택, 본인, 개인 …) stands between. Without either, a
candidate is personal — when unsure, mask.

Mobile numbers and RRN-shaped numbers are stricter: a company word nearby says nothing about whose
they are ("전 회사 동료 김철수 010-…", "사업자번호 없음 주민 900101-…"), so only a label naming the
company's line (대표번호, 회사 전화, 고객센터 …) or number (사업자등록번호, 법인등록번호) right
before them, separators between, makes them the company's; a bracketed personal word after a
number ("(개인)") overrides every company word.
"""

from __future__ import annotations

import re
from typing import Final

_COMPANY: Final = (
    r"대표[ \t]?(?:번호|전화|연락처|메일|이메일|계정)|대표(?![가-힣])|회사(?!원)|본사|지사|지점|사무실|사무소|매장|점포|"
    r"업체|사업장|사업체|공장|센터(?!장)|창고|연구소|영업소|사업소|출장소|대리점|가맹점|고객[ \t]?(?:상담|지원|문의)|"
    r"구인처|구인[ \t]?(?:업체|기업)|채용[ \t]?(?:담당|문의|사이트|페이지|홈페이지|공고)|인사[ \t]?(?:팀|부|과)|총무[ \t]?(?:팀|부)|"
    r"\(주\)|주식회사|유한회사|법인|기업|기관|공식|브랜드|쇼핑몰|홈페이지|"
    r"(?i:company|office|corp\.?|inc\.?|ltd\.?|co\.,?|headquarters|hq|main[ \t]line|customer[ \t](?:service|center|care)|"
    r"call[ \t]center|official)(?![A-Za-z])"
)
_PERSONAL: Final = (
    r"휴대[ \t]?(?:폰|전화)|핸드폰|폰[ \t]?번호|자택|(?<![가-힣])집(?:[ \t]?전화)?|본인|"
    r"개인(?:[ \t]?(?:홈페이지|웹사이트|사이트|블로그|번호|메일|계정|연락처))?|비상|긴급|배우자|가족|저의|제[ \t](?:번호|연락처|휴대폰)|"
    r"(?i:h\.?p\.?|mobile|cell(?:phone)?|home|personal|private)(?![A-Za-z])"
)
_CONTEXT_RE: Final = re.compile(rf"(?P<company>{_COMPANY})|(?P<personal>{_PERSONAL})")
# A company word right after the number in brackets: "02-3456-1201 (회사)", "(사무실)".
_COMPANY_AFTER_RE: Final = re.compile(
    r"[ \t]*[(\[][ \t]*(?:회사|사무실|본사|대표|매장|지점|고객센터|직장|company|office)(?:[ \t]?(?:번호|전화|대표))?[ \t]*[)\]]",
    re.IGNORECASE,
)
# A personal word right after the number in brackets overrides every company word: "회사 010-… (개인)".
_PERSONAL_AFTER_RE: Final = re.compile(
    r"[ \t]*[(\[][ \t]*(?:개인|본인|휴대폰|핸드폰|자택|집|personal|private|mobile|home)[^()\[\]\n]{0,8}[)\]]",
    re.IGNORECASE,
)
# Labels that make a *mobile* number the company's. A company word anywhere nearby is not enough
# ("전 회사 동료 김철수 010-…", "학생회 대표 010-…", "법인영업 3년. 010-…"): a company may hand out a
# mobile as its line, but only a label naming the line itself, followed by nothing but separators,
# says so ("대표번호: 010-…", "고객센터 010-…", "회사 전화 | 010-…").
_MOBILE_COMPANY_LABEL_RE: Final = re.compile(
    r"(?:대표[ \t]?(?:번호|전화|연락처|휴대폰)|(?:회사|사무실|매장|지점|본사|업체)[ \t]?(?:전화|번호|연락처|대표[ \t]?번호|대표[ \t]?전화)|"
    r"(?:고객|상담|콜|서비스|민원|A/?S|AS|안내)[ \t]?센터|고객[ \t]?(?:상담|지원|문의)(?:[ \t]?(?:전화|번호))?|"
    r"(?i:main[ \t]line|customer[ \t](?:service|center|care)|call[ \t]center|office[ \t](?:phone|number|line)))"
    r"(?:[ \t]*\([^()\n]{0,12}\))?[ \t:：|=()\[\]\-.,]*$"
)
# Registration numbers of companies are shaped like RRNs ("법인등록번호 110111-1234567").
# The label must stand right before the number (only separators between): "사업자번호 없음 주민
# 900101-…" is a person's RRN after all.
_CORPORATE_NUMBER_RE: Final = re.compile(
    r"(?:법인[ \t]?(?:등록)?[ \t]?번호|사업자[ \t]?(?:등록)?[ \t]?번호|(?i:corporate[ \t]?(?:registration[ \t]?)?(?:number|no\.?)))"
    r"(?:[ \t]*\([^()\n]{0,10}\))?[ \t:：|=()\[\]]*$"
)


def _window(text: str, start: int, reach: int) -> tuple[int, int]:
    line_start = text.rfind("\n", max(0, start - reach), start) + 1
    return max(line_start, start - reach), start


def company_before(text: str, start: int, reach: int) -> bool:
    """Whether the nearest context word in the ``reach`` characters before ``start`` is a company's.

    Args:
        text: The (normalised) text.
        start: Where the candidate starts.
        reach: How far back to look; the line start bounds it too.
    """
    lo, hi = _window(text, start, reach)
    last = None
    for m in _CONTEXT_RE.finditer(text, lo, hi):
        last = m
    return last is not None and last.lastgroup == "company"


def company_after(text: str, end: int) -> bool:
    """Whether a bracketed company word follows the candidate ("… (회사)")."""
    return _COMPANY_AFTER_RE.match(text, end) is not None


def personal_after(text: str, end: int) -> bool:
    """Whether a bracketed personal word follows the candidate ("… (개인)", "(본인 휴대폰)")."""
    return _PERSONAL_AFTER_RE.match(text, end) is not None


def company_mobile_label_before(text: str, start: int, reach: int = 24) -> bool:
    """Whether a label naming a company's line (대표번호, 회사 전화, 고객센터 …) stands right before
    ``start``, only separators between."""
    lo, hi = _window(text, start, reach)
    return _MOBILE_COMPANY_LABEL_RE.search(text, lo, hi) is not None


def corporate_number_before(text: str, start: int, reach: int = 24) -> bool:
    """Whether a 법인등록번호/사업자등록번호 label stands right before an RRN-shaped number."""
    lo, hi = _window(text, start, reach)
    return _CORPORATE_NUMBER_RE.search(text, lo, hi) is not None


ROLE_MAILBOXES: Final = frozenset((
    "recruit", "recruiting", "recruitment", "hr", "hrd", "help", "helpdesk", "info", "information", "contact",
    "cs", "admin", "support", "jobs", "job", "career", "careers", "webmaster", "master", "sales", "hire",
    "hiring", "apply", "service", "biz", "business", "marketing", "pr", "press", "noreply", "no-reply",
    "office", "team", "hello", "ask", "privacy", "inquiry", "qna", "customer", "order", "account", "accounts",
    "billing", "notice", "news", "ir", "partner", "partners", "insa", "chaeyong", "people", "talent",
))
"""Local parts of role mailboxes (a company's, not a person's): ``recruit@``, ``hr.team@`` …"""


def is_role_mailbox(local: str) -> bool:
    """Whether an e-mail local part names a role (``recruit``, ``hr.team``, ``help2``), not a person."""
    head = re.split(r"[._\-+]", local.lower(), maxsplit=1)[0].rstrip("0123456789")
    return head in ROLE_MAILBOXES
