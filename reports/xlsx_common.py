"""Excel building blocks: formula-safe cells, the banner row and print header on every sheet.

Unit names and notes are typed by people; every cell goes through `certify.cellsafe.set_cell`, the one rule
of every CSV and XLSX output, so a text starting with = + - @ is never evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from certify.cellsafe import set_cell

BANNER_FILL = PatternFill("solid", fgColor="FFF3CD")
HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    set_cell(ws.cell(row=row, column=col), value)


def new_sheet(wb: Workbook, title: str, banner: str | None, provenance: str, first: bool = False) -> Worksheet:
    """A sheet whose row 1 is the banner (or the provenance) and whose printed pages carry both."""
    ws = wb.active if first and wb.active is not None else wb.create_sheet()
    assert isinstance(ws, Worksheet)
    ws.title = title[:31]
    put(ws, 1, 1, f"⚠ {banner}" if banner else provenance)
    ws.cell(row=1, column=1).font = Font(bold=True, color="9A6000" if banner else "555555")
    if banner:
        ws.cell(row=1, column=1).fill = BANNER_FILL
    put(ws, 2, 1, provenance)
    ws.cell(row=2, column=1).font = Font(size=8, color="555555")
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None and ws.sheet_properties.pageSetUpPr is not None
    if banner:
        header.center.text = banner.replace("&", "&&")  # & starts a header code in Excel
        header.center.size = 10
        header.center.font = "Times New Roman,Bold"
    footer.left.text = provenance[:200].replace("&", "&&")
    footer.left.size = 7
    footer.right.text = "Trang &P/&N"
    ws.print_title_rows = "1:2"  # the banner rows repeat on every printed page as well
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def write_table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    number_formats: dict[int, str] | None = None,
) -> int:
    """Header row at `top`, data below; returns the next free row."""
    for c, h in enumerate(headers, 1):
        put(ws, top, c, h)
        cell = ws.cell(row=top, column=c)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = WRAP
    for r, values in enumerate(rows, top + 1):
        for c, v in enumerate(values, 1):
            put(ws, r, c, v)
            cell = ws.cell(row=r, column=c)
            cell.alignment = WRAP
            if number_formats and c in number_formats:
                cell.number_format = number_formats[c]
    if widths:
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
    return top + len(rows) + 1
