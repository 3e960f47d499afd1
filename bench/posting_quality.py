"""Posting writing assistant quality; prints one JSON object.

1. **Regeneration.** 200 lawful postings of the build's held-out fifth (postings the occupation
   classifier never saw, without planted problems) are written again by the offline backend
   from their essentials only — occupation, duty lines, region, employment type, hours, pay,
   career, education, welfare, headcount, contact, company name — then masked and verified as
   the page does: ``verification_pass_rate`` (decision "pass"), ``mandatory_coverage`` (share of
   the presence items of the checklist met, over all postings × items), ``all_items_share``
   (postings meeting every checklist item) and ``ms_per_posting`` (median generation + masking
   time; verification is reported separately as ``verify_ms_per_posting``).
2. **Unlawful essentials.** Held-out postings whose planted problem is in the conditions
   (below the minimum wage, over 52 hours): share the checklist flags (``unlawful_flagged``).
3. **Occupation classifier, world.** Top-1/top-3 accuracy on the whole held-out fifth (title +
   duties as the employer wrote them).
4. **Occupation classifier, real text** (``../shared/data/korean_job_dictionary``, 한국직업사전):
   the classifier is trained on every entry, so this refits its held-out twin exactly as the
   build does (world + reference documents + the entries of one half by a hash of ``dJobCd``) and
   measures it on the other half: top-1/top-3 from 직업명 + 직무개요 (``dictionary_top1/3``) and
   from the 직업명 alone (``dictionary_name_top1/3``).
5. **Occupation classifier, everyday titles** (``data/evaluation/everyday_titles.csv``, 289 titles
   as employers type them, never training text): ``everyday_top1/3`` of the built classifier
   (a title is right when a code is among its acceptable ``;``-list), the share of titles below
   the confidence floor (``everyday_floor_share``: nothing preselected), top-1 accuracy above and
   below it, and ``occupation_ms_per_title`` (median top-3 with evidence, one title at a time).

Targets (issues 6, 14): pass rate 100 %, coverage 100 %, world top-1 ≥ 0.80 and top-3 ≥ 0.95,
≤ 200 ms per posting offline; everyday top-3 ≥ 0.85, held-out dictionary top-3 ≥ 0.75, ≤ 50 ms per title.
Usage: python bench/posting_quality.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings
from app.db import orm
from app.db.engine import make_engine
from app.llm.base import PostingRequest
from app.llm.offline import OfflineGenerator, occupation_knowledge
from app.ml.manifest import load_manifest
from app.ml.occupation import (
    CONFIDENCE_FLOOR,
    evaluate_dictionary_holdout,
    held_out_mask,
    load_dictionary_entries,
    load_occupation_classifier,
    load_posting_texts,
    top_k_accuracy,
    world_training_rows,
)
from app.reference.tables import load_reference
from app.services.posting import assistant as service
from app.verify.verifier import load_ad_verifier

EVERYDAY = Path(__file__).resolve().parents[1] / "data" / "evaluation" / "everyday_titles.csv"
CONDITION_PROBLEMS = ("BELOW_MIN_WAGE", "EXCESS_HOURS")
_BULLET = re.compile(r"^\s*(?:[-*•·▶▷○●■□※]|\d+[.)])\s*")


def _round(value: float) -> float | None:
    return None if value != value else round(float(value), 4)


def duty_lines(text: str) -> tuple[str, ...]:
    """The duty lines of a stored posting (bullets and the intro line removed)."""
    lines = [_BULLET.sub("", line).strip() for line in str(text).split("\n")]
    # the world's intro lines ("주요 업무는 다음과 같습니다.", "담당하실 업무") are not duties
    lines = [line for line in lines if not line.endswith(("다.", "니다", "내용")) and line not in ("담당하실 업무",)]
    return tuple(dict.fromkeys(line[:200] for line in lines if len(line) >= 2))[:8]


def load_postings(engine, ids: list[int]) -> pd.DataFrame:
    """Essentials of the postings with their employer's name and their labels."""
    stmt = (select(orm.Posting, orm.Employer.name.label("employer_name"))
            .join(orm.Employer, orm.Employer.id == orm.Posting.employer_id).where(orm.Posting.id.in_(ids)))
    rows = []
    with engine.connect() as conn:
        for row in conn.execute(stmt).mappings():
            rows.append(dict(row))
        labels = pd.DataFrame(conn.execute(select(orm.PostingLabel.posting_id, orm.PostingLabel.rule_id)).mappings().all(),
                              columns=["posting_id", "rule_id"])
    frame = pd.DataFrame(rows)
    frame["labels"] = frame["id"].map(labels.groupby("posting_id")["rule_id"].apply(lambda s: ";".join(s))).fillna("")
    return frame


