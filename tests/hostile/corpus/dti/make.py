"""Writes the generated DTI cohort cases beside this script: `python tests/hostile/corpus/dti/make.py`.

The hand-written cases of this folder are not touched. `score-*` files are cohorts of the province index
vinh-long-2554-province given to `certify score`; `import-*` files are commune cohorts (index values 1–8 of
vinh-long-2554-commune) given to `certify dti import` into the corpus database's DTI cycle. What each must
answer: index.yaml here. Deterministic: the same files on every run (workbooks get a fixed timestamp).
"""

# ruff: noqa: E501  (the parts of a workbook, written out as XML)

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from tests.hostile.corpus._make import pin_workbooks, show, write_cases  # noqa: E402

FIXED = dt.datetime(2025, 1, 1)

HEAD = "unit,name,1.1,1.3.a,1.3.b,6.21,7.5\n"
GOOD = "tinh-a,Tỉnh A,bi-thu-chu-tich,6,8,3,49%\n"


def cohort(row: str, head: str = HEAD) -> str:
    return head + GOOD + row + "\n"


COMMUNE_HEAD = "unit,name,1,2,3,4,5,6,7,8\n"
COMMUNE_GOOD = "29602,,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7\n"


def commune(row: str) -> str:
    return COMMUNE_HEAD + COMMUNE_GOOD + row + "\n"


CSV: dict[str, str | bytes] = {
    # --- the file ----------------------------------------------------------------------------------------------
    "score-empty.csv": "",
    "score-header-only.csv": HEAD,
    "score-no-unit-column.csv": "name,6.21\nTỉnh A,3\n",
    "score-duplicate-column.csv": "unit,name,6.21,6.21\ntinh-a,Tỉnh A,3,4\n",
    "score-latin1.csv": "unit,name,6.21\ntinh-a,Tỉnh Á,3\n".encode("latin-1", "replace").replace(b"?", b"\xe1"),
    "score-binary.csv": b"PK\x03\x04" + bytes(range(256)) * 4,
    "score-unclosed-quote.csv": 'unit,name,6.21\ntinh-a,"Tỉnh A,3\ntinh-b,Tỉnh B,4\n',
    "score-row-too-long.csv": "unit,name,6.21\ntinh-a,Tỉnh A,3,7,9\n",
    "score-1001-columns.csv": "unit," + ",".join(f"x{i}" for i in range(1_000)) + "\ntinh-a" + ",1" * 1_000 + "\n",
    "score-60000-rows.csv": "unit,name,6.21\n" + "".join(f"tinh-{i},Tỉnh {i},3\n" for i in range(60_000)),
    "score-cell-25000-chars.csv": "unit,name,6.21\ntinh-a," + "A" * 25_000 + ",3\n",
    # --- values ------------------------------------------------------------------------------------------------
    "score-count-1e300.csv": cohort("tinh-b,Tỉnh B,khac,1,8,1e300,10%"),
    "score-count-huge-integer.csv": cohort("tinh-b,Tỉnh B,khac,1,8," + "9" * 39 + ",10%"),
    "score-count-41-digits.csv": cohort("tinh-b,Tỉnh B,khac,1,8," + "1" * 41 + ",10%"),
    "score-count-nan.csv": cohort("tinh-b,Tỉnh B,khac,1,8,nan,10%"),
    "score-count-infinity.csv": cohort("tinh-b,Tỉnh B,khac,1,8,inf,10%"),
    "score-count-date.csv": cohort("tinh-b,Tỉnh B,khac,1,8,2024-05-01,10%"),
    "score-count-percent.csv": cohort("tinh-b,Tỉnh B,khac,1,8,50%,10%"),
    "score-count-text.csv": cohort("tinh-b,Tỉnh B,khac,1,8,khoảng ba,10%"),
    "score-ratio-negative.csv": cohort("tinh-b,Tỉnh B,khac,1,8,2,-10%"),
    "score-ratio-two-percents.csv": cohort("tinh-b,Tỉnh B,khac,1,8,2,10%%"),
    "score-ratio-1-5.csv": cohort("tinh-b,Tỉnh B,khac,1,8,2,1.5"),
    "score-denominator-zero-numerator.csv": cohort("tinh-b,Tỉnh B,khac,3,0,2,10%"),
    "score-numerator-negative.csv": cohort("tinh-b,Tỉnh B,khac,-3,8,2,10%"),
    "score-value-and-variables.csv": "unit,name,1.3,1.3.a,1.3.b\ntinh-a,Tỉnh A,0.5,6,8\n",
    "score-option-number.csv": cohort("tinh-b,Tỉnh B,2,1,8,2,10%"),
    "score-not-applicable-unknown.csv": "unit,name,6.21,not_applicable\ntinh-a,Tỉnh A,3,6.99\n",
    "score-appraised-unknown.csv": "unit,name,6.21,appraised:6.99\ntinh-a,Tỉnh A,3,4\n",
    "score-year-differs.csv": "unit,name,year,6.21\ntinh-a,Tỉnh A,2024,3\ntinh-b,Tỉnh B,2025,4\n",
    "score-yes-no-unclear.csv": "unit,name,1.6\ntinh-a,Tỉnh A,có\ntinh-b,Tỉnh B,có lẽ\n",
    # --- `certify dti import` into a commune cycle -----------------------------------------------------------
    "import-header-only.csv": COMMUNE_HEAD,
    "import-unknown-unit.csv": commune("99999,,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"),
    "import-province-in-commune-cycle.csv": commune("86,,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"),
    "import-index-above-one.csv": commune("29677,,1.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"),
    "import-100000-unknown-units.csv": "unit,1\n" + "".join(f"{900000 + i},0.5\n" for i in range(100_000)),
    "import-40000-unknown-units.csv": COMMUNE_HEAD + "".join(f"{900000 + i},,0,0,0,0,0,0,0,0\n" for i in range(40_000)),
}


