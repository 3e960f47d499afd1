"""Quality of the adaptive interest test; prints one JSON object.

1. **World** (top-level keys): the demo world's full-form administrations of our 126 RIASEC items
   (answers drawn from the true graded-response parameters and the takers' true traits). The bank
   is calibrated on three quarters of the takers and the app's test (:data:`app.ml.interest_bank.APP_SETTINGS`)
   is simulated on the last quarter: ``items_used_share``, ``top1_agreement``,
   ``top3_set_agreement`` (against the same takers' full-form scale scores, ties counting as in
   :mod:`app.ml.adaptive_simulation`) and ``theta_rmse`` (EAP against the true traits, which only
   the world knows; traits standardised by the calibration, so it measures the ranking-relevant
   precision, not an absolute scale).
2. **Real** (``real_*``): ``../shared/data/riasec_responses`` (8,855 respondents × 48 items of the
   open RIASEC markers), split in half with a fixed seed: calibrated on one half, the contract's
   test (:func:`app.ml.adaptive_test.contract_settings`, what ``python -m app interest simulate``
   runs) simulated on the other. Also the best **static short form** of 24 items (the 4 items per
   scale with the highest discrimination, scored the same way) for comparison.

Usage: ``python bench/interest_quality.py [--real-limit N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import get_settings  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories import interest as interest_repo  # noqa: E402
from app.ml.adaptive_simulation import full_form_scores, simulate_adaptive, top1_agrees, top_set_agrees  # noqa: E402
from app.ml.adaptive_test import AdaptiveTest, contract_settings  # noqa: E402
from app.ml.interest_bank import APP_SETTINGS  # noqa: E402
from app.ml.irt import GradedItemBank, calibrate_graded_bank  # noqa: E402
from app.reference.interest import RIASEC_SCALES  # noqa: E402

REAL_FILE = Path("riasec_responses") / "riasec_48item_responses.csv"


def _static_form(bank: GradedItemBank, answers: np.ndarray, per_scale: int = 4) -> dict[str, float]:
    """The short form of the ``per_scale`` most discriminating items of every scale."""
    chosen = np.concatenate([bank.items_of(s)[np.argsort(-bank.discrimination[bank.items_of(s)])[:per_scale]]
                             for s in bank.scales])
    full = full_form_scores(bank, answers)
    curves = AdaptiveTest.curves_for(bank)
    top1 = top3 = 0
    for i, person in enumerate(answers):
        test = AdaptiveTest(bank, APP_SETTINGS, curves)
        for j in np.flatnonzero(person < 1):
            test.mark_unavailable(int(j))
        for j in chosen:
            if person[j] >= 1:
                test.answer(int(j), int(person[j]))
        ranking = test.estimate().ranking
        top1 += top1_agrees(full[i], int(ranking[0]))
        top3 += top_set_agrees(full[i], ranking[:3])
    return {"items": float(len(chosen)), "top1_agreement": round(top1 / len(answers), 4),
            "top3_set_agreement": round(top3 / len(answers), 4)}


def world_run(seed: int) -> dict[str, float]:
    """Calibrate on the demo world's takers and simulate the app's test on held-out ones."""
    engine = make_engine(get_settings().db_url)
    items = interest_repo.load_items(engine)
    answers = interest_repo.load_full_form_answers(engine)
    with engine.connect() as conn:
        truth = pd.read_sql("select seeker_id, theta_r, theta_i, theta_a, theta_s, theta_e, theta_c from truth_seekers",
                            conn).set_index("seeker_id")
    engine.dispose()
    riasec = items[items["scale"].isin(RIASEC_SCALES)]
    scales = {s: riasec.loc[riasec["scale"] == s, "item_code"].tolist() for s in RIASEC_SCALES}
    codes = [c for v in scales.values() for c in v]
    order = np.random.default_rng(seed).permutation(len(answers))
    held, calibration = order[: len(order) // 4], order[len(order) // 4:]
    bank = calibrate_graded_bank(answers.iloc[calibration][codes], scales)
    matrix = np.nan_to_num(answers.iloc[held][codes].to_numpy(float), nan=-1).astype(int)
    theta = truth.reindex(answers.index[held]).to_numpy(float)
    # the calibration's trait scale is standardised on its takers: put the truth on the same footing
    theta = (theta - np.nanmean(theta, axis=0)) / np.nanstd(theta, axis=0)
    started = time.perf_counter()
    result = simulate_adaptive(bank, matrix, APP_SETTINGS, true_theta=theta)
    s = result.summary
    return {
        "items_used_share": s["items_used_share"], "top1_agreement": s["top1_agreement"],
        "top3_set_agreement": s["top3_set_agreement"], "theta_rmse": s["theta_rmse"],
        "items_used_mean": s["items_used_mean"], "items_in_bank": s["items_in_bank"], "takers": s["n_respondents"],
        "max_exposure_rate": s["max_exposure_rate"], "seconds": round(time.perf_counter() - started, 1),
    }


def real_run(seed: int, limit: int | None) -> dict[str, float]:
    """Half of the real responses calibrate, the other half take the contract's test."""
    path = get_settings().shared_data_dir / REAL_FILE
    if not path.exists():
        return {"skipped": "../shared/data/riasec_responses 없음"}  # type: ignore[dict-item]
    frame = pd.read_csv(path)
    scales = {s: [f"{s}{i}" for i in range(1, 9)] for s in RIASEC_SCALES}
    codes = [c for v in scales.values() for c in v]
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    bank = calibrate_graded_bank(frame.iloc[order[:half]][codes].astype(float), scales)
    test = frame.iloc[order[half:]][codes].to_numpy()
    test = np.where(test >= 1, test, -1)[: limit or None]
    started = time.perf_counter()
    result = simulate_adaptive(bank, test, contract_settings(bank.n_items, len(bank.scales)))
    s = result.summary
    return {
        "items_used_share": s["items_used_share"], "top1_agreement": s["top1_agreement"],
        "top3_set_agreement": s["top3_set_agreement"], "items_used_mean": s["items_used_mean"],
        "respondents": s["n_respondents"], "max_exposure_rate": s["max_exposure_rate"],
        "stop_reasons": s["stop_reasons"], "static24": _static_form(bank, test),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    """Run both parts and print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real-limit", type=int, default=None, help="simulate only the first N real respondents")
    args = parser.parse_args()
    world = world_run(args.seed)
    real = real_run(args.seed, args.real_limit)
    out = {**world, **{f"real_{k}": v for k, v in real.items()}}
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
