"""The model monitors' stored results: computed by the build after the manifest, read by the page.

The employment, hiring, course-outcome and ad-verifier monitors (:mod:`.models`) read every seeker or
posting and score them again — tens of seconds at national scale. Their tables and alerts are stored
(:mod:`app.db.repositories.monitor_results`) with a stamp of what they read: the world (fingerprint,
creation time, 기준일, observation end), the newest id of each table the monitor reads (a seeker,
outcome, band setting or posting written since moves it), the model's manifest entry (version, build
time, title), the thresholds and the fairness settings. While a monitor's stamp holds, the report
reads it back (equal to the one computed); when it moves, the next reader computes and stores it again.

What people do with the outputs — counsellors' band overrides, reviewers overruling the ad verifier,
copilot edits, the audit-log volume — stays live in :func:`app.services.monitoring.build_report`: a
few grouped rows each, and they change all day.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine

from app.analytics.monitoring import Alert, Thresholds
from app.db.repositories import monitor_results as results_repo
from app.ml.manifest import ArtifactMissing
from app.services.monitoring import models as monitors
from app.services.monitoring.models import PROFILES, ModelMonitor

LAYOUT: Final[str] = "model-monitors-1"
"""What a stored monitor holds (in every stamp: a new layout computes them again)."""

DEFAULT_TITLES: Final[dict[str, str]] = {
    "employment": "취업성공 예측모델", "hiring": "채용성공 예측모델", "course_outcome": "훈련과정 취업성과 예측모델",
    "ad_verifier": "구인광고 AI 검증",
}
"""Korean title of each stored monitor when the manifest and the registry have none."""

READS: Final[dict[str, tuple[str, ...]]] = {
    "employment": ("seekers", "seeker_services", "enrolments", "seeker_certificates", "seeker_outcomes",
                   "risk_band_settings"),
    "hiring": ("postings", "employers", "posting_versions", "posting_outcomes"),
    "course_outcome": (),
    "ad_verifier": ("postings", "posting_versions"),
}
"""The tables each stored monitor reads (their newest ids are in its stamp), in the report's order."""

FRAMES: Final[tuple[str, ...]] = ("drift", "calibration", "fairness", "overrides")
"""The tables of a :class:`ModelMonitor`."""


@dataclasses.dataclass(frozen=True)
class MonitorInputs:
    """What the monitors are computed with besides the database.

    Attributes:
        models_dir: Built artifacts and their manifest.
        thresholds: The committed alert thresholds.
        manifest: The manifest's models (name → entry).
        titles: Korean title per model name.
        tolerance: Fairness tolerance. min_group_size: Smallest group of the fairness audit.
    """

    models_dir: Path
    thresholds: Thresholds
    manifest: Mapping[str, Mapping[str, Any]]
    titles: Mapping[str, str]
    tolerance: float
    min_group_size: int

    def title(self, name: str) -> str:
        """Korean title of a monitored model."""
        return self.titles.get(name, DEFAULT_TITLES[name])

    def version(self, name: str) -> str:
        """Built version of a model (``-`` when the manifest has none)."""
        return str((self.manifest.get(name) or {}).get("version", "-"))


def monitored(inputs: MonitorInputs) -> list[str]:
    """The stored monitors of the built models, in the report's order."""
    return [name for name in READS if name in inputs.manifest]


def stamp_text(name: str, markers: Mapping[str, Any], inputs: MonitorInputs) -> str:
    """The stamp of monitor ``name`` (JSON): the world markers, the newest ids it reads, the pending
    posting versions (hiring), its manifest entry and title, the thresholds and the fairness settings."""
    stamp: dict[str, Any] = {
        "layout": LAYOUT, "model": name, "title": inputs.title(name),
        "entry": json.dumps(inputs.manifest.get(name) or {}, sort_keys=True, ensure_ascii=False, default=str),
        "thresholds": thresholds_digest(inputs.thresholds),
        "world": markers["world"], "newest": {table: markers["newest"][table] for table in READS[name]},
    }
    if name == "hiring":
        # a decision on a waiting version changes a posting without a new id (as the stored posting scores)
        stamp["waiting"] = markers["waiting"]
    if name == "employment":
        stamp["fairness"] = [float(inputs.tolerance), int(inputs.min_group_size)]
    return json.dumps(stamp, sort_keys=True, ensure_ascii=False)


