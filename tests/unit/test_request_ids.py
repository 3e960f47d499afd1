"""Ids asked for by URL or session state (``components.guards.parse_record_id``): only a number a
record can have (1 to SQLite's int64 maximum, ASCII digits) is read; everything else is refused
without reaching the database. The pages' behaviour is in the AppTests
(``tests/ui/test_hiring_simulator.py``, ``tests/ui/test_employment_pages.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from components.guards import MAX_RECORD_ID, parse_record_id


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1),
    ("42", 42),
    ("007", 7),
    (str(2**63 - 1), 2**63 - 1),
    (17, 17),
    (np.int64(17), 17),
])
def test_record_ids_are_read(value: object, expected: int) -> None:
    assert parse_record_id(value) == expected


@pytest.mark.parametrize("value", [
    "99999999999999999999",  # beyond int64: SQLite raises OverflowError on it
    str(2**63),
    "0" * 25 + "1",  # too many digits, even with a small value
    "-1", "0", "+7", " 7", "7 ", "1_000", "1e9", "1.0", "0x1F", "abc", "", "١٢",  # Arabic-Indic digits
    "9" * 10_000,
    2**63, 0, -1, True, 1.0, None, ["1"],
])
def test_values_that_cannot_be_a_record_are_refused(value: object) -> None:
    assert parse_record_id(value) is None


def test_max_record_id_is_sqlites_integer_maximum() -> None:
    import sqlite3

    with sqlite3.connect(":memory:") as conn:
        assert conn.execute("select ?", (MAX_RECORD_ID,)).fetchone() == (MAX_RECORD_ID,)
        with pytest.raises(OverflowError):
            conn.execute("select ?", (MAX_RECORD_ID + 1,))
