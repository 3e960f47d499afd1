"""구인공고 AI 작성지원 through AppTest, on private copies of the small world with every model built.

What the employer sees and may do: the Q&A chat (a wrong answer is explained and asked again,
any answer can be corrected, or everything typed in the compact form), the occupation top-3 with
the AI notice, a complete draft of every section, the live checklist and verification (unlawful
wording typed by the employer is flagged with its law and fix, and blocks saving until removed),
the fill-probability preview, and saving — the posting belongs to that employer only. A failing
language-model server falls back to the offline draft with a visible notice. Policy staff may
try the assistant but not save; counsellors are refused; missing models give a Korean warning.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar, point_settings_at, texts, user_dict

PAGE = "../../pages/posting_assistant.py"
TIMEOUT = 120  # the first draft check loads Kiwi and the verifier
ANSWERS: tuple[tuple[str, str], ...] = (
    ("job", "주방 보조 / 설거지, 식재료 손질, 주방 정리"),
    ("place", "서울 마포구 월드컵로 10"),
    ("type", "시간제 1명"),
    ("schedule", "주 5일 10:00~15:30"),
    ("pay", "시급 11,000원"),
    ("requirements", "없음"),
    ("preferred", "한식조리기능사 소지자"),
    ("benefits", "식사 제공, 명절 상여금"),
    ("company", "30년 된 동네 한식당입니다. 02-333-4444"),
)


@pytest.fixture(scope="module")
def pages_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built world for this module (drafts are saved as postings)."""
    url, _ = hiring_built
    return copy_world_database(url, tmp_path_factory.mktemp("assistant_pages") / "pages.db")


@pytest.fixture
def assistant_env(
    monkeypatch: pytest.MonkeyPatch, pages_db: Path, hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path
) -> Iterator[str]:
    """Settings pointed at a fresh copy of the module's database and the built models."""
    db = tmp_path / "assistant.db"
    shutil.copyfile(pages_db, db)
    yield point_settings_at(monkeypatch, db, hiring_built[1], users_file)
    get_settings.cache_clear()


def _employer(employer_ids: dict[str, int], name: str = "employer1") -> dict[str, Any]:
    return {**user_dict("employer", employer_ids[name]), "username": f"assistant-{name}"}