def thresholds_digest(thresholds: Thresholds) -> str:
    """SHA-256 of the thresholds, the same in every process (``repr`` is not: the set of assumptions
    is ordered by string hashes, which differ per process)."""
    def canonical(value: object) -> object:
        return sorted(value) if isinstance(value, (set, frozenset)) else str(value)

    text = json.dumps(dataclasses.asdict(thresholds), sort_keys=True, ensure_ascii=False, default=canonical)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compute_monitor(engine: Engine, name: str, inputs: MonitorInputs) -> ModelMonitor:
    """The stored part of monitor ``name``, computed from the database and the built model.

    Raises:
        ArtifactMissing: The model's files are not built.
    """
    thresholds, title, version = inputs.thresholds, inputs.title(name), inputs.version(name)
    tasks: dict[str, Callable[[], ModelMonitor]] = {
        "employment": lambda: monitors.employment_monitor(
            engine, inputs.models_dir, thresholds, title=title, version=version, tolerance=inputs.tolerance,
            min_group_size=inputs.min_group_size),
        "hiring": lambda: monitors.hiring_monitor(engine, inputs.models_dir, thresholds, title=title, version=version),
        "course_outcome": lambda: monitors.course_outcome_monitor(
            inputs.models_dir, thresholds, title=title, version=version,
            cutoff=(inputs.manifest.get("course_outcome") or {}).get("metrics", {}).get("cutoff")),
        "ad_verifier": lambda: monitors.ad_verifier_scores(engine, inputs.models_dir, thresholds, title=title,
                                                           version=version),
    }
    return tasks[name]()


def encode_monitor(monitor: ModelMonitor) -> dict[str, Any]:
    """A monitor as a JSON-safe document (its profile is :data:`PROFILES`' and not stored)."""
    return {"name": monitor.name, "title": monitor.title, "version": monitor.version, "reference": monitor.reference,
            "note": monitor.note, **{f: results_repo.encode_frame(getattr(monitor, f)) for f in FRAMES},
            "alerts": [dataclasses.asdict(a) | {"value": float(a.value), "threshold": float(a.threshold)}
                       for a in monitor.alerts]}


def decode_monitor(document: Mapping[str, Any]) -> ModelMonitor:
    """The monitor :func:`encode_monitor` stored."""
    name = str(document["name"])
    return ModelMonitor(name, str(document["title"]), str(document["version"]), PROFILES[name],
                        reference=str(document["reference"]), note=str(document["note"]),
                        **{f: results_repo.decode_frame(document[f]) for f in FRAMES},
                        alerts=[Alert(**a) for a in document["alerts"]])


def model_monitors(engine: Engine, inputs: MonitorInputs, *, live: bool = False) -> tuple[list[ModelMonitor], list[str]]:
    """The stored part of every built model's monitor: read back while its stamp holds, computed and
    stored otherwise.

    Args:
        engine: Product database.
        inputs: Models, thresholds and settings.
        live: Compute every monitor and store nothing (what the report was before it was stored; tests
            compare the two).

    Returns:
        The monitors in the report's order, and the Korean titles of those whose model files are missing.
    """
    names = monitored(inputs)
    stored: dict[str, tuple[str, dict[str, Any]]] = {}
    stamps: dict[str, str] = {}
    if not live and names:
        markers = results_repo.read_markers(engine)
        stamps = {name: stamp_text(name, markers, inputs) for name in names}
        stored = results_repo.load_stored(engine, names)
    built: list[ModelMonitor] = []
    missing: list[str] = []
    fresh: dict[str, tuple[str, dict[str, Any]]] = {}
    for name in names:
        digest = results_repo.stamp_digest(stamps[name]) if stamps else ""
        if name in stored and stored[name][0] == digest:
            built.append(decode_monitor(stored[name][1]))
            continue
        try:
            monitor = compute_monitor(engine, name, inputs)
        except ArtifactMissing:
            missing.append(inputs.title(name))
            continue
        if not live:
            fresh[name] = (digest, encode_monitor(monitor))
        built.append(monitor)
    results_repo.save(engine, fresh)
    return built, missing


def store_model_monitors(engine: Engine, inputs: MonitorInputs) -> str:
    """Bring the stored monitors up to date (what the build calls after the KPI summary, and the page
    before it reads, at most once a minute per process).

    Returns:
        A short digest of every monitor's stamp in force (a cache key that changes with them).
    """
    names = monitored(inputs)
    markers = results_repo.read_markers(engine)
    stamps = {name: results_repo.stamp_digest(stamp_text(name, markers, inputs)) for name in names}
    if results_repo.load_stored_digests(engine, names) != stamps:
        model_monitors(engine, inputs)
    return hashlib.sha256(json.dumps(stamps, sort_keys=True).encode("utf-8")).hexdigest()[:16]
