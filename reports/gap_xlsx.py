"""Unit gap report as an Excel workbook: one sheet per table, numbers as numbers so planners can compute.

A native Excel radar chart (openpyxl) stands for the SVG radar: it stays editable and needs no image.
"""

from __future__ import annotations

import io

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.gap import context
from reports.provenance import provenance_line

PCT = "0.0%"


def render_xlsx(report: GapReport) -> bytes:
    # openpyxl is imported when a workbook is made, not when the formats are listed (certify.formats)
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, RadarChart, Reference

    from reports.xlsx_common import new_sheet, put, write_table

    r = context(report)
    banner = f"{r['banner']} ({r['banner_en']})" if r["banner"] else None
    prov = provenance_line(r["framework"], r["input_hash"])
    wb = Workbook()

    ws = new_sheet(wb, "Tổng quan", banner, prov, first=True)
    info = [
        ("Đơn vị", r["unit_name"] or r["unit"]),
        ("Mã đơn vị", r["unit"]),
        ("Cấp", r["tier_vi"]),
        ("Năm đánh giá", r["year"]),
        ("Mức đạt được", r["level_name"]),
        ("Mức tiếp theo", r["roadmap"][0]["level_name"] if r["roadmap"] else "—"),
        ("Mục tiêu", r["target_text"]),
        ("Kế hoạch từ năm", r["start_year"]),
        ("Số tiêu chí chưa đạt ở mức tiếp theo", len(r["items"])),
        ("Bộ tiêu chí", r["framework_title"]),
        ("Phiên bản", r["framework_ref"]),
        ("Trạng thái bộ tiêu chí", r["framework_status"]),
        ("Mã băm bộ tiêu chí", r["framework"]["content_hash"]),
    ]
    row = write_table(ws, 4, ["Mục", "Giá trị"], info, widths=[34, 70])
    top = row + 1
    put(ws, top - 1, 1, r["radar_caption"])
    shares = [
        (s["name"], s["met"], s["total"], s["met"] / s["total"] if s["total"] else 0.0) for s in r["pillar_shares"]
    ]
    end = write_table(
        ws, top, ["Trụ cột", "Số tiêu chí đạt", "Số tiêu chí tính", "Tỷ lệ đạt"], shares, number_formats={4: PCT}
    )
    chart = RadarChart() if len(shares) >= 3 else BarChart()
    chart.title = f"Tỷ lệ tiêu chí đạt theo trụ cột — mức {r['chart_level_name']}"
    chart.add_data(Reference(ws, min_col=4, min_row=top, max_row=end - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=end - 1))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 9, 12
    ws.add_chart(chart, f"C{top}")

    if r["roadmap"]:
        ws = new_sheet(wb, "Khoảng cách", banner, prov)
        rows = [
            [
                i["order"],
                i["criterion"],
                i["name"],
                i["current"],
                i["current_text"],
                i["requirement"],
                i["requirement_text"],
                i["gap"],
                i["gap_text"],
                i["count_gap"],
                i["count_unit"] or "",
                i["progress"],
                i["agency"] or g["agency"],
                i["year"],
                i["quarter"],
                i["quarter_text"],
                "; ".join([i["note"], *i["flags"]]),
                i["evidence_text"],
            ]
            for g in r["agency_groups"]
            for i in g["items"]
        ]
        put(
            ws,
            3,
            1,
            f"Vì sao chưa đạt mức {r['roadmap'][0]['level_name']}: {len(rows)} tiêu chí chưa đạt, nhóm theo cơ quan "
            f"chủ trì (lọc, sắp xếp bằng nút ở dòng tiêu đề). Mục tiêu: {r['target_text']}.",
        )
        write_table(
            ws,
            4,
            [
                "TT",
                "Mã",
                "Tiêu chí",
                "Hiện tại (số)",
                "Hiện tại",
                "Mục tiêu (số)",
                "Mục tiêu",
                "Chênh lệch (số)",
                "Khoảng cách",
                "Còn thiếu (số lượng)",
                "Đơn vị đếm",
                "Tiến độ",
                "Cơ quan chủ trì",
                "Năm",
                "Quý",
                "Thời hạn",
                "Ghi chú",
                "Tài liệu kiểm chứng",
            ],
            rows,
            widths=[5, 9, 40, 10, 20, 10, 12, 10, 24, 10, 10, 9, 28, 7, 5, 13, 24, 30],
            number_formats={12: PCT},
        )
        ws.freeze_panes = "C5"
        ws.auto_filter.ref = f"A4:R{4 + len(rows)}"

        ws = new_sheet(wb, "Lộ trình", banner, prov)
        rows = [
            [
                y["year"],
                i["quarter"],
                i["quarter_text"],
                i["level_name"],
                i["criterion"],
                i["name"],
                i["current_text"],
                i["requirement_text"],
                i["gap_text"],
                i["count_gap"],
                i["agency"] or "",
                "; ".join(i["flags"]),
            ]
            for y in r["roadmap_by_year"]
            for i in y["items"]
        ]
        put(ws, 3, 1, "; ".join(f"Mức {s['level_name']}: năm {s['year']}" for s in r["roadmap"]))
        write_table(
            ws,
            4,
            [
                "Năm",
                "Quý",
                "Thời hạn",
                "Mức",
                "Mã",
                "Tiêu chí",
                "Hiện tại",
                "Mục tiêu",
                "Khoảng cách",
                "Còn thiếu (số lượng)",
                "Cơ quan chủ trì",
                "Cảnh báo",
            ],
            rows,
            widths=[7, 5, 13, 12, 9, 40, 20, 12, 24, 10, 28, 30],
        )
        ws.freeze_panes = "F5"
        ws.auto_filter.ref = f"A4:L{4 + len(rows)}"

    ws = new_sheet(wb, "Tiêu chí", banner, prov)
    rows = [
        [
            c["code"],
            c["name"] or "",
            c["pillar_name"],
            c["value"],
            c["value_text"],
            c["requirement_text"],
            c["progress"],
            c["verdict_vi"],
            c["evidence_text"],
        ]
        for c in r["criteria"]
    ]
    put(ws, 3, 1, f"Tình trạng từng tiêu chí ở mức {r['chart_level_name']}")
    write_table(
        ws,
        4,
        [
            "Mã",
            "Tiêu chí",
            "Trụ cột",
            "Hiện tại (số)",
            "Hiện tại",
            "Yêu cầu",
            "Tiến độ",
            "Kết quả",
            "Tài liệu kiểm chứng",
        ],
        rows,
        widths=[9, 45, 16, 10, 22, 12, 9, 12, 40],
        number_formats={7: PCT},
    )
    ws.freeze_panes = "B5"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = GapFormat(
    "xlsx",
    ".xlsx",
    "Excel (bảng tính cho kế hoạch / planning workbook)",
    render_xlsx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
