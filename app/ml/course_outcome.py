"""Course outcome model: a training course's 6-month employment rate, predicted before it starts.

Data: the real K-Digital Training course file (``kdt_training_courses/result_kdtdata_202512.csv.gz``
under the shared data directory; 6,523 course rounds 2021–2026 with 3- and 6-month employment
counts; :func:`load_kdt_courses`). Without it (a clean clone) the build trains on the synthetic
world's courses instead (``source`` says which). The raw rows are never committed; the built model
keeps the known outcomes it needs as history under ``models/`` (never committed either).

When is an outcome known? The file is dated 2025-12. A course's 6-month rate counts completers
employed within 6 months of its end, so it is known only when ``end_date + 6 months`` is on or before
the file's date (courses ending from 2025-06 on mostly carry 0 or nothing yet). Two more rules,
from the data: a course without completers has no rate, and **0 employed among 10 or more
completers** (or fewer employed at 6 months than at 3 months: the count is cumulative) is an
unreported outcome, not a rate of 0 — 55 of the 4,062 closed courses with completers show it, often
in batches of one institution ending the same day, while the other 4,007 courses' rates average
0.52 (sd 0.20). The 3-month rate follows the same rules with a 3-month window.

Features (:func:`course_features`), only what is known when the course starts; a past course counts
only once its outcome is published (``end_date`` + 6 months on or before this course's start, so a
course's own outcome and any later course never enter its features):

* **field prior**: the mean past rate of the course's NCS field, shrunk level by level (NCS 대분류
  2 digits → 중분류 4 → 소분류 6 → the full code) towards the coarser level with
  :data:`FIELD_SHRINKAGE` pseudo-courses, and the past global mean at the top, so thin fields stay
  near their parents;
* **history estimate** (where the booster starts): the field prior plus the mean deviation of the
  programme's published rounds from their own field priors (the same 훈련과정 ID; the institution's
  courses when the programme has none), shrunk towards 0 by :data:`INSTITUTION_SHRINKAGE`;
* the institution's last :data:`RECENT_COURSES` published rates, the programme's last round's rate,
  the round number (earlier rounds started), the number of published courses of the field;
* the course itself: hours, days, fee, fee per hour, capacity, region and NCS 대분류 (categories),
  start month.

Model: a LightGBM regressor (threads from :mod:`app.threads`, seeded) of the deviation of the rate
from the history estimate, weighted by the course's completers (a rate of 30 completers is more
precise than one of 3), predictions clipped to 0–1. With fewer than :data:`MIN_BOOSTER_COURSES`
known outcomes (the small synthetic world) it predicts the history estimate alone.

Validation (:func:`evaluate_time_split`): train on the courses that started before a cutoff, test
on the last :data:`TEST_SHARE` (by start date) of the courses with a known outcome; the test
courses' features read only the training period. On the 2025-12 file (cutoff 2024-06-03, 3,117
training and 890 test courses) the model reaches Spearman 0.44–0.45 and MAE 0.139–0.140 (seeds 1,
2, 17) against 0.214 and 0.160 for the training courses' NCS-code mean. The design was chosen on
an inner split of the training period alone (its last 22 %): starting the booster from the field
prior instead of the history estimate gave inner Spearman 0.47 (outer 0.40), and the course's own
attributes alone on the field prior 0.46 (outer 0.41: hours, fee and capacity nearly identify a
programme, so the booster partly learns programmes from them); adding the demand of
earlier courses (applicants per place of the field and the institution, the field's courses
starting in the previous 90 days), the institution's past completion rate or the 3-month rates
(published 3 months earlier) changed inner Spearman by less than ±0.01 and did not help the MAE, so
they are left out; more or fewer leaves (7–31) and trees (300–800) changed it by ±0.02.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lightgbm import LGBMRegressor
from scipy.stats import spearmanr

from app.config import get_settings
from app.db.repositories import courses as course_repo
from app.db.repositories.courses import COURSE_FRAME_COLUMNS
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard
from app.reference.tables import load_reference
from app.threads import thread_count, threads_for_rows

MODEL_NAME = "course_outcome"
MODEL_VERSION = "1.0"
MODEL_FILE = "course_outcome.pkl"

KDT_FILE = Path("kdt_training_courses") / "result_kdtdata_202512.csv.gz"
"""The real K-Digital Training course file, relative to the shared data directory."""
KDT_AS_OF = pd.Timestamp("2025-12-01")
"""Date of the KDT file (its name says 202512) when the name carries none."""
OUTCOME_MONTHS = 6
"""Months after a course ends until its 6-month employment rate is published."""
UNREPORTED_ZERO_COMPLETERS = 10
"""0 employed among at least this many completers is an unreported outcome (see the module docstring)."""

KDT_EXTRA_COLUMNS: tuple[str, ...] = (
    "employment_rate_3m", "applicants", "completers", "end_date", "days", "programme", "round",
)
"""Columns :func:`load_kdt_courses` adds to :data:`COURSE_FRAME_COLUMNS`."""

NCS_LEVELS: tuple[int, ...] = (2, 4, 6, 8)
"""Digits of the NCS code prefixes the field prior shrinks through (대분류 … full code)."""
FIELD_SHRINKAGE = 8.0
"""Pseudo-courses of the coarser level in a field's prior mean."""
GLOBAL_SHRINKAGE = 20.0
"""Pseudo-courses of the model's overall mean in the past global mean (early courses)."""
INSTITUTION_SHRINKAGE = 3.0
"""Pseudo-courses of 0 deviation in an institution's (and a programme's) mean deviation."""
RECENT_COURSES = 5
"""Courses in an institution's recent mean (its latest published outcomes)."""
MIN_BOOSTER_COURSES = 60
"""Fewer known outcomes than this: predict the field prior alone (no booster)."""
TEST_SHARE = 0.22
"""Share of the known-outcome courses (latest starts) the time split holds out."""
SEED = 17

