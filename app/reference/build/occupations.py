"""Assemble occupations.csv, certificates.csv and industry_occupation.csv.

One row per KECO 2025 소분류 joins the KNOW aggregates, 직업사전 features, NCS field and a
posting weight; the industry mix per KSIC section follows from the 직업사전 industry codes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from app.reference.build.certificates import compute_certificates
from app.reference.build.dictionary import compute_education, compute_text_features
from app.reference.build.facts import INDUSTRY_CODES
from app.reference.build.keco import compute_minor_frame
from app.reference.build.know import (
    RIASEC_COLUMNS,
    compute_knowledge,
    compute_riasec_profiles,
    compute_wage_bands,
    load_know2018_even,
)
from app.reference.build.ncs import load_ncs_major_names, ncs_code_for
from app.reference.build.writer import compute_normalised_weights

# Relative posting frequency multipliers for 소분류 (default 1). Guided by [S38b] (보건·복지,
# 제조, 사업시설관리 lead 고용24 vacancies), [S39c] (older registrants seek security/cleaning,
# health, construction) and the brief's list of frequent 고용24 jobs (care, manufacturing,
# driving, cleaning/security, sales). Jobs filled by exam or election get a small weight;
# 011 의회의원·고위공무원 and 250 군인 never appear on a public job board (0).
_POSTING_BOOST: dict[str, float] = {
    "011": 0.0, "250": 0.0,
    # filled mostly by exam, election, academic or internal channels
    "012": 0.4, "013": 0.4, "014": 0.5, "015": 0.4, "016": 0.4, "021": 0.3, "025": 0.6,
    "240": 0.1, "211": 0.3, "221": 0.3, "301": 0.8, "302": 0.5,
    "110": 0.4, "121": 0.5, "122": 0.5, "131": 0.8, "132": 0.8, "134": 0.8, "135": 0.8,
    "136": 0.8, "137": 0.8, "152": 0.7, "154": 0.7, "156": 0.5, "157": 0.7,
    # office work is posted everywhere
    "026": 3.0, "027": 3.5, "028": 2.0, "029": 3.0, "133": 1.5,
    # 보건·복지 is the largest posting industry [S38b]
    "231": 4.0, "232": 4.0, "304": 4.0, "306": 1.5, "307": 5.0, "550": 14.0,
    # food, security, cleaning and other personal services [S38b][S39c]
    "531": 4.0, "532": 4.0, "542": 6.0, "561": 7.0, "562": 1.5, "563": 2.0, "564": 3.0,
    # sales and driving
    "612": 1.5, "613": 2.0, "614": 2.0, "615": 3.0, "616": 2.0, "617": 2.0,
    "622": 4.0, "623": 3.0, "624": 4.0,
    # construction and manufacturing entry jobs
    "706": 3.0, "702": 1.5,
    "816": 2.0, "817": 1.5, "824": 2.0, "836": 2.0, "852": 2.0, "873": 2.0, "890": 6.0,
    "905": 2.0,
}


def compute_posting_weights(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.Series:
    """Relative share of job postings per 소분류 (sums to 1).

    weight ∝ (1 + 직업사전 entries) ** 0.25 × boost: the dictionary lists more entries where
    work is more varied (the fourth root keeps that a mild effect, since manufacturing is
    split into many specialised titles), and the hand-set ``_POSTING_BOOST`` moves the mix
    toward what public job boards carry (see its comment).

    Args:
        dictionary: Output of :func:`load_dictionary`.
        minor: One row per 소분류.

    Returns:
        Series of shares indexed by keco_code (0 for never-posted occupations).
    """
    counts = dictionary.groupby("keco_code").size()
    raw = {
        code: (1 + int(counts.get(code, 0))) ** 0.25 * _POSTING_BOOST.get(code, 1.0)
        for code in minor["keco_code"]
    }
    return compute_normalised_weights(raw)


def build_occupations(
    shared_dir: Path, tree: pd.DataFrame, dictionary: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assemble occupations.csv (one row per KECO 2025 소분류) and certificates.csv.

    Args:
        shared_dir: Shared data directory.
        tree: KECO 2025 tree (level as int).
        dictionary: Output of :func:`load_dictionary`.

    Returns:
        (occupations table sorted by keco_code, certificates table).
    """
    minor = compute_minor_frame(tree)
    know_even = load_know2018_even(shared_dir)
    riasec = compute_riasec_profiles(know_even, minor)
    wages, _ = compute_wage_bands(know_even, minor)
    text = compute_text_features(dictionary, minor)
    knowledge = compute_knowledge(shared_dir, minor)
    certs, top_certs = compute_certificates(dictionary)
    edu = compute_education(dictionary, minor)
    weights = compute_posting_weights(dictionary, minor)
    ncs_names = load_ncs_major_names(shared_dir)

    occ = minor
    for part in (riasec, wages, text, knowledge, top_certs, edu):
        occ = occ.merge(part, on="keco_code", how="left")
    occ["certificates"] = occ["certificates"].fillna("")
    occ["ncs_code"] = [ncs_code_for(c, m) for c, m in zip(occ["keco_code"], occ["middle_code"], strict=True)]
    occ["ncs_name"] = occ["ncs_code"].map(ncs_names)
    occ["posting_weight"] = occ["keco_code"].map(weights)
    columns = [
        "keco_code", "name", "middle_code", "middle_name", "major_code", "major_name",
        *RIASEC_COLUMNS, "holland_code", "riasec_n", "riasec_source",
        "wage_p25", "wage_median", "wage_p75", "wage_source",
        "skills", "knowledge", "duty_phrases", "certificates", "ncs_code", "ncs_name",
        "education_typical", "posting_weight",
    ]
    return occ[columns].sort_values("keco_code").reset_index(drop=True), certs


