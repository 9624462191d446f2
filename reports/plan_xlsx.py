"""A unit's plan for the year as an Excel workbook for tracking: the Word annex's table, one row per task, with
empty columns for the progress the agencies report each quarter."""

from __future__ import annotations

import io

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.plan_doc import plan_context
from reports.plan_docx import TASK_HEADERS, task_rows
from reports.provenance import provenance_line

TRACKING = ("Tình trạng (chưa làm / đang làm / xong)", "Giá trị đạt được", "Ngày hoàn thành", "Ghi chú theo dõi")


def render_plan_xlsx(report: GapReport) -> bytes:
    # openpyxl is imported when a workbook is made, not when the formats are listed (certify.formats)
    from openpyxl import Workbook

    from reports.xlsx_common import new_sheet, put, write_table

    d = plan_context(report)
    banner = f"{d['banner']} ({d['banner_en']})" if d["banner"] else None
    prov = provenance_line(d["framework"], d["input_hash"])
    wb = Workbook()
    ws = new_sheet(wb, "Tóm tắt", banner, prov, first=True)
    put(ws, 3, 1, f"{d['title']} — {d['issuer']} (dự thảo)")
    info = [
        ("Đơn vị", d["unit_name"] or d["unit"]),
        ("Mã đơn vị", d["unit"]),
        (f"Mức đạt được (số liệu năm {d['data_year']})", d["level_name"]),
        ("Mục tiêu", d["target_text"]),
        ("Lộ trình", "; ".join(f"mức {s['level_name']}: năm {s['year']}" for s in d["roadmap_levels"])),
        (f"Mục tiêu năm {d['plan_year']}", d["objective"]),
        ("Số nhiệm vụ", len(d["rows"])),
        ("Nhiệm vụ sau năm mục tiêu", d["late_count"]),
        ("Nhiệm vụ khó đạt theo tốc độ các năm qua", d["slow_count"]),
        ("Bộ tiêu chí", f"{d['framework_title']} ({d['framework_ref']}, {d['framework_status']})"),
    ]
    end = write_table(ws, 4, ["Mục", "Nội dung"], info, widths=[40, 90])
    write_table(
        ws,
        end + 1,
        ["Cơ quan chủ trì", "Số nhiệm vụ", "Tiêu chí"],
        [(g["agency"], g["count"], g["codes"]) for g in d["groups"]],
    )

    ws = new_sheet(wb, "Nhiệm vụ", banner, prov)
    put(
        ws,
        3,
        1,
        f"Nhiệm vụ chuyển đổi số năm {d['plan_year']}: một dòng một tiêu chí còn thiếu; lọc theo cơ quan, quý.",
    )
    numbering = {r["criterion"]: k for k, r in enumerate((r for g in d["groups"] for r in g["items"]), 1)}
    rows = []
    for g in d["groups"]:
        for r, text in zip(g["items"], task_rows(g["items"], numbering), strict=True):
            rows.append(
                [
                    numbering[r["criterion"]],
                    g["agency"],
                    r["criterion"],
                    *text[1:5],
                    r["count_gap"],
                    r["count_unit"] or "",
                    r["year"],
                    r["quarter"],
                    *text[5:],
                    "",
                    None,
                    None,
                    "",
                ]
            )
    headers = [
        "TT",
        "Cơ quan chủ trì",
        "Mã",
        *TASK_HEADERS[1:5],
        "Còn thiếu (số lượng)",
        "Đơn vị đếm",
        "Năm",
        "Quý",
        *TASK_HEADERS[5:],
        *TRACKING,
    ]
    write_table(
        ws,
        4,
        headers,
        rows,
        widths=[5, 28, 9, 44, 18, 10, 20, 10, 10, 6, 5, 13, 26, 36, 26, 16, 14, 14, 24],
    )
    last = chr(ord("A") + len(headers) - 1)
    ws.freeze_panes = "D5"
    ws.auto_filter.ref = f"A4:{last}{4 + len(rows)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PLAN_XLSX = GapFormat("plan-xlsx", ".xlsx", "Kế hoạch năm: bảng theo dõi nhiệm vụ (Excel)", render_plan_xlsx)
