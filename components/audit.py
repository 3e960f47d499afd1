"""Audit logging of model outputs shown on a page (AI 기본법: every AI output is recorded).

:func:`log_shown` writes a row once per distinct input: the last logged input hash per
(user, model, action) is kept in session state, so a rerun that shows the same figures again —
another widget moved, the page redrawn — writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.auth import User
from app.services import audit
from components import state

logger = logging.getLogger(__name__)


def input_hash_of(*parts: object) -> str:
    """SHA-256 hex of parts joined by '|' (e.g. a conditions hash and a plan target)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def log_shown(
    engine: Engine,
    user: User,
    *,
    model_name: str,
    action: str,
    model_version: str,
    input_hash: str,
    output: Mapping[str, Any],
) -> None:
    """Write a shown model output to the audit log, once per (user, model, action, input) in a row.

    A failed write is reported on the page and in the server log; the figure stays shown.
    """
    # keyed by user too: a logout and another login in the same browser session is another viewer
    slot = f"{user.username}|{model_name}|{action}"
    if state.audit_last_logged().get(slot) == input_hash:
        return
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
    except (SQLAlchemyError, ValueError):
        logger.exception("audit log write failed for %s", action)
        st.warning("감사 로그 기록에 실패했습니다. 관리자에게 알려 주세요.", icon=":material/report:")
        return
    state.set_audit_last_logged(slot, input_hash)
