"""Turning a column of text cells into the float array a scoring method reads.

Every number is read by the one rule for numbers people type (`certify.numbers.parse_number`, docs/numbers.md):
«60%», «0,6» and «1.234,5» are read, «1.234» in a decimal column is refused as ambiguous, never taken as 1.234.
A column of plain numbers converts in one vectorised step that gives exactly what the rule gives; any other
column is read cell by cell, to say exactly which cell is wrong and why. Empty cells become NaN ("no data").
"""

from __future__ import annotations

import re
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
# a thousands separator («0.855», «85.5», «1234.5»; not «1.234»). A column made only of these (and empty cells)
# converts in one vectorised step; any other cell is read by the one rule, cell by cell.
_PLAIN = r"(?:0\.\d+|\d+|(?!\d{1,3}\.\d{3}(?:\n|$))\d+\.\d+)?"
_PLAIN_COLUMN = re.compile(rf"(?:{_PLAIN}\n)*{_PLAIN}")


def _number(text: str, fraction: bool) -> float | NumberTextError:
    """A cell's number by the one rule (`certify.numbers.parse_number`), or why it is not one."""
    try:
        return parse_number(text, percent=fraction).fraction
    except NumberTextError as exc:
        return exc


def _plain_column(cells: Sequence[str]) -> FloatArray | None:
    """The column in one step when every cell is plain (see `_PLAIN`), else None."""
    if not _PLAIN_COLUMN.fullmatch("\n".join(cells)):
        return None
    # Plain cells are read alike by float() and by the rule; straight from the list, no fixed-width text copy.
    text = cells if "" not in cells else [c or "nan" for c in cells]
    try:
        return np.array(text, dtype=np.float64)
    except ValueError:  # a cell holding a line break: read cell by cell
        return None


def _numbers(cells: Sequence[str], kind: InputKind) -> tuple[FloatArray, list[CellError]]:
    fraction = kind is InputKind.FRACTION
    errors: list[CellError] = []
    values = _plain_column(cells)
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
    cells: Sequence[str], kind: InputKind, options: Sequence[str] = ()
) -> tuple[FloatArray, list[CellError]]:
    if kind is InputKind.YESNO:
        table = {v: 1.0 for v in YES} | {v: 0.0 for v in NO}
        return _labels(cells, table, YESNO_EXPECTED)
    if kind is InputKind.OPTION:
        return _labels(cells, {o.casefold(): float(k) for k, o in enumerate(options)}, " | ".join(options))
    return _numbers(cells, kind)


def parse_yes_no(cell: str) -> bool | None:
    """One yes/no cell; None when it is neither."""
    text = cell.strip().casefold()
    return True if text in YES else False if text in NO else None
