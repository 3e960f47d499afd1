"""A monitor for every model of the manifest: what it scores, which checks apply, and the per-window
tables those checks read (scores come from each model's own service or loader; nothing is re-implemented).

* 취업성공 예측모델 (``employment``) — every seeker scored at registration; reference window = the
  training cohort (registered 180 days or more before the 기준일), monitored = the caseload registered
  after it, whose outcomes are known now. PSI, calibration and fairness gaps by registration quarter;
  counsellors' band overrides.
* 채용성공 예측모델 (``hiring``) — every posting; reference window = the first four quarters of
  postings. PSI and calibration (filled within 30 days) by opening quarter. The model learned from a
  random 80 % of all postings, so its calibration here is partly in-sample (said on the page).
* 훈련과정 취업성과 예측모델 (``course_outcome``) — every course the model holds (real K-Digital
  Training rounds when built from them); reference window = the courses started before its
  time-split cutoff. PSI and calibration (published 6-month rates) by start year.
* 구인광고 AI 검증 (``ad_verifier``) — the classifier's probability of every stored posting by opening
  quarter (PSI; no outcome: the verdict is checked by people), reviewers overruling its decision.
* 상담 지원 AI (``copilot``) — counsellors' edits of its drafts per task.
* The other artifacts — no score with an outcome; the audit-log volume and the build's age.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.analytics import monitoring as mon
from app.analytics.monitoring import Alert, Thresholds
from app.db.repositories import monitor_events as events_repo
from app.db.repositories import monitoring as repo
from app.db.repositories import world as world_repo
from app.db.repositories.seekers import load_seeker_records
from app.ml.course_outcome import load_course_outcome
from app.ml.fairness import ATTRIBUTE_LABELS, METRIC_LABELS, age_band
from app.ml.manifest import load_manifest
from app.services import ads, copilot, employment, hiring
from app.services.audit import ACTION_LABELS
from app.text.korean import KST

FAIRNESS_ATTRIBUTES: Final[tuple[str, ...]] = ("sex", "age_band", "disability")
"""Protected attributes watched over time (region has 17 small groups: the policy page audits it)."""

CHECK_NAMES: Final[dict[str, str]] = {
    "psi": "점수 분포 변화(PSI)",
    "ece": "보정 오차(ECE)",
    "calibration_gap": "예측−실제 차이",
    "fairness": "공정성 격차",
    "override": "사람의 변경·번복률",
    "audit": "감사 로그 건수",
}
"""Korean name of each check."""


@dataclass(frozen=True)
class ModelProfile:
    """What the page says about a model: what it scores, which checks apply and why others do not."""

    scores: str
    window: str
    checks: tuple[str, ...]
    no_outcome: str = ""


PROFILES: Final[dict[str, ModelProfile]] = {
    "employment": ModelProfile("구직자의 등록 후 180일 내 취업 확률", "등록 분기",
                               ("psi", "ece", "calibration_gap", "fairness", "override", "audit")),
    "hiring": ModelProfile("공고가 30일 안에 채워질 확률", "공고 게시 분기", ("psi", "ece", "calibration_gap", "audit")),
    "course_outcome": ModelProfile("훈련과정의 수료 후 6개월 취업률", "과정 시작 연도",
                                   ("psi", "ece", "calibration_gap", "audit")),
    "ad_verifier": ModelProfile("구인광고가 법 위반일 확률", "공고 게시 분기", ("psi", "override", "audit"),
                                "정답 결과가 쌓이지 않음: 사람 검토의 번복률로 점검"),
    "copilot": ModelProfile("상담 지원 초안(진단·로드맵·첨삭 등)", "작업별", ("override", "audit"),
                            "정답 결과가 없음: 상담사가 고친 비율로 점검"),
    "talent_matcher": ModelProfile("구직자와 공고의 채용 가능성 순위", "-", ("audit",),
                                   "채용 결과와 연결된 추천 기록이 아직 없음"),
    "training_recommender": ModelProfile("구직자별 훈련과정의 기대 효과", "-", ("audit",),
                                         "추천 후 결과는 훈련 추천 현황 화면에서 집계"),
    "occupation_classifier": ModelProfile("공고 문장의 직종 분류", "-", ("audit",), "정답 직종이 새로 쌓이지 않음"),
    "occupation_fit": ModelProfile("흥미·환경 선호와 직업의 적합도", "-", ("audit",), "결과 지표가 없음"),
    "interest_test": ModelProfile("직업흥미검사 문항 선택과 점수", "-", ("audit",),
                                  "문항은행 상태는 흥미검사 문항은행 현황 화면에서 점검"),
    "market_wages": ModelProfile("직종×지역 시장임금 집계표(예측 아님)", "-", ("audit",), "예측 모델이 아님"),
    "postings_index": ModelProfile("유사 공고 검색 색인(예측 아님)", "-", ("audit",), "예측 모델이 아님"),
    "certificate_value": ModelProfile("자격증별 노동시장 가치 점수(관측 결과의 집계, 예측 아님)", "-", ("audit",),
                                      "예측 모델이 아님: 점수의 부트스트랩 구간은 자격증 가치 화면에서 확인"),
    "topics": ModelProfile("과정명·상담일지의 토픽 비율", "-", ("audit",),
                           "정답 결과가 없음: 일관성·안정성은 토픽 분석 화면에서 확인"),
}
"""What each monitored artifact scores; an artifact missing here gets the audit-log check only."""


@dataclass
class ModelMonitor:
    """One model's monitoring tables (empty frames when the check does not apply).

    Attributes:
        name: Manifest name (never shown). title: Korean title. version: Built version.
        profile: What it scores and which checks apply.
        reference: Korean description of its reference window.
        drift: :func:`app.analytics.monitoring.score_drift` output with ``window``.
        calibration: :func:`app.analytics.monitoring.calibration_by_window` output with ``window``.
        fairness: :func:`app.analytics.monitoring.fairness_over_time` output with ``window``.
        overrides: :func:`app.analytics.monitoring.override_rates` output with ``window``.
        alerts: Alerts raised for this model.
        note: Korean caveat of the calibration (e.g. in-sample windows).
    """

    name: str
    title: str
    version: str
    profile: ModelProfile
    reference: str = ""
    drift: pd.DataFrame = field(default_factory=pd.DataFrame)
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    fairness: pd.DataFrame = field(default_factory=pd.DataFrame)
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: list[Alert] = field(default_factory=list)
    note: str = ""


def _labelled(table: pd.DataFrame, label: object) -> pd.DataFrame:
    if table.empty:
        return table.assign(window=pd.Series(dtype=str))
    return table.assign(window=[label(w) for w in table["window_start"]])  # type: ignore[operator]


def _observation_end(engine: Engine) -> dt.date | None:
    known = world_repo.load_world_meta(engine).get("observation_end")
    return dt.date.fromisoformat(known[:10]) if known else world_repo.load_reference_date(engine)


def _drift_and_calibration(monitor: ModelMonitor, frame: pd.DataFrame, *, outcome: str | None, label: object,
                           thresholds: Thresholds) -> None:
    """Fill a monitor's PSI and calibration tables from ``frame`` (``score, window_start, reference``
    and the outcome) and add their alerts."""
    drift = mon.score_drift(frame, score="score", window="window_start", reference="reference",
                            bins=thresholds.psi_bins)
    monitor.drift = _labelled(drift, label)
    monitor.alerts += mon.level_alerts(drift, value="psi", level=thresholds.psi, model=monitor.title,
                                       check=CHECK_NAMES["psi"], label=label, min_n=thresholds.min_window)
    if outcome is None:
        return
    calibration = mon.calibration_by_window(frame, score="score", outcome=outcome, window="window_start",
                                            reference="reference", bins=thresholds.ece_bins)
    monitor.calibration = _labelled(calibration, label)
    monitor.alerts += mon.level_alerts(calibration, value="ece", level=thresholds.ece, model=monitor.title,
                                       check=CHECK_NAMES["ece"], label=label, min_n=thresholds.min_window)
    monitor.alerts += mon.level_alerts(calibration, value="calibration_gap", level=thresholds.calibration_gap,
                                       model=monitor.title, check=CHECK_NAMES["calibration_gap"], label=label,
                                       min_n=thresholds.min_window, absolute=True)


def employment_monitor(engine: Engine, models_dir: Path, thresholds: Thresholds, *, title: str, version: str,
                       tolerance: float, min_group_size: int) -> ModelMonitor:
    """The employment-success model's monitor (see the module docstring)."""
    monitor = ModelMonitor("employment", title, version, PROFILES["employment"])
    model = employment.load_employment_model(models_dir)
    as_of = employment.reference_date(engine)
    records = load_seeker_records(engine, as_of=as_of)
    if records.empty:
        return monitor
    probability = model.predict_proba(model.features(records))
    registered = pd.to_datetime(records["registered_on"])
    training_end = pd.Timestamp(as_of) - pd.Timedelta(days=employment_horizon())
    known_until = _observation_end(engine)
    mature = registered + pd.Timedelta(days=employment_horizon()) <= pd.Timestamp(known_until or as_of)
    frame = pd.DataFrame({
        "score": probability,
        "window_start": mon.quarter_start(registered).to_numpy(),
        "reference": (registered <= training_end).to_numpy(),
        "employed": records["employed_180d"].astype(float).where(mature.to_numpy()).to_numpy(),
        "sex": records["sex"].map({"M": "남성", "F": "여성"}).fillna("기타").to_numpy(),
        "age_band": age_band(records["age"].to_numpy()),
        "disability": np.where(records["disability"].to_numpy(bool), "장애 있음", "장애 없음"),
    })
    monitor.reference = f"학습 구간: {training_end:%Y-%m-%d} 이전 등록자(모델이 배운 기간)"
    monitor.note = ("학습 구간의 보정은 학습에 쓰인 자료라 낙관적으로 보입니다. 경보는 학습 이후 구간에만 냅니다.")
    _drift_and_calibration(monitor, frame, outcome="employed", label=mon.quarter_label, thresholds=thresholds)
    bands = employment.load_risk_bands(engine)
    # the gaps the model had when it was built, on its held-out seekers (the policy page's audit): the
    # baseline of the later windows, shown as the first point of the fairness charts
    held_out = employment.fairness_reports(model, bands, tolerance=tolerance, min_group_size=min_group_size)["main"]
    gaps = held_out.gaps[held_out.gaps["metric"].isin(list(thresholds.fairness_metrics))
                         & held_out.gaps["attribute"].isin(list(FAIRNESS_ATTRIBUTES))]
    baseline = {(str(r.attribute), str(r.metric)): float(r.gap) for r in gaps.itertuples(index=False)}
    monitored = frame[~frame["reference"]]
    fairness = mon.fairness_over_time(monitored, score="score", outcome="employed", window="window_start",
                                      attributes=FAIRNESS_ATTRIBUTES, cutoff=bands.high_below, tolerance=tolerance,
                                      min_group_size=min_group_size, significance=thresholds.fairness_significance,
                                      metrics=thresholds.fairness_metrics, reference="reference")
    reference_start = frame.loc[frame["reference"], "window_start"].min() if frame["reference"].any() else pd.NaT
    build_rows = gaps.assign(window_start=reference_start, n=int(held_out.overall.get("n", 0)), in_reference=True,
                             tolerance=float(tolerance))[list(fairness.columns)]
    fairness = pd.concat([build_rows, fairness], ignore_index=True) if len(fairness) else build_rows

    def fairness_label(start: object) -> str:
        return "학습 때(평가 구간)" if start == reference_start else mon.quarter_label(start)

    monitor.fairness = _labelled(fairness, fairness_label)
    monitor.alerts += mon.fairness_alerts(fairness, model=title, label=fairness_label,
                                          attribute_labels=ATTRIBUTE_LABELS, metric_labels=METRIC_LABELS,
                                          baseline=baseline)
    return monitor


