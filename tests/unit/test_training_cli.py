"""``python -m app training recommend``: both files checked in full (line-numbered Korean errors,
exit 2, no output, no model needed), canonical frames handed to the recommender, the output's
columns and reasons cell, a missing model (exit 1). The recommender is a stand-in here: the
end-to-end run with the built model is tested with it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from app.cli import main
from app.cli import training as cli
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.courses import COURSE_FRAME_COLUMNS, SEEKER_FRAME_COLUMNS
from app.services import audit

SEEKERS = """id,desired_occupation,region,age,education,career_months,certificates,text
007,소프트웨어 개발자,서울 관악구,29,대졸,18,정보처리기사;SQLD,"자바 프로그래밍, 연락처 010-1234-5678"
S-2,1331,11,,,,,
S-3,간호사,부산광역시,41,전문대졸,120,,환자 간호
"""
COURSES = """id,title,ncs_code,region,online,hours,fee,start_date,text,employment_rate_6m,completion_rate,skills,keco_code
C1,자바 개발자 양성,20010202,서울,0,600,0,2025-03-04,객체지향 프로그래밍 실무,76%,0.9,자바;스프링,
C2,원격 회계 실무,202,,원격,80,"300,000",2025-04-01,회계 원리,0.55,0.8,,027
C3,간호조무사 과정,0601,부산 해운대구,N,740,1200000,,간호 실무,,,,
"""


class FakeRecommender:
    """Stand-in for the training recommender: every seeker gets the courses in id order."""

    version = "test-1"

    def __init__(self) -> None:
        self.calls: list[tuple[pd.DataFrame, pd.DataFrame, int]] = []

    def recommend(self, seekers: pd.DataFrame, courses: pd.DataFrame, *, top: int) -> pd.DataFrame:
        self.calls.append((seekers, courses, top))
        rows = []
        for seeker in seekers["seeker_id"]:
            for rank, course in enumerate(sorted(courses["course_id"])[:top], start=1):
                reasons: Any = ["부족한 역량 2개(객체, 응용)를 배웁니다", "희망 직업과 가깝습니다"] if rank == 1 else "비슷한 구직자의 취업률이 높습니다"
                rows.append({"seeker_id": seeker, "rank": rank, "course_id": course, "score": 0.05 / rank + 1e-9,
                             "reasons": reasons, "uplift": 0.05, "similarity": 0.3})
        return pd.DataFrame(rows)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeRecommender:
    recommender = FakeRecommender()
    monkeypatch.setattr(cli, "load_recommender", lambda models_dir: recommender)
    return recommender


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad files are refused before any model is looked for."""

    def refuse(models_dir: Path) -> None:
        raise AssertionError("the model was loaded for a bad file")

    monkeypatch.setattr(cli, "load_recommender", refuse)


def _files(tmp_path: Path, seekers: str = SEEKERS, courses: str = COURSES) -> dict[str, Path]:
    (tmp_path / "seekers.csv").write_text(seekers, encoding="utf-8")
    (tmp_path / "courses.csv").write_text(courses, encoding="utf-8")
    return {"seekers": tmp_path / "seekers.csv", "courses": tmp_path / "courses.csv", "output": tmp_path / "recs.csv"}


def _run(files: dict[str, Path], *extra: str) -> int:
    return cli.main_training(["recommend", "--seekers", str(files["seekers"]), "--courses", str(files["courses"]),
                              "--output", str(files["output"]), *extra])


