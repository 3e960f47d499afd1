"""Korean wording helpers used everywhere, the world generator included (pure functions).

* particles (조사): :func:`final_consonant`, :func:`josa`, :func:`josa_ro`;
* money: :func:`format_manwon` (rounded, for display), :func:`format_won_exact` (to the won, as
  documents write it), :func:`format_krw`, and :func:`format_wage` (one wage, three styles);
* counts, rates and numbers: :func:`format_count`, :func:`format_rate`, :func:`format_number`;
* dates: :data:`KST`, :func:`today_kst`, :func:`format_kst_datetime`;
* model wording: :func:`effect_phrase`, :func:`effect_sentence`, :func:`format_metric`.

Money is stored as integer KRW; people read monthly wages in 만원 ("월 250만원"), hourly wages in
원 ("시급 10,320원"). Rounding happens only here, at display time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Final, Literal

from app.reference.codes import wage_type_code

# --------------------------------------------------------------------------- particles (조사)

_HANGUL_FIRST, _HANGUL_COUNT = 0xAC00, 11_172
_RIEUL: Final = 8  # index of ㄹ among final consonants: "…로", not "…으로", follows it
# Final consonant of the Sino-Korean reading of each digit: 영(ㅇ) 일(ㄹ) 이 삼(ㅁ) 사 오 육(ㄱ)
# 칠(ㄹ) 팔(ㄹ) 구.
_DIGIT_FINAL: Final[dict[str, int]] = {
    "0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0,
}
# Letters read with a final consonant when a Latin word is read letter by letter or as English
# (엘, 엠, 엔, 알; "…com" 닷컴): the guess the world generator uses for its own words.
_LATIN_FINAL: Final[dict[str, int]] = {"l": 8, "m": 16, "n": 4, "r": 8}
_TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")

LatinReading = Literal["unknown", "guess"]


def final_consonant(word: str, *, latin: LatinReading = "unknown") -> int | None:
    """Index (1–27) of the final consonant the word is read with, 0 for none, None when unknown.

    A trailing note in brackets is skipped ("한빛정밀(주)", "기업 규모(5–29명)" read as the word
    before it), as are closing quotes, ``%``, ``·`` and dots. Hangul and digits are exact.

    Args:
        word: The word the particle follows.
        latin: What a Latin letter at the end means. ``"unknown"`` (what people are shown: the
            reading of a foreign word cannot be told from its spelling) or ``"guess"`` (l, m, n,
            r end in a consonant, other letters do not; for generated text, which needs one form).

    Returns:
        The final consonant's index, 0 when the reading ends in a vowel, None when it cannot be told.
    """
    text = word.strip()
    while text.endswith((")", "]")) and _TRAILING_NOTE.search(text):  # the cheap test first: the world calls this per posting
        text = _TRAILING_NOTE.sub("", text)
    text = text.rstrip("'\"’”%·. ")
    if not text:
        return None if latin == "unknown" else 0
    last = text[-1]
    code = ord(last) - _HANGUL_FIRST
    if 0 <= code < _HANGUL_COUNT:
        return code % 28
    if last in _DIGIT_FINAL:
        return _DIGIT_FINAL[last]
    if latin == "guess":
        return _LATIN_FINAL.get(last.lower(), 0)
    return None


def josa(word: str, with_batchim: str, without_batchim: str, *, latin: LatinReading = "unknown") -> str:
    """``word`` followed by the right particle, e.g. ``josa("근로시간", "은", "는") -> "근로시간은"``.

    When the reading cannot be told (a Latin letter at the end, with ``latin="unknown"``) both
    forms are shown: "X은(는)".
    """
    final = final_consonant(word, latin=latin)
    if final is None:
        return f"{word}{with_batchim}({without_batchim})"
    return f"{word}{with_batchim if final else without_batchim}"


def josa_ro(word: str, *, latin: LatinReading = "unknown") -> str:
    """``word`` followed by 으로/로 (a word ending in ㄹ takes 로: "서울로", "7로", "부산으로")."""
    final = final_consonant(word, latin=latin)
    if final is None:
        return f"{word}(으)로"
    return f"{word}{'으로' if final and final != _RIEUL else '로'}"


# --------------------------------------------------------------------------- money

WageStyle = Literal["short", "label", "exact"]
_WAGE_PREFIXES: Final[dict[str, dict[str, str]]] = {
    "short": {"hourly": "시급", "daily": "일급", "monthly": "월", "annual": "연"},
    "label": {"hourly": "시급", "daily": "일급", "monthly": "월급", "annual": "연봉"},
    "exact": {"hourly": "시급", "daily": "일급", "monthly": "월", "annual": "연봉"},
}


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_manwon(amount_krw: float | int | None, *, decimals: int = 0) -> str:
    """Format a KRW amount in 만원 (10,000 KRW), e.g. ``2_500_000 -> "250만원"``.

    Args:
        amount_krw: Amount in KRW (``None``/NaN gives ``"-"``).
        decimals: Digits after the decimal point of the 만원 figure.

    Returns:
        Text such as ``"1,250만원"``, ``"1억 2,000만원"``, ``"5,000원"`` (under 1만원) or ``"-"``.
    """
    if _is_missing(amount_krw):
        return "-"
    sign = "-" if amount_krw < 0 else ""
    amount = abs(float(amount_krw))
    if amount < 10_000:
        return f"{sign}{round(amount):,}원"  # "0만원" for 5,000원 would hide the amount
    manwon = round(amount / 10_000, decimals)
    eok, rest = divmod(manwon, 10_000)
    if eok >= 1:
        # Korean reads 억 (10^8) as its own unit: 1억 2,000만원, not 12,000만원.
        rest_text = f" {rest:,.{decimals}f}만원" if rest else "원"
        return f"{sign}{int(eok):,}억{rest_text}"
    return f"{sign}{manwon:,.{decimals}f}만원"


def format_krw(amount_krw: float | int | None) -> str:
    """Format a KRW amount in 원 with thousands separators, e.g. ``"10,320원"``."""
    if _is_missing(amount_krw):
        return "-"
    return f"{round(amount_krw):,}원"


def format_won_exact(amount: int) -> str:
    """A KRW amount to the won, the way documents spell it out.

    Args:
        amount: Amount in KRW (non-negative integer).

    Returns:
        ``2_500_000 -> "250만원"``, ``32_000_000 -> "3,200만원"``,
        ``120_000_000 -> "1억 2,000만원"``, ``100_000_000 -> "1억원"``,
        ``2_156_880 -> "215만 6,880원"``, ``5_000 -> "5,000원"``.

    Raises:
        ValueError: If the amount is negative.
    """
    amount = int(amount)
    if amount < 0:
        raise ValueError(f"금액은 0 이상이어야 합니다 (입력값: {amount})")
    if amount == 0:
        return "0원"
    eok, rest = divmod(amount, 100_000_000)
    man, won = divmod(rest, 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if won:
        parts.append(f"{won:,}")
    return " ".join(parts) + "원"


def format_wage_amount(wage_type: str, amount_krw: float | int | None) -> str:
    """Only the amount of a wage: 만원 (rounded) for monthly and annual wages, 원 for hourly and
    daily ones, e.g. ``("monthly", 2_500_000) -> "250만원"``."""
    return format_manwon(amount_krw) if wage_type in ("monthly", "annual") else format_krw(amount_krw)


def format_wage(wage_type: str, amount_krw: float | int | None, *, style: WageStyle = "short") -> str:
    """A posted wage in Korean.

    Args:
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual`` (``exact`` also takes the
            Korean names 시급, 일급, 월급, 연봉).
        amount_krw: Wage in KRW per ``wage_type`` unit.
        style: ``"short"`` for tables ("월 250만원", "연 3,600만원", "시급 10,320원"); ``"label"``
            with the wage type's name ("월급 250만원", "연봉 3,600만원", "일급 120,000원");
            ``"exact"`` to the won as postings and résumés write it ("월 215만 6,880원",
            "일급 12만원", "연봉 1억 2,000만원"; raises ``ValueError`` on an unknown wage type or a
            negative amount).

    Returns:
        The wage text (``short``: ``"-"`` when the amount is missing).
    """
    prefixes = _WAGE_PREFIXES[style]
    if style == "exact":
        wage_type = wage_type_code(wage_type)
        amount = int(amount_krw)  # type: ignore[arg-type]
        if amount < 0:
            raise ValueError(f"임금은 0 이상이어야 합니다 (입력값: {amount})")
        body = f"{amount:,}원" if wage_type == "hourly" else format_won_exact(amount)
        return f"{prefixes[wage_type]} {body}"
    if style == "short" and _is_missing(amount_krw):
        return "-"
    return f"{prefixes.get(wage_type, '')} {format_wage_amount(wage_type, amount_krw)}".strip()


def format_rate(rate: float | None, *, decimals: int = 1) -> str:
    """Format a 0–1 rate as a percentage, e.g. ``0.632 -> "63.2%"`` (``"-"`` when missing)."""
    if _is_missing(rate):
        return "-"
    return f"{rate * 100:.{decimals}f}%"


def format_count(n: float | int | None, unit: str = "") -> str:
    """Format a count with thousands separators and an optional unit, e.g. ``"1,234건"``."""
    if _is_missing(n):
        return "-"
    return f"{int(n):,}{unit}"


def format_number(value: float | int | None, unit: str = "", *, decimals: int = 1) -> str:
    """Format a real number with a unit, e.g. ``7.1 -> "7.1명"`` (``"-"`` when missing)."""
    if _is_missing(value):
        return "-"
    return f"{value:,.{decimals}f}{unit}"


KST = dt.timezone(dt.timedelta(hours=9), "KST")
"""Korea Standard Time. A fixed offset is exact (Korea has no daylight saving) and needs no tzdata."""


def today_kst() -> dt.date:
    """Today's date in Korea (the year of a posting without one, the day a record is written)."""
    return dt.datetime.now(KST).date()


