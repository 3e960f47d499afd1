"""One frozen settings object for the whole product.

Every path, URL and backend choice is read here, from environment variables prefixed
``GOYONG_`` (or a ``.env`` file in the project root). No other module reads ``os.environ``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

WorldSize = Literal["small", "demo", "large"]


class Settings(BaseSettings):
    """Product settings, immutable once read.

    Attributes:
        db_url: SQLAlchemy URL of the product database (SQLite file by default; any
            PostgreSQL URL such as ``postgresql+psycopg://user:pw@host/db`` works too).
        models_dir: Directory holding built artifacts and ``manifest.json``.
        reference_dir: Directory of the committed reference tables (CSV).
        users_file: YAML file with login accounts and bcrypt password hashes.
        rrn_key: Secret of the 주민등록번호 encryption (``GOYONG_RRN_KEY``): 32 random bytes in
            URL-safe base64 (``python -c "import secrets, base64;
            print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"``). Takes precedence
            over ``rrn_key_file``. See :mod:`app.db.rrn`.
        log_file: Log of command-line failures (e.g. a database error during an import, found by
            the log number the command prints; never row values).
        rrn_key_file: File holding that secret when ``rrn_key`` is unset (git-ignored, mode 600);
            ``python -m app build`` creates it with a random key when neither exists.
        shared_data_dir: Third-party evaluation data (read by build scripts, tests, benches).
        world_size: Size of the synthetic world that ``python -m app build`` generates.
        world_seed: Seed of that world; the same seed gives the same database.
        idle_timeout_minutes: Minutes without any interaction after which a logged-in session is
            cleared and shows the login page again (``GOYONG_IDLE_TIMEOUT_MINUTES``; shared PCs in
            job centres). Demo accounts get a random password each (no shared-password setting).
        session_secret: Secret that signs the login cookie which keeps a session across a page
            reload (``GOYONG_SESSION_SECRET``; any long random string). Takes precedence over
            ``session_secret_file``. Changing it logs every browser out. See ``docs/accounts.md``.
        session_secret_file: File holding that secret when ``session_secret`` is unset (default:
            ``session.key`` next to ``users_file``; created once with a random secret, mode 600,
            git-ignored).
        warm_up: Load the models, the verifier's stored verdicts and the Korean analyser in the
            background when the server starts (``GOYONG_WARM_UP``, default on), so the first page
            after a restart does not wait for them. Off in tests that start many servers.
        fairness_tolerance: Largest gap between groups (e.g. in the share placed in the
            high-risk band, or in false-negative rates) that the fairness audit accepts before
            it flags the attribute (``GOYONG_FAIRNESS_TOLERANCE``, 0–1).
        llm_backend: Text generation of the posting assistant: ``offline`` (default; grounded
            composition, no network, no weights), ``openai`` (an OpenAI-compatible chat server
            such as vLLM, Ollama or llama.cpp) or ``transformers`` (a local causal LM).
        llm_base_url: Base URL of the OpenAI-compatible server, e.g. ``http://127.0.0.1:8000/v1``.
        llm_model: Model name the server serves.
        llm_api_key: API key for the server (empty when it needs none).
        llm_timeout: Seconds to wait for the server before falling back to ``offline``.
        llm_model_dir: Directory of a local transformers model (``transformers`` backend).
        fairness_min_group: Smallest group the fairness audit compares; smaller groups are
            shown but not flagged (with fewer than ~100 seekers a rate of 20 % has a 95 %
            interval of ±8 %p, wider than any tolerance worth setting).
        talent_encoder_dir: Folder of a sentence-transformers model for the talent matcher's dense
            vectors (``GOYONG_TALENT_ENCODER_DIR``; ``SentenceTransformer.save`` or
            ``save_pretrained`` layout, read offline, never downloaded). Unset (default): the
            matcher's own LSA encoder, trained on the world's postings and résumés, and torch is
            never imported. Changing it or the model's files makes ``python -m app build`` rebuild
            the matcher; a missing folder stops the build with a Korean message. See ``docs/talent.md``.
        threads: Threads one computation may use in every numeric library (LightGBM, FAISS,
            Kiwi, BLAS; ``GOYONG_THREADS``); unset, the cores this process may run on. See
            :mod:`app.threads`.
        duckdb_memory_mb: Memory DuckDB may use before it spills to disk (``GOYONG_DUCKDB_MEMORY_MB``;
            :func:`app.threads.duckdb_connect`), in MB.
        service_logs_dir: Folder of the online-service event logs (Parquet, git-ignored) that
            ``python -m app build`` generates and the 서비스 이용 병목 page reads (``GOYONG_SERVICE_LOGS_DIR``).
        service_logs_size: Size of those logs (``GOYONG_SERVICE_LOGS_SIZE``): ``small`` (tens of thousands
            of events), ``demo`` (about two million; the default) or ``large`` (over 50 million; see
            ``docs/service_logs.md``).
    """

    model_config = SettingsConfigDict(
        env_prefix="GOYONG_", env_file=PROJECT_ROOT / ".env", extra="ignore", frozen=True
    )

    db_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'data' / 'goyong.db'}")
    models_dir: Path = PROJECT_ROOT / "models"
    reference_dir: Path = PROJECT_ROOT / "data" / "reference"
    users_file: Path = PROJECT_ROOT / "config" / "users.yaml"
    log_file: Path = PROJECT_ROOT / "data" / "goyong.log"
    rrn_key: SecretStr | None = None
    rrn_key_file: Path = PROJECT_ROOT / "config" / "rrn.key"
    shared_data_dir: Path = PROJECT_ROOT.parent / "shared" / "data"
    world_size: WorldSize = "demo"
    world_seed: int = 20261123
    idle_timeout_minutes: float = Field(default=30.0, gt=0.0, le=24 * 60)
    session_secret: SecretStr | None = None
    session_secret_file: Path | None = None
    llm_backend: Literal["offline", "openai", "transformers"] = "offline"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = Field(default=20.0, gt=0.0, le=600.0)
    llm_model_dir: Path | None = None
    warm_up: bool = True
    fairness_tolerance: float = Field(default=0.05, gt=0.0, lt=1.0)
    fairness_min_group: int = Field(default=100, ge=1)
    talent_encoder_dir: Path | None = None
    threads: int | None = Field(default=None, ge=1, le=512)
    duckdb_memory_mb: int = Field(default=2048, ge=128, le=1_048_576)
    service_logs_dir: Path = PROJECT_ROOT / "data" / "logs"
    service_logs_size: WorldSize = "demo"

    @field_validator("talent_encoder_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `GOYONG_TALENT_ENCODER_DIR=` in a .env file means "no model", not the current directory
        return None if isinstance(value, str) and not value.strip() else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once, then cached).

    Tests that need other settings call ``get_settings.cache_clear()`` after changing the
    environment.
    """
    return Settings()
