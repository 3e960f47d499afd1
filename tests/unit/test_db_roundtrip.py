"""Rows written through the ORM come back equal from a real database file (and from PostgreSQL).

Covers the types the product relies on: dates and datetimes, booleans, nullable columns, large
integers (KRW), floats, Korean text with newlines, and JSON in ``audit_log``. The data is read
back through a *new* engine, so nothing can come from the first session's identity map.

The PostgreSQL case runs only when ``GOYONG_TEST_PG_URL`` is set (e.g.
``postgresql+psycopg://user:pw@localhost/goyong_test``); it works in a throw-away schema that is
dropped afterwards, so it never touches existing tables.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Update, func, inspect, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.schema import CreateIndex

from app.db.engine import make_engine
from app.db.orm import (
    LOOKUP_INDEXES,
    OPEN_REQUEST_INDEX,
    OPEN_REQUEST_STATUSES,
    AggregateSnapshot,
    AuditLog,
    ConsultingCase,
    ConsultingNote,
    ContactRequest,
    CounsellorNote,
    Employer,
    Posting,
    PostingOutcome,
    PostingVersion,
    Seeker,
    SeekerCertificate,
    ServiceEvent,
    WorldMeta,
    create_schema,
    missing_indexes,
)
from app.db.repositories.world import ensure_schema

PG_URL_ENV = "GOYONG_TEST_PG_URL"
_PG_URL = os.environ.get(PG_URL_ENV)  # opt-in switch for a test, not product configuration

KOREAN = "서울특별시 마포구 — 「채용」 공고\n둘째 줄: 우대사항 ‘경력 3년↑’ 🙂"


def _rows() -> list[DeclarativeBase]:
    """One object per table, with explicit ids so that related rows can point at each other."""
    employer = Employer(
        id=1, name="(주)한빛소프트", business_no="214-86-12341", industry_code="J", size_code="S3", workers=57,
        region_code="11", address=KOREAN, phone="02-555-0101", created_on=dt.date(2020, 2, 29),
    )
    posting = Posting(
        id=1, employer_id=1, keco_code="133", region_code="11", title="백엔드 개발자 (경력)", company_intro="",
        duties="API 개발\n운영", requirements="Python", preferred="", conditions="연봉 협의", benefits="4대보험",
        process="서류 → 면접", documents="이력서", body=KOREAN, wage_type="annual", wage_amount=50_000_000_000,
        wage_monthly=4_166_666_667, weekly_hours=37.5, employment_type="정규직", career="경력", min_career_years=3,
        education="대졸", welfare_codes="W01;W03", headcount=2, contact="인사팀", open_date=dt.date(2025, 12, 31),
        close_date=dt.date(2026, 1, 30), year=2025, source="import", updated_at=dt.datetime(2026, 1, 2, 3, 4, 5),
    )
    outcome = PostingOutcome(posting_id=1, n_applications=7, filled=True, filled_30d=False, days_to_fill=None)
    seeker = Seeker(
        id=1, name="김하늘", rrn_encrypted="g1:0a1b2c3d:token", rrn_hmac="0" * 64, phone="010-1234-5678", email="haneul@example.com", address=KOREAN,
        birth_date=dt.date(1990, 3, 5), age=34, sex="F", disability=True, education="대졸", major="컴퓨터공학",
        region_code="11", career_years=6.25, last_keco=None, desired_keco="133", desired_wage=3_500_000,
        desired_region_code="41", region_flexible=False, skills="Python;SQL", riasec_r=1.0, riasec_i=4.75,
        riasec_a=0.1, riasec_s=2.0, riasec_e=3.0, riasec_c=5.0, benefit_status=False,
        registered_on=dt.date(2025, 2, 10), resume_text=KOREAN, cover_letter_text="", source="import",
    )
    certificate = SeekerCertificate(id=1, seeker_id=1, certificate_id="C0001")
    event = ServiceEvent(
        id=1, session_id=42, seeker_id=None, service="구직신청", step_order=1, step="본인인증",
        started_at=dt.datetime(2025, 11, 23, 9, 30, 15, 123456), duration_s=12.5, status="error",
        error_code="E-인증", device="mobile",
    )
    note = CounsellorNote(id=1, seeker_id=1, counsellor="상담사A", session_no=1, written_on=dt.date(2025, 2, 11), text=KOREAN)
    audit = AuditLog(
        id=1, at=dt.datetime(2025, 11, 23, 18, 5, 0, 999999), username="counsellor1", role="counsellor",
        action="hiring.simulate", model_name="hiring", model_version="2025.11.23-1", input_hash="ab" * 32,
        output={
            "확률": 0.731, "사유": ["임금 수준", "근무 지역"], "nested": {"ok": True, "none": None, "n": 3},
            "text": KOREAN,
        },
    )
    meta = WorldMeta(key="seed", value="20261123")
    version = PostingVersion(
        id=1, posting_id=1, version=2, at=dt.datetime(2026, 1, 2, 3, 4, 5), username="employer1", source_kind="plan",
        source_id=None, source_label="방안 1", conditions={"wage_amount": 2_800_000, "welfare_codes": ["W01", "W05"]},
        title="백엔드 개발자 (경력)", sections={"conditions": KOREAN, "benefits": ""}, body=KOREAN,
        changes="임금: 월급 250만원 → 월급 280만원", decision="review", score=0.7, rule_ids="", status="pending",
        probability=None, model_version="",
    )
    case = ConsultingCase(
        id=1, posting_id=1, employer_id=1, opened_by="employer1", opened_role="employer",
        opened_at=dt.datetime(2026, 1, 3), reason=KOREAN, contact_time="평일 오후", status="assigned",
        assignee="policy1", outcome="", updated_at=dt.datetime(2026, 1, 4),
    )
    case_note = ConsultingNote(id=1, case_id=1, at=dt.datetime(2026, 1, 4), username="policy1", text=KOREAN,
                               status="assigned")
    return [employer, posting, outcome, seeker, certificate, event, note, audit, meta, version, case, case_note]


def _values(obj: DeclarativeBase) -> dict[str, object]:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _primary_key(obj: DeclarativeBase) -> tuple[object, ...]:
    return inspect(obj).mapper.primary_key_from_instance(obj)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not _PG_URL, reason=f"{PG_URL_ENV} is not set: PostgreSQL round trip skipped"),
        ),
    ]
)
def engine_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Engine]]:
    """A function that opens a *new* engine on the same empty database each time it is called."""
    engines: list[Engine] = []
    if request.param == "sqlite":
        path = tmp_path / "roundtrip.db"

        def open_engine() -> Engine:
            engines.append(make_engine(f"sqlite:///{path}"))
            return engines[-1]

        yield open_engine
        for eng in engines:
            eng.dispose()
        return

    assert _PG_URL is not None
    schema = f"goyong_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(_PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def open_pg() -> Engine:
        # Unqualified product tables are created and read in the throw-away schema.
        engines.append(make_engine(_PG_URL))
        return engines[-1].execution_options(schema_translate_map={None: schema})

    try:
        yield open_pg
    finally:
        for eng in engines:
            eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_rows_round_trip_equal(engine_factory: Callable[[], Engine]) -> None:
    writer = engine_factory()
    create_schema(writer)
    rows = _rows()
    expected = {(type(obj), _primary_key(obj)): _values(obj) for obj in rows}
    with Session(writer) as session, session.begin():
        for obj in rows:
            # The ORM has no relationship() between these classes, so the unit of work does not
            # order inserts by foreign key: flush one by one, parents first (the list's order).
            session.add(obj)
            session.flush()
    writer.dispose()

    reader = engine_factory()
    with Session(reader) as session:
        for (model, key), values in expected.items():
            loaded = session.get(model, key)
            assert loaded is not None, f"{model.__tablename__} {key} missing"
            assert _values(loaded) == values, model.__tablename__

        audit = session.get(AuditLog, 1)
        assert audit is not None
        assert audit.output["사유"] == ["임금 수준", "근무 지역"] and audit.output["nested"]["ok"] is True
        assert audit.output["nested"]["none"] is None
        seeker = session.get(Seeker, 1)
        assert seeker is not None
        assert seeker.disability is True and seeker.benefit_status is False  # real booleans, not 1/0
        assert isinstance(seeker.birth_date, dt.date) and not isinstance(seeker.birth_date, dt.datetime)
        event = session.get(ServiceEvent, 1)
        assert event is not None and event.started_at.microsecond == 123456


def test_sqlite_file_persists(tmp_path: Path) -> None:
    path = tmp_path / "file.db"
    eng = make_engine(f"sqlite:///{path}")
    try:
        create_schema(eng)
        with Session(eng) as session, session.begin():
            session.add(WorldMeta(key="한글키", value="값\n두 줄"))
    finally:
        eng.dispose()
    assert path.stat().st_size > 0

    again = make_engine(f"sqlite:///{path}")
    try:
        with Session(again) as session:
            meta = session.get(WorldMeta, "한글키")
            assert meta is not None and meta.value == "값\n두 줄"
    finally:
        again.dispose()


def test_one_open_contact_request_per_posting_and_seeker(engine_factory: Callable[[], Engine]) -> None:
    """The partial unique index holds on each backend: a second pending or accepted request of a posting to a
    seeker is refused by the database itself, declined and withdrawn ones stay beside a new one."""
    engine = engine_factory()
    create_schema(engine)
    employer, posting, _outcome, seeker = _rows()[:4]
    with Session(engine) as session, session.begin():
        for obj in (employer, posting, seeker):
            session.add(obj)
            session.flush()

    def insert(status: str) -> None:
        with Session(engine) as session, session.begin():
            session.add(ContactRequest(employer_id=1, posting_id=1, seeker_id=1, requested_by="employer1", message="",
                                       status=status, created_at=dt.datetime(2026, 1, 5, 9), decided_by=""))

    insert("pending")
    for status in ("pending", "accepted"):
        with pytest.raises(IntegrityError):
            insert(status)
    for status in ("declined", "withdrawn", "declined"):
        insert(status)
    with Session(engine) as session:
        assert session.query(ContactRequest).count() == 4
        assert session.query(ContactRequest).filter(ContactRequest.status.in_(OPEN_REQUEST_STATUSES)).count() == 1


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_the_open_request_index_is_partial_on_each_backend(dialect: Any) -> None:
    ddl = str(CreateIndex(OPEN_REQUEST_INDEX).compile(dialect=dialect))
    assert ddl == ("CREATE UNIQUE INDEX ux_contact_requests_open ON contact_requests (posting_id, seeker_id) "
                   "WHERE status IN ('pending', 'accepted')")


def _index_names(engine: Engine, table: str) -> set[str]:
    schema = (engine.get_execution_options().get("schema_translate_map") or {}).get(None)
    return {ix["name"] for ix in inspect(engine).get_indexes(table, schema=schema)}


def test_the_lookup_indexes_are_declared_and_created(engine_factory: Callable[[], Engine]) -> None:
    engine = engine_factory()
    create_schema(engine)
    for index in LOOKUP_INDEXES:
        assert index in index.table.indexes  # declared on the ORM table, so create_all makes it
        assert index.name in _index_names(engine, index.table.name)
    assert missing_indexes(engine) == []


def test_ensure_schema_adds_the_indexes_an_older_database_lacks(engine_factory: Callable[[], Engine]) -> None:
    """A database built before the lookup indexes gets them from ``ensure_schema`` (the build's first
    step), without its rows being touched."""
    engine = engine_factory()
    create_schema(engine)
    employer, posting = _rows()[:2]
    with Session(engine) as session, session.begin():
        for obj in (employer, posting):
            session.add(obj)
            session.flush()
    with engine.begin() as conn:
        for index in LOOKUP_INDEXES:
            index.drop(conn)  # as built by an earlier release
    assert {ix.name for ix in missing_indexes(engine)} == {ix.name for ix in LOOKUP_INDEXES}

    ensure_schema(engine)

    assert missing_indexes(engine) == []
    assert {ix.name for ix in LOOKUP_INDEXES} <= _index_names(engine, Posting.__tablename__)
    with Session(engine) as session:
        assert session.get(Posting, 1) is not None


def test_an_index_on_a_column_an_older_database_lacks_is_left_to_its_migration(tmp_path: Path) -> None:
    """``ensure_schema`` runs before the migrations that add columns: an index on such a column is not
    attempted there (it would fail), the migration's later pass makes it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    create_schema(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_postings_employer_open")
        conn.exec_driver_sql("DROP INDEX ix_postings_open_date")
        conn.exec_driver_sql("ALTER TABLE postings DROP COLUMN open_date")
    assert not {"ix_postings_employer_open", "ix_postings_open_date"} & {ix.name for ix in missing_indexes(engine)}
    ensure_schema(engine)  # does not fail on the missing column
    engine.dispose()


