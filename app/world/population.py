"""Structured attributes of employers, postings and seekers (no free text, no outcomes).

Everything is vectorised with numpy so the large world (1M seekers, 200k postings) stays fast;
free text is composed later, chunk by chunk, in ``generate.py``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from app.labour import (
    amount_from_monthly,
    from_full_time_equivalent,
    full_time_equivalent,
    hourly_equivalent,
    minimum_wage_table,
    monthly_equivalent,
    paid_monthly_hours,
)
from app.reference.tables import Reference
from app.world import params, truth

STATUTORY_WELFARE = ("4대보험", "퇴직금", "연차휴가")


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def random_dates(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> np.ndarray:
    """Uniform dates in [start, end] as ``datetime64[D]``."""
    offsets = rng.integers(0, _days(start, end) + 1, size=n)
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def weighted_choice(rng: np.random.Generator, values: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """``rng.choice`` with weights normalised (weights need not sum to 1)."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(values), size=size, p=w / w.sum())


def occupation_market_table(ref: Reference, rng: np.random.Generator) -> pd.DataFrame:
    """Market wage of every occupation × region cell (truth input, drawn once per world)."""
    occ = ref.occupations[["keco_code", "wage_median"]]
    reg = ref.regions[["code", "wage_index"]].rename(columns={"code": "region_code"})
    cells = occ.merge(reg, how="cross")
    noise = rng.normal(0.0, 0.05, size=len(cells))
    cells["market_wage"] = truth.market_wage(
        cells["wage_median"].to_numpy(float), cells["wage_index"].to_numpy(float), noise
    )
    return cells[["keco_code", "region_code", "market_wage"]]


# --------------------------------------------------------------------------- employers


