"""The insured job of every employed seeker (``seeker_jobs``) and the certificates' true values.

A seeker employed within 180 days starts a job on the employment day. A board hire's job is the
posting's (its employer's industry and size, the posting's monthly wage); any other job is in the
industry that posts most of the desired occupation's vacancies (80 %) or another industry of that
occupation's mix, with a wage, a firm size and a duration drawn from :mod:`app.world.truth`
(section "certificates and jobs"). Every job's duration depends on the holder's certificate value
there; the job ends on ``ended_on`` or lasts past the observation end (NULL: censored).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from app.reference.certificate_fields import (
    MANUFACTURING,
    TECHNICAL,
    certificate_fields,
    industry_shares_by_occupation,
    occupation_main_industry,
)
from app.reference.tables import Reference
from app.world import params, truth
from app.world.matching import split_codes

MAIN_INDUSTRY_SHARE = 0.8
"""Share of jobs found outside the board that are in the desired occupation's main industry."""
SMALL_FIRM_SIZES: tuple[tuple[str, float], ...] = (("S1", 0.30), ("S2", 0.50), ("S3", 0.20))
LARGE_FIRM_SIZES: tuple[tuple[str, float], ...] = (("S4", 0.65), ("S5", 0.35))
LARGE_SIZE_CODES = frozenset({"S4", "S5"})
DAYS_PER_MONTH = 30.44


def make_certificate_values(ref: Reference, rng: np.random.Generator) -> pd.DataFrame:
    """``truth_certificate_values``: every reference certificate in every industry."""
    fields = certificate_fields(ref)
    certs = ref.certificates[["certificate_id", "name"]].assign(
        technical=ref.certificates["certificate_id"].map(fields).eq(TECHNICAL).to_numpy())
    return truth.certificate_values(certs, sorted(ref.industries["code"].astype(str)), MANUFACTURING, rng)


def _industry_of_other_jobs(ref: Reference, desired: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    main = occupation_main_industry(ref)
    shares = industry_shares_by_occupation(ref)
    fallback = str(ref.industries.sort_values("posting_weight", ascending=False)["code"].iloc[0])
    out = np.array([main.get(str(k), fallback) for k in desired], dtype=object)
    other = rng.random(len(desired)) >= MAIN_INDUSTRY_SHARE
    u = rng.random(len(desired))
    by_code = {code: (g["industry_code"].to_numpy(), np.cumsum(g["share"].to_numpy()))
               for code, g in shares.groupby("keco_code")}
    for i in np.flatnonzero(other):
        codes = by_code.get(str(desired[i]))
        if codes is not None:
            out[i] = codes[0][min(int(np.searchsorted(codes[1], u[i] * codes[1][-1])), len(codes[0]) - 1)]
    return out


def _sizes(large: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    small_codes, small_p = zip(*SMALL_FIRM_SIZES, strict=True)
    large_codes, large_p = zip(*LARGE_FIRM_SIZES, strict=True)
    return np.where(large, rng.choice(np.array(large_codes), size=len(large), p=np.array(large_p)),
                    rng.choice(np.array(small_codes), size=len(large), p=np.array(small_p)))


def make_jobs(
    ref: Reference,
    seekers: pd.DataFrame,
    seeker_outcomes: pd.DataFrame,
    hires: pd.DataFrame,
    postings: pd.DataFrame,
    values: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One job per seeker employed within 180 days (module docstring).

    Args:
        ref: Reference tables.
        seekers: Seeker attributes with ``id``, ``registered_on``, ``desired_keco``, ``education``,
            ``career_years``, ``market_wage`` and ``certificate_ids``.
        seeker_outcomes: ``employed_180d`` and ``days_to_employment`` (after board hires set theirs),
            row-aligned with ``seekers``.
        hires: ``posting_id`` and ``seeker_id`` (-1 outside the registered pool).
        postings: ``id``, ``industry_code``, ``size_code``, ``wage_monthly``.
        values: :func:`make_certificate_values`.
        rng: Random stream.

    Returns:
        The ``seeker_jobs`` rows.
    """
    employed = seeker_outcomes["employed_180d"].to_numpy(bool)
    chosen = seekers.loc[employed]
    n = len(chosen)
    seeker_ids = chosen["id"].to_numpy()
    board = hires[hires["seeker_id"] > 0].drop_duplicates("seeker_id").set_index("seeker_id")["posting_id"]
    posting_id = pd.Series(seeker_ids).map(board).to_numpy()
    on_board = ~pd.isna(posting_id)
    by_posting = postings.set_index("id")
    industry = _industry_of_other_jobs(ref, chosen["desired_keco"].to_numpy(), rng)
    board_ids = posting_id[on_board].astype(np.int64)
    industry[on_board] = by_posting.loc[board_ids, "industry_code"].to_numpy()

    value_of = values.set_index(["certificate_id", "industry_code"])["value"].to_dict()
    held = [[value_of.get((c, ind), 0.0) for c in split_codes(ids)]
            for ids, ind in zip(chosen["certificate_ids"], industry, strict=True)]
    value = truth.job_value(held)
    education_rank = chosen["education"].map(truth.EDUCATION_RANK).fillna(0).to_numpy(float)

    large = rng.random(n) < truth.large_firm_probability(value, education_rank)
    size = _sizes(large, rng)
    size[on_board] = by_posting.loc[board_ids, "size_code"].to_numpy()
    minimum_monthly = float(ref.minimum_wage["monthly_209h"].max())
    log_wage = truth.job_log_wage(chosen["market_wage"].to_numpy(float), education_rank,
                                  chosen["career_years"].to_numpy(float), value,
                                  rng.normal(0.0, truth.JOB_WAGE_NOISE, n))
    wage = np.maximum(np.round(np.exp(log_wage) / 10_000) * 10_000, np.ceil(minimum_monthly / 10_000) * 10_000)
    wage[on_board] = by_posting.loc[board_ids, "wage_monthly"].to_numpy(float)

    is_large = pd.Series(size).isin(LARGE_SIZE_CODES).to_numpy()
    months = rng.exponential(truth.expected_job_months(value, is_large))
    started = (chosen["registered_on"].to_numpy().astype("datetime64[D]")
               + seeker_outcomes.loc[employed, "days_to_employment"].to_numpy(np.int64).astype("timedelta64[D]"))
    ended = started + np.maximum(np.round(months * DAYS_PER_MONTH), 1).astype(np.int64).astype("timedelta64[D]")
    lasting = ended > np.datetime64(params.OBSERVATION_END, "D")
    return pd.DataFrame({
        "seeker_id": seeker_ids,
        "posting_id": pd.array(np.where(on_board, posting_id, np.nan), dtype="Int64"),
        "industry_code": industry.astype(str),
        "size_code": size.astype(str),
        "wage_monthly": wage.astype(np.int64),
        "started_on": started,
        "ended_on": pd.Series(ended).where(~lasting).to_numpy(),
    })


def load_true_certificate_values(engine: Engine) -> pd.DataFrame:
    """``truth_certificate_values`` (``certificate_id``, ``industry_code``, ``value``), for benches."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT certificate_id, industry_code, value FROM truth_certificate_values")).all()
    return pd.DataFrame(rows, columns=["certificate_id", "industry_code", "value"])
