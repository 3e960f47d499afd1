"""Several app processes on one database: a posting changed through one is read by the others.

The cached posting tables of ``components.resources`` carry ``app.services.overview.postings_stamp``
in their key. These tests write through a *second engine* — what another app process does — without
clearing anything in this one, and check that the next read here sees the write (issue 20 §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine, text

from app.config import get_settings
from app.db.engine import make_engine
from app.services import hiring, overview
from components import resources
from tests.conftest import copy_world_database

_DRAFT = {
    "title": "물류센터 입출고 관리 사원 모집",
    "body": "담당 업무: 물류센터 입고·출고 물품 검수와 재고 전산 입력. 정규직, 주 40시간.",
    "wage_type": "monthly",
    "wage_amount": 2_600_000,
    "weekly_hours": 40.0,
    "contact": "02-123-4567",
    "employment_type": "정규직",
    "score": 0.4,
    "rule_ids": "",
}


@pytest.fixture
def shared_world(tmp_path: Path, world_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the small world the settings point at; Streamlit caches cleared around it."""
    url = f"sqlite:///{copy_world_database(world_url, tmp_path / 'shared.db')}"
    monkeypatch.setenv("GOYONG_DB_URL", url)
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    resources.forget_postings_stamp()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()
    resources.forget_postings_stamp()
    get_settings.cache_clear()


def _save_draft(engine: Engine, employer_id: int, *, decision: str) -> int:
    posting = hiring.load_employer_postings(engine, employer_id).iloc[0]
    return hiring.save_checked_posting(
        engine, employer_id=employer_id, username="employer1", keco_code=str(posting["keco_code"]),
        region_code=str(posting["region_code"]), decision=decision, today=dt.date(2025, 3, 2), **_DRAFT,
    )


def test_the_postings_stamp_moves_with_every_change_users_make(shared_world: str) -> None:
    engine = make_engine(shared_world)
    try:
        employer = int(hiring.load_employer_postings(engine, None)["employer_id"].iloc[0])
        start = overview.postings_stamp(engine)
        assert start == overview.postings_stamp(engine)  # reading changes nothing
        newest_posting, newest_version, pending = (int(part) for part in start.split(":"))

        published = _save_draft(engine, employer, decision="pass")
        after_save = overview.postings_stamp(engine)
        assert published > newest_posting
        assert after_save.split(":")[0] == str(published)
        assert int(after_save.split(":")[1]) > newest_version

        waiting = _save_draft(engine, employer, decision="review")
        with engine.begin() as conn:  # its version waits for review, as a flagged what-if's does
            conn.execute(text("update posting_versions set status = 'pending' where posting_id = :p"), {"p": waiting})
        after_review = overview.postings_stamp(engine)
        assert after_review.split(":")[0] == str(waiting)
        assert int(after_review.split(":")[2]) == pending + 1

        version = int(hiring.pending_versions(engine, [waiting])["id"].iloc[0])
        hiring.decide_pending_version(engine, version_id=version, reviewer_role="policy", approve=True)
        decided = overview.postings_stamp(engine)
        assert decided != after_review  # no new row: the pending count fell back
        assert int(decided.split(":")[2]) == pending
    finally:
        engine.dispose()


def test_the_stamp_of_a_database_without_a_world_is_empty(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert overview.postings_stamp(engine) == ""
    finally:
        engine.dispose()


def test_a_posting_saved_by_another_process_is_in_this_ones_cached_tables(
    shared_world: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "_STAMP_SECONDS", 0.0)  # no shared second: every read asks the database
    before = resources.hiring_postings(None)
    titles_before = resources.stored_ad_titles()
    overview_before = resources.world_overview()
    employer = int(before["employer_id"].iloc[0])
    assert resources.hiring_postings(None) is not None  # a cached read (same key) ...

    other_process = make_engine(shared_world)  # ... then a write that never touches this process's caches
    try:
        saved = _save_draft(other_process, employer, decision="pass")
    finally:
        other_process.dispose()

    after = resources.hiring_postings(None)
    assert saved not in set(before["id"].astype(int))
    assert saved in set(after["id"].astype(int))
    assert saved in set(resources.hiring_postings(employer)["id"].astype(int))
    assert saved in set(resources.stored_ad_titles()["posting_id"].astype(int))
    assert len(resources.stored_ad_titles()) == len(titles_before) + 1
    assert resources.world_overview().n_postings == overview_before.n_postings + 1


def test_within_the_shared_second_the_stamp_is_read_once(shared_world: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = overview.postings_stamp

    def counting(engine: Engine) -> str:
        calls.append("read")
        return real(engine)

    monkeypatch.setattr(overview, "postings_stamp", counting)
    monkeypatch.setattr(resources, "_STAMP_SECONDS", 3600.0)
    first = resources.postings_stamp()
    assert resources.postings_stamp() == first
    assert len(calls) == 1
    resources.forget_postings_stamp()  # what this process does after it changed a posting itself
    resources.postings_stamp()
    assert len(calls) == 2


def test_a_finished_build_is_read_from_the_manifest_at_once(shared_world: str, tmp_path: Path) -> None:
    models = Path(get_settings().models_dir)
    assert resources.manifest() is None
    models.mkdir(parents=True, exist_ok=True)
    written = models / "manifest.json.tmp"
    written.write_text('{"created_at": "2026-12-07T00:00:00", "models": {}}', encoding="utf-8")
    written.replace(models / "manifest.json")  # how the build publishes it: a rename
    assert (resources.manifest() or {}).get("created_at") == "2026-12-07T00:00:00"
