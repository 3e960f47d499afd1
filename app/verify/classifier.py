"""Machine-learned ad risk for what the rules miss: text n-grams, Kiwi morphemes and meta features
into a calibrated linear model.

* **Character n-grams** (2–4, within word boundaries) of title + body: robust to spacing, typos
  and new wordings of the same idea, and language-independent.
* **Morphemes** (Korean): Kiwi lemmas of the title and of the lines that state conditions
  (who may apply, pay, documents, contact) — analysing every line would cost ~8 ms a posting, the
  condition lines carry the signal. For other languages, word uni- and bigrams instead.
* **Meta features**: pay against the minimum wage, weekly hours, whether a messenger ID appears,
  exclamation marks.
* **Model**: logistic regression (balanced classes) calibrated with Platt scaling by 3-fold
  cross-validation (``CalibratedClassifierCV``), so the score is a probability and its top
  terms are readable (coefficient × feature value).

:func:`train_classifier` is the generic entry point: any list of texts with 0/1 labels (the
world's labelled postings, EMSCAD's English ads, or an agency's own labelled CSV).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split

from app.verify.char_tfidf import fit_char_tfidf

Language = Literal["ko", "en"]
CONDITION_LINE = re.compile(
    r"우대|모집|구함|구합|한함|불가|이하|미만|선납|입금|부담|보장|카톡|텔레그램|기재|제출|분만|전용|수익|사이즈|외모|"
    r"용모|출신|혼|임신|출산|장애|젊|\d+\s*(세|대|cm|kg)"
)
"""Lines whose morphemes the model reads besides the title: who may apply, what they must pay
or submit, what is promised, how to get in touch (~110 characters a posting, not ~630)."""
MESSENGER_RE = re.compile(r"카톡|카카오톡|텔레그램|telegram|오픈채팅|whatsapp|wechat|skype", re.IGNORECASE)
META_COLUMNS: tuple[str, ...] = ("log_pay_ratio", "weekly_hours", "has_messenger", "n_exclaim")
"""Left out on purpose: length and line counts describe how a text was written (in the synthetic
world, how a violation was inserted), not whether it is lawful; whether a phone number appears
is the identity check's business (:mod:`app.verify.conditions`) — as a learned feature it made
the model flag 94 % of real published ads, which carry no phone number in their text."""
_TAGS_KEPT = ("NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "SL", "SN", "MAG", "JX", "XSN")


def _batch_kiwi() -> object:
    """The shared Kiwi analyser (:func:`app.verify.kiwi.kiwi_analyser`), for batches of texts."""
    from app.verify.kiwi import kiwi_analyser

    return kiwi_analyser()


def _kiwi_morphemes(texts: Sequence[str]) -> list[str]:
    kiwi = _batch_kiwi()
    out = []
    for tokens in kiwi.tokenize(list(texts)):  # type: ignore[attr-defined]
        out.append(" ".join(f"{t.form}/{t.tag}" for t in tokens if t.tag.startswith(_TAGS_KEPT)))
    return out


def condition_text(title: str, body: str) -> str:
    """The title and the condition lines of the body (what the morpheme features read)."""
    lines = [line for line in str(body).split("\n") if CONDITION_LINE.search(line)]
    return "\n".join([str(title), *lines])


def meta_features(frame: pd.DataFrame) -> np.ndarray:
    """:data:`META_COLUMNS` of ads with ``title``, ``body`` and optionally ``pay_ratio`` (hourly
    equivalent ÷ minimum wage) and ``hours_per_week``."""
    text = (frame["title"].fillna("").astype(str) + "\n" + frame["body"].fillna("").astype(str))
    ratio = frame["pay_ratio"].astype(float) if "pay_ratio" in frame else pd.Series(1.0, index=frame.index)
    hours = frame["hours_per_week"].astype(float) if "hours_per_week" in frame else pd.Series(40.0, index=frame.index)
    return np.column_stack([
        np.log(np.clip(ratio.fillna(1.0).to_numpy(float), 0.05, 20.0)),
        np.clip(hours.fillna(40.0).to_numpy(float), 0, 100) / 40.0,
        text.map(lambda t: float(bool(MESSENGER_RE.search(t)))).to_numpy(float),
        text.str.count("!").to_numpy(float) / 5.0,
    ])


@dataclass
class AdClassifier:
    """A trained ad-risk classifier.

    Attributes:
        language: ``ko`` (Kiwi morphemes) or ``en`` (word n-grams).
        char_vectorizer: Character n-gram TF-IDF of title + body.
        word_vectorizer: Morpheme (ko) or word (en) TF-IDF.
        model: Calibrated logistic regression.
        feature_names: Names of every column of the feature matrix (for top terms).
        coefficients: Averaged coefficients of the calibrated folds' base models.
        metrics: Held-out metrics recorded at training.
    """

    language: Language
    char_vectorizer: TfidfVectorizer
    word_vectorizer: TfidfVectorizer
    model: CalibratedClassifierCV
    feature_names: np.ndarray
    coefficients: np.ndarray
    metrics: dict[str, float] = field(default_factory=dict)
    min_coverage: float = 0.0

    def char_features(self, frame: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray]:
        """(character n-gram TF-IDF, coverage) of ads from one analysis of each text.

        The TF-IDF is the fitted vectoriser's own (sublinear tf × idf, L2-normalised rows — a
        unit test checks equality with ``char_vectorizer.transform``); analysing once serves the
        coverage too, which would otherwise double the cost of the char features.

        Coverage is the share of an ad's n-grams seen in training — the applicability check: ads
        written unlike the training ads (another platform, another style) share few n-grams with
        them, and a linear model then scores them from a handful of features. On real published
        ads the synthetic-world model flagged six in ten until it learned to abstain (training ads
        ≥ 0.975, real ads 0.39–0.64).
        """
        analyzer = self.char_vectorizer.build_analyzer()
        vocabulary = self.char_vectorizer.vocabulary_
        idf = self.char_vectorizer.idf_
        cols: list[int] = []
        indptr = [0]
        coverage = np.zeros(len(frame))
        lookup = vocabulary.get
        for i, (title, body) in enumerate(zip(frame["title"].fillna(""), frame["body"].fillna(""), strict=True)):
            grams = analyzer(f"{title}\n{body}")
            known = [j for j in map(lookup, grams) if j is not None]
            coverage[i] = len(known) / len(grams) if grams else 0.0
            cols.extend(known)
            indptr.append(len(cols))
        shape = (len(frame), len(vocabulary))
        # duplicate (row, column) entries are summed into counts by the CSR constructor
        counts = sparse.csr_matrix((np.ones(len(cols)), np.asarray(cols, dtype=np.int64), np.asarray(indptr)), shape=shape)
        counts.sum_duplicates()
        if counts.nnz == 0:
            return sparse.csr_matrix(shape, dtype=np.float32), coverage
        counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
        matrix = counts
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        matrix = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix
        return matrix.astype(np.float32).tocsr(), coverage

    def coverage(self, frame: pd.DataFrame) -> np.ndarray:
        """Share of each ad's character n-grams that the model has seen in training."""
        return self.char_features(frame)[1]

    def applicable(self, frame: pd.DataFrame) -> np.ndarray:
        """Whether the model may judge each ad (its coverage reaches :attr:`min_coverage`)."""
        return self.coverage(frame) >= self.min_coverage

    def words(self, frame: pd.DataFrame) -> list[str]:
        """What the word vectoriser reads: Kiwi morphemes of the condition lines (ko) or the text (en)."""
        return word_documents(frame, self.language)

    def features(self, frame: pd.DataFrame, words: Sequence[str] | None = None,
                 chars: sparse.csr_matrix | None = None) -> sparse.csr_matrix:
        """Feature matrix of ads (``title``, ``body`` and optional meta columns); ``words`` and
        ``chars`` may pass :meth:`words` / :meth:`char_features` computed beforehand."""
        char_x = chars if chars is not None else self.char_features(frame)[0]
        return sparse.hstack([
            char_x,
            self.word_vectorizer.transform(list(words) if words is not None else self.words(frame)),
            sparse.csr_matrix(meta_features(frame)),
        ]).tocsr()

    def predict_proba(self, frame: pd.DataFrame, words: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probability that each ad has a problem."""
        return self.score(frame, words)[0]

    def score(self, frame: pd.DataFrame, words: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated probability, applicability) of each ad from one pass over the text."""
        if frame.empty:
            return np.zeros(0), np.zeros(0, dtype=bool)
        chars, coverage = self.char_features(frame)
        return self.model.predict_proba(self.features(frame, words, chars))[:, 1], coverage >= self.min_coverage

    def top_terms(self, frame: pd.DataFrame, k: int = 5) -> list[list[tuple[str, float]]]:
        """Per ad, the ``k`` features that raise its score most (coefficient × value > 0)."""
        x = self.features(frame)
        out = []
        for i in range(x.shape[0]):
            row = x.getrow(i)
            contributions = row.data * self.coefficients[row.indices]
            order = np.argsort(-contributions)[:k]
            out.append([(str(self.feature_names[row.indices[j]]), float(contributions[j]))
                        for j in order if contributions[j] > 0])
        return out


def word_documents(frame: pd.DataFrame, language: Language) -> list[str]:
    """Kiwi morphemes of each ad's condition lines (``ko``) or its plain text (``en``)."""
    if language == "ko":
        return _kiwi_morphemes([condition_text(t, b) for t, b in zip(frame["title"], frame["body"], strict=True)])
    return (frame["title"].fillna("").astype(str) + " " + frame["body"].fillna("").astype(str)).tolist()


def _vectorizers(language: Language) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, max_features=60_000, sublinear_tf=True,
                            dtype=np.float32)
    if language == "ko":
        words = TfidfVectorizer(analyzer=str.split, min_df=2, max_features=30_000, sublinear_tf=True, dtype=np.float32)
    else:
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=50_000, sublinear_tf=True, dtype=np.float32,
                                strip_accents="unicode")
    return chars, words