def employment_horizon() -> int:
    """Days of the employment model's outcome (employment within 180 days of registration)."""
    from app.ml.employment_features import HORIZON_DAYS

    return int(HORIZON_DAYS)


def hiring_monitor(engine: Engine, models_dir: Path, thresholds: Thresholds, *, title: str, version: str) -> ModelMonitor:
    """The hiring-success model's monitor (see the module docstring)."""
    monitor = ModelMonitor("hiring", title, version, PROFILES["hiring"])
    scored = hiring.score_all_postings(engine, hiring.load_hiring_model(models_dir))
    if scored.empty:
        return monitor
    outcomes = repo.load_posting_fill_outcomes(engine).set_index("posting_id")["filled_30d"]
    opened = pd.to_datetime(scored["open_date"])
    known_until = _observation_end(engine)
    mature = opened + pd.Timedelta(days=30) <= pd.Timestamp(known_until) if known_until else pd.Series(True, index=scored.index)
    windows = mon.quarter_start(opened)
    first_year = sorted(windows.dropna().unique())[:4]
    frame = pd.DataFrame({
        "score": scored["probability"].to_numpy(float), "window_start": windows.to_numpy(),
        "reference": windows.isin(first_year).to_numpy(),
        "filled": scored["id"].map(outcomes).astype(float).where(mature.to_numpy()).to_numpy(),
    })
    monitor.reference = f"기준 구간: 처음 4개 분기({mon.quarter_label(first_year[0])}~{mon.quarter_label(first_year[-1])})"
    monitor.note = "이 모델은 모든 공고의 무작위 80%로 학습해, 보정은 일부 표본 내 결과입니다."
    _drift_and_calibration(monitor, frame, outcome="filled", label=mon.quarter_label, thresholds=thresholds)
    return monitor