def request_of(row: pd.Series, region_names: dict[str, str], welfare: dict[str, str]) -> PostingRequest:
    """The assistant's request from a stored posting's essentials."""
    occupation = occupation_knowledge(str(row["keco_code"]))
    codes = [c for c in str(row["welfare_codes"] or "").split(";") if c]
    return PostingRequest(
        company_name=str(row["employer_name"]), company_line="", job_title=occupation.name, duties=duty_lines(row["duties"]),
        occupation=occupation, region=region_names.get(str(row["region_code"]), ""), employment_type=str(row["employment_type"]),
        weekly_hours=float(row["weekly_hours"]), wage_type=str(row["wage_type"]), wage_amount=int(row["wage_amount"]),
        benefits=tuple(welfare[c] for c in codes if c in welfare), headcount=int(row["headcount"]),
        contact=str(row["contact"] or ""), career=str(row["career"]), education=str(row["education"]),
        min_career_years=int(row["min_career_years"] or 0),
    )


def regeneration(engine, verifier, postings: pd.DataFrame) -> dict:
    """Write each posting again offline, mask, verify and check the mandatory items."""
    ref = load_reference()
    region_names = dict(zip(ref.regions["code"].astype(str), ref.regions["name"].astype(str), strict=True))
    welfare = dict(zip(ref.welfare_items["code"].astype(str), ref.welfare_items["name"].astype(str), strict=True))
    generator = OfflineGenerator()
    gen_ms, verify_ms, passed, coverage, complete = [], [], [], [], []
    failures: dict[str, int] = {}
    for _, row in postings.iterrows():
        request = request_of(row, region_names, welfare)
        started = time.perf_counter()
        composed = service.compose_draft(generator, request)
        gen_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        review = service.review_draft(verifier, composed.draft, request, year=int(row["year"]))
        verify_ms.append((time.perf_counter() - started) * 1000)
        passed.append(review.verdict.decision == "pass")
        presence = [i for i in review.checklist if i.key in service.PRESENCE_ITEMS]
        coverage.append(np.mean([i.ok for i in presence]))
        complete.append(all(i.ok for i in review.checklist))
        for item in review.checklist:
            if not item.ok:
                failures[item.key] = failures.get(item.key, 0) + 1
        for hit in review.verdict.hits:
            failures[f"rule:{hit.rule_id}"] = failures.get(f"rule:{hit.rule_id}", 0) + 1
    return {
        "n_regenerated": len(postings), "verification_pass_rate": _round(np.mean(passed)),
        "mandatory_coverage": _round(np.mean(coverage)), "all_items_share": _round(np.mean(complete)),
        "ms_per_posting": _round(statistics.median(gen_ms)), "ms_per_posting_p95": _round(np.quantile(gen_ms, 0.95)),
        "verify_ms_per_posting": _round(statistics.median(verify_ms[1:] or verify_ms)), "failures": failures,
    }


def unlawful(verifier, postings: pd.DataFrame) -> dict:
    """Share of postings with a planted condition problem that the checklist flags."""
    ref = load_reference()
    region_names = dict(zip(ref.regions["code"].astype(str), ref.regions["name"].astype(str), strict=True))
    welfare = dict(zip(ref.welfare_items["code"].astype(str), ref.welfare_items["name"].astype(str), strict=True))
    flagged = []
    for _, row in postings.iterrows():
        request = request_of(row, region_names, welfare)
        draft = service.compose_draft(OfflineGenerator(), request).draft
        review = service.review_draft(verifier, draft, request, year=int(row["year"]))
        bad = {i.key for i in review.checklist if not i.ok}
        flagged.append(bool(bad & {"min_wage", "max_hours"}))
    return {"n_unlawful": len(postings), "unlawful_flagged": _round(np.mean(flagged)) if flagged else None}


