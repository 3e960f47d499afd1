"""자기소개서 첨삭: feedback on a seeker's cover letter and a grounded rewrite the counsellor accepts piece by piece.

The offline composer reads the masked letter sentence by sentence (the sentences of
:func:`app.copilot.context.split_sentences`, cited as ``cover.N``) and writes four kinds of feedback:

* **구성** — length against a usual range, the parts a letter is expected to have (지원 동기, 직무 역량·경험,
  입사 후 포부; 성장 과정 optional) found from headings or cue words, contact data that belongs in the résumé;
* **근거** — strength claims without an experience behind them, sentences that do show one, a certificate
  the seeker already holds written as a future goal, a career length longer than the record's;
* **적합성** — for a chosen posting (:class:`PostingFacts`) or, without one, the desired occupation of the
  reference tables: which requirements the letter addresses, which the record holds but the letter never
  mentions, which neither shows;
* **표현** — clichés, sentences over :data:`LONG_SENTENCE_CHARS` characters, the same ending again and
  again, plain or 해요-style endings among formal ones, and spacing errors that can be told without a
  dictionary ("할수 있", "하는것", double blanks, a blank before a full stop).

The rewrite is a list of ``rewrite`` statements, one per changed sentence; ``detail`` names the place:
``"cover.3"`` (replace sentence 3), ``"after:cover.3"`` (insert after it) or ``"delete:cover.3"``. Its
changes are mechanical (a cliché adverb dropped, spacing and endings fixed, an over-long sentence split
at a clause ending) or add a fact of the seeker's own record (a duty of the résumé, the career length, a
certificate held) after a vague strength claim — never a fact the sources do not hold. A model's rewrite
goes through the same faithfulness check; :func:`hunks_from_output` then builds :class:`Hunk` s from the
statements that were kept, re-checking each against the seeker's own sources (a posting's requirement is
not something the seeker has), and :func:`apply_hunks` applies the accepted ones to the letter, leaving
every other character as it was.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from app.copilot.context import SeekerContext, split_sentences
from app.copilot.generation import CopilotOutput, CopilotTask
from app.copilot.grounding import Ground, Source, Statement, Vocabulary, unsupported_claims
from app.ml.course_match import certificate_held, compute_skill_gap, item_in_text
from app.reference.tables import Reference, load_reference
from app.text.korean import josa
from app.text.pii import mask_pii
from app.verify.sections import header_kind, split_sections

KINDS: dict[str, str] = {"structure": "구성", "evidence": "근거", "fit": "공고 적합성", "wording": "표현",
                         "rewrite": "수정안"}
"""Statement kinds of the task with a chosen posting (without one, ``fit`` reads "직무 적합성")."""
OCCUPATION_FIT_LABEL = "직무 적합성"
LETTER_CHARS_MIN = 500
"""Shortest usual cover letter (characters with blanks); most application forms ask for 500–1,500 per letter."""
LETTER_CHARS_MAX = 1500
LONG_SENTENCE_CHARS = 120
"""A sentence longer than this (characters) is hard to read in one breath."""
QUOTE_CHARS = 32
"""A sentence quoted in feedback is cut after about this many characters (at a blank)."""
REPEATED_ENDING_MIN = 3
"""The same final word this many times reads as monotonous."""
MAX_PER_GROUP = 4
"""Most feedback statements of one finding (cliché sentences, missing requirements …)."""
MAX_CLICHE_SENTENCES = 6
"""Most sentences whose clichés are told one by one."""
MAX_INSERTS = 2
"""Most new sentences the offline rewrite adds (the letter stays the seeker's)."""
DELETE_TEXT = "(이 문장을 뺍니다)"
"""Text of a deletion statement (a statement needs text; the hunk's new text is empty)."""

# --------------------------------------------------------------------------- the posting


_BULLET = re.compile(r"^\s*(?:[-–—•·*○●◦■□▪▶▷►◆◇※✔✓➊-➓①-⑳]+|\d{1,2}[.)]|[가-하][.)])\s*")
_ITEM_SECTIONS = frozenset({"duties", "requirements", "preferred", "lead"})
_STATUS_LINE = re.compile(r"보훈|취업보호|장애|고령자|한부모|여성가장|병역|(?<![가-힣])키\s*\d|신장\s*\d|체중\s*\d|외모|용모|"
                          r"나이\s*(?:제한|\d)|연령|\d+\s*세\s*(?:이하|이상|미만)|성별|(?:남|여)(?:성|자)\s*(?:만|우대|지원|"
                          r"가능|한정|채용)|결혼|기혼|미혼|종교|건강(?:한\s*분|상태|검진)")
"""Lines about a legal status or a personal attribute: no letter addresses them, and the copilot does not
comment on them (some are unlawful to ask for at all)."""
_NO_REQUIREMENT_LINE = re.compile(r"제한\s*없|무관|불문|누구나|신입\s*(?:지원\s*)?가능")
_PROCESS_LINE = re.compile(r"전형\s*절차|채용\s*절차|서류\s*전형|면접\s*전형")
_LOGISTICS_LINE = re.compile(r"제출|접수|마감|문의|지원\s*방법")
_HEADING_LINE = re.compile(r"^\s*[\[<〈【(][^\]>〉】)]{1,20}[\]>〉】)]\s*:?\s*$|^[^:]{1,15}:\s*$")
MAX_POSTING_LINES = 12
"""Most lines kept of one posting section (long postings list benefits and procedure too)."""


@dataclass(frozen=True)
class PostingFacts:
    """The posting a letter is fitted to, as plain masked text.

    Attributes:
        title: The posting's title.
        occupation: Its occupation's name ("" when not known).
        requirements: Lines of 자격 요건.
        preferred: Lines of 우대 사항.
        duties: Lines of 주요 업무.
    """

    title: str
    occupation: str = ""
    requirements: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()

    @classmethod
    def from_sections(cls, title: str, *, duties: str = "", requirements: str = "", preferred: str = "",
                      occupation: str = "") -> PostingFacts:
        """A posting from its section texts as people write them (bullets, numbers, one item a line).

        Bullets are stripped; headings, the hiring procedure, lines on a legal status or a personal
        attribute and "no requirement" lines (학력 무관) dropped; every line masked.

        Args:
            title: Title of the posting.
            duties: The 주요 업무 text; ``requirements`` the 자격 요건 text; ``preferred`` the 우대 사항 text.
            occupation: The posting's occupation name.
        """
        return cls(title=mask_pii(str(title or "").strip()), occupation=str(occupation or "").strip(),
                   requirements=_posting_lines(requirements), preferred=_posting_lines(preferred),
                   duties=_posting_lines(duties))

    @classmethod
    def from_body(cls, title: str, body: str, *, occupation: str = "") -> PostingFacts:
        """A posting from the whole text of an ad, its sections told by their headers
        (:func:`app.verify.sections.split_sections`: 【담당 업무】, [자격요건], ■ 우대사항 …)."""
        sections = split_sections(str(body or ""))

        def text(kind: str) -> str:
            return "\n".join(s.text for s in sections if s.kind == kind)

        return cls.from_sections(title, duties=text("duties"), requirements=text("requirements"),
                                 preferred=text("preferred"), occupation=occupation)

    def sources(self) -> list[Source]:
        """The posting as sources: ``posting.title``, ``posting.req.N``, ``posting.pref.N``, ``posting.duty.N``."""
        head = f"공고 제목: {self.title}" + (f" (직종: {self.occupation})" if self.occupation else "")
        sources = [Source("posting.title", "채용공고 · 제목", head)]
        for prefix, label, lines in (("req", "자격 요건", self.requirements), ("pref", "우대 사항", self.preferred),
                                     ("duty", "주요 업무", self.duties)):
            sources += [Source(f"posting.{prefix}.{i}", f"채용공고 · {label} {i}", line)
                        for i, line in enumerate(lines, 1)]
        return sources


def _posting_lines(text: str) -> tuple[str, ...]:
    """The item lines of one posting section: bullets stripped; headers (the ad-section table of
    :mod:`app.verify.sections`) dropped, and everything after a header of another part (조건, 복리후생,
    절차, 문의); how to apply and protected-status preferences (보훈, 장애 …) left out."""
    lines: list[str] = []
    for raw in str(text or "").splitlines():
        header = header_kind(raw) if raw.strip() else None
        if header is not None and header[0] not in _ITEM_SECTIONS:
            if header[1]:
                continue  # "근무지: 서울" is a one-line section of its own; the items go on after it
            break  # what follows a header of the conditions, benefits or procedure is not a requirement
        if _PROCESS_LINE.search(raw):
            break
        if header is not None:
            raw = header[1]  # "자격요건: 경력 3년 이상" keeps its content
        if (_HEADING_LINE.match(raw) or _LOGISTICS_LINE.search(raw) or _STATUS_LINE.search(raw)
                or _NO_REQUIREMENT_LINE.search(raw) and not _YEARS_REQUIRED.search(raw)):
            continue  # a heading, how to apply, a status or attribute, or "학력 무관": nothing to address
        line = _BULLET.sub("", raw).strip()
        if len(line) >= 2:
            lines.append(mask_pii(line))
    return tuple(dict.fromkeys(lines))[:MAX_POSTING_LINES]


# --------------------------------------------------------------------------- the letter's sentences

SECTIONS: dict[str, str] = {"growth": "성장 과정", "motive": "지원 동기", "competency": "직무 역량·경험",
                            "plan": "입사 후 포부"}
"""The parts of a letter (성장 과정 is optional: many employers ask only for the other three)."""
EXPECTED_SECTIONS = ("motive", "competency", "plan")
_SECTION_ADVICE: dict[str, str] = {
    "motive": "왜 이 직무와 회사에 지원하는지 한두 문장으로 밝히면 좋습니다.",
    "competency": "직무와 관련된 경험, 맡았던 업무, 자격을 구체적으로 쓰면 좋습니다.",
    "plan": "입사 후 무엇을 배우고 어떻게 기여할지 짧게 덧붙이면 좋습니다.",
}
_HEADING_SECTION: tuple[tuple[str, str], ...] = (
    ("growth", r"성장|가정\s*환경|학창|생활\s*신조"), ("motive", r"동기|지원\s*이유"),
    ("competency", r"역량|경험|경력|강점|장점|성격|직무|전문성|활동"), ("plan", r"포부|계획|목표|비전|입사\s*후"),
)
_SECTION_CUES: dict[str, re.Pattern[str]] = {
    "growth": re.compile(r"자랐|자라|어려서|어린\s*시절|학창|부모님|가정에서|태어나"),
    "motive": re.compile(r"지원하|지원했|지원\s*동기|귀사|관심을\s*(?:갖|가지)|입사를\s*희망"),
    "competency": re.compile(r"경력|경험|업무를|맡아|맡았|담당|역량|강점|장점|자격|기술|능력|자신이\s*있|익혔|전공|공부"),
    "plan": re.compile(r"입사\s*후|포부|목표|앞으로|되겠습니다|겠습니다"),
}
_HEADING = re.compile(r"^\s*(?:[\[<〈【(]|[■□●◆▶▷※*#-]+|\d{1,2}[.)]|[①-⑩])?\s*([가-힣A-Za-z ·/&]{2,18}?)\s*"
                      r"(?:[\]>〉】)])?\s*:?\s*$")
_SENTENCE_LIKE_END = re.compile(r"(?:니다|니까|[다요죠음함됨임])\s*[.!?…]*$")


@dataclass(frozen=True)
class LetterSentence:
    """One sentence (or heading line) of the letter.

    Attributes:
        key: Its source key (``cover.N``); ``index`` the N.
        text: The sentence.
        heading: Whether it is a heading line ("[성장 과정]", "1. 지원 동기").
        section: The part of the letter it belongs to (a key of :data:`SECTIONS`, or "").
        paragraph: Number of its paragraph (blank-line separated, from 1).
    """

    key: str
    index: int
    text: str
    heading: bool
    section: str
    paragraph: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of :func:`split_sentences` lies in ``text`` (start, end), in order.

    The sentences are stripped pieces of the text in order, so each is found at or after the end of
    the one before.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:  # pragma: no cover - split_sentences returns substrings in order
            raise ValueError("문장 위치를 찾을 수 없습니다")
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    return spans


def _heading_section(text: str) -> str | None:
    """The section a heading line names ("" for a heading of another part), or ``None`` when the line is
    not a heading."""
    m = _HEADING.match(text)
    if m is None or _SENTENCE_LIKE_END.search(text) and not re.search(r"[\[<〈【■□●◆▶#]|^\s*\d", text):
        return None
    title = m.group(1)
    return next((key for key, pattern in _HEADING_SECTION if re.search(pattern, title)), "")


def _cue_section(text: str) -> str:
    scores = {key: len(pattern.findall(text)) for key, pattern in _SECTION_CUES.items()}
    best = max(scores.values())
    return next(key for key, score in scores.items() if score == best) if best else ""


def letter_sentences(text: str) -> list[LetterSentence]:
    """The letter's sentences with their headings, parts and paragraphs.

    A sentence belongs to the part its heading names; without headings a paragraph's part is the one
    its cue words point to most ("지원하게 되었습니다" → 지원 동기).
    """
    text = str(text or "")
    spans = sentence_spans(text)
    raw = [text[s:e] for s, e in spans]
    paragraphs: list[int] = []
    paragraph = 1
    for i, (start, _) in enumerate(spans):
        if i and re.search(r"\n\s*\n", text[spans[i - 1][1]:start]):
            paragraph += 1
        paragraphs.append(paragraph)
    headings = [_heading_section(s) for s in raw]
    has_headings = any(h is not None for h in headings)
    sections: list[str] = []
    if has_headings:
        current = ""
        for sentence, heading in zip(raw, headings, strict=True):
            if heading is not None:
                current = heading
            sections.append(current or _cue_section(sentence))
    else:
        by_paragraph: dict[int, str] = {}
        for number in dict.fromkeys(paragraphs):
            joined = " ".join(s for s, p in zip(raw, paragraphs, strict=True) if p == number)
            by_paragraph[number] = _cue_section(joined)
        many_paragraphs = len(by_paragraph) > 1
        sections = [by_paragraph[p] if many_paragraphs else _cue_section(s) for s, p in zip(raw, paragraphs,
                                                                                               strict=True)]
    return [LetterSentence(key=f"cover.{i}", index=i, text=s, heading=h is not None, section=section,
                           paragraph=p)
            for i, (s, h, section, p) in enumerate(zip(raw, headings, sections, paragraphs, strict=True), 1)]


# --------------------------------------------------------------------------- wording checks and fixes


@dataclass(frozen=True)
class _Cliche:
    label: str
    pattern: re.Pattern[str]
    replacement: str | None  # None: flagged only (dropping it would break the sentence)


CLICHES: tuple[_Cliche, ...] = (
    _Cliche("최선을 다하겠습니다", re.compile(r"최선을\s*다하겠습니다"), "끝까지 해내겠습니다"),
    _Cliche("최선을 다해", re.compile(r"최선을\s*다해(?:서)?\s+"), ""),
    _Cliche("최선을 다하는", re.compile(r"최선을\s*다하는"), "끝까지 해내는"),
    _Cliche("열심히", re.compile(r"열심히\s+"), ""),
    _Cliche("항상", re.compile(r"(?<![가-힣])항상\s+"), ""),
    _Cliche("누구보다", re.compile(r"누구보다(?:도)?\s+"), ""),
    _Cliche("성실히", re.compile(r"성실(?:히|하게)\s+"), ""),
    _Cliche("성실한", re.compile(r"성실(?:한|함|하고|성)"), None),
    _Cliche("열정", re.compile(r"열정(?:적|을|으로|과|이)"), None),
    _Cliche("뼈를 묻겠습니다", re.compile(r"뼈를\s*묻"), None),
    _Cliche("무엇이든", re.compile(r"무엇이든"), None),
    _Cliche("믿고 맡길 수 있는", re.compile(r"믿고\s*맡길\s*수\s*있는"), None),
)
"""Phrases every second letter uses; those with a replacement are dropped or neutralised by the rewrite."""
_LIGHT_MARKS = re.compile(r"[ㅋㅎㅠㅜ]{2,}|\^\^|;;|~{2,}|!{2,}|\?{2,}")
_RIEUL_FINAL = 8


def _has_final(syllable: str, final: int) -> bool:
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and code % 28 == final


def find_cliches(sentence: str) -> list[str]:
    """The clichés of a sentence as written ("열심히", "성실함"), in :data:`CLICHES` order (a longer phrase
    hides its part)."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for cliche in CLICHES:
        for m in cliche.pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            spans.append(m.span())
            surface = m.group(0).strip()
            if surface not in found:
                found.append(surface)
    return found


def drop_cliches(sentence: str) -> str:
    """The sentence with the replaceable clichés dropped or neutralised (others kept)."""
    out = sentence
    for cliche in CLICHES:
        if cliche.replacement is not None:
            out = cliche.pattern.sub(cliche.replacement, out)
    return re.sub(r"\s{2,}", " ", out).strip()


_SU_ISSUE = re.compile(r"([가-힣])수(\s?)(있|없)")
_GEOT_ISSUE = re.compile(r"(?<=[는은던할한될된을])것(?=[이을은도에만과같]|\s|$|입니다)")
_DOUBLE_BLANK = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_BEFORE_STOP = re.compile(r"(?<=[가-힣A-Za-z0-9)])\s+(?=[.,!?](?:\s|$))")


SU_NOUNS = frozenset({"실수", "홀수", "말수", "별수", "술수", "일수", "날수", "밀수", "절수", "갈수", "불수", "물수", "발수"})
"""Nouns ending in a ㄹ-syllable and 수 ("실수 없이" is right as written): never respaced."""


def _su_fixable(m: re.Match[str]) -> bool:
    return _has_final(m.group(1), _RIEUL_FINAL) and m.group(1) + "수" not in SU_NOUNS


def spacing_issues(sentence: str) -> list[tuple[str, str]]:
    """Spacing errors found without a dictionary, as (as written, corrected) pairs.

    Only patterns that are wrong wherever they appear: the bound noun 수 after a ㄹ-ending verb form
    ("할수 있" → "할 수 있"), 것 after an adnominal ending ("하는것" → "하는 것"), two blanks in a row, a
    blank before a full stop or comma.
    """
    issues: list[tuple[str, str]] = []
    for m in _SU_ISSUE.finditer(sentence):
        if _su_fixable(m):
            issues.append((m.group(0), f"{m.group(1)} 수 {m.group(3)}"))
    for m in _GEOT_ISSUE.finditer(sentence):
        before = sentence[max(0, m.start() - 2):m.start()]
        issues.append((before + "것", before + " 것"))
    if _DOUBLE_BLANK.search(sentence):
        issues.append(("두 칸 띄움", "한 칸"))
    for m in _BLANK_BEFORE_STOP.finditer(sentence):
        mark = sentence[m.end()]
        issues.append((f"‘ {mark}’", f"‘{mark}’"))
    return issues


def fix_spacing(sentence: str) -> str:
    """The sentence with the errors of :func:`spacing_issues` corrected."""
    out = _SU_ISSUE.sub(lambda m: f"{m.group(1)} 수 {m.group(3)}" if _su_fixable(m) else m.group(0), sentence)
    out = _GEOT_ISSUE.sub(" 것", out)
    out = _DOUBLE_BLANK.sub(" ", out)
    return _BLANK_BEFORE_STOP.sub("", out)


def _last_word(sentence: str) -> str:
    words = re.sub(r"[.!?…~\s]+$", "", sentence).split()
    return words[-1] if words else ""


def ending_style(sentence: str) -> str:
    """"formal" (-습니다/-ㅂ니다), "polite" (해요체 -요), "plain" (해라체 -다) or "" (a heading, a list item)."""
    word = _last_word(sentence)
    if word.endswith(("니다", "니까")):
        return "formal"
    if word.endswith("요") and re.search(r"[가-힣]요$", word):
        return "polite"
    if word.endswith("다") and len(word) >= 2:
        return "plain"
    return ""


_POLITE_TO_FORMAL: tuple[tuple[str, str], ...] = (
    ("했어요", "했습니다"), ("었어요", "었습니다"), ("았어요", "았습니다"), ("였어요", "였습니다"),
    ("겠어요", "겠습니다"), ("있어요", "있습니다"), ("없어요", "없습니다"), ("싶어요", "싶습니다"),
    ("거예요", "것입니다"), ("이에요", "입니다"), ("예요", "입니다"), ("해요", "합니다"), ("돼요", "됩니다"),
)
_PLAIN_TO_FORMAL: tuple[tuple[str, str], ...] = (
    ("었다", "었습니다"), ("았다", "았습니다"), ("였다", "였습니다"), ("했다", "했습니다"), ("겠다", "겠습니다"),
    ("있다", "있습니다"), ("없다", "없습니다"), ("싶다", "싶습니다"), ("같다", "같습니다"), ("이다", "입니다"),
)


def formal_ending(sentence: str) -> str:
    """The sentence with a plain or 해요-style ending turned into -습니다/-ㅂ니다, when the ending is one
    the tables know; otherwise unchanged."""
    m = re.search(r"([가-힣]+)([.!?…~]*)\s*$", sentence)
    if m is None:
        return sentence
    word, mark = m.group(1), m.group(2)
    new = None
    table = _POLITE_TO_FORMAL if ending_style(sentence) == "polite" else _PLAIN_TO_FORMAL
    if ending_style(sentence) in ("polite", "plain"):
        for old, formal in table:
            if word.endswith(old):
                new = word[: -len(old)] + formal
                break
        if new is None and ending_style(sentence) == "plain" and len(word) >= 2 and _has_final(word[-2], 20):
            new = word[:-1] + "습니다"  # 왔다 → 왔습니다, 됐다 → 됐습니다 (any ㅆ past form)
        if new is None and ending_style(sentence) == "plain" and word.endswith("는다") and len(word) > 2:
            new = word[:-2] + "습니다"  # 믿는다 → 믿습니다
        if new is None and ending_style(sentence) == "plain" and len(word) >= 2 and _has_final(word[-2], 4):
            # 한다 → 합니다, 배운다 → 배웁니다: the stem's ㄴ becomes ㅂ
            new = word[:-2] + chr(ord(word[-2]) + 17 - 4) + "니다"
    if new is None:
        return sentence
    return sentence[: m.start()] + new + (mark.replace("!", ".") or ".")


_CLAUSE_END = re.compile(r"(?<![가-힣])([가-힣]+?)(으며|며|고)(,?)\s+")
_MIN_PART_CHARS = 20
_SSANG_SIOT, _BIEUP_SIOT = 20, 18  # final ㅆ (했, 왔, 있) and ㅄ (없)


def _clause_as_sentence_end(word: str, ending: str, comma: str) -> str | None:
    """The formal sentence ending of a clause that ends in 고/며 ("기여했으며" → "기여했습니다"), or ``None``.

    A past or existential form (final ㅆ or ㅄ before 고/으며) is a clause end wherever it is; 하고, 하며
    and 이며 only before a comma, where they cannot be part of a noun phrase.
    """
    last = word[-1]
    if ending in ("고", "으며") and (_has_final(last, _SSANG_SIOT) or _has_final(last, _BIEUP_SIOT)):
        return word + "습니다"
    if not comma or ending == "으며":
        return None
    if last == "하":
        return word[:-1] + "합니다"
    if last == "이" and ending == "며" and len(word) > 1:
        return word[:-1] + "입니다"
    return None


def split_long(sentence: str) -> str:
    """An over-long sentence as two, cut at the clause ending nearest its middle ("…했고, …" → "…했습니다. …").

    Unchanged when the sentence is not over :data:`LONG_SENTENCE_CHARS`, or when no clause ending
    (:func:`_clause_as_sentence_end`) leaves two parts of at least 20 characters.
    """
    if len(sentence) <= LONG_SENTENCE_CHARS:
        return sentence
    best: tuple[int, re.Match[str], str] | None = None
    for m in _CLAUSE_END.finditer(sentence):
        formal = _clause_as_sentence_end(m.group(1), m.group(2), m.group(3))
        if formal is None or m.start() < _MIN_PART_CHARS or len(sentence) - m.end() < _MIN_PART_CHARS:
            continue
        distance = abs(m.end() - len(sentence) // 2)
        if best is None or distance < best[0]:
            best = (distance, m, formal)
    if best is None:
        return sentence
    _, m, formal = best
    return sentence[: m.start()] + formal + ". " + sentence[m.end():]


_GOAL = re.compile(r"^\s*(?:자격(?:증)?)?\s*(?:을|를|도)?\s*(?:갖추|취득하|따|획득하|준비하)(?:겠|어|여|고자|려|기\s*위해)")
_FUTURE = re.compile(r"겠|안에|이내|목표|예정")
_PAST = re.compile(r"[했었았였왔웠졌췄땄겼렸됐]습니다|땄")
_STRENGTH = re.compile(r"강점|장점|자신이\s*있|자신\s*있|성실|꼼꼼|책임감|열정|능력이|역량이|잘하|뛰어나|자부")
_CONCRETE = re.compile(r"\d|업무|맡아|맡았|담당|경험|경력|프로젝트|활동|근무|자격|취득|수상|개선|줄였|늘렸|달성")
_CAREER_CLAIM = re.compile(r"(\d+)\s*년\s*(?:넘게|이상|동안|간|째|의\s*경력|경력)")
_DUTY_CLAIM = re.compile(r"(?<![가-힣])([가-힣A-Za-z·]{2,}(?:\s[가-힣A-Za-z·]{2,})?)\s*업무를\s*(?:맡|담당)")
_CONTACT = re.compile(r"\*{2,}|○{2,}")
_CONTACT_WORD = re.compile(r"연락|전화|휴대|메일|문의|@")


def held_as_goal(sentence: str, held: Iterable[str]) -> list[str]:
    """Certificates the seeker holds that the sentence writes as a goal ("3년 안에 제빵기능사 자격을 갖추어 …
    높이겠습니다"): the name followed by a verb of acquiring in a future or purpose form, in a sentence about
    the future that says nothing was acquired."""
    if not _FUTURE.search(sentence) or _PAST.search(sentence):
        return []
    found = []
    for name in held:
        at = sentence.find(name)
        if at >= 0 and _GOAL.match(sentence[at + len(name):]):
            found.append(name)
    return found


# --------------------------------------------------------------------------- the record's facts

_DUTY_LINE = re.compile(r"(?:주요|담당)?\s*업무(?:\s*내용)?\s*[:：|]\s*(.+)$")
_LIST_ITEM = re.compile(r"^\s*[-•·*]\s*(.+)$")


@dataclass(frozen=True)
class _Duty:
    text: str
    source: str  # the résumé sentence it comes from


def resume_duties(sources: Iterable[Source]) -> list[_Duty]:
    """Duties the résumé says the seeker did: items of "주요/담당 업무:" lines, and list items under a
    career heading (경력, 경험), in résumé order, each once."""
    duties: dict[str, _Duty] = {}
    in_career = False
    for source in sources:
        if not source.key.startswith("resume."):
            continue
        line = source.text.strip()
        heading = _HEADING.match(line) if len(line) <= 20 and ":" not in line and "|" not in line else None
        if heading is not None and not _LIST_ITEM.match(line):
            in_career = bool(re.search(r"경력|경험", line)) and "희망" not in line
            continue
        m = _DUTY_LINE.search(line)
        items = re.split(r"\s*[,/;]\s*", m.group(1)) if m else []
        if not m and in_career:
            item = _LIST_ITEM.match(line)
            items = [item.group(1)] if item else []
        for item in items:
            item = item.strip(" .")
            if 2 <= len(item) <= 30:
                duties.setdefault(item, _Duty(item, source.key))
    return list(duties.values())


# --------------------------------------------------------------------------- the posting's terms

_TERM = re.compile(r"[가-힣A-Za-z0-9+#]{2,}")
_TERM_ENDINGS = ("하시는", "하신", "하실", "있으신", "있는", "하는", "하고", "에서", "으로", "에게", "이나", "이며",
                 "을", "를", "이", "가", "은", "는", "의", "에", "와", "과", "로", "도", "만", "등", "한", "적")
STOP_TERMS = frozenset("""
경험 경력 이상 이하 우대 우대사항 가능 가능자 가능하신 보유 보유자 소지 소지자 관련 관련된 업무 유관 능력 역량 분 자 이해
기본 기본적인 원활 원활한 능숙 능숙한 사용 활용 필수 학력 무관 전공 전공자 신입 지원 담당 진행 수행 대한 위한 통한
분야 다양 다양한 적극 적극적 주도 주도적 평소 자주 같이 함께 관심 많으 많으신 회사 업계 해당 또는 그리고 가지신 갖춘
갖추신 좋아 좋아하시는 즐기시는 사람 누구나 모든 기타 년 개월 년차 명 분께서 분이라면 있다면 없이 통해 바탕 기반
성장 마인드 태도 자세 책임감 자격 자격증 면허 지원자 근무 우대합니다 경우 열정 성실 꼼꼼 빠르게 빠른 원하 함께할
필요 최소 이상인 수준 작업 기술 지역 활동 제작 지식 관리 교육 확인 준비 계획 정리 작성 운영 개선 협업 협력 소통 문서
부분 내용 환경 과정 방법 결과 목표 기준 문제 해결 조직 부서 직무 사항 이용 경우 최신 지속 학습 높은 좋은 새로운
겸비 즉시 출근 경험자 유경험자 경력자 이력서 자기소개서 포트폴리오 서류 생각 보고 여러 가장 오래 항상 동료 동료들 직원 입사 전문 전문성 도전 즐거움
성격 강점 장점 안정 중요 체계 성실함 꼼꼼함 역시 높이 시기 로서 주시기 국가 채용공고 mail email 분석 평가 구성 형태 개인
도구 기사 부분 우리 저희 당사 귀사 회사의 서비스 근무지 급여 연봉 성별 직종 인적사항 경력사항 제출 수도권 전국 해외 국내 인근 거주 거주자 출퇴근 정규직 계약직 인턴 채용 모집
""".split())
"""Words of posting boilerplate and work in general that say nothing about the requirement itself (a
letter that says "작업" or "새로운" does not address "음악 작업 (레코딩)")."""
_NOT_NOUN_ENDINGS = ("는", "운", "된", "은", "하게", "까지", "부터", "처럼", "하여", "해서", "하며", "으며", "이며",
                     "이고", "하고", "있게", "없이", "롭게", "스러운", "다운", "했던", "하던", "인데", "로운", "으신", "하신",
                     "하시는", "이신")
_LONG_NOT_NOUN_ENDINGS = ("한", "인", "할", "될", "을")  # adnominal forms of three syllables or more (원활한)
_SHORT_NOUNS = frozenset("팀말일것수곳때분점등안중외내후전위앞뒤면데바줄집돈힘꿈글몸맘")
_PARTICLES = frozenset("을를이가은는의에와과로도만")
_FUNCTION_WORDS = frozenset({"에서", "으로", "에게", "부터", "까지", "처럼", "보다", "이나", "이며", "하고", "그리고", "또는"})


def _noun_like(word: str) -> bool:
    """Whether a word read off a posting can be a noun (an adnominal "새로운", an adverb "끝까지", a verb
    "합니다" or a bound noun "것을" is not)."""
    if re.fullmatch(r"[A-Za-z0-9+#]+", word):
        return True
    if (word in _FUNCTION_WORDS or word.startswith(("것", "수있", "수없")) or word.endswith(("다", "요", "다고", "라고"))
            or word.startswith("들") and len(word) <= 3):
        return False
    return not word.endswith(_NOT_NOUN_ENDINGS) and not (len(word) >= 3 and word.endswith(_LONG_NOT_NOUN_ENDINGS))


def requirement_terms(line: str, *, stop: Collection[str] = ()) -> list[str]:
    """The content words of a requirement line: particles and endings cut, boilerplate (:data:`STOP_TERMS`
    and ``stop``), numbers and words that cannot be nouns dropped."""
    terms: list[str] = []
    for token in _TERM.findall(line):
        word = token
        if len(word) == 2 and word[0] in _SHORT_NOUNS and word[1] in _PARTICLES:
            continue  # a one-syllable noun and its particle ("팀에", "말을"): too short to tell anything
        for _ in range(2):  # "지속적으로" → "지속적" → "지속"
            ending = next((e for e in _TERM_ENDINGS if word.endswith(e) and len(word) - len(e) >= 2), "")
            word = word[: len(word) - len(ending)]
        if (len(word) >= 2 and not re.search(r"\d", word) and word not in STOP_TERMS
                and word.lower() not in STOP_TERMS and word not in stop and _noun_like(word)):
            terms.append(word)
    return list(dict.fromkeys(terms))


@lru_cache(maxsize=4)
def region_words(reference: Reference) -> frozenset[str]:
    """Names of the 시도 (full and short): a region in a posting is a condition, not a skill to address."""
    regions = reference.regions
    return frozenset([*map(str, regions["name"]), *map(str, regions["short"])])


_EDUCATION_LEVELS = ("중졸이하", "고졸", "전문대졸", "대졸", "석사")
_EDUCATION_REQUIRED = re.compile(r"(고졸|초대졸|전문대졸|대졸|학사|석사|박사|고등학교\s*졸업|전문대학?\s*졸업|"
                                 r"(?:4년제\s*)?대학교?\s*졸업)\s*(?:\([^)]*\)\s*)?이상")
_EDUCATION_ALIASES = {"초대졸": "전문대졸", "학사": "대졸", "박사": "석사", "고등학교졸업": "고졸", "전문대졸업": "전문대졸",
                      "전문대학졸업": "전문대졸", "대학졸업": "대졸", "대학교졸업": "대졸", "4년제대학졸업": "대졸",
                      "4년제대학교졸업": "대졸"}


def required_education(line: str) -> str | None:
    """The least education a posting line asks for, on the record's scale (고졸 … 석사), or ``None``."""
    m = _EDUCATION_REQUIRED.search(line)
    if m is None:
        return None
    level = re.sub(r"\s+", "", m.group(1))
    return _EDUCATION_ALIASES.get(level, level)


_YEARS_REQUIRED = re.compile(r"(\d+)\s*년\s*이상")


# --------------------------------------------------------------------------- composing the task


@lru_cache(maxsize=4)
def _occupation_records(reference: Reference) -> dict[str, Mapping[str, object]]:
    """KECO code → the occupation's row as a plain mapping (a frame lookup per letter costs more than the letter)."""
    return {str(row["keco_code"]): row for row in reference.occupations.to_dict("records")}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).lower()


def _listing(items: Sequence[str], limit: int = 3, *, particle: tuple[str, str] | None = None) -> str:
    """"‘a’, ‘b’, ‘c’ 등", with the particle that fits the last word when one is given (("을", "를"))."""
    shown = ", ".join(f"‘{item}’" for item in items[:limit]) + (" 등" if len(items) > limit else "")
    return josa(shown, *particle) if particle else shown


class _Composer:
    """Builds the offline statements of one letter (one instance per task)."""

    def __init__(self, context: SeekerContext, posting: PostingFacts | None, vocabulary: Vocabulary,
                 reference: Reference) -> None:
        self.context = context
        self.posting = posting
        self.vocabulary = vocabulary
        self.reference = reference
        self.letter = str(context.cover_letter or "")
        self.sentences = letter_sentences(self.letter)
        self.body = [s for s in self.sentences if not s.heading]
        self.letter_compact = _compact(" ".join(s.text for s in self.body))
        self.document_sources = [s for s in context.document_sources() if not s.key.startswith("note.")]
        self.record_sources = {s.key: s for s in context.record_sources()}
        self.duties = resume_duties(self.document_sources)
        self.statements: list[Statement] = []
        self.extra_sources: list[Source] = []
        self.data: dict[str, object] = {}
        self.chars = self.paragraphs = 0
        self.duplicates: dict[str, str] = {}  # key of a repeated sentence → key of its first occurrence
        first: dict[str, str] = {}
        for sentence in self.body:
            normalised = _compact(re.sub(r"[^\w]", "", sentence.text))
            if normalised in first:
                self.duplicates[sentence.key] = first[normalised]
            else:
                first[normalised] = sentence.key

    # ------------------------------------------------------------------- helpers

    def say(self, kind: str, text: str, sources: Iterable[str], detail: str = "") -> None:
        self.statements.append(Statement(text=text, sources=tuple(dict.fromkeys(sources)), kind=kind, detail=detail))

    def quote(self, sentence: str) -> str:
        """A sentence cut at a blank after :data:`QUOTE_CHARS` characters, when the cut states nothing
        the sentence does not (a year cut from its month would read as a bare number)."""
        if len(sentence) <= QUOTE_CHARS + 8:
            return sentence
        ground = Ground.of([Source("quote", "", sentence)])
        cut = sentence.find(" ", QUOTE_CHARS)
        while 0 < cut < len(sentence) - 4:
            head = sentence[:cut].rstrip(",")
            if not unsupported_claims(head, ground, self.vocabulary):
                return head + "…"
            cut = sentence.find(" ", cut + 1)
        return sentence

    def in_letter(self, item: str) -> bool:
        return item_in_text(item, self.letter_compact)

    def sentences_with(self, item: str) -> list[LetterSentence]:
        return [s for s in self.body if item_in_text(item, s.text)]

    def where_in_record(self, item: str) -> str:
        """Key of the record source that shows an item: the skills, a résumé sentence or the certificates."""
        if item_in_text(item, " ".join(self.context.skills)):
            return "record.skills"
        resume = next((s.key for s in self.document_sources if s.key.startswith("resume.")
                       and item_in_text(item, s.text)), None)
        if resume is not None:
            return resume
        return "record.certificates" if item_in_text(item, " ".join(self.context.certificates)) else "record.skills"

    def career_months(self) -> int:
        return int(round(float(self.context.career_years) * 12))

    @cached_property
    def relevant_text(self) -> str:
        """What the chosen posting or the desired occupation asks for, as one text (ranks the record's facts)."""
        if self.posting is not None:
            return " ".join([self.posting.title, self.posting.occupation, *self.posting.requirements,
                             *self.posting.preferred, *self.posting.duties])
        row = self.occupation_row()
        if row is None:
            return str(self.context.desired_occupation)
        return " ".join(str(row[c]).replace(";", " ") for c in ("name", "skills", "duty_phrases", "knowledge"))

    def occupation_row(self) -> Mapping[str, object] | None:
        return _occupation_records(self.reference).get(str(self.context.desired_keco))

    def ranked_duties(self) -> list[_Duty]:
        """The résumé's duties the letter does not mention, those the target asks for first."""
        target = self.relevant_text
        unmentioned = [d for d in self.duties if not self.in_letter(d.text)]
        relevant = [d for d in unmentioned if item_in_text(d.text, target)
                    or any(item_in_text(term, target) for term in requirement_terms(d.text))]
        return relevant + [d for d in unmentioned if d not in relevant]

    def relevant_certificates(self) -> list[str]:
        """Certificates held that the posting or the desired occupation names, else none."""
        held = list(self.context.certificates)
        if self.posting is not None:
            text = self.relevant_text
            return [c for c in held if item_in_text(c, text)]
        row = self.occupation_row()
        wanted = [] if row is None else [c for c in str(row["certificates"]).split(";") if c]
        return [c for c in held if any(certificate_held(w, [c]) for w in wanted)]

    # ------------------------------------------------------------------- statistics

    def stats_source(self) -> Source:
        with_blanks = self.chars = len(re.sub(r"\n", "", self.letter.strip()))
        without = len(re.sub(r"\s", "", self.letter))
        paragraphs = self.paragraphs = max((s.paragraph for s in self.sentences), default=0)
        parts = [f"{SECTIONS[k]} {sum(1 for s in self.body if s.section == k)}문장" for k in SECTIONS]
        long_ones = [f"{s.index}번째 문장 {len(s.text)}자" for s in self.body if len(s.text) > LONG_SENTENCE_CHARS]
        text = (f"자기소개서 길이: 공백 포함 {with_blanks:,}자(공백 제외 {without:,}자), 문장 {len(self.body)}개, "
                f"문단 {paragraphs}개. 권장 분량 {LETTER_CHARS_MIN:,}~{LETTER_CHARS_MAX:,}자, "
                f"긴 문장 기준 {LONG_SENTENCE_CHARS}자. 구성: " + ", ".join(parts) + "."
                + (" 긴 문장: " + ", ".join(long_ones) + "." if long_ones else ""))
        self.data.update({"letter_chars": with_blanks, "letter_chars_without_blanks": without,
                          "sentences": len(self.body), "paragraphs": paragraphs,
                          "sections": {SECTIONS[k]: sum(1 for s in self.body if s.section == k) for k in SECTIONS}})
        return Source("derived.letter_stats", "자기소개서 분량·구성 계산", text)

    # ------------------------------------------------------------------- 구성

    def structure(self) -> None:
        stats = self.stats_source()
        self.extra_sources.append(stats)
        chars = self.chars
        if not self.body:
            self.say("structure", "자기소개서가 비어 있어 첨삭할 문장이 없습니다. 지원 동기, 직무 경험, 입사 후 포부를 "
                     "중심으로 초안을 함께 써 보세요.", [stats.key])
            return
        if chars < LETTER_CHARS_MIN:
            self.say("structure", f"자기소개서는 공백 포함 {chars:,}자로, 흔히 권하는 {LETTER_CHARS_MIN:,}~"
                     f"{LETTER_CHARS_MAX:,}자보다 짧습니다. 맡았던 업무와 그 결과를 더 쓸 여유가 있습니다.", [stats.key])
        elif chars > LETTER_CHARS_MAX:
            self.say("structure", f"자기소개서는 공백 포함 {chars:,}자로, 흔히 권하는 {LETTER_CHARS_MIN:,}~"
                     f"{LETTER_CHARS_MAX:,}자보다 깁니다. 직무와 관계가 적은 내용을 줄이는 편이 좋습니다.", [stats.key])
        else:
            self.say("structure", f"자기소개서는 공백 포함 {chars:,}자로, 흔히 권하는 {LETTER_CHARS_MIN:,}~"
                     f"{LETTER_CHARS_MAX:,}자 안에 있습니다.", [stats.key])
        present = [k for k in SECTIONS if any(s.section == k for s in self.body)]
        firsts = [next(s.key for s in self.sentences if s.section == k) for k in present]
        if present:
            self.say("structure", "자기소개서에서 " + ", ".join(f"‘{SECTIONS[k]}’" for k in present)
                     + "에 해당하는 내용을 찾았습니다.", [*firsts, stats.key])
        for key in EXPECTED_SECTIONS:
            if key not in present:
                self.say("structure", f"‘{SECTIONS[key]}’에 해당하는 내용이 보이지 않습니다. {_SECTION_ADVICE[key]}",
                         [stats.key])
        growth = sum(1 for s in self.body if s.section == "growth")
        competency = sum(1 for s in self.body if s.section == "competency")
        if growth > competency:
            self.say("structure", "성장 과정에 쓴 문장이 직무 역량·경험보다 많습니다. 직무와 관련된 경험의 비중을 "
                     "늘리는 편이 좋습니다.", [stats.key])
        if self.paragraphs == 1 and chars > LETTER_CHARS_MIN and not any(s.heading for s in self.sentences):
            self.say("structure", "문단 구분 없이 한 덩어리로 쓰여 있습니다. 지원 동기, 경험, 포부별로 문단을 나누면 "
                     "읽기 쉽습니다.", [stats.key])
        for sentence in self.body:
            if _CONTACT.search(sentence.text) and _CONTACT_WORD.search(sentence.text):
                self.say("structure", f"‘{self.quote(sentence.text)}’처럼 자기소개서에 연락처가 들어 있습니다. "
                         "연락처는 이력서에만 적고 자기소개서에서는 빼는 편이 좋습니다.", [sentence.key])

    # ------------------------------------------------------------------- 근거

    def vague_sentences(self) -> list[LetterSentence]:
        """Sentences claiming a strength with nothing concrete behind them (each wording once)."""
        held = self.context.certificates
        duties = [d.text for d in self.duties]
        vague = [s for s in self.body if _STRENGTH.search(s.text) and not _CONCRETE.search(s.text)
                 and not any(item_in_text(x, s.text) for x in [*held, *duties])]
        return [s for s in vague if s.key not in self.duplicates]

    def evidence(self) -> None:
        ranked = self.ranked_duties()
        certificates = [c for c in self.relevant_certificates() if not self.in_letter(c)]
        for sentence in self.vague_sentences()[:MAX_PER_GROUP]:
            text = f"‘{self.quote(sentence.text)}’는 강점을 말하지만 이를 보여 주는 경험이 없습니다."
            sources = [sentence.key]
            if ranked:
                text += f" 이력서의 ‘{ranked[0].text}’ 업무처럼 실제로 한 일을 함께 쓰면 설득력이 커집니다."
                sources.append(ranked[0].source)
            elif certificates:
                text += f" 보유한 {certificates[0]} 자격을 함께 쓰면 설득력이 커집니다."
                sources.append("record.certificates")
            else:
                text += " 이 강점이 드러난 경험을 상담에서 함께 찾아보세요."
            self.say("evidence", text, sources)
        concrete = []
        for sentence in [s for s in self.body if s.key not in self.duplicates]:
            duty = next((d for d in self.duties if item_in_text(d.text, sentence.text)), None)
            if duty is not None:
                concrete.append((sentence, duty))
        for sentence, duty in concrete[:2]:
            self.say("evidence", f"‘{self.quote(sentence.text)}’는 이력서에 있는 실제 업무(‘{duty.text}’)를 들어 "
                     "강점을 뒷받침합니다.", [sentence.key, duty.source])
        resume_text = " ".join(s.text for s in self.document_sources if s.key.startswith("resume."))
        for sentence in self.body:
            claimed = [m.group(1) for m in _DUTY_CLAIM.finditer(sentence.text)
                       if not item_in_text(m.group(1), resume_text)]
            if claimed and self.duties:
                self.say("evidence", f"‘{self.quote(sentence.text)}’의 ‘{claimed[0]}’ 업무는 이력서의 경력 사항에서 "
                         "확인되지 않습니다. 이력서와 맞는지 상담에서 확인해 보세요.",
                         [sentence.key, *dict.fromkeys(d.source for d in self.duties[:3])])
        if not concrete and self.duties and self.body:
            self.say("evidence", f"자기소개서에 이력서의 경력 사항({_listing([d.text for d in self.duties])})이 "
                     "드러나지 않습니다. 맡았던 업무를 한두 개 골라 결과와 함께 쓰면 좋습니다.",
                     dict.fromkeys(d.source for d in self.duties[:3]))
        for sentence in self.body:
            goals = held_as_goal(sentence.text, self.context.certificates)
            if goals:
                self.say("evidence", f"‘{self.quote(sentence.text)}’에서 {goals[0]}는 기록상 이미 보유한 "
                         "자격입니다. 앞으로 갖출 목표가 아니라 보유 사실로 쓰는 편이 정확합니다.",
                         [sentence.key, "record.certificates"])
        months = self.career_months()
        for sentence in self.body:
            for m in _CAREER_CLAIM.finditer(sentence.text):
                if int(m.group(1)) * 12 > months + 12:
                    self.say("evidence", f"‘{self.quote(sentence.text)}’에 쓴 기간이 기록의 경력"
                             f"({self.context.career_text()})보다 깁니다. 기록과 맞는지 확인해 보세요.",
                             [sentence.key, "record.career"])
                    break

    # ------------------------------------------------------------------- 적합성

    def fit(self) -> None:
        if self.posting is not None:
            self.posting_fit(self.posting)
        else:
            self.occupation_fit()

    def posting_fit(self, posting: PostingFacts) -> None:
        sources = posting.sources()
        self.extra_sources.extend(sources)
        # what the seeker did and holds — not the résumé's form labels (희망 급여, 성별, 학력 사항 …)
        record_text = _compact(" ".join([*(d.text for d in self.duties), *self.context.skills,
                                         *self.context.certificates, self.context.major, self.context.last_occupation]))
        addressed: list[tuple[Source, str, list[LetterSentence]]] = []
        record_only: list[tuple[Source, str, str]] = []
        missing: list[Source] = []
        certificates = self.vocabulary.pattern("certificate")
        stop = region_words(self.reference)
        for source in sources[1:]:
            if (certificates is not None and certificates.search(source.text) or self.years_required(source)
                    or required_education(source.text)):
                continue  # told by certificate_fit, years_fit and education_fit
            terms = requirement_terms(source.text, stop=stop)
            in_letter = [t for t in terms if item_in_text(t, self.letter_compact)]
            if in_letter:
                addressed.append((source, in_letter[0], self.sentences_with(in_letter[0])))
                continue
            in_record = [t for t in terms if item_in_text(t, record_text)]
            if in_record:
                record_only.append((source, in_record[0], self.where_in_record(in_record[0])))
            elif terms:
                missing.append(source)
        self.data["fit"] = {"posting_lines": len(sources) - 1, "addressed": len(addressed),
                            "record_only": len(record_only), "missing": len(missing)}
        for source, term, letter in addressed[:MAX_PER_GROUP]:
            self.say("fit", f"공고의 ‘{self.quote(source.text)}’ 요건을 자기소개서가 다룹니다(‘{term}’).",
                     [source.key, *(s.key for s in letter[:2])])
        for source, term, where in record_only[:MAX_PER_GROUP]:
            self.say("fit", f"공고의 ‘{self.quote(source.text)}’ 요건과 관련된 {josa(f'‘{term}’', '이', '가')} 기록에는 있지만 "
                     "자기소개서에는 없습니다. 이 경험을 자기소개서에 쓰면 좋습니다.", [source.key, where])
        for source in missing[:MAX_PER_GROUP]:
            self.say("fit", f"공고의 ‘{self.quote(source.text)}’ 요건은 자기소개서와 기록 모두에서 확인되지 "
                     "않습니다. 관련 경험이 있는지 상담에서 확인해 보세요.", [source.key])
        self.certificate_fit(sources)
        self.years_fit(sources)
        self.education_fit(sources)

    def education_fit(self, sources: Sequence[Source]) -> None:
        """The least education the posting asks for against the record's."""
        for source in sources[1:]:
            required = required_education(source.text)
            if required is None:
                continue
            education = str(self.context.education)
            if education not in _EDUCATION_LEVELS:
                break
            meets = _EDUCATION_LEVELS.index(education) >= _EDUCATION_LEVELS.index(required)
            self.say("fit", f"공고는 학력 {required} 이상을 요구하며, 기록의 학력은 {education}"
                     + ("로 요건을 충족합니다." if meets else "로 요건에 못 미칩니다. 상담에서 지원 여부를 함께 판단해 보세요."),
                     [source.key, "record.education"])
            break

    def certificate_fit(self, sources: Sequence[Source]) -> None:
        """Certificates the posting names (those of the reference tables: a suffix alone would take a job
        title such as "운전기사" for one): held and written, held and not written, not held."""
        pattern = self.vocabulary.pattern("certificate")
        if pattern is None:
            return
        named: dict[str, str] = {}
        for source in sources[1:]:
            for m in pattern.finditer(source.text):
                named.setdefault(m.group(0), source.key)
        for name, key in list(named.items())[:MAX_PER_GROUP]:
            held = next((c for c in self.context.certificates if certificate_held(name, [c])), None)
            if held is None:
                self.say("fit", f"공고가 요구·우대하는 {name} 자격은 기록에 없습니다.", [key, "record.certificates"])
            elif self.in_letter(held):
                self.say("fit", f"공고가 요구·우대하는 {name} 자격을 보유하고 있고 자기소개서에도 썼습니다.",
                         [key, "record.certificates"])
            else:
                self.say("fit", f"공고가 요구·우대하는 {name} 자격을 보유하고 있지만 자기소개서에는 없습니다. "
                         "보유 사실을 쓰면 좋습니다.", [key, "record.certificates"])

    @staticmethod
    def years_required(source: Source) -> int | None:
        """Years of experience a posting line asks for ("경력 3년 이상"), or ``None``."""
        m = _YEARS_REQUIRED.search(source.text)
        if m is None or not re.search(r"경력|경험|유관", source.text):
            return None
        return int(m.group(1))

    def years_fit(self, sources: Sequence[Source]) -> None:
        for source in sources[1:]:
            required = self.years_required(source)
            if required is None:
                continue
            career = self.context.career_text()
            if self.career_months() >= required * 12:
                text = (f"공고는 경력 {required}년 이상을 요구하며, 기록의 경력은 {career}입니다."
                        + ("" if _CAREER_CLAIM.search(self.letter) else " 자기소개서에 경력 기간을 밝히면 좋습니다."))
            else:
                text = (f"공고는 경력 {required}년 이상을 요구하지만, 기록의 경력은 {career}입니다. 관련 경험을 "
                        "구체적으로 보여 주거나 다른 공고를 함께 살펴보세요.")
            self.say("fit", text, [source.key, "record.career"])
            break

    def occupation_fit(self) -> None:
        row = self.occupation_row()
        if row is None:
            self.data["fit"] = {}
            return
        name = str(row["name"])
        label = f"직업 정보 · {name}"
        skills_source = Source("table.occupation.skills", label + " 필요 기술·지식",
                               "필요 기술·지식: " + ", ".join(x for x in [*str(row["skills"]).split(";"),
                                                                      *str(row["knowledge"]).split(";")] if x))
        duties_source = Source("table.occupation.duties", label + " 주요 업무",
                               "주요 업무: " + ", ".join(x for x in str(row["duty_phrases"]).split(";") if x))
        certs_source = Source("table.occupation.certificates", label + " 관련 자격",
                              "관련 자격: " + (", ".join(x for x in str(row["certificates"]).split(";") if x) or "없음"))
        self.extra_sources.extend([skills_source, duties_source, certs_source])
        # the skills and the duties, not the whole résumé: its headings ("보유 기술") would match items
        gap = compute_skill_gap(self.reference, str(row["keco_code"]),
                                ";".join([*self.context.skills, *(d.text for d in self.duties)]),
                                ";".join(self.context.certificates))
        in_letter = [item for item in gap.held if self.in_letter(item)]
        not_in_letter = [item for item in gap.held if item not in in_letter]
        duty_phrases = [x for x in str(row["duty_phrases"]).split(";") if x]
        duties_done = [d for d in self.duties if any(item_in_text(p, d.text) or item_in_text(d.text, p)
                                                      for p in duty_phrases)]
        duties_unmentioned = [d for d in duties_done if not self.in_letter(d.text)]
        self.data["fit"] = {"occupation": name, "required": len(gap.required), "held": len(gap.held),
                            "held_in_letter": len(in_letter), "held_not_in_letter": len(not_in_letter),
                            "duties_not_in_letter": len(duties_unmentioned)}
        if in_letter:
            letter_keys = [s.key for item in in_letter[:3] for s in self.sentences_with(item)[:1]]
            self.say("fit", f"자기소개서가 {name} 직무에 필요한 {_listing(in_letter, particle=('을', '를'))} 다룹니다.",
                     [skills_source.key, *letter_keys])
        if not_in_letter:
            where = [self.where_in_record(item) for item in not_in_letter[:3]]
            self.say("fit", f"{name} 직무에 필요한 {_listing(not_in_letter, particle=('은', '는'))} 기록에 있지만 자기소개서에는 "
                     "없습니다. 관련 경험과 함께 쓰면 좋습니다.", [skills_source.key, *where])
        if not gap.held:
            self.say("fit", f"기록에서 {name} 직무의 필요 기술·지식과 겹치는 항목을 찾지 못했습니다. 관련 교육이나 경험이 "
                     "있는지 상담에서 확인해 보세요.", [skills_source.key, "record.skills"])
        for duty in duties_unmentioned[:2]:
            self.say("fit", f"이력서의 ‘{duty.text}’ 업무는 {name} 직무의 주요 업무와 맞닿아 있지만 자기소개서에는 "
                     "없습니다.", [duties_source.key, duty.source])
        for certificate in gap.certificates_held:
            held_name = next((c for c in self.context.certificates if certificate_held(certificate, [c])), certificate)
            if self.in_letter(held_name):
                self.say("fit", f"보유한 {held_name} 자격은 {name} 직무 관련 자격이며 자기소개서에도 썼습니다.",
                         [certs_source.key, "record.certificates"])
            else:
                self.say("fit", f"보유한 {held_name} 자격은 {name} 직무 관련 자격인데 자기소개서에는 없습니다. "
                         "보유 사실을 쓰면 좋습니다.", [certs_source.key, "record.certificates"])

    # ------------------------------------------------------------------- 표현

    def formal_letter(self) -> bool:
        styles = [ending_style(s.text) for s in self.body]
        return styles.count("formal") * 2 >= len([x for x in styles if x])

    def wording(self) -> None:
        found = 0
        unique = [s for s in self.body if s.key not in self.duplicates]  # a repeated sentence is told once
        for sentence in [s for s in unique if find_cliches(s.text)][:MAX_CLICHE_SENTENCES]:
            found += 1
            cliches = _listing(find_cliches(sentence.text), particle=("은", "는"))
            self.say("wording", f"‘{self.quote(sentence.text)}’의 {cliches} "
                     "자기소개서에 흔히 쓰여 인상에 남지 않습니다. 빼거나 실제 행동으로 바꾸세요.", [sentence.key])
        for key, first in list(self.duplicates.items())[:MAX_PER_GROUP]:
            found += 1
            sentence = next(s for s in self.body if s.key == key)
            self.say("wording", f"‘{self.quote(sentence.text)}’와 같은 문장이 앞에도 있습니다. 한 번만 쓰세요.",
                     [key, first])
        for sentence in unique:
            if len(sentence.text) > LONG_SENTENCE_CHARS:
                found += 1
                self.say("wording", f"‘{self.quote(sentence.text)}’는 {len(sentence.text)}자로, "
                         f"{LONG_SENTENCE_CHARS}자를 넘는 긴 문장입니다. 두 문장으로 나누면 읽기 쉽습니다.",
                         [sentence.key, "derived.letter_stats"])
        endings: dict[str, list[LetterSentence]] = {}
        for sentence in unique:
            word = _last_word(sentence.text)
            if ending_style(sentence.text):
                endings.setdefault(word, []).append(sentence)
        for word, group in endings.items():
            if len(group) >= REPEATED_ENDING_MIN:
                found += 1
                self.say("wording", f"‘{word}’로 끝나는 문장이 여러 번 나옵니다. 문장 끝을 바꾸거나 문장을 합치면 "
                         "덜 단조롭습니다.", [s.key for s in group])
        if self.formal_letter():
            for sentence in [s for s in unique if ending_style(s.text) in ("plain", "polite")][:MAX_PER_GROUP]:
                found += 1
                style = "‘-요’체" if ending_style(sentence.text) == "polite" else "‘-다’체"
                self.say("wording", f"‘{self.quote(sentence.text)}’는 {style}로 끝나 다른 문장의 ‘-습니다’체와 "
                         "섞입니다. 문체를 ‘-습니다’로 맞추세요.", [sentence.key])
        for sentence in unique:
            issues = spacing_issues(sentence.text)
            if issues:
                found += 1
                fixes = ", ".join(f"{old} → {new}" for old, new in issues[:3])
                self.say("wording", f"‘{self.quote(sentence.text)}’에서 띄어쓰기를 고칠 곳이 있습니다({fixes}).",
                         [sentence.key])
            marks = _LIGHT_MARKS.findall(sentence.text)
            if marks:
                found += 1
                self.say("wording", f"‘{self.quote(sentence.text)}’의 ‘{marks[0]}’ 같은 가벼운 표현은 자기소개서에 "
                         "어울리지 않습니다.", [sentence.key])
        if not found and self.body:
            self.say("wording", "상투적 표현, 긴 문장, 문체 섞임, 띄어쓰기에서 고칠 곳을 찾지 못했습니다.",
                     ["derived.letter_stats"])

    # ------------------------------------------------------------------- 수정안

    def rewritten(self, sentence: LetterSentence, formal: bool) -> tuple[str, list[str]]:
        """The sentence rewritten and the record sources the new text adds facts from."""
        goals = held_as_goal(sentence.text, self.context.certificates)
        if goals:
            return f"{goals[0]} 자격을 이미 갖추고 있으며, 이를 바탕으로 전문성을 더 높이겠습니다.", ["record.certificates"]
        text = drop_cliches(sentence.text)
        text = _LIGHT_MARKS.sub(lambda m: "." if m.group(0).startswith("!") else "", text).strip()
        text = fix_spacing(text)
        if formal:
            text = formal_ending(text)
        text = split_long(text)
        return (text if len(text) >= 4 else sentence.text), []

    def fact_sentence(self, used: set[str]) -> tuple[str, list[str]] | None:
        """A sentence of the record's facts for after a vague claim: duties done (with the career length)
        or a certificate held; ``None`` when the record has none the letter does not already state."""
        duties = [d for d in self.ranked_duties() if d.text not in used][:2]
        career = self.context.career_text() if self.career_months() >= 12 else ""
        states_career = bool(_CAREER_CLAIM.search(self.letter))
        if duties:
            used.update(d.text for d in duties)
            items = ", ".join(d.text for d in duties)
            if career and not states_career and "career" not in used:
                used.add("career")
                return (f"{career} 동안 일하며 {items} 업무를 맡았습니다.",
                        ["record.career", *dict.fromkeys(d.source for d in duties)])
            return f"이전 직장에서 {items} 업무를 맡았습니다.", list(dict.fromkeys(d.source for d in duties))
        certificates = [c for c in self.context.certificates if not self.in_letter(c) and c not in used]
        relevant = [c for c in self.relevant_certificates() if c in certificates]
        if relevant or certificates:
            certificate = (relevant or certificates)[0]
            used.add(certificate)
            return f"{certificate} 자격을 갖추고 있습니다.", ["record.certificates"]
        return None

    def rewrite(self) -> None:
        formal = self.formal_letter()
        vague = {s.key for s in self.vague_sentences()}
        used: set[str] = set()
        anchored: set[str] = set()
        inserts = 0
        for sentence in self.body:
            if sentence.key in self.duplicates:
                self.say("rewrite", DELETE_TEXT, [sentence.key, self.duplicates[sentence.key]],
                         detail=f"delete:{sentence.key}")
                continue
            if _CONTACT.search(sentence.text) and _CONTACT_WORD.search(sentence.text):
                self.say("rewrite", DELETE_TEXT, [sentence.key], detail=f"delete:{sentence.key}")
                continue
            new, facts = self.rewritten(sentence, formal)
            if new != sentence.text:
                self.say("rewrite", new, [sentence.key, *facts], detail=sentence.key)
            if sentence.key in vague and sentence.section != "plan" and inserts < MAX_INSERTS:
                fact = self.fact_sentence(used)
                if fact is not None:
                    inserts += 1
                    anchored.add(sentence.key)
                    self.say("rewrite", fact[0], [sentence.key, *fact[1]], detail=f"after:{sentence.key}")
        missing = [c for c in self.relevant_certificates() if not self.in_letter(c) and c not in used]
        anchors = [s for s in (self.competency_sentences() or self.body) if s.key not in anchored]
        if missing and anchors and inserts < MAX_INSERTS:
            # a certificate the posting or occupation asks for, held but never named, goes after the last
            # sentence about competencies
            self.say("rewrite", f"{', '.join(missing[:2])} 자격을 갖추고 있습니다.", [anchors[-1].key, "record.certificates"],
                     detail=f"after:{anchors[-1].key}")

    def competency_sentences(self) -> list[LetterSentence]:
        return [s for s in self.body if s.section == "competency" and s.key not in self.duplicates]


INSTRUCTION = (
    "구직자의 자기소개서를 첨삭합니다. 피드백은 구성(structure: 분량, 지원 동기·직무 역량·입사 후 포부의 유무), "
    "근거(evidence: 강점 주장에 실제 경험이 붙어 있는지), 적합성(fit: 공고 요건이나 희망 직무에 필요한 기술·자격 중 "
    "자기소개서가 다루는 것과 기록에는 있지만 빠진 것), 표현(wording: 상투적 표현, 긴 문장, 문체, 띄어쓰기)으로 나누어 "
    "한 문장씩 쓰고, 해당 자기소개서 문장과 기록·공고의 근거 번호를 붙입니다. "
    "수정안(rewrite)은 고친 문장 하나를 text에, 원래 문장의 출처를 detail에 적습니다(예: '자기소개서 3번째 문장'). "
    "새 문장을 넣을 때는 detail에 '자기소개서 3번째 문장 뒤', 문장을 뺄 때는 '자기소개서 3번째 문장 삭제'라고 적습니다. "
    "수정안에는 자기소개서, 이력서, 구직자 기록에 있는 사실만 씁니다. 공고의 요건을 구직자가 갖췄다고 쓰지 않고, "
    "경력 기간, 자격증, 수치, 회사명을 지어내지 않습니다."
)


def cover_letter_task(context: SeekerContext, posting: PostingFacts | None, vocabulary: Vocabulary, *,
                      reference: Reference | None = None) -> CopilotTask:
    """The 자기소개서 첨삭 task of one seeker: feedback and a grounded rewrite.

    Args:
        context: The seeker (masked letter, résumé and record).
        posting: The posting to fit the letter to; ``None`` fits it to the desired occupation of the
            reference tables (its skills, duties and certificates).
        vocabulary: Names that count as claims (quotes in feedback are cut where they state nothing new).
        reference: Reference tables (default: :func:`load_reference`).

    Returns:
        The task: sources (the record, the résumé and letter sentences, the posting or occupation, the
        letter's computed length), the offline statements (each citing its sources; rewrite statements
        carry their place in ``detail``) and ``data`` (length, parts, fit counts).
    """
    composer = _Composer(context, posting, vocabulary, reference or load_reference())
    composer.structure()
    composer.evidence()
    composer.fit()
    composer.wording()
    composer.rewrite()
    kinds = dict(KINDS) if posting is not None else {**KINDS, "fit": OCCUPATION_FIT_LABEL}
    sources = (*composer.record_sources.values(), *composer.document_sources, *composer.extra_sources)
    data = {**composer.data, "posting_title": posting.title if posting is not None else "",
            "occupation": context.desired_occupation}
    return CopilotTask(name="cover_letter", title="자기소개서 첨삭", instruction=INSTRUCTION, kinds=kinds,
                       sources=tuple(sources), offline=tuple(composer.statements), max_statements=30, data=data)


# --------------------------------------------------------------------------- hunks


@dataclass(frozen=True)
class Hunk:
    """One change of the rewrite the counsellor accepts or not.

    Attributes:
        id: Stable id within one output ("cover.3", "after:cover.3", "delete:cover.3"; internal, never shown).
        original: The original sentence ("" for an insertion).
        new: The new text ("" for a deletion).
        kind: ``replace``, ``insert`` or ``delete``.
        reason: Korean reason shown beside it.
        sentence: Number of the letter sentence it replaces, deletes or follows.
        sources: Keys of the sources the statement cited.
    """

    id: str
    original: str
    new: str
    kind: str
    reason: str
    sentence: int
    sources: tuple[str, ...] = ()


_PLACE = re.compile(r"^\s*(?P<pre>after|delete)?:?\s*(?:cover\.|자기소개서\s*)(?P<n>\d+)(?:\s*번째\s*문장)?"
                    r"\s*(?P<post>뒤|다음|삭제)?\s*$")


def parse_place(detail: str) -> tuple[str, int] | None:
    """(kind, sentence number) of a rewrite statement's ``detail``: "cover.3" / "자기소개서 3번째 문장" (replace),
    "after:cover.3" / "자기소개서 3번째 문장 뒤" (insert), "delete:cover.3" / "… 삭제" (delete); ``None`` when
    it names no sentence."""
    m = _PLACE.match(str(detail or ""))
    if m is None:
        return None
    mode = m.group("pre") or {"뒤": "after", "다음": "after", "삭제": "delete"}.get(m.group("post") or "", "")
    return {"after": "insert", "delete": "delete"}.get(mode, "replace"), int(m.group("n"))


def _seeker_sources(output: CopilotOutput) -> list[Source]:
    """The sources a rewritten sentence may take facts from: the seeker's own (letter, résumé, record) and
    the posting's title (a letter may name what it applies to)."""
    return [s for s in output.sources if s.key.startswith(("cover.", "resume.", "record.", "posting.title"))]


def hunk_reason(original: str, new: str, kind: str) -> str:
    """Korean reason of a change, told from the texts (the same for the offline and a model's rewrite)."""
    if kind == "delete":
        if _CONTACT.search(original) and _CONTACT_WORD.search(original):
            return "연락처는 이력서에 있으므로 자기소개서에서는 뺍니다."
        return "반복되거나 불필요한 문장을 뺍니다."
    if kind == "insert":
        if "업무를" in new:
            return "이력서에 있는 업무 경험을 더해 강점을 구체적으로 보여 줍니다."
        if "자격" in new:
            return "보유한 자격을 더해 강점을 구체적으로 보여 줍니다."
        return "기록에 있는 사실을 더해 내용을 구체적으로 보여 줍니다."
    reasons: list[str] = []
    dropped = [c for c in find_cliches(original) if c not in find_cliches(new)]
    if dropped:
        reasons.append(f"상투적인 표현({', '.join(dropped)})을 덜어냈습니다")
    if len(split_sentences(new)) > len(split_sentences(original)) or new.count(". ") > original.count(". "):
        reasons.append("긴 문장을 둘로 나눴습니다")
    if spacing_issues(original) and not spacing_issues(new):
        reasons.append("띄어쓰기를 고쳤습니다")
    if ending_style(original) in ("plain", "polite") and ending_style(new) == "formal":
        reasons.append("문장 끝을 ‘-습니다’체로 맞췄습니다")
    if "이미 갖추고" in new and "이미 갖추고" not in original:
        reasons.append("이미 보유한 자격을 보유 사실로 고쳤습니다")
    if _LIGHT_MARKS.search(original) and not _LIGHT_MARKS.search(new):
        reasons.append("가벼운 표현을 뺐습니다")
    return (", ".join(reasons) if reasons else "표현을 다듬었습니다") + "."


def hunks_from_output(output: CopilotOutput, context: SeekerContext, *,
                      vocabulary: Vocabulary | None = None) -> list[Hunk]:
    """The rewrite's changes from the *kept* rewrite statements of a checked output, in letter order.

    A statement is used when its ``detail`` names a sentence of the context's letter and its text states
    nothing the seeker's own sources (letter, résumé, record; the posting's title) do not hold — a
    requirement of the posting is a source of the task but not a fact of the seeker. One change per place
    (the first); a replacement equal to the original is no change.

    Args:
        output: A checked output of :func:`cover_letter_task` (offline or a model's).
        context: The seeker whose letter it rewrites.
        vocabulary: Names that count as claims; without it certificates and organisations are still
            recognised by their endings ("…기능사", "…공단") and numbers and dates always.
    """
    letter = split_sentences(context.cover_letter)
    ground = Ground.of(_seeker_sources(output))
    vocabulary = vocabulary or Vocabulary()
    hunks: dict[str, Hunk] = {}
    for statement in output.shown:
        if statement.kind != "rewrite":
            continue
        place = parse_place(statement.detail)
        if place is None or not 1 <= place[1] <= len(letter):
            continue
        kind, number = place
        original = letter[number - 1]
        new = "" if kind == "delete" else statement.text.strip()
        if kind != "delete" and (unsupported_claims(new, ground, vocabulary) or not new or new == original):
            continue
        hunk_id = {"replace": f"cover.{number}", "insert": f"after:cover.{number}", "delete": f"delete:cover.{number}"}[kind]
        # a deletion and a replacement of one sentence exclude each other
        clash = f"delete:cover.{number}" if kind == "replace" else f"cover.{number}" if kind == "delete" else ""
        if hunk_id in hunks or clash in hunks:
            continue
        hunks[hunk_id] = Hunk(id=hunk_id, original="" if kind == "insert" else original, new=new, kind=kind,
                              reason=hunk_reason(original, new, kind), sentence=number, sources=statement.sources)
    order = {"replace": 0, "delete": 0, "insert": 1}
    return sorted(hunks.values(), key=lambda h: (h.sentence, order[h.kind]))


def _delete_span(text: str, start: int, end: int) -> str:
    """``text`` without ``[start, end)`` and the blanks that separated it: a sentence inside a line takes the
    blanks after it, the last of a line those before it, a sentence alone on its line the whole line."""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] != "\n":
        return text[:start] + text[after:]
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before > 0 and text[before - 1] != "\n":
        return text[:before] + text[after:]
    if after < len(text):  # the line's newline goes with it
        return text[:before] + text[after + 1:]
    return text[:max(0, before - 1)] + text[after:]


