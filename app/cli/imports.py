"""Command line: ``python -m app import {postings,seekers} --input FILE [--db-url URL]``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import secrets
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.db.importers.postings import import_postings
from app.db.importers.results import ImportReport, ImportValidationError
from app.db.importers.seekers import import_seekers
from app.errors import GoyongError

logger = logging.getLogger(__name__)

_IMPORTERS: Mapping[str, Callable[..., ImportReport]] = MappingProxyType(
    {"postings": import_postings, "seekers": import_seekers}
)
_MAX_WARNINGS_PRINTED = 50  # a large file can warn on thousands of rows; the count is always shown


def main_import(argv: list[str] | None = None) -> int:
    """Command line: ``python -m app import {postings,seekers} --input FILE [--db-url URL]``.

    Creates missing tables first (idempotent), then imports. Errors go to stderr one per line,
    the summary and warnings to stdout.

    Args:
        argv: Arguments after ``import`` (a leading ``"import"`` is tolerated); ``None`` means
            ``sys.argv[1:]``.

    Returns:
        0 on success, 2 on invalid input or usage (nothing written), 1 on a database failure or
        a database that needs ``python -m app build`` first (nothing written). A database failure
        prints one Korean line with a log number; the details go to the log under that number,
        never the rows' values.
    """
    # Imported here so that importing this module never touches settings or the database.
    from app.db.engine import make_engine
    from app.db.migrations import pending_migrations
    from app.db.repositories.world import ensure_schema

    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["import"]:
        args_in = args_in[1:]
    parser = argparse.ArgumentParser(
        prog="python -m app import", description="CSV 파일의 구인공고 또는 구직자를 데이터베이스로 가져옵니다."
    )
    parser.add_argument("kind", choices=sorted(_IMPORTERS), help="가져올 자료 종류")
    parser.add_argument("--input", required=True, type=Path, help="UTF-8 CSV 파일 (docs/importing.md 형식)")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL (기본값: 설정의 GOYONG_DB_URL)")
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exit_:  # argparse exits on bad usage; a function should return instead
        return int(exit_.code or 0)

    engine = make_engine(args.db_url)
    started = dt.datetime.now(dt.UTC)
    try:
        ensure_schema(engine)
        pending = pending_migrations(engine)
        if pending:
            print(
                f"데이터베이스를 먼저 최신 형식으로 바꿔야 합니다 ({', '.join(pending)}): "
                "`python -m app build`를 실행한 뒤 다시 가져오세요. 아무것도 저장하지 않았습니다",
                file=sys.stderr,
            )
            return _recorded(engine, args, started, 1)
        report = _IMPORTERS[args.kind](engine, args.input)
    except ImportValidationError as exc:
        for message in exc.errors:
            print(message, file=sys.stderr)
        print(f"오류 {len(exc.errors)}건: 아무것도 저장하지 않았습니다 ({args.input})", file=sys.stderr)
        return _recorded(engine, args, started, 2, errors=len(exc.errors))
    except GoyongError as exc:  # e.g. the 주민등록번호 key is missing or not the database's
        print(f"{exc.user_message} (아무것도 저장하지 않았습니다)", file=sys.stderr)
        return _recorded(engine, args, started, 1)
    except SQLAlchemyError as exc:
        log_id = _log_database_error(exc, args.kind)
        print(
            f"데이터베이스 오류로 아무것도 저장하지 않았습니다 (로그 번호 {log_id}). "
            "관리자에게 이 번호를 알려 주세요",
            file=sys.stderr,
        )
        return _recorded(engine, args, started, 1)
    else:
        _print_report(report)
        return _recorded(engine, args, started, 0, rows=report.rows_written, errors=0)
    finally:
        engine.dispose()


def _recorded(engine: Engine, args: argparse.Namespace, started: dt.datetime, exit_code: int, *, rows: int = 0,
              errors: int = 0) -> int:
    """Write the import's run record (``app.services.audit.record_command_run``); ``exit_code``, or 1
    when it cannot be written. The rows are already committed by then (the importer owns its
    transaction), so a failed record is reported, not undone."""
    from app.services import audit

    run = audit.CommandRun(command=f"import {args.kind}", started=started, finished=dt.datetime.now(dt.UTC),
                           input_sha256=audit.file_sha256(args.input), rows_in=rows, rows_out=rows, errors=errors,
                           exit_code=exit_code)
    try:
        audit.record_command_run(engine, run)
    except audit.AuditUnavailable as err:
        print(f"실행 기록(감사 로그)을 남기지 못했습니다: {err.user_message}", file=sys.stderr)
        return 1
    return exit_code


def _print_report(report: ImportReport) -> None:
    related = ", ".join(f"{table} {count}건" for table, count in report.related_rows.items())
    print(f"{report.table}: {report.rows_written}건을 가져왔습니다" + (f" (함께 추가: {related})" if related else ""))
    if report.warnings:
        print(f"경고 {len(report.warnings)}건:")
        for message in report.warnings[:_MAX_WARNINGS_PRINTED]:
            print(f"  - {message}")
        if len(report.warnings) > _MAX_WARNINGS_PRINTED:
            print(f"  … 외 {len(report.warnings) - _MAX_WARNINGS_PRINTED}건")


def _log_database_error(exc: SQLAlchemyError, kind: str) -> str:
    """Log a failed import under a fresh number and return the number.

    Only the kinds of error and the SQL text go to the log: not ``str(exc)``, whose driver message
    can quote a row (PostgreSQL's "Failing row contains (…)", a rejected value), and not the
    bound parameters (the engine hides them as well).
    """
    log_id = secrets.token_hex(4)
    original = getattr(exc, "orig", None)
    statement = " ".join(str(getattr(exc, "statement", "") or "").split())[:500]
    _log_to_file()
    logger.error(
        "import %s failed [log %s]: %s (driver %s, sqlstate %s) during: %s",
        kind, log_id, type(exc).__name__, type(original).__name__ if original is not None else "-",
        getattr(original, "sqlstate", None) or getattr(original, "pgcode", None) or "-", statement or "-",
    )
    return log_id


def _log_to_file() -> None:
    """Send this module's log to the settings' log file, not to the console (one handler, moved
    when the settings name another file)."""
    from app.config import get_settings

    path = get_settings().log_file.resolve()
    current = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    if any(h.baseFilename == str(path) for h in current):
        return
    for handler in current:
        logger.removeHandler(handler)
        handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
