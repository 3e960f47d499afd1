"""AI 직업훈련추천: courses ranked by what they are expected to do for *this* seeker's chance of a
job (issue 17; ``docs/training.md``).

A course's score is its **expected uplift**: the probability that the seeker completes it times
the gain in their 6-month employment probability if they do,

    uplift(s, c) = P(complete | s, c) × (expit(L0(s) + effect(s, c)) − expit(L0(s))),

where ``L0`` is the seeker's employment log-odds without training. Each part is a model learnt
from the history (enrolments, completions and outcomes of past seekers), not popularity:

* **baseline** ``L0`` — LightGBM on the seeker's own features, trained on seekers who completed no
  course and cross-fitted, so the effect model below sees an honest baseline;
* **effect** — a logistic model *with that baseline as offset*, fitted on every past seeker, whose
  terms switch on only for those who completed a course: the course's relevance to the desired
  occupation (same KECO 소분류 / 중분류 / 대분류, text similarity), the share of the seeker's skill
  gap it covers, the course's expected employment rate (published past rounds, shrunk to its field)
  and how the seeker's age, schooling and career change the benefit of a relevant course;
* **completion** — a logistic model on enrolments: relevance, length, an in-person course away from
  home, age, the course's past completion rate and expected rate.

Why logistic models written here (iteratively reweighted least squares with a ridge penalty) rather
than scikit-learn's: the effect model needs an offset and the coefficients' covariance (for each
recommendation's uncertainty interval), which ``LogisticRegression`` has neither of, and statsmodels
is not a dependency for ~40 lines. Every term is a named, signed contribution, so a ranking is
explained by its components (relevance, skill gap, course quality, completion).

Candidates come from three generators (occupation similarity, gap coverage and what similar past
seekers took: collaborative), then every candidate is scored by the uplift above. The same object
scores world seekers (the pages) and the command line's files: both give the canonical frames of
:mod:`app.db.repositories.courses`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from scipy.special import expit
from sklearn.model_selection import StratifiedKFold

from app.db.repositories import courses as course_repo
from app.db.repositories.seekers import load_seeker_records
from app.ml.course_match import CourseIndex, SkillGap, compute_skill_gap
from app.ml.course_outcome import MODEL_FILE as OUTCOME_FILE
from app.ml.course_outcome import CourseOutcomeModel
from app.ml.employment import EDUCATION_LEVEL
from app.ml.employment_features import load_as_of, market_demand, split_cohorts
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, load_object, save_fitted
from app.ml.model_card import ModelCard
from app.reference.tables import Reference, load_reference
from app.threads import thread_count, threads_for_rows

MODEL_NAME = "training_recommender"
MODEL_VERSION = "1.1"
MODEL_FILE = "training_recommender.pkl"

DEFAULT_EDUCATION_LEVEL = 2.0
"""An unknown education is scored as 전문대졸 (the middle level)."""
PERSON_FEATURES: tuple[str, ...] = (
    "age", "education_level", "career_years", "n_certificates", "benefit_status", "log_occupation_demand",
    "log_region_demand", "svc_matching", "svc_nes", "svc_counselling",
)
"""The baseline's features: computable from a command-line file too (services then 0)."""

EFFECT_TERMS: tuple[str, ...] = (
    "trained", "relevance", "similarity", "gap_relevant", "quality", "relevant_high_school", "relevant_young",
    "relevant_older", "relevant_career",
)
"""Terms of the completed course's effect. ``relevance`` is the closeness of the course's target
occupation to the desired one in the KECO hierarchy (1 same 소분류, ⅔ same 중분류, ⅓ same 대분류,
0 other); the skill gap and the seeker's traits act through it (a course of another field closes no
gap of the desired occupation)."""
COMPLETION_TERMS: tuple[str, ...] = (
    "intercept", "relevance", "similarity", "far", "long_course", "older50", "quality", "completion_prior", "online",
)
TERM_COMPONENT: dict[str, str] = {
    "trained": "기본 효과", "relevance": "희망 직종 관련성", "similarity": "희망 직종 관련성",
    "gap_relevant": "부족 역량 보완", "quality": "과정 성과", "relevant_high_school": "개인 특성",
    "relevant_young": "개인 특성", "relevant_older": "개인 특성", "relevant_career": "개인 특성",
}
"""Each effect term's component, the unit in which a ranking is explained."""
COMPONENTS: tuple[str, ...] = ("희망 직종 관련성", "부족 역량 보완", "과정 성과", "개인 특성", "기본 효과")

RIDGE = 1.0
"""Ridge penalty of the logistic models (on every coefficient but the first)."""
RATE_PSEUDO_ROUNDS = 2.0
"""Weight (in rounds) of the field mean when shrinking a programme's published employment rates."""
MAX_CANDIDATES = 400
"""Candidates scored per seeker at most; beyond it the generators choose (similarity, gap, history)."""
GENERATOR_DEPTH = 150
NEIGHBOURS = 40
"""Past seekers whose courses make the collaborative generator and the "비슷한 구직자" reason."""
LONG_COURSE_HOURS = 600.0
CARD_SUPPORT_LIMIT = 3_000_000
"""국민내일배움카드: 3–5M KRW over five years (domain facts §5); the lower limit, as a seeker's
remaining balance is not known here."""
FREE_COURSE_TYPES = frozenset({"C0104", "C0054", "C0055C"})
"""K-디지털 트레이닝, 국가기간·전략산업직종 and 과정평가형: no self-pay for job seekers (§5)."""


# --------------------------------------------------------------------------- logistic model


