"""Recommendations shown, and the policy view of them (정책·운영): which courses are recommended most,
to whom (age band, education), whether the seekers then enrolled, completed and found work, and
which courses are recommended but never taken.

Outcomes are the observed ones only: ``enrolments`` (enrolled, completed) and ``seeker_outcomes``
(insured employment within 180 days of registration); never a ``truth_*`` table. An enrolment
counts as "after the recommendation" when it started on or after the day (KST) the course was first
shown for that seeker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.access import ROLE_LABELS
from app.db.repositories import training_plans as repo
from app.db.repositories import unit_of_work
from app.db.repositories import world as world_repo
from app.reference.codes import SEEKER_EDUCATION
from app.services.overview import AGE_BANDS, age_band
from app.services.training.plan import TrainingPlanError, course_place
from app.text.korean import KST

AGE_SHARE_PREFIX: Final[str] = "age_share:"
"""Prefix of the summary's columns of the share of recommended seekers in each age band."""
EDUCATION_SHARE_PREFIX: Final[str] = "education_share:"
"""Prefix of the summary's columns of the share of recommended seekers at each education level."""
AGE_SHARE_COLUMNS: Final[tuple[str, ...]] = tuple(AGE_SHARE_PREFIX + label for _, _, label in AGE_BANDS)
EDUCATION_SHARE_COLUMNS: Final[tuple[str, ...]] = tuple(EDUCATION_SHARE_PREFIX + level for level in SEEKER_EDUCATION)
SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    "course_id", "title", "institution", "place", "times_recommended", "seekers_recommended", "mean_score",
    *AGE_SHARE_COLUMNS, *EDUCATION_SHARE_COLUMNS,
    "enrolled_after", "uptake_rate", "completion_rate_after", "employment_rate_after",
    "enrolled_total", "completion_rate_total", "employment_rate_total", "never_taken",
)
"""Columns of :func:`recommendation_summary`: per course, how often and to whom it was recommended
(shares of the distinct seekers), then the recommended seekers who enrolled after it and how they
fared, then every enrolee of the course (its realised outcomes), and the never-taken flag."""
SUMMARY_LABELS: Final[dict[str, str]] = {
    "title": "훈련과정", "institution": "훈련기관", "place": "지역", "times_recommended": "추천 횟수",
    "seekers_recommended": "추천 구직자 수", "mean_score": "평균 기대 효과(%p)",
    **{AGE_SHARE_PREFIX + label: f"{label} 비율" for _, _, label in AGE_BANDS},
    **{EDUCATION_SHARE_PREFIX + level: f"{level} 비율" for level in SEEKER_EDUCATION},
    "enrolled_after": "추천 후 수강", "uptake_rate": "수강 전환율", "completion_rate_after": "추천 후 수강자 수료율",
    "employment_rate_after": "추천 후 수강자 취업률", "enrolled_total": "전체 수강생",
    "completion_rate_total": "전체 수료율", "employment_rate_total": "전체 수강생 취업률",
    "never_taken": "추천만 되고 수강 없음",
}
"""Korean column names of :func:`summary_table` (rates are shares 0–1)."""


# --------------------------------------------------------------------------- recommendations shown


