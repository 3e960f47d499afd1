"""Derive the committed reference tables in ``data/reference/`` from public data and facts.

Inputs are the third-party files under ``shared_data_dir`` (see ``shared/data/SOURCES.md``)
and hand-written facts from ``shared/guide/domain-facts.md`` (tags such as ``[S23]`` are kept
in the ``source`` columns and in ``data/reference/README.md``). Only aggregates, derived
keywords and official public code tables are written: no raw survey row, dictionary sentence
or job-ad text ever reaches the CSVs.

Two rules keep later evaluation honest:

* KNOW 2018 incumbents with an **odd** ``idx`` are a hold-out for occupation recommendation
  (:func:`load_know_holdout`); only even-``idx`` rows are aggregated into ``occupations.csv``.
* The build is deterministic: rows are sorted, floats are rounded to fixed decimals and the
  only randomness-free tokenizer (kiwipiepy) is used, so two builds give identical bytes.

Run with ``python -m app reference`` (wired to :func:`main_reference`).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------
# File layout
# --------------------------------------------------------------------------------------

TABLE_FILES: dict[str, str] = {
    "keco_tree": "keco_tree.csv",
    "occupations": "occupations.csv",
    "regions": "regions.csv",
    "industries": "industries.csv",
    "industry_occupation": "industry_occupation.csv",
    "firm_sizes": "firm_sizes.csv",
    "minimum_wage": "minimum_wage.csv",
    "certificates": "certificates.csv",
    "welfare_items": "welfare_items.csv",
    "ncs_fields": "ncs_fields.csv",
    "violation_rules": "violation_rules.csv",
}

_KECO_TREE_FILE = Path("korean_occupation_codes") / "keco2025_tree.csv"
_NCS_FILE = Path("korean_occupation_codes") / "ncs_classification_major_middle_minor.csv"
_DICTIONARY_FILE = Path("korean_job_dictionary") / "job_dictionary_detail.csv.gz"
_KNOW_DIR = Path("know_dacon")

RIASEC_LETTERS = ("R", "I", "A", "S", "E", "C")
RIASEC_COLUMNS = tuple(f"riasec_{x.lower()}" for x in RIASEC_LETTERS)
# KNOW 2018 item order is fixed by the codebook (2018_value_labels.txt): iq1..iq6 = R,I,A,S,E,C.
KNOW_INTEREST_ITEMS = ("iq1", "iq2", "iq3", "iq4", "iq5", "iq6")

# An occupation needs this many even-idx incumbents to get its own profile; with fewer,
# a single respondent would dominate, so it borrows the pooled mean of its 중분류.
MIN_DIRECT_INCUMBENTS = 3
MIN_DIRECT_WAGES = 8

HOURS_PER_MONTH = 209  # 40 h/week + paid weekly rest (주휴), the legal monthly convention [S23][S25]

# --------------------------------------------------------------------------------------
# KECO 2018 -> KECO 2025 crosswalk
# --------------------------------------------------------------------------------------
# 직업사전 dJobECd and the KNOW knowcode prefix are KECO **2018** 세분류 codes (e.g. 1350
# 정보보안 전문가, 6130 텔레마케터 and 2331 성직자 do not exist in the 2025 tree, and only
# 40% of the dictionary's 443 four-digit codes keep their name in 2025). The world uses
# KECO 2025 소분류, so every 2018 세분류 keeps its 3-digit prefix except the ones below,
# found by name comparison against the 2025 세분류 list.
KECO2018_TO_2025_OVERRIDES: dict[str, str] = {
    "1341": "135",  # 데이터 전문가 -> 135 데이터 전문가
    "1342": "134",  # 네트워크 시스템 개발자 -> 134
    "1343": "136",  # 정보시스템 운영자 -> 136 정보시스템 및 웹 운영자
    "1344": "136",  # 웹 운영자 -> 136
    "1349": "134",  # 기타 데이터 및 네트워크 전문가 -> 1349 기타 네트워크 및 정보 보안 전문가
    "1350": "134",  # 정보보안 전문가 -> 1342 정보 보안 전문가
    "1360": "137",  # 통신·방송송출 장비 기사 -> 137
    "5115": "513",  # 반려동물 미용 및 관리 종사원 -> 513 반려동물 서비스원 (new in 2025)
    "5324": "624",  # 음식 배달원 -> 6249 기타 배달원
    "5613": "562",  # 배관 세정원 및 방역원 -> 562 세정원 및 방역원
    "5614": "563",  # 구두 미화원 -> 5631
    "5615": "563",  # 세탁원 -> 5632
    "5616": "563",  # 가사 도우미 -> 5633
    "6123": "613",  # 자동차 영업원 -> 613 자동차 및 제품 영업원
    "6124": "613",  # 제품·광고 영업원 -> 6132 제품 영업원
    "6130": "614",  # 텔레마케터 -> 614
    "6140": "615",  # 소규모 상점 경영 및 일선 관리 -> 6151
}
# Whole 2018 소분류 that moved: 562 (검침·주차관리 및 기타 단순) became 564 in 2025.
KECO2018_GROUP_OVERRIDES: dict[str, str] = {"562": "564"}
# 233 성직자·기타 종교 종사자 has no counterpart in the 2025 tree: those entries are dropped.
KECO2018_DROPPED_GROUPS: frozenset[str] = frozenset({"233"})
# KNOW codes whose prefix contradicts their own label (checked against knowcode_names.csv).
KNOWCODE_OVERRIDES: dict[str, str] = {
    "301004": "304",  # labelled 간호사 but prefixed 3010 (의사); 304 is 간호사
    "511502": "307",  # 수의사 보조원 -> 2025 3077 수의사 보조원 (307 보건·의료 종사자)
}


def keco2018_to_2025(code4: str) -> str | None:
    """Map a KECO 2018 세분류 code (4 digits) to a KECO 2025 소분류 code (3 digits).

    Args:
        code4: KECO 2018 세분류 code, e.g. ``"1350"``.

    Returns:
        The KECO 2025 소분류 code, or ``None`` for groups without a 2025 counterpart.
    """
    code4 = str(code4).strip()
    group = code4[:3]
    if group in KECO2018_DROPPED_GROUPS:
        return None
    if code4 in KECO2018_TO_2025_OVERRIDES:
        return KECO2018_TO_2025_OVERRIDES[code4]
    return KECO2018_GROUP_OVERRIDES.get(group, group)


def map_knowcode(knowcode: str) -> str | None:
    """Map a KNOW occupation code (2018–2020 scheme) to a KECO 2025 소분류 code.

    KNOW codes are the KECO 2018 세분류 code followed by a 2-digit KNOW serial, with the
    leading zero dropped for 대분류 0 (``11102`` = ``0111`` + ``02``). The prefix was checked
    against the 직업사전 세분류 names (same 4-digit code, same occupation).

    Args:
        knowcode: KNOW code as text (5 or 6 digits).

    Returns:
        KECO 2025 소분류 code, or ``None`` when the code has another shape or no counterpart.
    """
    text = str(knowcode).strip()
    if not text.isdigit() or len(text) not in (5, 6):
        return None
    padded = text.zfill(6)
    if padded in KNOWCODE_OVERRIDES:
        return KNOWCODE_OVERRIDES[padded]
    return keco2018_to_2025(padded[:4])


# --------------------------------------------------------------------------------------
# Hand-written facts (domain-facts.md tags in brackets)
# --------------------------------------------------------------------------------------

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

# KNOW 2019 지식 items kq1..kq33 (importance = kq{n}_1), names as in 2019_variable_info.txt.
KNOW_KNOWLEDGE_AREAS: tuple[str, ...] = (
    "경영 및 행정", "사무", "경제와 회계", "영업과 마케팅", "고객서비스", "인사", "상품제조 및 공정",
    "식품생산", "컴퓨터와 전자공학", "공학과 기술", "디자인", "건축 및 설계", "기계", "산수와 수학",
    "물리", "화학", "생물", "심리", "사회와 인류", "지리", "의료", "상담", "교육 및 훈련", "국어",
    "영어", "예술", "역사", "철학과 신학", "안전과 보안", "법", "통신", "의사소통과 미디어", "운송",
)

# KECO 2025 중분류 -> NCS 대분류 (our mapping by field), with 소분류 exceptions below.
_NCS_BY_MIDDLE: dict[str, str] = {
    "01": "02", "02": "02", "03": "03", "11": "04", "12": "04", "13": "20", "14": "14",
    "15": "15", "21": "04", "22": "05", "23": "07", "24": "05", "25": "05", "30": "06",
    "41": "08", "42": "12", "51": "12", "52": "12", "53": "13", "54": "11", "55": "07",
    "56": "11", "61": "10", "62": "09", "70": "14", "81": "15", "82": "16", "83": "19",
    "84": "20", "85": "17", "86": "18", "87": "21", "88": "22", "89": "15", "90": "24",
}
_NCS_BY_MINOR: dict[str, str] = {
    "016": "01", "122": "17", "152": "16", "153": "19", "154": "17", "155": "23", "156": "18",
    "157": "21", "158": "23", "214": "04", "416": "08", "417": "08", "513": "12", "853": "23",
    "814": "23", "833": "19", "137": "20", "884": "22",
}

# Relative posting frequency multipliers for 소분류 (default 1). Guided by [S38b] (보건·복지,
# 제조, 사업시설관리 lead 고용24 vacancies), [S39c] (older registrants seek security/cleaning,
# health, construction) and the brief's list of frequent 고용24 jobs (care, manufacturing,
# driving, cleaning/security, sales). Jobs filled by exam or election get a small weight;
# 011 의회의원·고위공무원 and 250 군인 never appear on a public job board (0).
_POSTING_BOOST: dict[str, float] = {
    "011": 0.0, "250": 0.0,
    # filled mostly by exam, election, academic or internal channels
    "012": 0.4, "013": 0.4, "014": 0.5, "015": 0.4, "016": 0.4, "021": 0.3, "025": 0.6,
    "240": 0.1, "211": 0.3, "221": 0.3, "301": 0.8, "302": 0.5,
    "110": 0.4, "121": 0.5, "122": 0.5, "131": 0.8, "132": 0.8, "134": 0.8, "135": 0.8,
    "136": 0.8, "137": 0.8, "152": 0.7, "154": 0.7, "156": 0.5, "157": 0.7,
    # office work is posted everywhere
    "026": 3.0, "027": 3.5, "028": 2.0, "029": 3.0, "133": 1.5,
    # 보건·복지 is the largest posting industry [S38b]
    "231": 4.0, "232": 4.0, "304": 4.0, "306": 1.5, "307": 5.0, "550": 14.0,
    # food, security, cleaning and other personal services [S38b][S39c]
    "531": 4.0, "532": 4.0, "542": 6.0, "561": 7.0, "562": 1.5, "563": 2.0, "564": 3.0,
    # sales and driving
    "612": 1.5, "613": 2.0, "614": 2.0, "615": 3.0, "616": 2.0, "617": 2.0,
    "622": 4.0, "623": 3.0, "624": 4.0,
    # construction and manufacturing entry jobs
    "706": 3.0, "702": 1.5,
    "816": 2.0, "817": 1.5, "824": 2.0, "836": 2.0, "852": 2.0, "873": 2.0, "890": 6.0,
    "905": 2.0,
}

# 직업사전 has no entry for 250 군인 (중분류 25): education borrows 24 경찰·소방·교도, the
# closest uniformed public-safety group, and skills/duties are written by us (the police
# vocabulary of 24 — 수사, 피의자 — would be wrong for soldiers).
_TEXT_FALLBACK_MIDDLE: dict[str, str] = {"25": "24"}
_HANDWRITTEN_TEXT: dict[str, tuple[str, str]] = {
    "250": (
        "국방;경계;작전;훈련;부대;병력;장비;무기;보안;통신;지휘;체력",
        "경계 근무;작전 계획 수립;부대 훈련 지도;장비·무기 정비;병력 관리",
    ),
}

# 2018 statutory hourly minimum wage (고시 2017-08; general knowledge, not in domain-facts):
# only used as the low anchor that maps KNOW 2018 pay to today's level.
_MINIMUM_WAGE_2018 = 7_530
# Simple-labour groups without enough KNOW wage earners, and the comparable entry-level
# occupations whose pooled pay stands in for them (our choice).
_WAGE_PROXIES: dict[str, tuple[str, ...]] = {
    "890": ("836", "852", "864", "873"),  # 제조 단순 <- 조립원·생산기계 조작원
    "905": ("532", "564", "617"),         # 농림어업 단순 <- 서비스·판매 단순 종사자
}

_EDUCATION_LABELS = ("무관", "고졸", "전문대졸", "대졸", "석사")

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write one table as UTF-8 CSV with '\\n' line ends (byte-identical across runs)."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def compute_normalised_weights(values: Mapping[str, float] | pd.Series, decimals: int = 6) -> pd.Series:
    """Normalise non-negative values to shares that sum to exactly 1 after rounding.

    The rounding residual goes to the largest share, so the CSV sums to 1 without drift.

    Args:
        values: Raw non-negative weights keyed by label.
        decimals: Decimals kept.

    Returns:
        Series of rounded shares in the input order.
    """
    s = pd.Series(values, dtype=float)
    if (s < 0).any() or s.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    shares = (s / s.sum()).round(decimals)
    residual = round(1.0 - float(shares.sum()), decimals)
    if residual:
        top = shares.idxmax()
        shares[top] = round(float(shares[top]) + residual, decimals)
    return shares


def _holland_code(row: Sequence[float]) -> str:
    """Two highest RIASEC letters; ties keep the R-I-A-S-E-C order (stable sort)."""
    order = sorted(range(6), key=lambda i: -row[i])
    return RIASEC_LETTERS[order[0]] + RIASEC_LETTERS[order[1]]


def _read_keco_tree(shared_dir: Path) -> pd.DataFrame:
    # Names contain commas inside quotes (e.g. "경찰관, 소방관 및 교도관"): pandas handles them.
    tree = pd.read_csv(shared_dir / _KECO_TREE_FILE, dtype=str)
    tree["level"] = tree["level"].astype(int)
    return tree


def _read_dictionary(shared_dir: Path) -> pd.DataFrame:
    """직업사전 entries with their KECO 2025 소분류 (entries of dropped groups removed)."""
    d = pd.read_csv(shared_dir / _DICTIONARY_FILE, dtype=str)
    d["keco_code"] = d["dJobECd"].map(keco2018_to_2025)
    d = d[d["keco_code"].notna()].copy()
    return d.sort_values("dJobCd", kind="stable").reset_index(drop=True)


def _read_know(shared_dir: Path, year: int, columns: Iterable[str]) -> pd.DataFrame:
    cols = ["idx", "knowcode", *columns]
    k = pd.read_csv(shared_dir / _KNOW_DIR / f"KNOW_{year}.csv.gz", dtype=str, usecols=cols)
    k["idx"] = k["idx"].astype(int)
    k["keco_code"] = k["knowcode"].map(map_knowcode)
    return k


def load_know2018_even(shared_dir: Path) -> pd.DataFrame:
    """KNOW 2018 incumbents with an even ``idx`` (the only ones the tables aggregate).

    Args:
        shared_dir: The shared data directory.

    Returns:
        DataFrame with idx, knowcode, keco_code (may be None), riasec_r..riasec_c (int 1–5)
        and the wage items bq38 (1 = wage worker), bq40 (weekly hours), bq41_1 (annual
        earnings, 10k KRW).
    """
    k = _read_know(shared_dir, 2018, [*KNOW_INTEREST_ITEMS, "bq38", "bq40", "bq41_1"])
    k = k[k["idx"] % 2 == 0]
    return _rename_interest(k)


def load_know_holdout(shared_dir: Path) -> pd.DataFrame:
    """KNOW 2018 incumbents with an **odd** ``idx``: the occupation-recommendation hold-out.

    These rows are never aggregated into the reference tables; use them to check whether a
    recommender recovers an incumbent's own occupation from their RIASEC ratings.

    Args:
        shared_dir: The shared data directory (``get_settings().shared_data_dir``).

    Returns:
        DataFrame sorted by idx with columns idx (int), knowcode (str), keco_code (KECO 2025
        소분류, str) and riasec_r..riasec_c (int, 1–5). Rows whose code has no KECO 2025
        counterpart are left out.
    """
    k = _read_know(shared_dir, 2018, KNOW_INTEREST_ITEMS)
    k = k[(k["idx"] % 2 == 1) & k["keco_code"].notna()]
    k = _rename_interest(k)
    cols = ["idx", "knowcode", "keco_code", *RIASEC_COLUMNS]
    return k[cols].sort_values("idx").reset_index(drop=True)


def _rename_interest(k: pd.DataFrame) -> pd.DataFrame:
    k = k.rename(columns=dict(zip(KNOW_INTEREST_ITEMS, RIASEC_COLUMNS, strict=True)))
    for c in RIASEC_COLUMNS:
        k[c] = pd.to_numeric(k[c], errors="coerce")
    # Ratings outside 1–5 would be data errors; drop such rows rather than guess.
    ok = k[list(RIASEC_COLUMNS)].apply(lambda s: s.between(1, 5)).all(axis=1)
    k = k[ok].copy()
    for c in RIASEC_COLUMNS:
        k[c] = k[c].astype(int)
    return k


# --------------------------------------------------------------------------------------
# Occupation attributes
# --------------------------------------------------------------------------------------


def _minor_frame(tree: pd.DataFrame) -> pd.DataFrame:
    """One row per KECO 2025 소분류 with its 중분류/대분류 codes and names."""
    names = dict(zip(tree["code"], tree["name"], strict=True))
    parent = dict(zip(tree["code"], tree["parent"], strict=True))
    minor = tree[tree["level"] == 3][["code", "name"]].rename(columns={"code": "keco_code"})
    minor["middle_code"] = minor["keco_code"].map(parent)
    minor["middle_name"] = minor["middle_code"].map(names)
    minor["major_code"] = minor["middle_code"].map(parent)
    minor["major_name"] = minor["major_code"].map(names)
    return minor.sort_values("keco_code").reset_index(drop=True)


def compute_riasec_profiles(know_even: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Mean RIASEC ratings per 소분류 from even-idx KNOW 2018 incumbents.

    Occupations with fewer than ``MIN_DIRECT_INCUMBENTS`` incumbents take the pooled mean of
    their 중분류 (``middle``), or of their 대분류 (``major``) when the 중분류 has none.

    Args:
        know_even: Output of :func:`load_know2018_even`.
        minor: One row per 소분류 with middle_code and major_code.

    Returns:
        DataFrame keyed by keco_code with riasec_* (3 decimals), riasec_n, riasec_source.
    """
    k = know_even[know_even["keco_code"].isin(set(minor["keco_code"]))]
    k = k.merge(minor[["keco_code", "middle_code", "major_code"]], on="keco_code")
    cols = list(RIASEC_COLUMNS)
    rows = []
    by_minor = {c: g for c, g in k.groupby("keco_code")}
    by_middle = {c: g for c, g in k.groupby("middle_code")}
    by_major = {c: g for c, g in k.groupby("major_code")}
    for rec in minor.itertuples(index=False):
        g = by_minor.get(rec.keco_code)
        if g is not None and len(g) >= MIN_DIRECT_INCUMBENTS:
            src = "direct"
        elif rec.middle_code in by_middle:
            g, src = by_middle[rec.middle_code], "middle"
        else:
            g, src = by_major[rec.major_code], "major"
        means = g[cols].mean().round(3)
        rows.append({"keco_code": rec.keco_code, **means.to_dict(), "riasec_n": len(g), "riasec_source": src})
    out = pd.DataFrame(rows)
    out["holland_code"] = [_holland_code(r) for r in out[cols].to_numpy()]
    return out


