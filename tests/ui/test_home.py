"""홈 page through AppTest, for every role, plus the empty-database and manifest cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.helpers import chart_titles, plotly_figures, plotly_values, run_page, texts, user_dict

HOME = "../../pages/home.py"

COMMON_METRICS = [
    "구인기업", "게시 중인 공고", "구직자", "훈련과정", "충원율(마감 기준)", "30일 내 충원율",
    "공고당 지원자 수", "미충원율", "180일 내 재취업률", "재취업률(구직급여 수급자)",
]


@pytest.fixture
def roles(employer_ids: dict[str, int]) -> dict[str, dict]:
    return {
        "employer": user_dict("employer", employer_ids["employer1"]),
        "counsellor": user_dict("counsellor"),
        "policy": user_dict("policy"),
    }


@pytest.mark.parametrize("role", ["employer", "counsellor", "policy"])
def test_home_renders_for_each_role(app_env: None, roles: dict[str, dict], role: str) -> None:
    at = run_page(HOME, roles[role])
    assert not at.exception
    assert [t.value for t in at.title] == ["고용AI 워크벤치 — 현황"]
    labels = [m.label for m in at.metric]
    for label in COMMON_METRICS:
        assert label in labels
    subheaders = [s.value for s in at.subheader]
    assert {"전체 현황", "채용공고", "구직자 재취업", "모델 현황"} <= set(subheaders)
    assert chart_titles(at) == [
        "시도별 공고 수와 충원율",
        "공고가 많은 직종과 충원율",
        "연령대별 180일 내 재취업률",
        "시도별 180일 내 재취업률",
    ]
    region = plotly_figures(at)[0]
    assert region["layout"]["xaxis"]["title"]["text"] == "시도"
    assert sum(plotly_values(region["data"][0]["y"])) > 0  # bars carry the posting counts
    # without a manifest the model section names the build command
    assert any("python -m app build" in i.value for i in at.info)


def test_employer_sees_own_figures_staff_do_not(app_env: None, roles: dict[str, dict]) -> None:
    employer = run_page(HOME, roles["employer"])
    assert "우리 기업 현황" in [s.value for s in employer.subheader]
    own = {m.label: m.value for m in employer.metric}
    assert own["우리 공고 수"].endswith("건")
    staff = run_page(HOME, roles["policy"])
    assert "우리 기업 현황" not in [s.value for s in staff.subheader]
    assert "우리 공고 수" not in [m.label for m in staff.metric]
    assert "정책·운영 화면" in texts(staff)


def test_home_counts_match_database(app_env: None, roles: dict[str, dict], world_url: str) -> None:
    from sqlalchemy import create_engine, text

    with create_engine(world_url).connect() as conn:
        n_seekers = conn.execute(text("select count(*) from seekers")).scalar_one()
    at = run_page(HOME, roles["counsellor"])
    values = {m.label: m.value for m in at.metric}
    assert values["구직자"] == f"{n_seekers:,}명"
    assert values["충원율(마감 기준)"].endswith("%")


def test_logged_out_is_refused(app_env: None) -> None:
    at = run_page(HOME, None)
    assert not at.exception
    assert [w.value for w in at.warning] == ["로그인이 필요합니다."]
    assert not at.title and not at.metric


def test_empty_database_names_build_command(
    app_env: None, roles: dict[str, dict], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("GOYONG_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    at = run_page(HOME, roles["policy"])
    assert not at.exception
    assert any("python -m app build" in w.value for w in at.warning)
    assert not at.metric


def _use_manifest(manifest: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the settings at a models folder holding ``manifest`` as its manifest.json."""
    from app.config import get_settings

    models = tmp_path / "built-models"
    models.mkdir()
    (models / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("GOYONG_MODELS_DIR", str(models))
    get_settings.cache_clear()


def test_model_section_lists_manifest(
    app_env: None, roles: dict[str, dict], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _use_manifest(
        {
            "created_at": "2026-11-23T10:00:00",
            "world": {"size": "small", "seed": 7, "fingerprint": "abc123def456", "rows": {"postings": 400}},
            "models": {
                "hiring": {"version": "1.0.0", "created_at": "2026-11-23T10:00:00",
                           "metrics": {"auc": 0.8123}, "files": ["hiring.joblib"]},
            },
        },
        monkeypatch, tmp_path,
    )
    at = run_page(HOME, roles["counsellor"])
    assert not at.exception
    table = next(d.value for d in at.dataframe if "모델" in d.value.columns)
    assert table["모델"].tolist() == ["hiring"]
    assert table["버전"].tolist() == ["1.0.0"]
    assert "AUC 0.812" in table["성능 지표"].iloc[0]
    assert not any("python -m app build" in i.value for i in at.info)


def test_model_section_shows_titles_training_data_and_korean_metrics(
    app_env: None, roles: dict[str, dict], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fingerprint = "fb68f1b64c7ceb479c1d681170d4a546"
    _use_manifest(
        {
            "created_at": "2026-11-23T19:05:53+00:00",
            "world": {"size": "demo", "seed": 20261123, "fingerprint": fingerprint},
            "models": {
                "market_wages": {
                    "title": "직종×지역 시장임금표", "version": "1.0", "data_fingerprint": fingerprint,
                    "created_at": "2026-11-23T19:05:53+00:00", "files": ["market_wages.parquet"],
                    "metrics": {"cells": 1536.0, "median_ape_vs_truth": 0.0438},
                },
            },
        },
        monkeypatch, tmp_path,
    )
    at = run_page(HOME, roles["policy"])
    assert not at.exception
    table = next(d.value for d in at.dataframe if "모델" in d.value.columns)
    assert table.to_dict("records") == [
        {
            "모델": "직종×지역 시장임금표",
            "버전": "1.0",
            "학습 데이터": "시연용 세계 · 시드 20261123 · 지문 fb68f1b6",
            "성능 지표": "추정 셀 1,536개, 실제 시장임금 대비 오차(중앙값) 4.4%",
            "생성 시각(KST)": "2026-11-24 04:05",
        }
    ]
    shown = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "market_wages" not in shown and "median_ape" not in shown and "=" not in shown


def test_employer_with_unknown_id_gets_korean_error(app_env: None) -> None:
    at = run_page(HOME, user_dict("employer", 987654))
    assert not at.exception
    assert any("987654" in e.value for e in at.error)
    assert [t.value for t in at.title] == ["고용AI 워크벤치 — 현황"]


ISSUE_14_MANIFEST = {
    "created_at": "2026-11-23T19:05:53+00:00",
    "world": {"size": "demo", "seed": 20261123, "fingerprint": "f0"},
    "models": {
        "employment": {"title": "취업성공 예측모델", "version": "1.2", "data_fingerprint": "f0",
                       "metrics": {"auc": 0.81, "auc_oracle": 0.83, "ate_aipw_nes": 0.05, "train_seconds": 30.0}},
        "ad_verifier": {"title": "구인광고 AI 검증", "version": "2.8", "data_fingerprint": "f0",
                        "metrics": {"recall_test": 0.9, "fpr_test": 0.01, "fpr_all": 0.02, "ml_pr_auc": 0.7}},
        "hiring": {"title": "채용성공 예측모델", "version": "1.0", "data_fingerprint": "f0",
                   "metrics": {"auc": 0.8, "auc_oracle": 0.82, "brier_oracle": 0.1}},
    },
}


def test_model_status_shows_no_internal_metric_keys_and_employers_only_their_models(
    app_env: None, roles: dict[str, dict], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _use_manifest(ISSUE_14_MANIFEST, monkeypatch, tmp_path)
    staff = run_page(HOME, roles["policy"])
    assert not staff.exception
    table = next(d.value for d in staff.dataframe if "모델" in d.value.columns)
    assert set(table["모델"]) == {"취업성공 예측모델", "구인광고 AI 검증", "채용성공 예측모델"}
    shown = " ".join(str(v) for v in table.to_numpy().ravel())
    for key in ("auc_oracle", "fpr_all", "ate_aipw", "train_seconds", "ml_pr_auc", "brier_oracle", "demo", "seed"):
        assert key not in shown
    assert "문제 공고 적발률 90.0%" in shown and "AUC 0.810" in shown
    employer = run_page(HOME, roles["employer"])
    assert not employer.exception
    mine = next(d.value for d in employer.dataframe if "모델" in d.value.columns)
    # the seekers' employment model does not concern an employer
    assert set(mine["모델"]) == {"구인광고 AI 검증", "채용성공 예측모델"}


def test_home_states_the_reference_date_in_korean(app_env: None, roles: dict[str, dict], world_url: str) -> None:
    import datetime as dt

    from sqlalchemy import create_engine, text

    from app.text.korean import format_korean_date

    with create_engine(world_url).connect() as conn:
        day = dt.date.fromisoformat(conn.execute(
            text("select value from world_meta where key='reference_date'")).scalar_one())
    at = run_page(HOME, roles["counsellor"])
    assert any(c.value.startswith(f"기준일 {format_korean_date(day)} ·") for c in at.caption)
