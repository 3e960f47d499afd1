"""Candidate summaries by a language model: every sentence checked against the masked record (a claim
the record does not hold is dropped), the offline composer when no model is configured or it fails,
one request per page of candidates that carries no personal data, and the search using it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.auth import User
from app.config import Settings
from app.db.engine import make_engine
from app.llm.candidates import OFFLINE_SUMMARY, CandidateFacts, summarise_candidates, summary_messages
from app.llm.factory import make_summary_chat
from app.llm.openai_compat import OpenAICompatibleGenerator
from app.services import talent
from tests.fake_chat_server import FakeChat, running

FACTS = CandidateFacts(
    desired_occupation="용접원 및 용접기 조작원", last_occupation="용접원 및 용접기 조작원", career_years=5.0,
    duties=("배관 용접", "용접 부위 검사"), certificates=("용접기능사",), skills=("용접작업", "전류"), region="경기",
    desired_wage=3_200_000, education="고졸")
KNOWN = ("용접원 및 용접기 조작원", "용접기능사", "정보처리기사", "간호사")


def _answer(**sentences: list[str]) -> str:
    return json.dumps({"summaries": [{"id": label, "sentences": s} for label, s in sentences.items()]},
                      ensure_ascii=False)


def test_without_a_model_the_offline_composer_writes_them() -> None:
    batch = summarise_candidates({"후보 1": FACTS}, None, KNOWN)
    assert batch.backend == OFFLINE_SUMMARY and not batch.notices
    assert 1 <= len(batch.summaries["후보 1"]) <= 3
    assert "경력 5년" in batch.summaries["후보 1"][0].text


def test_a_claim_the_record_does_not_hold_is_dropped() -> None:
    chat = FakeChat(_answer(**{"후보 1": ["용접원 및 용접기 조작원으로 5년 일했고 용접기능사 자격이 있습니다.",
                                     "정보처리기사 자격도 갖추고 있습니다.",
                                     "경력 12년의 베테랑입니다."]}))
    batch = summarise_candidates({"후보 1": FACTS}, chat, KNOWN)
    texts = [s.text for s in batch.summaries["후보 1"]]
    assert texts == ["용접원 및 용접기 조작원으로 5년 일했고 용접기능사 자격이 있습니다."]
    assert batch.backend == "LLM 서버(시험)"
    assert batch.notices == ("기록에 없는 내용이 담긴 요약 문장 2개를 뺐습니다.",)
    evidence = batch.summaries["후보 1"][0].evidence
    assert "희망 직종: 용접원 및 용접기 조작원" in evidence and "자격증: 용접기능사" in evidence


@pytest.mark.parametrize(("chat", "says"), [
    (FakeChat(error="LLM 서버가 20초 안에 응답하지 않았습니다"), "20초 안에"),
    (FakeChat("요약을 못 하겠습니다"), "JSON 형식이 아닙니다"),
    (FakeChat('{"summaries": "없음"}'), "후보별 문장이 없습니다"),
])
def test_a_failing_model_falls_back_visibly(chat: FakeChat, says: str) -> None:
    batch = summarise_candidates({"후보 1": FACTS}, chat, KNOWN)
    assert batch.backend == OFFLINE_SUMMARY
    assert len(batch.notices) == 1 and "LLM 서버(시험) 요약에 실패해" in batch.notices[0] and says in batch.notices[0]
    assert batch.summaries["후보 1"] == summarise_candidates({"후보 1": FACTS}, None, KNOWN).summaries["후보 1"]


def test_a_candidate_the_model_left_out_gets_the_offline_summary() -> None:
    other = CandidateFacts(desired_occupation="간호사", last_occupation="", career_years=0.0, duties=(),
                           certificates=("간호사",), skills=(), region="서울", desired_wage=3_000_000, education="대졸")
    chat = FakeChat(_answer(**{"후보 1": ["용접원 및 용접기 조작원 일자리를 찾습니다."]}))
    batch = summarise_candidates({"후보 1": FACTS, "후보 2": other}, chat, KNOWN)
    assert batch.summaries["후보 1"][0].text == "용접원 및 용접기 조작원 일자리를 찾습니다."
    assert "신입" in batch.summaries["후보 2"][0].text
    assert batch.notices == ("후보 1명은 쓸 만한 요약 문장이 없어 기본(오프라인) 요약을 보여 드립니다.",)


def test_one_request_carries_every_candidate_and_no_personal_data() -> None:
    messages = summary_messages({"후보 1": FACTS, "후보 2": FACTS})
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "지어내지 않습니다" in messages[0]["content"]
    payload = json.loads(messages[1]["content"].split("\n", 1)[1])
    assert [p["id"] for p in payload] == ["후보 1", "후보 2"]
    assert set(payload[0]) == {"id", "희망 직종", "최근 직종", "경력", "주요 업무", "자격증", "보유 기술", "희망 근무지",
                               "희망 급여", "학력", "전공"}


def test_the_factory_gives_a_model_only_for_a_configured_server() -> None:
    assert make_summary_chat(Settings(llm_backend="offline")) is None
    assert make_summary_chat(Settings(llm_backend="transformers")) is None
    assert make_summary_chat(Settings(llm_backend="openai")) is None  # no server address: offline
    chat = make_summary_chat(Settings(llm_backend="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    assert isinstance(chat, OpenAICompatibleGenerator)


def test_the_server_backend_answers_chat_messages() -> None:
    with running(_answer(**{"후보 1": ["용접원 및 용접기 조작원 일자리를 찾습니다."]})) as server:
        chat = OpenAICompatibleGenerator(server.url, "m", lambda r: None, timeout=5)  # type: ignore[arg-type,return-value]
        batch = summarise_candidates({"후보 1": FACTS}, chat, KNOWN)
    assert batch.backend == "LLM 서버(m)" and batch.summaries["후보 1"][0].text.startswith("용접원")
    (request,) = server.requests
    assert request["model"] == "m" and request["response_format"] == {"type": "json_object"}


def test_a_search_uses_the_configured_model_for_its_cards(hiring_built: tuple[str, Path]) -> None:
    url, models = hiring_built
    engine = make_engine(url)
    matcher = talent.load_talent_matcher(models)
    counsellor = User("counsellor1", "상담사", "counsellor")
    offline = talent.search_candidates(engine, matcher, counsellor, filters=talent.SearchFilters(text="용접"), top=3)
    chat = FakeChat(_answer(**{c.label: [f"{c.facts.desired_occupation} 일자리를 찾는 구직자입니다."] for c in offline.cards}))
    results = talent.search_candidates(engine, matcher, counsellor, filters=talent.SearchFilters(text="용접"), top=3,
                                       summary_chat=chat)
    engine.dispose()
    assert results.summary_backend == "LLM 서버(시험)" and offline.summary_backend == OFFLINE_SUMMARY
    for card in results.cards:
        assert [s.text for s in card.summary] == [f"{card.facts.desired_occupation} 일자리를 찾는 구직자입니다."]
    assert "010" not in json.dumps(chat.messages, ensure_ascii=False)
    assert results.audit_output()["summaries"] == "LLM 서버(시험)"
