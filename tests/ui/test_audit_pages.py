"""Audit logging seen from the pages (AppTest, on a private copy of the built small world):

* every page that shows model output writes its audit rows (each page of ``PAGES`` is listed here
  with the actions it records, or as showing no model output: a new page must be classified);
* fail closed: with the database write-locked by another connection the simulator still shows its
  figures because the record went to the durable spool; with the spool unusable too it shows a
  Korean error and no AI output;
* the audit export (AI 감사 로그) is for policy staff only, filters by KST days, user, role, action
  and model, and exports formula-neutral CSV; command runs have their own tab.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app.access import PAGES
from app.config import get_settings
from app.db.engine import make_engine
from app.services import audit
from tests.conftest import copy_world_database
from tests.ui.helpers import db_rows, db_scalar, point_settings_at, texts, user_dict

TIMEOUT = 120  # the ad pages load Kiwi and re-verify postings on their first run
EXPORT = "../../pages/audit_log.py"
SIMULATOR = "../../pages/hiring_simulator.py"


@pytest.fixture(scope="module")
def pages_db(hiring_built: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    url, _ = hiring_built
    return copy_world_database(url, tmp_path_factory.mktemp("audit_pages") / "pages.db",
                               empty=("audit_log", "ad_reviews", "ad_rule_versions"))


@pytest.fixture
def audit_env(monkeypatch: pytest.MonkeyPatch, pages_db: Path, hiring_built: tuple[str, Path], users_file: Path,
              tmp_path: Path) -> Iterator[str]:
    """Settings pointed at a fresh copy of the module's database (its own spool beside it)."""
    db = tmp_path / "audit.db"
    shutil.copyfile(pages_db, db)
    yield point_settings_at(monkeypatch, db, hiring_built[1], users_file)
    get_settings.cache_clear()


def _user(role: str, username: str, employer_id: int | None = None, seeker_id: int | None = None) -> dict[str, Any]:
    return {**user_dict(role, employer_id, seeker_id), "username": username}