def test_recommendations_follow_the_contract(tmp_path: Path, fake: FakeRecommender, capsys) -> None:
    files = _files(tmp_path)
    assert _run(files, "--top", "2") == 0
    recs = pd.read_csv(files["output"], dtype={"seeker_id": str, "course_id": str}, encoding="utf-8-sig")
    assert tuple(recs.columns) == ("seeker_id", "rank", "course_id", "score", "reasons")
    assert recs["seeker_id"].tolist() == ["007", "007", "S-2", "S-2", "S-3", "S-3"]  # ids as written
    assert recs["rank"].tolist() == [1, 2] * 3 and recs["course_id"].tolist() == ["C1", "C2"] * 3
    assert recs["score"].tolist() == pytest.approx([0.05, 0.025] * 3)
    assert recs["reasons"][0] == "부족한 역량 2개(객체, 응용)를 배웁니다 · 희망 직업과 가깝습니다"
    assert recs["reasons"][1] == "비슷한 구직자의 취업률이 높습니다"
    out = capsys.readouterr().out
    assert "구직자 3명 × 과정 3개 중 상위 2개" in out and "모델 test-1" in out and "AI가 생성한 추천입니다" in out
    assert fake.calls[0][2] == 2


def test_the_recommender_gets_canonical_masked_frames(tmp_path: Path, fake: FakeRecommender) -> None:
    assert _run(_files(tmp_path)) == 0
    seekers, courses, top = fake.calls[0]
    assert top == cli.DEFAULT_TOP
    assert tuple(seekers.columns) == SEEKER_FRAME_COLUMNS
    assert seekers["desired_keco"].tolist() == ["133", "133", "304"]
    assert seekers["region_code"].tolist() == ["11", "11", "26"]
    assert seekers["career_years"].tolist()[0] == 1.5 and np.isnan(seekers["career_years"][1])
    assert np.isnan(seekers["age"][1]) and seekers["education"].tolist() == ["대졸", "", "전문대졸"]
    assert seekers["certificates"][0] == "정보처리기사;SQLD"
    assert "010-1234-5678" not in seekers["skills_text"][0] and "자바 프로그래밍" in seekers["skills_text"][0]
    assert seekers["benefit_status"].tolist() == [0.0, 0.0, 0.0]
    assert tuple(courses.columns[: len(COURSE_FRAME_COLUMNS)]) == COURSE_FRAME_COLUMNS
    assert courses["online"].tolist() == [False, True, False]
    assert courses["region_code"].tolist() == ["11", "", "26"]
    assert courses["ncs_code"].tolist() == ["20010202", "0202", "0601"]  # 202: the spreadsheet's lost zero
    assert courses["fee"].tolist() == [0.0, 300_000.0, 1_200_000.0]
    assert courses["employment_rate_6m"].tolist()[:2] == pytest.approx([0.76, 0.55])
    assert courses["completion_rate"].tolist()[:2] == pytest.approx([0.9, 0.8]) and np.isnan(courses["completion_rate"][2])
    assert courses["keco_code"].tolist() == ["", "027", ""]
    assert str(courses["start_date"].dtype) == "datetime64[ns]" and pd.isna(courses["start_date"][2])
    assert courses["text"][0] == "자바 개발자 양성 객체지향 프로그래밍 실무 자바 스프링"
    assert courses["skills"][0] == "자바;스프링"


def test_bad_seekers_are_listed_by_line_and_nothing_is_written(tmp_path: Path, no_model: None, capsys) -> None:
    seekers = """id,desired_occupation,region,age,education,career_months,certificates,text
a,소프트웨어 개발자,서울,29,대졸,18,,
a,없는직업명이라네,화성시청앞,열,박사과정,-3,,
,,,9,,,,
d,133,11,20,,120,,
e,133,11,010-9876-5432,,,,
"""
    files = _files(tmp_path, seekers=seekers)
    assert _run(files) == 2
    err = capsys.readouterr().err
    for expected in ("seekers.csv 3행: [id] 2행과 같은 id입니다",
                     "seekers.csv 3행: [desired_occupation] 직업을 찾을 수 없습니다",
                     "seekers.csv 3행: [region] 시·도를 알 수 없습니다",
                     "seekers.csv 3행: [age] 15~90 사이의 정수여야 합니다",
                     "seekers.csv 3행: [education] 학력은 중졸이하, 고졸, 전문대졸, 대졸, 석사 중 하나여야 합니다",
                     "seekers.csv 3행: [career_months] 0~1,080 사이의 숫자여야 합니다",
                     "seekers.csv 4행: [id] 값이 비어 있습니다",
                     "seekers.csv 4행: [desired_occupation] 값이 비어 있습니다",
                     "seekers.csv 4행: [age] 15~90",
                     "seekers.csv 6행: [age]", "출력 파일을 만들지 않았습니다"):
        assert expected in err, expected
    assert "9876-5432" not in err  # personal data is never quoted
    assert "seekers.csv 5행" not in err  # a career longer than the years since 15 is counted as those years
    assert not files["output"].exists()


