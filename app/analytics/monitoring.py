"""Model monitoring arithmetic: score drift (PSI), calibration drift (ECE), fairness gaps over time,
override rates and the alert rules (성과·모델 모니터링, issue 19).

Pure functions over frames: the service (:mod:`app.services.monitoring`) reads the scores through
the models' own services and hands them over; nothing here loads a model or queries the database.

Definitions:

* **Windows** are calendar quarters (or years) of the date the score refers to (a seeker's
  registration, a posting's opening, a course's start). The **reference window** is the period
  the model learned from; the windows after it are the monitored ones. Alerts are raised only for
  monitored windows — a window inside the training period is shown for context.
* **PSI** (population stability index) of a window against the reference:
  ``Σ_b (c_b − r_b) · ln(c_b / r_b)`` over bins ``b`` whose edges are the reference's deciles,
  fixed once from the reference (:func:`psi_edges`), with shares floored at :data:`PSI_FLOOR` so
  an empty bin does not give an infinite value. Usual reading: < 0.1 stable, 0.1–0.25 some
  change (주의), ≥ 0.25 large change (경보) — the thresholds live in
  ``data/reference/monitoring_thresholds.yaml``.
* **ECE** (expected calibration error) of a window: ``Σ_b (n_b / n) · |ȳ_b − p̄_b|`` over
  equal-width probability bins (the definition of :mod:`app.ml.fairness`); the **calibration gap**
  is ``p̄ − ȳ`` over the whole window (positive = too optimistic).
* **Fairness gaps over time**: :func:`app.ml.fairness.audit_fairness` per window (sex, age band,
  disability), a gap flagged when over the tolerance *and* significant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import yaml

ALERT: Final[str] = "경보"
WARNING: Final[str] = "주의"
NORMAL: Final[str] = "정상"
LEVEL_ORDER: Final[dict[str, int]] = {ALERT: 0, WARNING: 1, NORMAL: 2}
"""Alert levels, most severe first (the page lists alerts in this order)."""

PSI_FLOOR: Final[float] = 1e-4
"""Smallest bin share in the PSI (an empty bin would otherwise give ln 0)."""

ALERT_COLUMNS: Final[tuple[str, ...]] = ("model", "check", "window", "value", "threshold", "level", "message")
"""Columns of an alert table (:func:`alerts_frame`)."""


# --------------------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Level:
    """A check's two thresholds: ``warning`` (주의) and ``alert`` (경보), both "at or above"."""

    warning: float
    alert: float

    def of(self, value: float) -> str:
        """The level of ``value`` (NaN is :data:`NORMAL`: nothing to judge)."""
        if value is None or not np.isfinite(value):
            return NORMAL
        if value >= self.alert:
            return ALERT
        if value >= self.warning:
            return WARNING
        return NORMAL


@dataclass(frozen=True)
class Thresholds:
    """The alert thresholds of ``data/reference/monitoring_thresholds.yaml``.

    Attributes:
        psi: PSI levels. psi_bins: Reference quantile bins of the PSI.
        ece: ECE levels. ece_bins: Equal-width bins of the ECE.
        calibration_gap: Levels of |mean predicted − observed|.
        override_rate: Levels of the share of outputs a person changed; override_min_n: fewest
            shown outputs before a rate is judged.
        fairness_metrics: Gap metrics of :mod:`app.ml.fairness` watched over time.
        fairness_significance: Two-sided level of the fairness gaps' test.
        min_window: Fewest scored rows before a window's PSI or calibration is judged.
        sources: Check → where its numbers come from (shown on the page and in the report).
        assumptions: Checks whose numbers are our own choice.
    """

    psi: Level = Level(0.10, 0.25)
    psi_bins: int = 10
    ece: Level = Level(0.05, 0.10)
    ece_bins: int = 10
    calibration_gap: Level = Level(0.05, 0.10)
    override_rate: Level = Level(0.20, 0.35)
    override_min_n: int = 20
    fairness_metrics: tuple[str, ...] = ("calibration_gap_abs", "high_risk_share", "fnr")
    fairness_significance: float = 0.05
    min_window: int = 200
    sources: Mapping[str, str] = field(default_factory=dict)
    assumptions: frozenset[str] = frozenset()


