"""Unit gap report as PDF: WeasyPrint prints its own template of the report with the bundled fonts.

The printed report is the one officials sign, so it carries everything the gap report must say (level,
why not the next one, every gap with values, targets, differences, agencies, quarters and years, the
roadmap to the target year by year with names, the radar, labelled progress bars, evidence, framework
line and banner, and a date and signature block). It leaves out the full
per-level criteria table, which is in the HTML, XLSX and DOCX reports, and replaces it with one line
per level: the table was a third of the pages and of the rendering time.
"""

from __future__ import annotations

from certify.formats import GapFormat
from certify.levels.gap import GapReport
from reports.evidence import evidence_text
from reports.gap import context
from reports.templating import render


def render_pdf_html(report: GapReport) -> str:
    return render("gap_pdf.html.j2", r=context(report), evidence=evidence_rows(report))


def evidence_rows(report: GapReport) -> list[dict[str, str]]:
    """Every evidence document of the unit, framework order: the PDF has no full criteria table to carry them."""
    ev = report.evaluation
    out = []
    for crit in ev.fw.criteria:
        m = ev.unit.measurements.get(crit.code)
        if m is not None and m.evidence is not None:
            doc = m.evidence.model_dump(mode="json", exclude_none=True)
            out.append({"criterion": crit.code, "name": crit.name or "", "text": evidence_text(doc)})
    return out


def render_pdf(report: GapReport) -> bytes:
    # WeasyPrint is imported when a PDF is made, not when the formats are listed (certify.formats)
    from reports.pdf import html_to_pdf, stylesheet

    return html_to_pdf(render_pdf_html(report), [stylesheet("gap_pdf.css.j2")])


PDF = GapFormat("pdf", ".pdf", "PDF để in và ký (printable PDF)", render_pdf, "application/pdf")
