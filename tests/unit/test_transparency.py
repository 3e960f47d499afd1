"""The AI transparency cards: coverage of every model (registered artifacts and every model name
written to the audit log), the card builder against a manifest written by the test, Korean
labels for every metric shown and the generated criteria."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest

from app import access
from app.ml import employment, employment_features, hiring, hiring_features
from app.ml.manifest import ArtifactSpec, load_manifest, write_manifest
from app.ml.model_card import ModelCard, factor_names
from app.ml.registry import ARTIFACTS
from app.services import transparency as tr
from app.text.korean import josa

ROOT = Path(__file__).resolve().parents[2]
SPEC_VERSIONS = {spec.name: spec.version for spec in ARTIFACTS}
AUDIT_CALLS = ("log_shown", "log_model_output")


# --------------------------------------------------------------------------- coverage


def test_every_registered_artifact_has_a_card_next_to_its_module() -> None:
    for spec in ARTIFACTS:
        card = getattr(sys.modules[spec.build.__module__], "CARD", None)
        assert isinstance(card, ModelCard), f"{spec.build.__module__} has no CARD for '{spec.name}'"
        assert card.name == spec.name
        assert card.built  # a registered artifact is built by `python -m app build`
    cards = tr.registered_cards()
    assert [name for name, card in cards.items() if card is None] == []
    assert set(SPEC_VERSIONS) <= set(cards)


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted target (``module`` or ``module:attribute``) of a module's imports."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}:{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
    return names


def _resolve(target: str) -> object:
    if ":" not in target:
        return importlib.import_module(target)
    module, attribute = target.split(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except AttributeError:  # `from package import submodule`
        return importlib.import_module(f"{module}.{attribute}")


class _AuditCalls(ast.NodeVisitor):
    """``model_name=`` arguments of audit-log calls, resolved to their values."""

    def __init__(self, tree: ast.Module, path: Path) -> None:
        self.imports = _imports(tree)
        self.constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                          for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        self.path = path
        self.parameters: list[set[str]] = [set()]
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.parameters.append({a.arg for a in (*node.args.args, *node.args.kwonlyargs)})
        self.generic_visit(node)
        self.parameters.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        value = next((k.value for k in node.keywords if k.arg == "model_name"), None)
        if called in AUDIT_CALLS and value is not None:
            self.found.add(self._value(value))
        self.generic_visit(node)

    def _value(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.Name):
            if node.id in self.parameters[-1]:
                return "<forwarded>"  # a wrapper passing its caller's model name on
            if node.id in self.constants:
                return str(self.constants[node.id])
            return str(_resolve(self.imports[node.id]))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return str(getattr(_resolve(self.imports[node.value.id]), node.attr))
        raise AssertionError(f"{self.path}: cannot resolve model_name={ast.unparse(node)}")


def audit_model_names() -> set[str]:
    """Every model name the code writes to the audit log (pages, components, app)."""
    names: set[str] = set()
    for folder in ("pages", "components", "app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            visitor = _AuditCalls(tree, path)
            visitor.visit(tree)
            names |= visitor.found
    return names - {"<forwarded>"}


def test_every_model_name_written_to_the_audit_log_has_a_card() -> None:
    names = audit_model_names()
    # the scan must see the known outputs, or it would pass by finding nothing
    assert {"hiring", "employment", "ad_verifier", "occupation_classifier", "posting_assistant"} <= names
    cards = tr.registered_cards()
    assert sorted(n for n in names if cards.get(n) is None) == []


def test_the_audit_scan_resolves_every_form_of_model_name(tmp_path: Path) -> None:
    source = (
        "from app.services import ads\n"
        "from app.services.hiring import MODEL_NAME\n"
        "LOCAL = 'market_wages'\n"
        "def wrapper(model_name):\n"
        "    audit.log_model_output(model_name=model_name)\n"
        "log_shown(model_name=ads.MODEL_NAME)\n"
        "log_shown(model_name=MODEL_NAME)\n"
        "log_shown(model_name=LOCAL)\n"
        "x.log_shown(model_name='posting_assistant')\n"
    )
    tree = ast.parse(source)
    visitor = _AuditCalls(tree, tmp_path / "x.py")
    visitor.visit(tree)
    assert visitor.found == {"ad_verifier", "hiring", "market_wages", "posting_assistant", "<forwarded>"}


def test_cards_name_real_pages_and_labelled_metrics_only() -> None:
    for name, card in tr.registered_cards().items():
        assert card is not None
        assert card.shown_on, name
        assert set(card.shown_on) <= set(access.PAGE_ACCESS), name
        for metric in (*card.quality_metrics, *card.fairness_metrics):
            assert metric in tr.METRIC_LABELS, f"{name}: metric '{metric}' has no Korean label"
        assert card.quality_metrics or card.quality_note, name
        assert card.fairness_note, name
    assert tr.AUDIT_LOG_PAGE in {p.page_id for p in access.PAGES}
    for label, _, _ in tr.METRIC_LABELS.values():
        assert re.search(r"[가-힣]", label), label


def test_probability_model_criteria_are_the_factors_their_reasons_use() -> None:
    assert hiring.CARD.criteria == factor_names(hiring_features.FEATURES, hiring_features.FACTOR_OF_FEATURE)
    assert employment.CARD.criteria == factor_names(employment_features.FEATURES, employment_features.FACTOR_OF_FEATURE)
    assert set(hiring.CARD.criteria) == set(hiring_features.FACTOR_OF_FEATURE.values())
    assert hiring.CARD.criteria[0] == "임금 수준(시장 대비)"
    assert "연령" in employment.CARD.criteria and "직업상담" in employment.CARD.criteria
    # protected attributes are named as not used, and are indeed not features
    for word in ("성별", "장애", "거주 지역"):
        assert word in employment.CARD.not_used
    assert factor_names(("a", "b", "c"), {"a": "가", "b": "가", "c": "다"}) == ("가", "다")


# --------------------------------------------------------------------------- builder


def _manifest(tmp_path: Path, models: dict) -> dict:
    """Write a manifest like the build's and read it back (the page reads it the same way)."""
    write_manifest(tmp_path, {
        "created_at": "2026-01-22T00:00:00+00:00",
        "world": {"size": "demo", "seed": 20261123, "fingerprint": "f" * 64, "created_at": "2026-01-21T15:30:00+00:00",
                  "rows": {"employers": 2500, "postings": 8000, "seekers": 20000}},
        "models": models,
    })
    manifest = load_manifest(tmp_path)
    assert manifest is not None
    return manifest


