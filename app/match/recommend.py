"""One hybrid recommender for both directions of matching: jobs for a candidate, candidates for a job.

Why hybrid: on a real job board the two sides rarely share words (résumés are Korean keywords,
postings are often opaque keyword codes), so text similarity between a candidate and a job is weak
on its own. Past applications link the two vocabularies: a candidate's profile in job space is the
average of the jobs they applied to, a job's profile in candidate space the average of its
applicants. Collaborative signals (co-application between jobs, similar candidates) carry most of
the signal where history exists; text and structured fit (occupation, region, career, wage) carry
it for newcomers.

How it ranks:

1. **Candidate generation** — for each query, the top items of every source (direct text
   similarity, profile similarity both ways, item-kNN and user-kNN collaborative filtering, users
   with similar text, popularity), union, minus the pairs already in the history.
2. **Learning to rank** — with a history, a LightGBM lambdarank model is trained on the history
   itself: a fifth of each candidate's applications is held out, the features are computed from the
   rest, and the held-out pairs are the positives. The model is then applied to features computed
   from the whole history. Without a history (nothing to learn from) the sources are blended with
   fixed weights.

Everything is computed a block of queries at a time, so memory follows the block, not the square
of the sides. Randomness (the held-out split, LightGBM) is seeded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from app.reference.names import occupation_names
from app.threads import thread_count, threads_for_rows

MODEL_VERSION = "1.0"
"""Version of the method (the model itself is trained on each run's own history)."""
SEED = 20261206
BLOCK = 256
"""Queries scored at a time (each source is a dense block × items matrix of float32). These blocks are
the command's peak memory: at 10,000 × 10,000 with 50,000 applications 256 peaks at 0.73 GB against
1.22 GB for 512, in the same time and with the same Recall@5 (``bench/match_quality.py``)."""
PER_SOURCE = 30
"""Items each source proposes per query before the ranker sees them."""
NEIGHBOURS = 50
RP3_BETA = 0.5
"""Popularity damping of the RP3beta walk (0: plain two-step walk; the usual range is 0.3–0.7)."""
"""Neighbours kept per query in the user-kNN sources."""
HOLDOUT_SHARE = 0.2
"""Share of each candidate's applications held out to train the ranker (the evaluation's split)."""
MAX_TRAIN_QUERIES = 4_000
"""Queries the ranker trains on (sampled; enough for a stable model, bounded time)."""
TRAIN_NEGATIVE_SHARE = 0.35
"""Share of each training query's negative candidates kept (every positive is kept)."""

_SPLIT = re.compile(r"[\s,;|/·]+")
SOURCES = ("text", "fit", "item_profile", "query_profile", "item_cf", "item_rp3", "user_cf", "text_users", "popular")
"""Candidate sources; each is also a feature (its score and its rank)."""
COSINE_SOURCES = frozenset({"text", "item_profile", "query_profile"})
"""Sources whose score is a cosine (kept as is); the others are counts, scaled to the query's best."""
STRUCTURED = ("occupation_match", "region_match", "career_gap", "career_short", "wage_ratio")
FEATURES = (*(f"{s}_score" for s in SOURCES), *(f"{s}_rank" for s in SOURCES if s != "popular"),
            *STRUCTURED, "query_history", "item_history")
FALLBACK_WEIGHTS = {"text_score": 1.0, "fit_score": 0.6, "popular_score": 0.05, "career_short": -0.1,
                    "text_users_score": 0.3}
"""Blend used when there is no history to learn from (cosines as they are, the rest scaled to the query's best)."""


@dataclass(frozen=True)
class Side:
    """One side of the matching (candidates or jobs), column-wise.

    Attributes:
        ids: Row ids as given.
        text: Free text, keyword lists or code tokens.
        occupation: Occupation code or name ("" when unknown).
        region: Region name or code ("" when unknown).
        career_months: Career (candidates) or required career (jobs) in months; NaN when unknown.
        wage: Desired (candidates) or offered (jobs) monthly wage in 원; NaN when unknown.
    """

    ids: list[str]
    text: list[str]
    occupation: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    career_months: np.ndarray = field(default_factory=lambda: np.zeros(0))
    wage: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n = len(self.ids)
        if not self.occupation:
            object.__setattr__(self, "occupation", [""] * n)
        if not self.region:
            object.__setattr__(self, "region", [""] * n)
        if len(self.career_months) != n:
            object.__setattr__(self, "career_months", np.full(n, np.nan))
        if len(self.wage) != n:
            object.__setattr__(self, "wage", np.full(n, np.nan))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Recommendations:
    """Ranked items per query: ``query_id, rank, item_id, score`` (rank 1 first)."""

    table: pd.DataFrame
    learned: bool
    """Whether a ranker was trained on the history (else the fixed blend ranked)."""


def tokens(text: str) -> list[str]:
    """Word and code tokens of a text: split on spaces and list separators, lower-cased."""
    return [t for t in _SPLIT.split(str(text or "").lower()) if t]


def _occupation_label(value: str) -> str:
    """An occupation as a comparable label: a KECO 소분류 code becomes its name, so a name on one side
    meets a code on the other ("occupation may be a name rather than a KECO code")."""
    value = str(value or "").strip()
    if value.isdigit():
        value = occupation_names(value)[0]  # an unknown code stays itself
    return re.sub(r"[\s()·,./-]+", "", value).lower()


def _region_key(value: str) -> str:
    """First word of a region ("서울 강남구" → "서울"; a code keeps its first two digits)."""
    value = str(value or "").strip()
    if not value:
        return ""
    if value.isdigit():
        return value[:2]
    return value.split()[0][:2]


class _TextSpace:
    """Both sides' texts as dense vectors of one latent space (LSA: TF-IDF, then a truncated SVD).

    TF-IDF of word/code tokens plus character bigrams of words (Korean words inflect and compound:
    "지게차운전" still meets "지게차"). Why the SVD: products of character n-gram vectors are nearly
    dense, and scipy multiplied them as sparse matrices at a third of a minute per 3,000 queries;
    dense products of 128-dimensional vectors take milliseconds, and the latent space also joins
    codes that co-occur.
    """

    def __init__(self, texts: Sequence[str], dimensions: int = 128) -> None:
        from sklearn.decomposition import TruncatedSVD

        texts = [str(t or "") for t in texts]
        words = TfidfVectorizer(tokenizer=tokens, lowercase=False, token_pattern=None, min_df=1,
                                sublinear_tf=True, dtype=np.float32)
        parts = [words.fit_transform(texts)]
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 2), min_df=2, sublinear_tf=True,
                                max_features=100_000, dtype=np.float32)
        try:
            parts.append(chars.fit_transform(texts) * 0.7)
        except ValueError:  # nothing repeats (tiny inputs)
            pass
        matrix = normalize(sp.hstack(parts, format="csr").astype(np.float32))
        rank = min(dimensions, min(matrix.shape) - 1)
        if rank >= 2:
            svd = TruncatedSVD(n_components=rank, algorithm="randomized", n_iter=4, random_state=SEED)
            dense = svd.fit_transform(matrix)
        else:
            dense = matrix.toarray()
        self.vectors = normalize(np.asarray(dense, dtype=np.float32))

    def split(self, n_first: int) -> tuple[np.ndarray, np.ndarray]:
        """(first ``n_first`` rows, the rest): the queries' and the items' vectors."""
        return self.vectors[:n_first], self.vectors[n_first:]


