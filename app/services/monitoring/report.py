"""The monitoring report: KPIs, every model's monitor, the alerts — computed once for the page (cached
by ``components.resources``) and by ``python -m app monitor`` (written as a dated Excel workbook and a
JSON summary)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd
from sqlalchemy import Engine

from app.analytics import monitoring as mon
from app.analytics.kpi import load_kpi_targets
from app.analytics.monitoring import Thresholds, load_thresholds
from app.errors import AccessDenied, NotReady
from app.exports import xlsx_bytes
from app.services.monitoring import kpi as kpi_service
from app.services.monitoring import models as monitors
from app.services.monitoring import stored as stored_monitors
from app.services.monitoring.kpi import KpiReport
from app.services.monitoring.models import CHECK_NAMES, PROFILES, ModelMonitor
from app.services.transparency import model_titles
from app.text.korean import KST

THRESHOLDS_FILE: Final[str] = "monitoring_thresholds.yaml"
"""The thresholds file in the reference directory."""
AUDIT_DAYS: Final[int] = 90
"""Days of audit-log volume in the report."""
REPORT_PREFIX: Final[str] = "monitoring-"


class MonitoringAccessDenied(AccessDenied):
    """Only policy staff see the monitoring report."""


def require_policy(role: str | None) -> None:
    """Refuse every role but policy staff (the page checks it too).

    Raises:
        MonitoringAccessDenied: Another role or no login.
    """
    if role != "policy":
        raise MonitoringAccessDenied("성과·모델 모니터링은 정책·운영 담당자만 볼 수 있습니다.")


def load_monitoring_thresholds(reference_dir: Path) -> Thresholds:
    """The committed alert thresholds."""
    return _parsed(Path(reference_dir) / THRESHOLDS_FILE, load_thresholds)


def _parsed(path: Path, parse: Callable[[Path], Any]) -> Any:
    """``parse(path)``, once per version of the file (size and modification time): every report reads
    the committed thresholds and targets, and parsing the YAML took a sixth of a stored report's time."""
    try:
        stat = path.stat()
    except OSError:
        return parse(path)  # the parser's own error for a missing file
    return _parsed_version(str(path), stat.st_mtime_ns, stat.st_size, parse)


@functools.lru_cache(maxsize=8)
def _parsed_version(path: str, mtime_ns: int, size: int, parse: Callable[[Path], Any]) -> Any:
    return parse(Path(path))


@dataclass
class MonitoringReport:
    """Everything the page and the scheduled run show.

    Attributes:
        as_of: The date of the run (KST).
        kpis: Indicators of every region and service.
        monitors: One :class:`~app.services.monitoring.models.ModelMonitor` per monitored model.
        models: Every manifest model: title, version, what it scores, checks, why some do not apply.
        alerts: Every alert (:data:`app.analytics.monitoring.ALERT_COLUMNS`), most severe first.
        audit: Audit-log rows per model and KST day.
        copilot_edits: 상담 지원 AI drafts shown / confirmed / changed per task.
        thresholds: The thresholds used.
        missing: Korean notes of models that could not be loaded (not built).
        seconds: Time the report took.
    """

    as_of: dt.date
    kpis: KpiReport
    monitors: list[ModelMonitor]
    models: pd.DataFrame
    alerts: pd.DataFrame
    audit: pd.DataFrame
    copilot_edits: pd.DataFrame
    thresholds: Thresholds
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def monitor(self, name: str) -> ModelMonitor | None:
        """The monitor of a manifest model name (``None`` when it has none)."""
        return next((m for m in self.monitors if m.name == name), None)

    def summary(self) -> dict[str, Any]:
        """JSON-safe summary: counts of alerts by level and each alert's sentence."""
        counts = self.alerts["level"].value_counts().to_dict() if not self.alerts.empty else {}
        return {
            "date": self.as_of.isoformat(),
            "alerts": int(counts.get(mon.ALERT, 0)), "warnings": int(counts.get(mon.WARNING, 0)),
            "messages": [f"[{row.level}] {row.message}" for row in self.alerts.itertuples(index=False)],
            "models": [m.title for m in self.monitors], "not_built": list(self.missing),
            "seconds": round(self.seconds, 2),
        }


