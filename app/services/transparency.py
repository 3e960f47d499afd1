"""AI transparency notice (인공지능 기본법 제31·34조): one card per model, for every role.

The cards are generated, not written per page: the list of models is the registry
(:data:`app.ml.registry.ARTIFACTS`) plus the AI outputs that are not built artifacts
(:data:`EXTRA_CARDS`); each model's fixed text is the ``CARD`` next to its ``MODEL_NAME``
(:class:`app.ml.model_card.ModelCard`); version, build time, training-data world and the measured
quality and fairness come from ``models/manifest.json``. A model that has not been built yet is
still described, with "아직 만들어지지 않음" and the build command instead of figures.

Everything here is plain text (no markdown); the page escapes it. No personal data is involved:
the manifest holds aggregate metrics only.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import pandas as pd

from app.access import PAGES, allowed_roles_label, can_access
from app.llm.offline import BACKEND_NAME as OFFLINE_BACKEND_NAME
from app.ml.manifest import BUILD_COMMAND, ArtifactSpec
from app.ml.model_card import ModelCard
from app.ml.registry import ARTIFACTS
from app.services.copilot.card import CARD as COPILOT_CARD
from app.services.posting.assistant import CARD as POSTING_ASSISTANT_CARD
from app.text.korean import format_count, format_kst_datetime, format_number, format_rate, josa

__all__ = [
    "BUILD_COMMAND", "NOT_BUILT", "CALIBRATION_SOURCES", "LEGAL_BASIS", "WORLD_NOTE", "METRIC_LABELS", "EXTRA_CARDS",
    "CardView", "MetricLine", "TransparencyReport", "compute_transparency", "contest_steps", "format_metric_value",
    "metric_lines", "model_titles", "registered_cards", "summary_frame",
]

NOT_BUILT: Final = "아직 만들어지지 않음"
AUDIT_LOG_PAGE: Final = "hiring_policy"
"""Page id whose audit-log table staff use to find a contested output."""

EXTRA_CARDS: Final[tuple[ModelCard, ...]] = (POSTING_ASSISTANT_CARD, COPILOT_CARD)
"""AI outputs written to the audit log that ``python -m app build`` does not build."""

Status = Literal["built", "missing", "stale", "setting", "undocumented"]
STATUS_LABELS: Final[dict[str, str]] = {
    "built": "사용 중",
    "missing": NOT_BUILT,
    "stale": "다시 빌드 필요",
    "setting": "설정에 따라 동작(빌드 불필요)",
    "undocumented": "설명 자료 없음",
}
"""Korean label of each card status."""

LLM_BACKEND_LABELS: Final[dict[str, str]] = {
    "offline": OFFLINE_BACKEND_NAME,
    "openai": "LLM 서버",
    "transformers": "로컬 언어모델",
}
"""Korean name of each ``GOYONG_LLM_BACKEND`` value (the posting generator's "version")."""

MetricKind = Literal["score", "percent", "point", "count", "days", "plain"]
METRIC_LABELS: Final[dict[str, tuple[str, MetricKind, str]]] = {
    # probability models
    "auc": ("AUC(구분력: 0.5는 무작위, 1은 완벽)", "score", ""),
    "ece": ("보정오차 ECE(예측 확률과 실제 비율의 평균 차이)", "point", ""),
    "brier": ("Brier 점수(낮을수록 정확)", "score", ""),
    "auc_ratio": ("참값 확률로 낸 최선의 AUC 대비 비율", "percent", ""),
    "mae_vs_true_probability": ("실제 확률과의 평균 차이", "point", ""),
    "days_mae": ("채용 소요일 예측의 평균 오차", "days", "일"),
    "n_train": ("학습 표본", "count", "건"),
    "n_test": ("평가 표본", "count", "건"),
    "auc_age_blind": ("연령을 뺀 비교 모델의 AUC", "score", ""),
    "ece_age_blind": ("연령을 뺀 비교 모델의 보정오차 ECE", "point", ""),
    # market wages
    "median_ape_vs_truth": ("실제 시장임금과의 오차(중앙값)", "percent", ""),
    "cells": ("추정한 직종×시도 칸", "count", "개"),
    # occupation classifier
    "top1_test": ("1순위 정답률(평가 공고)", "percent", ""),
    "top3_test": ("3순위 안 정답률(평가 공고)", "percent", ""),
    "n_classes": ("분류하는 직종 수", "count", "개"),
    # occupation fit
    "holdout_hit_at_5": ("자기 직업이 5순위 안에 든 재직자 비율(학습에 쓰지 않은 재직자)", "percent", ""),
    "holdout_hit_at_5_half_items": ("업무환경 문항을 절반만 답했을 때 5순위 안 비율", "percent", ""),
    "holdout_hit_at_5_interests_only": ("흥미만 답했을 때 5순위 안 비율", "percent", ""),
    "holdout_ece": ("적합도 보정오차 ECE(학습에 쓰지 않은 재직자)", "point", ""),
    # adaptive interest test (simulated takers who answered the full form)
    "simulated_items_used_mean": ("적응형 검사가 물은 흥미 문항 수(모의 응답자 평균)", "count", "문항"),
    "simulated_items_used_share": ("전체 흥미 문항 대비 물은 문항 비율", "percent", ""),
    "simulated_top1_agreement": ("전체 문항 검사와 최고 유형이 같은 비율", "percent", ""),
    "simulated_top3_set_agreement": ("전체 문항 검사와 상위 세 유형이 같은 비율", "percent", ""),
    "calibration_respondents": ("문항 모수를 추정한 응답자", "count", "명"),
    # job-ad verifier
    "recall_test": ("문제 공고 적발률(평가 공고)", "percent", ""),
    "fpr_test": ("정상 공고를 잘못 걸러낸 비율(평가 공고)", "percent", ""),
    "ml_precision": ("AI 분류 모델 정밀도", "percent", ""),
    "ml_recall": ("AI 분류 모델 재현율", "percent", ""),
    "ml_roc_auc": ("AI 분류 모델 AUC", "score", ""),
    "share_passed": ("통과 판정 비율(전체 공고)", "percent", ""),
    "n_postings": ("대상 공고", "count", "건"),
    "rule_set_version": ("빌드 때 적용한 규칙 버전", "plain", ""),
    # similar postings
    "same_occupation_top10": ("비슷한 공고 10건 중 같은 직종 비율", "percent", ""),
    "same_occupation_random": ("무작위로 고를 때 같은 직종 비율(비교 기준)", "percent", ""),
    "duplicate_source_top1": ("중복 공고의 원본을 1순위로 찾은 비율", "percent", ""),
    # talent matcher
    "ndcg10": ("추천 상위 10명의 순위 품질 nDCG@10(평가 공고, 1이 완벽)", "score", ""),
    "recall10_applied": ("실제 지원자가 추천 상위 10명에 든 비율(평가 공고)", "percent", ""),
    "recall10_hired": ("실제 채용된 사람이 추천 상위 10명에 든 비율(평가 공고)", "percent", ""),
    "hire_auc": ("채용 성사 가능성의 AUC(구분력)", "score", ""),
    "hire_ece": ("채용 성사 가능성의 보정오차 ECE", "point", ""),
    # course outcome model (time split of the real K-Digital Training courses)
    "kdt_spearman": ("예측과 실제 6개월 취업률의 순위 상관(나중에 시작한 과정)", "score", ""),
    "kdt_spearman_ncs_mean": ("같은 순위 상관을 NCS 분야 평균으로 낸 값(비교 기준)", "score", ""),
    "kdt_mae": ("6개월 취업률 예측의 평균 오차(나중에 시작한 과정)", "point", ""),
    "kdt_mae_ncs_mean": ("NCS 분야 평균으로 낸 평균 오차(비교 기준)", "point", ""),
    "kdt_courses": ("학습에 쓴 실제 K-디지털 트레이닝 과정(0이면 가상 세계 과정으로 학습)", "count", "회차"),
    "n_known_outcomes": ("6개월 취업률이 알려진 과정", "count", "회차"),
    "n_seekers": ("학습에 쓴 과거 구직자(6개월 결과 확인)", "count", "명"),
    "n_enrolments": ("그중 훈련에 등록한 구직자", "count", "명"),
    "n_completed": ("그중 훈련을 수료한 구직자", "count", "명"),
    # certificate value analysis (issue 19)
    "worked_example_max_error": ("공개된 엔트로피 가중치 계산 예(Xu, 2004)와의 최대 오차", "score", ""),
    "certificates_scored": ("점수를 낸 자격증(청년·전체 업종)", "count", "개"),
    "certificates_suppressed": ("표본이 적어 제외한 자격증(청년·전체 업종)", "count", "개"),
    # topic models (issue 19): coherence of the top words, stability across seeded subsamples
    "courses_c_v": ("과정명 토픽의 일관성 CV(0~1, 높을수록 주요 단어가 함께 쓰임)", "score", ""),
    "courses_npmi": ("과정명 토픽의 일관성 NPMI(-1~1)", "score", ""),
    "courses_stability": ("과정명 토픽의 안정성(표본을 바꿔 다시 만든 토픽과의 유사도, 0~1)", "score", ""),
    "courses_k": ("과정명 토픽 수", "count", "개"),
    "notes_c_v": ("상담일지 토픽의 일관성 CV(0~1)", "score", ""),
    "notes_npmi": ("상담일지 토픽의 일관성 NPMI(-1~1)", "score", ""),
    "notes_stability": ("상담일지 토픽의 안정성(0~1)", "score", ""),
    "notes_k": ("상담일지 토픽 수", "count", "개"),
}
"""Manifest metric name -> (Korean label, kind, unit). Every metric a card names needs a label here
(a unit test checks it), so no internal key reaches the screen."""

LEGAL_BASIS: Final[tuple[str, ...]] = (
    "「인공지능 발전과 신뢰 기반 조성 등에 관한 기본법」(인공지능 기본법)이 2026년 1월 22일부터 시행됩니다. 채용처럼 "
    "사람의 권리에 큰 영향을 주는 영역의 AI는 고영향 AI로 관리됩니다.",
    "제31조: AI를 쓰는 서비스임을 이용자에게 미리 알립니다. 이 시스템의 모든 AI 결과에는 AI 결과라는 표시와 모델 "
    "버전이 함께 나오고, 결과를 보여 줄 때마다 감사 로그에 기록됩니다.",
    "제34조: 결과의 주요 판단 기준과 학습 데이터 개요를 설명하고, 사람의 관리·감독과 이용자 보호 방안을 마련합니다. "
    "아래 모델별 안내가 그 설명입니다.",
    "정부 지침(2026년 1월)은 사람이 최종 결정에 관여하지 않고 자동으로 판단하는 경우를 고영향 AI로 봅니다. 이 시스템의 "
    "예측과 판정은 담당자가 최종 결정하는 참고 자료이지만, 공공 고용서비스에 쓰이므로 고영향 AI에 준해 이 안내를 "
    "공개합니다.",
    "「개인정보 보호법」 제37조의2: 정보주체는 완전히 자동화된 결정에 대해 거부하거나 설명을 요구할 수 있습니다. 아래 "
    "이의 제기 절차의 창구에서 함께 받습니다.",
)
"""Legal basis (articles only as given in the project's domain facts)."""

CALIBRATION_SOURCES: Final[tuple[str, ...]] = (
    "한국고용직업분류(KECO) 2025 — 직종 체계",
    "한국직업사전 — 직종별 업무 구절, 기술, 관련 자격증",
    "한국직업정보 재직자조사(KNOW) 2018 — 직종별 흥미 특성",
    "국가직무능력표준(NCS) 분류",
    "최저임금 고시(2023~2026년)",
    "직종별 사업체노동력조사(2024년) — 미충원율",
    "구직급여 수급자 재취업률 통계(고용노동부) — 재취업률, 성별·연령대별 차이",
    "잡코리아 채용 통계(2021년) — 공고당 지원 건수",
)
"""Real public data the synthetic world was calibrated to or built from (names only)."""

WORLD_NOTE: Final = (
    "모든 모델은 가상 세계(합성 데이터)로 학습했습니다. 가상 세계에는 실제 사람이나 기업의 기록이 없으며, 아래 공개 "
    "자료의 분류 체계와 통계에 맞도록 만들어졌습니다. 공개 자료는 직종 체계, 참고 문구와 비율을 맞추는 데만 썼습니다."
)


def contest_steps() -> tuple[str, ...]:
    """The common procedure to contest an AI output (the audit-log page title is looked up)."""
    audit_page = next((p.title for p in PAGES if p.page_id == AUDIT_LOG_PAGE), "감사 로그")
    return (
        "구직자는 담당 직업상담사나 관할 고용센터에, 구인기업은 관할 고용센터의 기업지원 담당자에게 이의를 말씀해 "
        "주세요. 창구 방문과 전화 모두 됩니다.",
        "결과를 본 날짜와 대략의 시각, 화면 이름(예: 채용 시뮬레이터), 공고 번호나 상담 일자를 알려 주시면 그때의 결과를 "
        "빨리 찾을 수 있습니다.",
        f"담당자는 '{audit_page}' 화면의 감사 로그에서 시각·모델 이름·모델 버전으로 그때 보인 결과를 찾습니다. 감사 "
        "로그에는 입력 내용이 아니라 입력의 해시값과 결과 수치만 남으므로, 같은 입력을 같은 버전의 모델에 다시 넣어 "
        "결과를 재현하고 검토합니다.",
        "고위험 판정, 공고 재검증·차단처럼 불리한 결과는 담당자가 확인하고 바꿀 수 있으며(위험도 조정, 공고 승인·반려, "
        "규칙 수정), 바꾼 이유는 기록됩니다. 검토 결과는 이의를 제기한 분께 알려 드립니다.",
    )


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MetricLine:
    """One measured figure: Korean label and formatted value."""

    label: str
    value: str


def _percent(value: float) -> str:
    # a share below 1 % (e.g. a false-alarm rate of 0.11 %) keeps two decimals instead of "0.1%"
    return format_rate(value, decimals=2 if 0 < abs(value) < 0.01 else 1)


def format_metric_value(name: str, value: object) -> str:
    """Korean display of one manifest metric (``"기록 없음"`` when missing or not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        return "기록 없음"
    _, kind, unit = METRIC_LABELS.get(name, (name, "plain", ""))
    number = float(value)
    if kind == "score":
        return f"{number:.3f}"
    if kind == "percent":
        return _percent(number)
    if kind == "point":
        return f"{number * 100:.1f}%p"
    if kind == "count":
        return format_count(number, unit)
    if kind == "days":
        return format_number(number, unit)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.3f}"


def metric_lines(names: Sequence[str], metrics: Mapping[str, Any]) -> tuple[MetricLine, ...]:
    """Labelled figures of ``names`` from a manifest ``metrics`` entry, in order."""
    return tuple(
        MetricLine(METRIC_LABELS.get(name, (name, "plain", ""))[0], format_metric_value(name, metrics.get(name)))
        for name in names
    )


# --------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class CardView:
    """What the page shows for one model (plain Korean text; the page escapes it).

    Attributes:
        name: ``MODEL_NAME`` (for tests and keys; not shown).
        title: Korean name.
        status: ``built``, ``missing``, ``stale`` (built by an older version), ``setting`` (not a
            built artifact) or ``undocumented`` (registered but without a card).
        status_label: Korean label of ``status``.
        version: Built version (``"-"`` when not built; the backend for ``setting``).
        built_at: Build time in KST (``"-"`` when not built).
        build_hint: Why it must be built when it is missing or stale (``""`` otherwise); the page
            adds :data:`BUILD_COMMAND`.
        shown_on: ``"page title(roles)"`` of every page where the output appears.
        training_data: Lines of the training-data overview (model-specific, then the world).
        quality: Measured quality (empty when not built).
        fairness: Measured fairness figures (empty when none apply or not built).
        card: The model's fixed text (``None`` for ``undocumented``).
    """

    name: str
    title: str
    status: Status
    status_label: str
    version: str
    built_at: str
    build_hint: str
    shown_on: tuple[str, ...]
    training_data: tuple[str, ...]
    quality: tuple[MetricLine, ...]
    fairness: tuple[MetricLine, ...]
    card: ModelCard | None


@dataclass(frozen=True)
class TransparencyReport:
    """Everything the transparency page shows.

    Attributes:
        cards: Models first (registry order, then :data:`EXTRA_CARDS`), supporting data last.
        world: One line on the world the models learned from (``""`` before the first build).
        built_any: Whether the manifest lists any model.
    """

    cards: tuple[CardView, ...]
    world: str
    built_any: bool

    def titles_for_role(self, role: str) -> list[str]:
        """Titles of the models whose output ``role`` can see on some page (in card order)."""
        return [c.title for c in self.cards
                if c.card is not None and any(can_access(role, page) for page in c.card.shown_on)]


def registered_cards(specs: Sequence[ArtifactSpec] = ARTIFACTS) -> dict[str, ModelCard | None]:
    """``MODEL_NAME`` -> the ``CARD`` of the module that builds it (``None`` when it has none),
    for every registered artifact in build order, then :data:`EXTRA_CARDS`."""
    cards: dict[str, ModelCard | None] = {}
    for spec in specs:
        module = sys.modules.get(spec.build.__module__)
        card = getattr(module, "CARD", None)
        cards[spec.name] = card if isinstance(card, ModelCard) and card.name == spec.name else None
    for card in EXTRA_CARDS:
        cards.setdefault(card.name, card)
    return cards


def model_titles() -> dict[str, str]:
    """``MODEL_NAME`` -> its Korean title, for every model with a card (the audit log shows titles)."""
    return {name: card.title for name, card in registered_cards().items() if card is not None}


def _pages_line(page_ids: Sequence[str]) -> tuple[str, ...]:
    titles = {p.page_id: p.title for p in PAGES}
    return tuple(f"{titles[p]}({allowed_roles_label(p)})" for p in page_ids if p in titles)


def _world_line(world: Mapping[str, Any]) -> str:
    if not world:
        return ""
    rows = world.get("rows") if isinstance(world.get("rows"), Mapping) else {}
    counts = [
        format_count(rows[key], unit) if isinstance(rows.get(key), (int, float)) else None
        for key, unit in (("employers", "곳"), ("postings", "건"), ("seekers", "명"))
    ]
    parts = [f"{label} {count}" for label, count in zip(("구인기업", "구인공고", "구직자"), counts, strict=True) if count]
    size = world.get("size") or "-"
    seed = world.get("seed", "-")
    made = format_kst_datetime(world.get("created_at"))
    head = f"가상 세계 '{size}' 규모(난수 시드 {seed}, {made} KST 생성)"
    return head + (": " + ", ".join(parts) if parts else "")


def _training_lines(card: ModelCard | None, info: Mapping[str, Any], world: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [card.training_data] if card is not None else []
    if info:
        fingerprint = info.get("data_fingerprint")
        if world and fingerprint and fingerprint == world.get("fingerprint"):
            lines.append(f"학습한 데이터: {_world_line(world)}")
        elif fingerprint:
            lines.append(f"학습한 데이터의 지문 {str(fingerprint)[:8]}: 현재 가상 세계와 다른 데이터로 학습했습니다.")
    return tuple(lines)


def _card_view(name: str, card: ModelCard | None, spec: ArtifactSpec | None, info: Mapping[str, Any],
               world: Mapping[str, Any], llm_backend: str) -> CardView:
    title = card.title if card is not None else (spec.title if spec is not None else name)
    metrics = info.get("metrics") if isinstance(info.get("metrics"), Mapping) else {}
    status: Status
    if card is None:
        status = "undocumented"
    elif not card.built:
        status = "setting"
    elif not info:
        status = "missing"
    elif spec is not None and str(info.get("version")) != spec.version:
        status = "stale"
    else:
        status = "built"
    if status == "setting":
        version = LLM_BACKEND_LABELS.get(llm_backend, llm_backend)
    else:
        version = str(info.get("version", "-")) if info else "-"
    hint = ""
    if status == "missing":
        hint = f"{NOT_BUILT}입니다."
    elif status == "stale" and spec is not None:
        hint = (f"빌드된 버전 {josa(version, '이', '가')} 현재 코드의 버전 {josa(spec.version, '과', '와')} 달라 "
                "다시 만들어야 합니다.")
    has_figures = bool(info) and card is not None
    return CardView(
        name=name,
        title=title,
        status=status,
        status_label=STATUS_LABELS[status],
        version=version,
        built_at=format_kst_datetime(info.get("created_at")) if info else "-",
        build_hint=hint,
        shown_on=_pages_line(card.shown_on) if card is not None else (),
        training_data=_training_lines(card, info, world),
        quality=metric_lines(card.quality_metrics, metrics) if has_figures and card is not None else (),
        fairness=metric_lines(card.fairness_metrics, metrics) if has_figures and card is not None else (),
        card=card,
    )


def compute_transparency(
    manifest: Mapping[str, Any] | None,
    *,
    specs: Sequence[ArtifactSpec] = ARTIFACTS,
    cards: Mapping[str, ModelCard | None] | None = None,
    llm_backend: str = "offline",
) -> TransparencyReport:
    """The transparency notice of every model, from the manifest and the model cards.

    Args:
        manifest: Parsed ``models/manifest.json`` (``None`` before the first build; older or
            partial manifests are tolerated).
        specs: Registered artifacts (default: the registry).
        cards: ``MODEL_NAME`` -> card (default: :func:`registered_cards` of ``specs``); a
            registered name mapped to ``None`` is shown as "설명 자료 없음".
        llm_backend: The configured posting-generator backend (``Settings.llm_backend``).

    Returns:
        The report: one :class:`CardView` per registered artifact and extra card.
    """
    cards = registered_cards(specs) if cards is None else dict(cards)
    models = (manifest or {}).get("models")
    models = models if isinstance(models, Mapping) else {}
    world = (manifest or {}).get("world")
    world = world if isinstance(world, Mapping) else {}
    by_name = {spec.name: spec for spec in specs}
    names = list(dict.fromkeys([*by_name, *cards]))
    views = []
    for name in names:
        info = models.get(name)
        views.append(_card_view(name, cards.get(name), by_name.get(name),
                                info if isinstance(info, Mapping) else {}, world, llm_backend))
    # the models a user meets first; data artifacts that only feed other models last
    views.sort(key=lambda v: bool(v.card is not None and v.card.supporting))
    return TransparencyReport(cards=tuple(views), world=_world_line(world),
                              built_any=any(v.status in ("built", "stale") for v in views))


SUMMARY_COLUMNS: Final[tuple[str, ...]] = ("모델", "상태", "버전", "빌드 일시(KST)", "결과가 나오는 화면")


def summary_frame(report: TransparencyReport) -> pd.DataFrame:
    """One row per card (columns :data:`SUMMARY_COLUMNS`) for the overview table."""
    titles = {p.page_id: p.title for p in PAGES}
    rows = [
        (view.title, view.status_label, view.version, view.built_at,
         ", ".join(titles[p] for p in (view.card.shown_on if view.card is not None else ()) if p in titles) or "-")
        for view in report.cards
    ]
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
