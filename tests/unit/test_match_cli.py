"""``python -m app match``: the command-line contract of the matching recommender (columns, options,
exit codes, history exclusion, bad files) and its quality on a planted structure where the two
sides share no vocabulary (Korean keywords for candidates, opaque codes for jobs)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cli.match import main_match
from app.match.recommend import Side, recommend

ROOT = Path(__file__).resolve().parents[2]
CLUSTERS = 6
WORDS = [["지게차", "물류", "상하차", "창고", "운반"], ["요양", "돌봄", "간호", "어르신", "목욕"],
         ["회계", "세무", "장부", "결산", "엑셀"], ["조리", "주방", "한식", "위생", "칼질"],
         ["용접", "배관", "설비", "도면", "철골"], ["판매", "매장", "계산", "고객", "진열"]]


def _world(seed: int = 3, per_cluster: tuple[int, int] = (30, 12), apps: int = 6) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Candidates (Korean keywords) and jobs (code tokens) in clusters; each candidate applies to
    ``apps`` jobs of their own cluster, mostly the cluster's popular ones."""
    rng = np.random.default_rng(seed)
    cand_rows, job_rows, pairs = [], [], []
    for c in range(CLUSTERS):
        for n in range(per_cluster[1]):
            codes = rng.choice(20, 4, replace=False) + 100 * c
            job_rows.append({"id": f"J{c}{n:03d}", "text": ";".join(f"k{x}" for x in codes),
                             "occupation": f"직종{c}", "region": "서울" if n % 2 else "부산",
                             "career_months": str(12 * (n % 3)), "wage": str(2_500_000 + 100_000 * n)})
        weights = np.linspace(2.0, 0.5, per_cluster[1])
        weights /= weights.sum()
        for n in range(per_cluster[0]):
            cid = f"0{c}{n:03d}"  # leading zeros: ids are text, never numbers
            words = rng.choice(WORDS[c], 3, replace=False)
            cand_rows.append({"id": cid, "text": " ".join(words), "occupation": f"직종{c}",
                              "region": "서울" if n % 2 else "부산", "career_months": str(6 * (n % 5)),
                              "desired_wage": str(2_600_000), "certificates": ""})
            chosen = rng.choice(per_cluster[1], apps, replace=False, p=weights)
            pairs += [(cid, f"J{c}{j:03d}") for j in chosen]
    return pd.DataFrame(cand_rows), pd.DataFrame(job_rows), pd.DataFrame(pairs, columns=["candidate_id", "job_id"])


def _write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    cand, jobs, apps = _world()
    return {"candidates": _write(cand, tmp_path / "candidates.csv"), "jobs": _write(jobs, tmp_path / "jobs.csv"),
            "history": _write(apps, tmp_path / "applications.csv"), "output": tmp_path / "recs.csv"}


def _args(files: dict[str, Path], direction: str = "candidates", top: int = 5, history: bool = True) -> list[str]:
    argv = ["--candidates", str(files["candidates"]), "--jobs", str(files["jobs"]), "--for", direction,
            "--top", str(top), "--output", str(files["output"])]
    return argv + (["--history", str(files["history"])] if history else [])


def _recs(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"query_id": str, "item_id": str}, encoding="utf-8-sig")


