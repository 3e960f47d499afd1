"""Audit logging of model outputs shown on a page (AI 기본법: every AI output is recorded).

The contract: **no log row, no output**. A page calls :func:`log_shown` *before* it draws a model
output and draws it only when the call returns ``True`` — the record is then in the audit table
or in the durable local spool (:mod:`app.services.audit`). When it returns ``False`` a Korean error
has been shown in place of the output.

:func:`log_shown` writes a row once per distinct input: the last logged input hash per
(user, model, action) is kept in session state, so a rerun that shows the same figures again —
another widget moved, the page redrawn — writes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from app.access import ROLE_LABELS
from app.auth import User
from app.services import audit
from app.text.korean import today_kst
from components import resources, state

logger = logging.getLogger(__name__)


def input_hash_of(*parts: object) -> str:
    """SHA-256 hex of parts joined by '|' (e.g. a conditions hash and a plan target)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def artifact_version(name: str) -> str:
    """Version of a built artifact as the manifest records it (``"-"`` when unknown)."""
    entry = (((resources.manifest() or {}).get("models") or {}).get(name)) or {}
    return str(entry.get("version") or "-")


def log_shown(
    engine: Engine,
    user: User,
    *,
    model_name: str,
    action: str,
    model_version: str,
    input_hash: str,
    output: Mapping[str, Any],
) -> bool:
    """Record a model output before it is shown, once per (user, model, action, input) in a row.

    Returns:
        ``True`` when the record is durable (table or spool): draw the output. ``False`` after
        showing a Korean error instead: draw nothing of it.
    """
    problem = record_output(engine, user, model_name=model_name, action=action, model_version=model_version,
                            input_hash=input_hash, output=output)
    if problem:
        st.error(problem, icon=":material/report:")
        return False
    return True


def record_output(
    engine: Engine,
    user: User,
    *,
    model_name: str,
    action: str,
    model_version: str,
    input_hash: str,
    output: Mapping[str, Any],
) -> str:
    """:func:`log_shown` without drawing, for widget callbacks (which run before the page is drawn).

    Returns:
        ``""`` when the record is durable, else the Korean message to show in place of the output.
    """
    # keyed by user too: a logout and another login in the same browser session is another viewer
    slot = f"{user.username}|{model_name}|{action}"
    if state.audit_last_logged().get(slot) == input_hash:
        return ""
    try:
        audit.log_model_output(
            engine,
            username=user.username or "unknown",
            role=user.role or "unknown",
            action=action,
            model_name=model_name,
            model_version=str(model_version),
            input_hash=input_hash,
            output=dict(output),
        )
    except audit.AuditUnavailable as err:
        return err.user_message
    except ValueError:
        # a caller's bug (a malformed record), never the user's: no output without its record
        logger.exception("audit record refused for %s", action)
        return "감사 로그 기록에 실패해 AI 결과를 표시하지 않습니다. 관리자에게 알려 주세요."
    state.set_audit_last_logged(slot, input_hash)
    return ""


# --------------------------------------------------------------------------- audit export (policy staff)

ACCESS_FAILED = "열람 기록을 남기지 못해 감사 로그를 표시하지 않습니다. 잠시 후 다시 시도하고, 계속되면 관리자에게 알려 주세요."
DOWNLOAD_NOT_RECORDED = "방금 내려받은 감사 로그 CSV의 내려받기 기록을 남기지 못했습니다. 관리자에게 알려 주세요."


def log_audit_view(engine: Engine, user: User, flt: AuditFilter, *, rows: int, runs: int) -> bool:
    """Record that ``user`` is about to see the audit log with ``flt`` (``audit.view``), once per filter.

    The audit log holds who saw which AI output: looking at it is itself accountable. Like
    :func:`log_shown`, nothing is shown without the record.

    Returns:
        ``True`` when the record is durable: draw the tables. ``False`` after a Korean error.
    """
    # once per filter, not per row count: the view's own row changes the count on the next run
    digest = input_hash_of("audit.view", *sorted(_filter_output(flt).items()))
    output = _filter_output(flt) | {"rows_outputs": int(rows), "rows_command_runs": int(runs)}
    return log_view_once(engine, user, action="audit.view", area="audit", digest=digest, output=output,
                         failure=ACCESS_FAILED)


def log_view_once(engine: Engine, user: User, *, action: str, area: str, digest: str, output: Mapping[str, Any],
                  failure: str) -> bool:
    """Record a view that shows no single model output but must be accountable (``log_access``), once
    per ``digest`` in a row for (user, ``area``, ``action``).

    Returns:
        ``True`` when the record is durable: draw the view. ``False`` after showing ``failure``.
    """
    slot = f"{user.username}|{area}|{action}"
    if state.audit_last_logged().get(slot) == digest:
        return True
    try:
        audit.log_access(engine, username=user.username or "unknown", role=user.role or "unknown",
                         action=action, input_hash=digest, output=dict(output))
    except (audit.AuditUnavailable, ValueError):
        logger.exception("%s not recorded", action)
        st.error(failure, icon=":material/report:")
        return False
    state.set_audit_last_logged(slot, digest)
    return True


