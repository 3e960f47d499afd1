"""단계별 예상 질의응답 (app.copilot.stage_qa): the question bank's schema, stage inference, filtering by
the record, tailored counsellor questions and the faithfulness check on offline and model output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotTask, run_task
from app.copilot.grounding import Ground, Vocabulary, build_vocabulary, check_statements, extract_claims
from app.copilot.stage_qa import (
    STAGES,
    InvalidQaBank,
    QaBank,
    infer_stage,
    load_counselling_qa,
    parse_counselling_qa,
    stage_qa_task,
)
from app.errors import InvalidInput
from app.reference.tables import load_reference

QA_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "counselling_qa.yaml"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    ref = load_reference()
    return build_vocabulary(ref.certificates["name"], ref.occupations["name"])


@pytest.fixture(scope="module")
def bank() -> QaBank:
    return load_counselling_qa(QA_FILE)


def _context(**changes: object) -> SeekerContext:
    base = SeekerContext(
        seeker_id=11, age=29, education="대졸", major="경영학", career_years=3.0, desired_keco="026",
        desired_occupation="경영지원 사무원", desired_wage=2_600_000, desired_region="부산",
        registered_on=dt.date(2026, 1, 10), as_of=dt.date(2026, 3, 5), last_keco="026",
        last_occupation="경영지원 사무원", region_flexible=True, benefit_status=False,
        skills=("엑셀", "회계 처리"), certificates=("전산회계 1급",), resume="경영지원 3년 근무.",
        cover_letter="꼼꼼하게 일합니다.", market_wage=2_500_000, region_demand=0.1,
        interest_occupations=("회계·경리 사무원",),
    )
    return dataclasses.replace(base, **changes)


CONTEXTS: dict[str, SeekerContext] = {
    "사무직 비수급 29세": _context(),
    "신입 청년 개발자": _context(age=24, career_years=0.0, last_keco=None, last_occupation="", skills=(),
                          certificates=(), resume="", cover_letter="", desired_keco="133",
                          desired_occupation="소프트웨어 개발자", desired_wage=3_600_000, market_wage=2_900_000,
                          desired_region="서울", region_flexible=False, region_demand=-0.45, interest_occupations=(),
                          registered_on=dt.date(2025, 8, 1)),
    "수급 중 중장년 전직": _context(age=56, career_years=24.0, benefit_status=True, last_keco="824",
                            last_occupation="용접원", desired_keco="542", desired_occupation="경비원",
                            desired_wage=1_900_000, market_wage=2_100_000, training_plan=("경비원 신임교육",),
                            notes=(("2026-02-01", "구인 공고 3건을 알선함."),)),
    "60대 시간제": _context(age=63, career_years=30.0, desired_wage=1_200_000, certificates=(), skills=(),
                         notes=(("2026-02-20", "직업선호도검사 결과를 바탕으로 진로 방향을 논의함."),)),
}


def _keys(task: CopilotTask) -> set[str]:
    return {k for s in task.offline for k in s.sources}


def _facts(task: CopilotTask) -> set[str]:
    return {k.removeprefix("fact.") for k in _keys(task) if k.startswith("fact.")}


# ------------------------------------------------------------------ the bank


def test_every_entry_loads_validates_and_names_its_source(bank: QaBank) -> None:
    raw = yaml.safe_load(QA_FILE.read_text(encoding="utf-8"))
    assert len(raw["entries"]) == len(bank.entries)
    assert 35 <= len(bank.entries) <= 50
    assert len({e.id for e in bank.entries}) == len(bank.entries)
    for entry in bank.entries:
        assert entry.source.strip() and re.search(r"[가-힣]", entry.source), entry.id
        assert re.fullmatch(r"S\d{1,2}[a-z]?", entry.tag), entry.id
        assert entry.question.endswith(("?", ".")), entry.id
    for stage in STAGES:
        stage_entries = bank.for_stage(stage)
        assert any(e.audience == "seeker" for e in stage_entries), stage
        assert any(e.audience == "counsellor" for e in stage_entries), stage


def test_every_question_states_only_what_its_answer_holds(bank: QaBank, vocabulary: Vocabulary) -> None:
    for entry in bank.entries:
        ground = Ground.of([entry.fact_source()])
        question_claims = extract_claims(entry.question, vocabulary)
        assert all(ground.supports(c) for c in question_claims), (entry.id, question_claims)


def test_the_key_figures_are_in_the_facts(bank: QaBank) -> None:
    answers = {e.id: e.answer for e in bank.entries}
    assert "120일" in answers["benefit_period"] and "270일" in answers["benefit_period"]
    assert "300만원" in answers["card_limit"] and "500만원" in answers["card_limit"]
    assert "월 50만원" in answers["nes_overview"] and "6개월" in answers["nes_overview"]
    assert "10,320원" in answers["minimum_wage_2026"] and "2,156,880원" in answers["minimum_wage_2026"]


@pytest.mark.parametrize(("change", "message"), [
    ({"stage": "closing"}, "stage"),
    ({"source": ""}, "source"),
    ({"audience": "employer"}, "audience"),
    ({"extra_field": 1}, "extra_field"),
    ({"answer": "Benefits last long."}, "한국어"),
    ({"conditions": {"age_max": 200}}, "age_max"),
    ({"conditions": {"income": 1}}, "income"),
])
def test_a_broken_entry_is_refused_with_its_place(change: dict[str, object], message: str) -> None:
    raw = yaml.safe_load(QA_FILE.read_text(encoding="utf-8"))
    raw["entries"][0] = {**raw["entries"][0], **change}
    with pytest.raises(InvalidQaBank, match=message) as caught:
        parse_counselling_qa(raw)
    assert "예상 질의응답 파일이 형식에 맞지 않습니다" in caught.value.user_message


def test_a_missing_source_field_and_doubled_ids_are_refused() -> None:
    raw = yaml.safe_load(QA_FILE.read_text(encoding="utf-8"))
    without_source = dict(raw["entries"][0])
    del without_source["source"]
    with pytest.raises(InvalidQaBank, match="source"):
        parse_counselling_qa({**raw, "entries": [without_source]})
    with pytest.raises(InvalidQaBank, match="같은 항목 키"):
        parse_counselling_qa({**raw, "entries": [raw["entries"][0], raw["entries"][0]]})


def test_a_missing_file_is_a_korean_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidQaBank, match="파일.*없습니다"):
        load_counselling_qa(tmp_path / "none.yaml")


# ------------------------------------------------------------------ stages


def test_infer_stage_follows_the_record_and_the_notes() -> None:
    assert infer_stage(_context()) == "intake"
    assert infer_stage(_context(notes=(("2026-02-01", "직업선호도검사 결과를 바탕으로 진로 방향을 논의함."),))) == "diagnosis"
    assert infer_stage(_context(notes=(("2026-02-01", "국민내일배움카드 발급 절차와 훈련 과정을 안내함."),))) == "planning"
    assert infer_stage(_context(notes=(("2026-02-01", "경비원 구인 공고 3건을 알선함."),))) == "job_search"
    assert infer_stage(_context(training_plan=("회계 실무",), notes=(("2026-02-01", "진로를 논의함."),))) == "job_search"
    assert infer_stage(_context(notes=(("2026-02-01", "입사지원 2건 진행함."),))) == "job_search"
    assert infer_stage(_context(notes=(("2026-02-01", "물류회사 최종 합격, 다음 주 첫 출근."),))) == "aftercare"
    assert infer_stage(_context(extra={"employed": True})) == "aftercare"
    assert list(STAGES.values()) == ["초기상담", "진단", "계획 수립", "구직활동", "사후관리"]


def test_no_stage_means_the_inferred_one() -> None:
    context = CONTEXTS["수급 중 중장년 전직"]
    task = stage_qa_task(context)
    assert task.data["stage"] == "job_search" and task.data["stage_label"] == "구직활동" and task.data["inferred"]


def test_an_unknown_stage_is_refused_in_korean() -> None:
    with pytest.raises(InvalidInput, match="알 수 없는 상담 단계"):
        stage_qa_task(_context(), "closing")


# ------------------------------------------------------------------ faithful offline output


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("name", list(CONTEXTS))
def test_offline_output_passes_the_check_at_every_stage(name: str, stage: str, vocabulary: Vocabulary) -> None:
    task = stage_qa_task(CONTEXTS[name], stage, vocabulary)
    assert task.name == "stage_qa" and task.title == "단계별 예상 질의응답"
    assert set(task.kinds) == {"seeker_question", "counsellor_question"}
    assert any(s.kind == "seeker_question" for s in task.offline)
    assert any(s.kind == "counsellor_question" for s in task.offline)
    assert len(task.offline) <= task.max_statements
    result = check_statements(task.offline, task.sources, vocabulary)
    assert result.failed == 0, [s.removed for s in result.statements if s.removed]
    sources = {s.key: s for s in task.sources}
    for statement in task.offline:
        assert statement.detail and statement.text
        # no internal key or English field name in what the counsellor reads
        assert not re.search(r"fact\.|record\.|derived\.|[a-z]+_[a-z]+", statement.text + statement.detail)
        facts = [k for k in statement.sources if k.startswith("fact.")]
        # a fact answer's every claim is in the fact it cites
        for key in facts:
            ground = Ground.of([sources[key], *(sources[k] for k in statement.sources if k != key)])
            assert all(ground.supports(c) for c in extract_claims(statement.text, vocabulary))
    json.dumps(dict(task.data), ensure_ascii=False)
    assert [f["id"] for f in task.data["faq"]] == [s.key.removeprefix("fact.") for s in task.sources
                                                    if s.key.startswith("fact.")]


def test_benefit_figures_are_cited_from_the_benefit_fact() -> None:
    task = stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "intake")
    period = next(s for s in task.offline if "fact.benefit_period" in s.sources)
    assert "120일" in period.text and "270일" in period.text
    assert period.sources == ("fact.benefit_period", "record.benefit")
    fact = next(s for s in task.sources if s.key == "fact.benefit_period")
    assert "120일" in fact.text and "270일" in fact.text and fact.label == "구직급여 지급 기간 개편 보도(한국경제)"
    assert period.detail == "구직급여는 얼마 동안 받을 수 있나요?"


# ------------------------------------------------------------------ conditions and tailored questions


def test_benefit_recipients_get_benefit_and_unemployment_recognition_questions() -> None:
    recipient = stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "intake")
    assert {"benefit_period", "benefit_daily_floor"} <= _facts(recipient)
    assert not {"nes_overview", "nes_type1_requirements"} & _facts(recipient)
    recognition = [s for s in recipient.offline if "실업인정" in s.text]
    assert recognition and recognition[0].kind == "counsellor_question"
    assert recognition[0].sources == ("record.benefit",)
    job_search = stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "job_search")
    assert "reemployment_during_benefit" in _facts(job_search)
    assert any("실업인정" in s.text for s in job_search.offline)


def test_non_recipients_get_the_national_employment_support_programme() -> None:
    task = stage_qa_task(CONTEXTS["사무직 비수급 29세"], "intake")
    assert {"nes_overview", "nes_type1_requirements", "nes_dependants", "nes_income_check"} <= _facts(task)
    assert not {"benefit_period", "benefit_daily_floor"} & _facts(task)
    assert not any("실업인정" in s.text for s in task.offline)
    nes = next(s for s in task.offline if "fact.nes_overview" in s.sources)
    assert "월 50만원" in nes.text and "record.benefit" in nes.sources


def test_age_career_interest_and_plan_conditions() -> None:
    older = stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "job_search")
    young = stage_qa_task(CONTEXTS["신입 청년 개발자"], "job_search")
    assert "age_discrimination" in _facts(older) and "age_discrimination" not in _facts(young)
    assert "applications_per_graduate" in _facts(young) and "applications_per_graduate" not in _facts(older)
    sixty = stage_qa_task(CONTEXTS["60대 시간제"], "intake")
    assert "older_registrants" in _facts(sixty)
    assert "older_registrants" not in _facts(stage_qa_task(CONTEXTS["사무직 비수급 29세"], "intake"))
    no_test = stage_qa_task(CONTEXTS["신입 청년 개발자"], "diagnosis")
    assert "interest_test_ask" in _facts(no_test)
    assert "interest_test_ask" not in _facts(stage_qa_task(CONTEXTS["사무직 비수급 29세"], "diagnosis"))
    assert "attendance_ask" in _facts(stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "planning"))
    assert "training_interest_ask" in _facts(stage_qa_task(CONTEXTS["사무직 비수급 29세"], "planning"))


def test_tailored_questions_about_what_the_record_lacks() -> None:
    task = stage_qa_task(CONTEXTS["신입 청년 개발자"], "diagnosis")
    by_sources = {s.sources: s for s in task.offline if s.kind == "counsellor_question"}
    wage = by_sources[("record.desired_wage", "record.market_wage")]
    assert "월 360만원" in wage.text and "월 290만원" in wage.text
    region = by_sources[("record.desired_region", "derived.region_demand")]
    assert "서울로만" in region.text
    assert ("record.skills",) in by_sources and ("record.career",) in by_sources
    certificates = by_sources[("record.certificates", "record.desired_occupation")]
    assert "소프트웨어 개발자" in certificates.text
    planning = stage_qa_task(CONTEXTS["신입 청년 개발자"], "planning")
    cover = [s for s in planning.offline if s.sources == ("record.documents", "record.desired_occupation")]
    assert cover and "자기소개서가 아직 없어" in cover[0].text
    long_search = [s for s in planning.offline if s.sources == ("record.registered",)]
    assert long_search and "216일" in long_search[0].text
    documents = next(s for s in planning.sources if s.key == "record.documents")
    assert documents.text == "이력서: 없음, 자기소개서: 없음"
    # a seeker with everything on record gets none of these
    complete = stage_qa_task(CONTEXTS["사무직 비수급 29세"], "diagnosis")
    assert not [s for s in complete.offline if s.kind == "counsellor_question" and not any(
        k.startswith("fact.") for k in s.sources)]


def test_a_wage_below_the_minimum_asks_about_hours(vocabulary: Vocabulary) -> None:
    task = stage_qa_task(CONTEXTS["60대 시간제"], "diagnosis", vocabulary)
    question = next(s for s in task.offline if "derived.minimum_wage" in s.sources)
    assert "월 120만원" in question.text and question.detail == "일주일에 몇 시간 일하는 일자리를 찾고 있나요?"
    minimum = next(s for s in task.sources if s.key == "derived.minimum_wage")
    assert minimum.text == "2026년 최저임금: 시간당 10,320원, 월 환산 2,156,880원(209시간 기준)"
    assert not any(s.detail.startswith("직종을 바꾸려는") for s in task.offline)  # same occupation as before
    changer = stage_qa_task(CONTEXTS["수급 중 중장년 전직"], "diagnosis", vocabulary)
    transfer = next(s for s in changer.offline if s.detail.startswith("직종을 바꾸려는"))
    assert "최근 직종(용접원)과 희망 직종(경비원)이 달라" in transfer.text
    assert transfer.sources == ("record.career", "record.desired_occupation")
    assert not any(s.key.startswith("derived.") for s in stage_qa_task(CONTEXTS["사무직 비수급 29세"],
                                                                       "diagnosis").sources)


# ------------------------------------------------------------------ model output


class FakeChat:
    """A chat backend that answers with a fixed JSON reply."""

    name = "시험용 모델"

    def __init__(self, reply: dict[str, object]) -> None:
        self.reply = json.dumps(reply, ensure_ascii=False)

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        return self.reply


def _number(task: CopilotTask, key: str) -> str:
    return f"S{[s.key for s in task.sources].index(key) + 1}"


def test_a_model_inventing_an_amount_loses_that_answer(vocabulary: Vocabulary) -> None:
    task = stage_qa_task(CONTEXTS["사무직 비수급 29세"], "intake", vocabulary)
    nes = _number(task, "fact.nes_overview")
    chat = FakeChat({"statements": [
        {"kind": "seeker_question", "text": "I유형은 요건을 충족하면 월 50만원씩 6개월 동안 수당을 받습니다.",
         "detail": "국민취업지원제도 수당은 얼마인가요?", "sources": [nes]},
        {"kind": "seeker_question", "text": "I유형 수당은 월 80만원이며 12개월까지 받을 수 있습니다.",
         "detail": "수당은 얼마나 받나요?", "sources": [nes]},
        {"kind": "구직자 예상 질문과 답변", "text": "구직급여는 최대 300일까지 받을 수 있습니다.",
         "detail": "구직급여는 얼마 동안 받나요?", "sources": [nes]},
    ]})
    output = run_task(task, chat, vocabulary)
    assert output.backend == "시험용 모델" and not output.fell_back
    kept = [s for s in output.statements if s.shown]
    removed = [s for s in output.statements if s.removed]
    assert [s.text for s in kept] == ["I유형은 요건을 충족하면 월 50만원씩 6개월 동안 수당을 받습니다."]
    assert len(removed) == 2
    assert "80만원" in removed[0].removed and "300" in removed[1].removed
    assert output.removed == 2


def test_with_a_vocabulary_an_edited_entry_whose_question_overreaches_is_left_out(vocabulary: Vocabulary) -> None:
    raw = yaml.safe_load(QA_FILE.read_text(encoding="utf-8"))
    period = next(e for e in raw["entries"] if e["id"] == "benefit_period")
    edited = parse_counselling_qa({**raw, "entries": [
        {**period, "question": "구직급여를 300일 받을 수 있나요?"},
        next(e for e in raw["entries"] if e["id"] == "benefit_daily_floor"),
    ]})
    context = CONTEXTS["수급 중 중장년 전직"]
    guarded = stage_qa_task(context, "intake", vocabulary, bank=edited)
    assert _facts(guarded) == {"benefit_daily_floor"}
    unguarded = stage_qa_task(context, "intake", bank=edited)
    assert check_statements(unguarded.offline, unguarded.sources, vocabulary).failed == 1
