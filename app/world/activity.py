"""Activity around postings and seekers: courses and enrolments, applications and hires,
interest-test administrations and online service sessions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from app.reference.interest import ENVIRONMENT_SCALE, RIASEC_SCALES
from app.reference.tables import Reference
from app.world import params, truth
from app.world.matching import SEEKER_COLUMNS, OccupationIndex, PostingMatchData, SeekerMatchData, pair_features
from app.world.population import random_dates, weighted_choice

COURSE_TYPES: tuple[tuple[str, float], ...] = (("C0061", 0.55), ("C0054", 0.15), ("C0104", 0.15), ("C0055C", 0.10),
                                                ("C0031C", 0.05))
COURSE_TYPE_LABELS: dict[str, str] = {
    "C0061": "내일배움카드(일반)", "C0054": "국가기간전략산업직종", "C0104": "K-디지털 트레이닝",
    "C0055C": "과정평가형", "C0031C": "돌봄서비스",
}
COURSE_MODES: tuple[str, ...] = ("집체", "원격", "혼합")
INSTITUTION_STEMS: tuple[str, ...] = ("한국", "미래", "새솔", "한빛", "다온", "청년", "대한", "코리아", "희망", "누리", "그린", "에이스")
INSTITUTION_KINDS: tuple[str, ...] = ("직업전문학교", "인재개발원", "아카데미", "평생교육원", "기술교육원", "훈련센터")
COURSE_PATTERNS: tuple[str, ...] = (
    "{occ} 실무 양성과정", "{skill} 전문가 과정", "[국비] {occ} 취업 과정", "{skill} 실무자 양성",
    "{occ} 직무능력 향상 과정", "{skill}·{skill2} 융합 실무", "신규 {occ} 입문 과정",
)


COURSE_SCHEDULE_END = dt.date(2026, 11, 30)
"""Rounds are scheduled up to this day: about six months after the reference date, as HRD-Net lists
the rounds institutions have opened for the coming months."""
ROUNDS_PER_PROGRAMME = 4
"""Programmes are ``courses // ROUNDS_PER_PROGRAMME`` (the size's course count is a budget of rounds
to about the reference date; rounds after it are added on top)."""
QUALITY_SD = 0.3
"""Spread of programmes' latent quality (employment-logit units)."""
PUBLISHED_RATE_BASE = 0.1  # logit of a published 6-month employment rate of an average course
PUBLISHED_RATE_QUALITY = 2.0
FIELD_EFFECT_SD = 0.3  # 대분류 field differences in published rates


