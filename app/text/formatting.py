"""Korean number and money formatting for display (pure functions, no Streamlit).

Money is stored as integer KRW; people read monthly wages in 만원 ("월 250만원"), hourly wages in
원 ("시급 10,320원"). Rounding happens only here, at display time.
"""

from __future__ import annotations

import datetime as dt
import math

_WAGE_PREFIX = {"hourly": "시급", "daily": "일급", "monthly": "월", "annual": "연"}


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


def format_krw_wage(amount_krw: float | int | None, wage_type: str = "monthly") -> str:
    """Format a wage the way Korean postings do.

    Monthly and annual wages are shown in 만원, hourly and daily wages in 원.

    Args:
        amount_krw: Wage in KRW per ``wage_type`` unit.
        wage_type: ``hourly`` | ``daily`` | ``monthly`` | ``annual``.

    Returns:
        E.g. ``"월 250만원"``, ``"연 3,600만원"``, ``"시급 10,320원"``; ``"-"`` when missing.
    """
    if _is_missing(amount_krw):
        return "-"
    prefix = _WAGE_PREFIX.get(wage_type, "")
    body = format_manwon(amount_krw) if wage_type in ("monthly", "annual") else format_krw(amount_krw)
    return f"{prefix} {body}".strip()


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
}
"""Model metric name -> (Korean label, kind, unit). Kinds: ``percent`` (a 0–1 share shown in %),
``count`` (a whole number with ``unit``), ``score`` (three decimals). Add new metrics here."""


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
