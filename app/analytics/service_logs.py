"""Service-log bottlenecks (서비스 이용 병목): funnels, drop-off, time, errors, segments, process map, what-if.

Every pass over the events is one DuckDB query over the hive-partitioned Parquet files
(``read_parquet(…, hive_partitioning = true)``), so the work is out of core and parallel and no
step ever holds the rows in Python: the queries return small aggregates (a cube of
service × step × month × segment, step times by segment, error codes, directly-follows counts) and
everything else (funnels, ranked bottlenecks, the what-if) is arithmetic on those aggregates.

The log format (written by the world's generator, ``docs/service_logs.md``): one row per event with
``session_id, user_id, user_type, service, step_order, step, event_seq, ts, duration_s, device,
age_band, region, first_visit, status, error_code, retry_count`` and the partition columns
``service_code, month``. Each step a session reached has exactly one *final* row (``ok``, ``retry``
or ``dropout``), preceded by one ``error`` row per failed attempt; so "sessions that reached step j"
is the count of final rows at j, and a session completed when it reached its service's last step.

Definitions (also on the page):

* drop-off rate of a step = sessions abandoned there / sessions that reached it;
* a step's *excess lost sessions* = reached × (its drop-off rate − the median drop-off rate of the
  service's steps) — the sessions lost beyond what a typical step of that form loses;
* a segment's excess at a step = segment's sessions × ((segment's rate − the other users' rate) −
  the median of that gap over the service's steps): what the segment loses at *this* step beyond its
  usual disadvantage, so a segment that is slower everywhere does not flag every step;
* what-if: the step's drop-off set to the service's median, the extra sessions carried through every
  later step's pass rate to completion, per month.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from app.errors import InvalidInput, NotReady
from app.reference.codes import LOG_ERROR_LABELS
from app.threads import duckdb_connect

if TYPE_CHECKING:
    import duckdb

EVENTS_DIR: Final[str] = "events"
"""Folder of the Parquet files under a logs folder (hive folders ``service_code=…/month=…``)."""
MANIFEST_FILE: Final[str] = "logs_manifest.json"
"""The logs' manifest beside ``events/`` (generator version, size, seed, world, counts, months)."""
SEGMENT_DIMENSIONS: Final[dict[str, str]] = {"device": "기기", "age_band": "연령대", "visit": "방문 유형",
                                              "user_type": "이용자 유형"}
"""Segment dimensions of the analysis -> Korean name."""
ALL_USERS: Final[str] = "전체"
"""Value of the ``all`` dimension: the step over every user of the filter."""
MIN_SEGMENT_SESSIONS: Final[int] = 50
"""Fewest sessions of a segment (and of the other users) at a step for it to be compared."""
MIN_Z: Final[float] = 2.5
"""Smallest z statistic of an excess for it to be ranked (smaller ones are within chance)."""
_VISIT_SQL = "CASE WHEN first_visit THEN '첫 방문' ELSE '재방문' END"
_MONTH_FORMAT_LENGTH = 7


@dataclass(frozen=True)
class LogFilter:
    """Which events an analysis covers (empty tuple = no condition).

    Attributes:
        services: Online services.
        devices: ``PC``, ``모바일``, ``앱``.
        age_bands: Age band labels.
        visits: ``첫 방문`` / ``재방문``.
        user_types: ``구직자`` / ``재직자``.
        month_from: First month (``YYYY-MM``, inclusive).
        month_to: Last month (``YYYY-MM``, inclusive).
    """

    services: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    visits: tuple[str, ...] = ()
    user_types: tuple[str, ...] = ()
    month_from: str | None = None
    month_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("month_from", "month_to"):
            value = getattr(self, name)
            if value is not None and (len(value) != _MONTH_FORMAT_LENGTH or value[4] != "-"
                                      or not (value[:4] + value[5:]).isdigit()):
                raise InvalidInput(f"월은 YYYY-MM 형식으로 입력하세요: {value!r}")
        if self.month_from and self.month_to and self.month_from > self.month_to:
            raise InvalidInput("시작 월이 끝 월보다 늦습니다.")