def build_industry_occupation(
    dictionary: pd.DataFrame, occupations: pd.DataFrame, min_occupations: int = 5
) -> pd.DataFrame:
    """P(occupation | industry) from the 직업사전 industry codes and the posting weights.

    The dictionary tells in which KSIC sections an occupation works (``C211/M701``: the
    entry's unit weight is split over its distinct section letters; ``ALL`` spreads it over
    all 21). Its entry counts follow how finely an occupation is split into titles, not how
    often it is posted, so we use it only for P(industry | occupation) and apply Bayes:
    weight(i, o) ∝ P(i | o) × posting_weight(o). Sections left with fewer than
    ``min_occupations`` occupations are topped up with the most posted occupations, at a
    tenth of the section's smallest weight.

    Args:
        dictionary: Output of :func:`load_dictionary`.
        occupations: The occupations table (keco_code, posting_weight).
        min_occupations: Minimum number of occupations per section.

    Returns:
        DataFrame (industry_code, keco_code, weight), weights summing to 1 per industry.
    """
    letters = list(INDUSTRY_CODES)
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for code, icd in zip(dictionary["keco_code"], dictionary["dJobICd"].fillna(""), strict=True):
        parts = [p.strip() for p in icd.split("/") if p.strip()]
        secs = letters if "ALL" in parts else sorted({p[0] for p in parts if p[0] in letters})
        for sec in secs:
            cells[(sec, code)] += 1.0 / len(secs)
    per_occ: dict[str, float] = defaultdict(float)
    for (_, o), v in cells.items():
        per_occ[o] += v
    pw = dict(zip(occupations["keco_code"], occupations["posting_weight"].astype(float), strict=True))
    by_weight = occupations.sort_values(["posting_weight", "keco_code"], ascending=[False, True])
    top_posted = by_weight["keco_code"].tolist()
    rows = []
    for sec in letters:
        w = {
            o: v / per_occ[o] * pw[o]
            for (i, o), v in sorted(cells.items())
            if i == sec and pw.get(o, 0) > 0
        }
        fill = 0.1 * min(w.values()) if w else 1.0
        for o in top_posted:
            if len(w) >= min_occupations:
                break
            w.setdefault(o, fill)
        shares = compute_normalised_weights(w)
        rows += [
            {"industry_code": sec, "keco_code": o, "weight": float(v)} for o, v in shares.items() if v > 0
        ]
    out = pd.DataFrame(rows)
    return out.sort_values(["industry_code", "keco_code"]).reset_index(drop=True)
