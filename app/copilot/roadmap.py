"""경력 로드맵: two or three paths from the seeker's occupation to the desired one, step by step.

The occupation graph (:class:`OccupationGraph`) has the 139 KECO 2025 소분류 of ``occupations.csv`` as
nodes. How likely a move from occupation *a* to *b* is combines three things:

1. **Skill overlap** — cosine of TF-IDF vectors over each occupation's items: its 12 skill keywords,
   4 knowledge areas and certificates (``occupations.csv``). TF-IDF rather than plain Jaccard because
   the items are very unequal: a knowledge area such as 기계 or 고객서비스 belongs to 38–48 occupations,
   while 1,095 of the 1,320 skill keywords belong to one only; IDF makes a shared rare skill count for
   more than a shared common area. Checked on the 한국직업사전's related jobs (``connectJob``, 89 pairs
   of other 소분류 for 53 occupations; ``bench/copilot_roadmap_real.py``): ranking the 138 others by
   the cosine gives MRR 0.30 and hit@10 0.57, against 0.27/0.54 unweighted, 0.28/0.53 IDF-weighted
   Jaccard, 0.29/0.57 character n-grams, 0.19/0.40 same 중분류 only and 0.05/0.12 at random.
2. **Classification** — a bonus, in cosine units, for the same 대분류 and for the same 중분류
   (:data:`MAJOR_BONUS`, :data:`MIDDLE_BONUS`). On the same benchmark 0.05 for either scored best
   (MRR 0.32, hit@10 0.64); an extra 중분류 bonus did not help (68 of the 89 related pairs cross
   중분류 within a 대분류 or beyond), and bonuses of 0.1 or more let the classification drown the skills.
3. **Observed moves** — counts of seekers whose last occupation was *a* and who want *b*, and of hires
   into a posting of *b* of a seeker whose last occupation was *a*
   (:func:`app.db.repositories.occupation_transitions.load_occupation_transitions`, passed in as a
   DataFrame so this module reads no database).

Skill overlap and classification give an affinity; normalised over *a*'s other occupations it is a
prior distribution of where people from *a* go. Observed moves update it as a Dirichlet posterior with
:data:`PRIOR_STRENGTH` pseudo-moves (add-k smoothing whose k is spread by the affinity rather than
evenly):  P(b | a) = (n(a,b) + κ·q(b|a)) / (n(a) + κ). κ = 50 was chosen on the demo world: with half
of its seekers' moves as counts, the other half's moves are predicted best around κ = 30–100 (MRR 0.21
at 50 against 0.16 for the prior alone and 0.20 for counts with little smoothing). An edge exists for each occupation's
:data:`NEIGHBOURS` nearest occupations by affinity, in both directions, and for every observed move;
its cost is −log P(b | a), so a path's cost is the −log of the product of its steps' probabilities.
The edge *set* is symmetric (b is a's neighbour or a is b's) but the *weights* are not: P(b|a) is
normalised over a's neighbourhood and observed moves are directed.

Paths are the k shortest simple paths (networkx ``shortest_simple_paths``, Yen's algorithm) with at
most :data:`MAX_INTERMEDIATE` intermediate occupations; up to :data:`MAX_PATHS` diverse ones are kept
(the direct move first when it is an edge; a path sharing half or more of its intermediate occupations
with a kept one is skipped). A seeker without a last occupation starts from a virtual node whose edges
go to the occupations their skills, major, résumé and certificates cover best (and to the desired one:
entry straight into it is always the first path). A seeker whose last occupation is the desired one
gets re-entry into it and the two likeliest neighbouring occupations as alternatives.

For each step: the reference's median wage, and — when the caller passes them — the market wage of
the world's postings, the demand (postings per seeker wanting the occupation, or open postings), and
the number of open training courses; the skills and knowledge to acquire (in the step's occupation,
in none of the occupations before it on the path, not shown by the seeker:
:func:`app.ml.course_match.compute_skill_gap`), and the certificates it asks for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from app.copilot.competency import education_rank, listed, occupation_source, seeker_evidence_text, split_items
from app.copilot.context import SeekerContext
from app.copilot.generation import CopilotOutput, CopilotTask
from app.copilot.grounding import Source, Statement
from app.ml.course_match import compute_skill_gap
from app.reference.tables import Reference
from app.text.korean import format_manwon, josa, josa_ro

SIMILARITY_BLOCKS: tuple[tuple[str, float], ...] = (("skills", 1.0), ("knowledge", 1.0), ("certificates", 1.0))
"""Item columns of ``occupations.csv`` in the skill-overlap vectors, with their block weights."""
MIDDLE_BONUS = 0.05
"""Affinity added for the same 중분류 (cosine units; benchmark: ``bench/copilot_roadmap_real.py``)."""
MAJOR_BONUS = 0.05
"""Affinity added for the same 대분류 but another 중분류 (as much: module notes)."""
AFFINITY_FLOOR = 1e-3
"""Least affinity of any pair: an observed move between unrelated occupations still has a finite cost."""
PRIOR_STRENGTH = 50.0
"""Pseudo-moves of the affinity prior (κ): with fewer observed moves out of an occupation than this,
the skill overlap dominates; with many more, the observed moves do."""
NEIGHBOURS = 10
"""Nearest occupations by affinity that get an edge (in both directions)."""
MAX_INTERMEDIATE = 3
"""Most intermediate occupations on a path."""
MAX_PATHS = 3
"""Most paths shown."""
CANDIDATE_PATHS = 60
"""Shortest simple paths examined for diverse ones."""
DIVERSITY_OVERLAP = 0.5
"""A path whose intermediate occupations overlap a kept path's this much (Jaccard) is skipped."""
WAGE_DROP = 0.9
"""A step whose median wage is under this share of the previous one gets a caution."""
LOW_DEMAND_RATIO = 0.5
"""Postings per seeker under which a step's demand gets a caution."""
HIGH_WISH = 1.2
"""A desired wage above this multiple of the desired occupation's median wage gets a caution."""
_START = "__start__"
_ORDINALS = ("첫", "두 번째", "세 번째", "네 번째", "다섯 번째")