@dataclass
class LogitModel:
    """A ridge-penalised logistic regression with an optional offset and the coefficients' covariance.

    Attributes:
        terms: Name of each column of the design.
        coef: Coefficients.
        cov: Their covariance (inverse penalised Hessian at the optimum).
    """

    terms: tuple[str, ...]
    coef: np.ndarray
    cov: np.ndarray

    @classmethod
    def fit(cls, terms: Sequence[str], x: np.ndarray, y: np.ndarray, *, offset: np.ndarray | None = None,
            ridge: float = RIDGE, max_iter: int = 100) -> LogitModel:
        """Fit by Newton–Raphson (IRLS); the first column is not penalised."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
        penalty = np.full(x.shape[1], float(ridge))
        penalty[0] = 0.0
        beta = np.zeros(x.shape[1])
        hessian = np.eye(x.shape[1])
        for _ in range(max_iter):
            p = expit(off + x @ beta)
            w = p * (1.0 - p)
            gradient = x.T @ (y - p) - penalty * beta
            hessian = (x * w[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
            step = np.linalg.solve(hessian, gradient)
            beta = beta + step
            if np.max(np.abs(step)) < 1e-8:
                break
        return cls(tuple(terms), beta, np.linalg.inv(hessian))

    def linear(self, x: np.ndarray) -> np.ndarray:
        """Linear predictor (without offset)."""
        return np.asarray(x, dtype=float) @ self.coef

    def standard_error(self, x: np.ndarray) -> np.ndarray:
        """Standard error of the linear predictor of each row."""
        x = np.asarray(x, dtype=float)
        return np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", x, self.cov, x), 0.0))


# --------------------------------------------------------------------------- course side


def self_pay(fee: np.ndarray, course_type: np.ndarray, expected_rate: np.ndarray) -> np.ndarray:
    """Self-pay (KRW) after 국민내일배움카드 support.

    K-디지털 트레이닝, 국가기간·전략산업직종 and 과정평가형 courses cost a job seeker nothing; other
    courses leave 15–55 % to the seeker by the course's employment rate (15 % from 60 %, 35 % from
    40 %, else 55 %), and the card pays at most :data:`CARD_SUPPORT_LIMIT`. Income-based
    reductions are not known here, so this is the upper estimate.
    """
    fee = np.nan_to_num(np.asarray(fee, dtype=float), nan=0.0)
    rate = np.nan_to_num(np.asarray(expected_rate, dtype=float), nan=0.0)
    share = np.where(rate >= 0.6, 0.15, np.where(rate >= 0.4, 0.35, 0.55))
    support = np.minimum(fee * (1.0 - share), CARD_SUPPORT_LIMIT)
    free = np.isin(np.asarray(course_type, dtype=object).astype(str), list(FREE_COURSE_TYPES))
    return np.where(free, 0.0, np.round(fee - support, -3))


def expected_course_rate(courses: pd.DataFrame, field_mean: dict[str, float], overall: float, *,
                         history: pd.DataFrame | None = None, as_of: pd.Series | None = None,
                         prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A course's expected 6-month employment rate and how many past rounds it rests on.

    With ``history`` (every round of the world, ``programme_code`` and ``end_date``), the published
    rates of the same programme's rounds are averaged — only rounds whose rate was published
    (180 days after their end) before ``as_of`` (a date per course; default: all published) — and
    shrunk to the NCS field's mean with :data:`RATE_PSEUDO_ROUNDS` pseudo-rounds (empirical Bayes),
    so a new programme gets its field's rate and a long record its own. Without it (a file's
    courses) a course's own ``employment_rate_6m`` counts as one round. ``prior`` (the course outcome
    model's prediction from what was known before the course started) replaces the field mean as
    what a course without a record of its own is expected to achieve.
    """
    n = len(courses)
    field = courses["ncs_code"].astype(str).str[:2].map(field_mean).fillna(overall).to_numpy(float)
    if prior is not None:
        field = np.where(np.isfinite(prior), np.asarray(prior, dtype=float), field)
    total = np.zeros(n)
    count = np.zeros(n)
    if history is not None and "programme_code" in courses and as_of is None:
        published = history.dropna(subset=["employment_rate_6m"]).groupby("programme_code")["employment_rate_6m"]
        codes = courses["programme_code"].astype(str)
        total = codes.map(published.sum()).fillna(0.0).to_numpy(float)
        count = codes.map(published.size()).fillna(0.0).to_numpy(float)
    elif history is not None and "programme_code" in courses:
        published = history.dropna(subset=["employment_rate_6m"])
        groups = {code: (pd.to_datetime(g["end_date"]).to_numpy() + np.timedelta64(180, "D"),
                         g["employment_rate_6m"].to_numpy(float)) for code, g in published.groupby("programme_code")}
        limits = pd.to_datetime(as_of).to_numpy()
        for i, code in enumerate(courses["programme_code"].astype(str)):
            found = groups.get(code)
            if found is None:
                continue
            shown, rates = found
            mask = shown <= limits[i]
            total[i] = float(rates[mask].sum())
            count[i] = float(mask.sum())
    else:
        own = pd.to_numeric(courses["employment_rate_6m"], errors="coerce").to_numpy(float)
        known = ~np.isnan(own)
        total[known] = own[known]
        count[known] = 1.0
    rate = (total + RATE_PSEUDO_ROUNDS * field) / (count + RATE_PSEUDO_ROUNDS)
    return rate, count


# --------------------------------------------------------------------------- pair features


def person_matrix(seekers: pd.DataFrame, occupation_demand: dict[str, float], region_demand: dict[str, float]) -> pd.DataFrame:
    """:data:`PERSON_FEATURES` of canonical seeker rows (services 0 when absent)."""
    certificates = seekers["certificates"].fillna("").astype(str)
    frame = pd.DataFrame({
        "age": pd.to_numeric(seekers["age"], errors="coerce").to_numpy(float),
        "education_level": seekers["education"].map(EDUCATION_LEVEL).fillna(DEFAULT_EDUCATION_LEVEL).to_numpy(float),
        "career_years": pd.to_numeric(seekers["career_years"], errors="coerce").fillna(0.0).to_numpy(float),
        "n_certificates": certificates.map(lambda s: len([c for c in s.split(";") if c])).to_numpy(float),
        "benefit_status": pd.to_numeric(seekers["benefit_status"], errors="coerce").fillna(0.0).to_numpy(float),
        "log_occupation_demand": seekers["desired_keco"].astype(str).map(occupation_demand).fillna(0.0).to_numpy(float),
        "log_region_demand": seekers["region_code"].astype(str).map(region_demand).fillna(0.0).to_numpy(float),
    })
    for service in ("svc_matching", "svc_nes", "svc_counselling"):
        frame[service] = pd.to_numeric(seekers[service], errors="coerce").fillna(0.0).to_numpy(float) \
            if service in seekers else 0.0
    return frame[list(PERSON_FEATURES)]


