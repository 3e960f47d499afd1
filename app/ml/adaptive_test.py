"""Multidimensional graded-response adaptive test (CAT) over correlated scales.

What the test must decide is the ranking of the scales' full-form scores — which scale is the
respondent's highest and which three are their top three — not every trait to a fixed precision.
So the engine predicts each scale's **full-form score** (the mean answer over all of the scale's
items), from the answers given so far plus the expected answers to the items not asked, and asks
the item that most reduces the uncertainty of the scales whose rank is still in doubt.

Posterior (why not a grid): six correlated traits make a full quadrature grid ``points**6``; the
items each load on one scale, so each scale's log-likelihood is a one-dimensional curve (kept on a
fine grid) and the posterior ``N(0, R) × Π_d L_d(θ_d)`` is handled by importance sampling from its
Laplace approximation (MAP by Newton's method, covariance from the Hessian). Fixed standard-normal
draws make the estimates a smooth, reproducible function of the answers. EAP and its standard
error are the weighted mean and spread of the samples; the MAP is reported too.

Item selection (maximum information, aimed at the decision): for each unasked item ``j`` and scale
``d``, the expected reduction of the predicted full-form score's variance from observing ``X_j`` is
``Cov(T_d, X_j)² / Var(X_j)`` (linear-Gaussian approximation over the posterior samples; it counts
both what ``X_j`` says about the trait and that ``X_j`` itself is part of ``T_d``). The scales are
weighted by how contested their rank is, ``p(1−p)`` for being first and for being in the top three.
A scale's Fisher information at the EAP is the special case without the item's own part.

Exposure control: the restricted maximum-information method (Revuelta & Ponsoda, 1998) — an item
whose exposure rate has reached the cap is not selected (only when every remaining item has, the
least exposed one is). Content balancing: every scale gets ``min_per_scale`` items before any scale gets more
than that. Stopping: the top-1 and top-3 rankings are probable enough, the traits of the top three
are measured to the standard-error floor (and the caller's own decision, e.g. a top-5 occupation
list, is stable), or the maximum length is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.ml.irt import GradedItemBank, category_probabilities

MODEL_VERSION = "1.1"
"""Version of the adaptive engine (selection, estimation and stopping rules)."""

GRID = np.linspace(-5.0, 5.0, 161)
"""Trait grid on which each scale's log-likelihood and each item's expected answer are kept."""
_STEP = GRID[1] - GRID[0]
MAX_LENGTH_SHARE = 0.54
"""The longest test as a share of the bank (the hard cases: near-tied scales)."""
PROPOSAL_INFLATION = 1.25
"""The importance proposal's spread relative to the Laplace covariance (heavier than the target)."""


@dataclass(frozen=True)
class CatSettings:
    """How long the test runs and when it stops.

    Attributes:
        max_items: Hard maximum number of answered items.
        min_per_scale: Items every scale gets before the test may stop (content balancing).
        top1_confidence: Stop only when the highest scale is this probable.
        top_set_size: Size of the top set whose membership must be stable (3: a Holland code).
        top_set_confidence: Stop only when the top set is this probable.
        se_floor: Stop only when the traits of the top set have standard errors at or below this.
        exposure_cap: Largest share of tests an item may appear in (restricted max-information).
        samples: Importance samples of the posterior.
        seed: Seed of the fixed draws (estimates are a deterministic function of the answers).
        answer_model: How the unasked answers are predicted: ``"gaussian"`` (the calibration
            data's answer covariance) or ``"grm"`` (the GRM given the trait posterior, plus the
            residual local dependence).
        top1_weight: Weight of the highest scale's contested pairs against the top set's in item
            selection.
    """

    max_items: int = 24
    min_per_scale: int = 1
    top1_confidence: float = 0.90
    top_set_size: int = 3
    top_set_confidence: float = 0.80
    se_floor: float = 0.80
    exposure_cap: float = 0.70
    samples: int = 1024
    seed: int = 20261207
    answer_model: str = "gaussian"
    top1_weight: float = 1.0


