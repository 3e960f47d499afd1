"""자기소개서 첨삭 (``app.copilot.cover_letter``): feedback kinds, the grounded rewrite, hunks and their
application, the faithfulness check on offline and model-written rewrites, and PII before a model."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from app.copilot.context import SeekerContext, split_sentences
from app.copilot.cover_letter import (
    DELETE_TEXT,
    Hunk,
    PostingFacts,
    apply_hunks,
    cover_letter_task,
    diff_rows,
    ending_style,
    find_cliches,
    fix_spacing,
    formal_ending,
    held_as_goal,
    hunk_rows,
    hunks_from_output,
    letter_sentences,
    parse_place,
    required_education,
    requirement_terms,
    resume_duties,
    sentence_spans,
    spacing_issues,
    split_long,
    word_diff,
)
from app.copilot.generation import CopilotOutput, run_task
from app.copilot.grounding import Ground, Vocabulary, build_vocabulary, check_statements, unsupported_claims
from app.db.engine import make_engine
from app.db.repositories.seekers import load_masked_documents
from app.reference.tables import Reference, load_reference
from app.text.pii import find_pii

LONG = ("설비 점검과 고장 수리를 맡아 왔고, 현장에서 여러 문제를 해결하며 동료들과 함께 생산 라인의 가동률을 높이는 데 "
        "기여했으며, 그 과정에서 안전 수칙을 지키는 것의 중요성을 배웠고, 신입 직원 교육과 작업 표준서 정리도 함께 맡았습니다.")
LETTER = f"""[지원 동기]
저는 어릴 때부터 기계를 만지는 것을 좋아했습니다. 귀사의 설비 보전 직무에 지원하게 되었습니다.

[직무 역량]
저는 성실한 사람입니다. 항상 열심히 일하는 자세로 임했습니다. 무엇이든 할수 있다는 마음으로 일해 왔다.
{LONG}
저는 성실한 사람입니다.

[입사 후 포부]
입사 후에는 최선을 다하겠습니다.  누구보다 빨리 배우겠습니다 ."""
RESUME = """[경력]
2016.03 ~ 2024.02  한빛정밀(주)  생산설비 정비원
   주요 업무: 설비 점검, 고장 수리, 예방 정비
