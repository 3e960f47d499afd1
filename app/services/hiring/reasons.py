"""One plain Korean sentence per explanation factor of the hiring-success model.

A SHAP contribution compares the posting with an *average* posting, so a sentence states the
posting's own fact (its wage against the market, its hours, its welfare items …) and then what
that factor does to the probability. The fact is given as the reason ("…높아 채용확률을
높입니다") only when it points the same way as the contribution; otherwise the sentence names the
condition as its subject ("… 조건이 채용확률을 조금 낮춥니다") so that it never claims a cause
the model does not support.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from app.labour import MAX_WEEKLY_HOURS
from app.ml.hiring_features import FEATURES
from app.ml.hiring_scorer import FACTORS, Scorer
from app.reference.codes import SOCIAL_INSURANCE
from app.reference.names import occupation_names, region_short, size_label, welfare_names
from app.services.hiring.conditions import PostingConditions
from app.text.korean import NEGLIGIBLE_LOGIT, effect_phrase, effect_sentence, format_manwon, josa

_COL = {name: j for j, name in enumerate(FEATURES)}
_NEGLIGIBLE = NEGLIGIBLE_LOGIT


def _effect(contribution: float) -> str:
    """'채용확률을 (크게|조금) 높입니다/낮춥니다' for a contribution in log-odds."""
    return effect_phrase(contribution, "채용확률")


def _sentence(subject: str, contribution: float, reason_up: str | None = None, reason_down: str | None = None) -> str:
    """Reason form when the fact agrees with the sign of the contribution, subject form otherwise."""
    return effect_sentence(subject, contribution, "채용확률", reason_up, reason_down)


def _wage(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    ratio = float(np.exp(x[_COL["log_wage_ratio"]])) - 1.0
    market = format_manwon(scorer.market_wage(c.keco_code, c.region_code))
    what = "월 환산 임금" if c.weekly_hours == 40 else "주 40시간 기준으로 환산한 월 임금"
    versus = f"{what}이 같은 직종·지역 시장임금(월 {market})"
    pct = round(abs(ratio) * 100)
    if pct < 1:
        return _sentence(f"시장임금(월 {market})과 비슷한 임금 수준", value)
    higher = ratio > 0
    if higher == (value > 0) or abs(value) < _NEGLIGIBLE:
        return f"{versus}보다 {pct}% {'높아' if higher else '낮아'} {_effect(value)}"
    contrast = "높지만 비교 공고들의 평균보다는 불리해" if higher else "낮지만 비교 공고들의 평균보다는 나아"
    return f"{versus}보다 {pct}% {contrast} {_effect(value)}"


def _hours(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    hours = f"주 {c.weekly_hours:g}시간 근무"
    text = _sentence(hours, value, f"{hours}가 짧은 편이라", f"{hours}가 긴 편이라")
    if c.weekly_hours > MAX_WEEKLY_HOURS:
        text += f" (법정 한도 주 {MAX_WEEKLY_HOURS:g}시간 초과)"
    return text


def _welfare(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    extra = int(x[_COL["n_welfare_extra"]])
    insured = SOCIAL_INSURANCE in c.welfare_codes
    names = welfare_names([code for code in c.welfare_codes if code != SOCIAL_INSURANCE][:3])
    listed = f"({', '.join(names)}{' 등' if extra > 3 else ''})" if extra else ""
    subject = f"{'4대보험과 ' if insured else ''}복리후생 {extra}개 항목{listed}" if extra else "복리후생 조건"
    up = f"{'4대보험과 ' if insured else ''}법정 외 복리후생 {extra}개{listed}를 제공해" if extra else None
    if not insured:
        down = "4대보험 가입이 명시되지 않았고" + (f" 법정 외 복리후생이 {extra}개뿐이라" if extra else " 법정 외 복리후생도 없어")
    else:
        down = f"법정 외 복리후생이 {extra}개뿐이라" if extra else "법정 항목 외 복리후생이 없어"
    return _sentence(subject, value, up, down)


def _employment(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    return _sentence(f"{c.employment_type} 채용", value, f"{c.employment_type} 채용이라", f"{c.employment_type} 채용이라")


def _career(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    if c.career == "경력":
        subject = f"경력 {c.min_career_years}년 이상 요건"
        return _sentence(subject, value, None, f"경력 {c.min_career_years}년 이상을 요구해")
    if c.career == "신입":
        return _sentence("신입 대상 조건", value, "신입도 지원할 수 있어", "신입만 대상으로 해")
    return _sentence("경력 무관 조건", value, "경력을 따지지 않아", None)


def _education(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    if c.education == "무관":
        return _sentence("학력 무관 조건", value, "학력을 따지지 않아", None)
    return _sentence(f"{c.education} 이상 학력 요건", value, None, f"{c.education} 이상 학력을 요구해")


def _region(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    tight = float(x[_COL["log_tightness"]])
    place = region_short(c.region_code)
    if tight > 0.05:
        return _sentence(f"{place} 지역의 구인 경쟁", value, None, f"{place} 지역은 구직자에 비해 공고가 많아")
    if tight < -0.05:
        return _sentence(f"{place} 지역의 구인 경쟁", value, f"{place} 지역은 구직자에 비해 공고가 적어", None)
    return _sentence(f"{place} 지역의 구인 경쟁 상황", value)


def _season(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    return _sentence(f"{c.open_month}월 게시 시기", value)


def _completeness(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    detail = f"공고 항목 8개 중 {c.n_sections}개, 본문 {c.body_chars:,}자"
    return _sentence(
        f"공고 작성 충실도({detail})",
        value,
        f"공고가 충실하게 작성되어({detail})" if c.n_sections >= 6 else None,
        f"공고 항목 8개 중 {c.n_sections}개만 작성되어" if c.n_sections < 8 else None,
    )


def _size(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    return _sentence(f"기업 규모({size_label(c.size_code)})", value)


def _occupation(c: PostingConditions, x: np.ndarray, value: float, scorer: Scorer) -> str:
    return _sentence(f"직종 대분류({occupation_names(c.keco_code)[2]})의 특성", value)


_WRITERS: dict[str, Callable[[PostingConditions, np.ndarray, float, Scorer], str]] = {
    "임금 수준(시장 대비)": _wage,
    "근로시간": _hours,
    "복리후생": _welfare,
    "고용형태": _employment,
    "경력 요건": _career,
    "학력 요건": _education,
    "지역 구인 경쟁": _region,
    "게시 시기": _season,
    "공고 충실도": _completeness,
    "기업 규모": _size,
    "직종": _occupation,
}


def factor_sentences(
    conditions: PostingConditions,
    features: np.ndarray,
    contributions: np.ndarray,
    scorer: Scorer,
    only: Iterable[int] | None = None,
) -> list[str]:
    """One sentence per factor, in the order of :data:`app.ml.hiring_scorer.FACTORS`.

    ``only`` limits the work to some factor indices (the others are left empty), for batches
    that show just the top reasons.
    """
    wanted = set(range(len(FACTORS))) if only is None else set(only)
    sentences = []
    for i, (name, value) in enumerate(zip(FACTORS, contributions, strict=True)):
        if i not in wanted:
            sentences.append("")
        elif name in _WRITERS:
            sentences.append(_WRITERS[name](conditions, features, float(value), scorer))
        else:
            sentences.append(f"{josa(name, '이', '가')} {_effect(float(value))}")
    return sentences
