"""Checks of an ad's structured fields: pay against the minimum wage of its year, weekly hours,
and whether the recruiter can be identified.

Minimum-wage arithmetic (domain-facts §1.4, :mod:`app.labour`): the posted wage is turned into
its hourly equivalent — hourly as is; daily over 8-hour days; monthly over the paid hours of the
schedule (209 h for 40 h a week, the 209-hour convention); annual ÷ 12, then as monthly — and
compared with the minimum wage of the posting's year (:class:`app.labour.MinimumWageTable`:
default the current year; a year beyond the table uses its latest year).
"""

from __future__ import annotations

import math
import re

from app.labour import MAX_WEEKLY_HOURS, MinimumWage, below_minimum, hourly_equivalent
from app.reference.codes import WAGE_TYPES
from app.verify.rules import ConditionRule, RuleHit, RuleSet, hit_for

PHONE_RE = re.compile(r"(?<!\d)(0\d{1,2}[-.\s)]?\d{3,4}[-.\s]?\d{4}|1[5-8]\d{2}[-.\s]?\d{4})(?!\d)")
"""A Korean landline, mobile or representative number."""


def _condition(rules: RuleSet, rule_id: str) -> ConditionRule:
    return next(c for c in rules.conditions if c.id == rule_id)


def check_conditions(
    rules: RuleSet,
    *,
    wage_type: str,
    wage: float,
    hours_per_week: float,
    minimum: MinimumWage,
    employer_name: str = "",
    contact: str = "",
    text: str = "",
    check_identity: bool = True,
) -> list[RuleHit]:
    """Hits of the fixed checks for one ad.

    Args:
        rules: The rule set (for how each check is reported).
        wage_type: ``hourly``, ``daily``, ``monthly`` or ``annual``.
        wage: Posted amount in KRW.
        hours_per_week: Scheduled weekly hours.
        minimum: The minimum wage that applies.
        employer_name: The recruiter's name, when known.
        contact: The contact line, when known.
        text: Title and body (the identity check looks for a phone number and the name there).
        check_identity: Whether to check the recruiter's identity (off when the caller knows the
            employer, e.g. a posting of a registered employer).

    Raises:
        ValueError: Unknown wage type.
    """
    if wage_type not in WAGE_TYPES:
        raise ValueError(f"임금 형태 '{wage_type}'는 허용되지 않습니다 ({', '.join(WAGE_TYPES)})")
    hits: list[RuleHit] = []
    hourly = float(hourly_equivalent(wage_type, float(wage), float(hours_per_week)))
    if below_minimum(hourly, minimum.hourly):
        rule = _condition(rules, "BELOW_MIN_WAGE")
        # rounded down: 10,319.99 must not read "10,320원 < 10,320원"
        evidence = f"시간급 환산 {math.floor(hourly):,}원 < {minimum.year}년 최저임금 {minimum.hourly:,}원"
        hits.append(hit_for(rule, "wage", 0, 0, evidence))
    if hours_per_week > MAX_WEEKLY_HOURS:
        rule = _condition(rules, "EXCESS_HOURS")
        hits.append(hit_for(rule, "hours_per_week", 0, 0, f"주 {hours_per_week:g}시간 > 주 52시간"))
    if check_identity:
        # a recruiter is identified by a name and a phone number (in the contact field or the text)
        has_name = bool(employer_name.strip())
        has_phone = bool(PHONE_RE.search(contact) or PHONE_RE.search(text))
        if not has_name or not has_phone:
            missing = [label for label, ok in (("회사명", has_name), ("전화번호", has_phone)) if not ok]
            rule = _condition(rules, "MISSING_IDENTITY")
            hits.append(hit_for(rule, "employer_name" if not has_name else "contact", 0, 0, f"{'·'.join(missing)} 없음"))
    return hits
