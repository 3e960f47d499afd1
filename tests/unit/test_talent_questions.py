"""Interview questions by a language model: one request per candidate carrying only the masked probe
sentences and the posting's conditions; each question kept only when it names a probe that exists and
states nothing that probe and the posting do not hold (otherwise that probe's offline question); the
offline composer when no model is configured or the server fails (a notice says why); the question set
and its audit record name who wrote them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.auth import User
from app.db.engine import make_engine
from app.llm.candidates import (
    OFFLINE_QUESTIONS,
    QUESTION_MAX_CHARS,
    Probe,
    askable_probes,
    compose_interview_questions,
    write_interview_questions,
)
from app.llm.openai_compat import OpenAICompatibleGenerator
from app.ml.talent import JobQuery
from app.reference.tables import load_reference
from app.services import talent
from app.services.talent.evidence import probes_for, split_documents
from app.services.talent.matching import posting_requirements
from tests.fake_chat_server import FakeChat, answer_every_probe, running, user_payload

PROBES = (
    Probe("duty", "주요 업무: 배관 용접, 용접 부위 검사", "이력서", "배관 용접, 용접 부위 검사"),
    Probe("claim", "3년 동안 조선소 현장에서 꼼꼼함을 강점으로 일했습니다.", "자기소개서"),
    Probe("gap", "경력 5년 이상", "공고", "경력 5년 이상"),
    Probe("wage", "희망 급여 | 월 350만원", "이력서", "월 300만원"),
)
REQUIREMENTS = {"직종": "용접원 및 용접기 조작원", "요구 경력": "5년 이상", "근무 지역": "경남", "제시 임금": "월 300만원"}
KNOWN = ("용접원 및 용접기 조작원", "용접기능사", "정보처리기사", "의사")
GOOD = {1: "배관 용접을 맡으셨을 때 본인의 역할과 검사에서 불량을 찾은 경험을 말씀해 주세요.",
        2: "3년 동안 조선소 현장에서 꼼꼼함이 결과로 이어진 사례를 들어 주세요.",
        3: "요구 경력 5년 이상에 못 미치는 부분을 어떤 경험으로 보완하시겠어요?",
        4: "희망하신 월 350만원과 공고의 월 300만원 차이를 어떻게 생각하시나요?"}
OFFLINE = compose_interview_questions(PROBES)
COUNSELLOR = User("counsellor1", "상담사", "counsellor")


def _answer(questions: dict[object, str]) -> str:
    return json.dumps({"questions": [{"probe": p, "question": q} for p, q in questions.items()]}, ensure_ascii=False)


def test_without_a_model_the_offline_composer_writes_them() -> None:
    batch = write_interview_questions(PROBES, None, REQUIREMENTS, KNOWN)
    assert batch.backend == OFFLINE_QUESTIONS and not batch.notices
    assert batch.questions == OFFLINE and len(OFFLINE) == 4
    assert {q.writer for q in batch.questions} == {OFFLINE_QUESTIONS}


def test_the_servers_questions_are_kept_and_tied_to_their_probes() -> None:
    with running(_answer(GOOD)) as server:
        chat = OpenAICompatibleGenerator(server.url, "m", lambda r: None, timeout=5)  # type: ignore[arg-type,return-value]
        batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert batch.backend == "LLM 서버(m)" and not batch.notices
    assert [q.question for q in batch.questions] == list(GOOD.values())
    assert [(q.probes, q.source) for q in batch.questions] == [(p.sentence, p.source) for p in PROBES]
    assert {q.writer for q in batch.questions} == {"LLM 서버(m)"}
    (request,) = server.requests  # one request for the candidate's whole set
    assert request["model"] == "m" and request["response_format"] == {"type": "json_object"}
    payload = user_payload(request)
    assert [p["번호"] for p in payload["근거"]] == [1, 2, 3, 4]
    assert [p["문장"] for p in payload["근거"]] == [p.sentence for p in PROBES]
    assert payload["공고 조건"] == REQUIREMENTS


@pytest.mark.parametrize(("bad", "reason"), [
    ({2: "12년 동안 조선소 현장에서 어떤 성과를 내셨나요?"}, "근거에 없는 숫자나 이름"),
    ({2: "2019년에 맡은 일을 말씀해 주세요."}, "근거에 없는 숫자나 이름"),
    ({2: "정보처리기사 자격은 어떻게 활용하셨나요?"}, "근거에 없는 숫자나 이름"),
    ({9: "근거 9번에 대해 말씀해 주세요."}, "없는 근거 번호"),
    ({"둘": "현장 경험을 말씀해 주세요."}, "없는 근거 번호"),
    ({2: "010-1234-5678로 연락드려도 될까요?"}, "개인정보로 보이는 내용"),
    ({2: "포트폴리오를 hong.gildong@naver.com 으로 보내 주실 수 있나요?"}, "개인정보로 보이는 내용"),
    ({2: "주민등록번호 900101-1234567 을 확인해도 될까요?"}, "개인정보로 보이는 내용"),
    ({2: "현장에서 결혼 후에도 계속 일하실 계획인가요?"}, "직무와 관계없는 개인 사항"),
    ({2: "   "}, "빈 질문"),
    ({2: "현장 경험을 말씀해 주세요. " * 20}, f"{QUESTION_MAX_CHARS}자가 넘는 질문"),
])
def test_a_question_that_does_not_hold_up_is_replaced_by_the_offline_one(bad: dict[object, str], reason: str) -> None:
    chat = FakeChat(_answer({1: GOOD[1], **bad, 3: GOOD[3], 4: GOOD[4]}))
    batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert batch.backend == "LLM 서버(시험)"
    assert batch.questions[1] == OFFLINE[1]  # the probe keeps its question: the offline composer's
    assert [q.question for i, q in enumerate(batch.questions) if i != 1] == [GOOD[1], GOOD[3], GOOD[4]]
    assert [q.writer for q in batch.questions] == ["LLM 서버(시험)", OFFLINE_QUESTIONS, "LLM 서버(시험)", "LLM 서버(시험)"]
    assert batch.notices == (f"근거와 맞지 않는 면접 질문 1개를 뺐습니다 ({reason}).", "질문 1개는 기본(오프라인) 질문입니다.")


def test_a_second_question_for_a_probe_and_a_probe_left_out() -> None:
    chat = FakeChat(json.dumps({"questions": [{"probe": 1, "question": GOOD[1]}, {"probe": 1, "question": GOOD[2]},
                                              {"probe": "4", "question": GOOD[4]}]}, ensure_ascii=False))
    batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert [q.question for q in batch.questions] == [GOOD[1], OFFLINE[1].question, OFFLINE[2].question, GOOD[4]]
    assert batch.notices == ("근거와 맞지 않는 면접 질문 1개를 뺐습니다 (한 근거에 두 번째 질문).",
                             "질문 2개는 기본(오프라인) 질문입니다.")


def test_a_two_syllable_name_inside_an_ordinary_word_is_not_a_claim() -> None:
    question = "배관 용접 현장에서 동료와 의사소통이 어려웠던 경험을 말씀해 주세요."  # "의사" is an occupation name
    batch = write_interview_questions(PROBES[:1], FakeChat(_answer({1: question})), REQUIREMENTS, KNOWN)
    assert batch.questions[0].question == question


def test_with_no_usable_question_the_offline_composer_is_named() -> None:
    chat = FakeChat(_answer({1: "7년 경력을 말씀해 주세요.", 2: "나이가 어떻게 되시나요?"}))
    batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert batch.backend == OFFLINE_QUESTIONS and batch.questions == OFFLINE
    assert batch.notices == ("근거와 맞지 않는 면접 질문 2개를 뺐습니다 (근거에 없는 숫자나 이름, 직무와 관계없는 개인 사항).",
                             "LLM 서버(시험)의 면접 질문 중 쓸 만한 것이 없어 기본(오프라인) 질문을 보여 드립니다.")


@pytest.mark.parametrize(("chat", "says"), [
    (FakeChat(error="LLM 서버가 20초 안에 응답하지 않았습니다"), "LLM 서버가 20초 안에 응답하지 않았습니다"),
    (FakeChat("질문을 만들 수 없습니다"), "LLM 서버의 질문이 JSON 형식이 아닙니다"),
    (FakeChat('{"questions": [1, 2'), "LLM 서버의 질문이 JSON 형식이 아닙니다"),
    (FakeChat('{"questions": "없음"}'), "LLM 서버의 답에 질문 목록이 없습니다"),
])
def test_a_failing_model_falls_back_visibly(chat: FakeChat, says: str) -> None:
    batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert batch.backend == OFFLINE_QUESTIONS and batch.questions == OFFLINE
    assert batch.notices == (f"LLM 서버(시험) 면접 질문 생성에 실패해 기본(오프라인) 질문을 보여 드립니다: {says}",)


def test_a_failing_server_falls_back_visibly() -> None:
    with running("", status=500) as server:
        chat = OpenAICompatibleGenerator(server.url, "m", lambda r: None, timeout=5)  # type: ignore[arg-type,return-value]
        batch = write_interview_questions(PROBES, chat, REQUIREMENTS, KNOWN)
    assert batch.backend == OFFLINE_QUESTIONS and batch.questions == OFFLINE
    assert batch.notices == ("LLM 서버(m) 면접 질문 생성에 실패해 기본(오프라인) 질문을 보여 드립니다: "
                             "LLM 서버가 오류를 돌려주었습니다 (HTTP 500)",)
    # nothing listens on port 9 of the loopback: the connection is refused at once
    unreachable = OpenAICompatibleGenerator("http://127.0.0.1:9/v1", "m", lambda r: None, timeout=2)  # type: ignore[arg-type,return-value]
    batch = write_interview_questions(PROBES, unreachable, REQUIREMENTS, KNOWN)
    assert batch.questions == OFFLINE and "LLM 서버에 연결할 수 없습니다" in batch.notices[0]


def test_no_probe_means_no_request() -> None:
    chat = FakeChat(error="must not be called")
    batch = write_interview_questions([Probe("other", "문장", "이력서")], chat, REQUIREMENTS, KNOWN)
    assert batch.questions == () and batch.backend == OFFLINE_QUESTIONS and not chat.messages


RESUME = """이 력 서
성명 | 홍길동
H.P | 010-9876-5432
E-mail | gildong.hong@naver.com
거주지 주소 | 경상남도 거제시 옥포로 12, 101호
2018.03 ~ 2024.02  대한조선(주)  용접원
   주요 업무: 배관 용접, 용접 부위 검사
   주요 업무: 선체 블록 용접 (사수 홍길동 010-9876-5432)
