"""Import registered job seekers: ``seekers`` rows and their ``seeker_certificates``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from app.db.importers.codes import resolve_codes
from app.db.importers.fields import CERTIFICATE_ID_LEN, show
from app.db.importers.passes import RowFormat, valid_chunks, validate_file
from app.db.importers.results import ImportReport, ImportValidationError
from app.db.importers.rows import SEEKER_COLUMNS_OPTIONAL, SEEKER_COLUMNS_REQUIRED, SeekerRow
from app.db.migrations import rrn_cipher_for
from app.db.orm import Seeker, SeekerCertificate
from app.db.rrn import RrnCipher, mask_rrns_in_text, rrn_spans_in_text

SEEKERS = RowFormat("seekers", SeekerRow, SEEKER_COLUMNS_REQUIRED, SEEKER_COLUMNS_OPTIONAL)
_IN_CLAUSE_BATCH = 500  # keeps IN (...) lists below SQLite's bound-parameter limit


def import_seekers(
    engine: Engine,
    path: str | Path,
    *,
    known_keco: set[str] | None = None,
    known_regions: set[str] | None = None,
    known_certificates: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import registered job seekers from a CSV file into ``seekers`` and ``seeker_certificates``.

    The whole file is validated before anything is written; then all rows are written in one
    transaction. Format: ``docs/importing.md``. The file's ``external_id`` must be unique within
    the file; the ``seekers`` table has no column for it, so it is not stored. A 주민등록번호 is
    stored only encrypted, with its keyed hash (:mod:`app.db.rrn`); the same number twice in the
    file, or once in the file and once in the database, is an error. A 주민등록번호 written inside
    the résumé or cover letter is stored masked (``******-*******``), with a warning.

    Args:
        engine: Database with the product schema (``create_schema``).
        path: UTF-8 CSV file (a byte-order mark is fine), header row first.
        known_keco: Allowed KECO 소분류 codes (``desired_keco``, ``last_keco``); ``None`` reads
            the reference tables (``app.reference.tables``), else only the 3-digit format is checked.
        known_regions: Allowed 시도 codes; ``None`` reads the reference table, else
            :data:`~app.db.importers.codes.REGION_CODES`.
        known_certificates: Certificate name → ``certificate_id``; ``None`` reads the reference
            ``certificates`` table when it has ``name`` and ``certificate_id`` columns, else the
            cell's entries are stored as ids when they fit (≤ 8 characters). Entries that cannot
            be resolved are skipped with a warning, not rejected.

    Returns:
        What was written, with warnings (skipped certificates, RRNs present).

    Raises:
        ImportValidationError: Any row or file problem; the database is unchanged.
        RrnKeyError: The file has 주민등록번호 and the database's key is missing or another one.
    """
    path = Path(path)
    codes = resolve_codes(known_keco, known_regions, known_certificates, need_certificates=True)
    context = codes.context(welfare=False)
    first_line_of: dict[str, int] = {}
    rrn_line_of: dict[str, int] = {}  # keyed hash -> first line (never the number itself)
    rrn_rows = 0
    texts_with_rrn = 0
    ciphers: list[RrnCipher] = []  # the key is looked up at the first number, not for files without

    def cipher() -> RrnCipher:
        if not ciphers:
            ciphers.append(rrn_cipher_for(engine))
        return ciphers[0]

    def observe(line: int, row: SeekerRow, errors: list[str], warnings: list[str]) -> None:
        nonlocal rrn_rows, texts_with_rrn
        if rrn_spans_in_text(row.resume_text) or rrn_spans_in_text(row.cover_letter_text):
            texts_with_rrn += 1
        if row.rrn:
            keyed_hash = cipher().keyed_hash(row.rrn)
            if keyed_hash in rrn_line_of:
                errors.append(f"{line}행: rrn이 {rrn_line_of[keyed_hash]}행과 같습니다 (한 사람은 한 번만 등록)")
            else:
                rrn_line_of[keyed_hash] = line
        if row.external_id in first_line_of:
            errors.append(
                f"{line}행: external_id '{show(row.external_id)}'가 {first_line_of[row.external_id]}행과 중복됩니다"
            )
        else:
            first_line_of[row.external_id] = line
        _, dropped = _certificate_ids(row.certificates, codes.certificates)
        if dropped:
            reason = "자격증 참조표에 없어" if codes.certificates is not None else f"{CERTIFICATE_ID_LEN}자를 넘는 코드라"
            warnings.append(f"{line}행: 자격증 {', '.join(repr(n) for n in dropped)}은(는) {reason} 저장하지 않았습니다")
        rrn_rows += bool(row.rrn)

    scan = validate_file(path, SEEKERS, context, observe)
    first_line_of.clear()
    registered = _registered_lines(engine, rrn_line_of)
    rrn_line_of.clear()
    if registered:
        raise ImportValidationError(SEEKERS.table, path, [
            f"{line}행: 같은 주민등록번호의 구직자가 이미 등록되어 있습니다 (이미 가져온 파일인지 확인하세요)"
            for line in registered
        ])
    warnings = [*codes.notes, *scan.warnings]
    if rrn_rows:
        warnings.append(
            f"주민등록번호(rrn)가 {rrn_rows}개 행에 있습니다. 법령 근거 없이 처리할 수 없는 정보입니다 "
            "(개인정보보호법 제24조의2): 꼭 필요한 경우가 아니면 rrn 열을 빼고 가져오세요"
        )
    if texts_with_rrn:
        warnings.append(
            f"resume_text·cover_letter_text에 주민등록번호로 보이는 값이 {texts_with_rrn}개 행에 있어 "
            "가려서(******-*******) 저장했습니다"
        )

    written = certificates = 0
    with Session(engine) as session, session.begin():
        for chunk in valid_chunks(path, SEEKERS, context, scan):
            stmt = insert(Seeker).returning(Seeker.id, sort_by_parameter_order=True)
            values = [_seeker_values(row, cipher() if row.rrn else None) for _, row in chunk]
            seeker_ids = session.scalars(stmt, values).all()
            links = [
                {"seeker_id": seeker_id, "certificate_id": cid}
                for seeker_id, (_, row) in zip(seeker_ids, chunk, strict=True)
                for cid in _certificate_ids(row.certificates, codes.certificates)[0]
            ]
            if links:
                session.execute(insert(SeekerCertificate), links)
            written += len(seeker_ids)
            certificates += len(links)
    related = MappingProxyType({"seeker_certificates": certificates})
    return ImportReport(SEEKERS.table, written, tuple(warnings), related)


