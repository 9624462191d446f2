"""Turning a column of text cells into the float array a scoring method reads.

Every number is read by the one rule for numbers people type (`certify.numbers.parse_number`, docs/numbers.md):
«60%», «0,6» and «1.234,5» are read, «1.234» in a decimal column is refused as ambiguous, never taken as 1.234.
A column of plain numbers converts in one vectorised step that gives exactly what the rule gives; any other
column is read cell by cell, to say exactly which cell is wrong and why. Empty cells become NaN ("no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from certify.dti.methods import InputKind
from certify.dti.methods.base import FloatArray
from certify.limits import current
from certify.numbers import NumberTextError, parse_number

YES = frozenset({"1", "có", "co", "yes", "y", "true", "x", "đạt", "dat", "đã", "da", "rồi"})
NO = frozenset({"0", "không", "khong", "no", "n", "false", "chưa", "chua"})
YESNO_EXPECTED = "có/không, yes/no, 1/0"


@dataclass(frozen=True)
class CellError:
    index: int  # position in the column
    vi: str
    en: str
    expected: str
    found: str


# Cells that `parse_number` reads exactly as `float` does: digits, with at most one decimal point that cannot be
# a thousands separator («0.855», «85.5», «1234.5»; not «1.234», «.5» or «5.»). A column made only of these (and
# empty cells) converts in one vectorised step over its bytes, to exactly what `float` reads (a plain cell of more
# than 15 digits, such as 1e300 written out, by `float` itself; it is then refused by its size); any other cell is
# read by the one rule, cell by cell.
_DIGITS_MAX = 15  # digits of a plain cell read in the vectorised step: below 2**53, so every step is exact
_NL, _DOT, _ZERO, _NINE = ord("\n"), ord("."), ord("0"), ord("9")
_POWERS = 10.0 ** np.arange(_DIGITS_MAX + 1)  # exact


def _number(text: str, fraction: bool) -> float | NumberTextError:
    """A cell's number by the one rule (`certify.numbers.parse_number`), or why it is not one."""
    try:
        return parse_number(text, percent=fraction).fraction
    except NumberTextError as exc:
        return exc


def _plain_column(cells: Sequence[str], joined: str | None = None) -> FloatArray | None:
    """The column in one step when every cell is plain (see above), else None. `joined`: the cells joined by line
    breaks, when the caller has it already.

    The cells' digits, read as one whole number per cell and divided by the power of ten of its decimals: both
    exact in float64 (at most 15 digits), so the one correctly rounded division gives exactly `float(cell)`, which
    is what the rule gives for a plain cell (tests/dti/test_cells.py checks it against the rule on random columns).
    """
    if not cells:
        return np.empty(0)
    if joined is None:
        joined = "\n".join(cells)
    if not joined.isascii():
        return None
    if not joined.strip("\n"):
        return np.full(len(cells), np.nan)  # no data at all
    b = np.frombuffer(joined.encode("ascii"), np.uint8)
    is_digit = (b >= _ZERO) & (b <= _NINE)
    is_dot = b == _DOT
    newline = b == _NL
    if not (is_digit | is_dot | newline).all():
        return None
    cell_at = np.cumsum(newline, dtype=np.int32)  # the cell of every byte
    if int(cell_at[-1]) != len(cells) - 1:  # a cell holding a line break: read cell by cell
        return None
    breaks = np.flatnonzero(newline)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(b)]))  # exclusive
    dots = np.flatnonzero(is_dot)
    cell_of_dot = cell_at[dots]
    if len(dots) and (np.diff(cell_of_dot) == 0).any():
        return None  # two dots in a cell
    dot_at = np.full(len(cells), -1, np.int64)
    dot_at[cell_of_dot] = dots
    has_dot = dot_at >= 0
    before = np.where(has_dot, dot_at, ends) - starts  # digits before the point
    after = np.where(has_dot, ends - dot_at - 1, 0)  # digits after it
    if (has_dot & ((before == 0) | (after == 0))).any():
        return None  # «.5», «5.»
    first = b[np.minimum(starts, len(b) - 1)]
    ambiguous = has_dot & (before <= 3) & (after == 3) & ~((before == 1) & (first == _ZERO))
    if ambiguous.any():
        return None  # «1.234»: 1234 or 1,234? Said by the rule, cell by cell
    long = np.flatnonzero(before + after > _DIGITS_MAX)
    digits = np.flatnonzero(is_digit)
    cell_of_digit = cell_at[digits]
    place = ends[cell_of_digit] - digits - 1 - (dot_at[cell_of_digit] > digits)  # digits after this one, not the point
    weights = (b[digits] - _ZERO) * _POWERS[np.minimum(place, _DIGITS_MAX)]  # below 10**15 but in long cells
    whole = np.bincount(cell_of_digit, weights, minlength=len(cells))  # sums stay whole and below 2**53: exact
    values: FloatArray = whole / _POWERS[np.minimum(after, _DIGITS_MAX)]
    values[ends == starts] = np.nan  # an empty cell: no data
    for i in long.tolist():  # past 15 digits (1e300 written out): as float reads it, then refused by size
        values[i] = float(cells[i])
    return values


