"""Derive the committed reference tables in ``data/reference/`` from public data and facts.

Inputs are the third-party files under ``shared_data_dir`` (see ``shared/data/SOURCES.md``)
and hand-written facts from ``shared/guide/domain-facts.md`` (tags such as ``[S23]`` are kept
in the ``source`` columns and in ``data/reference/README.md``). Only aggregates, derived
keywords and official public code tables are written: no raw survey row, dictionary sentence
or job-ad text ever reaches the CSVs.

Two rules keep later evaluation honest:

* KNOW 2018 incumbents with an **odd** ``idx`` are a hold-out for occupation recommendation
  (:func:`load_know_holdout`); only even-``idx`` rows are aggregated into ``occupations.csv``.
* The build is deterministic: rows are sorted, floats are rounded to fixed decimals and the
  only randomness-free tokenizer (kiwipiepy) is used, so two builds give identical bytes.

Run with ``python -m app reference`` (wired to :func:`main_reference`).

Modules, one job each:

* :mod:`.keco` — KECO 2025 tree and the KECO 2018 -> 2025 code mapping
* :mod:`.ncs` — NCS 대분류 list and the KECO -> NCS field mapping
* :mod:`.know` — KNOW RIASEC / wage / knowledge / work-environment aggregation and the hold-out
* :mod:`.interest_items` — the interest test's item bank (our Korean items)
* :mod:`.know_fit` — KNOW 2018 aggregates of the occupation-fit model (means, covariance)
* :mod:`.dictionary` — 직업사전 keywords, duty phrases and education (kiwipiepy)
* :mod:`.certificates` — 직업사전 certificate names and kinds
* :mod:`.facts` — hand-written tables (regions, industries, firm sizes, minimum wage,
  welfare items, violation rules)
* :mod:`.occupations` — assembles occupations.csv and industry_occupation.csv
* :mod:`.writer` — file names, deterministic CSV writing, shares summing to 1
* :mod:`.build` — :func:`build_reference_tables` and the command-line entry
"""

from __future__ import annotations

from app.reference.build.build import build_reference_tables, main_reference
from app.reference.build.certificates import compute_certificates
from app.reference.build.dictionary import compute_education, compute_text_features
from app.reference.build.facts import (
    MINIMUM_WAGE,
    build_firm_sizes,
    build_industries,
    build_minimum_wage,
    build_regions,
    build_violation_rules,
    build_welfare_items,
)
from app.reference.build.interest_items import ENVIRONMENT_ITEMS, build_interest_items, environment_codes
from app.reference.build.keco import (
    KECO2018_DROPPED_GROUPS,
    KECO2018_GROUP_OVERRIDES,
    KECO2018_TO_2025_OVERRIDES,
    KNOWCODE_OVERRIDES,
    build_keco_tree,
    keco2018_to_2025,
    map_knowcode,
)
from app.reference.build.know import (
    KNOW_INTEREST_ITEMS,
    KNOW_KNOWLEDGE_AREAS,
    MIN_DIRECT_INCUMBENTS,
    MIN_DIRECT_WAGES,
    RIASEC_COLUMNS,
    RIASEC_LETTERS,
    compute_environment_profiles,
    compute_knowledge,
    compute_riasec_profiles,
    compute_wage_bands,
    load_know2018_even,
    load_know2018_even_environment,
    load_know_holdout,
)
from app.reference.build.know_fit import KNOW_FIT_FILES, build_know_fit_tables, load_know_fit_rows
from app.reference.build.ncs import build_ncs_fields
from app.reference.build.occupations import build_industry_occupation, build_occupations, compute_posting_weights
from app.reference.build.writer import TABLE_FILES, compute_normalised_weights

__all__ = [
    "ENVIRONMENT_ITEMS",
    "KECO2018_DROPPED_GROUPS",
    "KECO2018_GROUP_OVERRIDES",
    "KECO2018_TO_2025_OVERRIDES",
    "KNOWCODE_OVERRIDES",
    "KNOW_FIT_FILES",
    "KNOW_INTEREST_ITEMS",
    "KNOW_KNOWLEDGE_AREAS",
    "MINIMUM_WAGE",
    "MIN_DIRECT_INCUMBENTS",
    "MIN_DIRECT_WAGES",
    "RIASEC_COLUMNS",
    "RIASEC_LETTERS",
    "TABLE_FILES",
    "build_firm_sizes",
    "build_interest_items",
    "build_industries",
    "build_industry_occupation",
    "build_keco_tree",
    "build_know_fit_tables",
    "build_minimum_wage",
    "build_ncs_fields",
    "build_occupations",
    "build_reference_tables",
    "build_regions",
    "build_violation_rules",
    "build_welfare_items",
    "compute_certificates",
    "compute_education",
    "compute_environment_profiles",
    "compute_knowledge",
    "compute_normalised_weights",
    "compute_posting_weights",
    "compute_riasec_profiles",
    "compute_text_features",
    "compute_wage_bands",
    "environment_codes",
    "keco2018_to_2025",
    "load_know2018_even",
    "load_know_fit_rows",
    "load_know2018_even_environment",
    "load_know_holdout",
    "main_reference",
    "map_knowcode",
]
