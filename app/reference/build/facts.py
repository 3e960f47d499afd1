"""Hand-written reference tables from ``shared/guide/domain-facts.md`` (tags in brackets).

Regions, KSIC industries, firm sizes, the statutory minimum wage, welfare items and the legal
rules the world plants in postings. Nothing here reads the shared data directory.
"""

from __future__ import annotations

import pandas as pd

from app.labour import MONTHLY_HOURS_FULL_TIME
from app.reference.build.writer import compute_normalised_weights

MINIMUM_WAGE: tuple[tuple[int, int, str], ...] = (
    (2023, 9_620, "S23;S24"),
    (2024, 9_860, "S23;S24"),
    (2025, 10_030, "S23;S24"),
    (2026, 10_320, "S23;S24 (고시 2025-08-05)"),
)

# code, full name, short name, Q3-2016 employment share in % [S43], monthly wage in 10k KRW [S36e].
# 세종 is not listed in [S43]; the listed shares already sum to 100.1 %, so 세종 is taken out of
# 충남 (its neighbour and former territory) at about 1/8 of their combined population, i.e. 0.6 of
# 충남's 4.8 points [estimate]. Wages not listed in [S36e] are our estimates (flagged).
_REGIONS: tuple[tuple[str, str, str, float, float | None], ...] = (
    ("11", "서울특별시", "서울", 19.4, 459.9),
    ("26", "부산광역시", "부산", 6.3, None),
    ("27", "대구광역시", "대구", 4.7, None),
    ("28", "인천광역시", "인천", 5.8, None),
    ("29", "광주광역시", "광주", 2.8, None),
    ("30", "대전광역시", "대전", 2.9, None),
    ("31", "울산광역시", "울산", 2.2, 454.8),
    ("36", "세종특별자치시", "세종", 0.6, None),
    ("41", "경기도", "경기", 24.9, 409.9),
    ("43", "충청북도", "충북", 3.2, None),
    ("44", "충청남도", "충남", 4.2, 438.5),
    ("45", "전북특별자치도", "전북", 3.5, None),
    ("46", "전라남도", "전남", 3.6, None),
    ("47", "경상북도", "경북", 5.4, None),
    ("48", "경상남도", "경남", 6.4, None),
    ("50", "제주특별자치도", "제주", 1.3, 322.8),
    ("51", "강원특별자치도", "강원", 2.9, 340.6),
)
_NATIONAL_MONTHLY_WAGE_10K = 425.7  # [S36e], Jul 2024, firms >= 1
# Estimated wage index for regions [S36e] does not list (relative to national = 1):
# metropolitan cities with heavy industry or public institutions near the mean, others below.
_REGION_WAGE_ESTIMATES: dict[str, float] = {
    "26": 0.88, "27": 0.85, "28": 0.93, "29": 0.88, "30": 0.94, "36": 1.00,
    "43": 0.95, "45": 0.86, "46": 0.94, "47": 0.93, "48": 0.92,
}