def compute_wage_bands(know_even: pd.DataFrame, minor: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Monthly wage quartiles per 소분류 from even-idx KNOW 2018 full-time wage workers.

    KNOW asks annual earnings incl. tax and bonuses (bq41_1, 10k KRW) of wage workers (bq38=1);
    we keep those working >= 35 h/week (bq40) and take /12 (2018 level). Bringing them to
    today's level with one factor fails at the bottom: the minimum wage rose faster (+37 %
    2018 -> 2026) than the median, so low-paid jobs would all sit on the legal floor. We
    therefore map 2018 pay w with two anchors, continuously:

    * w <= pooled 2018 median m: log-linear through (2018 monthly minimum, 7,530 x 209 ->
      2026 monthly minimum, 10,320 x 209 [S23]) and (m -> 3,406,000, the June 2024 median
      monthly wage [S36a]);
    * w > m: w x 3,406,000 / m (ratios between well-paid jobs kept).

    Values are rounded to 10,000 KRW and floored at the 2026 monthly minimum, since the bands
    describe full-time (209 h) pay. 소분류 with fewer than ``MIN_DIRECT_WAGES`` wage earners
    borrow their 중분류 (or 대분류) pool; ``_WAGE_PROXIES`` lists simple-labour groups that use
    comparable entry-level occupations instead of a 대분류 pool dominated by skilled trades.

    Args:
        know_even: Output of :func:`load_know2018_even`.
        minor: One row per 소분류 with middle_code and major_code.

    Returns:
        (DataFrame keyed by keco_code with wage_p25, wage_median, wage_p75, wage_source;
        the pooled 2018 median monthly pay m in KRW).
    """
    k = know_even.copy()
    k["annual"] = pd.to_numeric(k["bq41_1"], errors="coerce")
    k["hours"] = pd.to_numeric(k["bq40"], errors="coerce")
    k = k[(k["bq38"] == "1") & (k["annual"] > 0) & (k["hours"] >= 35) & k["keco_code"].notna()]
    k = k.merge(minor[["keco_code", "middle_code", "major_code"]], on="keco_code")
    old = (k["annual"] * 10_000 / 12).to_numpy(dtype=float)
    old_med = float(np.median(old))
    old_min = _MINIMUM_WAGE_2018 * HOURS_PER_MONTH
    new_min = MINIMUM_WAGE[-1][1] * HOURS_PER_MONTH
    new_med = 3_406_000.0
    b = math.log(new_med / new_min) / math.log(old_med / old_min)
    low = new_min * np.power(np.maximum(old, 1.0) / old_min, b)
    k["monthly"] = np.where(old <= old_med, low, old * new_med / old_med)
    floor = math.ceil(new_min / 10_000) * 10_000
    by_minor = {c: g for c, g in k.groupby("keco_code")}
    by_middle = {c: g for c, g in k.groupby("middle_code")}
    by_major = {c: g for c, g in k.groupby("major_code")}
    rows = []
    for rec in minor.itertuples(index=False):
        g = by_minor.get(rec.keco_code)
        if g is not None and len(g) >= MIN_DIRECT_WAGES:
            src = "know_direct"
        elif rec.keco_code in _WAGE_PROXIES:
            g = k[k["keco_code"].isin(_WAGE_PROXIES[rec.keco_code])]
            src = "know_proxy"
        elif rec.middle_code in by_middle and len(by_middle[rec.middle_code]) >= MIN_DIRECT_WAGES:
            g, src = by_middle[rec.middle_code], "know_middle"
        else:
            g, src = by_major[rec.major_code], "know_major"
        q = np.quantile(g["monthly"].to_numpy(dtype=float), [0.25, 0.5, 0.75])
        p25, med, p75 = (max(floor, int(round(v / 10_000)) * 10_000) for v in q)
        med, p75 = max(med, p25), max(p75, med, p25)
        rows.append({"keco_code": rec.keco_code, "wage_p25": p25, "wage_median": med,
                     "wage_p75": p75, "wage_source": src})
    return pd.DataFrame(rows), old_med


_STOP_NOUNS = frozenset(
    "업무 작업 관련 수행 경우 사용 필요 각종 담당 대상 내용 방법 결과 상태 이상 여부 기타 활동 일 종류 "
    "위 정도 부분 과정 해당 사항 다양 주요 일반 전반 목적 기능 분야 때 후 전 중 등 시 곳 데 수 바 가능 제반 "
    "최고 활용품 이하 이외 이후 이전 기준 자체 직접 간단 종사 사람 정해진 각각 모든 전체 필요시 여러 "
    "종사원 직원 종업원 작업원 담당업무 마련 방안 단독 획득 참석 답변 이례 여자 남자 소제 이해 고려".split()
)
_WEAK_ACTS = frozenset("이용 사용 소비 설정 숙지 선택 대행 제시 참여 결정 포함 해당 위치 발생 유지 의뢰 요청".split())
_EXCLUDED_ACTS = _STOP_NOUNS | _WEAK_ACTS


def _extract_terms(tokens: Sequence) -> tuple[Counter, Counter]:
    """Nouns, contiguous noun compounds and (object, action-noun) pairs of one entry."""
    nouns: Counter = Counter()
    pairs: Counter = Counter()
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i].tag not in ("NNG", "NNP"):
            i += 1
            continue
        j = i
        run = [tokens[i]]
        # Nouns written without a space (품질관리) form one compound keyword.
        while (
            j + 1 < n
            and tokens[j + 1].tag in ("NNG", "NNP")
            and tokens[j + 1].start == tokens[j].start + tokens[j].len
        ):
            j += 1
            run.append(tokens[j])
        forms = [t.form for t in run]
        for f in forms:
            if len(f) >= 2 and f not in _STOP_NOUNS:
                nouns[f] += 1
        compound = "".join(forms)
        if 2 <= len(run) <= 3 and len(compound) <= 8:
            nouns[compound] += 1
        # "<noun>을/를 <noun>하다" -> (object, action) e.g. 품질을 검사하다 -> (품질, 검사)
        tags = [t.tag for t in tokens[j + 1 : j + 4]]
        if tags == ["JKO", "NNG", "XSV"]:
            obj = compound if len(compound) <= 6 else forms[-1]
            act = tokens[j + 2].form
            if len(obj) >= 2 and len(act) >= 2 and obj not in _STOP_NOUNS and act not in _EXCLUDED_ACTS:
                pairs[(obj, act)] += 1
        i = j + 1
    return nouns, pairs


def compute_text_features(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Skill keywords and composed duty phrases per 소분류 from 직업사전 workSum/doWork.

    Each dictionary entry is tokenized with kiwipiepy; per 소분류 we count in how many
    entries a noun (or contiguous noun compound) occurs and score it by that entry share
    times the inverse 소분류 frequency (TF-IDF over 소분류 documents). Duty phrases are built
    by us from the top (object, action-noun) pairs, e.g. ("고객", "상담") -> "고객 상담";
    pairs sharing an action are joined ("재료·메뉴 개발"). No dictionary sentence is copied.
    소분류 without dictionary entries use their pooled 중분류 entries.

    Args:
        dictionary: Output of :func:`_read_dictionary`.
        minor: One row per 소분류.

    Returns:
        DataFrame keyed by keco_code with skills and duty_phrases (';'-separated).
    """
    from kiwipiepy import Kiwi  # imported here: loading the model costs ~1 s

    kiwi = Kiwi()
    texts = (dictionary["workSum"].fillna("") + "\n" + dictionary["doWork"].fillna("")).tolist()
    extracted = [_extract_terms(tokens) for tokens in kiwi.tokenize(texts)]
    dictionary = dictionary.assign(_nouns=[e[0] for e in extracted], _pairs=[e[1] for e in extracted])
    middle_of = dict(zip(minor["keco_code"], minor["middle_code"], strict=True))
    dictionary["_middle"] = dictionary["keco_code"].map(middle_of)

    def entry_counts(groups: Iterable[tuple[str, pd.DataFrame]]) -> tuple[dict, dict, dict]:
        ef_n, ef_p, size = {}, {}, {}
        for code, g in groups:
            cn, cp = Counter(), Counter()
            for x in g["_nouns"]:
                cn.update(set(x))
            for x in g["_pairs"]:
                cp.update(set(x))
            ef_n[code], ef_p[code], size[code] = cn, cp, len(g)
        return ef_n, ef_p, size

    ef_n, ef_p, size = entry_counts(dictionary.groupby("keco_code"))
    mid_n, mid_p, mid_size = entry_counts(dictionary.groupby("_middle"))
    n_docs = len(ef_n)
    df_n: Counter = Counter()
    df_p: Counter = Counter()
    for c in ef_n.values():
        df_n.update(c.keys())
    for c in ef_p.values():
        df_p.update(c.keys())

    def top_terms(counts: Counter, dfreq: Counter, n_entries: int, k: int, min_ef: int) -> list:
        scored = [
            ((v / n_entries) * math.log((n_docs + 1) / (dfreq.get(t, 0) + 1)), t)
            for t, v in counts.items() if v >= min_ef
        ]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [t for _, t in scored[:k]]

    rows = []
    for rec in minor.itertuples(index=False):
        if rec.keco_code in _HANDWRITTEN_TEXT:
            skills_text, duties_text = _HANDWRITTEN_TEXT[rec.keco_code]
            rows.append({"keco_code": rec.keco_code, "skills": skills_text, "duty_phrases": duties_text})
            continue
        if rec.keco_code in ef_n:
            cn, cp, n_e = ef_n[rec.keco_code], ef_p[rec.keco_code], size[rec.keco_code]
        else:
            mid = _TEXT_FALLBACK_MIDDLE.get(rec.middle_code, rec.middle_code)
            cn, cp, n_e = mid_n[mid], mid_p[mid], mid_size[mid]
        min_ef = 2 if n_e >= 4 else 1
        skills = top_terms(cn, df_n, n_e, 12, min_ef)
        if len(skills) < 8:
            skills += [t for t in top_terms(cn, df_n, n_e, 15, 1) if t not in skills]
        skills = skills[:12]
        # Pairs seen in >= 2 entries first; single-entry pairs only to reach 4 phrases.
        pairs = top_terms(cp, df_p, n_e, 8, min_ef)
        if len(pairs) < 4:
            pairs += [p for p in top_terms(cp, df_p, n_e, 8, 1) if p not in pairs][: 4 - len(pairs)]
        rows.append({"keco_code": rec.keco_code, "skills": ";".join(skills),
                     "duty_phrases": ";".join(_compose_duties(pairs[:10], skills))})
    return pd.DataFrame(rows)


