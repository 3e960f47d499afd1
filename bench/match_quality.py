"""Quality of the matching recommender (``python -m app match``) on the demo world's application log,
split the way the command's real evaluation splits it: a fifth of each candidate's applications
held out, Recall@5 in both directions. Baselines on the same split: popularity and user-based
collaborative filtering (cosine over the application matrix, 50 neighbours).

Variants of the job text: ``prose`` (title and duties as written) and ``codes`` (every word of the
title, duties and requirements replaced by an opaque code token, as on boards that store postings
as keyword codes), so the method is seen to rely on no shared vocabulary.

Prints one JSON object: per variant and direction ``recall5`` (ours), ``recall5_user_cf``,
``recall5_popularity``, ``learned``, ``seconds``.

Usage: ``python bench/match_quality.py [--db data/goyong.db] [--max-candidates 10000]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.match.recommend import Side, holdout_split, recommend, tokens  # noqa: E402
from app.reference.names import occupation_names, region_short  # noqa: E402

SEED = 7
K = 5


def _code(token: str) -> str:
    return "c" + hashlib.sha1(token.encode()).hexdigest()[:6]


def load_world(db: Path, max_candidates: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    con = sqlite3.connect(db)
    try:
        seekers = pd.read_sql("select id, skills, desired_keco, desired_region_code, career_years, desired_wage from seekers", con)
        postings = pd.read_sql("select id, title, duties, requirements, keco_code, region_code, min_career_years, "
                               "wage_monthly from postings", con)
        apps = pd.read_sql("select seeker_id, posting_id from applications", con)
    finally:
        con.close()
    active = apps["seeker_id"].value_counts()
    keep = active.index[:max_candidates]
    seekers = seekers[seekers["id"].isin(keep)]
    apps = apps[apps["seeker_id"].isin(seekers["id"])]
    return seekers, postings, apps


def sides(seekers: pd.DataFrame, postings: pd.DataFrame, variant: str) -> tuple[Side, Side]:
    cand = Side(
        ids=seekers["id"].astype(str).tolist(),
        text=[f"{s} {occupation_names(k)[0]}" for s, k in zip(seekers["skills"], seekers["desired_keco"], strict=True)],
        occupation=[occupation_names(k)[0] for k in seekers["desired_keco"]],
        region=[region_short(r) for r in seekers["desired_region_code"]],
        career_months=(seekers["career_years"].to_numpy(float) * 12),
        wage=seekers["desired_wage"].to_numpy(float),
    )
    if variant == "prose":
        job_text = (postings["title"] + " " + postings["duties"]).tolist()
    else:
        job_text = [" ".join(_code(t) for t in tokens(f"{a} {b} {c}"))
                    for a, b, c in zip(postings["title"], postings["duties"], postings["requirements"], strict=True)]
    jobs = Side(
        ids=postings["id"].astype(str).tolist(), text=job_text,
        occupation=[occupation_names(k)[0] for k in postings["keco_code"]],
        region=[region_short(r) for r in postings["region_code"]],
        career_months=postings["min_career_years"].to_numpy(float) * 12,
        wage=postings["wage_monthly"].to_numpy(float),
    )
    return cand, jobs


def split(apps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return holdout_split(apps.rename(columns={"seeker_id": "candidate_id", "posting_id": "job_id"}).astype(str), SEED)


def recall_at_k(recs: pd.DataFrame, held: pd.DataFrame, query: str, item: str) -> float:
    truth = held.groupby(query)[item].apply(set)
    top = recs[recs["rank"] <= K].groupby("query_id")["item_id"].apply(set)
    scores = [len(top.get(q, set()) & items) / min(K, len(items)) for q, items in truth.items()]
    return float(np.mean(scores)) if scores else 0.0


def baselines(train: pd.DataFrame, held: pd.DataFrame, query: str, item: str) -> dict[str, float]:
    """Popularity and user-based CF (cosine, 50 neighbours) on the same split."""
    q_ids = sorted(set(train[query]) | set(held[query]))
    i_ids = sorted(set(train[item]) | set(held[item]))
    qi = {q: n for n, q in enumerate(q_ids)}
    ii = {v: n for n, v in enumerate(i_ids)}
    h = sp.csr_matrix((np.ones(len(train), np.float32), (train[query].map(qi), train[item].map(ii))),
                      shape=(len(q_ids), len(i_ids)))
    h.data[:] = 1
    pop = np.asarray(h.sum(axis=0)).ravel()
    hn = normalize(h)
    wanted = sorted(set(held[query]))
    rows_pop, rows_cf = [], []
    for start in range(0, len(wanted), 1000):
        rows = np.array([qi[q] for q in wanted[start:start + 1000]])
        sim = (hn[rows] @ hn.T).toarray()
        sim[np.arange(len(rows)), rows] = 0
        idx = np.argpartition(-sim, min(50, sim.shape[1] - 1), axis=1)[:, :50]
        mask = np.zeros_like(sim)
        np.put_along_axis(mask, idx, 1, axis=1)
        score = (sp.csr_matrix(sim * mask) @ h).toarray()
        seen = h[rows].toarray() > 0
        for local, r in enumerate(rows):
            for table, values in ((rows_cf, score[local]), (rows_pop, pop.astype(float))):
                v = values.copy()
                v[seen[local]] = -np.inf
                top = np.argsort(-v, kind="stable")[:K]
                table += [(q_ids[r], rank + 1, i_ids[t]) for rank, t in enumerate(top)]
    cols = ["query_id", "rank", "item_id"]
    return {"recall5_user_cf": recall_at_k(pd.DataFrame(rows_cf, columns=cols), held, query, item),
            "recall5_popularity": recall_at_k(pd.DataFrame(rows_pop, columns=cols), held, query, item)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "goyong.db")
    parser.add_argument("--max-candidates", type=int, default=10_000)
    parser.add_argument("--variants", default="prose,codes")
    args = parser.parse_args()
    seekers, postings, apps = load_world(args.db, args.max_candidates)
    train, held = split(apps)
    out: dict[str, object] = {"candidates": len(seekers), "jobs": len(postings), "applications": len(apps),
                              "held_out": len(held)}
    for variant in args.variants.split(","):
        cand, jobs = sides(seekers, postings, variant)
        for direction, query, item in (("candidates", "candidate_id", "job_id"), ("jobs", "job_id", "candidate_id")):
            started = time.perf_counter()
            result = recommend(cand, jobs, train, direction=direction, top=K)
            seconds = time.perf_counter() - started
            figures = {"recall5": round(recall_at_k(result.table, held, query, item), 4), "learned": result.learned,
                       "seconds": round(seconds, 1)}
            figures.update({k: round(v, 4) for k, v in baselines(train, held, query, item).items()})
            out[f"{variant}.{direction}"] = figures
            print(json.dumps({f"{variant}.{direction}": figures}, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
