"""Province summary as an Excel workbook, with native (editable) Excel charts."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from reports.province import ProvinceSummary
from reports.xlsx_common import new_sheet, put, write_table


def render_province_xlsx(s: ProvinceSummary) -> bytes:
    banner = " / ".join(f"{vi} ({en})" for vi, en in s.banners) or None
    prov = "; ".join(f["line"] for f in s.frameworks)
    wb = Workbook()
    first = True
    for t in s.tiers:
        ws = new_sheet(wb, f"Mức độ {t.tier_vi}", banner, prov, first=first)
        first = False
        years = f"{s.year}" + (f" và {s.previous_year}" if t.previous else "")
        put(ws, 3, 1, f"Đơn vị {t.tier_vi} theo mức độ, năm {years}")
        rows: list[list[object]] = [[lv, t.counts[lv], *([t.previous[lv]] if t.previous else [])] for lv in t.levels]
        heads = ["Mức độ", f"Năm {s.year}", *([f"Năm {s.previous_year} (cùng đơn vị)"] if t.previous else [])]
        row = write_table(ws, 4, heads, rows, widths=[40, 12, 22, 12])
        if t.previous is not None:
            put(ws, row + 1, 1, f"Không có kết quả năm {s.previous_year} để so sánh: {t.previous_missing} đơn vị")
            put(ws, row + 2, 1, t.previous_basis)
            row += 3
        chart = BarChart()
        chart.title = f"Đơn vị {t.tier_vi} theo mức độ"
        chart.add_data(
            Reference(ws, min_col=2, max_col=len(heads), min_row=4, max_row=4 + len(t.levels)),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=4 + len(t.levels)))
        ws.add_chart(chart, "F4")

        top = row + 2
        put(ws, top - 1, 1, "Theo huyện / khu vực")
        end = write_table(
            ws, top, ["Huyện / khu vực", *t.levels], [[d, *(r[lv] for lv in t.levels)] for d, r in t.districts.items()]
        )
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = f"Đơn vị {t.tier_vi} theo huyện"
        chart.add_data(
            Reference(ws, min_col=2, max_col=1 + len(t.levels), min_row=top, max_row=end - 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=end - 1))
        for series, colour in zip(chart.series, t.colours, strict=False):  # one colour per level everywhere
            series.graphicalProperties.solidFill = colour.lstrip("#")
        chart.height = 8 + 0.4 * len(t.districts)
        ws.add_chart(chart, f"F{top}")

        ws = new_sheet(wb, f"Tiêu chí chặn {t.tier_vi}", banner, prov)
        write_table(
            ws,
            4,
            ["Mã", "Tiêu chí", "Số đơn vị bị chặn", "Tỷ lệ"],
            [[b["code"], b["name"], b["count"], b["share_text"]] for b in t.blockers],
            widths=[10, 70, 14, 10],
        )

        ws = new_sheet(wb, f"Đơn vị {t.tier_vi}", banner, prov)
        write_table(
            ws,
            4,
            ["Mã", "Đơn vị", "Huyện / khu vực", "Mức độ", "Bộ tiêu chí"],
            [[u["unit"], u["name"], u["district"], u["level"], u["framework"]] for u in t.units],
            widths=[9, 60, 28, 18, 26],
        )
        ws.auto_filter.ref = f"A4:E{4 + len(t.units)}"
        if t.changes:
            ws = new_sheet(wb, f"Thay đổi {t.tier_vi}", banner, prov)
            write_table(
                ws,
                4,
                ["Đơn vị", f"Năm {s.previous_year}", f"Năm {s.year}", "Thay đổi (bậc)"],
                [[c["name"], c["before"], c["after"], c["delta"]] for c in t.changes],
                widths=[60, 16, 16, 12],
            )
    ws = new_sheet(wb, "DTI", banner, prov, first=first)
    if s.dti:
        if s.dti_framework:
            put(ws, 3, 1, s.dti_framework)
        write_table(
            ws,
            4,
            ["Nhóm", "Hạng", "Mã", "Đơn vị", "Chỉ số"],
            [[d.group, d.rank or "—", d.unit, d.name, d.value] for d in s.dti],
            widths=[20, 8, 10, 50, 10],
            number_formats={5: "0.0000"},
        )
    else:
        put(ws, 4, 1, "Chưa có kết quả DTI cho kỳ này (chưa đưa vào báo cáo).")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
