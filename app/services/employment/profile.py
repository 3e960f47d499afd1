"""One seeker's profile for a counsellor: masked summary and documents, probability with interval,
reasons, services ranked by estimated effect, similar past seekers, and the what-if."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories.seekers import MaskedDocuments, load_seeker_records
from app.errors import InvalidInput
from app.ml.employment import EmploymentModel
from app.ml.employment_features import HORIZON_DAYS, MAX_RELEVANT_CERTIFICATES, split_cohorts
from app.reference.codes import SERVICE_LABELS, SERVICES
from app.reference.names import occupation_names, region_short
from app.services.employment.caseload import FUTURE_COLUMNS, input_hash, reference_date, score_frame
from app.services.employment.reasons import effect_reason, factor_table, group_contributions
from app.services.employment.store import RiskBands, SeekerNotFound, load_masked_documents, load_overrides
from app.text.korean import format_manwon

MIN_DESIRED_WAGE, MAX_DESIRED_WAGE = 500_000, 30_000_000
MAX_EXTRA_CERTIFICATES = 3


class InvalidWhatIf(InvalidInput):
    """A what-if change that cannot be scored (Korean message)."""


# --------------------------------------------------------------------------- one seeker


@dataclass(frozen=True)
class SimilarSeekers:
    """How past seekers like this one fared (observed outcomes, not model output).

    Attributes:
        n: Similar past seekers.
        employed_rate: Share employed within 180 days.
        median_days: Median day of employment among the employed (``nan`` if none).
        by_service: ``service, label, n_received, rate_received, n_not, rate_not``.
        same_group: Whether they were all from the same KECO 중분류.
    """

    n: int
    employed_rate: float
    median_days: float
    by_service: pd.DataFrame
    same_group: bool


@dataclass(frozen=True)
class SeekerProfile:
    """Everything the profile page shows about one seeker.

    Attributes:
        seeker_id: Internal number (pseudonymous).
        documents: Masked name, résumé, cover letter and notes.
        summary: Korean label → value (no direct identifier).
        record: The seeker's non-identifying record (for what-ifs).
        features: Model features (one row).
        probability: Model probability of employment within 180 days of registration (banded).
        probability_low: Lower bound of its interval.
        probability_high: Upper bound.
        probability_now: The same given the seeker is still searching on the caseload date.
        days_since_registration: Days since registration on the caseload date.
        band: Model band.
        override: Newest override (dict) or ``None``.
        factors: ``factor, contribution, sentence`` largest first (calibrated log-odds).
        base_logit: Log-odds of an average seeker.
        services: ``service, label, effect, effect_low, effect_high, propensity, received,
            reason, caution`` best first.
        similar: :class:`SimilarSeekers`.
        model_version: Version of the model.
        input_hash: SHA-256 of the model input (audit log).
    """

    seeker_id: int
    documents: MaskedDocuments
    summary: dict[str, str]
    record: dict[str, object]
    features: pd.DataFrame
    probability: float
    probability_low: float
    probability_high: float
    probability_now: float
    days_since_registration: int
    band: str
    override: dict[str, object] | None
    factors: pd.DataFrame
    base_logit: float
    services: pd.DataFrame
    similar: SimilarSeekers
    model_version: str
    input_hash: str
    calibration_note: str = field(default="")

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps of the shown profile (figures only)."""
        return {
            "probability": round(self.probability, 6),
            "probability_now": round(self.probability_now, 6),
            "band": self.band,
            "top_factors": self.factors["factor"].head(3).tolist(),
            "services": {str(r.service): (None if pd.isna(r.effect) else round(float(r.effect), 6))
                         for r in self.services.itertuples()},
        }


def _summary(record: Mapping[str, object], documents: MaskedDocuments) -> dict[str, str]:
    keco = str(record["desired_keco"])
    last = record.get("last_keco")
    summary = {
        "성명": documents.masked_name,
        "연령": f"{int(record['age'])}세",
        "학력": str(record["education"]),
        "경력": f"{float(record['career_years']):.0f}년" + (f" (직전: {occupation_names(str(last))[0]})" if last else ""),
        "희망 직종": f"{occupation_names(keco)[0]} ({keco})",
        "희망 임금": f"월 {format_manwon(float(record['desired_wage']))}",
        "희망 지역": region_short(str(record["desired_region_code"])) + (" (타 지역 가능)" if record.get("region_flexible") else ""),
        "구직급여": "수급 중" if record.get("benefit_status") else "미수급",
        "자격증": f"{len([c for c in str(record.get('certificate_ids') or '').split(';') if c])}개",
        "등록일": str(record["registered_on"]),
    }
    received = [label for s, label in SERVICE_LABELS.items() if int(record.get(f"svc_{s}") or 0)]
    summary["받은 서비스"] = ", ".join(received) if received else "없음"
    return summary


