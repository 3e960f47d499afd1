"""The copilot's grounding: claims, the faithfulness check, and the task runner with its fallback."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.copilot.context import EmploymentView, SeekerContext, split_sentences
from app.copilot.diagnosis import diagnosis_task
from app.copilot.generation import OFFLINE_BACKEND, CopilotTask, leaked_pii, parse_statements, run_task, task_messages
from app.copilot.grounding import Ground, Source, Statement, build_vocabulary, check_statements, extract_claims
from app.copilot.scripted import scripted_server
from app.llm.base import GenerationError
from app.llm.openai_compat import OpenAICompatibleGenerator
from app.reference.tables import load_reference
from app.services.copilot import copilot_vocabulary
from app.text.pii import find_pii
from tests.fake_chat_server import FakeChat

MODEL = "시험용 모델"
VOCABULARY = build_vocabulary(["한식조리기능사", "정보처리기사", "직업상담사 2급"], ["한식 조리사", "응용 소프트웨어 개발자", "간호사"])
SOURCES = (
    Source("record.desired_wage", "구직자 기록 · 희망 임금", "희망 임금: 월 250만원"),
    Source("record.registered", "구직자 기록 · 구직 등록일", "구직 등록일: 2026-03-05"),
    Source("record.certificates", "구직자 기록 · 자격증", "자격증: 한식조리기능사"),
    Source("cover.1", "자기소개서 1번째 문장", "한식당에서 3년 동안 조리를 맡았습니다."),
)


def _task(sources=SOURCES, offline=()) -> CopilotTask:  # noqa: ANN001
    offline = offline or (Statement("희망 임금은 월 250만원입니다.", ("record.desired_wage",), "fact"),)
    return CopilotTask(name="test", title="시험", instruction="근거만 씁니다.", kinds={"fact": "사실"}, sources=tuple(sources),
                       offline=tuple(offline))


def test_claims_cover_numbers_money_dates_and_names() -> None:
    claims = {(c.kind, c.value) for c in extract_claims(
        "2026년 3월 5일 등록, 월 250만원 희망, 경력 3년, 정보처리기사와 전기기능사 보유, 한국산업인력공단 안내, 간호사 희망", VOCABULARY)}
    assert ("date", "2026-3-5") in claims
    assert ("money", "2500000") in claims
    assert ("number", "3") in claims
    assert ("certificate", "정보처리기사") in claims
    assert ("certificate", "전기기능사") in claims  # by its suffix: no table lists it here
    assert ("organisation", "한국산업인력공단") in claims
    assert ("occupation", "간호사") in claims


def test_ground_equates_money_formats_and_date_forms() -> None:
    ground = Ground.of(SOURCES)
    for text in ("희망 임금 2,500,000원", "월 250만원", "3월 5일 등록", "2026년 3월에 등록", "3년 경력"):
        assert all(ground.supports(c) for c in extract_claims(text, VOCABULARY)), text
    for text in ("월 300만원", "3월 6일", "4년 경력", "정보처리기사 보유"):
        assert not all(ground.supports(c) for c in extract_claims(text, VOCABULARY)), text


def test_a_statement_without_a_source_is_refused() -> None:
    result = check_statements([Statement("희망 임금은 월 250만원입니다.", ())], SOURCES, VOCABULARY)
    assert result.failed == 1
    assert result.statements[0].removed == "근거가 없는 문장"
    assert result.statements[0].text == ""


def test_an_unknown_source_and_an_unsupported_claim_are_removed_with_a_mark() -> None:
    result = check_statements([
        Statement("자격증: 한식조리기능사", ("record.certificates", "record.unknown")),
        Statement("정보처리기사 자격도 있습니다.", ("record.certificates",)),
        Statement("한식당에서 3년 동안 조리를 맡았습니다.", ("cover.1",)),
    ], SOURCES, VOCABULARY)
    assert [s.removed for s in result.statements] == [
        "주어지지 않은 근거를 인용한 문장", "근거에서 확인되지 않는 자격증 정보처리기사", ""]
    assert result.failed == 2
    assert result.claims == 1  # the "3" of the kept sentence


def test_personal_data_in_a_kept_statement_is_masked_and_counted() -> None:
    result = check_statements([Statement("연락처는 010-1234-5678입니다. 희망 임금은 월 250만원입니다.", ("record.desired_wage",))],
                              SOURCES, VOCABULARY)
    assert result.failed == 1  # the phone's digits are numbers no source holds
    leaked = check_statements([Statement("메일 kim.hong@example.com 으로 연락", ("cover.1",))], SOURCES, VOCABULARY)
    assert leaked.pii_masked == 1
    assert "kim.hong@example.com" not in leaked.statements[0].text


def test_offline_run_is_checked_and_named() -> None:
    output = run_task(_task(), None, VOCABULARY)
    assert output.backend == OFFLINE_BACKEND
    assert [s.text for s in output.shown] == ["희망 임금은 월 250만원입니다."]
    assert output.removed == 0 and not output.fell_back


def test_a_model_sentence_with_an_invented_fact_is_removed_and_the_rest_kept() -> None:
    reply = json.dumps({"statements": [
        {"kind": "fact", "text": "희망 임금은 월 250만원입니다.", "sources": ["S1"]},
        {"kind": "fact", "text": "희망 임금은 월 320만원입니다.", "sources": ["S1"]},
        {"kind": "fact", "text": "2026년 4월 1일에 등록했습니다.", "sources": ["S2"]},
        {"kind": "unknown", "text": "종류가 없는 문장", "sources": ["S1"]},
    ]}, ensure_ascii=False)
    output = run_task(_task(), FakeChat("설명입니다.\n```json\n" + reply + "\n```", name=MODEL), VOCABULARY)
    assert output.backend == MODEL
    assert [s.text for s in output.shown] == ["희망 임금은 월 250만원입니다."]
    assert output.removed == 2
    assert any("형식에 맞지 않는 문장 1개" in n for n in output.notices)
    assert any("근거에서 확인되지 않는 내용이 있는 문장 2개" in n for n in output.notices)


@pytest.mark.parametrize("chat", [FakeChat(error="LLM 서버에 연결할 수 없습니다 (연결 거부)", name=MODEL),
                                  FakeChat("JSON이 아닌 답", name=MODEL), FakeChat('{"answer": []}', name=MODEL)])
def test_a_failing_server_falls_back_to_the_offline_text_visibly(chat: FakeChat) -> None:
    output = run_task(_task(), chat, VOCABULARY)
    assert output.fell_back and output.backend == OFFLINE_BACKEND
    assert [s.text for s in output.shown] == ["희망 임금은 월 250만원입니다."]
    assert "기본(오프라인) 문안" in output.notices[0]


def test_when_nothing_the_model_wrote_holds_up_the_offline_text_is_shown() -> None:
    reply = json.dumps({"statements": [{"kind": "fact", "text": "월 999만원을 받았습니다.", "sources": ["S1"]}]})
    output = run_task(_task(), FakeChat(reply, name=MODEL), VOCABULARY)
    assert output.fell_back
    assert output.shown[0].text == "희망 임금은 월 250만원입니다."


def test_personal_data_never_reaches_the_model() -> None:
    leaky = (*SOURCES, Source("cover.2", "자기소개서 2번째 문장", "연락처 010-9876-5432, 메일 hong.gildong@example.com, "
                                                               "주민등록번호 900101-1234567"))
    chat = FakeChat('{"statements": []}', name=MODEL)
    run_task(_task(leaky), chat, VOCABULARY)
    sent = json.dumps(chat.messages, ensure_ascii=False)
    assert "010-9876-5432" not in sent and "hong.gildong@example.com" not in sent and "900101-1234567" not in sent
    assert leaked_pii(chat.messages) == 0


def test_parse_maps_source_numbers_and_korean_kind_labels() -> None:
    statements, refused = parse_statements(
        '{"statements": [{"kind": "사실", "text": "a", "sources": "S3"}, {"kind": "fact", "text": "b", "sources": ["S9"]}]}',
        _task())
    assert statements[0].kind == "fact" and statements[0].sources == ("record.certificates",)
    assert statements[1].sources == ("?S9",)  # kept so the check refuses it
    assert refused == []
    with pytest.raises(GenerationError):
        parse_statements('{"statements": "none"}', _task())


def test_messages_number_the_sources_and_carry_the_instruction() -> None:
    messages = task_messages(_task())
    payload = json.loads(messages[1]["content"])
    assert [s["번호"] for s in payload["근거"]] == ["S1", "S2", "S3", "S4"]
    assert payload["지시"] == "근거만 씁니다."
    assert "지어내지 않습니다" in messages[0]["content"]


def test_split_sentences_keeps_lines_and_korean_sentence_ends() -> None:
    assert split_sentences("첫 문장입니다. 둘째 문장입니다.\n- 셋째 줄\n상담함.다음 상담 예정임.") == [
        "첫 문장입니다.", "둘째 문장입니다.", "- 셋째 줄", "상담함.", "다음 상담 예정임."]


def _context(**changes) -> SeekerContext:  # noqa: ANN003
    base = dict(seeker_id=1, age=62, education="고졸", career_years=0.0, desired_keco="441", desired_occupation="한식 조리사",
                desired_wage=3_300_000, desired_region="부산", registered_on=dt.date(2026, 5, 1), as_of=dt.date(2026, 9, 1),
                benefit_status=True, market_wage=2_500_000.0, region_demand=-0.4, occupation_demand=-0.6,
                relevant_certificates=0, cover_letter="한식당 주방에서 일하고 싶습니다. 성실하게 배우겠습니다.",
                employment=EmploymentView(probability=0.18, low=0.12, high=0.25, band="고위험",
                                          factors=(("연령", -0.4, "연령(62세)이 취업확률을 크게 낮춥니다"),
                                                   ("학력", 0.1, "학력(고졸)이 취업확률을 조금 높입니다")),
                                          services=(("집중 취업알선", 0.05, "알선 효과"),), model_version="2.0"))
    base.update(changes)
    return SeekerContext(**base)


def test_the_diagnosis_names_every_barrier_with_its_evidence_and_passes_the_check() -> None:
    task = diagnosis_task(_context(), occupation_certificates=("조리기능사",))
    assert set(task.data["barriers"]) == {"age", "no_career", "wage_gap", "weak_region_demand", "weak_occupation_demand",
                                          "no_relevant_certificate", "benefit_search", "long_search"}
    output = run_task(task, None, VOCABULARY)
    assert output.removed == 0
    wage = next(s for s in output.of_kind("barrier") if s.detail == "wage_gap")
    assert "32% 높아" in wage.text and "derived.wage_gap" in wage.sources
    assert output.source("derived.wage_gap").text == "희망 임금 월 330만원은 시장임금 월 250만원보다 32% 높음"
    assert output.of_kind("risk")[0].text.startswith("취업성공 예측모델은 등록 후 180일 안에 고용보험에 가입할 확률을 18%")
    goals = [s.text for s in output.of_kind("goal")]
    assert any("한식당 주방에서 일하고 싶습니다." in g for g in goals)
    assert all("성별" not in s.text and "장애" not in s.text for s in output.shown)


def test_a_seeker_without_barriers_gets_strengths_and_no_barrier() -> None:
    context = _context(age=35, career_years=6.0, last_keco="441", last_occupation="한식 조리사", desired_wage=2_400_000,
                       region_demand=0.1, occupation_demand=0.2, relevant_certificates=1, certificates=("한식조리기능사",),
                       benefit_status=False, registered_on=dt.date(2026, 8, 1), region_flexible=True, employment=None)
    output = run_task(diagnosis_task(context), None, VOCABULARY)
    assert output.of_kind("barrier") == () and output.of_kind("risk") == ()
    strengths = " ".join(s.text for s in output.of_kind("strength"))
    assert "한식 조리사 경력 6년으로 희망 직종과 같은 일을 해 왔습니다." in strengths
    assert "한식조리기능사" in strengths and "다른 지역 근무도 가능해" in strengths


def test_the_scripted_server_invents_facts_the_check_catches() -> None:
    task = diagnosis_task(_context(), occupation_certificates=("조리기능사",))
    vocabulary = copilot_vocabulary(load_reference())  # every occupation name: an invented one is caught
    with scripted_server(invent_rate=0.5, seed=3) as server:
        chat = OpenAICompatibleGenerator(server.url, "scripted", lambda request: None)  # type: ignore[arg-type]
        shown = set()
        for _ in range(6):
            shown |= {s.text for s in run_task(task, chat, vocabulary).shown}
        invented, faithful = set(server.invented), set(server.faithful)
    assert invented and faithful
    assert not (invented & shown)
    assert faithful <= shown
    assert not find_pii(json.dumps(server.requests, ensure_ascii=False))
