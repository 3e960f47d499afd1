"""Occupation fit (직업 적합도): every KNOW occupation scored for a person's interests and work environment.

Input: the six interests ``R, I, A, S, E, C`` (1–5; KNOW 2018 ``iq1``..``iq6``, how well each Holland
type suits the work) and any of the 49 work-environment items ``cq1``..``cq49`` of the KNOW 2018
incumbent survey (1–5, missing allowed). Output: a probability for each of the 576 KNOW occupations
(knowcode), each with its KECO 2025 소분류 for postings and training.

Training data: KNOW 2018 (한국직업정보 재직자조사) incumbents with an **even** ``idx``; odd rows are
the evaluation hold-out, never fitted. The other KNOW years (2017, 2019, 2020) ask none of these
items (aq/sq/kq/vq), so they cannot train the model; at most their occupation counts could give a
class prior, and they do not: KNOW samples about the same number of incumbents per occupation by
design, so the counts say nothing about how common an occupation is. The prior is flat.

Method, an ensemble of two linear scorers and a nearest-neighbour vote summed in log space (chosen by
repeated 5-fold CV on the even rows, ``bench/occupation_fit.py`` and ``docs/occupation_fit.md``):

1. **Gaussian** (shared-covariance discriminant): occupation means shrunk towards their KNOW code
   hierarchy (``knowcode`` zero-padded: 1-, 2-, 3-, 4-digit prefixes; :data:`MEAN_SHRINKAGE`
   pseudo-incumbents at each level), pooled within-occupation covariance shrunk towards its
   diagonal (:data:`COVARIANCE_SHRINKAGE`). A missing answer is **marginalised out** exactly (the
   sub-covariance of the answered items), so interests alone or a dozen items give the right
   model, not an imputed guess. It needs only the committed aggregates
   (``data/reference/know_occupations.csv``, ``know_covariance.csv``), so a clean clone builds it.
2. **Ordinal one-hot logistic regression** (answers as values and as one indicator per level 1–5,
   standardised; :data:`LINEAR_C`): it sees non-linear answer patterns the Gaussian cannot. Fitted
   only when the KNOW rows are present. A missing answer is set to the training mean of its
   standardised columns (zero), i.e. the expected indicator vector.
3. **Nearest neighbours** (:data:`NEIGHBOURS` training incumbents most similar by cosine on the
   standardised answers; each adds its cosine similarity, clipped at 0, to its occupation's vote):
   incumbents of one occupation often answer almost alike (a nearest neighbour with similarity
   above 0.8 shares the occupation about 70–95% of the time), which no linear scorer sees. A
   missing answer is left out of the similarity (only the answered items are compared). Fitted
   only when the KNOW rows are present (it keeps the standardised even rows, no identifiers, in the
   artifact under ``models/``, which is never committed).

The Gaussian log-probabilities, the regression's logits and the neighbour votes are scaled
(:data:`GAUSS_SCALE`, :data:`LINEAR_SCALE`, :data:`NEIGHBOUR_SCALE`), summed and calibrated by one
softmax temperature. The scales and :data:`NEIGHBOURS` were chosen by hit@5 of repeated 5-fold CV
on the even rows (nested CV of that choice: ``docs/occupation_fit.md``); the temperature by
out-of-fold log loss (the bench refits it and prints it beside the constant).

Reasons (exact for the linear parts only): the log-odds of an occupation against the average
occupation *from the Gaussian and the regression* is linear in the answers (and their indicators),
so its SHAP values are exact (``shap.LinearExplainer``, interventional, with the training mean as
background); a missing answer contributes nothing. The neighbour vote is not attributed: it is not
additive in the answers, so the reasons (per item, and their sums per questionnaire section,
:data:`ATTRIBUTE_GROUPS`) add up exactly to the linear parts' log-odds, not to the whole score.
``group_importance`` is the mean |SHAP| of each section for the incumbent's own occupation over the
training rows (linear parts).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import log_softmax, softmax

from app.config import get_settings
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard

MODEL_NAME = "occupation_fit"
MODEL_FILE = "occupation_fit.pkl"
MODEL_VERSION = "1.1"

INTERESTS: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")
WORK_ITEMS: tuple[str, ...] = tuple(f"cq{i}" for i in range(1, 50))
FEATURES: tuple[str, ...] = (*INTERESTS, *WORK_ITEMS)
ANSWER_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)

ITEM_LABELS: dict[str, str] = {
    "R": "현실형", "I": "탐구형", "A": "예술형", "S": "사회형", "E": "진취형", "C": "관습형",
    "cq1": "사람들과 직접 접촉", "cq2": "연설·발표·회의", "cq3": "전화 대화", "cq4": "이메일 이용",
    "cq5": "공문·문서 주고받기", "cq6": "다른 사람과의 접촉", "cq7": "다른 사람과의 상호작용", "cq8": "외부 고객 대하기",
    "cq9": "다른 사람 조율·이끌기", "cq10": "건강·안전에 대한 책임", "cq11": "결과에 대한 책임", "cq12": "갈등 상황",
    "cq13": "불쾌하거나 무례한 사람 상대", "cq14": "실내 근무", "cq15": "실외 근무", "cq16": "움직이는 기계",
    "cq17": "다른 사람과 신체적 접촉", "cq18": "소음 노출", "cq19": "매우 춥거나 더운 기온", "cq20": "밝거나 부적절한 조명",
    "cq21": "오염물질 노출", "cq22": "비좁은 업무 공간", "cq23": "온몸 진동 노출", "cq24": "질병·감염 위험 노출",
    "cq25": "고지대 작업", "cq26": "위험한 상태 노출", "cq27": "위험한 장비 노출", "cq28": "경미한 화상·자상·찔림 노출",
    "cq29": "앉아서 근무", "cq30": "서서 근무", "cq31": "걷거나 뛰기", "cq32": "균형 유지하기",
    "cq33": "몸을 구부리거나 비틀기", "cq34": "손으로 물건·도구·조종 장치 다루기", "cq35": "보호장비 착용",
    "cq36": "실수의 심각성", "cq37": "의사결정이 이미지·평판·재정에 미치는 강도",
    "cq38": "의사결정이 이미지·평판·재정에 미치는 영향력", "cq39": "의사결정 가능성", "cq40": "자동화 정도",
    "cq41": "정확성·정밀성 유지", "cq42": "반복적인 신체·정신 활동", "cq43": "의사결정 권한", "cq44": "치열한 경쟁",
    "cq45": "장비 속도에 맞추기", "cq46": "마감시간", "cq47": "규칙적인 근무", "cq48": "재택근무",
    "cq49": "주말·공휴일 근무",
}
"""Short Korean label of every feature (KNOW 2018 questionnaire item titles), for the UI."""

ATTRIBUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "흥미": INTERESTS,
    "대인 관계": WORK_ITEMS[0:13],
    "물리적 환경": WORK_ITEMS[13:35],
    "업무 특성": WORK_ITEMS[35:49],
}
"""Attribute groups: the interests and the three sections of the KNOW 2018 work-environment
questionnaire (【대인 관계】 문1–13, 【물리적 환경】 문14–35, 【업무 특성】 문36–49)."""
GROUP_OF_FEATURE: dict[str, str] = {f: g for g, members in ATTRIBUTE_GROUPS.items() for f in members}

MEAN_SHRINKAGE = 4.0
"""Pseudo-incumbents pulling an occupation's mean (and each code prefix's) towards its parent prefix."""
COVARIANCE_SHRINKAGE = 0.2
"""Share of the pooled covariance replaced by its diagonal."""
HIERARCHY_DIGITS: tuple[int, ...] = (1, 2, 3, 4)
"""Prefixes of the zero-padded knowcode the means shrink through (대분류 … KECO 2018 세분류)."""
LINEAR_C = 0.02
"""Inverse L2 strength of the one-hot logistic regression."""
NEIGHBOURS = 2
"""Training incumbents that vote for their occupation (repeated-CV hit@5 on the even rows)."""
GAUSS_SCALE = 0.5
"""Scale of the Gaussian log-likelihoods (repeated-CV hit@5 on the even rows)."""
LINEAR_SCALE = 1.55
"""Scale of the logistic regression's logits (out-of-fold log loss fit on the even rows; kept)."""
NEIGHBOUR_SCALE = 8.0
"""Scale of the neighbour votes (repeated-CV hit@5 on the even rows)."""
NEIGHBOUR_CHUNK = 1_000
"""Query rows per similarity block (a block holds chunk × training rows float32)."""
ENSEMBLE_TEMPERATURE = 0.33
"""Temperature of the summed scores (out-of-fold log loss fit on the even rows)."""
GAUSS_ONLY_TEMPERATURE = 1.0
"""Temperature when only the Gaussian part exists (a clean clone)."""
SEED = 20_18


