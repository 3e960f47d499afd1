"""Fairness audit of the employment-success model (취업성공모델 공정성 점검).

Korea's AI Basic Act treats a model that steers public employment services as high-impact AI, so
the operator must show, per protected attribute (성별, 연령대, 장애 여부, 거주 지역), that the
model is calibrated within groups and that the high-risk flag (고위험, ``p < high_threshold``) is
shared out and errs about equally across groups.

Definitions (each computed within a group and over everyone):

* ``employed`` — observed outcome, 1 = insured employment within 180 days.
* The **adverse outcome** is *not* being employed: ``y_adverse = 1 − employed``. The high-risk
  flag is treated as the model's *prediction* of the adverse outcome (flag = 1 predicts "will not
  be employed"), which is the decision that triggers intensive services.
* ``n`` — number of seekers.
* ``observed_rate`` — mean of ``employed``.
* ``mean_probability`` — mean of the model probability ``p``.
* ``calibration_gap`` — ``mean_probability − observed_rate`` (positive = the model is too
  optimistic for the group; negative = too pessimistic).
* ``ece`` — expected calibration error with ``ece_bins`` equal-width bins on [0, 1]
  (bin b holds ``b/B ≤ p < (b+1)/B``; the last bin also holds p = 1):
  ``Σ_b (n_b / n) · |mean(employed_b) − mean(p_b)|`` over non-empty bins.
* ``high_risk_share`` — ``P(flagged)``, fairlearn's ``selection_rate`` of the flag.
* ``fnr`` — ``P(not flagged | not employed)``: at-risk seekers the flag misses, who therefore
  lose intensive help. NaN when the group has no non-employed member.
* ``fpr`` — ``P(flagged | employed)``: seekers flagged who found work anyway. NaN when the
  group has no employed member.

Gaps (one per attribute and metric, over *reported* groups only, i.e. ``n ≥ min_group_size``,
and ignoring groups where the metric is NaN):

* ``calibration_gap_abs`` — ``max_g |calibration_gap_g|``: the worst miscalibration of any
  group (a between-group difference would hide two groups miscalibrated the same way). Needs one
  group.
* ``ece``, ``high_risk_share``, ``fnr``, ``fpr`` — ``max_g − min_g`` (the same number as
  fairlearn's ``MetricFrame.difference(method="between_groups")``). Needs two groups; otherwise
  the gap is NaN and not flagged.
* ``worst_group`` is the group with the largest value (largest |calibration_gap| for
  ``calibration_gap_abs``), ``best_group`` the smallest; ties go to the first group in label
  order. For ``high_risk_share`` "worst" only means "most often flagged" — being flagged brings
  more services, so the gap is about unequal treatment, not necessarily harm.
* ``flagged`` — ``gap > tolerance`` and, when a ``significance`` level is given, the gap is
  also statistically significant: ``z = gap / se > z_(1−α/2)`` with binomial standard errors —
  for a difference of two rates ``se = √(r₁(1−r₁)/m₁ + r₂(1−r₂)/m₂)`` over the worst and best
  groups (``m`` = seekers for ``high_risk_share``, non-employed for ``fnr``, employed for
  ``fpr``); for ``calibration_gap_abs`` ``se = √(o(1−o)/n)`` of the worst group's observed rate.
  ECE has no simple standard error and is biased upwards in small groups, so with a
  significance level it is reported but never flagged (calibration is judged by
  ``calibration_gap_abs``). Without this test, 17 regions of a few hundred seekers each flag
  noise: the largest of 17 sampling errors is about 2.5 standard errors.

Computation: ``n``, ``observed_rate``, ``high_risk_share``, ``fnr`` and ``fpr`` are fairlearn's
``selection_rate``, ``false_negative_rate`` and ``false_positive_rate`` (``pos_label=1``) counted
with ``np.bincount`` per group (a test checks them against fairlearn's ``MetricFrame``); the three
probability metrics come from a pandas groupby over seekers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

AGE_BANDS: tuple[str, ...] = ("29세 이하", "30대", "40대", "50대", "60세 이상")
"""Age bands in order; lower edges 0, 30, 40, 50, 60."""

ATTRIBUTE_LABELS: dict[str, str] = {
    "sex": "성별",
    "age_band": "연령대",
    "disability": "장애 여부",
    "region": "거주 지역",
}

GROUP_METRICS: tuple[str, ...] = (
    "n",
    "observed_rate",
    "mean_probability",
    "calibration_gap",
    "ece",
    "high_risk_share",
    "fnr",
    "fpr",
)
"""Metrics of each group (and of everyone, in ``FairnessReport.overall``)."""

GAP_METRICS: tuple[str, ...] = ("calibration_gap_abs", "ece", "high_risk_share", "fnr", "fpr")
"""Metrics compared across the groups of an attribute in ``FairnessReport.gaps``."""

METRIC_LABELS: dict[str, str] = {
    "n": "인원",
    "observed_rate": "실제 취업률",
    "mean_probability": "평균 예측 취업확률",
    "calibration_gap": "보정 차이(예측−실제)",
    "calibration_gap_abs": "최대 보정 차이(절댓값)",
    "ece": "기대 보정 오차(ECE)",
    "high_risk_share": "고위험 분류 비율",
    "fnr": "위험 미탐지율(FNR)",
    "fpr": "고위험 오분류율(FPR)",
}

DISABILITY_LABELS: dict[bool, str] = {True: "장애 있음", False: "장애 없음"}
"""Labels used when the caller passes a boolean ``disability`` column."""

_BY_GROUP_COLUMNS = ["attribute", "group", *GROUP_METRICS, "reported"]
_GAP_COLUMNS = ["attribute", "metric", "gap", "worst_group", "best_group", "flagged", "n_groups", "z"]
_TRADEOFF_COLUMNS = [
    "threshold", "high_risk_share", "recall", "precision", "max_share_gap", "max_fnr_gap", "fnr_gap_attribute",
]


@dataclass(frozen=True, eq=False)
class FairnessReport:
    """Result of :func:`audit_fairness`.

    ``eq=False`` because the fields hold DataFrames, whose ``==`` is element-wise and would make a
    generated ``__eq__`` raise; reports compare by identity.

    Attributes:
        by_group: One row per (attribute, group): ``attribute``, ``group`` and the
            :data:`GROUP_METRICS` columns, plus ``reported`` (``n >= min_group_size``). Groups too
            small to report stay here so the audit shows they exist.
        gaps: One row per (attribute, metric) for metric in :data:`GAP_METRICS`: ``gap``,
            ``worst_group``, ``best_group``, ``flagged`` (``gap > tolerance``) and ``n_groups``
            (reported groups with a defined value). See the module docstring for definitions.
        tolerance: Largest acceptable gap.
        min_group_size: Smallest group that takes part in the gaps.
        overall: The :data:`GROUP_METRICS` over everyone.
    """

    by_group: pd.DataFrame
    gaps: pd.DataFrame
    tolerance: float
    min_group_size: int
    overall: dict[str, float]

    def flagged(self) -> pd.DataFrame:
        """Rows of :attr:`gaps` whose gap exceeds the tolerance."""
        return self.gaps[self.gaps["flagged"]].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe nested dict (NaN becomes ``None``, numpy scalars become Python ones).

        Returns:
            ``{"overall": {metric: value}, "attributes": {attribute: {"label": 한국어,
            "groups": {group: {"n": n, "reported": bool, metric: value, ...}},
            "gaps": {metric: {"gap", "flagged", "worst_group", "best_group", "n_groups"}}}},
            "tolerance": t, "min_group_size": m}``.
        """
        attributes: dict[str, Any] = {}
        for attribute, rows in self.by_group.groupby("attribute", sort=False):
            groups = {
                str(row["group"]): {
                    "n": int(row["n"]),
                    "reported": bool(row["reported"]),
                    **{m: _json_float(row[m]) for m in GROUP_METRICS if m != "n"},
                }
                for _, row in rows.iterrows()
            }
            gaps = {
                str(row["metric"]): {
                    "gap": _json_float(row["gap"]),
                    "flagged": bool(row["flagged"]),
                    "worst_group": None if pd.isna(row["worst_group"]) else str(row["worst_group"]),
                    "best_group": None if pd.isna(row["best_group"]) else str(row["best_group"]),
                    "n_groups": int(row["n_groups"]),
                }
                for _, row in self.gaps[self.gaps["attribute"] == attribute].iterrows()
            }
            attributes[str(attribute)] = {
                "label": ATTRIBUTE_LABELS.get(str(attribute), str(attribute)),
                "groups": groups,
                "gaps": gaps,
            }
        return {
            "overall": {m: (int(v) if m == "n" else _json_float(v)) for m, v in self.overall.items()},
            "attributes": attributes,
            "tolerance": float(self.tolerance),
            "min_group_size": int(self.min_group_size),
        }


