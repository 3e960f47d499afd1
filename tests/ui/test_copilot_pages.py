"""상담 지원 (counsellors) and 자기소개서·경력 설계 (seekers) through AppTest, on a private copy of the
small world with every artifact built.

A counsellor opens each section for a caseload seeker: it is drawn with the AI notice and its sources,
written to the audit log (and to the copilot's records) before it is drawn, and once per input; a
seeker outside the caseload is refused. The counsellor turns a session's notes into a summary, edits
and confirms it (the profile page then lists it), accepts changes of the cover-letter rewrite one by
one, and edits and confirms the diagnosis — each stored beside the original, masked. A failing
language model shows the offline text with a visible notice. A seeker sees only their own cover-letter
feedback and roadmap, without a risk band or anything to confirm. Other roles are refused; nothing
internal and no markup typed by a user is rendered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from app.auth import User
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories import copilot as copilot_repo
from app.reference.tables import Reference, load_reference
from app.services import audit, copilot, employment, talent
from app.text.markdown import escape_markdown
from components.copilot_sections import COUNSELLOR_SECTIONS, SEEKER_SECTIONS
from tests.ui.helpers import TIMEOUT, db_rows, db_scalar, point_settings_at_built_copy, run_page, texts
from tests.ui.test_korean_only import _visible_text, internal_identifiers
from tests.ui.test_markup_injection import _shown_markdown

COUNSELLOR_PAGE = "../../pages/copilot.py"
SEEKER_PAGE = "../../pages/seeker_copilot.py"
PROFILE_PAGE = "../../pages/employment_profile.py"
NOTICE = "AI가 준비한 상담 자료입니다 · 작성: "
OFFLINE_NOTICE = f"{NOTICE}{copilot.OFFLINE_BACKEND} · 상담 지원 {copilot.COPILOT_VERSION}"
OFFLINE_VERSION = f"{copilot.OFFLINE_BACKEND} {copilot.COPILOT_VERSION}"
NOTES = "구직자가 사무직 일자리 소개를 요청함. 직업훈련에 참여하기로 합의함. 이력서를 다음 주 금요일까지 보완하기로 함. 2주 후 다음 상담 예정."
MARKUP_NOTES = ("구직자가 야간 근무가 가능한 일자리를 **꼭** 요청함. <b>국민취업지원제도</b> 신청에 합의함. "
                "[고용24](http://evil.example/x)에서 이력서를 3월 20일까지 등록하기로 함.")
LIVE_MARKUP = (re.compile(r"(?<!\\)<b>"), re.compile(r"(?<!\\)\]\(http"), re.compile(r"(?<!\\)\*\*꼭"))
RISK_WORDS = ("위험도", "고위험", "중위험", "저위험", "취업확률", "취업성공 예측모델", "취업 가능성")
NOT_IN_CASELOAD = "구직자 #{id}은(는) 현재 상담 대상(등록 후 180일 이내 미취업자)이 아닙니다."
SOURCES = re.compile(r"근거 \d+개 보기")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path,
        tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a private copy of the built world (the pages write audit rows and records),
    with no copilot record yet (other modules' tests may have written some to the shared original)."""
    url = point_settings_at_built_copy(monkeypatch, hiring_built, users_file, tmp_path / "copilot.db")
    engine = make_engine(url)
    copilot_repo.ensure_tables(engine)  # a world built before the copilot lacks its table
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM copilot_records"))
    engine.dispose()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def engine(env: str) -> Iterator[Engine]:
    engine = make_engine(env)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference()


def _counsellor(username: str) -> dict[str, Any]:
    return {"username": username, "display_name": "상담사", "role": "counsellor", "employer_id": None}


def _seeker(seeker_id: int, username: str) -> dict[str, Any]:
    return {"username": username, "display_name": "구직자", "role": "seeker", "employer_id": None,
            "seeker_id": seeker_id}


