"""Process indicators of public employment services (성과지표) per service, region and quarter, and
their targets (issue 19, part 4).

Pure functions over frames (the service reads them from the database):

* ``cohort`` — one row per registered seeker: ``id``, ``region_code``, ``registered_on``,
  ``employed_180d`` (bool), ``days_to_employment`` (NaN when not employed);
* ``services`` — ``seeker_id``, ``service`` (training / matching / nes / counselling), ``started_on``;
* ``enrolments`` — ``seeker_id``, ``enrolled_on``, ``completed`` (bool);
* ``notes`` — ``seeker_id``, ``counsellor``, ``written_on`` (counselling sessions).

Indicators of a quarter's registration cohort (a seeker counts in the quarter they registered):

* **take_up** (서비스 이용률) — participants / seekers registered (a service's participants, or
  seekers with any service for the "전체" row);
* **completion** (훈련 수료율) — completed enrolments / enrolments of the cohort's seekers
  (training only);
* **placement** (180일 내 취업률) — mean of ``employed_180d`` among participants whose 180 days
  have passed by ``outcomes_known_until`` (else NaN: the cohort is not mature);
* **days_to_placement** (취업 소요일) — median ``days_to_employment`` of the employed participants;
* **caseload** (상담사 1인당 담당 구직자) — by the quarter of the counselling session, distinct
  seekers seen ÷ distinct counsellors (service-agnostic; the "전체" and region rows).

:func:`kpis_from_cells` gives the same rows from additive cells (:class:`KpiCells`, the stored KPI
summary), so that a page never reads the frames of a national world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import yaml

from app.analytics.monitoring import quarter_label, quarter_start

INDICATORS: Final[tuple[str, ...]] = ("take_up", "completion", "placement", "days_to_placement", "caseload")
"""Indicator keys, in display order."""
ALL: Final[str] = "all"
"""The service key of the row over every seeker (any service)."""
HORIZON_DAYS: Final[int] = 180
ACHIEVED: Final[str] = "달성"
MISSED: Final[str] = "미달"
NO_TARGET: Final[str] = "목표 없음"
NOT_MATURE: Final[str] = "집계 중"

KPI_COLUMNS: Final[tuple[str, ...]] = (
    "quarter_start", "group_kind", "group", "cohort", "participants", *INDICATORS,
)


# --------------------------------------------------------------------------- computation


def _mature(cohort: pd.DataFrame, known_until: dt.date | None) -> pd.Series:
    if known_until is None:
        return pd.Series(True, index=cohort.index)
    registered = pd.to_datetime(cohort["registered_on"])
    return registered + pd.Timedelta(days=HORIZON_DAYS) <= pd.Timestamp(known_until)


def _outcome_columns(people: pd.DataFrame) -> dict[str, float]:
    mature = people[people["mature"]]
    placement = float(mature["employed_180d"].astype(float).mean()) if len(mature) else np.nan
    employed = mature.loc[mature["employed_180d"].astype(bool), "days_to_employment"].dropna()
    return {"placement": placement, "days_to_placement": float(employed.median()) if len(employed) else np.nan}


def _completion(enrolments: pd.DataFrame, seeker_ids: pd.Index) -> float:
    mine = enrolments[enrolments["seeker_id"].isin(seeker_ids)]
    return float(mine["completed"].astype(float).mean()) if len(mine) else np.nan


def caseload_by_quarter(notes: pd.DataFrame, seeker_ids: pd.Index | None = None) -> pd.Series:
    """Distinct seekers per counsellor in each quarter of the sessions (quarter start → people).

    Args:
        notes: Counselling sessions (``seeker_id, counsellor, written_on``).
        seeker_ids: Only these seekers (e.g. one region's); ``None`` = everyone.
    """
    if seeker_ids is not None:
        notes = notes[notes["seeker_id"].isin(seeker_ids)]
    if notes.empty:
        return pd.Series(dtype=float)
    frame = notes.assign(quarter_start=quarter_start(notes["written_on"]).to_numpy())
    grouped = frame.groupby("quarter_start")
    return grouped["seeker_id"].nunique() / grouped["counsellor"].nunique().clip(lower=1)


def compute_kpis(cohort: pd.DataFrame, services: pd.DataFrame, enrolments: pd.DataFrame, notes: pd.DataFrame, *,
                 by: str, labels: Mapping[str, str], outcomes_known_until: dt.date | None = None) -> pd.DataFrame:
    """The indicators per quarter for every group of ``by`` (see the module docstring).

    Args:
        cohort, services, enrolments, notes: The frames of the module docstring (already filtered
            to the seekers in scope, e.g. one region).
        by: ``"service"`` (a row per service and one "전체" row) or ``"region"`` (a row per region
            of residence).
        labels: Korean label of each group key (service or region code).
        outcomes_known_until: Last day whose outcomes are known (``None``: every cohort is mature).

    Returns:
        :data:`KPI_COLUMNS`, by quarter then group (``group_kind`` "전체", "서비스" or "지역").
    """
    if by not in ("service", "region"):
        raise ValueError(f"집계 기준은 service, region 중 하나여야 합니다 (입력값: {by})")
    if cohort.empty:
        return pd.DataFrame(columns=list(KPI_COLUMNS))
    people = cohort.assign(quarter_start=quarter_start(cohort["registered_on"]).to_numpy(),
                           mature=_mature(cohort, outcomes_known_until).to_numpy())
    people = people.set_index("id", drop=False)
    used = services[services["seeker_id"].isin(people.index)]
    rows: list[dict[str, Any]] = []
    caseload_all = caseload_by_quarter(notes, people.index)
    caseload_by_region = {code: caseload_by_quarter(notes, people.index[people["region_code"] == code])
                          for code in people["region_code"].unique()} if by == "region" else {}
    for start, quarter in people.groupby("quarter_start", sort=True):
        ids = quarter.index
        in_quarter = used[used["seeker_id"].isin(ids)]
        if by == "service":
            any_service = quarter.loc[quarter.index.isin(in_quarter["seeker_id"])]
            rows.append({"quarter_start": start, "group_kind": "전체", "group": "전체", "cohort": len(quarter),
                         "participants": len(any_service), "take_up": len(any_service) / len(quarter),
                         "completion": _completion(enrolments, ids), **_outcome_columns(quarter),
                         "caseload": float(caseload_all.get(start, np.nan))})
            for key, label in labels.items():
                mine = quarter.loc[quarter.index.isin(in_quarter.loc[in_quarter["service"] == key, "seeker_id"])]
                rows.append({"quarter_start": start, "group_kind": "서비스", "group": label, "cohort": len(quarter),
                             "participants": len(mine), "take_up": len(mine) / len(quarter),
                             "completion": _completion(enrolments, mine.index) if key == "training" else np.nan,
                             **_outcome_columns(mine), "caseload": np.nan})
        else:
            for code, region in quarter.groupby("region_code", sort=True):
                served = region.loc[region.index.isin(in_quarter["seeker_id"])]
                caseload = caseload_by_region[code]
                rows.append({"quarter_start": start, "group_kind": "지역", "group": labels.get(str(code), "기타"),
                             "cohort": len(region), "participants": len(served),
                             "take_up": len(served) / len(region), "completion": _completion(enrolments, region.index),
                             **_outcome_columns(region), "caseload": float(caseload.get(start, np.nan))})
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS))


# --------------------------------------------------------------------------- from a stored summary


CELL_ALL: Final[str] = "all"
"""Group of the cells over every seeker (the "전체" row and the region rows)."""
CELL_ANY: Final[str] = "any"
"""Group of the cells over the seekers with any service (the "전체" row's participants)."""


@dataclass(frozen=True)
class KpiCells:
    """Additive cells of the indicators for one scope (a selection of 시도, or all): what
    :func:`compute_kpis` computes from the frames, counted in advance so that any selection is exact.

    Attributes:
        cohort: Per registration quarter (``quarter_start``, Timestamp), ``region_code`` and ``grp``
            (:data:`CELL_ALL`, :data:`CELL_ANY` or a service key): ``people`` (seekers, or a
            service's participants), ``enrolments`` and ``completed`` (their enrolments), ``mature``
            (180 days passed by the last day with known outcomes) and ``employed`` (mature and
            employed within 180 days).
        seen: Distinct seekers with a counselling session per session quarter and ``region_code``.
        counsellors: Counsellors per session quarter by ``regions``, the tuple of 시도 whose seekers
            they saw then (``people``): one person however many of them a selection holds.
        medians: Days to employment of the mature employed seekers per ``quarter_start`` and
            ``grp``, the scope's 시도 together: the middle value (``lower`` = ``upper``) or the two
            middle ones.
        region_medians: The same per ``quarter_start`` and ``region_code``, over everyone.
        regions: The scope's 시도 codes (empty: every 시도).
    """

    cohort: pd.DataFrame
    seen: pd.DataFrame
    counsellors: pd.DataFrame
    medians: pd.DataFrame
    region_medians: pd.DataFrame
    regions: tuple[str, ...] = ()


def _medians(frame: pd.DataFrame, key: str) -> dict[tuple[Any, str], float]:
    """(quarter, key) → the median: the mean of the two middle values, as :meth:`pandas.Series.median`."""
    return {(start, k): float((lower + upper) / 2) for start, k, lower, upper
            in frame[["quarter_start", key, "lower", "upper"]].itertuples(index=False, name=None)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else np.nan


def _caseload_by_quarter(seen: Sequence[tuple[Any, str, int]], serving: Sequence[tuple[Any, tuple[str, ...], int]],
                         regions: Sequence[str]) -> dict[pd.Timestamp, float]:
    """Distinct seekers seen ÷ distinct counsellors per session quarter, for the seekers of ``regions``
    (every 시도 of ``seen`` when empty) — :func:`caseload_by_quarter` from the ``seen`` and
    ``counsellors`` cells (a few hundred: plain loops)."""
    wanted = set(regions)
    seekers: dict[pd.Timestamp, int] = {}
    for start, code, n in seen:
        if not wanted or code in wanted:
            seekers[start] = seekers.get(start, 0) + int(n)
    counsellors: dict[pd.Timestamp, int] = {}
    for start, codes, n in serving:
        if not wanted or wanted.intersection(codes):
            counsellors[start] = counsellors.get(start, 0) + int(n)
    return {start: n / max(counsellors.get(start, 0), 1) for start, n in seekers.items() if n > 0}


def _cell_row(start: pd.Timestamp, kind: str, group: str, cohort: int, people: int, cell: Mapping[str, float],
              *, completion: bool, median: float, caseload: float) -> dict[str, Any]:
    return {"quarter_start": start, "group_kind": kind, "group": group, "cohort": cohort, "participants": people,
            "take_up": people / cohort,
            "completion": _ratio(cell["completed"], cell["enrolments"]) if completion else np.nan,
            "placement": _ratio(cell["employed"], cell["mature"]), "days_to_placement": median, "caseload": caseload}


def kpis_from_cells(cells: KpiCells, *, by: str, labels: Mapping[str, str]) -> pd.DataFrame:
    """:func:`compute_kpis` of the scope's seekers, combined from its cells: the same rows and the
    same numbers (counts add; rates divide the summed numerator by the summed denominator; medians
    come from a count per day; a counsellor of several 시도 counts once).

    Args:
        cells: The scope's cells.
        by: ``"service"`` or ``"region"`` (see :func:`compute_kpis`).
        labels: Korean label of each service key or 시도 code.
    """
    if by not in ("service", "region"):
        raise ValueError(f"집계 기준은 service, region 중 하나여야 합니다 (입력값: {by})")
    counts = ["people", "enrolments", "completed", "mature", "employed"]
    cohort = cells.cohort
    everyone = cohort[(cohort["grp"] == CELL_ALL) & (cohort["people"] > 0)]
    if everyone.empty:
        return pd.DataFrame(columns=list(KPI_COLUMNS))
    seen = list(cells.seen[["quarter_start", "region_code", "people"]].itertuples(index=False, name=None))
    serving = list(cells.counsellors[["quarter_start", "regions", "people"]].itertuples(index=False, name=None))
    rows: list[dict[str, Any]] = []
    if by == "service":
        totals = cohort.groupby(["quarter_start", "grp"])[counts].sum().to_dict("index")
        medians = _medians(cells.medians, "grp")
        caseload = _caseload_by_quarter(seen, serving, cells.regions)
        empty = dict.fromkeys(counts, 0)
        for start in sorted(everyone["quarter_start"].unique()):
            start = pd.Timestamp(start)
            quarter = {grp: totals.get((start, grp), empty) for grp in (CELL_ALL, CELL_ANY, *labels)}
            n = int(quarter[CELL_ALL]["people"])
            rows.append(_cell_row(start, "전체", "전체", n, int(quarter[CELL_ANY]["people"]), quarter[CELL_ALL],
                                  completion=True, median=medians.get((start, CELL_ALL), np.nan),
                                  caseload=caseload.get(start, np.nan)))
            for key, label in labels.items():
                rows.append(_cell_row(start, "서비스", label, n, int(quarter[key]["people"]), quarter[key],
                                      completion=key == "training", median=medians.get((start, key), np.nan),
                                      caseload=np.nan))
        return pd.DataFrame(rows, columns=list(KPI_COLUMNS))
    served = {(start, code): n for start, code, n in
              cohort.loc[cohort["grp"] == CELL_ANY, ["quarter_start", "region_code", "people"]].itertuples(index=False,
                                                                                                          name=None)}
    caseload_of = {code: _caseload_by_quarter(seen, serving, (code,)) for code in everyone["region_code"].unique()}
    medians = _medians(cells.region_medians, "region_code")
    for cell in everyone.sort_values(["quarter_start", "region_code"]).itertuples(index=False):
        start, code = pd.Timestamp(cell.quarter_start), str(cell.region_code)
        rows.append(_cell_row(start, "지역", labels.get(code, "기타"), int(cell.people),
                              int(served.get((cell.quarter_start, cell.region_code), 0)), cell._asdict(),
                              completion=True, median=medians.get((start, code), np.nan),
                              caseload=caseload_of[cell.region_code].get(start, np.nan)))
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS))


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One target of ``data/reference/kpi_targets.yaml``.

    Attributes:
        indicator: Key of :data:`INDICATORS`. service: Service key or :data:`ALL`.
        base: Value in the base year. yearly: Raised by the national step every year.
        source: Where the number comes from. assumption: Our own choice.
    """

    indicator: str
    service: str
    base: float
    yearly: bool
    source: str
    assumption: bool


@dataclass(frozen=True)
class KpiTargets:
    """The targets file: the national goal they are linked to, indicators and targets."""

    national_goal: str
    national_source: str
    yearly_step: float
    step_source: str
    base_year: int
    labels: Mapping[str, str]
    directions: Mapping[str, str]
    targets: tuple[Target, ...]

    def value(self, indicator: str, service: str, year: int) -> Target | None:
        """The target of ``indicator`` for ``service`` (``None`` when there is none)."""
        for target in self.targets:
            if target.indicator == indicator and target.service == service:
                return target
        return None

    def target_value(self, target: Target, year: int) -> float:
        """The target's value in ``year`` (raised by the national step when ``yearly``)."""
        if not target.yearly:
            return target.base
        return round(target.base + self.yearly_step * (int(year) - self.base_year), 4)


def load_kpi_targets(path: Path) -> KpiTargets:
    """Read the KPI targets file.

    Raises:
        ValueError: An unknown indicator or a target without a source (Korean message).
    """
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    goal = data.get("national_goal") or {}
    indicators = data.get("indicators") or {}
    targets = []
    for entry in data.get("targets") or []:
        if entry.get("indicator") not in INDICATORS:
            raise ValueError(f"성과 목표 파일에 알 수 없는 지표가 있습니다: {entry.get('indicator')}")
        if not str(entry.get("source", "")).strip():
            raise ValueError(f"성과 목표({entry.get('indicator')})에 출처가 없습니다")
        targets.append(Target(str(entry["indicator"]), str(entry.get("service", ALL)), float(entry["base"]),
                              bool(entry.get("yearly", False)), str(entry["source"]), bool(entry.get("assumption", False))))
    return KpiTargets(
        national_goal=str(goal.get("label", "")), national_source=str(goal.get("source", "")),
        yearly_step=float(goal.get("yearly_step", 0.0)), step_source=str(goal.get("step_source", "")),
        base_year=int(goal.get("base_year", 2024)),
        labels={k: str(v.get("label", k)) for k, v in indicators.items()},
        directions={k: str(v.get("direction", "higher")) for k, v in indicators.items()},
        targets=tuple(targets),
    )


def kpi_status(kpis: pd.DataFrame, targets: KpiTargets, service_keys: Mapping[str, str]) -> pd.DataFrame:
    """Every indicator of :func:`compute_kpis` output against its target (long table).

    Args:
        kpis: :func:`compute_kpis` output.
        targets: The targets file.
        service_keys: Korean group label → service key (the "전체" and region rows use :data:`ALL`).

    Returns:
        ``quarter_start, quarter, group_kind, group, indicator, label, value, target, status,
        source, assumption`` — ``status`` is :data:`ACHIEVED`, :data:`MISSED`, :data:`NO_TARGET`
        or :data:`NOT_MATURE` (no value yet).
    """
    columns = ["quarter_start", "quarter", "group_kind", "group", "indicator", "label", "value", "target", "status",
               "source", "assumption"]
    rows = []
    for row in kpis.itertuples(index=False):
        service = service_keys.get(row.group, ALL) if row.group_kind == "서비스" else ALL
        year = pd.Timestamp(row.quarter_start).year
        for indicator in INDICATORS:
            value = getattr(row, indicator)
            target = targets.value(indicator, service, year)
            goal = targets.target_value(target, year) if target is not None else np.nan
            if value is None or not np.isfinite(value):
                status = NOT_MATURE if target is not None else NO_TARGET
            elif target is None:
                status = NO_TARGET
            elif targets.directions.get(indicator, "higher") == "lower":
                status = ACHIEVED if value <= goal else MISSED
            else:
                status = ACHIEVED if value >= goal else MISSED
            if (value is None or not np.isfinite(value)) and target is None:
                continue
            rows.append({
                "quarter_start": row.quarter_start, "quarter": quarter_label(row.quarter_start),
                "group_kind": row.group_kind, "group": row.group, "indicator": indicator,
                "label": targets.labels.get(indicator, indicator), "value": value, "target": goal, "status": status,
                "source": target.source if target is not None else "", "assumption": bool(target.assumption) if target else False,
            })
    return pd.DataFrame(rows, columns=columns)


def latest_status(status: pd.DataFrame, indicators: Sequence[str] = INDICATORS) -> pd.DataFrame:
    """Each (group, indicator)'s latest quarter that has a value (the page's 달성/미달 tiles)."""
    known = status[status["status"].isin([ACHIEVED, MISSED])]
    if known.empty:
        return known
    known = known[known["indicator"].isin(list(indicators))]
    return (known.sort_values("quarter_start").groupby(["group_kind", "group", "indicator"], sort=False).tail(1)
            .reset_index(drop=True))