# --------------------------------------------------------------------------- the fitted model


@dataclass
class LinearPart:
    """The one-hot logistic regression: standardisation and weights over :func:`encode` columns."""

    center: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray


@dataclass
class NeighbourPart:
    """The nearest-neighbour vote: standardisation of the raw answers and the standardised training
    rows with their class positions."""

    center: np.ndarray
    scale: np.ndarray
    rows: np.ndarray
    classes: np.ndarray
    neighbours: int = NEIGHBOURS

    def votes(self, values: np.ndarray, n_classes: int) -> np.ndarray:
        """Similarity-weighted votes (rows × classes) of the :attr:`neighbours` most similar training
        rows, by cosine over each row's answered items only."""
        out = np.zeros((len(values), n_classes))
        query = ((values - self.center) / self.scale).astype(np.float32)
        observed = ~np.isnan(values)
        k = min(self.neighbours, len(self.rows))
        for pattern in np.unique(observed, axis=0):
            columns = np.flatnonzero(pattern)
            if not len(columns) or k == 0:
                continue
            train = self.rows[:, columns]
            train = train / np.maximum(np.linalg.norm(train, axis=1, keepdims=True), 1e-6)
            members = np.flatnonzero((observed == pattern).all(axis=1))
            for start in range(0, len(members), NEIGHBOUR_CHUNK):
                rows = members[start:start + NEIGHBOUR_CHUNK]
                block = query[np.ix_(rows, columns)]
                block = block / np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1e-6)
                similarity = block @ train.T
                nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
                weights = np.take_along_axis(similarity, nearest, axis=1).clip(0, None)
                np.add.at(out, (np.repeat(rows, k), self.classes[nearest].ravel()), weights.ravel())
        return out


