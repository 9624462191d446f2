"""Unit gap report («Báo cáo khoảng cách») as HTML and Markdown."""

from __future__ import annotations

from typing import Any

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.templating import render


def context(report: GapReport) -> dict[str, Any]:
    ev = report.evaluation
    fw = ev.fw
    data = report.to_dict()
    data["framework_title"] = fw.title
    data["framework_ref"] = fw.ref
    data["framework_status"] = fw.status.value
    data["framework_source"] = fw.source.cite()
    data["banner_en"] = fw.banner[1] if fw.banner else None
    data["levels"] = [{"id": lv.id, "name": lv.name, "held": bool(ev.holds[i])} for i, lv in enumerate(fw.levels)]
    for step in data["roadmap"]:
        for item in step["items"]:
            item["progress"] = _progress(item)
    for item in data["items"]:
        item["progress"] = _progress(item)
    return data


def _progress(item: dict[str, Any]) -> float:
    """Share of the way from 0 to the target, for the progress bar (lower-is-better shown inverted)."""
    current, target = item["current"], item["target"]
    if current is None or isinstance(target, bool) or not target:
        return 0.0
    share = current / float(target) if current <= float(target) else float(target) / current
    return max(0.0, min(1.0, share))


def render_html(report: GapReport) -> str:
    return render("gap.html.j2", r=context(report))


def render_markdown(report: GapReport) -> str:
    return render("gap.md.j2", r=context(report))


HTML = GapFormat("html", ".html", "Trang HTML in được (printable HTML)", render_html)
MARKDOWN = GapFormat("md", ".md", "Markdown (dán vào kế hoạch / paste into a plan)", render_markdown)
