"""Posting writing assistant (구인공고 AI 작성지원): the use cases the page imports.

Flow: the employer answers the Q&A (:mod:`.posting_answers`) → :func:`classify_occupation` proposes
the KECO 소분류 top-3 → :func:`compose_draft` writes every section with the configured backend
(offline by default), masks personal data in it and verifies it → the employer edits the sections
while :func:`review_draft` keeps the mandatory-item checklist and the verification (rules, minimum
wage, hours, identity, duplicates) live, each finding with its fix → :func:`hiring_preview` shows
the fill probability when the hiring model is built → :func:`save_posting` stores it as the
employer's posting in one transaction (a draft the verifier blocks is refused).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from app.db.repositories import employers as employer_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import unit_of_work
from app.db.repositories.employers import EmployerCard
from app.errors import InvalidInput
from app.labour import monthly_equivalent
from app.llm.base import SECTION_LABELS, SECTIONS, GenerationResult, PostingDraft, PostingRequest, TextGenerator
from app.llm.offline import BACKEND_NAME as OFFLINE_NAME
from app.llm.offline import OfflineGenerator, occupation_knowledge
from app.ml.model_card import ModelCard
from app.ml.occupation import CONFIDENCE_FLOOR, OccupationClassifier, OccupationGuess, posting_text
from app.reference.tables import load_reference
from app.services.ads import DraftAd, check_draft
from app.services.hiring.conditions import PostingAccessDenied, validate_conditions
from app.services.hiring.scoring import Prediction, predict
from app.services.posting.answers import AssistantAnswers, parse_answer, validate_answers
from app.text.korean import format_manwon, format_wage
from app.text.pii import mask_pii
from app.verify.decision import Verdict
from app.verify.rules import RuleHit
from app.verify.verifier import AdVerifier

if TYPE_CHECKING:
    from app.ml.hiring import HiringModel

POSTING_DAYS = 30
"""Days a saved posting stays open (the 고용24 default period)."""
MAX_SECTION_CHARS = 3_000
MODEL_NAME = "posting_assistant"

CARD = ModelCard(
    name=MODEL_NAME,
    title="구인공고 AI 작성지원",
    purpose="구인기업이 질문에 답한 내용으로 구인공고 초안을 빠르게 쓰고, 필수 항목과 법 위반 여부를 함께 점검하도록 "
            "돕습니다.",
    output=f"구인공고 초안(제목, {', '.join(SECTION_LABELS.values())}). 문안은 구인기업이 고쳐 쓸 수 있는 제안입니다.",
    shown_on=("posting_assistant",),
    criteria=("구인기업이 답한 내용(직무명, 담당 업무, 임금, 근로시간, 복리후생, 요건 등)",
              "직종별 참고 정보(대표 업무, 기술, 자격증)", "채용절차법이 정한 안내 문구(결과 통지, 서류 반환, 비용 금지)"),
    not_used="구직자·지원자의 정보는 쓰지 않습니다. 채용 담당 연락처 외에 글에 들어간 개인정보(주민등록번호, 다른 전화번호 등)는 "
             "초안에서 가려집니다.",
    training_data="기본 작성기는 학습한 모델이 아니라, 구인기업의 답변과 직종 참고표(한국직업사전에서 추린 구절)만으로 "
                  "문장을 짓는 규칙 기반 작성기입니다. 관리자가 외부 언어모델(LLM 서버나 로컬 모델)을 설정한 경우 그 모델의 "
                  "학습 데이터는 모델 제공자가 공개한 자료를 따릅니다.",
    human_oversight="모든 문장은 구인기업 담당자가 확인하고 고칩니다. 저장하기 전에 필수 항목 점검과 구인광고 AI 검증을 "
                    "거치며, 차단 판정을 받은 초안은 고치기 전에는 저장되지 않습니다.",
    contest="초안이 마음에 들지 않으면 화면에서 직접 고치거나 다시 만들면 됩니다. 검증 판정에 대한 재검토는 '구인광고 AI "
            "검증'의 절차를 따릅니다.",
    limits="초안은 답변과 참고표에 있는 내용만 씁니다. 회사의 실제 사정과 다른 문장이 없는지 담당자가 확인해야 합니다. "
           "외부 언어모델이 실패하거나 문안이 차단되면 기본 작성기의 문안으로 바뀌고 화면에 알립니다.",
    quality_note="빌드 때 기록하는 지표가 없습니다. 데모 세계에서 품질 측정 스크립트로 잰 값: "
                 "적법한 공고 200건을 다시 쓴 초안의 검증 통과율 100%, 필수 항목 포함률 100%.",
    fairness_note="생성된 문안은 저장 전에 구인광고 AI 검증을 거쳐 성별·연령·외모 차별 같은 표현이 걸러집니다.",
    built=False,
)
"""Transparency notice of the posting generator (not a built artifact: the backend is a setting)."""


class InvalidPosting(InvalidInput):
    """A draft that cannot be saved (Korean message)."""


# --------------------------------------------------------------------------- occupation


def classify_occupation(classifier: OccupationClassifier, answers: AssistantAnswers, k: int = 3) -> list[OccupationGuess]:
    """KECO 소분류 top-``k`` of the job title and duties, with the words behind each."""
    return classifier.top_k(posting_text(answers.job_title, "\n".join(answers.duties)), k)


def is_confident(guesses: Sequence[OccupationGuess]) -> bool:
    """Whether the first candidate is sure enough to be preselected (top-1 probability at or above
    :data:`app.ml.occupation.CONFIDENCE_FLOOR`); otherwise the employer is asked to choose."""
    return bool(guesses) and guesses[0].probability >= CONFIDENCE_FLOOR


def evidence_text(guess: OccupationGuess) -> str:
    """The evidence of one candidate in Korean: its words, a word matched to a dictionary name
    as "'바리스타' ↔ 직업사전 '바리스타'" (plain text: escape it before Markdown)."""
    matched = dict(guess.matches)
    parts = [f"'{word}' ↔ 직업사전 '{matched[word]}'" if word in matched else f"'{word}'" for word in guess.terms]
    parts += [f"'{word}' ↔ 직업사전 '{name}'" for word, name in guess.matches if word not in guess.terms]
    return ", ".join(parts)


def occupation_options() -> dict[str, str]:
    """Every KECO 소분류 code → "name · its middle group", for choosing another occupation (names
    are unique; the group helps find one, and no code is shown to the employer)."""
    occupations = load_reference().occupations
    return {str(c): f"{n} · {m}" for c, n, m in zip(occupations["keco_code"], occupations["name"],
                                                    occupations["middle_name"], strict=True)}


# --------------------------------------------------------------------------- generation


def welfare_names(codes: Sequence[str]) -> list[str]:
    """Korean names of welfare codes, in code order."""
    items = load_reference().welfare_items
    names = dict(zip(items["code"].astype(str), items["name"].astype(str), strict=True))
    return [names[c] for c in sorted(codes) if c in names]


def make_request(answers: AssistantAnswers, keco_code: str, *, company_name: str, default_contact: str = "") -> PostingRequest:
    """The generator's input from validated answers and the confirmed occupation.

    Raises:
        KeyError: Unknown occupation code (Korean message).
    """
    benefits = (*welfare_names(answers.welfare_codes), *answers.benefits_extra)
    return PostingRequest(
        company_name=company_name.strip() or "(회사명)", company_line=answers.company_line, job_title=answers.job_title,
        duties=answers.duties, occupation=occupation_knowledge(keco_code), region=answers.region_name,
        workplace=answers.workplace, employment_type=answers.employment_type, weekly_hours=answers.weekly_hours,
        work_days=answers.work_days, work_time=answers.work_time, wage_type=answers.wage_type,
        wage_amount=answers.wage_amount, requirements=answers.requirements, preferred=answers.preferred,
        benefits=benefits, headcount=answers.headcount, contact=answers.contact or default_contact,
        career=answers.career, education=answers.education,
        min_career_years=answers.min_career_years if answers.career == "경력" else 0,
    )


def _mask_keeping(text: str, keep: Sequence[str]) -> str:
    """:func:`mask_pii`, except the employer's own business details (contact, workplace), which
    직업안정법 requires a posting to show."""
    kept = [k for k in dict.fromkeys(keep) if k and len(k) >= 4]
    placeholders = {f"\ue000{i}\ue001": value for i, value in enumerate(kept)}
    for token, value in placeholders.items():
        text = text.replace(value, token)
    text = mask_pii(text)
    for token, value in placeholders.items():
        text = text.replace(token, value)
    return text


def mask_draft(draft: PostingDraft, request: PostingRequest) -> tuple[PostingDraft, int]:
    """The draft with personal data masked in every field, and how many fields changed."""
    keep = [request.contact, f"{request.region} {request.workplace}".strip(), request.workplace]
    changes = {}
    for key in ("title", *SECTIONS):
        value = getattr(draft, key)
        masked = _mask_keeping(value, keep)
        if masked != value:
            changes[key] = masked
    return (draft.replace(**changes) if changes else draft), len(changes)


@dataclass(frozen=True)
class ComposedDraft:
    """A generated draft after masking, with how it was made.

    Attributes:
        draft: The masked draft.
        backend: Name of the backend that wrote it.
        notices: Korean notices to show (fallbacks, repairs, masking).
        fell_back: Whether the offline composer replaced the configured backend.
    """

    draft: PostingDraft
    backend: str
    notices: tuple[str, ...] = ()
    fell_back: bool = False


def compose_draft(generator: TextGenerator, request: PostingRequest, *, verifier: AdVerifier | None = None,
                  year: int | None = None) -> ComposedDraft:
    """Write the draft, mask personal data, and — for a language-model draft — verify it.

    A language-model draft that the verifier blocks while the offline draft of the same answers
    does not is replaced by the offline draft, with a notice (the model added unlawful wording).
    """
    result: GenerationResult = generator.generate(request)
    notices = list(result.notices)
    draft, n_masked = mask_draft(result.draft, request)
    if n_masked:
        notices.append(f"생성된 글의 개인정보를 가렸습니다 ({n_masked}개 항목).")
    fell_back = result.fell_back
    if verifier is not None and result.backend != OFFLINE_NAME:
        if verify_text(verifier, draft, request, year=year).decision == "block":
            offline_draft, _ = mask_draft(OfflineGenerator().generate(request).draft, request)
            if verify_text(verifier, offline_draft, request, year=year).decision != "block":
                notices.insert(0, f"{result.backend}의 문안이 검증에서 차단되어 기본(오프라인) 문안으로 바꿨습니다.")
                return ComposedDraft(offline_draft, OFFLINE_NAME, tuple(notices), True)
    return ComposedDraft(draft, result.backend, tuple(notices), fell_back)


# --------------------------------------------------------------------------- review


def draft_ad(draft: PostingDraft, request: PostingRequest, *, year: int | None = None) -> DraftAd:
    """The verifier's view of a draft (title, body, pay, hours, identity)."""
    return DraftAd(title=draft.title[:200] or "(제목 없음)", body=draft.body()[:20_000].ljust(10), wage_type=request.wage_type,
                   wage=request.wage_amount, hours_per_week=request.weekly_hours, year=year,
                   employer_name=request.company_name[:100], contact=request.contact[:100])