def _similar(model: EmploymentModel, x: pd.DataFrame, desired_keco: str) -> SimilarSeekers:
    pool = model.similar_seekers(x, desired_keco)
    employed = pool["employed_180d"].astype(bool)
    days = pool.loc[employed, "days_to_employment"].dropna()
    rows = []
    for service in SERVICES:
        got = pool[f"svc_{service}"].astype(int) == 1
        rows.append({
            "service": service, "label": SERVICE_LABELS[service],
            "n_received": int(got.sum()), "rate_received": float(employed[got].mean()) if got.any() else np.nan,
            "n_not": int((~got).sum()), "rate_not": float(employed[~got].mean()) if (~got).any() else np.nan,
        })
    same = bool((model.neighbours["desired_mid"] == desired_keco[:2]).sum() >= len(pool))
    return SimilarSeekers(n=len(pool), employed_rate=float(employed.mean()) if len(pool) else np.nan,
                          median_days=float(days.median()) if len(days) else np.nan, by_service=pd.DataFrame(rows),
                          same_group=same)


def _service_table(model: EmploymentModel, x: pd.DataFrame, record: Mapping[str, object]) -> pd.DataFrame:
    effects = model.service_effects(x)
    rows = []
    for r in effects.itertuples(index=False):
        reasons, _ = model.effect_reasons(x, r.service)
        grouped = group_contributions(reasons).iloc[0]
        caution = ""
        if not r.received and (r.propensity < 0.03 or r.propensity > 0.97):
            caution = "비슷한 구직자 가운데 이 서비스를 받은 사람이 드물어 추정이 불확실합니다"
        rows.append({
            "service": r.service, "label": SERVICE_LABELS[r.service], "effect": r.effect, "effect_low": r.effect_low,
            "effect_high": r.effect_high, "propensity": r.propensity, "received": r.received,
            "reason": "이미 받고 있는 서비스입니다" if r.received else effect_reason(r.service, grouped, record),
            "caution": caution,
        })
    table = pd.DataFrame(rows)
    rank = table["effect"].fillna(-np.inf)
    return table.iloc[np.argsort(-rank.to_numpy(), kind="stable")].reset_index(drop=True)


def seeker_profile(engine: Engine, model: EmploymentModel, seeker_id: int, bands: RiskBands) -> SeekerProfile:
    """The profile of one seeker of the open caseload.

    Raises:
        SeekerNotFound: The seeker does not exist or is not in the open caseload (registered more
            than 180 days ago, or already employed).
    """
    as_of = reference_date(engine)
    records = load_seeker_records(engine, as_of=as_of, ids=[int(seeker_id)])
    if records.empty:
        raise SeekerNotFound(f"구직자 #{seeker_id}을(를) 찾을 수 없습니다.")
    _, caseload = split_cohorts(records, as_of)
    if caseload.empty:
        raise SeekerNotFound(
            f"구직자 #{seeker_id}은(는) 현재 상담 대상(등록 후 {HORIZON_DAYS}일 이내 미취업자)이 아닙니다."
        )
    caseload = caseload.drop(columns=list(FUTURE_COLUMNS)).reset_index(drop=True)
    x = model.features(caseload)
    scored = score_frame(caseload, x, model, bands)
    row = scored.iloc[0]
    record = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    values, base = model.explain(x)
    grouped = group_contributions(values).iloc[0]
    market = float(model.market.market_wage(scored["desired_keco"], scored["desired_region_code"])[0])
    features = {k: (float(v) if not isinstance(v, str) else v) for k, v in x.iloc[0].astype(object).items()
                if k not in ("education", "desired_major")}
    factors = factor_table(grouped, record, features, market)
    documents = load_masked_documents(engine, int(seeker_id), as_of=as_of)
    overrides = load_overrides(engine, int(seeker_id))
    override = None if overrides.empty else overrides.iloc[0].to_dict()
    return SeekerProfile(
        seeker_id=int(seeker_id),
        documents=documents,
        summary=_summary(record, documents),
        record={k: record[k] for k in record if k not in ("sex", "disability", "region_code")},
        features=x,
        probability=float(row["probability"]),
        probability_low=float(row["probability_low"]),
        probability_high=float(row["probability_high"]),
        probability_now=float(row["probability_now"]),
        days_since_registration=int(row["days_since_registration"]),
        band=str(row["band"]),
        override=override,
        factors=factors,
        base_logit=float(base[0]),
        services=_service_table(model, x, record),
        similar=_similar(model, x, str(record["desired_keco"])),
        model_version=str(model.version),
        input_hash=input_hash(x.iloc[0].to_dict(), str(model.version), int(row["days_since_registration"])),
        calibration_note=calibration_note(model),
    )


