"""The open caseload: every open seeker scored with a probability, a band and the main risk factor;
filters, the display table and the masked CSV."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import seeker_scores as score_store
from app.db.repositories import world as world_repo
from app.db.repositories.seekers import load_seeker_records
from app.ml.employment import EmploymentModel
from app.ml.employment_features import HORIZON_DAYS, split_cohorts
from app.reference.codes import SERVICES
from app.reference.names import occupation_names, region_short
from app.services.employment.policy import ProbabilityCounts, aggregates_from_sums
from app.services.employment.reasons import group_contributions, worst_factors
from app.services.employment.store import RiskBands, SeekerNotFound, latest_overrides, load_masked_names
from app.services.explorer import to_csv_bytes
from app.text.pii import mask_name


def input_hash(features: Mapping[str, object], version: str, *extra: object) -> str:
    """SHA-256 of the canonical model input (what the audit log keeps instead of the input)."""
    payload = json.dumps({"v": version, "x": {k: str(v) for k, v in sorted(features.items())}, "e": [str(e) for e in extra]},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- caseload


def score_records(records: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """Probability, interval, band, still-searching probability and main risk factors of records.

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
        date), ``band``, ``main_factor`` (the factor that lowers the probability most),
        ``main_actionable_factor`` and ``actionable_effect`` (the same among the factors a
        counsellor can act on, :data:`~app.services.employment.reasons.ACTIONABLE_FACTORS`) and
        ``main_fixed_factor`` (among the others).
    """
    x = model.features(records)
    return score_frame(records, x, model, bands)


def score_frame(records: pd.DataFrame, x: pd.DataFrame, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """:func:`score_records` for records whose model frame ``x`` is already built."""
    return with_bands(_unbanded_scores(records, x, model), bands)


def score_explained(records: pd.DataFrame, x: pd.DataFrame, model: EmploymentModel,
                    bands: RiskBands) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`score_frame` and the TreeSHAP contributions it was computed with (one model run for
    both: a batch needs the reasons too).

    Returns:
        (:func:`score_records` columns, contributions per feature in calibrated log-odds).
    """
    scored, values = _scored_with_contributions(records, x, model, tables=True)
    return with_bands(scored, bands), values