def verify_text(verifier: AdVerifier, draft: PostingDraft, request: PostingRequest, *, year: int | None = None) -> Verdict:
    """Verification of the draft as the verifier sees a submitted posting."""
    return check_draft(verifier, draft_ad(draft, request, year=year))


@dataclass(frozen=True)
class ChecklistItem:
    """One mandatory item of a posting.

    Attributes:
        key: Item id.
        label: Korean name.
        ok: Whether the draft has it (or passes it).
        basis: The law or practice that asks for it.
        hint: What to do when it is missing.
    """

    key: str
    label: str
    ok: bool
    basis: str
    hint: str


CHECK_RULES: frozenset[str] = frozenset({"BELOW_MIN_WAGE", "EXCESS_HOURS", "MISSING_IDENTITY", "DUPLICATE"})
"""Verifier hits that are fixed checks, not wording."""
PRESENCE_ITEMS: tuple[str, ...] = (
    "company", "contact", "duties", "workplace", "employment_type", "wage", "hours", "days", "headcount",
    "requirements", "process", "documents",
)
"""Items that are about content being present (the bench's mandatory coverage)."""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mandatory_checklist(draft: PostingDraft, request: PostingRequest, verdict: Verdict | None) -> list[ChecklistItem]:
    """The mandatory items, each checked on the text as it now reads (after the employer's edits)."""
    body = draft.body()
    conditions = draft.conditions
    wage = format_wage(request.wage_type, request.wage_amount)
    hits = {h.rule_id for h in verdict.hits} if verdict is not None else set()
    # text rules only: the fixed checks (minimum wage, hours, identity, duplicate) have items of their own
    text_rules = {h.rule_id for h in verdict.hits if h.rule_id not in CHECK_RULES} if verdict is not None else set()
    contact_digits = _digits(request.contact)
    hours_text = f"{request.weekly_hours:g}시간"
    wage_forms = [wage, f"{request.wage_amount:,}원"]
    if request.wage_type in ("monthly", "annual"):
        wage_forms.append(format_manwon(request.wage_amount))  # "250만원" as employers write it
    items = [
        ("company", "회사명(모집자 신원)", request.company_name in body, "직업안정법 시행령 제34조",
         "회사 소개나 제출 서류에 회사명을 적어 주세요."),
        ("contact", "채용 문의 연락처", bool(contact_digits) and contact_digits in _digits(body), "직업안정법 시행령 제34조",
         "회사 대표 전화 등 연락처를 적어 주세요."),
        ("duties", "담당 업무", len(draft.duties.strip()) >= 4, "근로기준법 제17조(종사 업무)", "담당 업무를 적어 주세요."),
        ("workplace", "근무 장소", bool(request.region) and request.region.split()[0] in body, "근로기준법 제17조(취업 장소)",
         "근무 조건에 근무지를 적어 주세요."),
        ("employment_type", "고용형태", request.employment_type in conditions, "직업안정법 시행령 제34조(고용형태)",
         "근무 조건에 고용형태를 적어 주세요."),
        ("wage", "임금", any(form in body for form in wage_forms),
         "근로기준법 제17조(임금)", f"근무 조건에 임금({wage})을 적어 주세요."),
        ("hours", "소정근로시간", hours_text in body, "근로기준법 제17조(소정근로시간)", f"근무 조건에 '주 {hours_text}'을 적어 주세요."),
        ("days", "근무 요일·휴일", bool(re.search(r"주\s*\d\s*일|[월화수목금토일]\s*~\s*[월화수목금토일]|요일", body)),
         "근로기준법 제17조(휴일)", "근무 요일(예: 주 5일, 월~금)을 적어 주세요."),
        ("headcount", "모집 인원", bool(re.search(rf"{request.headcount}\s*명", body)), "고용24 구인신청 필수 항목",
         "모집 인원을 적어 주세요."),
        ("requirements", "자격 요건", len(draft.requirements.strip()) >= 2, "고용24 구인신청 필수 항목(학력·경력)",
         "학력·경력 등 자격 요건을 적어 주세요."),
        ("process", "전형 절차·결과 안내", len(draft.process.strip()) >= 4, "채용절차법 제8조·제10조",
         "전형 절차와 결과 안내 방법을 적어 주세요."),
        ("documents", "제출 서류", len(draft.documents.strip()) >= 4, "채용절차법 제4조의3", "제출 서류(이력서 등)를 적어 주세요."),
        ("min_wage", "최저임금 이상", "BELOW_MIN_WAGE" not in hits, "최저임금법 제6조", "임금을 해당 연도 최저임금 이상으로 올려 주세요."),
        ("max_hours", "주 52시간 이내", "EXCESS_HOURS" not in hits, "근로기준법 제53조", "주당 근로시간을 52시간 이하로 줄여 주세요."),
        ("lawful_text", "차별·개인정보 요구 문구 없음", not text_rules, "채용절차법·남녀고용평등법·고령자고용법 등",
         "아래 검증 결과의 수정 제안대로 고쳐 주세요."),
    ]
    return [ChecklistItem(key, label, bool(ok), basis, hint) for key, label, ok, basis, hint in items]


