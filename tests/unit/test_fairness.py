"""Fairness audit of the employment-success model: hand-checked metrics, gaps, edge cases."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate

from app.ml.fairness import (
    AGE_BANDS,
    ATTRIBUTE_LABELS,
    GAP_METRICS,
    GROUP_METRICS,
    METRIC_LABELS,
    FairnessReport,
    age_band,
    audit_fairness,
    threshold_tradeoff,
)

# --- the hand-made example: 14 seekers, two groups, high-risk flag = p < 0.3, ECE with 2 bins
# ([0, 0.5) and [0.5, 1]).
#
# 여 (6):  p   .15 .25 .35 .65 .75 .85      남 (8):  p   .05 .10 .20 .25 .45 .55 .70 .90
#          emp  0   0   1   1   1   0                emp  0   0   1   0   0   1   1   1
#          flag T   T   F   F   F   F                flag T   T   T   T   F   F   F   F
P = np.array([0.15, 0.25, 0.35, 0.65, 0.75, 0.85, 0.05, 0.10, 0.20, 0.25, 0.45, 0.55, 0.70, 0.90])
EMPLOYED = np.array([0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1])
HIGH_RISK = P < 0.3
SEX = pd.DataFrame({"sex": ["여"] * 6 + ["남"] * 8})

# 여: n = 6; observed = 3/6 = 0.5; mean p = (.15+.25+.35+.65+.75+.85)/6 = 3.0/6 = 0.5;
#     calibration gap = 0.5 − 0.5 = 0.
#     ECE: bin [0,.5) p .15 .25 .35 (mean .25), emp 0 0 1 (mean 1/3) → |1/3 − .25| = 1/12, weight 3/6;
#          bin [.5,1] p .65 .75 .85 (mean .75), emp 1 1 0 (mean 2/3) → 1/12, weight 3/6 → ECE = 1/12.
#     high-risk share = 2/6 = 1/3.
#     not employed: seekers 1, 2, 6 (p .15 .25 .85); flagged among them: 1, 2 → FNR = 1/3.
#     employed: seekers 3, 4, 5; none flagged → FPR = 0.
# 남: n = 8; observed = 4/8 = 0.5; mean p = (.05+.10+.20+.25+.45+.55+.70+.90)/8 = 3.2/8 = 0.4;
#     calibration gap = 0.4 − 0.5 = −0.1.
#     ECE: bin [0,.5) p .05 .10 .20 .25 .45 (mean 1.05/5 = .21), emp 0 0 1 0 0 (mean .2) → .01, weight 5/8;
#          bin [.5,1] p .55 .70 .90 (mean 2.15/3), emp 1 1 1 (mean 1) → 1 − 2.15/3 = .85/3, weight 3/8
#          → ECE = 5/8·.01 + 3/8·.85/3 = .00625 + .10625 = .1125.
#     high-risk share = 4/8 = 0.5.
#     not employed: p .05 .10 .25 .45; flagged: .05 .10 .25 → FNR = 1/4.
#     employed: p .20 .55 .70 .90; flagged: .20 → FPR = 1/4.
HAND = {
    "여": {"n": 6, "observed_rate": 0.5, "mean_probability": 0.5, "calibration_gap": 0.0, "ece": 1 / 12,
          "high_risk_share": 1 / 3, "fnr": 1 / 3, "fpr": 0.0},
    "남": {"n": 8, "observed_rate": 0.5, "mean_probability": 0.4, "calibration_gap": -0.1, "ece": 0.1125,
          "high_risk_share": 0.5, "fnr": 0.25, "fpr": 0.25},
}

# Gaps with tolerance 0.12 ("worst" = larger value):
#   calibration_gap_abs = max(|0|, |−0.1|) = 0.1        → not flagged; worst 남, best 여
#   ece                 = .1125 − 1/12 = 0.0291667      → not flagged; worst 남, best 여
#   high_risk_share     = 0.5 − 1/3 = 1/6 = 0.1666667   → flagged;     worst 남, best 여
#   fnr                 = 1/3 − 1/4 = 1/12 = 0.0833333  → not flagged; worst 여, best 남
#   fpr                 = 0.25 − 0 = 0.25               → flagged;     worst 남, best 여
HAND_GAPS = {
    "calibration_gap_abs": (0.1, "남", "여", False),
    "ece": (0.1125 - 1 / 12, "남", "여", False),
    "high_risk_share": (1 / 6, "남", "여", True),
    "fnr": (1 / 12, "여", "남", False),
    "fpr": (0.25, "남", "여", True),
}

# Everyone (14): observed = 7/14 = .5; mean p = (3.0 + 3.2)/14 = 6.2/14; calibration gap = 6.2/14 − .5;
#   ECE: bin [0,.5) 8 seekers, p sum .75 + 1.05 = 1.8 (mean .225), emp 2/8 = .25 → .025, weight 8/14;
#        bin [.5,1] 6 seekers, p sum 2.25 + 2.15 = 4.4 (mean 4.4/6), emp 5/6 → 1/10, weight 6/14
#        → ECE = (8·.025 + 6·.1)/14 = .8/14.
#   share = 6/14; not employed 7, flagged 5 → FNR = 2/7; employed 7, flagged 1 → FPR = 1/7.
HAND_OVERALL = {"n": 14, "observed_rate": 0.5, "mean_probability": 6.2 / 14, "calibration_gap": 6.2 / 14 - 0.5,
                "ece": 0.8 / 14, "high_risk_share": 6 / 14, "fnr": 2 / 7, "fpr": 1 / 7}


@pytest.fixture(scope="module")
def hand_report() -> FairnessReport:
    return audit_fairness(EMPLOYED, P, HIGH_RISK, SEX, tolerance=0.12, min_group_size=1, ece_bins=2)


def test_hand_example_group_metrics(hand_report: FairnessReport) -> None:
    table = hand_report.by_group
    assert list(table.columns) == ["attribute", "group", *GROUP_METRICS, "reported"]
    assert list(table["attribute"]) == ["sex", "sex"]
    assert set(table["group"]) == {"여", "남"}
    for group, expected in HAND.items():
        row = table[table["group"] == group].iloc[0]
        assert row["n"] == expected["n"]
        assert bool(row["reported"]) is True
        for metric in GROUP_METRICS[1:]:
            assert row[metric] == pytest.approx(expected[metric], abs=1e-12), (group, metric)


def test_hand_example_gaps_and_flags(hand_report: FairnessReport) -> None:
    gaps = hand_report.gaps.set_index("metric")
    assert list(gaps.index) == list(GAP_METRICS)
    for metric, (gap, worst, best, flagged) in HAND_GAPS.items():
        assert gaps.loc[metric, "gap"] == pytest.approx(gap, abs=1e-12), metric
        assert gaps.loc[metric, "worst_group"] == worst, metric
        assert gaps.loc[metric, "best_group"] == best, metric
        assert bool(gaps.loc[metric, "flagged"]) is flagged, metric
        assert gaps.loc[metric, "n_groups"] == 2
    assert list(hand_report.flagged()["metric"]) == ["high_risk_share", "fpr"]
    assert hand_report.tolerance == 0.12 and hand_report.min_group_size == 1


def test_hand_example_overall(hand_report: FairnessReport) -> None:
    assert hand_report.overall["n"] == 14
    for metric, expected in HAND_OVERALL.items():
        assert hand_report.overall[metric] == pytest.approx(expected, abs=1e-12), metric


def test_ece_with_default_ten_bins() -> None:
    # 여 alone, 10 bins: each seeker in its own bin, weight 1/6 each:
    # |0−.15| + |0−.25| + |1−.35| + |1−.65| + |1−.75| + |0−.85| = .15+.25+.65+.35+.25+.85 = 2.5 → 2.5/6.
    report = audit_fairness(EMPLOYED[:6], P[:6], HIGH_RISK[:6], SEX.iloc[:6], min_group_size=1)
    assert report.by_group.loc[0, "ece"] == pytest.approx(2.5 / 6)
    assert report.overall["ece"] == pytest.approx(2.5 / 6)


def test_tolerance_changes_what_is_flagged() -> None:
    # With tolerance 0.09, the calibration gap 0.1 (남) is flagged too; fnr (1/12 ≈ 0.083) still is not.
    report = audit_fairness(EMPLOYED, P, HIGH_RISK, SEX, tolerance=0.09, min_group_size=1, ece_bins=2)
    assert list(report.flagged()["metric"]) == ["calibration_gap_abs", "high_risk_share", "fpr"]


def _three_groups() -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """A (40) and B (40) compared; C (5) is small and extreme."""
    # A: 40 seekers, 20 employed, 10 flagged (share .25). B: 40, 20 employed, 20 flagged (.5).
    # C: 5, none employed, all flagged (share 1).
    employed = np.r_[np.repeat([1, 0], 20), np.repeat([1, 0], 20), np.zeros(5, int)]
    flag = np.r_[np.arange(40) < 10, np.arange(40) < 20, np.ones(5, bool)]
    p = np.r_[np.full(40, 0.5), np.full(40, 0.5), np.full(5, 0.1)]
    groups = pd.DataFrame({"region": ["A"] * 40 + ["B"] * 40 + ["C"] * 5})
    return employed, p, flag, groups


def test_min_group_size_excludes_small_group_from_gaps_only() -> None:
    employed, p, flag, groups = _three_groups()
    report = audit_fairness(employed, p, flag, groups, min_group_size=30)
    table = report.by_group.set_index("group")
    assert list(table.index) == ["A", "B", "C"]
    assert table.loc["C", "n"] == 5 and not table.loc["C", "reported"]
    assert table.loc["C", "high_risk_share"] == pytest.approx(1.0)
    assert table.loc[["A", "B"], "reported"].all()
    share = report.gaps.set_index("metric").loc["high_risk_share"]
    assert share["gap"] == pytest.approx(0.5 - 0.25)
    assert (share["worst_group"], share["best_group"], share["n_groups"]) == ("B", "A", 2)

    everyone = audit_fairness(employed, p, flag, groups, min_group_size=1).gaps.set_index("metric")
    assert everyone.loc["high_risk_share", "gap"] == pytest.approx(1.0 - 0.25)
    assert everyone.loc["high_risk_share", "worst_group"] == "C"


def test_no_reported_group_gives_nan_gaps_not_flags() -> None:
    employed, p, flag, groups = _three_groups()
    report = audit_fairness(employed, p, flag, groups, min_group_size=41)
    assert not report.by_group["reported"].any()
    assert report.gaps["gap"].isna().all()
    assert not report.gaps["flagged"].any()
    assert (report.gaps["n_groups"] == 0).all()
    assert report.gaps["worst_group"].isna().all()


def test_single_reported_group_keeps_calibration_gap_only() -> None:
    employed, p, flag, groups = _three_groups()
    one = groups.assign(region=["A"] * 80 + ["C"] * 5)
    gaps = audit_fairness(employed, p, flag, one, min_group_size=30).gaps.set_index("metric")
    # A (80 seekers, 40 employed, p = .5) is perfectly calibrated: |.5 − .5| = 0.
    assert gaps.loc["calibration_gap_abs", "gap"] == pytest.approx(0.0)
    assert gaps.loc["calibration_gap_abs", "worst_group"] == "A"
    assert gaps.loc[["ece", "high_risk_share", "fnr", "fpr"], "gap"].isna().all()


def test_nan_fnr_and_fpr_when_a_group_lacks_the_outcome() -> None:
    # X: everyone employed → no adverse outcome → FNR NaN (fairlearn alone would say 0.0).
    # Y: 2 of 4 not employed, flag catches 1 → FNR 1/2. Z: nobody employed → FPR NaN; flag catches
    # 3 of 4 → FNR 1/4.
    employed = np.array([1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0])
    flag = np.array([1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0], bool)
    p = np.full(12, 0.4)
    groups = pd.DataFrame({"sex": list("XXXXYYYYZZZZ")})
    report = audit_fairness(employed, p, flag, groups, min_group_size=1)
    table = report.by_group.set_index("group")
    assert math.isnan(table.loc["X", "fnr"])
    assert table.loc["X", "fpr"] == pytest.approx(1 / 4)
    assert table.loc["Y", "fnr"] == pytest.approx(1 / 2)
    assert table.loc["Z", "fnr"] == pytest.approx(1 / 4)
    assert math.isnan(table.loc["Z", "fpr"])
    gaps = report.gaps.set_index("metric")
    # FNR gap over Y and Z only: 1/2 − 1/4; FPR over X (1/4) and Y (1/2 employed flagged: 1 of 2).
    assert gaps.loc["fnr", "gap"] == pytest.approx(0.25)
    assert (gaps.loc["fnr", "worst_group"], gaps.loc["fnr", "n_groups"]) == ("Y", 2)
    assert gaps.loc["fpr", "gap"] == pytest.approx(0.5 - 0.25)
    assert gaps.loc["fpr", "n_groups"] == 2

    as_dict = report.to_dict()
    text = json.dumps(as_dict, allow_nan=False, ensure_ascii=False)
    assert as_dict["attributes"]["sex"]["groups"]["X"]["fnr"] is None
    assert as_dict["attributes"]["sex"]["groups"]["Z"]["fpr"] is None
    assert "NaN" not in text


def test_to_dict_shape_and_json(hand_report: FairnessReport) -> None:
    data = hand_report.to_dict()
    json.dumps(data, allow_nan=False)
    assert set(data) == {"overall", "attributes", "tolerance", "min_group_size"}
    assert data["overall"]["n"] == 14 and isinstance(data["overall"]["n"], int)
    sex = data["attributes"]["sex"]
    assert sex["label"] == ATTRIBUTE_LABELS["sex"] == "성별"
    assert sex["groups"]["남"]["n"] == 8
    assert sex["groups"]["남"]["fpr"] == pytest.approx(0.25)
    assert sex["gaps"]["fpr"] == {"gap": pytest.approx(0.25), "flagged": True, "worst_group": "남",
                                  "best_group": "여", "n_groups": 2}
    assert data["tolerance"] == 0.12 and data["min_group_size"] == 1


def test_several_attributes_and_label_conversion() -> None:
    groups = pd.DataFrame(
        {
            "sex": ["여"] * 6 + ["남"] * 8,
            "disability": [True, False] * 7,
            "region": [11, 26] * 7,  # int codes become "11", "26"
        },
        index=range(100, 114),  # the index is ignored: rows align by position
    )
    report = audit_fairness(EMPLOYED, P, HIGH_RISK, groups, min_group_size=1)
    assert list(report.by_group["attribute"].unique()) == ["sex", "disability", "region"]
    labels = report.by_group.groupby("attribute")["group"].agg(set)
    assert labels["disability"] == {"장애 있음", "장애 없음"}
    assert labels["region"] == {"11", "26"}
    assert len(report.gaps) == 3 * len(GAP_METRICS)
    # Every attribute partitions the same 14 seekers.
    assert (report.by_group.groupby("attribute")["n"].sum() == 14).all()
    sex_rows = report.by_group[report.by_group["attribute"] == "sex"].set_index("group")
    assert sex_rows.loc["남", "ece"] == pytest.approx(audit_fairness(
        EMPLOYED, P, HIGH_RISK, SEX, min_group_size=1).by_group.set_index("group").loc["남", "ece"])


def test_flag_metrics_match_fairlearn_on_raw_rows() -> None:
    """The audit feeds MetricFrame weighted (group, outcome, flag) cells; that must equal fairlearn
    on one row per seeker."""
    rng = np.random.default_rng(11)
    n = 400
    p = rng.uniform(0, 1, n)
    employed = (rng.uniform(0, 1, n) < p).astype(int)
    flag = p < 0.35
    groups = pd.DataFrame({"region": rng.choice(["서울", "부산", "세종"], n, p=[0.5, 0.4, 0.1])})
    reference = MetricFrame(
        metrics={"n": count, "high_risk_share": selection_rate, "fnr": false_negative_rate, "fpr": false_positive_rate},
        y_true=1 - employed,
        y_pred=flag.astype(int),
        sensitive_features=groups["region"],
    )
    report = audit_fairness(employed, p, flag, groups, min_group_size=1)
    table = report.by_group.set_index("group")
    for metric in ("n", "high_risk_share", "fnr", "fpr"):
        for group, expected in reference.by_group[metric].items():
            assert table.loc[group, metric] == pytest.approx(expected, abs=1e-12), (group, metric)
        assert report.overall[metric] == pytest.approx(reference.overall[metric], abs=1e-12), metric
    gaps = report.gaps.set_index("metric")
    for metric in ("high_risk_share", "fnr", "fpr"):
        assert gaps.loc[metric, "gap"] == pytest.approx(reference.difference()[metric], abs=1e-12), metric


def test_labels_cover_every_metric() -> None:
    assert set(GROUP_METRICS) | set(GAP_METRICS) <= set(METRIC_LABELS)
    assert set(ATTRIBUTE_LABELS) == {"sex", "age_band", "disability", "region"}


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "29세 이하"), (29, "29세 이하"), (29.5, "29세 이하"), (30, "30대"), (39, "30대"), (40, "40대"),
     (49, "40대"), (50, "50대"), (59, "50대"), (60, "60세 이상"), (88, "60세 이상")],
)
def test_age_band_boundaries(age: float, band: str) -> None:
    assert age_band([age])[0] == band


def test_age_band_vectorised_and_validated() -> None:
    out = age_band(pd.Series([18, 35, 45, 55, 65]))
    assert list(out) == list(AGE_BANDS)
    with pytest.raises(ValueError, match="나이에 결측값"):
        age_band([30, np.nan])
    with pytest.raises(ValueError, match="나이는 0 이상"):
        age_band([-1])


def test_threshold_tradeoff_hand_value_at_point_three() -> None:
    table = threshold_tradeoff(EMPLOYED, P, SEX, [0.3], min_group_size=1)
    row = table.iloc[0]
    # flag = p < .3: 6 of 14 flagged; 5 of the 7 not employed are flagged; 5 of 6 flagged not employed.
    assert row["threshold"] == 0.3
    assert row["high_risk_share"] == pytest.approx(6 / 14)
    assert row["recall"] == pytest.approx(5 / 7)
    assert row["precision"] == pytest.approx(5 / 6)
    assert row["max_share_gap"] == pytest.approx(1 / 6)  # = HAND_GAPS["high_risk_share"]
    assert row["max_fnr_gap"] == pytest.approx(1 / 12)  # = HAND_GAPS["fnr"]
    assert row["fnr_gap_attribute"] == "sex"
    assert list(table.columns) == ["threshold", "high_risk_share", "recall", "precision", "max_share_gap",
                                   "max_fnr_gap", "fnr_gap_attribute"]


def test_threshold_tradeoff_is_monotone_and_picks_the_worst_attribute() -> None:
    rng = np.random.default_rng(3)
    n = 600
    p = rng.uniform(0, 1, n)
    employed = (rng.uniform(0, 1, n) < p).astype(int)
    groups = pd.DataFrame({"sex": rng.choice(["남", "여"], n), "age_band": age_band(rng.integers(18, 70, n))})
    thresholds = np.linspace(0.0, 1.0, 11)
    table = threshold_tradeoff(employed, p, groups, thresholds, min_group_size=30)
    assert list(table["threshold"]) == pytest.approx(list(thresholds))
    assert table["high_risk_share"].is_monotonic_increasing
    assert table["recall"].is_monotonic_increasing
    assert table.loc[0, "high_risk_share"] == 0.0 and table.loc[0, "recall"] == 0.0
    assert math.isnan(table.loc[0, "precision"])  # nobody flagged
    assert table["fnr_gap_attribute"].isin(["sex", "age_band"]).all()
    # At 0.5 the reported max FNR gap is the larger of the two attributes' audit gaps.
    mid = table.iloc[5]
    audit = audit_fairness(employed, p, p < 0.5, groups, min_group_size=30).gaps.set_index(["attribute", "metric"])
    fnr_gaps = {a: audit.loc[(a, "fnr"), "gap"] for a in ("sex", "age_band")}
    assert mid["max_fnr_gap"] == pytest.approx(max(fnr_gaps.values()))
    assert mid["fnr_gap_attribute"] == max(fnr_gaps, key=fnr_gaps.get)
    assert mid["max_share_gap"] == pytest.approx(max(audit.loc[(a, "high_risk_share"), "gap"] for a in fnr_gaps))


def test_threshold_tradeoff_rejects_bad_thresholds() -> None:
    with pytest.raises(ValueError, match="임계값은 0과 1 사이"):
        threshold_tradeoff(EMPLOYED, P, SEX, [0.3, 1.5])
    with pytest.raises(ValueError, match="임계값 목록이 비어"):
        threshold_tradeoff(EMPLOYED, P, SEX, [])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"probability": np.r_[P[:-1], 1.2]}, "확률은 0과 1 사이여야 합니다"),
        ({"probability": np.r_[P[:-1], -0.1]}, "확률은 0과 1 사이여야 합니다"),
        ({"probability": np.r_[P[:-1], np.nan]}, "확률에 결측값"),
        ({"probability": P[:-1]}, "입력 길이가 서로 다릅니다"),
        ({"employed": EMPLOYED[:-1]}, "입력 길이가 서로 다릅니다"),
        ({"groups": SEX.iloc[:-1]}, "입력 길이가 서로 다릅니다"),
        ({"employed": np.r_[EMPLOYED[:-1], 2]}, "취업 여부\\(employed\\)는 0 또는 1"),
        ({"employed": np.r_[EMPLOYED[:-1], np.nan]}, "취업 여부\\(employed\\)에 결측값"),
        ({"high_risk": np.r_[HIGH_RISK[:-1].astype(int), 3]}, "고위험 여부\\(high_risk\\)는 0 또는 1"),
        ({"groups": SEX.assign(sex=[None] + ["남"] * 13)}, "'sex' 열에 비어 있는 값"),
        ({"groups": SEX.iloc[:, :0]}, "속성 열이 하나 이상"),
        ({"tolerance": 0.0}, "허용 오차"),
        ({"tolerance": 1.0}, "허용 오차"),
        ({"min_group_size": 0}, "최소 집단 크기"),
        ({"ece_bins": 0}, "ECE 구간 수"),
    ],
)
def test_validation_errors_in_korean(kwargs: dict, message: str) -> None:
    args = {"employed": EMPLOYED, "probability": P, "high_risk": HIGH_RISK, "groups": SEX} | kwargs
    with pytest.raises(ValueError, match=message):
        audit_fairness(**args)


def test_empty_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="입력이 비어 있습니다"):
        audit_fairness([], [], [], pd.DataFrame({"sex": []}))