def calibration_note(model: EmploymentModel) -> str:
    """One sentence on how well the model's probabilities match outcomes on held-out seekers."""
    ece = model.metrics.get("ece")
    if ece is None:
        return ""
    return (f"검증용 구직자에서 예측확률과 실제 취업률의 평균 차이(ECE)는 {float(ece) * 100:.1f}%p입니다. "
            "예측 30%인 구직자 100명 중 약 30명이 180일 안에 취업했다는 뜻입니다.")


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class WhatIf:
    """Actionable changes a counsellor can try (validated on creation).

    Attributes:
        desired_wage: Desired monthly wage (KRW).
        region_flexible: Willing to work outside the desired region.
        complete_training: Completes a training course (직업훈련 수료).
        extra_certificates: Obtains this many more certificates for the desired occupation (0–3).
    """

    desired_wage: int
    region_flexible: bool
    complete_training: bool
    extra_certificates: int = 0

    def __post_init__(self) -> None:
        if not MIN_DESIRED_WAGE <= int(self.desired_wage) <= MAX_DESIRED_WAGE:
            raise InvalidWhatIf(f"희망임금은 월 {format_manwon(MIN_DESIRED_WAGE)}~{format_manwon(MAX_DESIRED_WAGE)}이어야 "
                                f"합니다 (입력값: {self.desired_wage:,}원)")
        if not 0 <= int(self.extra_certificates) <= MAX_EXTRA_CERTIFICATES:
            raise InvalidWhatIf(f"추가 자격증은 0~{MAX_EXTRA_CERTIFICATES}개여야 합니다 (입력값: {self.extra_certificates})")


@dataclass(frozen=True)
class WhatIfResult:
    """A what-if's probability (at registration, and still searching), its change and the reasons."""

    probability: float
    probability_low: float
    probability_high: float
    probability_now: float
    change: float
    factors: pd.DataFrame
    base_logit: float
    input_hash: str


def whatif(model: EmploymentModel, profile: SeekerProfile, change: WhatIf) -> WhatIfResult:
    """Score the profile's seeker under ``change`` (same day since registration)."""
    record = dict(profile.record)
    record.update(desired_wage=int(change.desired_wage), region_flexible=bool(change.region_flexible))
    if change.complete_training:
        record["svc_training"] = 1
    frame = pd.DataFrame([record])
    x = model.features(frame)
    if change.extra_certificates:
        relevant = np.minimum(x["n_relevant_certificates"] + int(change.extra_certificates), MAX_RELEVANT_CERTIFICATES)
        x["n_certificates"] = x["n_certificates"] + (relevant - x["n_relevant_certificates"])
        x["n_relevant_certificates"] = relevant
    predicted = model.predict(x).iloc[0]
    p = float(predicted["probability"])
    now = float(model.current_probability(np.asarray([p]), np.asarray([profile.days_since_registration]))[0])
    values, base = model.explain(x)
    grouped = group_contributions(values).iloc[0]
    market = float(model.market.market_wage(frame["desired_keco"], frame["desired_region_code"])[0])
    features = {k: float(v) for k, v in x.iloc[0].items() if k not in ("education", "desired_major")}
    return WhatIfResult(
        probability=p,
        probability_low=float(predicted["probability_low"]),
        probability_high=float(predicted["probability_high"]),
        probability_now=now,
        change=p - profile.probability,
        factors=factor_table(grouped, record, features, market),
        base_logit=float(base[0]),
        # the profile's own hash when nothing changed, so an untouched what-if is not logged twice
        input_hash=input_hash(x.iloc[0].to_dict(), str(model.version), profile.days_since_registration),
    )


