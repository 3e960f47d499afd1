"""Imports refuse implausible and unsafe input and never print personal data (issue 12, points 3 and 8).

* bounds shared with the hiring simulator (:mod:`app.bounds`): 1e15, 1e30, inf, nan, over-long text;
* control characters (NUL …) in any cell;
* unique business numbers, also when another import registers the firm half-way;
* the same 주민등록번호 twice (in the file, or in the file and the database);
* a database failure prints one Korean line with a log number, no row values, no SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import bounds
from app.cli.imports import main_import
from app.config import get_settings
from app.db import importers
from app.db.engine import make_engine
from app.db.importers import ImportValidationError, import_postings, import_seekers
from app.db.orm import Employer, Posting, Seeker, create_schema
from app.services import hiring

KECO = {"133", "134", "531", "550", "622", "624", "873", "890"}
REGIONS = set(importers.REGION_CODES)

POSTING = {
    "business_no": "214-86-12341", "employer_name": "(주)한빛소프트", "industry_code": "J", "region_code": "11",
    "keco_code": "133", "title": "백엔드 개발자", "duties": "API 개발", "requirements": "경력 3년",
    "wage_type": "monthly", "wage_amount": "3000000", "weekly_hours": "40", "employment_type": "정규직",
    "career": "경력", "min_career_years": "3", "education": "대졸", "open_date": "2025-03-03",
    "close_date": "2025-04-02", "headcount": "1",
}
SEEKER = {
    "external_id": "S-1", "name": "김하늘", "birth_date": "1990-03-05", "sex": "F", "education": "대졸",
    "region_code": "11", "career_years": "6", "desired_keco": "133", "desired_wage": "3500000",
    "registered_on": "2025-02-10", "benefit_status": "Y", "disability": "N", "rrn": "900305-2345678",
    "phone": "010-1234-5678", "email": "haneul@example.com", "address": "서울특별시 마포구 월드컵로 1",
}
PERSONAL = ("김하늘", "900305", "2345678", "010-1234-5678", "haneul@example.com", "월드컵로")


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / 'import.db'}")
    create_schema(eng)
    yield eng
    eng.dispose()


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    columns = list(dict.fromkeys(column for row in rows for column in row))
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _postings(engine: Engine, path: Path) -> importers.ImportReport:
    return import_postings(engine, path, known_keco=KECO, known_regions=REGIONS)


def _seekers(engine: Engine, path: Path) -> importers.ImportReport:
    return import_seekers(engine, path, known_keco=KECO, known_regions=REGIONS, known_certificates={})


def _errors(call) -> tuple[str, ...]:
    with pytest.raises(ImportValidationError) as info:
        call()
    return info.value.errors


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --------------------------------------------------------------------------- bounds


def test_absurd_wages_are_line_numbered_korean_errors_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    rows = [
        POSTING,
        {**POSTING, "wage_amount": "1e15"},
        {**POSTING, "wage_amount": "1e30"},
        {**POSTING, "wage_amount": "inf"},
        {**POSTING, "wage_amount": "nan"},
        {**POSTING, "wage_type": "annual", "wage_amount": "1500000000"},  # 월 1.25억
        {**POSTING, "wage_type": "hourly", "wage_amount": "900"},  # a unit error, not a low wage
        {**POSTING, "weekly_hours": "inf"},
        {**POSTING, "weekly_hours": "nan"},
        {**POSTING, "headcount": "1e9"},
        {**POSTING, "min_career_years": "99"},
    ]
    errors = _errors(lambda: _postings(engine, _csv(tmp_path / "p.csv", rows)))

    assert errors == (
        "3행: wage_amount 값 '1e15'는 2,000,000,000 이하여야 합니다",
        "4행: wage_amount 값 '1e30'는 2,000,000,000 이하여야 합니다",
        "5행: wage_amount 값 'inf'는 정수가 아닙니다",
        "6행: wage_amount 값 'nan'는 정수가 아닙니다",
        "7행: wage_amount 연봉 1,500,000,000원(주 40시간)은 월 1억원을 넘습니다. 임금 형태와 금액을 확인하세요",
        "8행: wage_amount 시급 900원(주 40시간)은 시간당 1,000원도 되지 않습니다. 임금 형태와 금액을 확인하세요",
        "9행: weekly_hours 값 'inf'는 1 이상 68 이하여야 합니다",
        "10행: weekly_hours 값 'nan'는 1 이상 68 이하여야 합니다",
        "11행: headcount 값 '1e9'는 1,000 이하여야 합니다",
        "12행: min_career_years 값 '99'는 30 이하여야 합니다",
    )
    assert _count(engine, Posting) == 0 and _count(engine, Employer) == 0


def test_seekers_wages_and_texts_are_bounded(engine: Engine, tmp_path: Path) -> None:
    rows = [
        {**SEEKER, "external_id": "S-1", "desired_wage": "1e15", "rrn": ""},
        {**SEEKER, "external_id": "S-2", "desired_wage": "200000000", "rrn": ""},
        {**SEEKER, "external_id": "S-3", "career_years": "inf", "rrn": ""},
        {**SEEKER, "external_id": "S-4", "resume_text": "가" * (bounds.MAX_TEXT_CHARS + 1), "rrn": ""},
    ]
    errors = _errors(lambda: _seekers(engine, _csv(tmp_path / "s.csv", rows)))

    assert errors == (
        "2행: desired_wage 값 '1e15'는 2,000,000,000 이하여야 합니다",
        "3행: desired_wage 월 200,000,000원은 월 1억원을 넘습니다. 금액 단위(원)를 확인하세요",
        "4행: career_years 값 'inf'는 0 이상 90 이하여야 합니다",
        "5행: resume_text 값이 너무 깁니다 (20,001자, 최대 20,000자)",
    )
    assert _count(engine, Seeker) == 0


def test_a_posting_body_the_simulator_could_not_open_is_refused(engine: Engine, tmp_path: Path) -> None:
    half = "가" * (bounds.MAX_TEXT_CHARS // 2)
    rows = [POSTING, {**POSTING, "title": "긴 공고", "duties": half, "requirements": half}]

    errors = _errors(lambda: _postings(engine, _csv(tmp_path / "p.csv", rows)))

    assert len(errors) == 1 and errors[0].startswith("3행: 공고 본문(")
    assert "최대 20,000자를 넘습니다" in errors[0]


@pytest.mark.parametrize(
    ("wage_type", "amount", "accepted"),
    [("monthly", 100_000_000, True), ("monthly", 100_000_001, False), ("hourly", 1_000, True), ("hourly", 999, False),
     ("annual", 1_200_000_000, True), ("annual", 1_200_000_012, False)],
)
def test_importer_and_simulator_accept_the_same_wages(
    engine: Engine, tmp_path: Path, wage_type: str, amount: int, accepted: bool
) -> None:
    path = _csv(tmp_path / "p.csv", [{**POSTING, "wage_type": wage_type, "wage_amount": str(amount)}])
    raw = {
        "keco_code": "304", "region_code": "11", "size_code": "S2", "wage_type": wage_type, "wage_amount": amount,
        "weekly_hours": 40, "employment_type": "정규직", "career": "경력", "min_career_years": 3,
        "education": "대졸", "open_month": 3,
    }
    if accepted:
        assert _postings(engine, path).rows_written == 1
        assert hiring.validate_conditions(raw).wage_amount == amount
    else:
        assert "wage_amount" in _errors(lambda: _postings(engine, path))[0]
        with pytest.raises(hiring.InvalidConditions):
            hiring.validate_conditions(raw)


def test_shared_limits_are_the_simulators() -> None:
    from app.services.hiring import conditions

    assert conditions.MAX_WEEKLY_HOURS_INPUT == importers.rows.MAX_WEEKLY_HOURS == bounds.MAX_WEEKLY_HOURS
    assert conditions.MAX_BODY_CHARS == bounds.MAX_TEXT_CHARS


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_any_cell_are_refused(engine: Engine, tmp_path: Path, bad: str) -> None:
    postings = _csv(tmp_path / "p.csv", [POSTING, {**POSTING, "title": f"개발자{bad}채용"}])
    seekers = _csv(tmp_path / "s.csv", [{**SEEKER, "name": f"김{bad}하늘"}])

    posting_errors = _errors(lambda: _postings(engine, postings))
    seeker_errors = _errors(lambda: _seekers(engine, seekers))

    assert posting_errors == (
        "3행: title 값에 제어 문자(NUL 등)가 있습니다. 탭과 줄바꿈 말고는 넣을 수 없습니다 "
        "(다른 프로그램에서 내보낸 파일이면 텍스트로 다시 저장하세요)",
    )
    assert seeker_errors[0].startswith("2행: name 값에 제어 문자(NUL 등)가 있습니다")
    assert not any("하늘" in e for e in seeker_errors)
    assert _count(engine, Posting) == 0 and _count(engine, Seeker) == 0


def test_tabs_and_line_breaks_in_text_are_kept(engine: Engine, tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", [{**POSTING, "duties": "API 개발\r\n\t- 결제\n- 정산"}])
    assert _postings(engine, path).rows_written == 1
    with Session(engine) as session:
        assert session.scalar(select(Posting.duties)) == "API 개발\r\n\t- 결제\n- 정산"


# --------------------------------------------------------------------------- unique business numbers


def test_business_numbers_are_unique_in_the_schema(engine: Engine) -> None:
    values = {"name": "가", "business_no": "214-86-12341", "industry_code": "J", "size_code": "S1", "workers": 1,
              "region_code": "11", "address": "", "phone": "", "created_on": dt.date(2025, 1, 2)}
    with engine.begin() as conn:
        conn.execute(sa.insert(Employer), values)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(Employer), {**values, "name": "나"})


def test_a_firm_registered_by_another_import_half_way_is_a_korean_error(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(tmp_path / "p.csv", [POSTING])
    _postings(engine, path)  # the firm exists now
    # the lookup runs before another import's insert commits: it sees no firm for the number
    monkeypatch.setattr(importers.postings, "select", lambda *cols: sa.select(*cols).where(sa.false()))

    errors = _errors(lambda: _postings(engine, _csv(tmp_path / "again.csv", [{**POSTING, "title": "다른 공고"}])))

    assert errors == ("가져오는 동안 다른 작업이 같은 사업자등록번호의 기업을 등록했습니다. 다시 가져오세요 (아무것도 저장하지 않았습니다)",)
    assert _count(engine, Employer) == 1 and _count(engine, Posting) == 1


# --------------------------------------------------------------------------- the same person twice


def test_the_same_resident_number_twice_is_refused(engine: Engine, tmp_path: Path) -> None:
    twice = [SEEKER, {**SEEKER, "external_id": "S-2"}]
    assert _errors(lambda: _seekers(engine, _csv(tmp_path / "twice.csv", twice))) == (
        "3행: rrn이 2행과 같습니다 (한 사람은 한 번만 등록)",
    )
    assert _seekers(engine, _csv(tmp_path / "once.csv", [SEEKER])).rows_written == 1
    other = {**SEEKER, "external_id": "S-9", "name": "박민준", "rrn": "900305-1234567", "sex": "M"}

    errors = _errors(lambda: _seekers(engine, _csv(tmp_path / "again.csv", [other, SEEKER])))

    assert errors == ("3행: 같은 주민등록번호의 구직자가 이미 등록되어 있습니다 (이미 가져온 파일인지 확인하세요)",)
    assert _count(engine, Seeker) == 1
    assert not any(p in e for e in errors for p in PERSONAL)


# --------------------------------------------------------------------------- database errors


def test_engines_hide_bound_parameters(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert engine.hide_parameters
    finally:
        engine.dispose()


def test_a_failing_seeker_import_prints_no_personal_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)
    log = tmp_path / "logs" / "goyong.log"
    monkeypatch.setenv("GOYONG_LOG_FILE", str(log))
    get_settings.cache_clear()
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    create_schema(engine)
    with engine.begin() as conn:  # the database refuses every new seeker (a failure after validation)
        conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON seekers BEGIN SELECT RAISE(ABORT, 'refused'); END")
    engine.dispose()
    path = _csv(tmp_path / "s.csv", [SEEKER])

    try:
        code = main_import(["seekers", "--input", str(path), "--db-url", url])
    finally:
        get_settings.cache_clear()

    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert code == 1
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    match = re.fullmatch(
        r"데이터베이스 오류로 아무것도 저장하지 않았습니다 \(로그 번호 ([0-9a-f]{8})\)\. 관리자에게 이 번호를 알려 주세요",
        lines[0],
    )
    assert match, lines
    assert not any(p in printed for p in PERSONAL)
    assert "INSERT" not in printed and "SQL" not in printed and "Traceback" not in printed
    logged = log.read_text(encoding="utf-8")
    assert f"[log {match.group(1)}]" in logged and "IntegrityError" in logged
    assert not any(p in logged for p in PERSONAL) and "g1:" not in logged


def test_an_earlier_database_must_be_built_before_importing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    create_schema(engine)
    with engine.begin() as conn:  # the seekers table as an earlier release created it
        conn.exec_driver_sql("ALTER TABLE seekers ADD COLUMN rrn VARCHAR(14) NOT NULL DEFAULT ''")
    engine.dispose()

    code = main_import(["seekers", "--input", str(_csv(tmp_path / "s.csv", [SEEKER])), "--db-url", url])

    assert code == 1
    assert "`python -m app build`를 실행한 뒤 다시 가져오세요" in capsys.readouterr().err


def test_resident_numbers_inside_free_text_are_stored_masked(engine: Engine, tmp_path: Path) -> None:
    row = {**SEEKER, "resume_text": "성명 김하늘\n주민등록번호: 900305-2345678\n경력 6년",
           "cover_letter_text": "제 번호는 9003052345678 입니다"}

    report = _seekers(engine, _csv(tmp_path / "s.csv", [row]))

    with Session(engine) as session:
        resume, letter = session.execute(select(Seeker.resume_text, Seeker.cover_letter_text)).one()
    assert resume == "성명 김하늘\n주민등록번호: ******-*******\n경력 6년"
    assert letter == "제 번호는 ******-******* 입니다"
    assert "resume_text·cover_letter_text에 주민등록번호로 보이는 값이 1개 행에 있어 가려서(******-*******) 저장했습니다" in (
        report.warnings
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "1990-03-06"},  # does not match the RRN's front half
        {"birth_date": "1990-02-30"},  # no such date
        {"birth_date": "05/03/1990"},  # not YYYY-MM-DD
        {"birth_date": "2026-01-01"},  # after the registration date
        {"sex": "M"},  # the RRN's gender digit disagrees
        {"rrn": "900305-234567"},  # malformed
        {"phone": "010-5555-666"},
        {"email": "haneul@@example.com"},
    ],
)
def test_seeker_validation_messages_never_repeat_personal_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], changes: dict[str, str]
) -> None:
    """A bad row is reported by line and column only: birth dates and RRN parts are personal data."""
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    create_schema(engine)
    engine.dispose()
    row = {**SEEKER, "phone": "010-5555-6666", **changes}  # not the example number the message gives
    code = main_import(["seekers", "--input", str(_csv(tmp_path / "s.csv", [row])), "--db-url", url])
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert code == 2
    assert "2행:" in captured.err
    personal = {*PERSONAL[:3], *PERSONAL[4:], row["birth_date"], row["rrn"], row["rrn"][:6], row["phone"], row["email"]}
    assert not [p for p in personal if p and p in printed], printed