def _kst_day_start_utc(now: dt.datetime | None = None) -> dt.datetime:
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(KST)
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def record_shown(engine: Engine, seeker_id: int, rows: pd.DataFrame, model_version: str, role: str) -> int:
    """Store the courses shown to a user as recommendations for a seeker (the policy view counts them).

    The same course shown again the same day (KST) for the same seeker, by the same model to the
    same role, is not stored again: a page drawn anew is not a new recommendation.

    Args:
        engine: Product database.
        seeker_id: The seeker the list is for.
        rows: ``course_id, rank, score`` of each course shown (``score``: expected uplift of the
            6-month employment probability, probability points); course ids as numbers or digit strings.
        model_version: The recommender's version.
        role: Role of the user it was shown to (``counsellor``, ``seeker`` …).

    Returns:
        Rows stored.

    Raises:
        TrainingPlanError: Missing columns, a course id that is not a number, an unknown role or an
            empty model version.
    """
    missing = [c for c in ("course_id", "rank", "score") if c not in rows.columns]
    if missing:
        raise TrainingPlanError(f"추천 결과에 {', '.join(missing)} 열이 없습니다.")
    if role not in ROLE_LABELS:
        raise TrainingPlanError(f"알 수 없는 역할입니다: {role}")
    version = str(model_version or "").strip()
    if not version or len(version) > 40:
        raise TrainingPlanError("모델 버전은 1~40자여야 합니다.")
    try:
        ranked = [(int(c), int(r), float(s)) for c, r, s in zip(rows["course_id"], rows["rank"], rows["score"],
                                                                   strict=True)]
    except (TypeError, ValueError):
        raise TrainingPlanError("추천 결과의 과정 번호·순위·점수는 숫자여야 합니다.") from None
    if not ranked:
        return 0
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        return repo.add_recommendations(uow, seeker_id=int(seeker_id), ranked=ranked, model_version=version, role=role,
                                        seen_since=_kst_day_start_utc())


# --------------------------------------------------------------------------- the policy view


def _shares(pairs: pd.DataFrame, column: str, values: tuple[str, ...], prefix: str) -> pd.DataFrame:
    """Per course, the share of its distinct recommended seekers at each of ``values`` of ``column``."""
    counts = pd.crosstab(pairs["course_id"], pairs[column]).reindex(columns=list(values), fill_value=0)
    shares = counts.div(pairs.groupby("course_id")["seeker_id"].nunique(), axis=0)
    return shares.rename(columns=lambda v: prefix + str(v))


def _rate(flags: pd.Series) -> float:
    """Share of true values among the known ones (NaN when none is known)."""
    known = flags.dropna()
    return float(known.astype(bool).mean()) if len(known) else float("nan")


def _outcomes(enrolments: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """Per course: distinct enrolled seekers, their completion rate and 180-day employment rate."""
    columns = [f"enrolled_{suffix}", f"completion_rate_{suffix}", f"employment_rate_{suffix}"]
    if enrolments.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="course_id"))
    grouped = enrolments.groupby("course_id")
    return pd.DataFrame({
        columns[0]: grouped["seeker_id"].nunique(),
        columns[1]: grouped["completed"].apply(_rate),
        columns[2]: grouped["employed_180d"].apply(_rate),
    })


