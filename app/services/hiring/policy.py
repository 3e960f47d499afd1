"""Policy view of the hiring-success model: every posting scored, fill probability by occupation and
region, and the postings at risk of not being filled (candidates for hiring consulting).

Scoring is vectorised: posting fields come from one query (section counts and text length are
computed by the database, not by loading the texts) and the boosters score the whole float matrix
at once (tens of thousands of postings a second on two cores).

The page reads no posting's row but those it lists. When the stored scores change, their summary is
computed once and stored beside their stamp (:func:`posting_risk_summary`): the tiles' figures, the
threshold-free columns of the group tables (:func:`fill_probability_by`'s, by the same code), box
statistics and, per group, a histogram of the probabilities in 0.001 bins. The at-risk counts for
any threshold come from the histograms (:func:`risk_overview`; exact: a threshold that is not a bin
edge adds one indexed count of the bin it cuts), the at-risk postings from an index range, one page
at a time (:func:`at_risk_page`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import posting_scores as posting_score_store
from app.db.repositories import postings as posting_repo
from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import scorer_for
from app.reference.codes import SOCIAL_INSURANCE, STATUTORY_WELFARE
from app.reference.tables import load_reference

AT_RISK_THRESHOLD = 0.4
GROUPINGS: dict[str, tuple[str, str]] = {
    "occupation": ("keco_middle", "직종(중분류)"),
    "region": ("region", "지역"),
}
"""``by`` value of :func:`fill_probability_by` → (column of the scored frame, Korean label)."""


def score_postings_frame(frame: pd.DataFrame, model: HiringModel) -> pd.DataFrame:
    """Add ``probability`` and ``days`` to posting rows (the vectorised scoring step).

    Args:
        frame: Columns of the :class:`PostingConditions` fields (``welfare_codes`` ';'-joined text;
            ``open_month`` or ``open_date``).
        model: The hiring model.
    """
    scorer = scorer_for(model)
    welfare = frame["welfare_codes"].fillna("").astype(str).str.split(";")
    if "open_month" in frame:
        month = frame["open_month"].to_numpy(int)
    else:
        month = pd.to_datetime(frame["open_date"]).dt.month.to_numpy(int)
    cols = {
        name: frame[name].to_numpy()
        for name in ("keco_code", "region_code", "size_code", "wage_type", "employment_type", "career", "education")
    }
    cols.update(
        wage_amount=frame["wage_amount"].to_numpy(float),
        weekly_hours=frame["weekly_hours"].to_numpy(float),
        min_career_years=frame["min_career_years"].fillna(0).to_numpy(float),
        n_sections=frame["n_sections"].to_numpy(float),
        body_chars=frame["body_chars"].to_numpy(float),
        open_month=month,
        n_welfare_extra=np.array([sum(1 for c in codes if c and c not in STATUTORY_WELFARE) for codes in welfare]),
        has_social_insurance=np.array([int(SOCIAL_INSURANCE in codes) for codes in welfare]),
    )
    x = scorer.matrix(cols)
    return frame.assign(probability=scorer.probability(x), days=scorer.days_median(x))


SCORED_COLUMNS = ("id", "employer_id", "employer", "title", "keco_code", "keco", "keco_middle", "region_code",
                  "region", "wage_monthly", "weekly_hours", "employment_type", "open_date", "probability", "days")
"""What :func:`score_all_postings` returns."""


def _scored_rows(rows: pd.DataFrame, model: HiringModel) -> pd.DataFrame:
    """:data:`app.db.repositories.posting_scores.SCORE_ROW_COLUMNS` of scoring rows (``id`` for ``posting_id``)."""
    if rows.empty:
        return pd.DataFrame(columns=list(posting_score_store.SCORE_ROW_COLUMNS))
    scored = score_postings_frame(rows, model).rename(columns={"id": "posting_id"})
    return scored.loc[:, list(posting_score_store.SCORE_ROW_COLUMNS)]


def store_posting_scores(engine: Engine, model: HiringModel) -> int:
    """Score the postings into the stored-scores table, unless it is up to date.

    What the build calls after the hiring model is written (and what :func:`score_all_postings` and
    :func:`posting_risk_summary` call before reading). Compares the stamp of the postings — the world's fingerprint, the model version,
    the newest posting, employer and version ids and the postings waiting for review — with the
    stored one: equal, nothing is done (a few index lookups); only postings added or revised since,
    only those are rescored; anything else, every posting is scored again. The summary of the stored
    scores (:class:`PostingRiskSummary`) is then computed, unless it is stored for them already.

    Args:
        engine: Product database.
        model: The hiring model the pages show.

    Returns:
        How many postings were (re)scored (0 when the stored scores were current).
    """
    stamp = posting_score_store.current_stamp(engine, str(model.version))
    stored = posting_score_store.stored_stamp(engine)
    if stored == stamp:
        _ensure_summary(engine)  # one lookup when it is stored (a database stored by an older release lacks it)
        return 0
    touched = posting_score_store.postings_touched_since(engine, stored) if stored and stored.same_scores(stamp) else None
    rows = posting_repo.load_scoring_rows(engine, touched)
    posting_score_store.save_scores(engine, _scored_rows(rows, model), stamp, replace_ids=touched)
    _ensure_summary(engine)
    return len(rows)


def fill_outlook(engine: Engine, posting_ids: Sequence[int]) -> dict[int, float]:
    """The stored fill probability of each of a few postings (a seeker's job cards), without reading
    the others; bring the stored scores up to date first (:func:`store_posting_scores`).

    Returns:
        posting id → probability, for the postings that have a stored score.
    """
    return posting_score_store.load_probabilities(engine, posting_ids)


def score_all_postings(engine: Engine, model: HiringModel) -> pd.DataFrame:
    """Every posting with its fill probability and days to fill (staff view), from the stored scores
    (brought up to date first by :func:`store_posting_scores`).

    Returns:
        :data:`SCORED_COLUMNS`, by posting id.
    """
    store_posting_scores(engine, model)
    return _scored_frame(posting_score_store.load_scores(engine))


def _with_names(rows: pd.DataFrame) -> pd.DataFrame:
    """Stored rows with ``keco`` (소분류 name), ``keco_middle`` (중분류 name) and ``region`` (시도)."""
    ref = load_reference()
    occupations = ref.occupations.set_index("keco_code")
    rows["keco"] = rows["keco_code"].map(occupations["name"]).fillna(rows["keco_code"])
    rows["keco_middle"] = rows["keco_code"].map(occupations["middle_name"]).fillna(rows["keco_code"].str[:2])
    rows["region"] = rows["region_code"].map(ref.regions.set_index("code")["short"]).fillna(rows["region_code"])
    return rows


def _scored_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """:data:`SCORED_COLUMNS` of stored rows (:func:`app.db.repositories.posting_scores.load_scores`' columns)."""
    if rows.empty:
        return pd.DataFrame(columns=list(SCORED_COLUMNS))
    for column in ("probability", "days", "weekly_hours"):
        rows[column] = rows[column].astype(float)
    return _with_names(rows).loc[:, list(SCORED_COLUMNS)]


def _check_threshold(threshold: float) -> float:
    if not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"기준 확률은 0과 1 사이여야 합니다 (입력값: {threshold})")
    return float(threshold)


def _grouping(by: str) -> tuple[str, str]:
    if by not in GROUPINGS:
        raise ValueError(f"집계 기준은 {', '.join(GROUPINGS)} 중 하나여야 합니다 (입력값: {by})")
    return GROUPINGS[by]


def _group_statistics(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The threshold-free columns of :func:`fill_probability_by` per value of ``column``, lowest mean first."""
    grouped = frame.groupby(column, observed=True)
    table = pd.DataFrame(
        {
            "n_postings": grouped["probability"].size(),
            "mean_probability": grouped["probability"].mean(),
            "median_probability": grouped["probability"].median(),
            "p25": grouped["probability"].quantile(0.25),
            "p75": grouped["probability"].quantile(0.75),
            "mean_days": grouped["days"].mean(),
        }
    )
    return table.rename_axis("group").reset_index().sort_values(["mean_probability", "group"]).reset_index(drop=True)


GROUP_COLUMNS = ("group", "n_postings", "mean_probability", "median_probability", "p25", "p75", "at_risk_share",
                 "mean_days")
"""What :func:`fill_probability_by` and :attr:`RiskOverview.tables` hold, in this order."""


def _finish_group_table(table: pd.DataFrame, at_risk_share: np.ndarray, label: str, threshold: float) -> pd.DataFrame:
    table = table.assign(at_risk_share=at_risk_share).loc[:, list(GROUP_COLUMNS)]
    table.attrs["label"] = label
    table.attrs["threshold"] = float(threshold)
    return table


def fill_probability_by(frame: pd.DataFrame, by: str, threshold: float = AT_RISK_THRESHOLD) -> pd.DataFrame:
    """Fill-probability distribution per occupation (KECO 중분류) or region (시도).

    Args:
        frame: :func:`score_all_postings` output.
        by: ``"occupation"`` or ``"region"``.
        threshold: Probability below which a posting counts as at risk (the policy page's slider).

    Returns:
        Columns ``group, n_postings, mean_probability, median_probability, p25, p75,
        at_risk_share`` (share below ``threshold``), ``mean_days``; lowest mean first.
        ``attrs["label"]`` holds the Korean name of the grouping, ``attrs["threshold"]`` the threshold.

    Raises:
        ValueError: Unknown ``by`` or a threshold outside (0, 1), with a Korean message.
    """
    column, label = _grouping(by)
    threshold = _check_threshold(threshold)
    table = _group_statistics(frame, column)
    share = frame.groupby(column, observed=True)["probability"].agg(lambda p: float((p < threshold).mean()))
    return _finish_group_table(table, share.loc[table["group"]].to_numpy(float), label, threshold)


def at_risk_postings(frame: pd.DataFrame, threshold: float = AT_RISK_THRESHOLD) -> pd.DataFrame:
    """Postings whose fill probability is below ``threshold``, least likely first."""
    risky = frame[frame["probability"] < _check_threshold(threshold)]
    return risky.sort_values(["probability", "id"]).reset_index(drop=True)


RISK_BINS = 1000
"""Bins of the stored probability histograms: 0.001 wide, so every threshold that is a multiple of
0.001 (the page's slider moves by 0.05) is a bin edge."""
RISK_BIN_EDGES = np.arange(RISK_BINS + 1) / RISK_BINS
"""Bin ``k`` holds ``RISK_BIN_EDGES[k] <= p < RISK_BIN_EDGES[k + 1]`` (the last one also ``p = 1``).
``k / 1000`` is the same float as ``int(percent) / 100`` for every whole percent, so a posting is
below such a threshold exactly when its bin is."""
BOX_COLUMNS = ("lower_fence", "upper_fence", "n_outliers")
"""Box statistics of :attr:`PostingRiskSummary.groups` besides the quartiles: the lowest and highest
probability within 1.5 IQR of the quartiles (the whiskers; the quartile itself when no probability
lies between it and that reach) and how many postings lie beyond the reach."""


@dataclasses.dataclass(frozen=True)
class PostingRiskSummary:
    """The stored posting scores in figures (채용 위험 공고 현황 besides its list), computed when the
    stored scores change and kept beside their stamp.

    Attributes:
        n_postings: Postings scored.
        probability_sum: Sum of their fill probabilities in posting order (the page's audit row, as before).
        mean_probability: Their mean fill probability.
        median_days: Median of their predicted days to fill.
        bins: Postings per probability bin (:data:`RISK_BINS`).
        groups: ``by`` of :data:`GROUPINGS` → :func:`fill_probability_by`'s columns but ``at_risk_share``,
            and :data:`BOX_COLUMNS`; lowest mean first.
        group_bins: ``by`` → postings per group (rows in the order of ``groups[by]``) and bin.
    """

    n_postings: int
    probability_sum: float
    mean_probability: float
    median_days: float
    bins: np.ndarray
    groups: dict[str, pd.DataFrame]
    group_bins: dict[str, np.ndarray]


@dataclasses.dataclass(frozen=True)
class RiskOverview:
    """What depends on the at-risk threshold: the count and the group tables.

    Attributes:
        threshold: Probability below which a posting is at risk.
        n_at_risk: Postings below it.
        tables: ``by`` → :func:`fill_probability_by` of every stored posting (equal to it).
    """

    threshold: float
    n_at_risk: int
    tables: dict[str, pd.DataFrame]


def _bin_of(probability: np.ndarray) -> np.ndarray:
    return np.clip(np.searchsorted(RISK_BIN_EDGES, probability, side="right") - 1, 0, RISK_BINS - 1)


def _box_statistics(frame: pd.DataFrame, column: str, table: pd.DataFrame) -> pd.DataFrame:
    """:data:`BOX_COLUMNS` of each group of ``table`` (its quartiles ``p25``, ``p75``)."""
    quartiles = table.set_index("group")
    rows = []
    for group, p in frame.groupby(column, observed=True)["probability"]:
        q1, q3 = float(quartiles.at[group, "p25"]), float(quartiles.at[group, "p75"])
        inside = p[(p >= q1 - 1.5 * (q3 - q1)) & (p <= q3 + 1.5 * (q3 - q1))]
        # interpolated quartiles of a small group may lie beyond its nearest datum: the whisker then
        # stops at the box (as matplotlib draws it), never inside it
        rows.append((group, min(float(inside.min()), q1), max(float(inside.max()), q3), len(p) - len(inside)))
    box = pd.DataFrame(rows, columns=["group", *BOX_COLUMNS]).set_index("group")
    return box.loc[table["group"]].reset_index(drop=True)


def summarise_scores(frame: pd.DataFrame) -> PostingRiskSummary:
    """:class:`PostingRiskSummary` of scored postings, by the code of the pandas path (same figures).

    Args:
        frame: ``probability``, ``days`` and the :data:`GROUPINGS` columns of every posting, by posting id.
    """
    frame = frame.assign(probability=frame["probability"].astype(float), days=frame["days"].astype(float))
    probability = frame["probability"]
    bins = _bin_of(probability.to_numpy())
    groups: dict[str, pd.DataFrame] = {}
    group_bins: dict[str, np.ndarray] = {}
    for by, (column, _) in GROUPINGS.items():
        table = _group_statistics(frame, column)
        groups[by] = pd.concat([table, _box_statistics(frame, column, table)], axis=1)
        position = frame[column].map(pd.Series(np.arange(len(table)), index=table["group"].to_numpy()))
        known = position.notna().to_numpy()
        flat = position.to_numpy()[known].astype(np.int64) * RISK_BINS + bins[known]
        group_bins[by] = np.bincount(flat, minlength=len(table) * RISK_BINS).reshape(len(table), RISK_BINS)
    return PostingRiskSummary(
        n_postings=len(frame), probability_sum=float(probability.sum()), mean_probability=float(probability.mean()),
        median_days=float(frame["days"].median()), bins=np.bincount(bins, minlength=RISK_BINS),
        groups=groups, group_bins=group_bins)


def _summary_text(summary: PostingRiskSummary) -> str:
    """The summary as stored (JSON; floats round-trip exactly)."""
    return json.dumps({
        "n_postings": summary.n_postings, "probability_sum": summary.probability_sum,
        "mean_probability": summary.mean_probability, "median_days": summary.median_days,
        "bins": summary.bins.tolist(),
        "groups": {by: {column: table[column].tolist() for column in table.columns}
                   for by, table in summary.groups.items()},
        "group_bins": {by: counts.tolist() for by, counts in summary.group_bins.items()},
    }, ensure_ascii=False)


def _parse_summary(text: str) -> PostingRiskSummary | None:
    """The summary stored by :func:`_summary_text` (``None`` for anything else, e.g. another release's)."""
    try:
        data = json.loads(text)
        groups = {by: pd.DataFrame(columns) for by, columns in data["groups"].items()}
        return PostingRiskSummary(
            n_postings=int(data["n_postings"]), probability_sum=float(data["probability_sum"]),
            mean_probability=float(data["mean_probability"]), median_days=float(data["median_days"]),
            bins=np.asarray(data["bins"], dtype=np.int64).reshape(RISK_BINS), groups=groups,
            group_bins={by: np.asarray(data["group_bins"][by], dtype=np.int64).reshape(len(groups[by]), RISK_BINS)
                        for by in GROUPINGS})
    except (ValueError, KeyError, TypeError):
        return None


SUMMARY_FORMAT = 1
"""Version of what :func:`_summary_text` writes: a stored summary of another format is computed again."""


def _summary_stamp(digest: str) -> str:
    """The stamp of the summary of the scores of ``digest`` (their digest and the summary's format)."""
    return f"{digest}:{SUMMARY_FORMAT}"


def _summarise_stored(engine: Engine) -> PostingRiskSummary:
    return summarise_scores(_with_names(posting_score_store.load_score_values(engine)))


def _ensure_summary(engine: Engine) -> None:
    """Store the summary of the stored scores unless it is stored for them already."""
    digest = posting_score_store.stored_digest(engine)
    if digest is None or posting_score_store.has_summary(engine, _summary_stamp(digest)):
        return
    summary = _summarise_stored(engine)
    if posting_score_store.stored_digest(engine) == digest:  # the rows read were those of the digest
        posting_score_store.save_summary_text(engine, _summary_stamp(digest), _summary_text(summary))


def posting_risk_summary(engine: Engine, model: HiringModel) -> PostingRiskSummary:
    """The summary of every posting's stored score (brought up to date first by :func:`store_posting_scores`).

    Reads one stored row when the scores are current; computes it from the stored scores (five
    columns of every row) only when they changed since it was stored.
    """
    store_posting_scores(engine, model)
    digest = posting_score_store.stored_digest(engine)
    text = None if digest is None else posting_score_store.load_summary_text(engine, _summary_stamp(digest))
    summary = None if text is None else _parse_summary(text)
    return summary if summary is not None else _summarise_stored(engine)


def risk_overview(engine: Engine, summary: PostingRiskSummary, threshold: float = AT_RISK_THRESHOLD) -> RiskOverview:
    """The at-risk count and the group tables of :func:`fill_probability_by` for ``threshold``.

    From the summary's histograms; a threshold that is not a bin edge adds one indexed read of the
    postings between the edge below it and the threshold. Equal to the pandas path.

    Raises:
        ValueError: A threshold outside (0, 1), with a Korean message.
    """
    threshold = _check_threshold(threshold)
    edge = int(np.searchsorted(RISK_BIN_EDGES, threshold, side="right") - 1)
    n_at_risk = int(summary.bins[:edge].sum())
    below = {by: counts[:, :edge].sum(axis=1) for by, counts in summary.group_bins.items()}
    if RISK_BIN_EDGES[edge] != threshold:
        cut = _with_names(posting_score_store.load_scores_below(
            engine, threshold, at_least=float(RISK_BIN_EDGES[edge]), columns=("posting_id", "keco_code", "region_code")))
        n_at_risk += len(cut)
        for by, (column, _) in GROUPINGS.items():
            counts = cut[column].value_counts()
            below[by] = below[by] + summary.groups[by]["group"].map(counts).fillna(0).to_numpy(np.int64)
    tables = {}
    for by, (_, label) in GROUPINGS.items():
        table = summary.groups[by].drop(columns=list(BOX_COLUMNS))
        share = below[by] / table["n_postings"].to_numpy(np.int64) if len(table) else np.zeros(0)
        tables[by] = _finish_group_table(table, share.astype(float), label, threshold)
    return RiskOverview(threshold=threshold, n_at_risk=n_at_risk, tables=tables)


def at_risk_page(engine: Engine, threshold: float = AT_RISK_THRESHOLD, *, limit: int | None) -> pd.DataFrame:
    """The first ``limit`` postings of :func:`at_risk_postings` of every stored score (``None``: all,
    e.g. for the CSV), read along the ``(probability, posting_id)`` index.

    Returns:
        :data:`SCORED_COLUMNS`, least likely first (ties by posting id).
    """
    return _scored_frame(posting_score_store.load_scores_below(engine, _check_threshold(threshold), limit=limit))
