"""Audit log of model outputs shown to users (AI 기본법: every AI output is recorded).

A row holds who saw it (username and role), what (action, model name and version), for which input
(a SHA-256 hash — never the input itself, so no personal data enters the log) and the output
figures. Callers pass only model outputs in ``output``; :func:`log_model_output` refuses keys
that look like personal data as a second line of defence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from app.db.repositories import audit as audit_repo

_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_PII_KEYS = frozenset({"rrn", "phone", "email", "address", "birth_date", "resume_text", "contact"})


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
) -> None:
    """Record one model output shown to a user (one transaction, time in UTC).

    Args:
        engine: Product database.
        username: Who saw it.
        role: Their role (employer, counsellor, policy, admin …).
        action: What was shown, e.g. ``"hiring.predict"``.
        model_name: Artifact name, e.g. ``"hiring"``.
        model_version: Version of the model that answered.
        input_hash: SHA-256 hex digest of the canonical input (not the input).
        output: The figures shown (JSON-safe after conversion; numpy numbers are converted).

    Raises:
        ValueError: A field is empty or too long, the hash is not a SHA-256 hex digest, or the
            output holds a personal-data key.
    """
    if not _HASH_RE.match(str(input_hash)):
        raise ValueError("입력 해시는 SHA-256 16진수 64자여야 합니다")
    leaked = sorted(_PII_KEYS & {str(k).lower() for k in output})
    if leaked:
        raise ValueError(f"감사 로그에는 개인정보를 남기지 않습니다: {', '.join(leaked)}")
    audit_repo.add_audit_row(engine, dict(
        username=_limited("사용자", username, 40),
        role=_limited("역할", role, 16),
        action=_limited("동작", action, 40),
        model_name=_limited("모델 이름", model_name, 40),
        model_version=_limited("모델 버전", model_version, 40),
        input_hash=str(input_hash),
        output=json.loads(json.dumps(_json_safe(output), ensure_ascii=False)),
    ))


def load_audit_log(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest ``limit`` audit rows, newest first (:data:`AUDIT_COLUMNS`; ``at`` is UTC)."""
    return audit_repo.load_audit_log(engine, limit)
