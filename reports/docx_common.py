"""Word building blocks shared by the gap report and the recognition decision.

Times New Roman is the administrative font of Nghị định 30/2020/NĐ-CP and ships with full Vietnamese
coverage on the officials' machines; it is set for every script slot (ascii, hAnsi, cs, eastAsia) so
Word never substitutes another face for the diacritics.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentT
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"


def set_run_font(element: object, name: str = FONT) -> None:
    """Set the font for all script slots of a style's or run's rPr."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def new_document(
    size: float = 13, landscape: bool = False, margins: tuple[float, float, float, float] = (2, 2, 3, 1.5)
) -> DocumentT:
    """A4; margins (top, bottom, left, right) in cm as Nghị định 30 (2–2,5 / 2–2,5 / 3–3,5 / 1,5–2)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    set_run_font(normal.element)
    for style in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        st = doc.styles[style]
        st.font.name = FONT
        st.font.color.rgb = RGBColor(0, 0, 0)
        set_run_font(st.element)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = section.page_width, section.page_height
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Cm(m) for m in margins)
    return doc


def add_banner_header(doc: DocumentT, text: str | None, provenance: str) -> None:
    """Banner (sample/partial framework) in the page header and provenance + page number in the footer.

    A header repeats on every page, which is what the banner must do.
    """
    section = doc.sections[0]
    if text:
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(f"⚠ {text}")
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(0x9A, 0x60, 0x00)
    foot = section.footer.paragraphs[0]
    run = foot.add_run(provenance + " — Trang ")
    run.font.size = Pt(8)
    _page_field(foot)


def _page_field(p: Paragraph) -> None:
    run = p.add_run()
    run.font.size = Pt(8)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def add_table(
    doc: DocumentT,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float] | None = None,
    size: float = 10,
) -> Table:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    _repeat_header(table)
    for values in rows:
        _add_row(table, values, size)
    _widths(table, widths_cm)
    return table  # type: ignore[no-any-return]


def _add_row(table: Table, values: Sequence[str], size: float) -> None:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for cell, text in zip(cells, values, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).font.size = Pt(size)


def _widths(table: Table, widths_cm: Sequence[float] | None) -> None:
    if widths_cm:
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(w)


def add_grouped_table(
    doc: DocumentT,
    headers: Sequence[str],
    groups: Sequence[tuple[str, Sequence[Sequence[str]]]],
    widths_cm: Sequence[float] | None = None,
    size: float = 10,
) -> Table:
    """A table whose rows come in groups, each opened by one full-width shaded row («Cơ quan chủ trì: …»)."""
    table = add_table(doc, headers, [], widths_cm, size)
    for title, rows in groups:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        merged = cells[0].merge(cells[-1])
        merged.text = ""
        run = merged.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(size)
        shade(merged, "E3ECF7")
        for values in rows:
            _add_row(table, values, size)
    _widths(table, widths_cm)
    return table


def shade(cell: object, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:shd")
    el.set(qn("w:val"), "clear")
    el.set(qn("w:color"), "auto")
    el.set(qn("w:fill"), fill)
    tcpr.append(el)


def add_signature(doc: DocumentT, left: Sequence[str], right: Sequence[str], size: float = 12) -> None:
    """Date and signature block: two borderless columns, each a title in bold and italic notes below."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for k, line in enumerate(lines):
            run = p.add_run(line.strip("_"))
            run.font.size = Pt(size)
            run.italic = line.startswith("_")
            run.bold = line.isupper()
            if k < len(lines) - 1:
                run.add_break()


def _repeat_header(table: Table) -> None:
    """The header row repeats on every page the table runs over."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def paragraph(
    doc: DocumentT,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str | None = None,
    space_after: float = 4,
) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
    if align:
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
    p.paragraph_format.space_after = Pt(space_after)
    return p