def section_findings(draft: PostingDraft, verdict: Verdict) -> dict[str, list[RuleHit]]:
    """The verdict's text hits per field (``title`` and each section), with spans relative to
    that field's text, so the editor can show each finding under the section that has it.

    The verifier saw the title and :meth:`PostingDraft.body`; body spans are mapped back through
    :meth:`PostingDraft.layout` (a hit in the body's title line counts once, as the title's).
    """
    _, offsets = draft.layout()
    starts = sorted(offsets.items(), key=lambda item: item[1])
    found: dict[str, list[RuleHit]] = {}
    seen: set[tuple[str, str, int]] = set()
    for hit in verdict.hits:
        if hit.end <= hit.start or hit.field not in ("title", "body"):
            continue  # fixed checks (wage, hours, identity, duplicate) have no span in the text
        if hit.field == "title":
            key, start = "title", hit.start
        else:
            key, offset = next(((k, o) for k, o in reversed(starts) if o <= hit.start), ("title", 0))
            start = hit.start - offset
            if start + (hit.end - hit.start) > len(getattr(draft, key).strip()):
                continue  # in a heading line, not in a field's text
        if (key, hit.rule_id, start) in seen:
            continue
        seen.add((key, hit.rule_id, start))
        found.setdefault(key, []).append(replace(hit, field=key, start=start, end=start + hit.end - hit.start))
    return found


