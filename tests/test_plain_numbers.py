"""Many cells read at once (`certify.numbers.plain_cells`, `plain_numbers`): the province sheet and the DTI table
saved as CSV go through it. A cell it reads is one the one number rule (`parse_number`) reads, to the very same
value; every other cell is left to the rule, which says what is wrong with it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.csv_grid import PAD
from certify.numbers import MAX_NUMBER_TEXT, NumberTextError, parse_number, plain_cells, plain_numbers

PLAIN = st.from_regex(r"[0-9]{1,17}([.,][0-9]{1,17})?%?", fullmatch=True)
ODD = st.sampled_from(
    [
        *("", "1.234", "0.123", "00.123", "1,234", "1.234,5", "1,234.5", ".5", "5.", ",5", "5,", "1.2.3", "1,2,3"),
        *("1e5", "-1", "75%", "%", "85%%", "nan", "inf", " 3", "3 ", "1 234", "١٢", "1_000", "9" * 16, "9" * 41),
        *("1\n2", "12345678901234567890", "0." + "3" * 30, "1" * 19 + ",5", "0,000000000000000000001234"),
    ]
)
FLOATS = st.floats(0, 1e7, allow_nan=False).map(lambda x: f"{x:.{len(repr(x))}g}"[:18])


def _by_the_rule(cell: str, percent: bool) -> tuple[float, bool] | None:
    try:
        typed = parse_number(cell, percent=percent)
    except NumberTextError:
        return None
    return typed.value, typed.percent


@settings(deadline=None, max_examples=400)
@given(
    cells=st.lists(
        st.one_of(PLAIN, ODD, FLOATS, st.text(alphabet="0123456789.,%- ", max_size=9)), min_size=1, max_size=30
    ),
    percent=st.booleans(),
)
def test_a_cell_read_at_once_is_read_as_the_rule_reads_it(cells: list[str], percent: bool) -> None:
    values, plain, shown_percent = plain_numbers(cells, percent=percent)
    for cell, value, ok, pct in zip(cells, values.tolist(), plain.tolist(), shown_percent.tolist(), strict=True):
        if not ok or not cell:
            assert value != value and not pct  # NaN: empty, or left to the rule
            continue
        assert (value, pct) == _by_the_rule(cell, percent), cell


@settings(deadline=None, max_examples=150)
@given(
    cells=st.lists(st.from_regex(r"[0-9]{1,7}([.,][0-9]{1,7})?", fullmatch=True) | st.just(""), max_size=40),
    percent=st.booleans(),
)
def test_what_a_spreadsheet_exports_is_read_at_once(cells: list[str], percent: bool) -> None:
    """Numbers of at most 15 digits, with a decimal comma or point, never wait for the rule (but «1.234»)."""
    cells = [c if not _groups_thousands(c) else "" for c in cells]
    values, plain, _ = plain_numbers(cells, percent=percent)
    assert plain.all()
    assert np.array_equal(values, [float(c.replace(",", ".")) if c else np.nan for c in cells], equal_nan=True)


def _groups_thousands(cell: str) -> bool:
    head, dot, tail = cell.partition(".")
    return bool(dot) and 1 <= len(head) <= 3 and len(tail) == 3 and head != "0"


def test_what_is_left_to_the_rule() -> None:
    for cell in ("1.234", "00.123", ".5", "5.", ",5", "1.2.3", "1,2,3", "1e5", "nan", " 1", "1,234.5", "85%", "-1"):
        _, plain, _ = plain_numbers(["1", cell])
        assert plain.tolist() == [True, False], cell
    _, plain, _ = plain_numbers(["1", "1\n2"])  # a cell with a line break: the whole column to the rule
    assert not plain.any()
    values, plain, _ = plain_numbers(["1", "0,5", "", "0.855", "1234.5", "007", "0.123", "1,234"])
    assert plain.all()
    assert np.array_equal(values, [1, 0.5, np.nan, 0.855, 1234.5, 7, 0.123, 1.234], equal_nan=True)


def test_a_percentage_where_the_caller_allows_one() -> None:
    values, plain, shown = plain_numbers(["85%", "85,5%", "0,5", "%", "85%%", "5.%"], percent=True)
    assert plain.tolist() == [True, True, True, False, False, False]
    assert shown.tolist() == [True, True, False, False, False, False]
    assert values.tolist()[:3] == [85.0, 85.5, 0.5]
    _, plain, shown = plain_numbers(["85%"])
    assert not plain.any() and not shown.any()


def test_long_plain_numbers_up_to_the_rules_length() -> None:
    """Past 16 bytes a cell is read by `float`; past `MAX_NUMBER_TEXT` characters it is the rule's to refuse."""
    at_most = "1" * (MAX_NUMBER_TEXT - 3) + ",25"
    too_long = str(10**300)
    values, plain, _ = plain_numbers(["9" * 16, "12345678901234567.25", at_most, too_long, at_most + "%"])
    assert plain.tolist() == [True, True, True, False, False]
    assert values.tolist()[:3] == [float("9" * 16), 12345678901234567.25, float(at_most.replace(",", "."))]
    values, plain, shown = plain_numbers([at_most[1:] + "%"], percent=True)
    assert plain.all() and shown.all() and values[0] == parse_number(at_most[1:] + "%", percent=True).value


def test_cells_of_a_file_are_read_from_its_bytes() -> None:
    """The byte ranges of a grid: cells between separators, without turning them into text first."""
    buf = bytes(PAD) + b"X1;0,5;12\nX2;;1.234\n"
    starts = np.array([PAD + 3, PAD + 7, PAD + 13, PAD + 14])
    ends = np.array([PAD + 6, PAD + 9, PAD + 13, PAD + 19])
    values, plain, _ = plain_cells(buf, starts, ends)
    assert plain.tolist() == [True, True, True, False]
    assert np.array_equal(values, [0.5, 12, np.nan, np.nan], equal_nan=True)