def make_employers(ref: Reference, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Employers with industry, firm-size band, headcount and region (identity added later)."""
    industries = ref.industries
    sizes = ref.firm_sizes
    regions = ref.regions
    size_code = weighted_choice(rng, sizes["code"].to_numpy(), sizes["employer_share"].to_numpy(), n)
    bounds = sizes.set_index("code")[["min_workers", "max_workers"]]
    low = bounds.loc[size_code, "min_workers"].to_numpy(float)
    high = bounds.loc[size_code, "max_workers"].fillna(3000).to_numpy(float)
    # Log-uniform headcount within the band: small firms dominate every band.
    workers = np.floor(np.exp(rng.uniform(np.log(low), np.log(high + 1)))).astype(int)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "industry_code": weighted_choice(rng, industries["code"].to_numpy(), industries["posting_weight"].to_numpy(), n),
            "size_code": size_code,
            "workers": np.maximum(workers, low.astype(int)),
            "region_code": weighted_choice(
                rng,
                regions["code"].to_numpy(),
                regions["employment_weight"].to_numpy() * regions["code"].map(params.REGION_DEMAND).to_numpy(),
                n,
            ),
            "created_on": random_dates(rng, n, dt.date(2005, 1, 1), params.PERIOD_START),
        }
    )


# --------------------------------------------------------------------------- postings


def _assign_employers(employers: pd.DataFrame, n: int, rng: np.random.Generator) -> np.ndarray:
    """Posting → employer: larger firms post more; the first three employers (the demo employer
    accounts) get at least six postings each so the employer pages have content."""
    weight = np.power(employers["workers"].to_numpy(float), 0.35)
    ids = weighted_choice(rng, employers["id"].to_numpy(), weight, n)
    guaranteed = np.repeat(employers["id"].to_numpy()[: min(3, len(employers))], 6)[:n]
    ids[: len(guaranteed)] = guaranteed
    return ids


def _occupations_for(ref: Reference, industry_codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """KECO 소분류 per posting: 75 % from the employer's industry mix, 25 % from the board's overall mix."""
    occ = ref.occupations
    result = weighted_choice(rng, occ["keco_code"].to_numpy(), occ["posting_weight"].to_numpy(), len(industry_codes))
    from_industry = rng.random(len(industry_codes)) < 0.75
    mix = ref.industry_occupation
    for code in np.unique(industry_codes):
        rows = mix[mix["industry_code"] == code]
        mask = from_industry & (industry_codes == code)
        if len(rows) and mask.any():
            result[mask] = weighted_choice(rng, rows["keco_code"].to_numpy(), rows["weight"].to_numpy(), int(mask.sum()))
    return result


def make_postings(
    ref: Reference,
    employers: pd.DataFrame,
    market: pd.DataFrame,
    n: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Structured posting attributes (lawful; violations are planted afterwards)."""
    employer_id = _assign_employers(employers, n, rng)
    emp = employers.set_index("id").loc[employer_id]
    keco = _occupations_for(ref, emp["industry_code"].to_numpy(), rng)
    major = np.array([k[0] for k in keco])
    own_region = rng.random(n) < 0.9
    regions = ref.regions
    other_region = weighted_choice(rng, regions["code"].to_numpy(), regions["employment_weight"].to_numpy(), n)
    region = np.where(own_region, emp["region_code"].to_numpy(), other_region)
    open_date = random_dates(rng, n, params.PERIOD_START, params.POSTING_LAST_OPEN)
    window = rng.choice(np.array(params.WINDOW_DAYS), size=n, p=np.array(params.WINDOW_SHARES))

    # Employment type by occupation group.
    employment_type = np.empty(n, dtype=object)
    for group, shares in params.EMPLOYMENT_TYPE_SHARES.items():
        mask = major == group
        employment_type[mask] = rng.choice(np.array(params.EMPLOYMENT_TYPES), size=int(mask.sum()), p=np.array(shares))

    hours = np.select(
        [employment_type == "정규직", employment_type == "계약직", employment_type == "시간제"],
        [
            rng.choice([40, 40, 40, 40, 40, 40, 44, 45, 48, 50, 52], size=n),
            rng.choice([40, 40, 40, 40, 35, 44, 48], size=n),
            rng.integers(12, 33, size=n),
        ],
        default=rng.choice([40, 44, 48], size=n),
    ).astype(float)

    cells = pd.DataFrame({"keco_code": keco, "region_code": region}).merge(market, how="left", on=["keco_code", "region_code"])
    market_wage = cells["market_wage"].to_numpy(float)
    size_index = ref.firm_sizes.set_index("code").loc[emp["size_code"].to_numpy(), "wage_index"].to_numpy(float)
    type_premium = pd.Series(employment_type).map({"정규직": 1.0, "계약직": 0.93, "시간제": 0.88, "일용직": 1.05}).to_numpy(float)
    fte = market_wage * np.power(size_index / np.mean(size_index), 0.3) * type_premium * np.exp(rng.normal(0, 0.13, n))
    monthly = from_full_time_equivalent(fte, hours)

    is_high = fte >= 3_500_000
    wage_type = np.select(
        [employment_type == "시간제", employment_type == "일용직", employment_type == "정규직", employment_type == "계약직"],
        [
            np.where(rng.random(n) < 0.85, "hourly", "monthly"),
            np.where(rng.random(n) < 0.90, "daily", "hourly"),
            np.where(is_high & (rng.random(n) < 0.6), "annual", "monthly"),
            np.where(rng.random(n) < 0.8, "monthly", "hourly"),
        ],
        default="monthly",
    )
    years = open_date.astype("datetime64[Y]").astype(int) + 1970
    amount = round_wage(wage_type, amount_from_monthly(wage_type, monthly, hours), up=True)
    # Lawful floor: lift anything the noise pushed under the year's minimum wage.
    minimum = minimum_wage_by_year(ref, years)
    amount = np.where(
        hourly_equivalent(wage_type, amount, hours) < minimum,
        round_wage(wage_type, amount_from_monthly(wage_type, minimum * paid_monthly_hours(hours), hours), up=True),
        amount,
    )

    career = rng.choice(np.array(params.CAREER_LEVELS), size=n, p=np.array(params.CAREER_SHARES))
    min_years = np.where(career == "경력", np.minimum(rng.geometric(0.45, size=n), 7), 0)
    typical = ref.occupations.set_index("keco_code").loc[keco, "education_typical"].to_numpy()
    levels = list(params.EDUCATION_LEVELS)
    typical_idx = np.array([levels.index(t) if t in levels else 0 for t in typical])
    draw = rng.random(n)
    education_idx = np.where(draw < 0.45, typical_idx, np.where(draw < 0.85, 0, np.maximum(typical_idx - 1, 0)))
    education = np.array(levels, dtype=object)[education_idx]

    size_rank = pd.Series(emp["size_code"].to_numpy()).map({"S1": 0, "S2": 1, "S3": 2, "S4": 3, "S5": 4}).to_numpy(float)
    statutory_p = pd.Series(employment_type).map({"정규직": 0.96, "계약직": 0.93, "시간제": 0.7, "일용직": 0.3}).to_numpy(float)
    has_insurance = rng.random(n) < statutory_p
    n_extra = np.minimum(rng.poisson(1.2 + 0.6 * size_rank), 9)
    completeness = np.clip(rng.beta(4.0, 2.0, size=n) + 0.04 * (size_rank - 1.5), 0.05, 1.0)
    headcount = 1 + rng.poisson(np.where(major == "8", 1.2, 0.4))

    postings = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "employer_id": employer_id,
            "keco_code": keco,
            "keco_major": major,
            "region_code": region,
            "industry_code": emp["industry_code"].to_numpy(),
            "size_code": emp["size_code"].to_numpy(),
            "open_date": open_date,
            "close_date": open_date + window.astype("timedelta64[D]"),
            "window_days": window,
            "year": years,
            "open_month": open_date.astype("datetime64[M]").astype(int) % 12 + 1,
            "employment_type": employment_type,
            "weekly_hours": hours,
            "wage_type": wage_type,
            "wage_amount": amount.astype(np.int64),
            "career": career,
            "min_career_years": min_years.astype(int),
            "education": education,
            "has_social_insurance": has_insurance,
            "n_welfare_extra": n_extra,
            "completeness": completeness,
            "headcount": headcount,
            "market_wage": market_wage,
            "rule_id": "",
            "duplicate_of": 0,
        }
    )
    postings["welfare_codes"] = _welfare_codes(ref, postings, rng)
    return refresh_wage_columns(postings)