def best_services(model: EmploymentModel, x: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The service with the largest estimated effect among those a seeker has not received, and
    that effect, for every row of model frame ``x``.

    The point effects of :meth:`EmploymentModel.service_effects` (its main booster with each
    service switched on and off) without its bag intervals, propensities and per-row records, which
    a batch does not show; ties go to the earlier service of :data:`SERVICES`, as there.

    Returns:
        (service key, ``""`` when every service was received; effect in probability points, NaN then).
    """
    n = len(x)
    matrix = model.main.matrix(x)
    service_columns = [list(model.main.features).index(f"svc_{service}") for service in SERVICES]
    tables = model.main.tables()
    if tables is not None:
        # the lookup tables switch a service by looking up again only the tables that read it
        binned = tables.binned(matrix)
        raw = tables.raw(matrix, binned)
        probability = np.stack([
            [model.main.probability(tables.switched(matrix, raw, column, value, binned)) for value in (1.0, 0.0)]
            for column in service_columns
        ])
    else:
        # every row twice per service, with the service switched on (even copies) and off (odd copies),
        # so the booster predicts once for all of them
        copies = np.repeat(matrix[np.newaxis], 2 * len(SERVICES), axis=0)
        copies[2 * np.arange(len(SERVICES)), :, service_columns] = 1.0
        copies[2 * np.arange(len(SERVICES)) + 1, :, service_columns] = 0.0
        probability = model.main.predict_proba(copies.reshape(-1, matrix.shape[1])).reshape(len(SERVICES), 2, n)
    effects = (probability[:, 0, :] - probability[:, 1, :]).T
    received = np.column_stack([x[f"svc_{s}"].to_numpy(float) > 0.5 for s in SERVICES])
    best = np.where(received, -np.inf, effects).argmax(axis=1)
    none_open = received.all(axis=1)
    names = np.where(none_open, "", np.asarray(SERVICES, dtype=object)[best])
    return names, np.where(none_open, np.nan, effects[np.arange(n), best])


def _unbanded_scores(records: pd.DataFrame, x: pd.DataFrame, model: EmploymentModel) -> pd.DataFrame:
    return _scored_with_contributions(records, x, model)[0]


def _scored_with_contributions(records: pd.DataFrame, x: pd.DataFrame, model: EmploymentModel, *,
                               tables: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    # the build precomputed the open caseload's predictions and SHAP (EmploymentModel.predict_explained);
    # a batch computes the rest from the boosters' lookup tables (``tables``)
    predicted, values, _ = model.predict_explained(x, tables=tables)
    days = records["days_since_registration"].to_numpy(int) if "days_since_registration" in records else np.zeros(len(x))
    p = predicted["probability"].to_numpy(float)
    factors = worst_factors(group_contributions(values))
    return records.assign(
        probability=p,
        probability_low=predicted["probability_low"].to_numpy(float),
        probability_high=predicted["probability_high"].to_numpy(float),
        probability_now=model.current_probability(p, days),
        **{column: factors[column].to_numpy() for column in factors.columns},
    ), values


def with_bands(scored: pd.DataFrame, bands: RiskBands) -> pd.DataFrame:
    """``scored`` with its ``band`` under ``bands`` (no model run: the band is a cut of the probability)."""
    return scored.assign(band=bands.bands(scored["probability"].to_numpy(float)) if len(scored) else [])


SCORE_COLUMNS: tuple[str, ...] = (
    "probability", "probability_low", "probability_high", "probability_now", "band", "main_factor",
    "main_actionable_factor", "actionable_effect", "main_fixed_factor",
)
CASELOAD_COLUMNS: tuple[str, ...] = ("masked_name", "override_band", "final_band", "desired_occupation", "desired_region")
FUTURE_COLUMNS: tuple[str, ...] = ("employed_180d", "days_to_employment")
"""Outcomes after the caseload date: known to the world, unknown to a counsellor on that date, so
they never leave the caseload functions."""


def reference_date(engine: Engine) -> dt.date:
    """The data's one reference date (기준일): every "등록 후 N일" and the open caseload count from it.

    Raises:
        SeekerNotFound: The database holds no seeker and no posting (nothing to date).
    """
    day = world_repo.load_reference_date(engine)
    if day is None:
        raise SeekerNotFound("기준일을 정할 자료가 없습니다. `python -m app build`로 가상 세계를 만드세요.")
    return day


def _open_caseload(engine: Engine) -> pd.DataFrame:
    as_of = reference_date(engine)
    cutoff = as_of - dt.timedelta(days=HORIZON_DAYS)
    records = load_seeker_records(engine, as_of=as_of, registered_after=cutoff)
    _, caseload = split_cohorts(records, as_of)
    return caseload.drop(columns=list(FUTURE_COLUMNS)).reset_index(drop=True)


def caseload_scores(engine: Engine, model: EmploymentModel) -> pd.DataFrame:
    """The open caseload (registered within 180 days of the reference date and not yet employed)
    scored, with masked names and desired occupation and region — everything but the bands and
    the overrides, which change without a model run (:func:`apply_bands`).

    Returns:
        :func:`score_records` columns except ``band``, plus ``masked_name``,
        ``desired_occupation`` and ``desired_region``; highest risk first.
    """
    caseload = _open_caseload(engine)
    if caseload.empty:
        columns = [c for c in (*SCORE_COLUMNS, *CASELOAD_COLUMNS) if c not in ("band", "override_band", "final_band")]
        return pd.DataFrame(columns=[*caseload.columns, *columns])
    return _scored_caseload_rows(engine, caseload, model)


def _scored_caseload_rows(engine: Engine, caseload: pd.DataFrame, model: EmploymentModel) -> pd.DataFrame:
    """Open-caseload records scored, with masked names and desired occupation and region; highest risk first."""
    scored = _unbanded_scores(caseload, model.features(caseload), model)
    names = load_masked_names(engine, scored["id"].astype(int).tolist())
    scored["masked_name"] = scored["id"].map(names).fillna("")
    scored["desired_occupation"] = [occupation_names(str(k))[0] for k in scored["desired_keco"]]
    scored["desired_region"] = [region_short(str(r)) for r in scored["desired_region_code"]]
    return scored.sort_values(["probability", "id"]).reset_index(drop=True)


STORED_COLUMNS: tuple[str, ...] = (
    "id", "masked_name", "age", "desired_keco", "desired_region_code", "desired_occupation", "desired_region",
    "registered_on", "days_since_registration", *(c for c in SCORE_COLUMNS if c != "band"),
)
"""What :func:`stored_caseload_scores` returns: the columns the caseload pages read (the profile page
reads one seeker's full record itself)."""

MAX_INCREMENTAL_SEEKERS = 50_000
"""Above this many touched seekers the whole caseload is rescored (one pass beats many id lists)."""


def store_caseload_scores(engine: Engine, model: EmploymentModel) -> int:
    """Score the open caseload into the stored-scores table, unless it is up to date.

    What the build calls after the employment model is written (and what the caseload pages call
    before reading, so a page never shows scores of other data). Compares the stamp of the data —
    the world's fingerprint, the reference date, the model version and the newest id of every table
    a score reads — with the stamp of the stored scores: equal, nothing is done (a few index lookups);
    only newer rows, only their seekers are rescored (or dropped when they left the caseload);
    anything else, the whole open caseload is scored again.

    Args:
        engine: Product database.
        model: The employment-success model the pages show.

    Returns:
        How many seekers were (re)scored or dropped (0 when the stored scores were current).
    """
    as_of = reference_date(engine)
    stamp = score_store.current_stamp(engine, as_of, str(model.version))
    stored = score_store.stored_stamp(engine)
    if stored == stamp:
        return 0
    touched = None
    if stored is not None and stored.same_scores(stamp):
        touched = score_store.seekers_touched_since(engine, stored)
        if len(touched) > MAX_INCREMENTAL_SEEKERS:
            touched = None
    if touched is None:
        caseload = _open_caseload(engine)
    else:
        records = load_seeker_records(engine, as_of=as_of, ids=touched) if touched else pd.DataFrame()
        caseload = (split_cohorts(records, as_of)[1].drop(columns=list(FUTURE_COLUMNS)).reset_index(drop=True)
                    if len(records) else pd.DataFrame())
    rows = _scored_caseload_rows(engine, caseload, model) if len(caseload) else pd.DataFrame(columns=list(STORED_COLUMNS))
    score_store.save_scores(engine, rows.rename(columns={"id": "seeker_id"}), stamp, replace_ids=touched)
    return len(rows) if touched is None else len(touched)


def stored_caseload_scores(engine: Engine, model: EmploymentModel) -> pd.DataFrame:
    """:func:`caseload_scores`' rows as the pages need them, read from the stored scores (brought up
    to date first by :func:`store_caseload_scores`).

    Returns:
        :data:`STORED_COLUMNS`; highest risk first (ties by seeker number), as :func:`caseload_scores`.
    """
    store_caseload_scores(engine, model)
    return _stored_frame(score_store.load_scores(engine))


def _stored_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Stored rows with the live frame's types (dates, NaN for a missing effect, text never None)."""
    rows["registered_on"] = pd.to_datetime(rows["registered_on"]).dt.date
    for column in ("probability", "probability_low", "probability_high", "probability_now", "actionable_effect"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype(float)
    for column in ("masked_name", "desired_keco", "desired_region_code", "desired_occupation", "desired_region",
                   "main_factor", "main_actionable_factor", "main_fixed_factor"):
        rows[column] = rows[column].fillna("").astype(str)
    return rows.loc[:, list(STORED_COLUMNS)]


@dataclass(frozen=True)
class CaseloadSummary:
    """The whole open caseload in figures, from the stored scores (the tiles and the audit row of
    구직자 위험 현황, without reading its rows).

    Attributes:
        n_seekers: Seekers on the open caseload.
        band_counts: Final band (a counsellor's override, else the model's) → seekers, every band.
        probability_sum: Sum of their probabilities (the audit row's fingerprint of what was shown).
        region_codes: Desired 시도 codes present (the region filter's options), by code.
    """

    n_seekers: int
    band_counts: dict[str, int]
    probability_sum: float
    region_codes: tuple[str, ...]

    @property
    def mean_probability(self) -> float:
        """Mean probability (NaN for an empty caseload)."""
        return self.probability_sum / self.n_seekers if self.n_seekers else float("nan")


def caseload_summary(engine: Engine, bands: RiskBands, overrides: Mapping[int, str]) -> CaseloadSummary:
    """:class:`CaseloadSummary` of the stored scores under ``bands`` and the newest ``overrides``
    (:func:`latest_overrides`); read :func:`store_caseload_scores` current first."""
    n, total, high, low = score_store.score_totals(engine, bands.high_below, bands.low_from)
    counts = {"고위험": high, "중위험": n - high - low, "저위험": low}
    stored = score_store.stored_probabilities(engine, [int(i) for i in overrides])
    for seeker, probability in stored.items():
        # an overridden seeker counts under the counsellor's band instead of the model's
        counts[str(bands.bands(np.array([probability]))[0])] -= 1
        counts[str(overrides[seeker])] = counts.get(str(overrides[seeker]), 0) + 1
    return CaseloadSummary(n, counts, total, tuple(score_store.score_region_codes(engine)))


def _score_conditions(flt: CaseloadFilter, bands: RiskBands, overrides: Mapping[int, str]) -> score_store.ScoreConditions:
    """:func:`filter_caseload`'s conditions in SQL: a final band is the override's, else the probability's range."""
    band_args: dict[str, object] = {}
    if flt.bands:
        ranges = {"고위험": (None, bands.high_below), "중위험": (bands.high_below, bands.low_from),
                  "저위험": (bands.low_from, None)}
        asked = tuple(ranges[b] for b in flt.bands if b in ranges) or ((1.0, 0.0),)  # (1, 0): no probability
        band_args = {"probability_ranges": asked, "excluded_ids": tuple(int(i) for i in overrides),
                     "included_ids": tuple(int(i) for i, b in overrides.items() if b in flt.bands)}
    term = flt.search.strip().lstrip("#")
    return score_store.ScoreConditions(
        **band_args, region_codes=tuple(str(c) for c in flt.region_codes), keco_prefix=flt.keco_prefix,
        seeker_id=int(term) if term.isdigit() else None, occupation_term="" if term.isdigit() else term,
        min_days=int(flt.min_days))


def caseload_page(engine: Engine, flt: CaseloadFilter, order: str, bands: RiskBands, overrides: Mapping[int, str],
                  *, limit: int | None) -> tuple[pd.DataFrame, int]:
    """The stored caseload rows meeting ``flt`` in ``order``, at most ``limit`` of them, read with
    the index (what :func:`sort_caseload` of :func:`filter_caseload` of :func:`apply_bands` gives
    on the whole caseload, without reading it).

    Args:
        engine: Product database (stored scores current: :func:`store_caseload_scores`).
        flt: The table's filters.
        order: A key of :data:`CASELOAD_SORTS`.
        bands: Risk bands in force.
        overrides: :func:`latest_overrides`.
        limit: Most rows read (``None``: all, e.g. for the CSV).

    Returns:
        (:func:`apply_bands` rows of :data:`STORED_COLUMNS`, how many rows meet ``flt`` in all).

    Raises:
        ValueError: An unknown order.
    """
    if order not in CASELOAD_SORTS:
        raise ValueError(f"정렬 기준은 {', '.join(CASELOAD_SORTS)} 중 하나여야 합니다 (입력값: {order})")
    conditions = _score_conditions(flt, bands, overrides)
    rows = _stored_frame(score_store.load_score_rows(engine, conditions, order, limit=limit))
    if limit is None or len(rows) < limit:
        total = len(rows)
    elif flt == CaseloadFilter():
        total = score_store.score_totals(engine, bands.high_below, bands.low_from)[0]  # kept per process
    else:
        total = score_store.count_score_rows(engine, conditions)
    return apply_bands(rows, bands, overrides), total


PICKER_LIMIT = 50
"""Most seekers the seeker picker lists (a counsellor narrows the list by searching, not scrolling)."""
PICKER_COUNT_CAP = 1_000
"""A search's matches are counted up to this many ("1,000명 이상" beyond): counting every match of a
common word is a second pass over the national caseload, and no counsellor reads that far."""


@dataclass(frozen=True)
class SeekerMatches:
    """The seeker picker's list: the open-caseload seekers a search matches, highest risk first.

    Attributes:
        rows: At most :data:`PICKER_LIMIT` of them (:func:`apply_bands` rows of :data:`STORED_COLUMNS`).
        total: How many seekers the search matches in all (at most the count cap when ``more``).
        more: The search matches more than ``total`` (counted up to :data:`PICKER_COUNT_CAP`).
    """

    rows: pd.DataFrame
    total: int
    more: bool = False


def _search_conditions(search: str) -> score_store.ScoreConditions:
    """The picker's search in SQL: a seeker number (``1234``/``#1234``), else a piece of the masked
    name or of the desired occupation; a full name typed (2–5 Hangul syllables) also finds the
    seekers whose masked name it masks to, so the name itself is never looked up."""
    term = search.strip().lstrip("#").strip()
    if not term:
        return score_store.ScoreConditions()
    if term.isdigit():
        return score_store.ScoreConditions(seeker_id=int(term))
    looks_like_name = 2 <= len(term) <= 5 and all("가" <= ch <= "힣" for ch in term)
    return score_store.ScoreConditions(name_or_occupation_term=term,
                                       masked_name=mask_name(term) if looks_like_name else "")


def find_caseload_seekers(engine: Engine, search: str, bands: RiskBands, overrides: Mapping[int, str], *,
                          limit: int = PICKER_LIMIT, count_cap: int = PICKER_COUNT_CAP) -> SeekerMatches:
    """Open-caseload seekers matching a counsellor's search, highest risk first (lowest probability,
    ties by seeker number), read from the stored scores with the index (never the whole caseload).

    Args:
        engine: Product database (stored scores current: :func:`store_caseload_scores`).
        search: A seeker number (``"1234"``, ``"#1234"``), a piece of the masked name (``"김"``,
            ``"김○수"``), a full name (matched through its mask) or a word of the desired
            occupation; empty: the whole caseload.
        bands: Risk bands in force.
        overrides: :func:`latest_overrides`.
        limit: Most rows returned.
        count_cap: Matches of a search are counted up to this many (the whole caseload exactly).

    Returns:
        :class:`SeekerMatches`.
    """
    conditions = _search_conditions(search)
    if conditions == score_store.ScoreConditions():
        rows = score_store.load_score_rows(engine, conditions, "risk", limit=int(limit))
        total = (len(rows) if len(rows) < limit else
                 score_store.score_totals(engine, bands.high_below, bands.low_from)[0])  # kept per process
        more = False
    else:
        rows, n = score_store.search_score_rows(engine, conditions, limit=int(limit), count_cap=int(count_cap))
        total, more = min(n, int(count_cap)), n > count_cap
    return SeekerMatches(apply_bands(_stored_frame(rows), bands, overrides), total, more)


def caseload_seeker(engine: Engine, seeker_id: int, bands: RiskBands, overrides: Mapping[int, str]) -> pd.DataFrame:
    """The stored row of one seeker as :func:`find_caseload_seekers` gives it (one indexed lookup):
    one row when the seeker is on the open caseload, none otherwise (what a requested ``?seeker=``
    is checked against)."""
    rows = score_store.load_score_rows(engine, score_store.ScoreConditions(seeker_id=int(seeker_id)), "risk", limit=1)
    return apply_bands(_stored_frame(rows), bands, overrides)


def caseload_probability_counts(engine: Engine, thresholds: Sequence[float]) -> ProbabilityCounts:
    """:class:`ProbabilityCounts` of the stored open caseload at ``thresholds`` (one pass in SQL;
    the model's probability, before overrides)."""
    wanted = sorted({float(t) for t in thresholds})
    n, below = score_store.probability_counts(engine, wanted)
    return ProbabilityCounts(n, dict(zip(wanted, below, strict=True)))


def stored_caseload_aggregates(engine: Engine, bands: RiskBands, overrides: Mapping[int, str]) -> dict[str, pd.DataFrame]:
    """:func:`caseload_aggregates` by ``"region"`` and by ``"occupation"`` of the stored open caseload,
    from per-group sums computed in SQL (one pass) with counsellors' overrides moved between bands.

    Counts and sums are exact; the means are the sums divided by the counts (equal to pandas' means
    up to float rounding, ~1e-15).
    """
    sums = score_store.group_sums(engine, bands.high_below)
    moved = score_store.stored_group_keys(engine, [int(i) for i in overrides])
    if len(moved):
        # an overridden seeker counts as 고위험 when the counsellor says so, whatever the probability
        final_high = moved["seeker_id"].astype(int).map(lambda i: overrides[i] == "고위험").astype(int)
        model_high = (moved["probability"].astype(float) < bands.high_below).astype(int)
        shift = (moved.assign(shift=final_high - model_high)
                 .groupby(["desired_region", "desired_keco"], as_index=False)["shift"].sum())
        sums = sums.merge(shift, on=["desired_region", "desired_keco"], how="left")
        sums["high"] = sums["high"].astype(int) + sums["shift"].fillna(0).astype(int)
        sums = sums.drop(columns="shift")
    return {by: aggregates_from_sums(sums, by) for by in ("region", "occupation")}


def apply_bands(scores: pd.DataFrame, bands: RiskBands, overrides: Mapping[int, str]) -> pd.DataFrame:
    """:func:`caseload_scores` with the model's band under ``bands``, the newest counsellor override
    (``override_band``, empty when none) and ``final_band`` (override, else model band).

    Cheap (no model run), so a saved override or new thresholds never rescore the caseload.
    """
    scored = with_bands(scores, bands)
    scored["override_band"] = scored["id"].map(dict(overrides)).fillna("") if len(scored) else []
    scored["final_band"] = scored["override_band"].where(scored["override_band"] != "", scored["band"])
    return scored


def score_caseload(engine: Engine, model: EmploymentModel, bands: RiskBands) -> pd.DataFrame:
    """Every seeker of the open caseload (registered within 180 days of the reference date and not
    yet employed), scored, with their masked name and newest counsellor override.

    Returns:
        :func:`score_records` columns plus ``masked_name``, ``override_band`` (empty when none),
        ``final_band`` (override, else model band), ``desired_occupation``, ``desired_region``.
        Highest risk first.
    """
    return apply_bands(caseload_scores(engine, model), bands, latest_overrides(engine))


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


CASELOAD_SORTS: dict[str, str] = {
    "risk": "위험도 높은 순(취업확률 낮은 순)",
    "actionable": "조치 가능 요인의 영향 큰 순",
    "days": "등록 후 오래된 순",
}
"""Orders of the caseload table a counsellor can choose (key → Korean label)."""


def sort_caseload(scored: pd.DataFrame, order: str) -> pd.DataFrame:
    """Rows of :func:`score_caseload` output in one of the :data:`CASELOAD_SORTS` orders.

    ``"actionable"`` puts first the seekers whose probability an actionable factor (desired wage,
    area, certificates, services …) lowers most, so the top of the list is where a counsellor's
    action can change the most; ties by lower probability.

    Raises:
        ValueError: An unknown order.
    """
    if order == "risk":
        return scored.sort_values(["probability", "id"], kind="stable")
    if order == "actionable":
        return scored.sort_values(["actionable_effect", "probability", "id"], kind="stable")
    if order == "days":
        return scored.sort_values(["days_since_registration", "probability", "id"], ascending=[False, True, True],
                                  kind="stable")
    raise ValueError(f"정렬 기준은 {', '.join(CASELOAD_SORTS)} 중 하나여야 합니다 (입력값: {order})")


CASELOAD_KEY_COLUMNS: tuple[str, ...] = ("구직자 번호", "위험도", "180일 내 취업확률", "주요 조치 가능 요인")
"""What a counsellor reads first (pinned on the left of the table)."""


def caseload_table(scored: pd.DataFrame, plan_counts: Mapping[int, int] | None = None) -> pd.DataFrame:
    """Display and export table (Korean columns; masked names only, no contact or address).

    Key columns come first (:data:`CASELOAD_KEY_COLUMNS`). The main risk factor is split into
    the one a counsellor can act on (주요 조치 가능 요인) and the one no service changes (조치 불가
    요인, shown as context).

    Args:
        scored: Rows of :func:`score_caseload`.
        plan_counts: Seeker id -> courses in their training plan
            (:func:`app.services.training.plan_counts`); adds the column 훈련 계획 (0 when missing).
    """
    table = pd.DataFrame(
        {
            "구직자 번호": scored["id"].astype(int),
            "위험도": scored["final_band"].astype(str),
            "180일 내 취업확률": scored["probability"].round(3),
            "주요 조치 가능 요인": scored["main_actionable_factor"].astype(str).replace("", "없음"),
            "조치 불가 요인(참고)": scored["main_fixed_factor"].astype(str).replace("", "없음"),
            "성명(마스킹)": scored["masked_name"].astype(str),
            "연령": scored["age"].astype(int),
            "희망 직종": scored["desired_occupation"].astype(str),
            "희망 지역": scored["desired_region"].astype(str),
            "등록 후 일수": scored["days_since_registration"].astype(int),
            "남은 기간 취업확률": scored["probability_now"].round(3),
            "모델 판정": scored["band"].astype(str),
            "상담사 조정": scored["override_band"].astype(str),
        }
    )
    if plan_counts is not None:
        table[TRAINING_PLAN_COLUMN] = [int(plan_counts.get(int(i), 0)) for i in table["구직자 번호"]]
    return table


TRAINING_PLAN_COLUMN = "훈련 계획"
"""Caseload column of the number of courses in each seeker's training plan (상담 계획)."""


def caseload_csv(scored: pd.DataFrame, plan_counts: Mapping[int, int] | None = None) -> bytes:
    """CSV of :func:`caseload_table` (UTF-8 with BOM for Excel); names are masked."""
    return to_csv_bytes(caseload_table(scored, plan_counts))


