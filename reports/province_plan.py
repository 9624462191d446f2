"""The province what-if report («Phân tích nâng mức chuyển đổi số»): tables and charts as PDF and XLSX.

Everything comes from one `certify.plan.province.ProvincePlan` (the CLI, the web page and the API read the same
object): units per level now and after the plan, the k-step plan with the units each step lifts, what blocks
each level, each criterion's effect alone, and the simulation of the province's own proposals.
"""

from __future__ import annotations

import io
from typing import Any

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from certify.framework_base import TIER_VI
from certify.levels.display import show_requirement
from certify.levels.model import LevelFramework
from certify.numbers import fmt_fixed, fmt_percent
from certify.plan.province import ProvincePlan
from reports.charts.palette import level_colour, level_colours
from reports.charts.plan import blockers_svg, levels_before_after_svg, steps_svg
from reports.pdf import html_to_pdf, stylesheet
from reports.provenance import provenance_line
from reports.templating import render
from reports.xlsx_common import new_sheet, put, write_table

METHOD = (
    "Mỗi bước thử lần lượt từng tiêu chí: nâng giá trị lên đúng ngưỡng của mức tiếp theo ở mọi đơn vị mà tiêu chí "
    "đó đang chặn, rồi chạy lại bộ đánh giá với toàn bộ số liệu của các đơn vị ấy; chọn tiêu chí đưa được nhiều "
    "đơn vị lên mức nhất. Khi bằng nhau (thường là không đơn vị nào, vì phần lớn đơn vị còn thiếu nhiều tiêu chí), "
    "chọn tiêu chí gỡ chặn cho nhiều đơn vị còn trong tầm của các bước còn lại nhất, rồi nhiều đơn vị nhất, rồi "
    "theo thứ tự thực hiện của bộ tiêu chí (tiêu chí tiên quyết trước). Bước sau tính trên kết quả của bước trước."
)


def change_text(fw: LevelFramework, code: str, threshold: float | None, units: int) -> str:
    """«CQS-02 đạt ≥ 80% ở 12 đơn vị được chọn», «XHS-03 đạt ngưỡng mức tiếp theo ở 40 đơn vị được chọn»."""
    goal = "ngưỡng mức tiếp theo" if threshold is None else show_requirement(fw.criterion_by_code[code], threshold)
    return f"{code} đạt {goal} ở {units} đơn vị được chọn"


def context(p: ProvincePlan) -> dict[str, Any]:
    d = p.to_dict()
    fw = p.cohort.compiled.fw
    ids = fw.level_ids
    names = d["levels"]
    colours = level_colours(ids)
    before, after = d["before"], d["after_plan"]
    d["tier_vi"] = TIER_VI[fw.tier]
    d["title"] = (
        f"Phân tích nâng mức chuyển đổi số các đơn vị {d['tier_vi']}"
        + (f" tỉnh {d['province']}" if d["province"] else "")
        + f" — số liệu năm {d['year']}, kế hoạch năm {d['plan_year']}"
    )
    d["banner_en"] = fw.banner[1] if fw.banner else None
    d["provenance"] = provenance_line(d["framework"])
    d["method"] = METHOD
    d["level_rows"] = [
        {"name": n, "colour": c, "before": b, "after": a, "change": a - b}
        for n, c, b, a in zip(names, colours, before, after, strict=True)
    ]
    steps = d["greedy"]["steps"]
    d["chart_levels"] = Markup(
        levels_before_after_svg(
            names,
            ids,
            [("Hiện nay", before), (f"Sau {len(steps)} bước", after)],
            "Số đơn vị theo mức: hiện nay và sau kế hoạch",
        )
        or ""
    )
    d["chart_steps"] = Markup(
        steps_svg(
            [f"Bước {s['step']}: {s['criterion']}" for s in steps],
            [s["lifted"] for s in steps],
            "Số đơn vị lên mức ở mỗi bước",
        )
        or ""
    )
    for s in steps:
        s["units_text"] = "; ".join(f"{u['name']} ({u['before']} → {u['after']})" for u in s["units"]) or "—"
    for level in d["blocking"]["levels"]:
        for row in level["criteria"]:
            row["share_text"] = fmt_percent(row["share"], 0)
        svg = blockers_svg(
            [(r["criterion"], r["units"]) for r in level["criteria"]],
            f"Tiêu chí chặn nhiều đơn vị nhất ở mức {level['level_name']}",
            level_colour(ids, level["level"]),
        )
        level["chart"] = Markup(svg or "")
    if d["dti"] is not None and d["dti"]["unit_value"] is not None:
        d["dti"]["unit_value_text"] = fmt_fixed(d["dti"]["unit_value"], 4)
    d["effects_shown"] = [e for e in d["effects"] if e["lifted"]] or d["effects"][:10]
    sim = d["simulation"]
    if sim is not None:
        sim["changes_text"] = [change_text(fw, c["criterion"], c["threshold"], c["units"]) for c in sim["changes"]]
    return d


def render_province_plan_html(p: ProvincePlan) -> str:
    return render("province_plan.html.j2", d=context(p))


def render_province_plan_pdf(p: ProvincePlan) -> bytes:
    return html_to_pdf(render_province_plan_html(p), [stylesheet("province_plan.css.j2")])


