"""Policy view of the hiring-success model: every posting scored, fill probability by occupation and
region, and the postings at risk of not being filled (candidates for hiring consulting).

Scoring is vectorised: posting fields come from one query (section counts and text length are
computed by the database, not by loading the texts) and the boosters score the whole float matrix
at once (tens of thousands of postings a second on two cores).
"""

from __future__ import annotations

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

    What the build calls after the hiring model is written (and what :func:`score_all_postings` calls
    before reading). Compares the stamp of the postings — the world's fingerprint, the model version,
    the newest posting, employer and version ids and the postings waiting for review — with the
    stored one: equal, nothing is done (a few index lookups); only postings added or revised since,
    only those are rescored; anything else, every posting is scored again.

    Args:
        engine: Product database.
        model: The hiring model the pages show.

    Returns:
        How many postings were (re)scored (0 when the stored scores were current).
    """
    stamp = posting_score_store.current_stamp(engine, str(model.version))
    stored = posting_score_store.stored_stamp(engine)
    if stored == stamp:
        return 0
    touched = posting_score_store.postings_touched_since(engine, stored) if stored and stored.same_scores(stamp) else None
    rows = posting_repo.load_scoring_rows(engine, touched)
    posting_score_store.save_scores(engine, _scored_rows(rows, model), stamp, replace_ids=touched)
    return len(rows)


def score_all_postings(engine: Engine, model: HiringModel) -> pd.DataFrame:
    """Every posting with its fill probability and days to fill (staff view), from the stored scores
    (brought up to date first by :func:`store_posting_scores`).

    Returns:
        :data:`SCORED_COLUMNS`, by posting id.
    """
    store_posting_scores(engine, model)
    scored = posting_score_store.load_scores(engine)
    if scored.empty:
        return pd.DataFrame(columns=list(SCORED_COLUMNS))
    for column in ("probability", "days", "weekly_hours"):
        scored[column] = scored[column].astype(float)
    ref = load_reference()
    occupations = ref.occupations.set_index("keco_code")
    scored["keco"] = scored["keco_code"].map(occupations["name"]).fillna(scored["keco_code"])
    scored["keco_middle"] = scored["keco_code"].map(occupations["middle_name"]).fillna(scored["keco_code"].str[:2])
    scored["region"] = scored["region_code"].map(ref.regions.set_index("code")["short"]).fillna(scored["region_code"])
    return scored.loc[:, list(SCORED_COLUMNS)]


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
    if by not in GROUPINGS:
        raise ValueError(f"집계 기준은 {', '.join(GROUPINGS)} 중 하나여야 합니다 (입력값: {by})")
    if not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"기준 확률은 0과 1 사이여야 합니다 (입력값: {threshold})")
    column, label = GROUPINGS[by]
    grouped = frame.groupby(column, observed=True)
    table = pd.DataFrame(
        {
            "n_postings": grouped["probability"].size(),
            "mean_probability": grouped["probability"].mean(),
            "median_probability": grouped["probability"].median(),
            "p25": grouped["probability"].quantile(0.25),
            "p75": grouped["probability"].quantile(0.75),
            "at_risk_share": grouped["probability"].agg(lambda p: float((p < threshold).mean())),
            "mean_days": grouped["days"].mean(),
        }
    )
    table = table.rename_axis("group").reset_index().sort_values(["mean_probability", "group"]).reset_index(drop=True)
    table.attrs["label"] = label
    table.attrs["threshold"] = float(threshold)
    return table


def at_risk_postings(frame: pd.DataFrame, threshold: float = AT_RISK_THRESHOLD) -> pd.DataFrame:
    """Postings whose fill probability is below ``threshold``, least likely first."""
    if not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"기준 확률은 0과 1 사이여야 합니다 (입력값: {threshold})")
    risky = frame[frame["probability"] < float(threshold)]
    return risky.sort_values(["probability", "id"]).reset_index(drop=True)
