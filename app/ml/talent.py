"""The talent matcher (AI 인재추천): candidates for a posting, and postings for a seeker.

Retrieval is hybrid, as on the best job boards: a query (a posting, or a sentence parsed into
filters) proposes candidates from four sources —

* **lexical**: BM25 over Kiwi morphemes of each seeker's professional record;
* **dense**: LSA vectors (TF-IDF over the same morphemes → truncated SVD), an encoder trained on
  our own postings and résumés, so it runs offline with no downloaded weights — or, when
  ``GOYONG_TALENT_ENCODER_DIR`` names one, a sentence-transformers model from that local folder
  (:class:`~app.ml.sentence_encoder.SentenceEncoder`), which reads the masked texts themselves;
* **structured**: seekers who want (or last did) the posting's KECO occupation;
* **collaborative**: the applicants of the most similar past postings;

— and a LightGBM lambdarank model orders their union by lexical, dense, structured, history and
popularity features, trained on past applications (grade 1) and hires (grade 2), with the saves and
dismissals of users as extra grades at the next build. The history features include what each
candidate's earlier applications say of the job they look for — its employment type, hours, region
and occupation field — which no record field holds (in the world's truth, the hidden working-pattern
preferences; on a real board, the same habit of applying to one kind of job). A second, calibrated model gives the
probability that the candidate would take the job and be hired, with its reasons.

Protected attributes (sex, age, disability) are not read: hiring decisions never use them.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from lightgbm import LGBMRanker
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from app.config import get_settings
from app.db.repositories import matching as repo
from app.db.repositories import talent as talent_repo
from app.ml.calibrated import CalibratedBooster, fit_calibrated_booster, probability_metrics
from app.ml.manifest import ArtifactMissing, ArtifactResult, ArtifactSpec, BuildContext, dump_object, load_fitted
from app.ml.model_card import ModelCard
from app.ml.sentence_encoder import EncoderUnavailable, SentenceEncoder, model_fingerprint
from app.reference.codes import EMPLOYMENT_TYPES
from app.reference.tables import Reference, load_reference
from app.search.dense_index import DenseIndex
from app.text.pii import mask_pii
from app.threads import thread_count, threads_for_rows
from app.verify.kiwi import kiwi_analyser

MODEL_NAME = "talent_matcher"
MODEL_FILE = "talent_matcher.pkl"
INDEX_NAME = "talent_seekers"
"""Stem of the seeker index's files (``.faiss`` and ``.meta``)."""
MODEL_VERSION = "1.1"

DENSE_DIM = 128
ENCODER_CHANGED = ("인재추천 모델을 만든 문장 임베딩 모델이 없거나 그 뒤에 바뀌어 추천을 멈췄습니다. "
                   "`python -m app build`로 인재추천 모델을 다시 만드세요.")
"""Shown instead of recommendations whose query would be encoded by another model than the seekers'."""
ACTIVE_BEFORE_DAYS = 180
"""A seeker is in a posting's pool when registered up to this many days before it opened …"""
ACTIVE_AFTER_DAYS = 20
"""… or up to this many days after (the window in which people apply)."""
PER_SOURCE = 100
"""Candidates each retrieval source proposes for one query."""
COLLAB_NEIGHBOURS = 30
"""Similar past postings whose applicants the collaborative source proposes."""
TRAIN_NEGATIVES = 60
"""Non-applicants kept per training posting (all applicants are kept)."""
TOKEN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
"""Morphemes that carry a record's content: nouns, roots, foreign words and Chinese characters."""

FEATURES: tuple[str, ...] = (
    "lexical", "dense", "occupation_exact", "occupation_last", "occupation_middle", "occupation_major",
    "skill_share", "certificates", "region_same", "region_desired", "region_flexible", "career_gap",
    "career_short", "wage_ratio", "education_gap", "collaborative", "activity", "occupation_last_middle",
    "fulltime_wage_ratio", "weekly_hours", "career_rule", "past_applications", "past_type_share",
    "past_hours_gap", "past_region_share", "past_field_share",
)
"""Pair features in model order (no protected attribute)."""

FEATURE_LABELS: dict[str, str] = {
    "lexical": "이력 내용의 단어 일치",
    "dense": "이력과 직무의 의미 유사도",
    "occupation_exact": "희망 직종 일치",
    "occupation_last": "최근 경력 직종 일치",
    "occupation_middle": "같은 직종 분야",
    "occupation_major": "같은 직업 대분류",
    "skill_share": "직무 기술 보유",
    "certificates": "관련 자격증",
    "region_same": "거주 지역 일치",
    "region_desired": "희망 근무지 일치",
    "region_flexible": "근무지 조정 가능",
    "career_gap": "경력 기간",
    "career_short": "요구 경력 부족",
    "wage_ratio": "제시 임금과 희망 임금",
    "education_gap": "학력 요건",
    "collaborative": "비슷한 공고 지원 이력",
    "activity": "최근 구직 활동",
    "occupation_last_middle": "최근 경력 직종 분야",
    "fulltime_wage_ratio": "주 40시간 환산 임금과 희망 임금",
    "weekly_hours": "주당 근무시간",
    "career_rule": "경력 요건(신입·무관·경력)",
    "past_applications": "이전 지원 횟수",
    "past_type_share": "이전 지원 공고와 같은 고용형태",
    "past_hours_gap": "이전 지원 공고와 근무시간 차이",
    "past_region_share": "이전 지원 공고와 같은 지역",
    "past_field_share": "이전 지원 공고와 같은 직종 분야",
}
"""Korean name of every feature (reasons and the transparency card)."""


# --------------------------------------------------------------------------- text


