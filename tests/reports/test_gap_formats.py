"""Must show: each gap format opened with its own library, content checked (diacritics, levels, gaps, banner)."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import openpyxl
import pypdf

from certify.formats import gap_formats
from certify.levels.gap import GapReport
from reports.gap_pdf import render_pdf_html
from tests.reports.conftest import BANNER

UNIT = "Xã Tân Mỹ, huyện Trà Ôn"
GAP = "+11,6 điểm phần trăm (+11 thủ tục)"  # CQS-01: 84/95 thủ tục, target 100%


def nfc(text: str) -> str:
    """NFC, and line breaks inside table cells read as spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_all_five_formats_registered() -> None:
    assert {"html", "md", "pdf", "docx", "xlsx"} <= set(gap_formats())


def pdf_pages(report: GapReport) -> list[str]:
    pdf = pypdf.PdfReader(io.BytesIO(gap_formats()["pdf"].render(report)))  # type: ignore[arg-type]
    return [nfc(p.extract_text()) for p in pdf.pages]


def test_pdf_text_has_unit_levels_gaps_and_banner_on_every_page(tan_my: GapReport) -> None:
    pages = pdf_pages(tan_my)
    text = "\n".join(pages)
    assert UNIT in text
    assert "Mức đạt được: Cơ bản" in text and "Nâng cao" in text and "Toàn diện" in text
    assert "Vì sao chưa đạt mức Nâng cao" in text
    assert GAP in text
    assert "sample-2361-commune" in text and "trạng thái sample" in text
    assert len(pages) > 1
    for k, page in enumerate(pages, 1):
        assert BANNER in page, f"banner missing on page {k}"
        assert f"Trang {k}/{len(pages)}" in page


def test_pdf_gap_has_agency_year_and_roadmap_to_the_top(tan_my: GapReport) -> None:
    text = " ".join(pdf_pages(tan_my))
    cqs01 = text[text.index("1. CQS-01 — ") : text.index("2. CQS-06 — ")]
    assert "Hiện tại: 88,4% (84/95 thủ tục)" in cqs01 and "mục tiêu ≥ 100%" in cqs01 and GAP in cqs01
    assert "Chủ trì: Bộ phận Một cửa UBND xã" in cqs01 and "Năm đề xuất: 2025" in cqs01
    assert "Làm sau CQS-10" in text  # order: CQS-11 waits for its prerequisite
    assert "Lộ trình đến mức Toàn diện" in text
    assert "2025: mức Nâng cao — 26 tiêu chí" in text and "2026: mức Toàn diện — 27 tiêu chí" in text
    # A criterion first needed at Toàn diện is named with its current value where it appears.
    assert "CQS-08 Băng thông đường truyền Internet tại trụ sở UBND xã (hiện tại 100 Mbps" in text
    assert "≥ 200 Mbps, +100 Mbps" in text
    # Evidence of met criteria too: the PDF has no full criteria table to carry it.
    assert "15/KH-UBND ngày 02/02/2024" in text and "61/QĐ-UBND ngày 10/04/2024" in text


def test_pdf_counts_per_level_instead_of_the_full_table(tan_my: GapReport) -> None:
    text = " ".join(pdf_pages(tan_my))
    for line in (
        "Mức Khởi động: 16/16 tiêu chí đạt — đạt",
        "Mức Cơ bản: 36/36 tiêu chí đạt (1 không áp dụng) — đạt",
        "Mức Nâng cao: 11/37 tiêu chí đạt (1 không áp dụng) — chưa đạt",
        "Mức Toàn diện: 10/37 tiêu chí đạt (1 không áp dụng) — chưa đạt",
    ):
        assert line in text
    assert "Bảng đầy đủ từng tiêu chí" in text and "Excel/HTML/Word" in text
    assert "Tình trạng từng tiêu chí" not in text
    # The count agrees with the full table of the workbook: 11 met of 38, one «không áp dụng» not counted.
    wb = openpyxl.load_workbook(io.BytesIO(gap_formats()["xlsx"].render(tan_my)))  # type: ignore[arg-type]
    verdicts = [row[7] for row in wb["Tiêu chí"].iter_rows(min_row=5, values_only=True)]
    assert verdicts.count("Đạt") == 11 and len(verdicts) - verdicts.count("Không áp dụng") == 37


def test_full_criteria_table_stays_in_html_xlsx_docx(tan_my: GapReport) -> None:
    codes = [r.code for r in tan_my.evaluation.results("nang-cao")]
    assert len(codes) == 38
    html = gap_formats()["html"].render(tan_my)
    assert isinstance(html, str)
    section = html[html.index("Tình trạng từng tiêu chí ở mức Nâng cao") : html.index("Căn cứ tính toán")]
    assert re.findall(r"<tr><td>([A-Z]+-[0-9]+)</td>", section) == codes
    wb = openpyxl.load_workbook(io.BytesIO(gap_formats()["xlsx"].render(tan_my)))  # type: ignore[arg-type]
    assert [row[0] for row in wb["Tiêu chí"].iter_rows(min_row=5, values_only=True)] == codes
    d = docx.Document(io.BytesIO(gap_formats()["docx"].render(tan_my)))  # type: ignore[arg-type]
    table = next(t for t in d.tables if t.rows[0].cells[-1].text == "Tài liệu kiểm chứng")
    assert [row.cells[0].text for row in table.rows[1:]] == codes


def test_pdf_progress_bar_per_gap(tan_my: GapReport) -> None:
    html = render_pdf_html(tan_my)
    widths = [float(w) for w in re.findall(r'class="bar" style="border-left-width: ([0-9.]+)em"', html)]
    items = tan_my.next_level.items if tan_my.next_level else ()
    assert len(widths) == len(items) == 26
    cqs01 = next(k for k, i in enumerate(items) if i.code == "CQS-01")
    assert abs(widths[cqs01] - 8 * 84 / 95) < 0.01  # 8em is the whole bar


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
