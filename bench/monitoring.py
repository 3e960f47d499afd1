"""Model-monitoring quality and speed; prints one JSON object (issue 19, part 4).

1. **Alerts on shifted vs unshifted samples** (seeded resamples, thresholds from
   ``data/reference/monitoring_thresholds.yaml``; a window of ``--window`` scores against a reference of
   ``--reference`` scores):
   * ``synthetic`` — scores drawn from Beta(2, 5): ``psi_false_alarm_rate`` (unshifted windows raising
     주의 or more), ``psi_detection_rate`` (windows whose scores moved up by ``--shift``), and for
     calibration ``calibration_false_alarm_rate`` (outcomes drawn from the scores) and
     ``calibration_detection_rate`` (outcomes at ``--outcome-factor`` × the scores: a labour-market shock);
   * ``world`` (when a demo world and models are configured) — the employment model's scores of the
     training cohort: unshifted bootstrap windows against windows where seekers aged 60+ are
     ``--age-weight`` times as likely (an ageing caseload; 3 and 10 by default), PSI false alarms and detection.
2. **Report time** on the configured world: ``report_seconds`` (everything the page and
   ``python -m app monitor`` compute), ``xlsx_seconds``, alerts and warnings raised.
3. **Real data** (``../shared/data/kdt_training_courses``): the course outcome model fitted on the
   courses that started before its time-split cutoff (as deployed at that date) and monitored on the
   years after it — ``kdt_by_year``: courses, PSI against the training courses' predictions, mean
   predicted, observed 6-month rate, gap and ECE per start year; ``kdt_alerts`` the alerts raised.

Usage: GOYONG_DB_URL=… GOYONG_MODELS_DIR=… python bench/monitoring.py [--resamples 200] [--window 1000]
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

from app.analytics import monitoring as mon  # noqa: E402
from app.config import get_settings  # noqa: E402

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"


def _raised(level: mon.Level, value: float) -> bool:
    return level.of(value) != mon.NORMAL


def synthetic(args: argparse.Namespace, thresholds: mon.Thresholds) -> dict[str, float]:
    """False-alarm and detection rates of PSI and calibration on seeded Beta(2, 5) scores."""
    rng = np.random.default_rng(args.seed)
    psi_false = psi_hit = cal_false = cal_hit = 0
    for _ in range(args.resamples):
        reference = rng.beta(2, 5, args.reference)
        edges = mon.psi_edges(reference, thresholds.psi_bins)
        same = rng.beta(2, 5, args.window)
        moved = np.clip(rng.beta(2, 5, args.window) + args.shift, 0, 1)
        psi_false += _raised(thresholds.psi, mon.psi(reference, same, edges))
        psi_hit += _raised(thresholds.psi, mon.psi(reference, moved, edges))
        y_same = (rng.uniform(size=args.window) < same).astype(float)
        y_shock = (rng.uniform(size=args.window) < same * args.outcome_factor).astype(float)
        for y, counter in ((y_same, "false"), (y_shock, "hit")):
            raised = (_raised(thresholds.ece, mon.expected_calibration_error(y, same, thresholds.ece_bins))
                      or _raised(thresholds.calibration_gap, abs(float(same.mean() - y.mean()))))
            if counter == "false":
                cal_false += raised
            else:
                cal_hit += raised
    n = float(args.resamples)
    return {"psi_false_alarm_rate": psi_false / n, "psi_detection_rate": psi_hit / n,
            "calibration_false_alarm_rate": cal_false / n, "calibration_detection_rate": cal_hit / n,
            "shift": args.shift, "outcome_factor": args.outcome_factor, "window": args.window,
            "reference": args.reference, "resamples": args.resamples}


def world(args: argparse.Namespace, thresholds: mon.Thresholds) -> dict[str, object] | None:
    """PSI false alarms and detection of an ageing caseload on the employment model's real scores."""
    from app.db.engine import make_engine
    from app.db.repositories.seekers import load_seeker_records
    from app.ml.employment_features import HORIZON_DAYS
    from app.services import employment

    settings = get_settings()
    try:
        engine = make_engine(settings.db_url)
        model = employment.load_employment_model(settings.models_dir)
        as_of = employment.reference_date(engine)
    except Exception:  # noqa: BLE001 - no world or model configured: this part is skipped
        return None
    records = load_seeker_records(engine, as_of=as_of)
    registered = pd.to_datetime(records["registered_on"])
    training = records[registered <= pd.Timestamp(as_of) - pd.Timedelta(days=HORIZON_DAYS)].reset_index(drop=True)
    scores = model.predict_proba(model.features(training))
    old = training["age"].to_numpy() >= 60
    out: dict[str, object] = {"training_cohort": int(len(training)), "age60_share": round(float(old.mean()), 4)}
    for age_weight in args.age_weight:
        rng = np.random.default_rng(args.seed)
        weights = np.where(old, age_weight, 1.0)
        weights = weights / weights.sum()
        false = hit = 0
        psis_same, psis_moved = [], []
        for _ in range(args.resamples):
            reference = rng.choice(scores, args.reference, replace=True)
            edges = mon.psi_edges(reference, thresholds.psi_bins)
            same = rng.choice(scores, args.window, replace=True)
            moved = scores[rng.choice(len(scores), args.window, replace=True, p=weights)]
            psis_same.append(mon.psi(reference, same, edges))
            psis_moved.append(mon.psi(reference, moved, edges))
            false += _raised(thresholds.psi, psis_same[-1])
            hit += _raised(thresholds.psi, psis_moved[-1])
        n = float(args.resamples)
        out[f"age_weight_{age_weight:g}"] = {
            "age60_share_shifted": round(float(weights[old].sum()), 4),
            "psi_false_alarm_rate": false / n, "psi_detection_rate": hit / n,
            "psi_median_unshifted": round(float(np.median(psis_same)), 4),
            "psi_median_shifted": round(float(np.median(psis_moved)), 4)}
    return out


