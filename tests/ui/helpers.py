"""Small helpers shared by the AppTest modules (not fixtures: plain functions)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

TIMEOUT = 30  # first run imports plotly/pandas and builds caches


def user_dict(role: str, employer_id: int | None = None, seeker_id: int | None = None) -> dict[str, Any]:
    """Session-state user as the login form stores it (``seeker_id`` only for seeker accounts)."""
    user = {"username": f"{role}-test", "display_name": f"{role} 테스트", "role": role, "employer_id": employer_id}
    return user if seeker_id is None else {**user, "seeker_id": seeker_id}


def run_page(path: str, user: dict[str, Any] | None) -> AppTest:
    """Run a page file (path relative to the calling test file) as ``user``."""
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    if user is not None:
        at.session_state["auth.user"] = user
    return at.run()


def texts(at: AppTest) -> str:
    """Everything textual the user sees, joined (for substring assertions)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [m.label for m in at.metric]
    return "\n".join(parts)


def frames(at: AppTest) -> list[pd.DataFrame]:
    """DataFrames of every st.dataframe on the page, in order."""
    return [d.value for d in at.dataframe]


def frame_with(at: AppTest, column: str) -> pd.DataFrame | None:
    """The first dataframe having ``column``, or None."""
    return next((f for f in frames(at) if column in f.columns), None)


def plotly_figures(at: AppTest) -> list[dict[str, Any]]:
    """Figure dicts of every plotly chart (AppTest has no typed accessor; the proto holds JSON)."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def plotly_values(arr: Any) -> list[Any]:
    """Values of a plotly data array (plotly 7 writes numeric arrays as base64 typed arrays)."""
    if isinstance(arr, dict) and "bdata" in arr:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)


def chart_titles(at: AppTest) -> list[str]:
    """Titles of every plotly chart on the page."""
    return [f.get("layout", {}).get("title", {}).get("text", "") for f in plotly_figures(at)]


def db_scalar(url: str, sql: str, **params: Any) -> Any:
    """One value of a query on the page's database (a short-lived engine of its own)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def db_rows(url: str, sql: str, **params: Any) -> list[tuple]:
    """All rows of a query on the page's database, as tuples."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def point_settings_at(monkeypatch: Any, db: Any, models: Any, users_file: Any, **environment: str) -> str:
    """Point the settings at a database file, a models folder and a users file (plus any other
    ``GOYONG_*`` variables); returns the database URL."""
    from app.config import get_settings

    url = f"sqlite:///{db}"
    monkeypatch.setenv("GOYONG_DB_URL", url)
    monkeypatch.setenv("GOYONG_USERS_FILE", str(users_file))
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return url


def point_settings_at_built_copy(monkeypatch: Any, built: tuple[str, Any], users_file: Any, path: Any) -> str:
    """Point the settings at a private copy (``path``) of a built world's database and at its models
    (pages that write work on a copy); returns the copy's URL."""
    from tests.conftest import copy_world_database

    url, models = built
    return point_settings_at(monkeypatch, copy_world_database(url, path), models, users_file)