def test_bad_courses_are_listed_by_line(tmp_path: Path, no_model: None, capsys) -> None:
    courses = """id,title,ncs_code,region,online,hours,fee,start_date,text,employment_rate_6m,satisfaction,keco_code
C1,자바,20,서울,1,100,0,2025-02-30,,,,
C1,회계,ab,,0,-5,싸다,2025/03/01,,120,101,없는직업명이라네
C3,,99,서울,아마도,10,0,,,,,
C4,조리,13,,,10,0,2025-01-01,,,,
"""
    files = _files(tmp_path, courses=courses)
    assert _run(files) == 2
    err = capsys.readouterr().err
    for expected in ("courses.csv 2행: [start_date] YYYY-MM-DD 형식의 날짜여야 합니다 (입력값: 2025-02-30)",
                     "courses.csv 3행: [id] 2행과 같은 id입니다",
                     "courses.csv 3행: [ncs_code] NCS 코드는 숫자 2~10자리여야 합니다",
                     "courses.csv 3행: [region] 값이 비어 있습니다",  # an offline course needs its region
                     "courses.csv 3행: [hours] 1~10,000 사이의 숫자여야 합니다",
                     "courses.csv 3행: [fee] 0~100,000,000",
                     "courses.csv 3행: [start_date] YYYY-MM-DD",
                     "courses.csv 3행: [employment_rate_6m] 0~1 비율, 0~100 또는 '76%' 형식이어야 합니다",
                     "courses.csv 3행: [satisfaction] 0~100",
                     "courses.csv 3행: [keco_code] 직업을 찾을 수 없습니다",
                     "courses.csv 4행: [title] 값이 비어 있습니다",
                     "courses.csv 4행: [ncs_code] NCS 대분류(앞 두 자리)는 01~24여야 합니다",
                     "courses.csv 4행: [online] 1/0, true/false, Y/N, 원격/집체 중 하나여야 합니다",
                     "courses.csv 5행: [online] 값이 비어 있습니다"):
        assert expected in err, expected
    assert "seekers.csv" not in err.replace("(", "").split("출력 파일")[0]  # the seekers file was fine
    assert not files["output"].exists()


def test_mixed_rate_scales_are_refused(tmp_path: Path, no_model: None, capsys) -> None:
    courses = COURSES.replace("76%,0.9", "76%,90")
    files = _files(tmp_path, courses=courses)
    assert _run(files) == 2
    assert "courses.csv 3행: [completion_rate] 이 열은 0~100(%) 값인데 0~1 비율(0.8)이 섞여 있습니다" in capsys.readouterr().err


@pytest.mark.parametrize(("which", "text", "message"), [
    ("seekers", "id,desired_occupation,region,age,education,career_months,certificates\nS,133,11,30,고졸,0,\n",
     "seekers.csv 1행: 필수 열이 없습니다: text"),
    ("courses", "id,title\nC1,자바\n", "courses.csv 1행: 필수 열이 없습니다: ncs_code"),
    ("courses", COURSES.splitlines()[0] + "\n", "courses.csv: 데이터 행이 없습니다"),
    ("seekers", "", "seekers.csv: 파일이 비어 있습니다"),
])
def test_file_level_problems_name_the_file(tmp_path: Path, no_model: None, capsys, which: str, text: str,
                                           message: str) -> None:
    files = _files(tmp_path, **{which: text})
    assert _run(files) == 2
    err = capsys.readouterr().err
    assert message in err and not files["output"].exists()


def test_missing_model_exits_1(tmp_path: Path, capsys) -> None:
    files = _files(tmp_path)
    (tmp_path / "models").mkdir()
    assert _run(files, "--models-dir", str(tmp_path / "models")) == 1
    assert "python -m app build" in capsys.readouterr().err and not files["output"].exists()


