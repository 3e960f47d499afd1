"""서비스 이용 병목 (online-service log bottlenecks, policy staff): the one module its page imports.

* analysis — :func:`load_log_status` (what the logs folder holds), :func:`analyse` (funnels, step
  times, error hot spots, process map, ranked bottlenecks of the filtered logs; DuckDB over Parquet),
  :func:`improvement` (what-if) and the Korean tables of the page and its export. Every function
  checks that the role is policy staff (:class:`ServiceLogsAccessDenied` otherwise).
"""

from __future__ import annotations

from app.analytics.service_logs import ALL_USERS, SEGMENT_DIMENSIONS, LogAnalysis, LogFilter, WhatIf
from app.charts.service_logs import make_bottleneck_figure, make_funnel_figure, make_process_map_figure
from app.reference.codes import LOG_AGE_BANDS, LOG_DEVICES, LOG_USER_TYPES, LOG_VISIT_LABELS, ONLINE_SERVICE_CODES
from app.services.service_logs.analysis import (
    BOTTLENECK_LABELS,
    LogHeadline,
    LogStatus,
    ServiceLogsAccessDenied,
    analyse,
    bottleneck_table,
    error_table,
    evidence_sentence,
    funnel_table,
    headline,
    improvement,
    load_log_status,
    require_policy,
    step_time_table,
    what_if_sentence,
)

SERVICES: tuple[str, ...] = tuple(ONLINE_SERVICE_CODES)
"""The online services of the logs, in display order."""
AGE_BANDS: tuple[str, ...] = tuple(label for _, label in LOG_AGE_BANDS)
DEVICES: tuple[str, ...] = LOG_DEVICES
USER_TYPES: tuple[str, ...] = LOG_USER_TYPES
VISITS: tuple[str, ...] = tuple(LOG_VISIT_LABELS.values())

__all__ = [
    "AGE_BANDS", "ALL_USERS", "BOTTLENECK_LABELS", "DEVICES", "SEGMENT_DIMENSIONS", "SERVICES", "USER_TYPES",
    "VISITS", "LogAnalysis", "LogFilter", "LogHeadline", "LogStatus", "ServiceLogsAccessDenied", "WhatIf", "analyse",
    "bottleneck_table", "error_table", "evidence_sentence", "funnel_table", "headline", "improvement",
    "load_log_status", "make_bottleneck_figure", "make_funnel_figure", "make_process_map_figure", "require_policy",
    "step_time_table", "what_if_sentence",
]
