"""Sections of a job ad and the text that identifies its *position*.

A company that advertises several positions repeats its introduction, its benefits and its hiring
process in every ad; only the title, the duties, the requirements and the conditions tell its
positions apart. Near-duplicate detection on the whole text therefore took two sibling positions
of one company ("식품 개발 프로덕트(MD) 매니저" and "…리드") for a repost: 626 of 4,061 real Wanted
ads were "duplicates" that way. :func:`position_text` keeps what identifies the position and
:func:`title_key` what its title says, so a repost of the same position still matches and a
sibling position does not (:func:`app.verify.duplicates.position_signatures`).

Headers are recognised in the forms Korean ads use — ``【담당 업무】``, ``[자격요건]``, ``■ 우대사항``,
``<복리후생>``, ``주요업무:`` with the content on the same line, a bare ``혜택 및 복지`` line — from a
table of header words per section (:data:`SECTION_WORDS`). Hand-written on purpose: no library
segments Korean job ads, and the table is the whole logic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "intro": ("회사소개", "기업소개", "회사개요", "기업개요", "회사정보", "기업정보", "회사안내", "팀소개", "브랜드소개",
              "조직소개", "우리회사", "우리는", "우리팀은", "aboutus", "about", "company", "회사를소개합니다",
              "기관소개", "병원소개", "매장소개", "학원소개"),
    "duties": ("주요업무", "담당업무", "업무내용", "직무내용", "하는일", "수행업무", "업무소개", "모집분야", "모집부문",
               "모집직종", "직무소개", "직무", "업무", "합류하면함께할업무", "이런일을해요", "responsibilities", "포지션소개"),
    "requirements": ("자격요건", "지원자격", "필수요건", "필수자격", "자격사항", "자격조건", "응시자격", "지원조건",
                     "이런분을찾아요", "requirements", "qualifications", "경력조건", "학력", "전공", "자격면허", "자격"),
    "preferred": ("우대사항", "우대조건", "우대요건", "우대", "이런분이면더좋아요", "preferred", "preferredqualifications"),
    "conditions": ("근무조건", "근로조건", "근무지", "근무지역", "근무장소", "근무시간", "근무요일", "근무형태", "고용형태",
                   "급여", "급여조건", "임금", "연봉", "모집인원", "채용인원", "근무일", "근로시간", "계약기간"),
    "benefits": ("복리후생", "혜택및복지", "혜택", "복지", "복지제도", "복지혜택", "사내복지", "benefits", "이런혜택이있어요",
                 "근무환경", "사내문화", "문화"),
    "process": ("채용절차", "전형절차", "채용전형", "전형방법", "지원방법", "접수방법", "접수기간", "제출서류", "구비서류",
                "유의사항", "기타사항", "참고사항", "지원서접수", "채용프로세스", "hiringprocess", "전형일정", "마감일"),
    "contact": ("문의", "연락처", "담당자", "문의처", "문의사항", "지원및문의"),
}
"""Header words (compact: NFKC, lower case, no spaces or punctuation) → section kind."""
NOT_POSITION: frozenset[str] = frozenset({"intro", "benefits", "process"})
"""Sections a company shares across its positions (left out of :func:`position_text`)."""
_HEADER_TO_KIND = {word: kind for kind, words in SECTION_WORDS.items() for word in words}
_DECORATION = re.compile(r"[\s\W_]+", re.UNICODE)
_LEADING_DECORATION = re.compile(r"^[\s\[【<〈《「『(（■□◆◇●○▶▷►◎※#*•·\-:：|]+")
_HEADER_END = re.compile(r"[\]】>〉》」』)）:：|]")
MAX_HEADER_CHARS = 16
"""A header line is short; a longer line that starts with a header word is content."""


@dataclass(frozen=True)
class Section:
    """One section of an ad body.

    Attributes:
        kind: ``intro``, ``duties``, ``requirements``, ``preferred``, ``conditions``, ``benefits``,
            ``process``, ``contact``, or ``lead`` (text before the first header).
        text: Its text (the header itself left out; content written on the header's line kept).
    """

    kind: str
    text: str


def _compact(text: str) -> str:
    return _DECORATION.sub("", unicodedata.normalize("NFKC", text).lower())


def header_kind(line: str) -> tuple[str, str] | None:
    """``(kind, content after the header)`` when ``line`` is a section header, else ``None``.

    Examples: ``"【담당 업무】"`` → ``("duties", "")``; ``"자격요건: 경력 3년 이상"`` →
    ``("requirements", "경력 3년 이상")``; ``"우대합니다"`` → ``None``.
    """
    word, rest = _head_and_rest(line)
    if not word or len(word) > MAX_HEADER_CHARS:
        return None
    kind = _HEADER_TO_KIND.get(word)
    if kind is None:
        return None
    return kind, _LEADING_DECORATION.sub("", rest.strip()).strip()


def section_word(line: str) -> str:
    """The compact word a header line would name (``"■ 결격 사유 :"`` → ``"결격사유"``), for header
    words of other lists than :data:`SECTION_WORDS`."""
    return _head_and_rest(line)[0]


def _head_and_rest(line: str) -> tuple[str, str]:
    stripped = _LEADING_DECORATION.sub("", line.strip())
    closer = _HEADER_END.search(stripped[: MAX_HEADER_CHARS + 10])
    if closer:
        head, rest = stripped[: closer.start()], stripped[closer.end():]
    else:
        head, rest = stripped, ""
    return _compact(head), rest


def split_sections(body: str) -> list[Section]:
    """The sections of an ad body in order (one ``lead`` section when it has no header).

    A header alone on its line opens a section that runs to the next such header; a header with
    its content on the same line (``"근무지 : 서울 마포구"``) is a one-line section of its own, and
    the lines after it stay in the section around it (a benefits list often holds such lines).
    """
    sections: list[Section] = []
    kind, lines = "lead", []

    def flush() -> None:
        if any(s.strip() for s in lines):
            sections.append(Section(kind, "\n".join(lines).strip()))
        lines.clear()

    for line in str(body).split("\n"):
        header = header_kind(line) if line.strip() else None
        if header is None:
            lines.append(line)
            continue
        flush()
        if header[1]:
            sections.append(Section(header[0], header[1]))
        else:
            kind = header[0]
    flush()
    return sections


def position_text(title: str, body: str) -> str:
    """Title and the sections that identify the position (duties, requirements, preferred,
    conditions, contact, text before the first header); the whole body when it has no header."""
    kept = [s.text for s in split_sections(body) if s.kind not in NOT_POSITION]
    return "\n".join([str(title), *kept])


TITLE_STOPWORDS: frozenset[str] = frozenset({
    "채용", "모집", "구인", "구함", "구합니다", "모집합니다", "채용합니다", "급구", "긴급", "직원", "사원", "공고",
    "재공고", "추가모집", "상시채용", "상시", "마감임박", "및", "외", "등", "분", "오픈", "채용공고", "모집공고", "수시채용",
    "대규모", "명", "주", "모십니다", "찾습니다", "구해요", "모셔요", "신입", "신입사원", "졸업예정자",
})
"""Words of a title that do not tell positions apart (a repost adds or drops them)."""
_TITLE_TOKEN = re.compile(r"[0-9a-z가-힣]+")


def title_key(title: str) -> str:
    """What a title says about the position: its content words, sorted, without numbers and the
    words of :data:`TITLE_STOPWORDS` (``"[급구] 홀서빙 직원 모집 (2명)"`` → ``"홀서빙"``; a head count is no content, a
    career length is).

    Two ads are the same position only if their title keys are equal: "…(MD) 매니저" and
    "…(MD) 리드" are different keys, and so are "코치 (신입)" and "코치 (3년 이상)": a career length
    is kept (a company advertises its junior and senior openings as separate positions), while a
    "[신입]" tag is not (real reposts of an open position add it for the graduates' season —
    84 of the 117 hand-labelled reposts in ``data/evaluation/real_duplicate_pairs.csv``).
    """
    words = _TITLE_TOKEN.findall(unicodedata.normalize("NFKC", str(title)).lower())
    content = {w for w in words if w not in TITLE_STOPWORDS and not re.fullmatch(r"\d+명?", w)}
    return " ".join(sorted(content))
