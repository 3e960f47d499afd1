"""Sources, statements and the faithfulness check of the counselling copilot.

A copilot output is a list of :class:`Statement` s. Each cites one or more :class:`Source` s: a
record field ("희망 임금: 월 250만원"), a sentence of the résumé, cover letter or a counsellor note,
a model output (the employment model's probability and reasons), a reference-table row or a domain
fact (a benefit rule with its law). A statement without a source is refused.

The faithfulness check (:func:`check_statement`) extracts every *checkable claim* of a statement —
numbers (money compared as amounts: "월 250만원" = "2,500,000원"), dates, organisations,
certificates and occupations — and requires each to be found in the sources given to the task.
Organisations, certificates and occupations are recognised from a :class:`Vocabulary` (the
reference tables' names and the organisations of public employment services) and by their
suffixes ("…기능사", "…공단", "…센터"), so a name the sources never mention is caught even when
no table lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from app.text.pii import find_pii, mask_pii

# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Source:
    """One piece of evidence a statement may cite.

    Attributes:
        key: Stable key within one output ("record.desired_wage", "cover.3", "note.2.1",
            "model.employment", "table.occupation.231", "fact.benefit_period").
        label: Korean label shown when the counsellor opens it ("구직자 기록 · 희망 임금").
        text: The evidence itself, masked ("희망 임금: 월 250만원").
    """

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Statement:
    """One sentence of an output and the sources it rests on.

    Attributes:
        text: The sentence (empty when the check removed it).
        sources: Keys of the :class:`Source` s it cites.
        kind: The task's category of the sentence (a diagnosis has ``strength``, ``barrier`` …).
        removed: Korean reason when the faithfulness check removed the sentence (its text is not
            shown; the page shows the mark instead).
        detail: Task-specific extra text (a Q&A statement's question, a summary item's due date).
    """

    text: str
    sources: tuple[str, ...]
    kind: str = ""
    removed: str = ""
    detail: str = ""

    @property
    def shown(self) -> bool:
        """Whether the sentence is shown (it passed the check)."""
        return not self.removed


@dataclass(frozen=True)
class Claim:
    """A checkable claim in a sentence: ``kind`` is number, money, date, organisation, certificate or
    occupation; ``value`` its normalised form; ``surface`` as written."""

    kind: str
    value: str
    surface: str


CLAIM_LABELS: dict[str, str] = {"number": "숫자", "money": "금액", "date": "날짜", "organisation": "기관",
                                "certificate": "자격증", "occupation": "직종"}
"""Korean name of each claim kind (the removal marks say which claim had no source)."""

# --------------------------------------------------------------------------- vocabulary

PUBLIC_ORGANISATIONS: tuple[str, ...] = (
    "고용노동부", "고용센터", "고용복지플러스센터", "한국고용정보원", "한국산업인력공단", "근로복지공단",
    "한국장애인고용공단", "한국폴리텍대학", "고용24", "워크넷", "HRD-Net", "큐넷", "Q-Net", "국민연금공단",
    "국민건강보험공단", "여성새로일하기센터", "새일센터", "중장년내일센터", "청년센터", "일자리센터",
    "지방고용노동청", "노동위원회", "국세청",
)
"""Organisations of the Korean employment services a copilot text may name (each still needs a source)."""

_ORGANISATION_SUFFIX = re.compile(
    r"[가-힣A-Za-z0-9]{2,}(?:공단|센터|재단|협회|진흥원|연구원|위원회|대학교|학원|아카데미|고용청|노동청)"
    r"|\(주\)\s?[가-힣A-Za-z0-9]{2,}|㈜\s?[가-힣A-Za-z0-9]{2,}|[가-힣A-Za-z0-9]{2,}\s?주식회사")
_CERTIFICATE_SUFFIX = re.compile(r"[가-힣A-Za-z0-9·]{2,}(?:기능장|기능사|산업기사|기사|기술사|관리사|지도사|상담사|자격증)")
MIN_NAME_CHARS = 3
"""Shortest occupation or certificate name checked: a two-syllable name is too often part of an
ordinary word ("의사" in "의사소통")."""


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Names whose mention is a claim: certificates, occupations and organisations.

    Build it once per reference (:func:`build_vocabulary`); it is read-only.
    """

    certificates: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    organisations: tuple[str, ...] = PUBLIC_ORGANISATIONS
    _patterns: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False)

    def pattern(self, kind: str) -> re.Pattern[str] | None:
        """One alternation of the names of ``kind`` (longest first), or ``None`` when there are none."""
        if kind not in self._patterns:
            names = {"certificate": self.certificates, "occupation": self.occupations,
                     "organisation": self.organisations}[kind]
            usable = sorted({n.strip() for n in names if len(n.strip()) >= MIN_NAME_CHARS}, key=len, reverse=True)
            self._patterns[kind] = re.compile("|".join(map(re.escape, usable))) if usable else None
        return self._patterns[kind]


