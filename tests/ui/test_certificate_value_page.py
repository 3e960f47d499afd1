"""자격증 가치 (policy staff and counsellors) through AppTest, on the small world with the analysis built
with small-sample thresholds (the small world has too few holders for the production minimum of 30).

Policy staff and counsellors see the scores, the indicator table and the weights with how they are
computed; the filters (population, industry scope, certificate name, field) change what is listed;
the CSV export opens with pandas; employers and seekers are refused; nothing internal is on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from app.analytics.certificate_value import AnalysisSettings, CertificateValueResult, analyse_certificates
from app.db.engine import make_engine
from app.db.repositories import certificates as certificate_repo
from app.ml import certificate_value
from app.ml.manifest import dump_object, now_iso, write_manifest
from app.reference.tables import load_reference
from tests.ui.helpers import chart_titles, point_settings_at, run_page, texts, user_dict
from tests.ui.test_audit_pages import _download, media  # noqa: F401 - the fixture reads the download's bytes
from tests.ui.test_korean_only import _visible_text, internal_identifiers

PAGE = "../../pages/certificate_value.py"
SMALL = AnalysisSettings(bootstrap=10, seed=3, min_holders=3, min_employed=1)


def _build(world_db: Path, models: Path, settings: AnalysisSettings) -> CertificateValueResult:
    """The certificate analysis of the small world with ``settings``, as the only artifact of ``models``."""
    engine = make_engine(f"sqlite:///{world_db}")
    ref = load_reference()
    frame, end = certificate_value.load_analysis_frame(engine, ref)
    result = analyse_certificates(frame, certificate_repo.load_certificate_holdings(engine),
                                  certificate_value.certificate_names(ref), settings, observation_end=end)
    engine.dispose()
    dump_object(result, models / certificate_value.MODEL_FILE)
    write_manifest(models, {"models": {certificate_value.MODEL_NAME: {
        "version": certificate_value.MODEL_VERSION, "created_at": now_iso(), "files": [certificate_value.MODEL_FILE],
        "metrics": result.metrics}}})
    return result


@pytest.fixture(scope="module")
def built_models(tmp_path_factory: pytest.TempPathFactory, world_db: Path) -> Path:
    """A models folder holding only the certificate analysis of the small world."""
    models = tmp_path_factory.mktemp("certificate_models")
    _build(world_db, models, SMALL)
    return models


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, world_db: Path, users_file: Path, built_models: Path) -> Iterator[None]:
    point_settings_at(monkeypatch, world_db, built_models, users_file)
    yield


@pytest.mark.parametrize("role", ["policy", "counsellor"])
def test_staff_see_scores_weights_and_method(env: None, role: str) -> None:
    at = run_page(PAGE, user_dict(role))
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["자격증 가치"]
    table = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    assert len(table) >= 2
    assert table["종합 점수"].between(0, 100).all()
    assert (table["점수 하한"] <= table["점수 상한"]).all()
    assert {"180일 내 취업률(%p)", "임금 프리미엄(%)", "6개월 근속률(%p)"} <= set(table.columns)
    weights = next(d.value for d in at.dataframe if "가중치" in d.value.columns)
    assert weights["가중치"].sum() == pytest.approx(1.0, abs=1e-3)
    assert "자격증별 종합 점수와 95% 구간" in chart_titles(at)
    assert "엔트로피 가중치법" in texts(at)
    assert "표본이 적어 제외" in texts(at)
    assert internal_identifiers(_visible_text(at)) == []


@pytest.mark.parametrize("role", ["employer", "seeker"])
def test_employers_and_seekers_are_refused(env: None, employer_ids: dict[str, int], seeker_ids: dict[str, int],
                                           role: str) -> None:
    user = user_dict(role, employer_ids["employer1"] if role == "employer" else None,
                     seeker_ids["seeker1"] if role == "seeker" else None)
    at = run_page(PAGE, user)
    assert at.error and not at.title and not at.dataframe and not at.download_button


def test_filters_change_the_list(env: None) -> None:
    at = run_page(PAGE, user_dict("policy"))
    first = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    name = str(first["자격증"].iloc[0])
    at.text_input(key="certificate_value.query").set_value(name).run()
    searched = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    assert set(searched["자격증"]) == {name}
    at.text_input(key="certificate_value.query").set_value("").run()
    at.selectbox(key="certificate_value.population").set_value("all").run()
    everyone = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    assert everyone["보유자 수"].sum() >= first["보유자 수"].sum()
    at.selectbox(key="certificate_value.scope").set_value("manufacturing").run()
    assert not at.exception
    by_group = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    assert set(by_group["업종"]) <= {"제조업", "비제조업"}
    assert "제조업과 비제조업 비교" in [s.value for s in at.subheader]
    at.selectbox(key="certificate_value.field").set_value("기술·기능 분야").run()
    technical = next((d.value for d in at.dataframe if "종합 점수" in d.value.columns), pd.DataFrame({"분야": []}))
    assert set(technical["분야"]) <= {"기술·기능 분야"}
    assert internal_identifiers(_visible_text(at)) == []


def test_the_export_opens_with_pandas(env: None, media: list[MemoryMediaFileStorage]) -> None:  # noqa: F811
    at = run_page(PAGE, user_dict("counsellor"))
    exported = _download(at, media, "certificate_value.download")
    shown = next(d.value for d in at.dataframe if "종합 점수" in d.value.columns)
    assert list(exported.columns) == list(shown.columns)
    assert len(exported) == len(shown)
    assert exported["종합 점수"].astype(float).tolist() == pytest.approx(shown["종합 점수"].tolist())
    assert set(exported["자격증"]) == set(shown["자격증"])


def test_a_world_too_small_for_the_minimum_says_so(monkeypatch: pytest.MonkeyPatch, world_db: Path, users_file: Path,
                                                   tmp_path: Path) -> None:
    """Built with the production minimum (30 holders), the small world scores nothing: the page says why."""
    result = _build(world_db, tmp_path, AnalysisSettings(bootstrap=2))
    point_settings_at(monkeypatch, world_db, tmp_path, users_file)
    at = run_page(PAGE, user_dict("policy"))
    assert not at.exception, [e.value for e in at.exception]
    notes = [i.value for i in at.info]
    assert any("보유자 수가 기준에 미치는 자격증이 없어" in n for n in notes), notes  # the cause, not the filters
    assert "조건에 맞는 자격증이 없습니다. 검색어나 분야, 업종을 바꿔 보세요." not in notes
    dropped = result.suppressed[(result.suppressed["population"] == "young") & (result.suppressed["scope"] == "pooled")]
    assert [m.value for m in at.metric][:2] == ["0개", f"{len(dropped):,}개"]
    # no empty table (the browser would draw its English "empty" placeholder): a Korean note instead
    assert all(len(d.value) for d in at.dataframe), [list(d.value.columns) for d in at.dataframe if not len(d.value)]
    assert "점수가 나온 자격증이 없어 지표 가중치를 계산하지 않았습니다." in [i.value for i in at.info]
    at.selectbox(key="certificate_value.field").set_value("기술·기능 분야").run()
    assert not at.exception
