"""Makes the corpus of bad forms beside this script: `python tests/hostile/corpus/form/make.py`.

Each file breaks one rule; tests/hostile/test_corpus.py expects a clear error for each and an unchanged
database. All forms are for sample-2361-commune, year 2024, pre-2025 units (Thị trấn Cái Nhum, 29641).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from certify.intake import layout as L  # noqa: E402
from certify.intake.template import write_province_sheet  # noqa: E402
from tests.hostile.corpus._make import pin_workbooks, show  # noqa: E402
from tests.intake.helpers import filled_form, levels, resolved, sample_values  # noqa: E402

UNIT = "29641"


def _edit(src: Path, dst: Path, fn: object) -> None:
    wb = load_workbook(src)
    fn(wb)  # type: ignore[operator]
    wb.save(dst)


def _row_of(ws: object, code: str) -> int:
    for r in range(L.UNIT_HEADER_ROW + 1, ws.max_row + 1):  # type: ignore[attr-defined]
        if ws.cell(row=r, column=1).value == code:  # type: ignore[attr-defined]
            return r
    raise KeyError(code)


def make(out: Path = HERE) -> list[Path]:
    fw = levels(resolved())
    cols = L.input_columns(fw)
    tmp = Path(tempfile.mkdtemp())
    good = filled_form(tmp, UNIT)
    made: list[Path] = []

    def cell_case(name: str, code: str, key: str, value: object) -> None:
        def fn(wb: object) -> None:
            ws = wb[L.UNIT_SHEET]  # type: ignore[index]
            ws.cell(row=_row_of(ws, code), column=cols[key], value=value)

        _edit(good, out / name, fn)
        made.append(out / name)

    (out / "wrong_file_type.xlsx").write_text("Mã đơn vị;CQS-01\n29641;0,9\n", encoding="utf-8")
    (out / "empty.xlsx").write_bytes(b"")
    made += [out / "wrong_file_type.xlsx", out / "empty.xlsx"]

    def rename(wb: object) -> None:
        wb[L.UNIT_SHEET].title = "Sheet1"  # type: ignore[index]

    _edit(good, out / "sheet_renamed.xlsx", rename)

    def move_columns(wb: object) -> None:
        ws = wb[L.UNIT_SHEET]  # type: ignore[index]
        ws.insert_cols(cols["value"])

    _edit(good, out / "columns_moved.xlsx", move_columns)

    def merge(wb: object) -> None:
        ws = wb[L.UNIT_SHEET]  # type: ignore[index]
        ws.merge_cells(
            start_row=L.UNIT_HEADER_ROW + 1,
            start_column=cols["value"],
            end_row=L.UNIT_HEADER_ROW + 2,
            end_column=cols["value"],
        )

    _edit(good, out / "merged_cells.xlsx", merge)
    made += [out / "sheet_renamed.xlsx", out / "columns_moved.xlsx", out / "merged_cells.xlsx"]

    cell_case("formulas.xlsx", "CQS-08", "value", "=100+50")
    cell_case("numerator_above_denominator.xlsx", "CQS-02", "numerator", 4000)
    cell_case("negative_count.xlsx", "CQS-17", "value", -5)
    cell_case("percent_above_100.xlsx", "CQS-01", "value", "120%")
    cell_case("text_in_number.xlsx", "CQS-08", "value", "khoảng 100 Mbps")

    def code(value: str) -> object:
        def fn(wb: object) -> None:
            wb[L.UNIT_SHEET][L.UNIT_CODE_CELL] = value  # type: ignore[index]

        return fn

    _edit(good, out / "unknown_unit.xlsx", code("99999"))
    _edit(good, out / "wrong_tier_unit.xlsx", code("860"))  # huyện Tam Bình: a district, not a commune
    made += [out / "unknown_unit.xlsx", out / "wrong_tier_unit.xlsx"]

    sheet = write_province_sheet(
        resolved(),
        out / "duplicate_units.xlsx",
        [(UNIT, "Thị trấn Cái Nhum"), ("29644", "Xã Mỹ Phước"), (UNIT, "Cái Nhum (lặp)")],
        year=2024,
        unit_map="pre2025",
    )
    made.append(sheet)

    def other_version(wb: object) -> None:
        meta = wb[L.META_SHEET]  # type: ignore[index]
        for row in meta.iter_rows():
            if row[0].value == "framework_version":
                row[1].value = "0.9"
            if row[0].value == "framework_hash":
                row[1].value = "sha256:" + "0" * 64

    _edit(good, out / "other_framework_version.xlsx", other_version)
    made.append(out / "other_framework_version.xlsx")

    # A valid form: the test lowers the size limit below its size (a real 5 MB file would bloat the repository).
    shutil.copy(good, out / "over_size_limit.xlsx")
    made.append(out / "over_size_limit.xlsx")

    # Zip bomb: a small file whose central directory announces 100 MB of content once inflated.
    with zipfile.ZipFile(out / "zip_bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zipfile.ZipFile(good) as src:
            for info in src.infolist():
                zf.writestr(info.filename, src.read(info.filename))
        with zf.open("xl/worksheets/sheet9.xml", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(100):
                fh.write(block)
    made.append(out / "zip_bomb.xlsx")
    # --- more cells, each wrong in one way (issue 10) ------------------------------------------------------------
    cell_case("date_in_number.xlsx", "CQS-17", "value", dt.date(2024, 5, 1))
    cell_case("number_1e300.xlsx", "CQS-17", "value", 1e300)
    cell_case("number_text_1e300.xlsx", "CQS-17", "value", "1e300")
    cell_case("number_too_long.xlsx", "CQS-17", "value", "1" * 45)
    cell_case("count_fraction.xlsx", "CQS-17", "value", 2.5)
    cell_case("count_boolean.xlsx", "CQS-17", "value", True)
    cell_case("count_error_cell.xlsx", "CQS-17", "value", "#DIV/0!")
    cell_case("ratio_negative_percent.xlsx", "CQS-01", "value", "-5%")
    cell_case("ratio_two_percents.xlsx", "CQS-01", "value", "50%%")
    cell_case("boolean_unclear.xlsx", "CQS-04", "value", "có lẽ")
    cell_case("evidence_date_1900.xlsx", "CQS-17", "date", dt.date(1900, 1, 1))
    cell_case("evidence_date_2099.xlsx", "CQS-17", "date", dt.date(2099, 12, 31))
    cell_case("evidence_date_2024_02_30.xlsx", "CQS-17", "date", "2024-02-30")
    cell_case("evidence_date_text.xlsx", "CQS-17", "date", "cuối năm")
    cell_case("evidence_document_100kb.xlsx", "CQS-17", "document", "Q" * 100_000)
    cell_case("evidence_document_121.xlsx", "CQS-17", "document", "1" * 60 + "/BC-" + "U" * 57)
    cell_case("evidence_summary_too_long.xlsx", "CQS-17", "summary", "tóm tắt " * 600)

    def cells(name: str, code: str, values: dict[str, object]) -> None:
        def fn(wb: object) -> None:
            ws = wb[L.UNIT_SHEET]  # type: ignore[index]
            for key, value in values.items():
                ws.cell(row=_row_of(ws, code), column=cols[key]).value = value  # None empties the cell

        _edit(good, out / name, fn)
        made.append(out / name)

    cells("na_with_value.xlsx", "CQS-17", {"na": L.YES, "explanation": "Không có trang tin", "value": 12})
    cells("na_without_reason.xlsx", "CQS-17", {"na": L.YES, "value": None})
    cells("value_and_counts_disagree.xlsx", "CQS-02", {"value": "90%", "numerator": 5, "denominator": 10})
    cells("numerator_without_denominator.xlsx", "CQS-02", {"numerator": 5, "denominator": None, "value": None})
    _edit(good, out / "unit_code_blank.xlsx", code(None))  # type: ignore[arg-type]
    made.append(out / "unit_code_blank.xlsx")

    # A form of 2023 brought to the 2024 cycle.
    shutil.copy(filled_form(tmp, UNIT, year=2023, name="form-2023.xlsx"), out / "form_year_2023.xlsx")
    made.append(out / "form_year_2023.xlsx")

    # 1,000,000 rows appended to the unit sheet (rows without their optional `r`, so the file stays small).
    made.append(_million_rows(good, out / "million_rows.xlsx"))
    made.append(_million_rows(good, out / "rows_60000.xlsx", 60_000))
    shutil.rmtree(tmp)
    _ = sample_values
    return pin_workbooks(made)


def _million_rows(good: Path, dst: Path, rows: int = 1_000_000) -> Path:
    from certify.xlsx_read import Book

    book = Book(good)
    sheet_xml = book.sheets[L.UNIT_SHEET]
    book.close()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_xml:
                data = data.replace(b"</sheetData>", b"<row><c><v>1</v></c></row>" * rows + b"</sheetData>", 1)
            zf.writestr(info, data)
    return dst


if __name__ == "__main__":
    show(make())
