"""Counselling copilot quality on the configured (demo) world; prints one JSON object.

For ``--seekers`` seekers of the open caseload (seeded sample), every task of the preparation and
the counselling page (diagnosis, roadmap, competency feedback, cover-letter feedback, stage Q&A and
the summary of the seeker's newest note) is run twice: with the offline composer and with a scripted
OpenAI-compatible server (:mod:`app.copilot.scripted`) that restates sources and, in ``--invent``
of its statements, adds a fact no source holds.

Keys:

* ``faithfulness`` (target 1.0): share of outputs, over both backends, in which no shown statement
  carries an invented fact (the server's record) and every shown statement passes an independent
  re-check of its claims against the task's sources;
* ``faithfulness_before_check``: the same for the server's raw answers (what a page without the check
  would have shown);
* ``barrier_coverage`` (target ≥ 0.9): share of the seekers' true barriers (``truth_seekers.barriers``,
  the world's truth) that the offline diagnosis names; ``barrier_precision`` the share of the
  diagnosis's rule barriers that are true ones;
* ``pii_leaks`` (target 0): personal-data spans in anything sent to the server or shown — half of the
  seekers get an unmasked phone number and e-mail planted in their cover letter and notes first, as if
  an upstream mask had missed them;
* ``invented_fact_catch_rate`` (target ≥ 0.95): share of the server's invented statements not shown;
  ``faithful_kept_rate`` the share of its faithful statements shown (the check does not throw away good
  text).

Usage: python bench/copilot_quality.py [--seekers 200] [--invent 0.3] [--seed 18]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.auth import User  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.copilot.generation import leaked_pii  # noqa: E402
from app.copilot.grounding import Ground, unsupported_claims  # noqa: E402
from app.copilot.scripted import scripted_server  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.llm.openai_compat import OpenAICompatibleGenerator  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.services import copilot, employment  # noqa: E402
from app.text.pii import find_pii  # noqa: E402

PLANTED_PHONE = "010-4821-7395"
PLANTED_EMAIL = "jobseeker.kim@example.com"

COUNSELLOR = User("bench-copilot", "상담사", "counsellor")


def _plant_pii(context: copilot.SeekerContext) -> copilot.SeekerContext:
    """The context with raw contact details written into the cover letter and a note."""
    letter = f"{context.cover_letter}\n연락처는 {PLANTED_PHONE}, 메일은 {PLANTED_EMAIL}입니다."
    notes = (*context.notes, (context.as_of.isoformat(), f"연락처 변경({PLANTED_PHONE}) 확인함. 다음 상담은 2주 후로 예정함."))
    return dataclasses.replace(context, cover_letter=letter, notes=notes)


def _rechecked(output: copilot.CopilotOutput, vocabulary) -> bool:  # noqa: ANN001
    """Whether every shown statement's claims are in the output's sources (an independent re-check)."""
    ground = Ground.of(output.sources)
    return all(not unsupported_claims(s.text + " " + s.detail, ground, vocabulary) for s in output.shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=200)
    parser.add_argument("--invent", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    started = time.perf_counter()
    settings = get_settings()
    engine = make_engine(settings.db_url)
    model = employment.load_employment_model(settings.models_dir)
    bands = employment.load_risk_bands(engine)
    reference = load_reference()
    vocabulary = copilot.copilot_vocabulary(reference)
    graph = copilot.occupation_graph(engine, reference)
    market = copilot.market_context(engine, model)
    scored = employment.caseload_scores(engine, model)
    ids = scored["id"].astype(int).sample(min(args.seekers, len(scored)), random_state=args.seed).tolist()
    truth = pd.read_sql("select seeker_id, barriers from truth_seekers", engine).set_index("seeker_id")["barriers"]
    rng = random.Random(args.seed)

    outputs = clean = raw_outputs = raw_clean = 0
    hit = truth_total = rule_barriers = rule_true = leaks = 0
    shown_texts: set[str] = set()
    per_task: dict[str, dict[str, int]] = {}
    with scripted_server(invent_rate=args.invent, seed=args.seed) as server:
        chat = OpenAICompatibleGenerator(server.url, "scripted", lambda request: None, timeout=30)  # type: ignore[arg-type]
        for k, seeker_id in enumerate(ids):
            context = copilot.counsellor_context(engine, COUNSELLOR, model, seeker_id, bands, reference)
            if k % 2 == 0:
                context = _plant_pii(context)
            tasks = copilot.preparation_tasks(context, reference, graph, market)
            tasks += [copilot.cover_letter(context, reference), copilot.stage_qa(context, reference, rng.choice(list(copilot.STAGES)))]
            if context.notes:
                written_on, note = context.notes[-1]
                tasks.append(copilot.session_summary(note, pd.Timestamp(written_on).date(), context))
            for task in tasks:
                for backend in (None, chat):
                    invented_before = len(server.invented)
                    result = copilot.run(task, backend, reference)
                    output = result.output
                    outputs += 1
                    texts = {s.text for s in output.shown}
                    shown_texts |= texts
                    leaks += sum(len(find_pii(s.text)) + len(find_pii(s.detail)) for s in output.shown)
                    ok = not (texts & server.invented) and _rechecked(output, vocabulary)
                    clean += ok
                    stats = per_task.setdefault(task.name, {"outputs": 0, "faithful": 0, "removed": 0})
                    stats["outputs"] += 1
                    stats["faithful"] += ok
                    stats["removed"] += output.removed
                    if backend is not None:
                        raw_outputs += 1
                        raw_clean += len(server.invented) == invented_before
                    if backend is None and task.name == "diagnosis":
                        named = {s.detail for s in output.of_kind("barrier")}
                        true = {b for b in str(truth.get(seeker_id, "")).split(";") if b}
                        hit += len(true & named)
                        truth_total += len(true)
                        rules = {b for b in task.data.get("barriers", []) if b not in ("model", "long_search")}
                        rule_barriers += len(rules)
                        rule_true += len(rules & true)
        leaks += sum(leaked_pii(request.get("messages", [])) for request in server.requests)
        invented, faithful = server.invented, server.faithful
    caught = sum(1 for text in invented if text not in shown_texts)
    kept = sum(1 for text in faithful if text in shown_texts)
    print(json.dumps({
        "seekers": len(ids),
        "outputs": outputs,
        "faithfulness": round(clean / max(outputs, 1), 4),
        "faithfulness_before_check": round(raw_clean / max(raw_outputs, 1), 4),
        "barrier_coverage": round(hit / max(truth_total, 1), 4),
        "barrier_precision": round(rule_true / max(rule_barriers, 1), 4),
        "pii_leaks": int(leaks),
        "invented_fact_catch_rate": round(caught / max(len(invented), 1), 4),
        "invented_statements": len(invented),
        "faithful_kept_rate": round(kept / max(len(faithful), 1), 4),
        "server_requests": len(server.requests),
        "per_task": per_task,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