def contract_settings(n_items: int, n_scales: int = 6) -> CatSettings:
    """Settings of ``python -m app interest simulate`` for a bank of ``n_items``.

    The maximum length is :data:`MAX_LENGTH_SHARE` of the bank (at least two items per scale), the
    top-1 pairs count 1.2 times the top-set pairs in selection, and the test stops at 88% / 78%
    ranking probability. Chosen on the real 48-item RIASEC responses (``../shared/data/riasec_responses``,
    two half/half splits; ``bench/interest_quality.py``): on both, items used 38% of the form,
    highest type agreeing with the full form 91–92%, top three 81–82%.
    """
    return CatSettings(max_items=max(2 * n_scales, int(round(MAX_LENGTH_SHARE * n_items))),
                       top1_confidence=0.88, top_set_confidence=0.78, top1_weight=1.2)


@dataclass(frozen=True)
class CatEstimate:
    """The current estimates of an adaptive test.

    Attributes:
        theta: EAP trait per scale.
        theta_se: Posterior standard deviation per scale.
        theta_map: MAP trait per scale.
        predicted_score: Expected full-form score (mean answer, ``1..K``) per scale.
        score_se: Its standard deviation (trait uncertainty and the unasked answers' noise).
        ranking: Scale indices from highest to lowest predicted score.
        top1_probability: Probability that ``ranking[0]`` is the highest full-form score.
        top_set_probability: Probability that ``ranking[:top_set_size]`` is the full-form top set.
        first_probability: Per scale, the probability of being the highest.
        in_top_set_probability: Per scale, the probability of being in the top set.
    """

    theta: np.ndarray
    theta_se: np.ndarray
    theta_map: np.ndarray
    predicted_score: np.ndarray
    score_se: np.ndarray
    ranking: np.ndarray
    top1_probability: float
    top_set_probability: float
    first_probability: np.ndarray
    in_top_set_probability: np.ndarray


@dataclass(frozen=True)
class _Prediction:
    """Predicted full-form scores of one state (see :meth:`AdaptiveTest._scores`)."""

    predicted: np.ndarray  # (samples, scales)
    noise_scores: np.ndarray  # (scales, scales) residual covariance of the scale scores
    unasked: np.ndarray  # bank indices
    means: np.ndarray  # (samples, unasked) expected answers
    noise_items: np.ndarray  # (unasked, unasked) residual covariance of the answers
    to_scores: np.ndarray  # (scales, unasked): 1/n_d where item j belongs to scale d


class ItemCurves:
    """Per-item curves on :data:`GRID`: log category probabilities, expected answer, variance."""

    def __init__(self, bank: GradedItemBank) -> None:
        probs = category_probabilities(bank.discrimination, bank.thresholds, GRID)  # (J, G, K)
        values = np.arange(1, bank.n_categories + 1, dtype=float)
        self.log_prob = np.log(probs)
        # first and second θ-derivatives of each answer's log-probability (Newton steps of the MAP)
        self.log_prob_d1 = np.gradient(self.log_prob, _STEP, axis=1)
        self.log_prob_d2 = np.gradient(self.log_prob_d1, _STEP, axis=1)
        self.mean = probs @ values
        self.variance = probs @ values**2 - self.mean**2