@dataclass
class OccupationFit:
    """The fitted occupation-fit model (see the module docstring).

    Attributes:
        occupations: ``occupation_code`` (knowcode), ``occupation_name``, ``keco_code``, ``n_train``,
            one row per class in score order.
        means: Shrunk class means (classes × features).
        covariance: Shrunk pooled within-class covariance (features × features).
        center: Training mean of the features (the SHAP background).
        linear: The logistic regression, or ``None`` (built without the KNOW rows).
        neighbours: The nearest-neighbour vote, or ``None`` (built without the KNOW rows).
        temperature: Softmax temperature of the summed scores.
        group_importance: Mean |SHAP| per attribute group (Korean label → log-odds).
        metrics: Build metrics (also in the manifest).
    """

    occupations: pd.DataFrame
    means: np.ndarray
    covariance: np.ndarray
    center: np.ndarray
    linear: LinearPart | None
    temperature: float
    gauss_scale: float = GAUSS_SCALE
    linear_scale: float = LINEAR_SCALE
    neighbours: NeighbourPart | None = None
    neighbour_scale: float = NEIGHBOUR_SCALE
    group_importance: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float | str] = field(default_factory=dict)
    version: str = MODEL_VERSION

    # ----------------------------------------------------------------- scoring

    def _patterns(self, observed: np.ndarray) -> dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per answer pattern: (observed columns, Gaussian weights, Gaussian bias), cached."""
        cache = self.__dict__.setdefault("_pattern_cache", {})
        out = {}
        for row in np.unique(observed, axis=0):
            key = row.tobytes()
            if key not in cache:
                columns = np.flatnonzero(row)
                if len(columns):
                    mu = self.means[:, columns]
                    weights = np.linalg.solve(self.covariance[np.ix_(columns, columns)], mu.T).T
                    bias = -0.5 * np.einsum("kd,kd->k", weights, mu)
                else:
                    weights, bias = np.zeros((len(self.means), 0)), np.zeros(len(self.means))
                if len(cache) > 4_096:  # bounded: a file may hold many patterns
                    cache.clear()
                cache[key] = (columns, weights, bias)
            out[key] = cache[key]
        return out

    def _logits(self, values: np.ndarray) -> np.ndarray:
        """Calibrated log-scores (rows × classes; softmax gives the probabilities)."""
        observed = ~np.isnan(values)
        gauss = np.zeros((len(values), len(self.means)))
        for key, (columns, weights, bias) in self._patterns(observed).items():
            rows = np.flatnonzero((observed == np.frombuffer(key, dtype=bool)).all(axis=1))
            gauss[rows] = values[np.ix_(rows, columns)] @ weights.T + bias
        total = self.gauss_scale * gauss
        if self.linear is not None:
            total = log_softmax(total, axis=1) + self.linear_scale * self._linear_logits(values)
        if self.neighbours is not None:
            total = total + self.neighbour_scale * self.neighbours.votes(values, len(self.means))
        return self.temperature * total

    def _linear_logits(self, values: np.ndarray) -> np.ndarray:
        part = self.linear
        return standardised(values, part) @ part.coef.T + part.intercept

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities (rows × :attr:`occupations`), each row summing to 1.

        Args:
            frame: ``R..C`` (required) and any of ``cq1..cq49`` (absent or NaN: not answered), 1–5.
        """
        return softmax(self._logits(feature_matrix(frame)), axis=1)

    def top_k(self, frame: pd.DataFrame, k: int = 5) -> pd.DataFrame:
        """The ``k`` best occupations of every row: ``row, rank, occupation_code, occupation_name,
        keco_code, score`` (``row``: position in ``frame``; rank 1 first)."""
        probs = self.score(frame)
        k = min(k, probs.shape[1])
        order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        picked = self.occupations.iloc[order.ravel()]
        return pd.DataFrame({
            "row": np.repeat(np.arange(len(frame)), k), "rank": np.tile(np.arange(1, k + 1), len(frame)),
            "occupation_code": picked["occupation_code"].to_numpy(), "occupation_name": picked["occupation_name"].to_numpy(),
            "keco_code": picked["keco_code"].to_numpy(), "score": np.take_along_axis(probs, order, axis=1).ravel(),
        })

    # ----------------------------------------------------------------- reasons

    def _class_position(self, occupation_code: str) -> int:
        codes = self.occupations["occupation_code"].astype(str).tolist()
        if str(occupation_code) not in codes:
            raise KeyError(f"unknown KNOW occupation code {occupation_code!r}")
        return codes.index(str(occupation_code))

    def _linear_terms(self, values: np.ndarray, position: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The linear parts' log-odds of class ``position`` against the average class as one linear
        model: (coefficients, inputs, background) over [observed answers, one-hot columns]. The
        neighbour vote is not part of it (not additive in the answers)."""
        row = values.reshape(-1)
        observed = ~np.isnan(row)
        columns, weights, _ = next(iter(self._patterns(observed[None, :]).values()))
        scale = self.temperature * self.gauss_scale
        coef = [scale * (weights[position] - weights.mean(axis=0))]
        inputs = [row[columns]]
        background = [self.center[columns]]
        if self.linear is not None:
            part = self.linear
            coef.append(self.temperature * self.linear_scale * (part.coef[position] - part.coef.mean(axis=0)))
            inputs.append(standardised(row[None, :], part)[0])
            background.append(np.zeros(part.coef.shape[1]))
        return np.concatenate(coef), np.concatenate(inputs), np.concatenate(background)

    def _feature_of_input(self, values: np.ndarray) -> np.ndarray:
        """The feature index of every input of :meth:`_linear_terms`."""
        observed = np.flatnonzero(~np.isnan(values.reshape(-1)))
        parts = [observed]
        if self.linear is not None:
            parts.append(np.tile(np.arange(len(FEATURES)), 1 + len(ANSWER_LEVELS)))
        return np.concatenate(parts)

    def explain_features(self, row: pd.Series | dict, occupation_code: str) -> list[tuple[str, str, float]]:
        """SHAP values of one person's answers for one occupation (log-odds against the average
        occupation): ``(feature, Korean label, contribution)``, largest |contribution| first;
        unanswered items are left out.

        ``shap.LinearExplainer`` (interventional, background = the training mean) computes them:
        the Gaussian and regression scores are linear in the answers and their indicators, so the
        values are exact for them and sum to their log-odds; the nearest-neighbour vote is not
        attributed (it is not additive in the answers).
        """
        import shap  # noqa: PLC0415 - heavy import; only explanations need it

        values = feature_matrix(pd.DataFrame([dict(row)]))
        coef, inputs, background = self._linear_terms(values, self._class_position(occupation_code))
        explainer = shap.LinearExplainer((coef, 0.0), shap.maskers.Independent(background[None, :], max_samples=1))
        phi = np.asarray(explainer.shap_values(inputs[None, :])).reshape(-1)
        per_feature = np.bincount(self._feature_of_input(values), weights=phi, minlength=len(FEATURES))
        answered = ~np.isnan(values[0])
        rows = [(f, ITEM_LABELS[f], float(per_feature[i])) for i, f in enumerate(FEATURES) if answered[i]]
        return sorted(rows, key=lambda r: -abs(r[2]))

    def explain(self, row: pd.Series | dict, occupation_code: str) -> list[tuple[str, float]]:
        """SHAP values summed per attribute group: ``(Korean group label, contribution)``, largest
        |contribution| first (groups with no answered item are left out)."""
        totals: dict[str, float] = {}
        for feature, _, value in self.explain_features(row, occupation_code):
            group = GROUP_OF_FEATURE[feature]
            totals[group] = totals.get(group, 0.0) + value
        return sorted(totals.items(), key=lambda kv: -abs(kv[1]))


def feature_matrix(frame: pd.DataFrame) -> np.ndarray:
    """The features of ``frame`` as floats (absent columns and blanks: NaN)."""
    out = np.full((len(frame), len(FEATURES)), np.nan)
    for i, name in enumerate(FEATURES):
        if name in frame.columns:
            out[:, i] = pd.to_numeric(frame[name], errors="coerce").to_numpy(float)
    return out


def encode(values: np.ndarray) -> np.ndarray:
    """Answers and their one-hot levels: ``[values, values == 1, …, values == 5]`` (NaN stays NaN)."""
    blocks = [values] + [np.where(np.isnan(values), np.nan, (values == level).astype(float)) for level in ANSWER_LEVELS]
    return np.concatenate(blocks, axis=1)


def standardised(values: np.ndarray, part: LinearPart) -> np.ndarray:
    """:func:`encode`, standardised; an unanswered item's columns are 0 (their training mean)."""
    return np.nan_to_num((encode(values) - part.center) / part.scale, nan=0.0)


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Aggregates:
    """What the Gaussian part is fitted from (rows or the committed tables).

    Attributes:
        codes: Class codes (knowcode text), in class order.
        counts: Training rows per class.
        means: Raw class means (classes × features).
        within: Pooled within-class covariance (divided by the number of rows).
    """

    codes: np.ndarray
    counts: np.ndarray
    means: np.ndarray
    within: np.ndarray


