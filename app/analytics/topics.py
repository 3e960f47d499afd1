"""Topic trends over Korean text (토픽 분석): what a corpus talks about, and how that changes over time.

Method, in the order it runs (:func:`fit_topic_model`):

1. **Tokens** (:func:`tokenize`): the project's shared Kiwi analyser (:func:`app.verify.kiwi.kiwi_analyser`,
   :func:`app.threads.thread_count` workers) keeps nouns, proper nouns, roots and foreign words (``NNG NNP XR
   SL``). Before Kiwi reads a text, the spellings of one term are made one (:data:`CANONICAL_TERMS`: ``AI`` and
   ``인공지능``, ``Java`` and ``자바``, ``프론트앤드`` and ``프론트엔드`` …) and those terms are handed to Kiwi as
   single tokens (its ``pretokenized`` spans), because Kiwi splits ``자바`` into ``자/바`` and ``인공지능`` into
   ``인공/지능``. Bracketed prefixes (``[멀티잇]``: an institution's or partner's brand) are dropped, and so are the
   corpus's stop words (programme-format words such as 과정·양성·부트캠프 for courses, the note template's
   회기·진행·안내 for counsellor notes), one-syllable words (but 웹, 앱) and masked fragments (``***``, ``이○숙``).
2. **Model**: scikit-learn NMF on sublinear TF-IDF of the *distinct* token lists (a course run in 30 rounds is
   one title to learn from; every round still counts in the trends). NNDSVDa start, so a fit is deterministic:
   the same data give the same topics with any seed. NMF rather than LDA: on the course titles LDA was more
   coherent only at k = 6 (where one of its topics was a bag of leftovers) and less stable at every k
   (docs/topics.md has the figures); its per-document mixtures are poorly identified on 5–10-word titles.
3. **Number of topics** (:func:`choose_topic_count`): each candidate k is scored by the mean C_V coherence of its
   top :data:`TOP_TERMS` terms over the corpus's own documents (gensim's ``CoherenceModel``) times its stability
   (below); the highest product is kept. Coherence alone cannot see a *missing* topic (k one below the truth
   merges two topics and its remaining topics are still coherent), but such a k is unstable: which topics merge
   changes from sample to sample (Greene, O'Callaghan & Cunningham, 2014). NPMI is reported, not used: on short
   texts it falls steadily as k grows (each extra topic brings rarer words into a top ten, and a title is shorter
   than NPMI's 10-word window), so it would always pick the smallest candidate.
4. **Stability** (:func:`topic_stability`): for each of :data:`STABILITY_SEEDS`, a fit from a random start
   (``init="random"``) on that seed's :data:`STABILITY_SAMPLE` share of the distinct documents; topics of every
   pair of fits are paired by the Hungarian method (scipy) on the cosine of their term weights and the mean
   paired cosine is the stability (1.0 = the same topics from every run). The model itself starts from NNDSVDa,
   so its seed changes nothing; the stability of that start on the same samples is reported beside it.
5. **Labels** (:func:`label_topics`): the top :data:`LABEL_TERMS` *distinctive* terms of a topic (its weight
   times the square root of the share of the term's weight that falls in this topic: a word common to many
   topics names none, the heaviest words still lead), at least one of them Hangul, joined by ``·``; a repeated
   label takes the next term. When documents carry an NCS name (the courses), the topic's most common NCS name
   and its share are shown beside the label.
6. **Over time** (:func:`topic_periods`, :func:`topic_trends`): per quarter, the number of documents whose main
   topic it is and its share (the mean of the documents' normalised topic weights); the trend is the weighted
   least-squares slope of the quarterly share in percentage points a year (quarters weighted by their
   documents), called rising or falling when it is at least :data:`TREND_MIN_SLOPE` and twice its standard
   error.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from app.threads import thread_count
from app.verify.kiwi import kiwi_analyser

TOKEN_TAGS: Final = frozenset({"NNG", "NNP", "XR", "SL"})
"""Kiwi tags of the morphemes a topic is made of: nouns, proper nouns, roots and foreign words."""
TOP_TERMS: Final = 10
"""Terms per topic in coherence and on the page."""
LABEL_TERMS: Final = 3
"""Terms in a topic's label."""
K_CANDIDATES: Final[tuple[int, ...]] = (6, 8, 10, 12, 14, 16)
"""Numbers of topics the build tries (the most coherent is kept)."""
STABILITY_SEEDS: Final[tuple[int, ...]] = (1, 2, 3, 4, 5)
"""Seeds of the subsamples the stability compares."""
STABILITY_SAMPLE: Final = 0.8
"""Share of the distinct documents each stability fit sees."""
REPRESENTATIVE_DOCS: Final = 5
"""Documents kept per topic as its examples."""
TREND_MIN_SLOPE: Final = 1.0
"""Percentage points a year below which a topic's change is called small."""
MIN_DF: Final = 3
"""Distinct documents a term must occur in to enter the model."""
MAX_DF: Final = 0.4
"""Terms in more than this share of the distinct documents are too common to tell topics apart."""
SEED: Final = 17
MIN_DOCUMENTS: Final = 20
"""Distinct documents with content words a corpus needs to be modelled."""


class TooFewDocuments(ValueError):
    """A corpus with too few documents to model (the build leaves it out and says why)."""

