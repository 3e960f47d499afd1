"""Audit log of model outputs shown to users and of command-line runs (AI 기본법: every AI output
is recorded).

A row holds who saw it (username and role), what (action, model name and version), for which input
(a SHA-256 hash — never the input itself, so no personal data enters the log) and the output
figures. Callers pass only model outputs in ``output``; :func:`log_model_output` refuses keys
that look like personal data as a second line of defence.

**Fail closed, with a durable local spool.** An output may be shown only once its record is
durable. :func:`log_model_output` writes the row with a short lock wait
(:data:`app.db.repositories.audit.AUDIT_LOCK_WAIT_MS`, not SQLite's 5 s); when the database is
busy or down (a long import holds the write lock) it appends the row to a spool file beside the
SQLite database instead (JSON lines, ``fsync`` before returning). The spool is flushed into the
table by the next successful write and when policy staff open the audit export. When neither the
table nor the spool takes the row, :class:`AuditUnavailable` is raised and the caller shows no
output. A database that is not a SQLite file (PostgreSQL) has no spool: it locks rows, not the
whole database, so an import never blocks the audit insert there, and a failure fails closed.

**Command runs** (``hiring score``, ``employment score``, ``verify``, ``import``) are rows of the
same table with action ``cli.<command>`` and role ``cli``: the input file's SHA-256 as the input
hash, the model versions, and row counts, exit code, start and finish (KST) and output path as
the output (:func:`record_command_run`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.access import ROLE_LABELS
from app.db.repositories import audit as audit_repo
from app.errors import NotReady
from app.text.korean import KST, format_kst_datetime

__all__ = [
    # recording what is shown, durably
    "AUDIT_LOCK_WAIT_MS", "COMMAND_LOCK_WAIT_MS", "SPOOL_SUFFIX", "AuditUnavailable", "Durability",
    "log_model_output", "spool_path", "pending_spool_rows", "flush_spool", "flush_spool_if_possible",
    # who looked at the audit log, who changed an account
    "NO_MODEL", "ACCOUNT_ACTION_PREFIX", "log_access", "access_row", "record_account_change",
    # command runs
    "COMMAND_ROLE", "COMMAND_ACTION_PREFIX", "CommandRun", "file_sha256", "prepare_command_audit",
    "record_command_run", "model_versions_of",
    # reading and the export
    "load_audit_log", "audit_filter_values", "kst_day_range", "AUDIT_EXPORT_COLUMNS", "COMMAND_RUN_COLUMNS",
    "audit_table", "command_runs_table", "ACTION_LABELS", "action_label", "model_label",
]

logger = logging.getLogger(__name__)

AUDIT_LOCK_WAIT_MS = audit_repo.AUDIT_LOCK_WAIT_MS
"""A page's audit write waits at most this long for another writer (then the row is spooled)."""
COMMAND_LOCK_WAIT_MS = 2_000
"""A command's run record waits longer: nobody is looking at a frozen page."""
SPOOL_SUFFIX = ".audit-spool.jsonl"
"""The spool is ``<database file><SPOOL_SUFFIX>``, beside the SQLite database."""
COMMAND_ROLE = "cli"
"""Role of command-line run records."""
COMMAND_ACTION_PREFIX = "cli."
NO_MODEL = "-"
"""Model name and version of a row that records no model output (an audit-log view, an account change)."""
ACCOUNT_ACTION_PREFIX = "account."

