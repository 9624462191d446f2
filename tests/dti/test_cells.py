"""A column of numbers is read in one vectorised step over its bytes when every cell is plain; that step gives
exactly what the one number rule gives cell by cell (values, and every refused cell with its row and why)."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.dti import cells
from certify.dti.cells import parse_column
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
        "0,5",
        "1,234",
        "60%",
        "60,5%",
        "%",
    ]
)
FLOATS = st.floats(0, 1e7, allow_nan=False).map(lambda x: f"{x:.{len(repr(x))}g}"[:18])


def _cell_by_cell(column: list[str], kind: InputKind) -> tuple[np.ndarray, list[tuple[int, str, str]]]:
    def nothing_plain(cells: list[str], **_: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        none = np.zeros(len(cells), np.bool_)
        return np.full(len(cells), np.nan), none, none

    with mock.patch.object(cells, "plain_numbers", nothing_plain):
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


def test_a_plain_number_past_forty_characters_is_refused_as_the_rule_refuses_it() -> None:
    """A cell read at once is one the rule reads: 1e300 written out is too long a number, said so for its cell."""
    huge = str(10**300)
    column = ["9" * 16, "12345678901234567.25", huge, "7"]
    values, errors = parse_column(column, InputKind.NUMBER)
    assert values.tolist()[:2] == [float(c) for c in column[:2]]
    beyond = "Number beyond what is possible (1e+09)"
    assert [(e.index, e.en) for e in errors] == [(0, beyond), (1, beyond), (2, "Number too long")]
