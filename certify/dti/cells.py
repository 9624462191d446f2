"""Turning a column of text cells into the float array a scoring method reads.

Every number is read by the one rule for numbers people type (`certify.numbers.parse_number`, docs/numbers.md):
«60%», «0,6» and «1.234,5» are read, «1.234» in a decimal column is refused as ambiguous, never taken as 1.234.
The cells written plainly convert in one vectorised step that gives exactly what the rule gives
(`certify.numbers.plain_numbers`); any other cell is read by the rule one by one, to say exactly which cell is
wrong and why. Empty cells become NaN ("no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from certify.csv_grid import Grid
from certify.dti.methods import InputKind
from certify.dti.methods.base import FloatArray
from certify.limits import current
from certify.numbers import NumberTextError, parse_number, plain_cells, plain_numbers

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


def _number(text: str, fraction: bool) -> float | NumberTextError:
    """A cell's number by the one rule (`certify.numbers.parse_number`), or why it is not one."""
    try:
        return parse_number(text, percent=fraction).fraction
    except NumberTextError as exc:
        return exc


def plain_columns(grid: Grid | None, ks: list[int]) -> dict[int, FloatArray]:
    """The columns among `ks` of a file read as a grid (`certify.csv_grid.Grid`) whose every cell is plain or
    empty (`certify.numbers.plain_cells`), read at once from its bytes; {} for a file read otherwise, whose columns
    `parse_column` reads."""
    if grid is None or not ks:
        return {}
    values, plain, _ = plain_cells(grid.buf, grid.starts[:, ks].ravel(), grid.ends[:, ks].ravel())
    shape = (len(grid.starts), len(ks))
    whole = np.all(plain.reshape(shape), axis=0)
    return {k: np.ascontiguousarray(values.reshape(shape)[:, j]) for j, k in enumerate(ks) if whole[j]}


def _numbers(
    cells: Sequence[str], kind: InputKind, joined: str | None, plain: FloatArray | None
) -> tuple[FloatArray, list[CellError]]:
    fraction = kind is InputKind.FRACTION
    errors: list[CellError] = []
    if plain is not None:
        values = plain
    else:  # the plain cells at once, the others one by one
        values, read, shown_percent = plain_numbers(cells, percent=fraction, joined=joined)
        if shown_percent.any():
            values = np.where(shown_percent, values / 100, values)
        seen: dict[str, float | NumberTextError] = {}
        for i in np.flatnonzero(~read).tolist():
            cell = cells[i]
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


Distinct = tuple[list[str], npt.NDArray[np.intp]]  # a column's distinct cells, and each cell's index among them


def _distinct(cells: Sequence[str]) -> Distinct:
    found: dict[str, int] = {}
    index = np.fromiter((found.setdefault(c, len(found)) for c in cells), np.intp, len(cells))
    return list(found), index


def _labels(
    cells: Sequence[str], table: dict[str, float], expected: str, distinct: Distinct | None
) -> tuple[FloatArray, list[CellError]]:
    # A column holds a handful of distinct labels: look each up once, then map the column in one step.
    texts, index = distinct if distinct is not None else _distinct(cells)
    lookup = np.array([table.get(t.casefold(), _UNKNOWN) if t else np.nan for t in texts], np.float64)
    values: FloatArray = lookup[index]
    bad = np.flatnonzero(values == _UNKNOWN)
    values[bad] = np.nan
    errors = [
        CellError(
            int(i), "Giá trị không thuộc danh sách cho phép", "Value not among those allowed", expected, texts[index[i]]
        )
        for i in bad
    ]
    return values, errors


def parse_column(
    cells: Sequence[str],
    kind: InputKind,
    options: Sequence[str] = (),
    joined: str | None = None,
    plain: FloatArray | None = None,
    distinct: Distinct | None = None,
) -> tuple[FloatArray, list[CellError]]:
    """What a caller may know already, so that no cell need be looked at one by one: `joined`, the cells joined by
    line breaks (`Table.column_text`); `plain`, a column of numbers read at once from a file's bytes because every
    cell is plain (`plain_columns`); `distinct`, the column's distinct cells (`Table.distinct`)."""
    if kind is InputKind.YESNO:
        table = {v: 1.0 for v in YES} | {v: 0.0 for v in NO}
        return _labels(cells, table, YESNO_EXPECTED, distinct)
    if kind is InputKind.OPTION:
        return _labels(cells, {o.casefold(): float(k) for k, o in enumerate(options)}, " | ".join(options), distinct)
    return _numbers(cells, kind, joined, plain)


def parse_yes_no(cell: str) -> bool | None:
    """One yes/no cell; None when it is neither."""
    text = cell.strip().casefold()
    return True if text in YES else False if text in NO else None
