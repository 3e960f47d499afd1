"""Market bounds and the cheapest change that reaches a target fill probability ("70%가 되려면?").

**Levers** an employer controls, each bounded by what similar postings offer (:class:`MarketBounds`)
and by law (minimum wage, 52 weekly hours):

* wage — in 5 % steps of the posted amount, rounded up to round figures, up to the market's
  90th-percentile wage (40-hour monthly equivalent);
* weekly hours — down in 2-hour steps to the market's shortest week (never below 35 h for a
  full-time type);
* welfare — add items, cheapest first, up to the most items a similar posting offers; 4대보험
  (W01) is its own lever when it is missing;
* employment type 계약직/일용직 → 정규직 (시간제 stays part-time: changing it changes the job);
  career → 경력무관 with 0 years; education → 무관.

**Cost model** (KRW per month per hire, estimates — the figures rank plans, they are not quotes):

* wage increase: monthly pay at the plan's hours minus the pay the posted rate gives at those hours;
* fewer hours: hours no longer worked × 4.345 weeks × the posted hourly-equivalent wage (lost
  output valued at the wage). Pay saved on hourly or daily wages is *not* subtracted, so the cost
  is an upper bound;
* welfare items: the fixed monthly estimates of :data:`WELFARE_MONTHLY_COST`; 4대보험 at the
  employer's share of contributions, :data:`SOCIAL_INSURANCE_RATE` of monthly pay;
* 정규직 conversion :data:`REGULAR_CONVERSION_RATE` and each relaxed requirement
  :data:`REQUIREMENT_RELAXATION_RATE` of monthly pay (bonus/job-security and training costs).

A posting that breaks the law (below the minimum wage, over 52 hours) is first moved to its lawful
baseline; those changes (and their cost) are part of every plan.

**Search** (:func:`minimum_change`): every combination of the non-wage levers is a candidate; for
each, the smallest wage step that reaches the target is found by a vectorised binary search (the
model is monotone in the wage by construction), one booster call per round for all candidates at
once. The cheapest distinct plans — none doing everything a cheaper plan does and more — are
rebuilt as conditions and verified with the model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from app.labour import MAX_WEEKLY_HOURS, WAGE_ROUNDING, hourly_equivalent, monthly_equivalent
from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import Scorer, scorer_for
from app.reference.codes import SOCIAL_INSURANCE, STATUTORY_WELFARE
from app.reference.names import welfare_names
from app.services.hiring.conditions import (
    InvalidConditions,
    PostingConditions,
    lawful_baseline,
    legal_minimum_amount,
    pays_minimum_wage,
)
from app.services.hiring.market import MarketBounds
from app.services.hiring.scoring import probabilities
from app.text.korean import format_rate, format_wage, format_wage_amount

WEEKS_PER_MONTH = 365.0 / 7.0 / 12.0
WAGE_STEP = 0.05
HOURS_STEP = 2.0
MAX_WAGE_STEPS = 40  # +200 %: far beyond any market bound; keeps the grid finite
SOCIAL_INSURANCE_RATE = 0.104
"""Employer share of 4대보험: 국민연금 4.5 %, 건강 3.545 % + 장기요양 0.46 %, 고용 1.15 %, 산재 ≈ 0.35 %."""
REGULAR_CONVERSION_RATE = 0.05
REQUIREMENT_RELAXATION_RATE = 0.03
WELFARE_MONTHLY_COST: Mapping[str, int] = MappingProxyType({
    "W04": 180_000,  # 식사 제공: 20 lunches × 9,000원
    "W05": 200_000,  # 식대 지원: the tax-free meal allowance limit (소득세법 시행령 제17조의2)
    "W06": 100_000,  # 교통비
    "W07": 80_000,  # 통근버스: a seat's share of a chartered bus
    "W08": 300_000,  # 기숙사
    "W09": 50_000,  # 주차 지원
    "W10": 83_000,  # 명절 상여금: 연 100만원
    "W11": 125_000,  # 성과급: 연 150만원
    "W12": 10_000,  # 경조사비
    "W13": 20_000,  # 건강검진: 연 24만원
    "W14": 50_000,  # 자기계발비
    "W15": 40_000,  # 교육·연수 지원
    "W16": 10_000,  # 유연근무제: administration only
    "W17": 20_000,  # 재택근무: equipment and telecoms
    "W18": 100_000,  # 자녀 학자금
    "W19": 20_000,  # 휴양시설
    "W20": 20_000,  # 장기근속 포상
})
"""Monthly cost estimates per hire of the non-statutory welfare items (KRW)."""


# --------------------------------------------------------------------------- levers and costs


@dataclass(frozen=True, eq=False)
class Plan:
    """A set of changes and what it buys.

    Attributes:
        changes: Field → new value; ``conditions.replace(**plan.changes)`` gives :attr:`conditions`.
        steps: Korean lines, e.g. "월급 230만원 → 250만원".
        monthly_cost: Estimated KRW per month per hire (see the module's cost model).
        probability: Model probability of the changed posting (verified by scoring it afresh).
        reaches_target: ``probability >= target``.
        conditions: The changed posting.
        cost_items: (Korean label, KRW) parts of :attr:`monthly_cost`.
        note: Korean remark (already at the target, or why the target cannot be reached).
    """

    changes: dict[str, object]
    steps: tuple[str, ...]
    monthly_cost: int
    probability: float
    reaches_target: bool
    conditions: PostingConditions
    cost_items: tuple[tuple[str, int], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Levers:
    """The grid of lever values around one lawful baseline."""

    original: PostingConditions
    base: PostingConditions
    hours: np.ndarray  # options, baseline first, decreasing
    amounts: np.ndarray  # [hours option, wage step]: step 0 = the posted amount or the legal minimum
    max_step: np.ndarray  # per hours option: last wage step within the market bound
    welfare_extra: tuple[str, ...]  # items to add, cheapest first
    binary: tuple[str, ...]  # available yes/no levers among: insurance, regular, career, education
    pay_now: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pay_now", float(self.original.wage_monthly))


_BINARY = ("insurance", "regular", "career", "education")


def _round_up(value: float, unit: int) -> int:
    return int(math.ceil(value / unit - 1e-9) * unit)


def build_levers(conditions: PostingConditions, bounds: MarketBounds) -> Levers:
    """Lever options of a posting (internal to plans and advice)."""
    base = lawful_baseline(conditions)
    floor = bounds.min_weekly_hours
    hours = [base.weekly_hours]
    while hours[-1] - HOURS_STEP >= max(floor, 1.0) - 1e-9:
        hours.append(hours[-1] - HOURS_STEP)
    # The minimum wage depends on the hours (overtime is paid 150 %), so each hours option starts
    # from its own lawful amount: a posting cut from 56 to 40 hours may need no raise at all.
    unit = WAGE_ROUNDING[base.wage_type]
    rows = []
    for h in hours:
        start = max(conditions.wage_amount, legal_minimum_amount(base.wage_type, h))
        rows.append([start] + [_round_up(start * (1 + WAGE_STEP * step), unit) for step in range(1, MAX_WAGE_STEPS + 1)])
    amounts = np.array(rows, dtype=np.int64)  # strictly increasing along a row: 5 % exceeds every rounding unit
    max_step = np.array(
        [max(0, int(np.searchsorted(row, bounds.max_amount(base.wage_type, h) + 1e-6, side="right")) - 1)
         for row, h in zip(amounts, hours, strict=True)]
    )
    have = set(base.welfare_codes)
    candidates = sorted((c for c in WELFARE_MONTHLY_COST if c not in have), key=lambda c: (WELFARE_MONTHLY_COST[c], c))
    current_extra = sum(1 for c in base.welfare_codes if c not in STATUTORY_WELFARE)
    room = max(0, bounds.max_welfare_items - current_extra)
    available = {
        "insurance": SOCIAL_INSURANCE not in have,
        "regular": base.employment_type in ("계약직", "일용직"),
        "career": base.career != "경력무관",
        "education": base.education != "무관",
    }
    return Levers(conditions, base, np.array(hours), amounts, max_step, tuple(candidates[:room]),
                   tuple(name for name in _BINARY if available[name]))


def lever_columns(lv: Levers, h: np.ndarray, k: np.ndarray, w: np.ndarray, flags: Mapping[str, np.ndarray]) -> dict:
    """Model columns for candidate rows (index arrays into the lever grid)."""
    from app.ml.hiring_scorer import welfare_counts
    from app.services.hiring.scoring import repeat_columns

    n = len(h)
    extra, insured = welfare_counts(lv.base.welfare_codes)
    zero = np.zeros(n, dtype=bool)
    regular, career, education = (flags.get(name, zero) for name in ("regular", "career", "education"))
    return repeat_columns(
        lv.base,
        n,
        weekly_hours=lv.hours[h],
        wage_amount=lv.amounts[h, k],
        n_welfare_extra=extra + w,
        has_social_insurance=np.maximum(insured, flags.get("insurance", zero).astype(int)),
        employment_type=np.where(regular, "정규직", lv.base.employment_type),
        career=np.where(career, "경력무관", lv.base.career),
        min_career_years=np.where(career, 0, lv.base.min_career_years),
        education=np.where(education, "무관", lv.base.education),
    )


def lever_costs(lv: Levers, h: np.ndarray, k: np.ndarray, w: np.ndarray, flags: Mapping[str, np.ndarray]) -> dict:
    """Cost parts (KRW/month, arrays) of candidate rows against the *original* posting."""
    o = lv.original
    hours = lv.hours[h]
    pay_new = np.asarray(monthly_equivalent(o.wage_type, lv.amounts[h, k].astype(float), hours), dtype=float)
    pay_old = np.asarray(monthly_equivalent(o.wage_type, float(o.wage_amount), hours), dtype=float)
    hourly = float(hourly_equivalent(o.wage_type, o.wage_amount, o.weekly_hours))
    welfare_cum = np.concatenate([[0.0], np.cumsum([WELFARE_MONTHLY_COST[c] for c in lv.welfare_extra])])
    zero = np.zeros(len(h))
    return {
        "임금 인상": np.maximum(pay_new - pay_old, 0.0),
        "근로시간 단축(산출 감소)": np.maximum(o.weekly_hours - hours, 0.0) * WEEKS_PER_MONTH * hourly,
        "복리후생": welfare_cum[w] + flags.get("insurance", zero) * SOCIAL_INSURANCE_RATE * lv.pay_now,
        "정규직 전환": flags.get("regular", zero) * REGULAR_CONVERSION_RATE * lv.pay_now,
        "경력 요건 완화": flags.get("career", zero) * REQUIREMENT_RELAXATION_RATE * lv.pay_now,
        "학력 요건 완화": flags.get("education", zero) * REQUIREMENT_RELAXATION_RATE * lv.pay_now,
    }


def changed_conditions(lv: Levers, h: int, k: int, w: int, flags: Mapping[str, bool]) -> tuple[dict, tuple[str, ...]]:
    """(changes against the original posting, Korean step lines) of one lever setting."""
    o, b = lv.original, lv.base
    changes: dict[str, object] = {}
    steps: list[str] = []
    hours = float(lv.hours[h])
    if hours != o.weekly_hours:
        changes["weekly_hours"] = hours
        legal = " (법정 한도)" if o.weekly_hours > MAX_WEEKLY_HOURS and h == 0 else ""
        steps.append(f"주 {o.weekly_hours:g}시간 → {hours:g}시간{legal}")
    amount = int(lv.amounts[h, k])
    if amount != o.wage_amount:
        changes["wage_amount"] = amount
        legal = " (최저임금 충족)" if k == 0 else ""
        steps.append(f"{format_wage(o.wage_type, o.wage_amount, style='label')} → {format_wage_amount(o.wage_type, amount)}{legal}")
    added = list(lv.welfare_extra[:w])
    if flags.get("insurance"):
        added.insert(0, SOCIAL_INSURANCE)
    if added:
        changes["welfare_codes"] = tuple(sorted(set(b.welfare_codes) | set(added)))
        steps.append(f"복리후생 추가: {', '.join(welfare_names(added))}")
    if flags.get("regular"):
        changes["employment_type"] = "정규직"
        steps.append(f"고용형태 {o.employment_type} → 정규직")
    if flags.get("career"):
        changes["career"], changes["min_career_years"] = "경력무관", 0
        before = f"경력 {o.min_career_years}년 이상" if o.career == "경력" else o.career
        steps.append(f"경력 요건 {before} → 경력무관")
    if flags.get("education"):
        changes["education"] = "무관"
        steps.append(f"학력 요건 {o.education} → 무관")
    return changes, tuple(steps)


# --------------------------------------------------------------------------- minimum change


def _check_target(target: float) -> None:
    if not isinstance(target, (int, float)) or not 0.01 <= float(target) <= 0.99:
        raise InvalidConditions({"target": f"목표 채용확률은 1%~99% 사이여야 합니다 (입력값: {target})"})


def _grid(lv: Levers) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Every combination of the non-wage levers: (hours index, welfare count, binary flags)."""
    axes = [range(len(lv.hours)), range(len(lv.welfare_extra) + 1)] + [range(2)] * len(lv.binary)
    combos = np.array(list(itertools.product(*axes)), dtype=np.int64).reshape(-1, len(axes))
    flags = {name: combos[:, 2 + i].astype(bool) for i, name in enumerate(lv.binary)}
    return combos[:, 0], combos[:, 1], flags


def _search(lv: Levers, scorer: Scorer, target: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
    """Smallest wage step per combination that reaches ``target`` (-1 when none within bounds).

    Returns (hours idx, welfare count, wage step, probability at that step or at the top step, flags).
    """
    h, w, flags = _grid(lv)
    top = lv.max_step[h]
    n = len(h)

    def score(rows: np.ndarray, steps: np.ndarray) -> np.ndarray:
        sub = {name: f[rows] for name, f in flags.items()}
        return scorer.probability(scorer.matrix(lever_columns(lv, h[rows], steps, w[rows], sub)))

    everyone = np.arange(n)
    both = score(np.concatenate([everyone, everyone]), np.concatenate([np.zeros(n, dtype=np.int64), top]))
    p_low, p_high = both[:n], both[n:]
    step = np.where(p_low >= target, 0, np.where(p_high >= target, top, -1))
    prob = np.where(p_low >= target, p_low, p_high)
    lo = np.zeros(n, dtype=np.int64)
    hi = top.copy()
    active = (p_low < target) & (p_high >= target)
    # Binary search: p(lo) < target <= p(hi); the model is non-decreasing in the wage.
    while True:
        rows = np.flatnonzero(active & (hi - lo > 1))
        if rows.size == 0:
            break
        mid = (lo[rows] + hi[rows]) // 2
        p_mid = score(rows, mid)
        reach = p_mid >= target
        hi[rows[reach]], prob[rows[reach]] = mid[reach], p_mid[reach]
        lo[rows[~reach]] = mid[~reach]
    step[active] = hi[active]
    return h, w, step, prob, flags


def _distinct(order: np.ndarray, vectors: np.ndarray, limit: int) -> list[int]:
    """Cheapest-first rows none of which does all that a cheaper kept row does, and more."""
    kept: list[int] = []
    for row in order:
        if not any(np.all(vectors[q] <= vectors[row]) for q in kept):
            kept.append(int(row))
            if len(kept) >= limit:
                break
    return kept


def _plan(lv: Levers, h: int, k: int, w: int, flags: Mapping[str, bool], note: str = "") -> Plan:
    changes, steps = changed_conditions(lv, h, k, w, flags)
    conditions = lv.original.replace(**changes) if changes else lv.original
    arrays = {name: np.array([value]) for name, value in flags.items()}
    parts = lever_costs(lv, np.array([h]), np.array([k]), np.array([w]), arrays)
    items = tuple((label, int(round(float(v[0]), -2))) for label, v in parts.items() if float(v[0]) >= 50)
    return Plan(changes=changes, steps=steps, monthly_cost=sum(v for _, v in items), probability=float("nan"),
                reaches_target=False, conditions=conditions, cost_items=items, note=note)


def minimum_change(
    conditions: PostingConditions, model: HiringModel, target: float, bounds: MarketBounds, *, max_plans: int = 3
) -> list[Plan]:
    """The cheapest plans that reach ``target`` within the market bounds and the law.

    Args:
        conditions: The posting as it is.
        model: The hiring model.
        target: Wanted probability of filling within 30 days (0.01–0.99).
        bounds: From :func:`market_bounds`.
        max_plans: How many distinct plans at most.

    Returns:
        Up to ``max_plans`` plans by increasing monthly cost, each re-scored: ``reaches_target`` is
        true for all. When no combination reaches the target, one plan — the highest probability
        within the bounds — with ``reaches_target=False`` and the reason in :attr:`Plan.note`.

    Raises:
        InvalidConditions: ``target`` outside 1–99 %.
    """
    _check_target(target)
    max_plans = max(1, int(max_plans))
    lv = build_levers(conditions, bounds)
    scorer = scorer_for(model)
    h, w, step, prob, flags = _search(lv, scorer, float(target))
    feasible = np.flatnonzero(step >= 0)
    if feasible.size == 0:
        return [_best_effort(lv, model, h, w, flags, float(target), bounds)]
    sub = {name: f[feasible] for name, f in flags.items()}
    parts = lever_costs(lv, h[feasible], step[feasible], w[feasible], sub)
    cost = sum(parts.values())
    vectors = np.column_stack([h[feasible], step[feasible], w[feasible]] + [f.astype(int) for f in sub.values()])
    order = np.lexsort((-prob[feasible], cost))
    plans: list[Plan] = []
    for row in _distinct(order, vectors, max_plans * 3):
        i = feasible[row]
        plans.append(_plan(lv, int(h[i]), int(step[i]), int(w[i]), {n: bool(f[i]) for n, f in flags.items()}))
    verified = probabilities([p.conditions for p in plans], model)
    result = [
        _with(p, float(v), float(v) >= target)
        for p, v in zip(plans, verified, strict=True)
        if float(v) >= target and _lawful(p.conditions)
    ][:max_plans]
    if result and not result[0].changes:
        result = [_with(result[0], result[0].probability, True, f"현재 조건으로 이미 목표 {format_rate(target, decimals=0)}에 도달합니다")]
    return result or [_best_effort(lv, model, h, w, flags, float(target), bounds)]


def _with(plan: Plan, probability: float, reaches: bool, note: str | None = None) -> Plan:
    return Plan(plan.changes, plan.steps, plan.monthly_cost, probability, reaches, plan.conditions, plan.cost_items,
                plan.note if note is None else note)


def _lawful(conditions: PostingConditions) -> bool:
    return conditions.weekly_hours <= MAX_WEEKLY_HOURS and pays_minimum_wage(conditions)


def _best_effort(lv: Levers, model: HiringModel, h: np.ndarray, w: np.ndarray, flags: dict, target: float,
                 bounds: MarketBounds) -> Plan:
    """The highest probability within the bounds (cheapest among equals), marked as not reaching."""
    scorer = scorer_for(model)
    top = lv.max_step[h]
    p_top = scorer.probability(scorer.matrix(lever_columns(lv, h, top, w, flags)))
    cost = sum(lever_costs(lv, h, top, w, flags).values())
    i = int(np.lexsort((cost, -p_top))[0])
    plan = _plan(lv, int(h[i]), int(top[i]), int(w[i]), {n: bool(f[i]) for n, f in flags.items()})
    verified = float(probabilities([plan.conditions], model)[0])
    note = (
        f"비슷한 공고들이 제시하는 범위({bounds.describe()}) 안에서는 채용확률을 최대 "
        f"{format_rate(verified, decimals=0)}까지 올릴 수 있어 목표 {format_rate(target, decimals=0)}에 미치지 못합니다. "
        "직무 내용·채용 방식을 바꾸거나 목표를 낮춰 보세요."
    )
    return _with(plan, verified, verified >= target, note)
