"""자기소개서 첨삭 against REAL Korean job postings; prints one JSON object.

The synthetic world has no real postings' wording, so the fit feedback (:mod:`app.copilot.cover_letter`) is
run on real ones: ``--postings`` postings (default 200, drawn with ``--seed`` from those with a non-empty
자격 요건) of ``../shared/data/korean_job_postings/wanted_postings_2023.jsonl.gz`` (fields TITLE,
MAINDUTIES, QUALIFICATION, PREFERENTIAL) become :class:`~app.copilot.cover_letter.PostingFacts`, and the
cover letters of ``--letters`` seekers of a small generated world (seed 7, in a temporary folder) are
fitted to each with the offline composer and the faithfulness check (:func:`app.copilot.generation.run_task`).

Reported (aggregates only: the postings have no redistribution licence, no row is printed):

* ``outputs``, ``share_zero_removals`` (outputs whose every offline statement passed the check; target 1.0),
  ``removed_statements``;
* ``posting_lines_mean`` (lines kept of 주요 업무, 자격 요건 and 우대 사항), ``requirement_lines_mean``
  (자격 요건 and 우대 사항 only), ``lines_with_terms_share`` (lines with at least one content word the
  letter or the record can be matched on), ``postings_naming_certificate_share`` (a certificate of the
  reference tables named), ``postings_with_years_share`` ("경력 N년 이상");
* per output: ``addressed_mean`` (posting lines the letter addresses) and ``addressed_share`` (outputs with
  at least one; the world's letters are for other occupations than most of these postings, so this is
  mostly an upper bound of chance matches), ``record_only_mean`` (lines the
  record holds but the letter does not), ``missing_mean``, ``fit_statements_mean``, ``hunks_mean``
  (changes of the rewrite);
* ``pii_leaks_in_messages`` (personal data in the chat messages a model would receive; target 0);
* ``ms_per_letter_median`` / ``ms_per_letter_p95`` (one task built and checked, offline).

Usage: python bench/copilot_cover_letter_real.py [--postings 200] [--letters 5] [--seed 7] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.copilot.context import SeekerContext  # noqa: E402
from app.copilot.cover_letter import PostingFacts, cover_letter_task, hunks_from_output, requirement_terms  # noqa: E402
from app.copilot.generation import leaked_pii, run_task, task_messages  # noqa: E402
from app.copilot.grounding import build_vocabulary  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories.seekers import load_masked_documents  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402

POSTINGS_FILE = Path("korean_job_postings") / "wanted_postings_2023.jsonl.gz"


def read_postings(data: Path, count: int, seed: int) -> list[PostingFacts]:
    """``count`` postings with a 자격 요건, drawn with ``seed``."""
    with gzip.open(data / POSTINGS_FILE, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    usable = [r for r in rows if str(r.get("QUALIFICATION") or "").strip()]
    picked = random.Random(seed).sample(usable, min(count, len(usable)))
    return [PostingFacts.from_sections(str(r.get("TITLE") or ""), duties=str(r.get("MAINDUTIES") or ""),
                                       requirements=str(r.get("QUALIFICATION") or ""),
                                       preferred=str(r.get("PREFERENTIAL") or "")) for r in picked]


def world_letters(folder: Path, count: int) -> list[SeekerContext]:
    """The first ``count`` seekers with a cover letter of a small generated world, as the copilot sees them."""
    from app.world.generate import generate_world

    db = folder / "world.db"
    engine = make_engine(f"sqlite:///{db}")
    generate_world(engine, size="small", seed=7)
    ref = load_reference()
    names = dict(zip(ref.occupations["keco_code"], ref.occupations["name"], strict=True))
    certificate_names = dict(zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True))
    conn = sqlite3.connect(db)
    seekers = conn.execute("SELECT id, age, education, career_years, desired_keco, desired_wage, registered_on, skills "
                           "FROM seekers WHERE cover_letter_text <> '' ORDER BY id LIMIT ?", (count,)).fetchall()
    contexts = []
    for seeker_id, age, education, career, keco, wage, registered, skills in seekers:
        held = [certificate_names[c] for (c,) in conn.execute(
            "SELECT certificate_id FROM seeker_certificates WHERE seeker_id = ?", (seeker_id,))]
        documents = load_masked_documents(engine, seeker_id)
        registered_on = dt.date.fromisoformat(registered)
        contexts.append(SeekerContext(
            seeker_id=seeker_id, age=age, education=education, career_years=career, desired_keco=keco,
            desired_occupation=names[keco], desired_wage=wage, desired_region="", registered_on=registered_on,
            as_of=registered_on, skills=tuple(s for s in skills.split(";") if s), certificates=tuple(held),
            resume=documents.resume if documents else "", cover_letter=documents.cover_letter if documents else ""))
    conn.close()
    engine.dispose()
    return contexts


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, default=200)
    parser.add_argument("--letters", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        # the world's 주민등록번호 key goes to the temporary folder, never to the project's config/
        os.environ.setdefault("GOYONG_RRN_KEY_FILE", str(Path(folder) / "rrn.key"))
        get_settings.cache_clear()
        contexts = world_letters(Path(folder), args.letters)
    ref = load_reference()
    vocabulary = build_vocabulary(ref.certificates["name"], ref.occupations["name"])
    postings = read_postings(args.data, args.postings, args.seed)
    certificates = vocabulary.pattern("certificate")
    lines = [[*p.requirements, *p.preferred, *p.duties] for p in postings]
    milliseconds: list[float] = []
    fit: dict[str, list[float]] = {"addressed": [], "record_only": [], "missing": [], "statements": [], "hunks": []}
    removed = zero_removals = leaks = 0
    for posting in postings:
        for context in contexts:
            tick = time.perf_counter()
            task = cover_letter_task(context, posting, vocabulary, reference=ref)
            output = run_task(task, None, vocabulary)
            milliseconds.append((time.perf_counter() - tick) * 1000)
            removed += output.removed
            zero_removals += output.removed == 0
            leaks += leaked_pii(task_messages(task))
            counts = output.data.get("fit", {})
            for key in ("addressed", "record_only", "missing"):
                fit[key].append(float(counts.get(key, 0)))  # type: ignore[union-attr]
            fit["statements"].append(float(len(output.of_kind("fit"))))
            fit["hunks"].append(float(len(hunks_from_output(output, context, vocabulary=vocabulary))))
    outputs = len(postings) * len(contexts)
    all_lines = [line for group in lines for line in group]
    milliseconds.sort()
    print(json.dumps({
        "postings": len(postings),
        "letters": len(contexts),
        "outputs": outputs,
        "share_zero_removals": round(zero_removals / outputs, 4) if outputs else None,
        "removed_statements": removed,
        "posting_lines_mean": _mean([float(len(group)) for group in lines]),
        "requirement_lines_mean": _mean([float(len(p.requirements) + len(p.preferred)) for p in postings]),
        "lines_with_terms_share": round(sum(bool(requirement_terms(x)) for x in all_lines) / len(all_lines), 4)
        if all_lines else None,
        "postings_naming_certificate_share": round(sum(
            any(certificates.search(x) for x in group) for group in lines) / len(postings), 4)
        if certificates is not None and postings else None,
        "postings_with_years_share": round(sum(
            any("년 이상" in x and any(w in x for w in ("경력", "경험", "유관")) for x in group) for group in lines)
            / len(postings), 4) if postings else None,
        "addressed_mean": _mean(fit["addressed"]),
        "addressed_share": round(sum(x > 0 for x in fit["addressed"]) / outputs, 4) if outputs else None,
        "record_only_mean": _mean(fit["record_only"]),
        "missing_mean": _mean(fit["missing"]),
        "fit_statements_mean": _mean(fit["statements"]),
        "hunks_mean": _mean(fit["hunks"]),
        "pii_leaks_in_messages": leaks,
        "ms_per_letter_median": round(statistics.median(milliseconds), 2) if milliseconds else None,
        "ms_per_letter_p95": round(milliseconds[int(0.95 * (len(milliseconds) - 1))], 2) if milliseconds else None,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - started, 1),
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