def aggregate(values: np.ndarray, codes: np.ndarray) -> Aggregates:
    """Class counts, means and pooled within-class covariance of complete rows (classes in code
    order, zero-padded as the committed table is)."""
    text = codes.astype(str)
    classes = np.array(sorted(set(text), key=lambda c: (c.zfill(6), c)))
    inverse = pd.Index(classes).get_indexer(text)
    counts = np.bincount(inverse).astype(float)
    means = np.zeros((len(classes), values.shape[1]))
    np.add.at(means, inverse, values)
    means /= counts[:, None]
    residual = values - means[inverse]
    return Aggregates(classes, counts, means, residual.T @ residual / len(values))


def shrunk_means(agg: Aggregates, strength: float = MEAN_SHRINKAGE) -> np.ndarray:
    """Class means shrunk through the code hierarchy: each prefix level's mean is shrunk towards the
    level above (the grand mean at the top), then each class towards its longest prefix."""
    padded = np.array([c.zfill(6) for c in agg.codes])
    total = agg.counts.sum()
    prior = np.tile((agg.counts @ agg.means) / total, (len(agg.codes), 1))
    if strength <= 0:
        return agg.means.copy()
    for digits in HIERARCHY_DIGITS:
        keys = np.array([c[:digits] for c in padded])
        updated = prior.copy()
        for key in np.unique(keys):
            members = keys == key
            n = agg.counts[members].sum()
            pooled = agg.counts[members] @ agg.means[members] / n
            updated[members] = (n * pooled + strength * prior[members][0]) / (n + strength)
        prior = updated
    n = agg.counts[:, None]
    return (n * agg.means + strength * prior) / (n + strength)


