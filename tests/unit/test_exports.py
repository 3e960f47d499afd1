"""The one CSV writer neutralises spreadsheet formulas (OWASP CSV injection) and writes atomically;
the markdown helper shows data literally."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from app.exports import AtomicCsvWriter, csv_bytes, neutralise_cell, write_csv_atomically
from app.text.markdown import escape_markdown

FORMULAS = ['=HYPERLINK("http://evil.example","클릭")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_cells_get_an_apostrophe(cell: str) -> None:
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["사무직 모집", "", "1+1=2", -3, 2.5, None])
def test_other_values_unchanged(value: object) -> None:
    assert neutralise_cell(value) == value


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_bytes_neutralises_text_but_not_numbers() -> None:
    frame = pd.DataFrame({"제목": FORMULAS[:2], "점수": [-1.5, 2.0], "=열": ["a", "b"]})
    rows = _read(csv_bytes(frame))
    assert rows[0] == ["제목", "점수", "'=열"]
    assert rows[1] == ["'" + FORMULAS[0], "-1.5", "a"]
    assert rows[2] == ["'+1+1", "2.0", "b"]


def test_category_columns_are_neutralised() -> None:
    frame = pd.DataFrame({"x": pd.Series(["=1", "ok"], dtype="category")})
    assert _read(csv_bytes(frame))[1] == ["'=1"]


def test_atomic_writer_streams_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with AtomicCsvWriter(out, ["id", "text"]) as writer:
        writer.write_row([1, "=cmd"])
        writer.write_rows([[2, None], [3, float("nan")]])
    assert _read(out.read_bytes()) == [["id", "text"], ["1", "'=cmd"], ["2", ""], ["3", ""]]
    assert writer.rows_written == 3

    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), AtomicCsvWriter(out, ["id"]) as writer:
        writer.write_row([1])
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_csv_atomically_matches_csv_bytes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": ["=1", "x"], "b": [1, 2]})
    out = tmp_path / "f.csv"
    write_csv_atomically(frame, out)
    assert out.read_bytes() == csv_bytes(frame)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[여기](http://evil)", r"\[여기\]\(http\://evil\)"),
        ("![](http://x/p.png)", None),
        ("**굵게** :red[빨강] :material/home: $x$ <b>태그</b>", None),
        ("# 제목\n- 목록", None),
    ],
)
def test_escape_markdown_leaves_no_live_syntax(raw: str, shown: str | None) -> None:
    escaped = escape_markdown(raw)
    if shown is not None:
        assert escaped == shown
    assert "\n" not in escaped
    # every ASCII punctuation character is preceded by a backslash
    for i, ch in enumerate(escaped):
        if ch in "[]()!*:$<>#-_`" and (i == 0 or escaped[i - 1] != "\\"):
            pytest.fail(f"unescaped {ch!r} in {escaped!r}")


def test_escape_markdown_plain_text_and_none() -> None:
    assert escape_markdown("주식회사 가나다") == "주식회사 가나다"
    assert escape_markdown(None) == ""
    assert escape_markdown("a\x00b") == "ab"


def test_tables_have_no_export_of_their_own() -> None:
    """st.dataframe's built-in CSV download and clipboard copy would bypass the one writer."""
    import tomllib

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    import streamlit.config as streamlit_config

    assert "client.disableDataExport" in streamlit_config._config_options_template  # a real option of this version
