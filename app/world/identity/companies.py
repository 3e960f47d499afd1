"""Company and workplace names typical of each KSIC section ("(주)한빛정밀", "푸른요양센터" …)."""

from __future__ import annotations

from app.world.identity.company_vocab import (
    _COOP_OK,
    _CORP_SHARE,
    _COUNTRIES,
    _DONG,
    _INDUSTRY_SUFFIX,
    _NO_CORP,
    _PLACES,
    _SPACE_BEFORE_SUFFIX,
    _STEMS,
)
from app.world.identity.random_stream import RandomSource, UniformStream, as_stream

__all__ = ["make_company_name"]


def _company_name(d: UniformStream, industry_code: str) -> str:
    suffixes = _INDUSTRY_SUFFIX.get(industry_code)
    if suffixes is None:
        raise ValueError(
            f"알 수 없는 산업 대분류 코드입니다: {industry_code!r} (KSIC A~U 중 하나여야 합니다)"
        )
    suffix = d.pick(suffixes)
    if industry_code == "O":
        place = d.pick(_PLACES)
        return f"{d.pick(_DONG)}동 {suffix}" if suffix == "행정복지센터" else f"{place}{suffix}"
    if industry_code == "T":
        return f"개인 가정({d.pick(_DONG)}동)"
    if industry_code == "U":
        return f"주한 {d.pick(_COUNTRIES)}{suffix}"
    stem = d.pick(_STEMS)
    if suffix == "세무회계":
        # Tax offices are named after the owner or a short word, rarely after a long stem.
        owner = d.pick(("정", "한", "바른", "우리", "신", "하나", "미래", "다온", "세움"))
        return f"{owner}세무회계" + (" 사무소" if d.u() < 0.4 else "")
    core = f"{stem} {suffix}" if suffix in _SPACE_BEFORE_SUFFIX else f"{stem}{suffix}"
    if suffix == "영농조합법인":
        return f"{stem}{d.pick(('농산', '영농', '유기농'))} 영농조합법인"
    if suffix not in _NO_CORP and d.u() < _CORP_SHARE[industry_code]:
        r = d.u()
        if r < 0.45:
            return f"(주){core}"
        if r < 0.7:
            return f"주식회사 {core}"
        if r < 0.9:
            return f"{core}(주)"
        return f"유한회사 {core}" if d.u() < 0.5 else f"{core}(유)"
    if industry_code == "Q" and suffix in ("요양병원", "병원") and d.u() < 0.5:
        return f"의료법인 {d.pick(_STEMS)}의료재단 {core}"
    if industry_code == "A" and d.u() < 0.3:
        return f"농업회사법인 {core}"
    if suffix in _COOP_OK and d.u() < 0.1:
        return f"사회적협동조합 {core}"
    return core


def make_company_name(rng: RandomSource, industry_code: str) -> str:
    """Make a company or workplace name typical of a KSIC section.

    Args:
        rng: Source of randomness (a numpy Generator or a shared :class:`UniformStream`).
        industry_code: KSIC section letter A-U.

    Returns:
        For example ``"(주)한빛정밀"`` (C), ``"푸른요양센터"`` (Q), ``"주식회사 다온소프트"`` (J),
        ``"수원시설관리공단"`` (O), ``"개인 가정(역삼동)"`` (T).

    Raises:
        ValueError: If the section letter is unknown.
    """
    return _company_name(as_stream(rng, 8), industry_code)