def _entry(name: str, metrics: dict, *, version: str | None = None, fingerprint: str = "f" * 64) -> dict:
    return {"title": name, "version": version or SPEC_VERSIONS[name], "data_fingerprint": fingerprint,
            "created_at": "2026-01-22T00:00:00+00:00", "files": [], "metrics": metrics}


def _views(report: tr.TransparencyReport) -> dict[str, tr.CardView]:
    return {view.name: view for view in report.cards}


def test_card_builder_reads_versions_times_and_metrics_from_the_manifest(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, {
        "hiring": _entry("hiring", {"auc": 0.741, "ece": 0.0098, "brier": 0.1784, "auc_ratio": 0.9765,
                                    "mae_vs_true_probability": 0.0502, "days_mae": 11.96, "n_train": 6400.0}),
        "employment": _entry("employment", {"auc": 0.6385, "auc_age_blind": 0.6326, "ece_age_blind": 0.0181},
                             version="0.9"),
        "ad_verifier": _entry("ad_verifier", {"recall_test": 1.0, "fpr_test": 0.0011}, fingerprint="a" * 64),
    })
    report = tr.compute_transparency(manifest)
    views = _views(report)
    assert report.built_any

    built = views["hiring"]
    assert (built.status, built.status_label, built.version) == ("built", "사용 중", SPEC_VERSIONS["hiring"])
    assert built.built_at == "2026-01-22 09:00"  # UTC midnight is 09:00 in Korea
    assert built.build_hint == ""
    quality = {line.label: line.value for line in built.quality}
    assert quality["AUC(구분력: 0.5는 무작위, 1은 완벽)"] == "0.741"
    assert quality["보정오차 ECE(예측 확률과 실제 비율의 평균 차이)"] == "1.0%p"
    assert quality["참값 확률로 낸 최선의 AUC 대비 비율"] == "97.7%"
    assert quality["실제 확률과의 평균 차이"] == "5.0%p"
    assert quality["채용 소요일 예측의 평균 오차"] == "12.0일"
    assert quality["학습 표본"] == "6,400건"
    assert quality["평가 표본"] == "기록 없음"  # an older build without the figure
    assert built.fairness == ()  # no fairness metric applies to a posting-level model
    assert built.training_data[-1] == ("학습한 데이터: 가상 세계 'demo' 규모(난수 시드 20261123, 2026-01-22 00:30 KST 생성): "
                                       "구인기업 2,500곳, 구인공고 8,000건, 구직자 20,000명")
    assert "채용 시뮬레이터(구인기업, 정책·운영)" in built.shown_on

    stale = views["employment"]
    assert stale.status == "stale" and stale.version == "0.9"
    current = josa(SPEC_VERSIONS["employment"], "과", "와")
    assert stale.build_hint == f"빌드된 버전 0.9가 현재 코드의 버전 {current} 달라 다시 만들어야 합니다."
    assert [(line.label, line.value) for line in stale.fairness] == [
        ("연령을 뺀 비교 모델의 AUC", "0.633"), ("연령을 뺀 비교 모델의 보정오차 ECE", "1.8%p"),
    ]

    other_data = views["ad_verifier"]
    assert other_data.quality[:2] == (tr.MetricLine("문제 공고 적발률(평가 공고)", "100.0%"),
                                      tr.MetricLine("정상 공고를 잘못 걸러낸 비율(평가 공고)", "0.11%"))
    assert "현재 가상 세계와 다른 데이터로 학습했습니다" in other_data.training_data[-1]

    missing = views["occupation_classifier"]
    assert (missing.status, missing.status_label, missing.version, missing.built_at) == (
        "missing", tr.NOT_BUILT, "-", "-")
    assert missing.build_hint == "아직 만들어지지 않음입니다."
    assert missing.quality == () and missing.training_data == (missing.card.training_data,)

    generator = views["posting_assistant"]
    assert (generator.status, generator.version) == ("setting", "기본(오프라인) 작성기")
    assert generator.build_hint == ""
    assert _views(tr.compute_transparency(manifest, llm_backend="openai"))["posting_assistant"].version == "LLM 서버"


