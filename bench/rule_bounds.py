"""Rule-pattern bounds (issue 12): what the backtracking guard costs and what it saves; prints JSON.

* ``rules_ads_per_s`` — :meth:`RuleEngine.scan` (all text rules, time-bounded ``regex``) over the
  demo world's postings (title and body), one process.
* ``probe_shipped_s`` — :func:`parse_rule_set` of the shipped rules with ``refuse_backtracking``
  (what the editor's save and test box add).
* ``refuse_catastrophic_s`` — time to refuse ``(a|aa)+$`` when it is written.
* ``slow_rule_batch_s`` / ``slow_rule_skipped`` — 1,000 ads, each with a line on which a stored
  ``(a|aa)+$`` never finishes: the whole batch's rule matching (the rule is over budget on a few
  ads, then skipped) and how many ads report it skipped. Without the bound the first ad never ends.

Uses the demo database (``python -m app build`` first).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings
from app.db.engine import make_engine
from app.verify.rules import InvalidRules, RuleEngine, default_rules_path, load_default_rules, parse_rule_set
from app.verify.verifier import load_stored_ads


def main() -> None:
    engine = make_engine(get_settings().db_url)
    ads = load_stored_ads(engine)
    engine.dispose()
    rules = load_default_rules()
    matcher = RuleEngine(rules)
    fields = [{"title": str(t), "body": str(b)} for t, b in zip(ads["title"], ads["body"], strict=True)]
    matcher.scan(fields[0])  # Kiwi loads on the first trigger line
    started = time.perf_counter()
    for ad in fields:
        matcher.scan(ad)
    per_s = len(fields) / (time.perf_counter() - started)

    text = default_rules_path().read_text(encoding="utf-8")
    started = time.perf_counter()
    parse_rule_set(text, refuse_backtracking=True)
    probe_s = time.perf_counter() - started

    data = yaml.safe_load(text)
    data["rules"][0]["patterns"].append("(a|aa)+$")
    started = time.perf_counter()
    try:
        parse_rule_set(data, refuse_backtracking=True)
        refused = False
    except InvalidRules:
        refused = True
    refuse_s = time.perf_counter() - started

    slow = RuleEngine(parse_rule_set(data))
    bad_ads = [{"title": "상하차 직원", "body": f"남자만 지원\n{'a' * 60}!"}] * 1000
    started = time.perf_counter()
    skipped = sum(1 for ad in bad_ads if slow.scan(ad).skipped)
    slow_s = time.perf_counter() - started

    print(json.dumps({
        "postings": len(fields), "rules_ads_per_s": round(per_s, 1), "probe_shipped_s": round(probe_s, 3),
        "refuse_catastrophic_s": round(refuse_s, 3), "catastrophic_refused": refused,
        "slow_rule_batch_s": round(slow_s, 3), "slow_rule_skipped": skipped,
    }))


if __name__ == "__main__":
    main()
