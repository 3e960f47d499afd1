"""Store what the copilot showed and what the counsellor confirmed, beside each other.

* :func:`record_shown` keeps each output once per day and input (a page drawn again is not a new
  output), so later quality review can compare the original with the counsellor's version.
* :func:`confirm_output` stores the counsellor's edited version of a shown output, and
  :func:`save_summary` a counselling summary the counsellor edited and confirmed; each writes its
  audit row in the same transaction (ids and counts only).

Every text stored is masked again here (with the seeker's own name), whatever the caller did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine

from app.copilot.generation import CopilotOutput
from app.db.repositories import audit as audit_repo
from app.db.repositories import copilot as repo
from app.db.repositories import seekers as seeker_repo
from app.db.repositories import unit_of_work
from app.errors import InvalidInput, NotFound
from app.services import audit
from app.services.copilot.context import own_seeker_id, require_counsellor
from app.text.korean import format_kst_datetime, today_kst
from app.text.pii import mask_pii

CONFIRM_ACTION = "copilot.confirm"
"""Audit action of a counsellor confirming (and possibly editing) a copilot output."""
SUMMARY_ACTION = "copilot.summary_save"
"""Audit action of a counselling summary saved to the record."""
MAX_EDIT_CHARS = 20_000
"""Longest edited output stored (a cover letter and its notes fit many times over)."""


class CopilotEditError(InvalidInput):
    """An edited output that cannot be stored (Korean message; nothing changed)."""


class CopilotRecordNotFound(NotFound):
    """No such output of this seeker."""


def _masked_json(uow, seeker_id: int, data: Mapping[str, object]) -> str:  # noqa: ANN001 - Session
    name = seeker_repo.seeker_name(uow, seeker_id)
    if name is None:
        raise CopilotRecordNotFound("구직자를 찾을 수 없습니다.")
    names = [name] if name else []

    def masked(value: object) -> object:
        if isinstance(value, str):
            return mask_pii(value, names=names)
        if isinstance(value, Mapping):
            return {str(k): masked(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [masked(v) for v in value]
        return value

    text = json.dumps(masked(dict(data)), ensure_ascii=False, default=str)
    if len(text) > MAX_EDIT_CHARS:
        raise CopilotEditError(f"저장할 내용이 너무 깁니다 ({MAX_EDIT_CHARS:,}자 이하로 줄여 주세요).")
    return text


def _audit(uow, user, action: str, seeker_id: int, record_id: int, extra: Mapping[str, object]) -> None:  # noqa: ANN001
    digest = hashlib.sha256(f"{action}|{seeker_id}|{record_id}".encode()).hexdigest()
    audit_repo.add_audit_row_in(uow, audit.access_row(
        username=user.username, role=user.role, action=action, input_hash=digest,
        output={"seeker_id": int(seeker_id), "record_id": int(record_id), **extra}))


def record_shown(engine: Engine, user, seeker_id: int, output: CopilotOutput, input_hash: str) -> int:  # noqa: ANN001
    """Keep a shown output (once per KST day and input); returns its record id.

    The audit row of the output itself is written by the page before it is drawn (no log row, no
    output); this keeps the text for the counsellor's later edits and for quality review.

    Raises:
        CopilotAccessDenied: Neither a counsellor nor the seeker themselves.
    """
    if user.role != "seeker" or own_seeker_id(user) != int(seeker_id):
        require_counsellor(user)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        today = today_kst()
        found = repo.recent_record_id(uow, seeker_id=seeker_id, task=output.task, input_hash=input_hash,
                                      since=audit.kst_day_range(today, today)[0])
        if found is not None:
            return found
        original = _masked_json(uow, seeker_id, output.to_record())
        return repo.add_record(uow, seeker_id=seeker_id, task=output.task, backend=output.backend,
                               version=output.version, input_hash=input_hash, original=original,
                               created_by=user.username)


def confirm_output(engine: Engine, user, seeker_id: int, record_id: int, edited: Mapping[str, object]) -> None:  # noqa: ANN001
    """Store the counsellor's version of a shown output beside the original, with its audit row.

    Raises:
        CopilotAccessDenied: Not a counsellor.
        CopilotRecordNotFound: No such output of this seeker.
        CopilotEditError: The edited version is too long.
    """
    require_counsellor(user)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        text = _masked_json(uow, seeker_id, edited)
        if not repo.confirm_record(uow, record_id, seeker_id=seeker_id, edited=text, confirmed_by=user.username):
            raise CopilotRecordNotFound("저장할 상담 지원 결과를 찾을 수 없습니다. 화면을 새로 고쳐 주세요.")
        _audit(uow, user, CONFIRM_ACTION, seeker_id, record_id, {"chars": len(text)})


def save_summary(engine: Engine, user, seeker_id: int, output: CopilotOutput, fields: Mapping[str, object],  # noqa: ANN001
                 *, session_date: dt.date, input_hash: str) -> int:
    """Save a counselling summary the counsellor edited and confirmed: the copilot's original and the
    confirmed fields in one row, with the audit row, in one transaction.

    Returns:
        The record id.
    """
    require_counsellor(user)
    repo.ensure_tables(engine)
    with unit_of_work(engine) as uow:
        original = _masked_json(uow, seeker_id, output.to_record())
        edited = _masked_json(uow, seeker_id, fields)
        record_id = repo.add_record(uow, seeker_id=seeker_id, task=output.task, backend=output.backend,
                                    version=output.version, input_hash=input_hash, original=original,
                                    created_by=user.username, edited=edited, status="confirmed",
                                    session_date=session_date)
        _audit(uow, user, SUMMARY_ACTION, seeker_id, record_id, {"session_date": session_date.isoformat()})
    return record_id


def saved_summaries(engine: Engine, seeker_id: int) -> list[dict[str, object]]:
    """A seeker's confirmed counselling summaries, newest first: ``session_date``, ``confirmed_by``,
    ``confirmed_at`` (KST text) and ``fields`` (the confirmed summary)."""
    repo.ensure_tables(engine)
    frame = repo.load_records(engine, seeker_id, task="summary", confirmed_only=True)
    out = []
    for row in frame.itertuples(index=False):
        try:
            fields = json.loads(str(row.edited or "{}"))
        except ValueError:
            continue
        out.append({"session_date": None if pd.isna(row.session_date) else pd.Timestamp(row.session_date).date(),
                    "confirmed_by": str(row.confirmed_by or ""), "confirmed_at": format_kst_datetime(row.confirmed_at),
                    "fields": fields})
    return out


def edit_review(engine: Engine) -> pd.DataFrame:
    """Per task: outputs kept, confirmed and changed by the counsellor (for quality review)."""
    repo.ensure_tables(engine)
    return repo.edit_counts(engine)