def build_report(engine: Engine, *, models_dir: Path, reference_dir: Path, tolerance: float, min_group_size: int,
                 today: dt.date | None = None, live: bool = False) -> MonitoringReport:
    """Compute the whole report: the model monitors' score tables from their stored results (computed
    and stored first when their stamp moved, see :mod:`.stored`), the KPIs from their stored summary,
    the overrides, copilot edits and audit volume live.

    Args:
        engine: Product database.
        models_dir: Built artifacts and their manifest.
        reference_dir: The committed reference files (targets and thresholds).
        tolerance: Fairness tolerance (``Settings.fairness_tolerance``).
        min_group_size: Smallest group of the fairness audit (``Settings.fairness_min_group``).
        today: The run's date (KST); default today.
        live: Compute every model monitor afresh and store nothing (the stored path's reference in tests).

    Raises:
        NotReady: Nothing is built yet (the message names the build command).
    """
    started = time.perf_counter()
    today = today or dt.datetime.now(KST).date()
    manifest = monitors.manifest_models(models_dir)
    if not manifest:
        raise NotReady("모델이 아직 만들어지지 않았습니다. 터미널에서 `python -m app build`를 실행하세요.")
    thresholds = load_monitoring_thresholds(reference_dir)
    titles = _titles(manifest)
    kpi_service.store_kpi_summary(engine)  # current already after a build: a few index lookups
    kpis = kpi_service.kpi_report(engine, _parsed(Path(reference_dir) / kpi_service.KPI_TARGETS_FILE, load_kpi_targets))
    audit = monitors.audit_volume(engine, days=AUDIT_DAYS, today=today, titles=titles)

    inputs = _monitor_inputs(models_dir, thresholds, manifest, tolerance=tolerance, min_group_size=min_group_size)
    # the scores' tables are stored (they read every seeker and posting); what people did stays live
    built, missing = stored_monitors.model_monitors(engine, inputs, live=live)
    ad_verifier = next((m for m in built if m.name == "ad_verifier"), None)
    if ad_verifier is not None:
        monitors.ad_verifier_overrides(engine, ad_verifier, thresholds)
    employment_monitor = next((m for m in built if m.name == "employment"), None)
    if employment_monitor is not None:
        monitors.employment_overrides(engine, employment_monitor, thresholds)
    copilot_monitor = ModelMonitor("copilot", titles.get("copilot", "상담 지원 AI"), "-", PROFILES["copilot"])
    copilot_edits = monitors.copilot_edits(engine, copilot_monitor, thresholds)
    built.append(copilot_monitor)

    alerts = mon.alerts_frame([alert for m in built for alert in m.alerts])
    return MonitoringReport(
        as_of=today, kpis=kpis, monitors=built, models=_models_table(manifest, titles, audit), alerts=alerts,
        audit=audit, copilot_edits=copilot_edits, thresholds=thresholds, missing=missing,
        seconds=time.perf_counter() - started,
    )


def _titles(manifest: dict[str, dict]) -> dict[str, str]:
    return {**model_titles(), **{name: str(entry.get("title", name)) for name, entry in manifest.items()}}


def _monitor_inputs(models_dir: Path, thresholds: Thresholds, manifest: dict[str, dict], *, tolerance: float,
                    min_group_size: int) -> stored_monitors.MonitorInputs:
    return stored_monitors.MonitorInputs(models_dir=Path(models_dir), thresholds=thresholds, manifest=manifest,
                                         titles=_titles(manifest), tolerance=float(tolerance),
                                         min_group_size=int(min_group_size))


def store_model_monitors(engine: Engine, *, models_dir: Path, reference_dir: Path, tolerance: float,
                         min_group_size: int) -> str:
    """Bring the stored model monitors up to date: what the build calls after the KPI summary (the
    monitors of the models it built are computed and stored) and the page before it reads (a few index
    lookups while they are current).

    Args:
        engine: Product database.
        models_dir: Built artifacts and their manifest.
        reference_dir: The committed reference files (the thresholds).
        tolerance: Fairness tolerance (``Settings.fairness_tolerance``).
        min_group_size: Smallest group of the fairness audit (``Settings.fairness_min_group``).

    Returns:
        A short digest of the stamps in force (``""`` when nothing is built): a cache key.
    """
    manifest = monitors.manifest_models(models_dir)
    if not manifest:
        return ""
    inputs = _monitor_inputs(models_dir, load_monitoring_thresholds(reference_dir), manifest, tolerance=tolerance,
                             min_group_size=min_group_size)
    return stored_monitors.store_model_monitors(engine, inputs)