@dataclass(frozen=True)
class LogAnalysis:
    """Everything the page and the command show, as small frames.

    Attributes:
        months: Months covered by the filtered events (for per-month figures).
        cube: service, step_order, step, month, device, age_band, visit, user_type, reached, dropped,
            error_sessions, error_events, total_seconds (one row per cell).
        funnel: Per service and step: reached, dropped, drop_rate, pass_rate, share_of_start, error_sessions,
            error_rate, error_events, retries_per_session, mean_seconds.
        step_times: service, step_order, step, dimension, value, attempts, median_s, p90_s (successful attempts).
        errors: service, step_order, step, error_code, error_label, events, per_100_sessions.
        dfg: service, source, target, count (directly-follows; ``시작``/``종료`` edges from the first and last event).
        bottlenecks: Ranked bottlenecks with their evidence (:func:`rank_bottlenecks`).
        monthly: service, month, started, completed, completion_rate.
    """

    months: int
    cube: pd.DataFrame
    funnel: pd.DataFrame
    step_times: pd.DataFrame
    errors: pd.DataFrame
    dfg: pd.DataFrame
    bottlenecks: pd.DataFrame
    monthly: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WhatIf:
    """The effect of bringing one step's drop-off down to a target rate.

    Attributes:
        service: Service.
        step_order: Step number.
        step: Step name.
        current_rate: The step's drop-off rate now.
        target_rate: The rate assumed (the service's median step drop-off by default).
        completed_per_month: Completed applications a month now.
        extra_per_month: Additional completed applications a month at the target rate.
        downstream_pass: Share of sessions passing that step that go on to complete.
    """

    service: str
    step_order: int
    step: str
    current_rate: float
    target_rate: float
    completed_per_month: float
    extra_per_month: float
    downstream_pass: float


# --------------------------------------------------------------------------- reading


def events_source(logs_dir: Path) -> str:
    """The SQL table expression of a logs folder's events (hive-partitioned Parquet).

    Raises:
        NotReady: The folder holds no event files.
    """
    folder = Path(logs_dir) / EVENTS_DIR
    if not folder.is_dir() or not any(folder.glob("*/*/*.parquet")):
        raise NotReady(f"서비스 이용 로그가 없습니다({logs_dir}). `python -m app build`로 만드세요.")
    glob = str(folder / "*" / "*" / "*.parquet").replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning = true)"


def where_clause(flt: LogFilter) -> tuple[str, list]:
    """``WHERE`` text (with ``?`` placeholders) and its parameters for a filter."""
    parts: list[str] = []
    params: list = []
    for column, values in (("service", flt.services), ("device", flt.devices), ("age_band", flt.age_bands),
                           ("user_type", flt.user_types), (_VISIT_SQL, flt.visits)):
        if values:
            parts.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if flt.month_from:
        parts.append("month >= ?")
        params.append(flt.month_from)
    if flt.month_to:
        parts.append("month <= ?")
        params.append(flt.month_to)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def step_cube(con: duckdb.DuckDBPyConnection, source: str, flt: LogFilter) -> pd.DataFrame:
    """One pass over the events: counts per service × step × month × segment (see :class:`LogAnalysis`)."""
    where, params = where_clause(flt)
    # grouping keys are the short ones (the step's number, the visit flag): hashing 50 million rows on them
    # instead of the names took about a third less time; names are taken along with any_value
    sql = f"""
        SELECT service, step_order, any_value(step) AS step, month, device, age_band, first_visit, user_type,
               count(*) FILTER (WHERE status <> 'error') AS reached,
               count(*) FILTER (WHERE status = 'dropout') AS dropped,
               count(*) FILTER (WHERE status <> 'error' AND retry_count > 0) AS error_sessions,
               count(*) FILTER (WHERE status = 'error') AS error_events,
               sum(duration_s)::DOUBLE AS total_seconds
        FROM {source}{where}
        GROUP BY service, step_order, month, device, age_band, first_visit, user_type"""
    cube = _query(con, sql, params)
    cube.insert(6, "visit", np.where(cube.pop("first_visit").astype(bool), "첫 방문", "재방문"))
    for col in ("reached", "dropped", "error_sessions", "error_events"):
        cube[col] = cube[col].astype("int64")
    cube["step_order"] = cube["step_order"].astype("int64")
    for col in ("service", "step", "month", "device", "age_band", "visit", "user_type"):
        cube[col] = cube[col].astype(str)
    return cube


