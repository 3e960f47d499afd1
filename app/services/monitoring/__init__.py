"""성과·모델 모니터링 (issue 19, part 4): the one module the page and the command line import.

* KPIs — :func:`store_kpi_summary` (the stored summary the build and the page keep current),
  :func:`load_targets`, :func:`kpi_report` (take-up, completion,
  placement, time to placement and counsellor caseload per service, region and quarter, against the
  committed targets), :func:`kpi_table`, :func:`status_table`;
* model monitoring — :func:`store_model_monitors` (the monitors' stored score tables the build and the
  page keep current), :func:`build_report` (every manifest model's monitor: PSI, calibration, fairness
  gaps over time, override rates, audit-log volume, copilot edits; the alerts), :func:`report_sheets`
  (Korean tables for CSV and Excel), :func:`write_report` (the scheduled run's dated files);
* access — :func:`require_policy` (policy staff only).

Submodules: :mod:`.kpi`, :mod:`.models` (one monitor per model), :mod:`.stored` (their stored
results), :mod:`.report`. The arithmetic is
:mod:`app.analytics.kpi` and :mod:`app.analytics.monitoring`.
"""

from __future__ import annotations

from app.analytics.kpi import ACHIEVED, INDICATORS, MISSED, NOT_MATURE, KpiTargets
from app.analytics.monitoring import ALERT, NORMAL, WARNING, Alert, Thresholds
from app.services.monitoring.kpi import (
    KPI_GROUPINGS,
    SERVICE_NAMES,
    KpiReport,
    kpi_report,
    kpi_table,
    load_targets,
    region_choices,
    shown_status_table,
    status_table,
    store_kpi_summary,
    trend_rows,
)
from app.services.monitoring.models import CHECK_NAMES, PROFILES, ModelMonitor, ModelProfile
from app.services.monitoring.report import (
    AUDIT_DAYS,
    MonitoringAccessDenied,
    MonitoringReport,
    WrittenReport,
    alert_table,
    alert_table_of,
    audit_table,
    build_report,
    calibration_table,
    drift_table,
    fairness_chart_rows,
    fairness_metric_labels,
    fairness_table,
    load_monitoring_thresholds,
    override_table,
    report_sheets,
    require_policy,
    store_model_monitors,
    thresholds_table,
    write_report,
)

__all__ = [
    # KPIs
    "INDICATORS", "ACHIEVED", "MISSED", "NOT_MATURE", "SERVICE_NAMES", "KpiTargets", "KpiReport",
    "store_kpi_summary", "load_targets", "kpi_report", "kpi_table", "status_table", "region_choices",
    "KPI_GROUPINGS", "shown_status_table", "trend_rows",
    # monitoring
    "ALERT", "WARNING", "NORMAL", "Alert", "Thresholds", "CHECK_NAMES", "PROFILES", "ModelMonitor", "ModelProfile",
    "AUDIT_DAYS", "MonitoringReport", "WrittenReport", "build_report", "store_model_monitors", "report_sheets", "write_report",
    "load_monitoring_thresholds", "alert_table", "drift_table", "calibration_table", "fairness_table",
    "override_table", "audit_table", "thresholds_table", "alert_table_of", "fairness_chart_rows",
    "fairness_metric_labels",
    # access
    "MonitoringAccessDenied", "require_policy",
]
