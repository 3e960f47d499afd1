"""Job-ad verification quality; prints one JSON object.

1. **Fresh world.** The built verifier (trained on the configured world) checks every posting of
   a world generated with another seed — ads it has never seen, with their own duplicates (a
   duplicate index of that world's postings, later copies flagged): recall of labelled problem
   ads (flagged = review or block), false-positive rate of clean ads, both per rule family, and
   the classifier's own PR-AUC there.
2. **Build held-out split** (``models/manifest.json``): recall and FPR on the fifth of the
   configured world the classifier did not see.
3. **Real Korean postings nobody here wrote** (``../shared/data/korean_job_postings``, 4,061
   Wanted ads 2023 and 208 distinct Worknet ads; :func:`app.verify.evaluation.load_real_ads`):
   ``real_flagged_share`` (text only: they carry no wage or contact fields; duplicates on) and
   ``real_flag_precision`` against the hand labels in ``data/evaluation/`` (every flagged ad must
   be labelled: ``flagged_unlabelled`` lists those that are not); the duplicate pairs' precision
   and recall, position-level against whole-text.
4. **The written set** (``bench/data/ads_written``): 305 hand-written ads — unlawful ones and
   lawful look-alikes of every category, plus ordinary ads — ``written_recall``,
   ``written_fpr``, per family and per category (also what the rules alone catch).
5. **EMSCAD** (``../shared/data/emscad_fake_jobs``): the same training code
   (:func:`app.verify.classifier.train_classifier`, ``language="en"``) on the 866 fraudulent and
   the 2 % sample of real English ads; held-out recall, precision and PR-AUC of the fraud class.

Targets: recall ≥ 0.95 at FPR ≤ 0.05 on the world (issue 5); on real ads a flagged share ≤ 3 % with
precision ≥ 0.8, and on the written set recall ≥ 0.95 at FPR ≤ 0.05 per family (issue 13).
Usage: python bench/ad_quality.py [--eval-seed 424242] [--size demo]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings
from app.db.engine import make_engine
from app.ml.manifest import load_manifest
from app.verify.classifier import classification_metrics, train_classifier
from app.verify.duplicates import DEFAULT_THRESHOLD, DuplicateIndex, position_signatures, signatures
from app.verify.evaluation import as_cli_ads, load_duplicate_pairs, load_real_ads, load_real_labels, load_written_ads
from app.verify.rules import FAMILIES, load_default_rules
from app.verify.verifier import load_ad_verifier, load_stored_ads, text_label, verify_many

ROOT = Path(__file__).resolve().parents[1]
EVALUATION_DIR = ROOT / "data" / "evaluation"
WRITTEN_DIR = ROOT / "bench" / "data" / "ads_written"
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

    verifier = load_ad_verifier(get_settings().models_dir).with_rules(load_default_rules())
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        generate_world(engine, size=size, seed=seed)
        ads = load_stored_ads(engine)
        engine.dispose()
    sig = position_signatures(zip(ads["title"].tolist(), ads["body"].tolist(), strict=True))
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
    """The verifier on real published ads nobody here wrote (text only; with duplicates).

    Keys: ``real_flagged_share`` (share of the 4,269 distinct ads sent to review or block),
    ``real_flag_precision`` (share of flagged ads the hand labels call unlawful or a true repost),
    the same two on the ads the build never read (``real_heldout_*``: odd Wanted ids and Worknet),
    the duplicate pairs' precision and recall against ``data/evaluation/real_duplicate_pairs.csv``.
    """
    settings = get_settings()
    ads = load_real_ads(settings.shared_data_dir)
    if ads.empty:
        return {"skipped": f"{settings.shared_data_dir / 'korean_job_postings'} 없음"}
    verifier = load_ad_verifier(settings.models_dir).with_rules(load_default_rules())
    verifier.index = None  # their duplicates of our world's postings are not the question here
    verdicts = verify_many(verifier, as_cli_ads(ads), check_identity=False, explain=False, duplicates=True)
    flagged = np.array([v.decision != "pass" for v in verdicts])
    by_rule = Counter(h.rule_id for v in verdicts for h in v.hits)
    labels = load_real_labels(EVALUATION_DIR).set_index("id")
    pairs = load_duplicate_pairs(EVALUATION_DIR)
    repost = {a for a, b, same in zip(pairs["id_a"], pairs["id_b"], pairs["same_position"], strict=True) if same == 1}
    repost |= {b for a, b, same in zip(pairs["id_a"], pairs["id_b"], pairs["same_position"], strict=True) if same == 1}
    # the build learns lawful text from Wanted ids ≡ 0 (mod 4) and its threshold from ≡ 2 (mod 4): the
    # odd ids and the Worknet ads are the part of the real ads it never read
    number = pd.to_numeric(ads["id"].str.removeprefix("wanted:"), errors="coerce")
    held_out = (~(ads["source"].eq("wanted") & number.notna() & (number % 2 == 0))).to_numpy()
    correct, judged, unlabelled = np.zeros(2), np.zeros(2), []
    for identifier, verdict, unseen in zip(ads["id"], verdicts, held_out, strict=True):
        if verdict.decision == "pass":
            continue
        text_flag = any(h.rule_id != "DUPLICATE" for h in verdict.hits) or not verdict.duplicates
        if identifier in labels.index:
            right = int(labels.at[identifier, "unlawful"] == 1 or (bool(verdict.duplicates) and identifier in repost))
        elif not text_flag:  # flagged only as a duplicate: right when the pair labels call it a repost
            right = int(identifier in repost)
        else:
            unlabelled.append(identifier)
            continue
        for k in (0, 1) if unseen else (0,):
            judged[k] += 1
            correct[k] += right
    random_rows = labels[labels["sample"] == "random"]
    position = {i: k for k, i in enumerate(ads["id"])}
    random_flagged = np.array([flagged[position[i]] for i in random_rows.index if i in position])
    random_unlawful = random_rows["unlawful"].to_numpy() == 1
    return {
        "n": int(len(ads)),
        "real_flagged_share": _round(flagged.mean()),
        "real_flag_precision": _round(correct[0] / judged[0]) if judged[0] else None,
        "real_heldout_n": int(held_out.sum()),
        "real_heldout_flagged_share": _round(flagged[held_out].mean()),
        "real_heldout_flag_precision": _round(correct[1] / judged[1]) if judged[1] else None,
        "n_flagged": int(flagged.sum()),
        "n_flagged_labelled": int(judged[0]),
        "flagged_unlabelled": unlabelled,
        "flagged_by_rule": dict(by_rule),
        "flagged_by_classifier_only": int(sum(v.decision != "pass" and not v.hits for v in verdicts)),
        "random300_recall": _round(random_flagged[random_unlawful].mean()) if random_unlawful.any() else None,
        "random300_n_unlawful": int(random_unlawful.sum()),
        "duplicates": duplicate_pairs(ads, pairs),
    }


def duplicate_pairs(ads: pd.DataFrame, pairs: pd.DataFrame) -> dict:
    """Position-level duplicate detection on the hand-labelled candidate pairs of real ads, next to
    the whole-text MinHash it replaced (precision and recall of "same position")."""
    text = ads.set_index("id")
    ids = sorted(set(pairs["id_a"]) | set(pairs["id_b"]))
    where = {k: i for i, k in enumerate(ids)}
    methods = {
        "position": position_signatures(zip(text.loc[ids, "title"], text.loc[ids, "body"], strict=True)),
        "whole_text": signatures((text.loc[ids, "title"] + "\n" + text.loc[ids, "body"]).tolist()),
    }
    same = pairs["same_position"].to_numpy() == 1
    out = {"n_pairs": int(len(pairs)), "n_same_position": int(same.sum())}
    for name, sig in methods.items():
        agreement = np.array([(sig[where[a]] == sig[where[b]]).mean() for a, b in zip(pairs["id_a"], pairs["id_b"], strict=True)])
        called = agreement >= DEFAULT_THRESHOLD
        out[name] = {"flagged_pairs": int(called.sum()),
                     "precision": _round((called & same).sum() / called.sum()) if called.any() else None,
                     "recall": _round((called & same).sum() / same.sum()) if same.any() else None}
    return out


def written_set() -> dict:
    """The verifier on the hand-written unlawful ads and lawful look-alikes (every field given)."""
    ads = load_written_ads(WRITTEN_DIR)
    verifier = load_ad_verifier(get_settings().models_dir).with_rules(load_default_rules())
    verifier.index = None
    verdicts = verify_many(verifier, ads, explain=False, duplicates=False)
    flagged = np.array([v.decision != "pass" for v in verdicts])
    rules_only = replace(verifier, classifier=None, sentence_model=None, _gated=None).verify(ads, explain=False, duplicates=False)
    by_rules = np.array([any(h.rule_id not in ("MISSING_IDENTITY",) for h in v.hits) for v in rules_only])
    unlawful = ads["unlawful"].to_numpy() == 1
    per_family, per_category = {}, {}
    for family in sorted(ads["family"].unique()):
        member = (ads["family"] == family).to_numpy()
        per_family[family] = {"n_unlawful": int((member & unlawful).sum()), "n_lawful": int((member & ~unlawful).sum()),
                              "recall": _round(flagged[member & unlawful].mean()) if (member & unlawful).any() else None,
                              "fpr": _round(flagged[member & ~unlawful].mean()) if (member & ~unlawful).any() else None}
    for category in sorted(ads["category"].unique()):
        member = (ads["category"] == category).to_numpy()
        per_category[category] = {
            "recall": _round(flagged[member & unlawful].mean()) if (member & unlawful).any() else None,
            "fpr": _round(flagged[member & ~unlawful].mean()) if (member & ~unlawful).any() else None,
            "rules_recall": _round(by_rules[member & unlawful].mean()) if (member & unlawful).any() else None}
    return {"n": int(len(ads)), "n_unlawful": int(unlawful.sum()),
            "written_recall": _round(flagged[unlawful].mean()), "written_fpr": _round(flagged[~unlawful].mean()),
            "per_family": per_family, "per_category": per_category,
            "missed": ads.loc[unlawful & ~flagged, "id"].tolist(), "false_alarms": ads.loc[~unlawful & flagged, "id"].tolist()}


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
    real = real_korean_postings()
    written = written_set()
    result["real_korean_postings"] = real
    result["written_set"] = written
    for key in ("real_flagged_share", "real_flag_precision", "real_heldout_flagged_share", "real_heldout_flag_precision"):
        result[key] = real.get(key)
    for key in ("written_recall", "written_fpr"):
        result[key] = written.get(key)
    result["emscad"] = emscad(args.eval_seed % 1000)
    result["targets"] = {"recall": 0.95, "fpr": 0.05, "real_flagged_share": 0.03, "real_flag_precision": 0.8,
                         "written_recall_per_family": 0.95, "written_fpr_per_family": 0.05}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