def minimum_wage_by_year(ref: Reference, years: np.ndarray) -> np.ndarray:
    """Hourly minimum wage for each year (:meth:`app.labour.MinimumWageTable.for_years`)."""
    return minimum_wage_table(ref).for_years(years)


def round_wage(wage_type: np.ndarray, amount: np.ndarray, *, up: bool) -> np.ndarray:
    """Round posted amounts to the units employers use (10원 hourly, 1,000원 daily, 10,000원
    monthly, 100,000원 annual); ``up`` rounds up (lawful floor), otherwise down (violations)."""
    unit = np.select(
        [wage_type == "hourly", wage_type == "daily", wage_type == "monthly"], [10.0, 1_000.0, 10_000.0], default=100_000.0
    )
    op = np.ceil if up else np.floor
    return (op(np.asarray(amount, dtype=float) / unit) * unit).astype(np.int64)


def refresh_wage_columns(postings: pd.DataFrame) -> pd.DataFrame:
    """Recompute the wage columns derived from (wage_type, wage_amount, weekly_hours)."""
    wt = postings["wage_type"].to_numpy()
    amount = postings["wage_amount"].to_numpy(float)
    hours = postings["weekly_hours"].to_numpy(float)
    monthly = monthly_equivalent(wt, amount, hours)
    postings["wage_monthly"] = np.round(monthly).astype(np.int64)
    postings["wage_monthly_fte"] = full_time_equivalent(monthly, hours)
    postings["hourly_equivalent"] = hourly_equivalent(wt, amount, hours)
    return postings


