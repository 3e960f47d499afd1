"""자격증의 노동시장 가치: outcome indicators of certificate holders, entropy weights and a composite score.

For every certificate (and every industry) the analysis compares holders with comparable non-holders
on five outcome indicators, weighs the indicators by the entropy weight method and scores each
certificate with the weighted sum of its normalised indicators; a seeded bootstrap over seekers gives
intervals of every indicator, weight, score and rank.

Population
    Young seekers aged 15–34 at registration (the KEIS study's population) by default; ``all`` takes
    every seeker. Each seeker's industry is the KSIC 대분류 that posts most vacancies of the desired
    occupation (:func:`app.reference.certificate_fields.occupation_main_industry`): known before any
    outcome and defined for seekers who found no job, so holders and non-holders of one industry are
    compared on the same footing.

Indicators (holders − comparable non-holders; :data:`INDICATORS`)
    180일 내 취업률 (percentage points), 취업 소요일 among the employed (days; lower is better, a cost
    criterion), 임금 프리미엄 (difference in mean log monthly wage, shown as %), 100인 이상 기업 취업 비율
    (pp) and 6개월 근속률 among jobs observed for six months (pp; a job that started within six months of
    the observation end is left out, never counted as kept or lost).

Adjustment (exact stratification, the estimand is the effect on holders)
    Seekers are put into cells of age band × education × career band × the desired occupation's KECO
    대분류 (:func:`stratum_of`; the occupation keeps a care certificate from being read as a wage loss
    only because care work pays less). In each cell
    the holders' mean is compared with the non-holders' mean of the same cell, and the differences are
    averaged with the holders' counts as weights; holders in a cell without non-holders are left out
    (counted in ``matched_share``). Holding several certificates is not separated: a holder of two is
    counted for both.

Entropy weights (:func:`entropy_weights`)
    The indicator matrix (alternatives = certificates, or certificate × industry) is min–max normalised
    per indicator in its direction (the best certificate 1, the worst 0; a cost criterion reversed),
    moved into [0.01, 1] and passed to ``pymcdm.weights.entropy_weights`` (pymcdm 1.4). The move is
    needed: pymcdm divides each column by its sum (p_ij = x_ij / Σ_i x_ij; e_j = −Σ p ln p / ln m;
    w_j = (1 − e_j) / Σ(1 − e_j)) and its sum normalisation refuses any value ≤ 0, while a min–max
    column always holds a 0 and the indicators themselves can be negative. On the raw positive matrix
    it reproduces the published worked example (:data:`WORKED_EXAMPLE`, Xu 2004) to the paper's four
    decimals; with our normalisation the same example gives other weights (min–max stretches a nearly
    constant column to 0…1, so it is no longer "without information") — both are shown on the page.

Composite score
    ``100 × Σ_j w_j · r_ij`` with ``r`` the directional min–max values: a weighted sum rather than
    TOPSIS because each indicator's share of the score can then be shown, which is what counsellors
    explain to a seeker; TOPSIS (pymcdm) on the same matrix and weights is reported as a check
    (rank correlation ``topsis_spearman``). Scores are relative to the certificates compared together.

Suppression
    A certificate (in an industry) with fewer than ``min_holders`` holders, or fewer than
    ``min_employed`` employed holders (the job indicators need them), is left out and counted.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pymcdm.methods import TOPSIS
from pymcdm.weights import entropy_weights as pymcdm_entropy_weights
from scipy.stats import spearmanr

from app.errors import InvalidInput
from app.reference.certificate_fields import MANUFACTURING


@dataclass(frozen=True)
class Indicator:
    """One outcome indicator: its frame column, Korean label, unit, direction and who it is measured on."""

    key: str
    label: str
    unit: str
    benefit: bool
    among: str  # "all" seekers | "employed" | "retention" (jobs observed for six months)
    scale: float  # display factor of the difference (100 for shares and log wages)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("employed_180d", "180일 내 취업률", "%p", True, "all", 100.0),
    Indicator("days_to_employment", "취업 소요일", "일", False, "employed", 1.0),
    Indicator("log_wage", "임금 프리미엄", "%", True, "employed", 100.0),
    Indicator("large_firm", "100인 이상 기업 취업 비율", "%p", True, "employed", 100.0),
    Indicator("retained_6m", "6개월 근속률", "%p", True, "retention", 100.0),
)
"""The indicators in matrix column order."""
INDICATOR_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS)
BENEFIT = np.array([i.benefit for i in INDICATORS])

YOUNG_AGES = (15, 34)
POPULATIONS: dict[str, str] = {"young": "청년(15~34세)", "all": "전체 연령"}
SCOPES: dict[str, str] = {"pooled": "전체 업종", "manufacturing": "제조업·비제조업", "industry": "업종별"}
ALL_INDUSTRIES = "전체"
MANUFACTURING_GROUP = "제조업"
OTHER_GROUP = "비제조업"
ENTROPY_SHIFT = 0.01
RETENTION_DAYS = 182
CAREER_BANDS = (0.0, 2.0, 5.0)  # upper bounds of the bands 0, (0, 2], (2, 5], > 5 years
YOUNG_AGE_BANDS = (19, 24, 29)
ALL_AGE_BANDS = (24, 34, 44, 54, 64)
EDUCATION_ORDER = ("중졸이하", "고졸", "전문대졸", "대졸", "석사")

WORKED_EXAMPLE = {
    "source": "Xu, X. (2004). A note on the subjective and objective integrated approach to determine attribute "
              "weights. European Journal of Operational Research 156(2), 530–532. doi:10.1016/S0377-2217(03)00146-2",
    "matrix": ((30.0, 30.0, 38.0, 29.0), (19.0, 54.0, 86.0, 29.0), (19.0, 15.0, 85.0, 28.9), (68.0, 70.0, 60.0, 29.0)),
    "weights": (0.4630, 0.3992, 0.1378, 0.0000),
}
"""A published worked example of the entropy weight method (four alternatives, four benefit criteria,
weights to four decimals; sum normalisation, as pymcdm does it)."""


@dataclass(frozen=True)
class AnalysisSettings:
    """Choices of one run (all shown on the page)."""

    bootstrap: int = 200
    seed: int = 19
    min_holders: int = 30
    min_employed: int = 10


@dataclass
class CertificateValueResult:
    """What the build stores and the page reads.

    Attributes:
        scores: One row per (population, scope, group, certificate): counts, indicators (display
            units) with intervals, normalised values, score with interval, rank with interval.
        weights: One row per (population, scope, indicator): weight with interval, entropy.
        suppressed: One row per (population, scope, group, certificate) left out, with the reason.
        field_gaps: Per population: manufacturing − other score gap of technical and of service
            certificates and their difference, with intervals (the study's by-industry finding).
        settings: The :class:`AnalysisSettings`.
        metrics: Run figures (worked example error, bootstrap width, TOPSIS agreement, seconds).
        observation_end: The date tenure is observed to.
    """

    scores: pd.DataFrame
    weights: pd.DataFrame
    suppressed: pd.DataFrame
    field_gaps: pd.DataFrame
    settings: AnalysisSettings
    metrics: dict[str, float] = field(default_factory=dict)
    observation_end: dt.date | None = None


# --------------------------------------------------------------------------- entropy weights


def minmax_normalise(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Directional min–max normalisation per column: best 1, worst 0 (a constant column is 0.5)."""
    matrix = np.asarray(matrix, dtype=float)
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = (matrix - low) / span
    scaled = np.where(np.asarray(benefit, bool), scaled, 1.0 - scaled)
    return np.where(high > low, scaled, 0.5)


def entropy_weights(matrix: np.ndarray, *, benefit: np.ndarray | None = None, normalise: str = "minmax") -> np.ndarray:
    """Entropy weights of the criteria (columns) of ``matrix`` through ``pymcdm``.

    Args:
        matrix: Alternatives × criteria.
        benefit: Per criterion, True when more is better (all True when omitted).
        normalise: ``"minmax"`` — directional min–max moved into [0.01, 1] (for indicators that may be
            negative; the module docstring says why the move), or ``"sum"`` — the raw positive matrix
            as pymcdm takes it (each column divided by its sum; the textbook method of the worked example).

    Returns:
        Weights summing to 1.

    Raises:
        InvalidInput: Fewer than two alternatives, a non-finite value, or a non-positive value with ``"sum"``.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 1:
        raise InvalidInput("엔트로피 가중치에는 대안 2개 이상과 지표 1개 이상의 표가 필요합니다.")
    if not np.isfinite(matrix).all():
        raise InvalidInput("지표 표에 빈 값이나 무한한 값이 있어 가중치를 계산할 수 없습니다.")
    if normalise == "sum":
        if (matrix <= 0).any():
            raise InvalidInput("합 정규화에는 양수 값만 쓸 수 있습니다.")
        prepared = matrix
    elif normalise == "minmax":
        direction = np.ones(matrix.shape[1], bool) if benefit is None else np.asarray(benefit, bool)
        prepared = ENTROPY_SHIFT + (1.0 - ENTROPY_SHIFT) * minmax_normalise(matrix, direction)
    else:
        raise InvalidInput(f"알 수 없는 정규화 방식입니다: {normalise}")
    with np.errstate(invalid="ignore", divide="ignore"):  # every column constant: handled below
        weights = np.asarray(pymcdm_entropy_weights(prepared), dtype=float)
    if not np.isfinite(weights).all():  # every column constant: no information anywhere
        return np.full(matrix.shape[1], 1.0 / matrix.shape[1])
    return weights


def composite_scores(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """``100 × Σ_j w_j r_ij`` with ``r`` the directional min–max values (0 worst … 100 best)."""
    return 100.0 * minmax_normalise(matrix, benefit) @ np.asarray(weights, float)


def worked_example_check() -> dict[str, float]:
    """Our entropy weights on :data:`WORKED_EXAMPLE` against the published ones, both normalisations.

    Returns:
        ``worked_example_max_error`` (sum normalisation as published), and the weights of both ways.
    """
    matrix = np.array(WORKED_EXAMPLE["matrix"])
    published = np.array(WORKED_EXAMPLE["weights"])
    as_published = entropy_weights(matrix, normalise="sum")
    ours = entropy_weights(matrix, normalise="minmax")
    out = {"worked_example_max_error": float(np.max(np.abs(as_published - published)))}
    out.update({f"worked_example_sum_w{j + 1}": float(w) for j, w in enumerate(as_published)})
    out.update({f"worked_example_minmax_w{j + 1}": float(w) for j, w in enumerate(ours)})
    return out


# --------------------------------------------------------------------------- population


def outcome_columns(frame: pd.DataFrame, observation_end: dt.date) -> pd.DataFrame:
    """Indicator columns from the observed records (NaN where an indicator does not apply).

    Args:
        frame: One row per seeker: ``employed_180d``, ``days_to_employment``, ``wage_monthly``,
            ``size_code``, ``started_on``, ``ended_on`` (job columns empty without a job).
        observation_end: The date jobs are observed to.
    """
    employed = frame["employed_180d"].astype(bool).to_numpy()
    started = pd.to_datetime(frame["started_on"])
    ended = pd.to_datetime(frame["ended_on"])
    end = pd.Timestamp(observation_end)
    observable = employed & ((end - started).dt.days >= RETENTION_DAYS).to_numpy()
    kept = (ended.isna() | ((ended - started).dt.days >= RETENTION_DAYS)).to_numpy()
    wage = pd.to_numeric(frame["wage_monthly"], errors="coerce").to_numpy(float)
    return pd.DataFrame({
        "employed_180d": employed.astype(float),
        "days_to_employment": np.where(employed, pd.to_numeric(frame["days_to_employment"], errors="coerce"), np.nan),
        "log_wage": np.where(employed & (wage > 0), np.log(np.where(wage > 0, wage, 1.0)), np.nan),
        "large_firm": np.where(employed, frame["size_code"].isin(["S4", "S5"]).to_numpy(float), np.nan),
        "retained_6m": np.where(observable, kept.astype(float), np.nan),
    }, index=frame.index)


def stratum_of(frame: pd.DataFrame, population: str) -> np.ndarray:
    """Cell index of age band × education × career band × desired occupation's KECO 대분류 (when the
    frame has ``occupation_group``): the adjustment cells."""
    bands = YOUNG_AGE_BANDS if population == "young" else ALL_AGE_BANDS
    age = np.searchsorted(np.array(bands), frame["age"].to_numpy(float), side="left")
    education = frame["education"].map({e: i for i, e in enumerate(EDUCATION_ORDER)}).fillna(1).to_numpy(int)
    career = np.searchsorted(np.array(CAREER_BANDS), frame["career_years"].to_numpy(float), side="left")
    occupation = pd.to_numeric(frame["occupation_group"].astype(str).str[:1], errors="coerce").fillna(10).to_numpy(int) \
        if "occupation_group" in frame else np.zeros(len(frame), int)
    return ((age * len(EDUCATION_ORDER) + education) * (len(CAREER_BANDS) + 1) + career) * 11 + occupation


def select_population(frame: pd.DataFrame, population: str) -> pd.DataFrame:
    """The seekers of ``population`` (``young``: 15–34 at registration; ``all``)."""
    if population not in POPULATIONS:
        raise InvalidInput(f"알 수 없는 분석 대상입니다: {population}")
    if population == "young":
        return frame[frame["age"].between(*YOUNG_AGES)]
    return frame


# --------------------------------------------------------------------------- indicator matrices


@dataclass(frozen=True)
class _Scope:
    """One partition of the seekers into industry groups, with the (certificate, cell) pairs held.

    Cells are group × stratum. Every count is a weighted sum (bootstrap multiplicities), computed with
    ``np.bincount`` over the holdings (O(holdings)), never as a dense certificates × cells table.
    """

    groups: list[str]
    cell: np.ndarray  # per seeker: group × n_strata + stratum, −1 outside every group
    n_cells: int
    pair_seeker: np.ndarray  # per distinct (certificate, cell) holding pair … of each holding
    pair_index: np.ndarray  # … the index of its (certificate, cell) key
    key_cert: np.ndarray  # per key: certificate
    key_cell: np.ndarray  # per key: cell


@dataclass(frozen=True)
class _Design:
    """One population: its holdings, indicator values and the three scopes."""

    n_certs: int
    n_strata: int
    indicators: tuple[Indicator, ...]
    values: np.ndarray  # seekers × indicators (0 where unavailable)
    available: np.ndarray  # seekers × indicators (0/1)
    scopes: dict[str, _Scope]


def _design(frame: pd.DataFrame, holdings: pd.DataFrame, certificate_ids: list[str], population: str,
            indicators: tuple[Indicator, ...]) -> _Design:
    n = len(frame)
    row_of = pd.Series(np.arange(n), index=frame["seeker_id"].to_numpy())
    col_of = {c: j for j, c in enumerate(certificate_ids)}
    held = holdings[holdings["seeker_id"].isin(row_of.index) & holdings["certificate_id"].isin(col_of)]
    held = held.drop_duplicates(["seeker_id", "certificate_id"])
    seekers = row_of.loc[held["seeker_id"]].to_numpy(np.int64)
    certs = held["certificate_id"].map(col_of).to_numpy(np.int64)
    raw = frame[[i.key for i in indicators]].to_numpy(float)
    strata = stratum_of(frame, population)
    n_strata = int(strata.max()) + 1 if n else 1
    industry = frame["industry_code"].fillna("").astype(str).to_numpy()
    industries = sorted(i for i in set(industry) if i)
    group_index = {
        "pooled": (np.zeros(n, np.int64), [ALL_INDUSTRIES]),
        "manufacturing": ((industry != MANUFACTURING).astype(np.int64), [MANUFACTURING_GROUP, OTHER_GROUP]),
        "industry": (np.array([industries.index(i) if i else -1 for i in industry], dtype=np.int64), industries),
    }
    scopes = {}
    for scope, (index, labels) in group_index.items():
        cell = np.where(index >= 0, index * n_strata + strata, -1)
        n_cells = max(len(labels), 1) * n_strata
        inside = cell[seekers] >= 0
        keys = certs[inside] * n_cells + cell[seekers[inside]]
        unique, inverse = np.unique(keys, return_inverse=True)
        scopes[scope] = _Scope(labels, cell, n_cells, seekers[inside], inverse, unique // n_cells, unique % n_cells)
    return _Design(len(certificate_ids), n_strata, indicators, np.nan_to_num(raw), np.isfinite(raw).astype(float),
                   scopes)


def _differences(design: _Design, scope: str, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adjusted holder − non-holder differences for every (group, certificate) of ``scope``.

    Returns:
        (differences groups × certificates × indicators, matched holder counts of the same shape,
        holder counts groups × certificates)
    """
    part = design.scopes[scope]
    n_groups = len(part.groups) or 1
    n_keys = len(part.key_cert)
    inside = part.cell >= 0
    group_of_key = part.key_cell // design.n_strata
    slot = part.key_cert * n_groups + group_of_key  # (certificate, group) of each key
    size = design.n_certs * n_groups
    pair_weight = weight[part.pair_seeker]
    holders = np.bincount(slot, weights=np.bincount(part.pair_index, weights=pair_weight, minlength=n_keys),
                          minlength=size)
    n_indicators = len(design.indicators)
    diffs = np.full((size, n_indicators), np.nan)
    matched = np.zeros((size, n_indicators))
    for j in range(n_indicators):
        wa = weight * design.available[:, j]
        wy = wa * design.values[:, j]
        total_n = np.bincount(part.cell[inside], weights=wa[inside], minlength=part.n_cells)
        total_y = np.bincount(part.cell[inside], weights=wy[inside], minlength=part.n_cells)
        h_n = np.bincount(part.pair_index, weights=wa[part.pair_seeker], minlength=n_keys)
        h_y = np.bincount(part.pair_index, weights=wy[part.pair_seeker], minlength=n_keys)
        n_n = total_n[part.key_cell] - h_n
        n_y = total_y[part.key_cell] - h_y
        valid = (h_n > 0) & (n_n > 1e-9)
        diff = np.where(valid, h_y / np.where(h_n > 0, h_n, 1) - n_y / np.where(n_n > 1e-9, n_n, 1), 0.0)
        used = np.where(valid, h_n, 0.0)
        num = np.bincount(slot, weights=used * diff, minlength=size)
        den = np.bincount(slot, weights=used, minlength=size)
        diffs[:, j] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
        matched[:, j] = den
    shape = (design.n_certs, n_groups)
    return (diffs.reshape(*shape, n_indicators).transpose(1, 0, 2),
            matched.reshape(*shape, n_indicators).transpose(1, 0, 2), holders.reshape(shape).T)