def apply_hunks(original_letter: str, hunks: Iterable[Hunk], accepted_ids: Collection[str]) -> str:
    """The letter with the accepted changes applied; everything else exactly as it was.

    Accepting none gives the original letter; accepting all gives the full draft. A change whose original
    sentence is no longer at its place (the letter was edited since) is skipped.

    Args:
        original_letter: The letter the hunks were made from (the context's masked letter).
        hunks: The changes (:func:`hunks_from_output`).
        accepted_ids: Ids of the accepted changes.
    """
    text = str(original_letter or "")
    accepted = set(accepted_ids)
    spans = sentence_spans(text)
    replaced: dict[int, str] = {}
    inserted: dict[int, list[str]] = {}
    for hunk in hunks:
        if hunk.id not in accepted or not 1 <= hunk.sentence <= len(spans):
            continue
        start, end = spans[hunk.sentence - 1]
        if hunk.kind in ("replace", "delete") and text[start:end] != hunk.original:
            continue
        if hunk.kind == "insert":
            inserted.setdefault(hunk.sentence, []).append(hunk.new)
        else:
            replaced.setdefault(hunk.sentence, hunk.new)
    for number in sorted(set(replaced) | set(inserted), reverse=True):
        start, end = spans[number - 1]
        pieces = [replaced.get(number, text[start:end]), *inserted.get(number, [])]
        new = " ".join(p for p in pieces if p)
        text = text[:start] + new + text[end:] if new else _delete_span(text, start, end)
    return text


