"""토픽 분석 through AppTest, on an artifact the test builds itself (a planted course corpus and the small world's
masked notes; the real shared data is not needed): renders for policy staff, refused for every other role,
the corpus switch, the missing course corpus, the keyword search, the CSV export, Korean only, and documents
shown literally (never as markdown)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from app.analytics.topics import fit_topic_model
from app.config import get_settings
from app.db.engine import make_engine
from app.db.repositories.counsellor_notes import load_masked_notes
from app.ml import manifest
from app.ml import topics as topic_artifact
from tests.conftest import copy_world_database
from tests.ui import test_audit_pages
from tests.ui.helpers import TIMEOUT, chart_titles, db_rows, point_settings_at, texts, user_dict
from tests.ui.test_korean_only import _visible_text, internal_identifiers
from tests.unit.topics_helpers import planted_corpus

PAGE = "../../pages/topics.py"
media = test_audit_pages.media
"""The fixture that reads a download button's bytes (AppTest's in-memory media stores)."""
COURSES, NOTES = topic_artifact.CORPUS_TITLES["courses"], topic_artifact.CORPUS_TITLES["notes"]


def _write_artifact(models: Path, artifact: topic_artifact.TopicArtifact) -> None:
    models.mkdir(parents=True, exist_ok=True)
    manifest.dump_object(artifact, models / topic_artifact.MODEL_FILE)
    manifest.write_manifest(models, {"models": {topic_artifact.MODEL_NAME: {
        "title": "토픽 분석 모델", "version": topic_artifact.MODEL_VERSION, "created_at": manifest.now_iso(),
        "files": [topic_artifact.MODEL_FILE], "metrics": {}}}})


@pytest.fixture(scope="module")
def built(world_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(database copy, models with both corpora, models with the notes only)."""
    root = tmp_path_factory.mktemp("topics_page")
    db = copy_world_database(world_url, root / "w.db", empty=("audit_log",))
    engine = make_engine(f"sqlite:///{db}")
    notes = load_masked_notes(engine)
    engine.dispose()
    notes_only = topic_artifact.build_topic_artifact(None, notes, seed=7)
    both = topic_artifact.TopicArtifact(models={**notes_only.models,
                                                "courses": fit_topic_model(planted_corpus(), k=4, seed=7)}, seed=7)
    _write_artifact(root / "both", both)
    _write_artifact(root / "notes_only", notes_only)
    return db, root / "both", root / "notes_only"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, built: tuple[Path, Path, Path], users_file: Path) -> Iterator[str]:
    db, models, _ = built
    yield point_settings_at(monkeypatch, db, models, users_file)
    get_settings.cache_clear()


def _open(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["auth.user"] = user or user_dict("policy")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "주요 단어" in d.value.columns)


def test_policy_staff_see_topics_trends_and_how_they_were_made(env: str) -> None:
    at = _open(user_dict("policy") | {"username": "topics-viewer"})
    assert [t.value for t in at.title] == ["토픽 분석"]
    assert at.radio(key="topics.corpus").value == COURSES
    table = _table(at)
    assert len(table) == 4 and table["토픽"].is_unique
    assert all(re.search(r"[가-힣]", label) for label in table["토픽"])
    rising = next(d.value for d in at.dataframe if "추세(%p/년)" in d.value.columns and len(d.value.columns) == 4)
    assert "인공지능" in table.set_index("토픽").loc[rising["토픽"].iloc[0], "주요 단어"]
    titles = chart_titles(at)
    assert "토픽별 비중의 변화 (분기별, %)" in titles and "시작 연도별 과정 수와 AI 과정 비율" in titles
    shown = texts(at) + "\n".join(e.label for e in at.expander)
    assert "AI 토픽 분석 결과입니다 · 토픽 분석 모델 1.0" in shown
    assert [m.label for m in at.metric] == ["토픽 수", "떠오르는 토픽", "줄어드는 토픽", "일관성 CV", "안정성"]
    facts = next(d.value for d in at.dataframe if "항목" in d.value.columns)
    assert {"토픽 수", "일관성 CV", "일관성 NPMI", "안정성"} <= set(facts["항목"])
    (row,) = db_rows(env, "select action, model_name from audit_log where username='topics-viewer'")
    assert row == ("topics.view", "topics")


