"""Job-ad verification speed and memory; prints one JSON object.

* ``postings_per_s`` — rules, fixed checks and the classifier (with its applicability check) on
  10,000 postings of the demo world (8,000 stored + 2,000 re-numbered copies), two worker
  processes on this 2-core machine, pool start-up included; target ≥ 500.
* ``dedup_100k_s`` / ``dedup_peak_mb`` — near-duplicate clusters over 100,000 postings, built
  from the demo world's sections recombined (so they are distinct ads of realistic length) plus
  500 planted near-copies (re-spaced, a line changed); time, and the peak of memory allocated
  during a second run (tracemalloc, which numpy reports to; the corpus itself is not counted);
  target ≤ 60 s and bounded memory.
  ``dedup_planted_recall`` is the share of planted copies found with their source.

Uses the built demo model and database (``python -m app build`` first).
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from app.config import get_settings
from app.db import orm
from app.db.engine import make_engine
from app.verify.duplicates import find_duplicates
from app.verify.verifier import load_ad_verifier, load_stored_ads, verify_many

SECTIONS = ("company_intro", "duties", "requirements", "preferred", "conditions", "benefits", "process", "documents")


def throughput(engine: object) -> float:
    """Postings per second of rules + checks + classifier on 10,000 postings, 2 processes."""
    verifier = load_ad_verifier(get_settings().models_dir)
    ads = load_stored_ads(engine)
    extra = ads.head(10_000 - len(ads)).assign(id=lambda f: "copy-" + f["id"]) if len(ads) < 10_000 else ads.head(0)
    batch = pd.concat([ads, extra], ignore_index=True).head(10_000)
    started = time.perf_counter()
    verify_many(verifier, batch, duplicates=False, explain=False)
    return len(batch) / (time.perf_counter() - started)


def synthetic_corpus(engine: object, n: int = 100_000, planted: int = 500, seed: int = 7) -> tuple[list[str], list[tuple[int, int]]]:
    """``n`` distinct ads recombined from the world's sections, with ``planted`` near-copies."""
    with engine.connect() as conn:  # type: ignore[attr-defined]
        frame = pd.DataFrame(conn.execute(select(orm.Posting.title, *(getattr(orm.Posting, s) for s in SECTIONS))).mappings().all())
    rng = np.random.default_rng(seed)
    m = len(frame)
    columns = {s: frame[s].fillna("").to_numpy() for s in SECTIONS}
    titles = frame["title"].to_numpy()
    texts: list[str] = []
    for _ in range(n - planted):
        picks = rng.integers(0, m, len(SECTIONS) + 1)
        parts = [titles[picks[0]]] + [columns[s][p] for s, p in zip(SECTIONS, picks[1:], strict=True)]
        texts.append("\n".join(p for p in parts if p))
    pairs = []
    for _ in range(planted):
        source = int(rng.integers(0, len(texts)))
        copy = texts[source].replace("\n", "\n ", 1) + "\n(재공고)"
        pairs.append((source, len(texts)))
        texts.append(copy)
    return texts, pairs


def dedup(engine: object) -> dict[str, float]:
    """Time, peak memory and planted-copy recall of duplicate detection over 100,000 ads."""
    texts, planted = synthetic_corpus(engine)
    started = time.perf_counter()
    result = find_duplicates(texts)
    seconds = time.perf_counter() - started
    # memory in a second, untimed run: tracemalloc slows every allocation down
    tracemalloc.start()
    find_duplicates(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    found = sum(1 for a, b in planted if result.labels[a] >= 0 and result.labels[a] == result.labels[b])
    return {"dedup_100k_s": round(seconds, 1), "dedup_peak_mb": round(peak / 2**20, 1),
            "dedup_planted_recall": round(found / len(planted), 4), "dedup_clusters": len(result.clusters()),
            "dedup_postings": len(texts)}


def main() -> int:
    engine = make_engine(get_settings().db_url)
    result = {"postings_per_s": round(throughput(engine))}
    result.update(dedup(engine))
    result["targets"] = {"postings_per_s": 500, "dedup_100k_s": 60}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
