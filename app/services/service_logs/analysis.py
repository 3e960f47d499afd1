"""서비스 이용 병목 (policy staff): the analysis of the online-service event logs, in Korean tables.

The logs are a Parquet data set beside the database (``GOYONG_SERVICE_LOGS_DIR``, written by
``python -m app build``); every query runs in DuckDB (:mod:`app.analytics.service_logs`). Only
policy staff may run it: the role is checked here as well as on the page. Nothing here reads the
generator's truth file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from app.access import can_access
from app.analytics.service_logs import (
    ALL_USERS,
    MANIFEST_FILE,
    LogAnalysis,
    LogFilter,
    WhatIf,
    analyse_service_logs,
    what_if,
)
from app.errors import AccessDenied, NotReady
from app.reference.codes import LOG_ERROR_LABELS

PAGE_ID: Final[str] = "service_bottlenecks"


class ServiceLogsAccessDenied(AccessDenied):
    """Only policy staff analyse the service logs."""


@dataclass(frozen=True)
class LogStatus:
    """What the logs folder holds (from its manifest).

    Attributes:
        sessions: Sessions.
        events: Event rows.
        months: Months covered, oldest first (``YYYY-MM``).
        created_at: When they were generated (ISO, UTC).
        stamp: Changes whenever the logs are regenerated (cache key).
    """

    sessions: int
    events: int
    months: tuple[str, ...]
    created_at: str
    stamp: str


def require_policy(role: str | None) -> None:
    """Raise :class:`ServiceLogsAccessDenied` unless ``role`` may open 서비스 이용 병목."""
    if not can_access(role, PAGE_ID):
        raise ServiceLogsAccessDenied("서비스 이용 병목 분석은 정책·운영 담당자만 볼 수 있습니다.")


def load_log_status(role: str | None, logs_dir: Path) -> LogStatus:
    """The manifest of the logs in ``logs_dir``.

    Raises:
        ServiceLogsAccessDenied: Not policy staff.
        NotReady: No logs there (the message names the build command).
    """
    require_policy(role)
    try:
        meta = json.loads((Path(logs_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))
        return LogStatus(sessions=int(meta["sessions"]), events=int(meta["events"]), months=tuple(meta["months"]),
                         created_at=str(meta.get("created_at", "")),
                         stamp=f"{meta.get('created_at', '')}|{meta.get('logs_version', '')}|{meta['events']}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotReady("서비스 이용 로그가 아직 없습니다. `python -m app build`를 실행하면 만들어집니다.") from exc


def analyse(role: str | None, logs_dir: Path, flt: LogFilter) -> LogAnalysis:
    """The whole analysis of the filtered logs (funnels, times, errors, process map, ranked bottlenecks).

    Raises:
        ServiceLogsAccessDenied: Not policy staff.
        NotReady: No logs.
        InvalidInput: A malformed filter.
    """
    require_policy(role)
    return analyse_service_logs(logs_dir, flt)


def improvement(analysis: LogAnalysis, service: str, step_order: int, target_rate: float | None = None) -> WhatIf:
    """What-if: completions a month gained if the step's drop-off were the service's median (or ``target_rate``)."""
    return what_if(analysis.funnel, service, step_order, analysis.months, target_rate=target_rate)


@dataclass(frozen=True)
class LogHeadline:
    """The page's headline figures of the filtered logs.

    Attributes:
        months: Months covered. sessions: Sessions that started a service. completed: Sessions that
        reached the last step.
    """

    months: int
    sessions: int
    completed: int

    @property
    def completion_rate(self) -> float:
        """Share of started sessions that completed (0 when none started)."""
        return self.completed / self.sessions if self.sessions else 0.0

    @property
    def completed_per_month(self) -> float:
        """Completed applications a month."""
        return self.completed / max(self.months, 1)


def headline(analysis: LogAnalysis) -> LogHeadline:
    """Sessions started (each service's first step), completed (its last step) and the months covered."""
    funnel = analysis.funnel
    first = funnel["step_order"] == funnel.groupby("service")["step_order"].transform("min")
    return LogHeadline(months=analysis.months, sessions=int(funnel.loc[first, "reached"].sum()),
                       completed=int(funnel.loc[funnel["is_final"], "reached"].sum()))


# --------------------------------------------------------------------------- Korean tables


def _pct(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.1f}%"


def evidence_sentence(row: pd.Series) -> str:
    """The Korean evidence of one ranked bottleneck (rates, baseline, errors, time)."""
    parts = []
    if row["dimension"] == "all":
        parts.append(f"이탈률 {_pct(row['drop_rate'])} (이 서비스 단계 중앙값 {_pct(row['baseline_rate'])})")
    else:
        gap = row["typical_gap"]
        parts.append(f"{row['value']} 이탈률 {_pct(row['drop_rate'])}, 나머지 이용자 {_pct(row['others_rate'])} "
                     f"(다른 단계에서의 평소 차이 {100 * gap:+.1f}%p)")
    if pd.notna(row.get("error_rate")) and row["error_rate"] >= 0.05:
        code = row.get("top_error_code")
        label = LOG_ERROR_LABELS.get(str(code), "") if isinstance(code, str) else ""
        main = f", 주요 오류: {label}({code})" if label else ""
        parts.append(f"오류 경험 {_pct(row['error_rate'])}{main}")
    ratio = row.get("time_ratio")
    if pd.notna(ratio) and ratio >= 1.3 and row["dimension"] != "all":
        parts.append(f"소요 시간 중앙값 {row['median_s']:.0f}초로 전체의 {ratio:.1f}배")
    return " · ".join(parts)


BOTTLENECK_LABELS: Final[dict[str, str]] = {
    "rank": "순위", "service": "서비스", "step_order": "단계 순서", "step": "단계", "segment_dimension": "구분",
    "segment": "이용자 집단", "symptom": "주요 증상", "reached": "도달 세션", "drop_rate": "이탈률",
    "baseline_rate": "기준 이탈률", "excess_per_month": "월 초과 이탈(세션)", "error_rate": "오류 경험률",
    "median_s": "소요 시간 중앙값(초)", "p90_s": "소요 시간 90%(초)", "evidence": "근거",
}
"""Korean columns of :func:`bottleneck_table` (rates 0–1)."""


def bottleneck_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked bottlenecks as a Korean table (the page, its CSV and the command's output)."""
    if ranked.empty:
        return pd.DataFrame(columns=list(BOTTLENECK_LABELS.values()))
    out = ranked.copy()
    out["rank"] = range(1, len(out) + 1)
    out["segment_dimension"] = out["dimension_label"]
    out["segment"] = out["value"].where(out["dimension"] != "all", ALL_USERS)
    out["evidence"] = out.apply(evidence_sentence, axis=1)
    out["excess_per_month"] = out["excess_per_month"].round(1)
    for col in ("drop_rate", "baseline_rate", "error_rate"):
        out[col] = out[col].astype(float).round(4)
    for col in ("median_s", "p90_s"):
        out[col] = out[col].astype(float).round(1)
    return out[list(BOTTLENECK_LABELS)].rename(columns=BOTTLENECK_LABELS)


FUNNEL_LABELS: Final[dict[str, str]] = {
    "service": "서비스", "step_order": "단계 순서", "step": "단계", "reached": "도달 세션", "dropped": "이탈 세션",
    "drop_rate": "이탈률", "share_of_start": "시작 대비 도달률", "error_rate": "오류 경험률",
    "retries_per_session": "세션당 실패 시도", "mean_seconds": "세션당 평균 소요(초)",
}


def funnel_table(funnel: pd.DataFrame, service: str | None = None) -> pd.DataFrame:
    """The funnel (of one service, or all) as a Korean table."""
    out = funnel if service is None else funnel[funnel["service"] == service]
    out = out[list(FUNNEL_LABELS)].copy()
    for col in ("drop_rate", "share_of_start", "error_rate", "retries_per_session"):
        out[col] = out[col].astype(float).round(4)
    out["mean_seconds"] = out["mean_seconds"].astype(float).round(1)
    return out.rename(columns=FUNNEL_LABELS).reset_index(drop=True)


ERROR_LABELS: Final[dict[str, str]] = {
    "service": "서비스", "step": "단계", "error_label": "오류", "error_code": "오류 코드", "events": "실패 시도",
    "per_100_sessions": "도달 100세션당",
}


def error_table(errors: pd.DataFrame, service: str | None = None, top: int = 15) -> pd.DataFrame:
    """Error hot spots (most failed attempts first) as a Korean table."""
    out = errors if service is None else errors[errors["service"] == service]
    out = out.head(top)[list(ERROR_LABELS)].copy()
    out["per_100_sessions"] = out["per_100_sessions"].astype(float).round(1)
    return out.rename(columns=ERROR_LABELS).reset_index(drop=True)


SEGMENT_TIME_LABELS: Final[dict[str, str]] = {
    "step": "단계", "segment": "이용자 집단", "attempts": "완료 시도", "median_s": "중앙값(초)", "p90_s": "90%(초)",
}


def step_time_table(times: pd.DataFrame, service: str, dimension: str = "all") -> pd.DataFrame:
    """Median and 90th-percentile time of each step of a service, overall or per value of one dimension."""
    out = times[(times["service"] == service) & (times["dimension"] == dimension)].copy()
    out = out.sort_values(["step_order", "value"])
    out["segment"] = out["value"]
    for col in ("median_s", "p90_s"):
        out[col] = out[col].astype(float).round(1)
    return out[list(SEGMENT_TIME_LABELS)].rename(columns=SEGMENT_TIME_LABELS).reset_index(drop=True)


def what_if_sentence(result: WhatIf) -> str:
    """The what-if in one Korean sentence."""
    if result.extra_per_month <= 0:
        return (f"'{result.step}' 단계의 이탈률 {_pct(result.current_rate)}은 이미 이 서비스 단계들의 중앙값 "
                f"{_pct(result.target_rate)} 이하라 개선 여지가 크지 않습니다.")
    return (f"'{result.step}' 단계의 이탈률을 {_pct(result.current_rate)}에서 {_pct(result.target_rate)}로 낮추면 "
            f"월 약 {result.extra_per_month:,.0f}건이 더 신청을 완료합니다 (현재 월 {result.completed_per_month:,.0f}건; "
            f"이 단계를 통과한 세션의 {_pct(result.downstream_pass)}가 끝까지 완료).")
