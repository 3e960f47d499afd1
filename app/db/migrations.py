"""Schema changes an existing database needs, applied in place by ``python -m app build``.

``create_all`` (:func:`app.db.repositories.world.ensure_schema`) adds missing *tables*; changes to
existing tables live here, each one idempotent (it looks at the database first) and each in one
transaction, so an interrupted run leaves the database as it was:

* :func:`encrypt_plain_rrns` — a ``seekers.rrn`` column holding 주민등록번호 in plain text becomes
  ``rrn_encrypted`` + ``rrn_hmac`` (:mod:`app.db.rrn`); on SQLite the freed pages are then wiped
  (``secure_delete`` and ``VACUUM``) so the old numbers do not linger in the file.
  주민등록번호 written inside imported seekers' résumés and cover letters are masked in the same
  transaction (imports now mask them on the way in).
* :func:`make_business_no_unique` — the unique index on ``employers.business_no``; existing
  duplicates stop it with a Korean message naming them instead of a database error.
* :func:`add_hiring_loop` — ``postings.updated_at`` (when a new version of a posting became
  current) and the tables of posting versions and hiring consulting
  (:data:`app.db.orm.HIRING_LOOP_TABLES`), for databases built before the hiring loop.
* :func:`add_open_request_index` — the partial unique index of one open contact request per posting
  and seeker (:data:`app.db.orm.OPEN_REQUEST_INDEX`); open duplicates stored before it (two requests
  sent at the same moment) are first reduced to one, the others marked withdrawn.
* :func:`app.db.orm.create_missing_indexes` — the plain lookup indexes declared in the ORM that an
  older database lacks (the pages' queries at national scale need them, ``docs/postgres.md``).
  ``ensure_schema`` adds them too, so the build adds them before anything else.

Hand-written rather than Alembic: a few changes, no version table to keep, and each one checks
the database itself, so databases built by any earlier release are handled alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, inspect, select, text, update

from app.db.orm import (
    HIRING_LOOP_TABLES,
    OPEN_REQUEST_INDEX,
    OPEN_REQUEST_STATUSES,
    Base,
    ContactRequest,
    Employer,
    Posting,
    Seeker,
    create_missing_indexes,
    missing_indexes,
)
from app.db.repositories.talent import utc_now
from app.db.rrn import HMAC_CHARS, TOKEN_MAX_CHARS, RrnCipher, ensure_rrn_cipher, load_rrn_cipher, mask_rrns_in_text
from app.errors import NotReady

_BATCH = 5_000  # rows read and updated per round trip (bounded memory for a million seekers)
_DUPLICATES_NAMED = 5


class DuplicateBusinessNumbers(NotReady):
    """``employers`` holds one business number more than once, so it cannot be made unique."""


class MalformedStoredRrn(NotReady):
    """A stored plain 주민등록번호 is not 13 digits, so it cannot be encrypted as a number."""


def pending_migrations(engine: Engine) -> tuple[str, ...]:
    """Korean names of the changes the database still needs (empty when it is current)."""
    pending = []
    if _has_plain_rrn(engine):
        pending.append("주민등록번호 암호화")
    if _needs_unique_business_no(engine):
        pending.append("사업자등록번호 고유 색인")
    if _needs_hiring_loop(engine):
        pending.append("공고 버전·채용 컨설팅 표")
    if _needs_open_request_index(engine):
        pending.append("상담 요청 중복 방지 색인")
    if missing_indexes(engine):
        pending.append("조회 색인")
    return tuple(pending)


def rrn_cipher_for(engine: Engine) -> RrnCipher:
    """The 주민등록번호 cipher to write into this database with, checked against what it holds.

    A database that already holds encrypted numbers needs *their* key: a missing key is then an
    error rather than a new random one, and another key is refused, so one database never mixes
    keys. A database without encrypted numbers gets the configured key, created when missing.

    Raises:
        RrnKeyError: The stored numbers need a key that is missing or not the configured one.
    """
    token = None
    if "rrn_encrypted" in _columns(engine, Seeker.__tablename__):
        with engine.connect() as conn:
            token = conn.execute(
                select(Seeker.rrn_encrypted).where(Seeker.rrn_encrypted.is_not(None)).limit(1)
            ).scalar()
    if token is None:
        return ensure_rrn_cipher()
    cipher = load_rrn_cipher()
    cipher.decrypt(token)  # raises RrnKeyError naming both key ids when they differ
    return cipher


def migrate_schema(engine: Engine, *, cipher: Callable[[Engine], RrnCipher] = rrn_cipher_for) -> tuple[str, ...]:
    """Apply every pending change (see the module docstring); nothing when the database is current.

    The 주민등록번호 key is checked (or created) first, also when nothing is pending.

    Args:
        engine: Product database, tables already created.
        cipher: Gives the 주민등록번호 cipher for ``engine``.

    Returns:
        One Korean line per change made.

    Raises:
        DuplicateBusinessNumbers: The business-number index cannot be made unique (the
            주민등록번호 encryption before it is kept).
        MalformedStoredRrn: A stored plain value is not a number (nothing changed).
        RrnKeyError: The configured key is malformed, or the stored tokens need another key.
    """
    done = []
    rrn_cipher = cipher(engine)
    if _has_plain_rrn(engine):
        count = encrypt_plain_rrns(engine, rrn_cipher)
        done.append(f"주민등록번호 {count:,}건을 암호화했습니다 (평문 열 삭제)")
    if _needs_unique_business_no(engine):
        make_business_no_unique(engine)
        done.append("사업자등록번호에 고유 색인을 만들었습니다")
    if _needs_hiring_loop(engine):
        add_hiring_loop(engine)
        done.append("공고 버전 기록과 채용 컨설팅 표를 추가했습니다")
    if _needs_open_request_index(engine):
        withdrawn = add_open_request_index(engine)
        cleaned = f" (같은 공고·구직자의 중복 요청 {withdrawn:,}건은 철회로 정리)" if withdrawn else ""
        done.append(f"상담 요청 중복 방지 색인을 만들었습니다{cleaned}")
    created = create_missing_indexes(engine)
    if created:
        done.append(f"조회 색인 {len(created)}개를 만들었습니다")
    return tuple(done)


# --------------------------------------------------------------------------- 주민등록번호


def _columns(engine: Engine, table: str) -> set[str]:
    inspector = inspect(engine)
    if not inspector.has_table(table):
        return set()
    return {column["name"] for column in inspector.get_columns(table)}


def _has_plain_rrn(engine: Engine) -> bool:
    return "rrn" in _columns(engine, Seeker.__tablename__)


def encrypt_plain_rrns(engine: Engine, cipher: RrnCipher) -> int:
    """Replace ``seekers.rrn`` by its token and keyed hash, in one transaction.

    Returns:
        Numbers encrypted (empty cells become NULL and are not counted).

    Raises:
        MalformedStoredRrn: A stored value is not a number (named by seeker id; nothing changed).
    """
    table = Seeker.__tablename__
    present = _columns(engine, table)
    index = next(ix for ix in Seeker.__table__.indexes if list(ix.columns.keys()) == ["rrn_hmac"])
    store = (
        update(Seeker.__table__)
        .where(Seeker.__table__.c.id == bindparam("row_id"))
        .values(rrn_encrypted=bindparam("token"), rrn_hmac=bindparam("keyed_hash"))
    )
    encrypted = 0
    with _transaction(engine, wipe_freed_pages=True) as conn:
        # Both columns may exist already only if a release added them without removing ``rrn``.
        if "rrn_encrypted" not in present:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN rrn_encrypted VARCHAR({TOKEN_MAX_CHARS})"))
        if "rrn_hmac" not in present:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN rrn_hmac VARCHAR({HMAC_CHARS})"))
        last_id = -1
        while True:
            # Keyset pages rather than one open cursor: the rows are updated while being read.
            batch = conn.execute(
                text(f"SELECT id, rrn FROM {table} WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last_id, "n": _BATCH},
            ).all()
            if not batch:
                break
            last_id = batch[-1][0]
            rows = []
            for row_id, plain in batch:
                number = (plain or "").strip()
                try:
                    token, keyed_hash = cipher.protect(number) if number else (None, None)
                except ValueError:
                    raise MalformedStoredRrn(
                        f"구직자 id {row_id}의 주민등록번호가 형식(숫자 13자리)에 맞지 않아 암호화할 수 없습니다. "
                        "그 값을 고치거나 비운 뒤 `python -m app build`를 다시 실행하세요. 데이터베이스는 바뀌지 않았습니다"
                    ) from None
                rows.append({"row_id": row_id, "token": token, "keyed_hash": keyed_hash})
                encrypted += token is not None
            conn.execute(store, rows)
        _mask_rrns_in_imported_texts(conn)
        conn.execute(text(f"ALTER TABLE {table} DROP COLUMN rrn"))
        if not any(ix["name"] == index.name for ix in inspect(conn).get_indexes(table)):
            index.create(conn)
    _vacuum(engine)
    return encrypted


def _mask_rrns_in_imported_texts(conn: Connection) -> None:
    """Mask 주민등록번호 written inside imported seekers' résumés and cover letters.

    Releases before the encryption stored imported free text as written; a number there is the same
    plain text the column's encryption removes. Only imported rows are touched: the synthetic
    world's documents carry made-up numbers on purpose (material for the masking shown on pages)
    and are part of its fingerprint.
    """
    table = Seeker.__tablename__
    store = (
        update(Seeker.__table__)
        .where(Seeker.__table__.c.id == bindparam("row_id"))
        .values(resume_text=bindparam("resume"), cover_letter_text=bindparam("cover"))
    )
    last_id = -1
    while True:
        batch = conn.execute(
            text(f"SELECT id, resume_text, cover_letter_text FROM {table} "
                 "WHERE id > :last AND source = 'import' ORDER BY id LIMIT :n"),
            {"last": last_id, "n": _BATCH},
        ).all()
        if not batch:
            break
        last_id = batch[-1][0]
        changed = []
        for row_id, resume, cover in batch:
            masked_resume, masked_cover = mask_rrns_in_text(resume or ""), mask_rrns_in_text(cover or "")
            if masked_resume != (resume or "") or masked_cover != (cover or ""):
                changed.append({"row_id": row_id, "resume": masked_resume, "cover": masked_cover})
        if changed:
            conn.execute(store, changed)


# --------------------------------------------------------------------------- 사업자등록번호


def _needs_unique_business_no(engine: Engine) -> bool:
    table = Employer.__tablename__
    if "business_no" not in _columns(engine, table):
        return False
    inspector = inspect(engine)
    unique_indexes = [ix for ix in inspector.get_indexes(table) if ix.get("unique")]
    unique_constraints = inspector.get_unique_constraints(table)
    return not any(item["column_names"] == ["business_no"] for item in [*unique_indexes, *unique_constraints])


def make_business_no_unique(engine: Engine) -> None:
    """Replace the plain index on ``employers.business_no`` by the unique one of the schema.

    Raises:
        DuplicateBusinessNumbers: Some number belongs to several rows; nothing is changed and the
            message names them (business numbers identify firms, not people).
    """
    table = Employer.__tablename__
    index = next(ix for ix in Employer.__table__.indexes if list(ix.columns.keys()) == ["business_no"])
    with _transaction(engine) as conn:
        duplicates = conn.execute(
            text(
                f"SELECT business_no, COUNT(*) FROM {table} GROUP BY business_no HAVING COUNT(*) > 1 "
                "ORDER BY COUNT(*) DESC, business_no"
            )
        ).all()
        if duplicates:
            named = ", ".join(f"{number} ({count}건)" for number, count in duplicates[:_DUPLICATES_NAMED])
            more = f" 외 {len(duplicates) - _DUPLICATES_NAMED}개" if len(duplicates) > _DUPLICATES_NAMED else ""
            raise DuplicateBusinessNumbers(
                f"사업자등록번호가 중복된 기업이 있어 고유 색인을 만들 수 없습니다: {named}{more}. "
                "중복된 기업 행을 하나로 합친 뒤(공고의 employer_id를 남길 행으로 옮기고 나머지 삭제) "
                "`python -m app build`를 다시 실행하세요. 데이터베이스는 바뀌지 않았습니다"
            )
        for existing in inspect(conn).get_indexes(table):
            if existing["column_names"] == ["business_no"]:
                conn.execute(text(f"DROP INDEX {existing['name']}"))
        index.create(conn)


# --------------------------------------------------------------------------- 공고 버전·채용 컨설팅


def _needs_hiring_loop(engine: Engine) -> bool:
    inspector = inspect(engine)
    if not inspector.has_table(Posting.__tablename__):
        return False  # no world yet: the build creates every table in the current schema
    missing_table = any(not inspector.has_table(name) for name in HIRING_LOOP_TABLES)
    return missing_table or "updated_at" not in _columns(engine, Posting.__tablename__)


def add_hiring_loop(engine: Engine) -> None:
    """Add ``postings.updated_at`` and the posting-version and consulting tables, in one transaction."""
    with _transaction(engine) as conn:
        if "updated_at" not in {c["name"] for c in inspect(conn).get_columns(Posting.__tablename__)}:
            # nullable, no default: existing rows keep NULL ("as first stored"), nothing is rewritten
            column = Posting.__table__.c.updated_at.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {Posting.__tablename__} ADD COLUMN updated_at {column}"))
        Base.metadata.create_all(conn, tables=[Base.metadata.tables[name] for name in HIRING_LOOP_TABLES])


# --------------------------------------------------------------------------- 상담 요청 중복 방지

DUPLICATE_WITHDRAWN_BY = "build:duplicate"
"""``decided_by`` of an open duplicate request the migration withdrew (no person decided it)."""


def _needs_open_request_index(engine: Engine) -> bool:
    inspector = inspect(engine)
    table = ContactRequest.__tablename__
    if not inspector.has_table(table):
        return False  # the first use creates the table with its index (talent repository's ensure_tables)
    return not any(ix["name"] == OPEN_REQUEST_INDEX.name for ix in inspector.get_indexes(table))


def add_open_request_index(engine: Engine) -> int:
    """Create :data:`app.db.orm.OPEN_REQUEST_INDEX`, first withdrawing open duplicates, in one transaction.

    Of several open requests of one posting to one seeker — possible before the index, when two were
    sent at the same moment — the accepted one is kept (the employer already holds that contact),
    else the first sent; the others become ``withdrawn`` (decided by :data:`DUPLICATE_WITHDRAWN_BY`),
    so the seeker keeps one request to answer and the history keeps every row.

    Returns:
        Requests withdrawn as duplicates.
    """
    requests = ContactRequest.__table__
    withdrawn = 0
    with _transaction(engine) as conn:
        rows = conn.execute(
            select(requests.c.id, requests.c.posting_id, requests.c.seeker_id, requests.c.status)
            .where(requests.c.status.in_(OPEN_REQUEST_STATUSES))
            .order_by(requests.c.posting_id, requests.c.seeker_id, requests.c.id)
        ).all()
        groups: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for request_id, posting_id, seeker_id, status in rows:
            groups.setdefault((posting_id, seeker_id), []).append((request_id, status))
        duplicates = []
        for group in groups.values():
            if len(group) < 2:
                continue
            kept = next((rid for rid, status in group if status == "accepted"), group[0][0])
            duplicates += [rid for rid, _ in group if rid != kept]
        if duplicates:
            conn.execute(
                update(requests).where(requests.c.id.in_(duplicates))
                .values(status="withdrawn", decided_at=utc_now(), decided_by=DUPLICATE_WITHDRAWN_BY)
            )
            withdrawn = len(duplicates)
        OPEN_REQUEST_INDEX.create(conn)
    return withdrawn


# --------------------------------------------------------------------------- transactions


@contextmanager
def _transaction(engine: Engine, *, wipe_freed_pages: bool = False) -> Iterator[Connection]:
    """One transaction that also covers ``ALTER TABLE`` and ``CREATE INDEX``.

    PostgreSQL runs DDL inside a transaction as it is. Python's ``sqlite3`` driver does not open a
    transaction before DDL (each statement would commit on its own), so on SQLite the driver is
    put in autocommit mode and the transaction is opened and closed explicitly.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as base:
        conn = base.execution_options(isolation_level="AUTOCOMMIT")
        secure_delete = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
        if wipe_freed_pages:
            # freed pages (the dropped plain-text column) are overwritten with zeros, not left behind
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        driver = conn.connection.driver_connection
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if driver.in_transaction:  # a failed statement may have rolled back already
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        finally:
            conn.exec_driver_sql(f"PRAGMA secure_delete={int(secure_delete)}")  # the driver's own 0 or 1


def _vacuum(engine: Engine) -> None:
    """SQLite only: rewrite the file and empty the write-ahead log, where old pages may remain."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as base:
        conn = base.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
