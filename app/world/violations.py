"""Plant the legal problems of domain-facts §1 in about 9 % of postings, each labelled with its rule.

Numeric rules change the structured fields (wage below the year's minimum, weekly hours over 52);
text rules are injected into the composed text later (``text.inject_violation``); duplicates copy
another posting. Labels go to ``posting_labels`` with the offending evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.labour import amount_from_monthly, paid_monthly_hours
from app.reference.tables import Reference
from app.world.population import minimum_wage_by_year, refresh_wage_columns, round_wage

NUMERIC_RULES = frozenset({"BELOW_MIN_WAGE", "EXCESS_HOURS"})
DUPLICATE_RULE = "DUPLICATE"
DUPLICATE_COPY_COLUMNS: tuple[str, ...] = (
    "keco_code", "keco_major", "region_code", "employment_type", "weekly_hours", "wage_type", "wage_amount", "career",
    "min_career_years", "education", "has_social_insurance", "n_welfare_extra", "completeness", "headcount",
    "market_wage", "welfare_codes",
)


def choose_rules(ref: Reference, n: int, rng: np.random.Generator) -> np.ndarray:
    """Rule id per posting ('' for clean postings), drawn with the reference base rates."""
    rules = ref.violation_rules
    rates = rules["base_rate"].to_numpy(float)
    has_problem = rng.random(n) < rates.sum()
    picked = rng.choice(rules["rule_id"].to_numpy(), size=n, p=rates / rates.sum())
    return np.where(has_problem, picked, "")


def plant_numeric_and_duplicates(
    ref: Reference, postings: pd.DataFrame, employers: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Apply wage/hours violations and make duplicates of earlier postings.

    A duplicate copies the structured fields of a clean source posting — 70 % of the same
    employer (re-posting), 30 % of another employer (an agency re-posting someone else's ad) —
    and opens 1–20 days after it.
    """
    postings = postings.copy()
    rule = choose_rules(ref, len(postings), rng)
    # The first postings of the three demo employers stay clean so their pages are not dominated
    # by planted problems (they are guaranteed content, not a sample).
    rule[:18] = np.where(rule[:18] == DUPLICATE_RULE, "", rule[:18])
    postings["rule_id"] = rule

    below = np.flatnonzero(rule == "BELOW_MIN_WAGE")
    if len(below):
        years = postings["year"].to_numpy()[below]
        hours = postings["weekly_hours"].to_numpy(float)[below]
        wage_type = postings["wage_type"].to_numpy()[below]
        target_hourly = minimum_wage_by_year(ref, years) * rng.uniform(0.85, 0.985, len(below))
        amount = round_wage(wage_type, amount_from_monthly(wage_type, target_hourly * paid_monthly_hours(hours), hours), up=False)
        postings.loc[postings.index[below], "wage_amount"] = amount

    excess = np.flatnonzero(rule == "EXCESS_HOURS")
    if len(excess):
        idx = postings.index[excess]
        old_hours = postings.loc[idx, "weekly_hours"].to_numpy(float)
        new_hours = rng.integers(54, 69, len(excess)).astype(float)
        scale = paid_monthly_hours(new_hours) / paid_monthly_hours(old_hours)
        fixed_total = postings.loc[idx, "wage_type"].isin(["monthly", "annual"]).to_numpy()
        # A monthly/annual wage is raised for the longer schedule; hourly/daily rates stay.
        postings.loc[idx, "wage_amount"] = np.where(
            fixed_total,
            round_wage(postings.loc[idx, "wage_type"].to_numpy(), postings.loc[idx, "wage_amount"].to_numpy(float) * scale, up=True),
            postings.loc[idx, "wage_amount"].to_numpy(),
        )
        postings.loc[idx, "weekly_hours"] = new_hours

    dups = np.flatnonzero(rule == DUPLICATE_RULE)
    clean = np.flatnonzero(rule == "")
    for i in dups:
        earlier = clean[clean < i]
        if len(earlier) == 0:
            postings.iat[i, postings.columns.get_loc("rule_id")] = ""
            continue
        same_employer = earlier[postings["employer_id"].to_numpy()[earlier] == postings["employer_id"].iat[i]]
        if len(same_employer) and rng.random() < 0.7:
            source = int(same_employer[rng.integers(0, len(same_employer))])
        else:
            source = int(earlier[rng.integers(0, len(earlier))])
        for col in DUPLICATE_COPY_COLUMNS:
            postings.iat[i, postings.columns.get_loc(col)] = postings.iat[source, postings.columns.get_loc(col)]
        shift = np.timedelta64(int(rng.integers(1, 21)), "D")
        postings.iat[i, postings.columns.get_loc("open_date")] = postings["open_date"].iat[source] + shift
        postings.iat[i, postings.columns.get_loc("close_date")] = (
            postings["open_date"].iat[i] + np.timedelta64(int(postings["window_days"].iat[i]), "D")
        )
        postings.iat[i, postings.columns.get_loc("duplicate_of")] = int(postings["id"].iat[source])
    open_date = postings["open_date"].to_numpy().astype("datetime64[D]")
    postings["year"] = open_date.astype("datetime64[Y]").astype(int) + 1970
    postings["open_month"] = open_date.astype("datetime64[M]").astype(int) % 12 + 1
    postings = refresh_wage_columns(postings)
    # A copy opened in a new year may fall under that year's higher minimum: lift it, so only
    # labelled postings are below the minimum wage.
    minimum = minimum_wage_by_year(ref, postings["year"].to_numpy())
    under = (postings["hourly_equivalent"].to_numpy() < minimum) & (postings["rule_id"].to_numpy() != "BELOW_MIN_WAGE")
    if under.any():
        idx = postings.index[under]
        hours = postings.loc[idx, "weekly_hours"].to_numpy(float)
        wage_type = postings.loc[idx, "wage_type"].to_numpy()
        postings.loc[idx, "wage_amount"] = round_wage(
            wage_type, amount_from_monthly(wage_type, minimum[under] * paid_monthly_hours(hours), hours), up=True
        )
        postings = refresh_wage_columns(postings)
    return postings
