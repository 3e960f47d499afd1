"""The course outcome model: beats the NCS-field mean on a synthetic time split, reads only the past,
parses the KDT file's formats (a hand-made file with the real header), builds on the small world
without the shared data, and (when the real file is there) beats the field mean on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.courses import COURSE_FRAME_COLUMNS
from app.db.repositories.courses import load_course_frame as load_courses
from app.ml import course_outcome as co
from app.ml.manifest import BuildContext, write_manifest

KDT_HEADER = (
    "고유값,과정명,훈련과정 ID,회차,훈련기관,총 훈련일수,총 훈련시간,과정시작일,과정종료일,NCS명,NCS코드,훈련비,정원,"
    "수강신청 인원,수료인원,수료율,만족도,취업인원 (3개월),취업률 (3개월),취업인원 (6개월),취업률 (6개월),지역,주소,"
    "과정페이지 링크,선도기업,파트너기관,매출 최소,실 매출 대비,매출 최대,2021년,2022년,2023년,2024년,2025년,2026년"
)
TAIL = ",,,,,,0,0,0,0,0,0"  # 주소 … 2026년: not read


def synthetic_courses(seed: int = 3, n_institutions: int = 40, rounds: int = 12) -> pd.DataFrame:
    """Course rounds whose 6-month rate = field level + institution quality + noise (canonical frame).

    Every institution runs one programme in one NCS field, a round every ~2 months from 2021.
    """
    rng = np.random.default_rng(seed)
    fields = {"20010202": 0.55, "20010105": 0.50, "08020112": 0.35, "12010101": 0.60}
    codes = list(fields)
    rows = []
    for i in range(n_institutions):
        code = codes[i % len(codes)]
        quality = rng.normal(0, 0.12)
        hours = float(rng.choice([600, 800, 960]))
        first = pd.Timestamp("2021-01-04") + pd.Timedelta(days=int(rng.integers(0, 120)))
        for r in range(rounds):
            start = first + pd.Timedelta(days=60 * r + int(rng.integers(0, 20)))
            completers = float(rng.integers(12, 30))
            true_rate = np.clip(fields[code] + quality, 0.02, 0.98)
            rows.append({
                "course_id": f"C{i:03d}-{r:02d}", "title": f"과정 {i}", "ncs_code": code, "region_code": "11",
                "online": False, "hours": hours, "fee": hours * 10_000, "start_date": start, "text": f"과정 {i}",
                "skills": "", "course_type": "", "keco_code": "", "capacity": 30.0, "institution": f"기관{i}",
                "employment_rate_6m": rng.binomial(int(completers), true_rate) / completers,
                "completion_rate": 0.8, "satisfaction": 90.0, "end_date": start + pd.Timedelta(days=150),
                "days": 150.0, "programme": f"P{i}", "completers": completers,
            })
    return pd.DataFrame(rows).sort_values("start_date", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def courses() -> pd.DataFrame:
    return synthetic_courses()


def test_the_model_beats_the_field_mean_on_later_courses(courses: pd.DataFrame) -> None:
    result = co.evaluate_time_split(courses, seed=1)
    assert result["n_test"] == pytest.approx(0.22 * len(courses), abs=2)
    assert result["n_train"] + result["n_test"] == len(courses)
    # institutions differ by ±0.12 within a field: only their published history can tell them apart
    assert result["kdt_spearman"] > result["kdt_spearman_ncs_mean"] + 0.15
    assert result["kdt_mae"] < result["kdt_mae_ncs_mean"] - 0.02


def test_features_read_only_outcomes_published_before_the_start(courses: pd.DataFrame) -> None:
    model = co.fit_course_outcome(courses, seed=1)
    target = courses.iloc[len(courses) // 2]
    changed = courses.copy()
    # the course itself, and every course whose outcome is published after it starts
    later = (changed["end_date"] + pd.DateOffset(months=co.OUTCOME_MONTHS)) > target["start_date"]
    assert later.sum() > 50
    changed.loc[later, "employment_rate_6m"] = 1.0 - changed.loc[later, "employment_rate_6m"]
    before = model.features(courses, courses).loc[courses["start_date"] <= target["start_date"]]
    after = model.features(courses, changed).loc[courses["start_date"] <= target["start_date"]]
    pd.testing.assert_frame_equal(before, after, check_exact=True)
    earlier_courses = courses[courses["start_date"] <= target["start_date"]]
    np.testing.assert_array_equal(model.predict(earlier_courses, courses), model.predict(earlier_courses, changed))
    # …and a published outcome does count
    published = courses.index[~later & (courses["programme"] == target["programme"])]
    if len(published):
        changed.loc[published, "employment_rate_6m"] = 0.0
        assert not model.features(courses, changed).loc[[target.name]].equals(model.features(courses, courses).loc[[target.name]])


def test_a_course_with_a_strong_history_is_predicted_higher(courses: pd.DataFrame) -> None:
    model = co.fit_course_outcome(courses, seed=1)
    last = courses.sort_values("start_date").groupby("programme").tail(1)
    predicted = pd.Series(model.predict(last), index=last["programme"])
    history = courses.groupby("programme")["employment_rate_6m"].mean()
    assert np.corrcoef(predicted, history.reindex(predicted.index))[0, 1] > 0.8
    assert ((predicted >= 0) & (predicted <= 1)).all()


def test_few_known_outcomes_give_the_shrunk_field_mean(courses: pd.DataFrame) -> None:
    few = courses.copy()
    few.loc[few.index[20:], "employment_rate_6m"] = np.nan
    model = co.fit_course_outcome(few, seed=1, source="world")
    assert model.booster is None and model.source == "world"
    future = courses.tail(3).assign(start_date=pd.Timestamp("2030-01-01"), institution="새 기관", programme="새 과정")
    predicted = model.predict(future)
    known = few["employment_rate_6m"].dropna()
    assert known.min() <= predicted.min() and predicted.max() <= known.max()


def write_kdt(path: Path, rows: list[str]) -> Path:
    import gzip

    with gzip.open(path, "wt", encoding="utf-8-sig") as handle:
        handle.write(KDT_HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def test_the_loader_parses_numbers_rates_regions_and_unknown_outcomes(tmp_path: Path) -> None:
    rows = [
        # closed window, 14 of 20 completers employed at 6 months
        'A1,웹 개발자 과정,P1,1,기관가,120,960,2024-01-02,2024-06-28,응용SW엔지니어링,20010202," 9,100,000 ",25,26,20,80%,'
        '88.5,8,40%,14,70%,서울 관악구' + TAIL,
        # the same row again (the file has exact duplicates)
        'A1,웹 개발자 과정,P1,1,기관가,120,960,2024-01-02,2024-06-28,응용SW엔지니어링,20010202," 9,100,000 ",25,26,20,80%,'
        '88.5,8,40%,14,70%,서울 관악구' + TAIL,
        # 7-digit NCS code, 0 employed among 12 completers: unreported; #DIV/0! completion
        'A2,VR 콘텐츠 과정,P2,3,기관나,100,800,2023-03-02,2023-08-01,VR콘텐츠디자인,8020112," 7,000,000 ",20,12,12,#DIV/0!,'
        '0,0,0%,0,0%,경기 성남시' + TAIL,
        # ended 2025-07: the 6-month window is still open at the file's date (2025-12)
        'A3,데이터 분석 과정,P3,2,기관다,110,880,2025-02-03,2025-07-15,빅데이터분석,20010105," 8,000,000 ",30,30,25,83%,'
        '91,10,40%,3,12%,부산 해운대구' + TAIL,
        # not started yet: nothing known
        'A4,클라우드 과정,P4,1,기관가,120,960,2026-03-02,2026-08-28,IT시스템관리,20010301," 10,000,000 ",30,0,0,0%,0,,,,,'
        '대전 유성구' + TAIL,
    ]
    frame = co.load_kdt_courses(write_kdt(tmp_path / "result_kdtdata_202512.csv.gz", rows)).set_index("course_id")
    assert list(frame.columns) == [c for c in (*COURSE_FRAME_COLUMNS, *co.KDT_EXTRA_COLUMNS) if c != "course_id"]
    assert len(frame) == 4
    a1 = frame.loc["A1"]
    assert a1["fee"] == 9_100_000 and a1["hours"] == 960 and a1["capacity"] == 25 and a1["applicants"] == 26
    assert a1["employment_rate_6m"] == pytest.approx(0.70) and a1["employment_rate_3m"] == pytest.approx(0.40)
    assert a1["completion_rate"] == pytest.approx(0.80) and a1["satisfaction"] == pytest.approx(88.5)
    assert a1["region_code"] == "11" and a1["programme"] == "P1" and a1["round"] == 1 and not a1["online"]
    a2 = frame.loc["A2"]
    assert a2["ncs_code"] == "08020112" and a2["region_code"] == "41"
    assert np.isnan(a2["employment_rate_6m"]) and np.isnan(a2["completion_rate"]) and np.isnan(a2["satisfaction"])
    a3 = frame.loc["A3"]
    assert np.isnan(a3["employment_rate_6m"]) and a3["employment_rate_3m"] == pytest.approx(0.40)
    assert a3["region_code"] == "26"
    a4 = frame.loc["A4"]
    assert np.isnan(a4["employment_rate_6m"]) and np.isnan(a4["completers"]) and np.isnan(a4["applicants"])
    assert a4["start_date"] == pd.Timestamp("2026-03-02") and a4["region_code"] == "30"


@pytest.fixture
def no_shared_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GOYONG_SHARED_DATA_DIR", str(tmp_path / "no_shared_data"))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_build_trains_on_the_world_without_shared_data(world_url: str, tmp_path: Path, no_shared_data: None) -> None:
    engine = make_engine(world_url)
    assert co.training_source() == "world"
    result = co.build_course_outcome(BuildContext(engine=engine, out_dir=tmp_path, world_fingerprint="w", seed=7))
    assert result.metrics["source"] == "world" and result.metrics["kdt_courses"] == 0
    write_manifest(tmp_path, {"models": {co.MODEL_NAME: {"files": list(result.files)}}})
    model = co.load_course_outcome(tmp_path)
    assert model.source == "world"
    world = load_courses(engine)
    assert list(world.columns[: len(COURSE_FRAME_COLUMNS)]) == list(COURSE_FRAME_COLUMNS)
    assert (world.loc[world["online"], "region_code"] == "").all()
    predicted = model.predict(world)
    assert predicted.shape == (len(world),) and ((predicted >= 0) & (predicted <= 1)).all()


KDT_PATH = get_settings().shared_data_dir / co.KDT_FILE


@pytest.mark.skipif(not KDT_PATH.exists(), reason="the real KDT course file is not in ../shared/data")
def test_on_the_real_kdt_courses_the_model_beats_the_field_mean() -> None:
    result = co.kdt_benchmark(KDT_PATH.parents[1], seed=17)
    assert result["n_test"] > 500
    assert result["kdt_spearman"] > result["kdt_spearman_ncs_mean"] + 0.1
    assert result["kdt_mae"] < result["kdt_mae_ncs_mean"]
