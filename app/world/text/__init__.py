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

Layout: ``postings`` (:func:`compose_posting`), ``violations`` (violations and look-alikes),
``resumes``, ``cover_letters``, ``counsellor_notes``, ``facts`` (the dataclasses), ``money``
(rounding a desired wage), ``particles`` (the world's use of :func:`app.text.korean.josa`)
and ``bullets`` (shared helpers), and the word tables in
``posting_vocab`` / ``violation_vocab``. The shared random stream is
:mod:`app.world.identity.random_stream`.
"""

from __future__ import annotations

from app.world.text.counsellor_notes import compose_counsellor_note
from app.world.text.cover_letters import compose_cover_letter
from app.world.text.facts import SECTION_NAMES, OccupationText, PostingFacts, PostingText, SeekerFacts
from app.world.text.postings import compose_posting
from app.world.text.resumes import compose_resume
from app.world.text.violation_vocab import LAWFUL_LOOKALIKES, NUMERIC_RULE_IDS, TEXT_RULE_IDS, VIOLATION_PHRASES
from app.world.text.violations import inject_violation, insert_lookalike, insert_phrase, lawful_lookalike

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
    "inject_violation",
    "insert_lookalike",
    "insert_phrase",
    "lawful_lookalike",
]