def build_vocabulary(certificates: Iterable[str], occupations: Iterable[str],
                     organisations: Iterable[str] = ()) -> Vocabulary:
    """A vocabulary of the given names plus :data:`PUBLIC_ORGANISATIONS`.

    Occupation names with a middle dot ("조리사·주방장") count also by each part.
    """
    occupation_names: list[str] = []
    for name in occupations:
        name = str(name).strip()
        occupation_names.append(name)
        occupation_names.extend(part.strip() for part in re.split(r"[·및,]", name) if part.strip() != name)
    return Vocabulary(certificates=tuple(dict.fromkeys(str(c).strip() for c in certificates if str(c).strip())),
                      occupations=tuple(dict.fromkeys(n for n in occupation_names if n)),
                      organisations=tuple(dict.fromkeys([*PUBLIC_ORGANISATIONS, *map(str, organisations)])))


# --------------------------------------------------------------------------- claims

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<y>20\d{2}|19\d{2})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})\.?"),
    re.compile(r"(?P<y>20\d{2}|19\d{2})\s*년\s*(?P<m>\d{1,2})\s*월(?:\s*(?P<d>\d{1,2})\s*일)?"),
    re.compile(r"(?<![\d년])(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    re.compile(r"(?P<y>20\d{2}|19\d{2})\s*[-./]\s*(?P<m>\d{1,2})(?![\d.])"),
)
_MONEY = re.compile(r"(?:(?P<eok>\d[\d,]*)\s*억\s*)?(?:(?P<man>\d[\d,]*(?:\.\d+)?)\s*만\s*)?(?P<won>\d[\d,]*)?\s*원")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _plain(number: str) -> str:
    """"2,500" → "2500", "3.0" → "3", "3.50" → "3.5"."""
    text = number.replace(",", "").rstrip(".")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _dates(text: str) -> tuple[list[Claim], str]:
    """Dates of a text and the text with them blanked (so their digits are not numbers as well)."""
    claims: list[Claim] = []
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            parts = m.groupdict()
            value = "-".join(str(int(parts[k])) for k in ("y", "m", "d") if parts.get(k))
            claims.append(Claim("date", value, m.group(0)))
            spans.append((m.start(), m.end()))
    for s, e in sorted(spans, reverse=True):
        text = text[:s] + " " * (e - s) + text[e:]
    return claims, text


def _money(text: str) -> tuple[list[Claim], str]:
    claims: list[Claim] = []
    spans: list[tuple[int, int]] = []
    for m in _MONEY.finditer(text):
        eok, man, won = m.group("eok"), m.group("man"), m.group("won")
        if not (eok or man or won):
            continue
        amount = (float(_plain(eok)) * 1e8 if eok else 0) + (float(_plain(man)) * 1e4 if man else 0) + (
            float(_plain(won)) if won else 0)
        claims.append(Claim("money", str(int(round(amount))), m.group(0).strip()))
        spans.append((m.start(), m.end()))
    for s, e in sorted(spans, reverse=True):
        text = text[:s] + " " * (e - s) + text[e:]
    return claims, text


def _names(text: str, kind: str, vocabulary: Vocabulary, suffix: re.Pattern[str] | None) -> list[Claim]:
    """Names of ``kind`` in ``text``: the vocabulary's and, by suffix, any other; a match inside a longer
    one is dropped, so "수산양식기술사" is checked as itself and not as the table's "기술사"."""
    spans: list[tuple[int, int, str]] = []
    for pattern in (vocabulary.pattern(kind), suffix):
        if pattern is not None:
            spans += [(m.start(), m.end(), m.group(0).strip()) for m in pattern.finditer(text)]
    kept = [(s, e, name) for s, e, name in spans
            if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in spans)]
    return [Claim(kind, name, name) for name in dict.fromkeys(name for _, _, name in kept)]


def extract_claims(text: str, vocabulary: Vocabulary) -> list[Claim]:
    """Every checkable claim of ``text``: dates, money, other numbers, then organisations,
    certificates and occupations (each distinct claim once)."""
    dates, rest = _dates(str(text))
    money, rest = _money(rest)
    numbers = [Claim("number", _plain(n), n) for n in _NUMBER.findall(rest)]
    names = [*_names(text, "organisation", vocabulary, _ORGANISATION_SUFFIX),
             *_names(text, "certificate", vocabulary, _CERTIFICATE_SUFFIX),
             *_names(text, "occupation", vocabulary, None)]
    unique: dict[tuple[str, str], Claim] = {}
    for claim in [*dates, *money, *numbers, *names]:
        unique.setdefault((claim.kind, claim.value), claim)
    return list(unique.values())


