"""Overview and data-explorer use cases: headline figures, breakdowns and filtered tables.

Everything here is read-only and Streamlit-free. Figures are computed from grouped counts
(``app/db/repositories``) so that the cost does not grow with the number of rows, and every rate
says what it is a share *of* (see the ``*_RATE_NOTES`` constants shown as captions in the UI).

Domain errors (:class:`NoWorldError`, :class:`UnknownEmployerError`) carry a Korean message that
the page shows as is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import courses as course_repo
from app.db.repositories import employers as employer_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import world as world_repo
from app.text.formatting import format_krw_wage, format_manwon

BUILD_COMMAND = "python -m app build"

EMPLOYMENT_TYPES: tuple[str, ...] = ("정규직", "계약직", "시간제", "일용직")
"""Employment types a posting can have (fixed vocabulary of the product)."""

AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 29, "29세 이하"),
    (30, 39, "30대"),
    (40, 49, "40대"),
    (50, 59, "50대"),
    (60, 200, "60세 이상"),
)

WAGE_SLIDER_MAX_MANWON = 1_000
"""Upper end of the wage filter in 만원; the top value means "and above" (no upper bound)."""

RATE_NOTES: dict[str, str] = {
    "fill_rate": "결과가 관측된 공고 중 마감일 전에 채용된 공고의 비율",
    "fill_rate_30d": "결과가 관측된 공고 중 게시 후 30일 안에 채용된 공고의 비율",
    "unfilled_rate": "결과가 관측된 공고 중 마감일까지 채용되지 않은 공고의 비율",
    "applications_per_posting": "결과가 관측된 공고 1건당 평균 지원 건수",
    "reemployment": "결과가 관측된 구직자 중 등록 후 180일 안에 고용보험 취업한 비율",
}
"""What each headline rate is a share of (shown under the metrics)."""


class NoWorldError(Exception):
    """The database holds no world yet; the message names the build command."""

    def __init__(self) -> None:
        super().__init__(
            "데이터베이스에 데이터가 없습니다. 터미널에서 "
            f"`{BUILD_COMMAND}` (또는 `make run`)을 실행해 가상 세계를 만든 뒤 새로고침하세요."
        )


class UnknownEmployerError(Exception):
    """The logged-in employer account points at an employer that does not exist."""

    def __init__(self, employer_id: int) -> None:
        super().__init__(
            f"계정에 연결된 구인기업(ID {employer_id})이 데이터베이스에 없습니다. "
            "관리자에게 계정 파일 재생성을 요청하세요."
        )
        self.employer_id = employer_id


# --------------------------------------------------------------------------- reference names


@dataclass(frozen=True)
class ReferenceNames:
    """Code -> Korean name lookups taken from the reference tables.

    Attributes:
        regions: 시도 code -> short name (e.g. ``"11" -> "서울"``).
        occupations: KECO 소분류 code -> name.
        occupation_major: KECO 소분류 code -> 대분류 code.
        majors: KECO 대분류 code -> name.
    """

    regions: Mapping[str, str] = field(default_factory=dict)
    occupations: Mapping[str, str] = field(default_factory=dict)
    occupation_major: Mapping[str, str] = field(default_factory=dict)
    majors: Mapping[str, str] = field(default_factory=dict)

    def region(self, code: Any) -> str:
        """Name of a 시도 code (the code itself when unknown)."""
        return self.regions.get(str(code), str(code))

    def occupation(self, code: Any) -> str:
        """Name of a KECO 소분류 code (the code itself when unknown)."""
        return self.occupations.get(str(code), str(code))

    def major_of(self, code: Any) -> str:
        """KECO 대분류 code of a 소분류 code (its first digit when the reference lacks it)."""
        code = str(code)
        return self.occupation_major.get(code, code[:1])

    def major(self, code: Any) -> str:
        """Name of a KECO 대분류 code (``"대분류 N"`` when unknown)."""
        return self.majors.get(str(code), f"대분류 {code}")


def _column(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    for name in names:
        if name in frame.columns:
            return frame[name]
    return None


def _pairs(frame: pd.DataFrame | None, keys: tuple[str, ...], values: tuple[str, ...]) -> dict[str, str]:
    if frame is None or not isinstance(frame, pd.DataFrame) or frame.empty:
        return {}
    key_col, val_col = _column(frame, *keys), _column(frame, *values)
    if key_col is None or val_col is None:
        return {}
    return {str(k): str(v) for k, v in zip(key_col, val_col, strict=True) if pd.notna(k) and pd.notna(v)}


def reference_names(reference: Any | None) -> ReferenceNames:
    """Build name lookups from the object returned by ``app.world.reference.load_reference()``.

    The reference is read duck-typed (``regions`` and ``occupations`` DataFrames) so that the
    overview still works, showing codes, when the reference tables are not available.

    Args:
        reference: The loaded reference tables, or ``None``.

    Returns:
        Lookups (empty when ``reference`` is ``None``).
    """
    if reference is None:
        return ReferenceNames()
    regions = getattr(reference, "regions", None)
    occupations = getattr(reference, "occupations", None)
    return ReferenceNames(
        regions=_pairs(regions, ("code", "region_code"), ("short", "name")),
        occupations=_pairs(occupations, ("keco_code", "code"), ("name",)),
        occupation_major=_pairs(occupations, ("keco_code", "code"), ("major_code",)),
        majors=_pairs(occupations, ("major_code",), ("major_name",)),
    )


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


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


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
    """The world's reference date ("today" in the simulated world).

    Taken from ``world_meta`` (``as_of``/``observation_end``/…) when the generator wrote
    one, else the last posting opening date — the last day anything happened.
    """
    meta = world_repo.load_world_meta(engine)
    for key in ("as_of", "observation_end", "end_date", "period_end", "reference_date"):
        parsed = _parse_date(meta.get(key))
        if parsed is not None:
            return parsed
    return world_repo.load_date_bounds(engine)["postings"].last


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


def age_band(age: float | int | None) -> str:
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


# --------------------------------------------------------------------------- data explorer


@dataclass(frozen=True)
class FilterOptions:
    """Choices offered by the explorer's filters.

    Attributes:
        regions: 시도 code -> label, in code order.
        majors: KECO 대분류 code -> label.
        occupations: KECO 소분류 code -> (label, 대분류 code).
        date_bounds: Per table (``postings``/``seekers``/``courses``), first and last date.
    """

    regions: Mapping[str, str]
    majors: Mapping[str, str]
    occupations: Mapping[str, tuple[str, str]]
    date_bounds: Mapping[str, tuple[dt.date | None, dt.date | None]]


def compute_filter_options(engine: Engine, names: ReferenceNames) -> FilterOptions:
    """Filter choices: every code in the reference tables plus any code seen in postings.

    Codes seen in the data are added so that imported data with codes missing from the
    reference can still be filtered.
    """
    grain = posting_repo.load_posting_counts(engine)
    region_codes = sorted(set(names.regions) | set(grain["region_code"].astype(str)))
    keco_codes = sorted(set(names.occupations) | set(grain["keco_code"].astype(str)))
    occupations = {c: (f"{c} {names.occupation(c)}".strip(), names.major_of(c)) for c in keco_codes}
    major_codes = sorted({major for _, major in occupations.values()})
    bounds = world_repo.load_date_bounds(engine)
    return FilterOptions(
        regions={c: names.region(c) for c in region_codes},
        majors={m: f"{m} {names.major(m)}" for m in major_codes},
        occupations=occupations,
        date_bounds={k: (b.first, b.last) for k, b in bounds.items()},
    )


@dataclass(frozen=True)
class ExplorerQuery:
    """What the user chose in the explorer's filters.

    Attributes:
        region_codes: 시도 codes (empty = all).
        major_code: KECO 대분류 code or ``None``.
        keco_codes: KECO 소분류 codes (empty = all in the 대분류).
        employment_types: Employment types (postings only; empty = all).
        wage_range_manwon: Monthly wage range in 만원 (postings: offered, seekers: desired);
            the slider's top value means "and above".
        date_range: First and last date (opening / registration / course start).
        mine_only: Employers: only their own postings.
    """

    region_codes: tuple[str, ...] = ()
    major_code: str | None = None
    keco_codes: tuple[str, ...] = ()
    employment_types: tuple[str, ...] = ()
    wage_range_manwon: tuple[int, int] | None = None
    date_range: tuple[dt.date | None, dt.date | None] = (None, None)
    mine_only: bool = False


def _keco_condition(query: ExplorerQuery, names: ReferenceNames) -> tuple[tuple[str, ...], str | None]:
    """Turn the 대분류/소분류 choice into an exact code list or, lacking a reference, a prefix."""
    if query.keco_codes:
        return tuple(query.keco_codes), None
    if query.major_code is None:
        return (), None
    codes = tuple(sorted(c for c, m in names.occupation_major.items() if m == query.major_code))
    return (codes, None) if codes else ((), query.major_code)


def _wage_bounds(query: ExplorerQuery) -> tuple[int | None, int | None]:
    if query.wage_range_manwon is None:
        return None, None
    low, high = query.wage_range_manwon
    return (
        int(low) * 10_000 if low > 0 else None,
        int(high) * 10_000 if high < WAGE_SLIDER_MAX_MANWON else None,
    )


def search_postings(
    engine: Engine,
    query: ExplorerQuery,
    names: ReferenceNames,
    *,
    viewer_employer_id: int | None = None,
) -> pd.DataFrame:
    """Postings matching the explorer query, labelled with region and occupation names.

    Published postings are public information, so employers see everyone's; ``mine`` marks the
    viewer's own (and ``query.mine_only`` keeps only those).

    Args:
        engine: Database engine.
        query: Filter choices.
        names: Reference names.
        viewer_employer_id: The logged-in employer, if any.

    Returns:
        Repository columns plus ``region, occupation, major, mine``.
    """
    codes, prefix = _keco_condition(query, names)
    wage_min, wage_max = _wage_bounds(query)
    flt = posting_repo.PostingFilter(
        region_codes=tuple(query.region_codes),
        keco_codes=codes,
        keco_prefix=prefix,
        employment_types=tuple(query.employment_types),
        wage_min=wage_min,
        wage_max=wage_max,
        date_from=query.date_range[0],
        date_to=query.date_range[1],
        employer_id=viewer_employer_id if (query.mine_only and viewer_employer_id) else None,
    )
    rows = posting_repo.load_postings(engine, flt)
    rows["region"] = rows["region_code"].map(names.region)
    rows["occupation"] = rows["keco_code"].map(names.occupation)
    rows["major"] = rows["keco_code"].map(lambda c: names.major(names.major_of(c)))
    rows["mine"] = (rows["employer_id"] == viewer_employer_id) if viewer_employer_id else False
    return rows


def search_seekers(engine: Engine, query: ExplorerQuery, names: ReferenceNames) -> pd.DataFrame:
    """Pseudonymous seekers matching the query (no direct identifier, exact age replaced by band).

    Returns:
        Columns ``id, age_band, sex, education, region, desired_occupation, desired_wage,
        benefit_status, registered_on, employed_180d, days_to_employment``.
    """
    codes, prefix = _keco_condition(query, names)
    wage_min, wage_max = _wage_bounds(query)
    flt = seeker_repo.SeekerFilter(
        region_codes=tuple(query.region_codes),
        keco_codes=codes,
        keco_prefix=prefix,
        wage_min=wage_min,
        wage_max=wage_max,
        date_from=query.date_range[0],
        date_to=query.date_range[1],
    )
    rows = seeker_repo.load_seekers(engine, flt)
    rows.insert(1, "age_band", rows["age"].map(age_band))
    rows["region"] = rows["region_code"].map(names.region)
    rows["desired_occupation"] = rows["desired_keco"].map(names.occupation)
    # Exact age is a quasi-identifier: drop it once the band exists.
    return rows.drop(columns=["age"])


def search_courses(engine: Engine, query: ExplorerQuery, names: ReferenceNames) -> pd.DataFrame:
    """Courses matching the query's region, occupation and period, with names.

    Returns:
        Repository columns plus ``region, occupation``.
    """
    codes, prefix = _keco_condition(query, names)
    flt = course_repo.CourseFilter(
        region_codes=tuple(query.region_codes),
        keco_codes=codes,
        keco_prefix=prefix,
        date_from=query.date_range[0],
        date_to=query.date_range[1],
    )
    rows = course_repo.load_courses(engine, flt)
    rows["region"] = rows["region_code"].map(names.region)
    rows["occupation"] = rows["keco_code"].map(names.occupation)
    return rows


def _yes_no(value: Any, *, unknown: str = "미확정") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return unknown
    return "예" if bool(value) else "아니오"


def _wage_text(amount: Any, wage_type: Any) -> str:
    if amount is None or pd.isna(amount):
        return "-"
    return format_krw_wage(int(amount), str(wage_type))


def posting_table(rows: pd.DataFrame, *, show_mine: bool = False) -> pd.DataFrame:
    """Display/CSV table of postings with Korean column names and Korean money text.

    Args:
        rows: Output of :func:`search_postings`.
        show_mine: Add the "내 공고" column (employers).

    Returns:
        A new DataFrame; the input is not changed.
    """
    table = pd.DataFrame(
        {
            "공고번호": rows["id"],
            "공고명": rows["title"],
            "기업명": rows["employer_name"],
            "지역": rows["region"],
            "직종": rows["occupation"],
            "고용형태": rows["employment_type"],
            "경력": rows["career"],
            "학력": rows["education"],
            "임금": [_wage_text(a, t) for a, t in zip(rows["wage_amount"], rows["wage_type"], strict=True)],
            "월 환산 임금": [format_manwon(w) for w in rows["wage_monthly"]],
            "주 근로시간": rows["weekly_hours"],
            "모집인원": rows["headcount"],
            "게시일": rows["open_date"],
            "마감일": rows["close_date"],
            "지원자 수": pd.to_numeric(rows["n_applications"]).astype("Int64"),
            "마감 전 채용": [_yes_no(v) for v in rows["filled"]],
            "30일 내 채용": [_yes_no(v) for v in rows["filled_30d"]],
        }
    )
    if show_mine:
        table.insert(0, "내 공고", ["내 공고" if m else "" for m in rows["mine"]])
    return table


_SEX = {"M": "남", "F": "여"}


def seeker_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Display/CSV table of pseudonymous seekers with Korean column names."""
    return pd.DataFrame(
        {
            "구직자 ID": rows["id"],
            "연령대": rows["age_band"],
            "성별": rows["sex"].map(lambda s: _SEX.get(s, "미상")),
            "학력": rows["education"],
            "거주 지역": rows["region"],
            "희망 직종": rows["desired_occupation"],
            "희망 임금": [format_krw_wage(w, "monthly") if pd.notna(w) else "-" for w in rows["desired_wage"]],
            "구직급여 수급": [_yes_no(v, unknown="미상") for v in rows["benefit_status"]],
            "등록일": rows["registered_on"],
            "180일 내 취업": [_yes_no(v) for v in rows["employed_180d"]],
            "취업 소요일": pd.to_numeric(rows["days_to_employment"]).astype("Int64"),
        }
    )


