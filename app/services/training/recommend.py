"""Training recommendations for one seeker of the world (counsellor and seeker pages).

The seeker's desired occupation and skill gap, then the courses open to them (rounds starting on
or after the reference date) that pass the filters, ranked by the recommender's expected uplift
(:mod:`app.ml.training_recommender`). Only the seeker's structured record and skill keywords are
read: no name, contact or free text reaches the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.auth import User
from app.db.repositories import courses as course_repo
from app.db.repositories import world as world_repo
from app.db.repositories.seekers import load_seeker_records
from app.errors import InvalidInput, NotReady
from app.ml.course_match import SkillGap, compute_skill_gap
from app.ml.employment_features import HORIZON_DAYS, split_cohorts
from app.ml.training_recommender import COMPONENTS, TrainingArtifact, seeker_frame
from app.reference.names import region_short
from app.reference.tables import Reference, load_reference
from app.services.employment.caseload import input_hash
from app.services.training.plan import TrainingAccessDenied, TrainingNotFound

DEFAULT_TOP = 10
MAX_TOP = 30
MAX_WEEKS = 52


class InvalidTrainingFilter(InvalidInput):
    """A filter value out of range."""


@dataclass(frozen=True)
class TrainingFilter:
    """Conditions on the recommended courses (validated on creation).

    Attributes:
        region_code: Only in-person courses held in this 시도 (online courses stay unless
            ``online_only``/``include_online`` say otherwise); ``None`` any region.
        include_online: Keep 원격 courses.
        online_only: Only 원격 courses.
        start_within_weeks: Only rounds starting within this many weeks of the reference date.
        max_self_pay: Only courses whose self-pay after 내일배움카드 is at most this (KRW).
        ncs_field: Only this NCS 대분류 (2 digits).
    """

    region_code: str | None = None
    include_online: bool = True
    online_only: bool = False
    start_within_weeks: int | None = None
    max_self_pay: int | None = None
    ncs_field: str | None = None

    def __post_init__(self) -> None:
        if self.start_within_weeks is not None and not 1 <= int(self.start_within_weeks) <= MAX_WEEKS:
            raise InvalidTrainingFilter(f"시작 시기는 1~{MAX_WEEKS}주 안으로 정해 주세요 (입력값: {self.start_within_weeks})")
        if self.max_self_pay is not None and not 0 <= int(self.max_self_pay) <= 50_000_000:
            raise InvalidTrainingFilter(f"자부담 상한은 0~5,000만원이어야 합니다 (입력값: {self.max_self_pay:,}원)")
        if self.online_only and not self.include_online:
            raise InvalidTrainingFilter("원격 과정만 보기와 원격 과정 제외를 함께 고를 수 없습니다")

    def key(self) -> tuple:
        """Hashable form (cache keys, audit hashes)."""
        return (self.region_code, self.include_online, self.online_only, self.start_within_weeks, self.max_self_pay,
                self.ncs_field)


@dataclass(frozen=True)
class TrainingRecommendations:
    """One seeker's recommendations.

    Attributes:
        seeker_id: The seeker.
        desired_keco: Desired KECO 소분류; ``desired_name`` its Korean name.
        gap: Skill gap against the desired occupation.
        courses: Ranked courses: ``course_id`` (int), ``rank``, ``title``, ``institution``,
            ``region`` (Korean), ``online``, ``start_date``, ``end_date``, ``hours``, ``fee``,
            ``self_pay``, ``expected_rate``, ``completion_rate``, ``uplift`` (+ low/high),
            ``p_complete``, ``effect``, ``similarity``, ``gap_coverage``, ``covered``, ``relevance``,
            the :data:`COMPONENTS` columns, ``similar_took``/``similar_completed``/``similar_employed``
            and ``reasons`` (Korean).
        p_without: The seeker's employment probability without training (model's baseline).
        n_open: Courses open to the seeker before the filters.
        as_of: Reference date.
        model_version: Recommender version.
        input_hash: Audit hash of the input.
    """

    seeker_id: int
    desired_keco: str
    desired_name: str
    gap: SkillGap
    courses: pd.DataFrame
    p_without: float
    n_open: int
    as_of: dt.date
    model_version: str
    input_hash: str
    filter: TrainingFilter = field(default_factory=TrainingFilter)

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps of the output: course ids, ranks and scores."""
        return {"seeker_id": self.seeker_id, "desired_keco": self.desired_keco,
                "courses": [{"course_id": int(r.course_id), "rank": int(r.rank), "uplift": round(float(r.uplift), 6)}
                            for r in self.courses.itertuples(index=False)]}


def _allowed_seeker(user: User, seeker_id: int | None) -> int:
    """The seeker this user may see: a seeker account only itself; counsellors any seeker."""
    if user.role == "seeker":
        own = user.scoped_seeker_id
        if not own:
            raise TrainingAccessDenied("이 계정에 연결된 구직자 정보가 없습니다. 상담사에게 문의하세요.")
        if seeker_id is not None and int(seeker_id) != int(own):
            raise TrainingAccessDenied("다른 구직자의 훈련 추천은 볼 수 없습니다.")
        return int(own)
    if user.role != "counsellor":
        raise TrainingAccessDenied("훈련 추천은 직업상담사와 구직자 본인만 볼 수 있습니다.")
    if seeker_id is None:
        raise TrainingNotFound("구직자를 골라 주세요.")
    return int(seeker_id)