def shrunk_covariance(within: np.ndarray, shrink: float = COVARIANCE_SHRINKAGE) -> np.ndarray:
    """Pooled covariance with ``shrink`` of it replaced by its diagonal."""
    return (1 - shrink) * within + shrink * np.diag(np.diag(within))


def fit_linear(values: np.ndarray, codes: np.ndarray, classes: np.ndarray, *, c: float = LINEAR_C,
               seed: int = SEED) -> LinearPart:
    """The one-hot logistic regression on complete rows (columns of ``classes`` order)."""
    from sklearn.linear_model import LogisticRegression

    encoded = encode(values)
    center = encoded.mean(axis=0)
    scale = encoded.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=300, random_state=seed)
    model.fit((encoded - center) / scale, codes.astype(str))  # BLAS threads: capped by app.threads at start
    position = {code: i for i, code in enumerate(model.classes_)}
    coef = np.zeros((len(classes), encoded.shape[1]))
    intercept = np.full(len(classes), -30.0)  # a class without rows is never proposed
    for i, code in enumerate(classes):
        if code in position:
            coef[i] = model.coef_[position[code]]
            intercept[i] = model.intercept_[position[code]]
    return LinearPart(center, scale, coef, intercept)


def fit_neighbours(values: np.ndarray, codes: np.ndarray, classes: np.ndarray, *,
                   neighbours: int = NEIGHBOURS) -> NeighbourPart:
    """The nearest-neighbour vote over complete training rows (class positions in ``classes`` order)."""
    center = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale == 0] = 1.0
    position = {str(code): i for i, code in enumerate(classes)}
    return NeighbourPart(center, scale, ((values - center) / scale).astype(np.float32),
                         np.array([position[str(c)] for c in codes]), neighbours)