def content_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Content morphemes of each text (Kiwi; batched on the configured threads)."""
    kiwi = kiwi_analyser()
    cleaned = [str(t or "")[:4000] for t in texts]
    if not cleaned:
        return []
    results = kiwi.tokenize(cleaned) if len(cleaned) > 1 else [kiwi.tokenize(cleaned[0])]
    return [[tok.form.lower() for tok in toks if tok.tag in TOKEN_TAGS and len(tok.form) > 1 or tok.tag == "SL"]
            for toks in results]


def content_tokens_of_parts(documents: Sequence[Sequence[str]]) -> list[list[str]]:
    """Content morphemes of documents given as their parts (each part's tokens, in order).

    Each distinct part is analysed once: the seekers' records are made of a few thousand occupation
    names, skills, majors, certificate names and résumé duty lines, so the analyser reads a fifth of
    the characters (Kiwi was a third of the matcher's build). A part is analysed on its own, which
    at a part's edge can split a compound the whole text kept whole, or the reverse.
    """
    distinct = list(dict.fromkeys(part for parts in documents for part in parts if part))
    tokens = dict(zip(distinct, content_tokens(distinct), strict=True))
    return [[token for part in parts if part for token in tokens[part]] for parts in documents]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def major_entries(matrix: sp.csr_matrix | sp.csc_matrix, majors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of some rows of a CSR matrix (columns of a CSC one), in storage order.

    Returns:
        (for each entry, the position in ``majors`` of its row; its column; its value). The same entries in the
        same order as ``matrix[majors]`` holds them, without scipy's copy and index checks.
    """
    majors = np.asarray(majors, dtype=np.int64)
    starts = matrix.indptr[majors].astype(np.int64)
    lengths = matrix.indptr[majors + 1] - starts
    owner = np.repeat(np.arange(len(majors)), lengths)
    positions = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return owner, matrix.indices[positions], matrix.data[positions]


@dataclass
class Bm25:
    """Okapi BM25 over token lists, as a document × term weight matrix.

    Written here (20 lines of sparse algebra) rather than taken from a BM25 package because the
    matcher scores *any subset* of documents for one query — a pool restricted by dates, filters
    and opt-outs — which is one sparse product with precomputed weights.
    """

    vectorizer: CountVectorizer
    weights: sp.csr_matrix
    document_share: np.ndarray
    """Share of documents holding each term (a reason quotes only words that are not everywhere)."""

    @classmethod
    def fit(cls, docs: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> Bm25:
        """Fit the vocabulary and the per-document term weights of ``docs``."""
        vectorizer = CountVectorizer(analyzer=_identity, min_df=1, dtype=np.float32)
        tf = vectorizer.fit_transform(docs).tocsr()
        n_docs = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        length = np.asarray(tf.sum(axis=1)).ravel()
        norm = k1 * (1.0 - b + b * length / max(float(length.mean()), 1e-9))
        rows = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        data = tf.data * (k1 + 1.0) / (tf.data + norm[rows]) * idf[tf.indices]
        return cls(vectorizer=vectorizer, weights=sp.csr_matrix((data, tf.indices, tf.indptr), shape=tf.shape),
                   document_share=(df / max(n_docs, 1)).astype(np.float32))

    def terms(self, tokens: Sequence[str]) -> np.ndarray:
        """Sorted distinct vocabulary columns of a query's tokens (unknown tokens dropped)."""
        vocabulary = self.vectorizer.vocabulary_
        return np.array(sorted({vocabulary[t] for t in tokens if t in vocabulary}), dtype=np.int64)

    def informative(self, tokens: Sequence[str], *, max_share: float = 0.05) -> set[str]:
        """The tokens found in at most ``max_share`` of the documents (words that tell people apart)."""
        vocabulary = self.vectorizer.vocabulary_
        return {t for t in tokens if t in vocabulary and self.document_share[vocabulary[t]] <= max_share}

    def __post_init__(self) -> None:
        # columns by term: a query of a few dozen terms sums a few dozen columns
        self._by_term = self.weights.tocsc()

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 of a query (its distinct known terms; repeats count once, as in Lucene) against every document."""
        out = np.zeros(self.weights.shape[0], dtype=np.float32)
        _, documents, weights = major_entries(self._by_term, self.terms(tokens))
        # the terms' weights added per document in column order, in float32: what summing the column slice
        # (``_by_term[:, columns].sum(axis=1)``) adds, bit for bit, without building the slice (the build
        # scores 8,000 postings; the slice's checks and copies were most of each call)
        np.add.at(out, documents, weights)
        return out


@dataclass
class DenseEncoder:
    """LSA: TF-IDF over content morphemes → truncated SVD → unit vectors (seekers and postings share it)."""

    tfidf: TfidfTransformer
    vectorizer: CountVectorizer
    svd: TruncatedSVD

    @classmethod
    def fit(cls, docs: list[list[str]], *, dim: int, seed: int) -> DenseEncoder:
        """Fit on token lists of both sides."""
        vectorizer = CountVectorizer(analyzer=_identity, min_df=2, dtype=np.float32)
        counts = vectorizer.fit_transform(docs)
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        svd = TruncatedSVD(n_components=min(dim, counts.shape[1] - 1), random_state=seed).fit(tfidf.transform(counts))
        return cls(tfidf=tfidf, vectorizer=vectorizer, svd=svd)

    def encode(self, docs: list[list[str]]) -> np.ndarray:
        """Unit float32 vectors of token lists."""
        x = self.svd.transform(self.tfidf.transform(self.vectorizer.transform(docs))).astype(np.float32)
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.maximum(norms, 1e-9)

    def encode_one(self, tokens: Sequence[str]) -> np.ndarray:
        """The vector of one token list, the same as :meth:`encode` without scikit-learn's per-call
        validation (20 ms → well under 1 ms: one search encodes one query)."""
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for t in tokens:
            j = vocabulary.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(self.svd.components_.shape[0], dtype=np.float32)
        cols = np.fromiter(counts, dtype=np.int64)
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * self.tfidf.idf_[cols]
        weights /= np.linalg.norm(weights)
        x = (self.svd.components_[:, cols] @ weights).astype(np.float32)
        return x / max(float(np.linalg.norm(x)), 1e-9)


# --------------------------------------------------------------------------- the two sides


def _split(value: object) -> list[str]:
    return [s for s in str(value).split(";") if s] if isinstance(value, str) else []


# Postings require 무관 < 고졸 < … < 석사 (EDUCATION_LEVELS); seekers have 중졸이하 < 고졸 < … (SEEKER_EDUCATION).
# Both on one scale, so a gap of 0 means the requirement is just met:
EDUCATION_SCALE: dict[str, int] = {"무관": 0, "중졸이하": 0, "고졸": 1, "전문대졸": 2, "대졸": 3, "석사": 4}
"""Education of seekers and requirements of postings on one scale (the one the service's filters use too)."""


@dataclass(frozen=True)
class _Names:
    occupations: dict[str, str]
    certificates: dict[str, str]


_NAMES: dict[int, _Names] = {}


def _names(ref: Reference) -> _Names:
    """Occupation and certificate names of ``ref`` (built once per reference object)."""
    key = id(ref)
    if key not in _NAMES:
        _NAMES[key] = _Names(
            occupations=dict(zip(ref.occupations["keco_code"], ref.occupations["name"], strict=True)),
            certificates=dict(zip(ref.certificates["certificate_id"], ref.certificates["name"], strict=True)))
    return _NAMES[key]


def seeker_document(row: object, ref: Reference, duty_lines: str = "") -> str:
    """The professional record a seeker is searched by (no identity: occupations, skills,
    certificates, major and the duty lines of the résumé)."""
    names = _names(ref)
    parts = [names.occupations.get(str(getattr(row, "desired_keco", "")), ""),
             names.occupations.get(str(getattr(row, "last_keco", "") or ""), ""),
             " ".join(_split(getattr(row, "skills", ""))), str(getattr(row, "major", "") or ""),
             " ".join(names.certificates.get(c, "") for c in _split(getattr(row, "certificate_ids", ""))), duty_lines]
    return " ".join(p for p in parts if p)


def seeker_document_parts(row: object, ref: Reference, duty_lines: Sequence[str] = ()) -> list[str]:
    """The words of :func:`seeker_document` in the pieces they come in: each occupation name, skill, major,
    certificate name and duty line on its own (pieces repeat across seekers: :func:`content_tokens_of_parts`)."""
    names = _names(ref)
    return [names.occupations.get(str(getattr(row, "desired_keco", "")), ""),
            names.occupations.get(str(getattr(row, "last_keco", "") or ""), ""),
            *_split(getattr(row, "skills", "")), str(getattr(row, "major", "") or ""),
            *(names.certificates.get(c, "") for c in _split(getattr(row, "certificate_ids", ""))),
            *(line.strip() for line in duty_lines)]


def posting_document(row: object, ref: Reference) -> str:
    """The job text a posting searches by: occupation name, title, duties, requirements, preferred."""
    parts = [_names(ref).occupations.get(str(getattr(row, "keco_code", "") or ""), "")] + [
        str(getattr(row, c, "") or "") for c in ("title", "duties", "requirements", "preferred")]
    return " ".join(p for p in parts if p)


def posting_document_parts(row: object, ref: Reference) -> list[str]:
    """The words of :func:`posting_document` in the pieces they come in: the occupation name, the title and each
    line of the duties, requirements and preferred sections without its bullet (``▶``, ``①``, ``-``: no content
    word). The world's postings are written from templates, so lines repeat across postings: analysed once
    each (:func:`content_tokens_of_parts`), Kiwi reads 0.6 M characters of the demo world's 1.6 M."""
    parts = [_names(ref).occupations.get(str(getattr(row, "keco_code", "") or ""), ""), str(getattr(row, "title", "") or "")]
    for column in ("duties", "requirements", "preferred"):
        parts.extend(_BULLET.sub("", line) for line in str(getattr(row, column, "") or "").splitlines())
    return parts


_BULLET = re.compile(r"^[\s\W_①-⑳]+")
"""What a section line starts with before its words: spaces, bullets, circled numbers."""


def posting_tokens(rows: Iterable[object], ref: Reference) -> list[list[str]]:
    """Content morphemes of postings, analysed part by part (:func:`posting_document_parts`): the one way
    a posting is analysed, at build time and when a search or a seeker's job list meets it, so a stored
    posting's terms and a fresh analysis of it agree."""
    return content_tokens_of_parts([posting_document_parts(r, ref) for r in rows])


def duty_lines_of(resume: str) -> str:
    """The ``주요 업무`` lines of a résumé (what the person did; never the identity block)."""
    return " ".join(duty_line_list(resume))


def duty_line_list(resume: str) -> list[str]:
    """:func:`duty_lines_of`, line by line."""
    return [line.split(":", 1)[1] for line in str(resume).splitlines() if "주요 업무" in line and ":" in line]


class _Codes:
    """Text codes (KECO, region) as small integers: comparing integer arrays is ~50× faster than
    comparing arrays of Python strings, and every search compares thousands."""

    def __init__(self, values: Iterable[str]) -> None:
        self.index = {v: i for i, v in enumerate(sorted({str(v) for v in values}))}

    def of(self, values: Iterable[object]) -> np.ndarray:
        return np.array([self.index.get(str(v), -1) for v in values], dtype=np.int32)

    def one(self, value: str | None) -> int:
        return self.index.get(str(value), -2) if value else -2


@dataclass
class SeekerSide:
    """Arrays of the searchable seekers, row-aligned with the lexical and dense matrices."""

    ids: np.ndarray
    occupation_codes: _Codes
    region_codes: _Codes
    desired: np.ndarray
    desired_middle: np.ndarray
    desired_major: np.ndarray
    last: np.ndarray
    last_middle: np.ndarray
    region: np.ndarray
    desired_region: np.ndarray
    flexible: np.ndarray
    career_years: np.ndarray
    desired_wage: np.ndarray
    education: np.ndarray
    registered_day: np.ndarray
    skills: list[frozenset[str]]
    certificates: list[frozenset[str]]
    activity: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, activity: pd.Series, occupations: Iterable[str]) -> SeekerSide:
        """Arrays of ``repo.load_match_seekers`` rows; ``activity``: past applications by seeker id."""
        occupation_codes = _Codes(occupations)
        region_codes = _Codes(list(frame["region_code"].astype(str)) + list(frame["desired_region_code"].astype(str)))
        desired = frame["desired_keco"].astype(str)
        return cls(
            ids=frame["id"].to_numpy(np.int64),
            occupation_codes=occupation_codes,
            region_codes=region_codes,
            desired=occupation_codes.of(desired),
            desired_middle=np.array(
                [int(d[:2]) if d[:2].isdigit() else -1 for d in desired], dtype=np.int32),
            desired_major=np.array([int(d[:1]) if d[:1].isdigit() else -1 for d in desired], dtype=np.int32),
            last=occupation_codes.of(frame["last_keco"].fillna("")),
            last_middle=np.array([int(d[:2]) if d[:2].isdigit() else -1 for d in frame["last_keco"].fillna("").astype(str)],
                                 dtype=np.int32),
            region=region_codes.of(frame["region_code"]),
            desired_region=region_codes.of(frame["desired_region_code"]),
            flexible=frame["region_flexible"].astype(bool).to_numpy(),
            career_years=frame["career_years"].to_numpy(float),
            desired_wage=frame["desired_wage"].to_numpy(float),
            education=np.array([EDUCATION_SCALE.get(str(v), np.nan) for v in frame["education"]], dtype=float),
            registered_day=_days(frame["registered_on"]),
            skills=[frozenset(_split(s)) for s in frame["skills"]],
            certificates=[frozenset(_split(s)) for s in frame["certificate_ids"]],
            activity=frame["id"].map(activity).fillna(0).to_numpy(float),
        )


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[D]").astype(np.int64)


def day_number(value: object) -> int:
    """Days since 1970-01-01 of a date (the matcher's time axis)."""
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype(np.int64))


@dataclass(frozen=True)
class JobQuery:
    """What one search is for: a posting's conditions, or a sentence's filters (missing = ``None``).

    Attributes:
        keco_code: KECO 소분류 wanted.
        region_code: 시도 code of the workplace.
        min_career_years: Career the job requires.
        wage_monthly: Monthly wage offered (원).
        education: Required education (:data:`app.reference.codes.EDUCATION_LEVELS`).
        text: The job text (posting sections, or the free text and chips of a sentence).
        day: Day number (:func:`day_number`) the search is as of: the pool is who was looking then.
        posting_id: The posting searched for (its own applications are not history for it).
        weekly_hours: Weekly working hours of the job.
        career_rule: 신입, 경력무관 or 경력 (what the posting asks of experience).
        employment_type: 정규직, 계약직, 시간제 or 일용직.
    """

    keco_code: str | None
    region_code: str | None
    min_career_years: float | None
    wage_monthly: float | None
    education: str | None
    text: str
    day: int
    posting_id: int | None = None
    weekly_hours: float | None = None
    career_rule: str | None = None
    employment_type: str | None = None


_CAREER_RULES = {"신입": 0.0, "경력무관": 1.0, "경력": 2.0}


@dataclass
class SourceScores:
    """Each retrieval source's score of every seeker for one query (arrays over all seekers)."""

    lexical: np.ndarray
    dense: np.ndarray
    collaborative: np.ndarray
    vector: np.ndarray | None = None
    """The query's dense vector (the index searches with it)."""

    def at(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The scores of ``rows``, by source."""
        return {"lexical": self.lexical[rows], "dense": self.dense[rows], "collaborative": self.collaborative[rows]}


@dataclass
class PostingProfile:
    """What each indexed posting offered (rows aligned with ``TalentMatcher.posting_ids``): the
    working pattern a seeker's earlier applications reveal (people keep applying to the same kinds
    of jobs, and the record does not say which hours or employment type they want)."""

    employment_type: np.ndarray
    """Index into :data:`EMPLOYMENT_TYPES` (-1 unknown)."""
    log_hours: np.ndarray
    """log weekly hours (NaN unknown)."""
    region: np.ndarray
    """시도 code of the workplace, as strings."""
    middle: np.ndarray
    """KECO 중분류 (first two digits; -1 unknown)."""

    @classmethod
    def from_frame(cls, postings: pd.DataFrame) -> PostingProfile:
        """Profiles of ``repo.load_match_postings`` rows (in the matcher's posting order)."""
        types = {t: i for i, t in enumerate(EMPLOYMENT_TYPES)}
        hours = pd.to_numeric(postings["weekly_hours"], errors="coerce").to_numpy(float)
        return cls(
            employment_type=postings["employment_type"].map(types).fillna(-1).to_numpy(np.int64),
            log_hours=np.log(np.where(hours > 0, hours, np.nan)),
            region=postings["region_code"].astype(str).to_numpy(),
            middle=np.array([int(k[:2]) if k[:2].isdigit() else -1 for k in postings["keco_code"].astype(str)],
                            dtype=np.int64),
        )


@dataclass
class TalentMatcher:
    """The built matcher: both sides' indexes, the history and the two models."""

    seekers: SeekerSide
    lexical: Bm25
    encoder: DenseEncoder | None
    """The LSA encoder (``None`` when ``text_encoder`` made the vectors)."""
    seeker_vectors: np.ndarray
    posting_ids: np.ndarray
    """Postings in opening order (rows of ``posting_vectors``, ``posting_days`` and ``history``)."""
    posting_vectors: np.ndarray
    posting_days: np.ndarray
    history: sp.csr_matrix
    """postings × seekers, 1 for an application."""
    posting_terms: list[np.ndarray]
    """Each posting's BM25 query terms (vocabulary columns): scoring a seeker against many postings
    then needs no morphological analysis."""
    ranker: LGBMRanker | None
    hire_model: CalibratedBooster | None
    occupation_skills: dict[str, frozenset[str]]
    occupation_certificates: dict[str, frozenset[str]]
    metrics: dict[str, float | str] = field(default_factory=dict)
    version: str = MODEL_VERSION
    seeker_index: DenseIndex | None = None
    """FAISS index of ``seeker_vectors`` (stored in its own files; exact below 100k seekers, IVF above)."""
    text_encoder: SentenceEncoder | None = None
    """The sentence-transformers model the vectors were made with, when one was configured (pickled
    as its folder and fingerprint; the model itself is loaded on the first query)."""
    posting_profile: PostingProfile | None = None
    """What each posting offered (the past-application features read it)."""
    _applied_by_seeker: sp.csr_matrix | None = None
    _row_of_seeker: dict[int, int] = field(default_factory=dict)
    _row_of_posting: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._row_of_seeker = {int(s): i for i, s in enumerate(self.seekers.ids)}
        self._row_of_posting = {int(p): i for i, p in enumerate(self.posting_ids)}
        self._applied_by_seeker = self.history.T.tocsr()

    # ------------------------------------------------------------------ retrieval

    def query_vector(self, text: str, tokens: Sequence[str]) -> np.ndarray:
        """The dense vector of a query, by the encoder the seekers' vectors were made with.

        Args:
            text: The query's text (:attr:`JobQuery.text`); the sentence model reads it, masked.
            tokens: Its content morphemes (:func:`content_tokens`); the LSA encoder reads them.

        Raises:
            ArtifactMissing: The sentence model is gone or changed since the build.
        """
        if self.text_encoder is not None:
            try:
                return self.text_encoder.encode_one(mask_pii(text))
            except EncoderUnavailable:  # the model went missing or changed after the matcher was loaded
                raise ArtifactMissing(ENCODER_CHANGED) from None
        if self.encoder is None:
            raise ValueError("matcher has no dense encoder")
        return self.encoder.encode_one(tokens)

    def dense_encoder_label(self) -> str:
        """Korean name of the dense encoder, for the model status (e.g. ``자체 학습 LSA, 128차원``)."""
        dim = int(self.seeker_vectors.shape[1])
        if self.text_encoder is not None:
            return f"문장 임베딩 모델 {self.text_encoder.name}, {dim}차원"
        return f"자체 학습 LSA, {dim}차원"

    def warm_up_encoder(self) -> None:
        """Load the sentence model now (server warm-up) rather than on the first query; nothing for LSA."""
        if self.text_encoder is not None:
            self.text_encoder.load()

    def pool(self, day: int, *, exclude: Iterable[int] = ()) -> np.ndarray:
        """Rows of seekers looking for work on ``day`` (registered in the window), minus ``exclude`` ids."""
        reg = self.seekers.registered_day
        rows = np.flatnonzero((reg >= day - ACTIVE_BEFORE_DAYS) & (reg <= day + ACTIVE_AFTER_DAYS))
        excluded = self.rows_of(exclude)
        return rows if not len(excluded) else rows[~np.isin(rows, excluded)]

    def rows_of(self, seeker_ids: Iterable[int]) -> np.ndarray:
        """Seeker rows of ids (unknown ids dropped)."""
        return np.array([self._row_of_seeker[int(s)] for s in seeker_ids if int(s) in self._row_of_seeker],
                        dtype=np.int64)

    def source_scores(self, query: JobQuery, tokens: Sequence[str], vector: np.ndarray, *,
                      dense: np.ndarray | None = None, posting_sims: np.ndarray | None = None) -> SourceScores:
        """Lexical, dense and collaborative scores of every seeker for ``query``.

        Args:
            query: What is searched for.
            tokens: Its content morphemes.
            vector: Its dense vector.
            dense: ``seeker_vectors @ vector`` when the caller computed it with other queries' (the build
                scores thousands of postings: one matrix product per chunk instead of one per posting).
            posting_sims: ``posting_vectors @ vector``, likewise.
        """
        return SourceScores(lexical=self.lexical.scores(tokens),
                            dense=self.seeker_vectors @ vector if dense is None else dense,
                            collaborative=self._collaborative(vector, query.day, query.posting_id, posting_sims),
                            vector=vector)

    def similar_past_postings(self, vector: np.ndarray, day: int, posting_id: int | None,
                              posting_sims: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the :data:`COLLAB_NEIGHBOURS` postings most similar to ``vector`` among those opened
        before ``day`` (the posting itself left out), and their similarity weights (≥ 0); ``posting_sims``:
        ``posting_vectors @ vector`` when already computed."""
        n_past = int(np.searchsorted(self.posting_days, day, side="left"))  # postings are in opening order
        if n_past == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        sims = self.posting_vectors[:n_past] @ vector if posting_sims is None else posting_sims[:n_past].copy()
        own = self._row_of_posting.get(posting_id) if posting_id is not None else None
        if own is not None and own < n_past:
            sims[own] = -np.inf
        k = min(COLLAB_NEIGHBOURS, n_past)
        top = np.argpartition(-sims, k - 1)[:k]
        return top, np.maximum(sims[top], 0.0).astype(np.float32)

    def _collaborative(self, vector: np.ndarray, day: int, posting_id: int | None,
                       posting_sims: np.ndarray | None = None) -> np.ndarray:
        """Per seeker: similarity-weighted applications to the most similar earlier postings."""
        top, weights = self.similar_past_postings(vector, day, posting_id, posting_sims)
        out = np.zeros(len(self.seekers.ids), dtype=np.float32)
        # ``history[top].T @ weights`` without the slice: each application adds its posting's weight, posting by
        # posting in ``top``'s order, in float32 (the same sums, bit for bit)
        owner, seekers, applied = major_entries(self.history, top)
        np.add.at(out, seekers, applied * weights[owner])
        return out

    def candidates(self, query: JobQuery, pool: np.ndarray, scores: SourceScores,
                   *, per_source: int | None = None) -> np.ndarray:
        """Seeker rows proposed by any source within ``pool`` (sorted, distinct; ``per_source`` defaults
        to :data:`PER_SOURCE`)."""
        per_source = per_source or PER_SOURCE
        chosen = [pool[_top(scores.lexical[pool], per_source, positive=True)],
                  self._dense_proposals(pool, scores, per_source),
                  pool[_top(scores.collaborative[pool], per_source // 2, positive=True)]]
        wanted = self.seekers.occupation_codes.one(query.keco_code)
        if wanted >= 0:
            exact = pool[(self.seekers.desired[pool] == wanted) | (self.seekers.last[pool] == wanted)]
            # the most recently registered seekers of the occupation (they are the ones still looking)
            chosen.append(exact[np.argsort(-self.seekers.registered_day[exact], kind="stable")[:per_source]])
        return np.unique(np.concatenate(chosen))

    def _dense_proposals(self, pool: np.ndarray, scores: SourceScores, k: int) -> np.ndarray:
        """The pool's nearest seekers to the query vector: an approximate (inverted-file) index restricted
        to the pool, what scales to a million seekers; otherwise the highest dense scores of the pool."""
        exact = self.seeker_index is None or self.seeker_index.kind == "flat"
        if exact or scores.vector is None or not np.any(scores.vector) or not len(pool):
            # an exact (flat) index finds the seekers of the highest dense scores, which are already computed
            return pool[_top(scores.dense[pool], k)]
        _, ids = self.seeker_index.search(scores.vector, min(k, len(pool)), allowed_ids=self.seekers.ids[pool])
        return self.rows_of(ids[0][ids[0] >= 0])

    # ------------------------------------------------------------------ features

    def features(self, query: JobQuery, rows: np.ndarray, scores: Mapping[str, np.ndarray]) -> np.ndarray:
        """The pair features (:data:`FEATURES` order, float matrix) of seeker ``rows`` for ``query``.

        Args:
            query: What is searched for.
            rows: Seeker rows.
            scores: ``lexical``, ``dense`` and ``collaborative`` scores aligned with ``rows``
                (:meth:`SourceScores.at`).
        """
        s = self.seekers
        n = len(rows)
        out = np.full((n, len(FEATURES)), np.nan, dtype=np.float64)
        col = {name: i for i, name in enumerate(FEATURES)}
        out[:, col["lexical"]] = scores["lexical"]
        out[:, col["dense"]] = scores["dense"]
        out[:, col["collaborative"]] = scores["collaborative"]
        out[:, col["activity"]] = np.log1p(s.activity[rows])
        out[:, col["region_flexible"]] = s.flexible[rows]
        keco = query.keco_code or ""
        wanted = s.occupation_codes.one(keco)
        if keco:
            out[:, col["occupation_exact"]] = s.desired[rows] == wanted
            out[:, col["occupation_last"]] = s.last[rows] == wanted
            out[:, col["occupation_last_middle"]] = s.last_middle[rows] == (int(keco[:2]) if keco[:2].isdigit() else -9)
            out[:, col["occupation_middle"]] = s.desired_middle[rows] == (int(keco[:2]) if keco[:2].isdigit() else -9)
            out[:, col["occupation_major"]] = s.desired_major[rows] == (int(keco[:1]) if keco[:1].isdigit() else -9)
            skills = self.occupation_skills.get(keco, frozenset())
            if skills:
                out[:, col["skill_share"]] = [len(s.skills[r] & skills) / len(skills) for r in rows]
            certs = self.occupation_certificates.get(keco, frozenset())
            out[:, col["certificates"]] = [len(s.certificates[r] & certs) for r in rows]
        if query.region_code:
            region = s.region_codes.one(query.region_code)
            out[:, col["region_same"]] = s.region[rows] == region
            out[:, col["region_desired"]] = s.desired_region[rows] == region
        if query.min_career_years is not None:
            career = s.career_years[rows]
            out[:, col["career_gap"]] = career - query.min_career_years
            out[:, col["career_short"]] = np.maximum(query.min_career_years - career, 0.0)
        if query.wage_monthly:
            out[:, col["wage_ratio"]] = np.log(query.wage_monthly / np.maximum(s.desired_wage[rows], 1.0))
            if query.weekly_hours:
                # desired wages are full-time wages: a part-time offer is compared at 40 hours a week
                fulltime = query.wage_monthly * 40.0 / max(query.weekly_hours, 1.0)
                out[:, col["fulltime_wage_ratio"]] = np.log(fulltime / np.maximum(s.desired_wage[rows], 1.0))
        if query.weekly_hours:
            out[:, col["weekly_hours"]] = query.weekly_hours
        if query.career_rule in _CAREER_RULES:
            out[:, col["career_rule"]] = _CAREER_RULES[query.career_rule]
        if query.education:
            out[:, col["education_gap"]] = s.education[rows] - EDUCATION_SCALE.get(query.education, np.nan)
        self._past_application_features(query, rows, out, col)
        return out

    def past_applied_postings(self, row: int, day: int) -> np.ndarray:
        """Posting rows (opening order) seeker ``row`` applied to among those opened before ``day``."""
        if self._applied_by_seeker is None:
            return np.empty(0, dtype=np.int64)
        n_past = int(np.searchsorted(self.posting_days, day, side="left"))
        applied = self._applied_by_seeker.indices[self._applied_by_seeker.indptr[row]:self._applied_by_seeker.indptr[row + 1]]
        return np.sort(applied[applied < n_past]).astype(np.int64)

    def _past_application_features(self, query: JobQuery, rows: np.ndarray, out: np.ndarray,
                                   col: dict[str, int]) -> None:
        """What the candidates' applications before ``query.day`` say of the job they are looking for:
        how many, and the share of them with this job's employment type, region and occupation field,
        and how far this job's hours are from theirs (NaN without earlier applications)."""
        profile = self.posting_profile
        if profile is None or self._applied_by_seeker is None or not len(rows):
            return
        n_past = int(np.searchsorted(self.posting_days, query.day, side="left"))
        # every application of the candidates, the later ones weighted 0, summed per candidate in storage
        # order (what ``applied_by_seeker[rows] @ weights`` sums, bit for bit, without the row slice and its
        # checks, which were most of the cost: the build asks this for 8,000 postings)
        owner, posting, value = major_entries(self._applied_by_seeker, rows)
        past = np.arange(len(self.posting_days)) < n_past

        def summed(weights: np.ndarray) -> np.ndarray:
            return np.bincount(owner, weights=weights[posting] * value, minlength=len(rows))

        count = summed(past.astype(float))
        out[:, col["past_applications"]] = count
        known = count > 0
        if not known.any():
            return
        share = np.divide(1.0, count, out=np.zeros_like(count), where=known)

        def past_share(mask: np.ndarray) -> np.ndarray:
            return np.where(known, summed((mask & past).astype(float)) * share, np.nan)

        if query.employment_type in EMPLOYMENT_TYPES:
            out[:, col["past_type_share"]] = past_share(profile.employment_type == EMPLOYMENT_TYPES.index(query.employment_type))
        if query.region_code:
            out[:, col["past_region_share"]] = past_share(profile.region == query.region_code)
        keco = query.keco_code or ""
        if keco[:2].isdigit():
            out[:, col["past_field_share"]] = past_share(profile.middle == int(keco[:2]))
        if query.weekly_hours:
            hours = np.where(past, np.nan_to_num(profile.log_hours, nan=0.0), 0.0)
            with_hours = summed((np.isfinite(profile.log_hours) & past).astype(float))
            mean_hours = np.divide(summed(hours), with_hours, out=np.full(len(rows), np.nan), where=with_hours > 0)
            out[:, col["past_hours_gap"]] = np.log(query.weekly_hours) - mean_hours

    def jobs_features(self, row: int, queries: Sequence[JobQuery], query_terms: Sequence[np.ndarray],
                      query_vectors: np.ndarray) -> np.ndarray:
        """Pair features of one seeker (``row``) with many postings (the 추천 일자리 direction).

        The collaborative score is the one :meth:`source_scores` gives for each posting: the seeker's
        applications among that posting's most similar earlier postings, weighted by similarity.
        """
        document = self.lexical.weights[row].toarray().ravel()
        lexical = np.array([float(document[terms].sum()) for terms in query_terms], dtype=np.float32)
        dense = query_vectors @ self.seeker_vectors[row]
        collab = np.zeros(len(queries), dtype=np.float32)
        applied = self.history[:, row].nonzero()[0]
        if len(applied):
            day = max(q.day for q in queries)
            n_past = int(np.searchsorted(self.posting_days, day, side="left"))
            sims = query_vectors @ self.posting_vectors[:n_past].T if n_past else np.zeros((len(queries), 0))
            for i, query in enumerate(queries):
                own = self._row_of_posting.get(query.posting_id) if query.posting_id is not None else None
                if own is not None and own < n_past:
                    sims[i, own] = -np.inf
            k = min(COLLAB_NEIGHBOURS, n_past)
            if k:
                threshold = -np.partition(-sims, k - 1, axis=1)[:, k - 1]
                past_applied = applied[applied < n_past]
                hits = sims[:, past_applied]
                collab = np.where(hits >= threshold[:, None], np.maximum(hits, 0.0), 0.0).sum(axis=1).astype(np.float32)
        rows = np.array([row])
        return np.vstack([self.features(q, rows, {"lexical": lexical[i:i + 1], "dense": dense[i:i + 1],
                                                  "collaborative": collab[i:i + 1]})
                          for i, q in enumerate(queries)]) if queries else np.empty((0, len(FEATURES)))

    def posting_vector(self, posting_id: int) -> np.ndarray | None:
        """The stored vector of a posting known at build time (``None`` for a newer one)."""
        i = self._row_of_posting.get(int(posting_id))
        return None if i is None else self.posting_vectors[i]

    def posting_terms_of(self, posting_id: int) -> np.ndarray | None:
        """The stored BM25 query terms of a posting known at build time (``None`` for a newer one)."""
        i = self._row_of_posting.get(int(posting_id))
        return None if i is None else self.posting_terms[i]

    # ------------------------------------------------------------------ scoring

    def rank(self, features: np.ndarray) -> np.ndarray:
        """Ranking scores (higher first) of a feature matrix."""
        if self.ranker is None:
            raise ValueError("ranker not fitted")
        return self.ranker.booster_.predict(features, num_threads=threads_for_rows(len(features)))

    def hire_probability(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability that the candidate takes the job and is hired."""
        if self.hire_model is None:
            raise ValueError("hire model not fitted")
        return self.hire_model.predict_proba(features)

    def hire_contributions(self, features: np.ndarray) -> pd.DataFrame:
        """Each feature's contribution (log-odds) to the hire probability, per row."""
        if self.hire_model is None:
            raise ValueError("hire model not fitted")
        contributions, _ = self.hire_model.contributions(pd.DataFrame(features, columns=list(FEATURES)))
        return contributions


def _top(values: np.ndarray, k: int, *, positive: bool = False) -> np.ndarray:
    """Positions of the ``k`` largest values (only positive ones when ``positive``)."""
    if not len(values) or k <= 0:
        return np.empty(0, dtype=np.int64)
    k = min(k, len(values))
    top = np.argpartition(-values, k - 1)[:k]
    return top[values[top] > 0] if positive else top


# --------------------------------------------------------------------------- build


def posting_query(row: object, ref: Reference) -> JobQuery:
    """The :class:`JobQuery` of a posting row (``repo.load_match_postings``)."""
    wage = getattr(row, "wage_monthly", None)
    return JobQuery(
        keco_code=str(row.keco_code),
        region_code=str(row.region_code),
        min_career_years=float(row.min_career_years or 0),
        wage_monthly=float(wage) if wage and not pd.isna(wage) else None,
        education=str(row.education or "무관"),
        text=posting_document(row, ref),
        day=day_number(row.open_date),
        posting_id=int(row.id),
        weekly_hours=float(row.weekly_hours) if getattr(row, "weekly_hours", None) else None,
        career_rule=str(getattr(row, "career", "") or "") or None,
        employment_type=str(getattr(row, "employment_type", "") or "") or None,
    )


def _reference_sets(ref: Reference) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    occ = ref.occupations
    skills = {k: frozenset(_split(v)) for k, v in zip(occ["keco_code"], occ["skills"], strict=True)}
    certs = ref.certificates
    by_occ: dict[str, set[str]] = {}
    for cid, codes in zip(certs["certificate_id"], certs["keco_codes"], strict=True):
        for code in _split(codes):
            by_occ.setdefault(code, set()).add(cid)
    return skills, {k: frozenset(v) for k, v in by_occ.items()}


@dataclass
class RankingExamples:
    """Per posting: the candidates' feature matrix, their grades and rows, and every applicant's grade."""

    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    candidates: list[np.ndarray] = field(default_factory=list)
    """Seeker rows of each posting's examples."""
    posting_ids: list[int] = field(default_factory=list)
    grades: dict[int, dict[int, int]] = field(default_factory=dict)
    """Every applicant's grade by posting (including those no source proposed)."""


def fit_matcher_indexes(engine, ref: Reference, seed: int, *, text_encoder: SentenceEncoder | None = None,
                        ) -> tuple[TalentMatcher, pd.DataFrame, list[list[str]], pd.DataFrame]:
    """Indexes of every seeker and posting (no models yet), the postings, their tokens and the history.

    Args:
        engine: The product database.
        ref: Reference tables.
        seed: Seed of the LSA encoder's SVD (and of the dense index's calibration).
        text_encoder: A sentence-transformers model to make the dense vectors from the masked
            documents; ``None``: the LSA encoder fitted on both sides' morphemes.
    """
    seekers = repo.load_match_seekers(engine)
    postings = repo.load_match_postings(engine).sort_values(["open_date", "id"], kind="stable").reset_index(drop=True)
    documents = repo.load_candidate_documents(engine, seekers["id"].tolist())
    duties = documents.set_index("id")["resume_text"].map(duty_line_list)
    seeker_texts = [seeker_document(r, ref, " ".join(duties.get(r.id, []))) for r in seekers.itertuples(index=False)]
    posting_texts = [posting_document(r, ref) for r in postings.itertuples(index=False)]
    seeker_tokens = content_tokens_of_parts([seeker_document_parts(r, ref, duties.get(r.id, []))
                                             for r in seekers.itertuples(index=False)])
    # line by line, like the seekers' records: the same job lines recur across postings
    posting_token_lists = posting_tokens(postings.itertuples(index=False), ref)
    encoder: DenseEncoder | None = None
    if text_encoder is None:
        encoder = DenseEncoder.fit(seeker_tokens + posting_token_lists, dim=DENSE_DIM, seed=seed)
        seeker_vectors, posting_vectors = encoder.encode(seeker_tokens), encoder.encode(posting_token_lists)
    else:  # a transformer reads sentences, not morpheme lists; masked like every text a model sees
        seeker_vectors = text_encoder.encode([mask_pii(t) for t in seeker_texts])
        posting_vectors = text_encoder.encode([mask_pii(t) for t in posting_texts])
    pairs = repo.load_application_pairs(engine)
    side = SeekerSide.from_frame(seekers, pairs.groupby("seeker_id").size(), ref.occupations["keco_code"])
    row_of_seeker = {int(s): i for i, s in enumerate(side.ids)}
    row_of_posting = {int(p): i for i, p in enumerate(postings["id"])}
    known = pairs["seeker_id"].isin(row_of_seeker) & pairs["posting_id"].isin(row_of_posting)
    pairs = pairs[known]
    history = sp.csr_matrix(
        (np.ones(len(pairs), dtype=np.float32),
         (pairs["posting_id"].map(row_of_posting).to_numpy(), pairs["seeker_id"].map(row_of_seeker).to_numpy())),
        shape=(len(postings), len(side.ids)))
    history.data[:] = 1.0
    skills, certificates = _reference_sets(ref)
    matcher = TalentMatcher(
        seekers=side, lexical=Bm25.fit(seeker_tokens), encoder=encoder, seeker_vectors=seeker_vectors,
        posting_ids=postings["id"].to_numpy(np.int64), posting_vectors=posting_vectors,
        posting_days=_days(postings["open_date"]), history=history, ranker=None, hire_model=None,
        posting_terms=[],
        occupation_skills=skills, occupation_certificates=certificates, text_encoder=text_encoder,
        posting_profile=PostingProfile.from_frame(postings))
    matcher.posting_terms = [matcher.lexical.terms(t) for t in posting_token_lists]
    matcher.seeker_index = DenseIndex.build(matcher.seeker_vectors, matcher.seekers.ids, seed=seed)
    return matcher, postings, posting_token_lists, pairs


def grades_by_posting(pairs: pd.DataFrame, feedback: pd.DataFrame | None = None) -> dict[int, dict[int, int]]:
    """posting id → {seeker id: 2 hired, 1 applied or saved by a user}.

    Args:
        pairs: ``posting_id, seeker_id, hired`` of the applications.
        feedback: ``posting_id, seeker_id, action`` of users' saves and dismissals: a saved candidate who did
            not apply counts as relevant (grade 1); a dismissal is a 0 (what every unmarked candidate is), so
            it only lowers a save's grade when both were recorded.
    """
    out: dict[int, dict[int, int]] = {}
    for p, s, hired in zip(pairs["posting_id"].astype(int), pairs["seeker_id"].astype(int), pairs["hired"],
                           strict=True):
        out.setdefault(p, {})[s] = 2 if hired else 1
    if feedback is not None:
        for p, s, action in zip(feedback["posting_id"].astype(int), feedback["seeker_id"].astype(int),
                                feedback["action"], strict=True):
            if action == "save":
                out.setdefault(p, {}).setdefault(s, 1)
    return out


def load_feedback(engine) -> pd.DataFrame:  # noqa: ANN001 - an Engine
    """Users' saves and dismissals, without seekers who opted out (the next build learns from them)."""
    frame = talent_repo.load_all_feedback(engine)
    return frame[~frame["seeker_id"].astype(int).isin(talent_repo.load_opted_out_ids(engine))]


def ranking_examples(matcher: TalentMatcher, postings: pd.DataFrame, tokens: list[list[str]], rows: Sequence[int],
              grades: dict[int, dict[int, int]], ref: Reference, rng: np.random.Generator | None) -> RankingExamples:
    """Features and grades of the candidates of posting ``rows``.

    With ``rng`` (training): every applicant, including those no source proposed, and a sample of the
    non-applicants. Without (evaluation): exactly what the sources propose, so an applicant retrieval
    misses counts as missed.
    """
    out = RankingExamples(grades=grades)
    records = list(postings.itertuples(index=False))
    rows = list(rows)
    for start in range(0, len(rows), EXAMPLE_CHUNK):
        chunk = rows[start:start + EXAMPLE_CHUNK]
        # one matrix product per chunk of postings instead of a matrix-vector product per posting
        vectors = matcher.posting_vectors[chunk]
        dense, posting_sims = vectors @ matcher.seeker_vectors.T, vectors @ matcher.posting_vectors.T
        for j, i in enumerate(chunk):
            _add_example(out, matcher, records[i], tokens[i], matcher.posting_vectors[i], dense[j], posting_sims[j],
                         grades, ref, rng)
    return out


EXAMPLE_CHUNK = 256
"""Postings whose dense scores :func:`ranking_examples` computes at once (256 × 20,000 seekers: 20 MB)."""


def _add_example(out: RankingExamples, matcher: TalentMatcher, record: object, tokens: list[str], vector: np.ndarray,
                 dense: np.ndarray, posting_sims: np.ndarray, grades: dict[int, dict[int, int]], ref: Reference,
                 rng: np.random.Generator | None) -> None:
    """One posting's examples of :func:`ranking_examples` (``dense``, ``posting_sims``: its dense scores)."""
    query = posting_query(record, ref)
    graded = grades.get(int(query.posting_id or 0), {})
    scores = matcher.source_scores(query, tokens, vector, dense=dense, posting_sims=posting_sims)
    cand = matcher.candidates(query, matcher.pool(query.day), scores)
    if rng is not None:
        cand = np.union1d(cand, matcher.rows_of(graded))
    labels = np.array([graded.get(int(s), 0) for s in matcher.seekers.ids[cand]], dtype=np.int8)
    if rng is not None:
        negatives = np.flatnonzero(labels == 0)
        keep = np.sort(np.concatenate([np.flatnonzero(labels > 0),
                                       rng.choice(negatives, size=min(TRAIN_NEGATIVES, len(negatives)),
                                                  replace=False)]))
        cand, labels = cand[keep], labels[keep]
    feats = matcher.features(query, cand, scores.at(cand))
    # a posting's own applications are not history for it
    feats[:, FEATURES.index("activity")] = np.log1p(np.maximum(matcher.seekers.activity[cand] - (labels > 0), 0))
    out.features.append(feats)
    out.labels.append(labels)
    out.candidates.append(cand)
    out.posting_ids.append(int(query.posting_id or 0))


def build_talent_matcher(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: indexes over every seeker, the ranker and the hire model on past applications.

    Postings are split by opening date: the earliest 80 % train both models (the hire model's
    calibration is cross-fitted within them), the last 20 % measure them (``ndcg10`` etc. in the
    manifest are on those, over every candidate the sources propose). The dense vectors come from
    the model of ``GOYONG_TALENT_ENCODER_DIR`` when it is set (:func:`encoder_fingerprint`), else from LSA.

    Raises:
        EncoderUnavailable: The configured model folder is missing or cannot be loaded.
    """
    started = time.perf_counter()
    ref = load_reference()
    encoder_dir = get_settings().talent_encoder_dir
    text_encoder = SentenceEncoder(encoder_dir) if encoder_dir is not None else None
    matcher, postings, tokens, pairs = fit_matcher_indexes(ctx.engine, ref, ctx.seed, text_encoder=text_encoder)
    grades = grades_by_posting(pairs, load_feedback(ctx.engine))
    with_history = [i for i, p in enumerate(matcher.posting_ids) if int(p) in grades]
    cut = int(0.8 * len(with_history))
    rng = np.random.default_rng(ctx.seed)
    train = ranking_examples(matcher, postings, tokens, with_history[:cut], grades, ref, rng)
    test = ranking_examples(matcher, postings, tokens, with_history[cut:], grades, ref, None)
    fit_ranker_and_hire_model(matcher, train, ctx.seed)
    matcher.metrics = evaluate_matcher(matcher, test)
    matcher.metrics["dense_encoder"] = matcher.dense_encoder_label()
    matcher.metrics["dense_dim"] = float(matcher.seeker_vectors.shape[1])
    matcher.metrics["build_seconds"] = round(time.perf_counter() - started, 1)
    index_files = matcher.seeker_index.save(ctx.out_dir / INDEX_NAME) if matcher.seeker_index is not None else ()
    index, matcher.seeker_index = matcher.seeker_index, None  # FAISS objects do not pickle: saved on their own
    dump_object(matcher, ctx.out_dir / MODEL_FILE)
    matcher.seeker_index = index
    return ArtifactResult(files=(MODEL_FILE, *(Path(f).name for f in index_files)), metrics=matcher.metrics)


def fit_ranker_and_hire_model(matcher: TalentMatcher, train: RankingExamples, seed: int) -> None:
    """Fit the lambdarank ranker (grades 0/1/2 per posting) and the calibrated hire model (grade 2)."""
    x = pd.DataFrame(np.vstack(train.features), columns=list(FEATURES))
    y = np.concatenate(train.labels).astype(int)
    ranker = LGBMRanker(**RANKER_PARAMS, random_state=seed, n_jobs=thread_count(), verbose=-1)
    ranker.fit(x, y, group=[len(labels) for labels in train.labels])
    matcher.ranker = ranker
    matcher.hire_model = fit_calibrated_booster(
        x, (y == 2).astype(int), params={"n_estimators": 200, "learning_rate": 0.05, "num_leaves": 15,
                                         "min_child_samples": 50, "n_jobs": thread_count(), "verbose": -1},
        seed=seed, bag_size=0, n_folds=HIRE_CALIBRATION_FOLDS)


HIRE_CALIBRATION_FOLDS = 2
"""Folds whose out-of-fold log-odds calibrate the hire model. Two, not three: 2 boosters on half the rows
instead of 3 on two thirds, 16 CPU-s instead of 29 on the demo world, with the same AUC (0.884) and
ECE (0.0016) on the held-out postings."""

RANKER_PARAMS: dict[str, float | int] = {
    "n_estimators": 150, "learning_rate": 0.1, "num_leaves": 31, "min_child_samples": 40, "subsample": 0.8,
    "subsample_freq": 1, "colsample_bytree": 0.9,
}
"""LightGBM lambdarank settings of the ranker. 150 trees at rate 0.1 rather than 300 at 0.05: half the
CPU (18 s instead of 30 s on the demo world, one thread), and on the held-out postings recall@10 of hires
0.446 against 0.442, of applicants 0.513 against 0.512, nDCG@10 0.493 against 0.489 (same seed; the
standard error of the hires' recall is 0.028). 100 trees at 0.15 lost 0.0025 of nDCG."""


def ndcg_at(labels: np.ndarray, scores: np.ndarray, k: int = 10, *, ideal: np.ndarray | None = None) -> float:
    """nDCG@k with gains ``2^label − 1`` (0 when nothing is relevant).

    Args:
        labels: Grade of each ranked item.
        scores: Their scores (higher first).
        k: Cut-off.
        ideal: Every relevant grade of the query, when some relevant items are not among ``labels``
            (retrieval missed them): the ideal ranking still holds them.
    """
    labels = np.asarray(labels, dtype=float)
    order = np.argsort(-scores, kind="stable")[:k]
    gains = (2.0 ** labels[order] - 1) / np.log2(np.arange(2, len(order) + 2))
    ideal = np.sort(labels if ideal is None else np.asarray(ideal, dtype=float))[::-1][:k]
    best = ((2.0 ** ideal - 1) / np.log2(np.arange(2, len(ideal) + 2))).sum()
    return float(gains.sum() / best) if best > 0 else 0.0


def evaluate_matcher(matcher: TalentMatcher, test: RankingExamples) -> dict[str, float]:
    """nDCG@10, Recall@10 of applicants and of hires, and the hire model's calibration on ``test``
    (applicants and hires the sources did not propose count as missed)."""
    ndcg, recall_apply, recall_hire = [], [], []
    probs, hired = [], []
    # both models score every posting's candidates in one call each (a row's score does not depend on
    # the other rows), then the scores are split by posting
    sizes = [len(feats) for feats in test.features]
    stacked = np.vstack(test.features) if sum(sizes) else np.empty((0, len(FEATURES)))
    bounds = np.cumsum([0, *sizes])
    all_scores = matcher.rank(stacked) if len(stacked) else np.empty(0)
    all_probs = matcher.hire_probability(stacked) if len(stacked) else np.empty(0)
    for n, (feats, labels, posting_id) in enumerate(zip(test.features, test.labels, test.posting_ids, strict=True)):
        graded = test.grades.get(posting_id, {})
        n_applied, has_hire = len(graded), any(g == 2 for g in graded.values())
        score = all_scores[bounds[n]:bounds[n + 1]]
        ndcg.append(ndcg_at(labels, score, ideal=np.array(sorted(graded.values(), reverse=True), dtype=float)))
        top = np.argsort(-score, kind="stable")[:10]
        if n_applied:
            recall_apply.append(float((labels[top] > 0).sum() / n_applied))
        if has_hire:
            recall_hire.append(float((labels[top] == 2).any()))
        if len(feats):
            probs.append(all_probs[bounds[n]:bounds[n + 1]])
            hired.append(labels == 2)
    metrics = {"ndcg10": float(np.mean(ndcg)) if ndcg else 0.0,
               "recall10_applied": float(np.mean(recall_apply)) if recall_apply else 0.0,
               "recall10_hired": float(np.mean(recall_hire)) if recall_hire else 0.0,
               "test_postings": float(len(test.features)), "test_hires": float(len(recall_hire))}
    if probs:
        y = np.concatenate(hired).astype(int)
        if 0 < y.sum() < len(y):
            metrics.update({f"hire_{k}": v for k, v in probability_metrics(y, np.concatenate(probs)).items()})
    return {k: round(v, 4) if not math.isnan(v) else v for k, v in metrics.items()}


def load_talent_matcher(models_dir: Path) -> TalentMatcher:
    """The built matcher with its seeker index (raises ``ArtifactMissing``/``NotReady`` naming the build).

    A matcher built with a sentence-transformers model is refused (``ArtifactMissing``) when that
    model is gone or its files changed since the build: a query encoded by another model would
    be compared with seekers' vectors of a different space, and the ranker learned from the old
    model's similarities. ``python -m app build`` sees the change and rebuilds the matcher.
    """
    matcher: TalentMatcher = load_fitted(models_dir, MODEL_NAME, MODEL_FILE)
    if matcher.text_encoder is not None:
        try:
            matcher.text_encoder.check()
        except EncoderUnavailable:
            raise ArtifactMissing(ENCODER_CHANGED) from None
    matcher.seeker_index = DenseIndex.load(Path(models_dir) / INDEX_NAME)
    return matcher


def encoder_fingerprint() -> str | None:
    """The configured sentence model's fingerprint (``None``: LSA, nothing configured): the build
    rebuilds the matcher when it changes (:attr:`ArtifactSpec.config_fingerprint`).

    Raises:
        EncoderUnavailable: ``GOYONG_TALENT_ENCODER_DIR`` names no model folder.
    """
    encoder_dir = get_settings().talent_encoder_dir
    return None if encoder_dir is None else model_fingerprint(encoder_dir)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="인재추천 모델", build=build_talent_matcher,
                    config_fingerprint=encoder_fingerprint)
"""The talent matcher of 인재 추천 and 추천 일자리."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="인재추천 모델",
    purpose="구인기업과 직업상담사가 공고(또는 찾는 인재를 적은 문장)에 맞는 구직자를, 구직자가 자신에게 맞는 "
            "공고를 찾도록 추천 순위와 채용 성사 가능성을 제시합니다.",
    output="추천 순위, 추천 이유(근거 문장과 출처), 공고 대비 부족한 점, 채용 성사 가능성(%)과 그 주요 요인, "
           "후보 요약(기본은 기록으로 만든 문장, 언어모델 서버를 설정하면 그 모델이 쓰되 기록에 없는 내용은 빼고 표시)과 "
           "면접 질문",
    shown_on=("talent", "seeker_jobs", "employment_profile"),
    criteria=tuple(FEATURE_LABELS[f] for f in FEATURES),
    not_used="성별, 나이, 장애 여부, 이름·연락처·주소는 읽지도 쓰지도 않습니다.",
    training_data="과거 공고별 지원(1등급)과 채용(2등급) 기록, 사용자의 저장·제외 표시(다음 빌드부터)",
    human_oversight="추천은 참고 자료입니다. 연락과 채용 결정은 사람이 하며, 구직자가 상담 요청을 수락하기 전에는 "
                    "신원이 공개되지 않습니다.",
    contest="추천에서 빠지고 싶은 구직자는 '내 정보 공개'에서 언제든 추천 제외를 선택할 수 있습니다.",
    limits="이력서에 적지 않은 경력·기술은 반영되지 않습니다. 합성 데이터로 학습되어 실제 채용 시장과 다를 수 있습니다.",
    quality_metrics=("ndcg10", "recall10_applied", "recall10_hired", "hire_auc", "hire_ece"),
    fairness_note="보호 속성을 입력으로 쓰지 않습니다.",
)
"""Transparency notice of the talent matcher."""

__all__ = [
    "CARD", "EDUCATION_SCALE", "FEATURES", "FEATURE_LABELS", "MODEL_NAME", "MODEL_VERSION", "SPEC", "JobQuery", "TalentMatcher",
    "build_talent_matcher", "content_tokens", "encoder_fingerprint", "load_talent_matcher", "ndcg_at", "posting_query",
]
