"""Turning a column of text cells into the float array a scoring method reads.

Numbers convert in one vectorised step; only a column that fails falls back to cell by cell,
to say exactly which cell is wrong and why. Empty cells become NaN ("no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from certify.dti.methods import InputKind
from certify.dti.methods.base import FloatArray

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


def _number(text: str, fraction: bool) -> float | tuple[str, str]:
    """A cell's number, or (vi, en) saying why it is not one."""
    body = text.replace(" ", "")
    percent = fraction and body.endswith("%")
    if percent:
        body = body[:-1]
    try:
        value = float(body)
    except ValueError:
        if "," in body and body.replace(",", "", 1).replace(".", "", 1).isdigit():
            return "Dùng dấu chấm cho phần thập phân", "Use a dot as the decimal separator"
        return "Không phải là số", "Not a number"
    if not np.isfinite(value):
        return "Không phải là số hữu hạn", "Not a finite number"
    return value / 100 if percent else value


def _numbers(cells: Sequence[str], kind: InputKind) -> tuple[FloatArray, list[CellError]]:
    fraction = kind is InputKind.FRACTION
    text = np.asarray(cells, dtype=str)
    empty = text == ""
    errors: list[CellError] = []
    try:
        values = np.where(empty, "nan", text).astype(np.float64)
        if not np.all(np.isfinite(values) | empty):
            raise ValueError("non-finite")
    except ValueError:
        values = np.full(len(cells), np.nan)
        for i, cell in enumerate(cells):
            if not cell:
                continue
            got = _number(cell, fraction)
            if isinstance(got, tuple):
                errors.append(CellError(i, got[0], got[1], "một số / a number", cell))
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
    return values, errors


def _labels(cells: Sequence[str], table: dict[str, float], expected: str) -> tuple[FloatArray, list[CellError]]:
    values = np.full(len(cells), np.nan)
    errors: list[CellError] = []
    cache: dict[str, float | None] = {}
    for i, cell in enumerate(cells):
        if not cell:
            continue
        if cell not in cache:
            cache[cell] = table.get(cell.casefold())
        got = cache[cell]
        if got is None:
            errors.append(
                CellError(i, "Giá trị không thuộc danh sách cho phép", "Value not among those allowed", expected, cell)
            )
        else:
            values[i] = got
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
