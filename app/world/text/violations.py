"""Writing unlawful phrases (with a ground-truth span) and lawful look-alikes into postings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.world.identity import RandomSource, UniformStream, as_stream
from app.world.text.bullets import _bullet_of
from app.world.text.facts import SECTION_NAMES, PostingText
from app.world.text.particles import _ro
from app.world.text.posting_vocab import _CONTACT_LABELS
from app.world.text.violation_vocab import (
    _HIDDEN_INTROS,
    _HIDDEN_TITLES,
    _ID_WORDS_A,
    _ID_WORDS_B,
    _LEGAL_FORMS,
    _LOOKALIKE_SECTIONS,
    _RULE_SECTIONS,
    LAWFUL_LOOKALIKES,
    NUMERIC_RULE_IDS,
    TEXT_RULE_IDS,
    VIOLATION_PHRASES,
)

__all__ = ["inject_violation", "insert_lookalike", "insert_phrase", "lawful_lookalike"]


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
