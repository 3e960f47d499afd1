"""Build independent artifacts at the same time, in worker processes (``python -m app build``).

Most builders spend their time in one Python thread (pandas, scikit-learn, Kiwi, the rule matcher)
or in small LightGBM fits whose threads wait on each other more than they work. Two builders in two
processes keep two cores busy where one builder with two threads kept them half idle. The
registry's ``needs`` is the graph: an artifact starts once everything it needs is built.

Why processes, and *spawned* ones: the builders hold the GIL, and a forked child of a process that
has used OpenMP or Kiwi's threads can wait forever for threads that did not survive the fork (see
:func:`app.verify.verifier.verify_many`). A spawned worker inherits the parent's environment at the
time it starts, so the settings (``GOYONG_*``) are the parent's.

The thread budget is split, never exceeded: ``workers × threads per worker ≤``
:func:`app.threads.thread_count`. Each worker pins its own count (:func:`app.threads.use_threads`)
before a numeric library sizes its pool.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext
from app.threads import main_module_hidden, thread_count

MAX_WORKERS = 4
"""Worker processes at most, whatever the core count: a builder holds up to ~1.5 GB of the demo
world's frames, and more than four artifacts are rarely ready at once."""

Started = Callable[[str], None]
"""Called with an artifact's name when its build starts."""


@dataclass(frozen=True)
class Task:
    """One unit of work for the pool: an artifact, or another step that only needs the world.

    Attributes:
        name: Unique name (an artifact's name, or e.g. ``service_logs``).
        run: Module-level function ``run(ctx, *args) -> result`` (pickled by reference).
        args: Further arguments (picklable).
        needs: Names of the tasks that must finish first (names not in the plan count as done).
        cost: Rough seconds, to start the long tasks first (the shortest total time).
    """

    name: str
    run: Callable[..., Any]
    args: tuple = ()
    needs: tuple[str, ...] = ()
    cost: float = 1.0


def artifact_task(spec: ArtifactSpec, cost: float = 1.0) -> Task:
    """The :class:`Task` building ``spec`` (:func:`build_staged`)."""
    return Task(name=spec.name, run=build_staged, args=(spec,), needs=spec.needs, cost=cost)


def build_staged(ctx: BuildContext, spec: ArtifactSpec, inputs: Sequence[str] = ()) -> tuple[ArtifactResult, float, float]:
    """Build ``spec`` in a staging folder, then move each of its files into place atomically.

    A running app reads ``models/``: a builder writing there directly (``to_parquet``,
    ``np.save``, a FAISS index) would let it read a half-written file. The builder writes into
    ``models/.staging-<name>-…/`` instead, which holds hard links to the files it reads
    (``inputs``: the files of the artifacts it ``needs``); each file it lists is then renamed over
    the old one (``os.replace``: a reader opens the old file or the new one, never a mix).

    Returns:
        (the builder's result, its seconds, its CPU seconds: every thread of the process, so a
        figure that machine load does not inflate the way it inflates the seconds).
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    out_dir = Path(ctx.out_dir)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".staging-{spec.name}-"))
    try:
        for name in inputs:
            source = out_dir / name
            if source.exists():
                _link_or_copy(source, staging / name)
        result = spec.build(replace(ctx, out_dir=staging))
        for name in result.files:
            built = staging / name
            if not built.exists() and (out_dir / name).exists():
                continue  # listed but not written again: the file in place is the artifact's
            os.chmod(built, 0o644)  # mkstemp-made files are 0600; the app server may run as another user
            os.replace(built, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result, round(time.perf_counter() - started, 1), round(time.process_time() - cpu_started, 1)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)


def split_threads(tasks: int, *, budget: int | None = None) -> tuple[int, int]:
    """(workers, threads per worker) for ``tasks`` independent tasks within the thread budget.

    ``workers × threads ≤ budget`` (:func:`app.threads.thread_count` by default): one worker (this
    process) when the budget or the work allows no more.
    """
    budget = thread_count() if budget is None else budget
    workers = max(1, min(budget, tasks, MAX_WORKERS))
    return workers, max(1, budget // workers)


def can_run_elsewhere(tasks: Sequence[Task], engine_url: str | None) -> bool:
    """Whether the tasks can go to worker processes: the database is reachable from another
    process (not an in-memory SQLite) and every task pickles (a test's local stand-in does not)."""
    if any(getattr(task.run, "__module__", "__main__") == "__main__" for task in tasks):
        return False  # a worker could not import it
    if not engine_url or ":memory:" in engine_url or engine_url.rstrip("/") in ("sqlite:", "sqlite://"):
        return False
    try:
        pickle.dumps(list(tasks))
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def start_workers(workers: int, threads: int, engine_url: str) -> ProcessPoolExecutor:
    """Start ``workers`` worker processes now and let them import the builders.

    For a build that generates the world first: the workers' imports (~4 s of CPU each: pandas,
    scikit-learn, LightGBM, every builder module) and Kiwi's language model (~2 s) load while this
    process writes the world, which keeps one core busy, instead of after it. Pass the pool to :func:`run_tasks`.
    """
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                               initargs=(threads, engine_url))
    with main_module_hidden():
        for _ in range(workers):
            pool.submit(_warm_up)
    return pool