# --------------------------------------------------------------------------- the analysis


def _alternatives(design: _Design, scope: str, settings: AnalysisSettings, certificate_ids: list[str]
                  ) -> tuple[list[tuple[int, int]], list[dict]]:
    """Alternatives kept (group, certificate) and the suppressed ones with their reason."""
    ones = np.ones(design.values.shape[0])
    diffs, matched, holders = _differences(design, scope, ones)
    employed_col = _employed_column(design.indicators)
    kept, dropped = [], []
    for g, group in enumerate(design.scopes[scope].groups):
        for c, cid in enumerate(certificate_ids):
            n_holders = int(round(holders[g, c]))
            if n_holders == 0:
                continue
            if n_holders < settings.min_holders:
                reason = f"보유자 {n_holders}명(기준 {settings.min_holders}명 미만)"
            elif matched[g, c, employed_col] < settings.min_employed:
                reason = f"취업한 보유자 {int(matched[g, c, employed_col])}명(기준 {settings.min_employed}명 미만)"
            elif not np.isfinite(diffs[g, c]).all():
                reason = "비교할 비보유자가 없는 지표가 있음"
            else:
                kept.append((g, c))
                continue
            dropped.append({"group": group, "certificate_id": cid, "holders": n_holders, "reason": reason})
    return kept, dropped