def dictionary_accuracy(texts: pd.DataFrame, seed: int) -> dict:
    """Top-k of the held-out twin on the other half of the 한국직업사전 (real titles and duty summaries)."""
    entries = load_dictionary_entries()
    if entries is None:
        return {"dictionary_top1": None, "dictionary_top3": None, "dictionary_n": 0}
    train = world_training_rows(texts, held_out_mask(texts["id"].to_numpy(), seed), seed)
    metrics, _ = evaluate_dictionary_holdout(train["text"].tolist(), train["keco_code"].astype(str).tolist(),
                                             load_reference(), entries)
    return {"dictionary_top1": metrics["dictionary_top1"], "dictionary_top3": metrics["dictionary_top3"],
            "dictionary_name_top1": metrics["dictionary_name_top1"], "dictionary_name_top3": metrics["dictionary_name_top3"],
            "dictionary_n": int(metrics["dictionary_n_test"]), "dictionary_n_train": int(metrics["dictionary_n_train"])}


def everyday_accuracy(classifier) -> dict:
    """Top-k on the everyday titles, the confidence floor's effect and the time per title."""
    titles = pd.read_csv(EVERYDAY, dtype=str, keep_default_na=False)
    accuracy = top_k_accuracy(classifier, titles["title"].tolist(), titles["keco_codes"].tolist())
    top1, right, ms = [], [], []
    for title, codes in zip(titles["title"], titles["keco_codes"], strict=True):
        started = time.perf_counter()
        first = classifier.top_k(title)[0]
        ms.append((time.perf_counter() - started) * 1000)
        top1.append(first.probability)
        right.append(first.keco_code in codes.split(";"))
    above = np.array(top1) >= CONFIDENCE_FLOOR
    right = np.array(right)
    return {"everyday_top1": _round(accuracy["top1"]), "everyday_top3": _round(accuracy["top3"]), "everyday_n": len(titles),
            "confidence_floor": CONFIDENCE_FLOOR, "everyday_floor_share": _round(1 - above.mean()),
            "everyday_top1_above_floor": _round(right[above].mean()), "everyday_top1_below_floor": _round(right[~above].mean()),
            "occupation_ms_per_title": _round(statistics.median(ms[1:])), "occupation_ms_per_title_p95": _round(np.quantile(ms, 0.95))}


def main() -> None:
    """Run every measurement and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    settings = get_settings()
    engine = make_engine(settings.db_url)
    manifest = load_manifest(settings.models_dir) or {}
    seed = int(manifest.get("world", {}).get("seed", settings.world_seed))
    classifier = load_occupation_classifier(settings.models_dir)
    verifier = load_ad_verifier(settings.models_dir)
    texts = load_posting_texts(engine)
    held = texts[held_out_mask(texts["id"].to_numpy(), seed % (2**31))]
    world = top_k_accuracy(classifier, held["text"].tolist(), held["keco_code"].to_numpy())
    postings = load_postings(engine, held["id"].astype(int).tolist())
    clean = postings[postings["labels"] == ""].sample(n=min(args.n, int((postings["labels"] == "").sum())), random_state=0)
    with_problem = postings[postings["labels"].str.contains("|".join(CONDITION_PROBLEMS))]
    result = {
        "occupation_top1": _round(world["top1"]), "occupation_top3": _round(world["top3"]), "occupation_n": len(held),
        **everyday_accuracy(classifier), **dictionary_accuracy(texts, seed % (2**31)), **regeneration(engine, verifier, clean), **unlawful(verifier, with_problem),
        "backend": OfflineGenerator.name, "classifier_version": classifier.version, "world_seed": seed,
    }
    engine.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
