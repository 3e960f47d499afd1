"""Graded-response (IRT) item banks: calibration from any response matrix, probabilities, information.

Model (Samejima's graded response model): for an item with discrimination ``a`` and ordered
thresholds ``b_1 < … < b_{K-1}``, ``P(X ≥ k+1 | θ) = σ(a (θ − b_k))`` for answers coded ``1..K``.
Each item measures one scale (R, I, A, S, E, C …); the scales' traits are correlated.

Calibration uses the ``mirt`` package (Python port of R's mirt with a Rust EM backend): each scale's
items are fitted as a unidimensional GRM by marginal maximum likelihood (EM, Gauss–Hermite
quadrature), which is exact for a bank where every item loads on one scale. Why not one
six-dimensional confirmatory fit: its quadrature grows as ``points**6``; the per-scale fits take
seconds and give the same item parameters under between-item multidimensionality. The scales'
correlation is then estimated from the per-scale EAP scores and disattenuated by their
reliabilities (``corr(EAP_d, EAP_e) / sqrt(rel_d · rel_e)``), the usual correction, and projected
to the nearest valid correlation matrix. ``girth`` (last release 2021) and ``adaptivetesting`` /
``catsim`` (unidimensional) were the alternatives; mirt is maintained and covers GRM + EAP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from app.errors import InvalidInput

MIN_RESPONDENTS = 50
"""Fewer respondents than this cannot calibrate a graded response model."""


@dataclass(frozen=True)
class GradedItemBank:
    """A calibrated item bank.

    Attributes:
        item_codes: Item identifiers in bank order (the response matrix's column names).
        scales: Scale names in order (e.g. ``("R", "I", "A", "S", "E", "C")``).
        item_scale: Index into ``scales`` for every item.
        discrimination: ``a`` per item.
        thresholds: ``(items, K-1)`` ordered thresholds ``b_k``.
        n_categories: ``K`` (answers are ``1..K``).
        correlation: ``(scales, scales)`` correlation of the scales' traits.
        respondents: Number of calibration respondents.
        residual_covariance: ``(items, items)`` covariance of the answers around their GRM
            expectation given the traits (local dependence: items more alike than their scale
            says), or ``None`` for local independence.
        answer_mean: ``(items,)`` mean answer in the calibration data (``None``: not kept).
        answer_covariance: ``(items, items)`` their covariance (pairwise over answered items,
            made positive definite): the Gaussian answer model of :mod:`app.ml.adaptive_test`.
    """

    item_codes: tuple[str, ...]
    scales: tuple[str, ...]
    item_scale: np.ndarray
    discrimination: np.ndarray
    thresholds: np.ndarray
    n_categories: int
    correlation: np.ndarray
    respondents: int
    residual_covariance: np.ndarray | None = None
    answer_mean: np.ndarray | None = None
    answer_covariance: np.ndarray | None = None

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.item_codes)

    def items_of(self, scale: str) -> np.ndarray:
        """Bank indices of the items of ``scale``."""
        return np.flatnonzero(self.item_scale == self.scales.index(scale))

    def to_frame(self) -> pd.DataFrame:
        """One row per item: ``item_code, scale, discrimination, threshold_1..``."""
        frame = pd.DataFrame({
            "item_code": list(self.item_codes),
            "scale": [self.scales[s] for s in self.item_scale],
            "discrimination": self.discrimination,
        })
        for k in range(self.thresholds.shape[1]):
            frame[f"threshold_{k + 1}"] = self.thresholds[:, k]
        return frame

    def to_dict(self) -> dict:
        """A JSON-able form (for artifacts); :func:`bank_from_dict` reads it back."""
        return {
            "item_codes": list(self.item_codes), "scales": list(self.scales),
            "item_scale": self.item_scale.tolist(), "discrimination": self.discrimination.tolist(),
            "thresholds": self.thresholds.tolist(), "n_categories": self.n_categories,
            "correlation": self.correlation.tolist(), "respondents": self.respondents,
            **{name: None if getattr(self, name) is None else getattr(self, name).tolist()
               for name in ("residual_covariance", "answer_mean", "answer_covariance")},
        }


def bank_from_dict(data: Mapping) -> GradedItemBank:
    """The bank saved by :meth:`GradedItemBank.to_dict`."""
    return GradedItemBank(
        item_codes=tuple(data["item_codes"]), scales=tuple(data["scales"]),
        item_scale=np.asarray(data["item_scale"], dtype=int),
        discrimination=np.asarray(data["discrimination"], dtype=float),
        thresholds=np.asarray(data["thresholds"], dtype=float), n_categories=int(data["n_categories"]),
        correlation=np.asarray(data["correlation"], dtype=float), respondents=int(data["respondents"]),
        **{name: None if data.get(name) is None else np.asarray(data[name], dtype=float)
           for name in ("residual_covariance", "answer_mean", "answer_covariance")},
    )


def category_probabilities(discrimination: np.ndarray, thresholds: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``P(X = k | θ)`` for every item and θ.

    Args:
        discrimination: ``(items,)``.
        thresholds: ``(items, K-1)``.
        theta: ``(points,)`` trait values.

    Returns:
        ``(items, points, K)`` probabilities of answers ``1..K``.
    """
    z = discrimination[:, None, None] * (theta[None, :, None] - thresholds[:, None, :])
    at_least = 1.0 / (1.0 + np.exp(-z))  # (items, points, K-1): P(X ≥ k+1)
    ones = np.ones(at_least.shape[:2] + (1,))
    zeros = np.zeros_like(ones)
    upper = np.concatenate([ones, at_least], axis=2)
    lower = np.concatenate([at_least, zeros], axis=2)
    return np.clip(upper - lower, 1e-12, 1.0)


def item_information(discrimination: np.ndarray, thresholds: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Fisher information of every item at every θ (``(items, points)``).

    For the GRM, ``I(θ) = Σ_k (P'_k)² / P_k`` with ``P'_k = a (P*_{k-1}(1−P*_{k-1}) − P*_k(1−P*_k))``.
    """
    z = discrimination[:, None, None] * (theta[None, :, None] - thresholds[:, None, :])
    at_least = 1.0 / (1.0 + np.exp(-z))
    slope = at_least * (1.0 - at_least)
    pad = np.zeros(slope.shape[:2] + (1,))
    upper = np.concatenate([pad, slope], axis=2)
    lower = np.concatenate([slope, pad], axis=2)
    derivative = discrimination[:, None, None] * (upper - lower)
    probs = category_probabilities(discrimination, thresholds, theta)
    return (derivative**2 / probs).sum(axis=2)


def simulate_responses(bank: GradedItemBank, theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Full-form answers ``1..K`` of respondents with traits ``theta`` (``(n, scales)``)."""
    th = theta[:, bank.item_scale]  # (n, items)
    z = bank.discrimination[None, :, None] * (th[:, :, None] - bank.thresholds[None, :, :])
    at_least = 1.0 / (1.0 + np.exp(-z))
    return 1 + (rng.random(th.shape)[:, :, None] < at_least).sum(axis=2)


def validate_scales(scales: Mapping[str, Sequence[str]], columns: Sequence[str]) -> dict[str, list[str]]:
    """Check a scale map against a response matrix's columns.

    Raises:
        InvalidInput: A scale without items, an item in two scales, or an item the matrix lacks.
    """
    if not scales:
        raise InvalidInput("척도 정의가 비어 있습니다.")
    seen: dict[str, str] = {}
    known = set(columns)
    out: dict[str, list[str]] = {}
    for scale, items in scales.items():
        items = [str(i) for i in items]
        if len(items) < 2:
            raise InvalidInput(f"척도 '{scale}'에 문항이 2개 이상 있어야 합니다.")
        for item in items:
            if item in seen:
                raise InvalidInput(f"문항 '{item}'이(가) 척도 '{seen[item]}'와(과) '{scale}'에 모두 들어 있습니다.")
            if item not in known:
                raise InvalidInput(f"척도 '{scale}'의 문항 '{item}'이(가) 응답 파일에 없습니다.")
            seen[item] = scale
        out[str(scale)] = items
    return out


def calibrate_graded_bank(
    responses: pd.DataFrame, scales: Mapping[str, Sequence[str]], n_categories: int | None = None
) -> GradedItemBank:
    """Calibrate GRM parameters per scale (mirt, EM) and the scales' trait correlation.

    Args:
        responses: One row per respondent, one column per item; answers ``1..K``; ``NaN`` or a
            value below 1 is missing.
        scales: Scale name -> its item columns.
        n_categories: ``K``; by default the largest answer observed.

    Returns:
        The calibrated bank, items ordered scale by scale as in ``scales``.

    Raises:
        InvalidInput: Too few respondents, or an item nobody answered.
    """
    import mirt  # imported here: only the build and the calibrate/simulate commands need it

    scales = validate_scales(scales, list(responses.columns))
    if len(responses) < MIN_RESPONDENTS:
        raise InvalidInput(f"보정에는 응답자가 {MIN_RESPONDENTS}명 이상 필요합니다(현재 {len(responses)}명).")
    codes = [item for items in scales.values() for item in items]
    matrix = responses[codes].to_numpy(dtype=float, copy=True)
    matrix[~(matrix >= 1)] = np.nan
    k = int(n_categories or np.nanmax(matrix))
    if k < 2:
        raise InvalidInput("응답 범주가 2개 이상이어야 합니다.")
    empty = [codes[j] for j in np.flatnonzero(np.isnan(matrix).all(axis=0))]
    if empty:
        raise InvalidInput(f"응답이 하나도 없는 문항이 있습니다: {', '.join(empty[:5])}")
    a_parts, b_parts, eap, reliability = [], [], [], []
    offset = 0
    for items in scales.values():
        block = matrix[:, offset : offset + len(items)] - 1.0
        offset += len(items)
        fit = mirt.fit_mirt(block, model="GRM", n_factors=1, n_categories=k, compute_standard_errors=False)
        coef = fit.coef()
        a_parts.append(coef["discrimination"].to_numpy(float))
        b_parts.append(np.sort(coef[[f"thresholds_{i}" for i in range(1, k)]].to_numpy(float), axis=1))
        scores = mirt.fscores(fit, block, method="EAP")
        theta = np.asarray(scores.theta, dtype=float).reshape(len(block))
        se = np.asarray(scores.standard_error, dtype=float).reshape(len(block))
        eap.append(theta)
        # marginal reliability of EAP scores: var(EAP) / (var(EAP) + mean PSD²)
        reliability.append(float(np.var(theta) / (np.var(theta) + np.mean(se**2))))
    correlation = _disattenuated_correlation(np.column_stack(eap), np.asarray(reliability))
    bank = GradedItemBank(
        item_codes=tuple(codes), scales=tuple(scales),
        item_scale=np.repeat(np.arange(len(scales)), [len(v) for v in scales.values()]),
        discrimination=np.concatenate(a_parts), thresholds=np.vstack(b_parts), n_categories=k,
        correlation=correlation, respondents=len(responses),
    )
    return replace(bank, residual_covariance=residual_covariance(bank, matrix),
                   answer_mean=np.nanmean(matrix, axis=0), answer_covariance=_positive_definite(
                       np.nan_to_num(pd.DataFrame(matrix).cov(min_periods=10).to_numpy(), nan=0.0)))


def _positive_definite(matrix: np.ndarray, floor_share: float = 0.05) -> np.ndarray:
    """Symmetrise and floor the eigenvalues at ``floor_share`` of the mean diagonal."""
    matrix = (matrix + matrix.T) / 2
    eigenvalues, vectors = np.linalg.eigh(matrix)
    floor = floor_share * float(np.mean(np.diag(matrix)))
    return vectors @ np.diag(np.maximum(eigenvalues, floor)) @ vectors.T


def residual_covariance(bank: GradedItemBank, answers: np.ndarray, draws: int = 20_000, seed: int = 0) -> np.ndarray:
    """The answers' covariance left once the traits are known: ``Ψ = Σ_observed − Cov_θ(E[X | θ])``.

    The GRM alone implies ``Σ_model = Cov_θ(E[X|θ]) + diag(E_θ Var(X|θ))``; what the observed
    covariance (pairwise over answered items) has beyond it is local dependence — items that share
    more than their scale, such as two items about the same kind of tool — which the adaptive test
    uses to predict the items it does not ask. Made positive definite by flooring its eigenvalues.

    Args:
        bank: The calibrated bank.
        answers: ``(n, items)`` calibration answers in bank order, ``NaN`` missing.
        draws: Trait draws from ``N(0, R)`` for the model's moments.
        seed: Seed of the draws.
    """
    rng = np.random.default_rng(seed)
    theta = rng.multivariate_normal(np.zeros(len(bank.scales)), bank.correlation, size=draws)
    values = np.arange(1, bank.n_categories + 1, dtype=float)
    expected = np.empty((draws, bank.n_items))
    variance = np.empty(bank.n_items)
    for d in range(len(bank.scales)):
        cols = bank.item_scale == d
        probs = category_probabilities(bank.discrimination[cols], bank.thresholds[cols], theta[:, d])
        mean = probs @ values  # (items_d, draws)
        expected[:, cols] = mean.T
        variance[cols] = (probs @ values**2 - mean**2).mean(axis=1)
    observed = pd.DataFrame(answers).cov(min_periods=10).to_numpy()
    model_part = np.cov(expected, rowvar=False)
    psi = np.nan_to_num(observed - model_part, nan=0.0)
    diagonal = np.maximum(np.diag(psi), 0.25 * variance)
    np.fill_diagonal(psi, diagonal)
    return _positive_definite(psi)


def _disattenuated_correlation(scores: np.ndarray, reliability: np.ndarray) -> np.ndarray:
    """Correlation of EAP scores divided by √(rel_d·rel_e), made a valid correlation matrix."""
    observed = np.corrcoef(scores, rowvar=False)
    scale = np.sqrt(np.outer(reliability, reliability))
    corrected = observed / np.maximum(scale, 1e-6)
    np.fill_diagonal(corrected, 1.0)
    corrected = np.clip(corrected, -0.95, 0.95)
    np.fill_diagonal(corrected, 1.0)
    # nearest positive-definite: floor the eigenvalues, then rescale to a unit diagonal
    values, vectors = np.linalg.eigh(corrected)
    fixed = vectors @ np.diag(np.maximum(values, 0.05)) @ vectors.T
    d = np.sqrt(np.diag(fixed))
    return fixed / np.outer(d, d)