def render_province_plan_xlsx(p: ProvincePlan) -> bytes:
    d = context(p)
    banner = f"{d['banner']} ({d['banner_en']})" if d["banner"] else None
    prov = d["provenance"]
    wb = Workbook()
    ws = new_sheet(wb, "Tổng quan", banner, prov, first=True)
    put(ws, 3, 1, d["title"])
    end = write_table(
        ws,
        4,
        ["Mức", "Hiện nay", f"Sau kế hoạch {len(d['greedy']['steps'])} bước", "Thay đổi"],
        [(r["name"], r["before"], r["after"], r["change"]) for r in d["level_rows"]],
        widths=[24, 12, 22, 12],
    )
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Số đơn vị theo mức: hiện nay và sau kế hoạch"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=4, max_row=end - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=end - 1))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "F4")
    put(ws, end + 1, 1, d["method"])

    ws = new_sheet(wb, "Kế hoạch", banner, prov)
    put(ws, 3, 1, f"Kế hoạch {len(d['greedy']['steps'])} bước: tiêu chí nâng được nhiều đơn vị lên mức nhất")
    write_table(
        ws,
        4,
        ["Bước", "Mã", "Tiêu chí", "Số đơn vị phải nâng", "Số đơn vị lên mức", "Cộng dồn", "Bằng điểm với"],
        [
            (
                s["step"],
                s["criterion"],
                s["name"],
                s["units_raised"],
                s["lifted"],
                s["lifted_total"],
                ", ".join(s["ties"]),
            )
            for s in d["greedy"]["steps"]
        ],
        widths=[7, 10, 60, 14, 14, 10, 20],
    )
    ws = new_sheet(wb, "Đơn vị lên mức", banner, prov)
    write_table(
        ws,
        4,
        ["Bước", "Mã tiêu chí", "Mã đơn vị", "Đơn vị", "Khu vực", "Từ mức", "Lên mức"],
        [
            (s["step"], s["criterion"], u["unit"], u["name"], u["area"], u["before"], u["after"])
            for s in d["greedy"]["steps"]
            for u in s["units"]
        ],
        widths=[7, 12, 10, 50, 30, 16, 16],
    )
    ws = new_sheet(wb, "Tiêu chí chặn", banner, prov)
    write_table(
        ws,
        4,
        ["Mức tiếp theo", "Số đơn vị chờ", "Mã", "Tiêu chí", "Số đơn vị bị chặn", "Chặn duy nhất", "Tỷ lệ"],
        [
            (lv["level_name"], lv["units_waiting"], r["criterion"], r["name"], r["units"], r["alone"], r["share"])
            for lv in d["blocking"]["levels"]
            for r in lv["criteria"]
        ],
        widths=[14, 12, 10, 60, 14, 12, 9],
        number_formats={7: "0%"},
    )
    ws = new_sheet(wb, "Tác động", banner, prov)
    put(ws, 3, 1, "Từng tiêu chí đạt ngưỡng mức tiếp theo ở mọi đơn vị nó đang chặn (riêng lẻ, không cộng dồn)")
    write_table(
        ws,
        4,
        ["Mã", "Tiêu chí", "Số đơn vị phải nâng", "Số đơn vị lên mức", "Đơn vị lên mức"],
        [
            (e["criterion"], e["name"], e["units_raised"], e["lifted"], "; ".join(u["name"] for u in e["units"]))
            for e in d["effects"]
        ],
        widths=[10, 60, 14, 14, 60],
    )
    sim = d["simulation"]
    if sim is not None:
        ws = new_sheet(wb, "Kịch bản", banner, prov)
        put(ws, 3, 1, "Kịch bản: " + "; ".join(sim["changes_text"]) + f" — {sim['moved_up']} đơn vị lên mức")
        write_table(
            ws,
            4,
            ["Mã đơn vị", "Đơn vị", "Khu vực", "Từ mức", "Lên mức"],
            [(u["unit"], u["name"], u["area"], u["before"], u["after"]) for u in sim["units"]],
            widths=[10, 50, 30, 16, 16],
        )
    dti = d["dti"]
    if dti is not None:
        ws = new_sheet(wb, "DTI", banner, prov)
        put(ws, 3, 1, f"Bộ chỉ số {dti['framework']}: đầu vào tăng giá trị DTI trung bình nhiều nhất cho một bước")
        end = write_table(
            ws,
            4,
            ["Mã", "Cột", "Tiêu chí", "Một bước", "Số đơn vị", "Tăng giá trị DTI trung bình", "Tăng điểm trung bình"],
            [
                (
                    r["criterion"],
                    r["column"],
                    r["name"],
                    r["effort"],
                    r["units"],
                    r["mean_value_gain"],
                    r["mean_points_gain"],
                )
                for r in dti["province"]
            ],
            widths=[8, 16, 60, 30, 10, 14, 14],
            number_formats={6: "0.0000", 7: "0.00"},
        )
        if dti["unit"]:
            put(ws, end + 1, 1, f"{dti['unit_name']}: giá trị {dti['unit_value_text']}, hạng {dti['unit_rank'] or '—'}")
            write_table(
                ws,
                end + 2,
                ["Mã", "Cột", "Tiêu chí", "Một bước", "Tăng giá trị DTI", "Hạng trước", "Hạng sau"],
                [
                    (
                        r["criterion"],
                        r["column"],
                        r["name"],
                        r["effort"],
                        r["value_gain"],
                        r["rank_before"],
                        r["rank_after"],
                    )
                    for r in dti["for_unit"]
                ],
                number_formats={5: "0.0000"},
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