ROADMAP_KINDS: dict[str, str] = {"path": "경로 요약", "step": "단계별 준비", "caution": "유의점"}
"""Statement kinds of the roadmap → Korean headings."""
ROADMAP_INSTRUCTION = (
    "구직자의 최근 직종(없으면 보유 역량)에서 희망 직종까지의 경력 경로를 설명합니다. path에는 경로별 요약을, "
    "step에는 단계마다 새로 익힐 기술·지식, 관련 자격증, 임금, 수요, 훈련 과정을, caution에는 임금 하락, 학력, "
    "수요처럼 유의할 점을 씁니다. 경로와 단계의 숫자(임금, 수요, 유사도, 전환 건수, 훈련 과정 수)는 '경로 N 계산' "
    "근거에 적힌 그대로 쓰고, 근거에 없는 직종, 자격증, 숫자를 쓰지 않습니다. 문장마다 해당 경로의 계산 근거를 붙입니다."
)
PATH_LABELS: dict[str, str] = {
    "direct": "직접 전환", "via": "경유 전환", "entry": "바로 진입", "entry_via": "경유 진입",
    "same": "같은 직종 재취업", "alternative": "인접 직종 대안",
}
"""Kind of path → Korean label."""


# --------------------------------------------------------------------------- the occupation graph


def occupation_requirements(ref: Reference) -> dict[str, tuple[str, ...]]:
    """KECO 소분류 → its skills then knowledge areas (the items a step's gap is computed over)."""
    return dict(_requirements_map(ref))


def skill_similarity(ref: Reference, blocks: Sequence[tuple[str, float]] = SIMILARITY_BLOCKS) -> np.ndarray:
    """Cosine similarity of the occupations' TF-IDF item vectors (module notes), diagonal 0.

    Args:
        ref: Reference tables (rows in ``ref.occupations`` order).
        blocks: (column, weight) of the ``;``-joined item columns used; an item of one column is a
            feature of its own (the knowledge area 법 is not the skill keyword 법).

    Returns:
        An occupations × occupations symmetric matrix in [0, 1].
    """
    occ = ref.occupations
    n = len(occ)
    vocabulary: dict[tuple[str, str], int] = {}
    cells: list[tuple[int, int, float]] = []
    for column, weight in blocks:
        for row, value in enumerate(occ[column]):
            for item in dict.fromkeys(split_items(value)):
                feature = vocabulary.setdefault((column, item), len(vocabulary))
                cells.append((row, feature, weight))
    matrix = np.zeros((n, max(len(vocabulary), 1)))
    for row, feature, weight in cells:
        matrix[row, feature] = weight
    frequency = (matrix > 0).sum(axis=0)
    matrix *= np.log(n / np.maximum(frequency, 1))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = matrix / np.where(norms > 0, norms, 1.0)
    similarity = np.clip(unit @ unit.T, 0.0, 1.0)
    np.fill_diagonal(similarity, 0.0)
    return similarity


def hierarchy_bonus(ref: Reference, middle_bonus: float = MIDDLE_BONUS, major_bonus: float = MAJOR_BONUS) -> np.ndarray:
    """``middle_bonus`` for pairs in the same 중분류, ``major_bonus`` for the same 대분류 only, else 0
    (diagonal 0)."""
    middle = ref.occupations["middle_code"].astype(str).to_numpy()
    major = ref.occupations["major_code"].astype(str).to_numpy()
    same_middle = middle[:, None] == middle[None, :]
    same_major = major[:, None] == major[None, :]
    bonus = np.where(same_middle, middle_bonus, np.where(same_major, major_bonus, 0.0))
    np.fill_diagonal(bonus, 0.0)
    return bonus


@dataclass(frozen=True)
class TransitionEvidence:
    """Why a move from one occupation to another is plausible.

    Attributes:
        from_keco: The occupation left; ``to_keco`` the one entered.
        similarity: Skill-overlap cosine (0–1) of the graph's weights.
        shared: Skills and knowledge areas of ``to_keco`` that ``from_keco`` also requires, in
            ``to_keco``'s order; ``required`` how many ``to_keco`` requires.
        shared_certificates: Certificates both occupations name.
        rank: Rank of ``to_keco`` among the 138 other occupations by affinity to ``from_keco`` (1 = closest).
        same_middle: Same 중분류; ``same_major`` same 대분류.
        observed: Observed moves (``observed_desired`` seekers' wishes + ``observed_hired`` hires).
        probability: P(to | from) of the graph.
    """

    from_keco: str
    to_keco: str
    similarity: float
    shared: tuple[str, ...]
    required: int
    shared_certificates: tuple[str, ...]
    rank: int
    same_middle: bool
    same_major: bool
    observed: int
    observed_desired: int
    observed_hired: int
    probability: float

    @property
    def similarity_pct(self) -> int:
        """:attr:`similarity` in whole percent."""
        return round(self.similarity * 100)

    @property
    def overlap_pct(self) -> int:
        """Share of ``to_keco``'s skills and knowledge that ``from_keco`` also requires, in whole percent."""
        return round(100 * len(self.shared) / self.required) if self.required else 0