ACTION_LABELS: Final[dict[str, str]] = {
    "hiring.predict": "채용 시뮬레이터 — 채용확률 예측",
    "hiring.whatif": "채용 시뮬레이터 — 조건 변경 시뮬레이션",
    "hiring.plan": "채용 시뮬레이터 — 목표 달성 계획",
    "hiring.similar": "채용 시뮬레이터 — 유사 공고",
    "hiring.policy": "채용 위험 공고 현황 조회",
    "hiring.apply": "채용 시뮬레이터 — 공고에 조건 반영",
    "hiring.consulting": "채용 컨설팅 신청",
    "employment.caseload": "구직자 위험 현황 조회",
    "employment.profile": "구직자 프로파일 조회",
    "employment.whatif": "구직자 프로파일 — 서비스 효과 시뮬레이션",
    "employment.policy": "취업 위험도 기준·공정성 조회",
    "verify.draft": "공고 사전 점검",
    "verify.review_queue": "검증 대기열 조회",
    "verify.review_detail": "검증 대기열 — 공고 상세",
    "verify.review": "검증 대기열 — 검토 결과 저장",
    "verify.rule_test": "검증 규칙 시험",
    "verify.duplicates": "중복 공고 확인",
    "posting_assistant.classify": "공고 작성지원 — 직종 분류",
    "posting_assistant.generate": "공고 작성지원 — 공고문 생성",
    "posting_assistant.verify": "공고 작성지원 — 공고 검증",
    "posting_assistant.hiring_preview": "공고 작성지원 — 채용확률 미리보기",
    "transparency.summary": "AI 투명성 안내 조회",
    "talent.reveal": "인재추천 — 수락한 구직자의 연락처 공개",
    "interest.result": "직업흥미검사 — 결과와 추천 직업",
    "interest.profile": "구직자 프로파일 — 직업흥미검사 결과",
    "interest.policy": "흥미검사 문항은행 현황 조회",
    "training.recommend": "직업훈련 — 추천 과정 조회",
    "training.profile": "구직자 프로파일 — 추천 훈련",
    "training.policy": "훈련 추천 현황 조회",
    "topics.view": "토픽 분석 조회",
    "training.plan_add": "직업훈련 — 상담 계획에 과정 추가",
    "training.plan_remove": "직업훈련 — 상담 계획에서 과정 삭제",
    "copilot.diagnosis": "상담 지원 — 초기 진단",
    "copilot.roadmap": "상담 지원 — 경력 로드맵",
    "copilot.competency": "상담 지원 — 핵심역량 피드백",
    "copilot.cover_letter": "상담 지원 — 자기소개서 첨삭",
    "copilot.fit": "상담 지원 — 추천 직무별 적합성",
    "copilot.stage_qa": "상담 지원 — 단계별 예상 질의응답",
    "copilot.summary": "상담 지원 — 상담 요약",
    "copilot.confirm": "상담 지원 — 상담사 수정본 확정",
    "copilot.summary_save": "상담 지원 — 상담 요약 저장",
    "training.question": "직업훈련 — 구직자의 과정 문의",
    "training.answer": "직업훈련 — 과정 문의에 답변",
    "monitoring.view": "성과·모델 모니터링 조회",
    "audit.view": "감사 로그 조회",
    "audit.export": "감사 로그 내려받기",
    "auth.login": "로그인",
    "auth.login_failed": "로그인 실패",
    "auth.lockout": "로그인 잠김",
    "auth.unlock": "로그인 잠금 해제",
    "auth.logout": "로그아웃",
    "auth.idle_timeout": "장시간 미사용으로 로그아웃",
    "auth.session_revoked": "계정 변경으로 세션 종료",
    "auth.session_restored": "새로고침 후 로그인 유지",
}
"""Korean name of each audit action code (the codes stay in the table; people read these)."""
_ACTION_AREAS: Final[dict[str, str]] = {
    "hiring": "채용 시뮬레이터", "employment": "취업 위험도", "verify": "구인광고 검증", "posting_assistant": "공고 작성지원",
    "transparency": "AI 투명성 안내", "audit": "감사 로그", "auth": "로그인", "account": "계정 관리",
    "consulting": "채용 컨설팅", "talent": "인재추천", "interest": "직업흥미검사",
    "training": "직업훈련추천", "monitoring": "성과·모델 모니터링",
}

_SPOOL_LOCK_WAIT_S = 2.0
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_PII_KEYS = frozenset({"rrn", "phone", "email", "address", "birth_date", "resume_text", "contact"})

Durability = Literal["database", "spool"]


