"""Training recommender (issue 17): the logistic parts, course-side figures, ranking by the skill gap,
the world's true course effects, and the build on the small world."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.ml import training_recommender as tr
from app.ml.course_match import CourseIndex, compute_skill_gap
from app.ml.manifest import load_object
from app.reference.tables import load_reference
from app.world import truth


@pytest.fixture(scope="module")
def reference():
    return load_reference()


# --------------------------------------------------------------------------- logistic model


def test_logit_model_recovers_coefficients_with_an_offset() -> None:
    rng = np.random.default_rng(3)
    n = 20_000
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    offset = rng.normal(0.0, 1.0, n)
    beta = np.array([-0.5, 0.8, -1.2])
    y = rng.random(n) < 1 / (1 + np.exp(-(offset + x @ beta)))
    model = tr.LogitModel.fit(("a", "b", "c"), x, y, offset=offset, ridge=0.0)
    assert model.coef == pytest.approx(beta, abs=0.08)
    se = model.standard_error(np.eye(3))
    assert np.all(se > 0) and np.all(se < 0.06)
    # the interval of a prediction covers the truth
    assert abs(model.linear(x[:1])[0] - (x[:1] @ beta)[0]) < 3 * model.standard_error(x[:1])[0] + 0.05


def test_ridge_shrinks_every_coefficient_but_the_first() -> None:
    rng = np.random.default_rng(4)
    x = np.column_stack([np.ones(200), rng.normal(size=200)])
    y = rng.random(200) < 1 / (1 + np.exp(-(0.3 + 1.5 * x[:, 1])))
    free = tr.LogitModel.fit(("a", "b"), x, y, ridge=0.0)
    shrunk = tr.LogitModel.fit(("a", "b"), x, y, ridge=200.0)
    assert abs(shrunk.coef[1]) < 0.5 * abs(free.coef[1])


# --------------------------------------------------------------------------- course side


def test_self_pay_follows_the_card_rules() -> None:
    pay = tr.self_pay(np.array([1_000_000, 1_000_000, 1_000_000, 2_000_000, 10_000_000]),
                      np.array(["C0061", "C0061", "C0061", "C0104", "C0061"]),
                      np.array([0.7, 0.5, 0.2, 0.2, 0.7]))
    assert pay.tolist() == [150_000, 350_000, 550_000, 0, 7_000_000]  # the last: card pays at most 3M


def test_expected_rate_shrinks_a_programme_to_its_field_and_respects_publication_dates() -> None:
    history = pd.DataFrame({
        "course_id": ["1", "2", "3"], "programme_code": ["P", "P", "P"], "ncs_code": ["20010101"] * 3,
        "employment_rate_6m": [0.9, 0.9, np.nan], "completion_rate": [0.8, 0.8, np.nan],
        "start_date": pd.to_datetime(["2024-01-01", "2024-06-01", "2025-06-01"]),
        "end_date": pd.to_datetime(["2024-03-01", "2024-08-01", "2025-08-01"]),
    })
    rate, rounds = tr.expected_course_rate(history.iloc[[2]], {"20": 0.5}, 0.4, history=history)
    assert rounds.tolist() == [2.0]
    assert rate[0] == pytest.approx((1.8 + tr.RATE_PSEUDO_ROUNDS * 0.5) / (2 + tr.RATE_PSEUDO_ROUNDS))
    # before the first round's rate was published (end + 180 days), only the field is known
    early = tr.expected_course_rate(history.iloc[[1]], {"20": 0.5}, 0.4, history=history,
                                    as_of=pd.Series(pd.to_datetime(["2024-06-01"])))
    assert early[1].tolist() == [0.0] and early[0][0] == pytest.approx(0.5)
    # a file's course: its own rate counts as one round; an unknown field falls back to the mean
    own = tr.expected_course_rate(pd.DataFrame({"ncs_code": ["99", "99"], "employment_rate_6m": [0.8, np.nan]}),
                                  {}, 0.4)
    assert own[1].tolist() == [1.0, 0.0]
    assert own[0][1] == pytest.approx(0.4)


# --------------------------------------------------------------------------- ranking


class _ConstantBaseline:
    """A stand-in for the LightGBM baseline: every seeker has the same chance without training."""

    def predict_proba(self, x, num_threads: int = 0) -> np.ndarray:
        return np.column_stack([np.full(len(x), 0.7), np.full(len(x), 0.3)])


def _hand_model() -> tr.TrainingRecommender:
    effect = dict.fromkeys(tr.EFFECT_TERMS, 0.0) | {"relevance": 0.4, "similarity": 0.2, "gap_relevant": 1.2,
                                                    "quality": 0.1}
    completion = dict.fromkeys(tr.COMPLETION_TERMS, 0.0) | {"intercept": 1.5, "far": -1.0, "relevance": 0.3}
    return tr.TrainingRecommender(
        baseline=_ConstantBaseline(),  # type: ignore[arg-type]
        effect=tr.LogitModel(tr.EFFECT_TERMS, np.array([effect[t] for t in tr.EFFECT_TERMS]),
                             np.eye(len(tr.EFFECT_TERMS)) * 0.01),
        completion=tr.LogitModel(tr.COMPLETION_TERMS, np.array([completion[t] for t in tr.COMPLETION_TERMS]),
                                 np.eye(len(tr.COMPLETION_TERMS)) * 0.01),
        occupation_demand={}, region_demand={}, field_rate={}, overall_rate=0.5, quality_scale=(0.5, 0.1),
        completion_scale=(0.8, 0.1), person_scale={c: (0.0, 1.0) for c in ("age", "education_level", "career_years")},
    )


def _courses(rows: list[dict]) -> pd.DataFrame:
    base = {"ncs_code": "20010101", "region_code": "11", "online": False, "hours": 300.0, "fee": 1_000_000.0,
            "start_date": pd.Timestamp("2026-07-01"), "skills": "", "course_type": "C0061", "keco_code": "",
            "capacity": 20.0, "institution": "한빛아카데미", "employment_rate_6m": np.nan, "completion_rate": np.nan,
            "satisfaction": np.nan}
    return pd.DataFrame([base | r for r in rows])


def _seeker(keco: str, skills: str) -> pd.DataFrame:
    return pd.DataFrame([{"seeker_id": "s1", "desired_keco": keco, "region_code": "11", "age": 29.0,
                          "education": "대졸", "career_years": 1.0, "certificates": "", "skills_text": skills,
                          "benefit_status": 1.0}])


def test_a_course_that_closes_the_gap_outranks_a_merely_similar_one(reference) -> None:
    occupation = reference.occupations.set_index("keco_code").loc["133"]
    skills = [s for s in str(occupation["skills"]).split(";") if s]
    held, missing = skills[:2], skills[2:6]
    name = str(occupation["name"])
    courses = _courses([
        {"course_id": "similar", "title": f"{name} 실무 양성과정", "keco_code": "133",
         "text": f"{name} 실무 양성과정 {name} 취업 {' '.join(held)}", "skills": ";".join(held)},
        {"course_id": "gap", "title": f"{name} 실무 과정", "keco_code": "133",
         "text": f"{name} 실무 과정 {' '.join(missing)}", "skills": ";".join(missing)},
        {"course_id": "other", "title": "요양보호사 양성과정", "ncs_code": "06010101", "keco_code": "550",
         "text": "요양보호사 양성과정 돌봄 신체활동 지원"},
    ])
    result = _hand_model().recommend(_seeker("133", " ".join(held)), courses, top=3, ref=reference)
    # an unrelated course expected to gain nothing is no recommendation
    assert result["course_id"].tolist() == ["gap", "similar"]
    first = result.iloc[0]
    assert first["uplift_low"] <= first["uplift"] <= first["uplift_high"]
    assert "부족 역량" in first["reasons"] and "보완" in first["reasons"]
    assert "내용 유사도" in first["reasons"] and "점)" not in first["reasons"]
    # the components add up to the gain if completed
    assert sum(first[c] for c in tr.COMPONENTS) == pytest.approx(first["effect"], abs=1e-9)
    assert result["score"].is_monotonic_decreasing


def test_one_round_per_programme_and_only_positive_uplift(reference) -> None:
    courses = _courses([
        {"course_id": "r1", "title": "소프트웨어 개발자 과정", "keco_code": "133", "text": "소프트웨어 개발자 과정",
         "start_date": pd.Timestamp("2026-07-01")},
        {"course_id": "r2", "title": "소프트웨어 개발자 과정", "keco_code": "133", "text": "소프트웨어 개발자 과정",
         "start_date": pd.Timestamp("2026-10-01")},
        {"course_id": "x", "title": "데이터 분석 과정", "keco_code": "135", "text": "데이터 분석 과정"},
    ]).assign(programme_code=["P1", "P1", "P2"])
    model = _hand_model()
    result = model.recommend(_seeker("133", ""), courses, top=5, ref=reference)
    assert result["course_id"].tolist().count("r1") + result["course_id"].tolist().count("r2") == 1
    model.effect.coef[list(tr.EFFECT_TERMS).index("trained")] = -5.0  # every course would lower the chance
    assert model.recommend(_seeker("133", ""), courses, top=5, ref=reference).empty


def test_an_in_person_course_far_from_home_ranks_below_the_same_course_nearby(reference) -> None:
    courses = _courses([
        {"course_id": "far", "title": "소프트웨어 개발자 과정", "keco_code": "133", "region_code": "26",
         "text": "소프트웨어 개발자 과정"},
        {"course_id": "near", "title": "소프트웨어 개발자 과정", "keco_code": "133", "region_code": "11",
         "text": "소프트웨어 개발자 과정"},
        {"course_id": "online", "title": "소프트웨어 개발자 과정", "keco_code": "133", "region_code": "",
         "online": True, "text": "소프트웨어 개발자 과정"},
    ])
    result = _hand_model().recommend(_seeker("133", ""), courses, top=3, ref=reference)
    assert result["course_id"].tolist()[-1] == "far"
    far = result.set_index("course_id").loc["far"]
    near = result.set_index("course_id").loc["near"]
    assert far["p_complete"] < near["p_complete"]
    assert far["effect"] == pytest.approx(near["effect"])


# --------------------------------------------------------------------------- the world's truth


def test_true_course_effect_rewards_relevance_and_the_gap_closed() -> None:
    relevance = truth.course_relevance(np.array(["133", "133", "133", "133"]), np.array(["133", "134", "150", "550"]))
    assert relevance.tolist() == [1.0, 0.6, 0.25, 0.0]
    assert truth.gap_coverage("자바", "자바;SQL;리눅스", "SQL;리눅스;C") == pytest.approx(1.0)
    assert truth.gap_coverage("자바;SQL", "자바;SQL", "SQL") == 0.0  # nothing missing, nothing to close
    effect = truth.course_effect_logit(np.full(3, 0.4), np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0]),
                                       np.zeros(3))
    assert effect[0] > effect[1] > 0 > effect[2]  # an unrelated course costs time
    uplift = truth.expected_course_uplift(np.full(2, 0.3), np.full(2, 0.4), np.ones(2), np.ones(2), np.zeros(2),
                                          np.array([0.9, 0.45]))
    assert uplift[1] == pytest.approx(uplift[0] / 2)


def test_world_courses_are_programmes_in_rounds_with_published_rates(world_url: str) -> None:
    from app.db.engine import make_engine
    from app.db.repositories import courses as course_repo

    engine = make_engine(world_url)
    courses = course_repo.load_course_frame(engine)
    engine.dispose()
    rounds = courses.groupby("programme_code")["round_no"].agg(["min", "max", "size"])
    assert (rounds["min"] == 1).all() and (rounds["max"] == rounds["size"]).all()
    assert (courses["start_date"] >= pd.Timestamp("2026-05-26")).sum() > 10  # rounds open after the reference date
    ended_long_ago = courses["end_date"] + pd.Timedelta(days=180) <= pd.Timestamp("2026-05-26")
    assert courses.loc[~ended_long_ago, "employment_rate_6m"].isna().all()
    assert courses.loc[ended_long_ago, "employment_rate_6m"].notna().mean() > 0.9
    assert courses["employment_rate_6m"].dropna().between(0, 1).all()


# --------------------------------------------------------------------------- build


def test_build_on_the_small_world_recommends_open_courses(world_url: str, tmp_path, reference) -> None:
    from app.db.engine import make_engine
    from app.db.repositories import courses as course_repo
    from app.ml.manifest import BuildContext

    engine = make_engine(world_url)
    result = tr.build_training_recommender(BuildContext(engine, tmp_path, "", 7))
    courses = course_repo.load_course_frame(engine)
    engine.dispose()
    assert result.metrics["n_enrolments"] > 20 and result.metrics["n_completed"] > 10
    artifact = load_object(tmp_path / tr.MODEL_FILE)
    assert len(artifact.index.course_ids) == len(courses)
    upcoming = courses[courses["start_date"] >= pd.Timestamp("2026-05-26")]
    seekers = _seeker(str(courses["keco_code"].iat[0]), "")
    first = artifact.model.recommend(seekers, upcoming, top=5, ref=reference, index=artifact.index, history=courses)
    again = artifact.model.recommend(seekers, upcoming, top=5, ref=reference, index=artifact.index, history=courses)
    assert len(first) == 5 and first["rank"].tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(first.drop(columns=["covered"]), again.drop(columns=["covered"]))
    assert set(first["course_id"]) <= set(upcoming["course_id"])
    assert first["p_complete"].between(0, 1).all()
    assert not first["reasons"].str.contains("[A-Za-z_]{4,}", regex=True).any()  # Korean, no keys


def test_missing_artifact_is_not_ready(tmp_path) -> None:
    from app.errors import NotReady

    with pytest.raises(NotReady):
        tr.load_training_artifact(tmp_path)


def test_skill_gap_and_index_positions(reference) -> None:
    courses = _courses([{"course_id": "a", "title": "가", "text": "가"}, {"course_id": "b", "title": "나", "text": "나"}])
    index = CourseIndex.build(courses, reference)
    assert tr.course_positions(index, pd.Series(["b", "a"])).tolist() == [1, 0]
    with pytest.raises(ValueError):
        tr.course_positions(index, pd.Series(["z"]))
    gap = compute_skill_gap(reference, "133", "", "")
    assert gap.missing == gap.required
