"""핵심역량 피드백 (app.copilot.competency): what the seeker shows against the desired occupation, the
statements of each kind and their sources, and the faithfulness check of model-written feedback."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from app.copilot.competency import (
    assess_competency,
    competency_task,
    education_rank,
    occupation_source,
    resume_duty_sources,
    seeker_evidence_text,
)
from app.copilot.context import SeekerContext
from app.copilot.generation import run_task
from app.copilot.grounding import check_statements
from app.reference.tables import load_reference
from tests.unit.copilot_helpers import chat_answering, full_vocabulary, world_contexts

REF = load_reference()
VOCABULARY = full_vocabulary(REF)
# 026 경영지원 사무원: skills 사업 기획 추진 계약 부동산 홍보 인사 정산 수납 시장 행정 사업자; knowledge 사무 인사
# 경영 및 행정 경제와 회계; certificates 병원행정사 유통관리사 가스기능사 가스기사 가스기술사; typical 전문대졸
RESUME = """■ 인적 사항
성명 | 김○○

■ 경력 사항
2018.03 ~ 2025.12  한빛상사  대리
   담당 업무: 사업 기획, 거래처 계약 관리

■ 자격증
2017.05  유통관리사
2019.08  컴퓨터활용능력 1급

■ 보유 역량
사업, 기획, 홍보, 엑셀