2017.05  용접기능사
희망 급여 | 월 350만원
"""
LETTER = ("저 홍길동의 강점은 끈기이며, 작업 사진은 gildong.hong@naver.com 또는 010-9876-5432 로 요청하시면 보내 드립니다. "
          "현장에서 맡은 일을 끝까지 해내는 능력을 길렀습니다.")


def test_the_model_never_receives_personal_data() -> None:
    ref = load_reference()
    welder_certificate = str(ref.certificates.loc[ref.certificates["name"] == "용접기능사", "certificate_id"].iloc[0])
    record = {"certificate_ids": welder_certificate, "career_years": 2.0, "desired_wage": 3_500_000}
    query = JobQuery(keco_code=None, region_code=None, min_career_years=5.0, wage_monthly=3_000_000.0,
                     education=None, text="", day=0)
    offer = {"wage_monthly": 3_000_000.0, "region": "경남"}
    probes = probes_for(record, split_documents(RESUME, LETTER, "홍길동"), query, offer, ref)
    assert {p.kind for p in probes} == {"duty", "claim", "certificate", "gap", "wage"}
    with running(answer_every_probe()) as server:
        chat = OpenAICompatibleGenerator(server.url, "m", lambda r: None, timeout=5)  # type: ignore[arg-type,return-value]
        batch = write_interview_questions(probes, chat, posting_requirements(query, offer), KNOWN)
    sent = server.sent_text()
    for secret in ("홍길동", "010-9876-5432", "9876", "gildong.hong@naver.com", "옥포로"):
        assert secret not in sent
    assert "gi***@naver.com" in sent and "홍○동" in sent  # the claim was sent, masked
    assert "선체 블록" not in sent  # a résumé line that held personal data is no evidence at all
    assert batch.backend == "LLM 서버(m)" and len(batch.questions) == 5
    assert [(q.probes, q.source) for q in batch.questions] == [(p.sentence, p.source) for p in askable_probes(probes)]


@pytest.fixture(scope="module")
def welder_search(hiring_built: tuple[str, Path]) -> Iterator[tuple[Engine, talent.TalentMatcher, talent.CandidateResults]]:
    """The small world's engine, its matcher and a counsellor's sentence search for welders."""
    engine = make_engine(hiring_built[0])
    matcher = talent.load_talent_matcher(hiring_built[1])
    yield engine, matcher, talent.search_candidates(engine, matcher, COUNSELLOR, filters=talent.SearchFilters(text="용접"))
    engine.dispose()


def test_a_candidates_questions_go_through_the_configured_model(welder_search) -> None:
    engine, matcher, results = welder_search

    def ask(seeker_id: int, chat: FakeChat | None = None) -> talent.QuestionSet:
        return talent.interview_questions(engine, matcher, COUNSELLOR, posting_id=None, seeker_id=seeker_id,
                                          offer=results.offer, question_chat=chat)

    card = next(c for c in results.cards if ask(c.seeker_id).questions)
    offline = ask(card.seeker_id)
    chat = FakeChat(answer_every_probe())
    asked = ask(card.seeker_id, chat)
    with engine.connect() as conn:
        name, phone, email = conn.execute(text("select name, phone, email from seekers where id = :s"),
                                          {"s": card.seeker_id}).one()
    assert offline.writer == OFFLINE_QUESTIONS and asked.writer == "LLM 서버(시험)"
    assert [(q.probes, q.source) for q in asked.questions] == [(q.probes, q.source) for q in offline.questions]
    assert {q.writer for q in asked.questions} == {"LLM 서버(시험)"}
    assert asked.audit_output() == {"seeker_id": card.seeker_id, "posting_id": None, "questions": len(asked.questions),
                                    "writer": "LLM 서버(시험)", "by_model": len(asked.questions)}
    assert offline.audit_output()["writer"] == OFFLINE_QUESTIONS and offline.audit_output()["by_model"] == 0
    assert asked.input_hash != offline.input_hash  # another writer: its own audit row
    sent = json.dumps(chat.messages, ensure_ascii=False)
    assert all(secret not in sent for secret in (name, phone, email))
