"""The labelled PII set of ``bench/pii_quality.py``: well-formed, covering every kind, and masked to target.

The quality figures themselves are printed by the bench; this test guards the set's shape and
keeps the masker from falling below the issue's targets on it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from app.text.pii import PII_KINDS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "pii_labelled.jsonl"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("pii_quality", ROOT / "bench" / "pii_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_set_is_well_formed_and_covers_every_kind(records: list[dict]) -> None:
    assert len(records) >= 300
    assert len({r["id"] for r in records}) == len(records)
    assert {r["split"] for r in records} == {"tune", "holdout", "review"}
    kinds = set()
    for record in records:
        for span in record["pii"] + record["lookalikes"]:
            assert record["text"][span["start"]:span["start"] + len(span["text"])] == span["text"]
        kinds |= {span["kind"] for span in record["pii"]}
    assert kinds == set(PII_KINDS)
    assert sum(len(r["lookalikes"]) for r in records) >= 100


def test_kept_mask_and_hidden_rules(bench) -> None:
    kept = bench.kept_mask("010-1234-5678", "010-****-5678")
    assert kept == [True] * 4 + [False] * 4 + [True] * 5
    assert bench.hidden("phone", "010-1234-5678", kept)
    assert not bench.hidden("phone", "010-1234-5678", [True] * 13)
    assert bench.hidden("birth_date", "1988-08-06", bench.kept_mask("1988-08-06", "1988-**-**"))
    assert not bench.hidden("birth_date", "1988-08-06", bench.kept_mask("1988-08-06", "1988-08-**"))
    assert bench.hidden("email", "asuk_lee", bench.kept_mask("asuk_lee", "as***"))
    assert not bench.hidden("rrn", "880806-1234567", bench.kept_mask("880806-1234567", "880806-*******"))


def test_masker_meets_the_targets_on_the_tune_split(records: list[dict], bench) -> None:
    result = bench.evaluate([r for r in records if r["split"] == "tune"])
    assert result["recall"] >= 0.98
    assert result["over_masking_rate"] <= 0.02


def test_masker_handles_the_security_review_split(records: list[dict], bench) -> None:
    """The review's snippets and variants: all but the unlabelled name ("전 회사 동료 김철수") hidden,
    and none of the titles, codes and company lines it listed masked."""
    result = bench.evaluate([r for r in records if r["split"] == "review"])
    assert result["pii_spans"] >= 40 and result["lookalike_spans"] >= 20
    assert result["recall"] >= 0.97
    assert result["over_masking_rate"] == 0.0


def test_invisible_characters_in_the_sources_are_escaped(records: list[dict]) -> None:
    texts = {r["id"]: r["text"] for r in records if r["split"] == "review"}
    assert any("\u200b" in t for t in texts.values()) and any("\xad" in t for t in texts.values())
