"""A column of numbers is read in one vectorised step over its bytes when every cell is plain; that step gives
exactly what the one number rule gives cell by cell (values, and every refused cell with its row and why)."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti import cells
from certify.dti.cells import _plain_column, parse_column
from certify.dti.methods import InputKind

# Cells a column of numbers may hold: plain numbers of every length, and what the rule reads otherwise or refuses.
PLAIN = st.from_regex(r"[0-9]{1,17}(\.[0-9]{1,17})?", fullmatch=True)
OTHER = st.sampled_from(
    [
        "",
        "",
        "0",
        "0.5",
        "1.234",
        "0.123",
        "00.123",
        "012.345",
        "1.2345",
        ".5",
        "5.",
        "1.2.3",
        "1e5",
        "-1",
        "75%",
        "1.234,5",
        "85,5",
        "nan",
        "inf",
        " 3",
        "3 ",
        "1 234",
        "١٢",
        "1_000",
        "0.0",
        "000",
        "9" * 15,
        "9" * 16,
    ]
)
FLOATS = st.floats(0, 1e7, allow_nan=False).map(lambda x: f"{x:.{len(repr(x))}g}"[:18])


def _cell_by_cell(column: list[str], kind: InputKind) -> tuple[np.ndarray, list[tuple[int, str, str]]]:
    with mock.patch.object(cells, "_plain_column", return_value=None):
        values, errors = parse_column(column, kind)
    return values, [(e.index, e.en, e.found) for e in errors]


@settings(max_examples=250, deadline=None)
@given(
    column=st.lists(st.one_of(PLAIN, OTHER, FLOATS), min_size=1, max_size=40),
    kind=st.sampled_from([InputKind.NUMBER, InputKind.FRACTION]),
)
def test_vectorised_column_equals_the_rule_cell_by_cell(column: list[str], kind: InputKind) -> None:
    values, errors = parse_column(column, kind)
    expected_values, expected_errors = _cell_by_cell(column, kind)
    assert np.array_equal(values, expected_values, equal_nan=True)
    assert [(e.index, e.en, e.found) for e in errors] == expected_errors


@settings(max_examples=100, deadline=None)
@given(column=st.lists(st.one_of(PLAIN, st.just("")), min_size=1, max_size=40))
def test_plain_columns_take_the_vectorised_step(column: list[str]) -> None:
    """Plain cells of at most 15 digits, the columns a spreadsheet exports, never fall back to cell by cell."""
    short = [c if len(c.replace(".", "")) <= 15 and not _ambiguous(c) else "" for c in column]
    got = _plain_column(short)
    assert got is not None
    assert np.array_equal(got, [float(c) if c else np.nan for c in short], equal_nan=True)


def _ambiguous(cell: str) -> bool:
    head, dot, tail = cell.partition(".")
    return bool(dot) and 1 <= len(head) <= 3 and len(tail) == 3 and head != "0"


def test_what_falls_back_to_the_rule() -> None:
    for column in (["1.234"], ["00.123"], [".5"], ["5."], ["1.2.3"], ["1e5"], ["75%"], ["1\n2"], ["-1"]):
        assert _plain_column(column) is None, column
    assert np.array_equal(_plain_column(["0.123", "", "12", "1234.5"]), [0.123, np.nan, 12, 1234.5], equal_nan=True)


def test_a_plain_number_past_fifteen_digits_is_read_as_float_reads_it() -> None:
    """As before the vectorised step: 1e300 written out is read, then refused as beyond what is possible."""
    huge = str(10**300)
    column = ["9" * 16, "12345678901234567.25", huge, "7"]
    assert np.array_equal(_plain_column(column), [float(c) for c in column])
    _, errors = parse_column(column, InputKind.NUMBER)
    assert [(e.index, e.en) for e in errors][-1] == (2, "Number beyond what is possible (1e+09)")
