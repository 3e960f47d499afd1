"""The interest test's result: the RIASEC profile with its uncertainty and the top-5 occupations.

Each occupation comes with why it fits (SHAP values of the occupation-fit model, grouped by
attribute group, and the interests and work-environment preferences that pull most towards it),
its KECO occupation's wage band (reference tables, KNOW 2018 incumbents' pay at today's level),
its demand (postings of the last 12 months against the 12 before, in the database) and the
postings open now. The result is stored as JSON with the session, so a finished result is shown
later exactly as it was computed, with the model versions that made it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import interest as repo
from app.db.repositories import world as world_repo
from app.exports import csv_bytes
from app.ml.adaptive_test import AdaptiveTest
from app.ml.interest_bank import MODEL_NAME as TEST_MODEL_NAME
from app.ml.interest_bank import MODEL_VERSION as TEST_MODEL_VERSION
from app.ml.interest_bank import InterestTestModel
from app.ml.occupation_fit import MODEL_NAME as FIT_MODEL_NAME
from app.ml.occupation_fit import OccupationFit
from app.reference.interest import RIASEC_SCALES
from app.reference.tables import Reference, load_reference
from app.text.korean import format_kst_datetime, format_manwon

SCALE_NAMES: dict[str, str] = {"R": "현실형", "I": "탐구형", "A": "예술형", "S": "사회형", "E": "진취형", "C": "관습형"}
"""Korean names of the RIASEC types."""
ENVIRONMENT_NAME = "업무 환경"
"""Korean name of the work-environment preference items."""
TOP_OCCUPATIONS = 5
REASONS_PER_KIND = 2
"""Interests and environment preferences named per occupation (the strongest positive ones)."""
POSTINGS_SHOWN = 3


def environment_features(model: InterestTestModel, answers: dict[int, int]) -> dict[str, float]:
    """Work-environment answers as the KNOW items the fit model reads (``cq…`` → value).

    A preference answer 1–5 is the KNOW frequency/importance level 1–5, except the two KNOW items
    that are categories: ``cq47`` 규칙적인 근무 (1 = fixed schedule, 2 = when work comes) and
    ``cq48`` 재택근무 (1 = impossible, 2 = possible), which are mapped linearly onto their range.
    """
    out: dict[str, float] = {}
    for row in model.environment_items.itertuples(index=False):
        value = answers.get(int(row.id))
        code = str(row.environment_code or "")
        if value is None or not code:
            continue
        if code == "cq47":
            out[code] = 1.0 + (5 - value) / 4.0
        elif code == "cq48":
            out[code] = 1.0 + (value - 1) / 4.0
        else:
            out[code] = float(value)
    return out


@dataclass(frozen=True)
class ScaleScore:
    """One RIASEC type: predicted full-form score 1–5 and the trait estimate."""

    scale: str
    name: str
    score: float
    score_se: float
    theta: float
    theta_se: float


@dataclass(frozen=True)
class OccupationFitView:
    """One recommended occupation and why."""

    rank: int
    occupation_code: str
    occupation_name: str
    keco_code: str
    keco_name: str
    score: float
    interest_reasons: tuple[str, ...]
    environment_reasons: tuple[str, ...]
    group_contributions: dict[str, float]
    wage_median: float | None
    wage_p25: float | None
    wage_p75: float | None
    postings_open: int
    postings_last_year: int
    postings_year_before: int
    open_posting_titles: tuple[str, ...]

    @property
    def demand_label(self) -> str:
        """Korean one-line demand trend from the postings of the last two years."""
        if self.postings_last_year == 0 and self.postings_year_before == 0:
            return "최근 2년 구인공고 없음"
        if self.postings_year_before == 0:
            return f"최근 1년 구인공고 {self.postings_last_year:,}건 (이전 1년 없음)"
        change = self.postings_last_year / self.postings_year_before - 1
        trend = "증가" if change > 0.1 else "감소" if change < -0.1 else "비슷"
        return f"최근 1년 구인공고 {self.postings_last_year:,}건, 전년 대비 {change * 100:+.0f}% ({trend})"

    @property
    def wage_label(self) -> str:
        """The KECO occupation's monthly wage band in Korean units."""
        if self.wage_median is None:
            return "임금 정보 없음"
        return f"월 {format_manwon(self.wage_median)} (중간값)"