class AuditUnavailable(NotReady):
    """Neither the audit table nor the local spool took the record: the output must not be shown."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "감사 로그를 기록할 수 없어 AI 결과를 표시하지 않습니다. 잠시 후 다시 시도하고, "
                         "계속되면 관리자에게 알려 주세요.")


def _json_safe(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _limited(label: str, value: str, width: int) -> str:
    text = str(value).strip()
    if not text or len(text) > width:
        raise ValueError(f"감사 로그의 {label}은(는) 1~{width}자여야 합니다 (입력: {len(text)}자)")
    return text


def _checked_row(*, username: str, role: str, action: str, model_name: str, model_version: str, input_hash: str,
                 output: Mapping[str, object]) -> dict[str, object]:
    if not _HASH_RE.match(str(input_hash)):
        raise ValueError("입력 해시는 SHA-256 16진수 64자여야 합니다")
    leaked = sorted(_PII_KEYS & {str(k).lower() for k in output})
    if leaked:
        raise ValueError(f"감사 로그에는 개인정보를 남기지 않습니다: {', '.join(leaked)}")
    return dict(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        username=_limited("사용자", username, 40),
        role=_limited("역할", role, 16),
        action=_limited("동작", action, 40),
        model_name=_limited("모델 이름", model_name, 40),
        model_version=_limited("모델 버전", model_version, 40),
        input_hash=str(input_hash),
        output=json.loads(json.dumps(_json_safe(output), ensure_ascii=False)),
    )


# --------------------------------------------------------------------------- spool


def spool_path(engine: Engine) -> Path | None:
    """The spool file of ``engine``'s database: beside a SQLite file, ``None`` for any other database."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or url.database.startswith("file:"):
        return None
    database = Path(url.database)
    return database.with_name(database.name + SPOOL_SUFFIX)


def _spool_lock(path: Path) -> FileLock:
    # filelock rather than fcntl by hand: the page threads of one server and the commands run
    # beside it are separate processes, and it works the same on every platform
    return FileLock(str(path) + ".lock", timeout=_SPOOL_LOCK_WAIT_S)


def _append_to_spool(path: Path, row: Mapping[str, object]) -> None:
    line = json.dumps({**row, "at": row["at"].isoformat()}, ensure_ascii=False)  # type: ignore[union-attr]
    created = not path.exists()
    with _spool_lock(path), path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    if created:  # the new directory entry must survive a crash too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def pending_spool_rows(engine: Engine) -> int:
    """Rows waiting in the spool (0 without a spool)."""
    path = spool_path(engine)
    if path is None or not path.is_file():
        return 0
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def flush_spool(engine: Engine) -> int:
    """Move spooled rows into the audit table (one transaction), then empty the spool.

    Rows already in the table are skipped, so a crash between the commit and emptying the file adds
    nothing twice. A line that is not a valid row (a torn write) is kept in ``<spool>.rejected``.

    Returns:
        Rows added to the table.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The database is still busy (the spool stays as it was).
        filelock.Timeout: Another process holds the spool.
    """
    path = spool_path(engine)
    if path is None or not path.is_file():
        return 0
    with _spool_lock(path):
        rows, rejected = [], []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    row["at"] = dt.datetime.fromisoformat(row["at"])
                    rows.append(_checked_spooled(row))
                except (ValueError, KeyError, TypeError):
                    rejected.append(line if line.endswith("\n") else line + "\n")
        added = audit_repo.add_spooled_rows(engine, rows) if rows else 0
        if rejected:
            logger.warning("audit spool: %d unreadable line(s) kept in %s.rejected", len(rejected), path.name)
            with open(str(path) + ".rejected", "a", encoding="utf-8") as handle:
                handle.writelines(rejected)
        path.unlink()
    return added


def _checked_spooled(row: Mapping[str, object]) -> dict[str, object]:
    checked = _checked_row(**{k: row[k] for k in ("username", "role", "action", "model_name", "model_version",
                                                  "input_hash", "output")})  # type: ignore[arg-type]
    checked["at"] = row["at"]
    return checked


def flush_spool_if_possible(engine: Engine) -> int | None:
    """:func:`flush_spool`, or ``None`` when the database or the spool is still busy (the rows
    stay spooled for the next try)."""
    path = spool_path(engine)
    if path is None or not path.exists():
        return 0
    try:
        flushed = flush_spool(engine)
    except (SQLAlchemyError, Timeout, OSError):
        logger.warning("audit spool not flushed yet (database or spool busy)")
        return None
    logger.info("audit spool: %d row(s) moved into the audit table", flushed)
    return flushed


def _write_durably(engine: Engine, row: dict[str, object], wait_ms: int) -> Durability:
    try:
        audit_repo.add_audit_row(engine, row, wait_ms=wait_ms)
    except SQLAlchemyError as exc:
        path = spool_path(engine)
        if path is None:
            logger.error("audit write failed (%s) and the database has no spool", exc.__class__.__name__)
            raise AuditUnavailable() from None
        try:
            _append_to_spool(path, row)
        except (OSError, Timeout) as spool_error:
            logger.error("audit write failed (%s) and so did the spool (%s)", exc.__class__.__name__,
                         spool_error.__class__.__name__)
            raise AuditUnavailable() from None
        logger.warning("audit row spooled: database busy (%s)", exc.__class__.__name__)
        return "spool"
    flush_spool_if_possible(engine)
    return "database"


