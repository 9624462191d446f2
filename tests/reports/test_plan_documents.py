"""A unit's draft plan for the year (DOCX, PDF, XLSX, MD) and the province what-if report (PDF, XLSX), opened
with their own libraries: the administrative blocks of NĐ 30/2020, one task row per gap, the banner."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import openpyxl
import pypdf
import pytest

from certify.catalog import Catalog
from certify.formats import gap_formats
from certify.levels.gap import GapReport, gap_report
from certify.plan.province import Proposal, ProvincePlan, province_plan
from certify.plan.unit import unit_plan
from reports.inputs import district_of, load_folder
from reports.province_plan import render_province_plan_pdf, render_province_plan_xlsx
from tests.reports.conftest import BANNER, SAMPLES

ND30 = (
    "ỦY BAN NHÂN DÂN",
    "XÃ TÂN MỸ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: …/KH-UBND",
    "Tân Mỹ, ngày … tháng … năm …",
    "KẾ HOẠCH",
    "Chuyển đổi số năm 2025",
    "Căn cứ Quyết định số 2361/QĐ-BTTTT ngày 31/12/2024 của Bộ Thông tin và Truyền thông",
    "I. MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU",
    "II. NHIỆM VỤ",
    "III. TỔ CHỨC THỰC HIỆN",
    "Nơi nhận:",
    "TM. ỦY BAN NHÂN DÂN",
    "PHỤ LỤC",
)


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def plan_2025(tan_my: GapReport) -> GapReport:
    return gap_report(tan_my.evaluation, start_year=2025)


def test_plan_rows_are_the_gaps_of_the_year(plan_2025: GapReport) -> None:
    plan = unit_plan(plan_2025)
    assert plan.year == 2025
    assert len(plan.rows) == 26 == len(plan_2025.roadmap[0].items)
    assert sum(g["count"] for g in plan.groups) == 26
    cqs02 = next(r for r in plan.rows if r["criterion"] == "CQS-02")
    assert cqs02["gap_text"] == "+14,6 điểm phần trăm (+308 hồ sơ)"
    assert [c for c, _ in cqs02["prerequisites"]] == ["CQS-01", "CQS-13"]
    assert "Tổng số hồ sơ TTHC" in cqs02["evidence_expected"]
    assert plan.objective() == "Đạt mức Nâng cao trong năm 2025"


def docx_text(data: bytes) -> tuple[str, list[list[str]], str]:
    d = docx.Document(io.BytesIO(data))
    body: list[str] = [p.text for p in d.paragraphs]
    rows: list[list[str]] = []
    for table in d.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            rows.append(cells)
            for c in cells:
                body.append(c)
    return nfc("\n".join(body)), rows, d.sections[0].header.paragraphs[0].text


def test_docx_plan_has_the_nd30_blocks_a_summary_first_and_one_row_per_gap(plan_2025: GapReport) -> None:
    data = gap_formats()["plan-docx"].render(plan_2025)
    assert isinstance(data, bytes)
    text, rows, header = docx_text(data)
    assert BANNER in header
    for block in ND30:
        assert block in text, block
    assert text.index("TÓM TẮT KẾ HOẠCH") < text.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    task_rows = [r for r in rows if len(r) == 9 and re.fullmatch(r"[0-9]+", r[0])]
    assert len(task_rows) == 26
    cqs02 = next(r for r in task_rows if r[1].startswith("CQS-02"))
    assert (
        cqs02[4] == "+14,6 điểm phần trăm (+308 hồ sơ)" and cqs02[5] == "Quý IV/2025" and cqs02[6] == "CQS-01, CQS-13"
    )
    groups = [r[0] for r in rows if len(set(r)) == 1 and r[0].startswith("Cơ quan chủ trì:")]
    assert len(groups) == 8 and "Cơ quan chủ trì: Bộ phận Một cửa UBND xã (5 nhiệm vụ)" in groups


def pdf_pages(data: bytes) -> list[str]:
    return [nfc(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_pdf_plan_banner_on_every_page_and_the_same_blocks(plan_2025: GapReport) -> None:
    data = gap_formats()["plan-pdf"].render(plan_2025)
    assert isinstance(data, bytes)
    pages = pdf_pages(data)
    assert "TÓM TẮT KẾ HOẠCH" in pages[0] and "CỘNG HÒA" not in pages[0]  # the summary is page 1, alone
    text = " ".join(pages)
    for block in ND30:
        assert block.replace("…", "…") in text, block
    for k, page in enumerate(pages, 1):
        assert BANNER in page and f"Trang {k}/{len(pages)}" in page


def test_xlsx_plan_is_the_same_table_for_tracking(plan_2025: GapReport) -> None:
    data = gap_formats()["plan-xlsx"].render(plan_2025)
    wb = openpyxl.load_workbook(io.BytesIO(data))  # type: ignore[arg-type]
    assert wb.sheetnames == ["Tóm tắt", "Nhiệm vụ"]
    ws = wb["Nhiệm vụ"]
    header = [c.value for c in ws[4]]
    assert header[-4:] == [
        "Tình trạng (chưa làm / đang làm / xong)",
        "Giá trị đạt được",
        "Ngày hoàn thành",
        "Ghi chú theo dõi",
    ]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 26
    cqs02 = next(r for r in rows if r[2] == "CQS-02")
    assert cqs02[7] == 308 and cqs02[8] == "hồ sơ" and (cqs02[9], cqs02[10]) == (2025, 4)
    assert BANNER in ws["A1"].value


def test_plan_for_a_later_year_flags_the_overdue_level(tan_my: GapReport) -> None:
    md = gap_formats()["plan-md"].render(gap_report(tan_my.evaluation, start_year=2027))
    assert isinstance(md, str)
    assert "# Kế hoạch chuyển đổi số năm 2027 — Ủy ban nhân dân xã Tân Mỹ (dự thảo)" in md
    assert "mức Nâng cao: năm 2027 (đã quá năm mục tiêu của bộ tiêu chí)" in md
    assert "Cảnh báo: 26 nhiệm vụ sau năm mục tiêu" in md


@pytest.fixture(scope="module")
def province_2024(report_catalog: Catalog) -> ProvincePlan:
    evs = [
        e
        for e in load_folder(SAMPLES, report_catalog)
        if e.unit.assessment.year == 2024 and e.unit.assessment.tier.value == "commune"
    ]
    return province_plan(
        evs,
        groups=[district_of(e) for e in evs],
        steps=5,
        proposals=[Proposal.parse("CQS-02=80%"), Proposal.parse("XHS-07", area="Huyện Long Hồ")],
        province="Vĩnh Long",
    )


def test_province_report_pdf_tables_charts_and_banner(province_2024: ProvincePlan) -> None:
    pages = pdf_pages(render_province_plan_pdf(province_2024))
    text = " ".join(pages)
    assert (
        "Phân tích nâng mức chuyển đổi số các đơn vị cấp xã tỉnh Vĩnh Long — số liệu năm 2024, kế hoạch năm 2025"
        in text
    )
    assert "Tổng cộng 1 đơn vị lên ít nhất một mức" in text
    assert "Xã Hòa Ninh" in text and "(Cơ bản → Nâng cao)" in text
    assert "CQS-02 đạt ≥ 80% ở 6 đơn vị được chọn; XHS-07 đạt ngưỡng mức tiếp theo ở 1 đơn vị được chọn" in text
    assert "Mức Khởi động: 1 đơn vị chờ lên mức này" in text
    assert all(BANNER in p for p in pages)


def test_province_report_xlsx_sheets(province_2024: ProvincePlan) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_province_plan_xlsx(province_2024)))
    assert wb.sheetnames == ["Tổng quan", "Kế hoạch", "Đơn vị lên mức", "Tiêu chí chặn", "Tác động", "Kịch bản"]
    levels = list(wb["Tổng quan"].iter_rows(min_row=5, max_row=10, values_only=True))
    assert levels[0][0] == "Chưa đạt mức nào" and sum(r[1] for r in levels) == 6
    assert wb["Tổng quan"]._charts  # a native chart: editable in Excel
    steps = list(wb["Kế hoạch"].iter_rows(min_row=5, values_only=True))
    assert [s[1] for s in steps] == [s["criterion"] for s in province_2024.greedy.to_dict()["steps"]]