def _models_table(manifest: dict[str, dict], titles: dict[str, str], audit: pd.DataFrame) -> pd.DataFrame:
    rows = []
    per_model = audit.groupby("model_name")["rows"].sum() if not audit.empty else pd.Series(dtype=int)
    for name, entry in manifest.items():
        profile = PROFILES.get(name, monitors.ModelProfile("-", "-", ("audit",), "모니터링 항목 미정"))
        created = str(entry.get("created_at", ""))[:10]
        rows.append({
            "모델": titles.get(name, str(entry.get("title", "모델"))), "버전": str(entry.get("version", "-")),
            "만든 날": created, "무엇을 점수화하나": profile.scores, "구간": profile.window,
            "적용 점검": ", ".join(CHECK_NAMES[c] for c in profile.checks),
            "적용하지 않는 점검의 이유": profile.no_outcome or "-",
            f"최근 {AUDIT_DAYS}일 감사 로그": int(per_model.get(name, 0)),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- tables and files

DRIFT_COLUMNS: Final[dict[str, str]] = {
    "model": "모델", "window": "구간", "n": "건수", "mean_score": "평균 점수", "psi": "PSI", "flagged_share": "검토·차단 비율",
    "period": "구분",
}
CALIBRATION_COLUMNS: Final[dict[str, str]] = {
    "model": "모델", "window": "구간", "n": "결과 있는 건수", "mean_predicted": "평균 예측", "observed_rate": "실제 비율",
    "calibration_gap": "예측−실제", "ece": "ECE", "period": "구분",
}
FAIRNESS_COLUMNS: Final[dict[str, str]] = {
    "model": "모델", "window": "구간", "attribute": "보호 속성", "metric": "지표", "gap": "격차", "worst_group": "가장 높은 집단",
    "best_group": "가장 낮은 집단", "flagged": "허용오차 초과(유의)", "period": "구분",
}
OVERRIDE_COLUMNS: Final[dict[str, str]] = {
    "model": "모델", "window": "구간", "n": "보여 준 건수", "changed": "사람이 바꾼 건수", "rate": "변경률", "period": "구분",
}
ALERT_COLUMNS: Final[dict[str, str]] = {
    "level": "수준", "model": "모델", "check": "점검", "window": "구간", "value": "값", "threshold": "기준", "message": "내용",
}
AUDIT_COLUMNS: Final[dict[str, str]] = {"day": "날짜(KST)", "model": "모델", "action": "동작", "rows": "건수"}


def _period(table: pd.DataFrame) -> pd.Series:
    return table["in_reference"].map({True: "기준(학습) 구간", False: "모니터링 구간"}) if "in_reference" in table else ""


def _stack(report: MonitoringReport, attribute: str, columns: dict[str, str]) -> pd.DataFrame:
    parts = []
    for monitor in report.monitors:
        table = getattr(monitor, attribute)
        if table is None or table.empty:
            continue
        parts.append(table.assign(model=monitor.title, period=_period(table)))
    if not parts:
        return pd.DataFrame(columns=list(columns.values()))
    stacked = pd.concat(parts, ignore_index=True)
    return stacked[[c for c in columns if c in stacked]].rename(columns=columns)


def drift_table(report: MonitoringReport) -> pd.DataFrame:
    """PSI of every model and window (Korean columns)."""
    table = _stack(report, "drift", DRIFT_COLUMNS)
    return table.round({"평균 점수": 4, "PSI": 4, "검토·차단 비율": 4})


def calibration_table(report: MonitoringReport) -> pd.DataFrame:
    """Observed against predicted of every model and window (Korean columns)."""
    return _stack(report, "calibration", CALIBRATION_COLUMNS).round({"평균 예측": 4, "실제 비율": 4, "예측−실제": 4, "ECE": 4})


def fairness_table(report: MonitoringReport) -> pd.DataFrame:
    """Fairness gaps of every window (Korean columns and labels)."""
    from app.ml.fairness import ATTRIBUTE_LABELS, METRIC_LABELS

    table = _stack(report, "fairness", FAIRNESS_COLUMNS)
    if table.empty:
        return table
    table["보호 속성"] = table["보호 속성"].map(ATTRIBUTE_LABELS).fillna("기타")
    table["지표"] = table["지표"].map(METRIC_LABELS).fillna("기타")
    table["허용오차 초과(유의)"] = table["허용오차 초과(유의)"].map({True: "예", False: "아니오"})
    return table.round({"격차": 4})


def override_table(report: MonitoringReport) -> pd.DataFrame:
    """People changing or overruling model outputs per window (Korean columns)."""
    return _stack(report, "overrides", OVERRIDE_COLUMNS).round({"변경률": 4})


def alert_table(report: MonitoringReport) -> pd.DataFrame:
    """The alerts with Korean columns (most severe first)."""
    if report.alerts.empty:
        return pd.DataFrame(columns=list(ALERT_COLUMNS.values()))
    table = report.alerts[list(ALERT_COLUMNS)].rename(columns=ALERT_COLUMNS)
    return table.round({"값": 4})


def audit_table(report: MonitoringReport) -> pd.DataFrame:
    """Audit-log rows per KST day and model (Korean columns and action names)."""
    from app.services.audit import action_label

    if report.audit.empty:
        return pd.DataFrame(columns=list(AUDIT_COLUMNS.values()))
    table = report.audit.assign(action=[action_label(a) for a in report.audit["action"]])
    return table[list(AUDIT_COLUMNS)].rename(columns=AUDIT_COLUMNS).sort_values(["날짜(KST)", "모델"])


def thresholds_table(thresholds: Thresholds) -> pd.DataFrame:
    """The thresholds with their sources (the page and the workbook show where each number comes from)."""
    rows = [
        ("점수 분포 변화(PSI)", thresholds.psi, "psi"),
        ("보정 오차(ECE)", thresholds.ece, "ece"),
        ("예측−실제 차이(절댓값)", thresholds.calibration_gap, "calibration_gap"),
        ("사람의 변경·번복률", thresholds.override_rate, "override_rate"),
    ]
    table = [{"점검": name, "주의": f"{level.warning:g} 이상", "경보": f"{level.alert:g} 이상",
              "출처": thresholds.sources.get(key, ""), "우리 가정": "예" if key in thresholds.assumptions else "아니오"}
             for name, level, key in rows]
    table.append({"점검": "공정성 격차", "주의": "허용오차 초과·유의(학습 때와 비슷)", "경보": "허용오차 초과·유의, 학습 때보다 허용오차 이상 확대",
                  "출처": thresholds.sources.get("fairness", ""),
                  "우리 가정": "예" if "fairness" in thresholds.assumptions else "아니오"})
    return pd.DataFrame(table)


def report_sheets(report: MonitoringReport) -> dict[str, pd.DataFrame]:
    """Every table of the report under its Korean sheet name (the workbook and the page's downloads)."""
    kpis = report.kpis
    return {
        "경보": alert_table(report),
        "성과지표(서비스별)": kpi_service.kpi_table(kpis.by_service),
        "성과지표(지역별)": kpi_service.kpi_table(kpis.by_region),
        "목표 달성": kpi_service.status_table(kpis.status),
        "모델 목록": report.models,
        "점수 분포(PSI)": drift_table(report),
        "보정": calibration_table(report),
        "공정성": fairness_table(report),
        "변경·번복": override_table(report),
        "상담 지원 수정": report.copilot_edits,
        "감사 로그 건수": audit_table(report),
        "기준값": thresholds_table(report.thresholds),
    }


def alert_table_of(monitor: ModelMonitor) -> pd.DataFrame:
    """One model's alerts (``level, message`` and the rest of :data:`app.analytics.monitoring.ALERT_COLUMNS`)."""
    return mon.alerts_frame(monitor.alerts)


def fairness_chart_rows(fairness: pd.DataFrame) -> pd.DataFrame:
    """A monitor's fairness table with the Korean attribute name (``attribute_label``) for the chart."""
    from app.ml.fairness import ATTRIBUTE_LABELS

    return fairness.assign(attribute_label=fairness["attribute"].map(ATTRIBUTE_LABELS).fillna("보호 속성"))


def fairness_metric_labels(fairness: pd.DataFrame) -> dict[str, str]:
    """Metric → Korean name of the gap metrics a fairness table holds, in the table's order."""
    from app.ml.fairness import METRIC_LABELS

    return {m: METRIC_LABELS.get(m, "격차") for m in dict.fromkeys(fairness["metric"])}


@dataclass(frozen=True)
class WrittenReport:
    """Files a scheduled run wrote."""

    workbook: Path
    summary: Path


def write_report(report: MonitoringReport, out_dir: Path) -> WrittenReport:
    """Write ``monitoring-YYYY-MM-DD.xlsx`` and ``.json`` into ``out_dir`` (created if needed), atomically.

    Raises:
        OSError: The folder cannot be written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{REPORT_PREFIX}{report.as_of.isoformat()}"
    workbook = out_dir / f"{stem}.xlsx"
    summary = out_dir / f"{stem}.json"
    _atomic_write(workbook, xlsx_bytes(report_sheets(report)))
    _atomic_write(summary, json.dumps(report.summary(), ensure_ascii=False, indent=2).encode("utf-8"))
    return WrittenReport(workbook, summary)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
