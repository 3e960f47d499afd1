"""``python -m app build``: the world (if missing) and every artifact of :data:`app.ml.registry.ARTIFACTS`, then the manifest.

Idempotent: a second run with nothing changed rebuilds nothing. An artifact is rebuilt when its
version, the world's fingerprint or its configured model (``config_fingerprint``) changed, or a
file of it is missing. ``--force`` rebuilds the world and every artifact. An existing database is
first brought to the current schema (:func:`app.db.migrations.migrate_schema`: 주민등록번호
encrypted in place, unique business numbers, one open contact request per posting and seeker).
A generated world of an older content version (:data:`app.world.params.WORLD_VERSION`, e.g. the
interest test's first item bank with its parameters in ``test_items``) is generated anew, unless
the database holds postings or seekers the generator did not write (:class:`OutdatedWorld`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.db.fingerprint import EXCLUDED_TABLES
from app.db.migrations import migrate_schema
from app.db.repositories import world as world_repo
from app.errors import NotReady
from app.ml import build_pool, manifest, registry
from app.services.ads import migrate_stored_rule_sets
from app.services.employment import load_employment_model, store_caseload_scores
from app.services.hiring import load_hiring_model, store_posting_scores
from app.services.monitoring.kpi import store_kpi_summary
from app.services.monitoring.report import store_model_monitors
from app.world.generate import generate_world
from app.world.params import WORLD_VERSION
from app.world.service_logs import ensure_service_logs

Reporter = Callable[[str, float], None]

PRE_STAMP_WORLD_VERSION = "1"
"""Content version of a world written before ``world_meta`` carried one."""


class OutdatedWorld(NotReady):
    """The world is of an older content version and holds records regenerating it would delete."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    world_generated: bool
    built: tuple[str, ...]
    skipped: tuple[str, ...]
    manifest_path: Path
    manifest: dict
    migrations: tuple[str, ...] = ()
    logs_generated: bool = False


