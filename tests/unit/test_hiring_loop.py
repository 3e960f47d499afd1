"""The hiring loop on a copy of the small world: applying conditions to a posting as a new version
(verified before it is published, every version kept, one transaction), hiring-consulting cases
(roles, statuses, notes, whether the posting was filled) and the migration that adds their tables
to a database built before them.

The ad verifier is replaced by a stub whose decision the test sets: what is tested here is what
the hiring service does with a verdict, not the verifier (``test_verify_*`` cover that).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, text

from app.db.engine import make_engine
from app.db.fingerprint import compute_fingerprint
from app.db.migrations import migrate_schema, pending_migrations
from app.errors import AccessDenied
from app.services import hiring
from app.services.hiring import InvalidConditions, PostingAccessDenied
from tests.conftest import copy_world_database


@dataclass
class _Hit:
    name: str = "성별 제한"
    law: str = "남녀고용평등법"
    article: str = "제7조"
    rule_id: str = "SEX_DISCRIM"


@dataclass
class _Verdict:
    decision: str
    score: float
    hits: list = field(default_factory=list)
    ml_probability: float | None = None


class StubVerifier:
    """Answers every ad with ``decision``; remembers the ads it was asked about."""

    def __init__(self, decision: str = "pass") -> None:
        self.decision = decision
        self.seen: list[pd.DataFrame] = []

    def verify(self, ads: pd.DataFrame, **_options: object) -> list[_Verdict]:
        self.seen.append(ads.copy())
        hits = [] if self.decision == "pass" else [_Hit()]
        return [_Verdict(self.decision, 0.1 if self.decision == "pass" else 0.9, hits) for _ in range(len(ads))]


@pytest.fixture
def engine(world_url: str, tmp_path: Path) -> Engine:
    path = copy_world_database(world_url, tmp_path / "loop.db")
    eng = make_engine(f"sqlite:///{path}")
    migrate_schema(eng)  # the session world is current; this only checks the key and adds nothing
    yield eng
    eng.dispose()


def _posting(engine: Engine) -> tuple[int, int]:
    """(posting id, employer id) of a monthly-wage posting with a 근무 조건 section naming the pay."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "select id, employer_id from postings where wage_type='monthly' and conditions like '%만원%' "
            "and weekly_hours <= 45 order by id limit 1")).one()
    return int(row[0]), int(row[1])


def _row(engine: Engine, posting_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(text("select * from postings where id=:p"), {"p": posting_id}).mappings().one())


def _raised(engine: Engine, posting_id: int, employer_id: int) -> hiring.PostingConditions:
    published = hiring.conditions_from_posting(engine, posting_id, employer_id=employer_id)
    return published.replace(wage_amount=published.wage_amount + 200_000)


def test_a_passing_version_becomes_current_and_the_old_one_is_kept(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)
    before = _row(engine, posting_id)
    new = _raised(engine, posting_id, employer_id)
    verifier = StubVerifier("pass")
    result = hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id,
                                     username="emp", conditions=new, source_kind="whatif")
    assert (result.version, result.status, result.decision) == (2, "current", "pass")
    after = _row(engine, posting_id)
    assert after["wage_amount"] == before["wage_amount"] + 200_000
    assert after["wage_monthly"] == new.wage_monthly
    assert after["updated_at"] is not None and before["updated_at"] is None  # the review queue sees the change
    new_pay = f"{(before['wage_amount'] + 200_000) // 10_000}만원"
    assert new_pay in after["conditions"] and new_pay in after["body"]  # the text says what the record says
    assert after["body"] != before["body"] and after["title"] == before["title"]
    # the verifier saw the new text, before anything was published
    assert new_pay in verifier.seen[0]["body"].iloc[0]
    versions = hiring.load_versions(engine, posting_id, employer_id=employer_id)
    assert versions["version"].tolist() == [2, 1]
    assert versions["status"].tolist() == ["current", "superseded"]
    assert versions["source_kind"].tolist() == ["whatif", "original"]
    assert versions.iloc[0]["changes"].startswith("임금: 월급 ")
    table = hiring.version_table(versions)
    assert table["상태"].tolist() == ["게시 중", "이전 버전"]
    assert table["검증 결과"].tolist() == ["통과", "-"]
    # the simulator now opens the new version
    assert hiring.conditions_from_posting(engine, posting_id, employer_id=employer_id).wage_amount == new.wage_amount