def log_model_output(
    engine: Engine,
    *,
    username: str,
    role: str,
    action: str,
    model_name: str,
    model_version: str,
    input_hash: str,
    output: Mapping[str, object],
) -> Durability:
    """Record one model output shown to a user, durably, before it is shown (time in UTC).

    Args:
        engine: Product database.
        username: Who saw it.
        role: Their role (employer, counsellor, policy …).
        action: What was shown, e.g. ``"hiring.predict"``.
        model_name: Artifact name, e.g. ``"hiring"``.
        model_version: Version of the model that answered.
        input_hash: SHA-256 hex digest of the canonical input (not the input).
        output: The figures shown (JSON-safe after conversion; numpy numbers are converted).

    Returns:
        ``"database"`` when the row is in the table, ``"spool"`` when it waits in the local spool.

    Raises:
        ValueError: A field is empty or too long, the hash is not a SHA-256 hex digest, or the
            output holds a personal-data key.
        AuditUnavailable: The record is not durable anywhere: show nothing.
    """
    row = _checked_row(username=username, role=role, action=action, model_name=model_name,
                       model_version=model_version, input_hash=input_hash, output=output)
    return _write_durably(engine, row, AUDIT_LOCK_WAIT_MS)


# --------------------------------------------------------------------------- access to the log, account changes


def log_access(engine: Engine, *, username: str, role: str, action: str, input_hash: str,
               output: Mapping[str, object]) -> Durability:
    """Record an action that shows no model output but must be accountable (e.g. ``audit.view``,
    ``audit.export``): durable like :func:`log_model_output` (table, else spool), model ``-``.

    Raises:
        ValueError: A malformed row (see :func:`log_model_output`).
        AuditUnavailable: The record is not durable anywhere: do not go on.
    """
    row = _checked_row(username=username, role=role, action=action, model_name=NO_MODEL, model_version=NO_MODEL,
                       input_hash=input_hash, output=output)
    return _write_durably(engine, row, AUDIT_LOCK_WAIT_MS)


def access_row(*, username: str, role: str, action: str, input_hash: str,
               output: Mapping[str, object]) -> dict[str, object]:
    """A checked audit row of an action that changes records (no model output), for a repository to
    store in the same transaction as the change (:func:`app.db.repositories.audit.add_audit_row_in`):
    the change and its record commit together or not at all.

    Raises:
        ValueError: A malformed row (see :func:`log_model_output`).
    """
    return _checked_row(username=username, role=role, action=action, model_name=NO_MODEL, model_version=NO_MODEL,
                        input_hash=input_hash, output=output)


def record_account_change(engine: Engine, *, change: str, account: str, account_hash: str,
                          details: Mapping[str, object] | None = None) -> Durability:
    """Record a change of a login account made with ``python -m app users`` (who, what, which account).

    The row: the operator's login name as user, role ``cli``, action ``account.<change>``
    (``add``, ``reset_password``, ``disable``, ``enable``), the account's key as input hash and
    ``{"account": id, **details}`` as output. Never a password, hash or display name (a display name
    may be a person's name).

    Args:
        engine: Product database.
        change: What was done.
        account: Login id of the account.
        account_hash: ``app.services.login.account_key`` of the id (the key the login rows use).
        details: Non-personal facts of the change (role, employer id, whether anything changed).

    Raises:
        AuditUnavailable: Not durable anywhere.
    """
    try:
        row = _checked_row(username=_operator(), role=COMMAND_ROLE, action=ACCOUNT_ACTION_PREFIX + change,
                           model_name=NO_MODEL, model_version=NO_MODEL, input_hash=account_hash,
                           output={"account": account, **dict(details or {})})
    except ValueError:
        logger.exception("account change record refused")
        raise AuditUnavailable() from None
    return _write_durably(engine, row, COMMAND_LOCK_WAIT_MS)


# --------------------------------------------------------------------------- command runs