# KSIC (10th revision) sections. posting_weight: [S38b] Dec 2024 vacancies via 고용24 give
# 보건·복지 44,109, 제조 40,016, 사업시설관리 23,414 of 158,227; the other 32.0 % is spread over
# the remaining sections by our estimate. wage_index (all industries = 1): 전기·가스 88.7M,
# 금융·보험 88.6M, 숙박·음식 30.84M vs 49.17M [S36c]; 농림어업 2.44M and 협회·단체 2.29M vs the
# 3.75M job-level mean [S36f]; the rest estimated.
_TOTAL_VACANCIES_DEC_2024 = 158_227
_INDUSTRIES: tuple[tuple[str, str, float | None, float, str], ...] = (
    # code, name, vacancies [S38b] or None, share estimate if None, wage source
    ("A", "농업, 임업 및 어업", None, 0.005, "S36f"),
    ("B", "광업", None, 0.001, "estimate"),
    ("C", "제조업", 40_016, 0.0, "estimate"),
    ("D", "전기, 가스, 증기 및 공기 조절 공급업", None, 0.002, "S36c"),
    ("E", "수도, 하수 및 폐기물 처리, 원료 재생업", None, 0.007, "estimate"),
    ("F", "건설업", None, 0.035, "estimate"),
    ("G", "도매 및 소매업", None, 0.060, "estimate"),
    ("H", "운수 및 창고업", None, 0.040, "estimate"),
    ("I", "숙박 및 음식점업", None, 0.045, "S36c"),
    ("J", "정보통신업", None, 0.020, "estimate"),
    ("K", "금융 및 보험업", None, 0.008, "S36c"),
    ("L", "부동산업", None, 0.010, "estimate"),
    ("M", "전문, 과학 및 기술 서비스업", None, 0.030, "estimate"),
    ("N", "사업시설 관리, 사업 지원 및 임대 서비스업", 23_414, 0.0, "estimate"),
    ("O", "공공 행정, 국방 및 사회보장 행정", None, 0.010, "estimate"),
    ("P", "교육 서비스업", None, 0.025, "estimate"),
    ("Q", "보건업 및 사회복지 서비스업", 44_109, 0.0, "estimate"),
    ("R", "예술, 스포츠 및 여가관련 서비스업", None, 0.008, "estimate"),
    ("S", "협회 및 단체, 수리 및 기타 개인 서비스업", None, 0.012, "S36f"),
    ("T", "가구 내 고용활동 및 달리 분류되지 않은 자가 소비 생산활동", None, 0.001, "estimate"),
    ("U", "국제 및 외국기관", None, 0.0005, "estimate"),
)
_INDUSTRY_WAGE_INDEX: dict[str, float] = {
    "A": round(2.44 / 3.75, 3),  # [S36f]
    "B": 1.10, "C": 1.05,
    "D": round(88.7 / 49.17, 3),  # [S36c]
    "E": 0.95, "F": 0.95, "G": 0.90, "H": 0.95,
    "I": round(30.84 / 49.17, 3),  # [S36c]
    "J": 1.25,
    "K": round(88.6 / 49.17, 3),  # [S36c]
    "L": 0.85, "M": 1.20, "N": 0.72, "O": 1.10, "P": 0.95, "Q": 0.78, "R": 0.80,
    "S": round(2.29 / 3.75, 3),  # [S36f] (협회·단체)
    "T": 0.50, "U": 1.20,
}

# Firm sizes. wage_index relative to all regular employees (49.17M): >= 300 = 71.21M [S36c];
# the < 300 average is 44.27M (= 62.2 % of >= 300); its split into four bands is estimated so
# that smaller firms pay less. employer_share = share of employers posting on 고용24 [estimate:
# most posting employers are small; 5–29 is the largest band].
_FIRM_SIZES: tuple[tuple[str, str, int, int | None, float, float], ...] = (
    ("S1", "1–4명", 1, 4, 0.30, 0.74),
    ("S2", "5–29명", 5, 29, 0.45, 0.86),
    ("S3", "30–99명", 30, 99, 0.15, 0.96),
    ("S4", "100–299명", 100, 299, 0.07, 1.05),
    ("S5", "300명 이상", 300, None, 0.03, round(71.21 / 49.17, 3)),
)

_WELFARE_ITEMS: tuple[tuple[str, str, bool], ...] = (
    # name, category, statutory (법정: every lawful job must provide it; 퇴직금 needs 1 year
    # and 15 h/week, 연차 applies in full at 5+ workers — the world treats them as baseline)
    ("4대보험", "법정", True),
    ("퇴직금", "법정", True),
    ("연차휴가", "법정", True),
    ("식사 제공", "생활", False),
    ("식대 지원", "금전", False),
    ("교통비", "금전", False),
    ("통근버스", "생활", False),
    ("기숙사", "생활", False),
    ("주차 지원", "생활", False),
    ("명절 상여금", "금전", False),
    ("성과급", "금전", False),
    ("경조사비", "금전", False),
    ("건강검진", "생활", False),
    ("자기계발비", "성장", False),
    ("교육·연수 지원", "성장", False),
    ("유연근무제", "근무형태", False),
    ("재택근무", "근무형태", False),
    ("자녀 학자금", "금전", False),
    ("휴양시설", "생활", False),
    ("장기근속 포상", "금전", False),
)

