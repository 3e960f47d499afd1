"""Ranked, concrete advice: single changes with their effect ("월급 230만원→250만원: 채용확률 42%→61%").

Each suggestion changes one lever of the lawful baseline (see :mod:`app.services.hiring_plans`
for the levers, their bounds and the cost model), is scored with the model in one batch, and is
kept only when it raises the probability. Suggestions are ranked by effect per won (free changes —
writing the missing posting sections — first, by effect). Nothing unlawful is ever suggested:
wages only go up from a baseline that already pays the minimum wage and hours only go down from at
most 52. When the posting itself breaks the law, the first item is the legal fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from app.labour import full_time_equivalent, monthly_equivalent
from app.ml.hiring import HiringModel
from app.ml.hiring_scorer import scorer_for
from app.services.hiring.conditions import N_SECTIONS, PostingConditions
from app.services.hiring.market import MarketBounds
from app.services.hiring.plans import Levers, build_levers, changed_conditions, lever_columns, lever_costs
from app.services.hiring.scoring import probabilities, repeat_columns
from app.text.korean import format_manwon, format_rate

MIN_GAIN = 0.001
"""Smallest rise in probability (0.1 %p) worth suggesting."""
WAGE_RAISES = (1, 2, 4)  # wage steps of 5 %: +5 %, +10 %, +20 %
HOUR_CUTS = (1, 2)  # 2-hour steps: −2 h, −4 h
PER_LEVER = 2


def _median_step(lv: Levers, bounds: MarketBounds) -> int | None:
    """First wage step paying at least the similar postings' median (40-hour monthly), if in bounds."""
    fte_at_base = np.asarray(monthly_equivalent(lv.base.wage_type, lv.amounts[0].astype(float), lv.base.weekly_hours))
    fte_at_base = full_time_equivalent(fte_at_base, lv.base.weekly_hours)
    reaching = np.flatnonzero(fte_at_base >= bounds.median_wage_fte)
    if reaching.size == 0 or reaching[0] == 0 or reaching[0] > lv.max_step[0]:
        return None
    return int(reaching[0])


@dataclass(frozen=True)
class Advice:
    """One suggestion.

    Attributes:
        text: Korean, e.g. "월급 230만원 → 250만원: 채용확률 42%→61% (월 약 20만원 추가)".
        lever: ``wage`` | ``hours`` | ``welfare`` | ``insurance`` | ``regular`` | ``career`` |
            ``education`` | ``sections`` | ``legal``.
        probability_before: Probability before the change (of the lawful baseline; of the posting
            itself for ``legal``).
        probability_after: Probability after it.
        monthly_cost: Estimated KRW per month per hire of this change.
        changes: Field → new value against the posting as it is (apply with ``replace``).
    """

    text: str
    lever: str
    probability_before: float
    probability_after: float
    monthly_cost: int
    changes: Mapping[str, object]


def _percent_pair(before: float, after: float) -> str:
    decimals = 0 if round(before * 100) != round(after * 100) else 1
    return f"{format_rate(before, decimals=decimals)}→{format_rate(after, decimals=decimals)}"


def _text(step: str, before: float, after: float, cost: int) -> str:
    money = f"월 약 {format_manwon(cost)} 추가" if cost >= 5_000 else "추가 비용 거의 없음"
    return f"{step}: 채용확률 {_percent_pair(before, after)} ({money})"


def advice(conditions: PostingConditions, model: HiringModel, bounds: MarketBounds) -> list[Advice]:
    """Single changes that raise the probability, best effect per cost first.

    Args:
        conditions: The posting as it is.
        model: The hiring model.
        bounds: From :func:`app.services.hiring_plans.market_bounds` (wage and hours limits).

    Returns:
        Suggestions (possibly none), each with ``probability_after > probability_before``.
    """
    lv = build_levers(conditions, bounds)
    # Candidate rows in lever-index form: (lever, hours idx, wage step, welfare count, flags).
    rows: list[tuple[str, int, int, int, dict[str, bool]]] = [("base", 0, 0, 0, {})]
    wage_steps = [k for k in WAGE_RAISES if k <= lv.max_step[0]]
    median_step = _median_step(lv, bounds)
    if median_step is not None and median_step not in wage_steps:
        wage_steps.append(median_step)
    rows += [("wage", 0, k, 0, {}) for k in wage_steps]
    rows += [("hours", j, 0, 0, {}) for j in HOUR_CUTS if j < len(lv.hours)]
    if lv.welfare_extra:
        rows.append(("welfare", 0, 0, 1, {}))
    rows += [(name, 0, 0, 0, {name: True}) for name in lv.binary]
    h, k, w = (np.array([r[i] for r in rows], dtype=np.int64) for i in (1, 2, 3))
    flags = {name: np.array([r[4].get(name, False) for r in rows]) for name in lv.binary}
    scorer = scorer_for(model)
    cols = lever_columns(lv, h, k, w, flags)
    extra_sections = lv.base.n_sections < N_SECTIONS
    if extra_sections:  # writing the missing sections: free, and the model rewards completeness
        cols = {name: np.append(values, repeat_columns(lv.base, 1, n_sections=np.array([N_SECTIONS]))[name])
                for name, values in cols.items()}
    p = scorer.probability(scorer.matrix(cols))
    cost = sum(lever_costs(lv, h, k, w, flags).values())
    base_p, base_cost = float(p[0]), float(cost[0])

    legal_changes, legal_steps = changed_conditions(lv, 0, 0, 0, {})
    legal_note = " + 법정 기준 충족" if legal_changes else ""
    found: list[tuple[float, float, Advice]] = []
    for i, (lever, hi, ki, wi, fl) in enumerate(rows[1:], start=1):
        gain = float(p[i]) - base_p
        if gain < MIN_GAIN:
            continue
        changes, steps = changed_conditions(lv, hi, ki, wi, fl)
        own = [s for s in steps if s not in legal_steps]
        if lever == "wage" and ki == median_step:
            own[-1] += " (비슷한 공고의 중앙값 수준)"
        extra_cost = int(round(max(float(cost[i]) - base_cost, 0.0), -3))
        item = Advice(_text(" · ".join(own) + legal_note, base_p, float(p[i]), extra_cost), lever, base_p, float(p[i]), extra_cost,
                      changes)
        found.append((gain / max(extra_cost, 1.0), gain, item))
    if extra_sections and float(p[-1]) - base_p >= MIN_GAIN:
        step = f"공고 항목 {lv.base.n_sections}개 → {N_SECTIONS}개 모두 작성{legal_note}"
        item = Advice(_text(step, base_p, float(p[-1]), 0), "sections", base_p, float(p[-1]), 0,
                      {**legal_changes, "n_sections": N_SECTIONS})
        found.append((float(p[-1]) - base_p, float(p[-1]) - base_p, item))
    found.sort(key=lambda entry: (-entry[0], -entry[1]))
    result: list[Advice] = []
    for _, _, item in found:  # at most two suggestions per lever keep the list short
        if sum(1 for kept in result if kept.lever == item.lever) < PER_LEVER:
            result.append(item)

    if legal_changes:
        before = float(probabilities([conditions], model)[0])
        if base_p - before >= MIN_GAIN:
            step = "법정 기준 충족(" + ", ".join(legal_steps) + ")"
            result.insert(0, Advice(_text(step, before, base_p, int(round(base_cost, -3))), "legal", before, base_p,
                                    int(round(base_cost, -3)), legal_changes))
    return result