HUNK_KIND_LABELS: dict[str, str] = {"replace": "고침", "insert": "추가", "delete": "삭제"}


def diff_rows(hunks: Sequence[Hunk]) -> list[dict[str, str]]:
    """Rows for display, one per hunk in the same order: 구분, 원문, 수정안, 이유 (Korean column names)."""
    return [{"구분": HUNK_KIND_LABELS[h.kind], "원문": h.original or "(새 문장)", "수정안": h.new or "(삭제)",
             "이유": h.reason} for h in hunks]


def word_diff(original: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff for highlighting: (``equal`` | ``delete`` | ``insert``, words) in reading order
    (a replaced run is its deleted words, then its inserted ones)."""
    old_words, new_words = original.split(), new.split()
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(old_words[a0:a1])))
            continue
        if a1 > a0:
            out.append(("delete", " ".join(old_words[a0:a1])))
        if b1 > b0:
            out.append(("insert", " ".join(new_words[b0:b1])))
    return out


def hunk_rows(output: CopilotOutput, context: SeekerContext, *, vocabulary: Vocabulary | None = None,
              ) -> list[Mapping[str, object]]:
    """Hunks of an output as plain data for the page or storage (id, kind, texts, reason, word diff)."""
    return [{"id": h.id, "kind": h.kind, "original": h.original, "new": h.new, "reason": h.reason,
             "sentence": h.sentence, "words": [list(part) for part in word_diff(h.original, h.new)]}
            for h in hunks_from_output(output, context, vocabulary=vocabulary)]