def recommendation_summary(engine: Engine) -> pd.DataFrame:
    """Per recommended course: how often, to whom, and what followed (:data:`SUMMARY_COLUMNS`).

    ``times_recommended`` counts the stored showings (one per seeker, course, model, role and day),
    ``seekers_recommended`` the distinct seekers; the age-band and education shares are of those
    seekers. ``enrolled_after`` counts recommended seekers who enrolled in the course on or after
    the day it was first shown for them (no later than the data's reference date, its "today"), ``uptake_rate`` = that / ``seekers_recommended``, with their
    completion and 180-day employment rates; the ``*_total`` columns describe every enrolee of the
    course. ``never_taken``: no recommended seeker enrolled after the recommendation. Rates are NaN
    when nobody is counted. Most recommended first.
    """
    repo.ensure_tables(engine)
    recs = repo.load_recommendations(engine)
    if recs.empty:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    recs["shown_on"] = [pd.Timestamp(t).tz_localize("UTC").tz_convert(KST).date() for t in recs["shown_at"]]
    # "today" of the data is its reference date (기준일): a world built earlier is shown as of that
    # day, so a recommendation made now counts from it (in production the two are the same day)
    today = world_repo.load_reference_date(engine)
    if today is not None:
        recs["shown_on"] = [min(day, today) for day in recs["shown_on"]]
    recs["age_band"] = recs["age"].map(age_band)
    pairs = (recs.groupby(["course_id", "seeker_id"], as_index=False)
             .agg(first_shown=("shown_on", "min"), age_band=("age_band", "first"), education=("education", "first")))
    per_course = recs.groupby("course_id").agg(times_recommended=("seeker_id", "size"), mean_score=("score", "mean"))
    per_course["seekers_recommended"] = pairs.groupby("course_id")["seeker_id"].nunique()

    course_ids = per_course.index.astype(int).tolist()
    enrolments = repo.load_enrolment_outcomes(engine, course_ids)
    enrolments["employed_180d"] = enrolments["employed_180d"].astype(object)  # NULL stays unknown, not False
    after = enrolments.merge(pairs[["course_id", "seeker_id", "first_shown"]], on=["course_id", "seeker_id"])
    after = after[[pd.Timestamp(e).date() >= f for e, f in zip(after["enrolled_on"], after["first_shown"], strict=True)]]

    facts = repo.load_course_facts(engine, course_ids).set_index("course_id")
    out = per_course.join([
        _shares(pairs, "age_band", tuple(label for _, _, label in AGE_BANDS), AGE_SHARE_PREFIX),
        _shares(pairs, "education", SEEKER_EDUCATION, EDUCATION_SHARE_PREFIX),
        _outcomes(after, "after"), _outcomes(enrolments, "total"), facts,
    ])
    for column in ("enrolled_after", "enrolled_total"):
        out[column] = out[column].fillna(0).astype(int)
    out["uptake_rate"] = out["enrolled_after"] / out["seekers_recommended"]
    out["never_taken"] = out["enrolled_after"] == 0
    out["place"] = [course_place(r, m) for r, m in zip(out["region_code"], out["mode"], strict=True)]
    out = out.reset_index().rename(columns={"index": "course_id"})
    out["course_id"] = out["course_id"].astype(int)
    rates = [c for c in SUMMARY_COLUMNS if c.startswith(("completion_rate", "employment_rate"))]
    out[rates] = out[rates].astype(float)
    out = out.sort_values(["times_recommended", "seekers_recommended", "course_id"], ascending=[False, False, True])
    return out[list(SUMMARY_COLUMNS)].reset_index(drop=True)


def never_taken(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`recommendation_summary` whose course no recommended seeker took."""
    return summary[summary["never_taken"].astype(bool)].reset_index(drop=True)


def recommended_never_taken(engine: Engine) -> pd.DataFrame:
    """Courses recommended but taken by none of the seekers they were recommended to (after the
    recommendation), most recommended first (:func:`recommendation_summary` rows)."""
    return never_taken(recommendation_summary(engine))


@dataclass(frozen=True)
class PolicyOverview:
    """What the policy page shows: the per-course summary, the never-taken courses, the headline
    counts and the data's reference date."""

    summary: pd.DataFrame
    never: pd.DataFrame
    as_of: dt.date | None

    @property
    def headline(self) -> dict[str, int]:
        """Courses recommended, seekers recommended to (counted per course), enrolled afterwards,
        courses never taken."""
        return {"courses": len(self.summary), "seekers": int(self.summary["seekers_recommended"].sum()),
                "enrolled_after": int(self.summary["enrolled_after"].sum()), "never_taken": len(self.never)}

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps of the view: the counts and the first 20 courses."""
        return {"courses": len(self.summary), "times_recommended": int(self.summary["times_recommended"].sum()),
                "never_taken": len(self.never), "course_ids": self.summary["course_id"].astype(int).head(20).tolist()}


def policy_overview(engine: Engine) -> PolicyOverview:
    """The summary (computed once) with its never-taken rows, for the policy page."""
    summary = recommendation_summary(engine)
    return PolicyOverview(summary=summary, never=never_taken(summary), as_of=world_repo.load_reference_date(engine))


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`recommendation_summary` as a Korean table (no ids; shares 0–1; the flag as 예/아니오)."""
    table = summary.drop(columns=["course_id"]).copy()
    table["mean_score"] = np.round(table["mean_score"].astype(float) * 100, 2)
    table["never_taken"] = np.where(table["never_taken"].astype(bool), "예", "아니오")
    return table.rename(columns=SUMMARY_LABELS)