@dataclass(frozen=True)
class Ground:
    """What the sources of one task hold, prepared once for checking many statements."""

    text: str
    compact: str
    numbers: frozenset[str]
    money: frozenset[str]
    dates: frozenset[str]

    @classmethod
    def of(cls, sources: Iterable[Source]) -> Ground:
        """The ground of these sources (their labels and texts)."""
        text = "\n".join(f"{s.label} {s.text}" for s in sources)
        dates, rest = _dates(text)
        money, rest = _money(rest)
        numbers = {_plain(n) for n in _NUMBER.findall(rest)}
        # a money amount's digits also count as a number ("250만원" grounds "250")
        numbers |= {_plain(n) for c in money for n in _NUMBER.findall(c.surface)}
        date_values = {c.value for c in dates}
        # "2026-03-05" also grounds "3월 5일" and "2026년 3월"
        for value in list(date_values):
            parts = value.split("-")
            if len(parts) == 3:
                date_values |= {f"{parts[1]}-{parts[2]}", f"{parts[0]}-{parts[1]}"}
        return cls(text=text, compact=re.sub(r"\s+", "", text), numbers=frozenset(numbers),
                   money=frozenset(c.value for c in money), dates=frozenset(date_values))

    def supports(self, claim: Claim) -> bool:
        """Whether the sources hold the claim."""
        if claim.kind == "number":
            return claim.value in self.numbers or claim.value in self.money
        if claim.kind == "money":
            return claim.value in self.money or (claim.value in self.numbers)
        if claim.kind == "date":
            return claim.value in self.dates
        return re.sub(r"\s+", "", claim.value) in self.compact


def unsupported_claims(text: str, ground: Ground, vocabulary: Vocabulary) -> list[Claim]:
    """The claims of ``text`` its ground does not hold."""
    return [c for c in extract_claims(text, vocabulary) if not ground.supports(c)]


def removal_reason(claims: Sequence[Claim]) -> str:
    """Korean mark of a removed sentence: which claims had no source ("근거 없는 숫자 35, 자격증 용접기사")."""
    parts = [f"{CLAIM_LABELS[c.kind]} {c.surface}" for c in claims[:4]]
    more = f" 외 {len(claims) - 4}개" if len(claims) > 4 else ""
    return "근거에서 확인되지 않는 " + ", ".join(parts) + more


@dataclass(frozen=True)
class CheckResult:
    """Outcome of checking an output's statements.

    Attributes:
        statements: Every statement; those that failed have ``removed`` set and no text.
        claims: Checkable claims in the statements that passed.
        failed: Statements removed.
        pii_masked: Statements in which personal data was found (and masked) before showing.
    """

    statements: tuple[Statement, ...]
    claims: int
    failed: int
    pii_masked: int


def check_statements(statements: Sequence[Statement], sources: Sequence[Source], vocabulary: Vocabulary, *,
                     ground: Ground | None = None) -> CheckResult:
    """The faithfulness check of one output.

    A statement is removed (and marked) when it cites no source, cites a source the task was not
    given, or states a claim the task's sources do not hold. Personal data found in a kept
    statement is masked (it is counted: the sources were masked, so any is a leak to report).

    Args:
        statements: The output's statements (any backend).
        sources: The sources given to the task.
        vocabulary: Names that count as claims.
        ground: The sources' prepared ground (built when not given).

    Returns:
        The checked statements and counts.
    """
    known = {s.key for s in sources}
    ground = ground or Ground.of(sources)
    checked: list[Statement] = []
    claims = failed = pii = 0
    for statement in statements:
        if statement.removed:
            checked.append(statement)
            failed += 1
            continue
        reason = ""
        cited = [k for k in statement.sources if k in known]
        if not statement.text.strip():
            reason = "빈 문장"
        elif not statement.sources:
            reason = "근거가 없는 문장"
        elif len(cited) < len(statement.sources):
            reason = "주어지지 않은 근거를 인용한 문장"
        else:
            text = statement.text + " " + statement.detail
            bad = unsupported_claims(text, ground, vocabulary)
            if bad:
                reason = removal_reason(bad)
            else:
                claims += len(extract_claims(text, vocabulary))
        if reason:
            failed += 1
            checked.append(replace(statement, text="", detail="", removed=reason))
            continue
        if find_pii(statement.text) or find_pii(statement.detail):
            pii += 1
            statement = replace(statement, text=mask_pii(statement.text), detail=mask_pii(statement.detail))
        checked.append(statement)
    return CheckResult(tuple(checked), claims, failed, pii)


def sources_by_key(sources: Iterable[Source]) -> Mapping[str, Source]:
    """Key → source."""
    return {s.key: s for s in sources}
