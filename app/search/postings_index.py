"""Similar postings: the most similar postings of the same occupation family, through FAISS.

What "similar" means here:

* **Text** — ``title + duties + requirements`` as character n-grams (``char_wb``, 2–4): Korean
  postings share word stems more reliably than whole tokens, and no tokenizer or neural model is
  needed (the packaged MiniLM clusters Korean by script, not meaning: stack-notes §5e). TF-IDF is
  reduced to :data:`TEXT_DIM` dimensions by TruncatedSVD; only the projection
  ``W = components_.T`` is kept, so one posting is encoded as ``tfidf @ W`` (≈1 ms, §5f).
* **Structure** — standardized log full-time-equivalent monthly wage, standardized weekly hours
  (both clipped at ±3 SD) and one-hot employment type, career and education.

Weighting: the text block is L2-normalised (norm 1); the structure block is scaled by one global
factor so that its *mean squared norm over the indexed postings* is :data:`STRUCTURE_WEIGHT` (0.3).
After concatenation the whole vector is L2-normalised, so the inner product of two postings is
roughly ``(cos_text + 0.3 · structure agreement) / 1.3``: text decides, conditions break ties
and separate otherwise similar ads. Within the structure block the five parts count alike
(each numeric has unit variance, each one-hot group has norm 1), so a mismatch in one category
weighs about as much as a 1.4 SD difference in log wage.

Family restriction: all postings sit in **one** ``faiss.IndexFlatIP`` whose rows are sorted by
family (first two digits of ``keco_code``, KECO 중분류) and posting id, so each family is a
contiguous row range; a query searches only its family's range with ``faiss.IDSelectorRange``
(exact, and faster than scanning the whole index). One file, exact results, and every result is
of the query's family by construction. Exact flat search is right at this scale (≤100k postings,
stack-notes §5c).

Duplicates: re-posted ads (``posting_labels`` rule ``DUPLICATE``) are kept in the results — they
are real postings with their own outcomes — and :func:`load_similar_postings` marks them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import Engine

from app.db.repositories import postings as posting_repo
from app.db.repositories import training
from app.db.repositories.postings import load_duplicate_labels
from app.errors import NotFound
from app.labour import full_time_equivalent
from app.ml import manifest
from app.ml.manifest import ArtifactMissing, ArtifactResult, ArtifactSpec, BuildContext, dump_object, load_object
from app.ml.model_card import ModelCard
from app.threads import threads_for_rows

ARTIFACT_NAME = "postings_index"
ARTIFACT_VERSION = "1.0"
INDEX_FILE = "postings_index.faiss"
ENCODER_FILE = "postings_index_encoder.joblib"
ROWS_FILE = "postings_index_rows.parquet"

TEXT_DIM = 128
"""Dimensions of the SVD text vector."""
STRUCTURE_WEIGHT = 0.3
"""Mean squared norm of the structure block relative to the unit-norm text block."""
MAX_FEATURES = 50_000
SVD_RANDOM_STATE = 0
Z_CLIP = 3.0
DEFAULT_K = 10
FAMILY_DIGITS = 2
"""KECO 중분류 = first two digits of the 3-digit 소분류 ``keco_code``: the "occupation family"."""

TEXT_COLUMNS: tuple[str, ...] = ("title", "duties", "requirements")
CATEGORY_COLUMNS: tuple[str, ...] = ("employment_type", "career", "education")
INPUT_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, "wage_fte", "weekly_hours", *CATEGORY_COLUMNS)
"""Columns :class:`PostingVectorizer` reads (``wage_fte`` = full-time-equivalent monthly KRW)."""

SIMILAR_COLUMNS: tuple[str, ...] = (
    "rank",
    "id",
    "title",
    "employer_name",
    "keco_code",
    "wage_type",
    "wage_amount",
    "wage_monthly",
    "weekly_hours",
    "employment_type",
    "filled",
    "filled_30d",
    "days_to_fill",
    "n_applications",
    "duplicate_of",
)
"""Columns of :func:`load_similar_postings` (plus ``duplicate_of_query`` when a query id is given)."""


class PostingNotIndexed(NotFound):
    """The posting is not in the built index (e.g. written after the last build)."""


def family_of(keco_code: str) -> str:
    """Occupation family (KECO 중분류, two digits) of a KECO code.

    Raises:
        ValueError: When the code does not start with two digits.
    """
    code = str(keco_code).strip()
    if len(code) < FAMILY_DIGITS or not code[:FAMILY_DIGITS].isdigit():
        raise ValueError(f"직업분류 코드(KECO)는 숫자 2자리 이상이어야 합니다 (입력값: '{keco_code}')")
    return code[:FAMILY_DIGITS]


def _posting_text(frame: pd.DataFrame) -> list[str]:
    parts = [frame[c].fillna("").astype(str) for c in TEXT_COLUMNS]
    return (parts[0] + "\n" + parts[1] + "\n" + parts[2]).tolist()


def _l2_normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


class PostingVectorizer(TransformerMixin, BaseEstimator):
    """Posting → unit vector of text (TF-IDF char n-grams + SVD) and structure features.

    Follows scikit-learn's rules: ``fit`` returns self, fitted attributes end in ``_``. Input is a
    DataFrame with :data:`INPUT_COLUMNS`. Categories not seen in ``fit`` encode as all-zero
    one-hots (a legal value absent from a small world must not fail a query).

    Args:
        text_dim: SVD dimensions (reduced when the vocabulary or corpus is smaller).
        structure_weight: Mean squared norm of the structure block (text block has norm 1).
        max_features: TF-IDF vocabulary cap.
        random_state: Seed of the randomized SVD.
    """

    def __init__(
        self,
        text_dim: int = TEXT_DIM,
        structure_weight: float = STRUCTURE_WEIGHT,
        max_features: int = MAX_FEATURES,
        random_state: int = SVD_RANDOM_STATE,
    ) -> None:
        self.text_dim = text_dim
        self.structure_weight = structure_weight
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, frame: pd.DataFrame, y: None = None) -> PostingVectorizer:
        """Learn the vocabulary, the SVD projection and the structure scaling."""
        self.fit_transform(frame)
        return self

    def fit_transform(self, frame: pd.DataFrame, y: None = None) -> np.ndarray:
        """Fit on ``frame`` and return its vectors (float32, unit rows)."""
        texts = _posting_text(frame)
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=2, max_features=self.max_features,
            sublinear_tf=True, dtype=np.float32,
        )
        tfidf = self.vectorizer_.fit_transform(texts)
        n_components = max(1, min(self.text_dim, tfidf.shape[1] - 1, tfidf.shape[0] - 1))
        svd = TruncatedSVD(n_components=n_components, random_state=self.random_state).fit(tfidf)
        # Only W is kept: `svd.transform` on one row costs ~30 ms through the transposed
        # components, `tfidf @ W` on a C-contiguous W under 1 ms with the same result (§5f).
        self.projection_ = np.ascontiguousarray(svd.components_.T, dtype=np.float32)
        self.explained_variance_ = float(svd.explained_variance_ratio_.sum())
        log_wage = np.log(np.clip(frame["wage_fte"].to_numpy(float), 1.0, None))
        hours = frame["weekly_hours"].to_numpy(float)
        self.log_wage_mean_, self.log_wage_std_ = float(log_wage.mean()), float(log_wage.std() or 1.0)
        self.hours_mean_, self.hours_std_ = float(hours.mean()), float(hours.std() or 1.0)
        self.categories_ = {c: tuple(sorted(frame[c].astype(str).unique())) for c in CATEGORY_COLUMNS}
        raw = self._raw_structure(frame)
        mean_sq = float((raw**2).sum(axis=1).mean()) if len(raw) else 1.0
        self.structure_scale_ = float(np.sqrt(self.structure_weight / mean_sq)) if mean_sq > 0 else 0.0
        return self._combine(tfidf, raw)

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Vectors of ``frame`` (float32, unit rows, :attr:`dim` columns)."""
        tfidf = self.vectorizer_.transform(_posting_text(frame))
        return self._combine(tfidf, self._raw_structure(frame))

    def transform_one(
        self,
        title: str,
        duties: str,
        requirements: str,
        wage_fte: float,
        weekly_hours: float,
        employment_type: str,
        career: str,
        education: str,
    ) -> np.ndarray:
        """Vector of one posting, shape ``(1, dim)``; same result as :meth:`transform`.

        The interactive path: no DataFrame (building one costs more than the TF-IDF itself).
        """
        tfidf = self.vectorizer_.transform([f"{title or ''}\n{duties or ''}\n{requirements or ''}"])
        raw = self._structure_block(
            np.array([wage_fte], dtype=float), np.array([weekly_hours], dtype=float),
            {"employment_type": np.array([str(employment_type)]), "career": np.array([str(career)]),
             "education": np.array([str(education)])},
        )
        return self._combine(tfidf, raw)

    @property
    def dim(self) -> int:
        """Length of an encoded vector."""
        return self.projection_.shape[1] + 2 + sum(len(v) for v in self.categories_.values())

    def _raw_structure(self, frame: pd.DataFrame) -> np.ndarray:
        return self._structure_block(
            frame["wage_fte"].to_numpy(float), frame["weekly_hours"].to_numpy(float),
            {c: frame[c].astype(str).to_numpy() for c in CATEGORY_COLUMNS},
        )

    def _structure_block(self, wage_fte: np.ndarray, hours: np.ndarray, categories: dict[str, np.ndarray]) -> np.ndarray:
        """Unscaled structure features: clipped z of log FTE wage and of hours, then one-hots."""
        log_wage = np.log(np.clip(wage_fte, 1.0, None))
        z_wage = np.clip((log_wage - self.log_wage_mean_) / self.log_wage_std_, -Z_CLIP, Z_CLIP)
        z_hours = np.clip((hours - self.hours_mean_) / self.hours_std_, -Z_CLIP, Z_CLIP)
        blocks = [z_wage[:, None], z_hours[:, None]]
        for column in CATEGORY_COLUMNS:
            known = np.asarray(self.categories_[column])
            blocks.append((categories[column][:, None] == known[None, :]).astype(float))
        return np.hstack(blocks)

    def _combine(self, tfidf: sparse.csr_matrix, raw_structure: np.ndarray) -> np.ndarray:
        text = _l2_normalise(np.asarray(tfidf @ self.projection_, dtype=np.float32))
        structure = (raw_structure * self.structure_scale_).astype(np.float32)
        return np.ascontiguousarray(_l2_normalise(np.hstack([text, structure])), dtype=np.float32)


