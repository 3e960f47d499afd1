"""Candidate summaries and interview questions of talent recommendation (인재추천), grounded.

The offline default composes both from the candidate's record — facts that are already masked
(no name, contact, address or resident number ever reaches this module) — so every sentence rests on
a field or a document sentence, which it carries as its evidence. :func:`verify_sentences` checks any
text (the offline composer's or a language model's) against the facts: a sentence that names a number,
an occupation or a certificate the record does not hold is dropped. :func:`write_interview_questions`
does the same for interview questions: a model's question stands only when it names a probe that exists and
says nothing its probe sentence or the posting's conditions do not hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.llm.base import GenerationError
from app.text.korean import format_manwon, josa, josa_ro
from app.text.pii import find_pii, mask_pii

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


def _numbers(text: str) -> set[str]:
    """The numbers a text states ("3년." and "3" are the same 3: a sentence's full stop is not part of it)."""
    return {n.rstrip(".,") for n in _NUMBER.findall(text)}


def _unsupported(text: str, ground: str, ground_numbers: set[str], known_names: Sequence[str]) -> list[str]:
    """The numbers and names ``text`` states that ``ground`` does not hold."""
    numbers = sorted(_numbers(text) - ground_numbers)
    return [*numbers, *(n for n in known_names if n and n in text and n not in ground)]


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
    ground_numbers = _numbers(ground)
    kept, dropped = [], []
    for sentence in sentences:
        unsupported = _unsupported(sentence.text, ground, ground_numbers, known_names)
        if unsupported:
            dropped.append(f"근거 없는 내용이 있어 뺀 문장: {', '.join(unsupported)}")
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


OFFLINE_QUESTIONS = "기본(오프라인) 질문"
"""Name of the offline question composer as the AI notice and the audit log show it."""

QUESTION_KINDS = ("duty", "claim", "certificate", "gap", "wage")
"""The probe kinds a question is written for (see :class:`Probe`)."""


@dataclass(frozen=True)
class InterviewQuestion:
    """One interview question tied to the sentence it probes.

    Attributes:
        question: The question.
        probes: The probe's sentence (its evidence, as the source holds it, masked).
        source: Where the sentence is from (이력서, 자기소개서, 자격증 or 공고).
        writer: Who wrote the question: :data:`OFFLINE_QUESTIONS` or the language model's name.
    """

    question: str
    probes: str
    source: str
    writer: str = OFFLINE_QUESTIONS


def _offline_question(probe: Probe) -> InterviewQuestion | None:
    """The offline composer's question for one probe (``None`` for a kind it has no question for)."""
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
        return None
    return InterviewQuestion(question=text, probes=probe.sentence, source=probe.source)


def askable_probes(probes: Sequence[Probe], limit: int = 5) -> tuple[Probe, ...]:
    """The probes that get a question: those of a known kind, in order, at most ``limit``."""
    return tuple(p for p in probes if p.kind in QUESTION_KINDS)[:limit]


def compose_interview_questions(probes: Sequence[Probe], limit: int = 5) -> tuple[InterviewQuestion, ...]:
    """Questions for the sentences in ``probes`` (deterministic, offline; job-related only: never age,
    family, health, religion or other personal matters).

    Args:
        probes: Sentences from the résumé, cover letter and posting, already masked.
        limit: Most questions returned.

    Returns:
        One question per probe, in the probes' order, at most ``limit``.
    """
    return tuple(q for q in map(_offline_question, askable_probes(probes, limit)) if q is not None)


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


def _json_object(content: str, what: str) -> object:
    """The JSON object in a model's answer (servers that ignore ``json_object`` wrap it in prose)."""
    start, end = content.find("{"), content.rfind("}")
    if start >= 0 and end > start:
        try:
            return json.loads(content[start:end + 1])
        except ValueError:
            pass
    raise GenerationError(f"LLM 서버의 {what} JSON 형식이 아닙니다")


def _parse_summaries(content: str) -> dict[str, list[str]]:
    data = _json_object(content, "요약이")
    try:
        items = data["summaries"]  # type: ignore[index]
        if not isinstance(items, list):
            raise TypeError
        return {str(item["id"]): [str(s) for s in item["sentences"] if str(s).strip()][:SUMMARY_SENTENCES]
                for item in items if isinstance(item, dict)}
    except (KeyError, TypeError):
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


# --------------------------------------------------------------------------- interview questions by a language model

QUESTION_MAX_CHARS = 200
"""Longest question kept (the offline ones are under 100 characters: a longer one is a speech)."""

QUESTION_SYSTEM = (
    "당신은 한국 공공고용서비스에서 구인기업의 면접 준비를 돕는 도우미입니다. 주어진 근거 문장마다 그 문장을 확인하는 "
    "면접 질문을 하나씩 씁니다. 직무와 관련된 것만 묻고, 근거 문장과 공고 조건에 없는 숫자, 직종, 자격증, 경력을 "
    "지어내지 않습니다. 나이, 성별, 결혼, 가족, 임신, 건강, 신체, 외모, 종교, 출신 지역, 재산은 묻지 않습니다. "
    f"이름과 연락처는 쓰지 않습니다. 질문 하나는 {QUESTION_MAX_CHARS}자 이내입니다. "
    '결과는 JSON 객체 하나로만 답합니다: {"questions": [{"probe": 근거 번호, "question": "질문"}]}'
)

_PROBE_KIND_LABELS = {"duty": "이력서의 경력 업무", "claim": "자기소개서의 주장", "certificate": "보유 자격증",
                      "gap": "공고 요건에 못 미치는 점", "wage": "희망 급여와 공고 임금의 차이"}

# what an interviewer may not ask (채용절차법 제4조의3: 신체 조건, 출신 지역, 혼인 여부, 재산, 가족의 학력·직업·재산),
# and what the offline composer never asks either; a model's question naming one is dropped
_PERSONAL_MATTERS = re.compile(r"나이|연령|결혼|혼인|배우자|가족|부모|자녀|임신|출산|종교|신앙|신장|키가|몸무게|체중|외모|용모|"
                               r"성별|고향|출신|재산")

# an occupation or certificate name of two syllables is too often part of an ordinary word ("의사" in
# "의사소통", "사서" in "사서함") to count as a claim; the summaries' sentences rarely hit it, questions do
_CHECKED_NAME_MIN = 3


@dataclass(frozen=True)
class QuestionBatch:
    """One candidate's interview questions and how they were made.

    Attributes:
        questions: One per askable probe, in the probes' order.
        backend: Who wrote them (shown in the AI notice and logged): :data:`OFFLINE_QUESTIONS` or the model.
        notices: Korean notes for the page (a fallback, dropped questions).
    """

    questions: tuple[InterviewQuestion, ...]
    backend: str
    notices: tuple[str, ...] = ()


def question_messages(probes: Sequence[Probe], requirements: Mapping[str, str]) -> list[dict[str, str]]:
    """Chat messages asking for one question per probe (numbered from 1), with the posting's conditions.

    The evidence layer masks the probes' sentences; they are masked once more here (masking is
    idempotent), so no caller can hand the model a résumé's personal data.
    """
    payload = {
        "공고 조건": {name: mask_pii(str(value)) for name, value in requirements.items() if value},
        "근거": [{"번호": number, "종류": _PROBE_KIND_LABELS[probe.kind], "출처": probe.source,
                "문장": mask_pii(probe.sentence), **({"세부": mask_pii(probe.detail)} if probe.detail else {})}
               for number, probe in enumerate(probes, start=1)],
    }
    return [{"role": "system", "content": QUESTION_SYSTEM},
            {"role": "user", "content": "다음 근거마다 면접 질문을 하나씩 써 주세요.\n" + json.dumps(payload, ensure_ascii=False)}]


def _parse_questions(content: str) -> list[tuple[object, str]]:
    data = _json_object(content, "질문이")
    try:
        items = data["questions"]  # type: ignore[index]
        if not isinstance(items, list):
            raise TypeError
    except (KeyError, TypeError):
        raise GenerationError("LLM 서버의 답에 질문 목록이 없습니다") from None
    return [(item.get("probe"), str(item.get("question") or "").strip()) for item in items if isinstance(item, dict)]


def _probe_position(value: object, count: int) -> int | None:
    """0-based position of a probe number the model gave (1-based, as sent), ``None`` when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= count:
        return value - 1
    return None


def verify_questions(answered: Sequence[tuple[object, str]], probes: Sequence[Probe],
                     requirements: Mapping[str, str], known_names: Sequence[str] = ()) -> tuple[dict[int, str], tuple[str, ...]]:
    """Keep a model's questions that name a probe and say nothing the probe and the posting do not hold.

    A question is dropped when its probe number does not exist (or already has a question), when it
    is empty or longer than :data:`QUESTION_MAX_CHARS`, when it holds personal data (phone, e-mail,
    resident number, name, address …), when it asks about personal matters, or when it states a number
    or an occupation/certificate name that is not in its probe's sentence, the probe's detail or the
    posting's conditions (the check :func:`verify_sentences` makes of summaries).

    Args:
        answered: (probe number, question) pairs as the model wrote them (numbers from 1).
        probes: The probes sent, in order.
        requirements: The posting's conditions sent with them.
        known_names: Occupation and certificate names a question could invent.

    Returns:
        The kept questions by probe position, and a Korean reason for each dropped one.
    """
    names = [n for n in known_names if len(n) >= _CHECKED_NAME_MIN]
    kept: dict[int, str] = {}
    dropped: list[str] = []
    for number, text in answered:
        position = _probe_position(number, len(probes))
        if position is None:
            dropped.append("없는 근거 번호")
            continue
        reason = "한 근거에 두 번째 질문" if position in kept else _question_problem(text, probes[position],
                                                                                  requirements, names)
        if reason:
            dropped.append(reason)
        else:
            kept[position] = text
    return kept, tuple(dropped)


def _question_problem(text: str, probe: Probe, requirements: Mapping[str, str], names: Sequence[str]) -> str:
    """Why a model's question for ``probe`` cannot be shown (``""`` when it can)."""
    if not text:
        return "빈 질문"
    if len(text) > QUESTION_MAX_CHARS:
        return f"{QUESTION_MAX_CHARS}자가 넘는 질문"
    if find_pii(text):
        return "개인정보로 보이는 내용"
    if _PERSONAL_MATTERS.search(text):
        return "직무와 관계없는 개인 사항"
    ground = " ".join([probe.sentence, probe.detail, *map(str, requirements.values())])
    return "근거에 없는 숫자나 이름" if _unsupported(text, ground, _numbers(ground), names) else ""


def write_interview_questions(probes: Sequence[Probe], chat: SummaryChat | None,
                              requirements: Mapping[str, str] | None = None, known_names: Sequence[str] = (),
                              *, limit: int = 5) -> QuestionBatch:
    """One question per askable probe: the model's when a backend is configured and its question holds up
    against the probe (:func:`verify_questions`), else the offline composer's (with a notice saying why).

    Args:
        probes: The candidate's probes (already masked by the evidence layer).
        chat: The configured chat backend, or ``None`` for the offline composer.
        requirements: The posting's conditions, Korean label → value (what a question may also cite).
        known_names: Occupation and certificate names a question could invent.
        limit: Most questions.

    Returns:
        The questions (each keeping its probe's sentence and source as evidence), who wrote them and the notices.
    """
    asked = askable_probes(probes, limit)
    offline = compose_interview_questions(asked, limit)
    if chat is None or not asked:
        return QuestionBatch(offline, OFFLINE_QUESTIONS)
    requirements = requirements or {}
    try:
        answered = _parse_questions(chat.chat(question_messages(asked, requirements), json_object=True))
    except GenerationError as err:
        return QuestionBatch(offline, OFFLINE_QUESTIONS,
                             (f"{chat.name} 면접 질문 생성에 실패해 기본(오프라인) 질문을 보여 드립니다: {err}",))
    kept, dropped = verify_questions(answered, asked, requirements, known_names)
    notices = []
    if dropped:
        notices.append(f"근거와 맞지 않는 면접 질문 {len(dropped)}개를 뺐습니다 ({', '.join(dict.fromkeys(dropped))}).")
    if not kept:
        notices.append(f"{chat.name}의 면접 질문 중 쓸 만한 것이 없어 기본(오프라인) 질문을 보여 드립니다.")
        return QuestionBatch(offline, OFFLINE_QUESTIONS, tuple(notices))
    if len(kept) < len(asked):
        notices.append(f"질문 {len(asked) - len(kept)}개는 기본(오프라인) 질문입니다.")
    questions = tuple(InterviewQuestion(kept[i], probe.sentence, probe.source, chat.name) if i in kept else offline[i]
                      for i, probe in enumerate(asked))
    return QuestionBatch(questions, chat.name, tuple(notices))
