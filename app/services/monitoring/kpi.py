"""Process indicators (성과지표) of the employment services from the database, against the committed
targets (``data/reference/kpi_targets.yaml``).

The indicators are combined from a stored summary (:mod:`app.db.repositories.kpi_summary`: counts per
quarter, 시도 and service, counted in the database and kept current by a stamp), so that a page reads a
few hundred cells whatever the number of seekers; :func:`app.analytics.kpi.compute_kpis` over the
whole frames gives the same numbers (tested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
from sqlalchemy import Engine

from app.analytics import kpi as kpi_math
from app.analytics.kpi import KpiCells, KpiTargets, load_kpi_targets
from app.analytics.monitoring import quarter_start
from app.db.repositories import kpi_summary as summary_repo
from app.db.repositories import world as world_repo
from app.reference.codes import SERVICES
from app.reference.names import region_short

KPI_TARGETS_FILE: Final[str] = "kpi_targets.yaml"
"""The targets file in the reference directory."""

SERVICE_NAMES: Final[dict[str, str]] = {
    "training": "직업훈련",
    "matching": "취업알선",
    "nes": "국민취업지원제도",
    "counselling": "심층상담",
}
"""Korean name of each employment service on the KPI page (the service's programme, not the flag's
meaning in the employment model; the same keys as :data:`app.reference.codes.SERVICES`)."""


@dataclass(frozen=True)
class KpiReport:
    """Indicators and their status for one scope (all regions and services, or a filter).

    Attributes:
        by_service: The rows of :func:`app.analytics.kpi.compute_kpis` by service (with the "전체" rows).
        by_region: The same by region of residence.
        status: Every indicator against its target (:func:`app.analytics.kpi.kpi_status`), both tables.
        latest: The latest quarter with a value of each (group, indicator).
        targets: The targets file.
        regions: Korean names of the regions in scope (empty = all).
        services: Korean names of the services in scope (empty = all).
    """

    by_service: pd.DataFrame
    by_region: pd.DataFrame
    status: pd.DataFrame
    latest: pd.DataFrame
    targets: KpiTargets
    regions: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


def load_targets(reference_dir: Path) -> KpiTargets:
    """The committed KPI targets."""
    return load_kpi_targets(Path(reference_dir) / KPI_TARGETS_FILE)


def outcomes_known_until(engine: Engine) -> dt.date | None:
    """The last day whose outcomes are known: the world's observation end, else the reference date."""
    return _known_until(engine, world_repo.load_world_meta(engine).get("observation_end"))


def _known_until(engine: Engine, observation_end: str | None) -> dt.date | None:
    return dt.date.fromisoformat(observation_end[:10]) if observation_end else world_repo.load_reference_date(engine)


def store_kpi_summary(engine: Engine) -> str:
    """Count the KPI summary's cells into the database, unless they are current.

    What the build calls after the stored scores (and what the page calls before reading, at most
    once a minute per process). The stamp — the world's fingerprint, the last day whose outcomes are
    known and the newest id of the seekers, outcomes, service starts, enrolments and counselling
    notes — is a few index lookups; when it differs from the stored one, every cell is counted again
    in the database (a few ``GROUP BY`` queries) and stored with it in one transaction.

    Args:
        engine: Product database.

    Returns:
        The short form of the stamp in force (a cache key that changes with the cells).
    """
    markers, observation_end, stored = summary_repo.read_stamps(engine)
    known = _known_until(engine, observation_end)
    stamp = summary_repo.stamp_text(markers, known)
    if stored != stamp:
        summary_repo.save_cells(engine, summary_repo.count_cells(engine, known, list(SERVICE_NAMES)), stamp)
    return summary_repo.stamp_digest(stamp)


def kpi_cells(engine: Engine, region_codes: Sequence[str] = ()) -> KpiCells:
    """The stored cells of the seekers of ``region_codes`` (every 시도 when empty); bring them up to
    date first with :func:`store_kpi_summary`."""
    codes = tuple(str(c) for c in region_codes)
    cells, medians = summary_repo.load_cells(engine, codes), summary_repo.load_medians(engine, codes)
    for frame in (cells, medians):
        # the quarters as compute_kpis keys them (the same Timestamps and dtype)
        frame["quarter_start"] = quarter_start(frame["quarter_start"]).to_numpy()
    kind = cells.pop("kind")
    counsellors = cells.loc[kind == "counsellors", ["quarter_start", "region_code", "people"]]
    return KpiCells(cohort=cells[kind == "cohort"].reset_index(drop=True),
                    seen=cells.loc[kind == "seen", ["quarter_start", "region_code", "people"]].reset_index(drop=True),
                    counsellors=pd.DataFrame({"quarter_start": counsellors["quarter_start"].to_numpy(),
                                              "regions": [tuple(t.split(",")) for t in counsellors["region_code"]],
                                              "people": counsellors["people"].to_numpy()}),
                    medians=medians[medians["by"] == "grp"].rename(columns={"key": "grp"}),
                    region_medians=medians[medians["by"] == "region"].rename(columns={"key": "region_code"}),
                    regions=codes)


def region_choices(engine: Engine) -> dict[str, str]:
    """Region code → Korean name of the regions with seekers, by code (from the stored summary)."""
    return {code: region_short(code) for code in summary_repo.load_region_codes(engine)}


