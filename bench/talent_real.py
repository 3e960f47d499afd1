"""Talent recommendation on REAL Korean text (the synthetic world alone cannot show how the
sentence parser and the text encoders behave on what people really write); prints one JSON object.

1. ``worknet_conditions`` — the sentence parser (:func:`app.services.talent.query.parse_talent_query`)
   on the 400 real 워크넷 ads of ``../shared/data/korean_job_postings/worknet_crawl_*_keyword.csv``
   (keywords "AI" and "빅데이터"). For each ad the sentence an employer might type is built from its
   condition fields — ``모집직종`` (when not "-", without the suffix "직업정보"), ``경력조건``, ``학력``
   and the certificate names of ``자격면허`` (each followed by its label, "정보처리기사 우대") — cut to
   :data:`app.bounds.MAX_SEARCH_SENTENCE_CHARS`, parsed, and compared with gold values derived
   from the structured fields by this script's own small mapping (independent of the parser):

   * career (``경력조건``) → (min months, max months) and a gold category:
       - "무관", "관계없음", "-", empty → (None, None) ``any``;
       - "신입, 경력 (연수무관)", "신입/경력", "신입, 경력 (최소 N년 이상)" → (None, None)
         ``newcomer_or_experienced`` (newcomers are welcome, so no bound);
       - "신입" → (None, 0) ``newcomer``;
       - "경력 (최소 12개월 이상)" → (12, None), "경력 (최소 3년 이상)" → (36, None), also with
         "필수" after it → ``experienced_min``;
       - the same with "우대" after it → (None, None) ``experience_preferred``: experience is
         preferred, not required, so it is no hard filter (a parser reading 36 excludes newcomers;
         the parser marks it preferred in ``TalentQuery.preferred``, and the required career and
         education compared here are those not so marked);
       - plain "경력", "경력 (연수무관)" → (1, None) ``experienced_any`` (some experience, any length:
         the parser's reading of 경력자);
   * education (``학력``) → least level: "학력무관"/"-" → None; "고졸" → 고졸; "대졸(2~3년)" →
     전문대졸; "대졸(4년)" → 대졸; "석사" → 석사; "박사" → 석사 (the parser documents 박사 as 석사,
     the highest level postings use); a range "A ~ B" → A's level;
   * certificates (``자격면허``, "필수 : X 우대 : Y 기타 : …") → the named certificates (필수 and
     우대; 기타 is free text) whose name equals a ``certificates.csv`` name after removing spaces
     and parentheses; a parsed id counts as right when its name (so compacted) is one of them (the
     table repeats some names under several ids).

   Reported: ads, refusals (``UnreadableQuery`` and other ``InvalidInput``, count and share; an
   ad whose fields are all "-" gives an empty sentence, counted in ``refused_empty_sentence``),
   career accuracy (exact min and max months) over ads with a gold career bound and over all,
   education accuracy (over ads with a gold level and over all), certificate recall and precision
   (micro, over named certificates the table holds), the share with non-empty ``free_text``, the
   share of ads with a 모집직종 whose occupation was recognised, and career mismatches counted by
   gold category and parsed reading (``career_mismatch_phrasings``: 워크넷's form wording of 경력조건
   with numbers as N, which is the portal's template, not ad text). ``conditions_only_*``: the
   경력조건 and 학력 fields alone parsed, and the words of them left in ``free_text`` (form words the
   parser did not understand). Only aggregate figures: the ads have no redistribution licence.

2. ``job_dictionary_retrieval`` — the matcher's text encoders (:func:`app.ml.talent.content_tokens`,
   :class:`~app.ml.talent.Bm25`, :class:`~app.ml.talent.DenseEncoder` at 128 dimensions, seed 7) on
   the 한국직업사전 (``../shared/data/korean_job_dictionary/job_dictionary_detail.csv.gz``). Entries
   with a KECO code (``dJobECd``: 4-digit KECO 세분류 as a string, e.g. "0131"; its first 3 digits
   are the 소분류, the level of the project's occupations, its first 2 the 중분류) and non-empty
   직무개요 (workSum) and 수행직무 (doWork) are split 50/50 with a fixed seed into **documents**
   (their doWork, like a résumé's duty lines) and **queries** (their workSum, like a posting's
   직무 description); each entry is on one side only. BM25 and the encoder are fitted on the
   documents' tokens only (no peeking at the queries' vocabulary). Each query ranks every document
   by (a) ``bm25``, (b) ``dense`` cosine, (c) ``hybrid_rrf`` — reciprocal-rank fusion of (a) and
   (b) with k = 60 — and two baselines: (d) ``random`` (a seeded permutation) and
   ``most_common_keco`` (documents of the most frequent 소분류 first, then random).
   Relevance is binary: same 3-digit KECO (``keco3``) or, as a second view, same 2-digit (``keco2``).
   Metrics over queries whose class has at least one document: ``recall10`` (share with a relevant
   document in the top 10), ``mrr`` (reciprocal rank of the first relevant document over the full
   ranking) and ``ndcg10``.

No network; every random choice is seeded (``--seed``).

Usage: python bench/talent_real.py [--seed 7] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.threads import prepare_process  # noqa: E402

prepare_process()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from app import bounds  # noqa: E402
from app.errors import InvalidInput  # noqa: E402
from app.ml.talent import Bm25, DenseEncoder, content_tokens  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.services.talent.query import UnreadableQuery, parse_talent_query  # noqa: E402

K = 10
RRF_K = 60
DENSE_DIM = 128
DENSE_SEED = 7


def _round(value: float) -> float | None:
    return None if value != value else round(float(value), 4)


def _share(numerator: float, denominator: float) -> float | None:
    return _round(numerator / denominator) if denominator else None


# --------------------------------------------------------------------------- 1. 워크넷 conditions

def _blank(value: object) -> bool:
    return not isinstance(value, str) or value.strip() in ("", "-")


def gold_career(text: object) -> tuple[str, int | None, int | None]:
    """(category, min months, max months) of a 워크넷 ``경력조건`` (see the module docstring)."""
    t = re.sub(r"\s+", " ", str(text)).strip() if not _blank(text) else ""
    if t in ("", "무관", "관계없음") or "무관" in t and "경력" not in t:
        return "any", None, None
    if "신입" in t and "경력" in t:
        return "newcomer_or_experienced", None, None
    if t.startswith("신입"):
        return "newcomer", None, 0
    m = re.search(r"최소\s*(\d+)\s*(년|개월)", t)
    if m:
        months = int(m[1]) * (12 if m[2] == "년" else 1)
        if "우대" in t:
            return "experience_preferred", None, None
        return "experienced_min", months, None
    if t.startswith("경력"):
        return "experienced_any", 1, None
    return "other", None, None


_LEVEL_OF = (("박사", "석사"), ("석사", "석사"), ("대졸(2~3년)", "전문대졸"), ("대졸(4년)", "대졸"),
             ("고졸", "고졸"))


def gold_education(text: object) -> str | None:
    """Least education level of a 워크넷 ``학력`` ("고졸 ~ 석사" → 고졸; 학력무관 → None)."""
    if _blank(text) or "무관" in str(text):
        return None
    low = re.split(r"~(?!3년)", re.sub(r"\s+", "", str(text)))[0]  # "대졸(2~3년)~박사": the ~ inside (2~3년) is not a range
    for word, level in _LEVEL_OF:
        if low.startswith(word):
            return level
    return None


def certificate_names(text: object) -> list[tuple[str, str]]:
    """(name, label) pairs of a 워크넷 ``자격면허`` ("필수 : X 우대 : Y 기타 : …"; 기타 is left out)."""
    if _blank(text):
        return []
    parts = re.split(r"(필수|우대|기타)\s*:", str(text))
    out = []
    for label, value in zip(parts[1::2], parts[2::2], strict=True):
        value = value.strip()
        if label != "기타" and value:
            out.append((value, label))
    return out


def ad_sentence(row: pd.Series) -> str:
    """The sentence an employer might type for the ad's conditions, cut to the parser's limit."""
    parts = []
    if not _blank(row["모집직종"]):
        parts.append(re.sub(r"\s*직업정보\s*$", "", str(row["모집직종"]).strip()))
    for column in ("경력조건", "학력"):
        if not _blank(row[column]):
            parts.append(str(row[column]).strip())
    parts += [f"{name} {label}" for name, label in certificate_names(row["자격면허"])]
    return " ".join(parts)[: bounds.MAX_SEARCH_SENTENCE_CHARS]


def _career_label(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "none"
    if high == 0:
        return "max0"
    if high is None:
        return "min1" if low == 1 else "min_n"
    return "range"


def worknet_conditions(data: Path) -> dict:
    files = sorted(glob.glob(str(data / "korean_job_postings" / "worknet_crawl_*_keyword.csv")))
    ads = pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)
    ref = load_reference()
    # ads write 자동차운전면허1종대형 for the table's 자동차운전면허(1종 대형)
    compact = lambda s: re.sub(r"[\s()]+", "", str(s))  # noqa: E731
    ids_by_name: dict[str, set[str]] = {}
    for cert_id, name in zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True):
        ids_by_name.setdefault(compact(name), set()).add(cert_id)
    name_of = {cert_id: compact(name) for cert_id, name in
               zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True)}

    started = time.perf_counter()
    refused_unreadable = refused_invalid = 0
    career_ok = career_n = career_bound_ok = career_bound_n = 0
    edu_ok = edu_n = edu_level_ok = edu_level_n = 0
    cert_gold = cert_found = cert_pred = cert_right = 0
    cert_named = cert_named_known = 0
    free_text_n = occ_named = occ_found = 0
    mismatches: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    edu_mismatches: Counter[str] = Counter()
    lengths = []
    refused_empty = 0
    conditions_free = conditions_n = 0
    leftovers: Counter[str] = Counter()
    phrasing_errors: Counter[str] = Counter()
    for _, row in ads.iterrows():
        sentence = ad_sentence(row)
        refused_empty += not sentence.strip()
        conditions = " ".join(str(row[c]).strip() for c in ("경력조건", "학력") if not _blank(row[c]))
        if conditions:
            conditions_n += 1
            try:
                rest = parse_talent_query(conditions, ref).free_text
            except InvalidInput:
                rest = ""
            conditions_free += bool(rest)
            leftovers.update(rest.split())
        lengths.append(len(sentence))
        category, gold_low, gold_high = gold_career(row["경력조건"])
        level = gold_education(row["학력"])
        named = certificate_names(row["자격면허"])
        gold_names = {compact(n) for n, _ in named if compact(n) in ids_by_name}
        cert_named += len(named)
        cert_named_known += len(gold_names)
        by_category[category] += 1
        try:
            query = parse_talent_query(sentence, ref)
        except UnreadableQuery:
            refused_unreadable += 1
            query = None
        except InvalidInput:
            refused_invalid += 1
            query = None
        # what the search filters by: a career or education the sentence marks 우대 is no filter
        required_career = query is not None and not query.is_preferred("career")
        low = query.min_career_months if required_career else None
        high = query.max_career_months if required_career else None
        right = (low, high) == (gold_low, gold_high)
        career_n += 1
        career_ok += right
        if gold_low is not None or gold_high is not None:
            career_bound_n += 1
            career_bound_ok += right
        if not right:
            label = "refused" if query is None else _career_label(low, high)
            mismatches[f"{category} -> {label}"] += 1
            # 워크넷's own form wording with the numbers replaced by N (a template, not ad content)
            template = re.sub(r"\d+", "N", re.sub(r"\s+", " ", str(row["경력조건"]).strip()))
            phrasing_errors[f"{template} -> {label}" + (f" {low},{high}" if label == "min_n" else "")] += 1
        parsed_level = query.education if query is not None and not query.is_preferred("education") else None
        edu_n += 1
        edu_ok += parsed_level == level
        if level is not None:
            edu_level_n += 1
            edu_level_ok += parsed_level == level
        if parsed_level != level:
            edu_mismatches[f"{level or 'none'} -> {parsed_level or 'none'}"] += 1
        parsed_names = {name_of.get(c, c) for c in (query.certificates if query else ())}
        cert_gold += len(gold_names)
        cert_found += len(gold_names & parsed_names)
        cert_pred += len(parsed_names)
        cert_right += len(parsed_names & gold_names)
        free_text_n += bool(query and query.free_text)
        if not _blank(row["모집직종"]):
            occ_named += 1
            occ_found += bool(query and query.occupations)
    n = len(ads)
    return {
        "n_ads": n,
        "sentence_chars_median": _round(float(np.median(lengths))),
        "sentences_at_limit": int(sum(length >= bounds.MAX_SEARCH_SENTENCE_CHARS for length in lengths)),
        "refused": refused_unreadable + refused_invalid,
        "refused_share": _share(refused_unreadable + refused_invalid, n),
        "refused_unreadable": refused_unreadable,
        "refused_invalid": refused_invalid,
        "refused_empty_sentence": refused_empty,
        "career_gold_categories": dict(sorted(by_category.items())),
        "career_accuracy_all": _share(career_ok, career_n),
        "career_accuracy_with_bound": _share(career_bound_ok, career_bound_n),
        "n_with_career_bound": career_bound_n,
        "career_mismatches": dict(mismatches.most_common()),
        "career_mismatch_phrasings": dict(phrasing_errors.most_common()),
        "education_accuracy_all": _share(edu_ok, edu_n),
        "education_accuracy_with_level": _share(edu_level_ok, edu_level_n),
        "n_with_education_level": edu_level_n,
        "education_mismatches": dict(edu_mismatches.most_common()),
        "certificates_named": cert_named,
        "certificates_in_table": cert_named_known,
        "certificate_recall": _share(cert_found, cert_gold),
        "certificate_precision": _share(cert_right, cert_pred),
        "certificates_parsed": cert_pred,
        "free_text_nonempty_share": _share(free_text_n, n),
        "conditions_only_free_text_nonempty_share": _share(conditions_free, conditions_n),
        "conditions_only_leftover_words": {w: c for w, c in leftovers.most_common(10) if c >= 2},
        "n_with_occupation_field": occ_named,
        "occupation_recognised_share": _share(occ_found, occ_named),
        "seconds": round(time.perf_counter() - started, 1),
    }


# --------------------------------------------------------------------------- 2. 직업사전 retrieval

def _metrics(order: np.ndarray, relevant: np.ndarray) -> tuple[float, float, float]:
    """(hit@10, reciprocal rank of the first relevant, nDCG@10) of one full ranking (binary relevance)."""
    rel = relevant[order]
    hits = np.flatnonzero(rel)
    rr = 1.0 / (hits[0] + 1) if len(hits) else 0.0
    top = rel[:K].astype(float)
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    ideal = discounts[: min(K, int(relevant.sum()))].sum()
    ndcg = float((top * discounts[: len(top)]).sum() / ideal) if ideal > 0 else 0.0
    return float(top.any()), rr, ndcg


def _rank_of(order: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def job_dictionary_retrieval(data: Path, seed: int) -> dict:
    started = time.perf_counter()
    frame = pd.read_csv(data / "korean_job_dictionary" / "job_dictionary_detail.csv.gz", dtype=str)
    frame = frame[frame["dJobECd"].fillna("").str.fullmatch(r"\d{4}")
                  & frame["workSum"].fillna("").str.strip().ne("") & frame["doWork"].fillna("").str.strip().ne("")]
    frame = frame.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(frame))
    half = len(frame) // 2
    docs, queries = frame.iloc[perm[:half]].reset_index(drop=True), frame.iloc[perm[half:]].reset_index(drop=True)
    t0 = time.perf_counter()
    doc_tokens = content_tokens(docs["doWork"].tolist())
    query_tokens = content_tokens(queries["workSum"].tolist())
    tokenise_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    bm25 = Bm25.fit(doc_tokens)
    encoder = DenseEncoder.fit(doc_tokens, dim=DENSE_DIM, seed=DENSE_SEED)
    doc_vectors = encoder.encode(doc_tokens)
    query_vectors = encoder.encode(query_tokens)
    fit_seconds = time.perf_counter() - t0
    ref_codes = set(load_reference().occupations["keco_code"].astype(str))

    t0 = time.perf_counter()
    doc_codes = {3: docs["dJobECd"].str[:3].to_numpy(), 2: docs["dJobECd"].str[:2].to_numpy()}
    query_codes = {3: queries["dJobECd"].str[:3].to_numpy(), 2: queries["dJobECd"].str[:2].to_numpy()}
    common3 = Counter(doc_codes[3]).most_common(1)[0][0]
    common_first = np.argsort(-(doc_codes[3] == common3).astype(int) + rng.random(len(docs)) * 0.5,
                              kind="stable")
    dense_all = query_vectors @ doc_vectors.T
    methods = ("bm25", "dense", "hybrid_rrf", "random", "most_common_keco")
    sums = {level: {m: np.zeros(3) for m in methods} for level in (3, 2)}
    counted = {3: 0, 2: 0}
    doc_counts = {level: Counter(doc_codes[level]) for level in (3, 2)}
    for i, tokens in enumerate(query_tokens):
        orders = {}
        orders["bm25"] = np.argsort(-bm25.scores(tokens), kind="stable")
        orders["dense"] = np.argsort(-dense_all[i], kind="stable")
        fused = 1.0 / (RRF_K + _rank_of(orders["bm25"])) + 1.0 / (RRF_K + _rank_of(orders["dense"]))
        orders["hybrid_rrf"] = np.argsort(-fused, kind="stable")
        orders["random"] = rng.permutation(len(docs))
        orders["most_common_keco"] = common_first
        for level in (3, 2):
            if not doc_counts[level].get(query_codes[level][i]):
                continue
            counted[level] += 1
            relevant = doc_codes[level] == query_codes[level][i]
            for method, order in orders.items():
                sums[level][method] += _metrics(order, relevant)
    rank_seconds = time.perf_counter() - t0

    def table(level: int) -> dict:
        n = counted[level]
        return {m: {"recall10": _round(s[0] / n), "mrr": _round(s[1] / n), "ndcg10": _round(s[2] / n)}
                for m, s in sums[level].items()} | {"n_queries_scored": n}

    return {
        "n_entries": len(frame),
        "n_documents": len(docs),
        "n_queries": len(queries),
        "keco3_classes": int(frame["dJobECd"].str[:3].nunique()),
        "keco2_classes": int(frame["dJobECd"].str[:2].nunique()),
        "keco3_in_project_occupations_share": _round(frame["dJobECd"].str[:3].isin(ref_codes).mean()),
        "most_common_keco3_share_of_documents": _round(doc_counts[3][common3] / len(docs)),
        "query_tokens_unknown_to_bm25_share": _round(float(np.mean(
            [not len(bm25.terms(t)) for t in query_tokens]))),
        "dense_dim": int(doc_vectors.shape[1]),
        "keco3": table(3),
        "keco2": table(2),
        "tokenise_seconds": round(tokenise_seconds, 1),
        "fit_seconds": round(fit_seconds, 1),
        "rank_seconds": round(rank_seconds, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7, help="seed of the 50/50 split and the baselines")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                        help="the shared real data directory (korean_job_postings, korean_job_dictionary)")
    args = parser.parse_args()
    started = time.perf_counter()
    out = {
        "worknet_conditions": worknet_conditions(args.data),
        "job_dictionary_retrieval": job_dictionary_retrieval(args.data, args.seed),
    }
    out["seed"] = args.seed
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
