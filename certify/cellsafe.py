"""Text cells a spreadsheet would run: one rule for every CSV and XLSX the project writes.

Unit names, comments, evidence summaries are typed by people. A cell text starting with `=`, `+`, `-`, `@` (or a
tab or carriage return before one) is read by Excel and LibreOffice as a formula when the file is opened
(CSV/formula injection: `=HYPERLINK(…)`, `=cmd|…`). `formula_like` is the rule; the writers apply it:

- CSV (`neutralise`): such a text gets a leading apostrophe, the usual defence; the spreadsheet shows it as text.
- XLSX (`set_cell`, `append_row`): the text is stored exactly as typed, as a string with Excel's «quote prefix»,
  so it shows as typed, stays text when edited and reads back unchanged.

Numbers are never touched: int, float and Decimal values, and a text that is a plain signed number («-12,5»,
«+84», «-0.0310»: a negative DTI change, a penalty's points) — a spreadsheet reads it as that number, nothing runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def formula_like(value: object) -> bool:
    """A text a spreadsheet would take for a formula (a plain signed number is a number, not a formula)."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and PLAIN_NUMBER.fullmatch(value) is None


def neutralise(value: Any) -> Any:
    """For text outputs (CSV): a formula-like text with a leading apostrophe; anything else as it is."""
    return "'" + value if formula_like(value) else value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row with every cell through `neutralise`."""
    return [neutralise(v) for v in values]


_LINE_STARTS = tuple("\n" + c for c in FORMULA_START)


def neutralise_column(values: list[str]) -> list[str]:
    """`[neutralise(v) for v in values]` for a column of texts: a column where no line starts like a formula (codes,
    names, figures ≥ 0) is found so in a few searches of its text and returned as it is."""
    text = "\n" + "\n".join(values)
    if not any(start in text for start in _LINE_STARTS):
        return values
    return [neutralise(v) for v in values]


def set_cell(cell: Any, value: Any) -> None:
    """For openpyxl: put `value` in `cell`, a formula-like text kept exact but stored as text."""
    cell.value = value
    if formula_like(value):
        cell.data_type = "s"  # openpyxl typed it as a formula on assignment
        cell.quotePrefix = True


def append_row(ws: Any, values: Iterable[Any]) -> None:
    """For openpyxl: `ws.append(values)` with every formula-like text stored as text (see `set_cell`)."""
    row = list(values)
    ws.append(row)
    if any(formula_like(v) for v in row):
        r = ws.max_row
        for c, v in enumerate(row, 1):
            if formula_like(v):
                set_cell(ws.cell(row=r, column=c), v)
