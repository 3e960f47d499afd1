"""Quality of talent recommendation against the world's matching truth, on a freshly generated world.

The matcher is built as ``python -m app build`` builds it (indexes over every seeker; the ranker
and the hire model trained on the earliest 80 % of postings by opening date). On the later 20 %,
for every posting with a hire among its applicants (the held-out hires):

* **ours** — the pool of people looking for work when it opened, the four retrieval sources, the
  ranker; an applicant retrieval missed counts as missed;
* **oracle** — the same pool ranked by the truth (``app.world.match_oracle``: apply utility + hire
  utility, the weights that drew who applied and who was hired), which no model can see.

Both are graded the same way: nDCG@10 with grade 2 for the hire and 1 for the other applicants,
Recall@10 of the hire. ``ndcg_ratio`` = ours / oracle (target ≥ 0.90). ``ablation`` retrains the
ranker without each feature group (retrieval unchanged) and reports its nDCG@10 and Recall@10.

Prints one JSON object: ``ndcg10``, ``ndcg10_oracle``, ``ndcg_ratio``, ``recall10``,
``recall10_oracle``, ``ablation``, plus sizes and timings.

Usage: ``python bench/talent_quality.py [--size demo] [--seed 11]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from lightgbm import LGBMRanker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db.engine import make_engine  # noqa: E402
from app.ml import talent  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.world.generate import generate_world  # noqa: E402
from app.world.match_oracle import oracle_scores_matrix  # noqa: E402

K = 10
GROUPS: dict[str, tuple[str, ...]] = {
    "lexical": ("lexical",),
    "dense": ("dense",),
    "structured": ("occupation_exact", "occupation_last", "occupation_middle", "occupation_major", "skill_share",
                   "certificates", "region_same", "region_desired", "region_flexible", "career_gap", "career_short",
                   "wage_ratio", "education_gap", "occupation_last_middle", "fulltime_wage_ratio", "weekly_hours",
                   "career_rule"),
    "history": ("collaborative", "past_applications", "past_type_share", "past_hours_gap", "past_region_share",
                "past_field_share"),
    "popularity": ("activity",),
}
"""Feature groups of the ablation (the issue's lexical, dense, structured, history and popularity)."""
assert sorted(f for g in GROUPS.values() for f in g) == sorted(talent.FEATURES), "every feature in one group"


def _grade_metrics(ranked_grades: np.ndarray, all_grades: np.ndarray) -> tuple[float, float]:
    """nDCG@10 and Recall@10 of the hire for one ranked list of grades (2 hire, 1 applicant, 0 other)."""
    ndcg = talent.ndcg_at(ranked_grades[:K], -np.arange(min(K, len(ranked_grades)), dtype=float), K,
                          ideal=all_grades)
    return ndcg, float((ranked_grades[:K] == 2).any())


def _ours(ranker: LGBMRanker, test: talent.RankingExamples, columns: list[int] | None = None) -> tuple[float, float]:
    ndcgs, recalls = [], []
    for feats, labels, posting_id in zip(test.features, test.labels, test.posting_ids, strict=True):
        graded = test.grades[posting_id]
        if 2 not in graded.values():
            continue
        x = feats if columns is None else feats[:, columns]
        score = ranker.booster_.predict(x) if len(x) else np.empty(0)
        ranked = labels[np.argsort(-score, kind="stable")]
        ndcg, recall = _grade_metrics(ranked, np.array(list(graded.values()), dtype=float))
        ndcgs.append(ndcg)
        recalls.append(recall)
    return float(np.mean(ndcgs)), float(np.mean(recalls))


def _oracle(engine, matcher: talent.TalentMatcher, test: talent.RankingExamples, days: dict[int, int]) -> tuple[float, float]:
    ndcgs, recalls = [], []
    for posting_id in test.posting_ids:
        graded = test.grades[posting_id]
        if 2 not in graded.values():
            continue
        pool = matcher.pool(days[posting_id])
        ids = matcher.seekers.ids[pool]
        truth = oracle_scores_matrix(engine, [posting_id], ids.tolist())[0]
        order = np.argsort(-np.nan_to_num(truth, nan=-np.inf), kind="stable")[:K]
        ranked = np.array([graded.get(int(i), 0) for i in ids[order]], dtype=float)
        ndcg, recall = _grade_metrics(ranked, np.array(list(graded.values()), dtype=float))
        ndcgs.append(ndcg)
        recalls.append(recall)
    return float(np.mean(ndcgs)), float(np.mean(recalls))


def main() -> None:
    """Generate a world, build and grade the matcher, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="demo", choices=("small", "demo"))
    parser.add_argument("--seed", type=int, default=11, help="world seed (the demo world uses 7: a fresh one by default)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'world.db'}")
        generate_world(engine, size=args.size, seed=args.seed)
        generated = time.perf_counter()
        ref = load_reference()
        matcher, postings, tokens, pairs = talent.fit_matcher_indexes(engine, ref, args.seed)
        grades = talent.grades_by_posting(pairs)
        with_history = [i for i, p in enumerate(matcher.posting_ids) if int(p) in grades]
        cut = int(0.8 * len(with_history))
        train = talent.ranking_examples(matcher, postings, tokens, with_history[:cut], grades, ref,
                                 np.random.default_rng(args.seed))
        test = talent.ranking_examples(matcher, postings, tokens, with_history[cut:], grades, ref, None)
        talent.fit_ranker_and_hire_model(matcher, train, args.seed)
        built = time.perf_counter()
        days = {int(p): int(d) for p, d in zip(matcher.posting_ids, matcher.posting_days, strict=True)}
        ndcg, recall = _ours(matcher.ranker, test)
        ndcg_oracle, recall_oracle = _oracle(engine, matcher, test, days)
        ablation = {}
        for group, names in GROUPS.items():
            keep = [i for i, f in enumerate(talent.FEATURES) if f not in names]
            reduced = talent.RankingExamples(features=[f[:, keep] for f in train.features], labels=train.labels)
            ranker = LGBMRanker(**matcher.ranker.get_params())
            ranker.fit(np.vstack(reduced.features), np.concatenate(reduced.labels).astype(int),
                       group=[len(labels) for labels in reduced.labels])
            a_ndcg, a_recall = _ours(ranker, test, keep)
            ablation[f"without_{group}"] = {"ndcg10": round(a_ndcg, 4), "recall10": round(a_recall, 4)}
        n_hires = sum(1 for p in test.posting_ids if 2 in test.grades[p].values())
        engine.dispose()
    print(json.dumps({
        "size": args.size, "seed": args.seed,
        "ndcg10": round(ndcg, 4), "ndcg10_oracle": round(ndcg_oracle, 4),
        "ndcg_ratio": round(ndcg / ndcg_oracle, 4) if ndcg_oracle else None,
        "recall10": round(recall, 4), "recall10_oracle": round(recall_oracle, 4),
        "ablation": ablation,
        "test_postings_with_hire": n_hires, "train_postings": cut,
        "generate_seconds": round(generated - started, 1), "build_seconds": round(built - generated, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
