"""Decision draft (Word) and province summary (PDF, Excel) over the sample folder."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from certify.catalog import Catalog
from certify.levels.evaluate import Evaluation
from reports.decision import render_decision
from reports.inputs import district_of, load_folder
from reports.province import summarise
from reports.province_pdf import render_province_pdf
from reports.province_xlsx import render_province_xlsx
from tests.reports.conftest import BANNER


@pytest.fixture(scope="module")
def evaluations(samples_dir: Path, report_catalog: Catalog) -> list[Evaluation]:
    return load_folder(samples_dir, report_catalog)


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_decision_docx_administrative_format(evaluations: list[Evaluation]) -> None:
    chosen = [e for e in evaluations if e.unit.assessment.year == 2024]
    d = docx.Document(io.BytesIO(render_decision(chosen)))
    head = d.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN" in head[0].text and "TỈNH VĨNH LONG" in head[0].text
    assert "Số: …/QĐ-UBND" in head[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    assert "Vĩnh Long, ngày … tháng … năm …" in head[1].text
    body = "\n".join(p.text for p in d.paragraphs)
    assert "QUYẾT ĐỊNH" in body and "Về việc công nhận mức độ chuyển đổi số năm 2024" in body
    assert "Căn cứ Quyết định số 2361/QĐ-BTTTT" in body  # the framework's decision, from the extends chain
    for article in ("Điều 1.", "Điều 2.", "Điều 3."):
        assert article in body
    sign = "\n".join(c.text for c in d.tables[1].rows[0].cells)
    assert "Nơi nhận:" in sign and "TM. ỦY BAN NHÂN DÂN" in sign
    annex = d.tables[2]
    names = [row.cells[1].text for row in annex.rows[1:]]
    assert "Xã Tân Mỹ, huyện Trà Ôn, tỉnh Vĩnh Long (mã trước 01/7/2025)" in names
    assert "Huyện Trà Ôn, tỉnh Vĩnh Long (mã trước 01/7/2025)" not in names  # no level held: not recognised
    levels = {row.cells[1].text: row.cells[5].text for row in annex.rows[1:]}
    assert levels["Thành phố Sa Đéc, tỉnh Đồng Tháp (mã trước 01/7/2025)"] == "Toàn diện"
    assert BANNER in d.sections[0].header.paragraphs[0].text
    fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.font.name} | {d.styles["Normal"].font.name}
    assert fonts == {"Times New Roman"}
    sizes = {r.font.size.pt for p in d.paragraphs for r in p.runs if r.font.size}
    assert sizes <= {13.0, 14.0}
    placeholders = [r for p in d.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert placeholders, "placeholders must be highlighted for the official"


def test_district_read_from_names(evaluations: list[Evaluation]) -> None:
    by_unit = {e.unit.assessment.unit: district_of(e) for e in evaluations}
    assert by_unit["29839"] == "Huyện Trà Ôn"
    assert by_unit["861"] == "Thị xã Bình Minh"


def test_province_pdf_two_years(evaluations: list[Evaluation]) -> None:
    s = summarise(evaluations)
    assert s.year == 2025 and s.previous_year == 2024
    pdf = pypdf.PdfReader(io.BytesIO(render_province_pdf(s)))
    pages = [_flat(p.extract_text()) for p in pdf.pages]
    text = " ".join(pages)
    assert "Báo cáo tổng hợp mức độ chuyển đổi số tỉnh Vĩnh Long năm 2025" in text
    assert "Xã Quới Thiện" in text and "Năm 2024" in text and "Thay đổi" in text
    assert "Tiêu chí chặn nhiều đơn vị nhất" in text
    assert all(BANNER in p for p in pages)


def test_province_xlsx_2024(evaluations: list[Evaluation]) -> None:
    s = summarise(evaluations, year=2024)
    wb = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(s)))
    assert all(BANNER in ws["A1"].value and BANNER in ws.oddHeader.center.text for ws in wb.worksheets)
    units = wb["Đơn vị cấp xã"]
    rows = {r[0]: r for r in units.iter_rows(min_row=5, values_only=True)}
    assert rows["29839"][1].startswith("Xã Tân Mỹ, huyện Trà Ôn") and rows["29839"][2] == "Huyện Trà Ôn"
    assert rows["29839"][3] == "Cơ bản"
    levels = {r[0]: r[1] for r in wb["Mức độ cấp huyện"].iter_rows(min_row=5, max_row=10, values_only=True)}
    assert sum(levels.values()) == 6 and levels["Toàn diện"] == 1
    blockers = list(wb["Tiêu chí chặn cấp xã"].iter_rows(min_row=5, values_only=True))
    assert blockers and blockers[0][2] >= blockers[-1][2]