def _user(role: str, username: str) -> dict[str, Any]:
    return {"username": username, "display_name": role, "role": role, "employer_id": 1 if role == "employer" else None}


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _open(page: str, user: dict[str, Any], seeker: int | None = None) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    if seeker is not None:
        at.query_params["seeker"] = str(seeker)
    at.run()
    _no_exception(at)
    return at


def _section(at: AppTest, section: str, *, key: str = "copilot.section") -> AppTest:
    at.radio(key=key).set_value(section).run()
    _no_exception(at)
    return at


def _notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if i.value.startswith(NOTICE)]


def _audit(url: str, username: str, action: str) -> list[tuple[int, str, str, dict]]:
    rows = db_rows(url, "select id, model_name, model_version, output from audit_log where username=:u and action=:a "
                        "order by id", u=username, a=action)
    return [(i, m, v, json.loads(o) if isinstance(o, str) else o) for i, m, v, o in rows]


def _copilot_actions(url: str, username: str) -> list[str]:
    return [a for (a,) in db_rows(url, "select action from audit_log where username=:u and action like 'copilot.%'",
                                  u=username)]


def _records(url: str, seeker_id: int, task: str) -> list[dict[str, Any]]:
    rows = db_rows(url, "select id, status, original, edited, session_date, created_by, confirmed_by from copilot_records "
                        "where seeker_id=:s and task=:t order by id", s=seeker_id, t=task)
    keys = ("id", "status", "original", "edited", "session_date", "created_by", "confirmed_by")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _all_records(url: str) -> list[tuple[int, str]]:
    return db_rows(url, "select seeker_id, task from copilot_records order by id")


def _context(engine: Engine, models: Path, seeker_id: int, reference: Reference) -> copilot.SeekerContext:
    """The counsellor's context of a seeker, as the page builds it."""
    model = employment.load_employment_model(models)
    return copilot.counsellor_context(engine, User("copilot-test", "상담사", "counsellor"), model, seeker_id,
                                      employment.load_risk_bands(engine), reference)


def _plain(text: str) -> str:
    """Markdown source as the reader sees it (escape_markdown's backslashes removed)."""
    return re.sub(r"\\(.)", r"\1", text)


def _statements(at: AppTest) -> list[str]:
    """The sentences and headings the page drew as markdown (plain text, escaped)."""
    return [m.value for m in at.markdown]


def _submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    _no_exception(at)
    return at


def _summarise(at: AppTest, notes: str) -> AppTest:
    _section(at, "summary")
    at.text_area(key="copilot.summary.notes").input(notes)
    return _submit(at, "요약 만들기")


def _outside_caseload(url: str, at: AppTest) -> int:
    """A seeker registered long before the caseload date (so not on the picker)."""
    listed = {int(o.split(" · ")[0].removeprefix("#")) for o in at.selectbox(key="employment.seeker_id").options}
    oldest = [int(r[0]) for r in db_rows(url, "select id from seekers order by registered_on, id limit 20")]
    return next(i for i in oldest if i not in listed)


# --------------------------------------------------------------------------- counsellor: every section