def _workbook(rows: list[list[Any]], path: Path, title: str = "DTI 2024") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _million_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A real workbook of 1,000,000 rows, written as XML directly (openpyxl would take minutes); the rows are
    alike and carry no numbers (`r` is optional in the format), so the file is small and the sheet 30 MB."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="B1" t="inlineStr"><is><t>6.21</t></is></c></row>'
        + b"<row><c/><c><v>1</v></c></row>" * (rows - 1)
        + b"</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DTI" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def make(out: Path = HERE) -> list[Path]:
    made = write_cases(out, CSV)
    head = ["unit", "name", "6.21", "7.5"]
    made += [
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", dt.date(2024, 5, 1), 0.2]],
            out / "score-date-in-number.xlsx",
        ),
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", 1e300, 0.2]], out / "score-1e300-cell.xlsx"
        ),
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", 2, 1.2]], out / "score-ratio-cell-above-one.xlsx"
        ),
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", "=A1*2", 0.2]], out / "score-formula-cell.xlsx"
        ),
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", True, 0.2]], out / "score-boolean-in-number.xlsx"
        ),
        _workbook(
            [head, ["tinh-a", "Tỉnh A", 3, 0.49], ["tinh-b", "Tỉnh B", -4, 0.2]], out / "score-negative-cell.xlsx"
        ),
        _workbook([["6.21", "unit"], [3, "tinh-a"], [4, None]], out / "score-missing-unit-cell.xlsx"),
        _workbook([], out / "score-empty-sheet.xlsx"),
        _million_rows(out / "score-1000000-rows.xlsx"),
        _million_rows(out / "score-60000-rows.xlsx", 60_000),
        _zip_bomb(out / "score-negative-cell.xlsx", out / "score-zip-bomb.xlsx"),
    ]
    (out / "score-not-a-workbook.xlsx").write_text("unit;6.21\ntinh-a;3\n", encoding="utf-8")
    (out / "score-old-xls.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    made += [out / "score-not-a-workbook.xlsx", out / "score-old-xls.xlsx"]
    return pin_workbooks(made)


def _zip_bomb(good: Path, dst: Path) -> Path:
    """A small workbook whose shared strings announce 100 MB once inflated (every cell would point into them)."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for _ in range(100):
                fh.write(b"A" * (1 << 20))
            fh.write(b"</t></si></sst>")
    return dst


if __name__ == "__main__":
    show(make())
