"""The one guard for ids a visitor asks for by URL (``?posting=``, ``?seeker=``) or session state.

A requested id is read by :func:`requested_id` *unchecked*; the page checks it belongs to the user
(a service raises ``AccessDenied`` or ``NotFound``) and, when it does not, calls
:func:`refuse_requested`: the forged or stale value is forgotten, the Korean reason is shown with
a way back, and the page stops. It is never silently replaced by another record.
"""

from __future__ import annotations

from collections.abc import Collection
from numbers import Integral
from typing import NoReturn

import streamlit as st

MAX_RECORD_ID = 2**63 - 1
"""The largest id a record can have: SQLite's INTEGER and PostgreSQL's BIGINT are signed 64-bit.
A larger number cannot be a record, and handing it to the database raises instead of finding nothing."""
_MAX_ID_DIGITS = len(str(MAX_RECORD_ID))
INVALID_REQUEST = "요청한 번호로 열 수 있는 기록이 없습니다. 주소가 올바른지 확인하고 목록에서 다시 고르세요."
"""What a visitor sees for an id that cannot be a record (not a number, zero or less, too large)."""


def parse_record_id(value: object) -> int | None:
    """A record id from a URL or session-state value, or ``None`` when it cannot be one.

    Only ASCII digits are read (``int()`` would also take ``" 7"``, ``"1_000"``, ``"+7"`` and other
    scripts' digits, so one record would have many URLs), and only 1 to :data:`MAX_RECORD_ID`;
    the length is checked first, so a 10,000-digit value costs nothing.
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        number = int(value)
    elif isinstance(value, str) and 0 < len(value) <= _MAX_ID_DIGITS and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_RECORD_ID else None


def requested_id(
    *,
    key: str,
    query_key: str,
    keywords: Collection[str] = (),
    back_label: str = "목록으로",
    button_key: str | None = None,
) -> int | str | None:
    """The record the visitor asks for: a deep link (``?<query_key>=``) wins over the picker's state.

    A value that cannot be a record id (:func:`parse_record_id`: ``abc``, ``-1``, ``1e9``,
    ``99999999999999999999``, 10,000 digits) is refused like a record the user may not open
    (:func:`refuse_requested` with :data:`INVALID_REQUEST`): the page stops there instead of
    failing in the database or quietly opening another record.

    Args:
        key: Session-state key of the picker.
        query_key: Query parameter of the deep link.
        keywords: Non-numeric values the picker also takes (e.g. "new").
        back_label: Label of the refusal's way back (the page's own refusal uses the same).
        button_key: Widget key of that button (default ``"<key>.back"``).

    Returns:
        An id (1 to :data:`MAX_RECORD_ID`, unchecked against the user's records), one of
        ``keywords``, or ``None`` when nothing is asked for.
    """
    raw = st.query_params.get(query_key)
    if raw is not None:
        st.session_state[key] = raw if raw in keywords else parse_record_id(raw)
        if st.session_state[key] is None:
            _refuse_invalid(key, query_key, back_label, button_key)
    value = st.session_state.get(key)
    if value is None:
        return None
    if value in keywords:
        return str(value)
    number = parse_record_id(value)
    if number is None:
        _refuse_invalid(key, query_key, back_label, button_key)
    return number


def _refuse_invalid(key: str, query_key: str, back_label: str, button_key: str | None) -> NoReturn:
    refuse_requested(INVALID_REQUEST, key=key, query_key=query_key, back_label=back_label,
                     button_key=button_key or f"{key}.back")


def sync_query(key: str, query_key: str) -> None:
    """``on_change`` of a picker: the URL follows it, so a reload or a shared link opens the same record
    (and the next run does not read the old value back from the URL)."""
    st.query_params[query_key] = str(st.session_state.get(key))


def refuse_requested(message: str, *, key: str, query_key: str, back_label: str, button_key: str) -> NoReturn:
    """Forget a requested id the user may not open, say why, offer the way back, stop the page."""
    st.session_state.pop(key, None)  # the next run starts from the user's own list again
    st.query_params.pop(query_key, None)
    st.error(message)
    st.button(back_label, key=button_key, icon=":material/arrow_back:")
    st.stop()
    raise AssertionError("st.stop() ends the run")  # pragma: no cover - for type checkers
