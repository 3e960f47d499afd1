"""상담 요약 (app.copilot.summary): requests, agreements and next steps from counsellor notes, deadlines
resolved against the session date, the faithfulness check on offline and model output, the edited summary."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.copilot.generation import CopilotTask, run_task
from app.copilot.grounding import Vocabulary, build_vocabulary, check_statements
from app.copilot.summary import (
    SUMMARY_KINDS,
    InvalidSummary,
    find_deadline,
    summary_fields,
    summary_task,
    validate_edited_summary,
)
from app.errors import InvalidInput
from app.reference.tables import load_reference
from app.text.pii import mask_pii

SESSION = dt.date(2026, 3, 5)  # a Thursday

NOTE_BULLETS = """[2회차] 대면 상담을 진행함.
- 물류 사무직 취업을 희망함. 주 5일 근무, 월 230만원 이상 원함.
- 지게차운전기능사 취득을 위한 훈련 과정 정보를 요청함.
- 국민내일배움카드로 지게차 과정을 수강하기로 합의함.
- 3/20까지 이력서 수정본 제출
- 상담사는 훈련기관 목록을 이번 주 금요일까지 문자로 안내할 예정.
- 연락처 변경(010-2345-6789) 확인함.
- 다음 상담은 2주 후로 예정함."""

NOTE_PROSE = (
    "구직자는 경력 단절 후 사무보조 업무로 재취업하기를 바란다고 하였다. 아이 하원 시간 때문에 오후 4시 이전 퇴근이 "
    "가능한 일자리를 원한다고 말함. 상담 결과 국민취업지원제도 II유형에 참여하기로 하였고, 일주일 뒤까지 참여 신청서를 "
    "제출하기로 했다. 상담사는 시간제 일자리 공고를 3일 이내에 전달할 예정이다. 연락은 010-9876-5432로 하기로 함."
)
PROSE_SESSION = dt.date(2026, 4, 14)

NOTE_HEADINGS = """■ 요청사항
- 야간 근무 없는 생산직
- 통근버스 있는 회사 희망
■ 합의사항
- 희망 직종을 기계 조립원으로 정함
- 구직급여 수급 중이므로 실업인정일 전 입사지원 2건 하기로 함
■ 향후 계획
- 다음 주 수요일 모의 면접
- 자기소개서 초안 작성 (다음 상담 때 지참)"""

NOTE_ABSOLUTE = """3차 상담: 화상으로 상담을 진행함.
1) 요양보호사 자격 취득 과정을 문의함.
2) 2026-03-20까지 훈련기관 두 곳을 방문하기로 함.
3) 국민내일배움카드는 2026.4.3.까지 발급 신청 예정.
4) 다음 달 10일 요양보호사 시험에 응시할 계획임."""

NOTE_YEAR_END = """- 연초 채용을 노려 1월 5일까지 자기소개서를 완성하기로 함
- 12월 말까지 희망 기업 세 곳을 정리할 것
- 3일 내 구인처 목록 회신 요청함"""
YEAR_END_SESSION = dt.date(2025, 12, 22)

NOTE_WORLD_STYLE = ("[2회차] 내방하여 상담을 진행함. 스트레스 관리 방법을 안내하고 다음 회기에 경과를 확인하기로 함. "
                    "거주지(인천광역시 부평구 경인로38길 30, 402호) 인근 구인처 위주로 탐색하기로 함. "
                    "추후 010-5742-4110으로 결과를 안내하기로 함. 다음 상담은 2주 후로 예정함.")

NOTE_MIXED = """홍길동 님 내방. 연락처 010-1111-2222, 메일 gildong@naver.com.
- 국민내일배움카드 발급 절차를 안내함.
- 3월 2일 면접 결과는 다음 상담 때 공유하기로 함.
- 국민취업지원제도 참여 여부는 결정하지 못함.
- 5일 이내에 이력서 파일을 보내기로 함.
- 정규직 일자리를 원하며, 3월 말까지 취업하기를 바람."""


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    ref = load_reference()
    return build_vocabulary(ref.certificates["name"], ref.occupations["name"])


def _items(task: CopilotTask, kind: str) -> list[str]:
    return [s.text for s in task.offline if s.kind == kind]


def _next_steps(task: CopilotTask) -> dict[str, str]:
    """Next-step text → its detail."""
    return {s.text: s.detail for s in task.offline if s.kind == "next_step"}


def _assert_faithful(task: CopilotTask, vocabulary: Vocabulary) -> None:
    result = check_statements(task.offline, task.sources, vocabulary)
    assert result.failed == 0, [s.removed for s in result.statements if s.removed]
    assert result.pii_masked == 0
    keys = {s.key for s in task.sources}
    for statement in task.offline:
        assert set(statement.sources) <= keys
        assert statement.sources[0].startswith("session.")


def _derived(task: CopilotTask) -> dict[str, str]:
    return {s.key: s.text for s in task.sources if s.key.startswith("derived.deadline.")}


# ------------------------------------------------------------------ hand-written notes


def test_bullet_note_requests_agreements_and_next_steps_with_deadlines(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_BULLETS, SESSION)
    assert task.name == "summary" and task.title == "상담 요약" and dict(task.kinds) == SUMMARY_KINDS
    assert _items(task, "request") == ["물류 사무직 취업을 희망함", "주 5일 근무, 월 230만원 이상 원함",
                                       "지게차운전기능사 취득을 위한 훈련 과정 정보를 요청함"]
    assert _items(task, "agreement") == ["국민내일배움카드로 지게차 과정을 수강하기로 합의함"]
    assert _next_steps(task) == {
        "3/20까지 이력서 수정본 제출": "기한: 2026-03-20 (3/20)",
        "상담사는 훈련기관 목록을 이번 주 금요일까지 문자로 안내할 예정": "기한: 2026-03-06 (이번 주 금요일)",
        "다음 상담은 2주 후로 예정함": "기한: 2026-03-19 (2주 후)",
    }
    derived = _derived(task)
    assert "‘2주 후’ → 2026-03-19 (상담일 2026-03-05 기준)" in derived.values()
    two_weeks = next(s for s in task.offline if s.text.startswith("다음 상담은"))
    assert [k for k in two_weeks.sources if k.startswith("derived.")] == [
        k for k, v in derived.items() if v.startswith("‘2주 후’")]
    assert task.data == {"session_date": "2026-03-05", "next_session": "2026-03-19"}
    _assert_faithful(task, vocabulary)


def test_prose_note_splits_clauses_and_drops_reporting_verbs(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_PROSE, PROSE_SESSION)
    assert _items(task, "request") == ["경력 단절 후 사무보조 업무로 재취업하기를 바란다고 함",
                                       "아이 하원 시간 때문에 오후 4시 이전 퇴근이 가능한 일자리를 원한다고 함"]
    assert _items(task, "agreement") == ["국민취업지원제도 II유형에 참여하기로 함", "연락은 연락처로 하기로 함"]
    steps = _next_steps(task)
    assert steps["일주일 뒤까지 참여 신청서를 제출하기로 함"] == "기한: 2026-04-21 (일주일 뒤)"
    assert steps["상담사는 시간제 일자리 공고를 3일 이내에 전달할 예정"] == "기한: 2026-04-17 (3일 이내)"
    # one sentence gave both an agreement and a next step, both citing it
    third = {s.text: s.sources for s in task.offline}
    assert third["국민취업지원제도 II유형에 참여하기로 함"][0] == third["일주일 뒤까지 참여 신청서를 제출하기로 함"][0]
    _assert_faithful(task, vocabulary)


def test_headings_give_their_kind_to_the_lines_under_them(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_HEADINGS, SESSION)
    assert _items(task, "request") == ["야간 근무 없는 생산직", "통근버스 있는 회사 희망"]
    assert _items(task, "agreement") == ["희망 직종을 기계 조립원으로 정함",
                                         "구직급여 수급 중이므로 실업인정일 전 입사지원 2건 하기로 함"]
    assert _next_steps(task) == {"다음 주 수요일 모의 면접": "기한: 2026-03-11 (다음 주 수요일)",
                                 "자기소개서 초안 작성 (다음 상담 때 지참)": "기한: 다음 상담 때"}
    assert all("■" not in s.text for s in task.offline)  # headings are not items
    _assert_faithful(task, vocabulary)


def test_absolute_dates_and_numbered_lines(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_ABSOLUTE, SESSION)
    assert _items(task, "request") == ["요양보호사 자격 취득 과정을 문의함"]
    assert _next_steps(task) == {
        "2026-03-20까지 훈련기관 두 곳을 방문하기로 함": "기한: 2026-03-20",
        "국민내일배움카드는 2026.4.3.까지 발급 신청 예정": "기한: 2026-04-03 (2026.4.3)",
        "다음 달 10일 요양보호사 시험에 응시할 계획임": "기한: 2026-04-10 (다음 달 10일)",
    }
    assert all(not s.text.startswith(("1)", "2)", "3차")) for s in task.offline)
    _assert_faithful(task, vocabulary)


def test_dates_across_the_year_end_and_month_end(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_YEAR_END, YEAR_END_SESSION)
    steps = _next_steps(task)
    assert steps["연초 채용을 노려 1월 5일까지 자기소개서를 완성하기로 함"] == "기한: 2026-01-05 (1월 5일)"
    assert steps["12월 말까지 희망 기업 세 곳을 정리할 것"] == "기한: 2025-12-31 (12월 말)"
    assert steps["3일 내 구인처 목록 회신 요청함"] == "기한: 2025-12-25 (3일 내)"
    derived = set(_derived(task).values())
    assert "‘1월 5일’ → 2026-01-05 (상담일 2025-12-22 기준, 다음 해로 계산)" in derived
    assert "‘12월 말’ → 2025-12-31 (상담일 2025-12-22 기준, 말일로 계산)" in derived
    _assert_faithful(task, vocabulary)


def test_world_style_note_takes_the_next_session_date_and_drops_contact_details(vocabulary: Vocabulary) -> None:
    task = summary_task(mask_pii(NOTE_WORLD_STYLE), SESSION)
    assert _items(task, "agreement") == ["거주지 인근 구인처 위주로 탐색하기로 함"]
    steps = _next_steps(task)
    # "다음 회기" is the session the same note puts 2 weeks later
    assert steps["스트레스 관리 방법을 안내하고 다음 회기에 경과를 확인하기로 함"] == "기한: 2026-03-19 (다음 회기)"
    assert steps["추후 연락처로 결과를 안내하기로 함"] == ""
    assert "‘다음 회기’ → 2026-03-19 (이번 메모의 다음 상담 일정 ‘2주 후’, 상담일 2026-03-05 기준)" in _derived(
        task).values()
    _assert_faithful(task, vocabulary)


def test_phone_email_and_name_never_reach_the_summary(vocabulary: Vocabulary) -> None:
    raw = NOTE_MIXED + "\n" + NOTE_PROSE + "\n" + NOTE_BULLETS
    task = summary_task(raw, SESSION)  # the caller forgot to mask: the builder masks again
    shown = " ".join(s.text + " " + s.detail for s in task.offline)
    # the masked sources keep a phone's last four digits (the masking policy); the summary drops the number
    for secret in ("1111", "2222", "9876", "5432", "2345", "6789", "gildong", "홍길동", "길동"):
        assert secret not in shown
    for secret in ("1111", "9876", "2345", "gildong", "홍길동"):
        assert all(secret not in s.text for s in task.sources)
    assert "*" not in shown and "○" not in shown
    _assert_faithful(task, vocabulary)


def test_past_dates_negations_and_the_card_name_are_not_deadlines(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_MIXED, SESSION)
    steps = _next_steps(task)
    assert steps["3월 2일 면접 결과는 다음 상담 때 공유하기로 함"] == "기한: 다음 상담 때"  # 3월 2일 is past
    assert steps["5일 이내에 이력서 파일을 보내기로 함"] == "기한: 2026-03-10 (5일 이내)"
    assert not any("결정하지 못함" in t for t in _items(task, "agreement"))
    assert "국민내일배움카드 발급 절차를 안내함" not in " ".join(s.text for s in task.offline)  # done, not to do
    assert _items(task, "request") == ["정규직 일자리를 원함", "3월 말까지 취업하기를 바람"]
    assert find_deadline("국민내일배움카드 발급", SESSION) is None  # 내일 in the card's name
    _assert_faithful(task, vocabulary)


@pytest.mark.parametrize(("text", "due", "surface"), [
    ("2주 후 재방문", "2026-03-19", "2주 후"),
    ("일주일 뒤 연락", "2026-03-12", "일주일 뒤"),
    ("다음 주까지 제출", "2026-03-13", "다음 주"),
    ("다음 주 월요일 방문", "2026-03-09", "다음 주 월요일"),
    ("이번 주 금요일 마감", "2026-03-06", "이번 주 금요일"),
    ("화요일까지 회신", "2026-03-10", "화요일"),
    ("10일 이내 신청", "2026-03-15", "10일 이내"),
    ("한 달 후 점검", "2026-04-05", "한 달 후"),
    ("보름 안에 준비", "2026-03-20", "보름 안에"),
    ("내일 연락", "2026-03-06", "내일"),
    ("20일까지 제출", "2026-03-20", "20일"),
    ("3일까지 제출", "2026-04-03", "3일"),
    ("이번 달 말까지", "2026-03-31", "이번 달 말"),
    ("3.27(금)까지 서류 제출", "2026-03-27", "3.27"),
    ("2026년 4월 1일 면접", "2026-04-01", "2026년 4월 1일"),
])
def test_deadline_expressions_resolve_against_the_session_date(text: str, due: str, surface: str) -> None:
    deadline = find_deadline(text, SESSION)
    assert deadline is not None and deadline.due is not None
    assert (deadline.due.isoformat(), deadline.surface) == (due, surface)


def test_a_marked_deadline_wins_over_an_earlier_date() -> None:
    deadline = find_deadline("3월 10일 면접 후 3월 12일까지 결과 공유", SESSION)
    assert deadline is not None and deadline.due == dt.date(2026, 3, 12)


def test_notes_without_items_give_an_empty_summary(vocabulary: Vocabulary) -> None:
    task = summary_task("전화로 상담을 진행함. 구직 의욕이 높아 보임.", SESSION)
    assert task.offline == ()
    assert [s.key for s in task.sources] == ["session.date", "session.1", "session.2"]
    assert summary_fields(run_task(task, None, vocabulary)) == {"request": [], "agreement": [], "next_step": []}


def test_overlong_notes_are_refused_in_korean() -> None:
    with pytest.raises(InvalidInput, match="상담 메모가 너무 깁니다"):
        summary_task("가" * 20_001, SESSION)


# ------------------------------------------------------------------ checked output → fields


def test_summary_fields_of_the_offline_output(vocabulary: Vocabulary) -> None:
    fields = summary_fields(run_task(summary_task(NOTE_BULLETS, SESSION), None, vocabulary))
    assert list(fields) == ["request", "agreement", "next_step"]
    assert [(i["text"], i["due"], i["due_text"]) for i in fields["next_step"]] == [
        ("3/20까지 이력서 수정본 제출", "2026-03-20", "3/20"),
        ("상담사는 훈련기관 목록을 이번 주 금요일까지 문자로 안내할 예정", "2026-03-06", "이번 주 금요일"),
        ("다음 상담은 2주 후로 예정함", "2026-03-19", "2주 후"),
    ]
    assert fields["request"][0] == {"text": "물류 사무직 취업을 희망함", "due": "", "due_text": "", "sources": ["session.2"]}
    json.dumps(fields, ensure_ascii=False)


class FakeChat:
    """A chat backend that answers with a fixed JSON reply (and records what it was sent)."""

    name = "시험용 모델"

    def __init__(self, reply: dict[str, object]) -> None:
        self.reply = json.dumps(reply, ensure_ascii=False)
        self.messages: list[dict[str, str]] = []

    def chat(self, messages: list[dict[str, str]], *, json_object: bool = True, max_tokens: int | None = None) -> str:
        self.messages = messages
        return self.reply


def _number(task: CopilotTask, key: str) -> str:
    return f"S{[s.key for s in task.sources].index(key) + 1}"


def test_a_model_inventing_a_deadline_loses_that_item(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_BULLETS, SESSION)
    derived = next(k for k, v in _derived(task).items() if v.startswith("‘3/20’"))
    chat = FakeChat({"statements": [
        {"kind": "request", "text": "물류 사무직 취업 희망", "sources": [_number(task, "session.2")]},
        {"kind": "next_step", "text": "이력서 수정본 제출", "detail": "기한: 2026-03-20 (3/20)",
         "sources": [_number(task, "session.6"), _number(task, derived)]},
        {"kind": "next_step", "text": "자기소개서 초안을 3월 27일까지 보내기로 함", "detail": "기한: 2026-03-27",
         "sources": [_number(task, "session.6")]},
        {"kind": "agreement", "text": "국민취업지원제도 참여에 합의함", "sources": [_number(task, "session.5")]},
    ]})
    output = run_task(task, chat, vocabulary)
    assert output.backend == "시험용 모델" and not output.fell_back
    removed = [s for s in output.statements if s.removed]
    assert len(removed) == 1 and "3월 27일" in removed[0].removed and removed[0].text == ""
    fields = summary_fields(output)
    assert [(i["text"], i["due"]) for i in fields["next_step"]] == [("이력서 수정본 제출", "2026-03-20")]
    assert [i["text"] for i in fields["request"]] == ["물류 사무직 취업 희망"]
    # a statement without a checkable claim passes the check: the counsellor edits it before saving
    assert [i["text"] for i in fields["agreement"]] == ["국민취업지원제도 참여에 합의함"]
    sent = " ".join(m["content"] for m in chat.messages)
    assert "2345" not in sent and "010-2345-6789" not in sent and "기한 계산" in sent


def test_a_model_next_session_item_takes_the_next_session_date(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_BULLETS, SESSION)
    chat = FakeChat({"statements": [
        {"kind": "next_step", "text": "다음 상담 때 훈련 과정 결정", "sources": [_number(task, "session.9")]},
    ]})
    fields = summary_fields(run_task(task, chat, vocabulary))
    assert [(i["due"], i["due_text"]) for i in fields["next_step"]] == [("2026-03-19", "다음 상담")]


def test_a_model_date_in_words_is_read_back_from_the_detail(vocabulary: Vocabulary) -> None:
    task = summary_task(NOTE_PROSE, PROSE_SESSION)
    chat = FakeChat({"statements": [
        {"kind": "next_step", "text": "참여 신청서 제출", "detail": "기한: 일주일 뒤",
         "sources": [_number(task, "session.3")]},
    ]})
    fields = summary_fields(run_task(task, chat, vocabulary))
    assert fields["next_step"] == [{"text": "참여 신청서 제출", "due": "2026-04-21", "due_text": "일주일 뒤",
                                    "sources": ["session.3"]}]


# ------------------------------------------------------------------ the counsellor's edited version


def test_validate_edited_summary_masks_and_drops_emptied_rows() -> None:
    cleaned = validate_edited_summary({
        "request": [{"text": "  사무직  희망 ", "sources": ["session.2"]}, {"text": "", "due": ""}],
        "next_step": [{"text": "결과는 010-3333-4444로 연락", "due": "2026-03-20", "due_text": "3/20"},
                      "다음 상담 때 이력서 지참"],
    })
    assert cleaned["request"] == [{"text": "사무직 희망", "due": "", "due_text": "", "sources": ["session.2"]}]
    assert cleaned["agreement"] == []
    assert cleaned["next_step"][0]["text"] == "결과는 010-****-4444로 연락"
    assert cleaned["next_step"][0]["due"] == "2026-03-20"
    assert cleaned["next_step"][1] == {"text": "다음 상담 때 이력서 지참", "due": "", "due_text": "", "sources": []}
    assert validate_edited_summary(cleaned) == cleaned  # idempotent: saving twice changes nothing


def test_validate_edited_summary_accepts_a_date_object() -> None:
    cleaned = validate_edited_summary({"next_step": [{"text": "서류 제출", "due": dt.date(2026, 3, 20)}]})
    assert cleaned["next_step"][0]["due"] == "2026-03-20"


@pytest.mark.parametrize(("fields", "message"), [
    ({"next_step": [{"text": "서류 제출", "due": "2026-02-30"}]}, "다음 단계 1번째 항목: 기한은 2026-03-20처럼"),
    ({"next_step": [{"text": "서류 제출", "due": "3월 20일"}]}, "연-월-일로 적거나 비워 두세요"),
    ({"request": [{"text": "가" * 301}]}, "요청사항 1번째 항목: 300자를 넘습니다 \\(301자\\)"),
    ({"agreement": [{"text": "", "due": "2026-03-20"}]}, "내용 없이 기한만 있습니다"),
    ({"memo": [{"text": "메모"}]}, "알 수 없는 요약 항목 종류"),
    ({"request": [{"text": "희망"}] * 31}, "30개까지"),
    ({"request": "사무직 희망"}, "요청사항의 형식이 잘못되었습니다"),
    ({"request": [42]}, "요청사항 1번째 항목의 형식이 잘못되었습니다"),
])
def test_validate_edited_summary_refuses_bad_input_in_korean(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidSummary, match=message) as caught:
        validate_edited_summary(fields)
    assert isinstance(caught.value, InvalidInput)
    assert re.search(r"[가-힣]", caught.value.user_message)


# ------------------------------------------------------------------ the small world's notes


def test_every_note_of_the_small_world_summarises_faithfully(world_db: Path, vocabulary: Vocabulary) -> None:
    with sqlite3.connect(f"file:{world_db}?mode=ro", uri=True) as db:
        notes = db.execute("SELECT written_on, text FROM counsellor_notes ORDER BY id").fetchall()
    assert len(notes) > 100
    counts = {"request": 0, "agreement": 0, "next_step": 0}
    dated = 0
    for written_on, text in notes:
        task = summary_task(mask_pii(text), dt.date.fromisoformat(str(written_on)[:10]))
        output = run_task(task, None, vocabulary)
        assert output.removed == 0, (text, [s.removed for s in output.statements if s.removed])
        assert output.pii_masked == 0
        kinds = [s.kind for s in output.statements]
        for kind in kinds:
            counts[kind] += 1
        if "예정" in text or "하기로" in text:
            assert {"next_step", "agreement"} & set(kinds), text
        if "2주 후" in text:
            steps = summary_fields(output)["next_step"]
            expected = (dt.date.fromisoformat(str(written_on)[:10]) + dt.timedelta(days=14)).isoformat()
            assert expected in [i["due"] for i in steps], text
            dated += 1
        assert all("*" not in s.text for s in output.statements)
    assert counts["next_step"] > 0 and counts["agreement"] > 0 and dated > 0


def test_a_seeker_context_adds_the_record_as_sources_only(vocabulary: Vocabulary) -> None:
    from app.copilot.context import SeekerContext

    context = SeekerContext(seeker_id=3, age=41, education="고졸", career_years=12.0, desired_keco="623",
                            desired_occupation="물품이동장비 조작원", desired_wage=2_800_000, desired_region="경기",
                            registered_on=dt.date(2026, 2, 1), as_of=SESSION)
    alone, with_record = summary_task(NOTE_BULLETS, SESSION), summary_task(NOTE_BULLETS, SESSION, context)
    assert with_record.offline == alone.offline
    added = [s.key for s in with_record.sources if s.key not in {k.key for k in alone.sources}]
    assert added and all(k.startswith("record.") for k in added)
    _assert_faithful(with_record, vocabulary)