def run_build(
    engine: Engine,
    models_dir: Path,
    *,
    size: str,
    seed: int,
    force: bool = False,
    report: Reporter | None = None,
    logs_dir: Path | None = None,
    logs_size: str = "demo",
) -> BuildReport:
    """Generate the world when missing (or of another size/seed) and build stale artifacts.

    Args:
        engine: Product database.
        models_dir: Where artifacts and the manifest go.
        size: World size wanted.
        seed: World seed wanted.
        force: Rebuild the world and every artifact.
        report: Progress callback (step, fraction).
        logs_dir: Folder of the online-service event logs, generated when missing or stale (another
            generator version, size, seed or world); ``None``: no logs.
        logs_size: Size of those logs (``small``, ``demo``, ``large``).

    Returns:
        A :class:`BuildReport` (``migrations``: Korean lines of the schema changes made).

    Raises:
        GoyongError: An artifact's setting is unusable (e.g. ``GOYONG_TALENT_ENCODER_DIR`` names no
            model): raised before the world or any artifact is touched.
        DuplicateBusinessNumbers: An existing database holds a business number twice (Korean
            message; nothing after the 주민등록번호 encryption is done).
        RrnKeyError: The configured 주민등록번호 key is malformed or not the data's.
        OutdatedWorld: The world is of an older version and holds imported or app-written postings
            or seekers (nothing is changed; ``force`` regenerates it anyway).
    """
    say = report or (lambda _s, _f: None)
    # settings an artifact depends on (a configured model) are checked before anything is built
    configured = {spec.name: spec.config_fingerprint() for spec in registry.ARTIFACTS if spec.config_fingerprint}
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    # tables added by later releases (e.g. operational tables of a new service) appear in an
    # existing database without regenerating the world
    world_repo.ensure_schema(engine)
    migrate_stored_rule_sets(engine)  # saved rule-set versions in the current format
    meta = world_repo.read_world_meta(engine)
    world_generated = False
    regenerate = force or meta.get("size") != size or meta.get("seed") != str(seed) or "fingerprint" not in meta
    if not regenerate and meta.get(world_repo.WORLD_VERSION_KEY, PRE_STAMP_WORLD_VERSION) != WORLD_VERSION:
        _refuse_losing_records(engine, meta.get(world_repo.WORLD_VERSION_KEY, PRE_STAMP_WORLD_VERSION))
        regenerate = True  # the generator's content changed (e.g. the interest-test bank): a new world
    # A kept world gets the columns changed by later releases in place (the plain 주민등록번호
    # column encrypted first); a regenerated one is written in the current schema anyway.
    migrations = () if regenerate else migrate_schema(engine)
    pool, pool_workers = None, 1
    if regenerate:  # every artifact will be rebuilt: the workers start (and import) while the world is written
        pool_workers, threads = build_pool.split_threads(len(registry.ARTIFACTS) + (logs_dir is not None))
        if pool_workers > 1 and build_pool.can_run_elsewhere(
                [build_pool.artifact_task(spec) for spec in registry.ARTIFACTS], _url_of(engine)):
            pool = build_pool.start_workers(pool_workers, threads, _url_of(engine))
    try:
        if regenerate:
            generate_world(engine, size=size, seed=seed, progress=lambda step, f: say(f"세계 생성: {step}", 0.8 * f))
            world_generated = True
            meta = world_repo.read_world_meta(engine)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    fingerprint = meta["fingerprint"]
    old = manifest.load_manifest(models_dir) or {}
    old_models = old.get("models", {})
    specs = registry.ARTIFACTS
    models: dict[str, dict] = {}
    stale: list[manifest.ArtifactSpec] = []
    skipped = []
    for spec in specs:
        previous = old_models.get(spec.name)
        current = (
            previous is not None
            and not force
            and previous.get("version") == spec.version
            and previous.get("data_fingerprint") == fingerprint
            and previous.get("config_fingerprint") == configured.get(spec.name)
            and all((models_dir / f).exists() for f in previous.get("files", []))
        )
        if current:
            models[spec.name] = previous
            skipped.append(spec.name)
        else:
            stale.append(spec)
    tasks = [build_pool.artifact_task(spec, cost=_expected_seconds(old_models.get(spec.name), spec.name))
             for spec in stale]
    if logs_dir is not None:  # a separate data set beside the database: its own stamp, never in the manifest
        tasks.append(build_pool.Task(name=LOGS_TASK, run=_ensure_logs, args=(Path(logs_dir), logs_size, force),
                                     cost=LOGS_SECONDS))
    ctx = manifest.BuildContext(engine=engine, out_dir=models_dir, world_fingerprint=fingerprint, seed=seed)
    workers, threads = build_pool.split_threads(len(tasks))
    if pool is not None:
        workers = pool_workers
    elif workers > 1 and not build_pool.can_run_elsewhere(tasks, _url_of(engine)):
        workers, threads = 1, build_pool.split_threads(1)[1]
    titles = {spec.name: spec.title for spec in stale} | {LOGS_TASK: "서비스 이용 로그"}
    started: list[str] = []

    def announce(name: str) -> None:
        say(f"모델 빌드: {titles[name]}" if name != LOGS_TASK else titles[name],
            0.8 + 0.2 * len(started) / max(len(tasks), 1))
        started.append(name)

    results = build_pool.run_tasks(tasks, ctx, workers=workers, threads=threads, started=announce,
                                   files={name: entry.get("files", []) for name, entry in models.items()}, pool=pool)
    built = []
    for spec in specs:  # manifest entries in registry order, whatever order they finished in
        if spec.name not in results:
            continue
        result, seconds, cpu_seconds = results[spec.name]
        models[spec.name] = {
            "title": spec.title,
            "version": spec.version,
            "data_fingerprint": fingerprint,
            "created_at": manifest.now_iso(),
            "files": list(result.files),
            "metrics": result.metrics,
            "build_seconds": seconds,
            "build_cpu_seconds": cpu_seconds,
        }
        if configured.get(spec.name) is not None:
            models[spec.name]["config_fingerprint"] = configured[spec.name]
        built.append(spec.name)
    models = {spec.name: models[spec.name] for spec in specs}
    written = {
        "created_at": manifest.now_iso() if (built or world_generated or not old) else old.get("created_at"),
        "world": {
            "size": meta.get("size"),
            "seed": int(meta.get("seed", seed)),
            "fingerprint": fingerprint,
            "created_at": meta.get("created_at"),
            "rows": world_repo.load_row_counts(engine, exclude=EXCLUDED_TABLES),
            "calibration": {k.split(".", 1)[1]: float(v) for k, v in meta.items() if k.startswith("calibration.")},
        },
        "libraries": manifest.library_versions(),
        "models": models,
    }
    # last, in one atomic replace: a running app reads the old manifest and files or the new ones
    path = manifest.write_manifest(models_dir, written)
    if "employment" in models:
        # the caseload pages read stored scores (national scale: scoring 170k open seekers per process took
        # a minute); a few index lookups when they are current
        say("구직자 위험 점수 저장", 0.99)
        store_caseload_scores(engine, load_employment_model(models_dir))
    if "hiring" in models:
        # 채용 위험 공고 현황 reads stored posting scores (national scale: every posting's text length
        # and sections took seconds per process); a few index lookups when they are current
        say("공고 채용확률 저장", 0.995)
        store_posting_scores(engine, load_hiring_model(models_dir))
    # 성과·모델 모니터링 combines a stored KPI summary (national scale: reading the KPIs' frames took seconds)
    say("성과지표 요약 저장", 0.998)
    store_kpi_summary(engine)
    # and the model monitors' stored results (national scale: predicting every seeker again took 90 s a view)
    say("모델 모니터링 결과 저장", 0.999)
    _store_model_monitors(engine, models_dir)
    logs = results.get(LOGS_TASK)
    say("완료", 1.0)
    return BuildReport(world_generated=world_generated, built=tuple(built), skipped=tuple(skipped),
                       manifest_path=path, manifest=written, migrations=migrations, logs_generated=logs is not None)


