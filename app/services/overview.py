"""Home-page use cases: headline figures, breakdowns, reference names and the model status.

Everything here is read-only and Streamlit-free. Figures are computed from grouped counts
(``app/db/repositories``) so that the cost does not grow with the number of rows, and every rate
says what it is a share *of* (see :data:`RATE_NOTES`, shown as help text in the UI). The data
explorer's filtered searches and tables live in :mod:`app.services.explorer`.

Domain errors (:class:`NoWorldError`, :class:`UnknownEmployerError`) carry a Korean message that
the page shows as is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import employers as employer_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import world as world_repo
from app.errors import NotFound, NotReady
from app.ml.manifest import load_manifest
from app.reference.names import ReferenceNames
from app.text.korean import METRIC_LABELS, format_kst_datetime, format_metric

BUILD_COMMAND = "python -m app build"

AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 29, "29세 이하"),
    (30, 39, "30대"),
    (40, 49, "40대"),
    (50, 59, "50대"),
    (60, 200, "60세 이상"),
)

RATE_NOTES: dict[str, str] = {
    "fill_rate": "결과가 관측된 공고 중 마감일 전에 채용된 공고의 비율",
    "fill_rate_30d": "결과가 관측된 공고 중 게시 후 30일 안에 채용된 공고의 비율",
    "unfilled_rate": "결과가 관측된 공고 중 마감일까지 채용되지 않은 공고의 비율",
    "applications_per_posting": "결과가 관측된 공고 1건당 평균 지원 건수",
    "reemployment": "결과가 관측된 구직자 중 등록 후 180일 안에 고용보험 취업한 비율",
}
"""What each headline rate is a share of (shown under the metrics)."""


class NoWorldError(NotReady):
    """The database holds no world yet; the message names the build command."""

    def __init__(self) -> None:
        super().__init__(
            "데이터베이스에 데이터가 없습니다. 터미널에서 "
            f"`{BUILD_COMMAND}` (또는 `make run`)을 실행해 가상 세계를 만든 뒤 새로고침하세요."
        )


class UnknownEmployerError(NotFound):
    """The logged-in employer account points at an employer that does not exist."""

    def __init__(self, employer_id: int) -> None:
        super().__init__(
            f"계정에 연결된 구인기업(ID {employer_id})이 데이터베이스에 없습니다. "
            "관리자에게 계정 파일 재생성을 요청하세요."
        )
        self.employer_id = employer_id


# --------------------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class WorldOverview:
    """Headline figures of the whole world (rates are ``None`` when nothing was observed).

    Attributes:
        as_of: Reference date: postings closing on or after it count as open.
        n_employers: Employers.
        n_postings: All postings.
        n_open_postings: Postings still open at ``as_of``.
        n_seekers: Registered seekers.
        n_courses: Training courses.
        fill_rate: Share of postings filled before their close date.
        fill_rate_30d: Share of postings filled within 30 days of opening.
        unfilled_rate: Share of postings not filled by their close date.
        applications_per_posting: Mean applications per posting.
        reemployment_180d: Share of seekers employed within 180 days of registering.
        reemployment_180d_benefit: The same among 구직급여 recipients.
        n_benefit: Seekers receiving 구직급여.
    """

    as_of: dt.date | None
    n_employers: int
    n_postings: int
    n_open_postings: int
    n_seekers: int
    n_courses: int
    fill_rate: float | None
    fill_rate_30d: float | None
    unfilled_rate: float | None
    applications_per_posting: float | None
    reemployment_180d: float | None
    reemployment_180d_benefit: float | None
    n_benefit: int


@dataclass(frozen=True)
class EmployerOverview:
    """One employer's own postings at a glance."""

    employer_id: int
    employer_name: str
    n_postings: int
    n_open_postings: int
    fill_rate: float | None
    fill_rate_30d: float | None
    applications_per_posting: float | None


