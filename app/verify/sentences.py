"""Sentence-level meaning: a classifier that reads each sentence of an ad and says whether it states
an unlawful condition of one of the rule set's categories.

The rules (:mod:`app.verify.rules`) catch the wordings someone wrote a pattern for; on text
nobody here generated they missed most unlawful phrasings (a quarter of 1,842 hand-written
unlawful sentences in ``data/ad_training/``). This model learns the categories from many phrasings
per category *and their lawful look-alikes* — sentences that use the same words about customers,
readers, the current staff, benefits or lawful exceptions — written independently of the
synthetic world's generator:

* **Training text.** ``data/ad_training/*.jsonl`` (hand-written, one sentence per line with its
  category and whether it is unlawful), the sentences of the world's clean postings, and — when
  ``../shared/data`` is present — sentences of real published ads whose Wanted id is even and
  ``≡ 0 (mod 4)`` as further lawful text (published ads are overwhelmingly lawful; the ids
  ``≡ 2 (mod 4)`` choose the threshold and odd ids are never read here: they are the real-ad
  evaluation of ``bench/ad_quality.py``).
* **Model.** Character 2–5-grams across word boundaries (so "여성 고객" and "여성만" differ;
  spacing- and typo-tolerant; no morphological analysis to pay for) into two logistic
  models: a logistic regression for *unlawful or not* (the hand-written look-alikes weigh five
  times an ordinary sentence) and, for the unlawful, a linear SVM for *which category* — so the category's law, article and fix come
  from the rule set, exactly as for a rule hit. On sentences of a fifth writer held out from
  training, this representation reached ROC-AUC 0.91 against 0.89 for 1–4-grams within words.
* **Cues.** A sentence is flagged only when it contains one of its category's ``cues`` (rule-set
  data: words without which a sentence cannot state the category — an age, a group of people, a
  fee). A company introduction that merely *sounds* like an ad for a scam cannot be flagged as
  account lending without a word about accounts, cards or phones.
* **Threshold.** The probability from which a sentence is flagged is chosen so that at most
  :data:`TARGET_AD_FPR` of held-out lawful ads get any flagged sentence (an ad has ~30 sentences:
  a per-sentence threshold would let a long ad collect false alarms).

Why not a sentence-transformer: the packaged MiniLM is weak on Korean (``stack-notes.md``) and a
Korean encoder would have to be downloaded; character n-grams need nothing and explain
themselves (the sentence is the evidence).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from app.verify.char_tfidf import fit_char_tfidf
from app.verify.duplicates import packed_text
from app.verify.evaluation import jsonl_rows
from app.verify.normalize import compact, content_length, without_quoted_mentions

TRAINING_DIR_NAME = "ad_training"
TARGET_AD_FPR = 0.005
"""Share of held-out lawful ads the sentence model alone may flag (on real published ads 0.5 %
kept the precision of all flags above 0.8; 1 % doubled the model's false alarms there)."""
CUED_LAWFUL_WEIGHT = 3.0
"""Weight of a lawful sentence of a clean posting or a published ad that carries a category's cue
(the hand-written look-alikes weigh 5, other sentences 1)."""
MIN_SENTENCE_CHARS = 4
MIN_FLAG_CHARS = 8
"""Letters and digits a sentence needs before the model may flag it: a two-word bullet ("수입 구매")
carries too little to judge (the rules still read every fragment)."""
MAX_SENTENCE_CHARS = 300
"""Longer stretches without a sentence end are cut into pieces of this length."""
_SPLIT = re.compile(r"\n+(?:\s*[-*]\s+|\s*·\s*)?|(?:^|(?<=\s))·\s*|(?<=[.!?。])(?<!\b\d\.)(?<!\b\d\d\.)\s+|(?<=[다요죠])\.(?=\S)|\s*[•▶■◆●○□※▷►]\s*|(?:^|\s)[-*]\s+|\s{2,}|\t")


Veto = Callable[[str, str, float], bool]
"""``veto(category, sentence, probability)``: ``True`` when the sentence is lawful for that category
anyway, given the model's probability that it is unlawful."""


@dataclass(frozen=True)
class SentenceFlag:
    """A sentence the model reads as unlawful.

    Attributes:
        field: ``title`` or ``body``.
        start: Start of the sentence in that field.
        end: End of the sentence.
        category: Rule id of the category it states (e.g. ``AGE_DISCRIM``).
        probability: Probability that the sentence is unlawful.
    """

    field: str
    start: int
    end: int
    category: str
    probability: float


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence, bullet or line of ``text`` (at least
    :data:`MIN_SENTENCE_CHARS` characters; long runs cut at :data:`MAX_SENTENCE_CHARS`)."""
    spans, begin = [], 0
    for found in [*_SPLIT.finditer(text), None]:
        end = found.start() if found is not None else len(text)
        while end - begin > MAX_SENTENCE_CHARS:
            spans.append((begin, begin + MAX_SENTENCE_CHARS))
            begin += MAX_SENTENCE_CHARS
        piece = text[begin:end]
        stripped = piece.strip()
        if len(stripped) >= MIN_SENTENCE_CHARS:
            lead = len(piece) - len(piece.lstrip())
            spans.append((begin + lead, begin + lead + len(stripped)))
        if found is not None:
            begin = found.end()
    return spans


def normalise(sentence: str) -> str:
    """What the model reads: NFKC, lower case, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFKC", sentence).lower().split())


@dataclass
class SentenceModel:
    """The trained sentence classifier (see the module docstring).

    Attributes:
        vectorizer: Character n-gram TF-IDF.
        unlawful: Unlawful-or-not logistic regression.
        category: Category of an unlawful sentence (linear SVM over rule ids).
        threshold: Probability from which a sentence is flagged.
        cues: Category → regular expression over the compact sentence (the rule set's ``cues``).
        metrics: Figures recorded at training (counts, threshold source, held-out rates).
    """

    vectorizer: TfidfVectorizer
    unlawful: LogisticRegression
    category: LinearSVC
    threshold: float
    cues: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float | str] = field(default_factory=dict)
    _cue_patterns: dict[str, re.Pattern[str]] | None = field(default=None, repr=False)
    _union: re.Pattern[str] | None = field(default=None, repr=False)

    def _compiled_cues(self) -> dict[str, re.Pattern[str]]:
        if self._cue_patterns is None:
            self._cue_patterns = {category: re.compile(pattern) for category, pattern in self.cues.items()}
        return self._cue_patterns

    def _any_cue(self) -> re.Pattern[str] | None:
        """One pattern of every category's cues (``None``: ungated)."""
        if not self.cues:
            return None
        if getattr(self, "_union", None) is None:
            self._union = re.compile("|".join(f"(?:{pattern})" for pattern in self.cues.values()))
        return self._union

    def with_cues(self, cues: dict[str, str]) -> SentenceModel:
        """A copy that gates with other cues (those of the rule set in force)."""
        return replace(self, cues=dict(cues), _cue_patterns=None, _union=None)

    def probabilities(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(probability unlawful, most likely category) of each sentence.

        Each distinct sentence is read once: ads repeat their company's boilerplate and the
        portals' templates (a third of a batch's sentences are distinct), and the character
        n-gram analysis is the cost."""
        if not sentences:
            return np.zeros(0), np.zeros(0, dtype=object)
        distinct, where = np.unique(np.array([normalise(s) for s in sentences], dtype=object), return_inverse=True)
        x = self.vectorizer.transform(distinct.tolist())
        p = self.unlawful.predict_proba(x)[:, 1]
        return p[where], self.category.predict(x)[where]

    def ad_scores(self, titles: Sequence[str], bodies: Sequence[str], *, veto: Veto | None = None) -> np.ndarray:
        """Each ad's highest probability among its sentences that carry a cue and are not vetoed
        (what the threshold is chosen on)."""
        return np.array([max((f.probability for f in flags), default=0.0)
                         for flags in self.find(titles, bodies, threshold=0.0, veto=veto)])

    def find(self, titles: Sequence[str], bodies: Sequence[str], *, threshold: float | None = None,
             veto: Veto | None = None) -> list[list[SentenceFlag]]:
        """Per ad, its sentences at or above ``threshold`` (default :attr:`threshold`) that carry
        a cue of their category, most probable first; at most one flag per category and ad.

        ``veto(category, sentence, probability)`` may declare a sentence lawful whatever the model reads (the
        verifier passes :meth:`app.verify.rules.RuleEngine.lawful_context`: the category's
        exceptions and "who the sentence is about")."""
        limit = self.threshold if threshold is None else threshold
        cues = self._compiled_cues()
        any_cue = self._any_cue()
        owners, places, texts = [], [], []
        cued: dict[str, bool] = {}  # ads repeat their boilerplate: each distinct sentence is searched once
        for i, (title, body) in enumerate(zip(titles, bodies, strict=True)):
            for field_name, text in (("title", str(title)), ("body", str(body))):
                for start, end in sentence_spans(text):
                    sentence = text[start:end]
                    if any_cue is not None:
                        has_cue = cued.get(sentence)
                        if has_cue is None:
                            has_cue = cued[sentence] = any_cue.search(packed_text(sentence)) is not None
                        if not has_cue:
                            continue  # no category's cue: the model could not flag it, so it is not read
                    owners.append(i)
                    places.append((field_name, start, end))
                    texts.append(sentence)
        p, categories = self.probabilities(texts)
        out: list[list[SentenceFlag]] = [[] for _ in titles]
        for j in np.argsort(-p, kind="stable") if len(p) else []:
            if p[j] < limit:
                break
            flags = out[owners[j]]
            if any(f.category == categories[j] for f in flags):
                continue
            if content_length(texts[j]) < MIN_FLAG_CHARS:
                continue
            cue = cues.get(str(categories[j]))
            # the category's words must be said, not only quoted to warn or teach about them
            # ("'통장 대여' 요구를 받은 적 있는지 안내" at a fraud-prevention call centre)
            if cue is not None and cue.search(compact(without_quoted_mentions(texts[j])).text) is None:
                continue
            if veto is not None and veto(str(categories[j]), texts[j], float(p[j])):
                continue
            field_name, start, end = places[j]
            flags.append(SentenceFlag(field_name, start, end, str(categories[j]), float(p[j])))
        return out


def load_training_sentences(directory: Path) -> list[dict]:
    """Every ``*.jsonl`` of ``directory``: ``{"text", "category", "unlawful", "kind"}`` per line."""
    return jsonl_rows(directory)


def sentences_of(titles: Sequence[str], bodies: Sequence[str]) -> list[str]:
    """All sentences of some ads (title and body), in order."""
    out = []
    for title, body in zip(titles, bodies, strict=True):
        for text in (str(title), str(body)):
            out.extend(text[a:b] for a, b in sentence_spans(text))
    return out


def fit_sentence_model(
    written: Sequence[dict],
    lawful_sentences: Sequence[str],
    calibration_ads: Sequence[tuple[Sequence[str], Sequence[str]]],
    *,
    categories: Sequence[str],
    cues: dict[str, str] | None = None,
    veto: Veto | None = None,
    seed: int = 0,
    target_ad_fpr: float = TARGET_AD_FPR,
) -> SentenceModel:
    """Fit the model and choose its threshold.

    Args:
        written: Hand-written training sentences (:func:`load_training_sentences`).
        lawful_sentences: Further lawful sentences (clean postings, published ads).
        calibration_ads: Sets of (titles, bodies) of lawful ads the model did not learn from;
            the threshold lets at most ``target_ad_fpr`` of the ads of *each* set have a flagged
            sentence (the strictest set decides: published ads and the world differ in style).
        categories: Rule ids the model may name (training rows of other categories are left out).
        cues: Category → cue pattern (see :class:`SentenceModel`).
        veto: See :meth:`SentenceModel.find` (applied when the threshold is chosen too).
        seed: Random seed.
        target_ad_fpr: See ``calibration_ads``.

    Raises:
        ValueError: Fewer than 20 unlawful training sentences.
    """
    known = set(categories)
    positives = [r for r in written if int(r["unlawful"]) == 1 and r["category"] in known]
    if len(positives) < 20:
        raise ValueError("위법 문장 학습 자료가 20건 미만이라 문장 분류 모델을 학습할 수 없습니다.")
    negatives = [r["text"] for r in written if int(r["unlawful"]) == 0] + list(lawful_sentences)
    texts = [normalise(r["text"]) for r in positives] + [normalise(t) for t in negatives]
    y = np.r_[np.ones(len(positives), dtype=int), np.zeros(len(negatives), dtype=int)]
    vectorizer, x = fit_char_tfidf(texts, ngram_range=(2, 5), min_df=2, max_features=300_000, sublinear_tf=True,
                                   dtype=np.float32)
    # the hand-written lawful look-alikes are the hard negatives: they weigh as much as the many easy ones
    hard = np.r_[np.zeros(len(positives)), np.ones(sum(int(r["unlawful"]) == 0 for r in written)),
                 np.zeros(len(lawful_sentences))].astype(bool)
    weight = np.where(y == 1, len(y) / (2.0 * max(y.sum(), 1)), 1.0)
    weight[hard] *= 5.0
    # lawful sentences of clean postings and published ads that carry a category's cue are look-alikes
    # found in the wild ("채용서류 반환 청구 시 …", "누적 가입 50만 돌파"): they weigh more than the rest
    any_cue = re.compile("|".join(f"(?:{pattern})" for pattern in (cues or {}).values())) if cues else None
    if any_cue is not None:
        offset = len(positives) + int(hard.sum())
        cued = np.array([any_cue.search(packed_text(t)) is not None for t in lawful_sentences], dtype=bool)
        weight[offset:][cued] *= CUED_LAWFUL_WEIGHT
    unlawful = LogisticRegression(C=4.0, max_iter=3000, solver="liblinear", random_state=seed)
    unlawful.fit(x, y, sample_weight=weight)
    # a linear SVM names the category: 50 times faster to fit than a multinomial logistic regression on
    # these 300,000 features, and as accurate (3-fold accuracy 0.91 against 0.90); only its choice is used
    category = LinearSVC(C=0.5, random_state=seed)
    category.fit(x[: len(positives)], [r["category"] for r in positives])
    model = SentenceModel(vectorizer=vectorizer, unlawful=unlawful, category=category, threshold=0.5, cues=dict(cues or {}))
    scored = [model.ad_scores(titles, bodies, veto=veto) for titles, bodies in calibration_ads if len(titles)]
    if scored:
        model.threshold = float(max(0.5, *(np.quantile(s, 1.0 - target_ad_fpr) + 1e-6 for s in scored)))
    ad_max = np.concatenate(scored) if scored else np.zeros(0)
    model.metrics = {
        "n_unlawful_sentences": float(len(positives)),
        "n_lawful_written": float(int(hard.sum())),
        "n_lawful_other": float(len(lawful_sentences)),
        "n_calibration_ads": float(len(ad_max)),
        "threshold": round(model.threshold, 4),
        "calibration_flagged_share": round(float((ad_max >= model.threshold).mean()), 4) if len(ad_max) else float("nan"),
    }
    return model