def _compose_duties(pairs: Sequence[tuple[str, str]], skills: Sequence[str]) -> list[str]:
    """Turn (object, action) pairs into 4–6 short duty phrases of our own wording."""
    by_act: dict[str, list[str]] = defaultdict(list)
    order: list[str] = []
    for obj, act in pairs:
        if act not in by_act:
            order.append(act)
        # Skip near-duplicates ("작업계획·계획 수립"): one object containing another or the act.
        if len(by_act[act]) < 2 and act not in obj and not any(obj in o or o in obj for o in by_act[act]):
            by_act[act].append(obj)
    phrases = [f"{'·'.join(by_act[a])} {a}" for a in order if by_act[a]]
    # Too few pairs (short entries): fall back to keyword-based phrases we compose.
    for kw in skills:
        if len(phrases) >= 4:
            break
        phrase = f"{kw} 관련 업무 수행"
        if phrase not in phrases and not any(kw in p for p in phrases):
            phrases.append(phrase)
    return phrases[:6]


def compute_knowledge(shared_dir: Path, minor: pd.DataFrame, n_top: int = 4) -> pd.DataFrame:
    """Most distinctive KNOW 2019 knowledge areas per 소분류.

    KNOW 2019 (all rows; the hold-out is in 2018 only) rates 33 knowledge areas by importance
    (kq{n}_1, 1–5). Per 소분류 we rank areas by mean importance minus the all-incumbent mean,
    among areas with mean importance >= 2.5; 소분류 without 2019 incumbents use their 중분류.

    Args:
        shared_dir: Shared data directory.
        minor: One row per 소분류.
        n_top: Areas kept per occupation.

    Returns:
        DataFrame keyed by keco_code with knowledge (';'-separated).
    """
    items = [f"kq{i}_1" for i in range(1, len(KNOW_KNOWLEDGE_AREAS) + 1)]
    k = _read_know(shared_dir, 2019, items)
    k = k[k["keco_code"].isin(set(minor["keco_code"]))]
    for c in items:
        k[c] = pd.to_numeric(k[c], errors="coerce").where(lambda s: s.between(1, 5))
    k = k.merge(minor[["keco_code", "middle_code"]], on="keco_code")
    overall = k[items].mean()
    by_minor = {c: g for c, g in k.groupby("keco_code")}
    by_middle = {c: g for c, g in k.groupby("middle_code")}
    rows = []
    for rec in minor.itertuples(index=False):
        g = by_minor.get(rec.keco_code)
        if g is None or len(g) < MIN_DIRECT_INCUMBENTS:
            g = by_middle.get(rec.middle_code, k)
        means = g[items].mean()
        lift = (means - overall).round(6)
        ranked = sorted(items, key=lambda c: (-(lift[c] if means[c] >= 2.5 else lift[c] - 10), c))
        names = [KNOW_KNOWLEDGE_AREAS[items.index(c)] for c in ranked[:n_top]]
        rows.append({"keco_code": rec.keco_code, "knowledge": ";".join(names)})
    return pd.DataFrame(rows)


