"""Candidate summaries and interview questions of talent recommendation (인재추천), grounded.

The offline default composes both from the candidate's record — facts that are already masked
(no name, contact, address or resident number ever reaches this module) — so every sentence rests on
a field or a document sentence, which it carries as its evidence. :func:`verify_sentences` checks any
text (the offline composer's or a language model's) against the facts: a sentence that names a number,
an occupation or a certificate the record does not hold is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.llm.base import GenerationError
from app.text.korean import format_manwon, josa, josa_ro
from app.text.pii import mask_pii

SUMMARY_SENTENCES = 3


@dataclass(frozen=True)
class CandidateFacts:
    """The masked professional record of one candidate (what a summary may say).

    Attributes:
        desired_occupation: 희망 직종 name.
        last_occupation: 최근 경력 직종 name ("" when none).
        career_years: Total career in years.
        duties: Duty phrases from the résumé's career lines (masked).
        certificates: Certificate names held.
        skills: Skill keywords.
        region: Desired workplace (short 시도 name).
        desired_wage: Desired monthly wage (원).
        education: Highest education.
        major: Field of study ("" when none).
    """

    desired_occupation: str
    last_occupation: str
    career_years: float
    duties: tuple[str, ...]
    certificates: tuple[str, ...]
    skills: tuple[str, ...]
    region: str
    desired_wage: int
    education: str
    major: str = ""

    def grounding(self) -> str:
        """Every fact as one text, for checking that a sentence says nothing else."""
        return " ".join([self.desired_occupation, self.last_occupation, career_text(self.career_years),
                         *self.duties, *self.certificates, *self.skills, self.region,
                         format_manwon(self.desired_wage), self.education, self.major])


@dataclass(frozen=True)
class GroundedSentence:
    """One generated sentence and the record facts it rests on."""

    text: str
    evidence: tuple[str, ...]


def career_text(years: float) -> str:
    """Career as Korean text: "신입", "8개월", "3년", "3년 6개월"."""
    months = int(round(float(years) * 12))
    if months <= 0:
        return "신입"
    y, m = divmod(months, 12)
    if not y:
        return f"{m}개월"
    return f"{y}년" + (f" {m}개월" if m else "")


def compose_candidate_summary(facts: CandidateFacts) -> tuple[GroundedSentence, ...]:
    """Two or three sentences on who the candidate is professionally (deterministic, offline).

    Args:
        facts: The masked record.

    Returns:
        The sentences, each with the facts it states.
    """
    sentences: list[GroundedSentence] = []
    career = career_text(facts.career_years)
    if career == "신입":
        first = f"{facts.desired_occupation} 일자리를 찾는 신입 구직자입니다."
    else:
        first = f"{facts.desired_occupation} 일자리를 찾는 경력 {career}의 구직자입니다."
    sentences.append(GroundedSentence(first, (f"희망 직종: {facts.desired_occupation}", f"경력: {career}")))
    if facts.last_occupation and facts.duties:
        duty = facts.duties[0]
        sentences.append(GroundedSentence(
            f"최근에는 {josa_ro(facts.last_occupation)} 일하며 {josa(duty, '을', '를')} 맡았습니다.",
            (f"최근 직종: {facts.last_occupation}", f"주요 업무: {duty}")))
    elif facts.duties:
        duty = facts.duties[0]
        sentences.append(GroundedSentence(f"{josa(duty, '을', '를')} 해 본 경험이 있습니다.", (f"주요 업무: {duty}",)))
    strengths = []
    if facts.certificates:
        strengths.append(f"{', '.join(facts.certificates[:3])} 자격을 갖추고 있고")
    if facts.skills:
        strengths.append(f"{', '.join(facts.skills[:3])}에 강점이 있으며")
    wage = format_manwon(facts.desired_wage)
    closing = f"{facts.region} 지역에서 월 {wage} 수준을 희망합니다." if facts.region else f"월 {wage} 수준을 희망합니다."
    sentences.append(GroundedSentence(" ".join([*strengths, closing]),
                                      tuple([*(f"자격증: {c}" for c in facts.certificates[:3]),
                                             *(f"보유 기술: {s}" for s in facts.skills[:3]),
                                             f"희망 근무지: {facts.region}", f"희망 급여: 월 {wage}"])))
    return tuple(sentences[:SUMMARY_SENTENCES])


_NUMBER = re.compile(r"\d[\d,.]*")


def verify_sentences(sentences: Sequence[GroundedSentence], facts: CandidateFacts,
                     known_names: Sequence[str] = ()) -> tuple[tuple[GroundedSentence, ...], tuple[str, ...]]:
    """Keep the sentences whose numbers and named occupations/certificates are in the facts.

    Args:
        sentences: Generated sentences (any backend).
        facts: The record they must rest on.
        known_names: Every occupation and certificate name the generator could have invented; one that
            a sentence names but the facts do not hold makes the sentence unsupported.

    Returns:
        The supported sentences (masked once more) and the Korean reasons for the dropped ones.
    """
    ground = facts.grounding()
    ground_numbers = set(_NUMBER.findall(ground))
    kept, dropped = [], []
    for sentence in sentences:
        numbers = [n for n in _NUMBER.findall(sentence.text) if n not in ground_numbers]
        names = [n for n in known_names if n and n in sentence.text and n not in ground]
        if numbers or names:
            dropped.append(f"근거 없는 내용이 있어 뺀 문장: {', '.join([*numbers, *names])}")
            continue
        kept.append(GroundedSentence(mask_pii(sentence.text), sentence.evidence))
    return tuple(kept), tuple(dropped)


@dataclass(frozen=True)
class Probe:
    """A sentence an interview question probes, and where it came from."""

    kind: str
    """``duty`` (a career line), ``claim`` (a cover-letter sentence), ``certificate``, ``gap`` (a requirement
    the candidate does not meet) or ``wage``."""
    sentence: str
    source: str
    detail: str = ""


@dataclass(frozen=True)
class InterviewQuestion:
    """One interview question tied to the sentence it probes."""

    question: str
    probes: str
    source: str


def compose_interview_questions(probes: Sequence[Probe], limit: int = 5) -> tuple[InterviewQuestion, ...]:
    """Questions for the sentences in ``probes`` (deterministic, offline; job-related only: never age,
    family, health, religion or other personal matters).

    Args:
        probes: Sentences from the résumé, cover letter and posting, already masked.
        limit: Most questions returned.

    Returns:
        One question per probe, in the probes' order, at most ``limit``.
    """
    out: list[InterviewQuestion] = []
    for probe in probes:
        if probe.kind == "duty":
            text = (f"이력서에 '{probe.detail or probe.sentence}' 업무를 맡았다고 적으셨습니다. 그 일에서 본인의 역할과 "
                    "가장 어려웠던 상황, 어떻게 해결했는지 구체적으로 말씀해 주세요.")
        elif probe.kind == "claim":
            text = "자기소개서의 이 문장을 뒷받침하는 실제 경험을 한 가지 들어 주세요. 그때 맡은 일과 결과는 무엇이었나요?"
        elif probe.kind == "certificate":
            text = f"{probe.detail} 자격을 취득한 뒤 실제 업무에서 어떻게 활용했는지 사례를 들어 주세요."
        elif probe.kind == "gap":
            text = f"공고의 요건({probe.detail})과 비교해 부족한 부분을 어떤 경험이나 계획으로 보완할 수 있을까요?"
        elif probe.kind == "wage":
            text = f"희망 급여와 공고의 임금 조건({probe.detail})의 차이에 대해 어떻게 생각하시나요?"
        else:
            continue
        out.append(InterviewQuestion(question=text, probes=probe.sentence, source=probe.source))
        if len(out) >= limit:
            break
    return tuple(out)


# --------------------------------------------------------------------------- summaries by a language model

OFFLINE_SUMMARY = "기본(오프라인) 요약"
"""Name of the offline composer as the AI notice shows it."""

SUMMARY_SYSTEM = (
    "당신은 한국 공공고용서비스에서 구인기업과 직업상담사를 돕는 도우미입니다. 주어진 구직자 기록만 사용해 각 후보가 "
    "직업적으로 어떤 사람인지 2~3문장으로 요약합니다. 기록에 없는 숫자, 직종, 자격증, 경력, 기술을 지어내지 않습니다. "
    "나이, 성별, 가족, 건강, 외모, 출신 지역은 쓰지 않습니다. 이름과 연락처는 기록에 없으며 쓰지 않습니다. "
    '결과는 JSON 객체 하나로만 답합니다: {"summaries": [{"id": "후보 번호", "sentences": ["문장", ...]}]}'
)


class SummaryChat(Protocol):
    """A chat backend that answers messages with text (:meth:`app.llm.openai_compat.OpenAICompatibleGenerator.chat`)."""

    name: str

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        """The answer (raises :class:`~app.llm.base.GenerationError` when it cannot)."""
        ...


@dataclass(frozen=True)
class SummaryBatch:
    """Summaries of a page of candidates and how they were made.

    Attributes:
        summaries: Candidate label → verified sentences.
        backend: Who wrote them (shown in the AI notice).
        notices: Korean notes for the page (a fallback, dropped sentences).
    """

    summaries: dict[str, tuple[GroundedSentence, ...]]
    backend: str
    notices: tuple[str, ...] = ()


def _facts_for_prompt(facts: CandidateFacts) -> dict[str, object]:
    return {"희망 직종": facts.desired_occupation, "최근 직종": facts.last_occupation,
            "경력": career_text(facts.career_years), "주요 업무": list(facts.duties[:4]),
            "자격증": list(facts.certificates), "보유 기술": list(facts.skills[:6]), "희망 근무지": facts.region,
            "희망 급여": f"월 {format_manwon(facts.desired_wage)}", "학력": facts.education, "전공": facts.major}


def summary_messages(facts_by_label: Mapping[str, CandidateFacts]) -> list[dict[str, str]]:
    """Chat messages asking for every candidate's summary at once (facts already masked)."""
    payload = [{"id": label, **_facts_for_prompt(f)} for label, f in facts_by_label.items()]
    return [{"role": "system", "content": SUMMARY_SYSTEM},
            {"role": "user", "content": "다음 후보들을 요약해 주세요.\n" + json.dumps(payload, ensure_ascii=False)}]