@dataclass(frozen=True)
class InterestResult:
    """A finished test's result (stored as JSON with the session)."""

    session_id: int
    seeker_id: int
    finished_at: str
    mode: str
    items_used: int
    environment_items: int
    elapsed_seconds: float
    stop_reason: str
    scales: tuple[ScaleScore, ...]
    holland_code: str
    top1_probability: float
    top_set_probability: float
    occupations: tuple[OccupationFitView, ...]
    model_versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-able form."""
        return asdict(self)

    def to_json(self) -> str:
        """JSON text (what the session stores)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> InterestResult:
        """The result stored by :meth:`to_json`."""
        data = json.loads(text)
        data["scales"] = tuple(ScaleScore(**s) for s in data["scales"])
        occupations = []
        for o in data["occupations"]:
            o = dict(o)
            o["interest_reasons"] = tuple(o["interest_reasons"])
            o["environment_reasons"] = tuple(o["environment_reasons"])
            o["open_posting_titles"] = tuple(o["open_posting_titles"])
            occupations.append(OccupationFitView(**o))
        data["occupations"] = tuple(occupations)
        return cls(**data)

    @property
    def holland_label(self) -> str:
        """The top three types in Korean (e.g. ``사회형·진취형·관습형``)."""
        return "·".join(SCALE_NAMES[c] for c in self.holland_code)

    @property
    def audit_output(self) -> dict[str, object]:
        """What the audit log records of this output (no personal data)."""
        return {"holland_code": self.holland_code, "items_used": self.items_used,
                "occupations": [o.occupation_code for o in self.occupations],
                "scores": {s.scale: round(s.score, 2) for s in self.scales}}

    @property
    def model_names(self) -> tuple[str, str]:
        """The audit log's model names of this output."""
        return TEST_MODEL_NAME, FIT_MODEL_NAME

    def scores_frame(self) -> pd.DataFrame:
        """``유형, 점수, 하한, 상한`` (score ± 1.96 SE, clipped to 1–5) for the profile chart."""
        return pd.DataFrame({
            "유형": [s.name for s in self.scales],
            "점수": [round(s.score, 2) for s in self.scales],
            "하한": [round(max(1.0, s.score - 1.96 * s.score_se), 2) for s in self.scales],
            "상한": [round(min(5.0, s.score + 1.96 * s.score_se), 2) for s in self.scales],
        })


def _prefers(code: str, value: float) -> bool:
    """Whether a work-environment value (as :func:`environment_features` made it) means "wants it"."""
    if code == "cq47":  # 1 = fixed schedule (wanted), 2 = when work comes
        return value <= 1.5
    if code == "cq48":  # 1 = impossible, 2 = possible (wanted)
        return value >= 1.5
    return value >= 3


def _reasons(fit: OccupationFit, row: dict[str, float], code: str) -> tuple[tuple[str, ...], tuple[str, ...], dict]:
    """The strongest positive SHAP values, worded with the person's own level (a low interest that
    matches an occupation that needs little of it is a reason too, and must read as such)."""
    features = fit.explain_features(row, code)
    interests = tuple(f"{label} {'관심 높음' if row[f] >= 3 else '관심 낮음'}({row[f]:.1f}점)"
                      for f, label, v in features if f in RIASEC_SCALES and v > 0)[:REASONS_PER_KIND]
    environment = tuple(f"{label} {'선호' if _prefers(f, row[f]) else '비선호'}"
                        for f, label, v in features if f not in RIASEC_SCALES and v > 0)[:REASONS_PER_KIND]
    groups = {group: round(value, 3) for group, value in fit.explain(row, code)}
    return interests, environment, groups


def _occupation_views(engine: Engine, fit: OccupationFit, row: dict[str, float], ref: Reference) -> tuple:
    top = fit.top_k(pd.DataFrame([row]), TOP_OCCUPATIONS)
    occupations = ref.occupations.set_index("keco_code")
    as_of = world_repo.load_reference_date(engine) or dt.date.today()
    codes = [str(c) for c in top["keco_code"] if isinstance(c, str) and c]
    demand = repo.load_posting_demand(engine, codes, as_of)
    titles = repo.load_open_posting_titles(engine, codes, as_of, per_code=POSTINGS_SHOWN)
    views = []
    for item in top.itertuples(index=False):
        keco = str(item.keco_code) if isinstance(item.keco_code, str) else ""
        interests, environment, groups = _reasons(fit, row, str(item.occupation_code))
        occ = occupations.loc[keco] if keco in occupations.index else None
        stats = demand.get(keco, (0, 0, 0))
        views.append(OccupationFitView(
            rank=int(item.rank), occupation_code=str(item.occupation_code), occupation_name=str(item.occupation_name),
            keco_code=keco, keco_name=str(occ["name"]) if occ is not None else "", score=round(float(item.score), 4),
            interest_reasons=interests, environment_reasons=environment, group_contributions=groups,
            wage_median=_number(occ, "wage_median"), wage_p25=_number(occ, "wage_p25"), wage_p75=_number(occ, "wage_p75"),
            postings_open=int(stats[0]), postings_last_year=int(stats[1]), postings_year_before=int(stats[2]),
            open_posting_titles=tuple(titles.get(keco, ())),
        ))
    return tuple(views)