# --------------------------------------------------------------------------- build


def load_index_postings(engine: Engine) -> pd.DataFrame:
    """Every posting's text and conditions, with its FTE wage and family, sorted for the index."""
    frame = training.load_index_rows(engine)
    frame["keco_code"] = frame["keco_code"].astype(str)
    frame["family"] = frame["keco_code"].str[:FAMILY_DIGITS]
    frame["wage_fte"] = full_time_equivalent(frame["wage_monthly"].to_numpy(float), frame["weekly_hours"].to_numpy(float))
    return frame.sort_values(["family", "posting_id"], kind="stable").reset_index(drop=True)


def compute_index_quality(index: PostingsIndex, duplicates: pd.DataFrame, k: int = DEFAULT_K) -> dict[str, float]:
    """Quality figures of a built index, from observed data only.

    * ``same_occupation_top{k}`` — mean share of a posting's top-k neighbours with its KECO 소분류,
      over postings in families with more than one 소분류 (in one-소분류 families it is 1 trivially);
      ``same_occupation_random`` is the same share if the neighbours were drawn at random from the
      family (the baseline it must beat).
    * ``duplicate_source_top1`` / ``top3`` — share of labelled duplicates (``posting_labels``
      ``DUPLICATE``) whose source posting is the first / among the first three neighbours.
    """
    rows = index.rows
    keco = rows["keco_code"].to_numpy()
    shares, baselines = [], []
    for start, stop in index.family_ranges.values():
        members = keco[start:stop]
        if stop - start < 2 or len(set(members)) < 2:
            continue
        _, labels = index._search_range(index._vectors(start, stop), start, stop, min(k + 1, stop - start))
        counts = pd.Series(members).value_counts()
        for i, row_labels in enumerate(labels):
            neighbours = [r for r in row_labels if r >= 0 and r != start + i][:k]
            shares.append(np.mean(keco[neighbours] == members[i]))
            baselines.append((counts[members[i]] - 1) / (stop - start - 1))
    metrics = {
        f"same_occupation_top{k}": float(np.mean(shares)) if shares else 1.0,
        "same_occupation_random": float(np.mean(baselines)) if baselines else 1.0,
        "same_occupation_queries": float(len(shares)),
    }
    known = duplicates[duplicates["posting_id"].isin(index.row_of) & duplicates["duplicate_of"].isin(index.row_of)]
    metrics["n_duplicates"] = float(len(known))
    if len(known):
        ranks = []
        for dup, source in zip(known["posting_id"], known["duplicate_of"], strict=True):
            found = index.similar_to_posting(int(dup), k=k)
            ranks.append(found.index(int(source)) + 1 if int(source) in found else k + 1)
        ranks_arr = np.asarray(ranks)
        metrics["duplicate_source_top1"] = float(np.mean(ranks_arr <= 1))
        metrics["duplicate_source_top3"] = float(np.mean(ranks_arr <= 3))
    return metrics