def _run(page: str, user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _actions(url: str, username: str) -> set[str]:
    return {r[0] for r in db_rows(url, "select action from audit_log where username=:u", u=username)}


# --------------------------------------------------------------------------- every page logs what it shows


def _ad_check(at: AppTest) -> None:
    at.text_input(key="ad_check.title").set_value("상하차 직원 모집")
    at.text_area(key="ad_check.body").set_value("물류센터 상하차 업무입니다.\n남자만 지원 가능합니다.")
    next(b for b in at.button if b.label == "점검하기").click().run()


def _ad_rules(at: AppTest) -> None:
    at.text_input(key="ad_rules.test.title").set_value("사무 보조")
    at.text_area(key="ad_rules.test.body").set_value("남자만 지원 가능")
    at.button(key="ad_rules.test.run").click().run()


def _posting_assistant(at: AppTest) -> None:
    from tests.ui.test_posting_assistant_page import ANSWERS, _choose

    for _, text in ANSWERS:
        at.chat_input[0].set_value(text).run()
    _choose(at)  # below the confidence floor the employer picks the occupation first
    at.button(key="posting_assistant.generate").click().run()


def _interest_test(at: AppTest) -> None:
    """The seeker finishes a test (through the service, as fast as a test can), then sees the result."""
    from app.config import get_settings
    from app.db.engine import make_engine
    from app.services import interest
    from tests.ui.test_interest_pages import _finish

    settings = get_settings()
    engine = make_engine(settings.db_url)
    models = (interest.load_interest_test(settings.models_dir), interest.load_occupation_fit(settings.models_dir))
    _finish(engine, models, int(at.session_state["auth.user"]["seeker_id"]))
    engine.dispose()
    at.run()


def _training_recommended(at: AppTest) -> None:
    """A counsellor has seen recommendations (the policy view has something to aggregate), then the page again."""
    _run("../../pages/training.py", _user("counsellor", "every-training-first"))
    at.run()


MODEL_PAGES: dict[str, tuple[str, set[str], Callable[[AppTest], None] | None]] = {
    # page id: (role, actions it must record, what the user does first)
    "hiring": ("employer", {"hiring.predict", "hiring.similar"}, None),
    "hiring_policy": ("policy", {"hiring.policy"}, None),
    "employment_caseload": ("counsellor", {"employment.caseload"}, None),
    "employment_profile": ("counsellor", {"employment.profile"}, None),
    "employment_policy": ("policy", {"employment.policy"}, None),
    "ad_review": ("policy", {"verify.review_queue", "verify.review_detail"}, None),
    "ad_rules": ("policy", {"verify.rule_test"}, _ad_rules),
    "ad_check": ("employer", {"verify.draft"}, _ad_check),
    "posting_assistant": ("employer", {"posting_assistant.classify", "posting_assistant.generate",
                                       "posting_assistant.verify", "posting_assistant.hiring_preview"},
                          _posting_assistant),
    "talent": ("employer", {"talent.search"}, None),
    "seeker_jobs": ("seeker", {"talent.jobs"}, None),
    "interest_test": ("seeker", {"interest.result"}, _interest_test),
    "interest_policy": ("policy", {"interest.policy"}, None),
    "training": ("counsellor", {"employment.caseload", "training.recommend"}, None),
    "seeker_training": ("seeker", {"training.recommend"}, None),
    "training_policy": ("policy", {"training.policy"}, _training_recommended),
    "topics": ("policy", {"topics.view"}, None),
    # 상담 지원 opens on the diagnosis; the seeker's page on their cover-letter feedback
    "copilot": ("counsellor", {"copilot.diagnosis"}, None),
    "seeker_copilot": ("seeker", {"copilot.cover_letter"}, None),
    # 성과·모델 모니터링: aggregates of every model's scores; the view is recorded before they are drawn
    "monitoring": ("policy", {"monitoring.view"}, None),
}
NO_MODEL_OUTPUT = {"home", "explorer", "audit_log", "transparency", "seeker_requests", "seeker_privacy", "talent_requests",
                   "service_bottlenecks", "certificate_value"}
"""Pages that show no model output (world figures, data, the audit log itself, the model cards, contact
requests and the seekers' choices; the certificate analysis is a computed aggregate of observed outcomes,
not a prediction about anyone, and shows how it is computed instead)."""


def test_every_page_is_classified() -> None:
    assert {p.page_id for p in PAGES} == set(MODEL_PAGES) | NO_MODEL_OUTPUT


@pytest.mark.parametrize("page_id", sorted(MODEL_PAGES))
def test_every_page_showing_model_output_writes_its_audit_rows(audit_env: str, employer_ids: dict[str, int],
                                                               seeker_ids: dict[str, int], page_id: str) -> None:
    role, actions, interact = MODEL_PAGES[page_id]
    username = f"every-{page_id}"[:40]
    path = next(p.path for p in PAGES if p.page_id == page_id)
    at = _run(f"../../{path}", _user(role, username, employer_ids["employer1"] if role == "employer" else None,
                                     seeker_ids["seeker1"] if role == "seeker" else None))
    if interact is not None:
        interact(at)
        assert not at.exception, [e.value for e in at.exception]
    assert actions <= _actions(audit_env, username)


def test_the_review_queue_records_what_the_reviewer_saw(audit_env: str) -> None:
    at = _run("../../pages/ad_review.py", _user("policy", "queue-seen"))
    listed = next(d.value for d in at.dataframe if "위험 점수" in d.value.columns)
    (raw,) = db_rows(audit_env, "select output from audit_log where username='queue-seen' and action='verify.review_queue'")
    output = json.loads(raw[0]) if isinstance(raw[0], str) else raw[0]
    assert output["posting_ids"] == [int(i) for i in listed["공고 번호"]]
    assert output["scores"] == pytest.approx([float(s) for s in listed["위험 점수"]])
    assert output["n_queue"] == len(listed)


# --------------------------------------------------------------------------- fail closed


class _WriteLock:
    """Another connection holding the database's write lock, as a long import does."""

    def __init__(self, url: str) -> None:
        self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)

    def __enter__(self) -> _WriteLock:
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _spool(url: str) -> Path:
    engine = make_engine(url)
    try:
        return audit.spool_path(engine)
    finally:
        engine.dispose()


def test_a_locked_database_spools_the_record_and_the_output_is_shown(audit_env: str, employer_ids: dict[str, int]) -> None:
    with _WriteLock(audit_env):
        at = _run(SIMULATOR, _user("employer", "locked-spool", employer_ids["employer1"]))
        assert [m.label for m in at.metric][:1] == ["채용확률(30일 내)"]
        assert db_scalar(audit_env, "select count(*) from audit_log where username='locked-spool'") == 0
    spooled = _spool(audit_env).read_text(encoding="utf-8")
    assert '"locked-spool"' in spooled and '"hiring.predict"' in spooled
    # the lock gone, the next record carries the spooled ones into the table
    _run(SIMULATOR, _user("employer", "after-lock", employer_ids["employer1"]))
    assert {"hiring.predict", "hiring.similar"} <= _actions(audit_env, "locked-spool")
    assert not _spool(audit_env).exists()


