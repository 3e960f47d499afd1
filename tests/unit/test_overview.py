"""Overview service, repositories and charts on the small seeded world (no Streamlit)."""

from __future__ import annotations

import ast
import re
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, text

from app.charts import overview as charts
from app.db.engine import make_engine
from app.db.repositories import seekers as seeker_repo
from app.services import overview as ov
from app.world.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
MY_APP_MODULES = [
    "app/auth.py",
    "app/services/overview.py",
    "app/charts/overview.py",
    "app/db/repositories/__init__.py",
    "app/db/repositories/postings.py",
    "app/db/repositories/seekers.py",
    "app/db/repositories/courses.py",
    "app/db/repositories/employers.py",
    "app/db/repositories/world.py",
]


@pytest.fixture(scope="module")
def engine(world_url: str) -> Engine:
    return make_engine(world_url)


@pytest.fixture(scope="module")
def names() -> ov.ReferenceNames:
    return ov.reference_names(load_reference())


def _scalar(world_url: str, sql: str) -> float:
    with create_engine(world_url).connect() as conn:
        return conn.execute(text(sql)).scalar_one()


@pytest.mark.parametrize("module", MY_APP_MODULES)
def test_no_streamlit_and_no_truth_tables(module: str) -> None:
    source = (ROOT / module).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported |= {f"{node.module}.{a.name}" for a in node.names}
    assert not any(name.split(".")[0] == "streamlit" for name in imported)
    assert not any("Truth" in name or "truth" in name for name in imported)
    names_used = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    names_used |= {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)}
    assert not any("truth" in n.lower() for n in names_used)
    assert not re.search(r"\b(from|join)\s+truth_", source, re.IGNORECASE)  # no raw SQL on truth tables


def test_world_overview_matches_sql(engine: Engine, world_url: str) -> None:
    o = ov.compute_world_overview(engine)
    assert o.n_postings == _scalar(world_url, "select count(*) from postings")
    assert o.n_seekers == _scalar(world_url, "select count(*) from seekers")
    assert o.fill_rate == pytest.approx(_scalar(world_url, "select avg(filled) from posting_outcomes"))
    assert o.fill_rate_30d == pytest.approx(_scalar(world_url, "select avg(filled_30d) from posting_outcomes"))
    assert o.unfilled_rate == pytest.approx(1 - o.fill_rate)
    assert o.applications_per_posting == pytest.approx(
        _scalar(world_url, "select avg(n_applications) from posting_outcomes")
    )
    assert o.reemployment_180d == pytest.approx(_scalar(world_url, "select avg(employed_180d) from seeker_outcomes"))
    assert o.reemployment_180d_benefit == pytest.approx(
        _scalar(
            world_url,
            "select avg(o.employed_180d) from seeker_outcomes o join seekers s on s.id=o.seeker_id "
            "where s.benefit_status",
        )
    )
    assert 0 <= o.n_open_postings <= o.n_postings


def test_empty_database_raises_no_world(tmp_path: Path) -> None:
    with pytest.raises(ov.NoWorldError, match="python -m app build"):
        ov.compute_world_overview(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))


def test_employer_overview_and_unknown_employer(engine: Engine, world_url: str) -> None:
    own = _scalar(world_url, "select count(*) from postings where employer_id=1")
    assert ov.compute_employer_overview(engine, 1).n_postings == own
    with pytest.raises(ov.UnknownEmployerError):
        ov.compute_employer_overview(engine, 10**9)


def test_breakdowns_have_names_and_rates(engine: Engine, names: ov.ReferenceNames) -> None:
    regions = ov.compute_postings_by_region(engine, names)
    assert regions["n_postings"].is_monotonic_decreasing
    assert not regions["region"].str.fullmatch(r"\d+").any()  # names, not codes
    top = ov.compute_top_occupations(engine, names, top=5)
    assert len(top) == 5 and top["fill_rate"].between(0, 1).all()
    ages = ov.compute_reemployment_by_age(engine)
    assert set(ages["group"]) == {"전체", "구직급여 수급자"}
    overall = ages[ages["group"] == "전체"]
    assert overall["n_seekers"].sum() == ov.compute_world_overview(engine).n_seekers


def test_search_filters_narrow_results(engine: Engine, names: ov.ReferenceNames) -> None:
    everything = ov.search_postings(engine, ov.ExplorerQuery(), names)
    region = everything["region_code"].mode()[0]
    in_region = ov.search_postings(engine, ov.ExplorerQuery(region_codes=(region,)), names)
    assert 0 < len(in_region) < len(everything) and set(in_region["region_code"]) == {region}
    major = names.major_of(everything["keco_code"].iloc[0])
    in_major = ov.search_postings(engine, ov.ExplorerQuery(major_code=major), names)
    assert {names.major_of(c) for c in in_major["keco_code"]} == {major}
    paid = ov.search_postings(engine, ov.ExplorerQuery(wage_range_manwon=(300, ov.WAGE_SLIDER_MAX_MANWON)), names)
    assert (paid["wage_monthly"] >= 3_000_000).all() and len(paid) < len(everything)
    day = dt.date(2025, 6, 30)
    early = ov.search_postings(engine, ov.ExplorerQuery(date_range=(None, day)), names)
    assert (pd.to_datetime(early["open_date"]).dt.date <= day).all()


def test_seeker_rows_hold_no_identifiers(engine: Engine, names: ov.ReferenceNames) -> None:
    raw = seeker_repo.load_seekers(engine)
    assert list(raw.columns) == list(seeker_repo.SEEKER_COLUMNS)
    assert not seeker_repo.IDENTIFYING_COLUMNS & set(raw.columns)
    rows = ov.search_seekers(engine, ov.ExplorerQuery(), names)
    assert "age" not in rows.columns and "age_band" in rows.columns
    table = ov.seeker_table(rows)
    cells = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "@" not in cells and "010-" not in cells


def test_tables_use_korean_money_and_csv_bom(engine: Engine, names: ov.ReferenceNames) -> None:
    rows = ov.search_postings(engine, ov.ExplorerQuery(), names, viewer_employer_id=1)
    table = ov.posting_table(rows, show_mine=True)
    assert table["임금"].str.match(r"^(월|연|시급|일급) [\d,]+(만원|원)$").all()
    assert (table["내 공고"] == "내 공고").sum() == int((rows["employer_id"] == 1).sum())
    csv = ov.to_csv_bytes(table)
    assert csv.startswith(b"\xef\xbb\xbf") and "공고번호".encode() in csv


def test_charts_are_pure_figures_with_korean_axes(engine: Engine, names: ov.ReferenceNames) -> None:
    rows = ov.search_postings(engine, ov.ExplorerQuery(), names)
    wage = charts.make_wage_by_occupation_figure(rows, top=5)
    assert len(wage.data) == 5 and wage.layout.xaxis.ticksuffix == "만원"
    assert max(max(t.x) for t in wage.data) < 10_000  # plotted in 만원, not KRW
    region = charts.make_region_postings_figure(ov.compute_postings_by_region(engine, names))
    assert region.layout.xaxis.title.text == "시도" and region.layout.yaxis2.tickformat == ".0%"
    empty = charts.make_postings_over_time_figure(ov.compute_postings_by_month(rows.iloc[0:0]))
    assert empty.layout.annotations[0].text == "조건에 맞는 데이터가 없습니다"
