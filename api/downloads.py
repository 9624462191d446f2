"""The dashboard's DTI ranking as a file: exactly the rows the page shows for the same query (filters, sort,
page), the columns of its table, the levels named in the page's language, figures as published (DTI values
4 decimals, points 2). CSV (UTF-8 with a byte-order mark, so that Excel reads the accents) or XLSX (a heading with
the year, tier, filters, sort and the framework's warnings above the table). Every cell through `certify.cellsafe`:
a unit name never runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from api.dashboard import NO_LEVEL, RANKING_COLUMNS, ranking_cells
from api.i18n import Translator
from certify.cellsafe import append_row, neutralise_row
from certify.dti.numbers import POINT_DECIMALS, VALUE_DECIMALS, points_text, value_text

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Columns holding DTI values (4 decimals) and point totals (2): their number format in the workbook.
VALUE_COLUMNS = {"Giá trị DTI", "Năm trước", "Thay đổi"}
POINT_COLUMNS = {"Điểm"}


def _heading(
    ranking: dict[str, Any], data: dict[str, Any], tr: Translator, level_text: Callable[[str | None], str]
) -> list[str]:
    paging = ranking["paging"]
    filters = ranking["filters"]
    lines = [
        f"{ranking['title']} — {tr('Năm')} {data['year']}, {tr.label('tier', data['tier'])}",
        tr("Đơn vị {first}–{last} trong {total}; sắp xếp theo «{sort}», {order}").format(
            first=paging["first"],
            last=paging["last"],
            total=paging["total"],
            sort=tr(SORT_NAMES[ranking["sort"]]),
            order=tr("giảm dần") if ranking["order"] == "desc" else tr("tăng dần"),
        ),
    ]
    if filters["district"] or filters["level"]:
        lines.append(
            tr("Bộ lọc: huyện «{district}», mức «{level}»").format(
                district=filters["district"] or tr("Tất cả"),
                level=level_text(None if filters["level"] == NO_LEVEL else filters["level"])
                if filters["level"]
                else tr("Tất cả"),
            )
        )
    if not ranking["published"]:
        lines.append(tr("Kết quả chưa công bố: chỉ tỉnh xem được."))
    lines += [f"⚠ {tr.pick(vi, en)}" for vi, en in ranking.get("caveats") or []]
    return lines


SORT_NAMES = {
    "rank": "Hạng",
    "name": "Đơn vị",
    "district": "Huyện (trước 01/7/2025)",
    "level": "Mức",
    "points": "Điểm",
    "value": "Giá trị DTI",
    "change": "Thay đổi",
}


def ranking_file(
    ranking: dict[str, Any], data: dict[str, Any], fmt: str, tr: Translator, level_text: Callable[[str | None], str]
) -> Response:
    header = [tr(c) for c in RANKING_COLUMNS]
    cells = ranking_cells(ranking["rows"], level_text, tr)
    name = f"xep-hang-dti-{data['year']}-{data['tier']}-trang-{ranking['paging']['page']}.{fmt}"
    if fmt == "csv":
        body = _csv(header, cells, ranking, tr)
    else:
        body = _xlsx(header, cells, _heading(ranking, data, tr, level_text))
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"},
    )


def _csv(header: list[str], cells: list[list[Any]], ranking: dict[str, Any], tr: Translator) -> bytes:
    """Header and rows only, so that any program reads it; a framework's warnings go in a last column."""
    caveats = " | ".join(str(tr.pick(vi, en)) for vi, en in ranking.get("caveats") or [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(neutralise_row(header + ([tr("Lưu ý")] if caveats else [])))
    texts = {i: value_text for i, c in enumerate(RANKING_COLUMNS) if c in VALUE_COLUMNS} | {
        i: points_text for i, c in enumerate(RANKING_COLUMNS) if c in POINT_COLUMNS
    }
    for row in cells:  # figures with their published decimals, as the page shows them: 0.4490, 359.36
        shown = ["" if c is None else (texts[i](c) if i in texts else c) for i, c in enumerate(row)]
        writer.writerow(neutralise_row(shown + ([caveats] if caveats else [])))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(header: list[str], cells: list[list[Any]], heading: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DTI"
    for line in heading:
        append_row(ws, [line])
    ws.append([])
    append_row(ws, header)
    top = ws.max_row
    for cell in ws[top]:
        cell.font = Font(bold=True)
    ws.cell(1, 1).font = Font(bold=True)
    formats = {i + 1: "0." + "0" * VALUE_DECIMALS for i, c in enumerate(RANKING_COLUMNS) if c in VALUE_COLUMNS} | {
        i + 1: "0." + "0" * POINT_DECIMALS for i, c in enumerate(RANKING_COLUMNS) if c in POINT_COLUMNS
    }
    for row in cells:
        append_row(ws, row)
        for col, number_format in formats.items():
            ws.cell(ws.max_row, col).number_format = number_format
    ws.freeze_panes = f"A{top + 1}"
    for letter, width in zip("ABCDEFGHIJ", (7, 10, 28, 30, 18, 9, 12, 12, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
