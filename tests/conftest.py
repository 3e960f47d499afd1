"""Shared fixtures: one small seeded world per session, a users file with known passwords,
and cache isolation for AppTest (Streamlit caches live in the process and leak between tests).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from app.config import get_settings
from app.db.engine import make_engine
from app.world.generate import generate_world

DEMO_USERNAMES = (
    "employer1", "employer2", "employer3", "counsellor1", "counsellor2", "policy1", "seeker1", "seeker2", "seeker3",
)
DEMO_PASSWORDS = {name: secrets.token_urlsafe(12) for name in DEMO_USERNAMES}
"""One password per demo account, made per test session: no password lives in the repo."""
FAST_ROUNDS = 4  # bcrypt cost for test accounts (production uses 12)


# Property tests draw the same examples on every run and machine (randomness is seeded): a CI run
# never fails on an example no earlier run saw, and a failure reproduces.
hypothesis_settings.register_profile("goyong", derandomize=True, database=None)
hypothesis_settings.load_profile("goyong")


@pytest.fixture(scope="session", autouse=True)
def rrn_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The 주민등록번호 key of the session (app.db.rrn): a file in a temporary folder, created on
    first use, so that no test writes the developer's ``config/rrn.key``. Subprocesses inherit it."""
    path = tmp_path_factory.mktemp("keys") / "rrn.key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOYONG_RRN_KEY_FILE", str(path))
        get_settings.cache_clear()
        yield path
    get_settings.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def service_logs_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The service-log folder of the session (a temporary one, ``small`` logs), so that a test running
    ``python -m app build`` never writes the developer's ``data/logs/``. Subprocesses inherit it."""
    path = tmp_path_factory.mktemp("service_logs") / "logs"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOYONG_SERVICE_LOGS_DIR", str(path))
        patch.setenv("GOYONG_SERVICE_LOGS_SIZE", "small")
        get_settings.cache_clear()
        yield path
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def world_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a SQLite file holding the small seeded world (built once per test session)."""
    path = tmp_path_factory.mktemp("world") / "w.db"
    engine = make_engine(f"sqlite:///{path}")
    generate_world(engine, size="small", seed=7)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def world_url(world_db: Path) -> str:
    """SQLAlchemy URL of :func:`world_db`."""
    return f"sqlite:///{world_db}"


@pytest.fixture(scope="session")
def users_file(tmp_path_factory: pytest.TempPathFactory, world_url: str) -> Path:
    """Accounts file with the nine demo users, each with its password in :data:`DEMO_PASSWORDS` (fast bcrypt)."""
    from app.db.repositories.employers import load_employer_ids
    from app.db.repositories.seekers import load_demo_seeker_ids
    from app.demo_accounts import write_demo_users

    engine = make_engine(world_url)
    ids = load_employer_ids(engine, limit=3)
    seekers = load_demo_seeker_ids(engine, count=3)
    engine.dispose()
    path = tmp_path_factory.mktemp("config") / "users.yaml"
    write_demo_users(path, DEMO_PASSWORDS, ids, seeker_ids=seekers, rounds=FAST_ROUNDS)
    return path


@pytest.fixture(scope="session")
def employer_ids(users_file: Path) -> dict[str, int]:
    """username -> employer_id of the employer accounts in :func:`users_file`."""
    from app.auth import load_accounts

    return {u: a.user.employer_id for u, a in load_accounts(users_file).items() if a.user.employer_id}


@pytest.fixture(scope="session")
def seeker_ids(users_file: Path) -> dict[str, int]:
    """username -> seeker_id of the seeker accounts in :func:`users_file`."""
    from app.auth import load_accounts

    return {u: a.user.seeker_id for u, a in load_accounts(users_file).items() if a.user.seeker_id}


@pytest.fixture
def app_env(
    monkeypatch: pytest.MonkeyPatch, world_url: str, users_file: Path, tmp_path: Path
) -> Iterator[None]:
    """Point the settings at the test world, users file and an empty models dir."""
    monkeypatch.setenv("GOYONG_DB_URL", world_url)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(users_file))
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _clear_streamlit_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Clear st.cache_data / st.cache_resource around every UI test (they leak across AppTests)."""
    if "tests/ui" not in str(request.node.path) and "tests\\ui" not in str(request.node.path):
        yield
        return
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def hiring_built(tmp_path_factory: pytest.TempPathFactory, world_db: Path) -> tuple[str, Path]:
    """(database URL, models dir) of a private copy of the small world with every registered
    artifact built (hiring and employment models, the similar-postings index).

    A copy, because the pages write audit rows, saved scenarios, overrides and band settings.
    """
    import sqlite3

    from app.build import run_build
    from app.ml import manifest

    root = tmp_path_factory.mktemp("hiring_pages")
    db = root / "w.db"
    with sqlite3.connect(world_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    engine = make_engine(f"sqlite:///{db}")
    models = root / "models"
    run_build(engine, models, size="small", seed=7)
    assert "postings_index" in (manifest.load_manifest(models) or {}).get("models", {})
    engine.dispose()
    return f"sqlite:///{db}", models


@pytest.fixture
def hiring_env(monkeypatch: pytest.MonkeyPatch, hiring_built: tuple[str, Path], users_file: Path) -> Iterator[str]:
    """Settings pointed at :func:`hiring_built` (built models); yields the database URL."""
    url, models = hiring_built
    monkeypatch.setenv("GOYONG_DB_URL", url)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(users_file))
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def copy_world_database(url: str, path: Path, *, empty: tuple[str, ...] = ()) -> Path:
    """Copy a SQLite world database (online backup) to ``path`` and empty the given tables.

    Modules that write operational rows (overrides, band settings, reviews, rule versions)
    work on such a copy, so the session's shared database stays as the page tests expect.
    """
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    with sqlite3.connect(path) as conn:
        for table in empty:
            conn.execute(f"DELETE FROM {table}")  # table names are the caller's constants
    return path


@pytest.fixture(scope="session")
def command_audit_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of an empty product database that only receives command run records."""
    from app.db.repositories.world import ensure_schema

    url = f"sqlite:///{tmp_path_factory.mktemp('command_audit') / 'audit.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _command_audit_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every file command writes a run record to the configured database and refuses to run without
    one (``app.cli.runner``): command tests (``*_cli.py``) record into a test database of their own,
    never into the project's ``data/goyong.db``. A test that sets ``GOYONG_DB_URL`` itself wins."""
    if not request.node.path.name.endswith("_cli.py"):
        yield
        return
    monkeypatch.setenv("GOYONG_DB_URL", request.getfixturevalue("command_audit_url"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
