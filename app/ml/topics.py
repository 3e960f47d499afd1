"""Artifact ``topics``: topic models of the real K-Digital Training courses and of the world's counselling notes.

Two corpora, each fitted by :func:`app.analytics.topics.fit_topic_model` (method there and in docs/topics.md):

* ``courses`` — the real K-Digital Training course file under the shared data directory (read by
  :func:`app.ml.course_outcome.load_kdt_courses`, the project's one reader of it): one document per course
  round, its title; dated by its start date; its NCS name beside it. Without the file (a clean clone) this
  corpus is not built and the page says so. Raw rows are never committed; the artifact (under ``models/``,
  git-ignored) keeps the topic tables and a few course titles per topic as examples.
* ``notes`` — every counselling note of the world, masked as it is read
  (:func:`app.db.repositories.counsellor_notes.load_masked_notes`): the model, its examples and its search
  vocabulary only ever see masked text.

The page never fits: it reads this artifact.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from app.analytics.topics import (
    COURSE_STOP_WORDS,
    NOTE_STOP_WORDS,
    TooFewDocuments,
    TopicCorpus,
    TopicModel,
    fit_topic_model,
)
from app.db.repositories.counsellor_notes import load_masked_notes
from app.ml.manifest import ArtifactResult, ArtifactSpec, BuildContext, load_fitted, save_fitted
from app.ml.model_card import ModelCard

MODEL_NAME = "topics"
MODEL_VERSION = "1.0"
MODEL_FILE = "topics.pkl"

COURSES = "courses"
NOTES = "notes"
CORPUS_TITLES: dict[str, str] = {COURSES: "K-디지털 트레이닝 과정명(실제 자료)", NOTES: "상담일지(가상 세계)"}
"""Korean name of each corpus, in the order the page offers them."""
COURSES_MISSING = ("실제 K-디지털 트레이닝 과정 자료가 이 컴퓨터에 없어 과정명 토픽은 만들지 않았습니다. "
                   "자료를 공유 데이터 폴더에 두고 `python -m app build`를 다시 실행하면 만들어집니다.")
"""Why the course corpus is missing (shown on the page)."""
NOTES_EMPTY = "가상 세계에 상담일지가 (거의) 없어 상담일지 토픽을 만들지 않았습니다."


@dataclass
class TopicArtifact:
    """The built topic models by corpus key, and why a corpus is missing."""

    models: dict[str, TopicModel] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    seed: int = 0


def course_corpus(path: Path) -> TopicCorpus:
    """The course corpus of the KDT file: titles, start dates and NCS names (the reader's ``text`` is
    the title followed by the NCS name)."""
    from app.ml import course_outcome  # LightGBM comes with it: only the build reads the file

    courses = course_outcome.load_kdt_courses(path)
    titles = courses["title"].fillna("").astype(str)
    ncs_names = [text[len(title):].strip() for text, title in zip(courses["text"].astype(str), titles, strict=True)]
    shown = [f"{title} ({ncs})" if ncs else title for title, ncs in zip(titles, ncs_names, strict=True)]
    return TopicCorpus(
        key=COURSES, title=CORPUS_TITLES[COURSES], texts=tuple(titles), shown=tuple(shown),
        dates=tuple(pd.to_datetime(courses["start_date"])), groups=tuple(ncs_names), stop_words=COURSE_STOP_WORDS,
        source=f"고용노동부 K-디지털 트레이닝 과정 자료({path.name}), 과정 {len(courses):,}회차의 과정명·시작일·NCS명",
    )


def notes_corpus(notes: pd.DataFrame) -> TopicCorpus:
    """The counselling-note corpus of already masked notes (``written_on, text``)."""
    return TopicCorpus(
        key=NOTES, title=CORPUS_TITLES[NOTES], texts=tuple(notes["text"]), shown=tuple(notes["text"]),
        dates=tuple(pd.to_datetime(notes["written_on"])), stop_words=NOTE_STOP_WORDS, drop_places=True,
        source=f"가상 세계의 상담일지 {len(notes):,}건(개인정보를 가린 뒤 분석)",
    )


def build_topic_artifact(courses_path: Path | None, notes: pd.DataFrame, *, seed: int) -> TopicArtifact:
    """Fit every corpus there is (see the module docstring)."""
    artifact = TopicArtifact(seed=seed)
    if courses_path is not None:
        artifact.models[COURSES] = fit_topic_model(course_corpus(courses_path), seed=seed)
    else:
        artifact.missing[COURSES] = COURSES_MISSING
    try:
        artifact.models[NOTES] = fit_topic_model(notes_corpus(notes), seed=seed)
    except TooFewDocuments:  # a world without notes (or with a handful): the page says so
        artifact.missing[NOTES] = NOTES_EMPTY
    return artifact


def kdt_source() -> str:
    """The course outcome model's ``kdt:<bytes>`` / ``world`` fingerprint of the KDT file (imported when asked:
    the page that reads this artifact never loads LightGBM)."""
    from app.ml import course_outcome

    return course_outcome.training_source()


def build_topics(ctx: BuildContext) -> ArtifactResult:
    """Registry builder: both corpora (the courses only when the shared data is there)."""
    from app.ml import course_outcome

    started = time.perf_counter()
    artifact = build_topic_artifact(course_outcome.kdt_path(), load_masked_notes(ctx.engine), seed=ctx.seed)
    metrics: dict[str, float | str] = {"corpora": float(len(artifact.models))}
    for key, model in artifact.models.items():
        for name in ("k", "c_v", "npmi", "stability", "top_term_overlap", "documents"):
            metrics[f"{key}_{name}"] = model.metrics[name]
    metrics["build_seconds"] = round(time.perf_counter() - started, 1)
    return save_fitted(ctx, artifact, MODEL_FILE, metrics)


def load_topic_artifact(models_dir: Path) -> TopicArtifact:
    """The built topic models (only from our own models/ directory; raises ``ArtifactMissing`` naming the build)."""
    return load_fitted(models_dir, MODEL_NAME, MODEL_FILE)


SPEC = ArtifactSpec(name=MODEL_NAME, version=MODEL_VERSION, title="토픽 분석 모델", build=build_topics,
                    config_fingerprint=kdt_source)
"""The topic models (the course corpus when the shared data is there: the same ``kdt:<bytes>`` / ``world``
fingerprint as the course outcome model, so the artifact rebuilds when the file appears, changes or goes)."""

CARD = ModelCard(
    name=MODEL_NAME,
    title="토픽 분석 모델",
    purpose="정책·운영 담당자가 많은 글(훈련과정명, 상담일지)이 어떤 주제로 이루어져 있고 그 비중이 시간에 따라 "
            "어떻게 바뀌는지 한눈에 보도록 주제(토픽)를 자동으로 묶습니다.",
    output="토픽별 이름(대표 단어 2~3개), 주요 단어, 분기·연도별 비중과 추세(상승·하락), 대표 문서. "
           "토픽 분석 화면에만 나타나며 개인에 대한 판단은 하지 않습니다.",
    shown_on=("topics",),
    criteria=("문서에 쓰인 명사·외래어(형태소 분석)", "단어의 문서 내 빈도와 드문 정도(TF-IDF)",
              "함께 쓰이는 단어의 묶음(비음수 행렬 분해)", "문서의 날짜(분기·연도)"),
    not_used="상담일지의 이름·연락처·주소 등 개인정보는 분석 전에 가립니다. 구직자 번호나 이름은 결과에 남기지 않습니다.",
    training_data="실제 K-디지털 트레이닝 과정 자료(2021~2025년 시작 과정의 과정명·NCS명·시작일)가 있으면 그 자료와, "
                  "가상 세계의 상담일지(개인정보를 가린 뒤)로 만듭니다.",
    human_oversight="토픽 이름은 상위 단어를 이어 붙인 자동 이름입니다. 정책·운영 담당자가 주요 단어와 대표 문서를 "
                    "보고 해석하며, 토픽 수와 일관성·안정성 수치를 함께 확인합니다.",
    contest="토픽이 이상하게 묶였다고 보이면 정책·운영 담당 부서에 알려 주세요. 불용어나 토픽 수를 조정해 다시 만듭니다.",
    limits="단어가 함께 쓰이는 정도로 묶으므로 뜻이 같아도 다른 말로 쓰면 다른 토픽이 될 수 있습니다. 과정명은 짧아 "
           "기관 이름 같은 단어가 섞일 수 있고, 상담일지는 가상 세계의 틀에 맞춘 글이라 실제 상담일지와 다릅니다.",
    quality_metrics=("courses_c_v", "courses_npmi", "courses_stability", "courses_k", "notes_c_v", "notes_npmi",
                     "notes_stability", "notes_k"),
    fairness_note="개인을 평가하거나 분류하지 않는 문서 묶음 분석이라 집단별 공정성 지표는 해당하지 않습니다.",
)
"""Transparency notice of the topic models (:mod:`app.ml.model_card`)."""
