"""Reading a cohort file: the whole-text split of a quote-free CSV gives exactly what the csv module gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti.table import Table, _csv_records, _split_plain, read_table
from certify.errors import CertifyError

# Cells as people type them: ids, numbers (with decimal commas only under ';'), Vietnamese words, stray spaces.
WORDS = st.sampled_from(
    ["", "có", "không", "có ", "12", "0.75", "75%", "Xã Tân Mỹ", "x", " 3 ", "\u00a08", "a b", "1.5 ", "\x1f7"]
)


def _as_text(header: list[str], rows: list[list[str]], delimiter: str, newline: str, blank_every: int) -> str:
    lines = [delimiter.join(header)]
    for k, row in enumerate(rows):
        if blank_every and k % blank_every == 0:
            lines.append(delimiter * (len(header) - 1))  # an empty row of an Excel export
        lines.append(delimiter.join(row))
    return newline.join(lines) + newline


def _outcome(read: object, text: str, delimiter: str) -> tuple[object, ...]:
    try:
        t = read("f.csv", text, delimiter)  # type: ignore[operator]
    except CertifyError as exc:
        return ("error", [(p.code, p.row, p.found) for p in exc.problems])
    assert isinstance(t, Table)
    # What a whole-column check reads, kept from the split where it was built: the cells as the table holds them.
    assert [t.column_text(k) for k in range(len(t.columns))] == ["\n".join(c) for c in t.columns]
    return (t.header, t.columns, t.row_numbers)


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(1, 5),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    blank_every=st.integers(0, 3),
)
def test_fast_split_equals_the_csv_module(
    width: int, data: st.DataObject, delimiter: str, newline: str, blank_every: int
) -> None:
    header = [f"c{k}" for k in range(width)]
    rows = data.draw(st.lists(st.lists(WORDS, min_size=0, max_size=width + 2), max_size=8))
    text = _as_text(header, rows, delimiter, newline, blank_every)
    assert _outcome(_split_plain, text, delimiter) == _outcome(_csv_records, text, delimiter)


def test_quoted_file_goes_through_the_csv_module(tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text('unit,name\nu1,"Xã A, huyện B"\nu2,"Phường ""C"""\n', encoding="utf-8")
    t = read_table(f)
    assert t.columns == [["u1", "u2"], ["Xã A, huyện B", 'Phường "C"']]
    assert t.rows == [["u1", "Xã A, huyện B"], ["u2", 'Phường "C"']]


def test_rows_and_columns_agree(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("\ufeffunit;1.3.a;1.3.b\nA;6;8\n\nB ; 7;8;\n", encoding="utf-8")
    t = read_table(f)
    assert t.header == ["unit", "1.3.a", "1.3.b"]
    assert t.columns == [["A", "B"], ["6", "7"], ["8", "8"]]
    assert t.row_numbers == [2, 4]  # the blank line 3 is skipped, numbering is the spreadsheet's
    assert t.column("1.3.b") == ["8", "8"] and t.column("nope") is None


@pytest.mark.parametrize("text", ["", "\n\n", "   "])
def test_empty_file(tmp_path: Path, text: str) -> None:
    f = tmp_path / "e.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CertifyError) as exc:
        read_table(f)
    assert exc.value.problems[0].code == "empty-table"