def course_outcome_monitor(models_dir: Path, thresholds: Thresholds, *, title: str, version: str,
                           cutoff: float | None) -> ModelMonitor:
    """The course-outcome model's monitor on the courses it holds (real KDT rounds when built from them)."""
    monitor = ModelMonitor("course_outcome", title, version, PROFILES["course_outcome"])
    model = load_course_outcome(models_dir)
    courses = model.history[model.history["start_date"].notna()].reset_index(drop=True)
    if courses.empty:
        return monitor
    predicted = model.predict(courses)
    start = pd.to_datetime(courses["start_date"])
    split = pd.Timestamp(str(int(cutoff))) if cutoff else start.quantile(0.78)
    frame = pd.DataFrame({
        "score": predicted, "window_start": start.dt.to_period("Y").dt.start_time.to_numpy(),
        "reference": (start < split).to_numpy(), "rate": courses["employment_rate_6m"].astype(float).to_numpy(),
    })
    source = "실제 K-디지털 트레이닝 과정" if model.source == "kdt" else "가상 세계의 과정"
    monitor.reference = f"기준 구간: {split:%Y-%m-%d} 이전 시작 과정({source})"
    monitor.note = ("배포 모델은 결과가 공개된 모든 과정으로 학습해 보정은 표본 내 결과입니다. "
                    "기준일로 나눠 다시 학습한 실제 자료 점검 결과는 운영 문서(모니터링 안내)에 있습니다.")
    _drift_and_calibration(monitor, frame, outcome="rate", label=mon.year_label, thresholds=thresholds)
    return monitor


