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
from app.ml import manifest, registry
from app.services.ads import migrate_stored_rule_sets
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
    if regenerate:
        generate_world(engine, size=size, seed=seed, progress=lambda step, f: say(f"세계 생성: {step}", 0.8 * f))
        world_generated = True
        meta = world_repo.read_world_meta(engine)
    fingerprint = meta["fingerprint"]
    old = manifest.load_manifest(models_dir) or {}
    old_models = old.get("models", {})
    specs = registry.ARTIFACTS
    models: dict[str, dict] = {}
    built, skipped = [], []
    ctx = manifest.BuildContext(engine=engine, out_dir=models_dir, world_fingerprint=fingerprint, seed=seed)
    for i, spec in enumerate(specs):
        previous = old_models.get(spec.name)
        current = (
            previous is not None
            and not force
            and previous.get("version") == spec.version
            and previous.get("data_fingerprint") == fingerprint
            and previous.get("config_fingerprint") == configured.get(spec.name)
            and all((models_dir / f).exists() for f in previous.get("files", []))
        )
        say(f"모델 빌드: {spec.title}", 0.8 + 0.2 * i / max(len(specs), 1))
        if current:
            models[spec.name] = previous
            skipped.append(spec.name)
            continue
        result = spec.build(ctx)
        models[spec.name] = {
            "title": spec.title,
            "version": spec.version,
            "data_fingerprint": fingerprint,
            "created_at": manifest.now_iso(),
            "files": list(result.files),
            "metrics": result.metrics,
        }
        if configured.get(spec.name) is not None:
            models[spec.name]["config_fingerprint"] = configured[spec.name]
        built.append(spec.name)
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
    path = manifest.write_manifest(models_dir, written)
    logs = None
    if logs_dir is not None:  # a separate data set beside the database: its own stamp, never in the manifest
        say("서비스 이용 로그", 0.99)
        logs = ensure_service_logs(engine, Path(logs_dir), size=logs_size, seed=seed, world_fingerprint=fingerprint,
                                   force=force)
    say("완료", 1.0)
    return BuildReport(world_generated=world_generated, built=tuple(built), skipped=tuple(skipped),
                       manifest_path=path, manifest=written, migrations=migrations, logs_generated=logs is not None)


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
