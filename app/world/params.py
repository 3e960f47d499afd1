"""World sizes, the simulated calendar and the fixed world parameters (not truth equations).

The truth equations live in ``truth.py``; this module holds how many of each entity a world has and
the distributions entities are drawn from (each with the domain fact it follows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.reference.codes import CAREER_LEVELS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, SEEKER_EDUCATION

__all__ = ["CAREER_LEVELS", "EDUCATION_LEVELS", "EMPLOYMENT_TYPES", "SEEKER_EDUCATION"]  # the world draws from these


@dataclass(frozen=True)
class WorldSize:
    """Row targets of one world size."""

    name: str
    employers: int
    postings: int
    seekers: int
    courses: int
    test_respondents: int
    session_share: float  # online service sessions per seeker
    chunk: int  # rows generated (text) and written per chunk


SIZES: dict[str, WorldSize] = {
    "small": WorldSize("small", employers=60, postings=400, seekers=600, courses=80, test_respondents=120,
                       session_share=0.6, chunk=5_000),
    "demo": WorldSize("demo", employers=2_500, postings=8_000, seekers=20_000, courses=1_500,
                      test_respondents=1_500, session_share=0.6, chunk=20_000),
    "large": WorldSize("large", employers=50_000, postings=200_000, seekers=1_000_000, courses=20_000,
                       test_respondents=50_000, session_share=0.3, chunk=50_000),
}

WORLD_VERSION = "5"
"""Version of what a world contains, stored in ``world_meta.world_version``; ``python -m app build``
regenerates a world of another version (databases built before the stamp count as ``"1"``). Bump it
when the generator writes different tables or content, not for a change of random draws alone.
2: the interest test's bank of ``interest_items.csv`` (RIASEC and work-environment items) in
``test_items`` without parameters; true parameters in ``truth_test_items``, respondents' true
work-environment preferences in ``truth_environment_preferences``.
3: training courses as programmes run in rounds (``programme_code``, ``round_no``) scheduled about six
months past the reference date, with published completion and employment rates; a course's effect
depends on the seeker (relevance to the desired occupation, skill gap closed, completion), its
quality in ``truth_courses``.
4: each seeker's true barriers to employment (a ``barriers`` column of the seekers' truth table,
:func:`app.world.truth.employment_barriers`), what a counselling diagnosis is checked against.
5: each employed seeker's insured job in ``seeker_jobs`` (industry, firm size, wage, start and end: tenure
censored at the observation end) and the certificates' true value by industry in a truth table
(:mod:`app.world.jobs`; issue 19's certificate analysis is graded against it)."""

# Simulated calendar. Postings open 2024-01 … 2026-09 (so their year's minimum wage is 2024, 2025
# or 2026); seekers register until 2026-05-26 so that 180 days are observed by 2026-11-22.
PERIOD_START = dt.date(2024, 1, 1)
POSTING_LAST_OPEN = dt.date(2026, 9, 30)
SEEKER_LAST_REGISTRATION = dt.date(2026, 5, 26)
OBSERVATION_END = dt.date(2026, 11, 22)
REFERENCE_DATE = SEEKER_LAST_REGISTRATION
"""The data's one reference date (기준일, ``world_meta.reference_date``): "today" on every page.

Counsellors need an open caseload (seekers registered within 180 days and not yet employed), so
"today" is the last registration day. What the world simulates after it (outcomes up to
:data:`OBSERVATION_END`, postings opened later) is the future the models are graded against; no
page counts it as the present."""
EMPLOYMENT_HORIZON_DAYS = 180

# Posting windows (close − open). Many 고용24 postings run "채용 시까지" and are extended, so
# windows are long enough that only about 9 % stay unfilled while about 60 % fill within 30 days.
WINDOW_DAYS: tuple[int, ...] = (30, 60, 90, 120)
WINDOW_SHARES: tuple[float, ...] = (0.15, 0.35, 0.30, 0.20)

# Regional labour demand relative to employment (vacancies per worker). 경기·충남·울산 and 경남
# have strong manufacturing demand; 강원·전남·제주 and 부산 weaker. World parameter, documented
# estimate (KOSIS 시도별 구인배수 is not in domain-facts).
REGION_DEMAND: dict[str, float] = {
    "11": 1.05, "26": 0.85, "27": 0.90, "28": 1.00, "29": 0.90, "30": 0.95, "31": 1.15, "36": 1.05,
    "41": 1.15, "43": 1.10, "44": 1.20, "45": 0.85, "46": 0.85, "47": 1.00, "48": 1.05, "50": 0.80,
    "51": 0.80,
}

# Employment type shares by KECO 대분류 (정규직, 계약직, 시간제, 일용직). Non-regular work is
# common in service, care and construction jobs (domain-facts §4.1: non-regular hourly wage 66 %).
EMPLOYMENT_TYPE_SHARES: dict[str, tuple[float, float, float, float]] = {
    "0": (0.70, 0.22, 0.07, 0.01),
    "1": (0.80, 0.17, 0.03, 0.00),
    "2": (0.45, 0.35, 0.19, 0.01),
    "3": (0.60, 0.25, 0.14, 0.01),
    "4": (0.55, 0.30, 0.13, 0.02),
    "5": (0.35, 0.20, 0.40, 0.05),
    "6": (0.55, 0.20, 0.20, 0.05),
    "7": (0.30, 0.20, 0.05, 0.45),
    "8": (0.60, 0.25, 0.08, 0.07),
    "9": (0.30, 0.20, 0.20, 0.30),
}

CAREER_SHARES: tuple[float, ...] = (0.30, 0.45, 0.25)

# Age bands of new job-seeking registrations: 20s 24 %, 60+ 20 % (2023; domain-facts §4.3).
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (18, 19, 0.02), (20, 29, 0.24), (30, 39, 0.17), (40, 49, 0.17), (50, 59, 0.20), (60, 69, 0.16), (70, 75, 0.04),
)
FEMALE_SHARE = 0.55  # women ≈ 55 % of registrants 2014–2018 (§4.3)
DISABILITY_SHARE = 0.045

