"""The 시군구 (기초자치단체) of every 시도: ``districts.csv``, hand-written from the official list.

Source: 행정안전부 「지방자치단체 행정구역 및 인구 현황」 (2024): 226 자치구·시·군, plus the two
행정시 of 제주 (제주시, 서귀포시) because people name them as places. 세종특별자치시 has no 시군구.
Changes since 2018 that matter here: 군위군 moved from 경북 to 대구 (2023-07-01); 인천 남구 was
renamed 미추홀구 (2018-07-01). 일반구 of large cities (수원시 장안구, 성남시 분당구 …) are not listed:
they are not 기초자치단체, and the world's addresses stop at the 시. The 시도 codes are those of
``regions.csv`` (HRD-Net codes, domain-facts §4.2).

``short`` is the name without its final 시/군/구 when at least two syllables remain (평택시 →
평택, 강남구 → 강남); one-syllable stems (중구, 동구 …) have none, because "중", "동" are not place
names on their own.
"""

from __future__ import annotations

import pandas as pd

SOURCE = "행정안전부 지방자치단체 행정구역 및 인구 현황 (2024)"

_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("11", "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 성북구 강북구 도봉구 노원구 은평구 서대문구 "
           "마포구 양천구 강서구 구로구 금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구"),
    ("26", "중구 서구 동구 영도구 부산진구 동래구 남구 북구 해운대구 사하구 금정구 강서구 연제구 수영구 "
           "사상구 기장군"),
    ("27", "중구 동구 서구 남구 북구 수성구 달서구 달성군 군위군"),
    ("28", "중구 동구 미추홀구 연수구 남동구 부평구 계양구 서구 강화군 옹진군"),
    ("29", "동구 서구 남구 북구 광산구"),
    ("30", "동구 중구 서구 유성구 대덕구"),
    ("31", "중구 남구 동구 북구 울주군"),
    ("41", "수원시 성남시 의정부시 안양시 부천시 광명시 평택시 동두천시 안산시 고양시 과천시 구리시 남양주시 "
           "오산시 시흥시 군포시 의왕시 하남시 용인시 파주시 이천시 안성시 김포시 화성시 광주시 양주시 포천시 "
           "여주시 연천군 가평군 양평군"),
    ("43", "청주시 충주시 제천시 보은군 옥천군 영동군 증평군 진천군 괴산군 음성군 단양군"),
    ("44", "천안시 공주시 보령시 아산시 서산시 논산시 계룡시 당진시 금산군 부여군 서천군 청양군 홍성군 "
           "예산군 태안군"),
    ("45", "전주시 군산시 익산시 정읍시 남원시 김제시 완주군 진안군 무주군 장수군 임실군 순창군 고창군 부안군"),
    ("46", "목포시 여수시 순천시 나주시 광양시 담양군 곡성군 구례군 고흥군 보성군 화순군 장흥군 강진군 "
           "해남군 영암군 무안군 함평군 영광군 장성군 완도군 진도군 신안군"),
    ("47", "포항시 경주시 김천시 안동시 구미시 영주시 영천시 상주시 문경시 경산시 의성군 청송군 영양군 "
           "영덕군 청도군 고령군 성주군 칠곡군 예천군 봉화군 울진군 울릉군"),
    ("48", "창원시 진주시 통영시 사천시 김해시 밀양시 거제시 양산시 의령군 함안군 창녕군 고성군 남해군 "
           "하동군 산청군 함양군 거창군 합천군"),
    ("50", "제주시 서귀포시"),
    ("51", "춘천시 원주시 강릉시 동해시 태백시 속초시 삼척시 홍천군 횡성군 영월군 평창군 정선군 철원군 "
           "화천군 양구군 인제군 고성군 양양군"),
)


def district_short_name(name: str) -> str:
    """The name without its final 시/군/구 when two syllables or more remain, else ``""``."""
    stem = name[:-1]
    return stem if len(stem) >= 2 and name[-1] in "시군구" else ""


def build_districts() -> pd.DataFrame:
    """One row per 시군구: ``region_code``, ``name``, ``short``, ``source`` (sorted by code, name)."""
    rows = [
        {"region_code": code, "name": name, "short": district_short_name(name), "source": SOURCE}
        for code, names in _DISTRICTS
        for name in names.split()
    ]
    return pd.DataFrame(rows).sort_values(["region_code", "name"]).reset_index(drop=True)
