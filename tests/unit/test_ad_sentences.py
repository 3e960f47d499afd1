"""The sentence classifier of the job-ad verifier (issue 13): what it reads, the cues and vetoes that
gate it, and how its findings reach a verdict."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.labour import minimum_wage_table
from app.verify.char_tfidf import fit_char_tfidf
from app.verify.normalize import quoted_mentions
from app.verify.rules import RuleEngine, load_default_rules, parse_rule_set, rule_cues
from app.verify.sentences import (
    SentenceModel,
    fit_sentence_model,
    load_training_sentences,
    normalise,
    sentence_spans,
    sentences_of,
)
from app.verify.verifier import AdVerifier

TRAINING = Path(__file__).resolve().parents[2] / "data" / "ad_training"
LAWFUL_ADS = (["사무 보조 모집", "물류센터 입출고 사원"] * 10, ["주 5일 근무\n4대보험 가입\n점심 제공", "주간 근무, 교통비 지원"] * 10)


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    rules = load_default_rules()
    lawful = ["주 5일 근무, 4대보험 가입", "점심 식대 지원", "물류센터 입출고 관리 업무", "경력 3년 이상 우대"] * 5
    return fit_sentence_model(load_training_sentences(TRAINING), lawful, [LAWFUL_ADS], categories=[r.id for r in rules.rules],
                              cues=rule_cues(rules), veto=RuleEngine(rules).lawful_context, seed=3)


def test_sentences_are_lines_bullets_and_sentence_ends() -> None:
    text = "[주요업무]\n• 입출고 관리 · 재고 실사\n급여는 월 250만원입니다. 4대보험 가입!\n- 주 5일"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "[주요업무]", "입출고 관리", "재고 실사", "급여는 월 250만원입니다.", "4대보험 가입!", "주 5일"]
    assert sentences_of(["제목"], ["본문 한 줄"]) == ["본문 한 줄"]  # the two-letter title is too short to be a sentence


def test_long_runs_without_a_sentence_end_are_cut() -> None:
    spans = sentence_spans("가" * 700)
    assert [b - a for a, b in spans] == [300, 300, 100]


def test_paraphrases_no_rule_catches_score_above_their_look_alikes(model: SentenceModel) -> None:
    unlawful = ["지원하시려면 통장 사본이랑 비밀번호 같이 보내주세요", "결혼하시면 그만두셔야 해요"]
    look_alikes = ["급여 이체용 통장 사본은 입사 후 제출", "결혼 축하금 50만원 지급"]
    engine = RuleEngine(load_default_rules())
    assert all(not engine.match({"body": s}) for s in unlawful)  # the rules miss them
    p_unlawful, categories = model.probabilities(unlawful)
    p_lawful, _ = model.probabilities(look_alikes)
    assert list(categories) == ["ACCOUNT_LENDING", "MARITAL_PREGNANCY"]
    assert (p_unlawful >= 0.5).all() and (p_lawful < 0.2).all()


def test_threshold_keeps_the_calibration_ads_unflagged(model: SentenceModel) -> None:
    assert model.threshold >= 0.5
    assert model.metrics["calibration_flagged_share"] <= 0.005
    assert not any(model.find(*LAWFUL_ADS))


def test_a_sentence_without_a_cue_of_its_category_is_not_flagged(model: SentenceModel) -> None:
    text = "결혼하시면 그만두셔야 해요"
    assert [f.category for f in model.find([""], [text])[0]] == ["MARITAL_PREGNANCY"]
    gated = model.with_cues({"MARITAL_PREGNANCY": "이런단서는없습니다"})
    assert gated.find([""], [text]) == [[]]


def test_a_veto_holds_until_the_model_is_confident_enough(model: SentenceModel) -> None:
    text = "결혼하시면 그만두셔야 해요"
    p = model.find([""], [text])[0][0].probability

    def veto_below(limit: float):  # noqa: ANN202 - a veto that yields to the model from ``limit`` on
        return lambda category, sentence, probability: category == "MARITAL_PREGNANCY" and probability < limit

    assert model.find([""], [text], veto=veto_below(p + 0.01)) == [[]]
    assert [f.category for f in model.find([""], [text], veto=veto_below(p - 0.01))[0]] == ["MARITAL_PREGNANCY"]


def test_words_quoted_to_warn_about_them_are_not_said(model: SentenceModel) -> None:
    warned = "고객에게 '결혼하시면 그만두셔야 해요' 같은 말은 금지입니다"
    said = "고객에게 결혼하시면 그만두셔야 해요 라고 미리 말씀드립니다"
    gated = replace(model, threshold=0.0).with_cues({"MARITAL_PREGNANCY": "결혼"})
    assert not [f for f in gated.find([""], [warned])[0] if f.category == "MARITAL_PREGNANCY"]
    assert quoted_mentions(warned) == [(5, 21)]
    assert quoted_mentions(said) == []


def _ads(body: str) -> pd.DataFrame:
    return pd.DataFrame({"id": ["a1"], "title": ["매장 직원 모집"], "body": [body], "wage_type": "monthly", "wage": 2_600_000.0,
                         "hours_per_week": 40.0, "year": 2026, "employer_name": "가나상회", "contact": "02-000-1234"})


def test_verdict_carries_the_model_finding_as_a_review_hit_with_the_law(model: SentenceModel) -> None:
    verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=None, minimum_wages=dict(minimum_wage_table().hourly),
                          sentence_model=model)
    body = "매장 정리와 계산 업무입니다.\n결혼하시면 그만두셔야 해요\n주 5일 근무"
    (verdict,) = verifier.verify(_ads(body))
    (hit,) = verdict.hits
    assert (hit.rule_id, hit.source, hit.severity) == ("MARITAL_PREGNANCY", "ai", "review")
    assert hit.citation == "남녀고용평등법 제7조 제2항" and body[hit.start:hit.end] == "결혼하시면 그만두셔야 해요"
    assert 0.5 <= (hit.probability or 0) <= 1 and verdict.decision == "review"
    assert verdict.reasons() == "MARITAL_PREGNANCY(남녀고용평등법 제7조 제2항)"


def test_model_findings_follow_the_rule_set_in_force(model: SentenceModel) -> None:
    rules = load_default_rules()
    without = parse_rule_set({**rules.model_dump(mode="json"), "rules": [r.model_dump(mode="json") for r in rules.rules
                                                                          if r.id != "MARITAL_PREGNANCY"]})
    verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=None, minimum_wages=dict(minimum_wage_table().hourly),
                          sentence_model=model).with_rules(without)
    (verdict,) = verifier.verify(_ads("결혼하시면 그만두셔야 해요"))
    assert verdict.hits == () and verdict.decision == "pass"  # a category staff removed is not reported by the model either


def test_a_category_a_rule_already_reported_is_not_repeated(model: SentenceModel) -> None:
    verifier = AdVerifier(classifier=None, ml_threshold=1.0, index=None, minimum_wages=dict(minimum_wage_table().hourly),
                          sentence_model=model)
    (verdict,) = verifier.verify(_ads("미혼 여성만 지원 가능\n결혼하시면 그만두셔야 해요"))
    sources = [(h.rule_id, h.source) for h in verdict.hits if h.rule_id == "MARITAL_PREGNANCY"]
    assert sources == [("MARITAL_PREGNANCY", "rule")]
    assert verdict.decision == "block"  # the rule's severity; the model alone never blocks


def test_training_rows_of_unknown_categories_are_left_out() -> None:
    rows = [{"text": f"문장 {i} 여자만", "category": "SEX_DISCRIM", "unlawful": 1} for i in range(10)]
    with pytest.raises(ValueError, match="20건 미만"):
        fit_sentence_model(rows, ["점심 제공"], [], categories=["SEX_DISCRIM"])
    rows += [{"text": f"다른 문장 {i}", "category": "GONE", "unlawful": 1} for i in range(30)]
    with pytest.raises(ValueError, match="20건 미만"):
        fit_sentence_model(rows, ["점심 제공"], [], categories=["SEX_DISCRIM"])
    assert np.isfinite(len(rows))


@pytest.mark.parametrize("params", [
    {"ngram_range": (2, 5), "min_df": 2, "max_features": 20_000, "sublinear_tf": True, "dtype": np.float32},
    {"ngram_range": (3, 4), "min_df": 0.001, "max_features": None},
    {"ngram_range": (2, 3), "min_df": 1, "lowercase": False},
    {"analyzer": "char_wb", "ngram_range": (2, 4), "min_df": 3, "max_features": 20_000, "sublinear_tf": True,
     "dtype": np.float32},
    {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 1},
])
def test_counting_ngrams_with_numpy_fits_what_scikit_learn_fits(params: dict) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [normalise(r["text"]) for r in load_training_sentences(TRAINING)[::3]]
    texts += ["  Ab  c\tD  ", "x", "", "가나", "AB c d", "가나"]  # white space runs, case, short and empty ones
    reference = TfidfVectorizer(**{"analyzer": "char", **params})
    expected = reference.fit_transform(texts)
    fitted, x = fit_char_tfidf(texts, **params)
    assert type(fitted) is TfidfVectorizer and fitted.vocabulary_ == reference.vocabulary_
    assert np.array_equal(fitted.idf_, reference.idf_) and x.dtype == expected.dtype
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(x, part), getattr(expected, part))
    assert (fitted.transform(texts[:200]) != reference.transform(texts[:200])).nnz == 0