def test_no_durable_record_means_no_ai_output(audit_env: str, employer_ids: dict[str, int]) -> None:
    _spool(audit_env).mkdir()  # the spool cannot be written either
    with _WriteLock(audit_env):
        at = _run(SIMULATOR, _user("employer", "locked-closed", employer_ids["employer1"]))
    assert not at.metric and not at.get("plotly_chart")
    assert "감사 로그를 기록할 수 없어 AI 결과를 표시하지 않습니다" in texts(at)
    assert not any("유사 공고" in str(d.value.columns) for d in at.dataframe)
    assert db_scalar(audit_env, "select count(*) from audit_log where username='locked-closed'") == 0


# --------------------------------------------------------------------------- the audit export


@pytest.mark.parametrize(("role", "label"), [("employer", "구인기업"), ("counsellor", "직업상담사")])
def test_only_policy_staff_open_the_audit_export(audit_env: str, employer_ids: dict[str, int], role: str,
                                                 label: str) -> None:
    at = _run(EXPORT, _user(role, f"export-{role}", employer_ids["employer1"] if role == "employer" else None))
    assert [e.value for e in at.error] == [f"이 화면은 정책·운영 전용입니다. 현재 역할: {label}"]
    assert not at.title and not at.dataframe and not at.download_button


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MemoryMediaFileStorage]]:
    """The in-memory media stores AppTest creates (one per run), to read a download button's bytes."""
    import streamlit.testing.v1.app_test as app_test_module

    stores: list[MemoryMediaFileStorage] = []

    class RecordingStorage(MemoryMediaFileStorage):
        def __init__(self, media_endpoint: str) -> None:
            super().__init__(media_endpoint)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    yield stores


def _download(at: AppTest, stores: list[MemoryMediaFileStorage], key: str) -> pd.DataFrame:
    (button,) = [b for b in at.download_button if b.key == key]
    data = stores[-1].get_file(button.proto.url.rsplit("/", 1)[-1]).content
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_policy_staff_filter_and_export_the_audit_log(audit_env: str, media: list[MemoryMediaFileStorage]) -> None:
    engine = make_engine(audit_env)
    for username, role, action, model in (("=cmd|' /C calc'!A0", "employer", "hiring.predict", "hiring"),
                                          ("kim-c", "counsellor", "employment.profile", "employment")):
        audit.log_model_output(engine, username=username, role=role, action=action, model_name=model,
                               model_version="1.0", input_hash="b" * 64, output={"probability": 0.25})
    engine.dispose()
    at = _run(EXPORT, _user("policy", "export-policy"))
    assert [t.value for t in at.title] == ["AI 감사 로그"]
    table = next(d.value for d in at.dataframe if "입력 해시(SHA-256)" in d.value.columns)
    assert list(table.columns) == list(audit.AUDIT_EXPORT_COLUMNS)
    assert {"=cmd|' /C calc'!A0", "kim-c"} <= set(table["사용자"])
    exported = _download(at, media, "audit_log.outputs.csv")
    assert list(exported.columns) == list(audit.AUDIT_EXPORT_COLUMNS)
    assert "'=cmd|' /C calc'!A0" in set(exported["사용자"])  # formula neutralised
    # filter by role: only the counsellor's row
    at.multiselect(key="audit_log.filter.roles").select("counsellor").run()
    table = next(d.value for d in at.dataframe if "입력 해시(SHA-256)" in d.value.columns)
    assert set(table["사용자"]) == {"kim-c"} and set(table["동작"]) == {"구직자 프로파일 조회"}
    assert set(table["모델"]) == {"취업성공 예측모델"}  # Korean names, not codes
    # a day range before anything was logged: nothing
    at.date_input(key="audit_log.filter.period").set_value((dt.date(2020, 1, 1), dt.date(2020, 1, 2))).run()
    table = next(d.value for d in at.dataframe if "입력 해시(SHA-256)" in d.value.columns)
    assert table.empty