def test_national_counts_are_snapshots_read_again_when_their_data_changes(
    engine_factory: Callable[[], Engine],
) -> None:
    """The home page's counts come from the stored snapshot while the data's stamp is unchanged, and are
    recomputed as soon as a row is added, a posting revised or the world replaced."""
    from app.db.repositories import world as world_repo
    from app.db.repositories.postings import load_posting_counts
    from app.db.repositories.seekers import load_seeker_counts

    engine = engine_factory()
    create_schema(engine)
    employer, posting, outcome, seeker = _rows()[:4]
    with Session(engine) as session, session.begin():
        for obj in (employer, posting, outcome, seeker, WorldMeta(key="fingerprint", value="a")):
            session.add(obj)
            session.flush()
    assert world_repo.load_table_counts(engine) == {"employers": 1, "postings": 1, "seekers": 1, "courses": 0}
    assert load_seeker_counts(engine)["n_seekers"].tolist() == [1]
    assert load_posting_counts(engine)[["region_code", "n_postings"]].values.tolist() == [["11", 1]]

    # unchanged data: the stored figures are what is read (proved by altering them in place)
    def alter_stored(old: str, new: str) -> Update:
        # ORM statements, not text(): the PostgreSQL case maps the tables into a throw-away schema
        return (update(AggregateSnapshot).where(AggregateSnapshot.name == "table_counts")
                .values(frame=func.replace(AggregateSnapshot.frame, old, new)))

    with engine.begin() as conn:
        conn.execute(alter_stored('"seekers",1', '"seekers",7'))
    assert world_repo.load_table_counts(engine)["seekers"] == 7

    # a new seeker moves the stamp: counted again
    second = _rows()[3]
    second.id = 2
    with Session(engine) as session, session.begin():
        session.add(second)
    assert world_repo.load_table_counts(engine)["seekers"] == 2
    assert load_seeker_counts(engine)["n_seekers"].sum() == 2

    # a new posting moves the stamp
    added = _rows()[1]
    added.id, added.region_code = 2, "26"
    with Session(engine) as session, session.begin():
        session.add(added)
    counts = load_posting_counts(engine).sort_values("region_code")
    assert counts[["region_code", "n_postings"]].values.tolist() == [["11", 1], ["26", 1]]

    # another world (new fingerprint): everything again
    with engine.begin() as conn:
        conn.execute(alter_stored('"seekers",2', '"seekers",9'))
        conn.execute(update(WorldMeta).where(WorldMeta.key == "fingerprint").values(value="b"))
    assert world_repo.load_table_counts(engine)["seekers"] == 2
