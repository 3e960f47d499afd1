"""The pages' main queries on a national-scale world in PostgreSQL; prints one JSON object.

Loads a world of ``--size`` (default ``large``: 1M seekers, 200k postings) into the database with
:func:`app.world.generate.generate_world` — unless ``--reuse`` finds that world there already — brings
the schema up to date (:func:`app.db.repositories.world.ensure_schema`: tables and declared indexes;
the policy aggregates' snapshot table), then times the *service functions* the pages call, each repeated with
different arguments (several employers, several counsellors' filters):

* caseload (구직자 위험 현황): what the page runs on every view (``caseload_open``: the stored scores'
  stamp check, bands, overrides, 기준일, the tiles' totals, one counsellor's filtered page of rows and
  its training-plan counts; nine lists: everyone, six desired regions, 고위험, a search with a days
  filter), the seeker picker of 구직자 프로파일 / 직업흥미검사 / 훈련 추천 / 상담 지원
  (``caseload_picker``: a requested seeker checked, then a search listing at most 50, highest risk
  first: none, a seeker number, an occupation word, a surname, a full name, no match) and
  취업 위험도 기준's caseload figures (``policy_risk_bands``: counts below the cutoffs and the per-group
  sums in SQL, for three slider positions). The stored scores are brought up to date first, as the build does
  (``caseload_store_s``: 0 s when current; a full scoring otherwise);
* an employer's postings (채용 시뮬레이터 picker, 인재 추천, the employer's home figures);
* policy aggregates (home KPIs and breakdowns, 취업 위험도 기준 override report, 채용 위험 공고 현황's
  summary, group tables and page of at-risk rows, monitoring KPIs from their stored summary:
  ``policy_kpi_report``, four selections; ``kpi_store_s`` is the summary's count, 0 s when current;
  ``policy_monitoring_report``: 성과·모델 모니터링's report from the stored model monitors,
  ``monitor_store_s`` their computation, 0 s when current).

Works on SQLite too (``--db-url sqlite:///…``), to check it does not regress.

Generating the ``large`` world takes long (``app/world`` is being made faster), so ``--load replicate``
generates the demo world and copies it 50× in SQL (1M seekers, 400k postings, 125k employers: the same
per-employer and per-seeker shapes, at least the ``large`` row counts).

Usage: python bench/pg_scale.py [--db-url URL] [--size large|demo|small] [--load generate|replicate]
       [--reuse]  (with --reuse and no --load, the kind of world the database holds) [--repeats 7] [--only caseload_open,employer_postings,…]
Keys: pg_caseload_ms and pg_caseload_cold_ms (``caseload_open``'s p95 on reruns, and its slowest
call of the untimed first round: a process's first open, with its caches cold), pg_policy_ms and
pg_policy_cold_ms (the same for the worst policy query), pg_employer_postings_ms, queries
(per query: p50_ms, p95_ms, cold_ms — the slowest call of one untimed first round —, cpu_p50_ms, calls,
rows, or error), caseload_store_s, over_200ms (queries whose p95 is over the target), rows (table row counts), load_s (None with
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
HIRING_THRESHOLDS = (0.1, 0.4, 0.7, 0.9)
"""채용 위험 공고 현황's slider values timed (its lowest, default and high ones)."""


def _load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _has_world(engine, size: str, load: str) -> bool:
    meta = world_repo.read_world_meta(engine)
    if load == "replicate":
        return meta.get("size") == "demo" and meta.get(REPLICA_KEY) == str(REPLICAS)
    return meta.get("size") == size and "fingerprint" in meta and REPLICA_KEY not in meta