def file_sha256(path: Path) -> str | None:
    """SHA-256 hex digest of a file read in chunks (a large input never sits in memory), or
    ``None`` when it cannot be read."""
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class CommandRun:
    """One run of a command, as its audit record keeps it (no personal data: counts and hashes).

    Attributes:
        command: e.g. ``"hiring score"``.
        started: When it started (timezone-aware).
        finished: When it finished (timezone-aware).
        input_sha256: SHA-256 of the input file, ``None`` when it could not be read.
        rows_in: Rows read without an error.
        rows_out: Rows written to the output (0 when nothing was written).
        errors: Error lines reported.
        models: Model (or rule set) name → version used.
        exit_code: The command's exit code.
        output_path: The output file (empty when the command has none).
    """

    command: str
    started: dt.datetime
    finished: dt.datetime
    input_sha256: str | None
    rows_in: int
    rows_out: int
    errors: int
    exit_code: int
    models: Mapping[str, str] = field(default_factory=dict)
    output_path: str = ""


def prepare_command_audit(engine: Engine) -> None:
    """Check, before a command does any work, that its run record has somewhere to go; create the
    audit table in a database that predates it.

    Raises:
        AuditUnavailable: The configured SQLite database file does not exist (a command never
            creates a database of its own just to hold its record).
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:") and not Path(url.database).is_file():
        raise AuditUnavailable(f"실행 기록을 남길 데이터베이스가 없어 실행하지 않았습니다: {url.database}\n"
                               "python -m app build로 만들거나 GOYONG_DB_URL 설정을 확인하세요.")
    try:
        audit_repo.ensure_audit_table(engine)
    except SQLAlchemyError:
        logger.warning("audit table not checked: database busy (the run record may be spooled)")


def _operator() -> str:
    try:
        return getpass.getuser()[:40] or "unknown"
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"


def record_command_run(engine: Engine, run: CommandRun) -> Durability:
    """Write a command's run record (table, else spool) before its output counts as delivered.

    A command whose record fails exits 1 and leaves no output file (``app.cli.runner``).

    Raises:
        AuditUnavailable: Not durable anywhere (the command fails closed).
    """
    names = ",".join(run.models) or "-"
    versions = "/".join(str(v) for v in run.models.values()) or "-"
    output = {
        "command": run.command,
        "started_at": run.started.astimezone(KST).isoformat(timespec="seconds"),
        "finished_at": run.finished.astimezone(KST).isoformat(timespec="seconds"),
        "input_readable": run.input_sha256 is not None,
        "rows_in": int(run.rows_in), "rows_out": int(run.rows_out), "errors": int(run.errors),
        "models": {str(k): str(v) for k, v in run.models.items()},
        "exit_code": int(run.exit_code), "output_path": str(run.output_path),
    }
    try:
        row = _checked_row(
            username=_operator(), role=COMMAND_ROLE, action=COMMAND_ACTION_PREFIX + run.command.replace(" ", "_"),
            model_name=names[:40], model_version=versions[:40],
            input_hash=run.input_sha256 or hashlib.sha256(b"").hexdigest(), output=output,
        )
    except ValueError:
        logger.exception("command run record refused")
        raise AuditUnavailable() from None
    return _write_durably(engine, row, COMMAND_LOCK_WAIT_MS)


# --------------------------------------------------------------------------- reading and export


def load_audit_log(engine: Engine, limit: int = 200, **filters: object) -> pd.DataFrame:
    """The latest ``limit`` audit rows, newest first (``at`` is UTC); ``filters`` as in
    :func:`app.db.repositories.audit.load_audit_log` (since, until, usernames, roles, actions,
    model_names, command_runs)."""
    return audit_repo.load_audit_log(engine, limit, **filters)  # type: ignore[arg-type]


def audit_filter_values(engine: Engine) -> dict[str, list[str]]:
    """Choices of the export filters: ``username``, ``role``, ``action``, ``model_name``."""
    return audit_repo.load_audit_values(engine)


def kst_day_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``(since, until)`` in naive UTC (how the table stores time) covering KST days ``first``..``last``."""
    if last < first:
        raise ValueError("끝 날짜가 시작 날짜보다 앞섭니다")
    since = dt.datetime.combine(first, dt.time(), KST).astimezone(dt.UTC).replace(tzinfo=None)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), KST).astimezone(dt.UTC).replace(tzinfo=None)
    return since, until


AUDIT_EXPORT_COLUMNS: tuple[str, ...] = (
    "시각(KST)", "사용자", "역할", "동작", "모델", "모델 버전", "입력 해시(SHA-256)", "출력",
)
COMMAND_RUN_COLUMNS: tuple[str, ...] = (
    "명령", "시작(KST)", "종료(KST)", "실행 계정", "입력 파일 SHA-256", "읽은 행", "출력 행", "오류", "모델",
    "종료 코드", "출력 파일",
)


