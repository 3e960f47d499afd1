"""One threads setting for every numeric library: LightGBM, FAISS, Kiwi, BLAS and OpenMP.

``GOYONG_THREADS`` (:attr:`app.config.Settings.threads`) caps the threads any one computation of
this process uses; unset, it is the number of cores this process may run on (its CPU affinity, so
a container or ``taskset`` limit is respected). Code never hard-codes a thread count: it asks
:func:`thread_count` (training, batch scoring, batch text analysis) or :func:`threads_for_rows`
(predictions that are often one row).

Why a *passive* OpenMP wait policy: by default an OpenMP worker that runs out of work spins for a
while before sleeping. With one other CPU-bound process on a 2-core machine, LightGBM's spinning
workers fought it for the cores: three small fits took 81.8 s instead of 6.8 s, and the demo build
stalled. ``OMP_WAIT_POLICY=PASSIVE`` makes idle workers sleep at once. OpenMP runtimes read it when
they load, so :func:`prepare_process` sets it (and the pool sizes) before any of those libraries is
imported: ``import app`` runs it first. Libraries already loaded by then (Streamlit imports numpy
and its BLAS) are capped at run time by :func:`limit_loaded_pools` (threadpoolctl).
"""

from __future__ import annotations

import os
import sys
import tempfile
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

SINGLE_THREAD_ROWS = 2_000
"""Below this many rows a prediction runs on one thread: with two OpenMP threads on a 2-core
machine, a one-seeker prediction took 8 ms instead of 0.18 ms whenever the other core was busy."""

_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_MAX_THREADS")


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform reports it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def thread_count() -> int:
    """Threads one computation may use: ``GOYONG_THREADS``, else :func:`available_cores`.

    Read once per process (the numeric libraries size their pools once). A build worker's share of
    the budget (:func:`use_threads`) takes precedence.
    """
    if _PINNED:
        return _PINNED[0]
    from app.config import get_settings  # config imports pydantic; keep `import app` light

    try:
        configured = get_settings().threads
    except ValueError:  # a bad setting is reported by get_settings() where the app reads it
        configured = None
    return configured or available_cores()


_PINNED: list[int] = []


def use_threads(count: int) -> None:
    """Make :func:`thread_count` ``count`` in this process and cap the pools already loaded.

    For a worker process that gets a share of the budget (:mod:`app.ml.build_pool`: ``workers ×
    threads ≤`` the parent's :func:`thread_count`); the OpenMP and BLAS pools of libraries loaded
    later read the same count from the environment.
    """
    count = max(1, int(count))
    _PINNED[:] = [count]
    thread_count.cache_clear()
    for name in _THREAD_ENV:
        os.environ[name] = str(count)
    limit_loaded_pools()


def threads_for_rows(n_rows: int) -> int:
    """Threads for a prediction of ``n_rows`` rows: one for small ones (see :data:`SINGLE_THREAD_ROWS`)."""
    return 1 if n_rows < SINGLE_THREAD_ROWS else thread_count()


def duckdb_connect(database: str = ":memory:", *, read_only: bool = False, temp_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with :func:`thread_count` threads and the configured memory limit.

    DuckDB spills to ``temp_dir`` (default: ``goyong-duckdb`` in the system's temporary folder) when a query needs more than ``GOYONG_DUCKDB_MEMORY_MB``, so a scan of hundreds of
    millions of log rows stays in bounded memory.

    Args:
        database: Database file, or ``":memory:"`` (queries over Parquet need no file).
        read_only: Open a database file read-only.
        temp_dir: Folder for spilled data (``None``: DuckDB's default).

    Returns:
        The open connection (close it, or use it as a context manager).
    """
    import duckdb  # only the analytics need it; keep `import app` light

    from app.config import get_settings

    # insertion order is never needed (every query orders what it returns) and keeping it costs memory
    config = {"threads": thread_count(), "memory_limit": f"{get_settings().duckdb_memory_mb}MB",
              "preserve_insertion_order": False,
              "temp_directory": temp_dir or str(Path(tempfile.gettempdir()) / "goyong-duckdb")}
    con = duckdb.connect(database, read_only=read_only, config=config)
    con.execute("SET enable_progress_bar = false")  # a command's output is its own, not DuckDB's bar
    return con


def prepare_process() -> None:
    """Set the OpenMP wait policy and the pool sizes before a numeric library loads.

    Values the operator set explicitly in the environment are kept.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("KMP_BLOCKTIME", "0")  # the same for Intel's OpenMP runtime
    count = str(thread_count())
    for name in _THREAD_ENV:
        os.environ.setdefault(name, count)


def limit_loaded_pools() -> None:
    """Cap the BLAS and OpenMP pools of libraries loaded before :func:`prepare_process` ran."""
    from threadpoolctl import threadpool_limits  # only where pools exist

    threadpool_limits(limits=thread_count())


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Start *spawned* worker processes inside this block so that they do not run the caller's script.

    A spawned process imports the parent's ``__main__`` first; a script that generates a world or
    builds at its top level (no ``if __name__ == "__main__"`` guard) would do it again in every
    worker, which then dies. Workers run functions of ``app`` only and need none of the script.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