@dataclass(frozen=True)
class PairInputs:
    """What the pair features of one seeker against many courses need."""

    desired_keco: str
    region_code: str
    age: float
    high_school: bool
    career_years: float
    similarity: np.ndarray
    course_keco: np.ndarray
    coverage: np.ndarray
    quality: np.ndarray
    completion_prior: np.ndarray
    hours: np.ndarray
    online: np.ndarray
    course_region: np.ndarray


def pair_design(inputs: PairInputs) -> dict[str, np.ndarray]:
    """Every term of :data:`EFFECT_TERMS` and :data:`COMPLETION_TERMS` for one seeker × courses."""
    n = len(inputs.course_keco)
    keco = pd.Series(inputs.course_keco, dtype=object).astype(str)
    desired = inputs.desired_keco
    same = (keco == desired).to_numpy(float)
    middle = ((keco.str[:2] == desired[:2]).to_numpy(float)) * (1.0 - same)
    major = ((keco.str[:1] == desired[:1]).to_numpy(float)) * (1.0 - same) * (1.0 - middle)
    relevance = same + middle * 2.0 / 3.0 + major / 3.0
    age = inputs.age if np.isfinite(inputs.age) else 40.0
    career = min(max(inputs.career_years, 0.0), 15.0) / 15.0
    far = (~inputs.online.astype(bool)) & (inputs.course_region.astype(str) != "") & (
        inputs.course_region.astype(str) != (inputs.region_code or "")) & bool(inputs.region_code)
    ones = np.ones(n)
    return {
        "trained": ones, "intercept": ones, "relevance": relevance, "relevant_occupation": same,
        "relevant_middle": middle, "relevant_major": major, "similarity": inputs.similarity.astype(float),
        "gap_relevant": inputs.coverage * relevance, "quality": inputs.quality.astype(float),
        "relevant_high_school": relevance * float(inputs.high_school), "relevant_young": relevance * float(age < 35),
        "relevant_older": relevance * float(age >= 55), "relevant_career": relevance * career, "far": far.astype(float),
        "long_course": (inputs.hours >= LONG_COURSE_HOURS).astype(float), "older50": ones * float(age >= 50),
        "completion_prior": inputs.completion_prior.astype(float), "online": inputs.online.astype(float),
    }


def course_positions(index: CourseIndex, course_ids: pd.Series) -> np.ndarray:
    """Positions in ``index`` of the given course ids (every id must be in the index)."""
    order = pd.Index(np.asarray(index.course_ids).astype(str))
    positions = order.get_indexer(pd.Series(course_ids).astype(str).to_numpy())
    if (positions < 0).any():
        raise ValueError("course ids missing from the course index")
    return positions


def _design(terms: Sequence[str], design: dict[str, np.ndarray]) -> np.ndarray:
    return np.column_stack([design[t] for t in terms])


# --------------------------------------------------------------------------- the model


@dataclass
class History:
    """Past seekers' enrolments for the collaborative generator and reasons.

    Attributes:
        frame: ``desired_keco``, ``programme_code``, ``completed``, ``employed`` and the
            standardised person columns ``z_age``, ``z_education``, ``z_career``.
    """

    frame: pd.DataFrame

    def similar(self, desired_keco: str, person: pd.Series, *, k: int = NEIGHBOURS) -> pd.DataFrame:
        """Per programme: how many of the ``k`` nearest past enrollees took it, completed it and
        were employed within six months (same KECO 중분류 first; same 소분류 counts as nearer)."""
        pool = self.frame[self.frame["desired_keco"].str[:2] == desired_keco[:2]]
        if len(pool) < 10:
            pool = self.frame
        if pool.empty:
            return pd.DataFrame(columns=["programme_code", "took", "completed", "employed"])
        query = np.array([person["z_age"], person["z_education"], person["z_career"]])
        distance = np.sqrt(((pool[["z_age", "z_education", "z_career"]].to_numpy(float) - query) ** 2).sum(axis=1))
        distance = distance + np.where(pool["desired_keco"].to_numpy() == desired_keco, 0.0, 1.0)
        nearest = pool.iloc[np.argsort(distance, kind="stable")[:k]]
        return (nearest.groupby("programme_code").agg(took=("completed", "size"), completed=("completed", "sum"),
                                                      employed=("employed", "sum")).reset_index())