def _employed_column(indicators: tuple[Indicator, ...]) -> int:
    """The indicator whose observations count as "employed holders" (the first measured on the employed)."""
    return next((j for j, i in enumerate(indicators) if i.among == "employed"), 0)


def _rank(scores: np.ndarray) -> np.ndarray:
    """1 = best; ties share the better rank."""
    return pd.Series(scores).rank(ascending=False, method="min").to_numpy()


def _fill_missing(matrix: np.ndarray) -> np.ndarray:
    """A bootstrap replicate can lose a comparison cell: its column's median takes the gap."""
    if np.isfinite(matrix).all():
        return matrix
    with warnings.catch_warnings():  # a column empty in this replicate gets 0 (no difference)
        warnings.simplefilter("ignore", RuntimeWarning)
        medians = np.nanmedian(np.where(np.isfinite(matrix), matrix, np.nan), axis=0)
    return np.where(np.isfinite(matrix), matrix, np.nan_to_num(medians)[None, :])


def _score_alternatives(design: _Design, scope: str, kept: list[tuple[int, int]], weight: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    diffs, _, _ = _differences(design, scope, weight)
    matrix = _fill_missing(np.array([diffs[g, c] for g, c in kept]))
    benefit = np.array([i.benefit for i in design.indicators])
    weights = entropy_weights(matrix, benefit=benefit)
    return matrix, weights, composite_scores(matrix, weights, benefit)


def analyse_population(frame: pd.DataFrame, holdings: pd.DataFrame, names: pd.DataFrame, population: str,
                       settings: AnalysisSettings, indicators: tuple[Indicator, ...] = INDICATORS,
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores, weights, suppressed alternatives and field gaps of one population (every scope).

    Args:
        frame: Seekers with ``seeker_id``, ``age``, ``education``, ``career_years``, ``industry_code``
            and the :data:`INDICATOR_KEYS` columns (:func:`outcome_columns`).
        holdings: ``seeker_id``, ``certificate_id``.
        names: ``certificate_id``, ``name``, ``field`` (``technical`` | ``service``).
        population: ``young`` or ``all``.
        settings: Bootstrap size, seed and minimum counts.
        indicators: The indicators (columns of ``frame``); :data:`INDICATORS` for the world's seekers.
    """
    people = select_population(frame, population).reset_index(drop=True)
    held = holdings[holdings["seeker_id"].isin(people["seeker_id"]) & holdings["certificate_id"].isin(
        names["certificate_id"])].drop_duplicates(["seeker_id", "certificate_id"])
    counts = held["certificate_id"].value_counts()
    # a certificate short of the minimum in the whole population is short of it in every industry too
    certificate_ids = sorted(counts.index[counts >= settings.min_holders])
    few = [{"population": population, "scope": "pooled", "group": ALL_INDUSTRIES, "certificate_id": cid,
            "holders": int(n), "reason": f"보유자 {int(n)}명(기준 {settings.min_holders}명 미만)"}
           for cid, n in counts[counts < settings.min_holders].sort_index().items()]
    design = _design(people, held, certificate_ids, population, indicators)
    rng = np.random.default_rng(settings.seed)
    n = len(people)
    resamples = [np.bincount(rng.integers(0, n, n), minlength=n).astype(float) for _ in range(settings.bootstrap)]
    meta = names.set_index("certificate_id")
    score_parts, weight_parts, dropped_parts, gap_parts = [], [], list(few), []
    for scope in SCOPES:
        kept, dropped = _alternatives(design, scope, settings, certificate_ids)
        dropped_parts.extend({"population": population, "scope": scope, **d} for d in dropped)
        if len(kept) < 2:
            continue
        matrix, weights, scores = _score_alternatives(design, scope, kept, np.ones(n))
        _, matched, holders = _differences(design, scope, np.ones(n))
        boot = [_score_alternatives(design, scope, kept, w) for w in resamples]
        boot_matrix = np.stack([b[0] for b in boot]) if boot else matrix[None]
        boot_weights = np.stack([b[1] for b in boot]) if boot else weights[None]
        boot_scores = np.stack([b[2] for b in boot]) if boot else scores[None]
        boot_ranks = np.stack([_rank(s) for s in boot_scores])
        normalised = minmax_normalise(matrix, np.array([i.benefit for i in indicators]))
        rows = []
        for i, (g, c) in enumerate(kept):
            cid = certificate_ids[c]
            row = {"population": population, "scope": scope, "group": design.scopes[scope].groups[g], "certificate_id": cid,
                   "name": meta.loc[cid, "name"], "field": meta.loc[cid, "field"],
                   "holders": int(round(holders[g, c])), "employed_holders": int(round(matched[g, c, _employed_column(indicators)])),
                   "score": scores[i], "score_low": np.percentile(boot_scores[:, i], 2.5),
                   "score_high": np.percentile(boot_scores[:, i], 97.5), "rank": _rank(scores)[i],
                   "rank_low": np.percentile(boot_ranks[:, i], 2.5), "rank_high": np.percentile(boot_ranks[:, i], 97.5),
                   "matched_share": float(matched[g, c, 0] / max(holders[g, c], 1))}
            for j, ind in enumerate(indicators):
                row[ind.key] = matrix[i, j] * ind.scale
                row[f"{ind.key}_low"] = np.percentile(boot_matrix[:, i, j], 2.5) * ind.scale
                row[f"{ind.key}_high"] = np.percentile(boot_matrix[:, i, j], 97.5) * ind.scale
                row[f"{ind.key}_norm"] = normalised[i, j]
            rows.append(row)
        scored = pd.DataFrame(rows)
        score_parts.append(scored)
        for j, ind in enumerate(indicators):
            weight_parts.append({"population": population, "scope": scope, "indicator": ind.key, "label": ind.label,
                                 "weight": weights[j], "weight_low": np.percentile(boot_weights[:, j], 2.5),
                                 "weight_high": np.percentile(boot_weights[:, j], 97.5), "alternatives": len(kept)})
        if scope == "manufacturing":
            gap_parts.append(_field_gap(population, kept, design, certificate_ids, meta, scores, boot_scores))
    scores_frame = pd.concat(score_parts, ignore_index=True) if score_parts else pd.DataFrame()
    gaps = pd.DataFrame([g for g in gap_parts if g])
    return scores_frame, pd.DataFrame(weight_parts), pd.DataFrame(dropped_parts), gaps


def _field_gap(population: str, kept: list[tuple[int, int]], design: _Design, certificate_ids: list[str],
               meta: pd.DataFrame, scores: np.ndarray, boot_scores: np.ndarray) -> dict:
    """Manufacturing − other score gap of technical and of service certificates (those scored in both)."""
    position = {(g, c): i for i, (g, c) in enumerate(kept)}
    both = [c for c in range(len(certificate_ids)) if (0, c) in position and (1, c) in position]
    if not both:
        return {}

    def gaps(values: np.ndarray, field_name: str) -> float:
        chosen = [values[position[(0, c)]] - values[position[(1, c)]] for c in both
                  if meta.loc[certificate_ids[c], "field"] == field_name]
        return float(np.mean(chosen)) if chosen else float("nan")

    out = {"population": population,
           "technical_certificates": sum(meta.loc[certificate_ids[c], "field"] == "technical" for c in both),
           "service_certificates": sum(meta.loc[certificate_ids[c], "field"] == "service" for c in both)}
    for key, fn in (("technical_gap", lambda v: gaps(v, "technical")), ("service_gap", lambda v: gaps(v, "service")),
                    ("difference", lambda v: gaps(v, "technical") - gaps(v, "service"))):
        boot = np.array([fn(b) for b in boot_scores])
        out[key] = fn(scores)
        out[f"{key}_low"] = float(np.nanpercentile(boot, 2.5)) if np.isfinite(boot).any() else float("nan")
        out[f"{key}_high"] = float(np.nanpercentile(boot, 97.5)) if np.isfinite(boot).any() else float("nan")
    return out


def analyse_certificates(frame: pd.DataFrame, holdings: pd.DataFrame, names: pd.DataFrame,
                         settings: AnalysisSettings | None = None, *, observation_end: dt.date | None = None,
                         populations: tuple[str, ...] = tuple(POPULATIONS),
                         indicators: tuple[Indicator, ...] = INDICATORS) -> CertificateValueResult:
    """The whole analysis for every population (module docstring).

    Args:
        frame: Seekers (see :func:`analyse_population`).
        holdings: Certificates held.
        names: Certificate names and fields.
        settings: Defaults of :class:`AnalysisSettings` when omitted.
        observation_end: Stored with the result (tenure is observed to it).
        populations: Which of :data:`POPULATIONS`.
        indicators: Other indicators than :data:`INDICATORS` (e.g. a survey's); the job indicators'
            minimum counts apply to the first one measured on the employed, or to the first one.

    Raises:
        InvalidInput: A required column is missing, or a setting is out of range.
    """
    settings = settings or AnalysisSettings()
    required = {"seeker_id", "age", "education", "career_years", "industry_code", *(i.key for i in indicators)}
    missing = required - set(frame.columns)
    if missing:
        raise InvalidInput(f"자격증 분석에 필요한 열이 없습니다: {', '.join(sorted(missing))}")
    if settings.bootstrap < 0 or settings.min_holders < 1 or settings.min_employed < 1:
        raise InvalidInput("부트스트랩 횟수는 0 이상, 최소 보유자·취업자 수는 1 이상이어야 합니다.")
    parts = [analyse_population(frame, holdings, names, p, settings, indicators) for p in populations]
    scores = pd.concat([p[0] for p in parts], ignore_index=True)
    result = CertificateValueResult(
        scores=scores, weights=pd.concat([p[1] for p in parts], ignore_index=True),
        suppressed=pd.concat([p[2] for p in parts], ignore_index=True),
        field_gaps=pd.concat([p[3] for p in parts], ignore_index=True), settings=settings,
        observation_end=observation_end)
    result.metrics = {**worked_example_check(), **_summary_metrics(result, indicators)}
    return result


def _summary_metrics(result: CertificateValueResult, indicators: tuple[Indicator, ...]) -> dict[str, float]:
    """Interval width, counts and the TOPSIS check of the default view (young, all industries)."""
    pooled = result.scores[(result.scores.get("population") == "young") & (result.scores.get("scope") == "pooled")] \
        if len(result.scores) else pd.DataFrame()
    out: dict[str, float] = {"certificates_scored": float(len(pooled)),
                             "certificates_suppressed": float(len(result.suppressed[
                                 (result.suppressed.get("population") == "young")
                                 & (result.suppressed.get("scope") == "pooled")])) if len(result.suppressed) else 0.0}
    if len(pooled) >= 2:
        out["score_interval_width"] = float((pooled["score_high"] - pooled["score_low"]).median())
        matrix = pooled[[i.key for i in indicators]].to_numpy(float)
        weights = result.weights[(result.weights["population"] == "young") & (result.weights["scope"] == "pooled")]
        with warnings.catch_warnings():  # pymcdm warns when the weights' float sum is not exactly 1
            warnings.simplefilter("ignore", UserWarning)
            topsis = TOPSIS()(matrix, weights["weight"].to_numpy(float),
                              np.array([1 if i.benefit else -1 for i in indicators]))
        out["topsis_spearman"] = float(spearmanr(topsis, pooled["score"]).statistic)
    gaps = result.field_gaps[result.field_gaps["population"] == "young"] if len(result.field_gaps) else pd.DataFrame()
    if len(gaps):
        out["field_gap_difference"] = float(gaps["difference"].iloc[0])
        out["field_gap_difference_low"] = float(gaps["difference_low"].iloc[0])
    return out