# Education of seekers by age group (index: <30, 30–49, 50–59, 60+), over SEEKER_EDUCATION.
EDUCATION_BY_AGE: tuple[tuple[float, ...], ...] = (
    (0.01, 0.24, 0.25, 0.45, 0.05),
    (0.02, 0.30, 0.24, 0.37, 0.07),
    (0.10, 0.45, 0.20, 0.23, 0.02),
    (0.35, 0.40, 0.10, 0.14, 0.01),
)

# Occupational segregation: multipliers on the KECO 대분류 posting weight by sex and age, so that
# women concentrate in care, health and office work and men in construction, production and
# driving, and older seekers in security/cleaning/care (domain-facts §4.3 preferred occupations).
SEX_OCCUPATION_TILT: dict[str, dict[str, float]] = {
    "F": {"0": 1.3, "1": 0.6, "2": 1.4, "3": 1.8, "4": 1.1, "5": 1.5, "6": 0.6, "7": 0.15, "8": 0.6, "9": 0.7},
    "M": {"0": 0.8, "1": 1.4, "2": 0.7, "3": 0.4, "4": 0.9, "5": 0.7, "6": 1.4, "7": 1.9, "8": 1.4, "9": 1.2},
}
OLD_AGE_TILT: dict[str, float] = {"0": 0.6, "1": 0.3, "2": 0.7, "3": 0.8, "4": 0.4, "5": 2.2, "6": 1.0, "7": 1.2,
                                  "8": 0.9, "9": 2.0}
YOUNG_AGE_TILT: dict[str, float] = {"0": 1.3, "1": 1.6, "2": 1.1, "3": 1.2, "4": 1.6, "5": 0.8, "6": 0.8, "7": 0.5,
                                    "8": 0.8, "9": 0.4}

# Majors by KECO 대분류 of the desired occupation (for résumés).
MAJORS: dict[str, tuple[str, ...]] = {
    "0": ("경영학", "경제학", "행정학", "회계학", "무역학"),
    "1": ("컴퓨터공학", "전자공학", "기계공학", "화학공학", "산업공학"),
    "2": ("사회복지학", "교육학", "유아교육", "법학", "심리학"),
    "3": ("간호학", "보건행정", "식품영양학", "물리치료학", "임상병리학"),
    "4": ("시각디자인", "미디어커뮤니케이션", "체육학", "국어국문학", "연극영화"),
    "5": ("호텔관광경영", "조리과학", "뷰티케어", "사회복지학", "경찰행정"),
    "6": ("경영학", "유통학", "물류학", "자동차공학", "중국어"),
    "7": ("건축학", "토목공학", "건축설비", "실내건축", "부동산학"),
    "8": ("기계공학", "전기공학", "금속공학", "자동차공학", "식품공학"),
    "9": ("원예학", "농업경제", "산림자원", "수산학", "축산학"),
}

COUNSELLORS: tuple[str, ...] = ("상담사 김지현", "상담사 박성호", "상담사 이수민", "상담사 최윤정", "상담사 정민재")