def report_time() -> dict[str, object] | None:
    """Seconds of the whole report and of its workbook on the configured world."""
    from app.db.engine import make_engine
    from app.exports import xlsx_bytes
    from app.services import monitoring

    settings = get_settings()
    engine = make_engine(settings.db_url)
    started = time.perf_counter()
    try:
        report = monitoring.build_report(engine, models_dir=settings.models_dir, reference_dir=settings.reference_dir,
                                         tolerance=settings.fairness_tolerance, min_group_size=settings.fairness_min_group)
    except Exception:  # noqa: BLE001 - nothing built: this part is skipped
        return None
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    data = xlsx_bytes(monitoring.report_sheets(report))
    summary = report.summary()
    return {"report_seconds": round(seconds, 2), "xlsx_seconds": round(time.perf_counter() - started, 2),
            "xlsx_bytes": len(data), "alerts": summary["alerts"], "warnings": summary["warnings"],
            "alert_messages": summary["messages"], "seekers": int(len(report.kpis.by_service) and
                                                                  report.kpis.by_service.query("group == '전체'")["cohort"].sum())}


def kdt(args: argparse.Namespace, thresholds: mon.Thresholds) -> dict[str, object] | None:
    """The course outcome model deployed at its time-split cutoff, monitored on the later start years."""
    from app.ml import course_outcome as co

    path = get_settings().shared_data_dir / co.KDT_FILE
    if not path.exists():
        return None
    courses = co.load_kdt_courses(path)
    cutoff = co.time_split(courses)
    train = courses[courses["start_date"] < cutoff]
    later = courses[courses["start_date"] >= cutoff]
    model = co.fit_course_outcome(train, seed=args.seed)
    reference_scores = model.predict(train)
    frame = pd.DataFrame({
        "score": np.concatenate([reference_scores, model.predict(later)]),
        "rate": pd.concat([train["employment_rate_6m"], later["employment_rate_6m"]]).astype(float).to_numpy(),
        "start": pd.concat([train["start_date"], later["start_date"]]).to_numpy(),
        "reference": [True] * len(train) + [False] * len(later),
    })
    frame["window_start"] = pd.to_datetime(frame["start"]).dt.to_period("Y").dt.start_time
    frame.loc[frame["reference"], "window_start"] = pd.Timestamp("1900-01-01")  # one reference window
    drift = mon.score_drift(frame, score="score", window="window_start", reference="reference", bins=thresholds.psi_bins)
    calibration = mon.calibration_by_window(frame, score="score", outcome="rate", window="window_start",
                                            reference="reference", bins=thresholds.ece_bins)
    table = drift.merge(calibration[["window_start", "n", "mean_predicted", "observed_rate", "calibration_gap", "ece"]]
                        .rename(columns={"n": "n_with_outcome"}), on="window_start", how="left")

    def label(start: object) -> str:
        return "학습 구간" if pd.Timestamp(start).year == 1900 else mon.year_label(start)

    alerts = (mon.level_alerts(drift, value="psi", level=thresholds.psi, model="훈련과정 취업성과 예측모델",
                               check="PSI", label=label, min_n=thresholds.min_window)
              + mon.level_alerts(calibration, value="calibration_gap", level=thresholds.calibration_gap,
                                 model="훈련과정 취업성과 예측모델", check="예측−실제", label=label, absolute=True,
                                 min_n=thresholds.min_window)
              + mon.level_alerts(calibration, value="ece", level=thresholds.ece, model="훈련과정 취업성과 예측모델",
                                 check="ECE", label=label, min_n=thresholds.min_window))
    rows = []
    for row in table.itertuples(index=False):
        rows.append({"window": label(row.window_start), "courses": int(row.n), "psi": round(float(row.psi), 4),
                     "with_outcome": int(row.n_with_outcome) if pd.notna(row.n_with_outcome) else 0,
                     "mean_predicted": None if pd.isna(row.mean_predicted) else round(float(row.mean_predicted), 4),
                     "observed": None if pd.isna(row.observed_rate) else round(float(row.observed_rate), 4),
                     "gap": None if pd.isna(row.calibration_gap) else round(float(row.calibration_gap), 4),
                     "ece": None if pd.isna(row.ece) else round(float(row.ece), 4)})
    return {"cutoff": cutoff.date().isoformat(), "train_courses": int(len(train)), "kdt_by_year": rows,
            "kdt_alerts": [f"[{a.level}] {a.message}" for a in alerts]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--window", type=int, default=1000)
    parser.add_argument("--reference", type=int, default=4000)
    parser.add_argument("--shift", type=float, default=0.05, help="score shift of the shifted windows")
    parser.add_argument("--outcome-factor", type=float, default=0.7, help="outcome rate multiplier of the shock")
    parser.add_argument("--age-weight", type=float, nargs="+", default=[3.0, 10.0],
                        help="how much likelier seekers aged 60+ are in the shifted windows (one run each)")
    args = parser.parse_args()
    thresholds = mon.load_thresholds(REFERENCE_DIR / "monitoring_thresholds.yaml")
    out: dict[str, object] = {"synthetic": synthetic(args, thresholds), "world": world(args, thresholds)}
    out["report"] = report_time()
    out["kdt"] = kdt(args, thresholds)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
