"""Process indicators (성과지표) of the employment services from the database, against the committed
targets (``data/reference/kpi_targets.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
from sqlalchemy import Engine

from app.analytics import kpi as kpi_math
from app.analytics.kpi import KpiTargets, load_kpi_targets
from app.db.repositories import monitoring as repo
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
class KpiFrames:
    """The database frames of the indicators (see :mod:`app.analytics.kpi`) and the last day whose
    outcomes are known."""

    cohort: pd.DataFrame
    services: pd.DataFrame
    enrolments: pd.DataFrame
    notes: pd.DataFrame
    outcomes_known_until: dt.date | None


@dataclass(frozen=True)
class KpiReport:
    """Indicators and their status for one scope (all regions and services, or a filter).

    Attributes:
        by_service: :func:`app.analytics.kpi.compute_kpis` by service (with the "전체" rows).
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


def load_kpi_frames(engine: Engine) -> KpiFrames:
    """Read the frames of the indicators once (the page filters them without another query)."""
    meta = world_repo.load_world_meta(engine)
    known = meta.get("observation_end")
    until = dt.date.fromisoformat(known[:10]) if known else world_repo.load_reference_date(engine)
    return KpiFrames(repo.load_kpi_cohort(engine), repo.load_service_starts(engine),
                     repo.load_enrolment_outcomes(engine), repo.load_counselling_sessions(engine), until)


def region_choices(frames: KpiFrames) -> dict[str, str]:
    """Region code → Korean name of the regions with seekers, by code."""
    return {str(c): region_short(str(c)) for c in sorted(frames.cohort["region_code"].astype(str).unique())}


def kpi_report(frames: KpiFrames, targets: KpiTargets, *, region_codes: Sequence[str] = (),
               services: Sequence[str] = ()) -> KpiReport:
    """The indicators for the seekers of ``region_codes`` (all when empty) and the services asked for.

    Args:
        frames: :func:`load_kpi_frames`.
        targets: :func:`load_targets`.
        region_codes: 시도 codes of residence in scope.
        services: Service keys shown (all when empty); the "전체" row is always kept.

    Raises:
        ValueError: An unknown service key (Korean message).
    """
    unknown = [s for s in services if s not in SERVICE_NAMES]
    if unknown:
        raise ValueError(f"알 수 없는 서비스입니다: {', '.join(unknown)}")
    cohort = frames.cohort
    if region_codes:
        cohort = cohort[cohort["region_code"].astype(str).isin([str(c) for c in region_codes])]
    ids = pd.Index(cohort["id"])
    service_frame = frames.services[frames.services["seeker_id"].isin(ids)]
    enrolments = frames.enrolments[frames.enrolments["seeker_id"].isin(ids)]
    notes = frames.notes[frames.notes["seeker_id"].isin(ids)]
    labels = {key: SERVICE_NAMES[key] for key in (services or [s for s in SERVICES if s in SERVICE_NAMES])}
    by_service = kpi_math.compute_kpis(cohort, service_frame, enrolments, notes, by="service", labels=labels,
                                       outcomes_known_until=frames.outcomes_known_until)
    region_labels = {str(c): region_short(str(c)) for c in cohort["region_code"].astype(str).unique()}
    by_region = kpi_math.compute_kpis(cohort, service_frame, enrolments, notes, by="region", labels=region_labels,
                                      outcomes_known_until=frames.outcomes_known_until)
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
