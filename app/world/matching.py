"""Features of (seeker, posting) pairs for the matching truth (:mod:`app.world.truth`).

One encoding serves both the generator, which scores thousands of candidates per posting, and the
oracle (:mod:`app.world.match_oracle`), which rebuilds the same inputs from the database: both
read the same columns (the ``seekers``/``postings`` columns as stored, the seekers' certificates
and the hidden preferences of ``truth_match_seekers``), so the oracle reproduces the generator's
utilities exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from app.labour import full_time_equivalent
from app.reference.codes import EMPLOYMENT_TYPES
from app.reference.tables import Reference
from app.world import truth

SEEKER_COLUMNS: tuple[str, ...] = (
    "desired_keco", "last_keco", "skills", "desired_wage", "desired_region_code", "region_code",
    "career_years", "education", "certificate_ids",
)
"""Seeker columns the pair features read (``certificate_ids``: ';'-joined certificate ids)."""
PREFERENCE_COLUMNS: tuple[str, ...] = ("preferred_type", "preferred_weekly_hours", "region_tolerance")
"""Hidden preference columns (:func:`app.world.truth.draw_match_preferences`)."""
POSTING_COLUMNS: tuple[str, ...] = (
    "keco_code", "region_code", "wage_monthly", "weekly_hours", "employment_type", "career",
    "min_career_years", "education",
)
"""Posting columns the pair features read, as stored in ``postings``."""
SKILL_CHUNK = 100_000  # seekers per sparse product (bounds the memory of the overlap count)


def _exploded(values: pd.Series) -> pd.Series:
    """The non-empty items of ';'-joined strings, indexed by the row (0…n−1) they came from."""
    items = values.fillna("").astype(str).reset_index(drop=True).str.split(";").explode()
    return items[items.notna() & (items != "")].astype(object)


def split_codes(value: object) -> list[str]:
    """The non-empty items of a ';'-joined string (anything else is empty)."""
    return [s for s in value.split(";") if s] if isinstance(value, str) else []


@dataclass(frozen=True)
class OccupationIndex:
    """KECO 소분류 codes as integers, with their 중분류 and 대분류, skills and certificates."""

    codes: dict[str, int]
    middle: np.ndarray
    major: np.ndarray
    skills: sparse.csr_matrix  # occupations × skill vocabulary (0/1)
    skill_vocabulary: dict[str, int]
    certificate_occupations: dict[str, np.ndarray]  # certificate id → occupation indices
    regions: dict[str, int]  # region code → integer (postings and seekers share it)

    @classmethod
    def from_reference(cls, ref: Reference) -> OccupationIndex:
        """Index the reference occupations (and which occupations each certificate belongs to)."""
        occ = ref.occupations
        codes = {code: i for i, code in enumerate(occ["keco_code"])}
        vocabulary: dict[str, int] = {}
        rows, cols = [], []
        for i, skills in enumerate(occ["skills"]):
            for skill in set(split_codes(skills)):
                rows.append(i)
                cols.append(vocabulary.setdefault(skill, len(vocabulary)))
        matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(codes), len(vocabulary)))
        cert_occ = {
            cid: np.array([codes[c] for c in split_codes(keco) if c in codes], dtype=np.int64)
            for cid, keco in zip(ref.certificates["certificate_id"], ref.certificates["keco_codes"], strict=True)
        }
        middle_codes = {m: j for j, m in enumerate(sorted(occ["middle_code"].astype(str).unique()))}
        major_codes = {m: j for j, m in enumerate(sorted(occ["major_code"].astype(str).unique()))}
        return cls(
            codes=codes,
            middle=occ["middle_code"].astype(str).map(middle_codes).to_numpy(np.int64),
            major=occ["major_code"].astype(str).map(major_codes).to_numpy(np.int64),
            skills=matrix,
            skill_vocabulary=vocabulary,
            certificate_occupations=cert_occ,
            regions={code: i for i, code in enumerate(ref.regions["code"].astype(str))},
        )

    def index_of(self, codes: pd.Series) -> np.ndarray:
        """Occupation index of each code (-1 for a missing or unknown one)."""
        return codes.map(self.codes).fillna(-1).to_numpy(np.int64)

    def region_of(self, codes: pd.Series, unknown: int) -> np.ndarray:
        """Integer of each region code (``unknown`` for a code outside the reference)."""
        return codes.astype(str).map(self.regions).fillna(unknown).to_numpy(np.int64)


@dataclass(frozen=True)
class SeekerMatchData:
    """Per-seeker arrays the pair features gather from (row ``j`` = the ``j``-th seeker given)."""

    desired_occ: np.ndarray
    last_occ: np.ndarray  # -1 without a last occupation
    skill_counts: np.ndarray  # seekers × occupations: the seeker's skills among the occupation's (uint8)
    inverse_n_skills: np.ndarray  # 1 / number of the seeker's skills (0 without skills)
    log_desired_wage: np.ndarray
    desired_region: np.ndarray
    home_region: np.ndarray
    career_years: np.ndarray
    education_rank: np.ndarray
    certificate_keys: np.ndarray  # sorted seeker × n_occupations + occupation, one per relevant pair
    certificate_counts: np.ndarray
    preferred_type: np.ndarray
    log_preferred_hours: np.ndarray
    region_tolerance: np.ndarray

    @classmethod
    def build(cls, seekers: pd.DataFrame, preferences: pd.DataFrame, occupations: OccupationIndex) -> SeekerMatchData:
        """Encode seekers (columns :data:`SEEKER_COLUMNS`) and their hidden preferences (row-aligned)."""
        n, n_occ = len(seekers), len(occupations.codes)
        # (seeker row, skill) once per distinct skill of each seeker; pandas string ops keep 1M seekers fast
        skills = _exploded(seekers["skills"])
        skills = skills[~pd.DataFrame({"row": skills.index, "skill": skills.to_numpy()}).duplicated().to_numpy()]
        n_skills = np.bincount(skills.index.to_numpy(np.int64), minlength=n).astype(np.float64)
        known = skills.map(occupations.skill_vocabulary).dropna()
        counts = np.zeros((n, n_occ), dtype=np.uint8)
        skills_t = occupations.skills.T.tocsc()
        rows, cols = known.index.to_numpy(np.int64), known.to_numpy(np.int64)
        for start in range(0, n, SKILL_CHUNK):
            stop = min(start + SKILL_CHUNK, n)
            mask = (rows >= start) & (rows < stop)
            have = sparse.csr_matrix((np.ones(int(mask.sum()), dtype=np.int32), (rows[mask] - start, cols[mask])),
                                     shape=(stop - start, len(occupations.skill_vocabulary)))
            counts[start:stop] = (have @ skills_t).toarray().astype(np.uint8)
        certificates = _exploded(seekers["certificate_ids"])
        occupations_of = certificates.map(occupations.certificate_occupations).dropna().explode().dropna()
        keys = occupations_of.index.to_numpy(np.int64) * n_occ + occupations_of.to_numpy(np.int64)
        cert_keys, cert_counts = np.unique(keys, return_counts=True)
        return cls(
            desired_occ=occupations.index_of(seekers["desired_keco"]),
            last_occ=occupations.index_of(seekers["last_keco"]),
            skill_counts=counts,
            inverse_n_skills=1.0 / np.maximum(n_skills, 1.0) * (n_skills > 0),
            log_desired_wage=np.log(seekers["desired_wage"].to_numpy(float)),
            # an unknown code never equals a posting's (postings' unknown codes are -1)
            desired_region=occupations.region_of(seekers["desired_region_code"], -2),
            home_region=occupations.region_of(seekers["region_code"], -2),
            career_years=seekers["career_years"].to_numpy(float),
            education_rank=seekers["education"].map(truth.EDUCATION_RANK).fillna(0).to_numpy(np.int64),
            certificate_keys=cert_keys,
            certificate_counts=cert_counts,
            preferred_type=preferences["preferred_type"].to_numpy(np.int64),
            log_preferred_hours=np.log(preferences["preferred_weekly_hours"].to_numpy(float)),
            region_tolerance=preferences["region_tolerance"].to_numpy(float),
        )


@dataclass(frozen=True)
class PostingMatchData:
    """Per-posting arrays the pair features gather from (row ``i`` = the ``i``-th posting given)."""

    occ: np.ndarray
    region: np.ndarray  # -1 for a code outside the reference
    log_fte_wage: np.ndarray
    type_index: np.ndarray
    log_hours: np.ndarray
    entry_level: np.ndarray
    experience_counts: np.ndarray
    min_career_years: np.ndarray
    education_rank: np.ndarray

    @classmethod
    def build(cls, postings: pd.DataFrame, occupations: OccupationIndex) -> PostingMatchData:
        """Encode postings (columns :data:`POSTING_COLUMNS`). The wage compared with the seeker's
        desired (full-time) wage is the posting's monthly wage scaled to 40 hours."""
        hours = postings["weekly_hours"].to_numpy(float)
        career = postings["career"].astype(str).to_numpy()
        types = {t: i for i, t in enumerate(EMPLOYMENT_TYPES)}
        return cls(
            occ=postings["keco_code"].astype(str).map(occupations.codes).to_numpy(np.int64),
            region=occupations.region_of(postings["region_code"], -1),
            log_fte_wage=np.log(full_time_equivalent(postings["wage_monthly"].to_numpy(float), hours)),
            type_index=postings["employment_type"].astype(str).map(types).to_numpy(np.int64),
            log_hours=np.log(hours),
            entry_level=career == "신입",
            experience_counts=career != "신입",
            min_career_years=np.where(career == "경력", postings["min_career_years"].to_numpy(float), 0.0),
            education_rank=postings["education"].map(truth.EDUCATION_RANK).fillna(0).to_numpy(np.int64),
        )


