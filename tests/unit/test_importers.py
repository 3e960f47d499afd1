"""CSV importers (app/db/importers/): formats, Korean line-numbered errors, all-or-nothing writes.

Every test runs on a fresh SQLite file and passes the code lists explicitly, so nothing here
depends on the reference tables (``app/reference/tables.py``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.cli.imports import main_import
from app.db import importers
from app.db.engine import make_engine
from app.db.importers import (
    ImportValidationError,
    import_postings,
    import_seekers,
    is_valid_business_no,
    monthly_wage_krw,
)
from app.db.orm import Employer, Posting, Seeker, SeekerCertificate, create_schema
from app.db.rrn import load_rrn_cipher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
POSTINGS_VALID = FIXTURES / "import_postings_valid.csv"
POSTINGS_BAD = FIXTURES / "import_postings_bad.csv"
SEEKERS_VALID = FIXTURES / "import_seekers_valid.csv"
SEEKERS_BAD = FIXTURES / "import_seekers_bad.csv"

KECO = {"133", "134", "531", "550", "622", "624", "873", "890"}
REGIONS = set(importers.REGION_CODES)
CERTIFICATES = {
    "정보처리기사": "C0001",
    "SQLD": "C0002",
    "지게차운전기능사": "C0003",
    "요양보호사": "C0004",
    "한식조리기능사": "C0005",
}


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / 'import.db'}")
    create_schema(eng)
    yield eng
    eng.dispose()


def _postings(engine: Engine, path: Path) -> importers.ImportReport:
    return import_postings(engine, path, known_keco=KECO, known_regions=REGIONS)


def _seekers(engine: Engine, path: Path) -> importers.ImportReport:
    return import_seekers(engine, path, known_keco=KECO, known_regions=REGIONS, known_certificates=CERTIFICATES)


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Employer, Posting, Seeker, SeekerCertificate)
        }


def _errors(call) -> tuple[str, ...]:  # a zero-argument callable
    with pytest.raises(ImportValidationError) as info:
        call()
    return info.value.errors


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("wage_type", "amount", "expected"),
    [
        ("hourly", 10_030, 2_096_270),  # the 2025 monthly minimum wage (domain-facts §1.4)
        ("hourly", 10_320, 2_156_880),  # 2026
        ("daily", 80_000, 2_090_000),  # 80,000 × 209 / 8
        ("daily", 85_001, 2_220_651),  # 2,220,651.125 rounds down
        ("daily", 85_004, 2_220_730),  # 2,220,729.5 rounds half up
        ("daily", 85_000, 2_220_625),
        ("monthly", 2_500_000, 2_500_000),
        ("annual", 42_000_000, 3_500_000),
        ("annual", 40_000_006, 3_333_334),  # 3,333,333.83 rounds up
    ],
)
def test_monthly_equivalent_per_wage_type(wage_type: str, amount: int, expected: int) -> None:
    assert monthly_wage_krw(wage_type, amount) == expected
    assert monthly_wage_krw(wage_type, amount, 40) == expected  # the default is a 40-hour week


@pytest.mark.parametrize(
    ("wage_type", "amount", "hours", "expected"),
    [
        ("hourly", 10_320, 20, 1_078_440),  # 20 h paid pro rata with weekly rest: 104.5 h a month
        ("daily", 80_000, 24, 1_254_000),  # 3 days a week + weekly rest: 15.675 paid days a month
        ("monthly", 2_500_000, 20, 2_500_000),  # monthly and annual pay do not depend on hours
        ("annual", 42_000_000, 52, 3_500_000),
    ],
)
def test_monthly_equivalent_follows_the_posted_week(wage_type: str, amount: int, hours: float, expected: int) -> None:
    assert monthly_wage_krw(wage_type, amount, hours) == expected


@pytest.mark.parametrize(
    ("wage_type", "amount", "hours", "match"),
    [
        ("weekly", 100, 40, "임금 형태 'weekly'는 허용되지 않습니다"),
        ("monthly", 0, 40, "임금액은 0보다 큰 정수"),
        ("hourly", -1, 40, "임금액은 0보다 큰 정수"),
        ("annual", 1.5, 40, "임금액은 0보다 큰 정수"),
        ("hourly", 10_000, 0, "주당 근로시간은 0보다 커야"),
    ],
)
def test_monthly_equivalent_rejects_bad_input(wage_type: str, amount: int, hours: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        monthly_wage_krw(wage_type, amount, hours)


def test_business_no_check_digit() -> None:
    # By hand: 1·1+2·3+3·7+4·1+5·3+6·7+7·1+8·3+9·5 = 165, + ⌊9·5/10⌋ = 169 → check (10−9) mod 10 = 1.
    assert is_valid_business_no("123-45-67891")
    assert is_valid_business_no("1234567891")
    assert not is_valid_business_no("123-45-67890")
    assert not is_valid_business_no("123-45-6789")
    assert not is_valid_business_no("12a-45-67891")


# --------------------------------------------------------------------------- postings


def test_valid_postings_import_with_computed_fields(engine: Engine) -> None:
    report = _postings(engine, POSTINGS_VALID)

    assert report.table == "postings"
    assert report.rows_written == 6
    # 105-87-54326 appears twice, once written without hyphens: still one employer.
    assert report.related_rows == {"employers": 4}
    assert _counts(engine) == {"employers": 4, "postings": 6, "seekers": 0, "seeker_certificates": 0}
    with Session(engine) as session:
        postings = {p.title: p for p in session.scalars(select(Posting))}
        employers = {e.business_no: e for e in session.scalars(select(Employer))}
    assert {p.title: p.wage_monthly for p in postings.values()} == {
        "백엔드 개발자 채용": 3_500_000,  # annual 42,000,000 / 12
        "데이터 엔지니어": 3_800_000,
        "식품 포장 생산직": 2_194_500,  # hourly 10,500 × 209
        "물류 상하차 일용직": 2_220_625,  # daily 85,000 × 209 / 8
        "방문 요양보호사 (단시간)": 1_097_250,  # hourly 10,500 × 104.5 paid hours of a 20 h week
        "화물차 운전원": 2_000_000,  # "2,000,000" with thousands separators
    }
    assert sorted(employers) == ["105-87-54326", "214-86-12341", "312-81-77885", "617-85-00218"]
    backend = postings["백엔드 개발자 채용"]
    assert backend.employer_id == employers["214-86-12341"].id == postings["데이터 엔지니어"].employer_id
    assert postings["물류 상하차 일용직"].employer_id == employers["105-87-54326"].id
    assert backend.source == "import" and backend.year == 2025
    assert backend.open_date == dt.date(2025, 3, 3) and backend.close_date == dt.date(2025, 4, 2)
    assert backend.duties == "Python API 개발\n데이터베이스 설계 및 운영"  # quoted multi-line cell kept
    assert backend.welfare_codes == "W01;W03" and backend.headcount == 2
    assert backend.body.startswith("[담당 업무]\nPython API 개발")
    assert "[근무 조건]\n연봉 42,000,000원, 주 40시간, 정규직" in backend.body
    assert "[복리후생]\n4대보험, 퇴직금, 중식 제공" in backend.body
    assert postings["식품 포장 생산직"].welfare_codes == "W05"  # "w05" upper-cased
    assert postings["데이터 엔지니어"].min_career_years == 0 and postings["데이터 엔지니어"].preferred == ""
    assert employers["214-86-12341"].created_on == dt.date(2025, 3, 3)
    assert employers["214-86-12341"].industry_code == "J" and employers["214-86-12341"].region_code == "11"
    # Below the minimum wage is imported but reported (2,000,000 / 209 h ≈ 9,569 < 10,030 in 2025).
    assert report.warnings == (
        "8행: 임금이 2025년 최저임금보다 낮습니다 (시간당 약 9,569원 < 10,030원). 가져오기는 했지만 공고 검증에서 걸러집니다",
    )


def test_each_bad_posting_row_has_its_line_numbered_korean_message(engine: Engine) -> None:
    errors = _errors(lambda: _postings(engine, POSTINGS_BAD))

    # Line 2's duties cell spans two physical lines, so the next record starts on line 4.
    assert errors == (
        "4행: business_no 값 '214-86-12342'의 검증번호(마지막 자리)가 맞지 않습니다",
        "5행: wage_type 값 'weekly'는 허용되지 않습니다 (hourly, daily, monthly, annual)",
        "6행: weekly_hours 값 '70'는 1 이상 68 이하여야 합니다",
        "7행: close_date(2025-03-01)가 open_date(2025-03-10)보다 앞섭니다 (마감일 ≥ 게시일)",
        "8행: region_code 값 '99'는 시도 코드표에 없습니다 (예: 11 서울, 26 부산, 41 경기)",
        "9행: keco_code 값 '999'는 KECO 소분류 코드표에 없습니다",
        "10행: open_date 값 '2025/03/10'는 YYYY-MM-DD 형식의 날짜가 아닙니다",
        "11행: business_no '214-86-12341'의 employer_name '한빛소프트 주식회사'가 2행의 '(주)한빛소프트'와 다릅니다 "
        "(한 사업자등록번호에는 한 기업명)",
        "12행: title 값이 비어 있습니다 (필수 항목)",
        "13행: wage_amount 값 '0'는 0보다 커야 합니다",
        "14행: employment_type 값 '파트타임'는 허용되지 않습니다 (정규직, 계약직, 시간제, 일용직)",
        "15행: industry_code 값 'Z'는 KSIC 대분류 코드(A~U 영문 한 글자)가 아닙니다",
        "16행: 값이 10개입니다 (머리행의 열은 22개)",
    )
    assert _counts(engine) == {"employers": 0, "postings": 0, "seekers": 0, "seeker_certificates": 0}


def test_one_bad_row_among_valid_rows_writes_nothing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _postings(engine, POSTINGS_VALID)  # a non-empty database, so "nothing written" is meaningful
    before = _counts(engine)
    # Small chunks: the bad row sits in the last chunk, after earlier chunks validated cleanly.
    monkeypatch.setattr(importers.passes, "CHUNK_ROWS", 2)
    text = POSTINGS_VALID.read_text(encoding="utf-8")
    bad_row = (
        "220-88-44105,새로운상사,G,28,615,매장 판매원,판매,무관,weekly,500000,40,정규직,신입,0,무관,"
        "2025-08-01,2025-08-31,,,,1,\n"
    )
    path = _write(tmp_path / "mixed.csv", text + bad_row)

    errors = _errors(lambda: import_postings(engine, path, known_keco=KECO | {"615"}, known_regions=REGIONS))

    assert errors == ("9행: wage_type 값 'weekly'는 허용되지 않습니다 (hourly, daily, monthly, annual)",)
    assert _counts(engine) == before


def test_failure_during_write_rolls_back_every_chunk(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers.passes, "CHUNK_ROWS", 2)
    real = importers.postings._posting_values
    calls = {"n": 0}

    def fail_on_fifth(row, employer_id):  # test double
        calls["n"] += 1
        if calls["n"] == 5:  # chunks 1 and 2 were already sent to the database
            raise RuntimeError("simulated crash")
        return real(row, employer_id)

    monkeypatch.setattr(importers.postings, "_posting_values", fail_on_fifth)
    with pytest.raises(RuntimeError, match="simulated crash"):
        _postings(engine, POSTINGS_VALID)

    assert calls["n"] == 5
    assert _counts(engine) == {"employers": 0, "postings": 0, "seekers": 0, "seeker_certificates": 0}


def test_existing_employer_is_matched_on_business_no(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Employer(
                name="한빛소프트(기존)", business_no="214-86-12341", industry_code="J", size_code="S2", workers=40,
                region_code="11", address="서울", phone="02-000-0000", created_on=dt.date(2020, 1, 1),
            )
        )
    report = _postings(engine, POSTINGS_VALID)

    assert report.related_rows == {"employers": 3}
    with Session(engine) as session:
        existing = session.scalars(select(Employer).where(Employer.business_no == "214-86-12341")).one()
        linked = session.scalars(select(Posting.employer_id).where(Posting.keco_code.in_(["133", "134"]))).all()
    assert existing.name == "한빛소프트(기존)" and linked == [existing.id, existing.id]
    assert any(w.startswith("2행: 사업자등록번호 214-86-12341는 이미 '한빛소프트(기존)'") for w in report.warnings)


def test_missing_columns_are_a_file_level_error(engine: Engine, tmp_path: Path) -> None:
    lines = POSTINGS_VALID.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if name not in {"wage_type", "close_date"}]
    path = _write(tmp_path / "cols.csv", ",".join(header[i] for i in keep) + "\n")

    assert _errors(lambda: _postings(engine, path)) == ("1행: 필수 열이 없습니다: wage_type, close_date",)


def test_semicolon_file_gets_a_hint(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "semi.csv", "business_no;employer_name;title\n1;2;3\n")
    (error,) = _errors(lambda: _postings(engine, path))
    assert error.startswith("1행: 필수 열이 없습니다: business_no, employer_name,")
    assert error.endswith("(쉼표가 아니라 세미콜론이나 탭으로 구분된 파일 같습니다)")


def test_byte_order_mark_is_handled(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.csv", POSTINGS_VALID.read_text(encoding="utf-8"), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    report = _postings(engine, path)

    assert report.rows_written == 6
    assert _counts(engine)["employers"] == 4


def test_not_utf8_is_reported(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "cp949.csv", POSTINGS_VALID.read_text(encoding="utf-8"), encoding="cp949")
    (error,) = _errors(lambda: _postings(engine, path))
    assert "UTF-8 인코딩이 아닙니다" in error
    assert _counts(engine)["postings"] == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "파일이 비어 있습니다: 첫 행에 열 이름(머리행)이 있어야 합니다"),
        ("\n\n", "파일이 비어 있습니다: 첫 행에 열 이름(머리행)이 있어야 합니다"),
        (None, "데이터 행이 없습니다: 머리행 아래에 한 행 이상 있어야 합니다"),  # header only
    ],
)
def test_empty_files(engine: Engine, tmp_path: Path, content: str | None, expected: str) -> None:
    if content is None:
        content = POSTINGS_VALID.read_text(encoding="utf-8").splitlines()[0] + "\n"
    path = _write(tmp_path / "empty.csv", content)
    assert _errors(lambda: _postings(engine, path)) == (expected,)


def test_missing_file(engine: Engine, tmp_path: Path) -> None:
    (error,) = _errors(lambda: _postings(engine, tmp_path / "nope.csv"))
    assert error.startswith("파일을 찾을 수 없습니다")


def test_unknown_columns_and_blank_lines_are_tolerated(engine: Engine, tmp_path: Path) -> None:
    lines = POSTINGS_VALID.read_text(encoding="utf-8").split("\n")
    # Extra column "memo" (ignored with a warning), a blank line and a spreadsheet padding row.
    text = "\n".join([lines[0] + ",memo", lines[1], lines[2] + ",비고", "", ",,,", *[line + "," for line in lines[3:] if line]])
    path = _write(tmp_path / "extra.csv", text + "\n")

    report = _postings(engine, path)

    assert report.rows_written == 6
    assert "1행: 알 수 없는 열을 무시했습니다: memo" in report.warnings
    # The low-wage row moved down by the two skipped lines.
    assert any(w.startswith("10행: 임금이 2025년 최저임금보다 낮습니다") for w in report.warnings)


def test_keco_format_only_without_reference(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)
    text = POSTINGS_VALID.read_text(encoding="utf-8").replace(",133,", ",13,", 1)
    path = _write(tmp_path / "keco.csv", text)

    assert _errors(lambda: import_postings(engine, path)) == ("2행: keco_code 값 '13'는 KECO 소분류 코드(숫자 3자리)가 아닙니다",)
    report = import_postings(engine, POSTINGS_VALID)  # built-in region list, KECO format check only
    assert report.rows_written == 6
    assert report.warnings[0].startswith("KECO 참조표(data/reference/occupations.csv)를 찾지 못해")


def test_welfare_codes_are_checked_against_the_reference_list() -> None:
    data = {
        "business_no": "214-86-12341", "employer_name": "(주)한빛소프트", "industry_code": "J", "region_code": "11",
        "keco_code": "133", "title": "t", "duties": "d", "requirements": "r", "wage_type": "monthly",
        "wage_amount": "3000000", "weekly_hours": "40", "employment_type": "정규직", "career": "신입",
        "education": "무관", "open_date": "2025-01-02", "close_date": "2025-02-01", "welfare_codes": "W01;W99",
    }
    assert set(data) <= set(importers.PostingRow.model_fields)
    context = {"keco": None, "regions": frozenset({"11"}), "welfare": frozenset({"W01", "W02"})}
    with pytest.raises(ValidationError) as info:
        importers.PostingRow.model_validate(data, context=context)
    assert importers.passes._korean_errors(5, info.value) == ["5행: welfare_codes 값 'W99'는 복리후생 코드표에 없습니다"]
    parsed = importers.PostingRow.model_validate({**data, "welfare_codes": "w02; W01"}, context=context)
    assert parsed.welfare_codes == ("W02", "W01") and parsed.wage_monthly == 3_000_000


def test_hours_above_legal_cap_and_repeats_are_warnings(engine: Engine, tmp_path: Path) -> None:
    lines = POSTINGS_VALID.read_text(encoding="utf-8").splitlines()
    # Physical line 4 is the 데이터 엔지니어 row (line 2's record spans lines 2–3); repeat it at 60 h.
    repeat = lines[3].replace(",40,정규직,", ",60,정규직,")
    path = _write(tmp_path / "warn.csv", "\n".join([*lines, repeat]) + "\n")

    report = _postings(engine, path)

    assert report.rows_written == 7
    assert "9행: 4행과 기업·제목·게시일이 같은 공고입니다 (중복 여부 확인)" in report.warnings
    assert "9행: 주 60시간은 법정 상한 주 52시간을 넘습니다" in report.warnings


# --------------------------------------------------------------------------- seekers


def test_valid_seekers_import(engine: Engine) -> None:
    report = _seekers(engine, SEEKERS_VALID)

    assert report.table == "seekers" and report.rows_written == 4
    assert report.related_rows == {"seeker_certificates": 5}
    assert _counts(engine) == {"employers": 0, "postings": 0, "seekers": 4, "seeker_certificates": 5}
    with Session(engine) as session:
        seekers = {s.name: s for s in session.scalars(select(Seeker))}
        certs = {
            (name, cid)
            for name, cid in session.execute(
                select(Seeker.name, SeekerCertificate.certificate_id).join(
                    SeekerCertificate, SeekerCertificate.seeker_id == Seeker.id
                )
            )
        }
    kim = seekers["김하늘"]
    assert kim.birth_date == dt.date(1990, 3, 5) and kim.registered_on == dt.date(2025, 2, 10)
    assert kim.age == 34  # birthday (3-05) falls after registration (2-10)
    assert kim.sex == "F" and kim.benefit_status is True and kim.disability is False
    assert kim.phone == "010-1234-5678" and kim.email == "haneul@example.com"
    # the 주민등록번호 is stored only as a token and a keyed hash (app.db.rrn), never as such
    assert "900305" not in kim.rrn_encrypted and len(kim.rrn_hmac) == 64
    assert load_rrn_cipher().decrypt(kim.rrn_encrypted) == "900305-2345678"
    assert kim.rrn_hmac == load_rrn_cipher().keyed_hash("9003052345678")
    assert kim.skills == "Python;SQL"  # trimmed, repeat dropped
    assert kim.resume_text == "웹 서비스 백엔드 개발 6년\n결제 시스템 운영"
    assert (kim.riasec_r, kim.riasec_i, kim.riasec_c) == (2.0, 4.5, 5.0)
    assert kim.desired_region_code == kim.region_code == "11" and kim.source == "import"
    park = seekers["박민준"]
    assert park.sex == "M"  # "m" normalised
    assert park.benefit_status is False and park.disability is True and park.career_years == 1.5
    assert park.rrn_encrypted is None and park.rrn_hmac is None and park.email == ""
    assert (park.riasec_r, park.riasec_i, park.riasec_a, park.riasec_s, park.riasec_e, park.riasec_c) == (3.0,) * 6
    lee = seekers["이서연"]
    assert lee.education == "중졸이하" and lee.last_keco is None and lee.benefit_status is True
    assert certs == {
        ("김하늘", "C0001"),
        ("김하늘", "C0002"),
        ("박민준", "C0003"),
        ("이서연", "C0004"),
        ("최우진", "C0005"),
    }
    assert report.warnings == (
        # Line 6: the first record's resume_text spans lines 2–3.
        "6행: 자격증 '바리스타 2급'은(는) 자격증 참조표에 없어 저장하지 않았습니다",
        "주민등록번호(rrn)가 3개 행에 있습니다. 법령 근거 없이 처리할 수 없는 정보입니다 (개인정보보호법 제24조의2): "
        "꼭 필요한 경우가 아니면 rrn 열을 빼고 가져오세요",
    )


def test_each_bad_seeker_row_has_its_line_numbered_korean_message(engine: Engine) -> None:
    errors = _errors(lambda: _seekers(engine, SEEKERS_BAD))

    assert errors == (
        "3행: external_id 'S-0001'가 2행과 중복됩니다",
        "4행: sex 값 'X'는 허용되지 않습니다 (M, F)",
        "5행: benefit_status 값 'maybe'는 허용되지 않습니다 (true/false, Y/N, 1/0)",
        "6행: rrn의 생년월일 부분(앞 6자리와 성별 자리)이 birth_date와 맞지 않습니다",
        "7행: rrn의 성별 자리(뒤 첫 자리)가 sex와 맞지 않습니다",
        "8행: career_years(10)가 나이(20세)−15 = 5년보다 큽니다",
        "9행: riasec_r 값 '6'는 1 이상 5 이하여야 합니다",
        "10행: phone 값이 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)",
        "11행: email 값이 이메일 주소 형식이 아닙니다 (예: name@example.com)",
        "12행: desired_keco 값 '000'는 KECO 소분류 코드표에 없습니다",
        "13행: birth_date 값이 없는 날짜입니다",
        "14행: education 값 '초졸'는 허용되지 않습니다 (중졸이하, 고졸, 전문대졸, 대졸, 석사)",
        "15행: rrn 형식이 YYMMDD-GNNNNNN(숫자 13자리, 가운데 하이픈)이 아닙니다",
    )
    assert _counts(engine)["seekers"] == 0


def test_personal_data_is_not_echoed_in_errors(engine: Engine) -> None:
    errors = _errors(lambda: _seekers(engine, SEEKERS_BAD))
    assert not any("010-12-345" in e or "haneul.example.com" in e or "9003052345678" in e for e in errors)


def test_bad_seeker_among_valid_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    _postings(engine, POSTINGS_VALID)
    before = _counts(engine)
    text = SEEKERS_VALID.read_text(encoding="utf-8")
    path = _write(tmp_path / "seekers.csv", text.replace("S-0004,최우진,2003-01-02", "S-0004,최우진,2003-13-02"))

    assert _errors(lambda: _seekers(engine, path)) == ("6행: birth_date 값이 없는 날짜입니다",)
    assert _counts(engine) == before


def test_certificates_without_mapping_are_kept_when_they_fit(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)
    path = _write(tmp_path / "s.csv", SEEKERS_VALID.read_text(encoding="utf-8"))

    report = import_seekers(engine, path, known_keco=KECO, known_regions=REGIONS)

    with Session(engine) as session:
        stored = set(session.scalars(select(SeekerCertificate.certificate_id)))
    assert stored == {"정보처리기사", "SQLD", "요양보호사", "한식조리기능사", "지게차운전기능사", "바리스타 2급"}
    assert report.related_rows == {"seeker_certificates": 6}


# --------------------------------------------------------------------------- command line


@pytest.fixture()
def no_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads the reference tables; keep these tests independent of them."""
    monkeypatch.setattr(importers.codes, "_load_reference", lambda: None)


