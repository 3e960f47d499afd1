"""Engine creation: one engine per database URL, created on demand (never at import time)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine, event

from app.config import get_settings


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """Create a SQLAlchemy engine for ``url`` (default: the configured ``GOYONG_DB_URL``).

    SQLite gets foreign keys switched on and WAL journalling so that the Streamlit server can read
    while a build writes. Other backends (PostgreSQL) use SQLAlchemy defaults.

    Every engine hides bound parameters from its error messages and logs (``hide_parameters``):
    they are the rows being written (names, contacts, 주민등록번호 tokens), and an error text
    ends up on a console or in a log.

    Args:
        url: Any SQLAlchemy URL; ``None`` means ``get_settings().db_url``.
        echo: Log SQL statements (debugging only).

    Returns:
        A new Engine. Callers that want one shared engine use :func:`get_engine`.
    """
    url = url or get_settings().db_url
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, hide_parameters=True, connect_args={"check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # DBAPI types
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True)


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """Return a process-wide engine for ``url`` (created once; engines are thread-safe)."""
    return make_engine(url)