def _loaded_kind(engine) -> str | None:
    """How the world in the database was loaded (``"replicate"`` or ``"generate"``), ``None`` when it
    holds none: ``--reuse`` without ``--load`` keeps what is there instead of generating over it."""
    meta = world_repo.read_world_meta(engine)
    if REPLICA_KEY in meta:
        return "replicate"
    return "generate" if "fingerprint" in meta else None


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
    untimed round (``cold_ms``: its slowest call, when a snapshot is computed or the cache is cold);
    ``cpu_p50_ms``: this process's CPU time per call (the database server's is not in it)."""
    times, cpu_times, rows, cold = [], [], 0, 0.0
    for round_no in range(repeats + 1):
        for call in calls:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                out = call()
            except Exception as err:  # noqa: BLE001 - a query failing at this scale is a finding to report
                return {"error": f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"}
            elapsed = (time.perf_counter() - started) * 1000
            if round_no == 0:
                cold = max(cold, elapsed)
                continue
            times.append(elapsed)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
            rows = max(rows, len(out) if hasattr(out, "__len__") else 1)
    return {"p50_ms": round(float(np.percentile(times, 50)), 1), "p95_ms": round(float(np.percentile(times, 95)), 1),
            "cold_ms": round(cold, 1), "cpu_p50_ms": round(float(np.percentile(cpu_times, 50)), 1),
            "calls": len(times), "rows": rows}


def _worst(queries: dict[str, dict], names: tuple[str, ...], key: str = "p95_ms") -> float | None:
    """The largest ``key`` (p95, or the cold first round) of ``names`` that ran (``None`` when one of
    them failed or none ran)."""
    values = [queries[n].get(key) for n in names if n in queries]
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


def _queries(engine, repeats: int, only: frozenset[str] = frozenset(),
             store_s: dict[str, float] | None = None) -> dict[str, dict]:
    from app.reference.names import reference_names
    from app.reference.tables import load_reference
    from app.services import employment, hiring, monitoring, overview, training
    from components.display import MAX_TABLE_ROWS

    store_s = {} if store_s is None else store_s
    names = reference_names(load_reference())
    employers = _employer_ids(engine, 8)
    model = None
    filters: list[employment.CaseloadFilter] = []
    if not only or {"caseload_open", "caseload_picker", "policy_risk_bands"} & only:
        from app.config import get_settings

        model = employment.load_employment_model(get_settings().models_dir)
        started = time.perf_counter()
        employment.store_caseload_scores(engine, model)  # the build's step (nothing to do when current)
        store_s["caseload_store_s"] = round(time.perf_counter() - started, 1)
        # counsellors' lists: the whole caseload, six desired regions, a band, a search and a days filter
        regions = employment.caseload_summary(engine, employment.load_risk_bands(engine), {}).region_codes[:6]
        filters = [employment.CaseloadFilter(), *(employment.CaseloadFilter(region_codes=(r,)) for r in regions),
                   employment.CaseloadFilter(bands=("고위험",)), employment.CaseloadFilter(search="간호", min_days=60)]

    hiring_model = hiring_summary = None
    hiring_queries = {"policy_hiring_summary", "policy_hiring_groups", "policy_hiring_at_risk"}
    if not only or hiring_queries & only:
        from app.config import get_settings

        hiring_model = hiring.load_hiring_model(get_settings().models_dir)
        started = time.perf_counter()
        hiring.store_posting_scores(engine, hiring_model)  # the build's step (nothing to do when current)
        store_s["posting_store_s"] = round(time.perf_counter() - started, 1)
        hiring_summary = hiring.posting_risk_summary(engine, hiring_model)  # the page's, cached a minute

    def caseload_open(flt):
        # what 구직자 위험 현황 runs on every view (ensure_caseload_scores is cached a minute; its cold
        # call is in the first round): bands, overrides, 기준일, the tiles' totals, one page of rows
        # and its 훈련 계획 counts
        def run():
            employment.store_caseload_scores(engine, model)
            bands = employment.load_risk_bands(engine)
            overrides = employment.latest_overrides(engine)
            employment.caseload_summary(engine, bands, overrides)
            employment.reference_date(engine)
            rows, _ = employment.caseload_page(engine, flt, "risk", bands, overrides, limit=MAX_TABLE_ROWS)
            training.plan_counts(engine, rows["id"])
            return rows
        return run

    kpi_scopes: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    kpi_targets = None
    if not only or "policy_kpi_report" in only:
        from app.config import get_settings

        kpi_targets = monitoring.load_targets(get_settings().reference_dir)
        started = time.perf_counter()
        monitoring.store_kpi_summary(engine)  # the build's step (a stamp check when current)
        store_s["kpi_store_s"] = round(time.perf_counter() - started, 1)
        codes = list(monitoring.region_choices(engine))
        # the whole country, one 시도, three 시도 with one service, two services
        kpi_scopes = [((), ()), (tuple(codes[:1]), ()), (tuple(codes[1:4]), ("training",)), ((), ("matching", "nes"))]

    def kpi_view(regions, services):
        # what the KPI tab runs on a view that misses its caches: the summary's stamp check, the
        # region choices and one selection's report, combined from the stored cells
        def run():
            monitoring.store_kpi_summary(engine)
            monitoring.region_choices(engine)
            return monitoring.kpi_report(engine, kpi_targets, region_codes=regions, services=services).status
        return run

    monitor_args = None
    if not only or "policy_monitoring_report" in only:
        from app.config import get_settings

        settings = get_settings()
        monitor_args = {"models_dir": settings.models_dir, "reference_dir": settings.reference_dir,
                        "tolerance": float(settings.fairness_tolerance),
                        "min_group_size": int(settings.fairness_min_group)}
        started = time.perf_counter()
        monitoring.store_model_monitors(engine, **monitor_args)  # the build's step (a stamp check when current)
        store_s["monitor_store_s"] = round(time.perf_counter() - started, 1)

    def monitoring_view():
        # what 성과·모델 모니터링 runs on a view that misses its caches: the stored monitors' stamp check,
        # then the report (stored monitors read back; KPIs, overrides, copilot edits, audit volume)
        monitoring.store_model_monitors(engine, **monitor_args)
        return monitoring.build_report(engine, **monitor_args).alerts

    def caseload_picker(search):
        # what select_caseload_seeker runs on every view (the stored scores' check is cached a minute)
        def run():
            employment.store_caseload_scores(engine, model)
            bands = employment.load_risk_bands(engine)
            overrides = employment.latest_overrides(engine)
            employment.caseload_seeker(engine, opened, bands, overrides)
            return employment.find_caseload_seekers(engine, search, bands, overrides).rows
        return run

    def risk_bands(high_below, low_from):
        # 취업 위험도 기준: the caseload's size, the counts below every cutoff the page shows, the group tables
        def run():
            employment.store_caseload_scores(engine, model)
            bands = employment.load_risk_bands(engine)
            overrides = employment.latest_overrides(engine)
            employment.caseload_summary(engine, bands, overrides)
            cuts = employment.table_cutoffs(np.round(np.arange(0.10, 0.51, 0.05), 2).tolist(), high_below)
            counts = employment.caseload_probability_counts(engine, [high_below, low_from, *cuts])
            employment.band_shares(counts, employment.RiskBands(high_below=high_below, low_from=low_from))
            return employment.stored_caseload_aggregates(engine, bands, overrides)["occupation"]
        return run

    opened, searches = 0, []
    if model is not None:
        first = employment.find_caseload_seekers(engine, "", employment.load_risk_bands(engine), {}).rows
        opened = int(first["id"].iloc[len(first) // 2]) if len(first) else 0
        searches = ["", str(opened), "간호", "김", "김민수", "없는직종"]

    out = {
        "caseload_open": lambda: _timed([caseload_open(flt) for flt in filters], repeats),
        # the seeker picker: the requested seeker's check and one search's list (the profile, interest
        # test, training and copilot pages); 취업 위험도 기준's caseload figures at three slider positions
        "caseload_picker": lambda: _timed([caseload_picker(term) for term in searches], repeats),
        "policy_risk_bands": lambda: _timed([risk_bands(*cut) for cut in ((0.2, 0.4), (0.15, 0.45), (0.3, 0.6))],
                                            repeats),
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
        # 채용 위험 공고 현황: the stored scores' summary (brought up to date first; cached a minute by the
        # page), then per slider value the at-risk count and group tables, and one page of at-risk rows
        "policy_hiring_summary": lambda: _timed([lambda: hiring.posting_risk_summary(engine, hiring_model)], repeats),
        "policy_hiring_groups": lambda: _timed(
            [lambda t=t: hiring.risk_overview(engine, hiring_summary, t).tables["region"] for t in HIRING_THRESHOLDS],
            repeats),
        "policy_hiring_at_risk": lambda: _timed(
            [lambda t=t: hiring.at_risk_page(engine, t, limit=MAX_TABLE_ROWS) for t in HIRING_THRESHOLDS], repeats),
        "policy_kpi_report": lambda: _timed([kpi_view(r, sv) for r, sv in kpi_scopes], repeats),
        "policy_monitoring_report": lambda: _timed([monitoring_view], repeats),
    }
    return {name: run() for name, run in out.items() if not only or name in only}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--size", default="large", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--reuse", action="store_true", help="skip loading when the database holds that world")
    parser.add_argument("--load", default=None, choices=["generate", "replicate"],
                        help="generate: generate_world(size); replicate: the demo world copied "
                             f"{REPLICAS}× in SQL (PostgreSQL); default: with --reuse, the kind the database "
                             "holds, otherwise generate")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated query names (default: every query)")
    args = parser.parse_args()
    engine = make_engine(args.db_url)
    load_before = _load_average()
    load_s = None
    load = args.load or (_loaded_kind(engine) if args.reuse else None) or "generate"
    if not (args.reuse and _has_world(engine, args.size, load)):
        from app.world.generate import generate_world

        started = time.perf_counter()
        generate_world(engine, size="demo" if load == "replicate" else args.size, seed=args.seed)
        if load == "replicate":
            replicate_world(engine)
        load_s = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    world_repo.ensure_schema(engine)
    schema_s = round(time.perf_counter() - started, 1)
    store_s: dict[str, float] = {}
    queries = _queries(engine, args.repeats, frozenset(filter(None, args.only.split(","))), store_s)
    with engine.connect() as conn:
        rows = {"seekers": conn.scalar(select(func.count()).select_from(Seeker)),
                "postings": conn.scalar(select(func.count()).select_from(Posting))}
    policy = {k: v for k, v in queries.items() if k.startswith("policy_")}
    print(json.dumps({
        "dialect": engine.dialect.name,
        "size": f"demo×{REPLICAS}" if load == "replicate" else args.size,
        "pg_caseload_ms": _worst(queries, ("caseload_open",)),
        "pg_caseload_cold_ms": _worst(queries, ("caseload_open",), key="cold_ms"),
        "pg_policy_ms": _worst(queries, tuple(policy)),
        "pg_policy_cold_ms": _worst(queries, tuple(policy), key="cold_ms"),
        "pg_employer_postings_ms": _worst(queries, ("employer_postings",)),
        "over_200ms": sorted(k for k, v in queries.items() if v.get("p95_ms", float("inf")) > TARGET_MS),
        "queries": queries,
        "rows": rows,
        "load_s": load_s,
        "schema_s": schema_s,
        **store_s,
        "load_average": {"before": load_before, "after": _load_average()},
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