def _evidence_of(text: str, facts: CandidateFacts) -> tuple[str, ...]:
    """The record facts a model's sentence names (its evidence on the card)."""
    named = [f"희망 직종: {facts.desired_occupation}"] if facts.desired_occupation in text else []
    if facts.last_occupation and facts.last_occupation in text:
        named.append(f"최근 직종: {facts.last_occupation}")
    named += [f"자격증: {c}" for c in facts.certificates if c in text]
    named += [f"보유 기술: {s}" for s in facts.skills if s in text]
    named += [f"주요 업무: {d}" for d in facts.duties if d in text]
    return tuple(named) or ("구직자 기록",)


def _parse_summaries(content: str) -> dict[str, list[str]]:
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end <= start:
        raise GenerationError("LLM 서버의 요약이 JSON 형식이 아닙니다")
    try:
        data = json.loads(content[start:end + 1])
        items = data["summaries"]
        if not isinstance(items, list):
            raise TypeError
        return {str(item["id"]): [str(s) for s in item["sentences"] if str(s).strip()][:SUMMARY_SENTENCES]
                for item in items if isinstance(item, dict)}
    except (ValueError, KeyError, TypeError):
        raise GenerationError("LLM 서버의 요약에 후보별 문장이 없습니다") from None


def summarise_candidates(facts_by_label: Mapping[str, CandidateFacts], chat: SummaryChat | None,
                         known_names: Sequence[str] = ()) -> SummaryBatch:
    """Two or three verified sentences per candidate: the model's when a backend is configured and its
    sentences hold up against the record, else the offline composer's (with a notice saying why).

    Args:
        facts_by_label: The masked facts of each candidate, by card label ("후보 1").
        chat: The configured chat backend, or ``None`` for the offline composer.
        known_names: Occupation and certificate names a sentence could invent (see :func:`verify_sentences`).

    Returns:
        The summaries, the backend that wrote them and the notices to show.
    """
    offline = {label: verify_sentences(compose_candidate_summary(f), f, known_names)[0]
               for label, f in facts_by_label.items()}
    if chat is None or not facts_by_label:
        return SummaryBatch(offline, OFFLINE_SUMMARY)
    try:
        answered = _parse_summaries(chat.chat(summary_messages(facts_by_label), json_object=True))
    except GenerationError as err:
        return SummaryBatch(offline, OFFLINE_SUMMARY, (f"{chat.name} 요약에 실패해 기본(오프라인) 요약을 보여 드립니다: {err}",))
    summaries: dict[str, tuple[GroundedSentence, ...]] = {}
    dropped_total, replaced = 0, 0
    for label, facts in facts_by_label.items():
        sentences = [GroundedSentence(text.strip(), _evidence_of(text, facts)) for text in answered.get(label, [])]
        kept, dropped = verify_sentences(sentences, facts, known_names)
        dropped_total += len(dropped)
        if kept:
            summaries[label] = kept
        else:
            summaries[label] = offline[label]
            replaced += 1
    notices = []
    if dropped_total:
        notices.append(f"기록에 없는 내용이 담긴 요약 문장 {dropped_total}개를 뺐습니다.")
    if replaced:
        notices.append(f"후보 {replaced}명은 쓸 만한 요약 문장이 없어 기본(오프라인) 요약을 보여 드립니다.")
    return SummaryBatch(summaries, chat.name, tuple(notices))