@pytest.mark.parametrize("section", list(COUNSELLOR_SECTIONS))
def test_every_section_is_drawn_with_the_notice_logged_and_recorded(env: str, section: str) -> None:
    username = f"copilot-{section}"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    assert [t.value for t in at.title] == ["상담 지원"]
    assert list(at.radio(key="copilot.section").options) == list(COUNSELLOR_SECTIONS.values())
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    if section == "summary":
        _section(at, "summary")
        assert not _notices(at) and "copilot.summary" not in _copilot_actions(env, username)  # nothing before notes
        _summarise(at, NOTES)
    elif section != "diagnosis":  # the page opens on the diagnosis
        _section(at, section)
    assert [s.value for s in at.subheader] == [COUNSELLOR_SECTIONS[section]]
    assert _notices(at) == [f"{OFFLINE_NOTICE} · 모든 문장은 근거를 열어 확인할 수 있으며, 상담사가 판단하고 고칩니다"]
    assert [e.label for e in at.expander if SOURCES.fullmatch(e.label)]  # every section opens its sources

    (row,) = _audit(env, username, f"copilot.{section}")
    _, model_name, version, logged = row
    assert (model_name, version) == (copilot.MODEL_NAME, OFFLINE_VERSION)
    assert logged["seeker_id"] == seeker and logged["task"] == section and logged["removed"] == 0
    assert logged["statements"] > 0 and logged["fell_back"] is False
    (record,) = _records(env, seeker, section)
    assert record["status"] == "shown" and record["created_by"] == username and record["edited"] is None
    assert len(json.loads(record["original"])["statements"]) == logged["statements"]
    # drawn again (another widget moved): the same output, no new audit row and no new record
    at.run()
    _no_exception(at)
    assert len(_audit(env, username, f"copilot.{section}")) == 1 and len(_records(env, seeker, section)) == 1
    assert internal_identifiers(_visible_text(at)) == []


def test_the_diagnosis_names_the_barriers_with_their_sources(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-barriers"))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    expected = copilot.run(copilot.diagnosis(_context(engine, hiring_built[1], seeker, reference), reference),
                           None, reference).output
    shown = _statements(at)
    for kind, label in expected.kinds.items():
        if expected.of_kind(kind):
            assert f"##### {escape_markdown(label)}" in shown
    barriers = expected.of_kind("barrier")
    assert barriers and "##### 취업 장애 요인" in shown
    for statement in expected.shown:
        assert escape_markdown(statement.text, one_line=False) in shown
    # one expander per sentence citing a source, holding each source's label and text
    cited = [s for kind in expected.kinds for s in expected.of_kind(kind) if s.sources]  # drawn kind by kind
    expanders = [e for e in at.expander if SOURCES.fullmatch(e.label)]
    assert [e.label for e in expanders] == [f"근거 {len(s.sources)}개 보기" for s in cited]
    first = expanders[[s.kind for s in cited].index("barrier")]
    source = expected.source(barriers[0].sources[0])
    assert escape_markdown(source.label) in [c.value for c in first.caption]
    assert source.text in [t.value for t in first.text]


