"""Data-explorer use cases: filter choices, filtered searches, display/CSV tables and their charts' data.

Everything here is read-only and Streamlit-free. Searches return repository rows labelled with
Korean names; ``*_table`` functions turn them into display/CSV tables with Korean column names and
money text; ``compute_*`` functions summarise rows the user has already searched (so the charts
always describe exactly what the table shows).

Seekers are pseudonymous: no direct identifier ever leaves the repository, and the exact age is
replaced by an age band (:func:`app.services.overview.age_band`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import courses as course_repo
from app.db.repositories import postings as posting_repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import world as world_repo
from app.exports import csv_bytes
from app.reference.names import ReferenceNames
from app.services.overview import AGE_BANDS, age_band
from app.text.korean import format_manwon, format_wage

"""Employment types a posting can have (fixed vocabulary of the product)."""

WAGE_SLIDER_MAX_MANWON = 1_000
"""Upper end of the wage filter in 만원; the top value means "and above" (no upper bound)."""


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


def _filter_args(query: ExplorerQuery, names: ReferenceNames, *, wage: bool = True) -> dict[str, Any]:
    """Keyword arguments the repository filters share: region, occupation, period (and wage)."""
    codes, prefix = _keco_condition(query, names)
    args: dict[str, Any] = {
        "region_codes": tuple(query.region_codes),
        "keco_codes": codes,
        "keco_prefix": prefix,
        "date_from": query.date_range[0],
        "date_to": query.date_range[1],
    }
    if wage:
        args["wage_min"], args["wage_max"] = _wage_bounds(query)
    return args


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
    flt = posting_repo.PostingFilter(
        **_filter_args(query, names),
        employment_types=tuple(query.employment_types),
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
    rows = seeker_repo.load_seekers(engine, seeker_repo.SeekerFilter(**_filter_args(query, names)))
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
    flt = course_repo.CourseFilter(**_filter_args(query, names, wage=False))
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
    return format_wage(str(wage_type), int(amount))


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
            "희망 임금": [format_wage("monthly", w) if pd.notna(w) else "-" for w in rows["desired_wage"]],
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
    """CSV of a display table through the one export writer (formula cells neutralised, UTF-8 with
    BOM so that Excel opens the Hangul correctly)."""
    return csv_bytes(table)


def _observed_share(rows: pd.DataFrame, by: str, outcome: str, *, count: str, rate: str) -> pd.DataFrame:
    """Per value of ``by``: rows (``count``), rows whose yes/no ``outcome`` is known
    (``n_outcome``) and the share of yes among those (``rate``).

    Outcomes not observed yet (NA) count as rows but stay out of the rate's denominator.
    """
    if rows.empty:
        return pd.DataFrame({by: [], count: [], "n_outcome": [], rate: []})
    known = rows[outcome].astype("boolean")
    frame = pd.DataFrame(
        {
            by: rows[by],
            count: 1,
            "n_outcome": known.notna().astype(int),
            "_yes": known.fillna(False).astype(int),
        }
    )
    out = frame.groupby(by, as_index=False)[[count, "n_outcome", "_yes"]].sum()
    out[rate] = out["_yes"] / out["n_outcome"].where(out["n_outcome"] > 0)
    return out[[by, count, "n_outcome", rate]]


def compute_fill_rate_by(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Fill rate of already-searched postings per value of ``by`` (e.g. ``region``).

    Args:
        rows: Output of :func:`search_postings`.
        by: Column to group on.

    Returns:
        Columns ``<by>, n_postings, n_outcome, fill_rate``, most postings first.
    """
    out = _observed_share(rows, by, "filled", count="n_postings", rate="fill_rate")
    return out.sort_values("n_postings", ascending=False).reset_index(drop=True)


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
    out = _observed_share(rows, by, "employed_180d", count="n_seekers", rate="rate")
    if by == "age_band":
        order = {label: i for i, (_, _, label) in enumerate(AGE_BANDS)}
        out = out.sort_values(by, key=lambda s: s.map(order).fillna(len(order)))
    else:
        out = out.sort_values("n_seekers", ascending=False)
    return out.reset_index(drop=True)


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