def _welfare_codes(ref: Reference, postings: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    items = ref.welfare_items
    statutory = items[items["statutory"].astype(str).str.lower().isin(["true", "1"])]
    extra = items[~items.index.isin(statutory.index)]
    statutory_codes = ";".join(statutory["code"])
    extra_codes = extra["code"].to_numpy()
    out = np.empty(len(postings), dtype=object)
    for i, (has_ins, k) in enumerate(zip(postings["has_social_insurance"].to_numpy(), postings["n_welfare_extra"].to_numpy(), strict=True)):
        chosen = sorted(rng.choice(extra_codes, size=min(int(k), len(extra_codes)), replace=False)) if k else []
        parts = ([statutory_codes] if has_ins else []) + list(chosen)
        out[i] = ";".join(p for p in parts if p)
    return out


# --------------------------------------------------------------------------- seekers


def _tilted_occupation(ref: Reference, sex: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    occ = ref.occupations
    base = occ["posting_weight"].to_numpy(float)
    majors = occ["keco_code"].str[0].to_numpy()
    result = np.empty(len(sex), dtype=object)
    for s in ("F", "M"):
        for band, tilt in (("young", params.YOUNG_AGE_TILT), ("mid", None), ("old", params.OLD_AGE_TILT)):
            age_mask = (age < 30) if band == "young" else (age >= 55) if band == "old" else ((age >= 30) & (age < 55))
            mask = (sex == s) & age_mask
            if not mask.any():
                continue
            w = base * np.array([params.SEX_OCCUPATION_TILT[s][m] for m in majors])
            if tilt is not None:
                w = w * np.array([tilt[m] for m in majors])
            result[mask] = weighted_choice(rng, occ["keco_code"].to_numpy(), w, int(mask.sum()))
    return result


def make_seekers(ref: Reference, market: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Structured seeker attributes: demographics, career, desires, certificates, skills, RIASEC θ."""
    bands = params.AGE_BANDS
    band = rng.choice(len(bands), size=n, p=np.array([b[2] for b in bands]))
    age = np.array([rng.integers(bands[b][0], bands[b][1] + 1) for b in band]) if n < 50_000 else (
        np.array([b[0] for b in bands])[band] + np.floor(rng.random(n) * (np.array([b[1] - b[0] + 1 for b in bands])[band]))
    ).astype(int)
    sex = np.where(rng.random(n) < params.FEMALE_SHARE, "F", "M")
    age_group = np.select([age < 30, age < 50, age < 60], [0, 1, 2], default=3)
    education = np.empty(n, dtype=object)
    for g, shares in enumerate(params.EDUCATION_BY_AGE):
        mask = age_group == g
        education[mask] = rng.choice(np.array(params.SEEKER_EDUCATION), size=int(mask.sum()), p=np.array(shares))
    start_age = pd.Series(education).map({"중졸이하": 17, "고졸": 19, "전문대졸": 22, "대졸": 25, "석사": 28}).to_numpy(float)
    career = np.round(np.maximum(age - start_age, 0) * rng.uniform(0.3, 0.95, n) * 2) / 2
    registered = random_dates(rng, n, params.PERIOD_START, params.SEEKER_LAST_REGISTRATION)
    birth = registered - (age * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]")

    regions = ref.regions
    region = weighted_choice(rng, regions["code"].to_numpy(), regions["employment_weight"].to_numpy(), n)
    desired_region = np.where(
        rng.random(n) < 0.85, region, weighted_choice(rng, regions["code"].to_numpy(), regions["employment_weight"].to_numpy(), n)
    )
    last = np.where(career >= 1, _tilted_occupation(ref, sex, age, rng), None)
    occ = ref.occupations.set_index("keco_code")
    middle_of = occ["middle_code"].to_dict()
    draw = rng.random(n)
    fresh = _tilted_occupation(ref, sex, age, rng)
    same_middle = _same_middle(ref, last, rng)
    desired = np.where(last == None, fresh, np.where(draw < 0.60, last, np.where(draw < 0.75, same_middle, fresh)))
    desired = desired.astype(object)

    cells = pd.DataFrame({"keco_code": desired, "region_code": desired_region}).merge(
        market, how="left", on=["keco_code", "region_code"]
    )
    market_wage = cells["market_wage"].to_numpy(float)
    ask = market_wage * np.exp(rng.normal(0.02 + 0.006 * np.minimum(career, 20), 0.18, n))
    minimum_monthly = ref.minimum_wage["monthly_209h"].max()
    desired_wage = np.maximum(np.round(ask / 100_000) * 100_000, np.ceil(minimum_monthly / 100_000) * 100_000).astype(np.int64)

    benefit = rng.random(n) < 1 / (1 + np.exp(-(-0.9 + 1.3 * (career >= 1) + 0.3 * ((age >= 25) & (age < 60)) - 1.5 * (age >= 65))))
    theta = _riasec_theta(ref, desired, rng)
    riasec = np.clip(np.round((3.0 + 0.8 * theta + rng.normal(0, 0.25, theta.shape)) * 10) / 10, 1.0, 5.0)
    majors = np.array([d[0] for d in desired])
    major_name = np.array(
        ["" if e in ("중졸이하", "고졸") else params.MAJORS[m][int(rng.integers(0, 5))] for e, m in zip(education, majors, strict=True)],
        dtype=object,
    )
    seekers = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "age": age.astype(int),
            "sex": sex,
            "disability": rng.random(n) < params.DISABILITY_SHARE,
            "education": education,
            "major": major_name,
            "region_code": region,
            "career_years": career,
            "last_keco": last,
            "desired_keco": desired,
            "desired_middle": [middle_of.get(d, "") for d in desired],
            "desired_wage": desired_wage,
            "desired_region_code": desired_region,
            "region_flexible": rng.random(n) < 0.30,
            "benefit_status": benefit,
            "registered_on": registered,
            "birth_date": birth,
            "market_wage": market_wage,
        }
    )
    for i, letter in enumerate("riasec"):
        seekers[f"riasec_{letter}"] = riasec[:, i]
        seekers[f"theta_{letter}"] = theta[:, i]
    certs, relevant = _certificates(ref, seekers, rng)
    seekers["certificate_ids"] = certs
    seekers["n_relevant_certificates"] = relevant
    seekers["skills"] = _skills(ref, seekers, rng)
    return seekers


def _same_middle(ref: Reference, last: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    occ = ref.occupations
    by_middle = occ.groupby("middle_code")["keco_code"].apply(lambda s: s.to_numpy()).to_dict()
    middle_of = occ.set_index("keco_code")["middle_code"].to_dict()
    out = np.empty(len(last), dtype=object)
    u = rng.random(len(last))
    for i, k in enumerate(last):
        if k is None:
            out[i] = None
            continue
        pool = by_middle[middle_of[k]]
        out[i] = pool[int(u[i] * len(pool))]
    return out


def _riasec_theta(ref: Reference, desired: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """True interest traits: the desired occupation's profile (standardised) plus personal spread."""
    cols = [f"riasec_{c}" for c in "riasec"]
    profile = ref.occupations.set_index("keco_code")[cols]
    z = (profile - profile.mean()) / profile.std(ddof=0).replace(0, 1)
    centre = z.loc[desired].to_numpy(float)
    return 0.7 * centre + rng.normal(0.0, 0.7, size=centre.shape)


def _certificates(ref: Reference, seekers: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    certs = ref.certificates
    by_occ: dict[str, list[str]] = {}
    for cid, codes in zip(certs["certificate_id"], certs["keco_codes"].fillna(""), strict=True):
        for code in str(codes).split(";"):
            if code:
                by_occ.setdefault(code, []).append(cid)
    generic = certs.sort_values("n_occupations", ascending=False)["certificate_id"].head(20).to_numpy()
    higher = seekers["education"].isin(["전문대졸", "대졸", "석사"]).to_numpy(float)
    count = rng.poisson(0.5 + 0.4 * higher + 0.03 * np.minimum(seekers["career_years"].to_numpy(float), 20))
    out = np.empty(len(seekers), dtype=object)
    relevant = np.zeros(len(seekers), dtype=int)
    u = rng.random((len(seekers), 4))
    for i, (k, desired, last) in enumerate(zip(count, seekers["desired_keco"], seekers["last_keco"], strict=True)):
        own = by_occ.get(desired, []) + (by_occ.get(last, []) if last else [])
        chosen: list[str] = []
        for j in range(min(int(k), 4)):
            pool = own if (own and u[i, j] < 0.7) else generic
            cid = pool[int(u[i, j] * 7919) % len(pool)]
            if cid not in chosen:
                chosen.append(cid)
        out[i] = ";".join(chosen)
        desired_set = set(by_occ.get(desired, []))
        relevant[i] = sum(c in desired_set for c in chosen)
    return out, relevant


def _skills(ref: Reference, seekers: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    skills = ref.occupations.set_index("keco_code")["skills"].fillna("").str.split(";").to_dict()
    out = np.empty(len(seekers), dtype=object)
    k = rng.integers(3, 7, size=len(seekers))
    u = rng.random((len(seekers), 8))
    for i, (desired, last) in enumerate(zip(seekers["desired_keco"], seekers["last_keco"], strict=True)):
        pool = [s for s in skills.get(desired, []) if s] + ([s for s in skills.get(last, []) if s] if last else [])
        if not pool:
            out[i] = ""
            continue
        picked = {pool[int(u[i, j] * len(pool))] for j in range(min(k[i], 8))}
        out[i] = ";".join(sorted(picked))
    return out
