"""Content features of the training recommender (``app.ml.course_match``): occupation resolution,
skill gap, gap coverage, similarity of courses to occupations, NCS relation, pickling."""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from app.ml.course_match import CourseIndex, SkillGap, compute_skill_gap, item_in_text, ncs_relation, resolve_occupation
from app.reference.tables import Reference, load_reference


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def hand_ref(ref: Reference) -> Reference:
    """The real tables with two hand-made occupations in place of the first two rows."""
    occupations = ref.occupations.copy()
    occupations.loc[0, ["keco_code", "name", "skills", "knowledge", "certificates", "ncs_code", "ncs_name"]] = [
        "H01", "가상 용접 기능원", "용접;배관;도면", "기계;법", "용접기능사;배관기능사", "15", "기계"]
    occupations.loc[1, ["keco_code", "name", "skills", "knowledge", "certificates", "ncs_code", "ncs_name"]] = [
        "H02", "가상 회계 사무원", "회계;세무;엑셀", "경제와 회계", "전산회계 1급", "02", "경영·회계·사무"]
    return replace(ref, occupations=occupations)


def _courses(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["course_id", "title", "text", "skills", "ncs_code"]).assign(keco_code="")


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(("text", "expected"), [
    ("133", "133"), (" 133 ", "133"), ("1331", "133"), ("11", "011"),
    ("소프트웨어 개발자", "133"), ("소프트웨어개발자", "133"), ("소프트웨어 개발", "133"),
    ("간호사", "304"), ("지게차 운전원", "623"), ("용접공", "824"),
])
def test_codes_names_and_fine_names_resolve_to_the_small_group(ref: Reference, text: str, expected: str) -> None:
    assert resolve_occupation(text, ref) == expected


def test_a_fine_name_resolves_to_its_parent(ref: Reference) -> None:
    tree = ref.keco_tree
    fine = tree[(tree["level"] == 4) & tree["parent"].isin(set(ref.occupations["keco_code"]))].head(40)
    assert [resolve_occupation(name, ref) for name in fine["name"]] == fine["parent"].tolist()


@pytest.mark.parametrize("text", ["", "x", "asdf", "가나다라마바", "999", "12345", "0000", "!!!"])
def test_garbage_resolves_to_nothing(ref: Reference, text: str) -> None:
    assert resolve_occupation(text, ref) is None


# --------------------------------------------------------------------------- skill gap


def test_gap_of_a_hand_made_occupation(hand_ref: Reference) -> None:
    gap = compute_skill_gap(hand_ref, "H01", "용접 3년; 도면 해독 가능, 법률 교육 이수", "용접기능사;지게차운전기능사")
    assert gap.occupation_name == "가상 용접 기능원"
    assert gap.required == ("용접", "배관", "도면", "기계", "법")
    assert gap.held == ("용접", "도면", "법")  # "법률": a listed longer form of 법
    assert gap.missing == ("배관", "기계")
    assert gap.coverage == pytest.approx(3 / 5)
    assert gap.certificates_required == ("용접기능사", "배관기능사")
    assert gap.certificates_held == ("용접기능사",)


def test_held_ignores_spaces_and_case_and_reads_certificate_names(hand_ref: Reference) -> None:
    gap = compute_skill_gap(hand_ref, "H02", "EXCEL 말고 엑 셀", "전산회계1급(2023)")
    assert gap.held == ("회계", "엑셀", "경제와 회계")  # 회계 from the certificate's name; a pair by its part
    assert gap.certificates_held == ("전산회계 1급",)
    empty = compute_skill_gap(hand_ref, "H02", "", "")
    assert empty.held == () and empty.missing == empty.required and empty.coverage == 0.0


def test_one_syllable_items_are_not_found_inside_words() -> None:
    assert not item_in_text("법", "문제 해결 방법론")
    assert item_in_text("법", "법을 지키는") and item_in_text("법", "법률 상식")
    assert item_in_text("경제와 회계", "원가 회계 실무") and not item_in_text("경제와 회계", "재무제표")


def test_unknown_occupation_is_an_error(ref: Reference) -> None:
    with pytest.raises(KeyError):
        compute_skill_gap(ref, "999", "", "")


def test_real_occupation_gap(ref: Reference) -> None:
    gap = compute_skill_gap(ref, "133", "Java 프로그래밍, 소프트웨어 테스트 자동화", "정보처리기사")
    assert {"소프트웨어", "프로그래밍", "테스트"} <= set(gap.held)
    assert set(gap.held) | set(gap.missing) == set(gap.required)
    assert gap.certificates_held == ("정보처리기사",)


# --------------------------------------------------------------------------- course index


