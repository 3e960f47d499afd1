"""The verifier's evaluation data nobody here generated with the world (issue 13): the written set
covers every category with a rule that catches it; the real-ad labels keep ids and labels only."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from app.verify.evaluation import load_duplicate_pairs, load_real_labels, load_written_ads
from app.verify.rules import RuleEngine, load_default_rules

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = ROOT / "bench" / "data" / "ads_written"
EVALUATION = ROOT / "data" / "evaluation"
TRAINING = ROOT / "data" / "ad_training"


@pytest.fixture(scope="module")
def written() -> pd.DataFrame:
    return load_written_ads(WRITTEN)


def test_written_set_has_unlawful_ads_and_look_alikes_of_every_category(written: pd.DataFrame) -> None:
    rule_ids = {r.id for r in load_default_rules().rules}
    categories = set(written["category"]) - {"NONE"}
    assert len(written) >= 200 and written["id"].is_unique
    assert categories == rule_ids  # every text rule's category is written, and nothing else
    counts = written.groupby(["category", "unlawful"]).size().unstack()
    assert (counts.loc[sorted(categories), 1] >= 9).all() and (counts.loc[sorted(categories), 0] >= 6).all()


def test_every_category_has_a_rule_that_catches_it_in_the_written_set(written: pd.DataFrame) -> None:
    engine = RuleEngine(load_default_rules())
    unlawful = written[written["unlawful"] == 1]
    caught = {category: 0 for category in unlawful["category"].unique()}
    for ad in unlawful.itertuples():
        if ad.category in {h.rule_id for h in engine.match({"title": ad.title, "body": ad.body})}:
            caught[ad.category] += 1
    missing = sorted(c for c, n in caught.items() if n == 0)
    assert not missing, f"no rule catches any written ad of {missing}"


def test_real_ad_labels_keep_ids_and_labels_only() -> None:
    labels = load_real_labels(EVALUATION)
    assert list(labels.columns) == ["id", "source", "sample", "unlawful", "categories", "confidence"]
    assert labels["id"].is_unique and set(labels["unlawful"]) <= {0, 1}
    assert (labels["sample"] == "random").sum() == 300
    rule_ids = {r.id for r in load_default_rules().rules}
    named = {c for cell in labels["categories"] for c in cell.split(";") if c}
    assert named <= rule_ids
    assert ((labels["unlawful"] == 1) == (labels["categories"] != "")).all()
    pairs = load_duplicate_pairs(EVALUATION)
    assert list(pairs.columns) == ["id_a", "id_b", "same_position", "confidence"]
    assert set(pairs["same_position"]) == {0, 1} and len(pairs) >= 500


def test_training_sentences_name_rule_categories() -> None:
    rule_ids = {r.id for r in load_default_rules().rules}
    rows = [json.loads(line) for path in sorted(TRAINING.glob("*.jsonl")) for line in path.open(encoding="utf-8")]
    assert len(rows) >= 2000
    assert {r["category"] for r in rows} == rule_ids | {"NONE"}
    assert all(r["unlawful"] == 0 for r in rows if r["category"] == "NONE")
