"""Input widgets of the data explorer: each returns the chosen value(s) in service terms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import streamlit as st

ALL = "__all__"


def select_region(options: Mapping[str, str], *, key: str) -> tuple[str, ...]:
    """시도 multiselect (empty = 전국). Returns the chosen region codes."""
    # format_func must be picklable (AppTest stores it in session state, which we require to be
    # serializable): a bound method of a plain dict is, a lambda is not.
    labels = dict(options)
    chosen = st.multiselect(
        "시도",
        options=list(labels),
        format_func=labels.__getitem__,
        key=key,
        placeholder="전국",
        select_all=False,
    )
    return tuple(chosen)


def select_occupation(
    majors: Mapping[str, str],
    occupations: Mapping[str, tuple[str, str]],
    *,
    key_major: str,
    key_minor: str,
) -> tuple[str | None, tuple[str, ...]]:
    """KECO 대분류 selectbox and 소분류 multiselect restricted to the chosen 대분류.

    Returns:
        (대분류 code or ``None`` for all, chosen 소분류 codes).
    """
    major_labels = {ALL: "전체", **majors}
    col_major, col_minor = st.columns([1, 2])
    major = col_major.selectbox(
        "직종 대분류 (KECO)",
        options=list(major_labels),
        format_func=major_labels.__getitem__,
        key=key_major,
    )
    major_code = None if major == ALL else major
    minor_labels = {c: label for c, (label, m) in occupations.items() if major_code is None or m == major_code}
    minor_options = list(minor_labels)
    chosen = col_minor.multiselect(
        "직종 소분류",
        options=minor_options,
        format_func=minor_labels.__getitem__,
        key=key_minor,
        placeholder="전체",
        select_all=False,
    )
    # A 소분류 left over from another 대분류 is ignored rather than silently widening the search.
    return major_code, tuple(c for c in chosen if c in minor_options)


def select_employment_types(options: Sequence[str], *, key: str) -> tuple[str, ...]:
    """고용형태 multiselect (empty = all)."""
    return tuple(st.multiselect("고용형태", options=list(options), key=key, placeholder="전체", select_all=False))


def select_wage_range(*, key: str, label: str, max_manwon: int) -> tuple[int, int]:
    """Monthly wage range slider in 만원; the top value means "and above"."""
    low, high = st.slider(
        label,
        min_value=0,
        max_value=max_manwon,
        value=(0, max_manwon),
        step=10,
        format="%d만원",
        key=key,
        help=f"오른쪽 끝({max_manwon:,}만원)은 '그 이상 모두'를 뜻합니다.",
    )
    return int(low), int(high)


def select_period(
    bounds: tuple[dt.date | None, dt.date | None], *, key: str, label: str
) -> tuple[dt.date | None, dt.date | None]:
    """Date range input limited to the data's first and last date.

    Returns:
        (first, last); either may be ``None`` while the user is still picking the range.
    """
    first, last = bounds
    if first is None or last is None:
        st.caption(f"{label}: 데이터 없음")
        return None, None
    value = st.date_input(
        label, value=(first, last), min_value=first, max_value=last, key=key, format="YYYY-MM-DD"
    )
    if isinstance(value, (tuple, list)):
        start = value[0] if len(value) > 0 else None
        end = value[1] if len(value) > 1 else None
        return start, end
    return value, value
