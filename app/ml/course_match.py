"""Content features of the training recommender (AI 직업훈련추천): occupation, skill gap, course vectors.

* :func:`resolve_occupation` — a desired occupation as written (a KECO 2025 소분류 code, a 세분류
  code, or a name, exact or approximate) → its 소분류 code of ``occupations.csv``.
* :func:`compute_skill_gap` — the occupation's skills and knowledge (``occupations.csv``) that the
  seeker's skills text shows (held) and does not (missing); certificates likewise.
* :class:`CourseIndex` — courses as vectors (character 2–4-gram TF-IDF over title, contents and
  skills → truncated SVD → unit vectors, one space with the occupations' documents), cosine
  similarity to an occupation through a FAISS inner-product index
  (:class:`app.search.dense_index.DenseIndex`), the target occupation of each course, and the share
  of a seeker's gap each course's text covers.
* :func:`ncs_relation` — does a course's NCS 대분류 equal the occupation's (the NCS ↔ KECO mapping of
  the reference table)?

Why character n-grams rather than the talent matcher's encoder: its LSA encoder is fitted on the
world's postings and résumés (its vocabulary is theirs) and lives inside that artifact, while courses
come from the world, HRD-Net data or a user's CSV; character n-grams need no morpheme analyser
(Kiwi takes seconds to load) and match Korean compounds and inflections ("프로그래밍" / "프로그래머",
"회계를") on their own. The vectors are fitted on the courses and the 139 occupations together, so
the two sides share one space.

Matching a gap item against a text (held by a seeker, covered by a course): the item, lower-cased
and without spaces, appears in the text treated the same way; a KNOW knowledge area named as a
pair ("경제와 회계", "건축 및 설계") is matched by either part; a one-syllable item ("법") only as a
word of its own (with a particle) or in a listed longer form ("법률"), since as a substring it would
be found in "방법".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from app.reference.tables import Reference
from app.search.dense_index import DenseIndex

DEFAULT_DIM = 128
"""Dimensions of the course vectors (fewer when there are fewer documents)."""
MAX_FEATURES = 20_000
"""Character n-grams kept by the TF-IDF (the most frequent): bounds memory and the pickle (the
projection is features × dimensions, stored as float16: 5 MB at most)."""
_SEPARATOR = "\x00"
"""Between the course texts joined into one string (never in a text; items never contain it)."""
FUZZY_FLOOR = 0.6
"""Least similarity of an approximate occupation name to be accepted (:func:`resolve_occupation`)."""
SHORT_ITEM_FORMS: dict[str, tuple[str, ...]] = {"법": ("법률", "법규", "법령")}
"""Longer forms that show a one-syllable item (KNOW knowledge "법")."""

_SPACES = re.compile(r"\s+")
_PAIR_SPLIT = re.compile(r"(?<=[가-힣])[와과]\s+|\s+및\s+|[·,/]")
_PARTICLES = "은는이가을를과와의에도로"


def _compact(text: str) -> str:
    """Lower-cased text without whitespace: what items are matched in."""
    return _SPACES.sub("", str(text)).lower()


def _split_list(value: object) -> list[str]:
    """Items of a ``;``-joined cell (also ``,``-joined, as people type certificate lists)."""
    if not isinstance(value, str):
        return []
    return [part.strip() for part in re.split(r"[;,\n]", value) if part.strip()]


# --------------------------------------------------------------------------- matching an item in a text


@dataclass(frozen=True)
class _ItemPattern:
    """How one gap item is found in a compact text: any of ``keys`` as a substring, or ``word``
    (a one-syllable part) as a word of its own."""

    keys: tuple[str, ...]
    word: re.Pattern[str] | None

    def found_in(self, compact: str, lowered: str) -> bool:
        """Is the item in a text (``compact``: :func:`_compact` of it; ``lowered``: lower-cased with spaces)?"""
        if any(key in compact for key in self.keys):
            return True
        return self.word is not None and self.word.search(lowered) is not None


@lru_cache(maxsize=8192)
def _item_pattern(item: str) -> _ItemPattern:
    # only knowledge areas have spaces ("경제와 회계"): a skill keyword is never split
    parts = _PAIR_SPLIT.split(item) if re.search(r"\s", item.strip()) else []
    keys: list[str] = []
    short: list[str] = []
    for key in dict.fromkeys(_compact(p) for p in [item, *parts]):
        if len(key) >= 2:
            keys.append(key)
        elif key:
            short.append(key)
            keys.extend(SHORT_ITEM_FORMS.get(key, ()))
    word = None
    if short:
        alternatives = "|".join(re.escape(p) for p in short)
        word = re.compile(rf"(?<![가-힣])(?:{alternatives})[{_PARTICLES}]?(?![가-힣])")
    return _ItemPattern(keys=tuple(keys), word=word)


def item_in_text(item: str, text: str) -> bool:
    """Does ``text`` show the gap ``item`` (see the module notes on matching)?"""
    return _item_pattern(item).found_in(_compact(text), str(text).lower())


# --------------------------------------------------------------------------- occupations


@dataclass(frozen=True)
class _OccupationNames:
    codes: frozenset[str]
    parent_of_fine: dict[str, str]
    exact: dict[str, str]
    names: tuple[tuple[str, str], ...]
    """(compact name or name part, 소분류 code) of every 소분류 and 세분류."""


@lru_cache(maxsize=4)
def _occupation_names(ref: Reference) -> _OccupationNames:
    codes = frozenset(ref.occupations["keco_code"].astype(str))
    tree = ref.keco_tree
    fine = tree[(tree["level"] == 4) & tree["parent"].isin(codes)]
    parent_of_fine = dict(zip(fine["code"].astype(str), fine["parent"].astype(str), strict=True))
    names: dict[str, str] = {}
    # 소분류 names first: a 세분류 named like another 소분류 does not take its name
    pairs = [*zip(ref.occupations["name"], ref.occupations["keco_code"], strict=True),
             *zip(fine["name"], fine["parent"], strict=True)]
    for name, code in pairs:
        whole = _compact(name)
        names.setdefault(whole, str(code))
        for part in re.split(r"\s+및\s+|[·,()]", str(name)):
            if len(_compact(part)) >= 2:
                names.setdefault(_compact(part), str(code))
    return _OccupationNames(codes=codes, parent_of_fine=parent_of_fine, exact=names, names=tuple(names.items()))


def _name_score(query: str, name: str) -> float:
    """Similarity of two compact names in [0, 1]: one inside the other scores by their length ratio."""
    shorter, longer = sorted((len(query), len(name)))
    if query in name or name in query:
        return 0.6 + 0.4 * shorter / longer
    return difflib.SequenceMatcher(None, query, name, autojunk=False).ratio()


@lru_cache(maxsize=4096)
def resolve_occupation(text: str, ref: Reference) -> str | None:
    """The KECO 2025 소분류 code of a desired occupation as a user writes it.

    Accepted: a 3-digit 소분류 code (``"133"``; a spreadsheet's ``"11"`` is ``"011"``), a 4-digit
    세분류 code of ``keco_tree.csv`` (``"1331"`` → its 소분류), or a 소분류 or 세분류 name, exactly
    (spaces and case ignored) or approximately (``"소프트웨어개발"``, ``"간호"``).

    Args:
        text: The occupation as written.
        ref: Reference tables.

    Returns:
        The 소분류 code, or ``None`` when nothing plausible matches.
    """
    value = str(text or "").strip()
    names = _occupation_names(ref)
    if value.isdigit():
        if len(value) <= 3:
            code = value.zfill(3)
            return code if code in names.codes else None
        return names.parent_of_fine.get(value) if len(value) == 4 else None
    query = _compact(value)
    if len(query) < 2:
        return None
    if query in names.exact:
        return names.exact[query]
    best_score, best_code = 0.0, None
    for name, code in names.names:
        score = _name_score(query, name)
        if score > best_score:
            best_score, best_code = score, code
    return best_code if best_score >= FUZZY_FLOOR else None


@dataclass(frozen=True)
class SkillGap:
    """What an occupation requires and what a seeker shows of it.

    Attributes:
        keco_code: KECO 2025 소분류 code.
        occupation_name: Its name.
        required: The occupation's skills then knowledge items (``occupations.csv``), in table order.
        held: Required items the seeker's skills text (or a certificate name) shows.
        missing: Required items not held, in table order.
        certificates_required: The occupation's certificates.
        certificates_held: Those the seeker holds.
    """

    keco_code: str
    occupation_name: str
    required: tuple[str, ...]
    held: tuple[str, ...]
    missing: tuple[str, ...]
    certificates_required: tuple[str, ...]
    certificates_held: tuple[str, ...]

    @property
    def coverage(self) -> float:
        """Share of the required items held (1.0 when nothing is required)."""
        return len(self.held) / len(self.required) if self.required else 1.0


def _occupation_row(ref: Reference, keco_code: str) -> pd.Series:
    rows = _occupation_rows(ref)
    if keco_code not in rows:
        raise KeyError(f"KECO 소분류 코드가 직업 표에 없습니다: {keco_code}")
    return rows[keco_code]


@lru_cache(maxsize=4)
def _occupation_rows(ref: Reference) -> dict[str, pd.Series]:
    return {str(row["keco_code"]): row for _, row in ref.occupations.iterrows()}


def certificate_held(required: str, held: Sequence[str]) -> bool:
    """Does a seeker hold the certificate ``required``: a held name equal to it, or naming it with a
    grade or note ("정보처리기사(필기 면제)"), spaces ignored. A held name inside a longer one does
    not count ("기사" is not "정보처리기사")."""
    key = _compact(required)
    return any(key and key in _compact(name) for name in held)


def compute_skill_gap(ref: Reference, keco_code: str, skills_text: str, certificates: str) -> SkillGap:
    """The seeker's gap against an occupation.

    Args:
        ref: Reference tables.
        keco_code: The occupation (KECO 2025 소분류 code of ``occupations.csv``).
        skills_text: The seeker's skills and free text (masked; ``;`` or spaces between items).
        certificates: The seeker's certificate names, ``;``-joined.

    Returns:
        The :class:`SkillGap`: an item is held when the skills text or a certificate name of the
        seeker shows it (module notes); a certificate when the seeker holds it.

    Raises:
        KeyError: An unknown occupation code.
    """
    row = _occupation_row(ref, str(keco_code))
    required = tuple(dict.fromkeys([*_split_list(row["skills"]), *_split_list(row["knowledge"])]))
    held_certificates = _split_list(certificates)
    seeker_text = " ".join([str(skills_text or "").replace(";", " "), *held_certificates])
    compact, lowered = _compact(seeker_text), seeker_text.lower()
    held = tuple(item for item in required if _item_pattern(item).found_in(compact, lowered))
    cert_required = tuple(_split_list(row["certificates"]))
    return SkillGap(
        keco_code=str(keco_code), occupation_name=str(row["name"]), required=required, held=held,
        missing=tuple(item for item in required if item not in held),
        certificates_required=cert_required,
        certificates_held=tuple(c for c in cert_required if certificate_held(c, held_certificates)),
    )


def ncs_relation(ncs_codes: Sequence[str], keco_code: str, ref: Reference) -> np.ndarray:
    """1.0 for each course whose NCS 대분류 (first two digits) is the occupation's, else 0.0.

    An empty course code, or an occupation without an NCS field, gives 0.
    """
    row = _occupation_rows(ref).get(str(keco_code))
    field_code = str(row["ncs_code"]) if row is not None and isinstance(row["ncs_code"], str) else ""
    codes = np.asarray(ncs_codes, dtype=object)
    if not field_code or not len(codes):
        return np.zeros(len(codes))
    # a 2-character string type keeps the first two characters (the 대분류) of every code, in C;
    # a missing code (None/NaN) becomes "No"/"na", never a field code
    return (codes.astype("U2") == field_code).astype(float)


def occupation_document(row: Any, fine_names: Sequence[str] = ()) -> str:
    """The text an occupation is vectorised from: name, its 세분류 names, skills, knowledge, duties, NCS field."""
    parts = [row["name"], *fine_names, row["skills"], row["knowledge"], row["duty_phrases"], row["ncs_name"]]
    return " ".join(str(p).replace(";", " ") for p in parts if isinstance(p, str) and p)


def course_document(title: object, text: object, skills: object) -> str:
    """The text a course is vectorised and matched from: title, contents and skills."""
    return " ".join(str(p).replace(";", " ") for p in (title, text, skills) if isinstance(p, str) and p)


# --------------------------------------------------------------------------- the course index


@dataclass
class CourseIndex:
    """Vectors and texts of a set of courses, with their relation to the KECO occupations.

    Build with :meth:`build`; everything per seeker is then a lookup or one pass over cached arrays
    (an occupation's similarities are computed on first use and kept). Pickles without its FAISS
    index and caches, which are rebuilt on first use.

    Attributes:
        course_ids: Course ids, in the order of the frame it was built from.
        vectors: Unit course vectors, one row per course (float32).
        occupation_codes: The KECO 소분류 codes of the occupation vectors.
        occupation_vectors: Unit occupation vectors (same space).
        vectorizer: The fitted character n-gram TF-IDF.
        projection: The truncated SVD's components, features × dimensions (float16).
    """

    course_ids: np.ndarray
    vectors: np.ndarray
    occupation_codes: np.ndarray
    occupation_vectors: np.ndarray
    vectorizer: TfidfVectorizer
    projection: np.ndarray
    _inferred: np.ndarray
    _compact_texts: str
    _lowered_texts: str
    _starts: np.ndarray
    _dense: DenseIndex | None = field(default=None, repr=False)
    _similarity: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _item_hits: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, courses: pd.DataFrame, ref: Reference, *, seed: int = 0, dim: int = DEFAULT_DIM) -> CourseIndex:
        """Fit the vectors of ``courses`` (a course frame: ``course_id``, ``title``, ``text``; optional
        ``skills``, ``ncs_code``, ``keco_code``) together with the occupations of ``ref``.

        Args:
            courses: One row per course.
            ref: Reference tables (occupations, their 세분류 names).
            seed: Seed of the SVD.
            dim: Vector dimensions (at most; fewer when the documents or n-grams are fewer).
        """
        n = len(courses)
        column = lambda name: courses[name] if name in courses else pd.Series([""] * n, index=courses.index)  # noqa: E731
        course_docs = [course_document(t, x, s) for t, x, s in zip(column("title"), column("text"), column("skills"),
                                                                   strict=True)]
        occupations = ref.occupations
        tree = ref.keco_tree
        fine = tree[tree["level"] == 4].groupby("parent")["name"].apply(list).to_dict()
        occupation_docs = [occupation_document(row, fine.get(row["keco_code"], ()))
                           for _, row in occupations.iterrows()]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True,
                                     max_features=MAX_FEATURES, dtype=np.float32)
        tfidf = vectorizer.fit_transform([*course_docs, *occupation_docs])
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_  # the n-grams max_features dropped: not needed, and the pickle's bulk
        rank = max(1, min(dim, tfidf.shape[0] - 1, tfidf.shape[1] - 1))
        svd = TruncatedSVD(n_components=rank, random_state=seed).fit(tfidf)
        projection = svd.components_.T.astype(np.float16)
        reduced = _unit(tfidf @ projection.astype(np.float32))  # the stored projection: as queries will be
        vectors, occupation_vectors = reduced[:n], reduced[n:]
        occupation_codes = occupations["keco_code"].astype(str).to_numpy()
        inferred = _infer_keco(courses, vectors, occupation_vectors, occupation_codes,
                               occupations["ncs_code"].fillna("").astype(str).to_numpy())
        compact = [_compact(d) for d in course_docs]
        index = cls(course_ids=courses["course_id"].astype(str).to_numpy() if "course_id" in courses
                    else np.arange(n).astype(str),
                    vectors=vectors, occupation_codes=occupation_codes, occupation_vectors=occupation_vectors,
                    vectorizer=vectorizer, projection=projection, _inferred=inferred,
                    _compact_texts=_SEPARATOR.join(compact),
                    _lowered_texts=_SEPARATOR.join(d.lower().replace(_SEPARATOR, " ") for d in course_docs),
                    _starts=_starts(compact))
        index._index()  # the FAISS index now, not in the first seeker's request
        return index

    def __len__(self) -> int:
        return len(self.course_ids)

    # ------------------------------------------------------------------ similarity

    def _index(self) -> DenseIndex:
        if self._dense is None:
            self._dense = DenseIndex.build(self.vectors, np.arange(len(self), dtype=np.int64), kind="flat")
        return self._dense

    def occupation_similarity(self, keco_code: str) -> np.ndarray:
        """Similarity of every course to an occupation, in [0, 1] (cosine of their vectors; a negative
        cosine, i.e. nothing in common, is 0). An unknown code gives zeros. Read-only, cached."""
        code = str(keco_code)
        cached = self._similarity.get(code)
        if cached is not None:
            return cached
        rows = np.flatnonzero(self.occupation_codes == code)
        similarity = np.zeros(len(self), dtype=np.float32)
        if len(rows) and len(self) and np.any(self.occupation_vectors[rows[0]]):
            scores, found = self._index().search(self.occupation_vectors[rows[0]], len(self))
            kept = found[0] >= 0
            similarity[found[0][kept]] = np.clip(scores[0][kept], 0.0, 1.0)
        similarity.flags.writeable = False
        self._similarity[code] = similarity
        return similarity

    def text_similarity(self, text: str) -> np.ndarray:
        """Similarity of every course to a free text (e.g. a seeker's skills), in [0, 1], as
        :meth:`occupation_similarity` (not cached)."""
        vector = _unit(self.vectorizer.transform([str(text or "")]) @ self.projection.astype(np.float32))[0]
        if not len(self) or not np.any(vector):
            return np.zeros(len(self), dtype=np.float32)
        return np.clip(self.vectors @ vector, 0.0, 1.0).astype(np.float32)

    def inferred_keco(self) -> np.ndarray:
        """Target occupation of each course: its ``keco_code`` when the frame gave a known one, else
        the most similar occupation of its NCS 대분류 (of all occupations when none has it)."""
        return self._inferred.copy()

    # ------------------------------------------------------------------ gap coverage

    def _hits(self, item: str) -> np.ndarray:
        """One bool per course: does its text show ``item``? (Searched once in the joined texts, cached.)"""
        hits = self._item_hits.get(item)
        if hits is None:
            pattern = _item_pattern(item)
            positions: list[int] = []
            for key in pattern.keys:
                positions += [m.start() for m in re.finditer(re.escape(key), self._compact_texts)]
            hits = np.zeros(len(self), dtype=bool)
            hits[np.searchsorted(self._starts, positions, side="right") - 1] = True
            if pattern.word is not None:
                lowered_starts = _starts(self._lowered_texts.split(_SEPARATOR))
                found = [m.start() for m in pattern.word.finditer(self._lowered_texts)]
                hits[np.searchsorted(lowered_starts, found, side="right") - 1] = True
            self._item_hits[item] = hits
        return hits

    def gap_coverage(self, gap: SkillGap) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Share of the seeker's missing items each course's title, contents or skills show, and which.

        Returns:
            ``(share, covered)``: ``share[i]`` in [0, 1] (0 for every course when nothing is
            missing), ``covered[i]`` the missing items course ``i`` shows, in the gap's order.
        """
        missing = list(gap.missing)
        if not missing or not len(self):
            return np.zeros(len(self)), [() for _ in range(len(self))]
        hits = np.vstack([self._hits(item) for item in missing])  # items × courses
        share = hits.sum(axis=0) / len(missing)
        # which items: one key per distinct combination (few), not one tuple built per course
        keys = [row.tobytes() for row in np.ascontiguousarray(hits.T)]
        items: dict[bytes, tuple[str, ...]] = {}
        for key, column in zip(keys, hits.T, strict=True):
            if key not in items:
                items[key] = tuple(item for item, hit in zip(missing, column, strict=True) if hit)
        return share.astype(float), [items[key] for key in keys]

    # ------------------------------------------------------------------ pickling

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.update(_dense=None, _similarity={}, _item_hits={})  # FAISS objects do not pickle; caches rebuild
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _starts(texts: Sequence[str]) -> np.ndarray:
    """Offset of each text in ``_SEPARATOR.join(texts)``."""
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, dtype=np.int64)


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.ascontiguousarray(matrix / np.maximum(norms, 1e-9), dtype=np.float32)


def _infer_keco(courses: pd.DataFrame, vectors: np.ndarray, occupation_vectors: np.ndarray,
                occupation_codes: np.ndarray, occupation_ncs: np.ndarray) -> np.ndarray:
    """Given ``keco_code`` where known, else the best occupation of the course's NCS 대분류 (of all
    when none of the occupations is in it)."""
    n = len(courses)
    known = set(occupation_codes)
    given = (courses["keco_code"].fillna("").astype(str).to_numpy() if "keco_code" in courses
             else np.full(n, "", dtype=object))
    fields = (courses["ncs_code"].fillna("").astype(str).str[:2].to_numpy() if "ncs_code" in courses
              else np.full(n, "", dtype=object))
    similarity = vectors @ occupation_vectors.T if n else np.zeros((0, len(occupation_codes)))
    inferred = np.empty(n, dtype=object)
    for i in range(n):
        if given[i] in known:
            inferred[i] = given[i]
            continue
        allowed = occupation_ncs == fields[i]
        scores = np.where(allowed, similarity[i], -np.inf) if fields[i] and allowed.any() else similarity[i]
        inferred[i] = occupation_codes[int(np.argmax(scores))]
    return inferred