[자격증]
2015.08  전기기능사
2019.11  공유압기능사
[보유 기술]
PLC, 공압, 유압"""
POSTING = PostingFacts.from_sections(
    "설비 보전 담당자 채용",
    duties="• 생산설비 예방 정비\n• 고장 수리 및 점검",
    requirements="• 관련 경력 3년 이상\n• 공유압기능사 또는 전기기능사 소지자\n• PLC 프로그래밍 가능자",
    preferred="• 설비보전기사 자격 보유자\n• 교대 근무 가능자\n\n전형 절차\n서류 - 면접",
)
KEYS = re.compile(r"\b(?:cover|resume|record|posting|table|derived|note|after|delete)[.:]")


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def vocab(ref: Reference) -> Vocabulary:
    return build_vocabulary(ref.certificates["name"], ref.occupations["name"])


def make_context(**changes: object) -> SeekerContext:
    """A hand-built seeker: 8 years of equipment maintenance, two certificates, the letter above."""
    base = SeekerContext(
        seeker_id=1, age=34, education="전문대졸", career_years=8.0, desired_keco="811",
        desired_occupation="기계장비 설치·정비원(운송장비 제외)", desired_wage=3_000_000, desired_region="경기",
        registered_on=dt.date(2025, 11, 3), as_of=dt.date(2026, 1, 5), last_keco="811",
        last_occupation="기계장비 설치·정비원(운송장비 제외)", skills=("PLC", "공압", "유압"),
        certificates=("전기기능사", "공유압기능사"), resume=RESUME, cover_letter=LETTER)
    return replace(base, **changes)


def offline(context: SeekerContext, vocab: Vocabulary, ref: Reference, posting: PostingFacts | None = None,
            ) -> CopilotOutput:
    return run_task(cover_letter_task(context, posting, vocab, reference=ref), None, vocab)


def texts(output: CopilotOutput, kind: str) -> list[str]:
    return [s.text for s in output.of_kind(kind)]


# --------------------------------------------------------------------------- sentences


def test_sentence_spans_map_every_sentence_to_its_place() -> None:
    letter = "1. 성장 과정\n저는 서울에서 자랐습니다.  동아리 활동을 했습니다.\n\n2. 지원 동기\n귀사에 지원합니다."
    spans = sentence_spans(letter)
    assert [letter[s:e] for s, e in spans] == split_sentences(letter)
    assert [LETTER[s:e] for s, e in sentence_spans(LETTER)] == split_sentences(LETTER)


def test_letter_sentences_tell_headings_parts_and_paragraphs() -> None:
    sentences = letter_sentences(LETTER)
    headings = [s.text for s in sentences if s.heading]
    assert headings == ["[지원 동기]", "[직무 역량]", "[입사 후 포부]"]
    by_key = {s.key: s for s in sentences}
    assert by_key["cover.2"].section == "motive"
    assert by_key["cover.5"].section == "competency"
    assert by_key["cover.11"].section == "plan"
    assert [s.paragraph for s in sentences][:4] == [1, 1, 1, 2]
    # without headings a paragraph's part comes from its cue words
    plain = letter_sentences("귀사의 채용 공고를 보고 지원했습니다.\n\n입사 후에는 업무를 빠르게 익히겠습니다.")
    assert [s.section for s in plain] == ["motive", "plan"]


# --------------------------------------------------------------------------- wording checks and fixes


def test_wording_helpers() -> None:
    assert find_cliches("항상 열심히 일하겠습니다.") == ["열심히", "항상"]
    assert find_cliches("입사 후에는 최선을 다하겠습니다.") == ["최선을 다하겠습니다"]
    assert find_cliches("꼼꼼함과 성실함을 강점으로 생각합니다.") == ["성실함"]
    assert spacing_issues("무엇이든 할수 있다는 마음") == [("할수 있", "할 수 있")]
    assert spacing_issues("실수 없이 마무리했습니다.") == []  # 실수 is a noun, not 실 + 수
    assert fix_spacing("일을 하는것이 좋고  배울수 있습니다 .") == "일을 하는 것이 좋고 배울 수 있습니다."
    assert [ending_style(s) for s in ("했습니다.", "했어요.", "했다.", "[직무 역량]")] == ["formal", "polite", "plain", ""]
    assert formal_ending("일해 왔다.") == "일해 왔습니다."
    assert formal_ending("배운다") == "배웁니다."
    assert formal_ending("저는 사람이에요.") == "저는 사람입니다."
    assert formal_ending("그렇다.") == "그렇다."  # no rule it can trust: unchanged
    assert len(LONG) == 132
    assert split_long(LONG) == LONG.replace("기여했으며, ", "기여했습니다. ")
    assert split_long("짧은 문장은 그대로 둡니다.") == "짧은 문장은 그대로 둡니다."


def test_held_certificate_written_as_goal() -> None:
    assert held_as_goal("3년 안에 제빵기능사 자격을 갖추어 전문성을 높이겠습니다.", ["제빵기능사"]) == ["제빵기능사"]
    assert held_as_goal("제빵기능사 자격을 살려 현장에 기여하겠습니다.", ["제빵기능사"]) == []
    assert held_as_goal("제빵기능사 자격을 취득했습니다.", ["제빵기능사"]) == []


def test_resume_duties_and_requirement_terms() -> None:
    context = make_context(resume=RESUME + "\n[경력 사항]\n- 라인 순회 점검\n[보유 기술]\n- 용접")
    duties = resume_duties(context.document_sources())
    assert [d.text for d in duties] == ["설비 점검", "고장 수리", "예방 정비", "라인 순회 점검"]
    assert requirement_terms("• PLC 프로그래밍 가능자") == ["PLC", "프로그래밍"]
    assert requirement_terms("관련 경력 3년 이상") == []
    # generic work words, adnominal forms and soft traits are no requirement a letter can address
    assert requirement_terms("업무에 대한 책임감과 열정이 있으신 분") == []
    assert requirement_terms("최신 트렌드를 지속적으로 학습하는 새로운 작업 환경") == ["트렌드"]
    assert requirement_terms("서울 수도권 내 맥주 판매", stop={"서울"}) == ["맥주", "판매"]
    assert required_education("학력 : 초대졸 이상(시각디자인 관련 전공)") == "전문대졸"
    assert required_education("대졸 이상 (4년)") == "대졸"
    assert required_education("관련 학과 졸업자") is None
    headed = PostingFacts.from_sections("디자이너", requirements="[필요역량]\n• 포토샵 능숙자\n• 필수 제출 서류: 이력서, "
                                                             "포트폴리오\n자격요건:\n• Figma 사용 가능자")
    assert headed.requirements == ("포토샵 능숙자", "Figma 사용 가능자")
    # personal attributes, legal status and "no requirement" lines are not requirements to address; a header
    # of the conditions ends the items, a one-line header of them is skipped
    listed = PostingFacts.from_sections("청소원", requirements=(
        "【자격 요건】\n○ 키 155cm 이상\n○ 여성 우대\n○ 학력 무관\n근무지 : 서울\n○ 경력 제한 없음 / 경력 1년 이상\n"
        "○ 국가보훈대상자 우대\n○ 건강기능식품 판매 경험\n【근무 조건】\n▶ 고용형태: 계약직"))
    assert listed.requirements == ("경력 제한 없음 / 경력 1년 이상", "건강기능식품 판매 경험")
    body = ("공고 제목\n\n【회사 소개】\n제조업 분야에서 15년 넘게 성장했습니다.\n\n【담당 업무】\n▶ 투입량 조절\n▶ 레버 조작 등\n\n"
            "【자격 요건】\n① 컨베이어 역량 보유자\n② 학력 무관\n\n【우대 사항】\n▶ 광학기능사 소지자\n\n【근무 조건】\n"
            "▶ 근무지: 전라남도\n\n【제출 서류】\n전화 문의: 061-563-9048")
    whole = PostingFacts.from_body("조작원 채용", body)
    assert (whole.duties, whole.requirements, whole.preferred) == (
        ("투입량 조절", "레버 조작 등"), ("컨베이어 역량 보유자",), ("광학기능사 소지자",))
    assert POSTING.requirements == ("관련 경력 3년 이상", "공유압기능사 또는 전기기능사 소지자", "PLC 프로그래밍 가능자")
    assert POSTING.preferred == ("설비보전기사 자격 보유자", "교대 근무 가능자")  # the procedure is cut


# --------------------------------------------------------------------------- feedback


def test_feedback_finds_cliches_long_sentences_and_style(vocab: Vocabulary, ref: Reference) -> None:
    output = offline(make_context(), vocab, ref)
    wording = " ".join(texts(output, "wording"))
    for phrase in ("‘열심히’", "‘항상’", "‘최선을 다하겠습니다’", "‘성실한’", "‘누구보다’", "‘무엇이든’"):
        assert phrase in wording
    assert "132자로, 120자를 넘는 긴 문장입니다" in wording
    assert "‘-다’체로 끝나" in wording
    assert "할수 있 → 할 수 있" in wording
    assert "같은 문장이 앞에도 있습니다" in wording
    assert output.removed == 0


def test_structure_tells_length_and_missing_parts(vocab: Vocabulary, ref: Reference) -> None:
    letter = "귀사의 채용 공고를 보고 지원했습니다. 설비 점검 업무를 맡아 고장을 줄였습니다."
    output = offline(make_context(cover_letter=letter), vocab, ref)
    structure = texts(output, "structure")
    chars = len(letter)
    assert structure[0] == (f"자기소개서는 공백 포함 {chars}자로, 흔히 권하는 500~1,500자보다 짧습니다. "
                            "맡았던 업무와 그 결과를 더 쓸 여유가 있습니다.")
    assert any(t.startswith("‘입사 후 포부’에 해당하는 내용이 보이지 않습니다.") for t in structure)
    assert not any("‘지원 동기’에 해당하는 내용이 보이지" in t for t in structure)
    assert output.data["letter_chars"] == chars


def test_evidence_backs_a_vague_claim_with_the_record(vocab: Vocabulary, ref: Reference) -> None:
    output = offline(make_context(), vocab, ref)
    evidence = output.of_kind("evidence")
    vague = [s for s in evidence if "강점을 말하지만" in s.text]
    assert len(vague) == 1  # the repeated sentence is told once
    assert vague[0].sources == ("cover.5", "resume.3")
    assert "‘예방 정비’" in vague[0].text  # the one duty of the résumé the letter does not mention
    assert any("실제 업무(‘설비 점검’)" in s.text for s in evidence)
    insert = [s for s in output.of_kind("rewrite") if s.detail == "after:cover.5"]
    assert [s.text for s in insert] == ["8년 동안 일하며 예방 정비 업무를 맡았습니다."]
    assert set(insert[0].sources) == {"cover.5", "record.career", "resume.3"}


def test_a_held_certificate_written_as_a_goal_is_corrected(vocab: Vocabulary, ref: Reference) -> None:
    letter = "[입사 후 포부]\n3년 안에 전기기능사 자격을 갖추어 전문성을 높이겠습니다."
    output = offline(make_context(cover_letter=letter), vocab, ref)
    assert any("전기기능사는 기록상 이미 보유한 자격입니다" in t for t in texts(output, "evidence"))
    [rewrite] = [s for s in output.of_kind("rewrite") if s.detail == "cover.2"]
    assert rewrite.text == "전기기능사 자격을 이미 갖추고 있으며, 이를 바탕으로 전문성을 더 높이겠습니다."
    assert "record.certificates" in rewrite.sources


def test_fit_to_a_posting(vocab: Vocabulary, ref: Reference) -> None:
    output = offline(make_context(), vocab, ref, POSTING)
    assert output.kinds["fit"] == "공고 적합성"
    fit = output.of_kind("fit")
    by_text = {s.text: s for s in fit}
    held = "공고가 요구·우대하는 공유압기능사 자격을 보유하고 있지만 자기소개서에는 없습니다. 보유 사실을 쓰면 좋습니다."
    assert by_text[held].sources == ("posting.req.2", "record.certificates")
    assert "공고가 요구·우대하는 설비보전기사 자격은 기록에 없습니다." in by_text
    years = "공고는 경력 3년 이상을 요구하며, 기록의 경력은 8년입니다. 자기소개서에 경력 기간을 밝히면 좋습니다."
    assert by_text[years].sources == ("posting.req.1", "record.career")
    assert any("‘PLC 프로그래밍 가능자’ 요건과 관련된 ‘PLC’이(가) 기록에는 있지만" in t for t in by_text)
    assert any(t.startswith("공고의 ‘고장 수리 및 점검’ 요건을 자기소개서가 다룹니다") for t in by_text)
    assert any("‘교대 근무 가능자’ 요건은 자기소개서와 기록 모두에서 확인되지 않습니다" in t for t in by_text)
    assert output.data["fit"] == {"posting_lines": 7, "addressed": 1, "record_only": 2, "missing": 1}
    graduate = replace(POSTING, requirements=(*POSTING.requirements, "학력: 대졸 이상"))
    education = texts(offline(make_context(), vocab, ref, graduate), "fit")
    assert ("공고는 학력 대졸 이상을 요구하며, 기록의 학력은 전문대졸로 요건에 못 미칩니다. 상담에서 지원 여부를 함께 "
            "판단해 보세요.") in education
    # the certificates the posting asks for, held but never named, go into the draft
    assert "전기기능사, 공유압기능사 자격을 갖추고 있습니다." in texts(output, "rewrite")
    assert output.removed == 0


def test_fit_to_the_desired_occupation(vocab: Vocabulary, ref: Reference) -> None:
    letter = "[직무 역량]\n장비설치 업무를 맡아 일했습니다. 성실함이 강점입니다."
    context = make_context(cover_letter=letter, skills=("장비설치", "유틸리티", "사전예방점검"),
                           certificates=("기계정비기능사",))
    output = offline(context, vocab, ref)
    assert output.kinds["fit"] == "직무 적합성"
    fit = texts(output, "fit")
    assert "자기소개서가 기계장비 설치·정비원(운송장비 제외) 직무에 필요한 ‘장비설치’를 다룹니다." in fit
    assert any("‘사전예방점검’, ‘유틸리티’" in t and "기록에 있지만 자기소개서에는 없습니다" in t for t in fit)
    assert ("보유한 기계정비기능사 자격은 기계장비 설치·정비원(운송장비 제외) 직무 관련 자격인데 자기소개서에는 없습니다. "
            "보유 사실을 쓰면 좋습니다.") in fit
    assert {"table.occupation.skills", "table.occupation.certificates"} <= {k for s in output.of_kind("fit")
                                                                             for k in s.sources}


# --------------------------------------------------------------------------- faithfulness of the offline composer


def assert_grounded(context: SeekerContext, vocab: Vocabulary, ref: Reference, posting: PostingFacts | None) -> None:
    """Offline statements pass the check with no removal; every rewrite rests on the seeker's own sources
    only; no source key or English label in shown text; hunks come from every rewrite statement."""
    task = cover_letter_task(context, posting, vocab, reference=ref)
    result = check_statements(task.offline, task.sources, vocab)
    assert result.failed == 0, [s.removed for s in result.statements if s.removed]
    own = Ground.of([s for s in task.sources if s.key.startswith(("cover.", "resume.", "record."))])
    rewrites = [s for s in task.offline if s.kind == "rewrite"]
    for statement in rewrites:
        assert unsupported_claims(statement.text, own, vocab) == [], statement.text
    for statement in task.offline:
        assert not KEYS.search(statement.text), statement.text
        assert statement.kind in task.kinds
        assert len(statement.text) <= 250
    output = run_task(task, None, vocab)
    hunks = hunks_from_output(output, context, vocabulary=vocab)
    assert len(hunks) == len(rewrites)
    for hunk in hunks:
        assert not KEYS.search(hunk.reason)
    assert apply_hunks(context.cover_letter, hunks, []) == context.cover_letter
    draft = apply_hunks(context.cover_letter, hunks, [h.id for h in hunks])
    for hunk in hunks:
        assert (hunk.new in draft) if hunk.kind != "delete" else True


HAND_CONTEXTS: dict[str, Callable[[], SeekerContext]] = {
    "the letter above": make_context,
    "empty letter": lambda: make_context(cover_letter=""),
    "no résumé, no career": lambda: make_context(resume="", career_years=0.0, certificates=(), skills=()),
    "polite style and contact": lambda: make_context(cover_letter=(
        "저는 꼼꼼한 성격이에요. 고객 응대 경험이 있어요ㅎㅎ\n연락처 010-****-5678로 연락 주시면 면접에 성실히 임하겠습니다.")),
    "one block of long text": lambda: make_context(cover_letter=" ".join([LONG] * 5)),
    "held certificate as a goal": lambda: make_context(
        cover_letter="3년 안에 공유압기능사 자격을 갖추어 전문성을 높이겠습니다. 꼼꼼함이 강점입니다."),
    "unknown occupation": lambda: make_context(desired_keco="999", desired_occupation="알 수 없는 직종"),
}


@pytest.mark.parametrize("name", list(HAND_CONTEXTS))
@pytest.mark.parametrize("with_posting", [False, True])
def test_offline_statements_are_grounded_on_hand_built_contexts(name: str, with_posting: bool, vocab: Vocabulary,
                                                                 ref: Reference) -> None:
    assert_grounded(HAND_CONTEXTS[name](), vocab, ref, POSTING if with_posting else None)


def world_contexts(world_db: Path, ref: Reference) -> list[SeekerContext]:
    """Every seeker of the small world as the copilot sees them (masked documents, certificate names)."""
    occupation = dict(zip(ref.occupations["keco_code"], ref.occupations["name"], strict=True))
    region = dict(zip(ref.regions["code"], ref.regions["short"], strict=True))
    certificate = dict(zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True))
    with sqlite3.connect(world_db) as conn:
        held: dict[int, list[str]] = {}
        for seeker_id, certificate_id in conn.execute("SELECT seeker_id, certificate_id FROM seeker_certificates"):
            held.setdefault(seeker_id, []).append(certificate[certificate_id])
        rows = conn.execute(
            "SELECT id, age, education, major, career_years, last_keco, desired_keco, desired_wage, "
            "desired_region_code, region_flexible, benefit_status, registered_on, skills FROM seekers ORDER BY id"
        ).fetchall()
    engine = make_engine(f"sqlite:///{world_db}")
    contexts = []
    as_of = max(dt.date.fromisoformat(r[11]) for r in rows)
    for (seeker_id, age, education, major, career, last_keco, desired_keco, wage, region_code, flexible, benefit,
         registered, skills) in rows:
        documents = load_masked_documents(engine, seeker_id)
        assert documents is not None
        contexts.append(SeekerContext(
            seeker_id=seeker_id, age=age, education=education, major=major or "", career_years=career,
            last_keco=last_keco, last_occupation=occupation.get(last_keco, "") if last_keco else "",
            desired_keco=desired_keco, desired_occupation=occupation[desired_keco], desired_wage=wage,
            desired_region=region[region_code], region_flexible=bool(flexible), benefit_status=bool(benefit),
            registered_on=dt.date.fromisoformat(registered), as_of=as_of,
            skills=tuple(s for s in (skills or "").split(";") if s), certificates=tuple(held.get(seeker_id, ())),
            resume=documents.resume, cover_letter=documents.cover_letter))
    engine.dispose()
    return contexts


def world_postings(world_db: Path, ref: Reference) -> dict[str, PostingFacts]:
    """One posting of the small world per occupation, as the service would hand it over."""
    occupation = dict(zip(ref.occupations["keco_code"], ref.occupations["name"], strict=True))
    with sqlite3.connect(world_db) as conn:
        rows = conn.execute("SELECT keco_code, title, duties, requirements, preferred FROM postings ORDER BY id").fetchall()
    postings: dict[str, PostingFacts] = {}
    for keco, title, duties, requirements, preferred in rows:
        if keco not in postings:
            postings[keco] = PostingFacts.from_sections(title, duties=duties or "", requirements=requirements or "",
                                                        preferred=preferred or "", occupation=occupation.get(keco, ""))
    return postings


def test_offline_statements_are_grounded_for_every_world_seeker(world_db: Path, vocab: Vocabulary,
                                                                ref: Reference) -> None:
    contexts = world_contexts(world_db, ref)
    postings = world_postings(world_db, ref)
    assert len(contexts) == 600
    removed = statements = hunks = 0
    certificate_fit = 0
    for i, context in enumerate(contexts):
        # a third fitted to the desired occupation, a third to a world posting of it, a third to the hand posting
        posting = [None, postings.get(context.desired_keco, POSTING), POSTING][i % 3]
        task = cover_letter_task(context, posting, vocab, reference=ref)
        output = run_task(task, None, vocab)
        removed += output.removed
        statements += len(output.shown)
        found = hunks_from_output(output, context, vocabulary=vocab)
        hunks += len(found)
        assert len(found) == len(output.of_kind("rewrite"))
        assert apply_hunks(context.cover_letter, found, []) == context.cover_letter
        own = Ground.of([s for s in task.sources if s.key.startswith(("cover.", "resume.", "record."))])
        assert all(unsupported_claims(h.new, own, vocab) == [] for h in found)
        assert all(not find_pii(s.text) for s in output.shown)
        certificate_fit += sum("공고가 요구·우대하는" in s.text for s in output.of_kind("fit"))
    assert removed == 0
    assert certificate_fit >= 100  # the world's postings name certificates the fit feedback tells
    assert statements >= 600 * 8
    assert hunks >= 600  # the world's letters all have something to tidy or back with a fact


# --------------------------------------------------------------------------- hunks


def hand_hunks(vocab: Vocabulary, ref: Reference) -> tuple[SeekerContext, list[Hunk]]:
    context = make_context()
    return context, hunks_from_output(offline(context, vocab, ref), context, vocabulary=vocab)


def test_hunks_of_the_hand_letter(vocab: Vocabulary, ref: Reference) -> None:
    _, hunks = hand_hunks(vocab, ref)
    by_id = {h.id: h for h in hunks}
    assert list(by_id) == ["after:cover.5", "cover.6", "cover.7", "cover.8", "delete:cover.9", "cover.11", "cover.12"]
    assert by_id["cover.6"] == Hunk("cover.6", "항상 열심히 일하는 자세로 임했습니다.", "일하는 자세로 임했습니다.", "replace",
                                    "상투적인 표현(열심히, 항상)을 덜어냈습니다.", 6, ("cover.6",))
    assert by_id["after:cover.5"] == Hunk(
        "after:cover.5", "", "8년 동안 일하며 예방 정비 업무를 맡았습니다.", "insert",
        "이력서에 있는 업무 경험을 더해 강점을 구체적으로 보여 줍니다.", 5, ("cover.5", "record.career", "resume.3"))
    assert by_id["cover.7"].new == "무엇이든 할 수 있다는 마음으로 일해 왔습니다."
    assert by_id["cover.7"].reason == "띄어쓰기를 고쳤습니다, 문장 끝을 ‘-습니다’체로 맞췄습니다."
    assert by_id["cover.8"].new == LONG.replace("기여했으며, ", "기여했습니다. ")
    assert by_id["cover.8"].reason == "긴 문장을 둘로 나눴습니다."
    assert by_id["delete:cover.9"].new == "" and by_id["delete:cover.9"].original == "저는 성실한 사람입니다."
    assert by_id["cover.11"].new == "입사 후에는 끝까지 해내겠습니다."
    assert by_id["cover.12"].new == "빨리 배우겠습니다."
    assert by_id["cover.12"].reason == "상투적인 표현(누구보다)을 덜어냈습니다, 띄어쓰기를 고쳤습니다."


DRAFT = f"""[지원 동기]
저는 어릴 때부터 기계를 만지는 것을 좋아했습니다. 귀사의 설비 보전 직무에 지원하게 되었습니다.

