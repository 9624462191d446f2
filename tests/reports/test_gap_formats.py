"""Must show: each gap format opened with its own library, content checked (diacritics, levels, gaps, banner)."""

from __future__ import annotations

import io
import unicodedata

import docx
import openpyxl
import pypdf

from certify.formats import gap_formats
from certify.levels.gap import GapReport
from tests.reports.conftest import BANNER

UNIT = "Xã Tân Mỹ, huyện Trà Ôn"
GAP = "+11,6 điểm phần trăm (+11 thủ tục)"  # CQS-01: 84/95 thủ tục, target 100%


def nfc(text: str) -> str:
    """NFC, and line breaks inside table cells read as spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_all_five_formats_registered() -> None:
    assert {"html", "md", "pdf", "docx", "xlsx"} <= set(gap_formats())


def test_pdf_text_has_unit_levels_gaps_and_banner_on_every_page(tan_my: GapReport) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(gap_formats()["pdf"].render(tan_my)))  # type: ignore[arg-type]
    pages = [nfc(p.extract_text()) for p in pdf.pages]
    text = "\n".join(pages)
    assert UNIT in text
    assert "Mức đạt được: Cơ bản" in text and "Nâng cao" in text and "Toàn diện" in text
    assert GAP in text
    assert "sample-2361-commune" in text and "trạng thái sample" in text
    assert len(pages) > 1
    for k, page in enumerate(pages, 1):
        assert BANNER in page, f"banner missing on page {k}"
        assert f"Trang {k}/{len(pages)}" in page


def test_pdf_embeds_the_bundled_fonts_only(tan_my: GapReport) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(gap_formats()["pdf"].render(tan_my)))  # type: ignore[arg-type]
    fonts = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts, "no font in the PDF"
    # WeasyPrint names embedded fonts after the @font-face family: every one must be ours.
    assert all("Report-" in f or "Noto-Sans" in f for f in fonts), fonts


def test_docx_text_tables_and_header_banner(tan_my: GapReport) -> None:
    d = docx.Document(io.BytesIO(gap_formats()["docx"].render(tan_my)))  # type: ignore[arg-type]
    body = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert UNIT in body
    assert "Cơ bản" in body and "Vì sao chưa đạt mức Nâng cao" in body
    assert GAP in cells and "Bộ phận Một cửa UBND xã" in cells
    assert "15/KH-UBND ngày 02/02/2024" in cells  # evidence beside its criterion
    assert BANNER in d.sections[0].header.paragraphs[0].text
    assert "sample-2361-commune" in d.sections[0].footer.paragraphs[0].text
    assert d.styles["Normal"].font.name == "Times New Roman"


def test_xlsx_sheets_banner_values_and_print_header(tan_my: GapReport) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(gap_formats()["xlsx"].render(tan_my)))  # type: ignore[arg-type]
    assert wb.sheetnames == ["Tổng quan", "Khoảng cách", "Lộ trình", "Tiêu chí"]
    for ws in wb.worksheets:
        assert BANNER in ws["A1"].value
        assert BANNER in ws.oddHeader.center.text
        assert "sample-2361-commune" in ws["A2"].value
    info = {row[0]: row[1] for row in wb["Tổng quan"].iter_rows(min_row=5, max_row=15, values_only=True)}
    assert UNIT in info["Đơn vị"]
    assert info["Mức đạt được"] == "Cơ bản" and info["Mức tiếp theo"] == "Nâng cao"
    gaps = {row[1]: row for row in wb["Khoảng cách"].iter_rows(min_row=5, values_only=True)}
    cqs01 = gaps["CQS-01"]
    assert cqs01[8] == GAP and cqs01[9] == 11 and cqs01[13] == 2025
    assert abs(cqs01[3] - 84 / 95) < 1e-12  # numbers stay numbers for planners


def test_html_and_markdown(tan_my: GapReport) -> None:
    html = gap_formats()["html"].render(tan_my)
    md = gap_formats()["md"].render(tan_my)
    assert isinstance(html, str) and isinstance(md, str)
    for text in (html, md):
        assert UNIT in text and GAP in text and BANNER in text
        assert "sample-2361-commune" in text
    assert "<svg" in html and "Chính quyền số" in html  # radar by pillar
    assert "| CQS-01 |" in md
