"""Province summary as PDF: HTML template + matplotlib SVG charts, printed by WeasyPrint."""

from __future__ import annotations

from markupsafe import Markup

from reports.charts.province import blockers_svg, levels_by_district_svg
from reports.fonts import font_face_css
from reports.pdf import html_to_pdf
from reports.province import ProvinceSummary
from reports.templating import render


def render_province_html(s: ProvinceSummary, *, font_css: str = "") -> str:
    charts = {
        t.tier: {
            "districts": Markup(levels_by_district_svg(t) or ""),
            "blockers": Markup(blockers_svg(t) or "") if t.blockers else "",
        }
        for t in s.tiers
    }
    return render("province.html.j2", s=s, charts=charts, font_css=Markup(font_css))


def render_province_pdf(s: ProvinceSummary) -> bytes:
    return html_to_pdf(render_province_html(s, font_css=font_face_css()))
