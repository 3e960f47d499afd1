"""``python -m app build``: world + registered artifacts + manifest, idempotent, and loaders that
name the rebuild command."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from app.build import run_build
from app.db.engine import make_engine
from app.db.repositories.world import read_world_meta
from app.ml import manifest, registry
from app.ml.market_wages import MARKET_WAGES_FILE, compute_market_wages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("build")
    engine = make_engine(f"sqlite:///{root / 'world.db'}")
    models = root / "models"
    first = run_build(engine, models, size="small", seed=7)
    return engine, models, first


def test_first_build_generates_the_world_and_every_artifact(built) -> None:
    engine, models, first = built
    assert first.world_generated
    assert set(first.built) == {spec.name for spec in registry.ARTIFACTS}
    manifest = json.loads((models / "manifest.json").read_text(encoding="utf-8"))
    meta = read_world_meta(engine)
    assert manifest["world"]["fingerprint"] == meta["fingerprint"]
    assert manifest["world"]["rows"]["postings"] == 400
    assert 0.0 < manifest["world"]["calibration"]["unfilled_rate"] < 0.3
    entry = manifest["models"]["market_wages"]
    assert entry["data_fingerprint"] == meta["fingerprint"]
    assert entry["files"] == [MARKET_WAGES_FILE]
    assert (models / MARKET_WAGES_FILE).exists()
    assert "numpy" in manifest["libraries"]


def test_second_build_changes_nothing(built) -> None:
    engine, models, first = built
    again = run_build(engine, models, size="small", seed=7)
    assert not again.world_generated
    assert again.built == ()
    assert set(again.skipped) == set(first.built)
    assert again.manifest["world"]["fingerprint"] == first.manifest["world"]["fingerprint"]


def test_a_missing_artifact_file_is_rebuilt(built) -> None:
    engine, models, _ = built
    (models / MARKET_WAGES_FILE).unlink()
    again = run_build(engine, models, size="small", seed=7)
    assert "market_wages" in again.built
    assert not again.world_generated


def test_market_wages_track_the_true_market_wage(built) -> None:
    _, _, first = built
    # Even the small world's 400 postings estimate the true occupation×region wage within 15 %.
    assert first.manifest["models"]["market_wages"]["metrics"]["median_ape_vs_truth"] < 0.15


def test_shrinkage_pulls_thin_cells_towards_the_occupation() -> None:
    postings = pd.DataFrame(
        {
            "keco_code": ["531"] * 21,
            "region_code": ["11"] * 20 + ["50"],
            "wage_fte": [3_000_000.0] * 20 + [6_000_000.0],
        }
    )
    table = compute_market_wages(postings).set_index("region_code")["market_wage"]
    assert table["11"] < 3_200_000
    assert 3_000_000 < table["50"] < 4_500_000  # one posting at 6M is pulled well below 6M


def test_missing_manifest_names_the_build_command(tmp_path) -> None:
    with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
        manifest.artifact_path(tmp_path, "market_wages", MARKET_WAGES_FILE)


def test_artifacts_are_listed_once_each_after_what_they_need() -> None:
    registry.check_order(registry.ARTIFACTS)
    names = [spec.name for spec in registry.ARTIFACTS]
    assert names.index("market_wages") < names.index("hiring") and names.index("market_wages") < names.index("employment")
    spec = registry.ARTIFACTS[0]
    twice = manifest.ArtifactSpec(name=spec.name, version=spec.version + "-other", title="x", build=spec.build)
    with pytest.raises(ValueError, match="twice"):
        registry.check_order((*registry.ARTIFACTS, twice))
    early = manifest.ArtifactSpec(name="early", version="1", title="x", build=spec.build, needs=("hiring",))
    with pytest.raises(ValueError, match="needs"):
        registry.check_order((early, *registry.ARTIFACTS))
