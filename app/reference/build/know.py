"""KNOW (한국직업정보 재직자조사) aggregates: RIASEC profiles, wage bands, knowledge areas.

KNOW 2018 incumbents with an **odd** ``idx`` are a hold-out for occupation recommendation
(:func:`load_know_holdout`); only even-``idx`` rows are aggregated (:func:`load_know2018_even`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.labour import MONTHLY_HOURS_FULL_TIME
from app.reference.build.facts import MINIMUM_WAGE
from app.reference.build.keco import map_knowcode

KNOW_DIR = Path("know_dacon")

RIASEC_LETTERS = ("R", "I", "A", "S", "E", "C")
RIASEC_COLUMNS = tuple(f"riasec_{x.lower()}" for x in RIASEC_LETTERS)
# KNOW 2018 item order is fixed by the codebook (2018_value_labels.txt): iq1..iq6 = R,I,A,S,E,C.
KNOW_INTEREST_ITEMS = ("iq1", "iq2", "iq3", "iq4", "iq5", "iq6")

# An occupation needs this many even-idx incumbents to get its own profile; with fewer,
# a single respondent would dominate, so it borrows the pooled mean of its 중분류.
MIN_DIRECT_INCUMBENTS = 3
MIN_DIRECT_WAGES = 8

# KNOW 2019 지식 items kq1..kq33 (importance = kq{n}_1), names as in 2019_variable_info.txt.
KNOW_KNOWLEDGE_AREAS: tuple[str, ...] = (
    "경영 및 행정", "사무", "경제와 회계", "영업과 마케팅", "고객서비스", "인사", "상품제조 및 공정",
    "식품생산", "컴퓨터와 전자공학", "공학과 기술", "디자인", "건축 및 설계", "기계", "산수와 수학",
    "물리", "화학", "생물", "심리", "사회와 인류", "지리", "의료", "상담", "교육 및 훈련", "국어",
    "영어", "예술", "역사", "철학과 신학", "안전과 보안", "법", "통신", "의사소통과 미디어", "운송",
)

# 2018 statutory hourly minimum wage (고시 2017-08; general knowledge, not in domain-facts):
# only used as the low anchor that maps KNOW 2018 pay to today's level.
_MINIMUM_WAGE_2018 = 7_530
# Simple-labour groups without enough KNOW wage earners, and the comparable entry-level
# occupations whose pooled pay stands in for them (our choice).
_WAGE_PROXIES: dict[str, tuple[str, ...]] = {
    "890": ("836", "852", "864", "873"),  # 제조 단순 <- 조립원·생산기계 조작원
    "905": ("532", "564", "617"),         # 농림어업 단순 <- 서비스·판매 단순 종사자
}


def _holland_code(row: Sequence[float]) -> str:
    """Two highest RIASEC letters; ties keep the R-I-A-S-E-C order (stable sort)."""
    order = sorted(range(6), key=lambda i: -row[i])
    return RIASEC_LETTERS[order[0]] + RIASEC_LETTERS[order[1]]


def _pools(k: pd.DataFrame, *columns: str) -> list[dict[str, pd.DataFrame]]:
    """For each column, its code -> rows of ``k`` (the pools an occupation may fall back to)."""
    return [{c: g for c, g in k.groupby(col)} for col in columns]


def _incumbents_of(
    rec: Any, by_minor: dict[str, pd.DataFrame], by_middle: dict[str, pd.DataFrame], by_major: dict[str, pd.DataFrame]
) -> tuple[pd.DataFrame, str]:
    """The incumbents an occupation's profile is the mean of, and where they come from: its own
    (``direct``, at least ``MIN_DIRECT_INCUMBENTS``), else its 중분류 (``middle``), else its 대분류
    (``major``)."""
    g = by_minor.get(rec.keco_code)
    if g is not None and len(g) >= MIN_DIRECT_INCUMBENTS:
        return g, "direct"
    if rec.middle_code in by_middle:
        return by_middle[rec.middle_code], "middle"
    return by_major[rec.major_code], "major"


def _read_know(shared_dir: Path, year: int, columns: Iterable[str]) -> pd.DataFrame:
    cols = ["idx", "knowcode", *columns]
    k = pd.read_csv(shared_dir / KNOW_DIR / f"KNOW_{year}.csv.gz", dtype=str, usecols=cols)
    k["idx"] = k["idx"].astype(int)
    k["keco_code"] = k["knowcode"].map(map_knowcode)
    return k


def load_know2018_even(shared_dir: Path) -> pd.DataFrame:
    """KNOW 2018 incumbents with an even ``idx`` (the only ones the tables aggregate).

    Args:
        shared_dir: The shared data directory.

    Returns:
        DataFrame with idx, knowcode, keco_code (may be None), riasec_r..riasec_c (int 1–5)
        and the wage items bq38 (1 = wage worker), bq40 (weekly hours), bq41_1 (annual
        earnings, 10k KRW).
    """
    k = _read_know(shared_dir, 2018, [*KNOW_INTEREST_ITEMS, "bq38", "bq40", "bq41_1"])
    k = k[k["idx"] % 2 == 0]
    return _rename_interest(k)


def load_know_holdout(shared_dir: Path) -> pd.DataFrame:
    """KNOW 2018 incumbents with an **odd** ``idx``: the occupation-recommendation hold-out.

    These rows are never aggregated into the reference tables; use them to check whether a
    recommender recovers an incumbent's own occupation from their RIASEC ratings.

    Args:
        shared_dir: The shared data directory (``get_settings().shared_data_dir``).

    Returns:
        DataFrame sorted by idx with columns idx (int), knowcode (str), keco_code (KECO 2025
        소분류, str) and riasec_r..riasec_c (int, 1–5). Rows whose code has no KECO 2025
        counterpart are left out.
    """
    k = _read_know(shared_dir, 2018, KNOW_INTEREST_ITEMS)
    k = k[(k["idx"] % 2 == 1) & k["keco_code"].notna()]
    k = _rename_interest(k)
    cols = ["idx", "knowcode", "keco_code", *RIASEC_COLUMNS]
    return k[cols].sort_values("idx").reset_index(drop=True)


def _rename_interest(k: pd.DataFrame) -> pd.DataFrame:
    k = k.rename(columns=dict(zip(KNOW_INTEREST_ITEMS, RIASEC_COLUMNS, strict=True)))
    for c in RIASEC_COLUMNS:
        k[c] = pd.to_numeric(k[c], errors="coerce")
    # Ratings outside 1–5 would be data errors; drop such rows rather than guess.
    ok = k[list(RIASEC_COLUMNS)].apply(lambda s: s.between(1, 5)).all(axis=1)
    k = k[ok].copy()
    for c in RIASEC_COLUMNS:
        k[c] = k[c].astype(int)
    return k


def compute_riasec_profiles(know_even: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Mean RIASEC ratings per 소분류 from even-idx KNOW 2018 incumbents.

    Occupations with fewer than ``MIN_DIRECT_INCUMBENTS`` incumbents take the pooled mean of
    their 중분류 (``middle``), or of their 대분류 (``major``) when the 중분류 has none.

    Args:
        know_even: Output of :func:`load_know2018_even`.
        minor: One row per 소분류 with middle_code and major_code.

    Returns:
        DataFrame keyed by keco_code with riasec_* (3 decimals), riasec_n, riasec_source.
    """
    k = know_even[know_even["keco_code"].isin(set(minor["keco_code"]))]
    k = k.merge(minor[["keco_code", "middle_code", "major_code"]], on="keco_code")
    cols = list(RIASEC_COLUMNS)
    rows = []
    by_minor, by_middle, by_major = _pools(k, "keco_code", "middle_code", "major_code")
    for rec in minor.itertuples(index=False):
        g, src = _incumbents_of(rec, by_minor, by_middle, by_major)
        means = g[cols].mean().round(3)
        rows.append({"keco_code": rec.keco_code, **means.to_dict(), "riasec_n": len(g), "riasec_source": src})
    out = pd.DataFrame(rows)
    out["holland_code"] = [_holland_code(r) for r in out[cols].to_numpy()]
    return out