def _ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def check_world(engine: Engine) -> None:
    """Raise :class:`NoWorldError` unless the database holds a world.

    Args:
        engine: Database engine.

    Raises:
        NoWorldError: No tables or no postings yet.
    """
    if not world_repo.has_world(engine):
        raise NoWorldError()


def world_as_of(engine: Engine) -> dt.date | None:
    """The data's one reference date (기준일), the same every page shows and computes with.

    Read by :func:`app.db.repositories.world.load_reference_date` (``world_meta.reference_date``;
    for older worlds and imported data the latest registration, then the last posting opening).

    Args:
        engine: Database engine.

    Returns:
        The reference date, or ``None`` when there is neither metadata nor any seeker or posting.
    """
    return world_repo.load_reference_date(engine)


def compute_world_overview(engine: Engine) -> WorldOverview:
    """Headline figures of the whole world.

    Args:
        engine: Database engine.

    Returns:
        The figures (see :data:`RATE_NOTES` for what each rate is a share of).

    Raises:
        NoWorldError: The database holds no world.
    """
    check_world(engine)
    as_of = world_as_of(engine)
    counts = world_repo.load_table_counts(engine)
    p = posting_repo.load_posting_counts(engine, as_of=as_of).sum(numeric_only=True)
    s = seeker_repo.load_seeker_counts(engine)
    benefit = s[s["benefit_status"].astype(bool)]
    fill = _ratio(p.get("n_filled", 0), p.get("n_outcome", 0))
    return WorldOverview(
        as_of=as_of,
        n_employers=counts["employers"],
        n_postings=counts["postings"],
        n_open_postings=int(p.get("n_open", 0)),
        n_seekers=counts["seekers"],
        n_courses=counts["courses"],
        fill_rate=fill,
        fill_rate_30d=_ratio(p.get("n_filled_30d", 0), p.get("n_outcome", 0)),
        unfilled_rate=None if fill is None else 1.0 - fill,
        applications_per_posting=_ratio(p.get("n_applications", 0), p.get("n_outcome", 0)),
        reemployment_180d=_ratio(s["n_employed"].sum(), s["n_outcome"].sum()),
        reemployment_180d_benefit=_ratio(benefit["n_employed"].sum(), benefit["n_outcome"].sum()),
        n_benefit=int(benefit["n_seekers"].sum()),
    )


def compute_employer_overview(engine: Engine, employer_id: int) -> EmployerOverview:
    """Figures of one employer's own postings.

    Args:
        engine: Database engine.
        employer_id: The employer.

    Returns:
        Counts and rates of that employer's postings.

    Raises:
        UnknownEmployerError: No employer with that id.
    """
    info = employer_repo.load_employer(engine, employer_id)
    if info is None:
        raise UnknownEmployerError(employer_id)
    p = posting_repo.load_posting_counts(
        engine, as_of=world_as_of(engine), employer_id=employer_id
    ).sum(numeric_only=True)
    return EmployerOverview(
        employer_id=employer_id,
        employer_name=info.name,
        n_postings=int(p.get("n_postings", 0)),
        n_open_postings=int(p.get("n_open", 0)),
        fill_rate=_ratio(p.get("n_filled", 0), p.get("n_outcome", 0)),
        fill_rate_30d=_ratio(p.get("n_filled_30d", 0), p.get("n_outcome", 0)),
        applications_per_posting=_ratio(p.get("n_applications", 0), p.get("n_outcome", 0)),
    )


# --------------------------------------------------------------------------- breakdowns


