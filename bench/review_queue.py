"""Speed of the review queue (구인광고 검증 대기열) on the demo world: what the page computes, without
the browser. Prints JSON.

Steps, each on a private copy of the database and the models (nothing of the demo world changes):

* ``cold_s``: a fresh process (a server restart): load the verifier with the rules in force, the
  verdicts of every stored posting, the queue and the first posting's detail;
* ``warm_s``: the same again in that process (the next visitor);
* ``rename_rule_s``: a rule renamed and its fix reworded (only how hits are reported changes);
* ``pattern_rule_s``: a pattern added to one rule (that rule runs again on every posting);
* ``cold_after_change_s``: a fresh process after those changes (the verdicts are read back).

Usage::

    python bench/review_queue.py [--db data/goyong.db] [--models models]

Run it with ``PYTHONPATH`` at another checkout to measure that code on the same data (the
``before`` figures): code without kept verdicts verifies every posting again under new rules.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("PYTHONPATH"):  # another checkout's code when PYTHONPATH names it (the "before" figures)
    sys.path.insert(0, str(ROOT))


def _page_work(engine, verifier, models_dir: Path, memory: dict) -> tuple[float, int]:  # noqa: ANN001
    """What the queue page computes before it draws: (seconds, postings in the queue)."""
    from app.services import ads

    started = time.perf_counter()
    try:
        checks = ads.stored_verdicts(engine, verifier, models_dir=models_dir, memory=memory,
                                     build_checks=ads.load_stored_checks(models_dir))
    except TypeError:  # code before kept verdicts: (engine, verifier, build_checks)
        checks = ads.stored_verdicts(engine, verifier, ads.load_stored_checks(models_dir))
    titles = ads.load_stored_ads(engine)[["posting_id", "title", "employer_name", "employer_id"]]
    queue = ads.review_queue(checks, ads.load_reviews(engine), titles, ads.QueueFilter())
    try:
        ads.queue_table(queue, verifier.rules)
    except TypeError:
        ads.queue_table(queue)
    ads.posting_verdict(engine, verifier, int(queue["posting_id"].iloc[0]))
    return time.perf_counter() - started, len(queue)


def _step(db: Path, models: Path, step: str) -> dict[str, float]:
    from app.db.engine import make_engine
    from app.services import ads

    engine = make_engine(f"sqlite:///{db}")
    started = time.perf_counter()
    built = ads.load_ad_verifier(models)  # the page keeps it loaded (st.cache_resource) across rule changes
    verifier = built.with_rules(ads.active_rules(engine))
    loaded = time.perf_counter() - started
    memory: dict = {}
    seconds, n_queue = _page_work(engine, verifier, models, memory)
    out = {"verifier_load_s": round(loaded, 2), "cold_s": round(loaded + seconds, 2), "n_queue": n_queue}
    if step == "restart":
        return {"cold_after_change_s": out["cold_s"], "n_queue_after_change": n_queue}
    out["warm_s"] = round(_page_work(engine, verifier, models, memory)[0], 2)
    for name, old, new in (
        ("rename_rule_s", "name: 성별 차별\n", "name: 성별에 따른 차별\n"),
        ("pattern_rule_s", "\n  - (19|20)\\d{2}년(", "\n  - (?<!\\d)만?[2-6]\\d세미만만\n  - (19|20)\\d{2}년("),
    ):
        text = verifier.rules.to_yaml()
        assert old in text, name
        ads.save_rules(engine, text.replace(old, new, 1), username="bench", note=f"bench {name}")
        started = time.perf_counter()
        verifier = built.with_rules(ads.active_rules(engine))
        out[name] = round(time.perf_counter() - started + _page_work(engine, verifier, models, memory)[0], 2)
    return out


def main() -> None:
    """Run the steps in fresh processes on private copies; print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "goyong.db")
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    parser.add_argument("--step", choices=("first", "restart"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(_step(args.db, args.models, args.step)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        db, models = Path(tmp) / "goyong.db", Path(tmp) / "models"
        shutil.copyfile(args.db, db)
        shutil.copytree(args.models, models, ignore=shutil.ignore_patterns("cache"))
        result: dict[str, float] = {}
        for step in ("first", "restart"):
            done = subprocess.run([sys.executable, __file__, "--db", str(db), "--models", str(models), "--step", step],
                                  check=True, capture_output=True, text=True, env={**os.environ})
            result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