def apply_filter(courses: pd.DataFrame, self_pay: np.ndarray, flt: TrainingFilter, as_of: dt.date) -> np.ndarray:
    """Boolean mask of the courses that pass ``flt``."""
    keep = np.ones(len(courses), dtype=bool)
    online = courses["online"].to_numpy(bool)
    if flt.online_only:
        keep &= online
    elif not flt.include_online:
        keep &= ~online
    if flt.region_code:
        keep &= online | (courses["region_code"].astype(str).to_numpy() == str(flt.region_code))
    if flt.start_within_weeks:
        limit = pd.Timestamp(as_of) + pd.Timedelta(weeks=int(flt.start_within_weeks))
        keep &= (courses["start_date"] <= limit).to_numpy()
    if flt.max_self_pay is not None:
        keep &= np.asarray(self_pay, dtype=float) <= float(flt.max_self_pay)
    if flt.ncs_field:
        keep &= courses["ncs_code"].astype(str).str[:2].to_numpy() == str(flt.ncs_field)
    return keep


def recommend_for_seeker(engine: Engine, artifact: TrainingArtifact, user: User, seeker_id: int | None = None, *,
                         flt: TrainingFilter | None = None, top: int = DEFAULT_TOP,
                         reference: Reference | None = None) -> TrainingRecommendations:
    """Ranked courses for one seeker of the open caseload.

    Args:
        engine: Product database.
        artifact: The built recommender and course index.
        user: Who asks (a counsellor, or the seeker themself).
        seeker_id: The seeker (a seeker account: ``None`` or its own id).
        flt: Course conditions.
        top: How many courses (1–:data:`MAX_TOP`).
        reference: Reference tables (``None``: the committed ones).

    Raises:
        TrainingAccessDenied: Employers, policy staff, or another seeker's account.
        TrainingNotFound: Unknown seeker, or not in the open caseload.
        NotReady: No reference date (no world).
    """
    flt = flt or TrainingFilter()
    if not 1 <= int(top) <= MAX_TOP:
        raise InvalidTrainingFilter(f"추천 개수는 1~{MAX_TOP}개여야 합니다 (입력값: {top})")
    sid = _allowed_seeker(user, seeker_id)
    reference = reference or load_reference()
    as_of = world_repo.load_reference_date(engine)
    if as_of is None:
        raise NotReady("기준일을 정할 자료가 없습니다. `python -m app build`로 가상 세계를 만드세요.")
    records = load_seeker_records(engine, as_of=as_of, ids=[sid])
    if records.empty:
        raise TrainingNotFound(f"구직자 #{sid}을(를) 찾을 수 없습니다.")
    _, caseload = split_cohorts(records, as_of)  # the open caseload, as the counsellor's picker has it
    if caseload.empty:
        if user.role == "seeker":  # the seeker themself: no id, and what to do
            raise TrainingNotFound(f"훈련 추천은 구직 등록 후 {HORIZON_DAYS}일 안에 볼 수 있습니다. 훈련 상담은 담당 "
                                   "상담사에게 문의하세요.")
        raise TrainingNotFound(f"구직자 #{sid}은(는) 현재 상담 대상(등록 후 {HORIZON_DAYS}일 이내 미취업자)이 아닙니다.")
    names = dict(zip(reference.certificates["certificate_id"].astype(str), reference.certificates["name"].astype(str),
                     strict=True))
    certificates = course_repo.load_certificate_names(engine, [sid], names)
    seekers = seeker_frame(records, certificates)
    model = artifact.model
    history = course_repo.load_course_frame(engine)
    courses = history[history["start_date"] >= pd.Timestamp(as_of)].reset_index(drop=True)
    side = artifact.course_side(courses, history)
    keep = apply_filter(courses, side["self_pay"].to_numpy(), flt, as_of)
    chosen = courses[keep]
    gap = compute_skill_gap(reference, str(seekers["desired_keco"].iat[0]), str(seekers["skills_text"].iat[0]),
                            str(seekers["certificates"].iat[0]))
    ranked = (model.recommend(seekers, chosen, top=int(top), ref=reference, index=artifact.index, history=history,
                              side=side.loc[chosen.index]) if len(chosen) else None)
    table = _course_table(ranked, courses)
    desired = str(seekers["desired_keco"].iat[0])
    return TrainingRecommendations(
        seeker_id=sid, desired_keco=desired,
        desired_name=str(reference.occupations.set_index("keco_code")["name"].get(desired, desired)),
        gap=gap, courses=table, p_without=float(model.probability_without(seekers)[0]), n_open=int(len(courses)), as_of=as_of,
        model_version=str(model.version), input_hash=input_hash(seekers.iloc[0].to_dict(), str(model.version), *flt.key(), int(top), as_of),
        filter=flt,
    )