def _rates(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    out = (
        frame.groupby(by, as_index=False)[["n_postings", "n_outcome", "n_filled"]]
        .sum()
        .sort_values("n_postings", ascending=False)
    )
    out["fill_rate"] = out["n_filled"] / out["n_outcome"].where(out["n_outcome"] > 0)
    return out.reset_index(drop=True)


def compute_postings_by_region(engine: Engine, names: ReferenceNames) -> pd.DataFrame:
    """Postings and fill rate per 시도.

    Returns:
        Columns ``region_code, region, n_postings, n_outcome, n_filled, fill_rate`` sorted by
        number of postings (descending).
    """
    out = _rates(posting_repo.load_posting_counts(engine), "region_code")
    out.insert(1, "region", out["region_code"].map(names.region))
    return out


def compute_top_occupations(engine: Engine, names: ReferenceNames, *, top: int = 15) -> pd.DataFrame:
    """The ``top`` KECO 소분류 with most postings, with their fill rate.

    Returns:
        Columns ``keco_code, occupation, n_postings, n_outcome, n_filled, fill_rate``.
    """
    out = _rates(posting_repo.load_posting_counts(engine), "keco_code").head(top)
    out.insert(1, "occupation", out["keco_code"].map(names.occupation))
    return out.reset_index(drop=True)


def age_band(age: float | None) -> str:
    """Age band label used everywhere a seeker's age is shown (exact ages are never shown)."""
    if age is None or (isinstance(age, float) and math.isnan(age)):
        return "미상"
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "미상"


def _reemployment(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    out = frame.groupby(by, as_index=False, sort=False)[["n_seekers", "n_outcome", "n_employed"]].sum()
    out["rate"] = out["n_employed"] / out["n_outcome"].where(out["n_outcome"] > 0)
    return out


def compute_reemployment_by_age(engine: Engine) -> pd.DataFrame:
    """180-day re-employment rate per age band, overall and among 구직급여 recipients.

    Returns:
        Columns ``age_band, group, n_seekers, n_outcome, n_employed, rate`` where ``group`` is
        ``"전체"`` or ``"구직급여 수급자"``; bands in age order.
    """
    s = seeker_repo.load_seeker_counts(engine)
    s["age_band"] = s["age"].map(age_band)
    overall = _reemployment(s, "age_band").assign(group="전체")
    benefit = _reemployment(s[s["benefit_status"].astype(bool)], "age_band").assign(
        group="구직급여 수급자"
    )
    out = pd.concat([overall, benefit], ignore_index=True)
    order = {label: i for i, (_, _, label) in enumerate(AGE_BANDS)}
    out["_order"] = out["age_band"].map(order).fillna(len(order))
    return (
        out.sort_values(["group", "_order"], ascending=[False, True])
        .drop(columns="_order")
        .reset_index(drop=True)[["age_band", "group", "n_seekers", "n_outcome", "n_employed", "rate"]]
    )


def compute_reemployment_by_region(engine: Engine, names: ReferenceNames) -> pd.DataFrame:
    """180-day re-employment rate per 시도 (highest first).

    Returns:
        Columns ``region_code, region, n_seekers, n_outcome, n_employed, rate``.
    """
    out = _reemployment(seeker_repo.load_seeker_counts(engine), "region_code")
    out.insert(1, "region", out["region_code"].map(names.region))
    return out.sort_values("rate", ascending=False, na_position="last").reset_index(drop=True)


# --------------------------------------------------------------------------- model status

MODEL_STATUS_COLUMNS: tuple[str, ...] = ("모델", "버전", "학습 데이터", "성능 지표", "생성 시각(KST)")


def _short(fingerprint: Any) -> str:
    return str(fingerprint)[:8] if fingerprint else "-"


WORLD_SIZE_LABELS: dict[str, str] = {"small": "소형", "demo": "시연용", "large": "대형"}
"""Korean name of each world size (``python -m app build --size``)."""

EMPLOYER_MODELS: frozenset[str] = frozenset(
    {"hiring", "market_wages", "occupation_classifier", "ad_verifier", "postings_index", "talent_matcher"}
)
"""Models behind the pages an employer opens (채용 시뮬레이터, 공고 작성 도우미, 공고 사전 점검, 인재 추천): the
only ones 홈 lists for an employer. The seekers' employment model concerns staff only (a unit test
checks this against each model's card and the page access table)."""


def _training_data(info: Mapping[str, Any], world: Mapping[str, Any]) -> str:
    """Which world a model learned from: size, seed and a short fingerprint."""
    fingerprint = info.get("data_fingerprint") or world.get("fingerprint")
    if world and fingerprint == world.get("fingerprint"):
        size = str(world.get("size", "-"))
        return f"{WORLD_SIZE_LABELS.get(size, size)} 세계 · 시드 {world.get('seed', '-')} · 지문 {_short(fingerprint)}"
    # A model trained on another world than the manifest's current one (or no world recorded).
    return f"지문 {_short(fingerprint)}"


def _metrics_text(metrics: Any) -> str:
    if not isinstance(metrics, Mapping):
        return "-"
    # only metrics with a Korean label: internal keys (fpr_all, auc_oracle, train_seconds …) stay
    # on the transparency page's full cards and in the manifest, never on 홈
    parts = [
        format_metric(str(name), value)
        for name, value in metrics.items()
        if str(name) in METRIC_LABELS
        and (value is None or isinstance(value, (int, float, str)))  # nested values are not metrics
    ]
    return ", ".join(parts) or "-"


def compute_model_status(manifest: Mapping[str, Any] | None, *, only: frozenset[str] | None = None) -> pd.DataFrame:
    """One display row per built model of a parsed ``models/manifest.json``.

    Tolerates manifests written by older builds (missing title, metrics or world fields).

    Args:
        manifest: The parsed manifest, or ``None`` when nothing was built.
        only: Manifest keys to list (e.g. :data:`EMPLOYER_MODELS` for an employer); ``None`` lists all.

    Returns:
        Columns :data:`MODEL_STATUS_COLUMNS`: the Korean title (the manifest key when there is
        none), version, training data, metrics with Korean labels (see
        :func:`app.text.korean.format_metric`) and creation time in Korean local time.
    """
    models = (manifest or {}).get("models") or {}
    world = (manifest or {}).get("world") or {}
    rows = [
        (
            str(info.get("title") or name),
            str(info.get("version", "-")),
            _training_data(info, world),
            _metrics_text(info.get("metrics")),
            format_kst_datetime(info.get("created_at")),
        )
        for name, info in sorted(models.items())
        if isinstance(info, Mapping) and (only is None or name in only)
    ]
    return pd.DataFrame(rows, columns=list(MODEL_STATUS_COLUMNS))


def load_models_manifest(models_dir: Path) -> dict[str, Any] | None:
    """The parsed ``models/manifest.json`` (``None`` before the first build); see :mod:`app.ml.manifest`."""
    return load_manifest(models_dir)


def demo_employer_ids(engine: Engine, count: int = 3) -> list[int]:
    """The first ``count`` employer ids for the demo accounts, or ``[]`` while there is no world
    (``python -m app build`` then writes the accounts)."""
    if not world_repo.has_world(engine):
        return []
    ids = employer_repo.load_employer_ids(engine, limit=count)
    return ids if len(ids) >= count else []


def demo_seeker_ids(engine: Engine, count: int = 3) -> list[int]:
    """Seekers for the demo seeker accounts (recently registered, with a résumé, varied occupations),
    or ``[]`` while there is no world or fewer than ``count`` seekers."""
    if not world_repo.has_world(engine):
        return []
    ids = seeker_repo.load_demo_seeker_ids(engine, count=count)
    return ids if len(ids) >= count else []


def postings_stamp(engine: Engine) -> str:
    """A cheap fingerprint of what users change in the postings, read on every page run as a cache key.

    It changes whenever any app process (a replica, the command line) adds a posting, applies a what-if,
    plan or scenario (a new posting version) or decides a version waiting for review, so the cached
    posting tables of every process are re-read at their next run instead of a minute later
    (:func:`app.db.repositories.postings.load_postings_stamp`: three index lookups).

    Returns:
        ``"<max posting id>:<max version id>:<pending versions>"``; ``""`` while there is no world
        (the tables are missing) — callers then fall back to their time-to-live.
    """
    return posting_repo.load_postings_stamp(engine)
