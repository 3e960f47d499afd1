"""The one guard for ids a visitor asks for by URL (``?posting=``, ``?seeker=``) or session state.

A requested id is read by :func:`requested_id` *unchecked*; the page checks it belongs to the user
(a service raises ``AccessDenied`` or ``NotFound``) and, when it does not, calls
:func:`refuse_requested`: the forged or stale value is forgotten, the Korean reason is shown with
a way back, and the page stops. It is never silently replaced by another record.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NoReturn

import streamlit as st


def requested_id(*, key: str, query_key: str, keywords: Collection[str] = ()) -> int | str | None:
    """The record the visitor asks for: a deep link (``?<query_key>=``) wins over the picker's state.

    Args:
        key: Session-state key of the picker.
        query_key: Query parameter of the deep link.
        keywords: Non-numeric values the picker also takes (e.g. "new").

    Returns:
        An id, one of ``keywords``, or ``None`` when nothing (readable) is asked for.
    """
    raw = st.query_params.get(query_key)
    if raw is not None:
        if raw in keywords:
            st.session_state[key] = raw
        else:
            try:
                st.session_state[key] = int(raw)
            except ValueError:
                st.query_params.pop(query_key, None)  # garbage in the URL: ignore it
    value = st.session_state.get(key)
    if value in keywords:
        return str(value)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


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