def test_without_a_manifest_every_artifact_is_described_as_not_built() -> None:
    report = tr.compute_transparency(None)
    assert not report.built_any and report.world == ""
    statuses = {v.name: v.status for v in report.cards}
    assert statuses == {**{name: "missing" for name in SPEC_VERSIONS}, "posting_assistant": "setting", "copilot": "setting"}
    for view in report.cards:
        assert view.card is not None and view.card.purpose and view.card.contest
        assert view.quality == () and view.fairness == ()
    # models the user meets first, the data artifact that only feeds other models last
    assert report.cards[-1].name == "market_wages"
    assert report.cards[0].name == "hiring"


@pytest.mark.parametrize("manifest", [{}, {"models": "junk"}, {"models": {"hiring": "junk"}, "world": []},
                                      {"models": {"hiring": {"metrics": {"auc": "n/a"}}}}])
def test_malformed_manifests_are_tolerated(manifest: dict) -> None:
    views = _views(tr.compute_transparency(manifest))
    assert views["hiring"].status in ("missing", "stale")
    assert all(line.value in ("기록 없음",) for line in views["hiring"].quality)


def test_a_registered_artifact_without_a_card_is_shown_as_undocumented() -> None:
    spec = ArtifactSpec(name="talent", version="1.0", title="인재추천 모델", build=lambda ctx: None)  # type: ignore[arg-type]
    report = tr.compute_transparency({"models": {"talent": {"version": "1.0", "metrics": {"auc": 0.7}}}},
                                     specs=(spec,), cards={"talent": None})
    (view,) = report.cards
    assert (view.title, view.status, view.status_label, view.quality) == ("인재추천 모델", "undocumented", "설명 자료 없음", ())