@pytest.mark.parametrize(("role", "label"), [("counsellor", "직업상담사"), ("employer", "구인기업"), ("seeker", "구직자")])
def test_other_roles_are_refused(env: str, role: str, label: str) -> None:
    at = _open(user_dict(role, 1 if role == "employer" else None, 1 if role == "seeker" else None))
    assert [e.value for e in at.error] == [f"이 화면은 정책·운영 전용입니다. 현재 역할: {label}"]
    assert not at.title and not at.dataframe and not at.get("plotly_chart")


def test_the_corpus_switch_shows_the_masked_notes_as_plain_text(env: str) -> None:
    at = _open()
    at.radio(key="topics.corpus").set_value(NOTES).run()
    assert not at.exception
    table = _table(at)
    assert "주요 NCS 분야" not in table.columns and len(table) >= 2
    assert "개인정보를 가린 뒤" in texts(at)
    documents = [t.value for t in at.text]
    assert documents and not any(re.search(r"01\d-\d{3,4}-\d{4}", d) for d in documents)
    # the page's documents are exactly the artifact's masked examples, shown literally
    artifact = manifest.load_object(Path(get_settings().models_dir) / topic_artifact.MODEL_FILE)
    topic = at.selectbox(key="topics.topic.notes").value
    model = artifact.models["notes"]
    number = int(model.topics.loc[model.topics["label"] == topic, "topic"].iloc[0])
    assert documents == list(model.examples.loc[model.examples["topic"] == number, "text"])


def test_a_document_with_markup_is_shown_literally(env: str, built: tuple[Path, Path, Path],
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    artifact = manifest.load_object(built[1] / topic_artifact.MODEL_FILE)
    courses = artifact.models["courses"]
    markup = "**굵게** <b>태그</b> [링크](http://evil.example) $x$ 인공지능"
    courses.examples.loc[courses.examples.index[0], "text"] = markup
    _write_artifact(tmp_path / "models", artifact)
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    at = _open()
    topic = courses.topics.loc[courses.topics["topic"] == courses.examples.iloc[0]["topic"], "label"].iloc[0]
    at.selectbox(key="topics.topic.courses").set_value(topic).run()
    assert markup in [t.value for t in at.text]
    assert not any("<b>" in m.value for m in at.markdown)


def test_the_search_finds_a_topic_by_another_spelling(env: str) -> None:
    at = _open()
    at.text_input(key="topics.search.courses").input("AI").run()
    found = next(d.value for d in at.dataframe if "일치 단어" in d.value.columns)
    assert "인공지능" in found["일치 단어"].iloc[0]
    at.text_input(key="topics.search.courses").input("없는단어").run()
    assert "그 단어가 주요 단어인 토픽이 없습니다. 다른 단어로 찾아 보세요." in [i.value for i in at.info]


def test_the_export_opens_with_pandas(env: str, media: list[MemoryMediaFileStorage]) -> None:
    at = _open()
    (button,) = [b for b in at.download_button if b.key == "topics.list.courses.download"]
    data = media[-1].get_file(button.proto.url.rsplit("/", 1)[-1]).content
    exported = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(exported["토픽"]) == list(_table(at)["토픽"])
    assert {"2021년 비중(%)", "2025년 비중(%)", "추세(%p/년)"} <= set(exported.columns)


def test_without_the_course_corpus_the_page_says_why(monkeypatch: pytest.MonkeyPatch, built: tuple[Path, Path, Path],
                                                     users_file: Path) -> None:
    db, _, notes_only = built
    point_settings_at(monkeypatch, db, notes_only, users_file)
    try:
        at = _open()
        assert at.radio(key="topics.corpus").value == NOTES  # the built corpus first
        at.radio(key="topics.corpus").set_value(COURSES).run()
        assert [i.value for i in at.info] == [topic_artifact.COURSES_MISSING]
        assert not at.dataframe
    finally:
        get_settings.cache_clear()


def test_nothing_internal_or_english_is_on_screen(env: str) -> None:
    at = _open()
    for corpus in (COURSES, NOTES):
        at.radio(key="topics.corpus").set_value(corpus).run()
        at.radio(key=f"topics.trends.{'courses' if corpus == COURSES else 'notes'}.by").set_value("연도").run()
        assert internal_identifiers(_visible_text(at)) == []


def test_without_the_artifact_the_page_names_the_build(monkeypatch: pytest.MonkeyPatch, built: tuple[Path, Path, Path],
                                                       users_file: Path, tmp_path: Path) -> None:
    point_settings_at(monkeypatch, built[0], tmp_path / "empty", users_file)
    try:
        at = _open()
        assert any("python -m app build" in w.value for w in at.warning)
    finally:
        get_settings.cache_clear()
