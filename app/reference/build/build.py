"""Build every reference table into a directory, and the ``python -m app reference`` command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.reference.build import facts
from app.reference.build.dictionary import DICTIONARY_FILE, load_dictionary
from app.reference.build.districts import build_districts
from app.reference.build.interest_items import build_interest_items, environment_codes
from app.reference.build.keco import KECO_TREE_FILE, build_keco_tree, compute_minor_frame, load_keco_tree
from app.reference.build.know import KNOW_DIR, compute_environment_profiles, load_know2018_even_environment
from app.reference.build.know_fit import KNOW_FIT_FILES, build_know_fit_tables
from app.reference.build.ncs import NCS_FILE, build_ncs_fields
from app.reference.build.occupations import build_industry_occupation, build_occupations
from app.reference.build.writer import TABLE_FILES, write_csv, write_tables


def build_reference_tables(shared_dir: Path, out_dir: Path) -> dict[str, int]:
    """Rewrite every reference CSV in ``out_dir`` from ``shared_dir`` and hand-written facts.

    Deterministic: the same inputs give byte-identical files.

    Args:
        shared_dir: Third-party data directory (``get_settings().shared_data_dir``).
        out_dir: Target directory (``get_settings().reference_dir``); created if missing.

    Returns:
        Table name -> row count (of the :class:`~app.reference.tables.Reference` tables; the
        occupation-fit aggregates of :mod:`.know_fit` are written beside them).

    Raises:
        FileNotFoundError: If a required shared data file is missing.
    """
    shared_dir, out_dir = Path(shared_dir), Path(out_dir)
    required = (
        KECO_TREE_FILE, NCS_FILE, DICTIONARY_FILE,
        KNOW_DIR / "KNOW_2018.csv.gz", KNOW_DIR / "KNOW_2019.csv.gz",
    )
    for rel in required:
        if not (shared_dir / rel).exists():
            raise FileNotFoundError(f"공유 데이터 파일이 없습니다: {shared_dir / rel}")
    out_dir.mkdir(parents=True, exist_ok=True)
    tree = load_keco_tree(shared_dir)
    dictionary = load_dictionary(shared_dir)
    occupations, certificates = build_occupations(shared_dir, tree, dictionary)
    tables = {
        "keco_tree": build_keco_tree(tree),
        "occupations": occupations,
        "regions": facts.build_regions(),
        "industries": facts.build_industries(),
        "industry_occupation": build_industry_occupation(dictionary, occupations),
        "firm_sizes": facts.build_firm_sizes(),
        "minimum_wage": facts.build_minimum_wage(),
        "certificates": certificates,
        "welfare_items": facts.build_welfare_items(),
        "ncs_fields": build_ncs_fields(shared_dir),
        "violation_rules": facts.build_violation_rules(),
        "districts": build_districts(),
        "interest_items": build_interest_items(),
        "occupation_environment": compute_environment_profiles(
            load_know2018_even_environment(shared_dir, environment_codes()), compute_minor_frame(tree),
            environment_codes(),
        ),
    }
    write_tables(tables, out_dir)
    # the occupation-fit model's aggregates: read by app.ml.occupation_fit, not part of Reference
    for name, frame in build_know_fit_tables(shared_dir).items():
        write_csv(frame, out_dir / KNOW_FIT_FILES[name])
    return {name: len(df) for name, df in tables.items()}


def main_reference(argv: list[str] | None = None) -> int:
    """Command-line entry for ``python -m app reference``.

    Args:
        argv: Arguments after ``reference`` (``--shared-dir``, ``--out-dir``).

    Returns:
        Process exit code (0 on success, 1 when the shared data is missing).
    """
    from app.config import get_settings

    settings = get_settings()
    parser = argparse.ArgumentParser(
        prog="python -m app reference", description="참조 테이블(data/reference/*.csv)을 다시 만듭니다."
    )
    parser.add_argument("--shared-dir", type=Path, default=settings.shared_data_dir)
    parser.add_argument("--out-dir", type=Path, default=settings.reference_dir)
    # The top-level CLI forwards everything after "reference" (argparse.REMAINDER), which
    # needs a "--" before options; drop it here.
    if argv and argv[0] == "--":
        argv = argv[1:]
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        counts = build_reference_tables(args.shared_dir, args.out_dir)
    except FileNotFoundError as err:
        print(str(err), file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{TABLE_FILES[name]:<26} {n:>6} rows")
    print(f"done in {time.perf_counter() - start:.1f} s -> {args.out_dir}")
    return 0

