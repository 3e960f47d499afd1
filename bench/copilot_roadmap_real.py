"""Career roadmap (경력 로드맵) edge weights on real data; prints one JSON object of aggregates.

1. ``dictionary_related`` — do the roadmap's skill-overlap weights (:mod:`app.copilot.roadmap`) rank the
   한국직업사전's related occupations high? ``../shared/data/korean_job_dictionary/job_dictionary_detail.csv.gz``
   has, per entry, ``dJobECd`` — a KECO **2018** 세분류 code of 4 digits ("0111"), not our 3-digit
   KECO 2025 소분류: it is mapped with :func:`app.reference.build.keco.keco2018_to_2025` (first three
   digits, with the crosswalk's overrides; 성직자 has no 2025 counterpart and is dropped), as the
   reference build does — and ``connectJob`` (관련 직업: job names, "…에 따라" context and a trailing
   "등" removed). A related job name is resolved **exactly** (spaces ignored) to a 소분류: a 직업사전
   entry name (``dJobNm``), else an alias (``similarNm``) that names one 소분류 only, else a KECO 2025
   소분류/세분류 name. (Suffix matching would resolve far more names but wrongly: "수문학연구원" →
   "문학연구원", "중국어교사" → "국어교사"; it is not used.) The gold of an occupation is the set of
   other 소분류 its entries' related jobs resolve to.

   For each occupation with gold, every one of the 138 others is ranked by a score; reported:
   ``hit5``/``hit10`` (share of occupations with a related one in the top 5/10), ``recall10`` (share of
   gold pairs in the top 10), ``mrr`` (mean reciprocal rank of the first related one). Ties are broken at
   random (seeded, averaged over repetitions). Scores: ``random``; ``same_middle`` (same 중분류 first);
   ``hierarchy`` (same 중분류, then same 대분류); the skill-overlap variants (TF-IDF cosine of skills +
   knowledge + certificates — the roadmap's —, each block alone, unweighted cosine, IDF-weighted
   Jaccard, character 2–3-gram TF-IDF); and the roadmap's affinity (cosine + classification bonus) over
   a grid of bonuses (``mix_grid``), with bootstrap 95% intervals (occupations resampled) for the
   roadmap's setting and its difference to ``same_middle``. ``edge_coverage``: share of gold pairs that
   are edges of the roadmap graph (each occupation's nearest neighbours, both directions).

   Caveat: our skill keywords are nouns of the same dictionary's duty texts (``app.reference.build``),
   so the two are not independent sources; ``connectJob`` is a separately curated field, though.

2. ``world_transitions`` — with ``--world`` (a product database, read only): the smoothing strength κ
   of observed moves. Seekers are split in half (seeded); moves (a seeker's last occupation → desired
   one, and → the occupation of a posting they were hired into, when different) of one half give the
   counts, the other half's moves are predicted: mean log-probability per move, MRR and hit@10 of the
   actual destination among the 138 others (ties at their expected rank), for κ from small (counts
   dominate) to the prior alone, and for a uniform guess.
   Only observed tables are read (seekers, hires, postings).

Only aggregate figures are printed (no dictionary rows). No network; every random choice is seeded.

Usage: python bench/copilot_roadmap_real.py [--data ../shared/data] [--world data/goyong.db] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.threads import prepare_process  # noqa: E402

prepare_process()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from app.copilot import roadmap  # noqa: E402
from app.reference.build.dictionary import load_dictionary  # noqa: E402
from app.reference.tables import Reference, load_reference  # noqa: E402

TIE_REPEATS = 50
BOOTSTRAP = 1000
MIN_ALIAS_CHARS = 3
KAPPAS = (0.3, 1.0, 3.0, 10.0, 30.0, 50.0, 100.0, 300.0)
NEIGHBOUR_GRID = (5, 10, 15, 20)
MIDDLE_GRID = (0.0, 0.02, 0.05, 0.1, 0.2)
MAJOR_GRID = (0.0, 0.02, 0.05)


def _round(value: float) -> float:
    return round(float(value), 4)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


# --------------------------------------------------------------------------- gold


def related_gold(data_dir: Path, ref: Reference) -> tuple[dict[str, set[str]], dict[str, object]]:
    """Occupation → related other 소분류 from ``connectJob``, and counts of how names resolved."""
    entries = load_dictionary(data_dir)
    codes = set(ref.occupations["keco_code"].astype(str))
    names: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for name, code, similar in zip(entries["dJobNm"], entries["keco_code"], entries["similarNm"], strict=True):
        names[_compact(name)].add(code)
        if isinstance(similar, str):
            for alias in re.split(r"[,、]", similar):
                alias = _compact(re.sub(r"등\s*$", "", alias.strip()))
                if len(alias) >= MIN_ALIAS_CHARS:
                    aliases[alias].add(code)
    tree = ref.keco_tree
    fine = tree[(tree["level"] == 4) & tree["parent"].isin(codes)]
    tree_names = {_compact(n): str(p) for n, p in zip(fine["name"], fine["parent"], strict=True)}
    tree_names.update({_compact(n): str(c) for n, c in zip(ref.occupations["name"], ref.occupations["keco_code"],
                                                           strict=True)})
    stages: Counter[str] = Counter()
    gold: dict[str, set[str]] = defaultdict(set)
    with_related = 0
    for source, related in zip(entries["keco_code"], entries["connectJob"], strict=True):
        if not isinstance(related, str) or source not in codes:
            continue
        with_related += 1
        related = re.sub(r"^.*?(?:따라|경우|따른)\s+", "", related)
        for part in re.split(r"[,、]", related):
            name = _compact(re.sub(r"등\s*$", "", part.strip()))
            if len(name) < 2:
                continue
            if name in names:
                found, stage = names[name], "entry_name"
            elif len(aliases.get(name, ())) == 1:
                found, stage = aliases[name], "alias"
            elif name in tree_names:
                found, stage = {tree_names[name]}, "keco_name"
            else:
                stages["unresolved"] += 1
                continue
            stages[stage] += 1
            gold[source] |= {c for c in found if c != source and c in codes}
    gold = {k: v for k, v in gold.items() if v}
    middle = dict(zip(ref.occupations["keco_code"], ref.occupations["middle_code"], strict=True))
    pairs = [(a, b) for a, related in gold.items() for b in related]
    info = {
        "dictionary_entries": len(entries), "entries_with_related": with_related, "related_names": dict(stages),
        "occupations_with_gold": len(gold), "gold_pairs": len(pairs),
        "gold_pairs_same_middle": sum(middle[a] == middle[b] for a, b in pairs),
    }
    return gold, info


# --------------------------------------------------------------------------- ranking metrics


def rank_metrics(score: np.ndarray, codes: list[str], gold: dict[str, set[str]], rng: np.random.Generator,
                 repeats: int = TIE_REPEATS) -> tuple[dict[str, float], np.ndarray]:
    """hit5, hit10, recall10, mrr of a score matrix (ties at random, averaged over ``repeats``), and
    the per-occupation reciprocal ranks (mean over repeats) for bootstrapping."""
    index = {c: i for i, c in enumerate(codes)}
    sources = sorted(gold)
    totals = np.zeros(4)
    reciprocal = np.zeros(len(sources))
    pairs = sum(len(gold[a]) for a in sources)
    for _ in range(repeats):
        noisy = score + rng.random(score.shape) * 1e-9
        hit5 = hit10 = in10 = 0
        for n, a in enumerate(sources):
            i = index[a]
            row = noisy[i].copy()
            row[i] = -np.inf
            rank = np.empty(len(codes), dtype=int)
            rank[np.argsort(-row, kind="stable")] = np.arange(1, len(codes) + 1)
            ranks = [int(rank[index[b]]) for b in gold[a]]
            first = min(ranks)
            hit5 += first <= 5
            hit10 += first <= 10
            in10 += sum(r <= 10 for r in ranks)
            reciprocal[n] += 1.0 / first
        totals += (hit5 / len(sources), hit10 / len(sources), in10 / pairs, 0.0)
    reciprocal /= repeats
    totals /= repeats
    result = {"hit5": _round(totals[0]), "hit10": _round(totals[1]), "recall10": _round(totals[2]),
              "mrr": _round(reciprocal.mean())}
    return result, reciprocal


def _bootstrap(values: np.ndarray, rng: np.random.Generator) -> list[float]:
    draws = rng.integers(0, len(values), size=(BOOTSTRAP, len(values)))
    means = values[draws].mean(axis=1)
    return [_round(np.quantile(means, 0.025)), _round(np.quantile(means, 0.975))]


def _weighted_jaccard(ref: Reference) -> np.ndarray:
    occ = ref.occupations
    n = len(occ)
    features: dict[tuple[str, str], int] = {}
    cells = [(row, features.setdefault((col, item), len(features)))
             for col, _ in roadmap.SIMILARITY_BLOCKS for row, value in enumerate(occ[col])
             for item in dict.fromkeys(roadmap.split_items(value))]
    matrix = np.zeros((n, len(features)))
    for row, feature in cells:
        matrix[row, feature] = 1.0
    matrix *= np.log(n / np.maximum((matrix > 0).sum(axis=0), 1))
    inter = np.minimum(matrix[:, None, :], matrix[None, :, :]).sum(-1)
    union = np.maximum(matrix[:, None, :], matrix[None, :, :]).sum(-1)
    out = inter / np.where(union > 0, union, 1.0)
    np.fill_diagonal(out, 0.0)
    return out


def _unweighted_cosine(ref: Reference) -> np.ndarray:
    occ = ref.occupations
    sets = [{(col, i) for col, _ in roadmap.SIMILARITY_BLOCKS for i in roadmap.split_items(occ[col].iat[r])}
            for r in range(len(occ))]
    out = np.array([[len(a & b) / np.sqrt(len(a) * len(b)) if a and b else 0.0 for b in sets] for a in sets])
    np.fill_diagonal(out, 0.0)
    return out


def _char_ngrams(ref: Reference) -> np.ndarray:
    occ = ref.occupations
    docs = [" ".join(str(occ[col].iat[r]).replace(";", " ") for col, _ in roadmap.SIMILARITY_BLOCKS)
            for r in range(len(occ))]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True).fit_transform(docs)
    out = (vectors @ vectors.T).toarray()
    np.fill_diagonal(out, 0.0)
    return out


def dictionary_related(data_dir: Path, ref: Reference, seed: int) -> dict[str, object]:
    """Part 1 (module notes)."""
    gold, info = related_gold(data_dir, ref)
    codes = list(ref.occupations["keco_code"].astype(str))
    rng = np.random.default_rng(seed)
    cosine = roadmap.skill_similarity(ref)
    hierarchy = roadmap.hierarchy_bonus(ref, 1.0, 0.5)
    scores = {
        "random": np.zeros_like(cosine),
        "same_middle": roadmap.hierarchy_bonus(ref, 1.0, 0.0),
        "hierarchy": hierarchy,
        "skill_cosine": cosine,
        "skills_only": roadmap.skill_similarity(ref, (("skills", 1.0),)),
        "knowledge_only": roadmap.skill_similarity(ref, (("knowledge", 1.0),)),
        "certificates_only": roadmap.skill_similarity(ref, (("certificates", 1.0),)),
        "unweighted_cosine": _unweighted_cosine(ref),
        "idf_weighted_jaccard": _weighted_jaccard(ref),
        "char_ngram_tfidf": _char_ngrams(ref),
    }
    results: dict[str, object] = {}
    reciprocal: dict[str, np.ndarray] = {}
    for name, score in scores.items():
        results[name], reciprocal[name] = rank_metrics(score, codes, gold, rng, TIE_REPEATS if name in (
            "random", "same_middle", "hierarchy") else 5)
    grid = []
    for middle in MIDDLE_GRID:
        for major in MAJOR_GRID:
            if major > middle:
                continue
            affinity = cosine + roadmap.hierarchy_bonus(ref, middle, major)
            metrics, _ = rank_metrics(affinity, codes, gold, rng, 5)
            grid.append({"middle_bonus": middle, "major_bonus": major, **metrics})
    chosen = cosine + roadmap.hierarchy_bonus(ref, roadmap.MIDDLE_BONUS, roadmap.MAJOR_BONUS)
    results["roadmap_affinity"], reciprocal["roadmap_affinity"] = rank_metrics(chosen, codes, gold, rng, 5)
    graph = roadmap.OccupationGraph.build(ref)
    pairs = [(a, b) for a, related in gold.items() for b in related]
    return {
        **info,
        "rankings": results,
        "roadmap_setting": {"middle_bonus": roadmap.MIDDLE_BONUS, "major_bonus": roadmap.MAJOR_BONUS,
                            "neighbours": roadmap.NEIGHBOURS},
        "mrr_ci95": {name: _bootstrap(reciprocal[name], rng)
                     for name in ("random", "same_middle", "skill_cosine", "roadmap_affinity")},
        "mrr_difference_roadmap_minus_same_middle_ci95": _bootstrap(
            reciprocal["roadmap_affinity"] - reciprocal["same_middle"], rng),
        "mix_grid": grid,
        "edge_coverage": _round(np.mean([graph.graph.has_edge(a, b) for a, b in pairs])),
        "edges": graph.graph.number_of_edges(),
        "edge_coverage_by_neighbours": {
            str(k): _round(np.mean([g.graph.has_edge(a, b) for a, b in pairs]))
            for k, g in ((k, roadmap.OccupationGraph.build(ref, neighbours=k)) for k in NEIGHBOUR_GRID)},
    }


# --------------------------------------------------------------------------- world moves


def _world_moves(path: Path) -> pd.DataFrame:
    """(seeker_id, from_keco, to_keco) of every observed move (observed tables only)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        wishes = pd.read_sql_query(
            "SELECT id AS seeker_id, last_keco AS from_keco, desired_keco AS to_keco FROM seekers "
            "WHERE last_keco IS NOT NULL AND last_keco <> desired_keco", conn)
        hires = pd.read_sql_query(
            "SELECT s.id AS seeker_id, s.last_keco AS from_keco, p.keco_code AS to_keco FROM hires h "
            "JOIN seekers s ON s.id = h.seeker_id JOIN postings p ON p.id = h.posting_id "
            "WHERE s.last_keco IS NOT NULL AND s.last_keco <> p.keco_code", conn)
    return pd.concat([wishes.assign(kind="wish"), hires.assign(kind="hire")], ignore_index=True)


