"""The «DTI» sheet of a cycle export: the stored ranking with points per main index and last year's value."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy.orm import Session

from certify.cellsafe import append_row
from certify.dti.numbers import dti_points, dti_value
from certify.store.cycles import frozen_dti
from certify.store.dti_results import ranking
from certify.store.models import Cycle

POINTS_FORMAT, VALUE_FORMAT = "0.00", "0.0000"
BANNER_FILL = PatternFill("solid", fgColor="FFF3CD")


def banner_row(ws: Any, banner: tuple[str, str] | None) -> None:
    """Row 1 of a sheet, and its printed header, say that the framework is a sample or partial one."""
    if banner is None:
        return
    text = f"⚠ {banner[0]} ({banner[1]})"
    append_row(ws, [text])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="9A6000")
    ws.cell(row=ws.max_row, column=1).fill = BANNER_FILL
    ws.oddHeader.center.text = banner[0].replace("&", "&&")  # & starts a header code in Excel
    ws.oddHeader.center.size = 10


def add_dti_sheet(wb: Workbook, session: Session, cycle: Cycle) -> None:
    fw = frozen_dti(cycle)[1]
    rows = ranking(session, cycle.id)
    ws = wb.create_sheet("DTI")
    banner_row(ws, fw.banner)
    indices = [f"{i.code}. {i.name} (tối đa {i.max_points:g})" for i in fw.indices]
    header = [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Huyện (trước 01/7/2025)",
        "Nhóm",
        "Điểm",
        "Điểm tối đa",
        "Giá trị DTI",
        "Xếp loại",
        *indices,
        "Giá trị năm trước",
        "Thay đổi",
        "Tính từ đơn vị (năm trước)",
        "Lưu ý năm trước",
    ]
    append_row(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    first_index = header.index(indices[0]) + 1 if indices else 0
    for r in rows:
        prev: dict[str, Any] | None = r["previous"]
        points = [dti_points(r["detail"]["indices"][i.code]["points"]) for i in fw.indices]
        append_row(
            ws,
            (
                r["rank"],
                r["unit"],
                r["name"],
                ", ".join(r["districts"]),
                r["group"],
                dti_points(r["points"]),
                dti_points(r["max_points"]),
                dti_value(r["value"]),
                r["band"],
                *points,
                dti_value(prev["value"]) if prev else None,
                dti_value(r["change"]),
                ", ".join(prev["units"]) if prev else None,
                "; ".join(prev["marks"]) if prev and prev["marks"] else None,
            ),
        )
        line = ws.max_row
        for col in (6, 7, *range(first_index, first_index + len(indices))):
            ws.cell(line, col).number_format = POINTS_FORMAT
        for col in (8, first_index + len(indices), first_index + len(indices) + 1):
            ws.cell(line, col).number_format = VALUE_FORMAT
    banner = fw.banner
    ws.append([])
    append_row(ws, [(f"Bộ chỉ số: {fw.ref} ({fw.status.value}) — {fw.source.cite()}")])
    if banner:
        append_row(ws, [f"⚠ {banner[0]} ({banner[1]})"])
