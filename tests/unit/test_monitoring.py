"""Model-monitoring arithmetic (PSI, calibration drift, fairness gaps over time, alert rules), the KPI
arithmetic checked by hand on a tiny frame, the committed targets and thresholds, and the Excel writer."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from app.analytics import kpi
from app.analytics import monitoring as mon
from app.config import get_settings
from app.exports import xlsx_bytes

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
THRESHOLDS = mon.load_thresholds(REFERENCE_DIR / "monitoring_thresholds.yaml")


def _windows(reference: np.ndarray, later: np.ndarray) -> pd.DataFrame:
    """Two reference quarters and one monitored quarter of scores."""
    half = len(reference) // 2
    return pd.DataFrame({
        "score": np.concatenate([reference, later]),
        "window_start": [pd.Timestamp("2025-01-01")] * half + [pd.Timestamp("2025-04-01")] * (len(reference) - half)
        + [pd.Timestamp("2025-07-01")] * len(later),
        "reference": [True] * len(reference) + [False] * len(later),
    })


def _psi_alerts(frame: pd.DataFrame) -> list[mon.Alert]:
    drift = mon.score_drift(frame, score="score", window="window_start", reference="reference", bins=THRESHOLDS.psi_bins)
    return mon.level_alerts(drift, value="psi", level=THRESHOLDS.psi, model="모델", check="PSI", label=mon.quarter_label,
                            min_n=THRESHOLDS.min_window)


# --------------------------------------------------------------------------- PSI


def test_psi_is_zero_for_the_same_sample_and_matches_the_formula() -> None:
    reference = np.array([0.1, 0.2, 0.3, 0.4])
    assert mon.psi(reference, reference, bins=4) == pytest.approx(0.0)
    edges = np.array([0.25])  # two bins: reference 50/50, current 25/75
    expected = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert mon.psi(reference, [0.1, 0.3, 0.35, 0.4], edges) == pytest.approx(expected)


def test_psi_alert_fires_on_a_shifted_sample_and_not_on_an_unshifted_one() -> None:
    rng = np.random.default_rng(7)
    reference = rng.beta(2, 5, 4000)
    same = rng.beta(2, 5, 2000)
    shifted = np.clip(rng.beta(2, 5, 2000) + 0.12, 0, 1)
    assert _psi_alerts(_windows(reference, same)) == []
    (alert,) = _psi_alerts(_windows(reference, shifted))
    assert alert.level == mon.ALERT and alert.window == "2025년 3분기" and alert.value >= 0.25


def test_psi_false_alarm_rate_over_seeded_resamples_is_zero() -> None:
    rng = np.random.default_rng(11)
    reference = rng.normal(size=3000)
    alarms = sum(bool(_psi_alerts(_windows(reference, rng.normal(size=1000)))) for _ in range(50))
    assert alarms == 0


def test_reference_windows_and_small_windows_raise_nothing() -> None:
    rng = np.random.default_rng(3)
    frame = _windows(rng.normal(size=1000), rng.normal(3.0, 1.0, size=50))  # shifted but only 50 rows
    assert _psi_alerts(frame) == []
    drift = mon.score_drift(frame, score="score", window="window_start", reference="reference")
    assert drift["in_reference"].tolist() == [True, True, False]


# --------------------------------------------------------------------------- calibration


def _calibration_alerts(frame: pd.DataFrame) -> list[mon.Alert]:
    table = mon.calibration_by_window(frame, score="score", outcome="y", window="window_start", reference="reference",
                                      bins=THRESHOLDS.ece_bins)
    return (mon.level_alerts(table, value="ece", level=THRESHOLDS.ece, model="모델", check="ECE", label=mon.quarter_label,
                             min_n=THRESHOLDS.min_window)
            + mon.level_alerts(table, value="calibration_gap", level=THRESHOLDS.calibration_gap, model="모델",
                               check="차이", label=mon.quarter_label, min_n=THRESHOLDS.min_window, absolute=True))


def test_calibration_alert_fires_when_outcomes_drift_and_not_when_they_follow_the_scores() -> None:
    rng = np.random.default_rng(5)
    p = rng.uniform(0.1, 0.7, 6000)
    frame = _windows(p[:4000], p[4000:])
    calibrated = frame.assign(y=(rng.uniform(size=6000) < frame["score"]).astype(float))
    assert _calibration_alerts(calibrated) == []
    # the later quarter's seekers find work far less often than predicted (a labour-market shock)
    shocked = calibrated.copy()
    later = ~shocked["reference"]
    shocked.loc[later, "y"] = (rng.uniform(size=int(later.sum())) < shocked.loc[later, "score"] * 0.6).astype(float)
    alerts = _calibration_alerts(shocked)
    assert {a.check for a in alerts} == {"ECE", "차이"}
    assert all(a.level == mon.ALERT and a.window == "2025년 3분기" for a in alerts)


def test_ece_by_hand() -> None:
    # two bins: [0.1, 0.1] with outcomes [0, 1] (|0.5 − 0.1| = 0.4) and [0.9, 0.9] with [1, 1] (0.1)
    assert mon.expected_calibration_error([0, 1, 1, 1], [0.1, 0.1, 0.9, 0.9], bins=10) == pytest.approx(0.25)


# --------------------------------------------------------------------------- fairness over time


def _fair_frame(rng: np.random.Generator, *, biased_later: bool) -> pd.DataFrame:
    rows = []
    for start, is_reference in ((pd.Timestamp("2025-01-01"), True), (pd.Timestamp("2025-04-01"), False)):
        for sex in ("남성", "여성"):
            p = rng.uniform(0.15, 0.6, 600)
            if biased_later and not is_reference and sex == "여성":
                p = p * 0.5  # the model now underrates women: far more of them flagged high-risk
            y = (rng.uniform(size=600) < rng.uniform(0.15, 0.6, 600)).astype(float)
            rows.append(pd.DataFrame({"score": p, "y": y, "sex": sex, "window_start": start, "reference": is_reference}))
    return pd.concat(rows, ignore_index=True)


def _fairness_alerts(frame: pd.DataFrame) -> list[mon.Alert]:
    table = mon.fairness_over_time(frame, score="score", outcome="y", window="window_start", attributes=["sex"],
                                   cutoff=0.2, tolerance=get_settings().fairness_tolerance, min_group_size=100,
                                   significance=THRESHOLDS.fairness_significance,
                                   metrics=THRESHOLDS.fairness_metrics, reference="reference")
    return mon.fairness_alerts(table, model="모델", label=mon.quarter_label, attribute_labels={"sex": "성별"},
                               metric_labels={"high_risk_share": "고위험 분류 비율"})


def test_fairness_gap_alert_fires_when_a_gap_opens_after_training() -> None:
    assert _fairness_alerts(_fair_frame(np.random.default_rng(1), biased_later=False)) == []
    alerts = [a for a in _fairness_alerts(_fair_frame(np.random.default_rng(1), biased_later=True))
              if "고위험 분류 비율" in a.message]
    assert alerts and alerts[0].level == mon.ALERT and alerts[0].window == "2025년 2분기"
    assert "여성 vs 남성" in alerts[0].message


def test_a_gap_that_only_persists_is_a_warning() -> None:
    table = pd.DataFrame({
        "window_start": [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")], "attribute": "age_band",
        "metric": "high_risk_share", "gap": [0.30, 0.31], "worst_group": "60세 이상", "best_group": "40대",
        "flagged": [True, True], "n": 1000, "in_reference": [True, False], "tolerance": 0.05,
    })
    (alert,) = mon.fairness_alerts(table, model="모델", label=mon.quarter_label, attribute_labels={"age_band": "연령대"},
                                   metric_labels={"high_risk_share": "고위험 분류 비율"})
    assert alert.level == mon.WARNING and alert.threshold == pytest.approx(0.30)


def test_override_rate_alert_needs_enough_reviews() -> None:
    events = pd.DataFrame({"window_start": [pd.Timestamp("2025-01-01")] * 30 + [pd.Timestamp("2025-04-01")] * 5,
                           "changed": [True] * 12 + [False] * 18 + [True] * 5})
    table = mon.override_rates(events, window="window_start", changed="changed")
    assert table["rate"].round(2).tolist() == [0.4, 1.0]
    alerts = mon.level_alerts(table, value="rate", level=THRESHOLDS.override_rate, model="모델", check="변경",
                              label=mon.quarter_label, min_n=THRESHOLDS.override_min_n)
    assert [(a.window, a.level) for a in alerts] == [("2025년 1분기", mon.ALERT)]


def test_alerts_are_sorted_most_severe_first() -> None:
    alerts = [mon.Alert("나", "점검", "2025년", 0.1, 0.1, mon.WARNING, "주의"),
              mon.Alert("가", "점검", "2025년", 0.3, 0.25, mon.ALERT, "경보")]
    assert mon.alerts_frame(alerts)["level"].tolist() == [mon.ALERT, mon.WARNING]


def test_committed_thresholds_follow_the_usual_psi_rule_and_name_their_sources() -> None:
    assert (THRESHOLDS.psi.warning, THRESHOLDS.psi.alert) == (0.10, 0.25)
    assert all(THRESHOLDS.sources[c] for c in ("psi", "ece", "calibration_gap", "fairness", "override_rate"))
    assert "psi" not in THRESHOLDS.assumptions and "ece" in THRESHOLDS.assumptions


def test_a_thresholds_file_with_warning_above_alert_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("psi: {warning: 0.3, alert: 0.2}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="주의 값이 경보 값보다"):
        mon.load_thresholds(path)


# --------------------------------------------------------------------------- KPIs by hand


def _tiny() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cohort = pd.DataFrame({
        "id": [1, 2, 3, 4, 5],
        "region_code": ["11", "11", "26", "26", "26"],
        "registered_on": [dt.date(2025, 1, 5), dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 3, 20),
                          dt.date(2025, 4, 2)],
        "employed_180d": [True, False, True, True, False],
        "days_to_employment": [30.0, np.nan, 90.0, 60.0, np.nan],
    })
    services = pd.DataFrame({"seeker_id": [1, 1, 2, 3, 5], "service": ["training", "matching", "training", "counselling",
                                                                        "training"],
                             "started_on": [dt.date(2025, 2, 1)] * 5})
    enrolments = pd.DataFrame({"seeker_id": [1, 2, 5], "enrolled_on": [dt.date(2025, 2, 1)] * 3,
                               "completed": [True, False, True]})
    notes = pd.DataFrame({"seeker_id": [1, 1, 2, 3, 4], "counsellor": ["가", "가", "가", "나", "나"],
                          "written_on": [dt.date(2025, 1, 10), dt.date(2025, 2, 10), dt.date(2025, 2, 11),
                                         dt.date(2025, 3, 5), dt.date(2025, 3, 25)]})
    return cohort, services, enrolments, notes


LABELS = {"training": "직업훈련", "matching": "취업알선"}


def test_kpis_by_service_computed_by_hand() -> None:
    table = kpi.compute_kpis(*_tiny(), by="service", labels=LABELS, outcomes_known_until=dt.date(2025, 12, 31))
    q1 = table[table["quarter_start"] == pd.Timestamp("2025-01-01")].set_index("group")
    # Q1 cohort: seekers 1–4; services: 1 (training, matching), 2 (training), 3 (counselling)
    assert q1.loc["전체", "cohort"] == 4 and q1.loc["전체", "participants"] == 3
    assert q1.loc["전체", "take_up"] == pytest.approx(0.75)
    assert q1.loc["전체", "placement"] == pytest.approx(0.75)           # 1, 3, 4 employed
    assert q1.loc["전체", "days_to_placement"] == pytest.approx(60.0)   # median of 30, 90, 60
    assert q1.loc["전체", "completion"] == pytest.approx(0.5)           # seekers 1 and 2 enrolled, 1 completed
    assert q1.loc["전체", "caseload"] == pytest.approx(2.0)             # 가: 1, 2; 나: 3, 4 → 4 seekers / 2
    assert q1.loc["직업훈련", "take_up"] == pytest.approx(0.5)
    assert q1.loc["직업훈련", "placement"] == pytest.approx(0.5)
    assert q1.loc["직업훈련", "completion"] == pytest.approx(0.5)
    assert q1.loc["취업알선", "placement"] == pytest.approx(1.0)
    assert np.isnan(q1.loc["취업알선", "completion"])


def test_immature_cohorts_have_no_placement_yet() -> None:
    table = kpi.compute_kpis(*_tiny(), by="service", labels=LABELS, outcomes_known_until=dt.date(2025, 8, 1))
    q1 = table[(table["quarter_start"] == pd.Timestamp("2025-01-01")) & (table["group"] == "전체")].iloc[0]
    # by 2025-08-01 only seekers 1 (Jan 5) and 2 (Feb 1) have had 180 days: one of them employed
    assert q1["placement"] == pytest.approx(0.5)
    q2 = table[(table["quarter_start"] == pd.Timestamp("2025-04-01")) & (table["group"] == "전체")].iloc[0]
    assert np.isnan(q2["placement"])


def test_kpis_by_region_computed_by_hand() -> None:
    table = kpi.compute_kpis(*_tiny(), by="region", labels={"11": "서울", "26": "부산"})
    q1 = table[table["quarter_start"] == pd.Timestamp("2025-01-01")].set_index("group")
    assert q1.loc["서울", "take_up"] == pytest.approx(1.0) and q1.loc["부산", "take_up"] == pytest.approx(0.5)
    assert q1.loc["부산", "placement"] == pytest.approx(1.0) and q1.loc["부산", "caseload"] == pytest.approx(2.0)


def test_status_against_targets_with_the_national_yearly_step() -> None:
    targets = kpi.load_kpi_targets(REFERENCE_DIR / "kpi_targets.yaml")
    placement = targets.value("placement", kpi.ALL, 2025)
    assert placement is not None and placement.source
    assert targets.target_value(placement, 2026) == pytest.approx(placement.base + 2 * targets.yearly_step)
    assert all(t.source for t in targets.targets)
    table = kpi.compute_kpis(*_tiny(), by="service", labels=LABELS)
    status = kpi.kpi_status(table, targets, {"직업훈련": "training", "취업알선": "matching"})
    overall = status[(status["group"] == "전체") & (status["quarter"] == "2025년 1분기")].set_index("indicator")
    assert overall.loc["placement", "status"] == kpi.ACHIEVED          # 0.75 ≥ 0.308
    assert overall.loc["days_to_placement", "status"] == kpi.ACHIEVED  # 60 ≤ 90 (lower is better)
    assert overall.loc["completion", "status"] == kpi.NO_TARGET or "completion" not in overall.index
    training = status[(status["group"] == "직업훈련") & (status["quarter"] == "2025년 1분기")].set_index("indicator")
    assert training.loc["completion", "status"] == kpi.MISSED           # 0.5 < 0.75
    latest = kpi.latest_status(status)
    assert set(latest["status"]) <= {kpi.ACHIEVED, kpi.MISSED}


# --------------------------------------------------------------------------- Excel


def test_xlsx_neutralises_formulas_keeps_numbers_and_korean_sheet_names() -> None:
    table = pd.DataFrame({"=항목": ["=HYPERLINK(\"http://x\", \"클릭\")", "+1", "-2+3", "@SUM(A1)", "정상", None],
                          "값": [1.5, -3, 0, 2, np.nan, 7]})
    data = xlsx_bytes({"경보": table, "성과지표(서비스별)": table.head(1), "a/b:c" * 10: pd.DataFrame()})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[:2] == ["경보", "성과지표(서비스별)"] and len(book.sheetnames[2]) <= 31
    sheet = book["경보"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["'=항목", "값"]
    assert [r[0] for r in cells[1:5]] == ["'=HYPERLINK(\"http://x\", \"클릭\")", "'+1", "'-2+3", "'@SUM(A1)"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [r[1] for r in cells[1:4]] == [1.5, -3, 0]
    back = pd.read_excel(io.BytesIO(data), sheet_name="경보")
    assert back["값"].iloc[0] == 1.5


def test_xlsx_refuses_no_sheet() -> None:
    with pytest.raises(ValueError, match="내보낼 표"):
        xlsx_bytes({})


def test_every_service_of_the_world_has_a_kpi_name() -> None:
    from app.reference.codes import SERVICES
    from app.services.monitoring import SERVICE_NAMES

    assert set(SERVICE_NAMES) == set(SERVICES)


def test_every_registered_artifact_has_a_monitoring_profile() -> None:
    """A new artifact must say what it scores and which checks apply, not fall back to '모니터링 항목 미정'."""
    from app.ml.registry import ARTIFACTS
    from app.services.monitoring.models import PROFILES

    missing = [spec.name for spec in ARTIFACTS if spec.name not in PROFILES]
    assert missing == []