_GRADE_PAREN = re.compile(r"\s*\((?:\s*\d급\s*,?)+\)")
_CERT_SPLIT = re.compile(r"[,，]\s*(?![^()]*\))")


def _parse_certificates(text: str | float) -> list[str]:
    """Split one certLic field into clean certificate names."""
    if not isinstance(text, str):
        return []
    out = []
    for line in re.split(r"[\r\n]+", text):
        if "→" in line:  # "문화재수리기술자 → 국가유산수리기술자": keep the current name
            line = line.split("→")[-1]
        for part in _CERT_SPLIT.split(line):
            name = _GRADE_PAREN.sub("", part).strip().strip(".·")
            # "공인회계사(CPA)", "AICPA(American Institude ...)": drop a Latin-only gloss.
            name = re.sub(r"\s*\([A-Za-z][A-Za-z .,&'-]*\)$", "", name) or name
            name = re.sub(r"\s+", " ", name)
            if len(name) < 2 or re.fullmatch(r"[\d급\s\-]+", name) or name in {"없음", "환경", "원감"}:
                continue
            out.append(name)
    return out


_NATIONAL_TECH_SUFFIX = re.compile(r"(기술사|기능장|산업기사|기사|기능사)(\(.*\))?$")
_NATIONAL_TECH_NAMES = (
    "직업상담사", "사회조사분석사", "임상심리사", "컨벤션기획사", "소비자전문상담사", "텔레마케팅관리사",
    "전자상거래관리사", "전자상거래운용사", "스포츠경영관리사", "비서", "워드프로세서", "컴퓨터활용능력",
    "전산회계운용사", "한글속기", "게임그래픽전문가", "게임기획전문가", "게임프로그래밍전문가",
    "멀티미디어콘텐츠제작전문가", "미용사", "이용사",
)
_NATIONAL_PRO_NAMES = (
    "변호사", "공인회계사", "세무사", "관세사", "감정평가사", "노무사", "변리사", "법무사", "행정사",
    "공인중개사", "주택관리사", "손해사정사", "보험계리사", "의사", "한의사", "약사", "한약사", "간호사",
    "간호조무사", "조산사", "영양사", "위생사", "안경사", "응급구조사", "물리치료사", "작업치료사",
    "임상병리사", "방사선사", "치과기공사", "치과위생사", "언어재활사", "의무기록사", "보건의료정보관리사",
    "사회복지사", "정신건강", "보육교사", "요양보호사", "정교사", "교사", "사서", "학예사", "청소년지도사",
    "청소년상담사", "평생교육사", "경비지도사", "소방안전관리자", "소방시설관리사", "수의사", "조종사",
    "항공정비사", "관제사", "운항관리사", "도선사", "해기사", "관광통역안내사", "호텔경영사", "호텔관리사",
    "국내여행안내사", "경매사", "물류관리사", "유통관리사", "가맹거래사", "경영지도사", "기술지도사",
    "산업보건지도사", "산업안전지도사", "무대예술전문인", "건강운동관리사", "스포츠지도사", "보건교육사",
    "장례지도사", "품질관리사", "전문의", "건축사", "검량사", "검수사", "감정사", "가축인공수정사",
    "교통안전관리자", "기록물관리전문요원", "손해평가사", "기상예보사", "측량사", "원자로조종", "방사선취급",
    "화약류", "면허", "국가유산수리", "문화재수리", "장애인재활상담사", "노인스포츠지도사", "수렵",
)
_PRIVATE_HINTS = (
    "민간", "협회", "바리스타", "소믈리에", "커피", "플로리스트", "웨딩", "반려", "애견", "펫", "심리상담",
    "미술치료", "음악치료", "놀이치료", "코치", "레크리에이션", "푸드스타일", "케이크", "국가공인",
)