CANONICAL_TERMS: Final[dict[str, tuple[str, ...]]] = {
    "인공지능": ("인공지능", "인공 지능", "AI", "A.I", "에이아이"),
    "생성형": ("생성형",),
    "지능형": ("지능형",),
    "언어모델": ("LLM", "거대언어모델", "대규모언어모델", "거대 언어 모델", "대규모 언어 모델", "언어모델", "언어 모델"),
    "머신러닝": ("머신러닝", "머신 러닝", "machine learning", "기계학습", "ML"),
    "딥러닝": ("딥러닝", "딥 러닝", "deep learning", "심층학습"),
    "자연어처리": ("자연어처리", "자연어 처리", "NLP"),
    "컴퓨터비전": ("컴퓨터비전", "컴퓨터 비전", "computer vision"),
    "자바스크립트": ("자바스크립트", "JavaScript", "Java Script"),
    "자바": ("자바", "Java"),
    "파이썬": ("파이썬", "Python"),
    "스프링": ("스프링부트", "스프링", "Spring Boot", "SpringBoot", "Spring"),
    "리액트": ("리액트", "React"),
    "클라우드": ("클라우드", "Cloud"),
    "빅데이터": ("빅데이터", "빅 데이터", "Big Data", "BigData"),
    "데이터": ("데이터", "Data"),
    "소프트웨어": ("소프트웨어", "SW", "S/W"),
    "웹": ("웹", "Web"),
    "앱": ("애플리케이션", "어플리케이션", "어플", "앱", "App"),
    "모바일": ("모바일", "Mobile"),
    "프론트엔드": ("프론트엔드", "프론트앤드", "프런트엔드", "프론트", "Front-end", "Frontend", "Front End"),
    "백엔드": ("백엔드", "백앤드", "Back-end", "Backend", "Back End"),
    "풀스택": ("풀스택", "풀 스택", "Full Stack", "Fullstack", "Full-stack"),
    "사물인터넷": ("사물인터넷", "IoT"),
    "보안": ("정보보안", "사이버보안", "보안", "Security"),
    "블록체인": ("블록체인", "Blockchain"),
    "메타버스": ("메타버스", "Metaverse"),
    "게임": ("게임", "Game"),
    "디자인": ("디자인", "Design"),
    "반도체": ("반도체",),
    "자율주행": ("자율주행", "자율 주행"),
    "데브옵스": ("데브옵스", "DevOps"),
    "핀테크": ("핀테크", "Fintech"),
    "로봇": ("로봇", "Robot"),
    "바이오": ("바이오", "Bio"),
    "국민취업지원제도": ("국민취업지원제도",),
    "내일배움카드": ("국민내일배움카드", "내일배움카드"),
    "실업급여": ("실업급여", "구직급여"),
}
"""Canonical form of a term -> its spellings (Latin ones matched case-blind and as whole words)."""

COURSE_STOP_WORDS: Final = frozenset({
    "과정", "양성", "훈련", "교육", "캠프", "부트캠프", "아카데미", "스쿨", "프로그램", "기수", "취업", "연계", "실무",
    "실전", "기반", "활용", "중심", "맞춤", "맞춤형", "기업", "청년", "인재", "전문가", "전문", "역량", "향상", "강화",
    "심화", "기초", "입문", "완성", "프로젝트", "디지털", "신기술", "혁신", "수준", "현장", "직무", "채용", "확정",
    "초급", "중급", "고급", "단기", "집중", "실습", "이론", "학습", "준비", "과목", "시대", "분야", "종합",
    "개발", "개발자", "융합", "재직자", "요구", "참여", "반영", "ncs", "pjt", "pbl", "kdt", "트랙",
    "for", "and", "the", "of", "with", "in", "to", "academy", "school", "bootcamp", "camp", "course", "program",
    "class", "track", "digital", "training",
    # programme brands that name many distinct titles of one institution (the file's largest), not a subject
    "aivle", "hy", "po", "사자", "멋쟁이", "부스트캠프", "프로그래머스", "데브코스", "엘리스", "aiffel", "아이펠", "혁신학교",
})
"""Words of the course *format* (a bootcamp, a project-based round) and programme brands, not of its subject."""
NOTE_STOP_WORDS: Final = frozenset({
    "상담", "진행", "회기", "다음", "경과", "확인", "예정", "추후", "내용", "관련", "방법", "전화", "화상", "방문",
    "대면", "유선", "함께", "안내", "구직자", "점검", "이야기", "위주", "인근", "거주지", "정도", "상황", "부분",
    "필요", "이후", "이번", "지난", "당일", "오늘", "내담자", "본인", "생각", "내방", "회차", "면담", "기타", "사항",
    "바탕", "결과", "기준", "가능",
})
"""The counselling note template's framing words (session, channel, follow-up)."""

_HANGUL = re.compile(r"[가-힣]")
_MASKED = re.compile(r"[*○]")
_BRACKETED = re.compile(r"\[[^\]]{0,40}\]")
_PLACE = re.compile(r".+(특별시|광역시|특별자치시|특별자치도|도|시|군|구|동|읍|면|로|길)$")
_DISPLAY_LATIN = {"ai": "AI"}


def _term_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    variants: dict[str, str] = {}
    for canonical, spellings in CANONICAL_TERMS.items():
        for spelling in spellings:
            variants[spelling.lower()] = canonical
    parts = []
    for spelling in sorted(variants, key=len, reverse=True):  # longest first: 빅데이터 before 데이터
        escaped = re.escape(spelling).replace(r"\ ", r"\s*")
        if re.search(r"[a-z]", spelling):
            parts.append(rf"(?<![A-Za-z]){escaped}(?![A-Za-z])")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE), variants