@dataclass
class TrainingRecommender:
    """The fitted recommender (``models/training_recommender.pkl``).

    Attributes:
        baseline: LightGBM on :data:`PERSON_FEATURES` of seekers without a completed course.
        effect: Logistic model of the completed course's effect (offset: the baseline's log-odds).
        completion: Logistic model of completing an enrolled course.
        occupation_demand: KECO 소분류 → log postings per seeker relative to all (0 unknown).
        region_demand: 시도 code → the same by region.
        field_rate: NCS 대분류 → mean published 6-month employment rate; ``overall_rate`` the mean.
        quality_scale: (mean, sd) that standardise an expected rate into the ``quality`` term.
        completion_scale: (mean, sd) of published completion rates (``completion_prior`` term).
        person_scale: mean and sd of age, education level and career (history distances).
        history: Past enrollees (``None``: no collaborative part).
        outcome: The course outcome model (``course_outcome`` artifact: real K-Digital Training
            courses when the build had them): what a course is expected to achieve before its own
            record counts (``None``: its NCS field's mean).
        metrics: Build metrics.
    """

    baseline: LGBMClassifier
    effect: LogitModel
    completion: LogitModel
    occupation_demand: dict[str, float]
    region_demand: dict[str, float]
    field_rate: dict[str, float]
    overall_rate: float
    quality_scale: tuple[float, float]
    completion_scale: tuple[float, float]
    person_scale: dict[str, tuple[float, float]]
    history: History | None = None
    outcome: CourseOutcomeModel | None = None
    version: str = MODEL_VERSION
    metrics: dict[str, float] = field(default_factory=dict)

    # ------------------------------------------------------------------ course side

    def course_side(self, courses: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
        """Expected rate, its history count, the standardised quality and completion terms and the
        self-pay of every course (computed once per course set).

        Args:
            courses: Courses to score.
            history: Every round with ``programme_code`` (the world: past rounds' published
                rates); ``None`` for a file's courses (their own outcome columns).
        """
        rate, rounds = self.expected_rates(courses, history)
        mean, sd = self.quality_scale
        c_mean, c_sd = self.completion_scale
        completion = pd.to_numeric(courses["completion_rate"], errors="coerce").to_numpy(float)
        if history is not None and "programme_code" in courses:
            by_programme = history.groupby("programme_code")["completion_rate"].mean()
            completion = np.where(np.isnan(completion), courses["programme_code"].map(by_programme).to_numpy(float),
                                  completion)
        prior = "과정 정보로 예측" if self.outcome is not None else "같은 분야 평균"
        basis = [f"지난 {int(n)}회차와 {prior}" if n else prior for n in rounds]
        return pd.DataFrame({
            "expected_rate": rate, "rate_rounds": rounds, "rate_basis": basis, "quality": (rate - mean) / sd,
            "completion_prior": np.nan_to_num((completion - c_mean) / c_sd, nan=0.0),
            "completion_rate": completion, "self_pay": self_pay(courses["fee"], courses["course_type"], rate),
        }, index=courses.index)

    def expected_rates(self, courses: pd.DataFrame, history: pd.DataFrame | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Each course's expected 6-month employment rate and how many published rounds of its own
        it rests on (:func:`expected_course_rate`, with the course outcome model's prediction as
        the prior when there is one)."""
        prior = None
        if self.outcome is not None and len(courses):
            prior = self.outcome.predict(courses, history if history is not None and "programme" in history else None)
        return expected_course_rate(courses, self.field_rate, self.overall_rate, history=history, prior=prior)

    # ------------------------------------------------------------------ scoring

    def probability_without(self, seekers: pd.DataFrame) -> np.ndarray:
        """Each seeker's 6-month employment probability without training (the baseline)."""
        person = person_matrix(seekers, self.occupation_demand, self.region_demand)
        return expit(self.baseline_logit(person))

    def baseline_logit(self, person: pd.DataFrame) -> np.ndarray:
        """Employment log-odds without training."""
        p = self.baseline.predict_proba(person[list(PERSON_FEATURES)], num_threads=threads_for_rows(len(person)))[:, 1]
        p = np.clip(p, 1e-4, 1 - 1e-4)
        return np.log(p / (1 - p))

    def score_seeker(self, seeker: pd.Series, person: pd.Series, logit0: float, courses: pd.DataFrame,
                     side: pd.DataFrame, index: CourseIndex, gap: SkillGap) -> pd.DataFrame:
        """Every course's uplift for one seeker, with its parts and component contributions.

        Returns:
            One row per course (same order): ``uplift``, ``uplift_low``, ``uplift_high``,
            ``p_complete``, ``effect`` (gain if completed), ``similarity``, ``gap_coverage``,
            ``covered``, ``relevance`` (Korean), one column per :data:`COMPONENTS` (probability
            points of the gain if completed) and the course side.
        """
        desired = str(seeker["desired_keco"])
        similarity = index.occupation_similarity(desired)
        coverage, covered = index.gap_coverage(gap)
        positions = course_positions(index, courses["course_id"])
        similarity, coverage = similarity[positions], coverage[positions]
        covered = [covered[p] for p in positions]
        inputs = PairInputs(
            desired_keco=desired, region_code=str(seeker.get("region_code") or ""),
            age=float(person["age"]) if pd.notna(person["age"]) else float("nan"),
            high_school=str(seeker.get("education") or "") in ("중졸이하", "고졸"),
            career_years=float(person["career_years"]), similarity=similarity,
            course_keco=index.inferred_keco()[positions], coverage=coverage,
            quality=side["quality"].to_numpy(float), completion_prior=side["completion_prior"].to_numpy(float),
            hours=courses["hours"].to_numpy(float), online=courses["online"].to_numpy(bool),
            course_region=courses["region_code"].astype(str).to_numpy(),
        )
        design = pair_design(inputs)
        x_effect = _design(EFFECT_TERMS, design)
        effect_logit = self.effect.linear(x_effect)
        effect_se = self.effect.standard_error(x_effect)
        p0 = float(expit(logit0))
        gain = expit(logit0 + effect_logit) - p0
        gain_low = expit(logit0 + effect_logit - 1.96 * effect_se) - p0
        gain_high = expit(logit0 + effect_logit + 1.96 * effect_se) - p0
        p_complete = expit(self.completion.linear(_design(COMPLETION_TERMS, design)))
        out = pd.DataFrame({
            "uplift": p_complete * gain, "uplift_low": p_complete * gain_low, "uplift_high": p_complete * gain_high,
            "p_complete": p_complete, "effect": gain, "p_without": p0, "similarity": similarity,
            "gap_coverage": coverage, "covered": covered, "relevance": _relevance_labels(design),
        }, index=courses.index)
        # Components: each term's log-odds times the slope at the midpoint, rescaled to sum to the gain.
        terms = x_effect * self.effect.coef
        for component in COMPONENTS:
            out[component] = 0.0
        total = terms.sum(axis=1)
        scale = np.divide(gain, total, out=np.zeros_like(gain), where=np.abs(total) > 1e-9)
        for j, term in enumerate(EFFECT_TERMS):
            out[TERM_COMPONENT[term]] += terms[:, j] * scale
        return pd.concat([out, side], axis=1)

    def recommend(self, seekers: pd.DataFrame, courses: pd.DataFrame, *, top: int = 10,
                  ref: Reference | None = None, index: CourseIndex | None = None,
                  history: pd.DataFrame | None = None, side: pd.DataFrame | None = None) -> pd.DataFrame:
        """The ``top`` courses of every seeker (canonical frames; ``docs/training.md``).

        ``index`` is a course index holding ``courses`` (built when ``None``); ``history`` every
        past round (see :meth:`course_side`); ``side`` the course side of ``courses`` when already
        computed (same index).

        Returns:
            ``seeker_id, rank, course_id, score, reasons`` (score = expected uplift in the 6-month
            employment probability, probability points) plus the parts of :meth:`score_seeker`.
            Only courses with a positive expected uplift, one round per programme (when
            ``programme_code`` is given): a seeker may get fewer than ``top``.
        """
        ref = ref or load_reference()
        if side is not None:
            side = side.loc[courses.index].reset_index(drop=True)
        courses = courses.reset_index(drop=True)
        index = index or CourseIndex.build(courses, ref)
        side = self.course_side(courses, history) if side is None else side
        person = person_matrix(seekers, self.occupation_demand, self.region_demand)
        logit0 = self.baseline_logit(person) if len(person) else np.zeros(0)
        parts = []
        for i in range(len(seekers)):
            seeker = seekers.iloc[i]
            gap = compute_skill_gap(ref, str(seeker["desired_keco"]), str(seeker.get("skills_text") or ""),
                                    str(seeker.get("certificates") or ""))
            similar = self.similar_programmes(seeker, person.iloc[i], courses)
            candidates = self.candidates(seeker, courses, side, index, gap, similar)
            scored = self.score_seeker(seeker, person.iloc[i], float(logit0[i]), courses.loc[candidates],
                                       side.loc[candidates], index, gap)
            scored = self.with_history(scored, courses.loc[candidates], similar)
            order = np.lexsort((courses.loc[candidates, "course_id"].astype(str).to_numpy(), -scored["uplift"].to_numpy()))
            ranked = scored.iloc[order]
            # a course expected to lower the chance (an unrelated one costs search time) is no recommendation
            ranked = ranked[ranked["uplift"] > 0]
            if "programme_code" in courses:
                # one round per programme: the best; its other rounds are the same course on other dates
                ranked = ranked[~courses.loc[ranked.index, "programme_code"].astype(str).duplicated().to_numpy()]
            best = ranked.head(top).copy()
            best.insert(0, "course_id", courses.loc[best.index, "course_id"].astype(str).to_numpy())
            best.insert(0, "rank", np.arange(1, len(best) + 1))
            best.insert(0, "seeker_id", str(seeker["seeker_id"]))
            best["score"] = best["uplift"].round(6)
            best["reasons"] = [reason_text(row, gap) for row in best.to_dict("records")]
            parts.append(best)
        if not parts:
            return pd.DataFrame(columns=["seeker_id", "rank", "course_id", "score", "reasons"])
        return pd.concat(parts, ignore_index=True)

    def similar_programmes(self, seeker: pd.Series, person: pd.Series, courses: pd.DataFrame) -> pd.DataFrame | None:
        """What the nearest past enrollees did per programme (:meth:`History.similar`), or ``None``
        without history or programme codes (a file's courses)."""
        if self.history is None or "programme_code" not in courses:
            return None
        return self.history.similar(str(seeker["desired_keco"]), self._z(person)).set_index("programme_code")

    def candidates(self, seeker: pd.Series, courses: pd.DataFrame, side: pd.DataFrame, index: CourseIndex,
                   gap: SkillGap, similar: pd.DataFrame | None) -> pd.Index:
        """Course rows to score: all when few, else the union of the generators (occupation
        similarity, skill-gap coverage, similar seekers' programmes, expected rate)."""
        if len(courses) <= MAX_CANDIDATES:
            return courses.index
        positions = course_positions(index, courses["course_id"])
        similarity = index.occupation_similarity(str(seeker["desired_keco"]))[positions]
        coverage = index.gap_coverage(gap)[0][positions]
        chosen = set(np.argsort(-similarity, kind="stable")[:GENERATOR_DEPTH])
        chosen |= set(np.argsort(-(coverage + 0.01 * similarity), kind="stable")[:GENERATOR_DEPTH])
        if similar is not None:
            chosen |= set(np.flatnonzero(courses["programme_code"].isin(similar.index).to_numpy()))
        chosen |= set(np.argsort(-side["expected_rate"].to_numpy(), kind="stable")[:GENERATOR_DEPTH // 3])
        return courses.index[sorted(chosen)]

    def _z(self, person: pd.Series) -> pd.Series:
        out = {}
        for key, column in (("z_age", "age"), ("z_education", "education_level"), ("z_career", "career_years")):
            mean, sd = self.person_scale[column]
            value = float(person[column]) if pd.notna(person[column]) else mean
            out[key] = (value - mean) / sd
        return pd.Series(out)

    @staticmethod
    def with_history(scored: pd.DataFrame, courses: pd.DataFrame, similar: pd.DataFrame | None) -> pd.DataFrame:
        """Adds ``similar_took``, ``similar_completed``, ``similar_employed``: what the nearest past
        seekers did with the course's programme (0 without history)."""
        scored = scored.assign(similar_took=0, similar_completed=0, similar_employed=0)
        if similar is None:
            return scored
        codes = courses["programme_code"].astype(str)
        for column, source in (("similar_took", "took"), ("similar_completed", "completed"),
                               ("similar_employed", "employed")):
            scored[column] = codes.map(similar[source]).fillna(0).astype(int).to_numpy()
        return scored


def _relevance_labels(design: dict[str, np.ndarray]) -> list[str]:
    return np.where(design["relevant_occupation"] > 0, "희망 직종 과정", np.where(
        design["relevant_middle"] > 0, "유사 직종 과정", np.where(design["relevant_major"] > 0, "같은 직업군 과정",
                                                             "다른 분야 과정"))).tolist()


def reason_text(row: dict, gap: SkillGap) -> str:
    """The Korean reasons of one recommendation, items joined by " · " (no ids, no English)."""
    similarity = float(row["similarity"])
    closeness = "높음" if similarity >= 0.5 else "보통" if similarity >= 0.25 else "낮음"
    items = [f"{row['relevance']}(희망 직종과 내용 유사도 {closeness})"]
    covered = tuple(row.get("covered") or ())
    if gap.missing:
        if covered:
            items.append(f"부족 역량 {len(gap.missing)}개 중 {len(covered)}개 보완({', '.join(covered[:3])})")
        else:
            items.append("부족 역량 보완 없음")
    items.append(f"예상 취업률 {row['expected_rate'] * 100:.0f}%({row.get('rate_basis') or '같은 분야 평균'})")
    items.append(f"예상 수료 확률 {row['p_complete'] * 100:.0f}%")
    if int(row.get("similar_took") or 0):
        items.append(f"비슷한 구직자 {int(row['similar_took'])}명 수강, {int(row['similar_employed'])}명 6개월 내 취업")
    items.append(f"취업확률 {row['uplift'] * 100:+.1f}%p 예상")
    return " · ".join(items)


# --------------------------------------------------------------------------- build


def seeker_frame(records: pd.DataFrame, certificate_names: dict[int, str]) -> pd.DataFrame:
    """Canonical seeker rows (:data:`app.db.repositories.courses.SEEKER_FRAME_COLUMNS`) of the
    world's seeker records, keeping their ``svc_*`` flags (the baseline's features)."""
    frame = pd.DataFrame({
        "seeker_id": records["id"].astype(int).astype(str).to_numpy(),
        "desired_keco": records["desired_keco"].astype(str).to_numpy(),
        "region_code": records["desired_region_code"].astype(str).to_numpy(),
        "age": records["age"].astype(float).to_numpy(),
        "education": records["education"].astype(str).to_numpy(),
        "career_years": records["career_years"].astype(float).to_numpy(),
        "certificates": records["id"].astype(int).map(certificate_names).fillna("").to_numpy(),
        "skills_text": records["skills"].fillna("").astype(str).to_numpy(),
        "benefit_status": records["benefit_status"].astype(float).to_numpy(),
    })
    for service in ("svc_matching", "svc_nes", "svc_counselling"):
        if service in records:
            frame[service] = records[service].astype(float).to_numpy()
    return frame


def _baseline_params(seed: int) -> dict:
    return {"n_estimators": 200, "learning_rate": 0.05, "num_leaves": 15, "min_child_samples": 40,
            "subsample": 0.8, "subsample_freq": 1, "random_state": seed, "n_jobs": thread_count(), "verbose": -1}


def cross_fitted_baseline(person: pd.DataFrame, employed: np.ndarray, untreated: np.ndarray, *, seed: int,
                          folds: int = 5) -> tuple[LGBMClassifier, np.ndarray]:
    """(baseline fitted on every untreated seeker, honest log-odds for every seeker): untreated
    rows get the prediction of the fold model that did not see them, treated rows the mean of the
    fold models (none saw them)."""
    x = person[list(PERSON_FEATURES)]
    y = np.asarray(employed, dtype=int)
    untreated_rows = np.flatnonzero(untreated)
    out = np.zeros(len(x))
    treated_sum = np.zeros(len(x))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(untreated_rows, y[untreated_rows]):
        model = LGBMClassifier(**_baseline_params(seed)).fit(x.iloc[untreated_rows[train]], y[untreated_rows[train]])
        out[untreated_rows[test]] = model.predict_proba(x.iloc[untreated_rows[test]])[:, 1]
        treated_sum += model.predict_proba(x)[:, 1]
    out = np.where(untreated, out, treated_sum / folds)
    out = np.clip(out, 1e-4, 1 - 1e-4)
    final = LGBMClassifier(**_baseline_params(seed)).fit(x.iloc[untreated_rows], y[untreated_rows])
    return final, np.log(out / (1 - out))


def fit_training_recommender(ref: Reference, courses: pd.DataFrame, cohort: pd.DataFrame, enrolments: pd.DataFrame,
                             demand: tuple[dict[str, float], dict[str, float]], *, seed: int,
                             index: CourseIndex | None = None, outcome: CourseOutcomeModel | None = None,
                             ) -> tuple[TrainingRecommender, CourseIndex]:
    """Fit the recommender on a history.

    Args:
        ref: Reference tables.
        courses: Every course round (canonical frame plus ``programme_code``, ``end_date``).
        cohort: Canonical seeker rows of the seekers whose 6-month outcome is known, plus
            ``employed_180d`` and the ``svc_*`` flags.
        enrolments: ``seeker_id`` (str), ``course_id`` (str), ``completed`` of those seekers.
        demand: (occupation demand, region demand), as
            :func:`app.ml.employment_features.market_demand` gives them (in the other order).
        seed: Random seed.
        index: A built course index of ``courses`` (built here when ``None``).
        outcome: The course outcome model (its prediction is a course's prior expected rate).
    """
    courses = courses.reset_index(drop=True)
    index = index or CourseIndex.build(courses, ref, seed=seed)
    published = courses.dropna(subset=["employment_rate_6m"])
    overall = float(published["employment_rate_6m"].mean()) if len(published) else 0.5
    field_rate = {str(k): round(float(v), 6) for k, v in
                  published.groupby(published["ncs_code"].astype(str).str[:2])["employment_rate_6m"].mean().items()}
    # what was published before each round started: the rate a counsellor could have seen
    # (the outcome model, too, reads only outcomes published before each course's start)
    prior = outcome.predict(courses, courses) if outcome is not None else None
    rate, _ = expected_course_rate(courses, field_rate, overall, history=courses, as_of=courses["start_date"],
                                   prior=prior)
    quality_scale = (float(np.mean(rate)), float(np.std(rate)) or 1.0)
    completion = courses["completion_rate"].dropna()
    completion_scale = (float(completion.mean()) if len(completion) else 0.75,
                        float(completion.std()) if len(completion) > 1 else 1.0)
    person = person_matrix(cohort, *demand)
    person_scale = {c: (float(person[c].mean()), float(person[c].std()) or 1.0)
                    for c in ("age", "education_level", "career_years")}
    side = pd.DataFrame({"quality": (rate - quality_scale[0]) / quality_scale[1]})
    # a round's own completion rate is published only after it ends: use its programme's earlier rounds
    side["completion_prior"] = np.nan_to_num((_earlier_round_mean(courses, "completion_rate") - completion_scale[0])
                                             / completion_scale[1], nan=0.0)
    position_of = pd.Series(np.arange(len(courses)), index=courses["course_id"].astype(str))
    row_of = pd.Series(np.arange(len(cohort)), index=cohort["seeker_id"].astype(str))
    enrolled = enrolments[enrolments["seeker_id"].astype(str).isin(row_of.index)].drop_duplicates("seeker_id")
    effect_x = np.zeros((len(cohort), len(EFFECT_TERMS)))
    completion_rows, completion_y = [], []
    history_rows = []
    # what every enrolment reads of the courses, converted once (per enrolment, the conversions of the whole
    # columns and the course id lookup were most of the build); the gap coverage per distinct missing set
    in_index = course_positions(index, enrolled["course_id"].astype(str)) if len(enrolled) else np.zeros(0, dtype=int)
    inferred_keco = index.inferred_keco()
    quality, completion_prior = side["quality"].to_numpy(), side["completion_prior"].to_numpy()
    hours, online = courses["hours"].to_numpy(float), courses["online"].to_numpy(bool)
    course_region = courses["region_code"].astype(str).to_numpy()
    coverage_of: dict[tuple[str, ...], np.ndarray] = {}
    for n, r in enumerate(enrolled.itertuples(index=False)):
        i = int(row_of[str(r.seeker_id)])
        c = int(position_of[str(r.course_id)])
        seeker = cohort.iloc[i]
        gap = compute_skill_gap(ref, str(seeker["desired_keco"]), str(seeker["skills_text"]), str(seeker["certificates"]))
        missing = tuple(gap.missing)
        if missing not in coverage_of:  # the coverage reads only the missing items
            coverage_of[missing] = index.gap_coverage(gap)[0]
        coverage = coverage_of[missing]
        position = in_index[[n]]
        design = pair_design(PairInputs(
            desired_keco=str(seeker["desired_keco"]), region_code=str(seeker["region_code"]),
            age=float(seeker["age"]), high_school=str(seeker["education"]) in ("중졸이하", "고졸"),
            career_years=float(seeker["career_years"]),
            similarity=index.occupation_similarity(str(seeker["desired_keco"]))[position],
            course_keco=inferred_keco[position], coverage=coverage[position],
            quality=quality[[c]], completion_prior=completion_prior[[c]],
            hours=hours[[c]], online=online[[c]], course_region=course_region[[c]],
        ))
        completion_rows.append(_design(COMPLETION_TERMS, design)[0])
        completion_y.append(bool(r.completed))
        if r.completed:
            effect_x[i] = _design(EFFECT_TERMS, design)[0]
        history_rows.append({"desired_keco": str(seeker["desired_keco"]),
                             "programme_code": str(courses["programme_code"].iat[c]),
                             "completed": int(bool(r.completed)), "employed": int(bool(seeker["employed_180d"])),
                             "age": person["age"].iat[i], "education_level": person["education_level"].iat[i],
                             "career_years": person["career_years"].iat[i]})
    employed = cohort["employed_180d"].to_numpy(bool)
    untreated = effect_x[:, 0] == 0
    baseline, offset = cross_fitted_baseline(person, employed, untreated, seed=seed)
    effect = LogitModel.fit(EFFECT_TERMS, effect_x, employed, offset=offset)
    completion_model = LogitModel.fit(COMPLETION_TERMS, np.asarray(completion_rows), np.asarray(completion_y))
    history = pd.DataFrame(history_rows, columns=["desired_keco", "programme_code", "completed", "employed", "age",
                                                  "education_level", "career_years"])
    for key, column in (("z_age", "age"), ("z_education", "education_level"), ("z_career", "career_years")):
        mean, sd = person_scale[column]
        history[key] = (history[column].astype(float) - mean) / sd
    model = TrainingRecommender(
        baseline=baseline, effect=effect, completion=completion_model, occupation_demand=demand[0],
        region_demand=demand[1], field_rate=field_rate, overall_rate=overall, quality_scale=quality_scale,
        completion_scale=completion_scale, person_scale=person_scale,
        history=History(history.drop(columns=["age", "education_level", "career_years"])), outcome=outcome,
    )
    model.metrics = {"n_seekers": float(len(cohort)), "n_enrolments": float(len(enrolled)),
                     "n_completed": float(int(np.sum(~untreated)))}
    return model, index


def _earlier_round_mean(courses: pd.DataFrame, column: str) -> np.ndarray:
    """Mean of ``column`` over the programme's rounds that ended before each round started."""
    out = np.full(len(courses), np.nan)
    if "programme_code" not in courses:
        return out
    for _, group in courses.groupby("programme_code"):
        ends = group["end_date"].to_numpy()
        values = group[column].to_numpy(float)
        for position, start in zip(group.index, group["start_date"].to_numpy(), strict=True):
            mask = (ends < start) & ~np.isnan(values)
            if mask.any():
                out[position] = float(values[mask].mean())
    return out


@dataclass
class TrainingArtifact:
    """What ``models/training_recommender.pkl`` holds: the model and the world's course index."""

    model: TrainingRecommender
    index: CourseIndex
    _sides: dict[tuple, pd.DataFrame] = field(default_factory=dict, repr=False)

    def course_side(self, courses: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
        """:meth:`TrainingRecommender.course_side` of the world's open courses, kept per course set:
        it depends on the courses alone (not on the seeker), and the world's courses change only
        with a rebuild, which loads a new artifact."""
        key = (tuple(courses["course_id"].astype(str)), len(history))
        found = self._sides.get(key)
        if found is None:
            found = self.model.course_side(courses, history)
            self._sides.clear()  # one course set at a time: memory stays bounded
            self._sides[key] = found
        return found.set_axis(courses.index)

    def __getstate__(self) -> dict:
        return {"model": self.model, "index": self.index, "_sides": {}}


def build_training_recommender(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: fit on the world's seekers with known outcomes and their enrolments."""
    started = time.perf_counter()
    ref = load_reference()
    as_of = load_as_of(ctx.engine)
    records = load_seeker_records(ctx.engine, as_of=as_of)
    cohort_records, _ = split_cohorts(records, as_of)
    names = dict(zip(ref.certificates["certificate_id"].astype(str), ref.certificates["name"].astype(str), strict=True))
    certificates = course_repo.load_certificate_names(ctx.engine, cohort_records["id"].astype(int).tolist(), names)
    cohort = seeker_frame(cohort_records, certificates)
    cohort["employed_180d"] = cohort_records["employed_180d"].to_numpy(bool)
    region_demand, occupation_demand = market_demand(ctx.engine)  # as the employment model sees the market
    demand = (occupation_demand, region_demand)
    courses = course_repo.load_course_frame(ctx.engine)
    enrolments = course_repo.load_enrolments(ctx.engine).astype({"seeker_id": str, "course_id": str})
    # ``needs`` builds it first into the same folder; built alone (a test), the published rates serve
    outcome_file = ctx.out_dir / OUTCOME_FILE
    outcome = load_object(outcome_file) if outcome_file.exists() else None
    model, index = fit_training_recommender(ref, courses, cohort, enrolments, demand, seed=ctx.seed, outcome=outcome)
    metrics = dict(model.metrics)
    metrics["build_seconds"] = round(time.perf_counter() - started, 1)
    return save_fitted(ctx, TrainingArtifact(model=model, index=index), MODEL_FILE, metrics)


def load_training_artifact(models_dir: Path) -> TrainingArtifact:
    """The built recommender and course index.

    Raises:
        NotReady: Not built yet (the message names the build command).
    """
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


def load_training_recommender(models_dir: Path) -> TrainingRecommender:
    """The built recommender (see :func:`load_training_artifact`)."""
    return load_training_artifact(models_dir).model


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="AI 직업훈련추천 모델", build=build_training_recommender,
                    needs=("course_outcome",))
"""The training recommender (ranking by expected uplift)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="AI 직업훈련추천 모델",
    purpose="구직자가 원하는 일자리에 취업할 가능성을 가장 많이 높여 줄 직업훈련 과정을 찾아, 상담사와 구직자의 훈련 선택을 "
            "돕습니다.",
    output="과정마다 6개월 안에 취업할 확률이 얼마나 오를지(수료 가능성을 반영한 기대 효과와 그 범위), 그 이유(희망 직종 "
           "관련성, 보완하는 부족 역량, 과정의 예상 취업률, 예상 수료 확률, 비슷한 구직자의 수강과 결과), 내일배움카드 지원 후 "
           "자부담 추정액.",
    shown_on=("training", "employment_profile", "seeker_training", "training_policy"),
    criteria=COMPONENTS + ("예상 수료 확률",),
    not_used="성별, 장애 여부, 거주 지역(출신 지역의 대리 변수)은 쓰지 않습니다. 과정이 집체 과정일 때 구직자가 희망하는 "
             "근무 지역과 같은 지역인지는 수료 가능성에만 씁니다.",
    training_data="과거 구직자(등록 후 6개월 결과가 확인된 사람)의 훈련 수강·수료 기록과 취업 결과, 과정의 공개된 수료율과 "
                  "취업률(이전 회차), 직업 정보의 직종별 필요 역량.",
    human_oversight="추천은 상담의 출발점입니다. 상담사가 구직자와 함께 과정을 검토해 '상담 계획에 추가'할 때만 계획에 "
                    "들어가며, 추가·삭제는 모두 기록됩니다.",
    contest="추천이 맞지 않으면 상담사에게 다른 과정을 요청하거나, 희망 직종·보유 역량 정보를 고쳐 다시 추천받을 수 있습니다.",
    limits="효과는 과거 비슷한 구직자들의 결과에서 추정한 평균적인 값이며, 수강 인원이 적은 분야나 새 과정은 범위가 넓습니다. "
           "자부담은 소득 수준에 따른 감면을 반영하지 않은 추정치입니다.",
    quality_metrics=("n_seekers", "n_enrolments", "n_completed"),
    fairness_note="성별·장애·지역을 입력으로 쓰지 않습니다. 나이·학력은 훈련 효과가 사람마다 다르다는 점을 반영하려고 "
                  "효과 추정에 씁니다(예: 청년과 고졸 구직자의 효과가 더 큼).",
)
"""Transparency notice of the training recommender (:mod:`app.ml.model_card`)."""
