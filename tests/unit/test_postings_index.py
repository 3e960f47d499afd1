"""Similar-postings index: build → load round trip, family restriction, duplicates, new-posting
queries, and loaders that name the rebuild command.

Built once per module on a copy of the session's small world with extra planted re-posts (the
small world has only one ``DUPLICATE`` label, too few to measure a recall).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from app.db import orm
from app.db.engine import make_engine
from app.labour import full_time_equivalent
from app.ml import manifest
from app.search.postings_index import (
    ARTIFACT_NAME,
    ENCODER_FILE,
    INDEX_FILE,
    ROWS_FILE,
    SIMILAR_COLUMNS,
    SPEC,
    PostingNotIndexed,
    PostingsIndex,
    build_postings_index,
    load_index_postings,
    load_similar_postings,
)

N_PLANTED = 12
CAREGIVER = {
    "title": "주간보호센터 요양보호사 모집 (어르신 돌봄)",
    "duties": "어르신 식사 보조 및 목욕 지원\n신체활동·일상생활 지원\n체위 변경과 이동 보조\n간병 및 말벗",
    "requirements": "요양보호사 자격증 소지자\n경력무관, 학력 무관\n어르신을 공경하는 따뜻한 마음을 가진 분",
}
DEVELOPER = {
    "title": "백엔드 개발자 채용 (Java/Spring)",
    "duties": "REST API 서버 설계와 개발\n데이터베이스 모델링과 쿼리 튜닝\n클라우드 배포 자동화",
    "requirements": "Java, Spring Boot 실무 경험\nSQL 능숙자\n컴퓨터공학 전공자 우대",
}


def _plant_duplicates(engine: Engine, n: int, seed: int = 3) -> pd.DataFrame:
    """Copy ``n`` clean postings as re-posts (as the world generator does) and label them."""
    columns = [c.name for c in orm.Posting.__table__.columns if c.name not in ("id", "title")]
    with engine.begin() as conn:
        labelled = {r[0] for r in conn.execute(text("select posting_id from posting_labels"))}
        ids = [r[0] for r in conn.execute(text("select id from postings order by id")) if r[0] not in labelled]
        next_id = conn.execute(text("select max(id) from postings")).scalar_one() + 1
        sources = np.random.default_rng(seed).choice(ids, size=n, replace=False)
        planted = []
        for i, source in enumerate(int(s) for s in sources):
            new_id = next_id + i
            suffix = " (재공고)" if i % 2 else ""
            conn.execute(
                text(
                    f"insert into postings (id, title, {', '.join(columns)}) "
                    f"select :new_id, title || :suffix, {', '.join(columns)} from postings where id = :source"
                ),
                {"new_id": new_id, "suffix": suffix, "source": source},
            )
            conn.execute(
                text(
                    "insert into posting_labels (posting_id, rule_id, evidence, duplicate_of) "
                    "values (:pid, 'DUPLICATE', :evidence, :source)"
                ),
                {"pid": new_id, "evidence": f"공고 {source}번과 중복", "source": source},
            )
            planted.append((new_id, source))
    return pd.DataFrame(planted, columns=["posting_id", "duplicate_of"])


def _write_manifest(models: Path, files: tuple[str, ...], metrics: dict[str, float], version: str) -> None:
    """The manifest entry ``python -m app build`` would write (the lead registers the spec)."""
    manifest.write_manifest(
        models,
        {"models": {ARTIFACT_NAME: {"title": SPEC.title, "version": version,
                                    "data_fingerprint": "test", "files": list(files), "metrics": metrics}}},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, world_db: Path):
    root = tmp_path_factory.mktemp("postings_index")
    db = root / "w.db"
    with sqlite3.connect(world_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # a consistent copy: the session world stays untouched
    engine = make_engine(f"sqlite:///{db}")
    planted = _plant_duplicates(engine, N_PLANTED)
    models = root / "models"
    ctx = manifest.BuildContext(engine=engine, out_dir=models, world_fingerprint="test", seed=7)
    result = build_postings_index(ctx)
    _write_manifest(models, result.files, result.metrics, SPEC.version)
    index = PostingsIndex.load(models)
    yield engine, models, result, index, planted
    engine.dispose()


@pytest.fixture(scope="module")
def postings(built) -> pd.DataFrame:
    engine = built[0]
    return load_index_postings(engine).set_index("posting_id")


def test_spec_is_ready_to_register() -> None:
    assert SPEC.name == "postings_index"
    assert SPEC.version == "1.0"
    assert SPEC.build is build_postings_index


def test_build_writes_its_files_and_grades_itself(built, postings) -> None:
    _, models, result, _, _ = built
    assert set(result.files) == {ENCODER_FILE, INDEX_FILE, ROWS_FILE}
    assert all((models / f).is_file() for f in result.files)
    m = result.metrics
    assert m["n_postings"] == len(postings)
    assert m["build_seconds"] > 0
    assert all(isinstance(v, float) for v in m.values())
    # Neighbours share the KECO 소분류 far more often than random postings of the family do.
    assert m["same_occupation_top10"] > m["same_occupation_random"] + 0.15
    assert m["n_duplicates"] >= N_PLANTED
    assert m["duplicate_source_top3"] >= 0.9
    json.dumps(m, allow_nan=False)  # the manifest is strict JSON


def test_load_round_trip_gives_the_built_index(built, postings) -> None:
    _, models, _, index, _ = built
    again = PostingsIndex.load(models)
    assert len(again) == len(postings) == again.index.ntotal
    assert set(again.ids.tolist()) == set(postings.index)
    for pid in postings.index[::37]:
        assert again.similar_to_posting(int(pid)) == index.similar_to_posting(int(pid))


def test_results_are_same_family_ranked_and_never_the_query(built, postings) -> None:
    _, _, _, index, _ = built
    family_size = postings["family"].value_counts()
    for pid, row in postings.iterrows():
        scored = index.scored_similar_to_posting(int(pid), k=10)
        ids = [i for i, _ in scored]
        assert int(pid) not in ids
        assert len(ids) == len(set(ids)) == min(10, family_size[row["family"]] - 1)
        assert (postings.loc[ids, "family"] == row["family"]).all()
        scores = [s for _, s in scored]
        assert scores == sorted(scores, reverse=True)
    assert index.similar_to_posting(int(postings.index[0]), k=3) == index.similar_to_posting(int(postings.index[0]))[:3]


def test_planted_duplicates_are_found_both_ways(built) -> None:
    engine, _, _, index, planted = built
    labels = pd.read_sql(
        "select posting_id, duplicate_of from posting_labels where rule_id = 'DUPLICATE'", engine.connect()
    )
    assert len(labels) >= len(planted)
    source_top3 = [int(s) in index.similar_to_posting(int(d), k=3) for d, s in zip(labels["posting_id"], labels["duplicate_of"], strict=True)]
    copy_top3 = [int(d) in index.similar_to_posting(int(s), k=3) for d, s in zip(labels["posting_id"], labels["duplicate_of"], strict=True)]
    assert np.mean(source_top3) >= 0.8
    assert np.mean(copy_top3) >= 0.8


def test_similar_postings_table_keeps_the_ranking_and_marks_duplicates(built, postings) -> None:
    engine, _, _, index, planted = built
    dup, source = (int(v) for v in planted.iloc[0])
    ids = index.similar_to_posting(source)
    assert dup in ids
    table = load_similar_postings(engine, ids, query_id=source)
    assert list(table.columns) == [*SIMILAR_COLUMNS, "duplicate_of_query"]
    assert table["id"].tolist() == ids
    assert table["rank"].tolist() == list(range(1, len(ids) + 1))
    marked = table.set_index("id")
    assert marked.at[dup, "duplicate_of"] == source and bool(marked.at[dup, "duplicate_of_query"])
    assert marked.drop(index=dup)["duplicate_of_query"].sum() == 0
    assert (marked["keco_code"].str[:2] == postings.at[source, "keco_code"][:2]).all()
    # The planted copy has no outcome row yet (outer join keeps it with missing outcomes).
    assert marked.loc[[dup], ["filled", "n_applications", "days_to_fill"]].isna().all(axis=None)
    observed = marked.drop(index=planted["posting_id"].tolist(), errors="ignore")
    assert len(observed) and observed["n_applications"].notna().all() and observed["filled"].notna().all()
    assert table["filled"].dtype == "boolean" and table["days_to_fill"].dtype == "Int64"
    # Unfilled postings have no days to fill; filled ones do.
    assert (observed["days_to_fill"].isna() == ~observed["filled"].astype(bool)).all()
    reversed_table = load_similar_postings(engine, ids[::-1])
    assert reversed_table["id"].tolist() == ids[::-1]
    assert "duplicate_of_query" not in reversed_table.columns
    assert load_similar_postings(engine, []).empty


def test_an_indexed_posting_typed_in_again_finds_itself(built, postings) -> None:
    """The interactive single-posting path encodes exactly as the batch build did."""
    _, _, _, index, _ = built
    for pid, p in postings.iloc[::23].iterrows():
        found = dict(index.similar_to_text(
            p["title"], p["duties"], p["requirements"], p["keco_code"], p["wage_fte"], p["weekly_hours"],
            p["employment_type"], p["career"], p["education"], k=3,
        ))
        assert found.get(int(pid), 0.0) > 0.999
    one = index.vectorizer.transform_one(
        *(postings.iloc[0][c] for c in ("title", "duties", "requirements", "wage_fte", "weekly_hours",
                                        "employment_type", "career", "education"))
    )
    np.testing.assert_allclose(one, index.vectorizer.transform(postings.iloc[[0]]), atol=1e-6)


def test_a_new_caregiver_posting_finds_caregiver_postings(built, postings) -> None:
    _, _, _, index, _ = built
    structure = {"wage_monthly_fte": 2_300_000.0, "weekly_hours": 40.0, "employment_type": "정규직",
                 "career": "경력무관", "education": "무관"}
    results = index.similar_to_text(**CAREGIVER, keco_code="550", **structure)
    assert len(results) == 10
    assert (postings.loc[[i for i, _ in results], "family"] == "55").all()
    assert results[0][1] > 0.5
    # The text itself points at caregivers: across ALL families its nearest postings are care work,
    # and an unrelated text searched in the care family matches far worse.
    vector = index.vectorizer.transform_one(
        CAREGIVER["title"], CAREGIVER["duties"], CAREGIVER["requirements"], 2_300_000.0, 40.0, "정규직", "경력무관", "무관"
    )
    everything = index.index.reconstruct_n(0, index.index.ntotal)
    nearest = np.argsort(-(everything @ vector[0]))[:10]
    assert (index.rows["family"].to_numpy()[nearest] == "55").mean() >= 0.8
    developer = index.similar_to_text(**DEVELOPER, keco_code="550", **structure)
    assert developer[0][1] < results[0][1] - 0.2


def test_a_new_posting_wage_moves_the_ranking(built) -> None:
    """Structure counts: the same text at a very different wage and schedule ranks postings differently."""
    _, _, _, index, _ = built
    low = index.similar_to_text(**CAREGIVER, keco_code="550", wage_monthly_fte=2_100_000, weekly_hours=15,
                                employment_type="시간제", career="신입", education="무관")
    high = index.similar_to_text(**CAREGIVER, keco_code="550", wage_monthly_fte=4_500_000, weekly_hours=52,
                                 employment_type="정규직", career="경력", education="대졸")
    assert [i for i, _ in low] != [i for i, _ in high]


def test_bad_queries_fail_with_korean_messages(built, postings) -> None:
    _, _, _, index, _ = built
    structure = {"weekly_hours": 40.0, "employment_type": "정규직", "career": "신입", "education": "무관"}
    with pytest.raises(PostingNotIndexed, match="python -m app build"):
        index.similar_to_posting(int(postings.index.max()) + 1000)
    with pytest.raises(ValueError, match="KECO"):
        index.similar_to_text(**CAREGIVER, keco_code="x", wage_monthly_fte=2_000_000, **structure)
    with pytest.raises(ValueError, match="임금"):
        index.similar_to_text(**CAREGIVER, keco_code="550", wage_monthly_fte=0, **structure)
    # A family with no indexed posting has no similar postings (not an error).
    missing_family = next(f"{i:02d}" for i in range(100) if f"{i:02d}" not in index.family_ranges)
    assert index.similar_to_text(**CAREGIVER, keco_code=missing_family + "1", wage_monthly_fte=2_000_000, **structure) == []
    # Unseen category values are ignored rather than rejected.
    assert index.similar_to_text(**CAREGIVER, keco_code="550", wage_monthly_fte=2_000_000,
                                 **{**structure, "education": "박사"})


def test_missing_or_stale_files_name_the_build_command(built, tmp_path: Path) -> None:
    _, models, result, _, _ = built
    with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
        PostingsIndex.load(tmp_path)  # no manifest at all
    copy = tmp_path / "models"
    shutil.copytree(models, copy)
    (copy / INDEX_FILE).unlink()
    with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
        PostingsIndex.load(copy)
    shutil.copy(models / INDEX_FILE, copy / INDEX_FILE)
    _write_manifest(copy, result.files, result.metrics, "0.9")
    with pytest.raises(manifest.ArtifactMissing, match="python -m app build"):
        PostingsIndex.load(copy)


def test_fte_wage_uses_paid_hours() -> None:
    assert full_time_equivalent(2_000_000, 40.0) == pytest.approx(2_000_000)
    assert full_time_equivalent(1_045_000, 20.0) == pytest.approx(2_090_000)
