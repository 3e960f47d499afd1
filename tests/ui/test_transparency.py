"""AI 투명성 안내 through AppTest: every role, before any model is built and with a manifest the
test writes (figures, stale versions, escaping of what the manifest says)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.ml.manifest import write_manifest
from app.ml.registry import ARTIFACTS
from tests.ui.helpers import run_page, texts, user_dict

PAGE = "../../pages/transparency.py"
VERSIONS = {spec.name: spec.version for spec in ARTIFACTS}
TITLES = ("채용성공 예측모델", "취업성공 예측모델", "구인광고 AI 검증", "유사 공고 검색 색인", "직종 자동분류 모델",
          "직업 적합도 모델", "지능형 직업흥미검사 (적응형 검사)", "인재추천 모델", "훈련과정 취업성과 예측모델",
          "AI 직업훈련추천 모델", "자격증 노동시장 가치 분석", "토픽 분석 모델", "구인공고 AI 작성지원", "상담 지원 AI",
          "직종×지역 시장임금표")


def plain(text: str) -> str:
    """Markdown source as the reader sees it (escape_markdown's backslashes removed)."""
    return re.sub(r"\\(.)", r"\1", text)


def seen(at: AppTest) -> str:
    return plain(texts(at) + "\n" + "\n".join(e.label for e in at.expander))


@pytest.fixture
def roles(employer_ids: dict[str, int]) -> dict[str, dict]:
    return {
        "employer": user_dict("employer", employer_ids["employer1"]),
        "counsellor": user_dict("counsellor"),
        "policy": user_dict("policy"),
    }


def _write_manifest(models: Path, **overrides: dict) -> None:
    entries = {
        "hiring": {"version": VERSIONS["hiring"], "metrics": {"auc": 0.741, "ece": 0.0098, "n_train": 6400.0}},
        "employment": {"version": VERSIONS["employment"],
                       "metrics": {"auc": 0.6385, "auc_age_blind": 0.6326, "ece_age_blind": 0.0181}},
        "ad_verifier": {"version": VERSIONS["ad_verifier"], "metrics": {"recall_test": 1.0, "fpr_test": 0.0011}},
    }
    entries.update(overrides)
    write_manifest(models, {
        "world": {"size": "demo", "seed": 7, "fingerprint": "f" * 64, "created_at": "2026-01-21T15:30:00+00:00",
                  "rows": {"employers": 2500, "postings": 8000, "seekers": 20000}},
        "models": {name: {"title": name, "data_fingerprint": "f" * 64, "created_at": "2026-01-22T00:00:00+00:00",
                          "files": [], **entry} for name, entry in entries.items()},
    })


@pytest.mark.parametrize("role", ["employer", "counsellor", "policy"])
def test_every_role_sees_every_card_before_any_build(app_env: None, roles: dict[str, dict], role: str) -> None:
    at = run_page(PAGE, roles[role])
    assert not at.exception
    assert [t.value for t in at.title] == ["AI 투명성 안내"]
    labels = [e.label for e in at.expander]
    assert [label.split(" · ")[0] for label in labels] == list(TITLES)
    # every built artifact says it is not built yet, with the command; the generator needs no build
    assert sum(label.endswith("아직 만들어지지 않음") for label in labels) == len(ARTIFACTS)
    assert labels[TITLES.index("구인공고 AI 작성지원")].endswith("설정에 따라 동작(빌드 불필요)")
    assert labels[TITLES.index("상담 지원 AI")].endswith("설정에 따라 동작(빌드 불필요)")
    assert any("python -m app build" in i.value for i in at.info)
    assert sum("python -m app build" in w.value for w in at.warning) == len(ARTIFACTS)
    shown = seen(at)
    for heading in ("법적 근거", "모델 한눈에 보기", "모델별 안내", "학습 데이터: 가상 세계와 참고한 공개 자료", "이의 제기 절차"):
        assert heading in [s.value for s in at.subheader]
    for section in ("목적", "주요 판단 기준", "학습 데이터 개요", "측정 성능", "공정성", "사람의 감독", "이의 제기 방법"):
        assert f"**{section}" in shown
    assert "인공지능 기본법" in shown and "제34조" in shown and "2026년 1월 22일" in shown
    assert "감사 로그" in shown and "관할 고용센터" in shown
    assert "한국고용직업분류(KECO) 2025" in shown
    summary = at.dataframe[0].value
    assert list(summary.columns) == ["모델", "상태", "버전", "빌드 일시(KST)", "결과가 나오는 화면"]
    assert list(summary["모델"]) == list(TITLES)


def test_role_note_names_the_models_the_role_meets(app_env: None, roles: dict[str, dict]) -> None:
    employer = plain(run_page(PAGE, roles["employer"]).info[0].value)
    counsellor = plain(run_page(PAGE, roles["counsellor"]).info[0].value)
    assert employer.startswith("구인기업 화면에서 만나는 AI: 채용성공 예측모델")
    assert "취업성공 예측모델" not in employer and "구인공고 AI 작성지원" in employer
    assert counsellor.startswith("직업상담사 화면에서 만나는 AI: 취업성공 예측모델")
    assert "구인광고 AI 검증" not in counsellor


def test_built_models_show_their_figures_version_and_build_time(
    app_env: None, roles: dict[str, dict], tmp_path: Path
) -> None:
    _write_manifest(tmp_path / "models")  # app_env points the models directory here
    at = run_page(PAGE, roles["counsellor"])
    assert not at.exception
    labels = {e.label.split(" · ")[0]: e.label for e in at.expander}
    assert labels["채용성공 예측모델"].endswith("사용 중")
    assert labels["직종 자동분류 모델"].endswith("아직 만들어지지 않음")
    assert not any("아직 만들어진 모델이 없습니다" in i.value for i in at.info)
    shown = seen(at)
    assert f"버전 {VERSIONS['hiring']} · 빌드 일시 2026-01-22 09:00 KST" in shown
    assert "- AUC(구분력: 0.5는 무작위, 1은 완벽): 0.741" in shown
    assert "- 학습 표본: 6,400건" in shown
    assert "- 정상 공고를 잘못 걸러낸 비율(평가 공고): 0.11%" in shown
    assert "- 연령을 뺀 비교 모델의 AUC: 0.633" in shown
    assert "구인기업 2,500곳, 구인공고 8,000건, 구직자 20,000명" in shown
    summary = at.dataframe[0].value.set_index("모델")
    assert summary.loc["채용성공 예측모델", "빌드 일시(KST)"] == "2026-01-22 09:00"
    assert summary.loc["직종 자동분류 모델", "상태"] == "아직 만들어지지 않음"
    # no internal key on screen
    assert not re.search(r"\b(auc_age_blind|fpr_test|n_train|occupation_classifier|ad_verifier)\b", shown)


def test_manifest_text_is_escaped_and_a_stale_model_asks_for_a_rebuild(
    app_env: None, roles: dict[str, dict], tmp_path: Path
) -> None:
    _write_manifest(tmp_path / "models", hiring={"version": "[클릭](http://evil.example)", "metrics": {"auc": 0.7}})
    at = run_page(PAGE, roles["employer"])
    assert not at.exception
    hiring = next(e for e in at.expander if e.label.startswith("채용성공 예측모델"))
    assert hiring.label.endswith("다시 빌드 필요")
    warning = next(w.value for w in at.warning if "다시 만들어야" in w.value)
    assert "\\[클릭\\]\\(http\\://evil\\.example\\)" in warning  # shown as text, not a link
    assert "`python -m app build`" in warning
    assert all("](http" not in m.value for m in [*at.markdown, *at.caption])


def test_logged_out_visitor_is_refused(app_env: None) -> None:
    at = run_page(PAGE, None)
    assert not at.exception
    assert [w.value for w in at.warning] == ["로그인이 필요합니다."]
    assert not at.title and not at.expander