def age_band(age: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Age band of each age: 0–29, 30–39, 40–49, 50–59, 60+ (labels in :data:`AGE_BANDS`).

    Bands are cut on the age itself, so a fractional 29.5 is under 30 ("29세 이하").

    Args:
        age: Ages in years.

    Returns:
        Array of band labels, same length as ``age``.

    Raises:
        ValueError: An age is missing, not a number or negative.
    """
    try:
        values = np.asarray(age, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        raise ValueError("나이는 숫자여야 합니다") from err
    if np.isnan(values).any():
        raise ValueError("나이에 결측값(NaN)이 있습니다")
    if (values < 0).any():
        raise ValueError(f"나이는 0 이상이어야 합니다 (입력값: {values[values < 0][0]:g})")
    # np.digitize with right=False puts 30 in index 1 ("30대"), so each edge opens its band.
    index = np.digitize(values, [30.0, 40.0, 50.0, 60.0])
    return np.asarray(AGE_BANDS, dtype=str)[index]


def audit_fairness(
    employed: npt.ArrayLike,
    probability: npt.ArrayLike,
    high_risk: npt.ArrayLike,
    groups: pd.DataFrame,
    *,
    tolerance: float = 0.05,
    min_group_size: int = 30,
    ece_bins: int = 10,
    significance: float | None = None,
) -> FairnessReport:
    """Per-group calibration and high-risk-flag error rates, and their gaps across groups.

    Args:
        employed: Observed outcome per seeker, 0/1 (or bool); 1 = insured employment within
            180 days.
        probability: Model probability of employment per seeker, in [0, 1].
        high_risk: The high-risk flag shown to counsellors (``p < high_threshold``), bool or 0/1.
        groups: One column per protected attribute (e.g. ``sex``, ``age_band``, ``disability``,
            ``region``), aligned with the arrays by position (its index is ignored). Labels are
            turned into strings; a boolean column named ``disability`` becomes
            "장애 있음"/"장애 없음". Every column is audited on its own (not intersections).
        tolerance: Largest acceptable gap, in (0, 1).
        min_group_size: Groups smaller than this are listed with ``reported=False`` and left out
            of the gaps (their rates are too noisy to compare).
        ece_bins: Number of equal-width bins for the ECE.
        significance: Two-sided level α (e.g. 0.05): a gap is flagged only when it also differs
            from zero at this level (see the module docstring). ``None`` flags by tolerance only.

    Returns:
        A :class:`FairnessReport`.

    Raises:
        ValueError: Inputs of different lengths, empty, NaN, probabilities outside [0, 1],
            outcomes/flags not 0/1, missing group labels or out-of-range parameters (the message
            says which, in Korean).
    """
    y, p, flag, labels = _validate_inputs(employed, probability, high_risk, groups)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0.0 < tolerance < 1.0:
        raise ValueError(f"허용 오차(tolerance)는 0보다 크고 1보다 작아야 합니다 (입력값: {tolerance})")
    _check_positive_int(min_group_size, "최소 집단 크기(min_group_size)")
    _check_positive_int(ece_bins, "ECE 구간 수(ece_bins)")
    if significance is not None and not 0.0 < float(significance) < 0.5:
        raise ValueError(f"유의수준(significance)은 0과 0.5 사이여야 합니다 (입력값: {significance})")

    adverse = 1 - y
    tables: list[pd.DataFrame] = []
    overall_flags: dict[str, float] = {}
    for attribute, label in labels.items():
        flag_table, overall_flags = _flag_metrics(adverse, flag, label)  # the overall part is every attribute's
        by_group = flag_table.join(_probability_metrics(y, p, label, ece_bins))
        tables.append(_group_table(attribute, by_group, min_group_size))
    everyone = _probability_metrics(y, p, np.full(len(y), "전체"), ece_bins).iloc[0]
    overall = {m: float(overall_flags[m] if m in _FLAG_METRICS else everyone[m]) for m in GROUP_METRICS}
    overall["n"] = int(overall["n"])
    by_group = pd.concat(tables, ignore_index=True)[_BY_GROUP_COLUMNS]
    gaps = _gap_table(by_group, GAP_METRICS, tolerance, significance)
    return FairnessReport(
        by_group=by_group,
        gaps=gaps,
        tolerance=float(tolerance),
        min_group_size=int(min_group_size),
        overall=overall,
    )


def threshold_tradeoff(
    employed: npt.ArrayLike,
    probability: npt.ArrayLike,
    groups: pd.DataFrame,
    thresholds: Sequence[float],
    *,
    min_group_size: int = 30,
) -> pd.DataFrame:
    """Accuracy and equity of candidate high-risk thresholds, for policy staff choosing one.

    For each threshold ``t`` the flag is ``p < t`` and the gaps follow :func:`audit_fairness`
    (reported groups only, NaN groups ignored).

    Args:
        employed: Observed outcome per seeker, 0/1.
        probability: Model probability of employment per seeker, in [0, 1].
        groups: One column per protected attribute, as in :func:`audit_fairness`.
        thresholds: Candidate thresholds in [0, 1]; rows come out in this order.
        min_group_size: Smallest group that takes part in the gaps.

    Returns:
        One row per threshold: ``threshold``; ``high_risk_share`` (share flagged); ``recall``
        (``1 − FNR``: share of not-employed seekers flagged; NaN if nobody is not employed);
        ``precision`` (share of flagged seekers who were not employed; NaN if nobody is
        flagged); ``max_share_gap`` and ``max_fnr_gap`` (largest high-risk-share / FNR gap over
        the attributes, NaN if no attribute has two comparable groups); ``fnr_gap_attribute``
        (the attribute with the largest FNR gap, or None).

    Raises:
        ValueError: Bad inputs as in :func:`audit_fairness`, or a threshold outside [0, 1].
    """
    employed_arr = np.asarray(employed)
    y, p, _, labels = _validate_inputs(employed_arr, probability, np.zeros(len(employed_arr), dtype=bool), groups)
    _check_positive_int(min_group_size, "최소 집단 크기(min_group_size)")
    try:
        cuts = [float(t) for t in thresholds]
    except (TypeError, ValueError) as err:
        raise ValueError("임계값은 숫자여야 합니다") from err
    if not cuts:
        raise ValueError("임계값 목록이 비어 있습니다")
    bad = [t for t in cuts if not 0.0 <= t <= 1.0]
    if bad:
        raise ValueError(f"임계값은 0과 1 사이여야 합니다 (입력값: {bad[0]})")

    adverse = 1 - y
    n_adverse = int(adverse.sum())
    # Counted with np.bincount rather than MetricFrame: a sweep recomputes every group at every
    # threshold, and each MetricFrame costs ~0.1 s however few its rows, so a 21-threshold sweep
    # over four attributes would take ~8 s instead of ~0.2 s. The rates are the audit's (a test
    # checks that the gaps here equal audit_fairness's at the same threshold).
    factorized = {attribute: pd.factorize(label, sort=True) for attribute, label in labels.items()}
    rows = []
    for t in cuts:
        flag = (p < t).astype(int)
        share_gaps, fnr_gaps = [], []
        for attribute, (code, uniques) in factorized.items():
            k = len(uniques)
            n = np.bincount(code, minlength=k)
            at_risk = np.bincount(code, weights=adverse, minlength=k)
            caught = np.bincount(code, weights=flag * adverse, minlength=k)
            with np.errstate(invalid="ignore", divide="ignore"):
                fnr = np.where(at_risk > 0, 1.0 - caught / at_risk, np.nan)
            reported = n >= min_group_size
            # the gaps of _gap_table (largest minus smallest reported rate), without its frames
            share_gaps.append(_spread(np.bincount(code, weights=flag, minlength=k)[reported] / n[reported]))
            fnr_gaps.append((attribute, _spread(fnr[reported])))
        share_known = [g for g in share_gaps if not math.isnan(g)]
        fnr_known = [(a, g) for a, g in fnr_gaps if not math.isnan(g)]
        worst_fnr = max(fnr_known, key=lambda item: item[1]) if fnr_known else (None, math.nan)  # first on ties
        n_flagged = int(flag.sum())
        true_flags = int((flag & adverse).sum())
        rows.append(
            {
                "threshold": t,
                "high_risk_share": n_flagged / len(flag),
                "recall": true_flags / n_adverse if n_adverse else math.nan,
                "precision": true_flags / n_flagged if n_flagged else math.nan,
                "max_share_gap": max(share_known) if share_known else math.nan,
                "max_fnr_gap": worst_fnr[1],
                # the first attribute on ties, i.e. the caller's column order
                "fnr_gap_attribute": worst_fnr[0],
            }
        )
    return pd.DataFrame(rows, columns=_TRADEOFF_COLUMNS)


def _probability_metrics(employed: np.ndarray, p: np.ndarray, label: np.ndarray, bins: int) -> pd.DataFrame:
    """mean_probability, calibration_gap and ece per group, indexed by group label (sorted).

    A vectorised pandas groupby rather than MetricFrame callables with ``sample_params``: p is
    continuous, so the counts of :func:`_flag_metrics` do not apply, and MetricFrame
    over one row per seeker converts every argument row by row (~1 µs per row and argument). The
    binning is the one of ``app.ml.calibrated.expected_calibration_error`` (inner edges with
    ``np.digitize``, p = 1 in the last bin), written out here so the audit does not depend on the
    training module.
    """
    frame = pd.DataFrame(
        {
            "group": label,
            "employed": employed.astype(float),
            "p": p,
            "bin": np.clip(np.digitize(p, np.linspace(0.0, 1.0, bins + 1)[1:-1]), 0, bins - 1),
        }
    )
    groups = frame.groupby("group", sort=True)
    observed = groups["employed"].mean()
    mean_p = groups["p"].mean()
    cells = frame.groupby(["group", "bin"], sort=True).agg(
        n_b=("p", "size"), employed_b=("employed", "mean"), p_b=("p", "mean")
    )
    weighted = cells["n_b"] * (cells["employed_b"] - cells["p_b"]).abs()
    ece = weighted.groupby(level="group").sum() / groups.size()
    result = pd.DataFrame({"mean_probability": mean_p, "calibration_gap": mean_p - observed, "ece": ece})
    result.index = result.index.astype(str)
    return result


_FLAG_METRICS: tuple[str, ...] = ("n", "observed_rate", "high_risk_share", "fnr", "fpr")
"""Metrics of (adverse outcome, flag), fairlearn's definitions (:func:`_flag_counts`)."""

_PROBABILITY_METRICS: tuple[str, ...] = ("mean_probability", "calibration_gap", "ece")
"""Metrics of the probability, computed by :func:`_probability_metrics`."""


def _flag_metrics(adverse: np.ndarray, flag: np.ndarray, label: np.ndarray) -> tuple[pd.DataFrame, dict[str, float]]:
    """The :data:`_FLAG_METRICS` per group of one attribute (sorted labels, index ``group``) and overall.

    Counted with ``np.bincount``: every flag metric is a ratio of confusion-matrix counts, so the
    counts give exactly fairlearn's numbers (``tests/unit/test_fairness.py`` checks them against
    ``MetricFrame`` on one row per seeker). A ``MetricFrame`` of weighted cells cost ~0.1 s each
    however few its rows: the employment build's ten audits of four attributes spent ~8 s there.
    """
    code, uniques = pd.factorize(np.asarray(label), sort=True)
    by_group = pd.DataFrame(_flag_counts(code, len(uniques), adverse, flag),
                            index=pd.Index(np.asarray(uniques, dtype=object), name="group"))
    overall = {name: float(values[0]) for name, values in
               _flag_counts(np.zeros(len(code), dtype=np.int64), 1, adverse, flag).items()}
    return by_group, overall


def _flag_counts(code: np.ndarray, k: int, adverse: np.ndarray, flag: np.ndarray) -> dict[str, np.ndarray]:
    """n, observed_rate, high_risk_share, fnr and fpr of ``k`` groups (fairlearn's definitions, NaN for 0/0)."""
    bad = np.asarray(adverse, dtype=float)
    flagged = np.asarray(flag, dtype=float)
    n = np.bincount(code, minlength=k).astype(float)
    at_risk = np.bincount(code, weights=bad, minlength=k)
    employed = n - at_risk
    caught = np.bincount(code, weights=flagged * bad, minlength=k)
    false_alarms = np.bincount(code, weights=flagged, minlength=k) - caught
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "n": n,
            "observed_rate": 1.0 - at_risk / n,
            "high_risk_share": (caught + false_alarms) / n,
            "fnr": np.where(at_risk > 0, (at_risk - caught) / at_risk, np.nan),
            "fpr": np.where(employed > 0, false_alarms / employed, np.nan),
        }