def test_no_audit_row_means_no_copilot_output(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    logged = audit.log_model_output

    def copilot_unlogged(*args: Any, **kwargs: Any) -> audit.Durability:
        if kwargs["model_name"] == copilot.MODEL_NAME:  # the caseload picker (employment model) is still logged
            raise audit.AuditUnavailable("감사 로그를 기록할 수 없습니다.")
        return logged(*args, **kwargs)

    monkeypatch.setattr(audit, "log_model_output", copilot_unlogged)
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-unlogged"))
    assert at.error
    assert not _notices(at) and not [m for m in at.markdown if m.value.startswith("#####")] and not at.expander
    assert not _copilot_actions(env, "copilot-unlogged") and _all_records(env) == []


@pytest.mark.parametrize("via", ["query_param", "session_state"])
def test_a_seeker_outside_the_caseload_is_refused(env: str, via: str) -> None:
    username = f"copilot-forged-{via}"
    foreign = _outside_caseload(env, _open(COUNSELLOR_PAGE, _counsellor("copilot-lister")))
    at = AppTest.from_file(COUNSELLOR_PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = _counsellor(username)
    if via == "session_state":
        at.session_state["employment.seeker_id"] = foreign
    else:
        at.query_params["seeker"] = str(foreign)
    at.run()
    _no_exception(at)
    assert [e.value for e in at.error] == [NOT_IN_CASELOAD.format(id=foreign)]
    assert not at.radio and not _notices(at) and not at.expander and not at.text_area
    assert not _copilot_actions(env, username)
    assert not [r for r in _all_records(env) if r[0] == foreign]


# --------------------------------------------------------------------------- counsellor: summary, edits


def test_notes_become_a_summary_the_counsellor_edits_confirms_and_the_profile_lists(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    username = "copilot-summary"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    _summarise(at, NOTES)
    context = _context(engine, hiring_built[1], seeker, reference)
    fields = copilot.summary_fields(copilot.run(copilot.session_summary(NOTES, context.as_of, context), None,
                                                reference).output)
    assert [len(fields[k]) for k in ("request", "agreement", "next_step")] == [1, 1, 2]
    shown = _statements(at)
    for kind, label in copilot.SUMMARY_KINDS.items():
        assert f"##### {label}" in shown
        for item in fields[kind]:
            assert escape_markdown(item["text"], one_line=False) in shown
    assert escape_markdown("사무직 일자리 소개를 요청함", one_line=False) in shown
    # the confirm form holds the items, one per line, the next steps with their computed due dates
    edits = {k: _summary_box(at, k) for k in copilot.SUMMARY_KINDS}
    assert edits["request"].value == "사무직 일자리 소개를 요청함"
    assert edits["agreement"].value == "직업훈련에 참여하기로 합의함"
    week_friday = context.as_of + dt.timedelta(days=7 + (4 - context.as_of.weekday()))
    two_weeks = context.as_of + dt.timedelta(days=14)
    assert edits["next_step"].value.splitlines() == [
        f"이력서를 다음 주 금요일까지 보완하기로 함 (기한: {week_friday.isoformat()})",
        f"2주 후 다음 상담 예정 (기한: {two_weeks.isoformat()})"]
    assert not [r for r in _records(env, seeker, "summary") if r["status"] == "confirmed"]

    # the counsellor corrects an agreement (with a phone number that must not be stored) and confirms
    edits["agreement"].set_value("직업훈련(야간반)에 참여하기로 합의함. 연락은 010-1234-5678")
    _submit(at, "확인하고 기록에 저장")
    assert "상담 요약을 기록에 저장했습니다." in [s.value for s in at.success]
    (saved,) = [r for r in _records(env, seeker, "summary") if r["status"] == "confirmed"]
    edited = json.loads(saved["edited"])
    assert [i["text"] for i in edited["request"]] == ["사무직 일자리 소개를 요청함"]
    (agreement,) = edited["agreement"]
    assert agreement["text"].startswith("직업훈련(야간반)에 참여하기로 합의함") and "010-1234-5678" not in agreement["text"]
    assert [(i["text"], i["due"]) for i in edited["next_step"]] == [
        ("이력서를 다음 주 금요일까지 보완하기로 함", week_friday.isoformat()), ("2주 후 다음 상담 예정", two_weeks.isoformat())]
    assert str(saved["session_date"]).startswith(context.as_of.isoformat()) and saved["confirmed_by"] == username
    assert [s["text"] for s in json.loads(saved["original"])["statements"]][:2] == [
        "사무직 일자리 소개를 요청함", "직업훈련에 참여하기로 합의함"]  # the copilot's original kept beside it
    (row,) = _audit(env, username, copilot.SUMMARY_ACTION)
    assert row[3]["record_id"] == saved["id"] and row[3]["seeker_id"] == seeker
    assert "##### 저장된 상담 요약" in _statements(at)

    profile = _open(PROFILE_PAGE, _counsellor("copilot-profile"), seeker=seeker)
    assert "##### 저장된 상담 요약" in _statements(profile)
    (entry,) = [e for e in profile.expander if e.label.endswith("확정") and "상담 · " in e.label]
    lines = [t.value for t in entry.text]
    assert "사무직 일자리 소개를 요청함" in lines
    assert f"2주 후 다음 상담 예정 (기한: {two_weeks.isoformat()})" in lines
    assert not any("010-1234-5678" in line for line in lines)
    assert [b.label for b in profile.button if b.key == "copilot.profile.open"] == ["상담 지원 열기"]


def test_cover_letter_changes_are_accepted_one_by_one_and_saved_beside_the_original(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    username = "copilot-cover"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    context = _context(engine, hiring_built[1], seeker, reference)
    assert context.cover_letter.strip()
    _section(at, "cover_letter")
    output = copilot.run(copilot.cover_letter(context, reference, None), None, reference).output
    hunks = copilot.cover_letter_hunks(output, context, reference)
    assert hunks
    boxes = [c for c in at.checkbox if c.key.startswith(f"copilot.cover.{seeker}.")]
    assert [c.label for c in boxes] == [f"{copilot.HUNK_KIND_LABELS.get(h.kind, '고침')} {i + 1} 받아들이기"
                                        for i, h in enumerate(hunks)]
    assert _draft(at) == copilot.apply_hunks(context.cover_letter, hunks, set())
    assert at.button(key="copilot.cover.save").disabled  # nothing accepted yet

    boxes[0].check().run()
    _no_exception(at)
    draft = _draft(at)
    assert draft == copilot.apply_hunks(context.cover_letter, hunks, {hunks[0].id})
    assert draft != context.cover_letter
    assert not at.button(key="copilot.cover.save").disabled
    at.button(key="copilot.cover.save").click().run()
    _no_exception(at)
    assert "받아들인 수정안을 원문과 함께 저장했습니다." in [s.value for s in at.success]
    (record,) = _records(env, seeker, "cover_letter")
    assert record["status"] == "confirmed" and record["confirmed_by"] == username
    assert json.loads(record["edited"]) == {"accepted": [hunks[0].id], "letter": draft}
    assert json.loads(record["original"])["task"] == "cover_letter"  # the copilot's output stays beside it
    (row,) = _audit(env, username, copilot.CONFIRM_ACTION)
    assert row[3]["record_id"] == record["id"]


def test_the_counsellor_edits_and_confirms_the_diagnosis(env: str) -> None:
    username = "copilot-edit"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    (expander,) = [e for e in at.expander if e.label == "내용 고쳐서 확정하기"]
    box = next(t for t in at.text_area if t.label == "상담사 수정본")
    original = box.value
    (record,) = _records(env, seeker, "diagnosis")
    assert original.splitlines() == [s["text"] for s in json.loads(record["original"])["statements"]
                                     if not s.get("removed")]
    box.set_value("상담사 판단: 임금 눈높이보다 지역 수요가 먼저다. 연락처 010-9876-5432")
    next(b for b in at.button if b.label == "확정하여 기록에 저장").click().run()
    _no_exception(at)
    assert "수정본을 원문과 함께 저장했습니다." in [s.value for s in at.success]
    (record,) = _records(env, seeker, "diagnosis")
    assert record["status"] == "confirmed" and record["confirmed_by"] == username
    edited = json.loads(record["edited"])["text"]
    assert edited.startswith("상담사 판단: 임금 눈높이보다 지역 수요가 먼저다.") and "010-9876-5432" not in edited
    assert json.loads(record["original"])["statements"]  # the original stays
    assert len(_audit(env, username, copilot.CONFIRM_ACTION)) == 1


def test_another_seeker_gets_their_own_text_to_edit_not_the_previous_ones(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    """Widgets keep what they hold while drawn under the same key: switching the seeker must not leave
    the previous seeker's diagnosis in the edit box (confirming would store it as this seeker's)."""
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-switch"))
    picker = at.selectbox(key="employment.seeker_id")
    first, second = (int(o.split(" · ")[0].removeprefix("#")) for o in picker.options[:2])
    edit = next(t for t in at.text_area if t.label == "상담사 수정본")
    assert edit.value == _diagnosis_text(engine, hiring_built[1], first, reference)
    picker.set_value(second).run()
    _no_exception(at)
    edit = next(t for t in at.text_area if t.label == "상담사 수정본")
    assert edit.value == _diagnosis_text(engine, hiring_built[1], second, reference)
    next(b for b in at.button if b.label == "확정하여 기록에 저장").click().run()
    _no_exception(at)
    (record,) = _records(env, second, "diagnosis")
    assert json.loads(record["edited"])["text"] == _diagnosis_text(engine, hiring_built[1], second, reference)
    assert _records(env, first, "diagnosis")[0]["edited"] is None


def _diagnosis_text(engine: Engine, models: Path, seeker: int, reference: Reference) -> str:
    output = copilot.run(copilot.diagnosis(_context(engine, models, seeker, reference), reference), None,
                         reference).output
    return "\n".join(s.text for s in output.shown)


def test_new_notes_or_another_seeker_give_a_new_summary_to_confirm(env: str) -> None:
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-renotes"))
    picker = at.selectbox(key="employment.seeker_id")
    first, second = (int(o.split(" · ")[0].removeprefix("#")) for o in picker.options[:2])
    _summarise(at, NOTES)
    assert _summary_edit(at, "request") == "사무직 일자리 소개를 요청함"
    at.text_area(key="copilot.summary.notes").input("구직자가 물류 일자리 소개를 요청함.")
    _submit(at, "요약 만들기")
    assert _summary_edit(at, "request") == "물류 일자리 소개를 요청함"  # not the first summary's items
    assert _summary_edit(at, "agreement") == ""
    # another seeker: an empty memo, no summary of the first seeker's session to save as theirs
    at.selectbox(key="employment.seeker_id").set_value(second).run()
    _no_exception(at)
    assert at.text_area(key="copilot.summary.notes").value == ""
    assert not [t for t in at.text_area if t.label.endswith("(한 줄에 하나)")]
    assert not [b for b in at.button if b.label == "확인하고 기록에 저장"]
    assert _records(env, second, "summary") == [] and len(_records(env, first, "summary")) == 2


def _summary_box(at: AppTest, kind: str) -> Any:
    """The confirm form's text area of one kind of item (its key carries the summary's input)."""
    label = f"{copilot.SUMMARY_KINDS[kind]} (한 줄에 하나)"
    return next(t for t in at.text_area if t.label == label)


def _summary_edit(at: AppTest, kind: str) -> str:
    return _summary_box(at, kind).value


def test_a_tick_does_not_carry_over_to_another_postings_change(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    """Fitting the letter to a posting can rewrite the same place differently: a change ticked for
    the desired occupation is not accepted in the posting's rewrite unless it is the same change."""
    username = "copilot-target"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    context = _context(engine, hiring_built[1], seeker, reference)

    def hunks(posting: Any) -> list[Any]:
        output = copilot.run(copilot.cover_letter(context, reference, posting), None, reference).output
        return copilot.cover_letter_hunks(output, context, reference)

    before = hunks(None)
    postings = copilot.fit_postings(engine, talent.load_talent_matcher(hiring_built[1]), _as_user(_counsellor(username)),
                                    seeker, reference)
    changed = next(i for i, p in enumerate(postings) if [(h.id, h.new) for h in hunks(p)] != [(h.id, h.new) for h in before])
    after = hunks(postings[changed])
    same = {h.id for h in after if (h.id, h.original, h.new) in {(b.id, b.original, b.new) for b in before}}
    assert len(same) < len(after)

    _section(at, "cover_letter")
    for box in at.checkbox:
        box.check()
    at.run()
    _no_exception(at)
    assert _draft(at) == copilot.apply_hunks(context.cover_letter, before, {h.id for h in before})
    at.selectbox(key="copilot.cover.posting").set_value(str(changed)).run()
    _no_exception(at)
    assert [c.value for c in at.checkbox] == [h.id in same for h in after]
    assert _draft(at) == copilot.apply_hunks(context.cover_letter, after, same)


def test_another_seekers_letter_is_drawn_as_their_own_draft(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference) -> None:
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-letters"))
    picker = at.selectbox(key="employment.seeker_id")
    ids = [int(o.split(" · ")[0].removeprefix("#")) for o in picker.options[:10]]
    first, second = [i for i in ids if _context(engine, hiring_built[1], i, reference).cover_letter.strip()][:2]
    picker.set_value(first).run()
    _section(at, "cover_letter")
    assert _draft(at) == _context(engine, hiring_built[1], first, reference).cover_letter
    at.selectbox(key="employment.seeker_id").set_value(second).run()
    _no_exception(at)
    assert _draft(at) == _context(engine, hiring_built[1], second, reference).cover_letter


def _draft(at: AppTest) -> str:
    return next(t for t in at.text_area if t.label == "받아들인 수정을 반영한 자기소개서").value


def _as_user(user: dict[str, Any]) -> User:
    return User(user["username"], user["display_name"], user["role"], user.get("employer_id"),
                seeker_id=user.get("seeker_id"))


def test_a_failing_language_model_shows_the_offline_text_with_a_notice(
        env: str, engine: Engine, hiring_built: tuple[str, Path], reference: Reference,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"GOYONG_LLM_BACKEND": "openai", "GOYONG_LLM_BASE_URL": "http://127.0.0.1:9/v1",
                       "GOYONG_LLM_MODEL": "x", "GOYONG_LLM_TIMEOUT": "0.5"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    username = "copilot-fallback"
    at = _open(COUNSELLOR_PAGE, _counsellor(username))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    fallbacks = [_plain(w.value) for w in at.warning if "기본(오프라인) 문안" in _plain(w.value)]
    assert len(fallbacks) == 1 and fallbacks[0].startswith(
        "LLM 서버(x) 생성에 실패해 기본(오프라인) 문안을 보여 드립니다: LLM 서버에 연결할 수 없습니다"), fallbacks
    assert _notices(at)[0].startswith(OFFLINE_NOTICE)
    expected = copilot.run(copilot.diagnosis(_context(engine, hiring_built[1], seeker, reference), reference),
                           None, reference).output
    shown = _statements(at)
    assert all(escape_markdown(s.text, one_line=False) in shown for s in expected.shown)
    (row,) = _audit(env, username, "copilot.diagnosis")
    assert row[3]["fell_back"] is True and row[2] == OFFLINE_VERSION
    assert internal_identifiers(_visible_text(at)) == []


def test_markup_in_the_notes_is_shown_literally(env: str) -> None:
    at = _open(COUNSELLOR_PAGE, _counsellor("copilot-markup"))
    seeker = int(at.selectbox(key="employment.seeker_id").value)
    _summarise(at, MARKUP_NOTES)
    shown = _shown_markdown(at)
    assert not [s for s in shown for pattern in LIVE_MARKUP if pattern.search(s)]
    joined = "\n".join(shown)
    assert r"\<b\>국민취업지원제도\</b\>" in joined and r"\[고용24\]\(http" in joined  # there, as text
    # the confirm form gives the counsellor back exactly what was typed
    assert "<b>국민취업지원제도</b>" in _summary_edit(at, "agreement")
    _submit(at, "확인하고 기록에 저장")
    shown = _shown_markdown(at)
    assert not [s for s in shown for pattern in LIVE_MARKUP if pattern.search(s)]
    (entry,) = [e for e in at.expander if e.label.endswith("확정")]
    assert any("<b>국민취업지원제도</b>" in t.value for t in entry.text)  # st.text: never markdown
    (saved,) = [r for r in _records(env, seeker, "summary") if r["status"] == "confirmed"]
    assert "<b>국민취업지원제도</b>" in saved["edited"]


# --------------------------------------------------------------------------- seeker


def test_a_seeker_sees_only_their_own_feedback_and_roadmap(
        env: str, engine: Engine, seeker_ids: dict[str, int], reference: Reference) -> None:
    mine, other = seeker_ids["seeker1"], seeker_ids["seeker2"]
    username = "copilot-seeker"
    at = _open(SEEKER_PAGE, _seeker(mine, username), seeker=other)  # a seeker's page ignores a seeker in the URL
    assert [t.value for t in at.title] == ["자기소개서·경력 설계"]
    assert list(at.radio(key="seeker_copilot.section").options) == list(SEEKER_SECTIONS.values())
    own = copilot.own_context(engine, User(username, "구직자", "seeker", seeker_id=mine), reference)
    assert own.cover_letter.strip()
    # the cover letter first: feedback, the changes to accept, the draft — and nothing to confirm
    assert [s.value for s in at.subheader] == ["자기소개서 피드백"]
    assert len(_notices(at)) == 1
    hunks = copilot.cover_letter_hunks(copilot.run(copilot.cover_letter(own, reference, None), None, reference).output,
                                       own, reference)
    boxes = [c for c in at.checkbox if c.key.startswith(f"copilot.cover.{mine}.")]
    assert len(boxes) == len(hunks) > 0
    assert _draft(at) == copilot.apply_hunks(own.cover_letter, hunks, set())
    boxes[0].check().run()
    _no_exception(at)
    assert _draft(at) == copilot.apply_hunks(own.cover_letter, hunks, {hunks[0].id})
    _seeker_view_checks(at)

    _section(at, "roadmap", key="seeker_copilot.section")
    assert [s.value for s in at.subheader] == ["경력 로드맵"]
    assert len(_notices(at)) == 1
    assert any("경로 1" in str(v) for d in at.dataframe for v in d.value.get("경로", []))
    _seeker_view_checks(at)

    for action in ("copilot.cover_letter", "copilot.roadmap"):
        (row,) = _audit(env, username, action)
        assert row[1] == copilot.MODEL_NAME and row[3]["seeker_id"] == mine
    assert {seeker for seeker, _ in _all_records(env)} == {mine}
    assert {task for _, task in _all_records(env)} == {"cover_letter", "roadmap"}


def _seeker_view_checks(at: AppTest) -> None:
    """A seeker's view: no risk band or probability, nothing to confirm, nothing internal."""
    _no_exception(at)
    shown = texts(at) + "\n".join(e.label for e in at.expander)
    assert not [w for w in RISK_WORDS if w in shown]
    assert not [e for e in at.expander if e.label == "내용 고쳐서 확정하기"]
    assert not [b for b in at.button if "저장" in b.label or "확정" in b.label]
    assert internal_identifiers(_visible_text(at)) == []


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("page", "role", "message"), [
    (COUNSELLOR_PAGE, "employer", "이 화면은 직업상담사 전용입니다. 현재 역할: 구인기업"),
    (COUNSELLOR_PAGE, "policy", "이 화면은 직업상담사 전용입니다. 현재 역할: 정책·운영"),
    (COUNSELLOR_PAGE, "seeker", "이 화면은 직업상담사 전용입니다. 현재 역할: 구직자"),
    (SEEKER_PAGE, "employer", "이 화면은 구직자 전용입니다. 현재 역할: 구인기업"),
    (SEEKER_PAGE, "policy", "이 화면은 구직자 전용입니다. 현재 역할: 정책·운영"),
    (SEEKER_PAGE, "counsellor", "이 화면은 구직자 전용입니다. 현재 역할: 직업상담사"),
])
def test_other_roles_are_refused(env: str, seeker_ids: dict[str, int], page: str, role: str, message: str) -> None:
    username = f"copilot-refused-{role}"
    user = _seeker(seeker_ids["seeker1"], username) if role == "seeker" else _user(role, username)
    at = run_page(page, user)
    _no_exception(at)
    assert [e.value for e in at.error] == [message]
    assert not at.title and not at.radio and not at.expander and not at.text_area and not at.button
    assert db_scalar(env, "select count(*) from audit_log where username=:u", u=username) == 0
    assert _all_records(env) == []