[직무 역량]
저는 성실한 사람입니다. 8년 동안 일하며 예방 정비 업무를 맡았습니다. 일하는 자세로 임했습니다. 무엇이든 할 수 있다는 마음으로 일해 왔습니다.
{LONG.replace("기여했으며, ", "기여했습니다. ")}

[입사 후 포부]
입사 후에는 끝까지 해내겠습니다.  빨리 배우겠습니다."""


def test_apply_hunks_none_all_and_a_subset(vocab: Vocabulary, ref: Reference) -> None:
    context, hunks = hand_hunks(vocab, ref)
    letter = context.cover_letter
    assert apply_hunks(letter, hunks, []) == letter
    # all: the full draft; blanks and line breaks outside the changed sentences as they were
    assert apply_hunks(letter, hunks, [h.id for h in hunks]) == DRAFT
    # a subset: only those pieces change
    subset = apply_hunks(letter, hunks, ["cover.6", "cover.12", "delete:cover.9"])
    assert subset == (letter.replace("항상 열심히 일하는", "일하는").replace("누구보다 빨리 배우겠습니다 .", "빨리 배우겠습니다.")
                      .replace("맡았습니다.\n저는 성실한 사람입니다.\n", "맡았습니다.\n"))
    # an unknown id changes nothing
    assert apply_hunks(letter, hunks, ["cover.99"]) == letter
    # a hunk whose sentence changed since is skipped, the rest applied
    edited = letter.replace("항상 열심히", "늘 열심히")
    assert apply_hunks(edited, hunks, ["cover.6", "cover.12"]) == edited.replace("누구보다 빨리 배우겠습니다 .",
                                                                                 "빨리 배우겠습니다.")


@pytest.mark.parametrize(("letter", "number", "expected"), [
    ("첫 문장입니다. 둘째 문장입니다. 셋째 문장입니다.", 2, "첫 문장입니다. 셋째 문장입니다."),
    ("첫 문장입니다. 둘째 문장입니다.\n셋째 문장입니다.", 2, "첫 문장입니다.\n셋째 문장입니다."),
    ("첫 문장입니다.\n둘째 문장입니다.\n셋째 문장입니다.", 2, "첫 문장입니다.\n셋째 문장입니다."),
    ("첫 문장입니다.\n\n둘째 문장입니다.", 2, "첫 문장입니다.\n"),
    ("첫 문장입니다. 둘째 문장입니다.", 1, "둘째 문장입니다."),
])
def test_a_deletion_takes_its_blanks(letter: str, number: int, expected: str) -> None:
    original = split_sentences(letter)[number - 1]
    hunk = Hunk(f"delete:cover.{number}", original, "", "delete", "반복되거나 불필요한 문장을 뺍니다.", number)
    assert apply_hunks(letter, [hunk], [hunk.id]) == expected


def test_parse_place() -> None:
    assert parse_place("cover.3") == ("replace", 3)
    assert parse_place("after:cover.3") == ("insert", 3)
    assert parse_place("delete:cover.12") == ("delete", 12)
    assert parse_place("자기소개서 3번째 문장") == ("replace", 3)
    assert parse_place("자기소개서 3번째 문장 뒤") == ("insert", 3)
    assert parse_place("자기소개서 4번째 문장 삭제") == ("delete", 4)
    assert parse_place("이력서 3번째 문장") is None
    assert parse_place("") is None


def test_diff_rows_and_word_diff(vocab: Vocabulary, ref: Reference) -> None:
    _, hunks = hand_hunks(vocab, ref)
    rows = diff_rows(hunks)
    assert len(rows) == len(hunks)
    assert all(set(row) == {"구분", "원문", "수정안", "이유"} for row in rows)
    assert {row["구분"] for row in rows} == {"고침", "추가", "삭제"}
    assert rows[[h.id for h in hunks].index("after:cover.5")]["원문"] == "(새 문장)"
    assert rows[[h.id for h in hunks].index("delete:cover.9")]["수정안"] == "(삭제)"
    assert not any(KEYS.search(value) for row in rows for value in row.values())
    assert word_diff("항상 열심히 일하는 자세로 임했습니다.", "일하는 자세로 임했습니다.") == [
        ("delete", "항상 열심히"), ("equal", "일하는 자세로 임했습니다.")]
    assert word_diff("할수 있다", "할 수 있다") == [("delete", "할수"), ("insert", "할 수"), ("equal", "있다")]
    context = make_context()
    stored = hunk_rows(offline(context, vocab, ref), context, vocabulary=vocab)
    assert [row["id"] for row in stored] == [h.id for h in hunks]
    assert json.loads(json.dumps(stored, ensure_ascii=False)) == stored  # plain data for the page and storage
    assert stored[1]["words"] == [["delete", "항상 열심히"], ["equal", "일하는 자세로 임했습니다."]]


# --------------------------------------------------------------------------- a model's rewrite


class FakeChat:
    """A chat backend that answers with statements built from the prompt's source numbers and records
    every message it receives."""

    name = "테스트 모델"

    def __init__(self, reply: Callable[[Mapping[str, str]], list[dict[str, object]]]) -> None:
        self.reply = reply
        self.received: list[list[dict[str, str]]] = []

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        self.received.append(messages)
        payload = json.loads(messages[-1]["content"])
        number = {item["출처"]: item["번호"] for item in payload["근거"]}
        return json.dumps({"statements": self.reply(number)}, ensure_ascii=False)


def test_a_model_rewrite_that_invents_a_certificate_is_removed(vocab: Vocabulary, ref: Reference) -> None:
    context = make_context()

    def reply(number: Mapping[str, str]) -> list[dict[str, object]]:
        return [
            {"kind": "wording", "text": "‘항상’, ‘열심히’는 흔한 표현입니다.", "sources": [number["자기소개서 6번째 문장"]]},
            {"kind": "rewrite", "text": "일하는 자세로 임했습니다.", "sources": [number["자기소개서 6번째 문장"]],
             "detail": "자기소개서 6번째 문장"},
            {"kind": "rewrite", "text": "정보처리기사 자격을 갖추고 있습니다.",
             "sources": [number["자기소개서 5번째 문장"]], "detail": "자기소개서 5번째 문장 뒤"},
            # in the task's sources (the posting asks for it) but not the seeker's: no hunk
            {"kind": "rewrite", "text": "설비보전기사 자격을 갖추고 있습니다.",
             "sources": [number["채용공고 · 우대 사항 1"]], "detail": "자기소개서 8번째 문장 뒤"},
            {"kind": "rewrite", "text": "(이 문장을 뺍니다)", "sources": [number["자기소개서 9번째 문장"]],
             "detail": "자기소개서 9번째 문장 삭제"},
        ]

    chat = FakeChat(reply)
    output = run_task(cover_letter_task(context, POSTING, vocab, reference=ref), chat, vocab)
    assert output.backend == "테스트 모델" and not output.fell_back
    assert output.removed == 1
    [removed] = [s for s in output.statements if s.removed]
    assert "정보처리기사" in removed.removed and removed.text == ""
    assert len(output.of_kind("rewrite")) == 3
    hunks = hunks_from_output(output, context, vocabulary=vocab)
    assert [(h.id, h.new) for h in hunks] == [("cover.6", "일하는 자세로 임했습니다."), ("delete:cover.9", "")]
    assert not any("정보처리기사" in h.new or "설비보전기사" in h.new for h in hunks)
    # the same check without the reference's vocabulary: the certificate is known by its ending
    assert [h.id for h in hunks_from_output(output, context)] == ["cover.6", "delete:cover.9"]


def test_messages_to_a_model_carry_no_personal_data(vocab: Vocabulary, ref: Reference) -> None:
    letter = ("[지원 동기]\n귀사의 설비 보전 직무에 지원합니다. 제 연락처는 010-2345-6789이고 메일은 "
              "hong.gildong@naver.com입니다.\n주민등록번호 900101-1234568을 적습니다.")
    assert {p.kind for p in find_pii(letter)} == {"phone", "email", "rrn"}
    context = make_context(cover_letter=letter)

    def reply(number: Mapping[str, str]) -> list[dict[str, object]]:
        return [{"kind": "structure", "text": "연락처는 이력서에만 적습니다.", "sources": [number["자기소개서 3번째 문장"]]}]

    chat = FakeChat(reply)
    output = run_task(cover_letter_task(context, None, vocab, reference=ref), chat, vocab)
    assert chat.received
    for messages in chat.received:
        for message in messages:
            assert find_pii(message["content"]) == [], message["content"]
    assert output.shown and all(not find_pii(s.text) for s in output.shown)
    assert DELETE_TEXT not in " ".join(s.text for s in output.shown if s.kind != "rewrite")