def format_korean_date(value: dt.date | None) -> str:
    """A date as Korean text, e.g. ``dt.date(2026, 5, 26) -> "2026년 5월 26일"`` (``"-"`` when missing)."""
    if value is None:
        return "-"
    return f"{value.year}년 {value.month}월 {value.day}일"


def format_kst_datetime(value: str | dt.datetime | None) -> str:
    """Format a timestamp as Korean local time to the minute, e.g. ``"2026-11-24 04:05"``.

    Args:
        value: A datetime or ISO 8601 text (as manifests store it). Values without a time zone
            are taken as UTC, which is what ``app.ml.registry.now_iso()`` writes.

    Returns:
        ``"YYYY-MM-DD HH:MM"`` in KST; ``"-"`` when missing; unparseable text unchanged (so that
        nothing the file says is hidden).
    """
    if value is None or value == "":
        return "-"
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M")


METRIC_LABELS: dict[str, tuple[str, str, str]] = {
    "median_ape_vs_truth": ("실제 시장임금 대비 오차(중앙값)", "percent", ""),
    "cells": ("추정 셀", "count", "개"),
    "auc": ("AUC", "score", ""),
    "oracle_auc": ("참값 기준 AUC", "score", ""),
    "brier": ("Brier 점수", "score", ""),
    "ece": ("보정오차(ECE)", "score", ""),
    "log_loss": ("로그 손실", "score", ""),
    "accuracy": ("정확도", "percent", ""),
    "n_train": ("학습 표본", "count", "건"),
    "n_test": ("평가 표본", "count", "건"),
    # headline figures of the other models (the transparency page has the full wording)
    "auc_ratio": ("참값 대비 AUC 비율", "percent", ""),
    "top3_test": ("3순위 안 정답률", "percent", ""),
    "recall_test": ("문제 공고 적발률", "percent", ""),
    "fpr_test": ("정상 공고 오탐률", "percent", ""),
    "same_occupation_top10": ("비슷한 공고 10건 중 같은 직종 비율", "percent", ""),
    # what a model was built with (a Korean label the builder writes, e.g. the matcher's encoder)
    "dense_encoder": ("의미 벡터", "text", ""),
}
"""Model metric name -> (Korean label, kind, unit). Kinds: ``percent`` (a 0–1 share shown in %),
``count`` (a whole number with ``unit``), ``score`` (three decimals), ``text`` (a label shown as
written). Add new metrics here."""