@pytest.fixture(scope="module")
def courses() -> pd.DataFrame:
    return _courses([
        ("c-sw", "자바 소프트웨어 개발자 양성", "객체 지향 프로그래밍과 응용 소프트웨어 구현, 테스트", "자바;소프트웨어", "200102"),
        ("c-game", "게임 그래픽 프로그래밍", "게임 엔진으로 그래픽과 사용자 인터페이스를 구현하고 하드웨어를 이해합니다",
         "게임;그래픽", "200102"),
        ("c-web", "웹 개발자 과정", "웹 소프트웨어 개발자가 되는 과정: 프론트엔드와 백엔드 개발", "", "200103"),
        ("c-cook", "한식 조리사 자격 취득", "한식 조리 실무와 위생, 식재료 관리", "조리;위생", "1301"),
        ("c-care", "요양보호사 양성", "어르신 돌봄과 요양 실무", "", "0703"),
        ("c-acc", "전산회계 실무", "회계 원리, 세무 신고, 엑셀 활용", "회계;세무;엑셀", "0202"),
    ])


@pytest.fixture(scope="module")
def index(courses: pd.DataFrame, ref: Reference) -> CourseIndex:
    return CourseIndex.build(courses, ref, seed=0)


def test_similarity_ranks_the_matching_course_first(index: CourseIndex, courses: pd.DataFrame) -> None:
    similarity = index.occupation_similarity("133")
    assert similarity.shape == (len(courses),) and ((similarity >= 0) & (similarity <= 1)).all()
    by_id = dict(zip(index.course_ids, similarity, strict=True))
    assert min(by_id["c-sw"], by_id["c-web"]) > max(by_id["c-cook"], by_id["c-care"], by_id["c-acc"])
    cook = dict(zip(index.course_ids, index.occupation_similarity("531"), strict=True))  # 주방장 및 조리사
    assert max(cook, key=cook.get) == "c-cook"
    assert index.occupation_similarity("133") is similarity  # cached
    assert not index.occupation_similarity("999").any()


def test_a_course_covering_the_gap_beats_a_merely_similar_one(index: CourseIndex, ref: Reference) -> None:
    gap = compute_skill_gap(ref, "133", "소프트웨어 개발, 자바 프로그래밍, 테스트, 객체 지향, 응용, 구현", "")
    share, covered = index.gap_coverage(gap)
    by_id = dict(zip(index.course_ids, share, strict=True))
    items = dict(zip(index.course_ids, covered, strict=True))
    # the web course is about as similar to the occupation, but the game course teaches the gap
    assert by_id["c-game"] > by_id["c-web"] and by_id["c-game"] > by_id["c-sw"]
    assert {"게임", "그래픽", "사용자", "인터페이스", "하드웨어"} <= set(items["c-game"])
    assert by_id["c-game"] == pytest.approx(len(items["c-game"]) / len(gap.missing))
    assert items["c-cook"] == () and by_id["c-cook"] == 0.0
    assert all(tuple(i for i in gap.missing if i in c) == c for c in covered)  # in the gap's order


def test_no_gap_covers_nothing(index: CourseIndex, ref: Reference) -> None:
    gap = compute_skill_gap(ref, "133", "", "")
    full = SkillGap(**{**gap.__dict__, "held": gap.required, "missing": ()})
    share, covered = index.gap_coverage(full)
    assert not share.any() and covered == [()] * len(index)


def test_inferred_occupation_uses_the_given_code_then_the_ncs_field(courses: pd.DataFrame, ref: Reference) -> None:
    given = courses.assign(keco_code=["", "", "", "", "", "133"])  # a known code wins, even an odd one
    inferred = CourseIndex.build(given, ref, seed=0).inferred_keco()
    assert inferred[-1] == "133"
    assert inferred[0] == "133" and inferred[3] == "531"
    fields = dict(zip(ref.occupations["keco_code"], ref.occupations["ncs_code"], strict=True))
    assert all(fields[k] == c[:2] for k, c in zip(inferred[:5], courses["ncs_code"][:5], strict=True))


def test_ncs_relation(ref: Reference) -> None:
    assert ncs_relation(["200102", "20", "02", "", None], "133", ref).tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert ncs_relation([], "133", ref).shape == (0,)


def test_build_is_seeded_and_survives_a_pickle(index: CourseIndex, courses: pd.DataFrame, ref: Reference) -> None:
    again = CourseIndex.build(courses, ref, seed=0)
    np.testing.assert_allclose(again.occupation_similarity("133"), index.occupation_similarity("133"), atol=1e-6)
    gap = compute_skill_gap(ref, "133", "자바", "")
    index.gap_coverage(gap)
    restored = pickle.loads(pickle.dumps(index))
    np.testing.assert_allclose(restored.occupation_similarity("133"), index.occupation_similarity("133"), atol=1e-6)
    assert restored.gap_coverage(gap)[1] == index.gap_coverage(gap)[1]
    assert restored.inferred_keco().tolist() == index.inferred_keco().tolist()
    assert restored.course_ids.tolist() == courses["course_id"].tolist()


def test_text_similarity_finds_the_course_of_a_seekers_words(index: CourseIndex) -> None:
    similarity = index.text_similarity("회계 세무 엑셀")
    assert index.course_ids[int(np.argmax(similarity))] == "c-acc"
    assert not index.text_similarity("").any()