def _run(user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _chat(at: AppTest) -> list[tuple[str, str]]:
    """(role, text) of every chat message."""
    return [(m.name, "\n".join(t.value for t in m.text)) for m in at.chat_message]


def _say(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    _ok(at)
    return at


def _answer_all(at: AppTest) -> AppTest:
    for _, text in ANSWERS:
        _say(at, text)
    return at


def _choose(at: AppTest, keco_code: str = "532") -> AppTest:
    """Confirm the occupation when the model was not sure enough to preselect one (주방 보조 with
    its duties reads partly as 531 조리사)."""
    if at.radio(key="posting_assistant.keco").value is None:
        at.radio(key="posting_assistant.keco").set_value("__other__").run()
        at.selectbox(key="posting_assistant.keco_other").set_value(keco_code).run()
        _ok(at)
    return at


def _generate(at: AppTest) -> AppTest:
    _choose(at)
    at.button(key="posting_assistant.generate").click().run()
    _ok(at)
    return at


def _section(at: AppTest, key: str) -> Any:
    return at.text_area(key=f"posting_assistant.section.{key}")


# --------------------------------------------------------------------------- Q&A


def test_the_chat_asks_the_first_question(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    _ok(at)
    assert at.title[0].value == "구인공고 AI 작성지원"
    messages = _chat(at)
    assert messages[0][0] == "assistant"
    assert "어떤 일을 할 분을 찾으시나요?" in messages[-1][1]
    assert len(at.chat_input) == 1
    assert not [b for b in at.button if b.key == "posting_assistant.generate"]  # nothing to draft yet


def test_answers_are_read_confirmed_and_the_next_question_asked(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    _say(at, "주방 보조 / 설거지, 식재료 손질")
    messages = _chat(at)
    assert messages[-3] == ("user", "주방 보조 / 설거지, 식재료 손질")
    assert "직무명 '주방 보조', 업무: 설거지, 식재료 손질" in messages[-2][1]
    assert "근무지는 어디인가요?" in messages[-1][1]


def test_an_unreadable_answer_is_explained_and_asked_again(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    for _, text in ANSWERS[:4]:
        _say(at, text)
    _say(at, "협의")
    messages = _chat(at)
    assert messages[-1][0] == "assistant"
    assert "금액을 찾지 못했습니다" in messages[-1][1]
    assert at.session_state["posting_assistant.done"] == ["job", "place", "type", "schedule"]
    _say(at, "시급 11,000원")
    assert at.session_state["posting_assistant.answers"]["wage_amount"] == 11_000
    assert "지원 자격을 알려 주세요" in _chat(at)[-1][1]


def test_any_answer_can_be_corrected(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _answer_all(_run(_employer(employer_ids)))
    assert at.session_state["posting_assistant.answers"]["wage_amount"] == 11_000
    at.button(key="posting_assistant.fix.pay").click().run()
    assert "임금을(를) 다시 알려 주세요. 지금 답변: 시급 11,000원" in _chat(at)[-1][1]
    _say(at, "시급 12,500원")
    answers = at.session_state["posting_assistant.answers"]
    assert answers["wage_amount"] == 12_500
    assert answers["job_title"] == "주방 보조"  # the other answers stay
    assert "모든 질문에 답해 주셨습니다" in _chat(at)[-1][1]
    assert "시급 12,500원" in texts(at)  # the summary shows the new answer


def test_the_compact_form_answers_everything_at_once(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    for key, text in ANSWERS:
        at.text_input(key=f"posting_assistant.form.{key}").set_value(text)
    at.button(key="FormSubmitter:posting_assistant.form-양식 답변 적용").click().run()
    _ok(at)
    assert at.session_state["posting_assistant.done"] == [k for k, _ in ANSWERS]
    assert at.radio(key="posting_assistant.keco").options  # straight to the occupation step


def test_a_bad_form_answer_is_named_and_the_rest_kept(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    for key, text in ANSWERS:
        at.text_input(key=f"posting_assistant.form.{key}").set_value("아무때나" if key == "schedule" else text)
    at.button(key="FormSubmitter:posting_assistant.form-양식 답변 적용").click().run()
    _ok(at)
    assert any("근무 요일·시간: 근무 시간을 읽지 못했습니다" in e.value for e in at.error)
    assert "schedule" not in at.session_state["posting_assistant.done"]
    assert "근무 요일과 시간은 어떻게 되나요?" in _chat(at)[-1][1]


def test_employer_text_is_never_rendered_as_markup(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    _say(at, "주방 <b>보조</b> / **설거지**")
    summary = [m.value for m in at.markdown if "직무·업무" in m.value][0]
    assert "<b>" not in summary.replace("\\<b\\>", "")
    assert "\\*\\*설거지\\*\\*" in summary


# --------------------------------------------------------------------------- occupation and draft


def test_occupation_top3_with_confidence_and_ai_notice(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _answer_all(_run(_employer(employer_ids)))
    radio = at.radio(key="posting_assistant.keco")
    assert len(radio.options) == 4  # top-3 and "목록에서 직접 고르기"
    assert "식당 서비스원" in radio.options[0] or "주방장 및 조리사" in radio.options[0]
    assert all("AI 추정" in o for o in radio.options[:3])
    assert any("AI 직종 분류 결과입니다" in i.value for i in at.info)
    logged = db_rows(assistant_env, "SELECT model_name, model_version FROM audit_log WHERE action = 'posting_assistant.classify'")
    assert logged == [("occupation_classifier", "2.0")]


def _answer_all_with_job(at: AppTest, job: str) -> AppTest:
    for key, text in ANSWERS:
        _say(at, job if key == "job" else text)
    return at


def test_a_cafe_barista_is_a_cook_shown_with_whole_words(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _answer_all_with_job(_run(_employer(employer_ids)), "카페 바리스타 / 커피 음료 제조, 손님 응대")
    radio = at.radio(key="posting_assistant.keco")
    assert radio.options[0].startswith(("주방장 및 조리사", "식당 서비스원"))  # 음료 조리원 / 식음료 서비스
    assert radio.value in ("531", "532")  # preselected: the model is sure
    evidence = [c.value for c in at.caption if "근거 단어" in c.value]
    assert evidence and "'바리스타' ↔ 직업사전 '바리스타'" in evidence[0]
    quoted = [q for line in evidence for q in re.findall(r"'([^']*)'", line)]
    assert quoted and all(len(q) >= 2 for q in quoted)  # whole words, never a single syllable
    assert not any("청소" in line for line in evidence)


def test_an_unclear_title_is_asked_not_preselected(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _answer_all_with_job(_run(_employer(employer_ids)), "알바 구함 / 여러 가지 일")
    radio = at.radio(key="posting_assistant.keco")
    assert radio.value is None
    assert any("직종을 확실히 알기 어렵습니다" in w.value for w in at.warning)
    assert any("직종을 고르면 초안을 만들 수 있습니다" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "posting_assistant.generate"]  # no draft before a choice
    radio.set_value("__other__").run()  # "목록에서 직접 고르기"
    _ok(at)
    assert [b for b in at.button if b.key == "posting_assistant.generate"]


def test_the_draft_is_complete_checked_and_previewed(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _generate(_answer_all(_run(_employer(employer_ids))))
    for key in ("company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process", "documents"):
        assert _section(at, key).value.strip(), key
    assert "[" in at.text_input(key="posting_assistant.section.title").value or "주방 보조" in at.text_input(
        key="posting_assistant.section.title").value
    assert "시급 11,000원" in _section(at, "conditions").value
    assert "설거지" in _section(at, "duties").value
    assert "02-333-4444" in _section(at, "documents").value
    assert any("AI가 작성한 초안입니다 · 작성기: 기본(오프라인) 작성기" in i.value for i in at.info)
    shown = texts(at)
    assert "**필수 항목 점검** · 15/15 충족" in shown
    assert any("검증 결과: **통과**" in s.value for s in at.success)
    (metric,) = [m for m in at.metric if m.label == "마감 전 채용 확률 (AI 예측)"]
    assert metric.value.endswith("%)")
    assert not at.button(key="posting_assistant.save").disabled
    actions = {a for (a,) in db_rows(assistant_env, "SELECT action FROM audit_log")}
    assert {"posting_assistant.generate", "posting_assistant.verify", "posting_assistant.hiring_preview"} <= actions


def test_unlawful_wording_is_flagged_with_a_fix_and_blocks_saving(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _generate(_answer_all(_run(_employer(employer_ids))))
    requirements = _section(at, "requirements")
    requirements.set_value(requirements.value + "\n- 25세 이하 여성만 지원 가능").run()
    _ok(at)
    errors = [e.value for e in at.error]
    assert any("성별 차별 (남녀고용평등법 제7조 제1항)" in e and "수정 제안: '남녀 무관'으로 바꾸세요" in e for e in errors)
    assert any("연령 차별 (고령자고용법 제4조의4)" in e for e in errors)
    assert any("검증 결과: **차단**" in e for e in errors)
    assert at.button(key="posting_assistant.save").disabled
    assert "차별·개인정보 요구 문구 없음" in texts(at)
    at.button(key="posting_assistant.drop.requirements").click().run()
    _ok(at)
    assert "25세" not in _section(at, "requirements").value
    assert not at.button(key="posting_assistant.save").disabled


def test_a_wage_below_the_minimum_is_on_the_checklist(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _run(_employer(employer_ids))
    for key, text in ANSWERS:
        _say(at, "시급 5,000원" if key == "pay" else text)
    _generate(at)
    shown = texts(at)
    assert "최저임금 이상 · 최저임금법 제6조" in shown
    assert "임금을 해당 연도 최저임금 이상으로 올려 주세요." in shown
    assert at.button(key="posting_assistant.save").disabled


def test_a_saved_posting_belongs_to_the_employer_only(assistant_env: str, employer_ids: dict[str, int]) -> None:
    at = _generate(_answer_all(_run(_employer(employer_ids))))
    before = db_scalar(assistant_env, "SELECT COUNT(*) FROM postings")
    at.button(key="posting_assistant.save").click().run()
    _ok(at)
    (success,) = [s.value for s in at.success if "로 저장했습니다" in s.value]
    posting_id = int(success.split("#")[1].split("로")[0])
    assert db_scalar(assistant_env, "SELECT COUNT(*) FROM postings") == before + 1
    employer, source, wage, body = db_rows(
        assistant_env, f"SELECT employer_id, source, wage_amount, body FROM postings WHERE id = {posting_id}")[0]
    assert (employer, source, wage) == (employer_ids["employer1"], "assistant", 11_000)
    assert "설거지" in body and "【담당 업무】" in body
    other = employer_ids["employer2"]
    assert db_scalar(assistant_env, f"SELECT COUNT(*) FROM postings WHERE id = {posting_id} AND employer_id = {other}") == 0

    from app.db.engine import make_engine
    from app.services.hiring import load_employer_postings

    engine = make_engine(assistant_env)
    try:
        assert posting_id in set(load_employer_postings(engine, employer_ids["employer1"])["id"])
        assert posting_id not in set(load_employer_postings(engine, other)["id"])
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- backends and roles


def test_a_failing_llm_server_falls_back_visibly(
    monkeypatch: pytest.MonkeyPatch, pages_db: Path, hiring_built: tuple[str, Path], users_file: Path,
    tmp_path: Path, employer_ids: dict[str, int],
) -> None:
    db = tmp_path / "fallback.db"
    shutil.copyfile(pages_db, db)
    # port 9 (discard) on localhost: nothing listens there, the connection is refused at once
    point_settings_at(monkeypatch, db, hiring_built[1], users_file, GOYONG_LLM_BACKEND="openai",
              GOYONG_LLM_BASE_URL="http://127.0.0.1:9/v1", GOYONG_LLM_MODEL="korean-llama", GOYONG_LLM_TIMEOUT="2")
    try:
        at = _generate(_answer_all(_run(_employer(employer_ids))))
        warnings = [w.value for w in at.warning]
        assert any("LLM 서버(korean-llama) 생성에 실패해 기본(오프라인) 문안으로 작성했습니다" in w for w in warnings)
        assert any("작성기: 기본(오프라인) 작성기" in i.value for i in at.info)
        assert _section(at, "duties").value.strip()
    finally:
        get_settings.cache_clear()


def test_policy_staff_may_try_but_not_save(assistant_env: str) -> None:
    at = _generate(_answer_all(_run({**user_dict("policy"), "username": "assistant-policy"})))
    assert any("공고를 저장할 수는 없습니다" in i.value for i in at.info)
    assert at.button(key="posting_assistant.save").disabled
    assert "저장은 구인기업 계정으로 로그인해야 할 수 있습니다." in texts(at)


def test_counsellors_are_refused(assistant_env: str) -> None:
    at = _run({**user_dict("counsellor"), "username": "assistant-counsellor"})
    assert [e.value for e in at.error] == ["이 화면은 구인기업, 정책·운영 전용입니다. 현재 역할: 직업상담사"]
    assert not at.chat_input


def test_missing_models_name_the_build_command(
    monkeypatch: pytest.MonkeyPatch, pages_db: Path, users_file: Path, tmp_path: Path, employer_ids: dict[str, int]
) -> None:
    empty = tmp_path / "no_models"
    empty.mkdir()
    point_settings_at(monkeypatch, pages_db, empty, users_file)
    try:
        at = _run(_employer(employer_ids))
        _ok(at)
        assert any("python -m app build" in w.value for w in at.warning)
        assert not at.chat_input
    finally:
        get_settings.cache_clear()