def load_thresholds(path: Path) -> Thresholds:
    """Read the thresholds file.

    Raises:
        ValueError: A level is missing, not a number, or its warning is above its alert (Korean message).
    """
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}

    def level(name: str) -> Level:
        entry = data.get(name) or {}
        try:
            found = Level(float(entry["warning"]), float(entry["alert"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"모니터링 기준 파일의 '{name}' 항목에 주의·경보 값이 없습니다") from err
        if found.warning > found.alert:
            raise ValueError(f"모니터링 기준 '{name}'의 주의 값이 경보 값보다 큽니다")
        return found

    checks = ("psi", "ece", "calibration_gap", "fairness", "override_rate")
    fairness = data.get("fairness") or {}
    return Thresholds(
        psi=level("psi"), psi_bins=int((data.get("psi") or {}).get("bins", 10)),
        ece=level("ece"), ece_bins=int((data.get("ece") or {}).get("bins", 10)),
        calibration_gap=level("calibration_gap"), override_rate=level("override_rate"),
        override_min_n=int((data.get("override_rate") or {}).get("min_n", 20)),
        fairness_metrics=tuple(fairness.get("metrics") or Thresholds.fairness_metrics),
        fairness_significance=float(fairness.get("significance", 0.05)),
        min_window=int(data.get("min_window", 200)),
        sources={name: str((data.get(name) or {}).get("source", "")) for name in checks}
        | {"min_window": str(data.get("min_window_source", ""))},
        assumptions=frozenset(name for name in checks if (data.get(name) or {}).get("assumption")),
    )


# --------------------------------------------------------------------------- windows


def quarter_start(dates: pd.Series | Sequence[object]) -> pd.Series:
    """First day of each date's calendar quarter (NaT stays NaT)."""
    stamps = pd.to_datetime(pd.Series(dates))
    return stamps.dt.to_period("Q").dt.start_time


def quarter_label(start: object) -> str:
    """Korean label of a quarter from its first day: ``"2025년 4분기"``."""
    stamp = pd.Timestamp(start)
    return f"{stamp.year}년 {(stamp.month - 1) // 3 + 1}분기"


def year_label(start: object) -> str:
    """Korean label of a year: ``"2025년"``."""
    return f"{pd.Timestamp(start).year}년"


# --------------------------------------------------------------------------- PSI


def psi_edges(reference: np.ndarray | Sequence[float], bins: int = 10) -> np.ndarray:
    """Inner bin edges of the PSI: the reference's quantiles (fixed once, reused for every window).

    Repeated quantiles (a score with few distinct values) are merged, so every bin is non-empty in
    the reference.
    """
    values = np.asarray(reference, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.array([], dtype=float)
    quantiles = np.quantile(values, np.linspace(0, 1, int(bins) + 1)[1:-1])
    return np.unique(quantiles)


def bin_shares(values: np.ndarray | Sequence[float], edges: np.ndarray) -> np.ndarray:
    """Share of ``values`` in each bin of ``edges`` (``len(edges) + 1`` bins, right-closed)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    counts = np.bincount(np.searchsorted(edges, x, side="left"), minlength=len(edges) + 1).astype(float)
    return counts / max(counts.sum(), 1.0)


def psi(reference: np.ndarray | Sequence[float], current: np.ndarray | Sequence[float],
        edges: np.ndarray | None = None, *, bins: int = 10) -> float:
    """Population stability index of ``current`` against ``reference`` (see the module docstring).

    Args:
        reference: Scores of the reference window.
        current: Scores of the window to compare.
        edges: Fixed inner edges (:func:`psi_edges` of the reference); computed here when ``None``.
        bins: Quantile bins when ``edges`` is computed here.

    Returns:
        The PSI (≥ 0), NaN when either side is empty.
    """
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    if not np.isfinite(ref).any() or not np.isfinite(cur).any():
        return float("nan")
    edges = psi_edges(ref, bins) if edges is None else np.asarray(edges, dtype=float)
    r = np.maximum(bin_shares(ref, edges), PSI_FLOOR)
    c = np.maximum(bin_shares(cur, edges), PSI_FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


def score_drift(frame: pd.DataFrame, *, score: str, window: str, reference: str, bins: int = 10) -> pd.DataFrame:
    """PSI of every window's scores against the reference rows, with fixed reference bins.

    Args:
        frame: One row per scored item: ``score`` (number), ``window`` (window start, sortable)
            and ``reference`` (bool: the row belongs to the reference window).
        score: Score column.
        window: Window column.
        reference: Reference-flag column.
        bins: Reference quantile bins.

    Returns:
        ``window_start, n, mean_score, psi, in_reference`` (``in_reference``: every row of the
        window is a reference row), by window.
    """
    columns = ["window_start", "n", "mean_score", "psi", "in_reference"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    ref_scores = frame.loc[frame[reference].astype(bool), score].to_numpy(float)
    edges = psi_edges(ref_scores, bins)
    rows = []
    for start, part in frame.groupby(window, sort=True):
        values = part[score].to_numpy(float)
        rows.append({
            "window_start": start, "n": len(part), "mean_score": float(np.nanmean(values)) if len(values) else np.nan,
            "psi": psi(ref_scores, values, edges), "in_reference": bool(part[reference].astype(bool).all()),
        })
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- calibration


def expected_calibration_error(outcome: np.ndarray | Sequence[float], probability: np.ndarray | Sequence[float],
                               bins: int = 10) -> float:
    """ECE with ``bins`` equal-width bins on [0, 1] (the last bin holds 1.0); NaN when empty.

    ``outcome`` may be a rate (e.g. a course's employment rate) as well as 0/1.
    """
    y = np.asarray(outcome, dtype=float)
    p = np.asarray(probability, dtype=float)
    keep = np.isfinite(y) & np.isfinite(p)
    y, p = y[keep], np.clip(p[keep], 0.0, 1.0)
    if y.size == 0:
        return float("nan")
    index = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in np.unique(index):
        inside = index == b
        total += inside.mean() * abs(y[inside].mean() - p[inside].mean())
    return float(total)


def calibration_by_window(frame: pd.DataFrame, *, score: str, outcome: str, window: str, reference: str | None = None,
                          bins: int = 10) -> pd.DataFrame:
    """Observed against predicted per window, for the rows whose outcome is known.

    Returns:
        ``window_start, n, mean_predicted, observed_rate, calibration_gap, ece, in_reference``.
    """
    columns = ["window_start", "n", "mean_predicted", "observed_rate", "calibration_gap", "ece", "in_reference"]
    known = frame[frame[outcome].notna()] if not frame.empty else frame
    if known.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for start, part in known.groupby(window, sort=True):
        y = part[outcome].to_numpy(float)
        p = part[score].to_numpy(float)
        rows.append({
            "window_start": start, "n": len(part), "mean_predicted": float(p.mean()), "observed_rate": float(y.mean()),
            "calibration_gap": float(p.mean() - y.mean()), "ece": expected_calibration_error(y, p, bins),
            "in_reference": bool(part[reference].astype(bool).all()) if reference else False,
        })
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- fairness over time


def fairness_over_time(frame: pd.DataFrame, *, score: str, outcome: str, window: str, attributes: Sequence[str],
                       cutoff: float, tolerance: float, min_group_size: int, significance: float,
                       metrics: Sequence[str], reference: str | None = None) -> pd.DataFrame:
    """The fairness audit (:func:`app.ml.fairness.audit_fairness`) of every monitored window and of the
    reference rows pooled into one window (dated by their first window: one audit instead of one per
    training quarter, and the steadiest baseline to compare the later gaps with).

    Args:
        frame: Scored rows with a known 0/1 ``outcome`` and one column per attribute.
        score: Probability column. outcome: 0/1 outcome column. window: Window column.
        attributes: Protected-attribute columns (e.g. ``sex``, ``age_band``, ``disability``).
        cutoff: High-risk flag = probability below this.
        tolerance: Largest acceptable gap. min_group_size: Smallest group compared.
        significance: Two-sided level of the gaps' test.
        metrics: Gap metrics kept (:data:`app.ml.fairness.GAP_METRICS`).
        reference: Reference-flag column (copied to ``in_reference``).

    Returns:
        ``window_start, attribute, metric, gap, worst_group, best_group, flagged, n, in_reference, tolerance``.
    """
    from app.ml.fairness import audit_fairness  # fairlearn only where it is used

    columns = ["window_start", "attribute", "metric", "gap", "worst_group", "best_group", "flagged", "n", "in_reference",
               "tolerance"]
    known = frame[frame[outcome].notna()] if not frame.empty else frame
    if reference and not known.empty and known[reference].astype(bool).any():
        is_reference = known[reference].astype(bool)
        known = known.assign(**{window: known[window].where(~is_reference, known.loc[is_reference, window].min())})
    rows: list[pd.DataFrame] = []
    for start, part in known.groupby(window, sort=True):
        if len(part) < 2:
            continue
        p = part[score].to_numpy(float)
        report = audit_fairness(part[outcome].to_numpy(int), p, p < cutoff, part[list(attributes)].reset_index(drop=True),
                                tolerance=tolerance, min_group_size=min_group_size, significance=significance)
        gaps = report.gaps[report.gaps["metric"].isin(list(metrics))].copy()
        gaps["window_start"] = start
        gaps["n"] = len(part)
        gaps["in_reference"] = bool(part[reference].astype(bool).any()) if reference else False
        gaps["tolerance"] = float(tolerance)
        rows.append(gaps)
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


# --------------------------------------------------------------------------- overrides


def override_rates(events: pd.DataFrame, *, window: str, changed: str) -> pd.DataFrame:
    """Share of shown outputs a person changed, per window.

    Args:
        events: One row per reviewed output: ``window`` and ``changed`` (bool).

    Returns:
        ``window_start, n, changed, rate``.
    """
    columns = ["window_start", "n", "changed", "rate"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    table = events.groupby(window, sort=True)[changed].agg(n="size", changed="sum").reset_index()
    table = table.rename(columns={window: "window_start"})
    table["changed"] = table["changed"].astype(int)
    table["rate"] = table["changed"] / table["n"].clip(lower=1)
    return table[columns]


# --------------------------------------------------------------------------- alerts


@dataclass(frozen=True)
class Alert:
    """One raised alert.

    Attributes:
        model: Korean model title. check: Korean check name. window: Korean window label.
        value: Measured value. threshold: The threshold it reached. level: :data:`ALERT` or :data:`WARNING`.
        message: One Korean sentence for the page and the report.
    """

    model: str
    check: str
    window: str
    value: float
    threshold: float
    level: str
    message: str


def level_alerts(table: pd.DataFrame, *, value: str, level: Level, model: str, check: str, label: object,
                 min_n: int = 0, absolute: bool = False, unit: str = "") -> list[Alert]:
    """Alerts of a per-window table: every monitored window (not ``in_reference``, ``n ≥ min_n``)
    whose ``value`` reaches a level.

    Args:
        table: Rows with ``window_start``, ``n``, ``value`` and optionally ``in_reference``.
        value: Column judged. level: Its thresholds. model, check: Korean names.
        label: Function from ``window_start`` to a Korean window label.
        min_n: Smallest window judged. absolute: Judge ``|value|``. unit: Suffix of the message's number.
    """
    alerts: list[Alert] = []
    for row in table.itertuples(index=False):
        data = row._asdict()
        if data.get("in_reference", False) or int(data.get("n", 0)) < min_n:
            continue
        measured = float(data[value])
        judged = abs(measured) if absolute else measured
        found = level.of(judged)
        if found == NORMAL:
            continue
        threshold = level.alert if found == ALERT else level.warning
        window = label(data["window_start"])
        alerts.append(Alert(model, check, window, measured, threshold, found,
                            f"{model}: {window} {check} {judged:.3f}{unit} — {found} 기준 {threshold:g} 이상"))
    return alerts


def fairness_alerts(table: pd.DataFrame, *, model: str, label: object, attribute_labels: Mapping[str, str],
                    metric_labels: Mapping[str, str],
                    baseline: Mapping[tuple[str, str], float] | None = None) -> list[Alert]:
    """Alerts of the fairness gaps of the monitored windows.

    A gap flagged by the audit (over the tolerance *and* significant) raises 경보 when it also grew
    by more than the tolerance over the same gap in the reference window(s) (their median) — the
    model has become less fair since it was trained — and 주의 when it only persists (a gap the
    policy page's audit already shows, e.g. by age, which the outcome itself differs by).

    Args:
        baseline: (attribute, metric) → the gap the model had when it was trained, measured on
            held-out rows (the build's fairness audit). Without it, the median of the reference
            windows' gaps (in-sample rows understate a gap, so prefer a held-out baseline).
    """
    if table.empty:
        return []
    if baseline is not None:
        reference = pd.Series(dict(baseline), dtype=float)
    else:
        reference = table[table["in_reference"].astype(bool)].groupby(["attribute", "metric"])["gap"].median()
    monitored = table[~table["in_reference"].astype(bool)]
    alerts = []
    for row in monitored[monitored["flagged"].astype(bool)].itertuples(index=False):
        before = float(reference.get((row.attribute, row.metric), np.nan))
        tolerance = float(getattr(row, "tolerance", np.nan))
        grew = np.isfinite(before) and np.isfinite(tolerance) and row.gap - before > tolerance
        level = ALERT if (grew or not np.isfinite(before)) else WARNING
        window = label(row.window_start)  # type: ignore[operator]
        attribute = attribute_labels.get(row.attribute, "보호 속성")
        metric = metric_labels.get(row.metric, "격차")
        trend = f"학습 때 {before:.3f}에서 {row.gap - before:+.3f}" if np.isfinite(before) else "학습 때 값 없음"
        groups = (f"{row.worst_group} 집단" if row.metric == "calibration_gap_abs"
                  else f"{row.worst_group} vs {row.best_group}")
        alerts.append(Alert(model, f"공정성 격차({attribute})", window, float(row.gap), before, level,
                            f"{model}: {window} {attribute}의 {metric} {row.gap:.3f} "
                            f"({groups}; {trend}) — 허용오차 초과, 통계적으로 유의"))
    return alerts


def alerts_frame(alerts: Sequence[Alert]) -> pd.DataFrame:
    """Alerts as a table, most severe first, then by model and window."""
    frame = pd.DataFrame([a.__dict__ for a in alerts], columns=list(ALERT_COLUMNS))
    if frame.empty:
        return frame
    frame["_order"] = frame["level"].map(LEVEL_ORDER)
    return frame.sort_values(["_order", "model", "check", "window"]).drop(columns="_order").reset_index(drop=True)