def remove_flagged_lines(text: str, hits: Sequence[RuleHit]) -> str:
    """The text without the lines that hold a flagged wording (the "문제 문구 삭제" action)."""
    spans = [(h.start, h.end) for h in hits if h.end > h.start]
    kept, position = [], 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not any(s < end + 1 and e > start for s, e in spans):
            kept.append(line)
    return "\n".join(kept).strip("\n")


@dataclass(frozen=True)
class DraftReview:
    """Verification and checklist of the draft as it now reads."""

    verdict: Verdict
    checklist: tuple[ChecklistItem, ...]
    findings: dict[str, list[RuleHit]] = field(default_factory=dict)

    @property
    def missing(self) -> list[ChecklistItem]:
        """Checklist items not yet met."""
        return [i for i in self.checklist if not i.ok]

    @property
    def can_save(self) -> bool:
        """Whether the draft may be saved (anything but a block)."""
        return self.verdict.decision != "block"


def review_draft(verifier: AdVerifier, draft: PostingDraft, request: PostingRequest, *, year: int | None = None) -> DraftReview:
    """Verify the draft and check every mandatory item."""
    verdict = verify_text(verifier, draft, request, year=year)
    return DraftReview(verdict=verdict, checklist=tuple(mandatory_checklist(draft, request, verdict)),
                       findings=section_findings(draft, verdict))