def ad_verifier_monitor(engine: Engine, models_dir: Path, thresholds: Thresholds, *, title: str,
                        version: str) -> ModelMonitor:
    """The ad verifier's monitor: the classifier probability by opening quarter, reviewers overruling it."""
    monitor = ad_verifier_scores(engine, models_dir, thresholds, title=title, version=version)
    ad_verifier_overrides(engine, monitor, thresholds)
    return monitor


def ad_verifier_scores(engine: Engine, models_dir: Path, thresholds: Thresholds, *, title: str,
                       version: str) -> ModelMonitor:
    """The ad verifier's monitor without the reviews: the classifier probability and the share flagged
    by opening quarter (the part stored by :func:`store_model_monitors`)."""
    monitor = ModelMonitor("ad_verifier", title, version, PROFILES["ad_verifier"])
    checks = ads.load_stored_checks(models_dir)
    dates = repo.load_posting_open_dates(engine).set_index("id")["open_date"]
    opened = pd.to_datetime(checks["posting_id"].map(dates))
    checks = checks[opened.notna().to_numpy()]
    opened = opened.dropna()
    if not checks.empty:
        windows = mon.quarter_start(opened)
        first_year = sorted(windows.unique())[:4]
        frame = pd.DataFrame({"score": checks["ml_probability"].to_numpy(float), "window_start": windows.to_numpy(),
                              "reference": windows.isin(first_year).to_numpy()})
        monitor.reference = f"기준 구간: 처음 4개 분기({mon.quarter_label(first_year[0])}~{mon.quarter_label(first_year[-1])})"
        _drift_and_calibration(monitor, frame, outcome=None, label=mon.quarter_label, thresholds=thresholds)
        flagged = (checks["decision"] != "pass").groupby(windows.to_numpy()).mean()
        monitor.drift["flagged_share"] = monitor.drift["window_start"].map(flagged).astype(float)
    return monitor


def ad_verifier_overrides(engine: Engine, monitor: ModelMonitor, thresholds: Thresholds) -> None:
    """Reviewers overruling the ad verifier's decision, per quarter of the review (read live: a few
    rows per review)."""
    reviews = repo.load_ad_review_events(engine)
    if not reviews.empty:
        overruled = ((reviews["decision"] == "approve") & (reviews["model_decision"] != "pass")) | (
            (reviews["decision"] == "reject") & (reviews["model_decision"] == "pass"))
        events = pd.DataFrame({"window_start": mon.quarter_start(reviews["at"]).to_numpy(), "changed": overruled.to_numpy()})
        monitor.overrides = _override_table(events, monitor, thresholds)


def _override_table(events: pd.DataFrame, monitor: ModelMonitor, thresholds: Thresholds) -> pd.DataFrame:
    table = mon.override_rates(events, window="window_start", changed="changed")
    monitor.alerts += mon.level_alerts(table, value="rate", level=thresholds.override_rate, model=monitor.title,
                                       check=CHECK_NAMES["override"], label=mon.quarter_label,
                                       min_n=thresholds.override_min_n)
    return _labelled(table, mon.quarter_label)


