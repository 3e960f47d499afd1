"""Job-ad verification quality; prints one JSON object.

1. **Fresh world.** The built verifier (trained on the configured world) checks every posting of
   a world generated with another seed — ads it has never seen, with their own duplicates (a
   duplicate index of that world's postings, later copies flagged): recall of labelled problem
   ads (flagged = review or block), false-positive rate of clean ads, both per rule family, and
   the classifier's own PR-AUC there.
2. **Build held-out split** (``models/manifest.json``): recall and FPR on the fifth of the
   configured world the classifier did not see.
3. **Real Korean postings nobody here wrote** (``../shared/data/korean_job_postings``, 4,061
   Wanted ads, 2023): the share the verifier flags (text rules and classifier; no wage or
   contact fields there, so only text), by rule — these are published ads, mostly lawful, so the
   share is an upper bound of the false-positive rate on real text.
4. **EMSCAD** (``../shared/data/emscad_fake_jobs``): the same training code
   (:func:`app.verify.classifier.train_classifier`, ``language="en"``) on the 866 fraudulent and
   the 2 % sample of real English ads; held-out recall, precision and PR-AUC of the fraud class.

Targets (issue 5): recall ≥ 0.95 at FPR ≤ 0.05 on the world.
Usage: python bench/ad_quality.py [--eval-seed 424242] [--size demo]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings
from app.db.engine import make_engine
from app.ml.manifest import load_manifest
from app.verify.classifier import classification_metrics, train_classifier
from app.verify.duplicates import DuplicateIndex, signatures
from app.verify.rules import FAMILIES
from app.verify.verifier import load_ad_verifier, load_stored_ads, text_label, verify_many

PUBLISHED_EMSCAD = (
    "Alghamdi & Alharby 2019 (J. Information Security 10:155): random forest on the full 17,880-ad EMSCAD, "
    "97.41 % accuracy; Ullah & Jamjoom 2023 (PeerJ Comput. Sci. e1234): AdaBoost, 98.37 % accuracy. Both on the "
    "full file (4.8 % fraud), which is not available here — accuracy there is dominated by the 95 % real ads, so "
    "it is not comparable with fraud-class recall/precision on this fraud-majority subset."
)


def _round(v: float) -> float | None:
    return None if v != v else round(float(v), 4)


def fresh_world(size: str, seed: int) -> dict:
    """Verify every posting of a new world with the built verifier."""
    from app.world.generate import generate_world

    verifier = load_ad_verifier(get_settings().models_dir)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        generate_world(engine, size=size, seed=seed)
        ads = load_stored_ads(engine)
        engine.dispose()
    sig = signatures((ads["title"] + "\n" + ads["body"]).tolist())
    verifier.index = DuplicateIndex(sig, ads["id"].tolist(), ads["employer_id"].astype(str).tolist())
    verdicts = verify_many(verifier, ads, explain=False, exclude_self=True)
    flagged = np.array([v.decision != "pass" for v in verdicts])
    labels = ads["labels"].fillna("")
    problem = (labels != "").to_numpy()
    rule_family = {r.id: r.family for r in (*verifier.rules.rules, *verifier.rules.conditions)}
    per_family = {}
    for family in FAMILIES:
        member = labels.map(lambda s, f=family: any(rule_family.get(r) == f for r in s.split(";") if r)).to_numpy()
        if member.any():
            per_family[family] = {"n": int(member.sum()), "recall": _round(flagged[member].mean())}
    per_rule = {}
    for rule in sorted({r for s in labels for r in s.split(";") if r}):
        member = labels.map(lambda s, r=rule: r in s.split(";")).to_numpy()
        per_rule[rule] = {"n": int(member.sum()), "recall": _round(flagged[member].mean())}
    y_text = text_label(labels)
    p = np.array([v.ml_probability for v in verdicts], dtype=float)
    decisions = Counter(v.decision for v in verdicts)
    return {
        "eval_world": {"size": size, "seed": seed, "postings": int(len(ads)), "problem": int(problem.sum())},
        "recall": _round(flagged[problem].mean()),
        "fpr": _round(flagged[~problem].mean()),
        "per_rule_family": per_family,
        "per_rule": per_rule,
        "decisions": dict(decisions),
        "classifier_on_text_rules": classification_metrics(y_text, p),
        "false_positives": int((flagged & ~problem).sum()),
    }


def real_korean_postings() -> dict:
    """Share of real published Korean ads the verifier flags (text only)."""
    path = get_settings().shared_data_dir / "korean_job_postings" / "wanted_postings_2023.jsonl.gz"
    if not path.exists():
        return {"skipped": f"{path} 없음"}
    rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    body = ["\n".join(str(r.get(k) or "") for k in ("GROUP_INTRO", "MAINDUTIES", "QUALIFICATION", "PREFERENTIAL", "BENEFITS"))
            for r in rows]
    ads = pd.DataFrame({"id": [str(r.get("ID", i)) for i, r in enumerate(rows)], "title": [str(r.get("TITLE") or "") for r in rows],
                        "body": body, "wage_type": "monthly", "wage": 3_000_000, "hours_per_week": 40.0})
    verifier = load_ad_verifier(get_settings().models_dir)
    verifier.index = None  # their duplicates of our world's postings are not the question here
    verdicts = verify_many(verifier, ads, check_identity=False, explain=False, duplicates=False)
    by_rule = Counter(h.rule_id for v in verdicts for h in v.hits)
    flagged = [v.decision != "pass" for v in verdicts]
    ml_only = [v.decision != "pass" and not v.hits for v in verdicts]
    return {"n": len(ads), "flagged_share": _round(np.mean(flagged)), "flagged_by_rules": dict(by_rule),
            "flagged_by_classifier_only": int(np.sum(ml_only)),
            "note": "published ads (mostly lawful): the flagged share bounds the false-positive rate from above"}


def emscad(seed: int) -> dict:
    """The verifier's training code on EMSCAD's English ads."""
    base = get_settings().shared_data_dir / "emscad_fake_jobs"
    fraud_path, sample_path = base / "emscad_fraudulent_all866.csv", base / "fj_small_2pct_sample.csv"
    if not (fraud_path.exists() and sample_path.exists()):
        return {"skipped": "EMSCAD 자료 없음"}
    fraud = pd.read_csv(fraud_path, dtype=str, keep_default_na=False)
    sample = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
    frame = pd.concat([fraud.assign(label=1), sample.assign(label=sample["fraudulent"].astype(int))], ignore_index=True)
    frame = frame.drop_duplicates(subset=["title", "description"], keep="first").reset_index(drop=True)
    text_columns = ("company_profile", "description", "requirements", "benefits")

    def clean(column: str) -> pd.Series:
        return frame[column].fillna("").map(lambda s: html.unescape(str(s)))

    ads = pd.DataFrame({"title": clean("title"), "body": clean(text_columns[0]).str.cat([clean(c) for c in text_columns[1:]],
                                                                                           sep="\n")})
    y = frame["label"].astype(int).to_numpy()
    _, metrics = train_classifier(ads, y, language="en", seed=seed)
    held_out = metrics.pop("n")
    return {"n_ads": int(len(y)), "n_fraud": int(y.sum()), "n_held_out": int(held_out), **metrics,
            "duplicates_removed": int(len(fraud) + len(sample) - len(frame)), "published": PUBLISHED_EMSCAD}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-seed", type=int, default=424242)
    parser.add_argument("--size", default="demo", choices=["small", "demo", "large"])
    args = parser.parse_args()
    result = fresh_world(args.size, args.eval_seed)
    manifest = load_manifest(get_settings().models_dir) or {}
    built = manifest.get("models", {}).get("ad_verifier", {}).get("metrics", {})
    result["build_held_out"] = {k: built.get(k) for k in ("recall_test", "fpr_test", "ml_pr_auc", "ml_recall", "ml_precision",
                                                           "ml_review_threshold")}
    result["real_korean_postings"] = real_korean_postings()
    result["emscad"] = emscad(args.eval_seed % 1000)
    result["targets"] = {"recall": 0.95, "fpr": 0.05}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