def _history_matrix(pairs: pd.DataFrame, queries: Side, items: Side) -> sp.csr_matrix:
    """Binary queries × items matrix of the history (pairs with an unknown id are ignored)."""
    q_index = {q: i for i, q in enumerate(queries.ids)}
    i_index = {v: j for j, v in enumerate(items.ids)}
    rows = pairs["query_id"].map(q_index)
    cols = pairs["item_id"].map(i_index)
    keep = rows.notna() & cols.notna()
    data = np.ones(int(keep.sum()), dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows[keep].astype(int), cols[keep].astype(int))), shape=(len(queries), len(items)))
    matrix.data[:] = 1.0  # repeated pairs count once
    return matrix


def _top_rows(matrix: sp.csr_matrix | np.ndarray, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row (a dense block or a sparse matrix)."""
    dense = matrix.toarray() if sp.issparse(matrix) else np.asarray(matrix)
    if dense.shape[1] <= k:
        return sp.csr_matrix(dense)
    idx = np.argpartition(-dense, k, axis=1)[:, :k]
    rows = np.repeat(np.arange(dense.shape[0]), k)
    vals = dense[rows, idx.ravel()]
    keep = vals > 0
    return sp.csr_matrix((vals[keep], (rows[keep], idx.ravel()[keep])), shape=dense.shape)


@dataclass
class _Context:
    """Everything the sources need, computed once per history."""

    queries: Side
    items: Side
    history: sp.csr_matrix
    q_text: np.ndarray
    i_text: np.ndarray
    q_profile: np.ndarray  # queries in item-text space (mean of their items)
    i_profile: np.ndarray  # items in query-text space (mean of their queries)
    item_sim: sp.csr_matrix  # item × item co-occurrence cosine, top neighbours kept
    item_walk: sp.csr_matrix  # item → query → item random walk, popular targets damped (RP3beta)
    h_rows: sp.csr_matrix  # row-normalised history (user-kNN)
    popularity: np.ndarray
    query_counts: np.ndarray  # applications per query and per item in the history (float32)
    item_counts: np.ndarray
    q_occ: np.ndarray  # occupation and region as integer codes shared by both sides (-1: unknown)
    i_occ: np.ndarray
    q_region: np.ndarray
    i_region: np.ndarray


def _context(queries: Side, items: Side, history: sp.csr_matrix, q_text: np.ndarray, i_text: np.ndarray) -> _Context:
    h_rows = normalize(history, norm="l2", axis=1)
    q_profile = normalize(np.asarray(normalize(history, norm="l1", axis=1) @ i_text, dtype=np.float32))
    i_profile = normalize(np.asarray(normalize(history.T.tocsr(), norm="l1", axis=1) @ q_text, dtype=np.float32))
    h_cols = normalize(history.tocsc(), norm="l2", axis=0).T.tocsr()
    item_sim = _item_item(h_cols, h_cols.T.tocsr(), None)
    counts = np.asarray(history.sum(axis=0), dtype=np.float32).ravel()
    popularity = np.log1p(counts)
    # RP3beta (Paudel et al. 2017): two steps of a walk on the application graph, each target item
    # divided by its popularity^beta so that a ranking is not just the most applied-to jobs
    damping = np.power(np.maximum(counts, 1.0), -RP3_BETA).astype(np.float32)
    item_walk = _item_item(normalize(history.T.tocsr(), norm="l1", axis=1), normalize(history, norm="l1", axis=1),
                           damping)
    return _Context(
        queries=queries, items=items, history=history, q_text=q_text, i_text=i_text, q_profile=q_profile,
        i_profile=i_profile, item_sim=item_sim, item_walk=item_walk, h_rows=h_rows, popularity=popularity,
        query_counts=np.asarray(history.sum(axis=1), dtype=np.float32).ravel(), item_counts=counts,
        **_codes("occ", [_occupation_label(v) for v in queries.occupation], [_occupation_label(v) for v in items.occupation]),
        **_codes("region", [_region_key(v) for v in queries.region], [_region_key(v) for v in items.region]),
    )


def _codes(name: str, left: list[str], right: list[str]) -> dict[str, np.ndarray]:
    """Labels of both sides as shared integer codes (``-1`` for an empty label)."""
    codes, _ = pd.factorize(pd.Series([*left, *right], dtype=object).replace("", None), use_na_sentinel=True)
    codes = codes.astype(np.int32)
    return {f"q_{name}": codes[:len(left)], f"i_{name}": codes[len(left):]}


def _item_item(left: sp.csr_matrix, right: sp.csr_matrix, column_scale: np.ndarray | None,
               block: int = 1_000) -> sp.csr_matrix:
    """``left @ right`` (items × items), columns scaled, diagonal removed, the :data:`NEIGHBOURS`
    largest entries of each row kept — a block of rows at a time: with a few very popular items
    the full product is nearly dense (1.2 GB for 10,000 items), its pruned rows are not."""
    parts = []
    scale = sp.diags(column_scale) if column_scale is not None else None
    for start in range(0, left.shape[0], block):
        product = (left[start:start + block] @ right).tocsr()
        if scale is not None:
            product = product @ scale
        product = product.tocoo()
        off_diagonal = product.row + start != product.col  # an item is not its own neighbour
        product = sp.csr_matrix((product.data[off_diagonal], (product.row[off_diagonal], product.col[off_diagonal])),
                                shape=product.shape)
        parts.append(_prune_rows(product, NEIGHBOURS))
    return sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, right.shape[1]), dtype=np.float32)


def _prune_rows(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row of a sparse matrix (ties: the lower column index
    first is not promised, but the same matrix always keeps the same entries)."""
    matrix = matrix.tocsr()
    matrix.sum_duplicates()  # canonical (sorted) order: the kept ties never depend on how it was built
    indptr, indices, data = [0], [], []
    for r in range(matrix.shape[0]):
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        vals, cols = matrix.data[start:end], matrix.indices[start:end]
        if len(vals) > k:
            keep = np.argpartition(-vals, k)[:k]
            vals, cols = vals[keep], cols[keep]
        indices.append(cols)
        data.append(vals)
        indptr.append(indptr[-1] + len(vals))
    return sp.csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                          np.concatenate(indices) if indices else np.zeros(0, np.int32), np.array(indptr)),
                         shape=matrix.shape)


