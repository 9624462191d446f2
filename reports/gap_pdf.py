"""Unit gap report as PDF: WeasyPrint prints the HTML report with its print CSS and the bundled fonts."""

from __future__ import annotations

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.fonts import font_face_css
from reports.gap import render_html
from reports.pdf import html_to_pdf


def render_pdf(report: GapReport) -> bytes:
    return html_to_pdf(render_html(report, font_css=font_face_css()))


PDF = GapFormat("pdf", ".pdf", "PDF để in và ký (printable PDF)", render_pdf)