def _counts(codes: Sequence[str], transitions: pd.DataFrame | None, column: str) -> np.ndarray:
    index = {c: i for i, c in enumerate(codes)}
    counts = np.zeros((len(codes), len(codes)), dtype=np.int64)
    if transitions is None or transitions.empty or column not in transitions.columns:
        return counts
    for a, b, n in zip(transitions["from_keco"].astype(str), transitions["to_keco"].astype(str),
                       transitions[column].fillna(0), strict=True):
        if a in index and b in index and a != b:
            counts[index[a], index[b]] += int(n)
    return counts


@dataclass(frozen=True, eq=False)
class OccupationGraph:
    """The occupations as a directed graph of plausible moves (module notes). Build with :meth:`build`.

    Attributes:
        ref: Reference tables the graph was built from.
        codes: KECO 소분류 codes in ``ref.occupations`` order (matrix rows and columns).
        similarity: Skill-overlap cosine; ``affinity`` with the classification bonus.
        observed: Observed moves (row: from, column: to); ``observed_desired`` / ``observed_hired`` its parts.
        probability: P(column | row) after smoothing.
        graph: The networkx DiGraph (edge attributes ``probability`` and ``cost``).
    """

    ref: Reference
    codes: tuple[str, ...]
    similarity: np.ndarray
    affinity: np.ndarray
    observed: np.ndarray
    observed_desired: np.ndarray
    observed_hired: np.ndarray
    prior: np.ndarray
    nearest: np.ndarray
    prior_strength: float
    probability: np.ndarray
    graph: nx.DiGraph

    @classmethod
    def build(cls, ref: Reference, transitions: pd.DataFrame | None = None, *,
              middle_bonus: float = MIDDLE_BONUS, major_bonus: float = MAJOR_BONUS,
              neighbours: int = NEIGHBOURS, prior_strength: float = PRIOR_STRENGTH) -> OccupationGraph:
        """The graph of the reference's occupations and the observed moves.

        Args:
            ref: Reference tables.
            transitions: Observed moves, columns ``from_keco, to_keco, n`` (optionally ``n_desired`` and
                ``n_hired``, its parts); ``None`` or empty: skill overlap and classification only.
            middle_bonus: Affinity for the same 중분류; ``major_bonus`` for the same 대분류 only.
            neighbours: Nearest occupations by affinity given an edge.
            prior_strength: Pseudo-moves of the affinity prior (κ).

        Returns:
            The graph.
        """
        codes = tuple(ref.occupations["keco_code"].astype(str))
        similarity = skill_similarity(ref)
        affinity = np.maximum(similarity + hierarchy_bonus(ref, middle_bonus, major_bonus), AFFINITY_FLOOR)
        np.fill_diagonal(affinity, 0.0)
        observed = _counts(codes, transitions, "n")
        prior = affinity / affinity.sum(axis=1, keepdims=True)
        probability = (observed + prior_strength * prior) / (observed.sum(axis=1, keepdims=True) + prior_strength)
        order = np.argsort(-affinity, axis=1, kind="stable")[:, :neighbours]
        nearest = np.zeros_like(affinity, dtype=bool)
        nearest[np.repeat(np.arange(len(codes)), order.shape[1]), order.ravel()] = True
        nearest |= nearest.T
        np.fill_diagonal(nearest, False)
        graph = nx.DiGraph()
        graph.add_nodes_from(codes)
        for i, j in zip(*np.nonzero(nearest | (observed > 0)), strict=True):
            graph.add_edge(codes[i], codes[j], probability=float(probability[i, j]),
                           cost=-math.log(float(probability[i, j])))
        return cls(ref=ref, codes=codes, similarity=similarity, affinity=affinity, observed=observed,
                   observed_desired=_counts(codes, transitions, "n_desired"),
                   observed_hired=_counts(codes, transitions, "n_hired"), prior=prior, nearest=nearest,
                   prior_strength=float(prior_strength), probability=probability, graph=graph)

    def excluding_wish(self, from_keco: str, to_keco: str) -> OccupationGraph:
        """The graph without one observed wish ``from_keco`` → ``to_keco``: a seeker's own wish is in the
        counts the service reads, and must not count as evidence for that seeker's own move.

        Returns ``self`` when no such wish was counted; otherwise a copy whose row of ``from_keco`` is
        recomputed (and whose edge is dropped when that wish was its only reason).
        """
        i, j = self.index(from_keco), self.index(to_keco)
        if self.observed_desired[i, j] <= 0:
            return self
        observed, desired = self.observed.copy(), self.observed_desired.copy()
        observed[i, j] -= 1
        desired[i, j] -= 1
        probability = self.probability.copy()
        probability[i] = (observed[i] + self.prior_strength * self.prior[i]) / (observed[i].sum() + self.prior_strength)
        graph = self.graph.copy()
        source = self.codes[i]
        for target in list(graph.successors(source)):
            k = self.index(target)
            if not self.nearest[i, k] and observed[i, k] <= 0:
                graph.remove_edge(source, target)
                continue
            graph.edges[source, target].update(probability=float(probability[i, k]),
                                               cost=-math.log(float(probability[i, k])))
        return replace(self, observed=observed, observed_desired=desired, probability=probability, graph=graph)

    # ----------------------------------------------------------------------- lookups

    def index(self, code: str) -> int:
        """Row of an occupation (``KeyError`` when unknown)."""
        return self._index[str(code)]

    @property
    def _index(self) -> dict[str, int]:
        return _code_index(self.codes)

    def __contains__(self, code: object) -> bool:
        return str(code) in self._index

    def name(self, code: str) -> str:
        """Korean name of an occupation."""
        return _names(self.ref)[str(code)]

    def neighbours(self, code: str) -> tuple[str, ...]:
        """Occupations with an edge from ``code``, likeliest move first."""
        targets = self.graph.successors(str(code))
        return tuple(sorted(targets, key=lambda t: (-self.graph.edges[str(code), t]["probability"], t)))

    def ranking(self, code: str) -> tuple[str, ...]:
        """Every other occupation by affinity to ``code``, closest first (ties by code)."""
        row = self.affinity[self.index(code)]
        order = sorted(range(len(self.codes)), key=lambda j: (-row[j], self.codes[j]))
        return tuple(self.codes[j] for j in order if self.codes[j] != str(code))

    def evidence(self, from_keco: str, to_keco: str) -> TransitionEvidence:
        """What supports the move ``from_keco`` → ``to_keco``."""
        i, j = self.index(from_keco), self.index(to_keco)
        occ = self.ref.occupations
        requirements, certificates = _requirements_map(self.ref), _certificates(self.ref)
        mine = set(requirements[str(from_keco)])
        theirs = set(certificates[str(from_keco)])
        return TransitionEvidence(
            from_keco=str(from_keco), to_keco=str(to_keco), similarity=float(self.similarity[i, j]),
            shared=tuple(item for item in requirements[str(to_keco)] if item in mine),
            required=len(requirements[str(to_keco)]),
            shared_certificates=tuple(c for c in certificates[str(to_keco)] if c in theirs),
            rank=1 + int((self.affinity[i] > self.affinity[i, j]).sum()),
            same_middle=bool(occ["middle_code"].iat[i] == occ["middle_code"].iat[j]),
            same_major=bool(occ["major_code"].iat[i] == occ["major_code"].iat[j]),
            observed=int(self.observed[i, j]), observed_desired=int(self.observed_desired[i, j]),
            observed_hired=int(self.observed_hired[i, j]), probability=float(self.probability[i, j]))

    # ----------------------------------------------------------------------- paths

    def paths(self, start: str | None, target: str, *, entry_weights: Mapping[str, float] | None = None,
              max_paths: int = MAX_PATHS, max_intermediate: int = MAX_INTERMEDIATE) -> list[tuple[str, ...]]:
        """Up to ``max_paths`` diverse paths from ``start`` to ``target``, cheapest first.

        Args:
            start: The occupation left; ``None`` for a seeker without one (then ``entry_weights``
                says how well the seeker fits each occupation: a virtual start node gets an edge to the
                best-fitting ones and to ``target``).
            target: The desired occupation.
            entry_weights: Occupation → fit of the seeker (≥ 0), for ``start=None``.
            max_paths: Most paths returned.
            max_intermediate: Most occupations between start and target.

        Returns:
            Paths as code tuples, each from ``start`` (or, for an entry, from its first occupation) to
            ``target``. The direct move is first when it is an edge (always, for an entry).
        """
        target = str(target)
        graph, source = self.graph, (str(start) if start is not None else _START)
        if start is None:
            graph = self._with_entry(target, entry_weights or {})
        if source not in graph or target not in graph or source == target:
            return []
        chosen: list[list[str]] = []
        if graph.has_edge(source, target):
            chosen.append([source, target])
        try:
            candidates = nx.shortest_simple_paths(graph, source, target, weight="cost")
            for k, path in enumerate(candidates):
                if k >= CANDIDATE_PATHS or len(chosen) >= max_paths:
                    break
                middle = set(path[1:-1])
                if len(middle) > max_intermediate or path in chosen:
                    continue
                if any(_overlap(middle, set(kept[1:-1])) >= DIVERSITY_OVERLAP for kept in chosen):
                    continue
                chosen.append(path)
        except nx.NetworkXNoPath:
            pass
        return [tuple(p[1:] if p[0] == _START else p) for p in chosen[:max_paths]]

    def _with_entry(self, target: str, weights: Mapping[str, float]) -> nx.DiGraph:
        graph = self.graph.copy()
        fits = {c: max(float(weights.get(c, 0.0)), 0.0) for c in self.codes}
        best = [c for c in sorted(self.codes, key=lambda c: (-fits[c], c)) if fits[c] > 0][:NEIGHBOURS]
        # a seeker who shows nothing the table knows still gets stepping stones: the target's neighbours
        heads = list(dict.fromkeys([target, *best, *self.neighbours(target)[:max(0, NEIGHBOURS - len(best))]]))
        total = sum(fits[c] + AFFINITY_FLOOR for c in heads)
        for code in heads:
            probability = (fits[code] + AFFINITY_FLOOR) / total
            graph.add_edge(_START, code, probability=probability, cost=-math.log(probability))
        return graph