def fit_classifier(frame: pd.DataFrame, labels: np.ndarray, *, language: Language = "ko", seed: int = 0,
                   c: float = 4.0, words: Sequence[str] | None = None, set_min_coverage: bool = True) -> AdClassifier:
    """Fit the vectorisers and the calibrated model on every row of ``frame``.

    Args:
        frame: Ads with ``title`` and ``body`` (optionally ``pay_ratio``, ``hours_per_week``).
        labels: 0/1 per ad (1 = problem).
        language: ``ko`` or ``en``.
        seed: Random seed.
        c: Inverse regularisation strength of the logistic regression.
        words: :func:`word_documents` of ``frame`` computed beforehand.
        set_min_coverage: Set :attr:`AdClassifier.min_coverage` from ``frame``'s coverage
            (:func:`min_coverage_of`). ``False`` leaves it 0 for a caller that computes the char
            features of more ads anyway (the build: one analysis of every posting instead of two).

    Raises:
        ValueError: Fewer than 10 ads of either class (Korean message).
    """
    y = np.asarray(labels, dtype=int)
    if min(int(y.sum()), int(len(y) - y.sum())) < 10:
        raise ValueError("문제 광고와 정상 광고가 각각 10건 이상 있어야 학습할 수 있습니다.")
    chars, words_vectorizer = _vectorizers(language)
    text = (frame["title"].fillna("").astype(str) + "\n" + frame["body"].fillna("").astype(str)).tolist()
    chars, char_x = fit_char_tfidf(text, **chars.get_params())  # scikit-learn's fit, counted by numpy
    word_vectorizer = words_vectorizer
    word_x = word_vectorizer.fit_transform(list(words) if words is not None else word_documents(frame, language))
    x = sparse.hstack([char_x, word_x, sparse.csr_matrix(meta_features(frame))]).tocsr()
    base = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=seed)
    model = CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(x, y)
    coefficients = np.mean([cc.estimator.coef_[0] for cc in model.calibrated_classifiers_], axis=0)
    names = np.concatenate([
        np.array([f"문자:{t}" for t in chars.get_feature_names_out()]),
        np.array([f"형태소:{t}" if language == "ko" else f"단어:{t}" for t in word_vectorizer.get_feature_names_out()]),
        np.array([f"메타:{m}" for m in META_COLUMNS]),
    ])
    fitted = AdClassifier(language=language, char_vectorizer=chars, word_vectorizer=word_vectorizer, model=model,
                          feature_names=names, coefficients=coefficients)
    if set_min_coverage:
        fitted.min_coverage = min_coverage_of(fitted.coverage(frame))
    return fitted