def action_label(code: str) -> str:
    """Korean name of an audit action code: its own name, else the area it belongs to (an action
    added later still reads as Korean rather than as a code)."""
    code = str(code)
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    if code.startswith(COMMAND_ACTION_PREFIX):
        return "명령줄 실행 — " + code.removeprefix(COMMAND_ACTION_PREFIX).replace("_", " ")
    area = code.partition(".")[0]
    if area in _ACTION_AREAS:
        return f"{_ACTION_AREAS[area]} — 기타 동작"
    return "기타 동작"


def model_label(name: str, titles: Mapping[str, str]) -> str:
    """Korean title of a model name (``titles``: :func:`app.services.transparency.model_titles`);
    a row without a model shows "-"."""
    name = str(name)
    if name in ("", NO_MODEL):
        return NO_MODEL
    return titles.get(name, "기타 모델")


def audit_table(frame: pd.DataFrame, model_titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Display and export table of :func:`load_audit_log` rows (:data:`AUDIT_EXPORT_COLUMNS`), with
    Korean names of actions and models (``model_titles``: name → title; names shown as stored when
    omitted)."""
    titles = model_titles or {}
    return pd.DataFrame({
        "시각(KST)": [format_kst_datetime(v) for v in frame["at"]],
        "사용자": frame["username"].astype(str).to_numpy(),
        "역할": [ROLE_LABELS.get(str(r), str(r)) for r in frame["role"]],
        "동작": [action_label(a) for a in frame["action"]],
        "모델": [model_label(m, titles) if titles else str(m) for m in frame["model_name"]],
        "모델 버전": frame["model_version"].astype(str).to_numpy(),
        "입력 해시(SHA-256)": frame["input_hash"].astype(str).to_numpy(),
        "출력": [json.dumps(o, ensure_ascii=False, sort_keys=True) if isinstance(o, Mapping) else str(o)
               for o in frame["output"]],
    }, columns=list(AUDIT_EXPORT_COLUMNS))


def command_runs_table(frame: pd.DataFrame, model_titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Display and export table of command-run rows (:data:`COMMAND_RUN_COLUMNS`); models by their
    Korean titles when ``model_titles`` is given."""
    titles = model_titles or {}
    outputs = [o if isinstance(o, Mapping) else {} for o in frame["output"]]

    def kst(text: object) -> str:
        return str(text).replace("T", " ")[:19] if text else "-"

    return pd.DataFrame({
        "명령": [str(o.get("command", a)) for o, a in zip(outputs, frame["action"], strict=True)],
        "시작(KST)": [kst(o.get("started_at")) for o in outputs],
        "종료(KST)": [kst(o.get("finished_at")) for o in outputs],
        "실행 계정": frame["username"].astype(str).to_numpy(),
        "입력 파일 SHA-256": [h if o.get("input_readable", True) else "(읽지 못함)"
                          for h, o in zip(frame["input_hash"].astype(str), outputs, strict=True)],
        "읽은 행": [int(o.get("rows_in", 0)) for o in outputs],
        "출력 행": [int(o.get("rows_out", 0)) for o in outputs],
        "오류": [int(o.get("errors", 0)) for o in outputs],
        "모델": [", ".join(f"{titles.get(k, k)} {v}" for k, v in (o.get("models") or {}).items()) or "-"
               for o in outputs],
        "종료 코드": [int(o.get("exit_code", -1)) for o in outputs],
        "출력 파일": [str(o.get("output_path", "")) for o in outputs],
    }, columns=list(COMMAND_RUN_COLUMNS))


def model_versions_of(scorer: object, names: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """``{model name: version}`` of what scored a command's rows (the object's ``version`` under its
    module's ``MODEL_NAME``; a rule set's ``rules.version`` as ``rules``), plus ``names``."""
    found: dict[str, str] = dict(names)
    version = getattr(scorer, "version", None)
    if version is not None:
        module = sys.modules.get(type(scorer).__module__)
        found[str(getattr(module, "MODEL_NAME", type(scorer).__name__))] = str(version)
    rules = getattr(scorer, "rules", None)
    if rules is not None and getattr(rules, "version", None) is not None:
        found["rules"] = str(rules.version)
    return found