def _plain_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.3f}"


def format_metric(name: str, value: float | str | None) -> str:
    """Format one model metric with a Korean label, e.g. ``("cells", 1536.0) -> "추정 셀 1,536개"``.

    Args:
        name: Metric name as the manifest stores it.
        value: Its value.

    Returns:
        Label and value (see :data:`METRIC_LABELS`); an unknown metric keeps its name and gets a
        plain number format (whole numbers with separators, others with three decimals).
    """
    label, kind, unit = METRIC_LABELS.get(name, (name, "", ""))
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return f"{label} -"
    if isinstance(value, bool):  # before the number branch: bool is an int subclass
        return f"{label} {'예' if value else '아니오'}"
    if not isinstance(value, (int, float)):
        return f"{label} {value}"
    if kind == "percent":
        text = format_rate(value)
    elif kind == "count":
        text = format_count(value, unit)
    elif kind == "score":
        text = f"{value:.3f}"
    else:
        text = _plain_number(value)
    return f"{label} {text}"


# --------------------------------------------------------------------------- model wording

NEGLIGIBLE_LOGIT = 0.005
"""|log-odds| below this moves a probability by well under 0.1 %p."""


def effect_phrase(contribution: float, outcome: str) -> str:
    """``"<outcome>을 (크게|조금) 높입니다/낮춥니다"`` for a contribution in log-odds, e.g.
    ``effect_phrase(-0.4, "취업확률") -> "취업확률을 크게 낮춥니다"``."""
    size = abs(contribution)
    if size < NEGLIGIBLE_LOGIT:
        return f"{outcome}에 거의 영향을 주지 않습니다"
    adverb = "크게 " if size >= 0.3 else "조금 " if size < 0.05 else ""
    return f"{josa(outcome, '을', '를')} {adverb}{'높입니다' if contribution > 0 else '낮춥니다'}"


def effect_sentence(
    subject: str, contribution: float, outcome: str, reason_up: str | None = None, reason_down: str | None = None
) -> str:
    """One reason sentence of a model output.

    The reason form ("<reason> <effect>") when a fact agrees with the sign of the contribution,
    the subject form ("<subject>이/가 <effect>") otherwise, e.g.
    ``effect_sentence("근로시간", -0.2, "채용확률") -> "근로시간이 채용확률을 낮춥니다"``.
    """
    reason = reason_up if contribution > 0 else reason_down
    if reason and abs(contribution) >= NEGLIGIBLE_LOGIT:
        return f"{reason} {effect_phrase(contribution, outcome)}"
    return f"{josa(subject, '이', '가')} {effect_phrase(contribution, outcome)}"
