"""공고 사전 점검 after the check (AppTest): the checked draft is saved as the employer's posting
with its verdict, or carried on to 구인공고 AI 작성지원; a blocked draft cannot be saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.config import get_settings
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar, point_settings_at, texts, user_dict

CHECK = "../../pages/ad_check.py"
TIMEOUT = 120  # the first check loads Kiwi and the verifier
CLEAN_TITLE = "사무 보조 직원 모집"
CLEAN_BODY = "문서 정리와 전화 응대 업무입니다.\n남녀 무관, 경력 무관\n주 5일 근무 (09:00~18:00), 4대보험"
UNLAWFUL_BODY = "물류센터 상하차 업무입니다.\n남자만 지원 가능합니다.\n주 5일 근무 (09:00~18:00)"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path, tmp_path: Path
        ) -> Iterator[str]:
    db = copy_world_database(hiring_built[0], tmp_path / "check.db")
    yield point_settings_at(monkeypatch, db, hiring_built[1], users_file)
    get_settings.cache_clear()


def _checked(employer_id: int | None, body: str, role: str = "employer") -> AppTest:
    at = AppTest.from_file(CHECK, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = {**user_dict(role, employer_id), "username": f"check-{role}"}
    at.run()
    at.text_input(key="ad_check.company").set_value("한빛상사")
    at.text_input(key="ad_check.title").set_value(CLEAN_TITLE)
    at.text_area(key="ad_check.body").set_value(body)
    at.number_input(key="ad_check.wage").set_value(2_500_000)
    at.number_input(key="ad_check.hours").set_value(40.0)
    at.text_input(key="ad_check.contact").set_value("02-123-4567")
    next(b for b in at.button if b.label == "점검하기").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_checked_draft_is_saved_as_the_employers_posting(env: str, employer_ids: dict[str, int]) -> None:
    employer_id = employer_ids["employer1"]
    before = int(db_scalar(env, "select count(*) from postings where employer_id=:e", e=employer_id))
    at = _checked(employer_id, CLEAN_BODY)
    assert "다음 단계" in {s.value for s in at.subheader}
    assert "저장 후 게재됩니다." not in texts(at)  # the dead end is gone: there is a way to save
    at.button(key="ad_check.save").click().run()
    assert not at.exception
    assert any("저장했습니다" in s.value for s in at.success)
    assert int(db_scalar(env, "select count(*) from postings where employer_id=:e", e=employer_id)) == before + 1
    (posting_id, title, wage, source), = db_rows(
        env, "select id, title, wage_amount, source from postings where employer_id=:e order by id desc limit 1",
        e=employer_id)
    assert (title, wage, source) == (CLEAN_TITLE, 2_500_000, "check")
    (decision, status), = db_rows(env, "select decision, status from posting_versions where posting_id=:p",
                                  p=posting_id)
    assert status == "current" and decision in ("pass", "review")
    assert at.session_state["hiring.posting_id"] == posting_id  # the simulator opens it next


def test_a_blocked_draft_cannot_be_saved_but_can_be_carried_on(env: str, employer_ids: dict[str, int]) -> None:
    at = _checked(employer_ids["employer1"], UNLAWFUL_BODY)
    assert not any(b.key == "ad_check.save" for b in at.button)
    assert "차단 판정을 받은 공고는 저장할 수 없습니다" in texts(at)
    at.button(key="ad_check.continue").click().run()
    assert not at.exception
    # the assistant's form fields hold what the employer wrote (the page itself is not part of this run)
    assert at.session_state["posting_assistant.form.job"] == CLEAN_TITLE
    assert at.session_state["posting_assistant.form.pay"].startswith("월 250만")
    assert at.session_state["posting_assistant.form.schedule"] == "주 40시간"


def test_policy_staff_check_but_do_not_save(env: str) -> None:
    at = _checked(None, CLEAN_BODY, role="policy")
    assert not any(b.key == "ad_check.save" for b in at.button)
    assert "공고 저장은 구인기업 계정에서 할 수 있습니다." in texts(at)