_TERMS, _VARIANTS = _term_pattern()
_SQUEEZED = {variant.replace(" ", ""): canonical for variant, canonical in _VARIANTS.items()}


def canonical_term(word: str) -> str:
    """The canonical form of one word (``"AI"`` → ``"인공지능"``); other words lower-cased."""
    key = "".join(str(word).split()).lower()
    return _SQUEEZED.get(key, key)


def _canonical_text(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text with every known term spelled canonically, and the spans Kiwi must keep whole."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at, length = 0, 0
    for match in _TERMS.finditer(text):
        before = text[at:match.start()] + " "
        pieces.append(before)
        length += len(before)
        canonical = _SQUEEZED[re.sub(r"\s+", "", match.group(0).lower())]
        spans.append((length, length + len(canonical), "NNP"))
        pieces.append(canonical + " ")
        length += len(canonical) + 1
        at = match.end()
    pieces.append(text[at:])
    return "".join(pieces), spans


def tokenize(texts: Sequence[str], *, stop_words: frozenset[str] = frozenset(),
             drop_places: bool = False) -> list[list[str]]:
    """Content tokens of each text, canonical and without stop words (see the module docstring).

    Args:
        texts: Korean texts (course titles, masked counselling notes).
        stop_words: Canonical words to drop.
        drop_places: Drop proper nouns that name a place (what masking leaves of an address:
            ``충청북도 충주시 ***``).

    Returns:
        One list of tokens per text (possibly empty), in text order.
    """
    if not texts:
        return []
    # a text repeats (a course run in many rounds keeps its title): each distinct one is read once; and it is
    # read sentence by sentence, each distinct sentence once: the demo world's 17,933 counselling notes are
    # made of 5,439 distinct sentences, so Kiwi (most of the topics' build) reads an eighth of the characters.
    # The tokens are the same: every note of the demo world and every title of the K-Digital Training file
    # gives the same tokens either way, and the topics artifact is identical.
    distinct_texts = list(dict.fromkeys(str(t or "") for t in texts))
    sentences_of = {text: [s for s in _SENTENCE_BREAK.split(_BRACKETED.sub(" ", text)[:4000]) if s]
                    for text in distinct_texts}
    distinct_sentences = list(dict.fromkeys(s for sentences in sentences_of.values() for s in sentences))
    prepared = [_canonical_text(sentence) for sentence in distinct_sentences]
    spans = {i: s for i, (_, s) in enumerate(prepared)}
    cleaned = [t for t, _ in prepared]
    kiwi = kiwi_analyser()
    results = kiwi.tokenize(cleaned, pretokenized=_span_lookup(cleaned, spans)) if cleaned else []
    kept_form: dict[tuple[str, str], str | None] = {}  # the same morpheme recurs in most documents
    by_sentence: dict[str, list[str]] = {}
    for sentence, tokens in zip(distinct_sentences, results, strict=True):
        kept = []
        for token in tokens:
            key = (token.form, token.tag)
            if key not in kept_form:
                kept_form[key] = _content_word(token.form, token.tag, stop_words, drop_places)
            word = kept_form[key]
            if word is not None:
                kept.append(word)
        by_sentence[sentence] = kept
    by_text = {text: [word for sentence in sentences for word in by_sentence[sentence]]
               for text, sentences in sentences_of.items()}
    return [list(by_text[str(t or "")]) for t in texts]


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
"""Where a sentence ends: after ``.``, ``!`` or ``?`` and a space, or at a line break."""


def _content_word(form: str, tag: str, stop_words: frozenset[str], drop_places: bool) -> str | None:
    """The canonical word a morpheme contributes to a document, ``None`` when it is dropped (see :func:`tokenize`)."""
    if tag not in TOKEN_TAGS or _MASKED.search(form):
        return None
    word = canonical_term(form)
    if (len(word) < 2 and word not in CANONICAL_TERMS) or word in stop_words:
        return None
    if drop_places and tag == "NNP" and _PLACE.match(word) and word not in CANONICAL_TERMS:
        return None
    return word


def _span_lookup(cleaned: list[str], spans: dict[int, list[tuple[int, int, str]]]
                 ) -> Callable[[str], list[tuple[int, int, str]]]:
    """Kiwi's ``pretokenized`` callback: the spans of a text (texts repeat: look up by content)."""
    by_text = {}
    for i, text in enumerate(cleaned):
        by_text.setdefault(text, spans[i])
    return lambda text: by_text.get(text, [])


def display_term(term: str) -> str:
    """How a term is shown (``"ai"`` is shown ``"AI"``, other Latin words in capitals when short)."""
    if term in _DISPLAY_LATIN:
        return _DISPLAY_LATIN[term]
    if not _HANGUL.search(term) and len(term) <= 4:
        return term.upper()
    return term


# --------------------------------------------------------------------------- the model


@dataclass
class NmfFit:
    """One NMF fit: the vocabulary, the topic-term weights, and the fitted vectoriser and model."""

    vocabulary: list[str]
    components: np.ndarray
    """Topic × term weights (rows are topics)."""
    vectorizer: object
    model: object

    def transform(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Document × topic weights of token lists (zero rows for documents with no known term)."""
        from threadpoolctl import threadpool_limits

        matrix = self.vectorizer.transform([list(t) for t in tokens])
        with threadpool_limits(limits=thread_count()):
            return np.asarray(self.model.transform(matrix))

    def top_terms(self, n: int = TOP_TERMS) -> list[list[str]]:
        """The ``n`` heaviest terms of every topic."""
        return [[self.vocabulary[j] for j in np.argsort(-row)[:n]] for row in self.components]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass(frozen=True)
class Tfidf:
    """Sublinear TF-IDF of one list of documents: made once, shared by every NMF fit on them (each candidate
    k and each stability fit of a sample would otherwise vectorise the same documents again)."""

    vectorizer: object
    matrix: object

    @classmethod
    def of(cls, tokens: Sequence[Sequence[str]]) -> Tfidf:
        """The vectoriser fitted on ``tokens`` (``min_df`` :data:`MIN_DF` unless the corpus is tiny) and their matrix."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        min_df = MIN_DF if len(tokens) >= 20 * MIN_DF else 1
        vectorizer = TfidfVectorizer(analyzer=_identity, min_df=min_df, max_df=MAX_DF, sublinear_tf=True,
                                     dtype=np.float64)
        return cls(vectorizer=vectorizer, matrix=vectorizer.fit_transform([list(t) for t in tokens]))


def fit_nmf(tokens: Sequence[Sequence[str]], k: int, *, seed: int = SEED, init: str = "nndsvda",
            tfidf: Tfidf | None = None) -> NmfFit:
    """NMF of ``k`` topics on sublinear TF-IDF of token lists (deterministic with the NNDSVDa start).

    Args:
        tokens: Token lists (distinct documents).
        k: Number of topics.
        seed: Random state (matters only for ``init="random"``).
        init: NMF start (``"nndsvda"`` for the model, ``"random"`` to test seed sensitivity).
        tfidf: ``Tfidf.of(tokens)`` when the caller already made it (the same fit, without vectorising again).
    """
    from sklearn.decomposition import NMF
    from threadpoolctl import threadpool_limits

    tfidf = tfidf or Tfidf.of(tokens)
    model = NMF(n_components=k, init=init, random_state=seed, max_iter=500, tol=1e-4)
    with threadpool_limits(limits=thread_count()):
        model.fit(tfidf.matrix)
    return NmfFit(vocabulary=list(tfidf.vectorizer.get_feature_names_out()), components=np.asarray(model.components_),
                  vectorizer=tfidf.vectorizer, model=model)


def coherence(tokens: Sequence[Sequence[str]], topics: Sequence[Sequence[str]], measure: str = "c_npmi"
              ) -> tuple[float, list[float]]:
    """Mean and per-topic coherence of topics' top terms over the corpus's own documents (gensim).

    Args:
        tokens: The documents as token lists (the reference corpus).
        topics: Each topic's top terms.
        measure: ``"c_npmi"`` (−1…1) or ``"c_v"`` (0…1).
    """
    return coherence_of_many(tokens, [topics], measure)[0]


def coherence_of_many(tokens: Sequence[Sequence[str]], topic_sets: Sequence[Sequence[Sequence[str]]],
                      measure: str = "c_npmi") -> list[tuple[float, list[float]]]:
    """:func:`coherence` of several sets of topics over one corpus, its windows counted once.

    gensim counts, in every sliding window of the documents, the windows holding each relevant word and
    each pair of them. A word's or a pair's count does not depend on which other words are relevant, so one
    count over the words of every set gives each set exactly the figures a count of its own words gives
    (the candidate numbers of topics of :func:`choose_topic_count` were each counted separately: 12 passes
    over the corpus instead of 2).
    """
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    texts = [list(t) for t in tokens if t]
    dictionary = Dictionary(texts)
    known_sets = [[[w for w in topic if w in dictionary.token2id] for topic in topics] for topics in topic_sets]
    every_topic = [topic for known in known_sets for topic in known]
    # one process: the build runs inside a server or a test process that must not fork workers
    model = CoherenceModel(topics=every_topic, texts=texts, dictionary=dictionary, coherence=measure,
                           topn=max(len(t) for t in every_topic), processes=1)
    model.estimate_probabilities()
    out = []
    for known in known_sets:
        model.topics = known  # the counts are kept: these words are among those counted
        per_topic = [float(v) for v in model.get_coherence_per_topic()]
        out.append((float(np.mean(per_topic)), per_topic))
    return out


def choose_topic_count(tokens: Sequence[Sequence[str]], candidates: Sequence[int] = K_CANDIDATES, *,
                       seed: int = SEED) -> tuple[int, pd.DataFrame]:
    """The number of topics with the highest C_V coherence × stability (ties: the smaller k).

    Returns:
        ``(k, table)``; the table has one row per candidate: ``k, c_v, npmi, stability, score``.
    """
    best, table, _ = _choose_topic_count(tokens, candidates, seed=seed, shared=SharedFits(tokens))
    return best, table


@dataclass
class Candidate:
    """One candidate number of topics as :func:`choose_topic_count` measured it."""

    fit: NmfFit
    top: list[list[str]]
    c_v: tuple[float, list[float]]
    npmi: tuple[float, list[float]]
    stability: dict[str, float]
    """:func:`topic_stability` with random starts and :data:`STABILITY_SEEDS`."""


def _choose_topic_count(tokens: Sequence[Sequence[str]], candidates: Sequence[int], *, seed: int,
                        shared: SharedFits) -> tuple[int, pd.DataFrame, dict[int, Candidate]]:
    """:func:`choose_topic_count`, and what was measured of each candidate (the chosen one is the model)."""
    usable = [k for k in candidates if k < max(2, len(tokens) // 5)] or [min(candidates)]
    fits = {k: fit_nmf(tokens, k, seed=seed, tfidf=shared.full()) for k in usable}
    tops = {k: fit.top_terms() for k, fit in fits.items()}
    c_vs = dict(zip(usable, coherence_of_many(tokens, [tops[k] for k in usable], "c_v"), strict=True))
    npmis = dict(zip(usable, coherence_of_many(tokens, [tops[k] for k in usable], "c_npmi"), strict=True))
    measured, rows = {}, []
    for k in usable:
        stable = topic_stability(tokens, k, init="random", shared=shared)
        measured[k] = Candidate(fit=fits[k], top=tops[k], c_v=c_vs[k], npmi=npmis[k], stability=stable)
        rows.append({"k": k, "c_v": round(c_vs[k][0], 4), "npmi": round(npmis[k][0], 4),
                     "stability": stable["stability"], "score": round(c_vs[k][0] * stable["stability"], 4)})
    table = pd.DataFrame(rows)
    best = int(table.loc[table["score"].idxmax(), "k"])  # idxmax: the first (smallest k) of equal maxima
    return best, table, measured


class SharedFits:
    """The TF-IDF of one corpus's distinct documents and of each stability sample of them, each made once."""

    def __init__(self, tokens: Sequence[Sequence[str]]) -> None:
        self.tokens = tokens
        self._made: dict[object, Tfidf] = {}

    def full(self) -> Tfidf:
        """The TF-IDF of every document."""
        if "full" not in self._made:
            self._made["full"] = Tfidf.of(self.tokens)
        return self._made["full"]

    def sample(self, chosen: np.ndarray) -> tuple[list[Sequence[str]], Tfidf]:
        """The documents at sorted positions ``chosen`` and their TF-IDF."""
        documents = [self.tokens[i] for i in chosen]
        key = chosen.tobytes()
        if key not in self._made:
            self._made[key] = Tfidf.of(documents)
        return documents, self._made[key]


def _cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return a @ b.T


def matched_similarity(first: NmfFit, second: NmfFit) -> tuple[float, float]:
    """Mean cosine of the topics of two fits paired by the Hungarian method, and the mean share of
    shared top terms of the pairs (their vocabularies aligned by term)."""
    from scipy.optimize import linear_sum_assignment

    terms = sorted(set(first.vocabulary) | set(second.vocabulary))
    index = {t: i for i, t in enumerate(terms)}

    def aligned(fit: NmfFit) -> np.ndarray:
        out = np.zeros((fit.components.shape[0], len(terms)))
        out[:, [index[t] for t in fit.vocabulary]] = fit.components
        return out

    similarity = _cosine_rows(aligned(first), aligned(second))
    rows, cols = linear_sum_assignment(-similarity)
    top_a, top_b = first.top_terms(), second.top_terms()
    overlap = [len(set(top_a[r]) & set(top_b[c])) / TOP_TERMS for r, c in zip(rows, cols, strict=True)]
    return float(similarity[rows, cols].mean()), float(np.mean(overlap))


def topic_stability(tokens: Sequence[Sequence[str]], k: int, seeds: Sequence[int] = STABILITY_SEEDS, *,
                    sample: float = STABILITY_SAMPLE, init: str = "nndsvda",
                    shared: SharedFits | None = None) -> dict[str, float]:
    """Stability of ``k`` topics across seeded subsamples (see the module docstring).

    Args:
        tokens: Distinct documents.
        k: Number of topics.
        seeds: One fit per seed, each on its own ``sample`` share of the documents (``sample=1.0``: all
            of them, so only a random start — ``init="random"`` — can differ).
        sample: Share of documents each fit sees.
        init: NMF start of every fit.
        shared: The TF-IDF of samples already made (:class:`SharedFits` of ``tokens``).

    Returns:
        ``stability`` (mean Hungarian-paired cosine over every pair of fits) and ``top_term_overlap``
        (mean share of the top terms the paired topics share).
    """
    fits = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        chosen = np.sort(rng.choice(len(tokens), size=max(k + 1, int(round(sample * len(tokens)))), replace=False))
        documents, tfidf = (shared or SharedFits(tokens)).sample(chosen)
        fits.append(fit_nmf(documents, k, seed=seed, init=init, tfidf=tfidf))
    pairs = [matched_similarity(fits[i], fits[j]) for i in range(len(fits)) for j in range(i + 1, len(fits))]
    return {"stability": round(float(np.mean([p[0] for p in pairs])), 4),
            "top_term_overlap": round(float(np.mean([p[1] for p in pairs])), 4)}


def distinctive_terms(components: np.ndarray, vocabulary: Sequence[str], n: int) -> list[list[str]]:
    """Each topic's terms by weight × the square root of the share of the term's weight in this topic."""
    exclusivity = components / np.maximum(components.sum(axis=0, keepdims=True), 1e-12)
    score = components * np.sqrt(exclusivity)  # the square root: heavy words still lead, shared ones drop back
    return [[vocabulary[j] for j in np.argsort(-row)[:n] if row[j] > 0] for row in score]


def label_topics(components: np.ndarray, vocabulary: Sequence[str], n_terms: int = LABEL_TERMS) -> list[str]:
    """Korean labels: the ``n_terms`` most distinctive terms, at least one of them Hangul, unique."""
    ranked = distinctive_terms(components, vocabulary, 30)
    labels: list[str] = []
    for terms in ranked:
        korean = [t for t in terms if _HANGUL.search(t)]
        chosen = terms[:n_terms]
        if korean and not any(_HANGUL.search(t) for t in chosen):
            chosen = [korean[0], *chosen[:n_terms - 1]]
        if not korean:
            chosen = ["기타", *chosen[:n_terms - 1]]
        label = "·".join(display_term(t) for t in chosen)
        extra = iter(t for t in terms if t not in chosen)
        while label in labels:
            nxt = next(extra, None)
            label = f"{label}·{display_term(nxt)}" if nxt else f"{label}({len(labels) + 1})"
        labels.append(label)
    return labels


# --------------------------------------------------------------------------- over time


def quarter_of(dates: pd.Series) -> pd.Series:
    """``"2024년 3분기"``-style quarter of each date (NaT → NA)."""
    stamps = pd.to_datetime(dates, errors="coerce")
    return stamps.dt.year.astype("Int64").astype(str) + "년 " + stamps.dt.quarter.astype("Int64").astype(str) + "분기"


def normalised_weights(weights: np.ndarray) -> np.ndarray:
    """Document topic weights summing to 1 (zero rows stay zero)."""
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)


def topic_periods(weights: np.ndarray, dates: pd.Series) -> pd.DataFrame:
    """Per quarter and topic: documents whose main topic it is and the topic's share.

    Args:
        weights: Document × topic weights (from :meth:`NmfFit.transform`).
        dates: Each document's date.

    Returns:
        ``period_start, year, quarter, topic, documents, period_documents, weight_sum, share``: one row per
        quarter with documents and per topic; ``share`` is ``weight_sum / period_documents`` (documents
        with no known term are left out of both).
    """
    norm = normalised_weights(weights)
    stamps = pd.to_datetime(pd.Series(dates).reset_index(drop=True), errors="coerce")
    usable = (norm.sum(axis=1) > 0) & stamps.notna().to_numpy()
    norm, stamps = norm[usable], stamps[usable]
    k = weights.shape[1]
    start = stamps.dt.to_period("Q").dt.start_time
    main = norm.argmax(axis=1) if len(norm) else np.array([], dtype=int)
    frame = pd.DataFrame(norm, columns=range(k))
    frame["period_start"] = start.to_numpy()
    sums = frame.groupby("period_start").sum()
    period_docs = frame.groupby("period_start").size()
    counts = pd.crosstab(start.to_numpy(), main).reindex(index=sums.index, columns=range(k), fill_value=0)
    rows = []
    for period, row in sums.iterrows():
        for topic in range(k):
            rows.append({"period_start": period, "topic": topic, "documents": int(counts.loc[period, topic]),
                         "period_documents": int(period_docs[period]), "weight_sum": float(row[topic])})
    out = pd.DataFrame(rows, columns=["period_start", "topic", "documents", "period_documents", "weight_sum"])
    out["year"] = pd.to_datetime(out["period_start"]).dt.year
    out["quarter"] = pd.to_datetime(out["period_start"]).dt.quarter
    out["share"] = out["weight_sum"] / out["period_documents"].clip(lower=1)
    return out[["period_start", "year", "quarter", "topic", "documents", "period_documents", "weight_sum", "share"]]


def yearly_shares(periods: pd.DataFrame) -> pd.DataFrame:
    """:func:`topic_periods` summed by year: ``year, topic, documents, period_documents, share``."""
    grouped = periods.groupby(["year", "topic"], as_index=False)[["documents", "period_documents", "weight_sum"]].sum()
    grouped["share"] = grouped["weight_sum"] / grouped["period_documents"].clip(lower=1)
    return grouped[["year", "topic", "documents", "period_documents", "share"]]


def topic_trends(periods: pd.DataFrame) -> pd.DataFrame:
    """Each topic's trend: weighted least-squares slope of its quarterly share (%p a year).

    Returns:
        ``topic, slope, slope_se, first_share, last_share, direction`` (``direction``: ``"상승"``,
        ``"하락"`` or ``"변화 작음"``; first/last: the shares of the first and last year), by slope descending.
    """
    years = yearly_shares(periods)
    rows = []
    for topic, part in periods.groupby("topic"):
        part = part.sort_values("period_start")
        t = pd.to_datetime(part["period_start"])
        x = (t.dt.year + (t.dt.quarter - 1) / 4).to_numpy(dtype=float)
        y = part["share"].to_numpy(dtype=float) * 100
        w = part["period_documents"].to_numpy(dtype=float)
        slope, se = _weighted_slope(x, y, w)
        yearly = years[years["topic"] == topic].sort_values("year")
        direction = "변화 작음"
        if abs(slope) >= TREND_MIN_SLOPE and abs(slope) >= 2 * se:
            direction = "상승" if slope > 0 else "하락"
        rows.append({"topic": int(topic), "slope": round(slope, 3), "slope_se": round(se, 3),
                     "first_share": float(yearly["share"].iloc[0]) if len(yearly) else np.nan,
                     "last_share": float(yearly["share"].iloc[-1]) if len(yearly) else np.nan,
                     "direction": direction})
    out = pd.DataFrame(rows, columns=["topic", "slope", "slope_se", "first_share", "last_share", "direction"])
    return out.sort_values(["slope", "topic"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _weighted_slope(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Slope and its standard error of weighted least squares (weights: documents per quarter)."""
    if len(x) < 3 or w.sum() <= 0:
        return 0.0, float("inf")
    w = w / w.mean()
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    sxx = float(np.sum(w * (x - xm) ** 2))
    if sxx <= 0:
        return 0.0, float("inf")
    slope = float(np.sum(w * (x - xm) * (y - ym)) / sxx)
    residual = y - (ym + slope * (x - xm))
    variance = float(np.sum(w * residual ** 2) / (len(x) - 2))
    return slope, float(np.sqrt(variance / sxx))


# --------------------------------------------------------------------------- the fitted corpus


@dataclass(frozen=True)
class TopicCorpus:
    """A corpus to model: what is tokenised, what is shown, when, and an optional NCS name per document.

    Attributes:
        key: Corpus key (``"courses"``, ``"notes"``).
        title: Korean name shown on the page.
        texts: What the tokens are read from.
        shown: What a representative document shows (masked for notes), same length.
        dates: Each document's date.
        groups: An NCS name per document (``None``: the corpus has none).
        stop_words: The corpus's stop words.
        drop_places: Drop place names (masked notes keep 시도·시군구 of an address).
        source: Korean description of where the documents come from.
    """

    key: str
    title: str
    texts: tuple[str, ...]
    shown: tuple[str, ...]
    dates: tuple[pd.Timestamp, ...]
    groups: tuple[str, ...] | None = None
    stop_words: frozenset[str] = frozenset()
    drop_places: bool = False
    source: str = ""


@dataclass
class TopicModel:
    """A fitted corpus: everything the page shows, nothing it must compute (see the module docstring)."""

    key: str
    title: str
    source: str
    k: int
    topics: pd.DataFrame
    """``topic, label, terms, term_weights, documents, share, ncs_name, ncs_share, npmi, c_v``."""
    periods: pd.DataFrame
    """:func:`topic_periods`."""
    trends: pd.DataFrame
    """:func:`topic_trends`."""
    examples: pd.DataFrame
    """``topic, rank, text, date, weight`` (masked for notes)."""
    k_table: pd.DataFrame
    """``k, c_v, npmi, stability, score`` of every candidate (:func:`choose_topic_count`)."""
    vocabulary: list[str]
    components: np.ndarray
    metrics: dict[str, float] = field(default_factory=dict)
    keyword_share: pd.DataFrame | None = None
    """Courses only: :func:`keyword_share_by_year`."""

    def search(self, query: str) -> pd.DataFrame:
        """Topics whose terms match the words of ``query`` (canonical spellings, part of a word allowed).

        Returns:
            ``topic, score, matched`` by score descending; empty when nothing matches.
        """
        words = [canonical_term(w) for w in re.split(r"[\s,·/]+", str(query or "")) if len(w.strip()) >= 1]
        words = [w for w in words if w]
        if not words:
            return pd.DataFrame(columns=["topic", "score", "matched"])
        weights = self.components / np.maximum(self.components.sum(axis=1, keepdims=True), 1e-12)
        hits = [j for j, term in enumerate(self.vocabulary)
                if any(w == term or (len(w) >= 2 and (w in term or (len(term) >= 2 and term in w))) for w in words)]
        if not hits:
            return pd.DataFrame(columns=["topic", "score", "matched"])
        scores = weights[:, hits].sum(axis=1)
        rows = []
        for topic in np.argsort(-scores):
            if scores[topic] <= 0:
                break
            best = [self.vocabulary[hits[i]] for i in np.argsort(-weights[topic, hits])[:3] if weights[topic, hits[i]] > 0]
            rows.append({"topic": int(topic), "score": float(scores[topic]),
                         "matched": "·".join(display_term(t) for t in best)})
        return pd.DataFrame(rows, columns=["topic", "score", "matched"])


AI_TERMS: Final = frozenset({"인공지능", "생성형", "언어모델", "머신러닝", "딥러닝", "자연어처리", "컴퓨터비전"})
"""Terms that make a course an AI course (its title names one)."""
GENERATIVE_TERMS: Final = frozenset({"생성형", "언어모델"})
"""Terms that make a course a generative-AI course (생성형 AI, LLM)."""


def keyword_share_by_year(tokens: Sequence[Sequence[str]], dates: Sequence[pd.Timestamp]) -> pd.DataFrame:
    """Per start year, the documents and the shares naming an AI term (:data:`AI_TERMS`) and a generative-AI
    term (:data:`GENERATIVE_TERMS`).

    Returns:
        ``year, courses, ai_courses, ai_share, generative_courses, generative_share``.
    """
    years = pd.to_datetime(pd.Series(list(dates)), errors="coerce").dt.year
    frame = pd.DataFrame({"year": years, "ai": [bool(AI_TERMS & set(t)) for t in tokens],
                          "generative": [bool(GENERATIVE_TERMS & set(t)) for t in tokens]}).dropna(subset=["year"])
    out = frame.groupby("year").agg(courses=("ai", "size"), ai_courses=("ai", "sum"),
                                    generative_courses=("generative", "sum")).reset_index()
    out["year"] = out["year"].astype(int)
    out["ai_share"] = (out["ai_courses"] / out["courses"]).round(4)
    out["generative_share"] = (out["generative_courses"] / out["courses"]).round(4)
    return out[["year", "courses", "ai_courses", "ai_share", "generative_courses", "generative_share"]]


def fit_topic_model(corpus: TopicCorpus, *, seed: int = SEED, candidates: Sequence[int] = K_CANDIDATES,
                    k: int | None = None, stability_seeds: Sequence[int] = STABILITY_SEEDS) -> TopicModel:
    """Tokenise, choose k, fit, label, follow over time and measure a corpus (the build calls this).

    Args:
        corpus: The documents.
        seed: Seed of the fit (the NNDSVDa start makes it irrelevant to the result; kept for the record).
        candidates: Numbers of topics to choose from by NPMI.
        k: A fixed number of topics instead of the choice.
        stability_seeds: Seeds of the stability subsamples.

    Raises:
        TooFewDocuments: Fewer than :data:`MIN_DOCUMENTS` distinct documents with content words.
    """
    started = time.perf_counter()
    tokens = tokenize(list(corpus.texts), stop_words=corpus.stop_words, drop_places=corpus.drop_places)
    distinct = list(dict.fromkeys(tuple(t) for t in tokens if t))
    if len(distinct) < MIN_DOCUMENTS:
        raise TooFewDocuments(f"'{corpus.key}': {len(distinct)} distinct documents with content words")
    shared = SharedFits(distinct)
    if k is None:
        k, k_table, measured = _choose_topic_count(distinct, candidates, seed=seed, shared=shared)
    else:
        k_table, measured = pd.DataFrame({"k": [k]}), {}
    chosen = measured.get(k)
    # the chosen candidate was fitted and measured with the model's own settings: not again
    fit = chosen.fit if chosen is not None else fit_nmf(distinct, k, seed=seed, tfidf=shared.full())
    top = fit.top_terms()
    npmi, npmi_topics = chosen.npmi if chosen is not None else coherence(distinct, top, "c_npmi")
    c_v, c_v_topics = chosen.c_v if chosen is not None else coherence(distinct, top, "c_v")
    if chosen is not None and tuple(stability_seeds) == tuple(STABILITY_SEEDS):
        stability = chosen.stability
    else:
        stability = topic_stability(distinct, k, stability_seeds, init="random", shared=shared)
    model_start = topic_stability(distinct, k, stability_seeds, shared=shared)
    if "score" not in k_table:
        k_table = k_table.assign(c_v=round(c_v, 4), npmi=round(npmi, 4), stability=stability["stability"],
                                 score=round(c_v * stability["stability"], 4))
    weights = fit.transform(tokens)
    norm = normalised_weights(weights)
    has_terms = norm.sum(axis=1) > 0
    main = np.where(has_terms, norm.argmax(axis=1), -1)
    labels = label_topics(fit.components, fit.vocabulary)
    dates = pd.Series(pd.to_datetime(list(corpus.dates), errors="coerce"))
    topic_rows = []
    for topic in range(k):
        order = np.argsort(-fit.components[topic])[:TOP_TERMS]
        members = main == topic
        ncs_name, ncs_share = "", np.nan
        if corpus.groups is not None and members.any():
            counts = Counter(g for g, m in zip(corpus.groups, members, strict=True) if m and g)
            if counts:
                ncs_name, count = counts.most_common(1)[0]
                ncs_share = count / int(members.sum())
        topic_rows.append({
            "topic": topic, "label": labels[topic], "terms": [display_term(fit.vocabulary[j]) for j in order],
            "term_weights": [round(float(fit.components[topic, j]), 4) for j in order],
            "documents": int(members.sum()), "share": float(norm[has_terms, topic].mean()) if has_terms.any() else 0.0,
            "ncs_name": ncs_name, "ncs_share": ncs_share,
            "npmi": round(npmi_topics[topic], 4), "c_v": round(c_v_topics[topic], 4),
        })
    periods = topic_periods(weights, dates)
    examples = _examples(weights, main, corpus, dates, np.array([len(t) for t in tokens]))
    keyword = keyword_share_by_year(tokens, list(corpus.dates)) if corpus.groups is not None else None
    metrics = {
        "k": float(k), "npmi": round(npmi, 4), "c_v": round(c_v, 4), **stability,
        "stability_model_start": model_start["stability"],
        "documents": float(len(tokens)), "distinct_documents": float(len(distinct)),
        "documents_without_terms": float((~has_terms).sum()), "vocabulary": float(len(fit.vocabulary)),
        "fit_seconds": round(time.perf_counter() - started, 1),
    }
    return TopicModel(key=corpus.key, title=corpus.title, source=corpus.source, k=k, topics=pd.DataFrame(topic_rows),
                      periods=periods, trends=topic_trends(periods), examples=examples, k_table=k_table,
                      vocabulary=fit.vocabulary, components=fit.components, metrics=metrics, keyword_share=keyword)


def _examples(weights: np.ndarray, main: np.ndarray, corpus: TopicCorpus, dates: pd.Series,
              lengths: np.ndarray) -> pd.DataFrame:
    """The heaviest distinct documents of each topic among those whose main topic it is (equal weights: the
    document with more content words first, so a one-word title does not stand for the topic)."""
    rows = []
    for topic in range(weights.shape[1]):
        members = np.flatnonzero(main == topic)
        seen: set[str] = set()
        order = np.lexsort((-lengths[members], -np.round(weights[members, topic], 4)))
        for index in members[order]:
            text = corpus.shown[index]
            if text in seen:
                continue
            seen.add(text)
            rows.append({"topic": topic, "rank": len(seen), "text": text, "date": dates.iloc[index],
                         "weight": round(float(weights[index, topic]), 4)})
            if len(seen) >= REPRESENTATIVE_DOCS:
                break
    return pd.DataFrame(rows, columns=["topic", "rank", "text", "date", "weight"])
