"""Certificates named in 직업사전 certLic: clean names, a kind by heuristics, top 5 per 소분류."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

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
        dictionary: Output of :func:`load_dictionary`.

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
