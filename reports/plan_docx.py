"""A unit's draft «Kế hoạch chuyển đổi số năm …» as Word, in the form of Nghị định 30/2020/NĐ-CP.

Page 1 is a one-page summary for the reader who decides (not part of the document to sign). Then the draft:
header (Ủy ban nhân dân … | quốc hiệu, tiêu ngữ), «Số: …/KH-UBND», place and date, title, bases, I. Mục đích,
yêu cầu và mục tiêu, II. Nhiệm vụ (by responsible agency), III. Tổ chức thực hiện, recipients and signature
block; the task table — one row per gap — is the annex, in landscape.
"""

from __future__ import annotations

import io
from typing import Any

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.plan_doc import plan_context
from reports.provenance import provenance_line

TASK_HEADERS = (
    "TT",
    "Tiêu chí",
    "Hiện tại",
    "Mục tiêu",
    "Chỉ tiêu cần tăng",
    "Thời hạn",
    "Tiêu chí tiên quyết",
    "Sản phẩm, minh chứng khi hoàn thành",
    "Ghi chú",
)


def task_rows(items: list[dict[str, Any]], numbering: dict[str, int]) -> list[list[str]]:
    return [
        [
            str(numbering[r["criterion"]]),
            f"{r['criterion']} — {r['name']} (mức {r['level_name']})",
            r["current_text"],
            r["requirement_text"],
            r["indicator"],
            r["quarter_text"],
            r["prerequisites_text"] or "—",
            r["evidence_expected"],
            "; ".join(x for x in (r.get("agency_note"), r["note"]) if x),
        ]
        for r in items
    ]


def _summary(doc: Any, d: dict[str, Any]) -> None:
    from reports.docx_common import add_table, paragraph

    paragraph(doc, "TÓM TẮT KẾ HOẠCH (trang tóm tắt, không thuộc văn bản trình ký)", bold=True, size=10)
    doc.add_heading(f"{d['title']} — {d['issuer']}", level=1)
    facts = [
        ["Mức đạt được (số liệu năm " + str(d["data_year"]) + ")", d["level_name"]],
        ["Mục tiêu", d["target_text"]],
        ["Lộ trình", "; ".join(f"mức {s['level_name']}: năm {s['year']}" for s in d["roadmap_levels"])],
        [f"Mục tiêu năm {d['plan_year']}", d["objective"]],
        [
            "Nhiệm vụ trong năm",
            f"{len(d['rows'])} nhiệm vụ, {len(d['groups'])} cơ quan chủ trì; "
            + ", ".join(f"{q}: {n}" for q, n in d["quarters"]),
        ],
    ]
    if d["late_count"] or d["slow_count"]:
        facts.append(
            [
                "Cảnh báo",
                f"{d['late_count']} nhiệm vụ sau năm mục tiêu; "
                f"{d['slow_count']} nhiệm vụ khó đạt theo tốc độ các năm qua",
            ]
        )
    facts.append(["Bộ tiêu chí", f"{d['framework_title']} ({d['framework_ref']}, trạng thái {d['framework_status']})"])
    add_table(doc, ["Mục", "Nội dung"], facts, [5.0, 11.5], size=11)
    paragraph(doc, "")
    add_table(
        doc,
        ["Cơ quan chủ trì", "Số nhiệm vụ", "Tiêu chí"],
        [[g["agency"], str(g["count"]), g["codes"]] for g in d["groups"]],
        [7.0, 2.2, 7.3],
        size=10,
    )
    paragraph(doc, d["not_official"], italic=True, size=10)