def _registered_lines(engine: Engine, line_of: Mapping[str, int]) -> list[int]:
    """Lines of the file whose 주민등록번호 (by keyed hash) a stored seeker already has, in order."""
    hashes = list(line_of)
    found: list[int] = []
    with engine.connect() as conn:
        for start in range(0, len(hashes), _IN_CLAUSE_BATCH):
            batch = hashes[start : start + _IN_CLAUSE_BATCH]
            stored = conn.execute(select(Seeker.rrn_hmac).where(Seeker.rrn_hmac.in_(batch)).distinct()).scalars()
            found.extend(line_of[keyed_hash] for keyed_hash in stored)
    return sorted(found)


def _seeker_values(row: SeekerRow, cipher: RrnCipher | None) -> dict[str, Any]:
    token, keyed_hash = cipher.protect(row.rrn) if cipher is not None else (None, None)
    return {
        "name": row.name,
        "rrn_encrypted": token,
        "rrn_hmac": keyed_hash,
        "phone": row.phone,
        "email": row.email,
        "address": row.address,
        "birth_date": row.birth_date,
        "age": row.age,
        "sex": row.sex,
        "disability": row.disability,
        "education": row.education,
        "major": "",
        "region_code": row.region_code,
        "career_years": row.career_years,
        "last_keco": row.last_keco,
        "desired_keco": row.desired_keco,
        "desired_wage": row.desired_wage,
        # The format has no desired-region column: seekers are assumed to look where they live.
        "desired_region_code": row.region_code,
        "region_flexible": False,
        "skills": ";".join(row.skills),
        "riasec_r": row.riasec_r,
        "riasec_i": row.riasec_i,
        "riasec_a": row.riasec_a,
        "riasec_s": row.riasec_s,
        "riasec_e": row.riasec_e,
        "riasec_c": row.riasec_c,
        "benefit_status": row.benefit_status,
        "registered_on": row.registered_on,
        "resume_text": mask_rrns_in_text(row.resume_text),
        "cover_letter_text": mask_rrns_in_text(row.cover_letter_text),
        "source": "import",
    }




def _certificate_ids(names: Sequence[str], mapping: Mapping[str, str] | None) -> tuple[list[str], list[str]]:
    """Resolve certificate names to ids; returns (ids, names that could not be stored)."""
    ids: list[str] = []
    dropped: list[str] = []
    known_ids = frozenset(mapping.values()) if mapping is not None else frozenset()
    for name in names:
        if mapping is not None:
            cid = mapping.get(name) or (name if name in known_ids else None)
        else:
            # No reference table: the cell must already hold ids that fit the column.
            cid = name if len(name) <= CERTIFICATE_ID_LEN else None
        if cid is None:
            dropped.append(name)
        elif cid not in ids:
            ids.append(cid)
    return ids, dropped
