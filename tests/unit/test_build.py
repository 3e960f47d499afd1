"""``python -m app build``: world + registered artifacts + manifest, idempotent, and loaders that
name the rebuild command."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import Engine

from app.build import OutdatedWorld, run_build
from app.db.engine import make_engine
from app.db.repositories.world import read_world_meta
from app.ml import manifest, registry
from app.ml.market_wages import MARKET_WAGES_FILE, compute_market_wages
from app.world.params import WORLD_VERSION
from tests.conftest import copy_world_database


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


def _first_release_world(world_url: str, path) -> Engine:
    """A copy of the small world as the release before the world-version stamp wrote it: no stamp, and
    the interest items with their parameters in ``test_items``."""
    from sqlalchemy import text

    copy_world_database(world_url, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM world_meta WHERE key = 'world_version'"))
        for table in ("truth_environment_preferences", "truth_test_items", "interest_answers", "test_responses",
                      "test_items"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        conn.execute(text("CREATE TABLE test_items (id INTEGER PRIMARY KEY, scale VARCHAR(1), text VARCHAR(200), "
                          "discrimination FLOAT, threshold_1 FLOAT, threshold_2 FLOAT, threshold_3 FLOAT, "
                          "threshold_4 FLOAT)"))
        conn.execute(text("INSERT INTO test_items VALUES (1, 'R', '기계나 공구를 직접 다루어 무엇인가를 고친다', "
                          "1.5, -1.0, 0.0, 1.0, 2.0)"))
    return engine


def test_a_world_of_an_older_version_is_generated_anew(world_url, tmp_path, monkeypatch) -> None:
    from sqlalchemy import inspect

    monkeypatch.setattr(registry, "ARTIFACTS", ())  # the world only: no model is built
    engine = _first_release_world(world_url, tmp_path / "old.db")
    report = run_build(engine, tmp_path / "models", size="small", seed=7)
    assert report.world_generated and report.migrations == ()
    assert read_world_meta(engine)["world_version"] == WORLD_VERSION
    columns = {c["name"] for c in inspect(engine).get_columns("test_items")}
    assert {"item_code", "environment_code"} <= columns and "discrimination" not in columns
    again = run_build(engine, tmp_path / "models", size="small", seed=7)
    assert not again.world_generated


def test_an_older_world_holding_imported_records_is_kept_and_the_build_says_why(world_url, tmp_path,
                                                                                 monkeypatch) -> None:
    from sqlalchemy import text

    monkeypatch.setattr(registry, "ARTIFACTS", ())
    engine = _first_release_world(world_url, tmp_path / "imported.db")
    with engine.begin() as conn:
        conn.execute(text("UPDATE seekers SET source = 'import' WHERE id IN (SELECT id FROM seekers LIMIT 2)"))
    with pytest.raises(OutdatedWorld, match="공고·구직자 2건") as caught:
        run_build(engine, tmp_path / "models", size="small", seed=7)
    assert "--force" in caught.value.user_message
    assert "world_version" not in read_world_meta(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM seekers WHERE source = 'import'")).scalar_one() == 2
