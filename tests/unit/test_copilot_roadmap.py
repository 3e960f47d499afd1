"""경력 로드맵 (app.copilot.roadmap): the occupation graph, its paths, the task's data and statements,
the observed-moves repository, and the faithfulness check of model-written roadmaps."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from app.copilot.context import SeekerContext
from app.copilot.generation import leaked_pii, run_task
from app.copilot.grounding import check_statements
from app.copilot.roadmap import (
    NEIGHBOURS,
    PRIOR_STRENGTH,
    OccupationGraph,
    hierarchy_bonus,
    occupation_requirements,
    roadmap_task,
    skill_similarity,
    statements_by_path,
)
from app.db.engine import make_engine
from app.db.repositories.occupation_transitions import TRANSITION_COLUMNS, load_occupation_transitions
from app.reference.tables import load_reference
from tests.unit.copilot_helpers import chat_answering, full_vocabulary, world_contexts

REF = load_reference()
VOCABULARY = full_vocabulary(REF)
RESUME = """[이력서]

[경력 사항]
2019-03 ~ 2025-12  한빛상사  대리
   - 재무제표 작성과 원가 계산
   - 거래처 청구서 발행

[보유 역량]
회계, 재무제표, 기획
"""


def _context(**changes: object) -> SeekerContext:
    base: dict[str, object] = dict(
        seeker_id=1, age=34, education="전문대졸", career_years=5.0, desired_keco="026",
        desired_occupation="경영지원 사무원", desired_wage=3_000_000, desired_region="서울",
        registered_on=dt.date(2026, 1, 5), as_of=dt.date(2026, 3, 1), last_keco="027",
        last_occupation="회계·경리 사무원", skills=("회계", "재무제표", "기획"), certificates=("전산회계운용사",),
        resume=RESUME)
    base.update(changes)
    return SeekerContext(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def graph() -> OccupationGraph:
    return OccupationGraph.build(REF)


def _farthest(graph: OccupationGraph, code: str) -> str:
    """The occupation least like ``code`` (no edge between them)."""
    return graph.ranking(code)[-1]


def _assert_clean_texts(task) -> None:
    """No source key, no internal field name and no leading-zero occupation code in a statement."""
    codes = {c for p in task.data["paths"] for c in p["codes"] if c.startswith("0")}
    for statement in task.offline:
        assert not re.search(r"(derived|table|record)\.|keco|_", statement.text), statement.text
        assert not any(re.search(rf"(?<!\d){c}(?!\d)", statement.text) for c in codes), statement.text


# --------------------------------------------------------------------------- the graph


def test_skill_similarity_weights_rare_items_more_than_common_ones() -> None:
    # A and B share a skill two occupations have; A and C share a knowledge area three have
    occupations = pd.DataFrame({
        "skills": ["x;a1", "x;b1", "c1;c2", "d1"], "knowledge": ["k", "m", "k", "k"],
        "certificates": ["", "", "", ""]})
    similarity = skill_similarity(SimpleNamespace(occupations=occupations))  # type: ignore[arg-type]
    idf = {n: math.log(4 / n) for n in (1, 2, 3)}
    norm_a = math.sqrt(idf[2] ** 2 + idf[1] ** 2 + idf[3] ** 2)
    norm_b = math.sqrt(idf[2] ** 2 + idf[1] ** 2 + idf[1] ** 2)
    norm_c = math.sqrt(2 * idf[1] ** 2 + idf[3] ** 2)
    assert similarity[0, 1] == pytest.approx(idf[2] ** 2 / (norm_a * norm_b))
    assert similarity[0, 2] == pytest.approx(idf[3] ** 2 / (norm_a * norm_c))
    assert similarity[0, 1] > 5 * similarity[0, 2]
    assert np.allclose(similarity, similarity.T) and np.all(np.diag(similarity) == 0)


def test_hierarchy_bonus_by_middle_and_major_group() -> None:
    bonus = hierarchy_bonus(REF, 0.3, 0.1)
    occ = REF.occupations.reset_index(drop=True)
    i = occ.index[occ["keco_code"] == "026"][0]
    for j, row in occ.iterrows():
        expected = 0.0 if i == j else 0.3 if row["middle_code"] == occ.at[i, "middle_code"] else (
            0.1 if row["major_code"] == occ.at[i, "major_code"] else 0.0)
        assert bonus[i, j] == expected


def test_edge_set_is_symmetric_but_weights_are_directed(graph: OccupationGraph) -> None:
    edges = list(graph.graph.edges)
    assert len(graph.graph) == len(REF.occupations) == 139
    assert all(graph.graph.has_edge(b, a) for a, b in edges)
    assert all(graph.graph.out_degree(c) >= NEIGHBOURS for c in graph.codes)
    directed = [abs(graph.graph.edges[a, b]["probability"] - graph.graph.edges[b, a]["probability"]) > 1e-9
                for a, b in edges]
    assert sum(directed) > 0.9 * len(edges)
    for a, b in edges[:50]:
        assert graph.graph.edges[a, b]["cost"] == pytest.approx(-math.log(graph.probability[graph.index(a),
                                                                                            graph.index(b)]))
    assert np.allclose(graph.probability.sum(axis=1), 1.0)


@pytest.mark.parametrize("desired", ["026", "304", "133", "531"])
def test_direct_path_first_when_last_is_a_neighbour_of_the_desired(graph: OccupationGraph, desired: str) -> None:
    for last in graph.neighbours(desired)[:3]:
        paths = graph.paths(last, desired)
        assert paths[0] == (last, desired)


def test_no_direct_path_between_unrelated_occupations(graph: OccupationGraph) -> None:
    far = _farthest(graph, "531")
    assert not graph.graph.has_edge("531", far)
    paths = graph.paths("531", far)
    assert paths and all(len(p) >= 3 for p in paths)


def _observed_far_move(wishes: int, hires: int) -> tuple[OccupationGraph, OccupationGraph, str, str]:
    """(graph without observed moves, graph with ``wishes`` + ``hires`` moves 027 → its farthest
    occupation, 027, that occupation)."""
    base = OccupationGraph.build(REF)
    a = "027"
    b = _farthest(base, a)
    moves = pd.DataFrame({"from_keco": [a], "to_keco": [b], "n": [wishes + hires], "n_desired": [wishes],
                          "n_hired": [hires]})
    return base, OccupationGraph.build(REF, moves), a, b


def test_observed_transitions_raise_an_edges_weight() -> None:
    base, observed, a, b = _observed_far_move(20, 10)
    i, j = base.index(a), base.index(b)
    expected = (30 + PRIOR_STRENGTH * base.prior[i, j]) / (30 + PRIOR_STRENGTH)
    assert observed.probability[i, j] == pytest.approx(expected)
    assert observed.probability[i, j] > 100 * base.probability[i, j]
    assert not base.graph.has_edge(a, b) and observed.graph.has_edge(a, b)
    others = [k for k in range(len(base.codes)) if k != i]
    assert np.allclose(observed.probability[others], base.probability[others])
    evidence = observed.evidence(a, b)
    assert (evidence.observed, evidence.observed_desired, evidence.observed_hired) == (30, 20, 10)


def test_a_seekers_own_wish_is_not_evidence_for_itself() -> None:
    base, graph, a, b = _observed_far_move(1, 0)
    assert graph.paths(a, b)[0] == (a, b)
    without = graph.excluding_wish(a, b)
    assert not without.graph.has_edge(a, b)
    assert np.allclose(without.probability, base.probability)
    assert graph.excluding_wish(b, a) is graph
    context = _context(last_keco=a, last_occupation=graph.name(a), desired_keco=b, desired_occupation=graph.name(b))
    kinds = [p["kind"] for p in roadmap_task(context, graph).data["paths"]]
    assert "direct" not in kinds
    kinds = [p["kind"] for p in roadmap_task(context, graph, counts_include_seeker=False).data["paths"]]
    assert kinds[0] == "direct"


@pytest.mark.parametrize(("start", "target"), [("027", "026"), ("531", "304"), ("133", "134"), ("304", "027")])
def test_two_or_three_distinct_diverse_paths(graph: OccupationGraph, start: str, target: str) -> None:
    paths = graph.paths(start, target)
    assert 2 <= len(paths) <= 3
    assert len(set(paths)) == len(paths)
    for path in paths:
        assert path[0] == start and path[-1] == target and len(set(path)) == len(path)
        assert len(path) - 2 <= 3
        assert all(graph.graph.has_edge(x, y) for x, y in zip(path, path[1:], strict=False))
    middles = [set(p[1:-1]) for p in paths]
    for x in range(len(middles)):
        for y in range(x + 1, len(middles)):
            union = middles[x] | middles[y]
            assert not union or len(middles[x] & middles[y]) / len(union) < 0.5


def test_entry_paths_start_with_the_desired_occupation(graph: OccupationGraph) -> None:
    paths = graph.paths(None, "304", entry_weights={"305": 0.6, "306": 0.4})
    assert paths[0] == ("304",)
    assert 2 <= len(paths) <= 3 and all(p[-1] == "304" for p in paths)


# --------------------------------------------------------------------------- the task


def test_transition_roadmap_data_sources_and_statements(graph: OccupationGraph) -> None:
    context = _context()
    task = roadmap_task(context, graph, market_wages={"026": 3_100_000}, demand={"026": 0.42},
                        open_courses={"026": 4})
    assert (task.name, task.title) == ("roadmap", "경력 로드맵")
    assert set(task.kinds) == {"path", "step", "caution"}
    data = task.data
    assert data["mode"] == "transition" and data["origin"]["keco_code"] == "027"
    json.dumps(data, ensure_ascii=False)
    paths = data["paths"]
    assert 2 <= len(paths) <= 3
    assert paths[0]["kind"] == "direct" and paths[0]["route"] == ["회계·경리 사무원", "경영지원 사무원"]
    keys = {s.key for s in task.sources}
    requirements = occupation_requirements(REF)
    for number, path in enumerate(paths, start=1):
        assert path["number"] == number and path["codes"][0] == "027" and path["codes"][-1] == "026"
        assert f"derived.path.{number}" in keys
        assert next(s for s in task.sources if s.key == f"derived.path.{number}").label == f"경로 {number} 계산"
        assert all(f"table.occupation.{c}" in keys for c in path["codes"])
        known = set(requirements["027"])
        for step in path["steps"]:
            assert set(step) >= {"keco_code", "name", "wage_median", "market_wage", "demand", "skills_to_gain",
                                 "certificates", "open_courses", "transition"}
            assert not set(step["skills_to_gain"]) & known
            assert "기획" not in step["skills_to_gain"]  # the seeker lists it
            row = REF.occupations.set_index("keco_code").loc[step["keco_code"]]
            assert step["wage_median"] == int(row["wage_median"])
            assert step["certificates"] == [c for c in row["certificates"].split(";") if c]
            assert 0 <= step["transition"]["overlap_pct"] <= 100
            known |= set(requirements[step["keco_code"]])
    last = paths[0]["steps"][-1]
    assert (last["market_wage"], last["demand"], last["open_courses"]) == (3_100_000, 0.42, 4)
    step_text = next(s.text for s in task.offline if s.kind == "step" and "derived.path.1" in s.sources)
    assert "중위 임금은 월 335만원(구인공고 기준 월 310만원)" in step_text
    assert "구직자 1명당 구인공고 0.4건" in step_text and "열린 훈련 과정 4개" in step_text
    path_source = next(s for s in task.sources if s.key == "derived.path.1").text
    assert "구인공고 기준 시장임금 월 310만원" in path_source and "출발 직종 회계·경리 사무원: 중위 임금 월 276만원" in path_source
    assert any("수요가 적어" in s.text and "경영지원 사무원(구직자 1명당 구인공고 0.4건)" in s.text
               for s in task.offline if s.kind == "caution")
    assert all(s.sources and set(s.sources) <= keys for s in task.offline)
    _assert_clean_texts(task)
    result = check_statements(task.offline, task.sources, VOCABULARY)
    assert result.failed == 0 and result.claims > 0


def test_demand_as_open_postings_and_no_open_courses(graph: OccupationGraph) -> None:
    task = roadmap_task(_context(), graph, demand={"026": 120}, open_courses={"026": 0}, demand_unit="count")
    text = next(s.text for s in task.offline if s.kind == "step" and "derived.path.1" in s.sources)
    assert "열린 구인공고 120건" in text and "지금 열린 훈련 과정은 없습니다" in text
    assert not any("수요가 적어" in s.text for s in task.offline)
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


def test_distant_move_explains_the_missing_direct_path(graph: OccupationGraph) -> None:
    far = _farthest(graph, "531")
    context = _context(last_keco="531", last_occupation=graph.name("531"), desired_keco=far,
                       desired_occupation=graph.name(far), skills=("조리",), certificates=())
    task = roadmap_task(context, graph)
    assert all(p["kind"] == "via" for p in task.data["paths"])
    caution = next(s for s in task.offline if "derived.direct" in s.sources)
    assert "바로 옮기는 경로는" in caution.text and caution.kind == "caution"
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


def test_entry_without_a_last_occupation(graph: OccupationGraph) -> None:
    context = _context(last_keco=None, last_occupation="", career_years=0.0, desired_keco="304",
                       desired_occupation="간호사", education="고졸", skills=("간호", "환자", "건강"),
                       certificates=("간호조무사",), resume="")
    task = roadmap_task(context, graph)
    paths = task.data["paths"]
    assert task.data["mode"] == "entry" and task.data["origin"] is None
    assert paths[0]["kind"] == "entry" and paths[0]["route"] == ["간호사"]
    assert 2 <= len(paths) <= 3 and all(p["kind"] == "entry_via" for p in paths[1:])
    first = paths[0]["steps"][0]
    # 간호사 requires 15 distinct items (의료 is a skill and a knowledge area); the seeker shows 3
    assert len(occupation_requirements(REF)["304"]) == 15
    assert first["transition"]["fit_pct"] == round(100 * 3 / 15)
    assert not {"간호", "환자", "건강"} & set(first["skills_to_gain"])
    assert any("간호사(대졸)" in s.text for s in task.offline if s.kind == "caution")
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0
    _assert_clean_texts(task)


def test_same_occupation_gets_reentry_and_two_alternatives(graph: OccupationGraph) -> None:
    context = _context(last_keco="531", last_occupation="주방장 및 조리사", desired_keco="531",
                       desired_occupation="주방장 및 조리사", skills=("조리", "요리"), certificates=("양식조리기능사",),
                       desired_wage=4_000_000)
    task = roadmap_task(context, graph)
    paths = task.data["paths"]
    assert [p["kind"] for p in paths] == ["same", "alternative", "alternative"]
    assert [p["codes"][-1] for p in paths[1:]] == list(graph.neighbours("531")[:2])
    assert "양식조리기능사" in paths[0]["steps"][0]["certificates_held"]
    wish = next(s for s in task.offline if "record.desired_wage" in s.sources)
    assert "희망 임금 월 400만원" in wish.text and "월 292만원" in wish.text
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


@pytest.mark.parametrize("changes", [
    {}, {"desired_keco": "133", "desired_occupation": "소프트웨어 개발자", "education": "대졸"},
    {"last_keco": "531", "last_occupation": "주방장 및 조리사", "education": "중졸이하", "major": "조리과학"},
    {"last_keco": None, "last_occupation": "", "skills": (), "certificates": (), "resume": ""},
    {"desired_keco": "011", "desired_occupation": "의회의원·고위공무원 및 기업 고위임원", "desired_wage": 9_000_000},
])
def test_offline_statements_of_hand_built_contexts_pass_the_check(graph: OccupationGraph,
                                                                  changes: dict[str, object]) -> None:
    task = roadmap_task(_context(**changes), graph, market_wages={c: 2_900_000 for c in graph.codes[::3]},
                        demand={c: 0.3 + (i % 7) / 5 for i, c in enumerate(graph.codes)},
                        open_courses={c: i % 3 for i, c in enumerate(graph.codes)})
    result = check_statements(task.offline, task.sources, VOCABULARY)
    assert result.failed == 0, [s.removed for s in result.statements if s.removed]
    assert 2 <= len(task.data["paths"]) <= 3
    _assert_clean_texts(task)


# --------------------------------------------------------------------------- a model's roadmap


def test_invented_wage_and_certificate_are_removed(graph: OccupationGraph) -> None:
    task = roadmap_task(_context(), graph)
    faithful = next(s for s in task.offline if s.kind == "path")
    chat = chat_answering(task, faithful, [
        ("step", "경로 1을 마치면 월 987만원을 받을 수 있습니다.", "derived.path.1"),
        ("caution", "경로 1에는 드론정비기사 자격증이 꼭 필요합니다.", "derived.path.1"),
    ])
    output = run_task(task, chat, VOCABULARY)
    assert output.backend == "시험용 모델" and not output.fell_back
    assert leaked_pii(chat.messages) == 0
    assert [s.text for s in output.shown] == [faithful.text]
    assert output.removed == 2
    reasons = [s.removed for s in output.statements if s.removed]
    assert "금액 987만원" in reasons[0] and "자격증 드론정비기사" in reasons[1]
    assert statements_by_path(output) == {1: (output.shown[0],)}
    assert output.data["paths"] == task.data["paths"]


# --------------------------------------------------------------------------- the world


def test_transitions_repository_counts_observed_moves(world_db: Path) -> None:
    engine = make_engine(f"sqlite:///{world_db}")
    frame = load_occupation_transitions(engine)
    engine.dispose()
    assert tuple(frame.columns) == TRANSITION_COLUMNS
    with sqlite3.connect(f"file:{world_db}?mode=ro", uri=True) as conn:
        wishes = conn.execute("SELECT COUNT(*) FROM seekers WHERE last_keco IS NOT NULL AND last_keco <> desired_keco"
                              ).fetchone()[0]
        hires = conn.execute("SELECT COUNT(*) FROM hires h JOIN seekers s ON s.id = h.seeker_id JOIN postings p "
                             "ON p.id = h.posting_id WHERE s.last_keco IS NOT NULL AND s.last_keco <> p.keco_code"
                             ).fetchone()[0]
        pair = conn.execute("SELECT last_keco, desired_keco, COUNT(*) FROM seekers WHERE last_keco IS NOT NULL AND "
                            "last_keco <> desired_keco GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1").fetchone()
    assert wishes > 0 and hires > 0
    assert int(frame["n_desired"].sum()) == wishes and int(frame["n_hired"].sum()) == hires
    assert (frame["n"] == frame["n_desired"] + frame["n_hired"]).all()
    assert not (frame["from_keco"] == frame["to_keco"]).any()
    assert not frame.duplicated(["from_keco", "to_keco"]).any()
    row = frame[(frame["from_keco"] == pair[0]) & (frame["to_keco"] == pair[1])].iloc[0]
    assert int(row["n_desired"]) == pair[2]


def _world_markets(world_db: Path) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
    with sqlite3.connect(f"file:{world_db}?mode=ro", uri=True) as conn:
        postings = pd.read_sql_query("SELECT keco_code, wage_monthly FROM postings", conn)
        wanted = pd.read_sql_query("SELECT desired_keco, COUNT(*) AS n FROM seekers GROUP BY 1", conn)
        courses = pd.read_sql_query("SELECT keco_code, COUNT(*) AS n FROM courses GROUP BY 1", conn)
    wages = postings.groupby("keco_code")["wage_monthly"].median().to_dict()
    counts = postings.groupby("keco_code").size()
    seekers = dict(zip(wanted["desired_keco"], wanted["n"], strict=True))
    demand = {k: float(v) / max(int(seekers.get(k, 0)), 1) for k, v in counts.items()}
    return wages, demand, dict(zip(courses["keco_code"], courses["n"].astype(int), strict=True))


def test_every_world_seeker_gets_a_checked_roadmap(world_db: Path) -> None:
    engine = make_engine(f"sqlite:///{world_db}")
    graph = OccupationGraph.build(REF, load_occupation_transitions(engine))
    engine.dispose()
    wages, demand, courses = _world_markets(world_db)
    contexts = world_contexts(world_db)
    assert len(contexts) >= 500
    modes: dict[str, int] = {}
    for context in contexts:
        task = roadmap_task(context, graph, market_wages=wages, demand=demand, open_courses=courses)
        result = check_statements(task.offline, task.sources, VOCABULARY)
        assert result.failed == 0, (context.seeker_id, [s.removed for s in result.statements if s.removed])
        assert 2 <= len(task.data["paths"]) <= 3, context.seeker_id
        modes[task.data["mode"]] = modes.get(task.data["mode"], 0) + 1
        for statement in task.offline:
            assert not re.search(r"(derived|table|record)\.", statement.text)
    assert set(modes) == {"same", "transition", "entry"}