def _certificate_kind(name: str) -> str:
    """Classify a certificate name by heuristics (documented in README, not a registry lookup)."""
    # Driving licences are issued outside the qualification system -> 기타.
    if "운전면허" in name or "택시면허" in name or re.match(r"\d종", name):
        return "기타"
    if name.startswith(_NATIONAL_TECH_NAMES) or _NATIONAL_TECH_SUFFIX.search(name):
        return "국가기술자격"
    if any(x in name for x in _NATIONAL_PRO_NAMES):
        return "국가전문자격"
    if any(x in name for x in _PRIVATE_HINTS) or re.search(r"[A-Za-z]{2,}", name):
        return "민간자격"
    return "기타"


def compute_certificates(dictionary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Certificate table and the top certificates per 소분류 from 직업사전 certLic.

    Args:
        dictionary: Output of :func:`_read_dictionary`.

    Returns:
        (certificates table, DataFrame keyed by keco_code with certificates ';'-separated top 5
        by number of entries listing them in that 소분류).
    """
    per_minor: dict[str, Counter] = defaultdict(Counter)
    for code, text in zip(dictionary["keco_code"], dictionary["certLic"], strict=True):
        for name in dict.fromkeys(_parse_certificates(text)):
            per_minor[code][name] += 1
    occupations_of: dict[str, set[str]] = defaultdict(set)
    for code, c in per_minor.items():
        for name in c:
            occupations_of[name].add(code)
    names = sorted(occupations_of)
    certs = pd.DataFrame({
        "certificate_id": [f"C{i:04d}" for i in range(1, len(names) + 1)],
        "name": names,
        "kind": [_certificate_kind(n) for n in names],
        "keco_codes": [";".join(sorted(occupations_of[n])) for n in names],
        "n_occupations": [len(occupations_of[n]) for n in names],
    })
    top = pd.DataFrame([
        {"keco_code": code, "certificates": ";".join(
            n for n, _ in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:5])}
        for code, c in sorted(per_minor.items())
    ])
    return certs, top


def compute_education(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.DataFrame:
    """Typical education per 소분류: the 40th percentile of 직업사전 eduLevel over its entries.

    eduLevel bands: 초졸 이하/중졸 -> 무관, 고졸, 전문대졸, 대졸, 대학원 -> 석사. The
    dictionary lists one entry per specialised title (e.g. 14 전문간호사 variants against 10
    general nurse titles), which overstates graduate degrees; a percentile below the median
    corrects for that without ignoring it.

    Args:
        dictionary: Output of :func:`_read_dictionary`.
        minor: One row per 소분류.

    Returns:
        DataFrame keyed by keco_code with education_typical.
    """
    def rank(text: str | float) -> int | None:
        if not isinstance(text, str):
            return None
        for key, r in (("대학원", 4), ("대졸", 3), ("전문대졸", 2), ("고졸", 1), ("중졸", 0), ("초졸", 0)):
            if key in text:
                return 2 if key == "대졸" and "전문대졸" in text else r
        return None

    d = dictionary.assign(_edu=dictionary["eduLevel"].map(rank)).dropna(subset=["_edu"])
    middle_of = dict(zip(minor["keco_code"], minor["middle_code"], strict=True))
    d["_middle"] = d["keco_code"].map(middle_of)
    by_minor = {c: sorted(g["_edu"].astype(int)) for c, g in d.groupby("keco_code")}
    by_middle = {c: sorted(g["_edu"].astype(int)) for c, g in d.groupby("_middle")}
    rows = []
    for rec in minor.itertuples(index=False):
        mid = _TEXT_FALLBACK_MIDDLE.get(rec.middle_code, rec.middle_code)
        vals = by_minor.get(rec.keco_code) or by_middle.get(mid) or [1]
        label = _EDUCATION_LABELS[vals[int(0.4 * (len(vals) - 1))]]
        rows.append({"keco_code": rec.keco_code, "education_typical": label})
    return pd.DataFrame(rows)


def compute_posting_weights(dictionary: pd.DataFrame, minor: pd.DataFrame) -> pd.Series:
    """Relative share of job postings per 소분류 (sums to 1).

    weight ∝ (1 + 직업사전 entries) ** 0.25 × boost: the dictionary lists more entries where
    work is more varied (the fourth root keeps that a mild effect, since manufacturing is
    split into many specialised titles), and the hand-set ``_POSTING_BOOST`` moves the mix
    toward what public job boards carry (see its comment).

    Args:
        dictionary: Output of :func:`_read_dictionary`.
        minor: One row per 소분류.

    Returns:
        Series of shares indexed by keco_code (0 for never-posted occupations).
    """
    counts = dictionary.groupby("keco_code").size()
    raw = {
        code: (1 + int(counts.get(code, 0))) ** 0.25 * _POSTING_BOOST.get(code, 1.0)
        for code in minor["keco_code"]
    }
    return compute_normalised_weights(raw)


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------


def build_keco_tree(tree: pd.DataFrame) -> pd.DataFrame:
    """KECO 2025 code table (official classification, copied as is, sorted by code)."""
    out = tree[["code", "name", "level", "parent"]].copy()
    return out.sort_values("code").reset_index(drop=True)


def build_occupations(
    shared_dir: Path, tree: pd.DataFrame, dictionary: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assemble occupations.csv (one row per KECO 2025 소분류) and certificates.csv.

    Args:
        shared_dir: Shared data directory.
        tree: KECO 2025 tree (level as int).
        dictionary: Output of :func:`_read_dictionary`.

    Returns:
        (occupations table sorted by keco_code, certificates table).
    """
    minor = _minor_frame(tree)
    know_even = load_know2018_even(shared_dir)
    riasec = compute_riasec_profiles(know_even, minor)
    wages, _ = compute_wage_bands(know_even, minor)
    text = compute_text_features(dictionary, minor)
    knowledge = compute_knowledge(shared_dir, minor)
    certs, top_certs = compute_certificates(dictionary)
    edu = compute_education(dictionary, minor)
    weights = compute_posting_weights(dictionary, minor)
    ncs_names = _ncs_major_names(shared_dir)

    occ = minor
    for part in (riasec, wages, text, knowledge, top_certs, edu):
        occ = occ.merge(part, on="keco_code", how="left")
    occ["certificates"] = occ["certificates"].fillna("")
    occ["ncs_code"] = [
        _NCS_BY_MINOR.get(c, _NCS_BY_MIDDLE[m])
        for c, m in zip(occ["keco_code"], occ["middle_code"], strict=True)
    ]
    occ["ncs_name"] = occ["ncs_code"].map(ncs_names)
    occ["posting_weight"] = occ["keco_code"].map(weights)
    columns = [
        "keco_code", "name", "middle_code", "middle_name", "major_code", "major_name",
        *RIASEC_COLUMNS, "holland_code", "riasec_n", "riasec_source",
        "wage_p25", "wage_median", "wage_p75", "wage_source",
        "skills", "knowledge", "duty_phrases", "certificates", "ncs_code", "ncs_name",
        "education_typical", "posting_weight",
    ]
    return occ[columns].sort_values("keco_code").reset_index(drop=True), certs


def _ncs_major_names(shared_dir: Path) -> dict[str, str]:
    ncs = pd.read_csv(shared_dir / _NCS_FILE, dtype=str)
    return dict(zip(ncs["대분류코드"], ncs["대분류코드명"]))


def build_ncs_fields(shared_dir: Path) -> pd.DataFrame:
    """The 24 NCS 대분류 (official classification) [S31]."""
    names = _ncs_major_names(shared_dir)
    return pd.DataFrame(sorted(names.items()), columns=["ncs_code", "name"])


def build_industry_occupation(
    dictionary: pd.DataFrame, occupations: pd.DataFrame, min_occupations: int = 5
) -> pd.DataFrame:
    """P(occupation | industry) from the 직업사전 industry codes and the posting weights.

    The dictionary tells in which KSIC sections an occupation works (``C211/M701``: the
    entry's unit weight is split over its distinct section letters; ``ALL`` spreads it over
    all 21). Its entry counts follow how finely an occupation is split into titles, not how
    often it is posted, so we use it only for P(industry | occupation) and apply Bayes:
    weight(i, o) ∝ P(i | o) × posting_weight(o). Sections left with fewer than
    ``min_occupations`` occupations are topped up with the most posted occupations, at a
    tenth of the section's smallest weight.

    Args:
        dictionary: Output of :func:`_read_dictionary`.
        occupations: The occupations table (keco_code, posting_weight).
        min_occupations: Minimum number of occupations per section.

    Returns:
        DataFrame (industry_code, keco_code, weight), weights summing to 1 per industry.
    """
    letters = [x[0] for x in _INDUSTRIES]
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for code, icd in zip(dictionary["keco_code"], dictionary["dJobICd"].fillna(""), strict=True):
        parts = [p.strip() for p in icd.split("/") if p.strip()]
        secs = letters if "ALL" in parts else sorted({p[0] for p in parts if p[0] in letters})
        for sec in secs:
            cells[(sec, code)] += 1.0 / len(secs)
    per_occ: dict[str, float] = defaultdict(float)
    for (_, o), v in cells.items():
        per_occ[o] += v
    pw = dict(zip(occupations["keco_code"], occupations["posting_weight"].astype(float), strict=True))
    by_weight = occupations.sort_values(["posting_weight", "keco_code"], ascending=[False, True])
    top_posted = by_weight["keco_code"].tolist()
    rows = []
    for sec in letters:
        w = {
            o: v / per_occ[o] * pw[o]
            for (i, o), v in sorted(cells.items())
            if i == sec and pw.get(o, 0) > 0
        }
        fill = 0.1 * min(w.values()) if w else 1.0
        for o in top_posted:
            if len(w) >= min_occupations:
                break
            w.setdefault(o, fill)
        shares = compute_normalised_weights(w)
        rows += [
            {"industry_code": sec, "keco_code": o, "weight": float(v)} for o, v in shares.items() if v > 0
        ]
    out = pd.DataFrame(rows)
    return out.sort_values(["industry_code", "keco_code"]).reset_index(drop=True)


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
            {"year": y, "hourly": h, "monthly_209h": h * HOURS_PER_MONTH, "source": s}
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


def build_reference_tables(shared_dir: Path, out_dir: Path) -> dict[str, int]:
    """Rewrite every reference CSV in ``out_dir`` from ``shared_dir`` and hand-written facts.

    Deterministic: the same inputs give byte-identical files.

    Args:
        shared_dir: Third-party data directory (``get_settings().shared_data_dir``).
        out_dir: Target directory (``get_settings().reference_dir``); created if missing.

    Returns:
        Table name -> row count.

    Raises:
        FileNotFoundError: If a required shared data file is missing.
    """
    shared_dir, out_dir = Path(shared_dir), Path(out_dir)
    required = (
        _KECO_TREE_FILE, _NCS_FILE, _DICTIONARY_FILE,
        _KNOW_DIR / "KNOW_2018.csv.gz", _KNOW_DIR / "KNOW_2019.csv.gz",
    )
    for rel in required:
        if not (shared_dir / rel).exists():
            raise FileNotFoundError(f"공유 데이터 파일이 없습니다: {shared_dir / rel}")
    out_dir.mkdir(parents=True, exist_ok=True)
    tree = _read_keco_tree(shared_dir)
    dictionary = _read_dictionary(shared_dir)
    occupations, certificates = build_occupations(shared_dir, tree, dictionary)
    tables = {
        "keco_tree": build_keco_tree(tree),
        "occupations": occupations,
        "regions": build_regions(),
        "industries": build_industries(),
        "industry_occupation": build_industry_occupation(dictionary, occupations),
        "firm_sizes": build_firm_sizes(),
        "minimum_wage": build_minimum_wage(),
        "certificates": certificates,
        "welfare_items": build_welfare_items(),
        "ncs_fields": build_ncs_fields(shared_dir),
        "violation_rules": build_violation_rules(),
    }
    for name, df in tables.items():
        _write_csv(df, out_dir / TABLE_FILES[name])
    return {name: len(df) for name, df in tables.items()}


def main_reference(argv: list[str] | None = None) -> int:
    """Command-line entry for ``python -m app reference``.

    Args:
        argv: Arguments after ``reference`` (``--shared-dir``, ``--out-dir``).

    Returns:
        Process exit code (0 on success, 1 when the shared data is missing).
    """
    from app.config import get_settings

    settings = get_settings()
    parser = argparse.ArgumentParser(
        prog="python -m app reference", description="참조 테이블(data/reference/*.csv)을 다시 만듭니다."
    )
    parser.add_argument("--shared-dir", type=Path, default=settings.shared_data_dir)
    parser.add_argument("--out-dir", type=Path, default=settings.reference_dir)
    # The top-level CLI forwards everything after "reference" (argparse.REMAINDER), which
    # needs a "--" before options; drop it here.
    if argv and argv[0] == "--":
        argv = argv[1:]
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        counts = build_reference_tables(args.shared_dir, args.out_dir)
    except FileNotFoundError as err:
        print(str(err), file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{TABLE_FILES[name]:<26} {n:>6} rows")
    print(f"done in {time.perf_counter() - start:.1f} s -> {args.out_dir}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main_reference())
