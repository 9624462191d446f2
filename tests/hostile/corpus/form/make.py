"""Makes the corpus of bad forms beside this script: `python tests/hostile/corpus/form/make.py`.

Each file breaks one rule; tests/hostile/test_corpus.py expects a clear error for each and an unchanged
database. All forms are for sample-2361-commune, year 2024, pre-2025 units (Thị trấn Cái Nhum, 29641).
"""

from __future__ import annotations

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
    shutil.rmtree(tmp)
    _ = sample_values
    return made


if __name__ == "__main__":
    for path in make():
        print(path.name, path.stat().st_size)
