"""Unit gap report as a Word document (python-docx), from the same context as the HTML report."""

from __future__ import annotations

import io

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.charts.radar import radar_png
from reports.charts.shares import pillar_shares
from reports.gap import chart_level, context
from reports.provenance import provenance_line


def render_docx(report: GapReport) -> bytes:
    # python-docx is imported when a document is made, not when the formats are listed (certify.formats)
    from docx.shared import Cm

    from reports.docx_common import (
        add_banner_header,
        add_grouped_table,
        add_signature,
        add_table,
        new_document,
        paragraph,
    )

    r = context(report)
    doc = new_document(size=12, margins=(2, 2, 2, 1.5))
    add_banner_header(
        doc, f"{r['banner']} ({r['banner_en']})" if r["banner"] else None, provenance_line(r["framework"])
    )
    name = r["unit_name"] or r["unit"]
    doc.add_heading("Báo cáo khoảng cách chuyển đổi số", level=1)
    paragraph(doc, f"{name} (mã {r['unit']}, {r['tier_vi']}) — năm đánh giá {r['year']}", bold=True)
    paragraph(
        doc,
        f"Bộ tiêu chí: {r['framework_title']} ({r['framework_ref']}, trạng thái {r['framework_status']}"
        + (f"; nguồn: {r['framework_source']}" if r["framework_source"] else "")
        + ")",
        size=10,
    )
    p = paragraph(doc, "Mức đạt được: ")
    p.add_run(r["level_name"]).bold = True
    if r["next_level"]:
        p.add_run(f" — mức tiếp theo: {r['roadmap'][0]['level_name']}")
    add_table(doc, [lv["name"] for lv in r["levels"]], [["Đạt" if lv["held"] else "Chưa đạt" for lv in r["levels"]]])

    ev = report.evaluation
    png = radar_png(pillar_shares(ev, chart_level(ev)), f"Mức {r['chart_level_name']}")
    doc.add_picture(io.BytesIO(png), width=Cm(9))
    paragraph(doc, f"Hình 1. {r['radar_caption']}", italic=True, size=10)

    if r["next_level"]:
        first = r["roadmap"][0]
        doc.add_heading(f"Vì sao chưa đạt mức {first['level_name']}", level=2)
        missing = f", trong đó {r['missing_count']} tiêu chí thiếu số liệu" if r["missing_count"] else ""
        overdue = f" (bộ tiêu chí đặt mục tiêu năm {first['due_year']}: đã quá hạn)" if first["overdue"] else ""
        paragraph(doc, f"Mục tiêu: {r['target_text']}; kế hoạch từ năm {r['start_year']}.", bold=True)
        paragraph(
            doc,
            f"Còn {len(r['items'])} tiêu chí chưa đạt{missing}; theo lộ trình, đạt mức này năm {first['year']}"
            f"{overdue}. Nhóm theo cơ quan chủ trì; «nguyên nhân gốc» làm trước.",
        )
        groups = []
        for g in r["agency_groups"]:
            rows = []
            for i in g["items"]:
                current = i["current_text"] + (f"\nKiểm chứng: {i['evidence_text']}" if i["evidence_text"] else "")
                note = "\n".join(
                    [
                        i["note"],
                        *([f"({i['agency_note']})"] if i["agency_note"] else []),
                        *(f"⚠ {f}" for f in i["flags"]),
                    ]
                )
                rows.append(
                    [
                        str(i["order"]),
                        i["criterion"],
                        i["name"],
                        current,
                        f"{i['progress_text']}: {i['progress_label']}",
                        i["gap_text"],
                        i["quarter_text"],
                        note,
                    ]
                )
            groups.append((f"Cơ quan chủ trì: {g['agency']} — {g['count']} tiêu chí", rows))
        add_grouped_table(
            doc,
            ["TT", "Mã", "Tiêu chí", "Hiện tại", "Tiến độ (hiện tại / mục tiêu)", "Khoảng cách", "Thời hạn", "Ghi chú"],
            groups,
            [0.8, 1.5, 4.4, 2.6, 2.4, 2.3, 1.7, 2.3],
            size=9,
        )

        doc.add_heading(f"Lộ trình đến mức {r['roadmap'][-1]['level_name']}", level=2)
        paragraph(
            doc,
            "; ".join(
                f"Mức {s['level_name']}: năm {s['year']} ({len(s['items'])} tiêu chí cần đạt)" for s in r["roadmap"]
            )
            + ". Mỗi năm: các tiêu chí đến hạn theo quý, tiêu chí tiên quyết trước.",
        )
        for y in r["roadmap_by_year"]:
            reached = f": đạt mức {', '.join(y['levels'])}" if y["levels"] else ""
            doc.add_heading(f"Năm {y['year']}{reached} — {len(y['items'])} tiêu chí", level=3)
            if not y["items"]:
                continue
            rows = [
                [
                    i["quarter_text"],
                    i["criterion"],
                    i["name"] + "".join(f"\n⚠ {f}" for f in i["flags"]),
                    i["level_name"],
                    f"{i['progress_label']}\n{i['gap_text']}",
                    i["agency"] or "",
                ]
                for i in y["items"]
            ]
            add_table(
                doc,
                ["Thời hạn", "Mã", "Tiêu chí", "Mức", "Hiện tại / yêu cầu", "Cơ quan chủ trì"],
                rows,
                [2.0, 1.5, 5.6, 1.6, 3.3, 4.0],
                size=9,
            )
    else:
        paragraph(doc, "Đơn vị đã đạt mức cao nhất của bộ tiêu chí.")

    doc.add_heading(f"Tình trạng từng tiêu chí ở mức {r['chart_level_name']}", level=2)
    rows = [
        [
            c["code"],
            c["name"] or "",
            c["pillar_name"],
            c["value_text"],
            c["requirement_text"],
            c["progress_text"],
            c["verdict_vi"],
            c["evidence_text"],
        ]
        for c in r["criteria"]
    ]
    add_table(
        doc,
        ["Mã", "Tiêu chí", "Trụ cột", "Hiện tại", "Yêu cầu", "Tiến độ", "Kết quả", "Tài liệu kiểm chứng"],
        rows,
        [1.5, 4.6, 1.8, 2.5, 1.6, 1.3, 1.5, 3.2],
        size=9,
    )
    add_signature(
        doc,
        ["NGƯỜI LẬP BIỂU", "_(Ký, ghi rõ họ tên)_"],
        ["_…………, ngày …… tháng …… năm ……_", "THỦ TRƯỞNG ĐƠN VỊ", "_(Ký, ghi rõ họ tên, đóng dấu)_"],
    )
    doc.add_heading("Căn cứ tính toán", level=2)
    paragraph(doc, provenance_line(r["framework"], r["input_hash"]) + ".", size=9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


DOCX = GapFormat(
    "docx",
    ".docx",
    "Word (sửa và ký / edit and sign)",
    render_docx,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