def _group_table(attribute: str, by_group: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    table = by_group.reset_index()
    table["group"] = table["group"].astype(str)
    table["n"] = table["n"].astype(int)
    table.insert(0, "attribute", attribute)
    table["reported"] = table["n"] >= min_group_size
    return table


def _spread(values: np.ndarray) -> float:
    """Largest minus smallest of the non-NaN values (NaN with fewer than two)."""
    known = values[~np.isnan(values)]
    return float(known.max() - known.min()) if len(known) >= 2 else math.nan


def _z_score(metric: str, reported: pd.DataFrame, worst: str, best: str, gap: float) -> float:
    """Gap over its binomial standard error (NaN where none applies: ECE)."""
    if metric == "ece":
        return math.nan
    if metric == "calibration_gap_abs":
        o, n = float(reported.at[worst, "observed_rate"]), float(reported.at[worst, "n"])
        se = math.sqrt(max(o * (1 - o), 1e-12) / max(n, 1.0))
        return gap / se
    se2 = 0.0
    for group in (worst, best):
        n = float(reported.at[group, "n"])
        o = float(reported.at[group, "observed_rate"])
        m = {"high_risk_share": n, "fnr": n * (1 - o), "fpr": n * o}[metric]
        r = float(reported.at[group, metric])
        se2 += max(r * (1 - r), 1e-12) / max(m, 1.0)
    return gap / math.sqrt(se2)


def _gap_table(by_group: pd.DataFrame, metrics: Sequence[str], tolerance: float,
               significance: float | None = None) -> pd.DataFrame:
    from scipy.stats import norm  # only when gaps are computed

    critical = float(norm.ppf(1 - significance / 2)) if significance else None
    rows = []
    for attribute, rows_of_attr in by_group.groupby("attribute", sort=False):
        reported = rows_of_attr[rows_of_attr["reported"]].set_index("group")
        for metric in metrics:
            if metric == "calibration_gap_abs":
                values = reported["calibration_gap"].abs().dropna()
                enough = len(values) >= 1
                gap = float(values.max()) if enough else math.nan
            else:
                values = reported[metric].dropna()
                enough = len(values) >= 2
                gap = float(values.max() - values.min()) if enough else math.nan
            worst = str(values.idxmax()) if enough else None
            best = str(values.idxmin()) if enough else None
            z = _z_score(metric, reported, worst, best, gap) if enough and critical is not None else math.nan
            flagged = bool(enough and gap > tolerance)
            if critical is not None:
                flagged = flagged and bool(z == z and z > critical)  # z == z: not NaN (ECE)
            rows.append(
                {
                    "attribute": attribute,
                    "metric": metric,
                    "gap": gap,
                    "worst_group": worst,
                    "best_group": best,
                    "flagged": flagged,
                    "n_groups": int(len(values)),
                    "z": z,
                }
            )
    return pd.DataFrame(rows, columns=_GAP_COLUMNS)


# --- validation at the boundary


def _validate_inputs(
    employed: npt.ArrayLike,
    probability: npt.ArrayLike,
    high_risk: npt.ArrayLike,
    groups: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Check and convert inputs: (employed 0/1 int, p float, flag 0/1 int, labels per attribute)."""
    if not isinstance(groups, pd.DataFrame):
        raise ValueError("집단 정보(groups)는 속성별 열을 가진 DataFrame이어야 합니다")
    if groups.shape[1] == 0:
        raise ValueError("집단 정보(groups)에 속성 열이 하나 이상 있어야 합니다")
    y_raw = np.asarray(employed).reshape(-1)
    flag_raw = np.asarray(high_risk).reshape(-1)
    p_raw = np.asarray(probability).reshape(-1)
    lengths = {len(y_raw), len(p_raw), len(flag_raw), len(groups)}
    if len(lengths) > 1:
        raise ValueError(
            "입력 길이가 서로 다릅니다 "
            f"(employed {len(y_raw)}, probability {len(p_raw)}, high_risk {len(flag_raw)}, groups {len(groups)})"
        )
    if len(y_raw) == 0:
        raise ValueError("입력이 비어 있습니다")

    try:
        p = p_raw.astype(float)
    except (TypeError, ValueError) as err:
        raise ValueError("확률은 숫자여야 합니다") from err
    if np.isnan(p).any():
        raise ValueError(f"확률에 결측값(NaN)이 {int(np.isnan(p).sum())}건 있습니다")
    outside = (p < 0.0) | (p > 1.0)
    if outside.any():
        example = p[outside][0]
        raise ValueError(f"확률은 0과 1 사이여야 합니다 (범위 밖 {int(outside.sum())}건, 예: {example:g})")

    y = _binary(y_raw, "취업 여부(employed)")
    flag = _binary(flag_raw, "고위험 여부(high_risk)")

    labels: dict[str, np.ndarray] = {}
    for column in groups.columns:
        values = groups[column].reset_index(drop=True)
        missing = int(values.isna().sum())
        if missing:
            raise ValueError(f"집단 정보의 '{column}' 열에 비어 있는 값이 {missing}건 있습니다")
        if str(column) == "disability" and (
            pd.api.types.is_bool_dtype(values) or values.map(lambda v: isinstance(v, (bool, np.bool_))).all()
        ):
            values = values.map(lambda v: DISABILITY_LABELS[bool(v)])
        labels[str(column)] = values.astype(str).to_numpy()
    return y, p, flag, labels


def _binary(values: np.ndarray, name: str) -> np.ndarray:
    message = f"{name}는 0 또는 1(참/거짓)이어야 합니다"
    try:
        numeric = values.astype(float)
    except (TypeError, ValueError) as err:
        raise ValueError(message) from err
    if np.isnan(numeric).any():
        raise ValueError(f"{name}에 결측값(NaN)이 있습니다")
    if not np.isin(numeric, (0.0, 1.0)).all():
        raise ValueError(message)
    return numeric.astype(int)


def _check_positive_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}는 1 이상의 정수여야 합니다 (입력값: {value})")


def _json_float(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
