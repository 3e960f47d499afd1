"""The pages' main queries on a national-scale world in PostgreSQL; prints one JSON object.

Loads a world of ``--size`` (default ``large``: 1M seekers, 200k postings) into the database with
:func:`app.world.generate.generate_world` — unless ``--reuse`` finds that world there already — brings
the schema up to date (:func:`app.db.repositories.world.ensure_schema`: tables and declared indexes;
the policy aggregates' snapshot table), then times the *service functions* the pages call, each repeated with
different arguments (several employers, several counsellors' filters):

* caseload (구직자 위험 현황, 취업 위험도 기준): the open caseload the scores are computed on
  (``caseload_load``: what ``employment.caseload_scores`` reads; cached a minute per process) and what
  every rerun reads (``caseload_render``: bands, overrides, reference date and the training-plan
  counts of one counsellor's filtered list);
* an employer's postings (채용 시뮬레이터 picker, 인재 추천, the employer's home figures);
* policy aggregates (home KPIs and breakdowns, 취업 위험도 기준 override report, 채용 위험 공고 rows,
  monitoring KPI frames).

Works on SQLite too (``--db-url sqlite:///…``), to check it does not regress.

Generating the ``large`` world takes long (``app/world`` is being made faster), so ``--load replicate``
generates the demo world and copies it 50× in SQL (1M seekers, 400k postings, 125k employers: the same
per-employer and per-seeker shapes, at least the ``large`` row counts).

Usage: python bench/pg_scale.py [--db-url URL] [--size large|demo|small] [--load generate|replicate]
       [--reuse] [--repeats 7] [--only caseload_render,employer_postings,…]
Keys: pg_caseload_ms, pg_policy_ms (worst policy query's p95), pg_employer_postings_ms, queries
(per query: p50_ms, p95_ms, cold_ms — the slowest call of one untimed first round —, calls, rows, or
error), over_200ms (queries whose p95 is over the target), rows (table row counts), load_s (None with
--reuse), schema_s, load_average (before and after), dialect, size, at.
Results and what they mean: docs/postgres.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.db.engine import make_engine  # noqa: E402
from app.db.orm import Posting, Seeker  # noqa: E402
from app.db.repositories import world as world_repo  # noqa: E402
from app.world.params import SIZES  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://goyong_ci:goyong_ci@127.0.0.1/goyong_pg_scale"
TARGET_MS = 200.0
REPLICAS = 50
"""``--load replicate``: copies of the demo world (20k seekers, 8k postings, 2.5k employers) → 1M seekers,
400k postings, 125k employers: at least the ``large`` world's rows, with the demo world's distributions."""
REPLICATED_TABLES: tuple[str, ...] = (
    "employers", "postings", "posting_outcomes", "seekers", "seeker_outcomes", "seeker_certificates",
    "seeker_services", "enrolments", "counsellor_notes", "seeker_jobs", "applications", "hires",
)
"""What the timed queries read (the other tables keep the demo world's rows)."""
REPLICA_KEY = "bench_replicas"


def _load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _has_world(engine, size: str, load: str) -> bool:
    meta = world_repo.read_world_meta(engine)
    if load == "replicate":
        return meta.get("size") == "demo" and meta.get(REPLICA_KEY) == str(REPLICAS)
    return meta.get("size") == size and "fingerprint" in meta and REPLICA_KEY not in meta


def replicate_world(engine, replicas: int = REPLICAS) -> None:
    """Turn the demo world in a PostgreSQL database into ``replicas`` copies of itself, in SQL.

    Every copy ``k`` shifts ids by ``k`` × the table's largest id (and foreign keys by the referenced
    table's), so each employer keeps its own postings and each seeker their own records; business
    numbers get new unique values. Sequences are moved past the new ids.
    """
    from app.db.orm import Base

    if engine.dialect.name != "postgresql":
        raise SystemExit("--load replicate needs PostgreSQL")
    tables = Base.metadata.tables
    with engine.begin() as conn:
        offsets = {}
        for name in ("employers", "postings", "seekers"):
            offsets[name] = int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {name}").scalar())
        for name in REPLICATED_TABLES:
            table = tables[name]
            own = None
            if "id" in table.c and table.c.id.primary_key:
                own = offsets.get(name) or int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {name}").scalar())
            exprs = []
            for column in table.c:
                target = next(iter(column.foreign_keys)).column.table.name if column.foreign_keys else None
                if column.name == "id" and own is not None:
                    exprs.append(f"id + k * {own}")
                elif target in offsets:
                    exprs.append(f"{column.name} + k * {offsets[target]}")
                elif name == "employers" and column.name == "business_no":
                    exprs.append(f"to_char(id + k * {offsets['employers']}, 'FM000000000000')")
                else:
                    exprs.append(column.name)
            columns = ", ".join(c.name for c in table.c)
            conn.exec_driver_sql(f"INSERT INTO {name} ({columns}) SELECT {', '.join(exprs)} FROM {name} "
                                 f"CROSS JOIN generate_series(1, {replicas - 1}) AS k")
            if own is not None:
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT max(id) FROM {name}))")
        conn.exec_driver_sql(f"INSERT INTO world_meta (key, value) VALUES ('{REPLICA_KEY}', '{replicas}')")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def _timed(calls: list[Callable[[], object]], repeats: int) -> dict[str, float | int]:
    """p50/p95 over ``repeats`` rounds of every call (each call a different argument), after one
    untimed round (``cold_ms``: its slowest call, when a snapshot is computed or the cache is cold)."""
    times, rows, cold = [], 0, 0.0
    for round_no in range(repeats + 1):
        for call in calls:
            started = time.perf_counter()
            try:
                out = call()
            except Exception as err:  # noqa: BLE001 - a query failing at this scale is a finding to report
                return {"error": f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"}
            elapsed = (time.perf_counter() - started) * 1000
            if round_no == 0:
                cold = max(cold, elapsed)
                continue
            times.append(elapsed)
            rows = max(rows, len(out) if hasattr(out, "__len__") else 1)
    return {"p50_ms": round(float(np.percentile(times, 50)), 1), "p95_ms": round(float(np.percentile(times, 95)), 1),
            "cold_ms": round(cold, 1), "calls": len(times), "rows": rows}


def _worst(queries: dict[str, dict], names: tuple[str, ...]) -> float | None:
    """The largest p95 of ``names`` that ran (``None`` when one of them failed or none ran)."""
    values = [queries[n].get("p95_ms") for n in names if n in queries]
    return None if None in values or not values else max(values)


def _employer_ids(engine, count: int) -> list[int]:
    """The employers with most postings and some at random (seeded): the picker's worst and usual cases."""
    with engine.connect() as conn:
        biggest = [int(i) for i in conn.execute(
            select(Posting.employer_id).group_by(Posting.employer_id).order_by(func.count().desc(), Posting.employer_id)
            .limit(count // 2)).scalars()]
        every = [int(i) for i in conn.execute(select(Posting.employer_id).distinct()).scalars()]
    rng = np.random.default_rng(7)
    return biggest + [int(i) for i in rng.choice(every, size=min(count - len(biggest), len(every)), replace=False)]


def _queries(engine, repeats: int, only: frozenset[str] = frozenset()) -> dict[str, dict]:
    from app.reference.names import reference_names
    from app.reference.tables import load_reference
    from app.services import employment, hiring, monitoring, overview, training
    from app.services.employment.caseload import _open_caseload  # what caseload_scores reads
    from app.services.employment.store import load_masked_names

    names = reference_names(load_reference())
    employers = _employer_ids(engine, 8)
    lists: list[list[int]] = []
    if not only or "caseload_render" in only:
        # a counsellor's list: the page's desired-region filter on the open caseload (six regions)
        caseload = _open_caseload(engine)
        regions = sorted(caseload["desired_region_code"].astype(str).unique())[:6]
        lists = [caseload.loc[caseload["desired_region_code"].astype(str) == r, "id"].astype(int).tolist()
                 for r in regions]

    def caseload_load():
        frame = _open_caseload(engine)
        load_masked_names(engine, frame["id"].astype(int).tolist())
        return frame

    def caseload_render(ids):
        def run():
            employment.load_risk_bands(engine)
            employment.latest_overrides(engine)
            employment.reference_date(engine)
            return training.plan_counts(engine, ids)
        return run

    out = {
        "caseload_load": lambda: _timed([caseload_load], 2),
        "caseload_render": lambda: _timed([caseload_render(ids) for ids in lists], repeats),
        "employer_postings": lambda: _timed([lambda e=e: hiring.load_employer_postings(engine, e) for e in employers], repeats),
        "employer_overview": lambda: _timed([lambda e=e: overview.compute_employer_overview(engine, e) for e in employers],
                                    repeats),
        "policy_world_overview": lambda: _timed([lambda: overview.compute_world_overview(engine)], repeats),
        "policy_postings_by_region": lambda: _timed([lambda: overview.compute_postings_by_region(engine, names)], repeats),
        "policy_top_occupations": lambda: _timed([lambda: overview.compute_top_occupations(engine, names)], repeats),
        "policy_reemployment_by_age": lambda: _timed([lambda: overview.compute_reemployment_by_age(engine)], repeats),
        "policy_reemployment_by_region": lambda: _timed([lambda: overview.compute_reemployment_by_region(engine, names)],
                                                repeats),
        "policy_override_report": lambda: _timed([lambda: employment.override_report(engine)], repeats),
        "policy_hiring_rows": lambda: _timed([lambda: hiring.store.posting_repo.load_scoring_rows(engine)],
                                     2),
        "policy_kpi_frames": lambda: _timed([lambda: monitoring.load_kpi_frames(engine).cohort], 2),
    }
    return {name: run() for name, run in out.items() if not only or name in only}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--size", default="large", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--reuse", action="store_true", help="skip loading when the database holds that world")
    parser.add_argument("--load", default="generate", choices=["generate", "replicate"],
                        help="generate: generate_world(size); replicate: the demo world copied "
                             f"{REPLICAS}× in SQL (PostgreSQL)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated query names (default: every query)")
    args = parser.parse_args()
    engine = make_engine(args.db_url)
    load_before = _load_average()
    load_s = None
    if not (args.reuse and _has_world(engine, args.size, args.load)):
        from app.world.generate import generate_world

        started = time.perf_counter()
        generate_world(engine, size="demo" if args.load == "replicate" else args.size, seed=args.seed)
        if args.load == "replicate":
            replicate_world(engine)
        load_s = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    world_repo.ensure_schema(engine)
    schema_s = round(time.perf_counter() - started, 1)
    queries = _queries(engine, args.repeats, frozenset(filter(None, args.only.split(","))))
    with engine.connect() as conn:
        rows = {"seekers": conn.scalar(select(func.count()).select_from(Seeker)),
                "postings": conn.scalar(select(func.count()).select_from(Posting))}
    policy = {k: v for k, v in queries.items() if k.startswith("policy_")}
    print(json.dumps({
        "dialect": engine.dialect.name,
        "size": f"demo×{REPLICAS}" if args.load == "replicate" else args.size,
        "pg_caseload_ms": _worst(queries, ("caseload_load", "caseload_render")),
        "pg_policy_ms": _worst(queries, tuple(policy)),
        "pg_employer_postings_ms": _worst(queries, ("employer_postings",)),
        "over_200ms": sorted(k for k, v in queries.items() if v.get("p95_ms", float("inf")) > TARGET_MS),
        "queries": queries,
        "rows": rows,
        "load_s": load_s,
        "schema_s": schema_s,
        "load_average": {"before": load_before, "after": _load_average()},
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