def fit_occupation_fit(agg: Aggregates, occupations: pd.DataFrame, *, values: np.ndarray | None = None,
                       codes: np.ndarray | None = None, temperature: float | None = None,
                       gauss_scale: float = GAUSS_SCALE, linear_scale: float = LINEAR_SCALE,
                       neighbour_scale: float = NEIGHBOUR_SCALE, neighbours: int = NEIGHBOURS) -> OccupationFit:
    """Fit the model from aggregates (Gaussian) and, when the rows are given, the regression and the
    nearest-neighbour vote too.

    Args:
        agg: Class aggregates (:func:`aggregate` or the committed tables).
        occupations: ``occupation_code, occupation_name, keco_code`` of ``agg.codes`` (same order).
        values: Training rows (complete), for the logistic regression; ``None``: Gaussian only.
        codes: Their class codes.
        temperature: Softmax temperature (default: :data:`ENSEMBLE_TEMPERATURE` or
            :data:`GAUSS_ONLY_TEMPERATURE`).
        gauss_scale: Scale of the Gaussian scores.
        linear_scale: Scale of the regression's scores.
        neighbour_scale: Scale of the neighbour votes (0: no neighbour part).
        neighbours: Training rows that vote.
    """
    has_rows = values is not None and codes is not None
    linear = fit_linear(values, codes, agg.codes) if has_rows else None
    vote = (fit_neighbours(values, codes, agg.codes, neighbours=neighbours)
            if has_rows and neighbour_scale > 0 and neighbours > 0 else None)
    if temperature is None:
        temperature = ENSEMBLE_TEMPERATURE if linear is not None else GAUSS_ONLY_TEMPERATURE
    table = occupations.reset_index(drop=True).copy()
    table["n_train"] = agg.counts.astype(int)
    center = agg.counts @ agg.means / agg.counts.sum()
    return OccupationFit(occupations=table, means=shrunk_means(agg), covariance=shrunk_covariance(agg.within),
                         center=center, linear=linear, temperature=float(temperature), gauss_scale=gauss_scale,
                         linear_scale=linear_scale, neighbours=vote, neighbour_scale=neighbour_scale)


