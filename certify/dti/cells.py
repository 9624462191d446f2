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
import numpy.typing as npt

from certify.dti.methods import InputKind
from certify.dti.methods.base import BoolArray, FloatArray, IntArray
from certify.dti.table import PAD, Grid, tail_words
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
# a thousands separator («0.855», «85.5», «1234.5»; not «1.234», «.5» or «5.»). Such cells are read all at once,
# straight from the bytes of a file or a column, to exactly what `float` reads; any other cell is read by the one
# rule, cell by cell.
#
# A cell of at most 16 bytes is read from the 8 or 16 bytes that end where it ends, as one or two 64-bit words
# (bytes before the cell read as «0»): its digits make one whole number, exact in 64 bits, and the cell's value is
# that number divided by the power of ten of its decimals. With at most 15 digits both are exact in float64, so
# the one correctly rounded division gives exactly `float(cell)`; a whole number of 16 digits converts to float64
# correctly rounded, as `float` reads it. A longer plain cell (more than 15 digits, such as 1e300 written out) is
# read by `float` itself; it is then refused by its size. tests/dti/test_cells.py checks all of it against the rule.
_U64 = np.dtype("<u8")
_EACH_BYTE = np.uint64(0x0101010101010101)
_LOW_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)  # «0»…«9» → 0…9
_POSITIONS = np.uint64(0x0706050403020100)
_LATER_WORDS = {k: 8 * np.arange(k - 1, -1, -1, dtype=np.uint64) for k in (1, 2)}
_CHUNK = 1 << 15  # cells read in one step: the step's arrays stay in the processor's cache
_POWERS = 10.0 ** np.arange(17)  # exact
_WHOLE_POWERS = 10 ** np.arange(17, dtype=np.uint64)
_LONG_PLAIN = re.compile(rb"[0-9]+(?:\.[0-9]+)?")
_NL = ord("\n")


def _number(text: str, fraction: bool) -> float | NumberTextError:
    """A cell's number by the one rule (`certify.numbers.parse_number`), or why it is not one."""
    try:
        return parse_number(text, percent=fraction).fraction
    except NumberTextError as exc:
        return exc


def _eight_digits(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Eight digits (0…9, one per byte, the first the most significant) as one whole number (SWAR)."""
    words = ((words & _LOW_NIBBLES) * np.uint64(10 * 256 + 1)) >> np.uint64(8)
    words = ((words & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(100 * 65536 + 1)) >> np.uint64(16)
    return ((words & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(10000 * 2**32 + 1)) >> np.uint64(32)


def _windows(buf: bytes, ends: IntArray, lens: IntArray, k: int) -> tuple[FloatArray, BoolArray]:
    """Cells of 1 to 8k bytes: their values and whether each is plain (a value is only meaningful where it is)."""
    words = tail_words(buf, ends, lens, k, fill=ord("0"))
    shifted = words.view(np.uint8) - np.uint8(ord("."))  # (n, 8k): «.» → 0, «/» → 1, «0»…«9» → 2…11
    odd = ((shifted > 11) | (shifted == 1)).view(_U64).any(axis=1)
    point = shifted == 0
    dots = point.view(_U64)
    n_dots = ((dots * _EACH_BYTE) >> np.uint64(56)).sum(axis=1)
    has_dot = n_dots == 1
    # bytes after the point: for a point at byte q of a word, 7 - q (the top byte of the word times 0x0706…00), and
    # 8 for every word after its word
    in_word = (dots * _POSITIONS) >> np.uint64(56)
    after = np.where(has_dot, (in_word + (dots != 0) * _LATER_WORDS[k]).sum(axis=1), 0).astype(np.intp)
    digits = words & ~(dots * np.uint64(255)) & _LOW_NIBBLES  # the point read as a 0
    whole = _eight_digits(digits[:, 0])
    for j in range(1, k):
        whole = whole * np.uint64(10**8) + _eight_digits(digits[:, j])
    low = whole % _WHOLE_POWERS[after]  # the point, read as a 0, put the digits before it one place too high
    whole = np.where(has_dot, (whole - low) // np.uint64(10) + low, whole)
    before = lens - after - has_dot
    ambiguous = has_dot & (before <= 3) & (after == 3) & ~((before == 1) & (whole < 1000))  # «1.234», not «0.123»
    plain = ~odd & (n_dots <= 1) & ~(has_dot & ((before == 0) | (after == 0))) & ~ambiguous
    values: FloatArray = whole / _POWERS[after]
    return values, plain


def plain_cells(buf: bytes, starts: IntArray, ends: IntArray) -> tuple[FloatArray, BoolArray]:
    """The cells `buf[starts[i]:ends[i]]` read at once: each cell's value, NaN where empty, and whether it is plain
    (see above; an empty cell is). `buf` holds at least `PAD` bytes before the first cell."""
    lens = ends - starts
    values = np.empty(len(ends))
    plain = np.empty(len(ends), np.bool_)
    for at in range(0, len(ends), _CHUNK):  # every cell by its last 8 bytes; the longer ones again below
        part = slice(at, at + _CHUNK)
        values[part], plain[part] = _windows(buf, ends[part], lens[part], 1)
    longer = np.flatnonzero(lens > 8)
    if len(longer):
        middle = longer[lens[longer] <= 16]
        for at in range(0, len(middle), _CHUNK):
            take = middle[at : at + _CHUNK]
            values[take], plain[take] = _windows(buf, ends[take], lens[take], 2)
        for i in longer[lens[longer] > 16].tolist():
            cell = buf[starts[i] : ends[i]]
            plain[i] = _LONG_PLAIN.fullmatch(cell) is not None
            values[i] = float(cell) if plain[i] else np.nan
    values[lens == 0] = np.nan
    return values, plain


def plain_columns(grid: Grid | None, ks: list[int]) -> dict[int, FloatArray]:
    """The columns among `ks` of a file read as a grid (`certify.dti.table.Grid`) whose every cell is plain or
    empty, read at once from its bytes; {} for a file read otherwise, whose columns `parse_column` reads."""
    if grid is None or not ks:
        return {}
    values, plain = plain_cells(grid.buf, grid.starts[:, ks].ravel(), grid.ends[:, ks].ravel())
    shape = (len(grid.starts), len(ks))
    whole = np.all(plain.reshape(shape), axis=0)
    return {k: np.ascontiguousarray(values.reshape(shape)[:, j]) for j, k in enumerate(ks) if whole[j]}


def _plain_column(cells: Sequence[str], joined: str | None = None) -> FloatArray | None:
    """The column at once when every cell is plain (see above), else None. `joined`: the cells joined by line
    breaks, when the caller has it already."""
    if not cells:
        return np.empty(0)
    if joined is None:
        joined = "\n".join(cells)
    if not joined.isascii():
        return None
    buf = b" " * PAD + joined.encode("ascii") + b"\n"
    ends = np.flatnonzero(np.frombuffer(buf, np.uint8) == _NL)
    if len(ends) != len(cells):  # a cell holding a line break: read cell by cell
        return None
    starts = np.concatenate(([PAD], ends[:-1] + 1))
    values, plain = plain_cells(buf, starts, ends)
    return values if plain.all() else None


def _numbers(
    cells: Sequence[str], kind: InputKind, joined: str | None, plain: FloatArray | None
) -> tuple[FloatArray, list[CellError]]:
    fraction = kind is InputKind.FRACTION
    errors: list[CellError] = []
    values = plain if plain is not None else _plain_column(cells, joined)
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