@pytest.mark.parametrize("top", ["0", "101", "열"])
def test_top_outside_1_to_100_is_a_usage_error(tmp_path: Path, no_model: None, capsys, top: str) -> None:
    files = _files(tmp_path)
    assert _run(files, "--top", top) == 2
    assert "--top" in capsys.readouterr().err and not files["output"].exists()


def test_the_command_is_reached_from_python_m_app(tmp_path: Path, fake: FakeRecommender) -> None:
    files = _files(tmp_path)
    assert main(["training", "recommend", "--seekers", str(files["seekers"]), "--courses", str(files["courses"]),
                 "--top", "1", "--output", str(files["output"])]) == 0
    assert len(pd.read_csv(files["output"], encoding="utf-8-sig")) == 3


@pytest.mark.parametrize(("text", "code"), [("서울", "11"), ("서울특별시", "11"), ("서울 관악구", "11"), ("11", "11"),
                                            ("서울시", "11"), ("강원도 춘천시", "51"), ("전라북도", "45"), ("42", "51"),
                                            ("수원시", "41"), ("경기 광주시", "41")])
def test_regions_as_people_write_them(text: str, code: str) -> None:
    assert cli.region_code_of(text, cli.load_reference()) == code


@pytest.mark.parametrize("text", ["중구", "어딘가", "서울의 어딘가", "99"])
def test_unknown_or_ambiguous_regions_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="시·도를 알 수 없습니다"):
        cli.region_code_of(text, cli.load_reference())


def test_runs_are_recorded_without_content(tmp_path: Path, fake: FakeRecommender) -> None:
    files = _files(tmp_path)
    assert _run(files, "--top", "2") == 0
    (tmp_path / "bad").mkdir()
    bad = _files(tmp_path / "bad", seekers=SEEKERS.replace(",29,", ",열,"))
    assert _run(bad) == 2
    engine = make_engine(get_settings().db_url)
    try:
        runs = audit.load_audit_log(engine, 100, command_runs=True).to_dict("records")
    finally:
        engine.dispose()
    mine = [r for r in runs if r["output"]["output_path"] in {str(files["output"]), str(bad["output"])}]
    good = next(r for r in mine if r["output"]["exit_code"] == 0)
    failed = next(r for r in mine if r["output"]["exit_code"] == 2)
    assert good["action"] == "cli.training_recommend" and good["model_version"] == "test-1"
    assert good["input_hash"] == hashlib.sha256(files["seekers"].read_bytes()).hexdigest()
    assert (good["output"]["rows_in"], good["output"]["rows_out"]) == (6, 6)
    assert failed["output"]["errors"] == 1 and failed["output"]["rows_out"] == 0
    assert "010-1234-5678" not in str(mine) and "자바" not in str(mine)


def test_end_to_end_with_the_built_recommender(hiring_built: tuple[str, Path], tmp_path: Path) -> None:
    """The real recommender built on the small world ranks each seeker's own-field course first."""
    _, models = hiring_built
    files = _files(tmp_path)
    assert _run(files, "--models-dir", str(models), "--top", "3") == 0
    out = pd.read_csv(files["output"], dtype={"seeker_id": str, "course_id": str}, encoding="utf-8-sig")
    assert list(out.columns) == ["seeker_id", "rank", "course_id", "score", "reasons"]
    # only courses expected to help: an unrelated course costs search time, so a seeker may get fewer
    for _, rows in out.groupby("seeker_id"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        assert rows["score"].is_monotonic_decreasing and (rows["score"] > 0).all()
    first = out[out["rank"] == 1].set_index("seeker_id")["course_id"].to_dict()
    assert first["007"] == "C1"  # the Java course for the software developer
    assert first.get("S-3") in (None, "C3")  # the nurse: the nursing-aid course or none
    assert out["reasons"].str.contains("예상 취업률").all()
    assert not out["reasons"].str.contains("010-1234").any()