@pytest.mark.parametrize("decision", ["review", "block"])
def test_a_flagged_version_waits_for_review_and_the_old_one_stays(engine: Engine, decision: str) -> None:
    posting_id, employer_id = _posting(engine)
    before = _row(engine, posting_id)
    result = hiring.apply_to_posting(engine, StubVerifier(decision), posting_id=posting_id, employer_id=employer_id,
                                     username="emp", conditions=_raised(engine, posting_id, employer_id),
                                     source_kind="plan", source_label="방안 1")
    assert (result.status, result.decision) == ("pending", decision)
    assert "검토 대기" in result.message and "성별 제한(남녀고용평등법 제7조)" == result.reasons
    after = _row(engine, posting_id)
    assert {k: after[k] for k in ("body", "wage_amount", "conditions")} == {
        k: before[k] for k in ("body", "wage_amount", "conditions")}
    assert after["updated_at"] is None
    versions = hiring.load_versions(engine, posting_id, employer_id=employer_id)
    assert versions["status"].tolist() == ["pending", "current"]
    status = hiring.verification_status(engine, posting_id, build_checks=None, reviews=pd.DataFrame())
    assert status.waiting and "검토 대기" in status.message
    # staff publish it: it becomes current, the posting row changes, the original is kept
    with pytest.raises(AccessDenied):
        hiring.decide_pending_version(engine, version_id=result.version_id, reviewer_role="employer", approve=True)
    assert hiring.decide_pending_version(engine, version_id=result.version_id, reviewer_role="policy",
                                         approve=True) == "current"
    assert _row(engine, posting_id)["wage_amount"] == before["wage_amount"] + 200_000
    assert hiring.load_versions(engine, posting_id, employer_id=None)["status"].tolist() == ["current", "superseded"]
    assert not hiring.verification_status(engine, posting_id, build_checks=None, reviews=pd.DataFrame()).waiting


def test_history_keeps_every_version_in_order(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)
    published = hiring.conditions_from_posting(engine, posting_id, employer_id=employer_id)
    verifier = StubVerifier("pass")
    for step in (1, 2, 3):
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id, username="emp",
                                conditions=published.replace(wage_amount=published.wage_amount + step * 100_000),
                                source_kind="whatif")
    versions = hiring.load_versions(engine, posting_id, employer_id=employer_id)
    assert versions["version"].tolist() == [4, 3, 2, 1]
    assert versions["status"].tolist() == ["current", "superseded", "superseded", "superseded"]
    assert (versions["status"] == "current").sum() == 1


def test_bad_input_changes_nothing(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)
    before = _row(engine, posting_id)
    published = hiring.conditions_from_posting(engine, posting_id, employer_id=employer_id)
    verifier = StubVerifier("pass")
    with pytest.raises(InvalidConditions, match="새 버전을 만들 내용이 없습니다"):
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id, username="emp",
                                conditions=published, source_kind="whatif")
    with pytest.raises(PostingAccessDenied):
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id + 1, username="x",
                                conditions=_raised(engine, posting_id, employer_id), source_kind="whatif")
    with pytest.raises(PostingAccessDenied):  # staff look, the owner changes
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=None, username="p",
                                conditions=_raised(engine, posting_id, employer_id), source_kind="whatif")
    other_region = next(code for code in ("11", "26", "41") if code != published.region_code)
    with pytest.raises(InvalidConditions, match="직종·지역·기업 규모"):
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id, username="emp",
                                conditions=published.replace(region_code=other_region, wage_amount=published.wage_amount + 1),
                                source_kind="whatif")
    with pytest.raises(InvalidConditions):
        hiring.apply_to_posting(engine, verifier, posting_id=posting_id, employer_id=employer_id, username="emp",
                                conditions=_raised(engine, posting_id, employer_id), source_kind="original")
    assert _row(engine, posting_id) == before
    assert hiring.load_versions(engine, posting_id, employer_id=employer_id).empty


def test_a_failure_inside_the_transaction_writes_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    posting_id, employer_id = _posting(engine)
    before = _row(engine, posting_id)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    # the versions are written first, the posting row last: a failure there must undo the versions
    monkeypatch.setattr("app.services.hiring.versions.posting_repo.update_posting_content", broken)
    with pytest.raises(RuntimeError):
        hiring.apply_to_posting(engine, StubVerifier("pass"), posting_id=posting_id, employer_id=employer_id,
                                username="emp", conditions=_raised(engine, posting_id, employer_id),
                                source_kind="whatif")
    assert _row(engine, posting_id) == before
    assert hiring.load_versions(engine, posting_id, employer_id=employer_id).empty


def test_a_posting_changed_during_verification_is_not_overwritten(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)

    class Meddling(StubVerifier):
        def verify(self, ads: pd.DataFrame, **options: object) -> list[_Verdict]:
            with engine.begin() as conn:  # another session edits the posting meanwhile
                conn.execute(text("update postings set body = body || ' ' where id=:p"), {"p": posting_id})
            return super().verify(ads, **options)

    with pytest.raises(hiring.PostingChanged):
        hiring.apply_to_posting(engine, Meddling("pass"), posting_id=posting_id, employer_id=employer_id,
                                username="emp", conditions=_raised(engine, posting_id, employer_id),
                                source_kind="whatif")
    assert hiring.load_versions(engine, posting_id, employer_id=employer_id).empty