def make_courses(ref: Reference, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """HRD-Net-like training courses: programmes (``programme_code``, like 훈련과정 ID) run in
    rounds (``round_no``, 회차) every 3–6 months until :data:`COURSE_SCHEDULE_END`. A programme
    teaches a subset of its target occupation's skills and has a latent ``quality`` (truth) that
    drives completion, the employment effect and the published outcomes of its past rounds."""
    n_programmes = max(8, n // ROUNDS_PER_PROGRAMME)
    occ = ref.occupations
    weight = occ["posting_weight"].to_numpy(float) * occ["keco_code"].str[0].map(
        {"0": 1.5, "1": 2.0, "3": 1.3, "4": 1.3, "5": 1.2, "8": 1.1}
    ).fillna(0.7).to_numpy(float)
    keco = weighted_choice(rng, occ["keco_code"].to_numpy(), weight, n_programmes)
    info = occ.set_index("keco_code").loc[keco]
    types = rng.choice(np.array([t for t, _ in COURSE_TYPES]), size=n_programmes,
                       p=np.array([w for _, w in COURSE_TYPES]))
    hours = np.where(types == "C0104", rng.integers(600, 961, n_programmes), rng.integers(60, 601, n_programmes))
    hours = (np.round(hours / 10) * 10).astype(int)
    days = np.ceil(hours / rng.choice([4, 6, 8], size=n_programmes) * 7 / 5).astype(int)
    # sd 0.3 on the employment logit: published 6-month rates then spread about as widely as the real
    # K-Digital Training rounds' (sd ≈ 0.20 around ≈ 0.52, ../shared/data/kdt_training_courses)
    quality = rng.normal(0.0, QUALITY_SD, n_programmes)
    cost_per_hour = rng.uniform(8_000, 15_000, n_programmes)
    titles, institutions, skill_sets = [], [], []
    for i in range(n_programmes):
        skills = [x for x in str(info["skills"].iloc[i]).split(";") if x] or [str(info["name"].iloc[i])]
        k = min(len(skills), int(rng.integers(3, 8)))
        taught = [skills[j] for j in sorted(rng.choice(len(skills), size=k, replace=False))]
        skill_sets.append(";".join(taught))
        pattern = COURSE_PATTERNS[int(rng.integers(0, len(COURSE_PATTERNS)))]
        titles.append(pattern.format(occ=info["name"].iloc[i].split("·")[0], skill=taught[0],
                                     skill2=taught[min(1, len(taught) - 1)]))
        institutions.append(INSTITUTION_STEMS[int(rng.integers(0, len(INSTITUTION_STEMS)))]
                            + INSTITUTION_KINDS[int(rng.integers(0, len(INSTITUTION_KINDS)))])
    ncs = info["ncs_code"].astype(str).str.zfill(2).to_numpy()
    ncs_code = [f"{c}{int(a):02d}{int(b):02d}{int(d):02d}" for c, a, b, d in
                zip(ncs, rng.integers(1, 6, n_programmes), rng.integers(1, 6, n_programmes),
                    rng.integers(1, 4, n_programmes), strict=True)]
    regions = ref.regions
    programmes = pd.DataFrame({
        "programme_code": [f"AIG{2023 + i % 3}{i + 1:07d}" for i in range(n_programmes)],
        "title": titles, "institution": institutions, "ncs_code": ncs_code, "keco_code": keco,
        "region_code": weighted_choice(rng, regions["code"].to_numpy(), regions["employment_weight"].to_numpy(),
                                       n_programmes),
        "course_type": types, "mode": rng.choice(np.array(COURSE_MODES), size=n_programmes, p=[0.7, 0.15, 0.15]),
        "hours": hours, "days": days,
        "cost": np.where(types == "C0104", 0, np.round(hours * cost_per_hour, -4)).astype(np.int64),
        "capacity": rng.choice([15, 20, 25, 30], size=n_programmes),
        "skills": skill_sets, "quality": quality,
    })
    # rounds: the first within four months of the period start, then every 3–6 months
    first = random_dates(rng, n_programmes, params.PERIOD_START - dt.timedelta(days=60),
                         params.PERIOD_START + dt.timedelta(days=120))
    end = np.datetime64(COURSE_SCHEDULE_END, "D")
    rows: list[tuple[int, int, np.datetime64]] = []
    for i in range(n_programmes):
        day, round_no = first[i], 1
        while day <= end:
            rows.append((i, round_no, day))
            day = day + np.timedelta64(int(rng.integers(90, 181)), "D")
            round_no += 1
    index = np.array([r[0] for r in rows])
    courses = programmes.iloc[index].reset_index(drop=True)
    courses.insert(0, "id", np.arange(1, len(courses) + 1))
    courses.insert(2, "round_no", [r[1] for r in rows])
    courses["start_date"] = np.array([r[2] for r in rows], dtype="datetime64[D]")
    courses["end_date"] = courses["start_date"].to_numpy() + courses["days"].to_numpy().astype("timedelta64[D]")
    q = courses["quality"].to_numpy(float)
    courses["satisfaction"] = np.clip(np.round(rng.normal(88 + 10 * q, 4.0), 1), 50, 100)
    courses["completion_rate"], courses["employment_rate_6m"] = _published_outcomes(courses, rng)
    return courses


def _published_outcomes(courses: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """HRD-Net-style published completion and 6-month employment rates of every trainee of a round
    (not only the world's seekers): known once the round has ended (completion) and 180 days more
    have passed by the reference date (employment); NaN before, as HRD-Net leaves them empty."""
    q = courses["quality"].to_numpy(float)
    majors = sorted(set(courses["keco_code"].str[0]))
    field = dict(zip(majors, rng.normal(0.0, FIELD_EFFECT_SD, len(majors)), strict=True))
    field_effect = courses["keco_code"].str[0].map(field).to_numpy(float)
    enrolled = np.maximum(1, rng.binomial(courses["capacity"].to_numpy(int), 0.85))
    p_complete = 1.0 / (1.0 + np.exp(-(truth.COMPLETION_BASE + truth.COMPLETION_QUALITY * q)))
    completers = rng.binomial(enrolled, p_complete)
    p_employed = 1.0 / (1.0 + np.exp(-(PUBLISHED_RATE_BASE + PUBLISHED_RATE_QUALITY * q + field_effect)))
    employed = rng.binomial(completers, p_employed)
    reference = np.datetime64(params.REFERENCE_DATE, "D")
    ended = courses["end_date"].to_numpy().astype("datetime64[D]") <= reference
    observed = ended & (courses["end_date"].to_numpy().astype("datetime64[D]") + np.timedelta64(180, "D") <= reference)
    completion = np.where(ended, np.round(completers / enrolled, 3), np.nan)
    employment = np.where(observed & (completers > 0), np.round(employed / np.maximum(completers, 1), 3), np.nan)
    return completion, employment


COURSE_CHOICE_RELEVANCE: dict[float, float] = {truth.RELEVANCE_SAME_OCCUPATION: 60.0, truth.RELEVANCE_SAME_MIDDLE: 6.0,
                                               truth.RELEVANCE_SAME_MAJOR: 1.5, 0.0: 0.3}
"""How much more often a seeker sent to training picks a course by its relevance (observational
choice: with the rounds open in a typical window, about 45 % take one of their own occupation, 20 %
a neighbouring one, the rest anything that is open near them)."""


def enrol_in_courses(
    ref: Reference, seekers: pd.DataFrame, received_training: np.ndarray, courses: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Enrol seekers sent to training in a round starting 1–11 weeks after registration, chosen
    mostly by relevance to the desired occupation, near home or online, and a little by the
    programme's reputation; completion is drawn from :func:`truth.completion_logit`.

    Returns:
        ``id, seeker_id, course_id, enrolled_on, completed`` plus truth inputs ``relevance``,
        ``coverage``, ``far`` (dropped before writing).
    """
    occupation_skills = ref.occupations.set_index("keco_code")["skills"].fillna("").to_dict()
    starts = courses["start_date"].to_numpy().astype("datetime64[D]")
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    idx = np.flatnonzero(received_training)
    registered = seekers["registered_on"].to_numpy().astype("datetime64[D]")
    # Every course column once, as arrays in start-date order, so that a seeker's window of rounds is a
    # slice (a view) and no gather; codes and regions as integers compared with the seeker's; the
    # programme's reputation exp(2·quality) once per course. A pandas look-up, string accessor or
    # object-array comparison per enrolment cost tens of ms, and a large world enrols a hundred
    # thousand seekers among 20,000 rounds. Same values and the same draws as truth.course_relevance,
    # truth.course_is_far and COURSE_CHOICE_RELEVANCE element by element.
    course_keco = courses["keco_code"].astype(str).to_numpy().astype("U")[order]
    codes = _Codes()
    keco_s = codes.of(course_keco)
    middle_s, major_s = codes.of(course_keco.astype("U2")), codes.of(course_keco.astype("U1"))
    region_s = codes.of(courses["region_code"].to_numpy(dtype=object)[order])
    in_person_s = courses["mode"].to_numpy(dtype=object)[order] != "원격"
    reputation_s = np.exp(2.0 * courses["quality"].to_numpy()[order])
    course_quality = courses["quality"].to_numpy()
    course_ids, course_hours = courses["id"].to_numpy(), courses["hours"].to_numpy()
    course_skills = courses["skills"].to_numpy(dtype=object)
    seeker_keco = seekers["desired_keco"].astype(str).to_numpy(dtype=object)
    seeker_region = seekers["desired_region_code"].to_numpy(dtype=object)
    seeker_skills = seekers["skills"].to_numpy(dtype=object)
    seeker_ids, seeker_age = seekers["id"].to_numpy(), seekers["age"].to_numpy()
    preference_of = {level: weight for level, weight in COURSE_CHOICE_RELEVANCE.items()}
    rows = []
    for i in idx:
        low = np.searchsorted(sorted_starts, registered[i] + np.timedelta64(7, "D"))
        high = np.searchsorted(sorted_starts, registered[i] + np.timedelta64(77, "D"), side="right")
        if high <= low:
            low, high = max(0, low - 20), min(len(order), low + 20)
        window = slice(low, high)
        desired = seeker_keco[i]
        same = keco_s[window] == codes.get(desired)
        middle = middle_s[window] == codes.get(desired[:2])
        major = major_s[window] == codes.get(desired[:1])
        far = in_person_s[window] & (region_s[window] != codes.get(seeker_region[i]))
        preference = np.where(same, preference_of[truth.RELEVANCE_SAME_OCCUPATION], np.where(
            middle, preference_of[truth.RELEVANCE_SAME_MIDDLE], np.where(
                major, preference_of[truth.RELEVANCE_SAME_MAJOR], preference_of[0.0])))
        weight = (preference * np.where(far, 0.3, 1.0)
                  * reputation_s[window])
        k = int(rng.choice(high - low, p=weight / weight.sum()))
        j = int(order[low + k])
        relevance = float(truth.relevance_of_matches(same[k], middle[k], major[k]))
        coverage = truth.gap_coverage(seeker_skills[i], occupation_skills.get(desired, ""), course_skills[j])
        rows.append((int(seeker_ids[i]), int(course_ids[j]), starts[j], relevance,
                     coverage, bool(far[k]), float(seeker_age[i]), int(course_hours[j]),
                     float(course_quality[j])))
    enrol = pd.DataFrame(rows, columns=["seeker_id", "course_id", "start", "relevance", "coverage", "far", "age",
                                        "hours", "quality"])
    p_complete = 1.0 / (1.0 + np.exp(-truth.completion_logit(
        enrol["age"].to_numpy(), enrol["relevance"].to_numpy(), enrol["quality"].to_numpy(),
        enrol["hours"].to_numpy(), enrol["far"].to_numpy())))
    enrol["completed"] = rng.random(len(enrol)) < p_complete
    # enrolment (수강신청) happens in the weeks before the round starts, never before registration
    registered_of = seekers.set_index("id").loc[enrol["seeker_id"], "registered_on"].to_numpy().astype("datetime64[D]")
    lead = rng.integers(0, 15, len(enrol)).astype("timedelta64[D]")
    enrol["enrolled_on"] = np.maximum(enrol["start"].to_numpy().astype("datetime64[D]") - lead, registered_of)
    enrol.insert(0, "id", np.arange(1, len(enrol) + 1))
    return enrol[["id", "seeker_id", "course_id", "enrolled_on", "completed", "relevance", "coverage", "far", "quality"]]


class _Codes:
    """Small integers for text codes (occupations, regions), so that comparing a seeker's code with a
    window of courses' compares integers; a code no course has gets its own number."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def get(self, code: object) -> int:
        return self._numbers.setdefault(str(code), len(self._numbers))

    def of(self, values: np.ndarray) -> np.ndarray:
        return np.fromiter((self.get(v) for v in values), dtype=np.int64, count=len(values))


MAX_CANDIDATES = 1_000
"""Candidates scored per posting, at most: a larger window is subsampled uniformly first. It keeps
the large world's per-posting cost bounded (measured 0.43 ms a posting at 1,000 against 1.06 ms at
3,000: about 1½ instead of 3½ minutes for 200k postings) and the applicants about as selective as in
the demo world, whose windows hold a few hundred seekers."""
NON_APPLICANT_SAMPLE = 20
"""Non-applicants of each posting's candidate pool stored in ``truth_pairs`` (what the oracle would
also have ranked)."""
TRUTH_PAIR_COLUMNS: tuple[str, ...] = ("posting_id", "seeker_id", "apply_utility", "hire_utility", "applied", "hired")
POSTING_BLOCK = 64
"""Postings whose candidates are scored in one vectorised call."""
HIRE_WINDOW_DAYS = 20
"""A board hire needs the applicant's observed employment within this many days of the fill date."""


def make_applications_and_hires(
    postings: pd.DataFrame,
    posting_outcomes: pd.DataFrame,
    seekers: pd.DataFrame,
    seeker_outcomes: pd.DataFrame,
    preferences: pd.DataFrame,
    occupations: OccupationIndex,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Applications from seekers who want that kind of job at that time, and the hire.

    The candidates of a posting are the seekers registered within the 180 days before it opened
    (up to 20 days after), desiring the same KECO 중분류 (any seeker when fewer than the posting's
    applications), at most :data:`MAX_CANDIDATES` of them drawn uniformly. Its
    ``n_applications`` applicants are drawn from them without replacement with probability
    ∝ exp(apply utility) (Gumbel top-k; :func:`app.world.truth.apply_utility`). A filled posting
    hires one applicant whose observed employment falls within ±20 days of the fill date and who
    was not hired elsewhere, drawn with probability ∝ exp(hire utility)
    (:func:`app.world.truth.hire_utility`; the employment date is then set to the hire date),
    otherwise someone outside the registered pool (``seeker_id`` NULL).

    Args:
        postings: Posting attributes (with ``open_date``, ``window_days`` and the columns of
            :data:`app.world.matching.POSTING_COLUMNS`).
        posting_outcomes: ``n_applications``, ``filled``, ``days_to_fill``; the application count
            is replaced by the number generated (pools can be thin).
        seekers: Seeker attributes (``registered_on``, ``desired_middle`` and the columns of
            :data:`app.world.matching.SEEKER_COLUMNS`).
        seeker_outcomes: ``employed_180d`` and ``days_to_employment`` (board hires move it).
        preferences: Hidden preferences, row-aligned with ``seekers``.
        occupations: The reference occupations, indexed.
        rng: Random stream.

    Returns:
        ``applications``, ``hires`` and ``truth_pairs`` (every application pair plus up to
        :data:`NON_APPLICANT_SAMPLE` non-applicant candidates per posting, with both utilities).
    """
    s_reg = seekers["registered_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
    s_ids = seekers["id"].to_numpy()
    p_ids = postings["id"].to_numpy()
    employed = seeker_outcomes["employed_180d"].to_numpy(bool)
    emp_day = s_reg + seeker_outcomes["days_to_employment"].to_numpy()
    open_day = postings["open_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    filled = posting_outcomes["filled"].to_numpy(bool)
    fill_day = open_day + posting_outcomes["days_to_fill"].to_numpy()
    candidates = _Candidates(postings, posting_outcomes, seekers, preferences, occupations)
    hired_taken = np.zeros(len(seekers), dtype=bool)
    employment_day_override = np.full(len(seekers), -1, dtype=np.int64)
    app_post, app_seeker = [], []
    hire_post, hire_seeker, hire_day = [], [], []
    pairs: dict[str, list[np.ndarray]] = {name: [] for name in TRUTH_PAIR_COLUMNS}
    for start in range(0, len(postings), POSTING_BLOCK):
        for i, kept, n_applied, apply_u, hire_u in candidates.draw(start, min(start + POSTING_BLOCK, len(postings)), rng):
            chosen = kept[:n_applied]
            hire_j = -1
            if filled[i] and n_applied:
                eligible = np.flatnonzero(
                    employed[chosen] & ~hired_taken[chosen] & (np.abs(emp_day[chosen] - fill_day[i]) <= HIRE_WINDOW_DAYS)
                )
                if len(eligible):
                    pick = eligible[int(np.argmax(hire_u[eligible] + rng.gumbel(size=len(eligible))))]
                    hire_j = int(chosen[pick])
            if filled[i]:
                hire_post.append(i)
                hire_seeker.append(hire_j)
                hire_day.append(fill_day[i])
                if hire_j >= 0:
                    hired_taken[hire_j] = True
                    employment_day_override[hire_j] = fill_day[i]
            if len(kept) == 0:
                continue
            app_post.append(np.full(n_applied, i))
            app_seeker.append(chosen)
            for name, values in zip(TRUTH_PAIR_COLUMNS, (
                np.full(len(kept), p_ids[i]), s_ids[kept], apply_u, hire_u, np.arange(len(kept)) < n_applied, kept == hire_j,
            ), strict=True):
                pairs[name].append(values)
    app_p = np.concatenate(app_post) if app_post else np.empty(0, dtype=np.int64)
    # Each application falls on a day between the opening and the fill (or close) date.
    last_day = np.where(filled, fill_day, open_day + postings["window_days"].to_numpy(np.int64))
    span = np.maximum(last_day - open_day, 1)[app_p]
    app_day = open_day[app_p] + rng.integers(0, span)
    apps = pd.DataFrame({
        "p": app_p, "s": np.concatenate(app_seeker) if app_seeker else np.empty(0, dtype=np.int64), "day": app_day,
    })
    hires = pd.DataFrame({"p": hire_post, "s": hire_seeker, "day": hire_day})
    hired_pairs = set(zip(hires["p"], hires["s"], strict=True))
    status = np.where(
        [(p, s) in hired_pairs for p, s in zip(apps["p"], apps["s"], strict=True)],
        "채용",
        rng.choice(np.array(["지원", "서류탈락", "면접", "불합격"]), size=len(apps), p=[0.15, 0.45, 0.15, 0.25]),
    )
    applications = pd.DataFrame(
        {
            "id": np.arange(1, len(apps) + 1),
            "posting_id": p_ids[apps["p"].to_numpy(int)] if len(apps) else [],
            "seeker_id": s_ids[apps["s"].to_numpy(int)] if len(apps) else [],
            "applied_on": apps["day"].to_numpy(np.int64).astype("datetime64[D]"),
            "status": status,
        }
    )
    seeker_col = np.where(hires["s"].to_numpy(int) >= 0, s_ids[np.maximum(hires["s"].to_numpy(int), 0)], -1)
    hire_frame = pd.DataFrame(
        {
            "id": np.arange(1, len(hires) + 1),
            "posting_id": p_ids[hires["p"].to_numpy(int)] if len(hires) else [],
            "seeker_id": seeker_col,
            "hired_on": hires["day"].to_numpy(np.int64).astype("datetime64[D]"),
        }
    )
    # The recorded application count is what was actually generated (pools can be thin).
    posting_outcomes["n_applications"] = np.bincount(apps["p"].to_numpy(int), minlength=len(postings)) if len(apps) else 0
    # Board hires fix the seeker's employment date to the hire date (still within 180 days).
    override = employment_day_override >= 0
    new_days = seeker_outcomes["days_to_employment"].to_numpy().copy()
    new_days[override] = np.clip(employment_day_override[override] - s_reg[override], 1, params.EMPLOYMENT_HORIZON_DAYS)
    seeker_outcomes["days_to_employment"] = new_days
    truth_pairs = pd.DataFrame({name: np.concatenate(parts) if parts else [] for name, parts in pairs.items()})
    return applications, hire_frame, truth_pairs.sort_values(["posting_id", "seeker_id"], kind="stable", ignore_index=True)


class _Candidates:
    """The candidate pools of the postings and the applicant draw (Gumbel top-k ∝ exp(apply utility)).

    Postings are scored a block at a time: one vectorised utility over all the block's (posting,
    candidate) pairs costs far less than one call per posting in the large world.
    """

    def __init__(
        self, postings: pd.DataFrame, posting_outcomes: pd.DataFrame, seekers: pd.DataFrame, preferences: pd.DataFrame,
        occupations: OccupationIndex,
    ) -> None:
        # Seekers are encoded grouped by desired 중분류, then by registration day: a posting's
        # candidates are then one contiguous run of rows, which keeps the large world's gathers
        # cache-friendly. ``rows_to_seekers`` maps these rows back to the seekers' rows.
        registered = seekers["registered_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
        middle_codes, middles = pd.factorize(seekers["desired_middle"], sort=True)
        self.rows_to_seekers = np.lexsort((registered, middle_codes))
        self.s_reg = registered[self.rows_to_seekers]
        grouped = middle_codes[self.rows_to_seekers]
        starts = np.searchsorted(grouped, np.arange(len(middles) + 1))
        self.by_middle = {middle: (int(starts[m]), int(starts[m + 1])) for m, middle in enumerate(middles)}
        self.order = np.argsort(self.s_reg, kind="stable")
        self.reg_in_order = self.s_reg[self.order]
        self.middle_of_posting = postings["keco_code"].str[:2].to_numpy()
        self.open_day = postings["open_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
        self.n_apps = posting_outcomes["n_applications"].to_numpy()
        self.occupations = occupations
        self.seekers = SeekerMatchData.build(
            seekers[list(SEEKER_COLUMNS)].iloc[self.rows_to_seekers].reset_index(drop=True),
            preferences.iloc[self.rows_to_seekers].reset_index(drop=True),
            occupations,
        )
        self.postings = PostingMatchData.build(postings, occupations)

    def window(self, i: int) -> np.ndarray:
        """Encoded rows of the seekers who may apply to posting ``i``: registered from 180 days before it opened
        to 20 days after, desiring its KECO 중분류 (anyone registered then when fewer than its
        applications; anyone at all when nobody registered then), at most :data:`MAX_CANDIDATES`."""
        k = int(self.n_apps[i])
        start, stop = self.by_middle.get(self.middle_of_posting[i], (0, 0))
        if stop > start:
            # rows of one 중분류 are contiguous and sorted by registration: the window is a run of them
            reg = self.s_reg[start:stop]
            lo, hi = np.searchsorted(reg, self.open_day[i] - 180), np.searchsorted(reg, self.open_day[i] + 20)
            if hi - lo >= k:
                return np.arange(start + lo, start + hi)
        # Too few seekers of that kind at that time: anyone registered then may apply.
        lo, hi = np.searchsorted(self.reg_in_order, self.open_day[i] - 180), np.searchsorted(self.reg_in_order, self.open_day[i] + 20)
        return self.order[lo:hi] if hi > lo else self.order

    def draw(
        self, start: int, stop: int, rng: np.random.Generator
    ) -> list[tuple[int, np.ndarray, int, np.ndarray, np.ndarray]]:
        """Applicants of postings ``start``…``stop − 1`` and a uniform sample of the other candidates.

        Returns:
            Per posting: its row, the kept seeker rows (applicants first, best first, then up to
            :data:`NON_APPLICANT_SAMPLE` non-applicants), the number of applicants and the kept
            pairs' apply and hire utilities.
        """
        windows = []
        for i in range(start, stop):
            window = self.window(i) if self.n_apps[i] > 0 else np.empty(0, dtype=np.int64)
            if len(window) > MAX_CANDIDATES:
                # a uniform subset: MAX_CANDIDATES draws with replacement, repeats dropped (far
                # cheaper than a draw without replacement from tens of thousands)
                window = window[np.unique(rng.integers(0, len(window), size=MAX_CANDIDATES))]
            windows.append(window)
        sizes = np.array([len(w) for w in windows])
        seeker_rows = np.concatenate(windows) if windows else np.empty(0, dtype=np.int64)
        posting_rows = np.repeat(np.arange(start, stop), sizes)
        apply_u = truth.apply_utility(
            pair_features(self.postings, posting_rows, self.seekers, seeker_rows, self.occupations, hire=False)
        )
        # Gumbel top-k: the k largest of u + Gumbel noise are a draw without replacement ∝ exp(u).
        noisy = apply_u + rng.gumbel(size=len(apply_u))
        ends = np.cumsum(sizes)
        picks = []
        for i, window, end in zip(range(start, stop), windows, ends, strict=True):
            n_chosen = min(int(self.n_apps[i]), len(window))
            if n_chosen == 0:
                picks.append((np.empty(0, dtype=np.int64), 0))
                continue
            segment = noisy[end - len(window) : end]
            top = np.argpartition(-segment, n_chosen - 1)[:n_chosen] if n_chosen < len(window) else np.arange(len(window))
            top = top[np.argsort(-segment[top], kind="stable")]
            is_rest = np.ones(len(window), dtype=bool)
            is_rest[top] = False
            rest = np.flatnonzero(is_rest)
            sampled = rest[rng.choice(len(rest), size=min(NON_APPLICANT_SAMPLE, len(rest)), replace=False)]
            picks.append((end - len(window) + np.concatenate([top, sampled]), n_chosen))
        kept = np.concatenate([positions for positions, _ in picks])
        hire_u = truth.hire_utility(
            pair_features(self.postings, posting_rows[kept], self.seekers, seeker_rows[kept], self.occupations), apply_u[kept]
        )
        out, offset = [], 0
        for i, (positions, n_chosen) in zip(range(start, stop), picks, strict=True):
            part = slice(offset, offset + len(positions))
            out.append((i, self.rows_to_seekers[seeker_rows[positions]], n_chosen, apply_u[positions], hire_u[part]))
            offset += len(positions)
        return out


GRM_STEPS: tuple[float, ...] = (-1.8, -0.6, 0.4, 1.5)
"""Mean offsets of the four GRM thresholds from an item's location (spaced like the real RIASEC
responses in ../shared/data/riasec_responses: a 5-point scale where "enjoy" dominates for a person's
own type)."""
ENVIRONMENT_PROFILE_WEIGHT = 0.7
"""Weight of the desired occupation's standardised KNOW work context in a respondent's preference for
a work-environment item; the rest is personal (N(0, 0.7)), as for the RIASEC θ
(:func:`app.world.population._riasec_theta`)."""


def make_item_bank(ref: Reference, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interest test's items (``interest_items.csv``) and their true graded-response parameters.

    Discrimination a ~ U(1.0, 2.6); thresholds around an item location ~ N(0, 0.5) at
    :data:`GRM_STEPS` ± N(0, 0.12). Work-environment (W) items get parameters on their own latent
    preference (:func:`draw_environment_preferences`), drawn the same way.

    Returns:
        (``test_items`` rows: id, item_code, scale, text, environment_code;
        ``truth_test_items`` rows: item_id, discrimination, threshold_1 … threshold_4).
    """
    bank = ref.interest_items
    n = len(bank)
    items = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "item_code": bank["item_code"].to_numpy(),
        "scale": bank["scale"].to_numpy(),
        "text": bank["text"].to_numpy(),
        "environment_code": bank["environment_code"].fillna("").to_numpy(),
    })
    a = np.round(rng.uniform(1.0, 2.6, n), 3)
    location = rng.normal(0.0, 0.5, n)
    steps = np.array(GRM_STEPS) + rng.normal(0, 0.12, (n, 4))
    b = np.sort(location[:, None] + steps, axis=1).round(3) + 0.0  # no -0.0 (see draw_environment_preferences)
    truth_items = pd.DataFrame({
        "item_id": items["id"].to_numpy(),
        "discrimination": a,
        **{f"threshold_{k + 1}": b[:, k] for k in range(4)},
    })
    return items, truth_items


def draw_environment_preferences(
    ref: Reference, items: pd.DataFrame, respondents: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Each respondent's true latent preference for each work-environment item.

    preference = 0.7 × (desired occupation's standardised KNOW level of the item's ``cq``,
    ``occupation_environment.csv``) + N(0, 0.7): people tend to want the working conditions of the
    work they seek, with personal spread.

    Args:
        ref: Reference tables.
        items: ``test_items`` rows from :func:`make_item_bank`.
        respondents: ``seeker_id`` and ``desired_keco``.
        rng: Random generator.

    Returns:
        One row per (respondent, W item): seeker_id, item_id, preference (3 decimals).
    """
    env = items[items["scale"] == ENVIRONMENT_SCALE]
    profile = ref.occupation_environment.set_index("keco_code")[env["environment_code"].tolist()]
    centre = profile.reindex(respondents["desired_keco"].to_numpy()).fillna(0.0).to_numpy(float)
    preference = ENVIRONMENT_PROFILE_WEIGHT * centre + rng.normal(0.0, 0.7, centre.shape)
    n_resp, n_env = preference.shape
    return pd.DataFrame({
        "seeker_id": np.repeat(respondents["seeker_id"].to_numpy(), n_env),
        "item_id": np.tile(env["id"].to_numpy(), n_resp),
        # + 0.0: a value rounded to -0.0 is stored as -0 by PostgreSQL and as 0 by SQLite (the fingerprints differ)
        "preference": preference.ravel().round(3) + 0.0,
    })


def simulate_test_responses(
    items: pd.DataFrame,
    truth_items: pd.DataFrame,
    theta: pd.DataFrame,
    preferences: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Full-form administrations: responses 1–5 to every item, drawn from the graded response model.

    Args:
        items: ``test_items`` rows from :func:`make_item_bank`.
        truth_items: Their true parameters (same order).
        theta: ``seeker_id`` and ``theta_r`` … ``theta_c`` of the respondents (RIASEC items).
        preferences: Output of :func:`draw_environment_preferences` for the same respondents (W items).
        rng: Random generator.
    """
    latent = np.empty((len(theta), len(items)))
    riasec = items["scale"].isin(RIASEC_SCALES).to_numpy()
    scale_index = items.loc[riasec, "scale"].map({c: i for i, c in enumerate(RIASEC_SCALES)}).to_numpy()
    latent[:, riasec] = theta[[f"theta_{c.lower()}" for c in RIASEC_SCALES]].to_numpy(float)[:, scale_index]
    if (~riasec).any():
        wide = preferences.pivot(index="seeker_id", columns="item_id", values="preference")
        latent[:, ~riasec] = wide.loc[theta["seeker_id"].to_numpy(), items.loc[~riasec, "id"].to_numpy()].to_numpy(float)
    a = truth_items["discrimination"].to_numpy(float)
    b = truth_items[[f"threshold_{k}" for k in range(1, 5)]].to_numpy(float)
    # P(X ≥ k+1) = σ(a(θ − b_k)); response = 1 + number of thresholds passed.
    p_at_least = 1.0 / (1.0 + np.exp(-a[None, :, None] * (latent[:, :, None] - b[None, :, :])))
    u = rng.random(latent.shape)
    response = 1 + (u[:, :, None] < p_at_least).sum(axis=2)
    n_resp, n_items = response.shape
    return pd.DataFrame(
        {
            "id": np.arange(1, n_resp * n_items + 1),
            "seeker_id": np.repeat(theta["seeker_id"].to_numpy(), n_items),
            "item_id": np.tile(items["id"].to_numpy(), n_resp),
            "response": response.ravel().astype(np.int8),
        }
    )


# Online services: steps with (error probability, extra error on mobile, dropout probability,
# median seconds). 본인인증 and 파일 첨부 fail more on mobile; long forms lose people.
SERVICE_FLOWS: dict[str, tuple[tuple[str, float, float, float, float], ...]] = {
    "구직신청": (
        ("로그인", 0.03, 0.01, 0.02, 20), ("본인인증", 0.08, 0.07, 0.05, 45), ("기본정보 입력", 0.02, 0.0, 0.04, 90),
        ("학력·경력 입력", 0.03, 0.02, 0.10, 240), ("희망조건 입력", 0.01, 0.0, 0.04, 120),
        ("이력서 등록", 0.05, 0.06, 0.08, 300), ("신청 완료", 0.01, 0.0, 0.0, 10),
    ),
    "실업인정 신청": (
        ("로그인", 0.03, 0.01, 0.02, 20), ("본인인증", 0.08, 0.07, 0.04, 45), ("구직활동 내역 입력", 0.04, 0.03, 0.12, 300),
        ("증빙 첨부", 0.09, 0.08, 0.09, 120), ("신청 완료", 0.01, 0.0, 0.0, 10),
    ),
    "내일배움카드 신청": (
        ("로그인", 0.03, 0.01, 0.02, 20), ("본인인증", 0.08, 0.07, 0.05, 45), ("신청서 작성", 0.03, 0.01, 0.07, 180),
        ("사전 동영상 시청", 0.02, 0.02, 0.15, 600), ("계좌 등록", 0.06, 0.03, 0.05, 60), ("신청 완료", 0.01, 0.0, 0.0, 10),
    ),
    "국민취업지원제도 신청": (
        ("로그인", 0.03, 0.01, 0.02, 20), ("본인인증", 0.08, 0.07, 0.05, 45), ("자격 요건 확인", 0.02, 0.0, 0.10, 120),
        ("소득·재산 정보 입력", 0.06, 0.03, 0.14, 300), ("서류 첨부", 0.09, 0.08, 0.08, 150), ("신청 완료", 0.01, 0.0, 0.0, 10),
    ),
}
SERVICE_SHARES: tuple[float, ...] = (0.40, 0.30, 0.18, 0.12)
ERROR_CODES: tuple[str, ...] = ("E-AUTH-401", "E-TIMEOUT", "E-UPLOAD-413", "E-VALID-422", "E-SERVER-500")


def simulate_service_sessions(seekers: pd.DataFrame, n_sessions: int, rng: np.random.Generator) -> pd.DataFrame:
    """Step-level events of online service sessions, with errors (one retry) and drop-offs."""
    services = list(SERVICE_FLOWS)
    seeker_idx = rng.integers(0, len(seekers), n_sessions)
    service = rng.choice(np.array(services), size=n_sessions, p=np.array(SERVICE_SHARES))
    mobile = rng.random(n_sessions) < 0.55
    start_day = seekers["registered_on"].to_numpy().astype("datetime64[s]")[seeker_idx] + (
        rng.integers(0, 30 * 86400, n_sessions).astype("timedelta64[s]")
    )
    seeker_ids = seekers["id"].to_numpy()  # not .iat per event: a large world has millions of events
    rows: list[tuple] = []
    for sid in range(n_sessions):
        session_seeker = int(seeker_ids[seeker_idx[sid]])
        clock = start_day[sid] + np.timedelta64(int(rng.integers(8 * 3600, 22 * 3600)), "s")
        for order, (step, p_err, p_mobile, p_drop, median_s) in enumerate(SERVICE_FLOWS[service[sid]], start=1):
            duration = float(np.round(median_s * rng.lognormal(0.0, 0.5), 1))
            error = rng.random() < p_err + (p_mobile if mobile[sid] else 0.0)
            status = "error" if error else "ok"
            code = ERROR_CODES[int(rng.integers(0, len(ERROR_CODES)))] if error else ""
            rows.append((sid + 1, session_seeker, service[sid], order, step, clock, duration,
                         status, code, "mobile" if mobile[sid] else "pc"))
            clock = clock + np.timedelta64(int(duration), "s")
            # After an error a third give up; the rest retry the step once (and get through).
            if error:
                if rng.random() < 0.35:
                    rows.append((sid + 1, session_seeker, service[sid], order, step, clock, 0.0,
                                 "dropout", "", "mobile" if mobile[sid] else "pc"))
                    break
                retry_s = float(np.round(median_s * rng.lognormal(0.0, 0.5), 1))
                rows.append((sid + 1, session_seeker, service[sid], order, step, clock, retry_s,
                             "ok", "", "mobile" if mobile[sid] else "pc"))
                clock = clock + np.timedelta64(int(retry_s), "s")
            if rng.random() < p_drop:
                rows.append((sid + 1, session_seeker, service[sid], order, step, clock, 0.0,
                             "dropout", "", "mobile" if mobile[sid] else "pc"))
                break
    frame = pd.DataFrame(rows, columns=["session_id", "seeker_id", "service", "step_order", "step", "started_at",
                                        "duration_s", "status", "error_code", "device"])
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame
