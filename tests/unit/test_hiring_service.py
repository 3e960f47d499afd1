"""Hiring simulator services on the small seeded world with a model built once for this module."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from scipy.special import logit
from sqlalchemy import Engine

from app import labour
from app.build import run_build
from app.db.engine import make_engine
from app.ml.hiring import HiringModel, load_hiring_model
from app.ml.hiring_features import load_training_postings
from app.ml.hiring_scorer import scorer_for
from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, STATUTORY_WELFARE
from app.reference.tables import load_reference
from app.services import audit, hiring
from app.services.hiring import plans as plans_mod
from app.services.hiring.conditions import FIELD_LABELS

REF = load_reference()
KECO = tuple(sorted(REF.occupations["keco_code"]))
REGIONS = tuple(sorted(REF.regions["code"]))
WELFARE = tuple(sorted(REF.welfare_items["code"]))
pytestmark = pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build_hiring_world(world_db: Path, root: Path) -> tuple[Engine, Path]:
    """A private copy of the session's small world (seed 7) with its models built into ``root``."""
    db = root / "world.db"
    source, target = sqlite3.connect(world_db), sqlite3.connect(db)
    source.backup(target)  # a consistent snapshot, also while other tests read the session world
    target.close()
    source.close()
    engine = make_engine(f"sqlite:///{db}")
    run_build(engine, root / "models", size="small", seed=7)
    return engine, root / "models"


@pytest.fixture(scope="module")
def built(world_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    return build_hiring_world(world_db, tmp_path_factory.mktemp("hiring"))


@pytest.fixture(scope="module")
def engine(built: tuple[Engine, Path]) -> Engine:
    return built[0]


@pytest.fixture(scope="module")
def model(built: tuple[Engine, Path]) -> HiringModel:
    return load_hiring_model(built[1])


@pytest.fixture(scope="module")
def two_employers(engine: Engine) -> tuple[int, int]:
    counts = hiring.load_employer_postings(engine, None)["employer_id"].value_counts()
    first, second = sorted(int(e) for e in counts[counts >= 2].index[:2])
    return first, second


def _raw(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "keco_code": "304", "region_code": "11", "size_code": "S2", "wage_type": "monthly",
        "wage_amount": 2_500_000, "weekly_hours": 40, "employment_type": "계약직", "career": "경력",
        "min_career_years": 3, "education": "대졸", "welfare_codes": "W01;W02;W03;W05", "open_month": 3,
        "n_sections": 6, "body_chars": 900,
    }
    raw.update(changes)
    return raw


@st.composite
def conditions_strategy(draw: st.DrawFn) -> hiring.PostingConditions:
    """Random valid conditions over every field (wages between 0.4× and 2.5× a typical wage)."""
    wage_type = draw(st.sampled_from(labour.WAGE_TYPES))
    hours = draw(st.integers(2, 136)) / 2.0
    monthly = draw(st.floats(0.4, 2.5)) * 2_800_000
    amount = max(1, round(float(labour.amount_from_monthly(wage_type, monthly, hours))))
    career = draw(st.sampled_from(CAREER_LEVELS))
    return hiring.validate_conditions(
        {
            "keco_code": draw(st.sampled_from(KECO)),
            "region_code": draw(st.sampled_from(REGIONS)),
            "size_code": draw(st.sampled_from(("S1", "S2", "S3", "S4", "S5"))),
            "wage_type": wage_type,
            "wage_amount": amount,
            "weekly_hours": hours,
            "employment_type": draw(st.sampled_from(EMPLOYMENT_TYPES)),
            "career": career,
            "min_career_years": draw(st.integers(1, 10)) if career == "경력" else 0,
            "education": draw(st.sampled_from(EDUCATION_LEVELS)),
            "welfare_codes": draw(st.sets(st.sampled_from(WELFARE), max_size=8)),
            "open_month": draw(st.integers(1, 12)),
            "n_sections": draw(st.integers(0, 8)),
            "body_chars": draw(st.integers(0, 3000)),
        }
    )


# --------------------------------------------------------------------------- validation


def test_validation_names_the_field_in_korean() -> None:
    with pytest.raises(hiring.InvalidConditions) as err:
        hiring.validate_conditions(_raw(weekly_hours=70))
    assert str(err.value) == "주당 근로시간은 1~68시간이어야 합니다 (입력값: 70)"
    assert set(err.value.errors) == {"weekly_hours"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("keco_code", "999"), ("region_code", "99"), ("size_code", "S9"), ("wage_type", "weekly"),
        ("wage_amount", "abc"), ("wage_amount", 0), ("weekly_hours", 0), ("employment_type", "인턴"),
        ("career", "고수"), ("min_career_years", -1), ("education", "박사"), ("welfare_codes", "W01;W99"),
        ("open_month", 13), ("n_sections", 9), ("body_chars", -5),
    ],
)
def test_every_bad_field_is_reported_with_its_korean_label(field: str, value: object) -> None:
    with pytest.raises(hiring.InvalidConditions) as err:
        hiring.validate_conditions(_raw(**{field: value}))
    assert field in err.value.errors
    label = "복리후생 코드" if field == "welfare_codes" else FIELD_LABELS[field]
    assert label in err.value.errors[field]
    assert str(value) in err.value.errors[field] or field == "welfare_codes"


def test_several_bad_fields_and_missing_fields_are_all_named() -> None:
    with pytest.raises(hiring.InvalidConditions) as err:
        hiring.validate_conditions(_raw(weekly_hours=70, education="박사", keco_code="999"))
    assert set(err.value.errors) == {"weekly_hours", "education", "keco_code"}
    with pytest.raises(hiring.InvalidConditions) as err:
        hiring.validate_conditions({"keco_code": "304"})
    assert err.value.errors["wage_amount"] == "임금액을 입력하세요"
    assert "주당 근로시간을 입력하세요" in str(err.value)


def test_cross_field_rules_and_replace_revalidates() -> None:
    with pytest.raises(hiring.InvalidConditions, match="최소 경력연수는 1년 이상"):
        hiring.validate_conditions(_raw(min_career_years=0))
    with pytest.raises(hiring.InvalidConditions, match="최소 경력연수는 0년"):
        hiring.validate_conditions(_raw(career="신입"))
    with pytest.raises(hiring.InvalidConditions, match="시간당 1,000원도"):
        hiring.validate_conditions(_raw(wage_type="monthly", wage_amount=10_320))
    c = hiring.validate_conditions(_raw())
    with pytest.raises(hiring.InvalidConditions, match="주당 근로시간"):
        c.replace(weekly_hours=80)
    with pytest.raises(hiring.InvalidConditions, match="알 수 없는 항목"):
        c.replace(salary=1)
    with pytest.raises(hiring.InvalidConditions):
        hiring.PostingConditions(**{**c.to_dict(), "weekly_hours": 0.5})


def test_conditions_normalise_round_trip_and_hash() -> None:
    c = hiring.validate_conditions(_raw(keco_code=304, size_code="s2", wage_amount="2,500,000",
                                        welfare_codes=["w05", "W01", "W01", "W03", "W02"]))
    assert c.keco_code == "304" and c.size_code == "S2" and c.wage_amount == 2_500_000
    assert c.welfare_codes == ("W01", "W02", "W03", "W05")
    assert c.wage_monthly == 2_500_000 and c.wage_fte == 2_500_000
    assert hiring.PostingConditions.from_dict(c.to_dict()) == c
    assert c.input_hash() == hiring.validate_conditions(_raw()).input_hash()
    assert c.input_hash() != c.replace(weekly_hours=38).input_hash()
    assert len(c.input_hash()) == 64


def test_legal_issues_and_lawful_baseline() -> None:
    bad = hiring.validate_conditions(_raw(wage_amount=1_900_000, weekly_hours=56))
    issues = hiring.legal_issues(bad)
    assert len(issues) == 2 and any("최저임금" in i for i in issues) and any("52시간" in i for i in issues)
    lawful = hiring.lawful_baseline(bad)
    assert lawful.weekly_hours == 52 and hiring.legal_issues(lawful) == ()
    assert lawful.hourly_wage >= hiring.minimum_hourly_wage()
    assert lawful.replace(wage_amount=lawful.wage_amount - 1).hourly_wage < hiring.minimum_hourly_wage()


# --------------------------------------------------------------------------- prediction


@PROPERTY
@given(conditions=conditions_strategy(), factor=st.floats(1.01, 2.0))
def test_raising_the_wage_never_lowers_the_probability(model: HiringModel, conditions, factor: float) -> None:
    try:
        raised = conditions.replace(wage_amount=math.ceil(conditions.wage_amount * factor))
    except hiring.InvalidConditions:
        reject()  # past the plausibility limit of 월 1억원
    assert hiring.predict(raised, model).probability >= hiring.predict(conditions, model).probability - 1e-12


@PROPERTY
@given(conditions=conditions_strategy(), extra=st.integers(1, 40))
def test_more_weekly_hours_never_raise_the_probability(model: HiringModel, conditions, extra: int) -> None:
    try:
        longer = conditions.replace(weekly_hours=min(68.0, conditions.weekly_hours + extra / 2.0))
    except hiring.InvalidConditions:
        reject()  # an hourly wage posted for one hour a week is over 1억원 a month at fifteen hours
    assert hiring.predict(longer, model).probability <= hiring.predict(conditions, model).probability + 1e-12


@PROPERTY
@given(conditions=conditions_strategy())
def test_explanation_adds_up_and_matches_the_model(model: HiringModel, conditions) -> None:
    result = hiring.predict(conditions, model)
    total = result.base_logit + result.factors["contribution"].sum()
    assert abs(total - float(logit(result.probability))) < 1e-6
    # The fast path equals the model's own pandas path: features, interval, days and SHAP.
    frame = pd.DataFrame([{**conditions.to_dict(), "welfare_codes": ";".join(conditions.welfare_codes)}])
    features = model.features(frame)
    expected = model.predict(features).iloc[0]
    for name in ("probability", "probability_low", "probability_high", "days", "days_low", "days_high"):
        assert getattr(result, name) == pytest.approx(float(expected[name]), rel=1e-9, abs=1e-12)
    grouped, base = model.explain(features)
    mine = result.factors.set_index("factor")["contribution"]
    assert base == pytest.approx(result.base_logit, abs=1e-9)
    for factor, value in grouped.iloc[0].items():
        assert mine[factor] == pytest.approx(float(value), abs=1e-6)


def test_prediction_has_one_korean_sentence_per_factor(model: HiringModel) -> None:
    conditions = hiring.validate_conditions(_raw(weekly_hours=44))
    result = hiring.predict(conditions, model)
    factors = result.factors
    assert list(factors.columns) == ["factor", "contribution", "sentence"]
    assert set(factors["factor"]) >= {"임금 수준(시장 대비)", "근로시간", "복리후생", "고용형태", "경력 요건"}
    assert factors["contribution"].abs().is_monotonic_decreasing
    assert all(s.endswith(("높입니다", "낮춥니다", "않습니다", "초과)")) for s in factors["sentence"])
    wage = factors.set_index("factor").loc["임금 수준(시장 대비)", "sentence"]
    assert "시장임금" in wage and ("%" in wage or "비슷한" in wage)
    assert "주 44시간" in factors.set_index("factor").loc["근로시간", "sentence"]
    assert 0 < result.probability_low <= result.probability <= result.probability_high < 1
    assert result.days_low <= result.days <= result.days_high
    assert result.input_hash == conditions.input_hash() and result.model_version == model.version
    assert set(result.audit_output()) >= {"probability", "days"}


def test_wage_curve_marks_the_current_point_and_respects_the_minimum(model: HiringModel) -> None:
    conditions = hiring.validate_conditions(_raw(wage_type="hourly", wage_amount=10_500, weekly_hours=30))
    curve = hiring.wage_curve(conditions, model, points=25)
    assert list(curve.columns) == ["wage_amount", "wage_monthly", "probability", "current"]
    assert curve["current"].sum() == 1 and int(curve.loc[curve["current"], "wage_amount"].iloc[0]) == 10_500
    assert curve["wage_amount"].is_monotonic_increasing and len(curve) >= 20
    assert curve["wage_amount"].min() >= hiring.minimum_hourly_wage()
    assert curve["wage_amount"].max() >= 1.5 * 10_500 - 1
    assert np.all(np.diff(curve["probability"].to_numpy()) >= -1e-12)
    point = curve.loc[curve["current"], "probability"].iloc[0]
    assert point == pytest.approx(hiring.predict(conditions, model).probability, abs=1e-12)


def test_default_conditions_use_the_market_wage(model: HiringModel) -> None:
    c = hiring.default_conditions("304", "11", model=model)
    market = scorer_for(model).market_wage("304", "11")
    assert c.wage_type == "monthly"
    assert c.wage_amount == max(math.ceil(market / 10_000) * 10_000, hiring.legal_minimum_amount("monthly", 40))
    assert (c.weekly_hours, c.employment_type, c.career, c.education) == (40.0, "정규직", "경력무관", "무관")
    assert set(c.welfare_codes) == STATUTORY_WELFARE and c.open_month == dt.date.today().month
    assert hiring.default_conditions("304", "11").wage_amount > 0  # the reference-table fallback
    with pytest.raises(hiring.InvalidConditions):
        hiring.default_conditions("999", "11")


# --------------------------------------------------------------------------- access


def test_employer_cannot_open_another_employers_posting(engine: Engine, two_employers: tuple[int, int]) -> None:
    a, b = two_employers
    mine = hiring.load_employer_postings(engine, a)
    theirs = hiring.load_employer_postings(engine, b)
    assert set(mine["employer_id"]) == {a} and not set(mine["id"]) & set(theirs["id"])
    assert {"id", "title", "keco_name", "region", "wage_text", "open_date", "filled_30d"} <= set(mine.columns)
    own = hiring.conditions_from_posting(engine, int(mine["id"].iloc[0]), employer_id=a)
    assert isinstance(own, hiring.PostingConditions)
    with pytest.raises(hiring.PostingAccessDenied, match="다른 기업의 공고는 열 수 없습니다"):
        hiring.conditions_from_posting(engine, int(theirs["id"].iloc[0]), employer_id=a)
    staff = hiring.conditions_from_posting(engine, int(theirs["id"].iloc[0]), employer_id=None)
    assert isinstance(staff, hiring.PostingConditions)
    assert len(hiring.load_employer_postings(engine, None)) == 400
    with pytest.raises(hiring.PostingNotFound):
        hiring.conditions_from_posting(engine, 10**9, employer_id=None)


def test_posting_conditions_are_the_models_training_features(engine: Engine, model: HiringModel) -> None:
    training = load_training_postings(engine).head(40)
    expected = model.predict_proba(model.features(training))
    got = [hiring.predict(hiring.conditions_from_posting(engine, int(i), employer_id=None), model).probability
           for i in training["id"]]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- plans and advice


@pytest.fixture(scope="module")
def hard_postings(engine: Engine, model: HiringModel) -> list[hiring.PostingConditions]:
    scored = hiring.score_all_postings(engine, model).sort_values("probability")
    return [hiring.conditions_from_posting(engine, int(i), employer_id=None) for i in scored["id"].iloc[[0, 5, 40, 120]]]


def _extras(c: hiring.PostingConditions) -> int:
    return sum(1 for code in c.welfare_codes if code not in STATUTORY_WELFARE)


def _check_plan(plan: plans_mod.Plan, original, bounds: hiring.MarketBounds, model: HiringModel, target: float) -> None:
    changed = plan.conditions
    assert original.replace(**plan.changes) == changed if plan.changes else changed == original
    fresh = hiring.predict(changed, model).probability
    assert fresh == pytest.approx(plan.probability, abs=1e-12)
    if plan.reaches_target:
        assert fresh >= target
    assert changed.weekly_hours <= labour.MAX_WEEKLY_HOURS
    assert changed.hourly_wage >= hiring.minimum_hourly_wage() - 1e-3
    if "weekly_hours" in plan.changes and original.weekly_hours <= labour.MAX_WEEKLY_HOURS:
        assert bounds.min_weekly_hours <= changed.weekly_hours < original.weekly_hours
    if "wage_amount" in plan.changes:
        legal_floor = hiring.legal_minimum_amount(changed.wage_type, changed.weekly_hours)
        assert changed.wage_amount > original.wage_amount
        assert changed.wage_fte <= bounds.max_wage_fte + 1 or changed.wage_amount == legal_floor
    if "welfare_codes" in plan.changes:
        assert set(original.welfare_codes) < set(changed.welfare_codes)
        assert _extras(changed) <= max(bounds.max_welfare_items, _extras(original))
    assert plan.monthly_cost >= 0 and bool(plan.steps) == bool(plan.changes)
    assert all("→" in step or "추가" in step for step in plan.steps)


@pytest.mark.parametrize("gain", [0.03, 0.1, 0.2, 0.5])
def test_every_plan_reaches_its_target_within_bounds_and_law(
    engine: Engine, model: HiringModel, hard_postings, gain: float
) -> None:
    for original in hard_postings:
        target = min(0.99, hiring.predict(original, model).probability + gain)
        bounds = hiring.market_bounds(engine, model, original)
        plans = hiring.minimum_change(original, model, target, bounds, max_plans=3)
        assert 1 <= len(plans) <= 3
        costs = [p.monthly_cost for p in plans]
        assert costs == sorted(costs)
        for plan in plans:
            _check_plan(plan, original, bounds, model, target)
        if plans[0].reaches_target:
            assert all(p.reaches_target for p in plans)
        else:
            assert len(plans) == 1 and "목표" in plans[0].note


@pytest.mark.parametrize(("index", "share"), [(0, 0.3), (1, 0.5), (2, 0.8), (3, 0.5)])
def test_search_finds_the_cheapest_plan_by_brute_force(
    engine: Engine, model: HiringModel, hard_postings, index: int, share: float
) -> None:
    original = hard_postings[index]
    bounds = hiring.market_bounds(engine, model, original)
    lv = plans_mod.build_levers(original, bounds)
    axes = [range(len(lv.hours)), range(lv.amounts.shape[1]), range(len(lv.welfare_extra) + 1)]
    grid = np.array(list(itertools.product(*axes, *[range(2)] * len(lv.binary))))
    grid = grid[grid[:, 1] <= lv.max_step[grid[:, 0]]]
    flags = {name: grid[:, 3 + i].astype(bool) for i, name in enumerate(lv.binary)}
    scorer = scorer_for(model)
    p = scorer.probability(scorer.matrix(plans_mod.lever_columns(lv, grid[:, 0], grid[:, 1], grid[:, 2], flags)))
    cost = sum(plans_mod.lever_costs(lv, grid[:, 0], grid[:, 1], grid[:, 2], flags).values())
    # A target between the posting as it is and the best within bounds, so the search has work to do.
    target = round(float(p[0] + share * (p.max() - p[0])), 4)
    assert p.max() > p[0] + 0.02
    reaching = p >= target

    # Every lever combination gets the smallest wage step that reaches the target.
    h, w, step, _, found_flags = plans_mod._search(lv, scorer, target)
    for i in range(len(h)):
        same = (grid[:, 0] == h[i]) & (grid[:, 2] == w[i])
        for j, name in enumerate(lv.binary):
            same &= grid[:, 3 + j] == int(found_flags[name][i])
        steps = grid[same & reaching, 1]
        assert step[i] == (steps.min() if steps.size else -1)

    best = hiring.minimum_change(original, model, target, bounds)[0]
    if not reaching.any():
        assert not best.reaches_target and best.probability == pytest.approx(p.max(), abs=1e-9)
    else:
        assert best.reaches_target
        assert best.monthly_cost <= cost[reaching].min() + 600  # cost items are rounded to 100원 each


def test_cost_model_of_each_lever() -> None:
    original = hiring.validate_conditions(_raw(wage_amount=2_600_000, weekly_hours=44, welfare_codes="W02;W03"))
    bounds = hiring.MarketBounds(max_wage_fte=9_000_000, median_wage_fte=3_000_000, min_weekly_hours=36.0,
                                 max_welfare_items=5, n_similar=50, scope="시험", minimum_hourly_wage=10_320)
    lv = plans_mod.build_levers(original, bounds)
    assert list(lv.hours) == [44.0, 42.0, 40.0, 38.0, 36.0] and lv.amounts[0, 0] == 2_600_000
    assert lv.welfare_extra[:2] == ("W12", "W16") and len(lv.welfare_extra) == 5
    assert lv.binary == ("insurance", "regular", "career", "education")

    def cost(h: int = 0, k: int = 0, w: int = 0, **flag: bool) -> dict[str, float]:
        arrays = {name: np.array([value]) for name, value in flag.items()}
        return {k_: float(v[0]) for k_, v in plans_mod.lever_costs(lv, np.array([h]), np.array([k]), np.array([w]),
                                                                   arrays).items()}

    assert sum(cost().values()) == 0
    assert cost(k=2)["임금 인상"] == pytest.approx(lv.amounts[0, 2] - 2_600_000)  # monthly: the raise itself
    hourly = 2_600_000 / float(labour.paid_monthly_hours(44))
    assert cost(h=2)["근로시간 단축(산출 감소)"] == pytest.approx(4 * 365 / 7 / 12 * hourly)
    assert cost(w=2)["복리후생"] == 20_000  # 경조사비 + 유연근무제, the two cheapest
    assert cost(insurance=True)["복리후생"] == pytest.approx(0.104 * 2_600_000)
    assert cost(regular=True)["정규직 전환"] == pytest.approx(0.05 * 2_600_000)
    assert cost(career=True, education=True)["경력 요건 완화"] == pytest.approx(0.03 * 2_600_000)


def test_unreachable_and_already_reached_targets(engine: Engine, model: HiringModel, hard_postings) -> None:
    original = hard_postings[0]
    bounds = hiring.market_bounds(engine, model, original)
    (impossible,) = hiring.minimum_change(original, model, 0.99, bounds)
    assert not impossible.reaches_target and "최대" in impossible.note and "99%" in impossible.note
    _check_plan(impossible, original, bounds, model, 0.99)
    (reached,) = hiring.minimum_change(original, model, 0.01, bounds)
    assert reached.reaches_target and reached.changes == {} and reached.monthly_cost == 0 and "이미" in reached.note
    with pytest.raises(hiring.InvalidConditions, match="목표 채용확률"):
        hiring.minimum_change(original, model, 1.5, bounds)


def test_plans_fix_an_unlawful_posting_first(engine: Engine, model: HiringModel) -> None:
    unlawful = hiring.validate_conditions(_raw(wage_amount=1_900_000, weekly_hours=56, employment_type="정규직"))
    bounds = hiring.market_bounds(engine, model, unlawful)
    for plan in hiring.minimum_change(unlawful, model, 0.7, bounds):
        _check_plan(plan, unlawful, bounds, model, 0.7)
        assert plan.changes["weekly_hours"] <= 52 and "주 56시간" in plan.steps[0]


def test_market_bounds_describe_similar_postings(engine: Engine, model: HiringModel) -> None:
    c = hiring.validate_conditions(_raw())
    bounds = hiring.market_bounds(engine, model, c)
    assert bounds.n_similar >= 1 and "공고" in bounds.scope
    assert bounds.max_wage_fte >= bounds.median_wage_fte > 0
    assert bounds.max_wage_fte >= hiring.minimum_hourly_wage() * 209
    assert bounds.min_weekly_hours >= 35  # 계약직 is a full-time type
    assert bounds.max_weekly_hours == 52 and "상한" in bounds.describe()


def test_advice_only_suggests_lawful_improvements(engine: Engine, model: HiringModel, hard_postings) -> None:
    unlawful = hiring.validate_conditions(_raw(wage_amount=1_900_000, weekly_hours=56))
    for original in [*hard_postings, unlawful]:
        bounds = hiring.market_bounds(engine, model, original)
        items = hiring.advice(original, model, bounds)
        assert items, "a hard posting always has something that helps"
        for item in items:
            assert item.probability_after > item.probability_before
            changed = original.replace(**item.changes)
            assert hiring.predict(changed, model).probability == pytest.approx(item.probability_after, abs=1e-12)
            assert changed.weekly_hours <= 52 and changed.hourly_wage >= hiring.minimum_hourly_wage() - 1e-3
            assert "채용확률" in item.text and "→" in item.text and item.monthly_cost >= 0
        ratios = [(i.probability_after - i.probability_before) / max(i.monthly_cost, 1) for i in items if i.lever != "legal"]
        assert ratios == sorted(ratios, reverse=True)


# --------------------------------------------------------------------------- scenarios and audit


def test_scenarios_are_persisted_and_isolated_per_employer(
    engine: Engine, model: HiringModel, two_employers: tuple[int, int]
) -> None:
    a, b = two_employers
    posting = int(hiring.load_employer_postings(engine, a)["id"].iloc[0])
    c = hiring.conditions_from_posting(engine, posting, employer_id=a)
    first = hiring.save_scenario(engine, a, "  현재 조건 ", c, hiring.predict(c, model), posting)
    raised = c.replace(wage_amount=c.wage_amount + 100_000)
    second = hiring.save_scenario(engine, a, "임금 인상", raised, hiring.predict(raised, model), None)
    mine = hiring.load_scenarios(engine, a)
    assert {first, second} <= set(mine["id"]) and set(hiring.load_scenarios(engine, b)["id"]).isdisjoint({first, second})
    row = mine.set_index("id").loc[first]
    assert row["name"] == "현재 조건" and row["posting_id"] == posting and row["model_version"] == model.version
    assert hiring.PostingConditions.from_dict(row["conditions"]) == c

    table = hiring.compare_scenarios(mine[mine["id"].isin([first, second])])
    assert set(table.columns) == {"임금 인상", "현재 조건"}
    assert {"임금", "주당 근로시간", "채용확률(30일 내)", "복리후생"} <= set(table.index)

    with pytest.raises(hiring.ScenarioNotFound):
        hiring.delete_scenario(engine, b, first)
    assert first in set(hiring.load_scenarios(engine, a)["id"])
    hiring.delete_scenario(engine, a, first)
    assert first not in set(hiring.load_scenarios(engine, a)["id"])
    with pytest.raises(hiring.ScenarioNotFound):
        hiring.delete_scenario(engine, a, first)


