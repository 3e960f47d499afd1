"""The build's worker pool: the thread budget is split, ``needs`` are respected, files move into place
atomically, and a failure stops the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.db.engine import make_engine
from app.ml import build_pool
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext


def _write(ctx: BuildContext, name: str, text: str) -> ArtifactResult:
    (ctx.out_dir / name).write_text(text, encoding="utf-8")
    return ArtifactResult(files=(name,), metrics={"pid": float(os.getpid())})


def build_first(ctx: BuildContext) -> ArtifactResult:
    from app.threads import thread_count

    result = _write(ctx, "first.txt", "first")
    return ArtifactResult(files=result.files, metrics={**result.metrics, "threads": float(thread_count())})


def build_second(ctx: BuildContext) -> ArtifactResult:
    # reads what it needs from its own folder: the staging folder holds a link to it
    return _write(ctx, "second.txt", (ctx.out_dir / "first.txt").read_text(encoding="utf-8") + "+second")


def build_other(ctx: BuildContext) -> ArtifactResult:
    return _write(ctx, "other.txt", "other")


def build_broken(ctx: BuildContext) -> ArtifactResult:
    raise ValueError("고장난 빌더")


FIRST = ArtifactSpec(name="first", version="1", title="첫째", build=build_first)
SECOND = ArtifactSpec(name="second", version="1", title="둘째", build=build_second, needs=("first",))
OTHER = ArtifactSpec(name="other", version="1", title="다른", build=build_other)
BROKEN = ArtifactSpec(name="broken", version="1", title="고장", build=build_broken)


@pytest.mark.parametrize("budget", [1, 2, 3, 4, 8, 16])
@pytest.mark.parametrize("tasks", [0, 1, 2, 5, 13])
def test_workers_times_threads_stay_within_the_budget(budget: int, tasks: int) -> None:
    workers, threads = build_pool.split_threads(tasks, budget=budget)
    assert workers >= 1 and threads >= 1
    assert workers * threads <= budget
    assert workers <= max(1, tasks)


def _context(tmp_path: Path) -> BuildContext:
    out = tmp_path / "models"
    out.mkdir()
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    return BuildContext(engine=engine, out_dir=out, world_fingerprint="f" * 8, seed=7)


@pytest.mark.parametrize("workers", [1, 2])
def test_tasks_run_after_what_they_need_and_their_files_land_in_place(tmp_path: Path, workers: int) -> None:
    ctx = _context(tmp_path)
    tasks = [build_pool.artifact_task(SECOND, cost=100.0), build_pool.artifact_task(FIRST),
             build_pool.artifact_task(OTHER)]
    seen: list[str] = []
    results = build_pool.run_tasks(tasks, ctx, workers=workers, threads=1, started=seen.append)
    assert all(len(result) == 3 and result[1] >= 0 and result[2] >= 0 for result in results.values())  # seconds, CPU
    assert (ctx.out_dir / "second.txt").read_text(encoding="utf-8") == "first+second"
    assert sorted(p.name for p in ctx.out_dir.iterdir()) == ["first.txt", "other.txt", "second.txt"]  # no staging left
    assert seen.index("first") < seen.index("second")
    assert {name: result[0].files for name, result in results.items()} == {
        "first": ("first.txt",), "second": ("second.txt",), "other": ("other.txt",)}
    pids = {result[0].metrics["pid"] for result in results.values()}
    if workers == 1:
        assert pids == {float(os.getpid())}
    else:
        assert float(os.getpid()) not in pids  # built in worker processes
        assert results["first"][0].metrics["threads"] == 1.0  # the worker's share of the budget


def test_an_artifact_reads_a_needed_file_that_was_not_rebuilt(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    (ctx.out_dir / "first.txt").write_text("kept", encoding="utf-8")
    build_pool.run_tasks([build_pool.artifact_task(SECOND)], ctx, workers=1, threads=1, files={"first": ["first.txt"]})
    assert (ctx.out_dir / "second.txt").read_text(encoding="utf-8") == "kept+second"
    assert (ctx.out_dir / "first.txt").read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_builder_stops_the_build_with_its_error(tmp_path: Path, workers: int) -> None:
    ctx = _context(tmp_path)
    (ctx.out_dir / "other.txt").write_text("old", encoding="utf-8")
    tasks = [build_pool.artifact_task(BROKEN, cost=10.0), build_pool.artifact_task(SECOND),
             build_pool.artifact_task(FIRST)]
    with pytest.raises(ValueError, match="고장난 빌더"):
        build_pool.run_tasks(tasks, ctx, workers=workers, threads=1)
    assert not any(p.name.startswith(".staging") for p in ctx.out_dir.iterdir())
    assert (ctx.out_dir / "other.txt").read_text(encoding="utf-8") == "old"


def test_local_stand_ins_and_in_memory_databases_stay_in_this_process() -> None:
    def local_build(ctx: BuildContext) -> ArtifactResult:
        return ArtifactResult(files=())

    local = ArtifactSpec(name="local", version="1", title="x", build=local_build)
    assert build_pool.can_run_elsewhere([build_pool.artifact_task(FIRST)], "sqlite:////tmp/w.db")
    assert not build_pool.can_run_elsewhere([build_pool.artifact_task(local)], "sqlite:////tmp/w.db")
    assert not build_pool.can_run_elsewhere([build_pool.artifact_task(FIRST)], "sqlite://")
    assert not build_pool.can_run_elsewhere([build_pool.artifact_task(FIRST)], "sqlite:///:memory:")


def test_a_short_task_that_a_long_one_waits_for_starts_first() -> None:
    tasks = [build_pool.artifact_task(OTHER, cost=40.0), build_pool.artifact_task(FIRST, cost=0.5),
             build_pool.artifact_task(SECOND, cost=50.0)]
    costs = build_pool._path_costs(tasks)
    assert costs == {"other": 40.0, "first": 50.5, "second": 50.0}


def build_keeping(ctx: BuildContext) -> ArtifactResult:
    return ArtifactResult(files=("kept.txt",))  # lists a file it did not write again


def test_a_listed_file_the_builder_did_not_write_again_stays_in_place(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    (ctx.out_dir / "kept.txt").write_text("kept", encoding="utf-8")
    spec = ArtifactSpec(name="keeping", version="1", title="x", build=build_keeping)
    build_pool.run_tasks([build_pool.artifact_task(spec)], ctx, workers=1, threads=1)
    assert (ctx.out_dir / "kept.txt").read_text(encoding="utf-8") == "kept"
