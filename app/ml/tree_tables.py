"""A LightGBM ensemble of small trees as lookup tables: the same predictions and TreeSHAP values,
for batches of millions of rows.

Why: a national batch (3.6 million seekers) needs five boosters' predictions, TreeSHAP and the
service on/off predictions per seeker. LightGBM walks 800 trees per row and booster (about 15 µs
a row) and its TreeSHAP costs about 140 µs a row — together more than the whole time budget.

How (exact, not an approximation): a tree is a function of the *bins* its thresholds cut its
features into, and so is its path-dependent TreeSHAP (which side of each split a row goes is all
it reads of the row). Trees that split on the same set of features (at most three for 4-leaf
trees) are summed into one table over their combined bins, of the prediction and of each
feature's SHAP value. A row's features are binned once per feature (``np.searchsorted``), and
each table is one look-up: a batch costs a few hundred vectorised look-ups instead of 800 tree
walks per row. The sums are the same numbers added in another order, so results agree with
LightGBM's to rounding (about 1e-15; every compiled booster is checked against LightGBM on rows
that visit every bin, and a booster that does not agree is left to LightGBM).

Why not a library: lleaves (LightGBM compiled with LLVM) speeds up predictions only, not TreeSHAP,
and fasttreeshap still walks every tree for every row; neither knows that a service switched on or
off needs only the few tables that read it.

SHAP per tree is computed from its definition: the Shapley values of the game
v(S) = E[f(x) | x_S] where features outside S follow the training rows' counts down the tree —
exactly what LightGBM's ``pred_contrib`` (path-dependent TreeSHAP) computes, enumerating the
subsets of a tree's (at most a few) features instead of unwinding paths.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from app.threads import thread_count

CELL_LIMIT = 1 << 15
"""Cells of one table at most; trees sharing a feature set are split over several tables above it
(memory and build time stay small: a table's cells × its trees are what it costs to build)."""
MAX_TREE_FEATURES = 6
"""Distinct features of one tree at most (2^features subsets per SHAP value); deeper trees are left to LightGBM."""
CHECK_TOLERANCE = 1e-9
ZERO_THRESHOLD = float(np.float32(1e-35))
"""LightGBM's ``kZeroThreshold``: its dense-matrix reader keeps only values whose magnitude is above
it, so smaller ones are read as 0.0 (which side of a threshold near zero they fall on depends on it)."""


class Unsupported(ValueError):
    """A booster this module does not tabulate (zero-as-missing splits, multiclass, linear trees …)."""


@dataclass
class _Node:
    feature: int
    threshold: float | frozenset[int]
    default_left: bool
    left: _Node | float
    right: _Node | float
    count: float
    left_count: float
    right_count: float


@dataclass
class _Feature:
    """How one feature's values fall into bins (shared by every table of a booster)."""

    categorical: bool
    thresholds: np.ndarray = field(default_factory=lambda: np.empty(0))
    nan_is_missing: bool = False
    categories: int = 0

    @property
    def bins(self) -> int:
        if self.categorical:
            return self.categories + 1  # every category a split names, then "any other" (NaN, negative, unseen)
        return len(self.thresholds) + 1 + int(self.nan_is_missing)

    def bin(self, values: np.ndarray) -> np.ndarray:
        """Bin of each value, as LightGBM's decision functions read it."""
        values = np.asarray(values, dtype=float)
        values = np.where(np.abs(values) <= ZERO_THRESHOLD, 0.0, values)
        if self.categorical:
            with np.errstate(invalid="ignore"):
                codes = np.trunc(values)  # static_cast<int>
            inside = np.isfinite(codes) & (codes >= 0) & (codes < self.categories)
            return np.where(inside, np.nan_to_num(codes), self.categories).astype(np.intp)
        missing = np.isnan(values)
        if not self.nan_is_missing:
            # LightGBM reads NaN as 0.0 where a feature had no missing values in training
            return np.searchsorted(self.thresholds, np.where(missing, 0.0, values), side="left")
        binned = np.searchsorted(self.thresholds, np.where(missing, 0.0, values), side="left")
        return np.where(missing, len(self.thresholds) + 1, binned)

    def representatives(self) -> list[np.ndarray]:
        """Values that land in every bin, at both edges of each (for the check against LightGBM)."""
        if self.categorical:
            codes = np.arange(self.categories, dtype=float)
            return [np.append(codes, np.nan), np.append(codes + 0.25, -1.0)]
        t = self.thresholds
        above = t[-1] + max(1.0, abs(t[-1])) if len(t) else 0.0
        at = np.append(t, above)
        below = np.nextafter(np.append(-np.inf, t), np.inf)  # just above the previous threshold
        below[0] = t[0] - max(1.0, abs(t[0]))
        return [np.append(at, np.nan), np.append(below, np.nan)]


def _node(tree: dict, features: dict[int, _Feature]) -> _Node | float:
    if "leaf_value" in tree:
        return float(tree["leaf_value"])
    feature = int(tree["split_feature"])
    missing = tree.get("missing_type", "None")
    left, right = tree["left_child"], tree["right_child"]
    if tree["decision_type"] == "==":
        threshold: float | frozenset[int] = frozenset(int(c) for c in str(tree["threshold"]).split("||"))
        spec = features.setdefault(feature, _Feature(categorical=True))
        if not spec.categorical:
            raise Unsupported("a feature split both ways")
    elif tree["decision_type"] == "<=":
        if missing == "Zero":
            raise Unsupported("zero as missing")
        threshold = float(tree["threshold"])
        spec = features.setdefault(feature, _Feature(categorical=False))
        if spec.categorical:
            raise Unsupported("a feature split both ways")
        spec.nan_is_missing = spec.nan_is_missing or missing == "NaN"
    else:
        raise Unsupported(f"decision type {tree['decision_type']}")
    return _Node(feature=feature, threshold=threshold, default_left=bool(tree.get("default_left", False)),
                 left=_node(left, features), right=_node(right, features), count=float(tree["internal_count"]),
                 left_count=_count(left), right_count=_count(right))


def _count(tree: dict) -> float:
    return float(tree["leaf_count"] if "leaf_value" in tree else tree["internal_count"])


def _walk(node: _Node | float):
    if isinstance(node, _Node):
        yield node
        yield from _walk(node.left)
        yield from _walk(node.right)


def _goes_left(node: _Node, spec: _Feature, bins: np.ndarray) -> np.ndarray:
    """Which bins of ``node``'s feature go left (NaN, for a feature with missing values, goes the default way)."""
    if spec.categorical:
        return np.isin(bins, np.fromiter(node.threshold, dtype=np.intp))  # type: ignore[arg-type]
    index = int(np.searchsorted(spec.thresholds, node.threshold))
    if spec.nan_is_missing:
        return np.where(bins == len(spec.thresholds) + 1, node.default_left, bins <= index)
    return bins <= index


def _expected(node: _Node | float, known: frozenset[int], bins: dict[int, np.ndarray], specs: dict[int, _Feature],
              size: int) -> np.ndarray:
    """v(S): the tree's output knowing the features in ``known`` (the others follow the training counts)."""
    if not isinstance(node, _Node):
        return np.full(size, node)
    left = _expected(node.left, known, bins, specs, size)
    right = _expected(node.right, known, bins, specs, size)
    if node.feature in known:
        return np.where(_goes_left(node, specs[node.feature], bins[node.feature]), left, right)
    return (node.left_count * left + node.right_count * right) / node.count


def _tree_tables(root: _Node | float, features: Sequence[int], bins: dict[int, np.ndarray], specs: dict[int, _Feature],
                 size: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(output per cell, SHAP per cell and feature of ``features``, expected value) of one tree whose
    split features are ``features``: the Shapley values of v(S) over the subsets S of them."""
    m = len(features)
    value = {frozenset(s): _expected(root, frozenset(s), bins, specs, size)
             for k in range(m + 1) for s in combinations(features, k)}
    shap = np.zeros((size, m))
    for j, feature in enumerate(features):
        others = [f for f in features if f != feature]
        for k in range(m):
            weight = math.factorial(k) * math.factorial(m - k - 1) / math.factorial(m)
            for subset in combinations(others, k):
                s = frozenset(subset)
                shap[:, j] += weight * (value[s | {feature}] - value[s])
    return value[frozenset(features)], shap, float(value[frozenset()][0])


@dataclass
class _Table:
    columns: tuple[int, ...]
    lookups: tuple[np.ndarray, ...]
    """Per column: the booster's bin → this table's bin."""
    strides: tuple[int, ...]
    output: np.ndarray
    shap: np.ndarray

    def __post_init__(self) -> None:
        self.shap_columns = [np.ascontiguousarray(self.shap[:, k]) for k in range(self.shap.shape[1])]
        # the stride folded into each look-up: a row's cell is a sum of look-ups
        self.offsets = [(column, (lookup * stride).astype(np.intp))
                        for column, lookup, stride in zip(self.columns, self.lookups, self.strides, strict=True)]

    def cells(self, binned: dict[int, np.ndarray], rows: int) -> np.ndarray:
        (first, offset), *rest = self.offsets
        cell = offset[binned[first]]
        for column, offset in rest:
            cell += offset[binned[column]]
        return cell


def _local_lookup(spec: _Feature, used: np.ndarray | None) -> np.ndarray:
    """Bin of ``spec`` → bin among the thresholds ``used`` (a subset of ``spec``'s thresholds)."""
    if spec.categorical or used is None:
        return np.arange(spec.bins, dtype=np.intp)
    positions = np.searchsorted(spec.thresholds, used)
    lookup = np.searchsorted(positions, np.arange(len(spec.thresholds) + 1), side="left")
    if spec.nan_is_missing:
        lookup = np.append(lookup, len(used) + 1)
    return lookup.astype(np.intp)


def _narrowed(spec: _Feature, used: np.ndarray | None) -> _Feature:
    """``spec`` binned by the thresholds ``used`` only."""
    if spec.categorical or used is None:
        return spec
    return _Feature(categorical=False, thresholds=used, nan_is_missing=spec.nan_is_missing)


def _thresholds(roots: Sequence[_Node | float], column: int, spec: _Feature) -> np.ndarray | None:
    if spec.categorical:
        return None
    return np.unique(np.array([n.threshold for r in roots for n in _walk(r) if n.feature == column], dtype=float))


def _grid(specs: Sequence[_Feature]) -> tuple[int, tuple[int, ...], np.ndarray]:
    sizes = [spec.bins for spec in specs]
    size = math.prod(sizes)
    strides = tuple(math.prod(sizes[k + 1:]) for k in range(len(sizes)))
    return size, strides, np.indices(sizes).reshape(len(sizes), -1)


def _build_table(roots: list[_Node | float], columns: tuple[int, ...], specs: dict[int, _Feature]) -> tuple[_Table, float]:
    """One table of trees that split on ``columns``: each tree is tabulated on its own few bins and
    spread over the table's cells."""
    used = {c: _thresholds(roots, c, specs[c]) for c in columns}
    table_specs = {c: _narrowed(specs[c], used[c]) for c in columns}
    size, strides, grid = _grid([table_specs[c] for c in columns])
    cell_bins = {c: grid[k] for k, c in enumerate(columns)}
    output = np.zeros(size)
    shap = np.zeros((size, len(columns)))
    expected = 0.0
    for root in roots:
        features = sorted({n.feature for n in _walk(root)})
        own = {c: _thresholds([root], c, table_specs[c]) for c in features}
        tree_specs = {c: _narrowed(table_specs[c], own[c]) for c in features}
        tree_size, tree_strides, tree_grid = _grid([tree_specs[c] for c in features])
        tree_output, tree_shap, tree_expected = _tree_tables(
            root, features, {c: tree_grid[k] for k, c in enumerate(features)}, tree_specs, tree_size)
        tree_cell = np.zeros(size, dtype=np.intp)
        for c, stride in zip(features, tree_strides, strict=True):
            tree_cell += _local_lookup(table_specs[c], own[c])[cell_bins[c]] * stride
        output += tree_output[tree_cell]
        shap[:, [columns.index(c) for c in features]] += tree_shap[tree_cell]
        expected += tree_expected
    lookups = tuple(_local_lookup(specs[c], used[c]) for c in columns)
    return _Table(columns=columns, lookups=lookups, strides=strides, output=output, shap=shap), expected


def _groups(roots: list[_Node | float], specs: dict[int, _Feature]) -> list[tuple[tuple[int, ...], list[_Node | float]]]:
    """Trees by the features they split on, in tree order, a group split where its table would pass CELL_LIMIT."""
    by_features: dict[tuple[int, ...], list[list[_Node | float]]] = {}
    thresholds: dict[tuple[int, ...], list[dict[int, set]]] = {}
    for root in roots:
        columns = tuple(sorted({n.feature for n in _walk(root)}))
        if len(columns) > MAX_TREE_FEATURES:
            raise Unsupported("a tree with too many features")
        mine = {c: {n.threshold for n in _walk(root) if n.feature == c} for c in columns}
        groups = by_features.setdefault(columns, [[]])
        seen = thresholds.setdefault(columns, [{c: set() for c in columns}])
        merged = {c: seen[-1][c] | mine[c] for c in columns}
        cells = math.prod(specs[c].bins if specs[c].categorical else len(merged[c]) + 2 for c in columns)
        if groups[-1] and cells > CELL_LIMIT:
            groups.append([])
            seen.append({c: set() for c in columns})
            merged = mine
        groups[-1].append(root)
        seen[-1] = merged
    return [(columns, trees) for columns, parts in by_features.items() for trees in parts]


class TreeTables:
    """One LightGBM booster as lookup tables (see the module docstring).

    Args:
        dump: ``Booster.dump_model()`` of a single-output model.
        n_features: Columns of the matrices it will score.

    Raises:
        Unsupported: The booster has splits or trees these tables do not reproduce.
    """

    def __init__(self, dump: dict, n_features: int) -> None:
        if int(dump.get("num_tree_per_iteration", 1)) != 1 or dump.get("average_output"):
            raise Unsupported("one output per iteration, summed, only")
        self.n_features = n_features
        self.specs: dict[int, _Feature] = {}
        roots = [_node(tree["tree_structure"], self.specs) for tree in dump["tree_info"]]
        if any(tree.get("is_linear") for tree in dump["tree_info"]):
            raise Unsupported("linear trees")
        for feature, spec in self.specs.items():
            nodes = [n for r in roots for n in _walk(r) if n.feature == feature]
            if spec.categorical:
                spec.categories = max(max(n.threshold) for n in nodes) + 1  # type: ignore[arg-type]
            else:
                spec.thresholds = np.unique(np.array([n.threshold for n in nodes], dtype=float))
        self.constant = 0.0
        """Sum of the one-leaf trees' outputs."""
        self.expected = 0.0
        """The expected raw score (TreeSHAP's last column)."""
        self.tables: list[_Table] = []
        for columns, trees in _groups(roots, self.specs):
            if not columns:  # one-leaf trees
                self.constant += float(sum(trees))  # type: ignore[arg-type]
                self.expected += float(sum(trees))  # type: ignore[arg-type]
                continue
            table, expected = _build_table(trees, columns, self.specs)
            self.tables.append(table)
            self.expected += expected

    def binned(self, matrix: np.ndarray) -> dict[int, np.ndarray]:
        """Each used feature's bins of the rows of ``matrix``."""
        return {feature: spec.bin(matrix[:, feature]) for feature, spec in self.specs.items()}

    def raw(self, matrix: np.ndarray, binned: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """Raw scores (log-odds), as ``Booster.predict(raw_score=True)``."""
        binned = self.binned(matrix) if binned is None else binned
        out = np.full(len(matrix), self.constant)
        for table in self.tables:
            out += table.output[table.cells(binned, len(matrix))]
        return out

    def raw_and_contributions(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(raw scores, contributions with the expected value last), as ``pred_contrib=True``."""
        binned = self.binned(matrix)
        raw = np.full(len(matrix), self.constant)
        by_feature = np.zeros((self.n_features + 1, len(matrix)))  # one contiguous row per feature
        for table in self.tables:
            cell = table.cells(binned, len(matrix))
            raw += table.output[cell]
            for k, column in enumerate(table.columns):
                by_feature[column] += table.shap_columns[k][cell]
        by_feature[-1] = self.expected
        return raw, by_feature.T

    def switched(self, matrix: np.ndarray, raw: np.ndarray, column: int, value: float,
                 binned: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """Raw scores of the rows with ``column`` set to ``value`` (only the tables that read it are looked up again)."""
        binned = self.binned(matrix) if binned is None else binned
        spec = self.specs.get(column)
        if spec is None:
            return raw.copy()
        changed = dict(binned)
        changed[column] = np.broadcast_to(spec.bin(np.array([value]))[0], len(matrix))
        out = raw.copy()
        for table in self.tables:
            if column in table.columns:
                out += table.output[table.cells(changed, len(matrix))] - table.output[table.cells(binned, len(matrix))]
        return out

    def check(self, booster: object, rng: np.random.Generator) -> float:
        """Largest difference from LightGBM's raw scores and TreeSHAP on rows that visit every bin of
        every feature, at both edges, and missing values."""
        columns = []
        for feature in range(self.n_features):
            spec = self.specs.get(feature)
            values = np.concatenate(spec.representatives()) if spec else np.array([0.0, np.nan])
            columns.append(values)
        rows = max(len(c) for c in columns)
        matrix = np.column_stack([rng.permutation(np.resize(c, rows)) for c in columns])
        raw, contributions = self.raw_and_contributions(matrix)
        expected_raw = np.asarray(booster.predict(matrix, raw_score=True, num_threads=thread_count()), dtype=float)  # type: ignore[attr-defined]
        expected_contrib = np.asarray(booster.predict(matrix, pred_contrib=True, num_threads=thread_count()), dtype=float)  # type: ignore[attr-defined]
        return float(max(np.abs(raw - expected_raw).max(), np.abs(contributions - expected_contrib).max()))


_COMPILED: weakref.WeakKeyDictionary[object, TreeTables | None] = weakref.WeakKeyDictionary()


def tree_tables(model: object, n_features: int) -> TreeTables | None:
    """The checked :class:`TreeTables` of a fitted ``LGBMClassifier`` (built once per model object),
    or ``None`` when the booster cannot be tabulated or its tables disagree with LightGBM."""
    if model in _COMPILED:
        return _COMPILED[model]
    booster = model.booster_  # type: ignore[attr-defined]
    try:
        tables: TreeTables | None = TreeTables(booster.dump_model(), n_features)
        if tables.check(booster, np.random.default_rng(0)) > CHECK_TOLERANCE:  # type: ignore[union-attr]
            tables = None
    except Unsupported:
        tables = None
    _COMPILED[model] = tables
    return tables