■ 희망 근무 조건
희망 직종 | 간호사
"""
COVER = "학창 시절부터 정산 업무를 도우며 꼼꼼함을 길렀습니다. 입사 후 빠르게 적응하겠습니다."


def _context(**changes: object) -> SeekerContext:
    base: dict[str, object] = dict(
        seeker_id=7, age=31, education="대졸", major="경영학", career_years=7.5, desired_keco="026",
        desired_occupation="경영지원 사무원", desired_wage=3_200_000, desired_region="부산",
        registered_on=dt.date(2026, 1, 12), as_of=dt.date(2026, 3, 1), last_keco="026",
        last_occupation="경영지원 사무원", skills=("사업", "기획", "홍보", "엑셀"),
        certificates=("유통관리사", "전산회계운용사"), resume=RESUME, cover_letter=COVER,
        training_plan=("부동산 계약 실무 과정",))
    base.update(changes)
    return SeekerContext(**base)  # type: ignore[arg-type]


def _statements(task, kind: str) -> list[str]:
    return [s.text for s in task.offline if s.kind == kind]


def test_resume_duty_lines_are_the_career_section_without_period_lines() -> None:
    duties = resume_duty_sources(_context())
    assert [s.text for s in duties] == ["담당 업무: 사업 기획, 거래처 계약 관리"]
    assert duties[0].key.startswith("resume.")
    free = _context(resume="영업 관리 업무를 5년 했습니다. 거래처 계약을 맡았습니다.")
    assert [s.text for s in resume_duty_sources(free)] == ["영업 관리 업무를 5년 했습니다.", "거래처 계약을 맡았습니다."]
    text = seeker_evidence_text(_context())
    assert "거래처 계약 관리" in text and "정산 업무" in text and "경영학" in text
    assert "컴퓨터활용능력" not in text  # the certificate section is not evidence of skills


def test_assessment_counts_and_where_each_item_is_shown() -> None:
    a = assess_competency(_context(), REF)
    assert a.keco_code == "026" and a.name == "경영지원 사무원"
    assert len(a.required) == 15  # 인사 is a skill and a knowledge area
    # 사업자 is not 사업; 경영 및 행정 is shown by the major 경영학, 경제와 회계 by the certificate 전산회계운용사
    assert a.held == ("사업", "기획", "계약", "홍보", "정산", "경영 및 행정", "경제와 회계")
    assert a.coverage_pct == round(100 * 7 / 15)
    duty = resume_duty_sources(_context())[0].key
    assert a.shown_by["계약"] == (duty,)
    assert a.shown_by["정산"] == ("cover.1",)
    assert a.shown_by["기획"] == ("record.skills", duty)
    assert a.shown_by["경영 및 행정"] == ("record.education",)
    assert a.shown_by["경제와 회계"] == ("record.certificates",)
    assert a.declared_only == ("홍보",)
    assert a.unevidenced == ("홍보", "엑셀")
    assert a.certificates_held == ("유통관리사",)
    assert a.certificates_missing == ("병원행정사", "가스기능사", "가스기사", "가스기술사")
    assert a.education_meets is True and a.typical_education == "전문대졸"
    assert [education_rank(e) for e in ("중졸이하", "무관", "고졸", "전문대졸", "대졸", "석사", "?")] == [
        0, 0, 1, 2, 3, 4, -1]


def test_statements_of_each_kind_and_their_sources() -> None:
    task = competency_task(_context(), VOCABULARY)
    assert (task.name, task.title) == ("competency", "핵심역량 피드백")
    assert list(task.kinds) == ["strength", "gap", "evidence", "suggestion"]
    assert _statements(task, "strength")[0].startswith(
        "희망 직종 경영지원 사무원이 요구하는 기술·지식 15개 중 7개(47%)를 갖추고 있습니다")
    expected = {
        "strength": ["관련 자격증 유통관리사를 보유", "경력 7년 6개월을 그대로 살릴 수 있습니다",
                     "학력(대졸)이 희망 직종의 일반적인 학력(전문대졸) 이상"],
        "gap": ["추진, 부동산, 인사, 수납, 시장, 행정 등 7개는 아직", "보완할 지식 분야는 사무입니다",
                "병원행정사, 가스기능사, 가스기사, 가스기술사는 아직 보유하지 않았습니다"],
        "evidence": ["핵심 기술 홍보는 보유 기술 목록에만", "보유 기술로 적은 엑셀은",
                     "보유 자격증 전산회계운용사가 이력서에 적혀 있지 않습니다"],
        "suggestion": ["상담 계획의 훈련 ‘부동산 계약 실무 과정’은 보완할 기술·지식 중 부동산을 다룹니다",
                       "(병원행정사, 가스기능사, 가스기사, 가스기술사) 가운데 목표 자격증을 정하고"],
    }
    for kind, phrases in expected.items():
        texts = " ".join(_statements(task, kind))
        assert all(phrase in texts for phrase in phrases), (kind, texts)
    held = next(s for s in task.offline if s.kind == "strength")
    assert {"derived.coverage", "table.occupation.026", "record.skills", "record.certificates", "record.education",
            resume_duty_sources(_context())[0].key, "cover.1"} <= set(held.sources)
    data = task.data
    json.dumps(data, ensure_ascii=False)
    assert data["coverage_pct"] == 47 and data["missing"][:3] == ["추진", "부동산", "인사"]
    assert data["certificates_missing"] == ["병원행정사", "가스기능사", "가스기사", "가스기술사"]
    result = check_statements(task.offline, task.sources, VOCABULARY)
    assert result.failed == 0 and result.claims > 0
    for statement in task.offline:
        assert not re.search(r"(derived|table|record|resume|cover)\.|keco|_", statement.text)
        assert "026" not in statement.text


def test_certificate_named_in_the_resume_but_not_in_the_record() -> None:
    resume = RESUME.replace("2019.08  컴퓨터활용능력 1급", "2019.08  정보처리기사")
    task = competency_task(_context(resume=resume), VOCABULARY)
    flagged = [s for s in task.offline if s.kind == "evidence" and "취득 여부를 확인" in s.text]
    assert len(flagged) == 1 and "이력서에 적힌 정보처리기사는" in flagged[0].text
    assert flagged[0].sources[0].startswith("resume.")
    # the wish line names 간호사 (also a certificate) and is not taken for a certificate held
    assert "간호사" not in flagged[0].text
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


def test_newcomer_below_the_typical_education_without_a_resume() -> None:
    context = _context(education="고졸", major="", career_years=0.0, last_keco=None, last_occupation="",
                       skills=("간호",), certificates=(), resume="", cover_letter="", training_plan=(),
                       desired_keco="304", desired_occupation="간호사")
    task = competency_task(context, VOCABULARY)
    gaps = _statements(task, "gap")
    assert any("일반적인 학력은 대졸이고 현재 학력은 고졸" in s for s in gaps)
    assert any("경력이 없어(신입)" in s for s in gaps)
    assert any("관련 자격증(간호사, 약사, 의사, 한의사, 가정전문간호사)은 아직 하나도" in s for s in gaps)
    assert any(s.startswith("이력서가 없어") for s in _statements(task, "evidence"))
    assert task.data["coverage_pct"] == round(100 / 15)
    assert task.data["education"] == {"seeker": "고졸", "typical": "대졸", "meets": False}
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


def test_career_in_the_same_field_is_a_strength() -> None:
    context = _context(last_keco="027", last_occupation="회계·경리 사무원")
    task = competency_task(context, VOCABULARY)
    field = next(s for s in task.offline if "같은 경영·행정·사무직 분야" in s.text)
    assert "table.occupation.027" in field.sources
    assert "table.occupation.027" in {s.key for s in task.sources}
    assert check_statements(task.offline, task.sources, VOCABULARY).failed == 0


def test_occupation_source_states_the_reference_row() -> None:
    source = occupation_source(REF, "026")
    assert source.key == "table.occupation.026" and source.label == "직업 정보 · 경영지원 사무원"
    assert "관련 자격증: 병원행정사, 유통관리사, 가스기능사, 가스기사, 가스기술사" in source.text
    assert "일반적인 학력: 전문대졸" in source.text and "중위 월 335만원" in source.text


@pytest.mark.parametrize("changes", [
    {"skills": ("엑셀", "파워포인트", "운전", "영어회화", "중국어", "포토샵", "홍보"), "resume": "거래처 관리를 했습니다."},
    {"training_plan": ("인사 노무 실무", "부동산 계약 실무 과정", "수납 정산 관리", "시장 조사 분석")},
    {"certificates": ("가스기능사", "가스기사", "병원행정사", "유통관리사", "가스기술사", "워드프로세서"), "resume": ""},
    {"education": "중졸이하", "major": "", "desired_keco": "011", "desired_occupation": "의회의원·고위공무원 및 기업 고위임원"},
    {"skills": (), "certificates": (), "cover_letter": "", "career_years": 0.0, "last_keco": None, "last_occupation": ""},
])
def test_offline_statements_of_hand_built_contexts_pass_the_check(changes: dict[str, object]) -> None:
    task = competency_task(_context(**changes), VOCABULARY)
    result = check_statements(task.offline, task.sources, VOCABULARY)
    assert result.failed == 0, [s.removed for s in result.statements if s.removed]
    assert {s.kind for s in task.offline} <= set(task.kinds)
    keys = {s.key for s in task.sources}
    assert all(s.sources and set(s.sources) <= keys for s in task.offline)


def test_invented_certificate_and_wage_are_removed() -> None:
    task = competency_task(_context(), VOCABULARY)
    faithful = next(s for s in task.offline if s.kind == "gap")
    chat = chat_answering(task, faithful, [
        ("suggestion", "사회조사분석사 자격증을 따면 좋습니다.", "table.occupation.026"),
        ("strength", "경력으로 월 450만원을 받을 수 있습니다.", "record.career"),
    ])
    output = run_task(task, chat, VOCABULARY)
    assert [s.text for s in output.shown] == [faithful.text]
    assert output.removed == 2
    reasons = [s.removed for s in output.statements if s.removed]
    assert "자격증 사회조사분석사" in reasons[0] and "금액 450만원" in reasons[1]


@pytest.fixture(scope="module")
def contexts(world_db: Path) -> list[SeekerContext]:
    return world_contexts(world_db)


def test_every_world_seeker_gets_checked_feedback(contexts: list[SeekerContext]) -> None:
    kinds: dict[str, int] = {}
    for context in contexts:
        task = competency_task(context, VOCABULARY)
        result = check_statements(task.offline, task.sources, VOCABULARY)
        assert result.failed == 0, (context.seeker_id, [s.removed for s in result.statements if s.removed])
        assert 0 <= task.data["coverage_pct"] <= 100
        assert set(task.data["held"]) | set(task.data["missing"]) == set(task.data["required"])
        for statement in task.offline:
            kinds[statement.kind] = kinds.get(statement.kind, 0) + 1
            assert not re.search(r"(derived|table|record|resume|cover)\.", statement.text)
    assert set(kinds) == {"strength", "gap", "evidence", "suggestion"}
