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


def test_pdf_gaps_are_a_table_grouped_by_agency_with_quarters(tan_my: GapReport) -> None:
    text = " ".join(pdf_pages(tan_my))
    # «Bộ phận Một cửa UBND xã (phối hợp Văn phòng UBND tỉnh)» groups with «Bộ phận Một cửa UBND xã»
    one_stop = text.index("Cơ quan chủ trì: Bộ phận Một cửa UBND xã — 5 tiêu chí")
    cqs01 = text[text.index("1. CQS-01 ") : text.index("12. CQS-13 ")]
    assert one_stop < text.index("1. CQS-01 ") and "(phối hợp Văn phòng UBND tỉnh)" in cqs01
    # the bar's label: value / target; the counts beside; the gap; the quarter
    assert "88,4% / ≥ 100% (88,4% (84/95 thủ tục))" in cqs01 and GAP in cqs01
    assert "Quý III/2025" in cqs01  # CQS-02 depends on it the same year: it closes a quarter earlier
    assert "Sau CQS-10" in text  # order: CQS-11 waits for its prerequisite
    assert "Mục tiêu: mức Nâng cao năm 2025 (năm mục tiêu của bộ tiêu chí, sample)" in text
    # Evidence of met criteria too: the PDF has no full criteria table to carry it.
    assert "15/KH-UBND ngày 02/02/2024" in text and "61/QĐ-UBND ngày 10/04/2024" in text
    # date and signature block
    assert "ngày …… tháng …… năm ……" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text and "NGƯỜI LẬP BIỂU" in text


def test_pdf_roadmap_to_2030_names_every_criterion_every_year(tan_my_top: GapReport) -> None:
    text = " ".join(pdf_pages(tan_my_top))
    assert "Lộ trình đến mức Toàn diện" in text
    assert "Mức Nâng cao: năm 2025 (26 tiêu chí cần đạt); Mức Toàn diện: năm 2030 (27 tiêu chí cần đạt)" in text
    years = [int(y) for y in re.findall(r"Năm (20[0-9]{2})(?:: đạt mức [^—]+)? — [0-9]+ tiêu chí", text)]
    assert years == [2025, 2026, 2027, 2028, 2029, 2030]
    first = tan_my_top.roadmap[0].level
    for item in (i for y in tan_my_top.by_year() for i in y["items"]):
        if item["level"] == first:  # named in the gap table, which the year refers to
            assert f"{item['order']}. {item['criterion']} {item['name']}" in text
        else:
            assert f"{item['criterion']} {item['name']} (mức {item['level_name']})" in text
    assert "26 tiêu chí của mức Nâng cao: như bảng trên" in text
    assert "CQS-08 Băng thông đường truyền Internet tại trụ sở UBND xã (mức Toàn diện): 100 Mbps / ≥ 200 Mbps" in text


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
    assert cqs01[8] == GAP and cqs01[9] == 11 and cqs01[12].startswith("Bộ phận Một cửa")
    assert (cqs01[13], cqs01[14], cqs01[15]) == (2025, 3, "Quý III/2025")
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
