"""A unit's draft plan for the year as PDF: the same content as the Word draft, printed by WeasyPrint."""

from __future__ import annotations

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.plan_doc import plan_context
from reports.templating import render


def render_plan_html(report: GapReport) -> str:
    return render("plan_pdf.html.j2", d=plan_context(report))


def render_plan_pdf(report: GapReport) -> bytes:
    # WeasyPrint is imported when a PDF is made, not when the formats are listed (certify.formats)
    from reports.pdf import html_to_pdf, stylesheet

    return html_to_pdf(render_plan_html(report), [stylesheet("plan_pdf.css.j2")])


def render_plan_md(report: GapReport) -> str:
    return render("plan.md.j2", d=plan_context(report))


PLAN_PDF = GapFormat("plan-pdf", ".pdf", "Dự thảo Kế hoạch chuyển đổi số năm (PDF để đọc, in)", render_plan_pdf)
PLAN_MD = GapFormat("plan-md", ".md", "Dự thảo Kế hoạch chuyển đổi số năm (Markdown)", render_plan_md)