NUMERIC_FEATURES: tuple[str, ...] = (
    "history_estimate", "field_prior", "field_count", "institution_recent", "programme_last", "hours", "days", "fee",
    "fee_per_hour", "capacity", "start_month", "round",
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("ncs_major", "region")
FEATURES: tuple[str, ...] = (*NUMERIC_FEATURES, *CATEGORICAL_FEATURES)

PARAMS: dict[str, float | int] = {
    "n_estimators": 300, "learning_rate": 0.03, "num_leaves": 15, "min_child_samples": 30,
    "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.8, "reg_lambda": 5.0, "cat_smooth": 20.0,
    "min_data_per_group": 30,
}
"""LightGBM settings (chosen on the training years only; see :func:`evaluate_time_split`)."""


# --------------------------------------------------------------------------- the real KDT file


def _number(values: pd.Series) -> pd.Series:
    """Numbers written as " 9,140,160 ", "76%", "#DIV/0!" or "" -> float (NaN when not a number)."""
    text = values.astype(str).str.replace(",", "", regex=False).str.replace("%", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce")


def _region_codes(regions: pd.Series) -> pd.Series:
    """2-digit 시도 code of "서울 관악구" / "서울특별시 …" ("" when not found)."""
    table = load_reference().regions
    code_of = {**dict(zip(table["short"], table["code"].astype(str), strict=True)),
               **dict(zip(table["name"], table["code"].astype(str), strict=True))}
    first = regions.fillna("").astype(str).str.strip().str.split().str[0].fillna("")
    return first.map(code_of).fillna("")


def _as_of(path: Path) -> pd.Timestamp:
    """Date of a KDT file from a ``YYYYMM`` in its name (first day of that month), else :data:`KDT_AS_OF`."""
    match = re.search(r"(20\d\d)(0[1-9]|1[0-2])", Path(path).name)
    return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1) if match else KDT_AS_OF


def _known_rate(employed: pd.Series, earlier: pd.Series | None, completers: pd.Series, end: pd.Series,
                as_of: pd.Timestamp, months: int) -> pd.Series:
    """Employment rate ``employed / completers`` where it is known (see the module docstring), else NaN."""
    closed = (end + pd.DateOffset(months=months)) <= as_of
    unreported = employed.isna() | (completers <= 0) | ((employed == 0) & (completers >= UNREPORTED_ZERO_COMPLETERS))
    if earlier is not None:
        unreported |= employed < earlier.fillna(0)
    rate = (employed / completers.where(completers > 0)).clip(0, 1)
    return rate.where(closed & ~unreported)


def load_kdt_courses(path: Path) -> pd.DataFrame:
    """The KDT course file as the canonical course frame.

    Args:
        path: The ``result_kdtdata_YYYYMM.csv.gz`` file (UTF-8 with BOM; numbers like " 9,140,160 ",
            rates like "76%").

    Returns:
        :data:`COURSE_FRAME_COLUMNS` plus :data:`KDT_EXTRA_COLUMNS`, one row per course round (exact
        duplicate rows dropped), by start date. ``course_id`` is the file's 고유값, ``programme`` its
        훈련과정 ID and ``round`` its 회차; ``employment_rate_6m``/``_3m`` are NaN where the outcome is
        not known yet or not reported; ``completion_rate`` and ``satisfaction`` are NaN for courses
        not ended by the file's date (and when the file has none), ``applicants`` for courses not started
        by then; ``online`` is False (every KDT
        course in the file is held at a place).
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw.drop_duplicates("고유값").reset_index(drop=True)
    as_of = _as_of(path)
    start = pd.to_datetime(raw["과정시작일"], errors="coerce")
    end = pd.to_datetime(raw["과정종료일"], errors="coerce")
    ended = end <= as_of
    completers = _number(raw["수료인원"])
    employed_3m, employed_6m = _number(raw["취업인원 (3개월)"]), _number(raw["취업인원 (6개월)"])
    ncs = raw["NCS코드"].str.strip()
    ncs = ncs.where(ncs.eq("") | (ncs.str.len() % 2 == 0), "0" + ncs)  # "8020112": a leading zero lost
    title = raw["과정명"].str.strip()
    satisfaction = _number(raw["만족도"])
    frame = pd.DataFrame({
        "course_id": raw["고유값"],
        "title": title,
        "ncs_code": ncs,
        "region_code": _region_codes(raw["지역"].where(raw["지역"].str.strip() != "", raw.get("주소", ""))),
        "online": False,
        "hours": _number(raw["총 훈련시간"]),
        "fee": _number(raw["훈련비"]),
        "start_date": start,
        "text": (title + " " + raw["NCS명"].str.strip()).str.strip(),
        "skills": "",
        "course_type": raw.get("과정페이지 링크", pd.Series("", index=raw.index)).str.extract(
            r"crseTracseSe=(\w+)", expand=False).fillna(""),
        "keco_code": "",
        "capacity": _number(raw["정원"]),
        "institution": raw["훈련기관"].str.strip(),
        "employment_rate_6m": _known_rate(employed_6m, employed_3m, completers, end, as_of, OUTCOME_MONTHS),
        "completion_rate": (_number(raw["수료율"]) / 100).clip(0, 1).where(ended),
        "satisfaction": satisfaction.where(ended & (satisfaction > 0)),
        "employment_rate_3m": _known_rate(employed_3m, None, completers, end, as_of, 3),
        "applicants": _number(raw["수강신청 인원"]).where(start <= as_of),
        "completers": completers.where(ended),
        "end_date": end,
        "days": _number(raw["총 훈련일수"]),
        "programme": raw["훈련과정 ID"].str.strip(),
        "round": _number(raw["회차"]),
    })
    frame = frame[[*COURSE_FRAME_COLUMNS, *KDT_EXTRA_COLUMNS]]
    return frame.sort_values(["start_date", "course_id"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- features (past only)


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as float days since 1970 (NaT -> NaN)."""
    values = pd.to_datetime(dates)
    return np.where(values.isna(), np.nan, values.to_numpy("datetime64[D]").astype("int64").astype(float))


@dataclass(frozen=True)
class _Past:
    """Per target row: how many history rows of its key came before it, their sum, the last value and
    the sum of the last :data:`RECENT_COURSES` values."""

    count: np.ndarray
    total: np.ndarray
    last: np.ndarray
    recent_total: np.ndarray

    def mean(self, shrinkage: float = 0.0, towards: np.ndarray | float = 0.0) -> np.ndarray:
        """Mean shrunk towards ``towards`` with ``shrinkage`` pseudo-rows (NaN without rows or shrinkage)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return (self.total + shrinkage * towards) / (self.count + shrinkage)

    def recent_mean(self) -> np.ndarray:
        """Mean of the last :data:`RECENT_COURSES` values (NaN without rows)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.recent_total / np.minimum(self.count, RECENT_COURSES)


def _past(target_keys: np.ndarray, target_time: np.ndarray, keys: np.ndarray, times: np.ndarray,
          values: np.ndarray, *, strict: bool = False) -> _Past:
    """Count, sum, last value and recent sum of the history rows with the target's key whose time is
    on or before (``strict``: before) the target's time. Rows with a NaN time or value are left out."""
    n = len(target_keys)
    count, total, last, recent = np.zeros(n), np.zeros(n), np.full(n, np.nan), np.zeros(n)
    keep = ~(np.isnan(times) | np.isnan(values))
    order = np.lexsort((times[keep], keys[keep]))
    keys, times, values = keys[keep][order], times[keep][order], values[keep][order]
    if not len(keys):
        return _Past(count, total, last, recent)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    bounds = dict(zip(keys[starts], zip(starts, np.r_[starts[1:], len(keys)], strict=True), strict=True))
    side = "left" if strict else "right"
    for key, rows in pd.Series(np.arange(n)).groupby(target_keys, sort=False).indices.items():
        if key == "" or key not in bounds:  # an unknown institution, programme or field has no history
            continue
        lo, hi = bounds[key]
        pos = np.searchsorted(times[lo:hi], np.nan_to_num(target_time[rows], nan=-np.inf), side=side)
        # per key, from its first row: a sum never carries rounding from other keys' or later rows
        cumulative = np.r_[0.0, np.cumsum(values[lo:hi])]
        count[rows] = pos
        total[rows] = cumulative[pos]
        recent[rows] = cumulative[pos] - cumulative[np.maximum(pos - RECENT_COURSES, 0)]
        last[rows] = np.where(pos > 0, values[lo + np.maximum(pos, 1) - 1], np.nan)
    return _Past(count, total, last, recent)


def _published_days(history: pd.DataFrame) -> np.ndarray:
    """When each history course's 6-month outcome is published (end + 6 months), float days."""
    return _days(pd.to_datetime(history["end_date"]) + pd.DateOffset(months=OUTCOME_MONTHS))


def _ncs(frame: pd.DataFrame, digits: int) -> np.ndarray:
    return frame["ncs_code"].fillna("").astype(str).str[:digits].to_numpy(object)


def field_prior(courses: pd.DataFrame, history: pd.DataFrame, prior_mean: float) -> tuple[np.ndarray, np.ndarray]:
    """The shrunk NCS-field mean of the outcomes published before each course starts, and the number
    of published courses of its full NCS code (see the module docstring)."""
    start = _days(courses["start_date"])
    published = _published_days(history)
    rate = history["employment_rate_6m"].to_numpy(float)
    everywhere = _past(np.zeros(len(courses)), start, np.zeros(len(history)), published, rate)
    prior = everywhere.mean(GLOBAL_SHRINKAGE, prior_mean)
    count = everywhere.count
    for digits in NCS_LEVELS:
        level = _past(_ncs(courses, digits), start, _ncs(history, digits), published, rate)
        prior = level.mean(FIELD_SHRINKAGE, prior)
        count = level.count
    return prior, count


def course_features(courses: pd.DataFrame, history: pd.DataFrame, prior_mean: float) -> pd.DataFrame:
    """The history estimate and the :data:`FEATURES` of ``courses``, from what was known at each start.

    Args:
        courses: Canonical course frame (``start_date`` needed; ``institution``, ``programme``,
            ``days`` used when present).
        history: Canonical course frame of the past courses, with ``end_date``: an outcome counts
            from its publication (``end_date`` + 6 months) on or before a course's start, a round
            from its ``start_date`` before it.
        prior_mean: Overall mean the field prior starts from before any outcome is published.

    Returns:
        One row per course (same index as ``courses``): ``history_estimate`` (the field prior plus
        the programme's shrunk mean deviation from its field priors, or the institution's when the
        programme has no published round: where the booster starts) and :data:`FEATURES`, NaN
        where unknown.
    """
    start = _days(courses["start_date"])
    published = _published_days(history)
    rate = history["employment_rate_6m"].to_numpy(float)
    prior, field_count = field_prior(courses, history, prior_mean)
    deviation = rate - field_prior(history, history, prior_mean)[0]  # each past course against its own field

    def keys(name: str, frame: pd.DataFrame) -> np.ndarray:
        return frame[name].fillna("").astype(str).to_numpy(object) if name in frame else np.full(len(frame), "", object)

    institution, programme = keys("institution", courses), keys("programme", courses)
    past_institution, past_programme = keys("institution", history), keys("programme", history)
    institution_deviation = _past(institution, start, past_institution, published, deviation)
    programme_deviation = _past(programme, start, past_programme, published, deviation)
    institution_rate = _past(institution, start, past_institution, published, rate)
    programme_rate = _past(programme, start, past_programme, published, rate)
    rounds = _past(programme, start, past_programme, _days(history["start_date"]), np.ones(len(history)), strict=True)
    own_deviation = np.where(programme_deviation.count > 0, programme_deviation.mean(INSTITUTION_SHRINKAGE),
                             institution_deviation.mean(INSTITUTION_SHRINKAGE))
    hours, fee = courses["hours"].to_numpy(float), courses["fee"].to_numpy(float)
    return pd.DataFrame({
        "history_estimate": prior + own_deviation,
        "field_prior": prior,
        "field_count": field_count,
        "institution_recent": institution_rate.recent_mean(),
        "programme_last": programme_rate.last,
        "hours": hours,
        "days": courses["days"].to_numpy(float) if "days" in courses else np.full(len(courses), np.nan),
        "fee": fee,
        "fee_per_hour": fee / np.where(hours > 0, hours, np.nan),
        "capacity": courses["capacity"].to_numpy(float),
        "start_month": pd.to_datetime(courses["start_date"]).dt.month.to_numpy(float),
        "round": rounds.count + 1,
        "ncs_major": _ncs(courses, 2),
        "region": courses["region_code"].fillna("").astype(str).to_numpy(object),
    }, index=courses.index)


# --------------------------------------------------------------------------- the model


@dataclass
class CourseOutcomeModel:
    """The fitted course outcome model (see the module docstring).

    Attributes:
        booster: LightGBM regressor of the deviation from the field prior, or ``None`` (too few
            known outcomes: the prediction is the field prior).
        history: The courses it learned from (canonical columns the features read): the past a new
            course's features are computed from.
        prior_mean: Weighted mean outcome of the training courses (the field prior's start).
        categories: Levels of each categorical feature, as fitted.
        source: ``"kdt"`` (real K-Digital Training courses) or ``"world"`` (the synthetic world).
        metrics: Build metrics (also in the manifest).
    """

    booster: LGBMRegressor | None
    history: pd.DataFrame
    prior_mean: float
    categories: dict[str, list[str]]
    source: str
    metrics: dict[str, float | str] = field(default_factory=dict)
    version: str = MODEL_VERSION

    def features(self, courses: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
        """:func:`course_features` against :attr:`history` (or ``history``), categories as fitted."""
        frame = course_features(courses, self.history if history is None else history, self.prior_mean)
        for name in CATEGORICAL_FEATURES:
            frame[name] = pd.Categorical(frame[name], categories=self.categories.get(name, []))
        return frame

    def predict(self, courses: pd.DataFrame, history: pd.DataFrame | None = None) -> np.ndarray:
        """Predicted 6-month employment rate (0–1) of each course from what was known when it starts.

        Args:
            courses: Canonical course frame (``ncs_code, region_code, hours, fee, capacity,
                start_date``; ``institution``, ``programme``, ``days`` when known). A course with
                no start date is treated as starting after every known outcome.
            history: Past courses to read instead of :attr:`history` (evaluation and tests).
        """
        courses = courses.copy()
        courses["start_date"] = pd.to_datetime(courses["start_date"]).fillna(pd.Timestamp.max.normalize())
        frame = self.features(courses, history)
        prior = frame["history_estimate"].to_numpy(float)
        if self.booster is None or not len(frame):
            return np.clip(prior, 0, 1)
        booster = self.booster.booster_
        deviation = booster.predict(frame[list(FEATURES)], num_threads=threads_for_rows(len(frame)))
        return np.clip(prior + deviation, 0, 1)


def _weights(courses: pd.DataFrame) -> np.ndarray:
    """Completers of each course (its rate's precision), 1 where unknown."""
    if "completers" not in courses:
        return np.ones(len(courses))
    return courses["completers"].astype(float).fillna(1.0).clip(1.0, None).to_numpy()


def fit_course_outcome(courses: pd.DataFrame, *, seed: int, source: str = "kdt") -> CourseOutcomeModel:
    """Fit the model on every course of ``courses`` with a known ``employment_rate_6m``.

    Args:
        courses: Canonical course frame with ``end_date`` (all rounds: the ones without an outcome
            still give demand and round numbers).
        seed: LightGBM seed.
        source: ``"kdt"`` or ``"world"`` (recorded on the model).
    """
    known = courses[courses["employment_rate_6m"].notna() & courses["start_date"].notna()]
    weights = _weights(known)
    rate = known["employment_rate_6m"].to_numpy(float)
    prior_mean = float(np.average(rate, weights=weights)) if len(known) else 0.5
    history = courses.reset_index(drop=True)
    features = course_features(known, history, prior_mean)
    categories = {name: sorted(set(features[name])) for name in CATEGORICAL_FEATURES}
    model = CourseOutcomeModel(booster=None, history=history, prior_mean=prior_mean, categories=categories,
                               source=source)
    if len(known) < MIN_BOOSTER_COURSES:
        return model
    frame = model.features(known)
    target = rate - frame["history_estimate"].to_numpy(float)
    booster = LGBMRegressor(**PARAMS, random_state=seed, n_jobs=thread_count(), verbose=-1)
    booster.fit(frame[list(FEATURES)], target, sample_weight=weights, categorical_feature=list(CATEGORICAL_FEATURES))
    model.booster = booster
    return model


# --------------------------------------------------------------------------- time-split validation


def _field_mean_baseline(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    """The baseline: each test course's NCS-code mean over the training courses (global mean if none)."""
    known = train[train["employment_rate_6m"].notna()]
    means = known.groupby("ncs_code")["employment_rate_6m"].mean()
    return test["ncs_code"].map(means).fillna(known["employment_rate_6m"].mean()).to_numpy(float)


def time_split(courses: pd.DataFrame, test_share: float = TEST_SHARE) -> pd.Timestamp:
    """The start date from which the last ``test_share`` of the courses with a known outcome start."""
    known = courses.loc[courses["employment_rate_6m"].notna(), "start_date"].dropna().sort_values()
    return pd.Timestamp(known.iloc[int(round(len(known) * (1 - test_share)))])


def evaluate_time_split(courses: pd.DataFrame, *, seed: int, test_share: float = TEST_SHARE) -> dict[str, float]:
    """Train on the courses that started before the cutoff, test on the known outcomes after it.

    The test courses' features read only the training period's courses (a model fitted at the
    cutoff knows nothing later), each still limited to what was published before its own start.

    Returns:
        ``kdt_spearman``, ``kdt_mae`` (the model on the test courses), ``kdt_spearman_ncs_mean``,
        ``kdt_mae_ncs_mean`` (the training courses' NCS-code mean, global mean where the code is
        new), ``n_train``, ``n_test`` (courses with a known outcome) and ``cutoff`` (YYYYMMDD as a
        number).
    """
    cutoff = time_split(courses, test_share)
    train = courses[courses["start_date"] < cutoff]
    test = courses[(courses["start_date"] >= cutoff) & courses["employment_rate_6m"].notna()]
    model = fit_course_outcome(train, seed=seed)
    truth = test["employment_rate_6m"].to_numpy(float)
    predicted = model.predict(test)
    baseline = _field_mean_baseline(train, test)
    return {
        "kdt_spearman": round(float(spearmanr(predicted, truth).statistic), 4),
        "kdt_mae": round(float(np.abs(predicted - truth).mean()), 4),
        "kdt_spearman_ncs_mean": round(float(spearmanr(baseline, truth).statistic), 4),
        "kdt_mae_ncs_mean": round(float(np.abs(baseline - truth).mean()), 4),
        "n_train": float(train["employment_rate_6m"].notna().sum()),
        "n_test": float(len(test)),
        "cutoff": float(cutoff.strftime("%Y%m%d")),
    }


def kdt_benchmark(shared_dir: Path, seed: int) -> dict[str, float]:
    """The time-split figures of the real KDT file under ``shared_dir`` (for ``bench/``).

    Returns:
        :func:`evaluate_time_split`'s keys, or ``{}`` when the file is not there.
    """
    path = Path(shared_dir) / KDT_FILE
    if not path.exists():
        return {}
    return evaluate_time_split(load_kdt_courses(path), seed=seed)


# --------------------------------------------------------------------------- build and load


def kdt_path() -> Path | None:
    """The KDT file under the configured shared data directory, or ``None`` (a clean clone)."""
    path = get_settings().shared_data_dir / KDT_FILE
    return path if path.exists() else None


def training_source() -> str:
    """What the build trains on: ``"kdt:<bytes>"`` for the real file, ``"world"`` without it (the
    artifact rebuilds when the file appears, changes or goes)."""
    path = kdt_path()
    return f"kdt:{path.stat().st_size}" if path is not None else "world"


def build_course_outcome(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: fit on the real KDT courses when the file is there (with the time-split
    figures), else on the world's courses; either way on every course with a known outcome."""
    started = time.perf_counter()
    path = kdt_path()
    metrics: dict[str, float | str] = {}
    if path is not None:
        courses, source = load_kdt_courses(path), "kdt"
        metrics.update(evaluate_time_split(courses, seed=ctx.seed))
    else:
        courses, source = course_repo.load_course_frame(ctx.engine), "world"
    model = fit_course_outcome(courses, seed=ctx.seed, source=source)
    known = float(courses["employment_rate_6m"].notna().sum())
    model.metrics = {
        **metrics, "source": source, "n_known_outcomes": known, "kdt_courses": known if source == "kdt" else 0.0,
        "n_courses": float(len(courses)), "booster": float(model.booster is not None),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    return save_fitted(ctx, model, MODEL_FILE, model.metrics)


def load_course_outcome(models_dir: Path) -> CourseOutcomeModel:
    """The built model (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="훈련과정 취업성과 예측모델", build=build_course_outcome,
                    config_fingerprint=training_source)
"""The course outcome model (real KDT courses when the shared data is there)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="훈련과정 취업성과 예측모델",
    purpose="직업훈련 과정이 시작하기 전에, 그 과정 수료생의 6개월 내 취업률이 어느 정도일지 추정해 훈련 추천의 "
            "한 요소(과정의 취업 성과)로 씁니다.",
    output="과정별 예상 6개월 취업률(0~100%). 훈련 추천 목록에서 과정의 예상 취업 성과로 나타납니다.",
    shown_on=("training", "seeker_training", "training_policy"),
    criteria=("NCS 분야의 과거 취업률(분야가 좁을수록 상위 분야 쪽으로 당겨 추정)", "훈련기관의 과거 과정 취업률",
              "같은 과정 이전 회차의 취업률", "훈련시간·일수", "훈련비와 시간당 훈련비", "정원", "지역", "시작 월",
              "회차"),
    not_used="개인에 관한 정보는 쓰지 않습니다. 과정 정보와, 과정 시작 전에 이미 공개된 과거 과정의 성과만 씁니다.",
    training_data="실제 K-디지털 트레이닝 과정 자료(2021~2026년 과정 6,523회차, 2025년 12월 기준)가 있으면 그 자료로, "
                  "없으면 가상 세계의 훈련과정으로 학습합니다. 어느 쪽으로 학습했는지는 측정 성능의 '학습에 쓴 실제 "
                  "K-디지털 트레이닝 과정' 수로 알 수 있습니다(0이면 가상 세계). "
                  "6개월 취업률은 과정 종료 6개월 뒤에야 알려지므로, 그 전의 과정과 수료생 10명 이상인데 취업자가 0명으로 "
                  "적힌 과정(미보고로 봄)은 성과를 모르는 과정으로 둡니다.",
    human_oversight="과정 선택을 정하지 않습니다. 상담사가 구직자와 함께 다른 정보(훈련 내용, 일정, 비용)와 같이 보고 "
                    "판단하는 참고 값입니다. 정책·운영 담당자가 빌드 때 기록된 시간 분할 검증 결과를 확인합니다.",
    contest="과정의 예상 취업률이 실제와 다르다고 보이면 담당 상담사나 관할 고용센터에 알려 주세요. 담당자가 그 과정의 "
            "분야·기관의 과거 성과와 함께 검토합니다.",
    limits="과거 과정의 성과로 추정하므로 처음 열리는 기관·과정은 분야 평균에 가깝게 나옵니다. 실제 자료는 "
           "K-디지털 트레이닝(주로 정보통신 분야, 서울·경기 중심) 과정뿐이라 다른 훈련 유형에는 맞지 않을 수 있고, "
           "예측과 실제 취업률의 순위 상관은 중간 정도입니다.",
    quality_metrics=("kdt_spearman", "kdt_spearman_ncs_mean", "kdt_mae", "kdt_mae_ncs_mean", "n_train", "n_test",
                     "kdt_courses", "n_known_outcomes"),
    fairness_note="개인 특성을 쓰지 않는 과정 단위 예측이라 집단별 공정성 지표는 해당하지 않습니다. 자료가 적은 분야·"
                  "지역의 과정은 오차가 더 클 수 있습니다.",
)
"""Transparency notice of the course outcome model (:mod:`app.ml.model_card`)."""