def _numbers(cells: Sequence[str], kind: InputKind, joined: str | None) -> tuple[FloatArray, list[CellError]]:
    fraction = kind is InputKind.FRACTION
    errors: list[CellError] = []
    values = _plain_column(cells, joined)
    if values is None:
        values = np.full(len(cells), np.nan)
        seen: dict[str, float | NumberTextError] = {}
        for i, cell in enumerate(cells):
            if not cell:
                continue
            got = seen.get(cell)
            if got is None:
                got = seen[cell] = _number(cell, fraction)
            if isinstance(got, NumberTextError):
                errors.append(CellError(i, got.vi, got.en, got.expected, cell))
            else:
                values[i] = got
    expected = "0–1 hoặc/or 0%–100%" if fraction else "≥ 0"
    for k in np.flatnonzero(values < 0):
        errors.append(CellError(int(k), "Giá trị âm", "Negative value", expected, cells[int(k)]))
    if fraction:
        for k in np.flatnonzero(values > 1):
            errors.append(
                CellError(int(k), "Tỷ lệ lớn hơn 1 (100 %)", "Ratio above 1 (100 %)", expected, cells[int(k)])
            )
    else:
        most = current().value_max
        for k in np.flatnonzero(values > most):
            errors.append(
                CellError(
                    int(k),
                    f"Số lớn hơn mức có thể có ({most:g})",
                    f"Number beyond what is possible ({most:g})",
                    f"≤ {most:g}",
                    cells[int(k)],
                )
            )
    errors.sort(key=lambda e: e.index)
    return values, errors


_UNKNOWN = -1.0  # no label maps to a negative number (yes/no are 1/0, an option is its position)


def _labels(cells: Sequence[str], table: dict[str, float], expected: str) -> tuple[FloatArray, list[CellError]]:
    # A column holds a handful of distinct labels: look each up once, then map the column in one pass.
    lookup = {c: table.get(c.casefold(), _UNKNOWN) if c else np.nan for c in set(cells)}
    values = np.fromiter(map(lookup.__getitem__, cells), np.float64, len(cells))
    bad = np.flatnonzero(values == _UNKNOWN)
    values[bad] = np.nan
    errors = [
        CellError(
            int(i), "Giá trị không thuộc danh sách cho phép", "Value not among those allowed", expected, cells[int(i)]
        )
        for i in bad
    ]
    return values, errors


def parse_column(
    cells: Sequence[str], kind: InputKind, options: Sequence[str] = (), joined: str | None = None
) -> tuple[FloatArray, list[CellError]]:
    """`joined`: the cells joined by line breaks (`Table.column_text`), when known: saves joining them again."""
    if kind is InputKind.YESNO:
        table = {v: 1.0 for v in YES} | {v: 0.0 for v in NO}
        return _labels(cells, table, YESNO_EXPECTED)
    if kind is InputKind.OPTION:
        return _labels(cells, {o.casefold(): float(k) for k, o in enumerate(options)}, " | ".join(options))
    return _numbers(cells, kind, joined)


def parse_yes_no(cell: str) -> bool | None:
    """One yes/no cell; None when it is neither."""
    text = cell.strip().casefold()
    return True if text in YES else False if text in NO else None