def pair_features(
    postings: PostingMatchData,
    posting_rows: np.ndarray,
    seekers: SeekerMatchData,
    seeker_rows: np.ndarray,
    occupations: OccupationIndex,
    *,
    hire: bool = True,
) -> truth.PairFeatures:
    """Features of the pairs (``postings`` row ``posting_rows[j]``, ``seekers`` row ``seeker_rows[j]``).

    Args:
        postings: Encoded postings.
        posting_rows: Posting row of each pair.
        seekers: Encoded seekers.
        seeker_rows: Seeker row of each pair (same length).
        occupations: The index both were encoded with.
        hire: Also the fields only :func:`app.world.truth.hire_utility` reads (education deficit,
            relevant certificates); without them (0) the features serve the apply utility only,
            which the generator computes for thousands of candidates per posting.
    """
    p = postings.occ[posting_rows]
    desired = seekers.desired_occ[seeker_rows]
    last = seekers.last_occ[seeker_rows]
    middle = occupations.middle
    fit = np.where(desired == p, 3, np.where(middle[desired] == middle[p], 2, occupations.major[desired] == occupations.major[p]))
    experience = np.where(last == p, 2, (middle[last] == middle[p]) & (last >= 0))
    overlap = seekers.skill_counts[seeker_rows, p] * seekers.inverse_n_skills[seeker_rows]
    region = postings.region[posting_rows]
    education_deficit: np.ndarray | int = 0
    certificates: np.ndarray | int = 0
    if hire:
        education_deficit = np.maximum(postings.education_rank[posting_rows] - seekers.education_rank[seeker_rows], 0)
        certificates = _relevant_certificates(seekers, seeker_rows.astype(np.int64) * len(occupations.codes) + p)
    return truth.PairFeatures(
        occupation_fit=fit.astype(np.int64),
        experience_fit=experience.astype(np.int64),
        skill_overlap=overlap,
        log_wage_ratio=postings.log_fte_wage[posting_rows] - seekers.log_desired_wage[seeker_rows],
        outside_desired_region=seekers.desired_region[seeker_rows] != region,
        in_home_region=seekers.home_region[seeker_rows] == region,
        region_tolerance=seekers.region_tolerance[seeker_rows],
        preferred_type=seekers.preferred_type[seeker_rows],
        posting_type=postings.type_index[posting_rows],
        log_hours_ratio=postings.log_hours[posting_rows] - seekers.log_preferred_hours[seeker_rows],
        career_years=seekers.career_years[seeker_rows],
        entry_level=postings.entry_level[posting_rows],
        experience_counts=postings.experience_counts[posting_rows],
        min_career_years=postings.min_career_years[posting_rows],
        education_deficit=education_deficit,
        relevant_certificates=certificates,
    )


def _relevant_certificates(seekers: SeekerMatchData, keys: np.ndarray) -> np.ndarray:
    """Certificates of the posting's occupation held, per (seeker row × occupations + occupation) key."""
    table = seekers.certificate_keys
    if len(table) == 0:
        return np.zeros(len(keys), dtype=np.int64)
    pos = np.searchsorted(table, keys).clip(max=len(table) - 1)
    return np.where(table[pos] == keys, seekers.certificate_counts[pos], 0)


def type_shares_of(desired_keco: pd.Series, shares_by_major: dict[str, tuple[float, ...]]) -> np.ndarray:
    """Seekers × 4 employment-type shares of postings in each seeker's desired KECO 대분류."""
    default = (0.25, 0.25, 0.25, 0.25)
    return np.array([shares_by_major.get(str(k)[:1], default) for k in desired_keco], dtype=float)
