"""Rule patterns cannot hang verification (issue 12, point 8): the editor refuses catastrophically
backtracking patterns before they are saved or tried, a version stored before that check still
loads and verifies with the slow rule skipped and noted, and the time-bounded engine (``regex``)
finds exactly what ``re`` found with the shipped rules on the small world's postings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.repositories import ads as ads_repo
from app.db.repositories import unit_of_work
from app.services import ads
from app.verify.normalize import compact
from app.verify.patterns import compile_bounded
from app.verify.rules import InvalidRules, RuleMatch, load_default_rules
from app.verify.verifier import AdVerifier, load_stored_ads
from tests.conftest import copy_world_database

SLOW_PATTERN = "(a|aa)+$"
SLOW_TEXT = "a" * 60 + "!"
NOTE = "규칙 변경 시험입니다"


@pytest.fixture
def store(world_url: str, tmp_path: Path) -> Engine:
    """A copy of the small world without saved rule versions (this module writes some)."""
    path = copy_world_database(world_url, tmp_path / "rules.db", empty=("ad_rule_versions",))
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _slow_yaml() -> str:
    """The committed rules with a pathological pattern added to SEX_DISCRIM."""
    data = yaml.safe_load(load_default_rules().to_yaml())
    sex = next(r for r in data["rules"] if r["id"] == "SEX_DISCRIM")
    sex["patterns"].append(SLOW_PATTERN)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _versions(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("select count(*) from ad_rule_versions")).scalar_one())


def test_saving_a_catastrophic_pattern_is_refused_and_writes_nothing(store: Engine) -> None:
    with pytest.raises(InvalidRules) as info:
        ads.save_rules(store, _slow_yaml(), username="policy-bounds", note=NOTE)
    assert info.value.user_message.startswith("[rules.0.patterns] 정규식이 특정 문장에서 끝나지 않을 만큼 오래 걸립니다")
    assert repr(SLOW_PATTERN) in info.value.user_message
    assert _versions(store) == 0 and ads.active_rules(store) == load_default_rules()


def test_the_test_box_refuses_a_catastrophic_pattern_instead_of_running_it() -> None:
    verifier = AdVerifier(classifier=None, ml_threshold=0.5, index=None, minimum_wages={2026: 10_320})
    with pytest.raises(InvalidRules, match=re.escape(repr(SLOW_PATTERN))):
        ads.try_rules(verifier, _slow_yaml(), "상하차", f"남자만 지원\n{SLOW_TEXT}")


def test_a_stored_version_with_a_catastrophic_pattern_loads_and_verifies_with_the_rule_skipped(store: Engine) -> None:
    # as saved before the probe existed: straight into the table, version 2
    with unit_of_work(store) as uow:
        ads_repo.add_rule_version(uow, version=2, username="policy-old", note="예전 버전", rules_yaml=_slow_yaml(),
                                  changed_rules="SEX_DISCRIM")
    rules = ads.active_rules(store)
    assert SLOW_PATTERN in rules.by_id()["SEX_DISCRIM"].patterns
    verifier = AdVerifier(classifier=None, ml_threshold=0.5, index=None, minimum_wages={2026: 10_320}, rules=rules)
    ad = {"title": "상하차 직원", "wage_type": "hourly", "wage": 11_000, "hours_per_week": 40, "year": 2026,
          "employer_name": "(주)한빛상사", "contact": "02-555-0101"}
    slow, normal = verifier.verify(pd.DataFrame([{**ad, "id": "1", "body": f"나이 30세 이하만 지원\n{SLOW_TEXT}"},
                                                 {**ad, "id": "2", "body": "남자만 지원"}]), duplicates=False)
    assert slow.notes == (RuleMatch(skipped=("SEX_DISCRIM",)).skipped_note,)
    assert [h.rule_id for h in slow.hits] == ["AGE_DISCRIM"] and slow.decision == "review"  # the other rules still apply
    assert [h.rule_id for h in normal.hits] == ["SEX_DISCRIM"] and normal.notes == ()


def test_bounded_engine_finds_exactly_what_re_found_on_the_worlds_postings(world_url: str) -> None:
    engine = make_engine(world_url)
    try:
        stored = load_stored_ads(engine)
    finally:
        engine.dispose()
    lines = [compact(str(t)).text for t in (*stored["title"], *stored["body"]) if t]
    rules = load_default_rules()
    sources = [
        "|".join(f"(?:{p})" for p in patterns)
        for rule in rules.rules
        for patterns in (rule.patterns, rule.exceptions, *((m.trigger,) for m in rule.morphemes))
        if patterns
    ]
    compared = hits = 0
    for source in sources:
        old, new = re.compile(source), compile_bounded(source)
        for line in lines:
            expected = [m.span() for m in old.finditer(line)]
            assert [m.span() for m in new.finditer(line, timeout=5)] == expected, (source, line)
            compared += 1
            hits += len(expected)
    assert compared == len(sources) * len(lines) and len(lines) > 100 and hits > 100