def _source_blocks(ctx: _Context, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Dense (len(rows) × items) score matrix of every source for a block of queries."""
    q_text = ctx.q_text[rows]
    h_block = ctx.history[rows]
    out: dict[str, np.ndarray] = {}
    out["text"] = q_text @ ctx.i_text.T
    out["item_profile"] = ctx.q_profile[rows] @ ctx.i_text.T
    out["query_profile"] = q_text @ ctx.i_profile.T
    q_occ, q_region = ctx.q_occ[rows][:, None], ctx.q_region[rows][:, None]
    out["fit"] = (((q_occ == ctx.i_occ[None, :]) & (q_occ >= 0)).astype(np.float32)
                  + 0.3 * ((q_region == ctx.i_region[None, :]) & (q_region >= 0)))
    out["item_cf"] = (h_block @ ctx.item_sim).toarray()
    out["item_rp3"] = (h_block @ ctx.item_walk).toarray()
    user_sim = (ctx.h_rows[rows] @ ctx.h_rows.T).toarray()
    user_sim[np.arange(len(rows)), rows] = 0  # not oneself
    out["user_cf"] = (_top_rows(user_sim, NEIGHBOURS) @ ctx.history).toarray()
    text_sim = q_text @ ctx.q_text.T
    text_sim[np.arange(len(rows)), rows] = 0
    out["text_users"] = (_top_rows(text_sim, NEIGHBOURS) @ ctx.history).toarray()
    out["popular"] = np.broadcast_to(ctx.popularity, (len(rows), len(ctx.items))).copy()
    return {k: v.astype(np.float32, copy=False) for k, v in out.items()}


def _candidates(blocks: dict[str, np.ndarray], seen: sp.csr_matrix, per_source: int) -> list[np.ndarray]:
    """Per query of the block, the union of every source's top items, minus the seen ones."""
    n_items = next(iter(blocks.values())).shape[1]
    k = min(per_source, n_items - 1) if n_items > 1 else 1
    tops = []
    for name in SOURCES:
        scores = blocks[name]
        if k < n_items:
            tops.append(np.argpartition(-scores, k, axis=1)[:, :k])
        else:
            tops.append(np.tile(np.arange(n_items), (scores.shape[0], 1)))
    union = np.concatenate(tops, axis=1)
    out = []
    for r in range(union.shape[0]):
        items = np.unique(union[r])
        seen_items = seen.indices[seen.indptr[r]:seen.indptr[r + 1]]
        if len(seen_items):
            items = np.setdiff1d(items, seen_items, assume_unique=True)
        out.append(items)
    return out


def _features(ctx: _Context, rows: np.ndarray, blocks: dict[str, np.ndarray], cands: list[np.ndarray]) -> pd.DataFrame:
    """One row per (query, candidate item) with :data:`FEATURES`, plus ``q`` and ``i`` indices."""
    lengths = np.array([len(c) for c in cands])
    q_local = np.repeat(np.arange(len(rows)), lengths)
    items = np.concatenate(cands) if len(cands) else np.zeros(0, int)
    q = rows[q_local]
    data: dict[str, np.ndarray] = {"q": q, "i": items}
    for name in SOURCES:
        block = blocks[name]
        if name in COSINE_SOURCES:  # already comparable across queries: a query whose best is poor stays poor
            data[f"{name}_score"] = block[q_local, items]
            continue
        top = block.max(axis=1, keepdims=True)
        scaled = np.divide(block, top, out=np.zeros_like(block), where=top > 0)
        data[f"{name}_score"] = scaled[q_local, items]
    q_occ, i_occ = ctx.q_occ[q], ctx.i_occ[items]
    known_occ = (q_occ >= 0) & (i_occ >= 0)
    data["occupation_match"] = np.where(known_occ, (q_occ == i_occ).astype(np.float32), np.nan)
    q_reg, i_reg = ctx.q_region[q], ctx.i_region[items]
    known_reg = (q_reg >= 0) & (i_reg >= 0)
    data["region_match"] = np.where(known_reg, (q_reg == i_reg).astype(np.float32), np.nan)
    q_career, i_career = ctx.queries.career_months[q], ctx.items.career_months[items]
    data["career_gap"] = (q_career - i_career).astype(np.float32)
    data["career_short"] = np.where(np.isnan(q_career) | np.isnan(i_career), np.nan,
                                    np.maximum(i_career - q_career, 0) / 12).astype(np.float32)
    q_wage, i_wage = ctx.queries.wage[q], ctx.items.wage[items]
    with np.errstate(divide="ignore", invalid="ignore"):
        data["wage_ratio"] = np.where((q_wage > 0) & (i_wage > 0), i_wage / q_wage, np.nan).astype(np.float32)
    data["query_history"] = ctx.query_counts[q]
    data["item_history"] = ctx.item_counts[items]
    frame = pd.DataFrame(data)
    # rank among the query's candidates (1 = best): ranking every item of a row cost more than the rest
    for name in SOURCES:
        if name != "popular":
            frame[f"{name}_rank"] = frame.groupby("q", sort=False)[f"{name}_score"].rank(ascending=False,
                                                                                           method="min").astype(np.float32)
    return frame


def _blocks_of(n: int, block: int = BLOCK) -> Iterator[np.ndarray]:
    for start in range(0, n, block):
        yield np.arange(start, min(n, start + block))


def _candidate_features(ctx: _Context, rows: np.ndarray, per_source: int = PER_SOURCE) -> pd.DataFrame:
    frames = []
    for block_rows in _blocks_of(len(rows)):
        q_rows = rows[block_rows]
        blocks = _source_blocks(ctx, q_rows)
        cands = _candidates(blocks, ctx.history[q_rows], per_source)
        frames.append(_features(ctx, q_rows, blocks, cands))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["q", "i", *FEATURES])