def render_plan_docx(report: GapReport) -> bytes:
    # python-docx is imported when a document is made, not when the formats are listed (certify.formats)
    from docx.enum.text import WD_BREAK

    from reports.docx_common import add_banner_header, new_document
    from reports.nd30 import BLANK, Piece, header, para, rule, signature

    d = plan_context(report)
    year = d["plan_year"]
    doc = new_document(size=14, margins=(2, 2, 3, 1.5))
    banner = f"{d['banner']} ({d['banner_en']})" if d["banner"] else None
    add_banner_header(doc, banner, "Dự thảo do công cụ certify lập — " + provenance_line(d["framework"]))
    _summary(doc, d)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    upper = d["issuer_upper"]
    header(doc, [["ỦY BAN NHÂN DÂN"], [upper]], [Piece(BLANK, fill=True), "/KH-UBND"], [d["name"]])
    para(doc, ["KẾ HOẠCH"], bold=True, align="center", after=0)
    para(doc, [f"Chuyển đổi số năm {year}"], bold=True, align="center", after=0)
    p = para(doc, [d["title_of"]], bold=True, align="center", after=12)
    rule(p, "3000")

    bases: list[list[Piece | str]] = []
    for dec in d["framework_decisions"]:
        when: list[Piece | str] = [] if dec["dated"] else [" ", Piece("[ngày … tháng … năm …]", fill=True)]
        bases.append([f"Căn cứ Quyết định số {dec['text']}", *when, ";"])
    bases.append(
        [
            "Căn cứ ",
            Piece(f"[văn bản hướng dẫn xây dựng kế hoạch chuyển đổi số năm {year} của Bộ, của tỉnh]", fill=True),
            ";",
        ]
    )
    bases.append(
        [
            f"Căn cứ kết quả đánh giá mức độ chuyển đổi số năm {d['data_year']} của {d['kind']} "
            f"(mức đạt được: {d['level_name']}; bộ tiêu chí {d['framework_ref']}),",
        ]
    )
    for pieces in bases:
        para(doc, pieces, indent=True)
    para(doc, [f"{d['issuer']} ban hành Kế hoạch chuyển đổi số năm {year} như sau:"], indent=True)

    para(doc, ["I. MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU"], bold=True, align="left")
    para(doc, ["1. Mục đích, yêu cầu"], bold=True, align="left", indent=True)
    para(
        doc,
        [
            f"Khắc phục các tiêu chí còn thiếu theo lộ trình đến {d['target_text']}; mỗi nhiệm vụ có cơ quan chủ trì, "
            "thời hạn và sản phẩm, minh chứng cụ thể để đánh giá khi kết thúc năm."
        ],
        indent=True,
    )
    para(doc, ["2. Mục tiêu"], bold=True, align="left", indent=True)
    para(doc, [f"- {d['objective']}."], indent=True)
    para(
        doc,
        [
            "- Lộ trình: "
            + "; ".join(
                f"mức {s['level_name']} năm {s['year']}"
                + (" (đã quá năm mục tiêu của bộ tiêu chí)" if s["overdue"] else "")
                for s in d["roadmap_levels"]
            )
            + "."
        ],
        indent=True,
    )
    para(doc, [f"- Chỉ tiêu năm {year}:"], indent=True, after=0)
    for r in d["rows"]:
        para(doc, [f"+ {r['name']}: {r['requirement_text']} ({r['indicator']})."], indent=True, after=0, size=13)

    para(doc, ["II. NHIỆM VỤ"], bold=True, align="left")
    para(
        doc,
        [f"{len(d['rows'])} nhiệm vụ, chi tiết tại Phụ lục kèm theo (mỗi dòng một tiêu chí còn thiếu), gồm:"],
        indent=True,
    )
    for k, g in enumerate(d["groups"], 1):
        para(doc, [f"{k}. {g['agency']} chủ trì {g['count']} nhiệm vụ ({g['codes']})."], indent=True, after=0)
    para(doc, ["III. TỔ CHỨC THỰC HIỆN"], bold=True, align="left")
    para(
        doc,
        [
            "1. Các cơ quan, bộ phận được giao chủ trì tại Mục II triển khai nhiệm vụ đúng thời hạn, lưu sản phẩm, "
            "minh chứng theo Phụ lục; báo cáo kết quả hằng quý về Văn phòng HĐND và UBND."
        ],
        indent=True,
    )
    para(
        doc,
        [
            "2. Văn phòng HĐND và UBND theo dõi, tổng hợp tiến độ (bảng theo dõi kèm theo), tham mưu báo cáo kết quả "
            "chuyển đổi số năm " + str(year) + " và cập nhật số liệu tự đánh giá."
        ],
        indent=True,
    )
    para(doc, ["3. Kinh phí thực hiện: ", Piece("[nguồn kinh phí, dự toán]", fill=True), "."], indent=True, after=12)
    signature(
        doc,
        [
            ["- UBND tỉnh (qua Sở Khoa học và Công nghệ);"],
            ["- Thường trực Đảng ủy, HĐND ", d["kind"], ";"],
            ["- Chủ tịch, các Phó Chủ tịch UBND ", d["kind"], ";"],
            ["- Các cơ quan, bộ phận tại Mục II;"],
            ["- Lưu: VT, ", Piece(BLANK, fill=True), "."],
        ],
        "TM. ỦY BAN NHÂN DÂN",
        [Piece("[CHỦ TỊCH / KT. CHỦ TỊCH – PHÓ CHỦ TỊCH]", fill=True)],
        [Piece("[Họ và tên người ký]", fill=True)],
    )
    _annex(doc, d)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _annex(doc: Any, d: dict[str, Any]) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    from reports.docx_common import add_grouped_table
    from reports.nd30 import BLANK, Piece, para

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = (
        Cm(2),
        Cm(1.5),
        Cm(2),
        Cm(1.5),
    )
    para(doc, ["PHỤ LỤC"], bold=True, align="center", after=0)
    para(doc, [f"NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM {d['plan_year']}"], bold=True, align="center", after=0)
    para(
        doc,
        [
            "(Kèm theo Kế hoạch số ",
            Piece(BLANK, fill=True),
            "/KH-UBND ngày ",
            Piece(BLANK, fill=True),
            f" của {d['issuer']})",
        ],
        italic=True,
        align="center",
        after=8,
    )
    numbering = {r["criterion"]: k for k, r in enumerate((r for g in d["groups"] for r in g["items"]), 1)}
    add_grouped_table(
        doc,
        TASK_HEADERS,
        [
            (f"Cơ quan chủ trì: {g['agency']} ({g['count']} nhiệm vụ)", task_rows(g["items"], numbering))
            for g in d["groups"]
        ],
        [0.9, 5.6, 2.6, 1.7, 2.6, 1.9, 2.9, 4.6, 3.4],
        size=9,
    )


PLAN_DOCX = GapFormat(
    "plan-docx", ".docx", "Dự thảo Kế hoạch chuyển đổi số năm (Word, thể thức NĐ 30/2020)", render_plan_docx
)