def _store_model_monitors(engine: Engine, models_dir: Path) -> None:
    from app.config import get_settings

    settings = get_settings()  # the fairness settings the page reads with (part of the monitors' stamp)
    store_model_monitors(engine, models_dir=models_dir, reference_dir=settings.reference_dir,
                         tolerance=float(settings.fairness_tolerance), min_group_size=int(settings.fairness_min_group))


def _url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


LOGS_TASK = "service_logs"
LOGS_SECONDS = 8.0
"""The demo logs' generation time, to schedule them among the artifacts."""


def _ensure_logs(ctx: manifest.BuildContext, logs_dir: Path, size: str, force: bool, _inputs: tuple = ()) -> object:
    """The service logs for the build's world (:func:`ensure_service_logs`), ``None`` when current."""
    return ensure_service_logs(ctx.engine, logs_dir, size=size, seed=ctx.seed, world_fingerprint=ctx.world_fingerprint,
                               force=force)


def _expected_seconds(previous: dict | None, name: str) -> float:
    """How long an artifact took last time (the manifest's CPU seconds: machine load does not inflate them),
    else a typical demo figure: the longest chains start first."""
    for key in ("build_cpu_seconds", "build_seconds"):
        if previous and isinstance(previous.get(key), int | float):
            return float(previous[key])
    return TYPICAL_SECONDS.get(name, 10.0)


TYPICAL_SECONDS: dict[str, float] = {
    "ad_verifier": 85.0, "employment": 25.0, "talent_matcher": 72.0, "topics": 11.0, "hiring": 8.0,
    "training_recommender": 14.0, "occupation_fit": 7.0, "interest_test": 13.0, "course_outcome": 1.5,
    "occupation_classifier": 6.0, "postings_index": 3.0, "certificate_value": 3.5, "market_wages": 0.5,
}
"""CPU seconds of each artifact on the demo world, for the order of a first build, which has no manifest to
learn them from (each measured on one thread, December 2026; the talent matcher, topics and training
recommender scaled by their before/after CPU seconds measured side by side at the same load)."""


def _refuse_losing_records(engine: Engine, stored_version: str) -> None:
    """Raise :class:`OutdatedWorld` when regenerating the world would delete records people added."""
    kept = world_repo.count_rows_not_generated(engine)
    if kept:
        raise OutdatedWorld(
            f"데이터베이스의 세계가 이전 버전({stored_version})이어서 새 버전({WORLD_VERSION})으로 다시 만들어야 하지만, "
            f"가져오거나 화면에서 작성한 공고·구직자 {kept:,}건이 있어 자동으로 지우지 않았습니다. "
            "그 자료를 다시 가져올 수 있는지 확인한 뒤 `python -m app build --force`로 세계를 다시 만드세요. "
            "기존 자료는 바뀌지 않았습니다"
        )