def test_scenario_inputs_are_validated(engine: Engine, model: HiringModel, two_employers: tuple[int, int]) -> None:
    a, b = two_employers
    c = hiring.validate_conditions(_raw())
    result = hiring.predict(c, model)
    for bad in ("", "   ", "가" * 61):
        with pytest.raises(hiring.InvalidConditions, match="시나리오 이름은 1~60자"):
            hiring.save_scenario(engine, a, bad, c, result, None)
    with pytest.raises(hiring.InvalidConditions, match="예측 결과가"):
        hiring.save_scenario(engine, a, "다른 조건", c.replace(weekly_hours=38), result, None)
    other = int(hiring.load_employer_postings(engine, b)["id"].iloc[0])
    before = len(hiring.load_scenarios(engine, a))
    with pytest.raises(hiring.PostingAccessDenied):
        hiring.save_scenario(engine, a, "남의 공고", c, result, other)
    assert len(hiring.load_scenarios(engine, a)) == before


def test_audit_log_records_model_version_and_hash(engine: Engine, model: HiringModel) -> None:
    c = hiring.validate_conditions(_raw())
    result = hiring.predict(c, model)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    audit.log_model_output(engine, username="employer1", role="employer", action="hiring.predict",
                           model_name="hiring", model_version=result.model_version, input_hash=result.input_hash,
                           output={**result.audit_output(), "n": np.int64(3)})
    row = audit.load_audit_log(engine, limit=5).iloc[0]
    assert row["model_version"] == model.version and row["input_hash"] == c.input_hash()
    assert row["output"]["probability"] == pytest.approx(result.probability, abs=1e-6) and row["output"]["n"] == 3
    assert row["username"] == "employer1" and row["action"] == "hiring.predict"
    assert started <= row["at"] <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with pytest.raises(ValueError, match="SHA-256"):
        audit.log_model_output(engine, username="u", role="r", action="a", model_name="m", model_version="1",
                               input_hash="abc", output={})
    with pytest.raises(ValueError, match="개인정보"):
        audit.log_model_output(engine, username="u", role="r", action="a", model_name="m", model_version="1",
                               input_hash=c.input_hash(), output={"phone": "010-0000-0000"})


# --------------------------------------------------------------------------- policy view


def test_policy_scores_every_posting_like_the_model(engine: Engine, model: HiringModel) -> None:
    scored = hiring.score_all_postings(engine, model)
    assert len(scored) == 400 and scored["id"].is_unique
    assert {"id", "employer", "keco", "keco_middle", "region", "probability", "days"} <= set(scored.columns)
    training = load_training_postings(engine)
    expected = pd.Series(model.predict_proba(model.features(training)), index=training["id"])
    np.testing.assert_allclose(scored.set_index("id").loc[training["id"], "probability"], expected, atol=1e-12)

    for by in ("occupation", "region"):
        table = hiring.fill_probability_by(scored, by)
        assert table["n_postings"].sum() == 400 and table["mean_probability"].is_monotonic_increasing
        assert table["at_risk_share"].between(0, 1).all() and table.attrs["label"]
    with pytest.raises(ValueError, match="집계 기준"):
        hiring.fill_probability_by(scored, "employer")
    # the at-risk share follows the threshold: by hand for each region at 0.6
    strict = hiring.fill_probability_by(scored, "region", threshold=0.6).set_index("group")
    by_hand = scored.groupby("region")["probability"].agg(lambda p: float((p < 0.6).mean()))
    np.testing.assert_allclose(strict.loc[by_hand.index, "at_risk_share"], by_hand)
    assert strict.attrs["threshold"] == 0.6
    with pytest.raises(ValueError, match="기준 확률"):
        hiring.fill_probability_by(scored, "region", threshold=1.5)
    risky = hiring.at_risk_postings(scored, threshold=0.5)
    assert (risky["probability"] < 0.5).all() and risky["probability"].is_monotonic_increasing
    assert len(risky) == int((scored["probability"] < 0.5).sum())