def group_contributions(model: OccupationFit, values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """SHAP values summed per attribute group (rows × groups, :data:`ATTRIBUTE_GROUPS` order) of
    complete rows for the given classes: the same exact linear SHAP :meth:`OccupationFit.explain`
    gets from ``shap.LinearExplainer`` (linear parts only), vectorised for many rows."""
    full = next(iter(model._patterns(np.ones((1, len(FEATURES)), dtype=bool)).values()))[1]
    scale = model.temperature * model.gauss_scale
    per_feature = scale * (full[positions] - full.mean(axis=0)) * (values - model.center)
    if model.linear is not None:
        part = model.linear
        coef = model.temperature * model.linear_scale * (part.coef[positions] - part.coef.mean(axis=0))
        terms = coef * standardised(values, part)
        per_feature = per_feature + terms.reshape(len(values), 1 + len(ANSWER_LEVELS), len(FEATURES)).sum(axis=1)
    group_index = np.array([list(ATTRIBUTE_GROUPS).index(GROUP_OF_FEATURE[f]) for f in FEATURES])
    out = np.zeros((len(values), len(ATTRIBUTE_GROUPS)))
    for g in range(len(ATTRIBUTE_GROUPS)):
        out[:, g] = per_feature[:, group_index == g].sum(axis=1)
    return out


def compute_group_importance(model: OccupationFit, values: np.ndarray, codes: np.ndarray) -> dict[str, float]:
    """Mean |SHAP| of each attribute group for each row's own occupation."""
    position = {c: i for i, c in enumerate(model.occupations["occupation_code"].astype(str))}
    positions = np.array([position[str(c)] for c in codes])
    grouped = np.abs(group_contributions(model, values, positions)).mean(axis=0)
    return {group: round(float(v), 4) for group, v in zip(ATTRIBUTE_GROUPS, grouped, strict=True)}


def simulated_rows(model: OccupationFit, agg: Aggregates, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Rows drawn from the fitted Gaussian (each class's raw mean, pooled covariance), as many per
    class as it had incumbents: the stand-in for the training rows on a clean clone."""
    rng = np.random.default_rng(seed)
    counts = agg.counts.astype(int)
    codes = np.repeat(agg.codes, counts)
    noise = rng.multivariate_normal(np.zeros(len(FEATURES)), agg.within, size=len(codes))
    return np.repeat(agg.means, counts, axis=0) + noise, codes


# --------------------------------------------------------------------------- evaluation


def hit_rate(probs: np.ndarray, truth: np.ndarray, k: int = 5) -> float:
    """Share of rows whose true class (position; -1: unknown) is among the ``k`` best."""
    top = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    return float((top == truth[:, None]).any(axis=1).mean()) if len(truth) else float("nan")


def expected_calibration_error(probs: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """ECE of the top-1 probability (equal-width bins, weighted by rows)."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == truth
    edges = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        members = edges == b
        if members.any():
            total += members.sum() * abs(confidence[members].mean() - correct[members].mean())
    return float(total / len(truth)) if len(truth) else float("nan")


def half_mask(seed: int = SEED) -> np.ndarray:
    """A fixed random half of the work-environment items (interests always kept)."""
    rng = np.random.default_rng(seed)
    keep = np.zeros(len(FEATURES), dtype=bool)
    keep[: len(INTERESTS)] = True
    keep[len(INTERESTS) + rng.choice(len(WORK_ITEMS), len(WORK_ITEMS) // 2, replace=False)] = True
    return keep


def masked_frame(values: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
    """A feature frame with the columns not in ``keep`` left out."""
    return pd.DataFrame(values[:, keep], columns=[f for f, k in zip(FEATURES, keep, strict=True) if k])


def evaluate(model: OccupationFit, values: np.ndarray, codes: np.ndarray, prefix: str) -> dict[str, float]:
    """Hit@5 with all answers, with a random half of the items, with interests only; ECE and log
    loss with all answers (``prefix`` starts every key)."""
    position = {c: i for i, c in enumerate(model.occupations["occupation_code"].astype(str))}
    truth = np.array([position.get(str(c), -1) for c in codes])
    full = model.score(pd.DataFrame(values, columns=list(FEATURES)))
    interests = np.zeros(len(FEATURES), dtype=bool)
    interests[: len(INTERESTS)] = True
    known = truth >= 0
    return {
        f"{prefix}hit_at_5": round(hit_rate(full, truth), 4),
        f"{prefix}hit_at_1": round(hit_rate(full, truth, 1), 4),
        f"{prefix}hit_at_5_half_items": round(hit_rate(model.score(masked_frame(values, half_mask())), truth), 4),
        f"{prefix}hit_at_5_interests_only": round(hit_rate(model.score(masked_frame(values, interests)), truth), 4),
        f"{prefix}ece": round(expected_calibration_error(full, truth), 4),
        f"{prefix}log_loss": round(float(-np.log(np.clip(full[known, truth[known]], 1e-12, 1)).mean()), 4),
    }


# --------------------------------------------------------------------------- build and load


def load_committed_aggregates(reference_dir: Path | None = None) -> tuple[Aggregates, pd.DataFrame]:
    """The committed KNOW aggregates (``know_occupations.csv``, ``know_covariance.csv``) and the
    occupation table (``occupation_code, occupation_name, keco_code``)."""
    base = Path(reference_dir) if reference_dir is not None else get_settings().reference_dir
    table = pd.read_csv(base / "know_occupations.csv", dtype={"knowcode": str, "keco_code": str}, keep_default_na=False)
    cov = pd.read_csv(base / "know_covariance.csv").set_index("feature").loc[list(FEATURES), list(FEATURES)]
    agg = Aggregates(codes=table["knowcode"].to_numpy(str), counts=table["n_even"].to_numpy(float),
                     means=table[list(FEATURES)].to_numpy(float), within=cov.to_numpy(float))
    occupations = pd.DataFrame({"occupation_code": table["knowcode"], "occupation_name": table["occupation_name"],
                                "keco_code": table["keco_code"]})
    return agg, occupations


def load_know_rows(shared_dir: Path | None = None) -> pd.DataFrame | None:
    """KNOW 2018 rows (``idx, knowcode`` and :data:`FEATURES`), or ``None`` without the shared data."""
    # the offline reader of the shared data, imported here: app.reference.build is not part of the running app
    from app.reference.build.know_fit import load_know_fit_rows

    return load_know_fit_rows(Path(shared_dir) if shared_dir is not None else get_settings().shared_data_dir)


def build_occupation_fit(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: the Gaussian from the even rows (or the committed aggregates), the
    regression when the rows are present, group importance, and hit@5 on the odd hold-out rows
    (evaluation only)."""
    started = time.perf_counter()
    committed, occupations = load_committed_aggregates()
    rows = load_know_rows()
    metrics: dict[str, float | str] = {}
    if rows is None:
        model = fit_occupation_fit(committed, occupations)
        values, codes = simulated_rows(model, committed)
        metrics["data_source"] = "KNOW 2018 짝수 행 집계(커밋된 표)"
    else:
        even = rows[rows["idx"] % 2 == 0]
        values, codes = even[list(FEATURES)].to_numpy(float), even["knowcode"].to_numpy(str)
        agg = aggregate(values, codes)
        table = occupations.set_index("occupation_code").reindex(agg.codes).reset_index()
        model = fit_occupation_fit(agg, table, values=values, codes=codes)
        odd = rows[rows["idx"] % 2 == 1]
        metrics.update(evaluate(model, odd[list(FEATURES)].to_numpy(float), odd["knowcode"].to_numpy(str), "holdout_"))
        metrics["n_holdout"] = float(len(odd))
        metrics["data_source"] = "KNOW 2018 짝수 행(원자료)"
    model.group_importance = compute_group_importance(model, values, codes)
    model.metrics = {
        **metrics, "n_train": float(model.occupations["n_train"].sum()), "n_classes": float(len(model.occupations)),
        "ensemble": float(model.linear is not None), "neighbours": float(model.neighbours is not None),
        "temperature": model.temperature,
        **{f"importance_{i + 1}": value for i, value in enumerate(model.group_importance.values())},
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    return save_fitted(ctx, model, MODEL_FILE, model.metrics)


def load_occupation_fit(models_dir: Path) -> OccupationFit:
    """The built model (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="직업 적합도 모델", build=build_occupation_fit)
"""The KNOW occupation-fit model."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="직업 적합도 모델",
    purpose="구직자의 흥미(현실형·탐구형·예술형·사회형·진취형·관습형)와 선호하는 업무 환경으로 576개 KNOW 직업 각각이 "
            "얼마나 맞을지 추정해, 상담과 직업 탐색을 돕습니다.",
    output="잘 맞을 가능성이 높은 직업 목록과 각 직업의 적합도(확률), 그 판단에 크게 작용한 항목 묶음(흥미, 대인 관계, "
           "물리적 환경, 업무 특성)과 문항. 직업마다 한국고용직업분류(KECO) 직종이 붙어 구인공고와 훈련으로 이어집니다.",
    shown_on=("interest_test", "interest_policy", "employment_profile"),
    criteria=tuple(ATTRIBUTE_GROUPS),
    not_used="성별, 나이, 학력, 소득, 지역 같은 개인 특성은 쓰지 않습니다. 흥미와 업무 환경 응답만 봅니다.",
    training_data="한국직업정보 재직자조사(KNOW) 2018년 응답 중 idx가 짝수인 재직자(직업마다 평균 약 8명)의 흥미·업무환경 "
                  "응답과 그들의 직업. idx가 홀수인 재직자는 학습에 쓰지 않고 정확도 측정에만 씁니다.",
    human_oversight="추천이 아니라 탐색의 출발점입니다. 상담사가 구직자와 함께 목록을 보고, 직업 정보와 구인 상황을 더해 "
                    "판단합니다. 답하지 않은 문항은 판단에 쓰지 않습니다.",
    contest="목록이 맞지 않는다고 느끼면 응답을 고치거나 문항을 더 답해 다시 볼 수 있고, 상담사에게 다른 직업을 "
            "함께 찾아 달라고 요청할 수 있습니다.",
    limits="같은 직업 재직자의 응답도 서로 많이 달라, 학습에 쓰지 않은 재직자 중 자기 직업이 5순위 안에 드는 비율은 약 절반입니다. "
           "흥미만 답하면 이 비율은 크게 낮아집니다. 재직자가 자기 일을 평가한 응답으로 배웠으므로, 구직자의 선호와는 차이가 "
           "있을 수 있습니다.",
    quality_metrics=("holdout_hit_at_5", "holdout_hit_at_5_half_items", "holdout_hit_at_5_interests_only", "holdout_ece",
                     "n_classes", "n_train"),
    fairness_note="개인 특성을 입력으로 쓰지 않아 집단별 공정성 지표는 계산하지 않습니다. 학습 자료의 재직자 구성(예: 성별 "
                  "편중)은 직업별 응답에 반영되어 있을 수 있습니다.",
)
"""Transparency notice of the occupation-fit model (:mod:`app.ml.model_card`)."""
