"""Plain Korean sentences for the employment-success model's factors and service effects.

A SHAP contribution compares the seeker with an *average* seeker, so a sentence states the
seeker's own fact (age, desired wage against the market, certificates …) and then what that
factor does to the probability. The fact is given as the cause ("…높아 취업확률을 낮춥니다") only
when it points the same way as the contribution; otherwise the factor is the subject
("학력(고졸)이 취업확률을 조금 낮춥니다"), so a sentence never claims a cause the model does not
support.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from app.ml.employment_features import FACTOR_OF_FEATURE
from app.reference.codes import SERVICE_LABELS
from app.reference.names import occupation_names, region_short
from app.text.korean import effect_phrase, effect_sentence, format_manwon, josa

FACTOR_ORDER: tuple[str, ...] = tuple(dict.fromkeys(FACTOR_OF_FEATURE.values()))
"""Korean factors, each once, in feature order."""

ACTIONABLE_FACTORS: frozenset[str] = frozenset({
    "희망임금(시장 대비)", "근무지역 유연성", "자격증", "보유 기술",
    "직업훈련", "취업알선", "국민취업지원제도", "직업상담",
})
"""조치 가능 요인: what a counsellor and the seeker can change within the 180 days — the desired
wage and area (the profile's what-if), certificates and skills (training), and the employment
services themselves. Every other factor is 조치 불가: who the seeker is or has been (연령, 학력,
경력, 구직급여 수급) and the labour market of the desired job and region (구인 수요, 직종군).
Those stay visible as context, but a caseload ordered by them would put first the seekers whose
risk no service addresses (most often simply the oldest)."""
FIXED_FACTORS: tuple[str, ...] = tuple(f for f in FACTOR_ORDER if f not in ACTIONABLE_FACTORS)
"""조치 불가 요인, in feature order."""


def worst_factors(grouped: pd.DataFrame) -> pd.DataFrame:
    """Per row, the factor lowering the probability most: overall, among the actionable factors and
    among the others.

    Args:
        grouped: :func:`group_contributions` output.

    Returns:
        ``main_factor``, ``main_actionable_factor``, ``actionable_effect`` (its contribution in
        log-odds, ≤ 0; 0 when no actionable factor lowers the probability) and
        ``main_fixed_factor`` (empty text when no such factor lowers it).
    """

    def worst(columns: list[str]) -> tuple[pd.Series, pd.Series]:
        if not columns:
            return pd.Series("", index=grouped.index), pd.Series(0.0, index=grouped.index)
        part = grouped[columns]
        low = part.min(axis=1)
        return part.idxmin(axis=1).where(low < 0, ""), low.clip(upper=0.0)

    overall, _ = worst(list(grouped.columns))
    actionable, effect = worst([c for c in grouped.columns if c in ACTIONABLE_FACTORS])
    fixed, _ = worst([c for c in grouped.columns if c not in ACTIONABLE_FACTORS])
    return pd.DataFrame({"main_factor": overall, "main_actionable_factor": actionable, "actionable_effect": effect,
                         "main_fixed_factor": fixed}, index=grouped.index)


def _effect(contribution: float) -> str:
    """'취업확률을 (크게|조금) 높입니다/낮춥니다' for a contribution in log-odds."""
    return effect_phrase(contribution, "취업확률")


def _sentence(subject: str, contribution: float, reason_up: str | None = None, reason_down: str | None = None) -> str:
    """Reason form when the fact agrees with the sign of the contribution, subject form otherwise."""
    return effect_sentence(subject, contribution, "취업확률", reason_up, reason_down)


def _demand(label: str, value: float, contribution: float) -> str:
    if abs(value) < 0.1:
        return _sentence(f"{label}의 구인 수요(전국 평균 수준)", contribution)
    more = value > 0
    fact = f"{label}의 구직자 대비 구인 수요가 전국 평균보다 {'많아' if more else '적어'}"
    return _sentence(f"{label}의 구인 수요", contribution, fact if more else None, None if more else fact)


def factor_sentence(factor: str, contribution: float, record: Mapping[str, object], features: Mapping[str, float],
                    market_wage: float) -> str:
    """One sentence for one factor of one seeker.

    Args:
        factor: Korean factor name (a value of ``FACTOR_OF_FEATURE``).
        contribution: Its SHAP contribution in calibrated log-odds.
        record: The seeker's record (age, education, desired_keco, desired_wage, desired_region_code …).
        features: The seeker's model features.
        market_wage: Market wage of the desired occupation × region (monthly).
    """
    if factor == "연령":
        return _sentence(f"연령({int(record['age'])}세)", contribution)
    if factor == "학력":
        return _sentence(f"학력({record['education']})", contribution)
    if factor == "경력":
        years = float(record.get("career_years") or 0.0)
        if years < 0.5:
            return _sentence("경력이 없는 점", contribution, None, "경력이 없어")
        same = " (희망 직종과 같은 직종 경력)" if features.get("same_occupation", 0) > 0.5 else ""
        return _sentence(f"경력 {years:.0f}년{same}", contribution, f"경력 {years:.0f}년{same}이 있어", None)
    if factor == "희망임금(시장 대비)":
        wage = float(record["desired_wage"])
        ratio = wage / max(market_wage, 1.0) - 1.0
        versus = f"희망임금(월 {format_manwon(wage)})이 희망 직종·지역 시장임금(월 {format_manwon(market_wage)})"
        pct = round(abs(ratio) * 100)
        if pct < 3:
            return _sentence(f"시장임금(월 {format_manwon(market_wage)})과 비슷한 희망임금(월 {format_manwon(wage)})",
                             contribution)
        higher = ratio > 0
        fact = f"{versus}보다 {pct}% {'높아' if higher else '낮아'}"
        return _sentence(f"희망임금 수준(시장임금 대비 {'+' if higher else '-'}{pct}%)", contribution,
                         None if higher else fact, fact if higher else None)
    if factor == "지역 구인 수요":
        return _demand(f"희망 지역({region_short(str(record['desired_region_code']))})", features.get("log_region_demand", 0.0),
                       contribution)
    if factor == "희망 직종 수요":
        return _demand(f"희망 직종({occupation_names(str(record['desired_keco']))[0]})",
                       features.get("log_occupation_demand", 0.0), contribution)
    if factor == "자격증":
        relevant, total = int(features.get("n_relevant_certificates", 0)), int(features.get("n_certificates", 0))
        if relevant == 0:
            return _sentence(f"자격증 {total}개(희망 직종 관련 없음)", contribution, None, "희망 직종 관련 자격증이 없어")
        return _sentence(f"희망 직종 관련 자격증 {relevant}개", contribution, f"희망 직종 관련 자격증 {relevant}개가 있어", None)
    if factor == "보유 기술":
        return _sentence(f"보유 기술 {int(features.get('n_skills', 0))}개", contribution)
    if factor == "구직급여 수급":
        receiving = bool(record.get("benefit_status"))
        fact = "구직급여를 받고 있어" if receiving else "구직급여를 받지 않아"
        return _sentence("구직급여 수급 여부", contribution, None if receiving else fact, fact if receiving else None)
    if factor == "근무지역 유연성":
        flexible = bool(record.get("region_flexible"))
        return _sentence("근무지역 조건", contribution, "다른 지역 근무도 가능해" if flexible else None,
                         None if flexible else "희망 지역에서만 일자리를 찾아")
    if factor == "희망 직종군":
        return _sentence(f"희망 직종군({occupation_names(str(record['desired_keco']))[2]})의 특성", contribution)
    for service in SERVICE_LABELS:
        if factor == FACTOR_OF_FEATURE[f"svc_{service}"]:
            if features.get(f"svc_{service}", 0.0) > 0.5:
                return _sentence(SERVICE_RECEIVED[service][1], contribution, SERVICE_RECEIVED[service][0], None)
            return _sentence(SERVICE_NOT_RECEIVED[service], contribution)
    return _sentence(factor, contribution)


SERVICE_RECEIVED: dict[str, tuple[str, str]] = {
    "training": ("직업훈련을 수료해", "직업훈련 수료"),
    "matching": ("집중 취업알선을 받아", "집중 취업알선 참여"),
    "nes": ("국민취업지원제도에 참여해", "국민취업지원제도 참여"),
    "counselling": ("심층 직업상담을 받아", "심층 직업상담 참여"),
}
"""(cause, subject) wording of a service the seeker received."""
SERVICE_NOT_RECEIVED: dict[str, str] = {
    "training": "직업훈련 미수료",
    "matching": "집중 취업알선 미참여",
    "nes": "국민취업지원제도 미참여",
    "counselling": "심층 직업상담 미참여",
}
"""Subject wording of a service the seeker has not received."""


@lru_cache(maxsize=8)
def _factor_matrix(columns: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    factors = tuple(f for f in FACTOR_ORDER if any(FACTOR_OF_FEATURE.get(c) == f for c in columns))
    index = {f: j for j, f in enumerate(factors)}
    matrix = np.zeros((len(columns), len(factors)))
    for i, column in enumerate(columns):
        if column in FACTOR_OF_FEATURE:
            matrix[i, index[FACTOR_OF_FEATURE[column]]] = 1.0
    return matrix, factors


def group_contributions(values: pd.DataFrame) -> pd.DataFrame:
    """Per-feature contributions summed into Korean factors (columns in :data:`FACTOR_ORDER`).

    A matrix product rather than a pandas groupby: the profile groups five explanations per
    rerun, and a groupby of one row costs milliseconds each.
    """
    matrix, factors = _factor_matrix(tuple(values.columns))
    return pd.DataFrame(values.to_numpy(float) @ matrix, columns=list(factors), index=values.index)


def factor_table(
    contributions: pd.Series, record: Mapping[str, object], features: Mapping[str, float], market_wage: float
) -> pd.DataFrame:
    """Factors of one seeker, largest effect first: ``factor``, ``contribution``, ``sentence``."""
    rows = [
        {"factor": factor, "contribution": float(value), "sentence": factor_sentence(factor, float(value), record, features,
                                                                                     market_wage)}
        for factor, value in contributions.items()
    ]
    table = pd.DataFrame(rows, columns=["factor", "contribution", "sentence"])
    order = np.argsort(-np.abs(table["contribution"].to_numpy()), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def top_sentences(grouped: pd.DataFrame, records: pd.DataFrame, x: pd.DataFrame, market_wage: np.ndarray,
                  k: int = 3) -> list[list[str]]:
    """The sentences of each row's ``k`` largest factors, as :func:`factor_table` orders and words
    them, for a whole batch: only those ``k`` sentences are composed and no table is built per row.

    Args:
        grouped: :func:`group_contributions` of the rows.
        records: The rows' seeker records (as :func:`factor_sentence` reads them).
        x: Their model frame.
        market_wage: Market wage of each row's desired occupation × region.
        k: Sentences per row (``""`` fills the place of a factor a model does not have).

    Returns:
        ``k`` lists, the i-th sentence of every row in the i-th.
    """
    contributions = grouped.to_numpy(float)
    factors = list(grouped.columns)
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :k]
    record_columns = list(records.columns)
    numeric = [c for c in x.columns if c not in ("education", "desired_major")]
    record_rows = zip(*(records[c].tolist() for c in record_columns), strict=True) if record_columns else ()
    feature_rows = zip(*(x[c].to_numpy(float).tolist() for c in numeric), strict=True)
    out: list[list[str]] = [[] for _ in range(k)]
    for i, (record_values, feature_values) in enumerate(zip(record_rows, feature_rows, strict=True)):
        record = dict(zip(record_columns, record_values, strict=True))
        features = dict(zip(numeric, feature_values, strict=True))
        market = float(market_wage[i])
        for j in range(k):
            if j < order.shape[1]:
                column = int(order[i, j])
                value = float(contributions[i, column])
                out[j].append(factor_sentence(factors[column], value, record, features, market))
            else:
                out[j].append("")
    return out


def effect_reason(service: str, contributions: pd.Series, record: Mapping[str, object]) -> str:
    """Why a service's estimated effect is larger or smaller than average for this seeker, from
    the surrogate's two largest factor contributions (probability points)."""
    label = SERVICE_LABELS[service]
    ranked = contributions[contributions.abs() >= 0.002].sort_values(key=np.abs, ascending=False).head(2)
    if ranked.empty:
        return f"{label}의 예상 효과가 비슷한 구직자들의 평균 수준입니다"
    parts = []
    for factor, value in ranked.items():
        fact = _factor_fact(str(factor), record)
        parts.append(f"{fact} 효과를 {'키웁니다' if value > 0 else '줄입니다'} ({value * 100:+.1f}%p)")
    return " · ".join(parts)


def _factor_fact(factor: str, record: Mapping[str, object]) -> str:
    facts = {
        "연령": f"연령({int(record['age'])}세)이",
        "학력": f"학력({record['education']})이",
        "경력": f"경력 {float(record.get('career_years') or 0):.0f}년이",
        "구직급여 수급": "구직급여 수급 중인 점이" if record.get("benefit_status") else "구직급여 미수급인 점이",
        "근무지역 유연성": "근무지역 유연성이",
    }
    return facts.get(factor, josa(factor, "이", "가"))
