"""Overview and explorer services, repositories and charts on the small seeded world (no Streamlit)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, text

from app.charts import overview as charts
from app.db.engine import make_engine
from app.db.repositories import seekers as seeker_repo
from app.reference.names import ReferenceNames, reference_names
from app.reference.tables import load_reference
from app.services import explorer as ex
from app.services import overview as ov
from app.text.korean import format_kst_datetime, format_metric
from app.world import params

ROOT = Path(__file__).resolve().parents[2]
MY_APP_MODULES = [
    "app/auth.py",
    "app/services/overview.py",
    "app/services/explorer.py",
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
def names() -> ReferenceNames:
    return reference_names(load_reference())


def _scalar(world_url: str, sql: str, **params: object) -> float:
    with create_engine(world_url).connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


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


def test_breakdowns_have_names_and_rates(engine: Engine, names: ReferenceNames) -> None:
    regions = ov.compute_postings_by_region(engine, names)
    assert regions["n_postings"].is_monotonic_decreasing
    assert not regions["region"].str.fullmatch(r"\d+").any()  # names, not codes
    top = ov.compute_top_occupations(engine, names, top=5)
    assert len(top) == 5 and top["fill_rate"].between(0, 1).all()
    ages = ov.compute_reemployment_by_age(engine)
    assert set(ages["group"]) == {"전체", "구직급여 수급자"}
    overall = ages[ages["group"] == "전체"]
    assert overall["n_seekers"].sum() == ov.compute_world_overview(engine).n_seekers


def test_search_filters_narrow_results(engine: Engine, names: ReferenceNames) -> None:
    everything = ex.search_postings(engine, ex.ExplorerQuery(), names)
    region = everything["region_code"].mode()[0]
    in_region = ex.search_postings(engine, ex.ExplorerQuery(region_codes=(region,)), names)
    assert 0 < len(in_region) < len(everything) and set(in_region["region_code"]) == {region}
    major = names.major_of(everything["keco_code"].iloc[0])
    in_major = ex.search_postings(engine, ex.ExplorerQuery(major_code=major), names)
    assert {names.major_of(c) for c in in_major["keco_code"]} == {major}
    paid = ex.search_postings(engine, ex.ExplorerQuery(wage_range_manwon=(300, ex.WAGE_SLIDER_MAX_MANWON)), names)
    assert (paid["wage_monthly"] >= 3_000_000).all() and len(paid) < len(everything)
    day = dt.date(2025, 6, 30)
    early = ex.search_postings(engine, ex.ExplorerQuery(date_range=(None, day)), names)
    assert (pd.to_datetime(early["open_date"]).dt.date <= day).all()


def test_seeker_rows_hold_no_identifiers(engine: Engine, names: ReferenceNames) -> None:
    raw = seeker_repo.load_seekers(engine)
    assert list(raw.columns) == list(seeker_repo.SEEKER_COLUMNS)
    assert not seeker_repo.IDENTIFYING_COLUMNS & set(raw.columns)
    rows = ex.search_seekers(engine, ex.ExplorerQuery(), names)
    assert "age" not in rows.columns and "age_band" in rows.columns
    table = ex.seeker_table(rows)
    cells = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "@" not in cells and "010-" not in cells


def test_tables_use_korean_money_and_csv_bom(engine: Engine, names: ReferenceNames) -> None:
    rows = ex.search_postings(engine, ex.ExplorerQuery(), names, viewer_employer_id=1)
    table = ex.posting_table(rows, show_mine=True)
    assert table["임금"].str.match(r"^(월|연|시급|일급) [\d,]+(만원|원)$").all()
    assert (table["내 공고"] == "내 공고").sum() == int((rows["employer_id"] == 1).sum())
    csv = ex.to_csv_bytes(table)
    assert csv.startswith(b"\xef\xbb\xbf") and "공고번호".encode() in csv


def test_charts_are_pure_figures_with_korean_axes(engine: Engine, names: ReferenceNames) -> None:
    rows = ex.search_postings(engine, ex.ExplorerQuery(), names)
    wage = charts.make_wage_by_occupation_figure(rows, top=5)
    assert len(wage.data) == 5 and wage.layout.xaxis.ticksuffix == "만원"
    assert max(max(t.x) for t in wage.data) < 10_000  # plotted in 만원, not KRW
    region = charts.make_region_postings_figure(ov.compute_postings_by_region(engine, names))
    assert region.layout.xaxis.title.text == "시도" and region.layout.yaxis2.tickformat == ".0%"
    empty = charts.make_postings_over_time_figure(ex.compute_postings_by_month(rows.iloc[0:0]))
    assert empty.layout.annotations[0].text == "조건에 맞는 데이터가 없습니다"


# --------------------------------------------------------------------------- reference date


def _copy_world(world_db: Path, tmp_path: Path, *statements: str) -> Engine:
    """A private copy of the test world with ``statements`` applied (the shared one stays intact)."""
    path = tmp_path / "copy.db"
    shutil.copyfile(world_db, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
    return engine


def test_as_of_is_the_generators_reference_date(engine: Engine) -> None:
    assert ov.world_as_of(engine) == params.REFERENCE_DATE
    assert ov.compute_world_overview(engine).as_of == params.REFERENCE_DATE
    # "today" is the last registration day: the open caseload exists on it
    assert params.REFERENCE_DATE == params.SEEKER_LAST_REGISTRATION < params.OBSERVATION_END


def test_open_postings_are_open_on_the_reference_date(engine: Engine, world_url: str) -> None:
    day = params.REFERENCE_DATE.isoformat()
    expected = _scalar(world_url, "select count(*) from postings where open_date <= :d and close_date >= :d", d=day)
    later = _scalar(world_url, "select count(*) from postings where open_date > :d", d=day)
    assert later > 0  # postings opened after the reference date exist and must not count as open
    assert ov.compute_world_overview(engine).n_open_postings == expected


def test_as_of_without_world_meta_is_the_last_registration(
    world_db: Path, world_url: str, tmp_path: Path
) -> None:
    last_registration = dt.date.fromisoformat(str(_scalar(world_url, "select max(registered_on) from seekers"))[:10])
    # Imported data has no world_meta; other key names are not guessed at.
    no_meta = _copy_world(world_db, tmp_path, "delete from world_meta",
                          "insert into world_meta(key, value) values ('as_of', '2020-01-01')")
    assert ov.world_as_of(no_meta) == last_registration
    no_meta.dispose()


def test_as_of_of_postings_only_data_is_the_last_posting_date(
    world_db: Path, world_url: str, tmp_path: Path
) -> None:
    last_open = dt.date.fromisoformat(str(_scalar(world_url, "select max(open_date) from postings"))[:10])
    path = tmp_path / "postings_only.db"
    shutil.copyfile(world_db, path)
    with sqlite3.connect(path) as conn:  # plain sqlite3: foreign keys unchecked, seekers simply gone
        conn.execute("delete from world_meta")
        conn.execute("delete from seekers")
    no_seekers = make_engine(f"sqlite:///{path}")
    assert ov.world_as_of(no_seekers) == last_open
    no_seekers.dispose()


def test_as_of_ignores_an_unreadable_reference_date(world_db: Path, world_url: str, tmp_path: Path) -> None:
    last_registration = dt.date.fromisoformat(str(_scalar(world_url, "select max(registered_on) from seekers"))[:10])
    broken = _copy_world(world_db, tmp_path, "update world_meta set value='미상' where key='reference_date'")
    assert ov.world_as_of(broken) == last_registration
    broken.dispose()


# --------------------------------------------------------------------------- model status


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("median_ape_vs_truth", 0.0438, "실제 시장임금 대비 오차(중앙값) 4.4%"),
        ("cells", 1536.0, "추정 셀 1,536개"),
        ("auc", 0.81234, "AUC 0.812"),
        ("brier", 0.1417, "Brier 점수 0.142"),
        ("ece", 0.0312, "보정오차(ECE) 0.031"),
        ("n_train", 12000, "학습 표본 12,000건"),
        # unknown metrics keep their name and get a plain number format
        ("recall_at_10", 0.71249, "recall_at_10 0.712"),
        ("rows_scored", 25000.0, "rows_scored 25,000"),
        ("mean_wage", 2512345.678, "mean_wage 2,512,345.7"),
        ("calibrated", True, "calibrated 예"),
        ("auc", None, "AUC -"),
        ("auc", float("nan"), "AUC -"),
        ("method", "isotonic", "method isotonic"),
    ],
)
def test_metrics_get_korean_labels_and_readable_numbers(name: str, value: object, shown: str) -> None:
    assert format_metric(name, value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-11-23T19:05:53+00:00", "2026-11-24 04:05"),  # UTC evening is the next KST morning
        ("2026-11-23T10:00:00", "2026-11-23 19:00"),  # no zone: written as UTC by the registry
        ("2026-11-23T19:05:00+09:00", "2026-11-23 19:05"),
        (dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC), "2026-01-01 09:00"),
        (None, "-"),
        ("", "-"),
        ("어제", "어제"),  # unreadable text is shown as written, not hidden
    ],
)
def test_timestamps_shown_in_korean_local_time(value: object, shown: str) -> None:
    assert format_kst_datetime(value) == shown


MANIFEST = {
    "created_at": "2026-11-23T19:05:53+00:00",
    "world": {"size": "demo", "seed": 20261123, "fingerprint": "fb68f1b64c7ceb479c1d"},
    "models": {
        "market_wages": {
            "title": "직종×지역 시장임금표",
            "version": "1.0",
            "data_fingerprint": "fb68f1b64c7ceb479c1d",
            "created_at": "2026-11-23T19:05:53+00:00",
            "metrics": {"cells": 1536.0, "median_ape_vs_truth": 0.0438},
        },
        "hiring": {
            "version": "2.1",
            "data_fingerprint": "0123456789abcdef",
            "metrics": {"auc": 0.8123, "per_region": {"11": 0.8}},
        },
        "broken": "not a model entry",
    },
}


def test_model_status_reads_like_korean_text() -> None:
    status = ov.compute_model_status(MANIFEST)
    assert list(status.columns) == ["모델", "버전", "학습 데이터", "성능 지표", "생성 시각(KST)"]
    rows = {r["모델"]: r for r in status.to_dict("records")}
    assert set(rows) == {"직종×지역 시장임금표", "hiring"}  # title when there is one, else the key
    wages = rows["직종×지역 시장임금표"]
    assert wages["버전"] == "1.0"
    assert wages["학습 데이터"] == "시연용 세계 · 시드 20261123 · 지문 fb68f1b6"
    assert wages["성능 지표"] == "추정 셀 1,536개, 실제 시장임금 대비 오차(중앙값) 4.4%"
    assert wages["생성 시각(KST)"] == "2026-11-24 04:05"
    hiring = rows["hiring"]
    assert hiring["학습 데이터"] == "지문 01234567"  # not the manifest's current world
    assert hiring["성능 지표"] == "AUC 0.812"  # nested values are not metrics
    assert hiring["생성 시각(KST)"] == "-"


@pytest.mark.parametrize("manifest", [None, {}, {"models": {}}])
def test_model_status_without_models_is_empty(manifest: dict | None) -> None:
    status = ov.compute_model_status(manifest)
    assert status.empty and list(status.columns) == list(ov.MODEL_STATUS_COLUMNS)


def test_reference_names_cover_welfare_sizes_and_majors(names: ReferenceNames) -> None:
    """Pages read these lookups instead of shaping the reference tables themselves."""
    assert names.welfare["W01"] == "4대보험" and names.sizes["S2"] == "5–29명"
    assert names.majors["0"] == "경영·사무·금융·보험직" and names.major_of("011") == "0"
    assert reference_names(None).welfare == {}  # without the tables the pages show codes


def test_employer_models_are_the_models_of_pages_employers_open() -> None:
    """EMPLOYER_MODELS holds exactly the models whose card names a page an employer may open."""
    from app.access import can_access
    from app.ml.registry import ARTIFACTS
    from app.services.transparency import registered_cards

    shown_to_employers = {
        name for name, card in registered_cards().items()
        if card is not None and any(can_access("employer", page) for page in card.shown_on)
    }
    assert ov.EMPLOYER_MODELS <= set(registered_cards())
    assert "employment" not in ov.EMPLOYER_MODELS
    built = {spec.name for spec in ARTIFACTS}  # the manifest lists built artifacts only
    assert shown_to_employers & built <= ov.EMPLOYER_MODELS


def test_charts_draw_plotly_white_from_a_template_built_once() -> None:
    """The lean template keeps plotly_white's look for the trace types we draw (a white plot with
    light grid lines) without plotly's per-figure copy of the whole template."""
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    fig = charts.make_count_and_rate_figure(
        pd.DataFrame({"x": ["가", "나"], "n_postings": [3, 5], "fill_rate": [0.5, 0.25]}),
        category="x", title="제목", category_title="구분")
    layout = fig.layout.template.layout
    assert layout.plot_bgcolor == white.layout.plot_bgcolor == "white"
    assert layout.xaxis.gridcolor == white.layout.xaxis.gridcolor
    assert fig.layout.template.data.bar == white.data.bar
    assert set(fig.layout.template.data.to_plotly_json()) <= {"bar", "box", "scatter", "waterfall"}
    assert fig.layout.title.text == "제목"