def test_jobs_for_every_candidate_follow_the_contract(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main_match(_args(files, top=5)) == 0
    recs = _recs(files["output"])
    assert list(recs.columns) == ["query_id", "rank", "item_id", "score"]
    cand = pd.read_csv(files["candidates"], dtype=str)
    assert set(recs["query_id"]) == set(cand["id"])  # every query has items; "00000" keeps its zeros
    assert recs.groupby("query_id")["rank"].apply(list).map(lambda r: r == [1, 2, 3, 4, 5]).all()
    assert (recs.groupby("query_id")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()
    # never a pair of the history
    history = set(map(tuple, pd.read_csv(files["history"], dtype=str).to_numpy()))
    assert not {(q, i) for q, i in zip(recs["query_id"], recs["item_id"], strict=True)} & history
    out = capsys.readouterr().out
    assert "지원 이력으로 학습한 순위 모델" in out and "AI가 생성한 추천" in out


def test_candidates_for_every_job(files: dict[str, Path]) -> None:
    assert main_match(_args(files, direction="jobs", top=3)) == 0
    recs = _recs(files["output"])
    jobs = pd.read_csv(files["jobs"], dtype=str)
    assert set(recs["query_id"]) == set(jobs["id"])
    assert recs["item_id"].str.startswith("0").all()  # candidates, their ids as written
    assert recs.groupby("query_id").size().eq(3).all()
    history = set(map(tuple, pd.read_csv(files["history"], dtype=str)[["job_id", "candidate_id"]].to_numpy()))
    assert not {(q, i) for q, i in zip(recs["query_id"], recs["item_id"], strict=True)} & history


def test_without_history_the_text_and_columns_rank(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main_match(_args(files, history=False)) == 0
    recs = _recs(files["output"])
    cand = pd.read_csv(files["candidates"], dtype=str).set_index("id")
    jobs = pd.read_csv(files["jobs"], dtype=str).set_index("id")
    # no shared words, but the occupation column: the first job is of the candidate's occupation
    first = recs[recs["rank"] == 1]
    same = [cand.loc[q, "occupation"] == jobs.loc[i, "occupation"] for q, i in zip(first["query_id"], first["item_id"], strict=True)]
    assert np.mean(same) == 1.0
    assert "고정 가중 합산" in capsys.readouterr().out


def test_an_occupation_name_meets_its_keco_code() -> None:
    """Candidates give occupation names, jobs KECO codes: with no words or history in common, the
    job of the candidate's occupation still comes first."""
    from app.reference.tables import load_reference

    occupations = load_reference().occupations.head(3)
    codes, names = occupations["keco_code"].astype(str).tolist(), occupations["name"].astype(str).tolist()
    candidates = Side(ids=["a", "b", "c"], text=["가", "나", "다"], occupation=names)
    jobs = Side(ids=["x", "y", "z"], text=["k1", "k2", "k3"], occupation=list(reversed(codes)))
    table = recommend(candidates, jobs, None, direction="candidates", top=1).table
    assert dict(zip(table["query_id"], table["item_id"], strict=True)) == {"a": "z", "b": "y", "c": "x"}


def _recall(recs: pd.DataFrame, held: pd.DataFrame, query: str, item: str, k: int = 5) -> float:
    truth = held.groupby(query)[item].apply(set)
    top = recs[recs["rank"] <= k].groupby("query_id")["item_id"].apply(set)
    return float(np.mean([len(top.get(q, set()) & t) / min(k, len(t)) for q, t in truth.items()]))


@pytest.mark.parametrize(("direction", "floor"), [("candidates", 0.5), ("jobs", 0.15)])
def test_held_out_applications_are_found_across_vocabularies(direction: str, floor: float) -> None:
    """One application of each candidate held out: the ranker finds them far better than popularity,
    though candidates write Korean words and jobs are code tokens. (For a job, which of its
    cluster's ~26 remaining candidates apply is chance: about 5/26 = 0.19 is the most any method
    finds, hence the lower floor.)"""
    cand, jobs, apps = _world(seed=11, per_cluster=(40, 15), apps=6)
    held_mask = apps.groupby("candidate_id").cumcount() < 1
    held, kept = apps[held_mask], apps[~held_mask]
    to_side = lambda f, wage: Side(ids=f["id"].tolist(), text=f["text"].tolist(), occupation=f["occupation"].tolist(),  # noqa: E731
                                   region=f["region"].tolist(), career_months=f["career_months"].astype(float).to_numpy(),
                                   wage=f[wage].astype(float).to_numpy())
    result = recommend(to_side(cand, "desired_wage"), to_side(jobs, "wage"), kept, direction=direction, top=5)
    assert result.learned
    query, item = ("candidate_id", "job_id") if direction == "candidates" else ("job_id", "candidate_id")
    recall = _recall(result.table, held, query, item)
    popular = kept[item].value_counts().index[:5]
    pop_recall = float(np.mean([len(set(popular) & t) / min(5, len(t)) for t in held.groupby(query)[item].apply(set)]))
    assert recall >= floor and recall >= 3 * pop_recall, (recall, pop_recall)


# --------------------------------------------------------------------------- bad input


def _bad(files: dict[str, Path], capsys: pytest.CaptureFixture[str], argv: list[str] | None = None) -> str:
    assert main_match(argv or _args(files)) == 2
    assert not files["output"].exists()
    return capsys.readouterr().err


def test_a_repeated_or_empty_id_is_reported_by_line(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(files["candidates"].open(encoding="utf-8")))
    rows[3][0] = rows[2][0]
    rows[5][0] = ""
    with files["candidates"].open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    err = _bad(files, capsys)
    assert "candidates 4행: [id] 3행과 같은 id입니다" in err
    assert "candidates 6행: [id] 값이 비어 있습니다" in err
    assert "출력 파일을 만들지 않았습니다" in err


def test_numbers_that_are_not_are_reported(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    jobs = pd.read_csv(files["jobs"], dtype=str)
    jobs.loc[0, "wage"] = "많이"
    jobs.loc[1, "career_months"] = "-3"
    _write(jobs, files["jobs"])
    err = _bad(files, capsys)
    assert "jobs 2행: [wage] 0 이상의 월 임금(원)이어야 합니다" in err
    assert "jobs 3행: [career_months] 0~840 사이의 개월 수여야 합니다" in err


def test_a_missing_column_names_its_file(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _write(pd.read_csv(files["jobs"], dtype=str).drop(columns=["text"]), files["jobs"])
    err = _bad(files, capsys)
    assert err.startswith("jobs: ") and "text" in err


def test_a_bad_history_line_is_reported(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    apps = pd.read_csv(files["history"], dtype=str)
    apps.loc[2, "job_id"] = None
    _write(apps, files["history"])
    err = _bad(files, capsys)
    assert "applications 4행: [job_id] 값이 비어 있습니다" in err


def test_history_of_unknown_ids_is_skipped_with_a_note(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    apps = pd.read_csv(files["history"], dtype=str)
    apps.loc[len(apps)] = ["없는후보", "J0000"]
    _write(apps, files["history"])
    assert main_match(_args(files)) == 0
    assert "파일에 없는 id의 지원 1건은 건너뛰었습니다" in capsys.readouterr().out


@pytest.mark.parametrize("case", ["missing_file", "no_folder", "top_zero", "top_text", "bad_direction"])
def test_file_and_option_problems_exit_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str], case: str) -> None:
    argv = _args(files)
    if case == "missing_file":
        argv[argv.index("--jobs") + 1] = str(files["jobs"].parent / "없음.csv")
    elif case == "no_folder":
        files["output"] = files["output"].parent / "없는폴더" / "recs.csv"
        argv[argv.index("--output") + 1] = str(files["output"])
    elif case == "top_zero":
        argv[argv.index("--top") + 1] = "0"
    elif case == "top_text":
        argv[argv.index("--top") + 1] = "다섯"
    else:
        argv[argv.index("--for") + 1] = "employers"
    assert main_match(argv) == 2
    assert not files["output"].exists()


def test_python_dash_m_app_match(files: dict[str, Path]) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "match", *_args(files, top=2)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert len(_recs(files["output"])) == 2 * len(pd.read_csv(files["candidates"]))