def build_postings_index(ctx: BuildContext) -> ArtifactResult:
    """Fit the posting vectorizer, index every posting and grade the index.

    Writes :data:`ENCODER_FILE` (joblib), :data:`INDEX_FILE` (faiss) and :data:`ROWS_FILE`
    (posting id, KECO code and family per index row) into ``ctx.out_dir``.

    Returns:
        The files and metrics (size, build seconds, same-소분류 share of neighbours vs random,
        recall of labelled duplicates' sources).
    """
    started = time.perf_counter()
    postings = load_index_postings(ctx.engine)
    if postings.empty:
        raise ValueError("공고가 없어 유사 공고 색인을 만들 수 없습니다. 먼저 세계를 생성하세요.")
    vectorizer = PostingVectorizer()
    vectors = vectorizer.fit_transform(postings)
    faiss_index = faiss.IndexFlatIP(vectors.shape[1])
    faiss_index.add(vectors)
    rows = postings[["posting_id", "keco_code", "family"]].reset_index(drop=True)
    out = Path(ctx.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Write beside, then rename: a server loading during a rebuild never reads a half-written
    # file (a new encoder with an old index is caught by the dimension/row checks in __init__).
    staged = {name: out / f".{name}.tmp" for name in (ENCODER_FILE, INDEX_FILE, ROWS_FILE)}
    dump_object(vectorizer, staged[ENCODER_FILE])
    faiss.write_index(faiss_index, str(staged[INDEX_FILE]))
    rows.to_parquet(staged[ROWS_FILE], index=False)
    for name, path in staged.items():
        os.chmod(path, 0o644)
        os.replace(path, out / name)
    build_seconds = time.perf_counter() - started

    index = PostingsIndex(vectorizer, faiss_index, rows)
    metrics: dict[str, float] = {
        "n_postings": float(len(rows)),
        "n_families": float(len(index.family_ranges)),
        "dim": float(vectors.shape[1]),
        "vocabulary": float(len(vectorizer.vectorizer_.vocabulary_)),
        "svd_explained_variance": round(vectorizer.explained_variance_, 4),
        "build_seconds": round(build_seconds, 2),  # load + fit + index + write (grading excluded)
    }
    metrics.update({k: round(v, 4) for k, v in compute_index_quality(index, load_duplicate_labels(ctx.engine)).items()})
    return ArtifactResult(files=(ENCODER_FILE, INDEX_FILE, ROWS_FILE), metrics=metrics)


SPEC = ArtifactSpec(name=ARTIFACT_NAME, version=ARTIFACT_VERSION, title="유사 공고 검색 색인", build=build_postings_index)
"""The similar-postings index."""

CARD = ModelCard(
    name=ARTIFACT_NAME,
    title="유사 공고 검색 색인",
    purpose="채용 시뮬레이터에서 구인기업이 자기 공고와 비슷한 다른 공고의 조건과 채용 결과를 비교해 볼 수 있게 합니다.",
    output="같은 직종군에서 내용과 조건이 가장 비슷한 공고 목록(유사도, 임금·근로시간 등 조건, 채용 결과, 중복 게시 표시).",
    shown_on=("hiring",),
    criteria=("직무명·담당 업무·자격 요건의 글자 조각(2~4글자)", "주 40시간 환산 월급과 주당 근로시간",
              "고용형태·경력·학력 요건", "같은 직종군(KECO 중분류) 안에서만 검색"),
    not_used="공고 내용만 씁니다. 지원자·구직자의 정보는 쓰지 않습니다.",
    training_data="가상 세계의 모든 구인공고(직무명, 담당 업무, 자격 요건, 근로조건)로 글자 조각의 가중치를 정하고 색인을 "
                  "만들었습니다.",
    human_oversight="비교용 참고 목록이며 이 목록으로 결정되는 일은 없습니다. 어떤 공고를 참고할지는 구인기업 담당자가 "
                    "판단합니다.",
    contest="비슷하지 않은 공고가 보이면 관할 고용센터에 공고 번호와 화면을 본 시각을 알려 주세요.",
    limits="글자가 비슷한 공고를 찾으므로 같은 뜻을 다른 말로 쓴 공고는 놓칠 수 있습니다.",
    quality_metrics=("same_occupation_top10", "same_occupation_random", "duplicate_source_top1", "n_postings"),
    fairness_note="사람에 대한 판단이 아니라 공고끼리의 비교라 집단별 공정성 지표는 해당하지 않습니다.",
)
"""Transparency notice of the similar-postings index (:mod:`app.ml.model_card`)."""


# --------------------------------------------------------------------------- query


class PostingsIndex:
    """Loaded similar-postings index: read-only, safe to share between threads once built.

    Use :meth:`load`; the constructor is for the builder and tests.

    Args:
        vectorizer: Fitted :class:`PostingVectorizer`.
        index: ``faiss.IndexFlatIP`` whose rows follow ``rows``.
        rows: ``posting_id``, ``keco_code``, ``family`` per index row, sorted by family.
    """

    def __init__(self, vectorizer: PostingVectorizer, index: faiss.Index, rows: pd.DataFrame) -> None:
        if index.ntotal != len(rows) or index.d != vectorizer.dim:
            raise ArtifactMissing(
                f"유사 공고 색인 파일이 서로 맞지 않습니다. `{manifest.BUILD_COMMAND} --force`로 다시 만드세요."
            )
        self.vectorizer = vectorizer
        self.index = index
        self.rows = rows.reset_index(drop=True)
        self.ids = self.rows["posting_id"].to_numpy(np.int64)
        self.row_of: dict[int, int] = {int(pid): i for i, pid in enumerate(self.ids)}
        families = self.rows["family"].astype(str).to_numpy()
        if len(families) and np.any(families[1:] < families[:-1]):
            raise ArtifactMissing(f"유사 공고 색인이 정렬되어 있지 않습니다. `{manifest.BUILD_COMMAND} --force`로 다시 만드세요.")
        self.family_ranges: dict[str, tuple[int, int]] = {}
        for family in pd.unique(families):
            hits = np.flatnonzero(families == family)
            self.family_ranges[str(family)] = (int(hits[0]), int(hits[-1]) + 1)

    @classmethod
    def load(cls, models_dir: Path) -> PostingsIndex:
        """Load the built index from ``models_dir`` (only our own build output: joblib unpickles).

        Raises:
            ArtifactMissing: When the manifest entry or a file is missing, or was built by another
                version of the builder; the message names ``python -m app build``.
        """
        models_dir = Path(models_dir)
        paths = {f: manifest.artifact_path(models_dir, ARTIFACT_NAME, f) for f in (ENCODER_FILE, INDEX_FILE, ROWS_FILE)}
        entry = (manifest.load_manifest(models_dir) or {}).get("models", {}).get(ARTIFACT_NAME, {})
        if entry.get("version") != ARTIFACT_VERSION:
            raise ArtifactMissing(
                f"'{ARTIFACT_NAME}' 색인이 이전 형식(버전 {entry.get('version')})입니다. "
                f"`{manifest.BUILD_COMMAND}`를 실행하세요."
            )
        # One thread: a flat scan of one family is microseconds, and OpenMP start-up on 2 cores
        # costs more than it saves for single queries (stack-notes §5c). Process-wide setting.
        faiss.omp_set_num_threads(threads_for_rows(1))
        return cls(
            load_object(paths[ENCODER_FILE]),
            faiss.read_index(str(paths[INDEX_FILE])),
            pd.read_parquet(paths[ROWS_FILE]),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def similar_to_posting(self, posting_id: int, k: int = DEFAULT_K) -> list[int]:
        """Ids of the ``k`` most similar postings of the same family, most similar first.

        The posting itself is never returned; its re-posts (duplicates) are, and usually first.

        Raises:
            PostingNotIndexed: When the posting is not in the index (use :meth:`similar_to_text`).
        """
        return [pid for pid, _ in self.scored_similar_to_posting(posting_id, k)]

    def scored_similar_to_posting(self, posting_id: int, k: int = DEFAULT_K) -> list[tuple[int, float]]:
        """Like :meth:`similar_to_posting`, with the cosine score of each result."""
        row = self.row_of.get(int(posting_id))
        if row is None:
            raise PostingNotIndexed(
                f"공고 {posting_id}번은 유사 공고 색인에 없습니다 (마지막 빌드 이후 등록된 공고). "
                f"`{manifest.BUILD_COMMAND}`로 색인을 다시 만드세요."
            )
        start, stop = self.family_ranges[str(self.rows.at[row, "family"])]
        scores, labels = self._search_range(self._vectors(row, row + 1), start, stop, min(k + 1, stop - start))
        found = [(int(self.ids[r]), float(s)) for r, s in zip(labels[0], scores[0], strict=True) if r >= 0 and r != row]
        return found[:k]

    def similar_to_text(
        self,
        title: str,
        duties: str,
        requirements: str,
        keco_code: str,
        wage_monthly_fte: float,
        weekly_hours: float,
        employment_type: str,
        career: str,
        education: str,
        k: int = DEFAULT_K,
    ) -> list[tuple[int, float]]:
        """The ``k`` indexed postings most similar to a new posting, with cosine scores.

        Args:
            title: Posting title.
            duties: 담당 업무.
            requirements: 자격 요건.
            keco_code: KECO code of the new posting; its first two digits choose the family.
            wage_monthly_fte: Full-time-equivalent monthly wage in KRW
                (see :func:`app.labour.full_time_equivalent`).
            weekly_hours: Scheduled weekly hours.
            employment_type: 정규직 | 계약직 | 시간제 | 일용직.
            career: 신입 | 경력무관 | 경력.
            education: 무관 | 고졸 | 전문대졸 | 대졸 | 석사.
            k: Number of results.

        Returns:
            ``(posting_id, score)`` pairs, best first; empty when no indexed posting is of that family.

        Raises:
            ValueError: For a malformed KECO code or a non-positive wage or hours (Korean message).
        """
        family = family_of(keco_code)
        if not np.isfinite(wage_monthly_fte) or wage_monthly_fte <= 0:
            raise ValueError(f"월 환산 임금은 0보다 커야 합니다 (입력값: {wage_monthly_fte})")
        if not np.isfinite(weekly_hours) or weekly_hours <= 0:
            raise ValueError(f"주당 근로시간은 0보다 커야 합니다 (입력값: {weekly_hours})")
        if family not in self.family_ranges:
            return []
        vector = self.vectorizer.transform_one(
            title, duties, requirements, float(wage_monthly_fte), float(weekly_hours), employment_type, career, education
        )
        start, stop = self.family_ranges[family]
        scores, labels = self._search_range(vector, start, stop, min(k, stop - start))
        return [(int(self.ids[r]), float(s)) for r, s in zip(labels[0], scores[0], strict=True) if r >= 0]

    def _vectors(self, start: int, stop: int) -> np.ndarray:
        return self.index.reconstruct_n(start, stop - start)

    def _search_range(self, queries: np.ndarray, start: int, stop: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k among index rows ``[start, stop)`` (one family)."""
        params = faiss.SearchParameters(sel=faiss.IDSelectorRange(start, stop))
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)


# --------------------------------------------------------------------------- display rows


def load_similar_postings(engine: Engine, ids: Sequence[int], *, query_id: int | None = None) -> pd.DataFrame:
    """Display rows of ranked postings with their conditions and outcomes, in the given order.

    Args:
        engine: Product database (read only).
        ids: Posting ids, best first (from :class:`PostingsIndex`).
        query_id: The posting the ids are similar to; adds ``duplicate_of_query`` (True when a
            ``DUPLICATE`` label links the row and the query, or both re-post the same source).

    Returns:
        :data:`SIMILAR_COLUMNS`: ``rank`` (1 = most similar), posting ``id``, title, employer name,
        wage type/amount, monthly wage, weekly hours, employment type, outcome (``filled``,
        ``filled_30d``, ``days_to_fill``, ``n_applications``; missing when the posting has no
        outcome yet) and ``duplicate_of`` (source posting when the row is a labelled re-post).
        Ids not in the database are dropped.
    """
    ids = list(dict.fromkeys(int(i) for i in ids))
    frame = posting_repo.load_listing_rows(engine, ids)
    labels = load_duplicate_labels(engine, ids + ([int(query_id)] if query_id is not None else []))
    source_of = {int(p): int(s) for p, s in zip(labels["posting_id"], labels["duplicate_of"], strict=True)}

    order = {pid: rank for rank, pid in enumerate(ids, start=1)}
    frame["rank"] = frame["id"].map(order)
    frame = frame.sort_values("rank").reset_index(drop=True)
    frame["duplicate_of"] = pd.array([source_of.get(int(i)) for i in frame["id"]], dtype="Int64")
    for column in ("filled", "filled_30d"):
        frame[column] = pd.array([None if pd.isna(v) else bool(v) for v in frame[column]], dtype="boolean")
    for column in ("days_to_fill", "n_applications"):
        frame[column] = pd.array([None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64")
    frame = frame[list(SIMILAR_COLUMNS)]
    if query_id is not None:
        query_source = source_of.get(int(query_id))
        frame["duplicate_of_query"] = [
            source_of.get(int(pid)) == int(query_id)
            or (query_source is not None and (int(pid) == query_source or source_of.get(int(pid)) == query_source))
            for pid in frame["id"]
        ]
    return frame
