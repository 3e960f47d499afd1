"""The occupation classifier on real and everyday text (issue 14): the 직업사전 split by code, the
everyday titles kept out of training, the fallback without ``../shared/data``, word evidence and
the confidence floor."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.config import get_settings
from app.db.engine import make_engine
from app.ml.manifest import BuildContext, load_object
from app.ml.occupation import (
    CONFIDENCE_FLOOR,
    DEFAULT_TEMPERATURE,
    FILLER_WORDS,
    TRAIN_HALF,
    OccupationClassifier,
    OccupationGuess,
    build_occupation_classifier,
    core_text,
    dictionary_documents,
    dictionary_eval_texts,
    dictionary_half,
    fit_occupation_classifier,
    load_dictionary_entries,
    load_occupation_classifier,
    reference_documents,
    similar_names,
    text_words,
)
from app.reference.tables import load_reference
from app.services.posting import evidence_text, is_confident

EVERYDAY = Path(__file__).resolve().parents[2] / "data" / "evaluation" / "everyday_titles.csv"
ENTRIES = load_dictionary_entries()
needs_dictionary = pytest.mark.skipif(ENTRIES is None, reason="../shared/data/korean_job_dictionary is not here")


def _normalised(text: str) -> str:
    return "".join(str(text).split()).lower()


@pytest.fixture(scope="module")
def classifier(hiring_built: tuple[str, Path]) -> OccupationClassifier:
    return load_occupation_classifier(hiring_built[1])


# --------------------------------------------------------------------------- the split


def test_the_half_of_an_entry_is_a_stable_hash_of_its_code() -> None:
    codes = [f"K{n:09d}" for n in range(2_000)]
    halves = [dictionary_half(c) for c in codes]
    assert halves == [dictionary_half(c) for c in codes]  # deterministic, no seed
    assert set(halves) == {0, 1}
    assert 0.45 < np.mean(halves) < 0.55
    assert dictionary_half("K000007263") == dictionary_half("K000007263")


def test_the_held_out_half_shares_no_entry_with_the_training_half() -> None:
    entries = pd.DataFrame({
        "job_code": ["K1", "K2", "K3", "K4", "K5", "K6"], "name": ["가", "나", "다", "라", "마", "바"],
        "similar": ["", "", "", "", "", ""], "summary": ["일"] * 6, "keco_code": ["531"] * 6,
    })
    entries["half"] = [dictionary_half(c) for c in entries["job_code"]]
    evaluation = dictionary_eval_texts(entries)
    held = entries[entries["half"] != TRAIN_HALF]
    assert evaluation["name"][0] == held["name"].tolist()
    train_texts, _ = dictionary_documents(entries[entries["half"] == TRAIN_HALF])
    assert not set(held["name"]) & set(train_texts)


@needs_dictionary
def test_the_real_dictionary_splits_by_code_into_two_halves() -> None:
    train = ENTRIES[ENTRIES["half"] == TRAIN_HALF]
    held = ENTRIES[ENTRIES["half"] != TRAIN_HALF]
    assert not set(train["job_code"]) & set(held["job_code"])
    assert ENTRIES["job_code"].is_unique
    assert 0.45 < len(held) / len(ENTRIES) < 0.55
    # every code is a KECO 2025 소분류 the classifier knows (2018 codes mapped, 233 dropped)
    assert set(ENTRIES["keco_code"]) <= set(load_reference().occupations["keco_code"].astype(str))
    assert ENTRIES.loc[ENTRIES["name"] == "바리스타", "keco_code"].tolist() == ["531"]


def test_similar_names_are_split_and_the_trailing_etc_dropped() -> None:
    assert similar_names("택배배달원, 배송운전원, 택배기사 등") == ["택배배달원", "배송운전원", "택배기사"]
    assert similar_names(None) == [] and similar_names(float("nan")) == []


# --------------------------------------------------------------------------- everyday titles


def test_everyday_titles_are_labelled_and_never_training_text() -> None:
    titles = pd.read_csv(EVERYDAY, dtype=str, keep_default_na=False)
    assert list(titles.columns) == ["title", "keco_codes", "note"]
    assert len(titles) >= 200 and titles["title"].is_unique
    known = set(load_reference().occupations["keco_code"].astype(str))
    codes = titles["keco_codes"].str.split(";").explode()
    assert set(codes) <= known
    assert codes.nunique() >= 80 and codes.str[0].nunique() == 10  # every KECO 대분류
    training, _ = reference_documents(load_reference())
    if ENTRIES is not None:
        training += dictionary_documents(ENTRIES)[0]
    # the title as typed, spaces ignored ("바리스타 구함" is kept: reading past 구함 is the method's work)
    seen = {_normalised(t) for t in training}
    assert [t for t in titles["title"] if _normalised(t) in seen] == []


# --------------------------------------------------------------------------- without ../shared/data


def test_without_the_shared_data_the_build_trains_on_the_reference_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, world_url: str
) -> None:
    monkeypatch.setenv("GOYONG_SHARED_DATA_DIR", str(tmp_path / "nothing"))
    get_settings.cache_clear()
    try:
        assert load_dictionary_entries() is None
        engine = make_engine(world_url)
        result = build_occupation_classifier(BuildContext(engine=engine, out_dir=tmp_path, world_fingerprint="x", seed=7))
        engine.dispose()
    finally:
        get_settings.cache_clear()
    assert "dictionary_top3" not in result.metrics
    assert result.metrics["top1_test"] >= 0.80 and result.metrics["top3_test"] >= 0.95
    assert result.metrics["temperature"] == DEFAULT_TEMPERATURE
    built = load_object(tmp_path / result.files[0])
    assert built.temperature == DEFAULT_TEMPERATURE
    # only KECO names to match against: no 직업사전 유사명칭 such as 커피마스터
    assert "커피마스터" not in built.known_names.get("531", ())


def test_a_classifier_without_the_dictionary_still_names_every_occupation() -> None:
    classifier = fit_occupation_classifier(["주방 보조\n설거지"], ["532"], load_reference())
    assert set(classifier.model.classes_.astype(str)) == set(load_reference().occupations["keco_code"].astype(str))
    assert "요양보호사" in classifier.known_names["550"]  # KECO 세분류 names, spaces removed
    guess = classifier.top_k("요양보호사 선생님")[0]
    assert guess.keco_code == "550"


# --------------------------------------------------------------------------- evidence and the floor


def test_filler_words_are_removed_as_whole_words_only() -> None:
    assert core_text("편의점 알바 구함").split() == ["편의점"]
    assert core_text("요양보호사 선생님").split() == ["요양보호사"]
    assert core_text("알바생관리").split() == ["알바생관리"]  # inside a word: kept
    assert {"알바", "모집", "구함", "선생님", "기사님", "직원", "채용"} <= FILLER_WORDS


def test_text_words_are_whole_words_of_two_characters_or_more() -> None:
    assert text_words("카페 바리스타\n음료 제조, 홀 및 카페") == ["카페", "바리스타", "음료", "제조"]


def test_a_barista_is_a_cook_with_whole_word_evidence(classifier: OccupationClassifier) -> None:
    guesses = classifier.top_k("카페 바리스타")
    assert guesses[0].keco_code in {"531", "532"}  # 음료 조리원 / 식음료 서비스
    assert is_confident(guesses)
    assert guesses[0].terms[0] == "바리스타"
    assert ("바리스타", "바리스타") in guesses[0].matches
    assert evidence_text(guesses[0]).startswith("'바리스타' ↔ 직업사전 '바리스타'")
    for guess in guesses:
        assert len(guess.terms) == len(set(guess.terms))
        assert all(len(term) >= 2 and term in ("카페", "바리스타") for term in guess.terms)
        assert not re.search(r"'.'", evidence_text(guess))  # never a single syllable


@pytest.mark.parametrize(("title", "codes"), [("지게차 기사", {"623"}), ("요양보호사 선생님", {"550"}),
                                               ("편의점 알바", {"615", "616"})])
def test_everyday_titles_of_the_issue(classifier: OccupationClassifier, title: str, codes: set[str]) -> None:
    guesses = classifier.top_k(title)
    assert guesses[0].keco_code in codes
    assert is_confident(guesses)


def test_below_the_floor_nothing_is_preselected(classifier: OccupationClassifier) -> None:
    guesses = classifier.top_k("알바 구함")  # nothing but filler words: no occupation stands out
    assert guesses[0].probability < CONFIDENCE_FLOOR
    assert not is_confident(guesses)
    assert not is_confident([])
    at_floor = [OccupationGuess("531", "주방장 및 조리사", CONFIDENCE_FLOOR)]
    assert is_confident(at_floor)
    assert not is_confident([OccupationGuess("531", "주방장 및 조리사", CONFIDENCE_FLOOR - 0.01)])