TIME_BINS_PER_E: Final[int] = 50
"""Resolution of the step-time histogram: bins of 1/50 in natural log, so a quantile is within 1 %."""


def step_times(con: duckdb.DuckDBPyConnection, source: str, flt: LogFilter) -> pd.DataFrame:
    """Median and 90th percentile seconds of the successful attempt of each step, overall and per segment.

    One pass builds a log-scale histogram per service × step × segment cell (a few hundred thousand
    rows however many events; exact quantiles would hold every value in memory, past the limit at
    50 million events); the quantiles of any segment are then read off the summed histograms, within
    1 % of the exact value, interpolated like ``quantile_cont``.
    """
    where, params = where_clause(flt)
    status = "status IN ('ok', 'retry')"
    where = f"{where} AND {status}" if where else f" WHERE {status}"
    sql = f"""
        SELECT service, step_order, any_value(step) AS step, device, age_band, first_visit, user_type,
               round(ln(greatest(duration_s, 0.1)) * {TIME_BINS_PER_E})::INTEGER AS bin, count(*) AS n
        FROM {source}{where}
        GROUP BY service, step_order, device, age_band, first_visit, user_type, bin"""
    hist = _query(con, sql, params)
    hist.insert(5, "visit", np.where(hist.pop("first_visit").astype(bool), "첫 방문", "재방문"))
    columns = ["service", "step_order", "step", "dimension", "value", "attempts", "median_s", "p90_s"]
    if hist.empty:
        return pd.DataFrame(columns=columns)
    hist["step_order"] = hist["step_order"].astype("int64")
    for col in ("service", "step", "device", "age_band", "visit", "user_type"):
        hist[col] = hist[col].astype(str)
    hist["n"] = hist["n"].astype("int64")
    frames = []
    for dimension in ("all", *SEGMENT_DIMENSIONS):
        keys = ["service", "step_order", "step"] + ([] if dimension == "all" else [dimension])
        summed = hist.groupby([*keys, "bin"], as_index=False, sort=True)["n"].sum()
        out = _hist_quantiles(summed, keys)
        out["value"] = ALL_USERS if dimension == "all" else out.pop(dimension)
        out["dimension"] = dimension
        frames.append(out)
    result = pd.concat(frames, ignore_index=True)[columns]
    result["attempts"] = result["attempts"].astype("int64")
    return result.sort_values(["service", "step_order", "dimension", "value"]).reset_index(drop=True)