def min_coverage_of(training_coverage: np.ndarray) -> float:
    """The applicability threshold from the coverage of the training ads: 95 % of the coverage that
    all but the 0.5 % least typical of them reach."""
    return float(np.quantile(training_coverage, 0.005) * 0.95)


def classification_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Recall, precision, PR-AUC (average precision) and ROC-AUC of the positive class."""
    y = np.asarray(y, dtype=int)
    predicted = (np.asarray(p) >= threshold).astype(int)
    return {
        "recall": round(float(recall_score(y, predicted, zero_division=0)), 4),
        "precision": round(float(precision_score(y, predicted, zero_division=0)), 4),
        "pr_auc": round(float(average_precision_score(y, p)), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
        "positive_rate": round(float(y.mean()), 4),
        "n": float(len(y)),
    }


def train_classifier(frame: pd.DataFrame, labels: np.ndarray, *, language: Language = "ko", seed: int = 0,
                     test_size: float = 0.25) -> tuple[AdClassifier, dict[str, float]]:
    """Train on a stratified split and measure on the held-out part.

    The model is the one fitted on the training part (not refitted on everything), so the
    recorded metrics describe exactly the model that is used.

    Returns:
        (the classifier, its held-out metrics at the 0.5 threshold). The held-out rows are
        ``split_for_training(labels, seed=seed, test_size=test_size)[1]``.
    """
    y = np.asarray(labels, dtype=int)
    train, test = split_for_training(y, seed=seed, test_size=test_size)
    model = fit_classifier(frame.iloc[train], y[train], language=language, seed=seed)
    metrics = classification_metrics(y[test], model.predict_proba(frame.iloc[test]))
    model.metrics = metrics
    return model, metrics


def split_for_training(labels: np.ndarray, *, seed: int, test_size: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) positions of a stratified split (the one :func:`train_classifier` uses)."""
    y = np.asarray(labels, dtype=int)
    return train_test_split(np.arange(len(y)), test_size=test_size, random_state=seed, stratify=y)
