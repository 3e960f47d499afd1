"""The audit log fails closed: a record is durable (table or local spool) before an output counts as
shown; a write-locked database costs a short, configured wait and spools the row instead of
dropping it; the spool is flushed once, whole and only once; filters, KST day ranges and the
export tables; command-run records and the check that a command has a database to record in."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event

from app.db.engine import make_engine
from app.db.repositories import audit as audit_repo
from app.db.repositories.world import ensure_schema
from app.exports import csv_bytes
from app.services import audit

HASH = "a" * 64


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty product database file (WAL, as the app opens it)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    ensure_schema(eng)
    yield eng
    eng.dispose()


def _log(engine: Engine, username: str = "kim", **overrides: object) -> str:
    values: dict[str, object] = dict(username=username, role="employer", action="hiring.predict", model_name="hiring",
                                     model_version="1.0", input_hash=HASH, output={"probability": 0.5})
    values.update(overrides)
    return audit.log_model_output(engine, **values)  # type: ignore[arg-type]


def _count(engine: Engine) -> int:
    return len(audit.load_audit_log(engine, 10_000))


class _WriteLock:
    """Another connection holding SQLite's write lock (``BEGIN IMMEDIATE``), as a long import does."""

    def __init__(self, engine: Engine) -> None:
        self.conn = sqlite3.connect(engine.url.database, isolation_level=None, timeout=0)

    def __enter__(self) -> _WriteLock:
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def test_a_row_is_written_to_the_table_with_its_figures(engine: Engine) -> None:
    assert _log(engine) == "database"
    (row,) = audit.load_audit_log(engine).to_dict("records")
    assert (row["username"], row["role"], row["action"], row["input_hash"]) == ("kim", "employer", "hiring.predict", HASH)
    assert row["output"] == {"probability": 0.5}
    assert audit.spool_path(engine) is not None and not audit.spool_path(engine).exists()


def test_a_write_locked_database_spools_the_row_after_a_short_configured_wait(engine: Engine) -> None:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: statements.append(sql))
    with _WriteLock(engine):
        assert _log(engine, "lee") == "spool"
    # the write waited the audit's short lock wait, not SQLite's 5 s, and the normal wait came back
    assert audit.AUDIT_LOCK_WAIT_MS == audit_repo.AUDIT_LOCK_WAIT_MS == 250
    waits = [s for s in statements if s.startswith("PRAGMA busy_timeout =")]
    assert waits == ["PRAGMA busy_timeout = 250", "PRAGMA busy_timeout = 5000"]
    insert_at = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_log"))
    assert statements.index("PRAGMA busy_timeout = 250") < insert_at < statements.index("PRAGMA busy_timeout = 5000")
    # nothing in the table, the row durable in the spool beside the database
    assert _count(engine) == 0
    spool = audit.spool_path(engine)
    assert spool == Path(engine.url.database + ".audit-spool.jsonl")
    (line,) = spool.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["username"] == "lee" and audit.pending_spool_rows(engine) == 1
    # the next successful write flushes it: both rows in the table, in their own times, spool gone
    assert _log(engine, "park") == "database"
    frame = audit.load_audit_log(engine)
    assert sorted(frame["username"]) == ["lee", "park"] and not spool.exists()
    assert frame.set_index("username").loc["lee", "at"] < frame.set_index("username").loc["park", "at"]


def test_no_spool_no_table_means_no_output(engine: Engine, tmp_path: Path) -> None:
    spool = audit.spool_path(engine)
    spool.mkdir()  # the spool cannot be written either
    with _WriteLock(engine), pytest.raises(audit.AuditUnavailable) as caught:
        _log(engine)
    assert "표시하지 않습니다" in caught.value.user_message and _count(engine) == 0


def test_a_database_without_a_spool_fails_closed() -> None:
    memory = create_engine("sqlite://")
    assert audit.spool_path(memory) is None  # and nothing to write to: no table
    with pytest.raises(audit.AuditUnavailable):
        _log(memory)
    assert audit.spool_path(create_engine("postgresql+psycopg://u@h/db")) is None


def test_flushing_is_whole_and_never_adds_a_row_twice(engine: Engine) -> None:
    with _WriteLock(engine):
        _log(engine, "a")
        _log(engine, "b")
    spool = audit.spool_path(engine)
    copy = spool.read_text(encoding="utf-8")
    assert audit.flush_spool(engine) == 2 and _count(engine) == 2
    # a crash after the commit but before the file went away: the same rows again add nothing,
    # and a torn last line is kept aside instead of being lost or breaking the flush
    spool.write_text(copy + '{"username": "torn', encoding="utf-8")
    assert audit.flush_spool(engine) == 0 and _count(engine) == 2
    assert Path(str(spool) + ".rejected").read_text(encoding="utf-8") == '{"username": "torn\n'
    assert audit.flush_spool(engine) == 0 and not spool.exists()


def test_a_flush_while_still_locked_keeps_the_spool(engine: Engine) -> None:
    with _WriteLock(engine):
        _log(engine)
        assert audit.flush_spool_if_possible(engine) is None
    assert audit.pending_spool_rows(engine) == 1
    assert audit.flush_spool_if_possible(engine) == 1 and audit.pending_spool_rows(engine) == 0


