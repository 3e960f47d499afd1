"""Import job postings: ``postings`` rows, and the hiring firms in ``employers`` matched by 사업자등록번호."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import bounds, labour
from app.db.importers.codes import resolve_codes
from app.db.importers.fields import show
from app.db.importers.passes import RowFormat, valid_chunks, validate_file
from app.db.importers.results import ImportReport, ImportValidationError
from app.db.importers.rows import POSTING_COLUMNS_OPTIONAL, POSTING_COLUMNS_REQUIRED, PostingRow
from app.db.importers.wages import load_minimum_wage_screen
from app.db.orm import Employer, Posting

POSTINGS = RowFormat("postings", PostingRow, POSTING_COLUMNS_REQUIRED, POSTING_COLUMNS_OPTIONAL)
_IN_CLAUSE_BATCH = 500  # keeps IN (...) lists below SQLite's bound-parameter limit


@dataclass
class _EmployerSeen:
    name: str
    industry_code: str
    region_code: str
    first_line: int
    first_open: dt.date


def import_postings(
    engine: Engine,
    path: str | Path,
    *,
    known_keco: set[str] | None = None,
    known_regions: set[str] | None = None,
) -> ImportReport:
    """Import job postings from a CSV file into ``postings`` (and new firms into ``employers``).

    The whole file is validated before anything is written; then all rows are written in one
    transaction. Format: ``docs/importing.md``.

    Args:
        engine: Database with the product schema (``create_schema``).
        path: UTF-8 CSV file (a byte-order mark is fine), header row first.
        known_keco: Allowed KECO 소분류 codes; ``None`` reads them from the reference tables
            (``app.reference.tables``), else only the 3-digit format is checked (and a warning says so).
        known_regions: Allowed 시도 codes; ``None`` reads the reference table, else uses
            :data:`~app.db.importers.codes.REGION_CODES`.

    Returns:
        What was written, with warnings (below-minimum-wage postings, > 52 h weeks, repeats).

    Raises:
        ImportValidationError: Any row or file problem; the database is unchanged.
    """
    path = Path(path)
    codes = resolve_codes(known_keco, known_regions)
    context = codes.context(welfare=True)
    minimum_wages = load_minimum_wage_screen()
    employers: dict[str, _EmployerSeen] = {}
    postings_seen: dict[tuple[str, str, dt.date], int] = {}
    not_compared = 0

    def observe(line: int, row: PostingRow, errors: list[str], warnings: list[str]) -> None:
        nonlocal not_compared
        known = employers.get(row.business_no)
        if known is None:
            employers[row.business_no] = _EmployerSeen(
                row.employer_name, row.industry_code, row.region_code, line, row.open_date
            )
        else:
            if row.employer_name != known.name:
                errors.append(
                    f"{line}행: business_no '{row.business_no}'의 employer_name '{show(row.employer_name)}'가 "
                    f"{known.first_line}행의 '{show(known.name)}'와 다릅니다 (한 사업자등록번호에는 한 기업명)"
                )
            if row.industry_code != known.industry_code:
                warnings.append(
                    f"{line}행: 같은 기업의 industry_code가 {known.first_line}행('{known.industry_code}')과 달라 "
                    f"처음 값 '{known.industry_code}'를 씁니다"
                )
            known.first_open = min(known.first_open, row.open_date)
        key = (row.business_no, row.title, row.open_date)
        if key in postings_seen:
            warnings.append(f"{line}행: {postings_seen[key]}행과 기업·제목·게시일이 같은 공고입니다 (중복 여부 확인)")
        else:
            postings_seen[key] = line
        if not minimum_wages.compares(row.open_date.year):
            not_compared += 1
        elif (message := minimum_wages.warning(line, row)) is not None:
            warnings.append(message)
        body_chars = len(_posting_body(row, _conditions_text(row)))
        if body_chars > bounds.MAX_TEXT_CHARS:
            errors.append(
                f"{line}행: 공고 본문(duties·requirements·preferred·benefits와 근무 조건)이 {body_chars:,}자로 "
                f"최대 {bounds.MAX_TEXT_CHARS:,}자를 넘습니다"
            )
        if row.weekly_hours > labour.MAX_WEEKLY_HOURS:
            warnings.append(
                f"{line}행: 주 {row.weekly_hours:g}시간은 법정 상한 주 {labour.MAX_WEEKLY_HOURS:g}시간을 넘습니다"
            )

    scan = validate_file(path, POSTINGS, context, observe)
    postings_seen.clear()  # only needed for the repeat warnings; free it before the write pass
    warnings = [*codes.notes, *scan.warnings]
    if not_compared:
        warnings.append(minimum_wages.not_compared_note(not_compared))

    written = 0
    try:
        with Session(engine) as session, session.begin():
            employer_ids, created = _ensure_employers(session, employers, warnings)
            for chunk in valid_chunks(path, POSTINGS, context, scan):
                values = [_posting_values(row, employer_ids[row.business_no]) for _, row in chunk]
                session.execute(insert(Posting), values)
                written += len(values)
    except IntegrityError:
        # The only constraint a validated file can still break: another import registered one of
        # the file's firms (employers.business_no is unique) between the lookup and the insert.
        raise ImportValidationError(POSTINGS.table, path, [
            "가져오는 동안 다른 작업이 같은 사업자등록번호의 기업을 등록했습니다. 다시 가져오세요 (아무것도 저장하지 않았습니다)"
        ]) from None
    return ImportReport(POSTINGS.table, written, tuple(warnings), MappingProxyType({"employers": created}))


def _posting_body(row: PostingRow, conditions: str) -> str:
    """The full text shown to seekers: the posting's sections under Korean headings."""
    sections = (
        ("담당 업무", row.duties),
        ("자격 요건", row.requirements),
        ("우대 사항", row.preferred),
        ("근무 조건", conditions),
        ("복리후생", row.benefits),
    )
    return "\n\n".join(f"[{heading}]\n{text}" for heading, text in sections if text)