# rule_id, family, name_ko, law, article, severity, base_rate, description_ko.
# Base rates are shares of ALL postings (sum 0.091): MOEL 2022 found ~8.8 % of monitored portal
# ads age-suspect and ~7 % sex-discriminatory in an earlier sample [S13][S18]; 고용24 screens ads
# before they go live [S19], so the world plants far fewer, keeping the order of [S13][S17][S18]
# [S20][S21]: age > sex/appearance > personal data > pay/hours > fees/identity/lure > duplicates.
_VIOLATION_RULES: tuple[tuple[str, str, str, str, str, str, float, str], ...] = (
    ("AGE_DISCRIM", "discrimination", "연령 차별", "고령자고용법", "제4조의4", "medium", 0.025,
     "직무와 무관하게 연령 상한·하한이나 '젊은 분' 같은 간접 연령 조건을 두는 모집 (예: 35세 이하, 20~30대 우대)."),
    ("SEX_DISCRIM", "discrimination", "성별 차별", "남녀고용평등법", "제7조 제1항", "high", 0.013,
     "직무상 불가피하지 않은데 특정 성별만 모집하거나 우대하는 공고 (예: 남자만, 여직원 모집)."),
    ("APPEARANCE", "discrimination", "용모·신체조건 요구", "남녀고용평등법; 채용절차법",
     "제7조 제2항; 제4조의3", "medium", 0.009,
     "직무에 필요 없는 용모·키·체중 등 신체조건을 요구하거나 기초심사자료로 수집 (예: 용모단정, 키 160cm 이상)."),
    ("PERSONAL_INFO", "privacy", "직무무관 개인정보 요구", "채용절차법", "제4조의3", "medium", 0.008,
     "출신지역·혼인여부·재산, 직계 존비속·형제자매의 학력·직업·재산을 기초심사자료에 기재하거나 증빙하게 함."),
    ("BELOW_MIN_WAGE", "labour_standards", "최저임금 미달", "최저임금법", "제6조", "high", 0.007,
     "제시 임금을 시간급으로 환산하면 해당 연도 최저임금보다 낮은 공고."),
    ("RRN_REQUEST", "privacy", "주민등록번호·등본 요구", "개인정보보호법", "제24조의2", "high", 0.005,
     "채용 전 단계에서 주민등록번호 기재나 주민등록등본·가족관계증명서 제출을 요구."),
    ("APPLICANT_FEE", "fraud", "구직자 비용 부담", "채용절차법; 직업안정법 시행령", "제9조; 제34조",
     "high", 0.005, "채용심사 비용이나 교육비·보증금·유니폼비 등을 지원자에게 선납하게 하는 공고."),
    ("EXCESS_HOURS", "labour_standards", "연장근로 한도 초과", "근로기준법", "제53조", "medium", 0.004,
     "제시 근로시간이 주 52시간(법정 40시간 + 연장 12시간)을 넘는 공고 (5인 이상 사업장)."),
    ("HIDDEN_IDENTITY", "fraud", "모집자 신원 은폐", "직업안정법; 직업안정법 시행령",
     "제34조; 제34조 제2호", "high", 0.004,
     "회사명·대표자 등 모집자 신원을 밝히지 않고 메신저 ID나 전화로만 연락하게 하는 공고."),
    ("FALSE_LURE", "fraud", "허위·과장 조건 유인", "직업안정법", "제34조", "high", 0.0035,
     "업무에 비해 비현실적인 고수익 보장이나 실제와 현저히 다른 조건으로 구직자를 유인하는 공고."),
    ("MARITAL_PREGNANCY", "discrimination", "혼인·임신 조건", "남녀고용평등법", "제7조 제2항", "high",
     0.003, "미혼이거나 임신 계획이 없는 사람만 모집하는 등 혼인·임신·출산을 채용 조건으로 삼는 공고."),
    ("DUPLICATE", "platform", "중복 게시", "고용24 운영 기준", "법령 아님(운영 정책)", "low", 0.0025,
     "같은 사업장이 같은 내용의 공고를 반복 게시. 법령 위반이 아니라 플랫폼 운영 기준에 따른 정비 대상."),
    ("DISABILITY_DISCRIM", "discrimination", "장애 차별", "장애인차별금지법", "제10조", "high", 0.002,
     "직무 수행과 무관하게 장애인을 배제하거나 '신체 건강한 분만' 같은 조건을 두는 공고."),
)

