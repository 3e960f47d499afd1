"""A busy machine changes how long a rule scan takes, never what it finds (``app/verify/rules.py``).

Each rule's budget is CPU time of the scanning thread. The ``regex`` module's timeout is wall-clock,
so a machine busy with other processes cuts tries off early; such a try is run again instead of
counting the rule as over budget (a loaded build once dropped SEX_DISCRIM this way, and its
held-out recall fell from 0.994 to 0.939). The load is simulated: ``patterns._remaining`` (which
turns a try's wall-clock deadline into the ``regex`` timeout) reports the deadline passed on a
seeded share of its calls, as it does when the process waits for a core longer than the budget.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import app.verify.patterns as patterns_module
from app.verify.evaluation import load_written_ads
from app.verify.rules import MAX_RULE_TIMEOUTS, RuleEngine, load_default_rules, parse_rule_set
from app.verify.verifier import AdVerifier

WRITTEN_DIR = Path(__file__).resolve().parents[2] / "bench" / "data" / "ads_written"
SLOW_TEXT = "a" * 60 + "!"
"""A line on which ``(a|aa)+$`` backtracks for ~1.5^60 steps (it never finishes)."""


class _BusyMachine:
    """``patterns._remaining`` on a machine where a seeded ``share`` of the wall-clock checks find the
    deadline passed although the thread used (almost) no CPU: another process had the core."""

    def __init__(self, share: float, seed: int = 7) -> None:
        self.share = share
        self.rng = np.random.default_rng(seed)
        self.cut_off = 0
        self._real = patterns_module._remaining

    def __call__(self, deadline: float) -> float:
        if self.rng.random() < self.share:
            self.cut_off += 1
            raise TimeoutError("rule time budget spent")
        return self._real(deadline)


@pytest.fixture(scope="module")
def written() -> pd.DataFrame:
    ads = load_written_ads(WRITTEN_DIR)
    # every category, lawful and unlawful, ~150 ads: enough hits of every rule to compare
    return ads.groupby(["category", "unlawful"], group_keys=False).head(4).reset_index(drop=True)


def _found(engine: RuleEngine, ads: pd.DataFrame) -> list[tuple]:
    out = []
    for title, body in zip(ads["title"], ads["body"], strict=True):
        scanned = engine.scan({"title": title, "body": body})
        out.append((tuple((h.rule_id, h.field, h.start, h.end) for h in scanned.hits), scanned.skipped))
    return out


def test_a_busy_machine_changes_no_hit_and_drops_no_rule(written: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = _found(RuleEngine(load_default_rules()), written)
    assert sum(len(hits) for hits, _ in quiet) > 50 and "SEX_DISCRIM" in {h[0] for hits, _ in quiet for h in hits}
    busy = _BusyMachine(share=0.02)
    monkeypatch.setattr(patterns_module, "_remaining", busy)
    engine = RuleEngine(load_default_rules())
    assert _found(engine, written) == quiet
    assert busy.cut_off > 100  # tries cut off by the wall clock: the old engine dropped a rule after 3
    assert not engine._timeouts  # and none counted against its rule: nothing is dropped for later ads


def test_the_verifier_decides_the_same_on_a_busy_machine(written: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    ads = written.assign(id=[str(i) for i in range(len(written))])
    verifier = AdVerifier(classifier=None, ml_threshold=0.5, index=None, minimum_wages={2026: 10_320})
    quiet = verifier.verify(ads, duplicates=False)
    monkeypatch.setattr(patterns_module, "_remaining", _BusyMachine(share=0.02, seed=11))
    busy = AdVerifier(classifier=None, ml_threshold=0.5, index=None, minimum_wages={2026: 10_320}).verify(ads, duplicates=False)
    assert [(v.decision, v.reasons(), v.notes) for v in busy] == [(v.decision, v.reasons(), v.notes) for v in quiet]
    assert {v.decision for v in quiet} >= {"pass", "block"}


def _slow_rules() -> RuleEngine:
    raw = load_default_rules().model_dump(mode="json")
    slow = {"id": "SLOW_RULE", "family": "platform", "name": "느린 규칙", "law": "직업안정법", "article": "제34조",
            "severity": "review", "patterns": ["(a|aa)+$"], "explanation": "역추적이 폭증하는 패턴을 가진 규칙입니다.",
            "fix": "패턴을 고치세요."}
    return RuleEngine(parse_rule_set({**raw, "rules": [*raw["rules"], slow]}), time_budget_s=0.05)


def test_a_pattern_that_really_uses_its_budget_is_still_skipped_on_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns_module, "_remaining", _BusyMachine(share=0.02))
    engine = _slow_rules()
    for _ in range(MAX_RULE_TIMEOUTS):
        scanned = engine.scan({"title": "상하차 직원", "body": f"남자만 지원\n{SLOW_TEXT}"})
        assert scanned.skipped == ("SLOW_RULE",) and [h.rule_id for h in scanned.hits] == ["SEX_DISCRIM"]
    assert engine.scan({"body": "배송 기사 aa"}).skipped == ("SLOW_RULE",)  # off for the engine's life, as before


def test_a_thread_that_never_gets_the_cpu_still_ends_its_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns_module, "_remaining", _BusyMachine(share=1.0))
    scanned = RuleEngine(load_default_rules(), cpu_clock=lambda: 0.0).scan({"title": "", "body": "남자만 지원"})
    assert scanned.hits == [] and "SEX_DISCRIM" in scanned.skipped  # over budget after its tries, not a hang


def test_an_engine_stored_before_the_cpu_budget_still_scans() -> None:
    import pickle

    engine = RuleEngine(load_default_rules())
    del engine.__dict__["_cpu_clock"]  # what a verifier pickled by an earlier build holds
    stored = pickle.loads(pickle.dumps(engine))
    assert [h.rule_id for h in stored.scan({"title": "", "body": "남자만 지원"}).hits] == ["SEX_DISCRIM"]
    assert stored._within_budget(lambda budget, _deadline: budget.spent()) is False  # the clock is there
