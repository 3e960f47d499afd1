"""What the 자격증 가치 page shows, from the built analysis: the tables in Korean, the filters, the
by-industry comparison and the export (policy staff and counsellors only)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.analytics.certificate_value import (
    ENTROPY_SHIFT,
    INDICATORS,
    MANUFACTURING_GROUP,
    OTHER_GROUP,
    POPULATIONS,
    SCOPES,
    WORKED_EXAMPLE,
    CertificateValueResult,
    Indicator,
)
from app.auth import User
from app.errors import AccessDenied, InvalidInput
from app.reference.certificate_fields import FIELD_LABELS
from app.reference.tables import load_reference

ALLOWED_ROLES = frozenset({"policy", "counsellor"})
ANY_FIELD = "전체 분야"


class CertificateAccessDenied(AccessDenied):
    """Only policy staff and counsellors see the certificate analysis."""


def check_access(user: User) -> None:
    """Refuse anyone but policy staff and counsellors.

    Raises:
        CertificateAccessDenied: Another role.
    """
    if user.role not in ALLOWED_ROLES:
        raise CertificateAccessDenied("자격증 가치 분석은 정책 담당자와 직업상담사만 볼 수 있습니다.")


@dataclass(frozen=True)
class CertificateView:
    """One filtered view of the analysis.

    Attributes:
        scores: Korean table of the certificates shown (score, rank, indicators, intervals, counts).
        chart_scores: ``자격증, 분야, 종합 점수, 점수 하한, 점수 상한`` for the score chart.
        weights: ``지표, 방향, 가중치, 가중치 하한, 가중치 상한``.
        heatmap: ``자격증, 업종, 종합 점수`` (by-industry scope).
        comparison: Manufacturing vs other per certificate (scores and gap), when the scope has it.
        field_gap: The study's finding on this population (technical vs service gap), or None.
        suppressed: How many certificates (or certificate × industry pairs) were left out.
        suppressed_table: Korean table of them (certificate, group, holders, reason).
        groups: Industry groups available in the scope (Korean labels).
    """

    scores: pd.DataFrame
    chart_scores: pd.DataFrame
    weights: pd.DataFrame
    heatmap: pd.DataFrame
    comparison: pd.DataFrame
    field_gap: dict[str, float] | None
    suppressed: int
    suppressed_table: pd.DataFrame
    groups: tuple[str, ...]


def population_options() -> dict[str, str]:
    """Population key → Korean label (청년 first: the study's default)."""
    return dict(POPULATIONS)


def scope_options() -> dict[str, str]:
    """Scope key → Korean label."""
    return dict(SCOPES)


def field_options() -> tuple[str, ...]:
    """Certificate field filter labels."""
    return (ANY_FIELD, *FIELD_LABELS.values())


def _industry_labels() -> dict[str, str]:
    industries = load_reference().industries
    return dict(zip(industries["code"].astype(str), industries["name"].astype(str), strict=True))


def certificate_view(result: CertificateValueResult, user: User, *, population: str = "young",
                     scope: str = "pooled", group: str | None = None, query: str = "",
                     field: str = ANY_FIELD) -> CertificateView:
    """The analysis filtered for the page.

    Args:
        result: The built analysis.
        user: Who is looking (policy staff or counsellor).
        population: ``young`` or ``all``.
        scope: ``pooled``, ``manufacturing`` or ``industry``.
        group: An industry group label of the scope (all groups when None).
        query: Part of a certificate name (literal, case-insensitive).
        field: :func:`field_options` label.

    Raises:
        CertificateAccessDenied: Not policy staff or a counsellor.
        InvalidInput: Unknown population, scope or field.
    """
    check_access(user)
    if population not in POPULATIONS or scope not in SCOPES or field not in field_options():
        raise InvalidInput("분석 대상·업종 구분·자격 분야 중 알 수 없는 값이 있습니다.")
    labels = _industry_labels()
    scores = result.scores
    rows = scores[(scores["population"] == population) & (scores["scope"] == scope)].copy() if len(scores) else scores
    rows["업종"] = rows["group"].map(lambda g: labels.get(g, g)) if len(rows) else []
    groups = tuple(dict.fromkeys(rows["업종"])) if len(rows) else ()
    if group and group in groups:
        rows = rows[rows["업종"] == group]
    if field != ANY_FIELD and len(rows):
        rows = rows[rows["field"].map(FIELD_LABELS) == field]
    if query.strip() and len(rows):
        rows = rows[rows["name"].str.contains(query.strip(), case=False, regex=False)]
    table = _score_table(rows)
    weights = result.weights
    w = weights[(weights["population"] == population) & (weights["scope"] == scope)] if len(weights) else weights
    weight_table = pd.DataFrame({
        "지표": w["label"].to_numpy() if len(w) else [],
        "방향": [("높을수록 좋음" if _indicator(k).benefit else "낮을수록 좋음") for k in w.get("indicator", [])],
        "가중치": w["weight"].round(4).to_numpy() if len(w) else [],
        "가중치 하한": w["weight_low"].round(4).to_numpy() if len(w) else [],
        "가중치 상한": w["weight_high"].round(4).to_numpy() if len(w) else [],
    })
    chart = table[["자격증", "분야", "종합 점수", "점수 하한", "점수 상한"]] if len(table) else pd.DataFrame(
        columns=["자격증", "분야", "종합 점수", "점수 하한", "점수 상한"])
    if scope != "pooled" and len(table):
        chart = chart.assign(자격증=table["자격증"] + " · " + table["업종"])
    heatmap = table[["자격증", "업종", "종합 점수"]] if scope != "pooled" and len(table) else pd.DataFrame(
        columns=["자격증", "업종", "종합 점수"])
    dropped = result.suppressed
    d = dropped[(dropped["population"] == population) & (dropped["scope"] == scope)] if len(dropped) else dropped
    names = load_reference().certificates.set_index("certificate_id")["name"]
    suppressed_table = pd.DataFrame({
        "자격증": d["certificate_id"].map(names).to_numpy() if len(d) else [],
        "업종": d["group"].map(lambda g: labels.get(g, g)).to_numpy() if len(d) else [],
        "보유자 수": d["holders"].to_numpy() if len(d) else [],
        "제외 사유": d["reason"].to_numpy() if len(d) else [],
    })
    return CertificateView(scores=table, chart_scores=chart.reset_index(drop=True), weights=weight_table,
                           heatmap=heatmap.reset_index(drop=True), comparison=_comparison(rows, scope),
                           field_gap=_field_gap(result, population) if scope == "manufacturing" else None,
                           suppressed=len(d), suppressed_table=suppressed_table, groups=groups)


def _indicator(key: str) -> Indicator:
    return next(i for i in INDICATORS if i.key == key)


def _score_table(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=["순위", "자격증", "분야", "업종", "종합 점수", "점수 하한", "점수 상한", "순위 구간",
                                     "보유자 수", "취업한 보유자 수"])
    ordered = rows.sort_values(["group", "rank", "name"])
    table = pd.DataFrame({
        "순위": ordered["rank"].astype(int).to_numpy(),
        "자격증": ordered["name"].to_numpy(),
        "분야": ordered["field"].map(FIELD_LABELS).to_numpy(),
        "업종": ordered["업종"].to_numpy(),
        "종합 점수": ordered["score"].round(1).to_numpy(),
        "점수 하한": ordered["score_low"].round(1).to_numpy(),
        "점수 상한": ordered["score_high"].round(1).to_numpy(),
        "순위 구간": [f"{int(round(lo))}~{int(round(hi))}위" for lo, hi in zip(ordered["rank_low"], ordered["rank_high"],
                                                                         strict=True)],
        "보유자 수": ordered["holders"].astype(int).to_numpy(),
        "취업한 보유자 수": ordered["employed_holders"].astype(int).to_numpy(),
    })
    for ind in INDICATORS:
        label = f"{ind.label}({ind.unit})"
        table[label] = ordered[ind.key].round(1).to_numpy()
        table[f"{label} 구간"] = [f"{lo:.1f} ~ {hi:.1f}" for lo, hi in zip(ordered[f"{ind.key}_low"],
                                                                          ordered[f"{ind.key}_high"], strict=True)]
    return table.reset_index(drop=True)


def _comparison(rows: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Per certificate scored in both: 제조업 score, 비제조업 score and the gap."""
    if scope != "manufacturing" or rows.empty:
        return pd.DataFrame(columns=["자격증", "분야", "제조업 점수", "비제조업 점수", "차이(제조업−비제조업)"])
    grid = rows.pivot_table(index=["name", "field"], columns="group", values="score", aggfunc="first")
    grid = grid.dropna(subset=[c for c in (MANUFACTURING_GROUP, OTHER_GROUP) if c in grid.columns])
    if MANUFACTURING_GROUP not in grid.columns or OTHER_GROUP not in grid.columns or grid.empty:
        return pd.DataFrame(columns=["자격증", "분야", "제조업 점수", "비제조업 점수", "차이(제조업−비제조업)"])
    grid = grid.reset_index()
    out = pd.DataFrame({
        "자격증": grid["name"], "분야": grid["field"].map(FIELD_LABELS),
        "제조업 점수": grid[MANUFACTURING_GROUP].round(1), "비제조업 점수": grid[OTHER_GROUP].round(1),
    })
    out["차이(제조업−비제조업)"] = (out["제조업 점수"] - out["비제조업 점수"]).round(1)
    return out.sort_values("차이(제조업−비제조업)", ascending=False, ignore_index=True)


def _field_gap(result: CertificateValueResult, population: str) -> dict[str, float] | None:
    gaps = result.field_gaps
    if gaps.empty or population not in set(gaps["population"]):
        return None
    row = gaps[gaps["population"] == population].iloc[0]
    return {k: float(row[k]) for k in row.index if k != "population"}


def method_notes(result: CertificateValueResult) -> list[str]:
    """Plain-Korean lines of how everything on the page is computed (shown beside the results)."""
    s = result.settings
    example = result.metrics.get("worked_example_max_error")
    lines = [
        "비교 방법: 같은 연령대·학력·경력 구간·희망 직종 대분류 칸 안에서 보유자 평균과 미보유자 평균의 차이를 구하고, "
        "보유자 수로 가중 평균합니다(보유자에 대한 효과). 같은 칸에 미보유자가 없는 보유자는 비교에서 빠집니다.",
        "업종: 구직자가 희망하는 직종의 구인이 가장 많은 업종(한국표준산업분류 대분류)입니다. 취업 여부와 무관하게 정해져 "
        "보유자와 미보유자를 같은 기준으로 나눕니다.",
        "지표: 180일 내 취업률, 취업 소요일(취업자, 낮을수록 좋음), 임금 프리미엄(취업자의 월임금 로그 차이), "
        "100인 이상 기업 취업 비율(취업자), 6개월 근속률(취업 후 6개월이 지난 일자리).",
        f"가중치: 엔트로피 가중치법. 지표마다 최소–최대 정규화(좋은 쪽 1)한 뒤 {ENTROPY_SHIFT}~1로 옮겨 pymcdm으로 "
        "계산합니다. 자격증 사이 차이가 클수록(정보가 많을수록) 가중치가 커집니다.",
        "종합 점수: 정규화한 지표에 가중치를 곱해 더한 값(0~100). 함께 비교한 자격증 안에서의 상대 점수입니다.",
        f"구간: 구직자를 복원추출하는 부트스트랩 {s.bootstrap}회(시드 {s.seed})의 2.5~97.5% 구간입니다.",
        f"제외 기준: 보유자 {s.min_holders}명 미만 또는 취업한 보유자 {s.min_employed}명 미만인 자격증(업종별로 따로 적용).",
    ]
    if example is not None:
        lines.append(f"검증: 공개된 계산 예(Xu, 2004, 유럽운영연구저널)의 가중치를 최대 오차 {example:.5f}로 재현합니다.")
    lines.append("해석 주의: 관찰 자료의 비교라 인과 효과가 아니며, 자격증을 여러 개 가진 사람은 각각에 모두 셈합니다.")
    return lines


def worked_example_table(result: CertificateValueResult) -> pd.DataFrame:
    """The worked example's published weights beside ours (sum normalisation) and the page's normalisation."""
    metrics = result.metrics
    n = len(WORKED_EXAMPLE["weights"])
    return pd.DataFrame({
        "지표": [f"지표 {j + 1}" for j in range(n)],
        "논문 가중치": list(WORKED_EXAMPLE["weights"]),
        "재현(합 정규화)": [round(metrics.get(f"worked_example_sum_w{j + 1}", float("nan")), 4) for j in range(n)],
        "이 화면 방식(최소–최대)": [round(metrics.get(f"worked_example_minmax_w{j + 1}", float("nan")), 4)
                               for j in range(n)],
    })