# KSIC section codes in table order (A..U).
INDUSTRY_CODES: tuple[str, ...] = tuple(x[0] for x in _INDUSTRIES)


def build_regions() -> pd.DataFrame:
    """17 시도 with employment weights [S43] and wage index [S36e] (estimates flagged)."""
    weights = compute_normalised_weights({c: share for c, _, _, share, _ in _REGIONS})
    rows = []
    for code, name, short, _, wage in _REGIONS:
        if wage is not None:
            idx, src = round(wage / _NATIONAL_MONTHLY_WAGE_10K, 3), "S43;S36e"
        else:
            idx, src = _REGION_WAGE_ESTIMATES[code], "S43;wage_index=estimate"
        if code in ("36", "44"):
            src = src.replace("S43", "S43+세종 split estimate")
        rows.append({"code": code, "name": name, "short": short, "employment_weight": float(weights[code]),
                     "wage_index": idx, "source": src})
    return pd.DataFrame(rows).sort_values("code").reset_index(drop=True)


def build_industries() -> pd.DataFrame:
    """KSIC sections with posting weights [S38b] and wage index [S36c][S36f] (estimates flagged)."""
    known = sum(v for _, _, v, _, _ in _INDUSTRIES if v)
    rest = 1.0 - known / _TOTAL_VACANCIES_DEC_2024
    est_total = sum(e for _, _, v, e, _ in _INDUSTRIES if not v)
    raw = {c: (v / _TOTAL_VACANCIES_DEC_2024 if v else rest * e / est_total) for c, _, v, e, _ in _INDUSTRIES}
    weights = compute_normalised_weights(raw)
    rows = []
    for code, name, vac, _, wsrc in _INDUSTRIES:
        psrc = "S38b" if vac else "S38b remainder split by estimate"
        rows.append({"code": code, "name": name, "posting_weight": float(weights[code]),
                     "wage_index": _INDUSTRY_WAGE_INDEX[code], "source": f"posting={psrc}; wage={wsrc}"})
    return pd.DataFrame(rows)


def build_firm_sizes() -> pd.DataFrame:
    """Firm-size bands (employer shares estimated; wage index from [S36c], bands estimated)."""
    columns = ["code", "label", "min_workers", "max_workers", "employer_share", "wage_index"]
    df = pd.DataFrame(_FIRM_SIZES, columns=columns)
    df["max_workers"] = df["max_workers"].astype("Int64")
    return df


def build_minimum_wage() -> pd.DataFrame:
    """Statutory hourly minimum wage 2023–2026 and the 209-hour monthly equivalent [S23][S24]."""
    return pd.DataFrame(
        [
            {"year": y, "hourly": h, "monthly_209h": h * MONTHLY_HOURS_FULL_TIME, "source": s}
            for y, h, s in MINIMUM_WAGE
        ]
    )


def build_welfare_items() -> pd.DataFrame:
    """Welfare/benefit items a posting can offer (our list; statutory = 법정)."""
    return pd.DataFrame(
        [
            {"code": f"W{i:02d}", "name": n, "category": c, "statutory": s}
            for i, (n, c, s) in enumerate(_WELFARE_ITEMS, 1)
        ]
    )


def build_violation_rules() -> pd.DataFrame:
    """Legal problems the world plants in postings, with base rates (§1 of domain-facts)."""
    cols = ["rule_id", "family", "name_ko", "law", "article", "severity", "base_rate", "description_ko"]
    return pd.DataFrame(list(_VIOLATION_RULES), columns=cols)
