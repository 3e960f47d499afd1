"""토픽 분석 for policy staff: the built topic models as the page's Korean tables (no fitting here).

Every function takes the user's role and refuses anyone but policy staff (:func:`require_policy`): the page
guard checks too, but the counselling-note examples are masked text about people, so the service does not
rely on the page alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from app.analytics.topics import TopicModel, yearly_shares
from app.errors import AccessDenied, InvalidInput
from app.ml.topics import CORPUS_TITLES, TopicArtifact

TOPICS_ACTION: Final = "topics.view"
"""Audit action of the topic tables shown to a user."""
MAX_QUERY_CHARS: Final = 50
"""Longest keyword search."""
TOPIC_COLUMNS: Final[tuple[str, ...]] = (
    "토픽", "주요 단어", "주 토픽 문서 수", "평균 비중(%)", "추세(%p/년)", "추세 판단", "첫해 비중(%)", "마지막 해 비중(%)",
)
NCS_COLUMNS: Final[tuple[str, ...]] = ("주요 NCS 분야", "NCS 분야 비율(%)")
PERIOD_COLUMNS: Final[tuple[str, ...]] = ("기간", "연도", "분기", "토픽", "주 토픽 문서 수", "기간 문서 수", "비중(%)")
EXAMPLE_COLUMNS: Final[tuple[str, ...]] = ("토픽", "순위", "날짜", "문서")


class TopicsAccessDenied(AccessDenied):
    """Topic analysis is for policy staff only."""


class InvalidTopicQuery(InvalidInput):
    """A corpus that does not exist or a keyword search that is too long."""


def require_policy(role: str | None) -> None:
    """Refuse every role but policy staff.

    Raises:
        TopicsAccessDenied: For any other role (or none).
    """
    if role != "policy":
        raise TopicsAccessDenied("토픽 분석은 정책·운영 담당자만 볼 수 있습니다.")


@dataclass(frozen=True)
class CorpusChoice:
    """A corpus the page offers: its key, Korean title, and why it is missing (``""`` when built)."""

    key: str
    title: str
    missing: str = ""


def corpus_choices(artifact: TopicArtifact, role: str | None) -> list[CorpusChoice]:
    """Every corpus, built or not (a missing one carries its Korean reason), in :data:`CORPUS_TITLES` order."""
    require_policy(role)
    return [CorpusChoice(key, title, "" if key in artifact.models else artifact.missing.get(key, "만들어지지 않았습니다."))
            for key, title in CORPUS_TITLES.items()]


def _model(artifact: TopicArtifact, corpus: str) -> TopicModel:
    model = artifact.models.get(corpus)
    if model is None:
        raise InvalidTopicQuery(artifact.missing.get(corpus, "그런 분석 대상이 없습니다."))
    return model


def _percent(values: pd.Series) -> pd.Series:
    return (pd.to_numeric(values, errors="coerce") * 100).round(1)


@dataclass(frozen=True)
class TopicOverview:
    """What the page shows of one corpus.

    Attributes:
        corpus: Corpus key.
        title: Korean corpus name.
        source: Where the documents come from (Korean).
        labels: Topic number → Korean label.
        topics: One row per topic (:data:`TOPIC_COLUMNS`, plus :data:`NCS_COLUMNS` for the courses).
        periods: Quarter × topic (:data:`PERIOD_COLUMNS`).
        years: Year × topic: ``연도, 토픽, 주 토픽 문서 수, 연도 문서 수, 비중(%)``.
        rising: Topics whose share rises (``추세 판단 == "상승"``), steepest first.
        falling: Topics whose share falls, steepest first.
        examples: Representative documents (:data:`EXAMPLE_COLUMNS`; masked for notes).
        terms: ``토픽, 단어, 가중치`` of every topic's top terms (the term chart).
        method: Korean label → value of how it was made (method, k, coherence, stability).
        k_table: ``토픽 수, 일관성 CV, 일관성 NPMI`` of every candidate.
        keyword_share: Courses only: ``연도, 과정 수, AI 과정 수, 생성형 AI 과정 수, AI 과정 비율(%),
            생성형 AI 과정 비율(%)`` (``None`` for notes).
        coherence: Mean C_V of the topics' top terms (0–1).
        stability: Mean paired similarity of refits on seeded samples (0–1).
    """

    corpus: str
    title: str
    source: str
    labels: dict[int, str]
    topics: pd.DataFrame
    periods: pd.DataFrame
    years: pd.DataFrame
    rising: pd.DataFrame
    falling: pd.DataFrame
    examples: pd.DataFrame
    terms: pd.DataFrame
    method: dict[str, str]
    k_table: pd.DataFrame
    keyword_share: pd.DataFrame | None
    coherence: float
    stability: float

    def audit_output(self) -> dict[str, object]:
        """What the audit log keeps of what was shown (labels and shares; no document text)."""
        return {"corpus": self.corpus, "k": len(self.labels), "labels": list(self.labels.values()),
                "rising": list(self.rising["토픽"]), "falling": list(self.falling["토픽"])}


def topic_overview(artifact: TopicArtifact, corpus: str, role: str | None) -> TopicOverview:
    """The page's tables of one corpus (see :class:`TopicOverview`).

    Raises:
        TopicsAccessDenied: For anyone but policy staff.
        InvalidTopicQuery: A corpus that was not built (the message says why).
    """
    require_policy(role)
    model = _model(artifact, corpus)
    labels = {int(t): str(label) for t, label in zip(model.topics["topic"], model.topics["label"], strict=True)}
    trends = model.trends.set_index("topic")
    topics = pd.DataFrame({
        "토픽": model.topics["label"],
        "주요 단어": [", ".join(terms) for terms in model.topics["terms"]],
        "주 토픽 문서 수": model.topics["documents"].astype(int),
        "평균 비중(%)": _percent(model.topics["share"]),
        "추세(%p/년)": model.topics["topic"].map(trends["slope"]).round(2),
        "추세 판단": model.topics["topic"].map(trends["direction"]),
        "첫해 비중(%)": _percent(model.topics["topic"].map(trends["first_share"])),
        "마지막 해 비중(%)": _percent(model.topics["topic"].map(trends["last_share"])),
    })
    if corpus == "courses" and model.topics["ncs_name"].astype(bool).any():
        topics["주요 NCS 분야"] = model.topics["ncs_name"]
        topics["NCS 분야 비율(%)"] = _percent(model.topics["ncs_share"])
    periods = model.periods.assign(
        기간=lambda f: f["year"].astype(str) + "년 " + f["quarter"].astype(str) + "분기",
        토픽=lambda f: f["topic"].map(labels), **{"비중(%)": lambda f: _percent(f["share"])},
    ).rename(columns={"year": "연도", "quarter": "분기", "documents": "주 토픽 문서 수",
                      "period_documents": "기간 문서 수"})[list(PERIOD_COLUMNS)]
    years = yearly_shares(model.periods).assign(토픽=lambda f: f["topic"].map(labels),
                                                **{"비중(%)": lambda f: _percent(f["share"])})
    years = years.rename(columns={"year": "연도", "documents": "주 토픽 문서 수", "period_documents": "연도 문서 수"})[
        ["연도", "토픽", "주 토픽 문서 수", "연도 문서 수", "비중(%)"]]
    ordered = topics.sort_values("추세(%p/년)", ascending=False, kind="stable")
    rising = ordered[ordered["추세 판단"] == "상승"].reset_index(drop=True)
    falling = ordered[ordered["추세 판단"] == "하락"].iloc[::-1].reset_index(drop=True)
    examples = pd.DataFrame({
        "토픽": model.examples["topic"].map(labels), "순위": model.examples["rank"].astype(int),
        "날짜": pd.to_datetime(model.examples["date"]).dt.strftime("%Y-%m-%d"), "문서": model.examples["text"],
    })
    terms = pd.DataFrame([{"토픽": labels[int(t)], "단어": term, "가중치": weight}
                          for t, terms_, weights in zip(model.topics["topic"], model.topics["terms"],
                                                        model.topics["term_weights"], strict=True)
                          for term, weight in zip(terms_, weights, strict=True)])
    k_table = model.k_table.rename(columns={"k": "토픽 수", "c_v": "일관성 CV", "npmi": "일관성 NPMI"})
    keyword = None
    if model.keyword_share is not None:
        keyword = model.keyword_share.rename(columns={"year": "연도", "courses": "과정 수", "ai_courses": "AI 과정 수",
                                                      "generative_courses": "생성형 AI 과정 수"})
        keyword["AI 과정 비율(%)"] = _percent(keyword.pop("ai_share"))
        keyword["생성형 AI 과정 비율(%)"] = _percent(keyword.pop("generative_share"))
    return TopicOverview(corpus=corpus, title=model.title, source=model.source, labels=labels, topics=topics,
                         periods=periods, years=years, rising=rising, falling=falling, examples=examples, terms=terms,
                         method=method_facts(model, artifact.seed), k_table=k_table, keyword_share=keyword,
                         coherence=float(model.metrics["c_v"]), stability=float(model.metrics["stability"]))


def method_facts(model: TopicModel, seed: int) -> dict[str, str]:
    """How the topics were made, as Korean label → value (the page's 만든 방법 section)."""
    m = model.metrics
    candidates = ", ".join(str(int(k)) for k in model.k_table["k"])
    return {
        "자료": model.source,
        "형태소 분석": "Kiwi 형태소 분석기로 명사·고유명사·어근·외래어만 남기고, 같은 말의 다른 표기(AI·인공지능 등)를 "
                  "하나로 묶은 뒤 불용어를 뺐습니다.",
        "토픽 모델": "TF-IDF(로그 빈도) 위의 비음수 행렬 분해(NMF, scikit-learn). 같은 자료면 늘 같은 토픽이 나옵니다.",
        "토픽 수": f"{int(m['k'])}개 (후보 {candidates} 중 일관성 CV × 안정성이 가장 높은 수)",
        "일관성 CV": f"{m['c_v']:.3f} (0~1, 높을수록 토픽의 주요 단어가 실제 문서에서 함께 쓰임)",
        "일관성 NPMI": f"{m['npmi']:.3f} (-1~1, 0보다 크면 주요 단어가 우연보다 자주 함께 나옴)",
        "안정성": f"{m['stability']:.3f} (문서의 80%를 무작위로 5번 뽑아 무작위 시작점에서 다시 만든 토픽끼리 짝지은 "
               f"유사도, 1이면 같음; "
               f"상위 10개 단어 일치 {m['top_term_overlap'] * 100:.0f}%)",
        "토픽 이름": "토픽에 무겁고 다른 토픽에는 드문 단어 2~3개를 이어 붙인 자동 이름(한글 단어 하나 이상)"
                 + ("; 과정은 가장 많은 NCS 분야를 옆에 적었습니다." if model.key == "courses" else "."),
        "추세": "분기별 비중의 가중 회귀 기울기(연 %p). 연 1%p 이상이고 표준오차의 2배 이상이면 상승·하락으로 봅니다.",
        "문서 수": f"{int(m['documents']):,}건 (서로 다른 문서 {int(m['distinct_documents']):,}건으로 학습)",
        "난수 시드": str(seed),
    }


def search_topics(artifact: TopicArtifact, corpus: str, query: str, role: str | None) -> pd.DataFrame:
    """Topics whose words match a keyword (``AI`` finds 인공지능 too).

    Returns:
        ``토픽, 일치 단어, 점수`` by score descending; empty when nothing matches or the query is empty.

    Raises:
        TopicsAccessDenied: For anyone but policy staff.
        InvalidTopicQuery: A query longer than :data:`MAX_QUERY_CHARS` or a corpus not built.
    """
    require_policy(role)
    text = " ".join(str(query or "").split())
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidTopicQuery(f"검색어는 {MAX_QUERY_CHARS}자 이하로 적어 주세요 (입력: {len(text)}자)")
    model = _model(artifact, corpus)
    found = model.search(text)
    labels = dict(zip(model.topics["topic"].astype(int), model.topics["label"], strict=True))
    return pd.DataFrame({"토픽": found["topic"].astype(int).map(labels), "일치 단어": found["matched"],
                         "점수": np.round(found["score"].astype(float), 3)})


def export_table(overview: TopicOverview) -> pd.DataFrame:
    """The CSV export: every topic's row joined with its yearly shares (one column per year)."""
    wide = overview.years.pivot_table(index="토픽", columns="연도", values="비중(%)", aggfunc="first")
    wide.columns = [f"{int(year)}년 비중(%)" for year in wide.columns]
    return overview.topics.merge(wide.reset_index(), on="토픽", how="left")