def holdout_split(pairs: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, held out) ``candidate_id, job_id`` pairs: a fifth of each candidate's applications held
    out (at least one, when they have two or more) — the split the command's evaluation uses, and the
    one the ranker is trained on."""
    pairs = pairs.drop_duplicates(["candidate_id", "job_id"]).reset_index(drop=True)
    shuffled = pairs.sample(frac=1.0, random_state=seed)
    counts = shuffled.groupby("candidate_id")["job_id"].transform("size")
    order = shuffled.groupby("candidate_id").cumcount()
    n_out = np.where(counts >= 2, np.maximum(1, np.floor(counts * HOLDOUT_SHARE)), 0)
    held = order < n_out
    return shuffled[~held], shuffled[held]


def _oriented(pairs: pd.DataFrame, direction: str) -> pd.DataFrame:
    if direction == "candidates":
        return pairs.rename(columns={"candidate_id": "query_id", "job_id": "item_id"})
    return pairs.rename(columns={"job_id": "query_id", "candidate_id": "item_id"})


def _train_ranker(ctx: _Context, held: pd.DataFrame, rng: np.random.Generator):  # noqa: ANN202 - lightgbm type
    """A lambdarank model on the candidates of queries with held-out items (None: too few)."""
    import lightgbm as lgb

    q_index = {q: i for i, q in enumerate(ctx.queries.ids)}
    i_index = {v: j for j, v in enumerate(ctx.items.ids)}
    held_q = held["query_id"].map(q_index)
    held_i = held["item_id"].map(i_index)
    keep = held_q.notna() & held_i.notna()
    positives = set(zip(held_q[keep].astype(int), held_i[keep].astype(int), strict=True))
    queries = np.unique(held_q[keep].astype(int).to_numpy())
    if len(queries) < 20:
        return None
    if len(queries) > MAX_TRAIN_QUERIES:
        queries = np.sort(rng.choice(queries, MAX_TRAIN_QUERIES, replace=False))
    # labelled and thinned block by block: the whole candidate frame of 4,000 queries was the command's
    # peak memory, and two thirds of it is dropped right away
    frames = []
    for block_rows in _blocks_of(len(queries)):
        frame = _candidate_features(ctx, queries[block_rows])
        label = np.fromiter(((q, i) in positives for q, i in zip(frame["q"], frame["i"], strict=True)), dtype=bool,
                            count=len(frame)).astype(int)
        frame = frame.assign(label=label)
        useful = frame.groupby("q")["label"].transform("max") > 0  # a query whose positives no source found teaches nothing
        frame = frame[useful]
        # every positive and a sample of negatives per query: a third of the rows, the same ranking signal
        keep = (frame["label"] == 1) | (rng.random(len(frame)) < TRAIN_NEGATIVE_SHARE)
        frames.append(frame[keep])
    frame = pd.concat(frames, ignore_index=True)
    if frame["label"].sum() < 20:
        return None
    groups = frame.groupby("q", sort=False).size().to_numpy()
    model = lgb.LGBMRanker(objective="lambdarank", n_estimators=200, learning_rate=0.05, num_leaves=31,
                           min_child_samples=40, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                           lambdarank_truncation_level=20, random_state=SEED, n_jobs=thread_count(), verbose=-1)
    model.fit(frame[list(FEATURES)], frame["label"], group=groups)
    return model


def _fallback_score(frame: pd.DataFrame) -> np.ndarray:
    score = np.zeros(len(frame), dtype=float)
    for name, weight in FALLBACK_WEIGHTS.items():
        score += weight * np.nan_to_num(frame[name].to_numpy(dtype=float), nan=0.0)
    return score


def recommend(candidates: Side, jobs: Side, history: pd.DataFrame | None, *, direction: str, top: int) -> Recommendations:
    """Top ``top`` items for every query.

    Args:
        candidates: The candidates.
        jobs: The jobs.
        history: Past applications (``candidate_id, job_id``) or ``None``; never recommended again.
        direction: ``"candidates"`` (jobs for every candidate) or ``"jobs"`` (candidates for every job).
        top: Items per query.

    Returns:
        The ranked table; queries with no item are absent.
    """
    if direction not in ("candidates", "jobs"):
        raise ValueError(f"unknown direction {direction!r}")
    rng = np.random.default_rng(SEED)
    queries, items = (candidates, jobs) if direction == "candidates" else (jobs, candidates)
    q_text, i_text = _TextSpace([*queries.text, *items.text]).split(len(queries))
    pairs = history if history is not None else pd.DataFrame(columns=["candidate_id", "job_id"])
    pairs = pairs.astype({"candidate_id": str, "job_id": str})

    model = None
    if len(pairs):
        kept, held = holdout_split(pairs, int(rng.integers(2**31 - 1)))
        train_ctx = _context(queries, items, _history_matrix(_oriented(kept, direction), queries, items), q_text, i_text)
        model = _train_ranker(train_ctx, _oriented(held, direction), rng)
    ctx = _context(queries, items, _history_matrix(_oriented(pairs, direction), queries, items), q_text, i_text)

    tables = []
    for block_rows in _blocks_of(len(queries)):
        frame = _candidate_features(ctx, block_rows)
        if frame.empty:
            continue
        if model is not None:
            score = model.predict(frame[list(FEATURES)], num_threads=threads_for_rows(len(frame)))
        else:
            score = _fallback_score(frame)
        frame = frame.assign(score=score).sort_values(["q", "score"], ascending=[True, False], kind="stable")
        frame = frame.groupby("q", sort=False).head(top)
        frame["rank"] = frame.groupby("q", sort=False).cumcount() + 1
        tables.append(pd.DataFrame({
            "query_id": np.asarray(queries.ids, dtype=object)[frame["q"].to_numpy()],
            "rank": frame["rank"].to_numpy(),
            "item_id": np.asarray(items.ids, dtype=object)[frame["i"].to_numpy()],
            "score": np.round(frame["score"].to_numpy(dtype=float), 6),
        }))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["query_id", "rank", "item_id", "score"])
    return Recommendations(table=table, learned=model is not None)