class AdaptiveTest:
    """One respondent's adaptive test: answers so far, posterior, next item, stopping.

    Args:
        bank: The calibrated item bank.
        settings: Lengths, confidences and exposure cap.
        curves: Precomputed curves of ``bank`` (share one across many tests).
    """

    def __init__(self, bank: GradedItemBank, settings: CatSettings | None = None,
                 curves: ItemCurves | None = None) -> None:
        self.bank = bank
        self.settings = settings or CatSettings()
        self.curves = curves or ItemCurves(bank)
        self.n_scales = len(bank.scales)
        self.answers: dict[int, int] = {}
        self.order: list[int] = []
        self.unavailable: set[int] = set()
        rng = np.random.default_rng(self.settings.seed)
        self._z = rng.standard_normal((self.settings.samples, self.n_scales))
        self._noise = rng.standard_normal((self.settings.samples, self.n_scales))
        self._precision = np.linalg.inv(bank.correlation)
        self._loglik = np.zeros((self.n_scales, len(GRID)))
        self._loglik_d1 = np.zeros_like(self._loglik)
        self._loglik_d2 = np.zeros_like(self._loglik)
        self._cache: tuple | None = None
        self._prediction: _Prediction | None = None
        self._ranking: tuple | None = None
        self._last_map = np.zeros(self.n_scales)

    @staticmethod
    def curves_for(bank: GradedItemBank) -> ItemCurves:
        """Curves of ``bank`` to share between tests (they cost ``items × grid × K``)."""
        return ItemCurves(bank)

    # --- answers -------------------------------------------------------------------------------
    def answer(self, item: int, response: int) -> None:
        """Record the answer ``1..K`` to bank item ``item``.

        Raises:
            ValueError: Out-of-range item or answer, or an item answered before.
        """
        if not 0 <= item < self.bank.n_items:
            raise ValueError(f"item {item} is not in the bank")
        if item in self.answers:
            raise ValueError(f"item {item} was answered before")
        if not 1 <= int(response) <= self.bank.n_categories:
            raise ValueError(f"answer {response} is outside 1..{self.bank.n_categories}")
        self.answers[item] = int(response)
        self.order.append(item)
        scale = self.bank.item_scale[item]
        self._loglik[scale] += self.curves.log_prob[item, :, int(response) - 1]
        self._loglik_d1[scale] += self.curves.log_prob_d1[item, :, int(response) - 1]
        self._loglik_d2[scale] += self.curves.log_prob_d2[item, :, int(response) - 1]
        self._cache = None
        self._prediction = None
        self._ranking = None

    def mark_unavailable(self, item: int) -> None:
        """Exclude an item this respondent cannot answer (it leaves the full-form score too)."""
        self.unavailable.add(item)
        self._cache = None
        self._prediction = None
        self._ranking = None

    # --- posterior -----------------------------------------------------------------------------
    def _map(self) -> tuple[np.ndarray, np.ndarray]:
        """MAP traits and the Laplace covariance."""
        grad1, grad2 = self._loglik_d1, self._loglik_d2
        theta = self._last_map.copy()  # warm start: one more answer moves the MAP a little
        hessian = -self._precision
        rows = np.arange(self.n_scales)
        for _ in range(30):
            position = (theta - GRID[0]) / _STEP
            lower = np.minimum(np.floor(position).astype(int), len(GRID) - 2)
            frac = position - lower
            g1 = grad1[rows, lower] * (1 - frac) + grad1[rows, lower + 1] * frac
            g2 = grad2[rows, lower] * (1 - frac) + grad2[rows, lower + 1] * frac
            gradient = -self._precision @ theta + g1
            hessian = -self._precision + np.diag(np.minimum(g2, 0.0))
            step = np.linalg.solve(hessian, gradient)
            theta = np.clip(theta - np.clip(step, -1.5, 1.5), GRID[1], GRID[-2])
            if np.max(np.abs(step)) < 1e-7:
                break
        self._last_map = theta
        return theta, np.linalg.inv(-hessian)

    def _posterior(self) -> tuple:
        """(MAP, samples (M, D), weights (M,), grid positions) — cached until the next answer."""
        if self._cache is not None:
            return self._cache
        theta_map, covariance = self._map()
        chol = np.linalg.cholesky(covariance + 1e-9 * np.eye(self.n_scales)) * PROPOSAL_INFLATION
        samples = np.clip(theta_map + self._z @ chol.T, GRID[0], GRID[-1] - 1e-9)
        position = (samples - GRID[0]) / _STEP
        lower = np.floor(position).astype(int)
        frac = position - lower
        loglik = sum(
            self._loglik[d, lower[:, d]] * (1 - frac[:, d]) + self._loglik[d, lower[:, d] + 1] * frac[:, d]
            for d in range(self.n_scales)
        )
        log_prior = -0.5 * np.einsum("md,de,me->m", samples, self._precision, samples)
        log_proposal = -0.5 * (self._z**2).sum(axis=1)
        log_w = loglik + log_prior - log_proposal
        weights = np.exp(log_w - log_w.max())
        weights /= weights.sum()
        self._cache = (theta_map, samples, weights, lower, frac)
        return self._cache

    def _candidates(self) -> np.ndarray:
        """Bank indices not answered and not unavailable."""
        mask = np.ones(self.bank.n_items, dtype=bool)
        mask[list(self.answers)] = False
        mask[list(self.unavailable)] = False
        return np.flatnonzero(mask)

    def _curve_at(self, curve: np.ndarray, items: np.ndarray) -> np.ndarray:
        """``curve[j](θ_s)`` for the given items at every posterior sample: ``(M, len(items))``."""
        _, _, _, lower, frac = self._posterior()
        scale = self.bank.item_scale[items]
        lo = lower[:, scale]
        f = frac[:, scale]
        return curve[items, lo] * (1 - f) + curve[items, lo + 1] * f

    def _scores(self) -> _Prediction:
        """Predicted full-form scores per posterior sample and the unasked answers' residual noise.

        Per sample ``s``: ``T_d = (Σ answered x_j + Σ unasked E[X_j | θ_s, answers]) / n_d``. With the
        bank's residual (local-dependence) covariance ``Ψ``, an unasked answer's expectation adds
        ``Ψ_ua Ψ_aa⁻¹ (x_a − E[X_a | θ_s])`` (what the answered items' surprises say about related
        items) and its remaining noise is ``Ψ_uu − Ψ_ua Ψ_aa⁻¹ Ψ_au``; without ``Ψ`` the noise is the
        GRM's own answer variance.
        """
        if self._prediction is not None:
            return self._prediction
        _, _, weights, _, _ = self._posterior()
        unasked = self._candidates()
        residual = self.bank.residual_covariance
        answered = np.array(self.order, dtype=int)
        gaussian = self._gaussian()
        if gaussian:
            means, noise_items = self._gaussian_answers(answered, unasked, len(weights))
        else:
            means = self._curve_at(self.curves.mean, unasked)
        if gaussian:
            pass  # the Gaussian model's conditional covariance is the whole noise
        elif residual is not None and len(answered) and len(unasked):
            surprise = np.array([self.answers[j] for j in answered], dtype=float) - self._curve_at(
                self.curves.mean, answered)
            psi_aa = residual[np.ix_(answered, answered)]
            psi_au = residual[np.ix_(answered, unasked)]
            gain = np.linalg.solve(psi_aa + 1e-6 * np.eye(len(answered)), psi_au)
            means = means + surprise @ gain
            noise_items = residual[np.ix_(unasked, unasked)] - psi_au.T @ gain
        elif residual is not None:
            noise_items = residual[np.ix_(unasked, unasked)]
        else:
            noise_items = np.diag(weights @ self._curve_at(self.curves.variance, unasked))
        sizes = self._scale_sizes()
        total = np.zeros((len(means), self.n_scales))
        for item, response in self.answers.items():
            total[:, self.bank.item_scale[item]] += response
        scales = self.bank.item_scale[unasked]
        # A maps unasked answers to scale means: A[d, j] = 1/n_d for the items of scale d
        to_scores = np.zeros((self.n_scales, len(unasked)))
        to_scores[scales, np.arange(len(unasked))] = 1.0 / sizes[scales]
        # (the Gaussian model's rows are one broadcast row: multiply that row, not 1,024 copies of it)
        unasked_part = means[:1] @ to_scores.T if gaussian else means @ to_scores.T
        predicted = total / sizes + unasked_part
        noise_items = (noise_items + noise_items.T) / 2
        noise_scores = to_scores @ noise_items @ to_scores.T
        self._prediction = _Prediction(predicted, noise_scores, unasked, means, noise_items, to_scores)
        return self._prediction

    def _gaussian(self) -> bool:
        """Whether unasked answers come from the Gaussian answer model (settings and bank allow it)."""
        return self.settings.answer_model == "gaussian" and self.bank.answer_covariance is not None

    def _gaussian_answers(self, answered: np.ndarray, unasked: np.ndarray, n_samples: int):
        """Unasked answers under the Gaussian answer model: the conditional mean and covariance
        of a multivariate normal with the calibration data's means and covariance."""
        mean, cov = self.bank.answer_mean, self.bank.answer_covariance
        assert mean is not None and cov is not None
        if len(answered):
            observed = np.array([self.answers[j] for j in answered], dtype=float)
            gain = np.linalg.solve(cov[np.ix_(answered, answered)] + 1e-6 * np.eye(len(answered)),
                                   cov[np.ix_(answered, unasked)])
            expected = mean[unasked] + (observed - mean[answered]) @ gain
            remaining = cov[np.ix_(unasked, unasked)] - cov[np.ix_(unasked, answered)] @ gain
        else:
            expected, remaining = mean[unasked], cov[np.ix_(unasked, unasked)]
        return np.broadcast_to(expected, (n_samples, len(unasked))), remaining

    def _draws(self, prediction: _Prediction) -> np.ndarray:
        """Full-form scores drawn per posterior sample, rounded as sums of integers (ties as in reality)."""
        if self._ranking is not None and self._ranking[0] is prediction:
            return self._ranking[1]
        chol = np.linalg.cholesky(prediction.noise_scores + 1e-9 * np.eye(self.n_scales))
        draws = prediction.predicted + self._noise @ chol.T
        n_items = self._scale_sizes()
        draws = np.round(draws * n_items) / n_items
        self._ranking = (prediction, draws)
        return draws

    def _ranking_probabilities(self, prediction: _Prediction, weights: np.ndarray):
        """Point ranking and the probabilities of its top-1 and top set, with full-form ties counting."""
        k = min(self.settings.top_set_size, self.n_scales)
        ranking = np.argsort(-(weights @ prediction.predicted), kind="stable")
        draws = self._draws(prediction)
        best = draws.max(axis=1)
        top1 = draws[:, ranking[0]] >= best - 1e-9
        inside, outside = ranking[:k], ranking[k:]
        top_set = draws[:, inside].min(axis=1) >= (draws[:, outside].max(axis=1) if len(outside) else -np.inf) - 1e-9
        order = np.argsort(-draws, axis=1, kind="stable")
        first = np.bincount(order[:, 0], weights=weights, minlength=self.n_scales)
        in_set = np.zeros(self.n_scales)
        for r in range(k):
            in_set += np.bincount(order[:, r], weights=weights, minlength=self.n_scales)
        return ranking, float(weights @ top1), float(weights @ top_set), first, in_set

    def _pair_weights(self, prediction: _Prediction, weights: np.ndarray) -> np.ndarray:
        """``W[a, b]``: how likely ``b`` overturns a decided order ``a`` above ``b`` — the highest
        scale against each other, and each top-set scale against each scale outside the set."""
        k = min(self.settings.top_set_size, self.n_scales)
        ranking = np.argsort(-(weights @ prediction.predicted), kind="stable")
        draws = self._draws(prediction)
        pair = np.zeros((self.n_scales, self.n_scales))
        first = ranking[0]
        for b in ranking[1:]:
            pair[first, b] += self.settings.top1_weight * (weights @ (draws[:, b] >= draws[:, first]))
        for a in ranking[:k]:
            for b in ranking[k:]:
                pair[a, b] += weights @ (draws[:, b] >= draws[:, a])
        return pair

    def _scale_sizes(self) -> np.ndarray:
        sizes = np.bincount(self.bank.item_scale, minlength=self.n_scales).astype(float)
        for item in self.unavailable:
            sizes[self.bank.item_scale[item]] -= 1
        return np.maximum(sizes, 1)

    def estimate(self) -> CatEstimate:
        """EAP/MAP traits with standard errors, predicted scores and the ranking's probabilities."""
        theta_map, samples, weights, _, _ = self._posterior()
        theta = weights @ samples
        theta_se = np.sqrt(np.maximum(weights @ (samples - theta) ** 2, 0.0))
        prediction = self._scores()
        score = weights @ prediction.predicted
        spread = weights @ (prediction.predicted - score) ** 2
        score_se = np.sqrt(np.maximum(spread + np.diag(prediction.noise_scores), 0.0))
        ranking, p1, pset, first, in_set = self._ranking_probabilities(prediction, weights)
        return CatEstimate(theta, theta_se, theta_map, score, score_se, ranking, p1, pset, first, in_set)

    # --- selection and stopping ----------------------------------------------------------------
    def item_values(self) -> tuple[np.ndarray, np.ndarray]:
        """Every unasked item and its value for the decision.

        The value of item ``j`` is ``Σ_{a,b} W[a,b] · Cov(T_a − T_b, X_j)² / (Var(X_j) · Var(T_a − T_b))``:
        the share of each contested pair's score-difference variance that its answer is expected
        to remove, weighted by how likely that pair's order is to be overturned
        (:meth:`_pair_weights`).
        """
        _, _, weights, _, _ = self._posterior()
        prediction = self._scores()
        unasked = prediction.unasked
        if len(unasked) == 0:
            return unasked, np.zeros(0)
        pair = self._pair_weights(prediction, weights) + 1e-3
        np.fill_diagonal(pair, 0.0)
        # Cov(T_d, X_j) = Cov over the posterior of their expectations + their shared residual noise
        covariance = prediction.to_scores @ prediction.noise_items
        item_variance = np.diag(prediction.noise_items).copy()
        score_cov = prediction.noise_scores.copy()
        if not self._gaussian():  # the Gaussian model's expectations do not depend on the traits
            centred_items = prediction.means - weights @ prediction.means
            centred_scores = prediction.predicted - weights @ prediction.predicted
            weighted = (centred_scores * weights[:, None]).T
            covariance += weighted @ centred_items
            item_variance += weights @ centred_items**2
            score_cov += weighted @ centred_scores
        a_idx, b_idx = np.nonzero(pair)
        diff_cov = covariance[a_idx] - covariance[b_idx]  # (pairs, J)
        diff_var = score_cov[a_idx, a_idx] + score_cov[b_idx, b_idx] - 2 * score_cov[a_idx, b_idx]
        explained = diff_cov**2 / np.maximum(item_variance, 1e-12) / np.maximum(diff_var, 1e-12)[:, None]
        return unasked, pair[a_idx, b_idx] @ explained

    def next_item(self, exposure_rate: np.ndarray | None = None) -> int | None:
        """The next item to ask, or ``None`` when the test should stop (see :meth:`stop_reason`).

        Args:
            exposure_rate: Per bank item, the share of tests so far that asked it.
        """
        if self.stop_reason() is not None:
            return None
        return self.select_item(exposure_rate)

    def select_item(self, exposure_rate: np.ndarray | None = None) -> int | None:
        """The most valuable eligible item regardless of the stopping rule (``None``: bank used up).

        Eligible: not answered, not unavailable, and (with ``exposure_rate``) asked in fewer than
        ``exposure_cap`` of the tests so far — strictly, so no item's rate passes its cap; only when
        every remaining item is at the cap is the least exposed one asked. Among the eligible, the
        scales that have fewer than ``min_per_scale`` items come first.
        """
        unasked, value = self.item_values()
        if len(unasked) == 0:
            return None
        if exposure_rate is not None:
            under = exposure_rate[unasked] < self.settings.exposure_cap
            if not under.any():
                return int(unasked[int(np.argmin(exposure_rate[unasked]))])
            unasked, value = unasked[under], value[under]
        scales = self.bank.item_scale[unasked]
        counts = np.bincount(self.bank.item_scale[self.order], minlength=self.n_scales) if self.order else np.zeros(
            self.n_scales, dtype=int)
        lagging = [d for d in np.unique(scales) if counts[d] < self.settings.min_per_scale]
        if lagging:
            fewest = min(counts[d] for d in lagging)
            keep = np.isin(scales, [d for d in lagging if counts[d] == fewest])
            unasked, value = unasked[keep], value[keep]
        return int(unasked[int(np.argmax(value))])

    def stop_reason(self, decision_stable: bool = True) -> str | None:
        """Why the test stops now, or ``None`` to go on.

        Args:
            decision_stable: The caller's own decision (e.g. the top-5 occupations) is stable.

        Returns:
            ``"stable"``, ``"max_items"``, ``"bank_exhausted"`` or ``None``.
        """
        if len(self.answers) >= self.settings.max_items:
            return "max_items"
        if len(self._candidates()) == 0:
            return "bank_exhausted"
        counts = np.bincount(self.bank.item_scale[self.order], minlength=self.n_scales) if self.order else np.zeros(
            self.n_scales, dtype=int)
        available = np.bincount(self.bank.item_scale[self._candidates()], minlength=self.n_scales)
        if np.any((counts < self.settings.min_per_scale) & (available > 0)):
            return None
        est = self.estimate()
        top = est.ranking[: self.settings.top_set_size]
        if (est.top1_probability >= self.settings.top1_confidence
                and est.top_set_probability >= self.settings.top_set_confidence
                and float(est.theta_se[top].max()) <= self.settings.se_floor
                and decision_stable):
            return "stable"
        return None

    def score_draws(self, count: int = 32) -> np.ndarray:
        """``count`` plausible full-form score profiles (``(count, scales)``, 1..K), drawn from the
        posterior with its weights — for checking whether a decision built on the scores (e.g. a
        top-5 occupation list) would change. Deterministic for the same answers."""
        _, _, weights, _, _ = self._posterior()
        draws = self._draws(self._scores())
        positions = (np.arange(count) + 0.5) / count  # systematic resampling: no extra randomness
        index = np.minimum(np.searchsorted(np.cumsum(weights), positions), len(weights) - 1)
        return np.clip(draws[index], 1.0, float(self.bank.n_categories))

    def stability(self) -> float:
        """How close the result is to stable, 0–1 (for a progress bar): the weaker of the two
        ranking probabilities relative to its target, capped at 1."""
        est = self.estimate()
        s = self.settings
        return float(min(1.0, est.top1_probability / s.top1_confidence, est.top_set_probability / s.top_set_confidence))