def _warm_up() -> None:
    import app.ml.registry  # noqa: F401  (every builder and the libraries they use)
    from app.verify.kiwi import kiwi_analyser

    # Kiwi loads its language model on the first text it reads (~2 CPU-s): here, while the world is
    # written, rather than at the start of the talent matcher, the ad verifier or the topics
    kiwi_analyser().tokenize("형태소 분석기를 미리 불러 둡니다")


def run_tasks(tasks: Sequence[Task], ctx: BuildContext, *, workers: int, threads: int,
              started: Started | None = None, files: dict[str, Sequence[str]] | None = None,
              pool: ProcessPoolExecutor | None = None) -> dict[str, Any]:
    """Run the tasks (each after its ``needs``), ``workers`` at a time.

    With one worker they run here, in the order given (each after its ``needs``). Otherwise in
    spawned worker processes with ``threads`` threads each. The first failure stops the rest
    (nothing not yet started starts) and is raised here. Each ``run`` gets, after its ``args``, the
    files of the tasks it needs (``files``: those of artifacts not rebuilt, by name; a finished
    task's come from its :class:`ArtifactResult`). ``pool``: workers started beforehand
    (:func:`start_workers`), shut down here.

    Returns:
        Task name → what its ``run`` returned.
    """
    notify = started or (lambda _name: None)
    names = {task.name for task in tasks}
    known = {name: list(found) for name, found in (files or {}).items()}

    def inputs(task: Task) -> tuple[str, ...]:
        return tuple(f for need in task.needs for f in known.get(need, ()))

    def finished(task: Task, value: Any) -> None:
        results[task.name] = value
        if isinstance(value, tuple) and value and isinstance(value[0], ArtifactResult):
            known[task.name] = list(value[0].files)

    results: dict[str, Any] = {}
    if workers <= 1 or not tasks:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for task in _in_dependency_order(tasks):
            notify(task.name)
            finished(task, task.run(ctx, *task.args, inputs(task)))
        return results
    url = ctx.engine.url.render_as_string(hide_password=False)
    plain = (ctx.out_dir, ctx.world_fingerprint, ctx.seed)
    rank = _path_costs(tasks)
    pending = sorted(tasks, key=lambda t: -rank[t.name])
    running: dict[Future, Task] = {}
    pool = pool or ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                                       initargs=(threads, url))
    with pool:
        try:
            while pending or running:
                ready = [t for t in pending if all(n in results or n not in names for n in t.needs)]
                for task in ready[: max(0, workers - len(running))]:
                    pending.remove(task)
                    notify(task.name)
                    with main_module_hidden():  # a worker starts inside submit()
                        running[pool.submit(_run_in_worker, task, inputs(task), plain)] = task
                if not running:  # nothing ready and nothing running: a cycle (check_order prevents it)
                    raise ValueError(f"tasks {[t.name for t in pending]} wait for each other")
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    finished(task, future.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _path_costs(tasks: Sequence[Task]) -> dict[str, float]:
    """Each task's cost plus the costliest chain of tasks that wait for it: started in this order,
    the market wages (0.3 s) go before a longer task, since the employment model waits for them."""
    waiting: dict[str, list[Task]] = {task.name: [] for task in tasks}
    for task in tasks:
        for need in task.needs:
            if need in waiting:
                waiting[need].append(task)
    costs: dict[str, float] = {}
    for task in reversed(_in_dependency_order(tasks)):
        costs[task.name] = task.cost + max((costs[t.name] for t in waiting[task.name]), default=0.0)
    return costs


def _in_dependency_order(tasks: Sequence[Task]) -> list[Task]:
    names = {task.name for task in tasks}
    done: set[str] = set()
    ordered: list[Task] = []
    left = list(tasks)
    while left:
        task = next((t for t in left if all(n in done or n not in names for n in t.needs)), None)
        if task is None:
            raise ValueError(f"tasks {[t.name for t in left]} wait for each other")
        left.remove(task)
        ordered.append(task)
        done.add(task.name)
    return ordered


_WORKER_ENGINE: dict[str, Any] = {}


def _init_worker(threads: int, url: str) -> None:
    """Pin this worker's thread count before any numeric library sizes its pool."""
    from app.threads import use_threads

    use_threads(threads)
    _WORKER_ENGINE["url"] = url


def _run_in_worker(task: Task, needed_files: tuple[str, ...], plain: tuple[Path, str, int]) -> Any:
    from app.db.engine import make_engine  # the worker's own connections

    engine = _WORKER_ENGINE.get("engine")
    if engine is None:
        engine = _WORKER_ENGINE["engine"] = make_engine(_WORKER_ENGINE["url"])
    out_dir, fingerprint, seed = plain
    ctx = BuildContext(engine=engine, out_dir=Path(out_dir), world_fingerprint=fingerprint, seed=seed)
    return task.run(ctx, *task.args, needed_files)