def test_command_runs_have_their_own_tab(audit_env: str, tmp_path: Path) -> None:
    from app.cli.verify import main_verify

    source = tmp_path / "ads.csv"
    source.write_text("id,title,body,wage_type,wage,hours_per_week\nA-1,사무 보조,문서 정리,monthly,2500000,40\n",
                      encoding="utf-8")
    assert main_verify(["--input", str(source), "--output", str(tmp_path / "out.csv"), "--rules-only"]) == 0
    at = _run(EXPORT, _user("policy", "export-runs"))
    runs = next(d.value for d in at.dataframe if "입력 파일 SHA-256" in d.value.columns)
    assert list(runs.columns) == list(audit.COMMAND_RUN_COLUMNS)
    (row,) = runs.to_dict("records")
    assert row["명령"] == "verify" and row["종료 코드"] == 0 and (row["읽은 행"], row["출력 행"]) == (1, 1)
    outputs = next(d.value for d in at.dataframe if "입력 해시(SHA-256)" in d.value.columns)
    assert not any(str(a).startswith(("cli.", "명령줄")) for a in outputs["동작"])


# --------------------------------------------------------------------------- looking at the log is logged


def _rows_of(url: str, username: str, action: str) -> list[dict[str, Any]]:
    found = db_rows(url, "select output, model_name, role from audit_log where username=:u and action=:a order by id",
                    u=username, a=action)
    return [{**(json.loads(o) if isinstance(o, str) else o), "_model": m, "_role": r} for o, m, r in found]


def test_opening_filtering_and_downloading_the_audit_log_are_recorded(
    audit_env: str, media: list[MemoryMediaFileStorage]
) -> None:
    at = _run(EXPORT, _user("policy", "auditor-1"))
    (view,) = _rows_of(audit_env, "auditor-1", "audit.view")
    assert view["_model"] == "-" and view["_role"] == "policy"
    assert view["roles"] == [] and view["rows_outputs"] == 0 and view["last_day"] >= view["first_day"]
    at.run()  # the same filter again: no second row
    assert len(_rows_of(audit_env, "auditor-1", "audit.view")) == 1
    at.multiselect(key="audit_log.filter.roles").select("policy").run()
    views = _rows_of(audit_env, "auditor-1", "audit.view")
    assert len(views) == 2 and views[-1]["roles"] == ["policy"] and views[-1]["rows_outputs"] == 1  # its own view
    assert not _rows_of(audit_env, "auditor-1", "audit.export")
    next(b for b in at.download_button if b.key == "audit_log.outputs.csv").click().run()
    assert not at.exception
    (export,) = _rows_of(audit_env, "auditor-1", "audit.export")
    assert export["table"] == "outputs" and export["rows"] == 1 and export["roles"] == ["policy"]
    assert export["file_name"].startswith("AI출력_감사로그_")


def test_no_view_record_means_no_audit_tables(audit_env: str) -> None:
    _spool(audit_env).mkdir()  # neither the table (write-locked) nor the spool takes the record
    with _WriteLock(audit_env):
        at = _run(EXPORT, _user("policy", "auditor-closed"))
    assert "열람 기록을 남기지 못해 감사 로그를 표시하지 않습니다" in texts(at)
    assert not at.dataframe and not at.download_button


def test_a_saved_review_whose_record_fails_says_so_after_the_rerun(audit_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run("../../pages/ad_review.py", _user("policy", "review-unlogged"))
    (detail,) = [s.value for s in at.subheader]
    posting_id = int(detail.removeprefix("공고 #").split(" ")[0])
    real = audit.log_model_output

    def review_unrecorded(engine: Any, **row: Any) -> audit.Durability:
        if row["action"] == "verify.review":
            raise audit.AuditUnavailable()
        return real(engine, **row)

    monkeypatch.setattr(audit, "log_model_output", review_unrecorded)
    at.radio(key=next(r.key for r in at.radio)).set_value("approve")  # the form's keys carry the posting id
    at.text_area(key=next(t.key for t in at.text_area)).set_value("문구 확인, 문제 없음")  # an overrule needs a reason
    next(b for b in at.button if b.label == "검토 결과 저장").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [f"공고 #{posting_id}을(를) 승인(게재) 처리했습니다."]
    assert f"공고 #{posting_id}의 검토 결과는 저장했지만 감사 로그에 기록하지 못했습니다. 관리자에게 알려 주세요." in [
        e.value for e in at.error]
    assert db_scalar(audit_env, "select count(*) from ad_reviews where posting_id=:p", p=posting_id) == 1
    assert not _actions(audit_env, "review-unlogged") & {"verify.review"}
    at.run()  # shown once
    assert not any("감사 로그에 기록하지 못했습니다" in e.value for e in at.error)