def _hist_quantiles(summed: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Count, median and 90th percentile of each group's histogram (rows sorted by ``keys`` then ``bin``),
    interpolated between neighbouring values like ``quantile_cont``; vectorised over the groups."""
    counts = summed["n"].to_numpy()
    running = np.cumsum(counts)
    group = summed.groupby(keys, sort=False).ngroup().to_numpy()
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(counts)]
    before = np.r_[0, running][starts]
    total = running[ends - 1] - before
    values = np.exp(summed["bin"].to_numpy() / TIME_BINS_PER_E)
    out = summed.iloc[starts][keys].reset_index(drop=True)
    out["attempts"] = total
    for name, q in (("median_s", 0.5), ("p90_s", 0.9)):
        position = q * (total - 1)
        lower, upper = np.floor(position), np.ceil(position)
        low_value = values[np.searchsorted(running, before + lower, side="right")]
        high_value = values[np.searchsorted(running, before + upper, side="right")]
        out[name] = low_value + (high_value - low_value) * (position - lower)
    return out


def error_hot_spots(con: duckdb.DuckDBPyConnection, source: str, flt: LogFilter) -> pd.DataFrame:
    """Failed attempts per service, step and error code (most first)."""
    where, params = where_clause(flt)
    where = f"{where} AND status = 'error'" if where else " WHERE status = 'error'"
    sql = f"""SELECT service, step_order, step, error_code, count(*) AS events
              FROM {source}{where} GROUP BY ALL ORDER BY events DESC, service, step_order, error_code"""
    out = _query(con, sql, params)
    out["step_order"] = out["step_order"].astype("int64")
    out["events"] = out["events"].astype("int64")
    out["error_code"] = out["error_code"].astype(str)
    out["error_label"] = out["error_code"].map(LOG_ERROR_LABELS).fillna("기타 오류")
    return out


WINDOW_BATCH_BYTES: Final[int] = 64 * 2**20
"""Parquet bytes (about four million events) sorted by one window query of the process map."""


def partition_sources(logs_dir: Path, flt: LogFilter, batch_bytes: int | None = None) -> list[str]:
    """Table expressions over batches of whole ``service_code=…/month=…`` folders (about ``batch_bytes`` each).

    Only the folders of the filter's months are kept. A session's events all lie in one folder (the
    month it started), so a per-session window can run batch by batch; a small log is one batch.
    """
    batch_bytes = WINDOW_BATCH_BYTES if batch_bytes is None else batch_bytes
    folders = sorted(p for p in (Path(logs_dir) / EVENTS_DIR).glob("*/month=*") if p.is_dir())
    batches: list[list[str]] = [[]]
    size = 0
    for folder in folders:
        month = folder.name.removeprefix("month=")
        if (flt.month_from is not None and month < flt.month_from) or (flt.month_to is not None and month > flt.month_to):
            continue
        files = list(folder.glob("*.parquet"))
        if not files:
            continue
        if size >= batch_bytes:
            batches.append([])
            size = 0
        batches[-1].append(str(folder / "*.parquet").replace("'", "''"))
        size += sum(f.stat().st_size for f in files)
    return [f"read_parquet([{', '.join(_sql_literal(g) for g in batch)}], hive_partitioning = true)"
            for batch in batches if batch]


def _sql_literal(text: str) -> str:
    """A SQL string literal of already-escaped text."""
    return f"'{text}'"


def directly_follows(con: duckdb.DuckDBPyConnection, logs_dir: Path, flt: LogFilter,
                     step_names: pd.DataFrame | None = None) -> pd.DataFrame:
    """Directly-follows counts per service (activity = the step of the event).

    Computed with ``lead()`` over each session's events in time order, plus ``시작`` → first activity and
    last activity → ``종료`` edges (pm4py's start and end activities). A step followed by itself is a
    retry after a failed attempt; a step other than the last followed by ``종료`` is an abandonment there.

    Two choices keep it fast at 50 million events: the window carries the step's number, not its name
    (sorting short integers instead of strings took a third less time; names are put back on the few
    hundred edges), and on a large log it runs on batches of partition folders (:func:`partition_sources`),
    so each sort fits in memory instead of spilling: peak memory 0.46 GB instead of 2.3 GB at 51 million
    events, and faster.

    Args:
        con: DuckDB connection.
        logs_dir: Logs folder.
        flt: Which events.
        step_names: ``service, step_order, step`` (e.g. the funnel's); ``None``: read from the events.
    """
    where, params = where_clause(flt)
    parts = []
    for source in partition_sources(logs_dir, flt):
        sql = f"""
            WITH pairs AS (
                SELECT service, step_order AS source, lead(step_order) OVER w AS target,
                       lag(step_order) OVER w IS NULL AS first_event
                FROM {source}{where}
                WINDOW w AS (PARTITION BY session_id ORDER BY ts, event_seq)
            )
            SELECT service, source, target, count(*) AS count, count(*) FILTER (WHERE first_event) AS starts
            FROM pairs GROUP BY ALL"""
        parts.append(_query(con, sql, params))
    columns = ["service", "source", "target", "count"]
    edges = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if edges.empty:
        return pd.DataFrame(columns=columns)
    if step_names is None:
        step_names = _query(con, f"SELECT DISTINCT service, step_order, step FROM {events_source(logs_dir)}{where}",
                            params)
    names = {(str(r.service), int(r.step_order)): str(r.step) for r in step_names.itertuples(index=False)}
    edges["service"] = edges["service"].astype(str)
    edges["source_name"] = [names[(s, int(o))] for s, o in zip(edges["service"], edges["source"], strict=True)]
    edges["target_name"] = [names[(s, int(o))] if pd.notna(o) else "종료"
                            for s, o in zip(edges["service"], edges["target"], strict=True)]
    inner = edges.groupby(["service", "source_name", "target_name"], as_index=False)["count"].sum()
    starts = edges.groupby(["service", "source_name"], as_index=False)["starts"].sum()
    starts = starts[starts["starts"] > 0].rename(columns={"source_name": "target_name", "starts": "count"})
    starts["source_name"] = "시작"
    out = pd.concat([inner, starts], ignore_index=True).rename(columns={"source_name": "source",
                                                                        "target_name": "target"})
    out["count"] = out["count"].astype("int64")
    return out[columns].sort_values(["service", "count", "source", "target"], ascending=[True, False, True, True],
                                    ignore_index=True)


# --------------------------------------------------------------------------- arithmetic on the aggregates


def compute_funnel(cube: pd.DataFrame) -> pd.DataFrame:
    """Per service and step: reached, dropped and pass rates, errors, retries and mean time per reaching session."""
    cols = ["reached", "dropped", "error_sessions", "error_events", "total_seconds"]
    funnel = cube.groupby(["service", "step_order", "step"], as_index=False)[cols].sum()
    funnel = funnel.sort_values(["service", "step_order"]).reset_index(drop=True)
    funnel["drop_rate"] = funnel["dropped"] / funnel["reached"].where(funnel["reached"] > 0)
    funnel["pass_rate"] = 1.0 - funnel["drop_rate"]
    start = funnel.groupby("service")["reached"].transform("first")
    funnel["share_of_start"] = funnel["reached"] / start.where(start > 0)
    funnel["error_rate"] = funnel["error_sessions"] / funnel["reached"].where(funnel["reached"] > 0)
    funnel["retries_per_session"] = funnel["error_events"] / funnel["reached"].where(funnel["reached"] > 0)
    funnel["mean_seconds"] = funnel["total_seconds"] / funnel["reached"].where(funnel["reached"] > 0)
    last = funnel.groupby("service")["step_order"].transform("max")
    funnel["is_final"] = funnel["step_order"] == last
    return funnel.drop(columns="total_seconds")


def compute_monthly(cube: pd.DataFrame) -> pd.DataFrame:
    """Sessions started and completed per service and month."""
    first = cube.groupby("service")["step_order"].transform("min")
    last = cube.groupby("service")["step_order"].transform("max")
    started = cube[cube["step_order"] == first].groupby(["service", "month"])["reached"].sum().rename("started")
    completed = cube[cube["step_order"] == last].groupby(["service", "month"])["reached"].sum().rename("completed")
    out = pd.concat([started, completed], axis=1).fillna(0).astype("int64").reset_index()
    out["completion_rate"] = out["completed"] / out["started"].where(out["started"] > 0)
    return out.sort_values(["service", "month"]).reset_index(drop=True)


def _median_rate(rates: pd.Series) -> float:
    clean = rates.dropna()
    return float(clean.median()) if len(clean) else float("nan")


def _step_rows(cube: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """reached/dropped/errors per service, step and value of ``dimension`` (``all``: one value)."""
    keys = ["service", "step_order", "step"] + ([] if dimension == "all" else [dimension])
    rows = cube.groupby(keys, as_index=False)[["reached", "dropped", "error_sessions", "error_events"]].sum()
    rows["value"] = ALL_USERS if dimension == "all" else rows[dimension].astype(str)
    rows["dimension"] = dimension
    return rows[["service", "step_order", "step", "dimension", "value", "reached", "dropped", "error_sessions",
                 "error_events"]]


def rank_bottlenecks(
    cube: pd.DataFrame, months: int, *, step_times_frame: pd.DataFrame | None = None,
    errors: pd.DataFrame | None = None, min_sessions: int = MIN_SEGMENT_SESSIONS, min_z: float = MIN_Z,
) -> pd.DataFrame:
    """Bottlenecks ranked by excess lost sessions a month, each with its evidence.

    Args:
        cube: :func:`step_cube` of the filter.
        months: Months the cube covers (per-month figures).
        step_times_frame: :func:`step_times` (time evidence), optional.
        errors: :func:`error_hot_spots` (the main error code of the step), optional.
        min_sessions: Fewest sessions of a segment and of the other users at a step to compare them.
        min_z: Smallest z statistic to rank an excess.

    Returns:
        One row per bottleneck, best first: service, step_order, step, dimension, dimension_label, value,
        reached, drop_rate, baseline_rate (the service's median step rate for ``all``; the other users'
        rate plus the segment's usual gap for a segment), others_rate, typical_gap, excess_lost,
        excess_per_month, z, error_rate, others_error_rate, top_error_code, median_s, p90_s, others_median_s,
        time_ratio, symptom (Korean: 이탈 / 오류·재시도 / 지연).
    """
    if cube.empty:
        return pd.DataFrame(columns=_BOTTLENECK_COLUMNS)
    months = max(int(months), 1)
    overall = _step_rows(cube, "all")
    last = overall.groupby("service")["step_order"].transform("max")
    overall = overall[overall["step_order"] < last]
    overall = overall.assign(drop_rate=overall["dropped"] / overall["reached"].where(overall["reached"] > 0),
                             error_rate=overall["error_sessions"] / overall["reached"].where(overall["reached"] > 0))
    candidates = []
    median = overall.groupby("service")["drop_rate"].transform(_median_rate)
    base = overall.assign(baseline_rate=median, others_rate=np.nan, typical_gap=np.nan,
                          others_error_rate=np.nan)
    base["excess_lost"] = base["reached"] * (base["drop_rate"] - base["baseline_rate"])
    spread = np.sqrt(base["reached"] * base["baseline_rate"] * (1 - base["baseline_rate"]))
    base["z"] = (base["dropped"] - base["reached"] * base["baseline_rate"]) / spread.where(spread > 0)
    candidates.append(base)
    for dimension in SEGMENT_DIMENSIONS:
        seg = _step_rows(cube, dimension)
        seg = seg.merge(overall[["service", "step_order", "reached", "dropped", "error_sessions"]],
                        on=["service", "step_order"], suffixes=("", "_all"))
        seg["others_reached"] = seg["reached_all"] - seg["reached"]
        seg["others_dropped"] = seg["dropped_all"] - seg["dropped"]
        seg = seg[(seg["reached"] >= min_sessions) & (seg["others_reached"] >= min_sessions)].copy()
        if seg.empty:
            continue
        seg["drop_rate"] = seg["dropped"] / seg["reached"]
        seg["others_rate"] = seg["others_dropped"] / seg["others_reached"]
        seg["error_rate"] = seg["error_sessions"] / seg["reached"]
        seg["others_error_rate"] = (seg["error_sessions_all"] - seg["error_sessions"]) / seg["others_reached"]
        gap = seg["drop_rate"] - seg["others_rate"]
        seg["typical_gap"] = gap.groupby([seg["service"], seg["value"]]).transform(_median_rate)
        seg["baseline_rate"] = (seg["others_rate"] + seg["typical_gap"]).clip(0.0, 1.0)
        seg["excess_lost"] = seg["reached"] * (gap - seg["typical_gap"])
        pooled = (seg["dropped"] + seg["others_dropped"]) / (seg["reached"] + seg["others_reached"])
        se = np.sqrt(pooled * (1 - pooled) * (1 / seg["reached"] + 1 / seg["others_reached"]))
        seg["z"] = (gap - seg["typical_gap"]) / se.where(se > 0)
        candidates.append(seg.drop(columns=["reached_all", "dropped_all", "error_sessions_all", "others_reached",
                                            "others_dropped"]))
    ranked = pd.concat(candidates, ignore_index=True)
    ranked = ranked[(ranked["excess_lost"] > 0) & (ranked["z"] >= min_z)].copy()
    ranked["excess_per_month"] = ranked["excess_lost"] / months
    ranked["dimension_label"] = ranked["dimension"].map({"all": ALL_USERS, **SEGMENT_DIMENSIONS})
    ranked = _with_time_and_errors(ranked, step_times_frame, errors)
    ranked = ranked.sort_values(["excess_lost", "z"], ascending=[False, False]).reset_index(drop=True)
    return ranked[_BOTTLENECK_COLUMNS]


_BOTTLENECK_COLUMNS: Final[list[str]] = [
    "service", "step_order", "step", "dimension", "dimension_label", "value", "reached", "dropped", "drop_rate",
    "baseline_rate", "others_rate", "typical_gap", "excess_lost", "excess_per_month", "z", "error_rate",
    "others_error_rate", "top_error_code", "median_s", "p90_s", "others_median_s", "time_ratio", "symptom",
]


def _with_time_and_errors(ranked: pd.DataFrame, times: pd.DataFrame | None, errors: pd.DataFrame | None) -> pd.DataFrame:
    """Adds time evidence (segment vs all users), the step's main error code and the symptom."""
    ranked = ranked.copy()
    if times is not None and not times.empty:
        own = times[["service", "step_order", "dimension", "value", "median_s", "p90_s"]]
        ranked = ranked.merge(own, on=["service", "step_order", "dimension", "value"], how="left")
        everyone = times[times["dimension"] == "all"][["service", "step_order", "median_s"]]
        ranked = ranked.merge(everyone.rename(columns={"median_s": "others_median_s"}), on=["service", "step_order"],
                              how="left")
        ranked["time_ratio"] = ranked["median_s"] / ranked["others_median_s"].where(ranked["others_median_s"] > 0)
    else:
        ranked[["median_s", "p90_s", "others_median_s", "time_ratio"]] = np.nan
    if errors is not None and not errors.empty:
        top = errors.sort_values("events", ascending=False).drop_duplicates(["service", "step_order"])
        ranked = ranked.merge(top[["service", "step_order", "error_code"]].rename(columns={"error_code": "top_error_code"}),
                              on=["service", "step_order"], how="left")
    else:
        ranked["top_error_code"] = None
    errorish = (ranked["error_rate"] >= 0.15) & (
        ranked["others_error_rate"].isna() | (ranked["error_rate"] >= 2 * ranked["others_error_rate"]))
    slow = ranked["time_ratio"].fillna(1.0) >= 1.5
    ranked["symptom"] = np.where(errorish, "오류·재시도", np.where(slow, "지연", "이탈"))
    return ranked


def what_if(funnel: pd.DataFrame, service: str, step_order: int, months: int, *,
            target_rate: float | None = None) -> WhatIf:
    """Completions a month gained if one step's drop-off were the service's median (or ``target_rate``).

    The sessions no longer lost at the step go on through every later step at that step's current pass
    rate, so the gain is ``reached × (rate − target) × Π pass rates of the later steps`` — not the
    sessions saved at the step, most of which would still be lost further on.

    Raises:
        InvalidInput: The service or step is not in the funnel, or the target is not a rate.
    """
    steps = funnel[funnel["service"] == service].sort_values("step_order")
    row = steps[steps["step_order"] == step_order]
    if row.empty:
        raise InvalidInput("선택한 서비스에 그 단계가 없습니다.")
    if target_rate is not None and not (0.0 <= target_rate <= 1.0):
        raise InvalidInput("목표 이탈률은 0에서 1 사이여야 합니다.")
    months = max(int(months), 1)
    current = float(row["drop_rate"].iloc[0]) if pd.notna(row["drop_rate"].iloc[0]) else 0.0
    ordinary = steps[~steps["is_final"]]
    target = _median_rate(ordinary["drop_rate"]) if target_rate is None else float(target_rate)
    if math.isnan(target):
        target = current
    later = steps[steps["step_order"] > step_order]
    downstream = float(np.prod(later["pass_rate"].fillna(1.0).to_numpy())) if not later.empty else 1.0
    reached = float(row["reached"].iloc[0])
    extra = reached * max(current - target, 0.0) * downstream
    completed = float(steps["reached"].iloc[-1]) if bool(steps["is_final"].iloc[-1]) else 0.0
    return WhatIf(service=service, step_order=int(step_order), step=str(row["step"].iloc[0]), current_rate=current,
                  target_rate=target, completed_per_month=completed / months, extra_per_month=extra / months,
                  downstream_pass=downstream)


# --------------------------------------------------------------------------- the whole analysis


def analyse_service_logs(logs_dir: Path, flt: LogFilter | None = None, *, process_map: bool = True,
                         con: duckdb.DuckDBPyConnection | None = None) -> LogAnalysis:
    """Run every query of the analysis over a logs folder.

    Args:
        logs_dir: Logs folder (``events/`` beneath it).
        flt: Which events (``None``: all).
        process_map: Also compute the directly-follows process map (the one query that sorts every session).
        con: A DuckDB connection to use (default: a new one from :func:`app.threads.duckdb_connect`).

    Returns:
        A :class:`LogAnalysis`.

    Raises:
        NotReady: No logs in the folder.
        InvalidInput: A malformed filter.
    """
    flt = flt or LogFilter()
    source = events_source(logs_dir)
    own = con is None
    con = con or duckdb_connect()
    seconds: dict[str, float] = {}
    try:
        clock = time.perf_counter()
        cube = step_cube(con, source, flt)
        seconds["cube"] = time.perf_counter() - clock
        clock = time.perf_counter()
        times = step_times(con, source, flt)
        seconds["times"] = time.perf_counter() - clock
        clock = time.perf_counter()
        errors = error_hot_spots(con, source, flt)
        seconds["errors"] = time.perf_counter() - clock
        clock = time.perf_counter()
        names = cube[["service", "step_order", "step"]].drop_duplicates()
        dfg = directly_follows(con, Path(logs_dir), flt, names) if process_map else pd.DataFrame(
            columns=["service", "source", "target", "count"])
        seconds["dfg"] = time.perf_counter() - clock
    finally:
        if own:
            con.close()
    months = int(cube["month"].nunique()) if not cube.empty else 0
    funnel = compute_funnel(cube)
    if not errors.empty:
        reached = funnel[["service", "step_order", "reached"]]
        errors = errors.merge(reached, on=["service", "step_order"], how="left")
        errors["per_100_sessions"] = 100.0 * errors["events"] / errors["reached"].where(errors["reached"] > 0)
        errors = errors.drop(columns="reached")
    else:
        errors = errors.assign(per_100_sessions=pd.Series(dtype=float))
    bottlenecks = rank_bottlenecks(cube, months, step_times_frame=times, errors=errors)
    return LogAnalysis(months=months, cube=cube, funnel=funnel, step_times=times, errors=errors, dfg=dfg,
                       bottlenecks=bottlenecks, monthly=compute_monthly(cube), seconds=seconds)