def test_apply_a_saved_scenario(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)
    published = hiring.conditions_from_posting(engine, posting_id, employer_id=employer_id)
    extra = next(c for c in ("W05", "W06", "W07", "W08") if c not in published.welfare_codes)
    plan = published.replace(welfare_codes=(*published.welfare_codes, extra), weekly_hours=40.0)

    @dataclass
    class _Prediction:
        input_hash: str
        probability: float = 0.5
        days: float = 20.0
        model_version: str = "test"

    scenario_id = hiring.save_scenario(engine, employer_id, "복지 추가안", plan, _Prediction(plan.input_hash()),
                                       posting_id)
    with pytest.raises(hiring.ScenarioNotFound):
        hiring.apply_scenario(engine, StubVerifier(), scenario_id=scenario_id, posting_id=posting_id,
                              employer_id=employer_id + 1, username="x")
    result = hiring.apply_scenario(engine, StubVerifier(), scenario_id=scenario_id, posting_id=posting_id,
                                   employer_id=employer_id, username="emp")
    assert result.status == "current" and any(line.startswith("복리후생 추가: ") for line in result.changes)
    versions = hiring.load_versions(engine, posting_id, employer_id=employer_id)
    assert versions.iloc[0]["source_kind"] == "scenario" and versions.iloc[0]["source_label"] == "복지 추가안"
    assert int(versions.iloc[0]["source_id"]) == scenario_id


def test_rewrite_keeps_the_text_consistent_with_the_conditions() -> None:
    old = hiring.validate_conditions({
        "keco_code": "561", "region_code": "11", "size_code": "S2", "wage_type": "monthly", "wage_amount": 2_500_000,
        "weekly_hours": 40, "employment_type": "계약직", "career": "경력", "min_career_years": 2, "education": "대졸",
        "welfare_codes": "W01;W02",
    })
    new = old.replace(wage_amount=2_800_000, weekly_hours=35.0, employment_type="정규직", career="경력무관",
                      min_career_years=0, education="무관")
    sections = {"conditions": "1. 고용 형태: 계약직\n2. 임금: 월 250만원\n3. 근무 시간: 주 5일, 주 40시간",
                "requirements": "1. 경력 2년 이상\n2. 대졸 이상\n3. 성실하신 분", "benefits": "4대보험"}
    body = "제목\n\n【근무 조건】\n" + sections["conditions"] + "\n\n【자격 요건】\n" + sections["requirements"]
    new_sections, new_body = hiring.rewrite_posting_text("제목", sections, body, old, new)
    assert new_sections["conditions"] == "1. 고용 형태: 정규직\n2. 임금: 월급 280만원\n3. 근무 시간: 주 5일, 주 35시간"
    assert new_sections["requirements"] == "1. 성실하신 분\n2. 경력 무관\n3. 학력 무관"
    assert new_sections["conditions"] in new_body and new_sections["requirements"] in new_body
    assert "250만원" not in new_body and "대졸" not in new_body
    assert hiring.describe_changes(old, new) == (
        "임금: 월급 250만원 → 월급 280만원", "근로시간: 주 40시간 → 주 35시간", "고용형태: 계약직 → 정규직",
        "경력: 경력 2년 이상 → 경력 무관", "학력 대졸 이상 → 학력 무관",
    )


# --------------------------------------------------------------------------- consulting


STAFF = {"policy1": "정책 담당자"}