@lru_cache(maxsize=8)
def _code_index(codes: tuple[str, ...]) -> dict[str, int]:
    return {c: i for i, c in enumerate(codes)}


@lru_cache(maxsize=4)
def _names(ref: Reference) -> dict[str, str]:
    return dict(zip(ref.occupations["keco_code"].astype(str), ref.occupations["name"].astype(str), strict=True))


@lru_cache(maxsize=4)
def _occupation_rows(ref: Reference) -> dict[str, pd.Series]:
    return {str(code): row for code, row in ref.occupations.set_index("keco_code").iterrows()}


@lru_cache(maxsize=4)
def _certificates(ref: Reference) -> dict[str, tuple[str, ...]]:
    return {str(c): tuple(split_items(v)) for c, v in zip(ref.occupations["keco_code"], ref.occupations["certificates"],
                                                           strict=True)}


@lru_cache(maxsize=4)
def _requirements_map(ref: Reference) -> dict[str, tuple[str, ...]]:
    occ = ref.occupations
    return {str(code): tuple(dict.fromkeys([*split_items(s), *split_items(k)]))
            for code, s, k in zip(occ["keco_code"], occ["skills"], occ["knowledge"], strict=True)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


# --------------------------------------------------------------------------- planning the steps


def entry_weights(context: SeekerContext, ref: Reference, *, text: str | None = None) -> dict[str, float]:
    """How well a seeker without a last occupation fits each occupation: the share of its skills and
    knowledge the seeker shows, plus half the share of its certificates held (``text``: the seeker's
    :func:`seeker_evidence_text`, when already computed)."""
    text = seeker_evidence_text(context) if text is None else text
    certificates = ";".join(context.certificates)
    weights: dict[str, float] = {}
    for code in ref.occupations["keco_code"].astype(str):
        gap = compute_skill_gap(ref, code, text, certificates)
        share = len(gap.certificates_held) / len(gap.certificates_required) if gap.certificates_required else 0.0
        weights[code] = gap.coverage * (1.0 if gap.required else 0.0) + 0.5 * share
    return weights


@dataclass(frozen=True)
class _Markets:
    market_wages: Mapping[str, float]
    demand: Mapping[str, float]
    open_courses: Mapping[str, int]
    demand_unit: str

    def demand_text(self, code: str) -> str:
        value = self.demand.get(code)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if self.demand_unit == "count":
            return f"열린 구인공고 {int(round(value)):,}건"
        return f"구직자 1명당 구인공고 {value:.1f}건"


@dataclass(frozen=True)
class _Shown:
    """What the seeker shows, computed once per task: the evidence text, certificates and entry fit."""

    text: str
    certificates: str
    entry_fit: Mapping[str, float]


def _step(graph: OccupationGraph, shown: _Shown, code: str, order: int, previous: str | None,
          known: set[str], markets: _Markets) -> dict[str, object]:
    ref = graph.ref
    row = _occupation_rows(ref)[code]
    gap = compute_skill_gap(ref, code, shown.text, shown.certificates)
    if previous is not None:
        evidence = graph.evidence(previous, code)
        transition = {"from_keco": previous, "similarity_pct": evidence.similarity_pct,
                      "overlap_pct": evidence.overlap_pct, "shared_items": list(evidence.shared),
                      "required_items": evidence.required, "shared_certificates": list(evidence.shared_certificates),
                      "rank": evidence.rank, "observed": evidence.observed,
                      "observed_desired": evidence.observed_desired, "observed_hired": evidence.observed_hired,
                      "same_middle": evidence.same_middle}
    else:
        transition = {"from_keco": None, "fit_pct": round(min(gap.coverage if gap.required else 0.0, 1.0) * 100),
                      "entry_weight": round(float(shown.entry_fit.get(code, 0.0)), 4)}
    market_wage = markets.market_wages.get(code)
    return {
        "order": order, "keco_code": code, "name": str(row["name"]),
        "wage_median": int(row["wage_median"]),
        "market_wage": None if market_wage is None or math.isnan(float(market_wage)) else int(round(float(market_wage))),
        "demand": None if markets.demand.get(code) is None else float(markets.demand[code]),
        "skills_to_gain": [item for item in gap.missing if item not in known],
        "certificates": list(gap.certificates_required), "certificates_held": list(gap.certificates_held),
        "open_courses": None if markets.open_courses.get(code) is None else int(markets.open_courses[code]),
        "typical_education": str(row["education_typical"]),
        "transition": transition,
    }


def _plan(graph: OccupationGraph, shown: _Shown, origin: str | None, steps: Sequence[str], kind: str,
          number: int, markets: _Markets) -> dict[str, object]:
    """One path as plain data: ``origin`` is the occupation before the first step (``None`` for an entry
    or a re-entry into the same occupation)."""
    requirements = _requirements_map(graph.ref)
    known: set[str] = set(requirements[origin]) if origin is not None else set()
    previous = origin
    planned = []
    for order, code in enumerate(steps, start=1):
        planned.append(_step(graph, shown, code, order, previous, known, markets))
        known |= set(requirements[code])
        previous = code
    codes = [*([origin] if origin is not None else []), *steps]
    return {"number": number, "kind": kind, "label": PATH_LABELS[kind], "codes": codes,
            "route": [graph.name(c) for c in codes], "origin": origin, "steps": planned,
            "observed_total": sum(int(s["transition"].get("observed") or 0) for s in planned)}


def _wage(amount: float | int) -> str:
    return f"월 {format_manwon(amount)}"


def _gain_label(kind: str) -> str:
    # re-entry and entry have no previous occupation: what is missing is what the seeker does not show yet
    return "아직 확인되지 않은 기술·지식" if kind in ("same", "entry") else "새로 익힐 기술·지식"


def _path_source(path: Mapping[str, object], graph: OccupationGraph, markets: _Markets) -> Source:
    number, steps = path["number"], path["steps"]
    lines = [f"경로 {number} ({path['label']}): {' → '.join(path['route'])}."]
    if path["origin"] is not None:
        origin = _occupation_rows(graph.ref)[str(path["origin"])]
        lines.append(f"출발 직종 {origin['name']}: 중위 임금 {_wage(origin['wage_median'])}.")
    for step in steps:
        facts = [f"중위 임금 {_wage(step['wage_median'])}"]
        if step["market_wage"] is not None:
            facts.append(f"구인공고 기준 시장임금 {_wage(step['market_wage'])}")
        if markets.demand_text(step["keco_code"]):
            facts.append(markets.demand_text(step["keco_code"]))
        if step["open_courses"] is not None:
            facts.append(f"열린 훈련 과정 {step['open_courses']}개")
        facts.append(f"일반적인 학력 {step['typical_education']}")
        move = step["transition"]
        if move["from_keco"] is not None:
            shared = ", ".join(move["shared_items"]) or "없음"
            facts.append(f"이전 직종에서 가까운 직종 순위 {move['rank']}위")
            facts.append(f"요구 기술·지식 {move['required_items']}개 중 이전 직종과 겹치는 {len(move['shared_items'])}개"
                         f"({move['overlap_pct']}%): {shared}")
            if move["shared_certificates"]:
                facts.append(f"이전 직종과 같은 관련 자격증: {', '.join(move['shared_certificates'])}")
            facts.append(f"기술·지식 유사도(가중 코사인) {move['similarity_pct']}%")
            facts.append(f"관찰된 전환 {move['observed']}건(희망 {move['observed_desired']}건, "
                         f"채용 {move['observed_hired']}건)")
        else:
            facts.append(f"보유 기술·지식으로 본 충족도 {move['fit_pct']}%")
        gain = step["skills_to_gain"]
        facts.append(f"{_gain_label(str(path['kind']))} {len(gain)}개: {', '.join(gain) or '없음'}")
        certificates = ", ".join(step["certificates"]) or "없음"
        held = ", ".join(step["certificates_held"]) or "없음"
        facts.append(f"관련 자격증: {certificates} (보유: {held})")
        lines.append(f"{step['order']}단계 {step['name']}: " + "; ".join(facts) + ".")
    lines.append(f"관찰된 전환 합계 {path['observed_total']}건.")
    return Source(f"derived.path.{number}", f"경로 {number} 계산", "\n".join(lines))


def _observed_clause(count: int) -> str:
    if count:
        return f"구직자·채용 기록에서 같은 전환이 {count}건 관찰되었습니다."
    return "구직자·채용 기록에서 같은 전환은 관찰되지 않았습니다."


def _overlap_clause(move: Mapping[str, object]) -> str:
    """"요구 기술·지식 16개 중 3개(19%)가 겹치며" — the interpretable side of the edge weight."""
    shared = list(move["shared_items"])
    if not shared:
        return f"요구 기술·지식 {move['required_items']}개 중 겹치는 것은 없으며"
    return (f"요구 기술·지식 {move['required_items']}개 중 {len(shared)}개({move['overlap_pct']}%: "
            f"{listed(shared, 3)})가 겹치며")


def _path_statement(path: Mapping[str, object], keys: tuple[str, ...]) -> Statement:
    number, label, kind = path["number"], path["label"], path["kind"]
    steps, route = path["steps"], " → ".join(path["route"])
    first, last = steps[0], steps[-1]
    head = josa(f"경로 {number}({label})", "은", "는")
    if kind in ("direct", "alternative"):
        move = first["transition"]
        lead = "희망 직종 재취업이 늦어질 때 검토할 대안이며, " if kind == "alternative" else ""
        text = (f"{head} {route}입니다. {lead}{josa(last['name'], '은', '는')} {path['route'][0]}에서 가까운 직종 "
                f"{move['rank']}위로, {_overlap_clause(move)} {_observed_clause(path['observed_total'])}")
    elif kind == "via":
        middle = ", ".join(s["name"] for s in steps[:-1])
        shared = ", ".join(f"{len(s['transition']['shared_items'])}개" for s in steps)
        observed = (f"관찰된 전환은 모두 {path['observed_total']}건입니다." if path["observed_total"]
                    else "관찰된 전환 사례는 없습니다.")
        text = (f"{head} {route}입니다. {josa(middle, '을', '를')} 거치며 단계마다 앞 직종과 겹치는 기술·지식은 "
                f"{shared}이고, {observed}")
    elif kind == "entry":
        text = (f"{head} {josa(last['name'], '에', '에')} 바로 진입하는 길로, 요구 기술·지식 중 보유 기술과 경력에서 "
                f"확인되는 것은 {first['transition']['fit_pct']}%입니다.")
    elif kind == "entry_via":
        text = (f"{head} {route}입니다. 요구 기술·지식의 {first['transition']['fit_pct']}%가 이미 확인되는 "
                f"{first['name']}에서 먼저 경험을 쌓은 뒤 {josa_ro(last['name'])} 옮깁니다.")
    else:
        text = (f"{head} 최근 직종과 같은 {josa(last['name'], '에', '에')} 다시 취업하는 길로, 요구 기술·지식의 "
                f"{first['transition']['fit_pct']}%가 보유 기술과 경력에서 확인됩니다.")
    return Statement(text, keys, "path")


def _step_statement(path: Mapping[str, object], step: Mapping[str, object], markets: _Markets,
                    keys: tuple[str, ...]) -> Statement:
    number, steps = path["number"], path["steps"]
    ordinal = _ORDINALS[min(int(step["order"]), len(_ORDINALS)) - 1]
    head = (f"경로 {number}의 {ordinal} 단계 {step['name']}" if len(steps) > 1
            else f"경로 {number}의 {step['name']} 단계")
    sentences: list[str] = []
    gain = list(step["skills_to_gain"])
    if gain:
        sentences.append(f"{_gain_label(str(path['kind']))}은 {listed(gain)}입니다")
    elif step["transition"]["from_keco"] is not None:
        sentences.append("앞 단계에서 쌓은 기술·지식으로 대부분 준비됩니다")
    else:
        sentences.append("요구 기술·지식을 대부분 보여 주고 있습니다")
    certificates, held = list(step["certificates"]), list(step["certificates_held"])
    if certificates and len(held) == len(certificates):
        sentences.append(f"관련 자격증 {josa(listed(held), '은', '는')} 이미 보유하고 있습니다")
    elif certificates and held:
        sentences.append(f"관련 자격증은 {listed(certificates)}이며, 이 중 {josa(listed(held), '을', '를')} "
                         "보유하고 있습니다")
    elif certificates:
        sentences.append(f"관련 자격증은 {listed(certificates)}입니다")
    market = [f"중위 임금은 {_wage(step['wage_median'])}"
              + (f"(구인공고 기준 {_wage(step['market_wage'])})" if step["market_wage"] is not None else "")]
    if markets.demand_text(str(step["keco_code"])):
        market.append(markets.demand_text(str(step["keco_code"])))
    if step["open_courses"]:
        market.append(f"열린 훈련 과정 {step['open_courses']}개")
    sentences.append(", ".join(market) + "입니다")
    if step["open_courses"]:
        sentences.append("훈련 과정은 훈련 추천에서 확인할 수 있습니다")
    elif step["open_courses"] == 0:
        sentences.append("지금 열린 훈련 과정은 없습니다")
    return Statement(f"{head}: " + ". ".join(sentences) + ".", keys, "step")


def _path_keys(paths: Sequence[Mapping[str, object]]) -> tuple[str, ...]:
    return tuple(f"derived.path.{p['number']}" for p in paths)


def _numbers_text(numbers: Sequence[object]) -> str:
    """"경로 2, 3" → the subject of a sentence about several paths."""
    return josa("경로 " + ", ".join(str(n) for n in numbers), "은", "는")


def _cautions(context: SeekerContext, graph: OccupationGraph, paths: Sequence[Mapping[str, object]],
              markets: _Markets, direct_key: str | None) -> list[Statement]:
    out: list[Statement] = []
    desired_code = str(context.desired_keco)
    if direct_key is not None and context.last_keco:
        out.append(Statement(
            f"{josa(graph.name(str(context.last_keco)), '에서', '에서')} {josa_ro(graph.name(desired_code))} 바로 옮기는 "
            "경로는 두 직종이 서로 가까운 직종에 들지 않아 제외했고, 중간 직종을 거치는 경로를 제시했습니다.",
            (direct_key, "record.career", "record.desired_occupation"), "caution"))
    occupations = _occupation_rows(graph.ref)
    for path in paths:
        key, previous = f"derived.path.{path['number']}", path["origin"]
        for step in path["steps"]:
            if previous is not None and step["wage_median"] < WAGE_DROP * float(occupations[previous]["wage_median"]):
                before = occupations[previous]
                out.append(Statement(
                    f"경로 {path['number']}의 {step['name']} 단계는 중위 임금이 {josa_ro(_wage(step['wage_median']))} "
                    f"{before['name']}({_wage(before['wage_median'])})보다 낮습니다.",
                    (key, f"table.occupation.{step['keco_code']}", f"table.occupation.{previous}"), "caution"))
            previous = str(step["keco_code"])
    steps = {str(s["keco_code"]): (s, p) for p in reversed(paths) for s in p["steps"]}
    seeker_rank = education_rank(context.education)
    higher = [(s, p) for s, p in steps.values()
              if seeker_rank >= 0 and education_rank(str(s["typical_education"])) > seeker_rank]
    if higher:
        named = ", ".join(f"{s['name']}({s['typical_education']})" for s, _ in higher)
        out.append(Statement(
            f"일반적인 학력이 현재 학력({context.education})보다 높은 직종이 있습니다: {named}. 학력 요건과 대신 "
            "인정되는 경력·자격을 확인해야 합니다.",
            (*_path_keys([p for _, p in higher]), "record.education"), "caution"))
    low = [(s, p) for s, p in steps.values() if markets.demand_unit == "ratio"
           and markets.demand.get(str(s["keco_code"])) is not None
           and float(markets.demand[str(s["keco_code"])]) < LOW_DEMAND_RATIO]
    if low:
        named = ", ".join(f"{s['name']}({markets.demand_text(str(s['keco_code']))})" for s, _ in low)
        out.append(Statement(f"수요가 적어 구직 기간이 길어질 수 있는 직종: {named}.",
                             _path_keys([p for _, p in low]), "caution"))
    unobserved = [p for p in paths if p["kind"] in ("via", "entry_via") and not p["observed_total"]]
    if unobserved:
        out.append(Statement(
            f"{_numbers_text([p['number'] for p in unobserved])} 구직자·채용 기록에서 관찰된 전환 사례가 없어 "
            "기술·지식 겹침과 직업 분류만으로 제안한 경로입니다.", _path_keys(unobserved), "caution"))
    desired = occupations[desired_code]
    if context.desired_wage > HIGH_WISH * float(desired["wage_median"]):
        out.append(Statement(
            f"희망 임금 {josa(_wage(context.desired_wage), '은', '는')} {desired['name']}의 중위 임금 "
            f"{_wage(desired['wage_median'])}보다 높아, 마지막 단계에서도 임금 조정이 필요할 수 있습니다.",
            ("record.desired_wage", f"table.occupation.{desired_code}"), "caution"))
    if paths:
        out.append(Statement(
            "경로는 직업 정보의 기술·지식 겹침과 구직자·채용 기록으로 계산한 참고안이므로, 구직자의 상황과 선호를 "
            "확인해 함께 정하세요.", _path_keys(paths), "caution"))
    return out


def roadmap_task(context: SeekerContext, graph: OccupationGraph, *, market_wages: Mapping[str, float] | None = None,
                 demand: Mapping[str, float] | None = None, open_courses: Mapping[str, int] | None = None,
                 demand_unit: Literal["ratio", "count"] = "ratio", counts_include_seeker: bool = True) -> CopilotTask:
    """The 경력 로드맵 task of one seeker.

    Args:
        context: The seeker (masked).
        graph: The occupation graph (:meth:`OccupationGraph.build`).
        market_wages: KECO 소분류 → market monthly wage of the world's postings (원), when known.
        demand: KECO 소분류 → demand: postings per seeker wanting the occupation (``demand_unit="ratio"``)
            or open postings (``"count"``).
        open_courses: KECO 소분류 → number of open training courses aimed at it.
        demand_unit: What ``demand`` holds.
        counts_include_seeker: Whether the graph's observed moves include this seeker's own wish (they
            do when read from the database the seeker is in): it is taken out, so that the seeker's own
            wish is no evidence for their move.

    Returns:
        The task: record and reference sources, one derived source per path (``derived.path.N``,
        "경로 N 계산": occupations, wages, demand, skills, certificates, courses and the transition
        evidence, worded as the statements word them), the offline statements and ``data`` with the
        paths as plain dicts (``mode``, ``origin``, ``desired``, ``paths``).

    Raises:
        KeyError: The desired occupation is not in the graph.
    """
    markets = _Markets(market_wages or {}, demand or {}, open_courses or {}, demand_unit)
    desired = str(context.desired_keco)
    graph.index(desired)
    origin = str(context.last_keco) if context.last_keco and str(context.last_keco) in graph else None
    text = seeker_evidence_text(context)
    shown = _Shown(text, ";".join(context.certificates), {})
    if origin is not None and origin != desired and counts_include_seeker:
        graph = graph.excluding_wish(origin, desired)
    plans: list[dict[str, object]] = []
    if origin == desired:
        mode = "same"
        plans.append(_plan(graph, shown, None, [desired], "same", 1, markets))
        for code in graph.neighbours(desired)[:MAX_PATHS - 1]:
            plans.append(_plan(graph, shown, desired, [code], "alternative", len(plans) + 1, markets))
    elif origin is not None:
        mode = "transition"
        routes = graph.paths(origin, desired) or [(origin, desired)]
        for route in routes:
            kind = "direct" if len(route) == 2 else "via"
            plans.append(_plan(graph, shown, origin, list(route[1:]), kind, len(plans) + 1, markets))
    else:
        mode = "entry"
        shown = replace(shown, entry_fit=entry_weights(context, graph.ref, text=text))
        for route in graph.paths(None, desired, entry_weights=shown.entry_fit):
            kind = "entry" if len(route) == 1 else "entry_via"
            plans.append(_plan(graph, shown, None, list(route), kind, len(plans) + 1, markets))

    path_sources = [_path_source(p, graph, markets) for p in plans]
    codes = list(dict.fromkeys([*(c for p in plans for c in p["codes"]), desired]))
    table_sources = [occupation_source(graph.ref, c) for c in codes]
    direct_key = None
    extra_sources: list[Source] = []
    if mode == "transition" and not any(p["kind"] == "direct" for p in plans):
        evidence = graph.evidence(origin, desired)
        direct_key = "derived.direct"
        extra_sources.append(Source(direct_key, "직접 전환 검토", (
            f"{graph.name(origin)} → {graph.name(desired)}: 가까운 직종 순위 {evidence.rank}위, 요구 기술·지식 "
            f"{evidence.required}개 중 겹치는 {len(evidence.shared)}개, 기술·지식 유사도(가중 코사인) "
            f"{evidence.similarity_pct}%, 관찰된 전환 {evidence.observed}건. 서로의 가까운 직종 {NEIGHBOURS}개 안에 "
            "들지 않고 관찰된 전환도 없어 직접 경로에서 제외.")))
    statements: list[Statement] = []
    for plan in plans:
        key = f"derived.path.{plan['number']}"
        tables = tuple(f"table.occupation.{c}" for c in plan["codes"])
        anchor = ("record.career",) if mode != "entry" else ("record.skills",)
        statements.append(_path_statement(plan, (key, *tables, *anchor)))
        for step in plan["steps"]:
            statements.append(_step_statement(plan, step, markets, (key, f"table.occupation.{step['keco_code']}")))
    statements += _cautions(context, graph, plans, markets, direct_key)

    def summary(code: str | None) -> dict[str, object] | None:
        if code is None:
            return None
        row = _occupation_rows(graph.ref)[code]
        return {"keco_code": code, "name": str(row["name"]), "wage_median": int(row["wage_median"])}

    data = {"mode": mode, "origin": summary(origin), "desired": summary(desired), "paths": plans,
            "demand_unit": demand_unit}
    sources = (*context.record_sources(), *table_sources, *path_sources, *extra_sources)
    return CopilotTask(name="roadmap", title="경력 로드맵", instruction=ROADMAP_INSTRUCTION, kinds=ROADMAP_KINDS,
                       sources=sources, offline=tuple(statements), max_statements=24, data=data)


def statements_by_path(output: CopilotOutput) -> dict[int, tuple[Statement, ...]]:
    """The shown statements of a checked roadmap output grouped by the path whose computation they cite
    (0: none or several, such as a general caution) — the page shows each path's card with its own."""
    groups: dict[int, list[Statement]] = {}
    for statement in output.shown:
        numbers = {int(k.rsplit(".", 1)[1]) for k in statement.sources
                   if k.startswith("derived.path.") and k.rsplit(".", 1)[1].isdigit()}
        groups.setdefault(numbers.pop() if len(numbers) == 1 else 0, []).append(statement)
    return {n: tuple(s) for n, s in sorted(groups.items())}
