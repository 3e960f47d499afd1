"""What a built artifact is, and the ``models/manifest.json`` that describes them.

Every model or derived data artifact has an :class:`ArtifactSpec` (listed, in build order, in
:data:`app.ml.registry.ARTIFACTS`); ``python -m app build`` builds each one whose version or
training data changed and records it in the manifest (version, data fingerprint, library versions,
metrics, created_at). Loaders check the manifest (:func:`artifact_path`) and fail with a message
naming the rebuild command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib
from sqlalchemy import Engine

from app.errors import NotReady

MANIFEST_NAME = "manifest.json"
BUILD_COMMAND = "python -m app build"
TRACKED_LIBRARIES: tuple[str, ...] = ("numpy", "pandas", "scikit-learn", "lightgbm", "shap", "sqlalchemy", "streamlit")


class ArtifactMissing(NotReady):
    """An artifact (or the manifest) is missing or stale; the message names the rebuild command."""


@dataclass(frozen=True)
class BuildContext:
    """What a builder gets: the database, where to write, and which world it is built from."""

    engine: Engine
    out_dir: Path
    world_fingerprint: str
    seed: int


@dataclass(frozen=True)
class ArtifactResult:
    """What a builder returns: the files it wrote (relative to models/) and its metrics (numbers,
    and a few labels such as the encoder a model was built with)."""

    files: tuple[str, ...]
    metrics: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArtifactSpec:
    """A registered artifact.

    Attributes:
        name: Unique name, also the manifest key (the ``MODEL_NAME`` of its module).
        version: Bump when the builder's output format or method changes (forces a rebuild).
        title: Korean display name.
        build: Function that builds the artifact from the world.
        needs: Names of artifacts whose files the builder reads (they are built first).
        config_fingerprint: What the output depends on besides the world and the code (e.g. the
            fingerprint of a configured model), ``None`` when nothing is configured; a change
            rebuilds the artifact. It may raise a :class:`~app.errors.GoyongError` naming an
            unusable setting: the build then stops before anything is built.
    """

    name: str
    version: str
    title: str
    build: Callable[[BuildContext], ArtifactResult]
    needs: tuple[str, ...] = ()
    config_fingerprint: Callable[[], str | None] | None = None


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that affect artifacts."""
    versions = {}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def load_manifest(models_dir: Path) -> dict | None:
    """Parsed ``models/manifest.json``, or None when it does not exist or is unreadable."""
    path = Path(models_dir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_manifest(models_dir: Path, manifest: dict) -> Path:
    """Write the manifest atomically (a reader never sees a half-written file)."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=models_dir, prefix=".manifest-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2, sort_keys=True)
    os.chmod(tmp, 0o644)  # mkstemp creates 0600; the app server may run as another user
    final = models_dir / MANIFEST_NAME
    os.replace(tmp, final)
    return final


def artifact_path(models_dir: Path, name: str, filename: str) -> Path:
    """Path of a built file, checked against the manifest.

    Raises:
        ArtifactMissing: When the manifest or the file is missing (message names the build command).
    """
    manifest = load_manifest(models_dir)
    if manifest is None or name not in manifest.get("models", {}):
        raise ArtifactMissing(f"'{name}' 모델이 아직 만들어지지 않았습니다. 터미널에서 `{BUILD_COMMAND}`를 실행하세요.")
    path = Path(models_dir) / filename
    if not path.exists():
        raise ArtifactMissing(f"'{name}' 모델 파일({filename})이 없습니다. `{BUILD_COMMAND} --force`로 다시 만드세요.")
    return path


_PICKLE_MAGIC = b"GOYONG-PICKLE-ZLIB-1\n"
"""First bytes of an object written by :func:`dump_object` (older artifacts are joblib files)."""


def dump_object(obj: object, path: Path, *, compress: bool = True) -> None:
    """Write one of our fitted objects: pickle protocol 5, zlib-compressed, atomically.

    Why not ``joblib.dump``: joblib reads its files back with Python's pure-Python unpickler, which
    took 5.7 s for the job-ad verifier (its vectorisers hold hundreds of thousands of vocabulary
    strings), the longest wait of a page after a restart. The C unpickler reads the same object in
    0.5 s. Numpy arrays travel as protocol-5 buffers, so nothing is lost against joblib.
    """
    path = Path(path)
    payload = pickle.dumps(obj, protocol=5)
    data = zlib.compress(payload, 3) if compress else payload
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_PICKLE_MAGIC + (b"z" if compress else b"-"))
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the app server may run as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_object(path: Path) -> Any:
    """Read an object written by :func:`dump_object` (or by ``joblib.dump``, for artifacts built
    before this format). Only our own files are read this way: unpickling runs code."""
    with Path(path).open("rb") as handle:
        head = handle.read(len(_PICKLE_MAGIC) + 1)
        if head[:-1] == _PICKLE_MAGIC:
            data = handle.read()
            return pickle.loads(zlib.decompress(data) if head[-1:] == b"z" else data)
    return joblib.load(path)


def save_fitted(ctx: BuildContext, fitted: object, filename: str, metrics: dict[str, float]) -> ArtifactResult:
    """Write a fitted object of ours into the models directory (:func:`dump_object`) and describe the artifact."""
    dump_object(fitted, ctx.out_dir / filename)
    return ArtifactResult(files=(filename,), metrics=dict(metrics))


def load_fitted(models_dir: Path, name: str, filename: str) -> Any:
    """Load a fitted object written by :func:`save_fitted`, checked against the manifest.

    Only our own ``models/`` directory is ever read this way (unpickling runs code on load: never a
    user's upload or a URL).

    Raises:
        ArtifactMissing: When it has not been built (the message names ``python -m app build``).
    """
    return load_object(artifact_path(models_dir, name, filename))


def now_iso() -> str:
    """UTC timestamp for manifests."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