def test_consulting_request_assign_note_close(engine: Engine) -> None:
    posting_id, employer_id = _posting(engine)
    with pytest.raises(hiring.InvalidConsulting, match="5자 이상"):
        hiring.request_consulting(engine, posting_id=posting_id, employer_id=employer_id, username="emp",
                                  role="employer", reason="도움")
    with pytest.raises(PostingAccessDenied):
        hiring.request_consulting(engine, posting_id=posting_id, employer_id=employer_id + 1, username="x",
                                  role="employer", reason="지원자가 없습니다")
    case_id = hiring.request_consulting(
        engine, posting_id=posting_id, employer_id=employer_id, username="emp", role="employer",
        reason="3주째 지원자가 없습니다. 담당 김철수 010-1234-5678로 연락 주세요", contact_time="평일 오후",
    )
    with pytest.raises(hiring.InvalidConsulting, match="이미 진행 중"):
        hiring.request_consulting(engine, posting_id=posting_id, employer_id=None, username="policy1",
                                  role="policy", reason="위험 공고 선제 지원")
    mine = hiring.load_cases(engine, employer_id=employer_id, role="employer")
    assert mine["id"].tolist() == [case_id] and mine.iloc[0]["status"] == "received"
    assert "010-1234-5678" not in mine.iloc[0]["reason"]  # masked before it was stored
    assert hiring.load_cases(engine, employer_id=employer_id + 1, role="employer").empty
    with pytest.raises(AccessDenied):
        hiring.load_cases(engine, employer_id=None, role="counsellor")
    with pytest.raises(AccessDenied):
        hiring.assign_case(engine, case_id=case_id, assignee="policy1", username="emp", role="employer", staff=STAFF)
    with pytest.raises(hiring.InvalidConsulting):
        hiring.assign_case(engine, case_id=case_id, assignee="nobody", username="policy1", role="policy", staff=STAFF)
    hiring.assign_case(engine, case_id=case_id, assignee="policy1", username="policy1", role="policy", staff=STAFF)
    hiring.add_case_note(engine, case_id=case_id, username="policy1", role="policy", text="임금 인상안 안내",
                         status="in_progress")
    with pytest.raises(hiring.InvalidConsulting, match="결과"):
        hiring.add_case_note(engine, case_id=case_id, username="policy1", role="policy", text="종료합니다",
                             status="closed")
    hiring.add_case_note(engine, case_id=case_id, username="policy1", role="policy", text="종료합니다",
                         status="closed", outcome="월급 20만원 인상 후 재게시")
    with pytest.raises(hiring.InvalidConsulting, match="종료된"):
        hiring.add_case_note(engine, case_id=case_id, username="policy1", role="policy", text="추가 기록", status="in_progress")
    cases = hiring.load_cases(engine, employer_id=None, role="policy")
    case = cases[cases["id"] == case_id].iloc[0]
    assert (case["status"], case["assignee"], case["outcome"]) == ("closed", "policy1", "월급 20만원 인상 후 재게시")
    notes = hiring.load_case_notes(engine, case_id, role="policy")
    assert notes["status"].tolist() == ["assigned", "in_progress", "closed"]
    assert notes["text"].tolist()[0] == "담당자 배정: 정책 담당자"
    with pytest.raises(AccessDenied):
        hiring.load_case_notes(engine, case_id, role="employer")  # the staff's working record
    table = hiring.case_table(cases, staff=STAFF)
    row = table[table["사례 번호"] == case_id].iloc[0]
    assert (row["상태"], row["담당자"]) == ("종료", "정책 담당자")
    # 채용 여부 comes from the observed outcome of the posting
    with engine.connect() as conn:
        filled, days = conn.execute(text("select filled, days_to_fill from posting_outcomes where posting_id=:p"),
                                    {"p": posting_id}).one()
    expected = ("채용됨" if filled else "미채용") if filled is not None else "결과 미확정"
    assert row["채용 여부"].startswith(expected)
    # after closing, a new case may be opened (by staff, from the at-risk list)
    again = hiring.request_consulting(engine, posting_id=posting_id, employer_id=None, username="policy1",
                                      role="policy", reason="재게시 후에도 지원자 부족")
    assert hiring.load_cases(engine, employer_id=None, role="policy", posting_id=posting_id)["id"].tolist()[0] == again


# --------------------------------------------------------------------------- migration


def test_migration_adds_the_tables_and_column_to_an_old_database(world_url: str, tmp_path: Path) -> None:
    path = copy_world_database(world_url, tmp_path / "old.db")
    engine = make_engine(f"sqlite:///{path}")
    fingerprint = compute_fingerprint(engine)
    with sqlite3.connect(path) as conn:  # the schema of the release before the hiring loop
        for table in ("consulting_notes", "consulting_cases", "posting_versions"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE postings DROP COLUMN updated_at")
    assert "공고 버전·채용 컨설팅 표" in pending_migrations(engine)
    done = migrate_schema(engine)
    assert "공고 버전 기록과 채용 컨설팅 표를 추가했습니다" in done
    inspector = inspect(engine)
    assert {"posting_versions", "consulting_cases", "consulting_notes"} <= set(inspector.get_table_names())
    assert "updated_at" in {c["name"] for c in inspector.get_columns("postings")}
    assert "공고 버전·채용 컨설팅 표" not in pending_migrations(engine)
    assert migrate_schema(engine) == ()  # idempotent
    assert compute_fingerprint(engine) == fingerprint  # the world's content did not change
    # and the loop works on the migrated database
    posting_id, employer_id = _posting(engine)
    result = hiring.apply_to_posting(engine, StubVerifier("pass"), posting_id=posting_id, employer_id=employer_id,
                                     username="emp", conditions=_raised(engine, posting_id, employer_id),
                                     source_kind="whatif")
    assert result.status == "current"
    engine.dispose()
