"""Two app processes on one PostgreSQL database: what a user writes through one is seen through the other.

Issue 20 §4: more users means more app processes (replicas) sharing one database, so nothing a user
writes may live in one process's memory and no cache may hide another process's write. Three writes,
each made in Chromium through process 1 and then looked for in Chromium through process 2 — whose
caches were filled *before* the write (its page was open first):

1. 채용 시뮬레이터: an employer saves a scenario → the same employer on process 2 finds it;
2. 취업 위험도 기준: policy staff apply new risk bands → process 2 shows them as the bands in force;
3. 구인광고 검증 대기열: policy staff reject a flagged ad → process 2 counts one more review.

Runs when ``GOYONG_TEST_PG_URL`` names a PostgreSQL database (``.ci/run`` sets it). The whole suite
shares that database, so this module works in a schema of its own (``search_path`` in the URL the app
processes get), made and dropped here: the other PostgreSQL tests' tables in ``public`` are neither
read nor touched, and their leftovers do not reach this one. The world there is the session's small
world (same generator and seed, so the session's built models fit it: nothing is retrained).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, text

from app.db.engine import make_engine
from tests.e2e import test_journeys
from tests.e2e.browser import chromium_available, streamlit_server, wait_idle
from tests.e2e.test_journeys import _act, _assert_no_exception, _login_at, _metric_value, _postings_of, _selected

pytestmark = pytest.mark.e2e

PG_URL = os.environ.get("GOYONG_TEST_PG_URL")

if not PG_URL:
    pytest.skip("GOYONG_TEST_PG_URL is not set (no PostgreSQL server for this run)", allow_module_level=True)
if not chromium_available():
    pytest.skip("Debian chromium (/usr/bin/chromium) is not installed", allow_module_level=True)


def _in_schema(url: str, schema: str) -> str:
    """``url`` whose connections read and write unqualified tables in ``schema`` (libpq ``options``)."""
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pg_world(tmp_path_factory: pytest.TempPathFactory, hiring_built: tuple[str, Path]) -> Iterator[tuple[str, Path]]:
    """(database URL, models dir): the small world in a fresh schema of the test database, its models
    copied from the session's build; the schema is dropped afterwards."""
    from app.build import run_build

    assert PG_URL is not None
    schema = f"goyong_many_users_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))  # a generated name, not user input
    url = _in_schema(PG_URL, schema)
    _, built = hiring_built
    models = tmp_path_factory.mktemp("many_users") / "models"
    shutil.copytree(built, models)
    engine = make_engine(url)
    try:
        # the world is generated (missing here); every artifact is current for it and is not rebuilt
        run_build(engine, models, size="small", seed=7)
        yield url, models
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, pg_world: tuple[str, Path], users_file: Path) -> Iterator[tuple[str, str]]:
    """Two ``streamlit run`` processes on the one database (and one accounts file, as replicas share)."""
    url, models = pg_world
    env = {"GOYONG_DB_URL": url, "GOYONG_USERS_FILE": str(users_file), "GOYONG_MODELS_DIR": str(models)}
    logs = tmp_path_factory.mktemp("many_users_servers")
    with streamlit_server(env, logs / "one.log") as one, streamlit_server(env, logs / "two.log") as two:
        yield one, two


browser = test_journeys.browser  # the journeys' fixtures: one chromium for the module, fresh pages per test
open_page = test_journeys.open_page


def _reload(page: Any) -> None:
    """Reload the tab (a new Streamlit session in the same process, logged back in by the cookie)."""
    page.reload()
    # a new document: its own clock starts at 0 and every script run of it counts
    wait_idle(page, since_ms=0, settle_s=0.8, timeout_s=90)
    _assert_no_exception(page)


# --------------------------------------------------------------------------- 1. a saved scenario


def test_a_scenario_saved_through_one_process_is_listed_by_the_other(
    servers: tuple[str, str], open_page: Any, pg_world: tuple[str, Path], employer_ids: dict[str, int]
) -> None:
    one, two = servers
    url, _ = pg_world
    posting = _postings_of(url, employer_ids["employer1"])[0]
    name = f"두 서버 확인안 {uuid.uuid4().hex[:6]}"
    reader = open_page()
    _login_at(reader, two, f"hiring?posting={posting}", "employer1", "hiring")  # process 2 reads first
    assert name not in reader.locator("body").inner_text()

    writer = open_page()
    _login_at(writer, one, f"hiring?posting={posting}", "employer1", "hiring")
    writer.get_by_role("textbox", name="시나리오 이름").fill(name)
    _act(writer, writer.get_by_role("button", name="현재 조건 저장").click)
    writer.get_by_text(f"시나리오 ‘{name}’을(를) 저장했습니다.").wait_for()
    _assert_no_exception(writer)

    _reload(reader)
    assert name in _selected(reader, "삭제할 시나리오")  # newest first: the one just saved on process 1


# --------------------------------------------------------------------------- 2. risk bands


def test_risk_bands_applied_through_one_process_are_in_force_on_the_other(
    servers: tuple[str, str], open_page: Any
) -> None:
    one, two = servers
    reader = open_page()
    _login_at(reader, two, "employment-policy", "policy1", "employment_policy")
    before = reader.get_by_text("현재 기준:").first.inner_text()

    writer = open_page()
    _login_at(writer, one, "employment-policy", "policy1", "employment_policy")
    high = writer.get_by_role("slider").first
    high.focus()
    _act(writer, lambda: high.press("ArrowRight"))
    writer.get_by_role("textbox", name="변경 사유(메모)").fill("두 서버에서 같은 기준이 보이는지 확인")
    _act(writer, writer.get_by_role("button", name="이 기준 적용").click)
    notice = writer.get_by_text("새 위험도 기준을 적용했습니다").first
    notice.wait_for()
    applied = notice.inner_text().split(": ", 1)[1].strip()
    _assert_no_exception(writer)

    _reload(reader)
    after = reader.get_by_text("현재 기준:").first.inner_text()
    assert after != before
    assert f"현재 기준: {applied}" in after
    assert "설정: policy1" in after


# --------------------------------------------------------------------------- 3. a review decision


def test_a_review_decided_through_one_process_is_counted_by_the_other(servers: tuple[str, str], open_page: Any) -> None:
    one, two = servers
    reader = open_page()
    _login_at(reader, two, "ad-review", "policy1", "ad_review")
    reviewed = int(_metric_value(reader, "검토 완료").removesuffix("건").replace(",", ""))

    writer = open_page()
    _login_at(writer, one, "ad-review", "policy1", "ad_review")
    heading = writer.get_by_role("heading", name="상세").filter(has_text="공고 #").first
    posting = int(heading.inner_text().split("#")[1].split()[0])
    _act(writer, lambda: writer.get_by_text("반려(보류)", exact=True).click())
    writer.get_by_role("textbox", name="사유 (5자 이상", exact=False).fill("두 서버 확인용 반려: 성별 제한 문구")
    _act(writer, writer.get_by_role("button", name="검토 결과 저장").click)
    writer.get_by_text(f"공고 #{posting}을(를) 반려(보류) 처리했습니다.").wait_for()
    _assert_no_exception(writer)

    _reload(reader)
    assert int(_metric_value(reader, "검토 완료").removesuffix("건").replace(",", "")) == reviewed + 1