def _conditions_text(row: PostingRow) -> str:
    return f"{labour.WAGE_TYPE_LABELS[row.wage_type]} {row.wage_amount:,}원, 주 {row.weekly_hours:g}시간, {row.employment_type}"


def _posting_values(row: PostingRow, employer_id: int) -> dict[str, Any]:
    conditions = _conditions_text(row)
    return {
        "employer_id": employer_id,
        "keco_code": row.keco_code,
        "region_code": row.region_code,
        "title": row.title,
        "company_intro": "",
        "duties": row.duties,
        "requirements": row.requirements,
        "preferred": row.preferred,
        "conditions": conditions,
        "benefits": row.benefits,
        "process": "",
        "documents": "",
        "body": _posting_body(row, conditions),
        "wage_type": row.wage_type,
        "wage_amount": row.wage_amount,
        "wage_monthly": row.wage_monthly,
        "weekly_hours": row.weekly_hours,
        "employment_type": row.employment_type,
        "career": row.career,
        "min_career_years": row.min_career_years,
        "education": row.education,
        "welfare_codes": ";".join(row.welfare_codes),
        "headcount": row.headcount,
        "contact": row.contact,
        "open_date": row.open_date,
        "close_date": row.close_date,
        "year": row.open_date.year,
        "source": "import",
    }


def _ensure_employers(
    session: Session, seen: Mapping[str, _EmployerSeen], warnings: list[str]
) -> tuple[dict[str, int], int]:
    """Map every business number to an employer id, creating the employers that are new."""
    ids: dict[str, int] = {}
    numbers = list(seen)  # first-seen order, so new employers get ids in file order
    for start in range(0, len(numbers), _IN_CLAUSE_BATCH):
        batch = numbers[start : start + _IN_CLAUSE_BATCH]
        stmt = (
            select(Employer.business_no, Employer.id, Employer.name)
            .where(Employer.business_no.in_(batch))
            .order_by(Employer.id)
        )
        for business_no, employer_id, name in session.execute(stmt):
            ids[business_no] = employer_id  # business_no is unique: at most one row each
            wanted = seen[business_no]
            if name != wanted.name:
                warnings.append(
                    f"{wanted.first_line}행: 사업자등록번호 {business_no}는 이미 '{name}'(으)로 등록되어 있어 "
                    f"그 기업에 연결했습니다 (파일의 이름 '{wanted.name}'는 쓰지 않음)"
                )
    new = [number for number in numbers if number not in ids]
    if new:
        values = [
            {
                "name": seen[number].name,
                "business_no": number,
                "industry_code": seen[number].industry_code,
                # Not in the posting format: size and headcount are unknown ("" and 0), contact
                # data stays empty rather than guessed from the posting's contact line.
                "size_code": "",
                "workers": 0,
                "region_code": seen[number].region_code,
                "address": "",
                "phone": "",
                "created_on": seen[number].first_open,
            }
            for number in new
        ]
        stmt = insert(Employer).returning(Employer.id, sort_by_parameter_order=True)
        for number, employer_id in zip(new, session.scalars(stmt, values).all(), strict=True):
            ids[number] = employer_id
    return ids, len(new)