@pytest.mark.usefixtures("no_reference")
def test_cli_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    code = main_import(["import", "postings", "--input", str(POSTINGS_VALID), "--db-url", url])

    out = capsys.readouterr().out
    assert code == 0
    assert "postings: 6건을 가져왔습니다 (함께 추가: employers 4건)" in out
    assert "8행: 임금이 2025년 최저임금보다 낮습니다" in out
    eng = make_engine(url)
    try:
        assert _counts(eng)["postings"] == 6
    finally:
        eng.dispose()


@pytest.mark.usefixtures("no_reference")
def test_cli_invalid_input_prints_errors_and_returns_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    bad = shutil.copy(SEEKERS_BAD, tmp_path / "bad.csv")

    code = main_import(["seekers", "--input", str(bad), "--db-url", url])

    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == "3행: external_id 'S-0001'가 2행과 중복됩니다"
    assert "4행: sex 값 'X'는 허용되지 않습니다 (M, F)" in err
    # Without a KECO reference table only the format is checked, so line 12's '000' passes.
    assert not any(line.startswith("12행") for line in err)
    assert err[-1].startswith("오류 12건: 아무것도 저장하지 않았습니다")
    eng = make_engine(url)
    try:
        assert _counts(eng)["seekers"] == 0
    finally:
        eng.dispose()


@pytest.mark.usefixtures("no_reference")
def test_cli_usage_errors_return_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main_import(["courses", "--input", "x.csv", "--db-url", url]) == 2
    assert main_import(["postings", "--input", str(tmp_path / "missing.csv"), "--db-url", url]) == 2
    assert "파일을 찾을 수 없습니다" in capsys.readouterr().err
