"""Unit gap report («Báo cáo khoảng cách») as HTML and Markdown; the PDF prints the same HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from certify.formats import GapFormat
from certify.levels.display import show_value
from certify.levels.evaluate import Evaluation
from certify.levels.gap import GapReport
from certify.levels.model import Criterion, LevelFramework
from certify.numbers import fmt_percent
from certify.plan.unit import group_by_agency
from reports.charts.radar import radar_svg
from reports.charts.shares import pillar_shares
from reports.evidence import evidence_text
from reports.templating import render

SORT_JS = Path(__file__).parent / "static" / "table-sort.js"


def chart_level(ev: Evaluation) -> str:
    """The level the per-pillar picture is drawn at: the next one, or the top once it is held."""
    return ev.next_level or ev.fw.level_ids[-1]


def progress(crit: Criterion, current: float | None, target: float | bool | None) -> float:
    """Share of the way to the target, 0–1, for the progress bar.

    Lower-is-better indicators (days, incidents) read target/current; yes/no is all or nothing.
    """
    if current is None or target is None:
        return 0.0
    goal = 1.0 if target is True else float(target)
    lower = crit.indicator is not None and crit.indicator.direction == "lower"
    if lower:
        share = 1.0 if current <= goal else (goal / current if current else 1.0)
    else:
        share = 1.0 if current >= goal else (current / goal if goal else 1.0)
    return max(0.0, min(1.0, share))


def level_counts(ev: Evaluation) -> list[dict[str, Any]]:
    """Per level: the core's one count (criteria met / criteria that count, missing, not applicable)."""
    return [
        {
            "id": t.id,
            "name": t.name,
            "held": t.held,
            "total": t.counted,
            "met": t.met,
            "missing": t.missing,
            "na": t.na,
            "count_text": t.text_vi(),
        }
        for t in ev.tallies()
    ]


def _with_progress(item: dict[str, Any], crit: Criterion) -> dict[str, Any]:
    """The bar's share, and its label «value / target» («88,4% / ≥ 100%»), so a bar never stands alone."""
    item["progress"] = progress(crit, item["current"], item["target"])
    item["progress_text"] = fmt_percent(item["progress"], 0)
    value = show_value(crit, item["current"]) if item["current"] is not None else item["current_text"]
    item["progress_label"] = f"{value} / {item['requirement_text']}"
    item["evidence_text"] = evidence_text(item["evidence"])
    item["note"] = "Nguyên nhân gốc" if item["root_cause"] else "Sau " + ", ".join(item["blocked_by"])
    return item


def target_text(data: dict[str, Any], fw: LevelFramework) -> str:
    """«mức Toàn diện năm 2030 (năm mục tiêu của bộ tiêu chí, inferred)»: where the year comes from, said."""
    if not data["target_level"]:
        return "đã đạt mức cao nhất của bộ tiêu chí"
    text = f"mức {data['target_level_name']}"
    year, source = data["target_year"], data["target_year_from"]
    if year is None:
        return f"{text}; chưa có năm mục tiêu: lộ trình mỗi năm một mức"
    if source == "assessment":
        return f"{text} năm {year} (do đơn vị đặt)"
    due = fw.level_by_id[data["target_level"]].target_year
    status = f", {due.status.value}" if due else ""
    return f"{text} năm {year} (năm mục tiêu của bộ tiêu chí{status})"


def context(report: GapReport) -> dict[str, Any]:
    ev = report.evaluation
    fw = ev.fw
    by_code = fw.criterion_by_code
    data = report.to_dict()
    data["framework_title"] = fw.title
    data["framework_ref"] = fw.ref
    data["framework_status"] = fw.status.value
    data["framework_source"] = fw.source.cite() or fw.source.title or ""
    data["banner_en"] = fw.banner[1] if fw.banner else None
    data["tier_vi"] = {"commune": "cấp xã", "district": "cấp huyện"}.get(data["tier"], data["tier"])
    data["levels"] = level_counts(ev)
    for item in [
        *data["items"],
        *(i for s in data["roadmap"] for i in s["items"]),
        *(i for y in data["roadmap_by_year"] for i in y["items"]),
    ]:
        _with_progress(item, by_code[item["criterion"]])
    data["agency_groups"] = group_by_agency(data["items"])
    data["target_text"] = target_text(data, fw)
    level = chart_level(ev)
    pillar_name = {p.id: p.name for p in fw.pillars}
    criteria = []
    for r in ev.results(level):
        row = ev.result_dict(r)
        row["pillar_name"] = pillar_name.get(row["pillar"], row["pillar"])
        row["progress"] = progress(by_code[r.code], row["value"], r.threshold)
        row["progress_text"] = fmt_percent(row["progress"], 0)
        row["evidence_text"] = evidence_text(row.get("evidence"))
        row["na_note"] = row["not_applicable"]["policy"] if "not_applicable" in row else ""
        criteria.append(row)
    shares = pillar_shares(ev, level)
    data["chart_level"] = level
    data["chart_level_name"] = fw.level_name(level)
    data["criteria"] = criteria
    data["pillar_shares"] = [
        {"name": s.name, "met": s.met, "total": s.total, "share_text": fmt_percent(s.share, 0)} for s in shares
    ]
    data["radar_caption"] = (
        f"Tỷ lệ tiêu chí đạt theo trụ cột ở mức {fw.level_name(level)}: số tiêu chí đạt "
        "(kể cả «không áp dụng» được tính là đạt) trên số tiêu chí được tính ở mức này."
    )
    data["radar_svg"] = Markup(radar_svg(shares, data["radar_caption"]))
    data["missing_count"] = sum(i["verdict"] == "missing" for i in data["items"])
    return data


def sort_script() -> str:
    """The table-sorting script (reports/static/table-sort.js), inlined in the stand-alone HTML file only.

    A downloaded report is opened from disk, where no server can send a script file and no CSP applies; the
    web app serves the same file at /static/plan/table-sort.js to its own pages, which carry no inline script.
    """
    return SORT_JS.read_text(encoding="utf-8")


def render_html(report: GapReport, *, font_css: str = "") -> str:
    """`font_css`: @font-face rules for WeasyPrint; the stand-alone HTML uses the reader's fonts."""
    return render("gap.html.j2", r=context(report), font_css=Markup(font_css), sort_js=Markup(sort_script()))


def render_markdown(report: GapReport) -> str:
    return render("gap.md.j2", r=context(report))


HTML = GapFormat("html", ".html", "Trang HTML in được (printable HTML)", render_html, "text/html; charset=utf-8")
MARKDOWN = GapFormat(
    "md", ".md", "Markdown (dán vào kế hoạch / paste into a plan)", render_markdown, "text/markdown; charset=utf-8"
)