def validate_edits(draft: PostingDraft, edits: Mapping[str, str]) -> PostingDraft:
    """The draft with the employer's edits (title and sections), checked.

    Raises:
        InvalidPosting: An unknown field, an empty title or duties, or a section over 3,000 characters.
    """
    allowed = ("title", *SECTIONS)
    unknown = [k for k in edits if k not in allowed]
    if unknown:
        raise InvalidPosting(f"알 수 없는 항목입니다: {', '.join(unknown)}")
    values = {k: str(v or "").strip() for k, v in edits.items()}
    updated = draft.replace(**values)
    if len(updated.title) < 2:
        raise InvalidPosting("공고 제목을 2자 이상 적어 주세요.")
    if len(updated.title) > 200:
        raise InvalidPosting("공고 제목은 200자 이하여야 합니다.")
    if len(updated.duties) < 2:
        raise InvalidPosting("담당 업무를 적어 주세요.")
    for key in SECTIONS:
        if len(getattr(updated, key)) > MAX_SECTION_CHARS:
            raise InvalidPosting(f"'{SECTION_LABELS[key]}'은(는) {MAX_SECTION_CHARS:,}자 이하여야 합니다.")
    return updated


def draft_hash(draft: PostingDraft, keco_code: str) -> str:
    """SHA-256 of a draft (audit-log key; the text itself is not logged)."""
    payload = "\x1f".join([keco_code, draft.title, *(getattr(draft, k) for k in SECTIONS)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_WARM_UP_ANSWERS: tuple[tuple[str, str], ...] = (
    ("job", "주방 보조 / 설거지, 식재료 손질"), ("place", "서울 중구 세종대로 110"), ("type", "시간제 1명"),
    ("schedule", "주 5일 10:00~15:00"), ("pay", "시급 12,000원"), ("requirements", "없음"), ("preferred", "없음"),
    ("benefits", "식사 제공"), ("company", "동네 식당입니다. 02-000-0000"),
)


def warm_up_draft_review(verifier: AdVerifier) -> None:
    """Write and review one fixed offline draft, so that the employer's first draft does not wait
    for what the first review loads (the verifier's Kiwi analyser and sentence model: ~1–2 s cold).

    Meant to run in a background thread while the employer answers the questions; it reads
    nothing of theirs and writes nothing.
    """
    values: dict[str, object] = {}
    for key, text in _WARM_UP_ANSWERS:
        values.update(parse_answer(key, text))
    request = make_request(validate_answers(values), "532", company_name="(예시 식당)")
    review_draft(verifier, OfflineGenerator().generate(request).draft, request)


# --------------------------------------------------------------------------- hiring preview


def preview_conditions(answers: AssistantAnswers, keco_code: str, draft: PostingDraft, *, size_code: str) -> dict[str, object]:
    """Raw hiring-model conditions of the draft (validate with :func:`app.services.hiring.validate_conditions`)."""
    return {
        "keco_code": keco_code, "region_code": answers.region_code, "size_code": size_code,
        "wage_type": answers.wage_type, "wage_amount": answers.wage_amount, "weekly_hours": answers.weekly_hours,
        "employment_type": answers.employment_type, "career": answers.career,
        "min_career_years": answers.min_career_years if answers.career == "경력" else 0,
        "education": answers.education, "welfare_codes": list(answers.welfare_codes),
        "open_month": dt.date.today().month, "n_sections": sum(1 for k in SECTIONS if getattr(draft, k).strip()),
        "body_chars": len(draft.body()),
    }


def hiring_preview(model: HiringModel, answers: AssistantAnswers, keco_code: str, draft: PostingDraft, *,
                   size_code: str) -> Prediction:
    """The hiring model's fill probability (with interval and reasons) of the draft as it reads now.

    Raises:
        InvalidConditions: The answers are outside what the model scores (Korean message).
    """
    conditions = validate_conditions(preview_conditions(answers, keco_code, draft, size_code=size_code))
    return predict(conditions, model)


# --------------------------------------------------------------------------- save


def employer_profile(engine: Engine, employer_id: int) -> EmployerCard:
    """The employer's card (name, phone, size, region) for the draft.

    Raises:
        PostingAccessDenied: No such employer.
    """
    card = employer_repo.load_employer_card(engine, employer_id)
    if card is None:
        raise PostingAccessDenied("기업 계정 정보를 찾을 수 없습니다. 관리자에게 문의해 주세요.")
    return card


def save_posting(
    engine: Engine,
    *,
    employer_id: int | None,
    answers: AssistantAnswers,
    keco_code: str,
    draft: PostingDraft,
    review: DraftReview,
    today: dt.date | None = None,
) -> int:
    """Store the draft as the employer's posting (``source="assistant"``), in one transaction.

    Raises:
        PostingAccessDenied: No employer account (policy staff try the assistant without saving).
        InvalidPosting: A blocked draft, an empty title/duties, or an unknown occupation.
    """
    if employer_id is None:
        raise PostingAccessDenied("공고 저장은 구인기업 계정만 할 수 있습니다.")
    if not review.can_save:
        raise InvalidPosting("검증에서 차단된 공고는 저장할 수 없습니다. 수정 제안대로 고친 뒤 다시 확인해 주세요.")
    draft = validate_edits(draft, {})
    if keco_code not in occupation_options():
        raise InvalidPosting(f"알 수 없는 직종 코드입니다: {keco_code}")
    opened = today or dt.date.today()
    monthly = int(round(float(monthly_equivalent(answers.wage_type, answers.wage_amount, answers.weekly_hours))))
    with unit_of_work(engine) as uow:
        employer = employer_repo.load_employer_card(uow, employer_id)
        if employer is None:
            raise PostingAccessDenied("기업 계정 정보를 찾을 수 없습니다. 관리자에게 문의해 주세요.")
        return posting_repo.add_posting(uow, dict(
            employer_id=employer.id, keco_code=keco_code, region_code=answers.region_code, title=draft.title,
            company_intro=draft.company_intro, duties=draft.duties, requirements=draft.requirements,
            preferred=draft.preferred, conditions=draft.conditions, benefits=draft.benefits, process=draft.process,
            documents=draft.documents, body=draft.body(), wage_type=answers.wage_type, wage_amount=answers.wage_amount,
            wage_monthly=monthly, weekly_hours=answers.weekly_hours, employment_type=answers.employment_type,
            career=answers.career, min_career_years=answers.min_career_years if answers.career == "경력" else 0,
            education=answers.education, welfare_codes=";".join(answers.welfare_codes), headcount=answers.headcount,
            contact=(answers.contact or employer.phone)[:100], open_date=opened,
            close_date=opened + dt.timedelta(days=POSTING_DAYS), year=opened.year, source="assistant",
        ))