def test_no_internal_key_reaches_the_screen(tmp_path: Path) -> None:
    metrics = {name: 0.5 for name in tr.METRIC_LABELS}
    manifest = _manifest(tmp_path, {name: _entry(name, metrics) for name in SPEC_VERSIONS})
    report = tr.compute_transparency(manifest)
    shown: list[str] = [report.world, *tr.LEGAL_BASIS, *tr.CALIBRATION_SOURCES, tr.WORLD_NOTE, *tr.contest_steps()]
    for view in report.cards:
        card = view.card
        assert card is not None
        shown += [view.title, view.status_label, view.version, view.built_at, view.build_hint, *view.shown_on,
                  *view.training_data, *(f"{m.label} {m.value}" for m in (*view.quality, *view.fairness)),
                  card.purpose, card.output, *card.criteria, card.not_used, card.human_oversight, card.contest,
                  card.limits, card.fairness_note, card.quality_note]
    snake_case = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
    assert [text for text in shown if snake_case.search(text)] == []
    assert set(tr.summary_frame(report).columns) == set(tr.SUMMARY_COLUMNS)


def test_role_notes_list_the_models_each_role_meets() -> None:
    report = tr.compute_transparency(None)
    employer = report.titles_for_role("employer")
    counsellor = report.titles_for_role("counsellor")
    assert "채용성공 예측모델" in employer and "구인광고 AI 검증" in employer and "구인공고 AI 작성지원" in employer
    assert "취업성공 예측모델" not in employer
    assert "취업성공 예측모델" in counsellor and "구인광고 AI 검증" not in counsellor
    assert "상담 지원 AI" in counsellor and "상담 지원 AI" in report.titles_for_role("seeker")
    assert "상담 지원 AI" not in employer
    # policy staff meet every model but the copilot, which only counsellors and seekers use
    assert set(report.titles_for_role("policy")) == {v.title for v in report.cards} - {"상담 지원 AI"}


def test_metric_values_are_formatted_in_korean_style() -> None:
    assert tr.format_metric_value("n_postings", 8000.0) == "8,000건"
    assert tr.format_metric_value("fpr_test", 0.0003) == "0.03%"
    assert tr.format_metric_value("share_passed", 0.9084) == "90.8%"
    assert tr.format_metric_value("rule_set_version", 3.0) == "3"
    assert tr.format_metric_value("auc", float("nan")) == "기록 없음"
    assert tr.format_metric_value("auc", True) == "기록 없음"
    assert tr.format_metric_value("auc", None) == "기록 없음"


def test_every_card_metric_is_recorded_by_a_real_build(hiring_built: tuple[str, Path]) -> None:
    """The metric names on the cards are the ones the builders write (no typo shows "기록 없음")."""
    _, models = hiring_built
    manifest = load_manifest(models)
    assert manifest is not None
    report = tr.compute_transparency(manifest)
    for view in report.cards:
        if view.card is None or not view.card.built:
            continue
        assert view.status == "built", view.name
        recorded = manifest["models"][view.name]["metrics"]
        missing = [m for m in (*view.card.quality_metrics, *view.card.fairness_metrics) if m not in recorded]
        assert missing == [], f"{view.name}: {missing}"
        assert all(line.value != "기록 없음" for line in (*view.quality, *view.fairness)), view.name
