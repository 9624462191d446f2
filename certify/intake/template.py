"""Writing the forms: one per unit (a row per criterion) or one province-wide sheet (a row per unit)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from certify.catalog import Resolved
from certify.cellsafe import append_row, set_cell
from certify.errors import CertifyError
from certify.intake import layout as L
from certify.levels.display import show_requirement
from certify.levels.model import Criterion, IndicatorType, LevelFramework

HEAD = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _levels(resolved: Resolved) -> LevelFramework:
    fw = resolved.framework
    if not isinstance(fw, LevelFramework):
        raise CertifyError.one(
            "not-levels",
            f"Bộ tiêu chí {fw.ref} không phải loại xếp mức",
            f"Framework {fw.ref} is not a level framework",
            found=fw.kind,
        )
    return fw


def _meta(wb: Workbook, resolved: Resolved, form: str, year: int | None, unit_map: str | None) -> None:
    fw = resolved.framework
    ws = wb.create_sheet(L.META_SHEET)
    for row in (
        ("form", form),
        ("framework_id", fw.id),
        ("framework_version", fw.version),
        ("framework_hash", resolved.content_hash),
        ("tier", fw.tier.value),
        ("year", year),
        ("unit_map", unit_map),
        ("template_version", L.TEMPLATE_VERSION),
    ):
        append_row(ws, row)
    ws.sheet_state = "hidden"  # a form of another version is recognised by these cells
    ws.protection.sheet = True


def _guide(wb: Workbook, fw: LevelFramework, form: str) -> None:
    ws = wb.create_sheet(L.GUIDE_SHEET)
    lines = [
        f"Hướng dẫn điền phiếu — {fw.title} (phiên bản {fw.version})",
        "",
        "1. Chỉ điền vào các ô màu vàng; không đổi tên trang tính, không chèn, xóa hay di chuyển cột, không gộp ô.",
        "2. Nhập giá trị, không nhập công thức.",
        "3. Tỷ lệ: ghi số từ 0 đến 1 (ví dụ 0,85) hoặc «85%»; hoặc ghi Tử số và Mẫu số (số nguyên, tử ≤ mẫu).",
        "4. Chỉ tiêu Có/Không: chọn «Có» hoặc «Không». Số lượng: số nguyên không âm.",
        "5. Tiêu chí không áp dụng: chọn «Có» ở cột «Không áp dụng» và ghi lý do ở cột «Giải trình / lý do».",
        "6. Ghi tài liệu kiểm chứng: số hiệu văn bản, ngày (dd/mm/yyyy), trích yếu, tệp hoặc đường dẫn.",
        "7. Để trống = thiếu số liệu (không phải bằng 0).",
        "",
        "Phiếu có trang ẩn ghi mã bộ tiêu chí và mã băm nội dung: phiếu của phiên bản khác sẽ bị từ chối khi nhập.",
        "(Fill in the yellow cells only; values, not formulas; do not rename sheets or move columns.)",
    ]
    if form == "province":
        lines.insert(2, "Mỗi dòng là một đơn vị; mỗi cột là một tiêu chí (chỉ ghi giá trị).")
    for text in lines:
        append_row(ws, [text])
    ws.column_dimensions["A"].width = 120


def _validation(ws: Worksheet, crit: Criterion, ref: str, dvs: dict[str, DataValidation]) -> None:
    assert crit.indicator is not None
    kind = crit.indicator.type
    key = kind.value
    if key not in dvs:
        if kind is IndicatorType.BOOLEAN:
            dv = DataValidation(type="list", formula1=f'"{L.YES},{L.NO}"', allow_blank=True)
        elif kind is IndicatorType.RATIO:
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
        elif kind is IndicatorType.COUNT:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        else:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = f"Giá trị phải là: {L.TYPE_VI[key]}"
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dvs[key] = dv
    dvs[key].add(ref)


def write_unit_form(
    resolved: Resolved,
    path: Path,
    *,
    unit_code: str | None = None,
    unit_name: str | None = None,
    year: int | None = None,
    unit_map: str | None = None,
) -> Path:
    fw = _levels(resolved)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = L.UNIT_SHEET
    set_cell(ws["A1"], f"PHIẾU TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ — {fw.title}")
    ws["A1"].font = Font(bold=True, size=13)
    for cell, label, value in (
        (L.UNIT_CODE_CELL, "Mã đơn vị (mã thống kê)", unit_code),
        (L.UNIT_NAME_CELL, "Tên đơn vị", unit_name),
        (L.YEAR_CELL, "Năm đánh giá", year),
    ):
        ws.cell(row=ws[cell].row, column=1, value=label).font = HEAD
        set_cell(ws[cell], value)
        ws[cell].fill = INPUT_FILL
        ws[cell].number_format = "@" if cell == L.UNIT_CODE_CELL else "General"
    headers = L.unit_headers(fw)
    for col, text in enumerate(headers, start=1):
        c = ws.cell(row=L.UNIT_HEADER_ROW, column=col, value=text)
        c.font = HEAD
        c.alignment = Alignment(wrap_text=True, vertical="top")
    cols = L.input_columns(fw)
    dvs: dict[str, DataValidation] = {}
    na = DataValidation(type="list", formula1=f'"{L.YES},{L.NO}"', allow_blank=True)
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    date = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    for dv in (na, whole, date):
        ws.add_data_validation(dv)
    row = L.UNIT_HEADER_ROW
    for crit in fw.criteria:
        if crit.indicator is None:
            continue
        row += 1
        ind = crit.indicator
        unit = ind.unit or ind.count_unit or ("tỷ lệ" if ind.type is IndicatorType.RATIO else "")
        ws.cell(row=row, column=1, value=crit.code)
        set_cell(ws.cell(row=row, column=2), crit.name or "")
        ws.cell(row=row, column=3, value=L.TYPE_VI[ind.type.value])
        set_cell(ws.cell(row=row, column=4), unit)
        for li, lv in enumerate(fw.levels):
            req = crit.requirements.get(lv.id)
            text = show_requirement(crit, req.threshold) if req is not None else "—"
            set_cell(ws.cell(row=row, column=len(L.FIXED_HEADERS) + 1 + li), text)
        for col in cols.values():
            ws.cell(row=row, column=col).fill = INPUT_FILL
        value_ref = f"{get_column_letter(cols['value'])}{row}"
        _validation(ws, crit, value_ref, dvs)
        if ind.type is IndicatorType.RATIO:
            whole.add(f"{get_column_letter(cols['numerator'])}{row}:{get_column_letter(cols['denominator'])}{row}")
        na.add(f"{get_column_letter(cols['na'])}{row}")
        date.add(f"{get_column_letter(cols['date'])}{row}")
        ws.cell(row=row, column=cols["date"]).number_format = "DD/MM/YYYY"
    widths = {1: 11, 2: 60, 3: 16, 4: 12}
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 16)
    ws.freeze_panes = f"C{L.UNIT_HEADER_ROW + 1}"
    _guide(wb, fw, "unit")
    _meta(wb, resolved, "unit", year, unit_map)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_province_sheet(
    resolved: Resolved,
    path: Path,
    units: Sequence[tuple[str, str]],
    *,
    year: int | None = None,
    unit_map: str | None = None,
) -> Path:
    """One row per unit (code, name), one column per measured criterion."""
    fw = _levels(resolved)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = L.PROVINCE_SHEET
    set_cell(ws["A1"], f"TỔNG HỢP SỐ LIỆU ĐÁNH GIÁ — {fw.title}" + (f" — năm {year}" if year else ""))
    ws["A1"].font = Font(bold=True, size=13)
    crits = [c for c in fw.criteria if c.indicator is not None]
    for col, text in enumerate([*L.PROVINCE_FIXED, *(c.code for c in crits)], start=1):
        ws.cell(row=L.PROVINCE_HEADER_ROW, column=col, value=text).font = HEAD
    for col, crit in enumerate(crits, start=len(L.PROVINCE_FIXED) + 1):
        assert crit.indicator is not None
        info = ws.cell(row=L.PROVINCE_HEADER_ROW + 1, column=col)
        set_cell(info, f"{crit.name or ''} [{L.TYPE_VI[crit.indicator.type.value]}]")
        info.alignment = Alignment(wrap_text=True, vertical="top")
    dvs: dict[str, DataValidation] = {}
    last = L.PROVINCE_FIRST_ROW + max(len(units), 1) - 1
    for r, (code, name) in enumerate(units, start=L.PROVINCE_FIRST_ROW):
        ws.cell(row=r, column=1, value=code).number_format = "@"
        set_cell(ws.cell(row=r, column=2), name)
    for col, crit in enumerate(crits, start=len(L.PROVINCE_FIXED) + 1):
        letter = get_column_letter(col)
        _validation(ws, crit, f"{letter}{L.PROVINCE_FIRST_ROW}:{letter}{last}", dvs)
        ws.column_dimensions[letter].width = 14
    ws.column_dimensions["B"].width = 40
    ws.freeze_panes = f"C{L.PROVINCE_FIRST_ROW}"
    _guide(wb, fw, "province")
    _meta(wb, resolved, "province", year, unit_map)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