def world_transitions(path: Path, ref: Reference, seed: int) -> dict[str, object]:
    """Part 2 (module notes)."""
    moves = _world_moves(path)
    codes = list(ref.occupations["keco_code"].astype(str))
    moves = moves[moves["from_keco"].isin(codes) & moves["to_keco"].isin(codes)]
    seekers = moves["seeker_id"].unique()
    rng = np.random.default_rng(seed)
    train_ids = set(rng.choice(seekers, size=len(seekers) // 2, replace=False).tolist())
    train = moves[moves["seeker_id"].isin(train_ids)]
    test = moves[~moves["seeker_id"].isin(train_ids)]
    counts = train.groupby(["from_keco", "to_keco"]).size().rename("n").reset_index()
    index = {c: i for i, c in enumerate(codes)}
    rows = test["from_keco"].map(index).to_numpy()
    cols = test["to_keco"].map(index).to_numpy()

    def score(probability: np.ndarray) -> dict[str, float]:
        chosen = probability[rows, cols]
        masked = probability.copy()
        np.fill_diagonal(masked, -np.inf)
        better = (masked[rows] > chosen[:, None]).sum(axis=1)
        tied = (masked[rows] == chosen[:, None]).sum(axis=1) - 1
        rank = better + 1 + tied / 2  # ties in random order: the expected rank
        return {"log_likelihood": _round(np.mean(np.log(np.maximum(chosen, 1e-12)))),
                "mrr": _round(np.mean(1.0 / rank)), "hit10": _round(np.mean(rank <= 10))}

    out: dict[str, object] = {"moves": len(moves), "wish_moves": int((moves["kind"] == "wish").sum()),
                              "hire_moves": int((moves["kind"] == "hire").sum()),
                              "train_moves": len(train), "test_moves": len(test), "by_kappa": []}
    for kappa in KAPPAS:
        graph = roadmap.OccupationGraph.build(ref, counts, prior_strength=kappa)
        out["by_kappa"].append({"kappa": kappa, **score(graph.probability)})
    prior = roadmap.OccupationGraph.build(ref, None).probability
    out["prior_only"] = score(prior)
    others = len(codes) - 1
    # a uniform guess: its ranks are random, so its expected MRR and hit@10 are given exactly
    out["uniform"] = {"log_likelihood": _round(-np.log(others)),
                      "mrr": _round(sum(1 / r for r in range(1, others + 1)) / others), "hit10": _round(10 / others)}
    out["roadmap_kappa"] = roadmap.PRIOR_STRENGTH
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--world", type=Path, default=None, help="product database (SQLite, read only)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    ref = load_reference()
    result: dict[str, object] = {"dictionary_related": dictionary_related(args.data, ref, args.seed)}
    if args.world is not None and args.world.exists():
        result["world_transitions"] = world_transitions(args.world, ref, args.seed)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
