"""The open caseload: every open seeker scored with a probability, a band and the main risk factor;
filters, the display table and the masked CSV."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories.seekers import load_seeker_records
from app.ml.employment import EmploymentModel
from app.ml.employment_features import HORIZON_DAYS, split_cohorts
from app.reference.names import occupation_names, region_short
from app.services.employment.reasons import group_contributions
from app.services.employment.store import RiskBands, latest_overrides, load_masked_names
from app.services.explorer import to_csv_bytes


def input_hash(features: Mapping[str, object], version: str, *extra: object) -> str:
    """SHA-256 of the canonical model input (what the audit log keeps instead of the input)."""
    payload = json.dumps({"v": version, "x": {k: str(v) for k, v in sorted(features.items())}, "e": [str(e) for e in extra]},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- caseload


def score_records(records: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """Probability, interval, band, still-searching probability and main risk factor of records.

    The band follows the model's target — employment within 180 days *of registration* — so it
    does not drift as a seeker's search goes on, and the fairness audit grades exactly what is
    shown. The still-searching probability adds what the days already spent say.

    Args:
        records: Seeker records (``load_seeker_records`` columns), optionally with
            ``days_since_registration`` (default 0).
        model: The employment-success model.
        bands: Risk bands in force.

    Returns:
        ``records`` with ``probability``, ``probability_low``, ``probability_high`` (at
        registration), ``probability_now`` (employed by day 180 given not yet on the caseload
        date), ``band`` and ``main_factor`` (the factor that lowers the probability most).
    """
    x = model.features(records)
    return score_frame(records, x, model, bands)


def score_frame(records: pd.DataFrame, x: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """:func:`score_records` for records whose model frame ``x`` is already built."""
    predicted = model.predict(x)
    days = records["days_since_registration"].to_numpy(int) if "days_since_registration" in records else np.zeros(len(x))
    p = predicted["probability"].to_numpy()
    values, _ = model.explain(x)
    grouped = group_contributions(values)
    worst = grouped.idxmin(axis=1).where(grouped.min(axis=1) < 0, "")
    return records.assign(
        probability=p,
        probability_low=predicted["probability_low"].to_numpy(),
        probability_high=predicted["probability_high"].to_numpy(),
        probability_now=model.current_probability(p, days),
        band=bands.bands(p),
        main_factor=worst.to_numpy(),
    )


SCORE_COLUMNS: tuple[str, ...] = (
    "probability", "probability_low", "probability_high", "probability_now", "band", "main_factor",
)
CASELOAD_COLUMNS: tuple[str, ...] = ("masked_name", "override_band", "final_band", "desired_occupation", "desired_region")
FUTURE_COLUMNS: tuple[str, ...] = ("employed_180d", "days_to_employment")
"""Outcomes after the caseload date: known to the world, unknown to a counsellor on that date, so
they never leave the caseload functions."""


def _open_caseload(engine: Engine, model: EmploymentModel) -> pd.DataFrame:
    cutoff = pd.Timestamp(model.as_of).date() - dt.timedelta(days=HORIZON_DAYS)
    records = load_seeker_records(engine, as_of=model.as_of, registered_after=cutoff)
    _, caseload = split_cohorts(records, model.as_of)
    return caseload.drop(columns=list(FUTURE_COLUMNS)).reset_index(drop=True)


def score_caseload(engine: Engine, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """Every seeker of the open caseload (registered within 180 days of the caseload date and not
    yet employed), scored, with their masked name and newest counsellor override.

    Returns:
        :func:`score_records` columns plus ``masked_name``, ``override_band`` (empty when none),
        ``final_band`` (override, else model band), ``desired_occupation``, ``desired_region``.
        Highest risk first.
    """
    caseload = _open_caseload(engine, model)
    if caseload.empty:
        return pd.DataFrame(columns=[*caseload.columns, *SCORE_COLUMNS, *CASELOAD_COLUMNS])
    scored = score_records(caseload, model, bands)
    names = load_masked_names(engine, scored["id"].astype(int).tolist())
    overrides = latest_overrides(engine)
    scored["masked_name"] = scored["id"].map(names).fillna("")
    scored["override_band"] = scored["id"].map(overrides).fillna("")
    scored["final_band"] = scored["override_band"].where(scored["override_band"] != "", scored["band"])
    scored["desired_occupation"] = [occupation_names(str(k))[0] for k in scored["desired_keco"]]
    scored["desired_region"] = [region_short(str(r)) for r in scored["desired_region_code"]]
    return scored.sort_values(["probability", "id"]).reset_index(drop=True)


@dataclass(frozen=True)
class CaseloadFilter:
    """Conditions on the caseload table; empty values mean "no condition".

    Attributes:
        bands: Final bands to show.
        region_codes: Desired 시도 codes.
        keco_prefix: Desired KECO code prefix (1–3 digits).
        search: Seeker number (e.g. ``"1234"``/``"#1234"``) or a word of the desired occupation.
        min_days: Fewest days since registration.
    """

    bands: tuple[str, ...] = ()
    region_codes: tuple[str, ...] = ()
    keco_prefix: str = ""
    search: str = ""
    min_days: int = 0


def filter_caseload(scored: pd.DataFrame, flt: CaseloadFilter) -> pd.DataFrame:
    """Rows of :func:`score_caseload` output that meet ``flt`` (order kept)."""
    mask = pd.Series(True, index=scored.index)
    if flt.bands:
        mask &= scored["final_band"].isin(flt.bands)
    if flt.region_codes:
        mask &= scored["desired_region_code"].astype(str).isin(flt.region_codes)
    if flt.keco_prefix:
        mask &= scored["desired_keco"].astype(str).str.startswith(flt.keco_prefix)
    if flt.min_days:
        mask &= scored["days_since_registration"] >= int(flt.min_days)
    term = flt.search.strip().lstrip("#")
    if term:
        if term.isdigit():
            mask &= scored["id"].astype(str) == term
        else:
            mask &= scored["desired_occupation"].str.contains(term, regex=False)
    return scored[mask]


def caseload_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Display and export table (Korean columns; masked names only, no contact or address)."""
    return pd.DataFrame(
        {
            "구직자 번호": scored["id"].astype(int),
            "성명(마스킹)": scored["masked_name"].astype(str),
            "연령": scored["age"].astype(int),
            "희망 직종": scored["desired_occupation"].astype(str),
            "희망 지역": scored["desired_region"].astype(str),
            "등록 후 일수": scored["days_since_registration"].astype(int),
            "180일 내 취업확률": scored["probability"].round(3),
            "남은 기간 취업확률": scored["probability_now"].round(3),
            "위험도": scored["final_band"].astype(str),
            "모델 판정": scored["band"].astype(str),
            "상담사 조정": scored["override_band"].astype(str),
            "주요 위험 요인": scored["main_factor"].astype(str),
        }
    )


def caseload_csv(scored: pd.DataFrame) -> bytes:
    """CSV of :func:`caseload_table` (UTF-8 with BOM for Excel); names are masked."""
    return to_csv_bytes(caseload_table(scored))