def kpi_report(engine: Engine, targets: KpiTargets, *, region_codes: Sequence[str] = (),
               services: Sequence[str] = ()) -> KpiReport:
    """The indicators for the seekers of ``region_codes`` (all when empty) and the services asked for,
    combined from the stored summary (:func:`store_kpi_summary` first): a few hundred cells, whatever
    the number of seekers.

    Args:
        engine: Product database.
        targets: :func:`load_targets`.
        region_codes: 시도 codes of residence in scope.
        services: Service keys shown (all when empty); the "전체" row is always kept.

    Raises:
        ValueError: An unknown service key (Korean message).
    """
    unknown = [s for s in services if s not in SERVICE_NAMES]
    if unknown:
        raise ValueError(f"알 수 없는 서비스입니다: {', '.join(unknown)}")
    cells = kpi_cells(engine, region_codes)
    labels = {key: SERVICE_NAMES[key] for key in (services or [s for s in SERVICES if s in SERVICE_NAMES])}
    by_service = kpi_math.kpis_from_cells(cells, by="service", labels=labels)
    present = cells.cohort.loc[(cells.cohort["grp"] == kpi_math.CELL_ALL) & (cells.cohort["people"] > 0), "region_code"]
    region_labels = {str(c): region_short(str(c)) for c in present.unique()}
    by_region = kpi_math.kpis_from_cells(cells, by="region", labels=region_labels)
    service_keys = {name: key for key, name in SERVICE_NAMES.items()}
    status = pd.concat([kpi_math.kpi_status(by_service, targets, service_keys),
                        kpi_math.kpi_status(by_region, targets, service_keys)], ignore_index=True)
    return KpiReport(by_service=by_service, by_region=by_region, status=status,
                     latest=kpi_math.latest_status(status[status["group_kind"] != "지역"]), targets=targets,
                     regions=tuple(region_short(str(c)) for c in region_codes),
                     services=tuple(labels.values()) if services else ())


KPI_TABLE_COLUMNS: Final[dict[str, str]] = {
    "quarter": "분기", "group_kind": "구분", "group": "대상", "cohort": "등록 구직자", "participants": "이용자",
    "take_up": "서비스 이용률", "completion": "훈련 수료율", "placement": "180일 내 취업률",
    "days_to_placement": "취업 소요일(중앙값)", "caseload": "상담사 1인당 구직자",
}
STATUS_TABLE_COLUMNS: Final[dict[str, str]] = {
    "quarter": "분기", "group_kind": "구분", "group": "대상", "label": "지표", "value": "값", "target": "목표",
    "status": "판정", "source": "목표 출처", "assumption": "우리 가정",
}


def kpi_table(kpis: pd.DataFrame) -> pd.DataFrame:
    """Korean display/export table of :func:`app.analytics.kpi.compute_kpis` output (rates in %)."""
    table = kpis.assign(quarter=[kpi_math.quarter_label(q) for q in kpis["quarter_start"]])
    for column in ("take_up", "completion", "placement"):
        table[column] = (table[column].astype(float) * 100).round(1)
    table["days_to_placement"] = table["days_to_placement"].astype(float).round(0)
    table["caseload"] = table["caseload"].astype(float).round(1)
    table = table[list(KPI_TABLE_COLUMNS)].rename(columns=KPI_TABLE_COLUMNS)
    return table.rename(columns={"서비스 이용률": "서비스 이용률(%)", "훈련 수료율": "훈련 수료율(%)",
                                 "180일 내 취업률": "180일 내 취업률(%)"})


def status_table(status: pd.DataFrame) -> pd.DataFrame:
    """Korean display/export table of the indicators against their targets (rates in %)."""
    table = status.copy()
    rate = ~table["indicator"].isin(["days_to_placement", "caseload"])
    for column in ("value", "target"):
        values = table[column].astype(float)
        table[column] = values.where(~rate, values * 100).round(1)
    table["label"] = [f"{label}(%)" if is_rate else label for label, is_rate in zip(table["label"], rate, strict=True)]
    table["assumption"] = table["assumption"].map({True: "예", False: "아니오"})
    return table[list(STATUS_TABLE_COLUMNS)].rename(columns=STATUS_TABLE_COLUMNS)


KPI_GROUPINGS: Final[dict[str, tuple[str, ...]]] = {"서비스별": ("전체", "서비스"), "지역별": ("지역",)}
"""The page's trend grouping → the ``group_kind`` rows it shows."""


def trend_rows(status: pd.DataFrame, grouping: str) -> pd.DataFrame:
    """The status rows of one grouping of :data:`KPI_GROUPINGS` (서비스별 keeps the 전체 line too)."""
    return status[status["group_kind"].isin(KPI_GROUPINGS[grouping])]


def shown_status_table(status: pd.DataFrame) -> pd.DataFrame:
    """:func:`status_table` with the value and target as text, a missing one as "-".

    Text, because a table's own placeholder for a missing number is English.
    """
    table = status_table(status)
    return table.assign(**{c: [("-" if pd.isna(v) else f"{float(v):,.1f}") for v in table[c]] for c in ("값", "목표")})
