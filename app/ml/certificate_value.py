"""Artifact ``certificate_value``: the certificate analysis of :mod:`app.analytics.certificate_value`,
computed by ``python -m app build`` (its bootstrap takes seconds to minutes; a page never runs it).

Inputs: the seekers with an observed outcome and their insured job (``seeker_jobs``), the certificates
they hold, the committed certificate list (names and fields) and each desired occupation's main
industry. Output: one :class:`~app.analytics.certificate_value.CertificateValueResult` for both
populations (청년 and 전체 연령) and all three scopes.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from app.analytics.certificate_value import (
    AnalysisSettings,
    CertificateValueResult,
    analyse_certificates,
    outcome_columns,
)
from app.db.repositories import certificates as certificate_repo
from app.db.repositories.world import read_world_meta
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard
from app.reference.certificate_fields import certificate_fields, occupation_main_industry
from app.reference.tables import Reference, load_reference

MODEL_NAME = "certificate_value"
MODEL_VERSION = "1.0"
MODEL_FILE = "certificate_value.pkl"


def certificate_names(ref: Reference) -> pd.DataFrame:
    """``certificate_id``, ``name``, ``kind``, ``field`` of every reference certificate."""
    fields = certificate_fields(ref)
    return ref.certificates[["certificate_id", "name", "kind"]].assign(
        field=ref.certificates["certificate_id"].map(fields).to_numpy())


def load_analysis_frame(engine: Engine, ref: Reference) -> tuple[pd.DataFrame, dt.date]:
    """Seekers with the analysis columns (industry = the desired occupation's main industry) and the
    observation end the tenure is measured to (``world_meta``; the last job start when absent)."""
    raw = certificate_repo.load_certificate_population(engine)
    meta = read_world_meta(engine)
    stored = meta.get("observation_end")
    if stored:
        observation_end = dt.date.fromisoformat(stored)
    else:
        last = pd.to_datetime(raw["started_on"]).max()
        observation_end = last.date() if pd.notna(last) else dt.date.today()
    main = occupation_main_industry(ref)
    frame = pd.concat([raw[["seeker_id", "age", "education", "career_years"]].reset_index(drop=True),
                       pd.DataFrame({"occupation_group": raw["desired_keco"].astype(str).str[:1].to_numpy()}),
                       pd.DataFrame({"industry_code": raw["desired_keco"].astype(str).map(main).fillna("").to_numpy()}),
                       outcome_columns(raw, observation_end).reset_index(drop=True)], axis=1)
    return frame, observation_end


def build_certificate_value(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: the analysis on the world (seeded bootstrap from the build's seed)."""
    started = time.perf_counter()
    ref = load_reference()
    frame, observation_end = load_analysis_frame(ctx.engine, ref)
    holdings = certificate_repo.load_certificate_holdings(ctx.engine)
    result = analyse_certificates(frame, holdings, certificate_names(ref), AnalysisSettings(seed=ctx.seed),
                                  observation_end=observation_end)
    result.metrics["seekers"] = float(len(frame))
    result.metrics["build_seconds"] = round(time.perf_counter() - started, 1)
    return save_fitted(ctx, result, MODEL_FILE, result.metrics)


def load_certificate_value(models_dir: Path) -> CertificateValueResult:
    """The built analysis (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="자격증 노동시장 가치 분석", build=build_certificate_value)
"""The certificate analysis (indicators, entropy weights, scores with bootstrap intervals)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="자격증 노동시장 가치 분석",
    purpose="자격증별로 보유자와 비슷한 조건의 미보유자의 취업 성과를 비교해, 정책 담당자와 상담사가 어떤 자격증이 "
            "어느 업종에서 취업·임금·근속에 도움이 되는지 보도록 돕습니다.",
    output="자격증별 종합 점수(0~100, 함께 비교한 자격증 안에서의 상대 점수)와 순위, 지표별 차이, 지표 가중치, "
           "부트스트랩 95% 구간.",
    shown_on=("certificate_value",),
    criteria=("180일 내 취업률 차이", "취업 소요일 차이", "임금 프리미엄", "100인 이상 기업 취업 비율 차이",
              "6개월 근속률 차이"),
    not_used="이름·연락처·성별·장애 여부는 쓰지 않습니다. 비교 조건은 연령대·학력·경력 구간뿐입니다.",
    training_data="가상 세계의 구직자 기록(구직 등록, 180일 내 취업, 취업한 일자리의 업종·규모·임금·근속)과 보유 자격증.",
    human_oversight="개인에 대한 판단을 하지 않는 집계 분석입니다. 정책 담당자와 상담사가 지표와 가중치, 구간을 함께 보고 "
                    "해석합니다.",
    contest="분석 결과가 현장과 다르다고 보이면 정책 담당 부서에 알려 주세요. 지표별 차이와 표본 수를 함께 검토합니다.",
    limits="관찰 자료의 비교라 연령·학력·경력 밖의 차이(의욕, 전공 등)는 보정되지 않으며 인과 효과가 아닙니다. 보유자가 "
           "적은 자격증은 제외되고, 점수는 함께 비교한 자격증 사이의 상대 값입니다.",
    quality_metrics=("worked_example_max_error", "certificates_scored", "certificates_suppressed"),
    fairness_note="개인을 평가하지 않는 자격증 단위 집계라 집단별 공정성 지표는 해당하지 않습니다. 성별·장애 여부로 "
                  "보정하지 않으므로, 특정 집단이 많이 가진 자격증의 점수에는 그 집단의 노동시장 여건이 섞일 수 있습니다.",
)
"""Transparency notice of the certificate analysis (:mod:`app.ml.model_card`)."""
