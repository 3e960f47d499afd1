"""Certificate-value analysis quality and speed; prints one JSON object (issue 19).

* ``worked_example_max_error`` — our entropy weights (pymcdm, sum normalisation) against the weights
  published in Xu (2004), EJOR 156(2): 530–532 (four decimals);
* on a world (generated here with ``--size``/``--seed``, or the database of ``--db``), the analysis as
  the build runs it (``--bootstrap`` resamples; default the build's):
  * ``spearman_true_value`` — rank agreement of the 청년·전체 업종 composite scores with the world's
    true certificate value (``truth_certificate_values``, averaged over the holders' industries);
    ``spearman_true_value_manufacturing`` the same over the 제조업·비제조업 (certificate × group) scores;
  * ``technical_higher_in_manufacturing`` — technical certificates' manufacturing − other score gap has
    its bootstrap interval above 0; ``pattern_found`` — and that gap exceeds the service certificates'
    (the difference's interval above 0; needs service certificates scored in both groups), per
    population; ``field_gap_*`` the figures;
  * ``score_interval_width`` — median width of the 95 % score intervals (100-point scale);
  * ``certificates_scored`` / ``certificates_suppressed`` and ``seconds``.

Usage: python bench/certificate_value.py [--size demo] [--seed 20261123] [--db URL] [--bootstrap 100]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.analytics.certificate_value import (  # noqa: E402
    MANUFACTURING_GROUP,
    AnalysisSettings,
    analyse_certificates,
    worked_example_check,
)
from app.db.engine import make_engine  # noqa: E402
from app.db.repositories import certificates as certificate_repo  # noqa: E402
from app.ml.certificate_value import certificate_names, load_analysis_frame  # noqa: E402
from app.reference.certificate_fields import MANUFACTURING  # noqa: E402
from app.reference.tables import load_reference  # noqa: E402
from app.world.generate import generate_world  # noqa: E402
from app.world.jobs import load_true_certificate_values  # noqa: E402


def true_values(frame: pd.DataFrame, holdings: pd.DataFrame, values: pd.DataFrame, ages: tuple[int, int] | None,
                group: str | None = None) -> pd.Series:
    """Per certificate: its true value averaged over the industries of its holders (of a group)."""
    people = frame if ages is None else frame[frame["age"].between(*ages)]
    if group == MANUFACTURING_GROUP:
        people = people[people["industry_code"] == MANUFACTURING]
    elif group is not None:
        people = people[(people["industry_code"] != MANUFACTURING) & (people["industry_code"] != "")]
    held = holdings.merge(people[["seeker_id", "industry_code"]], on="seeker_id")
    held = held.merge(values, on=["certificate_id", "industry_code"], how="inner")
    return held.groupby("certificate_id")["value"].mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="demo")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--db", default=None, help="an existing world database (skips generation)")
    parser.add_argument("--bootstrap", type=int, default=AnalysisSettings().bootstrap)
    args = parser.parse_args()
    out: dict[str, object] = {k: v for k, v in worked_example_check().items() if k == "worked_example_max_error"}
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'world.db'}"
        engine = make_engine(url)
        if args.db is None:
            generate_world(engine, size=args.size, seed=args.seed)
        ref = load_reference()
        frame, observation_end = load_analysis_frame(engine, ref)
        holdings = certificate_repo.load_certificate_holdings(engine)
        values = load_true_certificate_values(engine)
        engine.dispose()
        started = time.perf_counter()
        result = analyse_certificates(frame, holdings, certificate_names(ref), AnalysisSettings(bootstrap=args.bootstrap),
                                      observation_end=observation_end)
        out["seconds"] = round(time.perf_counter() - started, 1)
    out["seekers"] = len(frame)
    out["bootstrap"] = args.bootstrap
    scores = result.scores
    for population, ages in (("young", (15, 34)), ("all", None)):
        pooled = scores[(scores["population"] == population) & (scores["scope"] == "pooled")]
        truth_pooled = true_values(frame, holdings, values, ages)
        joined = pooled.set_index("certificate_id")["score"].to_frame().join(truth_pooled, how="inner")
        out[f"{population}_certificates_scored"] = len(pooled)
        out[f"{population}_spearman_true_value"] = (round(float(spearmanr(joined["score"], joined["value"]).statistic), 3)
                                                    if len(joined) >= 3 else None)
        split = scores[(scores["population"] == population) & (scores["scope"] == "manufacturing")]
        pairs = []
        for group, rows in split.groupby("group"):
            truth_group = true_values(frame, holdings, values, ages, group)
            pairs.append(rows.set_index("certificate_id")["score"].to_frame().join(truth_group, how="inner"))
        both = pd.concat(pairs) if pairs else pd.DataFrame(columns=["score", "value"])
        out[f"{population}_spearman_true_value_manufacturing"] = (
            round(float(spearmanr(both["score"], both["value"]).statistic), 3) if len(both) >= 3 else None)
        gaps = result.field_gaps[result.field_gaps["population"] == population] if len(result.field_gaps) else None
        if gaps is not None and len(gaps):
            gap = gaps.iloc[0]
            for key in ("technical_gap", "service_gap", "difference", "difference_low", "difference_high"):
                out[f"{population}_field_gap_{key}"] = None if pd.isna(gap[key]) else round(float(gap[key]), 2)
            out[f"{population}_field_gap_certificates"] = {"technical": int(gap["technical_certificates"]),
                                                           "service": int(gap["service_certificates"])}
            out[f"{population}_technical_gap_low"] = round(float(gap["technical_gap_low"]), 2)
            out[f"{population}_technical_higher_in_manufacturing"] = bool(gap["technical_gap_low"] > 0)
            out[f"{population}_pattern_found"] = bool(np.isfinite(gap["difference_low"]) and gap["difference_low"] > 0)
        else:
            out[f"{population}_technical_higher_in_manufacturing"] = False
            out[f"{population}_pattern_found"] = False
    out["score_interval_width"] = round(float(result.metrics.get("score_interval_width", float("nan"))), 1)
    out["topsis_spearman"] = round(float(result.metrics.get("topsis_spearman", float("nan"))), 3)
    out["certificates_suppressed_young_pooled"] = int(result.metrics.get("certificates_suppressed", 0))
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