def employment_overrides(engine: Engine, monitor: ModelMonitor, thresholds: Thresholds) -> None:
    """Counsellors' band overrides against the bands they were shown (seeker profiles opened, from the
    audit log), per quarter of the override."""
    # counted per quarter in the database: a year of use is hundreds of thousands of profiles opened
    per_window = events_repo.risk_overrides_by_quarter(engine)
    if per_window.empty:
        return
    views = events_repo.action_counts_by_quarter(engine, "employment.profile")
    table = pd.DataFrame({"window_start": per_window.index, "changed": per_window.to_numpy(int)})
    # a profile opened is a band shown; an override without a recorded view still counts as one shown
    table["n"] = [max(int(views.get(w, 0)), c) for w, c in zip(table["window_start"], table["changed"], strict=True)]
    table["rate"] = table["changed"] / table["n"].clip(lower=1)
    monitor.alerts += mon.level_alerts(table, value="rate", level=thresholds.override_rate, model=monitor.title,
                                       check=CHECK_NAMES["override"], label=mon.quarter_label,
                                       min_n=thresholds.override_min_n)
    monitor.overrides = _labelled(table[["window_start", "n", "changed", "rate"]], mon.quarter_label)


COPILOT_TASK_COLUMNS: Final[dict[str, str]] = {
    "task": "작업", "shown": "보여 준 초안", "confirmed": "확정", "edited": "상담사가 고친 초안", "edit_rate": "고친 비율(%)",
}


def copilot_edits(engine: Engine, monitor: ModelMonitor, thresholds: Thresholds) -> pd.DataFrame:
    """Per copilot task: drafts shown, confirmed and changed by the counsellor (``copilot.edit_review``),
    with the edit rate among the confirmed and its alerts."""
    review = copilot.edit_review(engine)
    if review.empty:
        return pd.DataFrame(columns=list(COPILOT_TASK_COLUMNS.values()))
    review = review.assign(task=[ACTION_LABELS.get(f"copilot.{t}", "상담 지원 — 기타 작업") for t in review["task"]])
    review["edit_rate"] = review["edited"] / review["confirmed"].clip(lower=1)
    for row in review.itertuples(index=False):
        if int(row.confirmed) < thresholds.override_min_n:
            continue
        found = thresholds.override_rate.of(float(row.edit_rate))
        if found != mon.NORMAL:
            threshold = thresholds.override_rate.alert if found == mon.ALERT else thresholds.override_rate.warning
            monitor.alerts.append(Alert(monitor.title, CHECK_NAMES["override"], str(row.task), float(row.edit_rate),
                                        threshold, found, f"{monitor.title}: {row.task} 초안의 {row.edit_rate:.0%}를 상담사가 "
                                        f"고쳤습니다 — {found} 기준 {threshold:g} 이상"))
    table = review.assign(edit_rate=(review["edit_rate"] * 100).round(1))
    return table[list(COPILOT_TASK_COLUMNS)].rename(columns=COPILOT_TASK_COLUMNS)


def audit_volume(engine: Engine, *, days: int, today: dt.date, titles: Mapping[str, str]) -> pd.DataFrame:
    """Audit-log rows per model per KST day over the last ``days`` days (``day, model, rows``;
    rows without a model, e.g. logins, are left out)."""
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(), KST).astimezone(dt.UTC).replace(tzinfo=None)
    counts = events_repo.audit_counts_by_hour(engine, since)  # a KST day is whole UTC hours
    columns = ["day", "model_name", "model", "action", "rows", "window_start"]
    counts = counts[~counts["model_name"].isin(["", "-"])] if not counts.empty else counts
    if counts.empty:
        return pd.DataFrame(columns=columns)
    at = pd.to_datetime(counts["at"]).dt.tz_localize("UTC").dt.tz_convert(KST)
    counts = counts.assign(day=at.dt.date.to_numpy(), model=[titles.get(n, "기타 모델") for n in counts["model_name"]],
                           window_start=mon.quarter_start(at.dt.tz_localize(None)).to_numpy())
    return counts.groupby(["day", "model_name", "model", "action", "window_start"], as_index=False)["rows"].sum()[columns]


def manifest_models(models_dir: Path) -> dict[str, dict]:
    """The manifest's models (name → entry), empty when nothing is built."""
    return dict((load_manifest(models_dir) or {}).get("models") or {})