def course_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Display/CSV table of training courses with Korean column names."""
    return pd.DataFrame(
        {
            "과정번호": rows["id"],
            "과정명": rows["title"],
            "훈련기관": rows["institution"],
            "지역": rows["region"],
            "대상 직종": rows["occupation"],
            "훈련유형": rows["course_type"],
            "방식": rows["mode"],
            "훈련시간": rows["hours"],
            "훈련일수": rows["days"],
            "훈련비": [format_manwon(c) for c in rows["cost"]],
            "정원": rows["capacity"],
            "개강일": rows["start_date"],
            "종강일": rows["end_date"],
            "만족도": rows["satisfaction"],
            "6개월 취업률(%)": (pd.to_numeric(rows["employment_rate_6m"]) * 100).round(1),
        }
    )


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV of a display table, UTF-8 with BOM so that Excel opens the Hangul correctly."""
    return table.to_csv(index=False).encode("utf-8-sig")


def compute_fill_rate_by(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Fill rate of already-searched postings per value of ``by`` (e.g. ``region``).

    Args:
        rows: Output of :func:`search_postings`.
        by: Column to group on.

    Returns:
        Columns ``<by>, n_postings, n_outcome, fill_rate``, most postings first.
    """
    if rows.empty:
        return pd.DataFrame({by: [], "n_postings": [], "n_outcome": [], "fill_rate": []})
    filled = rows["filled"].astype("boolean")
    frame = pd.DataFrame(
        {
            by: rows[by],
            "n_postings": 1,
            "n_outcome": filled.notna().astype(int),
            "n_filled": filled.fillna(False).astype(int),
        }
    )
    out = frame.groupby(by, as_index=False)[["n_postings", "n_outcome", "n_filled"]].sum()
    out["fill_rate"] = out["n_filled"] / out["n_outcome"].where(out["n_outcome"] > 0)
    return out.sort_values("n_postings", ascending=False).reset_index(drop=True)[
        [by, "n_postings", "n_outcome", "fill_rate"]
    ]


def compute_postings_by_month(rows: pd.DataFrame) -> pd.DataFrame:
    """Postings opened per month (and their fill rate) among already-searched postings.

    Returns:
        Columns ``month`` (first day, Timestamp), ``n_postings``, ``fill_rate``.
    """
    if rows.empty:
        return pd.DataFrame({"month": pd.to_datetime([]), "n_postings": [], "fill_rate": []})
    frame = rows.assign(month=pd.to_datetime(rows["open_date"]).dt.to_period("M").dt.to_timestamp())
    out = compute_fill_rate_by(frame, "month")
    return out.sort_values("month").reset_index(drop=True)[["month", "n_postings", "fill_rate"]]


def compute_reemployment_of(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """180-day re-employment of already-searched seekers per value of ``by`` (e.g. ``age_band``).

    Args:
        rows: Output of :func:`search_seekers`.
        by: Column to group on.

    Returns:
        Columns ``<by>, n_seekers, n_outcome, rate``; age bands in age order, others by size.
    """
    if rows.empty:
        return pd.DataFrame({by: [], "n_seekers": [], "n_outcome": [], "rate": []})
    employed = rows["employed_180d"].astype("boolean")
    frame = pd.DataFrame(
        {
            by: rows[by],
            "n_seekers": 1,
            "n_outcome": employed.notna().astype(int),
            "n_employed": employed.fillna(False).astype(int),
        }
    )
    out = frame.groupby(by, as_index=False)[["n_seekers", "n_outcome", "n_employed"]].sum()
    out["rate"] = out["n_employed"] / out["n_outcome"].where(out["n_outcome"] > 0)
    if by == "age_band":
        order = {label: i for i, (_, _, label) in enumerate(AGE_BANDS)}
        out = out.sort_values(by, key=lambda s: s.map(order).fillna(len(order)))
    else:
        out = out.sort_values("n_seekers", ascending=False)
    return out.reset_index(drop=True)[[by, "n_seekers", "n_outcome", "rate"]]


def compute_courses_by(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Course count and mean 6-month employment rate of already-searched courses per ``by``.

    Returns:
        Columns ``<by>, n_courses, employment_rate`` (most courses first).
    """
    if rows.empty:
        return pd.DataFrame({by: [], "n_courses": [], "employment_rate": []})
    out = (
        rows.assign(_rate=pd.to_numeric(rows["employment_rate_6m"]))
        .groupby(by, as_index=False)
        .agg(n_courses=("id", "size"), employment_rate=("_rate", "mean"))
    )
    return out.sort_values("n_courses", ascending=False).reset_index(drop=True)
