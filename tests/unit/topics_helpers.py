"""A planted course-title corpus for the topic tests: four known topics, one of them rising over time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.analytics.topics import COURSE_STOP_WORDS, TopicCorpus

PLANTED: dict[str, tuple[str, ...]] = {
    "ai": ("인공지능", "딥러닝", "머신러닝", "신경망", "모델링", "추론", "학습데이터", "챗봇"),
    "cloud": ("클라우드", "서버", "인프라", "네트워크", "컨테이너", "쿠버네티스", "배포", "운영"),
    "game": ("게임", "콘텐츠", "영상", "메타버스", "그래픽", "애니메이션", "엔진", "캐릭터"),
    "chip": ("반도체", "공정", "회로", "장비", "웨이퍼", "패키징", "소자", "검사"),
}
"""Each planted topic's own words (no word shared between topics)."""
NCS_NAMES: dict[str, str] = {"ai": "인공지능모델링", "cloud": "클라우드엔지니어링", "game": "게임콘텐츠제작",
                             "chip": "반도체개발"}
FORMAT_WORDS: tuple[str, ...] = ("과정", "양성", "부트캠프", "실무", "프로젝트")
"""Programme-format words every title may carry (stop words of the course corpus)."""
YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)
AI_SHARE_BY_YEAR: dict[int, float] = {2021: 0.10, 2022: 0.20, 2023: 0.32, 2024: 0.44, 2025: 0.56}
"""The planted rising topic: its share of the titles each year (the others split the rest evenly)."""


def planted_titles(n_per_year: int = 120, seed: int = 7) -> pd.DataFrame:
    """``title, topic, ncs_name, start_date``: titles of 4–6 words of one topic plus a format word."""
    rng = np.random.default_rng(seed)
    rows = []
    others = ("cloud", "game", "chip")
    for year in YEARS:
        share = AI_SHARE_BY_YEAR[year]
        for i in range(n_per_year):
            topic = "ai" if rng.random() < share else others[int(rng.integers(3))]
            words = list(rng.choice(PLANTED[topic], size=int(rng.integers(4, 7)), replace=False))
            words.append(str(rng.choice(FORMAT_WORDS)))
            day = pd.Timestamp(year=year, month=1, day=1) + pd.Timedelta(days=int(i * 360 / n_per_year))
            rows.append({"title": " ".join(words), "topic": topic, "ncs_name": NCS_NAMES[topic], "start_date": day})
    return pd.DataFrame(rows)


def planted_corpus(n_per_year: int = 120, seed: int = 7) -> TopicCorpus:
    """:func:`planted_titles` as a course corpus (NCS names as groups)."""
    titles = planted_titles(n_per_year, seed)
    return TopicCorpus(key="courses", title="K-디지털 트레이닝 과정명(실제 자료)", texts=tuple(titles["title"]),
                       shown=tuple(titles["title"]), dates=tuple(titles["start_date"]),
                       groups=tuple(titles["ncs_name"]), stop_words=COURSE_STOP_WORDS, source="심어 둔 시험용 과정명")