def test_personal_data_and_bad_fields_are_refused_before_anything_is_written(engine: Engine) -> None:
    with pytest.raises(ValueError, match="개인정보"):
        _log(engine, output={"phone": "010-1234-5678"})
    with pytest.raises(ValueError, match="SHA-256"):
        _log(engine, input_hash="not-a-hash")
    assert _count(engine) == 0 and audit.pending_spool_rows(engine) == 0


def test_filters_and_kst_days(engine: Engine) -> None:
    rows = [
        ("kim", "employer", "hiring.predict", "hiring", dt.datetime(2026, 3, 1, 14, 59)),   # 3-1 23:59 KST
        ("kim", "employer", "hiring.whatif", "hiring", dt.datetime(2026, 3, 1, 15, 0)),     # 3-2 00:00 KST
        ("lee", "counsellor", "employment.profile", "employment", dt.datetime(2026, 3, 2, 3, 0)),
        ("ops", "cli", "cli.hiring_score", "hiring", dt.datetime(2026, 3, 2, 4, 0)),
    ]
    for username, role, action, model, at in rows:
        audit_repo.add_audit_row(engine, dict(at=at, username=username, role=role, action=action, model_name=model,
                                              model_version="1.0", input_hash=HASH, output={}))
    since, until = audit.kst_day_range(dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert (since, until) == (dt.datetime(2026, 3, 1, 15, 0), dt.datetime(2026, 3, 2, 15, 0))

    def actions(**filters: object) -> list[str]:
        return sorted(audit.load_audit_log(engine, 100, **filters)["action"])

    assert actions(since=since, until=until) == ["cli.hiring_score", "employment.profile", "hiring.whatif"]
    assert actions(since=since, until=until, command_runs=False) == ["employment.profile", "hiring.whatif"]
    assert actions(command_runs=True) == ["cli.hiring_score"]
    assert actions(usernames=["kim"]) == ["hiring.predict", "hiring.whatif"]
    assert actions(roles=["counsellor"], model_names=["employment"]) == ["employment.profile"]
    assert actions(actions=["hiring.predict"], usernames=["lee"]) == []
    assert audit.audit_filter_values(engine)["role"] == ["cli", "counsellor", "employer"]
    with pytest.raises(ValueError):
        audit.kst_day_range(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def test_export_tables_are_formula_neutral_and_in_kst(engine: Engine) -> None:
    audit_repo.add_audit_row(engine, dict(at=dt.datetime(2026, 3, 1, 15, 30), username="=HYPERLINK(1)", role="policy",
                                          action="hiring.policy", model_name="hiring", model_version="1.0",
                                          input_hash=HASH, output={"n_postings": 3}))
    table = audit.audit_table(audit.load_audit_log(engine))
    assert list(table.columns) == list(audit.AUDIT_EXPORT_COLUMNS)
    assert table.iloc[0]["시각(KST)"] == "2026-03-02 00:30" and table.iloc[0]["역할"] == "정책·운영"
    assert table.iloc[0]["입력 해시(SHA-256)"] == HASH and json.loads(table.iloc[0]["출력"]) == {"n_postings": 3}
    text = csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_a_command_run_record_has_counts_versions_and_hash_but_no_personal_data(engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,title\n1,x\n")
    started = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    run = audit.CommandRun(command="hiring score", started=started, finished=started + dt.timedelta(seconds=3),
                           input_sha256=audit.file_sha256(source), rows_in=1, rows_out=1, errors=0, exit_code=0,
                           models={"hiring": "1.0"}, output_path=str(tmp_path / "out.csv"))
    assert audit.record_command_run(engine, run) == "database"
    (row,) = audit.load_audit_log(engine, command_runs=True).to_dict("records")
    import hashlib

    assert row["input_hash"] == hashlib.sha256(b"id,title\n1,x\n").hexdigest()
    assert (row["role"], row["action"], row["model_name"], row["model_version"]) == ("cli", "cli.hiring_score", "hiring", "1.0")
    assert row["output"]["started_at"] == "2026-03-02T00:00:00+09:00"
    assert row["output"]["finished_at"] == "2026-03-02T00:00:03+09:00"
    (shown,) = audit.command_runs_table(audit.load_audit_log(engine, command_runs=True)).to_dict("records")
    assert shown["명령"] == "hiring score" and shown["모델"] == "hiring 1.0" and shown["종료 코드"] == 0
    assert (shown["읽은 행"], shown["출력 행"], shown["오류"]) == (1, 1, 0)
    assert audit.file_sha256(tmp_path / "missing.csv") is None


def test_a_command_needs_an_existing_database_to_record_in(tmp_path: Path) -> None:
    missing = make_engine(f"sqlite:///{tmp_path / 'nowhere.db'}")
    with pytest.raises(audit.AuditUnavailable, match="데이터베이스가 없어"):
        audit.prepare_command_audit(missing)
    assert not (tmp_path / "nowhere.db").exists()
    # a database that predates the audit table gets it
    old = tmp_path / "old.db"
    sqlite3.connect(old).close()
    engine = make_engine(f"sqlite:///{old}")
    audit.prepare_command_audit(engine)
    assert audit.load_audit_log(engine).empty
    engine.dispose()