def _filter_output(flt: AuditFilter) -> dict[str, object]:
    return {"first_day": flt.first_day.isoformat(), "last_day": flt.last_day.isoformat(),
            "usernames": list(flt.usernames), "roles": list(flt.roles), "actions": list(flt.actions),
            "model_names": list(flt.model_names)}


def _record_download(table: str, file_name: str, rows: int, filter_output: dict[str, object]) -> None:
    """Download-button callback: one ``audit.export`` row per click (who, which table, filter, rows)."""
    user = state.current_user()
    if user is None:
        return
    output = {"table": table, "file_name": file_name, "rows": int(rows), **filter_output}
    try:
        audit.log_access(resources.engine(), username=user.username or "unknown", role=user.role or "unknown",
                         action="audit.export", input_hash=input_hash_of("audit.export", *sorted(output.items())),
                         output=output)
    except (audit.AuditUnavailable, ValueError):
        # the browser already has the file (Streamlit serves it with the page): say it, do not hide it
        logger.exception("audit-log download not recorded")
        st.session_state[state.AUDIT_LOG_DOWNLOAD_ERROR] = DOWNLOAD_NOT_RECORDED


def render_audit_download(csv: bytes, *, table: str, file_name: str, rows: int, flt: AuditFilter, key: str) -> None:
    """CSV download of an audit-log table whose every click is recorded (``audit.export``).

    Not ``components.display.render_download``: that one records nothing. The view of the same rows
    was recorded before the table was drawn (:func:`log_audit_view`).
    """
    st.download_button("CSV 내려받기", data=csv, file_name=file_name, mime="text/csv", key=key,
                       icon=":material/download:", on_click=_record_download,
                       args=(table, file_name, int(rows), _filter_output(flt)))


def render_download_error() -> None:
    """The note of a download whose record failed in the last click, shown once."""
    message = st.session_state.pop(state.AUDIT_LOG_DOWNLOAD_ERROR, None)
    if message:
        st.error(message, icon=":material/report:")


@dataclass(frozen=True)
class AuditFilter:
    """What the audit export page asks for; empty tuples mean "all"."""

    first_day: dt.date
    last_day: dt.date
    usernames: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    model_names: tuple[str, ...] = ()


def role_label(role: str) -> str:
    """Korean label of a role in the audit log (command-line runs included)."""
    return ROLE_LABELS.get(role, "명령줄" if role == audit.COMMAND_ROLE else role)


def select_audit_filter(values: Mapping[str, Sequence[str]], *, key: str, default_days: int = 30,
                        model_titles: Mapping[str, str] | None = None) -> AuditFilter | None:
    """Date range (KST days) and user, role, action and model pickers (actions and models by their
    Korean names).

    Args:
        values: Choices per column (:func:`app.services.audit.audit_filter_values`).
        model_titles: Model name → Korean title (:func:`app.services.transparency.model_titles`).
        key: Prefix of the widget keys.
        default_days: Days shown when the page opens (ending today, KST).

    Returns:
        The filter, or ``None`` (after a Korean note) while the date range is incomplete.
    """
    today = today_kst()
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 2])
        period = c1.date_input("기간 (KST)", value=(today - dt.timedelta(days=default_days - 1), today),
                               max_value=today, key=f"{key}.period", format="YYYY-MM-DD")
        usernames = c2.multiselect("사용자", options=list(values.get("username", ())), key=f"{key}.users",
                                   placeholder="전체", select_all=False)
        roles = c3.multiselect("역할", options=list(values.get("role", ())), key=f"{key}.roles", placeholder="전체",
                               format_func=role_label, select_all=False)
        c4, c5 = st.columns(2)
        actions = c4.multiselect("동작", options=list(values.get("action", ())), key=f"{key}.actions",
                                 placeholder="전체", format_func=audit.action_label, select_all=False)
        titles = dict(model_titles or {})
        models = c5.multiselect("모델", options=list(values.get("model_name", ())), key=f"{key}.models",
                                placeholder="전체", format_func=functools.partial(audit.model_label, titles=titles),
                                select_all=False)
        # a partial of a module function, not a lambda: widget state must be picklable here
    if not isinstance(period, (tuple, list)) or len(period) != 2:
        st.info("기간의 끝 날짜까지 고르세요.", icon=":material/date_range:")
        return None
    return AuditFilter(first_day=period[0], last_day=period[1], usernames=tuple(usernames), roles=tuple(roles),
                       actions=tuple(actions), model_names=tuple(models))