TABLE_COLUMNS: tuple[str, ...] = (
    "course_id", "rank", "title", "institution", "region", "online", "start_date", "end_date", "hours", "fee",
    "self_pay", "expected_rate", "rate_rounds", "completion_rate", "uplift", "uplift_low", "uplift_high", "p_complete",
    "effect", "similarity", "gap_coverage", "covered", "relevance", *COMPONENTS, "similar_took", "similar_completed",
    "similar_employed", "reasons", "ncs_code", "course_type",
)


def _course_table(ranked: pd.DataFrame | None, courses: pd.DataFrame) -> pd.DataFrame:
    if ranked is None or ranked.empty:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    info = courses.set_index("course_id")
    rows = info.loc[ranked["course_id"].astype(str)]
    table = ranked.reset_index(drop=True).copy()
    table["course_id"] = table["course_id"].astype(int)
    table["title"] = rows["title"].to_numpy()
    table["institution"] = rows["institution"].to_numpy()
    table["region"] = [("원격" if online else region_short(code)) for online, code in
                       zip(rows["online"], rows["home_region_code"], strict=True)]
    table["online"] = rows["online"].to_numpy(bool)
    table["start_date"] = pd.to_datetime(rows["start_date"]).dt.date.to_numpy()
    table["end_date"] = pd.to_datetime(rows["end_date"]).dt.date.to_numpy()
    table["hours"] = rows["hours"].astype(int).to_numpy()
    table["fee"] = rows["fee"].astype(int).to_numpy()
    table["ncs_code"] = rows["ncs_code"].to_numpy()
    table["course_type"] = rows["course_type"].to_numpy()
    return table[list(TABLE_COLUMNS)]


# --------------------------------------------------------------------------- display tables


def gap_table(rec: TrainingRecommendations) -> pd.DataFrame:
    """``역량, 상태, 보완 과정 수`` of every skill the desired occupation needs (for the gap chart)."""
    covered_by: dict[str, int] = {}
    for items in rec.courses["covered"] if len(rec.courses) else ():
        for item in items or ():
            covered_by[item] = covered_by.get(item, 0) + 1
    rows = []
    held = set(rec.gap.held)
    for item in rec.gap.required:
        if item in held:
            status = "보유"
        elif covered_by.get(item):
            status = "부족 · 추천 과정이 보완"
        else:
            status = "부족"
        rows.append({"역량": item, "상태": status, "보완 과정 수": int(covered_by.get(item, 0))})
    return pd.DataFrame(rows, columns=["역량", "상태", "보완 과정 수"])


def components_table(rec: TrainingRecommendations) -> pd.DataFrame:
    """``과정, 요인, 기여(%p), 기대 효과(%p)``: each course's gain if completed, by component
    (probability points), and its expected uplift (for the components chart)."""
    rows = []
    for r in rec.courses.to_dict("records"):
        label = f"{int(r['rank'])}. {r['title']}"
        for component in COMPONENTS:
            rows.append({"과정": label, "요인": component, "기여(%p)": round(float(r[component]) * 100, 2),
                         "기대 효과(%p)": round(float(r["uplift"]) * 100, 2)})
    return pd.DataFrame(rows, columns=["과정", "요인", "기여(%p)", "기대 효과(%p)"])


def plain_reasons(row: dict, desired_name: str) -> list[str]:
    """The reasons of one course in plain Korean for the seeker themself."""
    reasons = []
    relevance = str(row.get("relevance") or "")
    if relevance == "희망 직종 과정":
        reasons.append(f"원하시는 '{desired_name}' 일에 바로 필요한 것을 배우는 과정이에요.")
    elif relevance == "유사 직종 과정":
        reasons.append(f"원하시는 '{desired_name}' 일과 가까운 분야의 과정이에요.")
    else:
        reasons.append("원하시는 일과는 분야가 조금 다른 과정이에요.")
    covered = tuple(row.get("covered") or ())
    if covered:
        reasons.append(f"아직 갖추지 못한 {', '.join(covered[:3])}을(를) 배울 수 있어요.")
    took = int(row.get("similar_took") or 0)
    if took:
        reasons.append(f"나와 비슷한 구직자 {took}명이 이 과정을 들었고, 그중 {int(row.get('similar_employed') or 0)}명이 "
                       "6개월 안에 취업했어요.")
    reasons.append(f"이전 수강생의 취업률은 약 {float(row['expected_rate']) * 100:.0f}%로 예상돼요.")
    return reasons


def top_courses_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """``과정, 추천 구직자 수, 수강 구직자 수`` of the policy summary, most recommended first."""
    frame = pd.DataFrame({
        "과정": summary["title"].astype(str).to_numpy(),
        "추천 구직자 수": summary["seekers_recommended"].astype(int).to_numpy(),
        "수강 구직자 수": summary["enrolled_after"].astype(int).to_numpy(),
    })
    return frame.sort_values("추천 구직자 수", ascending=False, kind="stable").reset_index(drop=True)


def reference_date_of(engine: Engine) -> dt.date | None:
    """The data's reference date (기준일)."""
    return world_repo.load_reference_date(engine)
