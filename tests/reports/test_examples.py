"""The checked-in examples a reader opens first (docs/examples/): the unit plan and the province what-if report.

Checked as a person would read them: the sample banner, Vietnamese text with its diacritics intact, the blocks
of an administrative document (NĐ 30/2020), one page image per PDF page. Regenerate them with
`python docs/examples/make_examples.py`.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pypdf

from tests.reports.conftest import BANNER
from tests.reports.test_plan_documents import ND30, nfc

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
DIACRITICS = ("Kế hoạch chuyển đổi số năm 2025", "Ủy ban nhân dân xã Tân Mỹ", "Độc lập - Tự do - Hạnh phúc")


def _pdf_pages(path: Path) -> list[str]:
    return [nfc(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_unit_plan_docx_example() -> None:
    d = docx.Document(str(EXAMPLES / "plan-xa-tan-my-2025.docx"))
    raw = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert unicodedata.is_normalized("NFC", raw)  # precomposed letters, as Word and search expect
    text = nfc(raw)
    assert BANNER in d.sections[0].header.paragraphs[0].text
    for block in (*ND30, *DIACRITICS):
        assert block in text, block
    assert d.styles["Normal"].font.name == "Times New Roman"


def test_unit_plan_pdf_example_and_its_page_images() -> None:
    pdf = EXAMPLES / "plan-xa-tan-my-2025.pdf"
    pages = _pdf_pages(pdf)
    assert all(BANNER in p for p in pages)
    text = " ".join(pages)
    for block in (*ND30, *DIACRITICS):
        assert block in text, block
    images = sorted(EXAMPLES.glob("plan-xa-tan-my-2025-*.png"))
    assert len(images) == len(pages)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in images)


def test_province_what_if_example() -> None:
    pages = _pdf_pages(EXAMPLES / "province-plan-2024.pdf")
    assert all(BANNER in p for p in pages)
    text = " ".join(pages)
    for words in (
        "Phân tích nâng mức chuyển đổi số các đơn vị cấp xã tỉnh Vĩnh Long",
        "Kế hoạch 5 bước: tiêu chí đưa được nhiều đơn vị lên mức nhất",
        "Tiêu chí chặn đơn vị lên mức tiếp theo",
        "Kịch bản đề xuất",
        "Chỉ số DTI: đầu vào tăng điểm nhiều nhất cho một bước nỗ lực",
        "Tỉnh Vĩnh Long: giá trị 0,5193, hạng 6",
        "ngày …… tháng …… năm ……",
    ):
        assert words in text, words
    assert len(sorted(EXAMPLES.glob("province-plan-2024-*.png"))) == len(pages)
    wb = openpyxl.load_workbook(EXAMPLES / "province-plan-2024.xlsx")
    assert BANNER in wb["Tổng quan"]["A1"].value