def _number(row, column: str) -> float | None:
    if row is None or column not in row or pd.isna(row[column]):
        return None
    return float(row[column])


def compute_result(engine: Engine, model: InterestTestModel, fit: OccupationFit, test: AdaptiveTest,
                   environment: dict[str, float], record: repo.InterestSessionRecord, *, stop_reason: str,
                   reference: Reference | None = None) -> InterestResult:
    """The result of a finished session (profile, Holland code, top-5 occupations with reasons)."""
    ref = reference or load_reference()
    est = test.estimate()
    scales = tuple(
        ScaleScore(scale=s, name=SCALE_NAMES[s], score=round(float(est.predicted_score[d]), 3),
                   score_se=round(float(est.score_se[d]), 3), theta=round(float(est.theta[d]), 3),
                   theta_se=round(float(est.theta_se[d]), 3))
        for d, s in enumerate(model.bank.scales)
    )
    row = {s.scale: s.score for s in scales} | environment
    env_ids = set(model.environment_items["id"].astype(int))
    return InterestResult(
        session_id=int(record.id), seeker_id=int(record.seeker_id),
        finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        mode=record.mode, items_used=sum(1 for a in record.answers if a.item_id not in env_ids),
        environment_items=sum(1 for a in record.answers if a.item_id in env_ids),
        elapsed_seconds=round(float(record.elapsed_seconds or 0.0), 1), stop_reason=stop_reason, scales=scales,
        holland_code="".join(model.bank.scales[d] for d in est.ranking[:3]),
        top1_probability=round(est.top1_probability, 3), top_set_probability=round(est.top_set_probability, 3),
        occupations=_occupation_views(engine, fit, row, ref),
        model_versions={TEST_MODEL_NAME: TEST_MODEL_VERSION, FIT_MODEL_NAME: str(fit.version)},
    )


def report_csv(result: InterestResult) -> bytes:
    """The result as a CSV a seeker can download (through :mod:`app.exports`: formula cells neutralised)."""
    rows = [{"구분": "흥미 유형", "항목": s.name, "값": f"{s.score:.1f}점 (±{1.96 * s.score_se:.1f})", "설명": ""}
            for s in result.scales]
    rows.append({"구분": "흥미 코드", "항목": result.holland_label, "값": "", "설명": "가장 높은 세 유형"})
    for o in result.occupations:
        why = ", ".join([*o.interest_reasons, *o.environment_reasons])
        rows.append({"구분": f"추천 직업 {o.rank}", "항목": o.occupation_name, "값": f"적합도 {o.score * 100:.1f}%",
                     "설명": f"{why} / {o.wage_label} / {o.demand_label} / 지금 열린 공고 {o.postings_open:,}건"})
    rows.append({"구분": "안내", "항목": "AI 생성 결과", "값": "",
                 "설명": "적응형 검사와 직업 적합도 모델이 만든 결과입니다. 상담사와 함께 해석하세요."})
    return csv_bytes(pd.DataFrame(rows, columns=["구분", "항목", "값", "설명"]))


def compare_results(results: list[InterestResult]) -> pd.DataFrame:
    """Scores of several results side by side (one row per result, oldest first) for the counsellor."""
    rows = []
    for r in results:
        # finished_at is UTC (naive); the day people read is the Korean one
        row = {"검사일": format_kst_datetime(r.finished_at)[:10], "문항 수": r.items_used, "흥미 코드": r.holland_label}
        row.update({s.name: round(s.score, 2) for s in r.scales})
        row["1순위 직업"] = r.occupations[0].occupation_name if r.occupations else ""
        rows.append(row)
    return pd.DataFrame(rows)