def compute_wage_bands(know_even: pd.DataFrame, minor: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Monthly wage quartiles per 소분류 from even-idx KNOW 2018 full-time wage workers.

    KNOW asks annual earnings incl. tax and bonuses (bq41_1, 10k KRW) of wage workers (bq38=1);
    we keep those working >= 35 h/week (bq40) and take /12 (2018 level). Bringing them to
    today's level with one factor fails at the bottom: the minimum wage rose faster (+37 %
    2018 -> 2026) than the median, so low-paid jobs would all sit on the legal floor. We
    therefore map 2018 pay w with two anchors, continuously:

    * w <= pooled 2018 median m: log-linear through (2018 monthly minimum, 7,530 x 209 ->
      2026 monthly minimum, 10,320 x 209 [S23]) and (m -> 3,406,000, the June 2024 median
      monthly wage [S36a]);
    * w > m: w x 3,406,000 / m (ratios between well-paid jobs kept).

    Values are rounded to 10,000 KRW and floored at the 2026 monthly minimum, since the bands
    describe full-time (209 h) pay. 소분류 with fewer than ``MIN_DIRECT_WAGES`` wage earners
    borrow their 중분류 (or 대분류) pool; ``_WAGE_PROXIES`` lists simple-labour groups that use
    comparable entry-level occupations instead of a 대분류 pool dominated by skilled trades.

    Args:
        know_even: Output of :func:`load_know2018_even`.
        minor: One row per 소분류 with middle_code and major_code.

    Returns:
        (DataFrame keyed by keco_code with wage_p25, wage_median, wage_p75, wage_source;
        the pooled 2018 median monthly pay m in KRW).
    """
    k = know_even.copy()
    k["annual"] = pd.to_numeric(k["bq41_1"], errors="coerce")
    k["hours"] = pd.to_numeric(k["bq40"], errors="coerce")
    k = k[(k["bq38"] == "1") & (k["annual"] > 0) & (k["hours"] >= 35) & k["keco_code"].notna()]
    k = k.merge(minor[["keco_code", "middle_code", "major_code"]], on="keco_code")
    old = (k["annual"] * 10_000 / 12).to_numpy(dtype=float)
    old_med = float(np.median(old))
    old_min = _MINIMUM_WAGE_2018 * MONTHLY_HOURS_FULL_TIME
    new_min = MINIMUM_WAGE[-1][1] * MONTHLY_HOURS_FULL_TIME
    new_med = 3_406_000.0
    b = math.log(new_med / new_min) / math.log(old_med / old_min)
    low = new_min * np.power(np.maximum(old, 1.0) / old_min, b)
    k["monthly"] = np.where(old <= old_med, low, old * new_med / old_med)
    floor = math.ceil(new_min / 10_000) * 10_000
    by_minor, by_middle, by_major = _pools(k, "keco_code", "middle_code", "major_code")
    rows = []
    for rec in minor.itertuples(index=False):
        g = by_minor.get(rec.keco_code)
        if g is not None and len(g) >= MIN_DIRECT_WAGES:
            src = "know_direct"
        elif rec.keco_code in _WAGE_PROXIES:
            g = k[k["keco_code"].isin(_WAGE_PROXIES[rec.keco_code])]
            src = "know_proxy"
        elif rec.middle_code in by_middle and len(by_middle[rec.middle_code]) >= MIN_DIRECT_WAGES:
            g, src = by_middle[rec.middle_code], "know_middle"
        else:
            g, src = by_major[rec.major_code], "know_major"
        q = np.quantile(g["monthly"].to_numpy(dtype=float), [0.25, 0.5, 0.75])
        p25, med, p75 = (max(floor, int(round(v / 10_000)) * 10_000) for v in q)
        med, p75 = max(med, p25), max(p75, med, p25)
        rows.append({"keco_code": rec.keco_code, "wage_p25": p25, "wage_median": med,
                     "wage_p75": p75, "wage_source": src})
    return pd.DataFrame(rows), old_med


def compute_knowledge(shared_dir: Path, minor: pd.DataFrame, n_top: int = 4) -> pd.DataFrame:
    """Most distinctive KNOW 2019 knowledge areas per 소분류.

    KNOW 2019 (all rows; the hold-out is in 2018 only) rates 33 knowledge areas by importance
    (kq{n}_1, 1–5). Per 소분류 we rank areas by mean importance minus the all-incumbent mean,
    among areas with mean importance >= 2.5; 소분류 without 2019 incumbents use their 중분류.

    Args:
        shared_dir: Shared data directory.
        minor: One row per 소분류.
        n_top: Areas kept per occupation.

    Returns:
        DataFrame keyed by keco_code with knowledge (';'-separated).
    """
    items = [f"kq{i}_1" for i in range(1, len(KNOW_KNOWLEDGE_AREAS) + 1)]
    k = _read_know(shared_dir, 2019, items)
    k = k[k["keco_code"].isin(set(minor["keco_code"]))]
    for c in items:
        k[c] = pd.to_numeric(k[c], errors="coerce").where(lambda s: s.between(1, 5))
    k = k.merge(minor[["keco_code", "middle_code"]], on="keco_code")
    overall = k[items].mean()
    by_minor, by_middle = _pools(k, "keco_code", "middle_code")
    rows = []
    for rec in minor.itertuples(index=False):
        g = by_minor.get(rec.keco_code)
        if g is None or len(g) < MIN_DIRECT_INCUMBENTS:
            g = by_middle.get(rec.middle_code, k)
        means = g[items].mean()
        lift = (means - overall).round(6)
        ranked = sorted(items, key=lambda c: (-(lift[c] if means[c] >= 2.5 else lift[c] - 10), c))
        names = [KNOW_KNOWLEDGE_AREAS[items.index(c)] for c in ranked[:n_top]]
        rows.append({"keco_code": rec.keco_code, "knowledge": ";".join(names)})
    return pd.DataFrame(rows)


# KNOW 2018 work-context items (cq1…cq49) are 1–5 levels, except two categorical ones, which become
# the share of incumbents in the category the preference item asks for.
_CATEGORY_ASKED: dict[str, str] = {
    "cq47": "1",  # 규칙적인 근무: 1 정해진 근무시간의 일정에 따라 근무한다 (2 날씨·일감에 따라, 3 특정 시기에만)
    "cq48": "2",  # 재택근무: 2 가능하다 (1 불가능하다)
}


def load_know2018_even_environment(shared_dir: Path, items: Sequence[str]) -> pd.DataFrame:
    """The work-context items ``items`` of the even-``idx`` KNOW 2018 incumbents, as numbers.

    Args:
        shared_dir: The shared data directory.
        items: ``cq`` item names (codebook ``2018_value_labels.txt``).

    Returns:
        DataFrame with idx, knowcode, keco_code and one float column per item: the 1–5 level, or for
        the categorical items of ``_CATEGORY_ASKED`` 1.0 when the incumbent is in the category asked
        about and 0.0 otherwise; answers outside the codebook's values are missing.
    """
    k = _read_know(shared_dir, 2018, items)
    k = k[k["idx"] % 2 == 0].copy()
    for item in items:
        raw = k[item].str.strip()
        if item in _CATEGORY_ASKED:
            k[item] = (raw == _CATEGORY_ASKED[item]).astype(float).where(raw.notna() & (raw != ""))
        else:
            k[item] = pd.to_numeric(raw, errors="coerce").where(lambda s: s.between(1, 5))
    return k


def compute_environment_profiles(know_env: pd.DataFrame, minor: pd.DataFrame, items: Sequence[str]) -> pd.DataFrame:
    """Standardised work-environment levels per 소분류 from even-idx KNOW 2018 incumbents.

    The mean of each item per 소분류 (with the 중분류/대분류 fallback of
    :func:`compute_riasec_profiles` below ``MIN_DIRECT_INCUMBENTS``), then standardised across the
    소분류 (mean 0, population SD 1), so a value says how much more of the attribute an occupation
    has than occupations in general, whatever the item's answer scale.

    Args:
        know_env: Output of :func:`load_know2018_even_environment`.
        minor: One row per 소분류 with middle_code and major_code.
        items: The ``cq`` items, in the output's column order.

    Returns:
        DataFrame sorted by keco_code with one column per item (3 decimals), environment_n and
        environment_source (``direct`` / ``middle`` / ``major``).
    """
    cols = list(items)
    k = know_env[know_env["keco_code"].isin(set(minor["keco_code"]))]
    k = k.merge(minor[["keco_code", "middle_code", "major_code"]], on="keco_code")
    by_minor, by_middle, by_major = _pools(k, "keco_code", "middle_code", "major_code")
    rows = []
    for rec in minor.itertuples(index=False):
        g, src = _incumbents_of(rec, by_minor, by_middle, by_major)
        rows.append({"keco_code": rec.keco_code, **g[cols].mean().to_dict(),
                     "environment_n": len(g), "environment_source": src})
    out = pd.DataFrame(rows)
    means = out[cols]
    out[cols] = ((means - means.mean()) / means.std(ddof=0).replace(0, 1)).round(3)
    return out.sort_values("keco_code").reset_index(drop=True)
